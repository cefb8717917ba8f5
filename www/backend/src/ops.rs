//! What operators see on every answer: which Assure API the backend uses.

use crate::state::Backend;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// `simulator` on every answer of a backend that uses the simulator.
pub const ASSURE_HEADER: HeaderName = HeaderName::from_static("x-videoid-assure");

/// Adds the operational headers to every answer.
pub async fn stamp(State(backend): State<Arc<Backend>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if backend.simulator_mode {
        response
            .headers_mut()
            .insert(ASSURE_HEADER, HeaderValue::from_static("simulator"));
    }
    response
}
