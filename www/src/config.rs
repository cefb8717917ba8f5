//! Settings read from the environment, with the defaults from `docs/contracts.md`.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The real Assure API the host backend talks to instead of the simulator.
#[derive(Clone)]
pub struct RealAssure {
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret (never printed).
    pub client_secret: String,
    /// Base URL, e.g. `https://api.signicat.com`.
    pub base_url: String,
}

impl fmt::Debug for RealAssure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RealAssure")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// Everything `start` needs; ports of 0 mean "any free port".
#[derive(Clone)]
pub struct Config {
    /// Port of the demo host site and reference backend (bound on 127.0.0.1).
    pub host_port: u16,
    /// Port of the Assure simulator (bound on 127.0.0.1).
    pub sim_port: u16,
    /// Directory served at `/pkg/` on both origins.
    pub pkg_dir: PathBuf,
    /// Client id the simulator's token endpoint accepts.
    pub sim_client_id: String,
    /// Client secret the simulator's token endpoint accepts (never printed).
    pub sim_client_secret: String,
    /// `frame-ancestors` sources of the capture page; `None` derives them from the host port.
    pub sim_frame_ancestors: Option<String>,
    /// Time between "processing" and the final status of a simulated process.
    pub sim_final_delay: Duration,
    /// When set, the backend uses this API instead of the simulator.
    pub real: Option<RealAssure>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("host_port", &self.host_port)
            .field("sim_port", &self.sim_port)
            .field("pkg_dir", &self.pkg_dir)
            .field("sim_client_id", &self.sim_client_id)
            .field("sim_client_secret", &"<redacted>")
            .field("sim_frame_ancestors", &self.sim_frame_ancestors)
            .field("sim_final_delay", &self.sim_final_delay)
            .field("real", &self.real)
            .finish()
    }
}

/// Default client id of the simulator.
pub const DEFAULT_SIM_CLIENT_ID: &str = "videoid-sim-client";
/// Default client secret of the simulator.
pub const DEFAULT_SIM_CLIENT_SECRET: &str = "videoid-sim-secret";
/// Default base URL of the real Assure API.
pub const DEFAULT_ASSURE_BASE_URL: &str = "https://api.signicat.com";

impl Default for Config {
    fn default() -> Self {
        Config {
            host_port: 8080,
            sim_port: 8081,
            pkg_dir: default_pkg_dir(),
            sim_client_id: DEFAULT_SIM_CLIENT_ID.to_string(),
            sim_client_secret: DEFAULT_SIM_CLIENT_SECRET.to_string(),
            sim_frame_ancestors: None,
            sim_final_delay: Duration::from_millis(800),
            real: None,
        }
    }
}

/// The repository's `pkg/` directory, found from this crate's location at compile time.
pub fn default_pkg_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("pkg")
}

/// A setting that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let value = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut config = Config::default();
        if let Some(port) = value("HOST_PORT") {
            config.host_port = parse_port("HOST_PORT", &port)?;
        }
        if let Some(port) = value("SIM_PORT") {
            config.sim_port = parse_port("SIM_PORT", &port)?;
        }
        if let Some(dir) = value("VIDEOID_PKG_DIR") {
            config.pkg_dir = PathBuf::from(dir);
        }
        if let Some(id) = value("VIDEOID_SIM_CLIENT_ID") {
            config.sim_client_id = id;
        }
        if let Some(secret) = value("VIDEOID_SIM_CLIENT_SECRET") {
            config.sim_client_secret = secret;
        }
        config.sim_frame_ancestors = value("VIDEOID_SIM_FRAME_ANCESTORS");
        if let Some(ms) = value("VIDEOID_SIM_FINAL_DELAY_MS") {
            let ms: u64 = ms.parse().map_err(|_| {
                ConfigError(format!(
                    "VIDEOID_SIM_FINAL_DELAY_MS is not a number of milliseconds: {ms}"
                ))
            })?;
            config.sim_final_delay = Duration::from_millis(ms);
        }
        if let (Some(client_id), Some(client_secret)) =
            (value("SIGNICAT_CLIENT_ID"), value("SIGNICAT_CLIENT_SECRET"))
        {
            let base_url = value("ASSURE_BASE_URL")
                .unwrap_or_else(|| DEFAULT_ASSURE_BASE_URL.to_string())
                .trim_end_matches('/')
                .to_string();
            if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
                return Err(ConfigError(format!(
                    "ASSURE_BASE_URL is not an http(s) URL: {base_url}"
                )));
            }
            config.real = Some(RealAssure {
                client_id,
                client_secret,
                base_url,
            });
        }
        Ok(config)
    }
}

fn parse_port(name: &str, value: &str) -> Result<u16, ConfigError> {
    value
        .parse()
        .map_err(|_| ConfigError(format!("{name} is not a port number: {value}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = config(&[]).unwrap();
        assert_eq!(c.host_port, 8080);
        assert_eq!(c.sim_port, 8081);
        assert_eq!(c.sim_client_id, "videoid-sim-client");
        assert_eq!(c.sim_client_secret, "videoid-sim-secret");
        assert_eq!(c.sim_final_delay, Duration::from_millis(800));
        assert!(c.pkg_dir.ends_with("pkg"));
        assert!(c.real.is_none());
    }

    #[test]
    fn real_mode_needs_both_credentials() {
        assert!(config(&[("SIGNICAT_CLIENT_ID", "a")])
            .unwrap()
            .real
            .is_none());
        let c = config(&[
            ("SIGNICAT_CLIENT_ID", "a"),
            ("SIGNICAT_CLIENT_SECRET", "s3cret"),
        ])
        .unwrap();
        let real = c.real.unwrap();
        assert_eq!(real.base_url, "https://api.signicat.com");
        assert!(!format!("{real:?}").contains("s3cret"));
    }

    #[test]
    fn bad_numbers_are_errors() {
        assert!(config(&[("HOST_PORT", "eighty")]).is_err());
        assert!(config(&[("VIDEOID_SIM_FINAL_DELAY_MS", "-1")]).is_err());
        assert_eq!(config(&[("SIM_PORT", "9000")]).unwrap().sim_port, 9000);
    }

    #[test]
    fn debug_never_shows_the_simulator_secret() {
        let c = config(&[("VIDEOID_SIM_CLIENT_SECRET", "hush")]).unwrap();
        assert!(!format!("{c:?}").contains("hush"));
    }
}
