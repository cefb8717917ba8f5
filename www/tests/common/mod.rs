//! Starts the servers on free ports and talks to them over HTTP.
//!
//! The simulator runs in one of two ways (`Harness`): in-process beside the host backend, as
//! `videoid-www` runs it, or as the standalone `videoid-www simulator` binary spawned on a free
//! port, with the in-process host backend pointed at it. `simulator_tests!` runs a suite's
//! tests both ways.
#![allow(dead_code)]

/// The backend's test databases (one file for both crates' tests).
#[path = "../../backend/tests/common/db.rs"]
pub mod db;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;
use videoid_www::{start, Config, Running, Webhook};

pub const CLIENT_ID: &str = "videoid-sim-client";
pub const CLIENT_SECRET: &str = "videoid-sim-secret";
/// The webhook secret of tests that post events themselves (`config.webhook_secret`).
pub const WEBHOOK_SECRET: &str = "webhook-secret-of-the-tests-0123";

static NEXT_DIR: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty temporary directory.
pub fn temp_dir() -> PathBuf {
    let n = NEXT_DIR.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("videoid-www-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs each named `async fn(Harness)` of the calling test file twice: `embedded::name`
/// (the simulator in-process) and `standalone::name` (the `videoid-www simulator` binary).
#[macro_export]
macro_rules! simulator_tests {
    ($($name:ident),* $(,)?) => {
        mod embedded {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Harness::Embedded).await
                }
            )*
        }
        mod standalone {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Harness::Standalone).await
                }
            )*
        }
    };
}

/// How a test starts the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Harness {
    /// In-process, beside the host backend (`videoid-www`).
    Embedded,
    /// The `videoid-www simulator` binary on a free port; the host backend uses it.
    Standalone,
}

/// The running servers: the host backend (and demo site) and the simulator, wherever it runs.
pub struct Servers {
    /// Origin of the demo site and backend.
    pub host_url: String,
    /// Origin of the simulator.
    pub sim_url: String,
    /// Base URL of the real Assure API when the backend uses one.
    pub real_assure: Option<String>,
    /// The host backend's database.
    pub store: Arc<dyn videoid_backend::store::Store>,
    /// The data directory (the simulator's files, the backend's SQLite file).
    pub data_dir: PathBuf,
    running: Running,
    standalone: Option<StandaloneProcess>,
}

impl Servers {
    /// Stops the host backend and the simulator (SIGTERM for the standalone one, which must
    /// exit cleanly).
    pub async fn shutdown(mut self) {
        self.running.shutdown().await;
        if let Some(process) = self.standalone.take() {
            let status = process.terminate().await;
            assert!(
                status.success(),
                "the standalone simulator exited with {status}"
            );
        }
    }

    /// The host backend (for what a test runs by hand, such as a retention pass).
    pub fn backend(&self) -> Arc<videoid_backend::Backend> {
        self.running.backend.clone()
    }

    /// True when the simulator is the standalone binary.
    pub fn is_standalone(&self) -> bool {
        self.standalone.is_some()
    }
}

/// A spawned `videoid-www simulator`; killed if the test ends without `terminate`.
pub struct StandaloneProcess {
    child: Child,
    /// Kept open so the child's later writes to stdout never meet a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// The lines it printed on start.
    pub banner: Vec<String>,
    /// Its base URL, from the banner.
    pub url: String,
}

/// The standalone binary, built by cargo for the integration tests.
pub const BINARY: &str = env!("CARGO_BIN_EXE_videoid-www");

impl StandaloneProcess {
    /// Spawns `videoid-www simulator` with `args` and `env` only (a clean environment), and
    /// reads its banner.
    pub async fn spawn(args: Vec<String>, env: Vec<(String, String)>) -> StandaloneProcess {
        tokio::task::spawn_blocking(move || {
            let mut child = Command::new(BINARY)
                .arg("simulator")
                .args(&args)
                .env_clear()
                .envs(env)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("the videoid-www binary starts");
            let mut stdout = BufReader::new(child.stdout.take().expect("a stdout pipe"));
            let mut banner = Vec::new();
            loop {
                let mut line = String::new();
                let n = stdout.read_line(&mut line).expect("read the banner");
                if n == 0 {
                    let status = child.wait().expect("wait for the simulator");
                    panic!("the standalone simulator stopped ({status}) after printing {banner:?}");
                }
                let line = line.trim_end().to_string();
                let last = line.trim_start().starts_with("data:");
                banner.push(line);
                if last {
                    break;
                }
            }
            let url = banner
                .iter()
                .find_map(|l| l.trim_start().strip_prefix("base URL:"))
                .map(|u| u.trim().to_string())
                .expect("the banner names the base URL");
            StandaloneProcess {
                child,
                _stdout: stdout,
                banner,
                url,
            }
        })
        .await
        .expect("spawn the standalone simulator")
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits (10 s at most) for the exit status.
    pub async fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the standalone simulator did not stop within 10 s of SIGTERM");
    }
}

impl Drop for StandaloneProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A port that is free now (the standalone simulator must know the host backend's URL for
/// its webhook before the backend starts).
fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The standalone simulator's command line and environment for what `config` asks of the
/// embedded one, with the host backend at `host_port`.
pub fn standalone_args(config: &Config, host_port: u16) -> (Vec<String>, Vec<(String, String)>) {
    let ms = |d: Duration| format!("{}ms", d.as_millis());
    let frame_ancestors = config.sim_frame_ancestors.clone().unwrap_or_else(|| {
        format!("'self' http://localhost:{host_port} http://127.0.0.1:{host_port}")
    });
    let webhook = match &config.sim_webhook {
        Webhook::HostBackend => match &config.webhook_secret {
            Some(secret) => format!("http://localhost:{host_port}/api/videoid/events/{secret}"),
            None => format!("http://localhost:{host_port}/api/videoid/events"),
        },
        Webhook::Url(url) => url.clone(),
        Webhook::Off => "off".to_string(),
    };
    let mut args = vec![
        "--port".to_string(),
        config.sim_port.to_string(),
        "--data-dir".to_string(),
        config.data_dir.display().to_string(),
        "--pkg-dir".to_string(),
        config.pkg_dir.display().to_string(),
        "--frame-ancestors".to_string(),
        frame_ancestors,
        "--webhook".to_string(),
        webhook,
        "--final-delay".to_string(),
        ms(config.sim_final_delay),
        "--token-lifetime".to_string(),
        ms(config.sim_token_lifetime),
        "--session-lifetime".to_string(),
        ms(config.session_lifetime),
        "--webhook-retry".to_string(),
        ms(config.sim_webhook_retry),
    ];
    if !config.sim_control {
        args.push("--no-control".to_string());
    }
    if let Some(plan) = &config.sim_faults {
        args.push("--faults".to_string());
        args.push(plan.spec.clone());
    }
    args.push("--retention".to_string());
    args.push(ms(config.sim_retention));
    if let Some(after) = config.sim_agents.auto_accept {
        args.push("--auto-agent".to_string());
        args.push(ms(after));
    }
    let env = vec![
        (
            "VIDEOID_SIM_AGENT_USER".to_string(),
            config.sim_agents.user.clone(),
        ),
        (
            "VIDEOID_SIM_AGENT_PASSWORD".to_string(),
            config.sim_agents.password.clone(),
        ),
        (
            "VIDEOID_SIM_CLIENT_ID".to_string(),
            config.sim_client_id.clone(),
        ),
        (
            "VIDEOID_SIM_CLIENT_SECRET".to_string(),
            config.sim_client_secret.clone(),
        ),
    ];
    (args, env)
}

impl Harness {
    /// The servers on free ports, a short final delay, an empty package directory.
    pub async fn servers(self) -> Servers {
        self.servers_with(|_| {}).await
    }

    /// Like `servers`, after `change` adjusts the configuration.
    pub async fn servers_with(self, change: impl FnOnce(&mut Config)) -> Servers {
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
        let data_dir = config.data_dir.clone();
        // A backend in real mode uses no simulator of its own: nothing to run standalone.
        let (standalone, running) = if self == Harness::Standalone && config.real.is_none() {
            // The standalone simulator must know the backend's port before the backend
            // binds it, so the port is picked free and released first; another process
            // (the simulator itself, binding any free port, or a test beside this one) may
            // take it in between. Then the pair starts again on another port.
            let chosen = config.host_port == 0;
            let mut attempt = 0;
            loop {
                attempt += 1;
                let mut attempt_config = config.clone();
                if chosen {
                    attempt_config.host_port = free_port();
                }
                let (args, env) = standalone_args(&attempt_config, attempt_config.host_port);
                let process = StandaloneProcess::spawn(args, env).await;
                attempt_config.sim_url = Some(process.url.clone());
                match start(attempt_config).await {
                    Ok(running) => break (Some(process), running),
                    Err(e)
                        if chosen && attempt < 5 && e.kind() == std::io::ErrorKind::AddrInUse =>
                    {
                        drop(process);
                    }
                    Err(e) => panic!("servers start: {e:?}"),
                }
            }
        } else {
            (None, start(config).await.expect("servers start"))
        };
        Servers {
            data_dir,
            host_url: running.host_url.clone(),
            sim_url: running.sim_url.clone(),
            real_assure: running.real_assure.clone(),
            store: running.store.clone(),
            running,
            standalone,
        }
    }

    /// Starts the servers on `data_dir` (for restarts) with `change` applied.
    pub async fn servers_on(
        self,
        data_dir: &std::path::Path,
        change: impl FnOnce(&mut Config),
    ) -> Servers {
        let dir = data_dir.to_path_buf();
        self.servers_with(move |c| {
            c.data_dir = dir;
            change(c);
        })
        .await
    }
}

/// Both servers in-process on free ports, a short final delay, an empty package directory.
pub async fn servers() -> Servers {
    Harness::Embedded.servers().await
}

/// Like `servers`, after `change` adjusts the configuration.
pub async fn servers_with(change: impl FnOnce(&mut Config)) -> Servers {
    Harness::Embedded.servers_with(change).await
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
    // Up to 20 s: a loaded machine may take far longer than the simulator's final delay.
    for _ in 0..800 {
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

/// The simulator's webhook events not yet acknowledged by their receiver (its files under
/// `data_dir`).
pub fn pending_events(data_dir: &std::path::Path) -> Vec<String> {
    files_under(data_dir)
        .into_iter()
        .filter(|f| f.starts_with("simulator/") && f.contains("/events/"))
        .collect()
}

/// Waits (20 s at most) until the simulator has no webhook event left to deliver. An event's
/// file goes only once its receiver answered 2xx, so every event queued before this call
/// has then been handled by its receiver, and its delivery task has ended.
pub async fn no_pending_events(data_dir: &std::path::Path) {
    let until = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let pending = pending_events(data_dir);
        if pending.is_empty() {
            return;
        }
        assert!(
            std::time::Instant::now() < until,
            "the simulator's webhook events were never acknowledged: {pending:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
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
        self.embed_capture_with(sim_url, scenario, "").await
    }

    /// [`EndUser::embed_capture`] with `extra` (`&name=value…`) on the session request.
    pub async fn embed_capture_with(
        &mut self,
        sim_url: &str,
        scenario: &str,
        extra: &str,
    ) -> (String, String) {
        let (status, session) = self
            .session(
                &format!("?scenario={scenario}&auto=1{extra}"),
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

/// A control API call (`/simulator{path}`) with the simulator's client credentials.
pub fn control_call(method: reqwest::Method, sim_url: &str, path: &str) -> reqwest::RequestBuilder {
    client()
        .request(method, format!("{sim_url}/simulator{path}"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
}

/// `GET /simulator{path}`: its JSON answer.
pub async fn control_get(sim_url: &str, path: &str) -> Value {
    let response = control_call(reqwest::Method::GET, sim_url, path)
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// Puts faults in effect (`PUT /simulator/faults`); an empty spec clears them.
pub async fn set_faults(sim_url: &str, spec: &str) -> Value {
    let response = control_call(reqwest::Method::PUT, sim_url, "/faults")
        .json(&serde_json::json!({ "spec": spec }))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{spec}: {body}");
    body
}

/// The calls the simulator received whose path starts with `prefix`, oldest first.
pub async fn received(sim_url: &str, prefix: &str) -> Vec<Value> {
    let query = serde_urlencoded::to_string([("path", prefix)]).unwrap();
    control_get(sim_url, &format!("/requests?{query}"))
        .await
        .as_array()
        .unwrap()
        .clone()
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

/// Starts both servers in-process on `data_dir` (for restarts) with `change` applied.
pub async fn servers_on(data_dir: &std::path::Path, change: impl FnOnce(&mut Config)) -> Servers {
    Harness::Embedded.servers_on(data_dir, change).await
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

/// A second backend instance beside `a`: on `a`'s database (its SQLite file, or the
/// PostgreSQL database the harness gave it) and with `a`'s simulator as its Assure API.
pub async fn second_instance(a: &Servers) -> Servers {
    let sim_url = a.sim_url.clone();
    let shared = match db::for_servers(&a.data_dir).await {
        Some(postgres) => postgres,
        None => videoid_backend::store::Database::default_for(&a.data_dir),
    };
    servers_with(move |c| {
        c.database = Some(shared);
        c.sim_url = Some(sim_url);
    })
    .await
}

/// The Assure API calls the simulator recorded so far whose path starts with `prefix`.
pub async fn upstream_requests(sim_url: &str, prefix: &str) -> Vec<Value> {
    control_get(sim_url, &format!("/requests?path={prefix}"))
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A `process.complete` event as Assure sends it.
pub fn process_complete(id: &str, dossier_id: &str, process_id: &str) -> Value {
    serde_json::json!({
        "id": id, "timestamp": "2026-01-01T00:00:00.000Z", "sender": "assure",
        "eventName": "process.complete",
        "eventData": { "dossierId": dossier_id, "processId": process_id, "externalReference": null },
        "accountId": "a", "organizationId": "o", "expiresAt": "2026-01-04T00:00:00.000Z", "tags": [],
    })
}
