//! A faulty session API, for testing how a client copes (`--faults`): every path
//! under `/faults/{kind}/` answers the way `kind` says, with the real API's CORS;
//! `relay-puppet` is a page on the API's origin that posts what the test page
//! tells it to the other frames of its parent (a forger at the API's origin).

use std::time::Duration;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::support::error::ApiError;

/// How long `hang` holds a connection before giving up.
const HANG: Duration = Duration::from_secs(30);

/// The forger's script: on `{ puppet: "relay", messages, target }` from the top
/// window, it posts each message to every other frame of its parent at `target`.
const RELAY_PUPPET: &str = "<!doctype html><title>relay puppet</title><script>\
addEventListener(\"message\",function(e){var d=e.data||{};if(e.source!==top||d.puppet!==\"relay\")return;\
for(var i=0;i<parent.frames.length;i++){var f=parent.frames[i];if(f!==window)d.messages.forEach(function(m){f.postMessage(m,d.target)})}\
top.postMessage({puppetRelayed:d.messages.length},\"*\")});top.postMessage({puppetRelayReady:true},\"*\")</script>";

/// `/faults/{kind}/{*rest}`.
pub async fn answer(Path((kind, _rest)): Path<(String, String)>) -> Response {
    match kind.as_str() {
        "500" => ApiError::Internal("a fault on purpose (--faults)".into()).into_response(),
        "relay-puppet" => Html(RELAY_PUPPET).into_response(),
        "not-json" => (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "<html>not JSON</html>").into_response(),
        "hang" => {
            tokio::time::sleep(HANG).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        _ => ApiError::invalid("kind", "must be 500, not-json, hang or relay-puppet").into_response(),
    }
}
