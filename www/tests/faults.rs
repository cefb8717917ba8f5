//! Fault injection: each fault kind as the simulator answers it, and the reference backend
//! under each (retries of reads within the deadline, changes made at most once, clear JSON
//! errors in time, webhook deliveries retried until the backend has the right status).
//!
//! Faults that must hit exact calls use `first=N`, so no test depends on a random draw; the
//! seeded shares are checked for being the same in every run.

mod common;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use videoid_www::Webhook;

/// Sends a request; `Err` when no whole answer came back (the connection was cut).
async fn whole(request: reqwest::RequestBuilder) -> Result<(u16, Vec<u8>), String> {
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    Ok((status, body.to_vec()))
}

async fn dossier_count(sim_url: &str, token: &str) -> usize {
    let all = sim(
        Method::GET,
        format!("{sim_url}/assure/dossiers"),
        token,
        None,
    )
    .await;
    json(all).await.1.as_array().unwrap().len()
}

fn create_dossier(sim_url: &str, token: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{sim_url}/assure/dossiers"))
        .bearer_auth(token)
        .json(&json!({}))
}

/// Every fault kind, as a client of the simulator meets it.
async fn each_fault_kind_answers_as_set(h: Harness) {
    let s = h.servers().await;
    let token = common::token(&s.sim_url).await;
    let before = dossier_count(&s.sim_url, &token).await;
    set_faults(
        &s.sim_url,
        "POST /assure/dossiers: 500 first=1, 503 first=1, 429 first=1 retry-after=2s, drop first=1",
    )
    .await;

    // 500, 503, 429: answered without handling the call.
    for (status, retry_after) in [(500, None), (503, None), (429, Some("2"))] {
        let response = create_dossier(&s.sim_url, &token).send().await.unwrap();
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap()),
            retry_after
        );
        let message = assert_error(response, status).await;
        assert!(message.contains("simulated fault"), "{message}");
    }
    assert_eq!(dossier_count(&s.sim_url, &token).await, before);

    // drop: handled (the dossier exists), but the answer is cut off.
    let cut = whole(create_dossier(&s.sim_url, &token)).await;
    assert!(cut.is_err(), "no whole answer: {cut:?}");
    assert_eq!(dossier_count(&s.sim_url, &token).await, before + 1);

    // Then the calls are answered as usual.
    let (status, body) = whole(create_dossier(&s.sim_url, &token)).await.unwrap();
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    assert_eq!(dossier_count(&s.sim_url, &token).await, before + 2);

    // The record names the fault each call met; the control API shows the counts.
    let faults: Vec<Value> = received(&s.sim_url, "/assure/dossiers")
        .await
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .map(|r| r["fault"].clone())
        .collect();
    assert_eq!(
        faults,
        [
            json!("500"),
            json!("503"),
            json!("429"),
            json!("drop"),
            Value::Null
        ]
    );
    let shown = control_get(&s.sim_url, "/faults").await;
    let injected: Vec<u64> = shown["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["injected"].as_u64().unwrap())
        .collect();
    assert_eq!(injected, [1, 1, 1, 1]);

    // latency: answered that much later (the call is handled).
    set_faults(&s.sim_url, "GET /assure/dossiers/*: latency 300ms").await;
    let d = new_dossier(&s.sim_url, &token).await;
    let started = Instant::now();
    let response = sim(
        Method::GET,
        format!("{}/assure/dossiers/{d}", s.sim_url),
        &token,
        None,
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // down: every call 503 with Retry-After for the window, then answered again.
    set_faults(&s.sim_url, "/auth/**: down 600ms").await;
    let token_call = || {
        client()
            .post(format!("{}/auth/open/connect/token", s.sim_url))
            .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
            .form(&[("grant_type", "client_credentials")])
    };
    let response = token_call().send().await.unwrap();
    assert_eq!(response.headers()["retry-after"], "1");
    assert_error(response, 503).await;
    let mut answered = None;
    for _ in 0..100 {
        let response = token_call().send().await.unwrap();
        if response.status() == 200 {
            answered = Some(response);
            break;
        }
        assert_eq!(response.status(), 503);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(answered.is_some(), "the token endpoint came back");

    // The control API never meets faults, even with every call failing.
    set_faults(&s.sim_url, "all: 500; /capture/**: 500; /provider/**: 500").await;
    assert_eq!(
        control_get(&s.sim_url, "/faults").await["faults"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let response = control_call(Method::DELETE, &s.sim_url, "/faults")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(dossier_count(&s.sim_url, &token).await, before + 3);
    s.shutdown().await;
}

/// A seed gives the same faults to the same sequence of calls; specs are checked.
async fn seeded_shares_repeat_and_bad_specs_change_nothing(h: Harness) {
    let s = h.servers().await;
    let token = common::token(&s.sim_url).await;
    let run = async || {
        let shown = set_faults(&s.sim_url, "seed=11; GET /assure/dossiers: 500 30%").await;
        assert_eq!(shown["seed"], 11);
        let mut met = Vec::new();
        for _ in 0..40 {
            let response = sim(
                Method::GET,
                format!("{}/assure/dossiers", s.sim_url),
                &token,
                None,
            )
            .await;
            met.push(response.status() == 500);
        }
        met
    };
    let first = run().await;
    assert_eq!(first, run().await, "the same seed, the same faults");
    let count = first.iter().filter(|m| **m).count();
    assert!(
        (1..40).contains(&count),
        "some calls met the fault: {count}"
    );
    let shown = control_get(&s.sim_url, "/faults").await;
    assert_eq!(shown["faults"][0]["calls"], 40);
    assert_eq!(shown["faults"][0]["injected"], count as u64);

    // Without a seed one is picked, and shown.
    let shown = set_faults(&s.sim_url, "all: 503 1%").await;
    assert!(shown["seed"].is_u64());
    assert_eq!(shown["seeded"], false);

    for bad in [
        "all: 404",
        "/simulator/faults: 500",
        "everything: 500",
        "all: down 1s 5%",
    ] {
        let response = control_call(Method::PUT, &s.sim_url, "/faults")
            .json(&json!({ "spec": bad }))
            .send()
            .await
            .unwrap();
        let message = assert_error(response, 400).await;
        assert!(message.starts_with("faults:"), "{message}");
    }
    assert_eq!(
        control_get(&s.sim_url, "/faults").await["spec"],
        "all: 503 1%"
    );
    s.shutdown().await;
}

/// A webhook receiver that records every delivery and acknowledges it.
async fn receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State(got): State<Arc<Mutex<Vec<Value>>>>, Json(event): Json<Value>| async move {
                    got.lock().unwrap().push(event);
                    StatusCode::NO_CONTENT
                },
            ),
        )
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

async fn deliveries(got: &Arc<Mutex<Vec<Value>>>, count: usize) -> Vec<Value> {
    for _ in 0..500 {
        if got.lock().unwrap().len() >= count {
            return got.lock().unwrap().clone();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("only {} deliveries", got.lock().unwrap().len());
}

/// Webhook faults: a status means the attempt is not sent, `drop` that it is sent and its
/// answer lost; either way the simulator sends the event again until it is acknowledged.
async fn webhook_faults_make_the_simulator_deliver_again(h: Harness) {
    let (url, got) = receiver().await;
    let s = h
        .servers_with(|c| {
            c.sim_webhook = Webhook::Url(url);
            c.sim_faults = Some(
                assure_simulator::faults::Plan::parse("webhook: 503 first=2, drop first=2")
                    .unwrap(),
            );
        })
        .await;
    let token = common::token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let url = format!("{}/assure/dossiers/{d}/processes", s.sim_url);
    let body = json!({ "provider": "eid" });
    let (_, process) = json(sim(Method::POST, url, &token, Some(body)).await).await;
    let p = process["processId"].as_str().unwrap();
    let fail = format!("{}/assure/dossiers/{d}/processes/{p}/fail", s.sim_url);
    assert_eq!(sim(Method::POST, fail, &token, None).await.status(), 200);
    // Two attempts not sent, two sent with their answer lost, the fifth acknowledged.
    let got = deliveries(&got, 3).await;
    assert!(got.iter().all(|e| e == &got[0]), "the same event each time");
    for _ in 0..500 {
        if files_under(&s.data_dir)
            .iter()
            .all(|f| !f.contains("/events/"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(got.len(), 3);
    let shown = control_get(&s.sim_url, "/faults").await;
    assert_eq!(shown["faults"][0]["injected"], 2);
    assert_eq!(shown["faults"][1]["injected"], 2);
    s.shutdown().await;
}

/// Reads (Get process, the token) are retried through passing faults within the deadline,
/// waiting at least what `Retry-After` asks.
async fn the_backend_retries_reads_through_passing_faults(h: Harness) {
    let s = h.servers_with(|c| c.sim_webhook = Webhook::Off).await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut user, &d, &p).await;
    set_faults(
        &s.sim_url,
        "GET /assure/dossiers/*/processes/*: 500 first=1, 503 first=1, \
         429 first=1 retry-after=1s, drop first=1, latency 100ms first=1",
    )
    .await;
    let started = Instant::now();
    let (status, result) = user.result(&d, &p).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["status"], "accepted");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    let reads: Vec<Value> = received(&s.sim_url, &format!("/assure/dossiers/{d}/processes/{p}"))
        .await
        .into_iter()
        .filter(|r| r["method"] == "GET")
        .map(|r| r["fault"].clone())
        .collect();
    assert_eq!(
        reads[reads.len() - 5..],
        [
            json!("500"),
            json!("503"),
            json!("429"),
            json!("drop"),
            Value::Null
        ]
    );

    // A token endpoint that is down for a while: a fresh backend waits for it (Retry-After)
    // within its deadline.
    let fresh = h.servers_with(|c| c.sim_webhook = Webhook::Off).await;
    set_faults(&fresh.sim_url, "POST /auth/open/connect/token: down 2s").await;
    let mut other = EndUser::new(&fresh.host_url);
    let started = Instant::now();
    let (status, session) = other.session("", json!({})).await;
    assert_eq!(status, 200, "{session}");
    assert!(started.elapsed() >= Duration::from_secs(1));
    let tokens: Vec<Value> = received(&fresh.sim_url, "/auth/").await;
    assert!(tokens.iter().any(|r| r["fault"] == "down"), "{tokens:?}");
    assert_eq!(tokens.last().unwrap()["status"], 200);
    fresh.shutdown().await;
    s.shutdown().await;
}

/// How many processes the simulator holds in a dossier.
async fn processes_in(sim_url: &str, dossier_id: &str) -> Vec<Value> {
    control_get(sim_url, "/processes")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["dossierId"] == dossier_id)
        .cloned()
        .collect()
}

/// A create whose answer is lost (the connection dropped after the API acted): the backend
/// finds what was made instead of making it twice — the dossier by its reference, a process
/// by reading the dossier (it is removed and made again: its answer, the capture URL or the
/// authorization, is lost with it).
async fn lost_answers_to_creates_make_no_duplicates(h: Harness) {
    let s = h.servers_with(|c| c.sim_webhook = Webhook::Off).await;
    set_faults(
        &s.sim_url,
        "POST /assure/dossiers: drop first=1; POST /assure/dossiers/*/capture: drop first=1",
    )
    .await;
    let mut user = EndUser::new(&s.host_url);
    let (status, session) = user.session("", json!({})).await;
    assert_eq!(status, 200, "{session}");
    let d = session["dossierId"].as_str().unwrap().to_string();
    let token = common::token(&s.sim_url).await;
    assert_eq!(dossier_count(&s.sim_url, &token).await, 1, "one dossier");
    let posts: Vec<Value> = received(&s.sim_url, "/assure/dossiers")
        .await
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["path"] == "/assure/dossiers")
        .collect();
    assert_eq!(posts.len(), 1, "the dossier was found, not made again");
    let processes = processes_in(&s.sim_url, &d).await;
    assert_eq!(processes.len(), 1, "one process: {processes:?}");
    let deleted: Vec<Value> = received(&s.sim_url, &format!("/assure/dossiers/{d}/processes/"))
        .await
        .into_iter()
        .filter(|r| r["method"] == "DELETE")
        .collect();
    assert_eq!(deleted.len(), 1, "the process whose URL was lost went");
    // The capture URL the element got works.
    let art = artifact(&s.sim_url, &artifact_of(session["url"].as_str().unwrap())).await;
    assert_eq!(art["processId"], processes[0]["processId"]);

    // Native and SDK: Create process's answer lost, or a 500 (nothing made): one process each.
    for (spec, body) in [
        (
            "POST /assure/dossiers/*/processes: drop first=1",
            json!({ "mode": "native" }),
        ),
        (
            "POST /assure/dossiers/*/processes: 500 first=1",
            json!({ "mode": "native" }),
        ),
        (
            "POST /assure/dossiers/*/processes: drop first=1",
            json!({ "mode": "sdk" }),
        ),
        (
            "POST /assure/dossiers/*/processes: 503 first=1",
            json!({ "mode": "sdk" }),
        ),
    ] {
        set_faults(&s.sim_url, spec).await;
        let before = processes_in(&s.sim_url, &d).await.len();
        let (status, session) = user.session("", body.clone()).await;
        assert_eq!(status, 200, "{spec} {body}: {session}");
        let now = processes_in(&s.sim_url, &d).await;
        assert_eq!(now.len(), before + 1, "{spec} {body}: one more process");
        assert!(now.iter().any(|p| p["processId"] == session["processId"]));
    }
    set_faults(&s.sim_url, "").await;
    s.shutdown().await;
}

/// Set images and start verification whose answers are lost: the backend reads the image
/// back, and the status, instead of sending them again.
async fn lost_answers_to_uploads_and_completion_are_checked_not_repeated(h: Harness) {
    let s = h.servers_with(|c| c.sim_webhook = Webhook::Off).await;
    let mut user = EndUser::new(&s.host_url);
    let (status, session) = user.session("", json!({ "mode": "native" })).await;
    assert_eq!(status, 200, "{session}");
    let (d, p) = (
        session["dossierId"].as_str().unwrap(),
        session["processId"].as_str().unwrap(),
    );
    let upload_token = session["uploadToken"].as_str().unwrap();
    set_faults(
        &s.sim_url,
        "POST /assure/dossiers/*/processes/*/images: drop first=1, 500 first=1; \
         POST /assure/dossiers/*/processes/*: drop first=1",
    )
    .await;
    for step in ["front", "back", "selfie"] {
        let response = client()
            .put(format!("{}/api/videoid/upload/{step}", s.host_url))
            .bearer_auth(upload_token)
            .header("content-type", "image/jpeg")
            .body(jpeg(step))
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, 201, "{step}: {body}");
    }
    let response = client()
        .post(format!("{}/api/videoid/upload/complete", s.host_url))
        .bearer_auth(upload_token)
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");

    let calls = received(&s.sim_url, &format!("/assure/dossiers/{d}/processes/{p}")).await;
    let sets: Vec<Value> = calls
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"].as_str().unwrap().ends_with("/images"))
        .map(|r| r["fault"].clone())
        .collect();
    // front: answer lost, read back (it was there); back: 500 (not there), sent again; selfie.
    assert_eq!(
        sets,
        [json!("drop"), json!("500"), Value::Null, Value::Null]
    );
    let read_back = calls
        .iter()
        .filter(|r| r["method"] == "GET" && r["query"] == "depiction=front")
        .count();
    assert_eq!(read_back, 1);
    let starts = calls
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"].as_str().unwrap().ends_with(p))
        .count();
    assert_eq!(starts, 1, "verification was started once");
    // Every still is stored whole, once.
    let uploads = control_get(&s.sim_url, "/uploads").await;
    for step in ["front", "back", "selfie"] {
        let stored: Vec<&Value> = uploads
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["processId"] == p && u["name"] == step)
            .collect();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0]["bytes"], jpeg(step).len());
    }
    let result = final_result(&mut user, d, p).await;
    assert_eq!(result["status"], "accepted");
    s.shutdown().await;
}

/// Lasting faults reach the element as clear JSON errors with the right status, in time.
async fn lasting_faults_are_clear_errors_in_time(h: Harness) {
    let s = h.servers_with(|c| c.sim_webhook = Webhook::Off).await;
    let mut user = EndUser::new(&s.host_url);
    let (status, first) = user.session("", json!({})).await;
    assert_eq!(status, 200, "{first}");

    // Every call a 500: 502 after the backend's tries.
    set_faults(&s.sim_url, "all: 500").await;
    let (status, body) = user.session("", json!({ "mode": "native" })).await;
    assert_eq!(status, 502, "{body}");
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("did not answer as expected"));
    assert_eq!(body.as_object().unwrap().len(), 1);

    // Asked to come back later than the deadline allows: 503 with Retry-After, at once.
    set_faults(&s.sim_url, "all: 429 retry-after=60s").await;
    let started = Instant::now();
    let response = user
        .send(
            client()
                .post(format!("{}/api/videoid/session", s.host_url))
                .json(&json!({})),
        )
        .await;
    assert_eq!(response.headers()["retry-after"], "60");
    let message = assert_error(response, 503).await;
    assert!(message.contains("busy"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // No answer at all: 504 within the element's 20-s deadline.
    set_faults(&s.sim_url, "all: latency 30s").await;
    let started = Instant::now();
    let (status, body) = user.session("", json!({})).await;
    assert_eq!(status, 504, "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    set_faults(&s.sim_url, "").await;

    // And nothing was made twice meanwhile: one process per answered session.
    let d = first["dossierId"].as_str().unwrap();
    assert_eq!(processes_in(&s.sim_url, d).await.len(), 1);
    s.shutdown().await;
}

/// The backend cannot read the process while events arrive: it answers 503, the simulator
/// delivers again, and once reads work the backend records the right final status, once.
async fn failed_webhook_handling_is_retried_until_the_status_is_right(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    set_faults(&s.sim_url, "GET /assure/dossiers/*/processes/*: 500").await;
    let (d, p) = user.embed_capture(&s.sim_url, "rejected").await;
    // Wait for two deliveries the backend could not handle.
    let mut failed = 0;
    for _ in 0..500 {
        failed = received(&s.sim_url, &format!("/assure/dossiers/{d}/processes/{p}"))
            .await
            .iter()
            .filter(|r| r["fault"] == "500")
            .count();
        if failed >= 2 * videoid_backend::assure::Retries::default().max_tries as usize {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(failed >= 12, "{failed} failed reads");
    let (_, view) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(view["processes"][0]["notifiedStatus"], Value::Null);
    set_faults(&s.sim_url, "webhook: drop first=1").await;
    let mut notified = Value::Null;
    for _ in 0..500 {
        let (_, view) = json(user.get("/api/videoid/dossier").await).await;
        notified = view["processes"][0]["notifiedStatus"].clone();
        if !notified.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(notified, "rejected");
    // The acknowledged delivery whose answer was dropped came again: a duplicate, one event.
    for _ in 0..500 {
        if control_get(&s.sim_url, "/faults").await["faults"][0]["injected"] == 1
            && files_under(&s.data_dir)
                .iter()
                .all(|f| !f.contains("/events/"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let census = s.store.census().await.unwrap();
    assert_eq!((census.events, census.notified), (1, 1));
    s.shutdown().await;
}

/// A share (about 45%) of every upstream call failing, seeded so that each run meets the same
/// faults as long as the calls come in the same order (most sessions complete, some fail after
/// the backend's tries; how many depends on how often the result is polled): every
/// session ends accepted or in a clear JSON error (502/503/504), polling goes on through
/// passing errors, and nothing upstream is made twice: each dossier is an end-user's, each
/// answered session has one process.
async fn shares_of_failing_calls_end_every_session_cleanly(h: Harness) {
    let s = h.servers_with(|c| c.sim_webhook = Webhook::Off).await;
    set_faults(
        &s.sim_url,
        "seed=5; all: 500 25%, 503 15%, 429 5% retry-after=1s, drop 5%",
    )
    .await;
    let (mut completed, mut failed) = (Vec::new(), 0);
    for _ in 0..10 {
        let mut user = EndUser::new(&s.host_url);
        let request = client()
            .post(format!(
                "{}/api/videoid/session?scenario=accepted",
                s.host_url
            ))
            .json(&json!({}));
        let response = user.send(request).await;
        let status = response.status().as_u16();
        if status != 200 {
            assert!(matches!(status, 502..=504), "{status}");
            assert_error(response, status).await;
            failed += 1;
            continue;
        }
        let (_, session) = json(response).await;
        let art_id = artifact_of(session["url"].as_str().unwrap());
        let art = artifact(&s.sim_url, &art_id).await;
        let (status, body) = finish(&s.sim_url, &art_id, "accepted").await;
        assert_eq!(status, 200, "{body}");
        let (d, p) = (
            session["dossierId"].as_str().unwrap().to_string(),
            art["processId"].as_str().unwrap().to_string(),
        );
        let mut last = Value::Null;
        for _ in 0..400 {
            let (status, result) = user.result(&d, &p).await;
            if status != 200 {
                // A passing upstream fault: the element asks again.
                assert!(matches!(status, 502..=504), "{status} {result}");
                assert_eq!(result.as_object().unwrap().len(), 1, "{result}");
            } else if !matches!(result["status"].as_str(), Some("pending" | "processing")) {
                last = result;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(last["status"], "accepted", "{last}");
        completed.push(p);
    }
    let shown = control_get(&s.sim_url, "/faults").await;
    let injected: u64 = shown["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["injected"].as_u64().unwrap())
        .sum();
    assert!(injected >= 5, "faults were met: {shown}");
    assert_eq!(completed.len() + failed, 10);
    assert!(!completed.is_empty(), "some sessions completed");
    set_faults(&s.sim_url, "").await;

    let token = common::token(&s.sim_url).await;
    let census = s.store.census().await.unwrap();
    assert_eq!(
        dossier_count(&s.sim_url, &token).await as u64,
        census.dossiers,
        "every upstream dossier is an end-user's"
    );
    let processes = control_get(&s.sim_url, "/processes").await;
    let processes = processes.as_array().unwrap();
    assert!(processes.len() <= 10, "at most one process per session");
    for p in &completed {
        assert_eq!(processes.iter().filter(|x| x["processId"] == *p).count(), 1);
    }
    s.shutdown().await;
}

crate::simulator_tests!(
    shares_of_failing_calls_end_every_session_cleanly,
    each_fault_kind_answers_as_set,
    seeded_shares_repeat_and_bad_specs_change_nothing,
    webhook_faults_make_the_simulator_deliver_again,
    the_backend_retries_reads_through_passing_faults,
    lost_answers_to_creates_make_no_duplicates,
    lost_answers_to_uploads_and_completion_are_checked_not_repeated,
    lasting_faults_are_clear_errors_in_time,
    failed_webhook_handling_is_retried_until_the_status_is_right,
);
