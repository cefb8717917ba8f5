//! Attacks on the reference backend over real HTTP, one group per weakness they once had:
//! each performs the attack and checks that it fails and changes nothing (no cookie, no
//! upstream call, the data still there).
//! - Cross-site requests: a page of another site (or a sandboxed one) sends a state-changing
//!   request with the end-user's cookie.
//! - Media: the proxy passing whatever an upstream labels `image/*` (an SVG runs script).
//! - Frames: the demo page framed by anyone, and `parent-origin` taken from its query.
//! - The webhook: events forged without the secret, and events about unknown dossiers.
//! - No rate limits: a loop creating sessions (Assure dossiers, database rows) without end.
//!
//! A failing random source has its own file (`random.rs`): it switches the whole process.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

/// Upstream calls the simulator recorded so far.
async fn upstream_calls(sim_url: &str) -> usize {
    upstream_requests(sim_url, "/assure/").await.len()
}

/// A session request as a browser on `origin` sends it (`None`: no `Origin`).
fn session_from(
    host_url: &str,
    origin: Option<&str>,
    fetch_site: Option<&str>,
) -> reqwest::RequestBuilder {
    let mut request = client()
        .post(format!("{host_url}/api/videoid/session"))
        .json(&json!({ "mode": "embed" }));
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    if let Some(site) = fetch_site {
        request = request.header("sec-fetch-site", site);
    }
    request
}

async fn cross_site_requests_are_refused_and_change_nothing(h: Harness) {
    let s = h.servers().await;
    let before = upstream_calls(&s.sim_url).await;
    for (origin, fetch_site) in [
        (Some("https://evil.example"), Some("cross-site")),
        // Another port of the same host is another origin.
        (Some("http://localhost:1"), Some("same-site")),
        (Some("null"), Some("cross-site")),
        (None, Some("cross-site")),
        (None, Some("same-site")),
    ] {
        let response = session_from(&s.host_url, origin, fetch_site)
            .send()
            .await
            .unwrap();
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{origin:?} {fetch_site:?}: no end-user named"
        );
        let message = assert_error(response, 403).await;
        assert!(message.contains("this site"), "{message}");
    }
    assert_eq!(
        upstream_calls(&s.sim_url).await,
        before,
        "no refused request reached Assure"
    );

    // The end-user's data stays when another site asks to delete it.
    let mut user = EndUser::new(&s.host_url);
    let (dossier_id, _) = user.embed_capture(&s.sim_url, "accepted").await;
    let calls = upstream_calls(&s.sim_url).await;
    let request = client()
        .delete(format!("{}/api/videoid/dossier", s.host_url))
        .header("origin", "https://evil.example");
    let refused = user.send(request).await;
    assert_error(refused, 403).await;
    assert_eq!(upstream_calls(&s.sim_url).await, calls, "no Delete dossier");
    let (status, dossier) = json(user.get("/api/videoid/dossier").await).await;
    assert_eq!(status, 200);
    assert_eq!(
        dossier["dossierId"],
        dossier_id.as_str(),
        "the data is kept"
    );
    s.shutdown().await;
}

async fn the_sites_own_pages_and_non_browsers_pass(h: Harness) {
    let s = h.servers().await;
    let same = s.host_url.replacen("://localhost:", "://127.0.0.1:", 1);
    for (origin, fetch_site) in [
        (Some(s.host_url.as_str()), Some("same-origin")),
        (Some(same.as_str()), Some("same-origin")),
        (None, Some("same-origin")),
        (None, None),
    ] {
        let response = session_from(&s.host_url, origin, fetch_site)
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, 200, "{origin:?} {fetch_site:?}: {body}");
        assert!(body["url"].is_string(), "{body}");
    }
    s.shutdown().await;
}

async fn a_body_not_declared_as_json_is_refused(h: Harness) {
    let s = h.servers().await;
    let before = upstream_calls(&s.sim_url).await;
    // What a form or a `no-cors` fetch can send without a preflight.
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = client()
            .post(format!("{}/api/videoid/session", s.host_url))
            .body(r#"{"mode":"embed"}"#);
        if let Some(t) = content_type {
            request = request.header("content-type", t);
        }
        let response = request.send().await.unwrap();
        assert!(response.headers().get("set-cookie").is_none());
        assert_error(response, 415).await;
    }
    assert_eq!(upstream_calls(&s.sim_url).await, before);
    s.shutdown().await;
}

/// An Assure API that answers like `sim_url` except that every image it serves is an SVG
/// with a script, labelled `image/jpeg` (what a compromised or careless upstream could do;
/// the simulator itself only ever takes JPEG and PNG bytes).
async fn upstream_serving_svg(sim_url: String) -> String {
    use axum::body::Bytes;
    use axum::http::{HeaderMap, Method as AxumMethod, StatusCode, Uri};
    use axum::response::IntoResponse;
    let forward = move |method: AxumMethod, uri: Uri, headers: HeaderMap, body: Bytes| {
        let sim_url = sim_url.clone();
        async move {
            if method == AxumMethod::GET && uri.path().ends_with("/images") {
                return ([("content-type", "image/jpeg")], SVG.to_vec()).into_response();
            }
            let url = format!("{sim_url}{uri}");
            let method = Method::from_bytes(method.as_str().as_bytes()).unwrap();
            let mut request = client().request(method, url).body(body.to_vec());
            for name in ["authorization", "content-type", "accept"] {
                if let Some(v) = headers.get(name) {
                    request = request.header(name, v.to_str().unwrap());
                }
            }
            let answer = request.send().await.unwrap();
            let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
            let content_type = answer
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let bytes = answer.bytes().await.unwrap().to_vec();
            (status, [("content-type", content_type)], bytes).into_response()
        }
    };
    let app = axum::Router::new().fallback(forward);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

const SVG: &[u8] =
    br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>"#;

async fn the_media_proxy_serves_jpeg_and_png_only_sandboxed(h: Harness) {
    let sim = h.servers().await;
    let base_url = upstream_serving_svg(sim.sim_url.clone()).await;
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
    let (status, session) = user
        .session("", json!({ "mode": "native", "lang": "en" }))
        .await;
    assert_eq!(status, 200, "{session}");
    let process_id = session["processId"].as_str().unwrap();
    let image = format!("/api/videoid/images?processId={process_id}&depiction=front");
    let refused = user.get(&image).await;
    let message = assert_error(refused, 502).await;
    assert!(!message.contains("svg"), "{message}");

    s.shutdown().await;

    // What Assure holds as a JPEG is served typed by its bytes, and sandboxed.
    let mut user = EndUser::new(&sim.host_url);
    let (status, session) = user
        .session("", json!({ "mode": "native", "lang": "en" }))
        .await;
    assert_eq!(status, 200, "{session}");
    let process_id = session["processId"].as_str().unwrap();
    let put = client()
        .put(format!("{}/api/videoid/upload/front", sim.host_url))
        .bearer_auth(session["uploadToken"].as_str().unwrap())
        .header("content-type", "image/jpeg")
        .body(jpeg("front"))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 201);
    let served = user
        .get(&format!(
            "/api/videoid/images?processId={process_id}&depiction=front"
        ))
        .await;
    assert_eq!(served.status(), 200);
    let headers = served.headers();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap().to_vec(), jpeg("front"));
    sim.shutdown().await;
}

async fn the_demo_cannot_be_framed_by_others_nor_told_its_parent(h: Harness) {
    let s = h.servers().await;
    let evil = "https://evil.example";
    let page = client()
        .get(format!("{}/?parent-origin={}", s.host_url, urlencode(evil)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let ancestors = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-ancestors"))
        .unwrap_or_else(|| panic!("no frame-ancestors: {policy}"));
    assert_eq!(ancestors, "frame-ancestors 'self'");
    let html = page.text().await.unwrap();
    assert!(
        !html.contains(evil),
        "the query names no parent for the element's messages"
    );
    assert!(!html.contains("parent-origin="), "{html}");
    s.shutdown().await;
}

async fn forged_webhook_events_are_refused_and_touch_nothing(h: Harness) {
    let s = h
        .servers_with(|c| {
            c.webhook_secret = Some(WEBHOOK_SECRET.to_string());
            c.sim_webhook = videoid_www::Webhook::Off;
        })
        .await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = user.embed_capture(&s.sim_url, "accepted").await;
    final_result(&mut user, &d, &p).await;
    let calls = upstream_calls(&s.sim_url).await;
    let hook = |path: &str| format!("{}/api/videoid/events{path}", s.host_url);
    // Without the secret, or with a wrong one (as long, or one character off): 404, nothing read.
    let off_by_one = format!("/{}x", &WEBHOOK_SECRET[..WEBHOOK_SECRET.len() - 1]);
    for path in ["", "/", "/guess-0123456789abcdef", off_by_one.as_str()] {
        let response = client()
            .post(hook(path))
            .json(&process_complete("forged-1", &d, &p))
            .send()
            .await
            .unwrap();
        assert_error(response, 404).await;
    }
    assert_eq!(
        upstream_calls(&s.sim_url).await,
        calls,
        "no forged event made a Get process call"
    );
    // An event about a dossier that is no end-user's: acknowledged, never read upstream.
    let secret_path = format!("/{WEBHOOK_SECRET}");
    let (status, body) = json(
        client()
            .post(hook(&secret_path))
            .json(&process_complete(
                "unknown-1",
                "no-such-dossier",
                "no-such-process",
            ))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["duplicate"].clone()), (200, json!(false)));
    assert_eq!(upstream_calls(&s.sim_url).await, calls);
    // The real event, with the secret: new (the forged ones left no trace), and read once.
    let (status, body) = json(
        client()
            .post(hook(&secret_path))
            .json(&process_complete("forged-1", &d, &p))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "received": true, "duplicate": false }));
    assert_eq!(
        upstream_calls(&s.sim_url).await,
        calls + 1,
        "one Get process"
    );
    s.shutdown().await;
}

/// `POST /session` answers for `n` requests without a cookie, one after another, as the
/// client `forwarded_for` (an `X-Forwarded-For`), or as the connection's own address.
async fn burst(host_url: &str, n: usize, forwarded_for: Option<&str>) -> (usize, usize, Vec<u64>) {
    let (mut created, mut limited, mut waits) = (0, 0, Vec::new());
    for _ in 0..n {
        let mut request = client()
            .post(format!("{host_url}/api/videoid/session"))
            .json(&json!({ "mode": "embed" }));
        if let Some(ip) = forwarded_for {
            request = request.header("x-forwarded-for", ip);
        }
        let response = request.send().await.unwrap();
        match response.status().as_u16() {
            200 => created += 1,
            429 => {
                limited += 1;
                let wait = response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(response.headers().get("set-cookie").is_none());
                let message = assert_error(response, 429).await;
                assert!(message.contains("try again"), "{message}");
                waits.push(wait);
            }
            other => panic!("unexpected {other}"),
        }
    }
    (created, limited, waits)
}

/// Dossiers the backend created at Assure.
async fn dossiers_created(sim_url: &str) -> usize {
    upstream_requests(sim_url, "/assure/dossiers")
        .await
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"] == "/assure/dossiers")
        .count()
}

async fn a_loop_of_session_requests_meets_the_limit_and_a_person_never_does(h: Harness) {
    let s = h.servers().await;
    // A person who retries a few times.
    let mut user = EndUser::new(&s.host_url);
    for _ in 0..4 {
        let (status, body) = user.session("", json!({ "mode": "embed" })).await;
        assert_eq!(status, 200, "{body}");
    }
    let before = dossiers_created(&s.sim_url).await;
    let started = std::time::Instant::now();
    let (created, limited, waits) = burst(&s.host_url, 300, None).await;
    // The default: 20 at once per address (4 used above), then one every 3 s.
    let refills = (started.elapsed().as_secs() / 3 + 1) as usize;
    assert!(
        created <= 16 + refills,
        "{created} created, {limited} limited"
    );
    assert_eq!(created + limited, 300);
    assert!(waits.iter().all(|w| (1..=3).contains(w)), "{waits:?}");
    // Each refused request made nothing: no dossier beyond the created sessions' own.
    assert!(dossiers_created(&s.sim_url).await - before <= created);
    s.shutdown().await;
}

async fn limits_count_the_client_behind_a_trusted_proxy_and_nothing_else(h: Harness) {
    let quota = videoid_backend::limits::RateLimits::parse("start=3/60s").unwrap();
    let trusted = h
        .servers_with(|c| {
            c.rate_limits = quota.clone();
            c.trusted_proxies = videoid_backend::proxies::Network::parse_list("127.0.0.1").unwrap();
        })
        .await;
    assert_eq!(burst(&trusted.host_url, 5, Some("203.0.113.1")).await.0, 3);
    // Another client behind the same proxy has its own budget.
    assert_eq!(burst(&trusted.host_url, 5, Some("203.0.113.2")).await.0, 3);
    trusted.shutdown().await;
    // Without trusted proxies, a forged X-Forwarded-For buys nothing.
    let direct = h.servers_with(|c| c.rate_limits = quota.clone()).await;
    assert_eq!(burst(&direct.host_url, 3, Some("203.0.113.1")).await.0, 3);
    let (created, limited, _) = burst(&direct.host_url, 3, Some("203.0.113.2")).await;
    assert_eq!((created, limited), (0, 3));
    direct.shutdown().await;
}

async fn page_views_make_no_end_user(h: Harness) {
    let s = h.servers().await;
    let calls = upstream_calls(&s.sim_url).await;
    for _ in 0..50 {
        let response = client()
            .get(format!("{}/api/videoid/dossier", s.host_url))
            .send()
            .await
            .unwrap();
        assert!(
            response.headers().get("set-cookie").is_none(),
            "nobody is named by a read"
        );
        let (status, body) = json(response).await;
        assert_eq!(
            (status, body),
            (200, json!({ "dossierId": null, "processes": [] }))
        );
    }
    assert_eq!(upstream_calls(&s.sim_url).await, calls);
    s.shutdown().await;
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap()[2..].to_string()
}

crate::simulator_tests!(
    cross_site_requests_are_refused_and_change_nothing,
    the_sites_own_pages_and_non_browsers_pass,
    a_body_not_declared_as_json_is_refused,
    the_media_proxy_serves_jpeg_and_png_only_sandboxed,
    the_demo_cannot_be_framed_by_others_nor_told_its_parent,
    forged_webhook_events_are_refused_and_touch_nothing,
    a_loop_of_session_requests_meets_the_limit_and_a_person_never_does,
    limits_count_the_client_behind_a_trusted_proxy_and_nothing_else,
    page_views_make_no_end_user,
);
