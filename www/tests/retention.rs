//! Data retention over real HTTP: end-users with a dossier older than the retention are
//! deleted with their dossier at Assure, once each however many instances run a pass at the
//! same time on one database, younger ones are kept, and a second pass changes nothing.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use videoid_backend::retention::run_once;
use videoid_backend::store::now_ms;

/// Delete dossier calls the simulator received, by dossier id.
async fn deletions(sim_url: &str) -> Vec<String> {
    upstream_requests(sim_url, "/assure/dossiers/")
        .await
        .iter()
        .filter(|r| r["method"] == "DELETE")
        .filter_map(|r| {
            r["path"]
                .as_str()?
                .strip_prefix("/assure/dossiers/")
                .map(str::to_string)
        })
        .collect()
}

#[tokio::test]
async fn aged_end_users_and_their_dossiers_are_deleted_once_on_two_instances() {
    let a = servers().await;
    let b = second_instance(&a).await;

    let mut users = Vec::new();
    for _ in 0..6 {
        let mut user = EndUser::new(&a.host_url);
        let (dossier_id, _) = user.embed_capture(&a.sim_url, "accepted").await;
        users.push((user, dossier_id));
    }
    // A week on, with a retention of a day: every one of them is due. Both instances at once.
    let (day, later) = (
        Duration::from_secs(24 * 3600),
        now_ms() + 7 * 24 * 3600 * 1000,
    );
    let (backend_a, backend_b) = (a.backend(), b.backend());
    let (one, two) = tokio::join!(
        run_once(&backend_a, day, later),
        run_once(&backend_b, day, later)
    );
    assert_eq!(one.failed + two.failed, 0, "{one:?} {two:?}");
    assert_eq!(one.deleted + two.deleted, 6, "{one:?} {two:?}");
    let mut deleted = deletions(&a.sim_url).await;
    deleted.sort();
    let mut expected: Vec<String> = users.iter().map(|(_, d)| d.clone()).collect();
    expected.sort();
    assert_eq!(deleted, expected, "each dossier deleted once, upstream");

    // Gone here and at Assure.
    let token = token(&a.sim_url).await;
    for (user, dossier_id) in &mut users {
        let (status, view) = json(user.get("/api/videoid/dossier").await).await;
        assert_eq!(status, 200);
        assert_eq!(view, json!({ "dossierId": null, "processes": [] }));
        let url = format!("{}/assure/dossiers/{dossier_id}", a.sim_url);
        let upstream = sim(reqwest::Method::GET, url, &token, None).await;
        assert_eq!(upstream.status(), 404, "{dossier_id} is gone upstream");
    }

    // A second pass finds nothing; a young end-user is kept.
    let mut young = EndUser::new(&b.host_url);
    let (kept, _) = young.embed_capture(&a.sim_url, "accepted").await;
    let again = run_once(&backend_a, day, now_ms()).await;
    assert_eq!((again.deleted, again.failed), (0, 0), "{again:?}");
    let (_, view): (u16, Value) = json(young.get("/api/videoid/dossier").await).await;
    assert_eq!(view["dossierId"], kept.as_str());
    assert_eq!(
        deletions(&a.sim_url).await.len(),
        6,
        "no other Delete dossier"
    );
    b.shutdown().await;
    a.shutdown().await;
}
