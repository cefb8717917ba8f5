//! The SDK run (`mode="sdk"`): checks camera and microphone, loads VideoID's
//! web SDK and follows its phases to the end. It arrives with [`Chunk::Sdk`].
//!
//! The attended SDK (a live interview) adds a wait and a call before the
//! phases: step `queue` (its position announced at most every ten seconds,
//! [`QueueNews`]), then `interview` once an agent picks up. `agent-timeout`
//! bounds the wait from the SDK's start, and again from a new queue after a
//! dropped call. Waiting and talking count as activity: the inactivity timer
//! is off meanwhile ([`Reduce::engaged`]); it runs again while a dropped call
//! reconnects.

use super::{
    processing, Action, Begin, Chunk, Cx, Effect, Emit, Kit, Next, Reduce, RunInput, RunScreen,
    Surface, Timer,
};
use crate::core::failure::{AgentAbsence, Failure, SessionProblem};
use crate::core::i18n::Text;
use crate::core::native::media_failure;
use crate::core::sdk::{
    step_name, Announce, QueueNews, SdkEffect, SdkFlow, SdkInput, SdkSession, SdkStage,
    ATTENDED_STEPS,
};

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
        let agent = (session.flow == SdkFlow::Attended).then(Attended::default);
        Ok(Box::new(SdkRun {
            session,
            stage: SdkStage::Checking,
            step: None,
            agent,
        }))
    }
}

/// An SDK capture under way.
pub struct SdkRun {
    session: SdkSession,
    stage: SdkStage,
    /// The step its latest phase stands for (attended: also `queue`, `interview`).
    step: Option<String>,
    /// The attended SDK's wait and call; `None` for the unattended SDK.
    agent: Option<Attended>,
}

/// Where the attended SDK's call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Call {
    /// Started; not queued yet.
    #[default]
    Starting,
    /// In the queue.
    Queued,
    /// An agent picked up.
    Connected,
    /// The call dropped; the SDK tries once to reconnect.
    Dropped,
}

/// The attended SDK's wait and call.
#[derive(Debug, Default)]
struct Attended {
    call: Call,
    /// The position `videoid-agent` said last.
    position: Option<u32>,
    /// The position the live region says.
    news: QueueNews,
}

impl SdkRun {
    /// Sets the step, telling the host when it changes.
    fn enter_step(&mut self, step: &str, fx: &mut Vec<Effect>) {
        if self.step.as_deref() != Some(step) {
            self.step = Some(step.to_string());
            fx.push(Effect::Emit(Emit::SdkStep(step.to_string())));
        }
    }

    /// The attended SDK's own inputs and timers.
    fn attended(&mut self, input: RunInput, cx: &Cx<'_>, fx: &mut Vec<Effect>) -> Next {
        let attempt = cx.attempt;
        let agent_timer = Effect::StartTimer {
            attempt,
            timer: Timer::Agent,
            ms: cx.config.agent_timeout_ms,
        };
        let Some(agent) = self.agent.as_mut() else {
            return Next::Same;
        };
        match input {
            RunInput::Timer(Timer::Agent) if agent.call != Call::Connected => {
                Next::Fail(Failure::AgentUnavailable(AgentAbsence::Timeout))
            }
            RunInput::Timer(Timer::Announce) => {
                if agent.news.due() {
                    Next::Redraw
                } else {
                    Next::Same
                }
            }
            RunInput::Sdk(SdkInput::Queued { position, now_ms }) => {
                // A new wait after a call: `agent-timeout` starts again.
                if matches!(agent.call, Call::Connected | Call::Dropped) {
                    fx.push(agent_timer);
                }
                if agent.call != Call::Queued || agent.position != position {
                    fx.push(Effect::Emit(Emit::Agent("queued", position)));
                }
                agent.call = Call::Queued;
                agent.position = position;
                if let Some(p) = position {
                    if let Announce::Later(ms) = agent.news.position(p, now_ms) {
                        fx.push(Effect::StartTimer {
                            attempt,
                            timer: Timer::Announce,
                            ms,
                        });
                    }
                }
                self.enter_step(ATTENDED_STEPS[0], fx);
                Next::Alive
            }
            RunInput::Sdk(SdkInput::AgentConnected) => {
                agent.call = Call::Connected;
                agent.news = QueueNews::default();
                fx.push(Effect::ClearTimer(Timer::Agent));
                fx.push(Effect::ClearTimer(Timer::Announce));
                fx.push(Effect::Emit(Emit::Agent("connected", None)));
                self.enter_step(ATTENDED_STEPS[1], fx);
                Next::Alive
            }
            // The call dropped, or the queue's connection did: the SDK rejoins once.
            RunInput::Sdk(SdkInput::AgentDisconnected)
                if matches!(agent.call, Call::Queued | Call::Connected) =>
            {
                agent.call = Call::Dropped;
                fx.push(Effect::Emit(Emit::Agent("disconnected", None)));
                // Not engaged while it reconnects: the inactivity timer runs again.
                Next::Alive
            }
            _ => Next::Same,
        }
    }
}

impl Reduce for SdkRun {
    fn surface(&self) -> Surface {
        Surface::Sdk
    }

    fn on(&mut self, input: RunInput, cx: &Cx<'_>, fx: &mut Vec<Effect>) -> Next {
        let attempt = cx.attempt;
        let sdk = |effect| Effect::Sdk { attempt, effect };
        let attended_input = matches!(
            input,
            RunInput::Timer(Timer::Agent | Timer::Announce)
                | RunInput::Sdk(
                    SdkInput::Queued { .. }
                        | SdkInput::AgentConnected
                        | SdkInput::AgentDisconnected
                )
        );
        if attended_input {
            return match self.stage {
                SdkStage::Running => self.attended(input, cx, fx),
                _ => Next::Same,
            };
        }
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
                    flow: self.session.flow,
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
                    flow: self.session.flow,
                    authorization: self.session.authorization.clone(),
                    id_type: self.session.id_type,
                    lang: cx.lang.tag(),
                }));
                if self.agent.is_none() {
                    return Next::Redraw;
                }
                // The wait for an agent starts with the SDK; it is activity.
                fx.push(Effect::StartTimer {
                    attempt,
                    timer: Timer::Agent,
                    ms: cx.config.agent_timeout_ms,
                });
                Next::Alive
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
            (SdkInput::AgentFailed(failure), SdkStage::Running) => Next::Fail(failure),
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

    fn engaged(&self) -> bool {
        self.stage == SdkStage::Running
            && self.agent.as_ref().is_some_and(|a| a.call != Call::Dropped)
    }

    fn screen(&self, cx: &Cx<'_>) -> RunScreen {
        let running = self.stage == SdkStage::Running;
        let mut title = match self.step.as_deref() {
            _ if !running => Text::LoadingTitle,
            Some("front") => Text::StepFront,
            Some("back") => Text::StepBack,
            Some("selfie") => Text::StepSelfie,
            _ => Text::CapturingTitle,
        };
        let mut message = String::new();
        if let (Some(agent), true) = (&self.agent, running) {
            let t = |key| cx.texts.get(key);
            let (heading, text) = match (agent.call, agent.news.said()) {
                (Call::Starting, _) | (Call::Queued, None) => {
                    (Text::QueueTitle, t(Text::QueueWaiting).to_string())
                }
                (Call::Queued, Some(p)) => (
                    Text::QueueTitle,
                    crate::core::fill(t(Text::QueuePosition), "{position}", &p.to_string()),
                ),
                (Call::Connected, _) => {
                    (Text::InterviewTitle, t(Text::InterviewMessage).to_string())
                }
                (Call::Dropped, _) => {
                    (Text::InterviewTitle, t(Text::AgentReconnecting).to_string())
                }
            };
            // The agent's prompts keep their step's heading.
            if title == Text::CapturingTitle || agent.call != Call::Connected {
                title = heading;
            }
            message = text;
        }
        RunScreen {
            title,
            message,
            actions: vec![(Action::Cancel, cx.texts.get(Text::Cancel).to_string())],
            busy: !running,
            native: None,
            handoff: None,
            step: self.step.clone().filter(|_| running),
        }
    }
}
