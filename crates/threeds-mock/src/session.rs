//! The session API's data: what a session holds, the request bodies with their
//! rules, and the authentication object of the responses (seed 003's shapes).

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use threeds_protocol::handoff::{AuthenticationResult, StripeThreeDSecure};
use threeds_protocol::messages::{ARes, RReq};
use threeds_protocol::{BrowserInfo, CardNumber, CardScheme, ChallengeIndicator, MessageVersion, ThreeDSCompInd, TransStatus, TransStatusReason};
use uuid::Uuid;

use crate::error::ApiError;

/// One 3DS session: a card, a browser, and (once authenticated) its outcome.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub three_ds_server_trans_id: Uuid,
    pub kind: SessionType,
    pub card: CardNumber,
    pub token_id: Option<String>,
    pub scheme: Option<CardScheme>,
    pub version: MessageVersion,
    pub browser: BrowserInfo,
    /// The SDK host page's origin: the only target of the notification pages' messages.
    pub sdk_origin: Option<String>,
    pub method_url: Option<String>,
    /// Y once the method notification arrived.
    pub method_completed: bool,
    pub created: SystemTime,
    pub modified: SystemTime,
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
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "type": self.kind,
            "card_brand": self.scheme.map(CardScheme::display_name),
            "card_last4": self.card.expose().get(self.card.expose().len().saturating_sub(4)..),
            "token_id": self.token_id,
            "created_date": humantime::format_rfc3339_millis(self.created).to_string(),
            "modified_date": humantime::format_rfc3339_millis(self.modified).to_string(),
            "device": "browser",
            "device_info": DeviceInfo::from_browser(&self.browser),
            "three_ds_server_transaction_id": self.three_ds_server_trans_id,
            "version": {
                "recommended_version": self.version,
                "available_versions": MessageVersion::ALL.iter().filter(|v| **v <= self.version).collect::<Vec<_>>(),
                "earliest_acs_supported_version": MessageVersion::V2_1_0,
                "latest_acs_supported_version": self.version,
                "earliest_ds_supported_version": MessageVersion::V2_1_0,
                "latest_ds_supported_version": MessageVersion::V2_3_1,
                "acs_information": [],
            },
            "method": {
                "method_url": self.method_url,
                "method_completion_indicator": self.method_completion_indicator(),
            },
            "authentication": self.authentication.as_ref().map(|a| a.to_json(self)),
        })
    }
}

/// `customer` (cardholder present) or `merchant` (3RI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionType {
    Customer,
    Merchant,
}

/// `device_info` of seed 003: the EMV browser fields, snake_case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_accept_header: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_javascript_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_java_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_accept_language: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_color_depth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_screen_height: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_screen_width: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_tz: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_user_agent: Option<String>,
}

impl DeviceInfo {
    /// The EMV browser fields.
    pub fn to_browser(&self) -> BrowserInfo {
        BrowserInfo {
            accept_header: self.browser_accept_header.clone(),
            ip: self.browser_ip.clone(),
            java_enabled: self.browser_java_enabled,
            javascript_enabled: self.browser_javascript_enabled,
            language: self.browser_language.clone(),
            color_depth: self.browser_color_depth.clone(),
            screen_height: self.browser_screen_height.clone(),
            screen_width: self.browser_screen_width.clone(),
            tz: self.browser_tz.clone(),
            user_agent: self.browser_user_agent.clone(),
            accept_language: self.browser_accept_language.clone(),
        }
    }

    /// The snake_case form of EMV browser fields.
    pub fn from_browser(browser: &BrowserInfo) -> Self {
        Self {
            browser_accept_header: browser.accept_header.clone(),
            browser_ip: browser.ip.clone(),
            browser_javascript_enabled: browser.javascript_enabled,
            browser_java_enabled: browser.java_enabled,
            browser_language: browser.language.clone(),
            browser_accept_language: browser.accept_language.clone(),
            browser_color_depth: browser.color_depth.clone(),
            browser_screen_height: browser.screen_height.clone(),
            browser_screen_width: browser.screen_width.clone(),
            browser_tz: browser.tz.clone(),
            browser_user_agent: browser.user_agent.clone(),
        }
    }
}

/// `POST /3ds/sessions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    pub token_id: Option<String>,
    pub pan: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<SessionType>,
    pub device: Option<String>,
    pub device_info: Option<DeviceInfo>,
}

/// `POST /3ds/tokens`: the mock's card vault, so the SDK can send a token instead of a PAN.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    pub pan: String,
}

/// Checks a card number's shape (12-19 digits); Luhn is not required (the test table
/// has Luhn-invalid cards).
pub fn check_pan(field: &str, pan: &str) -> Result<CardNumber, ApiError> {
    if (12..=19).contains(&pan.len()) && pan.bytes().all(|b| b.is_ascii_digit()) {
        Ok(CardNumber::new(pan))
    } else {
        Err(ApiError::invalid(field, "must be 12-19 digits"))
    }
}

/// `POST /3ds/sessions/{id}/authenticate` (secret key).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authenticate {
    pub authentication_category: String,
    pub authentication_type: String,
    pub challenge_preference: Option<String>,
    pub request_decoupled_challenge: Option<bool>,
    pub decoupled_challenge_max_time: Option<u32>,
    pub merchant_info: Option<MerchantInfo>,
    pub requestor_info: Option<RequestorInfo>,
    pub purchase_info: Option<PurchaseInfo>,
    pub cardholder_info: Option<Value>,
    pub broadcast_info: Option<Value>,
    pub message_extensions: Option<Vec<Value>>,
}

/// `merchant_info`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantInfo {
    pub mid: String,
    pub acquirer_bin: String,
    pub name: String,
    pub category_code: String,
    pub country_code: String,
    pub url: Option<String>,
}

/// `requestor_info`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestorInfo {
    pub amex_requestor_type: Option<String>,
    pub cb_siret_number: Option<String>,
}

/// `purchase_info`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseInfo {
    pub amount: String,
    pub currency: String,
    pub exponent: Option<String>,
    pub date: Option<String>,
    pub transaction_type: Option<String>,
    pub installment_count: Option<String>,
    pub recurring_expiration: Option<String>,
    pub recurring_frequency: Option<String>,
}

/// Seed 003's authentication types.
const AUTHENTICATION_TYPES: [&str; 11] = [
    "payment-transaction",
    "recurring-transaction",
    "installment-transaction",
    "add-card",
    "maintain-card",
    "emv-token-cardholder-verification",
    "billing-agreement",
    "split-shipment",
    "delayed-shipment",
    "split-payment",
    "reauthentication",
];

fn digits(field: &str, value: &str, min: usize, max: usize) -> Result<(), ApiError> {
    if (min..=max).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else if min == max {
        Err(ApiError::invalid(field, format!("must be {min} digits")))
    } else {
        Err(ApiError::invalid(field, format!("must be {min}-{max} digits")))
    }
}

impl Authenticate {
    /// The challenge preference as the AReq's `threeDSRequestorChallengeInd`.
    pub fn challenge_indicator(&self) -> Result<ChallengeIndicator, ApiError> {
        Ok(match self.challenge_preference.as_deref().unwrap_or("no-preference") {
            "no-preference" => ChallengeIndicator::NoPreference,
            "no-challenge" => ChallengeIndicator::NoChallenge,
            "challenge-requested" => ChallengeIndicator::ChallengeRequested,
            "challenge-mandated" => ChallengeIndicator::ChallengeMandated,
            _ => {
                return Err(ApiError::invalid(
                    "challenge_preference",
                    "must be no-preference, no-challenge, challenge-requested or challenge-mandated",
                ));
            }
        })
    }

    /// Seed 003's required and conditional rules, for a card of `scheme`.
    pub fn check(&self, scheme: Option<CardScheme>, kind: SessionType) -> Result<(), ApiError> {
        let payment = match self.authentication_category.as_str() {
            "payment" => true,
            "non-payment" => false,
            _ => return Err(ApiError::invalid("authentication_category", "must be payment or non-payment")),
        };
        if !AUTHENTICATION_TYPES.contains(&self.authentication_type.as_str()) {
            return Err(ApiError::invalid("authentication_type", format!("must be one of {}", AUTHENTICATION_TYPES.join(", "))));
        }
        self.challenge_indicator()?;
        let decoupled = self.request_decoupled_challenge.unwrap_or(kind == SessionType::Merchant);
        if decoupled && self.decoupled_challenge_max_time.is_none() {
            return Err(ApiError::invalid(
                "decoupled_challenge_max_time",
                "is required when request_decoupled_challenge is true or the session type is merchant",
            ));
        }
        if let Some(minutes) = self.decoupled_challenge_max_time
            && !(1..=10_080).contains(&minutes)
        {
            return Err(ApiError::invalid("decoupled_challenge_max_time", "must be 1-10080 minutes"));
        }
        match &self.merchant_info {
            None if payment => return Err(ApiError::invalid("merchant_info", "is required when authentication_category is payment")),
            Some(merchant) => {
                if merchant.mid.is_empty() || merchant.mid.len() > 35 {
                    return Err(ApiError::invalid("merchant_info.mid", "must be 1-35 characters"));
                }
                digits("merchant_info.acquirer_bin", &merchant.acquirer_bin, 1, 11)?;
                if merchant.name.is_empty() || merchant.name.chars().count() > 40 {
                    return Err(ApiError::invalid("merchant_info.name", "must be 1-40 characters"));
                }
                digits("merchant_info.category_code", &merchant.category_code, 4, 4)?;
                digits("merchant_info.country_code", &merchant.country_code, 3, 3)?;
            }
            None => {}
        }
        let needs_requestor_info = matches!(scheme, Some(CardScheme::Amex | CardScheme::Discover));
        if needs_requestor_info && self.requestor_info.is_none() {
            return Err(ApiError::invalid("requestor_info", "is required for American Express and Discover cards"));
        }
        if scheme == Some(CardScheme::Amex) && self.requestor_info.as_ref().and_then(|r| r.amex_requestor_type.as_deref()).is_none() {
            return Err(ApiError::invalid("requestor_info.amex_requestor_type", "is required for American Express cards"));
        }
        let needs_purchase = payment || matches!(self.authentication_type.as_str(), "recurring-transaction" | "installment-transaction");
        match &self.purchase_info {
            None if needs_purchase => {
                return Err(ApiError::invalid("purchase_info", "is required for payments and for recurring or installment transactions"));
            }
            Some(purchase) => {
                digits("purchase_info.amount", &purchase.amount, 1, 48)?;
                digits("purchase_info.currency", &purchase.currency, 3, 3)?;
                if let Some(exponent) = &purchase.exponent {
                    digits("purchase_info.exponent", exponent, 1, 1)?;
                }
                if let Some(date) = &purchase.date {
                    digits("purchase_info.date", date, 14, 14)?;
                }
            }
            None => {}
        }
        if !self.cardholder_info.as_ref().is_some_and(Value::is_object) {
            return Err(ApiError::invalid("cardholder_info", "is required (an object)"));
        }
        Ok(())
    }

    /// Whether the AReq asks for a decoupled challenge.
    pub fn wants_decoupled(&self, kind: SessionType) -> bool {
        self.request_decoupled_challenge.unwrap_or(kind == SessionType::Merchant)
    }
}

/// What the 3DS Server knows of a session's authentication.
#[derive(Debug, Clone)]
pub struct Authentication {
    pub ares: ARes,
    /// The challenge's result, once the ACS reported it.
    pub rreq: Option<RReq>,
    pub challenge_indicator: ChallengeIndicator,
    /// The CRes arrived at the challenge notification page.
    pub cres_received: bool,
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

    /// The result as threeds-protocol reads it, for the processor hand-off.
    pub fn result(&self) -> AuthenticationResult {
        AuthenticationResult::from_messages(&self.ares, self.rreq.as_ref(), Some(self.challenge_indicator))
    }

    /// The authentication object of seed 003 (plus `three_ds_server_transaction_id`
    /// and, when importable, the Stripe parameters under `processor`).
    pub fn to_json(&self, session: &Session) -> Value {
        let status = self.status();
        let reason = self.rreq.as_ref().map_or(self.ares.trans_status_reason, |r| r.trans_status_reason);
        let cancel = self.rreq.as_ref().and_then(|r| r.challenge_cancel.clone());
        let result = self.result();
        let stripe = StripeThreeDSecure::from_result(&result).ok().map(|params| {
            json!({
                "stripe": {
                    "json": params.to_json(),
                    "form": params.to_form_pairs(),
                    "curl": params.to_curl_flags(),
                }
            })
        });
        let challenge_type = self.ares.authentication_type.as_deref().map(|t| match t {
            "01" => "static",
            "03" => "out-of-band",
            _ => "dynamic",
        });
        let challenge_type = if self.ares.trans_status == TransStatus::Decoupled { Some("decoupled") } else { challenge_type };
        json!({
            "token_id": session.token_id,
            "session_id": session.id,
            "threeds_version": self.ares.message_version,
            "three_ds_server_transaction_id": self.ares.three_ds_server_trans_id,
            "acs_transaction_id": self.ares.acs_trans_id,
            "ds_transaction_id": self.ares.ds_trans_id,
            "acs_reference_number": self.ares.acs_reference_number,
            "ds_reference_number": self.ares.ds_reference_number,
            "liability_shifted": status.shifts_liability(),
            "authentication_value": result.authentication_value,
            "authentication_status": status_name(status),
            "authentication_status_code": status,
            "authentication_status_reason": reason.map(reason_name),
            "authentication_status_reason_code": reason,
            "directory_status_code": self.ares.trans_status,
            "eci": result.eci,
            "acs_challenge_mandated": self.ares.acs_challenge_mandated,
            "authentication_challenge_type": challenge_type,
            "acs_challenge_url": self.ares.acs_url,
            "challenge_preference": preference_name(self.challenge_indicator),
            "challenge_preference_code": self.challenge_indicator.code(),
            "challenge_attempts": self.rreq.as_ref().and_then(|r| r.interaction_counter.clone()),
            "challenge_cancel_reason": cancel.as_deref().map(cancel_name),
            "challenge_cancel_reason_code": cancel,
            "message_extensions": self.ares.message_extension.clone().unwrap_or_default(),
            "processor": stripe,
        })
    }
}

/// Seed 003's authentication status names.
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

/// Seed 003's authentication status reason names.
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
    match indicator {
        ChallengeIndicator::NoChallenge => "no-challenge",
        ChallengeIndicator::ChallengeRequested => "challenge-requested",
        ChallengeIndicator::ChallengeMandated => "challenge-mandated",
        _ => "no-preference",
    }
}

fn cancel_name(code: &str) -> &'static str {
    match code {
        "01" => "cardholder-canceled",
        "02" => "requestor-canceled",
        "03" => "transaction-abandoned",
        "04" => "acs-timeout",
        "05" => "acs-timeout-request-not-received",
        "06" => "error",
        _ => "unknown",
    }
}
