//! The host's flow state machine, as pure data: one flow at a time, what it waits
//! for, and what each event (a command, an API answer, a relay message, the method
//! timeout, the ACS page loading, Escape) changes. Every event returns the effects
//! for the controller to perform, in order; no DOM, timer or network call here.
//!
//! Relay messages (`relay.html`'s [`PageMessage::Relay`]) reach [`FlowState::on_relay`]
//! only from the flow's own frame at the host page's own origin, or for the session
//! API's flows at that API's origins ([`FlowState::api_origins`]; the controller
//! checks that); here their version, fields and transaction IDs are checked.

use std::collections::HashMap;

use threeds_api::calls::{self, CReqSource, Call, Card};
use threeds_api::session::{CreatedSession, SessionStatus};
use threeds_api::{AcsErroDetail, Command, ErrorCode, FlowId, PageMessage, RELAY_VERSION, RelayFields, Report};
use threeds_protocol::erro::{ErrorCode as ErroCode, ErrorComponent};
use threeds_protocol::members::{Members, ObjectWriter};
use threeds_protocol::messages::{CReq, GivenCReq, MethodData, MethodNotification};
use threeds_protocol::{ChallengeWindowSize, MessageVersion, codec};

use super::backend::CallError;
use super::state::{Action, ChallengePost, ChallengeView, MethodView};

/// What the controller does for the state machine.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Post this report to the checkout page.
    Report(Report),
    /// Change what the page shows.
    Show(Action),
    /// Drop the flow's listener and timer, remove its frames: it is over (or never
    /// started), or waits for the session API only.
    End(FlowId),
    /// Read the device data and create the session; answer with
    /// [`FlowState::on_session_created`] or [`FlowState::on_call_failed`].
    CreateSession {
        /// The flow it is for.
        flow: FlowId,
        /// The session API's base URL.
        api_base_url: String,
        /// The publishable key.
        publishable_key: String,
        /// The card number, or...
        pan: Option<String>,
        /// ...the card vault's token.
        token_id: Option<String>,
    },
    /// Read the session to learn its threeDSServerTransID; answer with
    /// [`FlowState::on_trans_id`] or [`FlowState::on_call_failed`].
    FetchTransId {
        /// The flow it is for.
        flow: FlowId,
        /// The session's URL in the session API.
        url: String,
        /// The publishable key.
        publishable_key: String,
    },
    /// Read the session's status, as the 3DS Server holds it after the ACS's RReq;
    /// answer with [`FlowState::on_status`] or [`FlowState::on_call_failed`].
    FetchStatus {
        /// The flow it is for.
        flow: FlowId,
        /// The session's URL in the session API.
        url: String,
        /// The publishable key.
        publishable_key: String,
    },
    /// Read this browser's EMV fields for `version` and report them ([`Report::BrowserInfo`]).
    ReadBrowser {
        /// The flow it is for.
        flow: FlowId,
        /// The protocol version the fields are for.
        version: MessageVersion,
    },
    /// Start the 3DS Method's timer: [`FlowState::on_method_timeout`] when it fires.
    MethodTimer {
        /// The flow it is for.
        flow: FlowId,
        /// How long the method may take.
        ms: u32,
    },
}

/// The CReq's parts, kept while the session API is asked for the transaction ID.
#[derive(Debug, Clone, PartialEq)]
struct Challenge {
    session_id: String,
    /// The session in the session API, and the key to read it with.
    session_url: String,
    publishable_key: String,
    acs_url: String,
    acs_trans_id: String,
    version: MessageVersion,
    size: ChallengeWindowSize,
}

/// What the flow in progress is waiting for.
#[derive(Debug, Clone, PartialEq)]
enum Waiting {
    /// The session API's new session (the method then waits `method_timeout_ms`).
    Session { method_timeout_ms: u32 },
    /// The session API's transaction ID of the session, to write the CReq.
    TransId(Challenge),
    /// The method notification naming `trans_id` (or the timeout: then N); then
    /// `createSession` completes with `session`, `runMethod` with the indicator.
    Method { trans_id: String, session: Option<CreatedSession>, started_ms: f64 },
    /// The challenge notification: a final CRes or an Erro with these IDs (and
    /// `session_data` echoed, if at all). `shown`: challenge-shown was reported.
    Challenge { ids: Ids, session_data: Option<String>, then: AfterCRes, shown: bool },
    /// The session's status, after a final CRes: it is what the flow reports.
    Status(Ids),
    /// A processor's page, until it navigates the frame to the return page.
    Return { shown: bool },
}

/// What a final CRes leads to.
#[derive(Debug, Clone, PartialEq)]
enum AfterCRes {
    /// `startChallenge`: the session API's status of the session is what counts.
    Status { session_url: String, publishable_key: String },
    /// `challenge`: the CRes itself is the result (the 3DS Server has the RReq).
    Report,
}

/// The IDs a challenge's completion reports.
#[derive(Debug, Clone, PartialEq)]
struct Ids {
    session_id: String,
    trans_id: String,
    acs_trans_id: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Active {
    flow: FlowId,
    waiting: Waiting,
    /// For the session API's flows (`createSession`, `startChallenge`): the origins
    /// its relay page may come from (the API's notification endpoints may answer
    /// with one of their own): `apiBaseUrl`'s, and the notification URL's when the
    /// session's answer named it (a server may spell its own address otherwise).
    api_origins: Vec<String>,
}

impl Active {
    /// A flow that takes relays from the host page's own origin only.
    fn new(flow: FlowId, waiting: Waiting) -> Self {
        Self { flow, waiting, api_origins: Vec::new() }
    }

    /// Takes the flow's relays from the session API at `origin` too (once, if any).
    fn trust(&mut self, origin: Option<String>) {
        if let Some(origin) = origin.filter(|origin| !self.api_origins.contains(origin)) {
            self.api_origins.push(origin);
        }
    }
}

/// What this frame learned of a session it created: its transaction, and where its
/// notification endpoints are (their relay page's origin).
#[derive(Debug, Clone)]
struct Known {
    trans_id: String,
    notification_origin: Option<String>,
}

/// Upper bound on a decoded CRes or Erro (each is well under 1 KB).
const MAX_CRES_BYTES: usize = 16 * 1024;
/// Upper bound on `threeDSSessionData` (EMV: at most 1024 characters).
const MAX_SESSION_DATA: usize = 1024;

/// How a challenge ended, read from a relay's fields.
#[derive(Debug, Clone, PartialEq)]
enum ChallengeEnd {
    /// A final CRes of the transaction, as JSON text.
    CRes(String),
    /// An Erro about the transaction.
    Erro(AcsErroDetail),
}

/// Reads the `cres` field (a CRes or, failing that, an Erro) and checks that it is
/// about `ids`' transaction and that `threeDSSessionData`, when echoed, is ours.
/// Anything else (malformed, oversized, another transaction's): `None`.
fn challenge_end(fields: &RelayFields, ids: &Ids, session_data: Option<&str>) -> Option<ChallengeEnd> {
    if let Some(echoed) = fields.three_ds_session_data.as_deref().filter(|echoed| !echoed.is_empty())
        && (!is_session_data(echoed) || Some(echoed.trim_end_matches('=')) != session_data.map(|ours| ours.trim_end_matches('=')))
    {
        return None;
    }
    let json = String::from_utf8(codec::decode(fields.cres.as_deref()?, MAX_CRES_BYTES).ok()?).ok()?;
    let members = Members::parse(&json).ok()?;
    let text = |name: &str| members.text(name);
    let ours = text("threeDSServerTransID") == Some(ids.trans_id.clone()) && text("acsTransID") == Some(ids.acs_trans_id.clone());
    match text("messageType")?.as_str() {
        "CRes" => ours.then_some(ChallengeEnd::CRes(json.clone())),
        "Erro" => {
            let code = ErroCode::from_code(&text("errorCode")?).ok()?;
            let component = ErrorComponent::from_code(&text("errorComponent")?).ok()?;
            ours.then(|| {
                ChallengeEnd::Erro(AcsErroDetail {
                    error_code: code.code().into(),
                    error_component: component.code().into(),
                    error_description: text("errorDescription").unwrap_or_default(),
                })
            })
        }
        _ => None,
    }
}

/// Whether `data` may be `threeDSSessionData`: base64url, at most 1024 characters.
fn is_session_data(data: &str) -> bool {
    data.len() <= MAX_SESSION_DATA && data.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
}

/// The host frame's flows: the one in progress, and the transaction IDs of the
/// sessions created here (a challenge of theirs needs no API call to find it).
#[derive(Debug, Default)]
pub struct FlowState {
    /// The host page's own origin: where the return page must be.
    sdk_origin: String,
    active: Option<Active>,
    /// The sessions created here, by session ID.
    known: HashMap<String, Known>,
}

fn failed(flow: FlowId, code: ErrorCode, message: &str) -> Effect {
    Effect::Report(Report::failed(flow, code, message))
}

impl FlowState {
    /// The flows of a host page served from `sdk_origin`.
    pub fn new(sdk_origin: String) -> Self {
        Self { sdk_origin, ..Self::default() }
    }

    /// Whether `flow` is the flow in progress.
    pub fn is_active(&self, flow: FlowId) -> bool {
        self.active.as_ref().is_some_and(|active| active.flow == flow)
    }

    /// Where else than the host page's own origin `flow`'s relay may come from: the
    /// session API's origins, for its flows. Its notification endpoints may answer
    /// the ACS's post with a relay page of their own, a round trip less than sending
    /// the frame on to `relay.html`. The host already trusts that API's answers.
    pub fn api_origins(&self, flow: FlowId) -> &[String] {
        self.active.as_ref().filter(|active| active.flow == flow).map_or(&[], |active| &active.api_origins)
    }

    /// Ends `flow` if it is the one in progress.
    fn end(&mut self, flow: FlowId) -> Option<Active> {
        self.active.take_if(|active| active.flow == flow)
    }

    /// A command from the embed: cancel ends its flow; a new flow starts only with
    /// checked options and when no other flow runs (else a `Failed` report).
    /// `collectBrowserInfo` is no flow: it is answered at once, whatever runs.
    pub fn on_command(&mut self, command: Command, now_ms: f64) -> Vec<Effect> {
        let (flow, call, options, window_size, method_timeout_ms) = match command {
            Command::Cancel { flow } => return self.on_cancel(flow),
            Command::Hello => return vec![Effect::Report(Report::Ready)],
            Command::Call { flow, call, options, window_size, method_timeout_ms } => (flow, call, options, window_size, method_timeout_ms),
        };
        let read = calls::read(&call, &options);
        if call == "collectBrowserInfo" {
            return match read {
                Ok(Call::CollectBrowserInfo { version }) => vec![Effect::ReadBrowser { flow, version }],
                Ok(_) | Err(_) => vec![failed(flow, ErrorCode::InvalidArgument, "messageVersion must be 2.1.0, 2.2.0 or 2.3.1")],
            };
        }
        if self.active.is_some() {
            return vec![failed(flow, ErrorCode::Busy, "another flow is running in this frame")];
        }
        let call = match read {
            Ok(call) => call,
            Err(message) => return vec![Effect::End(flow), failed(flow, ErrorCode::InvalidArgument, &message)],
        };
        let size = window_size.as_deref().and_then(ChallengeWindowSize::from_code);
        self.start_call(flow, call, size, method_timeout_ms, now_ms)
    }

    /// The session API's challenge: the session's transaction ID, known or fetched, then the CReq.
    fn start_session_challenge(&mut self, flow: FlowId, challenge: Challenge, trans_id: Option<String>) -> Vec<Effect> {
        let session = self.known.get(&challenge.session_id).cloned();
        let (url, publishable_key) = (challenge.session_url.clone(), challenge.publishable_key.clone());
        let notification_origin = session.as_ref().and_then(|known| known.notification_origin.clone());
        let mut active = Active::new(flow, Waiting::TransId(challenge));
        active.trust(threeds_api::origin_of(&url));
        active.trust(notification_origin);
        self.active = Some(active);
        match trans_id.or(session.map(|known| known.trans_id)) {
            Some(trans_id) => self.on_trans_id(flow, trans_id),
            None => vec![Effect::FetchTransId { flow, url, publishable_key }],
        }
    }

    /// Starts a checked backend-agnostic call (no other flow runs).
    fn start_call(&mut self, flow: FlowId, call: Call, size: Option<ChallengeWindowSize>, method_timeout_ms: u32, now_ms: f64) -> Vec<Effect> {
        let invalid = |message: &str| vec![Effect::End(flow), failed(flow, ErrorCode::InvalidArgument, message)];
        match call {
            Call::CreateSession { api_base_url, publishable_key, card } => {
                let mut active = Active::new(flow, Waiting::Session { method_timeout_ms });
                active.trust(threeds_api::origin_of(&api_base_url));
                self.active = Some(active);
                let (pan, token_id) = match card {
                    Card::Pan(pan) => (Some(pan), None),
                    Card::Token(token) => (None, Some(token)),
                };
                vec![Effect::CreateSession { flow, api_base_url, publishable_key, pan, token_id }]
            }
            Call::StartChallenge { api_base_url, publishable_key, session_id, trans_id, acs_url, acs_trans_id, version } => {
                let Some(size) = size else { return invalid("windowSize") };
                let session_url = format!("{api_base_url}/3ds/sessions/{session_id}");
                let challenge = Challenge { session_id, session_url, publishable_key, acs_url, acs_trans_id, version, size };
                self.start_session_challenge(flow, challenge, trans_id)
            }
            Call::RunMethod { method_url: None, .. } => vec![
                Effect::Report(Report::MethodCompleted { flow, indicator: "U".into(), ms: 0 }),
                Effect::Report(Report::MethodFinished { flow, indicator: "U".into() }),
            ],
            Call::RunMethod { method_url: Some(method_url), trans_id, method_data } => {
                let method_data = match method_data {
                    calls::MethodData::Given(data) => match MethodData::trans_id_of(&data) {
                        Some(named) if named == trans_id => data,
                        Some(_) => return invalid("threeDSMethodData names another threeDSServerTransID"),
                        None => return invalid("threeDSMethodData is not a 3DS Method data field"),
                    },
                    calls::MethodData::Notify(url) => MethodData::encode_new(&trans_id, &url),
                };
                self.active = Some(Active::new(flow, Waiting::Method { trans_id, session: None, started_ms: now_ms }));
                vec![
                    Effect::MethodTimer { flow, ms: method_timeout_ms },
                    Effect::Show(Action::ShowMethod(MethodView { flow, frame_name: format!("threeds-method-{flow}"), method_url, method_data })),
                    Effect::Report(Report::MethodStarted { flow }),
                ]
            }
            Call::Challenge { acs_url, creq, session_data } => {
                let Some(size) = size else { return invalid("windowSize") };
                let (creq, trans_id, acs_trans_id) = match creq {
                    CReqSource::Given(encoded) => {
                        let json = codec::decode(&encoded, MAX_CRES_BYTES).ok().and_then(|bytes| String::from_utf8(bytes).ok()).unwrap_or_default();
                        let Some(given) = GivenCReq::parse(&json) else {
                            return invalid("creq is not a base64url CReq");
                        };
                        // The ACS lays its page out for the CReq's size: it must be the frame's.
                        let encoded =
                            if given.challenge_window_size == size { encoded } else { codec::encode(given.to_json_with_size(size).as_bytes()) };
                        (encoded, given.three_ds_server_trans_id, given.acs_trans_id)
                    }
                    CReqSource::Write { trans_id, acs_trans_id, version } => {
                        (CReq::encode_new(version, &trans_id, &acs_trans_id, size), trans_id, acs_trans_id)
                    }
                };
                let view = ChallengeView {
                    flow,
                    frame_name: format!("threeds-challenge-{flow}"),
                    url: acs_url,
                    post: Some(ChallengePost { creq, session_data: session_data.clone() }),
                    size,
                    loaded: false,
                };
                let ids = Ids { session_id: String::new(), trans_id, acs_trans_id };
                self.active = Some(Active::new(flow, Waiting::Challenge { ids, session_data, then: AfterCRes::Report, shown: false }));
                vec![Effect::Show(Action::ShowChallenge(view))]
            }
            Call::Present { url, return_url } => {
                let Some(size) = size else { return invalid("windowSize") };
                if return_url.is_some_and(|url| threeds_api::origin_of(&url).as_deref() != Some(self.sdk_origin.as_str())) {
                    let message =
                        format!("returnUrl must be on the SDK origin ({}) inline and in a modal: its page tells the SDK host frame", self.sdk_origin);
                    return invalid(&message);
                }
                self.active = Some(Active::new(flow, Waiting::Return { shown: false }));
                let view = ChallengeView { flow, frame_name: format!("threeds-page-{flow}"), url, post: None, size, loaded: false };
                vec![Effect::Show(Action::ShowChallenge(view))]
            }
            Call::CollectBrowserInfo { version } => vec![Effect::ReadBrowser { flow, version }],
        }
    }

    /// The embed cancelled `flow`: if it is the flow in progress, it ends (its
    /// listener, timer and frames go) and settles `cancelled` (the embed, which
    /// settles its own promise on cancel, drops that report as a duplicate). A
    /// cancel for a flow this frame does not run changes nothing.
    pub fn on_cancel(&mut self, flow: FlowId) -> Vec<Effect> {
        match self.end(flow) {
            Some(_) => vec![Effect::End(flow), failed(flow, ErrorCode::Cancelled, "the flow was cancelled")],
            None => Vec::new(),
        }
    }

    /// A call to the session API failed: the flow ends with a `Failed` report
    /// (reported even when the flow was cancelled meanwhile: the embed drops it).
    pub fn on_call_failed(&mut self, flow: FlowId, error: CallError) -> Vec<Effect> {
        self.end(flow);
        vec![Effect::End(flow), Effect::Report(Report::failed(flow, error.code, error.message))]
    }

    /// The session exists. Without a method URL the method's indicator is U and the
    /// flow completes; else the method frame shows and its timer starts.
    pub fn on_session_created(&mut self, flow: FlowId, session: CreatedSession, now_ms: f64) -> Vec<Effect> {
        let method_timeout_ms = match &self.active {
            Some(Active { flow: f, waiting: Waiting::Session { method_timeout_ms }, .. }) if *f == flow => *method_timeout_ms,
            _ => return Vec::new(), // cancelled meanwhile
        };
        let notification_origin = threeds_api::origin_of(&session.method_notification_url);
        if let Some(active) = self.active.as_mut() {
            active.trust(notification_origin.clone());
        }
        let known = Known { trans_id: session.three_ds_server_transaction_id.clone(), notification_origin };
        self.known.insert(session.id.clone(), known);
        let Some(method_url) = session.method_url.clone() else {
            self.end(flow);
            return vec![
                Effect::Report(Report::MethodCompleted { flow, indicator: "U".into(), ms: 0 }),
                Effect::End(flow),
                Effect::Report(session_created(flow, &session, "U")),
            ];
        };
        let method_data = MethodData::encode_new(&session.three_ds_server_transaction_id, &session.method_notification_url);
        if let Some(active) = self.active.as_mut() {
            active.waiting = Waiting::Method { trans_id: session.three_ds_server_transaction_id.clone(), session: Some(session), started_ms: now_ms };
        }
        vec![
            Effect::MethodTimer { flow, ms: method_timeout_ms },
            Effect::Show(Action::ShowMethod(MethodView { flow, frame_name: format!("threeds-method-{flow}"), method_url, method_data })),
            Effect::Report(Report::MethodStarted { flow }),
        ]
    }

    /// No method notification in time: the method's indicator is N, not an error.
    pub fn on_method_timeout(&mut self, flow: FlowId, now_ms: f64) -> Vec<Effect> {
        self.finish_method(flow, "N", now_ms)
    }

    fn finish_method(&mut self, flow: FlowId, indicator: &str, now_ms: f64) -> Vec<Effect> {
        let Some(Active { waiting: Waiting::Method { session, started_ms, .. }, .. }) = self.end(flow) else { return vec![Effect::End(flow)] };
        let ms = (now_ms - started_ms).max(0.0) as u32;
        let completion = match session {
            Some(session) => session_created(flow, &session, indicator),
            None => Report::MethodFinished { flow, indicator: indicator.into() },
        };
        vec![Effect::End(flow), Effect::Report(Report::MethodCompleted { flow, indicator: indicator.into(), ms }), Effect::Report(completion)]
    }

    /// The session's transaction ID is known: the CReq is written and the challenge frame shows.
    pub fn on_trans_id(&mut self, flow: FlowId, trans_id: String) -> Vec<Effect> {
        let Some(active) = self.active.as_mut().filter(|active| active.flow == flow) else { return Vec::new() };
        let Waiting::TransId(challenge) = &active.waiting else { return Vec::new() };
        let Challenge { session_id, session_url, publishable_key, acs_url, acs_trans_id, version, size } = challenge.clone();
        // Echoed back by the ACS with the CRes: the session it belongs to.
        let session_data = codec::encode(session_id.as_bytes());
        let view = ChallengeView {
            flow,
            frame_name: format!("threeds-challenge-{flow}"),
            url: acs_url,
            post: Some(ChallengePost { creq: CReq::encode_new(version, &trans_id, &acs_trans_id, size), session_data: Some(session_data.clone()) }),
            size,
            loaded: false,
        };
        let ids = Ids { session_id, trans_id, acs_trans_id };
        active.waiting =
            Waiting::Challenge { ids, session_data: Some(session_data), then: AfterCRes::Status { session_url, publishable_key }, shown: false };
        vec![Effect::Show(Action::ShowChallenge(view))]
    }

    /// A message from `flow`'s frame at the host page's origin, or at one of the
    /// session API's in its flows (`page_url`: that frame's address, without its
    /// query, when it is on the host page's origin). Only a page message of version
    /// [`RELAY_VERSION`] that the step waits for ends it: a method notification
    /// naming the transaction completes the method with Y; a final CRes of the
    /// transaction asks the session API for the status (`startChallenge`) or is
    /// the result (`challenge`); an Erro fails the flow `acs_error`; the return
    /// page's query completes `presentAuthentication`. Anything else (another
    /// version, another transaction, malformed or oversized fields, a message the
    /// step does not wait for) changes nothing.
    pub fn on_relay(&mut self, flow: FlowId, message: PageMessage, page_url: &str, now_ms: f64) -> Vec<Effect> {
        let Some(active) = self.active.as_mut().filter(|active| active.flow == flow) else { return Vec::new() };
        let fields = match (message, &active.waiting) {
            (PageMessage::Return { version: RELAY_VERSION, params }, Waiting::Return { .. }) => {
                self.end(flow);
                let params = params.iter().fold(&mut ObjectWriter::new(), |object, (name, value)| object.text(name, Some(value))).finish();
                return vec![Effect::End(flow), Effect::Report(Report::Returned { flow, return_url: page_url.to_owned(), params })];
            }
            (PageMessage::Relay { version: RELAY_VERSION, fields }, _) => fields,
            _ => return Vec::new(),
        };
        match &active.waiting {
            Waiting::Method { trans_id, .. } => {
                let notification = fields.three_ds_method_data.as_deref().and_then(MethodNotification::trans_id_of);
                match notification {
                    Some(named) if &named == trans_id => self.finish_method(flow, "Y", now_ms),
                    _ => Vec::new(),
                }
            }
            Waiting::Challenge { ids, session_data, then, .. } => match challenge_end(&fields, ids, session_data.as_deref()) {
                None => Vec::new(),
                Some(ChallengeEnd::CRes(cres)) => match then.clone() {
                    AfterCRes::Status { session_url, publishable_key } => {
                        // The CRes says the challenge is over; its transStatus is the
                        // browser's word, which any page could forge. The status that
                        // counts is the one the 3DS Server holds from the ACS's RReq: the
                        // flow reports that one (when they disagree, the server wins).
                        let fetch = Effect::FetchStatus { flow, url: session_url, publishable_key };
                        active.waiting = Waiting::Status(ids.clone());
                        // The frames and listener go now; the flow stays until the answer.
                        vec![Effect::End(flow), fetch]
                    }
                    AfterCRes::Report => {
                        self.end(flow);
                        vec![Effect::End(flow), Effect::Report(Report::ChallengeFinished { flow, cres })]
                    }
                },
                Some(ChallengeEnd::Erro(acs)) => {
                    self.end(flow);
                    let message = format!("the ACS ended the challenge with error {} ({})", acs.error_code, acs.error_description);
                    vec![Effect::End(flow), Effect::Report(Report::Failed { flow, code: ErrorCode::AcsError, message, acs: Some(Box::new(acs)) })]
                }
            },
            _ => Vec::new(),
        }
    }

    /// The session API's status of `flow`'s session, after its final CRes: the
    /// challenge completes with the server's `transStatus`.
    pub fn on_status(&mut self, flow: FlowId, status: SessionStatus) -> Vec<Effect> {
        let Some(Active { waiting: Waiting::Status(ids), .. }) = self.end(flow) else { return Vec::new() };
        let Some(authentication) = status.authentication else {
            return vec![Effect::End(flow), failed(flow, ErrorCode::ApiError, "the session has no authentication")];
        };
        vec![
            Effect::End(flow),
            Effect::Report(Report::ChallengeCompleted {
                flow,
                session_id: ids.session_id,
                three_ds_server_trans_id: ids.trans_id,
                acs_transaction_id: ids.acs_trans_id,
                trans_status: authentication.authentication_status_code,
            }),
        ]
    }

    /// The ACS page shows in `flow`'s challenge frame: reported once per flow (the
    /// frame loads again when the ACS's answer navigates it to the relay page).
    pub fn on_challenge_loaded(&mut self, flow: FlowId) -> Vec<Effect> {
        match self.active.as_mut() {
            Some(Active { flow: active, waiting: Waiting::Challenge { shown, .. } | Waiting::Return { shown }, .. })
                if *active == flow && !*shown =>
            {
                *shown = true;
                vec![Effect::Show(Action::ChallengeLoaded(flow)), Effect::Report(Report::ChallengeShown { flow })]
            }
            _ => Vec::new(),
        }
    }

    /// Escape inside the host page: during a challenge, the embed is asked to cancel it.
    pub fn on_escape(&self) -> Vec<Effect> {
        match &self.active {
            Some(Active { flow, waiting: Waiting::Challenge { .. } | Waiting::Return { .. }, .. }) => {
                vec![Effect::Report(Report::CancelRequested { flow: *flow })]
            }
            _ => Vec::new(),
        }
    }
}

/// `createSession`'s completion.
fn session_created(flow: FlowId, session: &CreatedSession, indicator: &str) -> Report {
    Report::SessionCreated {
        flow,
        session_id: session.id.clone(),
        three_ds_server_trans_id: session.three_ds_server_transaction_id.clone(),
        method_completion_indicator: indicator.into(),
        recommended_version: session.recommended_version.as_str().into(),
        card_brand: session.card_brand.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use threeds_api::session::{AuthenticationStatus, SessionType};
    use threeds_protocol::messages::CRes;
    use threeds_protocol::{Erro, TransStatus};

    const API: &str = "http://127.0.0.1:8181";

    /// The session's 3DS Server transaction ID in these tests.
    const TRANS_1: &str = "3ac7caa7-aa42-2663-791b-2ac05a542c41";

    /// A session API call as the embed forwards it: the page's options plus the client's API.
    fn session_call(flow: FlowId, call: &str, mut options: serde_json::Value, window_size: Option<&str>) -> Command {
        options["apiBaseUrl"] = API.into();
        options["publishableKey"] = "pk_test_x".into();
        Command::Call {
            flow,
            call: call.into(),
            options: options.to_string(),
            window_size: window_size.map(str::to_owned),
            method_timeout_ms: 10_000,
        }
    }

    fn create(flow: FlowId) -> Command {
        session_call(flow, "createSession", serde_json::json!({ "pan": "4000020000000000" }), None)
    }

    fn challenge(flow: FlowId, session_id: &str, trans_id: Option<&str>, window_size: &str) -> Command {
        let mut options = serde_json::json!({
            "sessionId": session_id, "acsChallengeUrl": "http://127.0.0.1:8182/challenge",
            "acsTransactionId": ACS_TRANS, "threeDSVersion": "2.2.0",
        });
        if let Some(trans_id) = trans_id {
            options["threeDSServerTransId"] = trans_id.into();
        }
        session_call(flow, "startChallenge", options, Some(window_size))
    }

    fn session(method_url: Option<&str>) -> CreatedSession {
        CreatedSession {
            id: "sess_1".into(),
            kind: SessionType::Customer,
            card_brand: Some("Visa".into()),
            method_url: method_url.map(str::to_owned),
            method_notification_url: format!("{API}/3ds/method-notification"),
            three_ds_server_transaction_id: TRANS_1.into(),
            directory_server_id: "A000000003".into(),
            recommended_version: MessageVersion::V2_2_0,
        }
    }

    fn relay(fields: RelayFields) -> PageMessage {
        PageMessage::Relay { version: RELAY_VERSION, fields }
    }

    fn method_notification(trans_id: &str) -> PageMessage {
        relay(RelayFields { three_ds_method_data: Some(MethodNotification::new(trans_id).encode()), ..Default::default() })
    }

    fn cres(trans_id: &str, acs_trans_id: &str, trans_status: TransStatus) -> String {
        codec::encode_json(&CRes::final_browser(MessageVersion::V2_2_0, trans_id, acs_trans_id, trans_status))
    }

    /// The relay of a final CRes, with `sess_1`'s threeDSSessionData echoed.
    fn challenge_notification(acs_trans_id: &str, trans_status: TransStatus) -> PageMessage {
        let session_data = Some(codec::encode(b"sess_1"));
        relay(RelayFields { cres: Some(cres(TRANS_1, acs_trans_id, trans_status)), three_ds_session_data: session_data, ..Default::default() })
    }

    fn status(code: &str) -> SessionStatus {
        SessionStatus { authentication: Some(AuthenticationStatus { authentication_status_code: code.into() }) }
    }

    fn completed(flow: FlowId, indicator: &str) -> Effect {
        Effect::Report(Report::SessionCreated {
            flow,
            session_id: "sess_1".into(),
            three_ds_server_trans_id: TRANS_1.into(),
            method_completion_indicator: indicator.into(),
            recommended_version: "2.2.0".into(),
            card_brand: Some("Visa".into()),
        })
    }

    fn reports(effects: &[Effect]) -> Vec<&Report> {
        effects.iter().filter_map(|effect| if let Effect::Report(report) = effect { Some(report) } else { None }).collect()
    }

    /// A state whose flow 1 created `sess_1` and now runs its method (started at 1000 ms).
    fn in_method() -> FlowState {
        let mut state = FlowState::default();
        state.on_command(create(1), 0.0);
        state.on_session_created(1, session(Some("http://127.0.0.1:8182/method")), 1000.0);
        state
    }

    #[test]
    fn a_session_runs_its_method_and_a_notification_completes_it_with_y() {
        let mut state = FlowState::default();
        let effects = state.on_command(create(1), 0.0);
        assert_eq!(
            effects,
            vec![Effect::CreateSession {
                flow: 1,
                api_base_url: API.into(),
                publishable_key: "pk_test_x".into(),
                pan: Some("4000020000000000".into()),
                token_id: None
            }]
        );
        let effects = state.on_session_created(1, session(Some("http://127.0.0.1:8182/method")), 1000.0);
        assert_eq!(effects[0], Effect::MethodTimer { flow: 1, ms: 10_000 });
        let Effect::Show(Action::ShowMethod(view)) = &effects[1] else { panic!("{effects:?}") };
        assert_eq!((view.flow, view.frame_name.as_str(), view.method_url.as_str()), (1, "threeds-method-1", "http://127.0.0.1:8182/method"));
        let data: MethodData = codec::decode_json(&view.method_data, 4096).unwrap();
        assert_eq!(data.three_ds_server_trans_id, TRANS_1);
        assert_eq!(effects[2], Effect::Report(Report::MethodStarted { flow: 1 }));
        assert_eq!(state.on_relay(1, method_notification("another-trans"), "", 1100.0), vec![], "another transaction's notification");
        assert_eq!(
            state.on_relay(1, challenge_notification(ACS_TRANS, TransStatus::Authenticated), "", 1100.0),
            vec![],
            "not what the method waits for"
        );
        let effects = state.on_relay(1, method_notification(TRANS_1), "", 1250.0);
        assert_eq!(
            effects,
            vec![Effect::End(1), Effect::Report(Report::MethodCompleted { flow: 1, indicator: "Y".into(), ms: 250 }), completed(1, "Y")]
        );
        assert!(!state.is_active(1));
    }

    #[test]
    fn only_the_session_apis_flows_take_a_relay_from_its_origins() {
        let mut state = FlowState::default();
        state.on_command(create(1), 0.0);
        assert_eq!(state.api_origins(1), [API], "createSession: apiBaseUrl's origin");
        // The server names its notification URL on another spelling of its address.
        let mut created = session(Some("http://127.0.0.1:8182/method"));
        created.method_notification_url = "http://localhost:8181/3ds/sessions/sess_1/method-notification".into();
        state.on_session_created(1, created, 1000.0);
        assert_eq!(state.api_origins(1), [API, "http://localhost:8181"], "and the notification URL's, for the 3DS Method");
        assert_eq!(state.api_origins(2), [] as [&str; 0], "no other flow");
        state.on_relay(1, method_notification(TRANS_1), "", 1250.0);
        assert_eq!(state.api_origins(1), [] as [&str; 0], "the flow is over");
        state.on_command(challenge(2, "sess_1", Some(TRANS_1), "02"), 0.0);
        assert_eq!(state.api_origins(2), [API, "http://localhost:8181"], "startChallenge of that session");
        state.on_cancel(2);
        state.on_command(challenge(3, "sess_9", Some(TRANS_1), "02"), 0.0);
        assert_eq!(state.api_origins(3), [API], "startChallenge of a session made elsewhere");
        let mut any = FlowState::new("http://sdk.test".into());
        let method = serde_json::json!({ "threeDSMethodURL": "http://127.0.0.1:9/m", "threeDSServerTransID": TRANS, "notificationURL": "http://127.0.0.1:8/n" });
        any.on_command(call(4, "runMethod", method, None), 0.0);
        assert_eq!(any.api_origins(4), [] as [&str; 0], "runMethod: any 3DS Server, whose relay is relay.html");
    }

    #[test]
    fn no_method_url_is_u_at_once() {
        let mut state = FlowState::default();
        state.on_command(create(1), 0.0);
        let effects = state.on_session_created(1, session(None), 1000.0);
        assert_eq!(
            effects,
            vec![Effect::Report(Report::MethodCompleted { flow: 1, indicator: "U".into(), ms: 0 }), Effect::End(1), completed(1, "U")]
        );
        assert!(!state.is_active(1));
    }

    #[test]
    fn a_method_timeout_is_n_not_an_error_and_a_late_notification_changes_nothing() {
        let mut state = in_method();
        let effects = state.on_method_timeout(1, 11_000.0);
        assert_eq!(
            effects,
            vec![Effect::End(1), Effect::Report(Report::MethodCompleted { flow: 1, indicator: "N".into(), ms: 10_000 }), completed(1, "N")]
        );
        assert_eq!(state.on_relay(1, method_notification(TRANS_1), "", 11_100.0), vec![]);
        assert_eq!(state.on_method_timeout(1, 11_200.0), vec![Effect::End(1)], "ends nothing twice: no report");
    }

    #[test]
    fn one_flow_at_a_time_and_an_http_api_only() {
        let mut state = in_method();
        assert_eq!(reports(&state.on_command(create(2), 0.0)), vec![&Report::failed(2, ErrorCode::Busy, "another flow is running in this frame")]);
        assert!(state.is_active(1), "the first flow goes on");
        let mut idle = FlowState::default();
        let mut bad = create(3);
        if let Command::Call { options, .. } = &mut bad {
            *options = options.replace(API, "ftp://x");
        }
        assert_eq!(
            reports(&idle.on_command(bad, 0.0)),
            vec![&Report::failed(3, ErrorCode::InvalidArgument, "apiBaseUrl must be an absolute http(s) URL")]
        );
        assert!(!idle.is_active(3));
    }

    #[test]
    fn hello_is_answered_ready_whatever_runs() {
        let mut state = FlowState::default();
        assert_eq!(state.on_command(Command::Hello, 0.0), vec![Effect::Report(Report::Ready)]);
        state.on_command(create(1), 0.0);
        assert_eq!(state.on_command(Command::Hello, 0.0), vec![Effect::Report(Report::Ready)], "a flow in progress is left alone");
        assert!(state.is_active(1));
    }

    #[test]
    fn a_cancelled_flow_ignores_its_late_answers() {
        let mut state = FlowState::default();
        state.on_command(create(1), 0.0);
        assert_eq!(state.on_command(Command::Cancel { flow: 7 }, 0.0), vec![], "not a flow this frame runs");
        assert_eq!(
            state.on_command(Command::Cancel { flow: 1 }, 0.0),
            vec![Effect::End(1), failed(1, ErrorCode::Cancelled, "the flow was cancelled")]
        );
        assert_eq!(state.on_session_created(1, session(Some("http://127.0.0.1:8182/method")), 1000.0), vec![]);
        assert!(!state.is_active(1));
        // A failed call still reports: the embed has settled the flow and drops it as a duplicate.
        let error = CallError { code: ErrorCode::Network, message: "down".into() };
        assert_eq!(state.on_call_failed(1, error), vec![Effect::End(1), Effect::Report(Report::failed(1, ErrorCode::Network, "down"))]);
        // A new flow may start.
        assert!(matches!(state.on_command(create(2), 0.0)[..], [Effect::CreateSession { flow: 2, .. }]));
    }

    #[test]
    fn a_challenge_of_a_session_created_here_needs_no_api_call() {
        let mut state = in_method();
        state.on_method_timeout(1, 2000.0);
        assert_eq!(state.on_escape(), vec![], "Escape means something during a challenge only");
        let effects = state.on_command(challenge(2, "sess_1", None, "02"), 0.0);
        let [Effect::Show(Action::ShowChallenge(view))] = &effects[..] else { panic!("{effects:?}") };
        let creq = CReq::new(MessageVersion::V2_2_0, TRANS_1, ACS_TRANS, ChallengeWindowSize::W390xH400);
        let post = view.post.as_ref().unwrap();
        assert_eq!(post.creq, codec::encode_json(&creq));
        assert_eq!(post.session_data, Some(codec::encode(b"sess_1")));
        assert_eq!(
            (view.flow, view.frame_name.as_str(), view.url.as_str(), view.loaded),
            (2, "threeds-challenge-2", "http://127.0.0.1:8182/challenge", false)
        );
        assert_eq!(state.on_challenge_loaded(2), vec![Effect::Show(Action::ChallengeLoaded(2)), Effect::Report(Report::ChallengeShown { flow: 2 })]);
        assert_eq!(state.on_challenge_loaded(1), vec![], "not the flow in progress");
        assert_eq!(state.on_escape(), vec![Effect::Report(Report::CancelRequested { flow: 2 })]);
        assert_eq!(
            state.on_relay(2, challenge_notification("another-acs", TransStatus::Authenticated), "", 0.0),
            vec![],
            "another transaction's CRes"
        );
        assert_eq!(state.on_relay(2, method_notification(TRANS_1), "", 0.0), vec![], "not what the challenge waits for");
        assert_eq!(state.on_challenge_loaded(2), vec![], "challenge-shown once per flow: the relay page loads in the frame too");
        let effects = state.on_relay(2, challenge_notification(ACS_TRANS, TransStatus::Authenticated), "", 0.0);
        let fetch = Effect::FetchStatus { flow: 2, url: format!("{API}/3ds/sessions/sess_1"), publishable_key: "pk_test_x".into() };
        assert_eq!(effects, vec![Effect::End(2), fetch], "the frame goes, the server is asked");
        assert_eq!(state.on_relay(2, challenge_notification(ACS_TRANS, TransStatus::Authenticated), "", 0.0), vec![], "a duplicate changes nothing");
        assert_eq!(state.on_escape(), vec![], "no challenge to cancel any more");
        let completed = Report::ChallengeCompleted {
            flow: 2,
            session_id: "sess_1".into(),
            three_ds_server_trans_id: TRANS_1.into(),
            acs_transaction_id: ACS_TRANS.into(),
            trans_status: "N".into(),
        };
        assert_eq!(state.on_status(2, status("N")), vec![Effect::End(2), Effect::Report(completed)], "the CRes said Y, the server's N wins");
        assert_eq!(state.on_status(2, status("Y")), vec![], "once");
        assert!(!state.is_active(2));
    }

    #[test]
    fn a_challenge_of_another_session_asks_the_api_for_its_transaction() {
        let mut state = FlowState::default();
        let effects = state.on_command(challenge(1, "sess_9", None, "05"), 0.0);
        assert_eq!(effects, vec![Effect::FetchTransId { flow: 1, url: format!("{API}/3ds/sessions/sess_9"), publishable_key: "pk_test_x".into() }]);
        assert_eq!(state.on_trans_id(2, "3ac7caa7-aa42-2663-791b-2ac05a542c49".into()), vec![], "not the flow in progress");
        let effects = state.on_trans_id(1, "3ac7caa7-aa42-2663-791b-2ac05a542c49".into());
        let [Effect::Show(Action::ShowChallenge(view))] = &effects[..] else { panic!("{effects:?}") };
        assert_eq!(view.size, ChallengeWindowSize::FullScreen);
        assert_eq!(
            view.post.as_ref().unwrap().creq,
            codec::encode_json(&CReq::new(
                MessageVersion::V2_2_0,
                "3ac7caa7-aa42-2663-791b-2ac05a542c49",
                ACS_TRANS,
                ChallengeWindowSize::FullScreen
            ))
        );
        // A transaction ID the page gives wins: no call either.
        let mut given = FlowState::default();
        assert!(matches!(
            given.on_command(challenge(1, "sess_9", Some("3ac7caa7-aa42-2663-791b-2ac05a542c47"), "01"), 0.0)[..],
            [Effect::Show(Action::ShowChallenge(_))]
        ));
    }

    #[test]
    fn a_bad_window_size_or_version_fails_the_flow() {
        let mut state = FlowState::default();
        assert_eq!(
            state.on_command(challenge(1, "sess_1", Some(TRANS_1), "07"), 0.0),
            vec![Effect::End(1), Effect::Report(Report::failed(1, ErrorCode::InvalidArgument, "windowSize"))]
        );
        let mut old = challenge(2, "sess_1", Some(TRANS_1), "01");
        if let Command::Call { options, .. } = &mut old {
            *options = options.replace("2.2.0", "1.0.2");
        }
        assert_eq!(
            reports(&state.on_command(old, 0.0)),
            vec![&Report::failed(2, ErrorCode::InvalidArgument, "threeDSVersion must be 2.1.0, 2.2.0 or 2.3.1")]
        );
        assert!(!state.is_active(1) && !state.is_active(2));
    }

    /// A state whose flow 2 shows the challenge of `sess_1` (trans-1, acs-1).
    fn in_challenge() -> FlowState {
        let mut state = FlowState::default();
        assert!(matches!(state.on_command(challenge(2, "sess_1", Some(TRANS_1), "02"), 0.0)[..], [Effect::Show(Action::ShowChallenge(_))]));
        state
    }

    fn erro(trans_id: Option<&str>, acs_trans_id: Option<&str>) -> String {
        let mut erro = Erro::new(ErroCode::TransientFailure, ErrorComponent::Acs, MessageVersion::V2_2_0, "test card")
            .for_transaction(trans_id.map(str::to_owned))
            .about("CReq");
        erro.acs_trans_id = acs_trans_id.map(str::to_owned);
        codec::encode_json(&erro)
    }

    #[test]
    fn hostile_relays_change_nothing_and_the_flow_then_completes() {
        let mut state = in_challenge();
        let session_data = codec::encode(b"sess_1");
        let fields = |cres: String, data: Option<String>| RelayFields { cres: Some(cres), three_ds_session_data: data, ..Default::default() };
        let good = || fields(cres(TRANS_1, ACS_TRANS, TransStatus::Authenticated), Some(codec::encode(b"sess_1")));
        let y = |data: Option<String>| fields(cres(TRANS_1, ACS_TRANS, TransStatus::Authenticated), data);
        let oversized = codec::encode_json(&serde_json::json!({"messageType": "CRes", "pad": "x".repeat(MAX_CRES_BYTES)}));
        let hostile = [
            ("wrong threeDSServerTransID", relay(fields(cres("3ac7caa7-aa42-2663-791b-2ac05a542c49", ACS_TRANS, TransStatus::Authenticated), None))),
            ("wrong acsTransID", relay(fields(cres(TRANS_1, "8a880dc0-d2d2-4067-bcb1-b08d1690b269", TransStatus::Authenticated), None))),
            ("another session's threeDSSessionData", relay(y(Some(codec::encode(b"sess_2"))))),
            ("threeDSSessionData over 1024", relay(y(Some("A".repeat(1025))))),
            ("threeDSSessionData not base64url", relay(y(Some(format!("{session_data}!"))))),
            ("the method's notification", method_notification(TRANS_1)),
            ("no cres", relay(RelayFields { three_ds_session_data: Some(session_data.clone()), ..Default::default() })),
            ("cres not base64", relay(fields("%%%".into(), None))),
            ("cres not JSON", relay(fields(codec::encode(b"not json"), None))),
            ("cres neither a CRes nor an Erro", relay(fields(codec::encode_json(&serde_json::json!({"messageType": "CReq"})), None))),
            ("oversized cres", relay(fields(oversized, None))),
            ("an Erro of another transaction", relay(fields(erro(Some("3ac7caa7-aa42-2663-791b-2ac05a542c49"), Some(ACS_TRANS)), None))),
            ("an Erro without acsTransID", relay(fields(erro(Some(TRANS_1), None), None))),
            ("relay version 2", PageMessage::Relay { version: 2, fields: good() }),
            ("a return page's message", PageMessage::Return { version: RELAY_VERSION, params: Default::default() }),
        ];
        for (case, message) in hostile {
            assert_eq!(state.on_relay(2, message, "", 0.0), vec![], "{case}");
            assert!(state.is_active(2), "{case}");
        }
        assert_eq!(state.on_relay(1, relay(good()), "", 0.0), vec![], "another flow's relay");
        assert!(matches!(state.on_relay(2, relay(good()), "", 0.0)[..], [Effect::End(2), Effect::FetchStatus { flow: 2, .. }]));
        // Padding on the echoed threeDSSessionData is tolerated; no echo at all too.
        let mut padded = in_challenge();
        assert!(matches!(padded.on_relay(2, relay(y(Some(format!("{session_data}==")))), "", 0.0)[..], [_, _]));
        let mut bare = in_challenge();
        assert!(matches!(bare.on_relay(2, relay(y(None)), "", 0.0)[..], [_, _]));
    }

    #[test]
    fn an_erro_ends_the_challenge_with_acs_error_and_its_fields() {
        let mut state = in_challenge();
        let fields = RelayFields { cres: Some(erro(Some(TRANS_1), Some(ACS_TRANS))), ..Default::default() };
        let effects = state.on_relay(2, relay(fields), "", 0.0);
        let acs = AcsErroDetail { error_code: "403".into(), error_component: "A".into(), error_description: "Transient system failure".into() };
        let message = "the ACS ended the challenge with error 403 (Transient system failure)".to_owned();
        assert_eq!(
            effects,
            vec![Effect::End(2), Effect::Report(Report::Failed { flow: 2, code: ErrorCode::AcsError, message, acs: Some(Box::new(acs)) })]
        );
        assert!(!state.is_active(2));
    }

    #[test]
    fn the_method_accepts_its_own_notification_only() {
        let mut state = in_method();
        let data = |data: &str| RelayFields { three_ds_method_data: Some(data.into()), ..Default::default() };
        let big = codec::encode_json(&serde_json::json!({"threeDSServerTransID": TRANS_1, "pad": "x".repeat(5000)}));
        for (case, message) in [
            ("malformed", relay(data("%%%"))),
            ("not an object", relay(data(&codec::encode(b"[1]")))),
            ("oversized", relay(data(&big))),
            ("no threeDSMethodData", relay(RelayFields::default())),
            ("version 0", PageMessage::Relay { version: 0, fields: data(&MethodNotification::new(TRANS_1).encode()) }),
            ("a CRes", challenge_notification(ACS_TRANS, TransStatus::Authenticated)),
        ] {
            assert_eq!(state.on_relay(1, message, "", 1100.0), vec![], "{case}");
        }
        assert!(matches!(state.on_relay(1, method_notification(TRANS_1), "", 1100.0)[..], [Effect::End(1), _, _]));
    }

    #[test]
    fn a_status_answer_without_authentication_fails_and_a_cancel_while_asking_settles_cancelled() {
        let mut state = in_challenge();
        state.on_relay(2, challenge_notification(ACS_TRANS, TransStatus::Authenticated), "", 0.0);
        assert_eq!(
            state.on_status(2, SessionStatus { authentication: None }),
            vec![Effect::End(2), failed(2, ErrorCode::ApiError, "the session has no authentication")]
        );
        let mut cancelled = in_challenge();
        cancelled.on_relay(2, challenge_notification(ACS_TRANS, TransStatus::Authenticated), "", 0.0);
        assert_eq!(cancelled.on_cancel(2), vec![Effect::End(2), failed(2, ErrorCode::Cancelled, "the flow was cancelled")]);
        assert_eq!(cancelled.on_status(2, status("Y")), vec![], "a late answer changes nothing");
        let mut showing = in_challenge();
        assert_eq!(showing.on_cancel(2), vec![Effect::End(2), failed(2, ErrorCode::Cancelled, "the flow was cancelled")], "during the challenge");
        assert_eq!(showing.on_cancel(2), vec![], "once");
    }

    const TRANS: &str = "3ac7caa7-aa42-2663-791b-2ac05a542c4a";
    const ACS_TRANS: &str = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";

    fn call(flow: FlowId, call: &str, options: serde_json::Value, window_size: Option<&str>) -> Command {
        Command::Call { flow, call: call.into(), options: options.to_string(), window_size: window_size.map(str::to_owned), method_timeout_ms: 5_000 }
    }

    #[test]
    fn run_method_of_any_server_completes_y_n_or_u_for_its_transaction() {
        let mut state = FlowState::new("http://sdk.test".into());
        let options = serde_json::json!({ "threeDSMethodURL": "http://127.0.0.1:9/m", "threeDSServerTransID": TRANS, "notificationURL": "http://127.0.0.1:8/n" });
        let effects = state.on_command(call(3, "runMethod", options.clone(), None), 100.0);
        assert_eq!(effects[0], Effect::MethodTimer { flow: 3, ms: 5_000 });
        let Effect::Show(Action::ShowMethod(view)) = &effects[1] else { panic!("{effects:?}") };
        let data: MethodData = codec::decode_json(&view.method_data, 4096).unwrap();
        assert_eq!((data.three_ds_server_trans_id.as_str(), data.three_ds_method_notification_url.as_str()), (TRANS, "http://127.0.0.1:8/n"));
        assert_eq!(state.on_relay(3, method_notification("another"), "", 150.0), vec![], "another transaction's notification");
        let effects = state.on_relay(3, method_notification(TRANS), "", 180.0);
        assert_eq!(
            effects,
            vec![
                Effect::End(3),
                Effect::Report(Report::MethodCompleted { flow: 3, indicator: "Y".into(), ms: 80 }),
                Effect::Report(Report::MethodFinished { flow: 3, indicator: "Y".into() })
            ]
        );
        // Timeout: N.
        state.on_command(call(4, "runMethod", options, None), 0.0);
        assert_eq!(reports(&state.on_method_timeout(4, 5_000.0))[1], &Report::MethodFinished { flow: 4, indicator: "N".into() });
        // No method URL: U at once, no frame.
        let none = serde_json::json!({ "threeDSMethodURL": null, "threeDSServerTransID": TRANS, "notificationURL": "http://127.0.0.1:8/n" });
        assert_eq!(reports(&state.on_command(call(5, "runMethod", none, None), 0.0))[1], &Report::MethodFinished { flow: 5, indicator: "U".into() });
        assert!(!state.is_active(5));
        // Data the server wrote must name the transaction given.
        let other = MethodData {
            three_ds_server_trans_id: ACS_TRANS.into(),
            three_ds_method_notification_url: "http://x/n".into(),
            extra: Default::default(),
        };
        let given =
            serde_json::json!({ "threeDSMethodURL": "http://127.0.0.1:9/m", "threeDSServerTransID": TRANS, "threeDSMethodData": other.encode() });
        assert_eq!(
            reports(&state.on_command(call(6, "runMethod", given, None), 0.0)),
            vec![&Report::failed(6, ErrorCode::InvalidArgument, "threeDSMethodData names another threeDSServerTransID")]
        );
    }

    #[test]
    fn a_challenge_of_any_server_ends_with_its_final_cres() {
        let mut state = FlowState::new("http://sdk.test".into());
        let given = CReq::new(MessageVersion::V2_2_0, TRANS, ACS_TRANS, ChallengeWindowSize::W250xH400);
        let options = serde_json::json!({ "acsURL": "http://127.0.0.1:9/c", "creq": codec::encode_json(&given), "threeDSSessionData": "b3JkZXI" });
        let effects = state.on_command(call(2, "challenge", options, Some("03")), 0.0);
        let [Effect::Show(Action::ShowChallenge(view))] = &effects[..] else { panic!("{effects:?}") };
        let post = view.post.as_ref().unwrap();
        let posted: CReq = codec::decode_json(&post.creq, 4096).unwrap();
        assert_eq!(posted.challenge_window_size, ChallengeWindowSize::W500xH600, "the CReq says the size the frame has");
        assert_eq!((posted.three_ds_server_trans_id.as_str(), post.session_data.as_deref()), (TRANS, Some("b3JkZXI")));
        let end = |session_data: Option<&str>, acs: &str| {
            relay(RelayFields {
                cres: Some(cres(TRANS, acs, TransStatus::Authenticated)),
                three_ds_session_data: session_data.map(str::to_owned),
                ..Default::default()
            })
        };
        assert_eq!(state.on_relay(2, end(Some("b3RoZXI"), ACS_TRANS), "", 0.0), vec![], "another threeDSSessionData");
        assert_eq!(state.on_relay(2, end(Some("b3JkZXI"), "8a880dc0-d2d2-4067-bcb1-b08d1690b269"), "", 0.0), vec![], "another acsTransID");
        let effects = state.on_relay(2, end(Some("b3JkZXI"), ACS_TRANS), "", 0.0);
        let [Effect::End(2), Effect::Report(Report::ChallengeFinished { flow: 2, cres })] = &effects[..] else { panic!("{effects:?}") };
        let cres: serde_json::Value = serde_json::from_str(cres).unwrap();
        assert_eq!((cres["messageType"].as_str(), cres["transStatus"].as_str()), (Some("CRes"), Some("Y")));
        assert!(!state.is_active(2));
    }

    #[test]
    fn a_processors_page_ends_at_the_return_page_of_the_sdk_origin() {
        let mut state = FlowState::new("https://sdk.test".into());
        let foreign = serde_json::json!({ "url": "https://bank.example/3ds", "returnUrl": "https://shop.example/back" });
        let refused = state.on_command(call(1, "presentAuthentication", foreign, Some("04")), 0.0);
        assert!(matches!(reports(&refused)[..], [Report::Failed { code: ErrorCode::InvalidArgument, .. }]), "{refused:?}");
        let options = serde_json::json!({ "url": "https://bank.example/3ds?pi=1", "returnUrl": "https://sdk.test/return.html?outcome=x" });
        let effects = state.on_command(call(2, "presentAuthentication", options, Some("04")), 0.0);
        let [Effect::Show(Action::ShowChallenge(view))] = &effects[..] else { panic!("{effects:?}") };
        assert_eq!((view.url.as_str(), view.post.is_none(), view.size), ("https://bank.example/3ds?pi=1", true, ChallengeWindowSize::W600xH400));
        assert_eq!(state.on_challenge_loaded(2), vec![Effect::Show(Action::ChallengeLoaded(2)), Effect::Report(Report::ChallengeShown { flow: 2 })]);
        assert_eq!(state.on_escape(), vec![Effect::Report(Report::CancelRequested { flow: 2 })]);
        assert_eq!(state.on_relay(2, method_notification(TRANS), "", 0.0), vec![], "a relay is not a return");
        let params = [("payment_intent".to_owned(), "pi_1".to_owned())].into();
        assert_eq!(state.on_relay(2, PageMessage::Return { version: 2, params: Default::default() }, "", 0.0), vec![], "another version");
        let effects = state.on_relay(2, PageMessage::Return { version: RELAY_VERSION, params }, "https://sdk.test/return.html", 0.0);
        assert_eq!(
            effects,
            vec![
                Effect::End(2),
                Effect::Report(Report::Returned {
                    flow: 2,
                    return_url: "https://sdk.test/return.html".into(),
                    params: r#"{"payment_intent":"pi_1"}"#.into()
                })
            ]
        );
    }

    #[test]
    fn browser_info_is_answered_beside_a_running_flow_and_bad_calls_are_named() {
        let mut state = in_method();
        let effects = state.on_command(call(9, "collectBrowserInfo", serde_json::json!({ "messageVersion": "2.3.1" }), None), 0.0);
        assert_eq!(effects, vec![Effect::ReadBrowser { flow: 9, version: MessageVersion::V2_3_1 }]);
        assert!(state.is_active(1), "the method goes on");
        let mut idle = FlowState::default();
        assert_eq!(
            reports(&idle.on_command(call(2, "challenge", serde_json::json!({ "acsURL": "http://acs.example/c", "creq": "eyJ9" }), Some("01")), 0.0)),
            vec![&Report::failed(2, ErrorCode::InvalidArgument, "acsURL must be an https URL (http only on localhost, 127.0.0.1 or [::1])")]
        );
        assert_eq!(
            reports(&idle.on_command(call(3, "eval", serde_json::json!({}), None), 0.0)),
            vec![&Report::failed(3, ErrorCode::InvalidArgument, "unknown call eval")]
        );
    }
}
