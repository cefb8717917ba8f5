//! The versioned message protocol between the element, its frame or popup,
//! and the return helper (`{ source: "videoid-capture", v: 1, type, … }`).

use serde::{Deserialize, Serialize};

use super::contract::Id;

/// The `source` every message carries.
pub const SOURCE: &str = "videoid-capture";
/// The protocol version.
pub const VERSION: u32 = 1;
/// `sessionStorage` key written before a full-page redirect.
pub const RESUME_KEY: &str = "videoid-capture:resume";
/// `sessionStorage` key written by the return helper after a full-page redirect.
pub const RETURN_KEY: &str = "videoid-capture:return";

/// A message as it arrives, before any check.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawMessage {
    /// Must be [`SOURCE`].
    #[serde(default)]
    pub source: String,
    /// Must be [`VERSION`].
    #[serde(default)]
    pub v: u32,
    /// The message type.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// For `return`.
    #[serde(default)]
    pub dossier_id: Option<String>,
    /// For `return`.
    #[serde(default)]
    pub process_id: Option<String>,
    /// For `return`.
    #[serde(default)]
    pub status: Option<String>,
}

/// Where the capture flow came back: the query of the host's `redirectUrl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnParams {
    /// The dossier.
    pub dossier_id: Id,
    /// The process the capture created.
    pub process_id: Id,
    /// The status at return, usually `processing`.
    pub status: String,
}

/// A message the element acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    /// The capture flow reached the return page.
    Return(ReturnParams),
    /// The user did something in the capture page.
    Activity,
}

fn valid_status(s: &str) -> bool {
    (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

impl ReturnParams {
    /// Checks the three values of a return.
    pub fn new(dossier_id: &str, process_id: &str, status: &str) -> Option<ReturnParams> {
        Some(ReturnParams {
            dossier_id: Id::parse(dossier_id)?,
            process_id: Id::parse(process_id)?,
            status: valid_status(status).then(|| status.to_string())?,
        })
    }

    /// Reads a return from a URL query (`?dossierId=…&processId=…&status=…`).
    pub fn from_query(query: &str) -> Option<ReturnParams> {
        let (mut dossier, mut process, mut status) = (None, None, None);
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value)?;
            let slot = match key {
                "dossierId" => &mut dossier,
                "processId" => &mut process,
                "status" => &mut status,
                _ => continue,
            };
            if slot.is_some() {
                return None; // a repeated key is ambiguous: refuse it
            }
            *slot = Some(value);
        }
        ReturnParams::new(&dossier?, &process?, &status?)
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

impl RawMessage {
    /// The message, if it is well formed and of this protocol.
    pub fn parse(&self) -> Option<Inbound> {
        if self.source != SOURCE || self.v != VERSION {
            return None;
        }
        match self.kind.as_str() {
            "return" => ReturnParams::new(
                self.dossier_id.as_deref()?,
                self.process_id.as_deref()?,
                self.status.as_deref()?,
            )
            .map(Inbound::Return),
            "activity" => Some(Inbound::Activity),
            _ => None,
        }
    }
}

/// The record written before a full-page redirect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResumeRecord {
    /// Always [`VERSION`].
    pub v: u32,
    /// The dossier being captured.
    pub dossier_id: String,
    /// The page to come back to.
    pub return_to: String,
}

/// The record the return helper writes after a full-page redirect.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnRecord {
    /// Must be [`VERSION`].
    pub v: u32,
    /// The dossier.
    pub dossier_id: String,
    /// The process.
    pub process_id: String,
    /// The status at return.
    pub status: String,
}

/// The completed return, if both records agree on the dossier.
pub fn resumed_return(resume: &ResumeRecord, ret: &ReturnRecord) -> Option<ReturnParams> {
    if resume.v != VERSION || ret.v != VERSION || resume.dossier_id != ret.dossier_id {
        return None;
    }
    ReturnParams::new(&ret.dossier_id, &ret.process_id, &ret.status)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn msg(json: &str) -> Option<Inbound> {
        serde_json::from_str::<RawMessage>(json).ok()?.parse()
    }

    #[test]
    fn well_formed_messages_parse() {
        let r = msg(
            r#"{"source":"videoid-capture","v":1,"type":"return","dossierId":"d1","processId":"p1","status":"processing","more":true}"#,
        );
        assert_eq!(
            r,
            Some(Inbound::Return(
                ReturnParams::new("d1", "p1", "processing").unwrap()
            ))
        );
        assert_eq!(
            msg(r#"{"source":"videoid-capture","v":1,"type":"activity"}"#),
            Some(Inbound::Activity)
        );
    }

    #[test]
    fn anything_else_is_ignored() {
        for bad in [
            r#"{"source":"other","v":1,"type":"activity"}"#,
            r#"{"source":"videoid-capture","v":2,"type":"activity"}"#,
            r#"{"source":"videoid-capture","v":1,"type":"done"}"#,
            r#"{"source":"videoid-capture","v":1,"type":"return","dossierId":"d1","status":"x"}"#,
            r#"{"source":"videoid-capture","v":1,"type":"return","dossierId":"d/1","processId":"p","status":"x"}"#,
            r#"{"source":"videoid-capture","v":1,"type":"return","dossierId":"d","processId":"p","status":"ACCEPTED<script>"}"#,
            r#"{}"#,
        ] {
            assert_eq!(msg(bad), None, "{bad}");
        }
        assert!(serde_json::from_str::<RawMessage>(r#"{"source":1}"#).is_err());
    }

    #[test]
    fn return_queries_parse_strictly() {
        let p = ReturnParams::from_query("?dossierId=d%2D1&processId=p1&status=processing&x=y")
            .unwrap();
        assert_eq!(p.dossier_id.as_str(), "d-1");
        assert_eq!(p.status, "processing");
        assert!(ReturnParams::from_query("?dossierId=d&processId=p").is_none());
        assert!(
            ReturnParams::from_query("?dossierId=d&dossierId=e&processId=p&status=s").is_none()
        );
        assert!(ReturnParams::from_query("?dossierId=%zz&processId=p&status=s").is_none());
        assert!(ReturnParams::from_query("").is_none());
    }

    #[test]
    fn resume_needs_both_records_to_agree() {
        let resume = ResumeRecord {
            v: 1,
            dossier_id: "d1".into(),
            return_to: "/".into(),
        };
        let ret = |d: &str| ReturnRecord {
            v: 1,
            dossier_id: d.into(),
            process_id: "p1".into(),
            status: "processing".into(),
        };
        assert!(resumed_return(&resume, &ret("d1")).is_some());
        assert!(resumed_return(&resume, &ret("d2")).is_none());
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn query_parsing_never_panics(s in "\\PC{0,120}") {
                let _ = ReturnParams::from_query(&s);
            }

            #[test]
            fn valid_returns_round_trip(d in "[A-Za-z0-9._-]{1,40}", p in "[A-Za-z0-9._-]{1,40}", s in "[a-z]{1,32}") {
                let q = format!("?dossierId={d}&processId={p}&status={s}");
                let r = ReturnParams::from_query(&q).unwrap();
                prop_assert_eq!(r.dossier_id.as_str(), d.as_str());
                prop_assert_eq!(r.process_id.as_str(), p.as_str());
            }
        }
    }
}
