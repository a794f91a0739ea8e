//! The Stripe emulation over real HTTP on loopback: PaymentIntents and
//! SetupIntents walked through the hosted page, the bank's challenge page and
//! back to `return_url`; keys, client secrets and Stripe's error shapes; "import
//! 3DS results" with each of its rules; and the whole chain from a 3DS session
//! of the session API to an imported PaymentIntent.

use reqwest::StatusCode;
use serde_json::{Value, json};
use threeds_api::session::AuthenticationObject;
use threeds_mock::cards::ONE_TIME_CODE;
use threeds_protocol::codec;
use threeds_protocol::handoff::{AuthenticationResult, StripeThreeDSecure};
use threeds_protocol::{ChallengeIndicator, TransStatus};

mod bank_page;
use bank_page::{Mock, auto_post_form, form_action_with};

const SK: &str = "sk_test_threeds_mock_stripe";
const PK: &str = "pk_test_threeds_mock_stripe";
const SESSION_PK: &str = "pk_test_threeds_mock";
const SESSION_SK: &str = "sk_test_threeds_mock";
const SDK_ORIGIN: &str = "http://127.0.0.1:4455";
const RETURN_URL: &str = "http://127.0.0.1:4455/return?order=42";
const TDS: &str = "payment_method_options[card][three_d_secure]";
const CB: &str = "payment_method_options[card][three_d_secure][network_options][cartes_bancaires]";

async fn start() -> Mock {
    Mock::start(&[]).await
}

/// How the cardholder ends the bank's challenge.
#[derive(Debug, Clone, Copy)]
enum Cardholder {
    /// Enters the one-time code.
    EntersCode,
    /// Chooses Cancel.
    Cancels,
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Raw card data for `pan` (`payment_method_data`), expiring in 2034.
fn card_data(pan: &str) -> [(&'static str, &str); 5] {
    [
        ("payment_method_data[type]", "card"),
        ("payment_method_data[card][number]", pan),
        ("payment_method_data[card][exp_month]", "12"),
        ("payment_method_data[card][exp_year]", "2034"),
        ("payment_method_data[card][cvc]", "123"),
    ]
}

impl Mock {
    /// A form post to the Stripe API with `key`; status and JSON.
    async fn stripe(&self, path: &str, key: &str, form: &[(String, String)]) -> (StatusCode, Value) {
        let response = self.http.post(self.server(&format!("/stripe/v1{path}"))).bearer_auth(key).form(form).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// A GET of the Stripe API with `key`; status and JSON.
    async fn stripe_get(&self, path_and_query: &str, key: &str) -> (StatusCode, Value) {
        let response = self.http.get(self.server(&format!("/stripe/v1{path_and_query}"))).bearer_auth(key).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// Creates a PaymentIntent of 20.00 EUR with `extra` parameters; status and JSON.
    async fn create_payment(&self, extra: &[(&str, &str)]) -> (StatusCode, Value) {
        let mut form = pairs(&[("amount", "2000"), ("currency", "eur")]);
        form.extend(pairs(extra));
        self.stripe("/payment_intents", SK, &form).await
    }

    async fn get(&self, url: &str) -> reqwest::Response {
        self.http.get(url).header("Accept", "text/html,application/xhtml+xml").send().await.unwrap()
    }

    async fn send_form(&self, url: &str, fields: &[(String, String)]) -> reqwest::Response {
        self.http.post(url).form(fields).send().await.unwrap()
    }

    /// Follows `next_action.redirect_to_url.url` as a browser would: the hosted
    /// page, its post, the bank's page and (when it challenges) the challenge
    /// ending as `cardholder` does, the CRes to the notification endpoint and
    /// the 303s; returns the final Location (the merchant's `return_url`) and
    /// whether a challenge was shown.
    async fn authenticate(&self, intent: &Value, cardholder: Cardholder) -> (url::Url, bool) {
        assert_eq!(intent["status"], "requires_action", "{intent}");
        assert_eq!(intent["next_action"]["type"], "redirect_to_url");
        let url = intent["next_action"]["redirect_to_url"]["url"].as_str().unwrap();
        assert!(url.starts_with(&self.server("/stripe/")), "{url}");
        let page = self.get(url).await;
        assert_eq!(page.status(), StatusCode::OK);
        let csp = page.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(csp.contains("frame-ancestors"), "the page may be framed by the SDK origins only: {csp}");
        let (action, fields) = auto_post_form(&page.text().await.unwrap());
        let posted = self.send_form(&action, &fields).await;
        let location = see_other(posted).await;
        if location.starts_with(RETURN_URL.split('?').next().unwrap()) {
            return (url::Url::parse(&location).unwrap(), false);
        }
        // The bank's page: it posts the CReq to the ACS.
        assert!(location.contains("/hosted-challenge"), "{location}");
        let bank = self.get(&location).await;
        assert_eq!(bank.status(), StatusCode::OK);
        let (acs_url, creq_fields) = auto_post_form(&bank.text().await.unwrap());
        let challenge = self.send_form(&acs_url, &creq_fields).await;
        assert_eq!(challenge.status(), StatusCode::OK);
        let challenge_page = challenge.text().await.unwrap();
        let final_page = match cardholder {
            Cardholder::EntersCode => {
                self.send_form(&form_action_with(&challenge_page, "submit"), &pairs(&[("otp", ONE_TIME_CODE)])).await.text().await.unwrap()
            }
            Cardholder::Cancels => self.send_form(&form_action_with(&challenge_page, "cancel"), &[]).await.text().await.unwrap(),
        };
        // The ACS posts the CRes to the 3DS Server's notification endpoint, which
        // sends the cardholder to the emulation's completion page.
        let (notification_url, cres_fields) = auto_post_form(&final_page);
        assert!(cres_fields.iter().any(|(name, _)| name == "cres"));
        let completion = see_other(self.send_form(&notification_url, &cres_fields).await).await;
        assert!(completion.starts_with(&self.server("/stripe/redirect/complete/")), "{completion}");
        let back = see_other(self.get(&completion).await).await;
        // Reloading the completion page settles nothing twice: the same redirect.
        assert_eq!(see_other(self.get(&completion).await).await, back);
        (url::Url::parse(&back).unwrap(), true)
    }
}

async fn see_other(response: reqwest::Response) -> String {
    let status = response.status();
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", response.text().await.unwrap());
    location.expect("a Location")
}

fn query(url: &url::Url) -> Vec<(String, String)> {
    url.query_pairs().into_owned().collect()
}

/// The return to the merchant carries what Stripe appends.
fn assert_returned(url: &url::Url, intent: &Value, object: &str, status: &str) {
    let query = query(url);
    assert_eq!(query[0], ("order".into(), "42".into()), "the merchant's own query stays");
    assert!(query.contains(&(object.into(), intent["id"].as_str().unwrap().into())), "{query:?}");
    assert!(query.contains(&(format!("{object}_client_secret"), intent["client_secret"].as_str().unwrap().into())), "{query:?}");
    assert!(query.contains(&("redirect_status".into(), status.into())), "{query:?}");
}

/// Retrieves a PaymentIntent with the secret key, its latest charge expanded.
async fn payment(mock: &Mock, intent: &Value) -> Value {
    let (status, body) = mock.stripe_get(&format!("/payment_intents/{}?expand[]=latest_charge", intent["id"].as_str().unwrap()), SK).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn three_d_secure(payment: &Value) -> &Value {
    &payment["latest_charge"]["payment_method_details"]["card"]["three_d_secure"]
}

fn is_uuid(value: &Value) -> bool {
    value.as_str().is_some_and(threeds_protocol::handoff::is_uuid)
}

#[tokio::test]
async fn frictionless_authentication_returns_at_once_and_the_charge_reports_it() {
    let mock = start().await;
    // 4242 supports 3DS; `automatic` does not ask for it: the payment succeeds without.
    let (status, plain) = mock.create_payment(&[("payment_method", "pm_card_visa"), ("confirm", "true")]).await;
    assert_eq!((status, plain["status"].as_str()), (StatusCode::OK, Some("succeeded")), "{plain}");
    assert!(three_d_secure(&payment(&mock, &plain).await).is_null());
    assert_eq!(plain["amount_received"], 2000);

    // `any` asks for it: the issuer answers frictionless (Y).
    let (status, intent) = mock
        .create_payment(&[
            ("payment_method", "pm_card_visa"),
            ("payment_method_options[card][request_three_d_secure]", "any"),
            ("confirm", "true"),
            ("return_url", RETURN_URL),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{intent}");
    assert_eq!(intent["next_action"]["redirect_to_url"]["return_url"], RETURN_URL);
    assert_eq!(intent["payment_method_options"]["card"]["request_three_d_secure"], "any");
    let (back, challenged) = mock.authenticate(&intent, Cardholder::EntersCode).await;
    assert!(!challenged);
    assert_returned(&back, &intent, "payment_intent", "succeeded");
    let paid = payment(&mock, &intent).await;
    assert_eq!(paid["status"], "succeeded");
    assert!(paid["next_action"].is_null());
    let tds = three_d_secure(&paid);
    assert_eq!(tds["authentication_flow"], "frictionless", "{tds}");
    assert_eq!(tds["result"], "authenticated");
    assert_eq!((tds["version"].as_str(), tds["electronic_commerce_indicator"].as_str()), (Some("2.2.0"), Some("05")));
    assert_eq!((tds["authenticated"].as_bool(), tds["succeeded"].as_bool()), (Some(true), Some(true)));
    assert!(is_uuid(&tds["transaction_id"]), "{tds}");
    assert_eq!(paid["latest_charge"]["payment_method_details"]["card"]["last4"], "4242");
    assert!(!paid.to_string().contains("4242424242424242"), "the card number never appears");
}

#[tokio::test]
async fn a_challenge_that_succeeds_pays() {
    let mock = start().await;
    let (_, intent) =
        mock.create_payment(&[("payment_method", "pm_card_authenticationRequired"), ("confirm", "true"), ("return_url", RETURN_URL)]).await;
    // The hosted page is not the return: a browser opening it with a wrong secret gets nothing.
    let url = intent["next_action"]["redirect_to_url"]["url"].as_str().unwrap();
    let wrong = url.replace("_secret_", "_secret_x");
    assert_eq!(mock.get(&wrong).await.status(), StatusCode::NOT_FOUND);
    let (back, challenged) = mock.authenticate(&intent, Cardholder::EntersCode).await;
    assert!(challenged);
    assert_returned(&back, &intent, "payment_intent", "succeeded");
    let paid = payment(&mock, &intent).await;
    assert_eq!(paid["status"], "succeeded");
    let tds = three_d_secure(&paid);
    assert_eq!((tds["authentication_flow"].as_str(), tds["result"].as_str()), (Some("challenge"), Some("authenticated")), "{tds}");
    assert!(tds["result_reason"].is_null());
    assert_eq!(paid["latest_charge"]["captured"], true);
    assert_eq!(paid["latest_charge"]["outcome"]["type"], "authorized");
}

#[tokio::test]
async fn a_failed_or_cancelled_challenge_returns_the_intent_to_requires_payment_method() {
    let mock = start().await;
    // A card of the test-card table whose issuer fails the challenge, as raw card data.
    let mut raw = card_data("4055011111111111").to_vec();
    raw.extend([("confirm", "true"), ("return_url", RETURN_URL)]);
    let (_, failing) = mock.create_payment(&raw).await;
    assert!(failing["payment_method"].as_str().is_some_and(|id| id.starts_with("pm_")), "{failing}");
    let (back, challenged) = mock.authenticate(&failing, Cardholder::EntersCode).await;
    assert!(challenged);
    assert_returned(&back, &failing, "payment_intent", "failed");
    let failed = payment(&mock, &failing).await;
    assert_eq!(failed["status"], "requires_payment_method");
    assert_eq!(failed["last_payment_error"]["code"], "payment_intent_authentication_failure");
    assert_eq!(failed["last_payment_error"]["type"], "invalid_request_error");
    assert!(failed["latest_charge"].is_null(), "no charge after a failed authentication");

    // The cardholder cancels on the bank's page.
    let (_, cancelling) =
        mock.create_payment(&[("payment_method", "pm_card_threeDSecure2Required"), ("confirm", "true"), ("return_url", RETURN_URL)]).await;
    let (back, _) = mock.authenticate(&cancelling, Cardholder::Cancels).await;
    assert_returned(&back, &cancelling, "payment_intent", "failed");
    let cancelled = payment(&mock, &cancelling).await;
    assert_eq!(cancelled["status"], "requires_payment_method");
    assert_eq!(cancelled["last_payment_error"]["code"], "payment_intent_authentication_failure");

    // It may be confirmed again with another card: a new authentication.
    let (status, retried) = mock
        .stripe(
            &format!("/payment_intents/{}/confirm", cancelling["id"].as_str().unwrap()),
            SK,
            &pairs(&[("payment_method", "pm_card_threeDSecureRequired"), ("return_url", RETURN_URL)]),
        )
        .await;
    assert_eq!((status, retried["status"].as_str()), (StatusCode::OK, Some("requires_action")), "{retried}");
    assert!(retried["last_payment_error"].is_null());
    let (back, _) = mock.authenticate(&retried, Cardholder::EntersCode).await;
    assert_returned(&back, &retried, "payment_intent", "succeeded");
    assert_eq!(payment(&mock, &retried).await["status"], "succeeded");
}

#[tokio::test]
async fn manual_capture_holds_then_captures_or_releases() {
    let mock = start().await;
    let (_, intent) = mock
        .create_payment(&[
            ("payment_method", "pm_card_authenticationRequired"),
            ("capture_method", "manual"),
            ("confirm", "true"),
            ("return_url", RETURN_URL),
        ])
        .await;
    let (back, _) = mock.authenticate(&intent, Cardholder::EntersCode).await;
    assert_returned(&back, &intent, "payment_intent", "succeeded");
    let held = payment(&mock, &intent).await;
    assert_eq!((held["status"].as_str(), held["amount_capturable"].as_u64()), (Some("requires_capture"), Some(2000)));
    assert_eq!(held["latest_charge"]["captured"], false);
    let id = intent["id"].as_str().unwrap();
    let (status, too_much) = mock.stripe(&format!("/payment_intents/{id}/capture"), SK, &pairs(&[("amount_to_capture", "2001")])).await;
    assert_eq!((status, too_much["error"]["param"].as_str()), (StatusCode::BAD_REQUEST, Some("amount_to_capture")));
    let (status, captured) =
        mock.stripe(&format!("/payment_intents/{id}/capture"), SK, &pairs(&[("amount_to_capture", "1500"), ("expand[]", "latest_charge")])).await;
    assert_eq!(status, StatusCode::OK, "{captured}");
    assert_eq!((captured["status"].as_str(), captured["amount_received"].as_u64()), (Some("succeeded"), Some(1500)));
    assert_eq!((captured["latest_charge"]["captured"].as_bool(), captured["latest_charge"]["amount_captured"].as_u64()), (Some(true), Some(1500)));
    let (status, again) = mock.stripe(&format!("/payment_intents/{id}/capture"), SK, &[]).await;
    assert_eq!((status, again["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("payment_intent_unexpected_state")));
    let (status, cancel) = mock.stripe(&format!("/payment_intents/{id}/cancel"), SK, &[]).await;
    assert_eq!((status, cancel["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("payment_intent_unexpected_state")));

    // Canceled before capture: the authorization is released.
    let (_, held) = mock.create_payment(&[("payment_method", "pm_card_visa"), ("capture_method", "manual"), ("confirm", "true")]).await;
    assert_eq!(held["status"], "requires_capture");
    let id = held["id"].as_str().unwrap();
    let (status, canceled) = mock
        .stripe(
            &format!("/payment_intents/{id}/cancel"),
            SK,
            &pairs(&[("cancellation_reason", "requested_by_customer"), ("expand[]", "latest_charge")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{canceled}");
    assert_eq!((canceled["status"].as_str(), canceled["cancellation_reason"].as_str()), (Some("canceled"), Some("requested_by_customer")));
    assert!(canceled["canceled_at"].is_u64());
    assert_eq!(canceled["latest_charge"]["refunded"], true);
    let (status, confirm) = mock.stripe(&format!("/payment_intents/{id}/confirm"), SK, &[]).await;
    assert_eq!((status, confirm["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("payment_intent_unexpected_state")));
}

#[tokio::test]
async fn the_card_that_authenticates_then_declines() {
    let mock = start().await;
    let (_, intent) = mock
        .create_payment(&[("payment_method", "pm_card_threeDSecureRequiredChargeDeclined"), ("confirm", "true"), ("return_url", RETURN_URL)])
        .await;
    let (back, challenged) = mock.authenticate(&intent, Cardholder::EntersCode).await;
    assert!(challenged);
    assert_returned(&back, &intent, "payment_intent", "failed");
    let declined = payment(&mock, &intent).await;
    assert_eq!(declined["status"], "requires_payment_method");
    let error = &declined["last_payment_error"];
    assert_eq!(
        (error["type"].as_str(), error["code"].as_str(), error["decline_code"].as_str()),
        (Some("card_error"), Some("card_declined"), Some("generic_decline"))
    );
    assert_eq!(error["charge"], declined["latest_charge"]["id"]);
    assert_eq!(declined["latest_charge"]["status"], "failed");
    assert_eq!(three_d_secure(&declined)["result"], "authenticated", "authenticated, then declined by the issuer");

    // A card declined without 3DS: HTTP 402 with the intent attached.
    let (status, body) = mock.create_payment(&[("payment_method", "pm_card_chargeDeclined"), ("confirm", "true")]).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!((body["error"]["type"].as_str(), body["error"]["code"].as_str()), (Some("card_error"), Some("card_declined")));
    assert_eq!(body["error"]["payment_intent"]["status"], "requires_payment_method");
}

#[tokio::test]
async fn a_setup_intent_authenticates_as_a_non_payment() {
    let mock = start().await;
    let (status, intent) = mock
        .stripe(
            "/setup_intents",
            SK,
            &pairs(&[
                ("payment_method", "pm_card_authenticationRequired"),
                ("confirm", "true"),
                ("return_url", RETURN_URL),
                ("usage", "off_session"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{intent}");
    assert_eq!(intent["object"], "setup_intent");
    assert!(intent["id"].as_str().is_some_and(|id| id.starts_with("seti_")));
    let (back, challenged) = mock.authenticate(&intent, Cardholder::EntersCode).await;
    assert!(challenged);
    assert_returned(&back, &intent, "setup_intent", "succeeded");
    let (status, set_up) = mock.stripe_get(&format!("/setup_intents/{}?expand[]=latest_attempt", intent["id"].as_str().unwrap()), SK).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((set_up["status"].as_str(), set_up["latest_attempt"]["status"].as_str()), (Some("succeeded"), Some("succeeded")));
    let tds = &set_up["latest_attempt"]["payment_method_details"]["card"]["three_d_secure"];
    assert_eq!((tds["result"].as_str(), tds["authentication_flow"].as_str()), (Some("authenticated"), Some("challenge")), "{tds}");

    // Without confirm it waits; a cancel ends it.
    let (_, waiting) = mock.stripe("/setup_intents", SK, &pairs(&[("payment_method", "pm_card_visa")])).await;
    assert_eq!(waiting["status"], "requires_confirmation");
    let (_, canceled) = mock.stripe(&format!("/setup_intents/{}/cancel", waiting["id"].as_str().unwrap()), SK, &[]).await;
    assert_eq!(canceled["status"], "canceled");
}

#[tokio::test]
async fn the_publishable_key_reads_a_reduced_intent_with_its_client_secret() {
    let mock = start().await;
    let (_, intent) = mock
        .create_payment(&[
            ("payment_method", "pm_card_authenticationRequired"),
            ("customer", "cus_123"),
            ("metadata[order]", "42"),
            ("confirm", "true"),
            ("return_url", RETURN_URL),
        ])
        .await;
    let id = intent["id"].as_str().unwrap();
    let secret = intent["client_secret"].as_str().unwrap();
    let (status, full) = mock.stripe_get(&format!("/payment_intents/{id}"), SK).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((full["customer"].as_str(), full["metadata"]["order"].as_str()), (Some("cus_123"), Some("42")));
    let (status, reduced) = mock.stripe_get(&format!("/payment_intents/{id}?client_secret={secret}"), PK).await;
    assert_eq!(status, StatusCode::OK, "{reduced}");
    assert_eq!((reduced["status"].as_str(), reduced["next_action"]["type"].as_str()), (Some("requires_action"), Some("redirect_to_url")));
    for hidden in ["customer", "metadata", "latest_charge", "payment_method_options"] {
        assert!(reduced.get(hidden).is_none(), "{hidden} in {reduced}");
    }
    // Without the client secret, or with another one.
    let (status, missing) = mock.stripe_get(&format!("/payment_intents/{id}"), PK).await;
    assert_eq!(
        (status, missing["error"]["code"].as_str(), missing["error"]["param"].as_str()),
        (StatusCode::BAD_REQUEST, Some("parameter_missing"), Some("client_secret"))
    );
    let (status, wrong) = mock.stripe_get(&format!("/payment_intents/{id}?client_secret={id}_secret_wrong"), PK).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (wrong["error"]["code"].as_str(), wrong["error"]["param"].as_str()),
        (Some("payment_intent_invalid_parameter"), Some("client_secret"))
    );
    // Stripe.js confirms with the publishable key and the client secret; the answer is reduced.
    let (_, unconfirmed) = mock.create_payment(&[("payment_method", "pm_card_visa"), ("customer", "cus_123")]).await;
    assert_eq!(unconfirmed["status"], "requires_confirmation");
    let confirm_path = format!("/payment_intents/{}/confirm", unconfirmed["id"].as_str().unwrap());
    let (status, body) = mock.stripe(&confirm_path, PK, &[]).await;
    assert_eq!((status, body["error"]["param"].as_str()), (StatusCode::BAD_REQUEST, Some("client_secret")));
    let (status, confirmed) = mock.stripe(&confirm_path, PK, &pairs(&[("client_secret", unconfirmed["client_secret"].as_str().unwrap())])).await;
    assert_eq!((status, confirmed["status"].as_str()), (StatusCode::OK, Some("succeeded")), "{confirmed}");
    assert!(confirmed.get("customer").is_none());
    // The publishable key creates nothing.
    let (status, refused) = mock.stripe("/payment_intents", PK, &pairs(&[("amount", "2000"), ("currency", "eur")])).await;
    assert_eq!((status, refused["error"]["type"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_request_error")));
    // The session API's keys are not the emulation's.
    let (status, _) = mock.stripe_get(&format!("/payment_intents/{id}?client_secret={secret}"), SESSION_PK).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A browser on an SDK origin may read it (CORS).
    let preflight = mock
        .http
        .request(reqwest::Method::OPTIONS, mock.server(&format!("/stripe/v1/payment_intents/{id}")))
        .header("Origin", SDK_ORIGIN)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some(SDK_ORIGIN));
    let foreign = mock
        .http
        .request(reqwest::Method::OPTIONS, mock.server(&format!("/stripe/v1/payment_intents/{id}")))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(foreign.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_authentication_page_escapes_what_it_reflects() {
    let mock = start().await;
    let (_, intent) =
        mock.create_payment(&[("payment_method", "pm_card_authenticationRequired"), ("confirm", "true"), ("return_url", RETURN_URL)]).await;
    let url = format!("{}&size=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", intent["next_action"]["redirect_to_url"]["url"].as_str().unwrap());
    let page = mock
        .http
        .get(&url)
        .header("User-Agent", "\"><img src=x onerror=alert(2)>")
        .header("Accept-Language", "<b>en</b>")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("<script>alert(1)") && !page.contains("<img src=x") && !page.contains("<b>en"), "{page}");
    assert!(page.contains("&quot;&gt;&lt;script&gt;"), "{page}");
    // The bank's page refuses a size that is not a window size.
    let (action, fields) = auto_post_form(&page);
    let location = see_other(mock.send_form(&action, &fields).await).await;
    assert_eq!(mock.get(&location).await.status(), StatusCode::BAD_REQUEST);

    // A window size the page is given reaches the bank's challenge page.
    let (_, intent) =
        mock.create_payment(&[("payment_method", "pm_card_authenticationRequired"), ("confirm", "true"), ("return_url", RETURN_URL)]).await;
    let url = format!("{}&size=02", intent["next_action"]["redirect_to_url"]["url"].as_str().unwrap());
    let (action, fields) = auto_post_form(&mock.get(&url).await.text().await.unwrap());
    let bank = see_other(mock.send_form(&action, &fields).await).await;
    assert!(bank.ends_with("/hosted-challenge?size=02"), "{bank}");
    let (acs_url, creq_fields) = auto_post_form(&mock.get(&bank).await.text().await.unwrap());
    let challenge = mock.send_form(&acs_url, &creq_fields).await.text().await.unwrap();
    assert!(challenge.contains("width:390px;height:400px;"), "{challenge}");
}

#[tokio::test]
async fn errors_have_stripes_shape_and_name_the_parameter() {
    let mock = start().await;
    let error_of = |body: &Value| {
        let e = &body["error"];
        (e["type"].as_str().map(str::to_owned), e["code"].as_str().map(str::to_owned), e["param"].as_str().map(str::to_owned))
    };
    let owned = |t: &str, c: Option<&str>, p: Option<&str>| (Some(t.to_owned()), c.map(str::to_owned), p.map(str::to_owned));
    let (status, body) = mock.stripe("/payment_intents", SK, &pairs(&[("currency", "eur")])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&body), owned("invalid_request_error", Some("parameter_missing"), Some("amount")));
    assert_eq!(body["error"]["message"], "Missing required param: amount.");
    let (_, body) = mock.create_payment(&[("colour", "red")]).await;
    assert_eq!(error_of(&body), owned("invalid_request_error", Some("parameter_unknown"), Some("colour")));
    let (_, body) = mock.stripe("/payment_intents", SK, &pairs(&[("amount", "twenty"), ("currency", "eur")])).await;
    assert_eq!(error_of(&body), owned("invalid_request_error", Some("parameter_invalid_integer"), Some("amount")));
    let (_, body) = mock.create_payment(&[("payment_method_options[card][request_three_d_secure]", "always")]).await;
    assert_eq!(body["error"]["param"], "payment_method_options[card][request_three_d_secure]");
    let (_, body) = mock.create_payment(&[("payment_method", "pm_unknown")]).await;
    assert_eq!(error_of(&body), owned("invalid_request_error", Some("resource_missing"), Some("payment_method")));
    let (_, body) = mock.create_payment(&[("return_url", RETURN_URL)]).await;
    assert_eq!(body["error"]["param"], "return_url", "return_url needs confirm=true");
    let (_, body) = mock.create_payment(&card_data("4242424242424241")).await;
    assert_eq!(error_of(&body), owned("card_error", Some("incorrect_number"), Some("payment_method_data[card][number]")));
    let (status, body) = mock.stripe_get("/payment_intents/pi_nothing", SK).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_of(&body), owned("invalid_request_error", Some("resource_missing"), Some("intent")));
    assert_eq!(body["error"]["message"], "No such payment_intent: 'pi_nothing'");

    // Keys: none, a wrong one (never echoed whole), and basic auth as `curl -u sk_...:` sends it.
    let response = mock.http.post(mock.server("/stripe/v1/payment_intents")).form(&pairs(&[("amount", "1")])).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().starts_with("You did not provide an API key"));
    let (status, body) = mock.stripe("/payment_intents", "sk_test_not_the_right_key_9876", &pairs(&[("amount", "1")])).await;
    assert_eq!((status, body["error"]["type"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_request_error")));
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("sk_test_****9876") && !message.contains("not_the_right"), "{message}");
    let response = mock
        .http
        .post(mock.server("/stripe/v1/payment_intents"))
        .basic_auth(SK, Some(""))
        .form(&pairs(&[("amount", "2000"), ("currency", "usd"), ("payment_method", "pm_card_mastercard"), ("confirm", "true")]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "succeeded");

    // error_on_requires_action: a card that needs authentication fails with 402 instead.
    let (status, body) =
        mock.create_payment(&[("payment_method", "pm_card_authenticationRequired"), ("confirm", "true"), ("error_on_requires_action", "true")]).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(error_of(&body), owned("card_error", Some("authentication_required"), None));
    assert_eq!(body["error"]["payment_intent"]["status"], "requires_payment_method");
    // Without a return_url, Stripe.js handles the action.
    let (_, body) = mock.create_payment(&[("payment_method", "pm_card_authenticationRequired"), ("confirm", "true")]).await;
    assert_eq!(body["next_action"]["type"], "use_stripe_sdk");
    // A card that does not support 3DS is charged without it.
    let (_, body) = mock
        .create_payment(&[
            ("payment_method", "pm_card_amex_threeDSecureNotSupported"),
            ("payment_method_options[card][request_three_d_secure]", "any"),
            ("confirm", "true"),
        ])
        .await;
    assert_eq!(body["status"], "succeeded");
}

/// The import parameters of Stripe's first example, plus `extra`, minus the `-name` ones.
fn import_form(card: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = pairs(&[("amount", "2000"), ("currency", "eur"), ("payment_method_types[]", "card")]);
    form.extend(pairs(&card_data(card)));
    form.extend(pairs(&[("confirm", "true"), ("error_on_requires_action", "true"), ("expand[]", "latest_charge")]));
    for (name, value) in [
        ("version", "2.1.0"),
        ("electronic_commerce_indicator", "05"),
        ("cryptogram", "CJSJbzXT6TRQlvZDX+ZdOG4QriE="),
        ("transaction_id", "aaa65c7b-b0fc-4e71-bd6c-29c87acad489"),
    ] {
        form.push((format!("{TDS}[{name}]"), value.into()));
    }
    for (name, value) in extra {
        if let Some(name) = name.strip_prefix('-') {
            form.retain(|(key, _)| key != name);
        } else {
            form.retain(|(key, _)| key != name);
            form.push(((*name).into(), (*value).into()));
        }
    }
    form
}

fn cartes_bancaires(exemption: &str) -> Vec<(String, String)> {
    let mut form = pairs(&[
        ("payment_method_options[card][network]", "cartes_bancaires"),
        (&format!("{TDS}[version]"), "2.2.0"),
        (&format!("{TDS}[requestor_challenge_indicator]"), "02"),
        (&format!("{TDS}[ares_trans_status]"), "Y"),
        (&format!("{CB}[cb_avalgo]"), "1"),
        (&format!("{CB}[cb_score]"), "9"),
    ]);
    form.push((format!("{CB}[cb_exemption]"), exemption.into()));
    form
}

async fn import(mock: &Mock, card: &str, extra: &[(String, String)]) -> (StatusCode, Value) {
    let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    mock.stripe("/payment_intents", SK, &import_form(card, &extra)).await
}

#[tokio::test]
async fn imported_3ds_results_are_checked_by_stripes_rules() {
    let mock = start().await;
    // The authentication-required card, with a result from elsewhere: no action needed.
    let (status, paid) = import(&mock, "4000002760003184", &[]).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "succeeded");
    let tds = three_d_secure(&paid);
    assert_eq!(
        tds,
        &json!({"authentication_flow": null, "electronic_commerce_indicator": "05", "exemption_indicator": null,
                "exemption_indicator_applied": false, "result": "authenticated", "result_reason": null,
                "transaction_id": "aaa65c7b-b0fc-4e71-bd6c-29c87acad489", "version": "2.1.0", "authenticated": true, "succeeded": true})
    );
    assert!(!paid.to_string().contains("CJSJbzXT6TRQlvZDX"), "the cryptogram is not echoed");

    // Required parameters and formats, each named.
    let rejected = |status: StatusCode, body: &Value, param: &str| {
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["type"], "invalid_request_error");
        assert_eq!(body["error"]["param"], param, "{body}");
    };
    for name in ["version", "cryptogram", "transaction_id"] {
        let key = format!("{TDS}[{name}]");
        let form = import_form("4000002760003184", &[(&format!("-{key}"), "")]);
        let (status, body) = mock.stripe("/payment_intents", SK, &form).await;
        rejected(status, &body, &key);
        assert_eq!(body["error"]["code"], "parameter_missing");
    }
    for (name, value) in [
        ("version", "2.9.9"),
        ("cryptogram", "not base64!"),
        ("transaction_id", "1234"),
        ("electronic_commerce_indicator", "5"),
        ("exemption_indicator", "maybe"),
        ("requestor_challenge_indicator", "100"),
        ("ares_trans_status", "Z"),
    ] {
        let (status, body) = import(&mock, "4000002760003184", &[(format!("{TDS}[{name}]"), value.into())]).await;
        rejected(status, &body, &format!("{TDS}[{name}]"));
    }

    // A low-risk exemption is applied, except on the card that fails the risk analysis.
    let low_risk =
        [(format!("{TDS}[exemption_indicator]"), "low_risk".to_owned()), (format!("{TDS}[electronic_commerce_indicator]"), "07".to_owned())];
    let (_, applied) = import(&mock, "4000002760003184", &low_risk).await;
    let tds = three_d_secure(&applied);
    assert_eq!((tds["exemption_indicator"].as_str(), tds["exemption_indicator_applied"].as_bool()), (Some("low_risk"), Some(true)), "{tds}");
    assert_eq!(tds["result"], "exempted");
    let (_, refused) = import(&mock, "4000000000016123", &low_risk).await;
    assert_eq!(three_d_secure(&refused)["exemption_indicator_applied"], false);

    // Cartes Bancaires: each co-badged card imports; BAAA (low risk) is inferred as the exemption.
    for card in ["4000002500001001", "5555552500001001", "4000000000016123"] {
        let (status, paid) = import(&mock, card, &cartes_bancaires("BAAA")).await;
        assert_eq!(status, StatusCode::OK, "{card}: {paid}");
        let details = &paid["latest_charge"]["payment_method_details"]["card"];
        assert_eq!(details["network"], "cartes_bancaires");
        assert_eq!(details["three_d_secure"]["exemption_indicator"], "low_risk");
        assert_eq!(details["three_d_secure"]["exemption_indicator_applied"], card != "4000000000016123", "{card}");
        assert_eq!(paid["payment_method_options"]["card"]["network"], "cartes_bancaires");
    }
    // cb_avalgo is required.
    let mut no_avalgo = cartes_bancaires("AAAA");
    no_avalgo.retain(|(key, _)| !key.ends_with("[cb_avalgo]"));
    let (status, body) = import(&mock, "4000002500001001", &no_avalgo).await;
    rejected(status, &body, &format!("{CB}[cb_avalgo]"));
    // exemption_indicator=none against a low-risk cb_exemption is rejected; against AAAA it is not.
    let mut mismatch = cartes_bancaires("BAAA");
    mismatch.push((format!("{TDS}[exemption_indicator]"), "none".into()));
    let (status, body) = import(&mock, "4000002500001001", &mismatch).await;
    rejected(status, &body, &format!("{TDS}[exemption_indicator]"));
    let mut agreeing = cartes_bancaires("AAAA");
    agreeing.push((format!("{TDS}[exemption_indicator]"), "none".into()));
    let (status, body) = import(&mock, "4000002500001001", &agreeing).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Cartes Bancaires on a card that is not co-badged, and CB options without the network.
    let (status, body) = import(&mock, "4242424242424242", &cartes_bancaires("AAAA")).await;
    rejected(status, &body, "payment_method_options[card][network]");
    let mut no_network = cartes_bancaires("AAAA");
    no_network.retain(|(key, _)| !key.ends_with("[network]"));
    let (status, body) = import(&mock, "4000002500001001", &no_network).await;
    rejected(status, &body, "payment_method_options[card][network]");
    let (status, body) = import(
        &mock,
        "4000002500001001",
        &[(format!("{CB}[cb_score]"), "100".into())]
            .into_iter()
            .chain(cartes_bancaires("AAAA").into_iter().filter(|(k, _)| !k.ends_with("[cb_score]")))
            .collect::<Vec<_>>(),
    )
    .await;
    rejected(status, &body, &format!("{CB}[cb_score]"));

    // A SetupIntent imports a non-payment result.
    let mut form = pairs(&[("payment_method", "pm_card_authenticationRequired"), ("confirm", "true"), ("expand[]", "latest_attempt")]);
    for (name, value) in [
        ("version", "2.2.0"),
        ("electronic_commerce_indicator", "05"),
        ("cryptogram", "4BQwsg4yuKt0S1LI1nDZTcO9vUM="),
        ("transaction_id", "f879ea1c-aa2c-4441-806d-e30406466d79"),
    ] {
        form.push((format!("{TDS}[{name}]"), value.into()));
    }
    let (status, set_up) = mock.stripe("/setup_intents", SK, &form).await;
    assert_eq!(status, StatusCode::OK, "{set_up}");
    assert_eq!(set_up["status"], "succeeded");
    assert_eq!(
        set_up["latest_attempt"]["payment_method_details"]["card"]["three_d_secure"]["transaction_id"],
        "f879ea1c-aa2c-4441-806d-e30406466d79"
    );
}

// The whole chain: a 3DS session of the session API, the hand-off built by
// threeds_protocol::handoff from its result, imported into a PaymentIntent.

fn device_info() -> Value {
    json!({
        "browser_accept_header": "text/html,application/xhtml+xml",
        "browser_javascript_enabled": true,
        "browser_java_enabled": false,
        "browser_language": "en-GB",
        "browser_color_depth": "24",
        "browser_screen_height": "1080",
        "browser_screen_width": "1920",
        "browser_tz": "-60",
        "browser_user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0",
        "browser_ip": "127.0.0.1"
    })
}

fn authenticate_body() -> Value {
    json!({
        "authentication_category": "payment",
        "authentication_type": "payment-transaction",
        "challenge_preference": "no-preference",
        "merchant_info": { "mid": "9876543210001", "acquirer_bin": "000000999", "name": "Example 3DS Merchant",
                           "category_code": "7922", "country_code": "826", "url": "https://example.com" },
        "purchase_info": { "amount": "2000", "currency": "978", "exponent": "2", "transaction_type": "purchase" },
        "cardholder_info": { "name": "John Doe" }
    })
}

/// A session for `pan` authenticated with the session API's secret key; after a
/// challenge (the code entered), its challenge result.
async fn session_result(mock: &Mock, pan: &str) -> AuthenticationObject {
    let created: Value = mock
        .http
        .post(mock.server("/3ds/sessions"))
        .bearer_auth(SESSION_PK)
        .json(&json!({ "pan": pan, "device": "browser", "device_info": device_info() }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let authentication: Value = mock
        .http
        .post(mock.server(&format!("/3ds/sessions/{id}/authenticate")))
        .bearer_auth(SESSION_SK)
        .json(&authenticate_body())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    if authentication["authentication_status_code"] != "C" {
        return serde_json::from_value(authentication).unwrap();
    }
    let creq = json!({
        "threeDSServerTransID": authentication["three_ds_server_transaction_id"], "acsTransID": authentication["acs_transaction_id"],
        "messageType": "CReq", "messageVersion": authentication["threeds_version"], "challengeWindowSize": "05",
    });
    let page = mock.send_form(authentication["acs_challenge_url"].as_str().unwrap(), &pairs(&[("creq", &codec::encode_json(&creq))])).await;
    let page = page.text().await.unwrap();
    let final_page = mock.send_form(&form_action_with(&page, "submit"), &pairs(&[("otp", ONE_TIME_CODE)])).await.text().await.unwrap();
    let (notification, fields) = auto_post_form(&final_page);
    mock.send_form(&notification, &fields).await;
    let result: Value = mock
        .http
        .get(mock.server(&format!("/3ds/sessions/{id}/challenge-result")))
        .bearer_auth(SESSION_SK)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    serde_json::from_value(result).unwrap()
}

#[tokio::test]
async fn a_3ds_session_result_is_handed_off_and_imported() {
    let mock = start().await;
    for (pan, challenged) in [("5204247750001471", false), ("4000020000000000", true)] {
        let object = session_result(&mock, pan).await;
        assert_eq!(object.authentication_status_code, TransStatus::Authenticated, "{pan}");
        assert_eq!(object.directory_status_code == TransStatus::Challenge, challenged, "{pan}");
        let result = AuthenticationResult {
            version: object.threeds_version,
            trans_status: object.authentication_status_code,
            ares_trans_status: Some(object.directory_status_code),
            eci: object.eci.clone(),
            authentication_value: object.authentication_value.clone(),
            ds_trans_id: object.ds_transaction_id.clone(),
            requestor_challenge_indicator: Some(ChallengeIndicator::from_code(&object.challenge_preference_code).unwrap()),
            exemption: None,
            cartes_bancaires: None,
        };
        let handoff = StripeThreeDSecure::from_result(&result).unwrap();
        assert_eq!(Some(&handoff.to_form_pairs()), object.processor.as_ref().map(|p| &p.stripe.form), "the session API hands off the same");
        let mut form = pairs(&[("amount", "2000"), ("currency", "eur")]);
        form.extend(pairs(&card_data(pan)));
        form.extend(pairs(&[("confirm", "true"), ("error_on_requires_action", "true"), ("expand[]", "latest_charge")]));
        form.extend(handoff.to_form_pairs());
        let (status, paid) = mock.stripe("/payment_intents", SK, &form).await;
        assert_eq!(status, StatusCode::OK, "{pan}: {paid}");
        assert_eq!(paid["status"], "succeeded");
        let tds = three_d_secure(&paid);
        assert_eq!(tds["transaction_id"], object.ds_transaction_id.as_str());
        assert_eq!(tds["version"], object.threeds_version.to_string());
        assert_eq!(tds["electronic_commerce_indicator"], object.eci.as_deref().unwrap());
        assert_eq!(tds["result"], "authenticated");
    }
}
