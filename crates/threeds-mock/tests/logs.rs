//! Card numbers never reach the logs: a whole flow's tracing output shows only the
//! masked form, and one line per request.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use threeds_mock::{Config, serve};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_mask_card_numbers() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).init();

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
    let pan = "4000020000000000";
    let device_info = json!({
        "browser_javascript_enabled": false, "browser_language": "en", "browser_user_agent": "test"
    });
    let created: Value = http
        .post(format!("http://{}/3ds/sessions", bound.server))
        .bearer_auth("pk_test_threeds_mock")
        .json(&json!({ "pan": pan, "device": "browser", "device_info": device_info }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().expect("a session");
    let response = http
        .post(format!("http://{}/3ds/sessions/{id}/authenticate", bound.server))
        .bearer_auth("sk_test_threeds_mock")
        .json(&json!({ "authentication_category": "non-payment", "authentication_type": "add-card", "cardholder_info": {} }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let _ = stop_tx.send(());

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.contains(pan), "{logs}");
    assert!(logs.contains("400002******0000"), "{logs}");
    let request_lines = logs.lines().filter(|line| line.contains(" request ") || line.ends_with("request")).count();
    assert_eq!(request_lines, 2, "one line per request:\n{logs}");
}
