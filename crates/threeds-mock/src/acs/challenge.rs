//! The challenge pages: the CReq arrives, the cardholder sees a one-time code
//! form or the out-of-band wait laid out for the CReq's window size, and the end
//! is reported (RReq) and auto-posted to the notification URL (the final CRes).

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State as Extract};
use axum::response::Html;
use serde::Deserialize;
use serde_json::Value;
use threeds_protocol::messages::CRes;
use threeds_protocol::{ChallengeWindowSize, Erro, ErrorCode, ErrorComponent, Message, ProtocolError, codec};
use url::Url;
use uuid::Uuid;

use super::issuer::{self, AcsTransaction, CardholderAction, ChallengeStage, Outcome};
use crate::support::cards::{MAX_CODE_ATTEMPTS, ONE_TIME_CODE, Scenario};
use crate::support::error::PageError;
use crate::support::html;
use crate::support::transcript::{self, party};
use crate::{AppState, State};

/// Rule: `threeDSSessionData` is at most 1024 characters of base64url.
const MAX_SESSION_DATA: usize = 1024;
/// Upper bound on a decoded CReq.
const MAX_CREQ_BYTES: usize = 8 * 1024;

/// Whether `url` is an http(s) URL, where the ACS's pages may post.
pub fn is_web_url(url: &str) -> bool {
    Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// The form the browser posts the CReq in.
#[derive(Debug, Deserialize)]
pub struct CreqForm {
    /// The CReq, base64url JSON.
    pub creq: String,
    /// Data the SDK wants back with the CRes.
    #[serde(rename = "threeDSSessionData")]
    pub three_ds_session_data: Option<String>,
}

/// `POST /acs/challenge`: the CReq arrives; the challenge page for the requested window size.
///
/// A CReq the ACS cannot take ends the challenge with an Erro (errorComponent A),
/// auto-posted as the `cres` field to the transaction's notificationURL, as the
/// final CRes would be, so the checkout learns of it at once:
///
/// | what is wrong | errorCode |
/// | --- | --- |
/// | not a CReq, not JSON of one | 101 |
/// | `messageVersion` not supported, or not the ARes's | 102 |
/// | a required field missing | 201 |
/// | a field's format, `threeDSSessionData` over 1024 characters or not base64url | 203 |
/// | `threeDSServerTransID` not the transaction's | 301 |
/// | a second CReq for the transaction | 305 |
///
/// Only when the transaction cannot be found (no readable, known `acsTransID`) is
/// there no notificationURL to post to: then an error page says what is wrong.
pub async fn challenge(Extract(state): Extract<State>, form: Result<Form<CreqForm>, FormRejection>) -> Result<Html<String>, PageError> {
    let Form(form) = form.map_err(|_| PageError::bad_request("creq is missing from the form"))?;
    let bytes = codec::decode(&form.creq, MAX_CREQ_BYTES).map_err(|error| PageError::bad_request(format!("creq: {error}")))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|error| PageError::bad_request(format!("creq: not JSON: {error}")))?;
    let acs_trans_id = match value.get("acsTransID") {
        None => return Err(PageError::bad_request("creq: acsTransID is missing, so the transaction is unknown")),
        Some(id) => id.as_str().and_then(|id| Uuid::parse_str(id).ok()).ok_or_else(|| PageError::bad_request("creq: acsTransID is not a UUID"))?,
    };
    let transaction = state.transactions.get(&acs_trans_id).ok_or_else(|| PageError::not_found("unknown or expired acsTransID"))?;
    // From here the transaction, and so its notificationURL, is known: what is
    // wrong goes back as an Erro. threeDSSessionData is echoed only when valid.
    let session_data_ok =
        form.three_ds_session_data.as_deref().is_none_or(|data| data.len() <= MAX_SESSION_DATA && codec::decode(data, MAX_SESSION_DATA).is_ok());
    let echo = form.three_ds_session_data.as_deref().filter(|_| session_data_ok);
    let erro = |code: ErrorCode, detail: &str| post_erro(&state, &transaction, code, detail, echo);
    let creq = match Message::from_value(value) {
        Ok(Message::CReq(creq)) => creq,
        Ok(other) => return erro(ErrorCode::MessageInvalid, &format!("creq: a {} where a CReq belongs", other.message_type())),
        Err(error) => return erro(error.erro_code(), &erro_detail(&error)),
    };
    if !session_data_ok {
        return erro(ErrorCode::FormatInvalid, "threeDSSessionData");
    }
    if creq.three_ds_server_trans_id != transaction.three_ds_server_trans_id {
        return erro(ErrorCode::TransactionIdNotRecognised, "threeDSServerTransID is not this transaction's");
    }
    if creq.message_version != transaction.version {
        let detail = format!("messageVersion {} is not the ARes's {}", creq.message_version, transaction.version);
        return erro(ErrorCode::VersionNotSupported, &detail);
    }
    let window_size = creq.challenge_window_size;
    let started = state.transactions.update(&acs_trans_id, |transaction| {
        if transaction.stage != ChallengeStage::AwaitingCreq {
            return Err("a CReq was already received for this transaction (a CReq is accepted once)");
        }
        transaction.stage = if transaction.scenario == Scenario::ChallengeErro {
            ChallengeStage::Errored
        } else {
            ChallengeStage::Challenging { window_size, session_data: form.three_ds_session_data.clone() }
        };
        Ok(transaction.clone())
    });
    match started {
        None => Err(PageError::not_found("unknown or expired acsTransID")),
        Some(Err(message)) => erro(ErrorCode::TransactionDataInvalid, message),
        Some(Ok(transaction)) => {
            transcript::record(&state, &creq.three_ds_server_trans_id, "CReq", party::BROWSER, party::ACS, creq.clone());
            if transaction.stage == ChallengeStage::Errored {
                return erro(ErrorCode::TransientFailure, "the issuer's authentication system failed (test card: the challenge ends with an Erro)");
            }
            Ok(challenge_page(&state, &transaction, window_size, None))
        }
    }
}

/// The `errorDetail` of a CReq that could not be read: the field names for 201
/// and 203, else what is wrong.
fn erro_detail(error: &ProtocolError) -> String {
    match error {
        ProtocolError::Missing(field) => field.clone(),
        ProtocolError::Invalid { field, .. } | ProtocolError::UnknownCode { field, .. } => (*field).to_owned(),
        other => format!("creq: {other}"),
    }
}

/// The ACS's Erro for `transaction`, auto-posted as the `cres` field to its
/// notificationURL (with `session_data` echoed as `threeDSSessionData`). A
/// transaction still waiting for its CReq ends with it; one already challenged
/// (a second CReq) goes on.
fn post_erro(
    state: &AppState,
    transaction: &AcsTransaction,
    code: ErrorCode,
    detail: &str,
    session_data: Option<&str>,
) -> Result<Html<String>, PageError> {
    state.transactions.update(&transaction.acs_trans_id, |t| {
        if t.stage == ChallengeStage::AwaitingCreq {
            t.stage = ChallengeStage::Errored;
        }
    });
    if !is_web_url(&transaction.notification_url) {
        return Err(PageError::bad_request("the AReq's notificationURL is not an http(s) URL"));
    }
    let mut erro = Erro::new(code, ErrorComponent::Acs, transaction.version, detail)
        .for_transaction(Some(transaction.three_ds_server_trans_id.clone()))
        .about("CReq");
    erro.acs_trans_id = Some(transaction.acs_trans_id.to_string());
    erro.ds_trans_id = Some(transaction.ds_trans_id.clone());
    let encoded = codec::encode_json(&erro);
    let mut fields = vec![("cres", encoded.as_str())];
    if let Some(data) = session_data {
        fields.push(("threeDSSessionData", data));
    }
    Ok(Html(html::auto_post("3-D Secure", &transaction.notification_url, &fields, "Returning to the merchant…")))
}

/// The page the cardholder sees: the bank's header, then a one-time code form or
/// the out-of-band wait, and always a Cancel.
fn challenge_page(state: &AppState, transaction: &AcsTransaction, size: ChallengeWindowSize, error: Option<&str>) -> Html<String> {
    let id = transaction.acs_trans_id;
    let base = format!("{}/acs/challenge/{id}", state.acs_origin);
    let brand = transaction.scheme.map_or("Card", |s| s.display_name());
    let error = error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", html::text(e))).unwrap_or_default();
    let cancel = format!(
        "<form method=\"post\" action=\"{}\"><button class=\"link\" type=\"submit\" id=\"cancel\">Cancel</button></form>",
        html::attr(&format!("{base}/cancel"))
    );
    // Challenge preference 09: the cardholder may add the merchant to the whitelist.
    let trust = if transaction.whitelist_prompt.is_some() {
        "<label class=\"hint\"><input type=\"checkbox\" id=\"trust\" name=\"trust\" value=\"yes\"> \
         Trust this merchant: skip this check on its next payments</label>"
    } else {
        ""
    };
    let content = if transaction.scenario.out_of_band() {
        let delay = state.config.oob_auto_approve_ms;
        format!(
            "<h1>Approve in your banking app</h1>\
             <p>We sent a notification to your phone. Approve the payment there to continue.</p>\
             <form id=\"approve-form\" method=\"post\" action=\"{approve}\">{trust}\
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
             <input type=\"text\" id=\"otp\" name=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"8\" autofocus>{trust}\
             <button type=\"submit\" id=\"submit\">Submit</button></form>\
             <p class=\"hint\">Test ACS: the code is {ONE_TIME_CODE}.</p>{cancel}",
            submit = html::attr(&format!("{base}/code")),
            attempts = if left == 1 { "attempt" } else { "attempts" },
        )
    };
    let body = format!("<header><span class=\"bank\">Mock Bank</span><span class=\"brand\">{}</span></header>{content}", html::text(brand));
    Html(html::page("Mock Bank 3-D Secure", Some(size), &body))
}

/// The transaction if it is on the challenge page, else the error page to show.
fn challenging(state: &AppState, id: &str) -> Result<(AcsTransaction, ChallengeWindowSize), PageError> {
    let transaction =
        Uuid::parse_str(id).ok().and_then(|id| state.transactions.get(&id)).ok_or_else(|| PageError::not_found("unknown or expired challenge"))?;
    match transaction.stage {
        ChallengeStage::Challenging { window_size, .. } => Ok((transaction, window_size)),
        _ => Err(PageError::conflict("this challenge is not in progress")),
    }
}

/// The one-time code form.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    /// The code the cardholder entered.
    #[serde(default)]
    pub otp: String,
    /// Present when the cardholder ticked "trust this merchant" (preference 09).
    #[serde(default)]
    pub trust: Option<String>,
}

/// The out-of-band approval form: only the "trust this merchant" box.
#[derive(Debug, Deserialize)]
pub struct ApproveForm {
    /// Present when the cardholder ticked "trust this merchant" (preference 09).
    #[serde(default)]
    pub trust: Option<String>,
}

/// `POST /acs/challenge/{id}/code`: a one-time code; three wrong ones fail the challenge.
pub async fn submit_code(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Result<Html<String>, PageError> {
    let (transaction, size) = challenging(&state, &id)?;
    if transaction.scenario.out_of_band() {
        return Err(PageError::conflict("this challenge is approved out of band"));
    }
    let (code, trust) = form.map(|Form(form)| (form.otp, form.trust.is_some())).unwrap_or_default();
    if code.trim() == ONE_TIME_CODE {
        return finish(&state, transaction.acs_trans_id, CardholderAction::Verified, trust);
    }
    let wrong = state
        .transactions
        .update(&transaction.acs_trans_id, |t| {
            t.wrong_codes += 1;
            t.clone()
        })
        .unwrap_or(transaction);
    if wrong.wrong_codes >= MAX_CODE_ATTEMPTS {
        return finish(&state, wrong.acs_trans_id, CardholderAction::ExhaustedAttempts, false);
    }
    Ok(challenge_page(&state, &wrong, size, Some("That code is not right. Check the message and try again.")))
}

/// `POST /acs/challenge/{id}/approve`: approved in the banking app (out of band).
pub async fn approve(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    form: Result<Form<ApproveForm>, FormRejection>,
) -> Result<Html<String>, PageError> {
    let (transaction, _) = challenging(&state, &id)?;
    if !transaction.scenario.out_of_band() {
        return Err(PageError::conflict("this challenge needs a one-time code"));
    }
    let trust = form.is_ok_and(|Form(form)| form.trust.is_some());
    finish(&state, transaction.acs_trans_id, CardholderAction::Verified, trust)
}

/// `POST /acs/challenge/{id}/cancel`: the cardholder chose Cancel.
pub async fn cancel(Extract(state): Extract<State>, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let (transaction, _) = challenging(&state, &id)?;
    finish(&state, transaction.acs_trans_id, CardholderAction::Cancelled, false)
}

/// Ends a transaction: records the outcome, reports it to the 3DS Server (RReq),
/// and returns the transaction as it was before and the outcome. `None` when it
/// is unknown or already ended.
pub fn conclude(state: &AppState, acs_trans_id: Uuid, action: CardholderAction) -> Option<(AcsTransaction, Outcome)> {
    conclude_trusting(state, acs_trans_id, action, false)
}

/// [`conclude`], where the cardholder may have agreed to trust the merchant
/// (challenge preference 09). A successful authentication is SCA: the issuer's
/// low-value count for the card starts again, and the merchant is trusted when
/// the cardholder agreed.
pub fn conclude_trusting(state: &AppState, acs_trans_id: Uuid, action: CardholderAction, trust: bool) -> Option<(AcsTransaction, Outcome)> {
    let concluded = state
        .transactions
        .update(&acs_trans_id, |transaction| {
            if matches!(transaction.stage, ChallengeStage::Ended(_) | ChallengeStage::Errored) {
                return None;
            }
            let before = transaction.clone();
            let outcome = issuer::challenge_outcome(transaction.scenario, action);
            transaction.stage = ChallengeStage::Ended(outcome.clone());
            Some((before, outcome))
        })
        .flatten()?;
    let (transaction, outcome) = &concluded;
    // Interactions: each wrong code, plus the final right code or approval.
    let interactions = transaction.wrong_codes + u8::from(action == CardholderAction::Verified);
    let authenticated = outcome.status == threeds_protocol::TransStatus::Authenticated;
    let trusted = trust && authenticated && transaction.whitelist_prompt.is_some();
    if authenticated && let Some(card) = &transaction.card {
        super::remember(state, card, |memory| {
            memory.strongly_authenticated();
            if let Some(merchant) = transaction.whitelist_prompt.as_deref().filter(|_| trusted) {
                memory.trust(merchant);
            }
        });
    }
    state.post_rreq(issuer::results_request(transaction, outcome, interactions, trusted));
    Some(concluded)
}

/// Concludes, then auto-posts the final CRes to the notification URL.
fn finish(state: &AppState, acs_trans_id: Uuid, action: CardholderAction, trust: bool) -> Result<Html<String>, PageError> {
    let (transaction, outcome) =
        conclude_trusting(state, acs_trans_id, action, trust).ok_or_else(|| PageError::conflict("this challenge has already ended"))?;
    let session_data = match &transaction.stage {
        ChallengeStage::Challenging { session_data, .. } => session_data.clone(),
        _ => None,
    };
    let cres = CRes::final_browser(transaction.version, &transaction.three_ds_server_trans_id, transaction.acs_trans_id.to_string(), outcome.status);
    let encoded = codec::encode_json(&cres);
    let mut fields = vec![("cres", encoded.as_str())];
    if let Some(data) = session_data.as_deref() {
        fields.push(("threeDSSessionData", data));
    }
    if !is_web_url(&transaction.notification_url) {
        return Err(PageError::bad_request("the AReq's notificationURL is not an http(s) URL"));
    }
    Ok(Html(html::auto_post("3-D Secure", &transaction.notification_url, &fields, "Returning to the merchant…")))
}
