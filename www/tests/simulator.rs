//! The Assure simulator over real HTTP: token, dossiers, capture, processes, capture page.

mod common;

use common::*;
use serde_json::{json, Value};

async fn token_with_the_right_client_credentials(h: Harness) {
    let s = h.servers().await;
    let response = client()
        .post(format!("{}/auth/open/connect/token", s.sim_url))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "signicat-api"),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 600);
    assert!(body["access_token"].as_str().unwrap().len() >= 32);
    s.shutdown().await;
}

async fn token_refused_without_the_right_credentials_or_grant(h: Harness) {
    let s = h.servers().await;
    let url = format!("{}/auth/open/connect/token", s.sim_url);
    let wrong = client()
        .post(&url)
        .basic_auth(CLIENT_ID, Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.headers()["www-authenticate"], "Bearer");
    assert_error(wrong, 401).await;
    let none = client()
        .post(&url)
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_error(none, 401).await;
    let no_grant = client()
        .post(&url)
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_error(no_grant, 401).await, "unsupported_grant_type");
    let password = client()
        .post(&url)
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_error(password, 401).await;
    s.shutdown().await;
}

async fn assure_paths_need_a_valid_bearer_token(h: Harness) {
    let s = h.servers().await;
    let url = format!("{}/assure/dossiers", s.sim_url);
    let none = client().post(&url).json(&json!({})).send().await.unwrap();
    assert_error(none, 401).await;
    let bogus = client()
        .post(&url)
        .bearer_auth("made-up")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_error(bogus, 401).await;
    let basic = client()
        .post(&url)
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_error(basic, 401).await;
    s.shutdown().await;
}

async fn create_dossier(sim_url: &str, token: &str) -> Value {
    let response = client()
        .post(format!("{sim_url}/assure/dossiers"))
        .bearer_auth(token)
        .json(&json!({ "externalReference": "customer-42" }))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 201, "{body}");
    body
}

async fn start_capture(
    sim_url: &str,
    token: &str,
    dossier_id: &str,
    body: Value,
) -> reqwest::Response {
    client()
        .post(format!("{sim_url}/assure/dossiers/{dossier_id}/capture"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn capture_body(provider: &str) -> Value {
    json!({
        "providers": [{ "provider": provider, "processType": "substantialFullyAuto" }],
        "sdk": "capture",
        "redirectUrl": "http://localhost:8080/videoid/return",
        "captureParameters": { "uiLanguage": "en" },
        "simulator": { "scenario": "accepted", "auto": true },
    })
}

async fn dossier_capture_and_process_lifecycle(h: Harness) {
    // A final delay long enough that "still processing" is read before it ends, even on a
    // loaded machine; the final status is then waited for, not slept for.
    let s = h
        .servers_with(|c| c.sim_final_delay = std::time::Duration::from_millis(1500))
        .await;
    let token = token(&s.sim_url).await;
    let dossier = create_dossier(&s.sim_url, &token).await;
    let dossier_id = dossier["dossierId"].as_str().unwrap().to_string();
    assert_eq!(dossier["externalReference"], "customer-42");
    assert!(dossier["createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(dossier["updatedAt"].is_string());

    let response = start_capture(
        &s.sim_url,
        &token,
        &dossier_id,
        capture_body("signicatvideoid"),
    )
    .await;
    let (status, capture) = json(response).await;
    assert_eq!(status, 201, "{capture}");
    let url = capture["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/capture/#/artifact=", s.sim_url)),
        "{url}"
    );

    let art = artifact(&s.sim_url, &artifact_of(url)).await;
    assert_eq!(art["dossierId"], dossier_id.as_str());
    assert_eq!(art["redirectUrl"], "http://localhost:8080/videoid/return");
    assert_eq!(art["scenario"], "accepted");
    assert_eq!(art["auto"], true);
    let process_id = art["processId"].as_str().unwrap().to_string();

    let process_url = format!(
        "{}/assure/dossiers/{dossier_id}/processes/{process_id}",
        s.sim_url
    );
    let (status, process) = json(
        client()
            .get(&process_url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(process["status"], "pending");
    assert_eq!(process["provider"], "signicatvideoid");
    assert_eq!(process["processType"], "substantialFullyAuto");
    assert_eq!(process["processId"], process_id.as_str());
    assert!(process.get("failReason").is_none());

    let dossier_url = format!("{}/assure/dossiers/{dossier_id}", s.sim_url);
    let (status, full) = json(
        client()
            .get(&dossier_url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(full["processes"][0]["processId"], process_id.as_str());

    let (status, finished) = finish(&s.sim_url, &artifact_of(url), "rejected").await;
    assert_eq!(status, 200);
    assert_eq!(finished["status"], "processing");
    let (_, process) = json(
        client()
            .get(&process_url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(process["status"], "processing");
    let (status, again) = finish(&s.sim_url, &artifact_of(url), "accepted").await;
    assert_eq!(status, 409, "{again}");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let process = loop {
        let (_, process) = json(
            client()
                .get(&process_url)
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await;
        if process["status"] != "processing" || std::time::Instant::now() > deadline {
            break process;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(process["status"], "rejected");
    assert_eq!(
        process["providerSpecific"]["ocr"]["securityChecks"]["nonExpired"]["valid"],
        false
    );
    s.shutdown().await;
}

async fn the_eid_provider_name_is_the_same_provider(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let dossier = create_dossier(&s.sim_url, &token).await;
    let id = dossier["dossierId"].as_str().unwrap();
    let mut body = capture_body("eid");
    body.as_object_mut().unwrap().remove("sdk");
    let (status, capture) = json(start_capture(&s.sim_url, &token, id, body).await).await;
    assert_eq!(status, 201, "{capture}");
    let art = artifact(&s.sim_url, &artifact_of(capture["url"].as_str().unwrap())).await;
    let pid = art["processId"].as_str().unwrap();
    let url = format!("{}/assure/dossiers/{id}/processes/{pid}", s.sim_url);
    let (_, process) = json(client().get(&url).bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(process["provider"], "signicatvideoid");
    s.shutdown().await;
}

async fn bad_capture_requests_are_4xx_json(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let dossier = create_dossier(&s.sim_url, &token).await;
    let id = dossier["dossierId"].as_str().unwrap();

    let mut no_redirect = capture_body("signicatvideoid");
    no_redirect.as_object_mut().unwrap().remove("redirectUrl");
    let message = assert_error(
        start_capture(&s.sim_url, &token, id, no_redirect).await,
        400,
    )
    .await;
    assert!(message.contains("redirectUrl"), "{message}");

    let mut ftp = capture_body("signicatvideoid");
    ftp["redirectUrl"] = json!("ftp://host/return");
    assert_error(start_capture(&s.sim_url, &token, id, ftp).await, 400).await;

    let mut scenario = capture_body("signicatvideoid");
    scenario["simulator"]["scenario"] = json!("explode");
    assert_error(start_capture(&s.sim_url, &token, id, scenario).await, 400).await;

    assert_error(
        start_capture(&s.sim_url, &token, id, capture_body("onfido")).await,
        400,
    )
    .await;
    let unknown = start_capture(&s.sim_url, &token, "no-such-dossier", capture_body("eid")).await;
    assert_error(unknown, 404).await;

    let bad_json = client()
        .post(format!("{}/assure/dossiers/{id}/capture", s.sim_url))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"providers\": [")
        .send()
        .await
        .unwrap();
    assert_error(bad_json, 400).await;

    let bad_dossier_json = client()
        .post(format!("{}/assure/dossiers", s.sim_url))
        .bearer_auth(&token)
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_error(bad_dossier_json, 400).await;

    let get = |path: String| {
        client()
            .get(format!("{}{path}", s.sim_url))
            .bearer_auth(&token)
            .send()
    };
    assert_error(
        get(format!("/assure/dossiers/{id}/processes/nope"))
            .await
            .unwrap(),
        404,
    )
    .await;
    assert_error(get("/assure/dossiers/nope".to_string()).await.unwrap(), 404).await;
    s.shutdown().await;
}

async fn a_process_is_only_found_in_its_own_dossier(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let first = create_dossier(&s.sim_url, &token).await;
    let other = create_dossier(&s.sim_url, &token).await;
    let first_id = first["dossierId"].as_str().unwrap();
    let (_, capture) =
        json(start_capture(&s.sim_url, &token, first_id, capture_body("eid")).await).await;
    let art = artifact(&s.sim_url, &artifact_of(capture["url"].as_str().unwrap())).await;
    let pid = art["processId"].as_str().unwrap();
    let url = format!(
        "{}/assure/dossiers/{}/processes/{pid}",
        s.sim_url,
        other["dossierId"].as_str().unwrap()
    );
    assert_error(
        client().get(url).bearer_auth(&token).send().await.unwrap(),
        404,
    )
    .await;
    s.shutdown().await;
}

async fn capture_page_sends_frame_ancestors(h: Harness) {
    let s = h.servers().await;
    let host_port = s.host_url.rsplit(':').next().unwrap().to_string();
    let page = client()
        .get(format!("{}/capture/", s.sim_url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let expected =
        format!("frame-ancestors 'self' http://localhost:{host_port} http://127.0.0.1:{host_port}");
    assert!(csp.ends_with(&expected), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("<script src=\"/capture/capture.js\""));
    assert!(!html.contains("<script>"), "no inline script");
    for outcome in ["accepted", "rejected", "inconclusive", "failed-inactive"] {
        assert!(
            html.contains(&format!("data-outcome=\"{outcome}\"")),
            "{outcome} button"
        );
    }

    let denied = client()
        .get(format!("{}/capture/?framing=deny", s.sim_url))
        .send()
        .await
        .unwrap();
    let csp = denied.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");

    let script = client()
        .get(format!("{}/capture/capture.js", s.sim_url))
        .send()
        .await
        .unwrap();
    assert!(script.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let js = script.text().await.unwrap();
    assert!(js.contains("ancestorOrigins"));
    assert!(!js.contains("\"*\""), "never posts to any origin");
    s.shutdown().await;
}

async fn frame_ancestors_come_from_the_setting(h: Harness) {
    let s = h
        .servers_with(|c| c.sim_frame_ancestors = Some("https://shop.example".into()))
        .await;
    let page = client()
        .get(format!("{}/capture/", s.sim_url))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with("frame-ancestors https://shop.example"),
        "{csp}"
    );
    s.shutdown().await;
}

async fn artifact_api_rejects_unknown_sessions_and_outcomes(h: Harness) {
    let s = h.servers().await;
    let missing = client()
        .get(format!("{}/capture/api/artifact/nope", s.sim_url))
        .send()
        .await
        .unwrap();
    assert_error(missing, 404).await;
    let (status, _) = finish(&s.sim_url, "nope", "accepted").await;
    assert_eq!(status, 404);

    let token = token(&s.sim_url).await;
    let dossier = create_dossier(&s.sim_url, &token).await;
    let id = dossier["dossierId"].as_str().unwrap();
    let (_, capture) = json(start_capture(&s.sim_url, &token, id, capture_body("eid")).await).await;
    let art = artifact_of(capture["url"].as_str().unwrap());
    let (status, body) = finish(&s.sim_url, &art, "maybe").await;
    assert_eq!(status, 400, "{body}");
    let bad_json = client()
        .post(format!("{}/capture/api/artifact/{art}/finish", s.sim_url))
        .body("{")
        .send()
        .await
        .unwrap();
    assert_error(bad_json, 400).await;
    s.shutdown().await;
}

async fn simulator_root_names_itself(h: Harness) {
    let s = h.servers().await;
    let page = client()
        .get(format!("{}/", s.sim_url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Assure API simulator"));
    let missing = client()
        .get(format!("{}/no/such/path", s.sim_url))
        .send()
        .await
        .unwrap();
    assert_error(missing, 404).await;
    s.shutdown().await;
}

crate::simulator_tests!(
    token_with_the_right_client_credentials,
    token_refused_without_the_right_credentials_or_grant,
    assure_paths_need_a_valid_bearer_token,
    dossier_capture_and_process_lifecycle,
    the_eid_provider_name_is_the_same_provider,
    bad_capture_requests_are_4xx_json,
    a_process_is_only_found_in_its_own_dossier,
    capture_page_sends_frame_ancestors,
    frame_ancestors_come_from_the_setting,
    artifact_api_rejects_unknown_sessions_and_outcomes,
    simulator_root_names_itself,
);
