//! VideoID's own side at `providerApiUrl` (`{simulator}/provider`): its web SDK
//! (`/js/videoid.js`) and the API that SDK talks to with a process's `authorization`.
//!
//! ```text
//! POST {providerApiUrl}/api/videos                            { idType } → 201 { id, idType, phases }
//! PUT  {providerApiUrl}/api/videos/{id}/images/{front|back|face}   image/jpeg → 201 { phase, bytes }
//! PUT  {providerApiUrl}/api/videos/{id}/recording             video/webm|mp4 → 201 { bytes }
//! POST {providerApiUrl}/api/videos/{id}/complete              → 200 { id, status: "processing" }
//! ```
//! Every call carries `Authorization: Bearer {authorization}`. An authorization is bound to
//! its process, expires, and opens one video session: once that session is completed it is
//! spent. Errors are `{ "error", "code" }` (`authorization-missing`, `authorization-invalid`,
//! `authorization-expired`, `authorization-used`, `unknown-id-type`, `unknown-video`,
//! `unknown-phase`, `process-not-pending`, `unsupported-type`, `empty`, `too-large`,
//! `media-missing` with `missing`). The API answers any origin (CORS), as the real one is
//! called from the integrator's pages.

use super::media::{read_limited, MAX_STILL_BYTES, MAX_VIDEO_BYTES};
use super::model::{self, Media, Process, Status, VideoSession};
use super::store::Store;
use super::{now_ms, storage_error, Simulator};
use crate::clock::now_rfc3339;
use crate::http::{essence, parse_json_request};
use crate::ids;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

const SDK: &str = include_str!("../../static/provider/videoid.js");
const ATTENDED_SDK: &str = include_str!("../../static/provider/videoidattended.js");

pub(super) fn router() -> Router<Arc<Simulator>> {
    let api = Router::new()
        .route("/provider/api/videos", post(open_video))
        .route(
            "/provider/api/videos/{video_id}/images/{phase}",
            put(put_image),
        )
        .route(
            "/provider/api/videos/{video_id}/recording",
            put(put_recording),
        )
        .route("/provider/api/videos/{video_id}/complete", post(complete))
        .route_layer(middleware::from_fn(cors));
    Router::new()
        .route("/provider/js/videoid.js", get(sdk))
        .route("/provider/js/videoidattended.js", get(attended_sdk))
        .route("/provider/ws/call", get(super::calls::user_socket))
        .merge(api)
}

/// The web SDK, loadable from any origin.
async fn sdk() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        SDK,
    )
        .into_response()
}

/// The attended web SDK (live interview), loadable from any origin.
async fn attended_sdk() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        ATTENDED_SDK,
    )
        .into_response()
}

/// Answers preflights and lets any origin read the answers (the bearer token is the only
/// credential; cookies are never read).
async fn cors(request: Request, next: Next) -> Response {
    let mut response = if request.method() == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("POST, PUT"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        next.run(request).await
    };
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// An error of the provider API: `{ "error", "code" }`.
fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error": message, "code": code }))).into_response()
}

fn unauthorized(code: &str, message: &str) -> Response {
    let mut response = api_error(StatusCode::UNAUTHORIZED, code, message);
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// The process whose authorization the request carries (and, with `video_id`, whose open
/// video session that is), checked: known, not expired, not spent, still pending.
fn authorized(
    store: &Store,
    headers: &HeaderMap,
    video_id: Option<&str>,
) -> Result<Process, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
        .ok_or_else(|| unauthorized("authorization-missing", "an authorization is required"))?;
    let process = store
        .process_of_authorization(token)
        .cloned()
        .ok_or_else(|| unauthorized("authorization-invalid", "unknown authorization"))?;
    if process.authorization_expires_at_ms.unwrap_or(0) <= now_ms() {
        return Err(unauthorized(
            "authorization-expired",
            "the authorization has expired",
        ));
    }
    if process.video.as_ref().is_some_and(|v| v.completed) {
        return Err(unauthorized(
            "authorization-used",
            "the authorization has been used",
        ));
    }
    if let Some(video_id) = video_id {
        if process.video.as_ref().is_none_or(|v| v.id != video_id) {
            return Err(api_error(
                StatusCode::NOT_FOUND,
                "unknown-video",
                "no such video for this authorization",
            ));
        }
    }
    let finished = process.capture.as_ref().is_some_and(|c| c.finished);
    if process.status != Status::Pending || finished {
        return Err(api_error(
            StatusCode::CONFLICT,
            "process-not-pending",
            "the process no longer takes a video",
        ));
    }
    Ok(process)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenVideo {
    id_type: Value,
}

/// `POST /provider/api/videos`: opens the authorization's one video session.
async fn open_video(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut store = sim.store();
    let mut process = match authorized(&store, &headers, None) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if process.video.is_some() {
        return unauthorized(
            "authorization-used",
            "the authorization has already opened a video session",
        );
    }
    let request: OpenVideo = match parse_json_request(&headers, &body) {
        Ok(r) => r,
        Err(_) => {
            return api_error(
                StatusCode::BAD_REQUEST,
                "bad-request",
                "the body must be JSON { idType }",
            )
        }
    };
    let document = request
        .id_type
        .as_u64()
        .and_then(|id| u32::try_from(id).ok())
        .and_then(model::document_type_by_id);
    let Some(document) = document else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "unknown-id-type",
            "idType is not a document type id of signicatvideoid",
        );
    };
    let video = VideoSession {
        id: ids::uuid(),
        id_type: document.id,
        phases: document.phases(),
        started_at: now_rfc3339(),
        completed: false,
    };
    let mut answer = json!({
        "id": video.id,
        "idType": video.id_type,
        "phases": video.phases,
    });
    // The simulated end-user of `no-interaction` never shows the document.
    if process.scenario.as_deref() == Some("no-interaction") {
        answer["simulator"] = json!({ "waitAt": "FRONT" });
    }
    process.video = Some(video);
    process.updated_at = now_rfc3339();
    if let Err(e) = store.save_process(process) {
        return storage_error(e);
    }
    (StatusCode::CREATED, Json(answer)).into_response()
}

/// Stores one medium of the request's open video session (a later upload replaces it).
async fn store_medium(
    sim: &Simulator,
    headers: &HeaderMap,
    video_id: &str,
    name: &str,
    content_type: String,
    body: Body,
    limit: usize,
) -> Result<u64, Response> {
    authorized(&sim.store(), headers, Some(video_id))?;
    let bytes = read_limited(headers, body, limit).await.map_err(|_| {
        api_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "the upload is too large",
        )
    })?;
    if bytes.is_empty() {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "empty",
            "the upload is empty",
        ));
    }
    let staged = sim.store().data().stage(&bytes).map_err(storage_error)?;
    let mut store = sim.store();
    // Check again under the lock: the session may have completed while the body arrived.
    let process = authorized(&store, headers, Some(video_id))?;
    let media = Media {
        content_type,
        bytes: bytes.len() as u64,
        quality: None,
    };
    store
        .put_media(process, name, staged, media)
        .map_err(storage_error)?;
    Ok(bytes.len() as u64)
}

/// `PUT …/images/{front|back|face}`: the still of a phase (the face is the process's selfie).
async fn put_image(
    State(sim): State<Arc<Simulator>>,
    Path((video_id, phase)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let phases = match authorized(&sim.store(), &headers, Some(&video_id)) {
        Ok(p) => p.video.map(|v| v.phases).unwrap_or_default(),
        Err(r) => return r,
    };
    if !phases.iter().any(|p| p.eq_ignore_ascii_case(&phase)) {
        return api_error(
            StatusCode::NOT_FOUND,
            "unknown-phase",
            "not a phase of this video",
        );
    }
    let content_type = essence(&headers);
    if content_type != "image/jpeg" {
        return api_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-type",
            "stills are image/jpeg",
        );
    }
    let name = if phase == "face" {
        "selfie"
    } else {
        phase.as_str()
    };
    match store_medium(
        &sim,
        &headers,
        &video_id,
        name,
        content_type,
        body,
        MAX_STILL_BYTES,
    )
    .await
    {
        Ok(bytes) => (
            StatusCode::CREATED,
            Json(json!({ "phase": phase, "bytes": bytes })),
        )
            .into_response(),
        Err(r) => r,
    }
}

/// `PUT …/recording`: the session's video.
async fn put_recording(
    State(sim): State<Arc<Simulator>>,
    Path(video_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let content_type = essence(&headers);
    if !matches!(
        content_type.as_str(),
        "video/webm" | "video/mp4" | "video/quicktime"
    ) {
        // A known video but a wrong type: say so after the authorization is checked.
        if let Err(r) = authorized(&sim.store(), &headers, Some(&video_id)) {
            return r;
        }
        return api_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-type",
            "the recording is video/webm, video/mp4 or video/quicktime",
        );
    }
    match store_medium(
        &sim,
        &headers,
        &video_id,
        "video",
        content_type,
        body,
        MAX_VIDEO_BYTES,
    )
    .await
    {
        Ok(bytes) => (StatusCode::CREATED, Json(json!({ "bytes": bytes }))).into_response(),
        Err(r) => r,
    }
}

/// `POST …/complete`: the video is done; the authorization is spent and the process runs its
/// scenario (`processing`, then its final status).
async fn complete(
    State(sim): State<Arc<Simulator>>,
    Path(video_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut store = sim.store();
    let mut process = match authorized(&store, &headers, Some(&video_id)) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let missing = process.missing_media();
    if !missing.is_empty() {
        return (
            StatusCode::CONFLICT,
            Json(json!({
                "error": "the video is not complete",
                "code": "media-missing",
                "missing": missing,
            })),
        )
            .into_response();
    }
    if let Some(video) = process.video.as_mut() {
        video.completed = true;
    }
    if let Some(capture) = process.capture.as_mut() {
        capture.finished = true;
    }
    let outcome = process.scenario_outcome();
    if let Err(e) = sim.start_processing(&mut store, process, outcome) {
        return storage_error(e);
    }
    Json(json!({ "id": video_id, "status": "processing" })).into_response()
}
