//! `POST /api/videoid/events/{secret}`: Assure's webhook. Checks the secret, de-duplicates by
//! event id, then reads the process.
//!
//! The published Assure API has no event subscription, secret or signature, so the secret is
//! our choice: a path segment (`VIDEOID_WEBHOOK_SECRET`), because any sender that takes a URL
//! can carry it; register `{PUBLIC_URL}/api/videoid/events/{secret}` as the subscription's
//! address. It is compared in constant time, and a wrong or missing one is a `404` that
//! touches nothing. Without a secret (simulator mode only: the real API needs one), the bare
//! `/api/videoid/events` takes events, as the simulator sends them by default.
//!
//! The event body is only a hint: the status that is remembered comes from
//! "Get process", so a forged event can at most cause one extra read. The event id is
//! taken in the database first (a lease), so several instances behind one balancer handle
//! each event once; a delivery that arrives while another one is being handled is answered
//! 503, so the sender comes back once the first is done.

use crate::assure::AssureError;
use crate::extract::JsonBody;
use crate::http::json_error;
use crate::ids;
use crate::state::{storage_failure, Backend};
use crate::store::{now_ms, EventClaim, Notified, EVENT_KEEP_MS};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// How long one delivery may take before another may handle the same event (a little more
/// than its budget, so a live handler is never overtaken; one that died is, after this).
const EVENT_LEASE_MS: i64 = crate::upstream::WEBHOOK_BUDGET.as_millis() as i64 + 4_000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Envelope {
    id: String,
    event_name: String,
    #[serde(default)]
    event_data: Option<EventData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventData {
    dossier_id: String,
    process_id: String,
}

fn acknowledged(duplicate: bool) -> Response {
    Json(json!({ "received": true, "duplicate": duplicate })).into_response()
}

/// `POST /api/videoid/events`: only while no secret is set (module docs).
pub(crate) async fn receive(State(backend): State<Arc<Backend>>, request: Request) -> Response {
    if backend.webhook_secret.is_some() {
        return crate::http::not_found().await;
    }
    handle(backend, request).await
}

/// `POST /api/videoid/events/{secret}`: only with the configured secret (module docs).
pub(crate) async fn receive_with_secret(
    State(backend): State<Arc<Backend>>,
    Path(secret): Path<String>,
    request: Request,
) -> Response {
    let matches = backend
        .webhook_secret
        .as_deref()
        .is_some_and(|expected| ids::secrets_equal(expected, &secret));
    if !matches {
        return crate::http::not_found().await;
    }
    handle(backend, request).await
}

async fn handle(backend: Arc<Backend>, request: Request) -> Response {
    let envelope = match JsonBody::<Envelope>::from_request(request, &()).await {
        Ok(JsonBody(envelope)) => envelope,
        Err(rejection) => return rejection.into_response(),
    };
    if !ids::is_valid_id(&envelope.id) {
        return json_error(StatusCode::BAD_REQUEST, "the event id is not a valid id");
    }
    if envelope.event_name != "process.complete" {
        // Other events are acknowledged and ignored: retrying them would not help.
        return acknowledged(false);
    }
    let Some(data) = envelope.event_data else {
        return json_error(StatusCode::BAD_REQUEST, "eventData is required");
    };
    if !ids::is_valid_id(&data.dossier_id) || !ids::is_valid_id(&data.process_id) {
        return json_error(StatusCode::BAD_REQUEST, "eventData ids are not valid ids");
    }
    const WHAT: &str = "handle the event";
    // Events about dossiers that are no end-user's are acknowledged and not remembered: the
    // de-duplication table grows only with real processes (and forgets them after a week).
    match backend.store.dossier_known(&data.dossier_id).await {
        Ok(true) => {}
        Ok(false) => return acknowledged(false),
        Err(e) => return storage_failure(WHAT, &e),
    }
    let by = crate::upstream::deadline(crate::upstream::WEBHOOK_BUDGET);
    let now = now_ms();
    let claim = backend
        .store
        .begin_event(&envelope.id, now, now + EVENT_LEASE_MS, now + EVENT_KEEP_MS)
        .await;
    match claim {
        Ok(EventClaim::New) => {}
        Ok(EventClaim::Duplicate) => return acknowledged(true),
        Ok(EventClaim::InProgress) => {
            return json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the event is being handled: retry later",
            )
        }
        Err(e) => return storage_failure(WHAT, &e),
    }
    let process = match backend
        .assure
        .get_process(&data.dossier_id, &data.process_id, by)
        .await
    {
        Ok(p) => Some(p),
        Err(AssureError::Status(StatusCode::NOT_FOUND)) => None,
        Err(e) => {
            // Not handled: let the sender retry later.
            if let Err(e) = backend.store.abandon_event(&envelope.id).await {
                tracing::error!(error = %e, "events: could not release the event");
            }
            tracing::warn!(error = %e, "events: the process could not be read");
            return json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the event could not be handled yet",
            );
        }
    };
    let notified = process.map(|process| Notified {
        event_id: envelope.id.clone(),
        status: process["status"].as_str().unwrap_or_default().to_string(),
        received_at: crate::clock::now_rfc3339(),
    });
    let finished = backend
        .store
        .finish_event(
            &envelope.id,
            notified
                .as_ref()
                .map(|n| (data.dossier_id.as_str(), data.process_id.as_str(), n)),
        )
        .await;
    if let Err(e) = finished {
        if let Err(e) = backend.store.abandon_event(&envelope.id).await {
            tracing::error!(error = %e, "events: could not release the event");
        }
        return storage_failure(WHAT, &e);
    }
    if let Some(n) = &notified {
        backend.metrics.verification(&n.status);
    }
    // A phone's capture of a handoff ended: the desktop learns it even when the phone is gone.
    // Only a final status ends it: an event is a hint, the status is Assure's.
    let ended = notified
        .as_ref()
        .is_some_and(|n| !matches!(n.status.as_str(), "" | "pending" | "processing"));
    if !ended {
        return acknowledged(false);
    }
    match backend.store.process_handoff(&data.process_id).await {
        Ok(Some(h)) if h.dossier_id.as_deref() == Some(data.dossier_id.as_str()) => {
            let to = crate::store::HandoffStatus::Complete;
            if let Err(e) = backend.store.advance_handoff(&h.id, to, now_ms()).await {
                tracing::error!(error = %e, "events: could not complete the handoff");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "events: could not read the handoff"),
    }
    acknowledged(false)
}
