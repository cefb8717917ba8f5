//! What the backend stores and the [`Store`] trait both databases implement: the records,
//! their statuses and lifetimes, and the errors; no database code.

use super::sql;
use async_trait::async_trait;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// The current time in milliseconds since the Unix epoch.
pub fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or_default()
}

/// How long a handled webhook event's id is remembered (Assure retries an event for 3 days).
pub const EVENT_KEEP_MS: Millis = 7 * 24 * 3600 * 1000;

/// How many notified statuses are kept per dossier (the latest; older ones go).
pub const NOTIFIED_KEPT: i64 = 100;

/// Which database the backend keeps its state in.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// An SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://user:password@host:port/name`).
    Postgres(String),
}

impl Database {
    /// Reads a `DATABASE_URL`: `postgres://…` or `postgresql://…`, or `sqlite:PATH`
    /// (`sqlite://PATH`, `sqlite:///absolute/path` also work).
    pub fn parse(url: &str) -> Result<Database, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            super::pg_tls::parse(url).map_err(|e| format!("not a PostgreSQL URL: {e}"))?;
            return Ok(Database::Postgres(url.to_string()));
        }
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err("sqlite: needs a file path".to_string());
            }
            return Ok(Database::Sqlite(PathBuf::from(path)));
        }
        Err("DATABASE_URL must start with postgres://, postgresql:// or sqlite:".to_string())
    }

    /// The SQLite file the backend uses by default: `<data>/host/backend.sqlite`.
    pub fn default_for(data_dir: &Path) -> Database {
        Database::Sqlite(data_dir.join("host").join("backend.sqlite"))
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "Sqlite({})", path.display()),
            // The URL may hold a password.
            Database::Postgres(_) => f.write_str("Postgres(<url>)"),
        }
    }
}

/// A database failure (connection, statement, a newer schema than this build knows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "database: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// What a [`StoreError`] made of a [`RandomFailure`] says: no new id or token could be made.
const NO_RANDOMNESS: &str = "no new id: the OS random source failed";

impl From<videoid_common::ids::RandomFailure> for StoreError {
    fn from(_: videoid_common::ids::RandomFailure) -> Self {
        StoreError(NO_RANDOMNESS.to_string())
    }
}

impl StoreError {
    /// True when it stands for a failed OS random source (an internal error, `500`), not
    /// for a database that did not answer (`503`, try again).
    pub fn is_random_failure(&self) -> bool {
        self.0 == NO_RANDOMNESS
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        // The server's message, or the error and its cause (Display alone says "db error").
        match (e.as_db_error(), std::error::Error::source(&e)) {
            // Not the whole error: its detail may quote the row's values (ids), and the
            // message goes to the logs.
            (Some(db), _) => StoreError(format!(
                "{}: {} ({})",
                db.severity(),
                db.message(),
                db.code().code()
            )),
            (None, Some(cause)) => StoreError(format!("{e}: {cause}")),
            (None, None) => StoreError(e.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for StoreError {
    fn from(e: tokio::task::JoinError) -> Self {
        StoreError(format!("worker: {e}"))
    }
}

/// The hex SHA-256 of a bearer value: what the database keeps instead of the value.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How the database knows an end-user: the digest of their cookie value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EndUserKey(pub(super) String);

impl EndUserKey {
    /// The key of the end-user a cookie value names.
    pub fn of_cookie(cookie: &str) -> EndUserKey {
        EndUserKey(digest(cookie))
    }

    /// A key read back from the database.
    pub(super) fn stored(digest: String) -> EndUserKey {
        EndUserKey(digest)
    }

    /// The digest itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An end-user: their dossier once it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndUser {
    pub key: EndUserKey,
    pub dossier_id: Option<String>,
    pub created_at: String,
}

/// The outcome of [`Store::claim_dossier`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This request holds the claim: it makes its change, then settles or releases it. `note`
    /// is what an earlier holder's unfinished change left to check (see [`Store::note_claim`]).
    Won { note: Option<String> },
    /// The end-user already has another dossier than the one the request expected: use it.
    Settled(String),
    /// Another request holds a live claim: wait and ask again.
    Busy,
    /// No such end-user (never issued, swept, or deleted).
    Unknown,
}

/// A native upload session as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub enduser: EndUserKey,
    pub dossier_id: String,
    pub process_id: String,
    /// The steps, in order.
    pub steps: Vec<String>,
    /// Steps received so far, with their sizes.
    pub received: BTreeMap<String, u64>,
    pub completed: bool,
    pub expires_at_ms: Millis,
    pub expires_at: String,
}

/// What a `process.complete` event told about a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notified {
    pub event_id: String,
    pub status: String,
    pub received_at: String,
}

/// The outcome of [`Store::begin_event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventClaim {
    /// First delivery (or the lease of an earlier, unfinished one ran out): handle it.
    New,
    /// Already handled.
    Duplicate,
    /// Another request is handling it right now.
    InProgress,
}

/// A short-lived single-use token to store.
#[derive(Debug, Clone)]
pub struct NewToken<'a> {
    /// What the token is for (e.g. `handoff`); a token is only found under its own kind.
    pub kind: &'a str,
    /// The bearer value (stored as its digest).
    pub secret: &'a str,
    /// The end-user it acts for; the token goes when the end-user's data is deleted.
    pub enduser: Option<&'a EndUserKey>,
    /// Whatever else the token carries (JSON text).
    pub payload: &'a str,
    pub created_at_ms: Millis,
    pub expires_at_ms: Millis,
}

/// A stored single-use token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: String,
    pub enduser: Option<EndUserKey>,
    pub payload: String,
    pub created_at_ms: Millis,
    pub expires_at_ms: Millis,
    pub consumed: bool,
}

/// The outcome of [`Store::consume_token`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consumed {
    /// This call used the token: no other call ever will.
    Now(Token),
    /// The token was used before.
    AlreadyUsed,
    /// The token's time is up.
    Expired,
    /// No such token of that kind.
    Unknown,
}

/// Where a handoff of a capture to another device (the end-user's phone) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffStatus {
    /// The link was not opened yet.
    Waiting,
    /// The phone opened the link; both screens show the pairing code (`pairing` in the API).
    Opened,
    /// The desktop confirmed the phone's code: the phone may capture.
    Paired,
    /// The phone's session started a process.
    Capturing,
    /// The phone sent at least one still.
    Uploading,
    /// The phone's capture completed.
    Complete,
    /// The link or the phone's session ran out first.
    Expired,
    /// The desktop revoked the handoff.
    Cancelled,
}

impl HandoffStatus {
    /// The name the API and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            HandoffStatus::Waiting => "waiting",
            HandoffStatus::Opened => "opened",
            HandoffStatus::Paired => "paired",
            HandoffStatus::Capturing => "capturing",
            HandoffStatus::Uploading => "uploading",
            HandoffStatus::Complete => "complete",
            HandoffStatus::Expired => "expired",
            HandoffStatus::Cancelled => "cancelled",
        }
    }

    /// The name the element and the phone's page read: `pairing` while the code waits for the
    /// desktop's confirmation, the stored name otherwise.
    pub fn api_name(self) -> &'static str {
        match self {
            HandoffStatus::Opened => "pairing",
            other => other.as_str(),
        }
    }

    /// The status a stored name stands for.
    pub fn parse(name: &str) -> Option<HandoffStatus> {
        Some(match name {
            "waiting" => HandoffStatus::Waiting,
            "opened" => HandoffStatus::Opened,
            "paired" => HandoffStatus::Paired,
            "capturing" => HandoffStatus::Capturing,
            "uploading" => HandoffStatus::Uploading,
            "complete" => HandoffStatus::Complete,
            "expired" => HandoffStatus::Expired,
            "cancelled" => HandoffStatus::Cancelled,
            _ => return None,
        })
    }

    /// Its place in the order a handoff moves through; the final statuses share the top.
    pub fn rank(self) -> i64 {
        match self {
            HandoffStatus::Waiting => 0,
            HandoffStatus::Opened => 1,
            HandoffStatus::Paired => 2,
            HandoffStatus::Capturing => 3,
            HandoffStatus::Uploading => 4,
            HandoffStatus::Complete => 5,
            HandoffStatus::Expired | HandoffStatus::Cancelled => 9,
        }
    }

    /// A handoff moves to this status only from a status ranked below this: the next ones
    /// from any earlier one, the final ones only from an unfinished one.
    pub fn moves_from_below(self) -> i64 {
        self.rank().min(HandoffStatus::Complete.rank())
    }

    /// True once nothing more can happen to the handoff.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            HandoffStatus::Complete | HandoffStatus::Expired | HandoffStatus::Cancelled
        )
    }
}

/// A handoff as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    pub id: String,
    /// The desktop's end-user, whose dossier the phone captures into.
    pub enduser: EndUserKey,
    /// The element's mode on the phone.
    pub mode: String,
    pub lang: Option<String>,
    /// The simulator scenario (simulator mode only).
    pub scenario: Option<String>,
    /// The stored status; [`Handoff::status_at`] tells the one in effect.
    pub status: HandoffStatus,
    pub dossier_id: Option<String>,
    pub process_id: Option<String>,
    pub created_at_ms: Millis,
    /// Until the link is opened, the link's end; then the end of the phone's session.
    pub expires_at_ms: Millis,
    /// The code both screens show once the phone opened the link.
    pub pair_code: Option<String>,
}

impl Handoff {
    /// The status in effect at `now_ms`: an unfinished handoff past its time is expired.
    pub fn status_at(&self, now_ms: Millis) -> HandoffStatus {
        if !self.status.is_final() && self.expires_at_ms <= now_ms {
            HandoffStatus::Expired
        } else {
            self.status
        }
    }
}

/// A handoff to store (status `waiting`).
#[derive(Debug, Clone)]
pub struct NewHandoff<'a> {
    pub id: &'a str,
    pub enduser: &'a EndUserKey,
    pub mode: &'a str,
    pub lang: Option<&'a str>,
    pub scenario: Option<&'a str>,
    pub created_at_ms: Millis,
    /// The link's end.
    pub expires_at_ms: Millis,
}

/// How long a handoff is kept after its time ended, so the desktop still reads its last status.
pub const HANDOFF_KEEP_MS: Millis = 3600 * 1000;

/// An end-user record from the file store of earlier versions, to import.
#[derive(Debug, Clone)]
pub struct Imported {
    pub cookie: String,
    pub dossier_id: String,
    pub created_at: String,
    /// Upload sessions: token and session (its `enduser` is ignored).
    pub uploads: Vec<(String, Upload)>,
    /// Notified statuses by process id.
    pub notified: BTreeMap<String, Notified>,
}

/// Rows removed by one [`Store::sweep`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub endusers: u64,
    pub uploads: u64,
    pub events: u64,
    pub tokens: u64,
    pub handoffs: u64,
}

impl Swept {
    /// Rows removed in all.
    pub fn total(&self) -> u64 {
        self.endusers + self.uploads + self.events + self.tokens + self.handoffs
    }
}

/// Row counts, for tests, the load test and operators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    pub endusers: u64,
    /// End-users that have a dossier.
    pub with_dossier: u64,
    /// Distinct dossier ids (equal to `with_dossier`: a dossier belongs to one end-user).
    pub dossiers: u64,
    pub uploads: u64,
    pub notified: u64,
    pub events: u64,
    pub tokens: u64,
    pub handoffs: u64,
}

/// The backend's state, in a database several instances may share.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgresql`.
    fn kind(&self) -> &'static str;

    /// The schema version the database is at (the last migration applied).
    async fn schema_version(&self) -> Result<i64, StoreError>;

    /// Names a new end-user (no dossier yet); swept at `unclaimed_until_ms` unless a dossier
    /// is settled by then. False when the key exists already.
    async fn create_enduser(
        &self,
        key: &EndUserKey,
        created_at: &str,
        now_ms: Millis,
        unclaimed_until_ms: Millis,
    ) -> Result<bool, StoreError>;

    /// The end-user with this key.
    async fn enduser(&self, key: &EndUserKey) -> Result<Option<EndUser>, StoreError>;

    /// Takes the claim to give the end-user a dossier, when their dossier is still `current`
    /// (none for the first one, the one that is gone upstream for a replacement) and no live
    /// claim is held. One statement: of two racing requests exactly one wins; the other is
    /// told `Busy` (and asks again) or, once the winner settled, `Settled`. A claim whose
    /// `until_ms` passed is taken over.
    async fn claim_dossier(
        &self,
        key: &EndUserKey,
        current: Option<&str>,
        claim: &str,
        now_ms: Millis,
        until_ms: Millis,
    ) -> Result<Claim, StoreError>;

    /// Sets the dossier the claim holder created and ends the claim; a replaced dossier's
    /// upload sessions and notified statuses go in the same transaction. False when the claim
    /// is no longer held (it ran out and was taken over, or the end-user was deleted).
    async fn settle_dossier(
        &self,
        key: &EndUserKey,
        claim: &str,
        dossier_id: &str,
    ) -> Result<bool, StoreError>;

    /// Ends a claim without a new dossier; `note` stays for the next holder (something may have
    /// changed upstream and must be checked) or, with `None`, is cleared.
    async fn release_claim(
        &self,
        key: &EndUserKey,
        claim: &str,
        note: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Notes, while the claim is held, what the change about to be made upstream must leave
    /// checkable if it is cut short (the holder fails or dies). False when the claim is not held.
    async fn note_claim(
        &self,
        key: &EndUserKey,
        claim: &str,
        note: &str,
    ) -> Result<bool, StoreError>;

    /// Whether an end-user has this dossier (the webhook's check).
    async fn dossier_known(&self, dossier_id: &str) -> Result<bool, StoreError>;

    /// Deletes an end-user and everything stored about them (upload sessions, notified
    /// statuses, their tokens and handoffs). False when there was no such end-user.
    async fn remove_enduser(&self, key: &EndUserKey) -> Result<bool, StoreError>;

    /// End-users with a dossier who were made before `before_ms`, oldest first, at most
    /// `limit`: what data retention deletes.
    async fn aged_endusers(
        &self,
        before_ms: Millis,
        limit: i64,
    ) -> Result<Vec<(EndUserKey, String)>, StoreError>;

    /// Stores an upload session and its steps in one transaction, after removing the
    /// end-user's sessions that are completed or expired.
    #[allow(clippy::too_many_arguments)]
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
    ) -> Result<(), StoreError>;

    /// The upload session of a token (also when expired: the caller tells the user so).
    async fn upload(&self, token: &str) -> Result<Option<Upload>, StoreError>;

    /// Records a received step unless one was recorded before, while the session is open;
    /// returns the size now on record for that step (`None`: no such step, or the session is
    /// closed and never had it).
    async fn record_step(
        &self,
        token: &str,
        step: &str,
        bytes: u64,
        now_ms: Millis,
    ) -> Result<Option<u64>, StoreError>;

    /// Marks the session completed when every step is in; false otherwise (or already done).
    async fn complete_upload(&self, token: &str, now_ms: Millis) -> Result<bool, StoreError>;

    /// Starts handling a webhook event: the first caller gets `New` and a lease until
    /// `lease_until_ms`; the id is remembered until `keep_until_ms`.
    async fn begin_event(
        &self,
        event_id: &str,
        now_ms: Millis,
        lease_until_ms: Millis,
        keep_until_ms: Millis,
    ) -> Result<EventClaim, StoreError>;

    /// Marks an event handled and, in the same transaction, records what it told about a
    /// process of an end-user's dossier (nothing when the dossier is not an end-user's),
    /// keeping the [`NOTIFIED_KEPT`] latest statuses of that dossier.
    async fn finish_event(
        &self,
        event_id: &str,
        notified: Option<(&str, &str, &Notified)>,
    ) -> Result<(), StoreError>;

    /// Forgets an unfinished event so that the sender's retry is handled.
    async fn abandon_event(&self, event_id: &str) -> Result<(), StoreError>;

    /// Notified statuses of a dossier's processes, by process id.
    async fn notified(&self, dossier_id: &str) -> Result<BTreeMap<String, Notified>, StoreError>;

    /// Stores a single-use token. False when the same secret exists already.
    async fn put_token(&self, token: &NewToken<'_>) -> Result<bool, StoreError>;

    /// Reads a token without using it (`None` when unknown, of another kind, or expired).
    async fn token(
        &self,
        kind: &str,
        secret: &str,
        now_ms: Millis,
    ) -> Result<Option<Token>, StoreError>;

    /// Uses a token: one statement, so of any number of concurrent calls, on one instance or
    /// several, exactly one gets `Now`.
    async fn consume_token(
        &self,
        kind: &str,
        secret: &str,
        now_ms: Millis,
    ) -> Result<Consumed, StoreError>;

    /// Stores a new handoff (`waiting`). Its link token is stored apart
    /// ([`Store::put_token`], kind `handoff`, the id as payload).
    async fn create_handoff(&self, handoff: &NewHandoff<'_>) -> Result<(), StoreError>;

    /// The handoff with this id.
    async fn handoff(&self, id: &str) -> Result<Option<Handoff>, StoreError>;

    /// The handoff whose phone holds this cookie value (stored as its digest).
    async fn phone_handoff(&self, phone_secret: &str) -> Result<Option<Handoff>, StoreError>;

    /// The (latest) handoff whose phone started this process.
    async fn process_handoff(&self, process_id: &str) -> Result<Option<Handoff>, StoreError>;

    /// `waiting` → `opened` while the link is valid, binding the phone's cookie value (stored as
    /// its digest); the phone's session then lasts until `until_ms`. False when the handoff is
    /// not waiting (opened before, cancelled) or its link ran out.
    async fn open_handoff(
        &self,
        id: &str,
        phone_secret: &str,
        pair_code: &str,
        now_ms: Millis,
        until_ms: Millis,
    ) -> Result<bool, StoreError>;

    /// The desktop confirmed the phone's code: `opened` → `paired`. False when the handoff is
    /// not waiting for that (not opened yet, paired before, ended).
    async fn confirm_handoff(&self, id: &str, now_ms: Millis) -> Result<bool, StoreError>;

    /// Moves a live handoff forward to `to` in one statement (never back: of concurrent
    /// moves, the furthest wins); `Cancelled`/`Expired` only from an unfinished status. False
    /// when it did not move.
    async fn advance_handoff(
        &self,
        id: &str,
        to: HandoffStatus,
        now_ms: Millis,
    ) -> Result<bool, StoreError>;

    /// Records the process the phone's session started (and `capturing`, unless the handoff
    /// is further on). False when the handoff is not opened and live.
    async fn handoff_capturing(
        &self,
        id: &str,
        dossier_id: &str,
        process_id: Option<&str>,
        now_ms: Millis,
    ) -> Result<bool, StoreError>;

    /// Names the process of a capturing handoff that did not know it yet (a hosted flow's
    /// return); false when it knew one already.
    async fn bind_handoff_process(
        &self,
        id: &str,
        process_id: &str,
        now_ms: Millis,
    ) -> Result<bool, StoreError>;

    /// Removes expired rows: upload sessions and tokens past their expiry, event ids past
    /// their keeping time, end-users who never got a dossier past theirs, handoffs
    /// [`HANDOFF_KEEP_MS`] after their time ended.
    async fn sweep(&self, now_ms: Millis) -> Result<Swept, StoreError>;

    /// Row counts.
    async fn census(&self) -> Result<Census, StoreError>;

    /// Handoffs still in progress at `now_ms`: not complete, cancelled or expired.
    async fn open_handoffs(&self, now_ms: Millis) -> Result<u64, StoreError>;

    /// Imports an end-user record from the file store of earlier versions (one transaction;
    /// false when the end-user is known already).
    async fn import(&self, record: &Imported, now_ms: Millis) -> Result<bool, StoreError>;
}

/// Opens (creating and migrating when needed) the database.
/// The migration's version constraint: a database migrated by a newer build is refused.
pub(super) fn check_version(found: i64) -> Result<(), StoreError> {
    let known = sql::MIGRATIONS.last().map(|m| m.version).unwrap_or(0);
    if found > known {
        return Err(StoreError(format!(
            "the database schema is at version {found}, newer than this build knows ({known}): \
             run the newer build, or a database of its own"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        assert_eq!(
            Database::parse("postgres://u:p@127.0.0.1:5432/videoid").unwrap(),
            Database::Postgres("postgres://u:p@127.0.0.1:5432/videoid".into())
        );
        assert!(matches!(
            Database::parse("postgresql://localhost/x"),
            Ok(Database::Postgres(_))
        ));
        assert_eq!(
            Database::parse("sqlite:///var/lib/videoid/backend.sqlite").unwrap(),
            Database::Sqlite("/var/lib/videoid/backend.sqlite".into())
        );
        assert_eq!(
            Database::parse("sqlite:data/b.sqlite").unwrap(),
            Database::Sqlite("data/b.sqlite".into())
        );
        for bad in ["mysql://x", "sqlite:", "", "postgres://x:y@h:notaport/db"] {
            assert!(Database::parse(bad).is_err(), "{bad}");
        }
        let debug = format!("{:?}", Database::parse("postgres://u:hush@h/db").unwrap());
        assert!(!debug.contains("hush"), "{debug}");
    }

    #[test]
    fn digests_are_sha256_hex() {
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(EndUserKey::of_cookie("abc").as_str(), digest("abc"));
    }

    #[test]
    fn newer_schemas_are_refused() {
        let known = sql::MIGRATIONS.last().unwrap().version;
        assert!(check_version(known).is_ok());
        assert!(check_version(0).is_ok());
        assert!(check_version(known + 1).is_err());
    }
}
