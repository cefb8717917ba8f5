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
    let mut lines = vec![format!("demo: {}/", running.host_url)];
    if running.public_url != running.host_url {
        lines.push(format!("public URL: {}/", running.public_url));
    }
    match &running.real_assure {
        Some(base) => lines.push(format!(
            "backend: real Assure API at {base} (no simulator runs)"
        )),
        None => {
            lines.push(format!("simulator: {}/", running.sim_url));
            lines.push("backend: simulator".to_string());
            lines.push(SIMULATOR_BANNER.to_string());
        }
    }
    announce(&lines);
    stop_signal().await;
    tracing::info!("stopping: no new connections, finishing requests in flight");
    running.shutdown().await;
    ExitCode::SUCCESS
}

/// Prints the start lines. A closed or full stdout (a supervisor that stopped reading) must
/// not stop the server, so write errors are ignored rather than panicking as `println!` does.
fn announce(lines: &[String]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
    let _ = out.flush();
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
