//! Webhook events: the simulator's deliveries with retries, the backend's receiver.

mod common;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use common::*;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A webhook receiver on loopback that answers 500 to the first `failures` deliveries.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Value>>>,
}

async fn receiver(failures: usize) -> Receiver {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let state = (got.clone(), failures);
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State((got, failures)): State<(Arc<Mutex<Vec<Value>>>, usize)>,
                 Json(event): Json<Value>| async move {
                    let mut got = got.lock().unwrap();
                    got.push(event);
                    if got.len() <= failures {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::NO_CONTENT
                    }
                },
            ),
        )
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, got }
}

async fn wait_for(got: &Arc<Mutex<Vec<Value>>>, count: usize) -> Vec<Value> {
    for _ in 0..2000 {
        if got.lock().unwrap().len() >= count {
            return got.lock().unwrap().clone();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("only {} deliveries", got.lock().unwrap().len());
}

async fn events_are_retried_with_backoff_until_acknowledged(h: Harness) {
    let hook = receiver(3).await;
    let dir = temp_dir();
    let url = hook.url.clone();
    let s = h
        .servers_on(&dir, |c| {
            c.sim_webhook = videoid_www::Webhook::Url(url);
            c.sim_webhook_retry = Duration::from_millis(30);
        })
        .await;
    let started = std::time::Instant::now();
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "rejected").await;
    let got = wait_for(&hook.got, 4).await;
    // Pauses of 30, 60, 120 ms between the four attempts.
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    let first = &got[0];
    assert!(
        got.iter().all(|e| e == first),
        "the same event each time, same id"
    );
    assert_eq!(first["eventName"], "process.complete");
    assert_eq!(first["eventData"]["dossierId"], d.as_str());
    assert_eq!(first["eventData"]["processId"], p.as_str());
    // The reference backend names each dossier it creates with a reference of its own (it
    // finds the dossier by it when the answer to its creation was lost).
    assert!(
        first["eventData"]["externalReference"]
            .as_str()
            .is_some_and(|r| r.starts_with("videoid-")),
        "{first}"
    );
    for key in [
        "id",
        "timestamp",
        "sender",
        "accountId",
        "organizationId",
        "expiresAt",
    ] {
        assert!(first[key].is_string(), "{key} in {first}");
    }
    assert!(first["tags"].is_array());
    // The process is final when its event goes out.
    let process = final_result(&mut user, &d, &p).await;
    assert_eq!(process["status"], "rejected");

    // Acknowledged: the pending file goes, and with it the event's delivery task (it stops
    // once the receiver answered 2xx), so no fifth delivery can follow the four.
    no_pending_events(&dir).await;
    assert_eq!(hook.got.lock().unwrap().len(), 4);
    s.shutdown().await;
}

async fn a_failed_process_sends_its_event_too(h: Harness) {
    let hook = receiver(0).await;
    let url = hook.url.clone();
    let s = h
        .servers_with(|c| c.sim_webhook = videoid_www::Webhook::Url(url))
        .await;
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let url = format!("{}/assure/dossiers/{d}/processes", s.sim_url);
    let body = json!({ "provider": "eid", "sdk": "native" });
    let (_, process) = json(sim(reqwest::Method::POST, url, &token, Some(body)).await).await;
    let p = process["processId"].as_str().unwrap();
    let fail = format!("{}/assure/dossiers/{d}/processes/{p}/fail", s.sim_url);
    assert_eq!(
        sim(reqwest::Method::POST, fail, &token, None)
            .await
            .status(),
        200
    );
    let got = wait_for(&hook.got, 1).await;
    assert_eq!(got[0]["eventData"]["processId"], p);
    s.shutdown().await;
}

async fn the_backend_receives_events_by_default_and_remembers_the_status(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "inconclusive").await;
    final_result(&mut user, &d, &p).await;
    let mut notified = None;
    for _ in 0..200 {
        let (_, dossier) = json(user.get("/api/videoid/dossier").await).await;
        notified = dossier["processes"][0]["notifiedStatus"]
            .as_str()
            .map(str::to_string);
        if notified.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(notified.as_deref(), Some("inconclusive"));
    s.shutdown().await;
}

async fn the_backend_drops_duplicate_events_and_asks_for_retries_when_it_cannot_check(h: Harness) {
    let s = h
        .servers_with(|c| c.sim_webhook = videoid_www::Webhook::Off)
        .await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut user, &d, &p).await;
    let url = format!("{}/api/videoid/events", s.host_url);
    let event = process_complete("evt-1", &d, &p);
    let (status, first) = json(client().post(&url).json(&event).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(first, json!({ "received": true, "duplicate": false }));
    let (status, second) = json(client().post(&url).json(&event).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(second["duplicate"], true);
    let (_, dossier) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(dossier["processes"][0]["notifiedStatus"], "accepted");

    // Events about unknown processes and dossiers, and other event names, are acknowledged
    // and ignored; only events about the end-users' dossiers are remembered.
    let mut unknown = event.clone();
    unknown["id"] = json!("evt-2");
    unknown["eventData"]["processId"] = json!("nope");
    assert_eq!(
        client()
            .post(&url)
            .json(&unknown)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let mut stranger = event.clone();
    stranger["id"] = json!("evt-4");
    stranger["eventData"]["dossierId"] = json!("not-a-dossier-of-ours");
    let events_before = s.store.census().await.unwrap().events;
    let (status, body) = json(client().post(&url).json(&stranger).send().await.unwrap()).await;
    assert_eq!((status, body["duplicate"].clone()), (200, json!(false)));
    assert_eq!(s.store.census().await.unwrap().events, events_before);
    let mut other = event.clone();
    other["id"] = json!("evt-3");
    other["eventName"] = json!("dossier.created");
    assert_eq!(
        client()
            .post(&url)
            .json(&other)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    s.shutdown().await;

    // A backend whose API is unreachable answers 503 and handles the same event once it can.
    let upstream = h.servers().await;
    let dead = h
        .servers_with(|c| {
            c.real = Some(videoid_www::config::RealAssure {
                client_id: CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                base_url: "http://127.0.0.1:9".into(),
            })
        })
        .await;
    // The dead backend knows the dossier (as an instance that shares the database would).
    let key = videoid_backend::store::EndUserKey::of_cookie("someone");
    let now = videoid_backend::store::now_ms();
    let store = &dead.store;
    store
        .create_enduser(&key, "2025-01-01T00:00:00.000Z", now, now + 60_000)
        .await
        .unwrap();
    let claim = store
        .claim_dossier(&key, None, "c", now, now + 60_000)
        .await
        .unwrap();
    assert_eq!(claim, videoid_backend::store::Claim::Won { note: None });
    assert!(store.settle_dossier(&key, "c", &d).await.unwrap());
    let url = format!("{}/api/videoid/events", dead.host_url);
    let response = client().post(&url).json(&event).send().await.unwrap();
    assert_error(response, 503).await;
    let response = client().post(&url).json(&event).send().await.unwrap();
    assert_error(response, 503).await;
    dead.shutdown().await;
    upstream.shutdown().await;
}

crate::simulator_tests!(
    events_are_retried_with_backoff_until_acknowledged,
    a_failed_process_sends_its_event_too,
    the_backend_receives_events_by_default_and_remembers_the_status,
    the_backend_drops_duplicate_events_and_asks_for_retries_when_it_cannot_check,
);
