//! The demo's data views, scoped to the cookie's own dossier: the dossier, "delete my data",
//! and proxies for a process's images, video and full-result download.

use crate::assure::AssureError;
use crate::extract::Query;
use crate::http::{json_error, query_value};
use crate::ids;
use crate::state::{storage_failure, upstream_failure, Backend};
use crate::upstream::{deadline, READ_BUDGET, SESSION_BUDGET};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

/// `GET /api/videoid/dossier`: the end-user's dossier and its processes (empty without one).
/// A page view names no one: end-users (and their dossiers) are made when someone starts a
/// capture, never by a read, so a crawler or a loop of page views fills nothing.
pub(crate) async fn dossier(State(backend): State<Arc<Backend>>, headers: HeaderMap) -> Response {
    const WHAT: &str = "read your dossier";
    let none = || Json(json!({ "dossierId": null, "processes": [] })).into_response();
    let visitor = match backend.visitor(&headers).await {
        Ok(Some(v)) => v,
        Ok(None) => return none(),
        Err(e) => return storage_failure(WHAT, &e),
    };
    let Some(dossier_id) = visitor.dossier_id.as_deref() else {
        return none();
    };
    let by = deadline(READ_BUDGET);
    let dossier = match backend.assure.get_dossier(dossier_id, by).await {
        Ok(d) => d,
        Err(AssureError::Status(StatusCode::NOT_FOUND)) => return none(),
        Err(e) => return upstream_failure(WHAT, &e),
    };
    let notified = match backend.store.notified(dossier_id).await {
        Ok(n) => n,
        Err(e) => return storage_failure(WHAT, &e),
    };
    let processes: Vec<Value> = dossier["processes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let id = p["processId"].as_str().unwrap_or_default();
            // Older answers name VideoID `eid`.
            let provider = p["provider"].as_str().map(|name| {
                if name == "eid" {
                    crate::published::VIDEOID
                } else {
                    name
                }
            });
            json!({
                "processId": id,
                "provider": provider,
                "status": p["status"],
                "processType": p["processType"],
                "createdAt": p["createdAt"],
                "updatedAt": p["updatedAt"],
                "notifiedStatus": notified.get(id).map(|n| n.status.clone()),
            })
        })
        .collect();
    let mut response = Json(json!({
        "dossierId": dossier_id,
        "createdAt": dossier["createdAt"],
        "processes": processes,
    }))
    .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `DELETE /api/videoid/dossier`: "delete my data" — the dossier upstream, the record here, the cookie.
pub(crate) async fn delete_dossier(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
) -> Response {
    const WHAT: &str = "delete your data";
    let visitor = match backend.visitor(&headers).await {
        Ok(Some(v)) => v,
        Ok(None) => return json_error(StatusCode::NOT_FOUND, "there is no data to delete"),
        Err(e) => return storage_failure(WHAT, &e),
    };
    if let Some(dossier_id) = &visitor.dossier_id {
        match backend
            .assure
            .delete_dossier(dossier_id, deadline(SESSION_BUDGET))
            .await
        {
            Ok(()) => {}
            Err(e) => return upstream_failure(WHAT, &e),
        }
    }
    if let Err(e) = backend.store.remove_enduser(&visitor.key).await {
        return storage_failure(WHAT, &e);
    }
    let mut response =
        Json(json!({ "deleted": true, "dossierId": visitor.dossier_id })).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, backend.cookie(None));
    response
}

/// Proxies one media path of a process in the end-user's own dossier.
async fn proxy(
    backend: &Backend,
    headers: &HeaderMap,
    pairs: &[(String, String)],
    what: Media,
) -> Response {
    let Some(process_id) = query_value(pairs, "processId").filter(|p| ids::is_valid_id(p)) else {
        return json_error(StatusCode::BAD_REQUEST, "processId is required");
    };
    let path = match what {
        Media::Image => {
            let depiction = query_value(pairs, "depiction").unwrap_or_default();
            if !matches!(depiction, "front" | "back" | "selfie" | "portrait") {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "depiction must be front, back, selfie or portrait",
                );
            }
            format!("images?depiction={depiction}")
        }
        Media::Video => "video".to_string(),
        Media::Download => "download".to_string(),
    };
    let dossier_id = match backend.visitor(headers).await {
        Ok(visitor) => visitor.and_then(|v| v.dossier_id),
        Err(e) => return storage_failure("read the media", &e),
    };
    let Some(dossier_id) = dossier_id else {
        return json_error(StatusCode::NOT_FOUND, "not found");
    };
    let fetched = backend
        .assure
        .get_media(&dossier_id, process_id, &path, deadline(SESSION_BUDGET))
        .await;
    let (bytes, content_type) = match fetched {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NO_CONTENT.into_response(),
        Err(AssureError::Status(StatusCode::NOT_FOUND)) => {
            return json_error(StatusCode::NOT_FOUND, "not found")
        }
        Err(e) => return upstream_failure("read the media", &e),
    };
    // Images are what their bytes say, whatever the upstream's header: JPEG or PNG only (an
    // SVG is a document that runs script). The others keep their declared family.
    let content_type = match what {
        Media::Image => image_type(&bytes).map(str::to_string),
        Media::Video => Some(content_type).filter(|t| t.starts_with("video/")),
        Media::Download => Some(content_type).filter(|t| t.starts_with("application/zip")),
    };
    let Some(content_type) = content_type else {
        return upstream_failure("read the media", &AssureError::Malformed("media type"));
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    // Opened on its own, nothing in it runs or loads.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let (Media::Download, Ok(v)) = (
        what,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"videoid-{process_id}.zip\""
        )),
    ) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The image type of `bytes` by their magic numbers: JPEG or PNG, nothing else.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

#[derive(Clone, Copy)]
enum Media {
    Image,
    Video,
    Download,
}

/// `GET /api/videoid/images?processId=&depiction=`.
pub(crate) async fn image(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
    Query(pairs): Query,
) -> Response {
    proxy(&backend, &headers, &pairs, Media::Image).await
}

/// `GET /api/videoid/video?processId=`.
pub(crate) async fn video(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
    Query(pairs): Query,
) -> Response {
    proxy(&backend, &headers, &pairs, Media::Video).await
}

/// `GET /api/videoid/download?processId=`.
pub(crate) async fn download(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
    Query(pairs): Query,
) -> Response {
    proxy(&backend, &headers, &pairs, Media::Download).await
}

#[cfg(test)]
mod tests {
    use super::image_type;

    #[test]
    fn images_are_known_by_their_bytes() {
        assert_eq!(image_type(&[0xff, 0xd8, 0xff, 0xe0, 0]), Some("image/jpeg"));
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(
            image_type(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        assert_eq!(image_type(b"GIF89a"), None);
        assert_eq!(image_type(&[0xff, 0xd8]), None);
        assert_eq!(image_type(b""), None);
    }
}
