//! `GET /metrics` over HTTP: a 404 without `METRICS_TOKEN`, a 401 without the token or with
//! another, and after real flows the counters that moved by exactly what the flows did.

mod common;

use common::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;

const TOKEN: &str = "metrics-token-for-the-tests-0123";

/// `GET /metrics` with `authorization` (when given).
async fn scrape(host_url: &str, authorization: Option<&str>) -> reqwest::Response {
    let mut request = client().get(format!("{host_url}/metrics"));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    request.send().await.expect("/metrics answers")
}

/// The samples of an exposition: `name{labels}` → value.
fn parse(text: &str) -> BTreeMap<String, f64> {
    let mut samples = BTreeMap::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix('#') {
            assert!(
                comment.starts_with(" HELP ") || comment.starts_with(" TYPE "),
                "{line}"
            );
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("a sample line");
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("a number: {line}"));
        assert!(
            samples.insert(series.to_string(), value).is_none(),
            "one sample per series: {line}"
        );
    }
    samples
}

/// The current samples, with the token.
async fn samples(host_url: &str) -> BTreeMap<String, f64> {
    let response = scrape(host_url, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    parse(&response.text().await.expect("a body"))
}

fn value(samples: &BTreeMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_are_a_404_without_a_token_set() {
    let s = servers().await;
    assert_error(scrape(&s.host_url, None).await, 404).await;
    assert_error(
        scrape(&s.host_url, Some("Bearer anything-at-all-really")).await,
        404,
    )
    .await;
    s.shutdown().await;
}

#[tokio::test]
async fn metrics_need_the_token() {
    let s = servers_with(|c| c.metrics_token = Some(TOKEN.to_string())).await;
    for authorization in [
        None,
        Some("Bearer wrong-token-of-the-same-length".to_string()),
        Some(format!("Bearer {TOKEN}x")),
        Some(format!("Basic {TOKEN}")),
        Some(TOKEN.to_string()),
        Some("Bearer ".to_string()),
    ] {
        let response = scrape(&s.host_url, authorization.as_deref()).await;
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer realm=\"metrics\"",
            "{authorization:?}"
        );
        let message = assert_error(response, 401).await;
        assert!(!message.contains(TOKEN));
    }
    let samples = samples(&s.host_url).await;
    // The refused scrapes are counted like any request.
    assert_eq!(
        value(
            &samples,
            "videoid_http_requests_total{route=\"/metrics\",method=\"GET\",status=\"401\"}"
        ),
        6.0
    );
    s.shutdown().await;
}

#[tokio::test]
async fn counters_move_with_the_flows() {
    let s = servers_with(|c| c.metrics_token = Some(TOKEN.to_string())).await;
    let before = samples(&s.host_url).await;
    let session_ok =
        "videoid_http_requests_total{route=\"/api/videoid/session\",method=\"POST\",status=\"200\"}";
    assert_eq!(value(&before, session_ok), 0.0);
    assert_eq!(value(&before, "videoid_handoffs_open"), 0.0);
    assert!(before.contains_key("videoid_handoffs_open"), "{before:?}");

    // An embed capture and a native one, both accepted.
    let mut embed = EndUser::new(&s.host_url);
    let (dossier_id, process_id) = embed.embed_capture(&s.sim_url, "accepted").await;
    assert_eq!(
        final_result(&mut embed, &dossier_id, &process_id).await["status"],
        "accepted"
    );
    let mut native = EndUser::new(&s.host_url);
    let (status, session) = native
        .session("?scenario=accepted", json!({ "mode": "native" }))
        .await;
    assert_eq!(status, 200, "{session}");
    let token = session["uploadToken"].as_str().expect("a token");
    for step in ["front", "back", "selfie"] {
        let response = client()
            .put(format!("{}/api/videoid/upload/{step}", s.host_url))
            .bearer_auth(token)
            .header("content-type", "image/jpeg")
            .body(jpeg(step))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 201);
    }
    let response = client()
        .post(format!("{}/api/videoid/upload/complete", s.host_url))
        .bearer_auth(token)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let native_dossier = session["dossierId"].as_str().expect("a dossier");
    let native_process = session["processId"].as_str().expect("a process");
    let result = final_result(&mut native, native_dossier, native_process).await;
    assert_eq!(result["status"], "accepted");
    // A refused session (an unknown mode).
    let (status, _) = native.session("", json!({ "mode": "telepathy" })).await;
    assert_eq!(status, 400);

    // Both webhook deliveries land (each counted once).
    let accepted = "videoid_verifications_total{status=\"accepted\"}";
    let mut after = samples(&s.host_url).await;
    for _ in 0..100 {
        if value(&after, accepted) >= 2.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        after = samples(&s.host_url).await;
    }
    let moved = |series: &str| value(&after, series) - value(&before, series);
    assert_eq!(moved(accepted), 2.0, "{after:?}");
    assert_eq!(moved(session_ok), 2.0);
    assert_eq!(
        moved("videoid_http_requests_total{route=\"/api/videoid/session\",method=\"POST\",status=\"400\"}"),
        1.0
    );
    assert_eq!(
        moved("videoid_http_requests_total{route=\"/api/videoid/upload/{step}\",method=\"PUT\",status=\"201\"}"),
        3.0
    );
    assert_eq!(
        moved("videoid_http_requests_total{route=\"/api/videoid/upload/complete\",method=\"POST\",status=\"200\"}"),
        1.0
    );
    assert_eq!(
        moved("videoid_sessions_total{mode=\"hosted\",outcome=\"started\"}"),
        1.0
    );
    assert_eq!(
        moved("videoid_sessions_total{mode=\"native\",outcome=\"started\"}"),
        1.0
    );
    assert_eq!(
        moved("videoid_sessions_total{mode=\"invalid\",outcome=\"refused\"}"),
        1.0
    );
    // The latency histogram: every session request in +Inf and the count, buckets cumulative.
    let count = "videoid_http_request_duration_seconds_count{route=\"/api/videoid/session\"}";
    assert_eq!(moved(count), 3.0);
    assert_eq!(
        value(&after, "videoid_http_request_duration_seconds_bucket{route=\"/api/videoid/session\",le=\"+Inf\"}"),
        value(&after, count)
    );
    let mut last = 0.0;
    for le in videoid_backend::metrics::LATENCY_BUCKETS {
        let n = value(
            &after,
            &format!("videoid_http_request_duration_seconds_bucket{{route=\"/api/videoid/session\",le=\"{le}\"}}"),
        );
        assert!(n >= last, "cumulative at {le}");
        last = n;
    }
    assert!(
        value(
            &after,
            "videoid_http_request_duration_seconds_sum{route=\"/api/videoid/session\"}"
        ) > 0.0
    );
    // Upstream: two dossiers made, a token fetched, every process read answered.
    assert_eq!(
        moved("videoid_upstream_requests_total{call=\"POST /assure/dossiers\",result=\"2xx\"}"),
        2.0
    );
    assert!(moved("videoid_upstream_requests_total{call=\"POST /auth/open/connect/token\",result=\"2xx\"}") >= 1.0);
    assert!(moved("videoid_upstream_requests_total{call=\"GET /assure/dossiers/{dossierId}/processes/{processId}\",result=\"2xx\"}") >= 2.0);
    assert_eq!(
        moved("videoid_upstream_requests_total{call=\"POST /assure/dossiers/{dossierId}/processes/{processId}/images\",result=\"2xx\"}"),
        3.0,
        "{after:?}"
    );
    assert!(
        !after
            .keys()
            .any(|k| k.contains(&dossier_id) || k.contains(&process_id)),
        "no ids in the labels"
    );

    // Upstream faults: the process read fails every time (retried, then a 502).
    set_faults(&s.sim_url, "GET /assure/dossiers/*/processes/*: 500").await;
    let (status, _) = embed.result(&dossier_id, &process_id).await;
    assert_eq!(status, 502);
    set_faults(&s.sim_url, "").await;
    let faulted = samples(&s.host_url).await;
    let read = "GET /assure/dossiers/{dossierId}/processes/{processId}";
    let moved = |series: &str| value(&faulted, series) - value(&after, series);
    assert_eq!(
        moved(&format!(
            "videoid_upstream_faults_total{{call=\"{read}\",fault=\"status_5xx\"}}"
        )),
        1.0
    );
    let tries = moved(&format!(
        "videoid_upstream_requests_total{{call=\"{read}\",result=\"5xx\"}}"
    ));
    assert!(tries >= 2.0, "retried: {tries}");
    assert_eq!(
        moved("videoid_http_requests_total{route=\"/api/videoid/result\",method=\"GET\",status=\"502\"}"),
        1.0
    );

    // Open handoffs: one while it waits, none once revoked.
    let (status, created) = json(
        embed
            .send(
                client()
                    .post(format!("{}/api/videoid/handoff", s.host_url))
                    .json(&json!({ "mode": "native" })),
            )
            .await,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        value(&samples(&s.host_url).await, "videoid_handoffs_open"),
        1.0
    );
    let id = created["id"].as_str().expect("an id");
    let response = embed
        .send(client().delete(format!("{}/api/videoid/handoff/{id}", s.host_url)))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        value(&samples(&s.host_url).await, "videoid_handoffs_open"),
        0.0
    );
    s.shutdown().await;
}
