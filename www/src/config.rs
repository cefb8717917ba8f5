//! Settings read from the environment, with the defaults from `docs/contracts.md`.

use assure_simulator::env::{SimEnv, WebhookSetting};
use assure_simulator::faults::Plan as FaultPlan;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;
use videoid_backend::proxies::Network;
use videoid_backend::store::Database;
use videoid_backend::{published, DocumentChoice};

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
    /// Where dossiers, processes, media, configurations and pending events are kept.
    pub data_dir: PathBuf,
    /// Lifetime of the simulator's access tokens.
    pub sim_token_lifetime: Duration,
    /// Where the simulator posts `process.complete` events.
    pub sim_webhook: Webhook,
    /// First pause between webhook attempts (it doubles, up to a minute).
    pub sim_webhook_retry: Duration,
    /// Origins allowed to call the host backend cross-origin (CORS); empty: none.
    pub cors_origins: Vec<String>,
    /// How long a capture URL, a native upload token or an SDK authorization may be used
    /// (`expiresAt`).
    pub session_lifetime: Duration,
    /// The `sdk` the backend's "Start capture flow" asks for: `capture` or `native`.
    pub capture_sdk: String,
    /// The provider of native processes: one that takes "Set images" (Onfido, Signicat Paper, FaceTec).
    pub native_provider: String,
    /// The `processType` of native processes (none: the provider's default).
    pub native_process_type: Option<String>,
    /// The `processType` of VideoID processes (`VIDEOID_PROCESS_TYPE`: `substantialFullyAuto`,
    /// the default, ends by itself; `substantial` and `high` wait for an agent).
    pub process_type: String,
    /// The flow of `mode: "sdk"` sessions (`VIDEOID_SDK_FLOW`: `unattended`, the default, or
    /// `attended`: a live interview with an agent, processes of `processType: "high"`).
    pub sdk_flow: String,
    /// The simulator's RA console agent and automatic agent (`VIDEOID_SIM_AGENT_*`,
    /// `VIDEOID_SIM_AUTO_AGENT_MS`).
    pub sim_agents: assure_simulator::ra::AgentSettings,
    /// The document type `mode: "sdk"` sessions capture when the element names none.
    pub sdk_document_type: DocumentChoice,
    /// Origins of the provider's web SDK and API that the demo page allows (CSP and
    /// `allowed-origins`) with the real API; the simulator's origin in simulator mode.
    pub provider_origins: Vec<String>,
    /// The backend's database (`DATABASE_URL`); `None`: SQLite in `<data_dir>/host/`.
    pub database: Option<Database>,
    /// Connections to PostgreSQL (readers of SQLite, at most 8) per instance.
    pub database_pool: usize,
    /// How often expired upload sessions, tokens, event ids and unclaimed end-users are swept.
    pub sweep_interval: Duration,
    /// Whether the simulator's control API (`/simulator/…`) is on.
    pub sim_control: bool,
    /// A simulator running elsewhere (`videoid-www simulator`): the host backend uses it, in
    /// simulator mode, and this process starts none of its own.
    pub sim_url: Option<String>,
    /// Where this process's backend reaches that simulator when it is not where browsers do
    /// (`VIDEOID_SIM_API_URL`; `None`: `sim_url`): a simulator behind a TLS proxy, whose
    /// public name the backend cannot resolve or whose certificate it does not trust.
    pub sim_api_url: Option<String>,
    /// Faults the simulator injects from the start (`VIDEOID_SIM_FAULTS`).
    pub sim_faults: Option<FaultPlan>,
    /// How long the simulator keeps a dossier after its last change.
    pub sim_retention: Duration,
    /// The origin end-users reach the site at (`PUBLIC_URL`, e.g. `https://id.example.com`):
    /// the base of every link the backend hands out, and https there makes cookies `Secure`
    /// and adds HSTS. `None`: `http://localhost:{port}`.
    pub public_url: Option<String>,
    /// Where the host listener binds (`BIND_ADDR`); `None`: loopback on `host_port`. Read
    /// from the environment with `VIDEOID_ASSURE=signicat` (a production run) and no
    /// `BIND_ADDR`, every interface on `HOST_PORT`.
    pub bind_addr: Option<SocketAddr>,
    /// Reverse proxies whose `X-Forwarded-*`/`Forwarded` headers are believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<Network>,
    /// The name in `X-Videoid-Instance` (`INSTANCE_ID`); `None`: the host name.
    pub instance_id: Option<String>,
    /// On SIGTERM, how long requests in flight may take to finish (`VIDEOID_SHUTDOWN_GRACE_S`).
    pub shutdown_grace: Duration,
    /// The one other origin whose pages may frame the demo page (`DEMO_PARENT_ORIGIN`): the
    /// demo's element posts its events there (`parent-origin`). `None`: only the site itself
    /// frames it, and events are posted nowhere. Never taken from a page's query.
    pub demo_parent_origin: Option<String>,
    /// The bearer token of `GET /metrics` (`METRICS_TOKEN`, never printed); `None`: no metrics
    /// (a 404).
    pub metrics_token: Option<String>,
    /// The webhook's secret path segment (`VIDEOID_WEBHOOK_SECRET`, never printed): Assure
    /// events are taken at `/api/videoid/events/{secret}` only. Required with the real API;
    /// `None` in simulator mode: a random one for the built-in simulator's deliveries, unless
    /// the simulator delivers elsewhere (`VIDEOID_SIM_WEBHOOK_URL`), then the bare path.
    pub webhook_secret: Option<String>,
    /// The backend's rate limits (`VIDEOID_RATE_LIMITS`: `off`, or classes changed from the
    /// defaults, see `videoid_backend::limits`); `None`: off.
    pub rate_limits: Option<videoid_backend::limits::RateLimits>,
    /// How long an end-user with a dossier is kept (`VIDEOID_RETENTION_DAYS`); then they and
    /// their dossier at Assure are deleted (`videoid_backend::retention`). `None`: until they
    /// delete their data themselves.
    pub retention: Option<Duration>,
    /// How the binary writes its logs (`LOG_FORMAT`; JSON lines by default with the real API).
    pub log_format: LogFormat,
    /// Roots the backend's outgoing client trusts besides the public ones (`ASSURE_CA_FILE`:
    /// a PEM file, read at start): an Assure endpoint served under a private CA.
    pub assure_ca: Option<AssureCa>,
}

/// The extra trusted roots of `ASSURE_CA_FILE`, read and checked.
#[derive(Clone)]
pub struct AssureCa {
    /// The file they were read from.
    pub path: PathBuf,
    /// Its certificates (at least one).
    pub roots: Vec<reqwest::Certificate>,
}

impl fmt::Debug for AssureCa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssureCa")
            .field("path", &self.path)
            .field("roots", &self.roots.len())
            .finish()
    }
}

impl AssureCa {
    /// Reads `path` (the value of `ASSURE_CA_FILE`): a start-up error names the variable, the
    /// path and what is wrong.
    pub fn read(path: &str) -> Result<AssureCa, ConfigError> {
        let path = PathBuf::from(path);
        let pem = std::fs::read(&path).map_err(|e| {
            ConfigError(format!(
                "ASSURE_CA_FILE: cannot read {}: {e}",
                path.display()
            ))
        })?;
        let roots = videoid_backend::http::root_certificates(&pem)
            .map_err(|e| ConfigError(format!("ASSURE_CA_FILE: {}: {e}", path.display())))?;
        Ok(AssureCa { path, roots })
    }
}

/// How logs are written (to stderr; the start banner stays on stdout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// One readable line per event.
    Text,
}

/// Where the simulator sends its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Webhook {
    /// The host backend's `/api/videoid/events` (in simulator mode; nowhere in real mode).
    HostBackend,
    /// This URL.
    Url(String),
    /// Nowhere.
    Off,
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
            .field("data_dir", &self.data_dir)
            .field("sim_token_lifetime", &self.sim_token_lifetime)
            .field("sim_webhook", &self.sim_webhook)
            .field("sim_webhook_retry", &self.sim_webhook_retry)
            .field("cors_origins", &self.cors_origins)
            .field("session_lifetime", &self.session_lifetime)
            .field("capture_sdk", &self.capture_sdk)
            .field("native_provider", &self.native_provider)
            .field("native_process_type", &self.native_process_type)
            .field("process_type", &self.process_type)
            .field("sdk_flow", &self.sdk_flow)
            .field("sim_agent_user", &self.sim_agents.user)
            .field("sim_agent_password", &"<redacted>")
            .field("sim_auto_agent", &self.sim_agents.auto_accept)
            .field("sdk_document_type", &self.sdk_document_type)
            .field("provider_origins", &self.provider_origins)
            .field("database", &self.database)
            .field("database_pool", &self.database_pool)
            .field("sweep_interval", &self.sweep_interval)
            .field("sim_control", &self.sim_control)
            .field("sim_url", &self.sim_url)
            .field("sim_api_url", &self.sim_api_url)
            .field("sim_faults", &self.sim_faults.as_ref().map(|p| &p.spec))
            .field("sim_retention", &self.sim_retention)
            .field("public_url", &self.public_url)
            .field("bind_addr", &self.bind_addr)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("demo_parent_origin", &self.demo_parent_origin)
            .field("rate_limits", &self.rate_limits)
            .field("retention", &self.retention)
            .field("instance_id", &self.instance_id)
            .field("shutdown_grace", &self.shutdown_grace)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("log_format", &self.log_format)
            .field("assure_ca", &self.assure_ca)
            .finish()
    }
}

/// Default client id of the simulator.
pub const DEFAULT_SIM_CLIENT_ID: &str = assure_simulator::env::DEFAULT_CLIENT_ID;
/// Default client secret of the simulator.
pub const DEFAULT_SIM_CLIENT_SECRET: &str = assure_simulator::env::DEFAULT_CLIENT_SECRET;
/// Default base URL of the real Assure API.
pub const DEFAULT_ASSURE_BASE_URL: &str = "https://api.signicat.com";
/// Default provider of native processes.
pub const DEFAULT_NATIVE_PROVIDER: &str = "signicatpaper";
/// Default document type of `mode: "sdk"` sessions.
pub const DEFAULT_SDK_DOCUMENT_TYPE: &str = "identityCard";
/// Where VideoID's web SDK and API live with the real API (`providerApiUrl`'s host, e.g.
/// `etrust-sandbox.electronicid.eu`).
pub const DEFAULT_PROVIDER_ORIGINS: &str = "https://*.electronicid.eu";

impl Default for Config {
    fn default() -> Self {
        Config::with_simulator(SimEnv::default())
    }
}

impl Config {
    /// The defaults, with the simulator's settings taken from `sim`.
    fn with_simulator(sim: SimEnv) -> Config {
        Config {
            host_port: 8080,
            sim_port: sim.port,
            pkg_dir: sim.pkg_dir,
            sim_client_id: sim.client_id,
            sim_client_secret: sim.client_secret,
            sim_frame_ancestors: sim.frame_ancestors,
            sim_final_delay: sim.final_delay,
            real: None,
            data_dir: default_data_dir(),
            sim_token_lifetime: sim.token_lifetime,
            sim_webhook: match sim.webhook {
                WebhookSetting::Unset => Webhook::HostBackend,
                WebhookSetting::Url(url) => Webhook::Url(url),
                WebhookSetting::Off => Webhook::Off,
            },
            sim_webhook_retry: sim.webhook_retry,
            cors_origins: Vec::new(),
            session_lifetime: sim.session_lifetime,
            capture_sdk: "capture".to_string(),
            native_provider: DEFAULT_NATIVE_PROVIDER.to_string(),
            native_process_type: None,
            process_type: videoid_backend::DEFAULT_PROCESS_TYPE.to_string(),
            sdk_flow: "unattended".to_string(),
            sim_agents: sim.agents,
            sdk_document_type: DocumentChoice::Kind {
                country: None,
                kind: DEFAULT_SDK_DOCUMENT_TYPE.to_string(),
            },
            provider_origins: vec![DEFAULT_PROVIDER_ORIGINS.to_string()],
            database: None,
            database_pool: 16,
            sweep_interval: Duration::from_secs(60),
            sim_control: sim.control,
            sim_url: None,
            sim_api_url: None,
            sim_faults: sim.faults,
            sim_retention: sim.retention,
            public_url: None,
            bind_addr: None,
            trusted_proxies: Vec::new(),
            demo_parent_origin: None,
            instance_id: None,
            shutdown_grace: Duration::from_secs(20),
            metrics_token: None,
            webhook_secret: None,
            rate_limits: Some(videoid_backend::limits::RateLimits::default()),
            retention: None,
            log_format: LogFormat::Text,
            assure_ca: None,
        }
    }

    /// Where the host listener binds: `bind_addr`, else loopback on `host_port`.
    pub fn host_bind_addr(&self) -> SocketAddr {
        self.bind_addr
            .unwrap_or_else(|| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.host_port))
    }
}

/// The repository's `.data/` directory (git-ignored).
pub fn default_data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(".data")
}

/// The repository's `pkg/` directory, found from the crates' location at compile time.
pub fn default_pkg_dir() -> PathBuf {
    assure_simulator::env::default_pkg_dir()
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
        let host_port = match value("HOST_PORT") {
            Some(port) => Some(parse_port("HOST_PORT", &port)?),
            None => None,
        };
        let sim = SimEnv::from_lookup(&get).map_err(|e| ConfigError(e.0))?;
        let mut config = Config::with_simulator(sim);
        if let Some(port) = host_port {
            config.host_port = port;
        }
        if let Some(dir) = value("VIDEOID_DATA_DIR") {
            config.data_dir = PathBuf::from(dir);
        }
        if let Some(origins) = value("VIDEOID_CORS_ORIGINS") {
            for origin in origins.split([' ', ',']).filter(|o| !o.is_empty()) {
                let is_origin = videoid_backend::framing::Origin::parse(origin).is_some()
                    && origin.trim_end_matches('/').matches('/').count() == 2;
                if !is_origin {
                    return Err(ConfigError(format!(
                        "VIDEOID_CORS_ORIGINS: not an origin: {origin}"
                    )));
                }
                config
                    .cors_origins
                    .push(origin.trim_end_matches('/').to_string());
            }
        }
        if let Some(sdk) = value("VIDEOID_CAPTURE_SDK") {
            if !published::SDKS.contains(&sdk.as_str()) {
                return Err(ConfigError(format!(
                    "VIDEOID_CAPTURE_SDK must be capture or native: {sdk}"
                )));
            }
            config.capture_sdk = sdk;
        }
        if let Some(provider) = value("VIDEOID_NATIVE_PROVIDER") {
            let Some(name) = published::provider(&provider, published::DIRECT_UPLOAD_PROVIDERS)
            else {
                return Err(ConfigError(format!(
                    "VIDEOID_NATIVE_PROVIDER must take direct uploads ({}): {provider}",
                    published::DIRECT_UPLOAD_PROVIDERS.join(", ")
                )));
            };
            config.native_provider = name.to_string();
        }
        if let Some(process_type) = value("VIDEOID_NATIVE_PROCESS_TYPE") {
            if !published::PROCESS_TYPES.contains(&process_type.as_str()) {
                return Err(ConfigError(format!(
                    "VIDEOID_NATIVE_PROCESS_TYPE is not a published processType: {process_type}"
                )));
            }
            config.native_process_type = Some(process_type);
        }
        if let Some(process_type) = value("VIDEOID_PROCESS_TYPE") {
            config.process_type =
                videoid_backend::parse_process_type(&process_type).map_err(ConfigError)?;
        }
        if let Some(flow) = value("VIDEOID_SDK_FLOW") {
            config.sdk_flow = videoid_backend::parse_sdk_flow(&flow).map_err(ConfigError)?;
        }
        if let Some(choice) = value("VIDEOID_SDK_DOCUMENT_TYPE") {
            config.sdk_document_type = DocumentChoice::parse(&choice).ok_or_else(|| {
                ConfigError(format!(
                    "VIDEOID_SDK_DOCUMENT_TYPE is not a document type id, type or COUNTRY:type: {choice}"
                ))
            })?;
        }
        if let Some(origins) = value("VIDEOID_PROVIDER_ORIGINS") {
            config.provider_origins.clear();
            for origin in origins.split([' ', ',']).filter(|o| !o.is_empty()) {
                if !is_source_origin(origin) {
                    return Err(ConfigError(format!(
                        "VIDEOID_PROVIDER_ORIGINS: not an origin: {origin}"
                    )));
                }
                config
                    .provider_origins
                    .push(origin.trim_end_matches('/').to_string());
            }
        }
        if let Some(url) = value("DATABASE_URL") {
            config.database =
                Some(Database::parse(&url).map_err(|e| ConfigError(format!("DATABASE_URL: {e}")))?);
        }
        if let Some(n) = value("VIDEOID_DATABASE_POOL") {
            config.database_pool = n
                .parse()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or_else(|| {
                    ConfigError(format!(
                        "VIDEOID_DATABASE_POOL is not a number of connections (1-256): {n}"
                    ))
                })?;
        }
        if let Some(secs) = value("VIDEOID_SWEEP_INTERVAL_S") {
            let secs: u64 = secs.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                ConfigError(format!(
                    "VIDEOID_SWEEP_INTERVAL_S is not a positive number of seconds: {secs}"
                ))
            })?;
            config.sweep_interval = Duration::from_secs(secs);
        }
        if let Some(url) = value("VIDEOID_SIM_URL") {
            let url = url.trim_end_matches('/').to_string();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError(format!(
                    "VIDEOID_SIM_URL is not an http(s) URL: {url}"
                )));
            }
            config.sim_url = Some(url);
        }
        if let Some(url) = value("VIDEOID_SIM_API_URL") {
            let url = url.trim_end_matches('/').to_string();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError(format!(
                    "VIDEOID_SIM_API_URL is not an http(s) URL: {url}"
                )));
            }
            if config.sim_url.is_none() {
                return Err(ConfigError(
                    "VIDEOID_SIM_API_URL needs VIDEOID_SIM_URL (the simulator browsers reach)"
                        .to_string(),
                ));
            }
            config.sim_api_url = Some(url);
        }
        config.real = assure_mode(&value)?;
        if let Some(path) = value("ASSURE_CA_FILE") {
            config.assure_ca = Some(AssureCa::read(&path)?);
        }
        if let Some(url) = value("PUBLIC_URL") {
            let url = url.trim_end_matches('/').to_string();
            let is_origin = videoid_backend::framing::Origin::parse(&url).is_some()
                && url.matches('/').count() == 2
                && !url.contains(['?', '#', '@']);
            if !is_origin {
                return Err(ConfigError(format!(
                    "PUBLIC_URL is not an http(s) origin (scheme, host, optional port; no path): {url}"
                )));
            }
            config.public_url = Some(url);
        }
        if let Some(addr) = value("BIND_ADDR") {
            config.bind_addr = Some(addr.parse().map_err(|_| {
                ConfigError(format!(
                    "BIND_ADDR is not an address and port (e.g. 0.0.0.0:8080, [::]:8080): {addr}"
                ))
            })?);
        } else if config.real.is_some() {
            config.bind_addr = Some(SocketAddr::new(
                IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                config.host_port,
            ));
        }
        if let Some(origin) = value("DEMO_PARENT_ORIGIN") {
            let origin = origin.trim_end_matches('/').to_string();
            let is_origin = videoid_backend::framing::Origin::parse(&origin).is_some()
                && origin.matches('/').count() == 2
                && !origin.contains(['?', '#', '@', ' ', ';', '\'', '"']);
            if !is_origin {
                return Err(ConfigError(format!(
                    "DEMO_PARENT_ORIGIN is not an http(s) origin (scheme, host, optional port): {origin}"
                )));
            }
            config.demo_parent_origin = Some(origin);
        }
        if let Some(list) = value("TRUSTED_PROXIES") {
            config.trusted_proxies = Network::parse_list(&list)
                .map_err(|e| ConfigError(format!("TRUSTED_PROXIES: {e}")))?;
        }
        if let Some(secs) = value("VIDEOID_SHUTDOWN_GRACE_S") {
            let secs: u64 = secs
                .parse()
                .ok()
                .filter(|s| (1..=3600).contains(s))
                .ok_or_else(|| {
                    ConfigError(format!(
                        "VIDEOID_SHUTDOWN_GRACE_S is not a number of seconds (1-3600): {secs}"
                    ))
                })?;
            config.shutdown_grace = Duration::from_secs(secs);
        }
        if let Some(id) = value("INSTANCE_ID") {
            if !id.chars().all(|c| c.is_ascii_graphic()) || id.len() > 64 {
                return Err(ConfigError(format!(
                    "INSTANCE_ID must be up to 64 visible ASCII characters: {id}"
                )));
            }
            config.instance_id = Some(id);
        }
        if let Some(token) = value("METRICS_TOKEN") {
            if token.len() < 16 || token.len() > 256 || !token.chars().all(|c| c.is_ascii_graphic())
            {
                return Err(ConfigError(
                    "METRICS_TOKEN must be 16 to 256 visible ASCII characters".to_string(),
                ));
            }
            config.metrics_token = Some(token);
        }
        if let Some(secret) = value("VIDEOID_WEBHOOK_SECRET") {
            let url_safe = secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
            if secret.len() < 16 || secret.len() > 256 || !url_safe {
                return Err(ConfigError(
                    "VIDEOID_WEBHOOK_SECRET must be 16 to 256 letters, digits, '-', '_', '.' or '~' \
                     (it is a path segment of the webhook's address)"
                        .to_string(),
                ));
            }
            config.webhook_secret = Some(secret);
        } else if config.real.is_some() {
            return Err(ConfigError(
                "VIDEOID_ASSURE=signicat needs VIDEOID_WEBHOOK_SECRET: Assure's events are taken \
                 only at {PUBLIC_URL}/api/videoid/events/{secret} (generate one, for example \
                 with `openssl rand -hex 32`, and register that address with your subscription)"
                    .to_string(),
            ));
        }
        if let Some(days) = value("VIDEOID_RETENTION_DAYS") {
            let days: u64 = days
                .trim()
                .parse()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| {
                    ConfigError(format!(
                        "VIDEOID_RETENTION_DAYS must be a number of days from 1 to 3650: {days}"
                    ))
                })?;
            config.retention = Some(Duration::from_secs(days * 24 * 3600));
        }
        if let Some(text) = value("VIDEOID_RATE_LIMITS") {
            config.rate_limits = videoid_backend::limits::RateLimits::parse(&text)
                .map_err(|e| ConfigError(format!("VIDEOID_RATE_LIMITS: {e}")))?;
        }
        config.log_format = match value("LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("text") => LogFormat::Text,
            None if config.real.is_some() => LogFormat::Json,
            None => LogFormat::Text,
            Some(other) => {
                return Err(ConfigError(format!(
                    "LOG_FORMAT must be json or text: {other}"
                )))
            }
        };
        Ok(config)
    }
}

/// The variables that configure the real Assure API.
const SIGNICAT_VARIABLES: [&str; 2] = ["SIGNICAT_CLIENT_ID", "SIGNICAT_CLIENT_SECRET"];

/// The Assure API the backend talks to, from `VIDEOID_ASSURE` (`simulator` or `signicat`).
/// Nothing is guessed: with any `SIGNICAT_*` variable set the mode must be named, and
/// `signicat` needs both credentials; without either, the simulator (the demo's default).
fn assure_mode(value: &impl Fn(&str) -> Option<String>) -> Result<Option<RealAssure>, ConfigError> {
    let signicat_set: Vec<&str> = SIGNICAT_VARIABLES
        .into_iter()
        .filter(|name| value(name).is_some())
        .collect();
    let mode = match value("VIDEOID_ASSURE") {
        Some(mode) => mode,
        None if signicat_set.is_empty() => "simulator".to_string(),
        None => {
            return Err(ConfigError(format!(
                "{} is set but VIDEOID_ASSURE is not: set VIDEOID_ASSURE=signicat to use the \
                 real Assure API, or VIDEOID_ASSURE=simulator to run the simulator anyway",
                signicat_set.join(" and ")
            )))
        }
    };
    match mode.as_str() {
        "simulator" => Ok(None),
        "signicat" => {
            let missing: Vec<&str> = SIGNICAT_VARIABLES
                .into_iter()
                .filter(|name| value(name).is_none())
                .collect();
            if !missing.is_empty() {
                return Err(ConfigError(format!(
                    "VIDEOID_ASSURE=signicat needs {}: {} not set",
                    SIGNICAT_VARIABLES.join(" and "),
                    missing.join(" and ")
                )));
            }
            let base_url = value("ASSURE_BASE_URL")
                .unwrap_or_else(|| DEFAULT_ASSURE_BASE_URL.to_string())
                .trim_end_matches('/')
                .to_string();
            if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
                return Err(ConfigError(format!(
                    "ASSURE_BASE_URL is not an http(s) URL: {base_url}"
                )));
            }
            Ok(Some(RealAssure {
                client_id: value("SIGNICAT_CLIENT_ID").unwrap_or_default(),
                client_secret: value("SIGNICAT_CLIENT_SECRET").unwrap_or_default(),
                base_url,
            }))
        }
        other => Err(ConfigError(format!(
            "VIDEOID_ASSURE must be simulator or signicat: {other}"
        ))),
    }
}

/// An `http(s)` origin, its host optionally starting with `*.` (a CSP source and an
/// `allowed-origins` entry): no path, no characters that could end a CSP source.
fn is_source_origin(origin: &str) -> bool {
    let origin = origin.trim_end_matches('/');
    let Some((scheme, host)) = origin.split_once("://") else {
        return false;
    };
    let host = host.strip_prefix("*.").unwrap_or(host);
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

fn parse_port(name: &str, value: &str) -> Result<u16, ConfigError> {
    assure_simulator::env::parse_port(name, value).map_err(|e| ConfigError(e.0))
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
        assert!(c.data_dir.ends_with(".data"));
        assert_eq!(c.sim_webhook, Webhook::HostBackend);
        assert!(c.cors_origins.is_empty());
    }

    #[test]
    fn data_webhook_and_cors_settings() {
        let c = config(&[
            ("VIDEOID_DATA_DIR", "/tmp/x"),
            ("VIDEOID_SIM_WEBHOOK_URL", "http://127.0.0.1:9/hook"),
            (
                "VIDEOID_CORS_ORIGINS",
                "https://a.example, http://localhost:3000",
            ),
            ("VIDEOID_SIM_TOKEN_LIFETIME_S", "5"),
        ])
        .unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(
            c.sim_webhook,
            Webhook::Url("http://127.0.0.1:9/hook".into())
        );
        assert_eq!(
            c.cors_origins,
            vec!["https://a.example", "http://localhost:3000"]
        );
        assert_eq!(c.sim_token_lifetime, Duration::from_secs(5));
        assert_eq!(
            config(&[("VIDEOID_SIM_WEBHOOK_URL", "off")])
                .unwrap()
                .sim_webhook,
            Webhook::Off
        );
        assert!(config(&[("VIDEOID_SIM_WEBHOOK_URL", "ftp://x")]).is_err());
        assert!(config(&[("VIDEOID_CORS_ORIGINS", "https://a.example/path")]).is_err());
        assert!(config(&[("VIDEOID_SIM_TOKEN_LIFETIME_S", "0")]).is_err());
    }

    #[test]
    fn the_assure_mode_is_explicit() {
        // No SIGNICAT_* variable: the simulator, as before.
        assert!(config(&[]).unwrap().real.is_none());
        assert!(config(&[("VIDEOID_ASSURE", "simulator")])
            .unwrap()
            .real
            .is_none());
        // Credentials without the mode are an error, never a quiet simulator.
        let e = config(&[
            ("SIGNICAT_CLIENT_ID", "a"),
            ("SIGNICAT_CLIENT_SECRET", "s3cret"),
            ("VIDEOID_WEBHOOK_SECRET", "a-webhook-secret-0123"),
        ])
        .unwrap_err()
        .to_string();
        assert!(e.contains("VIDEOID_ASSURE"), "{e}");
        let e = config(&[("SIGNICAT_CLIENT_ID", "a")])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("SIGNICAT_CLIENT_ID") && e.contains("VIDEOID_ASSURE"),
            "{e}"
        );
        // A partial credential set names what is missing.
        let e = config(&[("VIDEOID_ASSURE", "signicat"), ("SIGNICAT_CLIENT_ID", "a")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("SIGNICAT_CLIENT_SECRET not set"), "{e}");
        let e = config(&[("VIDEOID_ASSURE", "signicat")])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET not set"),
            "{e}"
        );
        assert!(config(&[("VIDEOID_ASSURE", "real")]).is_err());
        // Simulator mode named explicitly beside credentials: the simulator.
        assert!(
            config(&[("VIDEOID_ASSURE", "simulator"), ("SIGNICAT_CLIENT_ID", "a"),])
                .unwrap()
                .real
                .is_none()
        );
        let c = config(&[
            ("VIDEOID_ASSURE", "signicat"),
            ("SIGNICAT_CLIENT_ID", "a"),
            ("SIGNICAT_CLIENT_SECRET", "s3cret"),
            ("VIDEOID_WEBHOOK_SECRET", "a-webhook-secret-0123"),
        ])
        .unwrap();
        assert!(!format!("{c:?}").contains("a-webhook-secret-0123"));
        let real = c.real.unwrap();
        assert_eq!(real.base_url, "https://api.signicat.com");
        assert!(!format!("{real:?}").contains("s3cret"));
        // The real API needs the webhook's secret, which must be a long path segment.
        let without = config(&[
            ("VIDEOID_ASSURE", "signicat"),
            ("SIGNICAT_CLIENT_ID", "a"),
            ("SIGNICAT_CLIENT_SECRET", "s3cret"),
        ]);
        assert!(without.unwrap_err().0.contains("VIDEOID_WEBHOOK_SECRET"));
        for bad in ["short", "has/a/slash-0123456789", "with space 0123456789"] {
            let e = config(&[("VIDEOID_WEBHOOK_SECRET", bad)]).unwrap_err();
            assert!(e.0.contains("VIDEOID_WEBHOOK_SECRET must be"), "{bad}: {e}");
        }
    }

    #[test]
    fn public_url_bind_address_and_proxies() {
        let c = config(&[]).unwrap();
        assert_eq!(c.public_url, None);
        assert_eq!(c.host_bind_addr(), "127.0.0.1:8080".parse().unwrap());
        assert!(c.trusted_proxies.is_empty());
        let real = [
            ("VIDEOID_ASSURE", "signicat"),
            ("SIGNICAT_CLIENT_ID", "a"),
            ("SIGNICAT_CLIENT_SECRET", "b"),
            ("VIDEOID_WEBHOOK_SECRET", "a-webhook-secret-0123"),
        ];
        assert_eq!(
            config(&real).unwrap().host_bind_addr(),
            "0.0.0.0:8080".parse().unwrap(),
            "a production run listens on every interface"
        );
        let mut c = config(&[]).unwrap();
        c.real = config(&real).unwrap().real;
        assert_eq!(
            c.host_bind_addr(),
            "127.0.0.1:8080".parse().unwrap(),
            "a Config built in code (tests, the load test) stays on loopback"
        );
        let c = config(&[
            ("PUBLIC_URL", "https://id.example.com/"),
            ("BIND_ADDR", "[::]:9000"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ])
        .unwrap();
        assert_eq!(c.public_url.as_deref(), Some("https://id.example.com"));
        assert_eq!(c.host_bind_addr(), "[::]:9000".parse().unwrap());
        assert_eq!(c.trusted_proxies.len(), 2);
        for bad in [
            ("PUBLIC_URL", "id.example.com"),
            ("PUBLIC_URL", "https://id.example.com/videoid"),
            ("PUBLIC_URL", "https://user@id.example.com"),
            ("BIND_ADDR", "8080"),
            ("TRUSTED_PROXIES", "10.0.0.0/40"),
        ] {
            assert!(config(&[bad]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn shutdown_grace_setting() {
        assert_eq!(config(&[]).unwrap().shutdown_grace, Duration::from_secs(20));
        assert_eq!(
            config(&[("VIDEOID_SHUTDOWN_GRACE_S", "3")])
                .unwrap()
                .shutdown_grace,
            Duration::from_secs(3)
        );
        assert!(config(&[("VIDEOID_SHUTDOWN_GRACE_S", "0")]).is_err());
    }

    #[test]
    fn instance_id_setting() {
        assert_eq!(config(&[]).unwrap().instance_id, None);
        assert_eq!(
            config(&[("INSTANCE_ID", "web-2")])
                .unwrap()
                .instance_id
                .as_deref(),
            Some("web-2")
        );
        assert!(config(&[("INSTANCE_ID", "a b")]).is_err());
    }

    #[test]
    fn retention_days() {
        assert_eq!(config(&[]).unwrap().retention, None);
        assert_eq!(
            config(&[("VIDEOID_RETENTION_DAYS", "90")])
                .unwrap()
                .retention,
            Some(Duration::from_secs(90 * 24 * 3600))
        );
        for bad in ["0", "3651", "-1", "ninety", "1.5"] {
            let e = config(&[("VIDEOID_RETENTION_DAYS", bad)]).unwrap_err();
            assert!(e.0.contains("VIDEOID_RETENTION_DAYS"), "{bad}: {e}");
        }
    }

    #[test]
    fn metrics_token_and_log_format() {
        let c = config(&[]).unwrap();
        assert_eq!((c.metrics_token, c.log_format), (None, LogFormat::Text));
        let c = config(&[
            ("METRICS_TOKEN", "a-long-enough-metrics-token"),
            ("LOG_FORMAT", "json"),
        ])
        .unwrap();
        assert_eq!(
            c.metrics_token.as_deref(),
            Some("a-long-enough-metrics-token")
        );
        assert_eq!(c.log_format, LogFormat::Json);
        assert!(!format!("{c:?}").contains("a-long-enough"), "never printed");
        let real = [
            ("VIDEOID_ASSURE", "signicat"),
            ("SIGNICAT_CLIENT_ID", "a"),
            ("SIGNICAT_CLIENT_SECRET", "b"),
            ("VIDEOID_WEBHOOK_SECRET", "a-webhook-secret-0123"),
        ];
        assert_eq!(config(&real).unwrap().log_format, LogFormat::Json);
        let mut text = real.to_vec();
        text.push(("LOG_FORMAT", "text"));
        assert_eq!(config(&text).unwrap().log_format, LogFormat::Text);
        for bad in [
            ("METRICS_TOKEN", "short"),
            ("METRICS_TOKEN", "sixteen chars but spaces"),
            ("LOG_FORMAT", "xml"),
        ] {
            let e = config(&[bad]).unwrap_err().to_string();
            assert!(!e.contains("sixteen"), "the token is not echoed: {e}");
        }
    }

    #[test]
    fn bad_numbers_are_errors() {
        assert!(config(&[("HOST_PORT", "eighty")]).is_err());
        assert!(config(&[("VIDEOID_SIM_FINAL_DELAY_MS", "-1")]).is_err());
        assert_eq!(config(&[("SIM_PORT", "9000")]).unwrap().sim_port, 9000);
    }

    #[test]
    fn capture_native_and_sdk_settings() {
        let c = config(&[]).unwrap();
        assert_eq!(c.capture_sdk, "capture");
        assert_eq!(c.native_provider, "signicatpaper");
        assert_eq!(c.native_process_type, None);
        assert_eq!(c.process_type, "substantialFullyAuto");
        assert_eq!(
            c.sdk_document_type,
            DocumentChoice::Kind {
                country: None,
                kind: "identityCard".into()
            }
        );
        assert_eq!(c.provider_origins, vec!["https://*.electronicid.eu"]);
        let c = config(&[
            ("VIDEOID_CAPTURE_SDK", "native"),
            ("VIDEOID_NATIVE_PROVIDER", "onfido"),
            ("VIDEOID_NATIVE_PROCESS_TYPE", "documentSelfie"),
            ("VIDEOID_PROCESS_TYPE", "substantial"),
            ("VIDEOID_SDK_DOCUMENT_TYPE", "62"),
            (
                "VIDEOID_PROVIDER_ORIGINS",
                "https://etrust-sandbox.electronicid.eu https://*.example.com/",
            ),
        ])
        .unwrap();
        assert_eq!(c.capture_sdk, "native");
        assert_eq!(c.native_provider, "onfido");
        assert_eq!(c.native_process_type.as_deref(), Some("documentSelfie"));
        assert_eq!(c.process_type, "substantial");
        let agents = config(&[
            ("VIDEOID_SIM_AGENT_USER", "officer"),
            ("VIDEOID_SIM_AGENT_PASSWORD", "pw"),
            ("VIDEOID_SIM_AUTO_AGENT_MS", "0"),
        ])
        .unwrap();
        assert_eq!(agents.sim_agents.user, "officer");
        assert_eq!(agents.sim_agents.password, "pw");
        assert_eq!(agents.sim_agents.auto_accept, Some(Duration::ZERO));
        assert!(
            !format!("{agents:?}").contains("\"pw\""),
            "the password is not printed"
        );
        assert!(config(&[("VIDEOID_SIM_AUTO_AGENT_MS", "soon")]).is_err());
        assert_eq!(
            config(&[("VIDEOID_PROCESS_TYPE", "high")])
                .unwrap()
                .process_type,
            "high"
        );
        assert_eq!(
            config(&[("VIDEOID_SDK_FLOW", "attended")])
                .unwrap()
                .sdk_flow,
            "attended"
        );
        let e = config(&[("VIDEOID_SDK_FLOW", "live")])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("VIDEOID_SDK_FLOW") && e.contains("attended"),
            "{e}"
        );
        let e = config(&[("VIDEOID_PROCESS_TYPE", "documentSelfie")])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("VIDEOID_PROCESS_TYPE") && e.contains("substantialFullyAuto"),
            "{e}"
        );
        assert_eq!(c.sdk_document_type, DocumentChoice::Id(62));
        assert_eq!(
            c.provider_origins,
            vec![
                "https://etrust-sandbox.electronicid.eu",
                "https://*.example.com"
            ]
        );
        for bad in [
            ("VIDEOID_CAPTURE_SDK", "web"),
            ("VIDEOID_NATIVE_PROVIDER", "signicatvideoid"),
            ("VIDEOID_NATIVE_PROVIDER", "eid"),
            ("VIDEOID_NATIVE_PROCESS_TYPE", "hybrid"),
            ("VIDEOID_PROCESS_TYPE", "hybrid"),
            ("VIDEOID_SDK_DOCUMENT_TYPE", "idCard"),
            (
                "VIDEOID_PROVIDER_ORIGINS",
                "https://a.example; script-src *",
            ),
            ("VIDEOID_PROVIDER_ORIGINS", "https://a.example/js"),
        ] {
            assert!(config(&[bad]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn database_settings() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database, None);
        assert_eq!(c.database_pool, 16);
        assert_eq!(c.sweep_interval, Duration::from_secs(60));
        let c = config(&[
            (
                "DATABASE_URL",
                "postgres://videoid:hush@db.internal:5432/videoid",
            ),
            ("VIDEOID_DATABASE_POOL", "32"),
            ("VIDEOID_SWEEP_INTERVAL_S", "5"),
        ])
        .unwrap();
        assert!(matches!(c.database, Some(Database::Postgres(_))));
        assert_eq!(c.database_pool, 32);
        assert_eq!(c.sweep_interval, Duration::from_secs(5));
        assert!(!format!("{c:?}").contains("hush"), "no password in Debug");
        assert_eq!(
            config(&[("DATABASE_URL", "sqlite:/srv/videoid/backend.sqlite")])
                .unwrap()
                .database,
            Some(Database::Sqlite("/srv/videoid/backend.sqlite".into()))
        );
        for bad in [
            ("DATABASE_URL", "mysql://x/y"),
            ("VIDEOID_DATABASE_POOL", "0"),
            ("VIDEOID_SWEEP_INTERVAL_S", "never"),
        ] {
            assert!(config(&[bad]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn simulator_control_and_an_external_simulator() {
        let c = config(&[]).unwrap();
        assert!(c.sim_control);
        assert_eq!(c.sim_url, None);
        let c = config(&[
            ("VIDEOID_SIM_CONTROL", "off"),
            ("VIDEOID_SIM_URL", "http://127.0.0.1:9000/"),
        ])
        .unwrap();
        assert!(!c.sim_control);
        assert_eq!(c.sim_url.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(c.sim_api_url, None);
        assert!(config(&[("VIDEOID_SIM_CONTROL", "no")]).is_err());
        assert!(config(&[("VIDEOID_SIM_URL", "127.0.0.1:9000")]).is_err());
        let c = config(&[
            ("VIDEOID_SIM_URL", "https://assure.example.test:8443"),
            ("VIDEOID_SIM_API_URL", "http://127.0.0.1:9000/"),
        ])
        .unwrap();
        assert_eq!(
            c.sim_url.as_deref(),
            Some("https://assure.example.test:8443")
        );
        assert_eq!(c.sim_api_url.as_deref(), Some("http://127.0.0.1:9000"));
        assert!(config(&[("VIDEOID_SIM_API_URL", "http://127.0.0.1:9000")]).is_err());
        assert!(config(&[
            ("VIDEOID_SIM_URL", "https://assure.example.test"),
            ("VIDEOID_SIM_API_URL", "127.0.0.1:9000"),
        ])
        .is_err());
    }

    #[test]
    fn simulator_faults_and_retention() {
        let c = config(&[]).unwrap();
        assert_eq!(c.sim_faults, None);
        assert_eq!(c.sim_retention, Duration::from_secs(30 * 24 * 3600));
        let c = config(&[
            ("VIDEOID_SIM_FAULTS", "seed=3; all: 503 10%"),
            ("VIDEOID_SIM_RETENTION_S", "3600"),
        ])
        .unwrap();
        let plan = c.sim_faults.unwrap();
        assert_eq!((plan.seed, plan.faults.len()), (3, 1));
        assert_eq!(c.sim_retention, Duration::from_secs(3600));
        assert!(config(&[("VIDEOID_SIM_FAULTS", "all: 404")]).is_err());
        assert!(config(&[("VIDEOID_SIM_RETENTION_S", "0")]).is_err());
    }

    /// A throwaway self-signed CA (P-256): only read, never used to verify anything.
    const CA_PEM: &str = include_str!("../backend/tests/data/test-ca.pem");

    #[test]
    fn assure_ca_file_adds_roots_or_stops_the_start_naming_the_variable_and_path() {
        let dir = std::env::temp_dir().join(format!("videoid-config-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        assert!(config(&[]).unwrap().assure_ca.is_none());
        let bundle = file("bundle.pem", &format!("{CA_PEM}{CA_PEM}"));
        let c = config(&[("ASSURE_CA_FILE", &bundle)]).unwrap();
        let ca = c.assure_ca.as_ref().unwrap();
        assert_eq!(
            (ca.path.display().to_string(), ca.roots.len()),
            (bundle.clone(), 2)
        );
        assert!(format!("{c:?}").contains("roots: 2"), "{c:?}");
        // With the real API too (where it matters).
        let c = config(&[
            ("VIDEOID_ASSURE", "signicat"),
            ("SIGNICAT_CLIENT_ID", "a"),
            ("SIGNICAT_CLIENT_SECRET", "b"),
            ("VIDEOID_WEBHOOK_SECRET", "a-webhook-secret-0123"),
            ("ASSURE_BASE_URL", "https://assure.internal:8443"),
            ("ASSURE_CA_FILE", &bundle),
        ])
        .unwrap();
        assert_eq!(c.assure_ca.map(|ca| ca.roots.len()), Some(2));
        let missing = dir.join("missing.pem").display().to_string();
        let empty = file("empty.pem", "");
        let key_only = file(
            "key.pem",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        );
        let cut = file("cut.pem", &CA_PEM[..CA_PEM.len() / 2]);
        for (path, why) in [
            (&missing, "cannot read"),
            (&empty, "no PEM certificate"),
            (&key_only, "no PEM certificate"),
            (&cut, "not a PEM file"),
        ] {
            let e = config(&[("ASSURE_CA_FILE", path)]).unwrap_err().to_string();
            assert!(
                e.starts_with("ASSURE_CA_FILE: ") && e.contains(path.as_str()) && e.contains(why),
                "{path}: {e}"
            );
            assert!(
                !e.contains("PRIVATE"),
                "no file contents in the message: {e}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn debug_never_shows_the_simulator_secret() {
        let c = config(&[("VIDEOID_SIM_CLIENT_SECRET", "hush")]).unwrap();
        assert!(!format!("{c:?}").contains("hush"));
    }
}
