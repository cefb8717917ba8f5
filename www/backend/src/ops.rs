//! What operators and proxies see: the headers every answer carries (which Assure the backend
//! uses, which instance answered, HSTS on https), the client address behind trusted proxies,
//! and the probes `/healthz` (the process is alive) and `/readyz` (the database answers and
//! an Assure token can be had; the result is cached, so probes never each call upstream).

use crate::http::json_error;
use crate::proxies;
use crate::state::Backend;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// `simulator` on every answer of a backend that uses the simulator.
pub const ASSURE_HEADER: HeaderName = HeaderName::from_static("x-videoid-assure");
/// The instance that answered (`INSTANCE_ID`, or the host name).
pub const INSTANCE_HEADER: HeaderName = HeaderName::from_static("x-videoid-instance");
/// Two years, the value HSTS preload lists ask for; no `includeSubDomains`: other hosts of
/// the domain are not ours to decide.
const HSTS: &str = "max-age=63072000";
/// How long a readiness answer is reused.
pub const READY_CACHE: Duration = Duration::from_secs(5);
/// How long one readiness check may take.
const READY_BUDGET: Duration = Duration::from_secs(4);

/// Adds the operational headers to every answer, and the request's [`proxies::Client`] to its
/// extensions (when the server passes the connection's address).
pub async fn stamp(
    State(backend): State<Arc<Backend>>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = proxies::client(peer.ip(), request.headers(), &backend.trusted_proxies);
        request.extensions_mut().insert(client);
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if backend.simulator_mode {
        headers.insert(ASSURE_HEADER, HeaderValue::from_static("simulator"));
    }
    if backend.host_url.starts_with("https://") {
        headers.insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if let Some(instance) = &backend.instance_header {
        headers.insert(INSTANCE_HEADER, instance.clone());
    }
    response
}

/// `GET /healthz`: the process is alive.
pub async fn healthz() -> Response {
    no_store(Json(json!({ "status": "ok" })).into_response())
}

/// The last readiness check.
#[derive(Debug, Clone)]
pub(crate) struct Readiness {
    at: Instant,
    failed: Option<&'static str>,
}

/// `GET /readyz`: `200 { status: "ready" }` when the database answers and an Assure token can
/// be had (the client's cached one, fetched only when it is about to expire), else `503`
/// naming what is not ready. Checked at most every [`READY_CACHE`].
pub async fn readyz(State(backend): State<Arc<Backend>>) -> Response {
    let mut last = backend.readiness.lock().await;
    let fresh = last
        .as_ref()
        .filter(|r| r.at.elapsed() < READY_CACHE)
        .cloned();
    let readiness = match fresh {
        Some(r) => r,
        None => {
            let by = Instant::now() + READY_BUDGET;
            let failed = if let Err(e) = backend.store.schema_version().await {
                eprintln!("videoid-www: readiness: database: {e}");
                Some("database")
            } else if let Err(e) = backend.assure.ready(by).await {
                eprintln!("videoid-www: readiness: Assure token: {e}");
                Some("assure")
            } else {
                None
            };
            let r = Readiness {
                at: Instant::now(),
                failed,
            };
            *last = Some(r.clone());
            r
        }
    };
    drop(last);
    let response = match readiness.failed {
        None => Json(json!({ "status": "ready" })).into_response(),
        Some(what) => {
            let mut r = json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready: {what} unavailable"),
            );
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                HeaderValue::from_static("5"),
            );
            r
        }
    };
    no_store(response)
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    response
}

/// The instance name: `INSTANCE_ID`-style setting when given, else the host name.
pub fn default_instance_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}
