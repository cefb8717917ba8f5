//! The storage layer, the same tests on each implementation: SQLite (a fresh file) and
//! PostgreSQL (a fresh database on the throwaway server `npm test` starts; without one the
//! PostgreSQL tests fail, see common/db.rs). "Two instances" are two independently opened
//! stores (two pools) on the same database.

mod common;

use common::db;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use videoid_backend::store::{
    self, now_ms, Claim, Consumed, Database, EndUserKey, EventClaim, HandoffStatus, Imported,
    NewHandoff, NewToken, Notified, Store, Upload,
};

async fn open(database: &Database) -> Arc<dyn Store> {
    store::open(database, 8).await.expect("the store opens")
}

fn sqlite() -> Database {
    Database::Sqlite(common::temp_dir().join("backend.sqlite"))
}

/// One test per implementation.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name(super::sqlite()).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let url = super::db::postgres_database().await;
                super::$name(videoid_backend::store::Database::Postgres(url)).await
            }
        }
    )*};
}

on_both!(
    migrations_run_once_and_refuse_a_newer_schema,
    end_users_and_their_first_dossier,
    racing_first_requests_on_two_instances_settle_one_dossier,
    a_claim_that_ran_out_is_taken_over,
    a_replaced_dossier_takes_its_sessions_and_statuses_along,
    an_upload_session_and_its_steps,
    webhook_events_are_handled_once,
    single_use_tokens_are_consumed_once,
    racing_consumers_on_two_instances_use_a_token_once,
    expired_rows_are_swept,
    event_ids_and_statuses_filled_past_their_bounds,
    deleting_an_end_user_deletes_everything_of_theirs,
    file_records_are_imported_once,
    handoffs_move_forward_only,
    racing_handoff_moves_on_two_instances_never_go_back,
    handoffs_expire_and_are_swept,
    deleting_an_end_user_deletes_their_handoffs,
);

fn key(name: &str) -> EndUserKey {
    EndUserKey::of_cookie(&format!("cookie-{name}"))
}

async fn named(s: &dyn Store, name: &str) -> EndUserKey {
    let k = key(name);
    let now = now_ms();
    assert!(s
        .create_enduser(&k, "2025-01-01T00:00:00.000Z", now, now + 86_400_000)
        .await
        .unwrap());
    k
}

/// An end-user with a settled dossier `d-{name}`.
async fn with_dossier(s: &dyn Store, name: &str) -> (EndUserKey, String) {
    let k = named(s, name).await;
    let now = now_ms();
    assert_eq!(
        s.claim_dossier(&k, None, "c", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Won { note: None }
    );
    let d = format!("d-{name}");
    assert!(s.settle_dossier(&k, "c", &d).await.unwrap());
    (k, d)
}

async fn upload(s: &dyn Store, token: &str, k: &EndUserKey, d: &str, expires_in: i64) {
    let now = now_ms();
    let steps: Vec<String> = ["front", "back", "selfie"].map(String::from).to_vec();
    s.create_upload(
        token,
        k,
        d,
        &format!("p-{token}"),
        &steps,
        now,
        now + expires_in,
        "2099-01-01T00:00:00.000Z",
    )
    .await
    .unwrap();
}

async fn migrations_run_once_and_refuse_a_newer_schema(database: Database) {
    let latest = store::sql::MIGRATIONS.last().unwrap().version;
    // Two instances starting together: both migrate, one after the other, without error.
    let (a, b) = tokio::join!(store::open(&database, 2), store::open(&database, 2));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.schema_version().await.unwrap(), latest);
    assert_eq!(b.schema_version().await.unwrap(), latest);
    drop((a, b));
    // Opening again applies nothing twice.
    let again = open(&database).await;
    assert_eq!(again.schema_version().await.unwrap(), latest);
    drop(again);
    // A schema a newer build migrated is refused with a clear error.
    db::execute(
        &database,
        &format!(
            "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ({}, 'newer', 0)",
            latest + 1
        ),
    )
    .await;
    let refused = store::open(&database, 2).await.err().expect("refused");
    assert!(
        refused.to_string().contains("newer than this build"),
        "{refused}"
    );
}

async fn end_users_and_their_first_dossier(database: Database) {
    let s = open(&database).await;
    let s = s.as_ref();
    let now = now_ms();
    let k = named(s, "a").await;
    assert!(
        !s.create_enduser(&k, "x", now, now + 1).await.unwrap(),
        "a key is named once"
    );
    let user = s.enduser(&k).await.unwrap().unwrap();
    assert_eq!(user.dossier_id, None);
    assert_eq!(user.created_at, "2025-01-01T00:00:00.000Z");
    assert_eq!(s.enduser(&key("nobody")).await.unwrap(), None);

    assert_eq!(
        s.claim_dossier(&k, None, "first", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Won { note: None }
    );
    assert_eq!(
        s.claim_dossier(&k, None, "second", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Busy,
        "a live claim keeps others waiting"
    );
    assert!(
        !s.settle_dossier(&k, "second", "d-x").await.unwrap(),
        "only the holder settles"
    );
    assert!(s.settle_dossier(&k, "first", "d-1").await.unwrap());
    assert_eq!(
        s.enduser(&k).await.unwrap().unwrap().dossier_id.as_deref(),
        Some("d-1")
    );
    assert_eq!(
        s.claim_dossier(&k, None, "second", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Settled("d-1".into()),
        "a later first request finds the dossier"
    );
    assert!(s.dossier_known("d-1").await.unwrap());
    assert!(!s.dossier_known("d-2").await.unwrap());
    assert_eq!(
        s.claim_dossier(&key("nobody"), None, "c", now, now + 1)
            .await
            .unwrap(),
        Claim::Unknown
    );

    // A claim given up (the dossier could not be created) lets the next request win.
    let k2 = named(s, "b").await;
    assert_eq!(
        s.claim_dossier(&k2, None, "x", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Won { note: None }
    );
    s.release_claim(&k2, "x", None).await.unwrap();
    assert_eq!(
        s.claim_dossier(&k2, None, "y", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Won { note: None }
    );
}

/// What the backend does for a request: claim, "create" a dossier upstream, settle; a loser
/// waits and asks again.
async fn first_dossier(s: Arc<dyn Store>, k: EndUserKey, created: Arc<AtomicUsize>) -> String {
    let claim = videoid_backend::ids::token();
    for _ in 0..2000 {
        let now = now_ms();
        match s
            .claim_dossier(&k, None, &claim, now, now + 30_000)
            .await
            .unwrap()
        {
            Claim::Won { .. } => {
                let n = created.fetch_add(1, Ordering::SeqCst);
                // Upstream takes a moment: the other requests arrive meanwhile.
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                let d = format!("d-{}-{n}", k.as_str());
                assert!(s.settle_dossier(&k, &claim, &d).await.unwrap());
                return d;
            }
            Claim::Settled(d) => return d,
            Claim::Busy => tokio::time::sleep(std::time::Duration::from_millis(2)).await,
            Claim::Unknown => panic!("the end-user exists"),
        }
    }
    panic!("no dossier after 2000 tries");
}

async fn racing_first_requests_on_two_instances_settle_one_dossier(database: Database) {
    let one = open(&database).await;
    let two = open(&database).await;
    let created = Arc::new(AtomicUsize::new(0));
    let users = 40;
    let mut keys = Vec::new();
    for i in 0..users {
        keys.push(named(one.as_ref(), &format!("racer-{i}")).await);
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(users * 4));
    let mut tasks = tokio::task::JoinSet::new();
    for k in &keys {
        // Four simultaneous first requests per end-user, two on each instance.
        for s in [&one, &two, &one, &two] {
            let (s, k, created, barrier) = (s.clone(), k.clone(), created.clone(), barrier.clone());
            tasks.spawn(async move {
                barrier.wait().await;
                (k.clone(), first_dossier(s, k, created).await)
            });
        }
    }
    let mut seen: BTreeMap<EndUserKey, Vec<String>> = BTreeMap::new();
    while let Some(done) = tasks.join_next().await {
        let (k, d) = done.unwrap();
        seen.entry(k).or_default().push(d);
    }
    assert_eq!(
        created.load(Ordering::SeqCst),
        users,
        "one dossier created per end-user"
    );
    for (k, ds) in &seen {
        assert_eq!(ds.len(), 4);
        assert!(ds.iter().all(|d| d == &ds[0]), "{k:?}: {ds:?}");
    }
    let census = two.census().await.unwrap();
    assert_eq!(
        (census.endusers, census.with_dossier, census.dossiers),
        (users as u64, users as u64, users as u64)
    );
}

async fn a_claim_that_ran_out_is_taken_over(database: Database) {
    let s = open(&database).await;
    let k = named(s.as_ref(), "slow").await;
    let now = now_ms();
    assert_eq!(
        s.claim_dossier(&k, None, "stuck", now, now + 100)
            .await
            .unwrap(),
        Claim::Won { note: None }
    );
    assert_eq!(
        s.claim_dossier(&k, None, "next", now + 50, now + 10_000)
            .await
            .unwrap(),
        Claim::Busy
    );
    assert_eq!(
        s.claim_dossier(&k, None, "next", now + 100, now + 10_000)
            .await
            .unwrap(),
        Claim::Won { note: None },
        "a claim past its lease is taken over"
    );
    assert!(s.settle_dossier(&k, "next", "d-next").await.unwrap());
    assert!(
        !s.settle_dossier(&k, "stuck", "d-stuck").await.unwrap(),
        "the first holder lost its claim: its dossier is not recorded"
    );
    assert_eq!(
        s.enduser(&k).await.unwrap().unwrap().dossier_id.as_deref(),
        Some("d-next")
    );
}

async fn a_replaced_dossier_takes_its_sessions_and_statuses_along(database: Database) {
    let s = open(&database).await;
    let s = s.as_ref();
    let (k, d1) = with_dossier(s, "replaced").await;
    upload(s, "old-session", &k, &d1, 60_000).await;
    let now = now_ms();
    assert_eq!(
        s.begin_event("ev-1", now, now + 1000, now + 10_000)
            .await
            .unwrap(),
        EventClaim::New
    );
    let n = Notified {
        event_id: "ev-1".into(),
        status: "accepted".into(),
        received_at: "2025-01-01T00:00:00.000Z".into(),
    };
    s.finish_event("ev-1", Some((&d1, "p-1", &n)))
        .await
        .unwrap();
    assert_eq!(s.notified(&d1).await.unwrap().len(), 1);

    assert_eq!(
        s.claim_dossier(&k, Some(&d1), "r", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Won { note: None }
    );
    assert_eq!(
        s.claim_dossier(&k, Some(&d1), "r2", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Busy
    );
    assert!(s.settle_dossier(&k, "r", "d-new").await.unwrap());
    assert_eq!(s.upload("old-session").await.unwrap(), None);
    assert!(s.notified(&d1).await.unwrap().is_empty());
    assert_eq!(
        s.claim_dossier(&k, Some(&d1), "r2", now, now + 10_000)
            .await
            .unwrap(),
        Claim::Settled("d-new".into()),
        "a second request that saw the old dossier gone uses the replacement"
    );
}

async fn an_upload_session_and_its_steps(database: Database) {
    let s = open(&database).await;
    let s = s.as_ref();
    let (k, d) = with_dossier(s, "uploader").await;
    upload(s, "tok-1", &k, &d, 60_000).await;
    let now = now_ms();
    let u = s.upload("tok-1").await.unwrap().unwrap();
    assert_eq!(u.enduser, k);
    assert_eq!(
        (u.dossier_id.as_str(), u.process_id.as_str()),
        (d.as_str(), "p-tok-1")
    );
    assert_eq!(u.steps, ["front", "back", "selfie"]);
    assert!(u.received.is_empty() && !u.completed);
    assert_eq!(s.upload("tok-unknown").await.unwrap(), None);

    assert_eq!(
        s.record_step("tok-1", "front", 10, now).await.unwrap(),
        Some(10)
    );
    assert_eq!(
        s.record_step("tok-1", "front", 20, now).await.unwrap(),
        Some(10),
        "the first upload of a step is kept"
    );
    assert_eq!(s.record_step("tok-1", "video", 5, now).await.unwrap(), None);
    assert!(
        !s.complete_upload("tok-1", now).await.unwrap(),
        "not complete with steps missing"
    );
    assert_eq!(
        s.record_step("tok-1", "back", 11, now).await.unwrap(),
        Some(11)
    );
    assert_eq!(
        s.record_step("tok-1", "selfie", 12, now).await.unwrap(),
        Some(12)
    );
    assert!(s.complete_upload("tok-1", now).await.unwrap());
    assert!(!s.complete_upload("tok-1", now).await.unwrap(), "once");
    let u = s.upload("tok-1").await.unwrap().unwrap();
    assert!(u.completed);
    let sizes: Vec<(&str, u64)> = u.received.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(sizes, [("back", 11), ("front", 10), ("selfie", 12)]);

    // An expired session takes nothing more.
    upload(s, "tok-short", &k, &d, 1).await;
    let later = now_ms() + 10;
    assert_eq!(
        s.record_step("tok-short", "front", 1, later).await.unwrap(),
        None
    );
    assert!(!s.complete_upload("tok-short", later).await.unwrap());

    // A new session of the end-user drops their completed and expired ones, keeps live ones.
    upload(s, "tok-live", &k, &d, 60_000).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    upload(s, "tok-2", &k, &d, 60_000).await;
    assert_eq!(s.upload("tok-1").await.unwrap(), None, "completed: dropped");
    assert_eq!(
        s.upload("tok-short").await.unwrap(),
        None,
        "expired: dropped"
    );
    assert!(s.upload("tok-live").await.unwrap().is_some());
    assert!(s.upload("tok-2").await.unwrap().is_some());
}

async fn webhook_events_are_handled_once(database: Database) {
    let one = open(&database).await;
    let two = open(&database).await;
    let (_, d) = with_dossier(one.as_ref(), "notified").await;
    let now = now_ms();
    let keep = now + 60_000;
    assert_eq!(
        one.begin_event("e1", now, now + 1000, keep).await.unwrap(),
        EventClaim::New
    );
    assert_eq!(
        two.begin_event("e1", now, now + 1000, keep).await.unwrap(),
        EventClaim::InProgress,
        "another instance sees it being handled"
    );
    let n = Notified {
        event_id: "e1".into(),
        status: "rejected".into(),
        received_at: "2025-01-01T00:00:00.000Z".into(),
    };
    one.finish_event("e1", Some((&d, "p1", &n))).await.unwrap();
    assert_eq!(
        two.begin_event("e1", now, now + 1000, keep).await.unwrap(),
        EventClaim::Duplicate
    );
    let got = two.notified(&d).await.unwrap();
    assert_eq!(got.get("p1"), Some(&n));

    // A failed handling gives the event back; a handler that died is taken over.
    assert_eq!(
        one.begin_event("e2", now, now + 1000, keep).await.unwrap(),
        EventClaim::New
    );
    one.abandon_event("e2").await.unwrap();
    assert_eq!(
        two.begin_event("e2", now, now + 1000, keep).await.unwrap(),
        EventClaim::New
    );
    assert_eq!(
        one.begin_event("e2", now + 1000, now + 2000, keep)
            .await
            .unwrap(),
        EventClaim::New,
        "the lease ran out"
    );

    // An event about a dossier that is nobody's here is remembered, records nothing.
    assert_eq!(
        one.begin_event("e3", now, now + 1000, keep).await.unwrap(),
        EventClaim::New
    );
    one.finish_event("e3", Some(("d-elsewhere", "p", &n)))
        .await
        .unwrap();
    assert!(one.notified("d-elsewhere").await.unwrap().is_empty());
    assert_eq!(
        one.begin_event("e3", now, now + 1000, keep).await.unwrap(),
        EventClaim::Duplicate
    );
    // A later event about the same process replaces the status.
    let newer = Notified {
        event_id: "e4".into(),
        status: "accepted".into(),
        received_at: "2025-01-02T00:00:00.000Z".into(),
    };
    one.begin_event("e4", now, now + 1000, keep).await.unwrap();
    one.finish_event("e4", Some((&d, "p1", &newer)))
        .await
        .unwrap();
    assert_eq!(one.notified(&d).await.unwrap().get("p1"), Some(&newer));
}

async fn single_use_tokens_are_consumed_once(database: Database) {
    let s = open(&database).await;
    let s = s.as_ref();
    let (k, _) = with_dossier(s, "desktop").await;
    let now = now_ms();
    let token = NewToken {
        kind: "handoff",
        secret: "secret-1",
        enduser: Some(&k),
        payload: r#"{"processId":"p1"}"#,
        created_at_ms: now,
        expires_at_ms: now + 60_000,
    };
    assert!(s.put_token(&token).await.unwrap());
    assert!(
        !s.put_token(&token).await.unwrap(),
        "a secret is stored once"
    );
    let read = s.token("handoff", "secret-1", now).await.unwrap().unwrap();
    assert_eq!(read.enduser.as_ref(), Some(&k));
    assert_eq!(read.payload, r#"{"processId":"p1"}"#);
    assert!(!read.consumed);
    assert_eq!(s.token("other-kind", "secret-1", now).await.unwrap(), None);
    assert_eq!(
        s.consume_token("other-kind", "secret-1", now)
            .await
            .unwrap(),
        Consumed::Unknown,
        "a token is only found under its own kind"
    );

    match s.consume_token("handoff", "secret-1", now).await.unwrap() {
        Consumed::Now(t) => {
            assert_eq!(t.enduser.as_ref(), Some(&k));
            assert_eq!(t.expires_at_ms, now + 60_000);
            assert!(t.consumed);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.consume_token("handoff", "secret-1", now).await.unwrap(),
        Consumed::AlreadyUsed
    );
    assert!(
        s.token("handoff", "secret-1", now)
            .await
            .unwrap()
            .unwrap()
            .consumed
    );
    assert_eq!(
        s.consume_token("handoff", "never-issued", now)
            .await
            .unwrap(),
        Consumed::Unknown
    );

    let short = NewToken {
        secret: "secret-2",
        enduser: None,
        expires_at_ms: now + 10,
        ..token
    };
    assert!(s.put_token(&short).await.unwrap());
    assert_eq!(
        s.token("handoff", "secret-2", now + 10).await.unwrap(),
        None
    );
    assert_eq!(
        s.consume_token("handoff", "secret-2", now + 10)
            .await
            .unwrap(),
        Consumed::Expired
    );
}

async fn racing_consumers_on_two_instances_use_a_token_once(database: Database) {
    let one = open(&database).await;
    let two = open(&database).await;
    let now = now_ms();
    let rounds = 20;
    for i in 0..rounds {
        let secret = format!("race-{i}");
        let token = NewToken {
            kind: "handoff",
            secret: &secret,
            enduser: None,
            payload: "{}",
            created_at_ms: now,
            expires_at_ms: now + 60_000,
        };
        assert!(one.put_token(&token).await.unwrap());
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(rounds * 8));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..rounds {
        for s in [&one, &two, &one, &two, &one, &two, &one, &two] {
            let (s, barrier) = (s.clone(), barrier.clone());
            tasks.spawn(async move {
                barrier.wait().await;
                let got = s
                    .consume_token("handoff", &format!("race-{i}"), now_ms())
                    .await
                    .unwrap();
                (i, got)
            });
        }
    }
    let mut used = vec![0; rounds];
    while let Some(done) = tasks.join_next().await {
        let (i, got) = done.unwrap();
        match got {
            Consumed::Now(_) => used[i] += 1,
            Consumed::AlreadyUsed => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(used.iter().all(|n| *n == 1), "{used:?}");
}

async fn expired_rows_are_swept(database: Database) {
    let s = open(&database).await;
    let s = s.as_ref();
    let (k, d) = with_dossier(s, "sweep").await;
    let now = now_ms();
    upload(s, "expiring", &k, &d, 1_000).await;
    upload(s, "lasting", &k, &d, 600_000).await;
    for (secret, ttl) in [("t-expiring", 1_000), ("t-lasting", 600_000)] {
        let t = NewToken {
            kind: "handoff",
            secret,
            enduser: Some(&k),
            payload: "{}",
            created_at_ms: now,
            expires_at_ms: now + ttl,
        };
        s.put_token(&t).await.unwrap();
    }
    s.begin_event("ev-old", now, now + 10, now + 1_000)
        .await
        .unwrap();
    s.begin_event("ev-new", now, now + 10, now + 600_000)
        .await
        .unwrap();
    // End-users named without a dossier: one past its time, one not, one past it but
    // creating its dossier right now.
    for (name, until) in [("idle", now + 1_000), ("fresh", now + 600_000)] {
        s.create_enduser(&key(name), "t", now, until).await.unwrap();
    }
    let busy = key("busy");
    s.create_enduser(&busy, "t", now, now + 1_000)
        .await
        .unwrap();
    assert_eq!(
        s.claim_dossier(&busy, None, "c", now, now + 600_000)
            .await
            .unwrap(),
        Claim::Won { note: None }
    );
    let before = s.census().await.unwrap();

    let later = now + 2_000;
    let swept = s.sweep(later).await.unwrap();
    assert_eq!(
        (swept.uploads, swept.tokens, swept.events, swept.endusers),
        (1, 1, 1, 1),
        "{swept:?}"
    );
    assert_eq!(s.upload("expiring").await.unwrap(), None);
    assert!(s.upload("lasting").await.unwrap().is_some());
    assert_eq!(
        s.consume_token("handoff", "t-expiring", later)
            .await
            .unwrap(),
        Consumed::Unknown
    );
    assert!(s
        .token("handoff", "t-lasting", later)
        .await
        .unwrap()
        .is_some());
    assert_eq!(s.enduser(&key("idle")).await.unwrap(), None);
    assert!(s.enduser(&key("fresh")).await.unwrap().is_some());
    assert!(s.enduser(&busy).await.unwrap().is_some());
    assert!(
        s.enduser(&k).await.unwrap().is_some(),
        "end-users with a dossier stay"
    );
    let after = s.census().await.unwrap();
    assert_eq!(after.uploads, before.uploads - 1);
    assert_eq!(after.events, before.events - 1);
    assert_eq!(s.sweep(later).await.unwrap().total(), 0, "nothing twice");
}

/// The webhook de-duplication set is bounded by time (each id kept until its `keep_until`,
/// then swept) and the notified statuses by count per dossier ([`store::NOTIFIED_KEPT`]
/// latest): both filled past their bound.
async fn event_ids_and_statuses_filled_past_their_bounds(database: Database) {
    let s = open(&database).await;
    let s = s.as_ref();
    let (_, d) = with_dossier(s, "bounded").await;
    let kept = store::NOTIFIED_KEPT as usize;
    let total = kept + 40;
    let now = now_ms();
    let before = s.census().await.unwrap();
    for i in 0..total {
        // The first half is kept a second, the rest ten minutes.
        let keep = if i < total / 2 {
            now + 1_000
        } else {
            now + 600_000
        };
        let event = format!("bound-e{i}");
        assert_eq!(
            s.begin_event(&event, now, now + 1_000, keep).await.unwrap(),
            EventClaim::New
        );
        let n = Notified {
            event_id: event.clone(),
            status: "accepted".into(),
            received_at: format!("2025-01-01T00:{:02}:{:02}.000Z", i / 60, i % 60),
        };
        s.finish_event(&event, Some((&d, &format!("p{i:03}"), &n)))
            .await
            .unwrap();
    }
    let notified = s.notified(&d).await.unwrap();
    assert_eq!(
        notified.len(),
        kept,
        "the latest {kept} statuses of the dossier"
    );
    let expected: Vec<String> = (total - kept..total).map(|i| format!("p{i:03}")).collect();
    assert_eq!(notified.keys().cloned().collect::<Vec<_>>(), expected);
    let filled = s.census().await.unwrap();
    assert_eq!(filled.events, before.events + total as u64);
    assert_eq!(filled.notified, before.notified + kept as u64);

    // Past their keeping time the ids go; the others still answer Duplicate.
    let later = now + 2_000;
    let swept = s.sweep(later).await.unwrap();
    assert_eq!(swept.events, (total / 2) as u64, "{swept:?}");
    let after = s.census().await.unwrap();
    assert_eq!(after.events, before.events + (total - total / 2) as u64);
    assert_eq!(
        s.begin_event("bound-e0", later, later + 1_000, later + 1_000)
            .await
            .unwrap(),
        EventClaim::New,
        "forgotten after its keeping time"
    );
    assert_eq!(
        s.begin_event(
            &format!("bound-e{}", total - 1),
            later,
            later + 1_000,
            later
        )
        .await
        .unwrap(),
        EventClaim::Duplicate
    );
}

async fn deleting_an_end_user_deletes_everything_of_theirs(database: Database) {
    let s = open(&database).await;
    let s = s.as_ref();
    let (k, d) = with_dossier(s, "leaving").await;
    let (other, other_d) = with_dossier(s, "staying").await;
    upload(s, "theirs", &k, &d, 60_000).await;
    s.record_step("theirs", "front", 3, now_ms()).await.unwrap();
    upload(s, "others", &other, &other_d, 60_000).await;
    let now = now_ms();
    s.begin_event("ev", now, now + 10, now + 60_000)
        .await
        .unwrap();
    let n = Notified {
        event_id: "ev".into(),
        status: "accepted".into(),
        received_at: "t".into(),
    };
    s.finish_event("ev", Some((&d, "p", &n))).await.unwrap();
    let t = NewToken {
        kind: "handoff",
        secret: "theirs",
        enduser: Some(&k),
        payload: "{}",
        created_at_ms: now,
        expires_at_ms: now + 60_000,
    };
    s.put_token(&t).await.unwrap();

    assert!(s.remove_enduser(&k).await.unwrap());
    assert!(!s.remove_enduser(&k).await.unwrap());
    assert_eq!(s.enduser(&k).await.unwrap(), None);
    assert_eq!(s.upload("theirs").await.unwrap(), None);
    assert!(s.notified(&d).await.unwrap().is_empty());
    assert_eq!(s.token("handoff", "theirs", now).await.unwrap(), None);
    assert!(!s.dossier_known(&d).await.unwrap());
    let census = s.census().await.unwrap();
    assert_eq!(
        (
            census.endusers,
            census.uploads,
            census.notified,
            census.tokens
        ),
        (1, 1, 0, 0),
        "only the other end-user's rows are left"
    );
}

async fn file_records_are_imported_once(database: Database) {
    let s = open(&database).await;
    let k = EndUserKey::of_cookie("old-cookie");
    let mut received = BTreeMap::new();
    received.insert("front".to_string(), 77u64);
    let record = Imported {
        cookie: "old-cookie".into(),
        dossier_id: "d-old".into(),
        created_at: "2024-01-01T00:00:00.000Z".into(),
        uploads: vec![(
            "old-upload".into(),
            Upload {
                enduser: k.clone(),
                dossier_id: "d-old".into(),
                process_id: "p-old".into(),
                steps: vec!["front".into(), "back".into()],
                received,
                completed: false,
                expires_at_ms: now_ms() + 60_000,
                expires_at: "2099-01-01T00:00:00.000Z".into(),
            },
        )],
        notified: [(
            "p-done".to_string(),
            Notified {
                event_id: "old-event".into(),
                status: "accepted".into(),
                received_at: "2024-01-01T00:00:01.000Z".into(),
            },
        )]
        .into_iter()
        .collect(),
    };
    assert!(s.import(&record, now_ms()).await.unwrap());
    assert!(!s.import(&record, now_ms()).await.unwrap(), "once");
    let user = s.enduser(&k).await.unwrap().unwrap();
    assert_eq!(user.dossier_id.as_deref(), Some("d-old"));
    let u = s.upload("old-upload").await.unwrap().unwrap();
    assert_eq!(u.steps, ["front", "back"]);
    assert_eq!(u.received.get("front"), Some(&77));
    assert_eq!(
        s.notified("d-old").await.unwrap()["p-done"].status,
        "accepted"
    );
    let now = now_ms();
    assert_eq!(
        s.begin_event("old-event", now, now + 10, now + 10)
            .await
            .unwrap(),
        EventClaim::Duplicate,
        "the events it had handled stay handled"
    );
}

/// A waiting handoff `id` of `k`, its link valid for `ttl` ms from `now`.
async fn new_handoff(s: &dyn Store, id: &str, k: &EndUserKey, now: i64, ttl: i64) {
    s.create_handoff(&NewHandoff {
        id,
        enduser: k,
        mode: "native",
        lang: Some("en"),
        scenario: Some("accepted"),
        created_at_ms: now,
        expires_at_ms: now + ttl,
    })
    .await
    .unwrap();
}

async fn status_of(s: &dyn Store, id: &str, now: i64) -> HandoffStatus {
    s.handoff(id)
        .await
        .unwrap()
        .expect("the handoff")
        .status_at(now)
}

async fn handoffs_move_forward_only(database: Database) {
    use HandoffStatus::*;
    let s = open(&database).await;
    let s = s.as_ref();
    let (k, d) = with_dossier(s, "handoff").await;
    let now = now_ms();
    new_handoff(s, "h1", &k, now, 600_000).await;
    let h = s.handoff("h1").await.unwrap().unwrap();
    assert_eq!(
        (
            h.status,
            h.mode.as_str(),
            h.lang.as_deref(),
            h.scenario.as_deref(),
            &h.enduser
        ),
        (Waiting, "native", Some("en"), Some("accepted"), &k)
    );
    assert_eq!((h.dossier_id, h.process_id), (None, None));
    assert_eq!(s.handoff("unknown").await.unwrap(), None);

    // Nothing moves before the phone opened the link (a session needs an opened handoff).
    assert!(!s
        .handoff_capturing("h1", &d, Some("p1"), now)
        .await
        .unwrap());
    assert_eq!(s.phone_handoff("secret-1").await.unwrap(), None);
    assert!(s
        .open_handoff("h1", "secret-1", "1234", now, now + 600_000)
        .await
        .unwrap());
    assert!(
        !s.open_handoff("h1", "secret-2", "1234", now, now + 600_000)
            .await
            .unwrap(),
        "opened once"
    );
    assert_eq!(s.phone_handoff("secret-2").await.unwrap(), None);
    let phone = s.phone_handoff("secret-1").await.unwrap().unwrap();
    assert_eq!((phone.id.as_str(), phone.status), ("h1", Opened));
    assert_eq!(phone.pair_code.as_deref(), Some("1234"));

    // Nothing is captured before the desktop confirmed the phone's code, and it does once.
    assert!(!s
        .handoff_capturing("h1", &d, Some("p1"), now)
        .await
        .unwrap());
    assert!(s.confirm_handoff("h1", now).await.unwrap());
    assert!(
        !s.confirm_handoff("h1", now).await.unwrap(),
        "confirmed once"
    );
    assert_eq!(s.handoff("h1").await.unwrap().unwrap().status, Paired);
    assert!(s
        .handoff_capturing("h1", &d, Some("p1"), now)
        .await
        .unwrap());
    assert!(s.advance_handoff("h1", Uploading, now).await.unwrap());
    // Backwards moves change nothing.
    for back in [Waiting, Opened, Paired, Capturing, Uploading] {
        assert!(
            !s.advance_handoff("h1", back, now).await.unwrap(),
            "{back:?}"
        );
    }
    assert_eq!(status_of(s, "h1", now).await, Uploading);
    // A retry on the phone names its new process, and stays uploading.
    assert!(s
        .handoff_capturing("h1", &d, Some("p2"), now)
        .await
        .unwrap());
    let h = s.handoff("h1").await.unwrap().unwrap();
    assert_eq!(
        (h.status, h.dossier_id.as_deref(), h.process_id.as_deref()),
        (Uploading, Some(d.as_str()), Some("p2"))
    );
    assert_eq!(s.process_handoff("p2").await.unwrap().unwrap().id, "h1");
    assert!(
        !s.bind_handoff_process("h1", "p3", now).await.unwrap(),
        "known already"
    );

    assert!(s.advance_handoff("h1", Complete, now).await.unwrap());
    // A finished handoff is neither cancelled nor expired, and moves no more.
    for after in [Cancelled, Expired, Complete, Uploading] {
        assert!(
            !s.advance_handoff("h1", after, now).await.unwrap(),
            "{after:?}"
        );
    }
    assert!(!s
        .handoff_capturing("h1", &d, Some("p4"), now)
        .await
        .unwrap());
    assert_eq!(status_of(s, "h1", now + 86_400_000).await, Complete);

    // Cancelled from any unfinished status, and then final.
    new_handoff(s, "h2", &k, now, 600_000).await;
    assert!(s.advance_handoff("h2", Cancelled, now).await.unwrap());
    assert!(!s.advance_handoff("h2", Cancelled, now).await.unwrap());
    assert!(!s
        .open_handoff("h2", "secret-3", "1234", now, now + 1)
        .await
        .unwrap());
    assert!(!s.advance_handoff("h2", Complete, now).await.unwrap());
    assert_eq!(status_of(s, "h2", now).await, Cancelled);

    // A hosted flow's process is named once, at its first read.
    new_handoff(s, "h3", &k, now, 600_000).await;
    assert!(s
        .open_handoff("h3", "secret-4", "1234", now, now + 600_000)
        .await
        .unwrap());
    assert!(s.confirm_handoff("h3", now).await.unwrap());
    assert!(s.handoff_capturing("h3", &d, None, now).await.unwrap());
    assert!(s.bind_handoff_process("h3", "p5", now).await.unwrap());
    assert!(!s.bind_handoff_process("h3", "p6", now).await.unwrap());
    assert_eq!(
        s.handoff("h3")
            .await
            .unwrap()
            .unwrap()
            .process_id
            .as_deref(),
        Some("p5")
    );
}

/// Many concurrent moves on two instances: the status only ever goes forward, and it ends at
/// the furthest one asked for.
async fn racing_handoff_moves_on_two_instances_never_go_back(database: Database) {
    use HandoffStatus::*;
    let one = open(&database).await;
    let two = open(&database).await;
    let (k, d) = with_dossier(one.as_ref(), "racing").await;
    let now = now_ms();
    new_handoff(one.as_ref(), "race", &k, now, 600_000).await;
    assert!(two
        .open_handoff("race", "secret", "1234", now, now + 600_000)
        .await
        .unwrap());
    assert!(two.confirm_handoff("race", now).await.unwrap());
    assert!(one
        .handoff_capturing("race", &d, Some("p"), now)
        .await
        .unwrap());
    let mut tasks = Vec::new();
    for i in 0..24 {
        let s = if i % 2 == 0 { one.clone() } else { two.clone() };
        let to = [Opened, Capturing, Uploading, Complete][i % 4];
        tasks.push(tokio::spawn(async move {
            (to, s.advance_handoff("race", to, now_ms()).await.unwrap())
        }));
    }
    let mut moved = Vec::new();
    for task in tasks {
        let (to, did) = task.await.unwrap();
        if did {
            moved.push(to);
        }
    }
    // Only forward moves happened: `complete` once, perhaps `uploading` once before it.
    assert_eq!(
        moved.iter().filter(|m| **m == Complete).count(),
        1,
        "{moved:?}"
    );
    assert!(
        moved.iter().all(|m| matches!(m, Uploading | Complete)),
        "{moved:?}"
    );
    assert!(moved.len() <= 2, "{moved:?}");
    assert_eq!(status_of(two.as_ref(), "race", now_ms()).await, Complete);
}

async fn handoffs_expire_and_are_swept(database: Database) {
    use HandoffStatus::*;
    let s = open(&database).await;
    let s = s.as_ref();
    let (k, d) = with_dossier(s, "expiry").await;
    let now = now_ms();
    // A link not opened in time: expired, cannot be opened, and nothing moves it.
    new_handoff(s, "late", &k, now, 1_000).await;
    let later = now + 1_000;
    assert_eq!(status_of(s, "late", now).await, Waiting);
    assert_eq!(status_of(s, "late", later).await, Expired);
    assert!(!s
        .open_handoff("late", "x", "1234", later, later + 600_000)
        .await
        .unwrap());
    assert!(!s.advance_handoff("late", Cancelled, later).await.unwrap());
    assert_eq!(status_of(s, "late", later).await, Expired);

    // An opened handoff lives as long as the phone's session, then expires mid-capture.
    new_handoff(s, "phone", &k, now, 1_000).await;
    assert!(s
        .open_handoff("phone", "y", "1234", now, now + 5_000)
        .await
        .unwrap());
    assert_eq!(
        status_of(s, "phone", later).await,
        Opened,
        "the session's time now"
    );
    assert!(s.confirm_handoff("phone", later).await.unwrap());
    assert!(s
        .handoff_capturing("phone", &d, Some("p"), later)
        .await
        .unwrap());
    let over = now + 5_000;
    assert_eq!(status_of(s, "phone", over).await, Expired);
    assert!(!s.advance_handoff("phone", Uploading, over).await.unwrap());
    assert!(!s.advance_handoff("phone", Complete, over).await.unwrap());

    // A complete one and a live one stay; expired ones go an hour after their time.
    new_handoff(s, "done", &k, now, 1_000).await;
    assert!(s
        .open_handoff("done", "z", "1234", now, now + 1_000)
        .await
        .unwrap());
    assert!(s.advance_handoff("done", Complete, now).await.unwrap());
    new_handoff(s, "live", &k, now, 7_200_000).await;
    // In progress (the metrics' gauge): neither complete nor past its time.
    assert_eq!(s.open_handoffs(now).await.unwrap(), 3, "late, phone, live");
    assert_eq!(s.open_handoffs(later).await.unwrap(), 2, "phone, live");
    assert_eq!(s.open_handoffs(over).await.unwrap(), 1, "live");
    let keep = store::HANDOFF_KEEP_MS;
    assert_eq!(s.sweep(now + 1_000 + keep - 1).await.unwrap().handoffs, 0);
    assert!(
        s.handoff("late").await.unwrap().is_some(),
        "kept for the desktop to read"
    );
    let swept = s.sweep(now + 5_000 + keep).await.unwrap();
    assert_eq!(swept.handoffs, 3, "{swept:?}");
    assert_eq!(s.handoff("late").await.unwrap(), None);
    assert_eq!(s.handoff("phone").await.unwrap(), None);
    assert_eq!(s.phone_handoff("y").await.unwrap(), None);
    assert!(s.handoff("live").await.unwrap().is_some());
    assert_eq!(s.census().await.unwrap().handoffs, 1);
}

async fn deleting_an_end_user_deletes_their_handoffs(database: Database) {
    let s = open(&database).await;
    let s = s.as_ref();
    let (k, _) = with_dossier(s, "gone").await;
    let (other, _) = with_dossier(s, "kept").await;
    let now = now_ms();
    new_handoff(s, "theirs", &k, now, 600_000).await;
    assert!(s
        .open_handoff("theirs", "phone", "1234", now, now + 600_000)
        .await
        .unwrap());
    new_handoff(s, "others", &other, now, 600_000).await;
    assert!(s.remove_enduser(&k).await.unwrap());
    assert_eq!(s.handoff("theirs").await.unwrap(), None);
    assert_eq!(s.phone_handoff("phone").await.unwrap(), None);
    assert!(s.handoff("others").await.unwrap().is_some());
    assert_eq!(s.census().await.unwrap().handoffs, 1);
}
