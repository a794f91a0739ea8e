//! The external conformance corpus: every EMV message of the rbk-three-ds-server
//! test resources (shared fixtures, when present) parses into our types and
//! serialises back to an equal JSON value; every `cres` in an ACS HTML form decodes.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use threeds_protocol::{Message, codec};

const EMV_TYPES: [&str; 9] = ["AReq", "ARes", "CReq", "CRes", "RReq", "RRes", "PReq", "PRes", "Erro"];

/// The corpus: `THREEDS_FIXTURES`, or `../shared/fixtures/rbk-three-ds-server` beside the checkout.
fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("THREEDS_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/rbk-three-ds-server"));
    dir.is_dir().then_some(dir)
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            out.push(path);
        }
    }
}

/// Mastercard's files wrap the message as base64 in `{"body": ...}`.
fn unwrap_body(value: Value) -> Value {
    match &value {
        Value::Object(object) if object.len() == 1 && object.contains_key("body") => {
            let body = object["body"].as_str().expect("body is a string");
            let bytes = codec::decode(body, 1 << 20).expect("body is base64");
            serde_json::from_slice(&bytes).expect("body is JSON")
        }
        _ => value,
    }
}

/// The value of `<input name="cres" value="...">` in an HTML page, if any.
fn cres_field(html: &str) -> Option<String> {
    let at = html.find("name=\"cres\"")?;
    let rest = &html[at..];
    let start = rest.find("value=\"")? + "value=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_owned())
}

fn report(line: &str) {
    // Written past the test harness's capture so the count shows in every run.
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn every_fixture_message_round_trips() {
    let Some(dir) = corpus_dir() else {
        report("fixture corpus not present (../shared/fixtures or THREEDS_FIXTURES): skipped");
        return;
    };
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    let mut cres_in_html = 0;
    let mut other = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("html_form") {
            let html: String = serde_json::from_str(&text).unwrap();
            if let Some(field) = cres_field(&html) {
                let decoded: Value = codec::decode_json(&field, 1 << 16).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let message = Message::from_value(decoded.clone()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(matches!(message, Message::CRes(_)), "{}", path.display());
                assert_eq!(message.to_value(), decoded, "{}", path.display());
                cres_in_html += 1;
            }
            continue;
        }
        let original = unwrap_body(serde_json::from_str(&text).unwrap());
        let message_type = original.get("messageType").and_then(Value::as_str).unwrap_or_default();
        let Some(emv_type) = EMV_TYPES.iter().find(|t| **t == message_type) else {
            other += 1; // the server's own API (pArq, RBKMONEY_*): not EMV
            continue;
        };
        let message = Message::from_value(original.clone()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(message.message_type(), *emv_type);
        assert_eq!(message.to_value(), original, "{} does not round-trip", path.display());
        // And through text, as it travels.
        let reparsed = Message::from_json(&serde_json::to_string(&message).unwrap()).unwrap();
        assert_eq!(reparsed, message, "{}", path.display());
        *checked.entry(emv_type).or_default() += 1;
    }
    let total: usize = checked.values().sum();
    report(&format!(
        "fixture corpus: {total} EMV messages round-tripped {checked:?}, {cres_in_html} cres decoded from ACS HTML forms, {other} non-EMV files skipped"
    ));
    // The corpus's README counts: 77 AReq, 76 ARes, 13 CReq, 13 CRes, 14 RReq, 14 RRes, 8 PReq, 8 PRes, 2 Erro.
    let expected = [("AReq", 77), ("ARes", 76), ("CReq", 13), ("CRes", 13), ("RReq", 14), ("RRes", 14), ("PReq", 8), ("PRes", 8), ("Erro", 2)];
    for (message_type, count) in expected {
        assert_eq!(checked.get(message_type).copied().unwrap_or(0), count, "{message_type}");
    }
    assert!(cres_in_html > 0);
}
