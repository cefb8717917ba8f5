//! Several backend instances on one database, as behind a load balancer: two `videoid-www`
//! processes, the second talking to the first one's simulator as its Assure API (as both
//! would talk to the real one), sharing one PostgreSQL database, or one SQLite file.
//!
//! The race: an end-user is named first (the demo page's first call sets the cookie), then
//! their first two sessions go to both instances at the same moment: one dossier.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use videoid_backend::store::Database;

/// A running `videoid-www` process; killed when dropped.
struct Instance {
    child: Child,
    host_url: String,
    sim_url: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn database_url(database: &Database) -> String {
    match database {
        Database::Sqlite(path) => format!("sqlite:{}", path.display()),
        Database::Postgres(url) => url.clone(),
    }
}

/// Starts the binary on free ports with its own data directory and `env`; waits until it
/// prints its origins.
fn instance(database: &Database, env: &[(&str, &str)]) -> Instance {
    let dir = temp_dir();
    let mut command = Command::new(env!("CARGO_BIN_EXE_videoid-www"));
    command
        .env_remove("SIGNICAT_CLIENT_ID")
        .env_remove("SIGNICAT_CLIENT_SECRET")
        .env_remove("ASSURE_BASE_URL")
        .env_remove("VIDEOID_ASSURE")
        .env("HOST_PORT", "0")
        .env("SIM_PORT", "0")
        .env("VIDEOID_DATA_DIR", dir.join("data"))
        .env("VIDEOID_PKG_DIR", dir.join("pkg"))
        .env("VIDEOID_SIM_FINAL_DELAY_MS", "50")
        .env("DATABASE_URL", database_url(database))
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = command.spawn().expect("the videoid-www binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Reads to the end even after the origins are known: a closed pipe would make the
        // instance's later writes to stdout fail.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // It names its origins, then its Assure API last (in real mode it runs no simulator).
    let (mut host_url, mut sim_url) = (None, None);
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the instance prints its origins");
        if line.starts_with("backend: ") {
            break;
        }
        if let Some(url) = line.strip_prefix("demo: ") {
            host_url = Some(url.trim_end_matches('/').to_string());
        }
        if let Some(url) = line.strip_prefix("simulator: ") {
            sim_url = Some(url.trim_end_matches('/').to_string());
        }
    }
    Instance {
        child,
        host_url: host_url.unwrap_or_default(),
        sim_url: sim_url.unwrap_or_default(),
    }
}

/// Two instances on one database: `a` with its simulator, `b` using `a`'s simulator.
fn two_instances(database: &Database) -> (Instance, Instance) {
    let a = instance(database, &[]);
    let b = instance(
        database,
        &[
            ("VIDEOID_ASSURE", "signicat"),
            // Real mode listens on every interface unless told otherwise.
            ("BIND_ADDR", "127.0.0.1:0"),
            ("SIGNICAT_CLIENT_ID", CLIENT_ID),
            ("SIGNICAT_CLIENT_SECRET", CLIENT_SECRET),
            ("ASSURE_BASE_URL", a.sim_url.as_str()),
            ("VIDEOID_WEBHOOK_SECRET", WEBHOOK_SECRET),
        ],
    );
    (a, b)
}

async fn simultaneous_first_sessions_make_one_dossier(database: Database) {
    let (a, b) = two_instances(&database);
    let users = 12;
    // Each end-user is named first (by either instance), without a dossier yet: their first
    // start met an Assure that could not create dossiers (a page view names no one).
    set_faults(&a.sim_url, "POST /assure/dossiers: 500").await;
    let mut naming = tokio::task::JoinSet::new();
    for i in 0..users {
        let host = if i % 2 == 0 { &a.host_url } else { &b.host_url };
        let mut user = EndUser::new(host);
        naming.spawn(async move {
            let (status, answer) = user.session("", json!({ "mode": "embed" })).await;
            assert_eq!(status, 502, "{answer}");
            let (_, view) = json(user.get("/api/videoid/dossier").await).await;
            assert_eq!(view, json!({ "dossierId": null, "processes": [] }));
            user.cookie.expect("the failed start named the end-user")
        });
    }
    let named = naming.join_all().await;
    set_faults(&a.sim_url, "").await;

    // Then every end-user's first two sessions, one on each instance, all at once.
    let barrier = Arc::new(tokio::sync::Barrier::new(users * 2));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, cookie) in named.iter().enumerate() {
        for (host, mode) in [(&a.host_url, "embed"), (&b.host_url, "native")] {
            let (barrier, cookie, host) = (barrier.clone(), cookie.clone(), host.clone());
            tasks.spawn(async move {
                let request = client()
                    .post(format!("{host}/api/videoid/session?scenario=accepted"))
                    .header("cookie", format!("videoid_user={cookie}"))
                    .json(&json!({ "mode": mode }));
                barrier.wait().await;
                let response = request.send().await.expect("the instance answers");
                let sets_cookie = response.headers().contains_key("set-cookie");
                let (status, body) = json(response).await;
                (i, status, sets_cookie, body)
            });
        }
    }
    let mut dossiers: Vec<Vec<String>> = vec![Vec::new(); users];
    while let Some(done) = tasks.join_next().await {
        let (i, status, sets_cookie, body) = done.unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(!sets_cookie, "the end-user keeps their cookie");
        dossiers[i].push(body["dossierId"].as_str().unwrap().to_string());
    }
    for (i, ds) in dossiers.iter().enumerate() {
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0], ds[1], "end-user {i}: one dossier on both instances");
    }

    // Upstream holds exactly one dossier per end-user: no second one was created and
    // thrown away either.
    let token = token(&a.sim_url).await;
    let url = format!("{}/assure/dossiers", a.sim_url);
    let (status, all) = json(sim(reqwest::Method::GET, url, &token, None).await).await;
    assert_eq!(status, 200);
    let upstream: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dossierId"].as_str().unwrap())
        .collect();
    assert_eq!(upstream.len(), users, "{upstream:?}");
    for ds in &dossiers {
        assert!(upstream.contains(&ds[0].as_str()));
    }

    // Either instance shows the end-user the same dossier with both processes.
    for (i, cookie) in named.iter().enumerate() {
        for host in [&a.host_url, &b.host_url] {
            let mut user = EndUser::new(host);
            user.cookie = Some(cookie.clone());
            let (status, view) = json(user.get("/api/videoid/dossier").await).await;
            assert_eq!(status, 200, "{view}");
            assert_eq!(view["dossierId"], dossiers[i][0].as_str());
            assert_eq!(view["processes"].as_array().unwrap().len(), 2, "{view}");
        }
    }
}

/// An end-user's native upload and the webhook's status cross instances: the session made
/// on one, the stills and completion sent to the other, the result read on either.
async fn an_end_user_moves_between_instances(database: Database) {
    let (a, b) = two_instances(&database);
    let mut user = EndUser::new(&a.host_url);
    let (status, session) = user.session("", json!({ "mode": "native" })).await;
    assert_eq!(status, 200, "{session}");
    let token = session["uploadToken"].as_str().unwrap();
    for step in ["front", "back", "selfie"] {
        let put = client()
            .put(format!("{}/api/videoid/upload/{step}", b.host_url))
            .bearer_auth(token)
            .header("content-type", "image/jpeg")
            .body(jpeg(step))
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 201, "{step} on the other instance");
    }
    let again = client()
        .put(format!("{}/api/videoid/upload/front", a.host_url))
        .bearer_auth(token)
        .header("content-type", "image/jpeg")
        .body(jpeg("front"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        200,
        "the first instance knows the front is in"
    );
    let complete = client()
        .post(format!("{}/api/videoid/upload/complete", a.host_url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(complete.status(), 200);
    let d = session["dossierId"].as_str().unwrap();
    let p = session["processId"].as_str().unwrap();
    user.host_url = b.host_url.clone();
    assert_eq!(final_result(&mut user, d, p).await["status"], "accepted");
    // The webhook went to the first instance; the second shows what it recorded.
    let mut view = Value::Null;
    for _ in 0..200 {
        view = json(user.get("/api/videoid/dossier").await).await.1;
        if view["processes"][0]["notifiedStatus"] == "accepted" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(view["processes"][0]["notifiedStatus"], "accepted", "{view}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn race_on_postgres() {
    let url = common::db::postgres_database().await;
    simultaneous_first_sessions_make_one_dossier(Database::Postgres(url)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn race_on_one_sqlite_file() {
    let file = temp_dir().join("shared.sqlite");
    simultaneous_first_sessions_make_one_dossier(Database::Sqlite(file)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moving_between_instances_on_postgres() {
    let url = common::db::postgres_database().await;
    an_end_user_moves_between_instances(Database::Postgres(url)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moving_between_instances_on_one_sqlite_file() {
    let file = temp_dir().join("shared.sqlite");
    an_end_user_moves_between_instances(Database::Sqlite(file)).await;
}
