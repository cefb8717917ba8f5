//! The HTTP pieces every handler shares: JSON error answers, request-body and query parsing,
//! the outgoing HTTP client, and serving a router until told to stop.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use std::io;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Serves `router` on `listener` until `stopped` turns true, then lets open requests finish.
/// Handlers see the connection's address (`ConnectInfo<SocketAddr>`).
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    mut stopped: watch::Receiver<bool>,
) -> io::Result<()> {
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        })
        .await
}

/// The client for outgoing calls: bounded connect and request times; it trusts the public
/// roots (webpki-roots).
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    http_client_trusting(&[])
}

/// [`http_client`], trusting `roots` as well as the public roots: the certificates of a
/// private CA an Assure endpoint is served under (a staging proxy, an egress gateway), read
/// with [`root_certificates`].
pub fn http_client_trusting(roots: &[reqwest::Certificate]) -> reqwest::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .user_agent(concat!(
            env!("CARGO_PKG_NAME"),
            "/",
            env!("CARGO_PKG_VERSION")
        ));
    for root in roots {
        builder = builder.add_root_certificate(root.clone());
    }
    builder.build()
}

/// The certificates of a PEM file (one or more `CERTIFICATE` blocks; other blocks, such as a
/// key, are skipped), each checked to be usable as a trusted root. An error says what is
/// wrong (unreadable PEM, a certificate that is not one, no certificate at all) and never
/// holds the file's contents.
pub fn root_certificates(pem: &[u8]) -> Result<Vec<reqwest::Certificate>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = Vec::new();
    for (n, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let cert = cert.map_err(|e| format!("not a PEM file ({e})"))?;
        // The check reqwest's builder makes, made here so that a bad certificate is named
        // rather than a bare "builder error".
        let mut store = rustls::RootCertStore::empty();
        store
            .add(cert.clone())
            .map_err(|e| format!("certificate {} is not a usable root ({e})", n + 1))?;
        let root = reqwest::Certificate::from_der(cert.as_ref())
            .map_err(|e| format!("certificate {} is not a usable root ({e})", n + 1))?;
        roots.push(root);
    }
    if roots.is_empty() {
        return Err("no PEM certificate (-----BEGIN CERTIFICATE-----) in it".to_string());
    }
    Ok(roots)
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

/// A JSON error answer `{ "error": message }`.
pub fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// A request the server cannot read; answers `400 { "error" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        json_error(StatusCode::BAD_REQUEST, self.0)
    }
}

/// Parses a JSON request body, which must be an object (an array would fill a request
/// struct by position); an empty body reads as `{}`.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BadRequest> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}" as &[u8]
    } else {
        body
    };
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(BadRequest("the body must be a JSON object".to_string()));
    }
    serde_json::from_slice(body).map_err(|e| BadRequest(format!("invalid JSON body: {e}")))
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

/// The value of cookie `name`, when it looks like one of ours.
pub(crate) fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| crate::storage::is_safe_name(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throwaway self-signed CA (P-256), for the parsing checks only.
    const CA_PEM: &str = include_str!("../tests/data/test-ca.pem");

    #[test]
    fn root_certificates_reads_a_bundle_and_skips_other_blocks() {
        assert_eq!(root_certificates(CA_PEM.as_bytes()).map(|r| r.len()), Ok(1));
        let bundle = format!(
            "# a comment\n{CA_PEM}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n{CA_PEM}"
        );
        assert_eq!(root_certificates(bundle.as_bytes()).map(|r| r.len()), Ok(2));
        let roots = root_certificates(CA_PEM.as_bytes()).unwrap_or_default();
        assert!(
            http_client_trusting(&roots).is_ok(),
            "the client takes them"
        );
    }

    #[test]
    fn root_certificates_refuses_what_holds_no_usable_certificate() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "no PEM certificate"),
            (b"not a certificate at all\n", "no PEM certificate"),
            (
                b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "no PEM certificate",
            ),
            (b"-----BEGIN CERTIFICATE-----\nMIIB\n", "not a PEM file"),
            (
                b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "certificate 1 is not a usable root",
            ),
        ];
        for (pem, expected) in cases {
            match root_certificates(pem) {
                Ok(roots) => panic!("{:?}: {} roots", String::from_utf8_lossy(pem), roots.len()),
                Err(e) => assert!(
                    e.contains(expected),
                    "{:?}: {e}",
                    String::from_utf8_lossy(pem)
                ),
            }
        }
    }
}
