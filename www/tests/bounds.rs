//! Bounded state in the simulator: every per-call, per-rule or per-dossier collection has a
//! bound (a size or a time), and each is filled past it here. (The simulator's access tokens
//! are filled past theirs in its store's unit test; the backend's webhook de-duplication set
//! and notified statuses in `backend/tests/store.rs`.)

mod common;

use assure_simulator::control::RECORD_LIMIT;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use videoid_www::Webhook;

/// The record of received calls keeps the latest [`RECORD_LIMIT`].
#[tokio::test]
async fn the_record_of_calls_keeps_the_latest_ones() {
    let s = servers_with(|c| c.sim_webhook = Webhook::Off).await;
    let token = token(&s.sim_url).await;
    let extra = 30;
    for i in 0..RECORD_LIMIT + extra {
        let url = format!("{}/assure/dossiers/d-{i}", s.sim_url);
        assert_eq!(sim(Method::GET, url, &token, None).await.status(), 404);
    }
    let record = received(&s.sim_url, "/assure/dossiers/").await;
    assert_eq!(record.len(), RECORD_LIMIT);
    // The oldest calls went: the token call, then the first `extra` lookups.
    assert_eq!(record[0]["path"], format!("/assure/dossiers/d-{extra}"));
    assert_eq!(
        record[RECORD_LIMIT - 1]["path"],
        format!("/assure/dossiers/d-{}", RECORD_LIMIT + extra - 1)
    );
    s.shutdown().await;
}

/// Queued outcomes and external-reference rules: at most [`RECORD_LIMIT`] each; one more is a clear
/// 409 and changes nothing.
#[tokio::test]
async fn outcome_rules_are_refused_past_their_bound() {
    let s = servers_with(|c| c.sim_webhook = Webhook::Off).await;
    for _ in 0..RECORD_LIMIT {
        set(Method::POST, &s.sim_url, "/outcomes/next", "accepted").await;
    }
    let response = control_call(Method::POST, &s.sim_url, "/outcomes/next")
        .json(&json!({ "scenario": "rejected" }))
        .send()
        .await
        .unwrap();
    let message = assert_error(response, 409).await;
    assert!(message.contains(&RECORD_LIMIT.to_string()), "{message}");
    let rules = control_get(&s.sim_url, "/outcomes").await;
    let next = rules["next"].as_array().unwrap();
    assert_eq!(next.len(), RECORD_LIMIT);
    assert!(next.iter().all(|n| n == "accepted"));

    for i in 0..RECORD_LIMIT {
        set(
            Method::PUT,
            &s.sim_url,
            &format!("/outcomes/external-references/ref-{i}"),
            "rejected",
        )
        .await;
    }
    let response = control_call(
        Method::PUT,
        &s.sim_url,
        "/outcomes/external-references/ref-more",
    )
    .json(&json!({ "scenario": "rejected" }))
    .send()
    .await
    .unwrap();
    assert_error(response, 409).await;
    // Changing a rule that exists is no growth: still allowed.
    set(
        Method::PUT,
        &s.sim_url,
        "/outcomes/external-references/ref-0",
        "accepted",
    )
    .await;
    let rules = control_get(&s.sim_url, "/outcomes").await;
    let references = rules["externalReferences"].as_object().unwrap();
    assert_eq!(references.len(), RECORD_LIMIT);
    assert_eq!(references["ref-0"], "accepted");
    assert!(!references.contains_key("ref-more"));
    s.shutdown().await;
}

async fn set(method: Method, sim_url: &str, path: &str, scenario: &str) {
    let response = control_call(method, sim_url, path)
        .json(&json!({ "scenario": scenario }))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{path}: {body}");
}

/// Capture configurations: at most 1000; one more is a clear 409 until one is deleted.
#[tokio::test]
async fn capture_configurations_are_refused_past_their_bound() {
    let s = servers_with(|c| c.sim_webhook = Webhook::Off).await;
    let token = token(&s.sim_url).await;
    let base = format!("{}/assure/capture/configurations", s.sim_url);
    let mut first = None;
    let mut created = 0;
    let refused = loop {
        let body = json!({ "name": format!("c{created}") });
        let response = sim(Method::POST, base.clone(), &token, Some(body)).await;
        if response.status() != 201 {
            break response;
        }
        let (_, made) = json(response).await;
        first.get_or_insert(made["configurationId"].as_str().unwrap().to_string());
        created += 1;
        assert!(created <= 1000, "more than 1000 configurations were made");
    };
    assert_eq!(created, 1000);
    let message = assert_error(refused, 409).await;
    assert!(message.contains("at most 1000"), "{message}");
    let (_, list) = json(sim(Method::GET, base.clone(), &token, None).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1000);
    let first = first.unwrap();
    let deleted = sim(Method::DELETE, format!("{base}/{first}"), &token, None).await;
    assert!(deleted.status().is_success(), "{}", deleted.status());
    let again = sim(Method::POST, base, &token, Some(json!({ "name": "again" }))).await;
    assert_eq!(again.status(), 201);
    s.shutdown().await;
}

/// Dossiers that did not change for the retention go, with their processes, media and the
/// webhook events still waiting for delivery (the receiver refuses every one of them).
#[tokio::test]
async fn idle_dossiers_and_their_pending_events_go_after_the_retention() {
    // Long enough that all 20 dossiers are made before the first one's retention runs out,
    // even on a loaded machine (at 1.5 s, a loaded CI run once saw 5 of them go first).
    const RETENTION: Duration = Duration::from_secs(6);
    let refusing = refusing_receiver().await;
    let s = servers_with(|c| {
        c.sim_webhook = Webhook::Url(refusing);
        c.sim_retention = RETENTION;
    })
    .await;
    let token = token(&s.sim_url).await;
    let started = std::time::Instant::now();
    let mut dossiers = Vec::new();
    for _ in 0..20 {
        let d = new_dossier(&s.sim_url, &token).await;
        let url = format!("{}/assure/dossiers/{d}/processes", s.sim_url);
        let (status, process) = json(
            sim(
                Method::POST,
                url,
                &token,
                Some(json!({ "provider": "eid" })),
            )
            .await,
        )
        .await;
        assert_eq!(status, 201, "{process}");
        let p = process["processId"].as_str().unwrap();
        let fail = format!("{}/assure/dossiers/{d}/processes/{p}/fail", s.sim_url);
        assert_eq!(sim(Method::POST, fail, &token, None).await.status(), 200);
        dossiers.push(d);
    }
    let events = |files: &[String]| files.iter().filter(|f| f.contains("/events/")).count();
    let waiting = events(&files_under(&s.data_dir));
    let setup = started.elapsed();
    assert!(
        setup < RETENTION,
        "making the dossiers took {setup:?}, past the retention: the count below cannot hold"
    );
    assert_eq!(waiting, 20, "every event waits");
    let mut left = Vec::new();
    let deadline = std::time::Instant::now() + RETENTION * 3;
    while std::time::Instant::now() < deadline {
        let (_, all) = json(
            sim(
                Method::GET,
                format!("{}/assure/dossiers", s.sim_url),
                &token,
                None,
            )
            .await,
        )
        .await;
        left = all.as_array().unwrap().clone();
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(left, Vec::<Value>::new(), "every idle dossier went");
    let files = files_under(&s.data_dir);
    assert_eq!(events(&files), 0, "{files:?}");
    assert!(
        !files.iter().any(|f| f.contains("simulator/dossiers/")),
        "{files:?}"
    );
    assert_eq!(
        control_get(&s.sim_url, "/processes").await,
        json!([]),
        "their processes went too"
    );
    for d in dossiers {
        let url = format!("{}/assure/dossiers/{d}", s.sim_url);
        assert_eq!(sim(Method::GET, url, &token, None).await.status(), 404);
    }
    s.shutdown().await;
}

/// A webhook receiver that answers 503 to everything.
async fn refusing_receiver() -> String {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(|| async { axum::http::StatusCode::SERVICE_UNAVAILABLE }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}
