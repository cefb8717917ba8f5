//! A local stand-in for Signicat's Assure API and its hosted capture page.
//!
//! It answers the paths the reference backend uses, in the documented shapes,
//! plus a simulator-only `simulator` block in "Start capture flow" that picks
//! the outcome (`scenario`), whether the page finishes by itself (`auto`) and
//! whether it may be framed (`framing`).

mod capture;
mod model;

pub use model::{is_scenario, Outcome};

use crate::clock::now_rfc3339;
use crate::{ids, json_error, parse_json};
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use model::{Artifact, Dossier, Process, Stage, Store};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Lifetime of an access token, as told in `expires_in`.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(600);

/// What the simulator is configured with.
#[derive(Clone)]
pub struct Settings {
    /// Its own origin, e.g. `http://127.0.0.1:8081`.
    pub base_url: String,
    /// Client id its token endpoint accepts.
    pub client_id: String,
    /// Client secret its token endpoint accepts.
    pub client_secret: String,
    /// Sources of the capture page's `frame-ancestors` directive.
    pub frame_ancestors: String,
    /// Delay between `processing` and the final status.
    pub final_delay: Duration,
}

/// The simulator: its settings and its store.
pub struct Simulator {
    settings: Settings,
    store: Mutex<Store>,
}

impl Simulator {
    /// An empty simulator.
    pub fn new(settings: Settings) -> Simulator {
        Simulator {
            settings,
            store: Mutex::new(Store::default()),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// All simulator routes (Assure API, token endpoint, capture page).
pub fn router(sim: Arc<Simulator>) -> Router {
    let assure = Router::new()
        .route("/assure/dossiers", post(create_dossier))
        .route("/assure/dossiers/{dossier_id}", get(get_dossier))
        .route("/assure/dossiers/{dossier_id}/capture", post(start_capture))
        .route(
            "/assure/dossiers/{dossier_id}/processes/{process_id}",
            get(get_process),
        )
        .route_layer(middleware::from_fn_with_state(sim.clone(), require_bearer));
    Router::new()
        .route("/", get(index))
        .route("/auth/open/connect/token", post(token))
        .merge(assure)
        .merge(capture::router())
        .with_state(sim)
}

async fn index() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Assure API simulator</title>\
         <p>Assure API simulator for videoid-capture (local testing only).</p></html>",
    )
}

fn unauthorized(error: &str) -> Response {
    let mut response = json_error(StatusCode::UNAUTHORIZED, error);
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// `POST /auth/open/connect/token`: client credentials, Basic auth or form fields.
async fn token(State(sim): State<Arc<Simulator>>, headers: HeaderMap, body: Bytes) -> Response {
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let credentials = basic_credentials(&headers)
        .or_else(|| Some((field("client_id")?, field("client_secret")?)));
    let Some((id, secret)) = credentials else {
        return unauthorized("invalid_client");
    };
    let settings = &sim.settings;
    if !(ids::secrets_equal(&id, &settings.client_id)
        && ids::secrets_equal(&secret, &settings.client_secret))
    {
        return unauthorized("invalid_client");
    }
    if field("grant_type").as_deref() != Some("client_credentials") {
        return unauthorized("unsupported_grant_type");
    }
    let token = ids::token();
    {
        let mut store = sim.store();
        let now = Instant::now();
        store.tokens.retain(|_, expires| *expires > now);
        store.tokens.insert(token.clone(), now + TOKEN_LIFETIME);
    }
    let mut response = Json(json!({
        "access_token": token,
        "expires_in": TOKEN_LIFETIME.as_secs(),
        "token_type": "Bearer",
        "scope": "signicat-api",
    }))
    .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

async fn require_bearer(
    State(sim): State<Arc<Simulator>>,
    request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string());
    let valid = token.is_some_and(|t| {
        sim.store()
            .tokens
            .get(&t)
            .is_some_and(|expires| *expires > Instant::now())
    });
    if !valid {
        return unauthorized("invalid_token");
    }
    next.run(request).await
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CreateDossier {
    #[serde(default)]
    external_reference: Option<Value>,
}

async fn create_dossier(State(sim): State<Arc<Simulator>>, body: Bytes) -> Response {
    let request: CreateDossier = match parse_json(&body) {
        Ok(r) => r,
        Err(bad) => return bad.into_response(),
    };
    let id = ids::uuid();
    let now = now_rfc3339();
    let dossier = Dossier {
        external_reference: request.external_reference.unwrap_or(Value::Null),
        created_at: now.clone(),
        updated_at: now,
        process_ids: Vec::new(),
    };
    let answer = json!({
        "dossierId": id,
        "externalReference": dossier.external_reference,
        "createdAt": dossier.created_at,
        "updatedAt": dossier.updated_at,
    });
    sim.store().dossiers.insert(id, dossier);
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn get_dossier(
    State(sim): State<Arc<Simulator>>,
    Path(dossier_id): Path<String>,
) -> Response {
    match sim.store().dossier_json(&dossier_id) {
        Some(dossier) => Json(dossier).into_response(),
        None => json_error(StatusCode::NOT_FOUND, "dossier not found"),
    }
}

async fn get_process(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
) -> Response {
    let store = sim.store();
    match store
        .processes
        .get(&process_id)
        .filter(|p| p.dossier_id == dossier_id)
    {
        Some(process) => Json(model::process_json(&process_id, process)).into_response(),
        None => json_error(StatusCode::NOT_FOUND, "process not found"),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StartCapture {
    providers: Vec<ProviderChoice>,
    #[serde(default)]
    sdk: Option<String>,
    #[serde(default)]
    redirect_url: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    capture_parameters: Option<Value>,
    #[serde(default)]
    #[allow(dead_code)]
    event_tags: Option<Vec<String>>,
    #[serde(default)]
    simulator: Option<SimulatorBlock>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProviderChoice {
    provider: String,
    #[serde(default)]
    process_type: Option<String>,
}

#[derive(Deserialize, Default)]
struct SimulatorBlock {
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    auto: bool,
    #[serde(default)]
    framing: Option<String>,
}

/// Checks a start-capture request; the error is the message of a 400.
fn validate_capture(request: &StartCapture) -> Result<(String, String), &'static str> {
    let provider = request
        .providers
        .iter()
        .find(|p| p.provider == "signicatvideoid" || p.provider == "eid")
        .ok_or("the simulator only offers the signicatvideoid (eid) provider")?;
    let process_type = provider
        .process_type
        .clone()
        .unwrap_or_else(|| "high".to_string());
    if !matches!(
        process_type.as_str(),
        "substantial" | "substantialFullyAuto" | "high"
    ) {
        return Err("processType must be substantial, substantialFullyAuto or high");
    }
    if request.sdk.as_deref().is_some_and(|sdk| sdk != "capture") {
        return Err("the simulator only offers sdk \"capture\"");
    }
    let redirect_url = request
        .redirect_url
        .clone()
        .ok_or("redirectUrl is required")?;
    let parsed = reqwest::Url::parse(&redirect_url).map_err(|_| "redirectUrl is not a URL")?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err("redirectUrl must be an http(s) URL");
    }
    let block = request.simulator.as_ref();
    if block
        .and_then(|b| b.scenario.as_deref())
        .is_some_and(|s| !is_scenario(s))
    {
        return Err("unknown simulator scenario");
    }
    if block
        .and_then(|b| b.framing.as_deref())
        .is_some_and(|f| f != "deny" && f != "allow")
    {
        return Err("simulator framing must be deny or allow");
    }
    Ok((process_type, redirect_url))
}

async fn start_capture(
    State(sim): State<Arc<Simulator>>,
    Path(dossier_id): Path<String>,
    body: Bytes,
) -> Response {
    let request: StartCapture = match parse_json(&body) {
        Ok(r) => r,
        Err(bad) => return bad.into_response(),
    };
    let (process_type, redirect_url) = match validate_capture(&request) {
        Ok(v) => v,
        Err(message) => return json_error(StatusCode::BAD_REQUEST, message),
    };
    let block = request.simulator.unwrap_or_default();
    let mut store = sim.store();
    let now = now_rfc3339();
    let Some(dossier) = store.dossiers.get_mut(&dossier_id) else {
        return json_error(StatusCode::NOT_FOUND, "dossier not found");
    };
    let process_id = ids::uuid();
    dossier.process_ids.push(process_id.clone());
    dossier.updated_at = now.clone();
    store.processes.insert(
        process_id.clone(),
        Process {
            dossier_id: dossier_id.clone(),
            process_type,
            stage: Stage::Pending,
            created_at: now.clone(),
            updated_at: now,
        },
    );
    let artifact = ids::token();
    store.artifacts.insert(
        artifact.clone(),
        Artifact {
            dossier_id,
            process_id,
            redirect_url,
            scenario: block.scenario,
            auto: block.auto,
            finished: false,
        },
    );
    let query = if block.framing.as_deref() == Some("deny") {
        "?framing=deny"
    } else {
        ""
    };
    let url = format!(
        "{}/capture/{query}#/artifact={artifact}",
        sim.settings.base_url
    );
    (StatusCode::CREATED, Json(json!({ "url": url }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(body: Value) -> Result<(String, String), &'static str> {
        let request: StartCapture = serde_json::from_value(body).unwrap();
        validate_capture(&request)
    }

    #[test]
    fn capture_requests() {
        let ok = capture(json!({
            "providers": [{ "provider": "eid" }],
            "redirectUrl": "https://host.example/return",
        }));
        assert_eq!(
            ok.unwrap(),
            (
                "high".to_string(),
                "https://host.example/return".to_string()
            )
        );
        let no_redirect = json!({ "providers": [{ "provider": "signicatvideoid" }] });
        assert_eq!(capture(no_redirect), Err("redirectUrl is required"));
        let js =
            json!({ "providers": [{ "provider": "eid" }], "redirectUrl": "javascript:alert(1)" });
        assert!(capture(js).is_err());
        let onfido =
            json!({ "providers": [{ "provider": "onfido" }], "redirectUrl": "https://h/r" });
        assert!(capture(onfido).is_err());
        let scenario = json!({
            "providers": [{ "provider": "eid" }], "redirectUrl": "https://h/r",
            "simulator": { "scenario": "nope" },
        });
        assert!(capture(scenario).is_err());
    }

    #[test]
    fn basic_auth_header() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic dXNlcjpwYTpzcw=="),
        );
        assert_eq!(
            basic_credentials(&headers),
            Some(("user".into(), "pa:ss".into()))
        );
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(basic_credentials(&headers), None);
    }
}
