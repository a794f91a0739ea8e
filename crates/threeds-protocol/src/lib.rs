//! EMV 3-D Secure 2.x browser-flow messages as typed, validated Rust.
//!
//! Pure logic: no I/O, no clocks, no randomness; builds for native and wasm32.
//! Both the browser crate and the mock backend use these types, so a message one
//! side writes is exactly what the other side reads.
//!
//! - [`messages`]: AReq/ARes, CReq/CRes, RReq/RRes, PReq/PRes, [`Erro`], 3DS Method data;
//!   fields not modelled are kept, so parse + serialise gives an equal JSON value.
//! - [`codes`]: the coded values with the versions that allow them.
//! - [`browser`]: browser data from raw readings, normalised and validated per version.
//! - [`codec`]: base64url, strict when writing, lenient and bounded when reading.
//! - [`handoff`]: the result as Stripe's "import 3DS results" parameters.
//! - [`members`]: a JSON object's string members, read without `serde_json::Value`.

#![deny(missing_docs)]

pub mod browser;
pub mod codec;
pub mod codes;
pub mod erro;
pub mod handoff;
pub mod members;
pub mod messages;
pub mod scheme;
pub mod version;
pub mod window;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use browser::{BrowserInfo, BrowserInfoError, BrowserReadings};
pub use codes::{
    AuthenticationType, ChallengeCancel, ChallengeCompletionInd, ChallengeIndicator, DeviceChannel, MessageCategory, ResultsStatus, ThreeDSCompInd,
    TransStatus, TransStatusReason,
};
pub use erro::{Erro, ErrorCode, ErrorComponent};
pub use handoff::{AuthenticationResult, HandoffError, StripeThreeDSecure};
pub use messages::Message;
pub use scheme::CardScheme;
pub use version::MessageVersion;
pub use window::ChallengeWindowSize;

/// Why a message or value could not be read or built. Every variant names the
/// field or limit at fault; [`ProtocolError::erro_code`] gives the EMV error code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtocolError {
    /// Erro 102.
    #[error("{}", version::Unsupported(.0))]
    UnsupportedVersion(String),
    /// Erro 201.
    #[error("required element {0} is missing")]
    Missing(String),
    /// Erro 203.
    #[error("{field} has unknown code {value:?}")]
    UnknownCode {
        /// The EMV field name.
        field: &'static str,
        /// The code as received.
        value: String,
    },
    /// Erro 203.
    #[error("{field} {rule}")]
    Invalid {
        /// The EMV field name.
        field: &'static str,
        /// The rule it breaks, as a phrase ("must be a string").
        rule: String,
    },
    /// Erro 201 or 203.
    #[error(transparent)]
    Browser(#[from] BrowserInfoError),
    /// Erro 101.
    #[error("messageType {0:?} is not an EMV 3DS message this crate reads")]
    UnknownMessageType(String),
    /// Erro 101.
    #[error("not valid JSON for this message: {0}")]
    Json(String),
    /// Erro 101.
    #[error("not valid base64: {0}")]
    Base64(String),
    /// Erro 101.
    #[error("too large: {actual} bytes where at most {limit} are accepted")]
    TooLarge {
        /// The most bytes accepted.
        limit: usize,
        /// The bytes received.
        actual: usize,
    },
    /// Not a wire error: a result that cannot go to the processor.
    #[error(transparent)]
    Handoff(HandoffError),
}

/// A card number (`acctNumber`). `Debug` and `Display` mask it (first six, last
/// four), so it never reaches a log whole; [`CardNumber::expose`] gives the digits.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardNumber(String);

impl CardNumber {
    /// Wraps a card number as given (validation is the caller's: see [`CardNumber::parse`]).
    pub fn new(pan: impl Into<String>) -> Self {
        Self(pan.into())
    }

    /// A card number of 12-19 digits. The Luhn check is not applied: test ranges
    /// carry Luhn-invalid numbers on purpose ([`scheme::luhn_valid`] tells).
    pub fn parse(pan: &str) -> Result<Self, InvalidCardNumber> {
        if (12..=19).contains(&pan.len()) && pan.bytes().all(|b| b.is_ascii_digit()) { Ok(Self(pan.to_owned())) } else { Err(InvalidCardNumber) }
    }

    /// The last four digits, which may be shown.
    pub fn last4(&self) -> &str {
        self.0.get(self.0.len().saturating_sub(4)..).unwrap_or_default()
    }

    /// The full digits, for the one place that must send them on.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The masked form.
    pub fn masked(&self) -> String {
        scheme::mask_pan(&self.0)
    }
}

/// A card number that is not 12-19 digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be 12-19 digits")]
pub struct InvalidCardNumber;

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({})", self.masked())
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_number_never_prints_whole() {
        let pan = CardNumber::new("4000020000000000");
        assert_eq!(format!("{pan:?}"), "CardNumber(400002******0000)");
        assert_eq!(pan.to_string(), "400002******0000");
        assert_eq!(pan.expose(), "4000020000000000");
        assert_eq!(pan.last4(), "0000");
        assert_eq!(serde_json::to_string(&pan).unwrap(), "\"4000020000000000\"");
    }

    #[test]
    fn card_numbers_are_12_to_19_digits() {
        assert!(CardNumber::parse("400002000000").is_ok());
        assert!(CardNumber::parse("4000020000000000123").is_ok());
        for bad in ["40000200000", "40000200000000001234", "4000 0200 0000 0000", "400002000000000x", ""] {
            assert_eq!(CardNumber::parse(bad).unwrap_err(), InvalidCardNumber, "{bad}");
        }
    }
}
