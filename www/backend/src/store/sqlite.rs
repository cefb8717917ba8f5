//! [`Store`] on an SQLite file (rusqlite, SQLite compiled in): WAL mode, so readers never wait
//! for the writer; every write is a `BEGIN IMMEDIATE` transaction, so writers from several
//! processes on one file queue on SQLite's lock (busy timeout) instead of failing.
//!
//! rusqlite is blocking: each call runs on tokio's blocking pool. One connection writes
//! (an async mutex queues this process's writers without spinning on SQLite's lock); a
//! few more read.

use super::records::{
    check_version, now_ms, Census, Claim, Consumed, EndUser, EndUserKey, EventClaim, Handoff,
    HandoffStatus, Imported, Millis, NewHandoff, NewToken, Notified, Store, StoreError, Swept,
    Token, Upload,
};
use super::rows::{self, Columns};
use super::sql::{self, for_sqlite};
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The SQLite implementation.
pub struct SqliteStore {
    path: PathBuf,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
    reader_permits: Arc<Semaphore>,
}

/// Why an open failed: SQLite's own error (it may be a lost lock race, worth another try)
/// or a refusal (a file not in WAL mode, a schema newer than this build).
enum OpenError {
    Sqlite(rusqlite::Error),
    Refused(StoreError),
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> Self {
        OpenError::Sqlite(e)
    }
}

impl From<OpenError> for StoreError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Sqlite(e) => e.into(),
            OpenError::Refused(e) => e,
        }
    }
}

fn connect(path: &Path) -> Result<Connection, OpenError> {
    let c = Connection::open(path)?;
    c.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = c.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(OpenError::Refused(StoreError(format!(
            "{}: journal mode {mode}, not WAL",
            path.display()
        ))));
    }
    c.pragma_update(None, "synchronous", "NORMAL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    Ok(c)
}

fn migrate(c: &mut Connection) -> Result<(), OpenError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(sql::MIGRATIONS_TABLE)?;
    let at: i64 = tx.query_row(sql::SCHEMA_VERSION, [], |r| r.get(0))?;
    check_version(at).map_err(OpenError::Refused)?;
    for m in sql::MIGRATIONS.iter().filter(|m| m.version > at) {
        tx.execute_batch(m.sql)?;
        tx.execute(
            &for_sqlite(sql::RECORD_MIGRATION),
            params![m.version, m.name, now_ms()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Whether SQLite gave up on a lock. Two processes opening a new file together can get
/// this *without* the busy timeout being applied: switching to WAL and starting the
/// migration each upgrade a lock another connection may be upgrading too, and SQLite
/// answers one of them "database is locked" at once rather than deadlock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Runs `open` again while it lost a lock race to another instance (each try a fresh
/// connection; the migration is one transaction, so nothing is applied twice), for at
/// most [`BUSY_TIMEOUT`].
fn retrying<T>(mut open: impl FnMut() -> Result<T, OpenError>) -> Result<T, StoreError> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(5);
    loop {
        match open() {
            Ok(v) => return Ok(v),
            Err(OpenError::Sqlite(e)) if is_busy(&e) && std::time::Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn rows_u64(n: usize) -> u64 {
    n as u64
}

impl SqliteStore {
    /// Opens (creating when needed) the file and brings its schema up to date.
    pub async fn open(path: &Path, readers: usize) -> Result<SqliteStore, StoreError> {
        let path = path.to_path_buf();
        let readers = readers.clamp(1, 8);
        let p = path.clone();
        let (writer, pool) = tokio::task::spawn_blocking(move || {
            if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| StoreError(format!("{}: {e}", parent.display())))?;
            }
            let writer = retrying(|| {
                let mut c = connect(&p)?;
                migrate(&mut c)?;
                Ok(c)
            })?;
            let pool = (0..readers)
                .map(|_| retrying(|| connect(&p)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, StoreError>((writer, pool))
        })
        .await??;
        Ok(SqliteStore {
            path,
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
            readers: Arc::new(Mutex::new(pool)),
            reader_permits: Arc::new(Semaphore::new(readers)),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in an immediate transaction on the writer connection; commits when it is `Ok`.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let mut conn = self.writer.clone().lock_owned().await;
        tokio::task::spawn_blocking(move || {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await?
    }

    /// Runs `f` on a reader connection.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let permit = self
            .reader_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| StoreError("the reader pool is closed".into()))?;
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let conn = readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop()
                .ok_or_else(|| StoreError("no reader connection".into()))?;
            let out = f(&conn);
            readers.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            drop(permit);
            out
        })
        .await?
    }
}

fn upload_of(c: &Connection, token: &str) -> Result<Option<Upload>, StoreError> {
    let steps = c
        .prepare_cached(&for_sqlite(sql::UPLOAD_STEPS))?
        .query_map(params![token], |r| Ok(rows::upload_step(r)))?
        .map(|r| r?)
        .collect::<Result<Vec<_>, StoreError>>()?;
    c.prepare_cached(&for_sqlite(sql::UPLOAD))?
        .query_row(params![token], |r| Ok(rows::upload(r, steps)))
        .optional()?
        .transpose()
}

fn insert_upload(
    tx: &Transaction<'_>,
    token: &str,
    enduser: &str,
    upload: (&str, &str, &[String]),
    created_at_ms: Millis,
    expires: (Millis, &str),
) -> Result<(), StoreError> {
    let (dossier_id, process_id, steps) = upload;
    tx.prepare_cached(&for_sqlite(sql::INSERT_UPLOAD))?
        .execute(params![
            token,
            enduser,
            dossier_id,
            process_id,
            created_at_ms,
            expires.0,
            expires.1
        ])?;
    let mut insert = tx.prepare_cached(&for_sqlite(sql::INSERT_STEP))?;
    for (position, step) in steps.iter().enumerate() {
        insert.execute(params![token, step, position as i64])?;
    }
    Ok(())
}

/// The handoff a statement selecting [`sql::HANDOFF`]'s columns finds.
fn handoff_where(
    c: &Connection,
    statement: &str,
    value: &str,
) -> Result<Option<Handoff>, StoreError> {
    c.prepare_cached(&for_sqlite(statement))?
        .query_row(params![value], |r| Ok(rows::handoff(r)))
        .optional()?
        .transpose()
}

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|c| Ok(c.query_row(sql::SCHEMA_VERSION, [], |r| r.get(0))?))
            .await
    }

    async fn create_enduser(
        &self,
        key: &EndUserKey,
        created_at: &str,
        now_ms: Millis,
        unclaimed_until_ms: Millis,
    ) -> Result<bool, StoreError> {
        let (key, created_at) = (key.0.clone(), created_at.to_string());
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::CREATE_ENDUSER))?
                .execute(params![key, created_at, now_ms, unclaimed_until_ms])?;
            Ok(n == 1)
        })
        .await
    }

    async fn enduser(&self, key: &EndUserKey) -> Result<Option<EndUser>, StoreError> {
        let key = key.clone();
        self.read(move |c| {
            let row = c
                .prepare_cached(&for_sqlite(sql::ENDUSER))?
                .query_row(params![key.0], |r| {
                    Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?;
            Ok(row.map(|(dossier_id, created_at)| EndUser {
                key,
                dossier_id,
                created_at,
            }))
        })
        .await
    }

    async fn claim_dossier(
        &self,
        key: &EndUserKey,
        current: Option<&str>,
        claim: &str,
        now_ms: Millis,
        until_ms: Millis,
    ) -> Result<Claim, StoreError> {
        let (key, current, claim) = (
            key.0.clone(),
            current.map(str::to_string),
            claim.to_string(),
        );
        self.write(move |tx| {
            let won = tx
                .prepare_cached(&for_sqlite(sql::CLAIM))?
                .query_row(params![key, claim, now_ms, until_ms, current], |r| {
                    r.get::<_, Option<String>>(0)
                })
                .optional()?;
            if let Some(note) = won {
                return Ok(Claim::Won { note });
            }
            let state = tx
                .prepare_cached(&for_sqlite(sql::CLAIM_STATE))?
                .query_row(params![key], |r| r.get::<_, Option<String>>(0))
                .optional()?;
            Ok(match state {
                None => Claim::Unknown,
                Some(Some(dossier)) if Some(&dossier) != current.as_ref() => {
                    Claim::Settled(dossier)
                }
                Some(_) => Claim::Busy,
            })
        })
        .await
    }

    async fn settle_dossier(
        &self,
        key: &EndUserKey,
        claim: &str,
        dossier_id: &str,
    ) -> Result<bool, StoreError> {
        let (key, claim, dossier) = (key.0.clone(), claim.to_string(), dossier_id.to_string());
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::SETTLE))?
                .execute(params![key, claim, dossier])?;
            if n != 1 {
                return Ok(false);
            }
            tx.prepare_cached(&for_sqlite(sql::DROP_OTHER_UPLOADS))?
                .execute(params![key, dossier])?;
            tx.prepare_cached(&for_sqlite(sql::DROP_OTHER_NOTIFIED))?
                .execute(params![key, dossier])?;
            Ok(true)
        })
        .await
    }

    async fn release_claim(
        &self,
        key: &EndUserKey,
        claim: &str,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let (key, claim, note) = (key.0.clone(), claim.to_string(), note.map(str::to_string));
        self.write(move |tx| {
            tx.prepare_cached(&for_sqlite(sql::RELEASE))?
                .execute(params![key, claim, note])?;
            Ok(())
        })
        .await
    }

    async fn note_claim(
        &self,
        key: &EndUserKey,
        claim: &str,
        note: &str,
    ) -> Result<bool, StoreError> {
        let (key, claim, note) = (key.0.clone(), claim.to_string(), note.to_string());
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::NOTE_CLAIM))?
                .execute(params![key, claim, note])?;
            Ok(n == 1)
        })
        .await
    }

    async fn dossier_known(&self, dossier_id: &str) -> Result<bool, StoreError> {
        let dossier = dossier_id.to_string();
        self.read(move |c| {
            Ok(c.prepare_cached(&for_sqlite(sql::DOSSIER_KNOWN))?
                .exists(params![dossier])?)
        })
        .await
    }

    async fn remove_enduser(&self, key: &EndUserKey) -> Result<bool, StoreError> {
        let key = key.0.clone();
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::REMOVE_ENDUSER))?
                .execute(params![key])?;
            Ok(n == 1)
        })
        .await
    }

    async fn create_upload(
        &self,
        token: &str,
        enduser: &EndUserKey,
        dossier_id: &str,
        process_id: &str,
        steps: &[String],
        now_ms: Millis,
        expires_at_ms: Millis,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let token = super::records::digest(token);
        let enduser = enduser.0.clone();
        let (dossier, process, steps, expires_at) = (
            dossier_id.to_string(),
            process_id.to_string(),
            steps.to_vec(),
            expires_at.to_string(),
        );
        self.write(move |tx| {
            tx.prepare_cached(&for_sqlite(sql::DROP_SPENT_UPLOADS))?
                .execute(params![enduser, now_ms])?;
            insert_upload(
                tx,
                &token,
                &enduser,
                (&dossier, &process, &steps),
                now_ms,
                (expires_at_ms, &expires_at),
            )
        })
        .await
    }

    async fn upload(&self, token: &str) -> Result<Option<Upload>, StoreError> {
        let token = super::records::digest(token);
        self.read(move |c| upload_of(c, &token)).await
    }

    async fn record_step(
        &self,
        token: &str,
        step: &str,
        bytes: u64,
        now_ms: Millis,
    ) -> Result<Option<u64>, StoreError> {
        let (token, step) = (super::records::digest(token), step.to_string());
        let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
        self.write(move |tx| {
            tx.prepare_cached(&for_sqlite(sql::RECORD_STEP))?
                .execute(params![token, step, bytes, now_ms])?;
            let kept = tx
                .prepare_cached(&for_sqlite(sql::STEP_BYTES))?
                .query_row(params![token, step], |r| r.get::<_, Option<i64>>(0))
                .optional()?
                .flatten();
            Ok(kept.map(|b| b.max(0) as u64))
        })
        .await
    }

    async fn complete_upload(&self, token: &str, now_ms: Millis) -> Result<bool, StoreError> {
        let token = super::records::digest(token);
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::COMPLETE_UPLOAD))?
                .execute(params![token, now_ms])?;
            Ok(n == 1)
        })
        .await
    }

    async fn begin_event(
        &self,
        event_id: &str,
        now_ms: Millis,
        lease_until_ms: Millis,
        keep_until_ms: Millis,
    ) -> Result<EventClaim, StoreError> {
        let event = event_id.to_string();
        self.write(move |tx| {
            let new = tx
                .prepare_cached(&for_sqlite(sql::BEGIN_EVENT))?
                .execute(params![event, lease_until_ms, keep_until_ms])?;
            if new == 1 {
                return Ok(EventClaim::New);
            }
            let taken = tx
                .prepare_cached(&for_sqlite(sql::TAKE_OVER_EVENT))?
                .execute(params![event, now_ms, lease_until_ms])?;
            if taken == 1 {
                return Ok(EventClaim::New);
            }
            let done = tx
                .prepare_cached(&for_sqlite(sql::EVENT_DONE))?
                .query_row(params![event], |r| r.get::<_, i64>(0))
                .optional()?;
            Ok(match done {
                Some(1) => EventClaim::Duplicate,
                _ => EventClaim::InProgress,
            })
        })
        .await
    }

    async fn finish_event(
        &self,
        event_id: &str,
        notified: Option<(&str, &str, &Notified)>,
    ) -> Result<(), StoreError> {
        let event = event_id.to_string();
        let notified = notified.map(|(d, p, n)| (d.to_string(), p.to_string(), n.clone()));
        self.write(move |tx| {
            tx.prepare_cached(&for_sqlite(sql::FINISH_EVENT))?
                .execute(params![event])?;
            if let Some((dossier, process, n)) = notified {
                tx.prepare_cached(&for_sqlite(sql::RECORD_NOTIFIED))?
                    .execute(params![
                        dossier,
                        process,
                        n.event_id,
                        n.status,
                        n.received_at
                    ])?;
                tx.prepare_cached(&for_sqlite(sql::TRIM_NOTIFIED))?
                    .execute(params![dossier, super::records::NOTIFIED_KEPT])?;
            }
            Ok(())
        })
        .await
    }

    async fn abandon_event(&self, event_id: &str) -> Result<(), StoreError> {
        let event = event_id.to_string();
        self.write(move |tx| {
            tx.prepare_cached(&for_sqlite(sql::ABANDON_EVENT))?
                .execute(params![event])?;
            Ok(())
        })
        .await
    }

    async fn aged_endusers(
        &self,
        before_ms: Millis,
        limit: i64,
    ) -> Result<Vec<(EndUserKey, String)>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&for_sqlite(sql::AGED_ENDUSERS))?;
            let found = stmt.query_map(params![before_ms, limit], |r| {
                Ok((EndUserKey(r.get(0)?), r.get(1)?))
            })?;
            Ok(found.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn notified(&self, dossier_id: &str) -> Result<BTreeMap<String, Notified>, StoreError> {
        let dossier = dossier_id.to_string();
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&for_sqlite(sql::NOTIFIED))?;
            let found = stmt.query_map(params![dossier], |r| Ok(rows::notified(r)))?;
            found.map(|r| r?).collect()
        })
        .await
    }

    async fn put_token(&self, token: &NewToken<'_>) -> Result<bool, StoreError> {
        let (secret, kind, enduser, payload) = (
            super::records::digest(token.secret),
            token.kind.to_string(),
            token.enduser.map(|k| k.0.clone()),
            token.payload.to_string(),
        );
        let (created, expires) = (token.created_at_ms, token.expires_at_ms);
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::PUT_TOKEN))?
                .execute(params![secret, kind, enduser, payload, created, expires])?;
            Ok(n == 1)
        })
        .await
    }

    async fn token(
        &self,
        kind: &str,
        secret: &str,
        now_ms: Millis,
    ) -> Result<Option<Token>, StoreError> {
        let (secret, kind) = (super::records::digest(secret), kind.to_string());
        self.read(move |c| {
            c.prepare_cached(&for_sqlite(sql::TOKEN))?
                .query_row(params![secret, kind, now_ms], |r| {
                    Ok(Columns::maybe_int(r, 4)
                        .and_then(|consumed| rows::token(&kind, r, consumed.is_some())))
                })
                .optional()?
                .transpose()
        })
        .await
    }

    async fn consume_token(
        &self,
        kind: &str,
        secret: &str,
        now_ms: Millis,
    ) -> Result<Consumed, StoreError> {
        let (secret, kind) = (super::records::digest(secret), kind.to_string());
        self.write(move |tx| {
            let used = tx
                .prepare_cached(&for_sqlite(sql::CONSUME_TOKEN))?
                .query_row(params![secret, kind, now_ms], |r| {
                    Ok(rows::token(&kind, r, true))
                })
                .optional()?
                .transpose()?;
            if let Some(token) = used {
                return Ok(Consumed::Now(token));
            }
            let state = tx
                .prepare_cached(&for_sqlite(sql::TOKEN_STATE))?
                .query_row(params![secret, kind], |r| r.get::<_, Option<i64>>(0))
                .optional()?;
            Ok(match state {
                None => Consumed::Unknown,
                Some(Some(_)) => Consumed::AlreadyUsed,
                Some(None) => Consumed::Expired,
            })
        })
        .await
    }

    async fn create_handoff(&self, handoff: &NewHandoff<'_>) -> Result<(), StoreError> {
        let (id, enduser, mode) = (
            handoff.id.to_string(),
            handoff.enduser.0.clone(),
            handoff.mode.to_string(),
        );
        let (lang, scenario) = (
            handoff.lang.map(str::to_string),
            handoff.scenario.map(str::to_string),
        );
        let (created, expires) = (handoff.created_at_ms, handoff.expires_at_ms);
        self.write(move |tx| {
            tx.prepare_cached(&for_sqlite(sql::INSERT_HANDOFF))?
                .execute(params![id, enduser, mode, lang, scenario, created, expires])?;
            Ok(())
        })
        .await
    }

    async fn handoff(&self, id: &str) -> Result<Option<Handoff>, StoreError> {
        let id = id.to_string();
        self.read(move |c| handoff_where(c, sql::HANDOFF, &id))
            .await
    }

    async fn phone_handoff(&self, phone_secret: &str) -> Result<Option<Handoff>, StoreError> {
        let secret = super::records::digest(phone_secret);
        self.read(move |c| handoff_where(c, sql::PHONE_HANDOFF, &secret))
            .await
    }

    async fn process_handoff(&self, process_id: &str) -> Result<Option<Handoff>, StoreError> {
        let process = process_id.to_string();
        self.read(move |c| handoff_where(c, sql::PROCESS_HANDOFF, &process))
            .await
    }

    async fn open_handoff(
        &self,
        id: &str,
        phone_secret: &str,
        pair_code: &str,
        now_ms: Millis,
        until_ms: Millis,
    ) -> Result<bool, StoreError> {
        let (id, secret) = (id.to_string(), super::records::digest(phone_secret));
        let code = pair_code.to_string();
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::OPEN_HANDOFF))?
                .execute(params![id, secret, now_ms, until_ms, code])?;
            Ok(n == 1)
        })
        .await
    }

    async fn confirm_handoff(&self, id: &str, now_ms: Millis) -> Result<bool, StoreError> {
        let id = id.to_string();
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::CONFIRM_HANDOFF))?
                .execute(params![id, now_ms])?;
            Ok(n == 1)
        })
        .await
    }

    async fn advance_handoff(
        &self,
        id: &str,
        to: HandoffStatus,
        now_ms: Millis,
    ) -> Result<bool, StoreError> {
        let id = id.to_string();
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::ADVANCE_HANDOFF))?
                .execute(params![id, to.as_str(), to.moves_from_below(), now_ms])?;
            Ok(n == 1)
        })
        .await
    }

    async fn handoff_capturing(
        &self,
        id: &str,
        dossier_id: &str,
        process_id: Option<&str>,
        now_ms: Millis,
    ) -> Result<bool, StoreError> {
        let (id, dossier, process) = (
            id.to_string(),
            dossier_id.to_string(),
            process_id.map(str::to_string),
        );
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::HANDOFF_CAPTURING))?
                .execute(params![id, dossier, process, now_ms])?;
            Ok(n == 1)
        })
        .await
    }

    async fn bind_handoff_process(
        &self,
        id: &str,
        process_id: &str,
        now_ms: Millis,
    ) -> Result<bool, StoreError> {
        let (id, process) = (id.to_string(), process_id.to_string());
        self.write(move |tx| {
            let n = tx
                .prepare_cached(&for_sqlite(sql::BIND_HANDOFF_PROCESS))?
                .execute(params![id, process, now_ms])?;
            Ok(n == 1)
        })
        .await
    }

    async fn sweep(&self, now_ms: Millis) -> Result<Swept, StoreError> {
        self.write(move |tx| {
            let run = |statement: &str| -> Result<u64, StoreError> {
                Ok(rows_u64(
                    tx.prepare_cached(&for_sqlite(statement))?
                        .execute(params![now_ms])?,
                ))
            };
            Ok(Swept {
                uploads: run(sql::SWEEP_UPLOADS)?,
                tokens: run(sql::SWEEP_TOKENS)?,
                events: run(sql::SWEEP_EVENTS)?,
                endusers: run(sql::SWEEP_ENDUSERS)?,
                handoffs: rows_u64(
                    tx.prepare_cached(&for_sqlite(sql::SWEEP_HANDOFFS))?
                        .execute(params![now_ms - super::records::HANDOFF_KEEP_MS])?,
                ),
            })
        })
        .await
    }

    async fn census(&self) -> Result<Census, StoreError> {
        self.read(|c| {
            Ok(c.query_row(sql::CENSUS, [], |r| {
                let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                Ok(Census {
                    endusers: n(0)?,
                    with_dossier: n(1)?,
                    dossiers: n(2)?,
                    uploads: n(3)?,
                    notified: n(4)?,
                    events: n(5)?,
                    tokens: n(6)?,
                    handoffs: n(7)?,
                })
            })?)
        })
        .await
    }

    async fn open_handoffs(&self, now_ms: Millis) -> Result<u64, StoreError> {
        self.read(move |c| {
            Ok(c.query_row(&for_sqlite(sql::OPEN_HANDOFFS), [now_ms], |r| {
                r.get::<_, i64>(0).map(|v| v.max(0) as u64)
            })?)
        })
        .await
    }

    async fn import(&self, record: &Imported, now_ms: Millis) -> Result<bool, StoreError> {
        let record = record.clone();
        self.write(move |tx| {
            let key = super::records::digest(&record.cookie);
            let n = tx
                .prepare_cached(&for_sqlite(sql::IMPORT_ENDUSER))?
                .execute(params![key, record.dossier_id, record.created_at, now_ms])?;
            if n != 1 {
                return Ok(false);
            }
            for (token, u) in &record.uploads {
                let token = super::records::digest(token);
                insert_upload(
                    tx,
                    &token,
                    &key,
                    (&u.dossier_id, &u.process_id, &u.steps),
                    now_ms,
                    (u.expires_at_ms, &u.expires_at),
                )?;
                for (step, bytes) in &u.received {
                    tx.prepare_cached(&for_sqlite(sql::IMPORT_STEP))?
                        .execute(params![token, step, *bytes as i64, now_ms])?;
                }
                if u.completed {
                    tx.prepare_cached(&for_sqlite(sql::IMPORT_COMPLETED))?
                        .execute(params![token, now_ms])?;
                }
            }
            for (process, n) in &record.notified {
                tx.prepare_cached(&for_sqlite(sql::IMPORT_NOTIFIED))?
                    .execute(params![
                        record.dossier_id,
                        process,
                        key,
                        n.event_id,
                        n.status,
                        n.received_at
                    ])?;
                tx.prepare_cached(&for_sqlite(sql::IMPORT_EVENT))?
                    .execute(params![
                        n.event_id,
                        now_ms,
                        now_ms + super::records::EVENT_KEEP_MS
                    ])?;
            }
            Ok(true)
        })
        .await
    }
}
