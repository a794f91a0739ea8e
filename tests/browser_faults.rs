//! Faults and hostile messages, in headless Chromium against threeds-mock (started
//! by `./x test`): every promise settles once, with its code, within its configured
//! (short) timeout, and leaves no frame, `message` listener or timer behind. The
//! puppet host page (`tests/pages/`) stands in for a host that hangs or misbehaves;
//! the real host page for ACS and API faults. No case needs the notification relay.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlIFrameElement, Window};

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A loopback port nothing listens on: connections are refused at once.
const CLOSED: &str = "http://127.0.0.1:9";
const UUID_A: &str = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
const UUID_B: &str = "0b0e4f0e-5c0e-4c8e-9d55-2f0c7d3f7a10";
/// Slack on a configured timeout: timers in a busy headless browser run late.
const SLACK_MS: f64 = 1500.0;

fn real_host() -> String {
    format!("{}/host.html", host_origin())
}

fn puppet_host(query: &str) -> String {
    format!("{}/__test__/puppet-host.html{query}", host_origin())
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn error_message(error: &JsValue) -> String {
    Reflect::get(error, &"message".into()).ok().and_then(|c| c.as_string()).unwrap_or_default()
}

async fn load_with(options: Value) -> Result<JsValue, JsValue> {
    settle(start_load(js(options)).await).await
}

async fn load(host_url: &str) -> JsValue {
    load_with(json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": host_url, "readyTimeoutMs": 3000 }))
        .await
        .expect("the client loads")
}

type Events = Rc<RefCell<Vec<(String, Value)>>>;

/// Records every event of a client.
fn record(client: &JsValue) -> Events {
    let events = Rc::new(RefCell::new(Vec::new()));
    for name in ["method-started", "method-completed", "challenge-shown", "challenge-completed", "cancelled", "error", "debug"] {
        let events = events.clone();
        let callback = Closure::<dyn Fn(JsValue)>::new(move |detail: JsValue| events.borrow_mut().push((name.to_owned(), rust(&detail))));
        call(client, "on", &[name.into(), callback.as_ref().clone()]);
        callback.forget();
    }
    events
}

fn named(events: &Events, name: &str) -> Vec<Value> {
    events.borrow().iter().filter(|(n, _)| n == name).map(|(_, d)| d.clone()).collect()
}

async fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..200 {
        if ready() {
            return;
        }
        sleep(25).await;
    }
    panic!("timed out waiting for {what}");
}

/// Live `message` listeners on window and live timers of this window, counted
/// from the first call on (the wrappers are installed once per test page).
fn counters() -> (i32, i32) {
    let read: Function = Function::new_no_args(
        "var w = window;
         if (!w.__threedsCounters) {
           var add = w.addEventListener, remove = w.removeEventListener, set = w.setTimeout, clear = w.clearTimeout;
           var listeners = 0, timers = new Set();
           w.addEventListener = function (type, f, o) { if (type === 'message') listeners++; return add.call(this, type, f, o); };
           w.removeEventListener = function (type, f, o) { if (type === 'message') listeners--; return remove.call(this, type, f, o); };
           w.setTimeout = function (f, ms) {
             var args = Array.prototype.slice.call(arguments, 2);
             var id = set.call(w, function () { timers.delete(id); return typeof f === 'function' ? f.apply(this, args) : undefined; }, ms);
             timers.add(id);
             return id;
           };
           w.clearTimeout = function (id) { timers.delete(id); return clear.call(w, id); };
           w.__threedsCounters = function () { return [listeners, timers.size]; };
         }
         return w.__threedsCounters;",
    )
    .call0(&JsValue::NULL)
    .unwrap()
    .dyn_into()
    .unwrap();
    let pair = rust(&read.call0(&JsValue::NULL).unwrap());
    (pair[0].as_i64().unwrap() as i32, pair[1].as_i64().unwrap() as i32)
}

/// What a test starts from: frames, `message` listeners, timers.
#[derive(Debug, PartialEq, Clone, Copy)]
struct Live {
    frames: u32,
    listeners: i32,
    timers: i32,
}

fn live() -> Live {
    let (listeners, timers) = counters();
    Live { frames: document().query_selector_all("iframe").unwrap().length(), listeners, timers }
}

/// With `clients` loaded clients alive and idle: two frames (the background and
/// the spare for the next challenge) and one listener each, no timer.
fn assert_idle(before: Live, clients: u32, case: &str) {
    let expected = Live { frames: before.frames + 2 * clients, listeners: before.listeners + clients as i32, timers: before.timers };
    assert_eq!(live(), expected, "{case}: a frame, listener or timer was left");
    assert!(document().query_selector("[data-threeds-challenge]").unwrap().is_none(), "{case}: the challenge UI was left");
}

/// A flow's outcome: awaited, timed from `started`, and its completion events counted.
async fn outcome(case: &str, promise: JsValue, started: f64, events: Option<&Events>) -> (Result<Value, String>, f64) {
    let result = settle(promise).await;
    let elapsed = now() - started;
    // Whatever comes late (a second completion, a second event) comes now.
    sleep(200).await;
    if let Some(events) = events {
        let ends = named(events, "error").len() + named(events, "cancelled").len() + named(events, "challenge-completed").len();
        assert_eq!(ends, 1, "{case}: one completion event per flow: {:?}", events.borrow());
    }
    (result.map(|v| rust(&v)).map_err(|e| error_code(&e)), elapsed)
}

fn assert_rejects(case: &str, (result, elapsed): (Result<Value, String>, f64), code: &str, within: (f64, f64)) {
    assert_eq!(result.as_ref().err().map(String::as_str), Some(code), "{case}: {result:?}");
    assert!(elapsed >= within.0 - 20.0 && elapsed <= within.1, "{case}: settled after {elapsed} ms, expected {within:?}");
}

fn puppet_frame(selector: &str) -> Window {
    document().query_selector(selector).unwrap().expect("the puppet frame").dyn_into::<HtmlIFrameElement>().unwrap().content_window().unwrap()
}

/// Challenge options that need no session: the host posts the CReq at once when it
/// is given the 3DS Server's transaction id.
fn challenge(acs: &str, extra: Value) -> Value {
    let mut options = json!({
        "sessionId": "fault-session", "acsChallengeUrl": acs, "acsTransactionId": UUID_A,
        "threeDSServerTransId": UUID_B, "threeDSVersion": "2.2.0", "windowSize": "01", "mode": "modal"
    });
    for (key, value) in extra.as_object().unwrap() {
        options[key] = value.clone();
    }
    options
}

#[wasm_bindgen_test]
async fn host_faults_settle_on_time_and_leave_nothing() {
    let before = live();

    // Host page unreachable: load rejects after readyTimeoutMs.
    let started = now();
    let unreachable =
        load_with(json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": format!("{CLOSED}/host.html"), "readyTimeoutMs": 300 }));
    let result = unreachable.await.map(|v| rust(&v)).map_err(|e| error_code(&e));
    assert_rejects("host page unreachable", (result, now() - started), "host_unavailable", (300.0, 300.0 + SLACK_MS));
    assert_idle(before, 0, "host page unreachable");

    // A host whose challenge frame never says ready: host_unavailable after readyTimeoutMs, not a blank modal until timeoutMs.
    // (A fresh challenge frame: without moveBefore the spare, which did say ready, is not used.)
    let restore = without_move_before();
    let client = load_with(json!({
        "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": puppet_host("?silent=sized"), "readyTimeoutMs": 400
    }))
    .await
    .expect("the background puppet says ready");
    let events = record(&client);
    let started = now();
    let pending = call(&client, "startChallenge", &[js(challenge("https://acs.example/challenge", json!({ "timeoutMs": 5000 })))]);
    sleep(100).await;
    assert!(document().query_selector("[data-threeds-challenge]").unwrap().is_some(), "the challenge UI is up while the frame loads");
    let settled = outcome("challenge host never ready", pending, started, Some(&events)).await;
    assert_rejects("challenge host never ready", settled, "host_unavailable", (400.0, 400.0 + SLACK_MS));
    restore.call0(&JsValue::NULL).unwrap();
    assert_idle(before, 1, "challenge host never ready");

    // A host that never answers createSession (a hanging API call): the watchdog
    // rejects after timeoutMs and tells the host to drop the flow.
    events.borrow_mut().clear();
    let started = now();
    let pending = call(&client, "createSession", &[js(json!({ "pan": "4000020000000000", "methodTimeoutMs": 100, "timeoutMs": 300 }))]);
    let settled = outcome("host never answers createSession", pending, started, Some(&events)).await;
    assert_rejects("host never answers createSession", settled, "host_unavailable", (300.0, 300.0 + SLACK_MS));
    assert_idle(before, 1, "host never answers createSession");
    let commands = puppet_commands(&puppet_frame("iframe[src*='puppet-host.html']")).await;
    let kinds: Vec<(Value, Value)> = commands.as_array().unwrap().iter().map(|c| (c["kind"].clone(), c["flow"].clone())).collect();
    assert_eq!(kinds.last(), Some(&(json!("cancel"), json!(2))), "the host was told to drop flow 2: {kinds:?}");
    // The client takes the next call (not `busy`).
    let next = call(&client, "createSession", &[js(json!({ "tokenId": "tok_x", "timeoutMs": 100 }))]);
    assert_eq!(settle(next).await.map_err(|e| error_code(&e)).unwrap_err(), "host_unavailable");
    call(&client, "destroy", &[]);
    assert_idle(before, 0, "destroyed");
}

/// The commands the puppet host received, in order.
async fn puppet_commands(puppet: &Window) -> Value {
    let replies = Rc::new(RefCell::new(Vec::<Value>::new()));
    let listener = {
        let replies = replies.clone();
        gloo_events::EventListener::new(&window(), "message", move |event| {
            let data = rust(&event.dyn_ref::<web_sys::MessageEvent>().unwrap().data());
            if data.get("puppetCommands").is_some() {
                replies.borrow_mut().push(data);
            }
        })
    };
    // Asked again until it answers: a frame still loading drops what is posted to it.
    for _ in 0..100 {
        puppet.post_message(&js(json!({ "puppet": "commands" })), host_origin()).unwrap();
        sleep(50).await;
        if !replies.borrow().is_empty() {
            break;
        }
    }
    drop(listener);
    assert!(!replies.borrow().is_empty(), "the puppet never answered");
    replies.borrow()[0]["puppetCommands"].clone()
}

#[wasm_bindgen_test]
async fn acs_and_api_faults_settle_on_time_and_leave_nothing() {
    let before = live();
    let client = load(&real_host()).await;
    let events = record(&client);
    for (case, acs) in [
        ("ACS unreachable", format!("{CLOSED}/acs/challenge")),
        // The static origin answers the CReq's POST with an error page that never posts.
        ("ACS page that never posts", format!("{}/__test__/never-posts", host_origin())),
    ] {
        events.borrow_mut().clear();
        let started = now();
        let pending = call(&client, "startChallenge", &[js(challenge(&acs, json!({ "timeoutMs": 1200 })))]);
        let settled = outcome(case, pending, started, Some(&events)).await;
        assert_rejects(case, settled, "challenge_timeout", (1200.0, 1200.0 + SLACK_MS));
        assert_idle(before, 1, case);
    }
    call(&client, "destroy", &[]);

    // The session API: an error status with a non-JSON body (the static origin's 405), a
    // refused connection, and the mock's faulty API (`--faults`): HTTP 500, 200 with a
    // body that is not JSON, and an API that never answers (the host's fetch gives up
    // after its 15 s, before the embed's own 20 s watchdog).
    let faults = |kind: &str| format!("{}/faults/{kind}", server_origin());
    for (case, api, code, within) in [
        ("session API error status, non-JSON body", format!("{}/__test__/no-api", host_origin()), "api_error", (0.0, 3000.0)),
        ("session API unreachable", CLOSED.to_owned(), "network", (0.0, 3000.0)),
        ("session API 500", faults("500"), "api_error", (0.0, 3000.0)),
        ("session API 200, not JSON", faults("not-json"), "api_error", (0.0, 3000.0)),
        ("session API hanging", faults("hang"), "network", (15000.0, 15000.0 + SLACK_MS)),
    ] {
        let client = load_with(json!({ "apiBaseUrl": api, "publishableKey": PK, "hostUrl": real_host() })).await.expect("loads");
        let events = record(&client);
        let started = now();
        let pending = call(&client, "createSession", &[js(json!({ "pan": "4000020000000000", "timeoutMs": 20000 }))]);
        let settled = outcome(case, pending, started, Some(&events)).await;
        assert_rejects(case, settled, code, within);
        assert_idle(before, 1, case);
        call(&client, "destroy", &[]);
    }
    assert_idle(before, 0, "destroyed");
}

#[wasm_bindgen_test]
async fn cancel_and_destroy_during_the_method_and_the_challenge() {
    let before = live();
    for (case, action, code) in [("cancel", "cancel", "cancelled"), ("destroy", "destroy", "destroyed")] {
        // During the method (a card with a method URL, a long method wait).
        let mut client = load(&real_host()).await;
        let events = record(&client);
        let pending = call(&client, "createSession", &[js(json!({ "pan": "4000020000000000", "methodTimeoutMs": 20000 }))]);
        wait_until("method-started", || !named(&events, "method-started").is_empty()).await;
        let started = now();
        call(&client, action, &[]);
        let settled = outcome(case, pending, started, (action == "cancel").then_some(&events)).await;
        assert_rejects(&format!("{case} during the method"), settled, code, (0.0, 100.0));
        if action == "cancel" {
            assert_idle(before, 1, "cancel during the method");
            // The host dropped the cancelled flow: the next call is not `busy`.
            let next = call(&client, "createSession", &[js(json!({ "pan": "4005562231212123" }))]);
            assert!(settle(next).await.is_ok(), "the host took the next createSession after a cancel");
            events.borrow_mut().clear();
        } else {
            client = load(&real_host()).await;
        }
        // During the challenge (an ACS that never answers).
        let pending = call(&client, "startChallenge", &[js(challenge(&format!("{CLOSED}/acs"), json!({ "timeoutMs": 20000 })))]);
        sleep(300).await;
        assert!(document().query_selector("[data-threeds-challenge]").unwrap().is_some());
        let started = now();
        call(&client, action, &[]);
        let settled = outcome(case, pending, started, (action == "cancel").then_some(&events)).await;
        assert_rejects(&format!("{case} during the challenge"), settled, code, (0.0, 100.0));
        call(&client, "destroy", &[]);
        assert_idle(before, 0, case);
    }
}

#[wasm_bindgen_test]
async fn two_clients_at_once_one_hanging() {
    let before = live();
    let (hanging, working) = (load(&puppet_host("")).await, load(&real_host()).await);
    let (events_h, events_w) = (record(&hanging), record(&working));
    let started = now();
    let pending_h = call(&hanging, "createSession", &[js(json!({ "pan": "4000020000000000", "timeoutMs": 800 }))]);
    let pending_w = call(&working, "createSession", &[js(json!({ "pan": "4005562231212123", "timeoutMs": 5000 }))]);
    let result_w = settle(pending_w).await.map(|v| rust(&v));
    assert_eq!(result_w.expect("the working client resolves")["methodCompletionIndicator"], "U");
    let settled = outcome("hanging client", pending_h, started, Some(&events_h)).await;
    assert_rejects("hanging client", settled, "host_unavailable", (800.0, 800.0 + SLACK_MS));
    assert!(named(&events_w, "error").is_empty(), "the working client saw no error");
    assert_idle(before, 2, "two clients");
    call(&hanging, "destroy", &[]);
    call(&working, "destroy", &[]);
    assert_idle(before, 0, "two clients destroyed");
}

#[wasm_bindgen_test]
async fn a_completion_event_comes_after_the_promise_settled_once_per_fact() {
    let before = live();
    let client = load(&puppet_host("")).await;
    let events = record(&client);
    // A handler that destroys the client on completion cannot turn it into `destroyed`.
    let destroy = {
        let client = client.clone();
        Closure::<dyn Fn(JsValue)>::new(move |_: JsValue| drop(call(&client, "destroy", &[])))
    };
    call(&client, "on", &["challenge-completed".into(), destroy.as_ref().clone()]);
    let pending = call(&client, "startChallenge", &[js(challenge("https://acs.example/challenge", json!({ "timeoutMs": 5000 })))]);
    wait_until("the challenge frame", || document().query_selector("[data-threeds-challenge] iframe").unwrap().is_some()).await;
    let puppet = puppet_frame("[data-threeds-challenge] iframe");
    // The host reports `challenge-shown` again when the ACS frame navigates: one event.
    let shown = json!({ "protocol": "threeds-web", "version": 2, "kind": "challenge-shown", "flow": 1 });
    let completed = json!({ "protocol": "threeds-web", "version": 2, "kind": "resolved", "flow": 1, "event": "challenge-completed",
                            "value": { "sessionId": "fault-session", "threeDSServerTransId": UUID_B, "acsTransactionId": UUID_A, "transStatus": "Y" } });
    // The command first, then the reports (the puppet answers only once it has the command).
    for _ in 0..40 {
        if puppet_commands(&puppet).await.as_array().unwrap().iter().any(|c| c["call"] == "startChallenge") {
            break;
        }
        sleep(25).await;
    }
    puppet.post_message(&js(json!({ "puppet": "post", "messages": [shown, shown, completed, completed] })), host_origin()).unwrap();
    let result = settle(pending).await.map(|v| rust(&v)).map_err(|e| error_code(&e));
    assert_eq!(result.expect("resolved, not destroyed")["transStatus"], "Y");
    sleep(200).await;
    assert_eq!(named(&events, "challenge-shown").len(), 1, "challenge-shown once: {:?}", events.borrow());
    assert_eq!(named(&events, "challenge-completed").len(), 1);
    assert!(named(&events, "cancelled").is_empty() && named(&events, "error").is_empty(), "{:?}", events.borrow());
    destroy.forget();
    assert_idle(before, 0, "destroyed by the handler");
}

fn keydown_escape(target: &web_sys::EventTarget) {
    let event: web_sys::Event = Function::new_no_args("return new KeyboardEvent('keydown', { key: 'Escape', bubbles: true });")
        .call0(&JsValue::NULL)
        .unwrap()
        .unchecked_into();
    target.dispatch_event(&event).unwrap();
}

fn container(style: &str) -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().dyn_into().unwrap();
    container.set_attribute("style", style).unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    container
}

#[wasm_bindgen_test]
async fn escape_cancels_only_from_inside_and_full_screen_inline_fills_its_container() {
    let before = live();
    let client = load(&puppet_host("")).await;
    let events = record(&client);
    let container = container("width:420px;height:480px");
    let options = js(challenge("https://acs.example/challenge", json!({ "windowSize": "05", "mode": "inline", "timeoutMs": 10000 })));
    Reflect::set(&options, &"container".into(), &container).unwrap();
    let pending = call(&client, "startChallenge", &[options]);
    wait_until("the challenge frame", || document().query_selector("[data-threeds-challenge] iframe").unwrap().is_some()).await;
    // 05 inline: the container's box, not the viewport's.
    let frame = document().query_selector("[data-threeds-challenge] iframe").unwrap().unwrap();
    let (rect, outer) = (frame.get_bounding_client_rect(), container.get_bounding_client_rect());
    assert_eq!((rect.width(), rect.height()), (420.0, 480.0), "05 inline fills the container");
    assert_eq!((rect.left(), rect.top()), (outer.left(), outer.top()));
    assert!(container.contains(Some(&frame)));
    // Escape on the page, outside the challenge: nothing happens.
    let flag = Rc::new(RefCell::new(None));
    {
        let flag = flag.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = settle(pending).await.map(|v| rust(&v)).map_err(|e| error_code(&e));
            *flag.borrow_mut() = Some(result);
        });
    }
    keydown_escape(&document().body().unwrap());
    keydown_escape(&document());
    sleep(100).await;
    assert!(flag.borrow().is_none(), "Escape outside the challenge cancelled it");
    // Escape with focus inside the challenge (its Cancel button): cancelled.
    let cancel: HtmlElement = document().query_selector("[data-threeds-cancel]").unwrap().unwrap().dyn_into().unwrap();
    cancel.focus().unwrap();
    keydown_escape(&cancel);
    wait_until("the cancel", || flag.borrow().is_some()).await;
    assert_eq!(flag.borrow().clone().unwrap(), Err("cancelled".to_owned()));
    let cancelled = named(&events, "cancelled");
    assert_eq!((cancelled.len(), &cancelled[0]["code"]), (1, &serde_json::json!("cancelled")));
    assert_eq!(keys(&cancelled[0]), ["code", "flow", "message"], "the declared FailureEventDetail, with no ACS fields");
    container.remove();
    call(&client, "destroy", &[]);
    assert_idle(before, 0, "destroyed");
}

#[wasm_bindgen_test]
async fn inputs_are_checked_and_named() {
    let before = live();
    let load_error = |options: Value| async move {
        let error = load_with(options).await.expect_err("rejected");
        (error_code(&error), error_message(&error))
    };
    for (case, options, names) in [
        ("http API off loopback", json!({ "apiBaseUrl": "http://api.example", "publishableKey": PK }), "apiBaseUrl"),
        (
            "http host off loopback",
            json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": "http://host.example/host.html" }),
            "hostUrl",
        ),
        (
            "readyTimeoutMs overflowing a timer",
            json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "readyTimeoutMs": 2147483647u32 }),
            "readyTimeoutMs",
        ),
    ] {
        let (code, message) = load_error(options).await;
        assert_eq!(code, "invalid_argument", "{case}");
        assert!(message.contains(names), "{case}: {message}");
    }
    // The host checks a call's options (the embed only its own timers and layout): a real one.
    let real_host = real_host();
    let client = load(&real_host).await;
    let live_key = load_with(json!({ "apiBaseUrl": server_origin(), "publishableKey": "pk_live_x", "hostUrl": real_host })).await.unwrap();
    let silent = load_with(json!({ "apiBaseUrl": server_origin(), "publishableKey": "pk_live_x", "hostUrl": puppet_host("") })).await.unwrap();
    let reject = |client: &JsValue, method: &str, options: Value| {
        let promise = call(client, method, &[js(options)]);
        async move {
            let error = settle(promise).await.expect_err("rejected");
            (error_code(&error), error_message(&error))
        }
    };
    let ok = challenge("https://acs.example/challenge", json!({}));
    let with = |key: &str, value: Value| {
        let mut options = ok.clone();
        options[key] = value;
        options
    };
    for (case, options, names) in [
        ("version", with("threeDSVersion", json!("2.4.0")), "threeDSVersion"),
        ("acsTransactionId", with("acsTransactionId", json!("acs-1")), "acsTransactionId"),
        ("sessionId in the path", with("sessionId", json!("../../admin")), "sessionId"),
        ("http ACS off loopback", with("acsChallengeUrl", json!("http://acs.example/challenge")), "acsChallengeUrl"),
        ("javascript ACS", with("acsChallengeUrl", json!("javascript:alert(1)")), "acsChallengeUrl"),
        ("timeoutMs overflowing a timer", with("timeoutMs", json!(2147483647u32)), "timeoutMs"),
    ] {
        let (code, message) = reject(&client, "startChallenge", options).await;
        assert_eq!(code, "invalid_argument", "{case}");
        assert!(message.contains(names), "{case}: {message}");
    }
    // methodTimeoutMs + the API margin used to pass 2^31 - 1: the watchdog fired at once.
    let (code, message) = reject(&client, "createSession", json!({ "pan": "4000020000000000", "methodTimeoutMs": 2147483000u32 })).await;
    assert_eq!((code.as_str(), message.contains("methodTimeoutMs")), ("invalid_argument", true), "{message}");
    let (code, message) = reject(&live_key, "createSession", json!({ "pan": "4000020000000000" })).await;
    assert_eq!(code, "invalid_argument");
    assert!(message.starts_with("pan:") && message.contains("tokenId") && message.contains("PCI"), "{message}");
    // A live key with a token goes on to the host (one that never answers: the watchdog).
    let token = call(&silent, "createSession", &[js(json!({ "tokenId": "tok_x", "timeoutMs": 100 }))]);
    assert_eq!(settle(token).await.map_err(|e| error_code(&e)).unwrap_err(), "host_unavailable");
    call(&client, "destroy", &[]);
    call(&live_key, "destroy", &[]);
    call(&silent, "destroy", &[]);
    assert_idle(before, 0, "destroyed");
}

#[wasm_bindgen_test]
async fn the_default_host_url_is_beside_the_script_not_the_page() {
    // A page whose base URL is elsewhere: the old default resolved against it.
    let base = document().create_element("base").unwrap();
    base.set_attribute("href", &format!("{}/somewhere/else/", window().location().origin().unwrap())).unwrap();
    document().head().unwrap().append_child(&base).unwrap();
    let pending = start_load(js(json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "readyTimeoutMs": 200 }))).await;
    let frames = document().query_selector_all("iframe[src*='host.html']").unwrap();
    let frame: HtmlIFrameElement = frames.item(frames.length() - 1).expect("the host frame").dyn_into().unwrap();
    let src = frame.src();
    base.remove();
    assert!(!src.contains("/somewhere/else/"), "resolved against the page: {src}");
    // The embed's own URL: the SDK origin's threeds-web.js, which the tests import.
    let module = format!("{}/threeds-web.js", host_origin());
    let expected = web_sys::Url::new_with_base("host.html", &module).unwrap();
    let actual = web_sys::Url::new(&src).unwrap();
    assert_eq!(actual.origin() + &actual.pathname(), expected.origin() + &expected.pathname(), "beside {module}");
    if let Ok(client) = settle(pending).await {
        call(&client, "destroy", &[]);
    }
}

#[wasm_bindgen_test]
async fn hostile_messages_from_a_sibling_frame_or_oversized_never_settle() {
    // Extends browser_sdk's foreign / malformed / version / other-flow / duplicate / wrong-origin cases with
    // a message from the right origin but another window (a second client's host frame), an oversized one,
    // and a failure and a completion for another flow from the flow's own frame.
    let before = live();
    let client = load(&puppet_host("?a")).await;
    let sibling = load(&puppet_host("?b")).await;
    let events = record(&client);
    let pending = call(&client, "createSession", &[js(json!({ "pan": "4000020000000000", "timeoutMs": 10000 }))]);
    let flag = Rc::new(RefCell::new(Vec::new()));
    {
        let flag = flag.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = settle(pending).await.map(|v| rust(&v)).map_err(|e| error_code(&e));
            flag.borrow_mut().push(result);
        });
    }
    let created = |flow: u32, session: &str| {
        json!({ "protocol": "threeds-web", "version": 2, "kind": "resolved", "flow": flow, "value": { "sessionId": session,
                "threeDSServerTransId": UUID_B, "methodCompletionIndicator": "Y", "recommendedVersion": "2.2.0" } })
    };
    let post = |frame: &Window, messages: Value| frame.post_message(&js(json!({ "puppet": "post", "messages": messages })), host_origin()).unwrap();
    let own = puppet_frame("iframe[src*='puppet-host.html?a']");
    let other = puppet_frame("iframe[src*='puppet-host.html?b']");
    // Right origin, wrong window: the sibling client's frame posts this flow's completion and failure.
    post(
        &other,
        json!([created(1, "from-the-sibling"), { "protocol": "threeds-web", "version": 2, "kind": "failed", "flow": 1, "code": "network", "message": "x" }]),
    );
    // Oversized: a completion whose fields are far larger than any the host writes.
    post(
        &own,
        json!([created(1, &"x".repeat(100_000)), { "protocol": "threeds-web", "version": 2, "kind": "failed", "flow": 1, "code": "network", "message": "m".repeat(100_000) }]),
    );
    // Another flow's failure from the flow's own frame.
    post(&own, json!([{ "protocol": "threeds-web", "version": 2, "kind": "failed", "flow": 5, "code": "network", "message": "x" }]));
    sleep(300).await;
    assert!(flag.borrow().is_empty(), "a hostile message settled the flow: {:?} {:?}", flag.borrow(), events.borrow());
    let ignored: Vec<String> = named(&events, "debug").iter().filter_map(|d| d["ignored"].as_str().map(str::to_owned)).collect();
    for expected in ["message from an unexpected window", "malformed threeds-web message", "message for another flow or transaction"] {
        assert!(ignored.iter().any(|i| i.starts_with(expected)), "no {expected:?} in {ignored:?}");
    }
    // Then it settles normally, once.
    post(&own, json!([created(1, "first"), created(1, "second")]));
    wait_until("the completion", || !flag.borrow().is_empty()).await;
    sleep(200).await;
    assert_eq!(flag.borrow().len(), 1);
    assert_eq!(flag.borrow()[0].as_ref().unwrap()["sessionId"], "first");
    assert_idle(before, 2, "hostile messages");
    call(&client, "destroy", &[]);
    call(&sibling, "destroy", &[]);
    assert_idle(before, 0, "destroyed");
}
