//! Databases for the tests: a fresh SQLite file, or a fresh database on the PostgreSQL named
//! by `VIDEOID_TEST_DATABASE_URL` (`npm test` starts a throwaway one, see scripts/postgres.sh).
//! The same file serves `videoid-www`'s tests (`www/tests/common/mod.rs` includes it).
//!
//! A PostgreSQL test never passes without PostgreSQL: without `VIDEOID_TEST_DATABASE_URL` it
//! fails, naming what is missing. To leave them out knowingly, filter them by name
//! (`cargo test … -- --skip postgres`): cargo counts them as "filtered out".

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use videoid_backend::store::Database;

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// What to do without a PostgreSQL, in every message that says one is missing.
const HOW: &str = "start one with `source scripts/postgres.sh && pg_start` (Debian's postgresql; \
                   `bash scripts/setup.sh --test` installs it) or point VIDEOID_TEST_DATABASE_URL \
                   at a server; to leave the PostgreSQL tests out knowingly, \
                   `cargo test … -- --skip postgres`";

/// The store the HTTP tests' servers use, from `VIDEOID_TEST_STORE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStore {
    /// Unset, empty or `sqlite`: the backend's default, a SQLite file in its data directory.
    Sqlite,
    /// `postgres`: a fresh database on the test PostgreSQL per data directory.
    Postgres,
}

/// `VIDEOID_TEST_STORE`; panics on any other value than `sqlite` or `postgres`, so that a
/// misspelt store cannot quietly run the tests on SQLite.
pub fn test_store() -> TestStore {
    match std::env::var("VIDEOID_TEST_STORE").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => TestStore::Sqlite,
        Ok("postgres") => TestStore::Postgres,
        Ok(other) => panic!("VIDEOID_TEST_STORE={other:?}: expected `sqlite` or `postgres`"),
    }
}

/// The server URL of the test PostgreSQL; panics, naming PostgreSQL, when there is none.
pub fn postgres_server() -> String {
    match std::env::var("VIDEOID_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!("this test needs PostgreSQL and VIDEOID_TEST_DATABASE_URL is not set: {HOW}"),
    }
}

/// A new, empty database on the test PostgreSQL; panics when there is none.
pub async fn postgres_database() -> String {
    let server = postgres_server();
    let name = format!(
        "videoid_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!("the test PostgreSQL (VIDEOID_TEST_DATABASE_URL={server}) does not answer: {e}")
        });
    let running = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("CREATE DATABASE");
    drop(client);
    let _ = running.await;
    let (base, _) = server
        .rsplit_once('/')
        .expect("the test PostgreSQL URL names a database");
    format!("{base}/{name}")
}

/// Which database the HTTP tests' servers use: `None` (the backend's SQLite file) unless
/// `VIDEOID_TEST_STORE=postgres`, which runs them on a fresh PostgreSQL database per data
/// directory (the same one again after a restart on it), and fails without a PostgreSQL.
pub async fn for_servers(data_dir: &std::path::Path) -> Option<Database> {
    if test_store() == TestStore::Sqlite {
        return None;
    }
    if std::env::var("VIDEOID_TEST_DATABASE_URL").map_or(true, |u| u.trim().is_empty()) {
        panic!("VIDEOID_TEST_STORE=postgres but VIDEOID_TEST_DATABASE_URL is not set: {HOW}");
    }
    static BY_DIR: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());
    if let Some(url) = BY_DIR.lock().unwrap().get(data_dir) {
        return Some(Database::Postgres(url.clone()));
    }
    let url = postgres_database().await;
    BY_DIR
        .lock()
        .unwrap()
        .insert(data_dir.to_path_buf(), url.clone());
    Some(Database::Postgres(url))
}

/// Runs SQL as is on a database (for tests that set up what the backend would not).
pub async fn execute(database: &Database, sql: &str) {
    match database {
        Database::Sqlite(path) => {
            let c = rusqlite::Connection::open(path).expect("open");
            c.execute_batch(sql).expect("SQL");
        }
        Database::Postgres(url) => {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .expect("connect");
            let running = tokio::spawn(connection);
            client.batch_execute(sql).await.expect("SQL");
            drop(client);
            let _ = running.await;
        }
    }
}
