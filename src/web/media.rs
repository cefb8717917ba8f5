//! Camera and microphone: the request behind a trait (so tests can inject any
//! `DOMException`), the live preview, JPEG stills and the recorded video.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobEvent, BlobPropertyBag, CanvasRenderingContext2d, Element, HtmlCanvasElement,
    HtmlVideoElement, MediaRecorder, MediaRecorderOptions, MediaStream, MediaStreamConstraints,
    MediaStreamTrack,
};

use crate::core::native::{Device, Facing, MediaError, Quality};

/// One `getUserMedia` request: a single kind of device, so a denial names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaRequest {
    /// Camera or microphone.
    pub device: Device,
    /// Which camera.
    pub facing: Facing,
    /// How strict the video constraints are.
    pub quality: Quality,
}

/// A future that yields a stream or the reason there is none.
pub type MediaFuture = Pin<Box<dyn Future<Output = Result<MediaStream, MediaError>>>>;

/// Where media streams come from: the browser, or a test double.
pub trait MediaAccess {
    /// Asks for one kind of device.
    fn request(&self, request: MediaRequest) -> MediaFuture;
}

/// `navigator.mediaDevices.getUserMedia`.
pub struct BrowserMedia;

/// `value[key]` when it is a string, else empty (errors from the browser or third-party code).
pub fn text_of(value: &JsValue, key: &str) -> String {
    Reflect::get(value, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn error_of(value: &JsValue, device: Device) -> MediaError {
    MediaError {
        name: text_of(value, "name"),
        message: text_of(value, "message"),
        device,
    }
}

fn constraints(request: MediaRequest) -> MediaStreamConstraints {
    let constraints = MediaStreamConstraints::new();
    match request.device {
        Device::Microphone => {
            constraints.set_audio(&JsValue::TRUE);
            constraints.set_video(&JsValue::FALSE);
        }
        Device::Camera => {
            let video = Object::new();
            let set = |o: &Object, k: &str, v: JsValue| {
                let _ = Reflect::set(o, &k.into(), &v);
            };
            let range = |min: Option<u32>, ideal: u32| {
                let o = Object::new();
                if let Some(min) = min {
                    set(&o, "min", min.into());
                }
                set(&o, "ideal", ideal.into());
                JsValue::from(o)
            };
            match request.quality {
                Quality::Document => {
                    set(&video, "width", range(Some(1280), 1920));
                    set(&video, "height", range(Some(720), 1080));
                }
                Quality::Ideal => {
                    set(&video, "width", range(None, 1280));
                    set(&video, "height", range(None, 720));
                }
                Quality::Any => {}
            }
            let facing = Object::new();
            set(&facing, "ideal", request.facing.as_str().into());
            set(&video, "facingMode", facing.into());
            constraints.set_video(&video);
            constraints.set_audio(&JsValue::FALSE);
        }
    }
    constraints
}

impl MediaAccess for BrowserMedia {
    fn request(&self, request: MediaRequest) -> MediaFuture {
        Box::pin(async move {
            let unsupported = |name: &str| MediaError {
                name: name.to_string(),
                message: String::new(),
                device: request.device,
            };
            let window = super::window().ok_or_else(|| unsupported("NotSupportedError"))?;
            if !window.is_secure_context() {
                return Err(unsupported("InsecureContext"));
            }
            // Chromium rejects a request the permissions policy blocks with a plain
            // NotAllowedError ("Permission denied"), the same as a user's denial: ask the
            // policy itself, where the browser can say.
            let feature = match request.device {
                Device::Camera => "camera",
                Device::Microphone => "microphone",
            };
            if policy_allows(&window, feature) == Some(false) {
                return Err(MediaError {
                    name: "NotAllowedError".into(),
                    message: "blocked by the permissions policy".into(),
                    device: request.device,
                });
            }
            let devices = window
                .navigator()
                .media_devices()
                .map_err(|_| unsupported("NotSupportedError"))?;
            let promise = devices
                .get_user_media_with_constraints(&constraints(request))
                .map_err(|e| error_of(&e, request.device))?;
            let stream = JsFuture::from(promise)
                .await
                .map_err(|e| error_of(&e, request.device))?;
            stream
                .dyn_into::<MediaStream>()
                .map_err(|_| unsupported("NotSupportedError"))
        })
    }
}

/// Whether the document's permissions policy allows `feature`, where the browser says
/// (`document.permissionsPolicy` or Chromium's `document.featurePolicy`); `None` elsewhere.
fn policy_allows(window: &web_sys::Window, feature: &str) -> Option<bool> {
    let document: JsValue = window.document()?.into();
    for name in ["permissionsPolicy", "featurePolicy"] {
        let policy = Reflect::get(&document, &JsValue::from_str(name)).ok()?;
        if policy.is_undefined() || policy.is_null() {
            continue;
        }
        let allows = Reflect::get(&policy, &JsValue::from_str("allowsFeature"))
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        return allows
            .call1(&policy, &JsValue::from_str(feature))
            .ok()?
            .as_bool();
    }
    None
}

/// Stops every track of `stream`: the camera light goes off.
pub fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// How many of the stream's tracks are live.
pub fn live_tracks(stream: &MediaStream) -> u32 {
    stream
        .get_tracks()
        .iter()
        .filter_map(|t| t.dyn_into::<MediaStreamTrack>().ok())
        .filter(|t| t.ready_state() == web_sys::MediaStreamTrackState::Live)
        .count() as u32
}

/// A live camera (and microphone) with its preview element.
pub struct Camera {
    stream: MediaStream,
    preview: HtmlVideoElement,
    recorder: RefCell<Option<MediaRecorder>>,
}

impl Camera {
    /// Shows `stream` in a new preview inside `stage`; resolves when frames play.
    pub async fn show(stage: &Element, stream: MediaStream, mirrored: bool) -> Option<Camera> {
        let document = stage.owner_document()?;
        let preview: HtmlVideoElement = document.create_element("video").ok()?.dyn_into().ok()?;
        let _ = preview.set_attribute("part", "preview");
        let _ = preview.set_attribute("playsinline", "");
        if mirrored {
            let _ = preview.set_attribute("data-mirrored", "");
        }
        preview.set_muted(true);
        preview.set_autoplay(true);
        preview.set_src_object(Some(&stream));
        let camera = Camera {
            stream,
            preview,
            recorder: RefCell::new(None),
        };
        stage.append_child(&camera.preview).ok()?;
        if let Ok(playing) = camera.preview.play() {
            JsFuture::from(playing).await.ok()?;
        }
        Some(camera)
    }

    /// The stream (for tests and the recorder).
    pub fn stream(&self) -> &MediaStream {
        &self.stream
    }

    /// The live preview element.
    pub fn preview(&self) -> &HtmlVideoElement {
        &self.preview
    }

    /// The preview's frame size.
    pub fn size(&self) -> (u32, u32) {
        (self.preview.video_width(), self.preview.video_height())
    }

    /// Whether the camera's video track still runs (it ends when the device goes away).
    fn video_live(&self) -> bool {
        self.stream.get_video_tracks().iter().any(|t| {
            t.dyn_into::<MediaStreamTrack>()
                .is_ok_and(|t| t.ready_state() == web_sys::MediaStreamTrackState::Live)
        })
    }

    /// Takes a JPEG still of the current frame; `None` when the track has ended.
    pub async fn still(&self) -> Option<Blob> {
        if !self.video_live() {
            return None;
        }
        let (width, height) = self.size();
        if width == 0 || height == 0 {
            return None;
        }
        let document = self.preview.owner_document()?;
        let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
        canvas.set_width(width);
        canvas.set_height(height);
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        context
            .draw_image_with_html_video_element(&self.preview, 0.0, 0.0)
            .ok()?;
        jpeg(&canvas).await
    }

    /// Records the stream for `ms` milliseconds; `None` when the recorder
    /// reports an error or the camera's track ended before the recording did.
    pub async fn record(&self, ms: u32) -> Option<Blob> {
        let mime = recording_type()?;
        let options = MediaRecorderOptions::new();
        options.set_mime_type(mime);
        let recorder =
            MediaRecorder::new_with_media_stream_and_media_recorder_options(&self.stream, &options)
                .ok()?;
        let parts = Array::new();
        let sink = parts.clone();
        let on_data = Closure::<dyn FnMut(BlobEvent)>::new(move |event: BlobEvent| {
            if let Some(data) = event.data() {
                if data.size() > 0.0 {
                    sink.push(&data);
                }
            }
        });
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        let (tx, rx) = futures_channel();
        let mut tx = Some(tx);
        let on_stop = Closure::<dyn FnMut()>::new(move || {
            if let Some(tx) = tx.take() {
                tx(JsValue::TRUE);
            }
        });
        recorder.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
        // An error event comes before the recorder stops by itself.
        let broke = Rc::new(std::cell::Cell::new(false));
        let flag = broke.clone();
        let on_error = Closure::<dyn FnMut()>::new(move || flag.set(true));
        recorder.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        if !self.video_live() {
            return None;
        }
        recorder.start_with_time_slice(500).ok()?;
        let stopper = recorder.clone();
        let _timer = super::timers::Timer::once(ms, move || {
            let _ = stopper.stop();
        });
        *self.recorder.borrow_mut() = Some(recorder);
        // Resolves on the timer above or when `stop()` ends the recording early.
        rx.await;
        self.recorder.borrow_mut().take();
        drop((on_data, on_stop, on_error));
        if broke.get() || !self.video_live() {
            return None;
        }
        let bag = BlobPropertyBag::new();
        bag.set_type(mime.split(';').next().unwrap_or(mime));
        Blob::new_with_blob_sequence_and_options(&parts, &bag).ok()
    }
}

impl Camera {
    /// Stops the recorder and every track, and removes the preview. Idempotent.
    pub fn stop(&self) {
        if let Some(recorder) = self.recorder.borrow_mut().take() {
            let _ = recorder.stop();
        }
        stop_tracks(&self.stream);
        self.preview.set_src_object(None);
        self.preview.remove();
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Encodes the canvas as a JPEG.
async fn jpeg(canvas: &HtmlCanvasElement) -> Option<Blob> {
    let (tx, rx) = futures_channel();
    let callback = Closure::once(move |blob: JsValue| tx(blob));
    canvas
        .to_blob_with_type_and_encoder_options(
            callback.as_ref().unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(0.92),
        )
        .ok()?;
    let blob = rx.await;
    drop(callback);
    blob.dyn_into::<Blob>().ok()
}

/// Longest side of a picked photo after re-encoding.
const MAX_PICKED_SIDE: f64 = 2560.0;

/// Re-encodes a picked image file as a JPEG no larger than 2560 px a side:
/// every still has one format, and the file's metadata (location, device) is
/// not sent. `None` when the browser cannot decode it.
pub async fn picked_to_jpeg(file: &Blob) -> Option<Blob> {
    let window = super::window()?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    if w < 1.0 || h < 1.0 {
        return None;
    }
    let scale = (MAX_PICKED_SIDE / w.max(h)).min(1.0);
    let (cw, ch) = ((w * scale).round() as u32, (h * scale).round() as u32);
    let canvas: HtmlCanvasElement = window
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(cw);
    canvas.set_height(ch);
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(cw), f64::from(ch))
        .ok()?;
    bitmap.close();
    jpeg(&canvas).await
}

/// The container Chromium's `MediaRecorder` supports, best first: MP4 (what
/// Assure serves) where the build has it, else WebM with VP8 and Opus.
pub fn recording_type() -> Option<&'static str> {
    // A browser without `MediaRecorder` (Safari before 14.1) would throw a ReferenceError
    // out of the static call below: it has no recording type at all.
    let has_recorder = Reflect::has(&js_sys::global(), &JsValue::from_str("MediaRecorder"));
    if !matches!(has_recorder, Ok(true)) {
        return None;
    }
    [
        "video/mp4;codecs=avc1,mp4a.40.2",
        "video/mp4",
        "video/webm;codecs=vp8,opus",
        "video/webm",
    ]
    .into_iter()
    .find(|t| MediaRecorder::is_type_supported(t))
}

/// A one-shot channel from a JS callback to an `await`.
fn futures_channel() -> (impl FnOnce(JsValue), impl Future<Output = JsValue>) {
    let slot: Rc<RefCell<(Option<JsValue>, Option<std::task::Waker>)>> =
        Rc::new(RefCell::new((None, None)));
    let writer = slot.clone();
    let send = move |value: JsValue| {
        let waker = {
            let mut s = writer.borrow_mut();
            s.0 = Some(value);
            s.1.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    };
    let receive = std::future::poll_fn(move |cx| {
        let mut s = slot.borrow_mut();
        match s.0.take() {
            Some(v) => std::task::Poll::Ready(v),
            None => {
                s.1 = Some(cx.waker().clone());
                std::task::Poll::Pending
            }
        }
    });
    (send, receive)
}
