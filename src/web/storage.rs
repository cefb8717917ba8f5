//! The `sessionStorage` records that carry a capture across a full-page redirect.

use super::events::to_js;
use super::props::from_js;
use crate::core::protocol::{resumed_return, ResumeRecord, ReturnParams, RESUME_KEY, RETURN_KEY};

fn storage() -> Option<web_sys::Storage> {
    super::window()?.session_storage().ok().flatten()
}

/// Writes the resume record before leaving the page.
pub fn save_resume(record: &ResumeRecord) {
    let json = js_sys::JSON::stringify(&to_js(record))
        .ok()
        .and_then(|s| s.as_string());
    if let (Some(storage), Some(json)) = (storage(), json) {
        let _ = storage.set_item(RESUME_KEY, &json);
    }
}

/// Takes both records (each is used once) and returns the completed return, if any.
pub fn take_return() -> Option<ReturnParams> {
    let storage = storage()?;
    let ret = storage.get_item(RETURN_KEY).ok().flatten()?;
    let resume = storage.get_item(RESUME_KEY).ok().flatten();
    let _ = storage.remove_item(RETURN_KEY);
    let _ = storage.remove_item(RESUME_KEY);
    resumed_return(&record(&resume?)?, &record(&ret)?)
}

/// A record from its stored JSON, if it has the record's shape.
fn record<T: serde::de::DeserializeOwned>(json: &str) -> Option<T> {
    from_js(js_sys::JSON::parse(json).ok()?)
}
