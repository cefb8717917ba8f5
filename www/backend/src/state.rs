//! What every handler of the backend shares: its state ([`Backend`]), the end-user a request
//! comes from ([`Visitor`]), how failures are answered, and the session endpoint's test knobs.

use crate::assure::{AssureClient, AssureError};
use crate::documents::{DocumentChoice, DocumentTypes};
use crate::endusers;
use crate::framing::Origin;
pub(crate) use crate::http::cookie_value;
use crate::http::{json_error, query_value};
use crate::ids;
use crate::store::{EndUserKey, Store, StoreError};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use std::io;
use std::sync::Arc;
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

/// The `processType`s the backend asks VideoID for (hosted flow and SDK path):
/// `substantialFullyAuto` ends by itself; `substantial` and `high` wait for an agent of
/// VideoID's RA app to register them (the simulator's RA console, `/ra/`, stands in for it).
pub const PROCESS_TYPES: &[&str] = &["substantialFullyAuto", "substantial", "high"];

/// The `processType` when `VIDEOID_PROCESS_TYPE` is not set: the demo's processes end by
/// themselves.
pub const DEFAULT_PROCESS_TYPE: &str = "substantialFullyAuto";

/// The `processType` the simulator-only `?review=agent` picks for one session: an agent
/// reviews the recording.
pub const REVIEW_PROCESS_TYPE: &str = "substantial";

/// The web SDK flows of `mode: "sdk"` sessions: VideoID's unattended SDK (`videoid.js`), or
/// the attended one (`videoidattended.js`): a live interview with an agent.
pub const SDK_FLOWS: &[&str] = &["unattended", "attended"];

/// The `processType` of attended sessions: `high`, the type that needs an agent (a live
/// interview when the page runs the attended SDK).
pub const ATTENDED_PROCESS_TYPE: &str = "high";

/// Checks a configured SDK flow (`VIDEOID_SDK_FLOW`): one of [`SDK_FLOWS`].
pub fn parse_sdk_flow(value: &str) -> Result<String, String> {
    match SDK_FLOWS.iter().find(|t| **t == value.trim()) {
        Some(t) => Ok(t.to_string()),
        None => Err(format!(
            "VIDEOID_SDK_FLOW must be one of {}: {value}",
            SDK_FLOWS.join(", ")
        )),
    }
}

/// Checks a configured `processType` (`VIDEOID_PROCESS_TYPE`): one of [`PROCESS_TYPES`].
pub fn parse_process_type(value: &str) -> Result<String, String> {
    match PROCESS_TYPES.iter().find(|t| **t == value.trim()) {
        Some(t) => Ok(t.to_string()),
        None => Err(format!(
            "VIDEOID_PROCESS_TYPE must be one of {}: {value}",
            PROCESS_TYPES.join(", ")
        )),
    }
}

/// How long the end-user cookie lives (a year; "delete my data" ends it earlier).
pub(crate) const COOKIE_MAX_AGE: u64 = 365 * 24 * 3600;

/// What the backend is built from.
pub struct Settings {
    /// The Assure API (the simulator or the real one).
    pub assure: AssureClient,
    /// For the framing check.
    pub http: reqwest::Client,
    /// The host origin, e.g. `http://localhost:8080`.
    pub host_url: String,
    /// True when `assure` is the simulator: the test-only query (scenarios) works, and every
    /// answer says so (`X-Videoid-Assure: simulator`).
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
    /// The `processType` of VideoID processes (hosted flow and SDK path), one of
    /// [`PROCESS_TYPES`] (`VIDEOID_PROCESS_TYPE`, default [`DEFAULT_PROCESS_TYPE`]).
    pub process_type: String,
    /// The flow of `mode: "sdk"` sessions, one of [`SDK_FLOWS`] (`VIDEOID_SDK_FLOW`, default
    /// `unattended`); `attended` asks for [`ATTENDED_PROCESS_TYPE`].
    pub sdk_flow: String,
    /// The document type of SDK sessions whose request names none.
    pub sdk_document_type: DocumentChoice,
    /// Addresses of the reverse proxies whose forwarding headers are believed.
    pub trusted_proxies: Vec<crate::proxies::Network>,
    /// The name answered in `X-Videoid-Instance` (none: no header).
    pub instance_id: Option<String>,
    /// The bearer token `GET /metrics` asks for (none: `/metrics` is a 404).
    pub metrics_token: Option<String>,
    /// The webhook's secret path segment (`VIDEOID_WEBHOOK_SECRET`, see `events`); `None`:
    /// the bare path takes events (simulator mode only).
    pub webhook_secret: Option<String>,
    /// The rate limits (`VIDEOID_RATE_LIMITS`, see `limits`); `None`: off.
    pub rate_limits: Option<crate::limits::RateLimits>,
}

/// The backend's state.
pub struct Backend {
    pub(crate) assure: AssureClient,
    pub(crate) http: reqwest::Client,
    pub(crate) host_url: String,
    pub(crate) loopback_alias: String,
    pub(crate) simulator_mode: bool,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) cors_origins: Vec<String>,
    pub(crate) session_lifetime: Duration,
    pub(crate) capture_sdk: String,
    pub(crate) native_provider: String,
    pub(crate) native_process_type: Option<String>,
    pub(crate) process_type: String,
    pub(crate) sdk_flow: String,
    pub(crate) sdk_document_type: DocumentChoice,
    pub(crate) document_types: tokio::sync::Mutex<DocumentTypes>,
    pub(crate) trusted_proxies: Vec<crate::proxies::Network>,
    pub(crate) instance_header: Option<HeaderValue>,
    pub(crate) readiness: tokio::sync::Mutex<Option<Readiness>>,
    pub(crate) metrics: Arc<crate::metrics::Metrics>,
    pub(crate) metrics_token: Option<String>,
    pub(crate) webhook_secret: Option<String>,
    pub(crate) limiters: Option<Arc<crate::limits::Limiters>>,
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
        let process_type = parse_process_type(&settings.process_type).map_err(io::Error::other)?;
        let sdk_flow = parse_sdk_flow(&settings.sdk_flow).map_err(io::Error::other)?;
        let instance_header = match settings.instance_id {
            Some(id) => Some(HeaderValue::from_str(&id).map_err(|_| {
                io::Error::other(format!("not a header value: instance id {id:?}"))
            })?),
            None => None,
        };
        let loopback_alias = host_url.replacen("://localhost:", "://127.0.0.1:", 1);
        let metrics = Arc::new(crate::metrics::Metrics::default());
        Ok(Arc::new(Backend {
            assure: settings.assure.with_metrics(metrics.clone()),
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
            process_type,
            sdk_flow,
            sdk_document_type: settings.sdk_document_type,
            document_types: Default::default(),
            trusted_proxies: settings.trusted_proxies,
            instance_header,
            readiness: Default::default(),
            metrics,
            metrics_token: settings.metrics_token.filter(|t| !t.is_empty()),
            webhook_secret: settings.webhook_secret.filter(|t| !t.is_empty()),
            limiters: settings
                .rate_limits
                .as_ref()
                .map(|limits| Arc::new(crate::limits::Limiters::new(limits))),
        }))
    }

    /// The origin the page was loaded from: the configured one, or its
    /// `127.0.0.1` alias when the browser used that (the return page must be same-origin).
    pub(crate) fn page_origin(&self, headers: &HeaderMap) -> &str {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let alias_host = self.loopback_alias.split_once("://").map(|(_, h)| h);
        if host.is_some() && host == alias_host {
            &self.loopback_alias
        } else {
            &self.host_url
        }
    }

    /// The origin of the page a session is for: the request's `Origin` when it is one of the
    /// CORS origins (a page on another origin, calling with `credentials="include"`; its site
    /// serves the return page at `/videoid/return`), else [`Backend::page_origin`].
    pub(crate) fn session_page_origin<'a>(&'a self, headers: &'a HeaderMap) -> &'a str {
        headers
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .filter(|o| self.cors_origins.iter().any(|allowed| allowed == o))
            .unwrap_or_else(|| self.page_origin(headers))
    }

    /// The end-user the request's cookie names, when the database knows them.
    pub(crate) async fn visitor(&self, headers: &HeaderMap) -> Result<Option<Visitor>, StoreError> {
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
    pub(crate) async fn visitor_or_new(&self, headers: &HeaderMap) -> Result<Visitor, StoreError> {
        if let Some(visitor) = self.visitor(headers).await? {
            return Ok(visitor);
        }
        let cookie = ids::try_token()?;
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
    ///
    /// No `__Host-` prefix: the prefix requires `Path=/` (and `Secure`, which the demo on
    /// plain `http://localhost` cannot have), while this cookie goes only to the backend's own
    /// routes (`Path=/api/videoid`). What the prefix would add is that a sibling subdomain
    /// could not plant a cookie of this name for the parent domain; a site whose subdomains
    /// are not all its own should serve the backend on a host of its own (docs/deploy.md,
    /// "Production checklist").
    pub(crate) fn cookie(&self, id: Option<&str>) -> HeaderValue {
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
pub(crate) struct Visitor {
    /// The cookie value (only ever sent back to this browser).
    pub(crate) cookie: String,
    pub(crate) key: EndUserKey,
    pub(crate) dossier_id: Option<String>,
    /// This request named the end-user: its answer sets the cookie.
    pub(crate) named_now: bool,
}

/// Why a request could not be served.
#[derive(Debug)]
pub(crate) enum Failure {
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
pub(crate) fn failure_response(what: &str, failure: &Failure) -> Response {
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
pub(crate) fn storage_failure(what: &str, e: &StoreError) -> Response {
    tracing::error!(what, error = %e, "storage failure");
    if e.is_random_failure() {
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("could not {what}: the server cannot make secure identifiers"),
        );
    }
    json_error(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("could not {what}: the backend's storage is unavailable, try again"),
    )
}

/// The last readiness check (`GET /readyz`, [`crate::ops::readyz`]).
#[derive(Debug, Clone)]
pub(crate) struct Readiness {
    /// When it was made.
    pub(crate) at: tokio::time::Instant,
    /// What was not ready, if anything.
    pub(crate) failed: Option<&'static str>,
}

/// Simulator-only test knobs from the session endpoint's query string.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct SimulatorKnobs {
    pub(crate) scenario: Option<String>,
    pub(crate) auto: bool,
    pub(crate) framing: Option<String>,
    /// Overrides the `sdk` of "Start capture flow" (`capture-sdk=native|capture`).
    pub(crate) capture_sdk: Option<String>,
    /// `review=agent`: this session's VideoID process is of [`REVIEW_PROCESS_TYPE`] (an agent
    /// reviews it).
    pub(crate) agent_review: bool,
    /// `flow=attended|unattended`: this session's SDK flow instead of the configured one.
    pub(crate) flow: Option<String>,
}

impl Backend {
    /// The `processType` of a VideoID process: `?review=agent` (simulator mode only, like
    /// `?scenario=`) picks [`REVIEW_PROCESS_TYPE`], else the configured one.
    pub(crate) fn process_type<'a>(&'a self, knobs: Option<&'a SimulatorKnobs>) -> &'a str {
        if self.sdk_flow(knobs) == "attended" {
            ATTENDED_PROCESS_TYPE
        } else if knobs.is_some_and(|k| k.agent_review) {
            REVIEW_PROCESS_TYPE
        } else {
            &self.process_type
        }
    }
}

impl Backend {
    /// The flow of an SDK session: `?flow=` (simulator mode only), else the configured one.
    pub(crate) fn sdk_flow<'a>(&'a self, knobs: Option<&'a SimulatorKnobs>) -> &'a str {
        knobs
            .and_then(|k| k.flow.as_deref())
            .unwrap_or(&self.sdk_flow)
    }
}

pub(crate) fn simulator_knobs(pairs: &[(String, String)]) -> Result<SimulatorKnobs, &'static str> {
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
    let agent_review = match query_value(pairs, "review") {
        None | Some("") => false,
        Some("agent") => true,
        Some(_) => return Err("review must be agent"),
    };
    let flow = query_value(pairs, "flow").filter(|s| !s.is_empty());
    if flow.is_some_and(|f| !SDK_FLOWS.contains(&f)) {
        return Err("flow must be attended or unattended");
    }
    Ok(SimulatorKnobs {
        agent_review,
        flow: flow.map(str::to_string),
        scenario: scenario.map(str::to_string),
        auto,
        framing: framing.map(str::to_string),
        capture_sdk: capture_sdk.map(str::to_string),
    })
}

pub(crate) fn is_language_tag(lang: &str) -> bool {
    (2..=35).contains(&lang.len())
        && lang
            .split('-')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The answer for an upstream failure: logged here, generic for the browser. `504` when the
/// service did not answer in time, `503` (with `Retry-After`) when it asked to come back
/// later, `502` otherwise.
pub(crate) fn upstream_failure(what: &str, e: &AssureError) -> Response {
    tracing::warn!(what, error = %e, "upstream failure");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(q).unwrap()
    }

    #[test]
    fn knobs_parse_the_documented_values() {
        let k = simulator_knobs(&pairs(
            "scenario=rejected&auto=1&framing=deny&capture-sdk=native&review=agent&flow=attended",
        ))
        .unwrap();
        assert!(k.agent_review);
        assert_eq!(k.flow.as_deref(), Some("attended"));
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
        assert!(simulator_knobs(&pairs("review=human")).is_err());
        assert!(simulator_knobs(&pairs("flow=live")).is_err());
        assert_eq!(simulator_knobs(&pairs("flow=")).unwrap().flow, None);
        assert!(!simulator_knobs(&pairs("review=")).unwrap().agent_review);
    }

    #[test]
    fn process_types_are_checked() {
        for good in PROCESS_TYPES {
            assert_eq!(parse_process_type(good).as_deref(), Ok(*good));
        }
        assert_eq!(
            parse_process_type(" substantial ").as_deref(),
            Ok("substantial")
        );
        for bad in ["", "Substantial", "documentSelfie", "fullyAuto"] {
            let e = parse_process_type(bad).unwrap_err();
            assert!(e.contains("VIDEOID_PROCESS_TYPE"), "{e}");
        }
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
