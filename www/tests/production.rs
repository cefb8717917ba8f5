//! The reference backend in production shape: the Assure mode is explicit (nothing silent),
//! links and cookies follow the public URL, and the operational routes and headers.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use videoid_www::config::RealAssure;

/// A spawned `videoid-www` (the demo binary) with a clean environment; killed when dropped.
struct Binary {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// What it printed before `backend: …` (its last start-up line).
    printed: Vec<String>,
    host_url: String,
}

/// The binary's environment for a run on free loopback ports in a fresh directory.
fn base_env() -> Vec<(String, String)> {
    let dir = temp_dir();
    vec![
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
        ("HOST_PORT".into(), "0".into()),
        ("SIM_PORT".into(), "0".into()),
        (
            "VIDEOID_DATA_DIR".into(),
            dir.join("data").display().to_string(),
        ),
        (
            "VIDEOID_PKG_DIR".into(),
            dir.join("pkg").display().to_string(),
        ),
        ("VIDEOID_SIM_FINAL_DELAY_MS".into(), "50".into()),
    ]
}

fn command(env: &[(String, String)]) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null());
    command
}

impl Binary {
    /// Starts it and reads its start-up lines.
    fn start(env: &[(String, String)]) -> Binary {
        let mut child = command(env)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the videoid-www binary starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            // Reads to the end: a closed pipe would fail the binary's later writes.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut printed = Vec::new();
        loop {
            let line = lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no start-up lines; printed {printed:?}"));
            let last = line.starts_with("backend: ");
            printed.push(line);
            if last {
                break;
            }
        }
        // The simulator's banner follows its `backend:` line.
        while let Ok(line) = lines.recv_timeout(Duration::from_millis(300)) {
            printed.push(line);
        }
        let host_url = printed
            .iter()
            .find_map(|l| l.strip_prefix("demo: "))
            .expect("it names its origin")
            .trim_end_matches('/')
            .to_string();
        Binary {
            child,
            lines,
            printed,
            host_url,
        }
    }

    /// Sends SIGTERM and waits (15 s at most) for the exit status.
    async fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
        self.wait_exit(Duration::from_secs(15)).await
    }

    async fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let until = std::time::Instant::now() + within;
        while std::time::Instant::now() < until {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("videoid-www did not stop within {within:?}");
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = &self.lines;
    }
}

fn with(env: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = base_env();
    all.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    all
}

/// Runs the binary expecting it to refuse to start; its exit status and what it said. One
/// still running after 30 s is killed (and its status is then not a success).
fn refused(env: &[(&str, &str)]) -> (std::process::ExitStatus, String) {
    let mut child = command(&with(env))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the videoid-www binary runs");
    let until = std::time::Instant::now() + Duration::from_secs(30);
    while child.try_wait().expect("try_wait").is_none() && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let output = child.wait_with_output().expect("its output");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status, said)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

// ---- 1. Nothing silent ----------------------------------------------------------------------

#[test]
fn credentials_without_an_explicit_mode_are_a_startup_error() {
    let (status, said) = refused(&[
        ("SIGNICAT_CLIENT_ID", CLIENT_ID),
        ("SIGNICAT_CLIENT_SECRET", CLIENT_SECRET),
    ]);
    assert!(!status.success(), "{said}");
    assert!(said.contains("VIDEOID_ASSURE"), "{said}");
    // One credential alone was once a quiet fall-back to the simulator.
    let (status, said) = refused(&[("SIGNICAT_CLIENT_ID", CLIENT_ID)]);
    assert!(!status.success(), "{said}");
    assert!(
        said.contains("SIGNICAT_CLIENT_ID is set but VIDEOID_ASSURE is not"),
        "{said}"
    );
}

#[test]
fn a_partial_credential_set_is_a_startup_error_naming_what_is_missing() {
    let (status, said) = refused(&[
        ("VIDEOID_ASSURE", "signicat"),
        ("SIGNICAT_CLIENT_ID", CLIENT_ID),
    ]);
    assert!(!status.success(), "{said}");
    assert!(said.contains("SIGNICAT_CLIENT_SECRET not set"), "{said}");
    let (status, said) = refused(&[
        ("VIDEOID_ASSURE", "signicat"),
        ("SIGNICAT_CLIENT_SECRET", CLIENT_SECRET),
    ]);
    assert!(!status.success(), "{said}");
    assert!(said.contains("SIGNICAT_CLIENT_ID not set"), "{said}");
    // Without the webhook's secret, Assure's events could be forged.
    let (status, said) = refused(&[
        ("VIDEOID_ASSURE", "signicat"),
        ("SIGNICAT_CLIENT_ID", CLIENT_ID),
        ("SIGNICAT_CLIENT_SECRET", CLIENT_SECRET),
    ]);
    assert!(!status.success(), "{said}");
    assert!(said.contains("needs VIDEOID_WEBHOOK_SECRET"), "{said}");
    let (status, said) = refused(&[("VIDEOID_ASSURE", "production")]);
    assert!(!status.success(), "{said}");
    assert!(
        said.contains("VIDEOID_ASSURE must be simulator or signicat"),
        "{said}"
    );
}

#[tokio::test]
async fn signicat_mode_runs_no_simulator_and_ignores_the_scenario() {
    // A standalone simulator plays the real API.
    let upstream = servers().await;
    let sim_port = free_port();
    let mut b = Binary::start(&with(&[
        ("VIDEOID_ASSURE", "signicat"),
        ("SIGNICAT_CLIENT_ID", CLIENT_ID),
        ("SIGNICAT_CLIENT_SECRET", CLIENT_SECRET),
        ("ASSURE_BASE_URL", &upstream.sim_url),
        ("BIND_ADDR", "127.0.0.1:0"),
        ("SIM_PORT", &sim_port.to_string()),
        ("VIDEOID_WEBHOOK_SECRET", WEBHOOK_SECRET),
    ]));
    assert!(
        b.printed.iter().all(|l| !l.starts_with("simulator:")),
        "{:?}",
        b.printed
    );
    assert!(
        b.printed.iter().all(|l| !l.contains("SIMULATOR MODE")),
        "{:?}",
        b.printed
    );
    // No simulator listener: its port stays closed.
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", sim_port)).is_err(),
        "nothing listens on SIM_PORT in signicat mode"
    );
    // No simulator route on the host origin either.
    for path in [
        "/simulator/requests",
        "/simulator/faults",
        "/simulator/outcomes",
        "/capture/",
        "/provider/js/videoid.js",
        "/auth/open/connect/token",
    ] {
        let response = client()
            .get(format!("{}{path}", b.host_url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response.headers().get("x-videoid-assure").is_none(),
            "{path}"
        );
    }
    // `?scenario=` from the browser changes nothing upstream.
    let (status, body) = session(&b.host_url, "?scenario=rejected&auto=1&framing=deny").await;
    assert_eq!(status, 200, "{body}");
    let art = artifact(
        &upstream.sim_url,
        &artifact_of(body["url"].as_str().unwrap()),
    )
    .await;
    assert_eq!(art["scenario"], Value::Null, "{art}");
    assert_eq!(art["auto"], false, "{art}");
    let captures = received(&upstream.sim_url, "/assure/dossiers/").await;
    let capture = captures
        .iter()
        .find(|c| c["path"].as_str().is_some_and(|p| p.ends_with("/capture")))
        .expect("the capture call");
    assert!(
        !capture.to_string().contains("\"simulator\""),
        "no simulator block: {capture}"
    );
    assert!(b.terminate().await.success());
    upstream.shutdown().await;
}

#[tokio::test]
async fn simulator_mode_prints_a_banner_and_says_so_on_every_answer() {
    let mut b = Binary::start(&base_env());
    assert!(
        b.printed.iter().any(|l| l.contains("SIMULATOR MODE")),
        "{:?}",
        b.printed
    );
    for path in ["/api/videoid/dossier", "/", "/nowhere"] {
        let response = client()
            .get(format!("{}{path}", b.host_url))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["x-videoid-assure"],
            "simulator",
            "{path}"
        );
    }
    let (status, body) = session(&b.host_url, "").await;
    assert_eq!(status, 200, "{body}");
    assert!(b.terminate().await.success());
}

#[tokio::test]
async fn the_real_mode_backend_answers_without_the_simulator_header() {
    let upstream = servers().await;
    let base_url = upstream.sim_url.clone();
    let s = servers_with(|c| {
        c.real = Some(RealAssure {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            base_url,
        })
    })
    .await;
    assert_eq!(s.sim_url, "", "no simulator of its own");
    let response = client()
        .get(format!("{}/api/videoid/dossier", s.host_url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("x-videoid-assure").is_none());
    s.shutdown().await;
    upstream.shutdown().await;
}

// ---- 2. Public URL and proxies --------------------------------------------------------------

const PUBLIC: &str = "https://videoid.example";

fn set_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("set-cookie")
        .expect("a cookie")
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_public_url_is_the_base_of_every_link_and_https_makes_cookies_secure() {
    let s = servers_with(|c| c.public_url = Some(PUBLIC.into())).await;
    // The capture's redirectUrl.
    let response = client()
        .post(format!("{}/api/videoid/session", s.host_url))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = set_cookie(&response);
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=63072000"
    );
    let body: Value = response.json().await.unwrap();
    let art = artifact(&s.sim_url, &artifact_of(body["url"].as_str().unwrap())).await;
    assert_eq!(
        art["redirectUrl"],
        format!("{PUBLIC}/videoid/return").as_str()
    );
    // The handoff link, and the phone's cookie.
    let user = cookie.split(';').next().unwrap().to_string();
    let response = client()
        .post(format!("{}/api/videoid/handoff", s.host_url))
        .header("cookie", &user)
        .json(&json!({ "mode": "embed" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let handoff: Value = response.json().await.unwrap();
    let url = handoff["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{PUBLIC}/videoid/handoff?t=")),
        "{url}"
    );
    let token = url.split_once("?t=").unwrap().1;
    let response = client()
        .post(format!("{}/videoid/handoff", s.host_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("t={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let phone = set_cookie(&response);
    assert!(phone.starts_with("videoid_handoff="), "{phone}");
    assert!(phone.contains("; Secure"), "{phone}");
    // HSTS on the pages too.
    let page = client()
        .get(format!("{}/", s.host_url))
        .send()
        .await
        .unwrap();
    assert!(page.headers().contains_key("strict-transport-security"));
    // "Delete my data" forgets the cookie with the same attributes.
    let response = client()
        .delete(format!("{}/api/videoid/dossier", s.host_url))
        .header("cookie", &user)
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&response).contains("; Secure"));
    s.shutdown().await;
}

#[tokio::test]
async fn without_a_public_url_the_demo_keeps_plain_localhost_links() {
    let s = servers().await;
    assert!(
        s.host_url.starts_with("http://localhost:"),
        "{}",
        s.host_url
    );
    let response = client()
        .post(format!("{}/api/videoid/session", s.host_url))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(!set_cookie(&response).contains("Secure"));
    assert!(!response.headers().contains_key("strict-transport-security"));
    let body: Value = response.json().await.unwrap();
    let art = artifact(&s.sim_url, &artifact_of(body["url"].as_str().unwrap())).await;
    assert_eq!(
        art["redirectUrl"],
        format!("{}/videoid/return", s.host_url).as_str()
    );
    s.shutdown().await;
}

#[tokio::test]
async fn forwarded_headers_never_move_the_links() {
    // Whatever a client (or a proxy, trusted or not) says about the host, links use PUBLIC_URL.
    let s = servers_with(|c| {
        c.public_url = Some(PUBLIC.into());
        c.trusted_proxies = videoid_backend::proxies::Network::parse_list("127.0.0.1").unwrap();
    })
    .await;
    let response = client()
        .post(format!("{}/api/videoid/session", s.host_url))
        .header("x-forwarded-host", "evil.example")
        .header("x-forwarded-proto", "http")
        .header("forwarded", "host=evil.example;proto=http")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let art = artifact(&s.sim_url, &artifact_of(body["url"].as_str().unwrap())).await;
    assert_eq!(
        art["redirectUrl"],
        format!("{PUBLIC}/videoid/return").as_str()
    );
    s.shutdown().await;
}

#[tokio::test]
async fn bind_addr_sets_the_listener() {
    let port = free_port();
    let b = Binary::start(&with(&[("BIND_ADDR", &format!("127.0.0.1:{port}"))]));
    assert_eq!(b.host_url, format!("http://localhost:{port}"));
    let response = client()
        .get(format!("http://127.0.0.1:{port}/api/videoid/dossier"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

// ---- 3. Operations ----------------------------------------------------------------------------

async fn get(url: String) -> reqwest::Response {
    client().get(url).send().await.unwrap()
}

async fn token_calls(sim_url: &str) -> usize {
    received(sim_url, "/auth/").await.len()
}

#[tokio::test]
async fn healthz_and_readyz_answer_without_an_upstream_call_per_probe() {
    let s = servers().await;
    let response = get(format!("{}/healthz", s.host_url)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
    let response = get(format!("{}/readyz", s.host_url)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ready");
    let calls = token_calls(&s.sim_url).await;
    assert!(calls <= 1, "{calls}");
    for _ in 0..10 {
        let response = get(format!("{}/readyz", s.host_url)).await;
        assert_eq!(response.status(), 200);
    }
    assert_eq!(
        token_calls(&s.sim_url).await,
        calls,
        "probes reuse the token"
    );
    assert!(
        received(&s.sim_url, "/assure/").await.is_empty(),
        "probes make no Assure call"
    );
    s.shutdown().await;
}

#[tokio::test]
async fn readyz_is_503_when_no_assure_token_can_be_had_and_caches_that() {
    let upstream = servers().await;
    let base_url = upstream.sim_url.clone();
    let s = servers_with(|c| {
        c.real = Some(RealAssure {
            client_id: CLIENT_ID.into(),
            client_secret: "not-the-secret".into(),
            base_url,
        })
    })
    .await;
    let response = get(format!("{}/readyz", s.host_url)).await;
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not ready: assure unavailable", "{body}");
    assert!(!body.to_string().contains("not-the-secret"));
    let calls = token_calls(&upstream.sim_url).await;
    assert!(calls >= 1);
    for _ in 0..5 {
        assert_eq!(get(format!("{}/readyz", s.host_url)).await.status(), 503);
    }
    assert_eq!(
        token_calls(&upstream.sim_url).await,
        calls,
        "a failed check is cached too"
    );
    // Alive all the same.
    assert_eq!(get(format!("{}/healthz", s.host_url)).await.status(), 200);
    s.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn every_answer_names_the_instance() {
    let s = servers_with(|c| c.instance_id = Some("web-7".into())).await;
    for path in [
        "/healthz",
        "/",
        "/api/videoid/dossier",
        "/nowhere",
        "/pkg/none.js",
    ] {
        let response = get(format!("{}{path}", s.host_url)).await;
        assert_eq!(response.headers()["x-videoid-instance"], "web-7", "{path}");
    }
    s.shutdown().await;
    // Unnamed: the host name.
    let s = servers().await;
    let response = get(format!("{}/healthz", s.host_url)).await;
    let name = response.headers()["x-videoid-instance"].to_str().unwrap();
    assert!(!name.is_empty());
    s.shutdown().await;
}

#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish_and_exits_0() {
    // A standalone simulator whose "Start capture flow" takes 2 s.
    let sim = StandaloneProcess::spawn(
        vec![
            "--port".into(),
            "0".into(),
            "--data-dir".into(),
            temp_dir().display().to_string(),
            "--webhook".into(),
            "off".into(),
            "--faults".into(),
            "POST /assure/dossiers/*/capture: latency 2s".into(),
        ],
        vec![],
    )
    .await;
    let mut b = Binary::start(&with(&[("VIDEOID_SIM_URL", &sim.url)]));
    let host = b.host_url.clone();
    let in_flight = tokio::spawn(async move {
        client()
            .post(format!("{host}/api/videoid/session"))
            .json(&json!({}))
            .send()
            .await
    });
    // Once the request waits on the upstream, SIGTERM. The simulator records a call when it
    // has answered it, so the sign is the dossier's creation: the capture call follows it.
    let mut waited = 0;
    while !received(&sim.url, "/assure/dossiers")
        .await
        .iter()
        .any(|c| c["method"] == "POST" && c["path"] == "/assure/dossiers")
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
        assert!(waited < 2000, "the session never created its dossier");
    }
    let pid = b.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    // No new connections once stopping: the listener closes while the request in flight
    // (2 s upstream) still runs, so the process is still there when a connection is refused.
    let port = b
        .host_url
        .rsplit(':')
        .next()
        .unwrap()
        .parse::<u16>()
        .unwrap();
    let until = std::time::Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_ok()
    {
        assert!(
            std::time::Instant::now() < until,
            "the listener still accepted connections 20 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        b.child.try_wait().expect("try_wait").is_none(),
        "refused by a listener closed for stopping, not by a process already gone"
    );
    assert!(
        !in_flight.is_finished(),
        "refused while the request was still in flight"
    );
    let response = in_flight
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body["url"].as_str().is_some(), "{body}");
    let status = b.wait_exit(Duration::from_secs(15)).await;
    assert!(status.success(), "{status}");
    sim.terminate().await;
}
