//! A JSON object's members, read without building a `serde_json::Value`: string
//! and null members are read, every other value is kept as its raw JSON text
//! (checked, not interpreted: no number is parsed). For readers that look at a
//! few string fields of an object (the SDK host app's, whose wasm is
//! size-budgeted: serde_json's parser and serde's impls would be most of its JSON
//! code). The syntax is checked here, as RFC 8259 and serde_json have it; a
//! property test holds the two to the same answers. [`ObjectWriter`] is the other
//! way: an object written member by member, as serde writes it.

use std::fmt;

/// A member's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    /// `null`.
    Null,
    /// A string, as written (escapes included); [`Member::text`] reads it.
    Str(&'a str),
    /// Any other value (number, boolean, array, object), as written.
    Other(&'a str),
}

impl<'a> Member<'a> {
    fn of(raw: &'a str) -> Self {
        match raw.as_bytes().first() {
            Some(b'"') => Self::Str(raw),
            Some(b'n') => Self::Null,
            _ => Self::Other(raw),
        }
    }

    /// The string, unescaped; `None` for any other value, and for a string with a
    /// `\u` escape of half a surrogate pair (no Rust string can hold one).
    pub fn text(self) -> Option<String> {
        match self {
            Self::Str(raw) => unescape(raw),
            _ => None,
        }
    }

    /// The value as written.
    pub fn raw(self) -> &'a str {
        match self {
            Self::Null => "null",
            Self::Str(raw) | Self::Other(raw) => raw,
        }
    }
}

/// Text that is not the JSON asked for: where reading stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson {
    /// The byte offset at fault.
    pub at: usize,
}

impl fmt::Display for NotJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not the JSON expected, at byte {}", self.at)
    }
}

impl std::error::Error for NotJson {}

/// A JSON object's members, in the order written (duplicates included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members<'a>(pub Vec<(String, Member<'a>)>);

impl<'a> Members<'a> {
    /// Reads a JSON object; anything else (not JSON, not an object) is an error.
    pub fn parse(json: &'a str) -> Result<Self, NotJson> {
        let mut scanner = Scanner { text: json, at: 0 };
        let mut members = Vec::new();
        scanner.whole(|scanner| {
            scanner.items(b'{', b'}', |scanner| {
                let (key, value) = scanner.member(2)?;
                members.push((unescape(key).ok_or(NotJson { at: scanner.at })?, Member::of(value)));
                Ok(())
            })
        })?;
        Ok(Self(members))
    }

    /// The member called `name` (the last one, as a map would keep it).
    pub fn get(&self, name: &str) -> Option<Member<'a>> {
        self.0.iter().rev().find(|(key, _)| key == name).map(|(_, member)| *member)
    }

    /// The string member called `name`; `None` when absent or not a string.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)?.text()
    }

    /// How many members are called `name`.
    pub fn count(&self, name: &str) -> usize {
        self.0.iter().filter(|(key, _)| key == name).count()
    }
}

/// A JSON array's items, each as written; anything else is an error.
pub fn array_items(json: &str) -> Result<Vec<&str>, NotJson> {
    let mut scanner = Scanner { text: json, at: 0 };
    let mut items = Vec::new();
    scanner.whole(|scanner| {
        scanner.items(b'[', b']', |scanner| {
            items.push(scanner.value(2)?);
            Ok(())
        })
    })?;
    Ok(items)
}

/// How deep arrays and objects may nest, exclusive (serde_json's limit for the
/// values it reads into types): deeper input is refused rather than recursed into.
const MAX_DEPTH: usize = 128;

/// Reads JSON text byte by byte, checking its syntax.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn fail<T>(&self) -> Result<T, NotJson> {
        Err(NotJson { at: self.at })
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn byte(&mut self, expected: u8) -> Result<(), NotJson> {
        if self.peek() != Some(expected) {
            return self.fail();
        }
        self.at += 1;
        Ok(())
    }

    /// `read`, with nothing but whitespace around it.
    fn whole(&mut self, read: impl FnOnce(&mut Self) -> Result<(), NotJson>) -> Result<(), NotJson> {
        self.space();
        read(self)?;
        self.space();
        if self.at != self.text.len() {
            return self.fail();
        }
        Ok(())
    }

    /// `open`, items read by `item` and separated by commas, `close`.
    fn items(&mut self, open: u8, close: u8, mut item: impl FnMut(&mut Self) -> Result<(), NotJson>) -> Result<(), NotJson> {
        self.byte(open)?;
        self.space();
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.space();
            item(self)?;
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(byte) if byte == close => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return self.fail(),
            }
        }
    }

    /// Any value, at nesting level `depth` (the outermost object or array is 1);
    /// its text, without the whitespace around it.
    fn value(&mut self, depth: usize) -> Result<&'a str, NotJson> {
        self.space();
        let start = self.at;
        match self.peek() {
            Some(b'"') => self.string().map(drop)?,
            Some(open @ (b'{' | b'[')) if depth < MAX_DEPTH => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.items(
                    open,
                    close,
                    |scanner| {
                        if open == b'{' { scanner.member(depth + 1).map(drop) } else { scanner.value(depth + 1).map(drop) }
                    },
                )?;
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.word("true")?,
            Some(b'f') => self.word("false")?,
            Some(b'n') => self.word("null")?,
            _ => return self.fail(),
        }
        Ok(&self.text[start..self.at])
    }

    /// An object's member, its value at nesting level `depth`: its key's text
    /// (quotes included) and its value's.
    fn member(&mut self, depth: usize) -> Result<(&'a str, &'a str), NotJson> {
        let key = self.string()?;
        self.space();
        self.byte(b':')?;
        Ok((key, self.value(depth)?))
    }

    fn word(&mut self, word: &str) -> Result<(), NotJson> {
        if !self.text[self.at..].starts_with(word) {
            return self.fail();
        }
        self.at += word.len();
        Ok(())
    }

    fn digits(&mut self) -> Result<(), NotJson> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return self.fail();
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        Ok(())
    }

    /// `-`? (`0` | a digit 1-9 and more digits) (`.` digits)? (`e` or `E`, a sign?, digits)?
    fn number(&mut self) -> Result<(), NotJson> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        if self.peek() == Some(b'0') {
            self.at += 1;
        } else {
            self.digits()?;
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digits()?;
        }
        Ok(())
    }

    /// A string (no raw control characters, only JSON's escapes); its text, quotes included.
    fn string(&mut self) -> Result<&'a str, NotJson> {
        let start = self.at;
        self.byte(b'"')?;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(&self.text[start..self.at]);
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.at += 1,
                        Some(b'u') => {
                            self.at += 1;
                            for _ in 0..4 {
                                if !self.peek().is_some_and(|byte| byte.is_ascii_hexdigit()) {
                                    return self.fail();
                                }
                                self.at += 1;
                            }
                        }
                        _ => return self.fail(),
                    }
                }
                Some(0x20..) => self.at += 1,
                _ => return self.fail(),
            }
        }
    }
}

/// A string's text (quotes included, its syntax checked) unescaped; `None` for a
/// `\u` escape of half a surrogate pair.
fn unescape(raw: &str) -> Option<String> {
    let inner = raw.get(1..raw.len().checked_sub(1)?)?;
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        let escaped = match chars.next()? {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let unit = hex4(&mut chars)?;
                if (0xD800..=0xDBFF).contains(&unit) {
                    if chars.next()? != '\\' || chars.next()? != 'u' {
                        return None;
                    }
                    let low = hex4(&mut chars).filter(|low| (0xDC00..=0xDFFF).contains(low))?;
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(unit)?
                }
            }
            other => other,
        };
        text.push(escaped);
    }
    Some(text)
}

/// The four hex digits of a `\u` escape, as a UTF-16 code unit.
fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let unit = u32::from_str_radix(chars.as_str().get(..4)?, 16).ok()?;
    chars.nth(3);
    Some(unit)
}

/// A JSON object written member by member, in the order given, with the text
/// serde_json writes for the same members (so a hand-written form and a type's
/// `Serialize` can be compared byte for byte).
#[derive(Debug)]
pub struct ObjectWriter {
    json: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl ObjectWriter {
    /// An object with no members yet.
    pub fn new() -> Self {
        Self { json: String::from("{") }
    }

    fn name(&mut self, name: &str) -> &mut String {
        if self.json.len() > 1 {
            self.json.push(',');
        }
        write_string(&mut self.json, name);
        self.json.push(':');
        &mut self.json
    }

    /// A string member; none when `value` is `None` (serde's `skip_serializing_if`).
    pub fn text(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            write_string(self.name(name), value);
        }
        self
    }

    /// A boolean member; none when `value` is `None`.
    pub fn boolean(&mut self, name: &str, value: Option<bool>) -> &mut Self {
        if let Some(value) = value {
            self.name(name).push_str(if value { "true" } else { "false" });
        }
        self
    }

    /// An array of strings; none when `values` is `None`.
    pub fn texts(&mut self, name: &str, values: Option<&[String]>) -> &mut Self {
        if let Some(values) = values {
            let json = self.name(name);
            json.push('[');
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                write_string(json, value);
            }
            json.push(']');
        }
        self
    }

    /// A member whose value is JSON already written (an object of its own);
    /// none when `json` is `None`.
    pub fn raw(&mut self, name: &str, json: Option<&str>) -> &mut Self {
        if let Some(json) = json {
            self.name(name).push_str(json);
        }
        self
    }

    /// The object's JSON text.
    pub fn finish(&mut self) -> String {
        let mut json = std::mem::take(&mut self.json);
        json.push('}');
        json
    }
}

/// A JSON string: quotes, backslashes and control characters escaped as serde_json
/// escapes them (`\n`, `\u001f`); everything else as it is.
pub fn write_string(json: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    json.push('"');
    for c in value.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            '\n' => json.push_str("\\n"),
            '\r' => json.push_str("\\r"),
            '\t' => json.push_str("\\t"),
            '\u{8}' => json.push_str("\\b"),
            '\u{c}' => json.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                json.push_str("\\u00");
                json.push(char::from(HEX[(u32::from(c) >> 4) as usize]));
                json.push(char::from(HEX[(u32::from(c) & 0xf) as usize]));
            }
            c => json.push(c),
        }
    }
    json.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strings_and_keeps_the_rest_raw() {
        let json = r#" {"a": "x\u00e9", "n": null, "b": [1, 2.50], "c": {"d": "e"}, "a": "last", "t": true} "#;
        let members = Members::parse(json).unwrap();
        assert_eq!(members.text("a").as_deref(), Some("last"));
        assert_eq!(members.get("n"), Some(Member::Null));
        assert_eq!(members.get("b").map(Member::raw), Some("[1, 2.50]"));
        assert_eq!(members.text("b"), None);
        assert_eq!(Members::parse(members.get("c").unwrap().raw()).unwrap().text("d").as_deref(), Some("e"));
        assert_eq!(members.get("t").map(Member::raw), Some("true"));
        assert_eq!(members.get("missing"), None);
        assert_eq!(members.count("a"), 2);
        assert_eq!(members.0[0].1.text().as_deref(), Some("x\u{e9}"));
    }

    #[test]
    fn refuses_what_is_not_an_object() {
        for json in ["[1]", "\"s\"", "1", "null", "{", "{\"a\":}", "{\"a\":1} x", "{\"a\":01}"] {
            assert!(Members::parse(json).is_err(), "{json}");
        }
        assert_eq!(Members::parse("{}").unwrap(), Members::default());
    }

    #[test]
    fn deep_nesting_is_refused_without_recursing_into_it() {
        let nested = |depth: usize| format!("{{\"a\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
        assert!(Members::parse(&nested(MAX_DEPTH - 2)).is_ok());
        assert!(serde_json::from_str::<serde_json::Value>(&nested(MAX_DEPTH - 2)).is_ok());
        assert!(Members::parse(&nested(MAX_DEPTH - 1)).is_err());
        assert!(serde_json::from_str::<serde_json::Value>(&nested(MAX_DEPTH - 1)).is_err());
        assert!(Members::parse(&nested(1_000_000)).is_err());
        assert_eq!(array_items(&format!("[{}]", nested(MAX_DEPTH - 3))).map(|items| items.len()), Ok(1));
        assert!(array_items(&format!("[{}]", nested(MAX_DEPTH - 2))).is_err());
    }

    #[test]
    fn half_a_surrogate_pair_is_no_text() {
        let members = Members::parse(r#"{"pair": "\ud83d\ude00", "high": "\ud83d", "low": "\ude00", "high then letter": "\ud83dx"}"#).unwrap();
        assert_eq!(members.text("pair").as_deref(), Some("\u{1F600}"));
        for name in ["high", "low", "high then letter"] {
            assert_eq!(members.text(name), None, "{name}");
            assert!(members.get(name).is_some(), "{name}");
        }
        assert!(Members::parse(r#"{"\ud83d": 1}"#).is_err(), "a key no string can hold");
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let odd = "quote \" backslash \\ newline \n tab \t bell \u{7} unit \u{1f} del \u{7f} \u{e9} \u{1f600} </script>";
        let values = vec![odd.to_owned(), String::new()];
        let json = ObjectWriter::new()
            .text("a", Some(odd))
            .text("skipped", None)
            .boolean("t", Some(true))
            .boolean("f", Some(false))
            .boolean("none", None)
            .texts("list", Some(&values))
            .texts("empty", Some(&[]))
            .raw("nested", Some(&ObjectWriter::new().text(odd, Some("x")).finish()))
            .raw("gone", None)
            .finish();
        let expected = serde_json::json!({
            "a": odd, "t": true, "f": false, "list": values, "empty": [], "nested": { odd: "x" },
        });
        assert_eq!(json, serde_json::to_string(&expected).unwrap());
        assert_eq!(ObjectWriter::new().finish(), "{}");
    }
}
