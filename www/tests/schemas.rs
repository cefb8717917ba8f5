//! Every simulator answer in the published shapes: no `null` where the schema has a string
//! (absent fields are omitted), and enumerations exactly as Assure publishes them.

mod common;

use assure_simulator::published;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

/// Asserts that no value anywhere in `answer` is `null`.
fn assert_no_nulls(what: &str, answer: &Value) {
    fn walk(path: &str, value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Null => found.push(path.to_string()),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), item, found);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    walk(&format!("{path}.{key}"), item, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk("", answer, &mut found);
    assert!(found.is_empty(), "{what}: null at {found:?} in {answer}");
}

const STATUSES: &[&str] = &[
    "pending",
    "processing",
    "accepted",
    "rejected",
    "canceled",
    "failed",
    "inconclusive",
];

/// Checks a "Get process" answer: no nulls, published enumerations, the result rules.
fn assert_process_shape(process: &Value) {
    assert_no_nulls("process", process);
    for key in ["processId", "provider", "status", "createdAt", "updatedAt"] {
        assert!(process[key].is_string(), "{key} in {process}");
    }
    let provider = process["provider"].as_str().unwrap();
    assert!(
        published::PROCESS_PROVIDERS.contains(&provider),
        "{provider}"
    );
    if let Some(t) = process.get("processType") {
        assert!(
            published::PROCESS_TYPES.contains(&t.as_str().unwrap()),
            "{t}"
        );
    }
    let status = process["status"].as_str().unwrap();
    assert!(STATUSES.contains(&status), "{status}");
    assert_eq!(
        process.get("finalResult").is_some(),
        status == "accepted",
        "{process}"
    );
    if let Some(ocr) = process["providerSpecific"].get("ocr") {
        let similarity = ocr["similarityScore"].as_str().unwrap();
        assert!(["high", "medium", "low", "veryLow"].contains(&similarity));
        assert_eq!(ocr["livenessDetected"], "true");
        let kind = ocr["documentType"].as_str().unwrap();
        assert!(published::DOCUMENT_KINDS.contains(&kind), "{kind}");
        for check in ocr["securityChecks"].as_object().unwrap().values() {
            assert!(check["valid"].is_boolean());
        }
    }
    if let Some(reason) = process.get("failReason") {
        assert!(reason["type"].is_string() && reason["message"].is_string());
    }
}

#[test]
fn the_published_lists_are_the_documented_ones() {
    assert_eq!(
        published::CAPTURE_PROVIDERS,
        [
            "onfido",
            "signicatpaper",
            "readid",
            "signicatpictureid",
            "signicatvideoid",
            "webid"
        ]
    );
    assert_eq!(
        published::PROCESS_PROVIDERS[6..],
        ["facetec", "connect:idmethod"]
    );
    assert_eq!(
        published::CAPTURE_PROCESS_TYPES,
        [
            "substantial",
            "substantialFullyAuto",
            "high",
            "document",
            "documentSelfie",
            "documentVideo",
            "ready"
        ]
    );
    assert_eq!(
        published::PROCESS_TYPES[7..],
        ["sdk", "accountid", "videoid"]
    );
    assert_eq!(published::SDKS, ["native", "capture"]);
    assert_eq!(published::DOCUMENT_KINDS.len(), 16);
    assert_eq!(
        published::DIRECT_UPLOAD_PROVIDERS,
        ["onfido", "signicatpaper", "facetec"]
    );
}

async fn dossiers_omit_an_absent_external_reference(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let url = format!("{}/assure/dossiers", s.sim_url);
    let (status, bare) = json(sim(Method::POST, url.clone(), &token, Some(json!({}))).await).await;
    assert_eq!(status, 201);
    assert_no_nulls("dossier", &bare);
    assert!(bare.get("externalReference").is_none(), "{bare}");
    let named = json!({ "externalReference": "customer-42" });
    let (_, with) = json(sim(Method::POST, url.clone(), &token, Some(named)).await).await;
    assert_eq!(with["externalReference"], "customer-42");
    let d = bare["dossierId"].as_str().unwrap();
    let (_, read) = json(sim(Method::GET, format!("{url}/{d}"), &token, None).await).await;
    assert!(read.get("externalReference").is_none(), "{read}");
    assert!(read["processes"].as_array().unwrap().is_empty());
    let (_, list) = json(sim(Method::GET, url, &token, None).await).await;
    assert_no_nulls("dossier list", &list);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["externalReference"] == "customer-42"));
    s.shutdown().await;
}

async fn every_published_provider_process_type_and_sdk_is_accepted(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let processes = format!("{}/assure/dossiers/{d}/processes", s.sim_url);
    for provider in published::PROCESS_PROVIDERS.iter().chain(&["eid"]) {
        let body = json!({ "provider": provider });
        let (status, process) =
            json(sim(Method::POST, processes.clone(), &token, Some(body)).await).await;
        assert_eq!(status, 201, "{provider}: {process}");
        assert_process_shape(&process);
        let published_name = if *provider == "eid" {
            "signicatvideoid"
        } else {
            provider
        };
        assert_eq!(process["provider"], published_name);
        let videoid = published_name == "signicatvideoid";
        assert_eq!(process.get("authorization").is_some(), videoid, "{process}");
        assert_eq!(
            process.get("providerApiUrl").is_some(),
            videoid,
            "{process}"
        );
        assert_eq!(
            process.get("processType").is_some(),
            videoid,
            "VideoID defaults to high"
        );
    }
    for process_type in published::PROCESS_TYPES {
        for sdk in [None, Some("native"), Some("capture")] {
            let mut body = json!({ "provider": "signicatvideoid", "processType": process_type });
            if let Some(sdk) = sdk {
                body["sdk"] = json!(sdk);
            }
            let (status, process) =
                json(sim(Method::POST, processes.clone(), &token, Some(body)).await).await;
            assert_eq!(status, 201, "{process_type} {sdk:?}: {process}");
            assert_eq!(process["processType"], *process_type);
        }
    }
    let capture = format!("{}/assure/dossiers/{d}/capture", s.sim_url);
    for process_type in published::CAPTURE_PROCESS_TYPES {
        for sdk in [None, Some("native"), Some("capture")] {
            let mut body = json!({
                "providers": [{ "provider": "signicatvideoid", "processType": process_type }],
                "redirectUrl": "https://host.example/return",
            });
            if let Some(sdk) = sdk {
                body["sdk"] = json!(sdk);
            }
            let (status, answer) =
                json(sim(Method::POST, capture.clone(), &token, Some(body)).await).await;
            assert_eq!(status, 201, "{process_type} {sdk:?}: {answer}");
            assert_eq!(answer.as_object().unwrap().len(), 1, "only url: {answer}");
            let art = artifact(&s.sim_url, &artifact_of(answer["url"].as_str().unwrap())).await;
            assert_no_nulls("capture session", &art);
            assert_eq!(art["sdk"], sdk.unwrap_or("capture"));
            assert_eq!(
                art.get("authorization").is_some(),
                sdk == Some("native"),
                "{art}"
            );
            let pid = art["processId"].as_str().unwrap();
            let (_, process) =
                json(sim(Method::GET, format!("{processes}/{pid}"), &token, None).await).await;
            assert_eq!(process["processType"], *process_type);
            assert!(process.get("authorization").is_none());
            assert_process_shape(&process);
        }
    }
    for bad in [
        json!({ "provider": "signicatvideoid", "processType": "hybrid" }),
        json!({ "provider": "SignicatVideoID" }),
        json!({ "provider": "signicatvideoid", "sdk": "web" }),
    ] {
        assert_error(
            sim(Method::POST, processes.clone(), &token, Some(bad)).await,
            400,
        )
        .await;
    }
    let bad_capture = json!({
        "providers": [{ "provider": "eid", "processType": "sdk" }],
        "redirectUrl": "https://host.example/return",
    });
    assert_error(
        sim(Method::POST, capture, &token, Some(bad_capture)).await,
        400,
    )
    .await;
    s.shutdown().await;
}

async fn document_types_use_the_published_types_and_ids_only_for_videoid(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    for provider in published::DOCUMENT_TYPE_PROVIDERS.iter().chain(&["eid"]) {
        let url = format!("{}/assure/{provider}/document-types", s.sim_url);
        let (status, rows) = json(sim(Method::GET, url, &token, None).await).await;
        assert_eq!(status, 200, "{provider}");
        assert_no_nulls("document types", &rows);
        let rows = rows.as_array().unwrap();
        assert!(!rows.is_empty());
        let videoid = matches!(*provider, "signicatvideoid" | "eid");
        for row in rows {
            let kind = row["type"].as_str().unwrap();
            assert!(published::DOCUMENT_KINDS.contains(&kind), "{kind}");
            for key in ["country", "countryName", "name", "subType", "icao"] {
                assert!(row[key].is_string(), "{key} in {row}");
            }
            assert_eq!(row.get("id").is_some_and(Value::is_u64), videoid, "{row}");
        }
    }
    s.shutdown().await;
}

async fn processes_at_every_status_and_the_other_answers_have_no_nulls(h: Harness) {
    let s = h.servers().await;
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let processes = format!("{}/assure/dossiers/{d}/processes", s.sim_url);
    let mut ids = Vec::new();
    for scenario in [
        "accepted",
        "rejected",
        "inconclusive",
        "inconclusive-feature",
        "failed-inactive",
        "canceled",
    ] {
        // VideoID through its web SDK's API (fully automatic: its default `high` waits for an
        // agent, review.rs), and Signicat Paper through Set images.
        let body = json!({
            "provider": "signicatvideoid",
            "processType": "substantialFullyAuto",
            "simulator": { "scenario": scenario },
        });
        let (_, videoid) =
            json(sim(Method::POST, processes.clone(), &token, Some(body)).await).await;
        assert_no_nulls("create process", &videoid);
        sdk_video(
            videoid["providerApiUrl"].as_str().unwrap(),
            videoid["authorization"].as_str().unwrap(),
            1,
        )
        .await;
        ids.push(videoid["processId"].as_str().unwrap().to_string());
        let body = json!({ "provider": "signicatpaper", "simulator": { "scenario": scenario } });
        let (_, paper) = json(sim(Method::POST, processes.clone(), &token, Some(body)).await).await;
        let pid = paper["processId"].as_str().unwrap().to_string();
        let images = json!({ "front": data_url("image/jpeg", &jpeg("front")) });
        let set = sim(
            Method::POST,
            format!("{processes}/{pid}/images"),
            &token,
            Some(images),
        )
        .await;
        assert_eq!(set.status(), 201);
        let (status, started) =
            json(sim(Method::POST, format!("{processes}/{pid}"), &token, None).await).await;
        assert_eq!(status, 202);
        assert_process_shape(&started);
        ids.push(pid);
    }
    let mut statuses = std::collections::BTreeSet::new();
    for pid in &ids {
        let process = sim_final(&s.sim_url, &token, &d, pid).await;
        assert_process_shape(&process);
        statuses.insert(process["status"].as_str().unwrap().to_string());
    }
    assert_eq!(statuses.len(), 5, "{statuses:?}");
    let body = json!({ "provider": "signicatvideoid" });
    let (_, pending) = json(sim(Method::POST, processes.clone(), &token, Some(body)).await).await;
    let pid = pending["processId"].as_str().unwrap();
    let (status, failed) = json(
        sim(
            Method::POST,
            format!("{processes}/{pid}/fail"),
            &token,
            Some(json!({})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_process_shape(&failed);
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
    assert_no_nulls("dossier", &dossier);
    assert_eq!(
        dossier["processes"].as_array().unwrap().len(),
        ids.len() + 1
    );

    let configurations = format!("{}/assure/capture/configurations", s.sim_url);
    let (_, cfg) = json(
        sim(
            Method::POST,
            configurations.clone(),
            &token,
            Some(json!({ "name": "x" })),
        )
        .await,
    )
    .await;
    assert_no_nulls("configuration", &cfg);
    let (_, list) = json(sim(Method::GET, configurations, &token, None).await).await;
    assert_no_nulls("configurations", &list);
    s.shutdown().await;
}

crate::simulator_tests!(
    dossiers_omit_an_absent_external_reference,
    every_published_provider_process_type_and_sdk_is_accepted,
    document_types_use_the_published_types_and_ids_only_for_videoid,
    processes_at_every_status_and_the_other_answers_have_no_nulls,
);
