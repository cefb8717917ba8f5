//! The schema's migrations and every statement, in the SQL both databases speak.
//!
//! Parameters are written `$1`, `$2`, … (PostgreSQL's form); SQLite gets them as `?1`, `?2`, …
//! Integers are `BIGINT` (milliseconds, sizes, 0/1 flags), text is `TEXT`: the same Rust types
//! bind to both.

/// One step of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Applied in increasing order; recorded in `schema_migrations`.
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first. Never edit one that has shipped: add the next.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name:
            "end-users, upload sessions and steps, notified statuses, webhook events, single-use tokens",
        sql: "
CREATE TABLE endusers (
    id TEXT PRIMARY KEY,
    dossier_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    unclaimed_until_ms BIGINT,
    claim TEXT,
    claim_until_ms BIGINT
);
CREATE INDEX endusers_unclaimed ON endusers (unclaimed_until_ms);
CREATE TABLE upload_sessions (
    token TEXT PRIMARY KEY,
    enduser_id TEXT NOT NULL REFERENCES endusers (id) ON DELETE CASCADE,
    dossier_id TEXT NOT NULL,
    process_id TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    expires_at TEXT NOT NULL,
    completed_at_ms BIGINT
);
CREATE INDEX upload_sessions_enduser ON upload_sessions (enduser_id);
CREATE INDEX upload_sessions_expiry ON upload_sessions (expires_at_ms);
CREATE TABLE upload_steps (
    token TEXT NOT NULL REFERENCES upload_sessions (token) ON DELETE CASCADE,
    step TEXT NOT NULL,
    position BIGINT NOT NULL,
    bytes BIGINT,
    received_at_ms BIGINT,
    PRIMARY KEY (token, step)
);
CREATE TABLE notified (
    dossier_id TEXT NOT NULL,
    process_id TEXT NOT NULL,
    enduser_id TEXT NOT NULL REFERENCES endusers (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (dossier_id, process_id)
);
CREATE INDEX notified_enduser ON notified (enduser_id);
CREATE TABLE webhook_events (
    event_id TEXT PRIMARY KEY,
    done BIGINT NOT NULL,
    lease_until_ms BIGINT NOT NULL,
    keep_until_ms BIGINT NOT NULL
);
CREATE INDEX webhook_events_keep ON webhook_events (keep_until_ms);
CREATE TABLE single_use_tokens (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    enduser_id TEXT REFERENCES endusers (id) ON DELETE CASCADE,
    payload TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    consumed_at_ms BIGINT
);
CREATE INDEX single_use_tokens_expiry ON single_use_tokens (expires_at_ms);
CREATE INDEX single_use_tokens_enduser ON single_use_tokens (enduser_id);
",
    },
    Migration {
        version: 2,
        name: "what an unfinished upstream change of an end-user left to check",
        sql: "ALTER TABLE endusers ADD COLUMN claim_note TEXT;",
    },
    Migration {
        version: 3,
        name: "handoffs of a capture to another device",
        sql: "
CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    enduser_id TEXT NOT NULL REFERENCES endusers (id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    lang TEXT,
    scenario TEXT,
    status TEXT NOT NULL,
    dossier_id TEXT,
    process_id TEXT,
    phone_secret TEXT UNIQUE,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX handoffs_enduser ON handoffs (enduser_id);
CREATE INDEX handoffs_process ON handoffs (process_id);
CREATE INDEX handoffs_expiry ON handoffs (expires_at_ms);
",
    },
    Migration {
        version: 4,
        name: "the code that pairs a handoff's phone with its desktop",
        sql: "ALTER TABLE handoffs ADD COLUMN pair_code TEXT;",
    },
];

pub const MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at_ms BIGINT NOT NULL
)";
pub const SCHEMA_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
pub const RECORD_MIGRATION: &str =
    "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)";

pub const CREATE_ENDUSER: &str =
    "INSERT INTO endusers (id, created_at, created_at_ms, unclaimed_until_ms)
    VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING";
pub const IMPORT_ENDUSER: &str = "INSERT INTO endusers (id, dossier_id, created_at, created_at_ms)
    VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
pub const ENDUSER: &str = "SELECT dossier_id, created_at FROM endusers WHERE id = $1";
pub const CLAIM: &str = "UPDATE endusers SET claim = $2, claim_until_ms = $4
    WHERE id = $1 AND dossier_id IS NOT DISTINCT FROM $5
      AND (claim IS NULL OR claim_until_ms <= $3)
    RETURNING claim_note";
pub const NOTE_CLAIM: &str = "UPDATE endusers SET claim_note = $3 WHERE id = $1 AND claim = $2";
pub const CLAIM_STATE: &str = "SELECT dossier_id FROM endusers WHERE id = $1";
pub const SETTLE: &str = "UPDATE endusers
    SET dossier_id = $3, claim = NULL, claim_until_ms = NULL, unclaimed_until_ms = NULL,
        claim_note = NULL
    WHERE id = $1 AND claim = $2";
pub const DROP_OTHER_UPLOADS: &str =
    "DELETE FROM upload_sessions WHERE enduser_id = $1 AND dossier_id <> $2";
pub const DROP_OTHER_NOTIFIED: &str =
    "DELETE FROM notified WHERE enduser_id = $1 AND dossier_id <> $2";
pub const RELEASE: &str = "UPDATE endusers SET claim = NULL, claim_until_ms = NULL, claim_note = $3
    WHERE id = $1 AND claim = $2";
pub const DOSSIER_KNOWN: &str = "SELECT id FROM endusers WHERE dossier_id = $1";
pub const REMOVE_ENDUSER: &str = "DELETE FROM endusers WHERE id = $1";

pub const DROP_SPENT_UPLOADS: &str = "DELETE FROM upload_sessions
    WHERE enduser_id = $1 AND (completed_at_ms IS NOT NULL OR expires_at_ms <= $2)";
pub const INSERT_UPLOAD: &str = "INSERT INTO upload_sessions
    (token, enduser_id, dossier_id, process_id, created_at_ms, expires_at_ms, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub const INSERT_STEP: &str =
    "INSERT INTO upload_steps (token, step, position) VALUES ($1, $2, $3)";
pub const UPLOAD: &str =
    "SELECT enduser_id, dossier_id, process_id, completed_at_ms, expires_at_ms,
    expires_at FROM upload_sessions WHERE token = $1";
pub const UPLOAD_STEPS: &str =
    "SELECT step, bytes FROM upload_steps WHERE token = $1 ORDER BY position";
pub const RECORD_STEP: &str = "UPDATE upload_steps SET bytes = $3, received_at_ms = $4
    WHERE token = $1 AND step = $2 AND bytes IS NULL
      AND EXISTS (SELECT 1 FROM upload_sessions s
                  WHERE s.token = $1 AND s.completed_at_ms IS NULL AND s.expires_at_ms > $4)";
pub const STEP_BYTES: &str = "SELECT bytes FROM upload_steps WHERE token = $1 AND step = $2";
pub const COMPLETE_UPLOAD: &str = "UPDATE upload_sessions SET completed_at_ms = $2
    WHERE token = $1 AND completed_at_ms IS NULL AND expires_at_ms > $2
      AND NOT EXISTS (SELECT 1 FROM upload_steps t WHERE t.token = $1 AND t.bytes IS NULL)";
pub const IMPORT_STEP: &str =
    "UPDATE upload_steps SET bytes = $3, received_at_ms = $4 WHERE token = $1 AND step = $2";
pub const IMPORT_COMPLETED: &str =
    "UPDATE upload_sessions SET completed_at_ms = $2 WHERE token = $1";

pub const BEGIN_EVENT: &str =
    "INSERT INTO webhook_events (event_id, done, lease_until_ms, keep_until_ms)
    VALUES ($1, 0, $2, $3) ON CONFLICT (event_id) DO NOTHING";
pub const TAKE_OVER_EVENT: &str = "UPDATE webhook_events SET lease_until_ms = $3
    WHERE event_id = $1 AND done = 0 AND lease_until_ms <= $2";
pub const EVENT_DONE: &str = "SELECT done FROM webhook_events WHERE event_id = $1";
pub const FINISH_EVENT: &str = "UPDATE webhook_events SET done = 1 WHERE event_id = $1";
pub const IMPORT_EVENT: &str =
    "INSERT INTO webhook_events (event_id, done, lease_until_ms, keep_until_ms)
    VALUES ($1, 1, $2, $3) ON CONFLICT (event_id) DO NOTHING";
pub const RECORD_NOTIFIED: &str = "INSERT INTO notified
    (dossier_id, process_id, enduser_id, event_id, status, received_at)
    SELECT e.dossier_id, CAST($2 AS TEXT), e.id, CAST($3 AS TEXT), CAST($4 AS TEXT),
           CAST($5 AS TEXT)
    FROM endusers e WHERE e.dossier_id = $1
    ON CONFLICT (dossier_id, process_id) DO UPDATE
    SET event_id = excluded.event_id, status = excluded.status, received_at = excluded.received_at";
pub const IMPORT_NOTIFIED: &str = "INSERT INTO notified
    (dossier_id, process_id, enduser_id, event_id, status, received_at)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dossier_id, process_id) DO NOTHING";
pub const TRIM_NOTIFIED: &str = "DELETE FROM notified WHERE dossier_id = $1
    AND process_id NOT IN (SELECT process_id FROM notified WHERE dossier_id = $1
                           ORDER BY received_at DESC, process_id DESC LIMIT $2)";
pub const ABANDON_EVENT: &str = "DELETE FROM webhook_events WHERE event_id = $1 AND done = 0";
/// End-users with a dossier, made before `$1`, oldest first, at most `$2` (retention).
pub const AGED_ENDUSERS: &str = "SELECT id, dossier_id FROM endusers
    WHERE dossier_id IS NOT NULL AND created_at_ms < $1 ORDER BY created_at_ms, id LIMIT $2";
pub const NOTIFIED: &str = "SELECT process_id, event_id, status, received_at FROM notified
    WHERE dossier_id = $1 ORDER BY process_id";

pub const PUT_TOKEN: &str = "INSERT INTO single_use_tokens
    (token, kind, enduser_id, payload, created_at_ms, expires_at_ms)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (token) DO NOTHING";
pub const TOKEN: &str = "SELECT enduser_id, payload, created_at_ms, expires_at_ms, consumed_at_ms
    FROM single_use_tokens WHERE token = $1 AND kind = $2 AND expires_at_ms > $3";
pub const CONSUME_TOKEN: &str = "UPDATE single_use_tokens SET consumed_at_ms = $3
    WHERE token = $1 AND kind = $2 AND consumed_at_ms IS NULL AND expires_at_ms > $3
    RETURNING enduser_id, payload, created_at_ms, expires_at_ms";
pub const TOKEN_STATE: &str =
    "SELECT consumed_at_ms FROM single_use_tokens WHERE token = $1 AND kind = $2";

/// The columns every handoff read selects, in [`crate::store::Handoff`]'s order.
macro_rules! handoff_columns {
    () => {
        "SELECT id, enduser_id, mode, lang, scenario, status, dossier_id, process_id,
            created_at_ms, expires_at_ms, pair_code FROM handoffs "
    };
}

/// A status's place in the order a handoff moves through (`waiting` → … → `complete`); the
/// final ones (`cancelled`, `expired`) above every other, so nothing moves on from them.
macro_rules! handoff_rank {
    () => {
        "(CASE status WHEN 'waiting' THEN 0 WHEN 'opened' THEN 1 WHEN 'paired' THEN 2
            WHEN 'capturing' THEN 3 WHEN 'uploading' THEN 4 WHEN 'complete' THEN 5 ELSE 9 END)"
    };
}

pub const INSERT_HANDOFF: &str = "INSERT INTO handoffs
    (id, enduser_id, mode, lang, scenario, status, created_at_ms, expires_at_ms, updated_at_ms)
    VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $7, $6)";
pub const HANDOFF: &str = concat!(handoff_columns!(), "WHERE id = $1");
pub const PHONE_HANDOFF: &str = concat!(handoff_columns!(), "WHERE phone_secret = $1");
pub const PROCESS_HANDOFF: &str = concat!(
    handoff_columns!(),
    "WHERE process_id = $1 ORDER BY created_at_ms DESC LIMIT 1"
);
/// `waiting` → `opened`, once, before the link's time is up; the phone's session lives to `$4`,
/// and both screens show the pairing code `$5` until the desktop confirms it.
pub const OPEN_HANDOFF: &str = "UPDATE handoffs
    SET status = 'opened', phone_secret = $2, expires_at_ms = $4, updated_at_ms = $3,
        pair_code = $5
    WHERE id = $1 AND status = 'waiting' AND expires_at_ms > $3";
/// `opened` → `paired`: the desktop confirmed the phone's code.
pub const CONFIRM_HANDOFF: &str = "UPDATE handoffs SET status = 'paired', updated_at_ms = $2
    WHERE id = $1 AND status = 'opened' AND expires_at_ms > $2";
/// Moves a live handoff forward to `$2` from a status ranked below `$3`; never back, never out
/// of a final status.
pub const ADVANCE_HANDOFF: &str = concat!(
    "UPDATE handoffs SET status = $2, updated_at_ms = $4
    WHERE id = $1 AND expires_at_ms > $4 AND ",
    handoff_rank!(),
    " < CAST($3 AS BIGINT)"
);
/// The phone's session started a process: its ids, and `capturing` unless it is further on (a
/// retry on the phone starts another process of the same handoff).
pub const HANDOFF_CAPTURING: &str = "UPDATE handoffs
    SET status = CASE WHEN status = 'uploading' THEN 'uploading' ELSE 'capturing' END,
        dossier_id = $2, process_id = $3, updated_at_ms = $4
    WHERE id = $1 AND expires_at_ms > $4 AND status IN ('paired', 'capturing', 'uploading')";
/// Names the process of a handoff that did not know it yet (the hosted flow's return).
pub const BIND_HANDOFF_PROCESS: &str = "UPDATE handoffs SET process_id = $2, updated_at_ms = $3
    WHERE id = $1 AND process_id IS NULL AND status IN ('capturing', 'uploading')";

pub const SWEEP_UPLOADS: &str = "DELETE FROM upload_sessions WHERE expires_at_ms <= $1";
pub const SWEEP_TOKENS: &str = "DELETE FROM single_use_tokens WHERE expires_at_ms <= $1";
/// Handoffs whose time ended before `$1` (the sweep's time less [`crate::store::HANDOFF_KEEP_MS`]).
pub const SWEEP_HANDOFFS: &str = "DELETE FROM handoffs WHERE expires_at_ms <= $1";
pub const SWEEP_EVENTS: &str = "DELETE FROM webhook_events WHERE keep_until_ms <= $1";
pub const SWEEP_ENDUSERS: &str = "DELETE FROM endusers
    WHERE dossier_id IS NULL AND unclaimed_until_ms <= $1
      AND (claim IS NULL OR claim_until_ms <= $1)";

/// Handoffs still in progress at `$1` (the metrics' gauge).
pub const OPEN_HANDOFFS: &str = "SELECT COUNT(*) FROM handoffs
    WHERE expires_at_ms > $1 AND status IN ('waiting', 'opened', 'paired', 'capturing', 'uploading')";

pub const CENSUS: &str = "SELECT
    (SELECT COUNT(*) FROM endusers),
    (SELECT COUNT(dossier_id) FROM endusers),
    (SELECT COUNT(DISTINCT dossier_id) FROM endusers),
    (SELECT COUNT(*) FROM upload_sessions),
    (SELECT COUNT(*) FROM notified),
    (SELECT COUNT(*) FROM webhook_events),
    (SELECT COUNT(*) FROM single_use_tokens),
    (SELECT COUNT(*) FROM handoffs)";

/// A statement in SQLite's parameter form (`$3` → `?3`).
pub fn for_sqlite(statement: &str) -> String {
    statement.replace('$', "?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_increase() {
        let versions: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
        assert_eq!(versions.first(), Some(&1));
    }

    #[test]
    fn sqlite_parameters() {
        assert_eq!(
            for_sqlite("SELECT a FROM t WHERE b = $1 AND c = $12"),
            "SELECT a FROM t WHERE b = ?1 AND c = ?12"
        );
    }
}
