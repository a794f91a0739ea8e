//! The mock over real HTTP on loopback: every test card through the session API,
//! the method and challenge pages driven by plain form posts, keys, expiry and bad input.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use threeds_api::RelayFields;
use threeds_mock::cards::{ONE_TIME_CODE, Scenario, TEST_CARDS};
use threeds_protocol::messages::CRes;
use threeds_protocol::{CardScheme, Erro, codec};

mod bank_page;
use bank_page::{Mock, auto_post_form, form_action_with, relay_form};

const PK: &str = "pk_test_threeds_mock";
const SK: &str = "sk_test_threeds_mock";
const SDK_ORIGIN: &str = "http://127.0.0.1:4455";

async fn start_with(args: &[&str]) -> Mock {
    Mock::start(&[&["--decoupled-delay-ms", "200"], args].concat()).await
}

async fn start() -> Mock {
    start_with(&[]).await
}

impl Mock {
    fn acs(&self, path: &str) -> String {
        format!("http://{}{path}", self.bound.acs)
    }

    async fn create_session(&self, pan: &str) -> Value {
        let response = self
            .http
            .post(self.server("/3ds/sessions"))
            .bearer_auth(PK)
            .header("Origin", SDK_ORIGIN)
            .json(&json!({ "pan": pan, "device": "browser", "device_info": device_info() }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "{pan}");
        response.json().await.unwrap()
    }

    /// `POST /3ds/tokens` with `key`; the token object.
    async fn create_token(&self, key: &str, pan: &str) -> Value {
        self.http.post(self.server("/3ds/tokens")).bearer_auth(key).json(&json!({ "pan": pan })).send().await.unwrap().json().await.unwrap()
    }

    /// `POST /3ds/sessions` with the publishable key, whatever the answer.
    async fn post_session(&self, pan: &str) -> reqwest::Response {
        self.http
            .post(self.server("/3ds/sessions"))
            .bearer_auth(PK)
            .json(&json!({ "pan": pan, "device": "browser", "device_info": device_info() }))
            .send()
            .await
            .unwrap()
    }

    async fn authenticate(&self, session_id: &str, body: &Value) -> reqwest::Response {
        self.http.post(self.server(&format!("/3ds/sessions/{session_id}/authenticate"))).bearer_auth(SK).json(body).send().await.unwrap()
    }

    async fn challenge_result(&self, session_id: &str) -> (StatusCode, Value) {
        let response = self.http.get(self.server(&format!("/3ds/sessions/{session_id}/challenge-result"))).bearer_auth(SK).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// Runs the 3DS Method as a browser would: post to the ACS, then follow its
    /// auto-post; returns where the notification endpoint's page sends the frame.
    async fn run_method(&self, created: &Value) -> String {
        let data = threeds_protocol::messages::MethodData {
            three_ds_server_trans_id: created["three_ds_server_transaction_id"].as_str().unwrap().into(),
            three_ds_method_notification_url: created["method_notification_url"].as_str().unwrap().into(),
            extra: Default::default(),
        };
        let (status, page) = self.submit(created["method_url"].as_str().unwrap(), &[("threeDSMethodData".into(), data.encode())]).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let (action, fields) = auto_post_form(&page);
        self.post_for_relay(&action, &fields).await
    }

    /// Posts the ACS's form to a notification endpoint; returns its answer, the
    /// relay page (read by [`relay_fields`]).
    async fn post_for_relay(&self, url: &str, fields: &[(String, String)]) -> String {
        let response = self.http.post(url).form(fields).send().await.unwrap();
        let status = response.status();
        let page = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{page}");
        page
    }

    /// Posts the CReq into the ACS as the SDK's challenge iframe would; returns the page.
    async fn open_challenge(&self, authentication: &Value, window_size: &str) -> String {
        let creq = json!({
            "threeDSServerTransID": authentication["three_ds_server_transaction_id"],
            "acsTransID": authentication["acs_transaction_id"],
            "messageType": "CReq",
            "messageVersion": authentication["threeds_version"],
            "challengeWindowSize": window_size,
        });
        let (status, page) = self
            .submit(
                authentication["acs_challenge_url"].as_str().unwrap(),
                &[("creq".into(), codec::encode_json(&creq)), ("threeDSSessionData".into(), codec::encode(b"checkout-42"))],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page
    }

    /// Follows the ACS's final auto-post of the CRes to the notification endpoint;
    /// returns the CRes and the endpoint's relay page.
    async fn deliver_cres(&self, final_page: &str) -> (CRes, String) {
        let (action, fields) = auto_post_form(final_page);
        let cres_field = &fields.iter().find(|(name, _)| name == "cres").expect("a cres field").1;
        let cres: CRes = codec::decode_json(cres_field, 1 << 16).unwrap();
        assert!(fields.iter().any(|(name, value)| name == "threeDSSessionData" && value == &codec::encode(b"checkout-42")));
        let relay = self.post_for_relay(&action, &fields).await;
        (cres, relay)
    }

    /// Follows the ACS's auto-post of an Erro (in the `cres` field) to the
    /// notification endpoint; returns the Erro and the endpoint's relay page.
    async fn deliver_erro(&self, page: &str) -> (Erro, String) {
        let (action, fields) = auto_post_form(page);
        let cres_field = &fields.iter().find(|(name, _)| name == "cres").unwrap_or_else(|| panic!("a cres field: {page}")).1;
        let erro: Erro = codec::decode_json(cres_field, 1 << 16).expect("an Erro");
        let relay = self.post_for_relay(&action, &fields).await;
        (erro, relay)
    }
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

fn authenticate_body() -> Value {
    json!({
        "authentication_category": "payment",
        "authentication_type": "payment-transaction",
        "challenge_preference": "no-preference",
        "merchant_info": { "mid": "9876543210001", "acquirer_bin": "000000999", "name": "Example 3DS Merchant",
                           "category_code": "7922", "country_code": "826", "url": "https://example.com" },
        "requestor_info": { "amex_requestor_type": "MER", "cb_siret_number": "78467169500087" },
        "purchase_info": { "amount": "80000", "currency": "826", "exponent": "2", "date": "20240109141010",
                           "transaction_type": "purchase" },
        "cardholder_info": { "name": "John Doe", "email": "john@example.com" }
    })
}

fn expected_eci(pan: &str, status: &str) -> &'static str {
    let mastercard = CardScheme::from_pan(pan) == Some(CardScheme::Mastercard);
    match (status, mastercard) {
        ("Y", false) => "05",
        ("Y", true) => "02",
        ("A", false) => "06",
        ("A", true) => "01",
        (_, false) => "07",
        (_, true) => "00",
    }
}

/// The final status each scenario must end in (after a correct challenge where there is one).
fn expected_final(scenario: Scenario) -> Option<(&'static str, Option<&'static str>)> {
    use Scenario::*;
    Some(match scenario {
        FrictionlessSuccess | ChallengeSuccess | ChallengeSuccessNoMethod | MandatedChallenge | OutOfBandChallenge => ("Y", None),
        AttemptedChallenge | Attempted => ("A", None),
        Failed | FailedChallenge | FailedOutOfBandChallenge => ("N", Some("card-authentication-failed")),
        Unavailable | UnavailableChallenge => ("U", Some("timeout-at-acs")),
        Rejected | RejectedChallenge => ("R", Some("suspected-fraud")),
        DirectoryServerError | InternalError | ChallengeErro => return None,
    })
}

#[tokio::test]
async fn every_test_card_ends_as_its_scenario_says() {
    let mock = start().await;
    for card in TEST_CARDS {
        let created = mock.create_session(card.pan).await;
        let session_id = created["id"].as_str().unwrap().to_owned();
        let expected_method = card.scenario != Scenario::ChallengeSuccessNoMethod;
        assert_eq!(created["method_url"].is_string(), expected_method, "{}", card.pan);
        if expected_method {
            let (target, fields) = relay_fields(&mock.run_method(&created).await);
            assert_eq!(target, SDK_ORIGIN);
            assert!(fields.three_ds_method_data.is_some(), "{fields:?}");
        }
        let response = mock.authenticate(&session_id, &authenticate_body()).await;
        match card.scenario {
            Scenario::DirectoryServerError => {
                assert_eq!(response.status(), StatusCode::BAD_GATEWAY, "{}", card.pan);
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["error"]["erro"]["messageType"], "Erro");
                assert_eq!(body["error"]["erro"]["errorComponent"], "D");
                continue;
            }
            Scenario::InternalError => {
                assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR, "{}", card.pan);
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["error"]["code"], "internal_error");
                continue;
            }
            _ => assert_eq!(response.status(), StatusCode::OK, "{}", card.pan),
        }
        let authentication: Value = response.json().await.unwrap();
        let version = authentication["threeds_version"].as_str().unwrap();
        assert_eq!(version, threeds_mock::cards::version_for(card.pan).as_str());
        let session: Value =
            mock.http.get(mock.server(&format!("/3ds/sessions/{session_id}"))).bearer_auth(PK).send().await.unwrap().json().await.unwrap();
        let comp_ind = if expected_method { "Y" } else { "U" };
        assert_eq!(session["method"]["method_completion_indicator"], comp_ind, "{}", card.pan);
        assert!(!session.to_string().contains(card.pan), "the session object never shows the card number");

        let final_result = if card.scenario.challenges() {
            assert_eq!(authentication["authentication_status_code"], "C", "{}", card.pan);
            assert_eq!(authentication["liability_shifted"], false);
            let mandated = if card.scenario == Scenario::MandatedChallenge { "Y" } else { "N" };
            assert_eq!(authentication["acs_challenge_mandated"], mandated, "{}", card.pan);
            let page = mock.open_challenge(&authentication, "02").await;
            if card.scenario == Scenario::ChallengeErro {
                let (erro, relay) = mock.deliver_erro(&page).await;
                assert_eq!((erro.error_code.code(), erro.error_component.code()), ("403", "A"), "{}", card.pan);
                assert_eq!(relay_fields(&relay).1.cres.as_deref(), Some(codec::encode_json(&erro).as_str()));
                let (status, body) = mock.challenge_result(&session_id).await;
                assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_GATEWAY, Some("acs_error")), "{body}");
                assert_eq!(body["error"]["erro"]["errorCode"], "403");
                continue;
            }
            assert!(page.contains("data-window-size=\"02\"") && page.contains("width:390px;height:400px;"), "{page}");
            let final_page = if card.scenario.out_of_band() {
                assert_eq!(authentication["authentication_challenge_type"], "out-of-band");
                assert!(page.contains("setTimeout"), "the banking app approves by itself");
                mock.submit(&form_action_with(&page, "approve"), &[]).await.1
            } else {
                mock.submit(&form_action_with(&page, "submit"), &[("otp".into(), ONE_TIME_CODE.into())]).await.1
            };
            let (cres, relay) = mock.deliver_cres(&final_page).await;
            let (expected_status, _) = expected_final(card.scenario).unwrap();
            let cres_status = if expected_status == "Y" { "Y" } else { "N" };
            assert_eq!(cres.trans_status.map(|s| s.code()), Some(cres_status), "{}", card.pan);
            let (target, fields) = relay_fields(&relay);
            assert_eq!(target, SDK_ORIGIN);
            assert_eq!(fields.cres.as_deref().map(|f| codec::decode_json::<CRes>(f, 1 << 16).unwrap()), Some(cres.clone()));
            let (status, result) = mock.challenge_result(&session_id).await;
            assert_eq!(status, StatusCode::OK, "{result}");
            assert_eq!(result["directory_status_code"], "C");
            result
        } else {
            authentication
        };
        let (status, reason) = expected_final(card.scenario).unwrap();
        assert_eq!(final_result["authentication_status_code"], status, "{} {}", card.pan, card.scenario.name());
        assert_eq!(final_result["authentication_status_reason"].as_str(), reason, "{}", card.pan);
        assert_eq!(final_result["eci"], expected_eci(card.pan, status), "{}", card.pan);
        let shifted = matches!(status, "Y" | "A");
        assert_eq!(final_result["liability_shifted"], shifted, "{}", card.pan);
        if shifted {
            let value = final_result["authentication_value"].as_str().unwrap();
            assert_eq!(value.len(), 28, "{value}");
            assert!(threeds_protocol::handoff::is_authentication_value(value));
            let curl = final_result["processor"]["stripe"]["curl"].as_str().unwrap();
            assert!(curl.contains(&format!("[cryptogram]\"=\"{value}\"")), "{curl}");
        } else {
            assert!(final_result["authentication_value"].is_null());
            assert!(final_result["processor"].is_null());
        }
    }
}

#[tokio::test]
async fn decoupled_result_arrives_by_polling() {
    let mock = start().await;
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap();
    let mut body = authenticate_body();
    body["request_decoupled_challenge"] = true.into();
    body["decoupled_challenge_max_time"] = 10.into();
    let authentication: Value = mock.authenticate(id, &body).await.json().await.unwrap();
    assert_eq!(authentication["authentication_status"], "decoupled_challenge");
    assert_eq!(authentication["authentication_challenge_type"], "decoupled");
    let (status, pending) = mock.challenge_result(id).await;
    assert_eq!((status, pending["status"].as_str()), (StatusCode::ACCEPTED, Some("pending")));
    let mut result = Value::Null;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let (status, body) = mock.challenge_result(id).await;
        if status == StatusCode::OK {
            result = body;
            break;
        }
    }
    assert_eq!(result["authentication_status_code"], "Y", "{result}");
    assert_eq!(result["eci"], "05");
}

#[tokio::test]
async fn wrong_codes_then_failure_and_cancel() {
    let mock = start().await;
    // Two wrong codes leave the page up; the third fails the challenge (N, reason 19).
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap();
    let authentication: Value = mock.authenticate(id, &authenticate_body()).await.json().await.unwrap();
    let mut page = mock.open_challenge(&authentication, "05").await;
    assert!(page.contains("width:100vw;height:100vh;"));
    for left in ["2 attempts", "1 attempt"] {
        page = mock.submit(&form_action_with(&page, "submit"), &[("otp".into(), "000000".into())]).await.1;
        assert!(page.contains("That code is not right") && page.contains(&format!("({left} left)")), "{page}");
    }
    let final_page = mock.submit(&form_action_with(&page, "submit"), &[("otp".into(), "999999".into())]).await.1;
    let (cres, _) = mock.deliver_cres(&final_page).await;
    assert_eq!(cres.trans_status.map(|s| s.code()), Some("N"));
    let (_, result) = mock.challenge_result(id).await;
    assert_eq!(result["authentication_status_code"], "N");
    assert_eq!(result["authentication_status_reason"], "max-challenges-exceeded");
    assert_eq!(result["challenge_attempts"], "03");

    // Cancel ends it as cancelled by the cardholder.
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap();
    let authentication: Value = mock.authenticate(id, &authenticate_body()).await.json().await.unwrap();
    let page = mock.open_challenge(&authentication, "01").await;
    let final_page = mock.submit(&form_action_with(&page, "cancel"), &[]).await.1;
    let (cres, _) = mock.deliver_cres(&final_page).await;
    assert_eq!(cres.trans_status.map(|s| s.code()), Some("N"));
    let (_, result) = mock.challenge_result(id).await;
    assert_eq!(result["authentication_status_code"], "N");
    assert_eq!(result["challenge_cancel_reason"], "cardholder-canceled");
    assert_eq!(result["challenge_cancel_reason_code"], "01");
    // The challenge is over: a second post is refused.
    let (status, _) = mock.submit(&form_action_with(&page, "cancel"), &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // And a second CReq for the same transaction is answered with an Erro 305.
    let creq = json!({"threeDSServerTransID": authentication["three_ds_server_transaction_id"], "acsTransID": authentication["acs_transaction_id"],
                      "messageType": "CReq", "messageVersion": "2.2.0", "challengeWindowSize": "01"});
    let (status, page) = mock.submit(&mock.acs("/acs/challenge"), &[("creq".into(), codec::encode_json(&creq))]).await;
    assert_eq!(status, StatusCode::OK);
    let (erro, _) = mock.deliver_erro(&page).await;
    assert_eq!(erro.error_code.code(), "305");
    let (_, result) = mock.challenge_result(id).await;
    assert_eq!(result["authentication_status_code"], "N", "the RReq's result stands: {result}");
}

#[tokio::test]
async fn keys_are_enforced() {
    let mock = start().await;
    let url = mock.server("/3ds/sessions");
    let body = json!({ "pan": "4000020000000000", "device": "browser", "device_info": device_info() });
    let none = mock.http.post(&url).json(&body).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let wrong = mock.http.post(&url).bearer_auth("sk_test_wrong").json(&body).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let header_key = mock.http.post(&url).header("X-API-Key", PK).json(&body).send().await.unwrap();
    assert_eq!(header_key.status(), StatusCode::CREATED);
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap();
    let publishable =
        mock.http.post(mock.server(&format!("/3ds/sessions/{id}/authenticate"))).bearer_auth(PK).json(&authenticate_body()).send().await.unwrap();
    assert_eq!(publishable.status(), StatusCode::FORBIDDEN);
    let body: Value = publishable.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("secret key"));
    let result = mock.http.get(mock.server(&format!("/3ds/sessions/{id}/challenge-result"))).bearer_auth(PK).send().await.unwrap();
    assert_eq!(result.status(), StatusCode::FORBIDDEN);
}

/// The SDK's requests need no CORS preflight: the publishable key as a `key` query
/// parameter, JSON sent as `text/plain`. A secret key is never taken from a URL.
#[tokio::test]
async fn the_publishable_key_in_the_query_with_a_text_plain_body_works_and_a_secret_key_there_never() {
    let mock = start().await;
    let body = json!({ "pan": "4000020000000000", "device": "browser", "device_info": device_info() }).to_string();
    let post = |key: &str| {
        mock.http
            .post(mock.server("/3ds/sessions"))
            .query(&[("key", key)])
            .header("Content-Type", "text/plain;charset=UTF-8")
            .header("Origin", SDK_ORIGIN)
            .body(body.clone())
            .send()
    };
    let created = post(PK).await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.headers()["access-control-allow-origin"], SDK_ORIGIN, "a simple request gets its CORS answer");
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let status = mock.http.get(mock.server(&format!("/3ds/sessions/{id}"))).query(&[("key", PK)]).send().await.unwrap();
    assert_eq!(status.status(), StatusCode::OK);

    let secret = post(SK).await.unwrap();
    assert_eq!(secret.status(), StatusCode::UNAUTHORIZED);
    let answer: Value = secret.json().await.unwrap();
    assert!(answer["error"]["message"].as_str().unwrap().contains("never accepted in a URL"), "{answer}");
    let secret_read = mock.http.get(mock.server(&format!("/3ds/sessions/{id}/challenge-result"))).query(&[("key", SK)]).send().await.unwrap();
    assert_eq!(secret_read.status(), StatusCode::UNAUTHORIZED, "not even for a read");
    // A header wins over the query; any other body type is still refused, by name.
    let header_wins = mock.http.get(mock.server(&format!("/3ds/sessions/{id}"))).query(&[("key", "pk_wrong")]).bearer_auth(PK).send().await.unwrap();
    assert_eq!(header_wins.status(), StatusCode::OK);
    let form = mock
        .http
        .post(mock.server("/3ds/sessions"))
        .query(&[("key", PK)])
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::BAD_REQUEST);
    let answer: Value = form.json().await.unwrap();
    assert!(answer["error"]["message"].as_str().unwrap().contains("Content-Type must be application/json"), "{answer}");
}

/// The README's forwarding page (for any 3DS Server's challenge notification): its
/// CSP hash is its one script's SHA-256, and the independent test server writes
/// the same script.
#[test]
fn the_readmes_forwarding_script_has_the_hash_it_names() {
    use base64::Engine;
    use sha2::Digest;
    let readme = include_str!("../../../README.md");
    let page = readme.find("<a id=\"next\"").expect("the README's forwarding page");
    let script = &readme[page..];
    let script = &script[script.find("<script>").expect("its script") + "<script>".len()..];
    let script = &script[..script.find("</script>").expect("its end")];
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
    assert!(readme.contains(&format!("script-src 'sha256-{hash}'")), "the README should name 'sha256-{hash}'");
    assert!(include_str!("../../../tests/servers/own-3ds-server.mjs").contains(&format!("<script>{script}</script>")));
}

/// The mock's relay page: one constant script, the only one its own policy lets
/// run (by the hash it names), and every value escaped.
#[test]
fn the_relay_page_runs_one_constant_script() {
    use base64::Engine;
    use sha2::Digest;
    use threeds_mock::support::html::{RELAY_SCRIPT, RELAY_SCRIPT_HASH, relay};
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(RELAY_SCRIPT.as_bytes()));
    assert_eq!(RELAY_SCRIPT_HASH, format!("sha256-{hash}"));
    let page = relay("http://localhost:1", &[("cres", "a\"b<c")]);
    assert!(page.contains(&format!("content=\"default-src 'none'; script-src '{RELAY_SCRIPT_HASH}'; form-action 'none'\"")), "{page}");
    assert_eq!(relay_form(&page), ("http://localhost:1".to_owned(), vec![("cres".to_owned(), "a\"b<c".to_owned())]));
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    assert!(!page.contains("a\"b<c"), "values are escaped: {page}");
}

/// The notification URLs are named on the server's origin as the session's creator
/// addressed it (one of its loopback names, its own port), so the relay pages come
/// from the origin the SDK host frame calls the API at; any other `Host` is ignored.
#[tokio::test]
async fn notification_urls_follow_the_address_the_api_was_called_at() {
    let mock = start().await;
    let port = mock.bound.server.port();
    let create = |host: String| {
        mock.http
            .post(mock.server("/3ds/sessions"))
            .bearer_auth(PK)
            .header("Origin", SDK_ORIGIN)
            .header("Host", host)
            .json(&json!({ "pan": "4000020000000000", "device": "browser", "device_info": device_info() }))
            .send()
    };
    let created: Value = create(format!("localhost:{port}")).await.unwrap().json().await.unwrap();
    let localhost = format!("http://localhost:{port}/3ds/sessions/");
    assert!(created["method_notification_url"].as_str().unwrap().starts_with(&localhost), "{created}");
    // The AReq's notificationURL too: where the ACS posts the final CRes.
    let authentication: Value = mock.authenticate(created["id"].as_str().unwrap(), &authenticate_body()).await.json().await.unwrap();
    let page = mock.open_challenge(&authentication, "02").await;
    let final_page = mock.submit(&form_action_with(&page, "submit"), &[("otp".into(), ONE_TIME_CODE.into())]).await.1;
    let (action, _) = auto_post_form(&final_page);
    assert!(action.starts_with(&localhost) && action.ends_with("/challenge-notification"), "{action}");

    for made_up in [format!("evil.example:{port}"), "localhost:1".to_owned(), format!("localhost.evil.example:{port}")] {
        let created: Value = create(made_up.clone()).await.unwrap().json().await.unwrap();
        let url = created["method_notification_url"].as_str().unwrap();
        assert!(url.starts_with(&mock.server("/3ds/sessions/")), "{made_up}: {url}");
    }
}

#[tokio::test]
async fn sessions_expire() {
    let mock = start_with(&["--session-lifetime-secs", "1"]).await;
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap();
    let url = mock.server(&format!("/3ds/sessions/{id}"));
    assert_eq!(mock.http.get(&url).bearer_auth(PK).send().await.unwrap().status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let gone = mock.http.get(&url).bearer_auth(PK).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(mock.authenticate(id, &authenticate_body()).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn session_count_is_bounded() {
    let mock = start_with(&["--max-sessions", "2"]).await;
    mock.create_session("4000020000000000").await;
    mock.create_session("4000020000000000").await;
    let third = mock.post_session("4000020000000000").await;
    assert_eq!(third.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry_after: u64 = third.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "Retry-After names when the oldest live session expires: {retry_after}");
    let body: Value = third.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_sessions");
}

#[tokio::test]
async fn finished_sessions_make_room_so_a_load_test_never_stalls() {
    let mock = start_with(&["--max-sessions", "8"]).await;
    // A frictionless card: each session's outcome is final once authenticated.
    let mut first = None;
    for _ in 0..40 {
        let created = mock.create_session("5204247750001471").await;
        let id = created["id"].as_str().unwrap().to_owned();
        let response = mock.authenticate(&id, &authenticate_body()).await;
        assert_eq!(response.status(), StatusCode::OK);
        first.get_or_insert(id);
    }
    // The oldest finished session made room; an unfinished one is never evicted.
    let oldest = mock.http.get(mock.server(&format!("/3ds/sessions/{}", first.unwrap()))).bearer_auth(SK).send().await.unwrap();
    assert_eq!(oldest.status(), StatusCode::NOT_FOUND);
    // Unauthenticated sessions are live and unfinished: they fill the store, and
    // then (only then) a new one is refused.
    for _ in 0..8 {
        mock.create_session("4000020000000000").await;
    }
    let refused = mock.post_session("4000020000000000").await;
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn bad_input_names_what_is_wrong() {
    let mock = start().await;
    let post = |body: Value| mock.http.post(mock.server("/3ds/sessions")).bearer_auth(PK).json(&body).send();
    let cases = [
        (json!({ "device": "browser", "device_info": device_info() }), "token_id"),
        (json!({ "pan": "4000", "device": "browser", "device_info": device_info() }), "pan"),
        (json!({ "pan": "4000020000000000", "device_info": device_info() }), "device"),
        (json!({ "pan": "4000020000000000", "device": "browser", "device_info": device_info(), "extra": 1 }), ""),
        (json!({ "pan": "4000020000000000", "token_id": "tok_x", "device": "browser", "device_info": device_info() }), "token_id"),
        (json!({ "token_id": "tok_unknown", "device": "browser", "device_info": device_info() }), "token_id"),
    ];
    for (body, field) in cases {
        let response = post(body.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        if field.is_empty() {
            assert!(error["error"]["message"].as_str().unwrap().contains("unknown field `extra`"), "{error}");
        } else {
            assert_eq!(error["error"]["field"], field, "{error}");
        }
    }
    // Browser data is checked with the spec's rules, by field.
    let mut bad_device = device_info();
    bad_device["browser_color_depth"] = "30".into();
    let response = post(json!({ "pan": "4000020000000000", "device": "browser", "device_info": bad_device })).await.unwrap();
    let error: Value = response.json().await.unwrap();
    assert!(error["error"]["field"].as_str().unwrap().contains("browserColorDepth"), "{error}");
    // Not JSON at all.
    let response =
        mock.http.post(mock.server("/3ds/sessions")).bearer_auth(PK).header("content-type", "application/json").body("{").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // Too large.
    let response = mock
        .http
        .post(mock.server("/3ds/sessions"))
        .bearer_auth(PK)
        .header("content-type", "application/json")
        .body("x".repeat(100_000))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // An origin that may not embed the SDK.
    let response = mock
        .http
        .post(mock.server("/3ds/sessions"))
        .bearer_auth(PK)
        .header("Origin", "https://evil.example")
        .json(&json!({ "pan": "4000020000000000", "device": "browser", "device_info": device_info() }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // Authenticate's required and conditional rules.
    let created = mock.create_session("340000000004001").await; // Amex: requestor_info required
    let id = created["id"].as_str().unwrap();
    let mut amex = authenticate_body();
    amex.as_object_mut().unwrap().remove("requestor_info");
    let rules = [
        (json!({"authentication_type": "payment-transaction", "cardholder_info": {}}), "authentication_category"),
        (
            {
                let mut b = authenticate_body();
                b["authentication_category"] = "shopping".into();
                b
            },
            "authentication_category",
        ),
        (
            {
                let mut b = authenticate_body();
                b.as_object_mut().unwrap().remove("merchant_info");
                b
            },
            "merchant_info",
        ),
        (
            {
                let mut b = authenticate_body();
                b.as_object_mut().unwrap().remove("purchase_info");
                b
            },
            "purchase_info",
        ),
        (
            {
                let mut b = authenticate_body();
                b["purchase_info"]["currency"] = "EUR".into();
                b
            },
            "purchase_info.currency",
        ),
        (
            {
                let mut b = authenticate_body();
                b["challenge_preference"] = "always".into();
                b
            },
            "challenge_preference",
        ),
        (
            {
                let mut b = authenticate_body();
                b["request_decoupled_challenge"] = true.into();
                b
            },
            "decoupled_challenge_max_time",
        ),
        (amex, "requestor_info"),
    ];
    for (body, field) in rules {
        let response = mock.authenticate(id, &body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{error}");
    }
}

#[tokio::test]
async fn pages_escape_what_they_reflect_and_post_to_exact_origins() {
    let mock = start().await;
    // A hostile notification URL is escaped in the method page's form.
    let data = threeds_protocol::messages::MethodData {
        three_ds_server_trans_id: "x\"><script>alert(1)</script>".into(),
        three_ds_method_notification_url: "https://merchant.example/n?a=\"><script>alert(1)</script>".into(),
        extra: Default::default(),
    };
    let (status, page) = mock.submit(&mock.acs("/acs/method"), &[("threeDSMethodData".into(), data.encode())]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("<script>alert(1)</script>"), "{page}");
    let (action, _) = auto_post_form(&page);
    assert_eq!(action, data.three_ds_method_notification_url);
    // Errors that echo input escape it too.
    let (status, page) = mock.submit(&mock.acs("/acs/method"), &[("threeDSMethodData".into(), "<b>not base64</b>".into())]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!page.contains("<b>not base64</b>"));
    // Pages may be framed only by the configured origins.
    let response = mock.http.post(mock.acs("/acs/method")).form(&[("threeDSMethodData", data.encode())]).send().await.unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_eq!(csp, "frame-ancestors http://localhost:* http://127.0.0.1:*");

    // The notification endpoint's relay page posts to the SDK origin only.
    let created = mock.create_session("4000020000000000").await;
    let relay = mock.run_method(&created).await;
    assert_eq!(relay_fields(&relay).0, SDK_ORIGIN);
    // A notification for another transaction is refused and relays nothing.
    let id = created["id"].as_str().unwrap();
    let foreign = threeds_protocol::messages::MethodNotification::new("00000000-0000-0000-0000-000000000000").encode();
    let (status, page) =
        mock.submit(&mock.server(&format!("/3ds/sessions/{id}/method-notification")), &[("threeDSMethodData".into(), foreign)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!page.contains("threeds-web:relay"), "{page}");
}

#[tokio::test]
async fn tokens_stand_in_for_card_numbers() {
    let mock = start().await;
    let token: Value = mock.create_token(PK, "5204247750001471").await;
    assert_eq!(token["card_last4"], "1471");
    let created: Value = mock
        .http
        .post(mock.server("/3ds/sessions"))
        .bearer_auth(PK)
        .json(&json!({ "token_id": token["id"], "device": "browser", "device_info": device_info() }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["card_brand"], "Mastercard");
    assert_eq!(created["recommended_version"], "2.1.0");
}

#[tokio::test]
async fn the_demo_merchant_authenticates_and_shows_every_message_masked() {
    let mock = start_with(&["--demo-merchant"]).await;
    let pan = "4000020000000000";
    let created = mock.create_session(pan).await;
    let session_id = created["id"].as_str().unwrap().to_owned();
    mock.run_method(&created).await;
    let pay = |body: Value| {
        mock.http.post(mock.server("/demo-merchant/payments")).bearer_auth(PK).header("Origin", "http://localhost:8080").json(&body).send()
    };

    // Bad input names what is wrong; the secret key stays on the server.
    let response = pay(json!({ "session_id": session_id, "amount": "12.50", "currency": "978" })).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["field"], "purchase_info.amount");
    let response = pay(json!({ "session_id": session_id, "amount": "1250", "currency": "978", "card": pan })).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "unknown fields are refused");

    let response = pay(json!({ "session_id": session_id, "amount": "1250", "currency": "978" })).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], "http://localhost:8080", "checkout pages may call it");
    let authentication: Value = response.json().await.unwrap();
    assert_eq!(authentication["authentication_status_code"], "C");
    let result = mock.server(&format!("/demo-merchant/payments/{session_id}"));
    let pending = mock.http.get(&result).bearer_auth(PK).send().await.unwrap();
    assert_eq!(pending.status(), StatusCode::ACCEPTED, "pending until the challenge ends");

    let page = mock.open_challenge(&authentication, "03").await;
    let final_page = mock.submit(&form_action_with(&page, "submit"), &[("otp".into(), ONE_TIME_CODE.into())]).await.1;
    mock.deliver_cres(&final_page).await;
    let done = mock.http.get(&result).bearer_auth(PK).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let done: Value = done.json().await.unwrap();
    assert_eq!((done["authentication_status_code"].as_str(), done["eci"].as_str()), (Some("Y"), Some("05")));

    let transcript: Value = mock.http.get(format!("{result}/messages")).bearer_auth(PK).send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> = transcript["messages"].as_array().unwrap().iter().map(|m| m["message"].as_str().unwrap()).collect();
    assert_eq!(names, ["threeDSMethodData", "threeDSMethodData", "AReq", "ARes", "CReq", "RReq", "RRes", "CRes"]);
    let areq = &transcript["messages"][2];
    assert_eq!((areq["from"].as_str(), areq["to"].as_str()), (Some("3DS Server"), Some("Directory Server")));
    assert_eq!(areq["body"]["purchaseAmount"], "1250");
    assert!(!transcript.to_string().contains(pan), "the card number is masked in the transcript");
    assert!(areq["body"]["acctNumber"].as_str().unwrap().ends_with("0000"));
    // The AReq the 3DS Server handed its Directory Server in process is one the DS
    // takes on the wire too (POST /ds/areq reads it as JSON).
    let mut wire = areq["body"].clone();
    wire["acctNumber"] = json!(pan);
    let answer: Value = mock.http.post(mock.server("/ds/areq")).bearer_auth(SK).json(&wire).send().await.unwrap().json().await.unwrap();
    assert_eq!((answer["messageType"].as_str(), answer["transStatus"].as_str()), (Some("ARes"), Some("C")), "{answer}");
}

#[tokio::test]
async fn the_demo_merchant_reports_directory_server_errors() {
    let mock = start_with(&["--demo-merchant"]).await;
    let created = mock.create_session("4264281500003339").await;
    let session_id = created["id"].as_str().unwrap();
    let response = mock
        .http
        .post(mock.server("/demo-merchant/payments"))
        .bearer_auth(PK)
        .json(&json!({ "session_id": session_id, "amount": "100", "currency": "840" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "directory_server_error");
    let transcript: Value = mock
        .http
        .get(mock.server(&format!("/demo-merchant/payments/{session_id}/messages")))
        .bearer_auth(PK)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = transcript["messages"].as_array().unwrap().iter().map(|m| m["message"].as_str().unwrap()).collect();
    assert_eq!(names, ["AReq", "Erro"]);
}

/// A notification endpoint's relay page, read as a browser runs its one script:
/// the origin it posts to, and the form's fields (its hidden inputs, decoded as a
/// browser reads them) as the `threeds_api::RelayFields` the relay message carries.
fn relay_fields(page: &str) -> (String, RelayFields) {
    assert!(page.contains(&format!("<script>{}</script>", threeds_mock::support::html::RELAY_SCRIPT)), "the relay script: {page}");
    assert_eq!(page.matches("<script").count(), 1, "the page's own script only, nothing posted raw: {page}");
    let (target, fields) = relay_form(page);
    let object: serde_json::Map<String, Value> = fields.into_iter().map(|(name, value)| (name, Value::String(value))).collect();
    (target, serde_json::from_value(Value::Object(object)).expect("RelayFields"))
}

#[tokio::test]
async fn notification_endpoints_relay_the_fields_unchanged_to_the_sdk_origin() {
    let mock = start().await;
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap();
    let trans_id = created["three_ds_server_transaction_id"].as_str().unwrap();

    // The method notification: the ACS's threeDSMethodData, as posted.
    let (target, fields) = relay_fields(&mock.run_method(&created).await);
    assert_eq!(target, SDK_ORIGIN);
    let method_data = fields.three_ds_method_data.clone().expect("threeDSMethodData");
    assert_eq!(fields, RelayFields { three_ds_method_data: Some(method_data.clone()), ..Default::default() });
    let notification = threeds_protocol::messages::MethodNotification::decode(&method_data).unwrap();
    assert_eq!(notification.three_ds_server_trans_id, trans_id);
    let session: Value = mock.http.get(mock.server(&format!("/3ds/sessions/{id}"))).bearer_auth(PK).send().await.unwrap().json().await.unwrap();
    assert_eq!(session["method"]["method_completion_indicator"], "Y", "recorded before the answer");

    // The challenge notification, after a right code (Y) ...
    let authentication: Value = mock.authenticate(id, &authenticate_body()).await.json().await.unwrap();
    let page = mock.open_challenge(&authentication, "03").await;
    let final_page = mock.submit(&form_action_with(&page, "submit"), &[("otp".into(), ONE_TIME_CODE.into())]).await.1;
    let (cres, relay) = mock.deliver_cres(&final_page).await;
    let (target, fields) = relay_fields(&relay);
    assert_eq!(target, SDK_ORIGIN);
    let posted = auto_post_form(&final_page).1;
    let field = |name: &str| posted.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert_eq!(fields, RelayFields { three_ds_method_data: None, cres: field("cres"), three_ds_session_data: Some(codec::encode(b"checkout-42")) });
    let relayed: CRes = codec::decode_json(fields.cres.as_deref().unwrap(), 1 << 16).unwrap();
    assert_eq!((relayed.three_ds_server_trans_id.as_str(), relayed.acs_trans_id.clone()), (trans_id, cres.acs_trans_id.clone()));
    assert_eq!(relayed.trans_status.map(|s| s.code()), Some("Y"));

    // ... and after Cancel (N), with the pages' headers, and a threeDSSessionData
    // that would break out of the page's attribute: escaped there, relayed as posted.
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap();
    let authentication: Value = mock.authenticate(id, &authenticate_body()).await.json().await.unwrap();
    let page = mock.open_challenge(&authentication, "05").await;
    let final_page = mock.submit(&form_action_with(&page, "cancel"), &[]).await.1;
    let (action, mut fields) = auto_post_form(&final_page);
    let hostile = "\"><script>alert(1)</script>&cres=forged";
    fields.retain(|(name, _)| name != "threeDSSessionData");
    fields.push(("threeDSSessionData".into(), hostile.into()));
    let response = mock.http.post(&action).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-security-policy"], "frame-ancestors http://localhost:* http://127.0.0.1:*");
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let page = response.text().await.unwrap();
    let (_, relayed_fields) = relay_fields(&page);
    assert_eq!(relayed_fields.three_ds_session_data.as_deref(), Some(hostile));
    assert_eq!(relayed_fields.cres, fields.iter().find(|(name, _)| name == "cres").map(|(_, value)| value.clone()));
    let relayed: CRes = codec::decode_json(relayed_fields.cres.as_deref().unwrap(), 1 << 16).unwrap();
    assert_eq!(relayed.trans_status.map(|s| s.code()), Some("N"));

    // A session created without an Origin has no SDK origin: a page says so, no relay.
    let response = mock.post_session("4000020000000000").await;
    let created: Value = response.json().await.unwrap();
    let method_data = threeds_protocol::messages::MethodNotification::new(created["three_ds_server_transaction_id"].as_str().unwrap()).encode();
    let (status, page) = mock.submit(created["method_notification_url"].as_str().unwrap(), &[("threeDSMethodData".into(), method_data)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No SDK origin is known"), "{page}");
}

#[tokio::test]
async fn the_publishable_key_reads_the_status_only_and_the_secret_key_everything() {
    let mock = start().await;
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap();
    let authentication: Value = mock.authenticate(id, &authenticate_body()).await.json().await.unwrap();
    let page = mock.open_challenge(&authentication, "03").await;
    let final_page = mock.submit(&form_action_with(&page, "submit"), &[("otp".into(), ONE_TIME_CODE.into())]).await.1;
    mock.deliver_cres(&final_page).await;
    let url = mock.server(&format!("/3ds/sessions/{id}"));
    let read = |key: &'static str| mock.http.get(&url).bearer_auth(key).send();
    let secret: Value = read(SK).await.unwrap().json().await.unwrap();
    let full = &secret["authentication"];
    assert_eq!(full["authentication_status_code"], "Y", "{secret}");
    assert_eq!(full["eci"], "05");
    let cavv = full["authentication_value"].as_str().expect("the secret key reads the authentication value").to_owned();
    assert!(full["processor"]["stripe"]["curl"].as_str().unwrap().contains(&cavv));

    let public: Value = read(PK).await.unwrap().json().await.unwrap();
    let status = &public["authentication"];
    assert_eq!((status["authentication_status_code"].as_str(), status["authentication_status"].as_str()), (Some("Y"), Some("successful")));
    assert_eq!(public["id"], id);
    for secret_field in ["authentication_value", "eci", "processor", "message_extensions"] {
        assert!(status.get(secret_field).is_none(), "{secret_field} reaches the publishable key: {public}");
    }
    assert!(!public.to_string().contains(&cavv), "the cryptogram appears nowhere: {public}");
}

#[tokio::test]
async fn live_publishable_keys_take_token_ids_only() {
    const LIVE: &str = "pk_live_threeds_mock";
    let mock = start_with(&["--publishable-key", LIVE]).await;
    let session = |key: &'static str, body: Value| mock.http.post(mock.server("/3ds/sessions")).bearer_auth(key).json(&body).send();
    let with_pan = json!({ "pan": "4000020000000000", "device": "browser", "device_info": device_info() });
    let refused = session(LIVE, with_pan.clone()).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let error: Value = refused.json().await.unwrap();
    assert_eq!((error["error"]["code"].as_str(), error["error"]["field"].as_str()), (Some("invalid_request"), Some("pan")), "{error}");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("PCI") && message.contains("token_id") && message.contains("pk_test_"), "{message}");
    // Tokenizing from the browser is the same card number from the page: refused too.
    let token = mock.http.post(mock.server("/3ds/tokens")).bearer_auth(LIVE).json(&json!({ "pan": "4000020000000000" })).send().await.unwrap();
    assert_eq!(token.status(), StatusCode::BAD_REQUEST);
    assert_eq!(token.json::<Value>().await.unwrap()["error"]["field"], "pan");
    // A server tokenizes with the secret key; the page creates its session from the token.
    let token: Value = mock.create_token(SK, "4000020000000000").await;
    let created = session(LIVE, json!({ "token_id": token["id"], "device": "browser", "device_info": device_info() })).await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    // The secret key may send a card number in any mode.
    assert_eq!(session(SK, with_pan).await.unwrap().status(), StatusCode::CREATED);
}

/// An authenticated challenge session for the Visa 2.2.0 challenge card.
async fn challenged(mock: &Mock) -> (String, Value) {
    let created = mock.create_session("4000020000000000").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let authentication: Value = mock.authenticate(&id, &authenticate_body()).await.json().await.unwrap();
    assert_eq!(authentication["authentication_status_code"], "C");
    (id, authentication)
}

#[tokio::test]
async fn a_creq_the_acs_cannot_take_ends_the_challenge_with_an_erro() {
    let mock = start().await;
    let creq = |authentication: &Value| {
        json!({
            "threeDSServerTransID": authentication["three_ds_server_transaction_id"], "acsTransID": authentication["acs_transaction_id"],
            "messageType": "CReq", "messageVersion": "2.2.0", "challengeWindowSize": "02",
        })
    };
    let session_data = codec::encode(b"checkout-42");
    // (what to change, the Erro's code, its detail names, threeDSSessionData posted)
    type Change = fn(&mut Value);
    let cases: [(&str, Change, &str, &str, Option<String>); 7] = [
        ("missing field", |c| drop(c.as_object_mut().unwrap().remove("challengeWindowSize")), "201", "challengeWindowSize", None),
        ("not a CReq", |c| c["messageType"] = "CResX".into(), "101", "creq", None),
        ("unsupported version", |c| c["messageVersion"] = "2.0.1".into(), "102", "2.0.1", None),
        ("other version than the ARes", |c| c["messageVersion"] = "2.1.0".into(), "102", "2.1.0", None),
        ("other transaction", |c| c["threeDSServerTransID"] = "00000000-0000-4000-8000-000000000000".into(), "301", "threeDSServerTransID", None),
        ("session data too long", |_| {}, "203", "threeDSSessionData", Some("A".repeat(1025))),
        ("session data not base64url", |_| {}, "203", "threeDSSessionData", Some("not base64!".into())),
    ];
    for (case, change, code, detail, data) in cases {
        let (id, authentication) = challenged(&mock).await;
        let mut message = creq(&authentication);
        change(&mut message);
        let posted_data = data.clone().unwrap_or_else(|| session_data.clone());
        let (status, page) = mock
            .submit(
                authentication["acs_challenge_url"].as_str().unwrap(),
                &[("creq".into(), codec::encode_json(&message)), ("threeDSSessionData".into(), posted_data)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{case}: {page}");
        let (erro, relay) = mock.deliver_erro(&page).await;
        assert_eq!((erro.error_code.code(), erro.error_component.code()), (code, "A"), "{case}: {erro:?}");
        assert!(erro.error_detail.contains(detail), "{case}: {}", erro.error_detail);
        assert_eq!(erro.error_message_type.as_deref(), Some("CReq"), "{case}");
        assert_eq!(erro.three_ds_server_trans_id.as_ref(), authentication["three_ds_server_transaction_id"].as_str().map(str::to_owned).as_ref());
        assert_eq!(erro.acs_trans_id.as_ref(), authentication["acs_transaction_id"].as_str().map(str::to_owned).as_ref());
        // Relayed as the fields it came in; threeDSSessionData echoed only when valid.
        let (target, fields) = relay_fields(&relay);
        assert_eq!(target, SDK_ORIGIN, "{case}");
        let relayed: Erro = codec::decode_json(fields.cres.as_deref().unwrap(), 1 << 16).unwrap();
        assert_eq!(relayed, erro, "{case}");
        assert_eq!(fields.three_ds_session_data, data.is_none().then(|| session_data.clone()), "{case}");
        // The merchant's server reads the ACS's Erro, not a pending result.
        let (status, body) = mock.challenge_result(&id).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_GATEWAY, Some("acs_error")), "{case}: {body}");
        assert_eq!(body["error"]["erro"]["errorCode"], code, "{case}");
        // The transaction is over at the ACS: a right CReq now is a second one (305).
        let (_, page) =
            mock.submit(authentication["acs_challenge_url"].as_str().unwrap(), &[("creq".into(), codec::encode_json(&creq(&authentication)))]).await;
        assert_eq!(mock.deliver_erro(&page).await.0.error_code.code(), "305", "{case}");
    }
    // Without a known acsTransID there is no notificationURL: an error page names the fault.
    let (_, authentication) = challenged(&mock).await;
    let url = authentication["acs_challenge_url"].as_str().unwrap();
    let mut unknown = creq(&authentication);
    unknown["acsTransID"] = "00000000-0000-4000-8000-000000000000".into();
    for (creq_field, status, says) in [
        (codec::encode_json(&unknown), StatusCode::NOT_FOUND, "unknown or expired acsTransID"),
        ("%%%".to_owned(), StatusCode::BAD_REQUEST, "creq"),
        (codec::encode(b"{not json"), StatusCode::BAD_REQUEST, "not JSON"),
        (codec::encode_json(&json!({"messageType": "CReq"})), StatusCode::BAD_REQUEST, "acsTransID is missing"),
    ] {
        let (got, page) = mock.submit(url, &[("creq".into(), creq_field)]).await;
        assert_eq!(got, status, "{page}");
        assert!(page.contains(says) && !page.contains("auto-post"), "{page}");
    }
}

#[tokio::test]
async fn unauthenticated_endpoints_cannot_fill_the_stores_real_sessions_need() {
    let mock = start_with(&["--max-sessions", "4", "--demo-merchant"]).await;
    let first = mock.create_session("4000020000000000").await;
    mock.run_method(&first).await;
    // A flood of the ACS's method page (anyone may post it) and of AReqs for a
    // challenge card straight to the Directory Server.
    let areq = json!({
        "messageType": "AReq", "messageVersion": "2.2.0", "threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
        "deviceChannel": "02", "messageCategory": "01", "threeDSCompInd": "Y", "notificationURL": "http://127.0.0.1:1/n",
        "acctNumber": "4000020000000000", "browserAcceptHeader": "text/html", "browserJavascriptEnabled": true,
        "browserJavaEnabled": false, "browserLanguage": "en", "browserColorDepth": "24", "browserScreenHeight": "1080",
        "browserScreenWidth": "1920", "browserTZ": "0", "browserUserAgent": "Mozilla/5.0", "browserIP": "127.0.0.1"
    });
    for n in 0..40 {
        let data = threeds_protocol::messages::MethodData {
            three_ds_server_trans_id: format!("00000000-0000-4000-8000-{n:012}"),
            three_ds_method_notification_url: "https://attacker.example/n".into(),
            extra: Default::default(),
        };
        let (status, _) = mock.submit(&mock.acs("/acs/method"), &[("threeDSMethodData".into(), data.encode())]).await;
        assert_eq!(status, StatusCode::OK);
        let response = mock.http.post(mock.server("/ds/areq")).json(&areq).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "the Directory Server answers registered 3DS Servers only");
        let response = mock.http.post(mock.server("/ds/areq")).bearer_auth(PK).json(&areq).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    // Real sessions still get in and are challenged (the ACS's store has room).
    let mut sessions = vec![first["id"].as_str().unwrap().to_owned()];
    for _ in 0..3 {
        sessions.push(mock.create_session("4000020000000000").await["id"].as_str().unwrap().to_owned());
    }
    for id in &sessions {
        let response = mock.authenticate(id, &authenticate_body()).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
    }
    // And the first session's transcript was not pushed out by the flood.
    let transcript: Value = mock
        .http
        .get(mock.server(&format!("/demo-merchant/payments/{}/messages", sessions[0])))
        .bearer_auth(PK)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = transcript["messages"].as_array().unwrap().iter().map(|m| m["message"].as_str().unwrap()).collect();
    assert_eq!(names, ["threeDSMethodData", "threeDSMethodData", "AReq", "ARes"]);
}

#[tokio::test]
async fn the_demo_merchant_is_off_unless_enabled_and_takes_the_publishable_key() {
    let body = json!({ "session_id": "x", "amount": "100", "currency": "840" });
    let off = start().await;
    let response = off.http.post(off.server("/demo-merchant/payments")).bearer_auth(PK).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let on = start_with(&["--demo-merchant"]).await;
    let url = on.server("/demo-merchant/payments");
    assert_eq!(on.http.post(&url).json(&body).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(on.http.post(&url).bearer_auth("pk_test_wrong").json(&body).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(on.http.get(on.server("/demo-merchant/payments/x/messages")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let response = on.http.post(&url).bearer_auth(PK).json(&body).send().await.unwrap();
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["code"], "session_not_found");
    // A checkout page may send the key cross-origin.
    let preflight = on
        .http
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "http://localhost:8080")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    let allowed = preflight.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
}

#[tokio::test]
async fn the_areq_carries_the_browser_fields_of_its_version_only() {
    let mock = start_with(&["--demo-merchant"]).await;
    // device_info() reports everything a browser reads, acceptLanguage and JavaScript included.
    for (pan, version, javascript, accept_language) in
        [("5204247750001471", "2.1.0", false, false), ("4242424242424242", "2.2.0", true, false), ("4200000000000002", "2.3.1", true, true)]
    {
        let created = mock.create_session(pan).await;
        let id = created["id"].as_str().unwrap();
        assert_eq!(mock.authenticate(id, &authenticate_body()).await.status(), StatusCode::OK, "{pan}");
        let transcript: Value =
            mock.http.get(mock.server(&format!("/demo-merchant/payments/{id}/messages"))).bearer_auth(PK).send().await.unwrap().json().await.unwrap();
        let areq = transcript["messages"].as_array().unwrap().iter().find(|m| m["message"] == "AReq").expect("the AReq")["body"].clone();
        assert_eq!(areq["messageVersion"], version);
        assert_eq!(areq.get("browserJavascriptEnabled").is_some(), javascript, "{version}: {areq}");
        assert_eq!(areq.get("acceptLanguage").is_some(), accept_language, "{version}: {areq}");
        assert!(areq.get("browserUserAgent").is_some() && areq.get("browserAcceptHeader").is_some());
        let parsed: threeds_protocol::messages::AReq = serde_json::from_value(areq).unwrap();
        parsed.validate_browser_channel().unwrap_or_else(|e| panic!("{version}: {e}"));
    }
}

#[tokio::test]
async fn browser_accept_header_is_a_page_accept_header_never_the_api_calls() {
    let mock = start().await;
    let mut info = device_info();
    info.as_object_mut().unwrap().remove("browser_accept_header");
    for (sent, expected) in [
        ("application/json", threeds_mock::three_ds_server::api::NAVIGATION_ACCEPT),
        ("*/*", threeds_mock::three_ds_server::api::NAVIGATION_ACCEPT),
        ("text/html,*/*;q=0.8", "text/html,*/*;q=0.8"),
    ] {
        let created: Value = mock
            .http
            .post(mock.server("/3ds/sessions"))
            .bearer_auth(PK)
            .header("Accept", sent)
            .json(&json!({ "pan": "4000020000000000", "device": "browser", "device_info": info }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = created["id"].as_str().unwrap();
        let session: Value = mock.http.get(mock.server(&format!("/3ds/sessions/{id}"))).bearer_auth(SK).send().await.unwrap().json().await.unwrap();
        assert_eq!(session["device_info"]["browser_accept_header"], expected, "Accept: {sent}");
    }
}

#[tokio::test]
async fn the_faulty_session_api_is_off_unless_asked_for_and_fails_as_named() {
    let off = start().await;
    let response = off.http.post(off.server("/faults/500/3ds/sessions")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let mock = start_with(&["--faults"]).await;
    let response = mock.http.post(mock.server("/faults/500/3ds/sessions")).header("Origin", SDK_ORIGIN).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.headers()["access-control-allow-origin"], SDK_ORIGIN, "a browser sees the status, not a CORS failure");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "internal_error");
    let response = mock.http.post(mock.server("/faults/not-json/3ds/sessions")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&response.text().await.unwrap()).is_err());
    let hang = mock.http.post(mock.server("/faults/hang/3ds/sessions")).timeout(Duration::from_millis(300)).send().await;
    assert!(hang.is_err_and(|error| error.is_timeout()), "hang does not answer");
    let response = mock.http.post(mock.server("/faults/nope/3ds/sessions")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}
