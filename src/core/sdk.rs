//! `mode="sdk"`: VideoID's own web SDK inside the element. The session it
//! starts with, checked; the stages the adapter goes through (devices, script,
//! run); the SDK's phase names as steps; its errors as typed failures.

use super::config::Config;
use super::contract::{CaptureSession, Id, SessionAnswer};
use super::failure::{AgentAbsence, Failure, ProviderFailReason, SessionProblem};
use super::native::MediaError;
use super::origin::HttpUrl;

/// The longest `authorization` accepted (the SDK's token is far shorter).
pub const MAX_AUTHORIZATION_LEN: usize = 4096;

/// The steps of an attended session before the agent's phases: the wait for
/// an agent, then the call.
pub const ATTENDED_STEPS: [&str; 2] = ["queue", "interview"];

/// The longest step name a phase maps to.
pub const MAX_STEP_LEN: usize = 32;

/// Which of VideoID's web SDKs the session runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkFlow {
    /// `videoid.js`, `EID.videoId`: the user captures alone.
    Unattended,
    /// `videoidattended.js`, `EID.videoIDAttended`: a live interview with an agent.
    Attended,
}

impl SdkFlow {
    /// The answer's `flow`: absent is `unattended` (older backends); `None` for
    /// any other value.
    pub fn parse(flow: Option<&str>) -> Option<SdkFlow> {
        match flow {
            None | Some("unattended") => Some(SdkFlow::Unattended),
            Some("attended") => Some(SdkFlow::Attended),
            Some(_) => None,
        }
    }

    /// How the path of its script ends.
    pub fn script(self) -> &'static str {
        match self {
            SdkFlow::Unattended => "/js/videoid.js",
            SdkFlow::Attended => "/js/videoidattended.js",
        }
    }

    /// The function of `window.EID` that starts it.
    pub fn global(self) -> &'static str {
        match self {
            SdkFlow::Unattended => "videoId",
            SdkFlow::Attended => "videoIDAttended",
        }
    }
}

/// An SDK session that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkSession {
    /// The dossier.
    pub dossier_id: Id,
    /// The VideoID process the SDK captures for.
    pub process_id: Id,
    /// The process's single-use token for the SDK's `start()`.
    pub authorization: String,
    /// Where the SDK's script is (an allowed origin).
    pub sdk_url: HttpUrl,
    /// The VideoID document-type id (`idType` of `start()`).
    pub id_type: u32,
    /// Which SDK runs.
    pub flow: SdkFlow,
}

impl SdkSession {
    /// Checks an SDK backend answer against the configuration at time `now_ms` (Unix ms).
    pub fn from_answer(
        answer: &SessionAnswer,
        config: &Config,
        now_ms: f64,
    ) -> Result<SdkSession, Failure> {
        let malformed = Failure::SessionInvalid(SessionProblem::MalformedAnswer);
        let given = answer.flow.as_deref();
        let flow = SdkFlow::parse(given).ok_or(malformed.clone())?;
        // The script's URL is checked as a capture URL is: https (or http on
        // loopback), an allowed origin; the ids and the expiry likewise.
        let checked = CaptureSession::checked(answer.sdk_url.as_deref(), answer, config, now_ms)?;
        // And it is the script of the answer's flow. An answer without `flow`
        // (an older backend) may name its script anywhere, but not the attended one.
        let url = checked.url.to_string();
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let fits = match given {
            Some(_) => path.ends_with(flow.script()),
            None => !path.ends_with(SdkFlow::Attended.script()),
        };
        if !fits {
            return Err(Failure::SessionInvalid(SessionProblem::BadUrl));
        }
        let process_id = checked
            .process_id
            .ok_or(Failure::SessionInvalid(SessionProblem::BadId))?;
        let authorization = answer
            .authorization
            .as_deref()
            .filter(|a| {
                !a.is_empty()
                    && a.len() <= MAX_AUTHORIZATION_LEN
                    && a.bytes().all(|b| b.is_ascii_graphic())
            })
            .ok_or(malformed.clone())?
            .to_string();
        let id_type = answer.id_type.ok_or(malformed)?;
        let (dossier_id, sdk_url) = (checked.dossier_id, checked.url);
        Ok(SdkSession {
            dossier_id,
            process_id,
            authorization,
            sdk_url,
            id_type,
            flow,
        })
    }
}

/// The step a phase of the SDK stands for: `FRONT` → `front`, `BACK` →
/// `back`, `FACE` → `selfie`, any other name lower-cased; `None` for a name
/// that is empty, longer than [`MAX_STEP_LEN`] or not of `[A-Za-z0-9_-]`.
pub fn step_name(phase: &str) -> Option<String> {
    let ok = (1..=MAX_STEP_LEN).contains(&phase.len())
        && phase
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !ok {
        return None;
    }
    Some(match phase {
        "FACE" => "selfie".to_string(),
        _ => phase.to_ascii_lowercase(),
    })
}

/// The longest field of the SDK's error kept.
pub const MAX_ERROR_FIELD_LEN: usize = 200;

fn cut(s: &str) -> String {
    let mut end = s.len().min(MAX_ERROR_FIELD_LEN);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    super::split_at(s, end).0.to_string()
}

/// The SDK's `failed` payload (`name`, `reason`, `message`) as the reason of
/// a `Capture.Failed`: `type` is its `name`, `id` its `reason`, each cut to a
/// sensible length (the SDK is third-party code).
pub fn fail_reason(name: &str, reason: &str, message: &str) -> ProviderFailReason {
    ProviderFailReason {
        id: (!reason.is_empty()).then(|| cut(reason)),
        kind: cut(name),
        message: cut(message),
    }
}

/// The longest `opensAt` kept (an ISO 8601 time is far shorter).
pub const MAX_OPENS_AT_LEN: usize = 40;

/// The SDK's `opensAt`, kept when it looks like an ISO 8601 time: it starts
/// with a four-digit year, has at most [`MAX_OPENS_AT_LEN`] characters and only
/// those such a time has (the SDK is third-party code; the host reads it).
pub fn opens_at(value: &str) -> Option<String> {
    let ok = (10..=MAX_OPENS_AT_LEN).contains(&value.len())
        && value.bytes().take(4).all(|b| b.is_ascii_digit())
        && value.as_bytes().get(4) == Some(&b'-')
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-:.+TZtz".contains(&b));
    ok.then(|| value.to_string())
}

/// The SDK's `failed` payload as an input: the attended SDK's
/// `AgentUnavailable` and `AgentDisconnected` are the element's own failures,
/// any other error a `Capture.Failed` with [`fail_reason`].
pub fn failed(name: &str, reason: &str, message: &str, opens: &str) -> SdkInput {
    match name {
        "AgentUnavailable" => SdkInput::AgentFailed(Failure::AgentUnavailable(
            AgentAbsence::Closed(opens_at(opens)),
        )),
        "AgentDisconnected" => SdkInput::AgentFailed(Failure::AgentDisconnected),
        _ => SdkInput::Failed(fail_reason(name, reason, message)),
    }
}

/// The highest queue position believed.
pub const MAX_POSITION: u32 = 100_000;

/// The SDK's `position` (a JavaScript number): a whole number from 1 to [`MAX_POSITION`].
pub fn position(value: f64) -> Option<u32> {
    (value.fract() == 0.0 && (1.0..=f64::from(MAX_POSITION)).contains(&value))
        .then_some(value as u32)
}

/// Queue positions are announced at most this often.
pub const ANNOUNCE_GAP_MS: u32 = 10_000;

/// What to do with a queue position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Announce {
    /// Announce the position now.
    Now,
    /// Announce it when the announcement timer (this many ms) runs out.
    Later(u32),
    /// Nothing to announce now (no change, or the timer already runs).
    Nothing,
}

/// The queue position the live region announces: a changed position at
/// once, unless the last announcement was less than [`ANNOUNCE_GAP_MS`] ago;
/// then the latest position when that time is up. The clock is the adapter's
/// (`now_ms` of each `queued`), so the rule is deterministic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueNews {
    /// The position announced last.
    said: Option<u32>,
    /// When (ms): the input's time, or when the timer was due.
    said_at: f64,
    /// A position waiting for the timer, and when the timer is due.
    pending: Option<(u32, f64)>,
}

impl QueueNews {
    /// The position announced last.
    pub fn said(&self) -> Option<u32> {
        self.said
    }

    /// The SDK says `position` at `now_ms`.
    pub fn position(&mut self, position: u32, now_ms: f64) -> Announce {
        if let Some((_, due)) = self.pending {
            self.pending = Some((position, due));
            return Announce::Nothing;
        }
        if self.said == Some(position) {
            return Announce::Nothing;
        }
        let gap = f64::from(ANNOUNCE_GAP_MS);
        let wait = match self.said {
            None => 0.0,
            Some(_) => (gap - (now_ms - self.said_at)).clamp(0.0, gap),
        };
        if wait <= 0.0 {
            self.said = Some(position);
            self.said_at = now_ms;
            Announce::Now
        } else {
            self.pending = Some((position, now_ms + wait));
            Announce::Later(wait.ceil() as u32)
        }
    }

    /// The announcement timer ran out: whether a new position is announced now
    /// (its time is when the timer was due).
    pub fn due(&mut self) -> bool {
        match self.pending.take() {
            Some((p, due)) if self.said != Some(p) => {
                self.said = Some(p);
                self.said_at = due;
                true
            }
            _ => false,
        }
    }
}

/// Where an SDK capture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkStage {
    /// Asking for camera and microphone, before any SDK code runs.
    Checking,
    /// Loading the SDK's script.
    Loading,
    /// The SDK runs its phases.
    Running,
}

/// Something that happened in the SDK capture.
#[derive(Debug, Clone, PartialEq)]
pub enum SdkInput {
    /// Camera and microphone were granted (and released again).
    DevicesReady,
    /// Camera or microphone could not be had.
    DevicesFailed(MediaError),
    /// The script is there and its `EID` function exists.
    Loaded,
    /// The script did not load, or loaded without its `EID` function.
    LoadFailed,
    /// `phaseStarting`, with the phase's `name`.
    Phase(String),
    /// `completed`.
    Completed,
    /// `failed`, or a call into the SDK threw: its error, read by [`fail_reason`].
    Failed(ProviderFailReason),
    /// Attended: `queued`, with the 1-based position, at `now_ms` (Unix ms, the adapter's clock).
    Queued {
        /// The position in the queue, 1-based; `None` when the SDK gave none that
        /// is a whole number from 1 to [`MAX_POSITION`].
        position: Option<u32>,
        /// When the SDK said it.
        now_ms: f64,
    },
    /// Attended: `agentConnected`.
    AgentConnected,
    /// Attended: `agentDisconnected` (the SDK tries one reconnect).
    AgentDisconnected,
    /// Attended: `failed` with `AgentUnavailable` or `AgentDisconnected`, as
    /// the element's failure ([`failed`]).
    AgentFailed(Failure),
    /// The page is going away (`pagehide`).
    PageHidden,
}

/// What the adapter must do for the SDK capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkEffect {
    /// Ask for camera and microphone, stop every track, and feed
    /// [`SdkInput::DevicesReady`] or [`SdkInput::DevicesFailed`].
    CheckDevices,
    /// Load the script at `url` once per page and feed [`SdkInput::Loaded`]
    /// (`window.EID[flow.global()]` is a function) or [`SdkInput::LoadFailed`].
    Load {
        /// The session's script (an allowed origin).
        url: String,
        /// Which SDK it is.
        flow: SdkFlow,
    },
    /// `EID.videoId(container, { lang })` (attended: `EID.videoIDAttended`),
    /// `turnOn()`, `start({ authorization, idType })`, and listeners that feed
    /// the SDK's events (attended: also `queued`, `agentConnected`, `agentDisconnected`).
    Run {
        /// Which SDK runs.
        flow: SdkFlow,
        /// The process's token for `start()`.
        authorization: String,
        /// The document type for `start()`.
        id_type: u32,
        /// The user's language, for the SDK's own texts.
        lang: &'static str,
    },
    /// `turnOff()` and `destroy()`; nothing the SDK sends later counts.
    Stop,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::origin::Origin;
    use std::collections::HashMap;

    const NOW: f64 = 1_790_000_000_000.0;

    fn config() -> Config {
        let map: HashMap<&str, &str> = [
            ("session-endpoint", "/s"),
            ("mode", "sdk"),
            (
                "allowed-origins",
                "http://127.0.0.1:8081 https://*.electronicid.eu",
            ),
        ]
        .into_iter()
        .collect();
        Config::parse(
            |n| map.get(n).map(|v| v.to_string()),
            &Origin::parse("http://localhost:8080").unwrap(),
        )
        .unwrap()
    }

    fn answer(fields: &str) -> SessionAnswer {
        serde_json::from_str(&format!(
            r#"{{"dossierId":"d1","processId":"p1","authorization":"tok.en-1",
               "sdkUrl":"http://127.0.0.1:8081/provider/js/videoid.js","idType":62{fields}}}"#
        ))
        .unwrap()
    }

    fn with(key: &str, value: &str) -> SessionAnswer {
        let mut v: serde_json::Value = serde_json::from_str(
            r#"{"dossierId":"d1","processId":"p1","authorization":"tok",
               "sdkUrl":"http://127.0.0.1:8081/provider/js/videoid.js","idType":62}"#,
        )
        .unwrap();
        v[key] = serde_json::from_str(value).unwrap();
        serde_json::from_value(v).unwrap()
    }

    fn reason(answer: &SessionAnswer) -> Result<SdkSession, Failure> {
        SdkSession::from_answer(answer, &config(), NOW)
    }

    #[test]
    fn a_good_answer_is_a_session() {
        let s = reason(&answer("")).unwrap();
        assert_eq!(s.dossier_id.as_str(), "d1");
        assert_eq!(s.process_id.as_str(), "p1");
        assert_eq!(s.authorization, "tok.en-1");
        assert_eq!(s.id_type, 62);
        assert_eq!(
            s.sdk_url.to_string(),
            "http://127.0.0.1:8081/provider/js/videoid.js"
        );
        let https = with("sdkUrl", r#""https://eu.electronicid.eu/v2/js/videoid.js""#);
        assert!(reason(&https).is_ok());
    }

    #[test]
    fn every_field_is_checked() {
        let invalid = |p| Err(Failure::SessionInvalid(p));
        use SessionProblem::*;
        assert_eq!(reason(&with("processId", "null")), invalid(BadId));
        assert_eq!(reason(&with("processId", r#""p/1""#)), invalid(BadId));
        assert_eq!(reason(&with("dossierId", r#""""#)), invalid(BadId));
        assert_eq!(
            reason(&with("authorization", "null")),
            invalid(MalformedAnswer)
        );
        assert_eq!(
            reason(&with("authorization", r#""""#)),
            invalid(MalformedAnswer)
        );
        assert_eq!(
            reason(&with("authorization", r#""a b""#)),
            invalid(MalformedAnswer)
        );
        let long = format!("\"{}\"", "a".repeat(MAX_AUTHORIZATION_LEN + 1));
        assert_eq!(
            reason(&with("authorization", &long)),
            invalid(MalformedAnswer)
        );
        let longest = format!("\"{}\"", "a".repeat(MAX_AUTHORIZATION_LEN));
        assert!(reason(&with("authorization", &longest)).is_ok());
        assert_eq!(reason(&with("idType", "null")), invalid(MalformedAnswer));
        assert_eq!(reason(&with("sdkUrl", "null")), invalid(BadUrl));
        assert_eq!(
            reason(&with("sdkUrl", r#""javascript:alert(1)""#)),
            invalid(BadUrl)
        );
        assert_eq!(
            reason(&with("sdkUrl", r#""http://cdn.example/videoid.js""#)),
            invalid(BadUrl),
            "plain http off loopback"
        );
        assert_eq!(
            reason(&with("sdkUrl", r#""https://cdn.example/videoid.js""#)),
            invalid(OriginNotAllowed)
        );
        assert_eq!(
            reason(&with("sdkUrl", r#""http://127.0.0.1:9999/js/videoid.js""#)),
            invalid(OriginNotAllowed),
            "another port is another origin"
        );
        assert_eq!(
            reason(&with("expiresAt", r#""2020-01-01T00:00:00Z""#)),
            Err(Failure::SessionExpired)
        );
        assert!(reason(&with("expiresAt", r#""2099-01-01T00:00:00Z""#)).is_ok());
    }

    #[test]
    fn the_flow_picks_the_sdk_and_its_script_must_fit() {
        let s = reason(&answer("")).unwrap();
        assert_eq!(s.flow, SdkFlow::Unattended, "absent is unattended");
        let s = reason(&answer(r#","flow":"unattended""#)).unwrap();
        assert_eq!(s.flow, SdkFlow::Unattended);
        let attended = |url: &str| {
            let mut a = with("flow", r#""attended""#);
            a.sdk_url = Some(url.to_string());
            reason(&a)
        };
        let s = attended("http://127.0.0.1:8081/provider/js/videoidattended.js").unwrap();
        assert_eq!(s.flow, SdkFlow::Attended);
        assert_eq!(
            (s.flow.global(), SdkFlow::Unattended.global()),
            ("videoIDAttended", "videoId")
        );
        assert!(attended("https://eu.electronicid.eu/v2/js/videoidattended.js?v=2").is_ok());
        let invalid = |p| Err(Failure::SessionInvalid(p));
        use SessionProblem::*;
        assert_eq!(
            attended("http://127.0.0.1:8081/provider/js/videoid.js"),
            invalid(BadUrl),
            "the unattended script for an attended flow"
        );
        assert_eq!(
            attended("http://127.0.0.1:8081/provider/js/videoidattended.js.evil"),
            invalid(BadUrl)
        );
        assert_eq!(
            attended("https://cdn.example/js/videoidattended.js"),
            invalid(OriginNotAllowed),
            "the origin is checked first"
        );
        let mut a = with("flow", r#""unattended""#);
        a.sdk_url = Some("http://127.0.0.1:8081/provider/js/videoidattended.js".into());
        assert_eq!(reason(&a), invalid(BadUrl));
        // Without `flow` (an older backend) any path but the attended script's.
        let mut a = with("idType", "62");
        a.sdk_url = Some("http://127.0.0.1:8081/provider/js/videoidattended.js".into());
        assert_eq!(reason(&a), invalid(BadUrl));
        a.sdk_url = Some("http://127.0.0.1:8081/sdk/v2.js".into());
        assert!(reason(&a).is_ok());
        for bad in [r#""live""#, r#""Attended""#, r#""""#, "1", "true"] {
            let got = serde_json::from_value::<SessionAnswer>(serde_json::json!({
                "dossierId": "d1", "processId": "p1", "authorization": "t",
                "sdkUrl": "http://127.0.0.1:8081/provider/js/videoidattended.js",
                "idType": 62, "flow": serde_json::from_str::<serde_json::Value>(bad).unwrap(),
            }));
            match got {
                Ok(a) => assert_eq!(reason(&a), invalid(MalformedAnswer), "{bad}"),
                // Not a string: the answer does not parse (the adapter's Session.Invalid).
                Err(_) => assert!(!bad.starts_with('"'), "{bad}"),
            }
        }
    }

    #[test]
    fn attended_failures_positions_and_opening_times_are_read() {
        use crate::core::failure::AgentAbsence;
        assert_eq!(
            failed("AgentUnavailable", "closed", "m", "2026-12-08T09:00:00Z"),
            SdkInput::AgentFailed(Failure::AgentUnavailable(AgentAbsence::Closed(Some(
                "2026-12-08T09:00:00Z".into()
            ))))
        );
        assert_eq!(
            failed("AgentDisconnected", "dropped", "m", ""),
            SdkInput::AgentFailed(Failure::AgentDisconnected)
        );
        assert_eq!(
            failed("NotAllowedError", "camera", "denied", "2026-12-08"),
            SdkInput::Failed(fail_reason("NotAllowedError", "camera", "denied"))
        );
        for good in [
            "2026-12-08",
            "2026-12-08T09:00:00.123+01:00",
            "2026-12-08t09:00z",
        ] {
            assert_eq!(opens_at(good).as_deref(), Some(good));
        }
        let long = format!("2026-12-08T{}", "0".repeat(MAX_OPENS_AT_LEN));
        for bad in [
            "",
            "tomorrow",
            "26-12-08",
            "2026-12-08 09:00",
            "2026-12-08<b>",
            &long,
        ] {
            assert_eq!(opens_at(bad), None, "{bad}");
        }
        assert_eq!(position(1.0), Some(1));
        assert_eq!(position(f64::from(MAX_POSITION)), Some(MAX_POSITION));
        for bad in [
            0.0,
            -1.0,
            1.5,
            f64::NAN,
            f64::INFINITY,
            f64::from(MAX_POSITION) + 1.0,
        ] {
            assert_eq!(position(bad), None, "{bad}");
        }
    }

    #[test]
    fn queue_news_announces_at_once_then_at_most_every_gap() {
        let mut news = QueueNews::default();
        assert_eq!(news.said(), None);
        assert_eq!(news.position(4, 0.0), Announce::Now);
        assert_eq!(news.position(4, 100.0), Announce::Nothing, "no change");
        assert_eq!(news.position(3, 2500.0), Announce::Later(7500));
        assert_eq!(
            news.position(2, 3000.0),
            Announce::Nothing,
            "the timer runs"
        );
        assert_eq!(news.said(), Some(4));
        assert!(news.due());
        assert_eq!(news.said(), Some(2), "the latest position");
        assert!(!news.due(), "once");
        // The next change counts from when the timer was due (10 s).
        assert_eq!(news.position(1, 12_000.0), Announce::Later(8000));
        assert_eq!(news.position(2, 13_000.0), Announce::Nothing);
        assert!(!news.due(), "back to the position said: nothing new");
        assert_eq!(news.position(1, 25_000.0), Announce::Now);
        // A clock that goes back waits a whole gap at most.
        assert_eq!(news.position(5, 0.0), Announce::Later(ANNOUNCE_GAP_MS));
    }

    #[test]
    fn phases_map_to_steps() {
        assert_eq!(step_name("FRONT").as_deref(), Some("front"));
        assert_eq!(step_name("BACK").as_deref(), Some("back"));
        assert_eq!(step_name("FACE").as_deref(), Some("selfie"));
        assert_eq!(
            step_name("PASSPORT_FRONT").as_deref(),
            Some("passport_front")
        );
        assert_eq!(step_name("Face").as_deref(), Some("face"));
        assert_eq!(step_name(""), None);
        assert_eq!(step_name("a b"), None);
        assert_eq!(step_name("<img>"), None);
        assert_eq!(step_name(&"A".repeat(MAX_STEP_LEN + 1)), None);
        assert!(step_name(&"A".repeat(MAX_STEP_LEN)).is_some());
    }

    #[test]
    fn sdk_errors_become_fail_reasons_cut_to_size() {
        let r = fail_reason("AuthorizationError", "authorization-expired", "expired");
        assert_eq!(r.kind, "AuthorizationError");
        assert_eq!(r.id.as_deref(), Some("authorization-expired"));
        assert_eq!(r.message, "expired");
        assert_eq!(fail_reason("", "", "").id, None);
        let long = "é".repeat(MAX_ERROR_FIELD_LEN);
        let r = fail_reason(&long, &long, &long);
        assert!(r.kind.len() <= MAX_ERROR_FIELD_LEN && r.kind.chars().all(|c| c == 'é'));
        assert!(r.message.len() <= MAX_ERROR_FIELD_LEN);
    }
}
