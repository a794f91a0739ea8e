//! The issuer's decisions, pure apart from fresh IDs and authentication values:
//! the answer to an AReq by the card's scenario, what a challenge ends in, and the
//! RReq that reports it.

use base64::Engine as _;
use threeds_protocol::messages::{AReq, ARes, RReq, TransactionIds};
use threeds_protocol::{
    AuthenticationType, CardNumber, CardScheme, ChallengeCancel, ChallengeIndicator, ChallengeWindowSize, DeviceChannel, MessageCategory,
    MessageVersion, TransStatus, TransStatusReason,
};
use uuid::Uuid;

use super::exemptions::{self, CardMemory, Exemption, Settings};
use crate::support::cards::{self, Scenario};

/// `whiteListStatusSource` 03: the ACS set the whitelist status.
pub const WHITELIST_SOURCE_ACS: &str = "03";

/// The ACS's EMVCo reference number in every message of the mock.
pub const ACS_REFERENCE_NUMBER: &str = "threeds-mock-acs";

/// What the ACS keeps about a transaction it may challenge.
#[derive(Debug, Clone, PartialEq)]
pub struct AcsTransaction {
    /// The ACS's transaction ID.
    pub acs_trans_id: Uuid,
    /// The Directory Server's transaction ID.
    pub ds_trans_id: String,
    /// The 3DS Server's transaction ID.
    pub three_ds_server_trans_id: String,
    /// The protocol version of the AReq.
    pub version: MessageVersion,
    /// What the card does.
    pub scenario: Scenario,
    /// The card's scheme, when known.
    pub scheme: Option<CardScheme>,
    /// The AReq's message category.
    pub message_category: MessageCategory,
    /// Where the final CRes goes (the AReq's notificationURL).
    pub notification_url: String,
    /// Where the challenge is.
    pub stage: ChallengeStage,
    /// Wrong one-time codes entered so far.
    pub wrong_codes: u8,
    /// The card, so its SCA resets the issuer's low-value count.
    pub card: Option<CardNumber>,
    /// With challenge preference 09: the merchant ([`exemptions::merchant_key`])
    /// the challenge page offers to trust.
    pub whitelist_prompt: Option<String>,
}

/// Where a challenge is.
#[derive(Debug, Clone, PartialEq)]
pub enum ChallengeStage {
    /// ARes C sent; no CReq yet.
    AwaitingCreq,
    /// The CReq came; the cardholder is on the page.
    Challenging {
        /// The CReq's window size: the pages are laid out for it.
        window_size: ChallengeWindowSize,
        /// The `threeDSSessionData` posted with the CReq, echoed with the CRes.
        session_data: Option<String>,
    },
    /// Decoupled: the cardholder confirms elsewhere.
    Decoupled,
    /// Ended; the result was reported.
    Ended(Outcome),
    /// Ended with an Erro posted to the notification URL; no result was reported.
    Errored,
}

/// How an authentication ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The final transStatus.
    pub status: TransStatus,
    /// The transStatusReason, with N, U and R.
    pub reason: Option<TransStatusReason>,
    /// `challengeCancel`, when the challenge was cancelled.
    pub challenge_cancel: Option<ChallengeCancel>,
}

/// What the cardholder did on the challenge page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardholderAction {
    /// Entered the right one-time code, or approved out of band.
    Verified,
    /// Entered a wrong code for the last allowed time.
    ExhaustedAttempts,
    /// Chose Cancel.
    Cancelled,
}

/// A fresh 28-character base64 authentication value (20 random bytes, as a CAVV).
pub fn authentication_value() -> String {
    let mut bytes = [0u8; 20];
    bytes[..16].copy_from_slice(Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(&Uuid::new_v4().as_bytes()[..4]);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The ECI of an outcome; cards of schemes not modelled use the Visa family's values.
pub fn eci(scheme: Option<CardScheme>, status: TransStatus) -> Option<String> {
    scheme.unwrap_or(CardScheme::Visa).eci(status).map(str::to_owned)
}

/// How the card's challenge runs: a one-time code, or out of band.
fn authentication_type(scenario: Scenario) -> AuthenticationType {
    if scenario.out_of_band() { AuthenticationType::OutOfBand } else { AuthenticationType::Dynamic }
}

/// The outcome a challenge ends in, by scenario and what the cardholder did.
pub fn challenge_outcome(scenario: Scenario, action: CardholderAction) -> Outcome {
    let ended = |status, reason: Option<TransStatusReason>| Outcome { status, reason, challenge_cancel: None };
    match action {
        CardholderAction::Cancelled => Outcome {
            status: TransStatus::NotAuthenticated,
            reason: Some(TransStatusReason::CARD_AUTHENTICATION_FAILED),
            challenge_cancel: Some(ChallengeCancel::CardholderCanceled),
        },
        CardholderAction::ExhaustedAttempts => ended(TransStatus::NotAuthenticated, Some(TransStatusReason::EXCEEDS_MAX_CHALLENGES)),
        CardholderAction::Verified => match scenario {
            Scenario::AttemptedChallenge => ended(TransStatus::Attempted, None),
            Scenario::FailedChallenge | Scenario::FailedOutOfBandChallenge => {
                ended(TransStatus::NotAuthenticated, Some(TransStatusReason::CARD_AUTHENTICATION_FAILED))
            }
            Scenario::UnavailableChallenge => ended(TransStatus::Unavailable, Some(TransStatusReason::TIMED_OUT_AT_ACS)),
            Scenario::RejectedChallenge => ended(TransStatus::Rejected, Some(TransStatusReason::SUSPECTED_FRAUD)),
            _ => ended(TransStatus::Authenticated, None),
        },
    }
}

/// The ACS's answer to an AReq: the ARes, and the transaction the ACS must keep
/// when it asked for a challenge (C) or a decoupled confirmation (D).
#[derive(Debug, Clone)]
pub struct Decision {
    /// The ARes.
    pub ares: ARes,
    /// The transaction to keep, when the ARes is C or D.
    pub transaction: Option<AcsTransaction>,
    /// The exemption granted (ARes I), with the payment's amount in euro cents
    /// (0 when not in euros): the issuer records it against the card.
    pub exemption: Option<(Exemption, u64)>,
}

/// The exemption an AReq asks for and the issuer grants, with the amount in
/// euro cents. Only payments (messageCategory 01) of a 2.2.0+ AReq, where the
/// answer I exists; the card's scenario decides first (see [`decide_with`]).
pub fn granted_exemption(areq: &AReq, memory: &CardMemory, settings: &Settings) -> Option<(Exemption, u64)> {
    let browser = areq.device_channel == DeviceChannel::Browser;
    if !browser || areq.message_category != MessageCategory::Payment || !TransStatus::Informational.allowed_in(areq.message_version) {
        return None;
    }
    let asked = exemptions::requested(areq.three_ds_requestor_challenge_ind?)?;
    let amount = exemptions::eur_cents(
        areq.purchase_amount.as_deref().unwrap_or_default(),
        areq.purchase_currency.as_deref().unwrap_or_default(),
        areq.purchase_exponent.as_deref().unwrap_or("2"),
    );
    let merchant = exemptions::merchant_key(areq.acquirer_bin.as_deref(), areq.acquirer_merchant_id.as_deref());
    exemptions::grants(asked, amount, merchant.as_deref(), memory, settings).then(|| (asked, amount.unwrap_or(0)))
}

/// Whether the AReq asks about the whitelist (challenge preference 08 or 09, 2.2.0+).
fn asks_about_whitelist(areq: &AReq) -> bool {
    matches!(
        areq.three_ds_requestor_challenge_ind,
        Some(ChallengeIndicator::NoChallengeWhitelistExemption | ChallengeIndicator::ChallengeWhitelistPrompt)
    ) && areq.message_version >= MessageVersion::V2_2_0
}

/// Decides on an AReq the Directory Server screened and routed here, by the
/// card's scenario alone: no exemption is granted, as for an issuer that
/// remembers nothing. `acs_url` is where the CReq goes for a challenge.
pub fn decide(areq: &AReq, acs_url: &str) -> Decision {
    decide_with(areq, acs_url, &Settings::default(), &CardMemory::default())
}

/// Decides on an AReq by the card's scenario, then the exemption asked for.
///
/// The card's scenario comes first: attempted, failed, unavailable and rejected
/// cards answer as ever, and a mandated-challenge card is challenged whatever
/// the requestor asks. Otherwise a granted exemption ([`granted_exemption`])
/// answers I (informational: the preference acknowledged, no challenge), with
/// the scheme's "not authenticated" ECI and no authentication value: liability
/// stays with the merchant. With preference 08 or 09 the ARes carries the
/// merchant's whitelist status as the ACS knows it (Y or N, source 03).
///
/// A 3RI AReq (deviceChannel 03, a merchant session) has no cardholder at a
/// browser, so it is never answered C and gets no exemption (a merchant-initiated
/// payment is outside SCA): a card that would be challenged is confirmed
/// decoupled (D) when the requestor asks for it (the default of merchant
/// sessions), else N with reason 23 (decoupled authentication required). 3RI
/// payments exist from 2.2.0: on a 2.1.0 range only non-payment 3RI is
/// answered; a payment gets U with reason 21 (3RI not supported).
pub fn decide_with(areq: &AReq, acs_url: &str, settings: &Settings, memory: &CardMemory) -> Decision {
    let version = areq.message_version;
    let pan = areq.acct_number.as_ref().map(|pan| pan.expose()).unwrap_or_default();
    let scenario = cards::scenario_for(pan);
    let scheme = CardScheme::from_pan(pan);
    let merchant = exemptions::merchant_key(areq.acquirer_bin.as_deref(), areq.acquirer_merchant_id.as_deref());
    let exemption = match scenario {
        Scenario::Attempted | Scenario::Failed | Scenario::Unavailable | Scenario::Rejected | Scenario::MandatedChallenge => None,
        _ => granted_exemption(areq, memory, settings),
    };
    let three_ri = areq.device_channel == DeviceChannel::RequestorInitiated;
    let (status, reason) = match scenario {
        _ if three_ri && areq.message_category == MessageCategory::Payment && version < MessageVersion::V2_2_0 => {
            (TransStatus::Unavailable, Some(TransStatusReason::THREE_RI_NOT_SUPPORTED))
        }
        Scenario::Attempted => (TransStatus::Attempted, None),
        Scenario::Failed => (TransStatus::NotAuthenticated, Some(TransStatusReason::CARD_AUTHENTICATION_FAILED)),
        Scenario::Unavailable => (TransStatus::Unavailable, Some(TransStatusReason::TIMED_OUT_AT_ACS)),
        Scenario::Rejected => (TransStatus::Rejected, Some(TransStatusReason::SUSPECTED_FRAUD)),
        _ if exemption.is_some() => (TransStatus::Informational, None),
        scenario if scenario.challenges() => {
            if areq.requests_decoupled() && TransStatus::Decoupled.allowed_in(version) {
                (TransStatus::Decoupled, None)
            } else if three_ri {
                (TransStatus::NotAuthenticated, Some(TransStatusReason::DECOUPLED_REQUIRED))
            } else {
                (TransStatus::Challenge, None)
            }
        }
        // Frictionless success, and the internal-error card (a 3DS Server failure, not the issuer's).
        _ => (TransStatus::Authenticated, None),
    };
    let acs_trans_id = Uuid::new_v4();
    let ids = TransactionIds::new(areq.three_ds_server_trans_id.clone(), acs_trans_id.to_string(), areq.ds_trans_id.clone().unwrap_or_default());
    let challenge = status == TransStatus::Challenge;
    let ares = ARes {
        acs_reference_number: Some(ACS_REFERENCE_NUMBER.into()),
        ds_reference_number: areq.ds_reference_number.clone(),
        trans_status_reason: reason,
        eci: if status.is_final() { eci(scheme, status) } else { None },
        authentication_value: status.requires_authentication_value().then(authentication_value),
        acs_url: challenge.then(|| acs_url.to_owned()),
        acs_challenge_mandated: challenge.then(|| if scenario == Scenario::MandatedChallenge { "Y" } else { "N" }.to_owned()),
        authentication_type: challenge.then(|| authentication_type(scenario)),
        acs_dec_con_ind: (status == TransStatus::Decoupled).then(|| "Y".to_owned()),
        white_list_status: asks_about_whitelist(areq)
            .then(|| if merchant.as_deref().is_some_and(|m| memory.trusts(m)) { "Y" } else { "N" }.to_owned()),
        white_list_status_source: asks_about_whitelist(areq).then(|| WHITELIST_SOURCE_ACS.to_owned()),
        ..ARes::new(version, ids, status)
    };
    let transaction = matches!(status, TransStatus::Challenge | TransStatus::Decoupled).then(|| AcsTransaction {
        acs_trans_id,
        ds_trans_id: ares.ds_trans_id.clone(),
        three_ds_server_trans_id: areq.three_ds_server_trans_id.clone(),
        version,
        scenario,
        scheme,
        message_category: areq.message_category,
        notification_url: areq.notification_url.clone().unwrap_or_default(),
        stage: if status == TransStatus::Decoupled { ChallengeStage::Decoupled } else { ChallengeStage::AwaitingCreq },
        wrong_codes: 0,
        card: areq.acct_number.clone(),
        whitelist_prompt: (areq.three_ds_requestor_challenge_ind == Some(ChallengeIndicator::ChallengeWhitelistPrompt) && asks_about_whitelist(areq))
            .then(|| merchant.clone())
            .flatten(),
    });
    Decision { ares, transaction, exemption }
}

/// The RReq the ACS sends when a challenge (or decoupled confirmation) ends;
/// `trusted` is the merchant's whitelist status after a 09 challenge (reported
/// only then).
pub fn results_request(transaction: &AcsTransaction, outcome: &Outcome, interactions: u8, trusted: bool) -> RReq {
    let ids =
        TransactionIds::new(transaction.three_ds_server_trans_id.clone(), transaction.acs_trans_id.to_string(), transaction.ds_trans_id.clone());
    RReq {
        interaction_counter: Some(format!("{:02}", interactions.min(99))),
        authentication_type: Some(authentication_type(transaction.scenario)),
        trans_status_reason: outcome.reason,
        challenge_cancel: outcome.challenge_cancel.clone(),
        eci: eci(transaction.scheme, outcome.status),
        authentication_value: outcome.status.requires_authentication_value().then(authentication_value),
        white_list_status: transaction.whitelist_prompt.as_ref().map(|_| if trusted { "Y" } else { "N" }.to_owned()),
        white_list_status_source: transaction.whitelist_prompt.as_ref().map(|_| WHITELIST_SOURCE_ACS.to_owned()),
        ..RReq::new(transaction.version, ids, transaction.message_category, outcome.status)
    }
}

#[cfg(test)]
mod tests {
    use super::exemptions::euros;
    use super::*;
    use crate::support::cards::TEST_CARDS;

    const CHALLENGE_CARD: &str = "4000020000000000";
    const FRICTIONLESS_CARD: &str = "4242424242424242";
    const MANDATED_CARD: &str = "4761369980320253";
    const MERCHANT: &str = "000000999:9876543210001";

    /// A payment AReq as the Directory Server routes it.
    fn areq(pan: &str, indicator: &str, amount: &str, currency: &str) -> AReq {
        let version = cards::version_for(pan).to_string();
        let mut value = serde_json::json!({
            "messageType": "AReq", "messageVersion": version,
            "threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", "dsTransID": "5e1b1c1e-54a4-4c8e-9d0e-7e1bb6f0a4a1",
            "deviceChannel": "02", "messageCategory": "01", "threeDSCompInd": "Y",
            "notificationURL": "http://127.0.0.1:1/notify", "acctNumber": pan,
            "threeDSRequestorChallengeInd": indicator,
            "acquirerBIN": "000000999", "acquirerMerchantID": "9876543210001",
            "purchaseAmount": amount, "purchaseCurrency": currency, "purchaseExponent": "2", "purchaseDate": "20260101000000",
        });
        if indicator.is_empty() {
            value.as_object_mut().unwrap().remove("threeDSRequestorChallengeInd");
        }
        serde_json::from_value(value).unwrap()
    }

    fn decide_now(areq: &AReq, rate: f64, memory: &CardMemory) -> Decision {
        decide_with(areq, "http://acs/challenge", &Settings { acquirer_fraud_rate: rate }, memory)
    }

    fn exhausted() -> CardMemory {
        let mut memory = CardMemory::default();
        for _ in 0..exemptions::LOW_VALUE_MAX_USES {
            memory.record(Exemption::LowValue, euros(1));
        }
        memory
    }

    #[test]
    fn a_granted_exemption_answers_i_and_keeps_liability_with_the_merchant() {
        for pan in [CHALLENGE_CARD, FRICTIONLESS_CARD] {
            let decision = decide_now(&areq(pan, "02", "2999", "978"), 0.05, &CardMemory::default());
            assert_eq!(decision.ares.trans_status, TransStatus::Informational, "{pan}");
            assert!(!decision.ares.trans_status.shifts_liability());
            assert_eq!(decision.ares.eci.as_deref(), Some("07"), "Visa's ECI without authentication");
            assert_eq!(decision.ares.authentication_value, None);
            assert_eq!(decision.exemption, Some((Exemption::LowValue, 2999)));
            assert!(decision.transaction.is_none(), "no challenge");
        }
    }

    #[test]
    fn low_value_by_amount_and_the_cards_count() {
        let fresh = CardMemory::default();
        assert_eq!(decide_now(&areq(CHALLENGE_CARD, "02", "3000", "978"), 0.05, &fresh).ares.trans_status, TransStatus::Challenge);
        assert_eq!(decide_now(&areq(CHALLENGE_CARD, "02", "2999", "826"), 0.05, &fresh).ares.trans_status, TransStatus::Challenge, "GBP");
        let sixth = decide_now(&areq(CHALLENGE_CARD, "02", "100", "978"), 0.05, &exhausted());
        assert_eq!((sixth.ares.trans_status, sixth.exemption), (TransStatus::Challenge, None));
        let mut spent = CardMemory::default();
        spent.record(Exemption::LowValue, euros(90));
        assert_eq!(decide_now(&areq(CHALLENGE_CARD, "02", "1000", "978"), 0.05, &spent).ares.trans_status, TransStatus::Informational);
        assert_eq!(decide_now(&areq(CHALLENGE_CARD, "02", "1001", "978"), 0.05, &spent).ares.trans_status, TransStatus::Challenge);
        let mut reset = exhausted();
        reset.strongly_authenticated();
        assert_eq!(decide_now(&areq(CHALLENGE_CARD, "02", "100", "978"), 0.05, &reset).ares.trans_status, TransStatus::Informational);
    }

    #[test]
    fn tra_by_the_acquirer_fraud_rate() {
        let fresh = CardMemory::default();
        let tra = |amount: &str, rate: f64| decide_now(&areq(CHALLENGE_CARD, "05", amount, "978"), rate, &fresh);
        assert_eq!(tra("10000", 0.13).ares.trans_status, TransStatus::Informational);
        assert_eq!(tra("10001", 0.13).ares.trans_status, TransStatus::Challenge);
        assert_eq!(tra("25000", 0.06).ares.trans_status, TransStatus::Informational);
        assert_eq!(tra("25000", 0.07).ares.trans_status, TransStatus::Challenge);
        assert_eq!(tra("50000", 0.01).ares.trans_status, TransStatus::Informational);
        assert_eq!(tra("50001", 0.0).ares.trans_status, TransStatus::Challenge, "above EUR 500 no TRA");
        assert_eq!(tra("100", 0.14).exemption, None);
        assert_eq!(tra("2000", 0.13).exemption, Some((Exemption::TransactionRiskAnalysis, euros(20))), "TRA, not low value");
    }

    #[test]
    fn trusted_beneficiary_and_the_whitelist_status() {
        let untrusted = decide_now(&areq(CHALLENGE_CARD, "08", "100000", "978"), 0.05, &CardMemory::default());
        assert_eq!(untrusted.ares.trans_status, TransStatus::Challenge);
        assert_eq!((untrusted.ares.white_list_status.as_deref(), untrusted.ares.white_list_status_source.as_deref()), (Some("N"), Some("03")));
        let mut memory = CardMemory::default();
        memory.trust(MERCHANT);
        let trusted = decide_now(&areq(CHALLENGE_CARD, "08", "100000", "978"), 0.05, &memory);
        assert_eq!(trusted.ares.trans_status, TransStatus::Informational, "any amount, any currency");
        assert_eq!(trusted.exemption, Some((Exemption::TrustedBeneficiary, euros(1_000))));
        assert_eq!(trusted.ares.white_list_status.as_deref(), Some("Y"));
        let prompt = decide_now(&areq(CHALLENGE_CARD, "09", "100000", "978"), 0.05, &CardMemory::default());
        assert_eq!(prompt.ares.trans_status, TransStatus::Challenge);
        assert_eq!(prompt.transaction.unwrap().whitelist_prompt.as_deref(), Some(MERCHANT));
        let no_prompt = decide_now(&areq(CHALLENGE_CARD, "03", "100000", "978"), 0.05, &memory);
        assert_eq!((no_prompt.ares.white_list_status, no_prompt.transaction.unwrap().whitelist_prompt), (None, None));
    }

    #[test]
    fn the_card_decides_before_any_exemption() {
        let mut trusting = CardMemory::default();
        trusting.trust(MERCHANT);
        for indicator in ["02", "05", "08"] {
            let mandated = decide_now(&areq(MANDATED_CARD, indicator, "100", "978"), 0.0, &trusting);
            assert_eq!(mandated.ares.trans_status, TransStatus::Challenge, "a mandated challenge ignores {indicator}");
            assert_eq!(mandated.ares.acs_challenge_mandated.as_deref(), Some("Y"));
            assert_eq!(mandated.exemption, None);
        }
        let failed = decide_now(&areq("4264281511112228", "05", "100", "978"), 0.0, &trusting);
        assert_eq!(failed.ares.trans_status, TransStatus::NotAuthenticated);
        let attempted = decide_now(&areq("4111111111111111", "05", "100", "978"), 0.0, &trusting);
        assert_eq!(attempted.ares.trans_status, TransStatus::Attempted);
        // 2.1.0 has no I: a Mastercard range answers as without an exemption.
        let mastercard = decide_now(&areq("5204247750001471", "02", "100", "978"), 0.0, &trusting);
        assert_eq!((mastercard.ares.trans_status, mastercard.exemption), (TransStatus::Authenticated, None));
    }

    #[test]
    fn non_payment_gets_no_exemption() {
        let mut value = serde_json::to_value(areq(CHALLENGE_CARD, "02", "100", "978")).unwrap();
        value["messageCategory"] = "02".into();
        let areq: AReq = serde_json::from_value(value).unwrap();
        assert_eq!(decide_now(&areq, 0.0, &CardMemory::default()).ares.trans_status, TransStatus::Challenge);
    }

    /// A 3RI AReq (deviceChannel 03): no browser, no notification URL.
    fn three_ri(pan: &str, category: &str, decoupled: bool) -> AReq {
        let mut value = serde_json::to_value(areq(pan, "", "999", "978")).unwrap();
        let object = value.as_object_mut().unwrap();
        for field in ["threeDSCompInd", "notificationURL"] {
            object.remove(field);
        }
        value["deviceChannel"] = "03".into();
        value["threeRIInd"] = "01".into();
        value["messageCategory"] = category.into();
        if decoupled {
            value["threeDSRequestorDecReqInd"] = "Y".into();
        }
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn three_ri_is_never_challenged() {
        let fresh = CardMemory::default();
        let decoupled = decide_now(&three_ri(CHALLENGE_CARD, "01", true), 0.0, &fresh);
        assert_eq!(decoupled.ares.trans_status, TransStatus::Decoupled);
        assert_eq!(decoupled.transaction.unwrap().stage, ChallengeStage::Decoupled);
        let refused = decide_now(&three_ri(CHALLENGE_CARD, "01", false), 0.0, &fresh);
        assert_eq!(
            (refused.ares.trans_status, refused.ares.trans_status_reason),
            (TransStatus::NotAuthenticated, Some(TransStatusReason::DECOUPLED_REQUIRED))
        );
        assert!(refused.transaction.is_none() && refused.ares.acs_url.is_none());
        assert_eq!(decide_now(&three_ri(FRICTIONLESS_CARD, "01", true), 0.0, &fresh).ares.trans_status, TransStatus::Authenticated);
        // 2.1.0: 3RI for non-payment only.
        let payment = decide_now(&three_ri("5204247750001471", "01", false), 0.0, &fresh);
        assert_eq!(
            (payment.ares.trans_status, payment.ares.trans_status_reason),
            (TransStatus::Unavailable, Some(TransStatusReason::THREE_RI_NOT_SUPPORTED))
        );
        assert_eq!(decide_now(&three_ri("5204247750001471", "02", false), 0.0, &fresh).ares.trans_status, TransStatus::Authenticated);
        // A merchant-initiated payment is outside SCA: no exemption is granted or counted.
        let mut value = serde_json::to_value(three_ri(FRICTIONLESS_CARD, "01", true)).unwrap();
        value["threeDSRequestorChallengeInd"] = "02".into();
        let asked: AReq = serde_json::from_value(value).unwrap();
        assert_eq!(decide_now(&asked, 0.0, &fresh).exemption, None);
    }

    #[test]
    fn without_an_exemption_request_every_card_answers_as_before() {
        let mut generous = CardMemory::default();
        generous.trust(MERCHANT);
        for card in TEST_CARDS {
            for indicator in ["", "01", "03", "04"] {
                let areq = areq(card.pan, indicator, "100", "978");
                let plain = decide(&areq, "x");
                let remembering = decide_now(&areq, 0.0, &generous);
                assert_eq!(plain.ares.trans_status, remembering.ares.trans_status, "{} {indicator}", card.pan);
                assert_eq!(plain.ares.eci, remembering.ares.eci);
                assert_eq!(remembering.exemption, None);
            }
        }
    }

    #[test]
    fn challenge_outcomes() {
        use CardholderAction::*;
        assert_eq!(challenge_outcome(Scenario::ChallengeSuccess, Verified).status, TransStatus::Authenticated);
        assert_eq!(challenge_outcome(Scenario::AttemptedChallenge, Verified).status, TransStatus::Attempted);
        assert_eq!(challenge_outcome(Scenario::RejectedChallenge, Verified).status, TransStatus::Rejected);
        let cancelled = challenge_outcome(Scenario::ChallengeSuccess, Cancelled);
        assert_eq!(cancelled.challenge_cancel.as_ref().map(ChallengeCancel::code), Some("01"));
        assert_eq!((cancelled.status, cancelled.challenge_cancel), (TransStatus::NotAuthenticated, Some(ChallengeCancel::CardholderCanceled)));
        assert_eq!(challenge_outcome(Scenario::ChallengeSuccess, ExhaustedAttempts).status, TransStatus::NotAuthenticated);
    }
}
