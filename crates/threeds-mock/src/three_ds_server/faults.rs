//! A faulty session API, for testing how a client copes (`--faults`): every path
//! under `/faults/{kind}/` answers the way `kind` says, with the real API's CORS.

use std::time::Duration;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::support::error::ApiError;

/// How long `hang` holds a connection before giving up.
const HANG: Duration = Duration::from_secs(30);

/// `/faults/{kind}/{*rest}`.
pub async fn answer(Path((kind, _rest)): Path<(String, String)>) -> Response {
    match kind.as_str() {
        "500" => ApiError::Internal("a fault on purpose (--faults)".into()).into_response(),
        "not-json" => (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "<html>not JSON</html>").into_response(),
        "hang" => {
            tokio::time::sleep(HANG).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        _ => ApiError::invalid("kind", "must be 500, not-json or hang").into_response(),
    }
}
