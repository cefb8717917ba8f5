//! The Assure API paths: dossiers, capture flows, processes, document types, capture configurations.

use super::model::{self, CaptureFlow, Dossier, Outcome, Process, Status};
use super::{control, is_scenario, storage_error, Simulator};
use crate::clock::now_rfc3339;
use crate::http::{json_error, parse_json_request};
use crate::ids;
use crate::published::{self, VIDEOID};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub(super) fn router() -> Router<Arc<Simulator>> {
    Router::new()
        .route("/assure/dossiers", post(create_dossier).get(list_dossiers))
        .route(
            "/assure/dossiers/{dossier_id}",
            get(get_dossier).delete(delete_dossier),
        )
        .route("/assure/dossiers/{dossier_id}/capture", post(start_capture))
        .route(
            "/assure/dossiers/{dossier_id}/processes",
            post(create_process),
        )
        .route(
            "/assure/dossiers/{dossier_id}/processes/{process_id}",
            get(get_process)
                .post(start_verification)
                .delete(delete_process),
        )
        .route(
            "/assure/dossiers/{dossier_id}/processes/{process_id}/fail",
            post(fail_process),
        )
        .route("/assure/{provider}/document-types", get(document_types))
        .route(
            "/assure/capture/configurations",
            get(list_configurations).post(create_configuration),
        )
        .route(
            "/assure/capture/configurations/{configuration_id}",
            get(get_configuration)
                .put(update_configuration)
                .delete(delete_configuration),
        )
}

fn not_found(what: &str) -> Response {
    json_error(StatusCode::NOT_FOUND, format!("{what} not found"))
}

fn bad_request(message: &str) -> Response {
    json_error(StatusCode::BAD_REQUEST, message)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CreateDossier {
    #[serde(default)]
    external_reference: Option<Value>,
}

async fn create_dossier(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: CreateDossier = match parse_json_request(&headers, &body) {
        Ok(r) => r,
        Err(bad) => return bad,
    };
    let reference = request.external_reference.unwrap_or(Value::Null);
    if !(reference.is_null() || reference.is_string()) {
        return bad_request("externalReference must be a string");
    }
    let now = now_rfc3339();
    let dossier = Dossier {
        dossier_id: ids::uuid(),
        external_reference: reference,
        created_at: now.clone(),
        updated_at: now,
        process_ids: Vec::new(),
    };
    let answer = dossier.to_json();
    if let Err(e) = sim.store().save_dossier(dossier) {
        return storage_error(e);
    }
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn list_dossiers(State(sim): State<Arc<Simulator>>) -> Response {
    let store = sim.store();
    let all: Vec<Value> = store
        .dossiers()
        .iter()
        .filter_map(|d| store.dossier_json(&d.dossier_id))
        .collect();
    Json(all).into_response()
}

async fn get_dossier(
    State(sim): State<Arc<Simulator>>,
    Path(dossier_id): Path<String>,
) -> Response {
    match sim.store().dossier_json(&dossier_id) {
        Some(dossier) => Json(dossier).into_response(),
        None => not_found("dossier"),
    }
}

async fn delete_dossier(
    State(sim): State<Arc<Simulator>>,
    Path(dossier_id): Path<String>,
) -> Response {
    match sim.store().delete_dossier(&dossier_id) {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => not_found("dossier"),
        Err(e) => storage_error(e),
    }
}

async fn get_process(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
) -> Response {
    match sim.store().process(&dossier_id, &process_id) {
        Some(process) => Json(process.to_json()).into_response(),
        None => not_found("process"),
    }
}

async fn delete_process(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
) -> Response {
    match sim.store().delete_process(&dossier_id, &process_id) {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => not_found("process"),
        Err(e) => storage_error(e),
    }
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

impl SimulatorBlock {
    fn validate(&self) -> Result<(), String> {
        if self.scenario.as_deref().is_some_and(|s| !is_scenario(s)) {
            return Err("unknown simulator scenario".into());
        }
        if self
            .framing
            .as_deref()
            .is_some_and(|f| f != "deny" && f != "allow")
        {
            return Err("simulator framing must be deny or allow".into());
        }
        Ok(())
    }
}

/// A provider choice checked against the published lists: `(provider, processType)`, the
/// provider by its published name (`eid` is `signicatvideoid`). VideoID's default process type
/// is `high`; other providers have none unless the request names one.
fn checked_choice(
    choice: &ProviderChoice,
    providers: &[&str],
    process_types: &[&str],
) -> Result<(String, Option<String>), String> {
    let Some(provider) = published::provider(&choice.provider, providers) else {
        return Err(format!(
            "provider must be one of {} (or eid)",
            providers.join(", ")
        ));
    };
    let process_type = match choice.process_type.as_deref() {
        Some(t) if process_types.contains(&t) => Some(t.to_string()),
        Some(_) => {
            return Err(format!(
                "processType must be one of {}",
                process_types.join(", ")
            ))
        }
        None if provider == VIDEOID => Some("high".to_string()),
        None => None,
    };
    Ok((provider.to_string(), process_type))
}

fn checked_sdk(sdk: Option<&str>) -> Result<(), String> {
    match sdk {
        Some(s) if !published::SDKS.contains(&s) => Err("sdk must be native or capture".into()),
        _ => Ok(()),
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
    capture_parameters: Option<CaptureParameters>,
    #[serde(default)]
    event_tags: Option<Vec<String>>,
    #[serde(default)]
    simulator: Option<SimulatorBlock>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CaptureParameters {
    #[serde(default)]
    ui_language: Option<String>,
    #[serde(default)]
    ui_profile: Option<String>,
}

/// A start-capture request, checked: `(processType, redirectUrl)` or a 400 message.
fn validate_capture(request: &StartCapture) -> Result<(Option<String>, String), String> {
    let choice = request
        .providers
        .first()
        .ok_or("providers must name a provider")?;
    let (provider, process_type) = checked_choice(
        choice,
        published::CAPTURE_PROVIDERS,
        published::CAPTURE_PROCESS_TYPES,
    )?;
    if provider != VIDEOID {
        return Err(format!(
            "the simulator's hosted capture flow is VideoID's: {provider} is published but not simulated; use signicatvideoid (or eid)"
        ));
    }
    checked_sdk(request.sdk.as_deref())?;
    let redirect_url = request
        .redirect_url
        .clone()
        .ok_or("redirectUrl is required")?;
    let parsed = reqwest::Url::parse(&redirect_url).map_err(|_| "redirectUrl is not a URL")?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err("redirectUrl must be an http(s) URL".into());
    }
    if let Some(block) = &request.simulator {
        block.validate()?;
    }
    if request
        .event_tags
        .as_ref()
        .is_some_and(|tags| tags.len() > 20 || tags.iter().any(|t| t.len() > 100))
    {
        return Err("eventTags: at most 20 tags of at most 100 characters".into());
    }
    Ok((process_type, redirect_url))
}

fn new_process(
    dossier_id: &str,
    provider: String,
    process_type: Option<String>,
    sdk: Option<String>,
) -> Process {
    let now = now_rfc3339();
    Process {
        process_id: ids::uuid(),
        dossier_id: dossier_id.to_string(),
        provider,
        process_type,
        sdk,
        status: Status::Pending,
        scenario: None,
        scenario_source: None,
        outcome: None,
        final_at_ms: None,
        fail_reason: None,
        capture: None,
        authorization: None,
        authorization_expires_at_ms: None,
        video: None,
        media: Default::default(),
        event_tags: Vec::new(),
        review_queued_at_ms: None,
        review: None,
        created_at: now.clone(),
        updated_at: now,
    }
}

impl Simulator {
    /// Gives a VideoID process the token its web SDK works with (it expires with the
    /// configured upload lifetime).
    fn authorize(&self, process: &mut Process) {
        process.authorization = Some(ids::token());
        process.authorization_expires_at_ms =
            Some(super::now_ms() + self.settings.upload_lifetime.as_millis() as u64);
    }

    /// `providerApiUrl`: where VideoID's web SDK and its API live.
    pub(super) fn provider_api_url(&self) -> String {
        format!("{}/provider", self.settings.base_url)
    }
}

/// The document type a hosted VideoID SDK captures: the capture configuration's first allowed
/// VideoID document type, else the default.
fn hosted_id_type(configuration: Option<&Value>) -> u32 {
    configuration
        .and_then(|c| c["signicatvideoidConfig"]["allowedIdTypes"].as_array())
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .filter_map(|id| u32::try_from(id).ok())
        .find(|id| model::document_type_by_id(*id).is_some())
        .unwrap_or(model::DEFAULT_ID_TYPE)
}

async fn start_capture(
    State(sim): State<Arc<Simulator>>,
    Path(dossier_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: StartCapture = match parse_json_request(&headers, &body) {
        Ok(r) => r,
        Err(bad) => return bad,
    };
    let (process_type, redirect_url) = match validate_capture(&request) {
        Ok(v) => v,
        Err(message) => return bad_request(&message),
    };
    let block = request.simulator.unwrap_or_default();
    let parameters = request.capture_parameters.unwrap_or_default();
    let mut store = sim.store();
    if store.dossier(&dossier_id).is_none() {
        return not_found("dossier");
    }
    let configuration = match &parameters.ui_profile {
        Some(profile) => match store.configurations().get(profile) {
            Some(c) => Some(c.clone()),
            None => {
                return bad_request("captureParameters.uiProfile is not a capture configuration")
            }
        },
        None => None,
    };
    let choice = sim.control.choose(&store, &dossier_id, block.scenario);
    if choice.is_backend_error() {
        return control::backend_error();
    }
    let native = request.sdk.as_deref() == Some("native");
    let mut process = new_process(&dossier_id, VIDEOID.to_string(), process_type, request.sdk);
    let artifact = ids::token();
    process.scenario = choice.scenario;
    process.scenario_source = choice.source.map(str::to_string);
    process.event_tags = request.event_tags.unwrap_or_default();
    process.capture = Some(CaptureFlow {
        artifact: artifact.clone(),
        redirect_url,
        auto: block.auto,
        finished: false,
        ui_language: parameters.ui_language,
        ui_profile: parameters.ui_profile,
        id_type: native.then(|| hosted_id_type(configuration.as_ref())),
        upload_token: None,
        upload_expires_at_ms: None,
    });
    if native {
        sim.authorize(&mut process);
    }
    if let Err(e) = store.save_process(process) {
        return storage_error(e);
    }
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateProcess {
    provider: Option<String>,
    #[serde(default)]
    process_type: Option<String>,
    #[serde(default)]
    sdk: Option<String>,
    #[serde(default)]
    event_tags: Option<Vec<String>>,
    #[serde(default)]
    simulator: Option<SimulatorBlock>,
}

async fn create_process(
    State(sim): State<Arc<Simulator>>,
    Path(dossier_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: CreateProcess = match parse_json_request(&headers, &body) {
        Ok(r) => r,
        Err(bad) => return bad,
    };
    let Some(provider) = request.provider else {
        return bad_request("provider is required");
    };
    let choice = ProviderChoice {
        provider,
        process_type: request.process_type,
    };
    let (provider, process_type) = match checked_choice(
        &choice,
        published::PROCESS_PROVIDERS,
        published::PROCESS_TYPES,
    ) {
        Ok(v) => v,
        Err(message) => return bad_request(&message),
    };
    if let Err(message) = checked_sdk(request.sdk.as_deref()) {
        return bad_request(&message);
    }
    let block = request.simulator.unwrap_or_default();
    if let Err(message) = block.validate() {
        return bad_request(&message);
    }
    if request
        .event_tags
        .as_ref()
        .is_some_and(|tags| tags.len() > 20 || tags.iter().any(|t| t.len() > 100))
    {
        return bad_request("eventTags: at most 20 tags of at most 100 characters");
    }
    let mut store = sim.store();
    if store.dossier(&dossier_id).is_none() {
        return not_found("dossier");
    }
    let choice = sim.control.choose(&store, &dossier_id, block.scenario);
    if choice.is_backend_error() {
        return control::backend_error();
    }
    let mut process = new_process(&dossier_id, provider, process_type, request.sdk);
    process.scenario = choice.scenario;
    process.scenario_source = choice.source.map(str::to_string);
    process.event_tags = request.event_tags.unwrap_or_default();
    let mut answer = process.to_json();
    if process.is_videoid() {
        sim.authorize(&mut process);
        answer["authorization"] = json!(process.authorization);
        answer["providerApiUrl"] = json!(sim.provider_api_url());
    }
    if let Err(e) = store.save_process(process) {
        return storage_error(e);
    }
    (StatusCode::CREATED, Json(answer)).into_response()
}

/// Media verification needs before it can start: VideoID's front, selfie and video (its SDK
/// uploads them); a direct-upload provider's front (the back and selfie are optional).
pub(super) fn required_media(process: &Process) -> &'static [&'static str] {
    if process.is_videoid() {
        &["front", "selfie", "video"]
    } else {
        &["front"]
    }
}

/// `POST …/processes/{p}`: starts verification of a process whose media are in.
async fn start_verification(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
) -> Response {
    let mut store = sim.store();
    let Some(process) = store.process(&dossier_id, &process_id).cloned() else {
        return not_found("process");
    };
    if process.capture.is_some() {
        return json_error(
            StatusCode::CONFLICT,
            "this process runs through its hosted capture flow",
        );
    }
    if process.status != Status::Pending {
        return json_error(StatusCode::CONFLICT, "the process is not pending");
    }
    let missing: Vec<&str> = required_media(&process)
        .iter()
        .copied()
        .filter(|m| !process.media.contains_key(*m))
        .collect();
    if !missing.is_empty() {
        return (
            StatusCode::CONFLICT,
            Json(json!({ "error": "media are missing", "missing": missing })),
        )
            .into_response();
    }
    // Nobody can be inactive once everything is uploaded: no-interaction ends as failed.
    let outcome = process.scenario_outcome();
    if let Err(e) = sim.start_processing(&mut store, process, outcome) {
        return storage_error(e);
    }
    match store.process(&dossier_id, &process_id) {
        Some(process) => (StatusCode::ACCEPTED, Json(process.to_json())).into_response(),
        None => not_found("process"),
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct FailRequest {
    #[serde(default)]
    fail_reason: Option<FailReason>,
}

#[derive(Deserialize, serde::Serialize)]
struct FailReason {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    message: Option<String>,
}

/// `POST …/fail`: a pending process becomes `failed`; anything else is a 409.
async fn fail_process(
    State(sim): State<Arc<Simulator>>,
    Path((dossier_id, process_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: FailRequest = match parse_json_request(&headers, &body) {
        Ok(r) => r,
        Err(bad) => return bad,
    };
    let reason = match request.fail_reason {
        Some(r) if r.kind.is_empty() || r.kind.len() > 100 => {
            return bad_request("failReason.type must be 1-100 characters")
        }
        Some(r) => json!({ "type": r.kind, "message": r.message.unwrap_or_default() }),
        None => {
            json!({ "type": "Process.Failed", "message": "The process was failed through the API" })
        }
    };
    let mut store = sim.store();
    let Some(mut process) = store.process(&dossier_id, &process_id).cloned() else {
        return not_found("process");
    };
    if process.status != Status::Pending {
        return json_error(StatusCode::CONFLICT, "only a pending process can be failed");
    }
    process.status = Status::Failed;
    process.outcome = Some(Outcome::Failed);
    process.fail_reason = Some(reason);
    process.updated_at = now_rfc3339();
    if let Some(capture) = process.capture.as_mut() {
        capture.finished = true;
    }
    let answer = process.to_json();
    if let Err(e) = sim.complete(&mut store, process) {
        return storage_error(e);
    }
    Json(answer).into_response()
}

async fn document_types(Path(provider): Path<String>) -> Response {
    match published::provider(&provider, published::DOCUMENT_TYPE_PROVIDERS) {
        Some(provider) => Json(model::document_types(provider)).into_response(),
        None => json_error(
            StatusCode::NOT_FOUND,
            format!(
                "document types exist for {} (and eid)",
                published::DOCUMENT_TYPE_PROVIDERS.join(", ")
            ),
        ),
    }
}

/// Checks a capture configuration body; `eidConfig` is read as `signicatvideoidConfig`.
fn validate_configuration(mut body: Value) -> Result<Value, &'static str> {
    let object = body
        .as_object_mut()
        .ok_or("a capture configuration is a JSON object")?;
    for key in ["configurationId", "createdAt", "updatedAt"] {
        object.remove(key);
    }
    if let Some(old) = object.remove("eidConfig") {
        object.entry("signicatvideoidConfig").or_insert(old);
    }
    let is_strings = |v: &Value| {
        v.as_array()
            .is_some_and(|a| a.iter().all(|x| x.as_str().is_some_and(|s| s.len() <= 100)))
    };
    if object.get("name").is_some_and(|n| !n.is_string()) {
        return Err("name must be a string");
    }
    if object.get("languages").is_some_and(|v| !is_strings(v)) {
        return Err("languages must be an array of language codes");
    }
    if object.get("colors").is_some_and(|c| {
        !c.as_object()
            .is_some_and(|m| m.values().all(Value::is_string))
    }) {
        return Err("colors must be an object of colour strings");
    }
    if object.get("documentTypes").is_some_and(|v| {
        !v.as_array()
            .is_some_and(|a| a.iter().all(|x| x.is_u64() || x.is_string()))
    }) {
        return Err("documentTypes must be an array of document type ids");
    }
    if let Some(videoid) = object.get("signicatvideoidConfig") {
        let block = videoid
            .as_object()
            .ok_or("signicatvideoidConfig must be an object")?;
        for flag in ["checkRequirements", "useModal", "minRequirementsMandatory"] {
            if block.get(flag).is_some_and(|v| !v.is_boolean()) {
                return Err("signicatvideoidConfig flags must be booleans");
            }
        }
        if block
            .get("allowedIdTypes")
            .is_some_and(|v| !v.as_array().is_some_and(|a| a.iter().all(Value::is_u64)))
        {
            return Err("signicatvideoidConfig.allowedIdTypes must be an array of integers");
        }
        if block
            .get("sdkLoadTimeout")
            .is_some_and(|v| !v.as_u64().is_some_and(|s| (1..=600).contains(&s)))
        {
            return Err("signicatvideoidConfig.sdkLoadTimeout must be 1-600 seconds");
        }
    }
    Ok(body)
}

async fn list_configurations(State(sim): State<Arc<Simulator>>) -> Response {
    let store = sim.store();
    let mut all: Vec<&Value> = store.configurations().values().collect();
    all.sort_by(|a, b| a["createdAt"].as_str().cmp(&b["createdAt"].as_str()));
    Json(all).into_response()
}

async fn create_configuration(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: Value = match parse_json_request(&headers, &body) {
        Ok(v) => v,
        Err(bad) => return bad,
    };
    let mut value = match validate_configuration(body) {
        Ok(v) => v,
        Err(message) => return bad_request(message),
    };
    let id = ids::uuid();
    let now = now_rfc3339();
    value["configurationId"] = json!(id);
    value["createdAt"] = json!(now);
    value["updatedAt"] = json!(now);
    let mut store = sim.store();
    if store.configurations().len() >= super::store::MAX_CONFIGURATIONS {
        return json_error(
            StatusCode::CONFLICT,
            format!(
                "at most {} capture configurations (a limit of the simulator): delete one first",
                super::store::MAX_CONFIGURATIONS
            ),
        );
    }
    if let Err(e) = store.save_configuration(&id, value.clone()) {
        return storage_error(e);
    }
    (StatusCode::CREATED, Json(value)).into_response()
}

async fn get_configuration(State(sim): State<Arc<Simulator>>, Path(id): Path<String>) -> Response {
    match sim.store().configurations().get(&id) {
        Some(value) => Json(value.clone()).into_response(),
        None => not_found("capture configuration"),
    }
}

async fn update_configuration(
    State(sim): State<Arc<Simulator>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: Value = match parse_json_request(&headers, &body) {
        Ok(v) => v,
        Err(bad) => return bad,
    };
    let mut value = match validate_configuration(body) {
        Ok(v) => v,
        Err(message) => return bad_request(message),
    };
    let mut store = sim.store();
    let Some(old) = store.configurations().get(&id) else {
        return not_found("capture configuration");
    };
    value["configurationId"] = json!(id);
    value["createdAt"] = old["createdAt"].clone();
    value["updatedAt"] = json!(now_rfc3339());
    if let Err(e) = store.save_configuration(&id, value.clone()) {
        return storage_error(e);
    }
    Json(value).into_response()
}

async fn delete_configuration(
    State(sim): State<Arc<Simulator>>,
    Path(id): Path<String>,
) -> Response {
    match sim.store().delete_configuration(&id) {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => not_found("capture configuration"),
        Err(e) => storage_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(body: Value) -> Result<(Option<String>, String), String> {
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
                Some("high".to_string()),
                "https://host.example/return".to_string()
            )
        );
        let no_redirect = json!({ "providers": [{ "provider": "signicatvideoid" }] });
        assert_eq!(
            capture(no_redirect),
            Err("redirectUrl is required".to_string())
        );
        for sdk in ["native", "capture"] {
            let ok = json!({ "providers": [{ "provider": "signicatvideoid" }],
                             "sdk": sdk, "redirectUrl": "https://h/r" });
            assert!(capture(ok).is_ok(), "{sdk}");
        }
        let sdk = json!({ "providers": [{ "provider": "eid" }], "sdk": "web", "redirectUrl": "https://h/r" });
        assert!(capture(sdk).is_err());
        for process_type in published::CAPTURE_PROCESS_TYPES {
            let ok = json!({ "providers": [{ "provider": "eid", "processType": process_type }],
                             "redirectUrl": "https://h/r" });
            assert_eq!(capture(ok).unwrap().0.as_deref(), Some(*process_type));
        }
        for process_type in ["sdk", "hybrid", "High"] {
            let bad = json!({ "providers": [{ "provider": "eid", "processType": process_type }],
                              "redirectUrl": "https://h/r" });
            assert!(capture(bad).is_err(), "{process_type}");
        }
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
        assert!(capture(json!({ "providers": [], "redirectUrl": "https://h/r" })).is_err());
    }

    #[test]
    fn configurations() {
        let ok = validate_configuration(json!({
            "name": "demo", "languages": ["en", "nb"],
            "eidConfig": { "useModal": true, "allowedIdTypes": [1, 2], "sdkLoadTimeout": 30 },
        }))
        .unwrap();
        assert_eq!(ok["signicatvideoidConfig"]["allowedIdTypes"], json!([1, 2]));
        assert!(ok.get("eidConfig").is_none());
        for bad in [
            json!([1]),
            json!({ "name": 3 }),
            json!({ "signicatvideoidConfig": { "useModal": "yes" } }),
            json!({ "signicatvideoidConfig": { "allowedIdTypes": ["a"] } }),
            json!({ "signicatvideoidConfig": { "sdkLoadTimeout": 0 } }),
        ] {
            assert!(validate_configuration(bad.clone()).is_err(), "{bad}");
        }
    }
}
