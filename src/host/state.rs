//! What the host page shows, as pure data and a reducer: no DOM calls here.

use threeds_api::FlowId;
use threeds_protocol::ChallengeWindowSize;

/// The hidden 3DS Method frame and the form it is posted with.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodView {
    /// The flow the method runs for.
    pub flow: FlowId,
    /// The iframe's `name`, the form's `target`: one per flow.
    pub frame_name: String,
    /// The ACS's 3DS Method URL, where the form is posted.
    pub method_url: String,
    /// The `threeDSMethodData` form field (unpadded base64url).
    pub method_data: String,
}

/// The CReq form posted into the challenge frame.
#[derive(Debug, Clone, PartialEq)]
pub struct ChallengePost {
    /// The `creq` form field (unpadded base64url).
    pub creq: String,
    /// The `threeDSSessionData` form field (base64url, at most 1024), when there is one.
    pub session_data: Option<String>,
}

/// The challenge frame: the ACS's page (the CReq posted into it), or a
/// processor's 3DS page (loaded by its URL).
#[derive(Debug, Clone, PartialEq)]
pub struct ChallengeView {
    /// The flow the challenge runs for.
    pub flow: FlowId,
    /// The iframe's `name`, the form's `target`: one per flow.
    pub frame_name: String,
    /// The ACS's challenge URL (the CReq is posted there), or the processor's page.
    pub url: String,
    /// The CReq form; `None`: the frame loads `url` itself.
    pub post: Option<ChallengePost>,
    /// The window size the frame has, exactly.
    pub size: ChallengeWindowSize,
    /// The ACS page has loaded: the loading state goes.
    pub loaded: bool,
}

/// Everything the host page renders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostState {
    /// The hidden 3DS Method frame, while the method runs.
    pub method: Option<MethodView>,
    /// The challenge frame, while the challenge runs.
    pub challenge: Option<ChallengeView>,
    /// A problem that stops the host from working (shown in place).
    pub fatal: Option<String>,
}

/// The changes the controller asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show the method frame and post its form.
    ShowMethod(MethodView),
    /// Show the challenge frame (and post the CReq).
    ShowChallenge(ChallengeView),
    /// The ACS page of this flow's challenge has loaded.
    ChallengeLoaded(FlowId),
    /// Removes whatever frame this flow has.
    End(FlowId),
    /// A problem that stops the host from working.
    Fatal(String),
}

impl HostState {
    /// Applies an action.
    pub fn reduce(&mut self, action: Action) {
        match action {
            Action::ShowMethod(view) => self.method = Some(view),
            Action::ShowChallenge(view) => self.challenge = Some(view),
            Action::ChallengeLoaded(flow) => {
                if let Some(challenge) = self.challenge.as_mut().filter(|c| c.flow == flow) {
                    challenge.loaded = true;
                }
            }
            Action::End(flow) => {
                self.method.take_if(|m| m.flow == flow);
                self.challenge.take_if(|c| c.flow == flow);
            }
            Action::Fatal(message) => self.fatal = Some(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(flow: FlowId) -> ChallengeView {
        ChallengeView {
            flow,
            frame_name: format!("challenge-{flow}"),
            url: "http://acs/".into(),
            post: Some(ChallengePost { creq: "e30".into(), session_data: Some("MQ".into()) }),
            size: ChallengeWindowSize::W390xH400,
            loaded: false,
        }
    }

    #[test]
    fn end_removes_only_that_flows_frames() {
        let mut state = HostState::default();
        state.reduce(Action::ShowChallenge(challenge(2)));
        let before = state.clone();
        state.reduce(Action::End(1));
        assert_eq!(state, before, "ending another flow changes nothing");
        state.reduce(Action::ChallengeLoaded(2));
        assert!(state.challenge.as_ref().unwrap().loaded);
        state.reduce(Action::End(2));
        assert!(state.challenge.is_none());
    }

    #[test]
    fn loaded_for_another_flow_is_ignored() {
        let mut state = HostState::default();
        state.reduce(Action::ShowChallenge(challenge(2)));
        state.reduce(Action::ChallengeLoaded(3));
        assert!(!state.challenge.as_ref().unwrap().loaded);
    }
}
