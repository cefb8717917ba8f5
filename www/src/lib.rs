//! Demo host site, reference host backend and Assure API simulator for
//! `videoid-capture`: one process, two origins.
//!
//! - the host origin (`http://localhost:PORT`) serves the demo pages, the
//!   built npm package at `/pkg/` and the reference backend under `/api/videoid/`;
//! - the simulator origin (`http://127.0.0.1:PORT`) answers the Assure API
//!   paths, serves the hosted capture page at `/capture/` and plays VideoID's
//!   side at `/provider/` (its web SDK and the API the SDK uploads to).

// Helpers of request handlers return `Result<_, Response>` so a rejection is answered as is;
// the size of a `Response` does not matter on that path.
#![allow(clippy::result_large_err)]

pub mod assure;
pub mod backend;
pub mod clock;
pub mod config;
pub mod framing;
pub mod ids;
pub mod published;
pub mod simulator;
pub mod site;
pub mod storage;
pub mod store;
pub mod zip;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{Config, Webhook};

/// The two servers, running; `shutdown` (or dropping this) stops them.
pub struct Running {
    /// Origin of the demo site and backend, e.g. `http://localhost:8080` (no trailing slash).
    pub host_url: String,
    /// Origin of the simulator, e.g. `http://127.0.0.1:8081` (no trailing slash).
    pub sim_url: String,
    /// Base URL of the real Assure API when the backend uses it instead of the simulator.
    pub real_assure: Option<String>,
    /// The backend's database.
    pub store: Arc<dyn store::Store>,
    stop: watch::Sender<bool>,
    servers: Vec<JoinHandle<io::Result<()>>>,
    sweeper: JoinHandle<()>,
}

impl Running {
    /// Stops accepting connections and waits (a few seconds at most) for open ones to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.sweeper.await;
        for server in self.servers {
            match tokio::time::timeout(Duration::from_secs(5), server).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => eprintln!("videoid-www: server error: {e}"),
                Ok(Err(e)) => eprintln!("videoid-www: server task failed: {e}"),
                Err(_) => eprintln!("videoid-www: server did not stop in time"),
            }
        }
    }
}

/// Binds both listeners on 127.0.0.1, opens the data directory and the backend's database
/// (migrating it, importing end-user files of earlier versions) and starts serving.
pub async fn start(config: Config) -> io::Result<Running> {
    let host_listener = TcpListener::bind(("127.0.0.1", config.host_port)).await?;
    // With `sim_url` set, a simulator running elsewhere stands in for this one.
    let (sim_listener, sim_url) = match &config.sim_url {
        Some(url) => (None, url.clone()),
        None => {
            let listener = TcpListener::bind(("127.0.0.1", config.sim_port)).await?;
            let url = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
            (Some(listener), url)
        }
    };
    let host_port = host_listener.local_addr()?.port();
    let host_url = format!("http://localhost:{host_port}");
    let data = storage::DataDir::open(config.data_dir.clone())?;
    let database = config
        .database
        .clone()
        .unwrap_or_else(|| store::Database::default_for(&config.data_dir));
    let store = store::open(&database, config.database_pool)
        .await
        .map_err(io::Error::other)?;
    let imported = backend::endusers::import_files(&data, store.as_ref()).await;
    if imported > 0 {
        println!("backend: imported {imported} end-user records into the database");
    }
    let (stop, stopped) = watch::channel(false);
    let sweeper = store::spawn_sweeper(store.clone(), config.sweep_interval, stopped.clone());

    let frame_ancestors = config.sim_frame_ancestors.clone().unwrap_or_else(|| {
        format!("'self' http://localhost:{host_port} http://127.0.0.1:{host_port}")
    });
    let webhook_url = match &config.sim_webhook {
        Webhook::HostBackend if config.real.is_none() => {
            Some(format!("{host_url}/api/videoid/events"))
        }
        Webhook::HostBackend | Webhook::Off => None,
        Webhook::Url(url) => Some(url.clone()),
    };
    let http = http_client().map_err(io::Error::other)?;
    let simulator = simulator::Simulator::open(
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
        },
        data.clone(),
        http.clone(),
        stopped.clone(),
    );
    let pkg = Arc::new(site::PackageDir::new(config.pkg_dir.clone()));
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
                &sim_url,
                &config.sim_client_id,
                &config.sim_client_secret,
            ),
            None,
        ),
    };
    let backend = backend::Backend::open(backend::Settings {
        assure,
        http,
        host_url: host_url.clone(),
        simulator_mode: real_assure.is_none(),
        store: store.clone(),
        cors_origins: config.cors_origins.clone(),
        session_lifetime: config.session_lifetime,
        capture_sdk: config.capture_sdk.clone(),
        native_provider: config.native_provider.clone(),
        native_process_type: config.native_process_type.clone(),
        sdk_document_type: config.sdk_document_type.clone(),
    })?;
    let provider_origins = if real_assure.is_some() {
        config.provider_origins.clone()
    } else {
        vec![sim_url.clone()]
    };
    let pages = Arc::new(
        site::Pages::new(sim_url.clone(), real_assure.is_some(), provider_origins)
            .with_backend(backend.clone()),
    );

    let host_router = backend::router(backend)
        .merge(site::router(pages))
        .merge(site::package_router(pkg.clone()))
        .fallback(not_found)
        .layer(axum::middleware::map_response(json_errors));
    let sim_router = simulator::router(simulator.clone())
        .merge(site::package_router(pkg))
        .fallback(not_found)
        .layer(axum::middleware::map_response(json_errors));

    let mut servers = vec![tokio::spawn(serve(
        host_listener,
        host_router,
        stopped.clone(),
    ))];
    if let Some(sim_listener) = sim_listener {
        servers.push(tokio::spawn(serve(sim_listener, sim_router, stopped)));
        simulator.resume();
    }
    Ok(Running {
        host_url,
        sim_url,
        real_assure,
        store,
        stop,
        servers,
        sweeper,
    })
}

pub(crate) async fn serve(
    listener: TcpListener,
    router: axum::Router,
    mut stopped: watch::Receiver<bool>,
) -> io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        })
        .await
}

pub(crate) fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .user_agent(concat!("videoid-www/", env!("CARGO_PKG_VERSION")))
        .build()
}

pub(crate) async fn not_found() -> Response {
    json_error(StatusCode::NOT_FOUND, "not found")
}

/// Turns error answers that are neither JSON nor a page (axum's own rejections: 405, 413, 415,
/// …) into `{ "error" }`.
pub(crate) async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json_or_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if (status.is_client_error() || status.is_server_error()) && !is_json_or_page {
        let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
        let mut replaced = json_error(status, reason);
        for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
            if let Some(value) = response.headers().get(&name) {
                replaced.headers_mut().insert(name, value.clone());
            }
        }
        return replaced;
    }
    response
}

/// A JSON error answer `{ "error": message }`.
pub(crate) fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// A request the server cannot read; answers `400 { "error" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadRequest(String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        json_error(StatusCode::BAD_REQUEST, self.0)
    }
}

/// Parses a JSON request body; an empty body reads as `{}`.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BadRequest> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}" as &[u8]
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| BadRequest(format!("invalid JSON body: {e}")))
}

/// Parses a JSON request body after checking its declared type: a `Content-Type` other
/// than JSON is a 415 (an absent one is read as JSON, as older clients send).
pub(crate) fn parse_json_request<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Response> {
    if let Some(value) = headers.get(header::CONTENT_TYPE) {
        let essence = value
            .to_str()
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let json = essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"));
        if !json {
            return Err(json_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the body must be application/json",
            ));
        }
    }
    parse_json(body).map_err(IntoResponse::into_response)
}

/// Parses a query string into pairs; a malformed one is a 400.
pub(crate) fn parse_query(query: Option<&str>) -> Result<Vec<(String, String)>, BadRequest> {
    serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|_| BadRequest("malformed query string".to_string()))
}

/// The first value of `name` in parsed query pairs.
pub(crate) fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
