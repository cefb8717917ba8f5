use super::tests::{emitted, failed_code, flow_with_kits};
use super::*;
use crate::core::contract::{HandoffAnswer, ProcessAnswer};
use crate::core::native::{Device, MediaError};
use crate::core::sdk::SdkInput;

const NOW: f64 = 1_790_000_000_000.0;
const LINK: &str = "http://localhost:8080/videoid/handoff?t=AbCdEfGhIjKlMnOpQrStUv";

/// The shared test config (`flow_tests.rs`) with `extra` set over it.
fn config_with(extra: &[(&str, &str)]) -> Result<Config, Failure> {
    super::tests::config_with(extra)
}

fn link_answer(json: &str) -> Result<HandoffAnswer, Failure> {
    Ok(serde_json::from_str(json).unwrap())
}

fn good_link() -> Result<HandoffAnswer, Failure> {
    link_answer(&format!(
        r#"{{"id":"h1","url":"{LINK}","expiresAt":"2026-09-21T14:23:20Z","expiresIn":600}}"#
    ))
}

fn status(json: &str) -> Result<HandoffAnswer, Failure> {
    Ok(serde_json::from_str(json).unwrap())
}

fn handoff_events(fx: &[Effect]) -> Vec<&'static str> {
    emitted(fx)
        .into_iter()
        .filter_map(|e| match e {
            Emit::Handoff(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn revokes(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Handoff {
                method: "DELETE",
                url,
                ..
            } => Some(url.clone()),
            _ => None,
        })
        .collect()
}

fn timer(fx: &[Effect], which: Timer) -> Option<u32> {
    fx.iter().find_map(|e| match e {
        Effect::StartTimer { timer, ms, .. } if *timer == which => Some(*ms),
        _ => None,
    })
}

/// A flow with `handoff="always"` (and `extra`) that asked for a link.
fn creating(extra: &[(&str, &str)]) -> (Flow, Vec<Effect>) {
    let mut attributes = vec![("handoff", "always")];
    attributes.extend_from_slice(extra);
    let mut flow = flow_with_kits(Lang::En);
    let fx = flow.step(Input::Start(config_with(&attributes)));
    (flow, fx)
}

/// A flow showing the handoff screen for attempt 1.
fn waiting() -> Flow {
    let (mut flow, _) = creating(&[]);
    let fx = flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: good_link(),
    });
    assert_eq!(flow.state(), State::Capturing);
    assert_eq!(handoff_events(&fx), ["waiting"]);
    flow
}

fn poll(flow: &mut Flow, json: &str) -> Vec<Effect> {
    flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: status(json),
    })
}

#[test]
fn always_asks_for_a_link_and_touches_no_camera() {
    let (flow, fx) = creating(&[("mode", "native")]);
    assert_eq!(flow.state(), State::Loading);
    assert!(fx.contains(&Effect::Handoff {
        attempt: 1,
        method: "POST",
        url: "/api/videoid/handoff".into(),
        mode: "native",
        lang: "en"
    }));
    assert!(!fx.iter().any(|e| matches!(
        e,
        Effect::FetchSession { .. } | Effect::Native { .. } | Effect::Sdk { .. }
    )));
    // The session endpoint's query (the simulator's scenario) reaches the handoff.
    let (_, fx) = creating(&[("session-endpoint", "/api/videoid/session?scenario=accepted")]);
    assert!(fx.contains(&Effect::Handoff {
        attempt: 1,
        method: "POST",
        url: "/api/videoid/handoff?scenario=accepted".into(),
        mode: "auto",
        lang: "en"
    }));
}

#[test]
fn a_link_shows_the_qr_code_the_link_and_how_long_it_is_valid() {
    let (mut flow, _) = creating(&[]);
    let fx = flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: good_link(),
    });
    assert_eq!(flow.surface(), Surface::Handoff);
    assert_eq!(timer(&fx, Timer::Poll), Some(1000), "first poll after 1 s");
    assert_eq!(timer(&fx, Timer::Inactivity), Some(5000));
    assert!(emitted(&fx).contains(&Emit::State {
        state: State::Capturing,
        previous: State::Loading
    }));
    let screen = flow.screen();
    assert_eq!(screen.title, "Continue on your phone");
    assert_eq!(screen.message, "Waiting for your phone…");
    assert_eq!(screen.actions, vec![(Action::Cancel, "Cancel".to_string())]);
    let h = screen.handoff.expect("the handoff parts");
    let code = crate::core::qr::QrCode::encode(LINK.as_bytes()).unwrap();
    assert_eq!(h.url, LINK);
    assert_eq!(
        h.qr_side,
        code.size() + 8,
        "a quiet zone of 4 modules each side"
    );
    assert_eq!(h.qr_path, code.path_data(4));
    assert!(h.help.contains("valid for 10 minutes"), "{}", h.help);
    assert_eq!(h.qr_label, "QR code with the link");
    assert_eq!(h.copied, None);
    let fx = flow.step(Input::HandoffCopied { attempt: 0 });
    assert!(fx.is_empty(), "a copy from another attempt is not ours");
    let fx = flow.step(Input::HandoffCopied { attempt: 1 });
    assert_eq!(fx, vec![Effect::Render]);
    let h = flow.screen().handoff.unwrap();
    assert_eq!(h.copied.as_deref(), Some("Copied"));
}

#[test]
fn the_status_is_polled_with_a_backoff_from_one_to_three_seconds() {
    let mut flow = waiting();
    let fx = flow.step(Input::TimerFired {
        attempt: 1,
        timer: Timer::Poll,
    });
    assert_eq!(
        fx,
        vec![Effect::Handoff {
            attempt: 1,
            method: "GET",
            url: "/api/videoid/handoff/h1/events".into(),
            mode: "auto",
            lang: "en"
        }]
    );
    let mut delays = Vec::new();
    for _ in 0..6 {
        let fx = poll(&mut flow, r#"{"id":"h1","status":"waiting"}"#);
        assert!(handoff_events(&fx).is_empty(), "no event without a change");
        assert_eq!(
            timer(&fx, Timer::Inactivity),
            None,
            "no change, no activity"
        );
        delays.push(timer(&fx, Timer::Poll).unwrap());
    }
    assert_eq!(delays, [1500, 2000, 2500, 3000, 3000, 3000]);
    // A change starts again at 1 s, and counts as activity.
    let fx = poll(&mut flow, r#"{"id":"h1","status":"opened"}"#);
    assert_eq!(timer(&fx, Timer::Poll), Some(1000));
    assert_eq!(timer(&fx, Timer::Inactivity), Some(5000));
}

#[test]
fn each_change_is_one_event_and_uploading_only_shows() {
    let mut flow = waiting();
    let fx = poll(&mut flow, r#"{"id":"h1","status":"opened"}"#);
    assert_eq!(handoff_events(&fx), ["opened"]);
    assert_eq!(flow.screen().message, "The link is open on your phone.");
    let fx = poll(
        &mut flow,
        r#"{"id":"h1","status":"capturing","dossierId":"d2","processId":"p2"}"#,
    );
    assert_eq!(handoff_events(&fx), ["capturing"]);
    assert_eq!(flow.screen().message, "Capture in progress on your phone…");
    let fx = poll(
        &mut flow,
        r#"{"id":"h1","status":"uploading","dossierId":"d2","processId":"p2"}"#,
    );
    assert!(handoff_events(&fx).is_empty(), "uploading is not an event");
    assert_eq!(
        timer(&fx, Timer::Inactivity),
        Some(5000),
        "but it is activity"
    );
    assert_eq!(flow.screen().message, "Sending from your phone…");
    assert_eq!(flow.state(), State::Capturing);
}

#[test]
fn complete_loads_the_result_of_the_phones_capture_as_a_desktop_one() {
    let mut flow = waiting();
    let fx = poll(
        &mut flow,
        r#"{"id":"h1","status":"complete","dossierId":"d2","processId":"p2"}"#,
    );
    let params = ReturnParams::new("d2", "p2", "processing").unwrap();
    assert_eq!(handoff_events(&fx), ["complete"]);
    assert!(emitted(&fx).contains(&Emit::Complete(params.clone())));
    assert!(fx.contains(&Effect::FetchResult {
        attempt: 1,
        endpoint: "/api/videoid/result".into(),
        dossier_id: "d2".into(),
        process_id: "p2".into()
    }));
    assert!(revokes(&fx).is_empty(), "a finished handoff is not revoked");
    assert_eq!(flow.state(), State::Completing);
    assert!(flow.screen().handoff.is_none());
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: Ok(
            serde_json::from_str::<ProcessAnswer>(r#"{"status":"accepted"}"#)
                .unwrap()
                .into(),
        ),
    });
    assert!(emitted(&fx).contains(&Emit::Result(params, "accepted".into(), true)));
    assert_eq!(flow.state(), State::Complete);
}

#[test]
fn complete_without_ids_is_a_bad_answer() {
    let mut flow = waiting();
    let fx = poll(&mut flow, r#"{"id":"h1","status":"complete"}"#);
    assert_eq!(failed_code(&fx), Some("Session.Invalid"));
    assert!(!emitted(&fx).iter().any(|e| matches!(e, Emit::Complete(_))));
}

#[test]
fn cancel_revokes_the_link() {
    let mut flow = waiting();
    let fx = flow.step(Input::Cancel);
    assert_eq!(revokes(&fx), ["/api/videoid/handoff/h1"]);
    assert_eq!(handoff_events(&fx), ["cancelled"]);
    assert!(emitted(&fx).contains(&Emit::Cancel));
    assert!(fx.contains(&Effect::ClearTimer(Timer::Poll)));
    assert_eq!(flow.state(), State::Cancelled);
    // A late answer changes nothing.
    let fx = poll(&mut flow, r#"{"id":"h1","status":"opened"}"#);
    assert!(fx.is_empty());
}

#[test]
fn no_progress_for_the_inactivity_timeout_aborts_and_revokes() {
    let mut flow = waiting();
    let fx = flow.step(Input::TimerFired {
        attempt: 1,
        timer: Timer::Inactivity,
    });
    assert_eq!(failed_code(&fx), Some("InactiveUser.Aborted"));
    assert_eq!(revokes(&fx), ["/api/videoid/handoff/h1"]);
    assert_eq!(flow.state(), State::Failed);
}

#[test]
fn removing_the_element_revokes_the_link_silently() {
    let mut flow = waiting();
    let fx = flow.step(Input::Destroy);
    assert_eq!(revokes(&fx), ["/api/videoid/handoff/h1"]);
    assert!(emitted(&fx).is_empty());
}

#[test]
fn expired_is_a_session_expiry_whose_retry_makes_a_new_link() {
    let mut flow = waiting();
    let fx = poll(&mut flow, r#"{"id":"h1","status":"expired"}"#);
    assert_eq!(handoff_events(&fx), ["expired"]);
    assert_eq!(failed_code(&fx), Some("Session.Expired"));
    assert!(revokes(&fx).is_empty());
    let screen = flow.screen();
    assert!(screen.actions.iter().any(|(a, _)| *a == Action::Retry));
    let fx = flow.step(Action::Retry.input(1, || config_with(&[("handoff", "always")])));
    assert!(fx.contains(&Effect::Handoff {
        attempt: 2,
        method: "POST",
        url: "/api/videoid/handoff".into(),
        mode: "auto",
        lang: "en"
    }));
}

#[test]
fn cancelled_on_the_backend_ends_as_a_cancel_without_another_revoke() {
    let mut flow = waiting();
    let fx = poll(&mut flow, r#"{"id":"h1","status":"cancelled"}"#);
    assert_eq!(handoff_events(&fx), ["cancelled"]);
    assert!(emitted(&fx).contains(&Emit::Cancel));
    assert!(revokes(&fx).is_empty());
    assert_eq!(flow.state(), State::Cancelled);
}

#[test]
fn untrusted_links_are_typed_failures_and_show_no_code() {
    let cases = [
        (
            r#"{"id":"h1","url":"javascript:alert(1)","expiresIn":600}"#,
            "bad-url",
        ),
        (
            r#"{"id":"h1","url":"http://evil.example/videoid/handoff?t=x","expiresIn":600}"#,
            "bad-url",
        ),
        (
            r#"{"id":"h1","url":"https://evil.example/videoid/handoff?t=x","expiresIn":600}"#,
            "origin-not-allowed",
        ),
        (
            r#"{"id":"h/1","url":"http://localhost:8080/videoid/handoff?t=x","expiresIn":600}"#,
            "bad-id",
        ),
    ];
    for (json, reason) in cases {
        let (mut flow, _) = creating(&[]);
        let fx = flow.step(Input::HandoffAnswered {
            attempt: 1,
            answer: link_answer(json),
        });
        let report = emitted(&fx)
            .into_iter()
            .find_map(|e| match e {
                Emit::Failed(r) => Some(r),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{json}: no failure"));
        assert_eq!(report.code, "Session.Invalid", "{json}");
        assert_eq!(
            report.detail,
            crate::core::failure::Detail::Reason { reason },
            "{json}"
        );
        assert!(flow.screen().handoff.is_none());
        assert!(handoff_events(&fx).is_empty());
    }
    let long = format!(
        r#"{{"id":"h1","url":"http://localhost:8080/h?t={}","expiresIn":600}}"#,
        "a".repeat(2000)
    );
    let (mut flow, _) = creating(&[]);
    let fx = flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: link_answer(&long),
    });
    assert_eq!(failed_code(&fx), Some("Session.Invalid"), "oversized");
    let (mut flow, _) = creating(&[]);
    let fx = flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: Err(Failure::BackendError {
            status: 500,
            retry_after: None,
        }),
    });
    assert_eq!(failed_code(&fx), Some("Backend.Error"));
}

#[test]
fn a_status_for_another_handoff_or_outside_the_contract_fails() {
    for json in [
        r#"{"id":"h2","status":"opened"}"#,
        r#"{"id":"h1","status":"done"}"#,
        r#"{"id":"h1","status":"capturing","dossierId":"d 2","processId":"p2"}"#,
    ] {
        let mut flow = waiting();
        let fx = poll(&mut flow, json);
        assert_eq!(failed_code(&fx), Some("Session.Invalid"), "{json}");
        assert_eq!(revokes(&fx), ["/api/videoid/handoff/h1"], "{json}");
    }
}

#[test]
fn passing_network_faults_keep_polling_and_others_fail() {
    let mut flow = waiting();
    for failure in [
        Failure::NetworkUnreachable,
        Failure::BackendError {
            status: 503,
            retry_after: None,
        },
    ] {
        let fx = flow.step(Input::HandoffAnswered {
            attempt: 1,
            answer: Err(failure),
        });
        assert!(timer(&fx, Timer::Poll).is_some());
        assert_eq!(flow.state(), State::Capturing);
    }
    let fx = flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: Err(Failure::BackendError {
            status: 404,
            retry_after: None,
        }),
    });
    assert_eq!(failed_code(&fx), Some("Backend.Error"));
}

#[test]
fn a_link_that_arrives_after_a_cancel_is_revoked() {
    let (mut flow, _) = creating(&[]);
    flow.step(Input::Cancel);
    let fx = flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: good_link(),
    });
    assert_eq!(revokes(&fx), ["/api/videoid/handoff/h1"]);
    assert_eq!(flow.state(), State::Cancelled);
    assert!(handoff_events(&fx).is_empty());
}

#[test]
fn auto_offers_the_handoff_beside_start_and_off_never() {
    let names =
        |flow: &Flow| -> Vec<Action> { flow.screen().actions.iter().map(|a| a.0).collect() };
    // Off unless the page asks: the handoff needs the backend's endpoint.
    assert_eq!(names(&flow_with_kits(Lang::En)), [Action::Start]);
    let mut flow = flow_with_kits(Lang::En);
    flow.set_handoff(Handoff::Auto);
    assert_eq!(names(&flow), [Action::Start, Action::Handoff]);
    let fx = flow.step(Action::Handoff.input(0, || config_with(&[("handoff", "auto")])));
    assert!(fx.contains(&Effect::Handoff {
        attempt: 1,
        method: "POST",
        url: "/api/videoid/handoff".into(),
        mode: "auto",
        lang: "en"
    }));
    let mut off = flow_with_kits(Lang::En);
    off.set_handoff(Handoff::Off);
    assert_eq!(names(&off), [Action::Start]);
    // A plain start in auto mode is the usual capture.
    let mut flow = flow_with_kits(Lang::En);
    flow.set_handoff(Handoff::Auto);
    let fx = flow.step(Input::Start(config_with(&[("handoff", "auto")])));
    assert!(fx.iter().any(|e| matches!(e, Effect::FetchSession { .. })));
    assert!(!fx.iter().any(|e| matches!(e, Effect::Handoff { .. })));
}

#[test]
fn a_camera_failure_in_sdk_or_native_mode_makes_the_handoff_primary() {
    for (mode, handoff, offered) in [
        ("sdk", "auto", true),
        ("sdk", "off", false),
        ("native", "auto", true),
    ] {
        let mut flow = flow_with_kits(Lang::En);
        flow.step(Input::Start(config_with(&[
            ("mode", mode),
            ("handoff", handoff),
        ])));
        let session = match mode {
            "sdk" => {
                r#"{"dossierId":"d1","processId":"p1","authorization":"t","sdkUrl":"http://127.0.0.1:8081/sdk.js","idType":62}"#
            }
            _ => {
                r#"{"dossierId":"d1","processId":"p1","uploadUrl":"http://localhost:8080/api/videoid/upload","uploadToken":"token-0123456789abcdef","steps":["front"]}"#
            }
        };
        flow.step(Input::SessionLoaded {
            attempt: 1,
            answer: Ok(serde_json::from_str(session).unwrap()),
            now_ms: NOW,
            seed: 1,
        });
        let error = MediaError {
            name: "NotFoundError".into(),
            message: String::new(),
            device: Device::Camera,
        };
        let fx = match mode {
            "sdk" => flow.step(Input::Sdk {
                attempt: 1,
                input: SdkInput::DevicesFailed(error),
            }),
            // No rear camera: the front one is tried before giving up.
            _ => [error.clone(), error]
                .into_iter()
                .flat_map(|error| {
                    flow.step(Input::Native {
                        attempt: 1,
                        input: crate::core::native::NativeInput::CameraFailed(error),
                    })
                })
                .collect(),
        };
        assert_eq!(failed_code(&fx), Some("Device.NotFound"), "{mode}");
        let first = flow.screen().actions.first().map(|a| a.0);
        assert_eq!(first == Some(Action::Handoff), offered, "{mode} {handoff}");
    }
    // A failure that is not the camera's offers no handoff.
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[])));
    flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: Err(Failure::BackendError {
            status: 500,
            retry_after: None,
        }),
        now_ms: NOW,
        seed: 1,
    });
    assert!(!flow.screen().actions.iter().any(|a| a.0 == Action::Handoff));
}

#[test]
fn without_an_endpoint_the_handoff_is_a_config_failure() {
    let mut flow = flow_with_kits(Lang::En);
    let config = Config::parse(
        |n| match n {
            "capture-url" => Some("http://localhost:8080/capture".into()),
            "handoff" => Some("always".into()),
            _ => None,
        },
        &crate::core::origin::Origin::parse("http://localhost:8080").unwrap(),
    );
    let fx = flow.step(Input::Start(config));
    assert_eq!(failed_code(&fx), Some("Config.Invalid"));
}

fn confirms(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Handoff {
                method: "POST",
                url,
                ..
            } => Some(url.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_phone_that_opened_the_link_is_confirmed_by_its_code() {
    let mut flow = waiting();
    let fx = poll(&mut flow, r#"{"id":"h1","status":"pairing","code":"4821"}"#);
    assert!(emitted(&fx).contains(&Emit::HandoffPairing("4821".into())));
    let screen = flow.screen();
    assert_eq!(screen.title, "A phone opened your link");
    assert!(screen.message.contains("4821"), "{}", screen.message);
    assert_eq!(
        screen.actions.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
        [Action::PairConfirm, Action::PairReject]
    );
    assert!(screen.handoff.is_none(), "no QR code to scan meanwhile");
    // The same status again: no second event.
    let fx = poll(&mut flow, r#"{"id":"h1","status":"pairing","code":"4821"}"#);
    assert!(handoff_events(&fx).is_empty());
    assert!(!emitted(&fx)
        .iter()
        .any(|e| matches!(e, Emit::HandoffPairing(_))));

    // Confirm: once, however often pressed.
    let fx = flow.step(Action::PairConfirm.input(1, || config_with(&[])));
    assert_eq!(confirms(&fx), ["/api/videoid/handoff/h1/confirm"]);
    assert!(flow.screen().busy);
    let fx = flow.step(Action::PairConfirm.input(1, || config_with(&[])));
    assert!(confirms(&fx).is_empty());
    // A 409 (the phone moved on meanwhile) is no failure: the next poll tells.
    let fx = flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: Err(Failure::BackendError {
            status: 409,
            retry_after: None,
        }),
    });
    assert_eq!(flow.state(), State::Capturing);
    assert!(timer(&fx, Timer::Poll).is_some());
    let fx = poll(&mut flow, r#"{"id":"h1","status":"paired"}"#);
    assert_eq!(handoff_events(&fx), ["paired"]);
    let screen = flow.screen();
    assert_eq!(screen.message, "Your phone is connected. Continue there.");
    assert!(screen.handoff.is_some());
    // Pressing a stale button now does nothing.
    let fx = flow.step(Action::PairReject.input(1, || config_with(&[])));
    assert!(revokes(&fx).is_empty());
    assert_eq!(flow.state(), State::Capturing);
}

#[test]
fn not_my_phone_revokes_the_link_and_ends_the_handoff() {
    let mut flow = waiting();
    poll(&mut flow, r#"{"id":"h1","status":"pairing","code":"0007"}"#);
    let fx = flow.step(Action::PairReject.input(1, || config_with(&[])));
    assert_eq!(revokes(&fx), ["/api/videoid/handoff/h1"]);
    assert_eq!(handoff_events(&fx), ["cancelled"]);
    assert!(emitted(&fx).contains(&Emit::Cancel));
    assert_eq!(flow.state(), State::Cancelled);
}

#[test]
fn a_pairing_answer_without_a_proper_code_is_malformed() {
    for bad in [
        r#"{"id":"h1","status":"pairing"}"#,
        r#"{"id":"h1","status":"pairing","code":"12 34"}"#,
    ] {
        let mut flow = waiting();
        let fx = poll(&mut flow, bad);
        assert_eq!(failed_code(&fx), Some("Session.Invalid"), "{bad}");
    }
}
