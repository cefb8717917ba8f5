//! The hosted run: Assure's capture page in the element's frame, or, where
//! framing fails, in a popup or by a full-page redirect that comes back. It is
//! part of the base: every mode may end up here.

use super::{Cx, Effect, Next, Reduce, RunInput, RunScreen, Surface, Timer};
use crate::core::config::{Config, Fallback};
use crate::core::contract::{CaptureSession, Framing};
use crate::core::failure::Failure;
use crate::core::i18n::Text;
use crate::core::protocol::ReturnParams;

use super::Action;

/// Something that happened to the capture page.
#[derive(Debug, Clone)]
pub enum HostedInput {
    /// The frame fired `load`.
    FrameLoaded,
    /// The user turned to the frame, or the page in it sent a message.
    FrameUsed,
    /// A verified return from the frame, popup or return helper.
    Returned(ReturnParams),
    /// The browser refused to open the popup.
    PopupBlocked,
    /// The user closed the popup before it came back.
    PopupClosed,
}

/// The capture page, shown somewhere.
#[derive(Debug)]
pub struct Hosted {
    surface: Surface,
    /// The dossier a return must name (a return for another is not ours).
    dossier_id: String,
    /// The backend did not say whether the page may be framed: a refused frame
    /// fires `load` too (on the browser's error page, which the element cannot
    /// tell from the capture page), so the load timer runs on until the frame
    /// is used.
    framing_unknown: bool,
}

impl Hosted {
    /// Shows `session`'s page in the frame, with its load timer; a page the
    /// backend found unframeable fails at once (so the fallback is offered).
    /// Where the backend did not say, the timer ends when the frame is used,
    /// not at its `load`: a refused frame then fails within the load timeout.
    pub fn frame(
        session: CaptureSession,
        config: &Config,
        attempt: u32,
        title: String,
        fx: &mut Vec<Effect>,
    ) -> Result<Hosted, Failure> {
        if session.framing == Framing::Denied {
            return Err(Failure::CaptureLoadTimeout {
                framing_denied: true,
            });
        }
        fx.push(Effect::ShowFrame {
            attempt,
            url: session.url.to_string(),
            origin: session.url.origin().to_string(),
            title,
        });
        fx.push(Effect::StartTimer {
            attempt,
            timer: Timer::Load,
            ms: config.load_timeout_ms,
        });
        Ok(Hosted {
            surface: Surface::Frame,
            dossier_id: session.dossier_id.as_str().to_string(),
            framing_unknown: session.framing == Framing::Unknown,
        })
    }

    /// Opens `session`'s page the `fallback` way: a popup, or the whole page.
    pub fn fallback(
        session: CaptureSession,
        fallback: Fallback,
        attempt: u32,
        fx: &mut Vec<Effect>,
    ) -> Hosted {
        let (url, origin) = (session.url.to_string(), session.url.origin().to_string());
        let dossier_id = session.dossier_id.as_str().to_string();
        let surface = match fallback {
            Fallback::Popup => {
                fx.push(Effect::OpenPopup {
                    attempt,
                    url,
                    origin,
                });
                Surface::Popup
            }
            Fallback::Redirect | Fallback::Embed | Fallback::None => {
                fx.push(Effect::Redirect {
                    url,
                    dossier_id: dossier_id.clone(),
                });
                Surface::Redirect
            }
        };
        Hosted {
            surface,
            dossier_id,
            framing_unknown: false,
        }
    }
}

impl Reduce for Hosted {
    fn surface(&self) -> Surface {
        self.surface
    }

    fn on(&mut self, input: RunInput, _: &Cx<'_>, fx: &mut Vec<Effect>) -> Next {
        let (frame, popup) = (
            self.surface == Surface::Frame,
            self.surface == Surface::Popup,
        );
        match input {
            RunInput::Hosted(HostedInput::FrameLoaded) if frame && !self.framing_unknown => {
                fx.push(Effect::ClearTimer(Timer::Load));
                Next::Same
            }
            RunInput::Hosted(HostedInput::FrameUsed) if frame && self.framing_unknown => {
                self.framing_unknown = false;
                fx.push(Effect::ClearTimer(Timer::Load));
                Next::Same
            }
            // A return for another dossier is not ours (a stale tab, a forged message).
            RunInput::Hosted(HostedInput::Returned(params))
                if self.dossier_id.is_empty() || self.dossier_id == params.dossier_id.as_str() =>
            {
                Next::Done(params)
            }
            RunInput::Hosted(HostedInput::PopupBlocked) if popup => Next::Refused,
            RunInput::Hosted(HostedInput::PopupClosed) if popup => Next::Cancel,
            RunInput::Timer(Timer::Load) if frame => Next::Fail(Failure::CaptureLoadTimeout {
                framing_denied: false,
            }),
            _ => Next::Same,
        }
    }

    fn stop(&mut self, _: &Cx<'_>, fx: &mut Vec<Effect>) {
        match self.surface {
            Surface::Frame => fx.push(Effect::RemoveFrame),
            Surface::Popup => fx.push(Effect::ClosePopup),
            _ => {}
        }
    }

    fn screen(&self, cx: &Cx<'_>) -> RunScreen {
        let message = match self.surface {
            Surface::Popup => Text::CapturingInPopup,
            Surface::Redirect => Text::CapturingRedirect,
            _ => Text::CapturingInFrame,
        };
        let mut actions = Vec::new();
        if self.surface != Surface::Redirect {
            actions.push((Action::Cancel, cx.texts.get(Text::Cancel).to_string()));
        }
        RunScreen {
            title: Text::CapturingTitle,
            message: cx.texts.get(message).to_string(),
            actions,
            busy: false,
            native: None,
            handoff: None,
            step: None,
        }
    }
}
