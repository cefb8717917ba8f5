//! The native run: the component's own camera capture (the steps of
//! [`NativeCapture`]), begun from a native session answer. It arrives with
//! [`Chunk::Native`], together with the frame-quality checks.

use super::{
    processing, Action, Begin, Chunk, Cx, Effect, Emit, Kit, NativeScreen, Next, Reduce, RunInput,
    RunScreen, Surface,
};
use crate::core::config::Fallback;
use crate::core::contract::{CaptureSession, Id, NativeCaptureSession};
use crate::core::failure::{Failure, SessionProblem};
use crate::core::i18n::Text;
use crate::core::native::{
    NativeCapture, NativeEffect, NativeInput, Outcome, Phase, Step, Zone, ZoneHint,
};
use crate::core::quality::Verdict;

/// Begins native runs.
#[derive(Debug)]
pub struct NativeKit;

/// The native run's kit, handed to the flow when its chunk is there.
pub static KIT: NativeKit = NativeKit;

impl Kit for NativeKit {
    fn chunk(&self) -> Chunk {
        Chunk::Native
    }

    fn begin(
        &self,
        start: Begin,
        cx: &Cx<'_>,
        fx: &mut Vec<Effect>,
    ) -> Result<Box<dyn Reduce>, Failure> {
        let Begin::Session {
            answer,
            now_ms,
            seed,
        } = start
        else {
            return Err(Failure::SessionInvalid(SessionProblem::MalformedAnswer));
        };
        let session = NativeCaptureSession::from_answer(&answer, cx.config, now_ms)?;
        let embed_allowed = session.embed.is_some() && cx.config.fallback == Fallback::Embed;
        let (capture, effects) =
            NativeCapture::new(session.native, embed_allowed, seed, cx.config.quality);
        effect_all(effects, cx, fx);
        Ok(Box::new(NativeRun {
            capture,
            dossier_id: session.dossier_id,
            process_id: session.process_id,
            embed: session.embed,
        }))
    }
}

/// A native capture under way.
pub struct NativeRun {
    capture: NativeCapture,
    dossier_id: Id,
    process_id: Id,
    /// The hosted page it may hand over to (`fallback="embed"`).
    embed: Option<CaptureSession>,
}

fn effect_all(effects: Vec<NativeEffect>, cx: &Cx<'_>, fx: &mut Vec<Effect>) {
    let (attempt, expose) = (cx.attempt, cx.config.expose_mrz);
    fx.extend(effects.into_iter().map(|effect| match effect {
        NativeEffect::Captured {
            step,
            auto,
            quality,
            zone,
        } => Effect::Emit(Emit::Step {
            step: step.as_str(),
            auto,
            quality,
            document: zone.map(|z| document_json(&z, expose)),
        }),
        effect => Effect::Native { attempt, effect },
    }));
}

/// What `videoid-step` tells the host of the document reader's last answer:
/// whether a zone showed (`read`), read with every check digit (`valid`), and
/// said the document had expired (`expired`); the zone's fields (`mrz`) only
/// when the host opted in with `expose-mrz`.
pub fn document_json(zone: &Zone, expose: bool) -> String {
    let (read, valid, expired) = match zone {
        Zone::Absent => (false, false, false),
        Zone::Unreadable => (true, false, false),
        Zone::Valid(r) => (true, true, r.expired),
    };
    let mut json = format!(r#"{{"read":{read},"valid":{valid},"expired":{expired}"#);
    if let (Zone::Valid(r), true) = (zone, expose) {
        json.push_str(r#","mrz":"#);
        json.push_str(&r.fields);
    }
    json.push('}');
    json
}

impl Reduce for NativeRun {
    fn surface(&self) -> Surface {
        Surface::Native
    }

    fn on(&mut self, input: RunInput, cx: &Cx<'_>, fx: &mut Vec<Effect>) -> Next {
        let RunInput::Native(input) = input else {
            return Next::Same;
        };
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
        let frame = matches!(input, NativeInput::Frame(_) | NativeInput::Zone(_));
        let before = (
            self.capture.verdict(),
            self.capture.zone_hint(),
            self.capture.phase(),
        );
        let (effects, outcome) = self.capture.on(input);
        // Frames arrive ten times a second: redraw only when one changes what shows.
        let after = (
            self.capture.verdict(),
            self.capture.zone_hint(),
            self.capture.phase(),
        );
        let unchanged = frame && effects.is_empty() && after == before;
        effect_all(effects, cx, fx);
        match outcome {
            Outcome::Continue if unchanged => Next::Same,
            Outcome::Continue if alive => Next::Alive,
            Outcome::Continue => Next::Redraw,
            Outcome::Done => processing(&self.dossier_id, &self.process_id),
            Outcome::Fail(failure) => Next::Fail(failure),
            Outcome::Embed(failure) => Next::Hosted(failure),
        }
    }

    fn stop(&mut self, cx: &Cx<'_>, fx: &mut Vec<Effect>) {
        fx.push(Effect::Native {
            attempt: cx.attempt,
            effect: NativeEffect::StopCamera,
        });
    }

    fn hosted(&self) -> Option<CaptureSession> {
        self.embed.clone()
    }

    fn screen(&self, cx: &Cx<'_>) -> RunScreen {
        let t = |key| cx.texts.get(key).to_string();
        let capture = &self.capture;
        let mut actions = match capture.phase() {
            Phase::Live if capture.step() == Step::Video => {
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
        actions.push((Action::Cancel, t(Text::Cancel)));
        let busy = matches!(
            capture.phase(),
            Phase::Opening | Phase::Uploading | Phase::Finishing | Phase::Recording
        );
        let title = match capture.step() {
            Step::Front => Text::StepFront,
            Step::Back => Text::StepBack,
            Step::Selfie => Text::StepSelfie,
            Step::Video => Text::StepVideo,
        };
        // A failed still or recording says so, on screen and in the announcement.
        let message = if capture.missed() {
            t(Text::CaptureMissed)
        } else {
            String::new()
        };
        let native = self.native_screen(cx);
        RunScreen {
            title,
            message,
            actions,
            busy,
            step: Some(native.step.to_string()),
            native: Some(native),
            handoff: None,
        }
    }
}

impl NativeRun {
    fn native_screen(&self, cx: &Cx<'_>) -> NativeScreen {
        let native = &self.capture;
        let (step, phase) = (native.step(), native.phase());
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
        // A wrong side or an expired document before the picture's quality; a
        // zone that does not read yet after it.
        let zone = native.zone_hint().map(|h| match h {
            ZoneHint::TurnOver => Text::HintTurnOver,
            ZoneHint::Expired => Text::HintExpired,
            ZoneHint::Unreadable => Text::HintZoneUnreadable,
        });
        let urgent = zone.filter(|h| *h != Text::HintZoneUnreadable);
        let hint = match (phase, step) {
            _ if urgent.is_some() => urgent.unwrap_or(Text::HintOpening),
            _ if verdict.is_some() => verdict.unwrap_or(Text::HintOpening),
            _ if zone.is_some() => zone.unwrap_or(Text::HintOpening),
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
        let t = |key| cx.texts.get(key).to_string();
        NativeScreen {
            step: if uploading { "upload" } else { step.as_str() },
            phase,
            hint: t(hint),
            progress: native.progress(),
            progress_label: t(Text::Progress),
            choose_file: t(Text::ChooseFile),
            review_label: t(Text::HintReview),
            digits: (step == Step::Video).then(|| {
                native
                    .digits()
                    .iter()
                    .map(|d| char::from(b'0' + d))
                    .collect()
            }),
        }
    }
}
