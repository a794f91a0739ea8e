//! The session API's data: what a session holds, the request bodies with their
//! rules, and the authentication object of the responses (the session API's shapes).

use std::time::SystemTime;

use threeds_protocol::handoff::{AuthenticationResult, StripeThreeDSecure};
use threeds_protocol::messages::{ARes, RReq};
use threeds_protocol::{
    AuthenticationType, BrowserInfo, CardNumber, CardScheme, ChallengeCancel, ChallengeIndicator, Erro, MessageVersion, ThreeDSCompInd, TransStatus,
    TransStatusReason,
};
use uuid::Uuid;

pub use threeds_api::session::{
    Authenticate, AuthenticationObject, CreateSession, CreateToken, DeviceInfo, FieldError, MerchantInfo, MethodInfo, ProcessorHandoff, PurchaseInfo,
    RequestorInfo, SessionObject, SessionType, StripeHandoff, VersionInfo,
};

/// One 3DS session: a card, a browser, and (once authenticated) its outcome.
#[derive(Debug, Clone)]
pub struct Session {
    /// The session's ID, in its URLs.
    pub id: Uuid,
    /// The 3DS Server's transaction ID (threeDSServerTransID).
    pub three_ds_server_trans_id: Uuid,
    /// Customer (browser) or merchant-initiated.
    pub kind: SessionType,
    /// The card number; never in a response.
    pub card: CardNumber,
    /// The token the session was created from, if any.
    pub token_id: Option<String>,
    /// The card's scheme, when known.
    pub scheme: Option<CardScheme>,
    /// The protocol version of the card's range.
    pub version: MessageVersion,
    /// The browser data of the AReq.
    pub browser: BrowserInfo,
    /// The SDK host page's origin: the only target of the notification pages' messages.
    pub sdk_origin: Option<String>,
    /// This server's origin as the session's creator addressed it: its notification
    /// URLs are named on it, so their relay pages come from the origin the SDK
    /// host frame calls the API at (`localhost` or `127.0.0.1` alike).
    pub api_origin: String,
    /// For a processor's session ([`super::hosted`]): where the challenge
    /// notification sends the cardholder, in place of the SDK relay page.
    pub return_to: Option<String>,
    /// The ACS's 3DS Method URL, when the card's range has one.
    pub method_url: Option<String>,
    /// Y once the method notification arrived.
    pub method_completed: bool,
    /// When the session was created.
    pub created: SystemTime,
    /// When the session last changed.
    pub modified: SystemTime,
    /// The authentication, once the merchant asked for it.
    pub authentication: Option<Authentication>,
}

impl Session {
    /// Rule: Y the notification arrived; N it did not (the SDK waited 10 s); U no method URL.
    pub fn method_completion_indicator(&self) -> ThreeDSCompInd {
        match (&self.method_url, self.method_completed) {
            (None, _) => ThreeDSCompInd::Unavailable,
            (Some(_), true) => ThreeDSCompInd::Completed,
            (Some(_), false) => ThreeDSCompInd::NotCompleted,
        }
    }

    /// The session object of `GET /3ds/sessions/{id}`. The card number never appears.
    pub fn to_object(&self) -> SessionObject {
        SessionObject {
            id: self.id.to_string(),
            kind: self.kind,
            card_brand: self.scheme.map(|s| s.display_name().to_owned()),
            card_last4: Some(self.card.last4().to_owned()),
            token_id: self.token_id.clone(),
            created_date: humantime::format_rfc3339_millis(self.created).to_string(),
            modified_date: humantime::format_rfc3339_millis(self.modified).to_string(),
            device: "browser".into(),
            device_info: DeviceInfo::from_browser(&self.browser),
            three_ds_server_transaction_id: self.three_ds_server_trans_id.to_string(),
            version: VersionInfo {
                recommended_version: self.version,
                available_versions: MessageVersion::ALL.into_iter().filter(|v| *v <= self.version).collect(),
                earliest_acs_supported_version: MessageVersion::V2_1_0,
                latest_acs_supported_version: self.version,
                earliest_ds_supported_version: MessageVersion::V2_1_0,
                latest_ds_supported_version: MessageVersion::V2_3_1,
                acs_information: Vec::new(),
            },
            method: MethodInfo { method_url: self.method_url.clone(), method_completion_indicator: self.method_completion_indicator() },
            authentication: self.authentication.as_ref().map(|a| a.to_object(self)),
        }
    }
}

/// What the 3DS Server knows of a session's authentication.
#[derive(Debug, Clone)]
pub struct Authentication {
    /// The ARes the Directory Server answered.
    pub ares: ARes,
    /// The challenge's result, once the ACS reported it.
    pub rreq: Option<RReq>,
    /// The requestor's challenge preference of the AReq.
    pub challenge_indicator: ChallengeIndicator,
    /// The CRes arrived at the challenge notification endpoint.
    pub cres_received: bool,
    /// The Erro the ACS posted to the challenge notification endpoint in place of
    /// a CRes, when no RReq reported a result first.
    pub acs_erro: Option<Erro>,
}

impl Authentication {
    /// The status that counts now: the RReq's after a challenge, else the ARes's.
    pub fn status(&self) -> TransStatus {
        self.rreq.as_ref().map_or(self.ares.trans_status, |r| r.trans_status)
    }

    /// Whether the outcome is final.
    pub fn is_final(&self) -> bool {
        self.status().is_final()
    }

    /// Whether nothing more will happen: the outcome is final, or the ACS ended
    /// the challenge with an Erro.
    pub fn is_finished(&self) -> bool {
        self.is_final() || (self.rreq.is_none() && self.acs_erro.is_some())
    }

    /// The ACS's Erro, when it ended the challenge without a result.
    pub fn ended_with_erro(&self) -> Option<&Erro> {
        self.rreq.is_none().then_some(self.acs_erro.as_ref()).flatten()
    }

    /// The result as threeds-protocol reads it, for the processor hand-off.
    pub fn result(&self) -> AuthenticationResult {
        AuthenticationResult::from_messages(&self.ares, self.rreq.as_ref(), Some(self.challenge_indicator))
    }

    /// The authentication object (plus `three_ds_server_transaction_id` and, when
    /// importable, the Stripe parameters under `processor`).
    pub fn to_object(&self, session: &Session) -> AuthenticationObject {
        let status = self.status();
        let reason = self.rreq.as_ref().map_or(self.ares.trans_status_reason, |r| r.trans_status_reason);
        let cancel = self.rreq.as_ref().and_then(|r| r.challenge_cancel.clone());
        let result = self.result();
        let processor = StripeThreeDSecure::from_result(&result).ok().map(|params| ProcessorHandoff {
            stripe: StripeHandoff { json: params.to_json(), form: params.to_form_pairs(), curl: params.to_curl_flags() },
        });
        let challenge_type = self.ares.authentication_type.as_ref().map(|t| match t {
            AuthenticationType::Static => "static",
            AuthenticationType::OutOfBand => "out-of-band",
            _ => "dynamic",
        });
        let challenge_type = if self.ares.trans_status == TransStatus::Decoupled { Some("decoupled") } else { challenge_type };
        // The RReq's whitelist status (after a 09 challenge) counts over the ARes's.
        let whitelist = match self.rreq.as_ref().and_then(|r| r.white_list_status.as_deref()) {
            Some(status) => Some((status, self.rreq.as_ref().and_then(|r| r.white_list_status_source.as_deref()))),
            None => self.ares.white_list_status.as_deref().map(|status| (status, self.ares.white_list_status_source.as_deref())),
        };
        AuthenticationObject {
            token_id: session.token_id.clone(),
            session_id: session.id.to_string(),
            threeds_version: self.ares.message_version,
            three_ds_server_transaction_id: self.ares.three_ds_server_trans_id.clone(),
            acs_transaction_id: self.ares.acs_trans_id.clone(),
            ds_transaction_id: self.ares.ds_trans_id.clone(),
            acs_reference_number: self.ares.acs_reference_number.clone(),
            ds_reference_number: self.ares.ds_reference_number.clone(),
            liability_shifted: status.shifts_liability(),
            authentication_value: result.authentication_value.clone(),
            authentication_status: status_name(status).into(),
            authentication_status_code: status,
            authentication_status_reason: reason.map(|r| reason_name(r).into()),
            authentication_status_reason_code: reason,
            directory_status_code: self.ares.trans_status,
            eci: result.eci.clone(),
            acs_challenge_mandated: self.ares.acs_challenge_mandated.clone(),
            authentication_challenge_type: challenge_type.map(Into::into),
            acs_challenge_url: self.ares.acs_url.clone(),
            challenge_preference: preference_name(self.challenge_indicator).into(),
            challenge_preference_code: self.challenge_indicator.code().to_string(),
            whitelist_status: whitelist.map(|(status, _)| whitelist_status_name(status).into()),
            whitelist_status_source: whitelist.and_then(|(_, source)| source).map(|source| whitelist_source_name(source).into()),
            challenge_attempts: self.rreq.as_ref().and_then(|r| r.interaction_counter.clone()),
            challenge_cancel_reason: cancel.as_ref().map(|c| cancel_name(c).into()),
            challenge_cancel_reason_code: cancel.map(|c| c.code().to_owned()),
            message_extensions: self.ares.message_extension.clone().unwrap_or_default(),
            processor,
        }
    }
}

/// The session API's authentication status names.
pub fn status_name(status: TransStatus) -> &'static str {
    match status {
        TransStatus::Authenticated => "successful",
        TransStatus::Attempted => "attempted",
        TransStatus::NotAuthenticated => "failed",
        TransStatus::Unavailable => "unavailable",
        TransStatus::Challenge => "challenge",
        TransStatus::Decoupled => "decoupled_challenge",
        TransStatus::Rejected => "rejected",
        TransStatus::Informational => "informational",
        TransStatus::SpcChallenge => "spc_challenge",
    }
}

/// The session API's authentication status reason names.
pub fn reason_name(reason: TransStatusReason) -> &'static str {
    const NAMES: [&str; 26] = [
        "card-authentication-failed",
        "unknown-device",
        "unsupported-device",
        "too-many-authentication-attempts",
        "card-expired",
        "invalid-card-number",
        "invalid-transaction",
        "no-card-record",
        "security-failure",
        "stolen-card",
        "suspected-fraud",
        "transaction-not-permitted",
        "cardholder-not-enrolled",
        "timeout-at-acs",
        "low-confidence",
        "medium-confidence",
        "high-confidence",
        "very-high-confidence",
        "max-challenges-exceeded",
        "non-payment-transaction-not-support",
        "3ri-not-supported",
        "acs-technical-issue",
        "decoupled-authentication-required",
        "decoupled-authentication-timeout",
        "insufficient-decoupled-authentication-time",
        "authentication-attempted-but-not-performed",
    ];
    match reason.number() {
        n @ 1..=26 => NAMES[usize::from(n) - 1],
        _ => "unknown",
    }
}

fn preference_name(indicator: ChallengeIndicator) -> &'static str {
    threeds_api::session::challenge_preference_name(indicator)
}

/// The session API's whitelist status names for EMV's `whiteListStatus`.
fn whitelist_status_name(code: &str) -> &'static str {
    match code {
        "Y" => "merchant-trusted",
        "N" => "merchant-not-trusted",
        "E" => "not-eligible",
        "P" => "pending-confirmation",
        "R" => "request-to-trust-rejected",
        _ => "unknown",
    }
}

/// The session API's whitelist status source names for EMV's `whiteListStatusSource`.
fn whitelist_source_name(code: &str) -> &'static str {
    match code {
        "01" => "3ds-server",
        "02" => "directory-server",
        _ => "acs",
    }
}

/// The session API's challenge cancel reason names (07, 08 and codes not named are `unknown`).
fn cancel_name(cancel: &ChallengeCancel) -> &'static str {
    match cancel {
        ChallengeCancel::CardholderCanceled => "cardholder-canceled",
        ChallengeCancel::RequestorCanceled => "requestor-canceled",
        ChallengeCancel::TransactionAbandoned => "transaction-abandoned",
        ChallengeCancel::AcsTimeout => "acs-timeout",
        ChallengeCancel::AcsTimeoutRequestNotReceived => "acs-timeout-request-not-received",
        ChallengeCancel::Error => "error",
        _ => "unknown",
    }
}
