//! Starts both servers in-process on free ports and talks to them over HTTP.
#![allow(dead_code)]

pub mod db;

use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use videoid_www::{start, Config, Running};

pub const CLIENT_ID: &str = "videoid-sim-client";
pub const CLIENT_SECRET: &str = "videoid-sim-secret";

static NEXT_DIR: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty temporary directory.
pub fn temp_dir() -> PathBuf {
    let n = NEXT_DIR.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("videoid-www-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Both servers on free ports, a short final delay, an empty package directory.
pub async fn servers() -> Running {
    servers_with(|_| {}).await
}

/// Like `servers`, after `change` adjusts the configuration.
pub async fn servers_with(change: impl FnOnce(&mut Config)) -> Running {
    let mut config = Config {
        host_port: 0,
        sim_port: 0,
        pkg_dir: temp_dir(),
        data_dir: temp_dir(),
        sim_final_delay: Duration::from_millis(50),
        sim_webhook_retry: Duration::from_millis(20),
        ..Config::default()
    };
    change(&mut config);
    if config.database.is_none() {
        config.database = db::for_servers(&config.data_dir).await;
    }
    start(config).await.expect("servers start")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A simulator access token.
pub async fn token(sim_url: &str) -> String {
    let response = client()
        .post(format!("{sim_url}/auth/open/connect/token"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

/// Status and JSON body of a response; panics if the body is not JSON.
pub async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}

/// Asserts a 4xx/5xx JSON error `{ error }` with the given status.
pub async fn assert_error(response: reqwest::Response, status: u16) -> String {
    let (got, body) = json(response).await;
    assert_eq!(got, status, "body: {body}");
    let message = body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error message: {body}"));
    assert!(!message.is_empty());
    assert_eq!(
        body.as_object().unwrap().len(),
        1,
        "only an error field: {body}"
    );
    message.to_string()
}

/// The artifact of a capture URL (`…#/artifact=ART`).
pub fn artifact_of(url: &str) -> String {
    url.split_once("#/artifact=")
        .expect("an artifact fragment")
        .1
        .to_string()
}

/// Asks the host backend for a session with this query string.
pub async fn session(host_url: &str, query: &str) -> (u16, Value) {
    let response = client()
        .post(format!("{host_url}/api/videoid/session{query}"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    json(response).await
}

/// The simulator's view of a capture session (as the capture page reads it).
pub async fn artifact(sim_url: &str, artifact: &str) -> Value {
    let response = client()
        .get(format!("{sim_url}/capture/api/artifact/{artifact}"))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Finishes a capture session with an outcome, as the capture page's buttons do.
pub async fn finish(sim_url: &str, artifact: &str, outcome: &str) -> (u16, Value) {
    let response = client()
        .post(format!("{sim_url}/capture/api/artifact/{artifact}/finish"))
        .json(&serde_json::json!({ "outcome": outcome }))
        .send()
        .await
        .unwrap();
    json(response).await
}

/// Polls the host backend's result endpoint (as `user`, whose dossier it must be)
/// until the status is not pending/processing.
pub async fn final_result(user: &mut EndUser, dossier_id: &str, process_id: &str) -> Value {
    for _ in 0..100 {
        let (status, body) = user.result(dossier_id, process_id).await;
        assert_eq!(status, 200, "{body}");
        if !matches!(body["status"].as_str(), Some("pending" | "processing")) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the process never reached a final status");
}

/// Every file under `dir` (recursively), relative paths.
pub fn files_under(dir: &std::path::Path) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A browser stand-in for one end-user: keeps the backend's `videoid_user` cookie.
pub struct EndUser {
    pub host_url: String,
    pub cookie: Option<String>,
}

impl EndUser {
    pub fn new(host_url: &str) -> EndUser {
        EndUser {
            host_url: host_url.to_string(),
            cookie: None,
        }
    }

    fn remember(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap();
            let (name, v) = pair.split_once('=').unwrap();
            assert_eq!(name, "videoid_user");
            assert!(value.contains("HttpOnly"), "{value}");
            assert!(value.contains("SameSite=Lax"), "{value}");
            self.cookie = (!v.is_empty()).then(|| v.to_string());
        }
    }

    /// A request to the host backend with the cookie (when there is one).
    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> reqwest::Response {
        let request = match &self.cookie {
            Some(c) => request.header("cookie", format!("videoid_user={c}")),
            None => request,
        };
        let response = request.send().await.unwrap();
        self.remember(&response);
        response
    }

    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        let url = format!("{}{path}", self.host_url);
        self.send(client().get(url)).await
    }

    /// `GET /api/videoid/result?dossierId=&processId=` with the cookie.
    pub async fn result(&mut self, dossier_id: &str, process_id: &str) -> (u16, Value) {
        let url = format!("{}/api/videoid/result", self.host_url);
        let request = client()
            .get(url)
            .query(&[("dossierId", dossier_id), ("processId", process_id)]);
        json(self.send(request).await).await
    }

    /// `POST /api/videoid/session{query}` with `body`.
    pub async fn session(&mut self, query: &str, body: Value) -> (u16, Value) {
        let url = format!("{}/api/videoid/session{query}", self.host_url);
        let response = self.send(client().post(url).json(&body)).await;
        json(response).await
    }

    /// An embed session finished on the capture page with `outcome`: `(dossierId, processId)`.
    pub async fn embed_capture(&mut self, sim_url: &str, scenario: &str) -> (String, String) {
        let (status, session) = self
            .session(
                &format!("?scenario={scenario}&auto=1"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, 200, "{session}");
        let art_id = artifact_of(session["url"].as_str().unwrap());
        let art = artifact(sim_url, &art_id).await;
        let (status, body) = finish(sim_url, &art_id, scenario).await;
        assert_eq!(status, 200, "{body}");
        (
            session["dossierId"].as_str().unwrap().to_string(),
            art["processId"].as_str().unwrap().to_string(),
        )
    }
}

/// An authorised simulator call.
pub async fn sim(
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = client().request(method, url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// Creates a dossier on the simulator and returns its id.
pub async fn new_dossier(sim_url: &str, token: &str) -> String {
    let response = sim(
        reqwest::Method::POST,
        format!("{sim_url}/assure/dossiers"),
        token,
        Some(serde_json::json!({})),
    )
    .await;
    let (status, body) = json(response).await;
    assert_eq!(status, 201, "{body}");
    body["dossierId"].as_str().unwrap().to_string()
}

/// Polls a simulator process until its status is final.
pub async fn sim_final(sim_url: &str, token: &str, dossier_id: &str, process_id: &str) -> Value {
    for _ in 0..200 {
        let url = format!("{sim_url}/assure/dossiers/{dossier_id}/processes/{process_id}");
        let (status, body) = json(sim(reqwest::Method::GET, url, token, None).await).await;
        assert_eq!(status, 200, "{body}");
        if !matches!(body["status"].as_str(), Some("pending" | "processing")) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the process never reached a final status");
}

/// Starts both servers on `data_dir` (for restarts) with `change` applied.
pub async fn servers_on(data_dir: &std::path::Path, change: impl FnOnce(&mut Config)) -> Running {
    let dir = data_dir.to_path_buf();
    servers_with(move |c| {
        c.data_dir = dir;
        change(c);
    })
    .await
}

/// Distinct, recognisable JPEG-looking bytes (a JPEG start, then `tag`'s pattern).
pub fn jpeg(tag: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0];
    bytes.extend((0..3000u32).map(|i| (i as u8) ^ tag.as_bytes()[0]));
    bytes.extend_from_slice(tag.as_bytes());
    bytes
}

/// `bytes` as a dataURL of `content_type`.
pub fn data_url(content_type: &str, bytes: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("data:{content_type};base64,{b64}")
}

/// A call to VideoID's provider API (`{providerApiUrl}/api/videos{path}`) with an authorization.
pub async fn provider_call(
    method: reqwest::Method,
    provider_api: &str,
    path: &str,
    authorization: &str,
    body: Option<(&str, Vec<u8>)>,
) -> (u16, Value) {
    let mut request = client()
        .request(method, format!("{provider_api}/api/videos{path}"))
        .bearer_auth(authorization);
    if let Some((content_type, bytes)) = body {
        request = request.header("content-type", content_type).body(bytes);
    }
    json(request.send().await.unwrap()).await
}

/// Does what VideoID's web SDK does with a process's authorization: opens the video for
/// `id_type`, uploads a still per phase (`jpeg(phase)`) and a WebM recording, completes.
/// Returns the video's answer (`{ id, idType, phases }`).
pub async fn sdk_video(provider_api: &str, authorization: &str, id_type: u32) -> Value {
    use reqwest::Method;
    let body = serde_json::to_vec(&serde_json::json!({ "idType": id_type })).unwrap();
    let (status, video) = provider_call(
        Method::POST,
        provider_api,
        "",
        authorization,
        Some(("application/json", body)),
    )
    .await;
    assert_eq!(status, 201, "{video}");
    let id = video["id"].as_str().unwrap().to_string();
    for phase in video["phases"].as_array().unwrap() {
        let phase = phase.as_str().unwrap().to_ascii_lowercase();
        let (status, body) = provider_call(
            Method::PUT,
            provider_api,
            &format!("/{id}/images/{phase}"),
            authorization,
            Some(("image/jpeg", jpeg(&phase))),
        )
        .await;
        assert_eq!(status, 201, "{phase}: {body}");
    }
    let (status, body) = provider_call(
        Method::PUT,
        provider_api,
        &format!("/{id}/recording"),
        authorization,
        Some(("video/webm", recording())),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = provider_call(
        Method::POST,
        provider_api,
        &format!("/{id}/complete"),
        authorization,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        serde_json::json!({ "id": id, "status": "processing" })
    );
    video
}

/// Bytes that start like a WebM file (EBML header), recognisable in a download.
pub fn recording() -> Vec<u8> {
    let mut bytes = vec![0x1a, 0x45, 0xdf, 0xa3];
    bytes.extend((0..8000u32).map(|i| (i % 251) as u8));
    bytes
}
