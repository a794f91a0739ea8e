//! The Checkout.com emulation over real HTTP: card tokens, 3-D Secure payments
//! for the test cards through `_links.redirect.href` and the bank's page to
//! `success_url` / `failure_url` with `cko-session-id`, payments read by ID and
//! by session ID, not-enrolled cards declined or downgraded, and the error shapes.

mod bank_page;

use bank_page::{Ending, Mock, query_value};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PK: &str = "pk_sbox_threeds_mock";
const SK: &str = "sk_sbox_threeds_mock";
const SUCCESS: &str = "https://shop.example/success?order=9";
const FAILURE: &str = "https://shop.example/failure?order=9";

async fn post(mock: &Mock, path: &str, key: &str, body: &Value) -> (StatusCode, Value) {
    let response = mock.http.post(mock.server(&format!("/checkout{path}"))).header("Authorization", key).json(body).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() })
}

async fn get(mock: &Mock, path: &str) -> (StatusCode, Value) {
    let response = mock.http.get(mock.server(&format!("/checkout{path}"))).header("Authorization", format!("Bearer {SK}")).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() })
}

/// `POST /tokens` with the public key, as Frames does.
async fn token(mock: &Mock, number: &str) -> String {
    let (status, token) =
        post(mock, "/tokens", PK, &json!({"type": "card", "number": number, "expiry_month": 6, "expiry_year": 2034, "cvv": "100"})).await;
    assert_eq!(status, StatusCode::CREATED, "{token}");
    assert!(!token.to_string().contains(number), "no card number in a token answer");
    token["token"].as_str().unwrap().to_owned()
}

/// A 3-D Secure payment of 20.00 USD for `number`.
async fn pay(mock: &Mock, number: &str, three_ds: Value) -> (StatusCode, Value) {
    let token = token(mock, number).await;
    let body = json!({
        "source": {"type": "token", "token": token},
        "amount": 2000,
        "currency": "USD",
        "reference": "ORD-9",
        "3ds": three_ds,
        "success_url": SUCCESS,
        "failure_url": FAILURE,
    });
    post(mock, "/payments", SK, &body).await
}

/// The customer's way from `_links.redirect.href` to `success_url` or `failure_url`.
async fn customer_returns(mock: &Mock, payment: &Value, ending: Option<Ending>) -> String {
    let redirect = payment["_links"]["redirect"]["href"].as_str().expect("a redirect link");
    assert!(redirect.starts_with(&mock.server("/checkout/3ds/sid_")), "{redirect}");
    let next = mock.through_redirect_page(redirect).await;
    match ending {
        Some(ending) => {
            let complete = mock.through_bank_page(&next, ending).await;
            mock.see_other(&complete).await
        }
        None => next,
    }
}

fn session_id(redirect: &str) -> String {
    redirect.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_enrolled_card_is_pending_then_authorized_after_the_challenge() {
    let mock = Mock::start(&[]).await;
    let (status, payment) = pay(&mock, "4000020000000000", json!({"enabled": true})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{payment}");
    assert_eq!(payment["status"], "Pending");
    assert_eq!(payment["3ds"], json!({"downgraded": false, "enrolled": "Y"}));
    assert!(payment["id"].as_str().unwrap().starts_with("pay_"));
    let sid = session_id(payment["_links"]["redirect"]["href"].as_str().unwrap());
    let (_, pending) = get(&mock, &format!("/payments/{}", payment["id"].as_str().unwrap())).await;
    assert_eq!((pending["status"].as_str(), pending["approved"].as_bool()), (Some("Pending"), Some(false)));

    let back = customer_returns(&mock, &payment, Some(Ending::Code)).await;
    assert!(back.starts_with("https://shop.example/success?order=9&"), "{back}");
    assert_eq!(query_value(&back, "cko-session-id"), Some(sid.clone()));

    let (status, by_session) = get(&mock, &format!("/payments/{sid}")).await;
    assert_eq!(status, StatusCode::OK, "{by_session}");
    assert_eq!(by_session["id"], payment["id"]);
    assert_eq!((by_session["approved"].as_bool(), by_session["status"].as_str()), (Some(true), Some("Authorized")));
    let three_ds = &by_session["3ds"];
    assert_eq!((three_ds["downgraded"].as_bool(), three_ds["enrolled"].as_str()), (Some(false), Some("Y")));
    assert_eq!((three_ds["signature_valid"].as_str(), three_ds["authentication_response"].as_str()), (Some("Y"), Some("Y")));
    assert_eq!(three_ds["cryptogram"].as_str().map(str::len), Some(28), "a CAVV");
    assert!(three_ds["xid"].as_str().is_some_and(|x| !x.is_empty()));
    assert_eq!(by_session["eci"], "05");
    assert_eq!(by_session["source"]["last4"], "0000");
    assert_eq!(by_session["actions"][0]["type"], "Authorization");
    assert_eq!(
        (by_session["actions"][0]["response_code"].as_str(), by_session["actions"][0]["response_summary"].as_str()),
        (Some("10000"), Some("Approved"))
    );
    let (status, by_id) = get(&mock, &format!("/payments/{}", payment["id"].as_str().unwrap())).await;
    assert_eq!((status, &by_id), (StatusCode::OK, &by_session));
    assert!(by_id["_links"]["redirect"].is_null(), "no redirect once decided");
    let (status, actions) = get(&mock, &format!("/payments/{}/actions", payment["id"].as_str().unwrap())).await;
    assert_eq!((status, actions.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));

    // Back on the redirect link: straight to success_url, nothing changes.
    let back_again = mock.see_other(payment["_links"]["redirect"]["href"].as_str().unwrap()).await;
    assert!(back_again.starts_with(SUCCESS), "{back_again}");
    assert_eq!(get(&mock, &format!("/payments/{sid}")).await.1["actions"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_failed_challenge_declines_the_payment_and_goes_to_failure_url() {
    let mock = Mock::start(&[]).await;
    let (status, payment) = pay(&mock, "5427660064241339", json!({"enabled": true})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let back = customer_returns(&mock, &payment, Some(Ending::Code)).await;
    assert!(back.starts_with("https://shop.example/failure?order=9&"), "{back}");
    let sid = query_value(&back, "cko-session-id").unwrap();
    let (_, read) = get(&mock, &format!("/payments/{sid}")).await;
    assert_eq!((read["approved"].as_bool(), read["status"].as_str()), (Some(false), Some("Declined")));
    assert_eq!(read["3ds"]["authentication_response"], "N");
    assert_eq!(read["eci"], "00", "Mastercard, not authenticated");
    assert_eq!(
        (read["actions"][0]["response_code"].as_str(), read["actions"][0]["response_summary"].as_str()),
        (Some("20151"), Some("Cardholder failed 3DS authentication"))
    );
}

#[tokio::test]
async fn a_cancelled_challenge_declines_the_payment() {
    let mock = Mock::start(&[]).await;
    let (_, payment) = pay(&mock, "4000020000000000", json!({"enabled": true})).await;
    let back = customer_returns(&mock, &payment, Some(Ending::Cancel)).await;
    assert!(back.starts_with(FAILURE), "{back}");
    let (_, read) = get(&mock, &format!("/payments/{}", payment["id"].as_str().unwrap())).await;
    assert_eq!((read["approved"].as_bool(), read["status"].as_str()), (Some(false), Some("Declined")));
    assert_eq!(read["actions"][0]["response_code"], "20151");
}

#[tokio::test]
async fn a_frictionless_card_goes_to_success_url_without_the_bank_page() {
    let mock = Mock::start(&[]).await;
    let (status, payment) = pay(&mock, "5204247750001471", json!({"enabled": true})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "3-D Secure runs on the redirect page: {payment}");
    let back = customer_returns(&mock, &payment, None).await;
    assert!(back.starts_with(SUCCESS), "{back}");
    let (_, read) = get(&mock, &format!("/payments/{}", payment["id"].as_str().unwrap())).await;
    assert_eq!((read["approved"].as_bool(), read["status"].as_str(), read["eci"].as_str()), (Some(true), Some("Authorized"), Some("02")));
    assert_eq!(read["3ds"]["authentication_response"], "Y");
}

#[tokio::test]
async fn an_attempted_authentication_is_authorized() {
    let mock = Mock::start(&[]).await;
    let (_, payment) = pay(&mock, "4005571701111111", json!({"enabled": true})).await;
    let back = customer_returns(&mock, &payment, Some(Ending::Code)).await;
    assert!(back.starts_with(SUCCESS), "{back}");
    let (_, read) = get(&mock, &format!("/payments/{}", payment["id"].as_str().unwrap())).await;
    assert_eq!((read["3ds"]["authentication_response"].as_str(), read["eci"].as_str()), (Some("A"), Some("06")));
}

#[tokio::test]
async fn a_card_not_enrolled_is_declined_by_default() {
    let mock = Mock::start(&[]).await;
    let (status, payment) = pay(&mock, "5405001111111165", json!({"enabled": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    assert_eq!((payment["approved"].as_bool(), payment["status"].as_str()), (Some(false), Some("Declined")));
    assert_eq!(payment["3ds"], json!({"downgraded": false, "enrolled": "N"}));
    assert_eq!((payment["response_code"].as_str(), payment["response_summary"].as_str()), (Some("20150"), Some("Card not 3D Secure (3DS) enabled")));
    assert!(payment["_links"]["redirect"].is_null());
}

#[tokio::test]
async fn a_card_not_enrolled_is_downgraded_with_attempt_n3d() {
    let mock = Mock::start(&[]).await;
    let (status, payment) = pay(&mock, "5405001111111165", json!({"enabled": true, "attempt_n3d": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    assert_eq!((payment["approved"].as_bool(), payment["status"].as_str()), (Some(true), Some("Authorized")));
    assert_eq!(payment["3ds"], json!({"downgraded": true, "enrolled": "N"}));
    assert_eq!(payment["eci"], "00", "no liability shift (Mastercard)");
    assert!(payment["3ds"]["cryptogram"].is_null());
    let (_, read) = get(&mock, &format!("/payments/{}", payment["id"].as_str().unwrap())).await;
    assert_eq!(read["3ds"]["downgraded"], true);
    assert_eq!(read["actions"][0]["response_code"], "10000");
}

#[tokio::test]
async fn without_3ds_a_card_is_authorized_unless_its_issuer_requires_it() {
    let mock = Mock::start(&[]).await;
    let (status, payment) = pay(&mock, "4242424242424242", json!({"enabled": false})).await;
    assert_eq!((status, payment["status"].as_str()), (StatusCode::CREATED, Some("Authorized")));
    assert!(payment["3ds"].is_null());
    let (status, payment) = pay(&mock, "4761369980320253", json!({"enabled": false})).await;
    assert_eq!((status, payment["status"].as_str(), payment["response_code"].as_str()), (StatusCode::CREATED, Some("Declined"), Some("20154")));
}

#[tokio::test]
async fn a_directory_server_failure_is_declined_or_downgraded() {
    let mock = Mock::start(&[]).await;
    let (_, payment) = pay(&mock, "4264281500003339", json!({"enabled": true})).await;
    assert_eq!(
        (payment["status"].as_str(), payment["3ds"]["enrolled"].as_str(), payment["response_code"].as_str()),
        (Some("Declined"), Some("U"), Some("20153"))
    );
    let (_, payment) = pay(&mock, "4264281500003339", json!({"enabled": true, "attempt_n3d": true})).await;
    assert_eq!((payment["status"].as_str(), payment["3ds"]["downgraded"].as_bool()), (Some("Authorized"), Some(true)));
}

#[tokio::test]
async fn tokens_are_used_once() {
    let mock = Mock::start(&[]).await;
    let token = token(&mock, "4242424242424242").await;
    let body = json!({"source": {"type": "token", "token": token}, "amount": 100, "currency": "EUR"});
    let (status, _) = post(&mock, "/payments", SK, &body).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, error) = post(&mock, "/payments", SK, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error_codes"], json!(["token_invalid"]));
}

#[tokio::test]
async fn errors_have_checkout_s_shape_and_name_the_fields() {
    let mock = Mock::start(&[]).await;
    // Keys: the public key makes tokens only, the secret key payments only; others are 401 with no body.
    let card = json!({"type": "card", "number": "4242424242424242", "expiry_month": 6, "expiry_year": 2034});
    assert_eq!(post(&mock, "/tokens", SK, &card).await, (StatusCode::UNAUTHORIZED, Value::Null));
    assert_eq!(post(&mock, "/payments", PK, &json!({})).await, (StatusCode::UNAUTHORIZED, Value::Null));
    assert_eq!(post(&mock, "/payments", "sk_sbox_wrong", &json!({})).await, (StatusCode::UNAUTHORIZED, Value::Null));
    assert_eq!(post(&mock, "/payments", "sk_test_threeds_mock", &json!({})).await.0, StatusCode::UNAUTHORIZED);
    let response = mock.http.get(mock.server("/checkout/payments/pay_nope")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get(&mock, "/payments/pay_nope").await, (StatusCode::NOT_FOUND, Value::Null));
    assert_eq!(get(&mock, "/payments/sid_nope").await, (StatusCode::NOT_FOUND, Value::Null));

    let (status, error) = post(&mock, "/tokens", PK, &json!({"type": "card", "number": "4242424242424241", "expiry_month": 13})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error_type"], "request_invalid");
    assert!(error["request_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(error["error_codes"], json!(["card_number_invalid", "card_expiry_month_invalid", "card_expiry_year_required"]));

    let (status, error) = post(&mock, "/payments", SK, &json!({"3ds": {"enabled": true}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error_codes"], json!(["payment_source_required", "amount_required", "currency_required"]));
    let (_, error) = post(
        &mock,
        "/payments",
        SK,
        &json!({"source": {"type": "token"}, "amount": "20", "currency": "ZZZ", "success_url": "javascript:alert(1)", "3ds": {"attempt_n3d": 1}}),
    )
    .await;
    assert_eq!(
        error["error_codes"],
        json!(["token_required", "amount_invalid", "currency_invalid", "success_url_invalid", "3ds_attempt_n3d_invalid"])
    );
    let response = mock
        .http
        .post(mock.server("/checkout/payments"))
        .header("Authorization", SK)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error_type"], "request_invalid");

    // An unknown 3-D Secure session's page is a 404 page that reflects nothing.
    let response = mock.http.get(mock.server("/checkout/3ds/sid_%3Cscript%3E")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(!response.text().await.unwrap().contains("<script>"));
}
