//! The HTTP pieces every handler shares: JSON error answers, request-body and query parsing,
//! the outgoing HTTP client, and serving a router until told to stop.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use std::io;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Serves `router` on `listener` until `stopped` turns true, then lets open requests finish.
pub async fn serve(
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

/// The client for outgoing calls: bounded connect and request times.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .user_agent(concat!(
            env!("CARGO_PKG_NAME"),
            "/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
}

/// The answer for a path no route serves: `404 { "error" }`.
pub async fn not_found() -> Response {
    json_error(StatusCode::NOT_FOUND, "not found")
}

/// Turns error answers that are neither JSON nor a page (axum's own rejections: 405, 413, 415,
/// …) into `{ "error" }`.
pub async fn json_errors(response: Response) -> Response {
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

/// The essence of a `Content-Type` header (the type without its parameters), lower-cased.
pub fn essence(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// A JSON error answer `{ "error": message }`.
pub fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// A request the server cannot read; answers `400 { "error" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        json_error(StatusCode::BAD_REQUEST, self.0)
    }
}

/// Parses a JSON request body; an empty body reads as `{}`.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BadRequest> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}" as &[u8]
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| BadRequest(format!("invalid JSON body: {e}")))
}

/// Parses a JSON request body after checking its declared type: a `Content-Type` other
/// than JSON is a 415 (an absent one is read as JSON, as older clients send).
pub fn parse_json_request<T: DeserializeOwned>(
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
pub fn parse_query(query: Option<&str>) -> Result<Vec<(String, String)>, BadRequest> {
    serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|_| BadRequest("malformed query string".to_string()))
}

/// The first value of `name` in parsed query pairs.
pub fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
