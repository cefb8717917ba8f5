#![cfg(target_arch = "wasm32")]
//! Helpers shared by the wasm-bindgen-test suites: a host element with an
//! event log, waits, and a scripted media double.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use videoid_capture::core::native::{Device, MediaError};
use videoid_capture::media::{BrowserMedia, MediaAccess, MediaFuture, MediaRequest};
use videoid_capture::CaptureHandle;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, HtmlIFrameElement};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub fn origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}

/// A host element with an event log, and a mount div inside it.
pub struct Host {
    pub host: HtmlElement,
    pub mount: Element,
    pub log: Array,
    _record: Vec<Closure<dyn FnMut(web_sys::CustomEvent)>>,
}

pub const EVENTS: [&str; 7] = [
    "videoid-ready",
    "videoid-state",
    "videoid-complete",
    "videoid-result",
    "videoid-failed",
    "videoid-cancel",
    "videoid-step",
];

impl Host {
    pub fn new() -> Host {
        let host: HtmlElement = document()
            .create_element("section")
            .unwrap()
            .dyn_into()
            .unwrap();
        let mount = document().create_element("div").unwrap();
        host.append_child(&mount).unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        let log = Array::new();
        let mut record = Vec::new();
        for name in EVENTS {
            let log = log.clone();
            let closure =
                Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                    let entry = Object::new();
                    Reflect::set(&entry, &"type".into(), &e.type_().into()).unwrap();
                    Reflect::set(&entry, &"detail".into(), &e.detail()).unwrap();
                    Reflect::set(&entry, &"bubbles".into(), &e.bubbles().into()).unwrap();
                    Reflect::set(&entry, &"composed".into(), &e.composed().into()).unwrap();
                    log.push(&entry);
                });
            host.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref())
                .unwrap();
            record.push(closure);
        }
        Host {
            host,
            mount,
            log,
            _record: record,
        }
    }

    pub fn handle(&self, props: &[(&str, &str)]) -> CaptureHandle {
        CaptureHandle::new(self.host.clone(), self.mount.clone(), props_of(props)).unwrap()
    }

    pub fn events(&self, name: &str) -> Vec<JsValue> {
        self.log
            .iter()
            .filter(|e| get(e, "type").as_string().as_deref() == Some(name))
            .map(|e| get(&e, "detail"))
            .collect()
    }

    /// Waits (polling every 20 ms, at most `ms`) until `name` has been emitted `count` times.
    pub async fn wait_for(&self, name: &str, count: usize, ms: u32) -> Vec<JsValue> {
        let mut waited = 0;
        while self.events(name).len() < count && waited < ms {
            sleep(20).await;
            waited += 20;
        }
        self.events(name)
    }

    pub fn state(&self) -> String {
        self.host.get_attribute("state").unwrap_or_default()
    }

    pub fn part(&self, part: &str) -> Option<Element> {
        self.mount
            .query_selector(&format!("[part~=\"{part}\"]"))
            .unwrap()
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.host.remove();
    }
}

pub fn props_of(pairs: &[(&str, &str)]) -> JsValue {
    let props = object_of(pairs);
    Reflect::set(&props, &"loadStrings".into(), &load_strings()).unwrap();
    Reflect::set(&props, &"loadChunk".into(), &load_chunk()).unwrap();
    props
}

/// A wasm chunk loader like the shell's: a test wasm is one piece, with
/// every chunk's code in it, so there is nothing to load.
pub fn load_chunk() -> JsValue {
    Function::new_with_args("name", "return Promise.resolve();").into()
}

/// A plain object of strings.
pub fn object_of(pairs: &[(&str, &str)]) -> JsValue {
    let object = Object::new();
    for (k, v) in pairs {
        Reflect::set(&object, &(*k).into(), &(*v).into()).unwrap();
    }
    object.into()
}

/// A loader like the shell's, with some of the real language files: it
/// answers asynchronously, and rejects for the others.
pub fn load_strings() -> JsValue {
    let body = format!(
        "const files = {{ nb: {}, de: {}, ar: {} }};\n\
         return new Promise((resolve, reject) => setTimeout(() =>\n\
           tag in files ? resolve(files[tag]) : reject(new Error(`HTTP 404 for ${{tag}}`)), 5));",
        include_str!("../../i18n/nb.json"),
        include_str!("../../i18n/de.json"),
        include_str!("../../i18n/ar.json"),
    );
    Function::new_with_args("tag", &body).into()
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

/// Runs Yew's pending renders and effects, and the microtasks queued behind
/// them (a reused app joins its element in one): the UI is drawn after this.
pub async fn flush() {
    yew::scheduler::flush().await;
    JsFuture::from(Promise::resolve(&JsValue::UNDEFINED))
        .await
        .unwrap();
}

type Listener = (&'static str, Closure<dyn FnMut(web_sys::Event)>);

/// Records the page's uncaught errors and unhandled promise rejections.
pub struct PageErrors {
    log: Array,
    listeners: Vec<Listener>,
}

impl PageErrors {
    pub fn new() -> PageErrors {
        let window = web_sys::window().unwrap();
        let log = Array::new();
        let mut listeners = Vec::new();
        for name in ["error", "unhandledrejection"] {
            let log = log.clone();
            let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let what = Reflect::get(&e, &"reason".into())
                    .ok()
                    .filter(|r| !r.is_undefined())
                    .or_else(|| Reflect::get(&e, &"message".into()).ok())
                    .unwrap_or(JsValue::NULL);
                log.push(&format!("{}: {:?}", e.type_(), what).into());
            });
            window
                .add_event_listener_with_callback(name, closure.as_ref().unchecked_ref())
                .unwrap();
            listeners.push((name, closure));
        }
        PageErrors { log, listeners }
    }

    pub fn all(&self) -> Vec<String> {
        self.log.iter().filter_map(|e| e.as_string()).collect()
    }
}

impl Drop for PageErrors {
    fn drop(&mut self) {
        let window = web_sys::window().unwrap();
        for (name, closure) in &self.listeners {
            let _ =
                window.remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        }
    }
}

/// Waits `ms` by a timer of the page. A timer set now runs after every timer the element set
/// earlier that is due sooner, so a test that sleeps past an element's timer to show it did
/// not fire holds however loaded the machine is.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Posts a message to this window and waits until it arrives: every message posted to the
/// window before it (by the page or a frame of the same event loop) has been handled by then.
pub async fn message_fence() {
    let marker = format!("fence-{}", js_sys::Math::random());
    let fence = Function::new_with_args(
        "marker",
        "return new Promise((resolve) => {
           const on = (e) => {
             if (e.data === marker) { window.removeEventListener('message', on); resolve(); }
           };
           window.addEventListener('message', on);
           window.postMessage(marker, '*');
         });",
    );
    let promise: Promise = fence
        .call1(&JsValue::NULL, &marker.into())
        .unwrap()
        .dyn_into()
        .unwrap();
    JsFuture::from(promise).await.unwrap();
}

/// Runs `code` inside the frame's own window (same-origin frames only).
pub fn run_in_frame(frame: &HtmlIFrameElement, code: &str) {
    let window = frame.content_window().unwrap();
    let eval: Function = Reflect::get(&window, &"eval".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    eval.call1(&window, &code.into()).unwrap();
}

/// The stub backend started by `scripts/test-wasm.sh` (which picks its port).
pub const STUB: &str = match option_env!("VIDEOID_STUB_ORIGIN") {
    Some(origin) => origin,
    None => "http://127.0.0.1:18090",
};

/// Props for a native capture against the stub backend.
pub fn native_props(steps: &str, file: bool) -> Vec<(&'static str, String)> {
    vec![
        ("mode", "native".to_string()),
        (
            "session-endpoint",
            format!("{STUB}/session?steps={steps}&file={}", u8::from(file)),
        ),
        ("result-endpoint", format!("{STUB}/result")),
        ("inactivity-timeout", "60".to_string()),
    ]
}

/// Mounts a handle with `media`.
pub fn handle_with(
    host: &Host,
    props: &[(&str, String)],
    media: Rc<dyn MediaAccess>,
) -> CaptureHandle {
    let pairs: Vec<(&str, &str)> = props.iter().map(|(k, v)| (*k, v.as_str())).collect();
    CaptureHandle::with_media(
        host.host.clone(),
        host.mount.clone(),
        props_of(&pairs),
        media,
    )
    .unwrap()
}

/// Media that fails with the scripted `DOMException` names first, then asks the browser.
pub struct ScriptedMedia {
    pub failures: RefCell<VecDeque<(Device, &'static str)>>,
    pub requests: RefCell<Vec<MediaRequest>>,
    pub streams: Rc<RefCell<Vec<web_sys::MediaStream>>>,
}

impl ScriptedMedia {
    pub fn new(failures: &[(Device, &'static str)]) -> Rc<ScriptedMedia> {
        Rc::new(ScriptedMedia {
            failures: RefCell::new(failures.iter().copied().collect()),
            requests: RefCell::new(Vec::new()),
            streams: Rc::new(RefCell::new(Vec::new())),
        })
    }

    /// Live tracks among every stream the browser handed out, read as plain JS
    /// (`readyState`), so the count does not depend on the adapter's own code.
    pub fn live(&self) -> u32 {
        let mut live = 0;
        for stream in self.streams.borrow().iter() {
            let get_tracks: Function = Reflect::get(stream, &"getTracks".into())
                .unwrap()
                .dyn_into()
                .unwrap();
            let tracks: Array = get_tracks.call0(stream).unwrap().dyn_into().unwrap();
            for track in tracks.iter() {
                if Reflect::get(&track, &"readyState".into())
                    .unwrap()
                    .as_string()
                    .as_deref()
                    == Some("live")
                {
                    live += 1;
                }
            }
        }
        live
    }
}

impl ScriptedMedia {
    /// Ends every video track handed out so far, as when the camera goes away
    /// (plain JS `stop()`, so the adapter learns of it only from the track).
    pub fn end_video(&self) {
        for stream in self.streams.borrow().iter() {
            let get_tracks: Function = Reflect::get(stream, &"getVideoTracks".into())
                .unwrap()
                .dyn_into()
                .unwrap();
            let tracks: Array = get_tracks.call0(stream).unwrap().dyn_into().unwrap();
            for track in tracks.iter() {
                let stop: Function = Reflect::get(&track, &"stop".into())
                    .unwrap()
                    .dyn_into()
                    .unwrap();
                stop.call0(&track).unwrap();
            }
        }
    }
}

impl MediaAccess for ScriptedMedia {
    fn request(&self, request: MediaRequest) -> MediaFuture {
        self.requests.borrow_mut().push(request);
        let next = {
            let mut failures = self.failures.borrow_mut();
            match failures.front() {
                Some((device, _)) if *device == request.device => failures.pop_front(),
                _ => None,
            }
        };
        match next {
            // A real DOMException, read the way the browser adapter reads one.
            Some((device, name)) => {
                let exception =
                    web_sys::DomException::new_with_message_and_name("scripted", name).unwrap();
                let error = MediaError {
                    name: Reflect::get(&exception, &"name".into())
                        .unwrap()
                        .as_string()
                        .unwrap(),
                    message: "scripted".into(),
                    device,
                };
                Box::pin(async move { Err(error) })
            }
            None => {
                let streams = self.streams.clone();
                let asked = BrowserMedia.request(request);
                Box::pin(async move {
                    let stream = asked.await?;
                    streams
                        .borrow_mut()
                        .push(JsValue::from(&stream).unchecked_into());
                    Ok(stream)
                })
            }
        }
    }
}

/// A part inside the handle's markup, as an HtmlElement to click.
pub fn button(host: &Host, part: &str) -> Option<HtmlElement> {
    host.part(part).and_then(|e| e.dyn_into().ok())
}

/// Waits until the host's `step` attribute is `step` and `part` exists.
pub async fn wait_for_part(host: &Host, part: &str, ms: u32) -> bool {
    let mut waited = 0;
    while host.part(part).is_none() && waited < ms {
        sleep(20).await;
        waited += 20;
    }
    host.part(part).is_some()
}

/// Waits until `part`'s text is `text`.
pub async fn wait_for_text(host: &Host, part: &str, text: &str, ms: u32) -> bool {
    let mut waited = 0;
    let has = |h: &Host| h.part(part).and_then(|e| e.text_content()).as_deref() == Some(text);
    while !has(host) && waited < ms {
        sleep(20).await;
        waited += 20;
    }
    has(host)
}

/// GETs JSON from the stub backend.
pub async fn stub_json(path: &str) -> JsValue {
    let window = web_sys::window().unwrap();
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(&format!("{STUB}{path}")))
            .await
            .unwrap()
            .dyn_into()
            .unwrap();
    JsFuture::from(response.json().unwrap()).await.unwrap()
}
