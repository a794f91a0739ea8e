//! The session API: what the SDK and a merchant's server send, what the 3DS
//! Server answers, and the rules a request must follow (the 3DS sessions API's
//! shapes, snake_case JSON).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use threeds_protocol::members::{Member, Members, ObjectWriter};
use threeds_protocol::{BrowserInfo, CardScheme, ChallengeIndicator, MessageVersion, ThreeDSCompInd, TransStatus, TransStatusReason};

/// A request field breaks a rule: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path in the request, e.g. `merchant_info.mid`.
    pub field: String,
    /// What is wrong with it, for people.
    pub message: String,
}

impl FieldError {
    /// `field` breaks the rule `message` states.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

// ---- requests ---------------------------------------------------------------------

/// `customer` (cardholder present) or `merchant` (3RI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionType {
    /// The cardholder is present, in a browser.
    Customer,
    /// Merchant-initiated (3RI): no cardholder.
    Merchant,
}

/// `device_info`: the EMV browser fields, snake_case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    /// `browserAcceptHeader`: the HTTP Accept header (the server fills it in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_accept_header: Option<String>,
    /// `browserIP` (the server reads it from the connection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_ip: Option<String>,
    /// `browserJavascriptEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_javascript_enabled: Option<bool>,
    /// `browserJavaEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_java_enabled: Option<bool>,
    /// `browserLanguage`: BCP 47, at most 8 characters up to 2.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_language: Option<String>,
    /// `acceptLanguage` (2.3.1): the browser's languages, BCP 47.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_accept_language: Option<Vec<String>>,
    /// `browserColorDepth`: 1, 4, 8, 15, 16, 24, 32 or 48.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_color_depth: Option<String>,
    /// `browserScreenHeight`, pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_screen_height: Option<String>,
    /// `browserScreenWidth`, pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_screen_width: Option<String>,
    /// `browserTZ`: UTC offset in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_tz: Option<String>,
    /// `browserUserAgent`.
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

/// `POST /3ds/sessions` (publishable key): a card (`token_id` or `pan`) and a browser.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    /// A token of the card vault (`POST /3ds/tokens`)...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    /// ...or the card number itself, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pan: Option<String>,
    /// `customer` (the default) or `merchant`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SessionType>,
    /// The channel: `browser`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The browser's data; required for customer sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_info: Option<DeviceInfo>,
}

/// `POST /3ds/tokens`: the card vault, so the SDK can send a token instead of a card number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// The card number, 12-19 digits.
    pub pan: String,
}

/// `POST /3ds/sessions/{id}/authenticate` (secret key): what is being authenticated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authenticate {
    /// `payment` or `non-payment`.
    pub authentication_category: String,
    /// One of [`AUTHENTICATION_TYPES`].
    pub authentication_type: String,
    /// One of [`CHALLENGE_PREFERENCES`]; `no-preference` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_preference: Option<String>,
    /// Ask for a decoupled authentication (the default for merchant sessions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_decoupled_challenge: Option<bool>,
    /// Minutes the issuer may take for a decoupled authentication, 1-10080.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decoupled_challenge_max_time: Option<u32>,
    /// The merchant; required for payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_info: Option<MerchantInfo>,
    /// The requestor; required for American Express and Discover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requestor_info: Option<RequestorInfo>,
    /// The purchase; required for payments, recurring and installments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_info: Option<PurchaseInfo>,
    /// The cardholder (an object; its fields are passed through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cardholder_info: Option<Value>,
    /// Broadcast information (passed through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broadcast_info: Option<Value>,
    /// Message extensions (passed through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_extensions: Option<Vec<Value>>,
}

/// `merchant_info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantInfo {
    /// The acquirer's merchant ID, 1-35 characters.
    pub mid: String,
    /// The acquirer's BIN, 1-11 digits.
    pub acquirer_bin: String,
    /// The merchant's name, 1-40 characters.
    pub name: String,
    /// The merchant category code, 4 digits.
    pub category_code: String,
    /// ISO 3166-1 numeric, 3 digits.
    pub country_code: String,
    /// The merchant's website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `requestor_info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestorInfo {
    /// American Express requestor type (required for Amex), e.g. `MER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amex_requestor_type: Option<String>,
    /// Cartes Bancaires SIRET number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cb_siret_number: Option<String>,
}

/// `purchase_info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseInfo {
    /// In minor units, 1-48 digits.
    pub amount: String,
    /// ISO 4217 numeric, 3 digits.
    pub currency: String,
    /// Minor-unit exponent, 1 digit (default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exponent: Option<String>,
    /// `YYYYMMDDHHMMSS` UTC (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// ISO 8583 transaction type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
    /// Installments: how many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment_count: Option<String>,
    /// Recurring: the last date, `YYYYMMDD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_expiration: Option<String>,
    /// Recurring: minimum days between payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_frequency: Option<String>,
}

/// The challenge preferences by name, in the order of their codes (01-09, 90).
pub const CHALLENGE_PREFERENCES: [(&str, ChallengeIndicator); 10] = [
    ("no-preference", ChallengeIndicator::NoPreference),
    ("no-challenge", ChallengeIndicator::NoChallenge),
    ("challenge-requested", ChallengeIndicator::ChallengeRequested),
    ("challenge-mandated", ChallengeIndicator::ChallengeMandated),
    ("no-challenge-risk-analysis-performed", ChallengeIndicator::NoChallengeTraPerformed),
    ("no-challenge-data-sharing-only", ChallengeIndicator::NoChallengeDataShareOnly),
    ("no-challenge-strong-consumer-auth", ChallengeIndicator::NoChallengeScaPerformed),
    ("no-challenge-whitelist-exemption", ChallengeIndicator::NoChallengeWhitelistExemption),
    ("challenge-requested-whitelist-prompt", ChallengeIndicator::ChallengeWhitelistPrompt),
    ("cartes-bancaires", ChallengeIndicator::CartesBancairesScoring),
];

/// The session API's name of a challenge preference (`no-preference` for a
/// Directory Server's own code).
pub fn challenge_preference_name(indicator: ChallengeIndicator) -> &'static str {
    CHALLENGE_PREFERENCES.iter().find(|(_, i)| *i == indicator).map_or("no-preference", |(name, _)| name)
}

/// The authentication types that only a merchant-initiated (3RI) session may use.
pub const MERCHANT_ONLY_TYPES: [&str; 7] =
    ["split-or-delayed-shipment", "top-up", "mail-order", "telephone-order", "whitelist-status-check", "other-payment", "billing-agreement"];

/// The authentication types that only a customer session may use.
pub const CUSTOMER_ONLY_TYPES: [&str; 2] = ["payment-transaction", "cardholder-emv-verification"];

/// The authentication types the session API knows.
pub const AUTHENTICATION_TYPES: [&str; 19] = [
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
    "cardholder-emv-verification",
    "account-verification",
    "split-or-delayed-shipment",
    "top-up",
    "mail-order",
    "telephone-order",
    "whitelist-status-check",
    "other-payment",
];

fn digits(field: &str, value: &str, min: usize, max: usize) -> Result<(), FieldError> {
    if (min..=max).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else if min == max {
        Err(FieldError::new(field, format!("must be {min} digits")))
    } else {
        Err(FieldError::new(field, format!("must be {min}-{max} digits")))
    }
}

impl Authenticate {
    /// The challenge preference as the AReq's `threeDSRequestorChallengeInd`.
    pub fn challenge_indicator(&self) -> Result<ChallengeIndicator, FieldError> {
        let name = self.challenge_preference.as_deref().unwrap_or("no-preference");
        CHALLENGE_PREFERENCES.iter().find(|(n, _)| *n == name).map(|(_, indicator)| *indicator).ok_or_else(|| {
            let names: Vec<&str> = CHALLENGE_PREFERENCES.iter().map(|(name, _)| *name).collect();
            FieldError::new("challenge_preference", format!("must be one of {}", names.join(", ")))
        })
    }

    /// The request's required and conditional rules, for a card of `scheme`.
    pub fn check(&self, scheme: Option<CardScheme>, kind: SessionType) -> Result<(), FieldError> {
        let payment = match self.authentication_category.as_str() {
            "payment" => true,
            "non-payment" => false,
            _ => return Err(FieldError::new("authentication_category", "must be payment or non-payment")),
        };
        if !AUTHENTICATION_TYPES.contains(&self.authentication_type.as_str()) {
            return Err(FieldError::new("authentication_type", format!("must be one of {}", AUTHENTICATION_TYPES.join(", "))));
        }
        self.challenge_indicator()?;
        let kind_name = if kind == SessionType::Merchant { "merchant" } else { "customer" };
        let wrong_kind = match kind {
            SessionType::Customer => MERCHANT_ONLY_TYPES.contains(&self.authentication_type.as_str()),
            SessionType::Merchant => CUSTOMER_ONLY_TYPES.contains(&self.authentication_type.as_str()),
        };
        if wrong_kind {
            return Err(FieldError::new("authentication_type", format!("{} is not allowed in a {kind_name} session", self.authentication_type)));
        }
        if matches!(self.authentication_type.as_str(), "mail-order" | "telephone-order") {
            return Err(FieldError::new("authentication_type", "mail and telephone orders (MOTO) are outside SCA and are not modelled by this mock"));
        }
        let decoupled = self.request_decoupled_challenge.unwrap_or(kind == SessionType::Merchant);
        if decoupled && self.decoupled_challenge_max_time.is_none() {
            return Err(FieldError::new(
                "decoupled_challenge_max_time",
                "is required when request_decoupled_challenge is true or the session type is merchant",
            ));
        }
        if let Some(minutes) = self.decoupled_challenge_max_time
            && !(1..=10_080).contains(&minutes)
        {
            return Err(FieldError::new("decoupled_challenge_max_time", "must be 1-10080 minutes"));
        }
        match &self.merchant_info {
            None if payment => return Err(FieldError::new("merchant_info", "is required when authentication_category is payment")),
            Some(merchant) => {
                if merchant.mid.is_empty() || merchant.mid.len() > 35 {
                    return Err(FieldError::new("merchant_info.mid", "must be 1-35 characters"));
                }
                digits("merchant_info.acquirer_bin", &merchant.acquirer_bin, 1, 11)?;
                if merchant.name.is_empty() || merchant.name.chars().count() > 40 {
                    return Err(FieldError::new("merchant_info.name", "must be 1-40 characters"));
                }
                digits("merchant_info.category_code", &merchant.category_code, 4, 4)?;
                digits("merchant_info.country_code", &merchant.country_code, 3, 3)?;
            }
            None => {}
        }
        let needs_requestor_info = matches!(scheme, Some(CardScheme::Amex | CardScheme::Discover));
        if needs_requestor_info && self.requestor_info.is_none() {
            return Err(FieldError::new("requestor_info", "is required for American Express and Discover cards"));
        }
        if scheme == Some(CardScheme::Amex) && self.requestor_info.as_ref().and_then(|r| r.amex_requestor_type.as_deref()).is_none() {
            return Err(FieldError::new("requestor_info.amex_requestor_type", "is required for American Express cards"));
        }
        let needs_purchase = payment || matches!(self.authentication_type.as_str(), "recurring-transaction" | "installment-transaction");
        match &self.purchase_info {
            None if needs_purchase => {
                return Err(FieldError::new("purchase_info", "is required for payments and for recurring or installment transactions"));
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
                match self.authentication_type.as_str() {
                    "installment-transaction" => match &purchase.installment_count {
                        None => return Err(FieldError::new("purchase_info.installment_count", "is required for installment-transaction")),
                        Some(count) => digits("purchase_info.installment_count", count, 1, 3)?,
                    },
                    "recurring-transaction" => {
                        match &purchase.recurring_expiration {
                            None => return Err(FieldError::new("purchase_info.recurring_expiration", "is required for recurring-transaction")),
                            Some(date) => digits("purchase_info.recurring_expiration", date, 8, 8)?,
                        }
                        match &purchase.recurring_frequency {
                            None => return Err(FieldError::new("purchase_info.recurring_frequency", "is required for recurring-transaction")),
                            Some(days) => digits("purchase_info.recurring_frequency", days, 1, 4)?,
                        }
                    }
                    _ => {}
                }
            }
            None => {}
        }
        if !self.cardholder_info.as_ref().is_some_and(Value::is_object) {
            return Err(FieldError::new("cardholder_info", "is required (an object)"));
        }
        Ok(())
    }

    /// Whether the AReq asks for a decoupled challenge.
    pub fn wants_decoupled(&self, kind: SessionType) -> bool {
        self.request_decoupled_challenge.unwrap_or(kind == SessionType::Merchant)
    }
}

// ---- responses --------------------------------------------------------------------

/// `POST /3ds/tokens` answers 201 with the token and what may be shown of the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedToken {
    /// `tok_...`: send it as `token_id` instead of the card number.
    pub id: String,
    /// The card scheme's display name, when the range is known.
    pub card_brand: Option<String>,
    /// The card number's last four digits.
    pub card_last4: String,
}

/// `POST /3ds/sessions` answers 201 with what the browser needs next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedSession {
    /// The session's ID.
    pub id: String,
    /// `customer` for browser sessions.
    #[serde(rename = "type")]
    pub kind: SessionType,
    /// The card scheme's display name, when the range is known.
    pub card_brand: Option<String>,
    /// The ACS's 3DS Method URL; none when the card range has no method.
    pub method_url: Option<String>,
    /// Where the ACS posts the method notification (the 3DS Server's page).
    pub method_notification_url: String,
    /// The 3DS Server's transaction ID for this session.
    pub three_ds_server_transaction_id: String,
    /// The Directory Server that will be asked.
    pub directory_server_id: String,
    /// The protocol version the card range speaks best.
    pub recommended_version: MessageVersion,
}

/// The protocol versions of a session's card range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// The version the AReq will use.
    pub recommended_version: MessageVersion,
    /// Every version both sides speak, oldest first.
    pub available_versions: Vec<MessageVersion>,
    /// The ACS's oldest version.
    pub earliest_acs_supported_version: MessageVersion,
    /// The ACS's newest version.
    pub latest_acs_supported_version: MessageVersion,
    /// The DS's oldest version.
    pub earliest_ds_supported_version: MessageVersion,
    /// The DS's newest version.
    pub latest_ds_supported_version: MessageVersion,
    /// The ACS's information entries (none in the mock).
    pub acs_information: Vec<Value>,
}

/// The 3DS Method of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodInfo {
    /// The ACS's 3DS Method URL, if the card range has one.
    pub method_url: Option<String>,
    /// Y the notification arrived, N it did not in time, U no method URL.
    pub method_completion_indicator: ThreeDSCompInd,
}

/// `GET /3ds/sessions/{id}`: the session; the card number never appears.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionObject {
    /// The session's ID.
    pub id: String,
    /// `customer` or `merchant`.
    #[serde(rename = "type")]
    pub kind: SessionType,
    /// The card scheme's display name, when the range is known.
    pub card_brand: Option<String>,
    /// The card number's last four digits.
    pub card_last4: Option<String>,
    /// The token the session was created with, if any.
    pub token_id: Option<String>,
    /// RFC 3339, milliseconds.
    pub created_date: String,
    /// RFC 3339, milliseconds.
    pub modified_date: String,
    /// The channel: `browser`.
    pub device: String,
    /// The browser's data as the 3DS Server holds it.
    pub device_info: DeviceInfo,
    /// The 3DS Server's transaction ID.
    pub three_ds_server_transaction_id: String,
    /// The card range's versions.
    pub version: VersionInfo,
    /// The 3DS Method.
    pub method: MethodInfo,
    /// The outcome, once authenticated.
    pub authentication: Option<AuthenticationObject>,
}

impl SessionObject {
    /// What the publishable key may read: the session and its status, the
    /// authentication without its secrets ([`AuthenticationObject::for_publishable`]).
    pub fn for_publishable(self) -> Self {
        Self { authentication: self.authentication.map(AuthenticationObject::for_publishable), ..self }
    }
}

/// The part of `GET /3ds/sessions/{id}` ([`SessionObject`]) a browser needs to
/// write a CReq: the transaction. Read through this view, the rest of the object
/// (authentication results, processor hand-offs) costs the SDK host app nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionTransaction {
    /// The 3DS Server's transaction ID.
    pub three_ds_server_transaction_id: String,
}

/// The part of `GET /3ds/sessions/{id}` a browser reads when a challenge ends: the
/// status the 3DS Server holds (from the ACS's RReq), which counts, whatever the
/// browser's CRes said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionStatus {
    /// The authentication, once the AReq was sent.
    #[serde(default)]
    pub authentication: Option<AuthenticationStatus>,
}

/// The part of [`AuthenticationObject`] in a [`SessionStatus`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthenticationStatus {
    /// The status code (`transStatus`) that counts now.
    pub authentication_status_code: String,
}

/// The processor hand-off of an authentication that a processor can import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessorHandoff {
    /// Stripe's "import 3DS results" parameters.
    pub stripe: StripeHandoff,
}

/// Stripe's `payment_method_options[card][three_d_secure]`, in three spellings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StripeHandoff {
    /// As JSON (`payment_method_options.card`).
    pub json: Value,
    /// As form pairs, bracketed names.
    pub form: Vec<(String, String)>,
    /// As `curl -d` flags.
    pub curl: String,
}

/// The authentication object: the outcome of a session's AReq (and challenge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthenticationObject {
    /// The token the session was created with, if any.
    pub token_id: Option<String>,
    /// The session's ID.
    pub session_id: String,
    /// The protocol version of the AReq.
    pub threeds_version: MessageVersion,
    /// The 3DS Server's transaction ID.
    pub three_ds_server_transaction_id: String,
    /// The ACS's transaction ID.
    pub acs_transaction_id: String,
    /// The DS's transaction ID.
    pub ds_transaction_id: String,
    /// The ACS's reference number.
    pub acs_reference_number: Option<String>,
    /// The DS's reference number.
    pub ds_reference_number: Option<String>,
    /// Whether liability moves to the issuer.
    pub liability_shifted: bool,
    /// The CAVV / AAV: only on the secret key's reads (absent on the publishable key's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_value: Option<String>,
    /// The status by name: `successful`, `failed`, `challenge`, ...
    pub authentication_status: String,
    /// The status code (`transStatus`) that counts now.
    pub authentication_status_code: TransStatus,
    /// The reason by name, when there is one.
    pub authentication_status_reason: Option<String>,
    /// The reason code (`transStatusReason`).
    pub authentication_status_reason_code: Option<TransStatusReason>,
    /// The ARes's `transStatus`.
    pub directory_status_code: TransStatus,
    /// The Electronic Commerce Indicator: only on the secret key's reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eci: Option<String>,
    /// The ARes's `acsChallengeMandated`.
    pub acs_challenge_mandated: Option<String>,
    /// `static`, `dynamic`, `out-of-band` or `decoupled`.
    pub authentication_challenge_type: Option<String>,
    /// Where to post the CReq, when the ARes asks for a challenge.
    pub acs_challenge_url: Option<String>,
    /// The challenge preference by name.
    pub challenge_preference: String,
    /// The challenge preference code (`threeDSRequestorChallengeInd`).
    pub challenge_preference_code: String,
    /// Whether the cardholder trusts the merchant, by name (`merchant-trusted`,
    /// `merchant-not-trusted`, ...), when the ACS said (challenge preference 08 or 09).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whitelist_status: Option<String>,
    /// Who set the whitelist status: `3ds-server`, `directory-server` or `acs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whitelist_status_source: Option<String>,
    /// The RReq's `interactionCounter`.
    pub challenge_attempts: Option<String>,
    /// The cancel reason by name.
    pub challenge_cancel_reason: Option<String>,
    /// The cancel reason code (`challengeCancel`).
    pub challenge_cancel_reason_code: Option<String>,
    /// The ARes's message extensions: only on the secret key's reads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub message_extensions: Vec<threeds_protocol::messages::MessageExtension>,
    /// The processor hand-off (with the cryptogram), when the outcome can be
    /// imported: only on the secret key's reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor: Option<ProcessorHandoff>,
}

impl AuthenticationObject {
    /// What the publishable key may read: the status and the transaction's IDs,
    /// without the authentication value, the ECI, the message extensions or the
    /// processor hand-off (which carries the cryptogram). A page holding the
    /// publishable key and a session ID must not be able to import the result.
    pub fn for_publishable(self) -> Self {
        Self { authentication_value: None, eci: None, message_extensions: Vec::new(), processor: None, ..self }
    }
}

/// How long a client waits before asking again for a result that is still pending.
pub const RETRY_AFTER_MS: u32 = 500;

/// 202 while a challenge or decoupled authentication is still going.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Always `pending`.
    pub status: String,
    /// Ask again after this many milliseconds.
    pub retry_after_ms: u32,
}

impl Default for Pending {
    fn default() -> Self {
        Self { status: "pending".into(), retry_after_ms: RETRY_AFTER_MS }
    }
}

/// One row of `GET /3ds/test-cards`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestCardEntry {
    /// The card number (test data only).
    pub pan: String,
    /// The scheme's display name.
    pub brand: String,
    /// The scenario the card plays.
    pub scenario: String,
    /// Whether the number passes the Luhn check.
    pub luhn_valid: bool,
    /// The version its range speaks.
    pub version: MessageVersion,
    /// Whether it is challenged.
    pub challenge: bool,
}

/// `GET /3ds/test-cards`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestCards {
    /// The mock bank's one-time code.
    pub one_time_code: String,
    /// Every test card.
    pub cards: Vec<TestCardEntry>,
}

/// The body of every error answer: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// A stable code: `unauthorized`, `invalid_request`, `session_not_found`, ...
    pub code: String,
    /// For people.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The Erro behind `directory_server_error` (the Directory Server's) or `acs_error` (the ACS's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erro: Option<threeds_protocol::Erro>,
}

// ---- the browser's JSON, by hand ---------------------------------------------------
//
// The SDK host app writes and reads the few shapes it exchanges with the session
// API through these, not through the serde impls above: its wasm is size-budgeted,
// and each type's serde impls cost it more than these do. Tests hold each to what
// serde writes and reads.

impl SessionType {
    /// The wire name: `customer` or `merchant`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Merchant => "merchant",
        }
    }

    /// The type of a wire name; `None` for any other.
    pub fn from_wire(name: &str) -> Option<Self> {
        match name {
            "customer" => Some(Self::Customer),
            "merchant" => Some(Self::Merchant),
            _ => None,
        }
    }
}

impl DeviceInfo {
    /// As JSON, as its `Serialize` writes it.
    pub fn to_json(&self) -> String {
        ObjectWriter::new()
            .text("browser_accept_header", self.browser_accept_header.as_deref())
            .text("browser_ip", self.browser_ip.as_deref())
            .boolean("browser_javascript_enabled", self.browser_javascript_enabled)
            .boolean("browser_java_enabled", self.browser_java_enabled)
            .text("browser_language", self.browser_language.as_deref())
            .texts("browser_accept_language", self.browser_accept_language.as_deref())
            .text("browser_color_depth", self.browser_color_depth.as_deref())
            .text("browser_screen_height", self.browser_screen_height.as_deref())
            .text("browser_screen_width", self.browser_screen_width.as_deref())
            .text("browser_tz", self.browser_tz.as_deref())
            .text("browser_user_agent", self.browser_user_agent.as_deref())
            .finish()
    }
}

impl CreateSession {
    /// As JSON, as its `Serialize` writes it.
    pub fn to_json(&self) -> String {
        ObjectWriter::new()
            .text("token_id", self.token_id.as_deref())
            .text("pan", self.pan.as_deref())
            .text("type", self.kind.map(SessionType::as_str))
            .text("device", self.device.as_deref())
            .raw("device_info", self.device_info.as_ref().map(DeviceInfo::to_json).as_deref())
            .finish()
    }
}

/// An answer that is not what its type says: which member, and why.
fn unexpected(name: &str, what: &str) -> String {
    format!("{name} is {what}")
}

/// A string member that must be there.
fn required(members: &Members, name: &str) -> Result<String, String> {
    members.text(name).ok_or_else(|| unexpected(name, "missing or not a string"))
}

/// A string member that may be absent or null.
fn optional(members: &Members, name: &str) -> Result<Option<String>, String> {
    match members.get(name) {
        None | Some(Member::Null) => Ok(None),
        Some(member) => member.text().map(Some).ok_or_else(|| unexpected(name, "not a string")),
    }
}

/// The answer's object; anything else (not JSON, not an object) names the answer.
fn object(json: &str) -> Result<Members<'_>, String> {
    Members::parse(json).map_err(|_| unexpected("the answer", "not a JSON object"))
}

impl CreatedSession {
    /// Reads the answer as its `Deserialize` would; an error names the member at fault.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let members = object(json)?;
        let kind = SessionType::from_wire(&required(&members, "type")?).ok_or_else(|| unexpected("type", "neither customer nor merchant"))?;
        let recommended_version =
            required(&members, "recommended_version")?.parse().map_err(|_| unexpected("recommended_version", "not a supported version"))?;
        Ok(Self {
            id: required(&members, "id")?,
            kind,
            card_brand: optional(&members, "card_brand")?,
            method_url: optional(&members, "method_url")?,
            method_notification_url: required(&members, "method_notification_url")?,
            three_ds_server_transaction_id: required(&members, "three_ds_server_transaction_id")?,
            directory_server_id: required(&members, "directory_server_id")?,
            recommended_version,
        })
    }
}

impl SessionTransaction {
    /// Reads `GET /3ds/sessions/{id}` as its `Deserialize` would.
    pub fn from_json(json: &str) -> Result<Self, String> {
        Ok(Self { three_ds_server_transaction_id: required(&object(json)?, "three_ds_server_transaction_id")? })
    }
}

impl SessionStatus {
    /// Reads `GET /3ds/sessions/{id}` as its `Deserialize` would.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let authentication = match object(json)?.get("authentication") {
            None | Some(Member::Null) => None,
            Some(member) => {
                let authentication = Members::parse(member.raw()).map_err(|_| unexpected("authentication", "not an object"))?;
                Some(AuthenticationStatus { authentication_status_code: required(&authentication, "authentication_status_code")? })
            }
        };
        Ok(Self { authentication })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use threeds_protocol::ThreeDSCompInd;

    #[test]
    fn the_browser_s_json_is_what_serde_writes() {
        let device = DeviceInfo::from_browser(&BrowserInfo {
            accept_header: Some("text/html".into()),
            java_enabled: Some(false),
            javascript_enabled: Some(true),
            language: Some("en-GB".into()),
            accept_language: Some(vec!["en-GB".into(), "fr".into()]),
            tz: Some("-60".into()),
            user_agent: Some("Mozilla/5.0 \"x\" \\ \u{1}".into()),
            ..BrowserInfo::default()
        });
        let requests = [
            CreateSession::default(),
            CreateSession {
                pan: Some("4000020000000000".into()),
                device: Some("browser".into()),
                device_info: Some(device.clone()),
                ..Default::default()
            },
            CreateSession {
                token_id: Some("tok_1".into()),
                kind: Some(SessionType::Merchant),
                device_info: Some(DeviceInfo::default()),
                ..Default::default()
            },
        ];
        for request in requests {
            assert_eq!(request.to_json(), serde_json::to_string(&request).unwrap());
        }
        assert_eq!(device.to_json(), serde_json::to_string(&device).unwrap());
    }

    #[test]
    fn the_browser_reads_the_answers_serde_reads() {
        let created = CreatedSession {
            id: "sess_1".into(),
            kind: SessionType::Customer,
            card_brand: Some("Visa \u{e9}\"".into()),
            method_url: None,
            method_notification_url: "https://3ds.example/n".into(),
            three_ds_server_transaction_id: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e".into(),
            directory_server_id: "A000000003".into(),
            recommended_version: MessageVersion::V2_2_0,
        };
        let json = serde_json::to_string(&created).unwrap();
        assert_eq!(CreatedSession::from_json(&json), Ok(created.clone()));
        let with_method =
            CreatedSession { kind: SessionType::Merchant, method_url: Some("https://acs.example/m".into()), card_brand: None, ..created };
        let mut answer = serde_json::to_value(&with_method).unwrap();
        answer["card_brand"] = Value::Null;
        answer["extra"] = serde_json::json!({"nested": [1, 2]});
        assert_eq!(CreatedSession::from_json(&answer.to_string()), Ok(with_method));

        let status = SessionStatus { authentication: Some(AuthenticationStatus { authentication_status_code: "Y".into() }) };
        assert_eq!(SessionStatus::from_json(&serde_json::to_string(&status).unwrap()), Ok(status));
        for pending in [r#"{"id":"s"}"#, r#"{"authentication":null}"#] {
            assert_eq!(SessionStatus::from_json(pending), Ok(SessionStatus { authentication: None }), "{pending}");
        }
        let transaction = r#"{"id":"s","three_ds_server_transaction_id":"t-1","version":{}}"#;
        assert_eq!(SessionTransaction::from_json(transaction).unwrap().three_ds_server_transaction_id, "t-1");
    }

    #[test]
    fn an_answer_of_another_shape_names_the_member_at_fault() {
        let good = serde_json::json!({
            "id": "s", "type": "customer", "card_brand": null, "method_url": null, "method_notification_url": "https://n",
            "three_ds_server_transaction_id": "t", "directory_server_id": "d", "recommended_version": "2.2.0",
        });
        let with = |name: &str, value: Value| CreatedSession::from_json(&with_value(&good, name, value).to_string()).unwrap_err();
        assert_eq!(with("id", Value::Null), "id is missing or not a string");
        assert_eq!(with("type", "robot".into()), "type is neither customer nor merchant");
        assert_eq!(with("method_url", 7.into()), "method_url is not a string");
        assert_eq!(with("recommended_version", "2.0.0".into()), "recommended_version is not a supported version");
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("directory_server_id");
        assert_eq!(CreatedSession::from_json(&missing.to_string()).unwrap_err(), "directory_server_id is missing or not a string");
        for not_an_object in ["", "[]", "<html>", "{\"id\":"] {
            assert_eq!(CreatedSession::from_json(not_an_object).unwrap_err(), "the answer is not a JSON object", "{not_an_object}");
        }
        assert_eq!(SessionStatus::from_json(r#"{"authentication":"Y"}"#).unwrap_err(), "authentication is not an object");
        assert_eq!(SessionStatus::from_json(r#"{"authentication":{}}"#).unwrap_err(), "authentication_status_code is missing or not a string");
        assert_eq!(SessionTransaction::from_json("{}").unwrap_err(), "three_ds_server_transaction_id is missing or not a string");
        // serde agrees that each of these is not a CreatedSession.
        for bad in [with_value(&good, "id", Value::Null), with_value(&good, "type", "robot".into()), with_value(&good, "method_url", 7.into())] {
            assert!(serde_json::from_value::<CreatedSession>(bad).is_err());
        }
    }

    fn with_value(object: &Value, name: &str, value: Value) -> Value {
        let mut object = object.clone();
        object[name] = value;
        object
    }

    fn request(kind: &str, preference: Option<&str>) -> Authenticate {
        Authenticate {
            authentication_category: "non-payment".into(),
            authentication_type: kind.into(),
            challenge_preference: preference.map(Into::into),
            request_decoupled_challenge: None,
            decoupled_challenge_max_time: Some(5),
            merchant_info: None,
            requestor_info: None,
            purchase_info: None,
            cardholder_info: Some(serde_json::json!({})),
            broadcast_info: None,
            message_extensions: None,
        }
    }

    #[test]
    fn challenge_preferences_by_name() {
        for (name, indicator) in CHALLENGE_PREFERENCES {
            assert_eq!(request("add-card", Some(name)).challenge_indicator(), Ok(indicator));
            assert_eq!(challenge_preference_name(indicator), name);
        }
        assert_eq!(request("add-card", None).challenge_indicator(), Ok(ChallengeIndicator::NoPreference));
        assert_eq!(request("add-card", Some("exempt")).challenge_indicator().unwrap_err().field, "challenge_preference");
    }

    #[test]
    fn authentication_types_by_session_type() {
        let check = |kind: &str, session: SessionType| request(kind, None).check(None, session).map_err(|e| e.field);
        assert_eq!(check("account-verification", SessionType::Customer), Ok(()));
        assert_eq!(check("account-verification", SessionType::Merchant), Ok(()));
        assert_eq!(check("top-up", SessionType::Customer), Err("authentication_type".into()));
        assert_eq!(check("cardholder-emv-verification", SessionType::Merchant), Err("authentication_type".into()));
        assert_eq!(check("telephone-order", SessionType::Merchant), Err("authentication_type".into()), "MOTO is not modelled");
        let mut recurring = request("recurring-transaction", None);
        assert_eq!(recurring.check(None, SessionType::Merchant).unwrap_err().field, "purchase_info");
        recurring.purchase_info = Some(PurchaseInfo { amount: "999".into(), currency: "978".into(), ..Default::default() });
        assert_eq!(recurring.check(None, SessionType::Merchant).unwrap_err().field, "purchase_info.recurring_expiration");
        let purchase = recurring.purchase_info.as_mut().unwrap();
        purchase.recurring_expiration = Some("20271231".into());
        purchase.recurring_frequency = Some("monthly".into());
        assert_eq!(recurring.check(None, SessionType::Merchant).unwrap_err().field, "purchase_info.recurring_frequency");
        recurring.purchase_info.as_mut().unwrap().recurring_frequency = Some("30".into());
        assert_eq!(recurring.check(None, SessionType::Merchant), Ok(()));
    }

    #[test]
    fn a_session_object_reads_as_its_transaction() {
        let v = MessageVersion::V2_2_0;
        let session = SessionObject {
            id: "sess_1".into(),
            kind: SessionType::Customer,
            card_brand: Some("Visa".into()),
            card_last4: Some("0000".into()),
            token_id: None,
            created_date: "2026-01-01T00:00:00.000Z".into(),
            modified_date: "2026-01-01T00:00:00.000Z".into(),
            device: "browser".into(),
            device_info: DeviceInfo::default(),
            three_ds_server_transaction_id: "3ac7caa7-aa42-2663-791b-2ac05a542c4a".into(),
            version: VersionInfo {
                recommended_version: v,
                available_versions: vec![v],
                earliest_acs_supported_version: v,
                latest_acs_supported_version: v,
                earliest_ds_supported_version: v,
                latest_ds_supported_version: v,
                acs_information: Vec::new(),
            },
            method: MethodInfo { method_url: None, method_completion_indicator: ThreeDSCompInd::Unavailable },
            authentication: None,
        };
        let json = serde_json::to_string(&session).unwrap();
        let view: SessionTransaction = serde_json::from_str(&json).unwrap();
        assert_eq!(view.three_ds_server_transaction_id, session.three_ds_server_transaction_id);
        let status: SessionStatus = serde_json::from_str(&json).unwrap();
        assert_eq!(status.authentication, None, "no AReq yet");
        let mut read: serde_json::Value = serde_json::from_str(&json).unwrap();
        read["authentication"] = serde_json::json!({"authentication_status_code": "Y", "eci": "05"});
        let status: SessionStatus = serde_json::from_value(read).unwrap();
        assert_eq!(status.authentication.unwrap().authentication_status_code, "Y");
    }
}
