//! The host's side of the embed <-> host envelope: serde through
//! serde-wasm-bindgen (the embed's side writes the same JSON shapes by hand).

use serde::Serialize;
use threeds_api::{Command, Envelope, Report};
use wasm_bindgen::JsValue;

/// A command the embed posted, if it is one of ours and of this version.
pub fn read_command(data: &JsValue) -> Option<Command> {
    serde_wasm_bindgen::from_value::<Envelope<Command>>(data.clone()).ok()?.open().ok()
}

/// A report as the embed reads it: a plain JSON-compatible object (no `Map`s).
pub fn write_report(report: Report) -> Result<JsValue, serde_wasm_bindgen::Error> {
    Envelope::new(report).serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}
