//! `messageVersion`: the protocol versions this crate speaks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ProtocolError;

/// An EMV 3DS protocol version in scope: 2.1.0, 2.2.0 or 2.3.1.
///
/// Rule: any other `messageVersion` is answered with Erro 102 (message version not supported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageVersion {
    /// 2.1.0: every browser field required.
    V2_1_0,
    /// 2.2.0: adds `browserJavascriptEnabled`, decoupled and informational outcomes.
    V2_2_0,
    /// 2.3.1: adds `acceptLanguage`, SPC (`S`), longer `browserLanguage`.
    V2_3_1,
}

impl MessageVersion {
    /// Every supported version, oldest first.
    pub const ALL: [Self; 3] = [Self::V2_1_0, Self::V2_2_0, Self::V2_3_1];

    /// The wire form, e.g. `"2.2.0"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2_1_0 => "2.1.0",
            Self::V2_2_0 => "2.2.0",
            Self::V2_3_1 => "2.3.1",
        }
    }
}

impl fmt::Display for MessageVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MessageVersion {
    type Err = ProtocolError;

    /// Parses the wire form; anything else is [`ProtocolError::UnsupportedVersion`] (Erro 102).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|version| version.as_str() == s).ok_or_else(|| ProtocolError::UnsupportedVersion(s.chars().take(16).collect()))
    }
}

impl Serialize for MessageVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MessageVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = std::borrow::Cow::<str>::deserialize(deserializer)?;
        // Only this error's words: the whole `ProtocolError` display is several
        // kilobytes of the SDK host app's wasm.
        raw.parse().map_err(|_| serde::de::Error::custom(Unsupported(&raw.chars().take(16).collect::<String>())))
    }
}

/// The words of [`ProtocolError::UnsupportedVersion`] about a version as received.
pub(crate) struct Unsupported<'a>(pub(crate) &'a str);

impl fmt::Display for Unsupported<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "messageVersion {:?} is not supported (2.1.0, 2.2.0 or 2.3.1)", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly_the_supported_versions() {
        for version in MessageVersion::ALL {
            assert_eq!(version.as_str().parse::<MessageVersion>().unwrap(), version);
        }
        for bad in ["2.0.0", "2.3.0", "2.1", "2.1.0 ", "", "3.0.0"] {
            assert!(matches!(bad.parse::<MessageVersion>(), Err(ProtocolError::UnsupportedVersion(_))), "{bad}");
        }
        assert!(MessageVersion::V2_1_0 < MessageVersion::V2_3_1);
        let error = serde_json::from_str::<MessageVersion>("\"2.0.0\"").unwrap_err().to_string();
        assert!(error.starts_with(&"2.0.0".parse::<MessageVersion>().unwrap_err().to_string()), "{error}");
        assert!(error.starts_with("messageVersion \"2.0.0\" is not supported (2.1.0, 2.2.0 or 2.3.1)"), "{error}");
    }
}
