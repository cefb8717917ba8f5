//! Carries out the native capture's effects: camera, stills, recording,
//! review, file fallback and uploads. Every stream that arrives after the
//! capture moved on is stopped at once, so the camera light never lingers.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, Element, File, MediaStream, MediaStreamTrack, Url};

use super::backend;
use super::handle::Shared;
use super::media::{live_tracks, recording_type, stop_tracks, Camera, MediaRequest};
use super::timers::Timer;
use super::upload::Upload;
use crate::core::flow::Input;
use crate::core::i18n::Text;
use crate::core::native::{Device, Facing, MediaError, NativeEffect, NativeInput, Step};
use crate::core::quality::{Analyzer, Report, Subject, Thresholds, ANALYSIS_WIDTH};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// How often the preview's quality is checked (10 frames a second).
const ANALYSIS_MS: u32 = 100;

/// Reads preview frames into a reused buffer and analyses them: one small
/// canvas (`willReadFrequently`), one pixel read a frame, no allocation in
/// Rust after the first frame.
#[derive(Default)]
struct FrameReader {
    canvas: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
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
        let (vw, vh) = camera.size();
        if vw == 0 || vh == 0 {
            return None;
        }
        let w = ANALYSIS_WIDTH as u32;
        let h = (vh * w / vw).max(1);
        if self.canvas.is_none() {
            self.canvas = analysis_canvas(w, h);
        }
        let (canvas, context) = self.canvas.as_ref()?;
        if canvas.height() != h {
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
        let len = (w * h * 4) as usize;
        self.rgba.resize(len, 0);
        pixels.copy_to(&mut self.rgba[..len]);
        self.analyzer
            .analyze_rgba(&self.rgba, w as usize, h as usize, subject, thresholds)
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

/// The devices and transfers of one element's native capture.
#[derive(Default)]
pub struct NativeDevices {
    generation: Cell<u32>,
    camera: RefCell<Option<Rc<Camera>>>,
    artifact: RefCell<Option<Artifact>>,
    upload: RefCell<Option<Upload>>,
    wait: RefCell<Option<Timer>>,
    analysis: RefCell<Option<Timer>>,
}

impl NativeDevices {
    /// Starts a new generation: whatever the previous one still delivers is dropped.
    fn next_generation(&self) -> u32 {
        let g = self.generation.get().wrapping_add(1);
        self.generation.set(g);
        g
    }

    fn stop_camera(&self) {
        self.next_generation();
        self.analysis.borrow_mut().take();
        if let Some(camera) = self.camera.borrow_mut().take() {
            camera.stop();
        }
    }

    /// Stops the camera and every transfer, and drops the artifact.
    pub fn release(&self) {
        self.stop_camera();
        self.upload.borrow_mut().take();
        self.wait.borrow_mut().take();
        self.artifact.borrow_mut().take();
    }

    /// How many tracks are live.
    pub fn live_tracks(&self) -> u32 {
        self.camera
            .borrow()
            .as_ref()
            .map_or(0, |c| live_tracks(c.stream()))
    }
}

fn feed_native(shared: &Rc<Shared>, attempt: u32, input: NativeInput) {
    Shared::feed(shared, Input::Native { attempt, input });
}

impl Shared {
    /// Carries out one native effect for `attempt`.
    pub(super) fn apply_native(this: &Rc<Shared>, attempt: u32, effect: NativeEffect) {
        let devices = &this.devices;
        match effect {
            NativeEffect::OpenCamera {
                step,
                facing,
                quality,
                audio,
            } => {
                devices.stop_camera();
                let generation = devices.generation.get();
                let media = this.media.clone();
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
                    let current = weak
                        .upgrade()
                        .filter(|s| s.devices.generation.get() == generation);
                    let Some(shared) = current else {
                        if let Ok(stream) = result {
                            stop_tracks(&stream);
                        }
                        return;
                    };
                    let stream = match result {
                        Ok(stream) => stream,
                        Err(error) => {
                            return feed_native(&shared, attempt, NativeInput::CameraFailed(error))
                        }
                    };
                    // `MediaStream::clone` would clone the tracks (a second camera
                    // handle that stop() never reaches): share the JS object instead.
                    let same: MediaStream = JsValue::from(&stream).unchecked_into();
                    let camera = Camera::show(&shared.stage, same, facing == Facing::User).await;
                    match camera {
                        Some(camera) if shared.devices.generation.get() == generation => {
                            let camera = Rc::new(camera);
                            *shared.devices.camera.borrow_mut() = Some(camera.clone());
                            feed_native(&shared, attempt, NativeInput::CameraReady);
                            if step != Step::Video {
                                let subject = if step.is_document() {
                                    Subject::Document
                                } else {
                                    Subject::Face
                                };
                                Shared::start_analysis(&shared, attempt, camera, subject);
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
                            feed_native(&shared, attempt, NativeInput::CameraFailed(error));
                        }
                    }
                });
            }
            NativeEffect::StopCamera => devices.stop_camera(),
            NativeEffect::TakeStill | NativeEffect::Record { .. } => {
                let Some(camera) = devices.camera.borrow().clone() else {
                    return feed_native(this, attempt, NativeInput::CaptureFailed);
                };
                let weak = Rc::downgrade(this);
                crate::spawn(async move {
                    let (blob, tag) = match effect {
                        NativeEffect::Record { ms } => (camera.record(ms).await, "video"),
                        _ => (camera.still().await, "img"),
                    };
                    let Some(shared) = weak.upgrade() else { return };
                    let shown = blob
                        .filter(|b| b.size() > 0.0)
                        .is_some_and(|b| shared.show_artifact(b, tag));
                    let input = if shown {
                        NativeInput::Captured
                    } else {
                        NativeInput::CaptureFailed
                    };
                    feed_native(&shared, attempt, input);
                });
            }
            NativeEffect::Discard => {
                devices.artifact.borrow_mut().take();
            }
            NativeEffect::ShowFilePicker => {}
            NativeEffect::Upload {
                step,
                delay_ms,
                quality,
                ..
            } => {
                let weak = Rc::downgrade(this);
                Shared::after(this, delay_ms, move || {
                    if let Some(shared) = weak.upgrade() {
                        Shared::start_upload(&shared, attempt, step, quality.as_deref());
                    }
                });
            }
            NativeEffect::Captured { .. } => {}
            NativeEffect::Complete { delay_ms, .. } => {
                let weak = Rc::downgrade(this);
                Shared::after(this, delay_ms, move || {
                    let Some(shared) = weak.upgrade() else { return };
                    let Some((url, token)) = shared.upload_target() else {
                        return;
                    };
                    let weak = Rc::downgrade(&shared);
                    crate::spawn(async move {
                        let result = backend::complete_native(&url, &token).await;
                        if let Some(shared) = weak.upgrade() {
                            feed_native(&shared, attempt, NativeInput::Completed(result));
                        }
                    });
                });
            }
        }
    }

    /// Checks the preview's quality every [`ANALYSIS_MS`] while the camera is
    /// live, feeding each report to the flow (hints and auto-capture).
    fn start_analysis(this: &Rc<Shared>, attempt: u32, camera: Rc<Camera>, subject: Subject) {
        let weak = Rc::downgrade(this);
        let mut frames = FrameReader::default();
        let thresholds = this
            .flow
            .borrow()
            .config()
            .map(|c| c.quality)
            .unwrap_or_default();
        let timer = Timer::every(ANALYSIS_MS, move || {
            let Some(shared) = weak.upgrade() else { return };
            if let Some(report) = frames.read(&camera, subject, &thresholds) {
                feed_native(&shared, attempt, NativeInput::Frame(report));
            }
        });
        *this.devices.analysis.borrow_mut() = timer;
    }

    /// Runs `f` after `ms` (at once for 0); a later call or a release cancels it.
    fn after(this: &Rc<Shared>, ms: u32, f: impl FnOnce() + 'static) {
        this.devices.wait.borrow_mut().take();
        if ms == 0 {
            return f();
        }
        let mut f = Some(f);
        *this.devices.wait.borrow_mut() = Timer::once(ms, move || {
            if let Some(f) = f.take() {
                f();
            }
        });
    }

    fn upload_target(&self) -> Option<(String, String)> {
        let flow = self.flow.borrow();
        let session = flow.native()?.session();
        Some((session.upload_url.clone(), session.upload_token.clone()))
    }

    fn start_upload(this: &Rc<Shared>, attempt: u32, step: Step, quality: Option<&str>) {
        let Some((url, token)) = this.upload_target() else {
            return;
        };
        let Some(blob) = this
            .devices
            .artifact
            .borrow()
            .as_ref()
            .map(|a| a.blob.clone())
        else {
            return feed_native(this, attempt, NativeInput::CaptureFailed);
        };
        let url = format!("{}/{}", url.trim_end_matches('/'), step.as_str());
        let progress = Rc::downgrade(this);
        let done = Rc::downgrade(this);
        let upload = Upload::start(
            &url,
            &token,
            &blob,
            quality,
            move |fraction| {
                if let Some(shared) = progress.upgrade() {
                    shared.show_upload_progress(fraction);
                }
            },
            move |result| {
                if let Some(shared) = done.upgrade() {
                    feed_native(&shared, attempt, NativeInput::Uploaded(result));
                }
            },
        );
        match upload {
            Some(upload) => *this.devices.upload.borrow_mut() = Some(upload),
            None => feed_native(
                this,
                attempt,
                NativeInput::Uploaded(Err(crate::core::failure::Failure::BrowserUnsupported)),
            ),
        }
    }

    /// Shows `blob` for review as an `img` or `video`; false when the browser refuses.
    fn show_artifact(&self, blob: Blob, tag: &str) -> bool {
        self.devices.artifact.borrow_mut().take();
        let Ok(url) = Url::create_object_url_with_blob(&blob) else {
            return false;
        };
        let Some(element) = self
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
            let alt = self.flow.borrow().texts().get(Text::HintReview).to_string();
            let _ = element.set_attribute("alt", &alt);
        }
        let _ = self.stage.append_child(&element);
        *self.devices.artifact.borrow_mut() = Some(Artifact { blob, url, element });
        true
    }

    /// An image the user picked instead of the camera.
    pub(super) fn on_file_chosen(this: &Rc<Shared>, file: File) {
        if !file.type_().starts_with("image/") || file.size() > MAX_FILE_BYTES || file.size() <= 0.0
        {
            return;
        }
        let attempt = this.flow.borrow().attempt();
        let weak = Rc::downgrade(this);
        crate::spawn(async move {
            let jpeg = super::media::picked_to_jpeg(&file).await;
            let Some(shared) = weak.upgrade() else { return };
            if jpeg.is_some_and(|b| shared.show_artifact(b, "img")) {
                feed_native(&shared, attempt, NativeInput::FileChosen);
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
