use super::*;
use crate::core::contract::{ProcessAnswer, SessionAnswer};
use crate::core::failure::ProviderFailReason;
use crate::core::i18n::{Catalog, Strings, Value};
use crate::core::native::{NativeEffect, NativeInput};
use crate::core::origin::Origin;
use std::collections::HashMap;
use std::rc::Rc;

const NOW: f64 = 1_790_000_000_000.0;

/// A config with the test defaults, `extra` attributes set over them (the sdk
/// mode tests use it too).
pub(super) fn config_with(extra: &[(&str, &str)]) -> Result<Config, Failure> {
    let mut map: HashMap<String, String> = [
        ("session-endpoint", "/api/videoid/session"),
        ("result-endpoint", "/api/videoid/result"),
        ("allowed-origins", "http://127.0.0.1:8081"),
        ("inactivity-timeout", "5"),
        ("load-timeout", "2"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        map.insert(k.to_string(), v.to_string());
    }
    Config::parse(
        |n| map.get(n).cloned(),
        &Origin::parse("http://localhost:8080").unwrap(),
    )
}

fn answer(framing: &str) -> Result<SessionAnswer, Failure> {
    Ok(serde_json::from_str(&format!(
        r#"{{"url":"http://127.0.0.1:8081/capture/#/artifact=a1","dossierId":"d1","framing":"{framing}"}}"#
    ))
    .unwrap())
}

fn process(json: &str) -> Result<ProcessView, Failure> {
    Ok(serde_json::from_str::<ProcessAnswer>(json).unwrap().into())
}

fn ret() -> ReturnParams {
    ReturnParams::new("d1", "p1", "processing").unwrap()
}

/// A flow with every run's kit installed, as after every chunk arrived (the
/// sdk and handoff tests use it too).
pub(super) fn flow_with_kits(lang: Lang) -> Flow {
    let mut flow = Flow::new(lang);
    flow.install(&native::KIT);
    flow.install(&sdk::KIT);
    flow.install(&handoff::KIT);
    flow
}

/// The events among `fx`, in order.
pub(super) fn emitted(fx: &[Effect]) -> Vec<Emit> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Emit(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

/// The code of the `videoid-failed` among `fx`, if any.
pub(super) fn failed_code(fx: &[Effect]) -> Option<&'static str> {
    emitted(fx).into_iter().find_map(|e| match e {
        Emit::Failed(r) => Some(r.code),
        _ => None,
    })
}

/// A flow that is showing the frame for attempt 1.
fn capturing() -> Flow {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[])));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: answer("allowed"),
        now_ms: NOW,
        seed: 1,
    });
    assert!(fx.iter().any(
        |e| matches!(e, Effect::ShowFrame { origin, .. } if origin == "http://127.0.0.1:8081")
    ));
    assert_eq!(flow.state(), State::Capturing);
    flow
}

#[test]
fn start_fetches_a_session_and_announces_loading() {
    let mut flow = flow_with_kits(Lang::En);
    let fx = flow.step(Input::Start(config_with(&[])));
    assert_eq!(flow.state(), State::Loading);
    assert!(fx.contains(&Effect::FetchSession {
        attempt: 1,
        endpoint: "/api/videoid/session".into(),
        mode: "auto",
        lang: "en"
    }));
    assert_eq!(
        emitted(&fx),
        vec![Emit::State {
            state: State::Loading,
            previous: State::Idle
        }]
    );
    // A second start while running changes nothing.
    assert!(flow.step(Input::Start(config_with(&[]))).is_empty());
}

#[test]
fn the_happy_path_completes_once_then_reports_the_final_result() {
    let mut flow = capturing();
    let fx = flow.step(Input::FrameLoaded { attempt: 1 });
    assert_eq!(fx, vec![Effect::ClearTimer(Timer::Load)]);
    let fx = flow.step(Input::Returned {
        attempt: 1,
        params: ret(),
    });
    assert!(fx.contains(&Effect::RemoveFrame));
    assert!(emitted(&fx).contains(&Emit::Complete(ret())));
    assert_eq!(flow.state(), State::Completing);
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::FetchResult { process_id, .. } if process_id == "p1")));
    // The second completion path (return helper + load check) does nothing more.
    assert!(flow
        .step(Input::Returned {
            attempt: 1,
            params: ret()
        })
        .is_empty());

    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: process(r#"{"status":"processing"}"#),
    });
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::StartTimer {
            timer: Timer::Poll,
            ms: 500,
            ..
        }
    )));
    let fx = flow.step(Input::TimerFired {
        attempt: 1,
        timer: Timer::Poll,
    });
    assert!(matches!(fx[..], [Effect::FetchResult { .. }]));
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: process(r#"{"status":"accepted"}"#),
    });
    assert_eq!(
        emitted(&fx),
        vec![
            Emit::Result(ret(), "accepted".into(), true),
            Emit::State {
                state: State::Complete,
                previous: State::Completing
            }
        ]
    );
}

#[test]
fn rejected_and_inconclusive_are_results_not_failures() {
    for status in ["rejected", "inconclusive"] {
        let mut flow = capturing();
        flow.step(Input::Returned {
            attempt: 1,
            params: ret(),
        });
        let fx = flow.step(Input::ResultLoaded {
            attempt: 1,
            result: process(&format!(r#"{{"status":"{status}"}}"#)),
        });
        assert_eq!(flow.state(), State::Complete);
        assert_eq!(failed_code(&fx), None);
    }
}

#[test]
fn a_failed_process_keeps_the_providers_reason() {
    let mut flow = capturing();
    flow.step(Input::Returned {
        attempt: 1,
        params: ret(),
    });
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: process(
            r#"{"status":"failed","failReason":{"type":"InactiveUser.Aborted","message":"There has been no interaction with the video"}}"#,
        ),
    });
    let events = emitted(&fx);
    assert!(matches!(&events[0], Emit::Result(_, s, true) if s == "failed"));
    match &events[1] {
        Emit::Failed(report) => {
            assert_eq!(report.code, "Capture.Failed");
            assert_eq!(
                report.detail,
                crate::core::failure::Detail::Provider(ProviderFailReason {
                    id: None,
                    kind: "InactiveUser.Aborted".into(),
                    message: "There has been no interaction with the video".into()
                })
            );
        }
        other => panic!("expected failed, got {other:?}"),
    }
    assert_eq!(flow.state(), State::Failed);
}

#[test]
fn passing_result_faults_are_retried_lasting_ones_fail() {
    let mut flow = capturing();
    flow.step(Input::Returned {
        attempt: 1,
        params: ret(),
    });
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: Err(Failure::BackendError {
            status: 503,
            retry_after: None,
        }),
    });
    assert_eq!(flow.state(), State::Completing);
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::StartTimer {
            timer: Timer::Poll,
            ..
        }
    )));
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: Err(Failure::BackendError {
            status: 404,
            retry_after: None,
        }),
    });
    assert_eq!(failed_code(&fx), Some("Backend.Error"));
}

/// A flow whose capture came back for attempt 1, with `extra` attributes:
/// polling the result. Returns the effects of the return too.
fn completing(extra: &[(&str, &str)]) -> (Flow, Vec<Effect>) {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(extra)));
    flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: answer("allowed"),
        now_ms: NOW,
        seed: 1,
    });
    let fx = flow.step(Input::Returned {
        attempt: 1,
        params: ret(),
    });
    assert_eq!(flow.state(), State::Completing);
    (flow, fx)
}

/// The `result-wait` timer the effects start, in ms.
fn result_wait(fx: &[Effect]) -> Option<u32> {
    fx.iter().find_map(|e| match e {
        Effect::StartTimer {
            timer: Timer::ResultWait,
            ms,
            attempt: 1,
        } => Some(*ms),
        _ => None,
    })
}

fn still_processing(flow: &mut Flow) -> Vec<Effect> {
    flow.step(Input::ResultLoaded {
        attempt: 1,
        result: process(r#"{"status":"processing"}"#),
    })
}

#[test]
fn polling_backs_off_capped_and_goes_on_until_result_wait() {
    let (mut flow, _) = completing(&[]);
    let mut delays = Vec::new();
    for _ in 0..200 {
        for e in still_processing(&mut flow) {
            if let Effect::StartTimer { ms, timer, .. } = e {
                assert_eq!(timer, Timer::Poll);
                delays.push(ms);
            }
        }
    }
    assert_eq!(
        delays.len(),
        200,
        "no count of polls ends it: result-wait does"
    );
    assert_eq!(&delays[..5], &[500, 1000, 2000, 4000, 5000]);
    assert!(delays.iter().all(|d| *d <= 5000));
    assert_eq!(flow.state(), State::Completing);
}

#[test]
fn result_wait_starts_with_polling_two_minutes_by_default() {
    let (_, fx) = completing(&[]);
    assert_eq!(result_wait(&fx), Some(120_000));
    let fetch = fx
        .iter()
        .position(|e| matches!(e, Effect::FetchResult { .. }));
    let timer = fx.iter().position(|e| {
        matches!(
            e,
            Effect::StartTimer {
                timer: Timer::ResultWait,
                ..
            }
        )
    });
    assert!(timer.is_some() && fetch.is_some(), "{fx:?}");
    // After a full-page redirect too.
    let mut flow = flow_with_kits(Lang::En);
    let fx = flow.step(Input::Resume(config_with(&[("result-wait", "30")]), ret()));
    assert_eq!(result_wait(&fx), Some(30_000));
    // Without a result endpoint nothing is polled and nothing waits.
    let mut flow = flow_with_kits(Lang::En);
    let fx = flow.step(Input::Resume(
        config_with(&[("result-endpoint", "")]),
        ret(),
    ));
    assert_eq!(flow.state(), State::Complete);
    assert_eq!(result_wait(&fx), None);
}

#[test]
fn result_wait_takes_the_attributes_seconds() {
    let (_, fx) = completing(&[("result-wait", "2")]);
    assert_eq!(result_wait(&fx), Some(2_000));
    let (_, fx) = completing(&[("result-wait", "86400")]);
    assert_eq!(result_wait(&fx), Some(86_400_000));
}

#[test]
fn result_wait_running_out_while_processing_completes_with_a_result_that_is_not_final() {
    let (mut flow, _) = completing(&[("result-wait", "2")]);
    still_processing(&mut flow);
    // A passing fault in between changes nothing.
    flow.step(Input::ResultLoaded {
        attempt: 1,
        result: Err(Failure::NetworkUnreachable),
    });
    let fx = flow.step(Input::TimerFired {
        attempt: 1,
        timer: Timer::ResultWait,
    });
    assert!(fx.contains(&Effect::ClearTimer(Timer::Poll)), "{fx:?}");
    assert!(!fx.iter().any(|e| matches!(e, Effect::FetchResult { .. })));
    assert_eq!(
        emitted(&fx),
        vec![
            Emit::Result(ret(), "processing".into(), false),
            Emit::State {
                state: State::Complete,
                previous: State::Completing
            }
        ]
    );
    assert_eq!(flow.state(), State::Complete);
    assert_eq!(failed_code(&fx), None);
    // No more polling: a poll timer that fired meanwhile, and a late answer, do nothing.
    for input in [
        Input::TimerFired {
            attempt: 1,
            timer: Timer::Poll,
        },
        Input::ResultLoaded {
            attempt: 1,
            result: process(r#"{"status":"accepted"}"#),
        },
        Input::TimerFired {
            attempt: 1,
            timer: Timer::ResultWait,
        },
    ] {
        assert!(flow.step(input).is_empty());
    }
    assert_eq!(flow.state(), State::Complete);
}

#[test]
fn a_final_status_before_result_wait_is_final_and_ends_polling() {
    let (mut flow, _) = completing(&[("result-wait", "2")]);
    still_processing(&mut flow);
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: process(r#"{"status":"rejected"}"#),
    });
    assert_eq!(
        emitted(&fx),
        vec![
            Emit::Result(ret(), "rejected".into(), true),
            Emit::State {
                state: State::Complete,
                previous: State::Completing
            }
        ]
    );
    assert!(fx.contains(&Effect::ClearTimer(Timer::ResultWait)));
    assert!(!fx.iter().any(|e| matches!(
        e,
        Effect::FetchResult { .. }
            | Effect::StartTimer {
                timer: Timer::Poll,
                ..
            }
    )));
    for timer in [Timer::Poll, Timer::ResultWait] {
        assert!(flow
            .step(Input::TimerFired { attempt: 1, timer })
            .is_empty());
    }
    // A failed process stops every timer, result-wait's too.
    let (mut flow, _) = completing(&[]);
    let fx = flow.step(Input::ResultLoaded {
        attempt: 1,
        result: process(r#"{"status":"failed"}"#),
    });
    assert!(matches!(&emitted(&fx)[0], Emit::Result(_, s, true) if s == "failed"));
    assert!(fx.contains(&Effect::ClearTimer(Timer::ResultWait)));
}

#[test]
fn result_wait_of_an_earlier_attempt_is_ignored() {
    let (mut flow, _) = completing(&[]);
    flow.step(Input::ResultLoaded {
        attempt: 1,
        result: process(r#"{"status":"accepted"}"#),
    });
    flow.step(Input::Start(config_with(&[])));
    assert!(flow
        .step(Input::TimerFired {
            attempt: 1,
            timer: Timer::ResultWait,
        })
        .is_empty());
    assert_eq!(flow.state(), State::Loading);
}

#[test]
fn bad_result_wait_values_fail_at_start_naming_the_attribute() {
    for bad in ["0", "-3", "1.5", "120s", "two", "86401"] {
        let mut flow = flow_with_kits(Lang::En);
        let fx = flow.step(Input::Start(config_with(&[("result-wait", bad)])));
        assert_eq!(flow.state(), State::Failed, "{bad}");
        assert_eq!(
            flow.failure(),
            Some(&Failure::ConfigInvalid {
                field: "result-wait"
            }),
            "{bad}"
        );
        assert_eq!(failed_code(&fx), Some("Config.Invalid"));
        assert!(!fx.iter().any(|e| matches!(e, Effect::FetchSession { .. })));
    }
}

#[test]
fn invalid_config_fails_at_start_naming_the_field() {
    let mut flow = flow_with_kits(Lang::En);
    let fx = flow.step(Input::Start(config_with(&[("inactivity-timeout", "abc")])));
    let report = emitted(&fx)
        .into_iter()
        .find_map(|e| match e {
            Emit::Failed(r) => Some(r),
            _ => None,
        })
        .unwrap();
    assert_eq!(report.code, "Config.Invalid");
    assert_eq!(
        report.detail,
        crate::core::failure::Detail::Field {
            field: "inactivity-timeout"
        }
    );
    assert_eq!(flow.state(), State::Failed);
    assert!(flow.screen().actions.is_empty(), "no retry for a page bug");
}

#[test]
fn session_failures_are_typed_and_retry_starts_a_new_attempt() {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[])));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: Err(Failure::NetworkUnreachable),
        now_ms: NOW,
        seed: 1,
    });
    assert_eq!(failed_code(&fx), Some("Network.Unreachable"));
    assert_eq!(
        flow.screen().actions,
        vec![(Action::Retry, "Try again".to_string())]
    );
    let fx = flow.step(Input::Start(config_with(&[])));
    assert!(fx.contains(&Effect::FetchSession {
        attempt: 2,
        endpoint: "/api/videoid/session".into(),
        mode: "auto",
        lang: "en"
    }));
    // A late answer for attempt 1 is dropped.
    assert!(flow
        .step(Input::SessionLoaded {
            attempt: 1,
            answer: answer("allowed"),
            now_ms: NOW,
            seed: 1
        })
        .is_empty());
    assert_eq!(flow.state(), State::Loading);
}

#[test]
fn disallowed_capture_origins_never_show_a_frame() {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[(
        "allowed-origins",
        "https://*.signicat.com",
    )])));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: answer("allowed"),
        now_ms: NOW,
        seed: 1,
    });
    assert_eq!(failed_code(&fx), Some("Session.Invalid"));
    assert!(!fx.iter().any(|e| matches!(e, Effect::ShowFrame { .. })));
}

#[test]
fn load_timeout_then_popup_fallback_completes() {
    let mut flow = capturing();
    let fx = flow.step(Input::TimerFired {
        attempt: 1,
        timer: Timer::Load,
    });
    assert_eq!(failed_code(&fx), Some("Capture.LoadTimeout"));
    assert!(fx.contains(&Effect::RemoveFrame));
    let screen = flow.screen();
    assert_eq!(screen.actions[0].0, Action::Fallback);
    assert_eq!(screen.actions[1].0, Action::Retry);
    let fx = flow.step(Input::OpenFallback);
    assert!(fx.iter().any(|e| matches!(e, Effect::OpenPopup { .. })));
    assert_eq!(flow.state(), State::Capturing);
    assert_eq!(flow.surface(), Surface::Popup);
    let fx = flow.step(Input::Returned {
        attempt: 1,
        params: ret(),
    });
    assert!(fx.contains(&Effect::ClosePopup));
    assert!(emitted(&fx).contains(&Emit::Complete(ret())));
}

#[test]
fn framing_denied_by_the_backend_check_fails_at_once() {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[])));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: answer("denied"),
        now_ms: NOW,
        seed: 1,
    });
    assert!(!fx.iter().any(|e| matches!(e, Effect::ShowFrame { .. })));
    let report = emitted(&fx).into_iter().find_map(|e| match e {
        Emit::Failed(r) => Some(r),
        _ => None,
    });
    let report = report.unwrap();
    assert_eq!(report.code, "Capture.LoadTimeout");
    assert_eq!(
        report.detail,
        crate::core::failure::Detail::Reason {
            reason: "framing-denied"
        }
    );
}

#[test]
fn framing_not_known_keeps_the_load_timer_until_the_frame_is_used() {
    for framing in ["unknown", "something else"] {
        let mut flow = flow_with_kits(Lang::En);
        flow.step(Input::Start(config_with(&[])));
        let fx = flow.step(Input::SessionLoaded {
            attempt: 1,
            answer: answer(framing),
            now_ms: NOW,
            seed: 1,
        });
        assert!(fx.iter().any(|e| matches!(e, Effect::ShowFrame { .. })));
        // A refused frame fires `load` too: that alone proves nothing.
        let fx = flow.step(Input::FrameLoaded { attempt: 1 });
        assert!(fx.is_empty(), "{framing}: the load timer runs on");
        let mut used = flow_with_kits(Lang::En);
        used.step(Input::Start(config_with(&[])));
        used.step(Input::SessionLoaded {
            attempt: 1,
            answer: answer(framing),
            now_ms: NOW,
            seed: 1,
        });
        used.step(Input::FrameLoaded { attempt: 1 });
        let fx = used.step(Input::FrameUsed { attempt: 1 });
        assert_eq!(fx, vec![Effect::ClearTimer(Timer::Load)], "{framing}");
        // Unused until the load timer: the framing failure, with the fallback offered.
        let fx = flow.step(Input::TimerFired {
            attempt: 1,
            timer: Timer::Load,
        });
        let report = emitted(&fx)
            .into_iter()
            .find_map(|e| match e {
                Emit::Failed(r) => Some(r),
                _ => None,
            })
            .expect("a failure");
        assert_eq!(report.code, "Capture.LoadTimeout");
        assert!(report.recoverable);
        assert_eq!(flow.state(), State::Failed);
        assert!(
            flow.screen()
                .actions
                .iter()
                .any(|(a, _)| *a == Action::Fallback),
            "{framing}: the fallback is offered"
        );
    }
    // Framing the backend found allowed: `load` ends the timer, as before.
    let mut flow = capturing();
    let fx = flow.step(Input::FrameUsed { attempt: 1 });
    assert!(fx.is_empty(), "nothing to end once loaded");
}

#[test]
fn embed_mode_offers_no_fallback_and_redirect_mode_redirects() {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[("mode", "embed")])));
    flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: answer("denied"),
        now_ms: NOW,
        seed: 1,
    });
    assert!(flow.step(Input::OpenFallback).is_empty());
    assert!(!flow
        .screen()
        .actions
        .iter()
        .any(|(a, _)| *a == Action::Fallback));

    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[("fallback", "redirect")])));
    flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: answer("denied"),
        now_ms: NOW,
        seed: 1,
    });
    let fx = flow.step(Input::OpenFallback);
    assert!(fx.contains(&Effect::Redirect {
        url: "http://127.0.0.1:8081/capture/#/artifact=a1".into(),
        dossier_id: "d1".into()
    }));
}

#[test]
fn a_blocked_popup_returns_to_the_failure_and_a_closed_one_cancels() {
    let mut flow = capturing();
    flow.step(Input::TimerFired {
        attempt: 1,
        timer: Timer::Load,
    });
    flow.step(Input::OpenFallback);
    flow.step(Input::PopupBlocked { attempt: 1 });
    assert_eq!(flow.state(), State::Failed);
    assert!(flow.screen().message.contains("blocked"));
    flow.step(Input::OpenFallback);
    let fx = flow.step(Input::PopupClosed { attempt: 1 });
    assert!(emitted(&fx).contains(&Emit::Cancel));
    assert_eq!(flow.state(), State::Cancelled);
}

#[test]
fn inactivity_is_reset_by_activity_and_aborts_when_it_runs_out() {
    let mut flow = capturing();
    let fx = flow.step(Input::Activity { attempt: 1 });
    assert_eq!(
        fx,
        vec![Effect::StartTimer {
            attempt: 1,
            timer: Timer::Inactivity,
            ms: 5000
        }]
    );
    let fx = flow.step(Input::TimerFired {
        attempt: 1,
        timer: Timer::Inactivity,
    });
    assert_eq!(failed_code(&fx), Some("InactiveUser.Aborted"));
    assert!(fx.contains(&Effect::RemoveFrame));
}

#[test]
fn cancel_stops_the_capture_and_says_so_once() {
    let mut flow = capturing();
    let fx = flow.step(Input::Cancel);
    assert!(fx.contains(&Effect::RemoveFrame));
    assert_eq!(emitted(&fx)[0], Emit::Cancel);
    assert_eq!(flow.state(), State::Cancelled);
    assert!(flow.step(Input::Cancel).is_empty());
}

#[test]
fn returns_for_another_dossier_or_attempt_are_ignored() {
    let mut flow = capturing();
    let other = ReturnParams::new("d2", "p1", "processing").unwrap();
    assert!(flow
        .step(Input::Returned {
            attempt: 1,
            params: other
        })
        .is_empty());
    assert!(flow
        .step(Input::Returned {
            attempt: 7,
            params: ret()
        })
        .is_empty());
    assert_eq!(flow.state(), State::Capturing);
}

#[test]
fn destroy_stops_everything_and_silences_the_flow() {
    let mut flow = capturing();
    let fx = flow.step(Input::Destroy);
    assert!(fx.contains(&Effect::RemoveFrame));
    assert!(fx.contains(&Effect::ClearTimer(Timer::Inactivity)));
    assert!(emitted(&fx).is_empty());
    assert!(flow
        .step(Input::TimerFired {
            attempt: 1,
            timer: Timer::Inactivity
        })
        .is_empty());
    assert!(flow.step(Input::Start(config_with(&[]))).is_empty());
}

#[test]
fn resume_after_redirect_completes_and_polls() {
    let mut flow = flow_with_kits(Lang::En);
    let fx = flow.step(Input::Resume(config_with(&[]), ret()));
    assert!(emitted(&fx).contains(&Emit::Complete(ret())));
    assert_eq!(flow.state(), State::Completing);
    assert!(fx.iter().any(|e| matches!(e, Effect::FetchResult { .. })));
}

#[test]
fn capture_url_skips_the_session_call() {
    let mut flow = flow_with_kits(Lang::En);
    let fx = flow.step(Input::Start(config_with(&[
        ("session-endpoint", ""),
        ("capture-url", "http://127.0.0.1:8081/capture/#/artifact=x"),
    ])));
    assert!(!fx.iter().any(|e| matches!(e, Effect::FetchSession { .. })));
    assert!(fx.iter().any(|e| matches!(e, Effect::ShowFrame { .. })));
    // With no dossier known, any well-formed return completes.
    let fx = flow.step(Input::Returned {
        attempt: 1,
        params: ret(),
    });
    assert!(emitted(&fx).contains(&Emit::Complete(ret())));
}

#[test]
fn screens_show_the_texts_they_are_given_live() {
    let mut flow = flow_with_kits(Lang::Nb);
    flow.set_handoff(crate::core::config::Handoff::Auto);
    assert_eq!(
        flow.screen().lang,
        Lang::En,
        "English until the strings arrive"
    );
    assert_eq!(flow.screen().title, "Verify your identity");
    let (catalog, _) = Catalog::read(
        Lang::Nb,
        [
            ("idleTitle", "Bekreft identiteten din"),
            ("failConfig", "Siden er feil satt opp."),
        ]
        .map(|(k, v)| (k.to_string(), Value::Text(v.to_string()))),
    );
    let (overrides, _) = Strings::read([("start".to_string(), Value::Text("Kom i gang".into()))]);
    flow.set_texts(Texts::new(Some(Rc::new(catalog)), Rc::new(overrides)));
    let screen = flow.screen();
    assert_eq!(screen.lang, Lang::Nb);
    assert_eq!(screen.title, "Bekreft identiteten din");
    assert_eq!(
        screen.actions,
        vec![
            (Action::Start, "Kom i gang".to_string()),
            (Action::Handoff, "Continue on my phone".to_string())
        ],
        "the handoff (handoff=\"auto\") is offered beside start, in English until translated"
    );
    assert_eq!(flow.lang(), Lang::Nb);
    let fx = flow.step(Input::Start(config_with(&[(
        "session-endpoint",
        "http://127.0.0.1:9/x y",
    )])));
    let failed = emitted(&fx)
        .into_iter()
        .find_map(|e| match e {
            Emit::Failed(report) => Some(report),
            _ => None,
        })
        .expect("a failure");
    assert_eq!(
        failed.message, "Siden er feil satt opp.",
        "the event speaks the screen's language"
    );
    assert_eq!(
        flow.screen().title,
        Text::FailedTitle.english(),
        "missing strings are English"
    );
    assert_eq!(flow.screen().actions, vec![], "no retry for a page bug");
}

fn native_answer(extra: &str) -> Result<SessionAnswer, Failure> {
    Ok(serde_json::from_str(&format!(
        r#"{{"dossierId":"d1","processId":"p1","uploadUrl":"/api/videoid/upload","uploadToken":"tok_0123456789abcdef","steps":["front","selfie"]{extra}}}"#
    ))
    .unwrap())
}

fn native_flow(extra_config: &[(&str, &str)], extra_answer: &str) -> (Flow, Vec<Effect>) {
    let mut flow = flow_with_kits(Lang::En);
    let mut config = vec![("mode", "native")];
    config.extend_from_slice(extra_config);
    flow.step(Input::Start(config_with(&config)));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: native_answer(extra_answer),
        now_ms: NOW,
        seed: 1,
    });
    (flow, fx)
}

fn native(flow: &mut Flow, input: NativeInput) -> Vec<Effect> {
    flow.step(Input::Native { attempt: 1, input })
}

fn stops_camera(fx: &[Effect]) -> bool {
    fx.contains(&Effect::Native {
        attempt: 1,
        effect: NativeEffect::StopCamera,
    })
}

#[test]
fn native_capture_runs_every_step_then_completes_and_polls() {
    let (mut flow, fx) = native_flow(&[], "");
    assert_eq!(flow.state(), State::Capturing);
    assert_eq!(flow.surface(), Surface::Native);
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::Native {
            effect: NativeEffect::OpenCamera { .. },
            ..
        }
    )));
    assert_eq!(flow.screen().native.unwrap().step, "front");
    assert_eq!(
        flow.screen().title,
        "Front of your ID document",
        "the title names the step"
    );
    for _ in 0..2 {
        native(&mut flow, NativeInput::CameraReady);
        assert_eq!(flow.screen().actions[0].0, Action::Capture);
        native(&mut flow, NativeInput::Shutter);
        let fx = native(&mut flow, NativeInput::Captured);
        assert!(
            emitted(&fx)
                .iter()
                .any(|e| matches!(e, Emit::Step { auto: false, .. })),
            "videoid-step tells the host"
        );
        assert!(
            fx.iter().any(|e| matches!(
                e,
                Effect::StartTimer {
                    timer: Timer::Inactivity,
                    ..
                }
            )),
            "progress resets inactivity"
        );
        assert_eq!(flow.screen().actions[1].0, Action::Confirm);
        native(&mut flow, NativeInput::Confirm);
        assert_eq!(flow.screen().native.unwrap().step, "upload");
        native(&mut flow, NativeInput::Uploaded(Ok(())));
    }
    let fx = native(&mut flow, NativeInput::Completed(Ok(())));
    assert!(stops_camera(&fx));
    assert!(emitted(&fx).contains(&Emit::Complete(ret())));
    assert_eq!(flow.state(), State::Completing);
    assert!(flow.screen().native.is_none());
}

#[test]
fn quality_frames_redraw_only_when_the_hint_changes() {
    use crate::core::quality::{Report, Verdict};
    let report = |verdict| Report {
        sharpness: 10.0,
        brightness: 120.0,
        glare: 0.0,
        motion: 9.0,
        fill: 0.6,
        verdict,
    };
    let (mut flow, _) = native_flow(&[], "");
    native(&mut flow, NativeInput::CameraReady);
    let fx = native(&mut flow, NativeInput::Frame(report(Verdict::HoldStill)));
    assert_eq!(fx, vec![Effect::Render], "a new hint is drawn");
    assert!(flow.screen().native.unwrap().hint.contains("Hold still"));
    let fx = native(&mut flow, NativeInput::Frame(report(Verdict::HoldStill)));
    assert!(fx.is_empty(), "the same hint again draws nothing");
    let fx = native(&mut flow, NativeInput::Frame(report(Verdict::Blurry)));
    assert_eq!(fx, vec![Effect::Render]);
}

#[test]
fn native_failures_release_the_camera() {
    let (mut flow, _) = native_flow(&[], "");
    let fx = native(
        &mut flow,
        NativeInput::CameraFailed(crate::core::native::MediaError {
            name: "NotReadableError".into(),
            message: String::new(),
            device: crate::core::native::Device::Camera,
        }),
    );
    assert_eq!(failed_code(&fx), Some("Device.InUse"));
    assert!(stops_camera(&fx));

    for end in [
        Input::Cancel,
        Input::TimerFired {
            attempt: 1,
            timer: Timer::Inactivity,
        },
        Input::Destroy,
    ] {
        let (mut flow, _) = native_flow(&[], "");
        native(&mut flow, NativeInput::CameraReady);
        let fx = flow.step(end.clone());
        assert!(stops_camera(&fx), "{end:?} must stop the camera");
    }
}

#[test]
fn native_answers_without_upload_fields_are_invalid_sessions() {
    let mut flow = flow_with_kits(Lang::En);
    flow.step(Input::Start(config_with(&[("mode", "native")])));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: answer("allowed"),
        now_ms: NOW,
        seed: 1,
    });
    assert_eq!(failed_code(&fx), Some("Session.Invalid"));
}

#[test]
fn native_can_fall_back_to_the_hosted_page_when_the_host_allows_it() {
    let url = r#","url":"http://127.0.0.1:8081/capture/#/artifact=a1""#;
    let (mut flow, _) = native_flow(&[("fallback", "embed")], url);
    native(&mut flow, NativeInput::CameraReady);
    native(&mut flow, NativeInput::Shutter);
    native(&mut flow, NativeInput::Captured);
    native(&mut flow, NativeInput::Confirm);
    native(&mut flow, NativeInput::Uploaded(Ok(())));
    let fx = native(
        &mut flow,
        NativeInput::CameraFailed(crate::core::native::MediaError {
            name: "NotAllowedError".into(),
            message: String::new(),
            device: crate::core::native::Device::Camera,
        }),
    );
    assert!(stops_camera(&fx));
    assert!(fx.iter().any(|e| matches!(e, Effect::ShowFrame { .. })));
    assert_eq!(flow.surface(), Surface::Frame);
    assert_eq!(flow.state(), State::Capturing);
    assert_eq!(failed_code(&fx), None);
}

#[test]
fn a_failed_capture_is_shown_and_a_second_one_ends_typed() {
    let (mut flow, _) = native_flow(&[], "");
    native(&mut flow, NativeInput::CameraReady);
    assert_eq!(flow.screen().message, "");
    native(&mut flow, NativeInput::Shutter);
    let fx = native(&mut flow, NativeInput::CaptureFailed);
    assert!(fx.contains(&Effect::Render));
    assert_eq!(failed_code(&fx), None);
    let screen = flow.screen();
    assert_eq!(screen.title, "Front of your ID document");
    assert_eq!(screen.message, "That didn't work — try again.");
    let (catalog, _) = Catalog::read(
        Lang::Nb,
        [("captureMissed", "Det fungerte ikke — prøv igjen.")]
            .map(|(k, v)| (k.to_string(), Value::Text(v.to_string()))),
    );
    flow.set_texts(Texts::new(Some(Rc::new(catalog)), Rc::default()));
    assert_eq!(flow.screen().message, "Det fungerte ikke — prøv igjen.");
    flow.set_texts(Texts::default());

    native(&mut flow, NativeInput::CameraReady);
    native(&mut flow, NativeInput::Shutter);
    let fx = native(&mut flow, NativeInput::CaptureFailed);
    assert!(stops_camera(&fx));
    let report = emitted(&fx).into_iter().find_map(|e| match e {
        Emit::Failed(r) => Some(r),
        _ => None,
    });
    let report = report.expect("the second failure in a row is reported");
    assert_eq!(report.code, "Device.Unsupported");
    assert_eq!(
        report.detail,
        crate::core::failure::Detail::Reason { reason: "still" }
    );
    assert_eq!(flow.state(), State::Failed);
    assert!(flow.screen().native.is_none());
}

#[test]
fn a_second_failed_selfie_goes_to_the_hosted_page_when_allowed() {
    let url = r#","url":"http://127.0.0.1:8081/capture/#/artifact=a1""#;
    let (mut flow, _) = native_flow(&[("fallback", "embed")], url);
    native(&mut flow, NativeInput::CameraReady);
    native(&mut flow, NativeInput::Shutter);
    native(&mut flow, NativeInput::Captured);
    native(&mut flow, NativeInput::Confirm);
    native(&mut flow, NativeInput::Uploaded(Ok(())));
    // The answer lists front and selfie: the selfie's still fails twice.
    native(&mut flow, NativeInput::CameraReady);
    native(&mut flow, NativeInput::Shutter);
    native(&mut flow, NativeInput::CaptureFailed);
    native(&mut flow, NativeInput::CameraReady);
    native(&mut flow, NativeInput::Shutter);
    let fx = native(&mut flow, NativeInput::CaptureFailed);
    assert!(stops_camera(&fx));
    assert!(fx.iter().any(|e| matches!(e, Effect::ShowFrame { .. })));
    assert_eq!(flow.surface(), Surface::Frame);
    assert_eq!(failed_code(&fx), None);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn any_input() -> impl Strategy<Value = Input> {
        let attempt = 0u32..4;
        prop_oneof![
            Just(Input::Start(config_with(&[]))),
            Just(Input::Cancel),
            Just(Input::OpenFallback),
            attempt.clone().prop_map(|attempt| Input::SessionLoaded {
                attempt,
                answer: answer("allowed"),
                now_ms: NOW,
                seed: 1
            }),
            attempt.clone().prop_map(|attempt| Input::SessionLoaded {
                attempt,
                answer: Err(Failure::NetworkUnreachable),
                now_ms: NOW,
                seed: 1
            }),
            attempt
                .clone()
                .prop_map(|attempt| Input::FrameLoaded { attempt }),
            attempt.clone().prop_map(|attempt| Input::Returned {
                attempt,
                params: ret()
            }),
            attempt
                .clone()
                .prop_map(|attempt| Input::Activity { attempt }),
            attempt
                .clone()
                .prop_map(|attempt| Input::FrameUsed { attempt }),
            (
                attempt.clone(),
                prop_oneof![
                    Just(Timer::Load),
                    Just(Timer::Inactivity),
                    Just(Timer::Poll),
                    Just(Timer::ResultWait)
                ]
            )
                .prop_map(|(attempt, timer)| Input::TimerFired { attempt, timer }),
            attempt.clone().prop_map(|attempt| Input::ResultLoaded {
                attempt,
                result: process(r#"{"status":"accepted"}"#)
            }),
            attempt.clone().prop_map(|attempt| Input::ResultLoaded {
                attempt,
                result: process(r#"{"status":"processing"}"#)
            }),
            attempt
                .clone()
                .prop_map(|attempt| Input::PopupBlocked { attempt }),
            attempt.prop_map(|attempt| Input::PopupClosed { attempt }),
        ]
    }

    proptest! {
        /// Whatever happens, in whatever order: completion is announced at most
        /// once per attempt, the frame is only ever shown while capturing, every
        /// state change is announced, and the failure screen always matches.
        #[test]
        fn invariants_hold_for_any_input_sequence(inputs in proptest::collection::vec(any_input(), 0..40)) {
            let mut flow = flow_with_kits(Lang::En);
            let mut completes = HashMap::<u32, u32>::new();
            for input in inputs {
                let before = flow.state();
                let fx = flow.step(input);
                for e in &fx {
                    if let Effect::Emit(Emit::Complete(_)) = e {
                        *completes.entry(flow.attempt()).or_default() += 1;
                    }
                    if let Effect::ShowFrame { .. } = e {
                        prop_assert_eq!(flow.state(), State::Capturing);
                    }
                }
                if before != flow.state() {
                    let announced = emitted(&fx).contains(&Emit::State { state: flow.state(), previous: before });
                    prop_assert!(announced);
                }
                prop_assert_eq!(flow.state() == State::Failed && flow.failure().is_none(), false);
                if flow.surface() != Surface::None {
                    prop_assert_eq!(flow.state(), State::Capturing);
                }
            }
            prop_assert!(completes.values().all(|n| *n <= 1));
        }
    }
}

#[test]
fn every_button_sends_its_input_and_only_start_and_retry_read_the_configuration() {
    let read = std::cell::Cell::new(0);
    let config = || {
        read.set(read.get() + 1);
        config_with(&[])
    };
    assert!(matches!(
        Action::Start.input(3, config),
        Input::Start(Ok(_))
    ));
    assert!(matches!(
        Action::Retry.input(3, config),
        Input::Start(Ok(_))
    ));
    assert!(matches!(
        Action::Fallback.input(3, config),
        Input::OpenFallback
    ));
    assert!(matches!(Action::Cancel.input(3, config), Input::Cancel));
    for (action, expected) in [
        (Action::Capture, NativeInput::Shutter),
        (Action::Retake, NativeInput::Retake),
        (Action::Confirm, NativeInput::Confirm),
        (Action::SwitchCamera, NativeInput::SwitchCamera),
    ] {
        match action.input(3, config) {
            Input::Native { attempt, input } => {
                assert_eq!((attempt, input), (3, expected));
            }
            other => panic!("{action:?} sent {other:?}"),
        }
    }
    assert_eq!(read.get(), 2, "only start and retry read the attributes");
}

/// The chunks asked for among `fx`.
fn chunks_asked(fx: &[Effect]) -> Vec<Chunk> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadChunk { chunk, .. } => Some(*chunk),
            _ => None,
        })
        .collect()
}

#[test]
fn a_run_waits_for_its_chunk_which_is_asked_for_with_the_session() {
    let mut flow = Flow::new(Lang::En);
    let fx = flow.step(Input::Start(config_with(&[("mode", "native")])));
    assert_eq!(chunks_asked(&fx), [Chunk::Native], "asked for at once");
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::FetchSession { mode: "native", .. })));
    assert_eq!(flow.waiting_for(), Some(Chunk::Native));
    // The answer first: the run waits for its chunk, still loading.
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: native_answer(""),
        now_ms: NOW,
        seed: 1,
    });
    assert!(fx.is_empty(), "nothing begins without the chunk: {fx:?}");
    assert_eq!(flow.state(), State::Loading);
    // A chunk for an earlier attempt begins nothing (but is kept).
    assert!(flow
        .step(Input::ChunkLoaded {
            attempt: 0,
            kit: Ok(&native::KIT),
        })
        .is_empty());
    assert_eq!(flow.state(), State::Loading);
    let fx = flow.step(Input::ChunkLoaded {
        attempt: 1,
        kit: Ok(&native::KIT),
    });
    assert_eq!(flow.state(), State::Capturing);
    assert_eq!(flow.surface(), Surface::Native);
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::Native {
            effect: NativeEffect::OpenCamera { .. },
            ..
        }
    )));
    // Once there, the next attempt does not ask again.
    flow.step(Input::Cancel);
    let fx = flow.step(Input::Start(config_with(&[("mode", "native")])));
    assert!(chunks_asked(&fx).is_empty());
}

#[test]
fn a_chunk_that_comes_first_waits_for_the_answer() {
    let mut flow = Flow::new(Lang::En);
    flow.step(Input::Start(config_with(&[("mode", "sdk")])));
    let fx = flow.step(Input::ChunkLoaded {
        attempt: 1,
        kit: Ok(&sdk::KIT),
    });
    assert!(fx.is_empty());
    assert_eq!(flow.state(), State::Loading);
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: Ok(serde_json::from_str(
            r#"{"dossierId":"d1","processId":"p1","authorization":"t",
               "sdkUrl":"http://127.0.0.1:8081/provider/js/videoid.js","idType":62}"#,
        )
        .unwrap()),
        now_ms: NOW,
        seed: 1,
    });
    assert_eq!(flow.surface(), Surface::Sdk);
    assert!(fx.contains(&Effect::Sdk {
        attempt: 1,
        effect: crate::core::sdk::SdkEffect::CheckDevices
    }));
}

#[test]
fn a_chunk_that_cannot_be_had_is_a_recoverable_network_failure_and_retry_asks_again() {
    let mut flow = Flow::new(Lang::En);
    flow.step(Input::Start(config_with(&[("mode", "native")])));
    let fx = flow.step(Input::ChunkLoaded {
        attempt: 1,
        kit: Err(Failure::NetworkUnreachable),
    });
    assert_eq!(failed_code(&fx), Some("Network.Unreachable"));
    assert_eq!(flow.state(), State::Failed);
    assert!(flow
        .screen()
        .actions
        .iter()
        .any(|(a, _)| *a == Action::Retry));
    // The session answer of the failed attempt changes nothing.
    assert!(flow
        .step(Input::SessionLoaded {
            attempt: 1,
            answer: native_answer(""),
            now_ms: NOW,
            seed: 1,
        })
        .is_empty());
    let fx = flow.step(Input::Start(config_with(&[("mode", "native")])));
    assert_eq!(chunks_asked(&fx), [Chunk::Native]);
}

#[test]
fn the_hosted_page_and_a_refused_session_need_no_chunk() {
    for mode in ["embed", "auto"] {
        let mut flow = Flow::new(Lang::En);
        let fx = flow.step(Input::Start(config_with(&[("mode", mode)])));
        assert!(chunks_asked(&fx).is_empty(), "{mode}");
        assert_eq!(flow.waiting_for(), None);
        let fx = flow.step(Input::SessionLoaded {
            attempt: 1,
            answer: answer("allowed"),
            now_ms: NOW,
            seed: 1,
        });
        assert!(
            fx.iter().any(|e| matches!(e, Effect::ShowFrame { .. })),
            "{mode}"
        );
    }
    // A native session the backend refused fails without waiting for the chunk.
    let mut flow = Flow::new(Lang::En);
    flow.step(Input::Start(config_with(&[("mode", "native")])));
    let fx = flow.step(Input::SessionLoaded {
        attempt: 1,
        answer: Err(Failure::BackendError {
            status: 500,
            retry_after: None,
        }),
        now_ms: NOW,
        seed: 1,
    });
    assert_eq!(failed_code(&fx), Some("Backend.Error"));
}

#[test]
fn the_handoff_asks_for_its_chunk_beside_the_link() {
    let mut flow = Flow::new(Lang::En);
    let fx = flow.step(Input::Start(config_with(&[("handoff", "always")])));
    assert_eq!(chunks_asked(&fx), [Chunk::Handoff]);
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::Handoff { method: "POST", .. })));
    let link = r#"{"id":"h1","url":"http://localhost:8080/videoid/handoff?t=AbCdEfGhIjKlMnOpQrStUv","expiresIn":600}"#;
    let fx = flow.step(Input::HandoffAnswered {
        attempt: 1,
        answer: Ok(serde_json::from_str(link).unwrap()),
    });
    assert!(fx.is_empty());
    let fx = flow.step(Input::ChunkLoaded {
        attempt: 1,
        kit: Ok(&handoff::KIT),
    });
    assert_eq!(flow.surface(), Surface::Handoff);
    assert!(emitted(&fx).contains(&Emit::Handoff("waiting")));
    assert_eq!(flow.screen().step.as_deref(), Some("handoff"));
}

#[test]
fn the_api_sources_states_and_steps_are_the_cores() {
    use crate::core::native::Step;
    // No wildcard: a new state or step does not compile until it is listed here.
    let state_name = |s: State| match s {
        State::Idle
        | State::Loading
        | State::Capturing
        | State::Completing
        | State::Complete
        | State::Failed
        | State::Cancelled => s.as_str(),
    };
    let step_name = |s: Step| match s {
        Step::Front | Step::Back | Step::Selfie | Step::Video => s.as_str(),
    };
    let states = [
        State::Idle,
        State::Loading,
        State::Capturing,
        State::Completing,
        State::Complete,
        State::Failed,
        State::Cancelled,
    ]
    .map(state_name);
    // `upload`: the step attribute while a native capture sends its files.
    let steps = [Step::Front, Step::Back, Step::Selfie, Step::Video].map(step_name);
    let api: serde_json::Value =
        serde_json::from_str(include_str!("../../../api/videoid-capture.json"))
            .expect("api/videoid-capture.json is JSON");
    let listed = |key: &str| -> Vec<String> {
        api[key]["values"]
            .as_array()
            .unwrap_or_else(|| panic!("the source lists its {key}"))
            .iter()
            .map(|v| v.as_str().expect("a value is a string").to_string())
            .collect()
    };
    assert_eq!(listed("states"), states);
    assert_eq!(listed("steps"), [&steps[..], &["upload"]].concat());
    // `queue` and `interview`: an attended SDK session's wait and call, in the
    // `step` property's type beside the native steps.
    let step = api["attributes"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["name"] == "step"))
        .expect("the source has the step attribute");
    let typed = step["propertyType"].as_str().expect("step has its type");
    for name in crate::core::sdk::ATTENDED_STEPS {
        assert!(typed.contains(&format!("\"{name}\"")), "{name} in {typed}");
    }
}

fn zone_valid(card_back: bool, expired: bool) -> crate::core::native::Zone {
    crate::core::native::Zone::Valid(crate::core::native::ZoneRead {
        card_back,
        expired,
        fields: r#"{"surname":"ERIKSSON"}"#.into(),
    })
}

/// The `document` of the `videoid-step` a capture of the front emits, after `zone`.
fn step_document(extra_config: &[(&str, &str)], zone: crate::core::native::Zone) -> Option<String> {
    let (mut flow, _) = native_flow(extra_config, "");
    native(&mut flow, NativeInput::CameraReady);
    native(&mut flow, NativeInput::Zone(zone));
    native(&mut flow, NativeInput::Shutter);
    let fx = native(&mut flow, NativeInput::Captured);
    emitted(&fx).iter().find_map(|e| match e {
        Emit::Step { document, .. } => Some(document.clone()),
        _ => None,
    })?
}

#[test]
fn the_step_event_says_only_read_valid_expired_unless_the_host_asks_for_the_fields() {
    use crate::core::native::Zone;
    assert_eq!(
        step_document(&[], zone_valid(false, true)).as_deref(),
        Some(r#"{"read":true,"valid":true,"expired":true}"#)
    );
    assert_eq!(
        step_document(&[], Zone::Unreadable).as_deref(),
        Some(r#"{"read":true,"valid":false,"expired":false}"#)
    );
    assert_eq!(
        step_document(&[], Zone::Absent).as_deref(),
        Some(r#"{"read":false,"valid":false,"expired":false}"#)
    );
    assert_eq!(
        step_document(&[("expose-mrz", "")], zone_valid(false, false)).as_deref(),
        Some(r#"{"read":true,"valid":true,"expired":false,"mrz":{"surname":"ERIKSSON"}}"#)
    );
    assert_eq!(
        step_document(&[("expose-mrz", "")], Zone::Unreadable).as_deref(),
        Some(r#"{"read":true,"valid":false,"expired":false}"#),
        "no fields without a valid read"
    );
    // The reader never ran (a selfie, or its chunk did not load): null.
    let (mut flow, _) = native_flow(&[], "");
    native(&mut flow, NativeInput::CameraReady);
    native(&mut flow, NativeInput::Shutter);
    let fx = native(&mut flow, NativeInput::Captured);
    assert!(emitted(&fx)
        .iter()
        .any(|e| matches!(e, Emit::Step { document: None, .. })));
}

#[test]
fn the_zone_hints_show_on_screen_in_order_of_urgency() {
    use crate::core::native::Zone;
    let (mut flow, _) = native_flow(&[], "");
    native(&mut flow, NativeInput::CameraReady);
    let hint = |flow: &Flow| flow.screen().native.unwrap().hint;
    assert_eq!(
        hint(&flow),
        "Place the front of your ID document inside the frame."
    );
    native(&mut flow, NativeInput::Zone(Zone::Unreadable));
    assert_eq!(
        hint(&flow),
        "The text at the bottom cannot be read yet. Hold still, avoid glare."
    );
    let glare = crate::core::quality::Report {
        sharpness: 300.0,
        brightness: 120.0,
        glare: 0.2,
        motion: 0.5,
        fill: 0.6,
        verdict: crate::core::quality::Verdict::Glare,
    };
    native(&mut flow, NativeInput::Frame(glare));
    assert_eq!(
        hint(&flow),
        "Glare on the document. Tilt the card a little.",
        "the picture first"
    );
    native(&mut flow, NativeInput::Zone(zone_valid(true, false)));
    assert_eq!(
        hint(&flow),
        "This is the back. Turn the card over.",
        "a wrong side before the picture"
    );
    native(&mut flow, NativeInput::Zone(zone_valid(false, true)));
    assert_eq!(hint(&flow), "This document has expired. Use a valid one.");
    // The screen is drawn again when a zone reading changes the hint.
    let fx = native(&mut flow, NativeInput::Zone(zone_valid(false, false)));
    assert_eq!(
        fx,
        vec![Effect::Render],
        "a reading that changes the hint is drawn"
    );
    assert_eq!(
        hint(&flow),
        "Glare on the document. Tilt the card a little."
    );
    let fx = native(&mut flow, NativeInput::Zone(zone_valid(false, false)));
    assert!(fx.is_empty(), "the same reading again draws nothing");
}
