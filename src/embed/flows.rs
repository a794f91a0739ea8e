//! Flow bookkeeping: the flows table of a client, and the promise each flow
//! settles exactly once. A flow is removed from the table before its promise is
//! settled, so a second completion finds nothing; dropping the flow drops its
//! timer and challenge UI.

use gloo_timers::callback::Timeout;
use js_sys::Function;
use wasm_bindgen::JsValue;
use web_sys::HtmlIFrameElement;

use super::layout::ChallengeUi;
use threeds_api::{Command, FlowId};

/// Flow 0 is `load` itself.
pub const LOAD_FLOW: FlowId = 0;

/// One call's promise and everything it owns.
pub struct Flow {
    /// Settles the promise with a value.
    pub resolve: Function,
    /// Settles the promise with an error.
    pub reject: Function,
    /// The host frame this flow's messages must come from.
    pub frame: HtmlIFrameElement,
    /// Sent when the frame reports ready (challenge frames start fresh).
    pub pending_command: Option<Command>,
    /// Dropping it cancels it.
    pub _timer: Option<Timeout>,
    /// A challenge frame's ready watchdog, dropped when the frame says ready.
    pub _ready: Option<Timeout>,
    /// The challenge frame, overlay, focus and inert state; dropping restores the page.
    pub ui: Option<ChallengeUi>,
    /// The window size and CSS pixels, for `challenge-shown`.
    pub size: Option<(String, u32, u32)>,
    /// What the promise resolves with when the completion carries nothing (`load`: the client).
    pub resolve_with: Option<JsValue>,
}

impl Flow {
    /// Settles the promise, consuming the flow: its timer and UI go with it, and
    /// a challenge flow's own host frame is removed.
    pub fn settle(self, outcome: Result<JsValue, JsValue>) {
        if self.ui.is_some() {
            self.frame.remove();
        }
        match outcome {
            Ok(value) => {
                let value = self.resolve_with.clone().unwrap_or(value);
                drop(self.resolve.call1(&JsValue::NULL, &value))
            }
            Err(error) => drop(self.reject.call1(&JsValue::NULL, &error)),
        }
    }
}

/// The live flows of a client, and the number the next one gets. A handful at
/// most, so a vector (smaller in wasm than a map, and the embed's size is
/// budgeted). Generic over what a flow holds, so its rules are tested natively.
pub struct Flows<T> {
    live: Vec<(FlowId, T)>,
    next: FlowId,
}

impl<T> Default for Flows<T> {
    fn default() -> Self {
        Self { live: Vec::new(), next: LOAD_FLOW + 1 }
    }
}

impl<T> Flows<T> {
    /// Numbers a new flow; [`LOAD_FLOW`] is never handed out.
    pub fn next_id(&mut self) -> FlowId {
        let id = self.next;
        self.next += 1;
        id
    }

    /// Whether a flow other than `load` is running: one at a time per client.
    pub fn busy(&self) -> bool {
        self.keys().any(|flow| *flow != LOAD_FLOW)
    }

    /// Makes a flow live (replacing one of the same number).
    pub fn insert(&mut self, id: FlowId, flow: T) {
        self.remove(&id);
        self.live.push((id, flow));
    }

    /// Takes a flow out: the one way a flow ends, so only the first caller gets it.
    pub fn remove(&mut self, id: &FlowId) -> Option<T> {
        let index = self.live.iter().position(|(flow, _)| flow == id)?;
        Some(self.live.swap_remove(index).1)
    }

    /// A live flow.
    pub fn get(&self, id: &FlowId) -> Option<&T> {
        self.live.iter().find(|(flow, _)| flow == id).map(|(_, flow)| flow)
    }

    /// A live flow, to change it.
    pub fn get_mut(&mut self, id: &FlowId) -> Option<&mut T> {
        self.live.iter_mut().find(|(flow, _)| flow == id).map(|(_, flow)| flow)
    }

    /// Whether this flow was numbered by this client and has ended since.
    pub fn settled(&self, id: FlowId) -> bool {
        id < self.next && self.get(&id).is_none()
    }

    /// The live flows' numbers.
    pub fn keys(&self) -> impl Iterator<Item = &FlowId> {
        self.live.iter().map(|(id, _)| id)
    }

    /// The live flows.
    pub fn iter(&self) -> impl Iterator<Item = (&FlowId, &T)> {
        self.live.iter().map(|(id, flow)| (id, flow))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_ends_once() {
        let mut flows = Flows::default();
        let id = flows.next_id();
        assert_eq!(id, LOAD_FLOW + 1);
        flows.insert(id, "create-session");
        assert_eq!(flows.remove(&id), Some("create-session"));
        assert_eq!(flows.remove(&id), None, "a second completion finds nothing to settle");
        assert!(flows.settled(id));
        assert!(!flows.settled(id + 1), "a flow not numbered yet has not settled");
    }

    #[test]
    fn load_does_not_make_the_client_busy() {
        let mut flows = Flows::default();
        flows.insert(LOAD_FLOW, "load");
        assert!(!flows.busy());
        let id = flows.next_id();
        flows.insert(id, "challenge");
        assert!(flows.busy());
        assert!(!flows.settled(LOAD_FLOW));
        flows.remove(&LOAD_FLOW);
        assert!(flows.settled(LOAD_FLOW));
        assert_eq!(flows.keys().copied().collect::<Vec<_>>(), vec![id]);
    }

    #[test]
    fn inserting_a_number_again_replaces_the_flow() {
        let mut flows = Flows::default();
        flows.insert(3, "old");
        flows.insert(3, "new");
        assert_eq!(flows.iter().count(), 1);
        *flows.get_mut(&3).unwrap() = "changed";
        assert_eq!(flows.get(&3), Some(&"changed"));
    }
}
