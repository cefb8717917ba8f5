//! Starts both servers in-process on free ports and talks to them over HTTP.
#![allow(dead_code)]

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

/// Polls the host backend's result endpoint until the status is not pending/processing.
pub async fn final_result(host_url: &str, dossier_id: &str, process_id: &str) -> Value {
    for _ in 0..100 {
        let response = client()
            .get(format!("{host_url}/api/videoid/result"))
            .query(&[("dossierId", dossier_id), ("processId", process_id)])
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, 200, "{body}");
        if !matches!(body["status"].as_str(), Some("pending" | "processing")) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the process never reached a final status");
}
