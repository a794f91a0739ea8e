//! A JSON object's members, read without building a `serde_json::Value`: string
//! and null members are read, every other value is kept as its raw JSON text
//! (checked, not interpreted: no number is parsed). For readers that look at a
//! few string fields of an object (the SDK host app's, whose wasm is
//! size-budgeted: `Value`, and serde's buffering of flattened fields, are most of
//! its JSON code).

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
}
