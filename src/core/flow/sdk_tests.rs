use super::tests::{emitted, flow_with_kits};
use super::*;
use crate::core::contract::{ProcessAnswer, SessionAnswer};
use crate::core::failure::Detail;
use crate::core::native::{Device, MediaError};
use crate::core::sdk::{fail_reason, failed, SdkFlow, ANNOUNCE_GAP_MS};

const NOW: f64 = 1_790_000_000_000.0;
const SDK_URL: &str = "http://127.0.0.1:8081/provider/js/videoid.js";

/// The shared test config (`flow_tests.rs`) in sdk mode, `extra` set over it.
fn config_with(extra: &[(&str, &str)]) -> Result<Config, Failure> {
    let mut attributes = vec![("mode", "sdk")];
    attributes.extend_from_slice(extra);
    super::tests::config_with(&attributes)
}

fn sdk_answer(sdk_url: &str) -> Result<SessionAnswer, Failure> {
    Ok(serde_json::from_str(&format!(
        r#"{{"dossierId":"d1","processId":"p1","authorization":"token-1","sdkUrl":"{sdk_url}","idType":62}}"#
    ))
    .unwrap())
}

fn failure(fx: &[Effect]) -> Option<FailureReport> {
    emitted(fx).into_iter().find_map(|e| match e {
        Emit::Failed(r) => Some(r),
        _ => None,
    })
}

fn sdk_effects(fx: &[Effect]) -> Vec<SdkEffect> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Sdk { attempt: 1, effect } => Some(effect.clone()),
            _ => None,
        })
        .collect()
}

fn stops_sdk(fx: &[Effect]) -> bool {
    sdk_effects(fx).contains(&SdkEffect::Stop)
}

fn sdk(flow: &mut Flow, input: SdkInput) -> Vec<Effect> {
    flow.step(Input::Sdk { attempt: 1, input })
}

/// A flow whose session answer came, checking devices.
fn checking(extra: &[(&str, &str)]) -> (Flow, Vec<Effect>) {
    let mut flow = flow_with_kits(Lang::En);
    let fx = flow.step(Input::Start(config_with(extra)));
    assert!(fx.contains(&Effect::FetchSession {
        attempt: 1,
        endpoint: "/api/videoid/session".into(),
        mode: "sdk",
        lang: "en"
    }));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: sdk_answer(SDK_URL),
        now_ms: NOW,
        seed: 1,
    });
    (flow, fx)
}

/// A flow whose SDK runs.
fn running() -> Flow {
    let (mut flow, _) = checking(&[]);
    sdk(&mut flow, SdkInput::DevicesReady);
    let fx = sdk(&mut flow, SdkInput::Loaded);
    assert!(!flow.screen().busy, "the SDK runs");
    assert!(fx.contains(&Effect::ClearTimer(Timer::Load)));
    flow
}

#[test]
fn devices_first_then_the_script_then_the_sdk() {
    let (mut flow, fx) = checking(&[]);
    assert_eq!(flow.state(), State::Capturing);
    assert_eq!(flow.surface(), Surface::Sdk);
    assert!(flow.screen().busy, "devices are checked first");
    assert_eq!(sdk_effects(&fx), vec![SdkEffect::CheckDevices]);
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::StartTimer {
            timer: Timer::Inactivity,
            ms: 5000,
            ..
        }
    )));
    let screen = flow.screen();
    assert!(screen.busy);
    assert_eq!(
        screen.actions.iter().map(|a| a.0).collect::<Vec<_>>(),
        vec![Action::Cancel]
    );

    // Nothing from the SDK counts before it runs.
    assert!(sdk(&mut flow, SdkInput::Loaded).is_empty());
    assert!(sdk(&mut flow, SdkInput::Completed).is_empty());

    let fx = sdk(&mut flow, SdkInput::DevicesReady);
    assert_eq!(
        sdk_effects(&fx),
        vec![SdkEffect::Load {
            url: SDK_URL.into(),
            flow: SdkFlow::Unattended
        }],
        "the effect carries the session's script"
    );
    assert!(fx.contains(&Effect::StartTimer {
        attempt: 1,
        timer: Timer::Load,
        ms: 2000
    }));
    let fx = sdk(&mut flow, SdkInput::Loaded);
    assert_eq!(
        sdk_effects(&fx),
        vec![SdkEffect::Run {
            flow: SdkFlow::Unattended,
            authorization: "token-1".into(),
            id_type: 62,
            lang: "en"
        }],
        "the effect carries the session's authorization and document type"
    );
    assert!(!flow.screen().busy);
    // A late load timer of this attempt does nothing once the script is there.
    assert!(flow
        .step(Input::TimerFired {
            attempt: 1,
            timer: Timer::Load
        })
        .is_empty());
}

#[test]
fn phases_become_steps_and_restart_the_inactivity_timer() {
    let mut flow = running();
    for (phase, step, title) in [
        ("FRONT", "front", "StepFront"),
        ("BACK", "back", "StepBack"),
        ("FACE", "selfie", "StepSelfie"),
        ("LIVENESS", "liveness", "CapturingTitle"),
    ] {
        let fx = sdk(&mut flow, SdkInput::Phase(phase.into()));
        assert_eq!(emitted(&fx), vec![Emit::SdkStep(step.into())], "{phase}");
        assert!(fx.iter().any(|e| matches!(
            e,
            Effect::StartTimer {
                timer: Timer::Inactivity,
                ..
            }
        )));
        assert_eq!(flow.screen().step.as_deref(), Some(step));
        let expected = match title {
            "StepFront" => Text::StepFront,
            "StepBack" => Text::StepBack,
            "StepSelfie" => Text::StepSelfie,
            _ => Text::CapturingTitle,
        };
        assert_eq!(flow.screen().title, flow.texts().get(expected));
    }
    // A name that is no step emits nothing, keeps the last step, but shows life.
    let fx = sdk(&mut flow, SdkInput::Phase("<b>".into()));
    assert!(emitted(&fx).is_empty());
    assert_eq!(flow.screen().step.as_deref(), Some("liveness"));
}

#[test]
fn completed_reports_processing_then_polls_the_result() {
    let mut flow = running();
    sdk(&mut flow, SdkInput::Phase("FRONT".into()));
    let fx = sdk(&mut flow, SdkInput::Completed);
    assert!(stops_sdk(&fx));
    let done = ReturnParams::new("d1", "p1", "processing").unwrap();
    assert!(emitted(&fx).contains(&Emit::Complete(done.clone())));
    assert_eq!(flow.state(), State::Completing);
    assert_eq!(flow.screen().step.as_deref(), None);
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::FetchResult { dossier_id, process_id, .. } if dossier_id == "d1" && process_id == "p1"
    )));
    let view: ProcessView = serde_json::from_str::<ProcessAnswer>(r#"{"status":"accepted"}"#)
        .unwrap()
        .into();
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: Ok(view),
    });
    assert!(emitted(&fx).contains(&Emit::Result(done, "accepted".into(), true)));
    assert_eq!(flow.state(), State::Complete);
    // The SDK has nothing more to say.
    assert!(sdk(&mut flow, SdkInput::Completed).is_empty());
}

#[test]
fn the_sdks_failure_is_capture_failed_with_its_error() {
    let mut flow = running();
    let error = fail_reason("AuthorizationError", "authorization-expired", "expired");
    let fx = sdk(&mut flow, SdkInput::Failed(error.clone()));
    assert!(stops_sdk(&fx));
    let report = failure(&fx).unwrap();
    assert_eq!(report.code, "Capture.Failed");
    assert_eq!(report.detail, crate::core::failure::Detail::Provider(error));
    assert!(report.recoverable);
    assert_eq!(flow.state(), State::Failed);
    assert!(flow
        .screen()
        .actions
        .iter()
        .any(|(a, _)| *a == Action::Retry));
}

#[test]
fn inactivity_turns_the_sdk_off_and_aborts() {
    let mut flow = running();
    sdk(&mut flow, SdkInput::Phase("FRONT".into()));
    let fx = flow.step(Input::TimerFired {
        attempt: 1,
        timer: Timer::Inactivity,
    });
    assert!(stops_sdk(&fx));
    assert_eq!(failure(&fx).unwrap().code, "InactiveUser.Aborted");
    assert_eq!(flow.state(), State::Failed);
}

#[test]
fn device_failures_are_typed_as_in_native_mode_and_load_nothing() {
    let cases = [
        (
            "NotAllowedError",
            Device::Camera,
            "",
            "Permission.CameraDenied",
        ),
        (
            "NotAllowedError",
            Device::Microphone,
            "",
            "Permission.MicrophoneDenied",
        ),
        (
            "NotAllowedError",
            Device::Camera,
            "permissions policy",
            "Permission.BlockedByPolicy",
        ),
        ("NotFoundError", Device::Microphone, "", "Device.NotFound"),
        ("NotReadableError", Device::Camera, "", "Device.InUse"),
        (
            "OverconstrainedError",
            Device::Camera,
            "",
            "Device.Unsupported",
        ),
        (
            "InsecureContext",
            Device::Camera,
            "",
            "Browser.InsecureContext",
        ),
    ];
    for (name, device, message, code) in cases {
        let (mut flow, _) = checking(&[]);
        let fx = sdk(
            &mut flow,
            SdkInput::DevicesFailed(MediaError {
                name: name.into(),
                message: message.into(),
                device,
            }),
        );
        assert_eq!(failure(&fx).map(|r| r.code), Some(code), "{name}");
        assert!(
            !sdk_effects(&fx)
                .iter()
                .any(|e| matches!(e, SdkEffect::Load { .. })),
            "no script after a denial"
        );
        assert!(stops_sdk(&fx));
    }
}

#[test]
fn a_script_that_does_not_load_is_a_load_timeout_with_reason_sdk_load() {
    for late in [false, true] {
        let (mut flow, _) = checking(&[]);
        sdk(&mut flow, SdkInput::DevicesReady);
        let fx = if late {
            flow.step(Input::TimerFired {
                attempt: 1,
                timer: Timer::Load,
            })
        } else {
            sdk(&mut flow, SdkInput::LoadFailed)
        };
        let report = failure(&fx).unwrap();
        assert_eq!(report.code, "Capture.LoadTimeout");
        assert_eq!(
            report.detail,
            crate::core::failure::Detail::Reason { reason: "sdk-load" }
        );
        assert!(stops_sdk(&fx));
        assert!(flow
            .screen()
            .actions
            .iter()
            .all(|(a, _)| *a != Action::Fallback));
    }
}

#[test]
fn a_foreign_script_origin_is_refused_before_anything_runs() {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[])));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: sdk_answer("https://cdn.example/js/videoid.js"),
        now_ms: NOW,
        seed: 1,
    });
    let report = failure(&fx).unwrap();
    assert_eq!(report.code, "Session.Invalid");
    assert_eq!(
        report.detail,
        crate::core::failure::Detail::Reason {
            reason: "origin-not-allowed"
        }
    );
    assert!(sdk_effects(&fx).is_empty(), "no device check, no script");
}

#[test]
fn cancel_pagehide_and_destroy_turn_the_sdk_off() {
    let mut flow = running();
    let fx = flow.step(Input::Cancel);
    assert!(stops_sdk(&fx));
    assert!(emitted(&fx).contains(&Emit::Cancel));
    assert_eq!(flow.state(), State::Cancelled);

    let (mut flow, _) = checking(&[]);
    let fx = sdk(&mut flow, SdkInput::PageHidden);
    assert!(stops_sdk(&fx));
    assert_eq!(flow.state(), State::Cancelled);

    let mut flow = running();
    let fx = flow.step(Input::Destroy);
    assert!(stops_sdk(&fx));
    assert!(emitted(&fx).is_empty());
}

#[test]
fn inputs_of_an_earlier_attempt_are_dropped() {
    let mut flow = running();
    flow.step(Input::Cancel);
    flow.step(Input::Start(config_with(&[])));
    assert_eq!(flow.attempt(), 2);
    // The first attempt's SDK still talks: nothing happens.
    assert!(sdk(&mut flow, SdkInput::Completed).is_empty());
    assert!(sdk(&mut flow, SdkInput::Phase("FRONT".into())).is_empty());
}

#[test]
fn the_session_request_says_sdk_and_a_plain_hosted_answer_is_malformed() {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[])));
    let hosted: SessionAnswer = serde_json::from_str(
        r#"{"url":"http://127.0.0.1:8081/capture/#/a","dossierId":"d1","processId":"p1"}"#,
    )
    .unwrap();
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: Ok(hosted),
        now_ms: NOW,
        seed: 1,
    });
    assert_eq!(failure(&fx).unwrap().code, "Session.Invalid");
    assert!(!fx.iter().any(|e| matches!(e, Effect::ShowFrame { .. })));
}

// ---- The attended SDK: a live interview with an agent. ----

const ATTENDED_URL: &str = "http://127.0.0.1:8081/provider/js/videoidattended.js";

fn attended_answer() -> Result<SessionAnswer, Failure> {
    Ok(serde_json::from_str(&format!(
        r#"{{"dossierId":"d1","processId":"p1","authorization":"token-1","sdkUrl":"{ATTENDED_URL}","idType":62,"flow":"attended"}}"#
    ))
    .unwrap())
}

/// An attended flow whose SDK was started (`extra` attributes over sdk mode),
/// with the effects of the start.
fn attended_with(extra: &[(&str, &str)]) -> (Flow, Vec<Effect>) {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(extra)));
    flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: attended_answer(),
        now_ms: NOW,
        seed: 1,
    });
    let fx = sdk(&mut flow, SdkInput::DevicesReady);
    assert_eq!(
        sdk_effects(&fx),
        vec![SdkEffect::Load {
            url: ATTENDED_URL.into(),
            flow: SdkFlow::Attended
        }],
        "the load checks for the attended SDK's global"
    );
    let fx = sdk(&mut flow, SdkInput::Loaded);
    (flow, fx)
}

fn attended() -> Flow {
    attended_with(&[("agent-timeout", "60")]).0
}

fn queued(flow: &mut Flow, position: u32, at_ms: f64) -> Vec<Effect> {
    sdk(
        flow,
        SdkInput::Queued {
            position: Some(position),
            now_ms: NOW + at_ms,
        },
    )
}

fn timer(flow: &mut Flow, timer: Timer) -> Vec<Effect> {
    flow.step(Input::TimerFired { attempt: 1, timer })
}

fn starts(fx: &[Effect], which: Timer) -> Option<u32> {
    fx.iter().find_map(|e| match e {
        Effect::StartTimer { timer, ms, .. } if *timer == which => Some(*ms),
        _ => None,
    })
}

fn agents(fx: &[Effect]) -> Vec<(&'static str, Option<u32>)> {
    emitted(fx)
        .into_iter()
        .filter_map(|e| match e {
            Emit::Agent(status, position) => Some((status, position)),
            _ => None,
        })
        .collect()
}

fn steps(fx: &[Effect]) -> Vec<String> {
    emitted(fx)
        .into_iter()
        .filter_map(|e| match e {
            Emit::SdkStep(step) => Some(step),
            _ => None,
        })
        .collect()
}

#[test]
fn the_attended_sdk_runs_with_its_own_script_and_the_agent_timer() {
    let (flow, fx) = attended_with(&[]);
    assert_eq!(
        sdk_effects(&fx),
        vec![SdkEffect::Run {
            flow: SdkFlow::Attended,
            authorization: "token-1".into(),
            id_type: 62,
            lang: "en"
        }]
    );
    assert_eq!(
        starts(&fx, Timer::Agent),
        Some(300_000),
        "agent-timeout's default"
    );
    assert!(
        fx.contains(&Effect::ClearTimer(Timer::Inactivity)),
        "waiting is activity"
    );
    assert_eq!(starts(&fx, Timer::Inactivity), None);
    let screen = flow.screen();
    assert_eq!(screen.title, flow.texts().get(Text::QueueTitle));
    assert_eq!(screen.message, flow.texts().get(Text::QueueWaiting));
    assert!(!screen.busy);
    // The unattended SDK has no agent timer.
    let mut plain = running();
    let fx = sdk(&mut plain, SdkInput::Phase("FRONT".into()));
    assert_eq!(starts(&fx, Timer::Agent), None);
    assert!(plain
        .step(Input::TimerFired {
            attempt: 1,
            timer: Timer::Agent
        })
        .is_empty());
}

#[test]
fn queue_then_interview_then_the_agents_phases() {
    let mut flow = attended();
    let fx = queued(&mut flow, 3, 0.0);
    assert_eq!(steps(&fx), vec!["queue"]);
    assert_eq!(agents(&fx), vec![("queued", Some(3))]);
    assert_eq!(flow.screen().step.as_deref(), Some("queue"));
    assert_eq!(flow.state(), State::Capturing);
    // The same position again says nothing; a new one does (no new step).
    assert!(agents(&queued(&mut flow, 3, 1000.0)).is_empty());
    let fx = queued(&mut flow, 2, 2000.0);
    assert_eq!(agents(&fx), vec![("queued", Some(2))]);
    assert!(steps(&fx).is_empty());
    // An unreadable position still says the user is queued.
    let fx = sdk(
        &mut flow,
        SdkInput::Queued {
            position: None,
            now_ms: NOW + 3000.0,
        },
    );
    assert_eq!(agents(&fx), vec![("queued", None)]);

    let fx = sdk(&mut flow, SdkInput::AgentConnected);
    assert_eq!(steps(&fx), vec!["interview"]);
    assert_eq!(agents(&fx), vec![("connected", None)]);
    assert!(fx.contains(&Effect::ClearTimer(Timer::Agent)));
    assert!(fx.contains(&Effect::ClearTimer(Timer::Announce)));
    let screen = flow.screen();
    assert_eq!(screen.step.as_deref(), Some("interview"));
    assert_eq!(screen.title, flow.texts().get(Text::InterviewTitle));
    assert_eq!(screen.message, flow.texts().get(Text::InterviewMessage));
    // The agent timer of before the pick-up does nothing now.
    assert!(failure(&timer(&mut flow, Timer::Agent)).is_none());
    assert_eq!(flow.state(), State::Capturing);

    for (phase, step, title) in [
        ("FRONT", "front", Text::StepFront),
        ("BACK", "back", Text::StepBack),
        ("FACE", "selfie", Text::StepSelfie),
    ] {
        let fx = sdk(&mut flow, SdkInput::Phase(phase.into()));
        assert_eq!(steps(&fx), vec![step]);
        assert_eq!(flow.screen().step.as_deref(), Some(step));
        assert_eq!(flow.screen().title, flow.texts().get(title));
        assert_eq!(starts(&fx, Timer::Inactivity), None, "the call is activity");
    }
    // The agent registered the call: the result flow as in unattended.
    let fx = sdk(&mut flow, SdkInput::Completed);
    assert!(stops_sdk(&fx));
    let done = ReturnParams::new("d1", "p1", "processing").unwrap();
    assert!(emitted(&fx).contains(&Emit::Complete(done.clone())));
    assert!(fx.contains(&Effect::ClearTimer(Timer::Agent)));
    assert!(fx.contains(&Effect::ClearTimer(Timer::Announce)));
    assert_eq!(flow.state(), State::Completing);
    // The agent's rejection is a result, not a failure.
    let view: ProcessView = serde_json::from_str::<ProcessAnswer>(r#"{"status":"rejected"}"#)
        .unwrap()
        .into();
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: Ok(view),
    });
    assert!(emitted(&fx).contains(&Emit::Result(done, "rejected".into(), true)));
    assert!(failure(&fx).is_none());
    assert_eq!(flow.state(), State::Complete);
}

#[test]
fn no_agent_within_agent_timeout_stops_the_sdk_with_agent_unavailable_timeout() {
    let (mut flow, fx) = attended_with(&[("agent-timeout", "5")]);
    assert_eq!(starts(&fx, Timer::Agent), Some(5000));
    queued(&mut flow, 1, 0.0);
    let fx = timer(&mut flow, Timer::Agent);
    assert!(stops_sdk(&fx), "turnOff and destroy leave the queue");
    let report = failure(&fx).unwrap();
    assert_eq!(report.code, "Agent.Unavailable");
    assert!(report.recoverable);
    assert_eq!(
        report.detail,
        Detail::Agent {
            reason: "timeout",
            opens_at: None
        }
    );
    assert_eq!(report.message, flow.texts().get(Text::FailAgentUnavailable));
    assert_eq!(flow.state(), State::Failed);
    assert!(flow
        .screen()
        .actions
        .iter()
        .any(|(a, _)| *a == Action::Retry));
    // Before any queue, too: the timer counts from the SDK's start.
    let mut flow = attended();
    let fx = timer(&mut flow, Timer::Agent);
    assert_eq!(failure(&fx).unwrap().code, "Agent.Unavailable");
}

#[test]
fn a_dropped_call_reconnects_or_fails_with_agent_disconnected() {
    let mut flow = attended();
    queued(&mut flow, 1, 0.0);
    sdk(&mut flow, SdkInput::AgentConnected);
    sdk(&mut flow, SdkInput::Phase("FRONT".into()));
    // Dropped: the host hears it, the screen says so, and the inactivity
    // timer runs again as the backstop while the SDK reconnects.
    let fx = sdk(&mut flow, SdkInput::AgentDisconnected);
    assert_eq!(agents(&fx), vec![("disconnected", None)]);
    assert_eq!(starts(&fx, Timer::Inactivity), Some(5000));
    assert_eq!(
        flow.screen().message,
        flow.texts().get(Text::AgentReconnecting)
    );
    // A second `agentDisconnected` says nothing new.
    assert!(agents(&sdk(&mut flow, SdkInput::AgentDisconnected)).is_empty());
    // Back in the queue after the drop: the agent timer starts again, the step is queue.
    let fx = queued(&mut flow, 2, 20_000.0);
    assert_eq!(starts(&fx, Timer::Agent), Some(60_000));
    assert_eq!(steps(&fx), vec!["queue"]);
    assert!(fx.contains(&Effect::ClearTimer(Timer::Inactivity)));
    let fx = sdk(&mut flow, SdkInput::AgentConnected);
    assert_eq!(steps(&fx), vec!["interview"]);
    // Dropped again, and the SDK gives up.
    sdk(&mut flow, SdkInput::AgentDisconnected);
    let fx = sdk(
        &mut flow,
        failed("AgentDisconnected", "dropped", "gone", ""),
    );
    assert!(stops_sdk(&fx));
    let report = failure(&fx).unwrap();
    assert_eq!(report.code, "Agent.Disconnected");
    assert!(report.recoverable);
    assert_eq!(report.detail, Detail::None);
    assert_eq!(
        report.message,
        flow.texts().get(Text::FailAgentDisconnected)
    );
}

#[test]
fn a_connection_lost_in_the_queue_is_disconnected_and_the_agent_timer_keeps_running() {
    let mut flow = attended();
    // Before the queue, nothing to say.
    assert!(agents(&sdk(&mut flow, SdkInput::AgentDisconnected)).is_empty());
    queued(&mut flow, 2, 0.0);
    let fx = sdk(&mut flow, SdkInput::AgentDisconnected);
    assert_eq!(agents(&fx), vec![("disconnected", None)]);
    assert_eq!(starts(&fx, Timer::Agent), None, "the wait goes on counting");
    let fx = timer(&mut flow, Timer::Agent);
    assert_eq!(failure(&fx).unwrap().code, "Agent.Unavailable");
}

#[test]
fn a_closed_service_is_agent_unavailable_closed_with_opens_at() {
    for (opens, expected) in [
        (
            "2026-12-08T09:00:00+01:00",
            Some("2026-12-08T09:00:00+01:00"),
        ),
        ("", None),
        ("tomorrow <b>", None),
    ] {
        let mut flow = attended();
        let fx = sdk(
            &mut flow,
            failed("AgentUnavailable", "closed", "offline", opens),
        );
        assert!(stops_sdk(&fx));
        let report = failure(&fx).unwrap();
        assert_eq!(report.code, "Agent.Unavailable");
        assert_eq!(
            report.detail,
            Detail::Agent {
                reason: "closed",
                opens_at: expected.map(String::from)
            },
            "{opens}"
        );
    }
    // Any other error of the attended SDK is a Capture.Failed, as in unattended.
    let mut flow = attended();
    let fx = sdk(&mut flow, failed("NotAllowedError", "camera", "denied", ""));
    assert_eq!(failure(&fx).unwrap().code, "Capture.Failed");
}

#[test]
fn waiting_and_the_call_suspend_the_inactivity_timer() {
    let mut flow = attended();
    queued(&mut flow, 4, 0.0);
    // A sign of life from the page while queued does not start it again.
    let fx = flow.step(Input::Activity { attempt: 1 });
    assert_eq!(starts(&fx, Timer::Inactivity), None);
    assert!(fx.contains(&Effect::ClearTimer(Timer::Inactivity)));
    // A late inactivity timer (set before the queue) ends nothing.
    let fx = timer(&mut flow, Timer::Inactivity);
    assert!(failure(&fx).is_none());
    assert_eq!(flow.state(), State::Capturing);
    sdk(&mut flow, SdkInput::AgentConnected);
    let fx = timer(&mut flow, Timer::Inactivity);
    assert!(failure(&fx).is_none(), "on the call");
    // Before the SDK runs (devices, script), inactivity counts as in unattended.
    let (mut flow, fx) = {
        let mut flow = flow_with_kits(Lang::En);
        flow.step(Input::Start(config_with(&[])));
        let fx = flow.step(Input::SessionLoaded {
            attempt: 1,
            answer: attended_answer(),
            now_ms: NOW,
            seed: 1,
        });
        (flow, fx)
    };
    assert_eq!(starts(&fx, Timer::Inactivity), Some(5000));
    let fx = timer(&mut flow, Timer::Inactivity);
    assert_eq!(failure(&fx).unwrap().code, "InactiveUser.Aborted");
}

#[test]
fn the_queue_position_is_announced_when_it_changes_at_most_every_ten_seconds() {
    let mut flow = attended();
    let said = |flow: &Flow| flow.screen().message.clone();
    let position = |flow: &Flow, p: u32| {
        crate::core::fill(
            flow.texts().get(Text::QueuePosition),
            "{position}",
            &p.to_string(),
        )
    };
    // The first position at once.
    let fx = queued(&mut flow, 5, 0.0);
    assert_eq!(starts(&fx, Timer::Announce), None);
    assert_eq!(said(&flow), position(&flow, 5));
    assert_eq!(flow.screen().title, flow.texts().get(Text::QueueTitle));
    // 4 s later: not yet; the announcement waits for the rest of the gap.
    let fx = queued(&mut flow, 4, 4000.0);
    assert_eq!(starts(&fx, Timer::Announce), Some(ANNOUNCE_GAP_MS - 4000));
    assert_eq!(said(&flow), position(&flow, 5));
    // Another change meanwhile: the timer runs already, the latest is kept.
    let fx = queued(&mut flow, 3, 7000.0);
    assert_eq!(starts(&fx, Timer::Announce), None);
    let fx = timer(&mut flow, Timer::Announce);
    assert!(fx.contains(&Effect::Render));
    assert_eq!(said(&flow), position(&flow, 3));
    // After the timer's announcement (due at 10 s), the next change waits for
    // the rest of a gap from then.
    let fx = queued(&mut flow, 2, 10_500.0);
    assert_eq!(starts(&fx, Timer::Announce), Some(ANNOUNCE_GAP_MS - 500));
    assert_eq!(said(&flow), position(&flow, 3));
    // Back to the position said: the timer finds nothing new.
    assert!(agents(&queued(&mut flow, 3, 12_000.0)) == vec![("queued", Some(3))]);
    assert!(timer(&mut flow, Timer::Announce).is_empty());
    assert_eq!(said(&flow), position(&flow, 3));
    // A change long after the last announcement: at once.
    let fx = queued(&mut flow, 1, 40_000.0);
    assert_eq!(starts(&fx, Timer::Announce), None);
    assert_eq!(said(&flow), position(&flow, 1));
}

#[test]
fn attended_ends_turn_the_sdk_off_and_clear_its_timers() {
    for end in ["cancel", "pagehide", "destroy", "inactivity-before"] {
        let mut flow = attended();
        queued(&mut flow, 2, 0.0);
        let fx = match end {
            "cancel" => flow.step(Input::Cancel),
            "pagehide" => sdk(&mut flow, SdkInput::PageHidden),
            "destroy" => flow.step(Input::Destroy),
            _ => {
                sdk(&mut flow, SdkInput::AgentConnected);
                sdk(&mut flow, SdkInput::AgentDisconnected);
                timer(&mut flow, Timer::Inactivity)
            }
        };
        assert!(stops_sdk(&fx), "{end}");
        assert!(fx.contains(&Effect::ClearTimer(Timer::Agent)), "{end}");
        assert!(fx.contains(&Effect::ClearTimer(Timer::Announce)), "{end}");
    }
    // Inputs of the attended SDK from an earlier attempt are dropped.
    let mut flow = attended();
    flow.step(Input::Cancel);
    flow.step(Input::Start(config_with(&[])));
    assert!(sdk(&mut flow, SdkInput::AgentConnected).is_empty());
    assert!(queued(&mut flow, 1, 0.0).is_empty());
    // Nothing of the attended SDK counts before it runs.
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[])));
    flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: attended_answer(),
        now_ms: NOW,
        seed: 1,
    });
    assert!(sdk(&mut flow, SdkInput::AgentConnected).is_empty());
    assert!(timer(&mut flow, Timer::Agent).is_empty());
}

#[test]
fn a_script_that_does_not_match_its_flow_is_refused() {
    for (url, flow, reason) in [
        (SDK_URL, "attended", "bad-url"),
        (ATTENDED_URL, "unattended", "bad-url"),
        (ATTENDED_URL, "", "bad-url"),
        (ATTENDED_URL, "live", "malformed-answer"),
    ] {
        let mut f = flow_with_kits(Lang::En);
        f.step(Input::Start(config_with(&[])));
        let flow_field = match flow {
            "" => String::new(),
            flow => format!(r#","flow":"{flow}""#),
        };
        let answer = serde_json::from_str(&format!(
            r#"{{"dossierId":"d1","processId":"p1","authorization":"t","sdkUrl":"{url}","idType":62{flow_field}}}"#
        ))
        .unwrap();
        let fx = f.step(Input::SessionLoaded {
            attempt: 1,
            answer: Ok(answer),
            now_ms: NOW,
            seed: 1,
        });
        let report = failure(&fx).unwrap();
        assert_eq!(report.code, "Session.Invalid", "{flow}");
        assert_eq!(report.detail, Detail::Reason { reason }, "{flow} {url}");
        assert!(sdk_effects(&fx).is_empty());
    }
}
