//! The handoff run: the capture continues on the user's phone through a link
//! (shown as a QR code), and this run follows the phone's progress until its
//! capture is done. It arrives with [`Chunk::Handoff`], with the QR encoder.

use super::{
    processing, transient, Action, Begin, Chunk, Cx, Effect, Emit, HandoffScreen, Kit, Next,
    Reduce, RunInput, RunScreen, Surface, Timer,
};
use crate::core::contract::{
    handoff_call, HandoffAnswer, HandoffLink, HandoffState, HandoffStatus,
};
use crate::core::failure::{Failure, SessionProblem};
use crate::core::i18n::Text;
use crate::core::qr::QrCode;

/// Something that happened to the handoff.
#[derive(Debug, Clone)]
pub enum HandoffInput {
    /// The status endpoint answered.
    Polled(Result<HandoffAnswer, Failure>),
    /// The user asked to copy the link.
    Copy,
    /// The link is on the clipboard.
    Copied,
    /// The user said whether the phone that shows the code is theirs.
    Pair(bool),
}

/// Begins handoff runs.
#[derive(Debug)]
pub struct HandoffKit;

/// The handoff run's kit, handed to the flow when its chunk is there.
pub static KIT: HandoffKit = HandoffKit;

impl Kit for HandoffKit {
    fn chunk(&self) -> Chunk {
        Chunk::Handoff
    }

    fn begin(
        &self,
        start: Begin,
        cx: &Cx<'_>,
        fx: &mut Vec<Effect>,
    ) -> Result<Box<dyn Reduce>, Failure> {
        let Begin::Handoff(answer) = start else {
            return Err(Failure::SessionInvalid(SessionProblem::MalformedAnswer));
        };
        let link = HandoffLink::from_answer(&answer, &cx.config.handoff_origin)?;
        let code = QrCode::encode(link.url.as_bytes())
            .map_err(|_| Failure::SessionInvalid(SessionProblem::BadUrl))?;
        let run = HandoffRun {
            endpoint: cx.config.handoff_endpoint.clone().unwrap_or_default(),
            qr_path: code.path_data(4),
            qr_side: code.size() + 8,
            link,
            status: HandoffStatus::Waiting,
            polls: 0,
            copied: false,
            code: None,
            confirming: false,
        };
        run.poll_later(cx, fx);
        Ok(Box::new(run))
    }
}

/// A handoff under way.
pub struct HandoffRun {
    link: HandoffLink,
    endpoint: String,
    status: HandoffStatus,
    polls: u32,
    qr_path: String,
    qr_side: usize,
    copied: bool,
    /// The pairing code the phone shows, while the user is asked about it.
    code: Option<String>,
    /// The user confirmed the code; the backend's answer is on its way.
    confirming: bool,
}

fn delay_ms(polls: u32) -> u32 {
    1000u32
        .saturating_add(500u32.saturating_mul(polls))
        .min(3000)
}

impl HandoffRun {
    fn poll_later(&self, cx: &Cx<'_>, fx: &mut Vec<Effect>) {
        fx.push(Effect::StartTimer {
            attempt: cx.attempt,
            timer: Timer::Poll,
            ms: delay_ms(self.polls),
        });
    }

    fn call(&self, method: &'static str, suffix: &str, cx: &Cx<'_>) -> Effect {
        Effect::Handoff {
            attempt: cx.attempt,
            method,
            url: handoff_call(&self.endpoint, &self.link.id, suffix),
            mode: cx.config.mode.as_str(),
            lang: cx.lang.tag(),
        }
    }

    fn polled(
        &mut self,
        answer: Result<HandoffAnswer, Failure>,
        cx: &Cx<'_>,
        fx: &mut Vec<Effect>,
    ) -> Next {
        let state = match answer.and_then(|a| HandoffState::from_answer(&a, &self.link.id)) {
            Ok(state) => state,
            // A confirmation that crossed the phone's next step, or a second one: the next
            // poll tells where the handoff stands.
            Err(Failure::BackendError { status: 409, .. }) if self.confirming => {
                self.poll_later(cx, fx);
                return Next::Same;
            }
            Err(failure) if !transient(&failure) => return Next::Fail(failure),
            Err(_) => {
                self.polls = self.polls.saturating_add(1);
                self.poll_later(cx, fx);
                return Next::Same;
            }
        };
        if state.status == self.status {
            self.polls = self.polls.saturating_add(1);
            self.poll_later(cx, fx);
            return Next::Same;
        }
        let before = self.status.event();
        self.status = state.status;
        self.polls = 0;
        if state.status != HandoffStatus::Pairing {
            self.confirming = false;
        }
        match state.code {
            Some(code) => {
                fx.push(Effect::Emit(Emit::HandoffPairing(code.clone())));
                self.code = Some(code);
            }
            None if state.status.event() != before => {
                self.code = None;
                fx.push(Effect::Emit(Emit::Handoff(state.status.event())));
            }
            None => self.code = None,
        }
        match state.status {
            HandoffStatus::Complete => match state.ids {
                Some((dossier, process)) => processing(&dossier, &process),
                None => Next::Fail(Failure::SessionInvalid(SessionProblem::BadId)),
            },
            HandoffStatus::Expired => Next::Fail(Failure::SessionExpired),
            HandoffStatus::Cancelled => Next::Cancel,
            _ => {
                self.poll_later(cx, fx);
                // Progress on the phone is a sign of life here.
                Next::Alive
            }
        }
    }
}

impl Reduce for HandoffRun {
    fn surface(&self) -> Surface {
        Surface::Handoff
    }

    fn on(&mut self, input: RunInput, cx: &Cx<'_>, fx: &mut Vec<Effect>) -> Next {
        match input {
            RunInput::Handoff(HandoffInput::Polled(answer)) => self.polled(answer, cx, fx),
            RunInput::Handoff(HandoffInput::Copy) => {
                fx.push(Effect::CopyLink {
                    attempt: cx.attempt,
                    url: self.link.url.clone(),
                });
                Next::Same
            }
            RunInput::Handoff(HandoffInput::Copied) => {
                self.copied = true;
                Next::Redraw
            }
            RunInput::Handoff(HandoffInput::Pair(_)) if self.status != HandoffStatus::Pairing => {
                Next::Same
            }
            RunInput::Handoff(HandoffInput::Pair(true)) => {
                if !self.confirming {
                    self.confirming = true;
                    fx.push(self.call("POST", "/confirm", cx));
                }
                Next::Alive
            }
            // Not the user's phone: the link is revoked, that phone's session ends with it,
            // and this handoff is over (the user may start again, with a new link).
            RunInput::Handoff(HandoffInput::Pair(false)) => Next::Cancel,
            RunInput::Timer(Timer::Poll) => {
                fx.push(self.call("GET", "/events", cx));
                Next::Same
            }
            _ => Next::Same,
        }
    }

    fn stop(&mut self, cx: &Cx<'_>, fx: &mut Vec<Effect>) {
        if self.status.is_final() {
            return;
        }
        self.status = HandoffStatus::Cancelled;
        fx.push(self.call("DELETE", "", cx));
        if !cx.destroyed {
            fx.push(Effect::Emit(Emit::Handoff("cancelled")));
        }
    }

    fn screen(&self, cx: &Cx<'_>) -> RunScreen {
        let t = |key| cx.texts.get(key).to_string();
        // While a phone's code waits for an answer: the question, and no QR code to scan.
        let pairing = match (self.status, &self.code) {
            (HandoffStatus::Pairing, Some(code)) => Some(code),
            _ => None,
        };
        let (title, message, actions) = match pairing {
            Some(code) => (
                Text::HandoffPairingTitle,
                crate::core::fill(&t(Text::HandoffPairing), "{code}", code),
                vec![
                    (Action::PairConfirm, t(Text::HandoffPairConfirm)),
                    (Action::PairReject, t(Text::HandoffPairReject)),
                ],
            ),
            None => (
                Text::HandoffTitle,
                t(match self.status {
                    HandoffStatus::Opened => Text::HandoffOpened,
                    HandoffStatus::Paired => Text::HandoffPaired,
                    HandoffStatus::Capturing => Text::HandoffCapturing,
                    HandoffStatus::Uploading => Text::HandoffUploading,
                    _ => Text::HandoffWaiting,
                }),
                vec![(Action::Cancel, t(Text::Cancel))],
            ),
        };
        RunScreen {
            title,
            message,
            actions,
            busy: self.confirming,
            native: None,
            handoff: pairing.is_none().then(|| HandoffScreen {
                url: self.link.url.clone(),
                qr_path: self.qr_path.clone(),
                qr_side: self.qr_side,
                help: crate::core::fill(
                    &t(Text::HandoffHelp),
                    "{minutes}",
                    &self.link.minutes.to_string(),
                ),
                qr_label: t(Text::HandoffQr),
                copy: t(Text::HandoffCopy),
                copied: self.copied.then(|| t(Text::HandoffCopied)),
            }),
            step: Some("handoff".to_string()),
        }
    }
}
