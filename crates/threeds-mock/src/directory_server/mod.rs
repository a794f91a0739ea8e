//! The Directory Server: `POST /ds/areq` takes an EMV AReq (JSON), checks it
//! against the browser channel's rules and the card's range, gives it a dsTransID
//! and routes it to the ACS; the ACS's ARes, or the DS's own Erro, comes back.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;
use threeds_protocol::messages::{AReq, ARes};
use threeds_protocol::{CardNumber, DeviceChannel, Erro, ErrorCode, ErrorComponent, Message, MessageVersion, ProtocolError};
use uuid::Uuid;

use crate::State;
use crate::acs::{self, issuer::Decision};
use crate::support::cards::{self, Scenario};
use crate::support::error::ApiError;
use crate::three_ds_server::keys::{SecretKey, ToSendAReq};

/// The DS's EMVCo reference number in every message of the mock.
pub const DS_REFERENCE_NUMBER: &str = "threeds-mock-ds";

/// The Directory Server's routes (on the 3DS Server's origin).
pub fn router() -> Router<State> {
    Router::new().route("/ds/areq", post(areq))
}

/// Why an AReq got no ARes.
#[derive(Debug)]
pub enum RouteError {
    /// The Directory Server's Erro.
    Erro(Box<Erro>),
    /// The ACS holds as many transactions as it may.
    Busy(crate::support::store::StoreError),
}

fn erro(code: ErrorCode, version: MessageVersion, trans_id: Option<String>, detail: &str) -> Box<Erro> {
    Box::new(Erro::new(code, ErrorComponent::DirectoryServer, version, detail).for_transaction(trans_id).about("AReq"))
}

/// Reads an AReq given as JSON and checks what the DS checks: the browser
/// channel's rules, the card number, the version of the card's range, and
/// whether the ACS is reachable. The AReq that passes carries a fresh dsTransID.
pub fn screen(value: Value) -> Result<AReq, Box<Erro>> {
    let trans_id = value.get("threeDSServerTransID").and_then(Value::as_str).map(|id| id.chars().take(36).collect());
    let declared_version = value.get("messageVersion").and_then(Value::as_str).and_then(|v| v.parse().ok());
    let reply_version = declared_version.unwrap_or(MessageVersion::V2_2_0);
    let message = Message::from_value(value)
        .map_err(|error| Box::new(error.to_erro(ErrorComponent::DirectoryServer, reply_version).for_transaction(trans_id.clone()).about("AReq")))?;
    let Message::AReq(areq) = message else {
        return Err(erro(ErrorCode::MessageInvalid, reply_version, trans_id, "this endpoint takes an AReq"));
    };
    screen_areq(*areq)
}

/// The DS's checks on an AReq already read (see [`screen`]): what a 3DS Server in
/// this process hands over without writing and reading the JSON again.
pub fn screen_areq(mut areq: AReq) -> Result<AReq, Box<Erro>> {
    let version = areq.message_version;
    let trans_id = Some(areq.three_ds_server_trans_id.clone());
    match areq.device_channel {
        DeviceChannel::Browser => {
            if let Err(violations) = areq.validate_browser_channel() {
                return Err(erro(violations.erro_code(), version, trans_id, &violations.error_detail()));
            }
        }
        DeviceChannel::RequestorInitiated => {
            screen_requestor_initiated(&areq).map_err(|(code, detail)| erro(code, version, trans_id.clone(), detail))?
        }
        DeviceChannel::App => {
            return Err(erro(
                ErrorCode::MessageInvalid,
                version,
                trans_id,
                "this Directory Server serves the browser channel (02) and 3RI (03) only",
            ));
        }
    }
    let Some(pan) = areq.acct_number.as_ref() else {
        return Err(erro(ErrorCode::RequiredElementMissing, version, trans_id, "acctNumber"));
    };
    let Ok(pan) = CardNumber::parse(pan.expose()) else {
        return Err(erro(ErrorCode::FormatInvalid, version, trans_id, "acctNumber"));
    };
    let range_version = cards::version_for(pan.expose());
    if version > range_version {
        return Err(erro(ErrorCode::VersionNotSupported, version, trans_id, &format!("the card range supports 2.1.0 to {range_version}")));
    }
    if cards::scenario_for(pan.expose()) == Scenario::DirectoryServerError {
        return Err(erro(ErrorCode::ConnectionFailure, version, trans_id, "the Directory Server could not reach the ACS"));
    }
    areq.ds_trans_id = Some(Uuid::new_v4().to_string());
    areq.ds_reference_number = Some(DS_REFERENCE_NUMBER.into());
    Ok(areq)
}

/// The rules of a 3RI AReq (deviceChannel 03) the DS checks: a `threeRIInd` of
/// the version, and none of the browser's fields (there is no browser).
fn screen_requestor_initiated(areq: &AReq) -> Result<(), (ErrorCode, &'static str)> {
    let Some(indicator) = areq.three_ri_ind.as_deref() else {
        return Err((ErrorCode::RequiredElementMissing, "threeRIInd"));
    };
    let highest = if areq.message_version >= MessageVersion::V2_2_0 { 11 } else { 5 };
    if indicator.len() != 2 || !indicator.parse::<u8>().is_ok_and(|n| (1..=highest).contains(&n)) {
        return Err((ErrorCode::FormatInvalid, "threeRIInd"));
    }
    if areq.browser != threeds_protocol::BrowserInfo::default() || areq.three_ds_comp_ind.is_some() {
        return Err((ErrorCode::FormatInvalid, "deviceChannel"));
    }
    Ok(())
}

/// The DS's and issuer's decision on an AReq given as JSON, without keeping
/// anything: [`screen`], then the ACS's answer. `acs_url` is where the CReq goes.
pub fn decide(value: Value, acs_url: &str) -> Result<Decision, Box<Erro>> {
    screen(value).map(|areq| acs::issuer::decide(&areq, acs_url))
}

/// Routes an AReq (JSON, as on the wire) to the ACS, which keeps the transaction
/// when it challenges.
pub fn authenticate(state: &State, value: Value) -> Result<ARes, RouteError> {
    let areq = screen(value).map_err(RouteError::Erro)?;
    acs::authenticate(state, &areq).map_err(RouteError::Busy)
}

/// Routes an AReq the 3DS Server of this process built (typed, so not written and
/// read as JSON again: `POST /ds/areq` is the wire's path) to the ACS.
pub fn authenticate_areq(state: &State, areq: AReq) -> Result<ARes, RouteError> {
    let areq = screen_areq(areq).map_err(RouteError::Erro)?;
    acs::authenticate(state, &areq).map_err(RouteError::Busy)
}

/// `POST /ds/areq`: an EMV AReq (JSON) in, its ARes or an Erro out. Protocol answers,
/// the Erro included, are HTTP 200 as EMV prescribes; a body that is not even JSON
/// is an Erro 101 too.
///
/// A Directory Server answers only the 3DS Servers it has registered: here, a
/// caller with the secret key (`Authorization: Bearer sk_...`); anything else is
/// HTTP 401 or 403 before the body is read. The ACS keeps a transaction for every
/// AReq it challenges, so an endpoint anyone could call would let anyone fill the
/// store that real sessions' challenges need.
async fn areq(Extract(state): Extract<State>, _: SecretKey<ToSendAReq>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => {
            let erro = ProtocolError::Json(error.to_string()).to_erro(ErrorComponent::DirectoryServer, MessageVersion::V2_2_0);
            return Json(erro).into_response();
        }
    };
    match authenticate(&state, value) {
        Ok(ares) => Json(ares).into_response(),
        Err(RouteError::Erro(erro)) => Json(erro).into_response(),
        Err(RouteError::Busy(full)) => ApiError::from(full).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acs::issuer::ChallengeStage;
    use threeds_protocol::TransStatus;
    use threeds_protocol::handoff::is_authentication_value;

    fn areq(pan: &str, version: &str) -> Value {
        let mut value = serde_json::json!({
            "messageType": "AReq", "messageVersion": version,
            "threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
            "deviceChannel": "02", "messageCategory": "01", "threeDSCompInd": "Y",
            "notificationURL": "http://127.0.0.1:1/notify", "acctNumber": pan,
            "browserAcceptHeader": "text/html", "browserJavaEnabled": false, "browserLanguage": "en",
            "browserColorDepth": "24", "browserScreenHeight": "1080", "browserScreenWidth": "1920",
            "browserTZ": "0", "browserUserAgent": "Mozilla/5.0", "browserIP": "127.0.0.1"
        });
        if version != "2.1.0" {
            value["browserJavascriptEnabled"] = true.into();
        }
        if version == "2.3.1" {
            value["acceptLanguage"] = serde_json::json!(["en"]);
        }
        value
    }

    #[test]
    fn frictionless_cards_by_scheme() {
        let visa = decide(areq("4242424242424242", "2.2.0"), "x").unwrap();
        assert_eq!(visa.ares.trans_status, TransStatus::Authenticated);
        assert_eq!(visa.ares.eci.as_deref(), Some("05"));
        assert!(is_authentication_value(visa.ares.authentication_value.as_deref().unwrap()));
        assert_eq!(visa.ares.authentication_value.as_deref().unwrap().len(), 28);
        assert!(visa.transaction.is_none());
        let mastercard = decide(areq("5424180011113336", "2.1.0"), "x").unwrap();
        assert_eq!((mastercard.ares.trans_status, mastercard.ares.eci.as_deref()), (TransStatus::Attempted, Some("01")));
    }

    #[test]
    fn challenge_and_decoupled() {
        let decision = decide(areq("4000020000000000", "2.2.0"), "http://acs/challenge").unwrap();
        assert_eq!(decision.ares.trans_status, TransStatus::Challenge);
        assert_eq!(decision.ares.acs_url.as_deref(), Some("http://acs/challenge"));
        assert_eq!(decision.transaction.unwrap().stage, ChallengeStage::AwaitingCreq);
        let mut value = areq("4000020000000000", "2.2.0");
        value["threeDSRequestorDecReqInd"] = "Y".into();
        let decision = decide(value, "x").unwrap();
        assert_eq!(decision.ares.trans_status, TransStatus::Decoupled);
        assert_eq!(decision.transaction.unwrap().stage, ChallengeStage::Decoupled);
    }

    #[test]
    fn three_ri_areqs_are_screened() {
        let mut value = areq("4242424242424242", "2.2.0");
        let object = value.as_object_mut().unwrap();
        object.retain(|name, _| !name.starts_with("browser") && name != "threeDSCompInd" && name != "notificationURL");
        value["deviceChannel"] = "03".into();
        let missing = decide(value.clone(), "x").unwrap_err();
        assert_eq!((missing.error_code, missing.error_detail.as_str()), (ErrorCode::RequiredElementMissing, "threeRIInd"));
        value["threeRIInd"] = "12".into();
        assert_eq!(decide(value.clone(), "x").unwrap_err().error_detail, "threeRIInd");
        value["threeRIInd"] = "07".into();
        assert_eq!(decide(value.clone(), "x").unwrap().ares.trans_status, TransStatus::Authenticated);
        value["browserUserAgent"] = "Mozilla/5.0".into();
        assert_eq!(decide(value.clone(), "x").unwrap_err().error_detail, "deviceChannel", "3RI has no browser");
        let mut app = areq("4242424242424242", "2.2.0");
        app["deviceChannel"] = "01".into();
        assert_eq!(decide(app, "x").unwrap_err().error_code, ErrorCode::MessageInvalid);
    }

    #[test]
    fn errors_are_the_prescribed_erro() {
        let ds_error = decide(areq("4264281500003339", "2.2.0"), "x").unwrap_err();
        assert_eq!((ds_error.error_code, ds_error.error_component), (ErrorCode::ConnectionFailure, ErrorComponent::DirectoryServer));
        let mut value = areq("4242424242424242", "2.2.0");
        value["messageVersion"] = "2.0.1".into();
        assert_eq!(decide(value, "x").unwrap_err().error_code, ErrorCode::VersionNotSupported);
        let mut value = areq("4242424242424242", "2.2.0");
        value.as_object_mut().unwrap().remove("browserTZ");
        let missing = decide(value, "x").unwrap_err();
        assert_eq!((missing.error_code, missing.error_detail.as_str()), (ErrorCode::RequiredElementMissing, "browserTZ"));
        // Mastercard ranges speak 2.1.0 only.
        assert_eq!(decide(areq("5204247750001471", "2.2.0"), "x").unwrap_err().error_code, ErrorCode::VersionNotSupported);
    }
}
