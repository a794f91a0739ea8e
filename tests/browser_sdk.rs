//! The SDK in headless Chromium against threeds-mock on its separate origins
//! (started by `./x test`): the JS API as a checkout page calls it.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlIFrameElement};

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

fn iframe_count() -> u32 {
    document().query_selector_all("iframe").unwrap().length()
}

async fn load_with(options: Value) -> Result<JsValue, JsValue> {
    settle(start_load(js(options)).await).await
}

async fn load() -> JsValue {
    load_with(json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": format!("{}/host.html", host_origin()) }))
        .await
        .expect("the client loads")
}

/// Records every event of a client.
fn record(client: &JsValue) -> Rc<RefCell<Vec<(String, Value)>>> {
    let events = Rc::new(RefCell::new(Vec::new()));
    for name in ["method-started", "method-completed", "challenge-shown", "challenge-completed", "cancelled", "error", "debug"] {
        let events = events.clone();
        let callback = Closure::<dyn Fn(JsValue)>::new(move |detail: JsValue| events.borrow_mut().push((name.to_owned(), rust(&detail))));
        call(client, "on", &[name.into(), callback.as_ref().clone()]);
        callback.forget(); // lives as long as the test page
    }
    events
}

fn named(events: &Rc<RefCell<Vec<(String, Value)>>>, name: &str) -> Vec<Value> {
    events.borrow().iter().filter(|(n, _)| n == name).map(|(_, d)| d.clone()).collect()
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

async fn session(client: &JsValue, pan: &str) -> Value {
    rust(&settle(call(client, "createSession", &[js(json!({ "pan": pan }))])).await.expect("createSession resolves"))
}

/// A session whose authentication asks for a challenge, and the startChallenge options for it.
async fn challenge_options(client: &JsValue, pan: &str, extra: Value) -> Value {
    let created = session(client, pan).await;
    let authentication = authenticate(created["sessionId"].as_str().unwrap()).await;
    assert_eq!(authentication["authentication_status_code"], "C", "{authentication}");
    let mut options = json!({
        "sessionId": created["sessionId"],
        "acsChallengeUrl": authentication["acs_challenge_url"],
        "acsTransactionId": authentication["acs_transaction_id"],
        "threeDSVersion": authentication["threeds_version"],
    });
    for (key, value) in extra.as_object().unwrap() {
        options[key] = value.clone();
    }
    options
}

fn challenge_frame() -> HtmlIFrameElement {
    document().query_selector("[data-threeds-challenge] iframe").unwrap().expect("the challenge frame").dyn_into().unwrap()
}

fn viewport() -> (f64, f64) {
    let window = web_sys::window().unwrap();
    (window.inner_width().unwrap().as_f64().unwrap(), window.inner_height().unwrap().as_f64().unwrap())
}

#[wasm_bindgen_test]
async fn device_info_follows_the_emv_rules() {
    let readings = threeds_web::device::read().unwrap();
    assert!(readings.user_agent.contains("Chrome"));
    // Its JSON form: what the session API receives.
    let info = serde_json::to_value(threeds_web::device::to_device_info(&readings)).unwrap();
    let depth = info["browser_color_depth"].as_str().unwrap();
    assert!(["1", "4", "8", "15", "16", "24", "32", "48"].contains(&depth), "{info}");
    assert!(info["browser_language"].as_str().unwrap().len() <= 8);
    let tz = info["browser_tz"].as_str().unwrap();
    let offset = js_sys::Date::new_0().get_timezone_offset() as i64;
    assert_eq!(tz, offset.to_string(), "getTimezoneOffset's sign is kept");
    assert!(info["browser_screen_width"].as_str().unwrap().bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(info["browser_javascript_enabled"], true);
}

#[wasm_bindgen_test]
async fn method_completes_with_y() {
    let client = load().await;
    let events = record(&client);
    let created = session(&client, "4000020000000000").await;
    assert_eq!(created["methodCompletionIndicator"], "Y", "{created}");
    assert_eq!(created["recommendedVersion"], "2.2.0");
    let started = named(&events, "method-started");
    assert_eq!(started.len(), 1);
    assert_eq!(keys(&started[0]), ["flow"], "the declared FlowEventDetail");
    let completed = named(&events, "method-completed");
    assert_eq!(completed.len(), 1);
    assert_eq!(keys(&completed[0]), ["flow", "indicator", "ms"], "the declared MethodCompletedDetail");
    assert_eq!(completed[0]["indicator"], "Y");
    assert!(completed[0]["ms"].as_u64().unwrap() < 10_000);
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn method_times_out_with_n_and_goes_on() {
    let client = load().await;
    let events = record(&client);
    let result = settle(call(&client, "createSession", &[js(json!({ "pan": "4000020000000000", "methodTimeoutMs": 1 }))])).await;
    let created = rust(&result.expect("a method timeout is not an error"));
    assert_eq!(created["methodCompletionIndicator"], "N");
    assert_eq!(named(&events, "method-completed")[0]["indicator"], "N");
    assert!(named(&events, "error").is_empty());
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn no_method_url_is_u() {
    let client = load().await;
    let created = session(&client, "4005562231212123").await;
    assert_eq!(created["methodCompletionIndicator"], "U");
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn challenge_frame_has_the_exact_spec_size() {
    let client = load().await;
    let events = record(&client);
    for (size, expected) in [("01", (250.0, 400.0)), ("02", (390.0, 400.0)), ("03", (500.0, 600.0)), ("04", (600.0, 400.0)), ("05", viewport())] {
        let options = challenge_options(&client, "4000020000000000", json!({ "windowSize": size, "mode": "modal" })).await;
        let pending = call(&client, "startChallenge", &[js(options)]);
        wait_until("challenge-shown", || named(&events, "challenge-shown").len() == 1).await;
        let rect = challenge_frame().get_bounding_client_rect();
        assert_eq!((rect.width(), rect.height()), expected, "window size {size}");
        let shown = named(&events, "challenge-shown").remove(0);
        assert_eq!(shown["windowSize"], size);
        assert!(challenge_frame().get_attribute("sandbox").is_none(), "no sandbox on the challenge frame");
        call(&client, "cancel", &[]);
        assert_eq!(error_code(&settle(pending).await.unwrap_err()), "cancelled");
        events.borrow_mut().clear();
    }
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn auto_picks_the_largest_size_that_fits() {
    let client = load().await;
    let events = record(&client);
    let container: HtmlElement = document().create_element("div").unwrap().dyn_into().unwrap();
    container.set_attribute("style", "width:560px;height:700px").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    // 560 x (700 - the 40 px Cancel bar): 03 (500 x 600) fits, 04 (600 wide) does not.
    let options = challenge_options(&client, "4000020000000000", json!({ "windowSize": "auto" })).await;
    let mut options = options;
    options["mode"] = "inline".into();
    let options = js(options);
    Reflect::set(&options, &"container".into(), &container).unwrap();
    let pending = call(&client, "startChallenge", &[options]);
    wait_until("challenge-shown", || !named(&events, "challenge-shown").is_empty()).await;
    assert_eq!(named(&events, "challenge-shown")[0]["windowSize"], "03");
    let rect = challenge_frame().get_bounding_client_rect();
    assert_eq!((rect.width(), rect.height()), (500.0, 600.0));
    assert!(container.contains(Some(&challenge_frame())), "inline: inside the container");
    call(&client, "cancel", &[]);
    let _ = settle(pending).await;
    container.remove();
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn out_of_band_challenge_completes_and_tears_down() {
    let frames_before = iframe_count();
    let client = load().await;
    let events = record(&client);
    let trigger: HtmlElement = document().create_element("button").unwrap().dyn_into().unwrap();
    document().body().unwrap().append_child(&trigger).unwrap();
    trigger.focus().unwrap();
    // The mock's banking app approves this card by itself after a few seconds.
    let options = challenge_options(&client, "4000000000000341", json!({ "windowSize": "02" })).await;
    let pending = call(&client, "startChallenge", &[js(options)]);
    wait_until("challenge-shown", || !named(&events, "challenge-shown").is_empty()).await;
    // The modal sits above everything and the page behind is inert.
    assert!(trigger.closest("[inert]").unwrap().is_some(), "the page behind the modal is inert");
    let result = rust(&settle(pending).await.expect("the challenge resolves"));
    assert_eq!(result["transStatus"], "Y", "{result}");
    assert_eq!(named(&events, "challenge-completed").len(), 1);
    assert!(document().query_selector("[data-threeds-challenge]").unwrap().is_none(), "the challenge is gone");
    assert!(document().query_selector("[inert]").unwrap().is_none(), "nothing left inert");
    let active: Element = document().active_element().unwrap();
    assert!(active.is_same_node(Some(&trigger)), "focus came back");
    call(&client, "destroy", &[]);
    assert_eq!(iframe_count(), frames_before, "every frame removed");
    trigger.remove();
}

/// The SDK's host frames on the page: the background frame, the spare one, a challenge's.
fn host_frames() -> Vec<HtmlIFrameElement> {
    let list = document().query_selector_all("iframe[src*='/host.html']").unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().dyn_into().unwrap()).collect()
}

/// Waits until the page holds `count` host frames: a client boots its spare a task
/// after `load` resolved, once no call of its runs.
async fn wait_for_host_frames(count: usize, what: &str) {
    wait_until(what, || host_frames().len() == count).await;
}

/// The spare host frame: the last hidden host frame directly in `<body>` (the
/// background frame, hidden there too, comes first).
fn spare_frame() -> HtmlIFrameElement {
    let list = document().query_selector_all("body > iframe[src*='/host.html'][aria-hidden='true'][tabindex='-1']").unwrap();
    list.item(list.length().wrapping_sub(1)).expect("a hidden host frame in <body>").dyn_into().unwrap()
}

#[wasm_bindgen_test]
async fn the_challenge_takes_the_warm_frame_and_a_new_one_boots_after() {
    let (frames_before, host_before) = (iframe_count(), host_frames().len());
    let client = load().await;
    let events = record(&client);
    wait_for_host_frames(host_before + 2, "the background frame and a spare").await;
    let warm = spare_frame();
    // The mock's banking app approves this card by itself: the CReq reached the ACS.
    let options = challenge_options(&client, "4000000000000341", json!({ "windowSize": "02" })).await;
    sleep(500).await; // the spare booted once createSession had settled, and has said ready since
    let pending = call(&client, "startChallenge", &[js(options)]);
    // At once, in the call: no new host frame; the spare is the challenge's, shown and sized.
    assert_eq!(host_frames().len(), host_before + 2, "no new host frame for the challenge");
    assert!(challenge_frame().is_same_node(Some(&warm)), "the spare frame serves the challenge");
    assert_eq!((warm.get_attribute("aria-hidden"), warm.get_attribute("tabindex")), (None, None), "no longer hidden");
    // The modal made the page behind inert, the spare with it while it was in <body>: not any more.
    assert!(warm.closest("[inert]").unwrap().is_none(), "the challenge's frame is not inert");
    assert!(document().query_selector("body > [inert]").unwrap().is_some(), "the page behind is");
    wait_until("challenge-shown", || !named(&events, "challenge-shown").is_empty()).await;
    let shown = named(&events, "challenge-shown");
    assert_eq!(keys(&shown[0]), ["flow", "height", "width", "windowSize"], "the declared ChallengeShownDetail");
    assert_eq!((&shown[0]["windowSize"], &shown[0]["width"], &shown[0]["height"]), (&json!("02"), &json!(390), &json!(400)));
    let rect = warm.get_bounding_client_rect();
    assert_eq!((rect.width(), rect.height()), (390.0, 400.0));
    let result = rust(&settle(pending).await.expect("the challenge resolves"));
    assert_eq!(result["transStatus"], "Y", "{result}");
    let completed = named(&events, "challenge-completed");
    assert_eq!(completed, std::slice::from_ref(&result), "the event's detail is the promise's result");
    assert_eq!(keys(&result), ["acsTransactionId", "sessionId", "threeDSServerTransId", "transStatus"], "the declared ChallengeResult");
    assert!(named(&events, "debug").is_empty(), "{:?}", events.borrow());
    // The flow removed its frame; a new spare boots for the next challenge (a task later).
    assert!(!warm.is_connected(), "the challenge's frame is gone");
    assert_eq!(host_frames().len(), host_before + 1);
    wait_for_host_frames(host_before + 2, "a new spare").await;
    assert!(!spare_frame().is_same_node(Some(&warm)), "a new spare");
    call(&client, "destroy", &[]);
    assert_eq!(iframe_count(), frames_before, "destroy removed the spare too");
}

#[wasm_bindgen_test]
async fn without_move_before_or_a_ready_spare_a_fresh_frame_serves_the_challenge() {
    let (frames_before, host_before) = (iframe_count(), host_frames().len());
    let client = load().await;
    let options = challenge_options(&client, "4000000000000341", json!({ "windowSize": "01" })).await;
    sleep(500).await;
    let warm = spare_frame();
    // A browser without moveBefore: a fresh frame, the spare stays hidden for next time.
    let restore = without_move_before();
    let pending = call(&client, "startChallenge", &[js(options)]);
    restore.call0(&JsValue::NULL).unwrap();
    assert_eq!(host_frames().len(), host_before + 3, "a fresh frame beside the spare");
    assert!(!challenge_frame().is_same_node(Some(&warm)));
    assert!(spare_frame().is_same_node(Some(&warm)), "the spare is still in <body>, hidden");
    assert_eq!(rust(&settle(pending).await.expect("the challenge resolves"))["transStatus"], "Y");
    assert_eq!(host_frames().len(), host_before + 2, "the fresh frame is gone, no second spare");
    assert!(spare_frame().is_same_node(Some(&warm)));
    // A challenge at once after load (on the first client's session): the client
    // boots no spare while a call runs, so a fresh frame serves it; the spare comes after.
    let options = challenge_options(&client, "4000000000000341", json!({ "windowSize": "01" })).await;
    let before_second = host_frames().len();
    let second = load().await;
    let pending = call(&second, "startChallenge", &[js(options)]);
    sleep(200).await; // past the task in which an idle client boots its spare
    assert_eq!(host_frames().len(), before_second + 2, "its background frame and the challenge's fresh frame, no spare");
    let fresh = challenge_frame();
    assert_eq!(rust(&settle(pending).await.expect("the challenge resolves"))["transStatus"], "Y");
    assert!(!fresh.is_connected(), "the challenge's frame is gone");
    wait_for_host_frames(before_second + 2, "and a spare booted").await;
    assert!(spare_frame().src().ends_with("#spare"), "the last hidden host frame is a spare");
    call(&second, "destroy", &[]);
    call(&client, "destroy", &[]);
    assert_eq!(iframe_count(), frames_before, "every frame removed");
}

/// Counts `message` listeners added and removed on window from here on: the
/// returned function reads how many are live.
fn count_message_listeners() -> impl Fn() -> Option<f64> {
    let live: Function = Function::new_no_args(
        "var w = window, add = w.addEventListener, remove = w.removeEventListener, live = 0;
         w.addEventListener = function (type, f, o) { if (type === 'message') live++; return add.call(this, type, f, o); };
         w.removeEventListener = function (type, f, o) { if (type === 'message') live--; return remove.call(this, type, f, o); };
         return function () { return live; };",
    )
    .call0(&JsValue::NULL)
    .unwrap()
    .dyn_into()
    .unwrap();
    move || live.call0(&JsValue::NULL).unwrap().as_f64()
}

/// This page's origin as a host frame's `?parent=` value.
fn this_page_as_parent() -> String {
    String::from(js_sys::encode_uri_component(&window().location().origin().unwrap()))
}

#[wasm_bindgen_test]
async fn destroy_leaves_no_frame_or_listener_and_settles_everything() {
    let live = count_message_listeners();
    let frames_before = iframe_count();
    let client = load().await;
    assert_eq!(live(), Some(1.0));
    let options = challenge_options(&client, "4000020000000000", json!({ "windowSize": "01" })).await;
    let pending = call(&client, "startChallenge", &[js(options)]);
    sleep(300).await;
    assert!(iframe_count() > frames_before);
    call(&client, "destroy", &[]);
    assert_eq!(error_code(&settle(pending).await.unwrap_err()), "destroyed");
    assert_eq!(iframe_count(), frames_before);
    assert_eq!(live(), Some(0.0), "the message listener was removed");
    // Calls after destroy still settle, with a typed error.
    let after = settle(call(&client, "createSession", &[js(json!({ "pan": "4000020000000000" }))])).await;
    assert_eq!(error_code(&after.unwrap_err()), "destroyed");
}

#[wasm_bindgen_test]
async fn bad_options_and_a_missing_host_settle_with_typed_errors() {
    let bad = load_with(json!({ "apiBaseUrl": "not a url", "publishableKey": PK })).await;
    assert_eq!(error_code(&bad.unwrap_err()), "invalid_argument");
    let secret = load_with(json!({ "apiBaseUrl": server_origin(), "publishableKey": SK })).await;
    assert_eq!(error_code(&secret.unwrap_err()), "invalid_argument", "a secret key is refused in the browser");
    let frames_before = iframe_count();
    let missing = load_with(json!({
        "apiBaseUrl": server_origin(), "publishableKey": PK,
        "hostUrl": format!("{}/no-such-host.html", host_origin()), "readyTimeoutMs": 500
    }))
    .await;
    assert_eq!(error_code(&missing.unwrap_err()), "host_unavailable");
    assert_eq!(iframe_count(), frames_before, "the failed client cleaned up");
    let client = load().await;
    let neither = settle(call(&client, "createSession", &[js(json!({}))])).await;
    assert_eq!(error_code(&neither.unwrap_err()), "invalid_argument");
    // One flow at a time per client: the second call is refused, the first goes on.
    let first = call(&client, "createSession", &[js(json!({ "pan": "4000020000000000" }))]);
    let second = settle(call(&client, "createSession", &[js(json!({ "pan": "4000020000000000" }))])).await;
    assert_eq!(error_code(&second.unwrap_err()), "busy");
    assert!(settle(first).await.is_ok());
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn two_clients_run_side_by_side() {
    let (a, b) = (load().await, load().await);
    let (events_a, events_b) = (record(&a), record(&b));
    let pending_a = settle(call(&a, "createSession", &[js(json!({ "pan": "4000020000000000" }))]));
    let pending_b = settle(call(&b, "createSession", &[js(json!({ "pan": "4005562231212123" }))]));
    // Both flows are already running; awaiting one after the other does not serialise them.
    let (result_a, result_b) = (pending_a.await, pending_b.await);
    let (result_a, result_b) = (rust(&result_a.unwrap()), rust(&result_b.unwrap()));
    assert_ne!(result_a["sessionId"], result_b["sessionId"]);
    assert_eq!((result_a["methodCompletionIndicator"].as_str(), result_b["methodCompletionIndicator"].as_str()), (Some("Y"), Some("U")));
    // Each saw only its own method events; the other's messages were ignored as from another window.
    assert_eq!(named(&events_a, "method-completed").len(), 1);
    assert_eq!(named(&events_b, "method-completed").len(), 1);
    assert!(named(&events_a, "debug").iter().any(|d| d["ignored"] == "message from an unexpected window"), "{:?}", events_a.borrow());
    call(&a, "destroy", &[]);
    call(&b, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn foreign_malformed_duplicate_and_other_flow_messages_never_settle() {
    let client = load_with(json!({
        "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": format!("{}/__test__/puppet-host.html", host_origin())
    }))
    .await
    .expect("the puppet host says ready");
    let events = record(&client);
    let settled = Rc::new(RefCell::new(Vec::<Result<Value, String>>::new()));
    let pending = call(&client, "createSession", &[js(json!({ "pan": "4000020000000000" }))]);
    {
        let settled = settled.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = settle(pending).await.map(|v| rust(&v)).map_err(|e| error_code(&e));
            settled.borrow_mut().push(outcome);
        });
    }
    let puppet = document()
        .query_selector("iframe[src*='puppet-host.html']")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlIFrameElement>()
        .unwrap()
        .content_window()
        .unwrap();
    let completion = |session: &str| {
        json!({ "protocol": "threeds-web", "version": 2, "kind": "resolved", "flow": 1, "value": { "sessionId": session,
                "threeDSServerTransId": "t", "methodCompletionIndicator": "Y", "recommendedVersion": "2.2.0" } })
    };
    let messages = json!([
        { "hello": "not ours" },
        { "protocol": "threeds-web", "version": 2, "kind": "resolved", "flow": 1 },
        { "protocol": "threeds-web", "version": 9, "kind": "ready" },
        { "protocol": "threeds-web", "version": 2, "kind": "resolved", "flow": 7, "value": { "sessionId": "other",
          "threeDSServerTransId": "t", "methodCompletionIndicator": "Y", "recommendedVersion": "2.2.0" } },
        completion("first"),
        completion("second"),
    ]);
    puppet.post_message(&js(json!({ "puppet": "post", "messages": messages })), host_origin()).unwrap();
    // A message from this page itself: right shape, wrong origin and window.
    web_sys::window().unwrap().post_message(&js(completion("from-the-page")), "*").unwrap();
    wait_until("the completion", || !settled.borrow().is_empty()).await;
    sleep(300).await;
    let settled = settled.borrow();
    assert_eq!(settled.len(), 1, "settled exactly once");
    assert_eq!(settled[0].as_ref().unwrap()["sessionId"], "first");
    let ignored: Vec<String> = named(&events, "debug").iter().filter_map(|d| d["ignored"].as_str().map(str::to_owned)).collect();
    for expected in [
        "not a threeds-web message",
        "malformed threeds-web message",
        "threeds-web message of unsupported version 9",
        "message for another flow or transaction",
        "duplicate message for a settled flow",
        "message from unexpected origin",
    ] {
        assert!(ignored.iter().any(|i| i.starts_with(expected)), "no {expected:?} in {ignored:?}");
    }
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn commands_go_to_the_host_origin_only() {
    // The puppet records what it received: the embed's typed, versioned command.
    let client = load_with(json!({
        "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": format!("{}/__test__/puppet-host.html", host_origin())
    }))
    .await
    .unwrap();
    let pending = call(&client, "createSession", &[js(json!({ "pan": "4000020000000000", "methodTimeoutMs": 1234 }))]);
    let frame: HtmlIFrameElement = document().query_selector("iframe[src*='puppet-host.html']").unwrap().unwrap().dyn_into().unwrap();
    let url = web_sys::Url::new(&frame.src()).unwrap();
    assert_eq!(url.search_params().get("parent"), Some(web_sys::window().unwrap().location().origin().unwrap()));
    let replies = Rc::new(RefCell::new(Vec::<Value>::new()));
    let listener = {
        let replies = replies.clone();
        gloo_events::EventListener::new(&web_sys::window().unwrap(), "message", move |event| {
            let data = rust(&event.dyn_ref::<web_sys::MessageEvent>().unwrap().data());
            if data.get("puppetCommands").is_some() {
                replies.borrow_mut().push(data);
            }
        })
    };
    frame.content_window().unwrap().post_message(&js(json!({ "puppet": "commands" })), host_origin()).unwrap();
    wait_until("the puppet's record", || !replies.borrow().is_empty()).await;
    drop(listener);
    let commands = replies.borrow()[0]["puppetCommands"].clone();
    assert_eq!((&commands[0]["kind"], &commands[0]["call"]), (&json!("call"), &json!("createSession")), "{commands}");
    assert_eq!(commands[0]["protocol"], "threeds-web");
    assert_eq!(commands[0]["version"], threeds_api::VERSION);
    assert_eq!(commands[0]["methodTimeoutMs"], 1234);
    let options: Value = serde_json::from_str(commands[0]["options"].as_str().expect("the options as JSON text")).unwrap();
    assert_eq!(options["publishableKey"], PK, "the client's key goes with the session API's calls");
    call(&client, "cancel", &[]);
    assert_eq!(error_code(&settle(pending).await.unwrap_err()), "cancelled");
    call(&client, "destroy", &[]);
}

/// `preload({ hostUrl, locale })`, as a page calls it first: its remover, or its error.
async fn preload(options: Value) -> Result<Function, JsValue> {
    common::preload(js(options)).await.map(JsCast::unchecked_into)
}

fn host_options(extra: Value) -> Value {
    let mut options = json!({ "apiBaseUrl": server_origin(), "publishableKey": PK, "hostUrl": format!("{}/host.html", host_origin()) });
    options.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    options
}

/// A frame the client took (`preload`'s, or the page's declared one) is its
/// background frame, made as it makes its own (the same attributes and style as
/// its spare, whose page is the same URL, from the cache), and it serves calls.
async fn assert_serves_as_the_clients_own(taken: &HtmlIFrameElement, client: &JsValue) {
    let spare = spare_frame();
    assert!(!spare.is_same_node(Some(taken)), "the taken frame is the background frame");
    for name in ["allow", "title", "aria-hidden", "tabindex"] {
        assert_eq!(taken.get_attribute(name), spare.get_attribute(name), "{name}");
    }
    assert_eq!(taken.style().css_text(), spare.style().css_text());
    // The same URL, `app=parent` included or not: a declared frame that fetches its
    // own app has a spare that does too (the app is in their cache), never a second
    // download by the page.
    assert_eq!(spare.src(), format!("{}#spare", taken.src()), "the spare's page is the taken frame's");
    let info = rust(&settle(call(client, "collectBrowserInfo", &[js(json!({ "messageVersion": "2.2.0" }))])).await.expect("browser info"));
    assert_eq!(info["browserJavascriptEnabled"], true, "{info}");
}

#[wasm_bindgen_test]
async fn load_takes_the_frame_preload_started_with_its_ready() {
    let live = count_message_listeners();
    let (frames_before, host_before) = (iframe_count(), host_frames().len());
    preload(json!({ "hostUrl": format!("{}/host.html", host_origin()), "locale": "fr-CA" })).await.expect("preload starts the frame");
    assert_eq!(host_frames().len(), host_before + 1, "one frame, before any client");
    let started = host_frames().pop().unwrap();
    assert_eq!(live(), Some(1.0), "preload listens for the frame's ready");
    // The host app starts and says ready before any client listens: `load` must take
    // that ready from preload (it comes once: without it, load rejects after readyTimeoutMs).
    wait_for_message_from(&started, "the started frame's ready").await;
    let client = load_with(host_options(json!({ "locale": "fr", "readyTimeoutMs": 3000 }))).await.expect("the client loads on the kept ready");
    assert!(started.is_connected(), "the started frame is the client's");
    wait_for_host_frames(host_before + 2, "the started frame and a spare, no second background frame").await;
    assert_eq!(live(), Some(1.0), "preload's listener gave way to the client's");
    assert_serves_as_the_clients_own(&started, &client).await;
    call(&client, "destroy", &[]);
    assert!(!started.is_connected(), "destroy removed it with the client's frames");
    assert_eq!(iframe_count(), frames_before);
    assert_eq!(live(), Some(0.0));
}

#[wasm_bindgen_test]
async fn a_preloaded_frame_no_client_can_take_goes_and_bad_input_throws() {
    let live = count_message_listeners();
    let (frames_before, host_before) = (iframe_count(), host_frames().len());
    let page = format!("{}/host.html", host_origin());
    // Another locale than load's: removed when load starts, and load makes its own frame.
    preload(json!({ "hostUrl": page, "locale": "de" })).await.unwrap();
    let german = host_frames().pop().unwrap();
    let client = load_with(host_options(json!({ "locale": "fr" }))).await.expect("the client loads");
    assert!(!german.is_connected(), "a frame speaking another locale is removed");
    wait_for_host_frames(host_before + 2, "its own background frame and spare").await;
    call(&client, "destroy", &[]);
    // Another page: the same.
    preload(json!({ "hostUrl": format!("{page}?v=2") })).await.unwrap();
    let other = host_frames().pop().unwrap();
    let client = load().await;
    assert!(!other.is_connected(), "a frame of another host page is removed");
    call(&client, "destroy", &[]);
    // A load that rejects its options: the frame goes with it.
    preload(json!({ "hostUrl": page })).await.unwrap();
    let refused = host_frames().pop().unwrap();
    assert_eq!(
        error_code(&load_with(json!({ "apiBaseUrl": "not a url", "publishableKey": PK, "hostUrl": page })).await.unwrap_err()),
        "invalid_argument"
    );
    assert!(!refused.is_connected(), "a rejected load removes it");
    // A frame the page removed is not handed to a client, which frames its own.
    preload(json!({ "hostUrl": page })).await.unwrap();
    host_frames().pop().unwrap().remove();
    let client = load_with(host_options(json!({ "readyTimeoutMs": 3000 }))).await.expect("the client loads with a frame of its own");
    wait_for_host_frames(host_before + 2, "its own background frame and spare").await;
    call(&client, "destroy", &[]);
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)), "no frame or listener left");

    // The remover; a second call with the same options keeps the frame; with others, replaces it.
    let remove = preload(json!({ "hostUrl": page })).await.unwrap();
    let first = host_frames().pop().unwrap();
    preload(json!({ "hostUrl": page })).await.unwrap();
    assert_eq!((host_frames().len(), live()), (host_before + 1, Some(1.0)), "the same options: the frame already started");
    remove.call0(&JsValue::NULL).unwrap();
    assert!(!first.is_connected());
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)), "the remover took the frame and its listener");
    preload(json!({ "hostUrl": page, "locale": "nl" })).await.unwrap();
    let dutch = host_frames().pop().unwrap();
    let remove = preload(json!({ "hostUrl": page, "locale": "pl" })).await.unwrap();
    assert!(!dutch.is_connected(), "replaced");
    assert_eq!((host_frames().len(), live()), (host_before + 1, Some(1.0)));
    remove.call0(&JsValue::NULL).unwrap();
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)));

    for (options, message) in [
        (json!({ "hostUrl": "http://sdk.example/host.html" }), "https"),
        (json!({ "hostUrl": "https://[bad" }), "absolute http(s) URL"),
        (json!({ "hostUrl": "ftp://sdk.example/host.html" }), "absolute http(s) URL"),
        (json!({ "hostUrl": 5 }), "string"),
        (json!({ "locale": ["fr"] }), "locale"),
        (json!("https://sdk.example/host.html"), "object"),
    ] {
        let error = preload(options.clone()).await.expect_err("bad input throws");
        assert_eq!(error_code(&error), "invalid_argument", "{options}");
        let text = String::from(error.unchecked_ref::<js_sys::Error>().message());
        assert!(text.contains(message), "{options}: {text}");
    }
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)), "nothing started on bad input");
}

/// The `allow` of a host frame, as the README's declared frame writes it.
const HOST_FRAME_ALLOW: &str = "payment; publickey-credentials-get; publickey-credentials-create";

/// A host frame as a page declares it in its HTML (README, "Start the host frame
/// in your HTML"): hidden, its page's `?parent=` and `locale`, the host frame's `allow`.
fn declare_host_frame(src: &str, allow: &str) -> HtmlIFrameElement {
    let frame: HtmlIFrameElement = document().create_element("iframe").unwrap().dyn_into().unwrap();
    for (name, value) in [("data-threeds-host", ""), ("hidden", ""), ("allow", allow), ("title", "3-D Secure")] {
        frame.set_attribute(name, value).unwrap();
    }
    frame.set_src(src);
    document().body().unwrap().append_child(&frame).unwrap();
    frame
}

/// Waits until `frame`'s window has posted this page a message (its app's `ready`).
async fn wait_for_message_from(frame: &HtmlIFrameElement, what: &str) {
    let heard = Heard::from(frame);
    wait_until(what, || !heard.kinds().is_empty()).await;
}

#[wasm_bindgen_test]
async fn load_takes_the_host_frame_the_page_declared_and_asks_it_to_say_ready_again() {
    let live = count_message_listeners();
    let (frames_before, host_before) = (iframe_count(), host_frames().len());
    let parent = this_page_as_parent();
    let page = format!("{}/host.html", host_origin());
    let declared = declare_host_frame(&format!("{page}?parent={parent}&locale=fr"), HOST_FRAME_ALLOW);
    // Its app starts and says ready while nothing of the SDK listens: that ready is
    // lost, and only the `hello` the SDK sends when it takes the frame brings another
    // (without it, load rejects after readyTimeoutMs).
    wait_for_message_from(&declared, "the declared frame's first ready").await;
    assert_eq!(live(), Some(0.0), "nothing of the SDK listened");
    let client =
        load_with(host_options(json!({ "locale": "fr-CA", "readyTimeoutMs": 3000 }))).await.expect("the client loads on the ready hello asked for");
    assert!(declared.is_connected(), "the declared frame is the client's");
    wait_for_host_frames(host_before + 2, "the declared frame and a spare, no background frame of its own").await;
    // Hidden as the client hides its own frames (CSSOM, not `hidden`), and taken once.
    assert!(!declared.has_attribute("hidden") && !declared.has_attribute("data-threeds-host"));
    assert_serves_as_the_clients_own(&declared, &client).await;
    call(&client, "destroy", &[]);
    assert!(!declared.is_connected(), "destroy removed it with the client's frames");
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)));

    // Declared otherwise than a host frame must be: removed, and the client frames its own.
    let right = format!("{page}?parent={parent}&locale=fr");
    let denied = "payment 'none'; publickey-credentials-get; publickey-credentials-create";
    for (src, allow, attribute, why) in [
        (format!("{page}?parent=https%3A%2F%2Fshop.example&locale=fr"), HOST_FRAME_ALLOW, None, "another page's origin as parent"),
        (right.clone(), "payment", None, "without the allow a host frame needs"),
        (right.clone(), denied, None, "a feature allowed to no one"),
        (right.clone(), HOST_FRAME_ALLOW, Some("sandbox"), "sandboxed"),
        (right.clone(), HOST_FRAME_ALLOW, Some("credentialless"), "without its cookies"),
        (format!("http://sdk.example/host.html?parent={parent}&locale=fr"), HOST_FRAME_ALLOW, None, "http off loopback"),
        (format!("{page}?v=2&parent={parent}&locale=fr"), HOST_FRAME_ALLOW, None, "another host page"),
        (format!("{page}?parent={parent}&locale=de"), HOST_FRAME_ALLOW, None, "another locale than load's"),
    ] {
        let wrong = declare_host_frame(&src, allow);
        if let Some(name) = attribute {
            wrong.set_attribute(name, "").unwrap();
        }
        let client = load_with(host_options(json!({ "locale": "fr", "readyTimeoutMs": 3000 }))).await.expect(why);
        assert!(!wrong.is_connected(), "{why}: removed");
        wait_for_host_frames(host_before + 2, &format!("{why}: the client's own background frame and spare")).await;
        call(&client, "destroy", &[]);
    }
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)));

    // Two declared: a wrong one first, then a right one: the right one is taken, the wrong one removed.
    let wrong = declare_host_frame(&right, "payment");
    let declared = declare_host_frame(&right, HOST_FRAME_ALLOW);
    let client = load_with(host_options(json!({ "locale": "fr", "readyTimeoutMs": 3000 }))).await.expect("the client loads");
    assert!(!wrong.is_connected() && declared.is_connected(), "the right frame is taken, the wrong one removed");
    wait_for_host_frames(host_before + 2, "the declared frame and a spare").await;
    assert!(!spare_frame().is_same_node(Some(&declared)));
    call(&client, "destroy", &[]);
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)));

    // preload() takes it too: its locale is the page's, unless preload names another.
    let declared = declare_host_frame(&format!("{page}?parent={parent}&locale=nl"), HOST_FRAME_ALLOW);
    preload(json!({ "hostUrl": page })).await.unwrap();
    assert!(declared.is_connected(), "taken");
    assert_eq!((host_frames().len(), live()), (host_before + 1, Some(1.0)), "preload listens to the declared frame");
    let remove = preload(json!({ "hostUrl": page, "locale": "de" })).await.unwrap();
    assert!(!declared.is_connected(), "another locale named: replaced");
    remove.call0(&JsValue::NULL).unwrap();
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)), "no frame or listener left");
}

/// Records each read of `frame.contentWindow` (an own getter over the prototype's)
/// as `before` or `after` the frame had its page: its `load`, or a first message
/// from its window (its app may say ready before its page's load). The returned
/// function lists them. Its own listener is not one the listener count sees, and
/// runs before the SDK's (capture).
fn spy_on_window_reads(frame: &HtmlIFrameElement) -> Function {
    Function::new_with_args(
        "frame",
        "var reads = [], shown = false, origin = new URL(frame.src).origin;
         var get = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow').get;
         frame.addEventListener('load', function () { shown = true; });
         EventTarget.prototype.addEventListener.call(window, 'message', function (event) {
           if (event.origin === origin && event.source === get.call(frame)) shown = true;
         }, true);
         Object.defineProperty(frame, 'contentWindow', { configurable: true, get: function () {
           reads.push(shown ? 'after' : 'before');
           return get.call(this);
         } });
         return function () { return reads.join(' '); };",
    )
    .call1(&JsValue::NULL, frame)
    .unwrap()
    .dyn_into()
    .unwrap()
}

#[wasm_bindgen_test]
async fn a_declared_frame_s_window_is_left_alone_until_its_page_loads() {
    let live = count_message_listeners();
    let frames_before = iframe_count();
    // As while a checkout page is still being parsed: the declared frame has not loaded.
    let parsing = Function::new_with_args(
        "parsing",
        "if (parsing) Object.defineProperty(document, 'readyState', { configurable: true, get: function () { return 'loading'; } });
         else delete document.readyState;",
    );
    parsing.call1(&JsValue::NULL, &true.into()).unwrap();
    let parent = this_page_as_parent();
    let page = format!("{}/host.html", host_origin());
    // A locale no other test's frame loads: the page's resource timings list every frame's navigation.
    let declared = declare_host_frame(&format!("{page}?parent={parent}&locale=pt"), HOST_FRAME_ALLOW);
    let reads = spy_on_window_reads(&declared);
    let reads = || reads.call0(&JsValue::NULL).unwrap().as_string().unwrap();
    preload(json!({ "hostUrl": page })).await.unwrap();
    // Reading a frame's window before its page commits makes the browser build a
    // script context for its empty first document, on the page's main thread.
    assert_eq!(reads(), "", "preload took the frame without reading its window");
    assert_eq!(live(), Some(2.0), "preload's listener, and the one that tells whether the frame said ready by its load");
    let client = load_with(host_options(json!({ "locale": "pt", "readyTimeoutMs": 3000 }))).await.expect("the client loads from the declared frame");
    assert!(declared.is_connected(), "taken");
    wait_until("a read once the declared frame had its page", || reads().contains("after")).await;
    assert!(!reads().contains("before"), "no read of its window before it had its page: {}", reads());
    // The client's listener alone, once the frame's load took the hello's.
    wait_until("the hello's listener gone at the frame's load", || live() == Some(1.0)).await;

    // A message of another origin than the host's is ignored without a look at any
    // frame's window (dispatched here, so the listeners run within this call).
    let events = record(&client);
    let seen = reads();
    Function::new_no_args("dispatchEvent(new MessageEvent('message', { data: {}, origin: 'https://elsewhere.example', source: window }));")
        .call0(&JsValue::NULL)
        .unwrap();
    assert_eq!(reads(), seen, "no frame's window read for a message of another origin");
    let ignored = named(&events, "debug");
    assert!(ignored.iter().any(|d| d["ignored"] == "message from unexpected origin https://elsewhere.example"), "{ignored:?}");

    parsing.call1(&JsValue::NULL, &false.into()).unwrap();
    call(&client, "destroy", &[]);
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)), "no frame or listener left");
}

/// The messages a frame's window posts this page, as JSON, while this lives.
struct Heard {
    said: Rc<RefCell<Vec<Value>>>,
    watch: Closure<dyn Fn(web_sys::MessageEvent)>,
}

impl Heard {
    fn from(frame: &HtmlIFrameElement) -> Self {
        let said = Rc::new(RefCell::new(Vec::new()));
        let watch = {
            let (said, source) = (said.clone(), frame.content_window().unwrap());
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if event.source().is_some_and(|from| JsValue::from(from) == JsValue::from(&source)) {
                    said.borrow_mut().push(rust(&event.data()));
                }
            })
        };
        window().add_event_listener_with_callback("message", watch.as_ref().unchecked_ref()).unwrap();
        Self { said, watch }
    }

    /// Each message's `kind`, in order.
    fn kinds(&self) -> Vec<String> {
        self.said.borrow().iter().map(|message| message["kind"].as_str().unwrap_or("?").to_owned()).collect()
    }
}

impl Drop for Heard {
    fn drop(&mut self) {
        window().remove_event_listener_with_callback("message", self.watch.as_ref().unchecked_ref()).unwrap();
    }
}

/// A host frame this page makes itself (no client of the SDK takes it), at `page`
/// with this page as its parent and `app=parent`: it asks this page for its app.
fn asking_host_frame(page: &str) -> HtmlIFrameElement {
    let parent = this_page_as_parent();
    let frame: HtmlIFrameElement = document().create_element("iframe").unwrap().dyn_into().unwrap();
    frame.set_src(&format!("{page}?parent={parent}&locale=en&app=parent"));
    document().body().unwrap().append_child(&frame).unwrap();
    frame
}

/// Bytes fetched from `url` (an ArrayBuffer).
async fn fetched(url: &str) -> JsValue {
    let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(window().fetch_with_str(url)).await.unwrap().dyn_into().unwrap();
    assert!(response.ok(), "{url}: HTTP {}", response.status());
    wasm_bindgen_futures::JsFuture::from(response.array_buffer().unwrap()).await.unwrap()
}

fn post_app(to: &web_sys::Window, wasm: &JsValue) {
    let message = js(json!({ "protocol": "threeds-web", "version": 2, "kind": "app" }));
    Reflect::set(&message, &"wasm".into(), wasm).unwrap();
    to.post_message(&message, host_origin()).unwrap();
}

#[wasm_bindgen_test]
async fn a_host_frame_runs_the_app_its_page_posts_only_when_it_is_its_release_s() {
    // (Under a name of its own: the SDK's one fetch of the app is another test's to count.)
    let app = fetched(&format!("{}/threeds-host_bg.wasm?as=test", host_origin())).await;
    // A well-formed module, but not the release's: the smallest there is (magic and version).
    let other_wasm: JsValue = js_sys::Uint8Array::from(&b"\0asm\x01\0\0\0"[..]).buffer().into();
    // `__fed__/host.html` has no wasm beside it: a frame of it runs only what its
    // page posts, or what a frame of it kept. None has run here yet.
    let fed_page = format!("{}/__fed__/host.html", host_origin());

    // It asks, and waits. A wasm that is not its release's app is not run: with
    // none of its own to fetch, it never starts.
    let frame = asking_host_frame(&fed_page);
    let heard = Heard::from(&frame);
    wait_until("the frame asks for its app", || !heard.kinds().is_empty()).await;
    assert_eq!(heard.said.borrow()[0], json!({ "protocol": "threeds-web", "version": 2, "kind": "app-wanted" }));
    post_app(&frame.content_window().unwrap(), &other_wasm);
    sleep(1500).await;
    assert_eq!(heard.kinds(), ["app-wanted"], "another wasm is not run");
    frame.remove();

    // Its release's app, from a window of this page's origin other than its parent:
    // not looked at.
    let frame = asking_host_frame(&fed_page);
    let heard = Heard::from(&frame);
    wait_until("the frame asks for its app", || !heard.kinds().is_empty()).await;
    let sibling: HtmlIFrameElement = document().create_element("iframe").unwrap().dyn_into().unwrap();
    document().body().unwrap().append_child(&sibling).unwrap();
    let make: Function = Reflect::get(&sibling.content_window().unwrap(), &"Function".into()).unwrap().dyn_into().unwrap();
    let body = "to.postMessage({ protocol: 'threeds-web', version: 2, kind: 'app', wasm }, origin);";
    let from_sibling: Function = make.call2(&JsValue::NULL, &"to, origin, wasm".into(), &body.into()).unwrap().dyn_into().unwrap();
    from_sibling.call3(&JsValue::NULL, &frame.content_window().unwrap(), &host_origin().into(), &app).unwrap();
    sleep(1500).await;
    assert_eq!(heard.kinds(), ["app-wanted"], "no app from a window not its parent");
    // From its parent, it runs: ready (and none of its own is beside its page).
    post_app(&frame.content_window().unwrap(), &app);
    wait_until("ready on the app its parent posted", || heard.kinds().contains(&"ready".to_owned())).await;
    // It keeps the app once it started and its page is idle: given the time to write it.
    sleep(500).await;
    sibling.remove();
    frame.remove();

    // The next frame of that page starts on the app the last one kept, asking nothing.
    let frame = asking_host_frame(&fed_page);
    let heard = Heard::from(&frame);
    wait_until("ready on the kept app", || !heard.kinds().is_empty()).await;
    assert_eq!(heard.kinds(), ["ready"], "started without asking its page");
    frame.remove();

    // Beside its own wasm (and with none kept for that page: the store keeps one
    // page's), it refuses another wasm and starts on its own; likewise when its page
    // has none to give (null).
    for (wasm, why) in [(other_wasm, "another wasm"), (JsValue::NULL, "no bytes")] {
        let frame = asking_host_frame(&format!("{}/host.html", host_origin()));
        let heard = Heard::from(&frame);
        wait_until("the frame asks for its app", || !heard.kinds().is_empty()).await;
        assert_eq!(heard.kinds(), ["app-wanted"], "{why}");
        post_app(&frame.content_window().unwrap(), &wasm);
        wait_until(&format!("{why}: ready on its own app"), || heard.kinds().contains(&"ready".to_owned())).await;
        frame.remove();
    }
}

#[wasm_bindgen_test]
async fn the_client_fetches_the_host_app_once_for_all_its_frames() {
    let host_before = host_frames().len();
    let client = load().await;
    wait_for_host_frames(host_before + 2, "the background frame and the spare").await;
    for frame in host_frames() {
        assert!(frame.src().contains("&app=parent"), "{}: asks the page for its app", frame.src());
    }
    let info = rust(&settle(call(&client, "collectBrowserInfo", &[js(json!({ "messageVersion": "2.2.0" }))])).await.expect("browser info"));
    assert_eq!(info["browserJavascriptEnabled"], true, "{info}");
    // This page fetched the app once, for every frame of every client it made
    // (this test's, and the earlier tests' in the same page): the frames fetched none.
    let count = Function::new_with_args("url", "return performance.getEntriesByName(url, 'resource').length;");
    let fetches = count.call1(&JsValue::NULL, &format!("{}/threeds-host_bg.wasm", host_origin()).into()).unwrap().as_f64();
    assert_eq!(fetches, Some(1.0), "one fetch of the host app by this page");
    call(&client, "destroy", &[]);
}

#[wasm_bindgen_test]
async fn a_declared_frame_that_asked_before_the_sdk_listened_gets_its_app() {
    let live = count_message_listeners();
    let (frames_before, host_before) = (iframe_count(), host_frames().len());
    let parent = this_page_as_parent();
    // The host app kept in the host origin's store is another page's (it keeps one
    // page's: a frame of `__fed_declared__/host.html` keeps the app posted to it), so
    // a frame of the host page asks for its app.
    let other = asking_host_frame(&format!("{}/__fed_declared__/host.html", host_origin()));
    let heard = Heard::from(&other);
    wait_until("the other page's frame asks", || !heard.kinds().is_empty()).await;
    post_app(&other.content_window().unwrap(), &fetched(&format!("{}/threeds-host_bg.wasm?as=test", host_origin())).await);
    wait_until("the other page's frame runs", || heard.kinds().contains(&"ready".to_owned())).await;
    drop(heard);
    sleep(500).await; // the kept app is written once the frame started
    other.remove();
    let page = format!("{}/host.html", host_origin());
    let declared = declare_host_frame(&format!("{page}?parent={parent}&locale=it&app=parent"), HOST_FRAME_ALLOW);
    // Its question comes while nothing of the SDK listens, and is lost.
    let heard = Heard::from(&declared);
    wait_until("the declared frame asks for its app", || !heard.kinds().is_empty()).await;
    assert_eq!(heard.kinds(), ["app-wanted"]);
    drop(heard);
    assert_eq!(live(), Some(0.0), "nothing of the SDK listened");
    let client = load_with(host_options(json!({ "locale": "it", "readyTimeoutMs": 3000 })))
        .await
        .expect("the client loads: the SDK gave the frame its app unasked");
    assert!(declared.is_connected(), "the declared frame is the client's");
    wait_for_host_frames(host_before + 2, "the declared frame and a spare").await;
    assert_serves_as_the_clients_own(&declared, &client).await;
    call(&client, "destroy", &[]);
    assert_eq!((iframe_count(), live()), (frames_before, Some(0.0)), "no frame or listener left");
}
