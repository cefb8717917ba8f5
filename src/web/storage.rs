//! The `sessionStorage` records that carry a capture across a full-page redirect.

use wasm_bindgen::JsValue;

use crate::core::protocol::{
    resumed_return, ResumeRecord, ReturnParams, ReturnRecord, RESUME_KEY, RETURN_KEY,
};

fn storage() -> Option<web_sys::Storage> {
    super::window()?.session_storage().ok().flatten()
}

/// Writes the resume record before leaving the page.
pub fn save_resume(record: &ResumeRecord) {
    let json = serde_wasm_bindgen::to_value(record)
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|s| s.as_string());
    if let (Some(storage), Some(json)) = (storage(), json) {
        let _ = storage.set_item(RESUME_KEY, &json);
    }
}

fn take<T: serde::de::DeserializeOwned>(storage: &web_sys::Storage, key: &str) -> Option<T> {
    let text = storage.get_item(key).ok().flatten()?;
    let _ = storage.remove_item(key);
    let value = js_sys::JSON::parse(&text).unwrap_or(JsValue::UNDEFINED);
    serde_wasm_bindgen::from_value(value).ok()
}

/// Takes both records (they are used once) and returns the completed return, if any.
pub fn take_return() -> Option<ReturnParams> {
    let storage = storage()?;
    storage.get_item(RETURN_KEY).ok().flatten()?;
    let ret: Option<ReturnRecord> = take(&storage, RETURN_KEY);
    let resume: Option<ResumeRecord> = take(&storage, RESUME_KEY);
    resumed_return(&resume?, &ret?)
}
