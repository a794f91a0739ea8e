//! The notification endpoints: the ACS posts the method notification, or the end
//! of a challenge (a final CRes, or an Erro), here. The 3DS Server records what
//! arrived, then answers with the relay message as a page of its own
//! ([`html::relay`]): the form fields, unchanged, posted to the frame's parent (the
//! SDK host frame) at the SDK origin recorded with the session, as
//! `threeds_api::PageMessage::Relay`. The host frame takes it from this API's
//! origin for the API's own flows (`createSession`, `startChallenge`).
//!
//! A 3DS Server the SDK does not know instead sends the frame on to the SDK
//! origin's static relay page, the fields in the fragment (README, "The relay
//! message"): a round trip more, which this server saves.

use std::time::SystemTime;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use threeds_protocol::messages::MethodNotification;
use threeds_protocol::{Message, codec};

use super::api::session;
use crate::State;
use crate::support::error::PageError;
use crate::support::extract::MethodDataForm;
use crate::support::html;
use crate::support::transcript::{self, party};

/// Upper bound on a decoded CRes or Erro.
const MAX_CRES_BYTES: usize = 16 * 1024;

/// The answer to the ACS's form post: the relay page ([`html::relay`]) posting
/// `fields` to the SDK host frame at `sdk_origin`. When no SDK origin is known for
/// the session (it was created without an `Origin`), a page that says so and sends nothing.
fn relay(sdk_origin: Option<&str>, fields: &[(&str, &str)]) -> Response {
    let Some(origin) = sdk_origin else {
        let body = "<p>Done. (No SDK origin is known for this session, so nothing was relayed.)</p>";
        return Html(html::page("3-D Secure", None, body)).into_response();
    };
    Html(html::relay(origin, fields)).into_response()
}

/// `303 See Other` to `location`, a URL this server built.
pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        // Its origins are checked and its query and fragment percent-encoded, so
        // this is unreachable; answer rather than panic.
        Err(_) => PageError::bad_request("this URL cannot be used in a redirect").into_response(),
    }
}

/// `POST /3ds/sessions/{id}/method-notification`.
pub async fn method_notification(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    form: Result<Form<MethodDataForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form.map_err(|_| PageError::bad_request("threeDSMethodData is missing from the form"))?;
    let notification =
        MethodNotification::decode(&form.three_ds_method_data).map_err(|error| PageError::bad_request(format!("threeDSMethodData: {error}")))?;
    let session = session(&state, &id).map_err(|_| PageError::not_found("unknown or expired session"))?;
    if notification.three_ds_server_trans_id != session.three_ds_server_trans_id.to_string() {
        return Err(PageError::bad_request("threeDSServerTransID does not belong to this session"));
    }
    transcript::record(&state, &notification.three_ds_server_trans_id, "threeDSMethodData", party::ACS, party::SERVER, notification.clone());
    state.sessions.update(&session.id, |s| {
        s.method_completed = true;
        s.modified = SystemTime::now();
    });
    Ok(relay(session.sdk_origin.as_deref(), &[("threeDSMethodData", &form.three_ds_method_data)]))
}

/// The form the ACS posts at the end of a challenge.
#[derive(Debug, Deserialize)]
pub struct ChallengeForm {
    /// The final CRes, or an Erro, base64url JSON.
    pub cres: String,
    /// What the SDK sent with the CReq, echoed back.
    #[serde(rename = "threeDSSessionData")]
    pub three_ds_session_data: Option<String>,
}

/// `POST /3ds/sessions/{id}/challenge-notification`: the final CRes, or the ACS's
/// Erro in its place (the `cres` field holds either).
pub async fn challenge_notification(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    form: Result<Form<ChallengeForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form.map_err(|_| PageError::bad_request("cres is missing from the form"))?;
    let value: serde_json::Value =
        codec::decode_json(&form.cres, MAX_CRES_BYTES).map_err(|error| PageError::bad_request(format!("cres: {error}")))?;
    let message = Message::from_value(value).map_err(|error| PageError::bad_request(format!("cres: {error}")))?;
    let session = session(&state, &id).map_err(|_| PageError::not_found("unknown or expired session"))?;
    let Some(authentication) = &session.authentication else {
        return Err(PageError::conflict("this session has no challenge"));
    };
    let trans_id = session.three_ds_server_trans_id.to_string();
    let acs_trans_id = &authentication.ares.acs_trans_id;
    match message {
        Message::CRes(cres) => {
            if cres.three_ds_server_trans_id != trans_id || &cres.acs_trans_id != acs_trans_id {
                return Err(PageError::bad_request("the CRes does not belong to this session's transaction"));
            }
            transcript::record(&state, &trans_id, "CRes", party::ACS, party::SERVER, cres.clone());
            state.sessions.update(&session.id, |s| {
                if let Some(a) = &mut s.authentication {
                    a.cres_received = true;
                }
            });
        }
        Message::Erro(erro) => {
            // An Erro names the transaction it ends: the 3DS Server's ID always (the
            // ACS read it from the CReq), the ACS's when it has one.
            if erro.three_ds_server_trans_id.as_deref() != Some(trans_id.as_str()) || erro.acs_trans_id.as_ref().is_some_and(|id| id != acs_trans_id)
            {
                return Err(PageError::bad_request("the Erro does not belong to this session's transaction"));
            }
            transcript::record(&state, &trans_id, "Erro", party::ACS, party::SERVER, erro.clone());
            state.sessions.update(&session.id, |s| {
                if let Some(a) = &mut s.authentication
                    && a.rreq.is_none()
                {
                    a.acs_erro = Some(erro);
                    s.modified = SystemTime::now();
                }
            });
        }
        other => {
            return Err(PageError::bad_request(format!("cres: a {} where a CRes or an Erro belongs", other.message_type())));
        }
    }
    if let Some(return_to) = &session.return_to {
        return Ok(see_other(return_to));
    }
    let mut fields = vec![("cres", form.cres.as_str())];
    if let Some(data) = form.three_ds_session_data.as_deref() {
        fields.push(("threeDSSessionData", data));
    }
    Ok(relay(session.sdk_origin.as_deref(), &fields))
}
