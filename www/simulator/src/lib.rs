//! `assure-simulator`: a local stand-in for Signicat's Assure API and its hosted capture page,
//! a test tool for any host backend; it depends on no backend and no site.
//!
//! It answers the documented paths in the documented shapes (Signicat's
//! published Assure API documentation), keeps its state under the data directory,
//! moves processes `pending` → `processing` → final after a delay, and
//! posts `process.complete` events to a webhook until they are acknowledged.
//! Simulator-only additions: a `simulator` block in "Start capture flow" and
//! "Create process" (`scenario`, `auto`, `framing`), and the control API under
//! `/simulator/` (`control.rs`), which chooses outcomes for backends that send no such
//! block and lists what was received. Besides the Assure paths it
//! plays the provider's side: VideoID's web SDK and the API it uploads to, at
//! `providerApiUrl` (`/provider`), and the hosted capture page (`/capture/`), which
//! runs that SDK (`sdk: "native"`) or `<videoid-capture mode="native">` against its
//! own artifact-scoped upload API (`sdk: "capture"`). For processes of type `high` it also
//! plays VideoID's attended service: the attended SDK (`/js/videoidattended.js`), a queue of
//! live calls and their signalling (`calls.rs`), and the RA console's call page (`ra.rs`).

// Helpers of request handlers return `Result<_, Response>` so a rejection is answered as is;
// the size of a `Response` does not matter on that path.
#![allow(clippy::result_large_err)]

mod agent_session;
mod api;
mod calls;
mod capture;
pub use videoid_common::{clock, ids, published, storage};
pub mod control;
pub mod env;
pub mod faults;
pub mod http;
pub mod images;
pub mod media;
mod model;
pub mod package;
mod provider;
pub mod ra;
pub mod standalone;
mod store;
mod webhook;
pub mod zip;

pub use model::{is_scenario, Outcome, Status};

use crate::clock::now_rfc3339;
use crate::http::json_error;
use crate::storage::DataDir;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use model::Process;
use serde_json::json;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use store::Store;
use tokio::sync::{watch, Semaphore};

/// Default lifetime of an access token, as told in `expires_in`.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(600);

/// How long a dossier is kept after its last change, unless set otherwise.
pub const RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);

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
    /// Lifetime of access tokens.
    pub token_lifetime: Duration,
    /// Where `process.complete` events go (`None`: nowhere).
    pub webhook_url: Option<String>,
    /// First delay between webhook attempts (doubles up to a minute).
    pub webhook_retry: Duration,
    /// How long the capture page's native upload token works after each native session.
    pub upload_lifetime: Duration,
    /// Whether the control API (`/simulator/…`) and its record of received calls are on.
    pub control: bool,
    /// Faults to inject from the start (`VIDEOID_SIM_FAULTS`); the control API can change them.
    pub faults: Option<faults::Plan>,
    /// How long a dossier is kept after its last change (then it and its files are removed).
    pub retention: Duration,
    /// The RA console's agent sign-in and the automatic agent (`ra.rs`).
    pub agents: ra::AgentSettings,
}

/// The simulator: its settings, its store and its background work.
pub struct Simulator {
    settings: Settings,
    store: Mutex<Store>,
    http: reqwest::Client,
    stop: watch::Receiver<bool>,
    webhook_slots: Semaphore,
    control: control::Control,
    faults: faults::Faults,
    agents: ra::Agents,
    calls: calls::Calls,
}

impl Simulator {
    /// Opens the simulator's state under `data`; background work stops when `stop` turns true.
    pub fn open(
        settings: Settings,
        data: DataDir,
        http: reqwest::Client,
        stop: watch::Receiver<bool>,
    ) -> Arc<Simulator> {
        let faults = faults::Faults::default();
        faults.set(settings.faults.clone());
        let agents = ra::Agents::new(&settings.agents);
        Arc::new(Simulator {
            agents,
            calls: calls::Calls::default(),
            settings,
            store: Mutex::new(Store::load(data)),
            http,
            stop,
            webhook_slots: Semaphore::new(32),
            control: control::Control::default(),
            faults,
        })
    }

    /// Restarts the timers of processing processes and the pending webhook deliveries.
    pub fn resume(self: &Arc<Self>) {
        let (processing, deliveries) = {
            let store = self.store();
            let processing: Vec<(String, u64)> = store
                .processes()
                .filter(|p| p.status == Status::Processing && !p.awaits_review())
                .map(|p| (p.process_id.clone(), p.final_at_ms.unwrap_or(0)))
                .collect();
            (processing, store.delivery_ids())
        };
        for (process_id, at) in processing {
            self.finish_later(process_id, at);
        }
        // Processes waiting for an agent stay queued; the automatic agent (if on) takes them.
        self.auto_agent_all();
        for id in deliveries {
            webhook::spawn(self.clone(), id);
        }
        self.spawn_retention();
    }

    /// Removes dossiers (with their processes, media and pending events) that did not change
    /// for `Settings::retention`, checking a few times per retention period (at most every minute).
    fn spawn_retention(self: &Arc<Self>) {
        let sim = self.clone();
        let mut stop = self.stop.clone();
        let retention = self.settings.retention;
        let every = (retention / 4).clamp(Duration::from_millis(100), Duration::from_secs(60));
        tokio::spawn(async move {
            loop {
                let cutoff = now_ms().saturating_sub(retention.as_millis() as u64);
                let idle = sim.store().idle_dossiers(cutoff);
                for dossier_id in idle {
                    if let Err(e) = sim.store().delete_dossier(&dossier_id) {
                        eprintln!("videoid-www: simulator: could not remove an old dossier: {e}");
                    }
                }
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = stop.wait_for(|s| *s) => return,
                }
            }
        });
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Moves a pending process to `processing`; it reaches `outcome` after the configured delay,
    /// or, when an agent reviews its type, waits in the agents' queue for a registration.
    fn start_processing(
        self: &Arc<Self>,
        store: &mut Store,
        mut process: Process,
        outcome: Outcome,
    ) -> io::Result<()> {
        if process.needs_review(outcome) {
            let queued = now_ms();
            process.status = Status::Processing;
            process.outcome = Some(outcome);
            process.final_at_ms = None;
            process.review_queued_at_ms = Some(queued);
            process.updated_at = now_rfc3339();
            let id = process.process_id.clone();
            store.save_process(process)?;
            self.auto_agent_later(id, queued);
            return Ok(());
        }
        let at = now_ms() + self.settings.final_delay.as_millis() as u64;
        process.status = Status::Processing;
        process.outcome = Some(outcome);
        process.final_at_ms = Some(at);
        process.updated_at = now_rfc3339();
        let id = process.process_id.clone();
        store.save_process(process)?;
        self.finish_later(id, at);
        Ok(())
    }

    fn finish_later(self: &Arc<Self>, process_id: String, at_ms: u64) {
        let sim = self.clone();
        let mut stop = self.stop.clone();
        tokio::spawn(async move {
            let wait = Duration::from_millis(at_ms.saturating_sub(now_ms()));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            if let Err(e) = sim.finish(&process_id) {
                eprintln!("videoid-www: simulator: could not finish a process: {e}");
            }
        });
    }

    /// Gives a processing process its final status and queues its event.
    fn finish(self: &Arc<Self>, process_id: &str) -> io::Result<()> {
        let mut store = self.store();
        let Some(mut process) = store.process_by_id(process_id).cloned() else {
            return Ok(());
        };
        if process.status != Status::Processing || process.awaits_review() {
            return Ok(());
        }
        let outcome = process.outcome.unwrap_or(Outcome::Accepted);
        process.status = outcome.status();
        if outcome == Outcome::Failed {
            process.fail_reason = Some(model::inactive_fail_reason());
        }
        process.final_at_ms = None;
        process.updated_at = now_rfc3339();
        self.complete(&mut store, process)
    }

    /// Saves a process that just reached a final status and queues `process.complete`.
    fn complete(self: &Arc<Self>, store: &mut Store, process: Process) -> io::Result<()> {
        let dossier_id = process.dossier_id.clone();
        let process_id = process.process_id.clone();
        let tags = process.event_tags.clone();
        store.save_process(process)?;
        if self.settings.webhook_url.is_none() {
            return Ok(());
        }
        let reference = store
            .dossier(&dossier_id)
            .map(|d| d.external_reference.clone())
            .unwrap_or_default();
        let event_id = ids::uuid();
        let expires = SystemTime::now() + webhook::EVENT_LIFETIME;
        let mut event_data = json!({ "dossierId": dossier_id, "processId": process_id });
        if reference.is_string() {
            event_data["externalReference"] = reference;
        }
        let event = json!({
            "id": event_id,
            "timestamp": now_rfc3339(),
            "sender": "assure",
            "eventName": "process.complete",
            "eventData": event_data,
            "accountId": "a-sim-videoid",
            "organizationId": "o-sim-videoid",
            "expiresAt": crate::clock::rfc3339(expires),
            "tags": tags,
        });
        let delivery = store::Delivery {
            dossier_id,
            event,
            expires_at_ms: expires
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis() as u64,
        };
        store.add_delivery(&event_id, delivery)?;
        webhook::spawn(self.clone(), event_id);
        Ok(())
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64
}

/// All simulator routes (Assure API, token endpoint, capture page, provider side, and the
/// control API unless it is off).
pub fn router(sim: Arc<Simulator>) -> Router {
    let assure = api::router()
        .merge(media::router())
        .route(
            "/assure/dossiers/{dossier_id}/processes/{process_id}/images",
            get(media::image).post(images::set_images),
        )
        .route_layer(middleware::from_fn_with_state(sim.clone(), require_bearer));
    let mut router = Router::new()
        .route("/", get(index))
        .route("/auth/open/connect/token", post(token))
        .merge(provider::router())
        .merge(assure)
        .merge(capture::router())
        .merge(ra::router())
        .layer(middleware::from_fn_with_state(sim.clone(), faults::inject))
        .layer(middleware::from_fn_with_state(sim.clone(), control::record));
    if sim.settings.control {
        router = router.merge(control::router(sim.clone()));
    }
    router.with_state(sim)
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
    let lifetime = settings.token_lifetime;
    sim.store()
        .add_token(token.clone(), Instant::now() + lifetime);
    let mut response = Json(json!({
        "access_token": token,
        "expires_in": lifetime.as_secs(),
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

/// A storage failure: logged, answered as a 500 without detail.
fn storage_error(e: io::Error) -> Response {
    eprintln!("videoid-www: simulator storage: {e}");
    json_error(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
}

#[cfg(test)]
mod tests {
    use super::*;

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
