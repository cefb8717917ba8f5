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
    /// The status: final, or `processing` when `result-wait` ran out first.
    pub status: &'a str,
    /// Whether `status` is final.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// The process as the result endpoint sent it last, or `null`.
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
    /// What the document reader found (`read`, `valid`, `expired`, and `mrz`
    /// with `expose-mrz`), or `null` where it did not run.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub document: JsValue,
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

/// Dispatches the flow's events on one element (and to its parent window
/// when the configuration of the attempt asks for it).
pub struct Emitter {
    host: HtmlElement,
    parent: std::cell::RefCell<Option<Origin>>,
    /// The process the result endpoint sent last, as sent (for `videoid-result`).
    process: std::rc::Rc<std::cell::RefCell<JsValue>>,
}

impl Emitter {
    /// An emitter for `host`, posting to no parent yet.
    pub fn new(host: HtmlElement) -> Emitter {
        Emitter {
            host,
            parent: Default::default(),
            process: std::rc::Rc::new(std::cell::RefCell::new(JsValue::NULL)),
        }
    }

    /// Posts every event to the parent window with exactly this origin from now on (or not).
    pub fn set_parent(&self, origin: Option<Origin>) {
        *self.parent.borrow_mut() = origin;
    }

    /// Where the result call keeps the process it received.
    pub fn process_slot(&self) -> std::rc::Rc<std::cell::RefCell<JsValue>> {
        self.process.clone()
    }

    /// Dispatches `name` with `detail`.
    pub fn emit(&self, name: &str, detail: &JsValue) {
        emit(&self.host, name, detail, self.parent.borrow().as_ref());
    }

    /// Dispatches one of the flow's events.
    pub fn flow_event(&self, event: crate::core::flow::Emit) {
        use crate::core::flow::Emit;
        match event {
            Emit::State { state, previous } => {
                let _ = self.host.set_attribute("state", state.as_str());
                let detail = StateDetail {
                    state: state.as_str(),
                    previous: previous.as_str(),
                };
                self.emit("videoid-state", &to_js(&detail));
            }
            Emit::Complete(params) => {
                // The result polling that follows starts without a process.
                *self.process.borrow_mut() = JsValue::NULL;
                self.emit("videoid-complete", &to_js(&params))
            }
            Emit::Result(params, status, is_final) => {
                let detail = ResultDetail {
                    dossier_id: params.dossier_id.as_str(),
                    process_id: params.process_id.as_str(),
                    status: &status,
                    is_final,
                    process: self.process.borrow().clone(),
                };
                self.emit("videoid-result", &to_js(&detail));
            }
            Emit::Failed(report) => self.emit("videoid-failed", &to_js(&report)),
            Emit::Cancel => self.emit("videoid-cancel", &js_sys::Object::new()),
            Emit::Step {
                step,
                auto,
                quality,
                document,
            } => {
                // The report is JSON already: it travels as text with the upload.
                let parse = |json: Option<String>| {
                    json.and_then(|j| js_sys::JSON::parse(&j).ok())
                        .unwrap_or(JsValue::NULL)
                };
                let detail = StepDetail {
                    step,
                    auto,
                    quality: parse(quality),
                    document: parse(document),
                };
                self.emit("videoid-step", &to_js(&detail));
            }
            Emit::Handoff(status) => {
                let detail = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&detail, &"status".into(), &status.into());
                self.emit("videoid-handoff", &detail);
            }
            Emit::HandoffPairing(code) => {
                let detail = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&detail, &"status".into(), &"pairing".into());
                let _ = js_sys::Reflect::set(&detail, &"code".into(), &code.into());
                self.emit("videoid-handoff", &detail);
            }
            Emit::Agent(status, position) => {
                let detail = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&detail, &"status".into(), &status.into());
                if let Some(position) = position {
                    let _ = js_sys::Reflect::set(&detail, &"position".into(), &position.into());
                }
                self.emit("videoid-agent", &detail);
            }
            // The SDK captures by itself: each of its phases is an automatic step.
            Emit::SdkStep(step) => {
                let detail = StepDetail {
                    step: &step,
                    auto: true,
                    quality: JsValue::NULL,
                    document: JsValue::NULL,
                };
                self.emit("videoid-step", &to_js(&detail));
            }
        }
    }
}
