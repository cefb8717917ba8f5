//! Restart durability: stop both servers, start them on the same data directory, same answers.

mod common;

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A webhook receiver that refuses everything until `open` is set.
async fn gate() -> (String, Arc<AtomicBool>, Arc<Mutex<Vec<Value>>>) {
    let open = Arc::new(AtomicBool::new(false));
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let (o, g) = (open.clone(), got.clone());
    let app = Router::new().route(
        "/hook",
        post(move |Json(event): Json<Value>| {
            let (o, g) = (o.clone(), g.clone());
            async move {
                if o.load(Ordering::SeqCst) {
                    g.lock().unwrap().push(event);
                    StatusCode::OK
                } else {
                    StatusCode::SERVICE_UNAVAILABLE
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, open, got)
}

async fn get(sim_url: &str, token: &str, path: &str) -> Value {
    let (status, body) =
        json(sim(Method::GET, format!("{sim_url}{path}"), token, None).await).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn a_restart_loses_nothing(h: Harness) {
    let dir = temp_dir();
    let (hook, open, got) = gate().await;
    let configure = |hook: String| {
        move |c: &mut videoid_www::Config| {
            c.sim_webhook = videoid_www::Webhook::Url(hook);
            c.sim_webhook_retry = Duration::from_millis(20);
        }
    };
    let s = h.servers_on(&dir, configure(hook.clone())).await;
    let token = token(&s.sim_url).await;
    let mut user = EndUser::new(&s.host_url);

    // A finished embed process, a half-uploaded native one, a configuration.
    let (d, done) = user.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut user, &d, &done).await;
    let (_, native) = user
        .session("?scenario=rejected", json!({ "mode": "native" }))
        .await;
    let upload_token = native["uploadToken"].as_str().unwrap().to_string();
    let native_id = native["processId"].as_str().unwrap().to_string();
    let put = |host: String, step: &'static str, content_type: &'static str| {
        let token = upload_token.clone();
        async move {
            client()
                .put(format!("{host}/api/videoid/upload/{step}"))
                .bearer_auth(token)
                .header("content-type", content_type)
                .body(jpeg(step))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(put(s.host_url.clone(), "front", "image/jpeg").await, 201);
    assert_eq!(put(s.host_url.clone(), "back", "image/jpeg").await, 201);
    let cfg = json!({ "name": "kept", "signicatvideoidConfig": { "sdkLoadTimeout": 20 } });
    let url = format!("{}/assure/capture/configurations", s.sim_url);
    let (_, cfg) = json(sim(Method::POST, url, &token, Some(cfg)).await).await;
    let cfg_id = cfg["configurationId"].as_str().unwrap().to_string();

    let dossier_before = get(&s.sim_url, &token, &format!("/assure/dossiers/{d}")).await;
    let selfie_path = format!("/assure/dossiers/{d}/processes/{done}/images?depiction=selfie");
    let selfie_before = sim(
        Method::GET,
        format!("{}{selfie_path}", s.sim_url),
        &token,
        None,
    )
    .await
    .bytes()
    .await
    .unwrap();
    let (_, view_before) = json(user.get("/api/videoid/dossier").await).await;
    assert!(
        got.lock().unwrap().is_empty(),
        "the receiver refused everything so far"
    );
    let pending_before: Vec<String> = files_under(&dir)
        .into_iter()
        .filter(|f| f.contains("/events/"))
        .collect();
    assert_eq!(pending_before.len(), 1, "one undelivered event on disk");
    s.shutdown().await;

    // Start again on the same directory (new ports, a new token); the receiver now accepts.
    open.store(true, Ordering::SeqCst);
    let s = h.servers_on(&dir, configure(hook)).await;
    user.host_url = s.host_url.clone();
    let token = common::token(&s.sim_url).await;
    assert_eq!(
        get(&s.sim_url, &token, &format!("/assure/dossiers/{d}")).await,
        dossier_before
    );
    let selfie_after = sim(
        Method::GET,
        format!("{}{selfie_path}", s.sim_url),
        &token,
        None,
    )
    .await
    .bytes()
    .await
    .unwrap();
    assert_eq!(selfie_after, selfie_before);
    let cfg_after = get(
        &s.sim_url,
        &token,
        &format!("/assure/capture/configurations/{cfg_id}"),
    )
    .await;
    assert_eq!(cfg_after, cfg);
    let (_, view_after) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(
        view_after, view_before,
        "the cookie still names the same dossier"
    );

    // The pending event is delivered after the restart, with its original id.
    for _ in 0..200 {
        if !got.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let delivered = got.lock().unwrap().clone();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["eventData"]["processId"], done.as_str());
    assert!(pending_before[0].contains(delivered[0]["id"].as_str().unwrap()));

    // The upload session goes on where it stopped: the first uploads are kept.
    assert_eq!(put(s.host_url.clone(), "front", "image/jpeg").await, 200);
    assert_eq!(put(s.host_url.clone(), "selfie", "image/jpeg").await, 201);
    let complete = client()
        .post(format!("{}/api/videoid/upload/complete", s.host_url))
        .bearer_auth(&upload_token)
        .send()
        .await
        .unwrap();
    assert_eq!(complete.status(), 200);
    let process = final_result(&mut user, &d, &native_id).await;
    assert_eq!(
        process["status"], "rejected",
        "the scenario survived the restart"
    );
    s.shutdown().await;
}

async fn a_process_that_was_processing_finishes_after_a_restart(h: Harness) {
    let dir = temp_dir();
    let s = h
        .servers_on(&dir, |c| c.sim_final_delay = Duration::from_millis(600))
        .await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "inconclusive").await;
    s.shutdown().await;
    let s = h
        .servers_on(&dir, |c| c.sim_final_delay = Duration::from_millis(600))
        .await;
    let token = token(&s.sim_url).await;
    let process = sim_final(&s.sim_url, &token, &d, &p).await;
    assert_eq!(process["status"], "inconclusive");
    s.shutdown().await;
}

async fn deleting_a_dossier_removes_every_file_of_it(h: Harness) {
    let dir = temp_dir();
    let s = h.servers_on(&dir, |_| {}).await;
    let token = token(&s.sim_url).await;
    let keep = new_dossier(&s.sim_url, &token).await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut user, &d, &p).await;
    let (_, native) = user.session("", json!({ "mode": "native" })).await;
    let upload = client()
        .put(format!("{}/api/videoid/upload/front", s.host_url))
        .bearer_auth(native["uploadToken"].as_str().unwrap())
        .header("content-type", "image/jpeg")
        .body(jpeg("front"))
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 201);
    let before = files_under(&dir);
    assert!(
        before.iter().any(|f| f.ends_with("front.bin")),
        "{before:?}"
    );
    assert!(
        before.iter().filter(|f| f.contains(&d)).count() >= 4,
        "{before:?}"
    );

    let deleted = sim(
        Method::DELETE,
        format!("{}/assure/dossiers/{d}", s.sim_url),
        &token,
        None,
    )
    .await;
    assert_eq!(deleted.status(), 204);
    let after = files_under(&dir);
    assert!(after.iter().all(|f| !f.contains(&d)), "{after:?}");
    assert!(after.iter().all(|f| !f.ends_with(".bin")), "{after:?}");
    assert!(
        after.iter().any(|f| f.contains(&keep)),
        "the other dossier stays"
    );
    s.shutdown().await;

    // Nothing comes back after a restart.
    let s = h.servers_on(&dir, |_| {}).await;
    let token = common::token(&s.sim_url).await;
    let gone = sim(
        Method::GET,
        format!("{}/assure/dossiers/{d}", s.sim_url),
        &token,
        None,
    )
    .await;
    assert_error(gone, 404).await;
    s.shutdown().await;
}

#[tokio::test]
async fn end_user_files_of_earlier_versions_are_imported_into_the_database() {
    let dir = temp_dir();
    // A dossier and a native process upstream, as an earlier version left them.
    let s = servers_on(&dir, |_| {}).await;
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let (status, process) = json(
        sim(
            Method::POST,
            format!("{}/assure/dossiers/{d}/processes", s.sim_url),
            &token,
            Some(json!({ "provider": "signicatpaper" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{process}");
    let p = process["processId"].as_str().unwrap().to_string();
    let images = json!({ "front": data_url("image/jpeg", &jpeg("front")) });
    let set = sim(
        Method::POST,
        format!("{}/assure/dossiers/{d}/processes/{p}/images", s.sim_url),
        &token,
        Some(images),
    )
    .await;
    assert_eq!(set.status(), 201, "the front went to Set images back then");
    s.shutdown().await;

    // Its end-user record: an upload session stored with a video step and the front in.
    let cookie = "earlier-version-end-user";
    let upload_token = "earlier-version-upload-token";
    let records = dir.join("host/endusers");
    std::fs::create_dir_all(&records).unwrap();
    let expires_ms = videoid_backend::store::now_ms() + 600_000;
    std::fs::write(
        records.join(format!("{cookie}.json")),
        json!({
            "id": cookie, "dossierId": d, "createdAt": "2025-01-01T00:00:00.000Z",
            "uploads": [{
                "token": upload_token, "dossierId": d, "processId": p,
                "expiresAtMs": expires_ms, "expiresAt": "2099-01-01T00:00:00.000Z",
                "steps": ["front", "back", "selfie", "video"], "received": { "front": 1234 },
            }],
            "notified": {},
        })
        .to_string(),
    )
    .unwrap();

    let s = servers_on(&dir, |_| {}).await;
    assert!(
        !records.exists(),
        "imported files are removed: {:?}",
        files_under(&dir)
    );
    let census = s.store.census().await.unwrap();
    assert_eq!((census.endusers, census.uploads), (1, 1), "{census:?}");
    let mut user = EndUser::new(&s.host_url);
    user.cookie = Some(cookie.to_string());
    let (status, view) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(
        view["dossierId"],
        d.as_str(),
        "the cookie still names the dossier"
    );

    let put = |step: &'static str, content_type: &'static str, body: Vec<u8>| {
        client()
            .put(format!("{}/api/videoid/upload/{step}", s.host_url))
            .bearer_auth(upload_token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    assert_eq!(
        put("video", "video/webm", recording())
            .await
            .unwrap()
            .status(),
        404,
        "the video step is not imported"
    );
    let (status, front) = json(put("front", "image/jpeg", jpeg("front")).await.unwrap()).await;
    assert_eq!(
        (status, front),
        (200, json!({ "step": "front", "bytes": 1234 })),
        "the received front was imported"
    );
    for step in ["back", "selfie"] {
        assert_eq!(
            put(step, "image/jpeg", jpeg(step)).await.unwrap().status(),
            201
        );
    }
    let complete = client()
        .post(format!("{}/api/videoid/upload/complete", s.host_url))
        .bearer_auth(upload_token)
        .send()
        .await
        .unwrap();
    assert_eq!(complete.status(), 200);
    assert_eq!(final_result(&mut user, &d, &p).await["status"], "accepted");
    s.shutdown().await;

    // A second start imports nothing again and keeps what is in the database.
    let s = servers_on(&dir, |_| {}).await;
    assert_eq!(s.store.census().await.unwrap().endusers, 1);
    s.shutdown().await;
}

#[tokio::test]
async fn expired_upload_sessions_are_swept() {
    let s = servers_with(|c| {
        c.session_lifetime = Duration::from_millis(300);
        c.sweep_interval = Duration::from_millis(50);
    })
    .await;
    let mut user = EndUser::new(&s.host_url);
    let (status, native) = user.session("", json!({ "mode": "native" })).await;
    assert_eq!(status, 200, "{native}");
    assert_eq!(s.store.census().await.unwrap().uploads, 1);
    let token = native["uploadToken"].as_str().unwrap().to_string();
    // The sweeper runs every 50 ms; the session expires after 300 ms.
    let mut uploads = 1;
    for _ in 0..200 {
        uploads = s.store.census().await.unwrap().uploads;
        if uploads == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(uploads, 0, "the expired session was swept");
    let put = client()
        .put(format!("{}/api/videoid/upload/front", s.host_url))
        .bearer_auth(&token)
        .header("content-type", "image/jpeg")
        .body(jpeg("front"))
        .send()
        .await
        .unwrap();
    assert_error(put, 401).await;
    let census = s.store.census().await.unwrap();
    assert_eq!(
        (census.endusers, census.with_dossier),
        (1, 1),
        "the end-user and their dossier stay"
    );
    s.shutdown().await;
}

crate::simulator_tests!(
    a_restart_loses_nothing,
    a_process_that_was_processing_finishes_after_a_restart,
    deleting_a_dossier_removes_every_file_of_it,
);
