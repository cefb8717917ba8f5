//! The native capture contract: a process of a provider that takes direct uploads, an upload
//! token, one PUT per still, completion.
//!
//! The element's stills go on to Assure's documented "Set images" (`POST …/processes/{p}/images`,
//! JPEG dataURLs `front`, `back`, `selfie`) and completion to "start verification"
//! (`POST …/processes/{p}`). VideoID takes no direct uploads, so native processes use another
//! provider (`VIDEOID_NATIVE_PROVIDER`, default Signicat Paper); Assure has no endpoint for a
//! video from the host, so the session lists no `video` step.

use crate::assure::AssureError;
use crate::handoff;
use crate::http::json_error;
use crate::state::{storage_failure, upstream_failure, Backend, Failure, SimulatorKnobs, Visitor};
use crate::store::HandoffStatus::{Complete, Uploading};
use crate::store::{StoreError, Upload};
use crate::upload::{self as limits, STEPS};
use crate::upstream::{self, at_most_once};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};
use std::sync::Arc;

/// Where the element uploads (relative to the host origin).
pub const UPLOAD_URL: &str = "/api/videoid/upload";

/// Creates the process and its upload session; answers the native session shape.
pub(crate) async fn start(
    backend: &Backend,
    visitor: &mut Visitor,
    knobs: Option<&SimulatorKnobs>,
    by: tokio::time::Instant,
) -> Result<Value, Failure> {
    let mut request = json!({ "provider": backend.native_provider });
    if let Some(process_type) = &backend.native_process_type {
        request["processType"] = json!(process_type);
    }
    if let Some(scenario) = knobs.and_then(|k| k.scenario.as_deref()) {
        request["simulator"] = json!({ "scenario": scenario });
    }
    let (assure, request) = (&backend.assure, &request);
    let (dossier_id, process) = backend
        .create_process(visitor, by, move |dossier_id: String| async move {
            assure.create_process(&dossier_id, request, by).await
        })
        .await?;
    let process_id = process["processId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let steps: Vec<String> = STEPS.iter().map(|s| s.to_string()).collect();
    let token = crate::ids::try_token().map_err(StoreError::from)?;
    let now = crate::store::now_ms();
    let expires_at_ms = now + backend.session_lifetime.as_millis() as i64;
    let expires_at = crate::clock::rfc3339_in(backend.session_lifetime);
    let stored = backend
        .store
        .create_upload(
            &token,
            &visitor.key,
            &dossier_id,
            &process_id,
            &steps,
            now,
            expires_at_ms,
            &expires_at,
        )
        .await;
    if let Err(e) = stored {
        // Nobody could upload to it: the process goes.
        let by = upstream::deadline(upstream::READ_BUDGET);
        if let Err(e) = assure.delete_process(&dossier_id, &process_id, by).await {
            tracing::warn!(error = %e, "could not remove an unused process");
        }
        return Err(e.into());
    }
    Ok(json!({
        "dossierId": dossier_id,
        "processId": process_id,
        "expiresAt": expires_at,
        "uploadUrl": UPLOAD_URL,
        "uploadToken": token,
        "steps": steps,
        "fileFallback": true,
    }))
}

/// The upload session (and token) of the request's bearer token; 401 when unknown or expired.
async fn upload_session(
    backend: &Backend,
    headers: &HeaderMap,
) -> Result<(String, Upload), Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_string());
    let unauthorized = |m: &str| json_error(StatusCode::UNAUTHORIZED, m);
    let Some(token) = token else {
        return Err(unauthorized("an upload token is required"));
    };
    if !crate::ids::is_valid_id(&token) {
        return Err(unauthorized("unknown upload token"));
    }
    let upload = match backend.store.upload(&token).await {
        Ok(Some(upload)) => upload,
        Ok(None) => return Err(unauthorized("unknown upload token")),
        Err(e) => return Err(storage_failure("read the upload session", &e)),
    };
    if upload.expires_at_ms <= crate::store::now_ms() {
        return Err(unauthorized("the upload session has expired"));
    }
    Ok((token, upload))
}

/// A JPEG's first bytes.
const JPEG_MAGIC: &[u8] = b"\xff\xd8\xff";

/// `PUT /api/videoid/upload/{step}`: checks the still, then sends it to "Set images".
pub(crate) async fn upload(
    State(backend): State<Arc<Backend>>,
    Path(step): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (token, upload) = match upload_session(&backend, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let handoff = match handoff::live_for_process(&backend, &upload.process_id).await {
        Ok(h) => h,
        Err(r) => return r,
    };
    // A session stored before the video step was dropped may still list it: only stills go on.
    if !upload.steps.contains(&step) || !STEPS.contains(&step.as_str()) {
        return json_error(StatusCode::NOT_FOUND, "not a step of this session");
    }
    if let Some(bytes) = upload.received.get(&step) {
        if let Err(r) = handoff::progress(&backend, handoff.as_deref(), Uploading).await {
            return r;
        }
        return Json(json!({ "step": step, "bytes": bytes })).into_response();
    }
    if upload.completed {
        return json_error(StatusCode::CONFLICT, "the upload session is complete");
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !limits::accepts(&step, content_type) {
        return json_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "stills must be image/jpeg",
        );
    }
    // The frame-quality report is checked but stays here: Set images has no place for it.
    if let Err(message) = limits::quality(&headers) {
        return json_error(StatusCode::BAD_REQUEST, message);
    }
    let bytes = match limits::read_limited(&headers, body, limits::MAX_STILL_BYTES).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if bytes.is_empty() {
        return json_error(StatusCode::BAD_REQUEST, "the upload is empty");
    }
    if !bytes.starts_with(JPEG_MAGIC) {
        return json_error(StatusCode::BAD_REQUEST, "the upload is not a JPEG");
    }
    let data_url = format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    );
    let images = json!({ step.as_str(): data_url });
    let by = upstream::deadline(upstream::SESSION_BUDGET);
    let (assure, dossier, process) = (&backend.assure, &upload.dossier_id, &upload.process_id);
    // Set images replaces a depiction, so a repeat would do no harm; still, after an unknown
    // outcome the image is read back first, and sent again only when it is not there.
    let (images, sent, step_name) = (&images, &bytes, step.as_str());
    let relayed = at_most_once(
        by,
        assure.retries(),
        || assure.set_images(dossier, process, images, by),
        || async move {
            let depiction = format!("images?depiction={step_name}");
            Ok(
                match assure.get_media(dossier, process, &depiction, by).await {
                    Ok(Some((got, _))) if got == *sent => Some(()),
                    Ok(_) | Err(AssureError::Status(StatusCode::NOT_FOUND)) => None,
                    Err(e) => return Err(e),
                },
            )
        },
    )
    .await
    .map_err(|u| u.error);
    let stored = bytes.len() as u64;
    match relayed {
        Ok(()) => {
            let now = crate::store::now_ms();
            if let Err(e) = backend.store.record_step(&token, &step, stored, now).await {
                return storage_failure("store the upload", &e);
            }
            if let Err(r) = handoff::progress(&backend, handoff.as_deref(), Uploading).await {
                return r;
            }
            (
                StatusCode::CREATED,
                Json(json!({ "step": step, "bytes": stored })),
            )
                .into_response()
        }
        Err(AssureError::Status(StatusCode::CONFLICT | StatusCode::NOT_FOUND)) => json_error(
            StatusCode::CONFLICT,
            "this capture can no longer take uploads",
        ),
        Err(e) => upstream_failure("store the upload", &e),
    }
}

/// `POST /api/videoid/upload/complete`.
pub(crate) async fn complete(State(backend): State<Arc<Backend>>, headers: HeaderMap) -> Response {
    let (token, upload) = match upload_session(&backend, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let handoff = match handoff::live_for_process(&backend, &upload.process_id).await {
        Ok(h) => h,
        Err(r) => return r,
    };
    let done = || {
        Json(json!({
            "dossierId": upload.dossier_id,
            "processId": upload.process_id,
            "status": "processing",
        }))
        .into_response()
    };
    if upload.completed {
        if let Err(r) = handoff::progress(&backend, handoff.as_deref(), Complete).await {
            return r;
        }
        return done();
    }
    let missing: Vec<&String> = upload
        .steps
        .iter()
        .filter(|s| STEPS.contains(&s.as_str()) && !upload.received.contains_key(*s))
        .collect();
    if !missing.is_empty() {
        return (
            StatusCode::CONFLICT,
            Json(json!({ "error": "some steps have not been uploaded", "missing": missing })),
        )
            .into_response();
    }
    let by = upstream::deadline(upstream::SESSION_BUDGET);
    let (assure, dossier, process) = (&backend.assure, &upload.dossier_id, &upload.process_id);
    // After an unknown outcome, the process's status tells whether verification started.
    let started = at_most_once(
        by,
        assure.retries(),
        || assure.start_verification(dossier, process, by),
        || async move {
            let process = assure.get_process(dossier, process, by).await?;
            Ok((process["status"] != "pending").then_some(()))
        },
    )
    .await
    .map_err(|u| u.error);
    match started {
        Ok(()) => {
            let now = crate::store::now_ms();
            if let Err(e) = backend.store.complete_upload(&token, now).await {
                return storage_failure("complete the upload", &e);
            }
            if let Err(r) = handoff::progress(&backend, handoff.as_deref(), Complete).await {
                return r;
            }
            done()
        }
        Err(AssureError::Status(StatusCode::CONFLICT | StatusCode::NOT_FOUND)) => json_error(
            StatusCode::CONFLICT,
            "this capture can no longer be completed",
        ),
        Err(e) => upstream_failure("start the verification", &e),
    }
}
