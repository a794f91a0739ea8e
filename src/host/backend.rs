//! Calls to the 3DS session API from the host frame (fetch, publishable key only,
//! no CORS preflight).

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, Response};

use threeds_api::ErrorCode;
use threeds_protocol::members::Members;

/// How long a call may take, answer body included, before it is aborted as `network`.
pub const API_TIMEOUT_MS: u32 = 15_000;

/// A failed call: the typed code the embed's promise rejects with, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    /// `network`, `api_error` or `invalid_argument`.
    pub code: ErrorCode,
    /// For people: the API's own message when it gave one.
    pub message: String,
}

/// A JS exception for people: an `Error`'s message (e.g. `Failed to fetch`), never a
/// `JsValue(...)` dump with its stack.
pub fn describe(error: &JsValue) -> String {
    match (error.dyn_ref::<js_sys::Error>(), error.as_string()) {
        (Some(error), _) => String::from(error.message()),
        (None, Some(text)) => text,
        (None, None) => "unknown error".into(),
    }
}

fn network(error: JsValue) -> CallError {
    CallError { code: ErrorCode::Network, message: format!("the 3DS session API could not be reached ({})", describe(&error)) }
}

/// Sends a request now (`body`: JSON) and reads the answer with `read` when
/// awaited; non-2xx answers become `api_error` with the API's own message, as do
/// answers `read` refuses. A call not answered within [`API_TIMEOUT_MS`] is aborted
/// and fails `network`. The request leaves when this is called, not when the
/// future is first polled, so work done meanwhile (the 3DS Method's frame)
/// overlaps the round trip.
pub fn call<T: 'static>(
    method: &str,
    url: &str,
    key: &str,
    body: Option<String>,
    read: fn(&str) -> Result<T, String>,
) -> impl std::future::Future<Output = Result<T, CallError>> + 'static {
    let answer = answer_text(send(method, url, key, body));
    async move {
        let text = answer.await?;
        read(&text).map_err(|e| CallError { code: ErrorCode::ApiError, message: format!("unexpected answer: {e}") })
    }
}

/// The answer's text, once it has come (one copy of this for every answer type).
async fn answer_text(sent: Result<(JsFuture, AbortController, Timeout), CallError>) -> Result<String, CallError> {
    let (fetch, abort, _timer) = sent?;
    let timed_out =
        || CallError { code: ErrorCode::Network, message: format!("the 3DS session API did not answer within {} s", API_TIMEOUT_MS / 1000) };
    let failed = |error: JsValue| if abort.signal().aborted() { timed_out() } else { network(error) };
    let response: Response = fetch.await.map_err(failed)?.unchecked_into();
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?.as_string().unwrap_or_default();
    if !response.ok() {
        let message = Members::parse(&text)
            .ok()
            .and_then(|answer| Members::parse(answer.get("error")?.raw()).ok()?.text("message"))
            .unwrap_or_else(|| format!("HTTP {}", response.status()));
        return Err(CallError { code: ErrorCode::ApiError, message });
    }
    Ok(text)
}

/// The request on its way: its answer, its aborter, and the timer that aborts it
/// (dropped, so cancelled, when the call ends first).
fn send(method: &str, url: &str, key: &str, body: Option<String>) -> Result<(JsFuture, AbortController, Timeout), CallError> {
    let abort = AbortController::new().map_err(network)?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_signal(Some(&abort.signal()));
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body));
    }
    // A CORS "simple" request, so the browser sends no preflight (a round trip
    // less): the publishable key as the `key` query parameter, not a header; the
    // JSON body as the `text/plain` a string body gets; `Accept` is safelisted.
    let url = web_sys::Url::new(url).map_err(network)?;
    url.search_params().set("key", key);
    let request = Request::new_with_str_and_init(&url.href(), &init).map_err(network)?;
    request.headers().set("Accept", "application/json").map_err(network)?;
    let window = web_sys::window().ok_or_else(|| network(JsValue::from_str("no window")))?;
    let timer = {
        let abort = abort.clone();
        Timeout::new(API_TIMEOUT_MS, move || abort.abort())
    };
    Ok((JsFuture::from(window.fetch_with_request(&request)), abort, timer))
}
