//! The host's flow state machine, as pure data: one flow at a time, what it waits
//! for, and what each event (a command, an API answer, a relay message, the method
//! timeout, the ACS page loading, Escape) changes. Every event returns the effects
//! for the controller to perform, in order; no DOM, timer or network call here.

use std::collections::HashMap;

use threeds_api::session::CreatedSession;
use threeds_api::{Command, ErrorCode, FlowId, Relay, Report};
use threeds_protocol::messages::{CReq, MethodData};
use threeds_protocol::{ChallengeWindowSize, MessageVersion, codec};

use super::backend::CallError;
use super::state::{Action, ChallengeView, MethodView};

/// What the controller does for the state machine.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Post this report to the checkout page.
    Report(Report),
    /// Change what the page shows.
    Show(Action),
    /// The flow is over (or never started): drop its listener and timer, remove its frames.
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
    /// The method notification (or the timeout: then N).
    Method { session: CreatedSession, started_ms: f64 },
    /// The challenge notification.
    Challenge { session_id: String, trans_id: String, acs_trans_id: String },
}

#[derive(Debug, Clone, PartialEq)]
struct Active {
    flow: FlowId,
    api_origin: String,
    waiting: Waiting,
}

/// The host frame's flows: the one in progress, and the transaction IDs of the
/// sessions created here (a challenge of theirs needs no API call to find it).
#[derive(Debug, Default)]
pub struct FlowState {
    active: Option<Active>,
    /// threeDSServerTransID by session ID.
    trans_ids: HashMap<String, String>,
}

fn failed(flow: FlowId, code: ErrorCode, message: &str) -> Effect {
    Effect::Report(Report::Failed { flow, code, message: message.into() })
}

impl FlowState {
    /// Whether `flow` is the flow in progress.
    pub fn is_active(&self, flow: FlowId) -> bool {
        self.active.as_ref().is_some_and(|active| active.flow == flow)
    }

    /// The 3DS Server's origin of the flow in progress: where its relay messages come from.
    pub fn api_origin(&self, flow: FlowId) -> Option<&str> {
        self.active.as_ref().filter(|active| active.flow == flow).map(|active| active.api_origin.as_str())
    }

    /// Ends `flow` if it is the one in progress.
    fn end(&mut self, flow: FlowId) -> Option<Active> {
        self.active.take_if(|active| active.flow == flow)
    }

    /// A command from the embed: cancel ends its flow; a new flow starts only with
    /// an http(s) API URL and when no other flow runs (else a `Failed` report).
    pub fn on_command(&mut self, command: Command) -> Vec<Effect> {
        let (flow, api_base_url) = match &command {
            Command::Cancel { flow } => return self.on_cancel(*flow),
            Command::CreateSession { flow, api_base_url, .. } | Command::StartChallenge { flow, api_base_url, .. } => (*flow, api_base_url),
        };
        let Some(api_origin) = threeds_api::origin_of(api_base_url) else {
            return vec![failed(flow, ErrorCode::InvalidArgument, "apiBaseUrl is not an http(s) URL")];
        };
        if self.active.is_some() {
            return vec![failed(flow, ErrorCode::Busy, "another flow is running in this frame")];
        }
        match command {
            Command::CreateSession { flow, api_base_url, publishable_key, pan, token_id, method_timeout_ms } => {
                self.active = Some(Active { flow, api_origin, waiting: Waiting::Session { method_timeout_ms } });
                vec![Effect::CreateSession { flow, api_base_url, publishable_key, pan, token_id }]
            }
            Command::StartChallenge {
                flow,
                api_base_url,
                publishable_key,
                session_id,
                three_ds_server_trans_id,
                acs_challenge_url,
                acs_transaction_id,
                three_ds_version,
                window_size,
            } => {
                let invalid = |message: &str| vec![Effect::End(flow), failed(flow, ErrorCode::InvalidArgument, message)];
                let Some(size) = ChallengeWindowSize::from_code(&window_size) else { return invalid("windowSize") };
                let Ok(version) = three_ds_version.parse::<MessageVersion>() else {
                    return invalid("threeDSVersion must be 2.1.0, 2.2.0 or 2.3.1");
                };
                let known = three_ds_server_trans_id.or_else(|| self.trans_ids.get(&session_id).cloned());
                let url = format!("{api_base_url}/3ds/sessions/{session_id}");
                let challenge = Challenge { session_id, acs_url: acs_challenge_url, acs_trans_id: acs_transaction_id, version, size };
                self.active = Some(Active { flow, api_origin, waiting: Waiting::TransId(challenge) });
                match known {
                    Some(trans_id) => self.on_trans_id(flow, trans_id),
                    None => vec![Effect::FetchTransId { flow, url, publishable_key }],
                }
            }
            Command::Cancel { .. } => Vec::new(),
        }
    }

    /// The embed cancelled `flow`: it ends (its frames go even when it is not the one in progress).
    pub fn on_cancel(&mut self, flow: FlowId) -> Vec<Effect> {
        self.end(flow);
        vec![Effect::End(flow)]
    }

    /// A call to the session API failed: the flow ends with a `Failed` report
    /// (reported even when the flow was cancelled meanwhile: the embed drops it).
    pub fn on_call_failed(&mut self, flow: FlowId, error: CallError) -> Vec<Effect> {
        self.end(flow);
        vec![Effect::End(flow), Effect::Report(Report::Failed { flow, code: error.code, message: error.message })]
    }

    /// The session exists. Without a method URL the method's indicator is U and the
    /// flow completes; else the method frame shows and its timer starts.
    pub fn on_session_created(&mut self, flow: FlowId, session: CreatedSession, now_ms: f64) -> Vec<Effect> {
        let method_timeout_ms = match &self.active {
            Some(Active { flow: f, waiting: Waiting::Session { method_timeout_ms }, .. }) if *f == flow => *method_timeout_ms,
            _ => return Vec::new(), // cancelled meanwhile
        };
        self.trans_ids.insert(session.id.clone(), session.three_ds_server_transaction_id.clone());
        let Some(method_url) = session.method_url.clone() else {
            self.end(flow);
            return vec![
                Effect::Report(Report::MethodCompleted { flow, indicator: "U".into(), ms: 0 }),
                Effect::End(flow),
                Effect::Report(session_created(flow, &session, "U")),
            ];
        };
        let method_data = MethodData {
            three_ds_server_trans_id: session.three_ds_server_transaction_id.clone(),
            three_ds_method_notification_url: session.method_notification_url.clone(),
            extra: Default::default(),
        }
        .encode();
        if let Some(active) = self.active.as_mut() {
            active.waiting = Waiting::Method { session, started_ms: now_ms };
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
        let Some(Active { waiting: Waiting::Method { session, started_ms }, .. }) = self.end(flow) else { return vec![Effect::End(flow)] };
        let ms = (now_ms - started_ms).max(0.0) as u32;
        vec![
            Effect::End(flow),
            Effect::Report(Report::MethodCompleted { flow, indicator: indicator.into(), ms }),
            Effect::Report(session_created(flow, &session, indicator)),
        ]
    }

    /// The session's transaction ID is known: the CReq is written and the challenge frame shows.
    pub fn on_trans_id(&mut self, flow: FlowId, trans_id: String) -> Vec<Effect> {
        let Some(active) = self.active.as_mut().filter(|active| active.flow == flow) else { return Vec::new() };
        let Waiting::TransId(challenge) = &active.waiting else { return Vec::new() };
        let Challenge { session_id, acs_url, acs_trans_id, version, size } = challenge.clone();
        let creq = CReq::new(version, trans_id.clone(), acs_trans_id.clone(), size);
        let view = ChallengeView {
            flow,
            frame_name: format!("threeds-challenge-{flow}"),
            acs_url,
            creq: codec::encode_json(&creq),
            // Echoed back by the ACS with the CRes: the session it belongs to.
            session_data: codec::encode(session_id.as_bytes()),
            size,
            loaded: false,
        };
        active.waiting = Waiting::Challenge { session_id, trans_id, acs_trans_id };
        vec![Effect::Show(Action::ShowChallenge(view))]
    }

    /// A relay message from `flow`'s frame at the 3DS Server's origin: the method
    /// or challenge notification of the transaction this flow waits for ends it;
    /// any other is another transaction's, and changes nothing.
    pub fn on_relay(&mut self, flow: FlowId, relay: Relay, now_ms: f64) -> Vec<Effect> {
        let Some(Active { flow: active, waiting, .. }) = &self.active else { return Vec::new() };
        if *active != flow {
            return Vec::new();
        }
        match (relay, waiting) {
            (Relay::MethodNotification { three_ds_server_trans_id, .. }, Waiting::Method { session, .. })
                if session.three_ds_server_transaction_id == three_ds_server_trans_id =>
            {
                self.finish_method(flow, "Y", now_ms)
            }
            (
                Relay::ChallengeNotification { three_ds_server_trans_id, acs_trans_id, trans_status, .. },
                Waiting::Challenge { session_id, trans_id, acs_trans_id: acs },
            ) if *trans_id == three_ds_server_trans_id && *acs == acs_trans_id => {
                let session_id = session_id.clone();
                self.end(flow);
                vec![
                    Effect::End(flow),
                    Effect::Report(Report::ChallengeCompleted {
                        flow,
                        session_id,
                        three_ds_server_trans_id,
                        acs_transaction_id: acs_trans_id,
                        trans_status: trans_status.unwrap_or_else(|| "N".into()),
                    }),
                ]
            }
            _ => Vec::new(),
        }
    }

    /// The ACS page shows in `flow`'s challenge frame.
    pub fn on_challenge_loaded(&mut self, flow: FlowId) -> Vec<Effect> {
        if !self.is_active(flow) {
            return Vec::new();
        }
        vec![Effect::Show(Action::ChallengeLoaded(flow)), Effect::Report(Report::ChallengeShown { flow })]
    }

    /// Escape inside the host page: during a challenge, the embed is asked to cancel it.
    pub fn on_escape(&self) -> Vec<Effect> {
        match &self.active {
            Some(Active { flow, waiting: Waiting::Challenge { .. }, .. }) => vec![Effect::Report(Report::CancelRequested { flow: *flow })],
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
    use threeds_api::session::SessionType;

    const API: &str = "http://127.0.0.1:8181";

    fn create(flow: FlowId) -> Command {
        Command::CreateSession {
            flow,
            api_base_url: API.into(),
            publishable_key: "pk_test".into(),
            pan: Some("4000020000000000".into()),
            token_id: None,
            method_timeout_ms: 10_000,
        }
    }

    fn challenge(flow: FlowId, session_id: &str, trans_id: Option<&str>, window_size: &str) -> Command {
        Command::StartChallenge {
            flow,
            api_base_url: API.into(),
            publishable_key: "pk_test".into(),
            session_id: session_id.into(),
            three_ds_server_trans_id: trans_id.map(str::to_owned),
            acs_challenge_url: "http://127.0.0.1:8182/challenge".into(),
            acs_transaction_id: "acs-1".into(),
            three_ds_version: "2.2.0".into(),
            window_size: window_size.into(),
        }
    }

    fn session(method_url: Option<&str>) -> CreatedSession {
        CreatedSession {
            id: "sess_1".into(),
            kind: SessionType::Customer,
            card_brand: Some("Visa".into()),
            method_url: method_url.map(str::to_owned),
            method_notification_url: format!("{API}/3ds/method-notification"),
            three_ds_server_transaction_id: "trans-1".into(),
            directory_server_id: "A000000003".into(),
            recommended_version: MessageVersion::V2_2_0,
        }
    }

    fn method_notification(trans_id: &str) -> Relay {
        Relay::MethodNotification { version: 1, session_id: "sess_1".into(), three_ds_server_trans_id: trans_id.into() }
    }

    fn challenge_notification(acs_trans_id: &str, trans_status: Option<&str>) -> Relay {
        Relay::ChallengeNotification {
            version: 1,
            session_id: "sess_1".into(),
            three_ds_server_trans_id: "trans-1".into(),
            acs_trans_id: acs_trans_id.into(),
            trans_status: trans_status.map(str::to_owned),
            three_ds_session_data: None,
        }
    }

    fn completed(flow: FlowId, indicator: &str) -> Effect {
        Effect::Report(Report::SessionCreated {
            flow,
            session_id: "sess_1".into(),
            three_ds_server_trans_id: "trans-1".into(),
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
        state.on_command(create(1));
        state.on_session_created(1, session(Some("http://127.0.0.1:8182/method")), 1000.0);
        state
    }

    #[test]
    fn a_session_runs_its_method_and_a_notification_completes_it_with_y() {
        let mut state = FlowState::default();
        let effects = state.on_command(create(1));
        assert_eq!(
            effects,
            vec![Effect::CreateSession {
                flow: 1,
                api_base_url: API.into(),
                publishable_key: "pk_test".into(),
                pan: Some("4000020000000000".into()),
                token_id: None
            }]
        );
        assert_eq!(state.api_origin(1), Some(API));
        let effects = state.on_session_created(1, session(Some("http://127.0.0.1:8182/method")), 1000.0);
        assert_eq!(effects[0], Effect::MethodTimer { flow: 1, ms: 10_000 });
        let Effect::Show(Action::ShowMethod(view)) = &effects[1] else { panic!("{effects:?}") };
        assert_eq!((view.flow, view.frame_name.as_str(), view.method_url.as_str()), (1, "threeds-method-1", "http://127.0.0.1:8182/method"));
        let data: MethodData = codec::decode_json(&view.method_data, 4096).unwrap();
        assert_eq!(data.three_ds_server_trans_id, "trans-1");
        assert_eq!(effects[2], Effect::Report(Report::MethodStarted { flow: 1 }));
        assert_eq!(state.on_relay(1, method_notification("another-trans"), 1100.0), vec![], "another transaction's notification");
        assert_eq!(state.on_relay(1, challenge_notification("acs-1", Some("Y")), 1100.0), vec![], "not what the method waits for");
        let effects = state.on_relay(1, method_notification("trans-1"), 1250.0);
        assert_eq!(
            effects,
            vec![Effect::End(1), Effect::Report(Report::MethodCompleted { flow: 1, indicator: "Y".into(), ms: 250 }), completed(1, "Y")]
        );
        assert!(!state.is_active(1));
    }

    #[test]
    fn no_method_url_is_u_at_once() {
        let mut state = FlowState::default();
        state.on_command(create(1));
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
        assert_eq!(state.on_relay(1, method_notification("trans-1"), 11_100.0), vec![]);
        assert_eq!(state.on_method_timeout(1, 11_200.0), vec![Effect::End(1)], "ends nothing twice: no report");
    }

    #[test]
    fn one_flow_at_a_time_and_an_http_api_only() {
        let mut state = in_method();
        assert_eq!(
            reports(&state.on_command(create(2))),
            vec![&Report::Failed { flow: 2, code: ErrorCode::Busy, message: "another flow is running in this frame".into() }]
        );
        assert!(state.is_active(1), "the first flow goes on");
        let mut idle = FlowState::default();
        let mut bad = create(3);
        if let Command::CreateSession { api_base_url, .. } = &mut bad {
            *api_base_url = "ftp://x".into();
        }
        assert_eq!(
            reports(&idle.on_command(bad)),
            vec![&Report::Failed { flow: 3, code: ErrorCode::InvalidArgument, message: "apiBaseUrl is not an http(s) URL".into() }]
        );
        assert!(!idle.is_active(3));
    }

    #[test]
    fn a_cancelled_flow_ignores_its_late_answers() {
        let mut state = FlowState::default();
        state.on_command(create(1));
        assert_eq!(state.on_command(Command::Cancel { flow: 1 }), vec![Effect::End(1)]);
        assert_eq!(state.on_session_created(1, session(Some("http://127.0.0.1:8182/method")), 1000.0), vec![]);
        assert!(!state.is_active(1));
        // A failed call still reports: the embed has settled the flow and drops it as a duplicate.
        let error = CallError { code: ErrorCode::Network, message: "down".into() };
        assert_eq!(
            state.on_call_failed(1, error),
            vec![Effect::End(1), Effect::Report(Report::Failed { flow: 1, code: ErrorCode::Network, message: "down".into() })]
        );
        // A new flow may start.
        assert!(matches!(state.on_command(create(2))[..], [Effect::CreateSession { flow: 2, .. }]));
    }

    #[test]
    fn a_challenge_of_a_session_created_here_needs_no_api_call() {
        let mut state = in_method();
        state.on_method_timeout(1, 2000.0);
        assert_eq!(state.on_escape(), vec![], "Escape means something during a challenge only");
        let effects = state.on_command(challenge(2, "sess_1", None, "02"));
        let [Effect::Show(Action::ShowChallenge(view))] = &effects[..] else { panic!("{effects:?}") };
        let creq = CReq::new(MessageVersion::V2_2_0, "trans-1", "acs-1", ChallengeWindowSize::W390xH400);
        assert_eq!(view.creq, codec::encode_json(&creq));
        assert_eq!(view.session_data, codec::encode(b"sess_1"));
        assert_eq!(
            (view.flow, view.frame_name.as_str(), view.acs_url.as_str(), view.loaded),
            (2, "threeds-challenge-2", "http://127.0.0.1:8182/challenge", false)
        );
        assert_eq!(state.on_challenge_loaded(2), vec![Effect::Show(Action::ChallengeLoaded(2)), Effect::Report(Report::ChallengeShown { flow: 2 })]);
        assert_eq!(state.on_challenge_loaded(1), vec![], "not the flow in progress");
        assert_eq!(state.on_escape(), vec![Effect::Report(Report::CancelRequested { flow: 2 })]);
        assert_eq!(state.on_relay(2, challenge_notification("another-acs", Some("Y")), 0.0), vec![], "another transaction's CRes");
        assert_eq!(state.on_relay(2, method_notification("trans-1"), 0.0), vec![], "not what the challenge waits for");
        let effects = state.on_relay(2, challenge_notification("acs-1", None), 0.0);
        let completed = Report::ChallengeCompleted {
            flow: 2,
            session_id: "sess_1".into(),
            three_ds_server_trans_id: "trans-1".into(),
            acs_transaction_id: "acs-1".into(),
            trans_status: "N".into(),
        };
        assert_eq!(effects, vec![Effect::End(2), Effect::Report(completed)], "a CRes without transStatus is N");
        assert_eq!(state.on_relay(2, challenge_notification("acs-1", Some("Y")), 0.0), vec![], "once");
    }

    #[test]
    fn a_challenge_of_another_session_asks_the_api_for_its_transaction() {
        let mut state = FlowState::default();
        let effects = state.on_command(challenge(1, "sess_9", None, "05"));
        assert_eq!(effects, vec![Effect::FetchTransId { flow: 1, url: format!("{API}/3ds/sessions/sess_9"), publishable_key: "pk_test".into() }]);
        assert_eq!(state.on_trans_id(2, "trans-9".into()), vec![], "not the flow in progress");
        let effects = state.on_trans_id(1, "trans-9".into());
        let [Effect::Show(Action::ShowChallenge(view))] = &effects[..] else { panic!("{effects:?}") };
        assert_eq!(view.size, ChallengeWindowSize::FullScreen);
        assert_eq!(view.creq, codec::encode_json(&CReq::new(MessageVersion::V2_2_0, "trans-9", "acs-1", ChallengeWindowSize::FullScreen)));
        // A transaction ID the page gives wins: no call either.
        let mut given = FlowState::default();
        assert!(matches!(given.on_command(challenge(1, "sess_9", Some("trans-7"), "01"))[..], [Effect::Show(Action::ShowChallenge(_))]));
    }

    #[test]
    fn a_bad_window_size_or_version_fails_the_flow() {
        let mut state = FlowState::default();
        assert_eq!(
            state.on_command(challenge(1, "sess_1", Some("t"), "07")),
            vec![Effect::End(1), Effect::Report(Report::Failed { flow: 1, code: ErrorCode::InvalidArgument, message: "windowSize".into() })]
        );
        let mut old = challenge(2, "sess_1", Some("t"), "01");
        if let Command::StartChallenge { three_ds_version, .. } = &mut old {
            *three_ds_version = "1.0.2".into();
        }
        assert_eq!(
            reports(&state.on_command(old)),
            vec![&Report::Failed { flow: 2, code: ErrorCode::InvalidArgument, message: "threeDSVersion must be 2.1.0, 2.2.0 or 2.3.1".into() }]
        );
        assert!(!state.is_active(1) && !state.is_active(2));
    }
}
