//! The 3DS Method page: the hidden method iframe "fingerprints" the browser, then
//! auto-posts the method notification to the 3DS Server's notification URL.

use axum::Form;
use axum::extract::State as Extract;
use axum::extract::rejection::FormRejection;
use axum::response::Html;
use threeds_protocol::messages::{MethodData, MethodNotification};

use super::challenge::is_web_url;
use crate::State;
use crate::support::error::PageError;
use crate::support::extract::MethodDataForm;
use crate::support::html;
use crate::support::transcript::{self, party};

/// `POST /acs/method`.
pub async fn method(Extract(state): Extract<State>, form: Result<Form<MethodDataForm>, FormRejection>) -> Result<Html<String>, PageError> {
    let Form(form) = form.map_err(|_| PageError::bad_request("threeDSMethodData is missing from the form"))?;
    let data = MethodData::decode(&form.three_ds_method_data).map_err(|error| PageError::bad_request(format!("threeDSMethodData: {error}")))?;
    if !is_web_url(&data.three_ds_method_notification_url) {
        return Err(PageError::bad_request("threeDSMethodNotificationURL is not an http(s) URL"));
    }
    transcript::record(&state, &data.three_ds_server_trans_id, "threeDSMethodData", party::BROWSER, party::ACS, data.clone());
    let notification = MethodNotification::new(data.three_ds_server_trans_id).encode();
    Ok(Html(html::auto_post(
        "3-D Secure device check",
        &data.three_ds_method_notification_url,
        &[("threeDSMethodData", &notification)],
        "Checking this device…",
    )))
}
