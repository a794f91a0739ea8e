//! The demo merchant's processor payments over real HTTP: Pay creates the
//! processor's object with its secret key, the cardholder walks the processor's
//! page and the bank's page back to the return URL, the merchant retrieves the
//! object (and charges a chargeable source); its calls are listed for the
//! timeline with the card number masked; Stripe Sources' events reach the
//! merchant's webhook endpoint; its test clock expires a pending source.

mod bank_page;

use std::time::Duration;

use bank_page::{Ending, Mock, query_value};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PK: &str = "pk_test_threeds_mock";
const RETURN_URL: &str = "https://shop.example/checkout";

async fn start() -> Mock {
    Mock::start(&["--demo-merchant"]).await
}

async fn pay(mock: &Mock, processor: &str, pan: &str, extra: Value) -> Value {
    let mut body = json!({ "pan": pan, "amount": "1999", "currency": "978", "return_url": RETURN_URL });
    body.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    let url = mock.server(&format!("/demo-merchant/processors/{processor}/payments"));
    let response = mock.http.post(url).bearer_auth(PK).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let view: Value = response.json().await.unwrap();
    assert!(!view.to_string().contains(pan), "the card number is masked in the merchant's answer: {view}");
    view
}

async fn retrieve(mock: &Mock, processor: &str, id: &str) -> Value {
    let url = mock.server(&format!("/demo-merchant/processors/{processor}/payments/{id}"));
    let response = mock.http.get(url).bearer_auth(PK).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The cardholder's way from the processor's page to the return URL.
async fn walk(mock: &Mock, redirect_url: &str, ending: Ending) -> String {
    let bank_page = mock.through_redirect_page(redirect_url).await;
    let back_to_processor = mock.through_bank_page(&bank_page, ending).await;
    let back = mock.see_other(&back_to_processor).await;
    assert!(back.starts_with(RETURN_URL), "back to the return URL: {back}");
    back
}

fn paths(view: &Value) -> Vec<String> {
    view["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {} {}", c["method"].as_str().unwrap(), c["path"].as_str().unwrap(), c["status"]))
        .collect()
}

#[tokio::test]
async fn a_stripe_payment_intent_is_confirmed_through_the_bank_page_and_retrieved() {
    let mock = start().await;
    let view = pay(&mock, "stripe", "4000002760003184", json!({})).await;
    assert_eq!(view["status"], "requires_action", "{view}");
    let id = view["id"].as_str().unwrap();
    assert!(id.starts_with("pi_"));
    let request = &view["calls"][0]["request"];
    assert_eq!(request["payment_method_options[card][request_three_d_secure]"], "any");
    assert_eq!(request["payment_method_data[card][number]"].as_str().map(|n| n.ends_with("3184")), Some(true), "{request}");
    assert!(!view.to_string().contains("sk_test"), "no secret key in the answer");

    let back = walk(&mock, view["redirect_url"].as_str().unwrap(), Ending::Code).await;
    assert_eq!(query_value(&back, "payment_intent").as_deref(), Some(id));
    assert_eq!(query_value(&back, "redirect_status").as_deref(), Some("succeeded"));
    let view = retrieve(&mock, "stripe", id).await;
    assert_eq!(view["status"], "succeeded", "{view}");
    assert_eq!(view["object"]["latest_charge"]["payment_method_details"]["card"]["three_d_secure"]["result"], "authenticated");
    assert_eq!(paths(&view), ["POST /stripe/v1/payment_intents 200", &format!("GET /stripe/v1/payment_intents/{id}?expand[]=latest_charge 200")]);

    // Authorize only: the intent waits for its capture.
    let view = pay(&mock, "stripe", "4000002760003184", json!({"capture": "manual"})).await;
    walk(&mock, view["redirect_url"].as_str().unwrap(), Ending::Code).await;
    assert_eq!(retrieve(&mock, "stripe", view["id"].as_str().unwrap()).await["status"], "requires_capture");
}

#[tokio::test]
async fn a_cancelled_stripe_challenge_leaves_requires_payment_method() {
    let mock = start().await;
    let view = pay(&mock, "stripe", "4000002760003184", json!({})).await;
    walk(&mock, view["redirect_url"].as_str().unwrap(), Ending::Cancel).await;
    let view = retrieve(&mock, "stripe", view["id"].as_str().unwrap()).await;
    assert_eq!(view["status"], "requires_payment_method");
    assert_eq!(view["object"]["last_payment_error"]["code"], "payment_intent_authentication_failure", "{view}");
}

async fn webhooks_for(mock: &Mock, id: &str, kinds: &[&str]) -> Value {
    for _ in 0..100 {
        let view = retrieve(mock, "stripe-sources", id).await;
        let received: Vec<&str> = view["webhooks"].as_array().unwrap().iter().filter_map(|e| e["type"].as_str()).collect();
        if kinds.iter().all(|k| received.contains(k)) {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the webhook endpoint did not receive {kinds:?}");
}

#[tokio::test]
async fn a_source_becomes_chargeable_is_charged_once_and_its_events_reach_the_merchant() {
    let mock = start().await;
    let view = pay(&mock, "stripe-sources", "4000020000000000", json!({})).await;
    assert_eq!(view["status"], "pending", "{view}");
    let id = view["id"].as_str().unwrap();
    assert_eq!(view["calls"][0]["request"]["type"], "card");
    assert_eq!(view["calls"][1]["request"]["type"], "three_d_secure");
    let back = walk(&mock, view["redirect_url"].as_str().unwrap(), Ending::Code).await;
    assert_eq!(query_value(&back, "source").as_deref(), Some(id));

    let view = retrieve(&mock, "stripe-sources", id).await;
    assert_eq!(view["status"], "chargeable", "{view}");
    assert_eq!(view["charge"]["status"], "succeeded", "{view}");
    // Read again: the source is consumed and not charged twice.
    let view = webhooks_for(&mock, id, &["source.chargeable", "charge.succeeded"]).await;
    assert_eq!(view["status"], "consumed");
    assert_eq!(paths(&view).iter().filter(|p| p.starts_with("POST /stripe-sources/v1/charges")).count(), 1, "{:?}", paths(&view));
}

#[tokio::test]
async fn a_pending_source_expires_on_the_test_clock() {
    let mock = start().await;
    let view = pay(&mock, "stripe-sources", "4000020000000000", json!({})).await;
    let id = view["id"].as_str().unwrap();
    let url = mock.server(&format!("/demo-merchant/processors/stripe-sources/payments/{id}/advance"));
    let response = mock.http.post(&url).bearer_auth(PK).json(&json!({"seconds": 3601})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["status"], "canceled", "{view}");
    assert!(paths(&view).contains(&"POST /stripe-sources/v1/test_helpers/advance 200".to_owned()), "{:?}", paths(&view));
    let view = webhooks_for(&mock, id, &["source.canceled"]).await;
    assert!(view["charge"].is_null(), "a canceled source is not charged");
    let events = mock.server(&format!("/demo-merchant/processors/stripe-sources/payments/{id}/webhooks"));
    let events: Value = mock.http.get(events).bearer_auth(PK).send().await.unwrap().json().await.unwrap();
    assert_eq!(events["webhooks"][0]["type"], "source.canceled", "{events}");
    assert_eq!(events["webhooks"][0]["object"]["status"], "canceled", "{events}");
    let response = mock.http.post(&url).bearer_auth(PK).json(&json!({"seconds": 0})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["field"], "seconds");
}

#[tokio::test]
async fn a_checkout_payment_is_authorized_or_declined_and_read_by_its_session() {
    let mock = start().await;
    let view = pay(&mock, "checkout", "4000020000000000", json!({})).await;
    assert_eq!(view["status"], "Pending", "{view}");
    assert_eq!(view["calls"][0]["request"]["cvv"], "•••");
    let back = walk(&mock, view["redirect_url"].as_str().unwrap(), Ending::Code).await;
    assert_eq!(query_value(&back, "outcome").as_deref(), Some("success"));
    let session = query_value(&back, "cko-session-id").expect("cko-session-id");
    let read = retrieve(&mock, "checkout", &session).await;
    assert_eq!((read["status"].as_str(), read["id"].as_str()), (Some("Authorized"), view["id"].as_str()), "{read}");
    assert_eq!(read["object"]["3ds"]["authentication_response"], "Y", "{read}");
    assert_eq!(read["calls"].as_array().unwrap().len(), 3, "token, payment, retrieve: {:?}", paths(&read));

    let view = pay(&mock, "checkout", "4000020000000000", json!({})).await;
    let back = walk(&mock, view["redirect_url"].as_str().unwrap(), Ending::Cancel).await;
    assert_eq!(query_value(&back, "outcome").as_deref(), Some("failure"));
    let read = retrieve(&mock, "checkout", &query_value(&back, "cko-session-id").unwrap()).await;
    assert_eq!(read["status"], "Declined", "{read}");
}

#[tokio::test]
async fn the_routes_take_the_publishable_key_and_name_bad_fields() {
    let mock = start().await;
    let url = mock.server("/demo-merchant/processors/stripe/payments");
    let body = json!({ "pan": "4242424242424242", "amount": "1999", "currency": "978", "return_url": RETURN_URL });
    assert_eq!(mock.http.post(&url).json(&body).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    for (field, value) in [("pan", json!("42")), ("amount", json!("1.5")), ("currency", json!("999")), ("return_url", json!("javascript:x"))] {
        let mut bad = body.clone();
        bad[field] = value;
        let response = mock.http.post(&url).bearer_auth(PK).json(&bad).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{field}");
        assert_eq!(response.json::<Value>().await.unwrap()["error"]["field"], field);
    }
    let response = mock.http.post(mock.server("/demo-merchant/processors/paypal/payments")).bearer_auth(PK).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = mock.http.get(mock.server("/demo-merchant/processors/stripe/payments/pi_unknown")).bearer_auth(PK).send().await.unwrap();
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["error"]["error"]["code"], "resource_missing", "the processor's own error: {view}");
    // A processor's refusal comes back as its own error.
    let view = pay(&mock, "stripe", "4242424242424241", json!({})).await;
    assert_eq!(view["error"]["error"]["code"], "incorrect_number", "{view}");
    assert!(view["id"].is_null());
}
