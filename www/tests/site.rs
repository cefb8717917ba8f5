//! The demo pages and `/pkg/` static files over real HTTP.

mod common;

use common::*;

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_string()
}

#[tokio::test]
async fn demo_page_embeds_the_element_under_a_strict_policy() {
    let s = servers().await;
    let page = client()
        .get(format!("{}/", s.host_url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let csp = header(&page, "content-security-policy");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    // VideoID's web SDK (mode="sdk") loads from, talks to and shows media from the provider.
    for directive in [
        format!("script-src 'self' 'wasm-unsafe-eval' {};", s.sim_url),
        format!("frame-src 'self' {};", s.sim_url),
        format!(
            "connect-src 'self' {} {};",
            s.sim_url,
            s.sim_url.replacen("http://", "ws://", 1)
        ),
        format!("media-src 'self' blob: {};", s.sim_url),
        format!("img-src 'self' data: blob: {};", s.sim_url),
    ] {
        assert!(csp.contains(&directive), "{directive} in {csp}");
    }
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!(
            "<videoid-capture id=\"capture\" session-endpoint=\"/api/videoid/session\" \
         result-endpoint=\"/api/videoid/result\" allowed-origins=\"{}\" handoff=\"auto\"></videoid-capture>",
            s.sim_url
        )),
        "{html}"
    );
    assert!(html.contains("<script type=\"module\" src=\"/demo.js\"></script>"));
    assert!(html.contains("<main") && html.contains("<h1>") && html.contains("id=\"events\""));
    assert!(html.contains("id=\"result\""));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the module script, no inline scripts"
    );
    s.shutdown().await;
}

#[tokio::test]
async fn demo_page_copies_the_query_onto_the_element() {
    let s = servers().await;
    let url = format!(
        "{}/?mode=embed&lang=nb&inactivity=2&load=10&fallback=popup&scenario=rejected&auto=1&framing=deny",
        s.host_url
    );
    let html = client()
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for attr in [
        "session-endpoint=\"/api/videoid/session?scenario=rejected&amp;auto=1&amp;framing=deny\"",
        "mode=\"embed\"",
        "lang=\"nb\"",
        "inactivity-timeout=\"2\"",
        "load-timeout=\"10\"",
        "fallback=\"popup\"",
    ] {
        assert!(html.contains(attr), "{attr} missing");
    }
    let plain = client()
        .get(format!("{}/", s.host_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!plain.contains("mode=\"") && !plain.contains("inactivity-timeout="));
    s.shutdown().await;
}

#[tokio::test]
async fn unreachable_endpoint_is_allowed_by_the_policy() {
    let s = servers().await;
    let page = client()
        .get(format!("{}/?endpoint=unreachable", s.host_url))
        .send()
        .await
        .unwrap();
    let csp = header(&page, "content-security-policy");
    assert!(
        csp.contains(&format!(
            "connect-src 'self' {} {} http://127.0.0.1:9",
            s.sim_url,
            s.sim_url.replacen("http://", "ws://", 1)
        )),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("session-endpoint=\"http://127.0.0.1:9/api/videoid/session\""));
    s.shutdown().await;
}

#[tokio::test]
async fn demo_assets_and_return_page() {
    let s = servers().await;
    let js = client()
        .get(format!("{}/demo.js", s.host_url))
        .send()
        .await
        .unwrap();
    assert!(header(&js, "content-type").starts_with("text/javascript"));
    let js = js.text().await.unwrap();
    assert!(js.contains("/pkg/videoid-capture.js") && js.contains("videoidEvents"));
    assert!(js.contains("whenDefined(\"videoid-capture\")"));
    let css = client()
        .get(format!("{}/demo.css", s.host_url))
        .send()
        .await
        .unwrap();
    assert!(header(&css, "content-type").starts_with("text/css"));

    let page = client()
        .get(format!(
            "{}/videoid/return?dossierId=a&processId=b&status=processing",
            s.host_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-security-policy").contains("frame-ancestors 'self'"));
    let html = page.text().await.unwrap();
    assert!(html.contains("<script type=\"module\" src=\"/pkg/return.js\"></script>"));
    s.shutdown().await;
}

#[tokio::test]
async fn package_files_are_served_on_both_origins() {
    let dir = temp_dir();
    std::fs::write(dir.join("videoid-capture.js"), "export {};\n").unwrap();
    std::fs::write(dir.join("videoid_capture_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/style.css"), "a{}").unwrap();
    std::fs::write(dir.parent().unwrap().join("outside.txt"), "secret").unwrap();
    let s = servers_with(|c| c.pkg_dir = dir.clone()).await;

    for origin in [&s.host_url, &s.sim_url] {
        let js = client()
            .get(format!("{origin}/pkg/videoid-capture.js"))
            .send()
            .await
            .unwrap();
        assert_eq!(js.status(), 200);
        assert_eq!(
            header(&js, "content-type"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(js.text().await.unwrap(), "export {};\n");
        let wasm = client()
            .get(format!("{origin}/pkg/videoid_capture_bg.wasm"))
            .send()
            .await
            .unwrap();
        assert_eq!(header(&wasm, "content-type"), "application/wasm");
        assert_eq!(wasm.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");
        let css = client()
            .get(format!("{origin}/pkg/sub/style.css"))
            .send()
            .await
            .unwrap();
        assert!(header(&css, "content-type").starts_with("text/css"));
    }
    for path in [
        "/pkg/missing.js",
        "/pkg/..%2Foutside.txt",
        "/pkg/sub/..%2F..%2Foutside.txt",
        "/pkg/",
    ] {
        let response = client()
            .get(format!("{}{path}", s.host_url))
            .send()
            .await
            .unwrap();
        assert_error(response, 404).await;
    }
    s.shutdown().await;
}

#[tokio::test]
async fn unknown_host_paths_are_404_json() {
    let s = servers().await;
    let response = client()
        .get(format!("{}/nothing-here", s.host_url))
        .send()
        .await
        .unwrap();
    assert_error(response, 404).await;
    s.shutdown().await;
}

#[tokio::test]
async fn demo_page_has_the_result_view_and_the_dossier_controls() {
    let s = servers().await;
    let html = client()
        .get(format!("{}/", s.host_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for id in [
        "id=\"result\"",
        "id=\"events\"",
        "id=\"dossier\"",
        "id=\"dossier-processes\"",
        "id=\"delete-data\"",
    ] {
        assert!(html.contains(id), "{id}");
    }
    assert!(html.contains(">Delete my data</button>"));
    let js = client()
        .get(format!("{}/demo.js", s.host_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for path in [
        "/api/videoid/images?processId=",
        "/api/videoid/video?processId=",
        "/api/videoid/download?processId=",
        "/api/videoid/dossier",
        "window.videoidEvents",
        "securityChecks",
    ] {
        assert!(js.contains(path), "{path}");
    }
    s.shutdown().await;
}
