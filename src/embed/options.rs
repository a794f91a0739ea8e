//! The options a checkout page passes: read field by field from the JS object
//! (`read`, errors naming the option), then checked by pure rules (`check`, tested
//! natively), with the defaults of what a page leaves out.

use wasm_bindgen::JsValue;

use super::js::{Fields, cat};
use super::layout::Mode;

/// Default wait for the host frame's `ready`, ms.
pub const READY_TIMEOUT_MS: u32 = 10_000;
/// Default 3DS Method wait, ms (then the flow goes on with N).
pub const METHOD_TIMEOUT_MS: u32 = 10_000;
/// Default challenge timeout: 10 minutes.
pub const CHALLENGE_TIMEOUT_MS: u32 = 600_000;
/// What `runMethod` allows beyond its method timeout before the host frame counts as gone, ms.
pub const METHOD_MARGIN_MS: u32 = 5_000;
/// What `createSession` allows beyond its method timeout for the API calls, ms.
pub const SESSION_MARGIN_MS: u32 = 30_000;
/// The longest wait any option may ask for: a day, ms. With [`SESSION_MARGIN_MS`]
/// added it stays far below what a browser timer takes (2^31 - 1), which fires at
/// once instead of waiting when it overflows.
pub const MAX_TIMEOUT_MS: u32 = 86_400_000;

/// Why a URL (as the browser parsed it) is refused: not http(s), or http off
/// loopback (`localhost`, `127.0.0.1`, `[::1]`).
pub fn url_problem(protocol: &str, hostname: &str) -> Option<&'static str> {
    match protocol {
        "https:" => None,
        "http:" if matches!(hostname, "localhost" | "127.0.0.1" | "[::1]") => None,
        "http:" => Some(" must be an https URL (http only on localhost, 127.0.0.1 or [::1])"),
        _ => Some(" must be an absolute http(s) URL"),
    }
}

/// Checks a URL option, parsed by the browser, and gives its origin; the error
/// names the option.
pub fn check_url(name: &str, url: &str) -> Result<String, String> {
    let problem = match web_sys::Url::new(url) {
        Ok(parsed) => match url_problem(&parsed.protocol(), &parsed.hostname()) {
            None => return Ok(parsed.origin()),
            Some(problem) => problem,
        },
        Err(_) => " must be an absolute http(s) URL",
    };
    Err(cat(&[name, problem]))
}

/// A UUID in its canonical 8-4-4-4-12 hex form.
fn is_uuid(value: &str) -> bool {
    value.len() == 36 && value.bytes().enumerate().all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { b == b'-' } else { b.is_ascii_hexdigit() })
}

/// Safe as one URL path segment: 1 to 128 ASCII letters, digits, `-` or `_`.
fn is_path_segment(value: &str) -> bool {
    (1..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `ThreeDS.load`'s options.
pub struct LoadOptions {
    /// `apiBaseUrl`: the session API.
    pub api_base_url: String,
    /// `publishableKey`.
    pub publishable_key: String,
    /// `hostUrl`, resolved against the page's base URL by the caller.
    pub host_url: Option<String>,
    /// `readyTimeoutMs`.
    pub ready_timeout_ms: Option<u32>,
    /// `locale`: a language tag (`de`, `fr-CA`); default: the browser's languages.
    pub locale: Option<String>,
}

impl LoadOptions {
    /// Reads the options object.
    pub fn read(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value, "ThreeDS.load options")?;
        let options = Self {
            api_base_url: fields.required_string("apiBaseUrl")?,
            publishable_key: fields.required_string("publishableKey")?,
            host_url: fields.string("hostUrl")?,
            ready_timeout_ms: fields.millis("readyTimeoutMs")?,
            locale: fields.string("locale")?,
        };
        check_url("apiBaseUrl", &options.api_base_url)?;
        options.check()?;
        Ok(options)
    }

    /// A publishable key: never a secret one (`read` checks the URL).
    pub fn check(&self) -> Result<(), String> {
        if self.publishable_key.is_empty() {
            return Err("publishableKey is required".into());
        }
        if self.publishable_key.starts_with("sk_") {
            return Err("publishableKey: a secret key must never reach a browser".into());
        }
        Ok(())
    }
}

/// `createSession`'s options.
pub struct CreateSessionOptions {
    /// `pan`: the card number (test keys).
    pub pan: Option<String>,
    /// `tokenId`: a token of the card vault.
    pub token_id: Option<String>,
    /// `methodTimeoutMs`.
    pub method_timeout_ms: Option<u32>,
    /// `timeoutMs`: the whole call's limit.
    pub timeout_ms: Option<u32>,
}

impl CreateSessionOptions {
    /// Reads the options object and checks it.
    pub fn read(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value, "createSession options")?;
        Ok(Self {
            pan: fields.string("pan")?,
            token_id: fields.string("tokenId")?,
            method_timeout_ms: fields.millis("methodTimeoutMs")?,
            timeout_ms: fields.millis("timeoutMs")?,
        })
    }

    /// Exactly one way to name the card, and a raw card number only with a test key.
    pub fn check(&self, publishable_key: &str) -> Result<(), &'static str> {
        if self.pan.is_some() == self.token_id.is_some() {
            return Err("createSession needs exactly one of pan or tokenId");
        }
        if self.pan.is_some() && !publishable_key.starts_with("pk_test_") {
            return Err("pan: a raw card number needs a test key (pk_test_...); with a live key pass tokenId, \
                        so card numbers stay out of the checkout page (PCI DSS scope)");
        }
        Ok(())
    }

    /// The method wait, and the watchdog of the whole call (the method wait plus
    /// [`SESSION_MARGIN_MS`] unless given).
    pub fn timeouts(&self) -> (u32, u32) {
        let method = self.method_timeout_ms.unwrap_or(METHOD_TIMEOUT_MS);
        (method, self.timeout_ms.unwrap_or(method + SESSION_MARGIN_MS))
    }
}

/// `startChallenge`'s options (`container` is read apart: it is an element or a selector).
pub struct StartChallengeOptions {
    /// `sessionId`.
    pub session_id: String,
    /// `acsChallengeUrl`: where the CReq goes.
    pub acs_challenge_url: String,
    /// `acsTransactionId`.
    pub acs_transaction_id: String,
    /// `threeDSVersion`.
    pub three_ds_version: String,
    /// `threeDSServerTransId`.
    pub three_ds_server_trans_id: Option<String>,
    /// How it is shown.
    pub display: Display,
}

impl StartChallengeOptions {
    /// Reads the options object and checks it.
    pub fn read(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value, "startChallenge options")?;
        let options = Self {
            session_id: fields.required_string("sessionId")?,
            acs_challenge_url: fields.required_string("acsChallengeUrl")?,
            acs_transaction_id: fields.required_string("acsTransactionId")?,
            three_ds_version: fields.required_string("threeDSVersion")?,
            three_ds_server_trans_id: fields.string("threeDSServerTransId")?,
            display: Display::read(&fields)?,
        };
        check_url("acsChallengeUrl", &options.acs_challenge_url)?;
        options.check()?;
        Ok(options)
    }

    /// A known version and ids of the right form: the session id goes into a URL
    /// path (`read` checks the ACS URL).
    pub fn check(&self) -> Result<(), String> {
        check_version("threeDSVersion", &self.three_ds_version)?;
        if !is_uuid(&self.acs_transaction_id) {
            return Err("acsTransactionId must be a UUID".into());
        }
        if !self.three_ds_server_trans_id.as_deref().is_none_or(is_uuid) {
            return Err("threeDSServerTransId must be a UUID".into());
        }
        if !is_path_segment(&self.session_id) {
            return Err("sessionId must be 1 to 128 letters, digits, - or _".into());
        }
        Ok(())
    }
}

/// How a challenge (or a processor's page) is shown: `windowSize`, `mode`,
/// `timeoutMs` (`container` is read apart: it is an element or a selector).
pub struct Display {
    /// `windowSize`: a spec code or `auto`.
    pub window_size: Option<String>,
    /// `mode`.
    pub mode: Option<String>,
    /// `timeoutMs`.
    pub timeout_ms: Option<u32>,
}

impl Display {
    /// Reads `windowSize`, `mode` and `timeoutMs`.
    pub fn read(fields: &Fields) -> Result<Self, String> {
        Ok(Self { window_size: fields.string("windowSize")?, mode: fields.string("mode")?, timeout_ms: fields.millis("timeoutMs")? })
    }

    /// The mode: as given, else inline when the page gave a container, modal when not.
    pub fn mode(&self, has_container: bool) -> Result<Mode, String> {
        mode(self.mode.as_deref(), has_container)
    }

    /// The requested window size: a spec code, or `auto` when none is given.
    pub fn window_size(&self) -> &str {
        self.window_size.as_deref().unwrap_or("auto")
    }
}

fn mode(given: Option<&str>, has_container: bool) -> Result<Mode, String> {
    match (given, has_container) {
        (Some("inline"), _) | (None, true) => Ok(Mode::Inline),
        (Some("modal"), _) | (None, false) => Ok(Mode::Modal),
        (Some(other), _) => Err(cat(&["mode must be \"inline\" or \"modal\", not \"", other, "\""])),
    }
}

fn check_version(name: &str, version: &str) -> Result<(), String> {
    if matches!(version, "2.1.0" | "2.2.0" | "2.3.1") { Ok(()) } else { Err(cat(&[name, " must be 2.1.0, 2.2.0 or 2.3.1"])) }
}

/// A backend-agnostic call's options: the host reads and checks them (the
/// contracts crate's `calls`); the embed reads what it acts on itself (how the
/// frame is shown, its own timers) and forwards the object as JSON text.
pub struct CallOptions {
    /// The options object, as `JSON.stringify` wrote it.
    pub json: String,
    /// How a frame is shown (`challenge`, `presentAuthentication`), and `timeoutMs`.
    pub display: Display,
}

impl CallOptions {
    /// Reads `value`, the options object of `call`.
    pub fn read(value: &JsValue, call: &'static str) -> Result<Self, String> {
        let fields = Fields::of(value, call)?;
        let display = Display::read(&fields)?;
        let json = js_sys::JSON::stringify(value)
            .ok()
            .and_then(|json| json.as_string())
            .ok_or_else(|| cat(&[call, " options cannot be written as JSON"]))?;
        Ok(Self { json, display })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACS_TRANS_ID: &str = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";

    fn load(api_base_url: &str, publishable_key: &str) -> LoadOptions {
        LoadOptions {
            api_base_url: api_base_url.into(),
            publishable_key: publishable_key.into(),
            host_url: None,
            ready_timeout_ms: None,
            locale: None,
        }
    }

    fn challenge(acs_challenge_url: &str, mode: Option<&str>) -> StartChallengeOptions {
        StartChallengeOptions {
            session_id: "0b0e4f0e-5c0e-4c8e-9d55-2f0c7d3f7a10".into(),
            acs_challenge_url: acs_challenge_url.into(),
            acs_transaction_id: ACS_TRANS_ID.into(),
            three_ds_version: "2.2.0".into(),
            three_ds_server_trans_id: None,
            display: Display { window_size: None, mode: mode.map(str::to_owned), timeout_ms: None },
        }
    }

    fn err(message: &str) -> Result<(), String> {
        Err(message.to_owned())
    }

    #[test]
    fn load_needs_a_publishable_key() {
        assert_eq!(load("https://api.example", "pk_test").check(), Ok(()));
        assert_eq!(load("https://api.example", "").check(), err("publishableKey is required"));
        assert_eq!(load("https://api.example", "sk_test_x").check(), err("publishableKey: a secret key must never reach a browser"));
    }

    #[test]
    fn urls_are_https_except_on_loopback() {
        for (protocol, host) in [("https:", "api.example"), ("http:", "localhost"), ("http:", "127.0.0.1"), ("http:", "[::1]")] {
            assert_eq!(url_problem(protocol, host), None, "{protocol}{host}");
        }
        for host in ["api.example", "localhost.evil.example", "127.0.0.2", "[::2]", "127.0.0.1.nip.io"] {
            assert_eq!(url_problem("http:", host), Some(" must be an https URL (http only on localhost, 127.0.0.1 or [::1])"), "{host}");
        }
        for protocol in ["javascript:", "data:", "file:", "blob:"] {
            assert_eq!(url_problem(protocol, ""), Some(" must be an absolute http(s) URL"), "{protocol}");
        }
    }

    #[test]
    fn messages_are_joined_without_the_formatting_machinery() {
        assert_eq!(cat(&["a", "", "bc"]), "abc");
    }

    #[test]
    fn a_session_names_its_card_exactly_once_and_a_raw_pan_needs_a_test_key() {
        let options = |pan: Option<&str>, token: Option<&str>| CreateSessionOptions {
            pan: pan.map(str::to_owned),
            token_id: token.map(str::to_owned),
            method_timeout_ms: None,
            timeout_ms: None,
        };
        assert_eq!(options(Some("4000020000000000"), None).check("pk_test_x"), Ok(()));
        assert_eq!(options(None, Some("tok_1")).check("pk_test_x"), Ok(()));
        assert_eq!(options(None, Some("tok_1")).check("pk_live_x"), Ok(()));
        let live = options(Some("4000020000000000"), None).check("pk_live_x").unwrap_err();
        assert!(live.starts_with("pan: ") && live.contains("tokenId") && live.contains("PCI"), "{live}");
        assert!(options(Some("4000020000000000"), None).check("pk_x").is_err(), "only a test key takes a raw pan");
        assert!(options(None, None).check("pk_test_x").is_err());
        assert!(options(Some("4000020000000000"), Some("tok_1")).check("pk_test_x").is_err());
    }

    #[test]
    fn the_session_watchdog_never_overflows_a_timer() {
        let options = |method: Option<u32>, timeout: Option<u32>| CreateSessionOptions {
            pan: None,
            token_id: Some("tok".into()),
            method_timeout_ms: method,
            timeout_ms: timeout,
        };
        assert_eq!(options(None, None).timeouts(), (METHOD_TIMEOUT_MS, METHOD_TIMEOUT_MS + SESSION_MARGIN_MS));
        assert_eq!(options(Some(5), Some(300)).timeouts(), (5, 300));
        let (_, watchdog) = options(Some(MAX_TIMEOUT_MS), None).timeouts();
        assert!(watchdog <= i32::MAX as u32, "a browser timer fires at once past 2^31 - 1");
    }

    #[test]
    fn a_challenge_has_a_known_version_and_well_formed_ids() {
        assert_eq!(challenge("http://127.0.0.1:8182/challenge", None).check(), Ok(()));
        let acs = "https://acs.example/";
        let with = |change: &dyn Fn(&mut StartChallengeOptions)| {
            let mut options = challenge(acs, None);
            change(&mut options);
            options.check()
        };
        assert_eq!(with(&|o| o.three_ds_version = "2.3.1".into()), Ok(()));
        assert_eq!(with(&|o| o.three_ds_version = "2.1.0".into()), Ok(()));
        assert_eq!(with(&|o| o.three_ds_version = "2.4.0".into()), err("threeDSVersion must be 2.1.0, 2.2.0 or 2.3.1"));
        assert_eq!(with(&|o| o.acs_transaction_id = "not-a-uuid".into()), err("acsTransactionId must be a UUID"));
        assert_eq!(with(&|o| o.acs_transaction_id = ACS_TRANS_ID.replace('-', "x")), err("acsTransactionId must be a UUID"));
        assert_eq!(with(&|o| o.three_ds_server_trans_id = Some("x".into())), err("threeDSServerTransId must be a UUID"));
        assert_eq!(with(&|o| o.three_ds_server_trans_id = Some(ACS_TRANS_ID.into())), Ok(()));
        let segment = err("sessionId must be 1 to 128 letters, digits, - or _");
        for bad in ["", "..", "a/b", "a?b", "a#b", "%2e%2e", "x y", &"a".repeat(129)] {
            assert_eq!(with(&|o| o.session_id = bad.into()), segment, "{bad:?}");
        }
        assert_eq!(with(&|o| o.session_id = "sess_ABC-123".into()), Ok(()));
    }

    #[test]
    fn the_mode_follows_the_container_unless_given() {
        assert_eq!(challenge("http://acs/", None).display.mode(true), Ok(Mode::Inline));
        assert_eq!(challenge("http://acs/", None).display.mode(false), Ok(Mode::Modal));
        assert_eq!(challenge("http://acs/", Some("modal")).display.mode(true), Ok(Mode::Modal));
        assert_eq!(challenge("http://acs/", Some("inline")).display.mode(false), Ok(Mode::Inline));
        assert_eq!(challenge("http://acs/", Some("popup")).display.mode(true), Err("mode must be \"inline\" or \"modal\", not \"popup\"".to_owned()));
        assert_eq!(challenge("http://acs/", None).display.window_size(), "auto");
    }
}
