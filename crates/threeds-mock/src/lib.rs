//! The mock backend: a 3DS Server (with its Directory Server) and an ACS, each on
//! its own loopback origin, so every cross-origin rule of a real deployment holds.
//!
//! - [`cards`]: the test-card table and what each card does (pure).
//! - [`ds`]: the DS / issuer decision on an AReq, challenge outcomes, RReq (pure).
//! - [`server`]: the 3DS Server origin: session API, `POST /ds/areq`, notification pages.
//! - [`acs`]: the ACS origin: 3DS Method page and challenge pages.
//! - [`merchant`]: the demo merchant's server: authenticates with the secret key
//!   for the demo checkout page, and hands back the result and the transcript.
//! - [`transcript`]: every EMV message of a transaction, card number masked.

pub mod acs;
pub mod cards;
pub mod config;
pub mod ds;
pub mod error;
pub mod html;
pub mod merchant;
pub mod origin;
pub mod server;
pub mod session;
pub mod store;
pub mod transcript;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use threeds_protocol::CardNumber;
use tokio::net::TcpListener;
use uuid::Uuid;

pub use config::Config;

use crate::ds::AcsTransaction;
use crate::session::Session;
use crate::store::ExpiringStore;

/// Largest request body either origin reads (form posts and JSON are far smaller).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What both origins share.
pub struct AppState {
    pub config: Config,
    /// `http://host:port` of the 3DS Server origin.
    pub server_origin: String,
    /// `http://host:port` of the ACS origin.
    pub acs_origin: String,
    pub sessions: ExpiringStore<Uuid, Session>,
    /// The ACS's transactions, by acsTransID.
    pub transactions: ExpiringStore<Uuid, AcsTransaction>,
    /// The mock vault: token id -> card number.
    pub tokens: ExpiringStore<String, CardNumber>,
    /// The messages of each transaction, by threeDSServerTransID (the demo's timeline).
    pub transcripts: ExpiringStore<String, Vec<transcript::Recorded>>,
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
            // A session whose outcome is final, an ended challenge, and any transcript
            // (a debugging aid) may make room before they expire; tokens may not.
            sessions: ExpiringStore::with_finished(lifetime, capacity, |session: &Session| {
                session.authentication.as_ref().is_some_and(|a| a.is_final())
            }),
            transactions: ExpiringStore::with_finished(lifetime, capacity, |transaction: &AcsTransaction| {
                matches!(transaction.stage, ds::ChallengeStage::Ended(_))
            }),
            tokens: ExpiringStore::new(lifetime, capacity),
            transcripts: ExpiringStore::with_finished(lifetime, capacity, |_| true),
            config,
        }
    }

    /// The `frame-ancestors` CSP of every page the mock serves.
    pub fn frame_ancestors(&self) -> String {
        let sources: Vec<String> = self.config.embed_origins.iter().map(|o| o.csp_source()).collect();
        format!("frame-ancestors {}", sources.join(" "))
    }
}

/// One tracing line per request: method, path, status, duration. Never a body or a
/// query (where card data could be), and paths carry only IDs.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(%method, path, status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request");
    response
}

fn finish(router: Router<State>, state: &State) -> Router {
    router.layer(DefaultBodyLimit::max(MAX_BODY_BYTES)).layer(middleware::from_fn(log_request)).with_state(state.clone())
}

/// Listening sockets of a running mock, for tests and for the startup log.
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    pub server: SocketAddr,
    pub acs: SocketAddr,
    /// The SDK host origin, when `--host-dir` is given.
    pub host: Option<SocketAddr>,
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
    let config_host_dir = config.host_dir.clone();
    let state: State = Arc::new(AppState::new(config, bound));
    let server_router = finish(server::router(&state).merge(merchant::router(&state)), &state);
    let acs_router = finish(acs::router(), &state);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
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
                    _ = tick.tick() => {
                        state.sessions.sweep();
                        state.transactions.sweep();
                        state.tokens.sweep();
                        state.transcripts.sweep();
                    }
                    _ = stop.wait_for(|stop| *stop) => break,
                }
            }
        })
    };
    // The server reads the browser's IP from the connection, as a real 3DS Server does.
    let server_task = axum::serve(server_listener, server_router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stopped(stop_rx.clone()));
    let acs_task = axum::serve(acs_listener, acs_router).with_graceful_shutdown(stopped(stop_rx.clone()));
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    // The SDK host origin: static files only (the built host page), on its own port.
    let host_task = {
        let stop = stopped(stop_rx.clone());
        let files = config_host_dir
            .map(|dir| Router::new().fallback_service(tower_http::services::ServeDir::new(dir)).layer(middleware::from_fn(log_request)));
        async move {
            match (host_listener, files) {
                (Some(listener), Some(files)) => axum::serve(listener, files).with_graceful_shutdown(stop).await,
                _ => Ok(()),
            }
        }
    };
    let (server_result, acs_result, host_result) = tokio::join!(server_task.into_future(), acs_task.into_future(), host_task);
    let _ = sweeper.await;
    server_result.and(acs_result).and(host_result)
}
