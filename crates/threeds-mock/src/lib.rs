//! The mock backend, laid out as a real deployment: a 3DS Server (with the demo
//! merchant's server beside it) and its Directory Server on one loopback origin,
//! the ACS on another, so every cross-origin rule of a real deployment holds.
//!
//! - [`three_ds_server`]: the session API, its key extractors, the AReq it builds,
//!   the notification pages, and the results endpoint for the RReq.
//! - [`directory_server`]: `POST /ds/areq`; screens an AReq and routes it to the ACS.
//! - [`acs`]: the 3DS Method page, the challenge pages, the issuer's decisions.
//! - [`processors`]: emulations of the processors that host 3-D Secure pages
//!   (Stripe, Stripe Sources, Checkout.com), each under its own path prefix.
//! - [`merchant`]: the demo merchant's server (only with `--demo-merchant`):
//!   authenticates with the secret key for the demo checkout page, and hands back
//!   the result and the transcript.
//! - [`sdk_origin`]: the SDK host origin's static files (`--host-dir`),
//!   precompressed, with their cache headers.
//! - [`support`]: the test-card table, configuration, stores, HTML, origins, the
//!   transcript, errors into responses, layers, body extractors.
//!
//! The parties meet only where real ones do: the 3DS Server sends the AReq to the
//! Directory Server, which routes it to the ACS; the ACS reports a challenge's end
//! with the RReq through [`AppState::post_rreq`], an endpoint the 3DS Server
//! registers. The ACS and the 3DS Server never import each other.

#![deny(missing_docs)]

pub mod acs;
pub mod directory_server;
pub mod merchant;
pub mod processors;
pub mod sdk_origin;
pub mod support;
pub mod three_ds_server;

pub use support::cards;
pub use support::config::{self, Config};

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::middleware;
use axum::serve::ListenerExt;
use threeds_protocol::CardNumber;
use threeds_protocol::messages::{RReq, RRes};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

use crate::acs::AcsTransaction;
use crate::support::layers::{finish, log_request};
use crate::support::store::ExpiringStore;
use crate::support::transcript;
use crate::three_ds_server::Session;

pub use support::layers::MAX_BODY_BYTES;

/// Where an RReq goes: the 3DS Server's results endpoint, which answers with an RRes.
pub type ResultsEndpoint = fn(&AppState, RReq) -> RRes;

/// What both origins share: the configuration, each party's stores, and the
/// 3DS Server's results endpoint the ACS reports to.
pub struct AppState {
    /// The command line.
    pub config: Config,
    /// `http://host:port` of the 3DS Server origin.
    pub server_origin: String,
    /// `http://host:port` of the ACS origin.
    pub acs_origin: String,
    /// The 3DS Server's sessions, by session ID.
    pub sessions: ExpiringStore<Uuid, Session>,
    /// The 3DS Server's index of its sessions by threeDSServerTransID.
    pub session_by_trans_id: ExpiringStore<Uuid, Uuid>,
    /// The ACS's transactions, by acsTransID.
    pub transactions: ExpiringStore<Uuid, AcsTransaction>,
    /// What the issuer remembers of each card for SCA exemptions (low-value use
    /// since the last SCA, trusted merchants), for a day from its first record.
    pub card_memory: ExpiringStore<CardNumber, acs::exemptions::CardMemory>,
    /// The mock vault: token id -> card number.
    pub tokens: ExpiringStore<String, CardNumber>,
    /// The messages of each transaction, by threeDSServerTransID (the demo's timeline).
    pub transcripts: ExpiringStore<String, Vec<transcript::Recorded>>,
    /// The Stripe emulation's objects.
    pub stripe: processors::stripe::Stores,
    /// The 3DS Server's results endpoint.
    results: ResultsEndpoint,
}

/// Shared state handle.
pub type State = Arc<AppState>;

impl AppState {
    /// State for origins bound at `bound`.
    pub fn new(config: Config, bound: Bound) -> Self {
        let lifetime = config.session_lifetime();
        let capacity = config.max_sessions;
        Self {
            server_origin: format!("http://{}", bound.server),
            acs_origin: format!("http://{}", bound.acs),
            // A session whose outcome is final (or ended with the ACS's Erro), an ended challenge, and any transcript
            // (a debugging aid) may make room before they expire; tokens may not.
            sessions: ExpiringStore::with_finished(lifetime, capacity, |session: &Session| {
                session.authentication.as_ref().is_some_and(|a| a.is_finished())
            }),
            // Entries leave with their session (see `create_session`), so it is never fuller.
            session_by_trans_id: ExpiringStore::new(lifetime, capacity.saturating_mul(2)),
            transactions: ExpiringStore::with_finished(lifetime, capacity, |transaction: &AcsTransaction| {
                matches!(transaction.stage, acs::issuer::ChallengeStage::Ended(_) | acs::issuer::ChallengeStage::Errored)
            }),
            // Any card may be forgotten to make room: the oldest first.
            card_memory: ExpiringStore::with_finished(acs::exemptions::MEMORY_LIFETIME, capacity, |_| true),
            tokens: ExpiringStore::new(lifetime, capacity),
            transcripts: ExpiringStore::with_finished(lifetime, capacity, |_| true),
            stripe: processors::stripe::Stores::new(lifetime, capacity),
            results: three_ds_server::accept_rreq,
            config,
        }
    }

    /// The `frame-ancestors` CSP of every page the mock serves.
    pub fn frame_ancestors(&self) -> String {
        let sources: Vec<String> = self.config.embed_origins.iter().map(|o| o.csp_source()).collect();
        format!("frame-ancestors {}", sources.join(" "))
    }

    /// Posts an RReq to the 3DS Server's results endpoint, as the ACS does (through
    /// the Directory Server) when a challenge ends.
    pub fn post_rreq(&self, rreq: RReq) -> RRes {
        (self.results)(self, rreq)
    }

    fn sweep(&self) {
        self.sessions.sweep();
        self.session_by_trans_id.sweep();
        self.transactions.sweep();
        self.card_memory.sweep();
        self.tokens.sweep();
        self.transcripts.sweep();
        self.stripe.sweep();
    }
}

/// Listening sockets of a running mock, for tests and for the startup log.
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    /// The 3DS Server origin (with the Directory Server and the demo merchant).
    pub server: SocketAddr,
    /// The ACS origin.
    pub acs: SocketAddr,
    /// The SDK host origin, when `--host-dir` is given.
    pub host: Option<SocketAddr>,
}

/// `listener`, its connections without Nagle's algorithm. With it, a response written
/// in two parts (headers, then the body) holds its second part back until the first
/// is acknowledged, and a browser on a kept-alive connection delays that
/// acknowledgement by up to 40 ms: every file and API answer would come that late.
fn no_delay(listener: TcpListener) -> axum::serve::TapIo<TcpListener, fn(&mut TcpStream)> {
    fn set(stream: &mut TcpStream) {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY not set: this connection's answers may wait for acknowledgements");
        }
    }
    listener.tap_io(set)
}

/// Binds both listeners (port 0 picks a free port) and serves until `shutdown` resolves.
pub async fn serve(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    on_bound: impl FnOnce(Bound),
) -> std::io::Result<()> {
    let server_listener = TcpListener::bind((config.host, config.server_port)).await?;
    let acs_listener = TcpListener::bind((config.host, config.acs_port)).await?;
    let host_listener = match &config.host_dir {
        Some(_) => Some(TcpListener::bind((config.host, config.host_port)).await?),
        None => None,
    };
    let bound = Bound {
        server: server_listener.local_addr()?,
        acs: acs_listener.local_addr()?,
        host: host_listener.as_ref().map(TcpListener::local_addr).transpose()?,
    };
    on_bound(bound);
    let mut config = config;
    // The demo merchant receives Stripe Sources' events unless another endpoint is named.
    if config.demo_merchant && config.stripe_sources_webhook_url.is_none() {
        config.stripe_sources_webhook_url = Some(format!("http://{}{}", bound.server, merchant::processors::WEBHOOK_PATH));
    }
    let config_host_dir = config.host_dir.clone();
    let state: State = Arc::new(AppState::new(config, bound));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut processor_tasks = Vec::new();
    let mut server_routes = three_ds_server::router(&state).merge(directory_server::router());
    if state.config.demo_merchant {
        server_routes = server_routes.merge(merchant::router(&state));
    }
    server_routes = server_routes.merge(processors::router(&state, &stop_rx, &mut processor_tasks));
    let server_router = finish(server_routes, &state);
    let acs_router = finish(acs::router(&state), &state);

    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    // Expired sessions are swept every minute, so memory stays bounded when idle too.
    let sweeper = {
        let state = state.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tokio::select! {
                    _ = tick.tick() => state.sweep(),
                    _ = stop.wait_for(|stop| *stop) => break,
                }
            }
        })
    };
    // The server reads the browser's IP from the connection, as a real 3DS Server does.
    let server_task = axum::serve(no_delay(server_listener), server_router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stopped(stop_rx.clone()));
    let acs_task = axum::serve(no_delay(acs_listener), acs_router).with_graceful_shutdown(stopped(stop_rx.clone()));
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    // The SDK host origin: static files only (the built host page), on its own port.
    let host_task = {
        let stop = stopped(stop_rx.clone());
        // `Access-Control-Allow-Origin: *`: a checkout page on another origin loads the
        // embed as a module script and fetches its wasm and the host app's, all CORS
        // requests (and `integrity` needs CORS); the files are public. And
        // `Timing-Allow-Origin: *`: the page's Resource Timing then gives their sizes.
        let cors = tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::ACCESS_CONTROL_ALLOW_ORIGIN,
            axum::http::HeaderValue::from_static("*"),
        );
        let timing = tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::HeaderName::from_static("timing-allow-origin"),
            axum::http::HeaderValue::from_static("*"),
        );
        let files = config_host_dir.map(|dir| sdk_origin::router(dir).layer(cors).layer(timing).layer(middleware::from_fn(log_request)));
        async move {
            match (host_listener, files) {
                (Some(listener), Some(files)) => axum::serve(no_delay(listener), files).with_graceful_shutdown(stop).await,
                _ => Ok(()),
            }
        }
    };
    let (server_result, acs_result, host_result) = tokio::join!(server_task.into_future(), acs_task.into_future(), host_task);
    let _ = sweeper.await;
    for task in processor_tasks {
        let _ = task.await;
    }
    server_result.and(acs_result).and(host_result)
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener;

    use super::*;

    #[tokio::test]
    async fn connections_are_accepted_without_nagles_algorithm() {
        let mut listener = no_delay(TcpListener::bind("127.0.0.1:0").await.unwrap());
        let address = listener.local_addr().unwrap();
        let client = tokio::spawn(TcpStream::connect(address));
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().unwrap(), "an accepted connection still delays small writes");
        client.await.unwrap().unwrap();
    }
}
