//! Message routing: which flow, if any, a message from a host frame is for. Pure:
//! the DOM glue says where the message came from, this decides what it means.

use super::flows::Flows;
use threeds_api::{FlowId, Ignored};

/// A decoded report: what routing needs of it is its flow.
pub trait Flowed {
    /// The flow it belongs to (`ready` belongs to none).
    fn flow(&self) -> Option<FlowId>;
}

impl Flowed for super::js::Incoming {
    fn flow(&self) -> Option<FlowId> {
        super::js::Incoming::flow(self)
    }
}

/// Where a message came from, as the DOM glue sees it.
pub struct Sender<'a> {
    /// `event.origin`.
    pub origin: &'a str,
    /// Sent by the client's background frame (sessions and the 3DS Method).
    pub from_background: bool,
    /// The live flows whose host frame sent it (the background frame's flows included).
    pub from_flows: &'a [FlowId],
    /// Sent by the client's spare frame, which no flow owns yet.
    pub from_warm: bool,
}

/// What to do with a message (`R`: the decoded report).
#[derive(Debug, PartialEq)]
pub enum Route<R> {
    /// The background frame is ready: `load` resolves with the client.
    Loaded,
    /// A challenge frame is ready: send it this flow's pending command.
    SendCommand(FlowId),
    /// The spare frame is ready for the next challenge.
    WarmReady,
    /// A report for a live flow, from that flow's own frame.
    Apply(FlowId, R),
    /// Nothing to act on (a debug event says why).
    Ignore(Ignored),
}

/// Routes a message: first its sender (exact origin, then one of this client's
/// frames), then its content (`decode`, only for a message from a known sender:
/// foreign, version and malformed come from there), then its flow. A flow's
/// report counts only from that flow's frame; from elsewhere it is a duplicate
/// when the flow has settled, else a message for another flow. `ready` resolves
/// `load` once; after that it only releases a flow's pending command. From the
/// spare frame (owned by no flow yet) only `ready` counts: a flow's report is
/// ignored as from an unknown window, whatever the flow.
pub fn route<T, R: Flowed>(
    sender: &Sender<'_>,
    host_origin: &str,
    decode: impl FnOnce() -> Result<R, Ignored>,
    flows: &Flows<T>,
    background_ready: bool,
    awaits_command: impl Fn(&T) -> bool,
) -> Route<R> {
    let known = sender.from_background || sender.from_warm || !sender.from_flows.is_empty();
    if let Err(ignored) = threeds_api::check_sender(sender.origin, host_origin, known) {
        return Route::Ignore(ignored);
    }
    let report = match decode() {
        Ok(report) => report,
        Err(ignored) => return Route::Ignore(ignored),
    };
    let Some(flow) = report.flow() else {
        if sender.from_background && !background_ready {
            return Route::Loaded;
        }
        if sender.from_warm {
            return Route::WarmReady;
        }
        return match sender.from_flows.iter().find(|id| flows.get(id).is_some_and(&awaits_command)) {
            Some(id) => Route::SendCommand(*id),
            None => Route::Ignore(Ignored::Duplicate),
        };
    };
    if !sender.from_flows.contains(&flow) {
        return Route::Ignore(if sender.from_warm {
            Ignored::Source
        } else if flows.settled(flow) {
            Ignored::Duplicate
        } else {
            Ignored::OtherFlow
        });
    }
    Route::Apply(flow, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::flows::LOAD_FLOW;
    use threeds_api::{ErrorCode, Report};

    impl Flowed for Report {
        fn flow(&self) -> Option<FlowId> {
            Report::flow(self)
        }
    }

    const HOST: &str = "http://127.0.0.1:8183";

    /// A client with `load` done, a session flow on the background frame (1) and a
    /// challenge flow whose frame waits for its command (2); the flag is "awaits its command".
    fn client() -> Flows<bool> {
        let mut flows = Flows::default();
        let (session, challenge) = (flows.next_id(), flows.next_id());
        flows.insert(session, false);
        flows.insert(challenge, true);
        flows
    }

    fn from<'a>(from_background: bool, from_flows: &'a [FlowId]) -> Sender<'a> {
        Sender { origin: HOST, from_background, from_flows, from_warm: false }
    }

    fn from_warm() -> Sender<'static> {
        Sender { origin: HOST, from_background: false, from_flows: &[], from_warm: true }
    }

    fn route_of(sender: &Sender<'_>, report: Result<Report, Ignored>, flows: &Flows<bool>, background_ready: bool) -> Route<Report> {
        route(sender, HOST, || report, flows, background_ready, |awaits| *awaits)
    }

    fn completion(flow: FlowId) -> Report {
        Report::failed(flow, ErrorCode::Network, "m")
    }

    #[test]
    fn the_sender_is_checked_before_the_content() {
        let flows = client();
        let evil = Sender { origin: "http://evil.example", from_background: true, from_flows: &[1], from_warm: false };
        let decoded = |_: &str| -> Result<Report, Ignored> { panic!("a message from a stranger is not decoded") };
        assert_eq!(route(&evil, HOST, || decoded(""), &flows, true, |a| *a), Route::<Report>::Ignore(Ignored::Origin("http://evil.example".into())));
        assert_eq!(route(&from(false, &[]), HOST, || decoded(""), &flows, true, |a| *a), Route::Ignore(Ignored::Source));
    }

    #[test]
    fn foreign_version_and_malformed_messages_are_ignored() {
        let flows = client();
        for ignored in [Ignored::Foreign, Ignored::Version(9), Ignored::Malformed("kind".into())] {
            assert_eq!(route_of(&from(true, &[1]), Err(ignored.clone()), &flows, true), Route::Ignore(ignored));
        }
    }

    #[test]
    fn ready_resolves_load_once_then_releases_a_pending_command() {
        let mut flows = client();
        flows.insert(LOAD_FLOW, false);
        assert_eq!(route_of(&from(true, &[LOAD_FLOW, 1]), Ok(Report::Ready), &flows, false), Route::Loaded);
        assert_eq!(route_of(&from(true, &[1]), Ok(Report::Ready), &flows, true), Route::Ignore(Ignored::Duplicate));
        assert_eq!(route_of(&from(false, &[2]), Ok(Report::Ready), &flows, true), Route::SendCommand(2));
        *flows.get_mut(&2).unwrap() = false;
        assert_eq!(route_of(&from(false, &[2]), Ok(Report::Ready), &flows, true), Route::Ignore(Ignored::Duplicate));
    }

    #[test]
    fn a_report_applies_only_from_its_own_flows_frame() {
        let mut flows = client();
        assert_eq!(route_of(&from(true, &[1]), Ok(completion(1)), &flows, true), Route::Apply(1, completion(1)));
        assert_eq!(route_of(&from(false, &[2]), Ok(completion(1)), &flows, true), Route::Ignore(Ignored::OtherFlow));
        assert_eq!(route_of(&from(true, &[1]), Ok(completion(7)), &flows, true), Route::Ignore(Ignored::OtherFlow), "never numbered here");
        flows.remove(&1);
        assert_eq!(route_of(&from(true, &[]), Ok(completion(1)), &flows, true), Route::Ignore(Ignored::Duplicate), "settled already");
        assert_eq!(route_of(&from(false, &[2]), Ok(completion(1)), &flows, true), Route::Ignore(Ignored::Duplicate));
    }

    #[test]
    fn from_the_spare_frame_only_ready_counts() {
        let flows = client();
        assert_eq!(route_of(&from_warm(), Ok(Report::Ready), &flows, true), Route::WarmReady);
        // Any flow's report, live, settled or never numbered: as from an unknown window.
        let mut settled = client();
        settled.remove(&1);
        for report in [completion(1), completion(2), completion(7), Report::MethodStarted { flow: 2 }] {
            assert_eq!(route_of(&from_warm(), Ok(report.clone()), &flows, true), Route::Ignore(Ignored::Source));
            assert_eq!(route_of(&from_warm(), Ok(report), &settled, true), Route::Ignore(Ignored::Source));
        }
        // What is not a well-formed report of ours is ignored for that, as from any known frame.
        assert_eq!(route_of(&from_warm(), Err(Ignored::Foreign), &flows, true), Route::Ignore(Ignored::Foreign));
        // Before the background frame said ready, its ready still is not `load`'s.
        assert_eq!(route_of(&from_warm(), Ok(Report::Ready), &flows, false), Route::WarmReady);
        // The origin is checked first, exactly.
        let evil = Sender { origin: "http://127.0.0.1:8184", ..from_warm() };
        assert_eq!(route_of(&evil, Ok(Report::Ready), &flows, true), Route::Ignore(Ignored::Origin("http://127.0.0.1:8184".into())));
    }
}
