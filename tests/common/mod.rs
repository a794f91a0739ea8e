//! What the browser test files share: the mock's origins and keys, JS <-> JSON,
//! and calling the JS API as a checkout page does. Each test binary uses a part.
#![allow(dead_code)]

use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Promise, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Window;

/// The mock's publishable key.
pub const PK: &str = "pk_test_threeds_mock";
/// The mock's secret key (these tests play the merchant's server too).
pub const SK: &str = "sk_test_threeds_mock";

/// The mock's 3DS Server origin. Read when the tests are built (./x test exports
/// it), not when they run in the browser.
pub fn server_origin() -> &'static str {
    match option_env!("THREEDS_MOCK_SERVER_ORIGIN") {
        Some(origin) => origin,
        None => panic!("THREEDS_MOCK_SERVER_ORIGIN: run the browser tests through ./x test, which starts threeds-mock"),
    }
}

/// The SDK host origin (the built `dist/`, plus the test pages under `/__test__/`).
pub fn host_origin() -> &'static str {
    match option_env!("THREEDS_MOCK_HOST_ORIGIN") {
        Some(origin) => origin,
        None => panic!("THREEDS_MOCK_HOST_ORIGIN: run the browser tests through ./x test"),
    }
}

/// A JSON value as a plain JS object.
pub fn js(value: Value) -> JsValue {
    serde::Serialize::serialize(&value, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

/// A JS value as JSON (`null` when it is not representable).
pub fn rust(value: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(value.clone()).unwrap_or(Value::Null)
}

/// An object's keys, sorted: an event detail's shape, as the `.d.ts` declares it.
pub fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().map(|object| object.keys().map(String::as_str).collect()).unwrap_or_default();
    keys.sort_unstable();
    keys
}

/// The test page's window.
pub fn window() -> Window {
    web_sys::window().unwrap()
}

/// The test page's document.
pub fn document() -> web_sys::Document {
    window().document().unwrap()
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// Calls a method of a JS object, as a checkout page would.
pub fn call(target: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let function: Function = Reflect::get(target, &method.into()).unwrap().dyn_into().unwrap();
    let array: js_sys::Array = args.iter().collect();
    function.apply(target, &array).unwrap()
}

/// Awaits a promise.
pub async fn settle(promise: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(promise.dyn_into::<Promise>().unwrap()).await
}

/// The `code` of a rejected promise's error.
pub fn error_code(error: &JsValue) -> String {
    Reflect::get(error, &"code".into()).ok().and_then(|c| c.as_string()).unwrap_or_default()
}

/// The merchant server's part: authenticate with the secret key (never the embed's).
pub async fn authenticate(session_id: &str) -> Value {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(
        &json!({
            "authentication_category": "payment", "authentication_type": "payment-transaction",
            "merchant_info": { "mid": "1", "acquirer_bin": "000000999", "name": "Test shop", "category_code": "5999", "country_code": "826" },
            "requestor_info": { "amex_requestor_type": "MER" },
            "purchase_info": { "amount": "1000", "currency": "978", "exponent": "2" },
            "cardholder_info": {}
        })
        .to_string(),
    ));
    let request = web_sys::Request::new_with_str_and_init(&format!("{}/3ds/sessions/{session_id}/authenticate", server_origin()), &init).unwrap();
    request.headers().set("Authorization", &format!("Bearer {SK}")).unwrap();
    request.headers().set("Content-Type", "application/json").unwrap();
    let response: web_sys::Response = JsFuture::from(web_sys::window().unwrap().fetch_with_request(&request)).await.unwrap().dyn_into().unwrap();
    let text = JsFuture::from(response.text().unwrap()).await.unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Takes `Element.prototype.moveBefore` away, as in a browser without it (the
/// embed then gives each challenge a fresh host frame); the function returned puts
/// it back.
pub fn without_move_before() -> Function {
    Function::new_no_args(
        "var kept = Object.getOwnPropertyDescriptor(Element.prototype, 'moveBefore');
         delete Element.prototype.moveBefore;
         return function () { if (kept) Object.defineProperty(Element.prototype, 'moveBefore', kept); };",
    )
    .call0(&JsValue::NULL)
    .unwrap()
    .dyn_into()
    .unwrap()
}

#[wasm_bindgen(inline_js = "export function import_module(url) { return import(url); }")]
extern "C" {
    /// `import(url)`: the module's namespace.
    fn import_module(url: &str) -> Promise;
}

thread_local! {
    static EMBED: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

/// The embed as a checkout page loads it: the built `threeds-web.js` on the SDK
/// host origin (a cross-origin module), imported once per test page.
pub async fn embed() -> JsValue {
    if let Some(module) = EMBED.with(|embed| embed.borrow().clone()) {
        return module;
    }
    let module = JsFuture::from(import_module(&format!("{}/threeds-web.js", host_origin()))).await.expect("threeds-web.js imports");
    EMBED.with(|embed| *embed.borrow_mut() = Some(module.clone()));
    module
}

/// `ThreeDS`, the embed's entry point.
pub async fn three_ds() -> JsValue {
    Reflect::get(&embed().await, &"ThreeDS".into()).unwrap()
}

/// `ThreeDS.load(options)`: its promise, not awaited.
pub async fn start_load(options: JsValue) -> JsValue {
    call(&three_ds().await, "load", &[options])
}

/// `ThreeDS.readReturn(location)`: what it returns, or what it throws.
pub async fn read_return(location: &[JsValue]) -> Result<JsValue, JsValue> {
    let three_ds = three_ds().await;
    let function: Function = Reflect::get(&three_ds, &"readReturn".into()).unwrap().dyn_into().unwrap();
    function.apply(&three_ds, &location.iter().collect())
}

/// `preload(options)`: the function it returns, or what it throws.
pub async fn preload(options: JsValue) -> Result<JsValue, JsValue> {
    let function: Function = Reflect::get(&embed().await, &"preload".into()).unwrap().dyn_into().unwrap();
    function.call1(&JsValue::NULL, &options)
}
