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
//! Each session is a new end-user: the dossier view names them (cookie), then two first
//! session requests go out at once (on two instances in the second run) and must answer the
//! same dossier; then the capture page's API (embed: read and finish the artifact) or the
//! uploads (native: three stills, complete), then `GET /api/videoid/result` until final.
//! Afterwards the database and the simulator are counted: one dossier per end-user, one
//! webhook status per session. Exits non-zero on any error, any duplicate dossier, or after
//! the time limit.
//!
//! `cargo run -p videoid-www --bin loadtest -- [--sessions 200] [--final-delay-ms 800]
//!  [--native] [--postgres URL] [--single]`

use serde_json::{json, Value};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use videoid_www::config::RealAssure;
use videoid_www::store::Database;
use videoid_www::{start, Config, Running};

/// Each run stops after this, whatever happens.
const TIME_LIMIT: Duration = Duration::from_secs(120);

struct Options {
    sessions: usize,
    final_delay: Duration,
    native: bool,
    postgres: Option<String>,
    single: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        sessions: 200,
        final_delay: Duration::from_millis(800),
        native: false,
        postgres: std::env::var("VIDEOID_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty()),
        single: false,
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
        .ok_or_else(|| "dossier view: no end-user cookie".to_string())
}

async fn check(response: reqwest::Response, expected: u16, what: &str) -> Result<Value, String> {
    let status = response.status().as_u16();
    let body: Value = response
        .json()
        .await
        .map_err(|e| format!("{what}: not JSON: {e}"))?;
    if status != expected {
        return Err(format!("{what}: {status} {body}"));
    }
    Ok(body)
}

/// Names a new end-user, then sends their two first session requests at once.
async fn first_sessions(
    http: &reqwest::Client,
    lb: &Balancer,
    mode: &str,
) -> Result<(String, Value, bool, Duration), String> {
    let view = http
        .get(format!("{}/api/videoid/dossier", lb.host()))
        .send()
        .await
        .map_err(|e| format!("dossier view: {e}"))?;
    let cookie = end_user_cookie(&view)?;
    check(view, 200, "dossier view").await?;
    let started = Instant::now();
    let request = |host: &str| {
        http.post(format!("{host}/api/videoid/session?scenario=accepted"))
            .header(reqwest::header::COOKIE, &cookie)
            .json(&json!({ "mode": mode, "lang": "en" }))
            .send()
    };
    let (one, two) = tokio::join!(request(lb.host()), request(lb.host()));
    let one = check(one.map_err(|e| format!("session: {e}"))?, 200, "session").await?;
    let two = check(two.map_err(|e| format!("session: {e}"))?, 200, "session").await?;
    let elapsed = started.elapsed();
    let duplicate = one["dossierId"] != two["dossierId"];
    Ok((cookie, one, duplicate, elapsed))
}

async fn embed_session(http: &reqwest::Client, lb: &Balancer, sim: &str) -> Result<Timing, String> {
    let started = Instant::now();
    let (cookie, session, duplicate, session_time) = first_sessions(http, lb, "embed").await?;
    let url = session["url"].as_str().ok_or("session: no url")?;
    let artifact = url
        .split_once("#/artifact=")
        .ok_or("session: no artifact")?
        .1;
    let read = http
        .get(format!("{sim}/capture/api/artifact/{artifact}"))
        .send()
        .await
        .map_err(|e| format!("artifact: {e}"))?;
    let read = check(read, 200, "artifact").await?;
    let finish = http
        .post(format!("{sim}/capture/api/artifact/{artifact}/finish"))
        .json(&json!({ "outcome": "accepted" }))
        .send()
        .await
        .map_err(|e| format!("finish: {e}"))?;
    check(finish, 200, "finish").await?;
    let dossier = read["dossierId"].as_str().ok_or("artifact: no dossierId")?;
    let process = read["processId"].as_str().ok_or("artifact: no processId")?;
    poll(http, lb, &cookie, dossier, process).await?;
    Ok(Timing {
        total: started.elapsed(),
        session: session_time,
        duplicate,
    })
}

async fn native_session(http: &reqwest::Client, lb: &Balancer) -> Result<Timing, String> {
    let started = Instant::now();
    let (cookie, session, duplicate, session_time) = first_sessions(http, lb, "native").await?;
    let token = session["uploadToken"].as_str().ok_or("no uploadToken")?;
    for (step, size) in [("front", 40_000), ("back", 40_000), ("selfie", 30_000)] {
        let mut still = vec![0x5a_u8; size];
        still[..3].copy_from_slice(b"\xff\xd8\xff");
        let put = http
            .put(format!("{}/api/videoid/upload/{step}", lb.host()))
            .bearer_auth(token)
            .header("content-type", "image/jpeg")
            .body(still)
            .send()
            .await
            .map_err(|e| format!("upload {step}: {e}"))?;
        check(put, 201, step).await?;
    }
    let done = http
        .post(format!("{}/api/videoid/upload/complete", lb.host()))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("complete: {e}"))?;
    check(done, 200, "complete").await?;
    let dossier = session["dossierId"].as_str().ok_or("no dossierId")?;
    let process = session["processId"].as_str().ok_or("no processId")?;
    poll(http, lb, &cookie, dossier, process).await?;
    Ok(Timing {
        total: started.elapsed(),
        session: session_time,
        duplicate,
    })
}

/// Reads the result every 100 ms (as the element does, with the end-user's cookie) until it
/// is final; it must be accepted.
async fn poll(
    http: &reqwest::Client,
    lb: &Balancer,
    cookie: &str,
    dossier: &str,
    process: &str,
) -> Result<(), String> {
    loop {
        let result = http
            .get(format!("{}/api/videoid/result", lb.host()))
            .query(&[("dossierId", dossier), ("processId", process)])
            .header(reqwest::header::COOKIE, cookie)
            .send()
            .await
            .map_err(|e| format!("result: {e}"))?;
        let result = check(result, 200, "result").await?;
        match result["status"].as_str() {
            Some("pending" | "processing") => tokio::time::sleep(Duration::from_millis(100)).await,
            Some("accepted") => return Ok(()),
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
    errors: Vec<String>,
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
        self.errors.is_empty() && self.duplicates() == 0 && self.pending_events == 0
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
    for _ in 0..options.sessions {
        let (http, lb, sim) = (http.clone(), lb.clone(), sim_url.clone());
        let native = options.native;
        tasks.spawn(async move {
            if native {
                native_session(&http, &lb).await
            } else {
                embed_session(&http, &lb, &sim).await
            }
        });
    }
    let mut timings = Vec::new();
    let mut errors = Vec::new();
    let deadline = tokio::time::sleep(TIME_LIMIT);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            next = tasks.join_next() => match next {
                Some(Ok(Ok(t))) => timings.push(t),
                Some(Ok(Err(e))) => errors.push(e),
                Some(Err(e)) => errors.push(format!("task: {e}")),
                None => break,
            },
            _ = &mut deadline => {
                errors.push(format!("time limit: {} sessions unfinished", tasks.len()));
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
    let mut pending = count_files(&sim_dir, "/events/");
    while pending > 0 && waiting.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        pending = count_files(&sim_dir, "/events/");
    }
    let census = running[0].store.census().await.map_err(|e| e.to_string())?;
    let upstream = upstream_dossiers(&http, &sim_url).await?;
    let named = options.sessions as i64;
    for r in running {
        r.shutdown().await;
    }
    let _ = std::fs::remove_dir_all(&base);
    let _ = std::fs::remove_dir_all(&disk);

    let mut totals: Vec<Duration> = timings.iter().map(|t| t.total).collect();
    let mut sessions: Vec<Duration> = timings.iter().map(|t| t.session).collect();
    totals.sort();
    sessions.sort();
    if census.with_dossier != census.dossiers {
        errors.push(format!(
            "database: {} end-users with a dossier but {} distinct dossiers",
            census.with_dossier, census.dossiers
        ));
    }
    Ok(Report {
        label: label.to_string(),
        completed: timings.len(),
        errors,
        wall,
        totals,
        sessions,
        backend_requests,
        split_pairs: timings.iter().filter(|t| t.duplicate).count(),
        extra_dossiers: upstream as i64 - named,
        endusers_with_dossier: census.with_dossier,
        notified: census.notified,
        pending_events: pending,
    })
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
    let all = check(all, 200, "dossiers").await?;
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
        client
            .batch_execute(&statement)
            .await
            .map_err(|e| format!("PostgreSQL: {}", videoid_www::store::StoreError::from(e)))?;
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
        "{:<34} {:>9} {:>6} {:>10} {:>9} {:>10} {:>9} {:>9} {:>11} {:>11} {:>9}",
        "run",
        "completed",
        "errors",
        "duplicates",
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
            "{:<34} {:>9} {:>6} {:>10} {:>9} {:>10.1} {:>9} {:>9} {:>11} {:>11} {:>9.0}",
            r.label,
            format!("{}", r.completed),
            r.errors.len(),
            r.duplicates(),
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
        for e in r.errors.iter().take(5) {
            println!("  {e}");
        }
    }
    println!(
        "(first = the end-user's two simultaneous first session requests, until both answered; \
         req/s = requests to the backend)"
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
