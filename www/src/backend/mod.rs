//! The reference host backend: what the element calls, the webhook, and the demo's own data views.
//!
//! - `POST /api/videoid/session` finds the end-user's dossier (cookie
//!   `videoid_user`, created on first use), then starts the hosted capture
//!   flow (embed/auto), creates a VideoID process for VideoID's web SDK
//!   (`mode: "sdk"`), or creates a process of a provider that takes direct
//!   uploads with an upload session (native);
//! - `PUT /api/videoid/upload/{step}`, `POST /api/videoid/upload/complete`:
//!   the native upload contract, relayed to Assure's "Set images" and
//!   "start verification";
//! - `GET /api/videoid/result` reads a process of the cookie's own dossier;
//! - `POST /api/videoid/events` receives Assure's `process.complete` webhook;
//! - `POST /api/videoid/handoff` and its `events`, `DELETE` and `phone` routes hand a capture
//!   over to the end-user's phone (see [`handoff`]); the phone's cookie `videoid_handoff` makes
//!   its session calls act for the desktop's end-user;
//! - `GET`/`DELETE /api/videoid/dossier` and the media proxies
//!   (`images`, `video`, `download`) serve the demo's result view, scoped to
//!   the cookie's own dossier.
//!
//! Client credentials, Assure tokens and upstream bodies never reach the browser.

mod cors;
pub mod endusers;
mod events;
pub mod handoff;
mod media;
mod native;
mod sdk;
pub mod upstream;

pub use sdk::DocumentChoice;

use crate::assure::{AssureClient, AssureError};
use crate::framing::{self, Framing, Origin};
use crate::store::{EndUserKey, Store, StoreError};
use crate::{ids, json_error, parse_json_request, parse_query, query_value};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Simulator scenarios the session endpoint passes on.
pub const SCENARIOS: &[&str] = &[
    "accepted",
    "rejected",
    "inconclusive",
    "inconclusive-feature",
    "failed-inactive",
    "failed",
    "canceled",
    "no-interaction",
    "backend-error",
];

/// How long the end-user cookie lives (a year; "delete my data" ends it earlier).
const COOKIE_MAX_AGE: u64 = 365 * 24 * 3600;

/// What the backend is built from.
pub struct Settings {
    /// The Assure API (the simulator or the real one).
    pub assure: AssureClient,
    /// For the framing check.
    pub http: reqwest::Client,
    /// The host origin, e.g. `http://localhost:8080`.
    pub host_url: String,
    /// True when `assure` is the simulator: the test-only query (scenarios) works.
    pub simulator_mode: bool,
    /// End-users, upload sessions, webhook events (SQLite or PostgreSQL).
    pub store: Arc<dyn Store>,
    /// Origins allowed to call cross-origin.
    pub cors_origins: Vec<String>,
    /// How long a capture URL, an upload token or an SDK authorization may be used.
    pub session_lifetime: Duration,
    /// The `sdk` of "Start capture flow": `capture` or `native`.
    pub capture_sdk: String,
    /// The provider of native processes (one that takes "Set images").
    pub native_provider: String,
    /// The `processType` of native processes, when one is set.
    pub native_process_type: Option<String>,
    /// The document type of SDK sessions whose request names none.
    pub sdk_document_type: DocumentChoice,
}

/// The backend's state.
pub struct Backend {
    assure: AssureClient,
    http: reqwest::Client,
    host_url: String,
    loopback_alias: String,
    simulator_mode: bool,
    store: Arc<dyn Store>,
    cors_origins: Vec<String>,
    session_lifetime: Duration,
    capture_sdk: String,
    native_provider: String,
    native_process_type: Option<String>,
    sdk_document_type: DocumentChoice,
    document_types: tokio::sync::Mutex<sdk::DocumentTypes>,
}

impl Backend {
    /// Opens the backend's state.
    pub fn open(settings: Settings) -> io::Result<Arc<Backend>> {
        let host_url = settings.host_url;
        if Origin::parse(&host_url).is_none() {
            return Err(io::Error::other(format!(
                "not an http(s) origin: {host_url}"
            )));
        }
        let loopback_alias = host_url.replacen("://localhost:", "://127.0.0.1:", 1);
        Ok(Arc::new(Backend {
            assure: settings.assure,
            http: settings.http,
            host_url,
            loopback_alias,
            simulator_mode: settings.simulator_mode,
            store: settings.store,
            cors_origins: settings.cors_origins,
            session_lifetime: settings.session_lifetime,
            capture_sdk: settings.capture_sdk,
            native_provider: settings.native_provider,
            native_process_type: settings.native_process_type,
            sdk_document_type: settings.sdk_document_type,
            document_types: Default::default(),
        }))
    }

    /// The origin the page was loaded from: the configured one, or its
    /// `127.0.0.1` alias when the browser used that (the return page must be same-origin).
    fn page_origin(&self, headers: &HeaderMap) -> &str {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let alias_host = self.loopback_alias.split_once("://").map(|(_, h)| h);
        if host.is_some() && host == alias_host {
            &self.loopback_alias
        } else {
            &self.host_url
        }
    }

    /// The end-user the request's cookie names, when the database knows them.
    async fn visitor(&self, headers: &HeaderMap) -> Result<Option<Visitor>, StoreError> {
        let Some(cookie) = cookie_value(headers, endusers::COOKIE) else {
            return Ok(None);
        };
        let key = EndUserKey::of_cookie(&cookie);
        Ok(self.store.enduser(&key).await?.map(|user| Visitor {
            cookie,
            key,
            dossier_id: user.dossier_id,
            named_now: false,
        }))
    }

    /// The request's end-user, or a new one (no dossier yet) whom the answer names with the
    /// cookie.
    async fn visitor_or_new(&self, headers: &HeaderMap) -> Result<Visitor, StoreError> {
        if let Some(visitor) = self.visitor(headers).await? {
            return Ok(visitor);
        }
        let cookie = ids::token();
        let key = EndUserKey::of_cookie(&cookie);
        let now = crate::store::now_ms();
        let unclaimed = now + endusers::UNCLAIMED_LIFETIME.as_millis() as i64;
        self.store
            .create_enduser(&key, &crate::clock::now_rfc3339(), now, unclaimed)
            .await?;
        Ok(Visitor {
            cookie,
            key,
            dossier_id: None,
            named_now: true,
        })
    }

    /// The `Set-Cookie` value that names (or, with `None`, forgets) the end-user.
    fn cookie(&self, id: Option<&str>) -> HeaderValue {
        let secure = if self.host_url.starts_with("https://") {
            "; Secure"
        } else {
            ""
        };
        let value = match id {
            Some(id) => format!(
                "{}={id}; Path=/api/videoid; Max-Age={COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax{secure}",
                endusers::COOKIE
            ),
            None => format!(
                "{}=; Path=/api/videoid; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
                endusers::COOKIE
            ),
        };
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

/// The end-user a request comes from.
#[derive(Debug, Clone)]
struct Visitor {
    /// The cookie value (only ever sent back to this browser).
    cookie: String,
    key: EndUserKey,
    dossier_id: Option<String>,
    /// This request named the end-user: its answer sets the cookie.
    named_now: bool,
}

/// Why a request could not be served.
#[derive(Debug)]
enum Failure {
    /// The Assure API failed.
    Assure(AssureError),
    /// The database failed.
    Storage(StoreError),
    /// Another request of the same end-user is still creating their dossier.
    Busy,
    /// The end-user's data was deleted while the request ran.
    Gone,
}

impl From<AssureError> for Failure {
    fn from(e: AssureError) -> Self {
        Failure::Assure(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Storage(e)
    }
}

/// The answer for a failure: logged here, generic for the browser.
fn failure_response(what: &str, failure: &Failure) -> Response {
    match failure {
        Failure::Assure(e) => upstream_failure(what, e),
        Failure::Storage(e) => storage_failure(what, e),
        Failure::Busy => {
            let mut response = json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("could not {what}: another request of yours is still starting, try again"),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Failure::Gone => json_error(
            StatusCode::CONFLICT,
            format!("could not {what}: your data was deleted meanwhile"),
        ),
    }
}

/// The answer for a database failure: logged here, generic for the browser.
fn storage_failure(what: &str, e: &StoreError) -> Response {
    eprintln!("videoid-www: {what}: {e}");
    json_error(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("could not {what}: the backend's storage is unavailable, try again"),
    )
}

/// The value of cookie `name`, when it looks like one of ours.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| crate::storage::is_safe_name(v))
}

/// Routes under `/api/videoid/`.
pub fn router(backend: Arc<Backend>) -> Router {
    Router::new()
        .route("/api/videoid/session", post(session))
        .route("/api/videoid/result", get(result))
        .route("/api/videoid/upload/complete", post(native::complete))
        .route("/api/videoid/upload/{step}", put(native::upload))
        .route("/api/videoid/events", post(events::receive))
        .route("/api/videoid/handoff", post(handoff::create))
        .route("/api/videoid/handoff/phone", get(handoff::phone))
        .route("/api/videoid/handoff/{id}/events", get(handoff::events))
        .route("/api/videoid/handoff/{id}", delete(handoff::revoke))
        .route(
            "/api/videoid/dossier",
            get(media::dossier).delete(media::delete_dossier),
        )
        .route("/api/videoid/images", get(media::image))
        .route("/api/videoid/video", get(media::video))
        .route("/api/videoid/download", get(media::download))
        .layer(axum::middleware::from_fn_with_state(
            backend.clone(),
            cors::cors,
        ))
        .with_state(backend)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SessionRequest {
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

/// Simulator-only test knobs from the session endpoint's query string.
#[derive(Debug, Default, PartialEq, Eq)]
struct SimulatorKnobs {
    scenario: Option<String>,
    auto: bool,
    framing: Option<String>,
    /// Overrides the `sdk` of "Start capture flow" (`capture-sdk=native|capture`).
    capture_sdk: Option<String>,
}

fn simulator_knobs(pairs: &[(String, String)]) -> Result<SimulatorKnobs, &'static str> {
    let scenario = query_value(pairs, "scenario").filter(|s| !s.is_empty());
    if scenario.is_some_and(|s| !SCENARIOS.contains(&s)) {
        return Err("unknown scenario");
    }
    let auto = match query_value(pairs, "auto") {
        None | Some("" | "0" | "false") => false,
        Some("1" | "true") => true,
        Some(_) => return Err("auto must be 1 or 0"),
    };
    let framing = query_value(pairs, "framing").filter(|s| !s.is_empty());
    if framing.is_some_and(|f| f != "deny" && f != "allow") {
        return Err("framing must be deny or allow");
    }
    let capture_sdk = query_value(pairs, "capture-sdk").filter(|s| !s.is_empty());
    if capture_sdk.is_some_and(|s| !crate::published::SDKS.contains(&s)) {
        return Err("capture-sdk must be native or capture");
    }
    Ok(SimulatorKnobs {
        scenario: scenario.map(str::to_string),
        auto,
        framing: framing.map(str::to_string),
        capture_sdk: capture_sdk.map(str::to_string),
    })
}

fn is_language_tag(lang: &str) -> bool {
    (2..=35).contains(&lang.len())
        && lang
            .split('-')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The answer for an upstream failure: logged here, generic for the browser. `504` when the
/// service did not answer in time, `503` (with `Retry-After`) when it asked to come back
/// later, `502` otherwise.
fn upstream_failure(what: &str, e: &AssureError) -> Response {
    eprintln!("videoid-www: {what}: {e}");
    match e {
        AssureError::TimedOut => json_error(
            StatusCode::GATEWAY_TIMEOUT,
            format!("could not {what}: the verification service did not answer in time, try again"),
        ),
        AssureError::Throttled { retry_after } => {
            let mut response = json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("could not {what}: the verification service is busy, try again shortly"),
            );
            let secs = retry_after.as_secs().max(1);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            response
        }
        _ => json_error(
            StatusCode::BAD_GATEWAY,
            format!("could not {what}: the verification service did not answer as expected"),
        ),
    }
}

async fn session(
    State(backend): State<Arc<Backend>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let pairs = match parse_query(query.as_deref()) {
        Ok(pairs) => pairs,
        Err(bad) => return bad.into_response(),
    };
    let request: SessionRequest = match parse_json_request(&headers, &body) {
        Ok(request) => request,
        Err(bad) => return bad,
    };
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
                    eprintln!("videoid-www: VIDEOID_SDK_DOCUMENT_TYPE names a document type VideoID does not offer");
                    Err(json_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "the configured document type is not offered",
                    ))
                }
            }
        }
        Mode::Hosted => {
            let origin = backend.page_origin(&headers).to_string();
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
        "providers": [{ "provider": "signicatvideoid", "processType": "substantial" }],
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
async fn result(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let pairs = match parse_query(query.as_deref()) {
        Ok(pairs) => pairs,
        Err(bad) => return bad.into_response(),
    };
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
            Ok(Some(id)) => Some(id),
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
            // The phone's capture ended (a hosted flow's return, the web SDK's end).
            if phone.is_some() && process["status"] != "pending" {
                let to = crate::store::HandoffStatus::Complete;
                if let Err(r) = handoff::progress(&backend, phone.as_deref(), to).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(q).unwrap()
    }

    #[test]
    fn knobs_parse_the_documented_values() {
        let k = simulator_knobs(&pairs(
            "scenario=rejected&auto=1&framing=deny&capture-sdk=native",
        ))
        .unwrap();
        assert_eq!(k.scenario.as_deref(), Some("rejected"));
        assert!(k.auto);
        assert_eq!(k.framing.as_deref(), Some("deny"));
        assert_eq!(k.capture_sdk.as_deref(), Some("native"));
        assert_eq!(
            simulator_knobs(&pairs("")).unwrap(),
            SimulatorKnobs::default()
        );
    }

    #[test]
    fn knobs_reject_unknown_values() {
        assert!(simulator_knobs(&pairs("scenario=explode")).is_err());
        assert!(simulator_knobs(&pairs("auto=yes")).is_err());
        assert!(simulator_knobs(&pairs("framing=maybe")).is_err());
        assert!(simulator_knobs(&pairs("capture-sdk=web")).is_err());
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("nb-NO"));
        assert!(!is_language_tag("e"));
        assert!(!is_language_tag("en_US"));
        assert!(!is_language_tag("<script>"));
    }

    #[test]
    fn cookies_are_read_only_when_they_look_like_ours() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; videoid_user=abc_DEF-123; b=2"),
        );
        assert_eq!(
            cookie_value(&headers, "videoid_user").as_deref(),
            Some("abc_DEF-123")
        );
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("videoid_user=../x"),
        );
        assert_eq!(cookie_value(&headers, "videoid_user"), None);
    }
}
