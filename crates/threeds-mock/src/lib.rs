//! The mock backend: a 3DS Server (with its Directory Server) and an ACS, each on
//! its own loopback origin, so every cross-origin rule of a real deployment holds.

pub mod config;

use std::net::SocketAddr;

use axum::{Router, routing::get};
use tokio::net::TcpListener;

pub use config::Config;

/// The two origins' routers, built from one configuration.
pub struct Parties {
    /// The 3DS Server origin: session API, DS endpoint, notification pages.
    pub server: Router,
    /// The ACS origin: method page and challenge pages.
    pub acs: Router,
}

/// Builds the routers of both parties.
pub fn parties(_config: &Config) -> Parties {
    Parties {
        server: Router::new().route("/healthz", get(|| async { "3ds-server ok" })),
        acs: Router::new().route("/healthz", get(|| async { "acs ok" })),
    }
}

/// Listening sockets of a running mock, for tests and for the startup log.
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    pub server: SocketAddr,
    pub acs: SocketAddr,
}

/// Binds both listeners (port 0 picks a free port) and serves until `shutdown` resolves.
pub async fn serve(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    on_bound: impl FnOnce(Bound),
) -> std::io::Result<()> {
    let server_listener = TcpListener::bind((config.host, config.server_port)).await?;
    let acs_listener = TcpListener::bind((config.host, config.acs_port)).await?;
    on_bound(Bound {
        server: server_listener.local_addr()?,
        acs: acs_listener.local_addr()?,
    });
    let Parties { server, acs } = parties(&config);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let server_task = axum::serve(server_listener, server).with_graceful_shutdown(stopped(stop_rx.clone()));
    let acs_task = axum::serve(acs_listener, acs).with_graceful_shutdown(stopped(stop_rx));
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let (server_result, acs_result) = tokio::join!(server_task.into_future(), acs_task.into_future());
    server_result.and(acs_result)
}
