//! SCA exemptions, merchant-initiated (3RI) sessions, and non-payment, recurring
//! and installment authentications, over real HTTP on loopback: the session API
//! with the exemption preferences, the bank's challenge page where one is
//! needed, and the authentication object each ends in.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use threeds_mock::cards::ONE_TIME_CODE;
use threeds_protocol::codec;

mod bank_page;
use bank_page::{Mock, auto_post_form, form_action_with};

const PK: &str = "pk_test_threeds_mock";
const SK: &str = "sk_test_threeds_mock";
/// The SDK host page's origin: the notification endpoints send the browser back to its relay page.
const SDK_ORIGIN: &str = "http://127.0.0.1:4455";

/// Visa, 2.2.0, challenged: the cards the exemptions are tried on.
const CHALLENGE_CARD: &str = "4000020000000000";
const CHALLENGE_CARD_NO_METHOD: &str = "4005562231212123";
const CHALLENGE_CARD_JCB: &str = "3566002020360505";
const MANDATED_CARD: &str = "4761369980320253";
const FRICTIONLESS_CARD: &str = "4200000000000002";
const MASTERCARD_FRICTIONLESS: &str = "5204247750001471";

async fn start_with(args: &[&str]) -> Mock {
    Mock::start(&[&["--decoupled-delay-ms", "100", "--demo-merchant"], args].concat()).await
}

async fn start() -> Mock {
    start_with(&[]).await
}

fn device_info() -> Value {
    json!({
        "browser_accept_header": "text/html,application/xhtml+xml",
        "browser_javascript_enabled": true,
        "browser_java_enabled": false,
        "browser_language": "en-GB",
        "browser_accept_language": ["en-GB", "en"],
        "browser_color_depth": "24",
        "browser_screen_height": "1080",
        "browser_screen_width": "1920",
        "browser_tz": "-60",
        "browser_user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0",
        "browser_ip": "127.0.0.1"
    })
}

/// A payment of `amount` minor units of `currency` with `preference`.
fn payment(preference: &str, amount: &str, currency: &str) -> Value {
    json!({
        "authentication_category": "payment",
        "authentication_type": "payment-transaction",
        "challenge_preference": preference,
        "merchant_info": { "mid": "9876543210001", "acquirer_bin": "000000999", "name": "Example 3DS Merchant",
                           "category_code": "7922", "country_code": "826", "url": "https://example.com" },
        "purchase_info": { "amount": amount, "currency": currency, "exponent": "2", "date": "20260109141010",
                           "transaction_type": "purchase" },
        "cardholder_info": { "name": "John Doe", "email": "john@example.com" }
    })
}

impl Mock {
    /// `POST /3ds/sessions` with `key` and `body`, whatever the answer.
    async fn post_session(&self, key: &str, body: &Value) -> (StatusCode, Value) {
        let response = self.http.post(self.server("/3ds/sessions")).bearer_auth(key).json(body).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// A customer (browser) session's ID.
    async fn customer_session(&self, pan: &str) -> String {
        let body = json!({ "pan": pan, "device": "browser", "device_info": device_info() });
        let response = self.http.post(self.server("/3ds/sessions")).bearer_auth(PK).header("Origin", SDK_ORIGIN).json(&body).send().await.unwrap();
        let (status, created): (_, Value) = (response.status(), response.json().await.unwrap());
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created["id"].as_str().unwrap().to_owned()
    }

    /// A merchant (3RI) session's ID.
    async fn merchant_session(&self, pan: &str) -> String {
        let (status, created) = self.post_session(SK, &json!({ "pan": pan, "type": "merchant" })).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["type"], "merchant");
        assert!(created["method_url"].is_null(), "no browser, no 3DS Method: {created}");
        created["id"].as_str().unwrap().to_owned()
    }

    async fn authenticate(&self, session_id: &str, body: &Value) -> (StatusCode, Value) {
        let response =
            self.http.post(self.server(&format!("/3ds/sessions/{session_id}/authenticate"))).bearer_auth(SK).json(body).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// A new customer session for `pan`, authenticated with `body`: the authentication object.
    async fn pay(&self, pan: &str, body: &Value) -> Value {
        let id = self.customer_session(pan).await;
        let (status, authentication) = self.authenticate(&id, body).await;
        assert_eq!(status, StatusCode::OK, "{authentication}");
        authentication
    }

    /// The EMV message `name` the 3DS Server recorded for a session (the demo's timeline).
    async fn message(&self, session_id: &str, name: &str) -> Value {
        let url = self.server(&format!("/demo-merchant/payments/{session_id}/messages"));
        let timeline: Value = self.http.get(url).bearer_auth(PK).send().await.unwrap().json().await.unwrap();
        let messages = timeline["messages"].as_array().unwrap();
        messages.iter().find(|m| m["message"] == name).unwrap_or_else(|| panic!("no {name} in {timeline}"))["body"].clone()
    }

    /// Runs a challenge as the cardholder's browser does: posts the CReq to the
    /// ACS, returns the challenge page.
    async fn open_challenge(&self, authentication: &Value) -> String {
        assert_eq!(authentication["authentication_status_code"], "C", "{authentication}");
        let creq = json!({
            "threeDSServerTransID": authentication["three_ds_server_transaction_id"],
            "acsTransID": authentication["acs_transaction_id"],
            "messageType": "CReq",
            "messageVersion": authentication["threeds_version"],
            "challengeWindowSize": "05",
        });
        let (status, page) = self.submit(authentication["acs_challenge_url"].as_str().unwrap(), &[("creq".into(), codec::encode_json(&creq))]).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page
    }

    /// Enters the one-time code on `page` (ticking "trust this merchant" when
    /// `trust`), follows the CRes auto-post to the notification endpoint (a 303),
    /// and returns the challenge result.
    async fn pass_challenge(&self, authentication: &Value, page: &str, trust: bool) -> Value {
        let mut fields = vec![("otp".to_owned(), ONE_TIME_CODE.to_owned())];
        if trust {
            fields.push(("trust".into(), "yes".into()));
        }
        let (status, final_page) = self.submit(&form_action_with(page, "submit"), &fields).await;
        assert_eq!(status, StatusCode::OK, "{final_page}");
        let (action, fields) = auto_post_form(&final_page);
        let (status, _) = self.submit(&action, &fields).await;
        assert_eq!(status, StatusCode::OK, "the notification page");
        let session_id = authentication["session_id"].as_str().unwrap();
        let response = self.http.get(self.server(&format!("/3ds/sessions/{session_id}/challenge-result"))).bearer_auth(SK).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// Polls the challenge result until it is final.
    async fn final_result(&self, session_id: &str) -> Value {
        for _ in 0..100 {
            let response = self.http.get(self.server(&format!("/3ds/sessions/{session_id}/challenge-result"))).bearer_auth(SK).send().await.unwrap();
            if response.status() == StatusCode::OK {
                return response.json().await.unwrap();
            }
            assert_eq!(response.status(), StatusCode::ACCEPTED);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no result for {session_id}");
    }
}

/// An exemption the issuer granted: I, ECI 07 (Visa), no cryptogram, no liability shift.
fn assert_exempt(authentication: &Value) {
    assert_eq!(authentication["authentication_status_code"], "I", "{authentication}");
    assert_eq!(authentication["authentication_status"], "informational");
    assert_eq!(authentication["eci"], "07");
    assert_eq!(authentication["liability_shifted"], false, "liability stays with the merchant");
    assert!(authentication.get("authentication_value").is_none_or(Value::is_null), "{authentication}");
    assert!(authentication["acs_challenge_url"].is_null());
}

fn assert_field_error(status: StatusCode, body: &Value, field: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_request", "{body}");
    assert_eq!(body["error"]["field"], field, "{body}");
}

#[tokio::test]
async fn low_value_is_exempt_five_times_then_a_challenge_resets_the_count() {
    let mock = start().await;
    let at_limit = mock.pay(CHALLENGE_CARD, &payment("no-challenge", "3000", "978")).await;
    assert_eq!(at_limit["authentication_status_code"], "C", "EUR 30 is not low value: {at_limit}");
    let pounds = mock.pay(CHALLENGE_CARD, &payment("no-challenge", "1000", "826")).await;
    assert_eq!(pounds["authentication_status_code"], "C", "only euros count: {pounds}");
    for use_ in 1..=5 {
        let exempt = mock.pay(CHALLENGE_CARD, &payment("no-challenge", "1000", "978")).await;
        assert_exempt(&exempt);
        assert_eq!((exempt["challenge_preference"].as_str(), exempt["challenge_preference_code"].as_str()), (Some("no-challenge"), Some("02")));
        assert!(exempt.get("processor").is_none_or(Value::is_null), "use {use_}: nothing to import without a cryptogram");
    }
    let sixth = mock.pay(CHALLENGE_CARD, &payment("no-challenge", "1000", "978")).await;
    let page = mock.open_challenge(&sixth).await;
    assert!(!page.contains("id=\"trust\""), "no whitelist prompt without preference 09");
    let result = mock.pass_challenge(&sixth, &page, false).await;
    assert_eq!((result["authentication_status_code"].as_str(), result["liability_shifted"].as_bool()), (Some("Y"), Some(true)), "{result}");
    assert_exempt(&mock.pay(CHALLENGE_CARD, &payment("no-challenge", "1000", "978")).await);
}

#[tokio::test]
async fn low_value_stops_above_100_euros_since_the_last_sca() {
    let mock = start().await;
    for _ in 0..3 {
        assert_exempt(&mock.pay(CHALLENGE_CARD_JCB, &payment("no-challenge", "2900", "978")).await);
    }
    let over = mock.pay(CHALLENGE_CARD_JCB, &payment("no-challenge", "1400", "978")).await;
    assert_eq!(over["authentication_status_code"], "C", "EUR 87 + 14 is above EUR 100: {over}");
    assert_exempt(&mock.pay(CHALLENGE_CARD_JCB, &payment("no-challenge", "1300", "978")).await);
}

#[tokio::test]
async fn tra_follows_the_configured_acquirer_fraud_rate() {
    let default_rate = start().await;
    let tra = payment("no-challenge-risk-analysis-performed", "25000", "978");
    let exempt = default_rate.pay(CHALLENGE_CARD, &tra).await;
    assert_exempt(&exempt);
    assert_eq!(exempt["challenge_preference_code"], "05");
    let above = default_rate.pay(CHALLENGE_CARD, &payment("no-challenge-risk-analysis-performed", "45000", "978")).await;
    assert_eq!(above["authentication_status_code"], "C", "0.05 % covers up to EUR 250: {above}");

    let low_fraud = start_with(&["--acquirer-fraud-rate", "0.01"]).await;
    assert_exempt(&low_fraud.pay(CHALLENGE_CARD, &payment("no-challenge-risk-analysis-performed", "45000", "978")).await);
    let above_500 = low_fraud.pay(CHALLENGE_CARD, &payment("no-challenge-risk-analysis-performed", "50001", "978")).await;
    assert_eq!(above_500["authentication_status_code"], "C", "no TRA above EUR 500");

    let high_fraud = start_with(&["--acquirer-fraud-rate", "0.2"]).await;
    let none = high_fraud.pay(CHALLENGE_CARD, &payment("no-challenge-risk-analysis-performed", "1000", "978")).await;
    assert_eq!(none["authentication_status_code"], "C", "no TRA above 0.13 %");
}

#[tokio::test]
async fn a_trusted_merchant_is_exempt_after_the_whitelist_prompt() {
    let mock = start().await;
    let whitelist = payment("no-challenge-whitelist-exemption", "120000", "978");
    let untrusted = mock.pay(CHALLENGE_CARD_NO_METHOD, &whitelist).await;
    assert_eq!(untrusted["authentication_status_code"], "C", "{untrusted}");
    assert_eq!((untrusted["whitelist_status"].as_str(), untrusted["whitelist_status_source"].as_str()), (Some("merchant-not-trusted"), Some("acs")));

    let session_id = mock.customer_session(CHALLENGE_CARD_NO_METHOD).await;
    let (_, prompt) = mock.authenticate(&session_id, &payment("challenge-requested-whitelist-prompt", "120000", "978")).await;
    assert_eq!(prompt["challenge_preference_code"], "09");
    let areq = mock.message(&session_id, "AReq").await;
    assert_eq!(areq["threeDSRequestorChallengeInd"], "09");
    assert_eq!(areq["threeDSRequestorAuthenticationInd"], "01");
    let page = mock.open_challenge(&prompt).await;
    assert!(page.contains("id=\"trust\""), "the bank offers to trust the merchant: {page}");
    let result = mock.pass_challenge(&prompt, &page, true).await;
    assert_eq!(result["authentication_status_code"], "Y");
    assert_eq!((result["whitelist_status"].as_str(), result["whitelist_status_source"].as_str()), (Some("merchant-trusted"), Some("acs")));
    assert_eq!(mock.message(&session_id, "RReq").await["whiteListStatus"], "Y");

    let session_id = mock.customer_session(CHALLENGE_CARD_NO_METHOD).await;
    let (_, trusted) = mock.authenticate(&session_id, &whitelist).await;
    assert_exempt(&trusted);
    assert_eq!(trusted["whitelist_status"], "merchant-trusted", "{trusted}");
    let areq = mock.message(&session_id, "AReq").await;
    assert_eq!((areq["whiteListStatus"].as_str(), areq["whiteListStatusSource"].as_str()), (Some("Y"), Some("01")));

    let mut other_merchant = whitelist.clone();
    other_merchant["merchant_info"]["mid"] = "1111111111".into();
    assert_eq!(mock.pay(CHALLENGE_CARD_NO_METHOD, &other_merchant).await["authentication_status_code"], "C", "trust is per merchant");
}

#[tokio::test]
async fn a_declined_whitelist_prompt_trusts_nobody() {
    let mock = start().await;
    let prompt = mock.pay(CHALLENGE_CARD, &payment("challenge-requested-whitelist-prompt", "5000", "978")).await;
    let page = mock.open_challenge(&prompt).await;
    let result = mock.pass_challenge(&prompt, &page, false).await;
    assert_eq!((result["authentication_status_code"].as_str(), result["whitelist_status"].as_str()), (Some("Y"), Some("merchant-not-trusted")));
    let again = mock.pay(CHALLENGE_CARD, &payment("no-challenge-whitelist-exemption", "5000", "978")).await;
    assert_eq!(again["authentication_status_code"], "C");
}

#[tokio::test]
async fn the_issuer_may_still_challenge_or_decline() {
    let mock = start().await;
    for preference in ["no-challenge", "no-challenge-risk-analysis-performed"] {
        let mandated = mock.pay(MANDATED_CARD, &payment(preference, "1000", "978")).await;
        assert_eq!(mandated["authentication_status_code"], "C", "{preference}: {mandated}");
        assert_eq!(mandated["acs_challenge_mandated"], "Y");
    }
    let failed = mock.pay("4264281511112228", &payment("no-challenge", "1000", "978")).await;
    assert_eq!(failed["authentication_status_code"], "N");
    // Without an exemption request a frictionless card authenticates, with liability shift.
    let plain = mock.pay(FRICTIONLESS_CARD, &payment("no-preference", "1000", "978")).await;
    assert_eq!((plain["authentication_status_code"].as_str(), plain["liability_shifted"].as_bool()), (Some("Y"), Some(true)));
    assert_exempt(&mock.pay(FRICTIONLESS_CARD, &payment("no-challenge", "1000", "978")).await);
}

#[tokio::test]
async fn exemption_preferences_need_a_2_2_range_and_a_known_name() {
    let mock = start().await;
    let id = mock.customer_session(MASTERCARD_FRICTIONLESS).await;
    let (status, body) = mock.authenticate(&id, &payment("no-challenge-risk-analysis-performed", "1000", "978")).await;
    assert_field_error(status, &body, "challenge_preference");
    assert!(body["error"]["message"].as_str().unwrap().contains("2.1.0"), "{body}");
    let (status, body) = mock.authenticate(&id, &payment("low-value", "1000", "978")).await;
    assert_field_error(status, &body, "challenge_preference");
    // 02 exists in 2.1.0, where there is no I: the card answers as ever.
    let (status, plain) = mock.authenticate(&id, &payment("no-challenge", "1000", "978")).await;
    assert_eq!((status, plain["authentication_status_code"].as_str()), (StatusCode::OK, Some("Y")));
}

#[tokio::test]
async fn merchant_initiated_sessions_never_show_a_challenge() {
    let mock = start().await;
    let recurring = json!({
        "authentication_category": "payment",
        "authentication_type": "recurring-transaction",
        "decoupled_challenge_max_time": 5,
        "merchant_info": { "mid": "9876543210001", "acquirer_bin": "000000999", "name": "Example 3DS Merchant",
                           "category_code": "7922", "country_code": "826" },
        "purchase_info": { "amount": "999", "currency": "978", "exponent": "2", "transaction_type": "purchase",
                           "recurring_expiration": "20271231", "recurring_frequency": "30" },
        "cardholder_info": { "name": "John Doe", "email": "john@example.com" }
    });
    let id = mock.merchant_session(FRICTIONLESS_CARD).await;
    let (status, frictionless) = mock.authenticate(&id, &recurring).await;
    assert_eq!((status, frictionless["authentication_status_code"].as_str()), (StatusCode::OK, Some("Y")), "{frictionless}");
    let areq = mock.message(&id, "AReq").await;
    assert_eq!(
        (areq["deviceChannel"].as_str(), areq["threeRIInd"].as_str(), areq["threeDSRequestorAuthenticationInd"].as_str()),
        (Some("03"), Some("01"), Some("02"))
    );
    assert_eq!((areq["recurringExpiry"].as_str(), areq["recurringFrequency"].as_str()), (Some("20271231"), Some("30")));
    assert!(areq.get("notificationURL").is_none() && areq.get("browserUserAgent").is_none(), "{areq}");

    // A card that would be challenged is confirmed by the issuer, decoupled.
    let id = mock.merchant_session(CHALLENGE_CARD).await;
    let (_, decoupled) = mock.authenticate(&id, &recurring).await;
    assert_eq!(decoupled["authentication_status_code"], "D", "{decoupled}");
    assert!(decoupled["acs_challenge_url"].is_null());
    let result = mock.final_result(&id).await;
    assert_eq!((result["authentication_status_code"].as_str(), result["directory_status_code"].as_str()), (Some("Y"), Some("D")));

    let mut no_decoupled = recurring.clone();
    no_decoupled["request_decoupled_challenge"] = false.into();
    let id = mock.merchant_session(CHALLENGE_CARD).await;
    let (_, refused) = mock.authenticate(&id, &no_decoupled).await;
    assert_eq!(
        (refused["authentication_status_code"].as_str(), refused["authentication_status_reason"].as_str()),
        (Some("N"), Some("decoupled-authentication-required"))
    );

    // 2.1.0 has 3RI for non-payment only.
    let id = mock.merchant_session(MASTERCARD_FRICTIONLESS).await;
    let (_, unsupported) = mock.authenticate(&id, &recurring).await;
    assert_eq!(
        (unsupported["authentication_status_code"].as_str(), unsupported["authentication_status_reason"].as_str()),
        (Some("U"), Some("3ri-not-supported"))
    );
    let id = mock.merchant_session(MASTERCARD_FRICTIONLESS).await;
    let add_card = json!({ "authentication_category": "non-payment", "authentication_type": "add-card", "decoupled_challenge_max_time": 5,
                           "cardholder_info": { "name": "John Doe", "email": "john@example.com" } });
    let (_, added) = mock.authenticate(&id, &add_card).await;
    assert_eq!(added["authentication_status_code"], "Y", "{added}");
    assert_eq!(mock.message(&id, "AReq").await["messageCategory"], "02");
}

#[tokio::test]
async fn merchant_sessions_follow_the_session_type_rules() {
    let mock = start().await;
    let (status, body) = mock.post_session(PK, &json!({ "pan": FRICTIONLESS_CARD, "type": "merchant" })).await;
    assert_field_error(status, &body, "type");
    let id = mock.merchant_session(FRICTIONLESS_CARD).await;
    let mut body = payment("no-preference", "1000", "978");
    body["decoupled_challenge_max_time"] = 5.into();
    let (status, error) = mock.authenticate(&id, &body).await;
    assert_field_error(status, &error, "authentication_type");
    body["authentication_type"] = "mail-order".into();
    let (status, error) = mock.authenticate(&id, &body).await;
    assert_field_error(status, &error, "authentication_type");
    assert!(error["error"]["message"].as_str().unwrap().contains("MOTO"), "{error}");
    body["authentication_type"] = "top-up".into();
    let (status, topped) = mock.authenticate(&id, &body).await;
    assert_eq!((status, topped["authentication_status_code"].as_str()), (StatusCode::OK, Some("Y")), "{topped}");
    assert_eq!(mock.message(&id, "AReq").await["threeRIInd"], "07");
    // A customer session may not use a merchant-only type.
    let id = mock.customer_session(FRICTIONLESS_CARD).await;
    let (status, error) = mock.authenticate(&id, &body).await;
    assert_field_error(status, &error, "authentication_type");
}

#[tokio::test]
async fn non_payment_recurring_and_installment_sessions() {
    let mock = start().await;
    let cardholder = json!({ "name": "John Doe", "email": "john@example.com" });
    for kind in ["add-card", "account-verification"] {
        let id = mock.customer_session(FRICTIONLESS_CARD).await;
        let body = json!({ "authentication_category": "non-payment", "authentication_type": kind, "challenge_preference": "no-challenge",
                           "cardholder_info": cardholder });
        let (status, verified) = mock.authenticate(&id, &body).await;
        assert_eq!((status, verified["authentication_status_code"].as_str()), (StatusCode::OK, Some("Y")), "{kind}: {verified}");
        let areq = mock.message(&id, "AReq").await;
        assert_eq!((areq["messageCategory"].as_str(), areq["threeDSRequestorAuthenticationInd"].as_str()), (Some("02"), Some("04")));
        assert!(areq.get("purchaseAmount").is_none());
    }
    // A challenge card is challenged for an added card too: no exemption without a payment.
    let id = mock.customer_session(CHALLENGE_CARD).await;
    let body = json!({ "authentication_category": "non-payment", "authentication_type": "add-card", "challenge_preference": "no-challenge",
                       "cardholder_info": cardholder });
    let (_, challenged) = mock.authenticate(&id, &body).await;
    assert_eq!(challenged["authentication_status_code"], "C");

    let mut installment = payment("no-preference", "30000", "978");
    installment["authentication_type"] = "installment-transaction".into();
    let id = mock.customer_session(FRICTIONLESS_CARD).await;
    let (status, error) = mock.authenticate(&id, &installment).await;
    assert_field_error(status, &error, "purchase_info.installment_count");
    installment["purchase_info"]["installment_count"] = "3".into();
    let (status, paid) = mock.authenticate(&id, &installment).await;
    assert_eq!((status, paid["authentication_status_code"].as_str()), (StatusCode::OK, Some("Y")), "{paid}");
    let areq = mock.message(&id, "AReq").await;
    assert_eq!((areq["purchaseInstalData"].as_str(), areq["threeDSRequestorAuthenticationInd"].as_str()), (Some("3"), Some("03")));

    let mut recurring = payment("no-preference", "999", "978");
    recurring["authentication_type"] = "recurring-transaction".into();
    recurring["purchase_info"]["recurring_expiration"] = "20271231".into();
    let id = mock.customer_session(CHALLENGE_CARD).await;
    let (status, error) = mock.authenticate(&id, &recurring).await;
    assert_field_error(status, &error, "purchase_info.recurring_frequency");
    recurring["purchase_info"]["recurring_frequency"] = "30".into();
    let (_, first) = mock.authenticate(&id, &recurring).await;
    let page = mock.open_challenge(&first).await;
    let result = mock.pass_challenge(&first, &page, false).await;
    assert_eq!((result["authentication_status_code"].as_str(), result["eci"].as_str()), (Some("Y"), Some("05")), "{result}");
}
