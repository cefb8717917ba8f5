//! The capture flow as a state machine: inputs in, effects out.
//!
//! Nothing here touches the browser. The web adapter feeds [`Input`]s (user
//! actions, answers, timers, messages) to [`Flow::step`] and carries out the
//! [`Effect`]s it returns, in order. Every asynchronous input carries the
//! attempt it belongs to, so answers and timers from an earlier attempt are
//! dropped instead of disturbing a retry.

use super::config::{Config, Fallback, Handoff, Mode};
use super::contract::{
    handoff_call, CaptureSession, Framing, HandoffAnswer, HandoffLink, HandoffState, HandoffStatus,
    Id, NativeCaptureSession, ProcessStatus, ProcessView, SessionAnswer,
};
use super::failure::{Failure, FailureReport};
use super::i18n::{Lang, Text, Texts};
use super::native::{NativeCapture, NativeEffect, NativeInput, Outcome, Phase, Step};
use super::protocol::ReturnParams;
use super::quality::Verdict;
use super::sdk::{step_name, SdkEffect, SdkInput, SdkSession, SdkStage};

/// How many times a result that is not final yet is polled again.
pub const MAX_POLLS: u32 = 60;

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
    /// The copy button put the handoff link on the clipboard.
    HandoffCopied {
        /// The attempt whose link it is.
        attempt: u32,
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
    /// `videoid-result`; the adapter attaches the process it received.
    Result(ReturnParams, String),
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
    },
    /// `videoid-step`: the web SDK starts a phase (the step's name, mapped).
    SdkStep(String),
    /// `videoid-handoff`: the handoff's status changed.
    Handoff(&'static str),
}

/// Something the adapter must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `POST` the session endpoint and feed [`Input::SessionLoaded`].
    FetchSession {
        /// The attempt asking.
        attempt: u32,
        /// The endpoint.
        endpoint: String,
    },
    /// Show the capture page in a frame allowed camera and microphone for `origin`.
    ShowFrame {
        /// The attempt it belongs to.
        attempt: u32,
        /// The capture URL.
        url: String,
        /// Its origin, for the `allow` list and message checks.
        origin: String,
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

/// The capture flow of one element.
#[derive(Debug, Clone)]
pub struct Flow {
    state: State,
    attempt: u32,
    lang: Lang,
    texts: Texts,
    config: Option<Config>,
    session: Option<CaptureSession>,
    surface: Surface,
    failure: Option<Failure>,
    completion: Option<ReturnParams>,
    polls: u32,
    popup_blocked: bool,
    destroyed: bool,
    native: Option<NativeCapture>,
    native_ids: Option<(String, String)>,
    sdk: Option<SdkRun>,
    offer: Handoff,
    handoff: Option<HandoffRun>,
    was_handoff: bool,
    encode_qr: QrEncoder,
}

/// How the flow turns a handoff link into a QR code (the browser's handle
/// sets one that runs the encoder in a lazily loaded wasm chunk).
pub type QrEncoder = fn(&[u8]) -> Result<super::qr::QrCode, super::qr::QrError>;

/// A handoff under way.
#[derive(Debug, Clone)]
struct HandoffRun {
    link: HandoffLink,
    endpoint: String,
    status: HandoffStatus,
    polls: u32,
    qr_path: String,
    qr_side: usize,
    copied: bool,
}

/// An SDK capture under way.
#[derive(Debug, Clone)]
struct SdkRun {
    session: SdkSession,
    stage: SdkStage,
    step: Option<String>,
}

fn poll_delay_ms(polls: u32) -> u32 {
    500u32.saturating_mul(1 << polls.min(4)).min(5000)
}

fn handoff_delay_ms(polls: u32) -> u32 {
    1000u32
        .saturating_add(500u32.saturating_mul(polls))
        .min(3000)
}

/// A failure of the camera or of the device, after which the handoff leads.
fn camera_failure(f: &Failure) -> bool {
    matches!(
        f,
        Failure::CameraDenied
            | Failure::MicrophoneDenied
            | Failure::BlockedByPolicy
            | Failure::DeviceNotFound
            | Failure::DeviceInUse
            | Failure::DeviceUnsupported(_)
    )
}

fn transient(f: &Failure) -> bool {
    matches!(f, Failure::NetworkUnreachable)
        || matches!(f, Failure::BackendError { status } if *status >= 500)
}

impl Flow {
    /// A flow waiting for `start()`, for a user of `lang`, showing English
    /// until [`Flow::set_texts`] brings other strings.
    pub fn new(lang: Lang) -> Flow {
        Flow {
            state: State::Idle,
            attempt: 0,
            lang,
            texts: Texts::default(),
            config: None,
            session: None,
            surface: Surface::None,
            failure: None,
            completion: None,
            polls: 0,
            popup_blocked: false,
            destroyed: false,
            native: None,
            native_ids: None,
            sdk: None,
            offer: Handoff::Auto,
            handoff: None,
            was_handoff: false,
            encode_qr: super::qr::QrCode::encode,
        }
    }

    /// How a handoff link becomes a QR code (by default [`super::qr::QrCode::encode`]).
    pub fn set_qr_encoder(&mut self, encode: QrEncoder) {
        self.encode_qr = encode;
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

    /// The user's language, as chosen (sent to the backend for the hosted
    /// flow's `uiLanguage`); the strings may still be on their way.
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

    /// The session of the current attempt.
    pub fn session(&self) -> Option<&CaptureSession> {
        self.session.as_ref()
    }

    /// The native capture under way, if any.
    pub fn native(&self) -> Option<&NativeCapture> {
        self.native.as_ref()
    }

    /// The web SDK capture's stage, while one runs.
    pub fn sdk_stage(&self) -> Option<SdkStage> {
        self.sdk.as_ref().map(|s| s.stage)
    }

    /// The web SDK capture's session, while one runs.
    pub fn sdk_session(&self) -> Option<&SdkSession> {
        self.sdk.as_ref().map(|s| &s.session)
    }

    /// The step the web SDK is on (the `step` attribute), while it captures.
    pub fn sdk_step(&self) -> Option<&str> {
        self.sdk
            .as_ref()
            .filter(|_| self.state == State::Capturing)
            .and_then(|s| s.step.as_deref())
    }

    /// Where the capture page is shown.
    pub fn surface(&self) -> Surface {
        self.surface
    }

    /// The failure that stopped the flow, in state `failed`.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// Feeds one input; returns what the adapter must do, in order.
    pub fn step(&mut self, input: Input) -> Vec<Effect> {
        let mut fx = Vec::new();
        let current = self.attempt;
        // A link made for an attempt that is over is revoked at once.
        if let Input::HandoffAnswered {
            attempt,
            answer: Ok(answer),
        } = &input
        {
            let wanted = *attempt == current && self.state == State::Loading && !self.destroyed;
            let endpoint = self
                .config
                .as_ref()
                .and_then(|c| c.handoff_endpoint.as_ref());
            if let (false, Some(_), Some(endpoint), Some(id)) =
                (wanted, &answer.url, endpoint, Id::parse(&answer.id))
            {
                fx.push(Effect::Handoff {
                    attempt: *attempt,
                    method: "DELETE",
                    url: handoff_call(endpoint, &id, ""),
                });
            }
        }
        if self.destroyed {
            return fx;
        }
        match input {
            Input::Destroy => {
                self.destroyed = true;
                self.stop_capture(&mut fx);
            }
            Input::Handoff(config) if !self.state.is_running() => {
                self.begin_attempt(config, &mut fx);
                if self.config.is_some() {
                    self.begin_handoff(&mut fx);
                }
            }
            Input::HandoffCopied { attempt }
                if attempt == current && self.capturing_in(Surface::Handoff) =>
            {
                if let Some(run) = self.handoff.as_mut() {
                    run.copied = true;
                }
                fx.push(Effect::Render);
            }
            Input::HandoffAnswered { attempt, answer }
                if attempt == current && self.state == State::Loading && self.was_handoff =>
            {
                self.handoff_created(answer, &mut fx);
            }
            Input::HandoffAnswered { attempt, answer }
                if attempt == current && self.capturing_in(Surface::Handoff) =>
            {
                self.handoff_polled(answer, &mut fx);
            }
            Input::Start(config) if !self.state.is_running() => {
                self.begin_attempt(config, &mut fx);
                if self.config.as_ref().map(|c| c.handoff) == Some(Handoff::Always) {
                    self.begin_handoff(&mut fx);
                } else if let Some(config) = self.config.clone() {
                    self.go(State::Loading, &mut fx);
                    match (&config.capture_url, &config.session_endpoint) {
                        (Some(url), _) => {
                            let session = CaptureSession::from_capture_url(url, &config);
                            self.begin_capture(session, &mut fx);
                        }
                        (None, Some(endpoint)) => fx.push(Effect::FetchSession {
                            attempt: self.attempt,
                            endpoint: endpoint.clone(),
                        }),
                        (None, None) => self.fail(
                            Failure::ConfigInvalid {
                                field: "session-endpoint",
                            },
                            &mut fx,
                        ),
                    }
                }
            }
            Input::Resume(config, params) if !self.state.is_running() => {
                self.begin_attempt(config, &mut fx);
                if self.config.is_some() {
                    self.complete_capture(params, &mut fx);
                }
            }
            Input::SessionLoaded {
                attempt,
                answer,
                now_ms,
                seed,
            } if attempt == current && self.state == State::Loading => {
                let mode = self.config.as_ref().map(|c| c.mode);
                if mode == Some(Mode::Sdk) {
                    let session = match (answer, &self.config) {
                        (Ok(answer), Some(config)) => {
                            SdkSession::from_answer(&answer, config, now_ms)
                        }
                        (Err(failure), _) => Err(failure),
                        (Ok(_), None) => Err(Failure::ConfigInvalid {
                            field: "session-endpoint",
                        }),
                    };
                    self.begin_sdk(session, &mut fx);
                    return fx;
                }
                if mode == Some(Mode::Native) {
                    let session = match (answer, &self.config) {
                        (Ok(answer), Some(config)) => {
                            NativeCaptureSession::from_answer(&answer, config, now_ms)
                        }
                        (Err(failure), _) => Err(failure),
                        (Ok(_), None) => Err(Failure::ConfigInvalid {
                            field: "session-endpoint",
                        }),
                    };
                    self.begin_native(session, seed, &mut fx);
                    return fx;
                }
                let session = match (answer, &self.config) {
                    (Ok(answer), Some(config)) => {
                        CaptureSession::from_answer(&answer, config, now_ms)
                    }
                    (Err(failure), _) => Err(failure),
                    (Ok(_), None) => Err(Failure::ConfigInvalid {
                        field: "session-endpoint",
                    }),
                };
                self.begin_capture(session, &mut fx);
            }
            Input::FrameLoaded { attempt }
                if attempt == current && self.capturing_in(Surface::Frame) =>
            {
                fx.push(Effect::ClearTimer(Timer::Load));
            }
            Input::Returned { attempt, params }
                if attempt == current && self.state == State::Capturing =>
            {
                let expected = self
                    .session
                    .as_ref()
                    .map(|s| s.dossier_id.as_str())
                    .unwrap_or("");
                // A return for another dossier is not ours (a stale tab, a forged message).
                if expected.is_empty() || expected == params.dossier_id.as_str() {
                    self.complete_capture(params, &mut fx);
                }
            }
            Input::Activity { attempt } if attempt == current && self.state == State::Capturing => {
                self.start_inactivity(&mut fx);
            }
            Input::TimerFired { attempt, timer } if attempt == current => match timer {
                Timer::Load if self.capturing_in(Surface::Frame) => self.fail(
                    Failure::CaptureLoadTimeout {
                        framing_denied: false,
                    },
                    &mut fx,
                ),
                Timer::Load if self.sdk_stage() == Some(SdkStage::Loading) => {
                    self.fail(Failure::SdkLoad, &mut fx)
                }
                Timer::Inactivity if self.state == State::Capturing => {
                    self.fail(Failure::InactiveUserAborted, &mut fx)
                }
                Timer::Poll if self.state == State::Completing => self.fetch_result(&mut fx),
                Timer::Poll if self.capturing_in(Surface::Handoff) => {
                    if let Some(run) = &self.handoff {
                        fx.push(Effect::Handoff {
                            attempt,
                            method: "GET",
                            url: handoff_call(&run.endpoint, &run.link.id, "/events"),
                        });
                    }
                }
                _ => {}
            },
            Input::ResultLoaded { attempt, result }
                if attempt == current && self.state == State::Completing =>
            {
                self.result_loaded(result, &mut fx);
            }
            Input::OpenFallback => self.open_fallback(&mut fx),
            Input::PopupBlocked { attempt }
                if attempt == current && self.capturing_in(Surface::Popup) =>
            {
                self.stop_capture(&mut fx);
                self.popup_blocked = true;
                self.failure = Some(Failure::CaptureLoadTimeout {
                    framing_denied: false,
                });
                self.go(State::Failed, &mut fx);
            }
            Input::PopupClosed { attempt }
                if attempt == current && self.capturing_in(Surface::Popup) =>
            {
                self.cancel_now(&mut fx);
            }
            Input::Native { attempt, input }
                if attempt == current && self.capturing_in(Surface::Native) =>
            {
                self.native_input(input, &mut fx);
            }
            Input::Sdk { attempt, input }
                if attempt == current && self.capturing_in(Surface::Sdk) =>
            {
                self.sdk_input(input, &mut fx);
            }
            Input::Cancel if matches!(self.state, State::Loading | State::Capturing) => {
                self.cancel_now(&mut fx)
            }
            _ => {}
        }
        fx
    }

    fn capturing_in(&self, surface: Surface) -> bool {
        self.state == State::Capturing && self.surface == surface
    }

    fn begin_attempt(&mut self, config: Result<Config, Failure>, fx: &mut Vec<Effect>) {
        self.attempt = self.attempt.wrapping_add(1);
        self.session = None;
        self.failure = None;
        self.completion = None;
        self.polls = 0;
        self.popup_blocked = false;
        self.native = None;
        self.native_ids = None;
        self.sdk = None;
        self.handoff = None;
        self.was_handoff = false;
        match config {
            Ok(config) => {
                self.config = Some(config);
            }
            Err(failure) => {
                self.config = None;
                self.fail(failure, fx);
            }
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
        match self.surface {
            Surface::Frame => fx.push(Effect::RemoveFrame),
            Surface::Popup => fx.push(Effect::ClosePopup),
            Surface::Native => fx.push(Effect::Native {
                attempt: self.attempt,
                effect: NativeEffect::StopCamera,
            }),
            Surface::Sdk => fx.push(Effect::Sdk {
                attempt: self.attempt,
                effect: SdkEffect::Stop,
            }),
            Surface::Handoff => {
                if let Some(run) = self.handoff.as_mut().filter(|r| !r.status.is_final()) {
                    run.status = HandoffStatus::Cancelled;
                    fx.push(Effect::Handoff {
                        attempt: self.attempt,
                        method: "DELETE",
                        url: handoff_call(&run.endpoint, &run.link.id, ""),
                    });
                    if !self.destroyed {
                        fx.push(Effect::Emit(Emit::Handoff("cancelled")));
                    }
                }
            }
            Surface::None | Surface::Redirect => {}
        }
        self.native = None;
        self.sdk = None;
        self.surface = Surface::None;
        fx.extend([Timer::Load, Timer::Inactivity, Timer::Poll].map(Effect::ClearTimer));
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

    fn start_inactivity(&self, fx: &mut Vec<Effect>) {
        if let Some(config) = &self.config {
            fx.push(Effect::StartTimer {
                attempt: self.attempt,
                timer: Timer::Inactivity,
                ms: config.inactivity_timeout_ms,
            });
        }
    }

    fn begin_capture(&mut self, session: Result<CaptureSession, Failure>, fx: &mut Vec<Effect>) {
        let (session, config) = match (session, &self.config) {
            (Ok(session), Some(config)) => (session, config.clone()),
            (Err(failure), _) => return self.fail(failure, fx),
            (Ok(_), None) => return,
        };
        let denied = session.framing == Framing::Denied;
        let (url, origin) = (session.url.to_string(), session.url.origin().to_string());
        self.session = Some(session);
        if denied {
            return self.fail(
                Failure::CaptureLoadTimeout {
                    framing_denied: true,
                },
                fx,
            );
        }
        self.surface = Surface::Frame;
        fx.push(Effect::ShowFrame {
            attempt: self.attempt,
            url,
            origin,
        });
        fx.push(Effect::StartTimer {
            attempt: self.attempt,
            timer: Timer::Load,
            ms: config.load_timeout_ms,
        });
        self.start_inactivity(fx);
        self.go(State::Capturing, fx);
    }

    fn native_effects(&self, effects: Vec<NativeEffect>, fx: &mut Vec<Effect>) {
        let attempt = self.attempt;
        fx.extend(effects.into_iter().map(|effect| match effect {
            NativeEffect::Captured {
                step,
                auto,
                quality,
            } => Effect::Emit(Emit::Step {
                step: step.as_str(),
                auto,
                quality,
            }),
            effect => Effect::Native { attempt, effect },
        }));
    }

    fn begin_native(
        &mut self,
        session: Result<NativeCaptureSession, Failure>,
        seed: u32,
        fx: &mut Vec<Effect>,
    ) {
        let session = match session {
            Ok(session) => session,
            Err(failure) => return self.fail(failure, fx),
        };
        let embed_allowed = session.embed.is_some()
            && self
                .config
                .as_ref()
                .is_some_and(|c| c.fallback == Fallback::Embed);
        self.native_ids = Some((
            session.dossier_id.as_str().to_string(),
            session.process_id.as_str().to_string(),
        ));
        self.session = session.embed;
        let thresholds = self.config.as_ref().map(|c| c.quality).unwrap_or_default();
        let (capture, effects) =
            NativeCapture::new(session.native, embed_allowed, seed, thresholds);
        self.native = Some(capture);
        self.surface = Surface::Native;
        self.native_effects(effects, fx);
        self.start_inactivity(fx);
        self.go(State::Capturing, fx);
    }

    fn native_input(&mut self, input: NativeInput, fx: &mut Vec<Effect>) {
        // Any button the user presses, and any step forward, shows someone is there.
        let alive = matches!(
            input,
            NativeInput::Shutter
                | NativeInput::Retake
                | NativeInput::Confirm
                | NativeInput::FileChosen
                | NativeInput::SwitchCamera
                | NativeInput::Captured
                | NativeInput::Uploaded(Ok(()))
        );
        let frame = matches!(input, NativeInput::Frame(_));
        let Some(native) = self.native.as_mut() else {
            return;
        };
        let (hint_before, phase_before) = (native.verdict(), native.phase());
        let (effects, outcome) = native.on(input);
        // Frames arrive ten times a second: redraw only when one changes what shows.
        let unchanged = frame
            && effects.is_empty()
            && (native.verdict(), native.phase()) == (hint_before, phase_before);
        self.native_effects(effects, fx);
        match outcome {
            Outcome::Continue if unchanged => {}
            Outcome::Continue => {
                if alive {
                    self.start_inactivity(fx);
                }
                fx.push(Effect::Render);
            }
            Outcome::Done => {
                let ids = self.native_ids.clone().unwrap_or_default();
                match ReturnParams::new(&ids.0, &ids.1, "processing") {
                    Some(params) => self.complete_capture(params, fx),
                    None => self.fail(
                        Failure::SessionInvalid(super::failure::SessionProblem::BadId),
                        fx,
                    ),
                }
            }
            Outcome::Fail(failure) => self.fail(failure, fx),
            Outcome::Embed(failure) => {
                self.stop_capture(fx);
                let session = self.session.clone().ok_or(failure);
                self.begin_capture(session, fx);
            }
        }
    }

    fn begin_sdk(&mut self, session: Result<SdkSession, Failure>, fx: &mut Vec<Effect>) {
        let session = match session {
            Ok(session) => session,
            Err(failure) => return self.fail(failure, fx),
        };
        self.sdk = Some(SdkRun {
            session,
            stage: SdkStage::Checking,
            step: None,
        });
        self.surface = Surface::Sdk;
        fx.push(Effect::Sdk {
            attempt: self.attempt,
            effect: SdkEffect::CheckDevices,
        });
        self.start_inactivity(fx);
        self.go(State::Capturing, fx);
    }

    fn sdk_input(&mut self, input: SdkInput, fx: &mut Vec<Effect>) {
        let attempt = self.attempt;
        let load_ms = self.config.as_ref().map_or(0, |c| c.load_timeout_ms);
        let Some(sdk) = self.sdk.as_mut() else {
            return;
        };
        match (input, sdk.stage) {
            (SdkInput::DevicesReady, SdkStage::Checking) => {
                sdk.stage = SdkStage::Loading;
                fx.push(Effect::Sdk {
                    attempt,
                    effect: SdkEffect::Load,
                });
                fx.push(Effect::StartTimer {
                    attempt,
                    timer: Timer::Load,
                    ms: load_ms,
                });
                fx.push(Effect::Render);
            }
            (SdkInput::DevicesFailed(error), SdkStage::Checking) => {
                let failure = super::native::media_failure(&error)
                    .unwrap_or(Failure::DeviceUnsupported(None));
                self.fail(failure, fx);
            }
            (SdkInput::Loaded, SdkStage::Loading) => {
                sdk.stage = SdkStage::Running;
                fx.push(Effect::ClearTimer(Timer::Load));
                fx.push(Effect::Sdk {
                    attempt,
                    effect: SdkEffect::Run,
                });
                fx.push(Effect::Render);
            }
            (SdkInput::LoadFailed, SdkStage::Loading) => self.fail(Failure::SdkLoad, fx),
            (SdkInput::Phase(name), SdkStage::Running) => {
                // A name that cannot be a step still shows someone is there.
                if let Some(step) = step_name(&name) {
                    sdk.step = Some(step.clone());
                    fx.push(Effect::Emit(Emit::SdkStep(step)));
                }
                self.start_inactivity(fx);
                fx.push(Effect::Render);
            }
            (SdkInput::Completed, SdkStage::Running) => {
                let ids = (
                    sdk.session.dossier_id.as_str().to_string(),
                    sdk.session.process_id.as_str().to_string(),
                );
                match ReturnParams::new(&ids.0, &ids.1, "processing") {
                    Some(params) => self.complete_capture(params, fx),
                    None => self.fail(
                        Failure::SessionInvalid(super::failure::SessionProblem::BadId),
                        fx,
                    ),
                }
            }
            (SdkInput::Failed(reason), SdkStage::Running) => {
                self.fail(Failure::CaptureFailed(Some(reason)), fx)
            }
            (SdkInput::PageHidden, _) => self.cancel_now(fx),
            _ => {}
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
        });
    }

    fn handoff_created(&mut self, answer: Result<HandoffAnswer, Failure>, fx: &mut Vec<Effect>) {
        let Some(config) = self.config.as_ref() else {
            return;
        };
        let bad_url = Failure::SessionInvalid(super::failure::SessionProblem::BadUrl);
        let run = answer
            .and_then(|a| HandoffLink::from_answer(&a, &config.handoff_origin))
            .and_then(|link| {
                let code = (self.encode_qr)(link.url.as_bytes()).map_err(|_| bad_url)?;
                Ok(HandoffRun {
                    endpoint: config.handoff_endpoint.clone().unwrap_or_default(),
                    qr_path: code.path_data(4),
                    qr_side: code.size() + 8,
                    link,
                    status: HandoffStatus::Waiting,
                    polls: 0,
                    copied: false,
                })
            });
        match run {
            Ok(run) => {
                self.handoff = Some(run);
                self.surface = Surface::Handoff;
                fx.push(Effect::Emit(Emit::Handoff("waiting")));
                self.start_inactivity(fx);
                self.poll_handoff_later(fx);
                self.go(State::Capturing, fx);
            }
            Err(failure) => self.fail(failure, fx),
        }
    }

    fn poll_handoff_later(&self, fx: &mut Vec<Effect>) {
        if let Some(run) = &self.handoff {
            fx.push(Effect::StartTimer {
                attempt: self.attempt,
                timer: Timer::Poll,
                ms: handoff_delay_ms(run.polls),
            });
        }
    }

    fn handoff_polled(&mut self, answer: Result<HandoffAnswer, Failure>, fx: &mut Vec<Effect>) {
        let Some(run) = self.handoff.as_mut() else {
            return;
        };
        let state = match answer.and_then(|a| HandoffState::from_answer(&a, &run.link.id)) {
            Ok(state) => state,
            Err(failure) if !transient(&failure) => return self.fail(failure, fx),
            Err(_) => {
                run.polls = run.polls.saturating_add(1);
                return self.poll_handoff_later(fx);
            }
        };
        if state.status == run.status {
            run.polls = run.polls.saturating_add(1);
            return self.poll_handoff_later(fx);
        }
        let before = run.status.event();
        run.status = state.status;
        run.polls = 0;
        if state.status.event() != before {
            fx.push(Effect::Emit(Emit::Handoff(state.status.event())));
        }
        // Progress on the phone is a sign of life here.
        self.start_inactivity(fx);
        match state.status {
            HandoffStatus::Complete => {
                match state
                    .ids
                    .and_then(|(d, p)| ReturnParams::new(d.as_str(), p.as_str(), "processing"))
                {
                    Some(params) => self.complete_capture(params, fx),
                    None => self.fail(
                        Failure::SessionInvalid(super::failure::SessionProblem::BadId),
                        fx,
                    ),
                }
            }
            HandoffStatus::Expired => self.fail(Failure::SessionExpired, fx),
            HandoffStatus::Cancelled => self.cancel_now(fx),
            _ => {
                self.poll_handoff_later(fx);
                fx.push(Effect::Render);
            }
        }
    }

    fn complete_capture(&mut self, params: ReturnParams, fx: &mut Vec<Effect>) {
        self.stop_capture(fx);
        fx.push(Effect::Emit(Emit::Complete(params.clone())));
        self.completion = Some(params);
        self.polls = 0;
        let has_result_endpoint = self
            .config
            .as_ref()
            .is_some_and(|c| c.result_endpoint.is_some());
        if has_result_endpoint {
            self.go(State::Completing, fx);
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
                    fx.push(Effect::Emit(Emit::Result(done, view.status_text.clone())));
                }
                match view.status {
                    ProcessStatus::Failed => {
                        self.fail(Failure::CaptureFailed(view.fail_reason), fx)
                    }
                    ProcessStatus::Canceled => self.cancel_now(fx),
                    _ => self.go(State::Complete, fx),
                }
            }
            Err(failure) if !transient(&failure) => self.fail(failure, fx),
            // Not final yet, or a passing network/server fault: ask again later.
            _ => {
                self.polls += 1;
                if self.polls > MAX_POLLS {
                    // The capture is done; the result will reach the host backend by webhook.
                    self.go(State::Complete, fx);
                } else {
                    fx.push(Effect::StartTimer {
                        attempt: self.attempt,
                        timer: Timer::Poll,
                        ms: poll_delay_ms(self.polls - 1),
                    });
                }
            }
        }
    }

    fn open_fallback(&mut self, fx: &mut Vec<Effect>) {
        let offered = self.offered_fallback();
        let Some((fallback, session)) = offered.zip(self.session.clone()) else {
            return;
        };
        self.failure = None;
        self.popup_blocked = false;
        let (url, origin) = (session.url.to_string(), session.url.origin().to_string());
        match fallback {
            Fallback::Popup => {
                self.surface = Surface::Popup;
                fx.push(Effect::OpenPopup {
                    attempt: self.attempt,
                    url,
                    origin,
                });
                self.start_inactivity(fx);
            }
            Fallback::Redirect | Fallback::Embed | Fallback::None => {
                self.surface = Surface::Redirect;
                fx.push(Effect::Redirect {
                    url,
                    dossier_id: session.dossier_id.as_str().to_string(),
                });
            }
        }
        self.go(State::Capturing, fx);
    }

    fn offered_fallback(&self) -> Option<Fallback> {
        let framing_failed = matches!(self.failure, Some(Failure::CaptureLoadTimeout { .. }));
        if self.state != State::Failed || !framing_failed {
            return None;
        }
        self.config.as_ref()?.offered_fallback()
    }

    /// What the panel shows now.
    pub fn screen(&self) -> Screen {
        let t = |key| self.texts.get(key).to_string();
        let mut actions = Vec::new();
        let (title, message, busy) = match self.state {
            State::Idle => {
                actions.push((Action::Start, t(Text::Start)));
                if self.offer == Handoff::Auto {
                    actions.push((Action::Handoff, t(Text::HandoffButton)));
                }
                (Text::IdleTitle, t(Text::IdleMessage), false)
            }
            State::Loading => {
                actions.push((Action::Cancel, t(Text::Cancel)));
                (Text::LoadingTitle, String::new(), true)
            }
            State::Capturing if self.surface == Surface::Native => {
                actions.push((Action::Cancel, t(Text::Cancel)));
                if let Some(native) = &self.native {
                    let mut own = match native.phase() {
                        Phase::Live if native.step() == Step::Video => {
                            vec![(Action::Capture, t(Text::Record))]
                        }
                        Phase::Live => vec![
                            (Action::Capture, t(Text::Capture)),
                            (Action::SwitchCamera, t(Text::SwitchCamera)),
                        ],
                        Phase::Review => vec![
                            (Action::Retake, t(Text::Retake)),
                            (Action::Confirm, t(Text::Confirm)),
                        ],
                        _ => vec![],
                    };
                    own.append(&mut actions);
                    actions = own;
                }
                let busy = self.native.as_ref().is_some_and(|n| {
                    matches!(
                        n.phase(),
                        Phase::Opening | Phase::Uploading | Phase::Finishing | Phase::Recording
                    )
                });
                let title = match self.native.as_ref().map(NativeCapture::step) {
                    Some(Step::Front) => Text::StepFront,
                    Some(Step::Back) => Text::StepBack,
                    Some(Step::Selfie) => Text::StepSelfie,
                    Some(Step::Video) => Text::StepVideo,
                    None => Text::CapturingTitle,
                };
                // A failed still or recording says so, on screen and in the announcement.
                let message = if self.native.as_ref().is_some_and(NativeCapture::missed) {
                    t(Text::CaptureMissed).to_string()
                } else {
                    String::new()
                };
                (title, message, busy)
            }
            State::Capturing if self.surface == Surface::Sdk => {
                actions.push((Action::Cancel, t(Text::Cancel)));
                let (title, busy) = match self.sdk.as_ref() {
                    Some(SdkRun {
                        stage: SdkStage::Running,
                        step,
                        ..
                    }) => (
                        match step.as_deref() {
                            Some("front") => Text::StepFront,
                            Some("back") => Text::StepBack,
                            Some("selfie") => Text::StepSelfie,
                            _ => Text::CapturingTitle,
                        },
                        false,
                    ),
                    _ => (Text::LoadingTitle, true),
                };
                (title, String::new(), busy)
            }
            State::Capturing if self.surface == Surface::Handoff => {
                actions.push((Action::Cancel, t(Text::Cancel)));
                let status = match self.handoff.as_ref().map(|r| r.status) {
                    Some(HandoffStatus::Opened) => Text::HandoffOpened,
                    Some(HandoffStatus::Capturing) => Text::HandoffCapturing,
                    Some(HandoffStatus::Uploading) => Text::HandoffUploading,
                    _ => Text::HandoffWaiting,
                };
                (Text::HandoffTitle, t(status), false)
            }
            State::Capturing => {
                let message = match self.surface {
                    Surface::Popup => Text::CapturingInPopup,
                    Surface::Redirect => Text::CapturingRedirect,
                    _ => Text::CapturingInFrame,
                };
                if self.surface != Surface::Redirect {
                    actions.push((Action::Cancel, t(Text::Cancel)));
                }
                (Text::CapturingTitle, t(message), false)
            }
            State::Completing => (Text::CompletingTitle, t(Text::CompletingMessage), true),
            State::Complete => (Text::CompleteTitle, t(Text::CompleteMessage), false),
            State::Failed => {
                let mut message = self
                    .failure
                    .as_ref()
                    .map(|f| f.message(&self.texts))
                    .unwrap_or("")
                    .to_string();
                if self.popup_blocked {
                    message = format!("{message} {}", t(Text::PopupBlocked));
                }
                match self.offered_fallback() {
                    Some(Fallback::Popup) => actions.push((Action::Fallback, t(Text::OpenPopup))),
                    Some(_) => actions.push((Action::Fallback, t(Text::OpenRedirect))),
                    None => {}
                }
                let leads = self.was_handoff
                    || self.failure.as_ref().is_some_and(|f| {
                        camera_failure(f)
                            && self
                                .config
                                .as_ref()
                                .is_some_and(|c| matches!(c.mode, Mode::Native | Mode::Sdk))
                    });
                if leads && self.handoff_offered() {
                    actions.push((Action::Handoff, t(Text::HandoffButton)));
                }
                if self.failure.as_ref().is_some_and(Failure::recoverable) {
                    actions.push((Action::Retry, t(Text::Retry)));
                }
                (Text::FailedTitle, message, false)
            }
            State::Cancelled => {
                actions.push((Action::Retry, t(Text::Retry)));
                if self.handoff_offered() {
                    actions.push((Action::Handoff, t(Text::HandoffButton)));
                }
                (Text::CancelledTitle, t(Text::CancelledMessage), false)
            }
        };
        Screen {
            lang: self.texts.lang(),
            title: t(title),
            message,
            actions,
            busy,
            native: self.native_screen(),
            handoff: self.handoff_screen(),
        }
    }

    /// Whether this attempt's configuration lets the user continue on a phone.
    fn handoff_offered(&self) -> bool {
        self.config
            .as_ref()
            .is_some_and(|c| c.handoff == Handoff::Auto && c.handoff_endpoint.is_some())
    }

    fn handoff_screen(&self) -> Option<HandoffScreen> {
        let run = self
            .handoff
            .as_ref()
            .filter(|_| self.capturing_in(Surface::Handoff))?;
        let t = |key| self.texts.get(key).to_string();
        Some(HandoffScreen {
            url: run.link.url.clone(),
            qr_path: run.qr_path.clone(),
            qr_side: run.qr_side,
            help: super::fill(
                &t(Text::HandoffHelp),
                "{minutes}",
                &run.link.minutes.to_string(),
            ),
            qr_label: t(Text::HandoffQr),
            copy: t(Text::HandoffCopy),
            copied: run.copied.then(|| t(Text::HandoffCopied)),
        })
    }

    fn native_screen(&self) -> Option<NativeScreen> {
        let native = self
            .native
            .as_ref()
            .filter(|_| self.state == State::Capturing)?;
        let step = native.step();
        let phase = native.phase();
        let verdict = native
            .verdict()
            .filter(|v| *v != Verdict::Good)
            .map(|v| match v {
                Verdict::TooDark => Text::HintDark,
                Verdict::TooBright => Text::HintBright,
                Verdict::MoveCloser => Text::HintCloser,
                Verdict::Glare => Text::HintGlare,
                Verdict::HoldStill => Text::HintHoldStill,
                _ => Text::HintBlurry,
            });
        let hint = match (phase, step) {
            _ if verdict.is_some() => verdict.unwrap_or(Text::HintOpening),
            (Phase::Opening, _) => Text::HintOpening,
            (Phase::Capturing, _) => Text::HintCapturing,
            (Phase::Paused, _) => Text::HintPaused,
            (Phase::FilePick, _) => Text::HintFile,
            (Phase::Review, _) => Text::HintReview,
            (Phase::Recording, _) => Text::HintRecording,
            (Phase::Uploading, _) => Text::HintUploading,
            (Phase::Finishing, _) => Text::HintFinishing,
            (Phase::Live, Step::Front) => Text::HintFront,
            (Phase::Live, Step::Back) => Text::HintBack,
            (Phase::Live, Step::Selfie) => Text::HintSelfie,
            (Phase::Live, Step::Video) => Text::HintVideo,
        };
        let uploading = matches!(phase, Phase::Uploading | Phase::Finishing);
        Some(NativeScreen {
            step: if uploading { "upload" } else { step.as_str() },
            phase,
            hint: self.texts.get(hint).to_string(),
            progress: native.progress(),
            progress_label: self.texts.get(Text::Progress).to_string(),
            choose_file: self.texts.get(Text::ChooseFile).to_string(),
            review_label: self.texts.get(Text::HintReview).to_string(),
            digits: (step == Step::Video).then(|| {
                native
                    .digits()
                    .iter()
                    .map(|d| char::from(b'0' + d))
                    .collect()
            }),
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "flow_tests.rs"]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "flow_sdk_tests.rs"]
mod sdk_tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "flow_handoff_tests.rs"]
mod handoff_tests;
