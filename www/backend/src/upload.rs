//! The native upload contract's steps and limits: which artifacts the element uploads, of
//! which types, and how large. The backend's own constants: the simulator keeps its own.

use crate::http::json_error;
use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use http_body_util::BodyExt;
use serde_json::Value;

/// The steps of a native session: the stills "Set images" takes.
pub const STEPS: &[&str] = &["front", "back", "selfie"];

/// Largest still image accepted (10 MiB).
pub const MAX_STILL_BYTES: usize = 10 << 20;
/// Largest `X-Videoid-Quality` header (4 KiB).
pub const MAX_QUALITY_BYTES: usize = 4 << 10;

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
