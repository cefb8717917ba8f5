//! The SDK run (`mode="sdk"`): checks camera and microphone, loads VideoID's
//! web SDK and follows its phases to the end. It arrives with [`Chunk::Sdk`].

use super::{
    processing, Action, Begin, Chunk, Cx, Effect, Emit, Kit, Next, Reduce, RunInput, RunScreen,
    Surface, Timer,
};
use crate::core::failure::{Failure, SessionProblem};
use crate::core::i18n::Text;
use crate::core::native::media_failure;
use crate::core::sdk::{step_name, SdkEffect, SdkInput, SdkSession, SdkStage};

/// Begins SDK runs.
#[derive(Debug)]
pub struct SdkKit;

/// The SDK run's kit, handed to the flow when its chunk is there.
pub static KIT: SdkKit = SdkKit;

impl Kit for SdkKit {
    fn chunk(&self) -> Chunk {
        Chunk::Sdk
    }

    fn begin(
        &self,
        start: Begin,
        cx: &Cx<'_>,
        fx: &mut Vec<Effect>,
    ) -> Result<Box<dyn Reduce>, Failure> {
        let Begin::Session { answer, now_ms, .. } = start else {
            return Err(Failure::SessionInvalid(SessionProblem::MalformedAnswer));
        };
        let session = SdkSession::from_answer(&answer, cx.config, now_ms)?;
        fx.push(Effect::Sdk {
            attempt: cx.attempt,
            effect: SdkEffect::CheckDevices,
        });
        Ok(Box::new(SdkRun {
            session,
            stage: SdkStage::Checking,
            step: None,
        }))
    }
}

/// An SDK capture under way.
pub struct SdkRun {
    session: SdkSession,
    stage: SdkStage,
    /// The step its latest phase stands for.
    step: Option<String>,
}

impl Reduce for SdkRun {
    fn surface(&self) -> Surface {
        Surface::Sdk
    }

    fn on(&mut self, input: RunInput, cx: &Cx<'_>, fx: &mut Vec<Effect>) -> Next {
        let attempt = cx.attempt;
        let sdk = |effect| Effect::Sdk { attempt, effect };
        let input = match input {
            RunInput::Sdk(input) => input,
            RunInput::Timer(Timer::Load) if self.stage == SdkStage::Loading => {
                return Next::Fail(Failure::SdkLoad)
            }
            _ => return Next::Same,
        };
        match (input, self.stage) {
            (SdkInput::DevicesReady, SdkStage::Checking) => {
                self.stage = SdkStage::Loading;
                fx.push(sdk(SdkEffect::Load {
                    url: self.session.sdk_url.to_string(),
                }));
                fx.push(Effect::StartTimer {
                    attempt,
                    timer: Timer::Load,
                    ms: cx.config.load_timeout_ms,
                });
                Next::Redraw
            }
            (SdkInput::DevicesFailed(error), SdkStage::Checking) => {
                Next::Fail(media_failure(&error).unwrap_or(Failure::DeviceUnsupported(None)))
            }
            (SdkInput::Loaded, SdkStage::Loading) => {
                self.stage = SdkStage::Running;
                fx.push(Effect::ClearTimer(Timer::Load));
                fx.push(sdk(SdkEffect::Run {
                    authorization: self.session.authorization.clone(),
                    id_type: self.session.id_type,
                    lang: cx.lang.tag(),
                }));
                Next::Redraw
            }
            (SdkInput::LoadFailed, SdkStage::Loading) => Next::Fail(Failure::SdkLoad),
            (SdkInput::Phase(name), SdkStage::Running) => {
                // A name that cannot be a step still shows someone is there.
                if let Some(step) = step_name(&name) {
                    self.step = Some(step.clone());
                    fx.push(Effect::Emit(Emit::SdkStep(step)));
                }
                Next::Alive
            }
            (SdkInput::Completed, SdkStage::Running) => {
                processing(&self.session.dossier_id, &self.session.process_id)
            }
            (SdkInput::Failed(reason), SdkStage::Running) => {
                Next::Fail(Failure::CaptureFailed(Some(reason)))
            }
            (SdkInput::PageHidden, _) => Next::Cancel,
            _ => Next::Same,
        }
    }

    fn stop(&mut self, cx: &Cx<'_>, fx: &mut Vec<Effect>) {
        fx.push(Effect::Sdk {
            attempt: cx.attempt,
            effect: SdkEffect::Stop,
        });
    }

    fn screen(&self, cx: &Cx<'_>) -> RunScreen {
        let running = self.stage == SdkStage::Running;
        let title = match self.step.as_deref() {
            _ if !running => Text::LoadingTitle,
            Some("front") => Text::StepFront,
            Some("back") => Text::StepBack,
            Some("selfie") => Text::StepSelfie,
            _ => Text::CapturingTitle,
        };
        RunScreen {
            title,
            message: String::new(),
            actions: vec![(Action::Cancel, cx.texts.get(Text::Cancel).to_string())],
            busy: !running,
            native: None,
            handoff: None,
            step: self.step.clone().filter(|_| running),
        }
    }
}
