//! The `#[wasm_bindgen]` handle the custom element drives, and the loop that
//! feeds the flow and carries out its effects.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, HtmlElement, MessageEvent};
use yew::Callback;

use super::backend;
use super::chunk::{self, Chunk};
use super::events::{emit, to_js, ResultDetail, StateDetail, StepDetail};
use super::frame::{Frame, Popup};
use super::i18n;
use super::media::{BrowserMedia, MediaAccess};
use super::native::NativeDevices;
use super::props::{from_js, Props};
use super::stage;
use super::storage;
use super::timers::Timer as JsTimer;
use crate::core::config::{Config, Handoff, Mode};
use crate::core::contract::ProcessView;
use crate::core::failure::Failure;
use crate::core::flow::{Effect, Emit, Flow, Input, State, Timer};
use crate::core::i18n::{Catalog, Lang, Text, Texts};
use crate::core::native::NativeInput;
use crate::core::origin::Origin;
use crate::core::protocol::{Inbound, RawMessage, ResumeRecord, VERSION};
use crate::core::qr::QrCode;
use crate::ui::{CaptureProps, View};

/// A listener the handle added, removed again on destroy.
type Listener = (
    web_sys::EventTarget,
    &'static str,
    Closure<dyn FnMut(Event)>,
);
/// What a listener does with its event.
type OnEvent = Box<dyn Fn(&Rc<Shared>, &Event)>;

/// The element's attributes that are set, by name.
type Attributes = Vec<(&'static str, String)>;

/// Everything one mounted element owns; dropped pieces clean up after themselves.
pub(super) struct Shared {
    pub(super) host: HtmlElement,
    pub(super) view: View,
    /// Where the view goes once the element's language is there.
    mount: Element,
    pub(super) stage: Element,
    pub(super) flow: RefCell<Flow>,
    attributes: RefCell<Attributes>,
    queue: RefCell<VecDeque<Input>>,
    busy: Cell<bool>,
    frame: RefCell<Option<Frame>>,
    popup: RefCell<Option<(Popup, JsTimer)>>,
    timers: RefCell<Vec<(Timer, JsTimer)>>,
    last_process: RefCell<JsValue>,
    listeners: RefCell<Vec<Listener>>,
    pub(super) media: Rc<dyn MediaAccess>,
    pub(super) devices: NativeDevices,
    pub(super) sdk: super::sdk::SdkParts,
    /// The shell's language-file loader (`loadStrings` in the props).
    loader: Option<js_sys::Function>,
    /// The shell's wasm chunk loader (`loadChunk` in the props, for [`chunk::load`]).
    chunk_loader: Option<js_sys::Function>,
    /// False until the first language is there: nothing is drawn before.
    ready: Cell<bool>,
    /// Set by `destroy()`: a language that arrives later draws nothing.
    destroyed: Cell<bool>,
    /// `start()` and `cancel()` called before that, carried out then.
    waiting: RefCell<Vec<Input>>,
}

/// One `<videoid-capture>` element's capture, driven by the JS element class.
#[wasm_bindgen]
pub struct CaptureHandle {
    shared: Rc<Shared>,
}

fn attribute(attributes: &Attributes, name: &str) -> Option<String> {
    attributes
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.clone())
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen]
impl CaptureHandle {
    /// Mounts the capture UI into `mount`; events go to `host`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        host: HtmlElement,
        mount: Element,
        props: JsValue,
    ) -> Result<CaptureHandle, JsValue> {
        CaptureHandle::with_media(host, mount, props, Rc::new(BrowserMedia))
    }

    /// Takes new attribute values; they apply from the next start (`lang` at once).
    pub fn update(&self, props: JsValue) {
        let attributes = Props::read(props).attributes;
        let lang = i18n::choose(attribute(&attributes, "lang").as_deref());
        let offer = Handoff::parse(attribute(&attributes, "handoff").as_deref());
        *self.shared.attributes.borrow_mut() = attributes;
        let changed = self.shared.flow.borrow().lang() != lang;
        self.shared.flow.borrow_mut().set_lang(lang);
        self.shared
            .flow
            .borrow_mut()
            .set_handoff(offer.unwrap_or(Handoff::Off));
        if changed {
            Shared::use_language(&self.shared, lang);
        }
        self.shared.render(false);
    }

    /// Takes the host's `texts` (text key → string); every screen shows them at once.
    #[wasm_bindgen(js_name = setTexts)]
    pub fn set_texts(&self, texts: JsValue) {
        let overrides = i18n::overrides(&texts);
        {
            let mut flow = self.shared.flow.borrow_mut();
            let texts = flow.texts().with_overrides(overrides);
            flow.set_texts(texts);
        }
        self.shared.render(false);
    }

    /// Starts the capture, or starts again after it ended.
    pub fn start(&self) {
        let config = self.shared.config();
        Shared::feed_when_ready(&self.shared, Input::Start(config));
    }

    /// Leaves the capture (`User.Cancelled`).
    pub fn cancel(&self) {
        Shared::feed_when_ready(&self.shared, Input::Cancel);
    }

    /// Stops everything (frame, popup, timers, listeners); no event follows.
    pub fn destroy(&self) {
        self.shared.destroyed.set(true);
        self.shared.waiting.borrow_mut().clear();
        Shared::feed(&self.shared, Input::Destroy);
        self.shared.unlisten();
        self.shared.timers.borrow_mut().clear();
        self.shared.frame.borrow_mut().take();
        self.shared.popup.borrow_mut().take();
        self.shared.devices.release();
        self.shared.sdk.release();
        self.shared.view.unmount();
    }

    /// The current state, as in the `state` attribute.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        self.shared.flow.borrow().state().as_str().to_string()
    }
}

impl CaptureHandle {
    /// Like [`CaptureHandle::new`], with camera and microphone from `media`
    /// (tests pass a double that answers with any `DOMException`).
    pub fn with_media(
        host: HtmlElement,
        mount: Element,
        props: JsValue,
        media: Rc<dyn MediaAccess>,
    ) -> Result<CaptureHandle, JsValue> {
        let Props {
            attributes,
            load_strings: loader,
            load_chunk: chunk_loader,
            texts,
        } = Props::read(props);
        let overrides = i18n::overrides(&texts);
        let stage = mount
            .owner_document()
            .and_then(|d| stage::new(&d))
            .ok_or_else(|| JsValue::from_str("videoid-capture: cannot build the stage"))?;
        let lang = i18n::choose(attribute(&attributes, "lang").as_deref());
        let mut flow = Flow::new(lang);
        flow.set_handoff(
            Handoff::parse(attribute(&attributes, "handoff").as_deref()).unwrap_or(Handoff::Off),
        );
        flow.set_texts(Texts::new(None, overrides));
        // The QR encoder lives in the handoff chunk: the handoff's POST loads it first.
        flow.set_qr_encoder(|link| chunk::enter(QrCode::encode, link));
        let shared = Rc::new_cyclic(|weak: &Weak<Shared>| Shared {
            host,
            view: View::new(Shared::props(weak, &flow, stage.clone())),
            mount,
            stage,
            flow: RefCell::new(flow),
            attributes: RefCell::new(attributes),
            queue: RefCell::new(VecDeque::new()),
            busy: Cell::new(false),
            frame: RefCell::new(None),
            popup: RefCell::new(None),
            timers: RefCell::new(Vec::new()),
            last_process: RefCell::new(JsValue::NULL),
            listeners: RefCell::new(Vec::new()),
            media,
            devices: NativeDevices::default(),
            sdk: Default::default(),
            loader,
            chunk_loader,
            ready: Cell::new(false),
            destroyed: Cell::new(false),
            waiting: RefCell::new(Vec::new()),
        });
        Shared::listen(&shared);
        let _ = shared.host.set_attribute("state", State::Idle.as_str());
        Shared::use_language(&shared, lang);
        Ok(CaptureHandle { shared })
    }

    /// How many camera and microphone tracks the element holds live (for tests).
    pub fn live_tracks(&self) -> u32 {
        self.shared.devices.live_tracks()
    }
}

impl Drop for CaptureHandle {
    fn drop(&mut self) {
        self.destroy();
    }
}

impl Shared {
    /// Loads `chunk` through the shell before its code is entered (see
    /// [`chunk::load`]); the future holds no borrow of the element.
    fn load_chunk(&self, chunk: Chunk) -> impl std::future::Future<Output = Result<(), Failure>> {
        let loader = self.chunk_loader.clone();
        async move { chunk::load(loader.as_ref(), chunk).await }
    }

    /// The UI's first props: the flow's screen, and callbacks into this element.
    fn props(weak: &Weak<Shared>, flow: &Flow, stage: Element) -> CaptureProps {
        let inputs = weak.clone();
        let files = weak.clone();
        let config = weak.clone();
        CaptureProps {
            state: flow.state(),
            screen: Rc::new(flow.screen()),
            attempt: flow.attempt(),
            upload: 0.0,
            focus: 0,
            stage: Some(stage),
            on_input: Callback::from(move |input| {
                if let Some(shared) = inputs.upgrade() {
                    Shared::feed(&shared, input);
                }
            }),
            config: Callback::from(move |()| match config.upgrade() {
                Some(shared) => shared.config(),
                None => Err(Failure::BrowserUnsupported),
            }),
            on_file: Callback::from(move |file| {
                if let Some(shared) = files.upgrade() {
                    Shared::on_file_chosen(&shared, file);
                }
            }),
        }
    }

    /// Shows `lang` now if the page has its strings, else once they arrive
    /// (the current strings stay until then).
    fn use_language(this: &Rc<Shared>, lang: Lang) {
        if let Some(catalog) = i18n::ready(lang) {
            Shared::show_language(this, catalog);
            return;
        }
        let weak = Rc::downgrade(this);
        let loader = this.loader.clone();
        crate::spawn(async move {
            let catalog = i18n::load(loader, lang).await;
            if let Some(shared) = weak.upgrade() {
                // A later choice wins over a late answer.
                if shared.flow.borrow().lang() == lang {
                    Shared::show_language(&shared, catalog);
                }
            }
        });
    }

    /// Shows the strings of `catalog` (`None`: English); the first time, the
    /// element becomes ready: it draws, says so, and resumes a redirect.
    fn show_language(this: &Rc<Shared>, catalog: Option<Rc<Catalog>>) {
        {
            let mut flow = this.flow.borrow_mut();
            let texts = flow.texts().with_catalog(catalog);
            flow.set_texts(texts);
        }
        if this.destroyed.get() {
            return;
        }
        if this.ready.replace(true) {
            this.render(false);
            return;
        }
        this.render(false);
        if this.view.attach(&this.mount).is_none() {
            i18n::warn("videoid-capture: cannot mount the view");
        }
        this.emit("videoid-ready", &js_sys::Object::new());
        if let Some(params) = storage::take_return() {
            let config = this.config();
            Shared::feed(this, Input::Resume(config, params));
        }
        let waiting = this.waiting.take();
        for input in waiting {
            Shared::feed(this, input);
        }
    }

    /// Feeds `input` now, or once the element is ready (so a capture started
    /// at once speaks the element's language from its first event).
    fn feed_when_ready(this: &Rc<Shared>, input: Input) {
        if this.ready.get() {
            Shared::feed(this, input);
        } else {
            this.waiting.borrow_mut().push(input);
        }
    }

    fn page_origin() -> Option<Origin> {
        Origin::parse(&super::window()?.location().origin().ok()?).ok()
    }

    /// Reads the configuration from the current attributes.
    fn config(&self) -> Result<Config, Failure> {
        let window = super::window().ok_or(Failure::BrowserUnsupported)?;
        if !window.is_secure_context() {
            return Err(Failure::InsecureContext);
        }
        let page = Shared::page_origin().ok_or(Failure::InsecureContext)?;
        let attributes = self.attributes.borrow();
        Config::parse(|name| attribute(&attributes, name), &page)
    }

    fn parent_origin(&self) -> Option<Origin> {
        self.flow
            .borrow()
            .config()
            .and_then(|c| c.parent_origin.clone())
    }

    fn emit(&self, name: &str, detail: &JsValue) {
        emit(&self.host, name, detail, self.parent_origin().as_ref());
    }

    /// Queues `input` and, unless already inside the loop, runs it: events
    /// dispatched by an effect may call back into the handle synchronously.
    pub(super) fn feed(this: &Rc<Shared>, input: Input) {
        this.queue.borrow_mut().push_back(input);
        if this.busy.replace(true) {
            return;
        }
        loop {
            let next = this.queue.borrow_mut().pop_front();
            let Some(input) = next else { break };
            let effects = this.flow.borrow_mut().step(input);
            for effect in effects {
                Shared::apply(this, effect);
            }
        }
        this.busy.set(false);
    }

    /// A callback that feeds what `make` returns, if the element still exists.
    fn feeder(
        this: &Rc<Shared>,
        make: impl Fn() -> Option<Input> + 'static,
    ) -> impl FnMut() + 'static {
        let weak = Rc::downgrade(this);
        move || {
            if let (Some(shared), Some(input)) = (weak.upgrade(), make()) {
                Shared::feed(&shared, input);
            }
        }
    }

    fn apply(this: &Rc<Shared>, effect: Effect) {
        match effect {
            Effect::Handoff {
                attempt,
                method,
                url,
            } => {
                let (mode, lang) = this.mode_and_lang();
                let weak = Rc::downgrade(this);
                // A new link is shown as a QR code: its encoder's chunk first.
                let loading = (method == "POST").then(|| this.load_chunk(Chunk::Handoff));
                crate::spawn(async move {
                    let ready = match loading {
                        Some(loading) => loading.await,
                        None => Ok(()),
                    };
                    let answer = match ready {
                        Ok(()) => backend::handoff(method, &url, mode, lang).await,
                        Err(failure) => Err(failure),
                    };
                    // A revoke is best effort: its answer changes nothing.
                    if let (Some(shared), false) = (weak.upgrade(), method == "DELETE") {
                        Shared::feed(&shared, Input::HandoffAnswered { attempt, answer });
                    }
                });
            }
            Effect::FetchSession { attempt, endpoint } => {
                let (mode, lang) = this.mode_and_lang();
                let weak = Rc::downgrade(this);
                crate::spawn(async move {
                    let answer = backend::request_session(&endpoint, mode, lang).await;
                    if let Some(shared) = weak.upgrade() {
                        let now_ms = now_ms();
                        let seed = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
                        Shared::feed(
                            &shared,
                            Input::SessionLoaded {
                                attempt,
                                answer,
                                now_ms,
                                seed,
                            },
                        );
                    }
                });
            }
            Effect::FetchResult {
                attempt,
                endpoint,
                dossier_id,
                process_id,
            } => {
                let weak = Rc::downgrade(this);
                crate::spawn(async move {
                    let answer = backend::request_result(&endpoint, &dossier_id, &process_id).await;
                    let Some(shared) = weak.upgrade() else { return };
                    let result = answer.map(|(process, raw)| {
                        *shared.last_process.borrow_mut() = raw;
                        ProcessView::from(process)
                    });
                    Shared::feed(&shared, Input::ResultLoaded { attempt, result });
                });
            }
            Effect::ShowFrame {
                attempt,
                url,
                origin,
            } => Shared::show_frame(this, attempt, &url, &origin),
            Effect::RemoveFrame => {
                this.frame.borrow_mut().take();
            }
            Effect::OpenPopup {
                attempt,
                url,
                origin,
            } => match Popup::open(&url, &origin) {
                Some(popup) => {
                    let weak = Rc::downgrade(this);
                    let watch = JsTimer::every(500, move || {
                        let Some(shared) = weak.upgrade() else { return };
                        let closed = shared
                            .popup
                            .borrow()
                            .as_ref()
                            .is_some_and(|(p, _)| p.is_closed());
                        if closed {
                            Shared::feed(&shared, Input::PopupClosed { attempt });
                        }
                    });
                    if let Some(watch) = watch {
                        *this.popup.borrow_mut() = Some((popup, watch));
                    }
                }
                None => this
                    .queue
                    .borrow_mut()
                    .push_back(Input::PopupBlocked { attempt }),
            },
            Effect::ClosePopup => {
                this.popup.borrow_mut().take();
            }
            Effect::Redirect { url, dossier_id } => {
                if let Some(window) = super::window() {
                    let return_to = window.location().href().unwrap_or_default();
                    storage::save_resume(&ResumeRecord {
                        v: VERSION,
                        dossier_id,
                        return_to,
                    });
                    let _ = window.location().assign(&url);
                }
            }
            Effect::StartTimer { attempt, timer, ms } => {
                let fire = Shared::feeder(this, move || Some(Input::TimerFired { attempt, timer }));
                // Dropping the old timer of the same kind clears it.
                let mut timers = this.timers.borrow_mut();
                timers.retain(|(kind, _)| *kind != timer);
                if let Some(t) = JsTimer::once(ms, fire) {
                    timers.push((timer, t));
                }
            }
            Effect::ClearTimer(timer) => {
                this.timers.borrow_mut().retain(|(kind, _)| *kind != timer);
            }
            Effect::Emit(event) => this.emit_flow_event(event),
            Effect::Native { attempt, effect } => Shared::apply_native(this, attempt, effect),
            Effect::Sdk { attempt, effect } => Shared::apply_sdk(this, attempt, effect),
            Effect::Render => this.render(true),
        }
    }

    /// The `mode` and `lang` sent with session and handoff requests.
    fn mode_and_lang(&self) -> (&'static str, &'static str) {
        let flow = self.flow.borrow();
        let mode = match flow.config().map(|c| c.mode) {
            Some(Mode::Embed) => "embed",
            Some(Mode::Native) => "native",
            Some(Mode::Sdk) => "sdk",
            _ => "auto",
        };
        (mode, flow.lang().tag())
    }

    fn show_frame(this: &Rc<Shared>, attempt: u32, url: &str, origin: &str) {
        let title = this.flow.borrow().texts().get(Text::FrameTitle).to_string();
        let weak = Rc::downgrade(this);
        let on_load = move || {
            let Some(shared) = weak.upgrade() else { return };
            let back = shared
                .frame
                .borrow()
                .as_ref()
                .and_then(Frame::same_origin_return);
            Shared::feed(&shared, Input::FrameLoaded { attempt });
            if let Some(params) = back {
                Shared::feed(&shared, Input::Returned { attempt, params });
            }
        };
        let frame = Frame::show(&this.stage, url, origin, &title, on_load);
        *this.frame.borrow_mut() = frame;
    }

    fn emit_flow_event(&self, event: Emit) {
        match event {
            Emit::State { state, previous } => {
                let _ = self.host.set_attribute("state", state.as_str());
                let detail = StateDetail {
                    state: state.as_str(),
                    previous: previous.as_str(),
                };
                self.emit("videoid-state", &to_js(&detail));
            }
            Emit::Complete(params) => self.emit("videoid-complete", &to_js(&params)),
            Emit::Result(params, status) => {
                let detail = ResultDetail {
                    dossier_id: params.dossier_id.as_str(),
                    process_id: params.process_id.as_str(),
                    status: &status,
                    process: self.last_process.borrow().clone(),
                };
                self.emit("videoid-result", &to_js(&detail));
            }
            Emit::Failed(report) => self.emit("videoid-failed", &to_js(&report)),
            Emit::Cancel => self.emit("videoid-cancel", &js_sys::Object::new()),
            Emit::Step {
                step,
                auto,
                quality,
            } => {
                // The report is JSON already: it travels as text with the upload.
                let quality = quality
                    .and_then(|q| js_sys::JSON::parse(&q).ok())
                    .unwrap_or(JsValue::NULL);
                let detail = StepDetail {
                    step,
                    auto,
                    quality,
                };
                self.emit("videoid-step", &to_js(&detail));
            }
            Emit::Handoff(status) => {
                let detail = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&detail, &"status".into(), &status.into());
                self.emit("videoid-handoff", &detail);
            }
            // The SDK captures by itself: each of its phases is an automatic step.
            Emit::SdkStep(step) => {
                let detail = StepDetail {
                    step: &step,
                    auto: true,
                    quality: JsValue::NULL,
                };
                self.emit("videoid-step", &to_js(&detail));
            }
        }
    }

    /// Shows the current screen; with `move_focus`, takes focus along when it was inside.
    pub(super) fn render(&self, move_focus: bool) {
        if !self.ready.get() {
            return;
        }
        let (state, screen, attempt, sdk_step) = {
            let flow = self.flow.borrow();
            let sdk_step = flow.sdk_step().map(str::to_string);
            (flow.state(), flow.screen(), flow.attempt(), sdk_step)
        };
        // Asked now, before the UI redraws and may drop the button that holds focus.
        let focus_inside = move_focus
            && super::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|a| a.is_same_node(Some(&self.host)));
        match screen
            .native
            .as_ref()
            .map(|n| n.step)
            .or(sdk_step.as_deref())
            .or(screen.handoff.as_ref().map(|_| "handoff"))
        {
            Some(step) => self.host.set_attribute("step", step),
            None => self.host.remove_attribute("step"),
        }
        .ok();
        let into_frame = focus_inside && state == State::Capturing && self.frame.borrow().is_some();
        self.view.show(|props| {
            props.state = state;
            props.screen = Rc::new(screen);
            props.attempt = attempt;
            props.upload = 0.0;
            if focus_inside && !into_frame {
                props.focus = props.focus.wrapping_add(1).max(1);
            }
        });
        if into_frame {
            if let Some(frame) = self.frame.borrow().as_ref() {
                frame.focus();
            }
        }
    }

    /// Moves the progress bar within the step being uploaded (0.0–1.0).
    pub(super) fn show_upload_progress(&self, fraction: f64) {
        self.view.show(|props| props.upload = fraction);
    }

    fn on_message(this: &Rc<Shared>, event: &MessageEvent) {
        let Some(raw) = from_js::<RawMessage>(event.data()) else {
            return;
        };
        let Some(inbound) = raw.parse() else { return };
        let Some(source) = event.source().map(JsValue::from) else {
            return;
        };
        let origin = event.origin();
        let attempt = this.flow.borrow().attempt();
        let from_frame = this
            .frame
            .borrow()
            .as_ref()
            .map(|f| (f.is_source(&source), f.origin().to_string()));
        let from_popup = this
            .popup
            .borrow()
            .as_ref()
            .map(|(p, _)| (p.is_source(&source), p.origin().to_string()));
        let Some(capture_origin) = [from_frame, from_popup]
            .into_iter()
            .flatten()
            .find_map(|(is_source, origin)| is_source.then_some(origin))
        else {
            return; // not from our own frame or popup
        };
        let page_origin = Shared::page_origin().map(|o| o.to_string());
        match inbound {
            // The return page lives on the host's own origin.
            Inbound::Return(params) if Some(&origin) == page_origin.as_ref() => {
                Shared::feed(this, Input::Returned { attempt, params })
            }
            Inbound::Activity if origin == capture_origin => {
                Shared::feed(this, Input::Activity { attempt })
            }
            _ => {}
        }
    }

    fn unlisten(&self) {
        for (target, name, closure) in self.listeners.borrow_mut().drain(..) {
            let _ =
                target.remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        }
    }

    fn listen(this: &Rc<Shared>) {
        let mut listeners = Vec::new();
        let mut add = |target: web_sys::EventTarget, name: &'static str, f: OnEvent| {
            let weak: Weak<Shared> = Rc::downgrade(this);
            let closure = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                if let Some(shared) = weak.upgrade() {
                    f(&shared, &event);
                }
            });
            if target
                .add_event_listener_with_callback(name, closure.as_ref().unchecked_ref())
                .is_ok()
            {
                listeners.push((target, name, closure));
            }
        };
        if let Some(window) = super::window() {
            add(
                window.into(),
                "message",
                Box::new(|shared, event| {
                    if let Some(event) = event.dyn_ref::<MessageEvent>() {
                        Shared::on_message(shared, event);
                    }
                }),
            );
        }
        let native = |input: fn() -> NativeInput| -> OnEvent {
            Box::new(move |shared: &Rc<Shared>, _: &Event| {
                let attempt = shared.flow.borrow().attempt();
                Shared::feed(
                    shared,
                    Input::Native {
                        attempt,
                        input: input(),
                    },
                );
            })
        };
        if let Some(window) = super::window() {
            if let Some(document) = window.document() {
                add(
                    document.into(),
                    "visibilitychange",
                    Box::new(|shared, _| {
                        let hidden = super::window()
                            .and_then(|w| w.document())
                            .is_some_and(|d| d.hidden());
                        let input = if hidden {
                            NativeInput::Hidden
                        } else {
                            NativeInput::Visible
                        };
                        let attempt = shared.flow.borrow().attempt();
                        Shared::feed(shared, Input::Native { attempt, input });
                    }),
                );
            }
            // Leaving the page (or entering the back-forward cache) releases the
            // camera; a web SDK capture ends (the SDK cannot pause).
            add(
                window.clone().into(),
                "pagehide",
                Box::new(|shared, _| {
                    let attempt = shared.flow.borrow().attempt();
                    let input = NativeInput::Hidden;
                    Shared::feed(shared, Input::Native { attempt, input });
                    let input = crate::core::sdk::SdkInput::PageHidden;
                    Shared::feed(shared, Input::Sdk { attempt, input });
                }),
            );
            add(window.into(), "pageshow", native(|| NativeInput::Visible));
        }
        *this.listeners.borrow_mut() = listeners;
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.unlisten();
    }
}
