//! Stripe's own test cards and test PaymentMethods, as Stripe documents them,
//! and the issuer scenario each one plays in this mock. Pure data and lookups.

use threeds_protocol::CardScheme;

use crate::support::cards::{self, Scenario};

/// Whether Stripe runs 3-D Secure for a card (Stripe's "3DS usage" column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreeDSUsage {
    /// The payment must complete 3DS: Stripe asks for it even with `automatic`.
    Required,
    /// 3DS can run, only when asked for (`any` or `challenge`).
    Supported,
    /// The card does not support 3DS: the payment goes on without it.
    NotSupported,
}

/// One Stripe test card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StripeCard {
    /// The card number.
    pub pan: &'static str,
    /// The test PaymentMethod that stands for it (`pm_card_...`), if any.
    pub payment_method: Option<&'static str>,
    /// When Stripe runs 3DS.
    pub usage: ThreeDSUsage,
    /// The issuer's scenario when 3DS runs; `None` leaves it to the test-card table (frictionless).
    pub scenario: Option<Scenario>,
    /// The decline code the charge fails with (after authentication, where it runs).
    pub decline_code: Option<&'static str>,
    /// Co-badged with Cartes Bancaires.
    pub cartes_bancaires: bool,
    /// A low-risk exemption fails Stripe's transaction risk analysis
    /// (`exemption_indicator_applied` false).
    pub fails_tra: bool,
}

const fn card(pan: &'static str, payment_method: Option<&'static str>, usage: ThreeDSUsage, scenario: Option<Scenario>) -> StripeCard {
    StripeCard { pan, payment_method, usage, scenario, decline_code: None, cartes_bancaires: false, fails_tra: false }
}

const fn co_badged(pan: &'static str, fails_tra: bool) -> StripeCard {
    StripeCard { cartes_bancaires: true, fails_tra, ..card(pan, None, ThreeDSUsage::Supported, None) }
}

/// Stripe's test cards: the 3DS table of its card authentication guide, the
/// "import 3DS results" cards, and the everyday ones.
pub const STRIPE_CARDS: &[StripeCard] = &[
    card("4242424242424242", Some("pm_card_visa"), ThreeDSUsage::Supported, None),
    card("5555555555554444", Some("pm_card_mastercard"), ThreeDSUsage::Supported, None),
    card("4000002760003184", Some("pm_card_authenticationRequired"), ThreeDSUsage::Required, Some(Scenario::ChallengeSuccess)),
    card("4000002500003155", Some("pm_card_authenticationRequiredSetupForOffSession"), ThreeDSUsage::Required, Some(Scenario::ChallengeSuccess)),
    card("4000000000003220", Some("pm_card_threeDSecure2Required"), ThreeDSUsage::Required, Some(Scenario::ChallengeSuccess)),
    card("4000000000003063", Some("pm_card_threeDSecureRequired"), ThreeDSUsage::Required, Some(Scenario::ChallengeSuccess)),
    StripeCard {
        decline_code: Some("generic_decline"),
        ..card("4000008400001629", Some("pm_card_threeDSecureRequiredChargeDeclined"), ThreeDSUsage::Required, Some(Scenario::ChallengeSuccess))
    },
    card("4000000000003055", Some("pm_card_threeDSecureOptional"), ThreeDSUsage::Supported, None),
    card("378282246310005", Some("pm_card_amex_threeDSecureNotSupported"), ThreeDSUsage::NotSupported, None),
    StripeCard { decline_code: Some("generic_decline"), ..card("4000000000000002", Some("pm_card_chargeDeclined"), ThreeDSUsage::Supported, None) },
    co_badged("4000002500001001", false),
    co_badged("5555552500001001", false),
    co_badged("4000000000016123", true),
];

/// A card number's row.
pub fn by_pan(pan: &str) -> Option<&'static StripeCard> {
    STRIPE_CARDS.iter().find(|card| card.pan == pan)
}

/// The card a test PaymentMethod (`pm_card_...`) stands for.
pub fn by_payment_method(id: &str) -> Option<&'static StripeCard> {
    STRIPE_CARDS.iter().find(|card| card.payment_method == Some(id))
}

/// The issuer's scenario for a Stripe test card (see [`crate::processors::test_card_scenario`]).
pub fn scenario_for(pan: &str) -> Option<Scenario> {
    by_pan(pan).and_then(|card| card.scenario)
}

/// When Stripe runs 3DS for any card number: Stripe's row; a card of the
/// test-card table is a 3DS test card (the issuer decides, so Stripe asks);
/// anything else supports it.
pub fn usage(pan: &str) -> ThreeDSUsage {
    match by_pan(pan) {
        Some(card) => card.usage,
        None if cards::TEST_CARDS.iter().any(|card| card.pan == pan) => ThreeDSUsage::Required,
        None => ThreeDSUsage::Supported,
    }
}

/// Stripe's `brand` of a card number (`visa`, `mastercard`, `amex`, ...; `unknown`).
pub fn brand(pan: &str) -> &'static str {
    match CardScheme::from_pan(pan) {
        Some(CardScheme::Visa) => "visa",
        Some(CardScheme::Mastercard) => "mastercard",
        Some(CardScheme::Amex) => "amex",
        Some(CardScheme::Jcb) => "jcb",
        Some(CardScheme::Diners) => "diners",
        Some(CardScheme::Discover) => "discover",
        None => "unknown",
    }
}

/// The networks a card can be processed on (`networks.available`): its brand,
/// and `cartes_bancaires` first for the co-badged cards.
pub fn networks(pan: &str) -> Vec<&'static str> {
    let mut networks = Vec::new();
    if by_pan(pan).is_some_and(|card| card.cartes_bancaires) {
        networks.push("cartes_bancaires");
    }
    networks.push(brand(pan));
    networks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripe_cards_are_luhn_valid_and_unique() {
        for (i, card) in STRIPE_CARDS.iter().enumerate() {
            assert!(threeds_protocol::scheme::luhn_valid(card.pan), "{}", card.pan);
            assert!(STRIPE_CARDS[i + 1..].iter().all(|other| other.pan != card.pan), "{}", card.pan);
            assert!(cards::TEST_CARDS.iter().all(|other| other.pan != card.pan), "{} is not in the test-card table", card.pan);
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(by_payment_method("pm_card_authenticationRequired").map(|c| c.pan), Some("4000002760003184"));
        assert_eq!(scenario_for("4000008400001629"), Some(Scenario::ChallengeSuccess));
        assert_eq!(scenario_for("4242424242424242"), None);
        assert_eq!(cards::scenario_for("4000002760003184"), Scenario::ChallengeSuccess, "the issuer sees Stripe's cards");
        assert_eq!(usage("4000002760003184"), ThreeDSUsage::Required);
        assert_eq!(usage("4000020000000000"), ThreeDSUsage::Required, "a card of the test-card table");
        assert_eq!(usage("4000000000003055"), ThreeDSUsage::Supported);
        assert_eq!(usage("378282246310005"), ThreeDSUsage::NotSupported);
        assert_eq!(usage("4012888888881881"), ThreeDSUsage::Supported);
        assert_eq!(networks("5555552500001001"), ["cartes_bancaires", "mastercard"]);
        assert_eq!(networks("4242424242424242"), ["visa"]);
        assert!(by_pan("4000000000016123").is_some_and(|c| c.fails_tra && c.cartes_bancaires));
    }
}
