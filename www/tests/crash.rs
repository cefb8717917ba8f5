//! Crash: the reference backend (a spawned `videoid-www` process, beside a standalone
//! simulator as its Assure API) is killed with SIGKILL during an upload and during result
//! polling, then started again on the same data directory and database. The end-user's session
//! goes on (or fails with a clear error), no upload is half-stored, and the webhook event that
//! came while the backend was down is handled once.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use videoid_backend::store::Database;

/// A spawned backend process (`videoid-www` with `VIDEOID_SIM_URL`); killed when dropped.
struct Backend {
    child: Child,
    url: String,
}

impl Backend {
    /// Starts the backend on `port` (the simulator's webhook goes there) with its data in `dir`.
    fn start(port: u16, dir: &Path, database: &Database, sim_url: &str) -> Backend {
        let database_url = match database {
            Database::Sqlite(path) => format!("sqlite:{}", path.display()),
            Database::Postgres(url) => url.clone(),
        };
        let mut child = Command::new(BINARY)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOST_PORT", port.to_string())
            .env("VIDEOID_SIM_URL", sim_url)
            .env("VIDEOID_DATA_DIR", dir.join("data"))
            .env("VIDEOID_PKG_DIR", dir.join("pkg"))
            .env("DATABASE_URL", database_url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the videoid-www binary starts");
        let stdout = child.stdout.take().expect("a stdout pipe");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads every line, so the process never writes to a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let url = loop {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the backend prints its origin");
            if let Some(url) = line.strip_prefix("demo: ") {
                break url.trim_end_matches('/').to_string();
            }
        };
        Backend { child, url }
    }

    /// SIGKILL, and the exit reaped.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL the backend");
        let status = self.child.wait().expect("wait for the backend");
        assert!(!status.success(), "killed: {status}");
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A standalone simulator whose webhook goes to the backend at `port`, and the backend.
struct Chain {
    sim: StandaloneProcess,
    sim_dir: PathBuf,
    backend_dir: PathBuf,
    database: Database,
    port: u16,
}

impl Chain {
    async fn new(final_delay: Duration) -> Chain {
        let port = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let sim_dir = temp_dir();
        let config = videoid_www::Config {
            sim_port: 0,
            data_dir: sim_dir.clone(),
            pkg_dir: temp_dir(),
            sim_final_delay: final_delay,
            sim_webhook_retry: Duration::from_millis(100),
            ..videoid_www::Config::default()
        };
        let (args, env) = standalone_args(&config, port);
        let sim = StandaloneProcess::spawn(args, env).await;
        let backend_dir = temp_dir();
        let database = common::db::for_servers(&backend_dir)
            .await
            .unwrap_or_else(|| Database::Sqlite(backend_dir.join("backend.sqlite")));
        Chain {
            sim,
            sim_dir,
            backend_dir,
            database,
            port,
        }
    }

    fn backend(&self) -> Backend {
        Backend::start(self.port, &self.backend_dir, &self.database, &self.sim.url)
    }

    /// Webhook events the simulator has not had acknowledged.
    fn pending_events(&self) -> usize {
        files_under(&self.sim_dir)
            .iter()
            .filter(|f| f.contains("events/"))
            .count()
    }

    /// Waits (30 s at most) until the simulator has no unacknowledged event.
    async fn events_acknowledged(&self) {
        for _ in 0..1200 {
            if self.pending_events() == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "webhook events still pending: {:?}",
            files_under(&self.sim_dir)
        );
    }

    async fn census(&self) -> videoid_backend::store::Census {
        let store = videoid_backend::store::open(&self.database, 1)
            .await
            .expect("open the backend's database");
        store.census().await.expect("census")
    }
}

/// The count of calls `/simulator/faults` shows for the fault at `index`.
async fn calls_seen(sim_url: &str, index: usize) -> u64 {
    control_get(sim_url, "/faults").await["faults"][index]["calls"]
        .as_u64()
        .unwrap_or(0)
}

async fn wait_for_calls(sim_url: &str, index: usize, at_least: u64) {
    for _ in 0..600 {
        if calls_seen(sim_url, index).await >= at_least {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the simulator never saw the call");
}

/// The stills the simulator holds for a process: name → bytes.
async fn stored_stills(sim_url: &str, process_id: &str) -> Vec<(String, u64)> {
    let mut stills: Vec<(String, u64)> = control_get(sim_url, "/uploads")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["processId"] == process_id)
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_string(),
                u["bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    stills.sort();
    stills
}

fn put_still(user: &EndUser, token: &str, step: &str, bytes: Vec<u8>) -> reqwest::RequestBuilder {
    client()
        .put(format!("{}/api/videoid/upload/{step}", user.host_url))
        .bearer_auth(token)
        .header("content-type", "image/jpeg")
        .body(bytes)
}

/// A still large enough to be sent in parts.
fn big_still(tag: &str) -> Vec<u8> {
    let mut still = jpeg(tag);
    still.resize(256 * 1024, tag.as_bytes()[0]);
    still
}

#[tokio::test]
async fn a_backend_killed_during_uploads_stores_no_half_upload_and_the_capture_goes_on() {
    let chain = Chain::new(Duration::from_millis(300)).await;
    let sim_url = chain.sim.url.clone();
    let backend = chain.backend();
    let mut user = EndUser::new(&backend.url);
    let (status, session) = user.session("", json!({ "mode": "native" })).await;
    assert_eq!(status, 200, "{session}");
    let d = session["dossierId"].as_str().unwrap().to_string();
    let p = session["processId"].as_str().unwrap().to_string();
    let token = session["uploadToken"].as_str().unwrap().to_string();
    let front = big_still("front");
    let (status, body) = json(
        put_still(&user, &token, "front", front.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    // 1. Killed while the still's body is arriving: half of it sent, then SIGKILL.
    let back = big_still("back");
    let addr = backend.url.trim_start_matches("http://").to_string();
    let (half, token_for_raw) = (back[..back.len() / 2].to_vec(), token.clone());
    let total = back.len();
    let mut raw = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr.replace("localhost", "127.0.0.1"))
            .expect("connect to the backend");
        let head = format!(
            "PUT /api/videoid/upload/back HTTP/1.1\r\nhost: localhost\r\n\
             authorization: Bearer {token_for_raw}\r\ncontent-type: image/jpeg\r\n\
             content-length: {total}\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&half).unwrap();
        stream.flush().unwrap();
        stream
    })
    .await
    .unwrap();
    backend.kill();
    // The connection is gone with the process: the rest cannot be sent, or no answer comes.
    let rest = back[total / 2..].to_vec();
    let answered = tokio::task::spawn_blocking(move || {
        let _ = raw.write_all(&rest);
        let mut answer = String::new();
        let _ = std::io::Read::read_to_string(&mut raw, &mut answer);
        answer
    })
    .await
    .unwrap();
    assert!(
        answered.is_empty(),
        "no answer from a killed backend: {answered}"
    );
    assert_eq!(
        stored_stills(&sim_url, &p).await,
        [("front".to_string(), front.len() as u64)],
        "nothing of the half-sent still reached the Assure API"
    );

    // 2. Killed while the backend's Set images call is in flight (held by latency upstream).
    let backend = chain.backend();
    user.host_url = backend.url.clone();
    set_faults(
        &sim_url,
        "POST /assure/dossiers/*/processes/*/images: latency 3s",
    )
    .await;
    let upload = tokio::spawn(put_still(&user, &token, "back", back.clone()).send());
    wait_for_calls(&sim_url, 0, 1).await;
    backend.kill();
    let cut = upload.await.unwrap();
    assert!(cut.is_err(), "no answer from a killed backend: {cut:?}");
    set_faults(&sim_url, "").await;

    // Restarted: the element sends the still again (as it does after a network error); each
    // still is held once, whole, and the upload session goes on to completion.
    let backend = chain.backend();
    user.host_url = backend.url.clone();
    let (status, body) = json(
        put_still(&user, &token, "back", back.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["bytes"], back.len());
    // The front, stored before the crashes, is known: sent again, it is not relayed again.
    let (status, body) = json(
        put_still(&user, &token, "front", front.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["bytes"], front.len());
    let selfie = jpeg("selfie");
    let (status, body) = json(
        put_still(&user, &token, "selfie", selfie.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        stored_stills(&sim_url, &p).await,
        [
            ("back".to_string(), back.len() as u64),
            ("front".to_string(), front.len() as u64),
            ("selfie".to_string(), selfie.len() as u64),
        ]
    );
    let got = sim(
        reqwest::Method::GET,
        format!("{sim_url}/assure/dossiers/{d}/processes/{p}/images?depiction=back"),
        &common::token(&sim_url).await,
        None,
    )
    .await;
    assert_eq!(got.status(), 200);
    assert_eq!(
        got.bytes().await.unwrap().as_ref(),
        back.as_slice(),
        "the still whole"
    );
    let complete = client()
        .post(format!("{}/api/videoid/upload/complete", backend.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, body) = json(complete).await;
    assert_eq!(status, 200, "{body}");
    let result = final_result(&mut user, &d, &p).await;
    assert_eq!(result["status"], "accepted");
    chain.events_acknowledged().await;
    backend.kill();
    let census = chain.census().await;
    assert_eq!((census.events, census.notified), (1, 1));
    let status = chain.sim.terminate().await;
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn a_backend_killed_during_result_polling_resumes_and_handles_the_webhook_once() {
    let chain = Chain::new(Duration::from_millis(2500)).await;
    let sim_url = chain.sim.url.clone();
    let backend = chain.backend();
    let mut user = EndUser::new(&backend.url);
    // Counts the webhook's delivery attempts (first=0: none fails on purpose).
    set_faults(&sim_url, "webhook: 503 first=0").await;
    let (d, p) = user.embed_capture(&sim_url, "accepted").await;
    let (status, result) = user.result(&d, &p).await;
    assert_eq!(status, 200, "{result}");
    assert!(
        matches!(result["status"].as_str(), Some("pending" | "processing")),
        "{result}"
    );
    backend.kill();

    // The process finishes upstream while the backend is down: the delivery fails and the
    // event waits in the simulator.
    wait_for_calls(&sim_url, 0, 1).await;
    assert_eq!(chain.pending_events(), 1);
    let process = sim_final(&sim_url, &common::token(&sim_url).await, &d, &p).await;
    assert_eq!(process["status"], "accepted");

    // Restarted on the same database: the end-user's polling goes on with their cookie, and
    // the pending event is delivered and handled once.
    let backend = chain.backend();
    user.host_url = backend.url.clone();
    let result = final_result(&mut user, &d, &p).await;
    assert_eq!(result["status"], "accepted");
    chain.events_acknowledged().await;
    let mut notified = Value::Null;
    for _ in 0..200 {
        let (_, view) = json(user.get("/api/videoid/dossier").await).await;
        notified = view["processes"][0]["notifiedStatus"].clone();
        if !notified.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(notified, "accepted");
    // Delivered again after the restart: the simulator counts an attempt once its answer is
    // in, which may come after the backend has stored the event, so wait for the count.
    wait_for_calls(&sim_url, 0, 2).await;
    backend.kill();
    let census = chain.census().await;
    assert_eq!((census.events, census.notified), (1, 1));
    let status = chain.sim.terminate().await;
    assert!(status.success(), "{status}");
}

/// Killed while handling a webhook delivery (its read of the process held upstream): the
/// event's claim dies with the process; after the restart the simulator's next deliveries
/// are answered "being handled" until the claim's lease runs out, then the event is handled,
/// once.
#[tokio::test]
async fn a_backend_killed_while_handling_a_webhook_event_handles_it_once_after_a_restart() {
    let chain = Chain::new(Duration::from_millis(200)).await;
    let sim_url = chain.sim.url.clone();
    let backend = chain.backend();
    let mut user = EndUser::new(&backend.url);
    // Only the backend's webhook handling reads the process here (nobody polls the result).
    set_faults(&sim_url, "GET /assure/dossiers/*/processes/*: latency 5s").await;
    let (d, p) = user.embed_capture(&sim_url, "accepted").await;
    wait_for_calls(&sim_url, 0, 1).await;
    backend.kill();
    set_faults(&sim_url, "").await;
    assert_eq!(chain.pending_events(), 1, "the event was not acknowledged");

    let backend = chain.backend();
    user.host_url = backend.url.clone();
    chain.events_acknowledged().await;
    let (_, view) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(view["processes"][0]["notifiedStatus"], "accepted", "{view}");
    let result = final_result(&mut user, &d, &p).await;
    assert_eq!(result["status"], "accepted");
    backend.kill();
    let census = chain.census().await;
    assert_eq!((census.events, census.notified), (1, 1));
    let status = chain.sim.terminate().await;
    assert!(status.success(), "{status}");
}
