use super::tests::{emitted, flow_with_kits};
use super::*;
use crate::core::contract::{ProcessAnswer, SessionAnswer};
use crate::core::native::{Device, MediaError};
use crate::core::sdk::fail_reason;

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
            url: SDK_URL.into()
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
