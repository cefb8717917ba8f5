//! The simulator's control API under `/simulator/`: outcomes chosen without touching request
//! bodies, so an unmodified backend can be driven through every scenario, and a record of what
//! the simulator received.
//!
//! ```text
//! GET    /simulator                                       what is here, and the scenario names
//! GET    /simulator/outcomes                              the rules below
//! DELETE /simulator/outcomes                              forgets every rule
//! PUT    /simulator/outcomes/default                      { scenario }: every new process
//! DELETE /simulator/outcomes/default
//! POST   /simulator/outcomes/next                         { scenario }: queued, one per new process
//! DELETE /simulator/outcomes/next
//! PUT    /simulator/outcomes/dossiers/{dossierId}         { scenario }: new processes of that dossier
//! DELETE /simulator/outcomes/dossiers/{dossierId}
//! PUT    /simulator/outcomes/external-references/{ref}    { scenario }: new processes of dossiers with it
//! DELETE /simulator/outcomes/external-references/{ref}
//! GET    /simulator/requests[?since=&path=]               the calls received (no secrets)
//! DELETE /simulator/requests
//! GET    /simulator/processes                             every process, its scenario and media
//! GET    /simulator/uploads                               every medium received
//! POST   /simulator/reset                                 forgets the rules, the faults and the request record
//! GET    /simulator/faults                                the faults in effect and their counts
//! PUT    /simulator/faults                                { spec }: replaces them (see `faults.rs`)
//! DELETE /simulator/faults                                no faults
//! GET    /simulator/agents                                the RA agents: online, automatic agent, queue
//! PUT    /simulator/agents                                { online?, autoAcceptAfterMs? (null: off),
//!                                                           hours? ({ opens, closes } "HH:MM" UTC, null: always) }
//! ```
//! A new process ("Start capture flow", "Create process") takes its scenario from, in order:
//! the request's own `simulator` block, the dossier's rule, the external reference's rule, the
//! next queued one (which it uses up), the default. `backend-error` makes that Assure call answer
//! `500`. Nothing here lives under `/assure/`: the Assure paths stay as published. Every call
//! needs the simulator's client credentials (HTTP Basic, or a Bearer token from its token
//! endpoint); `Settings::control` turns the whole API, and the record, off.

use super::model::{is_scenario, Process};
use super::store::Store;
use super::Simulator;
use crate::clock::now_rfc3339;
use crate::http::{json_error, parse_json_request, parse_query, query_value};
use crate::ids;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// The scenario that makes the Assure call creating a process answer `500`.
pub const BACKEND_ERROR: &str = "backend-error";

/// Every scenario the control API takes, in the order the documentation lists them.
pub const SCENARIOS: &[&str] = &[
    "accepted",
    "rejected",
    "inconclusive",
    "inconclusive-feature",
    "failed-inactive",
    "canceled",
    "no-interaction",
    BACKEND_ERROR,
];

/// How many received calls the record keeps (the oldest go first).
pub const RECORD_LIMIT: usize = 1000;

/// Request bodies up to this size are kept in the record (bigger ones: only their size).
const RECORDED_BODY_BYTES: u64 = 1 << 20;

/// True for a scenario the control API takes.
pub fn is_control_scenario(s: &str) -> bool {
    s == BACKEND_ERROR || is_scenario(s)
}

/// The rules and the record.
#[derive(Default)]
pub(super) struct Control {
    rules: Mutex<Rules>,
    record: Mutex<Record>,
}

#[derive(Default)]
struct Rules {
    default: Option<String>,
    next: VecDeque<String>,
    dossiers: BTreeMap<String, String>,
    references: BTreeMap<String, String>,
}

impl Rules {
    fn to_json(&self) -> Value {
        json!({
            "default": self.default,
            "next": self.next,
            "dossiers": self.dossiers,
            "externalReferences": self.references,
        })
    }
}

#[derive(Default)]
struct Record {
    last_seq: u64,
    entries: VecDeque<Value>,
}

/// A new process's scenario and the rule it came from (`None`: no scenario).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Choice {
    pub scenario: Option<String>,
    pub source: Option<&'static str>,
}

impl Choice {
    /// True when the creating call must fail (`backend-error`).
    pub fn is_backend_error(&self) -> bool {
        self.scenario.as_deref() == Some(BACKEND_ERROR)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Control {
    /// The scenario of a process about to be created in `dossier_id`; uses up a queued one
    /// when that is where it comes from. Call it only once the request is known to succeed.
    pub fn choose(&self, store: &Store, dossier_id: &str, requested: Option<String>) -> Choice {
        let chosen = |scenario: String, source| Choice {
            scenario: Some(scenario),
            source: Some(source),
        };
        if let Some(scenario) = requested {
            return chosen(scenario, "request");
        }
        let mut rules = lock(&self.rules);
        if let Some(s) = rules.dossiers.get(dossier_id) {
            return chosen(s.clone(), "dossier");
        }
        let reference = store
            .dossier(dossier_id)
            .and_then(|d| d.external_reference.as_str());
        if let Some(s) = reference.and_then(|r| rules.references.get(r)) {
            return chosen(s.clone(), "externalReference");
        }
        if let Some(s) = rules.next.pop_front() {
            return chosen(s, "next");
        }
        if let Some(s) = &rules.default {
            return chosen(s.clone(), "default");
        }
        Choice {
            scenario: None,
            source: None,
        }
    }

    fn remember(&self, mut entry: Map<String, Value>) {
        let mut record = lock(&self.record);
        record.last_seq += 1;
        entry.insert("seq".into(), json!(record.last_seq));
        record.entries.push_back(Value::Object(entry));
        while record.entries.len() > RECORD_LIMIT {
            record.entries.pop_front();
        }
    }
}

/// The `500` a `backend-error` scenario answers with.
pub(super) fn backend_error() -> Response {
    json_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "simulated Assure error (scenario backend-error)",
    )
}

pub(super) fn router(sim: Arc<Simulator>) -> Router<Arc<Simulator>> {
    Router::new()
        .route("/simulator", get(index))
        .route("/simulator/", get(index))
        .route("/simulator/outcomes", get(outcomes).delete(clear_outcomes))
        .route(
            "/simulator/outcomes/default",
            put(set_default).delete(clear_default),
        )
        .route(
            "/simulator/outcomes/next",
            post(push_next).delete(clear_next),
        )
        .route(
            "/simulator/outcomes/dossiers/{dossier_id}",
            put(set_dossier).delete(clear_dossier),
        )
        .route(
            "/simulator/outcomes/external-references/{reference}",
            put(set_reference).delete(clear_reference),
        )
        .route("/simulator/requests", get(requests).delete(clear_requests))
        .route("/simulator/processes", get(processes))
        .route("/simulator/uploads", get(uploads))
        .route("/simulator/reset", post(reset))
        .route("/simulator/agents", get(agents).put(set_agents))
        .route(
            "/simulator/faults",
            get(super::faults::show)
                .put(super::faults::replace)
                .delete(super::faults::clear),
        )
        .route_layer(middleware::from_fn_with_state(sim, require_credentials))
}

/// Lets through calls with the simulator's client credentials: HTTP Basic, or a Bearer token
/// its token endpoint issued.
async fn require_credentials(
    State(sim): State<Arc<Simulator>>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let basic = super::basic_credentials(headers).is_some_and(|(id, secret)| {
        ids::secrets_equal(&id, &sim.settings.client_id)
            && ids::secrets_equal(&secret, &sim.settings.client_secret)
    });
    let bearer = || {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .is_some_and(|(_, token)| {
                sim.store()
                    .tokens
                    .get(token.trim())
                    .is_some_and(|expires| *expires > Instant::now())
            })
    };
    if basic || bearer() {
        return next.run(request).await;
    }
    let mut response = json_error(
        StatusCode::UNAUTHORIZED,
        "the control API needs the simulator's client credentials (HTTP Basic) or one of its access tokens",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"simulator\""),
    );
    response
}

async fn index() -> Response {
    Json(json!({
        "scenarios": SCENARIOS,
        "outcomes": "/simulator/outcomes",
        "requests": "/simulator/requests",
        "processes": "/simulator/processes",
        "uploads": "/simulator/uploads",
        "reset": "/simulator/reset",
        "agents": "/simulator/agents",
        "faults": "/simulator/faults",
    }))
    .into_response()
}

#[derive(Deserialize)]
struct ScenarioBody {
    scenario: String,
}

/// Reads `{ "scenario" }`, checked against the control API's scenarios.
fn scenario_body(headers: &HeaderMap, body: &[u8]) -> Result<String, Response> {
    let request: ScenarioBody = parse_json_request(headers, body)?;
    if !is_control_scenario(&request.scenario) {
        return Err(json_error(
            StatusCode::BAD_REQUEST,
            format!("scenario must be one of {}", SCENARIOS.join(", ")),
        ));
    }
    Ok(request.scenario)
}

fn rules_answer(rules: &Rules) -> Response {
    Json(rules.to_json()).into_response()
}

async fn outcomes(State(sim): State<Arc<Simulator>>) -> Response {
    rules_answer(&lock(&sim.control.rules))
}

async fn clear_outcomes(State(sim): State<Arc<Simulator>>) -> Response {
    let mut rules = lock(&sim.control.rules);
    *rules = Rules::default();
    rules_answer(&rules)
}

async fn set_default(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let scenario = match scenario_body(&headers, &body) {
        Ok(s) => s,
        Err(bad) => return bad,
    };
    let mut rules = lock(&sim.control.rules);
    rules.default = Some(scenario);
    rules_answer(&rules)
}

async fn clear_default(State(sim): State<Arc<Simulator>>) -> Response {
    let mut rules = lock(&sim.control.rules);
    rules.default = None;
    rules_answer(&rules)
}

async fn push_next(State(sim): State<Arc<Simulator>>, headers: HeaderMap, body: Bytes) -> Response {
    let scenario = match scenario_body(&headers, &body) {
        Ok(s) => s,
        Err(bad) => return bad,
    };
    let mut rules = lock(&sim.control.rules);
    if rules.next.len() >= RECORD_LIMIT {
        return json_error(
            StatusCode::CONFLICT,
            format!("at most {RECORD_LIMIT} queued outcomes"),
        );
    }
    rules.next.push_back(scenario);
    rules_answer(&rules)
}

async fn clear_next(State(sim): State<Arc<Simulator>>) -> Response {
    let mut rules = lock(&sim.control.rules);
    rules.next.clear();
    rules_answer(&rules)
}

async fn set_dossier(
    State(sim): State<Arc<Simulator>>,
    Path(dossier_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let scenario = match scenario_body(&headers, &body) {
        Ok(s) => s,
        Err(bad) => return bad,
    };
    if sim.store().dossier(&dossier_id).is_none() {
        return json_error(StatusCode::NOT_FOUND, "dossier not found");
    }
    let mut rules = lock(&sim.control.rules);
    if let Err(full) = insert_rule(&mut rules.dossiers, dossier_id, scenario, "dossier") {
        return full;
    }
    rules_answer(&rules)
}

/// Sets a rule, within the bound of `RECORD_LIMIT` rules of its kind (`409` past it;
/// replacing an existing rule is always allowed).
fn insert_rule(
    rules: &mut BTreeMap<String, String>,
    key: String,
    scenario: String,
    kind: &str,
) -> Result<(), Response> {
    if rules.len() >= RECORD_LIMIT && !rules.contains_key(&key) {
        return Err(json_error(
            StatusCode::CONFLICT,
            format!("at most {RECORD_LIMIT} {kind} rules"),
        ));
    }
    rules.insert(key, scenario);
    Ok(())
}

async fn clear_dossier(
    State(sim): State<Arc<Simulator>>,
    Path(dossier_id): Path<String>,
) -> Response {
    let mut rules = lock(&sim.control.rules);
    if rules.dossiers.remove(&dossier_id).is_none() {
        return json_error(StatusCode::NOT_FOUND, "no rule for this dossier");
    }
    rules_answer(&rules)
}

/// An external reference as a rule's key: 1–256 characters without control characters.
fn checked_reference(reference: &str) -> Result<(), Response> {
    let ok = !reference.is_empty()
        && reference.chars().count() <= 256
        && !reference.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(json_error(
            StatusCode::BAD_REQUEST,
            "an external reference is 1-256 characters without control characters",
        ))
    }
}

async fn set_reference(
    State(sim): State<Arc<Simulator>>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(bad) = checked_reference(&reference) {
        return bad;
    }
    let scenario = match scenario_body(&headers, &body) {
        Ok(s) => s,
        Err(bad) => return bad,
    };
    let mut rules = lock(&sim.control.rules);
    if let Err(full) = insert_rule(
        &mut rules.references,
        reference,
        scenario,
        "external reference",
    ) {
        return full;
    }
    rules_answer(&rules)
}

async fn clear_reference(
    State(sim): State<Arc<Simulator>>,
    Path(reference): Path<String>,
) -> Response {
    let mut rules = lock(&sim.control.rules);
    if rules.references.remove(&reference).is_none() {
        return json_error(StatusCode::NOT_FOUND, "no rule for this external reference");
    }
    rules_answer(&rules)
}

async fn requests(State(sim): State<Arc<Simulator>>, RawQuery(query): RawQuery) -> Response {
    let pairs = match parse_query(query.as_deref()) {
        Ok(p) => p,
        Err(bad) => return bad.into_response(),
    };
    let since = match query_value(&pairs, "since").map(str::parse::<u64>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return json_error(StatusCode::BAD_REQUEST, "since must be a sequence number")
        }
    };
    let prefix = query_value(&pairs, "path").unwrap_or("");
    let record = lock(&sim.control.record);
    let entries: Vec<&Value> = record
        .entries
        .iter()
        .filter(|e| e["seq"].as_u64().is_some_and(|n| n > since))
        .filter(|e| e["path"].as_str().is_some_and(|p| p.starts_with(prefix)))
        .collect();
    Json(entries).into_response()
}

async fn clear_requests(State(sim): State<Arc<Simulator>>) -> Response {
    lock(&sim.control.record).entries.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn reset(State(sim): State<Arc<Simulator>>) -> Response {
    *lock(&sim.control.rules) = Rules::default();
    lock(&sim.control.record).entries.clear();
    sim.faults.set(None);
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /simulator/agents`: whether agents are online, the automatic agent, and the review queue.
async fn agents(State(sim): State<Arc<Simulator>>) -> Response {
    Json(agents_json(&sim)).into_response()
}

fn agents_json(sim: &Simulator) -> Value {
    let state = sim.agents.state();
    let now = super::now_ms();
    let queue: Vec<Value> = sim
        .review_queue()
        .into_iter()
        .map(|(p, queued)| {
            json!({
                "dossierId": p.dossier_id,
                "processId": p.process_id,
                "processType": p.process_type,
                "waitingMs": now.saturating_sub(queued),
            })
        })
        .collect();
    let (calls, left) = sim.live_calls();
    let calls: Vec<Value> = calls.iter().map(super::calls::live_call_json).collect();
    let left: Vec<Value> = left
        .iter()
        .map(|l| {
            json!({ "processId": l.process_id, "waitedMs": l.waited_ms, "agoMs": l.ago_ms,
                    "duringCall": l.during_call })
        })
        .collect();
    let available = matches!(sim.availability(), super::calls::Availability::Open);
    json!({
        "online": state.online,
        "autoAcceptAfterMs": state.auto_accept.map(|d| d.as_millis() as u64),
        "hours": sim.hours().map(|h| h.to_json()),
        "open": available,
        "queue": queue,
        "calls": calls,
        "left": left,
    })
}

/// `PUT /simulator/agents`: `{ "online": bool, "autoAcceptAfterMs": n | null,
/// "hours": { "opens": "HH:MM", "closes": "HH:MM" } | null }`, each optional.
async fn set_agents(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Map<String, Value> = match parse_json_request(&headers, &body) {
        Ok(r) => r,
        Err(bad) => return bad,
    };
    if let Some(key) = request
        .keys()
        .find(|k| !matches!(k.as_str(), "online" | "autoAcceptAfterMs" | "hours"))
    {
        return json_error(StatusCode::BAD_REQUEST, format!("unknown field {key}"));
    }
    let online = match request.get("online") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return json_error(StatusCode::BAD_REQUEST, "online must be true or false"),
    };
    let auto_accept =
        match request.get("autoAcceptAfterMs") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(v) => match v.as_u64().filter(|ms| *ms <= 24 * 3600 * 1000) {
                Some(ms) => Some(Some(std::time::Duration::from_millis(ms))),
                None => return json_error(
                    StatusCode::BAD_REQUEST,
                    "autoAcceptAfterMs must be a number of milliseconds (at most a day) or null",
                ),
            },
        };
    let hours = match request.get("hours") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(v) => {
            let opens = v["opens"].as_str().and_then(super::calls::Hours::minutes);
            let closes = v["closes"].as_str().and_then(super::calls::Hours::minutes);
            let only_both = v.as_object().is_some_and(|o| o.len() == 2);
            match (opens, closes) {
                (Some(opens), Some(closes)) if only_both => {
                    Some(Some(super::calls::Hours { opens, closes }))
                }
                _ => return json_error(
                    StatusCode::BAD_REQUEST,
                    "hours must be { \"opens\": \"HH:MM\", \"closes\": \"HH:MM\" } (UTC) or null",
                ),
            }
        }
    };
    sim.agents.set(online, auto_accept);
    sim.auto_agent_all();
    sim.set_hours(hours);
    Json(agents_json(&sim)).into_response()
}

/// A process as the control API lists it: what Assure answers plus where it stands in the
/// simulation, without its secrets (authorization, upload token, capture artifact).
fn process_summary(store: &Store, process: &Process) -> Value {
    let mut summary = json!({
        "dossierId": process.dossier_id,
        "processId": process.process_id,
        "provider": process.provider,
        "status": process.status,
        "scenario": process.scenario,
        "scenarioFrom": process.scenario_source,
        "createdAt": process.created_at,
        "updatedAt": process.updated_at,
    });
    if let Some(reference) = store
        .dossier(&process.dossier_id)
        .and_then(|d| d.external_reference.as_str())
    {
        summary["externalReference"] = json!(reference);
    }
    if let Some(process_type) = &process.process_type {
        summary["processType"] = json!(process_type);
    }
    if let Some(sdk) = &process.sdk {
        summary["sdk"] = json!(sdk);
    }
    if let Some(capture) = &process.capture {
        summary["capture"] = json!({
            "redirectUrl": capture.redirect_url,
            "uiLanguage": capture.ui_language,
            "finished": capture.finished,
        });
    }
    let media: Map<String, Value> = process
        .media
        .iter()
        .map(|(name, m)| {
            (
                name.clone(),
                json!({ "contentType": m.content_type, "bytes": m.bytes }),
            )
        })
        .collect();
    summary["media"] = Value::Object(media);
    summary["awaitingReview"] = json!(process.awaits_review());
    summary
}

/// Every process, oldest first.
fn all_processes(store: &Store) -> Vec<&Process> {
    let mut all: Vec<&Process> = store.processes().collect();
    all.sort_by(|a, b| (&a.created_at, &a.process_id).cmp(&(&b.created_at, &b.process_id)));
    all
}

async fn processes(State(sim): State<Arc<Simulator>>) -> Response {
    let store = sim.store();
    let all: Vec<Value> = all_processes(&store)
        .into_iter()
        .map(|p| process_summary(&store, p))
        .collect();
    Json(all).into_response()
}

async fn uploads(State(sim): State<Arc<Simulator>>) -> Response {
    let store = sim.store();
    let all: Vec<Value> = all_processes(&store)
        .into_iter()
        .flat_map(|p| {
            p.media.iter().map(|(name, m)| {
                let mut upload = json!({
                    "dossierId": p.dossier_id,
                    "processId": p.process_id,
                    "provider": p.provider,
                    "name": name,
                    "contentType": m.content_type,
                    "bytes": m.bytes,
                });
                if let Some(quality) = &m.quality {
                    upload["quality"] = quality.clone();
                }
                upload
            })
        })
        .collect();
    Json(all).into_response()
}

/// True for the paths the record keeps: the calls a backend, a capture page or an SDK makes
/// (not the page's static files).
fn is_recorded(path: &str) -> bool {
    ["/auth/", "/assure/", "/capture/api/", "/provider/api/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// Keeps a note of every call to the simulator's APIs: method, path, query, status, the ids it
/// concerns and its body without secrets (images become their type and size). Never the
/// `Authorization` header, the token endpoint's client secret, or capture artifacts.
pub(super) async fn record(
    State(sim): State<Arc<Simulator>>,
    request: Request,
    next: Next,
) -> Response {
    if !sim.settings.control || !is_recorded(request.uri().path()) {
        return next.run(request).await;
    }
    let method = request.method().to_string();
    let (path, dossier_id, process_id) =
        describe_path(&sim, request.uri().path(), request.headers());
    let query = request.uri().query().map(str::to_string);
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let readable = declared.is_some_and(|n| n > 0 && n <= RECORDED_BODY_BYTES)
        && content_type.as_deref().is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            t.starts_with("application/json") || t.starts_with("application/x-www-form-urlencoded")
        });
    let (request, body) = if readable {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, RECORDED_BODY_BYTES as usize).await else {
            return json_error(StatusCode::BAD_REQUEST, "could not read the request body");
        };
        let note = body_note(content_type.as_deref().unwrap_or(""), &bytes);
        (Request::from_parts(parts, Body::from(bytes)), note)
    } else {
        (request, None)
    };
    let response = next.run(request).await;
    let mut entry = Map::new();
    entry.insert("at".into(), json!(now_rfc3339()));
    entry.insert("method".into(), json!(method));
    entry.insert("path".into(), json!(path));
    if let Some(query) = query {
        entry.insert("query".into(), json!(query));
    }
    entry.insert("status".into(), json!(response.status().as_u16()));
    if let Some(fault) = response.extensions().get::<super::faults::Injected>() {
        entry.insert("fault".into(), json!(fault.0));
    }
    if let Some(d) = dossier_id {
        entry.insert("dossierId".into(), json!(d));
    }
    if let Some(p) = process_id {
        entry.insert("processId".into(), json!(p));
    }
    if let Some(t) = content_type {
        entry.insert("contentType".into(), json!(t));
    }
    if let Some(n) = declared {
        entry.insert("bodyBytes".into(), json!(n));
    }
    if let Some(body) = body {
        entry.insert("body".into(), body);
    }
    sim.control.remember(entry);
    response
}

/// The path as recorded (a capture artifact replaced by `[artifact]`) and the dossier and
/// process it concerns, when the path or the SDK's authorization names them.
fn describe_path(
    sim: &Simulator,
    path: &str,
    headers: &HeaderMap,
) -> (String, Option<String>, Option<String>) {
    let segments: Vec<&str> = path.split('/').collect();
    let valid = |s: Option<&&str>| s.filter(|s| ids::is_valid_id(s)).map(|s| s.to_string());
    match segments.as_slice() {
        ["", "assure", "dossiers", ..] => (path.to_string(), valid(segments.get(3)), {
            if segments.get(4) == Some(&"processes") {
                valid(segments.get(5))
            } else {
                None
            }
        }),
        ["", "capture", "api", "artifact", artifact, rest @ ..] => {
            let mut shown = String::from("/capture/api/artifact/[artifact]");
            for segment in rest {
                shown.push('/');
                shown.push_str(segment);
            }
            let store = sim.store();
            let process = store.process_of_artifact(artifact);
            (
                shown,
                process.map(|p| p.dossier_id.clone()),
                process.map(|p| p.process_id.clone()),
            )
        }
        ["", "provider", "api", ..] => {
            let authorization = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_once(' '))
                .map(|(_, t)| t.trim().to_string());
            let store = sim.store();
            let process = authorization
                .as_deref()
                .and_then(|a| store.process_of_authorization(a));
            (
                path.to_string(),
                process.map(|p| p.dossier_id.clone()),
                process.map(|p| p.process_id.clone()),
            )
        }
        _ => (path.to_string(), None, None),
    }
}

/// A request body as the record keeps it: JSON with secrets and images summarised, the token
/// endpoint's form without the client secret.
fn body_note(content_type: &str, bytes: &[u8]) -> Option<Value> {
    if content_type
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
    {
        let form: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).ok()?;
        let kept: Map<String, Value> = form
            .into_iter()
            .filter(|(k, _)| !is_secret_key(k))
            .map(|(k, v)| (k, json!(v)))
            .collect();
        return Some(Value::Object(kept));
    }
    let value: Value = serde_json::from_slice(bytes).ok()?;
    Some(without_secrets(value))
}

fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["secret", "token", "authorization", "password"]
        .iter()
        .any(|s| key.contains(s))
}

/// Replaces values under secret-looking keys with `"[redacted]"` and dataURLs with their
/// type and size.
fn without_secrets(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if is_secret_key(&k) {
                        json!("[redacted]")
                    } else {
                        without_secrets(v)
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_secrets).collect()),
        Value::String(s) if s.starts_with("data:") => {
            let kind = s[5..].split([';', ',']).next().unwrap_or("").to_string();
            let encoded = s.split_once(',').map(|(_, d)| d.len()).unwrap_or(0);
            json!(format!("[dataURL {kind}, about {} bytes]", encoded / 4 * 3))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_are_the_documented_ones() {
        for s in SCENARIOS {
            assert!(is_control_scenario(s), "{s}");
        }
        assert!(is_control_scenario("failed"));
        assert!(!is_control_scenario("explode"));
        assert!(!is_control_scenario(""));
    }

    #[test]
    fn recorded_bodies_keep_no_secrets_and_no_images() {
        let body = json!({
            "front": "data:image/jpeg;base64,AAAAAAAA",
            "nested": [{ "clientSecret": "hush", "uploadToken": "t", "keep": "me" }],
            "providers": [{ "provider": "signicatvideoid" }],
        });
        let note = body_note("application/json", body.to_string().as_bytes()).unwrap();
        assert_eq!(note["front"], "[dataURL image/jpeg, about 6 bytes]");
        assert_eq!(note["nested"][0]["clientSecret"], "[redacted]");
        assert_eq!(note["nested"][0]["uploadToken"], "[redacted]");
        assert_eq!(note["nested"][0]["keep"], "me");
        assert_eq!(note["providers"][0]["provider"], "signicatvideoid");
        let form = body_note(
            "application/x-www-form-urlencoded",
            b"grant_type=client_credentials&client_id=a&client_secret=hush",
        )
        .unwrap();
        assert_eq!(
            form,
            json!({ "grant_type": "client_credentials", "client_id": "a" })
        );
        assert_eq!(body_note("application/json", b"{nope"), None);
    }

    #[test]
    fn references_are_checked() {
        assert!(checked_reference("customer-42 / ø").is_ok());
        assert!(checked_reference("").is_err());
        assert!(checked_reference("a\nb").is_err());
        assert!(checked_reference(&"x".repeat(257)).is_err());
    }
}
