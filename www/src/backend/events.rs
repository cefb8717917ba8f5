//! `POST /api/videoid/events`: Assure's webhook. De-duplicates by event id, then reads the process.
//!
//! The event body is only a hint: the status that is remembered comes from
//! "Get process", so a forged event can at most cause one extra read.

use super::endusers::Notified;
use super::Backend;
use crate::assure::AssureError;
use crate::{ids, json_error, parse_json_request};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
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

pub(super) async fn receive(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let envelope: Envelope = match parse_json_request(&headers, &body) {
        Ok(e) => e,
        Err(bad) => return bad,
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
    if !backend.endusers().seen_events.insert(envelope.id.clone()) {
        return acknowledged(true);
    }
    let process = match backend
        .assure
        .get_process(&data.dossier_id, &data.process_id)
        .await
    {
        Ok(p) => p,
        Err(AssureError::Status(StatusCode::NOT_FOUND)) => return acknowledged(false),
        Err(e) => {
            // Not handled: let the sender retry later.
            backend.endusers().seen_events.remove(&envelope.id);
            eprintln!("videoid-www: events: {e}");
            return json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the event could not be handled yet",
            );
        }
    };
    let status = process["status"].as_str().unwrap_or_default().to_string();
    let mut endusers = backend.endusers();
    if let Some(user) = endusers.by_dossier(&data.dossier_id) {
        let mut user = user.clone();
        user.notified.insert(
            data.process_id,
            Notified {
                event_id: envelope.id,
                status,
                received_at: crate::clock::now_rfc3339(),
            },
        );
        if let Err(e) = endusers.save(user) {
            eprintln!("videoid-www: backend storage: {e}");
        }
    }
    acknowledged(false)
}
