//! API errors, turned into JSON responses in one place.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use threeds_protocol::Erro;

/// Why a session API request failed. The JSON body names the code, the field where
/// there is one, and a message for people.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("missing or unknown API key (send it as `Authorization: Bearer <key>` or `X-API-Key`)")]
    Unauthorized,
    #[error("this operation needs the secret key; a publishable key cannot {0}")]
    Forbidden(&'static str),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("request body: {0}")]
    Body(String),
    #[error("no session {0} (unknown or expired)")]
    SessionNotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("too many live sessions ({0}); try again later")]
    TooManySessions(usize),
    #[error("the Directory Server answered with an Erro {}: {}", .0.error_code, .0.error_detail)]
    DirectoryServer(Box<Erro>),
    #[error("the 3DS Server failed internally: {0}")]
    Internal(String),
}

impl ApiError {
    /// A field's value breaks a rule.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::Invalid { .. } => (StatusCode::BAD_REQUEST, "invalid_request"),
            Self::Body(_) => (StatusCode::BAD_REQUEST, "invalid_body"),
            Self::SessionNotFound(_) => (StatusCode::NOT_FOUND, "session_not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::TooManySessions(_) => (StatusCode::SERVICE_UNAVAILABLE, "too_many_sessions"),
            Self::DirectoryServer(_) => (StatusCode::BAD_GATEWAY, "directory_server_error"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }
}

impl From<threeds_api::session::FieldError> for ApiError {
    fn from(error: threeds_api::session::FieldError) -> Self {
        Self::Invalid { field: error.field, message: error.message }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut error = json!({ "code": code, "message": self.to_string() });
        match &self {
            Self::Invalid { field, .. } => error["field"] = json!(field),
            Self::DirectoryServer(erro) => error["erro"] = json!(erro),
            _ => {}
        }
        (status, Json(json!({ "error": error }))).into_response()
    }
}
