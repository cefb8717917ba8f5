//! The reference host backend of `videoid-capture`: what the element calls, the webhook, and
//! the demo's own data views; an axum [`Router`] over a [`store::Store`] (SQLite or PostgreSQL)
//! and an [`assure::AssureClient`]. It knows nothing of the demo site or of the simulator.
//!
//! - `POST /api/videoid/session` finds the end-user's dossier (cookie
//!   `videoid_user`, created on first use), then starts the hosted capture
//!   flow (embed/auto), creates a VideoID process for VideoID's web SDK
//!   (`mode: "sdk"`), or creates a process of a provider that takes direct
//!   uploads with an upload session (native);
//! - `PUT /api/videoid/upload/{step}`, `POST /api/videoid/upload/complete`:
//!   the native upload contract, relayed to Assure's "Set images" and
//!   "start verification";
//! - `GET /api/videoid/result` reads a process of the cookie's own dossier;
//! - `POST /api/videoid/events` receives Assure's `process.complete` webhook;
//! - `POST /api/videoid/handoff` and its `events`, `DELETE` and `phone` routes hand a capture
//!   over to the end-user's phone (see [`handoff`]); the phone's cookie `videoid_handoff` makes
//!   its session calls act for the desktop's end-user;
//! - `GET`/`DELETE /api/videoid/dossier` and the media proxies
//!   (`images`, `video`, `download`) serve the demo's result view, scoped to
//!   the cookie's own dossier.
//!
//! - `GET /healthz` (alive) and `GET /readyz` (database and Assure token) for orchestrators,
//!   `GET /metrics` (Prometheus text, behind the metrics token) for monitoring; every request
//!   is logged once (`tracing`) with its id, route template, status and latency;
//!   every answer carries `X-Videoid-Assure: simulator` in simulator mode, the instance's name
//!   and, on an https public URL, `Strict-Transport-Security` (see [`ops`]).
//!
//! Client credentials, Assure tokens and upstream bodies never reach the browser.

// Helpers of request handlers return `Result<_, Response>` so a rejection is answered as is;
// the size of a `Response` does not matter on that path.
#![allow(clippy::result_large_err)]

pub use videoid_common::{clock, ids, published, storage};
pub mod assure;
mod cors;
pub mod csrf;
pub mod documents;
pub mod endusers;
mod events;
pub mod extract;
pub mod framing;
pub mod handoff;
pub mod http;
pub mod limits;
mod media;
pub mod metrics;
mod native;
pub mod ops;
pub mod proxies;
pub mod retention;
mod sdk;
mod session;
mod state;
pub mod store;
pub mod upload;
pub mod upstream;

pub use documents::DocumentChoice;
pub use state::{
    parse_process_type, parse_sdk_flow, Backend, Settings, DEFAULT_PROCESS_TYPE, PROCESS_TYPES,
    REVIEW_PROCESS_TYPE, SCENARIOS, SDK_FLOWS,
};

use axum::routing::{delete, get, post, put};
use axum::Router;
use std::sync::Arc;

/// Routes under `/api/videoid/`.
pub fn router(backend: Arc<Backend>) -> Router {
    Router::new()
        .route("/api/videoid/session", post(session::session))
        .route("/api/videoid/result", get(session::result))
        .route("/api/videoid/upload/complete", post(native::complete))
        .route("/api/videoid/upload/{step}", put(native::upload))
        .route("/api/videoid/events", post(events::receive))
        .route(
            "/api/videoid/events/{secret}",
            post(events::receive_with_secret),
        )
        .route("/api/videoid/handoff", post(handoff::create))
        .route("/api/videoid/handoff/phone", get(handoff::phone))
        .route("/api/videoid/handoff/{id}/events", get(handoff::events))
        .route("/api/videoid/handoff/{id}", delete(handoff::revoke))
        .route("/api/videoid/handoff/{id}/confirm", post(handoff::confirm))
        .route(
            "/api/videoid/dossier",
            get(media::dossier).delete(media::delete_dossier),
        )
        .route("/api/videoid/images", get(media::image))
        .route("/api/videoid/video", get(media::video))
        .route("/api/videoid/download", get(media::download))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .layer(axum::middleware::from_fn_with_state(
            backend.clone(),
            csrf::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            backend.limiters.clone(),
            limits::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            backend.clone(),
            cors::cors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            backend.clone(),
            ops::stamp,
        ))
        .layer(axum::middleware::from_fn_with_state(
            backend.clone(),
            ops::observe,
        ))
        .with_state(backend)
}
