//! Databases for the tests: a fresh SQLite file, or a fresh database on the throwaway
//! PostgreSQL that `npm test` starts (`VIDEOID_TEST_DATABASE_URL`, see scripts/postgres.sh).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use videoid_backend::store::Database;

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// The server URL of the test PostgreSQL, or `None` after saying why its tests are skipped.
pub fn postgres_server() -> Option<String> {
    match std::env::var("VIDEOID_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let why = std::env::var("VIDEOID_TEST_POSTGRES_SKIP").unwrap_or_else(|_| {
                "VIDEOID_TEST_DATABASE_URL is not set (npm test starts a throwaway PostgreSQL)"
                    .to_string()
            });
            eprintln!("PostgreSQL test skipped: {why}");
            None
        }
    }
}

/// A new, empty database on the test PostgreSQL; `None` (after saying why) when there is none.
pub async fn postgres_database() -> Option<String> {
    let server = postgres_server()?;
    let name = format!(
        "videoid_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
        .await
        .expect("the test PostgreSQL answers");
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
    Some(format!("{base}/{name}"))
}

/// Which database the HTTP tests' servers use: `VIDEOID_TEST_STORE=postgres` runs them on a
/// fresh PostgreSQL database per data directory (the same one again after a restart on it).
pub async fn for_servers(data_dir: &std::path::Path) -> Option<Database> {
    if std::env::var("VIDEOID_TEST_STORE").as_deref() != Ok("postgres") {
        return None;
    }
    static BY_DIR: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());
    if let Some(url) = BY_DIR.lock().unwrap().get(data_dir) {
        return Some(Database::Postgres(url.clone()));
    }
    let url = postgres_database()
        .await
        .expect("VIDEOID_TEST_STORE=postgres needs VIDEOID_TEST_DATABASE_URL");
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
