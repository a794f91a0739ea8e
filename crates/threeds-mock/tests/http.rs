//! Over real HTTP on loopback: both origins answer on distinct ports.

use threeds_mock::{Bound, Config, serve};

async fn start() -> (Bound, tokio::sync::oneshot::Sender<()>) {
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (bound_tx, bound_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(serve(Config::ephemeral(), async { let _ = stop_rx.await; }, move |bound| {
        let _ = bound_tx.send(bound);
    }));
    (bound_rx.await.expect("mock bound"), stop_tx)
}

#[tokio::test]
async fn server_and_acs_are_distinct_origins() {
    let (bound, _stop) = start().await;
    assert_ne!(bound.server.port(), bound.acs.port());
    let server = reqwest::get(format!("http://{}/healthz", bound.server)).await.unwrap();
    assert_eq!(server.text().await.unwrap(), "3ds-server ok");
    let acs = reqwest::get(format!("http://{}/healthz", bound.acs)).await.unwrap();
    assert_eq!(acs.text().await.unwrap(), "acs ok");
}
