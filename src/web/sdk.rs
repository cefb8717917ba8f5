//! The SDK run's executor (`mode="sdk"`): the camera and microphone check,
//! the SDK's script (one `<script>` per page), and `EID.videoId` (attended:
//! `EID.videoIDAttended`, with its queue and call events) in a
//! light-DOM container slotted into the element. VideoID's SDK is third-party
//! code that expects the document's DOM, so its container is a child of the
//! host element (`slot="videoid-sdk"`), shown through a `<slot>` in the
//! stage. It arrives with the SDK chunk ([`entry`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use super::media::{stop_tracks, text_of, MediaRequest};
use super::run::{Ctx, Entry, Executor, RunEffect};
use crate::core::failure::ProviderFailReason;
use crate::core::flow::{sdk::KIT, Input};
use crate::core::native::{Device, Facing, Quality};
use crate::core::sdk::{fail_reason, failed, position, SdkEffect, SdkFlow, SdkInput};

/// The SDK chunk's entry: the flow's kit and this executor.
pub fn entry() -> Entry {
    Entry {
        kit: &KIT,
        executor: |ctx| {
            Box::new(SdkExecutor(Rc::new(Sdk {
                ctx,
                parts: SdkParts::default(),
            })))
        },
    }
}

/// The slot name of the SDK's container.
const SLOT: &str = "videoid-sdk";

/// The attribute that marks the SDK's `<script>` (one per page).
const SCRIPT_MARK: &str = "data-videoid-sdk";
const SCRIPT_SELECTOR: &str = "script[data-videoid-sdk]";

/// A listener for the SDK's events or the script's `load`/`error`.
type Listener = Closure<dyn FnMut(JsValue)>;

/// The SDK capture of one element: what it created, released together.
#[derive(Default)]
struct SdkParts {
    /// Bumped on every stop: a device check or script load that ends later is dropped.
    generation: Cell<u32>,
    /// The SDK instance, its container, the slot and the listeners it holds.
    run: RefCell<Option<Run>>,
}

struct Run {
    sdk: JsValue,
    container: Element,
    slot: Element,
    _listeners: Vec<Listener>,
}

/// Calls `object[name](...args)` when it is a function; `Err` when it throws.
fn call(object: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let f = Reflect::get(object, &name.into())?;
    if !f.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    let f: Function = f.unchecked_into();
    match args {
        [] => f.call0(object),
        [a] => f.call1(object, a),
        [a, b, ..] => f.call2(object, a, b),
    }
}

/// `window.EID.videoId` (attended: `window.EID.videoIDAttended`), when the script defined it.
fn video_id(flow: SdkFlow) -> Option<(JsValue, Function)> {
    let window: JsValue = super::window()?.into();
    let eid = Reflect::get(&window, &"EID".into()).ok()?;
    let f = Reflect::get(&eid, &flow.global().into()).ok()?;
    f.is_function().then(|| (eid, f.unchecked_into()))
}

/// What a call into the SDK threw.
fn sdk_error(value: JsValue) -> ProviderFailReason {
    let read = |key| text_of(&value, key);
    match value.as_string() {
        Some(message) => fail_reason("Error", "", &message),
        None => fail_reason(&read("name"), &read("reason"), &read("message")),
    }
}

/// The SDK's `failed` payload as an input (the attended SDK's agent failures are the element's own).
fn sdk_failed(value: JsValue) -> SdkInput {
    let read = |key| text_of(&value, key);
    match value.as_string() {
        Some(message) => SdkInput::Failed(fail_reason("Error", "", &message)),
        None => failed(
            &read("name"),
            &read("reason"),
            &read("message"),
            &read("opensAt"),
        ),
    }
}

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}

impl SdkParts {
    fn next_generation(&self) -> u32 {
        let g = self.generation.get().wrapping_add(1);
        self.generation.set(g);
        g
    }

    /// `turnOff()` and `destroy()`, the container and slot removed, the listeners dropped.
    fn release(&self) {
        self.next_generation();
        if let Some(run) = self.run.borrow_mut().take() {
            let _ = call(&run.sdk, "turnOff", &[]);
            let _ = call(&run.sdk, "destroy", &[]);
            run.container.remove();
            run.slot.remove();
        }
    }
}

/// One element's SDK capture and where its inputs go.
struct Sdk {
    ctx: Ctx,
    parts: SdkParts,
}

/// Carries out the SDK capture's effects for one element.
struct SdkExecutor(Rc<Sdk>);

impl Executor for SdkExecutor {
    fn apply(&self, attempt: u32, effect: RunEffect) {
        let RunEffect::Sdk(effect) = effect else {
            return;
        };
        let this = &self.0;
        match effect {
            SdkEffect::CheckDevices => Sdk::check_devices(this, attempt),
            SdkEffect::Load { url, flow } => Sdk::load_script(this, attempt, &url, flow),
            SdkEffect::Run {
                flow,
                authorization,
                id_type,
                lang,
            } => {
                let run = Sdk::run_sdk(this, attempt, flow, &authorization, id_type, lang);
                if let Err(error) = run {
                    this.send(attempt, SdkInput::Failed(sdk_error(error)));
                }
            }
            SdkEffect::Stop => this.parts.release(),
        }
    }

    fn release(&self) {
        self.0.parts.release();
    }
}

impl Drop for SdkExecutor {
    fn drop(&mut self) {
        self.0.parts.release();
    }
}

impl Sdk {
    fn send(&self, attempt: u32, input: SdkInput) {
        self.ctx.sender.send(Input::Sdk { attempt, input });
    }

    /// Asks for the camera, then the microphone, as native mode does (so a
    /// denial names its device), and stops every track at once.
    fn check_devices(this: &Rc<Sdk>, attempt: u32) {
        let generation = this.parts.generation.get();
        let media = this.ctx.media.clone();
        let weak = Rc::downgrade(this);
        crate::spawn(async move {
            let mut result = Ok(());
            for device in [Device::Camera, Device::Microphone] {
                let request = MediaRequest {
                    device,
                    facing: Facing::User,
                    quality: Quality::Any,
                };
                match media.request(request).await {
                    Ok(stream) => stop_tracks(&stream),
                    Err(error) => {
                        result = Err(error);
                        break;
                    }
                }
            }
            let Some(this) = weak
                .upgrade()
                .filter(|s| s.parts.generation.get() == generation)
            else {
                return;
            };
            let input = match result {
                Ok(()) => SdkInput::DevicesReady,
                Err(error) => SdkInput::DevicesFailed(error),
            };
            this.send(attempt, input);
        });
    }

    /// Loads the script once per page: an `EID` function of the flow already
    /// there is used, a `<script>` another element added is waited for, a
    /// failed one (or the other flow's) is replaced. The flow's load timer bounds the wait.
    fn load_script(this: &Rc<Sdk>, attempt: u32, url: &str, flow: SdkFlow) {
        if video_id(flow).is_some() {
            return this.send(attempt, SdkInput::Loaded);
        }
        let Some(document) = super::window().and_then(|w| w.document()) else {
            return this.send(attempt, SdkInput::LoadFailed);
        };
        let script = match document.query_selector(SCRIPT_SELECTOR).ok().flatten() {
            Some(script) if script.get_attribute("src").as_deref() == Some(url) => Some(script),
            other => {
                if let Some(old) = other {
                    old.remove();
                }
                document.create_element("script").ok().and_then(|script| {
                    script.set_attribute("src", url).ok()?;
                    script.set_attribute(SCRIPT_MARK, "").ok()?;
                    let parent = document.query_selector("head").ok().flatten()?;
                    parent.append_child(&script).ok()?;
                    Some(script)
                })
            }
        };
        let Some(script) = script else {
            return this.send(attempt, SdkInput::LoadFailed);
        };
        let generation = this.parts.generation.get();
        let weak = Rc::downgrade(this);
        let target = script.clone();
        // A script fires `load` or `error` once: the listener frees itself then.
        let on_done = Closure::once_into_js(move |event: JsValue| {
            let loaded = text_of(&event, "type") == "load" && video_id(flow).is_some();
            if !loaded {
                // A script that failed is no use to the next element: it adds its own.
                target.remove();
            }
            let current = weak
                .upgrade()
                .filter(|s| s.parts.generation.get() == generation);
            if let Some(this) = current {
                let input = if loaded {
                    SdkInput::Loaded
                } else {
                    SdkInput::LoadFailed
                };
                this.send(attempt, input);
            }
        });
        for name in ["load", "error"] {
            let _ = script.add_event_listener_with_callback(name, on_done.unchecked_ref());
        }
    }

    /// `EID.videoId(container, { lang })` (attended: `EID.videoIDAttended`),
    /// its listeners, `turnOn()`, `start()`.
    fn run_sdk(
        this: &Rc<Sdk>,
        attempt: u32,
        flow: SdkFlow,
        authorization: &str,
        id_type: u32,
        lang: &str,
    ) -> Result<(), JsValue> {
        let authorization = JsValue::from_str(authorization);
        let (eid, video_id) = video_id(flow).ok_or_else(|| JsValue::from_str(flow.global()))?;
        let document = this
            .ctx
            .host
            .owner_document()
            .ok_or_else(|| JsValue::from_str("document"))?;
        let container = document.create_element("div")?;
        container.set_attribute("slot", SLOT)?;
        this.ctx.host.append_child(&container)?;
        let slot = document.create_element("slot")?;
        slot.set_attribute("name", SLOT)?;
        this.ctx.stage.append_child(&slot)?;

        let options = Object::new();
        set(&options, "lang", &lang.into());
        let sdk = video_id.call2(&eid, &container, &options);
        let weak = Rc::downgrade(this);
        // Only the run it was started for hears the SDK: a stop ends the generation.
        let generation = this.parts.generation.get();
        let listener = |f: fn(&Rc<Sdk>, u32, JsValue)| {
            let weak = weak.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| {
                let current = weak
                    .upgrade()
                    .filter(|s| s.parts.generation.get() == generation);
                if let Some(this) = current {
                    f(&this, attempt, value);
                }
            })
        };
        let mut listeners = vec![
            listener(|this, attempt, phase| {
                this.send(attempt, SdkInput::Phase(text_of(&phase, "name")));
                // Only a capture still under way goes on to the phase.
                if this.run_is_current() {
                    let _ = call(&phase, "continue", &[]);
                }
            }),
            listener(|this, attempt, _| this.send(attempt, SdkInput::Completed)),
            listener(|this, attempt, error| this.send(attempt, sdk_failed(error))),
        ];
        let mut names = vec!["phaseStarting", "completed", "failed"];
        if flow == SdkFlow::Attended {
            listeners.extend([
                listener(|this, attempt, queued| {
                    let position = Reflect::get(&queued, &"position".into())
                        .ok()
                        .and_then(|p| p.as_f64())
                        .and_then(position);
                    let now_ms = js_sys::Date::now();
                    this.send(attempt, SdkInput::Queued { position, now_ms });
                }),
                listener(|this, attempt, _| this.send(attempt, SdkInput::AgentConnected)),
                listener(|this, attempt, _| this.send(attempt, SdkInput::AgentDisconnected)),
            ]);
            names.extend(["queued", "agentConnected", "agentDisconnected"]);
        }
        let run = Run {
            sdk: JsValue::UNDEFINED,
            container,
            slot,
            _listeners: Vec::new(),
        };
        // Kept before any call that may throw, so release() removes what was added.
        *this.parts.run.borrow_mut() = Some(run);
        let sdk = sdk?;
        for (name, listener) in names.iter().zip(&listeners) {
            call(&sdk, "on", &[&(*name).into(), listener.as_ref()])?;
        }
        if let Some(run) = this.parts.run.borrow_mut().as_mut() {
            run.sdk = sdk.clone();
            run._listeners = listeners;
        }
        call(&sdk, "turnOn", &[])?;
        let start = Object::new();
        set(&start, "authorization", &authorization);
        set(&start, "idType", &id_type.into());
        call(&sdk, "start", &[&start])?;
        Ok(())
    }
}

impl Sdk {
    /// Whether the SDK it started still runs (a stop or a failure releases it).
    fn run_is_current(&self) -> bool {
        self.parts.run.borrow().is_some()
    }
}
