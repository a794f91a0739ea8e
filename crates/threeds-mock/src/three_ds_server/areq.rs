//! The AReq the 3DS Server sends for a session: the session's card, browser and
//! method outcome, and the merchant's request.

use std::time::SystemTime;

use threeds_protocol::messages::{AReq, Merchant, Purchase, Requestor};
use threeds_protocol::{ChallengeIndicator, MessageCategory, MessageVersion};

use super::session::{Authenticate, Session, SessionType};
use crate::support::error::ApiError;

/// The 3DS Server's own reference number in every AReq.
pub const SERVER_REFERENCE_NUMBER: &str = "threeds-mock-server";

/// The AReq for `session` and the merchant's `request`; `server_origin` is where
/// the results endpoint lives (the Directory Server's side), `api_origin` where the
/// browser's notification endpoint does (as the session's creator named this server).
pub fn build(server_origin: &str, api_origin: &str, session: &Session, request: &Authenticate) -> Result<AReq, ApiError> {
    let category = if request.authentication_category == "payment" { MessageCategory::Payment } else { MessageCategory::NonPayment };
    let notification_url = format!("{api_origin}/3ds/sessions/{}/challenge-notification", session.id);
    let mut areq = AReq {
        three_ds_requestor_challenge_ind: Some(request.challenge_indicator()?),
        three_ds_server_ref_number: Some(SERVER_REFERENCE_NUMBER.into()),
        three_ds_server_url: Some(format!("{server_origin}/ds/rreq")),
        acct_number: Some(session.card.clone()),
        ..AReq::browser(
            session.version,
            session.three_ds_server_trans_id.to_string(),
            category,
            session.method_completion_indicator(),
            notification_url,
            session.browser.clone(),
        )
    }
    .with_requestor(Requestor {
        id: "threeds-mock-requestor".into(),
        name: "threeds-web demo".into(),
        url: "https://threeds-web.example".into(),
    });
    if let Some(merchant) = &request.merchant_info {
        areq = areq.with_merchant(Merchant {
            acquirer_bin: merchant.acquirer_bin.clone(),
            acquirer_merchant_id: merchant.mid.clone(),
            name: merchant.name.clone(),
            mcc: merchant.category_code.clone(),
            country_code: merchant.country_code.clone(),
        });
    }
    if let Some(purchase) = &request.purchase_info {
        areq = areq.with_purchase(Purchase {
            amount: purchase.amount.clone(),
            currency: purchase.currency.clone(),
            exponent: purchase.exponent.clone().unwrap_or_else(|| "2".into()),
            date: purchase.date.clone().unwrap_or_else(purchase_date_now),
        });
    }
    if let Some(purchase) = &request.purchase_info {
        areq.purchase_instal_data = purchase.installment_count.clone().filter(|_| request.authentication_type == "installment-transaction");
        if request.authentication_type == "recurring-transaction" {
            areq.recurring_expiry = purchase.recurring_expiration.clone();
            areq.recurring_frequency = purchase.recurring_frequency.clone();
        }
    }
    areq.three_ds_requestor_authentication_ind = requestor_authentication_ind(&request.authentication_type).map(Into::into);
    // Asking for the whitelist exemption is the requestor's claim that the
    // cardholder trusts the merchant; the ACS checks its own list.
    if areq.three_ds_requestor_challenge_ind == Some(ChallengeIndicator::NoChallengeWhitelistExemption) {
        areq.white_list_status = Some("Y".into());
        areq.white_list_status_source = Some(WHITELIST_SOURCE_SERVER.into());
    }
    if session.kind == SessionType::Merchant {
        areq = requestor_initiated(areq, request, session.version)?;
    }
    if request.wants_decoupled(session.kind) && session.version >= MessageVersion::V2_2_0 {
        areq = areq.with_decoupled(request.decoupled_challenge_max_time.unwrap_or(10));
    }
    Ok(areq)
}

/// `whiteListStatusSource` 01: the 3DS Server set the whitelist status.
pub const WHITELIST_SOURCE_SERVER: &str = "01";

/// `threeDSRequestorAuthenticationInd` for an authentication type: 01 payment,
/// 02 recurring, 03 instalment, 04 add card (also account verification, which
/// EMV gives no code of its own), 05 maintain card, 06 cardholder verification
/// (EMV token ID&V); other types send none.
pub fn requestor_authentication_ind(authentication_type: &str) -> Option<&'static str> {
    Some(match authentication_type {
        "payment-transaction" => "01",
        "recurring-transaction" => "02",
        "installment-transaction" => "03",
        "add-card" | "account-verification" => "04",
        "maintain-card" => "05",
        "cardholder-emv-verification" | "emv-token-cardholder-verification" => "06",
        _ => return None,
    })
}

/// `threeRIInd` for an authentication type, with the version it appeared in:
/// 01-05 in 2.1.0, 06-11 from 2.2.0.
pub fn three_ri_ind(authentication_type: &str) -> Option<(&'static str, MessageVersion)> {
    Some(match authentication_type {
        "recurring-transaction" => ("01", MessageVersion::V2_1_0),
        "installment-transaction" => ("02", MessageVersion::V2_1_0),
        "add-card" => ("03", MessageVersion::V2_1_0),
        "maintain-card" => ("04", MessageVersion::V2_1_0),
        "account-verification" => ("05", MessageVersion::V2_1_0),
        "split-or-delayed-shipment" => ("06", MessageVersion::V2_2_0),
        "top-up" => ("07", MessageVersion::V2_2_0),
        "mail-order" => ("08", MessageVersion::V2_2_0),
        "telephone-order" => ("09", MessageVersion::V2_2_0),
        "whitelist-status-check" => ("10", MessageVersion::V2_2_0),
        "other-payment" | "billing-agreement" => ("11", MessageVersion::V2_2_0),
        _ => return None,
    })
}

/// Turns a browser AReq into a 3DS Requestor Initiated one (deviceChannel 03):
/// no browser, no 3DS Method, no notificationURL (no challenge can be shown),
/// and the `threeRIInd` of the authentication type.
fn requestor_initiated(mut areq: AReq, request: &Authenticate, version: MessageVersion) -> Result<AReq, ApiError> {
    let (indicator, since) = three_ri_ind(&request.authentication_type)
        .ok_or_else(|| ApiError::invalid("authentication_type", format!("{} has no 3RI indicator", request.authentication_type)))?;
    if version < since {
        return Err(ApiError::invalid(
            "authentication_type",
            format!("{} needs EMV 3DS {since} or later in a merchant session; this card's range speaks {version}", request.authentication_type),
        ));
    }
    areq.device_channel = threeds_protocol::DeviceChannel::RequestorInitiated;
    areq.three_ri_ind = Some(indicator.into());
    areq.three_ds_comp_ind = None;
    areq.notification_url = None;
    areq.browser = Default::default();
    Ok(areq)
}

/// Now as `purchaseDate` spells it: YYYYMMDDHHMMSS, UTC.
fn purchase_date_now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string().replace(['-', ':', 'T', 'Z'], "")
}
