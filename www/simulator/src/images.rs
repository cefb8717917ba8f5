//! "Set images": `POST …/processes/{p}/images` with `{ "front"?, "back"?, "selfie"? }`, each
//! a JPEG or PNG dataURL, for the providers that take direct uploads (Onfido, Signicat Paper,
//! FaceTec). The same depiction sent again replaces the earlier one; nothing is taken once
//! verification has started. Get images (`?depiction=`) serves the bytes back.

use super::media::{self, read_limited, MAX_STILL_BYTES};
use super::model::{Media, Status};
use super::{storage_error, Simulator};
use crate::http::{json_error, parse_json_request};
use crate::published;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Map, Value};
use std::sync::Arc;

/// The depictions Set images takes.
pub const DEPICTIONS: &[&str] = &["front", "back", "selfie"];

/// Largest Set images body: three stills of 10 MiB as base64, with room for the JSON.
pub const MAX_BODY_BYTES: usize = 3 * (MAX_STILL_BYTES / 3 * 4 + 4) + 4096;

/// A decoded image of a dataURL.
#[derive(Debug, PartialEq, Eq)]
pub struct Image {
    /// `image/jpeg` or `image/png`.
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Why a dataURL is not an image Set images takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAnImage {
    /// Not `data:image/jpeg;base64,…` or `data:image/png;base64,…`.
    NotADataUrl,
    /// The base64 part does not decode.
    BadBase64,
    /// Nothing after the comma.
    Empty,
    /// Larger than a still may be.
    TooLarge,
    /// The bytes are not the declared format.
    WrongFormat,
}

impl NotAnImage {
    fn message(self) -> &'static str {
        match self {
            NotAnImage::NotADataUrl => {
                "must be a JPEG or PNG dataURL (data:image/jpeg;base64,… or data:image/png;base64,…)"
            }
            NotAnImage::BadBase64 => "is not valid base64",
            NotAnImage::Empty => "is empty",
            NotAnImage::TooLarge => "is larger than 10 MiB",
            NotAnImage::WrongFormat => "does not hold the image format it declares",
        }
    }
}

/// Decodes a JPEG or PNG dataURL and checks that the bytes are that format.
pub fn decode_data_url(value: &str) -> Result<Image, NotAnImage> {
    let rest = value.strip_prefix("data:").ok_or(NotAnImage::NotADataUrl)?;
    let (meta, data) = rest.split_once(',').ok_or(NotAnImage::NotADataUrl)?;
    let mut parts = meta.split(';').map(|p| p.trim().to_ascii_lowercase());
    let content_type = match parts.next().as_deref() {
        Some("image/jpeg" | "image/jpg") => "image/jpeg",
        Some("image/png") => "image/png",
        _ => return Err(NotAnImage::NotADataUrl),
    };
    if !parts.any(|p| p == "base64") {
        return Err(NotAnImage::NotADataUrl);
    }
    if data.is_empty() {
        return Err(NotAnImage::Empty);
    }
    if data.len() > MAX_STILL_BYTES / 3 * 4 + 4 {
        return Err(NotAnImage::TooLarge);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| NotAnImage::BadBase64)?;
    if bytes.len() > MAX_STILL_BYTES {
        return Err(NotAnImage::TooLarge);
    }
    let magic: &[u8] = if content_type == "image/png" {
        b"\x89PNG\r\n\x1a\n"
    } else {
        b"\xff\xd8\xff"
    };
    if !bytes.starts_with(magic) {
        return Err(NotAnImage::WrongFormat);
    }
    Ok(Image {
        content_type,
        bytes,
    })
}

/// Reads the request's depictions: each a known name with a JPEG/PNG dataURL; at least one.
fn depictions(body: &Map<String, Value>) -> Result<Vec<(String, Image)>, String> {
    let mut images = Vec::new();
    for (name, value) in body {
        if !DEPICTIONS.contains(&name.as_str()) {
            return Err(format!(
                "{name} is not a depiction: use front, back or selfie"
            ));
        }
        let Some(text) = value.as_str() else {
            return Err(format!("{name} must be a dataURL string"));
        };
        let image = decode_data_url(text).map_err(|e| format!("{name} {}", e.message()))?;
        images.push((name.clone(), image));
    }
    if images.is_empty() {
        return Err("name at least one of front, back and selfie".to_string());
    }
    Ok(images)
}

/// `POST …/processes/{p}/images`: `201` with the images stored; `400` for a provider without
/// direct upload and for a value that is not a JPEG/PNG dataURL; `409` once verification started.
pub(super) async fn set_images(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match read_limited(&headers, body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let request: Value = match parse_json_request(&headers, &body) {
        Ok(v) => v,
        Err(bad) => return bad,
    };
    let Some(request) = request.as_object() else {
        return json_error(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let process = match media::find(&sim, &dossier_id, &process_id) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !published::takes_direct_upload(&process.provider) {
        return json_error(
            StatusCode::BAD_REQUEST,
            format!(
                "direct upload is only available for Onfido, Signicat Paper and FaceTec, not {}",
                process.provider
            ),
        );
    }
    let images = match depictions(request) {
        Ok(i) => i,
        Err(message) => return json_error(StatusCode::BAD_REQUEST, message),
    };
    let mut staged = Vec::new();
    for (name, image) in images {
        let file = match sim.store().data().stage(&image.bytes) {
            Ok(f) => f,
            Err(e) => return storage_error(e),
        };
        let media = Media {
            content_type: image.content_type.to_string(),
            bytes: image.bytes.len() as u64,
            quality: None,
        };
        staged.push((name, file, media));
    }
    let mut store = sim.store();
    // Look again under the lock: verification may have started while the body arrived.
    let Some(process) = store.process(&dossier_id, &process_id).cloned() else {
        return json_error(StatusCode::NOT_FOUND, "process not found");
    };
    if process.status != Status::Pending {
        return json_error(
            StatusCode::CONFLICT,
            "verification has started: the images can no longer change",
        );
    }
    match store.put_all_media(process, staged) {
        Ok(()) => StatusCode::CREATED.into_response(),
        Err(e) => storage_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_url(content_type: &str, bytes: &[u8]) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        format!("data:{content_type};base64,{b64}")
    }

    #[test]
    fn jpeg_and_png_data_urls_decode() {
        let jpeg = data_url("image/jpeg", b"\xff\xd8\xff\xe0rest");
        assert_eq!(
            decode_data_url(&jpeg),
            Ok(Image {
                content_type: "image/jpeg",
                bytes: b"\xff\xd8\xff\xe0rest".to_vec()
            })
        );
        let png = data_url("IMAGE/PNG", b"\x89PNG\r\n\x1a\nrest");
        assert_eq!(decode_data_url(&png).unwrap().content_type, "image/png");
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        use NotAnImage::*;
        for (value, why) in [
            ("/9j/4AAQ".to_string(), NotADataUrl),
            ("data:image/gif;base64,R0lGOD".to_string(), NotADataUrl),
            ("data:image/jpeg,rawtext".to_string(), NotADataUrl),
            ("data:image/jpeg;base64".to_string(), NotADataUrl),
            ("data:image/jpeg;base64,".to_string(), Empty),
            ("data:image/jpeg;base64,***".to_string(), BadBase64),
            (data_url("image/png", b"\xff\xd8\xff\xe0"), WrongFormat),
            (data_url("image/jpeg", b"GIF89a"), WrongFormat),
            (
                data_url("image/jpeg", &vec![0xff; MAX_STILL_BYTES + 1]),
                TooLarge,
            ),
        ] {
            assert_eq!(decode_data_url(&value), Err(why), "{:.40}", value);
        }
    }

    #[test]
    fn requests_name_known_depictions_only() {
        let jpeg = Value::String(data_url("image/jpeg", b"\xff\xd8\xff\xe0"));
        let mut body = Map::new();
        assert!(depictions(&body).is_err(), "nothing to set");
        body.insert("front".into(), jpeg.clone());
        body.insert("selfie".into(), jpeg.clone());
        let names: Vec<String> = depictions(&body)
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["front", "selfie"]);
        body.insert("portrait".into(), jpeg);
        assert!(depictions(&body).unwrap_err().contains("portrait"));
        let mut body = Map::new();
        body.insert("back".into(), Value::Null);
        assert!(depictions(&body).is_err());
    }
}
