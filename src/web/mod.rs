//! Thin browser adapters: each carries out one kind of flow effect through
//! `web-sys` and turns JS errors into [`crate::core::failure::Failure`]s at
//! the boundary. No decisions here; those live in [`crate::core`].

pub mod handle;
pub mod media;

mod backend;
mod events;
mod frame;
mod i18n;
mod native;
mod read;
mod storage;
mod timers;
mod upload;

use wasm_bindgen::JsValue;

/// The window, when the code runs in one.
fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Reads a string property of a JS object, if it is a string.
fn get_string(object: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}
