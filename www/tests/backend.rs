//! The reference host backend over real HTTP, against the in-process simulator.

mod common;

use common::*;
use serde_json::{json, Value};
use videoid_www::config::RealAssure;

/// Starts a session, finishes its capture with `outcome`, returns the final process.
async fn run_scenario(host_url: &str, sim_url: &str, scenario: &str) -> Value {
    let mut user = EndUser::new(host_url);
    let (status, session) = user
        .session(&format!("?scenario={scenario}&auto=1"), json!({}))
        .await;
    assert_eq!(status, 200, "{session}");
    let art_id = artifact_of(session["url"].as_str().unwrap());
    let art = artifact(sim_url, &art_id).await;
    assert_eq!(art["scenario"], scenario);
    assert_eq!(art["auto"], true);
    assert_eq!(art["dossierId"], session["dossierId"]);
    assert_eq!(
        art["redirectUrl"],
        format!("{host_url}/videoid/return").as_str()
    );
    let (status, finished) = finish(sim_url, &art_id, scenario).await;
    assert_eq!(status, 200, "{finished}");
    let dossier_id = session["dossierId"].as_str().unwrap();
    let process_id = art["processId"].as_str().unwrap();
    let process = final_result(&mut user, dossier_id, process_id).await;
    assert_eq!(process["processId"], process_id);
    assert_eq!(process["provider"], "signicatvideoid");
    assert!(process["createdAt"].is_string() && process["updatedAt"].is_string());
    process
}

#[tokio::test]
async fn session_answers_a_capture_url_on_the_simulator_origin() {
    let s = servers().await;
    let (status, body) = session(&s.host_url, "").await;
    assert_eq!(status, 200, "{body}");
    let url = body["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/capture/", s.sim_url)), "{url}");
    assert!(url.contains("#/artifact="));
    assert!(!body["dossierId"].as_str().unwrap().is_empty());
    assert_eq!(body["framing"], "allowed");
    assert!(body["expiresAt"].as_str().unwrap().ends_with('Z'));
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys.len(),
        4,
        "only url, dossierId, expiresAt, framing: {keys:?}"
    );
    s.shutdown().await;
}

#[tokio::test]
async fn session_reports_denied_framing() {
    let s = servers().await;
    let (status, body) = session(&s.host_url, "?framing=deny").await;
    assert_eq!(status, 200, "{body}");
    assert!(body["url"]
        .as_str()
        .unwrap()
        .contains("/capture/?framing=deny#/artifact="));
    assert_eq!(body["framing"], "denied");
    s.shutdown().await;
}

#[tokio::test]
async fn session_framing_follows_the_simulator_allowlist() {
    let s =
        servers_with(|c| c.sim_frame_ancestors = Some("https://elsewhere.example".into())).await;
    let (_, body) = session(&s.host_url, "").await;
    assert_eq!(body["framing"], "denied");
    s.shutdown().await;
}

#[tokio::test]
async fn session_passes_the_language_on() {
    let s = servers().await;
    let response = client()
        .post(format!("{}/api/videoid/session", s.host_url))
        .json(&json!({ "lang": "nb", "mode": "embed" }))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");
    let bad = client()
        .post(format!("{}/api/videoid/session", s.host_url))
        .json(&json!({ "lang": "<script>" }))
        .send()
        .await
        .unwrap();
    assert_error(bad, 400).await;
    s.shutdown().await;
}

#[tokio::test]
async fn backend_error_scenario_is_a_500_without_upstream_detail() {
    let s = servers().await;
    let response = client()
        .post(format!(
            "{}/api/videoid/session?scenario=backend-error",
            s.host_url
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let message = assert_error(response, 500).await;
    let lower = message.to_lowercase();
    assert!(!lower.contains("token") && !lower.contains(CLIENT_SECRET) && !lower.contains("http"));
    s.shutdown().await;
}

#[tokio::test]
async fn bad_session_requests_are_400_json() {
    let s = servers().await;
    let url = format!("{}/api/videoid/session", s.host_url);
    for query in ["?scenario=explode", "?auto=maybe", "?framing=sometimes"] {
        let response = client()
            .post(format!("{url}{query}"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_error(response, 400).await;
    }
    let post = |body: &'static str| {
        client()
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
    };
    assert_error(post("{nope").send().await.unwrap(), 400).await;
    assert_error(post("[1,2]").send().await.unwrap(), 400).await;
    // An empty JSON body reads as {}; a body of no declared type is refused (attacks.rs).
    let (status, _) = json(post("").send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_error(client().post(&url).send().await.unwrap(), 415).await;
    s.shutdown().await;
}

#[tokio::test]
async fn accepted_has_a_final_result() {
    let s = servers().await;
    let p = run_scenario(&s.host_url, &s.sim_url, "accepted").await;
    assert_eq!(p["status"], "accepted");
    assert_eq!(p["finalResult"]["lastName"], "Nordmann");
    let ocr = &p["providerSpecific"]["ocr"];
    assert_eq!(ocr["similarityScore"], "high");
    assert_eq!(ocr["livenessDetected"], "true");
    let checks = ocr["securityChecks"].as_object().unwrap();
    assert!(checks.values().all(|c| c["valid"] == true), "{checks:?}");
    // The default VIDEOID_PROCESS_TYPE ends by itself: no agent, no manualApproval.
    assert_eq!(p["processType"], "substantialFullyAuto");
    assert!(p["providerSpecific"].get("manualApproval").is_none());
    assert!(p.get("failReason").is_none());
    s.shutdown().await;
}

#[tokio::test]
async fn rejected_has_an_invalid_check_and_a_reason() {
    let s = servers().await;
    let p = run_scenario(&s.host_url, &s.sim_url, "rejected").await;
    assert_eq!(p["status"], "rejected");
    assert!(p.get("finalResult").is_none());
    assert_eq!(
        p["providerSpecific"]["ocr"]["securityChecks"]["nonExpired"]["valid"],
        false
    );
    // No agent reviewed it (an agent's reasons: tests in review.rs).
    assert!(p["providerSpecific"].get("manualApproval").is_none());
    s.shutdown().await;
}

#[tokio::test]
async fn inconclusive_has_medium_similarity() {
    let s = servers().await;
    let p = run_scenario(&s.host_url, &s.sim_url, "inconclusive").await;
    assert_eq!(p["status"], "inconclusive");
    assert!(p.get("finalResult").is_none());
    assert_eq!(p["providerSpecific"]["ocr"]["similarityScore"], "medium");
    s.shutdown().await;
}

#[tokio::test]
async fn failed_inactive_has_its_fail_reason() {
    let s = servers().await;
    let p = run_scenario(&s.host_url, &s.sim_url, "failed-inactive").await;
    assert_eq!(p["status"], "failed");
    assert_eq!(p["failReason"]["type"], "InactiveUser.Aborted");
    assert_eq!(
        p["failReason"]["message"],
        "There has been no interaction with the video"
    );
    assert!(p.get("finalResult").is_none());
    assert!(p.get("providerSpecific").is_none());
    s.shutdown().await;
}

#[tokio::test]
async fn a_new_process_is_pending() {
    let s = servers().await;
    let mut user = EndUser::new(&s.host_url);
    let (_, body) = user.session("?scenario=no-interaction", json!({})).await;
    let art = artifact(&s.sim_url, &artifact_of(body["url"].as_str().unwrap())).await;
    assert_eq!(art["auto"], false);
    let (status, process) = user
        .result(
            body["dossierId"].as_str().unwrap(),
            art["processId"].as_str().unwrap(),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(process["status"], "pending");
    s.shutdown().await;
}

#[tokio::test]
async fn the_result_endpoint_validates_ids() {
    let s = servers().await;
    let get = |query: &'static str| {
        client()
            .get(format!("{}/api/videoid/result{query}", s.host_url))
            .send()
    };
    assert_error(get("").await.unwrap(), 400).await;
    assert_error(get("?dossierId=abc").await.unwrap(), 400).await;
    assert_error(get("?dossierId=a%2Fb&processId=c").await.unwrap(), 400).await;
    assert_error(get("?dossierId=a%20b&processId=c").await.unwrap(), 400).await;
    assert_error(get("?dossierId=abc&processId=").await.unwrap(), 400).await;
    let long = format!("?dossierId={}&processId=c", "x".repeat(129));
    let response = client()
        .get(format!("{}/api/videoid/result{long}", s.host_url))
        .send()
        .await
        .unwrap();
    assert_error(response, 400).await;
    assert_error(get("?dossierId=abc&processId=def").await.unwrap(), 404).await;
    s.shutdown().await;
}

#[tokio::test]
async fn real_mode_ignores_the_simulator_query_and_sends_no_simulator_block() {
    // A first instance plays "the real API"; the second talks to it in real mode.
    let upstream = servers().await;
    let base_url = upstream.sim_url.clone();
    let s = servers_with(|c| {
        c.real = Some(RealAssure {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            base_url,
        })
    })
    .await;
    assert_eq!(s.real_assure.as_deref(), Some(upstream.sim_url.as_str()));
    let (status, body) = session(&s.host_url, "?scenario=backend-error&auto=1&framing=deny").await;
    assert_eq!(status, 200, "{body}");
    let url = body["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/capture/#", upstream.sim_url)),
        "{url}"
    );
    let art = artifact(&upstream.sim_url, &artifact_of(url)).await;
    assert_eq!(art["scenario"], Value::Null);
    assert_eq!(art["auto"], false);
    assert_eq!(
        art["redirectUrl"],
        format!("{}/videoid/return", s.host_url).as_str()
    );
    s.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn upstream_failures_are_502_without_detail() {
    let upstream = servers().await;
    let base_url = upstream.sim_url.clone();
    // An end-user the backend already knows (their record survives from an earlier run),
    // so the result endpoint reaches the upstream call.
    let data_dir = temp_dir();
    let records = data_dir.join("host").join("endusers");
    std::fs::create_dir_all(&records).unwrap();
    std::fs::write(
        records.join("known-user.json"),
        json!({ "id": "known-user", "dossierId": "a", "createdAt": "2025-01-01T00:00:00.000Z" })
            .to_string(),
    )
    .unwrap();
    let s = servers_with(|c| {
        c.data_dir = data_dir;
        c.real = Some(RealAssure {
            client_id: CLIENT_ID.into(),
            client_secret: "not-the-secret".into(),
            base_url,
        })
    })
    .await;
    let response = client()
        .post(format!("{}/api/videoid/session", s.host_url))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let message = assert_error(response, 502).await;
    assert!(
        !message.contains("invalid_client") && !message.contains("not-the-secret"),
        "{message}"
    );
    let mut known = EndUser::new(&s.host_url);
    known.cookie = Some("known-user".into());
    let (status, body) = known.result("a", "b").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body.as_object().unwrap().len(), 1, "only an error: {body}");
    s.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn a_page_loaded_from_127_0_0_1_returns_to_127_0_0_1() {
    let s = servers().await;
    let alias = s.host_url.replace("://localhost:", "://127.0.0.1:");
    let (status, body) = session(&alias, "?scenario=accepted").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["framing"], "allowed");
    let art = artifact(&s.sim_url, &artifact_of(body["url"].as_str().unwrap())).await;
    assert_eq!(
        art["redirectUrl"],
        format!("{alias}/videoid/return").as_str()
    );
    s.shutdown().await;
}
