//! [`Store`] on PostgreSQL (tokio-postgres): a small pool of connections, each with its
//! prepared statements; transactions are `BEGIN`…`COMMIT` on one connection, and a
//! connection dropped inside one (an error, a cancelled request) is closed, never reused,
//! so the server rolls it back.
//!
//! Migrations take a transaction-scoped advisory lock, so instances that start together
//! migrate one after the other.

use super::records::{
    check_version, now_ms, Census, Claim, Consumed, EndUser, EndUserKey, EventClaim, Handoff,
    HandoffStatus, Imported, Millis, NewHandoff, NewToken, Notified, Store, StoreError, Swept,
    Token, Upload,
};
use super::{pg_tls, rows, sql};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};

/// Key of the advisory lock migrations hold (any constant shared by every instance).
const MIGRATION_LOCK: i64 = 0x0076_6964_656f_6964;

/// The PostgreSQL implementation.
pub struct PostgresStore {
    pool: Pool,
}

struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
    in_transaction: bool,
}

struct Pool {
    config: tokio_postgres::Config,
    /// TLS as `sslmode` asks (`None`: plain TCP).
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    idle: Mutex<Vec<Conn>>,
    permits: Semaphore,
}

/// A connection taken from the pool; it goes back when dropped (unless it is broken or
/// inside a transaction).
struct Lease<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
    _permit: SemaphorePermit<'a>,
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// Runs a connection's I/O until it ends; says why when it ends in an error.
async fn log_end<S, T>(connection: tokio_postgres::Connection<S, T>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    if let Err(e) = connection.await {
        tracing::error!(error = %e, "database connection");
    }
}

impl Pool {
    async fn get(&self) -> Result<Lease<'_>, StoreError> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError("the connection pool is closed".into()))?;
        let reused = {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            let mut found = None;
            while let Some(conn) = idle.pop() {
                if !conn.client.is_closed() {
                    found = Some(conn);
                    break;
                }
            }
            found
        };
        let conn = match reused {
            Some(conn) => conn,
            None => {
                let client = match &self.tls {
                    None => {
                        let (client, connection) = self.config.connect(NoTls).await?;
                        tokio::spawn(log_end(connection));
                        client
                    }
                    Some(tls) => {
                        let (client, connection) = self.config.connect(tls.clone()).await?;
                        tokio::spawn(log_end(connection));
                        client
                    }
                };
                Conn {
                    client,
                    statements: HashMap::new(),
                    in_transaction: false,
                }
            }
        };
        Ok(Lease {
            pool: self,
            conn: Some(conn),
            _permit: permit,
        })
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if !conn.in_transaction && !conn.client.is_closed() {
                self.pool
                    .idle
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(conn);
            }
        }
    }
}

impl Lease<'_> {
    fn conn(&mut self) -> Result<&mut Conn, StoreError> {
        self.conn
            .as_mut()
            .ok_or_else(|| StoreError("connection already returned".into()))
    }

    async fn statement(&mut self, text: &'static str) -> Result<Statement, StoreError> {
        let conn = self.conn()?;
        if let Some(statement) = conn.statements.get(text) {
            return Ok(statement.clone());
        }
        let statement = conn.client.prepare(text).await?;
        conn.statements.insert(text, statement.clone());
        Ok(statement)
    }

    async fn execute(&mut self, text: &'static str, params: Params<'_>) -> Result<u64, StoreError> {
        let statement = self.statement(text).await?;
        Ok(self.conn()?.client.execute(&statement, params).await?)
    }

    async fn query_opt(
        &mut self,
        text: &'static str,
        params: Params<'_>,
    ) -> Result<Option<Row>, StoreError> {
        let statement = self.statement(text).await?;
        Ok(self.conn()?.client.query_opt(&statement, params).await?)
    }

    async fn query(
        &mut self,
        text: &'static str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let statement = self.statement(text).await?;
        Ok(self.conn()?.client.query(&statement, params).await?)
    }

    async fn begin(&mut self) -> Result<(), StoreError> {
        let conn = self.conn()?;
        conn.in_transaction = true;
        conn.client.batch_execute("BEGIN").await?;
        Ok(())
    }

    async fn commit(&mut self) -> Result<(), StoreError> {
        let conn = self.conn()?;
        conn.client.batch_execute("COMMIT").await?;
        conn.in_transaction = false;
        Ok(())
    }

    async fn rollback(&mut self) -> Result<(), StoreError> {
        let conn = self.conn()?;
        conn.client.batch_execute("ROLLBACK").await?;
        conn.in_transaction = false;
        Ok(())
    }
}

fn count(n: u64) -> u64 {
    n
}

impl PostgresStore {
    /// Connects and brings the schema up to date.
    pub async fn open(url: &str, pool_size: usize) -> Result<PostgresStore, StoreError> {
        let parsed = pg_tls::parse(url).map_err(|e| StoreError(format!("DATABASE_URL: {e}")))?;
        let tls = parsed
            .connector()
            .map_err(|e| StoreError(format!("DATABASE_URL: {e}")))?;
        let mut config = parsed.config;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("videoid-www");
        }
        let store = PostgresStore {
            pool: Pool {
                config,
                tls,
                idle: Mutex::new(Vec::new()),
                permits: Semaphore::new(pool_size),
            },
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut c = self.pool.get().await?;
        c.begin().await?;
        let client = &c.conn()?.client;
        client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        client.batch_execute(sql::MIGRATIONS_TABLE).await?;
        let at: i64 = client
            .query_one(sql::SCHEMA_VERSION, &[])
            .await?
            .try_get(0)?;
        check_version(at)?;
        for m in sql::MIGRATIONS.iter().filter(|m| m.version > at) {
            client.batch_execute(m.sql).await?;
            client
                .execute(sql::RECORD_MIGRATION, &[&m.version, &m.name, &now_ms()])
                .await?;
        }
        c.commit().await
    }
}

async fn insert_upload(
    c: &mut Lease<'_>,
    token: &str,
    enduser: &str,
    upload: (&str, &str, &[String]),
    created_at_ms: Millis,
    expires: (Millis, &str),
) -> Result<(), StoreError> {
    let (dossier_id, process_id, steps) = upload;
    c.execute(
        sql::INSERT_UPLOAD,
        &[
            &token,
            &enduser,
            &dossier_id,
            &process_id,
            &created_at_ms,
            &expires.0,
            &expires.1,
        ],
    )
    .await?;
    for (position, step) in steps.iter().enumerate() {
        c.execute(sql::INSERT_STEP, &[&token, step, &(position as i64)])
            .await?;
    }
    Ok(())
}

impl PostgresStore {
    async fn handoff_where(
        &self,
        statement: &'static str,
        value: &str,
    ) -> Result<Option<Handoff>, StoreError> {
        let mut c = self.pool.get().await?;
        match c.query_opt(statement, &[&value]).await? {
            Some(row) => rows::handoff(&row).map(Some),
            None => Ok(None),
        }
    }
}

#[async_trait]
impl Store for PostgresStore {
    fn kind(&self) -> &'static str {
        "postgresql"
    }

    async fn schema_version(&self) -> Result<i64, StoreError> {
        let mut c = self.pool.get().await?;
        let row = c.query_opt(sql::SCHEMA_VERSION, &[]).await?;
        Ok(match row {
            Some(row) => row.try_get(0)?,
            None => 0,
        })
    }

    async fn create_enduser(
        &self,
        key: &EndUserKey,
        created_at: &str,
        now_ms: Millis,
        unclaimed_until_ms: Millis,
    ) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        let n = c
            .execute(
                sql::CREATE_ENDUSER,
                &[&key.0, &created_at, &now_ms, &unclaimed_until_ms],
            )
            .await?;
        Ok(n == 1)
    }

    async fn enduser(&self, key: &EndUserKey) -> Result<Option<EndUser>, StoreError> {
        let mut c = self.pool.get().await?;
        let Some(row) = c.query_opt(sql::ENDUSER, &[&key.0]).await? else {
            return Ok(None);
        };
        Ok(Some(EndUser {
            key: key.clone(),
            dossier_id: row.try_get(0)?,
            created_at: row.try_get(1)?,
        }))
    }

    async fn claim_dossier(
        &self,
        key: &EndUserKey,
        current: Option<&str>,
        claim: &str,
        now_ms: Millis,
        until_ms: Millis,
    ) -> Result<Claim, StoreError> {
        let mut c = self.pool.get().await?;
        let won = c
            .query_opt(sql::CLAIM, &[&key.0, &claim, &now_ms, &until_ms, &current])
            .await?;
        if let Some(row) = won {
            return Ok(Claim::Won {
                note: row.try_get(0)?,
            });
        }
        let Some(row) = c.query_opt(sql::CLAIM_STATE, &[&key.0]).await? else {
            return Ok(Claim::Unknown);
        };
        let dossier: Option<String> = row.try_get(0)?;
        Ok(match dossier {
            Some(d) if Some(d.as_str()) != current => Claim::Settled(d),
            _ => Claim::Busy,
        })
    }

    async fn settle_dossier(
        &self,
        key: &EndUserKey,
        claim: &str,
        dossier_id: &str,
    ) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        c.begin().await?;
        let n = c
            .execute(sql::SETTLE, &[&key.0, &claim, &dossier_id])
            .await?;
        if n != 1 {
            c.rollback().await?;
            return Ok(false);
        }
        c.execute(sql::DROP_OTHER_UPLOADS, &[&key.0, &dossier_id])
            .await?;
        c.execute(sql::DROP_OTHER_NOTIFIED, &[&key.0, &dossier_id])
            .await?;
        c.commit().await?;
        Ok(true)
    }

    async fn release_claim(
        &self,
        key: &EndUserKey,
        claim: &str,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut c = self.pool.get().await?;
        c.execute(sql::RELEASE, &[&key.0, &claim, &note]).await?;
        Ok(())
    }

    async fn note_claim(
        &self,
        key: &EndUserKey,
        claim: &str,
        note: &str,
    ) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        Ok(c.execute(sql::NOTE_CLAIM, &[&key.0, &claim, &note]).await? == 1)
    }

    async fn dossier_known(&self, dossier_id: &str) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        Ok(c.query_opt(sql::DOSSIER_KNOWN, &[&dossier_id])
            .await?
            .is_some())
    }

    async fn remove_enduser(&self, key: &EndUserKey) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        Ok(c.execute(sql::REMOVE_ENDUSER, &[&key.0]).await? == 1)
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
        let mut c = self.pool.get().await?;
        c.begin().await?;
        c.execute(sql::DROP_SPENT_UPLOADS, &[&enduser.0, &now_ms])
            .await?;
        insert_upload(
            &mut c,
            &token,
            &enduser.0,
            (dossier_id, process_id, steps),
            now_ms,
            (expires_at_ms, expires_at),
        )
        .await?;
        c.commit().await
    }

    async fn upload(&self, token: &str) -> Result<Option<Upload>, StoreError> {
        let token = super::records::digest(token);
        let mut c = self.pool.get().await?;
        let Some(head) = c.query_opt(sql::UPLOAD, &[&token]).await? else {
            return Ok(None);
        };
        let steps = c.query(sql::UPLOAD_STEPS, &[&token]).await?;
        let steps = steps
            .iter()
            .map(rows::upload_step)
            .collect::<Result<_, _>>()?;
        rows::upload(&head, steps).map(Some)
    }

    async fn record_step(
        &self,
        token: &str,
        step: &str,
        bytes: u64,
        now_ms: Millis,
    ) -> Result<Option<u64>, StoreError> {
        let token = super::records::digest(token);
        let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
        let mut c = self.pool.get().await?;
        c.execute(sql::RECORD_STEP, &[&token, &step, &bytes, &now_ms])
            .await?;
        let Some(row) = c.query_opt(sql::STEP_BYTES, &[&token, &step]).await? else {
            return Ok(None);
        };
        Ok(row.try_get::<_, Option<i64>>(0)?.map(|b| b.max(0) as u64))
    }

    async fn complete_upload(&self, token: &str, now_ms: Millis) -> Result<bool, StoreError> {
        let token = super::records::digest(token);
        let mut c = self.pool.get().await?;
        Ok(c.execute(sql::COMPLETE_UPLOAD, &[&token, &now_ms]).await? == 1)
    }

    async fn begin_event(
        &self,
        event_id: &str,
        now_ms: Millis,
        lease_until_ms: Millis,
        keep_until_ms: Millis,
    ) -> Result<EventClaim, StoreError> {
        let mut c = self.pool.get().await?;
        let new = c
            .execute(
                sql::BEGIN_EVENT,
                &[&event_id, &lease_until_ms, &keep_until_ms],
            )
            .await?;
        if new == 1 {
            return Ok(EventClaim::New);
        }
        let taken = c
            .execute(sql::TAKE_OVER_EVENT, &[&event_id, &now_ms, &lease_until_ms])
            .await?;
        if taken == 1 {
            return Ok(EventClaim::New);
        }
        let done = match c.query_opt(sql::EVENT_DONE, &[&event_id]).await? {
            Some(row) => row.try_get::<_, i64>(0)?,
            None => 0,
        };
        Ok(if done == 1 {
            EventClaim::Duplicate
        } else {
            EventClaim::InProgress
        })
    }

    async fn finish_event(
        &self,
        event_id: &str,
        notified: Option<(&str, &str, &Notified)>,
    ) -> Result<(), StoreError> {
        let mut c = self.pool.get().await?;
        c.begin().await?;
        c.execute(sql::FINISH_EVENT, &[&event_id]).await?;
        if let Some((dossier, process, n)) = notified {
            c.execute(
                sql::RECORD_NOTIFIED,
                &[&dossier, &process, &n.event_id, &n.status, &n.received_at],
            )
            .await?;
            c.execute(
                sql::TRIM_NOTIFIED,
                &[&dossier, &super::records::NOTIFIED_KEPT],
            )
            .await?;
        }
        c.commit().await
    }

    async fn abandon_event(&self, event_id: &str) -> Result<(), StoreError> {
        let mut c = self.pool.get().await?;
        c.execute(sql::ABANDON_EVENT, &[&event_id]).await?;
        Ok(())
    }

    async fn aged_endusers(
        &self,
        before_ms: Millis,
        limit: i64,
    ) -> Result<Vec<(EndUserKey, String)>, StoreError> {
        let mut c = self.pool.get().await?;
        let found = c.query(sql::AGED_ENDUSERS, &[&before_ms, &limit]).await?;
        found
            .iter()
            .map(|r| Ok((EndUserKey(r.try_get(0)?), r.try_get(1)?)))
            .collect()
    }

    async fn notified(&self, dossier_id: &str) -> Result<BTreeMap<String, Notified>, StoreError> {
        let mut c = self.pool.get().await?;
        let found = c.query(sql::NOTIFIED, &[&dossier_id]).await?;
        found.iter().map(rows::notified).collect()
    }

    async fn put_token(&self, token: &NewToken<'_>) -> Result<bool, StoreError> {
        let secret = super::records::digest(token.secret);
        let enduser = token.enduser.map(|k| k.0.as_str());
        let mut c = self.pool.get().await?;
        let n = c
            .execute(
                sql::PUT_TOKEN,
                &[
                    &secret,
                    &token.kind,
                    &enduser,
                    &token.payload,
                    &token.created_at_ms,
                    &token.expires_at_ms,
                ],
            )
            .await?;
        Ok(n == 1)
    }

    async fn token(
        &self,
        kind: &str,
        secret: &str,
        now_ms: Millis,
    ) -> Result<Option<Token>, StoreError> {
        let secret = super::records::digest(secret);
        let mut c = self.pool.get().await?;
        let Some(row) = c.query_opt(sql::TOKEN, &[&secret, &kind, &now_ms]).await? else {
            return Ok(None);
        };
        let consumed = row.try_get::<_, Option<i64>>(4)?.is_some();
        rows::token(kind, &row, consumed).map(Some)
    }

    async fn consume_token(
        &self,
        kind: &str,
        secret: &str,
        now_ms: Millis,
    ) -> Result<Consumed, StoreError> {
        let secret = super::records::digest(secret);
        let mut c = self.pool.get().await?;
        if let Some(row) = c
            .query_opt(sql::CONSUME_TOKEN, &[&secret, &kind, &now_ms])
            .await?
        {
            return Ok(Consumed::Now(rows::token(kind, &row, true)?));
        }
        let Some(row) = c.query_opt(sql::TOKEN_STATE, &[&secret, &kind]).await? else {
            return Ok(Consumed::Unknown);
        };
        Ok(match row.try_get::<_, Option<i64>>(0)? {
            Some(_) => Consumed::AlreadyUsed,
            None => Consumed::Expired,
        })
    }

    async fn create_handoff(&self, handoff: &NewHandoff<'_>) -> Result<(), StoreError> {
        let mut c = self.pool.get().await?;
        c.execute(
            sql::INSERT_HANDOFF,
            &[
                &handoff.id,
                &handoff.enduser.0,
                &handoff.mode,
                &handoff.lang,
                &handoff.scenario,
                &handoff.created_at_ms,
                &handoff.expires_at_ms,
            ],
        )
        .await?;
        Ok(())
    }

    async fn handoff(&self, id: &str) -> Result<Option<Handoff>, StoreError> {
        self.handoff_where(sql::HANDOFF, id).await
    }

    async fn phone_handoff(&self, phone_secret: &str) -> Result<Option<Handoff>, StoreError> {
        self.handoff_where(sql::PHONE_HANDOFF, &super::records::digest(phone_secret))
            .await
    }

    async fn process_handoff(&self, process_id: &str) -> Result<Option<Handoff>, StoreError> {
        self.handoff_where(sql::PROCESS_HANDOFF, process_id).await
    }

    async fn open_handoff(
        &self,
        id: &str,
        phone_secret: &str,
        pair_code: &str,
        now_ms: Millis,
        until_ms: Millis,
    ) -> Result<bool, StoreError> {
        let secret = super::records::digest(phone_secret);
        let mut c = self.pool.get().await?;
        Ok(c.execute(
            sql::OPEN_HANDOFF,
            &[&id, &secret, &now_ms, &until_ms, &pair_code],
        )
        .await?
            == 1)
    }

    async fn confirm_handoff(&self, id: &str, now_ms: Millis) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        Ok(c.execute(sql::CONFIRM_HANDOFF, &[&id, &now_ms]).await? == 1)
    }

    async fn advance_handoff(
        &self,
        id: &str,
        to: HandoffStatus,
        now_ms: Millis,
    ) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        Ok(c.execute(
            sql::ADVANCE_HANDOFF,
            &[&id, &to.as_str(), &to.moves_from_below(), &now_ms],
        )
        .await?
            == 1)
    }

    async fn handoff_capturing(
        &self,
        id: &str,
        dossier_id: &str,
        process_id: Option<&str>,
        now_ms: Millis,
    ) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        Ok(c.execute(
            sql::HANDOFF_CAPTURING,
            &[&id, &dossier_id, &process_id, &now_ms],
        )
        .await?
            == 1)
    }

    async fn bind_handoff_process(
        &self,
        id: &str,
        process_id: &str,
        now_ms: Millis,
    ) -> Result<bool, StoreError> {
        let mut c = self.pool.get().await?;
        Ok(
            c.execute(sql::BIND_HANDOFF_PROCESS, &[&id, &process_id, &now_ms])
                .await?
                == 1,
        )
    }

    async fn sweep(&self, now_ms: Millis) -> Result<Swept, StoreError> {
        let mut c = self.pool.get().await?;
        let handoffs_before = now_ms - super::records::HANDOFF_KEEP_MS;
        Ok(Swept {
            uploads: count(c.execute(sql::SWEEP_UPLOADS, &[&now_ms]).await?),
            tokens: count(c.execute(sql::SWEEP_TOKENS, &[&now_ms]).await?),
            events: count(c.execute(sql::SWEEP_EVENTS, &[&now_ms]).await?),
            endusers: count(c.execute(sql::SWEEP_ENDUSERS, &[&now_ms]).await?),
            handoffs: count(c.execute(sql::SWEEP_HANDOFFS, &[&handoffs_before]).await?),
        })
    }

    async fn census(&self) -> Result<Census, StoreError> {
        let mut c = self.pool.get().await?;
        let row = c
            .query_opt(sql::CENSUS, &[])
            .await?
            .ok_or_else(|| StoreError("no census row".into()))?;
        let n = |i: usize| row.try_get::<_, i64>(i).map(|v| v.max(0) as u64);
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
    }

    async fn open_handoffs(&self, now_ms: Millis) -> Result<u64, StoreError> {
        let mut c = self.pool.get().await?;
        let row = c
            .query_opt(sql::OPEN_HANDOFFS, &[&now_ms])
            .await?
            .ok_or_else(|| StoreError("no count row".into()))?;
        Ok(row.try_get::<_, i64>(0)?.max(0) as u64)
    }

    async fn import(&self, record: &Imported, now_ms: Millis) -> Result<bool, StoreError> {
        let key = super::records::digest(&record.cookie);
        let mut c = self.pool.get().await?;
        c.begin().await?;
        let n = c
            .execute(
                sql::IMPORT_ENDUSER,
                &[&key, &record.dossier_id, &record.created_at, &now_ms],
            )
            .await?;
        if n != 1 {
            c.rollback().await?;
            return Ok(false);
        }
        for (token, u) in &record.uploads {
            let token = super::records::digest(token);
            insert_upload(
                &mut c,
                &token,
                &key,
                (&u.dossier_id, &u.process_id, &u.steps),
                now_ms,
                (u.expires_at_ms, &u.expires_at),
            )
            .await?;
            for (step, bytes) in &u.received {
                let bytes = i64::try_from(*bytes).unwrap_or(i64::MAX);
                c.execute(sql::IMPORT_STEP, &[&token, step, &bytes, &now_ms])
                    .await?;
            }
            if u.completed {
                c.execute(sql::IMPORT_COMPLETED, &[&token, &now_ms]).await?;
            }
        }
        for (process, n) in &record.notified {
            c.execute(
                sql::IMPORT_NOTIFIED,
                &[
                    &record.dossier_id,
                    process,
                    &key,
                    &n.event_id,
                    &n.status,
                    &n.received_at,
                ],
            )
            .await?;
            let keep = now_ms + super::records::EVENT_KEEP_MS;
            c.execute(sql::IMPORT_EVENT, &[&n.event_id, &now_ms, &keep])
                .await?;
        }
        c.commit().await?;
        Ok(true)
    }
}
