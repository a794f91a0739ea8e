//! The Stripe Sources emulation over real HTTP: card and 3-D Secure sources for
//! the test cards, the customer's way through `redirect[url]` and the bank's page
//! back to `return_url`, charges (once), expiry on the test clock, webhook
//! delivery and retry to a local endpoint, and Stripe's error shapes.

mod bank_page;

use bank_page::{Ending, Hooks, Mock, query_value};
use reqwest::StatusCode;
use serde_json::Value;

const PK: &str = "pk_test_sources_mock";
const SK: &str = "sk_test_sources_mock";
const RETURN_URL: &str = "https://shop.example/return?order=7";

async fn start() -> (Mock, Hooks) {
    let (hooks, url) = Hooks::start(0).await;
    let mock = Mock::start(&["--stripe-sources-webhook-url", &url, "--stripe-sources-webhook-retry-ms", "50"]).await;
    (mock, hooks)
}

impl SourcesApi for Mock {}

/// Stripe's API, as a merchant's server and Stripe.js call it.
trait SourcesApi: AsMock {
    async fn post(&self, path: &str, key: &str, params: &[(&str, &str)]) -> (StatusCode, Value) {
        let mock = self.mock();
        let response = mock.http.post(mock.server(&format!("/stripe-sources/v1{path}"))).bearer_auth(key).form(params).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    async fn get(&self, path: &str, key: &str) -> (StatusCode, Value) {
        let mock = self.mock();
        let response = mock.http.get(mock.server(&format!("/stripe-sources/v1{path}"))).bearer_auth(key).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// A card source for `number` (with the publishable key, as Stripe.js does).
    async fn card_source(&self, number: &str) -> Value {
        let (status, source) = self
            .post(
                "/sources",
                PK,
                &[("type", "card"), ("card[number]", number), ("card[exp_month]", "12"), ("card[exp_year]", "2034"), ("card[cvc]", "123")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{source}");
        source
    }

    /// A 3-D Secure source of 10.99 EUR for a card source.
    async fn three_d_secure_source(&self, card: &Value) -> Value {
        let (status, source) = self
            .post(
                "/sources",
                PK,
                &[
                    ("type", "three_d_secure"),
                    ("amount", "1099"),
                    ("currency", "eur"),
                    ("redirect[return_url]", RETURN_URL),
                    ("three_d_secure[card]", card["id"].as_str().unwrap()),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{source}");
        source
    }

    async fn charge(&self, source: &Value) -> (StatusCode, Value) {
        self.post("/charges", SK, &[("amount", "1099"), ("currency", "eur"), ("source", source["id"].as_str().unwrap())]).await
    }

    /// The source read with the publishable key and its client secret.
    async fn retrieve(&self, source: &Value) -> Value {
        let path = format!("/sources/{}?client_secret={}", source["id"].as_str().unwrap(), source["client_secret"].as_str().unwrap());
        let (status, source) = self.get(&path, PK).await;
        assert_eq!(status, StatusCode::OK, "{source}");
        source
    }
}

trait AsMock {
    fn mock(&self) -> &Mock;
}

impl AsMock for Mock {
    fn mock(&self) -> &Mock {
        self
    }
}

/// The customer's way from `redirect[url]` to `return_url` (through the bank's page when there is a challenge).
async fn customer_returns(mock: &Mock, source: &Value, ending: Option<Ending>) -> String {
    let redirect_url = source["redirect"]["url"].as_str().unwrap();
    assert!(redirect_url.starts_with(&mock.server("/stripe-sources/")), "redirect[url] is on the mock: {redirect_url}");
    let next = mock.through_redirect_page(redirect_url).await;
    let back = match ending {
        Some(ending) => {
            let complete = mock.through_bank_page(&next, ending).await;
            mock.see_other(&complete).await
        }
        None => next,
    };
    assert!(back.starts_with("https://shop.example/return?order=7&"), "back to return_url: {back}");
    assert_eq!(query_value(&back, "source").as_deref(), source["id"].as_str());
    assert_eq!(query_value(&back, "livemode").as_deref(), Some("false"));
    assert_eq!(query_value(&back, "client_secret").as_deref(), source["client_secret"].as_str());
    back
}

#[tokio::test]
async fn a_challenge_makes_the_source_chargeable_and_it_is_charged_once() {
    let (mock, hooks) = start().await;
    let card = mock.card_source("4000020000000000").await;
    assert_eq!((card["type"].as_str(), card["status"].as_str()), (Some("card"), Some("chargeable")));
    assert_eq!(card["card"]["three_d_secure"], "recommended");
    assert_eq!(card["card"]["last4"], "0000");
    assert!(!card.to_string().contains("4000020000000000"), "no card number in a source");

    let source = mock.three_d_secure_source(&card).await;
    assert_eq!(
        (source["type"].as_str(), source["status"].as_str(), source["flow"].as_str()),
        (Some("three_d_secure"), Some("pending"), Some("redirect"))
    );
    assert_eq!((source["amount"].as_u64(), source["currency"].as_str()), (Some(1099), Some("eur")));
    assert_eq!(source["redirect"]["status"], "pending");
    assert_eq!(source["redirect"]["return_url"], RETURN_URL);
    assert_eq!(source["three_d_secure"]["card"], card["id"]);
    assert!(source["client_secret"].as_str().unwrap().starts_with("src_client_secret_"));
    let (status, error) = mock.charge(&source).await;
    assert_eq!((status, error["error"]["param"].as_str()), (StatusCode::BAD_REQUEST, Some("source")), "a pending source is not chargeable: {error}");

    customer_returns(&mock, &source, Some(Ending::Code)).await;
    let source = mock.retrieve(&source).await;
    assert_eq!(source["status"], "chargeable");
    assert_eq!(source["redirect"]["status"], "succeeded");
    assert_eq!(source["three_d_secure"]["authenticated"], true);
    let event = hooks.wait_for("source.chargeable", source["id"].as_str().unwrap()).await;
    assert_eq!(event["object"], "event");
    assert!(event["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(event["data"]["object"]["status"], "chargeable");

    let (status, charge) = mock.charge(&source).await;
    assert_eq!(status, StatusCode::OK, "{charge}");
    assert_eq!((charge["object"].as_str(), charge["status"].as_str(), charge["paid"].as_bool()), (Some("charge"), Some("succeeded"), Some(true)));
    assert_eq!(charge["source"]["id"], source["id"]);
    assert_eq!(charge["payment_method_details"]["card"]["three_d_secure"]["authenticated"], true);
    hooks.wait_for("charge.succeeded", charge["id"].as_str().unwrap()).await;
    let (status, read) = mock.get(&format!("/charges/{}", charge["id"].as_str().unwrap()), SK).await;
    assert_eq!((status, &read["id"]), (StatusCode::OK, &charge["id"]));

    assert_eq!(mock.retrieve(&source).await["status"], "consumed");
    let (status, error) = mock.charge(&source).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!((error["error"]["type"].as_str(), error["error"]["param"].as_str()), (Some("invalid_request_error"), Some("source")));
    assert!(error["error"]["message"].as_str().unwrap().contains("already been used"), "{error}");
    // Following the redirect again changes nothing.
    let again = mock.through_redirect_page(source["redirect"]["url"].as_str().unwrap()).await;
    assert!(again.starts_with("https://shop.example/return"), "{again}");
    assert_eq!(mock.retrieve(&source).await["status"], "consumed");
}

#[tokio::test]
async fn a_failed_challenge_fails_the_source() {
    let (mock, hooks) = start().await;
    let card = mock.card_source("4055011111111111").await;
    let source = mock.three_d_secure_source(&card).await;
    customer_returns(&mock, &source, Some(Ending::Code)).await;
    let read = mock.retrieve(&source).await;
    assert_eq!((read["status"].as_str(), read["redirect"]["status"].as_str()), (Some("failed"), Some("failed")));
    assert_eq!(read["three_d_secure"]["authenticated"], false);
    hooks.wait_for("source.failed", source["id"].as_str().unwrap()).await;
    let (status, error) = mock.charge(&source).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["error"]["message"].as_str().unwrap().contains("not in a chargeable state"), "{error}");
}

#[tokio::test]
async fn a_cancelled_challenge_fails_the_source() {
    let (mock, hooks) = start().await;
    let card = mock.card_source("4761369980320253").await;
    assert_eq!(card["card"]["three_d_secure"], "required");
    let source = mock.three_d_secure_source(&card).await;
    customer_returns(&mock, &source, Some(Ending::Cancel)).await;
    let read = mock.retrieve(&source).await;
    assert_eq!((read["status"].as_str(), read["redirect"]["status"].as_str()), (Some("failed"), Some("failed")));
    hooks.wait_for("source.failed", source["id"].as_str().unwrap()).await;
}

#[tokio::test]
async fn a_frictionless_card_goes_back_without_the_bank_page() {
    let (mock, _hooks) = start().await;
    let card = mock.card_source("4242424242424242").await;
    assert_eq!(card["card"]["three_d_secure"], "optional");
    let source = mock.three_d_secure_source(&card).await;
    assert_eq!(source["status"], "pending");
    customer_returns(&mock, &source, None).await;
    let read = mock.retrieve(&source).await;
    assert_eq!((read["status"].as_str(), read["redirect"]["status"].as_str()), (Some("chargeable"), Some("succeeded")));
    assert_eq!(read["three_d_secure"]["authenticated"], true);
}

#[tokio::test]
async fn a_card_not_enrolled_is_chargeable_at_once_without_authentication() {
    let (mock, hooks) = start().await;
    let card = mock.card_source("4111111111111111").await;
    assert_eq!(card["card"]["three_d_secure"], "optional");
    let source = mock.three_d_secure_source(&card).await;
    assert_eq!((source["status"].as_str(), source["redirect"]["status"].as_str()), (Some("chargeable"), Some("not_required")));
    assert_eq!(source["three_d_secure"]["authenticated"], false);
    hooks.wait_for("source.chargeable", source["id"].as_str().unwrap()).await;
    // The redirect, if followed anyway, goes straight back.
    customer_returns(&mock, &source, None).await;
    let (status, charge) = mock.charge(&source).await;
    assert_eq!((status, charge["status"].as_str()), (StatusCode::OK, Some("succeeded")), "{charge}");
    assert_eq!(charge["payment_method_details"]["card"]["three_d_secure"]["authenticated"], false);
}

#[tokio::test]
async fn a_card_that_does_not_support_3ds_fails_at_once() {
    let (mock, hooks) = start().await;
    let card = mock.card_source("5405001111111165").await;
    assert_eq!(card["card"]["three_d_secure"], "not_supported");
    assert_eq!(card["card"]["brand"], "MasterCard");
    let source = mock.three_d_secure_source(&card).await;
    assert_eq!((source["status"].as_str(), source["redirect"]["status"].as_str()), (Some("failed"), Some("failed")));
    hooks.wait_for("source.failed", source["id"].as_str().unwrap()).await;
    // The card itself may still be charged without 3-D Secure.
    let (status, charge) = mock.post("/charges", SK, &[("amount", "500"), ("currency", "eur"), ("source", card["id"].as_str().unwrap())]).await;
    assert_eq!((status, charge["status"].as_str()), (StatusCode::OK, Some("succeeded")), "{charge}");
    assert_eq!(charge["payment_method_details"]["card"]["three_d_secure"], Value::Null);
}

#[tokio::test]
async fn a_card_that_requires_3ds_is_declined_when_charged_without_it() {
    let (mock, hooks) = start().await;
    let card = mock.card_source("4761369980320253").await;
    let (status, error) = mock.post("/charges", SK, &[("amount", "500"), ("currency", "eur"), ("source", card["id"].as_str().unwrap())]).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{error}");
    assert_eq!((error["error"]["type"].as_str(), error["error"]["code"].as_str()), (Some("card_error"), Some("card_declined")));
    assert_eq!(error["error"]["decline_code"], "authentication_required");
    let charge_id = error["error"]["charge"].as_str().expect("the failed charge").to_owned();
    let event = hooks.wait_for("charge.failed", &charge_id).await;
    assert_eq!(event["data"]["object"]["status"], "failed");
    assert_eq!(event["data"]["object"]["failure_code"], "card_declined");
    assert_eq!(mock.retrieve(&card).await["status"], "chargeable", "a declined charge does not consume the card");
}

#[tokio::test]
async fn sources_expire_on_the_test_clock() {
    let (mock, hooks) = start().await;
    let challenge_card = mock.card_source("4000020000000000").await;
    let pending = mock.three_d_secure_source(&challenge_card).await;
    let enrolled_not = mock.card_source("4111111111111111").await;
    let chargeable = mock.three_d_secure_source(&enrolled_not).await;
    assert_eq!(chargeable["status"], "chargeable");

    // The test clock runs on from real time: a margin of seconds keeps this exact.
    let (status, clock) = mock.post("/test_helpers/advance", SK, &[("seconds", "3590")]).await;
    assert_eq!(status, StatusCode::OK, "{clock}");
    assert_eq!(mock.retrieve(&pending).await["status"], "pending", "not yet an hour");
    mock.post("/test_helpers/advance", SK, &[("seconds", "10")]).await;
    assert_eq!(mock.retrieve(&pending).await["status"], "canceled", "pending sources are canceled after an hour");
    hooks.wait_for("source.canceled", pending["id"].as_str().unwrap()).await;
    assert_eq!(mock.retrieve(&chargeable).await["status"], "chargeable", "chargeable sources live six hours");
    // The customer who comes back late is sent back, the source canceled.
    customer_returns(&mock, &pending, None).await;

    mock.post("/test_helpers/advance", SK, &[("seconds", "18000")]).await;
    let event = hooks.wait_for("source.canceled", chargeable["id"].as_str().unwrap()).await;
    assert_eq!(event["data"]["object"]["status"], "canceled");
    assert_eq!(mock.retrieve(&chargeable).await["status"], "canceled");
    let (status, _) = mock.charge(&chargeable).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(mock.retrieve(&enrolled_not).await["status"], "chargeable", "card sources do not expire");
    let canceled = hooks.events().into_iter().filter(|e| e["type"] == "source.canceled").count();
    assert_eq!(canceled, 2, "one event per source");
    let (status, error) = mock.post("/test_helpers/advance", PK, &[("seconds", "1")]).await;
    assert_eq!((status, error["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("secret_key_required")));
}

#[tokio::test]
async fn webhooks_are_retried_with_backoff_until_the_endpoint_takes_them() {
    let (hooks, url) = Hooks::start(2).await;
    let mock =
        Mock::start(&["--stripe-sources-webhook-url", &url, "--stripe-sources-webhook-retry-ms", "50", "--stripe-sources-webhook-attempts", "4"])
            .await;
    let card = mock.card_source("4111111111111111").await;
    let source = mock.three_d_secure_source(&card).await;
    let event = hooks.wait_for("source.chargeable", source["id"].as_str().unwrap()).await;
    assert_eq!(hooks.posts.load(std::sync::atomic::Ordering::SeqCst), 3, "two failures, then taken");
    let (status, log) = mock.get("/test_helpers/webhook_deliveries", SK).await;
    assert_eq!(status, StatusCode::OK);
    let attempts: Vec<(u64, Option<u64>, bool)> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["event"] == event["id"])
        .map(|a| (a["attempt"].as_u64().unwrap(), a["status"].as_u64(), a["delivered"].as_bool().unwrap()))
        .collect();
    assert_eq!(attempts, vec![(1, Some(500), false), (2, Some(500), false), (3, Some(200), true)]);
}

#[tokio::test]
async fn webhooks_give_up_after_the_last_attempt() {
    let (hooks, url) = Hooks::start(100).await;
    let mock =
        Mock::start(&["--stripe-sources-webhook-url", &url, "--stripe-sources-webhook-retry-ms", "20", "--stripe-sources-webhook-attempts", "3"])
            .await;
    let card = mock.card_source("5405001111111165").await;
    mock.three_d_secure_source(&card).await;
    let mut attempts = Vec::new();
    for _ in 0..100 {
        let (_, log) = mock.get("/test_helpers/webhook_deliveries", SK).await;
        attempts = log["data"].as_array().unwrap().clone();
        if attempts.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(attempts.len(), 3, "{attempts:#?}");
    assert!(attempts.iter().all(|a| a["delivered"] == false && a["type"] == "source.failed"));
    assert_eq!(hooks.posts.load(std::sync::atomic::Ordering::SeqCst), 3, "no fourth attempt");
    assert!(hooks.events().is_empty());
}

#[tokio::test]
async fn errors_have_stripe_s_shape_and_name_the_parameter() {
    let (mock, _hooks) = start().await;
    let url = mock.server("/stripe-sources/v1/sources");
    let response = mock.http.post(&url).form(&[("type", "card")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["type"], "invalid_request_error");
    assert!(error["error"]["message"].as_str().unwrap().contains("did not provide an API key"));
    let (status, error) = mock.post("/sources", "sk_test_wrongwrongwrong1234", &[("type", "card")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("sk_test_") && message.ends_with("1234") && !message.contains("wrongwrong"), "masked: {message}");
    // The session API's keys are not this processor's.
    let (status, _) = mock.post("/sources", "pk_test_threeds_mock", &[("type", "card")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Basic auth with the key as the user works too.
    let response = mock.http.get(mock.server("/stripe-sources/v1/sources/src_nope")).basic_auth(SK, Some("")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let error: Value = response.json().await.unwrap();
    assert_eq!((error["error"]["code"].as_str(), error["error"]["param"].as_str()), (Some("resource_missing"), Some("id")));

    let (status, error) = mock.post("/sources", PK, &[("type", "card"), ("card[number]", "4242424242424242"), ("card[exp_month]", "12")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!((error["error"]["code"].as_str(), error["error"]["param"].as_str()), (Some("parameter_missing"), Some("card[exp_year]")));
    let (status, error) = mock
        .post("/sources", PK, &[("type", "card"), ("card[number]", "4242424242424241"), ("card[exp_month]", "12"), ("card[exp_year]", "2034")])
        .await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!((error["error"]["type"].as_str(), error["error"]["code"].as_str()), (Some("card_error"), Some("incorrect_number")));
    let (status, error) = mock.post("/sources", PK, &[("type", "card"), ("card[numbr]", "4242424242424242")]).await;
    assert_eq!((status, error["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("parameter_unknown")));
    assert_eq!(error["error"]["param"], "card[numbr]");

    let card = mock.card_source("4000020000000000").await;
    let card_id = card["id"].as_str().unwrap();
    let base = [("type", "three_d_secure"), ("currency", "eur"), ("redirect[return_url]", RETURN_URL), ("three_d_secure[card]", card_id)];
    let (status, error) = mock.post("/sources", PK, &base).await;
    assert_eq!((status, error["error"]["param"].as_str()), (StatusCode::BAD_REQUEST, Some("amount")));
    let mut bad_amount = base.to_vec();
    bad_amount.push(("amount", "-5"));
    let (_, error) = mock.post("/sources", PK, &bad_amount).await;
    assert_eq!((error["error"]["code"].as_str(), error["error"]["param"].as_str()), (Some("parameter_invalid_integer"), Some("amount")));
    let (status, error) = mock
        .post(
            "/sources",
            PK,
            &[
                ("type", "three_d_secure"),
                ("amount", "1099"),
                ("currency", "eur"),
                ("redirect[return_url]", RETURN_URL),
                ("three_d_secure[card]", "src_nope"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!((error["error"]["code"].as_str(), error["error"]["param"].as_str()), (Some("resource_missing"), Some("three_d_secure[card]")));
    let (_, error) = mock
        .post(
            "/sources",
            PK,
            &[
                ("type", "three_d_secure"),
                ("amount", "1099"),
                ("currency", "eur"),
                ("redirect[return_url]", "not a url"),
                ("three_d_secure[card]", card_id),
            ],
        )
        .await;
    assert_eq!(error["error"]["param"], "redirect[return_url]");
    let (status, error) = mock
        .post(
            "/sources",
            PK,
            &[
                ("type", "three_d_secure"),
                ("amount", "1099"),
                ("currency", "eur"),
                ("redirect[return_url]", "javascript:alert(1)"),
                ("three_d_secure[card]", card_id),
            ],
        )
        .await;
    assert_eq!((status, error["error"]["param"].as_str()), (StatusCode::BAD_REQUEST, Some("redirect[return_url]")));

    // A publishable key reads a source only with its client secret.
    let source = mock.three_d_secure_source(&card).await;
    let id = source["id"].as_str().unwrap();
    let (status, _) = mock.get(&format!("/sources/{id}?client_secret=src_client_secret_wrong"), PK).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = mock.get(&format!("/sources/{id}"), SK).await;
    assert_eq!(status, StatusCode::OK);
    // Charges need the secret key, and the source's amount.
    let (status, error) = mock.post("/charges", PK, &[("amount", "1099"), ("currency", "eur"), ("source", id)]).await;
    assert_eq!((status, error["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("secret_key_required")));
    let (status, error) = mock.post("/charges", SK, &[("amount", "1"), ("currency", "eur"), ("source", id)]).await;
    assert_eq!((status, error["error"]["param"].as_str()), (StatusCode::BAD_REQUEST, Some("amount")));
    let (status, error) = mock.post("/charges", SK, &[("amount", "1099"), ("currency", "eur"), ("source", "src_nope")]).await;
    assert_eq!((status, error["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("resource_missing")));

    // The redirect page needs the source's client secret; nothing of the query is reflected.
    let response = mock.http.get(format!("{}&x=%22%3E%3Cscript%3E", source["redirect"]["url"].as_str().unwrap())).send().await.unwrap();
    let page = response.text().await.unwrap();
    assert!(!page.contains("<script>alert") && !page.contains("\"><script>"), "{page}");
    let response =
        mock.http.get(mock.server(&format!("/stripe-sources/redirect/authenticate/{id}?client_secret=%22%3E%3Cscript%3E"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(!response.text().await.unwrap().contains("\"><script>"));
}
