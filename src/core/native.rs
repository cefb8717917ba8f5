//! Native capture: the steps the component drives itself with camera and
//! microphone (document front and back, selfie, liveness video), their
//! uploads, and how device errors become typed failures.
//!
//! [`NativeCapture`] is a sub-machine of [`crate::core::flow::Flow`] while the
//! flow is capturing in native mode: it takes [`NativeInput`]s and returns
//! effects plus what the whole flow should do next ([`Outcome`]).

pub use super::document::{Zone, ZoneRead};
use super::failure::{DevicePart, Failure};
use super::quality::{Report, Steadiness, Thresholds, Verdict};

/// One artifact of a native capture, in the order the user takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The document's front, as a still.
    Front,
    /// The document's back, as a still (only when the document has one).
    Back,
    /// The user's face, as a still.
    Selfie,
    /// A short video with sound: the user reads digits aloud.
    Video,
}

impl Step {
    /// The name used in `steps`, the upload URL and the `step` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Front => "front",
            Step::Back => "back",
            Step::Selfie => "selfie",
            Step::Video => "video",
        }
    }

    /// Reads a step name.
    pub fn parse(s: &str) -> Option<Step> {
        match s {
            "front" => Some(Step::Front),
            "back" => Some(Step::Back),
            "selfie" => Some(Step::Selfie),
            "video" => Some(Step::Video),
            _ => None,
        }
    }

    /// Which camera suits the step: the rear one for documents, the front one for the face.
    pub fn facing(self) -> Facing {
        match self {
            Step::Front | Step::Back => Facing::Environment,
            Step::Selfie | Step::Video => Facing::User,
        }
    }

    /// Whether the step records sound.
    pub fn needs_microphone(self) -> bool {
        self == Step::Video
    }

    /// Whether a picked image file can stand in for the camera.
    pub fn is_document(self) -> bool {
        matches!(self, Step::Front | Step::Back)
    }
}

/// Which way a camera looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facing {
    /// Towards the user (selfie camera).
    User,
    /// Away from the user (rear camera).
    Environment,
}

impl Facing {
    /// The `facingMode` constraint value.
    pub fn as_str(self) -> &'static str {
        match self {
            Facing::User => "user",
            Facing::Environment => "environment",
        }
    }

    fn other(self) -> Facing {
        match self {
            Facing::User => Facing::Environment,
            Facing::Environment => Facing::User,
        }
    }
}

/// The kind of device a `getUserMedia` call asked for (one kind per call, so
/// that a denial names the right device).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// Video.
    Camera,
    /// Audio.
    Microphone,
}

/// Video constraints, from strict to lenient; a step moves down the ladder
/// when the browser answers `OverconstrainedError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    /// At least 1280×720, ideally 1920×1080: documents stay legible.
    Document,
    /// Ideally 1280×720, no minimum.
    Ideal,
    /// Any video at all.
    Any,
}

impl Quality {
    fn relaxed(self) -> Option<Quality> {
        match self {
            Quality::Document => Some(Quality::Ideal),
            Quality::Ideal => Some(Quality::Any),
            Quality::Any => None,
        }
    }
}

/// A failed media request: the `DOMException` name and message, and what was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaError {
    /// `NotAllowedError`, `NotFoundError`, …
    pub name: String,
    /// The exception's message (only read to spot a permissions-policy block).
    pub message: String,
    /// The kind of device asked for.
    pub device: Device,
}

/// What a media error means for the user, or `None` when a laxer request may work.
pub fn media_failure(error: &MediaError) -> Option<Failure> {
    let policy = super::find(&error.message.to_ascii_lowercase(), "policy").is_some();
    Some(match error.name.as_str() {
        "NotAllowedError" | "PermissionDeniedError" if policy => Failure::BlockedByPolicy,
        "NotAllowedError" | "PermissionDeniedError" => match error.device {
            Device::Camera => Failure::CameraDenied,
            Device::Microphone => Failure::MicrophoneDenied,
        },
        "SecurityError" => Failure::BlockedByPolicy,
        "NotFoundError" | "DevicesNotFoundError" => Failure::DeviceNotFound,
        // The OS or another app holds the device; AbortError is Chromium's
        // "started but failed", which the same advice (close other apps) fixes.
        "NotReadableError" | "TrackStartError" | "AbortError" => Failure::DeviceInUse,
        "OverconstrainedError" | "ConstraintNotSatisfiedError" => return None,
        // The adapter names `MediaRecorder` when the browser has no recording type at all.
        "NotSupportedError" if error.message == "MediaRecorder" => {
            Failure::DeviceUnsupported(Some(DevicePart::Recorder))
        }
        "NotSupportedError" | "TypeError" => Failure::DeviceUnsupported(None),
        "InsecureContext" => Failure::InsecureContext,
        _ => Failure::BrowserUnsupported,
    })
}

/// The native part of a session answer, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeSession {
    /// Where artifacts go (`PUT {upload_url}/{step}`).
    pub upload_url: String,
    /// The bearer token for uploads.
    pub upload_token: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Whether a picked image may replace the camera for document steps.
    pub file_fallback: bool,
}

impl NativeSession {
    /// Checks the native fields of a session answer.
    pub fn parse(
        upload_url: &str,
        upload_token: &str,
        steps: &[String],
        file_fallback: bool,
    ) -> Option<NativeSession> {
        let url_ok = !upload_url.is_empty()
            && upload_url.len() <= 2048
            && !upload_url
                .chars()
                .any(|c| c.is_control() || c.is_whitespace())
            && (upload_url.starts_with('/') && !upload_url.starts_with("//")
                || upload_url.starts_with("https://")
                || upload_url.starts_with("http://"));
        let token_ok = (16..=512).contains(&upload_token.len())
            && upload_token.bytes().all(|b| b.is_ascii_graphic());
        let mut parsed = Vec::new();
        for s in steps {
            let step = Step::parse(s)?;
            if parsed.contains(&step) {
                return None;
            }
            parsed.push(step);
        }
        (url_ok && token_ok && !parsed.is_empty()).then_some(NativeSession {
            upload_url: upload_url.to_string(),
            upload_token: upload_token.to_string(),
            steps: parsed,
            file_fallback,
        })
    }
}

/// Where a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Asking for the camera (and microphone).
    Opening,
    /// The live preview shows; the user can capture.
    Live,
    /// A still is being taken.
    Capturing,
    /// Recording the video step.
    Recording,
    /// A capture waits for the user's confirm or retake.
    Review,
    /// The artifact is being uploaded.
    Uploading,
    /// No camera: the user picks an image file instead.
    FilePick,
    /// All uploaded; the completion call is under way.
    Finishing,
    /// The camera is released while the page is hidden.
    Paused,
}

/// Something that happened during a native capture.
#[derive(Debug, Clone, PartialEq)]
pub enum NativeInput {
    /// The camera (and microphone) stream is live.
    CameraReady,
    /// A media request failed.
    CameraFailed(MediaError),
    /// The capture button.
    Shutter,
    /// The still or recording is ready for review.
    Captured,
    /// Taking the still or recording failed (an empty blob, the track ended,
    /// the recorder broke). The first time the camera reopens with a notice;
    /// the second time in a row the step takes its fallback or fails.
    CaptureFailed,
    /// The retake button.
    Retake,
    /// The confirm button.
    Confirm,
    /// The user picked a file for the current step.
    FileChosen,
    /// The switch-camera button.
    SwitchCamera,
    /// An upload of the current step ended.
    Uploaded(Result<(), Failure>),
    /// The completion call ended.
    Completed(Result<(), Failure>),
    /// The page was hidden (`visibilitychange`).
    Hidden,
    /// The page is visible again.
    Visible,
    /// The quality checks of the latest preview frame.
    Frame(Report),
    /// What the document reader made of a recent preview frame (document steps,
    /// once its chunk is there).
    Zone(Zone),
}

/// What the zone read so far asks the user to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneHint {
    /// The front was asked for and a card's back shows.
    TurnOver,
    /// The document has expired.
    Expired,
    /// A zone shows but does not read yet.
    Unreadable,
}

/// How many preview rounds (100 ms each) auto-capture waits for a valid read
/// once a zone has been seen on a step, before it falls back to the quality
/// rule alone.
pub const ZONE_WAIT_ROUNDS: u32 = 60;

/// What the native sub-machine asks the adapter to do; each effect carries
/// what the adapter needs to carry it out.
#[derive(Debug, Clone, PartialEq)]
pub enum NativeEffect {
    /// Ask for the camera (and microphone when `audio`) and show the preview.
    OpenCamera {
        /// The step it is for.
        step: Step,
        /// Which camera.
        facing: Facing,
        /// How strict the video constraints are.
        quality: Quality,
        /// Whether to ask for the microphone too (in its own request).
        audio: bool,
        /// What the preview's quality checks compare against.
        thresholds: Thresholds,
    },
    /// Stop every track and hide the preview.
    StopCamera,
    /// Take a JPEG still from the preview.
    TakeStill,
    /// Record the preview with sound for `ms` milliseconds.
    Record {
        /// How long.
        ms: u32,
    },
    /// Drop the captured artifact of the current step.
    Discard,
    /// Show the file picker for the current step.
    ShowFilePicker,
    /// Tell the host a step was captured (`videoid-step`).
    Captured {
        /// The step.
        step: Step,
        /// Whether the quality checks took it by themselves.
        auto: bool,
        /// The quality report of the captured frame, as JSON.
        quality: Option<String>,
        /// The zone read last before the capture, when the reader ran on the step.
        zone: Option<Zone>,
    },
    /// Upload the current step's artifact (attempt `try_no`, counting from 0).
    Upload {
        /// The step.
        step: Step,
        /// The captured frame's quality report, as JSON (sent as metadata).
        quality: Option<String>,
        /// Which try this is.
        try_no: u32,
        /// Wait this long first (backoff after a passing fault).
        delay_ms: u32,
        /// The session's upload endpoint (the step's name is added to its path).
        url: String,
        /// The session's upload token.
        token: String,
    },
    /// `POST {upload_url}/complete`.
    Complete {
        /// Which try this is.
        try_no: u32,
        /// Wait this long first.
        delay_ms: u32,
        /// The session's upload endpoint.
        url: String,
        /// The session's upload token.
        token: String,
    },
}

/// What the whole flow does after a native input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Keep capturing.
    Continue,
    /// Every artifact is uploaded and the capture is complete.
    Done,
    /// Stop with this failure.
    Fail(Failure),
    /// Switch to the hosted capture page (the host allowed `fallback="embed"`).
    Embed(Failure),
}

/// How long the liveness video records.
pub const VIDEO_MS: u32 = 4000;
/// How many times one upload (or the completion call) is tried.
pub const MAX_TRIES: u32 = 4;
/// How many failed stills or recordings in a row end a step's camera capture.
pub const MAX_MISSES: u32 = 2;

fn retryable(failure: &Failure) -> bool {
    matches!(failure, Failure::NetworkUnreachable)
        || matches!(failure, Failure::BackendError { status, .. } if *status >= 500 || *status == 408 || *status == 429)
}

fn backoff_ms(try_no: u32) -> u32 {
    if try_no == 0 {
        0
    } else {
        (500u32 << (try_no - 1).min(4)).min(8000)
    }
}

/// The state of a native capture.
#[derive(Debug, Clone, PartialEq)]
pub struct NativeCapture {
    session: NativeSession,
    index: usize,
    phase: Phase,
    quality: Quality,
    facing: Facing,
    cameras_tried: u32,
    try_no: u32,
    uploaded: Vec<Step>,
    via_file: bool,
    embed_allowed: bool,
    digits: [u8; 4],
    thresholds: Thresholds,
    steadiness: Steadiness,
    last: Option<Report>,
    captured_quality: Option<Report>,
    auto_taken: bool,
    misses: u32,
    /// The reader's latest answer on this opening of the camera.
    zone: Option<Zone>,
    /// Whether a zone (readable or not) showed on this step.
    zone_seen: bool,
    /// Preview rounds since the camera opened (for [`ZONE_WAIT_ROUNDS`]).
    live_rounds: u32,
}

impl NativeCapture {
    /// Starts at the first step; `embed_allowed` when `fallback="embed"` and a capture URL exist;
    /// `seed` picks the digits to read aloud.
    pub fn new(
        session: NativeSession,
        embed_allowed: bool,
        seed: u32,
        thresholds: Thresholds,
    ) -> (NativeCapture, Vec<NativeEffect>) {
        let first = session.steps[0];
        let mut digits = [0u8; 4];
        let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(12345);
        for d in &mut digits {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *d = (x % 10) as u8;
        }
        let mut capture = NativeCapture {
            session,
            index: 0,
            phase: Phase::Opening,
            quality: Quality::Document,
            facing: first.facing(),
            cameras_tried: 0,
            try_no: 0,
            uploaded: Vec::new(),
            via_file: false,
            embed_allowed,
            digits,
            thresholds,
            steadiness: Steadiness::default(),
            last: None,
            captured_quality: None,
            auto_taken: false,
            misses: 0,
            zone: None,
            zone_seen: false,
            live_rounds: 0,
        };
        let fx = vec![capture.open()];
        capture.phase = Phase::Opening;
        (capture, fx)
    }

    /// Like [`NativeCapture::new`] with the default thresholds.
    pub fn new_default(
        session: NativeSession,
        embed_allowed: bool,
        seed: u32,
    ) -> (NativeCapture, Vec<NativeEffect>) {
        NativeCapture::new(session, embed_allowed, seed, Thresholds::default())
    }

    /// The step under way.
    pub fn step(&self) -> Step {
        self.session.steps[self.index.min(self.session.steps.len() - 1)]
    }

    /// Where it is.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The session's upload endpoint and token.
    pub fn session(&self) -> &NativeSession {
        &self.session
    }

    /// `(done, total)` for the progress indicator.
    pub fn progress(&self) -> (usize, usize) {
        (self.uploaded.len(), self.session.steps.len())
    }

    /// The digits the user reads aloud in the video step.
    pub fn digits(&self) -> [u8; 4] {
        self.digits
    }

    /// Whether the current step's artifact came from a picked file.
    pub fn via_file(&self) -> bool {
        self.via_file
    }

    /// Whether the last still or recording of this step failed and the user is asked to try again.
    pub fn missed(&self) -> bool {
        self.misses > 0 && self.phase != Phase::FilePick
    }

    /// What the latest frame's checks ask the user to fix, while the preview is live.
    pub fn verdict(&self) -> Option<Verdict> {
        (self.phase == Phase::Live).then_some(self.last?.verdict)
    }

    /// What the zone read last asks of the user, while the preview is live on a
    /// document step: a wrong side or an expired document first, then a zone
    /// that does not read yet.
    pub fn zone_hint(&self) -> Option<ZoneHint> {
        if self.phase != Phase::Live {
            return None;
        }
        match self.zone.as_ref()? {
            Zone::Valid(read) if self.wrong_side(read) => Some(ZoneHint::TurnOver),
            Zone::Valid(read) if read.expired => Some(ZoneHint::Expired),
            Zone::Unreadable => Some(ZoneHint::Unreadable),
            _ => None,
        }
    }

    /// A card's back shows where its front was asked for.
    fn wrong_side(&self, read: &ZoneRead) -> bool {
        read.card_back && self.step() == Step::Front
    }

    /// Whether the zone lets auto-capture take the frame: always when no zone
    /// showed on the step; otherwise only a valid read of the right side of a
    /// document still valid, until [`ZONE_WAIT_ROUNDS`] pass without one (then
    /// the quality rule alone, unless the read says wrong side or expired).
    fn zone_allows(&self) -> bool {
        match &self.zone {
            Some(Zone::Valid(read)) => !(read.expired || self.wrong_side(read)),
            _ if self.zone_seen => self.live_rounds >= ZONE_WAIT_ROUNDS,
            _ => true,
        }
    }

    fn open(&mut self) -> NativeEffect {
        self.phase = Phase::Opening;
        self.last = None;
        self.zone = None;
        self.live_rounds = 0;
        self.steadiness.reset();
        let step = self.step();
        NativeEffect::OpenCamera {
            step,
            facing: self.facing,
            quality: if step.is_document() {
                self.quality
            } else {
                self.quality.relaxed().unwrap_or(Quality::Any)
            },
            audio: step.needs_microphone(),
            thresholds: self.thresholds,
        }
    }

    fn begin_step(&mut self, fx: &mut Vec<NativeEffect>) {
        let step = self.step();
        self.quality = Quality::Document;
        self.facing = step.facing();
        self.cameras_tried = 0;
        self.try_no = 0;
        self.via_file = false;
        self.misses = 0;
        self.zone_seen = false;
        fx.push(self.open());
    }

    fn upload(&mut self, fx: &mut Vec<NativeEffect>) {
        self.phase = Phase::Uploading;
        fx.push(NativeEffect::Upload {
            step: self.step(),
            quality: self.captured_quality.map(|r| r.to_json()),
            try_no: self.try_no,
            delay_ms: backoff_ms(self.try_no),
            url: self.session.upload_url.clone(),
            token: self.session.upload_token.clone(),
        });
    }

    fn complete_call(&self, try_no: u32) -> NativeEffect {
        NativeEffect::Complete {
            try_no,
            delay_ms: backoff_ms(try_no),
            url: self.session.upload_url.clone(),
            token: self.session.upload_token.clone(),
        }
    }

    /// Feeds one input.
    pub fn on(&mut self, input: NativeInput) -> (Vec<NativeEffect>, Outcome) {
        let mut fx = Vec::new();
        let outcome = self.handle(input, &mut fx);
        (fx, outcome)
    }

    fn handle(&mut self, input: NativeInput, fx: &mut Vec<NativeEffect>) -> Outcome {
        use NativeInput as I;
        match (input, self.phase) {
            (I::CameraReady, Phase::Opening) => self.phase = Phase::Live,
            (I::CameraFailed(error), Phase::Opening) => return self.camera_failed(&error, fx),
            (I::Frame(report), Phase::Live) if self.step() != Step::Video => {
                self.last = Some(report);
                self.live_rounds = self.live_rounds.saturating_add(1);
                let steady = self
                    .steadiness
                    .observe(report.verdict, self.thresholds.frames);
                if steady && self.step().is_document() && self.zone_allows() {
                    self.steadiness.reset();
                    self.auto_taken = true;
                    self.phase = Phase::Capturing;
                    fx.push(NativeEffect::TakeStill);
                }
            }
            // The frame the still is taken from, read as the shutter went: a still taken
            // before any preview round was read still carries its report.
            (I::Frame(report), Phase::Capturing) if self.step() != Step::Video => {
                self.last = Some(report);
            }
            (I::Zone(zone), Phase::Live | Phase::Capturing) if self.step().is_document() => {
                self.zone_seen |= zone != Zone::Absent;
                self.zone = Some(zone);
            }
            (I::Shutter, Phase::Live) => {
                self.auto_taken = false;
                if self.step() == Step::Video {
                    self.phase = Phase::Recording;
                    fx.push(NativeEffect::Record { ms: VIDEO_MS });
                } else {
                    self.phase = Phase::Capturing;
                    fx.push(NativeEffect::TakeStill);
                }
            }
            (I::Captured, Phase::Capturing | Phase::Recording | Phase::FilePick) => {
                self.via_file = self.phase == Phase::FilePick;
                self.misses = 0;
                self.captured_quality = if self.via_file { None } else { self.last };
                self.phase = Phase::Review;
                // The light goes off while the user looks at the capture.
                fx.push(NativeEffect::StopCamera);
                fx.push(NativeEffect::Captured {
                    step: self.step(),
                    auto: self.auto_taken && !self.via_file,
                    quality: self.captured_quality.map(|r| r.to_json()),
                    zone: if self.via_file {
                        None
                    } else {
                        self.zone.clone()
                    },
                });
            }
            (I::FileChosen, Phase::FilePick) => return self.handle(I::Captured, fx),
            (I::CaptureFailed, Phase::Capturing | Phase::Recording) => {
                return self.capture_failed(fx)
            }
            (I::Retake, Phase::Review) => {
                fx.push(NativeEffect::Discard);
                if self.via_file {
                    self.phase = Phase::FilePick;
                    fx.push(NativeEffect::ShowFilePicker);
                } else {
                    fx.push(self.open());
                }
            }
            (I::Confirm, Phase::Review) => {
                self.try_no = 0;
                self.upload(fx);
            }
            (I::SwitchCamera, Phase::Live) => {
                self.facing = self.facing.other();
                fx.push(NativeEffect::StopCamera);
                fx.push(self.open());
            }
            (I::Uploaded(result), Phase::Uploading) => return self.uploaded(result, fx),
            (I::Completed(result), Phase::Finishing) => match result {
                Ok(()) => return Outcome::Done,
                Err(f) if retryable(&f) && self.try_no + 1 < MAX_TRIES => {
                    self.try_no += 1;
                    fx.push(self.complete_call(self.try_no));
                }
                Err(f) => return Outcome::Fail(f),
            },
            (I::Hidden, Phase::Opening | Phase::Live | Phase::Capturing) => {
                // Release the camera while nobody can see the page.
                self.phase = Phase::Paused;
                fx.push(NativeEffect::StopCamera);
            }
            (I::Hidden, Phase::Recording) => {
                self.phase = Phase::Paused;
                fx.push(NativeEffect::StopCamera);
                fx.push(NativeEffect::Discard);
            }
            (I::Visible, Phase::Paused) => fx.push(self.open()),
            _ => {}
        }
        Outcome::Continue
    }

    fn camera_failed(&mut self, error: &MediaError, fx: &mut Vec<NativeEffect>) -> Outcome {
        let step = self.step();
        let failure = match media_failure(error) {
            // Nothing was required (`audio: true`, or the laxest video request), yet
            // nothing matched: there is no such device. WebKit answers so for no device.
            None if error.device == Device::Microphone => Failure::DeviceNotFound,
            None => match self.quality.relaxed() {
                Some(q) => {
                    self.quality = q;
                    fx.push(self.open());
                    return Outcome::Continue;
                }
                None => Failure::DeviceNotFound,
            },
            // A device with one camera has no rear one: try the other before giving up.
            Some(Failure::DeviceNotFound)
                if error.device == Device::Camera && self.cameras_tried == 0 =>
            {
                self.cameras_tried += 1;
                self.facing = self.facing.other();
                fx.push(self.open());
                return Outcome::Continue;
            }
            Some(f) => f,
        };
        let camera_problem =
            error.device == Device::Camera && failure != Failure::BrowserUnsupported;
        if step.is_document() && self.session.file_fallback && camera_problem {
            self.phase = Phase::FilePick;
            fx.push(NativeEffect::StopCamera);
            fx.push(NativeEffect::ShowFilePicker);
            return Outcome::Continue;
        }
        fx.push(NativeEffect::StopCamera);
        if self.embed_allowed && failure.recoverable() {
            Outcome::Embed(failure)
        } else {
            Outcome::Fail(failure)
        }
    }

    /// A still or recording failed: try once more, then never loop. The step's
    /// fallback (a picked file for documents, the hosted page where the host
    /// allows it) or a typed failure naming the part that broke.
    fn capture_failed(&mut self, fx: &mut Vec<NativeEffect>) -> Outcome {
        self.misses += 1;
        fx.push(NativeEffect::StopCamera);
        if self.misses < MAX_MISSES {
            fx.push(self.open());
            return Outcome::Continue;
        }
        let step = self.step();
        if step.is_document() && self.session.file_fallback {
            self.phase = Phase::FilePick;
            fx.push(NativeEffect::ShowFilePicker);
            return Outcome::Continue;
        }
        let part = if step == Step::Video {
            DevicePart::Recorder
        } else {
            DevicePart::Still
        };
        let failure = Failure::DeviceUnsupported(Some(part));
        if self.embed_allowed {
            Outcome::Embed(failure)
        } else {
            Outcome::Fail(failure)
        }
    }

    fn uploaded(&mut self, result: Result<(), Failure>, fx: &mut Vec<NativeEffect>) -> Outcome {
        match result {
            Ok(()) => {
                let step = self.step();
                if !self.uploaded.contains(&step) {
                    self.uploaded.push(step);
                }
                fx.push(NativeEffect::Discard);
                if self.index + 1 < self.session.steps.len() {
                    self.index += 1;
                    self.begin_step(fx);
                } else {
                    self.phase = Phase::Finishing;
                    self.try_no = 0;
                    fx.push(self.complete_call(0));
                }
                Outcome::Continue
            }
            Err(f) if retryable(&f) && self.try_no + 1 < MAX_TRIES => {
                self.try_no += 1;
                self.upload(fx);
                Outcome::Continue
            }
            Err(f) => Outcome::Fail(f),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const UPLOAD_URL: &str = "/api/videoid/upload";
    const UPLOAD_TOKEN: &str = "tok_0123456789abcdef";

    fn session(steps: &[&str], file_fallback: bool) -> NativeSession {
        let steps: Vec<String> = steps.iter().map(|s| s.to_string()).collect();
        NativeSession::parse(UPLOAD_URL, UPLOAD_TOKEN, &steps, file_fallback).unwrap()
    }

    fn err(name: &str, device: Device) -> MediaError {
        MediaError {
            name: name.into(),
            message: String::new(),
            device,
        }
    }

    #[test]
    fn dom_exceptions_map_to_typed_failures_telling_camera_from_microphone() {
        assert_eq!(
            media_failure(&err("NotAllowedError", Device::Camera)),
            Some(Failure::CameraDenied)
        );
        assert_eq!(
            media_failure(&err("NotAllowedError", Device::Microphone)),
            Some(Failure::MicrophoneDenied)
        );
        let policy = MediaError {
            message: "Permission denied by permissions policy".into(),
            ..err("NotAllowedError", Device::Camera)
        };
        assert_eq!(media_failure(&policy), Some(Failure::BlockedByPolicy));
        assert_eq!(
            media_failure(&err("SecurityError", Device::Camera)),
            Some(Failure::BlockedByPolicy)
        );
        assert_eq!(
            media_failure(&err("NotFoundError", Device::Microphone)),
            Some(Failure::DeviceNotFound)
        );
        assert_eq!(
            media_failure(&err("NotReadableError", Device::Camera)),
            Some(Failure::DeviceInUse)
        );
        assert_eq!(
            media_failure(&err("AbortError", Device::Camera)),
            Some(Failure::DeviceInUse)
        );
        assert_eq!(
            media_failure(&err("OverconstrainedError", Device::Camera)),
            None
        );
        assert_eq!(
            media_failure(&err("TypeError", Device::Camera)),
            Some(Failure::DeviceUnsupported(None))
        );
        assert_eq!(
            media_failure(&err("WeirdError", Device::Camera)),
            Some(Failure::BrowserUnsupported)
        );
    }

    #[test]
    fn sessions_are_checked() {
        let steps = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(
            NativeSession::parse("/u", "short", &steps(&["front"]), true).is_none(),
            "token too short"
        );
        assert!(
            NativeSession::parse("//evil/u", "tok_0123456789abcdef", &steps(&["front"]), true)
                .is_none()
        );
        assert!(NativeSession::parse(
            "/u",
            "tok_0123456789abcdef",
            &steps(&["front", "front"]),
            true
        )
        .is_none());
        assert!(
            NativeSession::parse("/u", "tok_0123456789abcdef", &steps(&["palm"]), true).is_none()
        );
        assert!(NativeSession::parse("/u", "tok_0123456789abcdef", &steps(&[]), true).is_none());
        assert_eq!(
            session(&["front", "selfie"], false).steps,
            vec![Step::Front, Step::Selfie]
        );
    }

    #[test]
    fn the_whole_capture_walks_every_step_and_uploads_each_once() {
        let (mut c, fx) = NativeCapture::new_default(
            session(&["front", "back", "selfie", "video"], true),
            false,
            7,
        );
        assert_eq!(
            fx,
            vec![NativeEffect::OpenCamera {
                step: Step::Front,
                facing: Facing::Environment,
                quality: Quality::Document,
                audio: false,
                thresholds: Thresholds::default(),
            }]
        );
        for step in [Step::Front, Step::Back, Step::Selfie, Step::Video] {
            assert_eq!(c.step(), step);
            assert_eq!(c.on(NativeInput::CameraReady).1, Outcome::Continue);
            let (fx, _) = c.on(NativeInput::Shutter);
            if step == Step::Video {
                assert_eq!(fx, vec![NativeEffect::Record { ms: VIDEO_MS }]);
            } else {
                assert_eq!(fx, vec![NativeEffect::TakeStill]);
            }
            let (fx, _) = c.on(NativeInput::Captured);
            assert_eq!(
                fx,
                vec![
                    NativeEffect::StopCamera,
                    NativeEffect::Captured {
                        step,
                        auto: false,
                        quality: None,
                        zone: None
                    }
                ],
                "the light goes off during review; the host hears of the capture"
            );
            let (fx, _) = c.on(NativeInput::Confirm);
            assert_eq!(
                fx,
                vec![NativeEffect::Upload {
                    step,
                    quality: None,
                    try_no: 0,
                    delay_ms: 0,
                    url: UPLOAD_URL.into(),
                    token: UPLOAD_TOKEN.into(),
                }]
            );
            // A second confirm while uploading does not upload again.
            assert!(c.on(NativeInput::Confirm).0.is_empty());
            let (fx, outcome) = c.on(NativeInput::Uploaded(Ok(())));
            assert_eq!(outcome, Outcome::Continue);
            if step == Step::Video {
                assert!(fx.contains(&NativeEffect::Complete {
                    try_no: 0,
                    delay_ms: 0,
                    url: UPLOAD_URL.into(),
                    token: UPLOAD_TOKEN.into(),
                }));
            } else {
                assert!(
                    matches!(fx.last(), Some(NativeEffect::OpenCamera { audio, .. }) if *audio == (c.step() == Step::Video))
                );
            }
        }
        assert_eq!(c.progress(), (4, 4));
        assert_eq!(c.on(NativeInput::Completed(Ok(()))).1, Outcome::Done);
    }

    #[test]
    fn each_step_asks_for_the_right_camera() {
        let (mut c, _) = NativeCapture::new_default(session(&["front", "selfie"], true), false, 1);
        c.on(NativeInput::CameraReady);
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Captured);
        c.on(NativeInput::Confirm);
        let (fx, _) = c.on(NativeInput::Uploaded(Ok(())));
        assert!(fx.contains(&NativeEffect::OpenCamera {
            step: Step::Selfie,
            facing: Facing::User,
            quality: Quality::Ideal,
            audio: false,
            thresholds: Thresholds::default(),
        }));
        c.on(NativeInput::CameraReady);
        let (fx, _) = c.on(NativeInput::SwitchCamera);
        assert!(fx.contains(&NativeEffect::OpenCamera {
            step: Step::Selfie,
            facing: Facing::Environment,
            quality: Quality::Ideal,
            audio: false,
            thresholds: Thresholds::default(),
        }));
    }

    #[test]
    fn overconstrained_relaxes_then_means_no_device() {
        let (mut c, _) = NativeCapture::new_default(session(&["selfie"], false), false, 1);
        let over = || NativeInput::CameraFailed(err("OverconstrainedError", Device::Camera));
        let (fx, _) = c.on(over());
        assert!(matches!(
            fx[0],
            NativeEffect::OpenCamera {
                quality: Quality::Any,
                ..
            }
        ));
        let (fx, _) = c.on(over());
        assert!(matches!(
            fx[0],
            NativeEffect::OpenCamera {
                quality: Quality::Any,
                ..
            }
        ));
        assert_eq!(
            c.on(over()).1,
            Outcome::Fail(Failure::DeviceNotFound),
            "even the laxest request matched nothing: no camera at all"
        );
        let (mut c, _) = NativeCapture::new_default(session(&["video"], false), false, 1);
        let (_, outcome) = c.on(NativeInput::CameraFailed(err(
            "OverconstrainedError",
            Device::Microphone,
        )));
        assert_eq!(outcome, Outcome::Fail(Failure::DeviceNotFound));
    }

    #[test]
    fn no_camera_for_documents_means_the_file_picker_when_allowed() {
        let (mut c, _) = NativeCapture::new_default(session(&["front", "selfie"], true), false, 1);
        let (fx, outcome) = c.on(NativeInput::CameraFailed(err(
            "NotAllowedError",
            Device::Camera,
        )));
        assert_eq!(outcome, Outcome::Continue);
        assert_eq!(
            fx,
            vec![NativeEffect::StopCamera, NativeEffect::ShowFilePicker]
        );
        assert_eq!(c.phase(), Phase::FilePick);
        c.on(NativeInput::FileChosen);
        assert!(c.via_file());
        let (fx, _) = c.on(NativeInput::Retake);
        assert_eq!(
            fx,
            vec![NativeEffect::Discard, NativeEffect::ShowFilePicker]
        );
        c.on(NativeInput::FileChosen);
        c.on(NativeInput::Confirm);
        c.on(NativeInput::Uploaded(Ok(())));
        // The selfie has no file fallback: the denial is final there.
        let (_, outcome) = c.on(NativeInput::CameraFailed(err(
            "NotAllowedError",
            Device::Camera,
        )));
        assert_eq!(outcome, Outcome::Fail(Failure::CameraDenied));
    }

    #[test]
    fn without_file_fallback_a_denied_camera_fails_or_goes_to_embed() {
        let (mut c, _) = NativeCapture::new_default(session(&["front"], false), false, 1);
        let (fx, outcome) = c.on(NativeInput::CameraFailed(err(
            "NotAllowedError",
            Device::Camera,
        )));
        assert_eq!(outcome, Outcome::Fail(Failure::CameraDenied));
        assert_eq!(fx, vec![NativeEffect::StopCamera]);
        let (mut c, _) = NativeCapture::new_default(session(&["video"], false), true, 1);
        let (_, outcome) = c.on(NativeInput::CameraFailed(err(
            "NotAllowedError",
            Device::Microphone,
        )));
        assert_eq!(outcome, Outcome::Embed(Failure::MicrophoneDenied));
    }

    #[test]
    fn a_missing_rear_camera_falls_back_to_the_other_one_first() {
        let (mut c, _) = NativeCapture::new_default(session(&["front"], false), false, 1);
        let (fx, outcome) = c.on(NativeInput::CameraFailed(err(
            "NotFoundError",
            Device::Camera,
        )));
        assert_eq!(outcome, Outcome::Continue);
        assert!(matches!(
            fx[0],
            NativeEffect::OpenCamera {
                facing: Facing::User,
                ..
            }
        ));
        let (_, outcome) = c.on(NativeInput::CameraFailed(err(
            "NotFoundError",
            Device::Camera,
        )));
        assert_eq!(outcome, Outcome::Fail(Failure::DeviceNotFound));
    }

    #[test]
    fn uploads_retry_passing_faults_with_backoff_and_stop_on_lasting_ones() {
        let (mut c, _) = NativeCapture::new_default(session(&["front", "back"], false), false, 1);
        c.on(NativeInput::CameraReady);
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Captured);
        c.on(NativeInput::Confirm);
        let mut delays = Vec::new();
        for _ in 0..MAX_TRIES - 1 {
            let (fx, outcome) = c.on(NativeInput::Uploaded(Err(Failure::NetworkUnreachable)));
            assert_eq!(outcome, Outcome::Continue);
            if let [NativeEffect::Upload { delay_ms, .. }] = fx[..] {
                delays.push(delay_ms);
            }
        }
        assert_eq!(delays, vec![500, 1000, 2000]);
        let (_, outcome) = c.on(NativeInput::Uploaded(Err(Failure::BackendError {
            status: 503,
            retry_after: None,
        })));
        assert_eq!(
            outcome,
            Outcome::Fail(Failure::BackendError {
                status: 503,
                retry_after: None
            })
        );

        let (mut c, _) = NativeCapture::new_default(session(&["front"], false), false, 1);
        c.on(NativeInput::CameraReady);
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Captured);
        c.on(NativeInput::Confirm);
        let (_, outcome) = c.on(NativeInput::Uploaded(Err(Failure::BackendError {
            status: 413,
            retry_after: None,
        })));
        assert_eq!(
            outcome,
            Outcome::Fail(Failure::BackendError {
                status: 413,
                retry_after: None
            })
        );
    }

    #[test]
    fn a_hidden_page_releases_the_camera_and_reopens_it_when_visible() {
        let (mut c, _) = NativeCapture::new_default(session(&["selfie"], false), false, 1);
        c.on(NativeInput::CameraReady);
        let (fx, _) = c.on(NativeInput::Hidden);
        assert_eq!(fx, vec![NativeEffect::StopCamera]);
        assert_eq!(c.phase(), Phase::Paused);
        let (fx, _) = c.on(NativeInput::Visible);
        assert!(matches!(fx[0], NativeEffect::OpenCamera { .. }));
        // During review nothing is live, so hiding changes nothing.
        c.on(NativeInput::CameraReady);
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Captured);
        assert!(c.on(NativeInput::Hidden).0.is_empty());
    }

    fn report(verdict: Verdict) -> Report {
        Report {
            sharpness: 300.0,
            brightness: 120.0,
            glare: 0.0,
            motion: 0.5,
            fill: 0.6,
            verdict,
        }
    }

    #[test]
    fn a_still_taken_before_any_preview_round_carries_the_report_of_its_frame() {
        let (mut c, _) =
            NativeCapture::new(session(&["front"], false), false, 1, Thresholds::default());
        c.on(NativeInput::CameraReady);
        let (fx, _) = c.on(NativeInput::Shutter);
        assert_eq!(fx, vec![NativeEffect::TakeStill]);
        assert!(
            c.on(NativeInput::Frame(report(Verdict::Blurry)))
                .0
                .is_empty(),
            "a report while capturing only records"
        );
        let (fx, _) = c.on(NativeInput::Captured);
        assert!(fx.contains(&NativeEffect::Captured {
            step: Step::Front,
            auto: false,
            quality: Some(report(Verdict::Blurry).to_json()),
            zone: None
        }));
    }

    fn valid(card_back: bool, expired: bool) -> Zone {
        Zone::Valid(ZoneRead {
            card_back,
            expired,
            fields: r#"{"surname":"ERIKSSON"}"#.into(),
        })
    }

    /// A live document step with auto-capture after 2 good frames.
    fn live(steps: &[&str]) -> NativeCapture {
        let t = Thresholds {
            frames: 2,
            ..Thresholds::default()
        };
        let (mut c, _) = NativeCapture::new(session(steps, false), false, 1, t);
        c.on(NativeInput::CameraReady);
        c
    }

    fn good(c: &mut NativeCapture) -> Vec<NativeEffect> {
        c.on(NativeInput::Frame(report(Verdict::Good))).0
    }

    #[test]
    fn without_a_zone_in_sight_auto_capture_is_the_quality_rule() {
        let mut c = live(&["front", "back"]);
        c.on(NativeInput::Zone(Zone::Absent));
        assert!(good(&mut c).is_empty());
        assert_eq!(good(&mut c), vec![NativeEffect::TakeStill]);
        assert_eq!(c.zone_hint(), None);
    }

    #[test]
    fn a_zone_in_sight_holds_auto_capture_until_it_reads_valid() {
        let mut c = live(&["back"]);
        assert_eq!(c.on(NativeInput::Zone(Zone::Unreadable)).0, vec![]);
        assert_eq!(c.zone_hint(), Some(ZoneHint::Unreadable));
        for _ in 0..5 {
            assert!(
                good(&mut c).is_empty(),
                "steady, but the zone does not read"
            );
        }
        // The document leaves the frame for a moment: still no capture.
        c.on(NativeInput::Zone(Zone::Absent));
        assert!(good(&mut c).is_empty());
        c.on(NativeInput::Zone(valid(true, false)));
        assert_eq!(
            c.zone_hint(),
            None,
            "a card's back on the back step is right"
        );
        assert_eq!(good(&mut c), vec![NativeEffect::TakeStill]);
        let (fx, _) = c.on(NativeInput::Captured);
        assert!(fx.contains(&NativeEffect::Captured {
            step: Step::Back,
            auto: true,
            quality: Some(report(Verdict::Good).to_json()),
            zone: Some(valid(true, false)),
        }));
    }

    #[test]
    fn a_zone_that_never_reads_falls_back_to_the_quality_rule_after_the_wait() {
        let mut c = live(&["front"]);
        c.on(NativeInput::Zone(Zone::Unreadable));
        for round in 1..ZONE_WAIT_ROUNDS {
            assert!(good(&mut c).is_empty(), "round {round}");
        }
        assert_eq!(good(&mut c), vec![NativeEffect::TakeStill]);
        let (fx, _) = c.on(NativeInput::Captured);
        assert!(fx.iter().any(|e| matches!(
            e,
            NativeEffect::Captured {
                auto: true,
                zone: Some(Zone::Unreadable),
                ..
            }
        )));
    }

    #[test]
    fn a_cards_back_for_its_front_says_turn_it_over_and_is_never_taken_by_itself() {
        let mut c = live(&["front", "back"]);
        c.on(NativeInput::Zone(valid(true, false)));
        assert_eq!(c.zone_hint(), Some(ZoneHint::TurnOver));
        for _ in 0..ZONE_WAIT_ROUNDS + 5 {
            assert!(good(&mut c).is_empty());
        }
        // The user may still take it by hand.
        assert_eq!(c.on(NativeInput::Shutter).0, vec![NativeEffect::TakeStill]);
        assert_eq!(c.zone_hint(), None, "hints only while live");
    }

    #[test]
    fn an_expired_document_says_so_and_is_never_taken_by_itself() {
        let mut c = live(&["front"]);
        c.on(NativeInput::Zone(valid(false, true)));
        assert_eq!(c.zone_hint(), Some(ZoneHint::Expired));
        for _ in 0..ZONE_WAIT_ROUNDS + 5 {
            assert!(good(&mut c).is_empty());
        }
        // A passport's data page, valid: taken.
        c.on(NativeInput::Zone(valid(false, false)));
        assert_eq!(c.zone_hint(), None);
        assert_eq!(good(&mut c), vec![NativeEffect::TakeStill]);
    }

    #[test]
    fn the_zone_starts_afresh_on_each_step_and_each_opening() {
        let mut c = live(&["front", "back"]);
        c.on(NativeInput::Zone(Zone::Unreadable));
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Captured);
        c.on(NativeInput::Retake);
        c.on(NativeInput::CameraReady);
        assert_eq!(
            c.zone_hint(),
            None,
            "a reopened camera has read nothing yet"
        );
        // Still the same step: the zone seen before still holds auto-capture.
        assert!(good(&mut c).is_empty());
        assert!(good(&mut c).is_empty());
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Captured);
        c.on(NativeInput::Confirm);
        c.on(NativeInput::Uploaded(Ok(())));
        assert_eq!(c.step(), Step::Back);
        c.on(NativeInput::CameraReady);
        assert!(good(&mut c).is_empty());
        assert_eq!(
            good(&mut c),
            vec![NativeEffect::TakeStill],
            "a new step, no zone seen"
        );
    }

    #[test]
    fn zone_readings_count_only_on_document_steps() {
        let mut c = live(&["selfie"]);
        c.on(NativeInput::Zone(Zone::Unreadable));
        assert_eq!(c.zone_hint(), None);
        assert!(good(&mut c).is_empty(), "a selfie is never taken by itself");
        c.on(NativeInput::Shutter);
        let (fx, _) = c.on(NativeInput::Captured);
        assert!(fx
            .iter()
            .any(|e| matches!(e, NativeEffect::Captured { zone: None, .. })));
    }

    #[test]
    fn documents_capture_themselves_after_enough_good_frames() {
        let t = Thresholds {
            frames: 3,
            ..Thresholds::default()
        };
        let (mut c, _) = NativeCapture::new(session(&["front", "selfie"], false), false, 1, t);
        c.on(NativeInput::CameraReady);
        assert!(c.on(NativeInput::Frame(report(Verdict::Good))).0.is_empty());
        assert!(c.on(NativeInput::Frame(report(Verdict::Good))).0.is_empty());
        assert!(
            c.on(NativeInput::Frame(report(Verdict::Glare)))
                .0
                .is_empty(),
            "a bad frame starts the count again"
        );
        assert_eq!(c.verdict(), Some(Verdict::Glare));
        c.on(NativeInput::Frame(report(Verdict::Good)));
        c.on(NativeInput::Frame(report(Verdict::Good)));
        let (fx, _) = c.on(NativeInput::Frame(report(Verdict::Good)));
        assert_eq!(fx, vec![NativeEffect::TakeStill]);
        assert_eq!(c.phase(), Phase::Capturing);
        assert!(
            c.on(NativeInput::Frame(report(Verdict::Good))).0.is_empty(),
            "one still at a time"
        );
        let (fx, _) = c.on(NativeInput::Captured);
        let quality = report(Verdict::Good).to_json();
        assert!(fx.contains(&NativeEffect::Captured {
            step: Step::Front,
            auto: true,
            quality: Some(quality.clone()),
            zone: None
        }));
        let (fx, _) = c.on(NativeInput::Confirm);
        assert!(
            matches!(&fx[0], NativeEffect::Upload { quality: Some(q), .. } if *q == quality),
            "metadata travels with the upload"
        );
        c.on(NativeInput::Uploaded(Ok(())));
        // The selfie gets hints but is never taken by itself.
        c.on(NativeInput::CameraReady);
        for _ in 0..10 {
            assert!(c.on(NativeInput::Frame(report(Verdict::Good))).0.is_empty());
        }
    }

    /// A capture at `step`'s live preview, after `before` steps were uploaded.
    fn live_at(steps: &[&str], file_fallback: bool, embed: bool, before: usize) -> NativeCapture {
        let (mut c, _) = NativeCapture::new_default(session(steps, file_fallback), embed, 1);
        for _ in 0..before {
            c.on(NativeInput::CameraReady);
            c.on(NativeInput::Shutter);
            c.on(NativeInput::Captured);
            c.on(NativeInput::Confirm);
            c.on(NativeInput::Uploaded(Ok(())));
        }
        c.on(NativeInput::CameraReady);
        c
    }

    fn fail_once(c: &mut NativeCapture) -> (Vec<NativeEffect>, Outcome) {
        c.on(NativeInput::Shutter);
        c.on(NativeInput::CaptureFailed)
    }

    #[test]
    fn a_failed_capture_reopens_the_camera_once_and_says_so() {
        for (steps, before) in [(&["front"][..], 0), (&["front", "video"][..], 1)] {
            let mut c = live_at(steps, true, false, before);
            assert!(!c.missed());
            let (fx, outcome) = fail_once(&mut c);
            assert_eq!(outcome, Outcome::Continue);
            assert_eq!(fx[0], NativeEffect::StopCamera);
            assert!(matches!(fx[1], NativeEffect::OpenCamera { .. }));
            assert_eq!(c.phase(), Phase::Opening);
            assert!(c.missed(), "the user is told it did not work");
            c.on(NativeInput::CameraReady);
            assert!(c.missed(), "the notice stays until a capture works");
            c.on(NativeInput::Shutter);
            c.on(NativeInput::Captured);
            assert!(!c.missed());
        }
    }

    #[test]
    fn a_second_failed_still_of_a_document_offers_the_file_picker() {
        let mut c = live_at(&["front", "selfie"], true, false, 0);
        fail_once(&mut c);
        c.on(NativeInput::CameraReady);
        let (fx, outcome) = fail_once(&mut c);
        assert_eq!(outcome, Outcome::Continue);
        assert_eq!(
            fx,
            vec![NativeEffect::StopCamera, NativeEffect::ShowFilePicker]
        );
        assert_eq!(c.phase(), Phase::FilePick);
        assert!(!c.missed(), "the file picker has its own hint");
        c.on(NativeInput::FileChosen);
        assert!(c.via_file());
    }

    #[test]
    fn a_second_failure_without_a_fallback_names_the_part_that_broke() {
        let mut c = live_at(&["front"], false, false, 0);
        fail_once(&mut c);
        c.on(NativeInput::CameraReady);
        let (fx, outcome) = fail_once(&mut c);
        assert_eq!(
            outcome,
            Outcome::Fail(Failure::DeviceUnsupported(Some(DevicePart::Still)))
        );
        assert_eq!(fx, vec![NativeEffect::StopCamera], "no camera reopens");

        let mut c = live_at(&["selfie", "video"], false, false, 1);
        assert_eq!(c.step(), Step::Video);
        fail_once(&mut c);
        c.on(NativeInput::CameraReady);
        let (fx, outcome) = fail_once(&mut c);
        assert_eq!(
            outcome,
            Outcome::Fail(Failure::DeviceUnsupported(Some(DevicePart::Recorder)))
        );
        assert_eq!(fx, vec![NativeEffect::StopCamera]);
    }

    #[test]
    fn a_second_failure_goes_to_the_hosted_page_when_the_host_allows_it() {
        for (steps, before, part) in [
            (&["selfie"][..], 0, DevicePart::Still),
            (&["selfie", "video"][..], 1, DevicePart::Recorder),
            // A document without the file picker takes the hosted page too.
            (&["front"][..], 0, DevicePart::Still),
        ] {
            let mut c = live_at(steps, false, true, before);
            fail_once(&mut c);
            c.on(NativeInput::CameraReady);
            let (_, outcome) = fail_once(&mut c);
            assert_eq!(
                outcome,
                Outcome::Embed(Failure::DeviceUnsupported(Some(part)))
            );
        }
    }

    #[test]
    fn only_failures_in_a_row_on_one_step_count() {
        // A capture that worked in between starts the count again.
        let mut c = live_at(&["selfie", "video"], false, false, 0);
        fail_once(&mut c);
        c.on(NativeInput::CameraReady);
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Captured);
        c.on(NativeInput::Retake);
        c.on(NativeInput::CameraReady);
        assert_eq!(fail_once(&mut c).1, Outcome::Continue);
        // So does the next step.
        let mut c = live_at(&["selfie", "video"], false, false, 0);
        fail_once(&mut c);
        c.on(NativeInput::CameraReady);
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Captured);
        c.on(NativeInput::Confirm);
        c.on(NativeInput::Uploaded(Ok(())));
        assert!(!c.missed());
        c.on(NativeInput::CameraReady);
        assert_eq!(fail_once(&mut c).1, Outcome::Continue);
        // A recording cut short by a hidden page is no failure.
        let mut c = live_at(&["video"], false, false, 0);
        fail_once(&mut c);
        c.on(NativeInput::CameraReady);
        c.on(NativeInput::Shutter);
        c.on(NativeInput::Hidden);
        assert_eq!(c.on(NativeInput::CaptureFailed).1, Outcome::Continue);
        c.on(NativeInput::Visible);
        c.on(NativeInput::CameraReady);
        assert!(c.missed());
        assert_eq!(
            fail_once(&mut c).1,
            Outcome::Fail(Failure::DeviceUnsupported(Some(DevicePart::Recorder))),
            "the next real failure is the second in a row"
        );
    }

    #[test]
    fn a_browser_without_a_recording_type_is_a_recorder_failure() {
        let missing = MediaError {
            message: "MediaRecorder".into(),
            ..err("NotSupportedError", Device::Camera)
        };
        assert_eq!(
            media_failure(&missing),
            Some(Failure::DeviceUnsupported(Some(DevicePart::Recorder)))
        );
    }

    #[test]
    fn digits_depend_on_the_seed_only() {
        let a = NativeCapture::new_default(session(&["video"], false), false, 42)
            .0
            .digits();
        let b = NativeCapture::new_default(session(&["video"], false), false, 42)
            .0
            .digits();
        let c = NativeCapture::new_default(session(&["video"], false), false, 43)
            .0
            .digits();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.iter().all(|d| *d < 10));
    }
}
