//! `POST /api/videoid/session` and `GET /api/videoid/result`: the two calls every mode of the
//! element makes (the hosted flow here; native and SDK sessions in their own modules).

use crate::assure::AssureError;
use crate::documents::DocumentChoice;
use crate::extract::{JsonBody, Query};
use crate::framing::Origin;
use crate::framing::{self, Framing};
use crate::http::{json_error, query_value};
use crate::state::{
    failure_response, is_language_tag, simulator_knobs, storage_failure, upstream_failure, Backend,
    Failure, SimulatorKnobs, Visitor,
};
use crate::{handoff, ids, native, sdk, upstream};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::time::Instant;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionRequest {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    /// `mode: "sdk"`: the document type to capture (an id, a `type`, or `COUNTRY:type`).
    #[serde(default)]
    document_type: Option<Value>,
}

/// What the element asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The hosted capture flow (`embed`, `auto`, or none).
    Hosted,
    /// The element's own camera, uploads relayed to "Set images".
    Native,
    /// VideoID's web SDK in the host's page.
    Sdk,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionAnswer {
    url: String,
    dossier_id: String,
    expires_at: String,
    framing: Framing,
}

/// `POST /api/videoid/session`, counted by mode and outcome.
pub(crate) async fn session(
    State(backend): State<Arc<Backend>>,
    Query(pairs): Query,
    headers: HeaderMap,
    JsonBody(request): JsonBody<SessionRequest>,
) -> Response {
    let mode = match request.mode.as_deref() {
        None | Some("" | "embed" | "auto") => "hosted",
        Some("native") => "native",
        Some("sdk") => "sdk",
        Some(_) => "invalid",
    };
    let response = start_session(backend.clone(), pairs, headers, request).await;
    backend.metrics.session(mode, response.status());
    response
}

async fn start_session(
    backend: Arc<Backend>,
    pairs: Vec<(String, String)>,
    headers: HeaderMap,
    request: SessionRequest,
) -> Response {
    let lang = request.lang.filter(|l| !l.is_empty());
    if lang.as_deref().is_some_and(|l| !is_language_tag(l)) {
        return json_error(StatusCode::BAD_REQUEST, "lang is not a language tag");
    }
    let mode = match request.mode.as_deref() {
        None | Some("" | "embed" | "auto") => Mode::Hosted,
        Some("native") => Mode::Native,
        Some("sdk") => Mode::Sdk,
        Some(_) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "mode must be embed, auto, native or sdk",
            )
        }
    };
    let document_type = match (mode, request.document_type) {
        (Mode::Sdk, Some(value)) if !value.is_null() => match DocumentChoice::from_json(&value) {
            Some(choice) => Some(choice),
            None => {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "documentType must be a document type id, a published type or COUNTRY:type",
                )
            }
        },
        _ => None,
    };
    let knobs = if backend.simulator_mode {
        match simulator_knobs(&pairs) {
            Ok(knobs) => Some(knobs),
            Err(message) => return json_error(StatusCode::BAD_REQUEST, message),
        }
    } else {
        None
    };
    if knobs
        .as_ref()
        .is_some_and(|k| k.scenario.as_deref() == Some("backend-error"))
    {
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the verification service is unavailable (simulated backend error)",
        );
    }
    const WHAT: &str = "start an identity verification session";
    let by = upstream::deadline(upstream::SESSION_BUDGET);
    let (mut visitor, phone) = match handoff::phone_visitor(&backend, &headers).await {
        Ok(Some((visitor, handoff))) => (visitor, Some(handoff)),
        Ok(None) => match backend.visitor_or_new(&headers).await {
            Ok(visitor) => (visitor, None),
            Err(e) => return storage_failure(WHAT, &e),
        },
        Err(ended) => return ended,
    };
    let failed = |failure: Failure| failure_response(WHAT, &failure);
    let answer = match mode {
        Mode::Native => native::start(&backend, &mut visitor, knobs.as_ref(), by)
            .await
            .map_err(failed),
        Mode::Sdk => {
            match sdk::start(&backend, &mut visitor, knobs.as_ref(), document_type, by).await {
                Ok(answer) => Ok(answer),
                Err(sdk::SdkError::Backend(e)) => Err(failed(e)),
                Err(sdk::SdkError::UnknownDocumentType { requested: true }) => Err(json_error(
                    StatusCode::BAD_REQUEST,
                    "documentType is not a document type VideoID offers",
                )),
                Err(sdk::SdkError::UnknownDocumentType { requested: false }) => {
                    tracing::error!(
                        "VIDEOID_SDK_DOCUMENT_TYPE names a document type VideoID does not offer"
                    );
                    Err(json_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "the configured document type is not offered",
                    ))
                }
            }
        }
        Mode::Hosted => {
            let origin = backend.session_page_origin(&headers).to_string();
            start_embed(
                &backend,
                &mut visitor,
                &origin,
                lang.as_deref(),
                knobs.as_ref(),
                by,
            )
            .await
            .map_err(failed)
        }
    };
    let answer = match (answer, &phone) {
        (Ok(body), Some(handoff)) => {
            match handoff::record_session(&backend, handoff, &body).await {
                Ok(()) => Ok(body),
                Err(ended) => Err(ended),
            }
        }
        (answer, _) => answer,
    };
    let mut response = match answer {
        Ok(body) => {
            let mut response = Json(body).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(response) => response,
    };
    // Also on a failure: a retry then is the same end-user.
    if visitor.named_now {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, backend.cookie(Some(&visitor.cookie)));
    }
    response
}

async fn start_embed(
    backend: &Backend,
    visitor: &mut Visitor,
    page_origin: &str,
    lang: Option<&str>,
    knobs: Option<&SimulatorKnobs>,
    by: Instant,
) -> Result<Value, Failure> {
    let sdk = knobs
        .and_then(|k| k.capture_sdk.as_deref())
        .unwrap_or(&backend.capture_sdk);
    let mut request = json!({
        "providers": [{ "provider": "signicatvideoid", "processType": backend.process_type(knobs) }],
        "sdk": sdk,
        "redirectUrl": format!("{page_origin}/videoid/return"),
    });
    if let Some(lang) = lang {
        request["captureParameters"] = json!({ "uiLanguage": lang });
    }
    if let Some(knobs) = knobs {
        request["simulator"] = json!({
            "scenario": knobs.scenario,
            "auto": knobs.auto,
            "framing": knobs.framing,
        });
    }
    let (assure, request) = (&backend.assure, &request);
    let (dossier_id, url) = backend
        .create_process(visitor, by, move |dossier_id: String| async move {
            assure.start_capture(&dossier_id, request, by).await
        })
        .await?;
    let framing = match Origin::parse(page_origin) {
        Some(origin) => {
            let check = framing::check(&backend.http, &url, &origin);
            tokio::time::timeout_at(by, check)
                .await
                .unwrap_or(Framing::Unknown)
        }
        None => Framing::Unknown,
    };
    let answer = SessionAnswer {
        url,
        dossier_id,
        expires_at: crate::clock::rfc3339_in(backend.session_lifetime),
        framing,
    };
    Ok(json!(answer))
}

/// `dossierId` and `processId` from a query, both valid ids; otherwise a 400.
fn process_ids(pairs: &[(String, String)]) -> Result<(String, String), Response> {
    let (Some(dossier_id), Some(process_id)) = (
        query_value(pairs, "dossierId"),
        query_value(pairs, "processId"),
    ) else {
        return Err(json_error(
            StatusCode::BAD_REQUEST,
            "dossierId and processId are required",
        ));
    };
    if !ids::is_valid_id(dossier_id) || !ids::is_valid_id(process_id) {
        return Err(json_error(
            StatusCode::BAD_REQUEST,
            "dossierId or processId is not a valid id",
        ));
    }
    Ok((dossier_id.to_string(), process_id.to_string()))
}

/// `GET /api/videoid/result`: a process of the cookie's own dossier. The ids travel in
/// the return URL (history, logs, referrers) and the answer holds personal data, so
/// another end-user, or a request without the cookie, gets the same 404 as an unknown id.
pub(crate) async fn result(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
    Query(pairs): Query,
) -> Response {
    let (dossier_id, process_id) = match process_ids(&pairs) {
        Ok(ids) => ids,
        Err(bad) => return bad,
    };
    let unknown = || json_error(StatusCode::NOT_FOUND, "unknown dossier or process");
    let owns = match backend.visitor(&headers).await {
        Ok(visitor) => visitor.is_some_and(|v| v.dossier_id.as_deref() == Some(&dossier_id)),
        Err(e) => return storage_failure("read the verification result", &e),
    };
    // A phone reads the process its handoff started, and only that one.
    let phone = if owns {
        None
    } else {
        match handoff::phone_reads(&backend, &headers, &dossier_id, &process_id).await {
            Ok(Some(read)) => Some(read),
            Ok(None) => return unknown(),
            Err(e) => return storage_failure("read the verification result", &e),
        }
    };
    // Assure looks the process up inside the dossier: one of another dossier is a 404.
    let by = upstream::deadline(upstream::READ_BUDGET);
    match backend
        .assure
        .get_process(&dossier_id, &process_id, by)
        .await
    {
        Ok(process) => {
            if let Some(read) = &phone {
                // Assure answered for it in the handoff's dossier: now it may be bound.
                match handoff::bind_confirmed(&backend, read, &process_id).await {
                    Ok(true) => {}
                    Ok(false) => return unknown(),
                    Err(e) => return storage_failure("read the verification result", &e),
                }
            }
            // The phone's capture ended (a hosted flow's return, the web SDK's end).
            if phone.is_some() && process["status"] != "pending" {
                let to = crate::store::HandoffStatus::Complete;
                let id = phone.as_ref().map(|read| read.handoff_id.as_str());
                if let Err(r) = handoff::progress(&backend, id, to).await {
                    return r;
                }
            }
            let mut response = Json::<Value>(process).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(AssureError::Status(StatusCode::NOT_FOUND)) => unknown(),
        Err(e) => upstream_failure("read the verification result", &e),
    }
}
