//! The reference backend's end-user handling: one dossier per cookie, the dossier view,
//! "delete my data", media proxies scoped to the own dossier, CORS, nothing secret leaks.

mod common;

use common::*;
use serde_json::json;

async fn the_same_end_user_gets_new_processes_in_the_same_dossier(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    let (empty_status, empty) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(empty_status, 200);
    assert_eq!(empty, json!({ "dossierId": null, "processes": [] }));

    let (d1, p1) = user.embed_capture(&s.sim_url, "accepted").await;
    let cookie = user.cookie.clone().unwrap();
    let (d2, p2) = user.embed_capture(&s.sim_url, "rejected").await;
    assert_eq!(
        user.cookie.as_ref(),
        Some(&cookie),
        "the cookie is not replaced"
    );
    assert_eq!(d1, d2, "one dossier per end-user");
    assert_ne!(p1, p2);
    let (status, native) = user.session("", json!({ "mode": "native" })).await;
    assert_eq!(status, 200);
    assert_eq!(native["dossierId"], d1.as_str());
    final_result(&mut user, &d1, &p1).await;
    final_result(&mut user, &d1, &p2).await;

    let (status, dossier) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(status, 200);
    assert_eq!(dossier["dossierId"], d1.as_str());
    let processes = dossier["processes"].as_array().unwrap();
    let ids: Vec<&str> = processes
        .iter()
        .map(|p| p["processId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            p1.as_str(),
            p2.as_str(),
            native["processId"].as_str().unwrap()
        ]
    );
    assert_eq!(processes[0]["status"], "accepted");
    assert_eq!(processes[1]["status"], "rejected");
    assert_eq!(processes[2]["status"], "pending");
    let providers: Vec<&str> = processes
        .iter()
        .map(|p| p["provider"].as_str().unwrap())
        .collect();
    assert_eq!(
        providers,
        ["signicatvideoid", "signicatvideoid", "signicatpaper"]
    );

    // Another browser is another end-user with another dossier.
    let mut other = EndUser::new(&s.host_url);
    let (d3, _) = other.embed_capture(&s.sim_url, "accepted").await;
    assert_ne!(d3, d1);
    assert_ne!(other.cookie, user.cookie);
    s.shutdown().await;
}

async fn the_result_is_only_for_the_own_dossier(h: Harness) {
    let s = h.servers().await;
    let mut owner = EndUser::new(&s.host_url);
    let (d, p) = owner.embed_capture(&s.sim_url, "accepted").await;
    let process = final_result(&mut owner, &d, &p).await;
    assert_eq!(process["status"], "accepted");
    assert!(process["providerSpecific"]["ocr"].is_object());

    let mut other = EndUser::new(&s.host_url);
    let (d2, p2) = other.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut other, &d2, &p2).await;
    let unknown = json!({ "error": "unknown dossier or process" });
    // Another end-user (another cookie) and a request without a cookie: the same 404 as an
    // unknown id, no personal data.
    assert_eq!(other.result(&d, &p).await, (404, unknown.clone()));
    let mut nobody = EndUser::new(&s.host_url);
    assert_eq!(nobody.result(&d, &p).await, (404, unknown.clone()));
    assert!(nobody.cookie.is_none(), "no cookie is handed out here");
    let forged = client()
        .get(format!(
            "{}/api/videoid/result?dossierId={d}&processId={p}",
            s.host_url
        ))
        .header("cookie", "videoid_user=not-a-known-user")
        .send()
        .await
        .unwrap();
    assert_eq!(json(forged).await, (404, unknown.clone()));
    // The owner's dossier with a process of another dossier.
    assert_eq!(owner.result(&d, &p2).await, (404, unknown.clone()));
    // An unknown process in the own dossier.
    assert_eq!(owner.result(&d, "no-such-process").await, (404, unknown));
    // The owner still reads it.
    assert_eq!(owner.result(&d, &p).await.0, 200);
    s.shutdown().await;
}

async fn media_proxies_serve_only_the_own_dossier(h: Harness) {
    let s = h.servers().await;
    let mut owner = EndUser::new(&s.host_url);
    let (d, p) = owner.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut owner, &d, &p).await;

    let image = owner
        .get(&format!(
            "/api/videoid/images?processId={p}&depiction=selfie"
        ))
        .await;
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert_eq!(image.headers()["cache-control"], "private, no-store");
    let video = owner
        .get(&format!("/api/videoid/video?processId={p}"))
        .await;
    assert_eq!(video.status(), 200);
    assert_eq!(video.headers()["content-type"], "video/mp4");
    let zip = owner
        .get(&format!("/api/videoid/download?processId={p}"))
        .await;
    assert_eq!(zip.status(), 200);
    let entries = assure_simulator::zip::read_stored(&zip.bytes().await.unwrap()).unwrap();
    assert!(entries.iter().any(|(n, _)| n == "ocr.json"));

    let mut stranger = EndUser::new(&s.host_url);
    for path in [
        format!("/api/videoid/images?processId={p}&depiction=selfie"),
        format!("/api/videoid/video?processId={p}"),
        format!("/api/videoid/download?processId={p}"),
    ] {
        assert_error(stranger.get(&path).await, 404).await;
    }
    // Even with a dossier of their own, a stranger does not reach someone else's process.
    stranger.embed_capture(&s.sim_url, "accepted").await;
    assert_error(
        stranger
            .get(&format!("/api/videoid/video?processId={p}"))
            .await,
        404,
    )
    .await;
    let forged = client()
        .get(format!("{}/api/videoid/video?processId={p}", s.host_url))
        .header("cookie", "videoid_user=../../simulator")
        .send()
        .await
        .unwrap();
    assert_error(forged, 404).await;

    assert_error(
        owner
            .get("/api/videoid/images?processId=x&depiction=passport")
            .await,
        400,
    )
    .await;
    assert_error(owner.get("/api/videoid/video").await, 400).await;
    assert_error(owner.get("/api/videoid/video?processId=a/b").await, 400).await;

    // A process that is still pending has no zip yet.
    let (status, pending) = owner.session("", json!({ "mode": "native" })).await;
    assert_eq!(status, 200);
    let not_ready = owner
        .get(&format!(
            "/api/videoid/download?processId={}",
            pending["processId"].as_str().unwrap()
        ))
        .await;
    assert_eq!(not_ready.status(), 204);
    s.shutdown().await;
}

async fn delete_my_data_deletes_the_dossier_and_forgets_the_cookie(h: Harness) {
    let dir = temp_dir();
    let s = h.servers_on(&dir, |_| {}).await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut user, &d, &p).await;
    let url = format!("{}/api/videoid/dossier", s.host_url);
    let (status, body) = json(user.send(client().delete(&url)).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["dossierId"], d.as_str());
    assert!(user.cookie.is_none(), "the cookie is cleared");

    let token = token(&s.sim_url).await;
    let gone = sim(
        reqwest::Method::GET,
        format!("{}/assure/dossiers/{d}", s.sim_url),
        &token,
        None,
    )
    .await;
    assert_error(gone, 404).await;
    let left: Vec<String> = files_under(&dir)
        .into_iter()
        .filter(|f| !f.starts_with("pkg") && !f.starts_with("host/backend.sqlite"))
        .collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
    let census = s.store.census().await.unwrap();
    assert_eq!(
        (
            census.endusers,
            census.uploads,
            census.notified,
            census.tokens
        ),
        (0, 0, 0, 0),
        "nothing of the end-user is left in the database: {census:?}"
    );

    // Deleting again, or without a cookie, is a 404; a new session starts a new dossier.
    assert_error(user.send(client().delete(&url)).await, 404).await;
    let (d2, _) = user.embed_capture(&s.sim_url, "accepted").await;
    assert_ne!(d2, d);
    s.shutdown().await;
}

async fn a_dossier_deleted_upstream_is_replaced_on_the_next_session(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    let (d, _) = user.embed_capture(&s.sim_url, "accepted").await;
    let token = token(&s.sim_url).await;
    let r = sim(
        reqwest::Method::DELETE,
        format!("{}/assure/dossiers/{d}", s.sim_url),
        &token,
        None,
    )
    .await;
    assert_eq!(r.status(), 204);
    let (d2, _) = user.embed_capture(&s.sim_url, "accepted").await;
    assert_ne!(d2, d);
    let (_, dossier) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(dossier["dossierId"], d2.as_str());
    s.shutdown().await;
}

async fn cors_only_for_configured_origins(h: Harness) {
    let s = h
        .servers_with(|c| c.cors_origins = vec!["https://shop.example".into()])
        .await;
    let url = format!("{}/api/videoid/session", s.host_url);
    let preflight = |origin: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://shop.example").await.unwrap();
    assert_eq!(allowed.status(), 204);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    assert_eq!(
        allowed.headers()["access-control-allow-credentials"],
        "true"
    );
    assert!(allowed.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("PUT"));
    let denied = preflight("https://evil.example").await.unwrap();
    assert!(denied
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    assert_error(denied, 403).await;

    let post = client()
        .post(&url)
        .header("origin", "https://shop.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        post.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let other = client()
        .post(&url)
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    s.shutdown().await;

    // By default no origin is allowed.
    let s = h.servers().await;
    let r = client()
        .post(format!("{}/api/videoid/session", s.host_url))
        .header("origin", "https://shop.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    s.shutdown().await;
}

async fn nothing_secret_reaches_the_browser(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut user, &d, &p).await;
    let (_, native) = user.session("", json!({ "mode": "native" })).await;
    let mut bodies = vec![native.to_string()];
    for path in [
        "/api/videoid/dossier".to_string(),
        format!("/api/videoid/result?dossierId={d}&processId={p}"),
    ] {
        bodies.push(user.get(&path).await.text().await.unwrap());
    }
    for body in bodies {
        for secret in [
            CLIENT_SECRET,
            CLIENT_ID,
            "access_token",
            "authorization",
            "providerApiUrl",
            "Bearer",
        ] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }
    }
    s.shutdown().await;
}

async fn bad_backend_input_is_4xx_json(h: Harness) {
    let s = h
        .servers_with(|c| c.webhook_secret = Some(WEBHOOK_SECRET.to_string()))
        .await;
    let url = format!("{}/api/videoid/session", s.host_url);
    let text = client()
        .post(&url)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_error(text, 415).await;
    let mode = client()
        .post(&url)
        .json(&json!({ "mode": "hologram" }))
        .send()
        .await
        .unwrap();
    assert_error(mode, 400).await;
    let events = format!("{}/api/videoid/events/{WEBHOOK_SECRET}", s.host_url);
    for body in [
        json!({}),
        json!({ "id": "../x", "eventName": "process.complete", "eventData": { "dossierId": "a", "processId": "b" } }),
        json!({ "id": "e1", "eventName": "process.complete" }),
        json!({ "id": "e2", "eventName": "process.complete", "eventData": { "dossierId": "a b", "processId": "b" } }),
    ] {
        assert_error(
            client().post(&events).json(&body).send().await.unwrap(),
            400,
        )
        .await;
    }
    let big = client()
        .post(&url)
        .json(&json!({ "lang": "x".repeat(3 << 20) }))
        .send()
        .await
        .unwrap();
    assert_error(big, 413).await;
    let wrong_method = client().get(&url).send().await.unwrap();
    assert_error(wrong_method, 405).await;
    s.shutdown().await;
}

crate::simulator_tests!(
    the_same_end_user_gets_new_processes_in_the_same_dossier,
    the_result_is_only_for_the_own_dossier,
    media_proxies_serve_only_the_own_dossier,
    delete_my_data_deletes_the_dossier_and_forgets_the_cookie,
    a_dossier_deleted_upstream_is_replaced_on_the_next_session,
    cors_only_for_configured_origins,
    nothing_secret_reaches_the_browser,
    bad_backend_input_is_4xx_json,
);
