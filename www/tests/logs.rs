//! The structured logs of a real flow over HTTP: one JSON line per request, with its id (echoed
//! in `X-Request-Id`), method, route template, status and latency; and nowhere in the whole log
//! a token, a cookie, an end-user id, a dossier or process id, a capture or handoff link.
//!
//! The servers run in-process; the log is the binary's own subscriber
//! (`videoid_www::log_subscriber`, JSON) writing to a buffer instead of stderr.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use videoid_backend::store::EndUserKey;
use videoid_www::LogFormat;

/// Everything logged by this test binary.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'w> tracing_subscriber::fmt::MakeWriter<'w> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'w self) -> Buffer {
        self.clone()
    }
}

/// The process's log, captured from the first call on.
fn log() -> &'static Buffer {
    static LOG: OnceLock<Buffer> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Buffer::default();
        let subscriber = videoid_www::log_subscriber(LogFormat::Json, buffer.clone());
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        buffer
    })
}

fn log_text() -> String {
    String::from_utf8(log().0.lock().unwrap_or_else(|e| e.into_inner()).clone())
        .expect("the log is UTF-8")
}

/// A request seen from the client: the id its answer carried, its status, the route it hit.
struct Sent {
    id: String,
    status: u16,
    route: &'static str,
}

/// Sends `request` (as `user` when given), records what came back, returns status and body
/// (`Value::Null` when the body is not JSON).
async fn send(
    sent: &mut Vec<Sent>,
    route: &'static str,
    user: Option<&mut EndUser>,
    request: reqwest::RequestBuilder,
) -> (u16, Value) {
    let response = match user {
        Some(user) => user.send(request).await,
        None => request.send().await.expect("the request is answered"),
    };
    let status = response.status().as_u16();
    let id = response
        .headers()
        .get("x-request-id")
        .unwrap_or_else(|| panic!("{route}: no X-Request-Id in the answer"))
        .to_str()
        .expect("a visible id")
        .to_string();
    assert!(videoid_backend::ops::is_request_id(&id), "{id:?}");
    sent.push(Sent { id, status, route });
    let text = response.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The final process, polled as `user`.
async fn final_process(
    sent: &mut Vec<Sent>,
    user: &mut EndUser,
    dossier_id: &str,
    process_id: &str,
) -> Value {
    for _ in 0..200 {
        let url = format!("{}/api/videoid/result", user.host_url);
        let request = client()
            .get(url)
            .query(&[("dossierId", dossier_id), ("processId", process_id)]);
        let (status, body) = send(sent, "/api/videoid/result", Some(user), request).await;
        assert_eq!(status, 200, "{body}");
        if !matches!(body["status"].as_str(), Some("pending" | "processing")) {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the process never reached a final status");
}

#[tokio::test]
async fn a_flow_logs_one_json_line_per_request_and_no_secret() {
    log();
    let s = servers().await;
    let host = s.host_url.clone();
    let mut sent = Vec::new();
    // What the log must never hold.
    let mut secrets: Vec<(&str, String)> = vec![("client secret", CLIENT_SECRET.to_string())];

    // Embed: session, the capture page finishes it, the webhook, the result.
    let mut desktop = EndUser::new(&host);
    let request = client()
        .post(format!(
            "{host}/api/videoid/session?scenario=accepted&auto=1"
        ))
        .json(&json!({}));
    let (status, session) = send(
        &mut sent,
        "/api/videoid/session",
        Some(&mut desktop),
        request,
    )
    .await;
    assert_eq!(status, 200, "{session}");
    let capture_url = session["url"].as_str().expect("a capture URL").to_string();
    let art_id = artifact_of(&capture_url);
    let art = artifact(&s.sim_url, &art_id).await;
    let (status, body) = finish(&s.sim_url, &art_id, "accepted").await;
    assert_eq!(status, 200, "{body}");
    let dossier_id = session["dossierId"]
        .as_str()
        .expect("a dossier")
        .to_string();
    let process_id = art["processId"].as_str().expect("a process").to_string();
    let result = final_process(&mut sent, &mut desktop, &dossier_id, &process_id).await;
    assert_eq!(result["status"], "accepted", "{result}");
    let (status, _) = send(
        &mut sent,
        "/api/videoid/dossier",
        Some(&mut desktop),
        client().get(format!("{host}/api/videoid/dossier")),
    )
    .await;
    assert_eq!(status, 200);
    let cookie = desktop.cookie.clone().expect("the desktop's cookie");
    secrets.extend([
        ("capture URL", capture_url.clone()),
        ("capture artifact", art_id.clone()),
        ("dossier id", dossier_id.clone()),
        ("process id", process_id.clone()),
        ("end-user cookie", cookie.clone()),
        (
            "end-user id",
            EndUserKey::of_cookie(&cookie).as_str().to_string(),
        ),
    ]);

    // Native: session, three uploads, complete, the result.
    let mut native = EndUser::new(&host);
    let request = client()
        .post(format!("{host}/api/videoid/session?scenario=accepted"))
        .json(&json!({ "mode": "native", "lang": "en" }));
    let (status, session) = send(
        &mut sent,
        "/api/videoid/session",
        Some(&mut native),
        request,
    )
    .await;
    assert_eq!(status, 200, "{session}");
    let upload_token = session["uploadToken"]
        .as_str()
        .expect("a token")
        .to_string();
    let native_dossier = session["dossierId"]
        .as_str()
        .expect("a dossier")
        .to_string();
    let native_process = session["processId"]
        .as_str()
        .expect("a process")
        .to_string();
    for step in ["front", "back", "selfie"] {
        let request = client()
            .put(format!("{host}/api/videoid/upload/{step}"))
            .bearer_auth(&upload_token)
            .header("content-type", "image/jpeg")
            .body(jpeg(step));
        let (status, body) = send(&mut sent, "/api/videoid/upload/{step}", None, request).await;
        assert_eq!(status, 201, "{step}: {body}");
    }
    let request = client()
        .post(format!("{host}/api/videoid/upload/complete"))
        .bearer_auth(&upload_token);
    let (status, body) = send(&mut sent, "/api/videoid/upload/complete", None, request).await;
    assert_eq!(status, 200, "{body}");
    let result = final_process(&mut sent, &mut native, &native_dossier, &native_process).await;
    assert_eq!(result["status"], "accepted", "{result}");
    let native_cookie = native.cookie.clone().expect("a cookie");
    secrets.extend([
        ("upload token", upload_token.clone()),
        ("dossier id", native_dossier.clone()),
        ("process id", native_process.clone()),
        ("end-user cookie", native_cookie.clone()),
        (
            "end-user id",
            EndUserKey::of_cookie(&native_cookie).as_str().to_string(),
        ),
    ]);

    // A handoff: created, opened by a phone (its own cookie), read, revoked.
    let request = client()
        .post(format!("{host}/api/videoid/handoff"))
        .json(&json!({ "mode": "native" }));
    let (status, handoff) = send(
        &mut sent,
        "/api/videoid/handoff",
        Some(&mut desktop),
        request,
    )
    .await;
    assert_eq!(status, 201, "{handoff}");
    let handoff_id = handoff["id"].as_str().expect("an id").to_string();
    let link = handoff["url"].as_str().expect("a link").to_string();
    let link_token = link.split_once("?t=").expect("a token").1.to_string();
    let (status, _) = send(&mut sent, "/videoid/handoff", None, client().get(&link)).await;
    assert_eq!(status, 200);
    let response = client()
        .post(format!("{host}/videoid/handoff"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("t={link_token}"))
        .send()
        .await
        .expect("the page's form is answered");
    assert_eq!(response.status(), 200);
    let phone_cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .and_then(|v| v.strip_prefix("videoid_handoff="))
        .expect("the phone's cookie")
        .to_string();
    let request = client()
        .get(format!("{host}/api/videoid/handoff/phone"))
        .header("cookie", format!("videoid_handoff={phone_cookie}"));
    let (status, body) = send(&mut sent, "/api/videoid/handoff/phone", None, request).await;
    assert_eq!(
        (status, &body["status"]),
        (200, &json!("pairing")),
        "{body}"
    );
    // The pairing code is no secret (4 digits a person compares), so it is not looked for.
    assert!(body["code"].is_string(), "{body}");
    let request = client().get(format!("{host}/api/videoid/handoff/{handoff_id}/events"));
    let (status, _) = send(
        &mut sent,
        "/api/videoid/handoff/{id}/events",
        Some(&mut desktop),
        request,
    )
    .await;
    assert_eq!(status, 200);
    let request = client().post(format!("{host}/api/videoid/handoff/{handoff_id}/confirm"));
    let (status, _) = send(
        &mut sent,
        "/api/videoid/handoff/{id}/confirm",
        Some(&mut desktop),
        request,
    )
    .await;
    assert_eq!(status, 200);
    let request = client().delete(format!("{host}/api/videoid/handoff/{handoff_id}"));
    let (status, _) = send(
        &mut sent,
        "/api/videoid/handoff/{id}",
        Some(&mut desktop),
        request,
    )
    .await;
    assert_eq!(status, 204);
    secrets.extend([
        ("handoff id", handoff_id.clone()),
        ("handoff link", link.clone()),
        ("handoff link token", link_token.clone()),
        ("phone cookie", phone_cookie.clone()),
    ]);

    // Refused requests are logged too, and an unknown path by no path at all.
    let (status, _) = send(
        &mut sent,
        "/api/videoid/result",
        None,
        client()
            .get(format!("{host}/api/videoid/result"))
            .query(&[("dossierId", &dossier_id), ("processId", &process_id)]),
    )
    .await;
    assert_eq!(status, 404, "another browser learns nothing");
    let secret_path = format!("/nothing-here/{}", ids_like("path"));
    let (status, _) = send(
        &mut sent,
        "unmatched",
        None,
        client().get(format!("{host}{secret_path}")),
    )
    .await;
    assert_eq!(status, 404);
    secrets.push(("a raw path", secret_path));

    // An incoming id is kept when well-formed and echoed; another is replaced.
    let (_, _) = send(
        &mut sent,
        "/healthz",
        None,
        client()
            .get(format!("{host}/healthz"))
            .header("x-request-id", "logs-test-req-0001"),
    )
    .await;
    assert_eq!(
        sent.last().map(|s| s.id.as_str()),
        Some("logs-test-req-0001")
    );
    let (_, _) = send(
        &mut sent,
        "/healthz",
        None,
        client()
            .get(format!("{host}/healthz"))
            .header("x-request-id", "two words\"}"),
    )
    .await;
    assert_ne!(sent.last().map(|s| s.id.as_str()), Some("two words\"}"));

    // The webhook's deliveries (one per final process) may still be in flight: wait until
    // the simulator has each acknowledged, so the backend logged them, before reading the log.
    no_pending_events(&s.data_dir).await;
    s.shutdown().await;

    let text = log_text();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"))
        })
        .collect();
    assert!(!lines.is_empty(), "something was logged");
    for request in &sent {
        let matching: Vec<&Value> = lines
            .iter()
            .filter(|l| l["message"] == "request" && l["request_id"] == request.id.as_str())
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "one line for request {} ({}): {matching:?}",
            request.id,
            request.route
        );
        let line = matching[0];
        assert_eq!(line["route"], request.route, "{line}");
        assert_eq!(line["status"], request.status, "{line}");
        assert!(line["method"].is_string(), "{line}");
        assert!(
            line["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0),
            "{line}"
        );
        assert_eq!(line["level"], "INFO", "{line}");
        assert_eq!(line["span"]["request_id"], request.id.as_str(), "{line}");
        assert!(line["timestamp"].is_string(), "{line}");
    }
    assert!(sent.len() >= 15, "the flow made {} requests", sent.len());
    for (what, secret) in &secrets {
        assert!(
            secret.len() >= 8,
            "{what} is too short to look for: {secret:?}"
        );
        if let Some(line) = text.lines().find(|l| l.contains(secret.as_str())) {
            panic!("the log holds a {what}: {line}");
        }
    }
    for fragment in [
        "?scenario",
        "dossierId=",
        "processId=",
        "?t=",
        "videoid_user=",
        "videoid_handoff=",
        "Bearer ",
    ] {
        assert!(!text.contains(fragment), "the log holds {fragment:?}");
    }
}

/// A recognisable, id-looking string.
fn ids_like(tag: &str) -> String {
    format!("{tag}-{}", videoid_backend::ids::uuid())
}

/// The binary itself with `LOG_FORMAT=json`: its stderr is JSON lines only, one per request
/// with the id it was sent, and its stop; its stdout keeps the plain start banner.
#[tokio::test]
async fn the_binary_logs_json_lines_on_stderr() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = temp_dir();
    let stderr_path = dir.join("stderr.log");
    let stderr = std::fs::File::create(&stderr_path).expect("a log file");
    let mut child = Command::new(BINARY)
        .env_clear()
        .envs([
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            ("HOST_PORT", "0".to_string()),
            ("SIM_PORT", "0".to_string()),
            ("VIDEOID_DATA_DIR", dir.join("data").display().to_string()),
            ("VIDEOID_PKG_DIR", dir.join("pkg").display().to_string()),
            ("LOG_FORMAT", "json".to_string()),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the videoid-www binary starts");
    let stdout = child.stdout.take().expect("a stdout pipe");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Reads to the end: a closed pipe would fail the binary's later writes.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let host = loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the start banner");
        if let Some(url) = line.strip_prefix("demo: ") {
            break url.trim_end_matches('/').to_string();
        }
    };
    let response = client()
        .get(format!("{host}/healthz"))
        .header("x-request-id", "binary-log-0001")
        .send()
        .await
        .expect("/healthz answers");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "binary-log-0001");
    let mut user = EndUser::new(&host);
    let (status, session) = user.session("", json!({})).await;
    assert_eq!(status, 200, "{session}");
    let cookie = user.cookie.clone().expect("a cookie");
    let dossier_id = session["dossierId"]
        .as_str()
        .expect("a dossier")
        .to_string();

    let pid = child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("waited")
        .expect("an exit status");
    assert!(status.success(), "{status}");

    let text = std::fs::read_to_string(&stderr_path).expect("the log");
    let lines: Vec<Value> = text
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"))
        })
        .collect();
    let health = lines
        .iter()
        .find(|l| l["request_id"] == "binary-log-0001")
        .unwrap_or_else(|| panic!("the probe's line: {text}"));
    assert_eq!(
        (&health["route"], &health["status"], &health["method"]),
        (&json!("/healthz"), &json!(200), &json!("GET"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l["route"] == "/api/videoid/session" && l["status"] == 200),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("stopping"))),
        "{text}"
    );
    assert!(
        !text.contains(&cookie) && !text.contains(&dossier_id),
        "{text}"
    );
}
