//! The reference host backend: the two endpoints the element calls.
//!
//! `POST /api/videoid/session` creates a dossier, starts the hosted capture
//! flow and says whether the capture page may be framed here;
//! `GET /api/videoid/result` reads the process. Client credentials, Assure
//! tokens and upstream bodies never reach the browser.

use crate::assure::{AssureClient, AssureError};
use crate::framing::{self, Framing, Origin};
use crate::{ids, json_error, parse_json, parse_query, query_value};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::io;
use std::sync::Arc;
use std::time::Duration;

/// Simulator scenarios the session endpoint passes on.
pub const SCENARIOS: &[&str] = &[
    "accepted",
    "rejected",
    "inconclusive",
    "failed-inactive",
    "failed",
    "no-interaction",
    "backend-error",
];

/// How long the element may use a capture URL, as told in `expiresAt`.
const SESSION_LIFETIME: Duration = Duration::from_secs(600);

/// The backend's state: its Assure client and its own origin.
pub struct Backend {
    assure: AssureClient,
    http: reqwest::Client,
    host_url: String,
    loopback_alias: String,
    simulator_mode: bool,
}

impl Backend {
    /// A backend for the host site at `host_url`; `simulator_mode` enables the test-only query.
    pub fn new(
        assure: AssureClient,
        http: reqwest::Client,
        host_url: &str,
        simulator_mode: bool,
    ) -> io::Result<Backend> {
        if Origin::parse(host_url).is_none() {
            return Err(io::Error::other(format!(
                "not an http(s) origin: {host_url}"
            )));
        }
        let loopback_alias = host_url.replacen("://localhost:", "://127.0.0.1:", 1);
        Ok(Backend {
            assure,
            http,
            host_url: host_url.to_string(),
            loopback_alias,
            simulator_mode,
        })
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
}

/// Routes under `/api/videoid/`.
pub fn router(backend: Arc<Backend>) -> Router {
    Router::new()
        .route("/api/videoid/session", post(session))
        .route("/api/videoid/result", get(result))
        .with_state(backend)
}

#[derive(Deserialize, Default)]
struct SessionRequest {
    #[serde(default)]
    lang: Option<String>,
    // Accepted for the contract; the hosted flow is the same for every mode.
    #[serde(default)]
    #[allow(dead_code)]
    mode: Option<String>,
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
    Ok(SimulatorKnobs {
        scenario: scenario.map(str::to_string),
        auto,
        framing: framing.map(str::to_string),
    })
}

fn is_language_tag(lang: &str) -> bool {
    (2..=35).contains(&lang.len())
        && lang
            .split('-')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
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
    let request: SessionRequest = match parse_json(&body) {
        Ok(request) => request,
        Err(bad) => return bad.into_response(),
    };
    let lang = request.lang.filter(|l| !l.is_empty());
    if lang.as_deref().is_some_and(|l| !is_language_tag(l)) {
        return json_error(StatusCode::BAD_REQUEST, "lang is not a language tag");
    }
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
    let origin = backend.page_origin(&headers);
    match start_session(&backend, origin, lang.as_deref(), knobs.as_ref()).await {
        Ok(answer) => Json(answer).into_response(),
        Err(e) => {
            eprintln!("videoid-www: session: {e}");
            json_error(
                StatusCode::BAD_GATEWAY,
                "could not start an identity verification session",
            )
        }
    }
}

async fn start_session(
    backend: &Backend,
    page_origin: &str,
    lang: Option<&str>,
    knobs: Option<&SimulatorKnobs>,
) -> Result<SessionAnswer, AssureError> {
    let dossier_id = backend.assure.create_dossier().await?;
    let mut request = json!({
        "providers": [{ "provider": "signicatvideoid", "processType": "substantial" }],
        "sdk": "capture",
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
    let url = backend.assure.start_capture(&dossier_id, &request).await?;
    let framing = match Origin::parse(page_origin) {
        Some(origin) => framing::check(&backend.http, &url, &origin).await,
        None => Framing::Unknown,
    };
    Ok(SessionAnswer {
        url,
        dossier_id,
        expires_at: crate::clock::rfc3339_in(SESSION_LIFETIME),
        framing,
    })
}

async fn result(State(backend): State<Arc<Backend>>, RawQuery(query): RawQuery) -> Response {
    let pairs = match parse_query(query.as_deref()) {
        Ok(pairs) => pairs,
        Err(bad) => return bad.into_response(),
    };
    let (Some(dossier_id), Some(process_id)) = (
        query_value(&pairs, "dossierId"),
        query_value(&pairs, "processId"),
    ) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "dossierId and processId are required",
        );
    };
    if !ids::is_valid_id(dossier_id) || !ids::is_valid_id(process_id) {
        return json_error(
            StatusCode::BAD_REQUEST,
            "dossierId or processId is not a valid id",
        );
    }
    match backend.assure.get_process(dossier_id, process_id).await {
        Ok(process) => Json::<Value>(process).into_response(),
        Err(AssureError::Status(StatusCode::NOT_FOUND)) => {
            json_error(StatusCode::NOT_FOUND, "unknown dossier or process")
        }
        Err(e) => {
            eprintln!("videoid-www: result: {e}");
            json_error(
                StatusCode::BAD_GATEWAY,
                "could not read the verification result",
            )
        }
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
        let k = simulator_knobs(&pairs("scenario=rejected&auto=1&framing=deny")).unwrap();
        assert_eq!(k.scenario.as_deref(), Some("rejected"));
        assert!(k.auto);
        assert_eq!(k.framing.as_deref(), Some("deny"));
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
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("nb-NO"));
        assert!(!is_language_tag("e"));
        assert!(!is_language_tag("en_US"));
        assert!(!is_language_tag("<script>"));
    }
}
