//! `mode: "sdk"` (UC2) end to end over HTTP: the backend's session answer, then VideoID's
//! provider API as its web SDK uses it (open, stills, recording, complete), then the result
//! and the uploaded media through the backend; the authorization's rules; the cached
//! document types, counted through a proxy that stands in for the real API.

mod common;

use assure_simulator::zip;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method as AxumMethod, Uri};
use axum::response::IntoResponse;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

async fn sdk_session(user: &mut EndUser, query: &str, body: Value) -> Value {
    let (status, session) = user.session(query, body).await;
    assert_eq!(status, 200, "{session}");
    session
}

/// `providerApiUrl` of a session's `sdkUrl`.
fn provider_api(session: &Value) -> String {
    session["sdkUrl"]
        .as_str()
        .unwrap()
        .strip_suffix("/js/videoid.js")
        .expect("sdkUrl is providerApiUrl + /js/videoid.js")
        .to_string()
}

fn open_body(id_type: u64) -> Option<(&'static str, Vec<u8>)> {
    Some((
        "application/json",
        serde_json::to_vec(&json!({ "idType": id_type })).unwrap(),
    ))
}

async fn the_sdk_session_answer_is_what_the_web_sdk_starts_with(h: Harness) {
    // One end-user tries every document type in a row: more starts than a person makes.
    let s = h.servers_with(|c| c.rate_limits = None).await;
    let mut user = EndUser::new(&s.host_url);
    let session = sdk_session(&mut user, "", json!({ "mode": "sdk", "lang": "en" })).await;
    assert!(user.cookie.is_some(), "the end-user got a cookie");
    let keys: Vec<&String> = session.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "authorization",
            "dossierId",
            "expiresAt",
            "flow",
            "idType",
            "processId",
            "sdkUrl"
        ]
    );
    assert_eq!(
        session["sdkUrl"],
        format!("{}/provider/js/videoid.js", s.sim_url)
    );
    assert_eq!(
        session["flow"], "unattended",
        "the default VIDEOID_SDK_FLOW"
    );
    assert_eq!(session["idType"], 2, "the first identityCard of the list");
    assert!(session["authorization"].as_str().unwrap().len() >= 32);
    let expires = session["expiresAt"].as_str().unwrap();
    assert!(expires.ends_with('Z') && expires > videoid_backend::clock::now_rfc3339().as_str());

    // The SDK is there, as JavaScript any origin may load.
    let sdk = client()
        .get(session["sdkUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(sdk.status(), 200);
    assert!(sdk.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert_eq!(sdk.headers()["access-control-allow-origin"], "*");
    assert!(sdk.text().await.unwrap().contains("EID.videoId"));

    // The process is VideoID's, pending, in the end-user's dossier (reused next time).
    let token = token(&s.sim_url).await;
    let d = session["dossierId"].as_str().unwrap();
    let p = session["processId"].as_str().unwrap();
    let url = format!("{}/assure/dossiers/{d}/processes/{p}", s.sim_url);
    let (_, process) = json(sim(Method::GET, url, &token, None).await).await;
    assert_eq!(process["provider"], "signicatvideoid");
    assert_eq!(
        process["processType"], "substantialFullyAuto",
        "the default VIDEOID_PROCESS_TYPE"
    );
    assert_eq!(process["status"], "pending");
    assert!(
        process.get("authorization").is_none(),
        "Get process does not repeat the authorization"
    );
    let again = sdk_session(&mut user, "", json!({ "mode": "sdk" })).await;
    assert_eq!(again["dossierId"], session["dossierId"]);
    assert_ne!(again["processId"], session["processId"]);
    assert_ne!(again["authorization"], session["authorization"]);

    // The request may name the document type: an id, a type, COUNTRY:type.
    for (named, id) in [
        (json!(62), 62),
        (json!("62"), 62),
        (json!("passport"), 1),
        (json!("ES:identityCard"), 62),
        (json!("se:identityCard"), 5),
        (json!(null), 2),
    ] {
        let answer = sdk_session(
            &mut user,
            "",
            json!({ "mode": "sdk", "documentType": named }),
        )
        .await;
        assert_eq!(answer["idType"], id, "{named}");
    }
    for bad in [
        json!(999),
        json!("idCard"),
        json!("DE:passport"),
        json!(true),
        json!(-1),
    ] {
        let (status, body) = user
            .session("", json!({ "mode": "sdk", "documentType": bad }))
            .await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let (status, _) = user.session("", json!({ "mode": "video" })).await;
    assert_eq!(status, 400);
    s.shutdown().await;
}

async fn an_attended_session_names_the_attended_sdk_and_asks_for_an_agent(h: Harness) {
    // The demo's `?flow=attended` (simulator mode), and a site's VIDEOID_SDK_FLOW.
    let s = h.servers().await;
    let configured = h.servers_with(|c| c.sdk_flow = "attended".into()).await;
    let token = token(&s.sim_url).await;
    for (servers, query) in [(&s, "?flow=attended"), (&configured, "")] {
        let mut user = EndUser::new(&servers.host_url);
        let session = sdk_session(&mut user, query, json!({ "mode": "sdk" })).await;
        assert_eq!(session["flow"], "attended", "{query}");
        assert_eq!(
            session["sdkUrl"],
            format!("{}/provider/js/videoidattended.js", servers.sim_url)
        );
        let d = session["dossierId"].as_str().unwrap();
        let p = session["processId"].as_str().unwrap();
        let url = format!("{}/assure/dossiers/{d}/processes/{p}", servers.sim_url);
        let token = if servers.sim_url == s.sim_url {
            token.clone()
        } else {
            self::token(&servers.sim_url).await
        };
        let (_, process) = json(sim(Method::GET, url, &token, None).await).await;
        assert_eq!(process["processType"], "high", "an agent is needed");
    }
    // `?flow=unattended` on a backend configured for attended sessions picks the other.
    let mut user = EndUser::new(&configured.host_url);
    let session = sdk_session(&mut user, "?flow=unattended", json!({ "mode": "sdk" })).await;
    assert_eq!(session["flow"], "unattended");
    assert!(session["sdkUrl"]
        .as_str()
        .unwrap()
        .ends_with("/js/videoid.js"));
    // An unknown flow is a clear 400 and creates nothing.
    let mut user = EndUser::new(&s.host_url);
    let (status, body) = user.session("?flow=live", json!({ "mode": "sdk" })).await;
    assert_eq!(status, 400, "{body}");
    assert!(user.cookie.is_none(), "no end-user for a refused request");
    s.shutdown().await;
    configured.shutdown().await;
}

async fn the_web_sdk_uploads_and_the_process_serves_what_was_uploaded(h: Harness) {
    // `review=agent`: an agent reviews the recording; the automatic agent accepts at once.
    let s = h
        .servers_with(|c| c.sim_agents.auto_accept = Some(Duration::ZERO))
        .await;
    let mut user = EndUser::new(&s.host_url);
    let session = sdk_session(
        &mut user,
        "?scenario=accepted&review=agent",
        json!({ "mode": "sdk", "lang": "en" }),
    )
    .await;
    let authorization = session["authorization"].as_str().unwrap();
    let video = sdk_video(&provider_api(&session), authorization, 2).await;
    assert_eq!(video["phases"], json!(["FRONT", "BACK", "FACE"]));
    assert_eq!(video["idType"], 2);
    assert!(video.get("simulator").is_none());

    let d = session["dossierId"].as_str().unwrap();
    let p = session["processId"].as_str().unwrap();
    let process = final_result(&mut user, d, p).await;
    assert_eq!(process["status"], "accepted");
    assert_eq!(
        process["providerSpecific"]["ocr"]["documentType"],
        "identityCard"
    );
    assert_eq!(process["processType"], "substantial");
    assert_eq!(
        process["providerSpecific"]["manualApproval"],
        json!({ "rejectionReasons": [] }),
        "registered by the automatic agent"
    );

    for (depiction, phase) in [("front", "front"), ("back", "back"), ("selfie", "face")] {
        let r = user
            .get(&format!(
                "/api/videoid/images?processId={p}&depiction={depiction}"
            ))
            .await;
        assert_eq!(r.status(), 200, "{depiction}");
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        assert_eq!(
            r.bytes().await.unwrap().to_vec(),
            jpeg(phase),
            "{depiction}"
        );
    }
    let portrait = user
        .get(&format!(
            "/api/videoid/images?processId={p}&depiction=portrait"
        ))
        .await;
    assert_eq!(
        portrait.status(),
        200,
        "VideoID cuts the portrait from the document"
    );
    let r = user.get(&format!("/api/videoid/video?processId={p}")).await;
    assert_eq!(r.headers()["content-type"], "video/webm");
    assert_eq!(r.bytes().await.unwrap().to_vec(), recording());
    let download = user
        .get(&format!("/api/videoid/download?processId={p}"))
        .await;
    assert_eq!(download.status(), 200);
    let entries = zip::read_stored(&download.bytes().await.unwrap()).unwrap();
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ocr.json",
            "manual_approval.json",
            "front.jpeg",
            "back.jpeg",
            "selfie.jpeg",
            "portrait.jpeg",
            "video.webm"
        ]
    );
    assert_eq!(entries[6].1, recording());
    s.shutdown().await;
}

async fn the_process_follows_the_scenario_and_no_interaction_waits_at_front(h: Harness) {
    let s = h.servers().await;
    for (scenario, status) in [
        ("rejected", "rejected"),
        ("inconclusive", "inconclusive"),
        ("inconclusive-feature", "inconclusive"),
        ("failed-inactive", "failed"),
        ("canceled", "canceled"),
    ] {
        let mut user = EndUser::new(&s.host_url);
        let session = sdk_session(
            &mut user,
            &format!("?scenario={scenario}"),
            json!({ "mode": "sdk" }),
        )
        .await;
        sdk_video(
            &provider_api(&session),
            session["authorization"].as_str().unwrap(),
            1,
        )
        .await;
        let process = final_result(
            &mut user,
            session["dossierId"].as_str().unwrap(),
            session["processId"].as_str().unwrap(),
        )
        .await;
        assert_eq!(process["status"], status, "{scenario}");
        if status == "failed" {
            assert_eq!(process["failReason"]["type"], "InactiveUser.Aborted");
        }
    }

    // no-interaction: the SDK is told to wait at FRONT; the process stays pending.
    let mut user = EndUser::new(&s.host_url);
    let session = sdk_session(
        &mut user,
        "?scenario=no-interaction",
        json!({ "mode": "sdk" }),
    )
    .await;
    let (status, video) = provider_call(
        Method::POST,
        &provider_api(&session),
        "",
        session["authorization"].as_str().unwrap(),
        open_body(2),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(video["simulator"], json!({ "waitAt": "FRONT" }));
    let (_, process) = user
        .result(
            session["dossierId"].as_str().unwrap(),
            session["processId"].as_str().unwrap(),
        )
        .await;
    assert_eq!(process["status"], "pending");
    s.shutdown().await;
}

async fn authorizations_are_single_use_bound_to_their_process_and_checked(h: Harness) {
    let s = h.servers().await;
    let mut user = EndUser::new(&s.host_url);
    let first = sdk_session(&mut user, "", json!({ "mode": "sdk" })).await;
    let second = sdk_session(
        &mut user,
        "",
        json!({ "mode": "sdk", "documentType": "passport" }),
    )
    .await;
    let api = provider_api(&first);
    let a = first["authorization"].as_str().unwrap();
    let b = second["authorization"].as_str().unwrap();
    let code = |body: &Value| body["code"].as_str().unwrap_or_default().to_string();

    // Missing and wrong authorizations.
    let anonymous = client()
        .post(format!("{api}/api/videos"))
        .json(&json!({ "idType": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.headers()["access-control-allow-origin"], "*");
    let (status, body) = json(anonymous).await;
    assert_eq!(
        (status, code(&body).as_str()),
        (401, "authorization-missing")
    );
    let (status, body) = provider_call(Method::POST, &api, "", "not-a-token", open_body(2)).await;
    assert_eq!(
        (status, code(&body).as_str()),
        (401, "authorization-invalid")
    );
    assert!(body["error"].is_string());

    // Bad document types and bodies.
    let (status, body) = provider_call(Method::POST, &api, "", a, open_body(999)).await;
    assert_eq!((status, code(&body).as_str()), (400, "unknown-id-type"));
    let (status, body) = provider_call(
        Method::POST,
        &api,
        "",
        a,
        Some(("application/json", b"{".to_vec())),
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (400, "bad-request"));

    // One video session per authorization.
    let (status, video_a) = provider_call(Method::POST, &api, "", a, open_body(2)).await;
    assert_eq!(status, 201);
    let (status, body) = provider_call(Method::POST, &api, "", a, open_body(2)).await;
    assert_eq!((status, code(&body).as_str()), (401, "authorization-used"));
    let id_a = video_a["id"].as_str().unwrap();

    // Bound: b cannot upload into a's video; a passport has no back; types and emptiness.
    let (_, video_b) = provider_call(Method::POST, &api, "", b, open_body(1)).await;
    assert_eq!(video_b["phases"], json!(["FRONT", "FACE"]));
    let still = Some(("image/jpeg", jpeg("front")));
    let (status, body) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_a}/images/front"),
        b,
        still.clone(),
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (404, "unknown-video"));
    let id_b = video_b["id"].as_str().unwrap();
    let (status, body) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_b}/images/back"),
        b,
        still.clone(),
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (404, "unknown-phase"));
    let (status, body) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_a}/images/front"),
        a,
        Some(("image/png", jpeg("front"))),
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (415, "unsupported-type"));
    let (status, body) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_a}/recording"),
        a,
        Some(("video/webm", Vec::new())),
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (400, "empty"));
    let (status, body) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_a}/recording"),
        a,
        Some(("image/jpeg", jpeg("x"))),
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (415, "unsupported-type"));
    let (status, body) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_a}/recording"),
        a,
        Some(("video/webm", vec![1; (50 << 20) + 1])),
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (413, "too-large"));

    // Completing early names what is missing; a later still replaces an earlier one.
    let (status, _) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_a}/images/front"),
        a,
        Some(("image/jpeg", jpeg("old"))),
    )
    .await;
    assert_eq!(status, 201);
    let (status, body) =
        provider_call(Method::POST, &api, &format!("/{id_a}/complete"), a, None).await;
    assert_eq!((status, code(&body).as_str()), (409, "media-missing"));
    assert_eq!(body["missing"], json!(["back", "face", "recording"]));
    for phase in ["front", "back", "face"] {
        let (status, _) = provider_call(
            Method::PUT,
            &api,
            &format!("/{id_a}/images/{phase}"),
            a,
            Some(("image/jpeg", jpeg(phase))),
        )
        .await;
        assert_eq!(status, 201);
    }
    let (status, _) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_a}/recording"),
        a,
        Some(("video/webm; codecs=vp8", recording())),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) =
        provider_call(Method::POST, &api, &format!("/{id_a}/complete"), a, None).await;
    assert_eq!(status, 200);

    // Spent: nothing more with it.
    let (status, body) = provider_call(
        Method::PUT,
        &api,
        &format!("/{id_a}/images/front"),
        a,
        still,
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (401, "authorization-used"));
    let (status, body) =
        provider_call(Method::POST, &api, &format!("/{id_a}/complete"), a, None).await;
    assert_eq!((status, code(&body).as_str()), (401, "authorization-used"));
    let d = first["dossierId"].as_str().unwrap();
    let p = first["processId"].as_str().unwrap();
    let front = user
        .get(&format!(
            "/api/videoid/images?processId={p}&depiction=front"
        ))
        .await;
    assert_eq!(
        front.bytes().await.unwrap().to_vec(),
        jpeg("front"),
        "the last still won"
    );
    assert_eq!(final_result(&mut user, d, p).await["status"], "accepted");
    s.shutdown().await;
}

async fn an_expired_authorization_is_refused_and_preflights_are_answered(h: Harness) {
    let s = h
        .servers_with(|c| c.session_lifetime = Duration::from_millis(300))
        .await;
    let mut user = EndUser::new(&s.host_url);
    let session = sdk_session(&mut user, "", json!({ "mode": "sdk" })).await;
    let api = provider_api(&session);
    let preflight = client()
        .request(Method::OPTIONS, format!("{api}/api/videos"))
        .header("origin", "http://localhost:1")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert!(h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("authorization"));
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("PUT"));
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, body) = provider_call(
        Method::POST,
        &api,
        "",
        session["authorization"].as_str().unwrap(),
        open_body(2),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "authorization-expired");
    s.shutdown().await;
}

/// Forwards every request to `target`, counting the document-type reads.
#[derive(Clone)]
struct Proxy {
    target: String,
    http: reqwest::Client,
    document_type_reads: Arc<AtomicUsize>,
}

async fn forward(
    State(proxy): State<Proxy>,
    method: AxumMethod,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    if uri.path().ends_with("/document-types") {
        proxy.document_type_reads.fetch_add(1, Ordering::SeqCst);
    }
    let method = Method::from_bytes(method.as_str().as_bytes()).unwrap();
    let mut request = proxy.http.request(method, format!("{}{uri}", proxy.target));
    for name in ["authorization", "content-type", "accept"] {
        if let Some(v) = headers.get(name) {
            request = request.header(name, v.to_str().unwrap());
        }
    }
    let answer = request.body(body).send().await.unwrap();
    let status = answer.status().as_u16();
    let content_type = answer
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = answer.bytes().await.unwrap();
    (
        axum::http::StatusCode::from_u16(status).unwrap(),
        [(axum::http::header::CONTENT_TYPE, content_type)],
        bytes,
    )
        .into_response()
}

async fn with_the_real_api_the_document_types_are_read_once_and_cached(h: Harness) {
    let upstream = h.servers().await;
    let reads = Arc::new(AtomicUsize::new(0));
    let proxy = Proxy {
        target: upstream.sim_url.clone(),
        http: client(),
        document_type_reads: reads.clone(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let s = h
        .servers_with(|c| {
            c.real = Some(videoid_www::config::RealAssure {
                client_id: CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                base_url: proxy_url,
            });
            c.sdk_document_type = videoid_backend::DocumentChoice::Id(62);
        })
        .await;
    let mut user = EndUser::new(&s.host_url);
    let first = sdk_session(&mut user, "?scenario=rejected", json!({ "mode": "sdk" })).await;
    assert_eq!(first["idType"], 62, "the setting");
    let second = sdk_session(
        &mut user,
        "",
        json!({ "mode": "sdk", "documentType": "passport" }),
    )
    .await;
    assert_eq!(second["idType"], 1, "the request");
    assert_eq!(reads.load(Ordering::SeqCst), 1, "read once, then cached");
    assert_eq!(
        first["sdkUrl"],
        format!("{}/provider/js/videoid.js", upstream.sim_url)
    );
    sdk_video(
        &provider_api(&first),
        first["authorization"].as_str().unwrap(),
        62,
    )
    .await;
    let process = final_result(
        &mut user,
        first["dossierId"].as_str().unwrap(),
        first["processId"].as_str().unwrap(),
    )
    .await;
    assert_eq!(
        process["status"], "accepted",
        "no scenario knob with the real API"
    );
    s.shutdown().await;
    server.abort();
    upstream.shutdown().await;
}

crate::simulator_tests!(
    the_sdk_session_answer_is_what_the_web_sdk_starts_with,
    an_attended_session_names_the_attended_sdk_and_asks_for_an_agent,
    the_web_sdk_uploads_and_the_process_serves_what_was_uploaded,
    the_process_follows_the_scenario_and_no_interaction_waits_at_front,
    authorizations_are_single_use_bound_to_their_process_and_checked,
    an_expired_authorization_is_refused_and_preflights_are_answered,
    with_the_real_api_the_document_types_are_read_once_and_cached,
);
