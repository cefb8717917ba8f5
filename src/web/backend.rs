//! Calls to the host backend: every answer becomes a value or a typed failure.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestCredentials, RequestInit, Response, Url};

use super::timers::Timer;
use crate::core::failure::{Failure, SessionProblem};

/// How long one backend call may take before it counts as unreachable.
const TIMEOUT_MS: u32 = 20_000;

async fn fetch_json(url: &str, init: RequestInit) -> Result<JsValue, Failure> {
    let window = super::window().ok_or(Failure::BrowserUnsupported)?;
    let controller = AbortController::new().map_err(|_| Failure::BrowserUnsupported)?;
    init.set_signal(Some(&controller.signal()));
    init.set_credentials(RequestCredentials::SameOrigin);
    let request =
        Request::new_with_str_and_init(url, &init).map_err(|_| Failure::ConfigInvalid {
            field: "session-endpoint",
        })?;
    let abort = controller.clone();
    let _deadline = Timer::once(TIMEOUT_MS, move || abort.abort());
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| Failure::NetworkUnreachable)?;
    let response: Response = response
        .dyn_into()
        .map_err(|_| Failure::NetworkUnreachable)?;
    if !response.ok() {
        return Err(Failure::BackendError {
            status: response.status(),
        });
    }
    let json = response
        .json()
        .map_err(|_| Failure::SessionInvalid(SessionProblem::MalformedAnswer))?;
    JsFuture::from(json)
        .await
        .map_err(|_| Failure::SessionInvalid(SessionProblem::MalformedAnswer))
}

fn json_headers(init: &RequestInit, with_body: bool) {
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"Accept".into(), &"application/json".into());
    if with_body {
        let _ = Reflect::set(&headers, &"Content-Type".into(), &"application/json".into());
    }
    init.set_headers(&headers);
}

/// `POST endpoint` with `{ mode, lang }`; the raw JSON answer.
pub async fn request_session(endpoint: &str, mode: &str, lang: &str) -> Result<JsValue, Failure> {
    let body = Object::new();
    let _ = Reflect::set(&body, &"mode".into(), &mode.into());
    let _ = Reflect::set(&body, &"lang".into(), &lang.into());
    let body = JSON::stringify(&body).map_err(|_| Failure::BrowserUnsupported)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    json_headers(&init, true);
    fetch_json(endpoint, init).await
}

/// `GET endpoint?dossierId=…&processId=…`; the raw JSON answer.
pub async fn request_result(
    endpoint: &str,
    dossier_id: &str,
    process_id: &str,
) -> Result<JsValue, Failure> {
    let base = super::window()
        .and_then(|w| w.location().href().ok())
        .ok_or(Failure::BrowserUnsupported)?;
    let url = Url::new_with_base(endpoint, &base).map_err(|_| Failure::ConfigInvalid {
        field: "result-endpoint",
    })?;
    let query = url.search_params();
    query.set("dossierId", dossier_id);
    query.set("processId", process_id);
    url.set_search(&query.to_string().as_string().unwrap_or_default());
    let init = RequestInit::new();
    init.set_method("GET");
    json_headers(&init, false);
    fetch_json(&url.href(), init).await
}

/// `POST {upload_url}/complete` with the upload token: all artifacts are in.
pub async fn complete_native(upload_url: &str, token: &str) -> Result<(), Failure> {
    let init = RequestInit::new();
    init.set_method("POST");
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"Accept".into(), &"application/json".into());
    let _ = Reflect::set(
        &headers,
        &"Authorization".into(),
        &format!("Bearer {token}").into(),
    );
    init.set_headers(&headers);
    fetch_json(
        &format!("{}/complete", upload_url.trim_end_matches('/')),
        init,
    )
    .await
    .map(|_| ())
}
