//! The host's flows: commands from the embed in, reports to the embed out, the
//! session API and the notification messages in between. It owns the listener and
//! timer of the flow in progress; ending the flow drops them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use threeds_protocol::messages::{CReq, MethodData};
use threeds_protocol::{ChallengeWindowSize, MessageVersion, codec};
use wasm_bindgen::JsCast;
use web_sys::{HtmlIFrameElement, MessageEvent, Window};
use yew::UseReducerDispatcher;

use super::backend::{self, CallError};
use super::state::{Action, ChallengeView, HostState, MethodView};
use crate::device;
use threeds_api::session::{CreateSession, CreatedSession, SessionObject};
use threeds_api::{Command, Envelope, ErrorCode, FlowId, Relay, Report};

/// What the flow in progress is waiting for.
enum Waiting {
    /// The session API.
    Api,
    /// The method notification (or the timeout: then N).
    Method { session: CreatedSession, started_ms: f64 },
    /// The challenge notification.
    Challenge { session_id: String, trans_id: String, acs_trans_id: String },
}

struct Active {
    flow: FlowId,
    api_origin: String,
    waiting: Waiting,
    _listener: Option<EventListener>,
    _timer: Option<Timeout>,
}

/// Runs the host page's flows, one at a time.
pub struct Controller {
    window: Window,
    parent_origin: String,
    dispatch: UseReducerDispatcher<HostState>,
    active: RefCell<Option<Active>>,
    /// threeDSServerTransID by session ID, for challenges of sessions created here.
    trans_ids: RefCell<HashMap<String, String>>,
    me: Weak<Controller>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Controller {
    /// A controller answering `parent_origin` (the checkout page) only.
    pub fn new(window: Window, parent_origin: String, dispatch: UseReducerDispatcher<HostState>) -> Rc<Self> {
        Rc::new_cyclic(|me| Self {
            window,
            parent_origin,
            dispatch,
            active: RefCell::new(None),
            trans_ids: RefCell::new(HashMap::new()),
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
        let Ok(envelope) = serde_wasm_bindgen::from_value::<Envelope<Command>>(event.data()) else { return };
        if let Ok(command) = envelope.open() {
            self.command(command);
        }
    }

    /// Reports to the checkout page, with its exact origin as the target.
    fn report(&self, report: Report) {
        if let Ok(Some(parent)) = self.window.parent() {
            let message = serde::Serialize::serialize(&Envelope::new(report), &serde_wasm_bindgen::Serializer::json_compatible());
            if let Ok(message) = message {
                let _ = parent.post_message(&message, &self.parent_origin);
            }
        }
    }

    fn fail(&self, flow: FlowId, error: CallError) {
        self.end(flow);
        self.report(Report::Failed { flow, code: error.code, message: error.message });
    }

    /// Ends a flow if it is the one in progress: its listener and timer go, its frames go.
    fn end(&self, flow: FlowId) -> Option<Active> {
        let ended = self.active.borrow_mut().take_if(|active| active.flow == flow);
        self.dispatch.dispatch(Action::End(flow));
        ended
    }

    /// Acts on a command from the embed.
    pub fn command(&self, command: Command) {
        let (flow, api_base_url) = match &command {
            Command::Cancel { flow } => {
                self.end(*flow);
                return;
            }
            Command::CreateSession { flow, api_base_url, .. } | Command::StartChallenge { flow, api_base_url, .. } => (*flow, api_base_url.clone()),
        };
        let Some(api_origin) = threeds_api::origin_of(&api_base_url) else {
            self.report(Report::Failed { flow, code: ErrorCode::InvalidArgument, message: "apiBaseUrl is not an http(s) URL".into() });
            return;
        };
        if self.active.borrow().is_some() {
            self.report(Report::Failed { flow, code: ErrorCode::Busy, message: "another flow is running in this frame".into() });
            return;
        }
        *self.active.borrow_mut() = Some(Active { flow, api_origin, waiting: Waiting::Api, _listener: None, _timer: None });
        let Some(me) = self.me.upgrade() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            let result = match command {
                Command::CreateSession { flow, api_base_url, publishable_key, pan, token_id, method_timeout_ms } => {
                    me.create_session(flow, &api_base_url, &publishable_key, pan, token_id, method_timeout_ms).await
                }
                Command::StartChallenge { .. } => me.start_challenge(command).await,
                Command::Cancel { .. } => Ok(()),
            };
            if let Err(error) = result {
                me.fail(flow, error);
            }
        });
    }

    fn still(&self, flow: FlowId) -> bool {
        self.active.borrow().as_ref().is_some_and(|active| active.flow == flow)
    }

    async fn create_session(
        &self,
        flow: FlowId,
        api_base_url: &str,
        key: &str,
        pan: Option<String>,
        token_id: Option<String>,
        method_timeout_ms: u32,
    ) -> Result<(), CallError> {
        let readings = device::read().map_err(|e| CallError { code: ErrorCode::InvalidArgument, message: format!("device data: {e:?}") })?;
        let body = CreateSession { pan, token_id, device: Some("browser".into()), device_info: Some(device::to_device_info(&readings)), kind: None };
        let session: CreatedSession = backend::call("POST", &format!("{api_base_url}/3ds/sessions"), key, Some(&body)).await?;
        if !self.still(flow) {
            return Ok(()); // cancelled meanwhile
        }
        self.trans_ids.borrow_mut().insert(session.id.clone(), session.three_ds_server_transaction_id.clone());
        let Some(method_url) = session.method_url.clone() else {
            // Rule: no method URL, threeDSCompInd U.
            self.report(Report::MethodCompleted { flow, indicator: "U".into(), ms: 0 });
            self.complete_session(flow, &session, "U");
            return Ok(());
        };
        let method_data = MethodData {
            three_ds_server_trans_id: session.three_ds_server_transaction_id.clone(),
            three_ds_method_notification_url: session.method_notification_url.clone(),
            extra: Default::default(),
        }
        .encode();
        let me = self.me.clone();
        // Rule: no notification within the timeout (10 s by default) is N, not an error.
        let timer = Timeout::new(method_timeout_ms, move || {
            if let Some(controller) = me.upgrade() {
                controller.finish_method(flow, "N");
            }
        });
        if let Some(active) = self.active.borrow_mut().as_mut() {
            active.waiting = Waiting::Method { session, started_ms: now_ms() };
            active._timer = Some(timer);
        }
        self.dispatch.dispatch(Action::ShowMethod(MethodView { flow, frame_name: format!("threeds-method-{flow}"), method_url, method_data }));
        self.report(Report::MethodStarted { flow });
        Ok(())
    }

    /// The method form was posted into `frame`: wait for its notification.
    pub fn method_posted(&self, flow: FlowId, frame: HtmlIFrameElement) {
        let me = self.me.clone();
        self.watch(flow, frame, move |relay| match relay {
            Relay::MethodNotification { three_ds_server_trans_id, .. } => {
                if let Some(controller) = me.upgrade()
                    && controller.expects_method(flow, &three_ds_server_trans_id)
                {
                    controller.finish_method(flow, "Y");
                }
            }
            Relay::ChallengeNotification { .. } => {}
        });
    }

    fn expects_method(&self, flow: FlowId, trans_id: &str) -> bool {
        matches!(
            self.active.borrow().as_ref(),
            Some(Active { flow: f, waiting: Waiting::Method { session, .. }, .. })
                if *f == flow && session.three_ds_server_transaction_id == trans_id
        )
    }

    fn finish_method(&self, flow: FlowId, indicator: &str) {
        let Some(active) = self.end(flow) else { return };
        if let Waiting::Method { session, started_ms } = active.waiting {
            let ms = (now_ms() - started_ms).max(0.0) as u32;
            self.report(Report::MethodCompleted { flow, indicator: indicator.into(), ms });
            self.complete_session(flow, &session, indicator);
        }
    }

    fn complete_session(&self, flow: FlowId, session: &CreatedSession, indicator: &str) {
        self.end(flow);
        self.report(Report::SessionCreated {
            flow,
            session_id: session.id.clone(),
            three_ds_server_trans_id: session.three_ds_server_transaction_id.clone(),
            method_completion_indicator: indicator.into(),
            recommended_version: session.recommended_version.as_str().into(),
            card_brand: session.card_brand.clone(),
        });
    }

    async fn start_challenge(&self, command: Command) -> Result<(), CallError> {
        let Command::StartChallenge {
            flow,
            api_base_url,
            publishable_key,
            session_id,
            three_ds_server_trans_id,
            acs_challenge_url,
            acs_transaction_id,
            three_ds_version,
            window_size,
        } = command
        else {
            return Ok(());
        };
        let invalid = |message: &str| CallError { code: ErrorCode::InvalidArgument, message: message.into() };
        let size = ChallengeWindowSize::from_code(&window_size).ok_or_else(|| invalid("windowSize"))?;
        let version: MessageVersion = three_ds_version.parse().map_err(|_| invalid("threeDSVersion must be 2.1.0, 2.2.0 or 2.3.1"))?;
        let known = three_ds_server_trans_id.or_else(|| self.trans_ids.borrow().get(&session_id).cloned());
        let trans_id = match known {
            Some(id) => id,
            None => {
                let url = format!("{api_base_url}/3ds/sessions/{session_id}");
                backend::call::<SessionObject>("GET", &url, &publishable_key, None::<&()>).await?.three_ds_server_transaction_id
            }
        };
        if !self.still(flow) {
            return Ok(());
        }
        let creq = CReq::new(version, trans_id.clone(), acs_transaction_id.clone(), size);
        if let Some(active) = self.active.borrow_mut().as_mut() {
            active.waiting = Waiting::Challenge { session_id: session_id.clone(), trans_id: trans_id.clone(), acs_trans_id: acs_transaction_id };
        }
        self.dispatch.dispatch(Action::ShowChallenge(ChallengeView {
            flow,
            frame_name: format!("threeds-challenge-{flow}"),
            acs_url: acs_challenge_url,
            creq: codec::encode_json(&creq),
            // Echoed back by the ACS with the CRes: the session it belongs to.
            session_data: codec::encode(session_id.as_bytes()),
            size,
            loaded: false,
        }));
        Ok(())
    }

    /// The CReq was posted into `frame`: wait for the challenge notification.
    pub fn challenge_posted(&self, flow: FlowId, frame: HtmlIFrameElement) {
        let me = self.me.clone();
        self.watch(flow, frame, move |relay| {
            let Relay::ChallengeNotification { three_ds_server_trans_id, acs_trans_id, trans_status, .. } = relay else { return };
            let Some(controller) = me.upgrade() else { return };
            let session_id = match controller.active.borrow().as_ref() {
                Some(Active { flow: f, waiting: Waiting::Challenge { session_id, trans_id, acs_trans_id: acs }, .. })
                    if *f == flow && *trans_id == three_ds_server_trans_id && *acs == acs_trans_id =>
                {
                    session_id.clone()
                }
                _ => return, // another transaction's message
            };
            controller.end(flow);
            controller.report(Report::ChallengeCompleted {
                flow,
                session_id,
                three_ds_server_trans_id,
                acs_transaction_id: acs_trans_id,
                trans_status: trans_status.unwrap_or_else(|| "N".into()),
            });
        });
    }

    /// The ACS page is showing.
    pub fn challenge_loaded(&self, flow: FlowId) {
        if self.still(flow) {
            self.dispatch.dispatch(Action::ChallengeLoaded(flow));
            self.report(Report::ChallengeShown { flow });
        }
    }

    /// Escape inside the host page asks the embed to cancel the challenge.
    pub fn escape(&self) {
        let flow = match self.active.borrow().as_ref() {
            Some(Active { flow, waiting: Waiting::Challenge { .. }, .. }) => *flow,
            _ => return,
        };
        self.report(Report::CancelRequested { flow });
    }

    /// Listens for relay messages from `frame`'s window at the 3DS Server's origin.
    fn watch(&self, flow: FlowId, frame: HtmlIFrameElement, on_relay: impl Fn(Relay) + 'static) {
        let Some(api_origin) = self.active.borrow().as_ref().filter(|a| a.flow == flow).map(|a| a.api_origin.clone()) else { return };
        let listener = EventListener::new(&self.window, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
            let from_frame = match (event.source(), frame.content_window()) {
                (Some(source), Some(window)) => wasm_bindgen::JsValue::from(source) == wasm_bindgen::JsValue::from(window),
                _ => false,
            };
            if threeds_api::check_sender(&event.origin(), &api_origin, from_frame).is_err() {
                return;
            }
            if let Ok(relay) = serde_wasm_bindgen::from_value::<Relay>(event.data()) {
                on_relay(relay);
            }
        });
        if let Some(active) = self.active.borrow_mut().as_mut().filter(|a| a.flow == flow) {
            active._listener = Some(listener);
        }
    }
}
