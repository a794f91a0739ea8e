//! The host's side of the embed <-> host envelope: serde through
//! serde-wasm-bindgen (the embed's side writes the same JSON shapes by hand).

use serde::{Deserialize, Serialize};
use threeds_api::{Command, Envelope, PageMessage, RELAY_TYPE, RelayFields, Report};
use wasm_bindgen::JsValue;

/// A command the embed posted, if it is one of ours and of this version.
pub fn read_command(data: &JsValue) -> Option<Command> {
    serde_wasm_bindgen::from_value::<Envelope<Command>>(data.clone()).ok()?.open().ok()
}

/// A report as the embed reads it: a plain JSON-compatible object (no `Map`s).
pub fn write_report(report: Report) -> Result<JsValue, serde_wasm_bindgen::Error> {
    Envelope::new(report).serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

/// The shape of `relay.html`'s message, read as a plain struct: serde's tagged-enum
/// reading of [`PageMessage`] (with the return page's query map) weighs more.
#[derive(Deserialize)]
struct RelayMessage {
    #[serde(rename = "type")]
    kind: String,
    version: u8,
    fields: RelayFields,
}

/// A relay page's message ([`PageMessage::Relay`], any version), if it is one.
pub fn read_relay(data: &JsValue) -> Option<PageMessage> {
    let message: RelayMessage = serde_wasm_bindgen::from_value(data.clone()).ok()?;
    (message.kind == RELAY_TYPE).then_some(PageMessage::Relay { version: message.version, fields: message.fields })
}
