//! Stripe's error answer: `{"error":{"type","code","param","message",...}}` with
//! the HTTP status Stripe uses for it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// An error as Stripe reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeError {
    /// The HTTP status.
    pub status: StatusCode,
    /// `invalid_request_error`, `card_error` or `api_error`.
    pub kind: &'static str,
    /// The error code, when Stripe gives one.
    pub code: Option<&'static str>,
    /// The request parameter at fault.
    pub param: Option<Box<str>>,
    /// For people.
    pub message: Box<str>,
    /// A card error's decline code.
    pub decline_code: Option<&'static str>,
    /// The failed charge of a card error.
    pub charge: Option<Box<str>>,
}

impl StripeError {
    fn new(status: StatusCode, kind: &'static str, code: Option<&'static str>, param: Option<&str>, message: impl Into<Box<str>>) -> Self {
        Self { status, kind, code, param: param.map(Into::into), message: message.into(), decline_code: None, charge: None }
    }

    /// `400 parameter_missing`.
    pub fn missing(param: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            Some("parameter_missing"),
            Some(param),
            format!("Missing required param: {param}."),
        )
    }

    /// `400 parameter_unknown`.
    pub fn unknown(param: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            Some("parameter_unknown"),
            Some(param),
            format!("Received unknown parameter: {param}"),
        )
    }

    /// `400 parameter_invalid_integer`.
    pub fn invalid_integer(param: &str, value: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            Some("parameter_invalid_integer"),
            Some(param),
            format!("Invalid integer: {value}"),
        )
    }

    /// `400` about `param`, with no code (as Stripe answers many rule violations).
    pub fn invalid(param: &str, message: impl Into<Box<str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request_error", None, Some(param), message)
    }

    /// `400 resource_missing` for an object named in a parameter; `404` for one in the path.
    pub fn no_such(object: &str, id: &str, param: &str, in_path: bool) -> Self {
        let status = if in_path { StatusCode::NOT_FOUND } else { StatusCode::BAD_REQUEST };
        Self::new(status, "invalid_request_error", Some("resource_missing"), Some(param), format!("No such {object}: '{id}'"))
    }

    /// `402` card error.
    pub fn card(code: &'static str, param: Option<&str>, message: impl Into<Box<str>>) -> Self {
        Self::new(StatusCode::PAYMENT_REQUIRED, "card_error", Some(code), param, message)
    }

    /// `401`: no key, or not one of this account's.
    pub fn unauthorized(message: impl Into<Box<str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_request_error", None, None, message)
    }

    /// `401 secret_key_required`: a publishable key where the secret key is needed.
    pub fn secret_key_required() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            Some("secret_key_required"),
            None,
            "This API call cannot be made with a publishable API key. Please use a secret API key.",
        )
    }

    /// `503`/`500`-like: the store is full, or the 3DS service failed.
    pub fn api(status: StatusCode, message: impl Into<Box<str>>) -> Self {
        Self::new(status, "api_error", None, None, message)
    }

    /// The body Stripe sends.
    pub fn body(&self) -> Value {
        let mut error = Map::new();
        error.insert("type".into(), json!(self.kind));
        error.insert("message".into(), json!(&*self.message));
        if let Some(code) = self.code {
            error.insert("code".into(), json!(code));
        }
        if let Some(param) = &self.param {
            error.insert("param".into(), json!(&**param));
        }
        if let Some(decline) = self.decline_code {
            error.insert("decline_code".into(), json!(decline));
        }
        if let Some(charge) = &self.charge {
            error.insert("charge".into(), json!(&**charge));
        }
        json!({ "error": error })
    }
}

impl IntoResponse for StripeError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}
