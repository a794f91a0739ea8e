//! A client's glue: it owns the host frames, the one `message` listener, the
//! event handlers and the flows table, starts flows from the checked options,
//! acts on the routed reports and settles each flow's promise.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlIFrameElement, MessageEvent, Window};

use super::api::ThreeDSClient;
use super::flows::{Flow, Flows, LOAD_FLOW};
use super::js::Incoming;
use super::js::Shared;
use super::layout::{self, ChallengeUi, Mode};
use super::options::{self, CallOptions, LoadOptions};
use super::preload::{self, Preloaded};
use super::routing::{self, Route, Sender};
use super::warm::Warm;
use super::{frames, js};
use threeds_api::{Command, ErrorCode, FlowId, Ignored};

/// A typed error: an `Error` with a `code`.
fn error(code: ErrorCode, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    let _ = Reflect::set(&error, &"code".into(), &code.as_str().into());
    error.into()
}

fn invalid(message: &str) -> JsValue {
    error(ErrorCode::InvalidArgument, message)
}

#[wasm_bindgen]
extern "C" {
    /// The URL of the JS module that loaded this wasm (`import.meta.url` in the
    /// generated bindings, the embed's own script): the default `hostUrl` is beside it.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static SCRIPT_URL: JsValue;
}

/// The state behind a [`ThreeDSClient`].
pub struct Inner {
    window: Window,
    document: Document,
    api_base_url: String,
    publishable_key: String,
    host_url: String,
    host_origin: String,
    ready_timeout_ms: u32,
    /// The SDK's own words, in the page's locale.
    strings: &'static crate::locale::Strings,
    /// The host frames' `?locale=`: the picked tag, or the one of the frame
    /// `preload` started or the page declared (the same locale once picked), so
    /// that every frame's page is the same URL, from the cache.
    frame_locale: String,
    /// Whether its host frames ask the page for their app (`?app=parent`): as the
    /// frame `preload` started or the page declared does, else yes.
    frames_fed: bool,
    /// The hidden frame for sessions and the 3DS Method.
    background: RefCell<Option<HtmlIFrameElement>>,
    background_ready: Cell<bool>,
    /// The spare host frame for the next challenge, hidden in `<body>` until one takes it.
    warm: RefCell<Warm<HtmlIFrameElement>>,
    /// Boots the spare a task after `load` or a call settled, unless a call runs then.
    spare_timer: RefCell<Option<Timeout>>,
    flows: RefCell<Flows<Flow>>,
    /// Event name (a JS string, compared as such) and callback.
    pub(super) handlers: RefCell<Vec<(JsValue, Function)>>,
    listener: RefCell<Option<js::Listener>>,
    destroyed: Cell<bool>,
    me: RefCell<Weak<Inner>>,
}

impl Inner {
    /// A client for `ThreeDS.load`'s options, not started yet, and the frame
    /// `preload` started for its host page and locale, if any (taken only once
    /// the options are good: a rejected load discards it).
    pub fn create(options: &JsValue) -> Result<(Rc<Self>, Option<Preloaded>), JsValue> {
        let options = LoadOptions::read(options).map_err(|e| invalid(&e))?;
        let window = web_sys::window().ok_or_else(|| invalid("no window"))?;
        let document = window.document().ok_or_else(|| invalid("no document"))?;
        // A hostUrl given is relative to the page; the default is beside the embed's script.
        let base = match &options.host_url {
            Some(_) => document.base_uri().ok().flatten(),
            None => SCRIPT_URL.with(JsValue::as_string),
        };
        let host_url = web_sys::Url::new_with_base(options.host_url.as_deref().unwrap_or("host.html"), &base.unwrap_or_default())
            .map_err(|_| invalid("hostUrl is not a URL"))?
            .href();
        let host_origin = options::check_url("hostUrl", &host_url).map_err(|e| invalid(&e))?;
        // The `locale` option, else the browser's language, else English.
        let language = options.locale.clone().or_else(|| window.navigator().language()).unwrap_or_default();
        let strings = crate::locale::pick([language.as_str()]);
        let preloaded = preload::take(&host_url, strings.tag);
        // The frames' `?locale=` is the started frame's, so every frame's page is the same URL.
        let frame_locale = preloaded.as_ref().map_or_else(|| strings.tag.to_owned(), |started| started.locale.clone());
        let frames_fed = preloaded.as_ref().is_none_or(|started| started.fed);
        let inner = Rc::new(Self {
            window,
            document,
            api_base_url: options.api_base_url,
            publishable_key: options.publishable_key,
            host_url,
            host_origin,
            ready_timeout_ms: options.ready_timeout_ms.unwrap_or(options::READY_TIMEOUT_MS),
            strings,
            frame_locale,
            frames_fed,
            background: RefCell::new(None),
            background_ready: Cell::new(false),
            warm: RefCell::new(Warm::default()),
            spare_timer: RefCell::new(None),
            flows: RefCell::new(Flows::default()),
            handlers: RefCell::new(Vec::new()),
            listener: RefCell::new(None),
            destroyed: Cell::new(false),
            me: RefCell::new(Weak::new()),
        });
        *inner.me.write() = Rc::downgrade(&inner);
        Ok((inner, preloaded))
    }

    /// Frames the host page and resolves `load` with the client on its `ready`.
    pub fn start(self: Rc<Self>, preloaded: Option<Preloaded>, resolve: Function, reject: Function) {
        let weak = Rc::downgrade(&self);
        *self.listener.write() = Some(js::Listener::new(&self.window, "message", move |event| {
            // A `message` listener on a window only ever gets MessageEvents.
            if let Some(inner) = weak.upgrade() {
                inner.on_message(event.unchecked_ref::<MessageEvent>());
            }
        }));
        // The frame `preload` started for this page and locale, else a new one.
        let (frame, early_messages) = match preloaded {
            Some(preloaded) => (preloaded.frame, Some(preloaded.messages)),
            None => match self.hidden_frame(false) {
                Ok(frame) => (frame, None),
                Err(e) => {
                    let _ = reject.call1(&JsValue::NULL, &e);
                    return;
                }
            },
        };
        *self.background.write() = Some(frame.clone());
        // `load` resolves with the client; the flow holds it until then.
        let client: JsValue = ThreeDSClient { inner: self.clone() }.into();
        let timer = self.timeout(LOAD_FLOW, self.ready_timeout_ms, ErrorCode::HostUnavailable, "the SDK host frame did not start in time");
        self.flows.write().insert(
            LOAD_FLOW,
            Flow {
                resolve,
                reject,
                frame,
                pending_command: None,
                resolve_with: Some(client),
                _timer: Some(timer),
                _ready: None,
                ui: None,
                size: None,
            },
        );
        // What the started frame sent before this client listened (its `ready`),
        // checked as every message is: origin, window, envelope, flow.
        for event in early_messages.iter().flat_map(js_sys::Array::iter) {
            self.on_message(event.unchecked_ref());
        }
    }

    /// A hidden host frame in `<body>`: the background frame, the spare one.
    #[inline(never)]
    fn hidden_frame(&self, spare: bool) -> Result<HtmlIFrameElement, JsValue> {
        let body = self.document.body().ok_or_else(|| invalid("the page has no <body>"))?;
        let frame = frames::host_frame(&self.window, &self.document, &self.host_url, &self.frame_locale, &body, spare, self.frames_fed)?;
        frames::hide(&frame);
        Ok(frame)
    }

    /// A flow's watchdog: when it fires, the host frame is told (`cancel`, so the
    /// host drops the flow and is not left busy) and the promise rejects with `code`.
    fn timeout(&self, flow: FlowId, ms: u32, code: ErrorCode, message: &'static str) -> Timeout {
        let weak = self.me.read().clone();
        Timeout::new(ms, move || {
            if let Some(inner) = weak.upgrade() {
                inner.cancel_flow(flow, code, message);
            }
        })
    }

    /// Numbers a new flow, unless the client was destroyed or (`exclusive`)
    /// another flow runs.
    fn begin(&self, reject: &Function) -> Option<FlowId> {
        self.begin_flow(reject, true)
    }

    fn begin_flow(&self, reject: &Function, exclusive: bool) -> Option<FlowId> {
        if self.destroyed.get() {
            let _ = reject.call1(&JsValue::NULL, &error(ErrorCode::Destroyed, "the client was destroyed"));
            return None;
        }
        if exclusive && self.flows.read().busy() {
            let _ = reject.call1(&JsValue::NULL, &error(ErrorCode::Busy, "another flow of this client is running"));
            return None;
        }
        Some(self.flows.write().next_id())
    }

    /// `createSession`, `runMethod` and `collectBrowserInfo`: the background frame
    /// answers (the host checks the options); the promise rejects
    /// `host_unavailable` when it does not in time. `collectBrowserInfo` is no
    /// flow: it runs beside any other.
    pub fn background_call(&self, call: &'static str, options: &JsValue, resolve: Function, reject: Function) {
        let options = match CallOptions::read(options, call, (&self.api_base_url, &self.publishable_key)) {
            Ok(options) => options,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &invalid(&e));
                return;
            }
        };
        let (method_timeout_ms, timeout_ms) =
            options::background_timeouts(call, options.method_timeout_ms, options.display.timeout_ms, self.ready_timeout_ms);
        let Some(flow) = self.begin_flow(&reject, call != "collectBrowserInfo") else { return };
        let Some(frame) = self.background.read().clone() else {
            let _ = reject.call1(&JsValue::NULL, &error(ErrorCode::HostUnavailable, "no host frame"));
            return;
        };
        let command = Command::Call { flow, call: call.into(), options: options.json, window_size: None, method_timeout_ms };
        // A host that never answers still settles the promise.
        let timer = self.timeout(flow, timeout_ms, ErrorCode::HostUnavailable, "the SDK host frame stopped answering");
        self.flows.write().insert(
            flow,
            Flow {
                resolve,
                reject,
                frame: frame.clone(),
                pending_command: None,
                resolve_with: None,
                _timer: Some(timer),
                _ready: None,
                ui: None,
                size: None,
            },
        );
        frames::post(&frame, &command, &self.host_origin);
    }

    /// `startChallenge`, `challenge` and `presentAuthentication`: a host frame of
    /// its own shows the ACS's or the processor's page (the host checks the
    /// options); in redirect mode the whole page goes to the processor's page.
    pub fn frame_call(&self, call: &'static str, options: &JsValue, resolve: Function, reject: Function) {
        let parsed = match CallOptions::read(options, call, (&self.api_base_url, &self.publishable_key)) {
            Ok(options) => options,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &invalid(&e));
                return;
            }
        };
        let string = |name: &str| Reflect::get(options, &name.into()).ok().and_then(|v| v.as_string());
        if parsed.display.mode.as_deref() == Some("redirect") && call == "presentAuthentication" {
            let url = string("url").unwrap_or_default();
            if let Err(e) = options::check_url("url", &url) {
                let _ = reject.call1(&JsValue::NULL, &invalid(&e));
                return;
            }
            if self.begin(&reject).is_none() {
                return;
            }
            // The page unloads: the promise resolves first, then the browser leaves.
            let value = js::object();
            js::set(&value, "mode", js::str("redirect"));
            let _ = resolve.call1(&JsValue::NULL, &value);
            let _ = self.window.location().assign(&url);
            return;
        }
        self.in_frame(call, options, parsed, resolve, reject);
    }

    /// The SDK origin's return page, for a processor's `return_url` in inline and modal modes.
    pub fn return_url(&self) -> String {
        web_sys::Url::new_with_base("return.html", &self.host_url).map(|url| url.href()).unwrap_or_default()
    }

    /// Shows a host frame of its own in the challenge UI (inline or modal, at a
    /// spec size), the spare one when it can, and, once it is ready, sends it the
    /// call with the window size shown. `options` is the page's object (for its
    /// `container`), `parsed` what the embed read of it.
    fn in_frame(&self, call: &'static str, options: &JsValue, parsed: CallOptions, resolve: Function, reject: Function) {
        let display = &parsed.display;
        let container = Reflect::get(options, &"container".into()).ok().filter(|c| !c.is_undefined() && !c.is_null());
        let mode = match display.mode(container.is_some()) {
            Ok(mode) => mode,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &invalid(&e));
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
        let Some(size) = layout::choose_size(&self.window, display.window_size(), mode, container.as_ref()) else {
            let _ = reject.call1(&JsValue::NULL, &invalid("windowSize must be 01, 02, 03, 04, 05 or auto"));
            return;
        };
        let Some(flow) = self.begin(&reject) else { return };
        let weak = self.me.read().clone();
        let on_cancel = move || {
            if let Some(inner) = weak.upgrade() {
                inner.cancel_flow(flow, ErrorCode::Cancelled, "the cardholder cancelled the challenge");
            }
        };
        let ui = match ChallengeUi::show(&self.document, mode, container.as_ref(), size, self.strings, on_cancel) {
            Ok(ui) => ui,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &e);
                return;
            }
        };
        // The spare frame, booted and ready, moved in without a reload: it takes the
        // command at once. Else a fresh frame, which gets it when it says ready.
        let warm = self.warm.write().hand_over(|frame| frames::adopt(ui.frame_parent(), frame));
        let fresh = warm.is_none();
        let frame = match warm.map_or_else(
            || frames::host_frame(&self.window, &self.document, &self.host_url, &self.frame_locale, ui.frame_parent(), false, self.frames_fed),
            Ok,
        ) {
            Ok(frame) => frame,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &e);
                return;
            }
        };
        let command =
            Command::Call { flow, call: call.into(), options: parsed.json, window_size: Some(size.code().to_owned()), method_timeout_ms: 0 };
        // The spare frame gets the call before the page sizes and focuses it (a
        // layout of the page): the host posts the CReq meanwhile.
        if !fresh {
            frames::post(&frame, &command, &self.host_origin);
        }
        ui.size_frame(&frame);
        let timeout_ms = display.timeout_ms.unwrap_or(options::CHALLENGE_TIMEOUT_MS);
        let timer = self.timeout(flow, timeout_ms, ErrorCode::ChallengeTimeout, "the challenge did not end in time");
        // A fresh challenge frame that never says ready ends the flow, not a blank dialog.
        let ready = fresh.then(|| self.timeout(flow, self.ready_timeout_ms, ErrorCode::HostUnavailable, "the SDK host frame did not start in time"));
        let (width, height) = ui.frame_size();
        self.flows.write().insert(
            flow,
            Flow {
                resolve,
                reject,
                frame,
                // Kept after a move too: should the move have reloaded the frame after
                // all (a page's stand-in for moveBefore), its new `ready` sends it again.
                pending_command: Some(command),
                resolve_with: None,
                _timer: Some(timer),
                _ready: ready,
                ui: Some(ui),
                size: Some((size.code().to_owned(), width, height)),
            },
        );
    }

    fn on_message(&self, event: &MessageEvent) {
        let origin = event.origin();
        let source = event.source().map(JsValue::from);
        // A frame's window is looked at only for a message of the host's origin (any
        // other is ignored whoever sent it): the window of a frame that has not shown
        // its page yet costs the browser a script context for the empty document it
        // starts with (about 40 ms on a slow phone, on this page's main thread).
        let of_host = origin == self.host_origin;
        let from = |frame: &HtmlIFrameElement| of_host && frames::is_source(frame, source.as_ref());
        // A host frame asks for its app (before its app runs): the public bytes go
        // to the window that asked, at the host's origin only.
        if of_host && preload::answer_app_wanted(event, &self.host_url) {
            return;
        }
        // Which flow's frame (or the background frame) sent it.
        let from_background = self.background.read().as_ref().is_some_and(from);
        let from_flows: Vec<FlowId> = self.flows.read().iter().filter(|(_, f)| from(&f.frame)).map(|(id, _)| *id).collect();
        let from_warm = self.warm.read().frame().is_some_and(from);
        let sender = Sender { origin: &origin, from_background, from_flows: &from_flows, from_warm };
        let route = routing::route(
            &sender,
            &self.host_origin,
            || js::report(&event.data()),
            &self.flows.read(),
            self.background_ready.get(),
            |flow| flow.pending_command.is_some(),
        );
        match route {
            Route::Loaded => {
                self.background_ready.set(true);
                self.settle(LOAD_FLOW, Ok(JsValue::UNDEFINED));
            }
            Route::WarmReady => self.warm.write().set_ready(),
            Route::SendCommand(flow) => {
                let pending = self.flows.write().get_mut(&flow).and_then(|f| {
                    f._ready = None;
                    Some((f.pending_command.take()?, f.frame.clone()))
                });
                if let Some((command, frame)) = pending {
                    frames::post(&frame, &command, &self.host_origin);
                }
            }
            Route::Apply(flow, report) => self.apply(flow, report),
            Route::Ignore(ignored) => self.ignore(ignored),
        }
    }

    /// Acts on a report for a live flow of this client.
    fn apply(&self, flow: FlowId, report: Incoming) {
        match report {
            Incoming::Ready => {}
            Incoming::Event { name, detail, .. } => self.emit(&name, &detail),
            Incoming::ChallengeShown { .. } => {
                // Once per flow: the host reports again when the ACS frame navigates.
                let size = self.flows.write().get_mut(&flow).and_then(|f| f.size.take());
                if let Some((code, width, height)) = size {
                    let detail = detail(flow);
                    js::set(&detail, "windowSize", js::str(&code));
                    js::set(&detail, "width", js::num(width));
                    js::set(&detail, "height", js::num(height));
                    self.emit("challenge-shown", &detail.into());
                }
            }
            Incoming::CancelRequested { .. } => self.cancel_flow(flow, ErrorCode::Cancelled, "the cardholder cancelled the challenge"),
            Incoming::Resolved { value, event, .. } => {
                // Settled first: a handler that calls `destroy()` finds nothing left to cancel.
                if self.settle(flow, Ok(value.clone()))
                    && let Some(event) = event
                {
                    self.emit(&event, &value);
                }
            }
            Incoming::Failed { code, message, acs, .. } => self.fail(flow, code, &message, acs.as_deref()),
        }
    }

    fn ignore(&self, ignored: Ignored) {
        let detail = js::object();
        js::set(&detail, "ignored", js::str(&js::describe(&ignored)));
        self.emit("debug", &detail.into());
    }

    /// With an ACS Erro's fields on the error and the event (`acs_error`).
    fn fail(&self, flow: FlowId, code: ErrorCode, message: &str, acs: Option<&threeds_api::AcsErroDetail>) {
        let detail = detail(flow);
        js::set(&detail, "code", js::str(code.as_str()));
        js::set(&detail, "message", js::str(message));
        let failure = error(code, message);
        if let Some(acs) = acs {
            js::set_acs(&detail, acs);
            js::set_acs(failure.unchecked_ref(), acs);
        }
        let detail: JsValue = detail.into();
        if self.settle(flow, Err(failure)) {
            self.emit(if code == ErrorCode::Cancelled { "cancelled" } else { "error" }, &detail);
            if flow == LOAD_FLOW {
                // A client whose host never started is of no use: release everything.
                self.destroy();
            }
        }
    }

    /// Settles a flow's promise if it is still live. True if it settled now.
    /// Once no call runs, a spare frame boots for the next challenge, if none is
    /// kept (after `load` too; a failed `load` destroys the client, timer and all).
    fn settle(&self, flow: FlowId, outcome: Result<JsValue, JsValue>) -> bool {
        let Some(settled) = self.flows.write().remove(&flow) else { return false };
        settled.settle(outcome);
        self.warm_up_soon();
        true
    }

    /// [`Self::warm_up`] in a task of its own, and only if no call runs then. The
    /// page's code awaiting the promise just settled runs first (its next call,
    /// e.g. `createSession` right after `load`, or its server's authenticate after
    /// `createSession`); a host app booting beside a call shares its page's main
    /// thread and slows it, so the spare waits for the calls to settle.
    fn warm_up_soon(&self) {
        if !self.warm.read().wanted(self.destroyed.get()) {
            return;
        }
        let weak = self.me.read().clone();
        *self.spare_timer.write() = Some(Timeout::new(0, move || {
            if let Some(inner) = weak.upgrade()
                && !inner.flows.read().busy()
            {
                inner.warm_up();
            }
        }));
    }

    /// Boots a hidden spare host frame in `<body>` for the next challenge, unless
    /// one is kept already or the client was destroyed. One that never says ready
    /// is simply never used (no timer: it holds nothing up); `destroy` removes it.
    fn warm_up(&self) {
        if self.warm.read().wanted(self.destroyed.get())
            && let Ok(frame) = self.hidden_frame(true)
        {
            self.warm.write().boot(frame);
        }
    }

    #[inline(never)]
    fn cancel_flow(&self, flow: FlowId, code: ErrorCode, message: &str) {
        let frame = self.flows.read().get(&flow).map(|f| f.frame.clone());
        if let Some(frame) = frame {
            frames::post(&frame, &Command::Cancel { flow }, &self.host_origin);
        }
        self.fail(flow, code, message, None);
    }

    /// Cancels every live flow with `code`.
    pub fn cancel_all(&self, code: ErrorCode) {
        let flows: Vec<FlowId> = self.flows.read().keys().copied().collect();
        let message = if code == ErrorCode::Destroyed { "the client was destroyed" } else { "cancelled by the checkout page" };
        for flow in flows {
            self.cancel_flow(flow, code, message);
        }
    }

    /// Cancels everything, removes the listener and the background and spare frames, forgets the handlers.
    pub fn destroy(&self) {
        if self.destroyed.replace(true) {
            return;
        }
        self.cancel_all(ErrorCode::Destroyed);
        self.listener.write().take();
        self.spare_timer.write().take();
        if let Some(frame) = self.background.write().take() {
            frame.remove();
        }
        if let Some(frame) = self.warm.write().take() {
            frame.remove();
        }
        self.handlers.write().clear();
    }

    fn emit(&self, name: &str, detail: &JsValue) {
        // Copied out first: a handler may call `on` or `destroy`.
        let name = JsValue::from_str(name);
        let handlers: Vec<Function> = self.handlers.read().iter().filter(|(n, _)| *n == name).map(|(_, f)| f.clone()).collect();
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

/// `ThreeDS.readReturn`: the query of `location` as `{ returnUrl, params }`; this
/// page's when undefined (no argument and `null` both arrive so). On this page's
/// own address, the client secrets leave the address bar (and its history entry).
pub fn read_return(location: &JsValue) -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or_else(|| invalid("no window"))?;
    let own = window.location().href().unwrap_or_default();
    let href = if location.is_undefined() {
        own.clone()
    } else if let Some(text) = location.as_string() {
        text
    } else {
        Reflect::get(location, &"href".into()).ok().and_then(|href| href.as_string()).unwrap_or_default()
    };
    let bad = |_| invalid("readReturn takes an absolute URL: a Location, a URL or a string");
    let url = web_sys::Url::new(&href).map_err(bad)?;
    let params = js_sys::Object::from_entries(&url.search_params()).map_err(bad)?;
    if href == own {
        // `searchParams` is live: deleting from it rewrites the URL.
        for name in js::SECRET_PARAMS {
            url.search_params().delete(name);
        }
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url.href()));
        }
    }
    url.set_search("");
    url.set_hash("");
    let value = js::object();
    js::set(&value, "returnUrl", js::str(&url.href()));
    js::set(&value, "params", Some(params.into()));
    Ok(value.into())
}
