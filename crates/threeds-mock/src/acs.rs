//! The ACS origin: the 3DS Method page, and the challenge pages (one-time code or
//! out of band) laid out for the CReq's window size, ending in the auto-posted CRes.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State as Extract};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use threeds_protocol::messages::{CReq, CRes, MethodData, MethodNotification};
use threeds_protocol::{ChallengeWindowSize, TransStatus, codec};
use url::Url;
use uuid::Uuid;

use crate::cards::{MAX_CODE_ATTEMPTS, ONE_TIME_CODE};
use crate::ds::{self, AcsTransaction, CardholderAction, ChallengeStage, Outcome};
use crate::server::{accept_rreq, error_page, with_frame_policy};
use crate::transcript::{self, party};
use crate::{State, html};

/// Rule: `threeDSSessionData` is at most 1024 characters of base64url.
const MAX_SESSION_DATA: usize = 1024;
/// Upper bound on a decoded CReq.
const MAX_CREQ_BYTES: usize = 8 * 1024;

/// The ACS's routes.
pub fn router() -> Router<State> {
    Router::new()
        .route("/acs/method", post(method))
        .route("/acs/challenge", post(challenge))
        .route("/acs/challenge/{id}/code", post(submit_code))
        .route("/acs/challenge/{id}/approve", post(approve))
        .route("/acs/challenge/{id}/cancel", post(cancel))
        .route("/healthz", get(|| async { "acs ok" }))
}

fn is_web_url(url: &str) -> bool {
    Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

// ---- 3DS Method ------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct MethodForm {
    #[serde(rename = "threeDSMethodData")]
    three_ds_method_data: String,
}

/// The hidden method iframe: "fingerprints" the browser, then posts the notification.
async fn method(Extract(state): Extract<State>, form: Result<Form<MethodForm>, FormRejection>) -> Response {
    let Ok(Form(form)) = form else {
        return error_page(&state, StatusCode::BAD_REQUEST, "threeDSMethodData is missing from the form");
    };
    let data = match MethodData::decode(&form.three_ds_method_data) {
        Ok(data) => data,
        Err(error) => {
            return error_page(&state, StatusCode::BAD_REQUEST, &format!("threeDSMethodData: {error}"));
        }
    };
    if !is_web_url(&data.three_ds_method_notification_url) {
        return error_page(&state, StatusCode::BAD_REQUEST, "threeDSMethodNotificationURL is not an http(s) URL");
    }
    transcript::record(&state, &data.three_ds_server_trans_id, "threeDSMethodData", party::BROWSER, party::ACS, &data);
    let notification = MethodNotification::new(data.three_ds_server_trans_id).encode();
    let page = html::auto_post(
        "3-D Secure device check",
        &data.three_ds_method_notification_url,
        &[("threeDSMethodData", &notification)],
        "Checking this device…",
    );
    with_frame_policy(&state, Html(page).into_response())
}

// ---- challenge ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct CreqForm {
    creq: String,
    #[serde(rename = "threeDSSessionData")]
    three_ds_session_data: Option<String>,
}

/// The CReq arrives: the challenge page for the requested window size.
async fn challenge(Extract(state): Extract<State>, form: Result<Form<CreqForm>, FormRejection>) -> Response {
    let Ok(Form(form)) = form else {
        return error_page(&state, StatusCode::BAD_REQUEST, "creq is missing from the form");
    };
    let creq: CReq = match codec::decode_json(&form.creq, MAX_CREQ_BYTES) {
        Ok(creq) => creq,
        Err(error) => {
            return error_page(&state, StatusCode::BAD_REQUEST, &format!("creq: {error}"));
        }
    };
    if let Some(data) = &form.three_ds_session_data
        && (data.len() > MAX_SESSION_DATA || codec::decode(data, MAX_SESSION_DATA).is_err())
    {
        return error_page(&state, StatusCode::BAD_REQUEST, "threeDSSessionData must be base64url, at most 1024 characters");
    }
    let Ok(acs_trans_id) = Uuid::parse_str(&creq.acs_trans_id) else {
        return error_page(&state, StatusCode::BAD_REQUEST, "acsTransID is not a UUID");
    };
    let window_size = creq.challenge_window_size;
    let started = state.transactions.update(&acs_trans_id, |transaction| {
        if transaction.three_ds_server_trans_id != creq.three_ds_server_trans_id {
            return Err("threeDSServerTransID does not match the transaction");
        }
        if transaction.stage != ChallengeStage::AwaitingCreq {
            return Err("this challenge was already started (a CReq is accepted once)");
        }
        transaction.stage = ChallengeStage::Challenging { window_size, session_data: form.three_ds_session_data.clone() };
        Ok(transaction.clone())
    });
    match started {
        None => error_page(&state, StatusCode::NOT_FOUND, "unknown or expired acsTransID"),
        Some(Err(message)) => error_page(&state, StatusCode::CONFLICT, message),
        Some(Ok(transaction)) => {
            transcript::record(&state, &creq.three_ds_server_trans_id, "CReq", party::BROWSER, party::ACS, &creq);
            challenge_page(&state, &transaction, window_size, None)
        }
    }
}

/// The page the cardholder sees: the bank's header, then a one-time code form or
/// the out-of-band wait, and always a Cancel.
fn challenge_page(state: &State, transaction: &AcsTransaction, size: ChallengeWindowSize, error: Option<&str>) -> Response {
    let id = transaction.acs_trans_id;
    let base = format!("{}/acs/challenge/{id}", state.acs_origin);
    let brand = transaction.scheme.map_or("Card", |s| s.display_name());
    let error = error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", html::text(e))).unwrap_or_default();
    let cancel = format!(
        "<form method=\"post\" action=\"{}\"><button class=\"link\" type=\"submit\" id=\"cancel\">Cancel</button></form>",
        html::attr(&format!("{base}/cancel"))
    );
    let content = if transaction.scenario.out_of_band() {
        let delay = state.config.oob_auto_approve_ms;
        format!(
            "<h1>Approve in your banking app</h1>\
             <p>We sent a notification to your phone. Approve the payment there to continue.</p>\
             <form id=\"approve-form\" method=\"post\" action=\"{approve}\">\
             <button type=\"submit\" id=\"approve\">I approved it in the app</button></form>\
             <p class=\"hint\">Test ACS: the app approves by itself after {seconds} s.</p>{cancel}\
             <script>setTimeout(function(){{document.getElementById('approve-form').submit();}},{delay});</script>",
            approve = html::attr(&format!("{base}/approve")),
            seconds = delay / 1000,
        )
    } else {
        let left = MAX_CODE_ATTEMPTS - transaction.wrong_codes;
        format!(
            "<h1>Confirm your payment</h1>\
             <p>Enter the one-time code we sent to your phone.</p>{error}\
             <form method=\"post\" action=\"{submit}\" class=\"actions\">\
             <label for=\"otp\" class=\"hint\">One-time code ({left} {attempts} left)</label>\
             <input type=\"text\" id=\"otp\" name=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"8\" autofocus>\
             <button type=\"submit\" id=\"submit\">Submit</button></form>\
             <p class=\"hint\">Test ACS: the code is {ONE_TIME_CODE}.</p>{cancel}",
            submit = html::attr(&format!("{base}/code")),
            attempts = if left == 1 { "attempt" } else { "attempts" },
        )
    };
    let body = format!("<header><span class=\"bank\">Mock Bank</span><span class=\"brand\">{}</span></header>{content}", html::text(brand));
    with_frame_policy(state, Html(html::page("Mock Bank 3-D Secure", Some(size), &body)).into_response())
}

/// The transaction if it is on the challenge page, else an error page to show.
fn challenging(state: &State, id: &str) -> Result<(AcsTransaction, ChallengeWindowSize), Response> {
    let transaction = Uuid::parse_str(id)
        .ok()
        .and_then(|id| state.transactions.get(&id))
        .ok_or_else(|| error_page(state, StatusCode::NOT_FOUND, "unknown or expired challenge"))?;
    match transaction.stage {
        ChallengeStage::Challenging { window_size, .. } => Ok((transaction, window_size)),
        _ => Err(error_page(state, StatusCode::CONFLICT, "this challenge is not in progress")),
    }
}

#[derive(Debug, Deserialize)]
struct CodeForm {
    #[serde(default)]
    otp: String,
}

async fn submit_code(Extract(state): Extract<State>, Path(id): Path<String>, form: Result<Form<CodeForm>, FormRejection>) -> Response {
    let (transaction, size) = match challenging(&state, &id) {
        Ok(found) => found,
        Err(page) => return page,
    };
    if transaction.scenario.out_of_band() {
        return error_page(&state, StatusCode::CONFLICT, "this challenge is approved out of band");
    }
    let code = form.map(|Form(form)| form.otp).unwrap_or_default();
    if code.trim() == ONE_TIME_CODE {
        return finish(&state, transaction.acs_trans_id, CardholderAction::Verified);
    }
    let wrong = state
        .transactions
        .update(&transaction.acs_trans_id, |t| {
            t.wrong_codes += 1;
            t.clone()
        })
        .unwrap_or(transaction);
    if wrong.wrong_codes >= MAX_CODE_ATTEMPTS {
        return finish(&state, wrong.acs_trans_id, CardholderAction::ExhaustedAttempts);
    }
    challenge_page(&state, &wrong, size, Some("That code is not right. Check the message and try again."))
}

async fn approve(Extract(state): Extract<State>, Path(id): Path<String>) -> Response {
    match challenging(&state, &id) {
        Ok((transaction, _)) if transaction.scenario.out_of_band() => finish(&state, transaction.acs_trans_id, CardholderAction::Verified),
        Ok(_) => error_page(&state, StatusCode::CONFLICT, "this challenge needs a one-time code"),
        Err(page) => page,
    }
}

async fn cancel(Extract(state): Extract<State>, Path(id): Path<String>) -> Response {
    match challenging(&state, &id) {
        Ok((transaction, _)) => finish(&state, transaction.acs_trans_id, CardholderAction::Cancelled),
        Err(page) => page,
    }
}

/// Ends a transaction: records the outcome, reports it to the 3DS Server (RReq),
/// and returns the transaction as it was before and the outcome. `None` when it
/// is unknown or already ended.
pub fn conclude(state: &State, acs_trans_id: Uuid, action: CardholderAction) -> Option<(AcsTransaction, Outcome)> {
    let concluded = state
        .transactions
        .update(&acs_trans_id, |transaction| {
            if matches!(transaction.stage, ChallengeStage::Ended(_)) {
                return None;
            }
            let before = transaction.clone();
            let outcome = ds::challenge_outcome(transaction.scenario, action);
            transaction.stage = ChallengeStage::Ended(outcome.clone());
            Some((before, outcome))
        })
        .flatten()?;
    let (transaction, outcome) = &concluded;
    // Interactions: each wrong code, plus the final right code or approval.
    let interactions = transaction.wrong_codes + u8::from(action == CardholderAction::Verified);
    let rreq = ds::results_request(transaction, outcome, interactions);
    accept_rreq(state, transaction.session_id, rreq);
    Some(concluded)
}

/// Concludes, then auto-posts the final CRes to the notification URL.
fn finish(state: &State, acs_trans_id: Uuid, action: CardholderAction) -> Response {
    let Some((transaction, outcome)) = conclude(state, acs_trans_id, action) else {
        return error_page(state, StatusCode::CONFLICT, "this challenge has already ended");
    };
    let session_data = match &transaction.stage {
        ChallengeStage::Challenging { session_data, .. } => session_data.clone(),
        _ => None,
    };
    // Rule: the final browser CRes carries Y or N; the RReq carries the detail.
    let cres_status = if outcome.status == TransStatus::Authenticated { TransStatus::Authenticated } else { TransStatus::NotAuthenticated };
    let cres: CRes = serde_json::from_value(serde_json::json!({
        "threeDSServerTransID": transaction.three_ds_server_trans_id,
        "acsTransID": transaction.acs_trans_id.to_string(),
        "messageType": "CRes",
        "messageVersion": transaction.version,
        "transStatus": cres_status,
        "challengeCompletionInd": "Y",
    }))
    .expect("a well-formed CRes");
    let encoded = codec::encode_json(&cres);
    let mut fields = vec![("cres", encoded.as_str())];
    if let Some(data) = session_data.as_deref() {
        fields.push(("threeDSSessionData", data));
    }
    if !is_web_url(&transaction.notification_url) {
        return error_page(state, StatusCode::BAD_REQUEST, "the AReq's notificationURL is not an http(s) URL");
    }
    let page = html::auto_post("3-D Secure", &transaction.notification_url, &fields, "Returning to the merchant…");
    with_frame_policy(state, Html(page).into_response())
}
