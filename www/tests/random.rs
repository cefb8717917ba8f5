//! A failing OS random source: the backend answers `500` and makes nothing (no end-user, no
//! cookie, no upstream call), never a weak token. Its own test binary, because the switch
//! (`ids::fail_random_source`) holds for the whole process; the simulator runs as its own
//! process (the standalone binary), so only the backend's draws fail.

mod common;

use common::*;
use serde_json::json;
use videoid_backend::ids;

#[tokio::test]
async fn without_randomness_the_backend_refuses_and_makes_nothing() {
    let s = Harness::Standalone.servers().await;
    let calls = || async { upstream_requests(&s.sim_url, "/assure/").await.len() };
    let before = calls().await;
    ids::fail_random_source(true);
    for (path, body) in [
        ("/api/videoid/session", json!({ "mode": "embed" })),
        ("/api/videoid/session", json!({ "mode": "native" })),
        ("/api/videoid/handoff", json!({ "mode": "native" })),
    ] {
        let response = client()
            .post(format!("{}{path}", s.host_url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{path}: no cookie"
        );
        let message = assert_error(response, 500).await;
        assert!(message.contains("secure identifiers"), "{message}");
    }
    ids::fail_random_source(false);
    assert_eq!(calls().await, before, "nothing reached Assure");
    // The same request works once the source does.
    let mut user = EndUser::new(&s.host_url);
    let (status, session) = user.session("", json!({ "mode": "embed" })).await;
    assert_eq!(status, 200, "{session}");
    assert!(user.cookie.is_some());
    s.shutdown().await;
}
