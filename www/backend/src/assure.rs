//! A small client for the Assure API calls the reference backend makes.
//!
//! The same code talks to the simulator and to the real API: only the base
//! URL and the credentials differ. Tokens are cached until shortly before
//! they expire; no error carries a token, a secret or an upstream body.
//!
//! Every call has a deadline (the time the backend's own answer may still take). Reads and
//! other calls that may safely happen twice (the token, Get process, Get dossier, media,
//! document types, deletions) are retried after a passing fault — no answer, a cut answer,
//! `5xx`, `429` — with jittered exponential pauses, waiting at least what a `Retry-After` asks,
//! until the deadline. Calls that must not happen twice (create dossier, Start capture flow,
//! create process, Set images, start verification) are tried once: they are repeated here only
//! when the API surely did not act on them (the connection was refused, or `429`); after
//! anything else the caller checks upstream before it tries again (see `backend/upstream.rs`).
//! A whole answer counts: one whose body is cut off is no answer.

use crate::metrics::{upstream_call, Metrics};
use axum::body::Bytes;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Why an Assure call did not give a usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssureError {
    /// The API could not be reached: the request was not sent (connection refused, no route).
    Unreachable,
    /// The request went out but no whole answer came back (connection cut, answer cut off):
    /// the API may or may not have acted on it.
    NoAnswer,
    /// The deadline passed before an answer came.
    TimedOut,
    /// The API answered with this non-success status.
    Status(StatusCode),
    /// The API asked to come back later (`429`, or `503` with `Retry-After`) after more time
    /// than the deadline leaves.
    Throttled { retry_after: Duration },
    /// The API answered 2xx with a body of the wrong shape.
    Malformed(&'static str),
}

impl AssureError {
    /// True when the call may have taken effect upstream although it failed (the caller must
    /// look before it repeats a call that must not happen twice).
    pub fn is_unknown_outcome(&self) -> bool {
        match self {
            AssureError::NoAnswer | AssureError::TimedOut => true,
            AssureError::Status(s) => s.is_server_error(),
            AssureError::Unreachable
            | AssureError::Throttled { .. }
            | AssureError::Malformed(_) => false,
        }
    }

    /// True for a fault that may pass (worth another try while time is left).
    pub fn is_passing(&self) -> bool {
        match self {
            AssureError::Unreachable
            | AssureError::NoAnswer
            | AssureError::TimedOut
            | AssureError::Throttled { .. } => true,
            AssureError::Status(s) => {
                s.is_server_error()
                    || *s == StatusCode::TOO_MANY_REQUESTS
                    || *s == StatusCode::REQUEST_TIMEOUT
            }
            AssureError::Malformed(_) => false,
        }
    }
}

impl fmt::Display for AssureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssureError::Unreachable => f.write_str("the Assure API is unreachable"),
            AssureError::NoAnswer => f.write_str("the Assure API gave no whole answer"),
            AssureError::TimedOut => f.write_str("the Assure API did not answer in time"),
            AssureError::Status(s) => write!(f, "the Assure API answered {s}"),
            AssureError::Throttled { retry_after } => write!(
                f,
                "the Assure API asked to come back in {} s",
                retry_after.as_secs_f64()
            ),
            AssureError::Malformed(what) => write!(f, "the Assure API sent a malformed {what}"),
        }
    }
}

impl std::error::Error for AssureError {}

/// How calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries {
    /// The first pause; each next one doubles up to `max_pause`, drawn from its upper half.
    pub first_pause: Duration,
    /// The longest pause (a `Retry-After` may ask for more).
    pub max_pause: Duration,
    /// The longest one attempt may take.
    pub attempt_timeout: Duration,
    /// The most tries of one call (the deadline may end them sooner).
    pub max_tries: u32,
}

impl Default for Retries {
    fn default() -> Self {
        Retries {
            first_pause: Duration::from_millis(100),
            max_pause: Duration::from_secs(2),
            attempt_timeout: Duration::from_secs(8),
            max_tries: 6,
        }
    }
}

impl Retries {
    /// The pause before try `n + 1` (`n` ≥ 1): between half and all of `first · 2ⁿ⁻¹`, capped.
    pub fn pause(&self, n: u32) -> Duration {
        let full = self
            .first_pause
            .saturating_mul(1 << n.saturating_sub(1).min(16))
            .min(self.max_pause);
        full.mul_f64(0.5 + 0.5 * unit_random())
    }
}

/// A number in [0, 1) from the OS random source.
fn unit_random() -> f64 {
    let mut b = [0u8; 8];
    let _ = getrandom::getrandom(&mut b);
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

/// The token fetch, as a metrics label.
const TOKEN_CALL: &str = "POST /auth/open/connect/token";

/// An attempt's result, as a metrics label.
fn attempt_result(sent: &Result<Answer, AssureError>) -> &'static str {
    match sent {
        Ok(answer) if answer.status.is_success() => "2xx",
        Ok(answer) if answer.status.is_client_error() => "4xx",
        Ok(answer) if answer.status.is_server_error() => "5xx",
        Ok(_) => "other",
        Err(e) => fault(e),
    }
}

/// A failure, as a metrics label.
fn fault(e: &AssureError) -> &'static str {
    match e {
        AssureError::Unreachable => "unreachable",
        AssureError::NoAnswer => "no_answer",
        AssureError::TimedOut => "timed_out",
        AssureError::Status(s) if s.is_client_error() => "status_4xx",
        AssureError::Status(_) => "status_5xx",
        AssureError::Throttled { .. } => "throttled",
        AssureError::Malformed(_) => "malformed",
    }
}

/// Less than this left before the deadline is not worth another attempt.
const MIN_ATTEMPT: Duration = Duration::from_millis(50);

/// What a call sends.
enum Payload<'a> {
    None,
    Json(&'a Value),
}

/// Whether a call may be repeated after it went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// The call may happen twice: repeat it after any passing fault.
    Freely,
    /// It must not: repeat it only when it surely did not reach the API.
    IfNotSent,
}

struct CachedToken {
    value: String,
    refresh_after: Instant,
}

/// A whole answer.
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    retry_after: Option<Duration>,
    body: Bytes,
}

/// Client-credentials access to one Assure API.
pub struct AssureClient {
    http: reqwest::Client,
    base_url: String,
    client_id: String,
    client_secret: String,
    retries: Retries,
    token: Mutex<Option<CachedToken>>,
    metrics: Arc<Metrics>,
}

impl fmt::Debug for AssureClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssureClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DossierAnswer {
    dossier_id: String,
}

#[derive(Deserialize)]
struct CaptureAnswer {
    url: String,
}

fn parse<T: serde::de::DeserializeOwned>(answer: &Answer) -> Result<T, AssureError> {
    serde_json::from_slice(&answer.body).map_err(|_| AssureError::Malformed("answer"))
}

/// `Retry-After` in seconds (the HTTP-date form is read as "a little later").
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    Some(match value.trim().parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs.min(3600)),
        Err(_) => Duration::from_secs(1),
    })
}

/// A transport error: not sent when the connection could not be made.
fn transport(e: &reqwest::Error) -> AssureError {
    if e.is_connect() {
        if let Some(cause) = certificate_refusal(e) {
            // Otherwise indistinguishable from a network fault: the usual cause is an
            // endpoint under a private CA without ASSURE_CA_FILE.
            tracing::warn!(
                cause,
                "the Assure API's TLS certificate was refused (ASSURE_CA_FILE adds trusted roots)"
            );
        }
        AssureError::Unreachable
    } else if e.is_timeout() {
        AssureError::TimedOut
    } else {
        AssureError::NoAnswer
    }
}

/// Why the TLS handshake refused the server's certificate, when that is why the connection
/// failed: the message of the innermost cause naming a certificate (the outer ones carry the
/// URL, which may hold ids, and are left out).
fn certificate_refusal(e: &reqwest::Error) -> Option<String> {
    let mut cause = std::error::Error::source(e);
    let mut found = None;
    while let Some(c) = cause {
        let text = c.to_string();
        if text.contains("certificate") {
            found = Some(text);
        }
        cause = c.source();
    }
    found
}

impl AssureClient {
    /// A client for the API at `base_url` (e.g. `https://api.signicat.com`).
    pub fn new(
        http: reqwest::Client,
        base_url: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Self {
        AssureClient {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            retries: Retries::default(),
            token: Mutex::new(None),
            metrics: Arc::default(),
        }
    }

    /// The same client counting its calls in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    /// How its calls are retried.
    pub fn retries(&self) -> Retries {
        self.retries
    }

    /// The same client with other retry pauses.
    pub fn with_retries(mut self, retries: Retries) -> Self {
        self.retries = retries;
        self
    }

    /// Creates an empty dossier with an `externalReference` and returns its id (once).
    pub async fn create_dossier(
        &self,
        reference: &str,
        by: Instant,
    ) -> Result<String, AssureError> {
        let body = serde_json::json!({ "externalReference": reference });
        let answer = self
            .call(
                Method::POST,
                "/assure/dossiers",
                Payload::Json(&body),
                by,
                Repeat::IfNotSent,
            )
            .await?;
        let answer: DossierAnswer = parse(&answer)?;
        if !crate::ids::is_valid_id(&answer.dossier_id) {
            return Err(AssureError::Malformed("dossier id"));
        }
        Ok(answer.dossier_id)
    }

    /// The id of the dossier with this `externalReference`, if there is one (`GET /assure/dossiers`).
    pub async fn find_dossier(
        &self,
        reference: &str,
        by: Instant,
    ) -> Result<Option<String>, AssureError> {
        let answer = self
            .call(
                Method::GET,
                "/assure/dossiers",
                Payload::None,
                by,
                Repeat::Freely,
            )
            .await?;
        let all: Value = parse(&answer)?;
        let all = all
            .as_array()
            .ok_or(AssureError::Malformed("dossier list"))?;
        Ok(all
            .iter()
            .filter(|d| d["externalReference"].as_str() == Some(reference))
            .filter_map(|d| d["dossierId"].as_str())
            .find(|id| crate::ids::is_valid_id(id))
            .map(str::to_string))
    }

    /// Starts the hosted capture flow in a dossier and returns the capture URL (once).
    pub async fn start_capture(
        &self,
        dossier_id: &str,
        request: &Value,
        by: Instant,
    ) -> Result<String, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/capture");
        let answer = self
            .call(
                Method::POST,
                &path,
                Payload::Json(request),
                by,
                Repeat::IfNotSent,
            )
            .await?;
        let answer: CaptureAnswer = parse(&answer)?;
        let url =
            reqwest::Url::parse(&answer.url).map_err(|_| AssureError::Malformed("capture URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(AssureError::Malformed("capture URL"));
        }
        Ok(answer.url)
    }

    /// Reads a process; the answer is checked to be an object with a `processId` and a `status`.
    pub async fn get_process(
        &self,
        dossier_id: &str,
        process_id: &str,
        by: Instant,
    ) -> Result<Value, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}");
        let answer = self
            .call(Method::GET, &path, Payload::None, by, Repeat::Freely)
            .await?;
        let process: Value = parse(&answer)?;
        let has_text = |key: &str| process.get(key).is_some_and(Value::is_string);
        if !(has_text("processId") && has_text("status")) {
            return Err(AssureError::Malformed("process"));
        }
        Ok(process)
    }

    /// Reads a dossier with its processes.
    pub async fn get_dossier(&self, dossier_id: &str, by: Instant) -> Result<Value, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}");
        let answer = self
            .call(Method::GET, &path, Payload::None, by, Repeat::Freely)
            .await?;
        let dossier: Value = parse(&answer)?;
        if !dossier.get("processes").is_some_and(Value::is_array) {
            return Err(AssureError::Malformed("dossier"));
        }
        Ok(dossier)
    }

    /// The ids of a dossier's processes.
    pub async fn process_ids(
        &self,
        dossier_id: &str,
        by: Instant,
    ) -> Result<Vec<String>, AssureError> {
        let dossier = self.get_dossier(dossier_id, by).await?;
        Ok(dossier["processes"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p["processId"].as_str())
            .map(str::to_string)
            .collect())
    }

    /// Deletes a dossier and everything in it (done when it is gone already).
    pub async fn delete_dossier(&self, dossier_id: &str, by: Instant) -> Result<(), AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}");
        self.delete(&path, by).await
    }

    /// Deletes a process (done when it is gone already).
    pub async fn delete_process(
        &self,
        dossier_id: &str,
        process_id: &str,
        by: Instant,
    ) -> Result<(), AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}");
        self.delete(&path, by).await
    }

    /// A DELETE: repeating it changes nothing, and a `404` after a repeat means done.
    async fn delete(&self, path: &str, by: Instant) -> Result<(), AssureError> {
        match self
            .call(Method::DELETE, path, Payload::None, by, Repeat::Freely)
            .await
        {
            Ok(_) | Err(AssureError::Status(StatusCode::NOT_FOUND)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Creates a process in a dossier ("Create process", the SDK path) and returns it (once).
    pub async fn create_process(
        &self,
        dossier_id: &str,
        request: &Value,
        by: Instant,
    ) -> Result<Value, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes");
        let answer = self
            .call(
                Method::POST,
                &path,
                Payload::Json(request),
                by,
                Repeat::IfNotSent,
            )
            .await?;
        let process: Value = parse(&answer)?;
        let id = process.get("processId").and_then(Value::as_str);
        if !id.is_some_and(crate::ids::is_valid_id) {
            return Err(AssureError::Malformed("process"));
        }
        Ok(process)
    }

    /// Starts verification of an SDK-path process (`POST …/processes/{id}`) (once).
    pub async fn start_verification(
        &self,
        dossier_id: &str,
        process_id: &str,
        by: Instant,
    ) -> Result<(), AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}");
        self.call(Method::POST, &path, Payload::None, by, Repeat::IfNotSent)
            .await?;
        Ok(())
    }

    /// "Set images": `images` is `{ "front"?, "back"?, "selfie"? }`, each a JPEG/PNG dataURL
    /// (providers with direct upload only) (once).
    pub async fn set_images(
        &self,
        dossier_id: &str,
        process_id: &str,
        images: &Value,
        by: Instant,
    ) -> Result<(), AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}/images");
        self.call(
            Method::POST,
            &path,
            Payload::Json(images),
            by,
            Repeat::IfNotSent,
        )
        .await?;
        Ok(())
    }

    /// "Get document types" of a provider: the rows, each checked to be an object.
    pub async fn document_types(
        &self,
        provider: &str,
        by: Instant,
    ) -> Result<Vec<Value>, AssureError> {
        let path = format!("/assure/{provider}/document-types");
        let answer = self
            .call(Method::GET, &path, Payload::None, by, Repeat::Freely)
            .await?;
        match parse(&answer)? {
            Value::Array(rows) if rows.iter().all(Value::is_object) => Ok(rows),
            _ => Err(AssureError::Malformed("document types")),
        }
    }

    /// Downloads a process's media (`images?depiction=`, `video`, `download`); `None` on 204 (not ready).
    pub async fn get_media(
        &self,
        dossier_id: &str,
        process_id: &str,
        what: &str,
        by: Instant,
    ) -> Result<Option<(Bytes, String)>, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}/{what}");
        let answer = self
            .call(Method::GET, &path, Payload::None, by, Repeat::Freely)
            .await?;
        if answer.status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        let content_type = answer
            .content_type
            .unwrap_or_else(|| "application/octet-stream".to_string());
        Ok(Some((answer.body, content_type)))
    }

    /// One authorised call that answered 2xx, retried as `repeat` allows until `by`; a 401
    /// drops the cached token and tries once more. Counted: each attempt, and the call when
    /// it fails in the end.
    async fn call(
        &self,
        method: Method,
        path: &str,
        payload: Payload<'_>,
        by: Instant,
        repeat: Repeat,
    ) -> Result<Answer, AssureError> {
        let label = upstream_call(&method, path);
        let result = self
            .call_retried(&label, method, path, payload, by, repeat)
            .await;
        if let Err(e) = &result {
            self.metrics.fault(&label, fault(e));
        }
        result
    }

    async fn call_retried(
        &self,
        label: &str,
        method: Method,
        path: &str,
        payload: Payload<'_>,
        by: Instant,
        repeat: Repeat,
    ) -> Result<Answer, AssureError> {
        let mut refreshed = false;
        let mut tries = 0u32;
        loop {
            tries += 1;
            // A failure to get a token: the call itself was not sent (the token fetch has
            // already been retried until the deadline).
            let token = self.bearer(by).await?;
            let sent = self.attempt(&method, path, &payload, &token, by).await;
            self.metrics.upstream(label, attempt_result(&sent));
            let (error, wait) = match sent {
                Ok(answer) if answer.status == StatusCode::UNAUTHORIZED && !refreshed => {
                    refreshed = true;
                    *self.token.lock().await = None;
                    continue;
                }
                Ok(answer) if answer.status.is_success() => return Ok(answer),
                Ok(answer) => (AssureError::Status(answer.status), answer.retry_after),
                Err(e) => (e, None),
            };
            let again = match repeat {
                Repeat::Freely => error.is_passing(),
                Repeat::IfNotSent => {
                    error == AssureError::Unreachable
                        || error == AssureError::Status(StatusCode::TOO_MANY_REQUESTS)
                }
            };
            if !again {
                return Err(error);
            }
            self.pause(tries, wait, by, error).await?;
        }
    }

    /// Waits before the next try, or gives up with `error` (or `Throttled`) when the pause
    /// would leave no time for it.
    async fn pause(
        &self,
        tries: u32,
        retry_after: Option<Duration>,
        by: Instant,
        error: AssureError,
    ) -> Result<(), AssureError> {
        if tries >= self.retries.max_tries {
            return Err(error);
        }
        let pause = self
            .retries
            .pause(tries)
            .max(retry_after.unwrap_or_default());
        let left = by.saturating_duration_since(Instant::now());
        if pause + MIN_ATTEMPT > left {
            return Err(match retry_after {
                Some(retry_after) => AssureError::Throttled { retry_after },
                None => error,
            });
        }
        tokio::time::sleep(pause).await;
        Ok(())
    }

    /// One request, its whole answer read, within the attempt timeout and the deadline.
    async fn attempt(
        &self,
        method: &Method,
        path: &str,
        payload: &Payload<'_>,
        bearer: &str,
        by: Instant,
    ) -> Result<Answer, AssureError> {
        let left = by.saturating_duration_since(Instant::now());
        if left < MIN_ATTEMPT {
            return Err(AssureError::TimedOut);
        }
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base_url))
            .timeout(left.min(self.retries.attempt_timeout))
            .header(reqwest::header::ACCEPT, "application/json")
            .bearer_auth(bearer);
        request = match payload {
            Payload::None => request,
            Payload::Json(body) => request.json(body),
        };
        let response = request.send().await.map_err(|e| transport(&e))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.bytes().await.map_err(|e| match transport(&e) {
            AssureError::Unreachable => AssureError::NoAnswer,
            other => other,
        })?;
        Ok(Answer {
            status,
            content_type,
            retry_after,
            body,
        })
    }

    /// Whether a token can be had: the cached one, or a new one when it is about to expire
    /// (the readiness probe).
    pub async fn ready(&self, by: Instant) -> Result<(), AssureError> {
        self.bearer(by).await.map(|_| ())
    }

    /// The cached access token, fetching a new one (retried until `by`) when it is about to
    /// expire. Callers waiting for another's fetch wait at most until `by`.
    async fn bearer(&self, by: Instant) -> Result<String, AssureError> {
        let result = self.bearer_fetched(by).await;
        if let Err(e) = &result {
            self.metrics.fault(TOKEN_CALL, fault(e));
        }
        result
    }

    async fn bearer_fetched(&self, by: Instant) -> Result<String, AssureError> {
        let mut cached = tokio::time::timeout_at(by, self.token.lock())
            .await
            .map_err(|_| AssureError::TimedOut)?;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_after) {
            return Ok(token.value.clone());
        }
        let mut tries = 0u32;
        let answer = loop {
            tries += 1;
            let sent = self.token_attempt(by).await;
            self.metrics.upstream(TOKEN_CALL, attempt_result(&sent));
            let (error, wait) = match sent {
                Ok(answer) if answer.status.is_success() => break answer,
                Ok(answer) => (AssureError::Status(answer.status), answer.retry_after),
                Err(e) => (e, None),
            };
            if !error.is_passing() {
                return Err(error);
            }
            self.pause(tries, wait, by, error).await?;
        };
        let answer: TokenAnswer = serde_json::from_slice(&answer.body)
            .map_err(|_| AssureError::Malformed("token answer"))?;
        if answer.access_token.is_empty() {
            return Err(AssureError::Malformed("token answer"));
        }
        let margin = (answer.expires_in / 10).clamp(1, 60);
        let lifetime = Duration::from_secs(answer.expires_in.saturating_sub(margin));
        *cached = Some(CachedToken {
            value: answer.access_token.clone(),
            refresh_after: Instant::now() + lifetime,
        });
        Ok(answer.access_token)
    }

    /// One token request, its whole answer read.
    async fn token_attempt(&self, by: Instant) -> Result<Answer, AssureError> {
        let left = by.saturating_duration_since(Instant::now());
        if left < MIN_ATTEMPT {
            return Err(AssureError::TimedOut);
        }
        let response = self
            .http
            .post(format!("{}/auth/open/connect/token", self.base_url))
            .timeout(left.min(self.retries.attempt_timeout))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "signicat-api"),
            ])
            .send()
            .await
            .map_err(|e| transport(&e))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let body = response.bytes().await.map_err(|e| match transport(&e) {
            AssureError::Unreachable => AssureError::NoAnswer,
            other => other,
        })?;
        Ok(Answer {
            status,
            content_type: None,
            retry_after,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_with_jitter_up_to_the_cap() {
        let r = Retries::default();
        for _ in 0..100 {
            let first = r.pause(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let fourth = r.pause(4);
            assert!(fourth >= Duration::from_millis(400) && fourth <= Duration::from_millis(800));
            let late = r.pause(30);
            assert!(late >= Duration::from_secs(1) && late <= Duration::from_secs(2));
        }
        let draws: std::collections::BTreeSet<Duration> = (0..20).map(|_| r.pause(3)).collect();
        assert!(draws.len() > 1, "the pauses are jittered");
    }

    #[test]
    fn outcomes_are_classified() {
        use AssureError::*;
        for unknown in [
            NoAnswer,
            TimedOut,
            Status(StatusCode::INTERNAL_SERVER_ERROR),
        ] {
            assert!(unknown.is_unknown_outcome(), "{unknown}");
            assert!(unknown.is_passing(), "{unknown}");
        }
        for not_done in [
            Unreachable,
            Status(StatusCode::TOO_MANY_REQUESTS),
            Throttled {
                retry_after: Duration::from_secs(3),
            },
        ] {
            assert!(!not_done.is_unknown_outcome(), "{not_done}");
            assert!(not_done.is_passing(), "{not_done}");
        }
        for lasting in [
            Status(StatusCode::NOT_FOUND),
            Status(StatusCode::CONFLICT),
            Malformed("x"),
        ] {
            assert!(!lasting.is_unknown_outcome(), "{lasting}");
            assert!(!lasting.is_passing(), "{lasting}");
        }
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::from_secs(1)));
    }
}
