//! A small client for the Assure API calls the reference backend makes.
//!
//! The same code talks to the simulator and to the real API: only the base
//! URL and the credentials differ. Tokens are cached until shortly before
//! they expire; no error carries a token, a secret or an upstream body.

use axum::body::Bytes;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Why an Assure call did not give a usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssureError {
    /// The API could not be reached (connection, timeout).
    Unreachable,
    /// The API answered with this non-success status.
    Status(StatusCode),
    /// The API answered 2xx with a body of the wrong shape.
    Malformed(&'static str),
}

impl fmt::Display for AssureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssureError::Unreachable => f.write_str("the Assure API is unreachable"),
            AssureError::Status(s) => write!(f, "the Assure API answered {s}"),
            AssureError::Malformed(what) => write!(f, "the Assure API sent a malformed {what}"),
        }
    }
}

impl std::error::Error for AssureError {}

/// What a call sends.
enum Payload<'a> {
    None,
    Json(&'a Value),
}

struct CachedToken {
    value: String,
    refresh_after: Instant,
}

/// Client-credentials access to one Assure API.
pub struct AssureClient {
    http: reqwest::Client,
    base_url: String,
    client_id: String,
    client_secret: String,
    token: Mutex<Option<CachedToken>>,
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
            token: Mutex::new(None),
        }
    }

    /// Creates an empty dossier and returns its id.
    pub async fn create_dossier(&self) -> Result<String, AssureError> {
        let body = serde_json::json!({});
        let answer: DossierAnswer = self
            .call(Method::POST, "/assure/dossiers", Some(&body))
            .await?;
        if !crate::ids::is_valid_id(&answer.dossier_id) {
            return Err(AssureError::Malformed("dossier id"));
        }
        Ok(answer.dossier_id)
    }

    /// Starts the hosted capture flow in a dossier and returns the capture URL.
    pub async fn start_capture(
        &self,
        dossier_id: &str,
        request: &Value,
    ) -> Result<String, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/capture");
        let answer: CaptureAnswer = self.call(Method::POST, &path, Some(request)).await?;
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
    ) -> Result<Value, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}");
        let process: Value = self.call(Method::GET, &path, None).await?;
        let has_text = |key: &str| process.get(key).is_some_and(Value::is_string);
        if !(has_text("processId") && has_text("status")) {
            return Err(AssureError::Malformed("process"));
        }
        Ok(process)
    }

    /// Reads a dossier with its processes.
    pub async fn get_dossier(&self, dossier_id: &str) -> Result<Value, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}");
        let dossier: Value = self.call(Method::GET, &path, None).await?;
        if !dossier.get("processes").is_some_and(Value::is_array) {
            return Err(AssureError::Malformed("dossier"));
        }
        Ok(dossier)
    }

    /// Deletes a dossier and everything in it.
    pub async fn delete_dossier(&self, dossier_id: &str) -> Result<(), AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}");
        self.send(Method::DELETE, &path, Payload::None).await?;
        Ok(())
    }

    /// Creates a process in a dossier ("Create process", the SDK path) and returns it.
    pub async fn create_process(
        &self,
        dossier_id: &str,
        request: &Value,
    ) -> Result<Value, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes");
        let process: Value = self.call(Method::POST, &path, Some(request)).await?;
        let id = process.get("processId").and_then(Value::as_str);
        if !id.is_some_and(crate::ids::is_valid_id) {
            return Err(AssureError::Malformed("process"));
        }
        Ok(process)
    }

    /// Starts verification of an SDK-path process (`POST …/processes/{id}`).
    pub async fn start_verification(
        &self,
        dossier_id: &str,
        process_id: &str,
    ) -> Result<(), AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}");
        self.send(Method::POST, &path, Payload::None).await?;
        Ok(())
    }

    /// "Set images": `images` is `{ "front"?, "back"?, "selfie"? }`, each a JPEG/PNG dataURL
    /// (providers with direct upload only).
    pub async fn set_images(
        &self,
        dossier_id: &str,
        process_id: &str,
        images: &Value,
    ) -> Result<(), AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}/images");
        self.send(Method::POST, &path, Payload::Json(images))
            .await?;
        Ok(())
    }

    /// "Get document types" of a provider: the rows, each checked to be an object.
    pub async fn document_types(&self, provider: &str) -> Result<Vec<Value>, AssureError> {
        let path = format!("/assure/{provider}/document-types");
        let rows: Value = self.call(Method::GET, &path, None).await?;
        match rows {
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
    ) -> Result<Option<(Bytes, String)>, AssureError> {
        let path = format!("/assure/dossiers/{dossier_id}/processes/{process_id}/{what}");
        let response = self.send(Method::GET, &path, Payload::None).await?;
        if response.status() == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_string();
        let bytes = response
            .bytes()
            .await
            .map_err(|_| AssureError::Unreachable)?;
        Ok(Some((bytes, content_type)))
    }

    /// One authorised JSON call; a 401 drops the cached token and retries once.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, AssureError> {
        let payload = body.map_or(Payload::None, Payload::Json);
        self.send(method, path, payload)
            .await?
            .json()
            .await
            .map_err(|_| AssureError::Malformed("answer"))
    }

    /// One authorised call that answered 2xx; a 401 drops the cached token and retries once.
    async fn send(
        &self,
        method: Method,
        path: &str,
        payload: Payload<'_>,
    ) -> Result<reqwest::Response, AssureError> {
        for attempt in 0..2 {
            let token = self.bearer().await?;
            let mut request = self
                .http
                .request(method.clone(), format!("{}{path}", self.base_url))
                .bearer_auth(token)
                .header(reqwest::header::ACCEPT, "application/json");
            request = match &payload {
                Payload::None => request,
                Payload::Json(body) => request.json(body),
            };
            let response = request.send().await.map_err(|_| AssureError::Unreachable)?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && attempt == 0 {
                *self.token.lock().await = None;
                continue;
            }
            if !status.is_success() {
                return Err(AssureError::Status(status));
            }
            return Ok(response);
        }
        Err(AssureError::Status(StatusCode::UNAUTHORIZED))
    }

    /// The cached access token, fetching a new one when it is about to expire.
    async fn bearer(&self) -> Result<String, AssureError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_after) {
            return Ok(token.value.clone());
        }
        let response = self
            .http
            .post(format!("{}/auth/open/connect/token", self.base_url))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "signicat-api"),
            ])
            .send()
            .await
            .map_err(|_| AssureError::Unreachable)?;
        if !response.status().is_success() {
            return Err(AssureError::Status(response.status()));
        }
        let answer: TokenAnswer = response
            .json()
            .await
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
}
