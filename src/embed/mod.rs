//! The embed: the JS API a checkout page loads (`ThreeDS.load` -> `ThreeDSClient`).
//!
//! It frames only our SDK host page, sends it typed commands, and settles each
//! promise exactly once from the ONE completion message of that flow, accepted
//! only from the flow's own host frame window and origin. Every frame, listener
//! and timer a flow creates is owned by that flow and dropped when it settles.

mod js;
mod layout;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlIFrameElement, MessageEvent, Window};

use layout::{ChallengeUi, Mode};
use threeds_api::{Command, ErrorCode, FlowId, Ignored, Report};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface LoadOptions {
  /** Base URL of the 3DS session API, e.g. "https://api.example.com". */
  apiBaseUrl: string;
  /** The publishable key: it may only create and read sessions. */
  publishableKey: string;
  /** URL of the SDK host page (our origin); defaults to host.html beside the script. */
  hostUrl?: string;
  /** How long to wait for the host frame to start, ms (default 10000). */
  readyTimeoutMs?: number;
}
export interface CreateSessionOptions {
  pan?: string;
  tokenId?: string;
  /** The 3DS Method's wait before going on with "N", ms (default 10000). */
  methodTimeoutMs?: number;
}
export interface SessionResult {
  sessionId: string;
  threeDSServerTransId: string;
  methodCompletionIndicator: "Y" | "N" | "U";
  recommendedVersion: string;
  cardBrand?: string;
}
export type WindowSize = "01" | "02" | "03" | "04" | "05" | "auto";
export interface StartChallengeOptions {
  sessionId: string;
  acsChallengeUrl: string;
  acsTransactionId: string;
  threeDSVersion: string;
  threeDSServerTransId?: string;
  /** Default "auto": the largest spec size that fits the container (inline) or the viewport (modal). */
  windowSize?: WindowSize;
  /** Inline mode: the element (or a selector) the challenge goes into. */
  container?: HTMLElement | string;
  /** Default "inline" when a container is given, else "modal". */
  mode?: "inline" | "modal";
  /** Default 600000 (10 minutes). */
  timeoutMs?: number;
}
export interface ChallengeResult {
  sessionId: string;
  transStatus: string;
  acsTransactionId: string;
  threeDSServerTransId: string;
}
export type ThreeDSErrorCode =
  "invalid_argument" | "host_unavailable" | "network" | "api_error" |
  "challenge_timeout" | "cancelled" | "destroyed" | "busy";
/** Every promise rejects with an Error carrying one of these codes. */
export interface ThreeDSError extends Error { code: ThreeDSErrorCode; }
export type ThreeDSEvent =
  "method-started" | "method-completed" | "challenge-shown" | "challenge-completed" |
  "cancelled" | "error" | "debug";
"#;

/// Default wait for the host frame's `ready`, ms.
const READY_TIMEOUT_MS: u32 = 10_000;
/// Default 3DS Method wait, ms (then the flow goes on with N).
const METHOD_TIMEOUT_MS: u32 = 10_000;
/// Default challenge timeout: 10 minutes.
const CHALLENGE_TIMEOUT_MS: u32 = 600_000;

/// Entry point of the JS API.
#[wasm_bindgen]
pub struct ThreeDS;

#[wasm_bindgen]
impl ThreeDS {
    /// Creates a client: frames the SDK host page and resolves when it is ready.
    #[wasm_bindgen(unchecked_return_type = "Promise<ThreeDSClient>")]
    pub fn load(#[wasm_bindgen(unchecked_param_type = "LoadOptions")] options: JsValue) -> Promise {
        Promise::new(&mut |resolve, reject| match Inner::create(&options) {
            Ok(inner) => inner.start(resolve, reject),
            Err(error) => {
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        })
    }
}

/// A loaded client: one host frame, any number of sequential flows.
#[wasm_bindgen]
pub struct ThreeDSClient {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl ThreeDSClient {
    /// Collects the device data, creates the session and runs the 3DS Method.
    #[wasm_bindgen(js_name = createSession, unchecked_return_type = "Promise<SessionResult>")]
    pub fn create_session(&self, #[wasm_bindgen(unchecked_param_type = "CreateSessionOptions")] options: JsValue) -> Promise {
        let inner = self.inner.clone();
        Promise::new(&mut |resolve, reject| inner.create_session(&options, resolve, reject))
    }

    /// Shows the challenge at a spec size; resolves with the final result.
    #[wasm_bindgen(js_name = startChallenge, unchecked_return_type = "Promise<ChallengeResult>")]
    pub fn start_challenge(&self, #[wasm_bindgen(unchecked_param_type = "StartChallengeOptions")] options: JsValue) -> Promise {
        let inner = self.inner.clone();
        Promise::new(&mut |resolve, reject| inner.start_challenge(&options, resolve, reject))
    }

    /// Cancels the running flow: its promise rejects with `cancelled`.
    pub fn cancel(&self) {
        self.inner.cancel_all(ErrorCode::Cancelled);
    }

    /// Cancels everything and removes every frame and listener this client made.
    pub fn destroy(&self) {
        self.inner.destroy();
    }

    /// Subscribes to an event; the callback gets one detail object.
    pub fn on(&self, #[wasm_bindgen(unchecked_param_type = "ThreeDSEvent")] event: JsValue, callback: Function) {
        self.inner.handlers.borrow_mut().push((event, callback));
    }
}

/// `ThreeDS.load`'s options.
struct LoadOptions {
    api_base_url: String,
    publishable_key: String,
    host_url: Option<String>,
    ready_timeout_ms: Option<u32>,
}

impl LoadOptions {
    fn read(value: &JsValue) -> Result<Self, String> {
        let fields = js::Fields::of(value, "ThreeDS.load options")?;
        Ok(Self {
            api_base_url: fields.required_string("apiBaseUrl")?,
            publishable_key: fields.required_string("publishableKey")?,
            host_url: fields.string("hostUrl")?,
            ready_timeout_ms: fields.millis("readyTimeoutMs")?,
        })
    }
}

/// `createSession`'s options.
struct CreateSessionOptions {
    pan: Option<String>,
    token_id: Option<String>,
    method_timeout_ms: Option<u32>,
}

impl CreateSessionOptions {
    fn read(value: &JsValue) -> Result<Self, String> {
        let fields = js::Fields::of(value, "createSession options")?;
        Ok(Self { pan: fields.string("pan")?, token_id: fields.string("tokenId")?, method_timeout_ms: fields.millis("methodTimeoutMs")? })
    }
}

/// `startChallenge`'s options (`container` is read apart: it is an element or a selector).
struct StartChallengeOptions {
    session_id: String,
    acs_challenge_url: String,
    acs_transaction_id: String,
    three_ds_version: String,
    three_ds_server_trans_id: Option<String>,
    window_size: Option<String>,
    mode: Option<String>,
    timeout_ms: Option<u32>,
}

impl StartChallengeOptions {
    fn read(value: &JsValue) -> Result<Self, String> {
        let fields = js::Fields::of(value, "startChallenge options")?;
        Ok(Self {
            session_id: fields.required_string("sessionId")?,
            acs_challenge_url: fields.required_string("acsChallengeUrl")?,
            acs_transaction_id: fields.required_string("acsTransactionId")?,
            three_ds_version: fields.required_string("threeDSVersion")?,
            three_ds_server_trans_id: fields.string("threeDSServerTransId")?,
            window_size: fields.string("windowSize")?,
            mode: fields.string("mode")?,
            timeout_ms: fields.millis("timeoutMs")?,
        })
    }
}

/// A typed error: an `Error` with a `code`.
fn error(code: ErrorCode, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    let _ = Reflect::set(&error, &"code".into(), &code.as_str().into());
    error.into()
}

fn invalid(message: &str) -> JsValue {
    error(ErrorCode::InvalidArgument, message)
}

/// One call's promise and everything it owns.
struct Flow {
    resolve: Function,
    reject: Function,
    /// The host frame this flow's messages must come from.
    frame: HtmlIFrameElement,
    /// Sent when the frame reports ready (challenge frames start fresh).
    pending_command: Option<Command>,
    /// Dropping it cancels it.
    _timer: Option<Timeout>,
    /// The challenge frame, overlay, focus and inert state; dropping restores the page.
    _ui: Option<ChallengeUi>,
    /// The window size and CSS pixels, for `challenge-shown`.
    size: Option<(String, u32, u32)>,
    /// What the promise resolves with when the completion carries nothing (`load`: the client).
    resolve_with: Option<JsValue>,
}

struct Inner {
    window: Window,
    document: Document,
    api_base_url: String,
    publishable_key: String,
    host_url: String,
    host_origin: String,
    ready_timeout_ms: u32,
    /// The hidden frame for sessions and the 3DS Method.
    background: RefCell<Option<HtmlIFrameElement>>,
    background_ready: Cell<bool>,
    flows: RefCell<Flows>,
    next_flow: Cell<FlowId>,
    /// Event name (a JS string, compared as such) and callback.
    handlers: RefCell<Vec<(JsValue, Function)>>,
    listener: RefCell<Option<js::Listener>>,
    destroyed: Cell<bool>,
    me: RefCell<Weak<Inner>>,
}

/// The live flows of a client: a handful at most, so a vector (smaller in wasm
/// than a map, and the embed's size is budgeted).
#[derive(Default)]
struct Flows(Vec<(FlowId, Flow)>);

impl Flows {
    fn insert(&mut self, id: FlowId, flow: Flow) {
        self.remove(&id);
        self.0.push((id, flow));
    }

    fn remove(&mut self, id: &FlowId) -> Option<Flow> {
        let index = self.0.iter().position(|(flow, _)| flow == id)?;
        Some(self.0.swap_remove(index).1)
    }

    fn get(&self, id: &FlowId) -> Option<&Flow> {
        self.0.iter().find(|(flow, _)| flow == id).map(|(_, flow)| flow)
    }

    fn get_mut(&mut self, id: &FlowId) -> Option<&mut Flow> {
        self.0.iter_mut().find(|(flow, _)| flow == id).map(|(_, flow)| flow)
    }

    fn contains_key(&self, id: &FlowId) -> bool {
        self.get(id).is_some()
    }

    fn keys(&self) -> impl Iterator<Item = &FlowId> {
        self.0.iter().map(|(id, _)| id)
    }

    fn iter(&self) -> impl Iterator<Item = (&FlowId, &Flow)> {
        self.0.iter().map(|(id, flow)| (id, flow))
    }
}

/// Flow 0 is `load` itself.
const LOAD_FLOW: FlowId = 0;

impl Inner {
    fn create(options: &JsValue) -> Result<Rc<Self>, JsValue> {
        let options = LoadOptions::read(options).map_err(|e| invalid(&e))?;
        let window = web_sys::window().ok_or_else(|| invalid("no window"))?;
        let document = window.document().ok_or_else(|| invalid("no document"))?;
        if threeds_api::origin_of(&options.api_base_url).is_none() {
            return Err(invalid("apiBaseUrl must be an absolute http(s) URL"));
        }
        if options.publishable_key.is_empty() {
            return Err(invalid("publishableKey is required"));
        }
        if options.publishable_key.starts_with("sk_") {
            return Err(invalid("publishableKey: a secret key must never reach a browser"));
        }
        let base = document.base_uri().ok().flatten().unwrap_or_default();
        let host_url = web_sys::Url::new_with_base(options.host_url.as_deref().unwrap_or("host.html"), &base)
            .map_err(|_| invalid("hostUrl is not a URL"))?
            .href();
        let host_origin = threeds_api::origin_of(&host_url).ok_or_else(|| invalid("hostUrl must be an http(s) URL"))?;
        let inner = Rc::new(Self {
            window,
            document,
            api_base_url: options.api_base_url.trim_end_matches('/').to_owned(),
            publishable_key: options.publishable_key,
            host_url,
            host_origin,
            ready_timeout_ms: options.ready_timeout_ms.unwrap_or(READY_TIMEOUT_MS),
            background: RefCell::new(None),
            background_ready: Cell::new(false),
            flows: RefCell::new(Flows::default()),
            next_flow: Cell::new(LOAD_FLOW + 1),
            handlers: RefCell::new(Vec::new()),
            listener: RefCell::new(None),
            destroyed: Cell::new(false),
            me: RefCell::new(Weak::new()),
        });
        *inner.me.borrow_mut() = Rc::downgrade(&inner);
        Ok(inner)
    }

    /// Frames the host page and resolves `load` with the client on its `ready`.
    fn start(self: Rc<Self>, resolve: Function, reject: Function) {
        let weak = Rc::downgrade(&self);
        *self.listener.borrow_mut() = Some(js::Listener::new(&self.window, "message", move |event| {
            // A `message` listener on a window only ever gets MessageEvents.
            if let Some(inner) = weak.upgrade() {
                inner.on_message(event.unchecked_ref::<MessageEvent>());
            }
        }));
        let Some(body) = self.document.body() else {
            let _ = reject.call1(&JsValue::NULL, &invalid("the page has no <body>"));
            return;
        };
        let frame = match self.new_frame(&body) {
            Ok(frame) => frame,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &e);
                return;
            }
        };
        let _ = frame.set_attribute("aria-hidden", "true");
        let _ = frame.set_attribute("tabindex", "-1");
        let _ = frame.set_attribute("style", "position:absolute;width:0;height:0;border:0;visibility:hidden");
        *self.background.borrow_mut() = Some(frame.clone());
        // `load` resolves with the client; the flow holds it until then.
        let client: JsValue = ThreeDSClient { inner: self.clone() }.into();
        let timer = self.timeout(LOAD_FLOW, self.ready_timeout_ms, ErrorCode::HostUnavailable, "the SDK host frame did not start in time");
        self.flows.borrow_mut().insert(
            LOAD_FLOW,
            Flow { resolve, reject, frame, pending_command: None, resolve_with: Some(client), _timer: Some(timer), _ui: None, size: None },
        );
    }

    /// A host frame, not sandboxed, told who its parent is.
    fn new_frame(&self, parent: &Element) -> Result<HtmlIFrameElement, JsValue> {
        let frame: HtmlIFrameElement = self.document.create_element("iframe")?.unchecked_into();
        let origin = self.window.location().origin()?;
        let url = web_sys::Url::new(&self.host_url)?;
        url.search_params().set("parent", &origin);
        frame.set_src(&url.href());
        frame.set_title("3-D Secure");
        parent.append_child(&frame)?;
        Ok(frame)
    }

    fn timeout(&self, flow: FlowId, ms: u32, code: ErrorCode, message: &'static str) -> Timeout {
        let weak = self.me.borrow().clone();
        Timeout::new(ms, move || {
            if let Some(inner) = weak.upgrade() {
                inner.fail(flow, code, message);
            }
        })
    }

    fn begin(&self, reject: &Function) -> Option<FlowId> {
        if self.destroyed.get() {
            let _ = reject.call1(&JsValue::NULL, &error(ErrorCode::Destroyed, "this client was destroyed"));
            return None;
        }
        if self.flows.borrow().keys().any(|flow| *flow != LOAD_FLOW) {
            let _ = reject.call1(&JsValue::NULL, &error(ErrorCode::Busy, "another flow of this client is running"));
            return None;
        }
        let flow = self.next_flow.get();
        self.next_flow.set(flow + 1);
        Some(flow)
    }

    fn create_session(&self, options: &JsValue, resolve: Function, reject: Function) {
        let parsed = CreateSessionOptions::read(options);
        let options = match parsed {
            Ok(options) if options.pan.is_some() != options.token_id.is_some() => options,
            Ok(_) => {
                let _ = reject.call1(&JsValue::NULL, &invalid("createSession needs exactly one of pan or tokenId"));
                return;
            }
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &invalid(&e));
                return;
            }
        };
        let Some(flow) = self.begin(&reject) else { return };
        let Some(frame) = self.background.borrow().clone() else {
            let _ = reject.call1(&JsValue::NULL, &error(ErrorCode::HostUnavailable, "no host frame"));
            return;
        };
        let method_timeout_ms = options.method_timeout_ms.unwrap_or(METHOD_TIMEOUT_MS);
        let command = Command::CreateSession {
            flow,
            api_base_url: self.api_base_url.clone(),
            publishable_key: self.publishable_key.clone(),
            pan: options.pan,
            token_id: options.token_id,
            method_timeout_ms,
        };
        // The host answers within the method timeout plus the API calls; a host that
        // never answers still settles the promise.
        let timer = self.timeout(flow, method_timeout_ms + 30_000, ErrorCode::HostUnavailable, "the SDK host frame stopped answering");
        self.flows.borrow_mut().insert(
            flow,
            Flow { resolve, reject, frame: frame.clone(), pending_command: None, resolve_with: None, _timer: Some(timer), _ui: None, size: None },
        );
        self.post(&frame, &command);
    }

    fn start_challenge(&self, options: &JsValue, resolve: Function, reject: Function) {
        let parsed = match StartChallengeOptions::read(options) {
            Ok(options) => options,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &invalid(&e));
                return;
            }
        };
        if threeds_api::origin_of(&parsed.acs_challenge_url).is_none() {
            let _ = reject.call1(&JsValue::NULL, &invalid("acsChallengeUrl must be an absolute http(s) URL"));
            return;
        }
        let container = Reflect::get(options, &"container".into()).ok().filter(|c| !c.is_undefined() && !c.is_null());
        let mode = match (parsed.mode.as_deref(), &container) {
            (Some("inline"), _) | (None, Some(_)) => Mode::Inline,
            (Some("modal"), _) | (None, None) => Mode::Modal,
            (Some(other), _) => {
                let _ = reject.call1(&JsValue::NULL, &invalid(&format!("mode must be \"inline\" or \"modal\", not \"{other}\"")));
                return;
            }
        };
        let container = match (mode, container) {
            (Mode::Inline, Some(c)) => match layout::resolve_container(&self.document, &c) {
                Some(element) => Some(element),
                None => {
                    let _ = reject.call1(&JsValue::NULL, &invalid("container is neither an element nor a selector of one"));
                    return;
                }
            },
            (Mode::Inline, None) => {
                let _ = reject.call1(&JsValue::NULL, &invalid("inline mode needs a container"));
                return;
            }
            (Mode::Modal, _) => None,
        };
        let requested = parsed.window_size.as_deref().unwrap_or("auto");
        let Some(size) = layout::choose_size(&self.window, requested, mode, container.as_ref()) else {
            let _ = reject.call1(&JsValue::NULL, &invalid("windowSize must be 01, 02, 03, 04, 05 or auto"));
            return;
        };
        let Some(flow) = self.begin(&reject) else { return };
        let weak = self.me.borrow().clone();
        let on_cancel = move || {
            if let Some(inner) = weak.upgrade() {
                inner.cancel_flow(flow, ErrorCode::Cancelled, "the cardholder cancelled the challenge");
            }
        };
        let ui = match ChallengeUi::show(&self.window, &self.document, mode, container.as_ref(), size, on_cancel) {
            Ok(ui) => ui,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &e);
                return;
            }
        };
        let frame = match self.new_frame(ui.frame_parent()) {
            Ok(frame) => frame,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &e);
                return;
            }
        };
        ui.size_frame(&frame);
        let command = Command::StartChallenge {
            flow,
            api_base_url: self.api_base_url.clone(),
            publishable_key: self.publishable_key.clone(),
            session_id: parsed.session_id,
            three_ds_server_trans_id: parsed.three_ds_server_trans_id,
            acs_challenge_url: parsed.acs_challenge_url,
            acs_transaction_id: parsed.acs_transaction_id,
            three_ds_version: parsed.three_ds_version,
            window_size: size.code().to_owned(),
        };
        let timeout_ms = parsed.timeout_ms.unwrap_or(CHALLENGE_TIMEOUT_MS);
        let timer = self.timeout(flow, timeout_ms, ErrorCode::ChallengeTimeout, "the challenge did not end in time");
        let (width, height) = ui.frame_size();
        self.flows.borrow_mut().insert(
            flow,
            Flow {
                resolve,
                reject,
                frame,
                pending_command: Some(command),
                resolve_with: None,
                _timer: Some(timer),
                _ui: Some(ui),
                size: Some((size.code().to_owned(), width, height)),
            },
        );
    }

    /// Posts a command to a host frame, with the host's exact origin as the target.
    fn post(&self, frame: &HtmlIFrameElement, command: &Command) {
        if let Some(target) = frame.content_window() {
            let _ = target.post_message(&js::command(command), &self.host_origin);
        }
    }

    fn on_message(&self, event: &MessageEvent) {
        let source = event.source();
        let from = |frame: &HtmlIFrameElement| {
            frame.content_window().is_some_and(|w| source.as_ref().is_some_and(|s| JsValue::from(w) == JsValue::from(s.clone())))
        };
        // Which flow's frame (or the background frame) sent it.
        let is_background = self.background.borrow().as_ref().is_some_and(from);
        let sender_flows: Vec<FlowId> = self.flows.borrow().iter().filter(|(_, f)| from(&f.frame)).map(|(id, _)| *id).collect();
        if let Err(ignored) = threeds_api::check_sender(&event.origin(), &self.host_origin, is_background || !sender_flows.is_empty()) {
            return self.ignore(ignored);
        }
        let report = match js::report(&event.data()) {
            Ok(report) => report,
            Err(ignored) => return self.ignore(ignored),
        };
        let Some(flow) = report.flow() else {
            // Ready: the background frame finishes `load`; a challenge frame gets its command.
            if is_background && !self.background_ready.replace(true) {
                self.settle(LOAD_FLOW, Ok(JsValue::UNDEFINED));
                return;
            }
            for id in sender_flows {
                let pending = self.flows.borrow_mut().get_mut(&id).and_then(|f| f.pending_command.take());
                let frame = self.flows.borrow().get(&id).map(|f| f.frame.clone());
                if let (Some(command), Some(frame)) = (pending, frame) {
                    self.post(&frame, &command);
                    return;
                }
            }
            return self.ignore(Ignored::Duplicate);
        };
        if !sender_flows.contains(&flow) {
            let settled_before = flow < self.next_flow.get() && !self.flows.borrow().contains_key(&flow);
            return self.ignore(if settled_before { Ignored::Duplicate } else { Ignored::OtherFlow });
        }
        self.apply(flow, report);
    }

    /// Acts on a report for a live flow of this client.
    fn apply(&self, flow: FlowId, report: Report) {
        match report {
            Report::Ready => {}
            Report::MethodStarted { .. } => self.emit("method-started", &detail(flow).into()),
            Report::MethodCompleted { indicator, ms, .. } => {
                let detail = detail(flow);
                js::set(&detail, "indicator", js::str(&indicator));
                js::set(&detail, "ms", js::num(ms));
                self.emit("method-completed", &detail.into());
            }
            Report::ChallengeShown { .. } => {
                let size = self.flows.borrow().get(&flow).and_then(|f| f.size.clone());
                if let Some((code, width, height)) = size {
                    let detail = detail(flow);
                    js::set(&detail, "windowSize", js::str(&code));
                    js::set(&detail, "width", js::num(width));
                    js::set(&detail, "height", js::num(height));
                    self.emit("challenge-shown", &detail.into());
                }
            }
            Report::CancelRequested { .. } => self.cancel_flow(flow, ErrorCode::Cancelled, "the cardholder cancelled the challenge"),
            Report::SessionCreated { session_id, three_ds_server_trans_id, method_completion_indicator, recommended_version, card_brand, .. } => {
                let value = js::object();
                js::set(&value, "sessionId", js::str(&session_id));
                js::set(&value, "threeDSServerTransId", js::str(&three_ds_server_trans_id));
                js::set(&value, "methodCompletionIndicator", js::str(&method_completion_indicator));
                js::set(&value, "recommendedVersion", js::str(&recommended_version));
                js::set(&value, "cardBrand", card_brand.as_deref().and_then(js::str));
                self.settle(flow, Ok(value.into()));
            }
            Report::ChallengeCompleted { session_id, three_ds_server_trans_id, acs_transaction_id, trans_status, .. } => {
                let value = js::object();
                js::set(&value, "sessionId", js::str(&session_id));
                js::set(&value, "transStatus", js::str(&trans_status));
                js::set(&value, "acsTransactionId", js::str(&acs_transaction_id));
                js::set(&value, "threeDSServerTransId", js::str(&three_ds_server_trans_id));
                let value: JsValue = value.into();
                self.emit("challenge-completed", &value);
                self.settle(flow, Ok(value));
            }
            Report::Failed { code, message, .. } => self.fail(flow, code, &message),
        }
    }

    fn ignore(&self, ignored: Ignored) {
        let detail = js::object();
        js::set(&detail, "ignored", js::str(&ignored.to_string()));
        self.emit("debug", &detail.into());
    }

    fn fail(&self, flow: FlowId, code: ErrorCode, message: &str) {
        let detail = detail(flow);
        js::set(&detail, "code", js::str(code.as_str()));
        js::set(&detail, "message", js::str(message));
        let detail: JsValue = detail.into();
        if self.settle(flow, Err(error(code, message))) {
            self.emit(if code == ErrorCode::Cancelled { "cancelled" } else { "error" }, &detail);
            if flow == LOAD_FLOW {
                // A client whose host never started is of no use: release everything.
                self.destroy();
            }
        }
    }

    /// Settles a flow's promise: the flow is removed first, so a second call finds
    /// nothing. Dropping it drops its timer, frame and UI. True if it settled now.
    fn settle(&self, flow: FlowId, outcome: Result<JsValue, JsValue>) -> bool {
        let Some(settled) = self.flows.borrow_mut().remove(&flow) else { return false };
        if settled._ui.is_some() {
            settled.frame.remove();
        }
        match outcome {
            Ok(value) => {
                let value = settled.resolve_with.clone().unwrap_or(value);
                drop(settled.resolve.call1(&JsValue::NULL, &value))
            }
            Err(error) => drop(settled.reject.call1(&JsValue::NULL, &error)),
        }
        true
    }

    fn cancel_flow(&self, flow: FlowId, code: ErrorCode, message: &str) {
        let frame = self.flows.borrow().get(&flow).map(|f| f.frame.clone());
        if let Some(frame) = frame {
            self.post(&frame, &Command::Cancel { flow });
        }
        self.fail(flow, code, message);
    }

    fn cancel_all(&self, code: ErrorCode) {
        let flows: Vec<FlowId> = self.flows.borrow().keys().copied().collect();
        let message = if code == ErrorCode::Destroyed { "the client was destroyed" } else { "cancelled by the checkout page" };
        for flow in flows {
            self.cancel_flow(flow, code, message);
        }
    }

    fn destroy(&self) {
        if self.destroyed.replace(true) {
            return;
        }
        self.cancel_all(ErrorCode::Destroyed);
        self.listener.borrow_mut().take();
        if let Some(frame) = self.background.borrow_mut().take() {
            frame.remove();
        }
        self.handlers.borrow_mut().clear();
    }

    fn emit(&self, name: &str, detail: &JsValue) {
        // Copied out first: a handler may call `on` or `destroy`.
        let name = JsValue::from_str(name);
        let handlers: Vec<Function> = self.handlers.borrow().iter().filter(|(n, _)| *n == name).map(|(_, f)| f.clone()).collect();
        for handler in handlers {
            let _ = handler.call1(&JsValue::NULL, detail);
        }
    }
}

/// The detail object of a flow's events; each event adds its own fields.
fn detail(flow: FlowId) -> js_sys::Object {
    let detail = js::object();
    js::set(&detail, "flow", js::num(flow));
    detail
}
