//! Every embed <-> host message through both codecs, in a browser: the embed's
//! (`www/embed/rules.js`, plain JS) and the host's (`codec.rs`). Each command the
//! embed writes, the host reads as the same value; each report the host writes,
//! the embed reads as its wire form (the contract's `Serialize`).

use std::collections::BTreeSet;

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use serde_json::{Value, json};

use super::codec;
use threeds_api::{Command, Envelope, ErrorCode, Report};

#[wasm_bindgen(module = "/www/embed/rules.js")]
extern "C" {
    #[wasm_bindgen(js_name = callCommand)]
    fn call_command(flow: u32, call: &str, options: &str, window_size: Option<String>, method_timeout_ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = cancelCommand)]
    fn cancel_command(flow: u32) -> JsValue;
    #[wasm_bindgen(js_name = helloCommand)]
    fn hello_command() -> JsValue;
    #[wasm_bindgen(js_name = readReport)]
    fn read_report(data: &JsValue) -> JsValue;
}

/// A command as the embed writes it.
fn written(command: &Command) -> JsValue {
    match command {
        Command::Call { flow, call, options, window_size, method_timeout_ms } => {
            call_command(*flow, call, options, window_size.clone(), *method_timeout_ms)
        }
        Command::Cancel { flow } => cancel_command(*flow),
        Command::Hello => hello_command(),
    }
}

/// A report as the embed reads it, as JSON: `{ kind, flow, ... }` or `{ ignored, detail }`.
fn read(data: &JsValue) -> Value {
    json(&read_report(data))
}

wasm_bindgen_test_configure!(run_in_browser);

/// A command's variant: a new variant does not compile here until it has samples below.
fn command_kind(command: &Command) -> usize {
    match command {
        Command::Cancel { .. } => 0,
        Command::Call { .. } => 1,
        Command::Hello => 2,
    }
}
const COMMAND_KINDS: usize = 3;

/// A report's variant: a new variant does not compile here until it has samples below.
fn report_kind(report: &Report) -> usize {
    match report {
        Report::Ready => 0,
        Report::MethodStarted { .. } => 1,
        Report::MethodCompleted { .. } => 2,
        Report::ChallengeShown { .. } => 3,
        Report::CancelRequested { .. } => 4,
        Report::SessionCreated { .. } => 5,
        Report::ChallengeCompleted { .. } => 6,
        Report::Failed { .. } => 7,
        Report::MethodFinished { .. } => 8,
        Report::ChallengeFinished { .. } => 9,
        Report::BrowserInfo { .. } => 10,
        Report::Returned { .. } => 11,
    }
}
const REPORT_KINDS: usize = 12;

/// An error code: a new code does not compile here until `ErrorCode::ALL` has it.
fn code_kind(code: ErrorCode) -> usize {
    match code {
        ErrorCode::InvalidArgument => 0,
        ErrorCode::HostUnavailable => 1,
        ErrorCode::Network => 2,
        ErrorCode::ApiError => 3,
        ErrorCode::ChallengeTimeout => 4,
        ErrorCode::Cancelled => 5,
        ErrorCode::Destroyed => 6,
        ErrorCode::Busy => 7,
        ErrorCode::AcsError => 8,
    }
}
const CODE_KINDS: usize = 9;

fn commands() -> Vec<Command> {
    vec![
        Command::Call {
            flow: 1,
            call: "createSession".into(),
            options: r#"{"pan":"4000020000000000","apiBaseUrl":"http://127.0.0.1:8181","publishableKey":"pk_test_\"q\" é ✓"}"#.into(),
            window_size: None,
            method_timeout_ms: i32::MAX as u32,
        },
        Command::Cancel { flow: 0 },
        Command::Cancel { flow: u32::MAX },
        Command::Call {
            flow: 7,
            call: "runMethod".into(),
            options: r#"{"threeDSServerTransID":"3ac7caa7-aa42-2663-791b-2ac05a542c4a","note":"\"é\""}"#.into(),
            window_size: None,
            method_timeout_ms: 10_000,
        },
        Command::Call { flow: 8, call: "presentAuthentication".into(), options: "{}".into(), window_size: Some("04".into()), method_timeout_ms: 0 },
        Command::Hello,
    ]
}

fn reports() -> Vec<Report> {
    let session_created = |card_brand: Option<&str>| Report::SessionCreated {
        flow: 1,
        session_id: "sess_1".into(),
        three_ds_server_trans_id: "3ac7caa7-aa42-2663-791b-2ac05a542c4a".into(),
        method_completion_indicator: "Y".into(),
        recommended_version: "2.2.0".into(),
        card_brand: card_brand.map(str::to_owned),
    };
    let mut reports = vec![
        Report::Ready,
        Report::MethodStarted { flow: 1 },
        Report::MethodCompleted { flow: 1, indicator: "N".into(), ms: 10_000 },
        Report::ChallengeShown { flow: 2 },
        Report::CancelRequested { flow: 2 },
        session_created(Some("Visa")),
        session_created(None),
        Report::ChallengeCompleted {
            flow: u32::MAX,
            session_id: "sess_é".into(),
            three_ds_server_trans_id: "3ac7caa7-aa42-2663-791b-2ac05a542c4a".into(),
            acs_transaction_id: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e".into(),
            trans_status: "Y".into(),
        },
    ];
    reports.push(Report::MethodFinished { flow: 7, indicator: "Y".into() });
    reports.push(Report::ChallengeFinished { flow: 9, cres: r#"{"messageType":"CRes","transStatus":"Y","note":"\"é\""}"#.into() });
    reports.push(Report::BrowserInfo { flow: 11, fields: format!(r#"{{"browserUserAgent":"{}"}}"#, "x".repeat(2048)) });
    reports.push(Report::Returned {
        flow: 12,
        return_url: "https://sdk.example/return.html".into(),
        params: r#"{"payment_intent":"pi_1","payment_intent_client_secret":"pi_1_secret_2"}"#.into(),
    });
    reports.extend(ErrorCode::ALL.into_iter().map(|code| Report::failed(3, code, format!("\"{}\" ✓", code.as_str()))));
    let acs =
        threeds_api::AcsErroDetail { error_code: "403".into(), error_component: "A".into(), error_description: "Transient \"failure\" é".into() };
    reports.push(Report::Failed {
        flow: 5,
        code: ErrorCode::AcsError,
        message: "the ACS ended the challenge with an error".into(),
        acs: Some(Box::new(acs)),
    });
    reports
}

#[wasm_bindgen_test]
fn every_command_the_embed_writes_the_host_reads_as_the_same_value() {
    let commands = commands();
    assert_eq!(commands.iter().map(command_kind).collect::<BTreeSet<_>>().len(), COMMAND_KINDS, "a sample of every command");
    for command in commands {
        assert_eq!(codec::read_command(&written(&command)).as_ref(), Some(&command));
    }
}

/// A JS value as JSON, to compare with the contract's.
fn json(value: &JsValue) -> Value {
    let text = js_sys::JSON::stringify(value).expect("JSON").as_string().expect("a string");
    serde_json::from_str(&text).expect("JSON text")
}

#[wasm_bindgen_test]
fn every_report_the_host_writes_the_embed_reads_as_its_wire_form() {
    let reports = reports();
    assert_eq!(reports.iter().map(report_kind).collect::<BTreeSet<_>>().len(), REPORT_KINDS, "a sample of every report");
    let codes: BTreeSet<usize> =
        reports.iter().filter_map(|r| if let Report::Failed { code, .. } = r { Some(code_kind(*code)) } else { None }).collect();
    assert_eq!(codes.len(), CODE_KINDS, "a failure with every error code");
    for report in reports {
        let wire = serde_json::to_value(Envelope::new(report.clone())).expect("the contract writes every report");
        let written = codec::write_report(report.clone()).expect("the host writes every report");
        assert_eq!(json(&written), wire, "the host writes the contract's wire form");
        let read = read(&written);
        assert_eq!(read["ignored"], Value::Null, "{report:?} read as {read}");
        assert_eq!(read["flow"].as_u64(), report.flow().map(u64::from), "{report:?}");
        let kind = read["kind"].as_str().unwrap_or_default();
        match &report {
            Report::Ready => assert_eq!(kind, "ready"),
            Report::ChallengeShown { .. } | Report::CancelRequested { .. } => assert_eq!(kind, report.wire_kind()),
            Report::MethodStarted { .. } | Report::MethodCompleted { .. } => {
                assert_eq!(kind, "event");
                assert_eq!(read["name"].as_str(), report.page_event());
                assert_eq!(read["detail"], wire["detail"]);
            }
            Report::Failed { code, message, acs, .. } => {
                assert_eq!(kind, "failed");
                assert_eq!(read["code"], code.as_str());
                assert_eq!(read["message"], message.as_str());
                let expected = acs.as_ref().map_or(Value::Null, |acs| {
                    json!({ "errorCode": acs.error_code, "errorComponent": acs.error_component, "errorDescription": acs.error_description })
                });
                assert_eq!(read["acs"], expected);
            }
            _ => {
                assert!(report.is_completion() && report.wire_kind() == "resolved", "{report:?}");
                assert_eq!(kind, "resolved");
                assert_eq!(read["value"], wire["value"]);
                assert_eq!(read["event"].as_str(), report.page_event());
            }
        }
    }
}

#[wasm_bindgen_test]
fn a_report_of_the_old_shape_or_with_a_stray_event_is_no_report() {
    let post = |value: Value| read(&js_sys::JSON::parse(&value.to_string()).expect("a JS value"));
    let refused = |value: Value| post(value)["ignored"] == "malformed";
    let base = |kind: &str| serde_json::json!({ "protocol": "threeds-web", "version": threeds_api::VERSION, "kind": kind, "flow": 1 });
    let mut old = base("session-created");
    old["sessionId"] = "s".into();
    assert!(refused(old), "version 1's kinds are gone");
    let mut event = base("event");
    event["name"] = "challenge-completed".into();
    event["detail"] = serde_json::json!({});
    assert!(refused(event), "only the progress events come as events");
    let mut resolved = base("resolved");
    resolved["value"] = "a string".into();
    assert!(refused(resolved.clone()), "a value is an object");
    resolved["value"] = serde_json::json!({ "sessionId": "x".repeat(20_000) });
    assert!(refused(resolved), "an object larger than any the host writes");
}
