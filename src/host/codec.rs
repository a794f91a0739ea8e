//! The host's side of the embed <-> host envelope: commands read and reports
//! written by hand, in the JSON shapes serde gives `threeds-api`'s types (the
//! embed's side writes and reads the same shapes by hand; browser tests hold the
//! three together).

use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

use js_sys::Reflect;
use threeds_api::{Command, PROTOCOL, PageMessage, RELAY_TYPE, RETURN_TYPE, RelayFields, Report, VERSION};
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
    Some(match string("kind")?.as_str() {
        "call" => Command::Call {
            flow: number("flow")?,
            call: string("call")?,
            options: string("options")?,
            window_size: optional("windowSize")?,
            method_timeout_ms: number("methodTimeoutMs")?,
        },
        "cancel" => Command::Cancel { flow: number("flow")? },
        "hello" => Command::Hello,
        _ => return None,
    })
}

/// A report as the embed reads it: a plain object of the contract's wire form
/// (`Report`'s `Serialize`: `protocol`, `version`, `kind`, `flow`, then an event's
/// `name` and `detail`, a result's `value` and `event`, or a failure's `code`,
/// `message` and ACS Erro fields), written field by field: serde-wasm-bindgen and
/// the derived serializer weighed about 3 KB of the host's gzipped wasm. The JSON
/// texts a report holds (a CRes, the browser fields, the return page's query) go
/// through the browser's `JSON.parse`.
pub fn write_report(report: Report) -> Result<JsValue, JsValue> {
    let object = |pairs: &[(&str, JsValue)]| -> Result<JsValue, JsValue> {
        let object = js_sys::Object::new();
        for (name, value) in pairs {
            Reflect::set(&object, &JsValue::from_str(name), value)?;
        }
        Ok(object.into())
    };
    let text = |value: &str| JsValue::from_str(value);
    let mut fields = vec![("protocol", text(PROTOCOL)), ("version", VERSION.into()), ("kind", text(report.wire_kind()))];
    if let Some(flow) = report.flow() {
        fields.push(("flow", flow.into()));
    }
    let event = report.page_event();
    let value = match report {
        Report::Ready | Report::ChallengeShown { .. } | Report::CancelRequested { .. } => None,
        Report::MethodStarted { flow } => {
            fields.push(("name", text("method-started")));
            fields.push(("detail", object(&[("flow", flow.into())])?));
            None
        }
        Report::MethodCompleted { flow, indicator, ms } => {
            fields.push(("name", text("method-completed")));
            fields.push(("detail", object(&[("flow", flow.into()), ("indicator", text(&indicator)), ("ms", ms.into())])?));
            None
        }
        Report::SessionCreated { session_id, three_ds_server_trans_id, method_completion_indicator, recommended_version, card_brand, .. } => {
            let mut value = vec![
                ("sessionId", text(&session_id)),
                ("threeDSServerTransId", text(&three_ds_server_trans_id)),
                ("methodCompletionIndicator", text(&method_completion_indicator)),
                ("recommendedVersion", text(&recommended_version)),
            ];
            if let Some(brand) = card_brand {
                value.push(("cardBrand", text(&brand)));
            }
            Some(object(&value)?)
        }
        Report::ChallengeCompleted { session_id, three_ds_server_trans_id, acs_transaction_id, trans_status, .. } => Some(object(&[
            ("sessionId", text(&session_id)),
            ("transStatus", text(&trans_status)),
            ("acsTransactionId", text(&acs_transaction_id)),
            ("threeDSServerTransId", text(&three_ds_server_trans_id)),
        ])?),
        Report::MethodFinished { indicator, .. } => Some(object(&[("threeDSCompInd", text(&indicator))])?),
        Report::ChallengeFinished { cres: json, .. } | Report::BrowserInfo { fields: json, .. } => Some(js_sys::JSON::parse(&json)?),
        Report::Returned { return_url, params, .. } => Some(object(&[("returnUrl", text(&return_url)), ("params", js_sys::JSON::parse(&params)?)])?),
        Report::Failed { code, message, acs, .. } => {
            fields.push(("code", text(code.as_str())));
            fields.push(("message", text(&message)));
            if let Some(acs) = acs {
                fields.push(("errorCode", text(&acs.error_code)));
                fields.push(("errorComponent", text(&acs.error_component)));
                fields.push(("errorDescription", text(&acs.error_description)));
            }
            None
        }
    };
    if let Some(value) = value {
        fields.push(("value", value));
        if let Some(event) = event {
            fields.push(("event", text(event)));
        }
    }
    object(&fields)
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

/// Every report written by hand has the wire form the contract's `Serialize` writes.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use threeds_api::{AcsErroDetail, Envelope, ErrorCode, Report};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn reports_have_the_contracts_wire_form() {
        let text = |s: &str| s.to_owned();
        let acs = AcsErroDetail { error_code: text("403"), error_component: text("A"), error_description: text("Transient system failure") };
        let mut reports = vec![
            Report::Ready,
            Report::MethodStarted { flow: 1 },
            Report::MethodCompleted { flow: 2, indicator: text("Y"), ms: 4_294_967_295 },
            Report::ChallengeShown { flow: 3 },
            Report::CancelRequested { flow: 4 },
            Report::ChallengeCompleted {
                flow: 6,
                session_id: text("sess_1"),
                three_ds_server_trans_id: text("t"),
                acs_transaction_id: text("a"),
                trans_status: text("Y"),
            },
            Report::MethodFinished { flow: 7, indicator: text("N") },
            Report::ChallengeFinished { flow: 8, cres: text(r#"{"messageType":"CRes"}"#) },
            Report::BrowserInfo { flow: 9, fields: text(r#"{"browserTZ":"-60"}"#) },
            Report::Returned { flow: 10, return_url: text("https://sdk.example/return.html"), params: text(r#"{"a":"b"}"#) },
            Report::Failed { flow: 11, code: ErrorCode::AcsError, message: text("the ACS ended \"it\""), acs: Some(Box::new(acs)) },
        ];
        for card_brand in [None, Some(text("Visa"))] {
            reports.push(Report::SessionCreated {
                flow: 5,
                session_id: text("sess_1"),
                three_ds_server_trans_id: text("t"),
                method_completion_indicator: text("U"),
                recommended_version: text("2.2.0"),
                card_brand,
            });
        }
        reports.extend(ErrorCode::ALL.map(|code| Report::failed(12, code, "why")));
        for report in reports {
            let written = super::write_report(report.clone()).unwrap();
            let json = js_sys::JSON::stringify(&written).unwrap().as_string().unwrap();
            let written: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(written, serde_json::to_value(Envelope::new(report)).unwrap());
        }
    }
}

/// The embed (`www/embed/rules.js`, plain JS) writes the contract's envelope.
#[cfg(test)]
mod embed_envelope {
    #[test]
    fn the_embed_speaks_the_contracts_protocol_and_version() {
        let source = include_str!("../../www/embed/rules.js");
        assert!(source.contains(&format!("export const PROTOCOL = \"{}\";", threeds_api::PROTOCOL)), "PROTOCOL");
        assert!(source.contains(&format!("export const VERSION = {};", threeds_api::VERSION)), "VERSION");
        let codes: Vec<String> = threeds_api::ErrorCode::ALL.iter().map(|code| format!("\"{}\"", code.as_str())).collect();
        let listed = &source[source.find("export const ERROR_CODES").expect("ERROR_CODES")..];
        let listed = &listed[..listed.find("];").expect("the list's end")];
        for code in &codes {
            assert!(listed.contains(code.as_str()), "ERROR_CODES lacks {code}");
        }
        assert_eq!(listed.matches('"').count(), 2 * codes.len(), "ERROR_CODES has a code the contract does not");
    }
}
