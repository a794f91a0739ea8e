//! The SDK host frame's relay filters in headless Chromium against threeds-mock
//! (started by `./x test`, with `--faults` for its forger page on the session
//! API's origin): hostile relay messages reach the host frame during a real
//! challenge, each from where an attacker could post it, and the challenge
//! stays pending, then completes normally; an ACS's Erro settles `acs_error`; a
//! cancel from the checkout window settles `cancelled`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Promise, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{HtmlIFrameElement, MessageEvent, Window};

use threeds_protocol::messages::{CRes, MethodNotification};
use threeds_protocol::{MessageVersion, TransStatus, codec};

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The mock ACS's one-time code.
const ONE_TIME_CODE: &str = "123456";

fn string(value: &JsValue, name: &str) -> String {
    Reflect::get(value, &name.into()).ok().and_then(|c| c.as_string()).unwrap_or_default()
}

async fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..200 {
        if ready() {
            return;
        }
        sleep(50).await;
    }
    panic!("timed out waiting for {what}");
}

type Events = Rc<RefCell<Vec<(String, Value)>>>;

fn named(events: &Events, name: &str) -> Vec<Value> {
    events.borrow().iter().filter(|(n, _)| n == name).map(|(_, d)| d.clone()).collect()
}

/// A client on the real SDK host page, with every event recorded.
async fn client() -> (JsValue, Events) {
    let options = json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": format!("{}/host.html", host_origin()) });
    let client = settle(start_load(js(options)).await).await.expect("the client loads");
    let events = Rc::new(RefCell::new(Vec::new()));
    for name in ["challenge-shown", "challenge-completed", "cancelled", "error"] {
        let events = events.clone();
        let callback = Closure::<dyn Fn(JsValue)>::new(move |detail: JsValue| events.borrow_mut().push((name.to_owned(), rust(&detail))));
        call(&client, "on", &[name.into(), callback.as_ref().clone()]);
        callback.forget(); // lives as long as the test page
    }
    (client, events)
}

/// A challenge-ready session: its `createSession` result and its authentication.
async fn challenge_ready(client: &JsValue, pan: &str) -> (Value, Value) {
    let created = JsFuture::from(Promise::from(call(client, "createSession", &[js(json!({ "pan": pan }))]))).await.expect("createSession");
    let created = rust(&created);
    let authentication = authenticate(created["sessionId"].as_str().unwrap()).await;
    assert_eq!(authentication["authentication_status_code"], "C", "{authentication}");
    (created, authentication)
}

/// Starts the challenge; its outcome lands in the returned cell once it settles.
fn start(client: &JsValue, created: &Value, authentication: &Value) -> Rc<RefCell<Option<Result<Value, JsValue>>>> {
    let options = json!({
        "sessionId": created["sessionId"], "acsChallengeUrl": authentication["acs_challenge_url"],
        "acsTransactionId": authentication["acs_transaction_id"], "threeDSVersion": authentication["threeds_version"],
        "windowSize": "02", "mode": "modal",
    });
    let pending = JsFuture::from(Promise::from(call(client, "startChallenge", &[js(options)])));
    let outcome = Rc::new(RefCell::new(None));
    let cell = outcome.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let settled = pending.await.map(|value| rust(&value));
        *cell.borrow_mut() = Some(settled);
    });
    outcome
}

/// The SDK host frame's window (the last client's).
fn host_window() -> Window {
    let frames = document().query_selector_all("iframe[src*='/host.html']").unwrap();
    let frame: HtmlIFrameElement = frames.item(frames.length() - 1).unwrap().dyn_into().unwrap();
    frame.content_window().unwrap()
}

/// Messages to this page with a property `key`, from now on (while the listener lives).
fn inbox(key: &'static str) -> (Rc<RefCell<Vec<Value>>>, gloo_events::EventListener) {
    let received = Rc::new(RefCell::new(Vec::new()));
    let sink = received.clone();
    let listener = gloo_events::EventListener::new(&window(), "message", move |event| {
        let data = rust(&event.dyn_ref::<MessageEvent>().unwrap().data());
        if data.get(key).is_some() {
            sink.borrow_mut().push(data);
        }
    });
    (received, listener)
}

fn relay(fields: Value) -> Value {
    json!({ "type": "threeds-web:relay", "version": 1, "fields": fields })
}

fn cres(trans_id: &str, acs_trans_id: &str) -> String {
    codec::encode_json(&CRes::final_browser(MessageVersion::V2_2_0, trans_id, acs_trans_id, TransStatus::Authenticated))
}

#[wasm_bindgen_test]
async fn hostile_relays_leave_the_challenge_pending_and_it_then_completes() {
    let (client, events) = client().await;
    // Another transaction, challenge-ready too: its IDs are "another flow's".
    let (_, other) = challenge_ready(&client, "4000020000000000").await;
    let (created, authentication) = challenge_ready(&client, "4000020000000000").await;
    let trans_id = created["threeDSServerTransId"].as_str().unwrap().to_owned();
    let acs_trans_id = authentication["acs_transaction_id"].as_str().unwrap().to_owned();
    let session_data = codec::encode(created["sessionId"].as_str().unwrap().as_bytes());
    let outcome = start(&client, &created, &authentication);
    wait_until("challenge-shown", || !named(&events, "challenge-shown").is_empty()).await;

    // The challenge frame (the host frame's only frame now) shows the puppet: the right window, at the right origin.
    let (ready, _ready_listener) = inbox("puppetRelayReady");
    let challenge_frame: Window = Reflect::get(&host_window(), &0.into()).unwrap().unchecked_into();
    challenge_frame.location().set_href(&format!("{}/__test__/relay-puppet.html", host_origin())).unwrap();
    wait_until("the puppet in the challenge frame", || !ready.borrow().is_empty()).await;
    // A sibling of the host frame on the SDK origin: the right origin, the wrong window.
    let sibling: HtmlIFrameElement = document().create_element("iframe").unwrap().dyn_into().unwrap();
    sibling.set_src(&format!("{}/__test__/relay-puppet.html", host_origin()));
    document().body().unwrap().append_child(&sibling).unwrap();
    // Another on the session API's origin, whose relay page the host takes in this
    // flow, but only from the flow's own frame: the API's origin, the wrong window.
    let api_sibling: HtmlIFrameElement = document().create_element("iframe").unwrap().dyn_into().unwrap();
    api_sibling.set_src(&format!("{}/faults/relay-puppet/x", server_origin()));
    document().body().unwrap().append_child(&api_sibling).unwrap();
    wait_until("the sibling puppets", || ready.borrow().len() == 3).await;

    let good = relay(json!({ "cres": cres(&trans_id, &acs_trans_id), "threeDSSessionData": session_data }));
    let big = codec::encode_json(&json!({ "messageType": "CRes", "messageVersion": "2.2.0", "threeDSServerTransID": trans_id,
        "acsTransID": acs_trans_id, "transStatus": "Y", "pad": "x".repeat(100_000) }));
    let from_frame = [
        ("wrong threeDSServerTransID", relay(json!({ "cres": cres("3ac7caa7-aa42-2663-791b-2ac05a542c4a", &acs_trans_id) }))),
        ("wrong acsTransID", relay(json!({ "cres": cres(&trans_id, "8a880dc0-d2d2-4067-bcb1-b08d1690b26e") }))),
        ("another flow's transaction", relay(json!({ "cres": cres(&trans_id_of(&other), other["acs_transaction_id"].as_str().unwrap()) }))),
        ("duplicate: the method notification already consumed", relay(json!({ "threeDSMethodData": MethodNotification::new(&trans_id).encode() }))),
        ("malformed: cres not base64", relay(json!({ "cres": "%%%" }))),
        ("malformed: cres not JSON", relay(json!({ "cres": codec::encode(b"not json") }))),
        ("malformed: no fields", json!({ "type": "threeds-web:relay", "version": 1 })),
        ("malformed: not an object", json!("threeds-web:relay")),
        ("other protocol version", json!({ "type": "threeds-web:relay", "version": 2, "fields": good["fields"] })),
        ("oversized cres", relay(json!({ "cres": big }))),
        ("oversized threeDSSessionData", relay(json!({ "cres": cres(&trans_id, &acs_trans_id), "threeDSSessionData": "A".repeat(2000) }))),
    ];
    let (relayed, _relayed_listener) = inbox("puppetRelayed");
    let cases: Vec<Value> = from_frame.iter().map(|(_, message)| message.clone()).collect();
    challenge_frame.post_message(&js(json!({ "puppet": "relay", "messages": cases })), host_origin()).unwrap();
    // The right message from the wrong window, then from the wrong origin (this page).
    sibling.content_window().unwrap().post_message(&js(json!({ "puppet": "relay", "messages": [good.clone()] })), host_origin()).unwrap();
    let api_forger = json!({ "puppet": "relay", "messages": [good.clone()], "target": host_origin() });
    api_sibling.content_window().unwrap().post_message(&js(api_forger), server_origin()).unwrap();
    wait_until("the puppets posted", || relayed.borrow().len() == 3).await;
    host_window().post_message(&js(good.clone()), host_origin()).unwrap();
    sleep(500).await;
    let cases: Vec<&str> =
        from_frame.iter().map(|(case, _)| *case).chain(["right origin, wrong window", "the API's origin, wrong window", "wrong origin"]).collect();
    assert!(outcome.borrow().is_none(), "still pending after: {cases:?}");
    assert!(named(&events, "challenge-completed").is_empty() && named(&events, "error").is_empty(), "{:?}", events.borrow());
    sibling.remove();
    api_sibling.remove();

    // Then it completes normally: the code goes to the ACS from the challenge frame,
    // the ACS posts its CRes to the notification URL, which relays it.
    let code_url = format!("{}/{acs_trans_id}/code", authentication["acs_challenge_url"].as_str().unwrap());
    challenge_frame.post_message(&js(json!({ "puppet": "submit", "action": code_url, "fields": { "otp": ONE_TIME_CODE } })), host_origin()).unwrap();
    wait_until("the challenge settles", || outcome.borrow().is_some()).await;
    let result = outcome.borrow_mut().take().unwrap().expect("the challenge resolves");
    assert_eq!((result["transStatus"].as_str(), result["acsTransactionId"].as_str()), (Some("Y"), Some(acs_trans_id.as_str())), "{result}");
    assert_eq!(named(&events, "challenge-completed").len(), 1);
    assert_eq!(named(&events, "challenge-shown").len(), 1, "challenge-shown once, though the frame loaded three more pages");
    call(&client, "destroy", &[]);
}

fn trans_id_of(authentication: &Value) -> String {
    authentication["three_ds_server_transaction_id"].as_str().unwrap().to_owned()
}

#[wasm_bindgen_test]
async fn an_erro_instead_of_a_cres_settles_acs_error_with_its_fields() {
    let (client, events) = client().await;
    // The mock ACS answers this test card's CReq with an Erro (403) posted to the notification URL.
    let (created, authentication) = challenge_ready(&client, "4200000000000019").await;
    let outcome = start(&client, &created, &authentication);
    wait_until("the challenge settles", || outcome.borrow().is_some()).await;
    let error = outcome.borrow_mut().take().unwrap().expect_err("an Erro rejects");
    assert_eq!(string(&error, "code"), "acs_error");
    assert_eq!((string(&error, "errorCode"), string(&error, "errorComponent")), ("403".to_owned(), "A".to_owned()));
    assert!(!string(&error, "errorDescription").is_empty());
    assert!(string(&error, "message").contains("403"), "{}", string(&error, "message"));
    let reported = named(&events, "error");
    assert_eq!((reported.len(), reported[0]["code"].as_str(), reported[0]["errorCode"].as_str()), (1, Some("acs_error"), Some("403")));
    assert_eq!(keys(&reported[0]), ["code", "errorCode", "errorComponent", "errorDescription", "flow", "message"], "the declared FailureEventDetail");
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn a_cancel_from_the_checkout_window_settles_cancelled_and_one_for_another_flow_is_ignored() {
    let (client, events) = client().await;
    let (created, authentication) = challenge_ready(&client, "4000020000000000").await;
    let outcome = start(&client, &created, &authentication);
    wait_until("challenge-shown", || !named(&events, "challenge-shown").is_empty()).await;
    let flow = named(&events, "challenge-shown")[0]["flow"].as_u64().unwrap();
    let cancel = |flow: u64| js(json!({ "protocol": "threeds-web", "version": 2, "kind": "cancel", "flow": flow }));
    host_window().post_message(&cancel(flow + 100), host_origin()).unwrap();
    sleep(300).await;
    assert!(outcome.borrow().is_none(), "a cancel for a flow the host does not run is ignored");
    host_window().post_message(&cancel(flow), host_origin()).unwrap();
    wait_until("the challenge settles", || outcome.borrow().is_some()).await;
    let error = outcome.borrow_mut().take().unwrap().expect_err("a cancel rejects");
    assert_eq!(string(&error, "code"), "cancelled");
    call(&client, "destroy", &[]);
}
