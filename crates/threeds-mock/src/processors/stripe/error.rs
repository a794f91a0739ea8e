//! Stripe's error shape: `{"error": {"type", "code", "param", "message", ...}}`
//! with Stripe's HTTP statuses (400 bad parameters, 401 keys, 402 card errors,
//! 404 unknown objects).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

/// One Stripe error (boxed: it travels in every `Result` of the emulation).
#[derive(Debug, Clone)]
pub struct StripeError(Box<ErrorBody>);

impl std::ops::Deref for StripeError {
    type Target = ErrorBody;

    fn deref(&self) -> &ErrorBody {
        &self.0
    }
}

impl std::ops::DerefMut for StripeError {
    fn deref_mut(&mut self) -> &mut ErrorBody {
        &mut self.0
    }
}

/// The error object; the fields not set are left out of the JSON, as Stripe does.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    /// The HTTP status.
    #[serde(skip)]
    pub status: StatusCode,
    /// `invalid_request_error`, `card_error` or `api_error`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Stripe's error code (`parameter_missing`, `card_declined`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The issuer's reason, with `card_declined`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decline_code: Option<String>,
    /// The parameter at fault, named as the request names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// For people.
    pub message: String,
    /// Objects Stripe attaches (`payment_intent`, `setup_intent`, `charge`, `payment_method`).
    #[serde(flatten)]
    pub attached: Map<String, Value>,
}

impl StripeError {
    fn request(status: StatusCode, code: Option<&str>, param: Option<&str>, message: String) -> Self {
        Self(Box::new(ErrorBody {
            status,
            kind: "invalid_request_error",
            code: code.map(str::to_owned),
            decline_code: None,
            param: param.map(str::to_owned),
            message,
            attached: Map::new(),
        }))
    }

    /// A required parameter is absent.
    pub fn missing(param: &str) -> Self {
        Self::request(StatusCode::BAD_REQUEST, Some("parameter_missing"), Some(param), format!("Missing required param: {param}."))
    }

    /// A parameter Stripe does not know.
    pub fn unknown(param: &str) -> Self {
        let message = format!("Received unknown parameter: {param}");
        Self::request(StatusCode::BAD_REQUEST, Some("parameter_unknown"), Some(param), message)
    }

    /// Not an integer.
    pub fn invalid_integer(param: &str, value: &str) -> Self {
        let value: String = value.chars().take(40).collect();
        Self::request(StatusCode::BAD_REQUEST, Some("parameter_invalid_integer"), Some(param), format!("Invalid integer: {value}"))
    }

    /// Not `true` or `false`.
    pub fn invalid_boolean(param: &str, value: &str) -> Self {
        let value: String = value.chars().take(40).collect();
        Self::request(StatusCode::BAD_REQUEST, None, Some(param), format!("Invalid boolean: {value}"))
    }

    /// Not one of the allowed values.
    pub fn invalid_enum(param: &str, value: &str, allowed: &[&str]) -> Self {
        let value: String = value.chars().take(40).collect();
        let message = format!("Invalid {param}: must be one of {} (got {value})", allowed.join(", "));
        Self::request(StatusCode::BAD_REQUEST, None, Some(param), message)
    }

    /// A parameter's value breaks a rule.
    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        Self::request(StatusCode::BAD_REQUEST, None, Some(param), message.into())
    }

    /// No such object (`param` is `intent` for intents, as Stripe names it).
    pub fn no_such(object: &str, id: &str, param: &str) -> Self {
        let id: String = id.chars().take(60).collect();
        Self::request(StatusCode::NOT_FOUND, Some("resource_missing"), Some(param), format!("No such {object}: '{id}'"))
    }

    /// The object's status does not allow the request.
    pub fn unexpected_state(code: &str, message: String) -> Self {
        Self::request(StatusCode::BAD_REQUEST, Some(code), None, message)
    }

    /// No key, or not one of ours.
    pub fn bad_key(presented: Option<&str>) -> Self {
        let message = match presented {
            None => "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth \
                     (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
                .to_owned(),
            Some(key) => format!("Invalid API Key provided: {}", redact_key(key)),
        };
        Self::request(StatusCode::UNAUTHORIZED, None, None, message)
    }

    /// A publishable key where the secret key is needed.
    pub fn needs_secret_key() -> Self {
        let message = "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your \
                       API keys at https://dashboard.stripe.com/account/apikeys."
            .to_owned();
        Self::request(StatusCode::UNAUTHORIZED, Some("secret_key_required"), None, message)
    }

    /// The client secret does not belong to the intent.
    pub fn bad_client_secret(object: &str) -> Self {
        let message = format!("The client_secret provided does not match the client_secret associated with the {object}.");
        let code = if object == "SetupIntent" { "setup_intent_invalid_parameter" } else { "payment_intent_invalid_parameter" };
        Self::request(StatusCode::BAD_REQUEST, Some(code), Some("client_secret"), message)
    }

    /// A card's details are wrong (HTTP 402 `card_error`: `incorrect_number`,
    /// `invalid_expiry_month`, `invalid_expiry_year`, `invalid_cvc`).
    pub fn card(code: &str, param: &str, message: &str) -> Self {
        let mut error = Self::request(StatusCode::PAYMENT_REQUIRED, Some(code), Some(param), message.to_owned());
        error.kind = "card_error";
        error
    }

    /// The card was declined (HTTP 402).
    pub fn card_declined(decline_code: &str) -> Self {
        let mut error = Self::request(StatusCode::PAYMENT_REQUIRED, Some("card_declined"), None, "Your card was declined.".into());
        error.kind = "card_error";
        error.decline_code = Some(decline_code.to_owned());
        error
    }

    /// The issuer asks for authentication and the request may not act on it
    /// (`error_on_requires_action`, or an off-session payment; HTTP 402).
    pub fn authentication_required() -> Self {
        let message = "Your card was declined. This transaction requires authentication.".to_owned();
        let mut error = Self::request(StatusCode::PAYMENT_REQUIRED, Some("authentication_required"), None, message);
        error.kind = "card_error";
        error.decline_code = Some("authentication_required".into());
        error
    }

    /// 3-D Secure failed: what `last_payment_error` says after it.
    pub fn authentication_failure(object: &str) -> Self {
        let code = if object == "SetupIntent" { "setup_intent_authentication_failure" } else { "payment_intent_authentication_failure" };
        let message = format!(
            "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to \
             fulfill this {object} again."
        );
        Self::request(StatusCode::PAYMENT_REQUIRED, Some(code), None, message)
    }

    /// The mock cannot take more objects now (HTTP 503).
    pub fn busy(message: String) -> Self {
        let mut error = Self::request(StatusCode::SERVICE_UNAVAILABLE, None, None, message);
        error.kind = "api_error";
        error
    }

    /// Attaches an object under `name`.
    pub fn with(mut self, name: &str, value: Value) -> Self {
        self.attached.insert(name.to_owned(), value);
        self
    }

    /// The error object as it sits in `last_payment_error` / `last_setup_error`.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(&*self.0).unwrap_or(Value::Null)
    }
}

/// `sk_test_****abcd`: the prefix and the last four, as Stripe shows a key.
fn redact_key(key: &str) -> String {
    let key: String = key.chars().take(200).collect();
    let prefix: String = key.chars().take(8).collect();
    let last4: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    if key.chars().count() <= 12 { "*".repeat(key.chars().count()) } else { format!("{prefix}****{last4}") }
}

impl IntoResponse for StripeError {
    fn into_response(self) -> Response {
        let status = self.status;
        (status, Json(serde_json::json!({ "error": *self.0 }))).into_response()
    }
}

impl From<crate::support::store::StoreError> for StripeError {
    fn from(error: crate::support::store::StoreError) -> Self {
        Self::busy(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let value = StripeError::missing("amount").to_value();
        assert_eq!(
            value,
            serde_json::json!({"type": "invalid_request_error", "code": "parameter_missing", "param": "amount",
                               "message": "Missing required param: amount."})
        );
        let declined = StripeError::card_declined("generic_decline").with("charge", "ch_1".into());
        assert_eq!(declined.status, StatusCode::PAYMENT_REQUIRED);
        assert_eq!(declined.to_value()["decline_code"], "generic_decline");
        assert_eq!(declined.to_value()["charge"], "ch_1");
        assert_eq!(StripeError::bad_client_secret("PaymentIntent").code.as_deref(), Some("payment_intent_invalid_parameter"));
        assert_eq!(redact_key("sk_test_wrong_key_1234"), "sk_test_****1234");
        assert_eq!(redact_key("short"), "*****");
    }
}
