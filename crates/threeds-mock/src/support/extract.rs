//! Request bodies: the session API's JSON body extractor (errors name the field
//! at fault), and the 3DS Method's form.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::support::error::ApiError;

/// A JSON request body of type `T`. A body that is not `application/json` (or
/// `text/plain`, a browser's JSON without a CORS preflight), or
/// does not fit `T`, is an [`ApiError`] naming the missing field where serde
/// names one; a body over the size limit is the limit's own answer.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        // `text/plain` is how a browser sends JSON without a CORS preflight (the SDK does).
        let is_json = content_type.starts_with("application/json") || content_type.starts_with("text/plain");
        let body = Bytes::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        if !is_json {
            return Err(ApiError::Body("Content-Type must be application/json (or text/plain)".into()).into_response());
        }
        parse(&body).map(Self).map_err(IntoResponse::into_response)
    }
}

/// Parses a JSON body; errors name the field (`missing field`, `unknown field`, bad type).
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        let text = error.to_string();
        match text.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
            Some(field) => ApiError::invalid(field, "is required"),
            None => ApiError::Body(text),
        }
    })
}

/// The form of both 3DS Method posts: the browser's to the ACS's method page, and
/// the ACS's to the 3DS Server's method notification page.
#[derive(Debug, Deserialize)]
pub struct MethodDataForm {
    /// The method data or notification, base64url JSON.
    #[serde(rename = "threeDSMethodData")]
    pub three_ds_method_data: String,
}
