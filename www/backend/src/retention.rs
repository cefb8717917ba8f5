//! Data retention: an end-user with a dossier is deleted `VIDEOID_RETENTION_DAYS` days after
//! they were made, together with their dossier at Assure ("Delete dossier"), as "delete my
//! data" does on request.
//!
//! Each pass takes the oldest such end-users (at most [`BATCH`]) and, for each, first the
//! end-user's dossier claim (the same claim that guards creating a dossier): of several
//! instances on one database exactly one wins it and deletes, the others skip that end-user,
//! and a session that runs meanwhile waits for the claim. The dossier goes first, then the
//! record, so a pass cut short leaves the record, and the next pass deletes again: Delete
//! dossier is done when the dossier is gone already (idempotent).

use crate::state::Backend;
use crate::store::{now_ms, Claim};
use crate::upstream::{deadline, SESSION_BUDGET};
use std::sync::Arc;
use std::time::Duration;

/// The most end-users one pass deletes.
pub const BATCH: i64 = 100;

/// How long a pass holds an end-user's claim while it deletes (then another may take over).
const CLAIM_MS: i64 = 60_000;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retained {
    /// End-users deleted, with their dossiers.
    pub deleted: usize,
    /// End-users another instance or a session was busy with: the next pass looks again.
    pub skipped: usize,
    /// Deletions that failed (upstream or storage): the next pass tries again.
    pub failed: usize,
}

/// One pass: deletes the end-users with a dossier made more than `max_age` before `now_ms`.
pub async fn run_once(backend: &Backend, max_age: Duration, now_ms: i64) -> Retained {
    let mut done = Retained::default();
    let before = now_ms.saturating_sub(max_age.as_millis() as i64);
    let aged = match backend.store.aged_endusers(before, BATCH).await {
        Ok(aged) => aged,
        Err(e) => {
            tracing::error!(error = %e, "retention: could not list end-users");
            done.failed += 1;
            return done;
        }
    };
    for (key, dossier_id) in aged {
        let Ok(claim) = crate::ids::try_token() else {
            tracing::error!("retention: the OS random source failed");
            done.failed += 1;
            return done;
        };
        let claimed = backend
            .store
            .claim_dossier(&key, Some(&dossier_id), &claim, now_ms, now_ms + CLAIM_MS)
            .await;
        match claimed {
            Ok(Claim::Won { .. }) => {}
            Ok(_) => {
                done.skipped += 1;
                continue;
            }
            Err(e) => {
                tracing::error!(error = %e, "retention: could not claim an end-user");
                done.failed += 1;
                continue;
            }
        }
        let deleted = backend
            .assure
            .delete_dossier(&dossier_id, deadline(SESSION_BUDGET))
            .await;
        if let Err(e) = deleted {
            tracing::warn!(error = %e, "retention: Delete dossier failed; the next pass tries again");
            if let Err(e) = backend.store.release_claim(&key, &claim, None).await {
                tracing::error!(error = %e, "retention: could not release a claim");
            }
            done.failed += 1;
            continue;
        }
        match backend.store.remove_enduser(&key).await {
            Ok(_) => done.deleted += 1,
            Err(e) => {
                tracing::error!(error = %e, "retention: could not remove an end-user");
                done.failed += 1;
            }
        }
    }
    if done != Retained::default() {
        tracing::info!(
            deleted = done.deleted,
            skipped = done.skipped,
            failed = done.failed,
            "retention pass"
        );
    }
    done
}

/// Runs a pass every `every` until `stopped` turns true.
pub fn spawn(
    backend: Arc<Backend>,
    max_age: Duration,
    every: Duration,
    stopped: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    crate::store::spawn_every(every, stopped, move || {
        let backend = backend.clone();
        async move {
            run_once(&backend, max_age, now_ms()).await;
        }
    })
}
