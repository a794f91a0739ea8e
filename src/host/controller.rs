//! The glue around the host's flow state machine (`flow.rs`): commands from the
//! embed in, reports to the embed out, the session API and the notification
//! messages in between. It owns the listener and timer of the flow in progress;
//! ending the flow drops them.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlIFrameElement, MessageEvent, Window};

use super::backend::{self, CallError};
use super::codec;
use super::flow::{Effect, FlowState};
use super::state::Action;
use super::view::View;
use crate::device;
use threeds_api::session::{CreateSession, CreatedSession, SessionStatus, SessionTransaction};
use threeds_api::{ErrorCode, FlowId, Report};

/// The listener and timer of the flow in progress: dropped when it ends.
struct Owned {
    flow: FlowId,
    _listener: Option<EventListener>,
    _timer: Option<Timeout>,
}

/// Runs the host page's flows, one at a time.
pub struct Controller {
    window: Window,
    parent_origin: String,
    /// The page's frames (made once the controller exists: they call it back).
    view: RefCell<Option<View>>,
    flow: RefCell<FlowState>,
    owned: RefCell<Option<Owned>>,
    me: Weak<Controller>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Controller {
    /// A controller answering `parent_origin` (the checkout page) only.
    pub fn new(window: Window, parent_origin: String, strings: &'static crate::locale::HostStrings) -> Rc<Self> {
        let own_origin = window.location().origin().unwrap_or_default();
        let document = window.document();
        Rc::new_cyclic(|me| Self {
            window,
            parent_origin,
            view: RefCell::new(document.map(|document| View::new(document, strings, me.clone()))),
            flow: RefCell::new(FlowState::new(own_origin)),
            owned: RefCell::new(None),
            me: me.clone(),
        })
    }

    /// Listens for the embed's commands, then says `ready`. The listener lives as
    /// long as the returned value.
    pub fn listen(&self) -> EventListener {
        let me = self.me.clone();
        let listener = EventListener::new(&self.window, "message", move |event| {
            if let (Some(controller), Some(event)) = (me.upgrade(), event.dyn_ref::<MessageEvent>()) {
                controller.on_parent_message(event);
            }
        });
        self.report(Report::Ready);
        listener
    }

    fn on_parent_message(&self, event: &MessageEvent) {
        let parent = self.window.parent().ok().flatten();
        let from_parent = match (event.source(), parent) {
            (Some(source), Some(parent)) => wasm_bindgen::JsValue::from(source) == wasm_bindgen::JsValue::from(parent),
            _ => false,
        };
        // Commands come only from the checkout page that framed us, at its exact origin.
        if threeds_api::check_sender(&event.origin(), &self.parent_origin, from_parent).is_err() {
            return;
        }
        if let Some(command) = codec::read_command(&event.data()) {
            let effects = self.flow.borrow_mut().on_command(command, now_ms());
            self.perform(effects);
        }
    }

    /// Reports to the checkout page, with its exact origin as the target.
    fn report(&self, report: Report) {
        if let Ok(Some(parent)) = self.window.parent()
            && let Ok(message) = codec::write_report(report)
        {
            let _ = parent.post_message(&message, &self.parent_origin);
        }
    }

    /// Performs the state machine's effects, in order. Each event handler takes
    /// its effects out of the state first, so performing them may feed it again.
    fn perform(&self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Report(report) => self.report(report),
                Effect::Show(action) => self.show(action),
                Effect::End(flow) => {
                    self.owned.borrow_mut().take_if(|owned| owned.flow == flow);
                    self.show(Action::End(flow));
                }
                Effect::CreateSession { flow, api_base_url, publishable_key, pan, token_id } => {
                    let readings = match device::read() {
                        Ok(readings) => readings,
                        Err(e) => {
                            let error = CallError { code: ErrorCode::InvalidArgument, message: format!("device data: {}", backend::describe(&e)) };
                            let effects = self.flow.borrow_mut().on_call_failed(flow, error);
                            self.perform(effects);
                            continue;
                        }
                    };
                    let body = CreateSession {
                        pan,
                        token_id,
                        device: Some("browser".into()),
                        device_info: Some(device::to_device_info(&readings)),
                        kind: None,
                    };
                    let created = backend::call(
                        "POST",
                        &format!("{api_base_url}/3ds/sessions"),
                        &publishable_key,
                        Some(body.to_json()),
                        CreatedSession::from_json,
                    );
                    // The 3DS Method's frame is made while the API makes the session
                    // (after the request left: making a frame takes a while).
                    if let Some(view) = self.view.borrow_mut().as_mut() {
                        view.prepare_method();
                    }
                    self.spawn(flow, async move {
                        let session = created.await?;
                        Ok(move |state: &mut FlowState| state.on_session_created(flow, session, now_ms()))
                    });
                }
                Effect::ReadBrowser { flow, version } => {
                    // The EMV fields, without the Accept header and IP: the 3DS Server reads those from the request.
                    let report = match device::read() {
                        Ok(readings) => {
                            let fields = threeds_protocol::BrowserInfo::from_readings(&readings, version);
                            Report::BrowserInfo { flow, fields: fields.to_json() }
                        }
                        Err(e) => Report::failed(flow, ErrorCode::InvalidArgument, format!("device data: {}", backend::describe(&e))),
                    };
                    self.report(report);
                }
                Effect::FetchTransId { flow, url, publishable_key } => self.spawn(flow, async move {
                    let session = backend::call("GET", &url, &publishable_key, None, SessionTransaction::from_json).await?;
                    Ok(move |state: &mut FlowState| state.on_trans_id(flow, session.three_ds_server_transaction_id))
                }),
                Effect::FetchStatus { flow, url, publishable_key } => self.spawn(flow, async move {
                    let status = backend::call("GET", &url, &publishable_key, None, SessionStatus::from_json).await?;
                    Ok(move |state: &mut FlowState| state.on_status(flow, status))
                }),
                Effect::MethodTimer { flow, ms } => {
                    let me = self.me.clone();
                    let timer = Timeout::new(ms, move || {
                        if let Some(controller) = me.upgrade() {
                            let effects = controller.flow.borrow_mut().on_method_timeout(flow, now_ms());
                            controller.perform(effects);
                        }
                    });
                    self.own(flow, |owned| owned._timer = Some(timer));
                }
            }
        }
    }

    /// Changes what the page shows. The view calls back (a frame was posted) only
    /// after it has changed, outside this borrow's reach: its callbacks feed the
    /// state machine, never the view.
    fn show(&self, action: Action) {
        if let Some(view) = self.view.borrow_mut().as_mut() {
            view.apply(action);
        }
    }

    /// Runs a session API call; its answer feeds the state machine, its failure ends the flow.
    fn spawn<F>(&self, flow: FlowId, call: impl Future<Output = Result<F, CallError>> + 'static)
    where
        F: FnOnce(&mut FlowState) -> Vec<Effect> + 'static,
    {
        let Some(me) = self.me.upgrade() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            let result = call.await;
            let effects = match result {
                Ok(answer) => answer(&mut me.flow.borrow_mut()),
                Err(error) => me.flow.borrow_mut().on_call_failed(flow, error),
            };
            me.perform(effects);
        });
    }

    /// Gives the flow in progress a listener or timer to own (nothing if `flow` is not it).
    fn own(&self, flow: FlowId, give: impl FnOnce(&mut Owned)) {
        if !self.flow.borrow().is_active(flow) {
            return;
        }
        let mut owned = self.owned.borrow_mut();
        let owned = owned.get_or_insert_with(|| Owned { flow, _listener: None, _timer: None });
        if owned.flow != flow {
            *owned = Owned { flow, _listener: None, _timer: None };
        }
        give(owned);
    }

    /// The method form was posted into `frame`: wait for its notification.
    pub fn method_posted(&self, flow: FlowId, frame: HtmlIFrameElement) {
        self.watch(flow, frame);
    }

    /// The CReq was posted into `frame` (or it loads a processor's page): wait for
    /// the challenge notification (or the return page).
    pub fn challenge_posted(&self, flow: FlowId, frame: HtmlIFrameElement) {
        self.watch(flow, frame);
    }

    /// The spare host frame's idle work: the next challenge's frame, made now.
    pub fn prepare_challenge(&self) {
        if let Some(view) = self.view.borrow_mut().as_mut() {
            view.prepare_challenge();
        }
    }

    /// The ACS page is showing.
    pub fn challenge_loaded(&self, flow: FlowId) {
        let effects = self.flow.borrow_mut().on_challenge_loaded(flow);
        self.perform(effects);
    }

    /// Escape inside the host page asks the embed to cancel the challenge.
    pub fn escape(&self) {
        let effects = self.flow.borrow().on_escape();
        self.perform(effects);
    }

    /// Listens for relay messages from `frame`'s window at the host page's own
    /// origin (where `relay.html` is served) or, for the session API's flows, at
    /// that API's origins (its notification endpoints' own relay page): a relay is
    /// accepted only from the flow's own frame.
    fn watch(&self, flow: FlowId, frame: HtmlIFrameElement) {
        if !self.flow.borrow().is_active(flow) {
            return;
        }
        let Ok(own_origin) = self.window.location().origin() else { return };
        let api_origins = self.flow.borrow().api_origins(flow).to_vec();
        let me = self.me.clone();
        let listener = EventListener::new(&self.window, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
            let from_frame = match (event.source(), frame.content_window()) {
                (Some(source), Some(window)) => wasm_bindgen::JsValue::from(source) == wasm_bindgen::JsValue::from(window),
                _ => false,
            };
            let origin = event.origin();
            let expected = if api_origins.contains(&origin) { &origin } else { &own_origin };
            if threeds_api::check_sender(&origin, expected, from_frame).is_err() {
                return;
            }
            if let (Some(message), Some(controller)) = (codec::read_page_message(&event.data()), me.upgrade()) {
                // A return page must be on our origin, whose addresses are ours to read
                // (it already dropped its query); another origin's has none to read.
                let page_url = frame.content_window().and_then(|w| Some(format!("{}{}", w.location().origin().ok()?, w.location().pathname().ok()?)));
                let effects = controller.flow.borrow_mut().on_relay(flow, message, &page_url.unwrap_or_default(), now_ms());
                controller.perform(effects);
            }
        });
        self.own(flow, |owned| owned._listener = Some(listener));
    }
}
