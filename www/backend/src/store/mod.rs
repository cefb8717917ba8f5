//! The reference backend's database: end-users and their dossiers, native upload sessions,
//! webhook de-duplication, and short-lived single-use tokens.
//!
//! One trait, [`Store`], two implementations: SQLite (embedded, the default: a file under the
//! data directory, WAL mode) and PostgreSQL (`DATABASE_URL=postgres://…`). Both run the same
//! versioned migrations ([`sql::MIGRATIONS`]) when they open, and the same statements.
//!
//! Several backend instances may share one database: every change that must happen together
//! is one statement or one transaction, and the first dossier of an end-user is created under
//! a claim on the end-user's row (see [`Store::claim_dossier`]), so two racing requests, on
//! one instance or two, end with one dossier.
//!
//! Bearer values (the end-user cookie, upload tokens, single-use tokens) are stored only as
//! SHA-256 digests: a copy of the database does not let anyone act as an end-user.

pub mod pg_tls;
mod postgres;
mod records;
mod rows;
pub mod sql;
mod sqlite;

pub use postgres::PostgresStore;
pub use records::*;
pub use sqlite::SqliteStore;

use std::sync::Arc;
use std::time::Duration;

/// Opens (creating and migrating when needed) the database.
pub async fn open(database: &Database, pool_size: usize) -> Result<Arc<dyn Store>, StoreError> {
    let pool_size = pool_size.clamp(1, 256);
    Ok(match database {
        Database::Sqlite(path) => Arc::new(SqliteStore::open(path, pool_size).await?),
        Database::Postgres(url) => Arc::new(PostgresStore::open(url, pool_size).await?),
    })
}

/// Sweeps expired rows every `every` until `stopped` turns true.
pub fn spawn_sweeper(
    store: Arc<dyn Store>,
    every: Duration,
    stopped: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    spawn_every(every, stopped, move || {
        let store = store.clone();
        async move {
            if let Err(e) = store.sweep(now_ms()).await {
                tracing::error!(error = %e, "sweep failed");
            }
        }
    })
}

/// Runs `task` at once and then every `every` (a late run delays the next, never doubles
/// it) until `stopped` turns true.
pub fn spawn_every<F, Fut>(
    every: Duration,
    mut stopped: tokio::sync::watch::Receiver<bool>,
    mut task: F,
) -> tokio::task::JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let stop = async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = tick.tick() => task().await,
                _ = &mut stop => return,
            }
        }
    })
}
