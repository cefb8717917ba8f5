//! The hosted capture page's own capture on the simulator origin, scoped to the artifact of
//! the capture URL: with `sdk: "capture"` the component's `…/native-session`,
//! `…/upload/{step}`, `…/upload/complete`; with `sdk: "native"` VideoID's web SDK with the
//! process's authorization.

mod common;

use assure_simulator::zip;
use common::*;
use serde_json::{json, Value};

const STEPS: [(&str, &str); 4] = [
    ("front", "image/jpeg"),
    ("back", "image/jpeg"),
    ("selfie", "image/jpeg"),
    ("video", "video/webm"),
];

/// Distinct, recognisable bytes per step.
fn artifact_bytes(step: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe1];
    bytes.extend((0..4000u32).map(|i| (i as u8).wrapping_mul(7) ^ step.as_bytes()[0]));
    bytes.extend_from_slice(step.as_bytes());
    bytes
}

/// An embed session of a new end-user: `(user, dossierId, artifact)`.
async fn embed(s: &Servers, query: &str) -> (EndUser, String, String) {
    let mut user = EndUser::new(&s.host_url);
    let (status, session) = user.session(query, json!({ "lang": "nb" })).await;
    assert_eq!(status, 200, "{session}");
    let dossier_id = session["dossierId"].as_str().unwrap().to_string();
    (
        user,
        dossier_id,
        artifact_of(session["url"].as_str().unwrap()),
    )
}

fn api(sim_url: &str, art: &str, rest: &str) -> String {
    format!("{sim_url}/capture/api/artifact/{art}{rest}")
}

async fn native_session(sim_url: &str, art: &str) -> (u16, Value) {
    json(
        client()
            .post(api(sim_url, art, "/native-session"))
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn put(
    sim_url: &str,
    art: &str,
    token: &str,
    step: &str,
    content_type: &str,
) -> (u16, Value) {
    let response = client()
        .put(api(sim_url, art, &format!("/upload/{step}")))
        .bearer_auth(token)
        .header("content-type", content_type)
        .header("x-videoid-quality", r#"{"sharpness":0.8}"#)
        .body(artifact_bytes(step))
        .send()
        .await
        .unwrap();
    json(response).await
}

async fn complete(sim_url: &str, art: &str, token: &str) -> (u16, Value) {
    json(
        client()
            .post(api(sim_url, art, "/upload/complete"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn the_page_loads_the_component_under_a_policy_that_allows_it(h: Harness) {
    let s = h.servers().await;
    let page = client()
        .get(format!("{}/capture/", s.sim_url))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    for directive in [
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(
        csp.contains("frame-ancestors 'self' http://localhost:"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Test controls"), "the outcome buttons stay");
    let js = client()
        .get(format!("{}/capture/capture.js", s.sim_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "/pkg/videoid-capture.js",
        "\"native\"",
        "/native-session",
        "videoid-complete",
    ] {
        assert!(js.contains(needle), "{needle} in capture.js");
    }
    s.shutdown().await;
}

async fn native_session_uploads_and_complete_give_the_process_the_captured_bytes(h: Harness) {
    let s = h.servers().await;
    let (mut user, dossier_id, art) = embed(&s, "?scenario=accepted").await;
    let view = artifact(&s.sim_url, &art).await;
    let process_id = view["processId"].as_str().unwrap().to_string();

    let (status, session) = native_session(&s.sim_url, &art).await;
    assert_eq!(status, 200, "{session}");
    let keys: Vec<&String> = session.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "dossierId",
            "expiresAt",
            "fileFallback",
            "processId",
            "steps",
            "uploadToken",
            "uploadUrl"
        ]
    );
    assert_eq!(session["dossierId"], dossier_id.as_str());
    assert_eq!(session["processId"], process_id.as_str());
    assert_eq!(
        session["uploadUrl"],
        format!("/capture/api/artifact/{art}/upload").as_str()
    );
    assert_eq!(
        session["steps"],
        json!(["front", "back", "selfie", "video"])
    );
    assert_eq!(session["fileFallback"], true);
    assert!(session["expiresAt"].as_str().unwrap().ends_with('Z'));
    let token = session["uploadToken"].as_str().unwrap().to_string();
    assert!(token.len() >= 22, "at least 128 bits");
    assert!(!art.contains(&token) && token != art);
    // One token per artifact: a second session (a retry) answers the same one.
    let (_, again) = native_session(&s.sim_url, &art).await;
    assert_eq!(again["uploadToken"], token.as_str());
    // Another artifact has another token.
    let (_, _, other_art) = embed(&s, "").await;
    let (_, other) = native_session(&s.sim_url, &other_art).await;
    assert_ne!(other["uploadToken"], token.as_str());

    // Wrong, missing, or another artifact's token: 401.
    let (status, _) = put(&s.sim_url, &art, "not-the-token", "front", "image/jpeg").await;
    assert_eq!(status, 401);
    let other_token = other["uploadToken"].as_str().unwrap();
    let (status, _) = put(&s.sim_url, &art, other_token, "front", "image/jpeg").await;
    assert_eq!(status, 401);
    let anonymous = client()
        .put(api(&s.sim_url, &art, "/upload/front"))
        .header("content-type", "image/jpeg")
        .body(artifact_bytes("front"))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, 401).await;
    assert_eq!(complete(&s.sim_url, &art, "not-the-token").await.0, 401);
    // Unknown step and wrong type, as on the host backend's upload path.
    assert_eq!(
        put(&s.sim_url, &art, &token, "palm", "image/jpeg").await.0,
        404
    );
    assert_eq!(
        put(&s.sim_url, &art, &token, "front", "image/png").await.0,
        415
    );

    let (status, early) = complete(&s.sim_url, &art, &token).await;
    assert_eq!(status, 409);
    assert_eq!(
        early["missing"],
        json!(["front", "back", "selfie", "video"])
    );
    for (step, content_type) in STEPS {
        let (status, body) = put(&s.sim_url, &art, &token, step, content_type).await;
        assert_eq!(status, 201, "{step}: {body}");
        assert_eq!(
            body,
            json!({ "step": step, "bytes": artifact_bytes(step).len() })
        );
    }
    // The same step again keeps the first upload.
    let (status, body) = put(&s.sim_url, &art, &token, "front", "image/jpeg").await;
    assert_eq!(status, 200);
    assert_eq!(body["bytes"], artifact_bytes("front").len());

    let (status, done) = complete(&s.sim_url, &art, &token).await;
    assert_eq!(status, 200, "{done}");
    let expected =
        json!({ "dossierId": dossier_id, "processId": process_id, "status": "processing" });
    assert_eq!(done, expected);
    assert_eq!(
        complete(&s.sim_url, &art, &token).await,
        (200, expected),
        "idempotent"
    );
    // The session is over: no new session, no outcome button, no more uploads.
    assert_eq!(native_session(&s.sim_url, &art).await.0, 409);
    assert_eq!(finish(&s.sim_url, &art, "rejected").await.0, 409);
    assert_eq!(artifact(&s.sim_url, &art).await["finished"], true);

    let process = final_result(&mut user, &dossier_id, &process_id).await;
    assert_eq!(process["status"], "accepted");
    assert_eq!(
        process["providerSpecific"]["ocr"]["documentType"], "identityCard",
        "an uploaded back side"
    );
    for (step, content_type) in STEPS.iter().take(3) {
        let r = user
            .get(&format!(
                "/api/videoid/images?processId={process_id}&depiction={step}"
            ))
            .await;
        assert_eq!(r.status(), 200, "{step}");
        assert_eq!(r.headers()["content-type"], *content_type);
        assert_eq!(r.bytes().await.unwrap().to_vec(), artifact_bytes(step));
    }
    let video = user
        .get(&format!("/api/videoid/video?processId={process_id}"))
        .await;
    assert_eq!(video.headers()["content-type"], "video/webm");
    assert_eq!(
        video.bytes().await.unwrap().to_vec(),
        artifact_bytes("video")
    );
    let download = user
        .get(&format!("/api/videoid/download?processId={process_id}"))
        .await;
    let entries = zip::read_stored(&download.bytes().await.unwrap()).unwrap();
    for (name, bytes) in &entries {
        let step = name.split('.').next().unwrap();
        if ["front", "back", "selfie", "video"].contains(&step) {
            assert_eq!(bytes, &artifact_bytes(step), "{name}");
        }
    }
    assert!(entries.iter().any(|(n, _)| n == "video.webm"));
    s.shutdown().await;
}

async fn completion_runs_the_scenario_of_the_capture_flow(h: Harness) {
    let s = h.servers().await;
    let (mut user, dossier_id, art) = embed(&s, "?scenario=rejected").await;
    let (_, session) = native_session(&s.sim_url, &art).await;
    let token = session["uploadToken"].as_str().unwrap();
    for (step, content_type) in STEPS {
        assert_eq!(
            put(&s.sim_url, &art, token, step, content_type).await.0,
            201
        );
    }
    assert_eq!(complete(&s.sim_url, &art, token).await.0, 200);
    let process_id = session["processId"].as_str().unwrap();
    let process = final_result(&mut user, &dossier_id, process_id).await;
    assert_eq!(process["status"], "rejected");
    s.shutdown().await;
}

async fn unknown_or_finished_artifacts_take_nothing(h: Harness) {
    let s = h.servers().await;
    assert_error(
        client()
            .post(api(&s.sim_url, "no-such-artifact", "/native-session"))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    for path in ["/upload/front", "/upload/complete"] {
        let method = if path.ends_with("complete") {
            reqwest::Method::POST
        } else {
            reqwest::Method::PUT
        };
        let response = client()
            .request(method, api(&s.sim_url, "no-such-artifact", path))
            .bearer_auth("whatever")
            .header("content-type", "image/jpeg")
            .body(artifact_bytes("front"))
            .send()
            .await
            .unwrap();
        assert_error(response, 404).await;
    }

    // Finished with a button first: the component's session and uploads are refused.
    let (_, _, art) = embed(&s, "").await;
    let (_, session) = native_session(&s.sim_url, &art).await;
    let upload_token = session["uploadToken"].as_str().unwrap();
    assert_eq!(finish(&s.sim_url, &art, "accepted").await.0, 200);
    assert_eq!(native_session(&s.sim_url, &art).await.0, 409);
    let (status, body) = put(&s.sim_url, &art, upload_token, "front", "image/jpeg").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(complete(&s.sim_url, &art, upload_token).await.0, 409);

    // Set images refuses a VideoID process of a capture flow: VideoID takes no direct upload.
    let (_, dossier_id, art) = embed(&s, "").await;
    let process_id = artifact(&s.sim_url, &art).await["processId"]
        .as_str()
        .unwrap()
        .to_string();
    let token = token(&s.sim_url).await;
    let images = json!({ "front": data_url("image/jpeg", &artifact_bytes("front")) });
    let response = sim(
        reqwest::Method::POST,
        format!(
            "{}/assure/dossiers/{dossier_id}/processes/{process_id}/images",
            s.sim_url
        ),
        &token,
        Some(images),
    )
    .await;
    assert_error(response, 400).await;
    s.shutdown().await;
}

async fn an_expired_upload_token_is_401(h: Harness) {
    // Long enough that the renewed token below is still valid for its upload on a loaded
    // machine (at 200 ms, a busy CI run once saw it expire between renewal and upload).
    const LIFETIME_MS: u64 = 1500;
    let s = h
        .servers_with(|c| c.session_lifetime = std::time::Duration::from_millis(LIFETIME_MS))
        .await;
    let (_, _, art) = embed(&s, "").await;
    let (_, session) = native_session(&s.sim_url, &art).await;
    let token = session["uploadToken"].as_str().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(LIFETIME_MS + 100)).await;
    let (status, body) = put(&s.sim_url, &art, token, "front", "image/jpeg").await;
    assert_eq!(status, 401, "{body}");
    // A new session (the component's retry) renews it.
    let (_, renewed) = native_session(&s.sim_url, &art).await;
    assert_eq!(renewed["uploadToken"], token);
    assert_eq!(
        put(&s.sim_url, &art, token, "front", "image/jpeg").await.0,
        201
    );
    s.shutdown().await;
}

async fn with_sdk_native_the_page_gets_what_videoid_s_web_sdk_starts_with(h: Harness) {
    let s = h.servers().await;
    // The session endpoint's simulator knob picks the sdk of "Start capture flow".
    let (mut user, dossier_id, art) = embed(&s, "?capture-sdk=native&scenario=rejected").await;
    let session = artifact(&s.sim_url, &art).await;
    assert_eq!(session["sdk"], "native");
    assert_eq!(session["idType"], 2, "a two-sided document by default");
    assert_eq!(session["providerApiUrl"], format!("{}/provider", s.sim_url));
    assert_eq!(session["uiLanguage"], "nb");
    let process_id = session["processId"].as_str().unwrap().to_string();
    let video = sdk_video(
        session["providerApiUrl"].as_str().unwrap(),
        session["authorization"].as_str().unwrap(),
        2,
    )
    .await;
    assert_eq!(video["phases"], json!(["FRONT", "BACK", "FACE"]));
    // The SDK finished the hosted session: the page's buttons can no longer.
    assert!(artifact(&s.sim_url, &art).await["finished"] == true);
    assert_eq!(finish(&s.sim_url, &art, "accepted").await.0, 409);
    let process = final_result(&mut user, &dossier_id, &process_id).await;
    assert_eq!(process["status"], "rejected");
    let front = user
        .get(&format!(
            "/api/videoid/images?processId={process_id}&depiction=front"
        ))
        .await;
    assert_eq!(front.bytes().await.unwrap().to_vec(), jpeg("front"));

    // With sdk "capture" the page has no authorization: it runs the component.
    let (_, _, art) = embed(&s, "?capture-sdk=capture").await;
    let session = artifact(&s.sim_url, &art).await;
    assert_eq!(session["sdk"], "capture");
    assert!(session.get("authorization").is_none() && session.get("idType").is_none());
    s.shutdown().await;
}

async fn the_backend_s_capture_sdk_is_a_setting_and_the_ui_profile_picks_the_document(h: Harness) {
    let s = h.servers_with(|c| c.capture_sdk = "native".into()).await;
    let (_, _, art) = embed(&s, "").await;
    assert_eq!(artifact(&s.sim_url, &art).await["sdk"], "native");
    let (status, _) = embed_status(&s, "?capture-sdk=web").await;
    assert_eq!(status, 400);

    // A capture configuration's first allowed VideoID document type is the page's idType.
    let token = token(&s.sim_url).await;
    let cfg = json!({ "signicatvideoidConfig": { "allowedIdTypes": [999, 1] } });
    let url = format!("{}/assure/capture/configurations", s.sim_url);
    let (_, cfg) = json(sim(reqwest::Method::POST, url, &token, Some(cfg)).await).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let body = json!({
        "providers": [{ "provider": "eid", "processType": "substantial" }],
        "sdk": "native",
        "redirectUrl": "https://host.example/return",
        "captureParameters": { "uiProfile": cfg["configurationId"] },
    });
    let url = format!("{}/assure/dossiers/{d}/capture", s.sim_url);
    let (_, capture) = json(sim(reqwest::Method::POST, url, &token, Some(body)).await).await;
    let session = artifact(&s.sim_url, &artifact_of(capture["url"].as_str().unwrap())).await;
    assert_eq!(session["idType"], 1);
    let video = sdk_video(
        session["providerApiUrl"].as_str().unwrap(),
        session["authorization"].as_str().unwrap(),
        1,
    )
    .await;
    assert_eq!(
        video["phases"],
        json!(["FRONT", "FACE"]),
        "a passport has no back"
    );
    s.shutdown().await;
}

async fn embed_status(s: &Servers, query: &str) -> (u16, Value) {
    EndUser::new(&s.host_url).session(query, json!({})).await
}

crate::simulator_tests!(
    the_page_loads_the_component_under_a_policy_that_allows_it,
    native_session_uploads_and_complete_give_the_process_the_captured_bytes,
    completion_runs_the_scenario_of_the_capture_flow,
    unknown_or_finished_artifacts_take_nothing,
    an_expired_upload_token_is_401,
    with_sdk_native_the_page_gets_what_videoid_s_web_sdk_starts_with,
    the_backend_s_capture_sdk_is_a_setting_and_the_ui_profile_picks_the_document,
);
