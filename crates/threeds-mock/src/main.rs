use std::io::IsTerminal;

use clap::Parser;
use threeds_mock::{Config, serve};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        // Colours only on a terminal: the test and demo scripts keep the log in a file.
        .with_ansi(std::io::stdout().is_terminal())
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
