//! The host's side of the embed <-> host envelope: commands read by hand, reports
//! written with serde through serde-wasm-bindgen (the embed's side writes and
//! reads the same JSON shapes by hand; a browser test holds the two together).

use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

use threeds_api::{Command, Envelope, PROTOCOL, PageMessage, RELAY_TYPE, RETURN_TYPE, RelayFields, Report, VERSION};
use wasm_bindgen::JsValue;

/// The longest string a command field may hold (the options of a call, as JSON text, included).
const MAX_FIELD: usize = 64 * 1024;

/// A command the embed posted, if it is one of ours and of this version: the
/// JSON shape of `Envelope<Command>`, read field by field (serde's tagged-enum
/// reading weighs tens of kilobytes in the host's wasm).
pub fn read_command(data: &JsValue) -> Option<Command> {
    if !data.is_object() {
        return None;
    }
    let field = |name: &str| js_sys::Reflect::get(data, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let string = |name: &str| field(name)?.as_string().filter(|s| s.len() <= MAX_FIELD);
    let number = |name: &str| field(name)?.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n)).map(|n| n as u32);
    // Optional fields: absent is None, present must be a string.
    let optional = |name: &str| match field(name) {
        None => Some(None),
        Some(value) => value.as_string().filter(|s| s.len() <= MAX_FIELD).map(Some),
    };
    if string("protocol")? != PROTOCOL || number("version")? != u32::from(VERSION) {
        return None;
    }
    let flow = number("flow")?;
    Some(match string("kind")?.as_str() {
        "call" => Command::Call {
            flow,
            call: string("call")?,
            options: string("options")?,
            window_size: optional("windowSize")?,
            method_timeout_ms: number("methodTimeoutMs")?,
        },
        "cancel" => Command::Cancel { flow },
        _ => return None,
    })
}

/// A report as the embed reads it: a plain JSON-compatible object (no `Map`s).
pub fn write_report(report: Report) -> Result<JsValue, serde_wasm_bindgen::Error> {
    Envelope::new(report).serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

/// A relay or return page's message (any version), if it is one, read field by
/// field: `{type, version, fields: {threeDSMethodData?, cres?, threeDSSessionData?}}`
/// or `{type, version, params: {name: value}}`. A field of the wrong type makes it
/// no message of ours.
pub fn read_page_message(data: &JsValue) -> Option<PageMessage> {
    let get = |target: &JsValue, name: &str| {
        if target.is_object() { js_sys::Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined()) } else { None }
    };
    let version = get(data, "version")?.as_f64().filter(|v| v.fract() == 0.0 && (0.0..=255.0).contains(v))? as u8;
    match get(data, "type")?.as_string()?.as_str() {
        RELAY_TYPE => {
            let fields = get(data, "fields")?;
            let field = |name: &str| match get(&fields, name) {
                None => Some(None),
                Some(value) => value.as_string().filter(|s| s.len() <= MAX_FIELD).map(Some),
            };
            let fields = RelayFields {
                three_ds_method_data: field("threeDSMethodData")?,
                cres: field("cres")?,
                three_ds_session_data: field("threeDSSessionData")?,
            };
            Some(PageMessage::Relay { version, fields })
        }
        RETURN_TYPE => {
            let params = get(data, "params")?;
            if !params.is_object() {
                return None;
            }
            let mut read = BTreeMap::new();
            for entry in js_sys::Object::entries(params.unchecked_ref()).iter() {
                let entry: js_sys::Array = entry.unchecked_into();
                let (name, value) = (entry.get(0).as_string()?, entry.get(1).as_string()?);
                if name.len() > MAX_FIELD || value.len() > MAX_FIELD {
                    return None;
                }
                read.insert(name, value);
            }
            Some(PageMessage::Return { version, params: read })
        }
        _ => None,
    }
}
