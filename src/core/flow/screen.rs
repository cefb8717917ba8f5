//! What the panel shows for each state: the common screens, and the run's
//! own screen while it captures.

use super::{Action, Flow, Screen, State};
use crate::core::config::{Fallback, Mode};
use crate::core::failure::Failure;
use crate::core::i18n::Text;

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

impl Flow {
    /// What the panel shows now.
    pub fn screen(&self) -> Screen {
        let t = |key| self.texts.get(key).to_string();
        let mut screen = Screen {
            lang: self.texts.lang(),
            title: String::new(),
            message: String::new(),
            actions: Vec::new(),
            busy: false,
            native: None,
            handoff: None,
            step: None,
        };
        let actions = &mut screen.actions;
        let (title, message, busy) = match self.state {
            State::Capturing => match (self.run.view(), self.cx()) {
                (Some(run), Some(cx)) => {
                    let own = run.screen(&cx);
                    screen.actions = own.actions;
                    screen.native = own.native;
                    screen.handoff = own.handoff;
                    screen.step = own.step;
                    (own.title, own.message, own.busy)
                }
                _ => (Text::CapturingTitle, String::new(), false),
            },
            State::Idle => {
                actions.push((Action::Start, t(Text::Start)));
                if self.offer == crate::core::config::Handoff::Auto {
                    actions.push((Action::Handoff, t(Text::HandoffButton)));
                }
                (Text::IdleTitle, t(Text::IdleMessage), false)
            }
            State::Loading => {
                actions.push((Action::Cancel, t(Text::Cancel)));
                (Text::LoadingTitle, String::new(), true)
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
        screen.title = t(title);
        screen.message = message;
        screen.busy = busy;
        screen
    }
}
