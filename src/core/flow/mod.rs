//! The capture flow as a state machine: inputs in, effects out.
//!
//! Nothing here touches the browser. The web adapter feeds [`Input`]s (user
//! actions, answers, timers, messages) to [`Flow::step`] and carries out the
//! [`Effect`]s it returns, in order. Every asynchronous input carries the
//! attempt it belongs to, so answers and timers from an earlier attempt are
//! dropped instead of disturbing a retry.
//!
//! This module is the common part of every capture: configuration, attempts,
//! the session request, the final result, failures and inactivity. How the
//! capture itself runs is a [`Run`], one module each: [`hosted`] (the capture
//! page in a frame, popup or redirect) is built in; [`native`], [`sdk`] and
//! [`handoff`] arrive with their [`Chunk`] (a lazily loaded part of the
//! package), as a [`Kit`] that begins them. The flow reaches those runs only
//! through the [`Kit`] and [`Reduce`] traits, so it never names their code.

pub mod handoff;
pub mod hosted;
pub mod native;
mod screen;
pub mod sdk;

use std::fmt;

use super::config::{Config, Handoff, Mode};
use super::contract::{
    handoff_call, CaptureSession, HandoffAnswer, Id, ProcessStatus, ProcessView, SessionAnswer,
};
use super::failure::{Failure, FailureReport, SessionProblem};
use super::i18n::{Lang, Text, Texts};
use super::native::{NativeEffect, NativeInput, Phase};
use super::protocol::ReturnParams;
use super::sdk::{SdkEffect, SdkInput};

/// The element's state, reflected in its `state` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for `start()`.
    Idle,
    /// Getting a capture session.
    Loading,
    /// The capture page is shown (frame, popup or redirect).
    Capturing,
    /// The capture came back; waiting for the final result.
    Completing,
    /// Done.
    Complete,
    /// Stopped by a failure.
    Failed,
    /// Stopped by the user.
    Cancelled,
}

impl State {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::Loading => "loading",
            State::Capturing => "capturing",
            State::Completing => "completing",
            State::Complete => "complete",
            State::Failed => "failed",
            State::Cancelled => "cancelled",
        }
    }

    /// Whether a capture is under way.
    pub fn is_running(self) -> bool {
        matches!(self, State::Loading | State::Capturing | State::Completing)
    }
}

/// Where the capture page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// Nowhere.
    None,
    /// In the element's frame.
    Frame,
    /// In a window the element opened.
    Popup,
    /// The whole page went there.
    Redirect,
    /// The component's own camera capture.
    Native,
    /// VideoID's web SDK in the element's light-DOM container.
    Sdk,
    /// On the user's phone, through a handoff link.
    Handoff,
}

/// The timers the flow runs; one of each at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// The hosted page must load before it fires.
    Load,
    /// The backstop for a user who does nothing.
    Inactivity,
    /// The next poll of the result, or of the handoff's status.
    Poll,
    /// The end of polling for the result (`result-wait`).
    ResultWait,
    /// Attended SDK: the wait for an agent (`agent-timeout`).
    Agent,
    /// Attended SDK: the next queue-position announcement is due.
    Announce,
}

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Input {
    /// `start()` or the start/retry button, with the configuration read now.
    Start(Result<Config, Failure>),
    /// The page came back from a full-page redirect with this return.
    Resume(Result<Config, Failure>, ReturnParams),
    /// The session endpoint answered; `now_ms` is the time of the answer.
    SessionLoaded {
        /// The attempt that asked.
        attempt: u32,
        /// The parsed answer or why there is none.
        answer: Result<SessionAnswer, Failure>,
        /// Unix time in ms.
        now_ms: f64,
        /// Randomness for the digits the user reads aloud (native).
        seed: u32,
    },
    /// The frame fired `load`.
    FrameLoaded {
        /// The attempt whose frame it is.
        attempt: u32,
    },
    /// The capture page in the frame is in use: the user turned to it (focus
    /// moved into the frame) or it sent a message. Where the backend did not
    /// say whether framing works, only this ends the frame's load timer.
    FrameUsed {
        /// The attempt whose frame it is.
        attempt: u32,
    },
    /// A verified return from the frame, popup or return helper.
    Returned {
        /// The attempt it belongs to.
        attempt: u32,
        /// Where the flow came back.
        params: ReturnParams,
    },
    /// A sign of life from the capture page or the user.
    Activity {
        /// The attempt it belongs to.
        attempt: u32,
    },
    /// A timer ran out.
    TimerFired {
        /// The attempt that set it.
        attempt: u32,
        /// Which one.
        timer: Timer,
    },
    /// The result endpoint answered.
    ResultLoaded {
        /// The attempt that asked.
        attempt: u32,
        /// The process or why there is none.
        result: Result<ProcessView, Failure>,
    },
    /// The user chose the fallback (popup or redirect).
    OpenFallback,
    /// The browser refused to open the popup.
    PopupBlocked {
        /// The attempt that tried.
        attempt: u32,
    },
    /// The user closed the popup before it came back.
    PopupClosed {
        /// The attempt whose popup it was.
        attempt: u32,
    },
    /// Something in the native capture (a button, the camera, an upload).
    Native {
        /// The attempt it belongs to.
        attempt: u32,
        /// What happened.
        input: NativeInput,
    },
    /// Something in the web SDK capture (devices, script, the SDK's events).
    Sdk {
        /// The attempt it belongs to.
        attempt: u32,
        /// What happened.
        input: SdkInput,
    },
    /// The "continue on my phone" button, with the configuration read now.
    Handoff(Result<Config, Failure>),
    /// A run's chunk arrived (its kit), or could not be had.
    ChunkLoaded {
        /// The attempt that asked for it.
        attempt: u32,
        /// The chunk's kit, or why there is none.
        kit: Result<&'static dyn Kit, Failure>,
    },
    /// The handoff link or its copy button was pressed: put the link on the clipboard.
    CopyLink {
        /// The attempt whose link it is.
        attempt: u32,
    },
    /// The copy button put the handoff link on the clipboard.
    HandoffCopied {
        /// The attempt whose link it is.
        attempt: u32,
    },
    /// The user said whether the phone that shows the pairing code is theirs.
    Pair {
        /// The attempt whose handoff it is.
        attempt: u32,
        /// True: theirs (confirm it); false: not theirs (revoke the link).
        mine: bool,
    },
    /// The handoff endpoint answered a `POST` (the link) or a `GET` (its status).
    HandoffAnswered {
        /// The attempt that asked.
        attempt: u32,
        /// The answer or why there is none.
        answer: Result<HandoffAnswer, Failure>,
    },
    /// `cancel()` or the cancel button.
    Cancel,
    /// The element is gone: stop everything, say nothing.
    Destroy,
}

/// An event for the host page.
#[derive(Debug, Clone, PartialEq)]
pub enum Emit {
    /// `videoid-state`.
    State {
        /// The new state.
        state: State,
        /// The one before.
        previous: State,
    },
    /// `videoid-complete`.
    Complete(ReturnParams),
    /// `videoid-result` with the status, and whether it is final (not when
    /// `result-wait` ran out first); the adapter attaches the process it received last.
    Result(ReturnParams, String, bool),
    /// `videoid-failed`.
    Failed(FailureReport),
    /// `videoid-cancel`.
    Cancel,
    /// `videoid-step`: a native step was captured.
    Step {
        /// The step's name.
        step: &'static str,
        /// Whether auto-capture took it.
        auto: bool,
        /// The frame-quality report, as JSON.
        quality: Option<String>,
        /// What the document reader found, as JSON (`read`, `valid`,
        /// `expired`, and `mrz` with `expose-mrz`), when it ran on the step.
        document: Option<String>,
    },
    /// `videoid-step`: the web SDK starts a phase (the step's name, mapped).
    SdkStep(String),
    /// `videoid-agent`: the attended SDK's wait and call: `queued` (with the
    /// position), `connected` or `disconnected`.
    Agent(&'static str, Option<u32>),
    /// `videoid-handoff`: the handoff's status changed.
    Handoff(&'static str),
    /// `videoid-handoff` `{ status: "pairing", code }`: a phone opened the link and shows
    /// this code.
    HandoffPairing(String),
}

/// Something the adapter must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `POST` the session endpoint with `{ mode, lang }` and feed [`Input::SessionLoaded`].
    FetchSession {
        /// The attempt asking.
        attempt: u32,
        /// The endpoint.
        endpoint: String,
        /// The `mode` the backend prepares the session for.
        mode: &'static str,
        /// The user's language (the hosted page's `uiLanguage`).
        lang: &'static str,
    },
    /// Fetch a run's chunk and feed [`Input::ChunkLoaded`] with its kit.
    LoadChunk {
        /// The attempt asking.
        attempt: u32,
        /// Which chunk.
        chunk: Chunk,
    },
    /// Show the capture page in a frame allowed camera and microphone for `origin`.
    ShowFrame {
        /// The attempt it belongs to.
        attempt: u32,
        /// The capture URL.
        url: String,
        /// Its origin, for the `allow` list and message checks.
        origin: String,
        /// The frame's accessible name.
        title: String,
    },
    /// Remove the frame.
    RemoveFrame,
    /// Open the capture page in a new window.
    OpenPopup {
        /// The attempt it belongs to.
        attempt: u32,
        /// The capture URL.
        url: String,
        /// Its origin.
        origin: String,
    },
    /// Close the popup if it is open.
    ClosePopup,
    /// Leave the page for the capture page, to come back to this one.
    Redirect {
        /// The capture URL.
        url: String,
        /// The dossier, for the resume record.
        dossier_id: String,
    },
    /// (Re)start a timer.
    StartTimer {
        /// The attempt it belongs to.
        attempt: u32,
        /// Which one.
        timer: Timer,
        /// Milliseconds.
        ms: u32,
    },
    /// Stop a timer.
    ClearTimer(Timer),
    /// `GET` the result endpoint and feed [`Input::ResultLoaded`].
    FetchResult {
        /// The attempt asking.
        attempt: u32,
        /// The endpoint.
        endpoint: String,
        /// The dossier.
        dossier_id: String,
        /// The process.
        process_id: String,
    },
    /// Carry out a native capture effect.
    Native {
        /// The attempt it belongs to.
        attempt: u32,
        /// What to do.
        effect: NativeEffect,
    },
    /// Carry out a web SDK effect.
    Sdk {
        /// The attempt it belongs to.
        attempt: u32,
        /// What to do.
        effect: SdkEffect,
    },
    /// Call the handoff endpoint: `POST` (with `{ mode, lang }`) and `GET`
    /// feed [`Input::HandoffAnswered`]; `DELETE` (revoke) is best effort,
    /// nothing is fed back.
    Handoff {
        /// The attempt asking.
        attempt: u32,
        /// `POST`, `GET` or `DELETE`.
        method: &'static str,
        /// The URL.
        url: String,
        /// The `mode` the phone captures in (sent with `POST`).
        mode: &'static str,
        /// The user's language (sent with `POST`).
        lang: &'static str,
    },
    /// Put the handoff link on the clipboard and feed [`Input::HandoffCopied`].
    CopyLink {
        /// The attempt whose link it is.
        attempt: u32,
        /// The link.
        url: String,
    },
    /// Dispatch an event (and post it to the parent if asked to).
    Emit(Emit),
    /// Draw the screen again.
    Render,
}

/// A button the screen offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Start the capture.
    Start,
    /// Start again after a failure or a cancel.
    Retry,
    /// Continue in a popup or by redirect.
    Fallback,
    /// Leave the capture.
    Cancel,
    /// Take the still, or record the video.
    Capture,
    /// Discard the capture and take it again.
    Retake,
    /// Keep the capture and upload it.
    Confirm,
    /// Use the other camera.
    SwitchCamera,
    /// Continue on a phone.
    Handoff,
    /// The phone that shows the pairing code is the user's.
    PairConfirm,
    /// The phone that shows the pairing code is not the user's.
    PairReject,
}

impl Action {
    /// The `part` and `data-action` name of its button.
    pub fn name(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Retry => "retry",
            Action::Fallback => "fallback",
            Action::Cancel => "cancel",
            Action::Capture => "capture",
            Action::Retake => "retake",
            Action::Confirm => "confirm",
            Action::SwitchCamera => "switch-camera",
            Action::Handoff => "handoff",
            Action::PairConfirm => "pair-confirm",
            Action::PairReject => "pair-reject",
        }
    }

    /// The input its button sends during `attempt`; `config` reads the
    /// configuration, which only start and retry need.
    pub fn input(self, attempt: u32, config: impl FnOnce() -> Result<Config, Failure>) -> Input {
        let native = |input| Input::Native { attempt, input };
        match self {
            Action::Start | Action::Retry => Input::Start(config()),
            Action::Handoff => Input::Handoff(config()),
            Action::Fallback => Input::OpenFallback,
            Action::Cancel => Input::Cancel,
            Action::Capture => native(NativeInput::Shutter),
            Action::Retake => native(NativeInput::Retake),
            Action::Confirm => native(NativeInput::Confirm),
            Action::SwitchCamera => native(NativeInput::SwitchCamera),
            Action::PairConfirm => Input::Pair {
                attempt,
                mine: true,
            },
            Action::PairReject => Input::Pair {
                attempt,
                mine: false,
            },
        }
    }
}

/// What the panel shows: all decided here, drawn by `ui`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen {
    /// The language the strings are in (the markup's `lang` and `dir`).
    pub lang: Lang,
    /// The heading.
    pub title: String,
    /// The explanation.
    pub message: String,
    /// The buttons, in order, with their labels.
    pub actions: Vec<(Action, String)>,
    /// Whether work is in progress (a spinner, `aria-busy`).
    pub busy: bool,
    /// Native: what the capture shows now.
    pub native: Option<NativeScreen>,
    /// The handoff screen's own parts.
    pub handoff: Option<HandoffScreen>,
    /// The `step` attribute: the native or SDK step, or `handoff`.
    pub step: Option<String>,
}

/// The handoff screen's QR code, link and texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffScreen {
    /// The link the phone opens.
    pub url: String,
    /// The QR code's dark modules as one SVG path.
    pub qr_path: String,
    /// Modules per side, quiet zone included (the SVG's `viewBox`).
    pub qr_side: usize,
    /// What to do, and for how long the code is valid.
    pub help: String,
    /// The QR code's accessible name.
    pub qr_label: String,
    /// The copy button's label.
    pub copy: String,
    /// "Copied", once the copy button put the link on the clipboard.
    pub copied: Option<String>,
}

/// The native capture's part of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeScreen {
    /// The `step` attribute: `front`, `back`, `selfie`, `video`, or `upload`.
    pub step: &'static str,
    /// Where the step is.
    pub phase: Phase,
    /// What to do now, in a sentence.
    pub hint: String,
    /// Steps uploaded and in all.
    pub progress: (usize, usize),
    /// The accessible name of the progress bar.
    pub progress_label: String,
    /// The label of the file picker (shown when the camera cannot be used).
    pub choose_file: String,
    /// The alternative text of a captured still.
    pub review_label: String,
    /// The digits to read aloud, in the video step.
    pub digits: Option<String>,
}

/// A part of the component that arrives on its own: in the package, a wasm
/// chunk fetched when its run starts (and prefetched when the element shows
/// its mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chunk {
    /// Camera capture, frame-quality checks and the recorder.
    Native,
    /// VideoID's web SDK in the host's page.
    Sdk,
    /// The phone handoff and its QR code.
    Handoff,
}

impl Chunk {
    /// Every chunk.
    pub const ALL: [Chunk; 3] = [Chunk::Native, Chunk::Sdk, Chunk::Handoff];

    /// Its file's name part (`videoid_capture_{name}.wasm`).
    pub fn name(self) -> &'static str {
        match self {
            Chunk::Native => "native",
            Chunk::Sdk => "sdk",
            Chunk::Handoff => "handoff",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How a run beyond the hosted one begins. Its chunk hands one to the flow
/// ([`Input::ChunkLoaded`]); the flow never calls the run's code otherwise.
/// (No `Debug` supertrait: a vtable entry keeps its code in the package, and
/// formatting a run's state would bring the formatting machinery along.)
pub trait Kit {
    /// The chunk it came in.
    fn chunk(&self) -> Chunk;
    /// Begins the run from the backend's answer, its first effects into `fx`.
    fn begin(
        &self,
        start: Begin,
        cx: &Cx<'_>,
        fx: &mut Vec<Effect>,
    ) -> Result<Box<dyn Reduce>, Failure>;
}

/// What a run begins from.
#[derive(Debug)]
pub enum Begin {
    /// The session endpoint's answer (native and SDK runs).
    Session {
        /// The answer.
        answer: SessionAnswer,
        /// Unix time in ms of the answer.
        now_ms: f64,
        /// Randomness for the digits the user reads aloud (native).
        seed: u32,
    },
    /// The handoff endpoint's answer to `POST` (the handoff run).
    Handoff(HandoffAnswer),
}

/// A run under way: its own state and reducer.
pub trait Reduce {
    /// Where it shows.
    fn surface(&self) -> Surface;
    /// Takes one of its inputs, effects into `fx`; says what the flow does next.
    fn on(&mut self, input: RunInput, cx: &Cx<'_>, fx: &mut Vec<Effect>) -> Next;
    /// Stops whatever it runs (camera, SDK, link), effects into `fx`.
    fn stop(&mut self, cx: &Cx<'_>, fx: &mut Vec<Effect>);
    /// What it shows while capturing.
    fn screen(&self, cx: &Cx<'_>) -> RunScreen;
    /// The hosted capture page it may hand over to ([`Next::Hosted`]).
    fn hosted(&self) -> Option<CaptureSession> {
        None
    }
    /// Whether the user waits for or talks with someone (an agent's queue or
    /// call): that counts as activity, so the inactivity timer is off.
    fn engaged(&self) -> bool {
        false
    }
}

/// What a run reads of the common part.
#[derive(Debug, Clone, Copy)]
pub struct Cx<'a> {
    /// The current attempt.
    pub attempt: u32,
    /// The attempt's configuration.
    pub config: &'a Config,
    /// The strings shown.
    pub texts: &'a Texts,
    /// The user's language.
    pub lang: Lang,
    /// The element is gone: effects only, no events.
    pub destroyed: bool,
}

/// An input for the run under way.
#[derive(Debug, Clone)]
pub enum RunInput {
    /// For the hosted page.
    Hosted(hosted::HostedInput),
    /// For the native capture.
    Native(NativeInput),
    /// For the web SDK.
    Sdk(SdkInput),
    /// For the handoff.
    Handoff(handoff::HandoffInput),
    /// One of the flow's timers ran out.
    Timer(Timer),
}

/// What the flow does after a run took an input.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Nothing shows differently.
    Same,
    /// Draw again.
    Redraw,
    /// Draw again; the user is there (restart the inactivity timer).
    Alive,
    /// The capture came back with these ids.
    Done(ReturnParams),
    /// Stop with this failure.
    Fail(Failure),
    /// Stop as cancelled.
    Cancel,
    /// Continue on the hosted page ([`Reduce::hosted`]); `Failure` when there is none.
    Hosted(Failure),
    /// The popup was refused: back to the framing failure, saying so (no new event).
    Refused,
}

/// A run's part of the screen while it captures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunScreen {
    /// The heading.
    pub title: Text,
    /// The explanation.
    pub message: String,
    /// Its own buttons, before cancel.
    pub actions: Vec<(Action, String)>,
    /// Whether work is in progress.
    pub busy: bool,
    /// Native: what the capture shows now.
    pub native: Option<NativeScreen>,
    /// Handoff: the QR code and link.
    pub handoff: Option<HandoffScreen>,
    /// The `step` attribute.
    pub step: Option<String>,
}

impl fmt::Debug for dyn Kit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chunk().name())
    }
}

impl fmt::Debug for dyn Reduce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.surface())
    }
}

/// How the capture runs now.
#[derive(Debug)]
pub enum Run {
    /// Nothing runs.
    None,
    /// The hosted capture page.
    Hosted(hosted::Hosted),
    /// The component's own camera capture.
    Native(Box<dyn Reduce>),
    /// VideoID's web SDK.
    Sdk(Box<dyn Reduce>),
    /// On the user's phone.
    Handoff(Box<dyn Reduce>),
}

impl Run {
    fn reducer(&mut self) -> Option<&mut dyn Reduce> {
        match self {
            Run::None => None,
            Run::Hosted(h) => Some(h),
            Run::Native(r) | Run::Sdk(r) | Run::Handoff(r) => Some(r.as_mut()),
        }
    }

    fn view(&self) -> Option<&dyn Reduce> {
        match self {
            Run::None => None,
            Run::Hosted(h) => Some(h),
            Run::Native(r) | Run::Sdk(r) | Run::Handoff(r) => Some(r.as_ref()),
        }
    }
}

/// An answer waiting for its run's chunk.
#[derive(Debug)]
struct Waiting {
    chunk: Chunk,
    begin: Option<Begin>,
}

/// The capture flow of one element: the common part and the run under way.
#[derive(Debug)]
pub struct Flow {
    state: State,
    attempt: u32,
    lang: Lang,
    texts: Texts,
    offer: Handoff,
    config: Option<Config>,
    failure: Option<Failure>,
    completion: Option<ReturnParams>,
    polls: u32,
    destroyed: bool,
    /// The hosted page this attempt may still open (the fallback after a framing failure).
    hosted: Option<CaptureSession>,
    popup_blocked: bool,
    was_handoff: bool,
    run: Run,
    waiting: Option<Waiting>,
    kits: [Option<&'static dyn Kit>; 3],
}

fn poll_delay_ms(polls: u32) -> u32 {
    500u32.saturating_mul(1 << polls.min(4)).min(5000)
}

/// A failure that may pass by itself: asked again later.
pub(crate) fn transient(f: &Failure) -> bool {
    matches!(f, Failure::NetworkUnreachable)
        || matches!(f, Failure::BackendError { status, .. } if *status >= 500)
}

/// `ReturnParams` for a capture that ended in the element (native, SDK, phone).
pub(crate) fn processing(dossier: &Id, process: &Id) -> Next {
    match ReturnParams::new(dossier.as_str(), process.as_str(), "processing") {
        Some(params) => Next::Done(params),
        None => Next::Fail(Failure::SessionInvalid(SessionProblem::BadId)),
    }
}

impl Flow {
    /// A flow waiting for `start()`, for a user of `lang`, showing English
    /// until [`Flow::set_texts`] brings other strings. Runs beyond the hosted
    /// one begin once their kit is there ([`Flow::install`] or [`Input::ChunkLoaded`]).
    pub fn new(lang: Lang) -> Flow {
        Flow {
            state: State::Idle,
            attempt: 0,
            lang,
            texts: Texts::default(),
            offer: Handoff::Off,
            config: None,
            failure: None,
            completion: None,
            polls: 0,
            destroyed: false,
            hosted: None,
            popup_blocked: false,
            was_handoff: false,
            run: Run::None,
            waiting: None,
            kits: [None; 3],
        }
    }

    /// Makes a run's kit available from now on (a chunk that is there already).
    pub fn install(&mut self, kit: &'static dyn Kit) {
        self.kits[kit.chunk().index()] = Some(kit);
    }

    /// The `handoff` attribute as it is now (the start screen offers the
    /// handoff by it before any configuration is read).
    pub fn set_handoff(&mut self, offer: Handoff) {
        self.offer = offer;
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The current attempt (changes on each start).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The user's language, as chosen; the strings may still be on their way.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Changes the user's language (the `lang` attribute changed).
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// The strings the screens show.
    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// Shows `texts` from now on (a language arrived, or the host's `texts` changed).
    pub fn set_texts(&mut self, texts: Texts) {
        self.texts = texts;
    }

    /// The configuration of the current attempt.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Where the capture shows now.
    pub fn surface(&self) -> Surface {
        match self.run.view() {
            Some(run) if self.state == State::Capturing => run.surface(),
            _ => Surface::None,
        }
    }

    /// The failure that stopped the flow, in state `failed`.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// The chunk the current attempt waits for, if any.
    pub fn waiting_for(&self) -> Option<Chunk> {
        self.waiting.as_ref().map(|w| w.chunk)
    }

    fn mode(&self) -> &'static str {
        self.config.as_ref().map_or("auto", |c| c.mode.as_str())
    }

    /// Feeds one input; returns what the adapter must do, in order.
    pub fn step(&mut self, input: Input) -> Vec<Effect> {
        let mut fx = Vec::new();
        let current = self.attempt;
        if let Input::HandoffAnswered {
            attempt,
            answer: Ok(answer),
        } = &input
        {
            self.revoke_stale_link(*attempt, answer, &mut fx);
        }
        if let Input::ChunkLoaded { kit: Ok(kit), .. } = &input {
            self.install(*kit);
        }
        if self.destroyed {
            return fx;
        }
        let capturing = self.state == State::Capturing;
        match input {
            Input::Destroy => {
                self.destroyed = true;
                self.stop_capture(&mut fx);
            }
            Input::Start(config) if !self.state.is_running() => {
                self.begin_attempt(config, &mut fx);
                match self.config.clone() {
                    Some(c) if c.handoff == Handoff::Always => self.begin_handoff(&mut fx),
                    Some(c) => self.begin_session(&c, &mut fx),
                    None => {}
                }
            }
            Input::Handoff(config) if !self.state.is_running() => {
                self.begin_attempt(config, &mut fx);
                if self.config.is_some() {
                    self.begin_handoff(&mut fx);
                }
            }
            Input::Resume(config, params) if !self.state.is_running() => {
                self.begin_attempt(config, &mut fx);
                if self.config.is_some() {
                    self.complete_capture(params, &mut fx);
                }
            }
            Input::ChunkLoaded { attempt, kit } if attempt == current && self.waiting.is_some() => {
                match kit {
                    Err(failure) => self.fail(failure, &mut fx),
                    Ok(_) => self.begin_waiting(&mut fx),
                }
            }
            Input::SessionLoaded {
                attempt,
                answer,
                now_ms,
                seed,
            } if attempt == current && self.state == State::Loading && !self.was_handoff => {
                match answer {
                    Err(failure) => self.fail(failure, &mut fx),
                    Ok(answer) => self.session_loaded(answer, now_ms, seed, &mut fx),
                }
            }
            Input::HandoffAnswered { attempt, answer }
                if attempt == current && self.state == State::Loading && self.was_handoff =>
            {
                match answer {
                    Err(failure) => self.fail(failure, &mut fx),
                    Ok(answer) => {
                        if let Some(w) = self.waiting.as_mut() {
                            w.begin = Some(Begin::Handoff(answer));
                        }
                        self.begin_waiting(&mut fx);
                    }
                }
            }
            Input::TimerFired {
                attempt,
                timer: Timer::Poll,
            } if attempt == current && self.state == State::Completing => {
                self.fetch_result(&mut fx)
            }
            Input::TimerFired {
                attempt,
                timer: Timer::ResultWait,
            } if attempt == current && self.state == State::Completing => {
                self.result_wait_over(&mut fx)
            }
            Input::TimerFired {
                attempt,
                timer: Timer::Inactivity,
            } if attempt == current && capturing && !self.engaged() => {
                self.fail(Failure::InactiveUserAborted, &mut fx)
            }
            Input::Activity { attempt } if attempt == current && capturing => {
                self.start_inactivity(&mut fx);
            }
            Input::ResultLoaded { attempt, result }
                if attempt == current && self.state == State::Completing =>
            {
                self.result_loaded(result, &mut fx);
            }
            Input::OpenFallback => self.open_fallback(&mut fx),
            Input::Cancel if matches!(self.state, State::Loading | State::Capturing) => {
                self.cancel_now(&mut fx)
            }
            input => {
                if let Some((attempt, input)) = run_input(input) {
                    if attempt == current && capturing {
                        self.run_step(input, &mut fx);
                    }
                }
            }
        }
        fx
    }

    /// A link made for an attempt that is over is revoked at once.
    fn revoke_stale_link(&mut self, attempt: u32, answer: &HandoffAnswer, fx: &mut Vec<Effect>) {
        let wanted = attempt == self.attempt && self.state == State::Loading && !self.destroyed;
        let endpoint = self
            .config
            .as_ref()
            .and_then(|c| c.handoff_endpoint.as_ref());
        if let (false, Some(_), Some(endpoint), Some(id)) =
            (wanted, &answer.url, endpoint, Id::parse(&answer.id))
        {
            fx.push(Effect::Handoff {
                attempt,
                method: "DELETE",
                url: handoff_call(endpoint, &id, ""),
                mode: self.mode(),
                lang: self.lang.tag(),
            });
        }
    }

    fn cx(&self) -> Option<Cx<'_>> {
        Some(Cx {
            attempt: self.attempt,
            config: self.config.as_ref()?,
            texts: &self.texts,
            lang: self.lang,
            destroyed: self.destroyed,
        })
    }

    /// Feeds the run under way, then does what it says.
    fn run_step(&mut self, input: RunInput, fx: &mut Vec<Effect>) {
        let Some(config) = self.config.take() else {
            return;
        };
        let next = {
            let cx = Cx {
                attempt: self.attempt,
                config: &config,
                texts: &self.texts,
                lang: self.lang,
                destroyed: self.destroyed,
            };
            match self.run.reducer() {
                Some(run) => run.on(input, &cx, fx),
                None => Next::Same,
            }
        };
        self.config = Some(config);
        self.follow(next, fx);
    }

    fn follow(&mut self, next: Next, fx: &mut Vec<Effect>) {
        match next {
            Next::Same => {}
            Next::Redraw => fx.push(Effect::Render),
            Next::Alive => {
                self.start_inactivity(fx);
                fx.push(Effect::Render);
            }
            Next::Done(params) => self.complete_capture(params, fx),
            Next::Fail(failure) => self.fail(failure, fx),
            Next::Cancel => self.cancel_now(fx),
            Next::Refused => self.popup_refused(fx),
            Next::Hosted(failure) => {
                let session = self.run.view().and_then(|r| r.hosted());
                self.stop_capture(fx);
                match session {
                    Some(session) => self.begin_hosted(Ok(session), fx),
                    None => self.fail(failure, fx),
                }
            }
        }
    }

    fn begin_attempt(&mut self, config: Result<Config, Failure>, fx: &mut Vec<Effect>) {
        self.attempt = self.attempt.wrapping_add(1);
        self.failure = None;
        self.completion = None;
        self.polls = 0;
        self.hosted = None;
        self.popup_blocked = false;
        self.was_handoff = false;
        self.waiting = None;
        self.run = Run::None;
        match config {
            Ok(config) => self.config = Some(config),
            Err(failure) => {
                self.config = None;
                self.fail(failure, fx);
            }
        }
    }

    /// Asks for the session (or takes the host's capture URL), and for the
    /// mode's chunk at the same time when it is not there yet.
    fn begin_session(&mut self, config: &Config, fx: &mut Vec<Effect>) {
        self.go(State::Loading, fx);
        if let Some(url) = &config.capture_url {
            let session = CaptureSession::from_capture_url(url, config);
            return self.begin_hosted(session, fx);
        }
        let Some(endpoint) = config.session_endpoint.clone() else {
            return self.fail(
                Failure::ConfigInvalid {
                    field: "session-endpoint",
                },
                fx,
            );
        };
        fx.push(Effect::FetchSession {
            attempt: self.attempt,
            endpoint,
            mode: config.mode.as_str(),
            lang: self.lang.tag(),
        });
        let chunk = match config.mode {
            Mode::Native => Chunk::Native,
            Mode::Sdk => Chunk::Sdk,
            Mode::Embed | Mode::Auto => return,
        };
        self.await_chunk(chunk, fx);
    }

    fn await_chunk(&mut self, chunk: Chunk, fx: &mut Vec<Effect>) {
        self.waiting = Some(Waiting { chunk, begin: None });
        if self.kits[chunk.index()].is_none() {
            fx.push(Effect::LoadChunk {
                attempt: self.attempt,
                chunk,
            });
        }
    }

    fn session_loaded(
        &mut self,
        answer: SessionAnswer,
        now_ms: f64,
        seed: u32,
        fx: &mut Vec<Effect>,
    ) {
        match self.waiting.as_mut() {
            Some(w) => {
                w.begin = Some(Begin::Session {
                    answer,
                    now_ms,
                    seed,
                });
                self.begin_waiting(fx);
            }
            None => {
                let session = match &self.config {
                    Some(config) => CaptureSession::from_answer(&answer, config, now_ms),
                    None => return,
                };
                self.begin_hosted(session, fx);
            }
        }
    }

    /// Begins the awaited run once both its answer and its kit are there.
    fn begin_waiting(&mut self, fx: &mut Vec<Effect>) {
        let Some(w) = self.waiting.as_ref() else {
            return;
        };
        let chunk = w.chunk;
        let (Some(kit), true) = (self.kits[chunk.index()], w.begin.is_some()) else {
            return;
        };
        let Some(begin) = self.waiting.take().and_then(|w| w.begin) else {
            return;
        };
        let Some(cx) = self.cx() else { return };
        let mut own = Vec::new();
        let run = kit.begin(begin, &cx, &mut own);
        match run {
            Ok(run) => {
                fx.append(&mut own);
                self.run = match chunk {
                    Chunk::Native => Run::Native(run),
                    Chunk::Sdk => Run::Sdk(run),
                    Chunk::Handoff => Run::Handoff(run),
                };
                if chunk == Chunk::Handoff {
                    fx.push(Effect::Emit(Emit::Handoff("waiting")));
                }
                self.start_inactivity(fx);
                self.go(State::Capturing, fx);
            }
            Err(failure) => self.fail(failure, fx),
        }
    }

    fn begin_handoff(&mut self, fx: &mut Vec<Effect>) {
        let Some(endpoint) = self
            .config
            .as_ref()
            .and_then(|c| c.handoff_endpoint.clone())
        else {
            return self.fail(
                Failure::ConfigInvalid {
                    field: "handoff-endpoint",
                },
                fx,
            );
        };
        self.was_handoff = true;
        self.go(State::Loading, fx);
        fx.push(Effect::Handoff {
            attempt: self.attempt,
            method: "POST",
            url: endpoint,
            mode: self.mode(),
            lang: self.lang.tag(),
        });
        self.await_chunk(Chunk::Handoff, fx);
    }

    fn begin_hosted(&mut self, session: Result<CaptureSession, Failure>, fx: &mut Vec<Effect>) {
        let Some(config) = self.config.as_ref() else {
            return;
        };
        let session = match session {
            Ok(session) => session,
            Err(failure) => return self.fail(failure, fx),
        };
        self.hosted = Some(session.clone());
        let title = self.texts.get(Text::FrameTitle).to_string();
        match hosted::Hosted::frame(session, config, self.attempt, title, fx) {
            Ok(run) => {
                self.run = Run::Hosted(run);
                self.start_inactivity(fx);
                self.go(State::Capturing, fx);
            }
            Err(failure) => self.fail(failure, fx),
        }
    }

    fn go(&mut self, state: State, fx: &mut Vec<Effect>) {
        let previous = self.state;
        self.state = state;
        if previous != state {
            fx.push(Effect::Emit(Emit::State { state, previous }));
        }
        fx.push(Effect::Render);
    }

    fn stop_capture(&mut self, fx: &mut Vec<Effect>) {
        let run = std::mem::replace(&mut self.run, Run::None);
        if let (Some(config), mut run) = (self.config.as_ref(), run) {
            let cx = Cx {
                attempt: self.attempt,
                config,
                texts: &self.texts,
                lang: self.lang,
                destroyed: self.destroyed,
            };
            if let Some(run) = run.reducer() {
                run.stop(&cx, fx);
            }
        }
        self.waiting = None;
        fx.extend(
            [
                Timer::Load,
                Timer::Inactivity,
                Timer::Poll,
                Timer::ResultWait,
                Timer::Agent,
                Timer::Announce,
            ]
            .map(Effect::ClearTimer),
        );
    }

    fn fail(&mut self, failure: Failure, fx: &mut Vec<Effect>) {
        self.stop_capture(fx);
        fx.push(Effect::Emit(Emit::Failed(failure.report(&self.texts))));
        self.failure = Some(failure);
        self.go(State::Failed, fx);
    }

    fn cancel_now(&mut self, fx: &mut Vec<Effect>) {
        self.stop_capture(fx);
        fx.push(Effect::Emit(Emit::Cancel));
        self.go(State::Cancelled, fx);
    }

    /// Whether the run under way waits for or talks with an agent ([`Reduce::engaged`]).
    fn engaged(&self) -> bool {
        self.run.view().is_some_and(|r| r.engaged())
    }

    /// (Re)starts the inactivity timer; while the run is [engaged](Reduce::engaged),
    /// clears it instead.
    fn start_inactivity(&self, fx: &mut Vec<Effect>) {
        if self.engaged() {
            fx.push(Effect::ClearTimer(Timer::Inactivity));
            return;
        }
        if let Some(config) = &self.config {
            fx.push(Effect::StartTimer {
                attempt: self.attempt,
                timer: Timer::Inactivity,
                ms: config.inactivity_timeout_ms,
            });
        }
    }

    fn complete_capture(&mut self, params: ReturnParams, fx: &mut Vec<Effect>) {
        self.stop_capture(fx);
        fx.push(Effect::Emit(Emit::Complete(params.clone())));
        self.completion = Some(params);
        self.polls = 0;
        if self
            .config
            .as_ref()
            .is_some_and(|c| c.result_endpoint.is_some())
        {
            self.go(State::Completing, fx);
            if let Some(config) = &self.config {
                fx.push(Effect::StartTimer {
                    attempt: self.attempt,
                    timer: Timer::ResultWait,
                    ms: config.result_wait_ms,
                });
            }
            self.fetch_result(fx);
        } else {
            self.go(State::Complete, fx);
        }
    }

    fn fetch_result(&self, fx: &mut Vec<Effect>) {
        let endpoint = self.config.as_ref().and_then(|c| c.result_endpoint.clone());
        if let (Some(endpoint), Some(done)) = (endpoint, &self.completion) {
            fx.push(Effect::FetchResult {
                attempt: self.attempt,
                endpoint,
                dossier_id: done.dossier_id.as_str().to_string(),
                process_id: done.process_id.as_str().to_string(),
            });
        }
    }

    fn result_loaded(&mut self, result: Result<ProcessView, Failure>, fx: &mut Vec<Effect>) {
        match result {
            Ok(view) if view.status.is_final() => {
                if let Some(done) = self.completion.clone() {
                    let status = view.status_text.clone();
                    fx.push(Effect::Emit(Emit::Result(done, status, true)));
                }
                match view.status {
                    ProcessStatus::Failed => {
                        self.fail(Failure::CaptureFailed(view.fail_reason), fx)
                    }
                    ProcessStatus::Canceled => self.cancel_now(fx),
                    _ => {
                        fx.push(Effect::ClearTimer(Timer::ResultWait));
                        self.go(State::Complete, fx);
                    }
                }
            }
            Err(failure) if !transient(&failure) => self.fail(failure, fx),
            // Not final yet, or a passing network/server fault: ask again
            // later, until `result-wait` runs out.
            _ => {
                self.polls = self.polls.saturating_add(1);
                fx.push(Effect::StartTimer {
                    attempt: self.attempt,
                    timer: Timer::Poll,
                    ms: poll_delay_ms(self.polls - 1),
                });
            }
        }
    }

    /// `result-wait` ran out before a final status (an agent may review the
    /// process for hours): polling stops, and the result says `processing`,
    /// not final. The host backend learns the final status by webhook.
    fn result_wait_over(&mut self, fx: &mut Vec<Effect>) {
        fx.push(Effect::ClearTimer(Timer::Poll));
        if let Some(done) = self.completion.clone() {
            fx.push(Effect::Emit(Emit::Result(done, "processing".into(), false)));
        }
        self.go(State::Complete, fx);
    }

    fn open_fallback(&mut self, fx: &mut Vec<Effect>) {
        let offered = self.offered_fallback();
        let Some((fallback, session)) = offered.zip(self.hosted.clone()) else {
            return;
        };
        self.failure = None;
        self.popup_blocked = false;
        let run = hosted::Hosted::fallback(session, fallback, self.attempt, fx);
        if run.surface() == Surface::Popup {
            self.start_inactivity(fx);
        }
        self.run = Run::Hosted(run);
        self.go(State::Capturing, fx);
    }

    /// A popup the browser refused: back to the framing failure, saying so.
    fn popup_refused(&mut self, fx: &mut Vec<Effect>) {
        self.stop_capture(fx);
        self.popup_blocked = true;
        self.failure = Some(Failure::CaptureLoadTimeout {
            framing_denied: false,
        });
        self.go(State::Failed, fx);
    }

    fn offered_fallback(&self) -> Option<super::config::Fallback> {
        let framing_failed = matches!(self.failure, Some(Failure::CaptureLoadTimeout { .. }));
        if self.state != State::Failed || !framing_failed {
            return None;
        }
        self.config.as_ref()?.offered_fallback()
    }

    /// Whether this attempt's configuration lets the user continue on a phone.
    fn handoff_offered(&self) -> bool {
        self.config
            .as_ref()
            .is_some_and(|c| c.handoff == Handoff::Auto && c.handoff_endpoint.is_some())
    }
}

/// The run input an input carries, with its attempt.
fn run_input(input: Input) -> Option<(u32, RunInput)> {
    use hosted::HostedInput;
    Some(match input {
        Input::FrameLoaded { attempt } => (attempt, RunInput::Hosted(HostedInput::FrameLoaded)),
        Input::FrameUsed { attempt } => (attempt, RunInput::Hosted(HostedInput::FrameUsed)),
        Input::Returned { attempt, params } => {
            (attempt, RunInput::Hosted(HostedInput::Returned(params)))
        }
        Input::PopupBlocked { attempt } => (attempt, RunInput::Hosted(HostedInput::PopupBlocked)),
        Input::PopupClosed { attempt } => (attempt, RunInput::Hosted(HostedInput::PopupClosed)),
        Input::TimerFired { attempt, timer } => (attempt, RunInput::Timer(timer)),
        Input::Native { attempt, input } => (attempt, RunInput::Native(input)),
        Input::Sdk { attempt, input } => (attempt, RunInput::Sdk(input)),
        Input::HandoffAnswered { attempt, answer } => (
            attempt,
            RunInput::Handoff(handoff::HandoffInput::Polled(answer)),
        ),
        Input::HandoffCopied { attempt } => {
            (attempt, RunInput::Handoff(handoff::HandoffInput::Copied))
        }
        Input::CopyLink { attempt } => (attempt, RunInput::Handoff(handoff::HandoffInput::Copy)),
        Input::Pair { attempt, mine } => (
            attempt,
            RunInput::Handoff(handoff::HandoffInput::Pair(mine)),
        ),
        _ => return None,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod sdk_tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod handoff_tests;
