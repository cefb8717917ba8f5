//! The Assure simulator on its own (`assure-simulator`, also `videoid-www simulator`), for
//! testing any backend offline.
//!
//! It serves only the simulator's origin: the Assure API paths and token endpoint, the hosted
//! capture page, VideoID's simulated web SDK and provider API, the control API under
//! `/simulator/`, and the npm package at `/pkg/` (the capture page runs the component from
//! there). A backend under test points its Assure base URL at the printed address and uses
//! the printed client credentials; nothing else changes.

use crate::env::{ConfigError, SimEnv, WebhookSetting};
use crate::http::{http_client, json_errors, not_found, serve};
use crate::package::{package_router, PackageDir};
use crate::storage::DataDir;
use crate::{ids, router, Settings, Simulator};
use std::fmt::Write as _;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The capture page's `frame-ancestors` when none is set: any page on this machine.
pub const DEFAULT_FRAME_ANCESTORS: &str = "'self' http://localhost:* http://127.0.0.1:*";

/// The command line's help text.
pub const USAGE: &str = "\
assure-simulator [options]          (or: videoid-www simulator [options])

Serves the Assure API simulator on its own: the Assure API and token endpoint, the
hosted capture page, VideoID's simulated web SDK, and the control API (/simulator/).
Point your backend's Assure base URL at the printed address.

Options (each also read from the environment variable in brackets):
  --port N                 port to listen on; 0 picks a free one   [SIM_PORT, default 8081]
  --bind ADDR              address to listen on                     [default 127.0.0.1]
  --public-url URL         base URL browsers and backends use       [default http://127.0.0.1:PORT]
  --data-dir DIR           keep the state in DIR across restarts    [VIDEOID_SIM_DATA_DIR]
                           (without it: a private temporary directory, removed on stop)
  --pkg-dir DIR            the built npm package the capture page loads, e.g.
                           node_modules/videoid-capture            [VIDEOID_PKG_DIR]
  --frame-ancestors SRCS   who may frame the capture page (CSP sources)
                           [VIDEOID_SIM_FRAME_ANCESTORS, default 'self' http://localhost:* http://127.0.0.1:*]
  --webhook URL|off        where process.complete events go         [VIDEOID_SIM_WEBHOOK_URL, default off]
  --final-delay DURATION   processing -> final status, e.g. 800ms   [VIDEOID_SIM_FINAL_DELAY_MS]
  --token-lifetime DUR     access token lifetime, e.g. 600s          [VIDEOID_SIM_TOKEN_LIFETIME_S]
  --session-lifetime DUR   capture upload token and SDK authorization lifetime
                                                                    [VIDEOID_SESSION_LIFETIME_S]
  --webhook-retry DUR      first pause between webhook attempts      [VIDEOID_SIM_WEBHOOK_RETRY_MS]
  --no-control             turn the control API off                 [VIDEOID_SIM_CONTROL=off]
  --faults SPEC            inject faults, e.g. 'seed=7; all: 503 10%, 429 2% retry-after=1s,
                           drop 2%, latency 200ms 5%; POST /auth/open/connect/token: down 5s'
                           (www/README.md has the grammar; PUT /simulator/faults changes them)
                                                                    [VIDEOID_SIM_FAULTS]
  --retention DUR          remove dossiers this long after their last change
                                                                    [VIDEOID_SIM_RETENTION_S, default 30 days]
  --agent-user NAME        the RA console's agent (/ra/)           [VIDEOID_SIM_AGENT_USER, default agent]
  --agent-password PW      its password                             [VIDEOID_SIM_AGENT_PASSWORD,
                                                                     default videoid-sim-agent]
  --auto-agent DUR|off     an automatic agent accepts each process waiting for review
                           this long after it entered the queue, and takes each live
                           call that long after it joined           [VIDEOID_SIM_AUTO_AGENT_MS, default off]
  -h, --help               this text

Credentials: VIDEOID_SIM_CLIENT_ID and VIDEOID_SIM_CLIENT_SECRET
(default videoid-sim-client / videoid-sim-secret). Durations take ms, s or m.
Stops cleanly on SIGTERM or Ctrl-C.
";

/// The standalone simulator's settings.
#[derive(Clone)]
pub struct Options {
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port to listen on (0: a free one).
    pub port: u16,
    /// Base URL it tells clients (capture URLs, `providerApiUrl`); `None`: from the bound address.
    pub public_url: Option<String>,
    /// Where its state lives; `None`: a private temporary directory removed on stop.
    pub data_dir: Option<PathBuf>,
    /// The built npm package served at `/pkg/`.
    pub pkg_dir: PathBuf,
    /// Client id its token endpoint and control API accept.
    pub client_id: String,
    /// Client secret its token endpoint and control API accept.
    pub client_secret: String,
    /// The capture page's `frame-ancestors` sources.
    pub frame_ancestors: String,
    /// Where `process.complete` events go.
    pub webhook: Option<String>,
    /// Time between `processing` and the final status.
    pub final_delay: Duration,
    /// Lifetime of access tokens.
    pub token_lifetime: Duration,
    /// Lifetime of the capture page's upload tokens and of SDK authorizations.
    pub session_lifetime: Duration,
    /// First pause between webhook attempts.
    pub webhook_retry: Duration,
    /// Whether the control API is on.
    pub control: bool,
    /// Faults injected from the start.
    pub faults: Option<crate::faults::Plan>,
    /// How long a dossier is kept after its last change.
    pub retention: Duration,
    /// The RA console's agent and the automatic agent.
    pub agents: crate::ra::AgentSettings,
}

/// What the command line asks for.
pub enum Command {
    /// Serve with these options.
    Run(Box<Options>),
    /// Print the help text.
    Help,
}

impl Options {
    /// Reads the environment through `env`, then the command line `args` (without the
    /// program name and the `simulator` word) on top of it.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Command, ConfigError> {
        let value = |name: &str| {
            env(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let config = SimEnv::from_lookup(&env)?;
        let mut options = Options {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: config.port,
            public_url: None,
            data_dir: value("VIDEOID_SIM_DATA_DIR").map(PathBuf::from),
            pkg_dir: config.pkg_dir,
            client_id: config.client_id,
            client_secret: config.client_secret,
            frame_ancestors: match config.frame_ancestors {
                Some(sources) => checked_sources(&sources)?,
                None => DEFAULT_FRAME_ANCESTORS.to_string(),
            },
            webhook: match config.webhook {
                WebhookSetting::Url(url) => Some(url),
                WebhookSetting::Unset | WebhookSetting::Off => None,
            },
            final_delay: config.final_delay,
            token_lifetime: config.token_lifetime,
            session_lifetime: config.session_lifetime,
            webhook_retry: config.webhook_retry,
            control: config.control,
            faults: config.faults,
            retention: config.retention,
            agents: config.agents,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            match name.as_str() {
                "-h" | "--help" => return Ok(Command::Help),
                "--no-control" => {
                    options.control = false;
                    continue;
                }
                _ => {}
            }
            let mut take = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| ConfigError(format!("{name} needs a value")))
            };
            match name.as_str() {
                "--port" => {
                    let v = take()?;
                    options.port = v
                        .parse()
                        .map_err(|_| ConfigError(format!("--port is not a port number: {v}")))?;
                }
                "--bind" => {
                    let v = take()?;
                    options.bind = v
                        .parse()
                        .map_err(|_| ConfigError(format!("--bind is not an IP address: {v}")))?;
                }
                "--public-url" => options.public_url = Some(checked_public_url(&take()?)?),
                "--data-dir" => options.data_dir = Some(PathBuf::from(take()?)),
                "--pkg-dir" => options.pkg_dir = PathBuf::from(take()?),
                "--frame-ancestors" => options.frame_ancestors = checked_sources(&take()?)?,
                "--webhook" => {
                    let v = take()?;
                    options.webhook = match v.as_str() {
                        "off" => None,
                        url if url.starts_with("http://") || url.starts_with("https://") => {
                            Some(url.to_string())
                        }
                        _ => {
                            return Err(ConfigError(format!(
                                "--webhook is not an http(s) URL or off: {v}"
                            )))
                        }
                    };
                }
                "--final-delay" => options.final_delay = duration(&name, &take()?, true)?,
                "--token-lifetime" => options.token_lifetime = duration(&name, &take()?, false)?,
                "--session-lifetime" => {
                    options.session_lifetime = duration(&name, &take()?, false)?
                }
                "--webhook-retry" => options.webhook_retry = duration(&name, &take()?, false)?,
                "--faults" => {
                    let spec = take()?;
                    options.faults = Some(
                        crate::faults::Plan::parse(&spec)
                            .map_err(|e| ConfigError(format!("--faults: {}", e.0)))?,
                    );
                }
                "--retention" => options.retention = duration(&name, &take()?, false)?,
                "--agent-user" => options.agents.user = non_empty(&name, take()?)?,
                "--agent-password" => options.agents.password = non_empty(&name, take()?)?,
                "--auto-agent" => {
                    let v = take()?;
                    options.agents.auto_accept = match v.as_str() {
                        "off" => None,
                        _ => Some(duration(&name, &v, true)?),
                    };
                }
                _ => return Err(ConfigError(format!("unknown option {name} (see --help)"))),
            }
        }
        Ok(Command::Run(Box::new(options)))
    }
}

/// A value that is not empty.
fn non_empty(name: &str, value: String) -> Result<String, ConfigError> {
    if value.trim().is_empty() {
        Err(ConfigError(format!("{name} must not be empty")))
    } else {
        Ok(value)
    }
}

/// Parses `800ms`, `2s` or `5m`; zero only where `zero_ok`.
fn duration(name: &str, value: &str, zero_ok: bool) -> Result<Duration, ConfigError> {
    let bad = || {
        ConfigError(format!(
            "{name} is not a duration such as 800ms, 2s or 5m: {value}"
        ))
    };
    let (number, unit) = value
        .find(|c: char| !c.is_ascii_digit())
        .map(|i| value.split_at(i))
        .ok_or_else(bad)?;
    let n: u64 = number.parse().map_err(|_| bad())?;
    let d = match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.saturating_mul(60)),
        _ => return Err(bad()),
    };
    if d.is_zero() && !zero_ok {
        return Err(ConfigError(format!("{name} must be more than zero")));
    }
    Ok(d)
}

/// CSP sources for `frame-ancestors`: words without characters that could end the directive.
fn checked_sources(sources: &str) -> Result<String, ConfigError> {
    let words: Vec<&str> = sources.split_whitespace().collect();
    let ok = !words.is_empty()
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, ';' | ','))
        });
    if ok {
        Ok(words.join(" "))
    } else {
        Err(ConfigError(format!(
            "frame-ancestors must be CSP sources separated by spaces: {sources}"
        )))
    }
}

/// An `http(s)` origin (a trailing slash is dropped; no path).
fn checked_public_url(url: &str) -> Result<String, ConfigError> {
    let trimmed = url.trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed)
        .map_err(|_| ConfigError(format!("--public-url is not a URL: {url}")))?;
    let ok = matches!(parsed.scheme(), "http" | "https")
        && parsed.host_str().is_some()
        && parsed.path() == "/"
        && parsed.query().is_none()
        && parsed.fragment().is_none();
    if ok {
        Ok(trimmed.to_string())
    } else {
        Err(ConfigError(format!(
            "--public-url must be an http(s) origin without a path: {url}"
        )))
    }
}

/// The simulator, running on its own; `shutdown` stops it.
pub struct Standalone {
    /// Its base URL, e.g. `http://127.0.0.1:8081` (no trailing slash).
    pub url: String,
    /// Where its state lives.
    pub data_dir: PathBuf,
    /// True when `data_dir` is a private temporary directory removed on stop.
    pub ephemeral: bool,
    options: Options,
    stop: watch::Sender<bool>,
    server: JoinHandle<io::Result<()>>,
}

/// Binds the listener, opens the data directory and starts serving.
pub async fn start(options: Options) -> io::Result<Standalone> {
    let listener = TcpListener::bind((options.bind, options.port)).await?;
    let port = listener.local_addr()?.port();
    let url = options.public_url.clone().unwrap_or_else(|| {
        let host = match options.bind {
            ip if ip.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        format!("http://{host}:{port}")
    });
    let (data_dir, ephemeral) = match &options.data_dir {
        Some(dir) => (dir.clone(), false),
        None => (
            std::env::temp_dir().join(format!("videoid-simulator-{}", ids::uuid())),
            true,
        ),
    };
    let data = DataDir::open(data_dir.clone())?;
    let (stop, stopped) = watch::channel(false);
    let http = http_client().map_err(io::Error::other)?;
    let simulator = Simulator::open(
        Settings {
            base_url: url.clone(),
            client_id: options.client_id.clone(),
            client_secret: options.client_secret.clone(),
            frame_ancestors: options.frame_ancestors.clone(),
            final_delay: options.final_delay,
            token_lifetime: options.token_lifetime,
            webhook_url: options.webhook.clone(),
            webhook_retry: options.webhook_retry,
            upload_lifetime: options.session_lifetime,
            control: options.control,
            faults: options.faults.clone(),
            retention: options.retention,
            agents: options.agents.clone(),
        },
        data,
        http,
        stopped.clone(),
    );
    let pkg = Arc::new(PackageDir::new(options.pkg_dir.clone()));
    let app = router(simulator.clone())
        .merge(package_router(pkg))
        .fallback(not_found)
        .layer(axum::middleware::map_response(json_errors));
    let server = tokio::spawn(serve(listener, app, stopped));
    simulator.resume();
    Ok(Standalone {
        url,
        data_dir,
        ephemeral,
        options,
        stop,
        server,
    })
}

impl Standalone {
    /// What it prints on start: where it is and the credentials a backend needs.
    pub fn banner(&self) -> String {
        let o = &self.options;
        let mut out = String::new();
        let _ = writeln!(out, "Assure API simulator (videoid-www simulator)");
        let _ = writeln!(out, "  base URL:      {}", self.url);
        let _ = writeln!(out, "  client id:     {}", o.client_id);
        let _ = writeln!(out, "  client secret: {}", o.client_secret);
        let _ = writeln!(
            out,
            "  token:         POST {}/auth/open/connect/token",
            self.url
        );
        let _ = writeln!(out, "  Assure API:    {}/assure/…", self.url);
        let control = if o.control {
            format!(
                "{}/simulator/ (HTTP Basic with the client credentials)",
                self.url
            )
        } else {
            "off".to_string()
        };
        let _ = writeln!(out, "  control API:   {control}");
        let _ = writeln!(
            out,
            "  capture page:  {}/capture/ (frame-ancestors {})",
            self.url, o.frame_ancestors
        );
        let _ = writeln!(out, "  web SDK:       {}/provider/js/videoid.js", self.url);
        let package = if o.pkg_dir.join("videoid-capture.js").is_file() {
            o.pkg_dir.display().to_string()
        } else {
            format!(
                "{} has no videoid-capture.js: the capture page offers only its outcome buttons (--pkg-dir)",
                o.pkg_dir.display()
            )
        };
        let _ = writeln!(out, "  package:       {package}");
        let webhook = o.webhook.as_deref().unwrap_or("off");
        let _ = writeln!(out, "  webhook:       {webhook}");
        if let Some(plan) = &o.faults {
            let _ = writeln!(out, "  faults:        {} (seed {})", plan.spec, plan.seed);
        }
        let data = if self.ephemeral {
            format!("{} (temporary, removed on stop)", self.data_dir.display())
        } else {
            self.data_dir.display().to_string()
        };
        let _ = writeln!(out, "  data:          {data}");
        out
    }

    /// Stops accepting connections, waits (a few seconds at most) for open ones, and removes
    /// a temporary data directory.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        match tokio::time::timeout(Duration::from_secs(5), self.server).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => eprintln!("videoid-www simulator: server error: {e}"),
            Ok(Err(e)) => eprintln!("videoid-www simulator: server task failed: {e}"),
            Err(_) => eprintln!("videoid-www simulator: the server did not stop in time"),
        }
        if self.ephemeral {
            if let Err(e) = std::fs::remove_dir_all(&self.data_dir) {
                eprintln!(
                    "videoid-www simulator: could not remove {}: {e}",
                    self.data_dir.display()
                );
            }
        }
    }
}

/// Runs `videoid-www simulator` with `args` (after the `simulator` word) until SIGTERM or Ctrl-C.
pub async fn main(args: impl IntoIterator<Item = String>) -> ExitCode {
    let options = match Options::parse(args, |name| std::env::var(name).ok()) {
        Ok(Command::Run(options)) => *options,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("videoid-www simulator: {e}");
            return ExitCode::from(2);
        }
    };
    let running = match start(options).await {
        Ok(running) => running,
        Err(e) => {
            eprintln!("videoid-www simulator: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", running.banner());
    stop_signal().await;
    running.shutdown().await;
    ExitCode::SUCCESS
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Options, ConfigError> {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match Options::parse(args.iter().map(|a| a.to_string()), |n| env.get(n).cloned())? {
            Command::Run(o) => Ok(*o),
            Command::Help => Err(ConfigError("help".into())),
        }
    }

    #[test]
    fn defaults_and_environment() {
        let o = parse(&[], &[]).unwrap();
        assert_eq!(o.port, 8081);
        assert_eq!(o.bind, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(o.data_dir, None);
        assert_eq!(o.frame_ancestors, DEFAULT_FRAME_ANCESTORS);
        assert_eq!(o.webhook, None);
        assert!(o.control);
        assert_eq!(o.client_id, "videoid-sim-client");
        let o = parse(
            &[],
            &[
                ("SIM_PORT", "9999"),
                ("VIDEOID_SIM_CLIENT_ID", "ci"),
                ("VIDEOID_SIM_CLIENT_SECRET", "cs"),
                ("VIDEOID_SIM_DATA_DIR", "/tmp/sim"),
                ("VIDEOID_SIM_WEBHOOK_URL", "http://127.0.0.1:9/hook"),
                ("VIDEOID_SIM_CONTROL", "off"),
                ("VIDEOID_SIM_FRAME_ANCESTORS", "https://shop.example"),
            ],
        )
        .unwrap();
        assert_eq!(o.port, 9999);
        assert_eq!(
            (o.client_id.as_str(), o.client_secret.as_str()),
            ("ci", "cs")
        );
        assert_eq!(o.data_dir, Some(PathBuf::from("/tmp/sim")));
        assert_eq!(o.webhook.as_deref(), Some("http://127.0.0.1:9/hook"));
        assert!(!o.control);
        assert_eq!(o.frame_ancestors, "https://shop.example");
    }

    #[test]
    fn agent_settings_from_the_environment_and_flags() {
        let o = parse(&[], &[]).unwrap();
        assert_eq!(o.agents.user, "agent");
        assert_eq!(o.agents.password, "videoid-sim-agent");
        assert_eq!(o.agents.auto_accept, None);
        let env = [
            ("VIDEOID_SIM_AGENT_USER", "officer"),
            ("VIDEOID_SIM_AGENT_PASSWORD", "pw-from-env"),
            ("VIDEOID_SIM_AUTO_AGENT_MS", "1500"),
        ];
        let o = parse(&[], &env).unwrap();
        assert_eq!(o.agents.user, "officer");
        assert_eq!(o.agents.password, "pw-from-env");
        assert_eq!(o.agents.auto_accept, Some(Duration::from_millis(1500)));
        let o = parse(
            &[
                "--agent-user",
                "ra",
                "--agent-password=pw",
                "--auto-agent",
                "off",
            ],
            &env,
        )
        .unwrap();
        assert_eq!(
            (o.agents.user.as_str(), o.agents.password.as_str()),
            ("ra", "pw")
        );
        assert_eq!(o.agents.auto_accept, None);
        let o = parse(&["--auto-agent", "2s"], &[]).unwrap();
        assert_eq!(o.agents.auto_accept, Some(Duration::from_secs(2)));
        for bad in [
            &["--auto-agent", "soon"][..],
            &["--agent-user", " "][..],
            &["--agent-password"][..],
        ] {
            assert!(parse(bad, &[]).is_err(), "{bad:?}");
        }
        match parse(&[], &[("VIDEOID_SIM_AUTO_AGENT_MS", "1s")]) {
            Err(e) => assert!(e.0.contains("VIDEOID_SIM_AUTO_AGENT_MS"), "{e}"),
            Ok(_) => panic!("1s is not a number of milliseconds"),
        }
    }

    #[test]
    fn flags_win_over_the_environment() {
        let o = parse(
            &[
                "--port=0",
                "--bind",
                "0.0.0.0",
                "--public-url",
                "http://sim.test:8081/",
                "--data-dir",
                "/tmp/d",
                "--frame-ancestors",
                "'self'  https://a.example",
                "--webhook",
                "off",
                "--final-delay",
                "50ms",
                "--token-lifetime",
                "2s",
                "--session-lifetime",
                "5m",
                "--webhook-retry=20ms",
                "--no-control",
                "--faults",
                "seed=9; all: 503 5%",
                "--retention=10m",
            ],
            &[
                ("SIM_PORT", "9999"),
                ("VIDEOID_SIM_WEBHOOK_URL", "http://x/h"),
            ],
        )
        .unwrap();
        assert_eq!(o.port, 0);
        assert!(o.bind.is_unspecified());
        assert_eq!(o.public_url.as_deref(), Some("http://sim.test:8081"));
        assert_eq!(o.data_dir, Some(PathBuf::from("/tmp/d")));
        assert_eq!(o.frame_ancestors, "'self' https://a.example");
        assert_eq!(o.webhook, None);
        assert_eq!(o.final_delay, Duration::from_millis(50));
        assert_eq!(o.token_lifetime, Duration::from_secs(2));
        assert_eq!(o.session_lifetime, Duration::from_secs(300));
        assert_eq!(o.webhook_retry, Duration::from_millis(20));
        assert!(!o.control);
        assert_eq!(o.faults.map(|p| p.seed), Some(9));
        assert_eq!(o.retention, Duration::from_secs(600));
    }

    #[test]
    fn bad_flags_are_errors() {
        for bad in [
            &["--port", "http"][..],
            &["--port"],
            &["--bind", "localhost"],
            &["--public-url", "http://sim.test/path"],
            &["--public-url", "ftp://sim.test"],
            &["--frame-ancestors", "'self'; script-src *"],
            &["--frame-ancestors", "  "],
            &["--webhook", "sim.test/hook"],
            &["--final-delay", "800"],
            &["--token-lifetime", "0s"],
            &["--session-lifetime", "1h"],
            &["--faults", "all: 404"],
            &["--retention", "0s"],
            &["--verbose"],
        ] {
            assert!(parse(bad, &[]).is_err(), "{bad:?}");
        }
        assert!(parse(&[], &[("VIDEOID_SIM_FRAME_ANCESTORS", "a;b")]).is_err());
        assert!(matches!(
            Options::parse(["--help".to_string()], |_| None),
            Ok(Command::Help)
        ));
    }
}
