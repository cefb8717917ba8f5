//! The demo host site of `videoid-capture`: it wires the reference backend
//! (`videoid-backend`) and the Assure simulator (`assure-simulator`) into one process
//! with two origins, for `npm start` and the end-to-end tests.
//!
//! - the host origin (`http://localhost:PORT`) serves the demo pages, the
//!   built npm package at `/pkg/` and the reference backend under `/api/videoid/`;
//! - the simulator origin (`http://127.0.0.1:PORT`) answers the Assure API
//!   paths, serves the hosted capture page at `/capture/` and plays VideoID's
//!   side at `/provider/` (its web SDK and the API the SDK uploads to).

pub mod config;
pub mod site;

use assure_simulator as simulator;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use videoid_backend::http::{http_client, http_client_trusting, json_errors, not_found, serve};
use videoid_backend::{assure, endusers, store};

pub use config::{Config, LogFormat, Webhook};

/// The two servers, running; `shutdown` (or dropping this) stops them.
pub struct Running {
    /// Where this process answers, e.g. `http://localhost:8080` (no trailing slash).
    pub host_url: String,
    /// Where end-users reach the site (`PUBLIC_URL`; else `host_url`): the base of every link
    /// the backend hands out.
    pub public_url: String,
    /// Origin of the simulator, e.g. `http://127.0.0.1:8081` (no trailing slash); empty with
    /// the real API, where no simulator runs.
    pub sim_url: String,
    /// Base URL of the real Assure API when the backend uses it instead of the simulator.
    pub real_assure: Option<String>,
    /// The backend's database.
    pub store: Arc<dyn store::Store>,
    /// The backend (for a retention pass run by hand, as the tests do).
    pub backend: Arc<videoid_backend::Backend>,
    stop: watch::Sender<bool>,
    grace: Duration,
    servers: Vec<JoinHandle<io::Result<()>>>,
    sweeper: JoinHandle<()>,
    retention: Option<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting connections and waits (`Config::shutdown_grace` at most) for requests
    /// in flight to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let deadline = tokio::time::Instant::now() + self.grace;
        let _ = self.sweeper.await;
        if let Some(retention) = self.retention {
            let _ = retention.await;
        }
        for server in self.servers {
            match tokio::time::timeout_at(deadline, server).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => tracing::error!(error = %e, "server error"),
                Ok(Err(e)) => tracing::error!(error = %e, "server task failed"),
                Err(_) => tracing::warn!("server did not stop in time"),
            }
        }
    }
}

/// Binds the host listener (`Config::host_bind_addr`) and, in simulator mode, the simulator's
/// on 127.0.0.1; opens the data directory and the backend's database
/// (migrating it, importing end-user files of earlier versions) and starts serving.
pub async fn start(config: Config) -> io::Result<Running> {
    let host_listener = TcpListener::bind(config.host_bind_addr()).await?;
    // With the real API no simulator runs: no listener, no control API, no scenarios. With
    // `sim_url` set, a simulator running elsewhere stands in for this one.
    let (sim_listener, sim_url) = match (&config.real, &config.sim_url) {
        (Some(_), _) => (None, String::new()),
        (None, Some(url)) => (None, url.clone()),
        (None, None) => {
            let listener = TcpListener::bind(("127.0.0.1", config.sim_port)).await?;
            let url = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
            (Some(listener), url)
        }
    };
    let bound = host_listener.local_addr()?;
    let host_port = bound.port();
    // Where this process can reach itself (tests, the simulator's webhook), and where
    // end-users reach it (every link handed out).
    let host_url = if bound.ip().is_unspecified() || bound.ip().is_loopback() {
        format!("http://localhost:{host_port}")
    } else {
        format!("http://{bound}")
    };
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| host_url.clone());
    // The backend reads end-user files of earlier versions from the data directory; the
    // simulator keeps its own state there.
    let data = videoid_backend::storage::DataDir::open(config.data_dir.clone())?;
    let sim_data = simulator::storage::DataDir::open(config.data_dir.clone())?;
    let database = config
        .database
        .clone()
        .unwrap_or_else(|| store::Database::default_for(&config.data_dir));
    let store = store::open(&database, config.database_pool)
        .await
        .map_err(io::Error::other)?;
    let imported = endusers::import_files(&data, store.as_ref()).await;
    if imported > 0 {
        tracing::info!(imported, "imported end-user records into the database");
    }
    let (stop, stopped) = watch::channel(false);
    let sweeper = store::spawn_sweeper(store.clone(), config.sweep_interval, stopped.clone());

    let frame_ancestors = config.sim_frame_ancestors.clone().unwrap_or_else(|| {
        let mut sources =
            format!("'self' http://localhost:{host_port} http://127.0.0.1:{host_port}");
        if public_url != host_url {
            sources = format!("{sources} {public_url}");
        }
        sources
    });
    // The built-in simulator delivers its events to this backend with a secret of this run's
    // own, unless one is configured; a simulator elsewhere (`VIDEOID_SIM_URL`) delivers where
    // it is told, to the bare path when no secret is set (see `config.webhook_secret`).
    let delivers_here = sim_listener.is_some()
        && config.real.is_none()
        && matches!(config.sim_webhook, Webhook::HostBackend);
    let webhook_secret = match &config.webhook_secret {
        Some(secret) => Some(secret.clone()),
        None if delivers_here => Some(videoid_backend::ids::try_token().map_err(io::Error::other)?),
        None => None,
    };
    let webhook_url = match (&config.sim_webhook, &webhook_secret) {
        (Webhook::HostBackend, Some(secret)) if config.real.is_none() => {
            Some(format!("{host_url}/api/videoid/events/{secret}"))
        }
        (Webhook::HostBackend, None) if config.real.is_none() => {
            Some(format!("{host_url}/api/videoid/events"))
        }
        (Webhook::HostBackend | Webhook::Off, _) => None,
        (Webhook::Url(url), _) => Some(url.clone()),
    };
    // The outgoing client (the Assure API, the capture page's framing check, the built-in
    // simulator's webhook): the public roots, and those of `ASSURE_CA_FILE`.
    let http = match &config.assure_ca {
        Some(ca) => {
            tracing::info!(
                file = %ca.path.display(),
                roots = ca.roots.len(),
                "trusting the roots of ASSURE_CA_FILE besides the public ones"
            );
            http_client_trusting(&ca.roots)
        }
        None => http_client(),
    }
    .map_err(io::Error::other)?;
    let simulator = sim_listener.is_some().then(|| {
        simulator::Simulator::open(
            simulator::Settings {
                base_url: sim_url.clone(),
                client_id: config.sim_client_id.clone(),
                client_secret: config.sim_client_secret.clone(),
                frame_ancestors,
                final_delay: config.sim_final_delay,
                token_lifetime: config.sim_token_lifetime,
                webhook_url,
                webhook_retry: config.sim_webhook_retry,
                upload_lifetime: config.session_lifetime,
                control: config.sim_control,
                faults: config.sim_faults.clone(),
                retention: config.sim_retention,
                agents: config.sim_agents.clone(),
            },
            sim_data,
            http.clone(),
            stopped.clone(),
        )
    });
    let pkg = Arc::new(simulator::package::PackageDir::new(config.pkg_dir.clone()));
    let (assure, real_assure) = match &config.real {
        Some(real) => (
            assure::AssureClient::new(
                http.clone(),
                &real.base_url,
                &real.client_id,
                &real.client_secret,
            ),
            Some(real.base_url.clone()),
        ),
        None => (
            assure::AssureClient::new(
                http.clone(),
                // A simulator behind a proxy: the backend calls it directly, the browser
                // through the proxy (`sim_url`).
                config.sim_api_url.as_deref().unwrap_or(&sim_url),
                &config.sim_client_id,
                &config.sim_client_secret,
            ),
            None,
        ),
    };
    let backend = videoid_backend::Backend::open(videoid_backend::Settings {
        assure,
        http,
        host_url: public_url.clone(),
        simulator_mode: real_assure.is_none(),
        store: store.clone(),
        cors_origins: config.cors_origins.clone(),
        session_lifetime: config.session_lifetime,
        capture_sdk: config.capture_sdk.clone(),
        native_provider: config.native_provider.clone(),
        native_process_type: config.native_process_type.clone(),
        process_type: config.process_type.clone(),
        sdk_flow: config.sdk_flow.clone(),
        sdk_document_type: config.sdk_document_type.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        instance_id: config
            .instance_id
            .clone()
            .or_else(videoid_backend::ops::default_instance_id),
        metrics_token: config.metrics_token.clone(),
        webhook_secret,
        rate_limits: config.rate_limits.clone(),
    })?;
    let provider_origins = if real_assure.is_some() {
        config.provider_origins.clone()
    } else {
        vec![sim_url.clone()]
    };
    let pages = Arc::new(
        site::Pages::new(sim_url.clone(), real_assure.is_some(), provider_origins)
            .with_backend(backend.clone())
            .with_parent(config.demo_parent_origin.clone()),
    );

    let retention = config.retention.map(|max_age| {
        videoid_backend::retention::spawn(
            backend.clone(),
            max_age,
            config.sweep_interval,
            stopped.clone(),
        )
    });
    let handle = backend.clone();
    let host_router = videoid_backend::router(backend.clone())
        .merge(site::router(pages))
        .merge(simulator::package::package_router(pkg.clone()))
        .fallback(not_found)
        .layer(axum::middleware::map_response(json_errors))
        // The pages too carry the operational headers (HSTS, the instance, the mode).
        .layer(axum::middleware::from_fn_with_state(
            backend.clone(),
            videoid_backend::ops::stamp,
        ))
        // Every request of the host origin logged and counted once, pages included.
        .layer(axum::middleware::from_fn_with_state(
            backend,
            videoid_backend::ops::observe,
        ));
    let mut servers = vec![tokio::spawn(serve(
        host_listener,
        host_router,
        stopped.clone(),
    ))];
    if let (Some(sim_listener), Some(simulator)) = (sim_listener, simulator) {
        let sim_router = simulator::router(simulator.clone())
            .merge(simulator::package::package_router(pkg))
            .fallback(not_found)
            .layer(axum::middleware::map_response(json_errors));
        servers.push(tokio::spawn(serve(sim_listener, sim_router, stopped)));
        simulator.resume();
    }
    Ok(Running {
        host_url,
        public_url,
        sim_url,
        real_assure,
        store,
        backend: handle,
        stop,
        grace: config.shutdown_grace,
        servers,
        sweeper,
        retention,
    })
}

/// Installs the process's log subscriber ([`log_subscriber`] on stderr). Once per process; a
/// second call changes nothing.
pub fn init_logs(format: LogFormat) {
    let _ = tracing::subscriber::set_global_default(log_subscriber(format, std::io::stderr));
}

/// The binary's log subscriber writing to `writer`: events at `INFO` and above, as JSON lines
/// (`{"timestamp","level","message",…fields,"target","span"}`, the request's `span` carrying
/// its `request_id`) or as readable text.
pub fn log_subscriber<W>(format: LogFormat, writer: W) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(writer);
    match format {
        LogFormat::Json => Box::new(
            builder
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .with_span_list(false)
                .finish(),
        ),
        LogFormat::Text => Box::new(builder.with_ansi(false).finish()),
    }
}
