//! A JSON object's members, read without building a `serde_json::Value`: string
//! and null members are read, every other value is kept as its raw JSON text
//! (checked, not interpreted: no number is parsed). For readers that look at a
//! few string fields of an object (the SDK host app's, whose wasm is
//! size-budgeted: `Value`, and serde's buffering of flattened fields, are most of
//! its JSON code). [`ObjectWriter`] is the other way: an object written member
//! by member, as serde writes it, without a `Serialize` impl per type.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

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
    fn of(raw: &'a RawValue) -> Self {
        let raw = raw.get();
        match raw.as_bytes().first() {
            Some(b'"') => Self::Str(raw),
            Some(b'n') => Self::Null,
            _ => Self::Other(raw),
        }
    }

    /// The string, unescaped; `None` for any other value.
    pub fn text(self) -> Option<String> {
        match self {
            Self::Str(raw) => serde_json::from_str(raw).ok(),
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

/// A JSON object's members, in the order written (duplicates included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members<'a>(pub Vec<(String, Member<'a>)>);

impl<'a> Members<'a> {
    /// Reads a JSON object; anything else (not JSON, not an object) is an error.
    pub fn parse(json: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
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

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
                    members.push((key, Member::of(value)));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
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
fn write_string(json: &mut String, value: &str) {
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
