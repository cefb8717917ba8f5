//! The `#[wasm_bindgen]` handle the custom element drives. It feeds the
//! flow's inputs, hands each effect to its executor (backend calls, timers,
//! events, the hosted page, and the executor of the run under way), and hands
//! the screen to the UI. It decides nothing.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, HtmlElement, MessageEvent};
use yew::Callback;

use super::chunk;
use super::events::Emitter;
use super::hosted::{page_origin, HostedExecutor};
use super::media::{BrowserMedia, MediaAccess};
use super::props::Props;
use super::run::{Ctx, Executor, RunEffect};
use super::sender::Sender;
use super::timers::FlowTimers;
use super::{backend, handoff, i18n, native, sdk, stage, storage};
use crate::core::config::{Config, Credentials, Handoff};
use crate::core::failure::Failure;
use crate::core::flow::{Chunk, Effect, Flow, Input, Kit, State};
use crate::core::i18n::{Catalog, Lang, Texts};
use crate::core::native::NativeInput;
use crate::core::sdk::SdkInput;
use crate::ui::{CaptureProps, Intent, View};

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
struct Shared {
    host: HtmlElement,
    view: View,
    /// Where the view goes once the element's language is there.
    mount: Element,
    stage: Element,
    flow: RefCell<Flow>,
    attributes: RefCell<Attributes>,
    queue: RefCell<VecDeque<Input>>,
    busy: Cell<bool>,
    /// What every executor's [`Sender`] feeds (held here only).
    feed: Rc<dyn Fn(Input)>,
    hosted: HostedExecutor,
    timers: FlowTimers,
    emitter: Emitter,
    /// The executors of the runs whose chunk arrived.
    runs: RefCell<Vec<(Chunk, Box<dyn Executor>)>>,
    listeners: RefCell<Vec<Listener>>,
    media: Rc<dyn MediaAccess>,
    /// The shell's language-file loader (`loadStrings` in the props).
    strings: Option<js_sys::Function>,
    /// The shell's chunk loader (`loadChunk` in the props).
    chunks: Option<js_sys::Function>,
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
        let changed = {
            let mut flow = self.shared.flow.borrow_mut();
            let changed = flow.lang() != lang;
            flow.set_lang(lang);
            flow.set_handoff(offer.unwrap_or(Handoff::Off));
            changed
        };
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
        self.shared.relabel();
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

    /// Stops everything (frame, popup, camera, SDK, timers, listeners); no event follows.
    pub fn destroy(&self) {
        let shared = &self.shared;
        shared.destroyed.set(true);
        shared.waiting.borrow_mut().clear();
        Shared::feed(shared, Input::Destroy);
        shared.unlisten();
        shared.timers.clear_all();
        shared.hosted.release();
        for (_, run) in shared.runs.borrow().iter() {
            run.release();
        }
        shared.view.unmount();
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
            load_strings,
            load_chunk,
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
        let shared = Rc::new_cyclic(|weak: &Weak<Shared>| {
            let feed: Rc<dyn Fn(Input)> = {
                let weak = weak.clone();
                Rc::new(move |input| {
                    if let Some(shared) = weak.upgrade() {
                        Shared::feed(&shared, input);
                    }
                })
            };
            let sender = Sender::new(&feed);
            Shared {
                view: View::new(Shared::props(weak, &flow, stage.clone())),
                hosted: HostedExecutor::new(sender.clone(), stage.clone()),
                timers: FlowTimers::new(sender),
                emitter: Emitter::new(host.clone()),
                host,
                mount,
                stage,
                flow: RefCell::new(flow),
                attributes: RefCell::new(attributes),
                queue: RefCell::new(VecDeque::new()),
                busy: Cell::new(false),
                feed,
                runs: RefCell::new(Vec::new()),
                listeners: RefCell::new(Vec::new()),
                media,
                strings: load_strings,
                chunks: load_chunk,
                ready: Cell::new(false),
                destroyed: Cell::new(false),
                waiting: RefCell::new(Vec::new()),
            }
        });
        Shared::listen(&shared);
        let _ = shared.host.set_attribute("state", State::Idle.as_str());
        Shared::use_language(&shared, lang);
        Ok(CaptureHandle { shared })
    }

    /// How many camera and microphone tracks the element holds live (for tests).
    pub fn live_tracks(&self) -> u32 {
        self.shared
            .runs
            .borrow()
            .iter()
            .map(|(_, run)| run.live_tracks())
            .sum()
    }
}

impl Drop for CaptureHandle {
    fn drop(&mut self) {
        self.destroy();
    }
}

impl Shared {
    /// The UI's first props: the flow's screen, and where the user's intents go.
    fn props(weak: &Weak<Shared>, flow: &Flow, stage: Element) -> CaptureProps {
        let weak = weak.clone();
        CaptureProps {
            state: flow.state(),
            screen: Rc::new(flow.screen()),
            attempt: flow.attempt(),
            upload: 0.0,
            focus: 0,
            stage: Some(stage),
            on_intent: Callback::from(move |intent| {
                if let Some(shared) = weak.upgrade() {
                    Shared::on_intent(&shared, intent);
                }
            }),
        }
    }

    /// What the user did: a flow input (start, retry and the handoff with the
    /// configuration read now), or a picked file for the native capture.
    fn on_intent(this: &Rc<Shared>, intent: Intent) {
        if let Intent::File(file) = intent {
            let attempt = this.flow.borrow().attempt();
            if let Some((_, run)) = this.runs.borrow().iter().find(|(c, _)| *c == Chunk::Native) {
                run.file_chosen(attempt, file);
            }
            return;
        }
        if let Some(input) = intent.input(|| this.config()) {
            Shared::feed(this, input);
        }
    }

    /// What an executor may use of this element.
    fn ctx(this: &Rc<Shared>) -> Ctx {
        let weak = Rc::downgrade(this);
        Ctx {
            sender: Sender::new(&this.feed),
            host: this.host.clone(),
            stage: this.stage.clone(),
            media: this.media.clone(),
            chunks: this.chunks.clone(),
            progress: Rc::new(move |fraction| {
                if let Some(shared) = weak.upgrade() {
                    shared.view.show(|props| props.upload = fraction);
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
        let loader = this.strings.clone();
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
        this.relabel();
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
        this.emitter.emit("videoid-ready", &js_sys::Object::new());
        if let Some(params) = storage::take_return() {
            let config = this.config();
            Shared::feed(this, Input::Resume(config, params));
        }
        let waiting = this.waiting.take();
        for input in waiting {
            Shared::feed(this, input);
        }
    }

    /// Tells the executors the strings changed.
    fn relabel(&self) {
        let flow = self.flow.borrow();
        for (_, run) in self.runs.borrow().iter() {
            run.relabel(flow.texts());
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

    /// Reads the configuration from the current attributes.
    fn config(&self) -> Result<Config, Failure> {
        let window = super::window().ok_or(Failure::BrowserUnsupported)?;
        if !window.is_secure_context() {
            return Err(Failure::InsecureContext);
        }
        let page = page_origin().ok_or(Failure::InsecureContext)?;
        let attributes = self.attributes.borrow();
        Config::parse(|name| attribute(&attributes, name), &page)
    }

    /// Queues `input` and, unless already inside the loop, runs it: events
    /// dispatched by an effect may call back into the handle synchronously.
    fn feed(this: &Rc<Shared>, input: Input) {
        this.queue.borrow_mut().push_back(input);
        if this.busy.replace(true) {
            return;
        }
        loop {
            let next = this.queue.borrow_mut().pop_front();
            let Some(input) = next else { break };
            // A new attempt posts its events where its own configuration says.
            let parent = match &input {
                Input::Start(Ok(c)) | Input::Handoff(Ok(c)) | Input::Resume(Ok(c), _) => {
                    Some(c.parent_origin.clone())
                }
                Input::Start(Err(_)) | Input::Handoff(Err(_)) | Input::Resume(Err(_), _) => {
                    Some(None)
                }
                _ => None,
            };
            let before = this.flow.borrow().attempt();
            let effects = this.flow.borrow_mut().step(input);
            if let (Some(parent), true) = (parent, this.flow.borrow().attempt() != before) {
                this.emitter.set_parent(parent);
            }
            for effect in effects {
                Shared::apply(this, effect);
            }
        }
        this.busy.set(false);
    }

    /// Hands `effect` to its executor.
    fn apply(this: &Rc<Shared>, effect: Effect) {
        match effect {
            Effect::FetchSession { .. } | Effect::FetchResult { .. } | Effect::Handoff { .. } => {
                let credentials = this
                    .flow
                    .borrow()
                    .config()
                    .map_or(Credentials::SameOrigin, |c| c.credentials);
                backend::carry_out(
                    effect,
                    credentials,
                    &Sender::new(&this.feed),
                    &this.emitter.process_slot(),
                )
            }
            Effect::LoadChunk { attempt, chunk } => Shared::load_chunk(this, attempt, chunk),
            Effect::ShowFrame {
                attempt,
                url,
                origin,
                title,
            } => this.hosted.show_frame(attempt, &url, &origin, &title),
            Effect::RemoveFrame => this.hosted.remove_frame(),
            Effect::OpenPopup {
                attempt,
                url,
                origin,
            } => this.hosted.open_popup(attempt, &url, &origin),
            Effect::ClosePopup => this.hosted.close_popup(),
            Effect::Redirect { url, dossier_id } => this.hosted.redirect(&url, dossier_id),
            Effect::StartTimer { attempt, timer, ms } => this.timers.start(attempt, timer, ms),
            Effect::ClearTimer(timer) => this.timers.clear(timer),
            Effect::Emit(event) => this.emitter.flow_event(event),
            Effect::Native { attempt, effect } => {
                this.run_effect(Chunk::Native, attempt, RunEffect::Native(effect))
            }
            Effect::Sdk { attempt, effect } => {
                this.run_effect(Chunk::Sdk, attempt, RunEffect::Sdk(effect))
            }
            Effect::CopyLink { attempt, url } => {
                this.run_effect(Chunk::Handoff, attempt, RunEffect::CopyLink(url))
            }
            Effect::Render => this.render(true),
        }
    }

    fn run_effect(&self, chunk: Chunk, attempt: u32, effect: RunEffect) {
        if let Some((_, run)) = self.runs.borrow().iter().find(|(c, _)| *c == chunk) {
            run.apply(attempt, effect);
        }
    }

    /// Has the shell bring `chunk`, then makes its executor and hands its kit to the flow.
    fn load_chunk(this: &Rc<Shared>, attempt: u32, chunk: Chunk) {
        let loader = this.chunks.clone();
        let weak = Rc::downgrade(this);
        crate::spawn(async move {
            let loaded = chunk::load(loader.as_ref(), chunk).await;
            let Some(shared) = weak.upgrade() else { return };
            let kit = loaded.map(|()| Shared::enter(&shared, chunk));
            Shared::feed(&shared, Input::ChunkLoaded { attempt, kit });
        });
    }

    /// The kit of a chunk that is there, its executor made once per element.
    fn enter(this: &Rc<Shared>, chunk: Chunk) -> &'static dyn Kit {
        let entry = chunk::enter(match chunk {
            Chunk::Native => native::entry,
            Chunk::Sdk => sdk::entry,
            Chunk::Handoff => handoff::entry,
        });
        let made = this.runs.borrow().iter().any(|(c, _)| *c == chunk);
        if !made {
            let run = (entry.executor)(Shared::ctx(this));
            run.relabel(this.flow.borrow().texts());
            this.runs.borrow_mut().push((chunk, run));
        }
        entry.kit
    }

    /// Shows the current screen; with `move_focus`, takes focus along when it was inside.
    fn render(&self, move_focus: bool) {
        if !self.ready.get() {
            return;
        }
        let (state, screen, attempt) = {
            let flow = self.flow.borrow();
            (flow.state(), flow.screen(), flow.attempt())
        };
        // Asked now, before the UI redraws and may drop the button that holds focus.
        let focus_inside = move_focus
            && super::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|a| a.is_same_node(Some(&self.host)));
        match screen.step.as_deref() {
            Some(step) => self.host.set_attribute("step", step),
            None => self.host.remove_attribute("step"),
        }
        .ok();
        let into_frame = focus_inside && state == State::Capturing && self.hosted.has_frame();
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
            self.hosted.focus_frame();
        }
    }

    fn unlisten(&self) {
        for (target, name, closure) in self.listeners.borrow_mut().drain(..) {
            let _ =
                target.remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        }
    }

    /// Feeds `input` for the current attempt.
    fn feed_now(this: &Rc<Shared>, input: impl FnOnce(u32) -> Input) {
        let attempt = this.flow.borrow().attempt();
        Shared::feed(this, input(attempt));
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
        let native = |input: NativeInput| move |attempt| Input::Native { attempt, input };
        if let Some(window) = super::window() {
            add(
                window.clone().into(),
                "message",
                Box::new(|shared, event| {
                    if let Some(event) = event.dyn_ref::<MessageEvent>() {
                        shared.hosted.on_message(event);
                    }
                }),
            );
            if let Some(document) = window.document() {
                add(
                    document.into(),
                    "visibilitychange",
                    Box::new(move |shared, _| {
                        let hidden = super::window()
                            .and_then(|w| w.document())
                            .is_some_and(|d| d.hidden());
                        let input = if hidden {
                            NativeInput::Hidden
                        } else {
                            NativeInput::Visible
                        };
                        Shared::feed_now(shared, native(input));
                    }),
                );
            }
            // Leaving the page (or entering the back-forward cache) releases the
            // camera; a web SDK capture ends (the SDK cannot pause).
            add(
                window.clone().into(),
                "pagehide",
                Box::new(move |shared, _| {
                    Shared::feed_now(shared, native(NativeInput::Hidden));
                    Shared::feed_now(shared, |attempt| Input::Sdk {
                        attempt,
                        input: SdkInput::PageHidden,
                    });
                }),
            );
            add(
                window.into(),
                "pageshow",
                Box::new(move |shared, _| Shared::feed_now(shared, native(NativeInput::Visible))),
            );
        }
        *this.listeners.borrow_mut() = listeners;
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.unlisten();
    }
}
