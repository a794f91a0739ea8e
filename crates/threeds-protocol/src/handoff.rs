//! The processor hand-off: a final authentication result as Stripe's
//! "import 3DS results" parameters (`payment_method_options[card][three_d_secure]`),
//! as JSON and as the form-encoded pairs of its curl examples.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::messages::{ARes, MessageExtension, RReq};
use crate::{ChallengeIndicator, MessageVersion, ProtocolError, TransStatus};

/// The outcome of one authentication, as the 3DS Server knows it at the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthenticationResult {
    /// The `messageVersion` of the authentication (becomes Stripe's `version`).
    pub version: MessageVersion,
    /// The final status: the ARes's when frictionless, the RReq's after a challenge.
    pub trans_status: TransStatus,
    /// The ARes's own status (C when a challenge followed).
    pub ares_trans_status: Option<TransStatus>,
    /// The ECI: the RReq's after a challenge, else the ARes's.
    pub eci: Option<String>,
    /// CAVV / AAV.
    pub authentication_value: Option<String>,
    /// The ARes's `dsTransID` (becomes Stripe's `transaction_id`).
    pub ds_trans_id: String,
    /// The `threeDSRequestorChallengeInd` the AReq carried.
    pub requestor_challenge_indicator: Option<ChallengeIndicator>,
    /// An SCA exemption the merchant claims, if any.
    pub exemption: Option<ExemptionIndicator>,
    /// Cartes Bancaires data from the ARes / RReq message extensions.
    pub cartes_bancaires: Option<CartesBancaires>,
}

impl AuthenticationResult {
    /// The result of an ARes alone (frictionless), or of an ARes followed by the
    /// challenge's RReq, whose status, ECI and value then win.
    pub fn from_messages(ares: &ARes, rreq: Option<&RReq>, requestor_challenge_indicator: Option<ChallengeIndicator>) -> Self {
        let mut extensions: Vec<&MessageExtension> = ares.message_extension.iter().flatten().collect();
        extensions.extend(rreq.and_then(|r| r.message_extension.as_ref()).into_iter().flatten());
        Self {
            version: ares.message_version,
            trans_status: rreq.map_or(ares.trans_status, |r| r.trans_status),
            ares_trans_status: Some(ares.trans_status),
            eci: rreq.and_then(|r| r.eci.clone()).or_else(|| ares.eci.clone()),
            authentication_value: rreq.and_then(|r| r.authentication_value.clone()).or_else(|| ares.authentication_value.clone()),
            ds_trans_id: ares.ds_trans_id.clone(),
            requestor_challenge_indicator,
            exemption: None,
            cartes_bancaires: CartesBancaires::from_extensions(extensions),
        }
    }
}

/// Stripe's `exemption_indicator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExemptionIndicator {
    /// A low-risk (transaction risk analysis) exemption was applied.
    LowRisk,
    /// No exemption.
    None,
}

impl ExemptionIndicator {
    fn as_str(self) -> &'static str {
        match self {
            Self::LowRisk => "low_risk",
            Self::None => "none",
        }
    }
}

/// Cartes Bancaires network options (`network_options[cartes_bancaires]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartesBancaires {
    /// `CB-AVALGO`: the ACS's cryptogram algorithm; required.
    pub cb_avalgo: String,
    /// `CB-SCORE`: the risk score, 0-99.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cb_score: Option<u8>,
    /// `CB-EXEMPTION`: a 3-byte bitmap, base64 (4 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cb_exemption: Option<String>,
}

/// Rule (from Stripe's examples, `AAAA` none, `BAAA` low risk): the low-risk flag is
/// 0x04 in the bitmap's first (least significant) byte.
const CB_LOW_RISK_FLAG: u8 = 0x04;

/// Rule: Stripe's allowed `cb_avalgo` values.
const CB_AVALGO_VALUES: [&str; 6] = ["0", "1", "2", "3", "4", "A"];

impl CartesBancaires {
    /// Reads `CB-AVALGO`, `CB-SCORE` and `CB-EXEMPTION` from message extensions
    /// (by name or id); `None` when there is no `CB-AVALGO`.
    pub fn from_extensions<'a>(extensions: impl IntoIterator<Item = &'a MessageExtension>) -> Option<Self> {
        let mut avalgo = None;
        let mut score = None;
        let mut exemption = None;
        for extension in extensions {
            let text = match &extension.data {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => continue,
            };
            let key = |name: &str| extension.name.eq_ignore_ascii_case(name) || extension.id.eq_ignore_ascii_case(name);
            if key("CB-AVALGO") {
                avalgo = Some(text);
            } else if key("CB-SCORE") {
                score = text.parse().ok();
            } else if key("CB-EXEMPTION") {
                exemption = Some(text);
            }
        }
        Some(Self { cb_avalgo: avalgo?, cb_score: score, cb_exemption: exemption })
    }

    /// Whether the `cb_exemption` bitmap flags a low-risk exemption.
    pub fn is_low_risk_exemption(&self) -> Result<bool, HandoffError> {
        let Some(bitmap) = &self.cb_exemption else { return Ok(false) };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(bitmap)
            .ok()
            .filter(|bytes| bitmap.len() == 4 && bytes.len() == 3)
            .ok_or(HandoffError::Invalid { field: "cb_exemption", rule: "a 3-byte bitmap in base64 (4 characters)" })?;
        Ok(bytes[0] & CB_LOW_RISK_FLAG != 0)
    }
}

/// A result cannot be imported as it is; names the parameter and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoffError {
    /// The status is neither Y nor A, and no exemption was claimed.
    #[error("transStatus {0} carries no authentication to import (only Y and A do, or an exemption with a cryptogram)")]
    NotAuthenticated(TransStatus),
    /// A required parameter has no value.
    #[error("{field} is required")]
    Missing {
        /// The Stripe parameter.
        field: &'static str,
    },
    /// A parameter's value breaks Stripe's rule for it.
    #[error("{field} must be {rule}")]
    Invalid {
        /// The Stripe parameter.
        field: &'static str,
        /// The rule, as a phrase ("two digits").
        rule: &'static str,
    },
    /// `exemption_indicator` is `none` but `cb_exemption` flags a low-risk exemption.
    #[error("exemption_indicator=none contradicts cb_exemption, which flags a low-risk exemption")]
    ExemptionMismatch,
}

/// `payment_method_options[card][three_d_secure]` of Stripe's "import 3DS results".
///
/// Rule: every value must match what the 3DS provider returned, so it is built only
/// from an [`AuthenticationResult`] and checked on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StripeThreeDSecure {
    /// `version`: the 3DS protocol version, `2.1.0`, `2.2.0` or `2.3.1`.
    pub version: String,
    /// `electronic_commerce_indicator`: the ECI, two digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub electronic_commerce_indicator: Option<String>,
    /// `cryptogram`: the CAVV / AAV, 28 characters of base64; required.
    pub cryptogram: String,
    /// `transaction_id`: the `dsTransID`, a 36-character UUID.
    pub transaction_id: String,
    /// `exemption_indicator`: the SCA exemption claimed, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemption_indicator: Option<ExemptionIndicator>,
    /// `requestor_challenge_indicator`: the AReq's `threeDSRequestorChallengeInd`, two digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requestor_challenge_indicator: Option<String>,
    /// `ares_trans_status`: the ARes's `transStatus`, one letter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ares_trans_status: Option<String>,
    /// `network_options`: network-specific data (Cartes Bancaires).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_options: Option<NetworkOptions>,
}

/// `network_options`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkOptions {
    /// `cartes_bancaires`: the Cartes Bancaires options.
    pub cartes_bancaires: CartesBancaires,
}

const PREFIX: &str = "payment_method_options[card][three_d_secure]";

/// Rule: CAVV / AAV is `^[a-zA-Z0-9+/]{26,28}={0,2}$` (28 characters of base64).
pub fn is_authentication_value(value: &str) -> bool {
    let body = value.trim_end_matches('=');
    let padding = value.len() - body.len();
    padding <= 2 && (26..=28).contains(&body.len()) && value.len() <= 28 && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Rule: transaction IDs are canonical 36-character UUIDs (any version).
pub fn is_uuid(value: &str) -> bool {
    value.len() == 36
        && value.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

impl StripeThreeDSecure {
    /// Builds the parameters from a final result, enforcing Stripe's rules.
    pub fn from_result(result: &AuthenticationResult) -> Result<Self, HandoffError> {
        let exempted = result.exemption == Some(ExemptionIndicator::LowRisk);
        if !result.trans_status.shifts_liability() && !exempted {
            return Err(HandoffError::NotAuthenticated(result.trans_status));
        }
        let cryptogram = result.authentication_value.clone().ok_or(HandoffError::Missing { field: "cryptogram" })?;
        if !is_authentication_value(&cryptogram) {
            return Err(HandoffError::Invalid { field: "cryptogram", rule: "28 characters of base64 (the CAVV / AAV)" });
        }
        if !is_uuid(&result.ds_trans_id) {
            return Err(HandoffError::Invalid { field: "transaction_id", rule: "the dsTransID, a 36-character UUID" });
        }
        if let Some(eci) = &result.eci
            && !(eci.len() == 2 && eci.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(HandoffError::Invalid { field: "electronic_commerce_indicator", rule: "two digits" });
        }
        if let Some(cb) = &result.cartes_bancaires {
            if !CB_AVALGO_VALUES.contains(&cb.cb_avalgo.as_str()) {
                return Err(HandoffError::Invalid { field: "cb_avalgo", rule: "one of 0, 1, 2, 3, 4, A" });
            }
            if cb.cb_score.is_some_and(|score| score > 99) {
                return Err(HandoffError::Invalid { field: "cb_score", rule: "0-99" });
            }
            if result.exemption == Some(ExemptionIndicator::None) && cb.is_low_risk_exemption()? {
                return Err(HandoffError::ExemptionMismatch);
            }
        }
        Ok(Self {
            version: result.version.to_string(),
            electronic_commerce_indicator: result.eci.clone(),
            cryptogram,
            transaction_id: result.ds_trans_id.clone(),
            exemption_indicator: result.exemption,
            requestor_challenge_indicator: result.requestor_challenge_indicator.map(|c| c.code()),
            ares_trans_status: result.ares_trans_status.map(|s| s.code().to_owned()),
            network_options: result.cartes_bancaires.clone().map(|cartes_bancaires| NetworkOptions { cartes_bancaires }),
        })
    }

    /// The parameters nested as a PaymentIntent body:
    /// `{"payment_method_options": {"card": {"three_d_secure": {...}}}}`, with
    /// `network: "cartes_bancaires"` when Cartes Bancaires data is present.
    pub fn to_json(&self) -> Value {
        let mut card = json!({ "three_d_secure": self });
        if self.network_options.is_some() {
            card["network"] = json!("cartes_bancaires");
        }
        json!({ "payment_method_options": { "card": card } })
    }

    /// The form-encoded pairs, in the order of Stripe's "import 3DS results" curl examples.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if self.network_options.is_some() {
            pairs.push(("payment_method_options[card][network]".to_owned(), "cartes_bancaires".to_owned()));
        }
        let mut push = |key: &str, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((format!("{PREFIX}[{key}]"), value));
            }
        };
        push("version", Some(self.version.clone()));
        push("electronic_commerce_indicator", self.electronic_commerce_indicator.clone());
        push("cryptogram", Some(self.cryptogram.clone()));
        push("transaction_id", Some(self.transaction_id.clone()));
        push("exemption_indicator", self.exemption_indicator.map(|e| e.as_str().to_owned()));
        push("requestor_challenge_indicator", self.requestor_challenge_indicator.clone());
        push("ares_trans_status", self.ares_trans_status.clone());
        if let Some(NetworkOptions { cartes_bancaires: cb }) = &self.network_options {
            push("network_options][cartes_bancaires][cb_avalgo", Some(cb.cb_avalgo.clone()));
            push("network_options][cartes_bancaires][cb_score", cb.cb_score.map(|s| s.to_string()));
            push("network_options][cartes_bancaires][cb_exemption", cb.cb_exemption.clone());
        }
        pairs
    }

    /// An `application/x-www-form-urlencoded` body of [`Self::to_form_pairs`].
    pub fn to_form_body(&self) -> String {
        self.to_form_pairs().iter().map(|(key, value)| format!("{}={}", form_escape(key), form_escape(value))).collect::<Vec<_>>().join("&")
    }

    /// The curl flags of those examples: `-d "key"=value`, and `--data-urlencode` for the
    /// cryptogram (its `+`, `/` and `=` need encoding).
    pub fn to_curl_flags(&self) -> String {
        self.to_form_pairs()
            .iter()
            .map(|(key, value)| {
                let flag = if key.ends_with("[cryptogram]") { "--data-urlencode" } else { "-d" };
                format!("{flag} \"{key}\"=\"{value}\"")
            })
            .collect::<Vec<_>>()
            .join(" \\\n")
    }
}

impl fmt::Display for StripeThreeDSecure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_curl_flags())
    }
}

/// Percent-encodes for a form body (RFC 3986 unreserved characters kept).
fn form_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl From<HandoffError> for ProtocolError {
    fn from(error: HandoffError) -> Self {
        Self::Handoff(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visa_frictionless() -> AuthenticationResult {
        AuthenticationResult {
            version: MessageVersion::V2_1_0,
            trans_status: TransStatus::Authenticated,
            ares_trans_status: Some(TransStatus::Authenticated),
            eci: Some("05".into()),
            authentication_value: Some("CJSJbzXT6TRQlvZDX+ZdOG4QriE=".into()),
            ds_trans_id: "aaa65c7b-b0fc-4e71-bd6c-29c87acad489".into(),
            requestor_challenge_indicator: None,
            exemption: None,
            cartes_bancaires: None,
        }
    }

    fn cb() -> CartesBancaires {
        CartesBancaires { cb_avalgo: "1".into(), cb_score: Some(9), cb_exemption: Some("BAAA".into()) }
    }

    #[test]
    fn stripe_import_example_as_curl_flags() {
        let params = StripeThreeDSecure::from_result(&visa_frictionless()).unwrap();
        assert_eq!(
            params.to_curl_flags(),
            "-d \"payment_method_options[card][three_d_secure][version]\"=\"2.1.0\" \\\n\
             -d \"payment_method_options[card][three_d_secure][electronic_commerce_indicator]\"=\"05\" \\\n\
             --data-urlencode \"payment_method_options[card][three_d_secure][cryptogram]\"=\"CJSJbzXT6TRQlvZDX+ZdOG4QriE=\" \\\n\
             -d \"payment_method_options[card][three_d_secure][transaction_id]\"=\"aaa65c7b-b0fc-4e71-bd6c-29c87acad489\" \\\n\
             -d \"payment_method_options[card][three_d_secure][ares_trans_status]\"=\"Y\""
        );
        assert!(params.to_form_body().contains("%5Bcryptogram%5D=CJSJbzXT6TRQlvZDX%2BZdOG4QriE%3D"));
    }

    #[test]
    fn cartes_bancaires_example_as_json() {
        let result = AuthenticationResult {
            version: MessageVersion::V2_2_0,
            requestor_challenge_indicator: Some(ChallengeIndicator::NoChallenge),
            cartes_bancaires: Some(cb()),
            ..visa_frictionless()
        };
        let json = StripeThreeDSecure::from_result(&result).unwrap().to_json();
        let card = &json["payment_method_options"]["card"];
        assert_eq!(card["network"], "cartes_bancaires");
        let tds = &card["three_d_secure"];
        assert_eq!(tds["version"], "2.2.0");
        assert_eq!(tds["requestor_challenge_indicator"], "02");
        assert_eq!(tds["ares_trans_status"], "Y");
        assert_eq!(tds["network_options"]["cartes_bancaires"], json!({"cb_avalgo": "1", "cb_score": 9, "cb_exemption": "BAAA"}));
        assert!(tds.get("exemption_indicator").is_none());
        let pairs = StripeThreeDSecure::from_result(&result).unwrap().to_form_pairs();
        assert_eq!(pairs[0], ("payment_method_options[card][network]".into(), "cartes_bancaires".into()));
        assert!(
            pairs.contains(&("payment_method_options[card][three_d_secure][network_options][cartes_bancaires][cb_exemption]".into(), "BAAA".into()))
        );
    }

    #[test]
    fn exemption_none_with_low_risk_bitmap_is_rejected() {
        let result = AuthenticationResult { exemption: Some(ExemptionIndicator::None), cartes_bancaires: Some(cb()), ..visa_frictionless() };
        assert_eq!(StripeThreeDSecure::from_result(&result), Err(HandoffError::ExemptionMismatch));
        // AAAA is "no exemption granted": no contradiction.
        let no_exemption = CartesBancaires { cb_exemption: Some("AAAA".into()), ..cb() };
        let result = AuthenticationResult { cartes_bancaires: Some(no_exemption), ..result };
        assert!(StripeThreeDSecure::from_result(&result).is_ok());
    }

    #[test]
    fn low_risk_exemption_with_eci_07_is_importable() {
        let result = AuthenticationResult {
            version: MessageVersion::V2_2_0,
            trans_status: TransStatus::NotAuthenticated,
            eci: Some("07".into()),
            exemption: Some(ExemptionIndicator::LowRisk),
            ..visa_frictionless()
        };
        let params = StripeThreeDSecure::from_result(&result).unwrap();
        assert!(params.to_curl_flags().contains("[exemption_indicator]\"=\"low_risk\""));
    }

    #[test]
    fn rules_name_the_parameter() {
        let failed = AuthenticationResult { trans_status: TransStatus::NotAuthenticated, ..visa_frictionless() };
        assert_eq!(StripeThreeDSecure::from_result(&failed), Err(HandoffError::NotAuthenticated(TransStatus::NotAuthenticated)));
        let cases: [(AuthenticationResult, &str); 6] = [
            (AuthenticationResult { authentication_value: None, ..visa_frictionless() }, "cryptogram is required"),
            (AuthenticationResult { authentication_value: Some("short".into()), ..visa_frictionless() }, "cryptogram must be"),
            (AuthenticationResult { ds_trans_id: "not-a-uuid".into(), ..visa_frictionless() }, "transaction_id must be"),
            (AuthenticationResult { eci: Some("N0".into()), ..visa_frictionless() }, "electronic_commerce_indicator must be"),
            (
                AuthenticationResult { cartes_bancaires: Some(CartesBancaires { cb_avalgo: "9".into(), ..cb() }), ..visa_frictionless() },
                "cb_avalgo must be",
            ),
            (
                AuthenticationResult {
                    exemption: Some(ExemptionIndicator::None),
                    cartes_bancaires: Some(CartesBancaires { cb_exemption: Some("B".into()), ..cb() }),
                    ..visa_frictionless()
                },
                "cb_exemption must be",
            ),
        ];
        for (result, expected) in cases {
            let error = StripeThreeDSecure::from_result(&result).unwrap_err().to_string();
            assert!(error.starts_with(expected), "{error} / {expected}");
        }
    }

    #[test]
    fn authentication_value_and_uuid_formats() {
        assert!(is_authentication_value("AAABBZEEBgAAAAAAAAQGAAAAAAA="));
        assert!(is_authentication_value("kJMZRiDunhPsBwAU0hu9rrx0eWN6"));
        assert!(!is_authentication_value("AAABBZEEBgAAAAAAAAQGAAAAAAA=="));
        assert!(!is_authentication_value("AAAB-ZEEBgAAAAAAAAQGAAAAAAA="));
        assert!(!is_authentication_value(""));
        assert!(is_uuid("108c0bcf-cfb5-542a-8000-000000233643"));
        assert!(!is_uuid("108c0bcf-cfb5-542a-8000-00000023364"));
        assert!(!is_uuid("108c0bcf_cfb5-542a-8000-000000233643"));
    }

    #[test]
    fn result_from_ares_and_rreq() {
        let ares: ARes = serde_json::from_value(json!({
            "messageType": "ARes", "messageVersion": "2.2.0",
            "threeDSServerTransID": "167a4912-510f-4cee-b1c6-dad5284ca329",
            "acsTransID": "1c5343d1-f557-4f8a-907d-e2f5546de7b4",
            "dsTransID": "108c0bcf-cfb5-542a-8000-000000233643",
            "transStatus": "C", "acsURL": "https://acs.example/creq",
            "messageExtension": [{"name": "CB-AVALGO", "id": "CB-AVALGO", "criticalityIndicator": false, "data": "1"},
                                 {"name": "CB-SCORE", "id": "CB-SCORE", "criticalityIndicator": false, "data": 12}]
        }))
        .unwrap();
        let rreq: RReq = serde_json::from_value(json!({
            "messageType": "RReq", "messageVersion": "2.2.0",
            "threeDSServerTransID": "167a4912-510f-4cee-b1c6-dad5284ca329",
            "acsTransID": "1c5343d1-f557-4f8a-907d-e2f5546de7b4",
            "dsTransID": "108c0bcf-cfb5-542a-8000-000000233643",
            "messageCategory": "01", "transStatus": "Y", "eci": "05",
            "authenticationValue": "AAABBCRnIQAAAAABQ2chAa/wh/Q="
        }))
        .unwrap();
        let result = AuthenticationResult::from_messages(&ares, Some(&rreq), Some(ChallengeIndicator::NoPreference));
        assert_eq!(result.trans_status, TransStatus::Authenticated);
        assert_eq!(result.ares_trans_status, Some(TransStatus::Challenge));
        assert_eq!(result.cartes_bancaires, Some(CartesBancaires { cb_avalgo: "1".into(), cb_score: Some(12), cb_exemption: None }));
        let params = StripeThreeDSecure::from_result(&result).unwrap();
        assert_eq!(params.ares_trans_status.as_deref(), Some("C"));
        assert_eq!(params.requestor_challenge_indicator.as_deref(), Some("01"));
    }
}
