//! The Directory Server and the issuer's decision: an AReq in, an ARes or an Erro
//! out, by the card's scenario. Also what a challenge ends in, and the RReq that
//! reports it. Pure apart from fresh IDs and authentication values.

use base64::Engine as _;
use serde_json::Value;
use threeds_protocol::messages::{AReq, ARes, RReq};
use threeds_protocol::{
    CardScheme, ChallengeWindowSize, DeviceChannel, Erro, ErrorCode, ErrorComponent, Message, MessageCategory, MessageVersion, TransStatus,
    TransStatusReason,
};
use uuid::Uuid;

use crate::cards::{self, Scenario};

/// The DS's and ACS's EMVCo reference numbers in every message of the mock.
pub const DS_REFERENCE_NUMBER: &str = "threeds-mock-ds";
/// See [`DS_REFERENCE_NUMBER`].
pub const ACS_REFERENCE_NUMBER: &str = "threeds-mock-acs";

/// What the ACS keeps about a transaction it may challenge.
#[derive(Debug, Clone, PartialEq)]
pub struct AcsTransaction {
    pub acs_trans_id: Uuid,
    pub ds_trans_id: String,
    pub three_ds_server_trans_id: String,
    pub version: MessageVersion,
    pub scenario: Scenario,
    pub scheme: Option<CardScheme>,
    pub message_category: MessageCategory,
    /// Where the final CRes goes (the AReq's notificationURL).
    pub notification_url: String,
    /// The session of the session API this came from, if any.
    pub session_id: Option<Uuid>,
    pub stage: ChallengeStage,
    /// Wrong one-time codes entered so far.
    pub wrong_codes: u8,
}

/// Where a challenge is.
#[derive(Debug, Clone, PartialEq)]
pub enum ChallengeStage {
    /// ARes C sent; no CReq yet.
    AwaitingCreq,
    /// The CReq came; the cardholder is on the page.
    Challenging { window_size: ChallengeWindowSize, session_data: Option<String> },
    /// Decoupled: the cardholder confirms elsewhere.
    Decoupled,
    /// Ended; the result was reported.
    Ended(Outcome),
}

/// How an authentication ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: TransStatus,
    pub reason: Option<TransStatusReason>,
    /// `challengeCancel`, when the challenge was cancelled.
    pub challenge_cancel: Option<&'static str>,
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

/// The outcome a challenge ends in, by scenario and what the cardholder did.
pub fn challenge_outcome(scenario: Scenario, action: CardholderAction) -> Outcome {
    let ended = |status, reason: Option<TransStatusReason>| Outcome { status, reason, challenge_cancel: None };
    match action {
        CardholderAction::Cancelled => Outcome {
            status: TransStatus::NotAuthenticated,
            reason: Some(TransStatusReason::CARD_AUTHENTICATION_FAILED),
            challenge_cancel: Some(threeds_protocol::codes::challenge_cancel::CARDHOLDER),
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

/// The result of a DS decision: the ARes, and the transaction the ACS must keep
/// when it asked for a challenge (C) or a decoupled confirmation (D).
#[derive(Debug, Clone)]
pub struct Decision {
    pub ares: ARes,
    pub transaction: Option<AcsTransaction>,
}

fn erro(code: ErrorCode, version: MessageVersion, trans_id: Option<String>, detail: &str) -> Erro {
    Erro::new(code, ErrorComponent::DirectoryServer, version, detail).for_transaction(trans_id).about("AReq")
}

/// Decides on an AReq given as JSON, as `POST /ds/areq` does: parse, check the
/// browser-channel rules, then answer by the card's scenario.
///
/// `acs_url` is where the CReq goes for a challenge.
pub fn decide(value: Value, acs_url: &str) -> Result<Decision, Erro> {
    let trans_id = value.get("threeDSServerTransID").and_then(Value::as_str).map(|id| id.chars().take(36).collect());
    let declared_version = value.get("messageVersion").and_then(Value::as_str).and_then(|v| v.parse().ok());
    let reply_version = declared_version.unwrap_or(MessageVersion::V2_2_0);
    let message = Message::from_value(value)
        .map_err(|error| error.to_erro(ErrorComponent::DirectoryServer, reply_version).for_transaction(trans_id.clone()).about("AReq"))?;
    let Message::AReq(areq) = message else {
        return Err(erro(ErrorCode::MessageInvalid, reply_version, trans_id, "this endpoint takes an AReq"));
    };
    decide_areq(&areq, acs_url)
}

/// Decides on a parsed AReq (see [`decide`]).
pub fn decide_areq(areq: &AReq, acs_url: &str) -> Result<Decision, Erro> {
    let version = areq.message_version;
    let trans_id = Some(areq.three_ds_server_trans_id.clone());
    if areq.device_channel != DeviceChannel::Browser {
        return Err(erro(ErrorCode::MessageInvalid, version, trans_id, "this Directory Server serves the browser channel (deviceChannel 02) only"));
    }
    if let Err(violations) = areq.validate_browser_channel() {
        return Err(erro(violations.erro_code(), version, trans_id, &violations.error_detail()));
    }
    let Some(pan) = areq.acct_number.as_ref().map(|pan| pan.expose().to_owned()) else {
        return Err(erro(ErrorCode::RequiredElementMissing, version, trans_id, "acctNumber"));
    };
    if pan.len() < 12 || pan.len() > 19 || !pan.bytes().all(|b| b.is_ascii_digit()) {
        return Err(erro(ErrorCode::FormatInvalid, version, trans_id, "acctNumber"));
    }
    let range_version = cards::version_for(&pan);
    if version > range_version {
        return Err(erro(ErrorCode::VersionNotSupported, version, trans_id, &format!("the card range supports 2.1.0 to {range_version}")));
    }
    let scenario = cards::scenario_for(&pan);
    if scenario == Scenario::DirectoryServerError {
        return Err(erro(ErrorCode::ConnectionFailure, version, trans_id, "the Directory Server could not reach the ACS"));
    }
    let scheme = CardScheme::from_pan(&pan);
    let decoupled_requested = areq.extra.get("threeDSRequestorDecReqInd").and_then(Value::as_str) == Some("Y");
    let frictionless = |status: TransStatus, reason: Option<TransStatusReason>| (status, reason);
    let (status, reason) = match scenario {
        Scenario::Attempted => frictionless(TransStatus::Attempted, None),
        Scenario::Failed => frictionless(TransStatus::NotAuthenticated, Some(TransStatusReason::CARD_AUTHENTICATION_FAILED)),
        Scenario::Unavailable => frictionless(TransStatus::Unavailable, Some(TransStatusReason::TIMED_OUT_AT_ACS)),
        Scenario::Rejected => frictionless(TransStatus::Rejected, Some(TransStatusReason::SUSPECTED_FRAUD)),
        scenario if scenario.challenges() => {
            if decoupled_requested && TransStatus::Decoupled.allowed_in(version) {
                (TransStatus::Decoupled, None)
            } else {
                (TransStatus::Challenge, None)
            }
        }
        // Frictionless success, and the internal-error card (a 3DS Server failure, not the DS's).
        _ => frictionless(TransStatus::Authenticated, None),
    };
    let acs_trans_id = Uuid::new_v4();
    let ds_trans_id = Uuid::new_v4().to_string();
    let challenge = matches!(status, TransStatus::Challenge | TransStatus::Decoupled);
    let mut ares: ARes = serde_json::from_value(serde_json::json!({
        "messageType": "ARes",
        "messageVersion": version,
        "threeDSServerTransID": areq.three_ds_server_trans_id,
        "acsTransID": acs_trans_id.to_string(),
        "dsTransID": ds_trans_id,
        "transStatus": status,
        "acsReferenceNumber": ACS_REFERENCE_NUMBER,
        "dsReferenceNumber": DS_REFERENCE_NUMBER,
    }))
    .expect("a well-formed ARes");
    ares.trans_status_reason = reason;
    if status.is_final() {
        ares.eci = eci(scheme, status);
    }
    if status.requires_authentication_value() {
        ares.authentication_value = Some(authentication_value());
    }
    if status == TransStatus::Challenge {
        ares.acs_url = Some(acs_url.to_owned());
        ares.acs_challenge_mandated = Some(if scenario == Scenario::MandatedChallenge { "Y" } else { "N" }.to_owned());
        // 01 static, 02 dynamic (one-time code), 03 out of band.
        ares.authentication_type = Some(if scenario.out_of_band() { "03" } else { "02" }.to_owned());
    }
    if status == TransStatus::Decoupled {
        ares.extra.insert("acsDecConInd".into(), "Y".into());
    }
    let transaction = challenge.then(|| AcsTransaction {
        acs_trans_id,
        ds_trans_id: ares.ds_trans_id.clone(),
        three_ds_server_trans_id: areq.three_ds_server_trans_id.clone(),
        version,
        scenario,
        scheme,
        message_category: areq.message_category,
        notification_url: areq.notification_url.clone().unwrap_or_default(),
        session_id: None,
        stage: if status == TransStatus::Decoupled { ChallengeStage::Decoupled } else { ChallengeStage::AwaitingCreq },
        wrong_codes: 0,
    });
    Ok(Decision { ares, transaction })
}

/// The RReq the ACS sends when a challenge (or decoupled confirmation) ends.
pub fn results_request(transaction: &AcsTransaction, outcome: &Outcome, interactions: u8) -> RReq {
    let mut rreq: RReq = serde_json::from_value(serde_json::json!({
        "messageType": "RReq",
        "messageVersion": transaction.version,
        "threeDSServerTransID": transaction.three_ds_server_trans_id,
        "acsTransID": transaction.acs_trans_id.to_string(),
        "dsTransID": transaction.ds_trans_id,
        "messageCategory": transaction.message_category,
        "transStatus": outcome.status,
        "interactionCounter": format!("{:02}", interactions.min(99)),
        "authenticationType": if transaction.scenario.out_of_band() { "03" } else { "02" },
    }))
    .expect("a well-formed RReq");
    rreq.trans_status_reason = outcome.reason;
    rreq.challenge_cancel = outcome.challenge_cancel.map(str::to_owned);
    rreq.eci = eci(transaction.scheme, outcome.status);
    if outcome.status.requires_authentication_value() {
        rreq.authentication_value = Some(authentication_value());
    }
    rreq
}

#[cfg(test)]
mod tests {
    use super::*;
    use threeds_protocol::handoff::is_authentication_value;

    fn areq(pan: &str, version: &str) -> Value {
        let mut value = serde_json::json!({
            "messageType": "AReq", "messageVersion": version,
            "threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
            "deviceChannel": "02", "messageCategory": "01", "threeDSCompInd": "Y",
            "notificationURL": "http://127.0.0.1:1/notify", "acctNumber": pan,
            "browserAcceptHeader": "text/html", "browserJavaEnabled": false, "browserLanguage": "en",
            "browserColorDepth": "24", "browserScreenHeight": "1080", "browserScreenWidth": "1920",
            "browserTZ": "0", "browserUserAgent": "Mozilla/5.0", "browserIP": "127.0.0.1"
        });
        if version != "2.1.0" {
            value["browserJavascriptEnabled"] = true.into();
        }
        if version == "2.3.1" {
            value["acceptLanguage"] = serde_json::json!(["en"]);
        }
        value
    }

    #[test]
    fn frictionless_cards_by_scheme() {
        let visa = decide(areq("4242424242424242", "2.2.0"), "x").unwrap();
        assert_eq!(visa.ares.trans_status, TransStatus::Authenticated);
        assert_eq!(visa.ares.eci.as_deref(), Some("05"));
        assert!(is_authentication_value(visa.ares.authentication_value.as_deref().unwrap()));
        assert_eq!(visa.ares.authentication_value.as_deref().unwrap().len(), 28);
        assert!(visa.transaction.is_none());
        let mastercard = decide(areq("5424180011113336", "2.1.0"), "x").unwrap();
        assert_eq!((mastercard.ares.trans_status, mastercard.ares.eci.as_deref()), (TransStatus::Attempted, Some("01")));
    }

    #[test]
    fn challenge_and_decoupled() {
        let decision = decide(areq("4000020000000000", "2.2.0"), "http://acs/challenge").unwrap();
        assert_eq!(decision.ares.trans_status, TransStatus::Challenge);
        assert_eq!(decision.ares.acs_url.as_deref(), Some("http://acs/challenge"));
        assert_eq!(decision.transaction.unwrap().stage, ChallengeStage::AwaitingCreq);
        let mut value = areq("4000020000000000", "2.2.0");
        value["threeDSRequestorDecReqInd"] = "Y".into();
        let decision = decide(value, "x").unwrap();
        assert_eq!(decision.ares.trans_status, TransStatus::Decoupled);
        assert_eq!(decision.transaction.unwrap().stage, ChallengeStage::Decoupled);
    }

    #[test]
    fn errors_are_the_prescribed_erro() {
        let ds_error = decide(areq("4264281500003339", "2.2.0"), "x").unwrap_err();
        assert_eq!((ds_error.error_code, ds_error.error_component), (ErrorCode::ConnectionFailure, ErrorComponent::DirectoryServer));
        let mut value = areq("4242424242424242", "2.2.0");
        value["messageVersion"] = "2.0.1".into();
        assert_eq!(decide(value, "x").unwrap_err().error_code, ErrorCode::VersionNotSupported);
        let mut value = areq("4242424242424242", "2.2.0");
        value.as_object_mut().unwrap().remove("browserTZ");
        let missing = decide(value, "x").unwrap_err();
        assert_eq!((missing.error_code, missing.error_detail.as_str()), (ErrorCode::RequiredElementMissing, "browserTZ"));
        // Mastercard ranges speak 2.1.0 only.
        assert_eq!(decide(areq("5204247750001471", "2.2.0"), "x").unwrap_err().error_code, ErrorCode::VersionNotSupported);
    }

    #[test]
    fn challenge_outcomes() {
        use CardholderAction::*;
        assert_eq!(challenge_outcome(Scenario::ChallengeSuccess, Verified).status, TransStatus::Authenticated);
        assert_eq!(challenge_outcome(Scenario::AttemptedChallenge, Verified).status, TransStatus::Attempted);
        assert_eq!(challenge_outcome(Scenario::RejectedChallenge, Verified).status, TransStatus::Rejected);
        let cancelled = challenge_outcome(Scenario::ChallengeSuccess, Cancelled);
        assert_eq!((cancelled.status, cancelled.challenge_cancel), (TransStatus::NotAuthenticated, Some("01")));
        assert_eq!(challenge_outcome(Scenario::ChallengeSuccess, ExhaustedAttempts).status, TransStatus::NotAuthenticated);
    }
}
