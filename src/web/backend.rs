//! JSON calls to the host backend through `gloo_net::http`: every answer
//! becomes a value or a typed failure, here and nowhere else.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::{AbortController, RequestCredentials, RequestRedirect, Url};

use super::props::from_js;
use super::timers::Timer;
use crate::core::config::Credentials;
use crate::core::contract::{HandoffAnswer, ProcessAnswer, SessionAnswer};
use crate::core::failure::{Failure, SessionProblem};

/// How long one backend call may take, answer included, before it counts as unreachable.
const TIMEOUT_MS: u32 = 20_000;

/// The largest answer read; anything longer is not a backend answer of this contract.
const MAX_ANSWER_BYTES: usize = 1 << 20;

const MALFORMED: Failure = Failure::SessionInvalid(SessionProblem::MalformedAnswer);

/// Sends `request` and reads its JSON answer; `field` names the attribute
/// that gave the URL, for a URL the browser refuses; `credentials` says
/// whether cookies go to another origin (the `credentials` attribute).
async fn call(
    request: RequestBuilder,
    body: Option<String>,
    field: &'static str,
    credentials: Credentials,
) -> Result<JsValue, Failure> {
    let controller = AbortController::new().map_err(|_| Failure::BrowserUnsupported)?;
    let request = request
        .credentials(match credentials {
            Credentials::SameOrigin => RequestCredentials::SameOrigin,
            Credentials::Include => RequestCredentials::Include,
        })
        // The endpoint answers itself: a redirect is a fault, never followed.
        .redirect(RequestRedirect::Error)
        .header("Accept", "application/json")
        .abort_signal(Some(&controller.signal()));
    let request: Result<Request, _> = match body {
        Some(body) => request
            .header("Content-Type", "application/json")
            .body(body),
        None => request.build(),
    };
    let request = request.map_err(|_| Failure::ConfigInvalid { field })?;
    // Dropped when this call ends; until then it bounds the answer's body too.
    let _deadline = Timer::once(TIMEOUT_MS, move || controller.abort());
    let response = request
        .send()
        .await
        .map_err(|_| Failure::NetworkUnreachable)?;
    if !response.ok() {
        return Err(Failure::BackendError {
            status: response.status(),
            retry_after: retry_after(response.headers().get("retry-after").as_deref()),
        });
    }
    read_json(&response).await
}

/// Whole seconds of a `Retry-After` header (its seconds form; a date is ignored), at most a day.
pub fn retry_after(value: Option<&str>) -> Option<u32> {
    crate::core::decimal(value?.trim(), 5).filter(|s| *s <= 86_400)
}

/// The answer's body as a JS value, if it is JSON of a sensible size.
async fn read_json(response: &Response) -> Result<JsValue, Failure> {
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|n| n.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_ANSWER_BYTES) {
        return Err(MALFORMED);
    }
    // A body cut off mid-way (a reset, the deadline) is a network fault.
    let text = response
        .text()
        .await
        .map_err(|_| Failure::NetworkUnreachable)?;
    if text.len() > MAX_ANSWER_BYTES {
        return Err(MALFORMED);
    }
    js_sys::JSON::parse(&text).map_err(|_| MALFORMED)
}

fn json<T: Serialize>(value: &T) -> Result<String, Failure> {
    let value = serde_wasm_bindgen::to_value(value).map_err(|_| Failure::BrowserUnsupported)?;
    js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or(Failure::BrowserUnsupported)
}

/// The body of a session request.
#[derive(Serialize)]
struct SessionRequest<'a> {
    mode: &'a str,
    lang: &'a str,
}

/// `POST endpoint` with `{ mode, lang }`: the session answer, checked for shape.
pub async fn request_session(
    endpoint: &str,
    mode: &str,
    lang: &str,
    credentials: Credentials,
) -> Result<SessionAnswer, Failure> {
    let body = json(&SessionRequest { mode, lang })?;
    let answer = call(
        Request::post(endpoint),
        Some(body),
        "session-endpoint",
        credentials,
    )
    .await?;
    from_js(answer).ok_or(MALFORMED)
}

/// `POST url` with `{ mode, lang }` (a link), `GET url` (its status) or
/// `DELETE url` (revoke): the answer, checked for shape.
pub async fn handoff(
    method: &str,
    url: &str,
    mode: &str,
    lang: &str,
    credentials: Credentials,
) -> Result<HandoffAnswer, Failure> {
    let (request, body) = match method {
        "POST" => (
            Request::post(url),
            Some(json(&SessionRequest { mode, lang })?),
        ),
        "DELETE" => (Request::delete(url), None),
        _ => (Request::get(url), None),
    };
    let answer = call(request, body, "handoff-endpoint", credentials).await?;
    from_js(answer).ok_or(MALFORMED)
}

/// `GET endpoint?dossierId=…&processId=…`: the process's fields the flow
/// reads, and the whole process as sent (for `videoid-result`).
pub async fn request_result(
    endpoint: &str,
    dossier_id: &str,
    process_id: &str,
    credentials: Credentials,
) -> Result<(ProcessAnswer, JsValue), Failure> {
    let base = super::window()
        .and_then(|w| w.location().href().ok())
        .ok_or(Failure::BrowserUnsupported)?;
    let url = Url::new_with_base(endpoint, &base).map_err(|_| Failure::ConfigInvalid {
        field: "result-endpoint",
    })?;
    let query = url.search_params();
    query.set("dossierId", dossier_id);
    query.set("processId", process_id);
    url.set_search(&String::from(query.to_string()));
    let answer = call(
        Request::get(&url.href()),
        None,
        "result-endpoint",
        credentials,
    )
    .await?;
    let process = from_js(answer.clone()).ok_or(MALFORMED)?;
    Ok((process, answer))
}

/// `POST {upload_url}/complete` with the upload token: all artifacts are in.
/// The token authorizes it: no cookie goes with it.
pub async fn complete_native(upload_url: &str, token: &str) -> Result<(), Failure> {
    let url = format!("{}/complete", upload_url.trim_end_matches('/'));
    let request = Request::post(&url).header("Authorization", &format!("Bearer {token}"));
    call(request, None, "session-endpoint", Credentials::SameOrigin)
        .await
        .map(|_| ())
}

/// Carries out the flow's calls to the host backend, feeding each answer to
/// `sender` (a handoff revoke is best effort: nothing is fed back).
pub fn carry_out(
    effect: crate::core::flow::Effect,
    credentials: Credentials,
    sender: &super::sender::Sender,
    process: &std::rc::Rc<std::cell::RefCell<JsValue>>,
) {
    use crate::core::flow::{Effect, Input};
    let sender = sender.clone();
    match effect {
        Effect::FetchSession {
            attempt,
            endpoint,
            mode,
            lang,
        } => crate::spawn(async move {
            let answer = request_session(&endpoint, mode, lang, credentials).await;
            let now_ms = js_sys::Date::now();
            let seed = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
            sender.send(Input::SessionLoaded {
                attempt,
                answer,
                now_ms,
                seed,
            });
        }),
        Effect::FetchResult {
            attempt,
            endpoint,
            dossier_id,
            process_id,
        } => {
            let process = std::rc::Rc::downgrade(process);
            crate::spawn(async move {
                let answer = request_result(&endpoint, &dossier_id, &process_id, credentials).await;
                let result = answer.map(|(parsed, raw)| {
                    if let Some(slot) = process.upgrade() {
                        *slot.borrow_mut() = raw;
                    }
                    crate::core::contract::ProcessView::from(parsed)
                });
                sender.send(Input::ResultLoaded { attempt, result });
            })
        }
        Effect::Handoff {
            attempt,
            method,
            url,
            mode,
            lang,
        } => crate::spawn(async move {
            let answer = handoff(method, &url, mode, lang, credentials).await;
            if method != "DELETE" {
                sender.send(Input::HandoffAnswered { attempt, answer });
            }
        }),
        _ => {}
    }
}
