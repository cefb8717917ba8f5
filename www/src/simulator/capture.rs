//! The hosted capture page and its simulator-internal artifact API.

use super::model::{Outcome, Status};
use super::{storage_error, Simulator};
use crate::{json_error, parse_json_request, parse_query, query_value};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
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

/// The page's policy: its own resources only, framed by the allowlist (or nobody).
fn page_policy(frame_ancestors: &str, deny: bool) -> String {
    let ancestors = if deny { "'none'" } else { frame_ancestors };
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
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
    Json(json!({
        "dossierId": process.dossier_id,
        "processId": process.process_id,
        "redirectUrl": capture.redirect_url,
        "scenario": process.scenario,
        "auto": capture.auto,
        "finished": capture.finished,
        "uiLanguage": capture.ui_language,
    }))
    .into_response()
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
