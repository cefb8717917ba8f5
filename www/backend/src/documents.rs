//! Which VideoID document type a web-SDK session captures: the configured or requested
//! choice, the rows of `GET /assure/signicatvideoid/document-types`, and their cache.

use crate::published;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the document-type list is kept before it is read again.
pub const DOCUMENT_TYPES_TTL: Duration = Duration::from_secs(3600);

/// Which document type to capture: a document-type `id`, or the first row of a published
/// `type` (optionally of one country, `NO:identityCard`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentChoice {
    /// A VideoID document-type id (`idType`).
    Id(u64),
    /// A published `type`, optionally in one country (ISO 3166 alpha-2, as the list names it).
    Kind {
        country: Option<String>,
        kind: String,
    },
}

impl DocumentChoice {
    /// Parses `62`, `identityCard` or `NO:identityCard`; anything else is `None`.
    pub fn parse(text: &str) -> Option<DocumentChoice> {
        let text = text.trim();
        if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse().ok().map(DocumentChoice::Id);
        }
        let (country, kind) = match text.split_once(':') {
            Some((country, kind)) => (Some(country), kind),
            None => (None, text),
        };
        if country.is_some_and(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic())) {
            return None;
        }
        published::DOCUMENT_KINDS
            .contains(&kind)
            .then(|| DocumentChoice::Kind {
                country: country.map(str::to_ascii_uppercase),
                kind: kind.to_string(),
            })
    }

    /// Reads the request body's `documentType`: an integer id, or a string `parse` reads.
    pub fn from_json(value: &Value) -> Option<DocumentChoice> {
        match value {
            Value::Number(n) => n.as_u64().map(DocumentChoice::Id),
            Value::String(s) => DocumentChoice::parse(s),
            _ => None,
        }
    }
}

/// One VideoID document type, as far as the backend needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: u64,
    pub kind: String,
    pub country: Option<String>,
}

/// Reads the rows that carry an integer `id` and a `type`; others are skipped.
pub fn document_rows(rows: &[Value]) -> Vec<DocumentRow> {
    rows.iter()
        .filter_map(|row| {
            Some(DocumentRow {
                id: row.get("id")?.as_u64()?,
                kind: row.get("type")?.as_str()?.to_string(),
                country: row
                    .get("country")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
        })
        .collect()
}

/// The row a choice names.
pub fn pick<'a>(rows: &'a [DocumentRow], choice: &DocumentChoice) -> Option<&'a DocumentRow> {
    rows.iter().find(|row| match choice {
        DocumentChoice::Id(id) => row.id == *id,
        DocumentChoice::Kind { country, kind } => {
            row.kind == *kind
                && country.as_deref().is_none_or(|c| {
                    row.country
                        .as_deref()
                        .is_some_and(|r| r.eq_ignore_ascii_case(c))
                })
        }
    })
}

/// The cached document-type list: one entry, kept for `DOCUMENT_TYPES_TTL`.
#[derive(Default)]
pub struct DocumentTypes {
    fetched: Option<(Instant, Arc<Vec<DocumentRow>>)>,
}

impl DocumentTypes {
    /// The list, while it is younger than `DOCUMENT_TYPES_TTL` at `now`.
    pub fn get(&self, now: Instant) -> Option<Arc<Vec<DocumentRow>>> {
        self.fetched
            .as_ref()
            .filter(|(at, _)| now.saturating_duration_since(*at) < DOCUMENT_TYPES_TTL)
            .map(|(_, rows)| rows.clone())
    }

    /// Keeps `rows` (in place of any earlier list), read at `now`.
    pub fn put(&mut self, now: Instant, rows: Vec<DocumentRow>) -> Arc<Vec<DocumentRow>> {
        let rows = Arc::new(rows);
        self.fetched = Some((now, rows.clone()));
        rows
    }
}
