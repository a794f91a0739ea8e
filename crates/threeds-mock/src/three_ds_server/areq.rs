//! The AReq the 3DS Server sends for a session: the session's card, browser and
//! method outcome, and the merchant's request.

use std::time::SystemTime;

use threeds_protocol::messages::{AReq, Merchant, Purchase, Requestor};
use threeds_protocol::{ChallengeIndicator, MessageCategory, MessageVersion};

use super::session::{Authenticate, Session};
use crate::support::error::ApiError;

/// The 3DS Server's own reference number in every AReq.
pub const SERVER_REFERENCE_NUMBER: &str = "threeds-mock-server";

/// The AReq for `session` and the merchant's `request`; `server_origin` is where
/// the notification and results endpoints live.
pub fn build(server_origin: &str, session: &Session, request: &Authenticate) -> Result<AReq, ApiError> {
    let category = if request.authentication_category == "payment" { MessageCategory::Payment } else { MessageCategory::NonPayment };
    let notification_url = format!("{server_origin}/3ds/sessions/{}/challenge-notification", session.id);
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
    if request.wants_decoupled(session.kind) && session.version >= MessageVersion::V2_2_0 {
        areq = areq.with_decoupled(request.decoupled_challenge_max_time.unwrap_or(10));
    }
    Ok(areq)
}

/// `whiteListStatusSource` 01: the 3DS Server set the whitelist status.
pub const WHITELIST_SOURCE_SERVER: &str = "01";

/// `threeDSRequestorAuthenticationInd` for an authentication type: 01 payment,
/// 02 recurring, 03 instalment, 04 add card, 05 maintain card, 06 cardholder
/// verification (EMV token ID&V); other types send none.
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

/// Now as `purchaseDate` spells it: YYYYMMDDHHMMSS, UTC.
fn purchase_date_now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string().replace(['-', ':', 'T', 'Z'], "")
}
