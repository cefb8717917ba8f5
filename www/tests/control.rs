//! The simulator's control API (`/simulator/…`): a backend that never sends the simulator's
//! body block gets every scenario through it (the reference backend in real mode pointed at the
//! simulator, and in simulator mode without its knobs), in the embed, native and sdk paths; the
//! rules' order; credentials and the off switch; the record of what was received, without
//! secrets; bad input.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

/// A control API call with the simulator's client credentials.
fn control(method: Method, sim_url: &str, path: &str) -> reqwest::RequestBuilder {
    client()
        .request(method, format!("{sim_url}/simulator{path}"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
}

async fn set(method: Method, sim_url: &str, path: &str, scenario: &str) -> Value {
    let response = control(method, sim_url, path)
        .json(&json!({ "scenario": scenario }))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn next(sim_url: &str, scenario: &str) -> Value {
    set(Method::POST, sim_url, "/outcomes/next", scenario).await
}

async fn put(sim_url: &str, path: &str, scenario: &str) -> Value {
    set(Method::PUT, sim_url, path, scenario).await
}

async fn clear(sim_url: &str, path: &str) {
    let response = control(Method::DELETE, sim_url, path).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
}

async fn get(sim_url: &str, path: &str) -> Value {
    let (status, body) = json(control(Method::GET, sim_url, path).send().await.unwrap()).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The reference backend in real mode against `upstream`'s simulator: it sends nothing a real
/// Assure API would not take.
async fn real_mode_backend(upstream: &Servers) -> Servers {
    let base_url = upstream.sim_url.clone();
    servers_with(|c| {
        c.real = Some(videoid_www::config::RealAssure {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            base_url,
        });
        // One end-user runs every outcome in a row: more than a person would start.
        c.rate_limits = None;
    })
    .await
}

const OUTCOMES: [&str; 6] = [
    "accepted",
    "rejected",
    "inconclusive",
    "inconclusive-feature",
    "failed-inactive",
    "canceled",
];

/// Checks a final process against what `scenario` promises.
fn assert_outcome(scenario: &str, process: &Value) {
    let status = match scenario {
        "inconclusive-feature" => "inconclusive",
        "failed-inactive" => "failed",
        other => other,
    };
    assert_eq!(process["status"], status, "{scenario}: {process}");
    assert_eq!(
        process.get("finalResult").is_some(),
        scenario == "accepted",
        "{scenario}: finalResult only when accepted"
    );
    if scenario == "failed-inactive" {
        assert_eq!(process["failReason"]["type"], "InactiveUser.Aborted");
    }
    let ocr = &process["providerSpecific"]["ocr"];
    if ocr.is_object() {
        let expired = ocr["securityChecks"]["nonExpired"]["valid"] == false;
        assert_eq!(expired, scenario == "rejected", "{scenario}: {ocr}");
        let similarity = ocr["similarityScore"].as_str().unwrap();
        assert_eq!(similarity == "medium", scenario == "inconclusive");
        let mrz_found = ocr["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "mrz" && f["found"] == true);
        assert_eq!(!mrz_found, scenario == "inconclusive-feature");
    }
}

/// Distinct, recognisable bytes per step of the capture page's component.
fn step_bytes(step: &str) -> (&'static str, Vec<u8>) {
    if step == "video" {
        ("video/webm", recording())
    } else {
        ("image/jpeg", jpeg(step))
    }
}

/// An embed session through the backend, captured on the hosted page (wherever the capture
/// URL points) with its component's uploads: `(dossierId, processId)`.
async fn embed_capture(user: &mut EndUser) -> (String, String) {
    let (status, session) = user.session("", json!({})).await;
    assert_eq!(status, 200, "{session}");
    let url = session["url"].as_str().unwrap();
    let (origin, _) = url.split_once("/capture/").unwrap();
    let art = artifact_of(url);
    let page = format!("{origin}/capture/api/artifact/{art}");
    let (status, native) = json(
        client()
            .post(format!("{page}/native-session"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{native}");
    let token = native["uploadToken"].as_str().unwrap();
    for step in native["steps"].as_array().unwrap() {
        let step = step.as_str().unwrap();
        let (content_type, bytes) = step_bytes(step);
        let response = client()
            .put(format!("{page}/upload/{step}"))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{step}");
    }
    let response = client()
        .post(format!("{page}/upload/complete"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    (
        session["dossierId"].as_str().unwrap().to_string(),
        native["processId"].as_str().unwrap().to_string(),
    )
}

/// A native session through the backend, uploaded and completed there (Set images).
async fn native_capture(s: &Servers, user: &mut EndUser) -> (String, String) {
    let (status, session) = user.session("", json!({ "mode": "native" })).await;
    assert_eq!(status, 200, "{session}");
    let token = session["uploadToken"].as_str().unwrap();
    for step in session["steps"].as_array().unwrap() {
        let step = step.as_str().unwrap();
        let response = client()
            .put(format!("{}/api/videoid/upload/{step}", s.host_url))
            .bearer_auth(token)
            .header("content-type", "image/jpeg")
            .body(jpeg(step))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{step}");
    }
    let response = client()
        .post(format!("{}/api/videoid/upload/complete", s.host_url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    (
        session["dossierId"].as_str().unwrap().to_string(),
        session["processId"].as_str().unwrap().to_string(),
    )
}

/// An sdk session through the backend, run as VideoID's web SDK runs it.
async fn sdk_capture(user: &mut EndUser) -> (String, String) {
    let (status, session) = user.session("", json!({ "mode": "sdk" })).await;
    assert_eq!(status, 200, "{session}");
    let provider_api = session["sdkUrl"]
        .as_str()
        .unwrap()
        .strip_suffix("/js/videoid.js")
        .unwrap()
        .to_string();
    let id_type = session["idType"].as_u64().unwrap() as u32;
    sdk_video(
        &provider_api,
        session["authorization"].as_str().unwrap(),
        id_type,
    )
    .await;
    (
        session["dossierId"].as_str().unwrap().to_string(),
        session["processId"].as_str().unwrap().to_string(),
    )
}

/// Every outcome in every capture path, for a backend that never names a scenario.
async fn every_outcome_in_every_path(sim: &Servers, backend: &Servers) {
    for scenario in OUTCOMES {
        next(&sim.sim_url, scenario).await;
        let mut user = EndUser::new(&backend.host_url);
        let (d, p) = embed_capture(&mut user).await;
        assert_outcome(scenario, &final_result(&mut user, &d, &p).await);

        next(&sim.sim_url, scenario).await;
        let (d, p) = native_capture(backend, &mut user).await;
        assert_outcome(scenario, &final_result(&mut user, &d, &p).await);

        next(&sim.sim_url, scenario).await;
        let (d, p) = sdk_capture(&mut user).await;
        assert_outcome(scenario, &final_result(&mut user, &d, &p).await);
    }
    assert_eq!(get(&sim.sim_url, "/outcomes").await["next"], json!([]));
    let listed = get(&sim.sim_url, "/processes").await;
    let from_next = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["scenarioFrom"] == "next")
        .count();
    assert_eq!(from_next, OUTCOMES.len() * 3);
}

/// `no-interaction`: the capture page is told so (it never finishes by itself), the web SDK
/// is told to wait at FRONT; `backend-error`: the call that creates the process is a 500 and
/// nothing is created; the backend looks, tries again, and passes on a lasting error as its own.
async fn no_interaction_and_backend_error(sim: &Servers, backend: &Servers) {
    let mut user = EndUser::new(&backend.host_url);
    next(&sim.sim_url, "no-interaction").await;
    let (status, session) = user.session("", json!({})).await;
    assert_eq!(status, 200, "{session}");
    let art = artifact_of(session["url"].as_str().unwrap());
    let page = artifact(&sim.sim_url, &art).await;
    assert_eq!(page["scenario"], "no-interaction");
    assert_eq!(page["auto"], false);

    next(&sim.sim_url, "no-interaction").await;
    let (status, session) = user.session("", json!({ "mode": "sdk" })).await;
    assert_eq!(status, 200, "{session}");
    let provider_api = session["sdkUrl"]
        .as_str()
        .unwrap()
        .strip_suffix("/js/videoid.js")
        .unwrap()
        .to_string();
    let body = serde_json::to_vec(&json!({ "idType": session["idType"] })).unwrap();
    let (status, video) = provider_call(
        Method::POST,
        &provider_api,
        "",
        session["authorization"].as_str().unwrap(),
        Some(("application/json", body)),
    )
    .await;
    assert_eq!(status, 201, "{video}");
    assert_eq!(video["simulator"]["waitAt"], "FRONT");

    let count = async || {
        get(&sim.sim_url, "/processes")
            .await
            .as_array()
            .unwrap()
            .len()
    };
    for body in [
        json!({}),
        json!({ "mode": "native" }),
        json!({ "mode": "sdk" }),
    ] {
        // Every creating call answered 500: after its tries the backend answers 502, and
        // nothing was created.
        let before = count().await;
        put(&sim.sim_url, "/outcomes/default", "backend-error").await;
        let (status, answer) = user.session("", body.clone()).await;
        assert_eq!(status, 502, "{body}: {answer}");
        assert!(answer["error"].is_string());
        assert_eq!(count().await, before, "{body}: nothing was created");
        clear(&sim.sim_url, "/outcomes/default").await;

        // One 500 (the queued error): the backend saw that nothing was created, tried again,
        // and made one process.
        next(&sim.sim_url, "backend-error").await;
        let (status, answer) = user.session("", body.clone()).await;
        assert_eq!(status, 200, "{body}: the backend tried again: {answer}");
        assert_eq!(count().await, before + 1, "{body}: one process, not two");
    }
    let errors: Vec<Value> = get(&sim.sim_url, "/requests?path=/assure/dossiers/")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == 500)
        .cloned()
        .collect();
    // Per path: the tries with the error as default, then the one queued error.
    let tries = videoid_backend::upstream::CREATE_TRIES as usize;
    assert_eq!(errors.len(), 3 * (tries + 1), "{errors:?}");
    assert!(errors[0]["path"].as_str().unwrap().ends_with("/capture"));
    assert!(errors[tries + 1]["path"]
        .as_str()
        .unwrap()
        .ends_with("/processes"));
}

async fn an_unmodified_backend_gets_every_scenario_through_the_control_api(h: Harness) {
    let sim = h.servers().await;
    let backend = real_mode_backend(&sim).await;
    every_outcome_in_every_path(&sim, &backend).await;
    no_interaction_and_backend_error(&sim, &backend).await;
    // Real mode sends no simulator block: every process took its scenario from a rule.
    for request in get(&sim.sim_url, "/requests?path=/assure/dossiers/")
        .await
        .as_array()
        .unwrap()
    {
        assert!(request["body"].get("simulator").is_none(), "{request}");
    }
    backend.shutdown().await;
    sim.shutdown().await;
}

async fn the_reference_backend_without_its_knobs_follows_the_rules_too(h: Harness) {
    // One end-user runs every outcome in a row: more than a person would start.
    let s = h.servers_with(|c| c.rate_limits = None).await;
    every_outcome_in_every_path(&s, &s).await;
    no_interaction_and_backend_error(&s, &s).await;

    // A default, a dossier rule over it, and the backend's own knob over both.
    set(Method::PUT, &s.sim_url, "/outcomes/default", "rejected").await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = native_capture(&s, &mut user).await;
    assert_outcome("rejected", &final_result(&mut user, &d, &p).await);
    set(
        Method::PUT,
        &s.sim_url,
        &format!("/outcomes/dossiers/{d}"),
        "canceled",
    )
    .await;
    let (d2, p) = embed_capture(&mut user).await;
    assert_eq!(d2, d, "the same end-user's dossier");
    assert_outcome("canceled", &final_result(&mut user, &d, &p).await);
    let (status, session) = user
        .session("?scenario=inconclusive&auto=1", json!({}))
        .await;
    assert_eq!(status, 200, "{session}");
    let art = artifact_of(session["url"].as_str().unwrap());
    assert_eq!(artifact(&s.sim_url, &art).await["scenario"], "inconclusive");
    s.shutdown().await;
}

/// "Start capture flow" on `dossier` without a simulator block (or with `block`); the new
/// process's scenario as the control API lists it, and where it came from.
async fn capture_scenario(
    s: &Servers,
    token: &str,
    dossier: &str,
    block: Option<Value>,
) -> (Value, Value) {
    let mut body = json!({
        "providers": [{ "provider": "signicatvideoid", "processType": "substantial" }],
        "redirectUrl": "http://localhost:1/return",
    });
    if let Some(block) = block {
        body["simulator"] = block;
    }
    let url = format!("{}/assure/dossiers/{dossier}/capture", s.sim_url);
    let (status, capture) = json(sim(Method::POST, url, token, Some(body)).await).await;
    assert_eq!(status, 201, "{capture}");
    let art = artifact_of(capture["url"].as_str().unwrap());
    let process_id = artifact(&s.sim_url, &art).await["processId"].clone();
    let listed = get(&s.sim_url, "/processes").await;
    let process = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["processId"] == process_id)
        .unwrap()
        .clone();
    (process["scenario"].clone(), process["scenarioFrom"].clone())
}

async fn rules_apply_in_their_order_and_can_be_cleared(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let plain = new_dossier(&s.sim_url, &token).await;
    let url = format!("{}/assure/dossiers", s.sim_url);
    let body = json!({ "externalReference": "customer 42/ø" });
    let (status, referenced) = json(sim(Method::POST, url, &token, Some(body)).await).await;
    assert_eq!(status, 201, "{referenced}");
    let referenced = referenced["dossierId"].as_str().unwrap().to_string();

    assert_eq!(
        capture_scenario(&s, &token, &plain, None).await,
        (Value::Null, Value::Null),
        "no rule: no scenario (accepted)"
    );
    set(Method::PUT, &s.sim_url, "/outcomes/default", "rejected").await;
    next(&s.sim_url, "inconclusive").await;
    let rules = next(&s.sim_url, "canceled").await;
    assert_eq!(rules["next"], json!(["inconclusive", "canceled"]));
    set(
        Method::PUT,
        &s.sim_url,
        "/outcomes/external-references/customer%2042%2F%C3%B8",
        "failed-inactive",
    )
    .await;
    let rules = set(
        Method::PUT,
        &s.sim_url,
        &format!("/outcomes/dossiers/{plain}"),
        "no-interaction",
    )
    .await;
    assert_eq!(
        rules["externalReferences"]["customer 42/ø"],
        "failed-inactive"
    );
    assert_eq!(rules["dossiers"][&plain], "no-interaction");
    assert_eq!(rules["default"], "rejected");

    let chosen = |s: &str, from: &str| (json!(s), json!(from));
    // The request's own block comes first, then the dossier, then the reference.
    let block = Some(json!({ "scenario": "accepted" }));
    assert_eq!(
        capture_scenario(&s, &token, &plain, block).await,
        chosen("accepted", "request")
    );
    assert_eq!(
        capture_scenario(&s, &token, &plain, None).await,
        chosen("no-interaction", "dossier")
    );
    assert_eq!(
        capture_scenario(&s, &token, &referenced, None).await,
        chosen("failed-inactive", "externalReference")
    );
    // A block without a scenario leaves the choice to the rules.
    let block = Some(json!({ "auto": false }));
    assert_eq!(
        capture_scenario(&s, &token, &referenced, block).await,
        chosen("failed-inactive", "externalReference")
    );
    let response = control(
        Method::DELETE,
        &s.sim_url,
        "/outcomes/external-references/customer%2042%2F%C3%B8",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    // Then the queue, one per process, in order; then the default.
    assert_eq!(
        capture_scenario(&s, &token, &referenced, None).await,
        chosen("inconclusive", "next")
    );
    let pid_url = format!("{}/assure/dossiers/{referenced}/processes", s.sim_url);
    let (status, created) = json(
        sim(
            Method::POST,
            pid_url,
            &token,
            Some(json!({ "provider": "signicatpaper" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let listed = get(&s.sim_url, "/processes").await;
    let paper = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["processId"] == created["processId"])
        .unwrap();
    assert_eq!(
        (&paper["scenario"], &paper["scenarioFrom"]),
        (&json!("canceled"), &json!("next")),
        "Create process takes from the same queue"
    );
    assert_eq!(
        capture_scenario(&s, &token, &referenced, None).await,
        chosen("rejected", "default")
    );
    // Clearing.
    let response = control(Method::DELETE, &s.sim_url, "/outcomes/default")
        .send()
        .await
        .unwrap();
    assert_eq!(json(response).await.1["default"], Value::Null);
    assert_eq!(
        capture_scenario(&s, &token, &referenced, None).await,
        (Value::Null, Value::Null)
    );
    let response = control(Method::DELETE, &s.sim_url, "/outcomes")
        .send()
        .await
        .unwrap();
    let (status, rules) = json(response).await;
    assert_eq!(status, 200);
    assert_eq!(
        rules,
        json!({ "default": null, "next": [], "dossiers": {}, "externalReferences": {} })
    );
    assert_eq!(
        capture_scenario(&s, &token, &plain, None).await,
        (Value::Null, Value::Null)
    );
    s.shutdown().await;
}

async fn control_calls_need_the_simulators_credentials_and_can_be_turned_off(h: Harness) {
    let s = h.servers().await;
    for path in ["", "/outcomes", "/requests", "/processes", "/uploads"] {
        let url = format!("{}/simulator{path}", s.sim_url);
        let response = client().get(&url).send().await.unwrap();
        assert_eq!(
            response.headers()["www-authenticate"],
            "Basic realm=\"simulator\""
        );
        assert_error(response, 401).await;
        let wrong = client()
            .get(&url)
            .basic_auth(CLIENT_ID, Some("not-the-secret"))
            .send()
            .await
            .unwrap();
        assert_error(wrong, 401).await;
        let bad_token = client().get(&url).bearer_auth("nope").send().await.unwrap();
        assert_error(bad_token, 401).await;
    }
    let response = client()
        .post(format!("{}/simulator/outcomes/next", s.sim_url))
        .json(&json!({ "scenario": "rejected" }))
        .send()
        .await
        .unwrap();
    assert_error(response, 401).await;
    assert_eq!(get(&s.sim_url, "/outcomes").await["next"], json!([]));
    // An access token from its token endpoint works as well as Basic.
    let token = token(&s.sim_url).await;
    let response = client()
        .get(format!("{}/simulator/outcomes", s.sim_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let index = get(&s.sim_url, "").await;
    assert_eq!(
        index["scenarios"],
        json!([
            "accepted",
            "rejected",
            "inconclusive",
            "inconclusive-feature",
            "failed-inactive",
            "canceled",
            "no-interaction",
            "backend-error"
        ])
    );
    s.shutdown().await;

    let off = h.servers_with(|c| c.sim_control = false).await;
    let token = common::token(&off.sim_url).await;
    new_dossier(&off.sim_url, &token).await;
    for path in ["", "/outcomes", "/requests", "/processes"] {
        let response = control(Method::GET, &off.sim_url, path)
            .send()
            .await
            .unwrap();
        assert_error(response, 404).await;
    }
    let response = control(Method::POST, &off.sim_url, "/outcomes/next")
        .json(&json!({ "scenario": "rejected" }))
        .send()
        .await
        .unwrap();
    assert_error(response, 404).await;
    off.shutdown().await;
}

async fn the_record_lists_calls_processes_and_uploads_without_secrets(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    let (d, embed_pid) = embed_capture(&mut user).await;
    final_result(&mut user, &d, &embed_pid).await;
    let (_, native_pid) = native_capture(&s, &mut user).await;
    let (status, sdk_session) = user.session("", json!({ "mode": "sdk" })).await;
    assert_eq!(status, 200);

    let requests = get(&s.sim_url, "/requests").await;
    let all = requests.as_array().unwrap();
    let text = requests.to_string();
    // No secret in the record: credentials, tokens, the SDK's authorization, the artifact.
    let processes = get(&s.sim_url, "/processes").await;
    let uploads = get(&s.sim_url, "/uploads").await;
    let embed_view = processes
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["processId"] == embed_pid.as_str())
        .unwrap()
        .clone();
    let mut secrets = vec![
        CLIENT_SECRET.to_string(),
        sdk_session["authorization"].as_str().unwrap().to_string(),
    ];
    let (status, capture) = user.session("", json!({})).await;
    assert_eq!(status, 200);
    secrets.push(artifact_of(capture["url"].as_str().unwrap()));
    let token = common::token(&s.sim_url).await;
    secrets.push(token.clone());
    let requests = get(&s.sim_url, "/requests").await.to_string();
    for secret in &secrets {
        for (what, listed) in [
            ("requests", &requests),
            ("processes", &processes.to_string()),
            ("uploads", &uploads.to_string()),
        ] {
            assert!(!listed.contains(secret.as_str()), "{what} shows a secret");
        }
    }
    assert!(!text.contains("base64,"), "images are summarised");

    // What a backend sent is there, with ids and statuses.
    let token_call = all
        .iter()
        .find(|r| r["path"] == "/auth/open/connect/token")
        .unwrap();
    assert_eq!(token_call["method"], "POST");
    assert_eq!(token_call["status"], 200);
    assert_eq!(token_call["body"]["grant_type"], "client_credentials");
    let start = all
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("/capture"))
        .unwrap();
    assert_eq!(start["dossierId"], d.as_str());
    assert_eq!(start["status"], 201);
    assert_eq!(start["body"]["providers"][0]["provider"], "signicatvideoid");
    assert!(start["body"]["redirectUrl"]
        .as_str()
        .unwrap()
        .ends_with("/videoid/return"));
    let set_images: Vec<&Value> = all
        .iter()
        .filter(|r| {
            r["method"] == "POST"
                && r["path"] == format!("/assure/dossiers/{d}/processes/{native_pid}/images")
        })
        .collect();
    assert_eq!(set_images.len(), 3, "one Set images per still");
    let front = set_images
        .iter()
        .find(|r| r["body"].get("front").is_some())
        .unwrap();
    assert!(
        front["body"]["front"]
            .as_str()
            .unwrap()
            .starts_with("[dataURL image/jpeg, about "),
        "{front}"
    );
    assert_eq!(front["processId"], native_pid.as_str());
    let page_uploads: Vec<&Value> = all
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .unwrap()
                .starts_with("/capture/api/artifact/[artifact]/upload/")
        })
        .collect();
    assert_eq!(page_uploads.len(), 5, "four steps and complete");
    assert!(page_uploads
        .iter()
        .all(|r| r["processId"] == embed_pid.as_str() && r["dossierId"] == d.as_str()));
    assert_eq!(page_uploads[0]["contentType"], "image/jpeg");
    assert_eq!(page_uploads[0]["bodyBytes"], jpeg("front").len());

    // Filters: by sequence number and by path.
    let last = all.last().unwrap()["seq"].as_u64().unwrap();
    let later = get(&s.sim_url, &format!("/requests?since={last}")).await;
    assert!(later
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["seq"].as_u64().unwrap() > last));
    assert!(
        !later.as_array().unwrap().is_empty(),
        "the calls made since"
    );
    let tokens = get(&s.sim_url, "/requests?path=/auth/").await;
    assert!(tokens
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["path"] == "/auth/open/connect/token"));

    // Processes and uploads.
    assert_eq!(embed_view["dossierId"], d.as_str());
    assert_eq!(embed_view["provider"], "signicatvideoid");
    assert_eq!(embed_view["status"], "accepted");
    assert_eq!(embed_view["capture"]["finished"], true);
    assert_eq!(embed_view["media"]["front"]["contentType"], "image/jpeg");
    assert_eq!(embed_view["media"]["video"]["contentType"], "video/webm");
    assert_eq!(embed_view["media"]["video"]["bytes"], recording().len());
    let native_uploads: Vec<&Value> = uploads
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["processId"] == native_pid.as_str())
        .collect();
    let names: Vec<&str> = native_uploads
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["back", "front", "selfie"]);
    assert!(native_uploads
        .iter()
        .all(|u| u["provider"] == "signicatpaper"));

    // Clearing the record; reset clears rules, faults and record. (A webhook delivery the
    // backend handles meanwhile may add a call: only calls from before must be gone.)
    let last_seq = |record: &Value| {
        record
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["seq"].as_u64())
            .max()
            .unwrap_or(0)
    };
    let only_after = |record: Value, seq: u64| {
        assert!(
            record
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["seq"].as_u64().unwrap() > seq),
            "{record}"
        )
    };
    let seq = last_seq(&get(&s.sim_url, "/requests").await);
    let response = control(Method::DELETE, &s.sim_url, "/requests")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    only_after(get(&s.sim_url, "/requests").await, seq);
    next(&s.sim_url, "rejected").await;
    let response = control(Method::PUT, &s.sim_url, "/faults")
        .json(&json!({ "spec": "all: 503 1%" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    common::token(&s.sim_url).await;
    let seq = last_seq(&get(&s.sim_url, "/requests").await);
    assert!(seq > 0);
    let response = control(Method::POST, &s.sim_url, "/reset")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    only_after(get(&s.sim_url, "/requests").await, seq);
    assert_eq!(get(&s.sim_url, "/faults").await["faults"], json!([]));
    assert_eq!(get(&s.sim_url, "/outcomes").await["next"], json!([]));
    s.shutdown().await;
}

async fn bad_control_input_is_a_4xx_json_error_and_changes_nothing(h: Harness) {
    let s = h.servers().await;
    let before = get(&s.sim_url, "/outcomes").await;
    let send = |method: Method, path: &str, body: Option<&str>| {
        let mut request = control(method, &s.sim_url, path);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        request.send()
    };
    for (method, path, body, status) in [
        (
            Method::PUT,
            "/outcomes/default",
            Some(r#"{"scenario":"explode"}"#),
            400,
        ),
        (
            Method::PUT,
            "/outcomes/default",
            Some(r#"{"scenario":7}"#),
            400,
        ),
        (Method::PUT, "/outcomes/default", Some("{"), 400),
        (Method::PUT, "/outcomes/default", None, 400),
        (
            Method::POST,
            "/outcomes/next",
            Some(r#"{"outcome":"rejected"}"#),
            400,
        ),
        (
            Method::PUT,
            "/outcomes/dossiers/nope",
            Some(r#"{"scenario":"rejected"}"#),
            404,
        ),
        (Method::DELETE, "/outcomes/dossiers/nope", None, 404),
        (
            Method::DELETE,
            "/outcomes/external-references/nope",
            None,
            404,
        ),
        (
            Method::PUT,
            "/outcomes/external-references/a%0Ab",
            Some(r#"{"scenario":"rejected"}"#),
            400,
        ),
        (Method::GET, "/requests?since=soon", None, 400),
        (Method::POST, "/outcomes", None, 405),
        (Method::GET, "/nothing-here", None, 404),
    ] {
        let response = send(method.clone(), path, body).await.unwrap();
        assert_error(response, status).await;
    }
    let long = format!("/outcomes/external-references/{}", "x".repeat(257));
    let response = send(Method::PUT, &long, Some(r#"{"scenario":"rejected"}"#))
        .await
        .unwrap();
    assert_error(response, 400).await;
    let response = control(Method::PUT, &s.sim_url, "/outcomes/default")
        .header("content-type", "text/plain")
        .body(r#"{"scenario":"rejected"}"#)
        .send()
        .await
        .unwrap();
    assert_error(response, 415).await;
    assert_eq!(get(&s.sim_url, "/outcomes").await, before);
    s.shutdown().await;
}

crate::simulator_tests!(
    an_unmodified_backend_gets_every_scenario_through_the_control_api,
    the_reference_backend_without_its_knobs_follows_the_rules_too,
    rules_apply_in_their_order_and_can_be_cleared,
    control_calls_need_the_simulators_credentials_and_can_be_turned_off,
    the_record_lists_calls_processes_and_uploads_without_secrets,
    bad_control_input_is_a_4xx_json_error_and_changes_nothing,
);
