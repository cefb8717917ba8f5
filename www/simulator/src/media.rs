//! Images, video and the full-result download of a process, and the hosted capture page's
//! own uploads.
//!
//! Uploaded media (Set images, VideoID's web SDK, the hosted page's capture) are served
//! byte for byte as soon as they are in; a VideoID process finished on the hosted page
//! without media gets small placeholder images and a placeholder video once it has a result.

use super::model::{is_agent_reviewed, Media, Process, Status};
use super::{storage_error, Simulator};
use crate::http::{json_error, parse_query, query_value};
use crate::zip;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;

/// Largest still image accepted (10 MiB).
pub const MAX_STILL_BYTES: usize = 10 << 20;
/// Largest liveness video accepted (50 MiB).
pub const MAX_VIDEO_BYTES: usize = 50 << 20;
/// Largest `X-Videoid-Quality` header (4 KiB).
pub const MAX_QUALITY_BYTES: usize = 4 << 10;

/// The artifacts of the native capture contract.
pub const STEPS: &[&str] = &["front", "back", "selfie", "video"];

const FRONT: &[u8] = include_bytes!("../../static/placeholder/front.jpeg");
const SELFIE: &[u8] = include_bytes!("../../static/placeholder/selfie.jpeg");
const PORTRAIT: &[u8] = include_bytes!("../../static/placeholder/portrait.jpeg");

/// The media routes but `images`, whose `POST` (Set images) is the images
/// module's: the simulator's router puts [`image`] and that handler together.
pub(super) fn router() -> Router<Arc<Simulator>> {
    let process = "/assure/dossiers/{dossier_id}/processes/{process_id}";
    Router::new()
        .route(&format!("{process}/video"), get(video))
        .route(&format!("{process}/download"), get(download))
}

/// The content types an artifact may have: JPEG stills, WebM/MP4 (or QuickTime) video.
pub fn accepts(step: &str, content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if step == "video" {
        matches!(
            essence.as_str(),
            "video/webm" | "video/mp4" | "video/quicktime"
        )
    } else {
        essence == "image/jpeg"
    }
}

/// The size limit of an artifact.
pub fn limit(step: &str) -> usize {
    if step == "video" {
        MAX_VIDEO_BYTES
    } else {
        MAX_STILL_BYTES
    }
}

/// Checks an `X-Videoid-Quality` header: JSON of at most 4 KiB.
pub fn quality(headers: &HeaderMap) -> Result<Option<Value>, &'static str> {
    let Some(raw) = headers.get("x-videoid-quality") else {
        return Ok(None);
    };
    if raw.len() > MAX_QUALITY_BYTES {
        return Err("X-Videoid-Quality is larger than 4 KiB");
    }
    serde_json::from_slice(raw.as_bytes())
        .map(Some)
        .map_err(|_| "X-Videoid-Quality is not JSON")
}

/// How much of an oversized body is still read (and dropped) before its 413, so the client
/// reads the answer instead of a connection reset while it is still sending.
const DRAIN_BYTES: u64 = 64 << 20;

/// Reads a request body up to `limit` bytes; a longer one is a 413 JSON error.
pub async fn read_limited(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<axum::body::Bytes, Response> {
    let too_large = || {
        json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {limit} bytes"),
        )
    };
    let limit = limit as u64;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_BYTES) {
        return Err(too_large());
    }
    let mut over = declared.is_some_and(|n| n > limit);
    let mut kept = Vec::with_capacity(declared.unwrap_or(0).min(limit) as usize);
    let mut seen: u64 = 0;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(too_large());
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len() as u64;
        over |= seen > limit;
        if seen > DRAIN_BYTES {
            break;
        }
        if !over {
            kept.extend_from_slice(&data);
        }
    }
    if over {
        return Err(too_large());
    }
    Ok(axum::body::Bytes::from(kept))
}

/// A frameless MP4 (ISO BMFF `ftyp` + `moov`/`mvhd`): a stand-in with no real capture.
pub fn placeholder_mp4() -> Vec<u8> {
    fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out
    }
    let mut ftyp = b"isom".to_vec();
    ftyp.extend_from_slice(&0x200u32.to_be_bytes());
    ftyp.extend_from_slice(b"isomiso2mp41");
    let mut mvhd = vec![0u8; 4]; // version 0, flags
    mvhd.extend_from_slice(&[0; 8]); // creation, modification
    mvhd.extend_from_slice(&1000u32.to_be_bytes()); // timescale
    mvhd.extend_from_slice(&0u32.to_be_bytes()); // duration
    mvhd.extend_from_slice(&0x0001_0000u32.to_be_bytes()); // rate 1.0
    mvhd.extend_from_slice(&0x0100u16.to_be_bytes()); // volume 1.0
    mvhd.extend_from_slice(&[0; 10]);
    for m in [0x0001_0000u32, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] {
        mvhd.extend_from_slice(&m.to_be_bytes());
    }
    mvhd.extend_from_slice(&[0; 24]);
    mvhd.extend_from_slice(&1u32.to_be_bytes()); // next track id
    let mut out = boxed(b"ftyp", &ftyp);
    out.extend(boxed(b"moov", &boxed(b"mvhd", &mvhd)));
    out
}

/// A process's media: `(bytes, content type)`, or `None` when it has none for `depiction`.
/// Uploaded media are served as they are; VideoID's placeholders (and its portrait, which
/// VideoID cuts from the document) only once there is a result.
pub(crate) fn media_of(
    sim: &Simulator,
    process: &Process,
    depiction: &str,
) -> Result<Option<(Vec<u8>, String)>, Response> {
    if let Some(media) = process.media.get(depiction) {
        let file = sim
            .store()
            .media_file(process, depiction)
            .map_err(storage_error)?;
        let bytes = std::fs::read(file).map_err(storage_error)?;
        return Ok(Some((bytes, media.content_type.clone())));
    }
    // A process in the agents' queue has its recording: the agent reviews it.
    if !(process.status.has_results() || process.awaits_review()) || !process.is_videoid() {
        return Ok(None);
    }
    let jpeg = |b: &[u8]| Some((b.to_vec(), "image/jpeg".to_string()));
    Ok(match depiction {
        "front" => jpeg(FRONT),
        "selfie" => jpeg(SELFIE),
        "portrait" => jpeg(PORTRAIT),
        "video" => Some((placeholder_mp4(), "video/mp4".to_string())),
        _ => None,
    })
}

pub(super) fn find(
    sim: &Simulator,
    dossier_id: &str,
    process_id: &str,
) -> Result<Process, Response> {
    sim.store()
        .process(dossier_id, process_id)
        .cloned()
        .ok_or_else(|| json_error(StatusCode::NOT_FOUND, "process not found"))
}

fn bytes_response(bytes: Vec<u8>, content_type: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}

pub(super) async fn image(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let pairs = match parse_query(query.as_deref()) {
        Ok(p) => p,
        Err(bad) => return bad.into_response(),
    };
    let depiction = query_value(&pairs, "depiction").unwrap_or_default();
    if !matches!(depiction, "front" | "back" | "selfie" | "portrait") {
        return json_error(
            StatusCode::BAD_REQUEST,
            "depiction must be front, back, selfie or portrait",
        );
    }
    let process = match find(&sim, &dossier_id, &process_id) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match media_of(&sim, &process, depiction) {
        Ok(Some((bytes, content_type))) => bytes_response(bytes, &content_type),
        Ok(None) => json_error(StatusCode::NOT_FOUND, "no such image for this process"),
        Err(r) => r,
    }
}

async fn video(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
) -> Response {
    let process = match find(&sim, &dossier_id, &process_id) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match media_of(&sim, &process, "video") {
        Ok(Some((bytes, content_type))) => bytes_response(bytes, &content_type),
        Ok(None) => json_error(StatusCode::NOT_FOUND, "no video for this process"),
        Err(r) => r,
    }
}

/// The name of the video in the download: `video.mp4`, or `video.webm` for a WebM upload.
fn video_name(content_type: &str) -> &'static str {
    if content_type.starts_with("video/webm") {
        "video.webm"
    } else {
        "video.mp4"
    }
}

async fn download(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
) -> Response {
    let process = match find(&sim, &dossier_id, &process_id) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !process.status.is_final() {
        return StatusCode::NO_CONTENT.into_response();
    }
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    if let (true, Some(outcome)) = (process.status.has_results(), process.outcome) {
        let json_bytes = |v: &Value| serde_json::to_vec_pretty(v).unwrap_or_default();
        let data = process.result_data(outcome);
        let raw = data.get("ocr").unwrap_or(&data);
        entries.push(("ocr.json".into(), json_bytes(raw)));
        if is_agent_reviewed(&process.provider, process.process_type.as_deref()) {
            let review = process.manual_approval(outcome);
            entries.push(("manual_approval.json".into(), json_bytes(&review)));
        }
    }
    for depiction in ["front", "back", "selfie", "portrait", "video"] {
        match media_of(&sim, &process, depiction) {
            Ok(Some((bytes, content_type))) => {
                let name = if depiction == "video" {
                    video_name(&content_type).to_string()
                } else if content_type == "image/png" {
                    format!("{depiction}.png")
                } else {
                    format!("{depiction}.jpeg")
                };
                entries.push((name, bytes));
            }
            Ok(None) => {}
            Err(r) => return r,
        }
    }
    let mut response = bytes_response(zip::stored(&entries), "application/zip");
    if let Ok(value) = format!("attachment; filename=\"{process_id}.zip\"").parse() {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The process an artifact of the hosted capture page goes to.
#[derive(Clone, Copy)]
pub(super) struct Target<'a> {
    pub dossier_id: &'a str,
    pub process_id: &'a str,
}

/// What storing an artifact came to.
pub(super) struct Stored {
    /// False when the step was already there (the first upload is kept).
    pub created: bool,
    pub bytes: u64,
}

impl Stored {
    /// `201` for a new artifact, `200` when the first one was kept.
    pub fn status(&self) -> StatusCode {
        if self.created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        }
    }
}

/// Whether `process` is a hosted capture that still takes the page's uploads.
fn takes_artifacts(process: &Process) -> bool {
    process.status == Status::Pending
        && process
            .capture
            .as_ref()
            .is_some_and(|capture| !capture.finished)
}

/// Stores one artifact of the hosted page's capture (first one kept), with the native contract's
/// checks: step (404), type (415), quality header (400), size (413), empty (400), state (409).
pub(super) async fn store_artifact(
    sim: &Simulator,
    target: Target<'_>,
    step: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Stored, Response> {
    if !STEPS.contains(&step) {
        return Err(json_error(
            StatusCode::NOT_FOUND,
            "artifact must be front, back, selfie or video",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if !accepts(step, &content_type) {
        return Err(json_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "stills must be image/jpeg, the video video/webm or video/mp4",
        ));
    }
    let quality = quality(headers).map_err(|m| json_error(StatusCode::BAD_REQUEST, m))?;
    let existing = |process: &Process| {
        process.media.get(step).map(|m| Stored {
            created: false,
            bytes: m.bytes,
        })
    };
    let refused = || {
        json_error(
            StatusCode::CONFLICT,
            "this capture session takes no more uploads",
        )
    };
    let process = find(sim, target.dossier_id, target.process_id)?;
    if let Some(stored) = existing(&process) {
        return Ok(stored);
    }
    if !takes_artifacts(&process) {
        return Err(refused());
    }
    let bytes = read_limited(headers, body, limit(step)).await?;
    if bytes.is_empty() {
        return Err(json_error(StatusCode::BAD_REQUEST, "the artifact is empty"));
    }
    let staged = sim.store().data().stage(&bytes).map_err(storage_error)?;
    let mut store = sim.store();
    // Look again under the lock: the process may have changed while the body arrived.
    let Some(process) = store.process(target.dossier_id, target.process_id).cloned() else {
        return Err(json_error(StatusCode::NOT_FOUND, "process not found"));
    };
    if let Some(stored) = existing(&process) {
        return Ok(stored);
    }
    if !takes_artifacts(&process) {
        return Err(refused());
    }
    let media = Media {
        content_type: content_type.clone(),
        bytes: bytes.len() as u64,
        quality,
    };
    store
        .put_media(process, step, staged, media)
        .map_err(storage_error)?;
    Ok(Stored {
        created: true,
        bytes: bytes.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_per_step() {
        assert!(accepts("front", "image/jpeg"));
        assert!(accepts("video", "video/webm; codecs=vp9"));
        assert!(accepts("video", "video/mp4"));
        assert!(!accepts("front", "image/png"));
        assert!(!accepts("video", "image/jpeg"));
        assert!(!accepts("selfie", ""));
        assert_eq!(limit("video"), 50 << 20);
        assert_eq!(limit("back"), 10 << 20);
    }

    #[test]
    fn placeholders_look_like_their_formats() {
        let mp4 = placeholder_mp4();
        assert_eq!(&mp4[4..8], b"ftyp");
        assert_eq!(u32::from_be_bytes(mp4[0..4].try_into().unwrap()), 28);
        assert_eq!(&mp4[32..36], b"moov");
        for jpeg in [FRONT, SELFIE, PORTRAIT] {
            assert_eq!(&jpeg[..3], &[0xff, 0xd8, 0xff]);
        }
    }
}
