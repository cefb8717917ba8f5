//! The hosted capture page and its own (provider-side) API.
//!
//! With `sdk: "capture"` (or none) the page runs this component in native mode
//! (`<videoid-capture mode="native">`) against artifact-scoped endpoints that follow the
//! native capture contract: `POST …/native-session`, `PUT …/upload/{step}`,
//! `POST …/upload/complete`; completion runs the process's scenario as the page's outcome
//! buttons do. With `sdk: "native"` it runs VideoID's (simulated) web SDK from
//! `/provider/js/videoid.js` with the process's `authorization`, which uploads through the
//! provider API (`provider.rs`).

use super::media::{self, Target, STEPS};
use super::model::{Outcome, Process, Status};
use super::{now_ms, storage_error, Simulator};
use crate::http::{json_error, parse_json_request, parse_query, query_value};
use crate::ids;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

const PAGE: &str = include_str!("../../static/capture/index.html");
const SCRIPT: &str = include_str!("../../static/capture/capture.js");
const STYLE: &str = include_str!("../../static/capture/capture.css");

pub(super) fn router() -> Router<Arc<Simulator>> {
    Router::new()
        .route(
            "/capture",
            get(|| async { Redirect::permanent("/capture/") }),
        )
        .route("/capture/", get(page))
        .route(
            "/capture/capture.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .route(
            "/capture/capture.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        )
        .route("/capture/api/artifact/{artifact}", get(artifact))
        .route("/capture/api/artifact/{artifact}/finish", post(finish))
        .route(
            "/capture/api/artifact/{artifact}/native-session",
            post(native_session),
        )
        .route(
            "/capture/api/artifact/{artifact}/upload/complete",
            post(upload_complete),
        )
        .route(
            "/capture/api/artifact/{artifact}/upload/{step}",
            put(upload),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// The page's policy: its own resources only (the component's wasm, its blob: previews of
/// captures), framed by the allowlist (or nobody).
fn page_policy(frame_ancestors: &str, deny: bool) -> String {
    let ancestors = if deny { "'none'" } else { frame_ancestors };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )
}

async fn page(State(sim): State<Arc<Simulator>>, RawQuery(query): RawQuery) -> Response {
    let pairs = match parse_query(query.as_deref()) {
        Ok(pairs) => pairs,
        Err(bad) => return bad.into_response(),
    };
    let deny = query_value(&pairs, "framing") == Some("deny");
    let policy = page_policy(&sim.settings.frame_ancestors, deny);
    let Ok(policy) = HeaderValue::from_str(&policy) else {
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "invalid frame-ancestors setting",
        );
    };
    let mut response = asset("text/html; charset=utf-8", PAGE);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn artifact(State(sim): State<Arc<Simulator>>, Path(artifact): Path<String>) -> Response {
    let store = sim.store();
    let Some(process) = store.process_of_artifact(&artifact) else {
        return json_error(StatusCode::NOT_FOUND, "unknown or expired capture session");
    };
    let Some(capture) = &process.capture else {
        return json_error(StatusCode::NOT_FOUND, "unknown or expired capture session");
    };
    let mut answer = json!({
        "dossierId": process.dossier_id,
        "processId": process.process_id,
        "redirectUrl": capture.redirect_url,
        "auto": capture.auto,
        "finished": capture.finished,
        "sdk": process.sdk.as_deref().unwrap_or("capture"),
    });
    if let Some(scenario) = &process.scenario {
        answer["scenario"] = json!(scenario);
    }
    if let Some(lang) = &capture.ui_language {
        answer["uiLanguage"] = json!(lang);
    }
    // `sdk: "native"`: what the page's VideoID web SDK starts with.
    if let (Some(authorization), Some(id_type)) = (&process.authorization, capture.id_type) {
        answer["authorization"] = json!(authorization);
        answer["idType"] = json!(id_type);
        answer["providerApiUrl"] = json!(sim.provider_api_url());
    }
    let mut response = Json(answer).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Deserialize)]
struct Finish {
    outcome: String,
}

async fn finish(
    State(sim): State<Arc<Simulator>>,
    Path(artifact): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Finish = match parse_json_request(&headers, &body) {
        Ok(r) => r,
        Err(bad) => return bad,
    };
    let Some(outcome) = Outcome::parse(&request.outcome) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "outcome must be accepted, rejected, inconclusive, inconclusive-feature, failed-inactive or canceled",
        );
    };
    let mut store = sim.store();
    let Some(mut process) = store.process_of_artifact(&artifact).cloned() else {
        return json_error(StatusCode::NOT_FOUND, "unknown or expired capture session");
    };
    let Some(capture) = process.capture.as_mut() else {
        return json_error(StatusCode::NOT_FOUND, "unknown or expired capture session");
    };
    if capture.finished || process.status != Status::Pending {
        return json_error(
            StatusCode::CONFLICT,
            "this capture session has already finished",
        );
    }
    capture.finished = true;
    let (dossier_id, process_id) = (process.dossier_id.clone(), process.process_id.clone());
    if let Err(e) = sim.start_processing(&mut store, process, outcome) {
        return storage_error(e);
    }
    Json(json!({ "dossierId": dossier_id, "processId": process_id, "status": "processing" }))
        .into_response()
}

fn unknown_session() -> Response {
    json_error(StatusCode::NOT_FOUND, "unknown or expired capture session")
}

/// Where the page's component uploads (relative to the simulator origin).
fn upload_url(artifact: &str) -> String {
    format!("/capture/api/artifact/{artifact}/upload")
}

/// `POST …/native-session`: the native session answer for the page's own component.
async fn native_session(
    State(sim): State<Arc<Simulator>>,
    Path(artifact): Path<String>,
) -> Response {
    let mut store = sim.store();
    let Some(mut process) = store.process_of_artifact(&artifact).cloned() else {
        return unknown_session();
    };
    let Some(capture) = process.capture.as_mut() else {
        return unknown_session();
    };
    if capture.finished || process.status != Status::Pending {
        return json_error(
            StatusCode::CONFLICT,
            "this capture session has already finished",
        );
    }
    let lifetime = sim.settings.upload_lifetime;
    let token = capture.upload_token.get_or_insert_with(ids::token).clone();
    capture.upload_expires_at_ms = Some(now_ms() + lifetime.as_millis() as u64);
    let answer = json!({
        "dossierId": process.dossier_id,
        "processId": process.process_id,
        "expiresAt": crate::clock::rfc3339_in(lifetime),
        "uploadUrl": upload_url(&artifact),
        "uploadToken": token,
        "steps": STEPS,
        "fileFallback": true,
    });
    if let Err(e) = store.save_process(process) {
        return storage_error(e);
    }
    let mut response = Json(answer).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The process of an artifact whose upload token the request carries: 404 for an unknown
/// artifact, 401 for a missing, wrong or expired token.
fn uploading_process(
    sim: &Simulator,
    artifact: &str,
    headers: &HeaderMap,
) -> Result<Process, Response> {
    let store = sim.store();
    let process = store
        .process_of_artifact(artifact)
        .filter(|p| p.capture.is_some())
        .cloned()
        .ok_or_else(unknown_session)?;
    let unauthorized = |m: &str| json_error(StatusCode::UNAUTHORIZED, m);
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
        .ok_or_else(|| unauthorized("an upload token is required"))?;
    let capture = process.capture.as_ref().ok_or_else(unknown_session)?;
    let known = capture
        .upload_token
        .as_deref()
        .is_some_and(|t| ids::secrets_equal(t, sent));
    if !known {
        return Err(unauthorized("unknown upload token"));
    }
    if capture.upload_expires_at_ms.unwrap_or(0) <= now_ms() {
        return Err(unauthorized("the upload session has expired"));
    }
    Ok(process)
}

/// `PUT …/upload/{step}`: one artifact, stored on the process like the SDK path's uploads.
async fn upload(
    State(sim): State<Arc<Simulator>>,
    Path((artifact, step)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let process = match uploading_process(&sim, &artifact, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let target = Target {
        dossier_id: &process.dossier_id,
        process_id: &process.process_id,
    };
    match media::store_artifact(&sim, target, &step, &headers, body).await {
        Ok(stored) => (
            stored.status(),
            Json(json!({ "step": step, "bytes": stored.bytes })),
        )
            .into_response(),
        Err(r) => r,
    }
}

/// `POST …/upload/complete`: every step is in, so the process runs its scenario (as the
/// outcome buttons and `auto` do); `409 { error, missing }` otherwise. Idempotent.
async fn upload_complete(
    State(sim): State<Arc<Simulator>>,
    Path(artifact): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = uploading_process(&sim, &artifact, &headers) {
        return r;
    }
    let mut store = sim.store();
    let Some(mut process) = store.process_of_artifact(&artifact).cloned() else {
        return unknown_session();
    };
    let missing: Vec<&str> = STEPS
        .iter()
        .copied()
        .filter(|s| !process.media.contains_key(*s))
        .collect();
    let done = Json(json!({
        "dossierId": process.dossier_id,
        "processId": process.process_id,
        "status": "processing",
    }))
    .into_response();
    let Some(capture) = process.capture.as_mut() else {
        return unknown_session();
    };
    if capture.finished || process.status != Status::Pending {
        // Completed before (by these uploads): the same answer; finished otherwise: too late.
        return if missing.is_empty() && process.status != Status::Pending {
            done
        } else {
            json_error(
                StatusCode::CONFLICT,
                "this capture session has already finished",
            )
        };
    }
    if !missing.is_empty() {
        return (
            StatusCode::CONFLICT,
            Json(json!({ "error": "some steps have not been uploaded", "missing": missing })),
        )
            .into_response();
    }
    capture.finished = true;
    let outcome = process.scenario_outcome();
    if let Err(e) = sim.start_processing(&mut store, process, outcome) {
        return storage_error(e);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_uses_the_allowlist_or_none() {
        let p = page_policy("'self' http://localhost:8080", false);
        assert!(p.ends_with("frame-ancestors 'self' http://localhost:8080"));
        assert!(page_policy("'self'", true).ends_with("frame-ancestors 'none'"));
    }
}
