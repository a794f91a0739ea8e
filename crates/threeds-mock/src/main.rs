use std::io::IsTerminal;

use clap::Parser;
use threeds_mock::{Config, serve};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long requests in flight may take to finish once the mock is told to stop.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    #[cfg(unix)]
    if let Ok(mut terminate) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        return;
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Log lines are written by a thread of their own, so a request never waits on
    // the terminal or the disk; none is dropped (a full buffer waits instead), and
    // the guard writes out what is left when main returns.
    let (writer, _flush_on_exit) = tracing_appender::non_blocking::NonBlockingBuilder::default().lossy(false).finish(std::io::stdout());
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        // Colours only on a terminal: the test and demo scripts keep the log in a file.
        .with_ansi(std::io::stdout().is_terminal())
        .with_writer(writer)
        .init();
    let config = Config::parse();
    // Ctrl-C or SIGTERM (what `kill` and container runtimes send) stop the mock:
    // requests in flight get a grace period to finish, then it exits anyway (a
    // client may hold a request open forever), and the log is written out.
    let (stopping_tx, stopping) = tokio::sync::watch::channel(false);
    let served = serve(
        config,
        async move {
            stop_signal().await;
            let _ = stopping_tx.send(true);
        },
        |bound| {
            // The test and demo scripts wait for this line before going on.
            let host = bound.host.map(|host| format!(" host=http://{host}")).unwrap_or_default();
            println!("threeds-mock listening: 3ds-server=http://{} acs=http://{}{host}", bound.server, bound.acs);
        },
    );
    let deadline = async move {
        let mut stopping = stopping;
        let _ = stopping.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let result = tokio::select! {
        result = served => result,
        () = deadline => Ok(()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("threeds-mock: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
