use std::io::IsTerminal;

use clap::Parser;
use threeds_mock::{Config, serve};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let result = serve(config, shutdown, |bound| {
        // The test and demo scripts wait for this line before going on.
        let host = bound.host.map(|host| format!(" host=http://{host}")).unwrap_or_default();
        println!("threeds-mock listening: 3ds-server=http://{} acs=http://{}{host}", bound.server, bound.acs);
    })
    .await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("threeds-mock: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
