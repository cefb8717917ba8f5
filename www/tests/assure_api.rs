//! The simulator's Assure API beyond the capture flow: dossiers, processes, media, downloads,
//! document types, capture configurations, tokens, and the bad-input list.

mod common;

use assure_simulator::zip;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

fn process_url(sim_url: &str, d: &str, p: &str) -> String {
    format!("{sim_url}/assure/dossiers/{d}/processes/{p}")
}

async fn create_process(sim_url: &str, token: &str, d: &str, body: Value) -> Value {
    let url = format!("{sim_url}/assure/dossiers/{d}/processes");
    let (status, process) = json(sim(Method::POST, url, token, Some(body)).await).await;
    assert_eq!(status, 201, "{process}");
    process
}

/// A capture-flow process finished with `outcome`, then read until final. Fully automatic:
/// `high` and `substantial` processes wait for an agent (`ra.rs`, tests in `review.rs`).
async fn captured(s: &Servers, token: &str, d: &str, outcome: &str) -> (String, Value) {
    let body = json!({
        "providers": [{ "provider": "signicatvideoid", "processType": "substantialFullyAuto" }],
        "redirectUrl": "http://localhost:1/videoid/return",
    });
    let url = format!("{}/assure/dossiers/{d}/capture", s.sim_url);
    let (status, capture) = json(sim(Method::POST, url, token, Some(body)).await).await;
    assert_eq!(status, 201, "{capture}");
    let art = artifact_of(capture["url"].as_str().unwrap());
    let pid = artifact(&s.sim_url, &art).await["processId"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = finish(&s.sim_url, &art, outcome).await;
    assert_eq!(status, 200);
    let process = sim_final(&s.sim_url, token, d, &pid).await;
    (pid, process)
}

async fn each_outcome_ends_in_its_documented_status_and_shape(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;

    let (_, accepted) = captured(&s, &token, &d, "accepted").await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["finalResult"]["lastName"], "Nordmann");
    let checks = accepted["providerSpecific"]["ocr"]["securityChecks"]
        .as_object()
        .unwrap();
    assert!(checks.values().all(|c| c["valid"] == true));
    assert_eq!(
        accepted["providerSpecific"]["ocr"]["similarityScore"],
        "high"
    );

    let (_, rejected) = captured(&s, &token, &d, "rejected").await;
    assert_eq!(rejected["status"], "rejected");
    assert!(rejected.get("finalResult").is_none());
    let invalid: Vec<&String> = rejected["providerSpecific"]["ocr"]["securityChecks"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, c)| c["valid"] == false)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(invalid, vec!["nonExpired"]);

    let (_, medium) = captured(&s, &token, &d, "inconclusive").await;
    assert_eq!(medium["status"], "inconclusive");
    assert_eq!(
        medium["providerSpecific"]["ocr"]["similarityScore"],
        "medium"
    );
    assert!(medium.get("finalResult").is_none());

    let (_, feature) = captured(&s, &token, &d, "inconclusive-feature").await;
    assert_eq!(feature["status"], "inconclusive");
    let ocr = &feature["providerSpecific"]["ocr"];
    assert_eq!(ocr["similarityScore"], "high");
    assert!(ocr["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["found"] == false));

    let (_, failed) = captured(&s, &token, &d, "failed-inactive").await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["failReason"]["type"], "InactiveUser.Aborted");
    assert!(failed.get("providerSpecific").is_none());

    let (_, canceled) = captured(&s, &token, &d, "canceled").await;
    assert_eq!(canceled["status"], "canceled");
    assert!(canceled.get("finalResult").is_none() && canceled.get("providerSpecific").is_none());

    let url = format!("{}/assure/dossiers/{d}", s.sim_url);
    let (_, dossier) = json(sim(Method::GET, url, &token, None).await).await;
    let statuses: Vec<&str> = dossier["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "accepted",
            "rejected",
            "inconclusive",
            "inconclusive",
            "failed",
            "canceled"
        ]
    );
    s.shutdown().await;
}

async fn a_process_goes_pending_then_processing_then_final_after_the_delay(h: Harness) {
    let s = h
        .servers_with(|c| c.sim_final_delay = Duration::from_millis(400))
        .await;
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let body = json!({
        "providers": [{ "provider": "eid", "processType": "substantialFullyAuto" }],
        "redirectUrl": "https://h.example/r",
    });
    let url = format!("{}/assure/dossiers/{d}/capture", s.sim_url);
    let (_, capture) = json(sim(Method::POST, url, &token, Some(body)).await).await;
    let art = artifact_of(capture["url"].as_str().unwrap());
    let pid = artifact(&s.sim_url, &art).await["processId"]
        .as_str()
        .unwrap()
        .to_string();
    let get = || sim(Method::GET, process_url(&s.sim_url, &d, &pid), &token, None);
    assert_eq!(json(get().await).await.1["status"], "pending");
    let download = sim(
        Method::GET,
        format!("{}/download", process_url(&s.sim_url, &d, &pid)),
        &token,
        None,
    )
    .await;
    assert_eq!(download.status(), 204, "no zip while pending");
    finish(&s.sim_url, &art, "accepted").await;
    let started = std::time::Instant::now();
    assert_eq!(json(get().await).await.1["status"], "processing");
    let download = sim(
        Method::GET,
        format!("{}/download", process_url(&s.sim_url, &d, &pid)),
        &token,
        None,
    )
    .await;
    assert_eq!(download.status(), 204, "no zip while processing");
    let process = sim_final(&s.sim_url, &token, &d, &pid).await;
    assert_eq!(process["status"], "accepted");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    s.shutdown().await;
}

async fn placeholder_media_and_the_full_result_zip(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let (pid, _) = captured(&s, &token, &d, "accepted").await;
    let base = process_url(&s.sim_url, &d, &pid);
    for depiction in ["front", "selfie", "portrait"] {
        let r = sim(
            Method::GET,
            format!("{base}/images?depiction={depiction}"),
            &token,
            None,
        )
        .await;
        assert_eq!(r.status(), 200, "{depiction}");
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        let bytes = r.bytes().await.unwrap();
        assert_eq!(&bytes[..3], &[0xff, 0xd8, 0xff], "{depiction} is a JPEG");
    }
    let back = sim(
        Method::GET,
        format!("{base}/images?depiction=back"),
        &token,
        None,
    )
    .await;
    assert_error(back, 404).await;
    let bad = sim(
        Method::GET,
        format!("{base}/images?depiction=passport"),
        &token,
        None,
    )
    .await;
    assert_error(bad, 400).await;
    let video = sim(Method::GET, format!("{base}/video"), &token, None).await;
    assert_eq!(video.status(), 200);
    assert_eq!(video.headers()["content-type"], "video/mp4");
    assert_eq!(&video.bytes().await.unwrap()[4..8], b"ftyp");

    let download = sim(Method::GET, format!("{base}/download"), &token, None).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/zip");
    let entries = zip::read_stored(&download.bytes().await.unwrap()).unwrap();
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ocr.json",
            "front.jpeg",
            "selfie.jpeg",
            "portrait.jpeg",
            "video.mp4"
        ]
    );
    let ocr: Value = serde_json::from_slice(&entries[0].1).unwrap();
    assert_eq!(ocr["lastName"], "Nordmann");

    // A fully automatic process has no agent review; a failed one has no results to zip.
    let auto = create_process(
        &s.sim_url,
        &token,
        &d,
        json!({ "provider": "signicatvideoid", "processType": "substantialFullyAuto" }),
    )
    .await;
    let auto_id = auto["processId"].as_str().unwrap();
    sdk_video(
        auto["providerApiUrl"].as_str().unwrap(),
        auto["authorization"].as_str().unwrap(),
        2,
    )
    .await;
    // The SDK's completion started verification: starting it again is refused.
    let r = sim(
        Method::POST,
        process_url(&s.sim_url, &d, auto_id),
        &token,
        None,
    )
    .await;
    assert_error(r, 409).await;
    sim_final(&s.sim_url, &token, &d, auto_id).await;
    let zip_bytes = sim(
        Method::GET,
        format!("{}/download", process_url(&s.sim_url, &d, auto_id)),
        &token,
        None,
    )
    .await
    .bytes()
    .await
    .unwrap();
    let names: Vec<String> = zip::read_stored(&zip_bytes)
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(names.contains(&"ocr.json".to_string()) && names.contains(&"back.jpeg".to_string()));
    assert!(
        !names.contains(&"manual_approval.json".to_string()),
        "{names:?}"
    );

    let (failed, _) = captured(&s, &token, &d, "failed-inactive").await;
    let none = sim(
        Method::GET,
        format!(
            "{}/images?depiction=front",
            process_url(&s.sim_url, &d, &failed)
        ),
        &token,
        None,
    )
    .await;
    assert_error(none, 404).await;
    s.shutdown().await;
}

async fn sdk_processes_create_start_fail_and_delete(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let process = create_process(
        &s.sim_url,
        &token,
        &d,
        json!({ "provider": "eid", "processType": "substantial", "sdk": "native" }),
    )
    .await;
    assert_eq!(process["status"], "pending");
    assert_eq!(process["provider"], "signicatvideoid");
    assert!(process["authorization"].as_str().unwrap().len() >= 32);
    let provider_api = process["providerApiUrl"].as_str().unwrap();
    let sdk = client()
        .get(format!("{provider_api}/js/videoid.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(sdk.status(), 200);
    let pid = process["processId"].as_str().unwrap();

    // Starting before the media are there is a 409 naming what is missing.
    let (status, body) =
        json(sim(Method::POST, process_url(&s.sim_url, &d, pid), &token, None).await).await;
    assert_eq!(status, 409);
    assert_eq!(body["missing"], json!(["front", "selfie", "video"]));

    // Fail works on a pending process only.
    let fail = |p: String| {
        sim(
            Method::POST,
            format!("{}/fail", process_url(&s.sim_url, &d, &p)),
            &token,
            Some(json!({})),
        )
    };
    let (status, failed) = json(fail(pid.to_string()).await).await;
    assert_eq!(status, 200, "{failed}");
    assert_eq!(failed["status"], "failed");
    assert!(failed["failReason"]["type"].is_string());
    assert_error(fail(pid.to_string()).await, 409).await;
    let (done, _) = captured(&s, &token, &d, "accepted").await;
    assert_error(fail(done).await, 409).await;

    // A second process: its own reason; then deleted.
    let other = create_process(
        &s.sim_url,
        &token,
        &d,
        json!({ "provider": "signicatvideoid" }),
    )
    .await;
    let other_id = other["processId"].as_str().unwrap().to_string();
    assert_eq!(other["processType"], "high");
    let reason = json!({ "failReason": { "type": "Device.NoCamera", "message": "no camera" } });
    let url = format!("{}/fail", process_url(&s.sim_url, &d, &other_id));
    let (_, failed) = json(sim(Method::POST, url, &token, Some(reason)).await).await;
    assert_eq!(failed["failReason"]["type"], "Device.NoCamera");
    let deleted = sim(
        Method::DELETE,
        process_url(&s.sim_url, &d, &other_id),
        &token,
        None,
    )
    .await;
    assert_eq!(deleted.status(), 204);
    assert_error(
        sim(
            Method::GET,
            process_url(&s.sim_url, &d, &other_id),
            &token,
            None,
        )
        .await,
        404,
    )
    .await;
    assert_error(
        sim(
            Method::DELETE,
            process_url(&s.sim_url, &d, &other_id),
            &token,
            None,
        )
        .await,
        404,
    )
    .await;
    let (_, dossier) = json(
        sim(
            Method::GET,
            format!("{}/assure/dossiers/{d}", s.sim_url),
            &token,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(dossier["processes"].as_array().unwrap().len(), 2);
    s.shutdown().await;
}

async fn dossiers_list_and_delete(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let a = new_dossier(&s.sim_url, &token).await;
    let b = new_dossier(&s.sim_url, &token).await;
    let list_url = format!("{}/assure/dossiers", s.sim_url);
    let (status, list) = json(sim(Method::GET, list_url.clone(), &token, None).await).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dossierId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&a.as_str()) && ids.contains(&b.as_str()));
    assert!(list[0]["processes"].is_array());
    let r = sim(Method::DELETE, format!("{list_url}/{a}"), &token, None).await;
    assert_eq!(r.status(), 204);
    assert_error(
        sim(Method::GET, format!("{list_url}/{a}"), &token, None).await,
        404,
    )
    .await;
    assert_error(
        sim(Method::DELETE, format!("{list_url}/{a}"), &token, None).await,
        404,
    )
    .await;
    let (_, list) = json(sim(Method::GET, list_url, &token, None).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    s.shutdown().await;
}

async fn document_types_of_the_videoid_provider(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    for provider in ["signicatvideoid", "eid"] {
        let url = format!("{}/assure/{provider}/document-types", s.sim_url);
        let (status, types) = json(sim(Method::GET, url, &token, None).await).await;
        assert_eq!(status, 200);
        let first = &types[0];
        for key in [
            "country",
            "countryName",
            "type",
            "id",
            "name",
            "subType",
            "icao",
        ] {
            assert!(first.get(key).is_some(), "{key} in {first}");
        }
    }
    // Other providers' rows have no VideoID id; providers without document types are a 404.
    for provider in ["onfido", "signicatpaper", "signicatpictureid"] {
        let url = format!("{}/assure/{provider}/document-types", s.sim_url);
        let (status, types) = json(sim(Method::GET, url, &token, None).await).await;
        assert_eq!(status, 200, "{provider}");
        assert!(types
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t.get("id").is_none()));
    }
    for provider in ["readid", "webid", "nope"] {
        let url = format!("{}/assure/{provider}/document-types", s.sim_url);
        assert_error(sim(Method::GET, url, &token, None).await, 404).await;
    }
    s.shutdown().await;
}

async fn capture_configurations_crud_with_the_videoid_block(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let base = format!("{}/assure/capture/configurations", s.sim_url);
    let body = json!({
        "name": "demo", "languages": ["en", "nb"], "colors": { "primary": "#3451b2" },
        "documentTypes": [1, 2],
        "eidConfig": { "checkRequirements": true, "useModal": false, "minRequirementsMandatory": true,
                        "allowedIdTypes": [1, 2], "sdkLoadTimeout": 30 },
    });
    let (status, created) = json(sim(Method::POST, base.clone(), &token, Some(body)).await).await;
    assert_eq!(status, 201, "{created}");
    let id = created["configurationId"].as_str().unwrap().to_string();
    assert_eq!(created["signicatvideoidConfig"]["sdkLoadTimeout"], 30);
    let (_, read) = json(sim(Method::GET, format!("{base}/{id}"), &token, None).await).await;
    assert_eq!(read, created);
    let change = json!({ "name": "renamed", "signicatvideoidConfig": { "useModal": true } });
    let (status, updated) =
        json(sim(Method::PUT, format!("{base}/{id}"), &token, Some(change)).await).await;
    assert_eq!(status, 200);
    assert_eq!(updated["name"], "renamed");
    assert_eq!(updated["createdAt"], created["createdAt"]);
    let (_, list) = json(sim(Method::GET, base.clone(), &token, None).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // A capture flow may name it as its UI profile; an unknown profile is a 400.
    let d = new_dossier(&s.sim_url, &token).await;
    let capture = |profile: &str| {
        json!({ "providers": [{ "provider": "eid" }], "redirectUrl": "https://h.example/r",
                "captureParameters": { "uiProfile": profile } })
    };
    let url = format!("{}/assure/dossiers/{d}/capture", s.sim_url);
    assert_eq!(
        sim(Method::POST, url.clone(), &token, Some(capture(&id)))
            .await
            .status(),
        201
    );
    assert_error(
        sim(Method::POST, url, &token, Some(capture("nope"))).await,
        400,
    )
    .await;

    let bad = json!({ "signicatvideoidConfig": { "allowedIdTypes": "all" } });
    assert_error(
        sim(Method::POST, base.clone(), &token, Some(bad)).await,
        400,
    )
    .await;
    assert_eq!(
        sim(Method::DELETE, format!("{base}/{id}"), &token, None)
            .await
            .status(),
        204
    );
    assert_error(
        sim(Method::GET, format!("{base}/{id}"), &token, None).await,
        404,
    )
    .await;
    assert_error(
        sim(Method::PUT, format!("{base}/{id}"), &token, Some(json!({}))).await,
        404,
    )
    .await;
    s.shutdown().await;
}

async fn tokens_expire_and_the_backend_fetches_a_new_one(h: Harness) {
    let s = h
        .servers_with(|c| c.sim_token_lifetime = Duration::from_secs(1))
        .await;
    let token = token(&s.sim_url).await;
    let url = format!("{}/assure/dossiers", s.sim_url);
    assert_eq!(
        sim(Method::GET, url.clone(), &token, None).await.status(),
        200
    );
    let (status, first) = session(&s.host_url, "").await;
    assert_eq!(status, 200, "{first}");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_error(sim(Method::GET, url, &token, None).await, 401).await;
    // The backend's cached token has expired too: it gets a 401, fetches a new token, retries once.
    let (status, second) = session(&s.host_url, "").await;
    assert_eq!(status, 200, "{second}");
    s.shutdown().await;
}

async fn bad_input_is_a_4xx_json_error_and_stores_nothing(h: Harness) {
    let dir = temp_dir();
    let s = h.servers_on(&dir, |_| {}).await;
    let token = token(&s.sim_url).await;
    let before = files_under(&dir);
    let dossiers = format!("{}/assure/dossiers", s.sim_url);

    // Wrong content type, malformed JSON, wrong shapes.
    let text = client()
        .post(&dossiers)
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_error(text, 415).await;
    let form = client()
        .post(&dossiers)
        .bearer_auth(&token)
        .form(&[("a", "b")])
        .send()
        .await
        .unwrap();
    assert_error(form, 415).await;
    let broken = client()
        .post(&dossiers)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"externalReference\":")
        .send()
        .await
        .unwrap();
    assert_error(broken, 400).await;
    let number = sim(
        Method::POST,
        dossiers.clone(),
        &token,
        Some(json!({ "externalReference": 5 })),
    )
    .await;
    assert_error(number, 400).await;
    assert_eq!(files_under(&dir), before, "nothing stored");

    let d = new_dossier(&s.sim_url, &token).await;
    let stored = files_under(&dir);
    let processes = format!("{dossiers}/{d}/processes");
    for body in [
        json!({ "provider": "videoid" }),
        json!({}),
        json!({ "provider": "eid", "processType": "low" }),
        json!({ "provider": "eid", "sdk": "flutter" }),
        json!({ "provider": "eid", "simulator": { "scenario": "explode" } }),
    ] {
        assert_error(
            sim(Method::POST, processes.clone(), &token, Some(body)).await,
            400,
        )
        .await;
    }
    let capture = format!("{dossiers}/{d}/capture");
    let no_redirect = json!({ "providers": [{ "provider": "eid" }] });
    assert_error(
        sim(Method::POST, capture.clone(), &token, Some(no_redirect)).await,
        400,
    )
    .await;
    let unknown = json!({ "providers": [{ "provider": "readid" }], "redirectUrl": "https://h/r" });
    assert_error(sim(Method::POST, capture, &token, Some(unknown)).await, 400).await;

    // Unknown ids and path tricks.
    for path in [
        format!("{dossiers}/no-such-dossier"),
        format!("{dossiers}/..%2F..%2Fetc"),
        format!("{dossiers}/%2E%2E"),
        format!("{dossiers}/{d}/processes/..%2Fdossier.json"),
        format!("{dossiers}/{d}/processes/nope/download"),
        format!("{dossiers}/{d}/processes/.hidden/video"),
    ] {
        let r = sim(Method::GET, path.clone(), &token, None).await;
        assert_error(r, 404).await;
    }
    let tricky = sim(
        Method::POST,
        format!("{dossiers}/..%2F..%2Fx/processes"),
        &token,
        Some(json!({ "provider": "eid" })),
    )
    .await;
    assert_error(tricky, 404).await;
    let cfg = sim(
        Method::GET,
        format!(
            "{}/assure/capture/configurations/..%2F..%2Fsimulator",
            s.sim_url
        ),
        &token,
        None,
    )
    .await;
    assert_error(cfg, 404).await;

    // Set images: not a dataURL, not the declared format, an unknown depiction, too big.
    let p = create_process(
        &s.sim_url,
        &token,
        &d,
        json!({ "provider": "signicatpaper" }),
    )
    .await;
    let stored = {
        let now = files_under(&dir);
        assert_eq!(now.len(), stored.len() + 1, "{now:?}");
        now
    };
    let images = format!(
        "{}/images",
        process_url(&s.sim_url, &d, p["processId"].as_str().unwrap())
    );
    for body in [
        json!({}),
        json!({ "front": "/9j/4AAQSkZJRgABAQ" }),
        json!({ "front": data_url("image/png", &jpeg("front")) }),
        json!({ "front": data_url("image/gif", b"GIF89a") }),
        json!({ "front": data_url("image/jpeg", &jpeg("front")), "portrait": data_url("image/jpeg", &jpeg("p")) }),
        json!({ "selfie": 5 }),
        json!(["front"]),
    ] {
        assert_error(
            sim(Method::POST, images.clone(), &token, Some(body)).await,
            400,
        )
        .await;
    }
    let huge = json!({ "front": data_url("image/jpeg", &vec![0xff; (10 << 20) + 10]) });
    assert_error(
        sim(Method::POST, images.clone(), &token, Some(huge)).await,
        400,
    )
    .await;
    let too_big = client()
        .post(&images)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(vec![b' '; 50 << 20])
        .send()
        .await
        .unwrap();
    assert_error(too_big, 413).await;
    assert_eq!(files_under(&dir), stored, "nothing stored by bad uploads");

    // Method not allowed and unknown paths are JSON too.
    let r = client()
        .patch(&dossiers)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_error(r, 405).await;
    s.shutdown().await;
}

crate::simulator_tests!(
    each_outcome_ends_in_its_documented_status_and_shape,
    a_process_goes_pending_then_processing_then_final_after_the_delay,
    placeholder_media_and_the_full_result_zip,
    sdk_processes_create_start_fail_and_delete,
    dossiers_list_and_delete,
    document_types_of_the_videoid_provider,
    capture_configurations_crud_with_the_videoid_block,
    tokens_expire_and_the_backend_fetches_a_new_one,
    bad_input_is_a_4xx_json_error_and_stores_nothing,
);
