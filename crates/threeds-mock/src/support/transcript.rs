//! What crossed the wire in each transaction, in order: the 3DS Method data, the
//! AReq and ARes (or the Erro), the CReq and CRes, the RReq and RRes. The demo's
//! timeline shows it, so a developer sees every message without opening devtools.
//!
//! Keyed by threeDSServerTransID, which every one of these messages carries. A
//! message is kept as it crossed and turned into JSON only when the timeline is
//! read (the hot path of a load test records six of them per session); the card
//! number is masked then, so it never leaves the server.
//!
//! Only the 3DS Server opens a transcript, when it creates a session (an endpoint
//! that needs a key); every party then appends to it. A message for a transaction
//! with no transcript is dropped, so the endpoints anyone may call (the ACS's
//! method page, the notification endpoints) cannot create entries.

use std::time::SystemTime;

use serde::{Serialize, Serializer};
use serde_json::Value;
use threeds_protocol::messages::{MethodData, MethodNotification};
use threeds_protocol::{CardNumber, Message};

use crate::AppState;

/// Most messages one transaction can record; more are dropped (a transaction has
/// about eight, so only a misbehaving client reaches this).
pub const MAX_MESSAGES: usize = 32;

/// One message as it crossed, decoded.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// The EMV name: `threeDSMethodData`, `AReq`, `ARes`, `CReq`, `CRes`, `RReq`, `RRes`, `Erro`.
    pub message: &'static str,
    /// Who sent it, and to whom.
    pub from: &'static str,
    /// See `from`.
    pub to: &'static str,
    /// When it was recorded, milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// The message; its JSON, card number masked, when serialized.
    #[serde(serialize_with = "masked")]
    pub body: Body,
}

/// A recorded message, as it crossed.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Body {
    /// An EMV message.
    Message(Box<Message>),
    /// The browser's `threeDSMethodData`.
    MethodData(MethodData),
    /// The ACS's method notification.
    MethodNotification(MethodNotification),
}

macro_rules! body_from {
    ($($ty:ty => |$m:ident| $body:expr),* $(,)?) => {
        $(impl From<$ty> for Body {
            fn from($m: $ty) -> Self {
                $body
            }
        })*
    };
}

body_from! {
    threeds_protocol::messages::AReq => |m| Body::Message(Box::new(Message::AReq(Box::new(m)))),
    threeds_protocol::messages::ARes => |m| Body::Message(Box::new(Message::ARes(Box::new(m)))),
    threeds_protocol::messages::CReq => |m| Body::Message(Box::new(Message::CReq(m))),
    threeds_protocol::messages::CRes => |m| Body::Message(Box::new(Message::CRes(m))),
    threeds_protocol::messages::RReq => |m| Body::Message(Box::new(Message::RReq(m))),
    threeds_protocol::messages::RRes => |m| Body::Message(Box::new(Message::RRes(m))),
    threeds_protocol::Erro => |m| Body::Message(Box::new(Message::Erro(m))),
    MethodData => |m| Body::MethodData(m),
    MethodNotification => |m| Body::MethodNotification(m),
}

/// The body's JSON with the card number masked.
fn masked<S: Serializer>(body: &Body, serializer: S) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(body).map_err(serde::ser::Error::custom)?;
    mask_card_number(&mut value);
    value.serialize(serializer)
}

/// The parties, as the timeline names them.
pub mod party {
    /// The browser, running the SDK.
    pub const BROWSER: &str = "3DS SDK (browser)";
    /// The 3DS Server.
    pub const SERVER: &str = "3DS Server";
    /// The Directory Server.
    pub const DS: &str = "Directory Server";
    /// The ACS.
    pub const ACS: &str = "ACS";
}

/// Opens the (empty) transcript of a new transaction; when the store is full the
/// oldest transcripts make room (they are a debugging aid).
pub fn open(state: &AppState, trans_id: &str) {
    if state.transcripts.insert(trans_id.to_owned(), Vec::new()).is_err() {
        tracing::warn!("transcript store full: transcript not opened");
    }
}

/// Records `body` for the transaction `trans_id`, when its transcript is open.
pub fn record(state: &AppState, trans_id: &str, message: &'static str, from: &'static str, to: &'static str, body: impl Into<Body>) {
    let body = body.into();
    let at_ms = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let entry = Recorded { message, from, to, at_ms, body };
    let appended = state.transcripts.update(&trans_id.to_owned(), |messages| {
        if messages.len() < MAX_MESSAGES {
            messages.push(entry);
        }
    });
    if appended.is_none() {
        tracing::debug!(message, "no open transcript for this transaction: message not recorded");
    }
}

/// The messages of a transaction, oldest first.
pub fn messages(state: &AppState, trans_id: &str) -> Vec<Recorded> {
    state.transcripts.get(&trans_id.to_owned()).unwrap_or_default()
}

/// `acctNumber` becomes its masked form (first six, last four).
fn mask_card_number(body: &mut Value) {
    if let Some(pan) = body.get_mut("acctNumber")
        && let Some(digits) = pan.as_str()
    {
        *pan = Value::String(CardNumber::new(digits).masked());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_card_number_is_masked() {
        let mut areq = json!({ "messageType": "AReq", "acctNumber": "4000020000000000" });
        mask_card_number(&mut areq);
        let masked = areq["acctNumber"].as_str().unwrap();
        assert!(!masked.contains("4000020000000000"), "{masked}");
        assert!(masked.ends_with("0000"));
    }
}
