//! Events for the host page: `CustomEvent`s on the element and, when asked,
//! `postMessage` to the parent with an exact target origin. Details are
//! core's types written as plain JS objects by serde-wasm-bindgen.

use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::core::origin::Origin;
use crate::core::protocol::{SOURCE, VERSION};

/// `value` as a plain JS object; `None` and unit become `null`, as the `.d.ts` says.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// The `detail` of `videoid-state`.
#[derive(Serialize)]
pub struct StateDetail {
    /// The new state.
    pub state: &'static str,
    /// The one before.
    pub previous: &'static str,
}

/// The `detail` of `videoid-result`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultDetail<'a> {
    /// The dossier.
    pub dossier_id: &'a str,
    /// The process.
    pub process_id: &'a str,
    /// The final status.
    pub status: &'a str,
    /// The process as the result endpoint sent it.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub process: JsValue,
}

/// The `detail` of `videoid-step`.
#[derive(Serialize)]
pub struct StepDetail<'a> {
    /// The step's name.
    pub step: &'a str,
    /// Whether auto-capture took it.
    pub auto: bool,
    /// The frame's quality report, or `null`.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub quality: JsValue,
}

/// An event posted to the parent window.
#[derive(Serialize)]
struct ParentMessage<'a> {
    source: &'static str,
    v: u32,
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    detail: JsValue,
}

/// Dispatches `name` with `detail` on the element, bubbling and composed.
pub fn emit(host: &HtmlElement, name: &str, detail: &JsValue, parent: Option<&Origin>) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
    if let Some(origin) = parent {
        post_to_parent(name, detail, origin);
    }
}

fn post_to_parent(name: &str, detail: &JsValue, origin: &Origin) {
    let Some(window) = super::window() else {
        return;
    };
    let Some(parent) = window.parent().ok().flatten() else {
        return;
    };
    if js_sys::Object::is(&parent, &window) {
        return; // not framed: there is no parent to tell
    }
    let message = to_js(&ParentMessage {
        source: SOURCE,
        v: VERSION,
        kind: "event",
        name,
        detail: detail.clone(),
    });
    let _ = parent.post_message(&message, &origin.to_string());
}
