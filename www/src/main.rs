//! `videoid-www`: the demo host site, reference backend and Assure simulator;
//! `videoid-www simulator`: the simulator on its own.

use std::process::ExitCode;
use videoid_www::{start, Config};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("simulator") {
        return assure_simulator::standalone::main(args.skip(1)).await;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("videoid-www: {e}");
            return ExitCode::FAILURE;
        }
    };
    videoid_www::init_logs(config.log_format);
    let running = match start(config).await {
        Ok(running) => running,
        Err(e) => {
            tracing::error!(error = %e, "could not start");
            return ExitCode::FAILURE;
        }
    };
    println!("demo: {}/", running.host_url);
    if running.public_url != running.host_url {
        println!("public URL: {}/", running.public_url);
    }
    match &running.real_assure {
        Some(base) => println!("backend: real Assure API at {base} (no simulator runs)"),
        None => {
            println!("simulator: {}/", running.sim_url);
            println!("backend: simulator");
            println!("{SIMULATOR_BANNER}");
        }
    }
    stop_signal().await;
    tracing::info!("stopping: no new connections, finishing requests in flight");
    running.shutdown().await;
    ExitCode::SUCCESS
}

/// What simulator mode prints on start: it must never be mistaken for a real deployment.
const SIMULATOR_BANNER: &str = "\
*** SIMULATOR MODE ***
videoid-www runs the Assure simulator: no identity is verified. It answers
every capture, honours ?scenario= from the browser and takes well-known
default credentials. Never expose it to end-users. For the real API set
VIDEOID_ASSURE=signicat with SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET.";

/// Waits for SIGINT (Ctrl-C) or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
