//! Reads what the page, the network and other windows hand over (`JsValue`s)
//! into core's types, checking every field's type; and writes core's reports
//! back as plain JS objects. Hand-written instead of serde-wasm-bindgen: the
//! shapes are small, and this keeps serde's deserializer (and its float
//! formatting for error messages) out of the wasm.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::JsValue;

use crate::core::contract::{ProcessAnswer, SessionAnswer};
use crate::core::failure::{Detail, FailureReport, ProviderFailReason};
use crate::core::protocol::{RawMessage, ResumeRecord, ReturnParams, ReturnRecord};

/// A field that is absent (`undefined`/`null`), a string, or of the wrong type.
enum Field {
    Absent,
    Text(String),
    Wrong,
}

fn field(object: &JsValue, key: &str) -> Field {
    match Reflect::get(object, &JsValue::from_str(key)) {
        Ok(v) if v.is_undefined() || v.is_null() => Field::Absent,
        Ok(v) => v.as_string().map_or(Field::Wrong, Field::Text),
        Err(_) => Field::Wrong,
    }
}

fn required(object: &JsValue, key: &str) -> Option<String> {
    match field(object, key) {
        Field::Text(s) => Some(s),
        _ => None,
    }
}

fn optional(object: &JsValue, key: &str) -> Result<Option<String>, ()> {
    match field(object, key) {
        Field::Absent => Ok(None),
        Field::Text(s) => Ok(Some(s)),
        Field::Wrong => Err(()),
    }
}

fn is_object(value: &JsValue) -> bool {
    value.is_object() && !value.is_function()
}

/// The session endpoint's answer, if it has the contract's shape.
pub fn session_answer(value: &JsValue) -> Option<SessionAnswer> {
    if !is_object(value) {
        return None;
    }
    let steps = match Reflect::get(value, &"steps".into()) {
        Ok(v) if v.is_undefined() || v.is_null() => None,
        Ok(v) if js_sys::Array::is_array(&v) => Some(
            js_sys::Array::from(&v)
                .iter()
                .take(16)
                .map(|s| s.as_string())
                .collect::<Option<Vec<String>>>()?,
        ),
        _ => return None,
    };
    let file_fallback = match Reflect::get(value, &"fileFallback".into()) {
        Ok(v) if v.is_undefined() || v.is_null() => None,
        Ok(v) => Some(v.as_bool()?),
        Err(_) => return None,
    };
    Some(SessionAnswer {
        url: optional(value, "url").ok()?,
        dossier_id: required(value, "dossierId")?,
        process_id: optional(value, "processId").ok()?,
        expires_at: optional(value, "expiresAt").ok()?,
        framing: optional(value, "framing").ok()?,
        upload_url: optional(value, "uploadUrl").ok()?,
        upload_token: optional(value, "uploadToken").ok()?,
        steps,
        file_fallback,
    })
}

/// The result endpoint's answer, if it has a status (and a well-formed `failReason`).
pub fn process_answer(value: &JsValue) -> Option<ProcessAnswer> {
    if !is_object(value) {
        return None;
    }
    let reason = Reflect::get(value, &"failReason".into()).unwrap_or(JsValue::UNDEFINED);
    let fail_reason = if reason.is_undefined() || reason.is_null() {
        None
    } else if is_object(&reason) {
        Some(ProviderFailReason {
            id: optional(&reason, "id").ok()?,
            kind: optional(&reason, "type").ok()?.unwrap_or_default(),
            message: optional(&reason, "message").ok()?.unwrap_or_default(),
        })
    } else {
        return None;
    };
    Some(ProcessAnswer {
        status: required(value, "status")?,
        fail_reason,
    })
}

fn version(value: &JsValue) -> u32 {
    Reflect::get(value, &"v".into())
        .ok()
        .and_then(|v| v.as_f64())
        .filter(|v| *v >= 0.0 && *v <= 1e6 && v.fract() == 0.0)
        .map_or(0, |v| v as u32)
}

/// A `postMessage` payload, if it is an object (its protocol is checked by core).
pub fn raw_message(value: &JsValue) -> Option<RawMessage> {
    if !is_object(value) {
        return None;
    }
    Some(RawMessage {
        source: required(value, "source")?,
        v: version(value),
        kind: required(value, "type")?,
        dossier_id: optional(value, "dossierId").ok()?,
        process_id: optional(value, "processId").ok()?,
        status: optional(value, "status").ok()?,
    })
}

fn parse_json(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok().filter(is_object)
}

/// The resume record from its stored JSON.
pub fn resume_record(text: &str) -> Option<ResumeRecord> {
    let value = parse_json(text)?;
    Some(ResumeRecord {
        v: version(&value),
        dossier_id: required(&value, "dossierId")?,
        return_to: required(&value, "returnTo")?,
    })
}

/// The return record from its stored JSON.
pub fn return_record(text: &str) -> Option<ReturnRecord> {
    let value = parse_json(text)?;
    Some(ReturnRecord {
        v: version(&value),
        dossier_id: required(&value, "dossierId")?,
        process_id: required(&value, "processId")?,
        status: required(&value, "status")?,
    })
}

/// A plain object from `(key, value)` pairs.
pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// The resume record as JSON text.
pub fn resume_json(record: &ResumeRecord) -> Option<String> {
    let value = object(&[
        ("v", record.v.into()),
        ("dossierId", record.dossier_id.as_str().into()),
        ("returnTo", record.return_to.as_str().into()),
    ]);
    JSON::stringify(&value).ok()?.as_string()
}

/// `{ dossierId, processId, status }`.
pub fn return_params(params: &ReturnParams) -> JsValue {
    object(&[
        ("dossierId", params.dossier_id.as_str().into()),
        ("processId", params.process_id.as_str().into()),
        ("status", params.status.as_str().into()),
    ])
}

/// The `detail` of `videoid-failed`.
pub fn failure_report(report: &FailureReport) -> JsValue {
    let detail = match &report.detail {
        Detail::Field { field } => object(&[("field", (*field).into())]),
        Detail::Status { status } => object(&[("status", (*status).into())]),
        Detail::Reason { reason } => object(&[("reason", (*reason).into())]),
        Detail::Provider(reason) => {
            let mut pairs = vec![
                ("type", reason.kind.as_str().into()),
                ("message", reason.message.as_str().into()),
            ];
            if let Some(id) = &reason.id {
                pairs.push(("id", id.as_str().into()));
            }
            object(&pairs)
        }
        Detail::None => JsValue::NULL,
    };
    object(&[
        ("code", report.code.into()),
        ("message", report.message.as_str().into()),
        ("recoverable", report.recoverable.into()),
        ("detail", detail),
    ])
}
