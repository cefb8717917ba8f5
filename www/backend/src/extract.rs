//! The request extractors of the backend's handlers and their one rejection: whatever a
//! request gets wrong (a malformed query, a body that is not JSON, a body that cannot be
//! read), the answer is `{ "error" }` with the right status, before the handler runs.

use crate::http::{json_error, parse_json, parse_query};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// Why a request could not be read: answered as `{ "error": message }` with `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    status: StatusCode,
    message: String,
}

impl Rejection {
    fn new(status: StatusCode, message: impl Into<String>) -> Rejection {
        Rejection {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        json_error(self.status, self.message)
    }
}

/// The query string as name–value pairs, in order (`query_value` reads the first of a name).
pub type Pairs = Vec<(String, String)>;

/// The query string; a malformed one is a `400`.
#[derive(Debug, Clone, Default)]
pub struct Query(pub Pairs);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Rejection> {
        parse_query(parts.uri.query())
            .map(Query)
            .map_err(|bad| Rejection::new(StatusCode::BAD_REQUEST, bad.0))
    }
}

/// A JSON request body: a `Content-Type` other than JSON, or none, is a `415` (a page of
/// another site cannot send JSON without a preflight, see [`crate::csrf`]), an empty body
/// reads as `{}`, anything else that does not parse as `T` is a `400`.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Rejection> {
        if !declares_json(request.headers()) {
            return Err(Rejection::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the body must be application/json",
            ));
        }
        let body = Bytes::from_request(request, state).await.map_err(|e| {
            let status = e.status();
            let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
            Rejection::new(status, reason)
        })?;
        parse_json(&body)
            .map(JsonBody)
            .map_err(|bad| Rejection::new(StatusCode::BAD_REQUEST, bad.0))
    }
}

/// True when the request declares a JSON body.
fn declares_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return false;
    };
    let essence = value
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Body1 {
        #[serde(default)]
        mode: Option<String>,
    }

    fn request(content_type: Option<&str>, body: &'static str) -> Request {
        let mut builder = Request::builder().method("POST").uri("/x?a=1");
        if let Some(t) = content_type {
            builder = builder.header(header::CONTENT_TYPE, t);
        }
        builder.body(Body::from(body)).unwrap()
    }

    #[tokio::test]
    async fn json_bodies_are_read_or_rejected_with_the_right_status() {
        let read = |t, b| async move { JsonBody::<Body1>::from_request(request(t, b), &()).await };
        let json = Some("application/json");
        assert_eq!(read(json, "").await.unwrap().0, Body1 { mode: None });
        assert_eq!(
            read(Some("application/json; charset=utf-8"), r#"{"mode":"sdk"}"#)
                .await
                .unwrap()
                .0,
            Body1 {
                mode: Some("sdk".into())
            }
        );
        assert!(read(Some("application/problem+json"), "{}").await.is_ok());
        let wrong_type = read(Some("text/plain"), "{}").await.unwrap_err();
        assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let untyped = read(None, "{}").await.unwrap_err();
        assert_eq!(untyped.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let bad = read(json, "{").await.unwrap_err();
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.message.starts_with("invalid JSON body"),
            "{}",
            bad.message
        );
    }

    #[tokio::test]
    async fn queries_are_read_as_pairs_in_order() {
        let (mut parts, _) = request(None, "").into_parts();
        let Query(pairs) = Query::from_request_parts(&mut parts, &()).await.unwrap();
        assert_eq!(pairs, vec![("a".to_string(), "1".to_string())]);
    }
}
