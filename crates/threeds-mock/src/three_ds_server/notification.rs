//! The notification pages: the ACS posts the method notification or the final
//! CRes here, and the page tells the SDK host page (and only it) that the step is
//! over, with a [`Relay`] message.

use std::time::SystemTime;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State as Extract};
use axum::response::Html;
use serde::{Deserialize, Serialize};
use threeds_api::{RELAY_VERSION, Relay};
use threeds_protocol::codec;
use threeds_protocol::messages::{CRes, MethodNotification};

use super::api::session;
use crate::State;
use crate::support::error::PageError;
use crate::support::extract::MethodDataForm;
use crate::support::html;
use crate::support::transcript::{self, party};

/// Upper bound on a decoded CRes.
const MAX_CRES_BYTES: usize = 16 * 1024;

/// What a relay page embeds as JSON: the target origin and the message.
#[derive(Debug, Serialize)]
struct Payload<'a> {
    origin: &'a str,
    message: &'a Relay,
}

/// A page in the method or challenge iframe that posts `message` to its parent, the
/// SDK host page, with that page's exact origin as the target; never `'*'`.
fn relay_page(target_origin: Option<&str>, message: &Relay) -> Html<String> {
    let body = match target_origin {
        Some(origin) => {
            // JSON inside <script>: `<` escaped so no value can close the element.
            let payload = serde_json::to_string(&Payload { origin, message }).unwrap_or_default().replace('<', "\\u003c");
            format!(
                "<p>Returning to the checkout…</p>\
                 <script type=\"application/json\" id=\"relay\">{payload}</script>\
                 <script>(function(){{var r=JSON.parse(document.getElementById('relay').textContent);\
                 window.parent.postMessage(r.message,r.origin);}})();</script>"
            )
        }
        None => "<p>Done. (No SDK origin is known for this session, so no message was sent.)</p>".to_owned(),
    };
    Html(html::page("3-D Secure", None, &body))
}

/// `POST /3ds/sessions/{id}/method-notification`.
pub async fn method_notification(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    form: Result<Form<MethodDataForm>, FormRejection>,
) -> Result<Html<String>, PageError> {
    let Form(form) = form.map_err(|_| PageError::bad_request("threeDSMethodData is missing from the form"))?;
    let notification =
        MethodNotification::decode(&form.three_ds_method_data).map_err(|error| PageError::bad_request(format!("threeDSMethodData: {error}")))?;
    let session = session(&state, &id).map_err(|_| PageError::not_found("unknown or expired session"))?;
    if notification.three_ds_server_trans_id != session.three_ds_server_trans_id.to_string() {
        return Err(PageError::bad_request("threeDSServerTransID does not belong to this session"));
    }
    transcript::record(&state, &notification.three_ds_server_trans_id, "threeDSMethodData", party::ACS, party::SERVER, &notification);
    state.sessions.update(&session.id, |s| {
        s.method_completed = true;
        s.modified = SystemTime::now();
    });
    let message = Relay::MethodNotification {
        version: RELAY_VERSION,
        session_id: session.id.to_string(),
        three_ds_server_trans_id: session.three_ds_server_trans_id.to_string(),
    };
    Ok(relay_page(session.sdk_origin.as_deref(), &message))
}

/// The form the ACS posts at the end of a challenge.
#[derive(Debug, Deserialize)]
pub struct ChallengeForm {
    /// The final CRes, base64url JSON.
    pub cres: String,
    /// What the SDK sent with the CReq, echoed back.
    #[serde(rename = "threeDSSessionData")]
    pub three_ds_session_data: Option<String>,
}

/// `POST /3ds/sessions/{id}/challenge-notification`.
pub async fn challenge_notification(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    form: Result<Form<ChallengeForm>, FormRejection>,
) -> Result<Html<String>, PageError> {
    let Form(form) = form.map_err(|_| PageError::bad_request("cres is missing from the form"))?;
    let cres: CRes = codec::decode_json(&form.cres, MAX_CRES_BYTES).map_err(|error| PageError::bad_request(format!("cres: {error}")))?;
    let session = session(&state, &id).map_err(|_| PageError::not_found("unknown or expired session"))?;
    let Some(authentication) = &session.authentication else {
        return Err(PageError::conflict("this session has no challenge"));
    };
    if cres.three_ds_server_trans_id != session.three_ds_server_trans_id.to_string() || cres.acs_trans_id != authentication.ares.acs_trans_id {
        return Err(PageError::bad_request("the CRes does not belong to this session's transaction"));
    }
    transcript::record(&state, &cres.three_ds_server_trans_id, "CRes", party::ACS, party::SERVER, &cres);
    state.sessions.update(&session.id, |s| {
        if let Some(a) = &mut s.authentication {
            a.cres_received = true;
        }
    });
    let message = Relay::ChallengeNotification {
        version: RELAY_VERSION,
        session_id: session.id.to_string(),
        three_ds_server_trans_id: cres.three_ds_server_trans_id.clone(),
        acs_trans_id: cres.acs_trans_id.clone(),
        trans_status: cres.trans_status.map(|status| status.code().to_owned()),
        three_ds_session_data: form.three_ds_session_data,
    };
    Ok(relay_page(session.sdk_origin.as_deref(), &message))
}
