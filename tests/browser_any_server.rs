//! The backend-agnostic API in headless Chromium against a 3DS Server that is not
//! our mock: `tests/servers/own-3ds-server.mjs` (Node, no code of ours), with a
//! fake ACS of its own on another origin (started by `./x test`). `runMethod`
//! and `challenge` run its flows through the relay kit; `collectBrowserInfo`
//! gives the fields per version; `presentAuthentication` shows the mock's Stripe
//! emulation's hosted page inline and resolves at the return page; and
//! `ThreeDS.readReturn` reads a return URL.
#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The independent 3DS Server's origin (exported by ./x test when it builds the tests).
fn own_server() -> &'static str {
    match option_env!("THREEDS_OWN_SERVER_ORIGIN") {
        Some(origin) => origin,
        None => panic!("THREEDS_OWN_SERVER_ORIGIN: run the browser tests through ./x test, which starts tests/servers/own-3ds-server.mjs"),
    }
}

/// An HTTP call from the test page, as the merchant's backend: JSON in, JSON out.
async fn fetch(method: &str, url: &str, body: Option<&str>, headers: &[(&str, &str)]) -> Value {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).unwrap();
    for (name, value) in headers {
        request.headers().set(name, value).unwrap();
    }
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request)).await.unwrap().dyn_into().unwrap();
    let text = JsFuture::from(response.text().unwrap()).await.unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{method} {url}: not JSON: {text}"))
}

/// A transaction of the independent 3DS Server, as after its ARes.
async fn transaction(kind: &str) -> Value {
    fetch("POST", &format!("{}/transactions", own_server()), Some(&json!({ "kind": kind }).to_string()), &[("Content-Type", "application/json")])
        .await
}

/// What reached the independent 3DS Server for a transaction.
async fn seen(t: &Value) -> Vec<String> {
    serde_json::from_value(record(t).await["seen"].clone()).unwrap()
}

/// The independent server's record of a transaction: what reached it, and what
/// its ACS pages reported they may use.
async fn record(t: &Value) -> Value {
    fetch("GET", &format!("{}/transactions/{}", own_server(), t["threeDSServerTransID"].as_str().unwrap()), None, &[]).await
}

/// The bank's page in this frame may use Secure Payment Confirmation and passkeys:
/// delegated from the checkout page through the SDK host frame.
fn assert_passkeys_and_payment_allowed(features: &Value, frame: &str) {
    for feature in ["payment", "publickey-credentials-get", "publickey-credentials-create"] {
        assert_eq!(features[feature], true, "{frame} frame: {feature} in {features}");
    }
    assert_eq!((features["publicKeyCredential"].as_str(), features["paymentRequest"].as_str()), (Some("function"), Some("function")), "{features}");
}

async fn client() -> JsValue {
    let options = json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": format!("{}/host.html", host_origin()) });
    settle(start_load(js(options)).await).await.expect("the client loads")
}

fn frames() -> u32 {
    document().query_selector_all("iframe").unwrap().length()
}

async fn rejected(promise: JsValue) -> (String, String) {
    let error = settle(promise).await.expect_err("rejects");
    let message = Reflect::get(&error, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
    (error_code(&error), message)
}

#[wasm_bindgen_test]
async fn run_method_with_any_3ds_server_is_y_n_or_u() {
    let client = client().await;
    // The SDK writes threeDSMethodData with the server's notification URL.
    let t = transaction("challenge").await;
    let options = json!({ "threeDSMethodURL": t["threeDSMethodURL"], "threeDSServerTransID": t["threeDSServerTransID"], "notificationURL": t["notificationURL"] });
    let result = settle(call(&client, "runMethod", &[js(options)])).await.expect("the method runs");
    assert_eq!(rust(&result), json!({ "threeDSCompInd": "Y" }));
    assert_eq!(seen(&t).await, vec!["method-notification"]);
    assert_passkeys_and_payment_allowed(&record(&t).await["features"]["method"], "method");
    // The server wrote threeDSMethodData itself.
    let t = transaction("challenge").await;
    let options = json!({ "threeDSMethodURL": t["threeDSMethodURL"], "threeDSServerTransID": t["threeDSServerTransID"], "threeDSMethodData": t["threeDSMethodData"] });
    assert_eq!(rust(&settle(call(&client, "runMethod", &[js(options)])).await.unwrap()), json!({ "threeDSCompInd": "Y" }));
    // An ACS that never notifies: N after the timeout, not an error.
    let t = transaction("silent").await;
    let options = json!({ "threeDSMethodURL": t["threeDSMethodURL"], "threeDSServerTransID": t["threeDSServerTransID"], "notificationURL": t["notificationURL"], "timeoutMs": 600 });
    assert_eq!(rust(&settle(call(&client, "runMethod", &[js(options)])).await.unwrap()), json!({ "threeDSCompInd": "N" }));
    // No method URL for the card's range: U.
    let options = json!({ "threeDSMethodURL": null, "threeDSServerTransID": t["threeDSServerTransID"], "notificationURL": t["notificationURL"] });
    assert_eq!(rust(&settle(call(&client, "runMethod", &[js(options)])).await.unwrap()), json!({ "threeDSCompInd": "U" }));
    // Bad options reject, naming the option; the frame count is back to the client's own.
    for (options, message) in [
        (
            json!({ "threeDSMethodURL": "http://acs.example/m", "threeDSServerTransID": t["threeDSServerTransID"], "notificationURL": t["notificationURL"] }),
            "threeDSMethodURL must be an https URL",
        ),
        (
            json!({ "threeDSMethodURL": t["threeDSMethodURL"], "threeDSServerTransID": "42", "notificationURL": t["notificationURL"] }),
            "threeDSServerTransID must be a UUID",
        ),
        (
            json!({ "threeDSMethodURL": t["threeDSMethodURL"], "threeDSServerTransID": t["threeDSServerTransID"] }),
            "runMethod needs exactly one of notificationURL",
        ),
    ] {
        let (code, got) = rejected(call(&client, "runMethod", &[js(options)])).await;
        assert_eq!(code, "invalid_argument", "{got}");
        assert!(got.starts_with(message), "{got}");
    }
    assert_eq!(frames(), 2, "only the client's own host frames are left: the background and the spare");
    call(&client, "destroy", &[]);
    assert_eq!(frames(), 0);
}

#[wasm_bindgen_test]
async fn a_challenge_of_any_3ds_server_resolves_with_the_final_cres() {
    let client = client().await;
    // The SDK writes the CReq from the ARes's IDs; a modal at the largest size that fits.
    let t = transaction("challenge").await;
    let options = json!({
        "acsURL": t["acsURL"], "threeDSServerTransID": t["threeDSServerTransID"], "acsTransID": t["acsTransID"],
        "messageVersion": "2.2.0", "threeDSSessionData": "b3JkZXItNDI", "mode": "modal", "windowSize": "02",
    });
    let cres = rust(&settle(call(&client, "challenge", &[js(options)])).await.expect("the challenge ends"));
    assert_eq!((cres["messageType"].as_str(), cres["transStatus"].as_str()), (Some("CRes"), Some("Y")), "{cres}");
    assert_eq!(cres["threeDSServerTransID"], t["threeDSServerTransID"]);
    assert_eq!(cres["acsTransID"], t["acsTransID"]);
    assert_eq!(seen(&t).await, vec!["creq 02", "challenge-notification CRes"]);
    assert_passkeys_and_payment_allowed(&record(&t).await["features"]["challenge"], "challenge");
    assert_eq!(frames(), 2, "the challenge's frames are gone; a new spare booted");
    // A CReq the server wrote, inline at 01: the CReq the ACS gets says 01 too.
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    container.set_id("own-challenge");
    document().body().unwrap().append_child(&container).unwrap();
    let t = transaction("challenge").await;
    let options = js(json!({ "acsURL": t["acsURL"], "creq": t["creq"]["05"], "windowSize": "01" }));
    // The element itself, carrying a circular reference as UI frameworks' elements do
    // (React's fiber): the options are forwarded without it.
    js_sys::Reflect::set(&container, &"circular".into(), &container).unwrap();
    js_sys::Reflect::set(&options, &"container".into(), &container).unwrap();
    let shown = call(&client, "challenge", &[options]);
    sleep(100).await;
    let frame = container.query_selector("iframe").unwrap().expect("the challenge is inline");
    let rect = frame.get_bounding_client_rect();
    assert_eq!((rect.width(), rect.height()), (250.0, 400.0), "01 is 250 x 400");
    let cres = rust(&settle(shown).await.unwrap());
    assert_eq!(cres["transStatus"], "Y");
    assert_eq!(seen(&t).await, vec!["creq 01", "challenge-notification CRes"]);
    container.remove();
    // The ACS ends the challenge with an Erro: acs_error, with its fields.
    let t = transaction("erro").await;
    let options = json!({ "acsURL": t["acsURL"], "creq": t["creq"]["05"], "mode": "modal" });
    let error = settle(call(&client, "challenge", &[js(options)])).await.expect_err("an Erro rejects");
    assert_eq!(error_code(&error), "acs_error");
    assert_eq!(Reflect::get(&error, &"errorCode".into()).unwrap().as_string().as_deref(), Some("403"));
    assert_eq!(frames(), 2);
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn browser_info_has_the_fields_of_each_version() {
    let client = client().await;
    let v210 = rust(&settle(call(&client, "collectBrowserInfo", &[js(json!({ "messageVersion": "2.1.0" }))])).await.unwrap());
    let v231 = rust(&settle(call(&client, "collectBrowserInfo", &[js(json!({ "messageVersion": "2.3.1" }))])).await.unwrap());
    let user_agent = window().navigator().user_agent().unwrap();
    assert_eq!(v210["browserUserAgent"].as_str(), Some(user_agent.as_str()));
    assert_eq!(v210.get("browserJavascriptEnabled"), None, "not in 2.1.0");
    assert_eq!(v210.get("acceptLanguage"), None, "not in 2.1.0");
    assert_eq!(v231["browserJavascriptEnabled"], true);
    assert!(v231["acceptLanguage"].is_array(), "{v231}");
    assert_eq!(v231["browserScreenWidth"].as_str(), Some(window().screen().unwrap().width().unwrap().to_string().as_str()));
    assert_eq!(v231.get("browserIP"), None, "the server reads the IP");
    let (code, _) = rejected(call(&client, "collectBrowserInfo", &[js(json!({ "messageVersion": "1.0.2" }))])).await;
    assert_eq!(code, "invalid_argument");
    call(&client, "destroy", &[]);
}

/// A Stripe PaymentIntent of the mock's emulation, confirmed, needing the bank's page.
async fn stripe_intent(return_url: &str) -> Value {
    let body = format!(
        // The test table's out-of-band card: its bank page approves by itself.
        "amount=1000&currency=eur&payment_method_data[type]=card&payment_method_data[card][number]=4000000000000341\
         &payment_method_data[card][exp_month]=12&payment_method_data[card][exp_year]=2034&payment_method_data[card][cvc]=123\
         &confirm=true&payment_method_options[card][request_three_d_secure]=any&return_url={}",
        js_sys::encode_uri_component(return_url)
    );
    fetch(
        "POST",
        &format!("{}/stripe/v1/payment_intents", server_origin()),
        Some(&body),
        &[("Authorization", "Bearer sk_test_threeds_mock_stripe"), ("Content-Type", "application/x-www-form-urlencoded")],
    )
    .await
}

#[wasm_bindgen_test]
async fn a_processors_page_inline_resolves_at_the_return_page() {
    let client = client().await;
    let return_url = Reflect::get(&client, &"returnUrl".into()).unwrap().as_string().unwrap();
    assert_eq!(return_url, format!("{}/return.html", host_origin()));
    let intent = stripe_intent(&format!("{return_url}?outcome=done")).await;
    assert_eq!(intent["status"], "requires_action", "{intent}");
    let url = intent["next_action"]["redirect_to_url"]["url"].as_str().expect("a redirect to the bank").to_owned();
    // A return URL off the SDK origin is refused inline: its page could not tell the host frame.
    let (code, message) =
        rejected(call(&client, "presentAuthentication", &[js(json!({ "url": url, "returnUrl": "https://shop.example/back", "mode": "modal" }))]))
            .await;
    assert_eq!(code, "invalid_argument");
    assert!(message.starts_with("returnUrl must be on the SDK origin"), "{message}");
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    container.set_attribute("style", "width:600px;height:700px").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let options = json!({ "url": url, "returnUrl": format!("{return_url}?outcome=done"), "mode": "inline", "windowSize": "04" });
    let options = js(options);
    Reflect::set(&options, &"container".into(), &container).unwrap();
    let shown = call(&client, "presentAuthentication", &[options]);
    // The bank's page is the mock ACS's, cross-origin in the frame; this card's
    // challenge is out of band and approves by itself.
    let result = rust(&settle(shown).await.expect("the processor's page returns"));
    assert_eq!(result["returnUrl"].as_str(), Some(return_url.as_str()));
    assert_eq!(result["params"]["outcome"], "done");
    assert_eq!(result["params"]["payment_intent"], intent["id"]);
    let secret = result["params"]["payment_intent_client_secret"].as_str().expect("the client secret comes back").to_owned();
    // The checkout page then reads the intent with the publishable key and the client secret.
    let read = fetch(
        "GET",
        &format!("{}/stripe/v1/payment_intents/{}?client_secret={}", server_origin(), intent["id"].as_str().unwrap(), secret),
        None,
        &[("Authorization", "Bearer pk_test_threeds_mock_stripe")],
    )
    .await;
    assert_eq!(read["status"], "succeeded", "{read}");
    assert_eq!(frames(), 2, "the processor's frames are gone");
    container.remove();
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn read_return_parses_the_query_and_strips_secrets_from_this_pages_address() {
    let read = read_return(&["https://shop.example/back?payment_intent=pi_1&payment_intent_client_secret=pi_1_secret_2#x".into()]).await.unwrap();
    assert_eq!(
        rust(&read),
        json!({ "returnUrl": "https://shop.example/back", "params": { "payment_intent": "pi_1", "payment_intent_client_secret": "pi_1_secret_2" } })
    );
    // On this page's own address: the secret leaves the address bar, the rest stays.
    let history = window().history().unwrap();
    let before = window().location().href().unwrap();
    let url = web_sys::Url::new(&before).unwrap();
    url.search_params().set("source", "src_1");
    url.search_params().set("client_secret", "src_1_secret_2");
    history.replace_state_with_url(&JsValue::NULL, "", Some(&url.href())).unwrap();
    let read = rust(&read_return(&[]).await.unwrap());
    assert_eq!((read["params"]["source"].as_str(), read["params"]["client_secret"].as_str()), (Some("src_1"), Some("src_1_secret_2")));
    let now = window().location().href().unwrap();
    assert!(now.contains("source=src_1") && !now.contains("client_secret"), "{now}");
    history.replace_state_with_url(&JsValue::NULL, "", Some(&before)).unwrap();
    assert!(read_return(&["not a url".into()]).await.is_err());
}

#[wasm_bindgen_test]
async fn the_sdks_own_words_follow_the_locale() {
    let t = transaction("challenge").await;
    for (locale, label, cancel) in
        [(None, "Card verification", "Cancel"), (Some("de-AT"), "Kartenprüfung", "Abbrechen"), (Some("pt-BR"), "Verificação do cartão", "Cancelar")]
    {
        let mut options = json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": format!("{}/host.html", host_origin()) });
        if let Some(locale) = locale {
            options["locale"] = json!(locale);
        }
        let client = settle(start_load(js(options)).await).await.unwrap();
        let creq = t["creq"]["02"].clone();
        let shown = call(&client, "challenge", &[js(json!({ "acsURL": t["acsURL"], "creq": creq, "mode": "modal" }))]);
        let dialog = document().query_selector("[role=dialog]").unwrap().expect("the modal");
        assert_eq!(dialog.get_attribute("aria-label").as_deref(), Some(label), "{locale:?}");
        let button = document().query_selector("[data-threeds-cancel]").unwrap().unwrap();
        assert_eq!(button.text_content().as_deref(), Some(cancel), "{locale:?}");
        let tag = locale.map_or("en", |l| &l[..2]);
        let frame = document().query_selector("[data-threeds-challenge] iframe").unwrap().unwrap();
        assert!(frame.get_attribute("src").unwrap().contains(&format!("locale={tag}")), "the host frame speaks it too");
        assert_eq!(frame.get_attribute("allow").as_deref(), Some("payment; publickey-credentials-get; publickey-credentials-create"));
        call(&client, "destroy", &[]);
        let _ = settle(shown).await;
    }
}
