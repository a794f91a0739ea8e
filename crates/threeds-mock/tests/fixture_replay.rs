//! Every browser-channel AReq of the shared fixture corpus (when present), replayed
//! against `POST /ds/areq` as a registered 3DS Server (with the secret key), gets a
//! valid ARes or the Erro the spec prescribes.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use threeds_mock::{Config, serve};
use threeds_protocol::handoff::{is_authentication_value, is_uuid};
use threeds_protocol::{ErrorCode, ErrorComponent, Message, TransStatus, codec};

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("THREEDS_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/rbk-three-ds-server"));
    dir.is_dir().then_some(dir)
}

fn areq_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            areq_files(&path, out);
        } else if path.file_name().is_some_and(|name| name == "areq.json") {
            out.push(path);
        }
    }
}

fn load(path: &Path) -> Value {
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    match value.get("body").and_then(Value::as_str) {
        Some(body) => serde_json::from_slice(&codec::decode(body, 1 << 20).unwrap()).unwrap(),
        None => value,
    }
}

fn report(line: &str) {
    // Past the harness's capture, so the counts show in every run.
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[tokio::test]
async fn every_browser_areq_gets_an_ares_or_the_prescribed_erro() {
    let Some(dir) = corpus_dir() else {
        report("fixture corpus not present (../shared/fixtures or THREEDS_FIXTURES): skipped");
        return;
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (bound_tx, bound_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(serve(
        Config::ephemeral(),
        async {
            let _ = stop_rx.await;
        },
        move |bound| {
            let _ = bound_tx.send(bound);
        },
    ));
    let bound = bound_rx.await.unwrap();
    let http = reqwest::Client::new();
    let mut files = Vec::new();
    areq_files(&dir, &mut files);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut replayed = 0;
    let config = Config::ephemeral();
    let areq_url = format!("http://{}/ds/areq", bound.server);
    // The Directory Server answers registered 3DS Servers only.
    let unregistered = http.post(&areq_url).json(&serde_json::json!({"messageType": "AReq"})).send().await.unwrap();
    assert_eq!(unregistered.status(), 401);
    for path in &files {
        let areq = load(path);
        if areq["deviceChannel"] != "02" {
            continue;
        }
        replayed += 1;
        let response = http.post(&areq_url).bearer_auth(&config.secret_key).json(&areq).send().await.unwrap();
        assert_eq!(response.status(), 200, "{}", path.display());
        let answer: Value = response.json().await.unwrap();
        let message = Message::from_value(answer.clone()).unwrap_or_else(|e| panic!("{}: {e}: {answer}", path.display()));
        match message {
            Message::ARes(ares) => {
                assert_eq!(ares.three_ds_server_trans_id, areq["threeDSServerTransID"].as_str().unwrap());
                assert_eq!(ares.message_version.as_str(), areq["messageVersion"].as_str().unwrap());
                assert!(is_uuid(&ares.acs_trans_id) && is_uuid(&ares.ds_trans_id));
                let status = ares.trans_status;
                if status.requires_authentication_value() {
                    assert!(is_authentication_value(ares.authentication_value.as_deref().unwrap()));
                    assert!(ares.eci.is_some());
                }
                if status.requires_reason() {
                    assert!(ares.trans_status_reason.is_some());
                }
                if status == TransStatus::Challenge {
                    assert!(ares.acs_url.is_some());
                }
                *outcomes.entry(format!("ARes {}", status.code())).or_default() += 1;
            }
            Message::Erro(erro) => {
                assert_eq!(erro.error_component, ErrorComponent::DirectoryServer);
                assert_eq!(erro.error_message_type.as_deref(), Some("AReq"));
                let fields: Vec<&str> = erro.error_detail.split(',').collect();
                // The prescribed code, checked against the AReq itself: 201 names absent
                // fields, 203 names present ones.
                match erro.error_code {
                    ErrorCode::RequiredElementMissing => {
                        for field in &fields {
                            assert!(areq.get(field).is_none(), "{}: 201 for present {field}", path.display());
                        }
                    }
                    ErrorCode::FormatInvalid => {
                        for field in &fields {
                            assert!(areq.get(field).is_some(), "{}: 203 for absent {field}", path.display());
                        }
                    }
                    ErrorCode::VersionNotSupported => {}
                    other => panic!("{}: unexpected Erro {other}: {}", path.display(), erro.error_detail),
                }
                *outcomes.entry(format!("Erro {} ({})", erro.error_code, erro.error_detail)).or_default() += 1;
            }
            other => panic!("{}: answered with {}", path.display(), other.message_type()),
        }
    }
    let _ = stop_tx.send(());
    report(&format!("fixture replay: {replayed} browser-channel AReqs against /ds/areq: {outcomes:?}"));
    assert!(replayed >= 50, "expected the corpus's browser-channel AReqs, replayed {replayed}");
}
