//! Events for the host page: `CustomEvent`s on the element and, when asked,
//! `postMessage` to the parent with an exact target origin.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::core::origin::Origin;
use crate::core::protocol::{SOURCE, VERSION};

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
    let message = Object::new();
    let _ = Reflect::set(&message, &"source".into(), &SOURCE.into());
    let _ = Reflect::set(&message, &"v".into(), &VERSION.into());
    let _ = Reflect::set(&message, &"type".into(), &"event".into());
    let _ = Reflect::set(&message, &"name".into(), &name.into());
    let _ = Reflect::set(&message, &"detail".into(), detail);
    let _ = parent.post_message(&message, &origin.to_string());
}
