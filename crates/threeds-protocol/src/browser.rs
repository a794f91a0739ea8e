//! Browser data of the AReq (device channel 02): built from raw browser readings
//! with the EMV normalisation rules, and validated per protocol version.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::members::ObjectWriter;
use crate::{ErrorCode, MessageVersion};

/// What a browser reports, before any EMV normalisation (read by the SDK through web-sys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrowserReadings {
    /// `navigator.javaEnabled()`; false in every modern browser.
    pub java_enabled: bool,
    /// Always true when the SDK runs; a server building data for a no-script page sets false.
    pub javascript_enabled: bool,
    /// `navigator.language`.
    pub language: String,
    /// `navigator.languages`.
    pub languages: Vec<String>,
    /// `screen.colorDepth`.
    pub color_depth: i64,
    /// `screen.height`, CSS pixels.
    pub screen_height: i64,
    /// `screen.width`, CSS pixels.
    pub screen_width: i64,
    /// `new Date().getTimezoneOffset()`: minutes, positive when local time is behind UTC.
    pub timezone_offset_minutes: i64,
    /// `navigator.userAgent`.
    pub user_agent: String,
}

/// The browser-channel fields of an AReq, as they travel (strings where the spec says string).
///
/// `browserAcceptHeader` and `browserIP` are read by the server from the HTTP request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BrowserInfo {
    /// `browserAcceptHeader`: the HTTP `Accept` header, 1-2048 characters; always required.
    #[serde(rename = "browserAcceptHeader", default, skip_serializing_if = "Option::is_none")]
    pub accept_header: Option<String>,
    /// `browserIP`: IPv4 or IPv6 address, at most 45 characters; optional.
    #[serde(rename = "browserIP", default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// `browserJavaEnabled`: required when JavaScript is enabled (always in 2.1.0).
    #[serde(rename = "browserJavaEnabled", default, skip_serializing_if = "Option::is_none")]
    pub java_enabled: Option<bool>,
    /// `browserJavascriptEnabled`: required from 2.2.0.
    #[serde(rename = "browserJavascriptEnabled", default, skip_serializing_if = "Option::is_none")]
    pub javascript_enabled: Option<bool>,
    /// `browserLanguage`: BCP 47 tag, 1-8 characters (1-35 in 2.3.1); required up to 2.2.0.
    #[serde(rename = "browserLanguage", default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `browserColorDepth`: one of 1, 4, 8, 15, 16, 24, 32, 48; required with JavaScript.
    #[serde(rename = "browserColorDepth", default, skip_serializing_if = "Option::is_none")]
    pub color_depth: Option<String>,
    /// `browserScreenHeight`: 1-6 digits, pixels; required with JavaScript.
    #[serde(rename = "browserScreenHeight", default, skip_serializing_if = "Option::is_none")]
    pub screen_height: Option<String>,
    /// `browserScreenWidth`: 1-6 digits, pixels; required with JavaScript.
    #[serde(rename = "browserScreenWidth", default, skip_serializing_if = "Option::is_none")]
    pub screen_width: Option<String>,
    /// `browserTZ`: UTC offset in minutes, `^[+-]?[0-9]{1,4}$`; required with JavaScript.
    #[serde(rename = "browserTZ", default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    /// `browserUserAgent`: 1-2048 characters; always required.
    #[serde(rename = "browserUserAgent", default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// `acceptLanguage`: 1-99 tags of 1-100 characters; 2.3.1 only, required there.
    #[serde(rename = "acceptLanguage", default, skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<Vec<String>>,
}

/// Rule: the colour depths EMV allows (`browserColorDepth`).
pub const COLOR_DEPTHS: [i64; 8] = [1, 4, 8, 15, 16, 24, 32, 48];
/// Rule: `browserUserAgent` and `browserAcceptHeader` are at most 2048 characters.
pub const MAX_USER_AGENT: usize = 2048;
/// Rule: `browserIP` is at most 45 characters (IPv4 or IPv6).
pub const MAX_IP: usize = 45;
/// Rule: `acceptLanguage` has 1-99 entries of at most 100 characters.
pub const MAX_ACCEPT_LANGUAGES: usize = 99;
/// See [`MAX_ACCEPT_LANGUAGES`].
pub const MAX_ACCEPT_LANGUAGE_LEN: usize = 100;

/// Rule: `browserLanguage` is 1-8 characters up to 2.2.0, up to 35 in 2.3.1.
///
/// Sources disagree on 2.3.1 (one says 8); 35 follows the 2.3.1 field table.
pub fn max_language_len(version: MessageVersion) -> usize {
    match version {
        MessageVersion::V2_1_0 | MessageVersion::V2_2_0 => 8,
        MessageVersion::V2_3_1 => 35,
    }
}

/// Rounds a colour depth down to the nearest allowed value (30 -> 24); below 1 gives 1.
pub fn normalise_color_depth(depth: i64) -> i64 {
    COLOR_DEPTHS.into_iter().rev().find(|allowed| *allowed <= depth).unwrap_or(1)
}

/// Fits a BCP 47 tag to `max` characters: the whole tag if it fits, else its first
/// two subtags (`en-GB-oxendict` -> `en-GB`), else its first subtag, cut to `max`.
pub fn fit_language(tag: &str, max: usize) -> String {
    let tag = tag.trim();
    if tag.chars().count() <= max {
        return tag.to_owned();
    }
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default();
    let two = match subtags.next() {
        Some(second) => format!("{primary}-{second}"),
        None => primary.to_owned(),
    };
    if two.chars().count() <= max {
        return two;
    }
    primary.chars().take(max).collect()
}

/// Formats `getTimezoneOffset()` minutes as `browserTZ`: sign kept (UTC+5 is "-300"),
/// no plus sign, no padding; clamped to 4 digits.
pub fn format_timezone(offset_minutes: i64) -> String {
    offset_minutes.clamp(-9999, 9999).to_string()
}

/// Cuts `text` to at most `max_bytes` bytes, on a character boundary (which also
/// keeps it within `max_bytes` characters).
pub fn truncate_on_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A screen size as `^[0-9]{1,6}$`: negatives become 0, too large becomes 999999.
fn format_screen(pixels: i64) -> String {
    pixels.clamp(0, 999_999).to_string()
}

impl BrowserInfo {
    /// The fields as JSON, as its `Serialize` writes them (the SDK host app's wasm
    /// carries no serde impls): EMV names, absent fields left out.
    pub fn to_json(&self) -> String {
        ObjectWriter::new()
            .text("browserAcceptHeader", self.accept_header.as_deref())
            .text("browserIP", self.ip.as_deref())
            .boolean("browserJavaEnabled", self.java_enabled)
            .boolean("browserJavascriptEnabled", self.javascript_enabled)
            .text("browserLanguage", self.language.as_deref())
            .text("browserColorDepth", self.color_depth.as_deref())
            .text("browserScreenHeight", self.screen_height.as_deref())
            .text("browserScreenWidth", self.screen_width.as_deref())
            .text("browserTZ", self.tz.as_deref())
            .text("browserUserAgent", self.user_agent.as_deref())
            .texts("acceptLanguage", self.accept_language.as_deref())
            .finish()
    }

    /// Builds the EMV browser fields for `version` from raw readings, normalised:
    /// colour depth rounded down to an allowed value, language fitted to the
    /// version's length, timezone formatted, screen sizes as digits, user agent cut
    /// at 2048 on a character boundary, `acceptLanguage` (2.3.1) from the language list.
    ///
    /// With JavaScript disabled (2.2.0+), the fields that need it are left out.
    /// Accept header and IP are left to the server, which reads them from the request.
    pub fn from_readings(readings: &BrowserReadings, version: MessageVersion) -> Self {
        let script = readings.javascript_enabled || version == MessageVersion::V2_1_0;
        let language = fit_language(&readings.language, max_language_len(version));
        let accept_language = (version >= MessageVersion::V2_3_1).then(|| {
            let mut list: Vec<String> = readings
                .languages
                .iter()
                .map(|tag| tag.trim())
                .filter(|tag| !tag.is_empty())
                .map(|tag| truncate_on_char_boundary(tag, MAX_ACCEPT_LANGUAGE_LEN).to_owned())
                .take(MAX_ACCEPT_LANGUAGES)
                .collect();
            if list.is_empty() && !language.is_empty() {
                list.push(language.clone());
            }
            list
        });
        Self {
            accept_header: None,
            ip: None,
            java_enabled: script.then_some(readings.java_enabled),
            javascript_enabled: (version >= MessageVersion::V2_2_0).then_some(readings.javascript_enabled),
            language: (!language.is_empty()).then_some(language),
            color_depth: script.then(|| normalise_color_depth(readings.color_depth).to_string()),
            screen_height: script.then(|| format_screen(readings.screen_height)),
            screen_width: script.then(|| format_screen(readings.screen_width)),
            tz: script.then(|| format_timezone(readings.timezone_offset_minutes)),
            user_agent: Some(truncate_on_char_boundary(&readings.user_agent, MAX_USER_AGENT).to_owned()),
            accept_language,
        }
    }

    /// The fields `version` has, the others dropped: `browserJavascriptEnabled`
    /// exists from 2.2.0, `acceptLanguage` in 2.3.1 only. A server that received
    /// everything a browser reports sends the AReq of the card range's version this.
    pub fn for_version(self, version: MessageVersion) -> Self {
        Self {
            javascript_enabled: self.javascript_enabled.filter(|_| version >= MessageVersion::V2_2_0),
            accept_language: self.accept_language.filter(|_| version >= MessageVersion::V2_3_1),
            ..self
        }
    }

    /// Checks the fields against `version`'s rules; every violation is listed.
    ///
    /// Rules: a field the version does not have is a violation (203):
    /// `browserJavascriptEnabled` before 2.2.0, `acceptLanguage` before 2.3.1.
    /// 2.1.0 requires every field but `browserIP`; 2.2.0+ requires
    /// `browserJavascriptEnabled`, and with JavaScript enabled Java, colour depth,
    /// screen and timezone; `browserLanguage` is required up to 2.2.0 and
    /// `acceptLanguage` in 2.3.1. Formats as in the field table.
    pub fn validate(&self, version: MessageVersion) -> Result<(), BrowserInfoError> {
        let mut violations = Vec::new();
        let mut check = |field: &'static str, present: bool, required: bool, format_ok: bool, rule: &'static str| {
            if !present {
                if required {
                    violations.push(Violation::new(field, Rule::Missing));
                }
            } else if !format_ok {
                violations.push(Violation::new(field, Rule::Format(rule)));
            }
        };
        let script = match version {
            MessageVersion::V2_1_0 => true,
            _ => self.javascript_enabled.unwrap_or(false),
        };
        let text_ok = |value: &Option<String>, max: usize| value.as_deref().is_some_and(|v| !v.is_empty() && v.chars().count() <= max);

        check("browserAcceptHeader", self.accept_header.is_some(), true, text_ok(&self.accept_header, 2048), "1-2048 characters");
        check("browserUserAgent", self.user_agent.is_some(), true, text_ok(&self.user_agent, MAX_USER_AGENT), "1-2048 characters");
        check(
            "browserIP",
            self.ip.is_some(),
            false,
            self.ip.as_deref().is_some_and(|ip| ip.len() <= MAX_IP && ip.parse::<std::net::IpAddr>().is_ok()),
            "an IPv4 or IPv6 address, at most 45 characters",
        );
        if version >= MessageVersion::V2_2_0 {
            check("browserJavascriptEnabled", self.javascript_enabled.is_some(), true, true, "");
        }
        check("browserJavaEnabled", self.java_enabled.is_some(), script, true, "");
        let max_language = max_language_len(version);
        check(
            "browserLanguage",
            self.language.is_some(),
            version <= MessageVersion::V2_2_0,
            self.language.as_deref().is_some_and(|l| is_language_tag(l, max_language)),
            if max_language == 8 { "a BCP 47 tag of 1-8 characters" } else { "a BCP 47 tag of 1-35 characters" },
        );
        check(
            "browserColorDepth",
            self.color_depth.is_some(),
            script,
            self.color_depth.as_deref().is_some_and(|d| COLOR_DEPTHS.iter().any(|allowed| allowed.to_string() == d)),
            "one of 1, 4, 8, 15, 16, 24, 32, 48",
        );
        for (field, value) in [("browserScreenHeight", &self.screen_height), ("browserScreenWidth", &self.screen_width)] {
            check(field, value.is_some(), script, value.as_deref().is_some_and(|v| is_digits(v, 1, 6)), "1-6 digits");
        }
        check("browserTZ", self.tz.is_some(), script, self.tz.as_deref().is_some_and(is_timezone), "minutes, ^[+-]?[0-9]{1,4}$");
        if version >= MessageVersion::V2_3_1 {
            check(
                "acceptLanguage",
                self.accept_language.is_some(),
                true,
                self.accept_language.as_ref().is_some_and(|list| {
                    (1..=MAX_ACCEPT_LANGUAGES).contains(&list.len())
                        && list.iter().all(|tag| !tag.is_empty() && tag.chars().count() <= MAX_ACCEPT_LANGUAGE_LEN)
                }),
                "1-99 entries of 1-100 characters",
            );
        }
        if version < MessageVersion::V2_2_0 && self.javascript_enabled.is_some() {
            violations.push(Violation::new("browserJavascriptEnabled", Rule::NotInVersion));
        }
        if version < MessageVersion::V2_3_1 && self.accept_language.is_some() {
            violations.push(Violation::new("acceptLanguage", Rule::NotInVersion));
        }
        if violations.is_empty() { Ok(()) } else { Err(BrowserInfoError { version, violations }) }
    }
}

fn is_digits(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
}

fn is_timezone(value: &str) -> bool {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    is_digits(digits, 1, 4)
}

fn is_language_tag(value: &str, max: usize) -> bool {
    (1..=max).contains(&value.len()) && value.split('-').all(|subtag| !subtag.is_empty() && subtag.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// What a field breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Required in this version and absent (Erro 201).
    Missing,
    /// Present but not in the format the spec gives (Erro 203).
    Format(&'static str),
    /// Present, but not a field of the message's version, or of any version
    /// (Erro 203; 2.3.1's 207 "not defined for this message" is not in 2.1.0/2.2.0).
    NotInVersion,
}

/// One field and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The EMV field name (`browserTZ`), as the message spells it.
    pub field: Cow<'static, str>,
    /// The rule it breaks.
    pub rule: Rule,
}

impl Violation {
    /// `field` breaks `rule`.
    pub fn new(field: impl Into<Cow<'static, str>>, rule: Rule) -> Self {
        Self { field: field.into(), rule }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            Rule::Missing => write!(f, "{} is required", self.field),
            Rule::Format(rule) => write!(f, "{} must be {rule}", self.field),
            Rule::NotInVersion => write!(f, "{} is not a field of this messageVersion", self.field),
        }
    }
}

/// The browser data breaks the rules of its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserInfoError {
    /// The version whose rules were applied.
    pub version: MessageVersion,
    /// Every violation, in field-table order; never empty.
    pub violations: Vec<Violation>,
}

impl BrowserInfoError {
    /// Rule: a missing required element is Erro 201; otherwise a bad format is 203.
    pub fn erro_code(&self) -> ErrorCode {
        if self.violations.iter().any(|v| v.rule == Rule::Missing) { ErrorCode::RequiredElementMissing } else { ErrorCode::FormatInvalid }
    }

    /// The Erro `errorDetail`: the offending field names, comma-separated
    /// (the missing ones for 201, the invalid ones for 203).
    pub fn error_detail(&self) -> String {
        let missing = self.erro_code() == ErrorCode::RequiredElementMissing;
        self.violations.iter().filter(|v| (v.rule == Rule::Missing) == missing).map(|v| v.field.as_ref()).collect::<Vec<_>>().join(",")
    }
}

impl fmt::Display for BrowserInfoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "browser data invalid for {}: ", self.version)?;
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BrowserInfoError {}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageVersion::*;

    #[test]
    fn to_json_is_what_serde_writes() {
        let full = BrowserInfo {
            accept_header: Some("text/html".into()),
            ip: Some("192.0.2.1".into()),
            user_agent: Some("Mozilla/5.0 \"quoted\" \\ \u{1}".into()),
            ..BrowserInfo::from_readings(&readings(), V2_3_1)
        };
        for info in [BrowserInfo::default(), BrowserInfo::from_readings(&readings(), V2_1_0), BrowserInfo::from_readings(&readings(), V2_3_1), full] {
            assert_eq!(info.to_json(), serde_json::to_string(&info).unwrap());
        }
    }

    fn readings() -> BrowserReadings {
        BrowserReadings {
            java_enabled: false,
            javascript_enabled: true,
            language: "en-GB".into(),
            languages: vec!["en-GB".into(), "en".into(), "fr".into()],
            color_depth: 24,
            screen_height: 1080,
            screen_width: 1920,
            timezone_offset_minutes: -60,
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0".into(),
        }
    }

    fn complete(version: MessageVersion) -> BrowserInfo {
        let mut info = BrowserInfo::from_readings(&readings(), version);
        info.accept_header = Some("text/html".into());
        info.ip = Some("192.0.2.1".into());
        info
    }

    #[test]
    fn colour_depth_rounds_down_to_allowed() {
        assert_eq!(normalise_color_depth(30), 24);
        assert_eq!(normalise_color_depth(24), 24);
        assert_eq!(normalise_color_depth(47), 32);
        assert_eq!(normalise_color_depth(48), 48);
        assert_eq!(normalise_color_depth(64), 48);
        assert_eq!(normalise_color_depth(2), 1);
        assert_eq!(normalise_color_depth(0), 1);
        assert_eq!(normalise_color_depth(-5), 1);
        assert_eq!(normalise_color_depth(15), 15);
    }

    #[test]
    fn language_fits_the_version() {
        assert_eq!(fit_language("en-GB-oxendict", 8), "en-GB");
        assert_eq!(fit_language("en-GB-oxendict", 35), "en-GB-oxendict");
        assert_eq!(fit_language("en-US", 8), "en-US");
        assert_eq!(fit_language("zh-Hant-TW", 8), "zh-Hant");
        assert_eq!(fit_language("sgn-BE-FR", 8), "sgn-BE");
        assert_eq!(fit_language("abcdefghij", 8), "abcdefgh");
        assert_eq!(fit_language("abcdefghi-x", 8), "abcdefgh");
        assert_eq!(fit_language(&"a".repeat(40), 35).len(), 35);
    }

    #[test]
    fn timezone_sign_and_format() {
        // UTC+5 reads -300 from getTimezoneOffset and travels as "-300".
        assert_eq!(format_timezone(-300), "-300");
        assert_eq!(format_timezone(300), "300");
        assert_eq!(format_timezone(0), "0");
        assert_eq!(format_timezone(-840), "-840");
        assert_eq!(format_timezone(123_456), "9999");
        assert!(is_timezone("-300") && is_timezone("+60") && is_timezone("0"));
        assert!(!is_timezone("-") && !is_timezone("12345") && !is_timezone("1.5"));
    }

    #[test]
    fn user_agent_cut_on_a_char_boundary() {
        let ua = "é".repeat(1500); // 3000 bytes
        let cut = truncate_on_char_boundary(&ua, 2048);
        assert_eq!(cut.len(), 2048);
        let ua = format!("a{}", "é".repeat(1500)); // the boundary falls mid-character
        let cut = truncate_on_char_boundary(&ua, 2048);
        assert_eq!(cut.len(), 2047);
        assert!(cut.is_char_boundary(cut.len()));
        assert_eq!(truncate_on_char_boundary("short", 2048), "short");
        let info = BrowserInfo::from_readings(&BrowserReadings { user_agent: "x".repeat(5000), ..readings() }, V2_2_0);
        assert_eq!(info.user_agent.unwrap().len(), 2048);
    }

    #[test]
    fn screen_sizes_are_digits() {
        let info = BrowserInfo::from_readings(&BrowserReadings { screen_height: -1, screen_width: 12_345_678, ..readings() }, V2_1_0);
        assert_eq!(info.screen_height.as_deref(), Some("0"));
        assert_eq!(info.screen_width.as_deref(), Some("999999"));
    }

    #[test]
    fn built_info_is_valid_in_every_version() {
        for version in MessageVersion::ALL {
            complete(version).validate(version).unwrap_or_else(|e| panic!("{version}: {e}"));
        }
    }

    #[test]
    fn version_specific_fields() {
        let v210 = BrowserInfo::from_readings(&readings(), V2_1_0);
        assert_eq!(v210.javascript_enabled, None, "absent in 2.1.0");
        assert_eq!(v210.accept_language, None);
        let v220 = BrowserInfo::from_readings(&readings(), V2_2_0);
        assert_eq!(v220.javascript_enabled, Some(true));
        let v231 = BrowserInfo::from_readings(&readings(), V2_3_1);
        assert_eq!(v231.accept_language, Some(vec!["en-GB".into(), "en".into(), "fr".into()]));
        let json = serde_json::to_value(&v231).unwrap();
        assert_eq!(json["browserColorDepth"], "24", "numbers travel as strings");
        assert_eq!(json["browserTZ"], "-60");
    }

    #[test]
    fn v210_requires_everything() {
        let mut info = complete(V2_1_0);
        info.tz = None;
        info.color_depth = None;
        let error = info.validate(V2_1_0).unwrap_err();
        assert_eq!(error.erro_code(), ErrorCode::RequiredElementMissing);
        assert_eq!(error.error_detail(), "browserColorDepth,browserTZ");
        assert!(error.to_string().contains("browserTZ is required"), "{error}");
    }

    #[test]
    fn javascript_disabled_needs_less_from_220() {
        let no_script = BrowserReadings { javascript_enabled: false, ..readings() };
        for version in [V2_2_0, V2_3_1] {
            let mut info = BrowserInfo::from_readings(&no_script, version);
            info.accept_header = Some("text/html".into());
            assert_eq!(info.javascript_enabled, Some(false));
            assert_eq!((info.color_depth.as_ref(), info.tz.as_ref(), info.java_enabled), (None, None, None));
            info.validate(version).unwrap();
        }
        // But browserJavascriptEnabled itself is required from 2.2.0.
        let mut info = complete(V2_2_0);
        info.javascript_enabled = None;
        assert_eq!(info.validate(V2_2_0).unwrap_err().error_detail(), "browserJavascriptEnabled");
    }

    #[test]
    fn v231_requires_accept_language_not_browser_language() {
        let mut info = complete(V2_3_1);
        info.language = None;
        info.validate(V2_3_1).unwrap();
        info.accept_language = None;
        assert_eq!(info.validate(V2_3_1).unwrap_err().error_detail(), "acceptLanguage");
        info.accept_language = Some(vec!["x".repeat(101)]);
        let error = info.validate(V2_3_1).unwrap_err();
        assert_eq!((error.erro_code(), error.error_detail().as_str()), (ErrorCode::FormatInvalid, "acceptLanguage"));
        info.accept_language = Some(vec!["en".into(); 100]);
        assert!(info.validate(V2_3_1).is_err(), "100 entries is one too many");
    }

    #[test]
    fn fields_the_version_does_not_have_are_violations() {
        let everything = BrowserInfo { javascript_enabled: Some(true), accept_language: Some(vec!["en".into()]), ..complete(V2_1_0) };
        let error = everything.validate(V2_1_0).unwrap_err();
        assert_eq!((error.erro_code(), error.error_detail().as_str()), (ErrorCode::FormatInvalid, "browserJavascriptEnabled,acceptLanguage"));
        assert!(error.to_string().contains("acceptLanguage is not a field of this messageVersion"), "{error}");
        let error = everything.clone().validate(V2_2_0).unwrap_err();
        assert_eq!(error.error_detail(), "acceptLanguage");
        everything.clone().validate(V2_3_1).unwrap();
        // What a server sends for each version: only that version's fields.
        for version in MessageVersion::ALL {
            let sent = everything.clone().for_version(version);
            sent.validate(version).unwrap_or_else(|e| panic!("{version}: {e}"));
            assert_eq!(sent.javascript_enabled.is_some(), version >= V2_2_0, "{version}");
            assert_eq!(sent.accept_language.is_some(), version == V2_3_1, "{version}");
        }
    }

    #[test]
    fn formats_are_checked_with_field_names() {
        let mut info = complete(V2_2_0);
        info.color_depth = Some("30".into());
        info.screen_width = Some("1234567".into());
        info.tz = Some("UTC".into());
        info.language = Some("en-GB-oxendict".into());
        info.ip = Some("999.1.1.1".into());
        let error = info.validate(V2_2_0).unwrap_err();
        assert_eq!(error.erro_code(), ErrorCode::FormatInvalid);
        assert_eq!(error.error_detail(), "browserIP,browserLanguage,browserColorDepth,browserScreenWidth,browserTZ");
        // The same language is fine in 2.3.1.
        let mut info = complete(V2_3_1);
        info.language = Some("en-GB-oxendict".into());
        info.validate(V2_3_1).unwrap();
        let mut info = complete(V2_1_0);
        info.ip = Some("2001:db8::1".into());
        info.validate(V2_1_0).unwrap();
    }
}
