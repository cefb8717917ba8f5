//! The native run's executor: camera, stills, recording, review, file
//! fallback and uploads. Every stream that arrives after the capture moved on
//! is stopped at once, so the camera light never lingers. It arrives with the
//! native chunk ([`entry`]).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, Element, File, MediaStream, MediaStreamTrack, Url};

use super::backend;
use super::chunk;
use super::media::{live_tracks, recording_type, stop_tracks, Camera, MediaRequest};
use super::mrz::Reader;
use super::run::{Ctx, Entry, Executor, RunEffect};
use super::timers::Timer;
use super::upload::Upload;
use crate::core::failure::Failure;
use crate::core::flow::{native::KIT, Input};
use crate::core::i18n::{Text, Texts};
use crate::core::native::{Device, Facing, MediaError, NativeEffect, NativeInput, Step};
use crate::core::quality::{Analyzer, Report, Subject, Thresholds, ANALYSIS_WIDTH};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The native chunk's entry: the flow's kit and this executor.
pub fn entry() -> Entry {
    Entry {
        kit: &KIT,
        executor: |ctx| Box::new(NativeExecutor::new(ctx)),
    }
}

/// How often the preview's quality is checked (10 frames a second).
const ANALYSIS_MS: u32 = 100;

/// Every how many preview rounds the document reader gets a frame (it takes
/// some 25 ms where the quality checks take 1).
const ZONE_EVERY: u32 = 3;
/// The widest frame the document reader gets: 1280 pixels hold a zone that
/// fills half the width at 14 pixels a character.
const ZONE_WIDTH: u32 = 1280;

/// Reads the preview's current frame, scaled to the width `width` gives for
/// the video's: one canvas (`willReadFrequently`), one pixel read a frame.
#[derive(Default)]
struct FrameGrab {
    canvas: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
}

impl FrameGrab {
    /// The frame's RGBA pixels and size, or `None` before the video has a size.
    fn grab(
        &mut self,
        camera: &Camera,
        width: fn(u32) -> u32,
    ) -> Option<(js_sys::Uint8ClampedArray, u32, u32)> {
        let (vw, vh) = camera.size();
        if vw == 0 || vh == 0 {
            return None;
        }
        let w = width(vw).max(1);
        let h = (vh * w / vw).max(1);
        if self.canvas.is_none() {
            self.canvas = analysis_canvas(w, h);
        }
        let (canvas, context) = self.canvas.as_ref()?;
        if canvas.width() != w || canvas.height() != h {
            canvas.set_width(w);
            canvas.set_height(h);
        }
        context
            .draw_image_with_html_video_element_and_dw_and_dh(
                camera.preview(),
                0.0,
                0.0,
                w as f64,
                h as f64,
            )
            .ok()?;
        let data = context.get_image_data(0.0, 0.0, w as f64, h as f64).ok()?;
        let pixels: js_sys::Uint8ClampedArray = js_sys::Reflect::get(&data, &"data".into())
            .ok()?
            .dyn_into()
            .ok()?;
        (pixels.length() == w * h * 4).then_some((pixels, w, h))
    }
}

/// Reads preview frames at the analysis width into a reused buffer (no
/// allocation in Rust after the first frame) and checks their quality.
#[derive(Default)]
struct FrameReader {
    grab: FrameGrab,
    rgba: Vec<u8>,
    analyzer: Analyzer,
}

impl FrameReader {
    fn read(
        &mut self,
        camera: &Camera,
        subject: Subject,
        thresholds: &Thresholds,
    ) -> Option<Report> {
        let (pixels, w, h) = self.grab.grab(camera, |_| ANALYSIS_WIDTH as u32)?;
        self.rgba.resize(pixels.length() as usize, 0);
        pixels.copy_to(&mut self.rgba);
        let (w, h) = (w as usize, h as usize);
        self.analyzer
            .analyze_rgba(&self.rgba, w, h, subject, thresholds)
    }
}

fn analysis_canvas(w: u32, h: u32) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let document = super::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(w);
    canvas.set_height(h);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"willReadFrequently".into(), &JsValue::TRUE);
    let context: CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &options)
        .ok()??
        .dyn_into()
        .ok()?;
    Some((canvas, context))
}

/// The document's outline over the live preview (`part="outline"`, hidden
/// from assistive technology: the hint says what matters): an SVG polygon
/// in the video's pixels, scaled as the preview is (`object-fit: contain`)
/// and mirrored with it. Removed with the camera.
struct OutlineView {
    svg: Element,
    polygon: Element,
}

const SVG: &str = "http://www.w3.org/2000/svg";

impl OutlineView {
    fn new(stage: &Element, mirrored: bool) -> Option<OutlineView> {
        let document = stage.owner_document()?;
        let svg = document.create_element_ns(Some(SVG), "svg").ok()?;
        let polygon = document.create_element_ns(Some(SVG), "polygon").ok()?;
        let _ = svg.set_attribute("part", "outline");
        let _ = svg.set_attribute("aria-hidden", "true");
        if mirrored {
            let _ = svg.set_attribute("data-mirrored", "");
        }
        svg.append_child(&polygon).ok()?;
        stage.append_child(&svg).ok()?;
        Some(OutlineView { svg, polygon })
    }

    /// Shows `corners` in a `width × height` frame; `None` draws none.
    fn show(&self, corners: Option<[f32; 8]>, width: u32, height: u32) {
        // Whole pixels, formatted as integers (float formatting would weigh on the base).
        let mut points = String::new();
        for (i, v) in corners.iter().flatten().enumerate() {
            let sep = match i {
                0 => "",
                _ if i % 2 == 1 => ",",
                _ => " ",
            };
            points.push_str(sep);
            points.push_str(&(v.round() as i32).to_string());
        }
        let _ = self
            .svg
            .set_attribute("viewBox", &format!("0 0 {width} {height}"));
        let _ = self.polygon.set_attribute("points", &points);
    }
}

impl Drop for OutlineView {
    fn drop(&mut self) {
        self.svg.remove();
    }
}

/// Today in the page's time zone, as days since 1 January 1970: the day a
/// document's expiry is checked against.
fn today() -> i32 {
    let offset_ms = js_sys::Date::new_0().get_timezone_offset() * 60_000.0;
    ((js_sys::Date::now() - offset_ms) / 86_400_000.0).floor() as i32
}

/// Largest image a user may pick instead of the camera.
const MAX_FILE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// A captured artifact waiting for review and upload, shown in the stage.
struct Artifact {
    blob: Blob,
    url: String,
    element: Element,
}

impl Drop for Artifact {
    fn drop(&mut self) {
        let _ = Url::revoke_object_url(&self.url);
        self.element.remove();
    }
}

/// Reads the live preview's current frame and reports its quality.
type ReadFrame = Rc<dyn Fn() -> Option<Report>>;

/// The devices and transfers of one element's native capture.
struct Native {
    ctx: Ctx,
    generation: Cell<u32>,
    camera: RefCell<Option<Rc<Camera>>>,
    artifact: RefCell<Option<Artifact>>,
    upload: RefCell<Option<Upload>>,
    wait: RefCell<Option<Timer>>,
    analysis: RefCell<Option<Timer>>,
    /// Reads the preview's current frame for its quality report (while the camera is live).
    read_frame: RefCell<Option<ReadFrame>>,
    /// The accessible name of a captured still.
    review_label: RefCell<String>,
    /// The document reader, once its module is there.
    zone_reader: RefCell<Option<Rc<Reader>>>,
}

/// Carries out the native capture's effects for one element.
struct NativeExecutor(Rc<Native>);

impl NativeExecutor {
    fn new(ctx: Ctx) -> NativeExecutor {
        NativeExecutor(Rc::new(Native {
            ctx,
            generation: Cell::new(0),
            camera: RefCell::new(None),
            artifact: RefCell::new(None),
            upload: RefCell::new(None),
            wait: RefCell::new(None),
            analysis: RefCell::new(None),
            read_frame: RefCell::new(None),
            review_label: RefCell::new(Text::HintReview.english().to_string()),
            zone_reader: RefCell::new(None),
        }))
    }
}

impl Executor for NativeExecutor {
    fn apply(&self, attempt: u32, effect: RunEffect) {
        if let RunEffect::Native(effect) = effect {
            Native::apply(&self.0, attempt, effect);
        }
    }

    fn release(&self) {
        self.0.release();
    }

    fn live_tracks(&self) -> u32 {
        self.0
            .camera
            .borrow()
            .as_ref()
            .map_or(0, |c| live_tracks(c.stream()))
    }

    fn file_chosen(&self, attempt: u32, file: File) {
        Native::file_chosen(&self.0, attempt, file);
    }

    fn relabel(&self, texts: &Texts) {
        *self.0.review_label.borrow_mut() = texts.get(Text::HintReview).to_string();
    }
}

impl Drop for NativeExecutor {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl Native {
    /// Starts a new generation: whatever the previous one still delivers is dropped.
    fn next_generation(&self) -> u32 {
        let g = self.generation.get().wrapping_add(1);
        self.generation.set(g);
        g
    }

    fn stop_camera(&self) {
        self.next_generation();
        self.analysis.borrow_mut().take();
        self.read_frame.borrow_mut().take();
        if let Some(camera) = self.camera.borrow_mut().take() {
            camera.stop();
        }
    }

    /// Stops the camera and every transfer, and drops the artifact.
    fn release(&self) {
        self.stop_camera();
        self.upload.borrow_mut().take();
        self.wait.borrow_mut().take();
        self.artifact.borrow_mut().take();
    }

    fn send(&self, attempt: u32, input: NativeInput) {
        self.ctx.sender.send(Input::Native { attempt, input });
    }

    /// Carries out one native effect for `attempt`.
    fn apply(this: &Rc<Native>, attempt: u32, effect: NativeEffect) {
        match effect {
            NativeEffect::OpenCamera {
                step,
                facing,
                quality,
                audio,
                thresholds,
            } => {
                this.stop_camera();
                let generation = this.generation.get();
                let media = this.ctx.media.clone();
                let weak = Rc::downgrade(this);
                crate::spawn(async move {
                    let video = MediaRequest {
                        device: Device::Camera,
                        facing,
                        quality,
                    };
                    let result = match media.request(video).await {
                        Ok(stream) if audio => add_microphone(&*media, stream, facing).await,
                        other => other,
                    };
                    let current = weak.upgrade().filter(|n| n.generation.get() == generation);
                    let Some(this) = current else {
                        if let Ok(stream) = result {
                            stop_tracks(&stream);
                        }
                        return;
                    };
                    let stream = match result {
                        Ok(stream) => stream,
                        Err(error) => return this.send(attempt, NativeInput::CameraFailed(error)),
                    };
                    // `MediaStream::clone` would clone the tracks (a second camera
                    // handle that stop() never reaches): share the JS object instead.
                    let same: MediaStream = JsValue::from(&stream).unchecked_into();
                    let camera = Camera::show(&this.ctx.stage, same, facing == Facing::User).await;
                    match camera {
                        Some(camera) if this.generation.get() == generation => {
                            let camera = Rc::new(camera);
                            *this.camera.borrow_mut() = Some(camera.clone());
                            this.send(attempt, NativeInput::CameraReady);
                            if step != Step::Video {
                                let subject = if step.is_document() {
                                    Subject::Document
                                } else {
                                    Subject::Face
                                };
                                let mirrored = facing == Facing::User;
                                let analysis = (subject, thresholds, mirrored);
                                Native::start_analysis(&this, attempt, camera, analysis);
                            }
                        }
                        Some(camera) => camera.stop(),
                        None => {
                            stop_tracks(&stream);
                            let error = MediaError {
                                name: "NotReadableError".into(),
                                message: String::new(),
                                device: Device::Camera,
                            };
                            this.send(attempt, NativeInput::CameraFailed(error));
                        }
                    }
                });
            }
            NativeEffect::StopCamera => this.stop_camera(),
            NativeEffect::TakeStill | NativeEffect::Record { .. } => {
                let Some(camera) = this.camera.borrow().clone() else {
                    return this.send(attempt, NativeInput::CaptureFailed);
                };
                // The still's own frame, checked as the shutter goes (the preview's last
                // round may be older, or not yet there).
                let read = this.read_frame.borrow().clone();
                if let Some(report) = read
                    .filter(|_| effect == NativeEffect::TakeStill)
                    .and_then(|r| r())
                {
                    this.send(attempt, NativeInput::Frame(report));
                }
                let weak = Rc::downgrade(this);
                crate::spawn(async move {
                    let (blob, tag) = match effect {
                        NativeEffect::Record { ms } => (camera.record(ms).await, "video"),
                        _ => (camera.still().await, "img"),
                    };
                    let Some(this) = weak.upgrade() else { return };
                    let shown = blob
                        .filter(|b| b.size() > 0.0)
                        .is_some_and(|b| this.show_artifact(b, tag));
                    let input = if shown {
                        NativeInput::Captured
                    } else {
                        NativeInput::CaptureFailed
                    };
                    this.send(attempt, input);
                });
            }
            NativeEffect::Discard => {
                this.artifact.borrow_mut().take();
            }
            NativeEffect::ShowFilePicker | NativeEffect::Captured { .. } => {}
            NativeEffect::Upload {
                step,
                delay_ms,
                quality,
                url,
                token,
                ..
            } => {
                let weak = Rc::downgrade(this);
                Native::after(this, delay_ms, move || {
                    if let Some(this) = weak.upgrade() {
                        let url = format!("{}/{}", url.trim_end_matches('/'), step.as_str());
                        Native::start_upload(&this, attempt, &url, &token, quality.as_deref());
                    }
                });
            }
            NativeEffect::Complete {
                delay_ms,
                url,
                token,
                ..
            } => {
                let weak = Rc::downgrade(this);
                Native::after(this, delay_ms, move || {
                    crate::spawn(async move {
                        let result = backend::complete_native(&url, &token).await;
                        if let Some(this) = weak.upgrade() {
                            this.send(attempt, NativeInput::Completed(result));
                        }
                    });
                });
            }
        }
    }

    /// Checks the preview's quality every [`ANALYSIS_MS`] while the camera is
    /// live, feeding each report to the flow (hints and auto-capture).
    fn start_analysis(
        this: &Rc<Native>,
        attempt: u32,
        camera: Rc<Camera>,
        (subject, thresholds, mirrored): (Subject, Thresholds, bool),
    ) {
        let weak: Weak<Native> = Rc::downgrade(this);
        // One reader for the rounds and the shutter: motion is measured against the
        // frame read before, whichever read it.
        let frames = RefCell::new(FrameReader::default());
        let preview = camera.clone();
        let read: ReadFrame =
            Rc::new(move || frames.borrow_mut().read(&preview, subject, &thresholds));
        *this.read_frame.borrow_mut() = Some(read.clone());
        let document = subject == Subject::Document;
        if document {
            Native::load_zone_reader(this);
        }
        let mut zone_frames = FrameGrab::default();
        let outline = document
            .then(|| OutlineView::new(&this.ctx.stage, mirrored))
            .flatten();
        let mut round = 0u32;
        let timer = Timer::every(ANALYSIS_MS, move || {
            let Some(this) = weak.upgrade() else { return };
            if let Some(report) = read() {
                this.send(attempt, NativeInput::Frame(report));
            }
            round = round.wrapping_add(1);
            if !document || round % ZONE_EVERY != 0 {
                return;
            }
            let Some(reader) = this.zone_reader.borrow().clone() else {
                return;
            };
            let Some((rgba, w, h)) = zone_frames.grab(&camera, |vw| vw.min(ZONE_WIDTH)) else {
                return;
            };
            if let Some(found) = reader.read(&rgba, w, h, today()) {
                if let Some(view) = &outline {
                    view.show(found.outline, w, h);
                }
                this.send(attempt, NativeInput::Zone(found.zone));
            }
        });
        *this.analysis.borrow_mut() = timer;
    }

    /// Loads the document reader's module once per element (the shell fetches
    /// and instantiates it once per page). Until it is there, or when it cannot
    /// load, the document steps go by the quality checks alone.
    fn load_zone_reader(this: &Rc<Native>) {
        if this.zone_reader.borrow().is_some() {
            return;
        }
        let loader = this.ctx.chunks.clone();
        let weak = Rc::downgrade(this);
        crate::spawn(async move {
            let Ok(exports) = chunk::load_named(loader.as_ref(), "mrz").await else {
                return;
            };
            if let (Some(this), Some(reader)) = (weak.upgrade(), Reader::new(&exports)) {
                *this.zone_reader.borrow_mut() = Some(Rc::new(reader));
            }
        });
    }

    /// Runs `f` after `ms` (at once for 0); a later call or a release cancels it.
    fn after(this: &Rc<Native>, ms: u32, f: impl FnOnce() + 'static) {
        this.wait.borrow_mut().take();
        if ms == 0 {
            return f();
        }
        let mut f = Some(f);
        *this.wait.borrow_mut() = Timer::once(ms, move || {
            if let Some(f) = f.take() {
                f();
            }
        });
    }

    fn start_upload(
        this: &Rc<Native>,
        attempt: u32,
        url: &str,
        token: &str,
        quality: Option<&str>,
    ) {
        let Some(blob) = this.artifact.borrow().as_ref().map(|a| a.blob.clone()) else {
            return this.send(attempt, NativeInput::CaptureFailed);
        };
        let progress = this.ctx.progress.clone();
        let done = Rc::downgrade(this);
        let upload = Upload::start(
            url,
            token,
            &blob,
            quality,
            move |fraction| progress(fraction),
            move |result| {
                if let Some(this) = done.upgrade() {
                    this.send(attempt, NativeInput::Uploaded(result));
                }
            },
        );
        match upload {
            Some(upload) => *this.upload.borrow_mut() = Some(upload),
            None => this.send(
                attempt,
                NativeInput::Uploaded(Err(Failure::BrowserUnsupported)),
            ),
        }
    }

    /// Shows `blob` for review as an `img` or `video`; false when the browser refuses.
    fn show_artifact(&self, blob: Blob, tag: &str) -> bool {
        self.artifact.borrow_mut().take();
        let Ok(url) = Url::create_object_url_with_blob(&blob) else {
            return false;
        };
        let Some(element) = self
            .ctx
            .stage
            .owner_document()
            .and_then(|d| d.create_element(tag).ok())
        else {
            let _ = Url::revoke_object_url(&url);
            return false;
        };
        let _ = element.set_attribute("part", "review");
        let _ = element.set_attribute("src", &url);
        if tag == "video" {
            let _ = element.set_attribute("controls", "");
            let _ = element.set_attribute("playsinline", "");
        } else {
            let _ = element.set_attribute("alt", &self.review_label.borrow());
        }
        let _ = self.ctx.stage.append_child(&element);
        *self.artifact.borrow_mut() = Some(Artifact { blob, url, element });
        true
    }

    /// An image the user picked instead of the camera.
    fn file_chosen(this: &Rc<Native>, attempt: u32, file: File) {
        if !file.type_().starts_with("image/") || file.size() > MAX_FILE_BYTES || file.size() <= 0.0
        {
            return;
        }
        let weak = Rc::downgrade(this);
        crate::spawn(async move {
            let jpeg = super::media::picked_to_jpeg(&file).await;
            let Some(this) = weak.upgrade() else { return };
            if jpeg.is_some_and(|b| this.show_artifact(b, "img")) {
                this.send(attempt, NativeInput::FileChosen);
            }
        });
    }
}
/// Asks for the microphone too and adds its track to `stream`; a failure stops the camera.
async fn add_microphone(
    media: &dyn super::media::MediaAccess,
    stream: MediaStream,
    facing: Facing,
) -> Result<MediaStream, MediaError> {
    if recording_type().is_none() {
        stop_tracks(&stream);
        return Err(MediaError {
            name: "NotSupportedError".into(),
            message: "MediaRecorder".into(),
            device: Device::Camera,
        });
    }
    let request = MediaRequest {
        device: Device::Microphone,
        facing,
        quality: crate::core::native::Quality::Any,
    };
    match media.request(request).await {
        Ok(sound) => {
            for track in sound.get_audio_tracks().iter() {
                if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                    stream.add_track(&track);
                }
            }
            Ok(stream)
        }
        Err(error) => {
            stop_tracks(&stream);
            Err(error)
        }
    }
}
