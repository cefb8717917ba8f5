//! A bounded load test on loopback: N concurrent end-to-end sessions through the reference
//! backend and the Assure simulator, started in-process on free ports with a temporary data
//! directory. Each session: `POST /api/videoid/session` → the capture page's API (read the
//! artifact, finish it) → `GET /api/videoid/result` until the status is final, each session
//! a new end-user (the result is only served with the end-user's cookie). Prints
//! throughput and p50/p99 latencies; exits non-zero on any error or after the time limit.
//!
//! `cargo run -p videoid-www --bin loadtest -- [--sessions 200] [--final-delay-ms 800] [--native]`

use serde_json::{json, Value};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use videoid_www::{start, Config};

/// The whole run stops after this, whatever happens.
const TIME_LIMIT: Duration = Duration::from_secs(120);

struct Options {
    sessions: usize,
    final_delay: Duration,
    native: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        sessions: 200,
        final_delay: Duration::from_millis(800),
        native: false,
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
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

/// Timings of one session: total, and the session call alone.
struct Timing {
    total: Duration,
    session: Duration,
}

/// The `videoid_user=…` pair of the end-user cookie a session answer sets.
fn end_user_cookie(response: &reqwest::Response) -> Result<String, String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with("videoid_user="))
        .map(str::to_string)
        .ok_or_else(|| "session: no end-user cookie".to_string())
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

async fn embed_session(http: &reqwest::Client, host: &str, sim: &str) -> Result<Timing, String> {
    let started = Instant::now();
    let session = http
        .post(format!("{host}/api/videoid/session?scenario=accepted"))
        .json(&json!({ "mode": "embed", "lang": "en" }))
        .send()
        .await
        .map_err(|e| format!("session: {e}"))?;
    let cookie = end_user_cookie(&session)?;
    let session = check(session, 200, "session").await?;
    let session_time = started.elapsed();
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
    poll(http, host, &cookie, dossier, process).await?;
    Ok(Timing {
        total: started.elapsed(),
        session: session_time,
    })
}

async fn native_session(http: &reqwest::Client, host: &str) -> Result<Timing, String> {
    let started = Instant::now();
    let session = http
        .post(format!("{host}/api/videoid/session?scenario=accepted"))
        .json(&json!({ "mode": "native" }))
        .send()
        .await
        .map_err(|e| format!("session: {e}"))?;
    let cookie = end_user_cookie(&session)?;
    let session = check(session, 200, "session").await?;
    let session_time = started.elapsed();
    let token = session["uploadToken"].as_str().ok_or("no uploadToken")?;
    for (step, size) in [("front", 40_000), ("back", 40_000), ("selfie", 30_000)] {
        let mut still = vec![0x5a_u8; size];
        still[..3].copy_from_slice(b"\xff\xd8\xff");
        let put = http
            .put(format!("{host}/api/videoid/upload/{step}"))
            .bearer_auth(token)
            .header("content-type", "image/jpeg")
            .body(still)
            .send()
            .await
            .map_err(|e| format!("upload {step}: {e}"))?;
        check(put, 201, step).await?;
    }
    let done = http
        .post(format!("{host}/api/videoid/upload/complete"))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("complete: {e}"))?;
    check(done, 200, "complete").await?;
    let dossier = session["dossierId"].as_str().ok_or("no dossierId")?;
    let process = session["processId"].as_str().ok_or("no processId")?;
    poll(http, host, &cookie, dossier, process).await?;
    Ok(Timing {
        total: started.elapsed(),
        session: session_time,
    })
}

/// Reads the result every 100 ms (as the element does, with the end-user's cookie) until it
/// is final; it must be accepted.
async fn poll(
    http: &reqwest::Client,
    host: &str,
    cookie: &str,
    dossier: &str,
    process: &str,
) -> Result<(), String> {
    loop {
        let result = http
            .get(format!("{host}/api/videoid/result"))
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

fn count_files(dir: &std::path::Path, part: &str) -> usize {
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

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("loadtest: {e}");
            return ExitCode::FAILURE;
        }
    };
    let data_dir = std::env::temp_dir().join(format!("videoid-loadtest-{}", std::process::id()));
    let config = Config {
        host_port: 0,
        sim_port: 0,
        data_dir: data_dir.clone(),
        pkg_dir: data_dir.join("pkg"),
        sim_final_delay: options.final_delay,
        ..Config::default()
    };
    let running = match start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("loadtest: could not start the servers: {e}");
            return ExitCode::FAILURE;
        }
    };
    let http = match reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(options.sessions)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("loadtest: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mode = if options.native { "native" } else { "embed" };
    println!(
        "loadtest: {} concurrent {mode} sessions, final delay {} (host {}, simulator {})",
        options.sessions,
        ms(options.final_delay),
        running.host_url,
        running.sim_url
    );
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..options.sessions {
        let (http, host, sim) = (
            http.clone(),
            running.host_url.clone(),
            running.sim_url.clone(),
        );
        let native = options.native;
        tasks.spawn(async move {
            if native {
                native_session(&http, &host).await
            } else {
                embed_session(&http, &host, &sim).await
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
    // Every completed process sends a webhook event to the backend; wait (bounded) for the acks.
    let events_started = Instant::now();
    let mut pending = count_files(&data_dir, "/events/");
    while pending > 0 && events_started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        pending = count_files(&data_dir, "/events/");
    }
    running.shutdown().await;
    let _ = std::fs::remove_dir_all(&data_dir);

    let mut totals: Vec<Duration> = timings.iter().map(|t| t.total).collect();
    let mut sessions: Vec<Duration> = timings.iter().map(|t| t.session).collect();
    totals.sort();
    sessions.sort();
    println!("completed:  {} / {}", timings.len(), options.sessions);
    println!("errors:     {}", errors.len());
    for e in errors.iter().take(5) {
        println!("  {e}");
    }
    println!("wall time:  {}", ms(wall));
    println!(
        "throughput: {:.1} sessions/s",
        timings.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "end to end: p50 {}  p99 {}  max {}",
        ms(percentile(&totals, 50.0)),
        ms(percentile(&totals, 99.0)),
        ms(totals.last().copied().unwrap_or_default())
    );
    println!(
        "session endpoint: p50 {}  p99 {}",
        ms(percentile(&sessions, 50.0)),
        ms(percentile(&sessions, 99.0))
    );
    println!("webhook events not yet acknowledged: {pending}");
    if errors.is_empty() && pending == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
