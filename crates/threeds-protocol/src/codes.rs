//! The coded values of EMV 3DS messages, with their wire codes and the versions
//! that allow them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{MessageVersion, ProtocolError};

/// `Display` and serde's `Serialize` through a code type's `code()`.
macro_rules! written_as_code {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }
    };
}
pub(crate) use written_as_code;

/// Defines a closed set of wire codes: the enum, `code()`, `from_code()`, `since()`
/// and serde through the code, so every value and its version live on one line.
macro_rules! wire_codes {
    (
        $(#[$meta:meta])*
        $name:ident, field $field:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal since $since:ident, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in wire-code order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant, )+ ];
            /// The EMV field this value travels in.
            pub const FIELD: &'static str = $field;

            /// The wire code.
            pub fn code(self) -> &'static str {
                match self { $( Self::$variant => $code, )+ }
            }

            /// Parses a wire code; an unknown code names the field and the value.
            pub fn from_code(code: &str) -> Result<Self, $crate::ProtocolError> {
                match code {
                    $( $code => Ok(Self::$variant), )+
                    other => Err($crate::ProtocolError::UnknownCode { field: $field, value: other.chars().take(16).collect() }),
                }
            }

            /// The first protocol version that allows this value.
            pub fn since(self) -> $crate::MessageVersion {
                match self { $( Self::$variant => $crate::MessageVersion::$since, )+ }
            }

            /// Whether `version` allows this value.
            pub fn allowed_in(self, version: $crate::MessageVersion) -> bool {
                version >= self.since()
            }
        }

        $crate::codes::written_as_code!($name);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::from_code(&raw).map_err(::serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use wire_codes;

wire_codes! {
    /// `transStatus`: the outcome of an AReq, CRes or RReq.
    ///
    /// Rule: D and I from 2.2.0, S from 2.3.1; Y and A carry an authenticationValue;
    /// N, U and R carry a transStatusReason.
    TransStatus, field "transStatus" {
        /// Y: authenticated.
        Authenticated = "Y" since V2_1_0,
        /// N: not authenticated, transaction denied.
        NotAuthenticated = "N" since V2_1_0,
        /// U: authentication could not be performed.
        Unavailable = "U" since V2_1_0,
        /// A: attempted; proof of the attempt generated.
        Attempted = "A" since V2_1_0,
        /// C: challenge required.
        Challenge = "C" since V2_1_0,
        /// R: rejected by the issuer; do not proceed.
        Rejected = "R" since V2_1_0,
        /// D: decoupled challenge, confirmed out of band.
        Decoupled = "D" since V2_2_0,
        /// I: informational only.
        Informational = "I" since V2_2_0,
        /// S: challenge by Secure Payment Confirmation.
        SpcChallenge = "S" since V2_3_1,
    }
}

impl TransStatus {
    /// Whether this is a final outcome (no further cardholder step).
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Challenge | Self::Decoupled | Self::SpcChallenge)
    }

    /// Rule: `transStatusReason` is required with N, U and R.
    pub fn requires_reason(self) -> bool {
        matches!(self, Self::NotAuthenticated | Self::Unavailable | Self::Rejected)
    }

    /// Rule: `authenticationValue` is required with Y and A.
    pub fn requires_authentication_value(self) -> bool {
        matches!(self, Self::Authenticated | Self::Attempted)
    }

    /// Rule: Y and A shift liability to the issuer (absent an exemption).
    pub fn shifts_liability(self) -> bool {
        matches!(self, Self::Authenticated | Self::Attempted)
    }

    /// A one-line meaning for people reading a result.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Authenticated => "authenticated",
            Self::NotAuthenticated => "not authenticated: the issuer denied the transaction",
            Self::Unavailable => "authentication could not be performed",
            Self::Attempted => "authentication attempted: the issuer or network generated proof of the attempt",
            Self::Challenge => "a challenge is required",
            Self::Rejected => "rejected by the issuer: do not proceed",
            Self::Decoupled => "decoupled challenge: the cardholder confirms outside this page",
            Self::Informational => "informational only: no authentication requested",
            Self::SpcChallenge => "challenge by Secure Payment Confirmation",
        }
    }
}

wire_codes! {
    /// `threeDSCompInd`: whether the 3DS Method completed.
    ///
    /// Rule: Y the notification arrived; N it did not arrive within 10 seconds;
    /// U there was no `threeDSMethodURL`.
    ThreeDSCompInd, field "threeDSCompInd" {
        /// Y: completed.
        Completed = "Y" since V2_1_0,
        /// N: did not complete within 10 seconds.
        NotCompleted = "N" since V2_1_0,
        /// U: no method URL; not run.
        Unavailable = "U" since V2_1_0,
    }
}

wire_codes! {
    /// `deviceChannel`: which channel the AReq comes from.
    DeviceChannel, field "deviceChannel" {
        /// 01: app-based (3DS SDK).
        App = "01" since V2_1_0,
        /// 02: browser-based.
        Browser = "02" since V2_1_0,
        /// 03: 3DS Requestor Initiated (3RI).
        RequestorInitiated = "03" since V2_1_0,
    }
}

wire_codes! {
    /// `messageCategory`.
    MessageCategory, field "messageCategory" {
        /// 01: payment authentication.
        Payment = "01" since V2_1_0,
        /// 02: non-payment authentication.
        NonPayment = "02" since V2_1_0,
    }
}

/// `threeDSRequestorChallengeInd`: the requestor's challenge preference.
///
/// Rule: 01-04 in every version, 05-09 from 2.2.0; 80-99 are reserved for the
/// Directory Server (90: Cartes Bancaires scoring) and are accepted as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChallengeIndicator {
    /// 01: no preference.
    NoPreference,
    /// 02: no challenge requested.
    NoChallenge,
    /// 03: challenge requested (requestor preference).
    ChallengeRequested,
    /// 04: challenge requested (mandate).
    ChallengeMandated,
    /// 05: no challenge: transactional risk analysis already performed.
    NoChallengeTraPerformed,
    /// 06: no challenge: data share only.
    NoChallengeDataShareOnly,
    /// 07: no challenge: strong consumer authentication already performed.
    NoChallengeScaPerformed,
    /// 08: no challenge: whitelist exemption.
    NoChallengeWhitelistExemption,
    /// 09: challenge requested: whitelist prompt.
    ChallengeWhitelistPrompt,
    /// 90: Cartes Bancaires scoring request.
    CartesBancairesScoring,
    /// 80-99 other than 90: a Directory Server's own value.
    DirectoryServer(u8),
}

impl ChallengeIndicator {
    /// The named values, in wire-code order.
    pub const NAMED: [Self; 10] = [
        Self::NoPreference,
        Self::NoChallenge,
        Self::ChallengeRequested,
        Self::ChallengeMandated,
        Self::NoChallengeTraPerformed,
        Self::NoChallengeDataShareOnly,
        Self::NoChallengeScaPerformed,
        Self::NoChallengeWhitelistExemption,
        Self::ChallengeWhitelistPrompt,
        Self::CartesBancairesScoring,
    ];

    /// The numeric value, 1..=99.
    pub fn number(self) -> u8 {
        match self {
            Self::NoPreference => 1,
            Self::NoChallenge => 2,
            Self::ChallengeRequested => 3,
            Self::ChallengeMandated => 4,
            Self::NoChallengeTraPerformed => 5,
            Self::NoChallengeDataShareOnly => 6,
            Self::NoChallengeScaPerformed => 7,
            Self::NoChallengeWhitelistExemption => 8,
            Self::ChallengeWhitelistPrompt => 9,
            Self::CartesBancairesScoring => 90,
            Self::DirectoryServer(n) => n,
        }
    }

    /// The two-digit wire code.
    pub fn code(self) -> String {
        format!("{:02}", self.number())
    }

    /// Parses a two-digit wire code.
    pub fn from_code(code: &str) -> Result<Self, ProtocolError> {
        let unknown = || ProtocolError::UnknownCode { field: "threeDSRequestorChallengeInd", value: code.chars().take(16).collect() };
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unknown());
        }
        let number: u8 = code.parse().map_err(|_| unknown())?;
        Self::NAMED
            .into_iter()
            .find(|named| named.number() == number)
            .or(if (80..=99).contains(&number) { Some(Self::DirectoryServer(number)) } else { None })
            .ok_or_else(unknown)
    }

    /// The first protocol version that allows this value.
    pub fn since(self) -> MessageVersion {
        // Directory Server values (80-99) are the DS's own, in every version.
        if self.number() <= 4 || self.number() >= 80 { MessageVersion::V2_1_0 } else { MessageVersion::V2_2_0 }
    }

    /// Whether `version` allows this value.
    pub fn allowed_in(self, version: MessageVersion) -> bool {
        version >= self.since()
    }
}

impl Serialize for ChallengeIndicator {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for ChallengeIndicator {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Self::from_code(&raw).map_err(serde::de::Error::custom)
    }
}

/// `transStatusReason`: why the outcome is N, U or R (and, in 2.2.0+, some Y/A details).
///
/// Rule: 01-21 in every version, 22-26 from 2.2.0; 27-79 are reserved for EMVCo
/// and 80-99 for the Directory Server, accepted when reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransStatusReason(u8);

impl TransStatusReason {
    /// 01: card authentication failed.
    pub const CARD_AUTHENTICATION_FAILED: Self = Self(1);
    /// 02: unknown device.
    pub const UNKNOWN_DEVICE: Self = Self(2);
    /// 03: unsupported device.
    pub const UNSUPPORTED_DEVICE: Self = Self(3);
    /// 04: exceeds authentication frequency limit.
    pub const EXCEEDS_AUTHENTICATION_FREQUENCY: Self = Self(4);
    /// 05: expired card.
    pub const EXPIRED_CARD: Self = Self(5);
    /// 06: invalid card number.
    pub const INVALID_CARD_NUMBER: Self = Self(6);
    /// 07: invalid transaction.
    pub const INVALID_TRANSACTION: Self = Self(7);
    /// 08: no card record.
    pub const NO_CARD_RECORD: Self = Self(8);
    /// 09: security failure.
    pub const SECURITY_FAILURE: Self = Self(9);
    /// 10: stolen card.
    pub const STOLEN_CARD: Self = Self(10);
    /// 11: suspected fraud.
    pub const SUSPECTED_FRAUD: Self = Self(11);
    /// 12: transaction not permitted to cardholder.
    pub const TRANSACTION_NOT_PERMITTED: Self = Self(12);
    /// 13: cardholder not enrolled in service.
    pub const CARDHOLDER_NOT_ENROLLED: Self = Self(13);
    /// 14: transaction timed out at the ACS.
    pub const TIMED_OUT_AT_ACS: Self = Self(14);
    /// 15: low confidence.
    pub const LOW_CONFIDENCE: Self = Self(15);
    /// 16: medium confidence.
    pub const MEDIUM_CONFIDENCE: Self = Self(16);
    /// 17: high confidence.
    pub const HIGH_CONFIDENCE: Self = Self(17);
    /// 18: very high confidence.
    pub const VERY_HIGH_CONFIDENCE: Self = Self(18);
    /// 19: exceeds ACS maximum challenges.
    pub const EXCEEDS_MAX_CHALLENGES: Self = Self(19);
    /// 20: non-payment transaction not supported.
    pub const NON_PAYMENT_NOT_SUPPORTED: Self = Self(20);
    /// 21: 3RI transaction not supported.
    pub const THREE_RI_NOT_SUPPORTED: Self = Self(21);
    /// 22 (2.2.0+): ACS technical issue.
    pub const ACS_TECHNICAL_ISSUE: Self = Self(22);
    /// 23 (2.2.0+): decoupled authentication required by the ACS but not requested.
    pub const DECOUPLED_REQUIRED: Self = Self(23);
    /// 24 (2.2.0+): 3DS Requestor decoupled max expiry time exceeded.
    pub const DECOUPLED_MAX_EXPIRY_EXCEEDED: Self = Self(24);
    /// 25 (2.2.0+): decoupled authentication given too little time; not attempted.
    pub const DECOUPLED_INSUFFICIENT_TIME: Self = Self(25);
    /// 26 (2.2.0+): authentication attempted but not performed by the cardholder.
    pub const ATTEMPTED_NOT_PERFORMED: Self = Self(26);

    /// The numeric value, 1..=99.
    pub fn number(self) -> u8 {
        self.0
    }

    /// The two-digit wire code.
    pub fn code(self) -> String {
        format!("{:02}", self.0)
    }

    /// Parses a two-digit wire code, 01..99.
    pub fn from_code(code: &str) -> Result<Self, ProtocolError> {
        let unknown = || ProtocolError::UnknownCode { field: "transStatusReason", value: code.chars().take(16).collect() };
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unknown());
        }
        match code.parse::<u8>() {
            Ok(n @ 1..=99) => Ok(Self(n)),
            _ => Err(unknown()),
        }
    }

    /// The first version that defines this reason; `None` for reserved values.
    pub fn since(self) -> Option<MessageVersion> {
        match self.0 {
            1..=21 => Some(MessageVersion::V2_1_0),
            22..=26 => Some(MessageVersion::V2_2_0),
            _ => None,
        }
    }

    /// Whether this is a Directory Server value (80-99).
    pub fn is_directory_server(self) -> bool {
        (80..=99).contains(&self.0)
    }

    /// Whether `version` allows this reason when writing: defined by then, or a DS value.
    pub fn allowed_in(self, version: MessageVersion) -> bool {
        self.since().is_some_and(|since| version >= since) || self.is_directory_server()
    }

    /// A short description for people reading a result.
    pub fn meaning(self) -> &'static str {
        const MEANINGS: [&str; 26] = [
            "card authentication failed",
            "unknown device",
            "unsupported device",
            "exceeds authentication frequency limit",
            "expired card",
            "invalid card number",
            "invalid transaction",
            "no card record",
            "security failure",
            "stolen card",
            "suspected fraud",
            "transaction not permitted to cardholder",
            "cardholder not enrolled in service",
            "transaction timed out at the ACS",
            "low confidence",
            "medium confidence",
            "high confidence",
            "very high confidence",
            "exceeds ACS maximum challenges",
            "non-payment transaction not supported",
            "3RI transaction not supported",
            "ACS technical issue",
            "decoupled authentication required by ACS but not requested",
            "3DS Requestor decoupled max expiry time exceeded",
            "decoupled authentication was provided insufficient time",
            "authentication attempted but not performed by the cardholder",
        ];
        match self.0 {
            n @ 1..=26 => MEANINGS[usize::from(n) - 1],
            80..=99 => "Directory Server specific reason",
            _ => "reserved for EMVCo",
        }
    }
}

impl Serialize for TransStatusReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for TransStatusReason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Self::from_code(&raw).map_err(serde::de::Error::custom)
    }
}

/// Defines an open set of wire codes: the named values of the spec, and `Other`
/// for any code it reserves or a party adds (Directory Server ranges, later
/// versions). Reading never fails and `Other` keeps the code as it came, so a
/// message with a code this crate does not name parses and writes back unchanged.
macro_rules! open_codes {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A code this crate does not name, kept as it came.
            Other(String),
        }

        impl $name {
            /// The named values, in wire-code order.
            pub const NAMED: &'static [Self] = &[ $( Self::$variant, )+ ];

            /// The wire code.
            pub fn code(&self) -> &str {
                match self {
                    $( Self::$variant => $code, )+
                    Self::Other(code) => code,
                }
            }

            /// Reads a wire code; a code not named here becomes `Other`.
            pub fn from_code(code: &str) -> Self {
                match code {
                    $( $code => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }

            /// Whether this is one of the named values.
            pub fn is_named(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        $crate::codes::written_as_code!($name);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_code(&raw))
            }
        }
    };
}

open_codes! {
    /// `challengeCancel` (RReq): why a challenge ended without the cardholder's answer.
    ///
    /// Rule: 01-08 are defined; the rest are reserved (80-99 for the Directory Server).
    ChallengeCancel {
        /// 01: the cardholder chose Cancel.
        CardholderCanceled = "01",
        /// 02: the 3DS Requestor cancelled.
        RequestorCanceled = "02",
        /// 03: the transaction was abandoned.
        TransactionAbandoned = "03",
        /// 04: timed out at the ACS (other timeouts).
        AcsTimeout = "04",
        /// 05: timed out at the ACS: the first CReq was never received.
        AcsTimeoutRequestNotReceived = "05",
        /// 06: transaction error.
        Error = "06",
        /// 07: unknown.
        Unknown = "07",
        /// 08: timed out at the SDK.
        SdkTimeout = "08",
    }
}

open_codes! {
    /// `authenticationType` (ARes, RReq): how the cardholder is (or was) challenged.
    ///
    /// Rule: 01-03 in every version, 04 (decoupled) from 2.2.0; 80-99 are the
    /// Directory Server's own.
    AuthenticationType {
        /// 01: static (a password the cardholder knows).
        Static = "01",
        /// 02: dynamic (a one-time code).
        Dynamic = "02",
        /// 03: out of band (approved in the banking app).
        OutOfBand = "03",
        /// 04: decoupled (confirmed outside the checkout).
        Decoupled = "04",
    }
}

open_codes! {
    /// `challengeCompletionInd` (CRes): whether the challenge is over.
    ChallengeCompletionInd {
        /// Y: the challenge is complete.
        Completed = "Y",
        /// N: the challenge is not complete.
        NotCompleted = "N",
    }
}

open_codes! {
    /// `resultsStatus` (RRes): what the 3DS Server did with an RReq.
    ResultsStatus {
        /// 01: received for further processing.
        Received = "01",
        /// 02: challenge, decoupled or SPC authentication cancelled by the cardholder's choice.
        ChallengeCancelled = "02",
        /// 03: the ARes was not sent to the 3DS Requestor (its error).
        NotSent = "03",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageVersion::*;

    #[test]
    fn trans_status_codes_and_versions() {
        let codes: String = TransStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, "YNUACRDIS");
        for status in TransStatus::ALL {
            assert_eq!(TransStatus::from_code(status.code()).unwrap(), *status);
        }
        assert!(!TransStatus::Decoupled.allowed_in(V2_1_0));
        assert!(TransStatus::Decoupled.allowed_in(V2_2_0));
        assert!(!TransStatus::Informational.allowed_in(V2_1_0));
        assert!(!TransStatus::SpcChallenge.allowed_in(V2_2_0));
        assert!(TransStatus::SpcChallenge.allowed_in(V2_3_1));
        assert!(TransStatus::from_code("X").is_err());
        assert!(TransStatus::from_code("y").is_err());
    }

    #[test]
    fn trans_status_rules() {
        use TransStatus::*;
        for status in [NotAuthenticated, Unavailable, Rejected] {
            assert!(status.requires_reason());
            assert!(!status.shifts_liability());
        }
        for status in [Authenticated, Attempted] {
            assert!(status.requires_authentication_value() && status.shifts_liability() && status.is_final());
        }
        assert!(!Challenge.is_final() && !Decoupled.is_final());
    }

    #[test]
    fn comp_ind_codes() {
        assert_eq!(ThreeDSCompInd::Completed.code(), "Y");
        assert_eq!(serde_json::to_string(&ThreeDSCompInd::Unavailable).unwrap(), "\"U\"");
        let err = serde_json::from_str::<ThreeDSCompInd>("\"Q\"").unwrap_err().to_string();
        assert!(err.contains("threeDSCompInd"), "{err}");
    }

    #[test]
    fn challenge_indicator_codes_versions_and_ds_range() {
        for named in ChallengeIndicator::NAMED {
            assert_eq!(ChallengeIndicator::from_code(&named.code()).unwrap(), named);
        }
        assert_eq!(ChallengeIndicator::from_code("90").unwrap(), ChallengeIndicator::CartesBancairesScoring);
        assert_eq!(ChallengeIndicator::from_code("82").unwrap(), ChallengeIndicator::DirectoryServer(82));
        for bad in ["00", "10", "79", "1", "100", "ab", ""] {
            assert!(ChallengeIndicator::from_code(bad).is_err(), "{bad}");
        }
        assert!(ChallengeIndicator::ChallengeMandated.allowed_in(V2_1_0));
        assert!(!ChallengeIndicator::NoChallengeTraPerformed.allowed_in(V2_1_0));
        assert!(ChallengeIndicator::ChallengeWhitelistPrompt.allowed_in(V2_2_0));
        assert!(ChallengeIndicator::DirectoryServer(82).allowed_in(V2_1_0));
    }

    #[test]
    fn trans_status_reason_ranges() {
        assert_eq!(TransStatusReason::from_code("01").unwrap(), TransStatusReason::CARD_AUTHENTICATION_FAILED);
        assert_eq!(TransStatusReason::SUSPECTED_FRAUD.code(), "11");
        assert!(TransStatusReason::ACS_TECHNICAL_ISSUE.allowed_in(V2_2_0));
        assert!(!TransStatusReason::ACS_TECHNICAL_ISSUE.allowed_in(V2_1_0));
        let ds = TransStatusReason::from_code("85").unwrap();
        assert!(ds.is_directory_server() && ds.allowed_in(V2_1_0));
        let reserved = TransStatusReason::from_code("50").unwrap();
        assert!(!reserved.allowed_in(V2_3_1));
        for bad in ["00", "100", "1", "x1"] {
            assert!(TransStatusReason::from_code(bad).is_err(), "{bad}");
        }
        assert_eq!(TransStatusReason::ATTEMPTED_NOT_PERFORMED.meaning(), "authentication attempted but not performed by the cardholder");
    }

    #[test]
    fn open_codes_name_what_they_know_and_keep_the_rest() {
        assert_eq!(ChallengeCancel::from_code("01"), ChallengeCancel::CardholderCanceled);
        assert_eq!(ChallengeCancel::SdkTimeout.code(), "08");
        for named in ChallengeCancel::NAMED {
            assert_eq!(&ChallengeCancel::from_code(named.code()), named);
        }
        let ds = ChallengeCancel::from_code("85");
        assert_eq!((ds.code(), ds.is_named()), ("85", false));
        assert_eq!(serde_json::to_string(&ds).unwrap(), "\"85\"");
        assert_eq!(serde_json::from_str::<AuthenticationType>("\"03\"").unwrap(), AuthenticationType::OutOfBand);
        assert_eq!(serde_json::from_str::<AuthenticationType>("\"91\"").unwrap(), AuthenticationType::Other("91".into()));
        assert_eq!(ChallengeCompletionInd::Completed.to_string(), "Y");
        assert_eq!(ResultsStatus::from_code("01"), ResultsStatus::Received);
    }
}
