//! The failure taxonomy: every way a capture can end badly, as one enum.
//!
//! Codes follow Assure's `Category.Reason` style and are the same strings as
//! the `Failure["code"]` union in the package's `.d.ts`.

use serde::{Deserialize, Serialize};

use super::i18n::{Text, Texts};

/// The provider's own reason for a failed process (`failReason` in Get process).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderFailReason {
    /// The provider's id for the reason, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The reason in `Category.Reason` form, e.g. `InactiveUser.Aborted`.
    #[serde(rename = "type", default, deserialize_with = "null_as_empty")]
    pub kind: String,
    /// The provider's human text.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub message: String,
}

/// A string that may be `null`, read as empty.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// Why a capture session was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionProblem {
    /// The backend's answer did not have the expected shape.
    MalformedAnswer,
    /// The capture URL is not an absolute `https:` URL (or `http:` on loopback).
    BadUrl,
    /// The capture URL's origin is not in `allowed-origins`.
    OriginNotAllowed,
    /// A dossier or process id has characters or a length ids never have.
    BadId,
}

impl SessionProblem {
    fn as_str(self) -> &'static str {
        match self {
            SessionProblem::MalformedAnswer => "malformed-answer",
            SessionProblem::BadUrl => "bad-url",
            SessionProblem::OriginNotAllowed => "origin-not-allowed",
            SessionProblem::BadId => "bad-id",
        }
    }
}

/// Why no agent took the call (attended VideoID, `Agent.Unavailable`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentAbsence {
    /// No agent picked up within `agent-timeout`.
    Timeout,
    /// The service is closed (agents offline, outside opening hours); when it
    /// opens again (ISO 8601), when the provider says.
    Closed(Option<String>),
}

/// The part of the device that kept failing when a native capture gave up on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevicePart {
    /// `MediaRecorder`: it is missing, broke, or handed back an empty recording.
    Recorder,
    /// Taking a still from the preview.
    Still,
}

impl DevicePart {
    fn as_str(self) -> &'static str {
        match self {
            DevicePart::Recorder => "recorder",
            DevicePart::Still => "still",
        }
    }
}

/// Every way a capture can fail, with what the host needs to react.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// An attribute or option is invalid; `field` names it.
    ConfigInvalid {
        /// The attribute's name, e.g. `inactivity-timeout`.
        field: &'static str,
    },
    /// The capture session or URL cannot be used.
    SessionInvalid(SessionProblem),
    /// The capture session expired before it was used.
    SessionExpired,
    /// The backend could not be reached.
    NetworkUnreachable,
    /// The backend answered with a non-2xx status.
    BackendError {
        /// The HTTP status.
        status: u16,
        /// Seconds the backend asks to wait before trying again (`Retry-After` of a `429` or
        /// `503`), when it says.
        retry_after: Option<u32>,
    },
    /// The hosted capture page did not load in time, or refuses to be framed here.
    CaptureLoadTimeout {
        /// True when the backend reported that the page forbids framing by this site.
        framing_denied: bool,
    },
    /// The provider ended the process as failed.
    CaptureFailed(Option<ProviderFailReason>),
    /// VideoID's web SDK did not load (a load error or the load timeout).
    SdkLoad,
    /// Attended: no agent took the call.
    AgentUnavailable(AgentAbsence),
    /// Attended: the call with the agent dropped and did not come back.
    AgentDisconnected,

    /// No interaction for the inactivity timeout.
    InactiveUserAborted,
    /// The user left the flow.
    UserCancelled,
    /// The user or browser denied the camera.
    CameraDenied,
    /// The user or browser denied the microphone.
    MicrophoneDenied,
    /// A permissions policy or the frame's `allow` list forbids the device.
    BlockedByPolicy,
    /// No device of the needed kind.
    DeviceNotFound,
    /// The device is used by another application.
    DeviceInUse,
    /// The browser refuses the media request as unsupported, cannot record, or
    /// a part of the device kept failing (named when known).
    DeviceUnsupported(Option<DevicePart>),
    /// The page is not a secure context.
    InsecureContext,
    /// The browser lacks a needed feature.
    BrowserUnsupported,
}

/// Extra facts about a failure, as sent in the `detail` of `videoid-failed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Detail {
    /// Which attribute is invalid.
    Field {
        /// The attribute's name.
        field: &'static str,
    },
    /// The backend's HTTP status, and how long it asks to wait when it says (a rate
    /// limit's `429`).
    Status {
        /// The HTTP status.
        status: u16,
        /// Seconds to wait before starting again.
        #[serde(rename = "retryAfter", skip_serializing_if = "Option::is_none")]
        retry_after: Option<u32>,
    },
    /// Why the session was refused, or why the page did not load.
    Reason {
        /// A short machine-readable reason.
        reason: &'static str,
    },
    /// The provider's own reason.
    Provider(ProviderFailReason),
    /// Why no agent took the call, and when the service opens again if known.
    Agent {
        /// `timeout` or `closed`.
        reason: &'static str,
        /// ISO 8601, with `closed` when the provider says.
        #[serde(rename = "opensAt", skip_serializing_if = "Option::is_none")]
        opens_at: Option<String>,
    },

    /// Nothing more to say.
    None,
}

/// The `detail` object of a `videoid-failed` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureReport {
    /// The failure code, e.g. `Backend.Error`.
    pub code: &'static str,
    /// A localised explanation for people; never holds tokens or URLs.
    pub message: String,
    /// Whether starting again may succeed.
    pub recoverable: bool,
    /// Machine-readable extras.
    pub detail: Detail,
}

impl Failure {
    /// The code, as in the `.d.ts`.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::ConfigInvalid { .. } => "Config.Invalid",
            Failure::SessionInvalid(_) => "Session.Invalid",
            Failure::SessionExpired => "Session.Expired",
            Failure::NetworkUnreachable => "Network.Unreachable",
            Failure::BackendError { .. } => "Backend.Error",
            Failure::CaptureLoadTimeout { .. } => "Capture.LoadTimeout",
            Failure::CaptureFailed(_) => "Capture.Failed",
            Failure::SdkLoad => "Capture.LoadTimeout",
            Failure::AgentUnavailable(_) => "Agent.Unavailable",
            Failure::AgentDisconnected => "Agent.Disconnected",
            Failure::InactiveUserAborted => "InactiveUser.Aborted",
            Failure::UserCancelled => "User.Cancelled",
            Failure::CameraDenied => "Permission.CameraDenied",
            Failure::MicrophoneDenied => "Permission.MicrophoneDenied",
            Failure::BlockedByPolicy => "Permission.BlockedByPolicy",
            Failure::DeviceNotFound => "Device.NotFound",
            Failure::DeviceInUse => "Device.InUse",
            Failure::DeviceUnsupported(_) => "Device.Unsupported",
            Failure::InsecureContext => "Browser.InsecureContext",
            Failure::BrowserUnsupported => "Browser.Unsupported",
        }
    }

    /// Whether starting again (with nothing else changed) may succeed.
    pub fn recoverable(&self) -> bool {
        match self {
            Failure::ConfigInvalid { .. }
            | Failure::SessionInvalid(_)
            | Failure::InsecureContext
            | Failure::BrowserUnsupported
            | Failure::DeviceUnsupported(_)
            | Failure::BlockedByPolicy => false,
            Failure::BackendError { status, .. } => {
                *status >= 500 || *status == 408 || *status == 429
            }
            _ => true,
        }
    }

    /// The key of what the user reads.
    pub fn text(&self) -> Text {
        match self {
            Failure::ConfigInvalid { .. } => Text::FailConfig,
            Failure::SessionInvalid(_) => Text::FailSessionInvalid,
            Failure::SessionExpired => Text::FailSessionExpired,
            Failure::NetworkUnreachable => Text::FailNetwork,
            Failure::BackendError { .. } => Text::FailBackend,
            Failure::CaptureLoadTimeout { .. } => Text::FailLoadTimeout,
            Failure::CaptureFailed(_) => Text::FailCapture,
            Failure::SdkLoad => Text::FailLoadTimeout,
            Failure::AgentUnavailable(_) => Text::FailAgentUnavailable,
            Failure::AgentDisconnected => Text::FailAgentDisconnected,
            Failure::InactiveUserAborted => Text::FailInactive,
            Failure::UserCancelled => Text::FailCancelled,
            Failure::CameraDenied => Text::FailCameraDenied,
            Failure::MicrophoneDenied => Text::FailMicrophoneDenied,
            Failure::BlockedByPolicy => Text::FailBlockedByPolicy,
            Failure::DeviceNotFound => Text::FailDeviceNotFound,
            Failure::DeviceInUse => Text::FailDeviceInUse,
            Failure::DeviceUnsupported(_) => Text::FailDeviceUnsupported,
            Failure::InsecureContext => Text::FailInsecureContext,
            Failure::BrowserUnsupported => Text::FailBrowserUnsupported,
        }
    }

    /// What the user reads, in the element's texts.
    pub fn message<'t>(&self, texts: &'t Texts) -> &'t str {
        texts.get(self.text())
    }

    /// Machine-readable extras for the host.
    pub fn detail(&self) -> Detail {
        match self {
            Failure::ConfigInvalid { field } => Detail::Field { field },
            Failure::SessionInvalid(problem) => Detail::Reason {
                reason: problem.as_str(),
            },
            Failure::BackendError {
                status,
                retry_after,
            } => Detail::Status {
                status: *status,
                retry_after: *retry_after,
            },
            Failure::CaptureLoadTimeout { framing_denied } => Detail::Reason {
                reason: if *framing_denied {
                    "framing-denied"
                } else {
                    "timeout"
                },
            },
            Failure::CaptureFailed(Some(reason)) => Detail::Provider(reason.clone()),
            Failure::SdkLoad => Detail::Reason { reason: "sdk-load" },
            Failure::AgentUnavailable(AgentAbsence::Timeout) => Detail::Agent {
                reason: "timeout",
                opens_at: None,
            },
            Failure::AgentUnavailable(AgentAbsence::Closed(opens_at)) => Detail::Agent {
                reason: "closed",
                opens_at: opens_at.clone(),
            },
            Failure::DeviceUnsupported(Some(part)) => Detail::Reason {
                reason: part.as_str(),
            },
            _ => Detail::None,
        }
    }

    /// The `detail` of the `videoid-failed` event.
    pub fn report(&self, texts: &Texts) -> FailureReport {
        FailureReport {
            code: self.code(),
            message: self.message(texts).to_string(),
            recoverable: self.recoverable(),
            detail: self.detail(),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn all() -> Vec<Failure> {
        vec![
            Failure::ConfigInvalid { field: "mode" },
            Failure::SessionInvalid(SessionProblem::BadUrl),
            Failure::SessionExpired,
            Failure::NetworkUnreachable,
            Failure::BackendError {
                status: 500,
                retry_after: None,
            },
            Failure::CaptureLoadTimeout {
                framing_denied: false,
            },
            Failure::CaptureFailed(None),
            Failure::AgentUnavailable(AgentAbsence::Timeout),
            Failure::AgentDisconnected,
            Failure::InactiveUserAborted,
            Failure::UserCancelled,
            Failure::CameraDenied,
            Failure::MicrophoneDenied,
            Failure::BlockedByPolicy,
            Failure::DeviceNotFound,
            Failure::DeviceInUse,
            Failure::DeviceUnsupported(None),
            Failure::InsecureContext,
            Failure::BrowserUnsupported,
        ]
    }

    /// Which of `all()` stands for `f`'s variant. No wildcard: a new variant does
    /// not compile until it is placed here, and the test below then asks for it in `all()`.
    fn sample_of(f: &Failure) -> usize {
        match f {
            Failure::ConfigInvalid { .. } => 0,
            Failure::SessionInvalid(_) => 1,
            Failure::SessionExpired => 2,
            Failure::NetworkUnreachable => 3,
            Failure::BackendError { .. } => 4,
            // The web SDK's script did not load: a load timeout with its own reason.
            Failure::CaptureLoadTimeout { .. } | Failure::SdkLoad => 5,
            Failure::CaptureFailed(_) => 6,
            Failure::AgentUnavailable(_) => 7,
            Failure::AgentDisconnected => 8,
            Failure::InactiveUserAborted => 9,
            Failure::UserCancelled => 10,
            Failure::CameraDenied => 11,
            Failure::MicrophoneDenied => 12,
            Failure::BlockedByPolicy => 13,
            Failure::DeviceNotFound => 14,
            Failure::DeviceInUse => 15,
            Failure::DeviceUnsupported(_) => 16,
            Failure::InsecureContext => 17,
            Failure::BrowserUnsupported => 18,
        }
    }

    #[test]
    fn the_api_source_lists_exactly_these_failures() {
        let all = all();
        let samples: Vec<usize> = all.iter().map(sample_of).collect();
        assert_eq!(
            samples,
            (0..all.len()).collect::<Vec<_>>(),
            "all() has one failure per variant, in order"
        );
        assert_eq!(
            sample_of(&Failure::SdkLoad),
            sample_of(&Failure::CaptureLoadTimeout {
                framing_denied: false
            })
        );
        assert_eq!(Failure::SdkLoad.code(), "Capture.LoadTimeout");

        let api: serde_json::Value =
            serde_json::from_str(include_str!("../../api/videoid-capture.json"))
                .expect("api/videoid-capture.json is JSON");
        let listed = api["failures"].as_array().expect("failures");
        let codes: Vec<&str> = listed
            .iter()
            .map(|f| f["code"].as_str().expect("a failure has its code"))
            .collect();
        let core: Vec<&str> = all.iter().map(Failure::code).collect();
        assert_eq!(
            codes, core,
            "the source's failure codes are the core's, in order"
        );
        for (failure, entry) in all.iter().zip(listed) {
            // `recoverable` is true or false, or words where it depends (Backend.Error's status).
            match entry["recoverable"].as_bool() {
                Some(recoverable) => {
                    assert_eq!(recoverable, failure.recoverable(), "{}", failure.code())
                }
                None => assert!(
                    entry["recoverable"].is_string()
                        && matches!(failure, Failure::BackendError { .. }),
                    "{}: recoverable is true or false",
                    failure.code()
                ),
            }
            // The troubleshooting table quotes the text the user read.
            assert_eq!(
                entry["text"].as_str(),
                Some(failure.text().key()),
                "{}: text",
                failure.code()
            );
            // `detail` is null exactly for the failures whose detail is always null.
            let always_null = matches!(failure.detail(), Detail::None)
                && !matches!(
                    failure,
                    Failure::CaptureFailed(_)
                        | Failure::DeviceUnsupported(_)
                        | Failure::BrowserUnsupported
                );
            assert_eq!(
                entry["detail"].is_null(),
                always_null,
                "{}: detail",
                failure.code()
            );
        }
    }

    #[test]
    fn codes_are_unique_and_in_category_reason_form() {
        let codes: Vec<_> = all().iter().map(Failure::code).collect();
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        for code in codes {
            let (cat, reason) = code.split_once('.').unwrap();
            assert!(cat.chars().next().unwrap().is_ascii_uppercase(), "{code}");
            assert!(
                reason.chars().next().unwrap().is_ascii_uppercase(),
                "{code}"
            );
        }
    }

    #[test]
    fn every_failure_has_its_own_message() {
        let texts = Texts::default();
        let keys: std::collections::HashSet<Text> = all().iter().map(Failure::text).collect();
        for f in all() {
            assert!(!f.message(&texts).is_empty(), "{}", f.code());
        }
        assert_eq!(keys.len(), all().len(), "one text per failure");
    }

    #[test]
    fn recoverability_follows_the_cause() {
        assert!(Failure::BackendError {
            status: 503,
            retry_after: None
        }
        .recoverable());
        assert!(!Failure::BackendError {
            status: 400,
            retry_after: None
        }
        .recoverable());
        assert!(Failure::NetworkUnreachable.recoverable());
        assert!(!Failure::ConfigInvalid { field: "mode" }.recoverable());
        assert!(Failure::CaptureLoadTimeout {
            framing_denied: true
        }
        .recoverable());
    }

    #[test]
    fn the_sdk_load_failure_is_a_load_timeout_with_its_reason() {
        let json = |f: Failure| serde_json::to_value(f.report(&Texts::default())).unwrap();
        let v = json(Failure::SdkLoad);
        assert_eq!(v["code"], "Capture.LoadTimeout");
        assert_eq!(v["detail"]["reason"], "sdk-load");
        assert_eq!(v["recoverable"], true);
        assert_eq!(Failure::SdkLoad.text(), Text::FailLoadTimeout);
    }

    #[test]
    fn agent_failures_are_recoverable_with_their_reason() {
        let json = |f: Failure| serde_json::to_value(f.report(&Texts::default())).unwrap();
        let v = json(Failure::AgentUnavailable(AgentAbsence::Timeout));
        assert_eq!(v["code"], "Agent.Unavailable");
        assert_eq!(v["detail"], serde_json::json!({ "reason": "timeout" }));
        assert_eq!(v["recoverable"], true);
        let v = json(Failure::AgentUnavailable(AgentAbsence::Closed(Some(
            "2026-12-08T09:00:00Z".into(),
        ))));
        assert_eq!(
            v["detail"],
            serde_json::json!({ "reason": "closed", "opensAt": "2026-12-08T09:00:00Z" })
        );
        let v = json(Failure::AgentUnavailable(AgentAbsence::Closed(None)));
        assert_eq!(v["detail"], serde_json::json!({ "reason": "closed" }));
        let v = json(Failure::AgentDisconnected);
        assert_eq!(v["code"], "Agent.Disconnected");
        assert!(v["detail"].is_null());
        assert_eq!(v["recoverable"], true);
        assert_eq!(
            Failure::AgentUnavailable(AgentAbsence::Timeout).text(),
            Text::FailAgentUnavailable
        );
        assert_eq!(
            Failure::AgentDisconnected.text(),
            Text::FailAgentDisconnected
        );
    }

    #[test]
    fn a_rate_limit_says_how_long_to_wait() {
        let json = |f: Failure| serde_json::to_value(f.report(&Texts::default())).unwrap();
        let limited = Failure::BackendError {
            status: 429,
            retry_after: Some(7),
        };
        let v = json(limited.clone());
        assert_eq!(v["code"], "Backend.Error");
        assert_eq!(
            v["detail"],
            serde_json::json!({ "status": 429, "retryAfter": 7 })
        );
        assert_eq!(v["recoverable"], true);
        assert_eq!(limited.text(), Text::FailBackend);
        let plain = json(Failure::BackendError {
            status: 429,
            retry_after: None,
        });
        assert_eq!(plain["detail"], serde_json::json!({ "status": 429 }));
    }

    #[test]
    fn details_serialise_as_the_dts_says() {
        let json = |f: Failure| serde_json::to_value(f.report(&Texts::default())).unwrap();
        let v = json(Failure::ConfigInvalid {
            field: "load-timeout",
        });
        assert_eq!(v["code"], "Config.Invalid");
        assert_eq!(v["detail"]["field"], "load-timeout");
        assert_eq!(v["recoverable"], false);
        assert_eq!(
            json(Failure::BackendError {
                status: 502,
                retry_after: None
            })["detail"]["status"],
            502
        );
        assert_eq!(
            json(Failure::CaptureLoadTimeout {
                framing_denied: true
            })["detail"]["reason"],
            "framing-denied"
        );
        let reason = ProviderFailReason {
            id: None,
            kind: "InactiveUser.Aborted".into(),
            message: "There has been no interaction with the video".into(),
        };
        let v = json(Failure::CaptureFailed(Some(reason)));
        assert_eq!(v["detail"]["type"], "InactiveUser.Aborted");
        assert!(v["detail"].get("id").is_none());
        assert!(json(Failure::SessionExpired)["detail"].is_null());
        let v = json(Failure::DeviceUnsupported(Some(DevicePart::Recorder)));
        assert_eq!(v["code"], "Device.Unsupported");
        assert_eq!(v["detail"]["reason"], "recorder");
        assert_eq!(v["recoverable"], false);
        assert_eq!(
            json(Failure::DeviceUnsupported(Some(DevicePart::Still)))["detail"]["reason"],
            "still"
        );
        assert!(json(Failure::DeviceUnsupported(None))["detail"].is_null());
    }
}
