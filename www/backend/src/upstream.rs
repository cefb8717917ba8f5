//! Changes upstream that must happen at most once, and how long the backend's answers may take.
//!
//! Assure documents no idempotency key, so after a call whose outcome is unknown (no whole
//! answer, a `5xx`) the backend looks upstream before it tries again:
//!
//! - a new dossier carries a fresh `externalReference`; the dossier list tells whether it was
//!   made (and it is then used);
//! - a process (Start capture flow, Create process) is created under the end-user's claim (one
//!   change at a time per end-user, on any instance) after reading the dossier's processes:
//!   any process that was not there before is the one the failed call made, and it is deleted
//!   before the call is repeated (its answer — the capture URL, the authorization — is lost);
//! - Set images is checked by reading the image back, start verification by reading the status.
//!
//! Before such a call, the end-user's row gets a note of what to check; it is cleared once the
//! outcome is known. A note left behind (the check itself failed, or the instance died) is
//! checked by the next request of that end-user that takes the claim, so an unfinished change is
//! never repeated blindly, even after a crash.

use crate::assure::{AssureError, Retries};
use crate::ids;
use crate::state::{Backend, Failure, Visitor};
use crate::store::{Claim, EndUserKey, StoreError};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How long the element's session, upload and media calls may take here: under the element's
/// own 20-s deadline for backend calls, with room for the network.
pub const SESSION_BUDGET: Duration = Duration::from_secs(15);

/// How long a result read or the dossier view may take (the element polls again).
pub const READ_BUDGET: Duration = Duration::from_secs(10);

/// How long handling one webhook delivery may take (Assure's sender waits 10 s, and sends
/// again after a failure).
pub const WEBHOOK_BUDGET: Duration = Duration::from_secs(5);

/// The deadline of a request that started now with `budget`.
pub fn deadline(budget: Duration) -> Instant {
    Instant::now() + budget
}

/// What a change in progress must leave checkable if it is cut short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Note {
    /// A dossier with this `externalReference` may have been created.
    #[serde(rename_all = "camelCase")]
    Dossier { reference: String },
    /// A process may have been created in this dossier: any not in `before` is one.
    #[serde(rename_all = "camelCase")]
    Process {
        dossier_id: String,
        before: Vec<String>,
    },
}

impl Note {
    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn read(text: Option<&str>) -> Option<Note> {
        serde_json::from_str(text?).ok()
    }
}

/// A change that did not happen, or whose outcome is still unknown.
#[derive(Debug)]
pub struct Unsettled {
    pub error: AssureError,
    /// True when it may have happened and could not be checked.
    pub unknown: bool,
}

/// Less than this left before the deadline is not worth another try.
const MIN_TRY: Duration = Duration::from_millis(100);

/// The most tries of a change that must not happen twice (each after a check).
pub const CREATE_TRIES: u32 = 3;

/// Runs `change` (a call Assure must not act on twice). After a failure whose outcome is
/// unknown, `check` looks upstream: `Some` — it happened (that is the result), `None` — it did
/// not (or was undone), and only then is `change` tried again, while time is left.
pub async fn at_most_once<T, C, K>(
    by: Instant,
    retries: Retries,
    mut change: impl FnMut() -> C,
    mut check: impl FnMut() -> K,
) -> Result<T, Unsettled>
where
    C: Future<Output = Result<T, AssureError>>,
    K: Future<Output = Result<Option<T>, AssureError>>,
{
    let mut tries = 0u32;
    loop {
        tries += 1;
        let error = match change().await {
            Ok(done) => return Ok(done),
            Err(e) => e,
        };
        if !error.is_unknown_outcome() {
            return Err(Unsettled {
                error,
                unknown: false,
            });
        }
        match check().await {
            Ok(Some(done)) => return Ok(done),
            Ok(None) => {}
            Err(_) => {
                return Err(Unsettled {
                    error,
                    unknown: true,
                })
            }
        }
        let pause = retries.pause(tries);
        if tries >= CREATE_TRIES || Instant::now() + pause + MIN_TRY > by {
            return Err(Unsettled {
                error,
                unknown: false,
            });
        }
        tokio::time::sleep(pause).await;
    }
}

/// How long a request may hold an end-user's claim: longer than any request's budget, so a
/// live holder is never overtaken; a holder that died is overtaken after this.
pub const CLAIM_LEASE: Duration = Duration::from_secs(20);

/// The outcome of a change made under the claim.
enum Claimed<T> {
    Done(T),
    /// The dossier is gone upstream.
    Gone,
}

impl Backend {
    /// The end-user's dossier, created on first use.
    pub(crate) async fn dossier_for(
        &self,
        visitor: &mut Visitor,
        by: Instant,
    ) -> Result<String, Failure> {
        if let Some(dossier_id) = &visitor.dossier_id {
            return Ok(dossier_id.clone());
        }
        let dossier_id = self.settle_dossier(&visitor.key, None, by).await?;
        visitor.dossier_id = Some(dossier_id.clone());
        Ok(dossier_id)
    }

    /// Takes the end-user's claim while their dossier is still `current`: `Ok(Ok(note))` won
    /// (with an earlier holder's leftover note), `Ok(Err(dossier))` the dossier is another now.
    async fn claim(
        &self,
        key: &EndUserKey,
        current: Option<&str>,
        claim: &str,
        by: Instant,
    ) -> Result<Result<Option<String>, String>, Failure> {
        let mut pause = Duration::from_millis(5);
        loop {
            let now = crate::store::now_ms();
            let until = now + CLAIM_LEASE.as_millis() as i64;
            match self
                .store
                .claim_dossier(key, current, claim, now, until)
                .await?
            {
                Claim::Won { note } => return Ok(Ok(note)),
                Claim::Settled(dossier_id) => return Ok(Err(dossier_id)),
                Claim::Unknown => return Err(Failure::Gone),
                Claim::Busy if Instant::now() + pause < by => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(200));
                }
                Claim::Busy => return Err(Failure::Busy),
            }
        }
    }

    async fn release(&self, key: &EndUserKey, claim: &str, note: Option<&str>) {
        if let Err(e) = self.store.release_claim(key, claim, note).await {
            tracing::error!(error = %e, "could not release the end-user's claim");
        }
    }

    /// Gives the end-user a dossier in place of `current` (none: the first), under their claim:
    /// of several requests (on this instance or others) one creates the dossier, the others
    /// wait for it and use it.
    pub(crate) async fn settle_dossier(
        &self,
        key: &EndUserKey,
        current: Option<&str>,
        by: Instant,
    ) -> Result<String, Failure> {
        let claim = ids::try_token().map_err(StoreError::from)?;
        loop {
            let note = match self.claim(key, current, &claim, by).await? {
                Ok(note) => note,
                Err(dossier_id) => return Ok(dossier_id),
            };
            if let Some(dossier_id) = self.create_dossier_claimed(key, &claim, note, by).await? {
                return Ok(dossier_id);
            }
        }
    }

    /// Creates (or finds the one an unfinished earlier try made) and settles the dossier;
    /// `None` when the claim ran out meanwhile (ask again).
    async fn create_dossier_claimed(
        &self,
        key: &EndUserKey,
        claim: &str,
        note: Option<String>,
        by: Instant,
    ) -> Result<Option<String>, Failure> {
        if let Some(Note::Dossier { reference }) = Note::read(note.as_deref()) {
            match self.assure.find_dossier(&reference, by).await {
                Ok(Some(dossier_id)) => return self.settle_claimed(key, claim, &dossier_id).await,
                Ok(None) => {}
                Err(e) => {
                    self.release(key, claim, note.as_deref()).await;
                    return Err(e.into());
                }
            }
        }
        let reference = format!("videoid-{}", ids::try_uuid().map_err(StoreError::from)?);
        let note = Note::Dossier {
            reference: reference.clone(),
        }
        .text();
        if !self.store.note_claim(key, claim, &note).await? {
            return Ok(None);
        }
        let (assure, reference) = (&self.assure, reference.as_str());
        let created = at_most_once(
            by,
            assure.retries(),
            || assure.create_dossier(reference, by),
            || assure.find_dossier(reference, by),
        )
        .await;
        match created {
            Ok(dossier_id) => self.settle_claimed(key, claim, &dossier_id).await,
            Err(unsettled) => {
                let left = unsettled.unknown.then_some(note.as_str());
                self.release(key, claim, left).await;
                Err(unsettled.error.into())
            }
        }
    }

    /// Makes `dossier_id` the end-user's; `None` when the claim ran out meanwhile (the dossier,
    /// nobody's, goes).
    async fn settle_claimed(
        &self,
        key: &EndUserKey,
        claim: &str,
        dossier_id: &str,
    ) -> Result<Option<String>, Failure> {
        match self.store.settle_dossier(key, claim, dossier_id).await {
            Ok(true) => Ok(Some(dossier_id.to_string())),
            Ok(false) => {
                self.discard_dossier(dossier_id).await;
                Ok(None)
            }
            Err(e) => {
                self.discard_dossier(dossier_id).await;
                Err(e.into())
            }
        }
    }

    async fn discard_dossier(&self, dossier_id: &str) {
        let by = deadline(READ_BUDGET);
        if let Err(e) = self.assure.delete_dossier(dossier_id, by).await {
            tracing::warn!(error = %e, "could not remove an unused dossier");
        }
    }

    /// Creates a process in the end-user's dossier with `create` (Start capture flow or Create
    /// process, which must not happen twice): under the end-user's claim, after reading the
    /// dossier's processes, so that a process a failed try may have made is found and removed
    /// before the next try. A dossier that is gone upstream is replaced (once).
    pub(crate) async fn create_process<T, F>(
        &self,
        visitor: &mut Visitor,
        by: Instant,
        create: impl Fn(String) -> F,
    ) -> Result<(String, T), Failure>
    where
        F: Future<Output = Result<T, AssureError>>,
    {
        let mut replaced = false;
        loop {
            let dossier_id = self.dossier_for(visitor, by).await?;
            let claim = ids::try_token().map_err(StoreError::from)?;
            let note = match self
                .claim(&visitor.key, Some(&dossier_id), &claim, by)
                .await?
            {
                Ok(note) => note,
                Err(other) => {
                    visitor.dossier_id = Some(other);
                    continue;
                }
            };
            let made = self
                .create_claimed(&visitor.key, &claim, &dossier_id, note, by, &create)
                .await?;
            match made {
                Claimed::Done(done) => return Ok((dossier_id, done)),
                Claimed::Gone if !replaced => {
                    replaced = true;
                    let new = self
                        .settle_dossier(&visitor.key, Some(&dossier_id), by)
                        .await?;
                    visitor.dossier_id = Some(new);
                }
                Claimed::Gone => {
                    return Err(Failure::Assure(AssureError::Status(StatusCode::NOT_FOUND)))
                }
            }
        }
    }

    async fn create_claimed<T, F>(
        &self,
        key: &EndUserKey,
        claim: &str,
        dossier_id: &str,
        note: Option<String>,
        by: Instant,
        create: &impl Fn(String) -> F,
    ) -> Result<Claimed<T>, Failure>
    where
        F: Future<Output = Result<T, AssureError>>,
    {
        // An earlier try that was cut short may have left a process behind: remove it first.
        if let Some(Note::Process { dossier_id, before }) = Note::read(note.as_deref()) {
            if let Err(e) = self.remove_new_processes(&dossier_id, &before, by).await {
                self.release(key, claim, note.as_deref()).await;
                return Err(e.into());
            }
        }
        let before = match self.assure.process_ids(dossier_id, by).await {
            Ok(ids) => ids,
            Err(e) => {
                self.release(key, claim, None).await;
                return match e {
                    AssureError::Status(StatusCode::NOT_FOUND) => Ok(Claimed::Gone),
                    e => Err(e.into()),
                };
            }
        };
        let note = Note::Process {
            dossier_id: dossier_id.to_string(),
            before: before.clone(),
        }
        .text();
        if !self.store.note_claim(key, claim, &note).await? {
            return Err(Failure::Busy);
        }
        let before = before.as_slice();
        let made = at_most_once(
            by,
            self.assure.retries(),
            || create(dossier_id.to_string()),
            || async move {
                self.remove_new_processes(dossier_id, before, by)
                    .await
                    .map(|()| None)
            },
        )
        .await;
        match made {
            Ok(done) => {
                self.release(key, claim, None).await;
                Ok(Claimed::Done(done))
            }
            Err(Unsettled {
                error: AssureError::Status(StatusCode::NOT_FOUND),
                ..
            }) => {
                self.release(key, claim, None).await;
                Ok(Claimed::Gone)
            }
            Err(unsettled) => {
                let left = unsettled.unknown.then_some(note.as_str());
                self.release(key, claim, left).await;
                Err(unsettled.error.into())
            }
        }
    }

    /// Deletes the processes of a dossier that are not in `before` (nothing when the dossier is gone).
    async fn remove_new_processes(
        &self,
        dossier_id: &str,
        before: &[String],
        by: Instant,
    ) -> Result<(), AssureError> {
        let now = match self.assure.process_ids(dossier_id, by).await {
            Ok(ids) => ids,
            Err(AssureError::Status(StatusCode::NOT_FOUND)) => return Ok(()),
            Err(e) => return Err(e),
        };
        for process_id in now.iter().filter(|p| !before.contains(p)) {
            self.assure
                .delete_process(dossier_id, process_id, by)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_read_what_they_write() {
        let notes = [
            Note::Dossier {
                reference: "videoid-1".into(),
            },
            Note::Process {
                dossier_id: "d".into(),
                before: vec!["p1".into(), "p2".into()],
            },
        ];
        for note in notes {
            assert_eq!(Note::read(Some(&note.text())), Some(note));
        }
        assert_eq!(Note::read(None), None);
        assert_eq!(Note::read(Some("{")), None);
        assert_eq!(Note::read(Some(r#"{"kind":"other"}"#)), None);
    }

    fn quick() -> Retries {
        Retries {
            first_pause: Duration::from_millis(1),
            max_pause: Duration::from_millis(2),
            attempt_timeout: Duration::from_secs(1),
            max_tries: 6,
        }
    }

    #[tokio::test]
    async fn a_change_is_repeated_only_after_the_check_says_it_did_not_happen() {
        use std::cell::Cell;
        let by = deadline(Duration::from_secs(5));
        // The first try gets no answer and did not happen; the second is answered.
        let (changes, checks) = (Cell::new(0), Cell::new(0));
        let out = at_most_once(
            by,
            quick(),
            || {
                changes.set(changes.get() + 1);
                let first = changes.get() == 1;
                async move {
                    if first {
                        Err(AssureError::NoAnswer)
                    } else {
                        Ok("made")
                    }
                }
            },
            || {
                checks.set(checks.get() + 1);
                async { Ok(None) }
            },
        )
        .await;
        assert_eq!(out.unwrap(), "made");
        assert_eq!((changes.get(), checks.get()), (2, 1));

        // The try got no answer but happened: the check finds it, no second try.
        let changes = Cell::new(0);
        let out = at_most_once(
            by,
            quick(),
            || {
                changes.set(changes.get() + 1);
                async { Err::<&str, _>(AssureError::Status(StatusCode::BAD_GATEWAY)) }
            },
            || async { Ok(Some("found")) },
        )
        .await;
        assert_eq!(out.unwrap(), "found");
        assert_eq!(changes.get(), 1);

        // A lasting error is not repeated, and nothing is checked.
        let out = at_most_once(
            by,
            quick(),
            || async { Err::<(), _>(AssureError::Status(StatusCode::CONFLICT)) },
            || async { panic!("no check after a lasting error") },
        )
        .await;
        let e = out.unwrap_err();
        assert_eq!(e.error, AssureError::Status(StatusCode::CONFLICT));
        assert!(!e.unknown);

        // The check fails: the outcome stays unknown, and the change is not repeated.
        let changes = Cell::new(0);
        let out = at_most_once(
            by,
            quick(),
            || {
                changes.set(changes.get() + 1);
                async { Err::<(), _>(AssureError::NoAnswer) }
            },
            || async { Err(AssureError::Unreachable) },
        )
        .await;
        assert!(out.unwrap_err().unknown);
        assert_eq!(changes.get(), 1);

        // Out of time: known not to have happened, given up.
        let out = at_most_once(
            deadline(Duration::from_millis(50)),
            quick(),
            || async { Err::<(), _>(AssureError::NoAnswer) },
            || async { Ok(None) },
        )
        .await;
        let e = out.unwrap_err();
        assert!(!e.unknown);
        assert_eq!(e.error, AssureError::NoAnswer);

        // Out of tries: a lasting 500 is tried `CREATE_TRIES` times.
        let changes = Cell::new(0);
        let out = at_most_once(
            by,
            quick(),
            || {
                changes.set(changes.get() + 1);
                async { Err::<(), _>(AssureError::Status(StatusCode::INTERNAL_SERVER_ERROR)) }
            },
            || async { Ok(None) },
        )
        .await;
        assert!(!out.unwrap_err().unknown);
        assert_eq!(changes.get(), CREATE_TRIES);
    }
}
