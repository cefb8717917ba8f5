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
//! - `GET`/`DELETE /api/videoid/dossier` and the media proxies
//!   (`images`, `video`, `download`) serve the demo's result view, scoped to
//!   the cookie's own dossier.
//!
//! Client credentials, Assure tokens and upstream bodies never reach the browser.

mod cors;
mod endusers;
mod events;
mod media;
mod native;
mod sdk;

pub use sdk::DocumentChoice;

use crate::assure::{AssureClient, AssureError};
use crate::framing::{self, Framing, Origin};
use crate::storage::DataDir;
use crate::{ids, json_error, parse_json_request, parse_query, query_value};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use endusers::{EndUser, EndUsers};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

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
    /// Where end-user records live (`host/` inside it).
    pub data: DataDir,
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
    endusers: Mutex<EndUsers>,
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
            endusers: Mutex::new(EndUsers::load(settings.data)),
            cors_origins: settings.cors_origins,
            session_lifetime: settings.session_lifetime,
            capture_sdk: settings.capture_sdk,
            native_provider: settings.native_provider,
            native_process_type: settings.native_process_type,
            sdk_document_type: settings.sdk_document_type,
            document_types: Default::default(),
        }))
    }

    fn endusers(&self) -> MutexGuard<'_, EndUsers> {
        self.endusers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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

    /// The end-user of a request, from the cookie.
    fn current_user(&self, headers: &HeaderMap) -> Option<EndUser> {
        let id = cookie_value(headers, endusers::COOKIE)?;
        self.endusers().get(&id).cloned()
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

    /// The end-user's dossier, creating the end-user and (when needed) a fresh dossier.
    async fn dossier_for(&self, user: Option<EndUser>) -> Result<EndUser, AssureError> {
        if let Some(user) = user {
            return Ok(user);
        }
        let dossier_id = self.assure.create_dossier().await?;
        let user = EndUser {
            id: ids::token(),
            dossier_id,
            created_at: crate::clock::now_rfc3339(),
            uploads: Vec::new(),
            notified: Default::default(),
        };
        self.save_user(user.clone());
        Ok(user)
    }

    /// Points an end-user at a new dossier (the old one is gone upstream).
    async fn replace_dossier(&self, mut user: EndUser) -> Result<EndUser, AssureError> {
        user.dossier_id = self.assure.create_dossier().await?;
        user.uploads.clear();
        user.notified.clear();
        self.save_user(user.clone());
        Ok(user)
    }

    fn save_user(&self, user: EndUser) {
        if let Err(e) = self.endusers().save(user) {
            eprintln!("videoid-www: backend storage: {e}");
        }
    }
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

/// The answer for an upstream failure: logged here, generic for the browser.
fn upstream_failure(what: &str, e: &AssureError) -> Response {
    eprintln!("videoid-www: {what}: {e}");
    json_error(
        StatusCode::BAD_GATEWAY,
        format!("could not {what}: the verification service did not answer as expected"),
    )
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
    let known = backend.current_user(&headers);
    let had_cookie = known.is_some();
    let answer = match mode {
        Mode::Native => native::start(&backend, known, knobs.as_ref()).await,
        Mode::Sdk => match sdk::start(&backend, known, knobs.as_ref(), document_type).await {
            Ok(answer) => Ok(answer),
            Err(sdk::SdkError::Assure(e)) => Err(e),
            Err(sdk::SdkError::UnknownDocumentType { requested: true }) => {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "documentType is not a document type VideoID offers",
                )
            }
            Err(sdk::SdkError::UnknownDocumentType { requested: false }) => {
                eprintln!("videoid-www: VIDEOID_SDK_DOCUMENT_TYPE names a document type VideoID does not offer");
                return json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the configured document type is not offered",
                );
            }
        },
        Mode::Hosted => {
            let origin = backend.page_origin(&headers).to_string();
            start_embed(&backend, known, &origin, lang.as_deref(), knobs.as_ref()).await
        }
    };
    match answer {
        Ok((user_id, body)) => {
            let mut response = Json(body).into_response();
            if !had_cookie {
                response
                    .headers_mut()
                    .insert(header::SET_COOKIE, backend.cookie(Some(&user_id)));
            }
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => upstream_failure("start an identity verification session", &e),
    }
}

async fn start_embed(
    backend: &Backend,
    known: Option<EndUser>,
    page_origin: &str,
    lang: Option<&str>,
    knobs: Option<&SimulatorKnobs>,
) -> Result<(String, Value), AssureError> {
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
    let mut user = backend.dossier_for(known).await?;
    let url = match backend
        .assure
        .start_capture(&user.dossier_id, &request)
        .await
    {
        Err(AssureError::Status(StatusCode::NOT_FOUND)) => {
            user = backend.replace_dossier(user).await?;
            backend
                .assure
                .start_capture(&user.dossier_id, &request)
                .await?
        }
        other => other?,
    };
    let framing = match Origin::parse(page_origin) {
        Some(origin) => framing::check(&backend.http, &url, &origin).await,
        None => Framing::Unknown,
    };
    let answer = SessionAnswer {
        url,
        dossier_id: user.dossier_id.clone(),
        expires_at: crate::clock::rfc3339_in(backend.session_lifetime),
        framing,
    };
    Ok((user.id, json!(answer)))
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
    let owns = backend
        .current_user(&headers)
        .is_some_and(|user| user.dossier_id == dossier_id);
    if !owns {
        return unknown();
    }
    // Assure looks the process up inside the dossier: one of another dossier is a 404.
    match backend.assure.get_process(&dossier_id, &process_id).await {
        Ok(process) => {
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
