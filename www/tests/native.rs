//! The native capture contract end to end: session → uploads (relayed to Set images) →
//! complete (start verification) → result → media.

mod common;

use assure_simulator::zip;
use common::*;
use serde_json::{json, Value};

const STEPS: [(&str, &str); 3] = [
    ("front", "image/jpeg"),
    ("back", "image/jpeg"),
    ("selfie", "image/jpeg"),
];

/// Distinct, recognisable JPEG bytes per step.
fn artifact_bytes(step: &str) -> Vec<u8> {
    jpeg(step)
}

async fn native_session(user: &mut EndUser, query: &str) -> Value {
    let (status, session) = user
        .session(query, json!({ "mode": "native", "lang": "en" }))
        .await;
    assert_eq!(status, 200, "{session}");
    session
}

async fn put(
    host_url: &str,
    token: &str,
    step: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    client()
        .put(format!("{host_url}/api/videoid/upload/{step}"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn complete(host_url: &str, token: &str) -> (u16, Value) {
    json(
        client()
            .post(format!("{host_url}/api/videoid/upload/complete"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn native_session_uploads_complete_and_serves_exactly_the_uploaded_bytes(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    let session = native_session(&mut user, "").await;
    assert!(user.cookie.is_some(), "the end-user got a cookie");
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
        ],
        "no url in native answers"
    );
    assert_eq!(session["uploadUrl"], "/api/videoid/upload");
    assert_eq!(
        session["steps"],
        json!(["front", "back", "selfie"]),
        "no video step: Assure takes no video from the host"
    );
    assert_eq!(session["fileFallback"], true);
    let token = session["uploadToken"].as_str().unwrap();
    assert!(token.len() >= 22, "at least 128 bits");
    let dossier_id = session["dossierId"].as_str().unwrap();
    let process_id = session["processId"].as_str().unwrap();

    // Completing early names what is missing.
    let (status, body) = complete(&s.host_url, token).await;
    assert_eq!(status, 409);
    assert_eq!(body["missing"], json!(["front", "back", "selfie"]));
    assert!(body["error"].is_string());

    for (step, content_type) in STEPS {
        let quality = json!({ "sharpness": 0.9, "glare": false }).to_string();
        let response = client()
            .put(format!("{}/api/videoid/upload/{step}", s.host_url))
            .bearer_auth(token)
            .header("content-type", content_type)
            .header("x-videoid-quality", quality)
            .body(artifact_bytes(step))
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, 201, "{step}: {body}");
        assert_eq!(
            body,
            json!({ "step": step, "bytes": artifact_bytes(step).len() })
        );
        if step == "back" {
            let (status, body) = complete(&s.host_url, token).await;
            assert_eq!(status, 409);
            assert_eq!(body["missing"], json!(["selfie"]));
        }
    }
    // The stills went to Assure's Set images of a provider that takes direct uploads.
    let sim_token = common::token(&s.sim_url).await;
    let process_url = format!(
        "{}/assure/dossiers/{dossier_id}/processes/{process_id}",
        s.sim_url
    );
    let (_, upstream) =
        json(sim(reqwest::Method::GET, process_url.clone(), &sim_token, None).await).await;
    assert_eq!(upstream["provider"], "signicatpaper");
    assert_eq!(upstream["status"], "pending");
    assert!(
        upstream.get("processType").is_none(),
        "none asked for: omitted"
    );
    for (step, _) in STEPS {
        let r = sim(
            reqwest::Method::GET,
            format!("{process_url}/images?depiction={step}"),
            &sim_token,
            None,
        )
        .await;
        assert_eq!(r.status(), 200, "{step}");
        assert_eq!(r.bytes().await.unwrap().to_vec(), artifact_bytes(step));
    }
    // The same step again keeps the first upload.
    let again = put(
        &s.host_url,
        token,
        "front",
        "image/jpeg",
        b"\xff\xd8other".to_vec(),
    )
    .await;
    let (status, body) = json(again).await;
    assert_eq!(status, 200);
    assert_eq!(body["bytes"], artifact_bytes("front").len());

    let (status, done) = complete(&s.host_url, token).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done,
        json!({ "dossierId": dossier_id, "processId": process_id, "status": "processing" })
    );
    let (status, again) = complete(&s.host_url, token).await;
    assert_eq!((status, &again), (200, &done), "completion is idempotent");

    let process = final_result(&mut user, dossier_id, process_id).await;
    assert_eq!(process["status"], "accepted");
    assert_eq!(process["provider"], "signicatpaper");
    assert_eq!(
        process["providerSpecific"]["mrz"]["documentType"],
        "identityCard"
    );
    assert_eq!(
        process["providerSpecific"]["verification"]["status"],
        "true"
    );
    assert_eq!(process["finalResult"]["lastName"], "Nordmann");

    for (step, content_type) in STEPS {
        let r = user
            .get(&format!(
                "/api/videoid/images?processId={process_id}&depiction={step}"
            ))
            .await;
        assert_eq!(r.status(), 200, "{step}");
        assert_eq!(r.headers()["content-type"], content_type);
        assert_eq!(
            r.bytes().await.unwrap().to_vec(),
            artifact_bytes(step),
            "{step}"
        );
    }
    // Only what was uploaded: no portrait cut by VideoID, no video.
    let portrait = user
        .get(&format!(
            "/api/videoid/images?processId={process_id}&depiction=portrait"
        ))
        .await;
    assert_eq!(portrait.status(), 404);
    let video = user
        .get(&format!("/api/videoid/video?processId={process_id}"))
        .await;
    assert_eq!(video.status(), 404);

    let download = user
        .get(&format!("/api/videoid/download?processId={process_id}"))
        .await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/zip");
    assert!(download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let entries = zip::read_stored(&download.bytes().await.unwrap()).unwrap();
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["ocr.json", "front.jpeg", "back.jpeg", "selfie.jpeg"]
    );
    for (name, bytes) in &entries {
        let step = name.split('.').next().unwrap();
        if ["front", "back", "selfie"].contains(&step) {
            assert_eq!(
                bytes,
                &artifact_bytes(step),
                "{name} holds the uploaded bytes"
            );
        }
    }
    s.shutdown().await;
}

async fn the_session_scenario_applies_to_native_sessions(h: Harness) {
    let s = h.servers().await;
    for (scenario, status) in [
        ("rejected", "rejected"),
        ("inconclusive", "inconclusive"),
        ("failed-inactive", "failed"),
        ("canceled", "canceled"),
    ] {
        let mut user = EndUser::new(&s.host_url);
        let session = native_session(&mut user, &format!("?scenario={scenario}")).await;
        let token = session["uploadToken"].as_str().unwrap();
        for (step, content_type) in STEPS {
            assert_eq!(
                put(&s.host_url, token, step, content_type, artifact_bytes(step))
                    .await
                    .status(),
                201
            );
        }
        assert_eq!(complete(&s.host_url, token).await.0, 200);
        let process = final_result(
            &mut user,
            session["dossierId"].as_str().unwrap(),
            session["processId"].as_str().unwrap(),
        )
        .await;
        assert_eq!(process["status"], status, "{scenario}");
    }
    s.shutdown().await;
}

async fn uploads_refuse_bad_tokens_steps_types_and_sizes(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    let session = native_session(&mut user, "").await;
    let token = session["uploadToken"].as_str().unwrap();
    let jpeg = || b"\xff\xd8\xff\xe0 still".to_vec();

    assert_error(
        put(&s.host_url, "not-the-token", "front", "image/jpeg", jpeg()).await,
        401,
    )
    .await;
    let anonymous = client()
        .put(format!("{}/api/videoid/upload/front", s.host_url))
        .header("content-type", "image/jpeg")
        .body(jpeg())
        .send()
        .await
        .unwrap();
    assert_error(anonymous, 401).await;
    let (status, body) = complete(&s.host_url, "not-the-token").await;
    assert_eq!(status, 401, "{body}");
    assert_error(
        put(&s.host_url, token, "passport", "image/jpeg", jpeg()).await,
        404,
    )
    .await;
    assert_error(
        put(&s.host_url, token, "front", "image/png", jpeg()).await,
        415,
    )
    .await;
    assert_error(
        put(&s.host_url, token, "video", "video/webm", jpeg()).await,
        404,
    )
    .await;
    assert_error(
        put(
            &s.host_url,
            token,
            "front",
            "image/jpeg",
            b"GIF89a".to_vec(),
        )
        .await,
        400,
    )
    .await;
    assert_error(
        put(&s.host_url, token, "selfie", "image/jpeg", Vec::new()).await,
        400,
    )
    .await;
    assert_error(
        put(
            &s.host_url,
            token,
            "front",
            "image/jpeg",
            vec![0; (10 << 20) + 1],
        )
        .await,
        413,
    )
    .await;
    let big_quality = client()
        .put(format!("{}/api/videoid/upload/front", s.host_url))
        .bearer_auth(token)
        .header("content-type", "image/jpeg")
        .header("x-videoid-quality", format!("\"{}\"", "q".repeat(5000)))
        .body(jpeg())
        .send()
        .await
        .unwrap();
    assert_error(big_quality, 400).await;
    let front = put(&s.host_url, token, "front", "image/jpeg", jpeg()).await;
    assert_eq!(front.status(), 201);

    // One session's token cannot upload into another's process.
    let mut other = EndUser::new(&s.host_url);
    let second = native_session(&mut other, "").await;
    assert_ne!(second["uploadToken"], session["uploadToken"]);
    assert_ne!(second["dossierId"], session["dossierId"]);
    let (_, missing) = complete(&s.host_url, second["uploadToken"].as_str().unwrap()).await;
    assert_eq!(
        missing["missing"],
        json!(["front", "back", "selfie"]),
        "the front went to the first process only"
    );
    s.shutdown().await;
}

async fn upload_tokens_expire_with_the_session(h: Harness) {
    let s = h
        // Long enough that the first upload is in time even on a loaded machine.
        .servers_with(|c| c.session_lifetime = std::time::Duration::from_millis(2000))
        .await;
    let mut user = EndUser::new(&s.host_url);
    let session = native_session(&mut user, "").await;
    let expires = session["expiresAt"].as_str().unwrap();
    assert!(expires.ends_with('Z') && expires > videoid_backend::clock::now_rfc3339().as_str());
    let token = session["uploadToken"].as_str().unwrap();
    assert_eq!(
        put(
            &s.host_url,
            token,
            "front",
            "image/jpeg",
            artifact_bytes("front")
        )
        .await
        .status(),
        201
    );
    // Until the expiry the answer named has passed (by the same wall clock the server uses).
    let expires_ms = videoid_backend::clock::parse_rfc3339_ms(expires).unwrap();
    loop {
        let now_ms =
            videoid_backend::clock::parse_rfc3339_ms(&videoid_backend::clock::now_rfc3339())
                .unwrap();
        if now_ms > expires_ms + 50 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(expires_ms + 60 - now_ms)).await;
    }
    let late = put(
        &s.host_url,
        token,
        "back",
        "image/jpeg",
        artifact_bytes("back"),
    )
    .await;
    assert!(assert_error(late, 401).await.contains("expired"));
    let (status, _) = complete(&s.host_url, token).await;
    assert_eq!(status, 401);
    s.shutdown().await;
}

async fn native_capture_works_against_the_real_api_through_documented_endpoints_only(h: Harness) {
    // Another instance stands in for the real API: the backend uses no simulator knob there.
    let upstream = h.servers().await;
    let base_url = upstream.sim_url.clone();
    let s = h
        .servers_with(|c| {
            c.real = Some(videoid_www::config::RealAssure {
                client_id: CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                base_url,
            });
            c.native_provider = "onfido".into();
            c.native_process_type = Some("documentSelfie".into());
        })
        .await;
    let mut user = EndUser::new(&s.host_url);
    let session = native_session(&mut user, "?scenario=rejected").await;
    let token = session["uploadToken"].as_str().unwrap();
    for (step, content_type) in STEPS {
        let r = put(&s.host_url, token, step, content_type, artifact_bytes(step)).await;
        assert_eq!(r.status(), 201, "{step}");
    }
    assert_eq!(complete(&s.host_url, token).await.0, 200);
    let process = final_result(
        &mut user,
        session["dossierId"].as_str().unwrap(),
        session["processId"].as_str().unwrap(),
    )
    .await;
    assert_eq!(process["provider"], "onfido");
    assert_eq!(process["processType"], "documentSelfie");
    assert_eq!(
        process["status"], "accepted",
        "the scenario knob is ignored with the real API"
    );
    s.shutdown().await;
    upstream.shutdown().await;
}

crate::simulator_tests!(
    native_session_uploads_complete_and_serves_exactly_the_uploaded_bytes,
    the_session_scenario_applies_to_native_sessions,
    uploads_refuse_bad_tokens_steps_types_and_sizes,
    upload_tokens_expire_with_the_session,
    native_capture_works_against_the_real_api_through_documented_endpoints_only,
);
