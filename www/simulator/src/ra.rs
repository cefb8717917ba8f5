//! The RA console under `/ra/`: the simulator's stand-in for VideoID's Registration Authority
//! app, where an agent reviews recorded verifications and registers them.
//!
//! ```text
//! GET  /ra/                                  the queue (sign-in first)
//! GET  /ra/sign-in                           the sign-in form
//! POST /ra/sign-in                           user, password → the session cookie
//! POST /ra/sign-out                          ends the session
//! GET  /ra/processes/{processId}             the review page: stills, video, OCR, face match
//! GET  /ra/processes/{processId}/media/{m}   front, back, selfie, portrait or video
//! POST /ra/processes/{processId}/accept      → accepted (with finalResult), one webhook
//! POST /ra/processes/{processId}/reject      type[], message[] → rejected, one webhook
//! GET  /ra/calls/{processId}                 a live interview (`calls.rs`; script /ra/static/call.js)
//! GET  /ra/ws                                the console's socket of live calls (`calls.rs`)
//! ```
//! Processes of an agent-reviewed type (`high`, `substantial`: see
//! [`crate::model::is_agent_reviewed`]) stay `processing` after their capture until an agent
//! registers them here (or the automatic agent of the control API does). A second
//! registration is a `409`. The session is an `HttpOnly`, `SameSite=Strict` cookie; every
//! `POST` must come from the simulator's own origin (`Origin`), and those of a signed-in agent
//! carry the session's form token as well. Pages are plain HTML under a CSP without scripts,
//! except the call page, which runs its own served script (`script-src 'self'`).

use crate::agent_session::{cookie_token, signed_in};
pub use crate::agent_session::{AUTO_AGENT, COOKIE};
use crate::clock::now_rfc3339;
use crate::ids;
use crate::model::{AgentReview, Process, RejectionReason, Status, REJECTION_TYPES};
use crate::{now_ms, Simulator};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Default user name of the console's agent.
pub const DEFAULT_AGENT_USER: &str = "agent";
/// Default password of the console's agent.
pub const DEFAULT_AGENT_PASSWORD: &str = "videoid-sim-agent";
/// How long a console session lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 3600);
/// Most rejection reasons one registration takes.
pub const MAX_REASONS: usize = 10;
/// Longest rejection message.
pub const MAX_MESSAGE: usize = 500;

const POLICY: &str = "default-src 'none'; img-src 'self'; media-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The console's agent and the automatic agent, as configured.
#[derive(Clone, Debug)]
pub struct AgentSettings {
    /// User name agents sign in with (`VIDEOID_SIM_AGENT_USER`).
    pub user: String,
    /// Password agents sign in with (`VIDEOID_SIM_AGENT_PASSWORD`).
    pub password: String,
    /// The automatic agent accepts each queued process this long after it entered the queue
    /// (`VIDEOID_SIM_AUTO_AGENT_MS`); `None`: no automatic agent.
    pub auto_accept: Option<Duration>,
}

impl Default for AgentSettings {
    fn default() -> Self {
        AgentSettings {
            user: DEFAULT_AGENT_USER.to_string(),
            password: DEFAULT_AGENT_PASSWORD.to_string(),
            auto_accept: None,
        }
    }
}

/// The agents' state: online or not, the automatic agent, the console sessions.
pub(crate) struct Agents {
    state: Mutex<AgentState>,
    sessions: Mutex<HashMap<String, Session>>,
}

#[derive(Clone, Copy)]
pub(crate) struct AgentState {
    /// Whether agents register anything (offline: the queue waits, registrations are `503`).
    pub(crate) online: bool,
    pub(crate) auto_accept: Option<Duration>,
}

struct Session {
    agent: String,
    csrf: String,
    expires: Instant,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Agents {
    pub(crate) fn new(settings: &AgentSettings) -> Agents {
        Agents {
            state: Mutex::new(AgentState {
                online: true,
                auto_accept: settings.auto_accept,
            }),
            sessions: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn state(&self) -> AgentState {
        *lock(&self.state)
    }

    pub(crate) fn set(&self, online: Option<bool>, auto_accept: Option<Option<Duration>>) {
        let mut state = lock(&self.state);
        if let Some(online) = online {
            state.online = online;
        }
        if let Some(auto_accept) = auto_accept {
            state.auto_accept = auto_accept;
        }
    }

    pub(crate) fn session(&self, token: &str) -> Option<(String, String)> {
        let mut sessions = lock(&self.sessions);
        let now = Instant::now();
        sessions.retain(|_, s| s.expires > now);
        sessions
            .get(token)
            .map(|s| (s.agent.clone(), s.csrf.clone()))
    }
}

/// Why a registration was refused.
#[derive(Debug)]
pub enum RegisterError {
    /// No such process.
    NotFound,
    /// The process is not waiting for an agent (already registered, or never queued).
    NotWaiting,
    /// Agents are offline (control API).
    Offline,
    /// The store failed.
    Storage(std::io::Error),
}

/// An agent's decision.
pub enum Decision {
    Accept,
    Reject(Vec<RejectionReason>),
}

impl Simulator {
    /// Registers an agent's decision on a queued process: `accepted` (with `finalResult`) or
    /// `rejected` with the reasons in `manualApproval`; `process.complete` is queued once.
    pub fn register(
        self: &Arc<Self>,
        process_id: &str,
        agent: &str,
        decision: Decision,
    ) -> Result<Value, RegisterError> {
        if !self.agents.state().online {
            return Err(RegisterError::Offline);
        }
        let mut store = self.store();
        let Some(mut process) = store.process_by_id(process_id).cloned() else {
            return Err(RegisterError::NotFound);
        };
        if !process.awaits_review() {
            return Err(RegisterError::NotWaiting);
        }
        let rejection_reasons = match decision {
            Decision::Accept => {
                // The agent vouches for the document: the accepted result throughout.
                process.status = Status::Accepted;
                process.outcome = Some(crate::Outcome::Accepted);
                Vec::new()
            }
            Decision::Reject(reasons) => {
                process.status = Status::Rejected;
                reasons
            }
        };
        process.review = Some(AgentReview {
            agent: agent.to_string(),
            registered_at: now_rfc3339(),
            rejection_reasons,
        });
        process.review_queued_at_ms = None;
        process.final_at_ms = None;
        process.updated_at = now_rfc3339();
        let answer = process.to_json();
        self.complete(&mut store, process)
            .map_err(RegisterError::Storage)?;
        Ok(answer)
    }

    /// The processes waiting for an agent, longest waiting first: `(process, queued at ms)`.
    pub(crate) fn review_queue(&self) -> Vec<(Process, u64)> {
        let store = self.store();
        let mut queue: Vec<(Process, u64)> = store
            .processes()
            .filter(|p| p.awaits_review())
            .filter_map(|p| Some((p.clone(), p.review_queued_at_ms?)))
            .collect();
        queue.sort_by(|a, b| (a.1, &a.0.process_id).cmp(&(b.1, &b.0.process_id)));
        queue
    }

    /// Lets the automatic agent (when on) accept `process_id` once it has waited long enough.
    pub(crate) fn auto_agent_later(self: &Arc<Self>, process_id: String, queued_at_ms: u64) {
        let Some(after) = self.agents.state().auto_accept else {
            return;
        };
        let sim = self.clone();
        let mut stop = self.stop.clone();
        tokio::spawn(async move {
            let at = queued_at_ms + after.as_millis() as u64;
            let wait = Duration::from_millis(at.saturating_sub(now_ms()));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            // Only if the automatic agent is still on; offline agents leave it queued.
            if sim.agents.state().auto_accept.is_none() {
                return;
            }
            match sim.register(&process_id, AUTO_AGENT, Decision::Accept) {
                Ok(_) | Err(RegisterError::NotFound | RegisterError::NotWaiting) => {}
                Err(RegisterError::Offline) => {}
                Err(RegisterError::Storage(e)) => {
                    eprintln!("videoid-www: simulator: the automatic agent could not register: {e}")
                }
            }
        });
    }

    /// Hands every queued process to the automatic agent (after the agents' settings changed).
    pub(crate) fn auto_agent_all(self: &Arc<Self>) {
        for (process, queued) in self.review_queue() {
            self.auto_agent_later(process.process_id, queued);
        }
    }
}

pub(crate) fn router() -> Router<Arc<Simulator>> {
    Router::new()
        .route("/ra", get(queue))
        .route("/ra/", get(queue))
        .route("/ra/sign-in", get(sign_in_page).post(sign_in))
        .route("/ra/sign-out", post(sign_out))
        .route("/ra/processes/{process_id}", get(review_page))
        .route("/ra/processes/{process_id}/media/{depiction}", get(media))
        .route("/ra/processes/{process_id}/accept", post(accept))
        .route("/ra/processes/{process_id}/reject", post(reject))
        .route("/ra/ws", get(crate::calls::agent_socket))
        .route("/ra/calls/{process_id}", get(call_page))
        .route(
            "/ra/calls/{process_id}/images/{phase}",
            put(crate::calls::put_still),
        )
        .route(
            "/ra/calls/{process_id}/recording",
            put(crate::calls::put_recording),
        )
        .route("/ra/static/call.js", get(call_script))
        .route("/ra/static/call.css", get(call_style))
}

const CALL_JS: &str = include_str!("../../static/ra/call.js");
const CALL_CSS: &str = include_str!("../../static/ra/call.css");

async fn call_script() -> Response {
    static_file("text/javascript; charset=utf-8", CALL_JS)
}

async fn call_style() -> Response {
    static_file("text/css; charset=utf-8", CALL_CSS)
}

fn static_file(content_type: &'static str, text: &'static str) -> Response {
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    secure_headers(headers);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The call page's policy: its own script and style, the console's socket, the camera.
fn call_policy(sim: &Simulator) -> String {
    let own = sim.settings.base_url.trim_end_matches('/');
    let socket = own
        .replacen("https://", "wss://", 1)
        .replacen("http://", "ws://", 1);
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' {socket}; \
         img-src 'self' blob: data:; media-src 'self' blob: mediastream:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// `GET /ra/calls/{processId}`: the live interview with the user of a waiting call. The page's
/// script (`/ra/static/call.js`) picks the call up over `/ra/ws`.
async fn call_page(
    State(sim): State<Arc<Simulator>>,
    Path(process_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((agent, csrf)) = signed_in(&sim, &headers) else {
        return redirect("/ra/sign-in");
    };
    let Some(process) = find(&sim, &process_id) else {
        return message_page(StatusCode::NOT_FOUND, "Not found", "No such process.");
    };
    let id = escape(&process.process_id);
    let csrf = escape(&csrf);
    let mut body = format!(
        "<h1>Live interview: process {id}</h1>\
         <div id=\"call\" data-testid=\"call\" data-process-id=\"{id}\" data-csrf=\"{csrf}\" data-agent=\"{}\">\
         <p id=\"call-status\" data-testid=\"call-status\" data-state=\"connecting\" role=\"status\" aria-live=\"polite\">Connecting…</p>\
         <div class=\"videos\"><figure><video id=\"remote-video\" data-testid=\"remote-video\" autoplay playsinline></video>\
         <figcaption>The user</figcaption></figure>\
         <figure><video id=\"local-video\" data-testid=\"local-video\" autoplay playsinline muted></video>\
         <figcaption>You</figcaption></figure></div>\
         <p><button type=\"button\" id=\"ask-front\" data-testid=\"ask-front\" data-phase=\"FRONT\" disabled>Ask for the front</button> \
         <button type=\"button\" id=\"ask-back\" data-testid=\"ask-back\" data-phase=\"BACK\" disabled>Ask for the back</button> \
         <button type=\"button\" id=\"ask-face\" data-testid=\"ask-face\" data-phase=\"FACE\" disabled>Ask for the face</button></p>\
         <p><button type=\"button\" id=\"take-still\" data-testid=\"take-still\" disabled>Take still</button> \
         <span id=\"phase\" data-testid=\"phase\"></span></p>\
         <ul id=\"stills\" data-testid=\"stills\"></ul>\
         <p><button type=\"button\" id=\"hang-up\" data-testid=\"hang-up\" disabled>Hang up</button></p></div>",
        escape(&agent)
    );
    let _ = write!(
        body,
        "<section id=\"register\" data-testid=\"register\" hidden><h2>Register</h2>\
         <form method=\"post\" action=\"/ra/processes/{id}/accept\" id=\"accept-form\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <p><button type=\"submit\" id=\"accept\" data-testid=\"accept\">Accept</button></p></form>\
         <form method=\"post\" action=\"/ra/processes/{id}/reject\" id=\"reject-form\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><fieldset><legend>Reject with reasons</legend>\
         <p><label for=\"reason-type\">Reason type</label> <select id=\"reason-type\" data-testid=\"reason-type\" name=\"type\">"
    );
    for kind in REJECTION_TYPES {
        let _ = write!(body, "<option>{kind}</option>");
    }
    let _ = write!(
        body,
        "</select> <label for=\"reason-message\">Reason</label> \
         <input id=\"reason-message\" data-testid=\"reason-message\" name=\"message\" maxlength=\"{MAX_MESSAGE}\" required></p>\
         <p><button type=\"submit\" id=\"reject\" data-testid=\"reject\">Reject</button></p></fieldset></form></section>\
         <p><a href=\"/ra/\" id=\"back-to-queue\">Back to the queue</a></p>"
    );
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Live interview — RA console (simulator)</title>\
         <link rel=\"stylesheet\" href=\"/ra/static/call.css\">\
         <script src=\"/ra/static/call.js\" defer></script></head><body>\
         <header><p>Registration Authority console of the Assure simulator (local testing only)</p></header>\
         <main>{body}</main></body></html>"
    );
    let mut response = (StatusCode::OK, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    secure_headers(headers);
    if let Ok(policy) = HeaderValue::from_str(&call_policy(&sim)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), microphone=(self)"),
    );
    response
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — RA console (simulator)</title></head><body>\
         <header><p>Registration Authority console of the Assure simulator (local testing only)</p></header>\
         <main>{body}</main></body></html>",
        escape(title)
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    secure_headers(headers);
    response
}

fn secure_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Not `no-referrer`: under it browsers send `Origin: null` with the console's own form
    // posts, which the same-origin check then refuses.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    secure_headers(response.headers_mut());
    response
}

fn message_page(status: StatusCode, title: &str, message: &str) -> Response {
    page(
        status,
        title,
        &format!(
            "<h1>{}</h1><p>{}</p><p><a href=\"/ra/\">Back to the queue</a></p>",
            escape(title),
            escape(message)
        ),
    )
}

/// A `POST` from another origin (or one that names none) is refused: forms of the console
/// post only to the simulator's own origin.
fn same_origin(sim: &Simulator, headers: &HeaderMap) -> Result<(), Response> {
    let own = sim.settings.base_url.trim_end_matches('/');
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let ok = origin == Some(own) && site.is_none_or(|s| s == "same-origin");
    if ok {
        Ok(())
    } else {
        Err(message_page(
            StatusCode::FORBIDDEN,
            "Refused",
            "Console forms are accepted only from the simulator's own pages.",
        ))
    }
}

fn form(body: &Bytes) -> Result<Vec<(String, String)>, Response> {
    serde_urlencoded::from_bytes(body).map_err(|_| {
        message_page(
            StatusCode::BAD_REQUEST,
            "Bad form",
            "The form could not be read.",
        )
    })
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The signed-in agent of a console `POST` and its form: own origin, session cookie, and the
/// session's form token in `csrf`.
fn checked_post(
    sim: &Simulator,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(String, Vec<(String, String)>), Response> {
    let form = form(body)?;
    same_origin(sim, headers)?;
    let Some((agent, csrf)) = signed_in(sim, headers) else {
        return Err(message_page(
            StatusCode::UNAUTHORIZED,
            "Sign-in required",
            "Sign in to the console first.",
        ));
    };
    match field(&form, "csrf") {
        Some(token) if ids::secrets_equal(token, &csrf) => Ok((agent, form)),
        _ => Err(message_page(
            StatusCode::FORBIDDEN,
            "Refused",
            "The form's token is missing or stale: reload the page and try again.",
        )),
    }
}

fn sign_in_form(error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    format!(
        "<h1>Sign in</h1>{error}<form method=\"post\" action=\"/ra/sign-in\">\
         <p><label for=\"user\">User name</label> \
         <input id=\"user\" name=\"user\" autocomplete=\"username\" required></p>\
         <p><label for=\"password\">Password</label> \
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\
         <p><button type=\"submit\">Sign in</button></p></form>"
    )
}

async fn sign_in_page() -> Response {
    page(StatusCode::OK, "Sign in", &sign_in_form(None))
}

async fn sign_in(State(sim): State<Arc<Simulator>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(refused) = same_origin(&sim, &headers) {
        return refused;
    }
    let form = match form(&body) {
        Ok(f) => f,
        Err(bad) => return bad,
    };
    let agents = &sim.settings.agents;
    let user = field(&form, "user").unwrap_or_default();
    let password = field(&form, "password").unwrap_or_default();
    // Both compared, whatever the first says.
    let user_ok = ids::secrets_equal(user, &agents.user);
    let password_ok = ids::secrets_equal(password, &agents.password);
    if !(user_ok && password_ok) {
        return page(
            StatusCode::UNAUTHORIZED,
            "Sign in",
            &sign_in_form(Some("Wrong user name or password.")),
        );
    }
    let (Ok(token), Ok(csrf)) = (ids::try_token(), ids::try_token()) else {
        return message_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Unavailable",
            "The simulator cannot make secure identifiers.",
        );
    };
    lock(&sim.agents.sessions).insert(
        token.clone(),
        Session {
            agent: agents.user.clone(),
            csrf,
            expires: Instant::now() + SESSION_LIFETIME,
        },
    );
    let mut response = redirect("/ra/");
    if let Ok(cookie) = HeaderValue::from_str(&session_cookie(&sim, Some(&token))) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn session_cookie(sim: &Simulator, token: Option<&str>) -> String {
    let secure = if sim.settings.base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    match token {
        Some(token) => format!(
            "{COOKIE}={token}; Path=/ra; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
            SESSION_LIFETIME.as_secs()
        ),
        None => format!("{COOKIE}=; Path=/ra; Max-Age=0; HttpOnly; SameSite=Strict{secure}"),
    }
}

async fn sign_out(State(sim): State<Arc<Simulator>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(refused) = checked_post(&sim, &headers, &body) {
        return refused;
    }
    if let Some(token) = cookie_token(&headers) {
        lock(&sim.agents.sessions).remove(&token);
    }
    let mut response = redirect("/ra/sign-in");
    if let Ok(cookie) = HeaderValue::from_str(&session_cookie(&sim, None)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// "1 h 2 min", "3 min 4 s", "5 s".
pub fn waited(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

fn sign_out_form(csrf: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/ra/sign-out\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <button type=\"submit\">Sign out</button></form>",
        escape(csrf)
    )
}

async fn queue(State(sim): State<Arc<Simulator>>, headers: HeaderMap) -> Response {
    let Some((agent, csrf)) = signed_in(&sim, &headers) else {
        return redirect("/ra/sign-in");
    };
    let state = sim.agents.state();
    let queue = sim.review_queue();
    let now = now_ms();
    let mut body = format!(
        "<h1>Review queue</h1><p>Signed in as {}. Agents are {}.</p>{}",
        escape(&agent),
        if state.online { "online" } else { "offline" },
        sign_out_form(&csrf)
    );
    live_calls_section(&sim, &mut body);
    if queue.is_empty() {
        body.push_str("<p>No recorded process is waiting for review.</p>");
    } else {
        body.push_str(
            "<table><caption>Recorded processes waiting for review, longest waiting first</caption>\
             <thead><tr><th scope=\"col\">Process</th><th scope=\"col\">Process type</th>\
             <th scope=\"col\">Waiting</th></tr></thead><tbody>",
        );
        for (process, queued) in &queue {
            let id = escape(&process.process_id);
            let _ = write!(
                body,
                "<tr><td><a href=\"/ra/processes/{id}\">{id}</a></td><td>{}</td>\
                 <td data-waiting-ms=\"{}\">{}</td></tr>",
                escape(process.process_type.as_deref().unwrap_or("")),
                now.saturating_sub(*queued),
                waited(now.saturating_sub(*queued))
            );
        }
        body.push_str("</tbody></table>");
    }
    let mut response = page(StatusCode::OK, "Review queue", &body);
    // The queue page reloads itself (it has no script): live calls and wait times stay current.
    response
        .headers_mut()
        .insert("refresh", HeaderValue::from_static("3"));
    response
}

/// The live calls waiting (or on a call) and the users who left, on the queue page (which
/// reloads itself every few seconds: the page has no script).
fn live_calls_section(sim: &Simulator, body: &mut String) {
    let (calls, left) = sim.live_calls();
    body.push_str("<h2>Live calls</h2>");
    if let Some(hours) = sim.hours() {
        let hours = hours.to_json();
        let _ = write!(
            body,
            "<p>Opening hours (UTC): {}–{}.</p>",
            escape(hours["opens"].as_str().unwrap_or_default()),
            escape(hours["closes"].as_str().unwrap_or_default())
        );
    }
    if calls.is_empty() {
        body.push_str("<p id=\"no-live-calls\">No live call is waiting.</p>");
    } else {
        body.push_str(
            "<table id=\"live-calls\"><caption>Live calls, longest waiting first</caption>\
             <thead><tr><th scope=\"col\">Process</th><th scope=\"col\">Position</th>\
             <th scope=\"col\">Waiting</th><th scope=\"col\">State</th><th scope=\"col\"></th></tr></thead><tbody>",
        );
        for call in &calls {
            let id = escape(&call.process_id);
            let position = call.position.map(|p| p.to_string()).unwrap_or_default();
            let action = if call.state == "waiting" {
                format!(
                    "<a href=\"/ra/calls/{id}\" id=\"pick-up-{id}\" data-testid=\"pick-up\">Pick up</a>"
                )
            } else {
                format!(
                    "on a call with {}",
                    escape(call.agent.as_deref().unwrap_or("an agent"))
                )
            };
            let _ = write!(
                body,
                "<tr data-testid=\"live-call\" data-process-id=\"{id}\" data-state=\"{}\"><td>{id}</td><td>{position}</td>\
                 <td data-waiting-ms=\"{}\">{}</td><td>{}</td><td>{action}</td></tr>",
                call.state,
                call.waiting_ms,
                waited(call.waiting_ms),
                call.state
            );
        }
        body.push_str("</tbody></table>");
    }
    if !left.is_empty() {
        body.push_str("<ul id=\"left-calls\" data-testid=\"left-calls\">");
        for l in &left {
            let id = escape(&l.process_id);
            let _ = write!(
                body,
                "<li data-process-id=\"{id}\">The user of call {id} left {} ({} ago, after waiting {}).</li>",
                if l.during_call { "the call" } else { "the queue" },
                waited(l.ago_ms),
                waited(l.waited_ms)
            );
        }
        body.push_str("</ul>");
    }
    body.push_str("<h2>Recorded processes</h2>");
}

fn find(sim: &Simulator, process_id: &str) -> Option<Process> {
    sim.store().process_by_id(process_id).cloned()
}

async fn review_page(
    State(sim): State<Arc<Simulator>>,
    Path(process_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((_, csrf)) = signed_in(&sim, &headers) else {
        return redirect("/ra/sign-in");
    };
    let Some(process) = find(&sim, &process_id) else {
        return message_page(StatusCode::NOT_FOUND, "Not found", "No such process.");
    };
    let id = escape(&process.process_id);
    let mut body = format!(
        "<h1>Review of process {id}</h1><dl><dt>Dossier</dt><dd>{}</dd><dt>Process type</dt><dd>{}</dd>\
         <dt>Status</dt><dd id=\"status\">{}</dd></dl>",
        escape(&process.dossier_id),
        escape(process.process_type.as_deref().unwrap_or("")),
        escape(&serde_json::to_value(process.status).map(|v| v.as_str().unwrap_or_default().to_string()).unwrap_or_default()),
    );
    body.push_str("<h2>Stills</h2>");
    let stills: Vec<&str> = ["front", "back", "selfie"]
        .into_iter()
        .filter(|d| *d != "back" || process.has_back())
        .collect();
    for depiction in stills {
        let _ = write!(
            body,
            "<figure><img src=\"/ra/processes/{id}/media/{depiction}\" alt=\"The {depiction} still\" width=\"320\">\
             <figcaption>{depiction}</figcaption></figure>"
        );
    }
    let _ = write!(
        body,
        "<h2>Recording</h2><video controls preload=\"metadata\" width=\"480\" \
         src=\"/ra/processes/{id}/media/video\" aria-label=\"The recorded video\"></video>\
         <p><a href=\"/ra/processes/{id}/media/video\">Download the video</a></p>"
    );
    if let Some(outcome) = process.outcome {
        let ocr = process.ocr(outcome);
        body.push_str("<h2>OCR</h2><table><caption>Fields read from the document</caption><tbody>");
        for name in [
            "firstName",
            "lastName",
            "documentNumber",
            "documentType",
            "dateOfBirth",
            "dateOfExpiry",
            "gender",
            "nationality",
            "issuingCountry",
            "personalIdentificationNumber",
        ] {
            let value = ocr[name].as_str().unwrap_or_default();
            let _ = write!(
                body,
                "<tr><th scope=\"row\">{name}</th><td>{}</td></tr>",
                escape(value)
            );
        }
        body.push_str("</tbody></table>");
        let _ = write!(
            body,
            "<h2>Face match</h2><p>similarityScore: <strong id=\"similarity\">{}</strong>; livenessDetected: {}</p>",
            escape(ocr["similarityScore"].as_str().unwrap_or_default()),
            escape(ocr["livenessDetected"].as_str().unwrap_or_default())
        );
        let pretty = serde_json::to_string_pretty(&ocr).unwrap_or_default();
        let _ = write!(
            body,
            "<details><summary>providerSpecific.ocr as Get process answers it</summary><pre>{}</pre></details>",
            escape(&pretty)
        );
    }
    if process.awaits_review() {
        let csrf = escape(&csrf);
        let _ = write!(
            body,
            "<h2>Register</h2><form method=\"post\" action=\"/ra/processes/{id}/accept\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <p><button type=\"submit\">Accept</button></p></form>\
             <form method=\"post\" action=\"/ra/processes/{id}/reject\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><fieldset><legend>Reject with reasons</legend>"
        );
        for n in 1..=3 {
            let _ = write!(
                body,
                "<p><label for=\"type{n}\">Reason {n} type</label> <select id=\"type{n}\" name=\"type\">"
            );
            for kind in REJECTION_TYPES {
                let _ = write!(body, "<option>{kind}</option>");
            }
            let required = if n == 1 { " required" } else { "" };
            let _ = write!(
                body,
                "</select> <label for=\"message{n}\">Reason {n}</label> \
                 <input id=\"message{n}\" name=\"message\" maxlength=\"{MAX_MESSAGE}\"{required}></p>"
            );
        }
        body.push_str("<p><button type=\"submit\">Reject</button></p></fieldset></form>");
    } else {
        body.push_str("<p>This process is not waiting for an agent.</p>");
    }
    body.push_str("<p><a href=\"/ra/\">Back to the queue</a></p>");
    page(StatusCode::OK, "Review", &body)
}

async fn media(
    State(sim): State<Arc<Simulator>>,
    Path((process_id, depiction)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if signed_in(&sim, &headers).is_none() {
        return message_page(
            StatusCode::UNAUTHORIZED,
            "Sign-in required",
            "Sign in to the console first.",
        );
    }
    if !matches!(
        depiction.as_str(),
        "front" | "back" | "selfie" | "portrait" | "video"
    ) {
        return message_page(StatusCode::NOT_FOUND, "Not found", "No such medium.");
    }
    let Some(process) = find(&sim, &process_id) else {
        return message_page(StatusCode::NOT_FOUND, "Not found", "No such process.");
    };
    match crate::media::media_of(&sim, &process, &depiction) {
        Ok(Some((bytes, content_type))) => {
            let mut response = (StatusCode::OK, bytes).into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            secure_headers(headers);
            response
        }
        Ok(None) => message_page(StatusCode::NOT_FOUND, "Not found", "No such medium."),
        Err(failed) => failed,
    }
}

fn registered(result: Result<Value, RegisterError>) -> Response {
    match result {
        Ok(_) => redirect("/ra/"),
        Err(RegisterError::NotFound) => {
            message_page(StatusCode::NOT_FOUND, "Not found", "No such process.")
        }
        Err(RegisterError::NotWaiting) => message_page(
            StatusCode::CONFLICT,
            "Already registered",
            "This process is not waiting for an agent: it was registered already.",
        ),
        Err(RegisterError::Offline) => message_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Agents offline",
            "Agents are offline (control API): nothing is registered.",
        ),
        Err(RegisterError::Storage(e)) => {
            eprintln!("videoid-www: simulator storage: {e}");
            message_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Storage error",
                "The registration could not be saved.",
            )
        }
    }
}

async fn accept(
    State(sim): State<Arc<Simulator>>,
    Path(process_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (agent, _) = match checked_post(&sim, &headers, &body) {
        Ok(checked) => checked,
        Err(refused) => return refused,
    };
    registered(sim.register(&process_id, &agent, Decision::Accept))
}

/// The rejection reasons of a form: `type` and `message` fields in pairs; rows without a
/// message are skipped; at least one is needed.
pub fn rejection_reasons(form: &[(String, String)]) -> Result<Vec<RejectionReason>, String> {
    let types = form.iter().filter(|(k, _)| k == "type").map(|(_, v)| v);
    let messages = form.iter().filter(|(k, _)| k == "message").map(|(_, v)| v);
    let mut reasons = Vec::new();
    for (kind, message) in types.zip(messages) {
        let message = message.trim();
        if message.is_empty() {
            continue;
        }
        if !REJECTION_TYPES.contains(&kind.as_str()) {
            return Err(format!(
                "The reason type must be one of {}.",
                REJECTION_TYPES.join(", ")
            ));
        }
        if message.chars().count() > MAX_MESSAGE {
            return Err(format!(
                "A reason is at most {MAX_MESSAGE} characters long."
            ));
        }
        reasons.push(RejectionReason {
            kind: kind.clone(),
            message: message.to_string(),
        });
    }
    if reasons.is_empty() {
        return Err("Give at least one reason.".into());
    }
    if reasons.len() > MAX_REASONS {
        return Err(format!("At most {MAX_REASONS} reasons."));
    }
    Ok(reasons)
}

async fn reject(
    State(sim): State<Arc<Simulator>>,
    Path(process_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (agent, form) = match checked_post(&sim, &headers, &body) {
        Ok(checked) => checked,
        Err(refused) => return refused,
    };
    let reasons = match rejection_reasons(&form) {
        Ok(reasons) => reasons,
        Err(message) => return message_page(StatusCode::BAD_REQUEST, "Not rejected", &message),
    };
    registered(sim.register(&process_id, &agent, Decision::Reject(reasons)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(q).unwrap()
    }

    #[test]
    fn reasons_pair_types_and_messages() {
        let reasons = rejection_reasons(&pairs(
            "type=Document.Expired&message=Expired+in+2020&type=Person.Underage&message=&type=Photo.DoesNotMatchPerson&message=Other+face",
        ))
        .unwrap();
        assert_eq!(reasons.len(), 2);
        assert_eq!(reasons[0].kind, "Document.Expired");
        assert_eq!(reasons[0].message, "Expired in 2020");
        assert_eq!(reasons[1].kind, "Photo.DoesNotMatchPerson");
        assert!(rejection_reasons(&pairs("type=Document.Expired&message=")).is_err());
        assert!(rejection_reasons(&pairs("type=Made.Up&message=x")).is_err());
        let long = "x".repeat(MAX_MESSAGE + 1);
        assert!(
            rejection_reasons(&pairs(&format!("type=Document.Expired&message={long}"))).is_err()
        );
    }

    #[test]
    fn waiting_times_read_naturally() {
        assert_eq!(waited(4_200), "4 s");
        assert_eq!(waited(65_000), "1 min 5 s");
        assert_eq!(waited(3_720_000), "1 h 2 min");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">'&"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
    }
}
