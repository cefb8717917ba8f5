//! The bad-input sweep: generated requests, seeded and reproducible, to every route of the
//! backend, the demo site and the simulator, each wrong in at least one way: malformed JSON,
//! JSON of the wrong type or shape, bodies too big or of the wrong type, odd methods, bad
//! cookies and tokens, path tricks. The figure to meet: no answer ≥ 500, no dropped connection
//! (a handler that panicked), every refusal a JSON `{ error }` (pages aside), and nothing
//! changed: the backend's rows and the simulator's dossiers and processes counted before and
//! after.
//!
//! `npm test` sends `VIDEOID_SWEEP_REQUESTS` (default 1,500); `scripts/loadtest.sh
//! --bad-input` sends 10,000. `VIDEOID_SWEEP_SEED` picks another sequence;
//! `VIDEOID_SWEEP_SHOW=1` prints every request that changed something (a 2xx other than a
//! read).

mod common;

use common::*;
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A small, seeded generator (xorshift64*): the same seed, the same requests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Route templates, `{}` for a path segment the generator fills.
const BACKEND: &[(&str, &str)] = &[
    ("POST", "/api/videoid/session"),
    ("GET", "/api/videoid/result"),
    ("POST", "/api/videoid/upload/complete"),
    ("PUT", "/api/videoid/upload/{}"),
    ("POST", "/api/videoid/events"),
    ("POST", "/api/videoid/events/{}"),
    ("POST", "/api/videoid/handoff"),
    ("GET", "/api/videoid/handoff/phone"),
    ("GET", "/api/videoid/handoff/{}/events"),
    ("DELETE", "/api/videoid/handoff/{}"),
    ("POST", "/api/videoid/handoff/{}/confirm"),
    ("GET", "/api/videoid/dossier"),
    ("DELETE", "/api/videoid/dossier"),
    ("GET", "/api/videoid/images"),
    ("GET", "/api/videoid/video"),
    ("GET", "/api/videoid/download"),
    ("GET", "/metrics"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/videoid/handoff"),
    ("GET", "/videoid/handoff"),
    ("GET", "/videoid/return"),
    ("GET", "/pkg/{}"),
];

// Every simulator route but `POST /simulator/reset`, which forgets every dossier by design
// (the sweep counts them before and after).
const SIMULATOR: &[(&str, &str)] = &[
    ("POST", "/auth/open/connect/token"),
    ("POST", "/assure/dossiers"),
    ("GET", "/assure/dossiers/{}"),
    ("DELETE", "/assure/dossiers/{}"),
    ("POST", "/assure/dossiers/{}/capture"),
    ("POST", "/assure/dossiers/{}/processes"),
    ("GET", "/assure/dossiers/{}/processes/{}"),
    ("POST", "/assure/dossiers/{}/processes/{}/fail"),
    ("POST", "/assure/dossiers/{}/processes/{}/images"),
    ("GET", "/assure/{}/document-types"),
    ("POST", "/assure/capture/configurations"),
    ("GET", "/assure/capture/configurations/{}"),
    ("GET", "/capture/api/artifact/{}"),
    ("POST", "/capture/api/artifact/{}/finish"),
    ("POST", "/capture/api/artifact/{}/native-session"),
    ("POST", "/capture/api/artifact/{}/upload/complete"),
    ("PUT", "/capture/api/artifact/{}/upload/{}"),
    ("POST", "/provider/api/videos"),
    ("PUT", "/provider/api/videos/{}/images/{}"),
    ("PUT", "/provider/api/videos/{}/recording"),
    ("POST", "/provider/api/videos/{}/complete"),
    ("PUT", "/simulator/faults"),
    ("POST", "/simulator/outcomes/next"),
    ("PUT", "/simulator/outcomes/default"),
    ("PUT", "/simulator/outcomes/dossiers/{}"),
    ("GET", "/simulator/requests"),
    ("GET", "/simulator/agents"),
    ("PUT", "/simulator/agents"),
    ("GET", "/simulator/processes"),
    ("GET", "/simulator/uploads"),
    ("GET", "/provider/js/videoidattended.js"),
    ("GET", "/provider/ws/call"),
    ("GET", "/ra/"),
    ("POST", "/ra/sign-in"),
    ("POST", "/ra/sign-out"),
    ("GET", "/ra/processes/{}"),
    ("POST", "/ra/processes/{}/accept"),
    ("POST", "/ra/processes/{}/reject"),
    ("GET", "/ra/processes/{}/media/{}"),
    ("GET", "/ra/calls/{}"),
    ("GET", "/ra/ws"),
];

/// Path segments: unknown ids, traversal, encodings, the very long.
const SEGMENTS: &[&str] = &[
    "x",
    "00000000-0000-4000-8000-000000000000",
    "..",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "a%00b",
    "%ff%fe",
    "é",
    "front",
    "video",
    "complete",
    "..%2f",
    "%20",
    "a;b",
    "CON",
];

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
];

/// Bodies that are wrong as JSON or as the shape a route reads.
fn body(rng: &mut Rng) -> Vec<u8> {
    match rng.below(14) {
        0 => b"{".to_vec(),
        1 => b"{\"mode\":".to_vec(),
        2 => b"[]".to_vec(),
        3 => b"null".to_vec(),
        4 => b"42".to_vec(),
        5 => b"\"embed\"".to_vec(),
        6 => br#"{"mode":5}"#.to_vec(),
        7 => br#"{"mode":"hologram"}"#.to_vec(),
        8 => br#"{"lang":["en"]}"#.to_vec(),
        9 => format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes(),
        10 => vec![b'x'; 3 << 20],
        11 => vec![0xff, 0xfe, 0x00, 0x01],
        12 => format!(r#"{{"id":"{}","eventName":7,"mode":7}}"#, "i".repeat(300)).into_bytes(),
        _ => br#"{"mode":"embed","lang":"<script>"}"#.to_vec(),
    }
}

/// One request that is wrong in at least one way, as (method, path and query, headers, body).
fn request(
    rng: &mut Rng,
    routes: &[(&str, &str)],
) -> (String, String, Vec<(String, String)>, Vec<u8>) {
    let (method, template) = *rng.pick(routes);
    let mut path = String::new();
    for (i, part) in template.split("{}").enumerate() {
        if i > 0 {
            let segment: &&str = rng.pick(SEGMENTS);
            path.push_str(segment);
        }
        path.push_str(part);
    }
    // A path trick now and then: a prefix, a trailing dot segment, a doubled slash.
    match rng.below(10) {
        0 => path = format!("/..{path}"),
        1 => path.push_str("/."),
        2 => path = path.replacen('/', "//", 1),
        _ => {}
    }
    let query = match rng.below(6) {
        0 => "?dossierId=../x&processId=%00".to_string(),
        1 => format!("?processId={}&depiction=svg", "p".repeat(200)),
        2 => "?dossierId=d&dossierId=e&processId=".to_string(),
        3 => "?%=%&&==".to_string(),
        _ => String::new(),
    };
    let mut headers = Vec::new();
    match rng.below(4) {
        0 => headers.push(("cookie".into(), "videoid_user=not-a-cookie".into())),
        1 => headers.push((
            "cookie".into(),
            format!("videoid_user={}", "c".repeat(5000)),
        )),
        2 => headers.push(("cookie".into(), "videoid_handoff=%00; videoid_user=".into())),
        _ => {}
    }
    match rng.below(3) {
        0 => headers.push(("authorization".into(), "Bearer not-a-token".into())),
        1 => headers.push(("authorization".into(), "Basic Og==".into())),
        _ => {}
    }
    let body = body(rng);
    // The defect: a wrong method, a body of no or the wrong type, or JSON that is wrong.
    let (method, content_type) = match rng.below(4) {
        0 => ((*rng.pick(METHODS)).to_string(), Some("application/json")),
        1 => (method.to_string(), None),
        2 => (method.to_string(), Some("text/plain")),
        _ => (method.to_string(), Some("application/json")),
    };
    if let Some(t) = content_type {
        headers.push(("content-type".into(), t.into()));
    }
    (method, format!("{path}{query}"), headers, body)
}

/// Rows of every table of the backend's SQLite file.
fn rows(data_dir: &std::path::Path) -> BTreeMap<String, i64> {
    let file = data_dir.join("host").join("backend.sqlite");
    let db = rusqlite::Connection::open(file).unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let n: i64 = db
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

/// The simulator's dossiers and processes.
async fn simulator_state(sim_url: &str) -> (usize, usize) {
    let token = token(sim_url).await;
    let (_, dossiers) = json(
        sim(
            Method::GET,
            format!("{sim_url}/assure/dossiers"),
            &token,
            None,
        )
        .await,
    )
    .await;
    let processes = control_get(sim_url, "/processes").await;
    (
        dossiers.as_array().map_or(0, Vec::len),
        processes.as_array().map_or(0, Vec::len),
    )
}

#[tokio::test]
async fn bad_input_changes_nothing_and_answers_below_500_on_sqlite() {
    let count: usize = std::env::var("VIDEOID_SWEEP_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1500);
    let seed: u64 = std::env::var("VIDEOID_SWEEP_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    // Limits off: every request reaches its handler (the limits have their own tests).
    let s = Arc::new(
        Harness::Embedded
            .servers_with(|c| {
                c.rate_limits = None;
                c.webhook_secret = Some(WEBHOOK_SECRET.to_string());
                // No delivery of the real capture's event lands during the count.
                c.sim_webhook = videoid_www::Webhook::Off;
            })
            .await,
    );
    // One real end-user with a dossier, so that the rows are not all empty.
    let mut user = EndUser::new(&s.host_url);
    user.embed_capture(&s.sim_url, "accepted").await;
    let (rows_before, sim_before) = (rows(&s.data_dir), simulator_state(&s.sim_url).await);

    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let requests: Vec<_> = (0..count)
        .map(|i| {
            let (base, routes) = if i % 3 == 2 {
                (s.sim_url.clone(), SIMULATOR)
            } else {
                (s.host_url.clone(), BACKEND)
            };
            (base, request(&mut rng, routes))
        })
        .collect();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    let chunks: Vec<Vec<_>> = requests
        .chunks(count.div_ceil(8).max(1))
        .map(<[_]>::to_vec)
        .collect();
    let mut workers = tokio::task::JoinSet::new();
    for chunk in chunks {
        let client = client.clone();
        workers.spawn(async move {
            let mut seen = Vec::new();
            for (base, (method, path, headers, body)) in chunk {
                let method = Method::from_bytes(method.as_bytes()).unwrap();
                let head = method == Method::HEAD;
                let mut request = client.request(method.clone(), format!("{base}{path}"));
                for (name, value) in &headers {
                    request = request.header(name, value);
                }
                let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).to_string();
                let answer = request.body(body).send().await;
                let what = format!("{method} {path}");
                let Ok(response) = answer else {
                    seen.push((
                        0,
                        Some(format!("{what}: no answer ({})", answer.unwrap_err())),
                    ));
                    continue;
                };
                let status = response.status().as_u16();
                let content_type = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let text = response.text().await.unwrap_or_default();
                if std::env::var("VIDEOID_SWEEP_SHOW").is_ok()
                    && status < 300
                    && method != Method::GET
                {
                    eprintln!("{status} {what} {headers:?} body {shown:?}");
                }
                let problem = if status >= 500 {
                    Some(format!("{what}: {status} {text}"))
                } else if status >= 400 && !head && !content_type.starts_with("text/html") {
                    let error = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["error"].as_str().map(str::to_string));
                    match error {
                        Some(e) if !e.is_empty() => None,
                        _ => Some(format!("{what}: {status} is not a JSON error: {text:.200}")),
                    }
                } else {
                    None
                };
                seen.push((status, problem));
            }
            seen
        });
    }
    while let Some(done) = workers.join_next().await {
        for (status, problem) in done.unwrap() {
            *statuses.entry(status).or_default() += 1;
            problems.extend(problem);
        }
    }
    let (rows_after, sim_after) = (rows(&s.data_dir), simulator_state(&s.sim_url).await);
    let server_errors: usize = statuses.range(500..).map(|(_, n)| n).sum();
    let dropped = statuses.get(&0).copied().unwrap_or(0);
    println!(
        "bad-input sweep (seed {seed}): {count} requests; statuses {statuses:?}; \
         {server_errors} answers ≥ 500, {dropped} without an answer; backend rows {rows_before:?} \
         → {rows_after:?}; simulator dossiers and processes {sim_before:?} → {sim_after:?}"
    );
    assert!(
        problems.is_empty(),
        "{} problems, first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
    assert_eq!(server_errors + dropped, 0);
    assert_eq!(rows_after, rows_before, "the backend's rows did not change");
    assert_eq!(sim_after, sim_before, "the simulator made nothing");
    // Every request was answered and counted.
    assert_eq!(statuses.values().sum::<usize>(), count);
    match Arc::try_unwrap(s) {
        Ok(s) => s.shutdown().await,
        Err(_) => panic!("the servers are still shared"),
    }
}
