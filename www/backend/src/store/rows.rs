//! Rows to records, written once for both databases: each database's row type reads a column
//! as text or an integer ([`Columns`]), and the functions below turn the columns of
//! [`super::sql`]'s statements into records.

use super::records::{EndUserKey, Handoff, HandoffStatus, Notified, StoreError, Token, Upload};
use std::collections::BTreeMap;

/// One row's columns, by position.
pub(super) trait Columns {
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn maybe_text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn maybe_int(&self, i: usize) -> Result<Option<i64>, StoreError>;
}

impl Columns for rusqlite::Row<'_> {
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.get(i)?)
    }
    fn maybe_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.get(i)?)
    }
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.get(i)?)
    }
    fn maybe_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        Ok(self.get(i)?)
    }
}

impl Columns for tokio_postgres::Row {
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn maybe_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn maybe_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(i)?)
    }
}

/// A handoff from a row of [`super::sql::HANDOFF`]'s columns.
pub(super) fn handoff(row: &impl Columns) -> Result<Handoff, StoreError> {
    let status = row.text(5)?;
    Ok(Handoff {
        id: row.text(0)?,
        enduser: EndUserKey::stored(row.text(1)?),
        mode: row.text(2)?,
        lang: row.maybe_text(3)?,
        scenario: row.maybe_text(4)?,
        status: HandoffStatus::parse(&status)
            .ok_or_else(|| StoreError(format!("unknown handoff status {status:?}")))?,
        dossier_id: row.maybe_text(6)?,
        process_id: row.maybe_text(7)?,
        created_at_ms: row.int(8)?,
        expires_at_ms: row.int(9)?,
        pair_code: row.maybe_text(10)?,
    })
}

/// One step of an upload session from a row of [`super::sql::UPLOAD_STEPS`]: its name and
/// the bytes received, if any.
pub(super) fn upload_step(row: &impl Columns) -> Result<(String, Option<i64>), StoreError> {
    Ok((row.text(0)?, row.maybe_int(1)?))
}

/// An upload session from a row of [`super::sql::UPLOAD`] and its steps, in order.
pub(super) fn upload(
    head: &impl Columns,
    steps: Vec<(String, Option<i64>)>,
) -> Result<Upload, StoreError> {
    let received: BTreeMap<String, u64> = steps
        .iter()
        .filter_map(|(step, bytes)| bytes.map(|b| (step.clone(), b.max(0) as u64)))
        .collect();
    Ok(Upload {
        enduser: EndUserKey::stored(head.text(0)?),
        dossier_id: head.text(1)?,
        process_id: head.text(2)?,
        steps: steps.into_iter().map(|(step, _)| step).collect(),
        received,
        completed: head.maybe_int(3)?.is_some(),
        expires_at_ms: head.int(4)?,
        expires_at: head.text(5)?,
    })
}

/// A single-use token of `kind` from a row of [`super::sql::TOKEN`]'s first four columns.
pub(super) fn token(kind: &str, row: &impl Columns, consumed: bool) -> Result<Token, StoreError> {
    Ok(Token {
        kind: kind.to_string(),
        enduser: row.maybe_text(0)?.map(EndUserKey::stored),
        payload: row.text(1)?,
        created_at_ms: row.int(2)?,
        expires_at_ms: row.int(3)?,
        consumed,
    })
}

/// A process's notified status from a row of [`super::sql::NOTIFIED`]: its id and the status.
pub(super) fn notified(row: &impl Columns) -> Result<(String, Notified), StoreError> {
    Ok((
        row.text(0)?,
        Notified {
            event_id: row.text(1)?,
            status: row.text(2)?,
            received_at: row.text(3)?,
        },
    ))
}
