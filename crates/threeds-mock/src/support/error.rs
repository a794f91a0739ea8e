//! Errors, turned into responses in one place: [`ApiError`] into the JSON
//! [`ErrorBody`] of the session API, [`PageError`] into the HTML error page of
//! the method, challenge and notification pages.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use threeds_api::session::{ErrorBody, ErrorDetail};
use threeds_protocol::Erro;

use crate::support::html;

/// Why a session API request failed. The JSON body names the code, the field where
/// there is one, and a message for people.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No key, or not one of ours.
    #[error(
        "missing or unknown API key (send it as `Authorization: Bearer <key>` or `X-API-Key`; the publishable key may also be a `key` query parameter)"
    )]
    Unauthorized,
    /// The secret key as a `key` query parameter: refused, since URLs are logged.
    #[error("a secret key is never accepted in a URL; send it as `Authorization: Bearer <key>`, from your server only")]
    SecretKeyInUrl,
    /// A publishable key where the secret key is needed, for the operation named.
    #[error("this operation needs the secret key; a publishable key cannot {0}")]
    Forbidden(&'static str),
    /// A request field breaks a rule.
    #[error("{field}: {message}")]
    Invalid {
        /// The field, as the request names it.
        field: String,
        /// The rule it breaks.
        message: String,
    },
    /// The body is not JSON of the expected shape.
    #[error("request body: {0}")]
    Body(String),
    /// No live session has this ID.
    #[error("no session {0} (unknown or expired)")]
    SessionNotFound(String),
    /// The session is not in a state that allows the request.
    #[error("{0}")]
    Conflict(String),
    /// A store is full of live, unfinished entries.
    #[error("too many live sessions ({capacity}); try again in {} s", retry_after.as_secs().max(1))]
    TooManySessions {
        /// The store's capacity.
        capacity: usize,
        /// When the oldest live entry expires.
        retry_after: std::time::Duration,
    },
    /// The Directory Server answered with an Erro.
    #[error("the Directory Server answered with an Erro {}: {}", .0.error_code, .0.error_detail)]
    DirectoryServer(Box<Erro>),
    /// The ACS ended the challenge with an Erro in place of the final CRes.
    #[error("the ACS ended the challenge with an Erro {}: {}", .0.error_code, .0.error_detail)]
    Acs(Box<Erro>),
    /// The 3DS Server failed.
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
            Self::Unauthorized | Self::SecretKeyInUrl => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::Invalid { .. } => (StatusCode::BAD_REQUEST, "invalid_request"),
            Self::Body(_) => (StatusCode::BAD_REQUEST, "invalid_body"),
            Self::SessionNotFound(_) => (StatusCode::NOT_FOUND, "session_not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::TooManySessions { .. } => (StatusCode::SERVICE_UNAVAILABLE, "too_many_sessions"),
            Self::DirectoryServer(_) => (StatusCode::BAD_GATEWAY, "directory_server_error"),
            Self::Acs(_) => (StatusCode::BAD_GATEWAY, "acs_error"),
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
        let message = self.to_string();
        let retry_after = match &self {
            Self::TooManySessions { retry_after, .. } => Some(retry_after.as_secs().max(1)),
            _ => None,
        };
        let (field, erro) = match self {
            Self::Invalid { field, .. } => (Some(field), None),
            Self::DirectoryServer(erro) | Self::Acs(erro) => (None, Some(*erro)),
            _ => (None, None),
        };
        let mut response = (status, Json(ErrorBody { error: ErrorDetail { code: code.into(), message, field, erro } })).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<crate::support::store::StoreError> for ApiError {
    fn from(error: crate::support::store::StoreError) -> Self {
        let crate::support::store::StoreError::Full { capacity, retry_after } = error;
        Self::TooManySessions { capacity, retry_after }
    }
}

/// Why a page (the ACS's, or a notification page) cannot go on: shown in the
/// frame as an error page with this status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, for people (escaped on the page).
    pub message: String,
}

impl PageError {
    /// HTTP 400: the post cannot be used.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, message: message.into() }
    }

    /// HTTP 404: unknown or expired.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, message: message.into() }
    }

    /// HTTP 409: not in a state that allows this post.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self { status: StatusCode::CONFLICT, message: message.into() }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = format!("<h1>This step could not be completed</h1><p class=\"error\">{}</p>", html::text(&self.message));
        (self.status, Html(html::page("3-D Secure error", None, &body))).into_response()
    }
}
