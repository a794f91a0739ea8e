//! The test cards: every row of the test-card table, and what each one does.
//!
//! Pure data and lookups; the DS and ACS act on the [`Scenario`] a card maps to.

use threeds_protocol::{CardScheme, MessageVersion};

/// What a test card makes the Directory Server and ACS do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// ARes Y: authenticated without a challenge.
    FrictionlessSuccess,
    /// ARes C, a one-time-code challenge, then Y.
    ChallengeSuccess,
    /// As [`Scenario::ChallengeSuccess`], but the card range has no method URL (threeDSCompInd U).
    ChallengeSuccessNoMethod,
    /// ARes C with acsChallengeMandated Y, then Y.
    MandatedChallenge,
    /// ARes C, an out-of-band challenge (approve in the banking app), then Y.
    OutOfBandChallenge,
    /// ARes C, then A (attempted) after the challenge.
    AttemptedChallenge,
    /// ARes A: attempted, proof generated.
    Attempted,
    /// ARes N, reason 01.
    Failed,
    /// ARes U, reason 14.
    Unavailable,
    /// ARes R, reason 11.
    Rejected,
    /// ARes C, then N (reason 01) whatever the cardholder enters.
    FailedChallenge,
    /// ARes C, out of band, then N (reason 01).
    FailedOutOfBandChallenge,
    /// ARes C, then U (reason 14).
    UnavailableChallenge,
    /// ARes C, then R (reason 11).
    RejectedChallenge,
    /// The DS answers with an Erro (405, system connection failure).
    DirectoryServerError,
    /// The 3DS Server fails internally (HTTP 500).
    InternalError,
    /// ARes C; the ACS takes the CReq, then ends the challenge with an Erro (403,
    /// transient system failure) posted to the notification URL in place of a CRes.
    /// Not a row of the test-card table: one of the extras.
    ChallengeErro,
}

impl Scenario {
    /// The test-card table's name for this scenario.
    pub fn name(self) -> &'static str {
        match self {
            Self::FrictionlessSuccess => "Successful Frictionless Authentication",
            Self::ChallengeSuccess => "Successful Challenge Authentication",
            Self::ChallengeSuccessNoMethod => "Successful Challenge Authentication - Method not Required",
            Self::MandatedChallenge => "Successful Mandated Challenge Authentication",
            Self::OutOfBandChallenge => "Successful Out-of-Band Challenge Authentication",
            Self::AttemptedChallenge => "Attempted Challenge Authentication",
            Self::Attempted => "Authentication Attempted",
            Self::Failed => "Authentication Failed",
            Self::Unavailable => "Authentication Unavailable",
            Self::Rejected => "Authentication Rejected",
            Self::FailedChallenge => "Failed Challenge Authentication",
            Self::FailedOutOfBandChallenge => "Failed Out of Band Challenge Authentication",
            Self::UnavailableChallenge => "Unavailable Challenge Authentication",
            Self::RejectedChallenge => "Rejected Challenge Authentication",
            Self::DirectoryServerError => "3DS Directory Server Error",
            Self::InternalError => "Internal 3DS Server Error",
            Self::ChallengeErro => "ACS Error during Challenge",
        }
    }

    /// Whether the ARes asks for a challenge.
    pub fn challenges(self) -> bool {
        matches!(
            self,
            Self::ChallengeSuccess
                | Self::ChallengeSuccessNoMethod
                | Self::MandatedChallenge
                | Self::OutOfBandChallenge
                | Self::AttemptedChallenge
                | Self::FailedChallenge
                | Self::FailedOutOfBandChallenge
                | Self::UnavailableChallenge
                | Self::RejectedChallenge
                | Self::ChallengeErro
        )
    }

    /// Whether the challenge is out of band (approve in the banking app).
    pub fn out_of_band(self) -> bool {
        matches!(self, Self::OutOfBandChallenge | Self::FailedOutOfBandChallenge)
    }
}

/// One row of the test-card table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestCard {
    /// The card number.
    pub pan: &'static str,
    /// The brand as the table names it.
    pub brand: &'static str,
    /// What it does.
    pub scenario: Scenario,
    /// Whether the number passes the Luhn check.
    pub luhn_valid: bool,
}

macro_rules! cards {
    ($($pan:literal $brand:literal $scenario:ident $luhn:literal;)+) => {
        /// Every card of the test-card table, in its order.
        pub const TEST_CARDS: &[TestCard] = &[
            $(TestCard { pan: $pan, brand: $brand, scenario: Scenario::$scenario, luhn_valid: $luhn },)+
        ];
    };
}

cards! {
    "5204247750001471" "MASTERCARD" FrictionlessSuccess true;
    // The test-card table marks this one Luhn-valid; it is not (the digits sum to 54).
    "6011601160116011" "DISCOVER" FrictionlessSuccess false;
    "340000000004001" "AMEX" FrictionlessSuccess true;
    "4000020000000000" "VISA" ChallengeSuccess true;
    "370000000000002" "AMEX" ChallengeSuccess true;
    "3566002020360505" "JCB" ChallengeSuccess true;
    "3566006663297692" "JCB" ChallengeSuccess true;
    "4005562231212123" "VISA" ChallengeSuccessNoMethod true;
    "4761369980320253" "VISA" MandatedChallenge true;
    "5200000000001104" "MASTERCARD" MandatedChallenge true;
    "4000000000000341" "VISA" OutOfBandChallenge true;
    "4005571701111111" "VISA" AttemptedChallenge true;
    "4111111111111111" "VISA" Attempted true;
    "5424180011113336" "MASTERCARD" Attempted true;
    "4264281511112228" "VISA" Failed true;
    "5424180000000171" "MASTERCARD" Failed true;
    "5405001111111165" "MASTERCARD" Unavailable true;
    "5405001111111116" "MASTERCARD" Rejected true;
    "4055011111111111" "VISA" FailedChallenge true;
    "5427660064241339" "MASTERCARD" FailedChallenge true;
    "6011361011110004" "DISCOVER" FailedOutOfBandChallenge true;
    "6011361000008888" "DISCOVER" UnavailableChallenge true;
    "6011361000001115" "DISCOVER" RejectedChallenge true;
    "4264281500003339" "VISA" DirectoryServerError true;
    "5424180011110001" "MASTERCARD" DirectoryServerError true;
    "4264281500001119" "VISA" InternalError true;
    "4200000000000002" "VISA" FrictionlessSuccess false;
    "4200000000000004" "VISA" ChallengeSuccess false;
    "4200000000000014" "VISA" ChallengeSuccessNoMethod false;
    "4200000000000015" "VISA" MandatedChallenge false;
    "4200000000000016" "VISA" OutOfBandChallenge false;
    "4200000000000008" "VISA" AttemptedChallenge false;
    "4200000000000003" "VISA" Attempted false;
    "4200000000000005" "VISA" Failed false;
    "4200000000000006" "VISA" Unavailable false;
    "4200000000000007" "VISA" Rejected false;
    "4200000000000009" "VISA" FailedChallenge false;
    "4200000000000017" "VISA" FailedOutOfBandChallenge false;
    "4200000000000010" "VISA" UnavailableChallenge false;
    "4200000000000011" "VISA" RejectedChallenge false;
    "4200000000000012" "VISA" DirectoryServerError false;
    "4200000000000013" "VISA" InternalError false;
    "4200000000000019" "VISA" ChallengeErro false;
}

/// The scenario of a card number: its table row, else a processor's test card's
/// (see [`crate::processors::test_card_scenario`]), else frictionless success.
pub fn scenario_for(pan: &str) -> Scenario {
    TEST_CARDS
        .iter()
        .find(|card| card.pan == pan)
        .map(|card| card.scenario)
        .or_else(|| crate::processors::test_card_scenario(pan))
        .unwrap_or(Scenario::FrictionlessSuccess)
}

/// The protocol version of a card's range.
///
/// Card ranges: the Luhn-invalid Visa test range 420000000000xxxx speaks 2.3.1,
/// Mastercard ranges 2.1.0, everything else 2.2.0.
pub fn version_for(pan: &str) -> MessageVersion {
    if pan.len() == 16 && pan.starts_with("420000000000") {
        MessageVersion::V2_3_1
    } else if CardScheme::from_pan(pan) == Some(CardScheme::Mastercard) {
        MessageVersion::V2_1_0
    } else {
        MessageVersion::V2_2_0
    }
}

/// Whether a card's range has a 3DS Method URL.
pub fn has_method_url(pan: &str) -> bool {
    scenario_for(pan) != Scenario::ChallengeSuccessNoMethod
}

/// The one-time code the mock ACS accepts.
pub const ONE_TIME_CODE: &str = "123456";

/// How many wrong codes the ACS takes before it fails the challenge (the last one fails it).
pub const MAX_CODE_ATTEMPTS: u8 = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_42_cards_plus_the_erro_card_and_luhn_flags_are_right() {
        assert_eq!(TEST_CARDS.len(), 43);
        assert_eq!(TEST_CARDS.iter().filter(|card| card.scenario == Scenario::ChallengeErro).count(), 1);
        for card in TEST_CARDS {
            assert_eq!(threeds_protocol::scheme::luhn_valid(card.pan), card.luhn_valid, "{}", card.pan);
        }
    }

    #[test]
    fn scenarios_versions_and_methods() {
        assert_eq!(scenario_for("4000020000000000"), Scenario::ChallengeSuccess);
        assert_eq!(scenario_for("4242424242424242"), Scenario::FrictionlessSuccess);
        assert_eq!(version_for("5204247750001471"), MessageVersion::V2_1_0);
        assert_eq!(version_for("4200000000000002"), MessageVersion::V2_3_1);
        assert_eq!(version_for("4000020000000000"), MessageVersion::V2_2_0);
        assert!(!has_method_url("4005562231212123"));
        assert!(has_method_url("4000020000000000"));
    }
}
