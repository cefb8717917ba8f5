//! The simulator's settings read from the environment (`SIM_PORT`, `VIDEOID_SIM_*`,
//! `VIDEOID_PKG_DIR`, `VIDEOID_SESSION_LIFETIME_S`), with the defaults from
//! `docs/contracts.md`; the standalone command and the demo site both read them here.

use crate::faults::Plan;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Default client id of the simulator's token endpoint.
pub const DEFAULT_CLIENT_ID: &str = "videoid-sim-client";
/// Default client secret of the simulator's token endpoint.
pub const DEFAULT_CLIENT_SECRET: &str = "videoid-sim-secret";

/// A setting that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Where `VIDEOID_SIM_WEBHOOK_URL` says events go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookSetting {
    /// Not set: the runner's default (the demo site's backend, or nowhere on its own).
    Unset,
    /// This URL.
    Url(String),
    /// `off`: nowhere.
    Off,
}

/// The simulator's settings from the environment.
#[derive(Clone)]
pub struct SimEnv {
    /// Port to listen on (`SIM_PORT`).
    pub port: u16,
    /// The built npm package served at `/pkg/` (`VIDEOID_PKG_DIR`).
    pub pkg_dir: PathBuf,
    /// Client id its token endpoint accepts.
    pub client_id: String,
    /// Client secret its token endpoint accepts (never printed).
    pub client_secret: String,
    /// `frame-ancestors` sources of the capture page; `None`: the runner's default.
    pub frame_ancestors: Option<String>,
    /// Time between "processing" and the final status.
    pub final_delay: Duration,
    /// Lifetime of access tokens.
    pub token_lifetime: Duration,
    /// Where `process.complete` events go.
    pub webhook: WebhookSetting,
    /// First pause between webhook attempts.
    pub webhook_retry: Duration,
    /// Lifetime of capture upload tokens and SDK authorizations (`VIDEOID_SESSION_LIFETIME_S`).
    pub session_lifetime: Duration,
    /// Whether the control API is on.
    pub control: bool,
    /// Faults injected from the start.
    pub faults: Option<Plan>,
    /// How long a dossier is kept after its last change.
    pub retention: Duration,
    /// The RA console's agent and the automatic agent (`VIDEOID_SIM_AGENT_USER`,
    /// `VIDEOID_SIM_AGENT_PASSWORD`, `VIDEOID_SIM_AUTO_AGENT_MS`).
    pub agents: crate::ra::AgentSettings,
}

impl Default for SimEnv {
    fn default() -> Self {
        SimEnv {
            port: 8081,
            pkg_dir: default_pkg_dir(),
            client_id: DEFAULT_CLIENT_ID.to_string(),
            client_secret: DEFAULT_CLIENT_SECRET.to_string(),
            frame_ancestors: None,
            final_delay: Duration::from_millis(800),
            token_lifetime: crate::TOKEN_LIFETIME,
            webhook: WebhookSetting::Unset,
            webhook_retry: Duration::from_millis(500),
            session_lifetime: Duration::from_secs(600),
            control: true,
            faults: None,
            retention: crate::RETENTION,
            agents: crate::ra::AgentSettings::default(),
        }
    }
}

/// The repository's `pkg/` directory, found from this crate's location at compile time.
pub fn default_pkg_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("pkg")
}

/// Reads a port number.
pub fn parse_port(name: &str, value: &str) -> Result<u16, ConfigError> {
    value
        .parse()
        .map_err(|_| ConfigError(format!("{name} is not a port number: {value}")))
}

impl SimEnv {
    /// Reads settings through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<SimEnv, ConfigError> {
        let value = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let positive = |name: &str, unit: &str, text: String| {
            text.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                ConfigError(format!("{name} is not a positive number of {unit}: {text}"))
            })
        };
        let mut env = SimEnv::default();
        if let Some(port) = value("SIM_PORT") {
            env.port = parse_port("SIM_PORT", &port)?;
        }
        if let Some(dir) = value("VIDEOID_PKG_DIR") {
            env.pkg_dir = PathBuf::from(dir);
        }
        if let Some(id) = value("VIDEOID_SIM_CLIENT_ID") {
            env.client_id = id;
        }
        if let Some(secret) = value("VIDEOID_SIM_CLIENT_SECRET") {
            env.client_secret = secret;
        }
        env.frame_ancestors = value("VIDEOID_SIM_FRAME_ANCESTORS");
        if let Some(ms) = value("VIDEOID_SIM_FINAL_DELAY_MS") {
            let ms: u64 = ms.parse().map_err(|_| {
                ConfigError(format!(
                    "VIDEOID_SIM_FINAL_DELAY_MS is not a number of milliseconds: {ms}"
                ))
            })?;
            env.final_delay = Duration::from_millis(ms);
        }
        if let Some(secs) = value("VIDEOID_SIM_TOKEN_LIFETIME_S") {
            let secs = positive("VIDEOID_SIM_TOKEN_LIFETIME_S", "seconds", secs)?;
            env.token_lifetime = Duration::from_secs(secs);
        }
        if let Some(url) = value("VIDEOID_SIM_WEBHOOK_URL") {
            env.webhook = if url == "off" {
                WebhookSetting::Off
            } else if url.starts_with("http://") || url.starts_with("https://") {
                WebhookSetting::Url(url)
            } else {
                return Err(ConfigError(format!(
                    "VIDEOID_SIM_WEBHOOK_URL is not an http(s) URL or off: {url}"
                )));
            };
        }
        if let Some(ms) = value("VIDEOID_SIM_WEBHOOK_RETRY_MS") {
            let ms = positive("VIDEOID_SIM_WEBHOOK_RETRY_MS", "milliseconds", ms)?;
            env.webhook_retry = Duration::from_millis(ms);
        }
        if let Some(secs) = value("VIDEOID_SESSION_LIFETIME_S") {
            let secs = positive("VIDEOID_SESSION_LIFETIME_S", "seconds", secs)?;
            env.session_lifetime = Duration::from_secs(secs);
        }
        if let Some(control) = value("VIDEOID_SIM_CONTROL") {
            env.control = match control.as_str() {
                "on" => true,
                "off" => false,
                _ => {
                    return Err(ConfigError(format!(
                        "VIDEOID_SIM_CONTROL must be on or off: {control}"
                    )))
                }
            };
        }
        if let Some(spec) = value("VIDEOID_SIM_FAULTS") {
            env.faults = Some(
                Plan::parse(&spec)
                    .map_err(|e| ConfigError(format!("VIDEOID_SIM_FAULTS: {}", e.0)))?,
            );
        }
        if let Some(secs) = value("VIDEOID_SIM_RETENTION_S") {
            let secs = positive("VIDEOID_SIM_RETENTION_S", "seconds", secs)?;
            env.retention = Duration::from_secs(secs);
        }
        if let Some(user) = value("VIDEOID_SIM_AGENT_USER") {
            env.agents.user = user;
        }
        if let Some(password) = value("VIDEOID_SIM_AGENT_PASSWORD") {
            env.agents.password = password;
        }
        if let Some(ms) = value("VIDEOID_SIM_AUTO_AGENT_MS") {
            env.agents.auto_accept = if ms == "off" {
                None
            } else {
                let ms: u64 = ms.parse().map_err(|_| {
                    ConfigError(format!(
                        "VIDEOID_SIM_AUTO_AGENT_MS is not a number of milliseconds or off: {ms}"
                    ))
                })?;
                Some(Duration::from_millis(ms))
            };
        }
        Ok(env)
    }
}
