//! What operators and proxies see: the headers every answer carries (which Assure the backend
//! uses, which instance answered, HSTS on https), the client address behind trusted proxies,
//! and the probes `/healthz` (the process is alive) and `/readyz` (the database answers and
//! an Assure token can be had; the result is cached, so probes never each call upstream).
//!
//! [`observe`] gives every request an id (a well-formed incoming `X-Request-Id`, or a new one,
//! echoed in the answer), logs one event per request (id, method, route template, status,
//! latency; never the raw path, the query, a header or a body) and counts it in the
//! [`crate::metrics`] that `GET /metrics` shows to a holder of the metrics token.

use crate::http::json_error;
use crate::proxies;
use crate::state::{Backend, Readiness};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

/// The request's id: taken from the request when well-formed, else new; in every answer.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

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
                tracing::warn!(error = %e, "not ready: database");
                Some("database")
            } else if let Err(e) = backend.assure.ready(by).await {
                tracing::warn!(error = %e, "not ready: Assure token");
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

/// A request's id, in its extensions once [`observe`] has seen it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// An incoming request id is used when it is 1–64 letters, digits, `-`, `_` or `.` (a UUID, a
/// proxy's id); anything else is replaced, so nothing a client sends can break a log line.
pub fn is_request_id(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(&REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_request_id(v))
        .map_or_else(new_request_id, str::to_string)
}

/// A random UUID; a request id names no secret, so without a random source it is this
/// process's next number instead (the request itself then fails where it needs randomness).
fn new_request_id() -> String {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    crate::ids::try_uuid().unwrap_or_else(|_| {
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("local-{}-{n}", std::process::id())
    })
}

/// Gives the request its id, runs it inside a `request` span carrying that id (so every event
/// it logs has it), echoes the id in `X-Request-Id`, logs the request's one line and counts it.
/// The outermost layer: a request it has seen already (a router nested in another that also
/// observes) passes through unchanged.
pub async fn observe(
    State(backend): State<Arc<Backend>>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.extensions().get::<RequestId>().is_some() {
        return next.run(request).await;
    }
    let started = std::time::Instant::now();
    let id = request_id(request.headers());
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().clone();
    // The template (`/api/videoid/handoff/{id}`), never the path itself.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(crate::metrics::UNMATCHED, |p| p.as_str())
        .to_string();
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = next.run(request).instrument(span.clone()).await;
    let latency = started.elapsed();
    let status = response.status();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    backend.metrics.request(&route, &method, status, latency);
    let method = crate::metrics::method_label(&method);
    let latency_ms = latency.as_secs_f64() * 1000.0;
    span.in_scope(|| {
        tracing::info!(
            request_id = %id,
            method,
            route = %route,
            status = status.as_u16(),
            latency_ms,
            "request"
        )
    });
    response
}

/// `GET /metrics`: the counters in Prometheus's text format, for `Authorization: Bearer
/// <metrics token>`; `401` without it or with another, `404` when no token is set.
pub async fn metrics(State(backend): State<Arc<Backend>>, headers: HeaderMap) -> Response {
    let Some(token) = &backend.metrics_token else {
        return json_error(StatusCode::NOT_FOUND, "not found");
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !given.is_some_and(|given| crate::ids::secrets_equal(given, token)) {
        let mut response = json_error(StatusCode::UNAUTHORIZED, "a metrics token is required");
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return no_store(response);
    }
    let open_handoffs = match backend.store.open_handoffs(crate::store::now_ms()).await {
        Ok(n) => Some(n),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: open handoffs not counted");
            None
        }
    };
    let body = backend.metrics.render(open_handoffs);
    no_store(
        (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            body,
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_taken_only_when_well_formed() {
        assert!(is_request_id("4bf92f35-77b3-4da6-a3ce-929d0e0e4736"));
        assert!(is_request_id("req_1.a"));
        for bad in ["", "a b", "a\nb", "x\"y", &"a".repeat(65), "é"] {
            assert!(!is_request_id(bad), "{bad:?}");
        }
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, HeaderValue::from_static("abc-123"));
        assert_eq!(request_id(&headers), "abc-123");
        headers.insert(REQUEST_ID_HEADER, HeaderValue::from_static("a;b"));
        let made = request_id(&headers);
        assert!(made != "a;b" && is_request_id(&made), "{made}");
    }
}
