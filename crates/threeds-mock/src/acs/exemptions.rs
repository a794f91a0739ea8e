//! The PSD2 SCA exemptions the mock issuer grants, as Checkout.com's SCA guide
//! sums up the regulatory technical standards. Pure: amounts, thresholds, and
//! what the issuer remembers about a card.
//!
//! The requestor asks through `threeDSRequestorChallengeInd` (EMV 3DS 2.2.0+):
//!
//! | indicator | exemption asked for | granted when |
//! | --- | --- | --- |
//! | 02 no challenge | low value | below EUR 30, fewer than 5 low-value uses and at most EUR 100 (this one included) since the card's last SCA |
//! | 05 TRA performed | transaction risk analysis | at most EUR 100 / 250 / 500 with an acquirer fraud rate at most 0.13 / 0.06 / 0.01 % |
//! | 08 whitelist exemption | trusted beneficiary | the cardholder trusted the merchant (a 09 challenge, "trust this merchant") |
//!
//! Only amounts in euros (ISO 4217 numeric 978) count: any other currency is
//! treated as above every threshold, so it gets no amount-based exemption.

use threeds_protocol::ChallengeIndicator;

/// `n` euros in euro cents.
pub const fn euros(n: u64) -> u64 {
    n * 100
}

/// EUR in ISO 4217 numeric.
pub const EUR: &str = "978";

/// Low value: the amount must be below this, in euro cents (EUR 30).
pub const LOW_VALUE_LIMIT_CENTS: u64 = euros(30);
/// Low value: at most this many exempted payments since the last SCA.
pub const LOW_VALUE_MAX_USES: u8 = 5;
/// Low value: at most this much spent without SCA (this payment included), euro cents (EUR 100).
pub const LOW_VALUE_MAX_CUMULATIVE_CENTS: u64 = euros(100);

/// TRA: (reference fraud rate in percent, highest amount in euro cents). The
/// acquirer's rate must be at most the reference rate, the amount at most the
/// band's limit; above EUR 500 there is no TRA.
pub const TRA_BANDS: [(f64, u64); 3] = [(0.01, euros(500)), (0.06, euros(250)), (0.13, euros(100))];

/// The acquirer fraud rate the mock assumes unless configured, percent.
pub const DEFAULT_ACQUIRER_FRAUD_RATE: f64 = 0.05;

/// How long the issuer remembers a card from its first record: the low-value
/// limits count within a day.
pub const MEMORY_LIFETIME: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// At most this many trusted merchants per card (the oldest is forgotten first).
pub const MAX_TRUSTED_MERCHANTS: usize = 16;

/// The issuer's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The acquirer's fraud rate in percent (0.05 means 0.05 %).
    pub acquirer_fraud_rate: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Self { acquirer_fraud_rate: DEFAULT_ACQUIRER_FRAUD_RATE }
    }
}

/// An exemption the issuer granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exemption {
    /// Below EUR 30, within the per-card limits.
    LowValue,
    /// Transaction risk analysis by the acquirer.
    TransactionRiskAnalysis,
    /// The merchant is on the cardholder's whitelist.
    TrustedBeneficiary,
}

impl Exemption {
    /// A short name for logs and pages.
    pub fn name(self) -> &'static str {
        match self {
            Self::LowValue => "low value",
            Self::TransactionRiskAnalysis => "transaction risk analysis",
            Self::TrustedBeneficiary => "trusted beneficiary",
        }
    }
}

/// What the issuer remembers about a card: low-value use since the last SCA,
/// and the merchants the cardholder trusts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardMemory {
    /// Low-value exemptions granted since the last SCA.
    pub low_value_uses: u8,
    /// Euro cents spent under the low-value exemption since the last SCA.
    pub low_value_spent_cents: u64,
    /// The merchants the cardholder trusts ([`merchant_key`]), oldest first.
    pub trusted: Vec<String>,
}

impl CardMemory {
    /// Records a granted exemption of `amount_cents`.
    pub fn record(&mut self, exemption: Exemption, amount_cents: u64) {
        if exemption == Exemption::LowValue {
            self.low_value_uses = self.low_value_uses.saturating_add(1);
            self.low_value_spent_cents = self.low_value_spent_cents.saturating_add(amount_cents);
        }
    }

    /// The cardholder passed SCA: the low-value count starts again.
    pub fn strongly_authenticated(&mut self) {
        self.low_value_uses = 0;
        self.low_value_spent_cents = 0;
    }

    /// The cardholder trusts `merchant`.
    pub fn trust(&mut self, merchant: &str) {
        if self.trusts(merchant) {
            return;
        }
        if self.trusted.len() >= MAX_TRUSTED_MERCHANTS {
            self.trusted.remove(0);
        }
        self.trusted.push(merchant.to_owned());
    }

    /// Whether the cardholder trusts `merchant`.
    pub fn trusts(&self, merchant: &str) -> bool {
        self.trusted.iter().any(|m| m == merchant)
    }
}

/// Who the merchant is for the whitelist: the acquirer's BIN and merchant ID.
pub fn merchant_key(acquirer_bin: Option<&str>, acquirer_merchant_id: Option<&str>) -> Option<String> {
    acquirer_merchant_id.map(|mid| format!("{}:{mid}", acquirer_bin.unwrap_or_default()))
}

/// `amount` (minor units with `exponent` decimals) in euro cents; `None` when
/// the currency is not EUR or the fields are not numbers. Fractions of a cent
/// round up, so a threshold is never passed by rounding.
pub fn eur_cents(amount: &str, currency: &str, exponent: &str) -> Option<u64> {
    if currency != EUR || amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let exponent: u32 = exponent.parse().ok().filter(|e| *e <= 9)?;
    // More digits than u128 holds is more than any threshold.
    let minor: u128 = amount.trim_start_matches('0').parse().unwrap_or(if amount.bytes().all(|b| b == b'0') { 0 } else { u128::MAX });
    let cents = if exponent <= 2 { minor.saturating_mul(10u128.pow(2 - exponent)) } else { minor.div_ceil(10u128.pow(exponent - 2)) };
    Some(u64::try_from(cents).unwrap_or(u64::MAX))
}

/// The highest amount TRA covers at the acquirer's fraud rate, euro cents; `None`
/// when the rate is above 0.13 % (or not a rate).
pub fn tra_limit_cents(acquirer_fraud_rate: f64) -> Option<u64> {
    if acquirer_fraud_rate.is_nan() || acquirer_fraud_rate < 0.0 {
        return None;
    }
    TRA_BANDS.iter().find(|(rate, _)| acquirer_fraud_rate <= *rate).map(|(_, limit)| *limit)
}

/// The exemption a challenge indicator asks for, if any.
pub fn requested(indicator: ChallengeIndicator) -> Option<Exemption> {
    match indicator {
        ChallengeIndicator::NoChallenge => Some(Exemption::LowValue),
        ChallengeIndicator::NoChallengeTraPerformed => Some(Exemption::TransactionRiskAnalysis),
        ChallengeIndicator::NoChallengeWhitelistExemption => Some(Exemption::TrustedBeneficiary),
        _ => None,
    }
}

/// Whether the issuer grants `asked` for a payment of `amount_cents` euro cents
/// (`None`: not in euros, or no amount) to `merchant`, given what it remembers of the card.
pub fn grants(asked: Exemption, amount_cents: Option<u64>, merchant: Option<&str>, memory: &CardMemory, settings: &Settings) -> bool {
    match asked {
        Exemption::LowValue => amount_cents.is_some_and(|amount| {
            amount < LOW_VALUE_LIMIT_CENTS
                && memory.low_value_uses < LOW_VALUE_MAX_USES
                && memory.low_value_spent_cents.saturating_add(amount) <= LOW_VALUE_MAX_CUMULATIVE_CENTS
        }),
        Exemption::TransactionRiskAnalysis => {
            amount_cents.zip(tra_limit_cents(settings.acquirer_fraud_rate)).is_some_and(|(amount, limit)| amount <= limit)
        }
        Exemption::TrustedBeneficiary => merchant.is_some_and(|merchant| memory.trusts(merchant)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn low(amount: u64, memory: &CardMemory) -> bool {
        grants(Exemption::LowValue, Some(amount), None, memory, &Settings::default())
    }

    fn tra(amount: u64, rate: f64) -> bool {
        grants(Exemption::TransactionRiskAnalysis, Some(amount), None, &CardMemory::default(), &Settings { acquirer_fraud_rate: rate })
    }

    #[test]
    fn amounts_in_euro_cents() {
        assert_eq!(eur_cents("2999", EUR, "2"), Some(2999));
        assert_eq!(eur_cents("30", EUR, "0"), Some(3000));
        assert_eq!(eur_cents("29999", EUR, "3"), Some(3000), "a fraction of a cent rounds up");
        assert_eq!(eur_cents("0", EUR, "2"), Some(0));
        assert_eq!(eur_cents("2999", "826", "2"), None, "only euros count");
        assert_eq!(eur_cents("12a", EUR, "2"), None);
        assert_eq!(eur_cents(&"9".repeat(48), EUR, "2"), Some(u64::MAX));
    }

    #[test]
    fn low_value_is_below_30_euros() {
        let fresh = CardMemory::default();
        assert!(low(2999, &fresh));
        assert!(!low(euros(30), &fresh), "EUR 30 is not below EUR 30");
        assert!(!grants(Exemption::LowValue, None, None, &fresh, &Settings::default()), "another currency is above the threshold");
    }

    #[test]
    fn low_value_allows_five_uses_since_the_last_sca() {
        let mut memory = CardMemory::default();
        for use_ in 1..=5 {
            assert!(low(euros(1), &memory), "use {use_}");
            memory.record(Exemption::LowValue, euros(1));
        }
        assert_eq!(memory.low_value_uses, 5);
        assert!(!low(euros(1), &memory), "the sixth use needs SCA");
        memory.strongly_authenticated();
        assert!(low(euros(1), &memory), "SCA starts the count again");
    }

    #[test]
    fn low_value_allows_100_euros_cumulated_since_the_last_sca() {
        let mut memory = CardMemory::default();
        for _ in 0..3 {
            assert!(low(euros(29), &memory));
            memory.record(Exemption::LowValue, euros(29));
        }
        assert_eq!(memory.low_value_spent_cents, euros(87));
        assert!(low(euros(13), &memory), "EUR 100 exactly is not above EUR 100");
        assert!(!low(1301, &memory), "EUR 100.01 is");
        memory.strongly_authenticated();
        assert!(low(euros(29), &memory));
        // Other exemptions do not count against low value.
        memory.record(Exemption::TransactionRiskAnalysis, euros(29));
        assert_eq!(memory, CardMemory::default());
    }

    #[test]
    fn tra_bands_by_the_acquirer_fraud_rate() {
        assert_eq!(tra_limit_cents(0.13), Some(euros(100)));
        assert_eq!(tra_limit_cents(0.131), None);
        assert_eq!(tra_limit_cents(0.06), Some(euros(250)));
        assert_eq!(tra_limit_cents(0.061), Some(euros(100)));
        assert_eq!(tra_limit_cents(0.01), Some(euros(500)));
        assert_eq!(tra_limit_cents(0.0), Some(euros(500)));
        assert_eq!(tra_limit_cents(-1.0), None);
        assert_eq!(tra_limit_cents(f64::NAN), None);
        assert!(tra(euros(100), 0.13) && !tra(10001, 0.13));
        assert!(tra(euros(250), 0.06) && !tra(25001, 0.06));
        assert!(tra(euros(500), 0.01) && !tra(50001, 0.01), "above EUR 500 there is no TRA");
        assert!(!tra(euros(1), 0.2), "a fraud rate above 0.13 % gets no TRA");
        assert!(tra(euros(200), DEFAULT_ACQUIRER_FRAUD_RATE) && !tra(25001, DEFAULT_ACQUIRER_FRAUD_RATE));
        assert!(!grants(Exemption::TransactionRiskAnalysis, None, None, &CardMemory::default(), &Settings::default()));
    }

    #[test]
    fn trusted_beneficiaries() {
        let mut memory = CardMemory::default();
        let shop = merchant_key(Some("000000999"), Some("9876543210001")).unwrap();
        let trusted = |memory: &CardMemory, merchant: Option<&str>| {
            grants(Exemption::TrustedBeneficiary, Some(euros(1_000)), merchant, memory, &Settings::default())
        };
        assert!(!trusted(&memory, Some(&shop)));
        memory.trust(&shop);
        memory.trust(&shop);
        assert_eq!(memory.trusted.len(), 1);
        assert!(trusted(&memory, Some(&shop)), "any amount");
        assert!(!trusted(&memory, Some("000000999:other")));
        assert!(!trusted(&memory, None));
        memory.strongly_authenticated();
        assert!(trusted(&memory, Some(&shop)), "SCA does not forget the whitelist");
        for n in 0..MAX_TRUSTED_MERCHANTS {
            memory.trust(&format!("m{n}"));
        }
        assert_eq!(memory.trusted.len(), MAX_TRUSTED_MERCHANTS);
        assert!(!memory.trusts(&shop), "the oldest goes first");
    }

    #[test]
    fn indicators_that_ask_for_an_exemption() {
        assert_eq!(requested(ChallengeIndicator::NoChallenge), Some(Exemption::LowValue));
        assert_eq!(requested(ChallengeIndicator::NoChallengeTraPerformed), Some(Exemption::TransactionRiskAnalysis));
        assert_eq!(requested(ChallengeIndicator::NoChallengeWhitelistExemption), Some(Exemption::TrustedBeneficiary));
        for none in [ChallengeIndicator::NoPreference, ChallengeIndicator::ChallengeRequested, ChallengeIndicator::ChallengeWhitelistPrompt] {
            assert_eq!(requested(none), None);
        }
    }
}
