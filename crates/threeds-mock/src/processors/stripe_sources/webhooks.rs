//! Stripe events, and their delivery: each event is POSTed as JSON to the
//! configured webhook URL; a delivery that does not get a 2xx answer is retried
//! after a wait that doubles each time, up to the configured number of attempts.
//! Every attempt is recorded (the latest [`MAX_LOG`]) for
//! `GET /stripe-sources/v1/test_helpers/webhook_deliveries`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// Events waiting to be sent at most; more are dropped (and logged as such).
pub const QUEUE: usize = 1024;
/// Deliveries in progress at most; more events wait in the queue.
const IN_FLIGHT: usize = 64;
/// Attempts kept in the delivery log.
pub const MAX_LOG: usize = 1000;
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// A Stripe event object: `{"id":"evt_...","object":"event","type":...,"data":{"object":...}}`.
pub fn event(kind: &str, object: Value, created: u64) -> Value {
    json!({
        "id": super::super::new_id("evt_"),
        "object": "event",
        "api_version": "2019-05-16",
        "created": created,
        "data": { "object": object },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": kind,
    })
}

/// One delivery attempt, as the log shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// The event's ID.
    pub event: String,
    /// The event's type.
    #[serde(rename = "type")]
    pub kind: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// Whether the endpoint took it (2xx).
    pub delivered: bool,
    /// Why not, when it did not answer.
    pub error: Option<String>,
}

/// Where events go: a bounded queue to the delivery task, and the attempt log.
pub struct Outbox {
    queue: mpsc::Sender<Value>,
    log: Mutex<VecDeque<Attempt>>,
}

impl Outbox {
    /// An outbox and the receiving end for [`run`].
    pub fn new() -> (Self, mpsc::Receiver<Value>) {
        let (queue, receiver) = mpsc::channel(QUEUE);
        (Self { queue, log: Mutex::new(VecDeque::new()) }, receiver)
    }

    /// Queues an event; when the queue is full it is dropped and the log says so.
    pub fn send(&self, event: Value) {
        if let Err(mpsc::error::TrySendError::Full(event) | mpsc::error::TrySendError::Closed(event)) = self.queue.try_send(event) {
            tracing::warn!(event = %event["id"], "webhook queue full or closed; event dropped");
            self.record(Attempt {
                event: event["id"].as_str().unwrap_or_default().into(),
                kind: event["type"].as_str().unwrap_or_default().into(),
                attempt: 0,
                status: None,
                delivered: false,
                error: Some("dropped: the webhook queue is full".into()),
            });
        }
    }

    fn record(&self, attempt: Attempt) {
        let mut log = self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if log.len() >= MAX_LOG {
            log.pop_front();
        }
        log.push_back(attempt);
    }

    /// The attempts so far, oldest first.
    pub fn attempts(&self) -> Vec<Attempt> {
        self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).iter().cloned().collect()
    }
}

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The endpoint; without one, events are only logged as not sent.
    pub url: Option<String>,
    /// Attempts per event, the first included (at least 1).
    pub attempts: u32,
    /// The wait before the first retry; doubled for each further one.
    pub first_retry: Duration,
}

impl Policy {
    /// The wait before attempt `attempt` (2 for the first retry).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(2).min(20);
        self.first_retry.saturating_mul(1 << doublings).min(MAX_BACKOFF)
    }
}

/// Delivers events from `receiver` until `stop` turns true; `tick` runs every
/// `tick_every` (the source expiry sweep). Deliveries still retrying at the stop are abandoned.
pub async fn run(
    outbox: Arc<Outbox>,
    mut receiver: mpsc::Receiver<Value>,
    policy: Policy,
    mut stop: tokio::sync::watch::Receiver<bool>,
    tick_every: Duration,
    tick: impl Fn() + Send + 'static,
) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
    let mut deliveries = tokio::task::JoinSet::new();
    let mut ticks = tokio::time::interval(tick_every);
    loop {
        tokio::select! {
            event = receiver.recv(), if deliveries.len() < IN_FLIGHT => match event {
                Some(event) => {
                    deliveries.spawn(deliver(outbox.clone(), client.clone(), policy.clone(), event));
                }
                None => break,
            },
            Some(_) = deliveries.join_next(), if !deliveries.is_empty() => {}
            _ = ticks.tick() => tick(),
            _ = stop.wait_for(|stop| *stop) => break,
        }
    }
    deliveries.abort_all();
}

async fn deliver(outbox: Arc<Outbox>, client: reqwest::Client, policy: Policy, event: Value) {
    let id = event["id"].as_str().unwrap_or_default().to_owned();
    let kind = event["type"].as_str().unwrap_or_default().to_owned();
    let Some(url) = &policy.url else {
        let error = Some("not sent: no webhook URL is configured".into());
        outbox.record(Attempt { event: id, kind, attempt: 0, status: None, delivered: false, error });
        return;
    };
    for attempt in 1..=policy.attempts.max(1) {
        if attempt > 1 {
            tokio::time::sleep(policy.backoff(attempt)).await;
        }
        let (status, error) = match client.post(url).header("Stripe-Event-Type", &kind).json(&event).send().await {
            Ok(response) => (Some(response.status().as_u16()), None),
            Err(error) => (None, Some(error.to_string())),
        };
        let delivered = status.is_some_and(|s| (200..300).contains(&s));
        outbox.record(Attempt { event: id.clone(), kind: kind.clone(), attempt, status, delivered, error });
        if delivered {
            return;
        }
        tracing::info!(event = %id, attempt, ?status, "webhook delivery failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_first_retry_and_is_capped() {
        let policy = Policy { url: None, attempts: 5, first_retry: Duration::from_millis(100) };
        assert_eq!(policy.backoff(2), Duration::from_millis(100));
        assert_eq!(policy.backoff(3), Duration::from_millis(200));
        assert_eq!(policy.backoff(5), Duration::from_millis(800));
        assert_eq!(policy.backoff(60), MAX_BACKOFF);
    }

    #[test]
    fn events_are_stripe_event_objects() {
        let event = event("source.chargeable", json!({"id": "src_1"}), 7);
        assert!(event["id"].as_str().unwrap().starts_with("evt_"));
        assert_eq!((event["object"].as_str(), event["type"].as_str()), (Some("event"), Some("source.chargeable")));
        assert_eq!(event["data"]["object"]["id"], "src_1");
    }

    #[test]
    fn the_log_is_bounded() {
        let (outbox, _receiver) = Outbox::new();
        for attempt in 0..(MAX_LOG as u32 + 5) {
            outbox.record(Attempt { event: "evt".into(), kind: "k".into(), attempt, status: None, delivered: false, error: None });
        }
        let attempts = outbox.attempts();
        assert_eq!(attempts.len(), MAX_LOG);
        assert_eq!(attempts[0].attempt, 5);
    }
}
