//! What operators and proxies see: the headers every answer carries (which Assure the backend
//! uses, HSTS on https) and the client address behind trusted proxies.

use crate::proxies;
use crate::state::Backend;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;

/// `simulator` on every answer of a backend that uses the simulator.
pub const ASSURE_HEADER: HeaderName = HeaderName::from_static("x-videoid-assure");
/// Two years, the value HSTS preload lists ask for; no `includeSubDomains`: other hosts of
/// the domain are not ours to decide.
const HSTS: &str = "max-age=63072000";

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
    response
}
