//! A bounded load test on loopback: N concurrent end-to-end sessions through the reference
//! backend and the Assure simulator, started in-process on free ports with temporary data
//! directories, in two runs reported side by side:
//!
//! 1. one backend instance on its embedded SQLite file (the default set-up);
//! 2. two backend instances sharing one PostgreSQL database, every request to the backend
//!    going to the next instance in turn, as a round-robin load balancer sends them (the
//!    second instance uses the first one's simulator as its Assure API). Needs a PostgreSQL
//!    server: `--postgres URL` or `VIDEOID_TEST_DATABASE_URL` (a database is created on it
//!    for the run and dropped after); `scripts/loadtest.sh` starts a throwaway one.
//!
//! Each session is a new end-user: asking for a phone link names them (cookie; a page view
//! names no one, and a link makes no dossier), then two first session requests go out at
//! once (on two instances in the second run) and must answer the same dossier; then the capture page's API (embed: read and finish the artifact) or the
//! uploads (native: three stills, complete), then `GET /api/videoid/result` until final.
//! Afterwards the database and the simulator are counted: one dossier per end-user (every
//! upstream dossier an end-user's), one webhook status per finished capture. Exits non-zero
//! on any error, any duplicate dossier, a missing webhook status, or after the time limit.
//!
//! With `--faults` the simulator fails about 10% of the backend's upstream calls and of its
//! webhook delivery attempts ([`TEN_PERCENT`]; `--faults-spec SPEC` for another spec, in
//! `VIDEOID_SIM_FAULTS`'s grammar). Each session then ends completed, in a typed failure (a
//! clear JSON error, after the retries the element makes: uploads up to 4 tries on 5xx, 408
//! and 429; result polls again on 5xx) or lost (anything else: no answer, a hang past 30 s,
//! a non-JSON error, a wrong final status, unfinished at the time limit). It fails on any
//! lost session, any duplicate dossier, any unacknowledged webhook, and (without faults) any
//! typed failure.
//!
//! `cargo run -p videoid-www --bin loadtest -- [--sessions 200] [--final-delay-ms 800]
//!  [--native] [--postgres URL] [--single] [--faults | --faults-spec SPEC]`

use assure_simulator::faults::Plan as FaultPlan;
use serde_json::{json, Value};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use videoid_backend::store::Database;
use videoid_www::config::RealAssure;
use videoid_www::{start, Config, Running};

/// Each run stops after this, whatever happens.
const TIME_LIMIT: Duration = Duration::from_secs(120);

struct Options {
    sessions: usize,
    final_delay: Duration,
    native: bool,
    postgres: Option<String>,
    single: bool,
    /// Faults the simulator injects into every run (`--faults`, `--faults-spec`).
    faults: Option<FaultPlan>,
}

/// `--faults`: about 10% of the backend's upstream calls (token, Assure API) fail — 500,
/// 503, 429 with Retry-After, or the connection dropped after the call was handled — and
/// 10% of webhook delivery attempts (not sent, or their answer lost).
pub const TEN_PERCENT: &str = "seed=12; all: 500 3%, 503 3%, 429 2% retry-after=1s, drop 2.5%; \
                               webhook: 503 5%, drop 5%";

fn options() -> Result<Options, String> {
    let mut o = Options {
        sessions: 200,
        final_delay: Duration::from_millis(800),
        native: false,
        postgres: std::env::var("VIDEOID_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty()),
        single: false,
        faults: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--sessions" => o.sessions = number("--sessions")?.clamp(1, 2000) as usize,
            "--final-delay-ms" => {
                o.final_delay = Duration::from_millis(number("--final-delay-ms")?)
            }
            "--native" => o.native = true,
            "--single" => o.single = true,
            "--faults" => {
                o.faults = Some(FaultPlan::parse(TEN_PERCENT).map_err(|e| e.to_string())?)
            }
            "--faults-spec" => {
                let spec = args.next().ok_or("--faults-spec needs a spec")?;
                o.faults = Some(FaultPlan::parse(&spec).map_err(|e| e.to_string())?);
            }
            "--postgres" => {
                o.postgres = Some(args.next().ok_or("--postgres needs a URL")?);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

/// Sends each request to the next backend instance in turn.
struct Balancer {
    hosts: Vec<String>,
    next: AtomicUsize,
}

impl Balancer {
    fn host(&self) -> &str {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        &self.hosts[i % self.hosts.len()]
    }
}

/// Timings of one session: total, and the two first session requests (until both answered).
struct Timing {
    total: Duration,
    session: Duration,
    /// The two first requests answered different dossiers.
    duplicate: bool,
}

/// How a session ended: completed (its result final and accepted), or a typed failure (a
/// clear JSON error the element shows, after it retried what it retries). A session that
/// ends in neither is lost (`Err`): no answer, a hang past the client's timeout, an answer
/// that is not a JSON error, or a wrong final status.
enum End {
    Completed(Timing),
    Failed { step: &'static str, status: u16 },
}

/// A typed failure: a non-success status with a JSON `{ "error": "…" }` body.
struct Typed {
    step: &'static str,
    status: u16,
}

/// The `videoid_user=…` pair of the end-user cookie an answer sets.
fn end_user_cookie(response: &reqwest::Response) -> Result<String, String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with("videoid_user="))
        .map(str::to_string)
        .ok_or_else(|| "handoff link: no end-user cookie".to_string())
}

/// Reads an answer: `Ok(Ok(body))` with the expected status, `Ok(Err(typed))` for a clear
/// JSON error, `Err` (lost) for anything else.
async fn answer(
    sent: reqwest::Result<reqwest::Response>,
    expected: u16,
    step: &'static str,
) -> Result<Result<Value, Typed>, String> {
    let response = sent.map_err(|e| format!("{step}: no answer: {e}"))?;
    let status = response.status().as_u16();
    let body: Value = response
        .json()
        .await
        .map_err(|e| format!("{step}: {status}, not JSON: {e}"))?;
    if status == expected {
        return Ok(Ok(body));
    }
    let clear = status >= 400
        && body.as_object().is_some_and(|o| o.len() == 1)
        && body["error"].as_str().is_some_and(|e| !e.is_empty());
    if clear {
        Ok(Err(Typed { step, status }))
    } else {
        Err(format!("{step}: {status} {body}"))
    }
}

/// A status the element tries again (uploads: 5xx, 408, 429; polling: 5xx).
fn passing(status: u16, polling: bool) -> bool {
    status >= 500 || (!polling && (status == 408 || status == 429))
}

/// Names a new end-user (a phone link, which makes no dossier), then sends their two first
/// session requests at once. Both must answer the same dossier; when one fails with a clear
/// error the other is used.
async fn first_sessions(
    http: &reqwest::Client,
    lb: &Balancer,
    mode: &str,
) -> Result<Result<(String, Value, bool, Duration), Typed>, String> {
    let link = http
        .post(format!("{}/api/videoid/handoff", lb.host()))
        .json(&json!({ "mode": mode, "lang": "en" }))
        .send()
        .await
        .map_err(|e| format!("handoff link: {e}"))?;
    let cookie = end_user_cookie(&link)?;
    if let Err(typed) = answer(Ok(link), 201, "handoff link").await? {
        return Ok(Err(typed));
    }
    let started = Instant::now();
    let request = |host: &str| {
        http.post(format!("{host}/api/videoid/session?scenario=accepted"))
            .header(reqwest::header::COOKIE, &cookie)
            .json(&json!({ "mode": mode, "lang": "en" }))
            .send()
    };
    let (one, two) = tokio::join!(request(lb.host()), request(lb.host()));
    let one = answer(one, 200, "session").await?;
    let two = answer(two, 200, "session").await?;
    let elapsed = started.elapsed();
    Ok(match (one, two) {
        (Ok(one), Ok(two)) => {
            let duplicate = one["dossierId"] != two["dossierId"];
            Ok((cookie, one, duplicate, elapsed))
        }
        (Ok(one), Err(_)) | (Err(_), Ok(one)) => Ok((cookie, one, false, elapsed)),
        (Err(typed), Err(_)) => Err(typed),
    })
}

/// `captured` counts the processes a session finished (each owes the backend one webhook status).
async fn embed_session(
    http: &reqwest::Client,
    lb: &Balancer,
    sim: &str,
    captured: &AtomicUsize,
) -> Result<End, String> {
    let started = Instant::now();
    let (cookie, session, duplicate, session_time) = match first_sessions(http, lb, "embed").await?
    {
        Ok(first) => first,
        Err(t) => {
            return Ok(End::Failed {
                step: t.step,
                status: t.status,
            })
        }
    };
    let url = session["url"].as_str().ok_or("session: no url")?;
    let artifact = url
        .split_once("#/artifact=")
        .ok_or("session: no artifact")?
        .1;
    // The capture page's own API (not the Assure API: no faults there).
    let read = http
        .get(format!("{sim}/capture/api/artifact/{artifact}"))
        .send()
        .await;
    let read = answer(read, 200, "artifact")
        .await?
        .map_err(|t| format!("artifact: {}", t.status))?;
    let finish = http
        .post(format!("{sim}/capture/api/artifact/{artifact}/finish"))
        .json(&json!({ "outcome": "accepted" }))
        .send()
        .await;
    answer(finish, 200, "finish")
        .await?
        .map_err(|t| format!("finish: {}", t.status))?;
    captured.fetch_add(1, Ordering::Relaxed);
    let dossier = read["dossierId"].as_str().ok_or("artifact: no dossierId")?;
    let process = read["processId"].as_str().ok_or("artifact: no processId")?;
    if let Err(t) = poll(http, lb, &cookie, dossier, process).await? {
        return Ok(End::Failed {
            step: t.step,
            status: t.status,
        });
    }
    Ok(End::Completed(Timing {
        total: started.elapsed(),
        session: session_time,
        duplicate,
    }))
}

/// One upload-side call, tried as the element tries it (`MAX_TRIES` 4, backoff 0.5 s, 1 s, 2 s).
async fn element_call(
    make: impl Fn() -> reqwest::RequestBuilder,
    expected: u16,
    step: &'static str,
) -> Result<Result<Value, Typed>, String> {
    let mut tries = 0;
    loop {
        tries += 1;
        match answer(make().send().await, expected, step).await? {
            Err(t) if passing(t.status, false) && tries < 4 => {
                tokio::time::sleep(Duration::from_millis(500 << (tries - 1))).await;
            }
            done => return Ok(done),
        }
    }
}

async fn native_session(
    http: &reqwest::Client,
    lb: &Balancer,
    captured: &AtomicUsize,
) -> Result<End, String> {
    let started = Instant::now();
    let (cookie, session, duplicate, session_time) =
        match first_sessions(http, lb, "native").await? {
            Ok(first) => first,
            Err(t) => {
                return Ok(End::Failed {
                    step: t.step,
                    status: t.status,
                })
            }
        };
    let token = session["uploadToken"].as_str().ok_or("no uploadToken")?;
    for (step, size) in [("front", 40_000), ("back", 40_000), ("selfie", 30_000)] {
        let mut still = vec![0x5a_u8; size];
        still[..3].copy_from_slice(b"\xff\xd8\xff");
        let put = || {
            http.put(format!("{}/api/videoid/upload/{step}", lb.host()))
                .bearer_auth(token)
                .header("content-type", "image/jpeg")
                .body(still.clone())
        };
        if let Err(t) = element_call(put, 201, step).await? {
            return Ok(End::Failed {
                step: t.step,
                status: t.status,
            });
        }
    }
    let complete = || {
        http.post(format!("{}/api/videoid/upload/complete", lb.host()))
            .bearer_auth(token)
    };
    if let Err(t) = element_call(complete, 200, "complete").await? {
        return Ok(End::Failed {
            step: t.step,
            status: t.status,
        });
    }
    captured.fetch_add(1, Ordering::Relaxed);
    let dossier = session["dossierId"].as_str().ok_or("no dossierId")?;
    let process = session["processId"].as_str().ok_or("no processId")?;
    if let Err(t) = poll(http, lb, &cookie, dossier, process).await? {
        return Ok(End::Failed {
            step: t.step,
            status: t.status,
        });
    }
    Ok(End::Completed(Timing {
        total: started.elapsed(),
        session: session_time,
        duplicate,
    }))
}

/// Reads the result every 100 ms (as the element does, with the end-user's cookie; a 5xx
/// is asked again, as the element asks again) until it is final; it must be accepted.
async fn poll(
    http: &reqwest::Client,
    lb: &Balancer,
    cookie: &str,
    dossier: &str,
    process: &str,
) -> Result<Result<(), Typed>, String> {
    loop {
        let result = http
            .get(format!("{}/api/videoid/result", lb.host()))
            .query(&[("dossierId", dossier), ("processId", process)])
            .header(reqwest::header::COOKIE, cookie)
            .send()
            .await;
        let result = match answer(result, 200, "result").await? {
            Ok(result) => result,
            Err(t) if passing(t.status, true) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
            Err(t) => return Ok(Err(t)),
        };
        match result["status"].as_str() {
            Some("pending" | "processing") => tokio::time::sleep(Duration::from_millis(100)).await,
            Some("accepted") => return Ok(Ok(())),
            other => return Err(format!("result: unexpected status {other:?}")),
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn count_files(dir: &Path, part: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                count_files(&path, part)
            } else {
                usize::from(path.to_string_lossy().contains(part))
            }
        })
        .sum()
}

/// What one run measured.
struct Report {
    label: String,
    completed: usize,
    /// Sessions that ended in a clear JSON error: (step, status) of each.
    failed: Vec<(&'static str, u16)>,
    /// Sessions that ended in neither (why, for each).
    lost: Vec<String>,
    /// Checks of what the database and the simulator hold afterwards that failed.
    errors: Vec<String>,
    /// Faults were in effect: typed failures are expected.
    faults: bool,
    /// Upstream calls the simulator saw and how many of them met a fault, and the same for
    /// its webhook delivery attempts (from `GET /simulator/faults`).
    upstream_faults: (u64, u64),
    webhook_faults: (u64, u64),
    wall: Duration,
    totals: Vec<Duration>,
    sessions: Vec<Duration>,
    backend_requests: usize,
    /// First-request pairs that answered different dossiers.
    split_pairs: usize,
    /// Dossiers the simulator holds beyond one per end-user.
    extra_dossiers: i64,
    endusers_with_dossier: u64,
    notified: u64,
    pending_events: usize,
}

impl Report {
    fn duplicates(&self) -> i64 {
        self.split_pairs as i64 + self.extra_dossiers.max(0)
    }

    fn ok(&self) -> bool {
        self.lost.is_empty()
            && self.errors.is_empty()
            && (self.faults || self.failed.is_empty())
            && self.duplicates() == 0
            && self.pending_events == 0
    }
}

/// One run: `instances` backends (the first with the simulator) on `database`.
async fn run(
    label: &str,
    options: &Options,
    database: Option<Database>,
    instances: usize,
) -> Result<Report, String> {
    // The simulator's files (a test double that flushes every write under one lock) go on
    // tmpfs where there is one, so that its flushes are not what is measured; the backend's
    // databases stay on disk (the SQLite file here, PostgreSQL's data directory wherever
    // its server keeps it).
    let slug: String = label
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let run_name = format!("videoid-loadtest-{}-{slug}", std::process::id());
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.join(&run_name)
    } else {
        std::env::temp_dir().join(&run_name)
    };
    let disk = std::env::temp_dir().join(&run_name);
    let database = database.unwrap_or_else(|| Database::Sqlite(disk.join("backend.sqlite")));
    let config = |n: usize| Config {
        host_port: 0,
        sim_port: 0,
        data_dir: base.join(format!("data-{n}")),
        pkg_dir: base.join("pkg"),
        sim_final_delay: options.final_delay,
        database: Some(database.clone()),
        database_pool: 16,
        // Only the first instance's simulator is called (the others use it as their Assure API).
        sim_faults: if n == 0 { options.faults.clone() } else { None },
        // Every simulated end-user comes from this one loopback address: the limits per
        // address would stop the load, not measure it (they have their own tests).
        rate_limits: None,
        ..Config::default()
    };
    let first = start(config(0))
        .await
        .map_err(|e| format!("could not start the servers: {e}"))?;
    let mut running: Vec<Running> = vec![first];
    for n in 1..instances {
        let mut c = config(n);
        c.real = Some(RealAssure {
            client_id: c.sim_client_id.clone(),
            client_secret: c.sim_client_secret.clone(),
            base_url: running[0].sim_url.clone(),
        });
        running.push(
            start(c)
                .await
                .map_err(|e| format!("could not start instance {n}: {e}"))?,
        );
    }
    let sim_url = running[0].sim_url.clone();
    let lb = Arc::new(Balancer {
        hosts: running.iter().map(|r| r.host_url.clone()).collect(),
        next: AtomicUsize::new(0),
    });
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(options.sessions * 2)
        .build()
        .map_err(|e| e.to_string())?;
    println!(
        "run: {label}: {} (simulator {sim_url}, its files in {}; database {database:?})",
        lb.hosts.join(", "),
        base.display()
    );

    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let captured = Arc::new(AtomicUsize::new(0));
    for _ in 0..options.sessions {
        let (http, lb, sim) = (http.clone(), lb.clone(), sim_url.clone());
        let (native, captured) = (options.native, captured.clone());
        tasks.spawn(async move {
            if native {
                native_session(&http, &lb, &captured).await
            } else {
                embed_session(&http, &lb, &sim, &captured).await
            }
        });
    }
    let mut timings = Vec::new();
    let mut failed = Vec::new();
    let mut lost = Vec::new();
    let mut errors = Vec::new();
    let deadline = tokio::time::sleep(TIME_LIMIT);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            next = tasks.join_next() => match next {
                Some(Ok(Ok(End::Completed(t)))) => timings.push(t),
                Some(Ok(Ok(End::Failed { step, status }))) => failed.push((step, status)),
                Some(Ok(Err(e))) => lost.push(e),
                Some(Err(e)) => lost.push(format!("task: {e}")),
                None => break,
            },
            _ = &mut deadline => {
                for _ in 0..tasks.len() {
                    lost.push("unfinished at the time limit".to_string());
                }
                tasks.abort_all();
                break;
            }
        }
    }
    let wall = started.elapsed();
    let backend_requests = lb.next.load(Ordering::Relaxed);

    // Every finished process sends a webhook event to the first instance; wait (bounded) for
    // the acknowledgements, then count what the database and the simulator hold.
    let sim_dir = base.join("data-0");
    let waiting = Instant::now();
    // (Under faults, deliveries and the backend's reads still fail now and then: the
    // simulator's backoff doubles from 0.5 s, so allow longer.)
    let wait_for = Duration::from_secs(if options.faults.is_some() { 40 } else { 10 });
    let mut pending = count_files(&sim_dir, "/events/");
    while pending > 0 && waiting.elapsed() < wait_for {
        tokio::time::sleep(Duration::from_millis(50)).await;
        pending = count_files(&sim_dir, "/events/");
    }
    // What the faults did; then none, for the counting calls below.
    let (upstream_faults, webhook_faults) = if options.faults.is_some() {
        let shown = faults_shown(&http, &sim_url, Some("")).await?;
        (fault_counts(&shown, "all"), fault_counts(&shown, "webhook"))
    } else {
        ((0, 0), (0, 0))
    };
    let census = running[0].store.census().await.map_err(|e| e.to_string())?;
    let upstream = upstream_dossiers(&http, &sim_url).await?;
    for r in running {
        r.shutdown().await;
    }
    let _ = std::fs::remove_dir_all(&base);
    let _ = std::fs::remove_dir_all(&disk);

    let mut totals: Vec<Duration> = timings.iter().map(|t| t.total).collect();
    let mut sessions: Vec<Duration> = timings.iter().map(|t| t.session).collect();
    totals.sort();
    sessions.sort();
    // Every finished capture's process must end with its webhook status recorded (under
    // faults too: failed deliveries are sent again, failed handling answered 503).
    let captured = captured.load(Ordering::Relaxed) as u64;
    if census.notified != captured {
        errors.push(format!(
            "{captured} captures finished but {} webhook statuses recorded",
            census.notified
        ));
    }
    if census.with_dossier != census.dossiers {
        errors.push(format!(
            "database: {} end-users with a dossier but {} distinct dossiers",
            census.with_dossier, census.dossiers
        ));
    }
    Ok(Report {
        label: label.to_string(),
        completed: timings.len(),
        failed,
        lost,
        errors,
        faults: options.faults.is_some(),
        upstream_faults,
        webhook_faults,
        wall,
        totals,
        sessions,
        backend_requests,
        split_pairs: timings.iter().filter(|t| t.duplicate).count(),
        // Every dossier upstream must be an end-user's (the database holds each once).
        extra_dossiers: upstream as i64 - census.dossiers as i64,
        endusers_with_dossier: census.with_dossier,
        notified: census.notified,
        pending_events: pending,
    })
}

/// `GET /simulator/faults` (after `PUT` of `spec` when given).
async fn faults_shown(
    http: &reqwest::Client,
    sim: &str,
    spec: Option<&str>,
) -> Result<Value, String> {
    let shown = http.get(format!("{sim}/simulator/faults"));
    let auth = |r: reqwest::RequestBuilder| {
        r.basic_auth(
            videoid_www::config::DEFAULT_SIM_CLIENT_ID,
            Some(videoid_www::config::DEFAULT_SIM_CLIENT_SECRET),
        )
    };
    let counts = answer(auth(shown).send().await, 200, "faults")
        .await?
        .map_err(|t| format!("faults: {}", t.status))?;
    if let Some(spec) = spec {
        let set = http
            .put(format!("{sim}/simulator/faults"))
            .json(&json!({ "spec": spec }));
        answer(auth(set).send().await, 200, "faults")
            .await?
            .map_err(|t| format!("faults: {}", t.status))?;
    }
    Ok(counts)
}

/// For one target of the faults shown: the calls it saw (those of its first fault: every
/// matching call is seen by it), and how many met one of its faults.
fn fault_counts(shown: &Value, target: &str) -> (u64, u64) {
    let of: Vec<&Value> = shown["faults"]
        .as_array()
        .map(|f| f.iter().filter(|f| f["target"] == target).collect())
        .unwrap_or_default();
    let calls = of.first().and_then(|f| f["calls"].as_u64()).unwrap_or(0);
    let met = of.iter().filter_map(|f| f["injected"].as_u64()).sum();
    (calls, met)
}

/// How many dossiers the simulator holds.
async fn upstream_dossiers(http: &reqwest::Client, sim: &str) -> Result<usize, String> {
    let token: Value = http
        .post(format!("{sim}/auth/open/connect/token"))
        .basic_auth(
            videoid_www::config::DEFAULT_SIM_CLIENT_ID,
            Some(videoid_www::config::DEFAULT_SIM_CLIENT_SECRET),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .map_err(|e| format!("token: {e}"))?
        .json()
        .await
        .map_err(|e| format!("token: {e}"))?;
    let token = token["access_token"].as_str().ok_or("token: none")?;
    let all = http
        .get(format!("{sim}/assure/dossiers"))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("dossiers: {e}"))?;
    let all = answer(Ok(all), 200, "dossiers")
        .await?
        .map_err(|t| format!("dossiers: {}", t.status))?;
    Ok(all.as_array().map(Vec::len).unwrap_or_default())
}

/// A fresh database on the PostgreSQL server `server` (its URL names an existing database).
async fn create_database(server: &str) -> Result<(String, String), String> {
    let name = format!("videoid_loadtest_{}", std::process::id());
    let (client, connection) = tokio_postgres::connect(server, tokio_postgres::NoTls)
        .await
        .map_err(|e| format!("PostgreSQL: {e}"))?;
    tokio::spawn(connection);
    for statement in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        client.batch_execute(&statement).await.map_err(|e| {
            format!(
                "PostgreSQL: {}",
                videoid_backend::store::StoreError::from(e)
            )
        })?;
    }
    let (base, _) = server
        .rsplit_once('/')
        .ok_or("the PostgreSQL URL must name a database")?;
    Ok((name.clone(), format!("{base}/{name}")))
}

async fn drop_database(server: &str, name: &str) {
    if let Ok((client, connection)) = tokio_postgres::connect(server, tokio_postgres::NoTls).await {
        tokio::spawn(connection);
        if let Err(e) = client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
        {
            eprintln!("loadtest: dropping {name}: {e}");
        }
    }
}

fn print(reports: &[Report]) {
    println!();
    println!(
        "{:<34} {:>9} {:>6} {:>5} {:>10} {:>6} {:>9} {:>10} {:>9} {:>9} {:>11} {:>11} {:>9}",
        "run",
        "completed",
        "failed",
        "lost",
        "duplicates",
        "errors",
        "wall",
        "sessions/s",
        "e2e p50",
        "e2e p99",
        "first p50",
        "first p99",
        "req/s"
    );
    for r in reports {
        println!(
            "{:<34} {:>9} {:>6} {:>5} {:>10} {:>6} {:>9} {:>10.1} {:>9} {:>9} {:>11} {:>11} {:>9.0}",
            r.label,
            r.completed,
            r.failed.len(),
            r.lost.len(),
            r.duplicates(),
            r.errors.len(),
            ms(r.wall),
            r.completed as f64 / r.wall.as_secs_f64(),
            ms(percentile(&r.totals, 50.0)),
            ms(percentile(&r.totals, 99.0)),
            ms(percentile(&r.sessions, 50.0)),
            ms(percentile(&r.sessions, 99.0)),
            r.backend_requests as f64 / r.wall.as_secs_f64(),
        );
    }
    println!();
    for r in reports {
        println!(
            "{}: {} end-users with a dossier, {} split first-request pairs, {} extra upstream dossiers, \
             {} webhook statuses recorded, {} webhook events not yet acknowledged",
            r.label,
            r.endusers_with_dossier,
            r.split_pairs,
            r.extra_dossiers,
            r.notified,
            r.pending_events
        );
        if r.faults {
            let share = |(calls, met): (u64, u64)| {
                format!(
                    "{met} of {calls} ({:.1}%)",
                    100.0 * met as f64 / calls.max(1) as f64
                )
            };
            println!(
                "  faults met: upstream calls {}, webhook delivery attempts {}",
                share(r.upstream_faults),
                share(r.webhook_faults)
            );
        }
        let mut kinds: Vec<String> = Vec::new();
        for (step, status) in &r.failed {
            let kind = format!("{step} {status}");
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        for kind in kinds {
            let n = r
                .failed
                .iter()
                .filter(|(s, st)| format!("{s} {st}") == kind)
                .count();
            println!("  failed: {n} × {kind} (a JSON error)");
        }
        for e in r.lost.iter().take(5) {
            println!("  lost: {e}");
        }
        for e in r.errors.iter().take(5) {
            println!("  error: {e}");
        }
    }
    println!(
        "(failed = ended in a clear JSON error after the element's own retries; lost = ended in \
         neither that nor an accepted result; first = the end-user's two simultaneous first \
         session requests, until both answered; req/s = requests to the backend)"
    );
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("loadtest: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mode = if options.native { "native" } else { "embed" };
    println!(
        "loadtest: {} concurrent {mode} sessions per run, final delay {}",
        options.sessions,
        ms(options.final_delay)
    );
    if let Some(plan) = &options.faults {
        println!("loadtest: faults: {}", plan.spec);
    }
    let mut reports = Vec::new();
    match run("1 instance, SQLite", &options, None, 1).await {
        Ok(r) => reports.push(r),
        Err(e) => {
            eprintln!("loadtest: {e}");
            return ExitCode::FAILURE;
        }
    }
    match (&options.postgres, options.single) {
        (_, true) => {}
        (None, false) => println!(
            "loadtest: two-instance run skipped: no PostgreSQL server (--postgres URL, \
             VIDEOID_TEST_DATABASE_URL, or scripts/loadtest.sh, which starts one)"
        ),
        (Some(server), false) => {
            // One instance on PostgreSQL too: what the database costs, apart from what a
            // second instance on the same machine costs.
            for (label, instances) in [
                ("1 instance, PostgreSQL", 1),
                ("2 instances, PostgreSQL, round-robin", 2),
            ] {
                let (name, url) = match create_database(server).await {
                    Ok(created) => created,
                    Err(e) => {
                        eprintln!("loadtest: {e}");
                        return ExitCode::FAILURE;
                    }
                };
                let result = run(label, &options, Some(Database::Postgres(url)), instances).await;
                drop_database(server, &name).await;
                match result {
                    Ok(r) => reports.push(r),
                    Err(e) => {
                        eprintln!("loadtest: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
        }
    }
    print(&reports);
    if reports.iter().all(Report::ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
