//! What the host backend answers, and how each answer is checked before use.

use serde::Deserialize;

use super::config::Config;
use super::failure::{Failure, ProviderFailReason, SessionProblem};
use super::native::NativeSession;
use super::origin::HttpUrl;

/// A dossier or process id: 1–128 characters of `[A-Za-z0-9._-]`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// Checks the characters and length of an id.
    pub fn parse(value: &str) -> Option<Id> {
        let ok = (1..=128).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        ok.then(|| Id(value.to_string()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The answer of `POST session-endpoint`, as the backend sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAnswer {
    /// The capture URL from Assure's "Start capture flow" (embed; optional in native).
    #[serde(default)]
    pub url: Option<String>,
    /// The dossier the capture belongs to.
    pub dossier_id: String,
    /// The process, when the backend already knows it.
    #[serde(default)]
    pub process_id: Option<String>,
    /// RFC 3339 time after which the session is void.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Whether the capture page may be framed by this site, as the backend checked it.
    #[serde(default)]
    pub framing: Option<String>,
    /// Native: where artifacts go.
    #[serde(default)]
    pub upload_url: Option<String>,
    /// Native: the bearer token for uploads.
    #[serde(default)]
    pub upload_token: Option<String>,
    /// Native: the steps to capture, in order (the first [`MAX_STEPS_READ`] are read).
    #[serde(default, deserialize_with = "first_steps")]
    pub steps: Option<Vec<String>>,
    /// Native: whether a picked image may replace the camera for document steps.
    #[serde(default)]
    pub file_fallback: Option<bool>,
    /// SDK: the process's token for the web SDK's `start()`.
    #[serde(default)]
    pub authorization: Option<String>,
    /// SDK: where the web SDK's script is.
    #[serde(default)]
    pub sdk_url: Option<String>,
    /// SDK: the document-type id for `start()`.
    #[serde(default)]
    pub id_type: Option<u32>,
    /// SDK: which of VideoID's SDKs runs, `unattended` or `attended` (a live
    /// interview with an agent); absent means `unattended` (older backends).
    #[serde(default)]
    pub flow: Option<String>,
}

/// At most this many `steps` of an answer are read; the rest is ignored
/// unread (a session has four distinct steps at most).
pub const MAX_STEPS_READ: usize = 16;

/// `steps`: absent or `null`, else a list whose first [`MAX_STEPS_READ`]
/// entries are strings.
fn first_steps<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    struct First;
    impl<'de> serde::de::Visitor<'de> for First {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of steps")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<String>, A::Error> {
            let mut steps = Vec::new();
            while steps.len() < MAX_STEPS_READ {
                match seq.next_element()? {
                    Some(step) => steps.push(step),
                    None => return Ok(steps),
                }
            }
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            Ok(steps)
        }
    }
    struct Steps(Vec<String>);
    impl<'de> Deserialize<'de> for Steps {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Steps, D::Error> {
            d.deserialize_seq(First).map(Steps)
        }
    }
    Ok(Option::<Steps>::deserialize(d)?.map(|s| s.0))
}

/// Whether the hosted page can be framed here, as the backend found out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Its `frame-ancestors` / `X-Frame-Options` allow this site.
    Allowed,
    /// They forbid this site: go straight to the fallback.
    Denied,
    /// Not checked: trust the frame's `load` and the load timeout.
    Unknown,
}

/// A capture session that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureSession {
    /// Where the capture page is.
    pub url: HttpUrl,
    /// The dossier the capture belongs to.
    pub dossier_id: Id,
    /// The process, when known in advance.
    pub process_id: Option<Id>,
    /// Whether framing is known to work.
    pub framing: Framing,
}

impl CaptureSession {
    /// Checks a backend answer against the configuration at time `now_ms` (Unix ms).
    pub fn from_answer(
        answer: &SessionAnswer,
        config: &Config,
        now_ms: f64,
    ) -> Result<CaptureSession, Failure> {
        CaptureSession::checked(answer.url.as_deref(), answer, config, now_ms)
    }

    /// Checks `url` (the answer's `url`, or the web SDK's `sdkUrl`) and the
    /// rest of the answer: ids, expiry, framing.
    pub(super) fn checked(
        url: Option<&str>,
        answer: &SessionAnswer,
        config: &Config,
        now_ms: f64,
    ) -> Result<CaptureSession, Failure> {
        let url = HttpUrl::parse(url.unwrap_or("").trim())
            .map_err(|_| Failure::SessionInvalid(SessionProblem::BadUrl))?;
        if !config.allows(url.origin()) {
            return Err(Failure::SessionInvalid(SessionProblem::OriginNotAllowed));
        }
        let dossier_id =
            Id::parse(&answer.dossier_id).ok_or(Failure::SessionInvalid(SessionProblem::BadId))?;
        let process_id = match answer.process_id.as_deref() {
            None => None,
            Some(p) => Some(Id::parse(p).ok_or(Failure::SessionInvalid(SessionProblem::BadId))?),
        };
        check_expiry(answer, now_ms)?;
        let framing = match answer.framing.as_deref() {
            Some("allowed") => Framing::Allowed,
            Some("denied") => Framing::Denied,
            _ => Framing::Unknown,
        };
        Ok(CaptureSession {
            url,
            dossier_id,
            process_id,
            framing,
        })
    }

    /// A session for a `capture-url` the host gave directly.
    pub fn from_capture_url(url: &HttpUrl, config: &Config) -> Result<CaptureSession, Failure> {
        if !config.allows(url.origin()) {
            return Err(Failure::SessionInvalid(SessionProblem::OriginNotAllowed));
        }
        Ok(CaptureSession {
            url: url.clone(),
            dossier_id: Id(String::new()),
            process_id: None,
            framing: Framing::Unknown,
        })
    }
}

/// A native capture session that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeCaptureSession {
    /// The dossier.
    pub dossier_id: Id,
    /// The process the artifacts belong to.
    pub process_id: Id,
    /// Uploads and steps.
    pub native: NativeSession,
    /// The hosted page to fall back to, when the answer has an allowed `url`.
    pub embed: Option<CaptureSession>,
}

impl NativeCaptureSession {
    /// Checks a native backend answer against the configuration at time `now_ms`.
    pub fn from_answer(
        answer: &SessionAnswer,
        config: &Config,
        now_ms: f64,
    ) -> Result<NativeCaptureSession, Failure> {
        let malformed = Failure::SessionInvalid(SessionProblem::MalformedAnswer);
        let bad_id = Failure::SessionInvalid(SessionProblem::BadId);
        let dossier_id = Id::parse(&answer.dossier_id).ok_or(bad_id.clone())?;
        let process_id = Id::parse(answer.process_id.as_deref().unwrap_or("")).ok_or(bad_id)?;
        check_expiry(answer, now_ms)?;
        let native = NativeSession::parse(
            answer.upload_url.as_deref().ok_or(malformed.clone())?,
            answer.upload_token.as_deref().ok_or(malformed.clone())?,
            answer.steps.as_deref().ok_or(malformed.clone())?,
            answer.file_fallback.unwrap_or(false),
        )
        .ok_or(malformed)?;
        let embed = answer
            .url
            .as_ref()
            .and_then(|_| CaptureSession::from_answer(answer, config, now_ms).ok());
        Ok(NativeCaptureSession {
            dossier_id,
            process_id,
            native,
            embed,
        })
    }
}

fn check_expiry(answer: &SessionAnswer, now_ms: f64) -> Result<(), Failure> {
    if let Some(expires) = answer.expires_at.as_deref() {
        let at = parse_rfc3339_ms(expires)
            .ok_or(Failure::SessionInvalid(SessionProblem::MalformedAnswer))?;
        if at <= now_ms {
            return Err(Failure::SessionExpired);
        }
    }
    Ok(())
}

/// An answer of the handoff endpoint, as the backend sends it: `POST`
/// answers `id`, `url` and `expiresIn`; `GET {id}/events` answers `id`,
/// `status` and, once known, the phone's ids.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandoffAnswer {
    /// The handoff's id (not its token).
    pub id: String,
    /// The link the phone opens.
    #[serde(default)]
    pub url: Option<String>,
    /// Seconds the link stays valid.
    #[serde(default)]
    pub expires_in: Option<u32>,
    /// The handoff's status.
    #[serde(default)]
    pub status: Option<String>,
    /// The phone's dossier, once known.
    #[serde(default)]
    pub dossier_id: Option<String>,
    /// The phone's process, once known.
    #[serde(default)]
    pub process_id: Option<String>,
    /// The code both screens show while the phone waits for this desktop's confirmation.
    #[serde(default)]
    pub code: Option<String>,
}

/// The longest handoff link accepted (it becomes a QR code).
pub const MAX_HANDOFF_URL: usize = 1024;

/// A handoff link that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffLink {
    /// The handoff's id, for its status and revoke calls.
    pub id: Id,
    /// The link, `http(s)` on the expected origin.
    pub url: String,
    /// Whole minutes the link is valid (at least 1).
    pub minutes: u32,
}

impl HandoffLink {
    /// Checks a backend answer: the id's characters, the link's scheme, size
    /// and origin (`origin`), and its lifetime.
    pub fn from_answer(
        answer: &HandoffAnswer,
        origin: &super::origin::Origin,
    ) -> Result<HandoffLink, Failure> {
        let id = Id::parse(&answer.id).ok_or(Failure::SessionInvalid(SessionProblem::BadId))?;
        let url = answer.url.as_deref().unwrap_or("").trim();
        let parsed = HttpUrl::parse(url)
            .ok()
            .filter(|_| url.len() <= MAX_HANDOFF_URL && url.is_ascii())
            .filter(|_| !url.bytes().any(|b| b.is_ascii_control() || b == b' '))
            .ok_or(Failure::SessionInvalid(SessionProblem::BadUrl))?;
        if parsed.origin() != origin {
            return Err(Failure::SessionInvalid(SessionProblem::OriginNotAllowed));
        }
        let seconds = answer
            .expires_in
            .ok_or(Failure::SessionInvalid(SessionProblem::MalformedAnswer))?;
        if seconds == 0 {
            return Err(Failure::SessionExpired);
        }
        Ok(HandoffLink {
            id,
            url: url.to_string(),
            minutes: seconds.div_ceil(60).min(999),
        })
    }
}

/// Where the phone is, as the handoff's status says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffStatus {
    /// The link is not opened yet.
    Waiting,
    /// The phone opened the link (a backend without pairing).
    Opened,
    /// A phone opened the link and shows a code: is it the user's?
    Pairing,
    /// The user confirmed the phone's code.
    Paired,
    /// The phone's capture started.
    Capturing,
    /// The phone sent a still.
    Uploading,
    /// The phone's capture is done.
    Complete,
    /// The link or the phone's session ran out.
    Expired,
    /// The link was revoked.
    Cancelled,
}

impl HandoffStatus {
    /// Reads a status string; `None` for one outside the contract.
    pub fn parse(s: &str) -> Option<HandoffStatus> {
        Some(match s {
            "waiting" => HandoffStatus::Waiting,
            "opened" => HandoffStatus::Opened,
            "pairing" => HandoffStatus::Pairing,
            "paired" => HandoffStatus::Paired,
            "capturing" => HandoffStatus::Capturing,
            "uploading" => HandoffStatus::Uploading,
            "complete" => HandoffStatus::Complete,
            "expired" => HandoffStatus::Expired,
            "cancelled" => HandoffStatus::Cancelled,
            _ => return None,
        })
    }

    /// The `status` of the `videoid-handoff` event (`uploading` is `capturing`).
    pub fn event(self) -> &'static str {
        match self {
            HandoffStatus::Waiting => "waiting",
            HandoffStatus::Opened => "opened",
            HandoffStatus::Pairing => "pairing",
            HandoffStatus::Paired => "paired",
            HandoffStatus::Capturing | HandoffStatus::Uploading => "capturing",
            HandoffStatus::Complete => "complete",
            HandoffStatus::Expired => "expired",
            HandoffStatus::Cancelled => "cancelled",
        }
    }

    /// Whether the handoff will not change any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            HandoffStatus::Complete | HandoffStatus::Expired | HandoffStatus::Cancelled
        )
    }
}

/// A checked status answer: the status, the pairing code while pairing, and, when the
/// capture is done, its ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffState {
    /// The status.
    pub status: HandoffStatus,
    /// Dossier and process, when the answer carries both.
    pub ids: Option<(Id, Id)>,
    /// The code to compare, 4 to 8 digits: always there while pairing, never otherwise.
    pub code: Option<String>,
}

impl HandoffState {
    /// Checks a status answer for the handoff `id`.
    pub fn from_answer(answer: &HandoffAnswer, id: &Id) -> Result<HandoffState, Failure> {
        let malformed = Failure::SessionInvalid(SessionProblem::MalformedAnswer);
        if answer.id != id.as_str() {
            return Err(malformed);
        }
        let status = HandoffStatus::parse(answer.status.as_deref().unwrap_or(""))
            .ok_or(malformed.clone())?;
        let id = |v: &Option<String>| match v.as_deref() {
            None => Ok(None),
            Some(v) => Id::parse(v)
                .map(Some)
                .ok_or(Failure::SessionInvalid(SessionProblem::BadId)),
        };
        let ids = id(&answer.dossier_id)?.zip(id(&answer.process_id)?);
        let code = match (status, answer.code.as_deref()) {
            (HandoffStatus::Pairing, Some(c))
                if (4..=8).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(c.to_string())
            }
            (HandoffStatus::Pairing, _) => return Err(malformed),
            _ => None,
        };
        Ok(HandoffState { status, ids, code })
    }
}

/// `endpoint` with `/{id}{suffix}` added to its path, the query kept
/// (`/api/h?x=1`, `/events` → `/api/h/ID/events?x=1`).
pub fn handoff_call(endpoint: &str, id: &Id, suffix: &str) -> String {
    let (path, query) = super::split_at(
        endpoint,
        endpoint.find(['?', '#']).unwrap_or(endpoint.len()),
    );
    format!(
        "{}/{}{suffix}{query}",
        path.trim_end_matches('/'),
        id.as_str()
    )
}

/// An Assure process status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessStatus {
    /// Created, not started.
    Pending,
    /// Captured, being verified.
    Processing,
    /// Verified.
    Accepted,
    /// A security check failed.
    Rejected,
    /// Cancelled by the end-user or the provider.
    Canceled,
    /// An error stopped the flow.
    Failed,
    /// Not sure: low similarity or a missing feature.
    Inconclusive,
    /// A status this version does not know; treated as not final.
    Other,
}

impl ProcessStatus {
    /// Reads a status string.
    pub fn parse(s: &str) -> ProcessStatus {
        match s {
            "pending" => ProcessStatus::Pending,
            "processing" => ProcessStatus::Processing,
            "accepted" => ProcessStatus::Accepted,
            "rejected" => ProcessStatus::Rejected,
            "canceled" | "cancelled" => ProcessStatus::Canceled,
            "failed" => ProcessStatus::Failed,
            "inconclusive" => ProcessStatus::Inconclusive,
            _ => ProcessStatus::Other,
        }
    }

    /// Whether the process will not change any more.
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            ProcessStatus::Pending | ProcessStatus::Processing | ProcessStatus::Other
        )
    }
}

/// The part of Assure's Get process answer that the component reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessAnswer {
    /// The status string.
    pub status: String,
    /// The provider's reason when failed.
    #[serde(default)]
    pub fail_reason: Option<ProviderFailReason>,
}

/// What the flow needs from a polled process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessView {
    /// Its status.
    pub status: ProcessStatus,
    /// The status string as sent (for the event).
    pub status_text: String,
    /// The provider's reason when failed.
    pub fail_reason: Option<ProviderFailReason>,
}

impl From<ProcessAnswer> for ProcessView {
    fn from(answer: ProcessAnswer) -> ProcessView {
        let mut status_text = answer.status;
        status_text.truncate(32);
        ProcessView {
            status: ProcessStatus::parse(&status_text),
            status_text,
            fail_reason: answer.fail_reason,
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses an RFC 3339 date-time (`2026-01-02T03:04:05.678Z`, offsets allowed) to Unix ms.
/// Read by position, byte by byte: no `str` splitting or number parsing,
/// which would cost the wasm a kilobyte.
pub fn parse_rfc3339_ms(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    // The value of the `len` digits at `at`.
    let num = |at: usize, len: usize| -> Option<i64> {
        b.get(at..at + len)?.iter().try_fold(0, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let is = |at: usize, set: &[u8]| b.get(at).is_some_and(|c| set.contains(c));
    if b.len() > 40
        || !(is(4, b"-") && is(7, b"-") && is(10, b"Tt ") && is(13, b":") && is(16, b":"))
    {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    // A fraction of 1 to 9 digits, of which the milliseconds are kept.
    let (mut at, mut millis) = (19, 0);
    if is(19, b".") {
        let digits = b[20..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        millis = (0..3).fold(0, |n, i| {
            n * 10 + num(20 + i, 1).filter(|_| i < digits).unwrap_or(0)
        });
        at = 20 + digits;
    }
    let offset_min = match &b[at..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), ..] if b.len() == at + 6 && is(at + 3, b":") => {
            let (oh, om) = (num(at + 1, 2)?, num(at + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            if *sign == b'-' {
                -(oh * 60 + om)
            } else {
                oh * 60 + om
            }
        }
        _ => return None,
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some((secs * 1000 + millis) as f64)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::origin::Origin;

    fn config() -> Config {
        Config::parse(
            |n| match n {
                "session-endpoint" => Some("/s".into()),
                "allowed-origins" => Some("http://127.0.0.1:8081".into()),
                _ => None,
            },
            &Origin::parse("http://localhost:8080").unwrap(),
        )
        .unwrap()
    }

    fn answer(json: &str) -> Result<SessionAnswer, serde_json::Error> {
        serde_json::from_str(json)
    }

    const NOW: f64 = 1_790_000_000_000.0;

    #[test]
    fn a_good_answer_becomes_a_session() {
        let a = answer(
            r#"{"url":"http://127.0.0.1:8081/capture/#/artifact=abc","dossierId":"d-1","expiresAt":"2030-01-01T00:00:00Z","framing":"denied","extra":1}"#,
        )
        .unwrap();
        let s = CaptureSession::from_answer(&a, &config(), NOW).unwrap();
        assert_eq!(s.dossier_id.as_str(), "d-1");
        assert_eq!(s.framing, Framing::Denied);
        assert_eq!(
            s.url.to_string(),
            "http://127.0.0.1:8081/capture/#/artifact=abc"
        );
    }

    #[test]
    fn bad_answers_are_typed() {
        let check =
            |json: &str| CaptureSession::from_answer(&answer(json).unwrap(), &config(), NOW);
        assert_eq!(
            check(r#"{"url":"https://evil.example/c","dossierId":"d"}"#),
            Err(Failure::SessionInvalid(SessionProblem::OriginNotAllowed))
        );
        assert_eq!(
            check(r#"{"url":"javascript:alert(1)","dossierId":"d"}"#),
            Err(Failure::SessionInvalid(SessionProblem::BadUrl))
        );
        assert_eq!(
            check(r#"{"url":"http://127.0.0.1:8081/c","dossierId":"../etc"}"#),
            Err(Failure::SessionInvalid(SessionProblem::BadId))
        );
        assert_eq!(
            check(
                r#"{"url":"http://127.0.0.1:8081/c","dossierId":"d","expiresAt":"2020-01-01T00:00:00Z"}"#
            ),
            Err(Failure::SessionExpired)
        );
        assert_eq!(
            check(r#"{"url":"http://127.0.0.1:8081/c","dossierId":"d","expiresAt":"soon"}"#),
            Err(Failure::SessionInvalid(SessionProblem::MalformedAnswer))
        );
        assert_eq!(
            check(r#"{"dossierId":"d"}"#),
            Err(Failure::SessionInvalid(SessionProblem::BadUrl)),
            "embed needs a url"
        );
        assert!(answer(r#"{"url":5,"dossierId":"d"}"#).is_err());
    }

    #[test]
    fn native_answers_are_checked() {
        let native =
            |json: &str| NativeCaptureSession::from_answer(&answer(json).unwrap(), &config(), NOW);
        let ok = native(
            r#"{"dossierId":"d1","processId":"p1","uploadUrl":"/api/videoid/upload","uploadToken":"tok_0123456789abcdef","steps":["front","selfie"],"fileFallback":true}"#,
        )
        .unwrap();
        assert_eq!(ok.process_id.as_str(), "p1");
        assert!(ok.native.file_fallback);
        assert!(ok.embed.is_none());
        let with_url = native(
            r#"{"url":"http://127.0.0.1:8081/capture/","dossierId":"d1","processId":"p1","uploadUrl":"/u","uploadToken":"tok_0123456789abcdef","steps":["video"]}"#,
        )
        .unwrap();
        assert!(with_url.embed.is_some());
        for bad in [
            r#"{"dossierId":"d1","uploadUrl":"/u","uploadToken":"tok_0123456789abcdef","steps":["front"]}"#,
            r#"{"dossierId":"d1","processId":"p1","uploadToken":"tok_0123456789abcdef","steps":["front"]}"#,
            r#"{"dossierId":"d1","processId":"p1","uploadUrl":"/u","uploadToken":"tok_0123456789abcdef","steps":[]}"#,
            r#"{"dossierId":"d1","processId":"p1","uploadUrl":"javascript:x","uploadToken":"tok_0123456789abcdef","steps":["front"]}"#,
        ] {
            assert!(native(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_are_strict() {
        assert!(Id::parse("a1._-Z").is_some());
        assert!(Id::parse("").is_none());
        assert!(Id::parse(&"a".repeat(129)).is_none());
        for bad in ["a/b", "a b", "a%2f", "ä", "a\n"] {
            assert!(Id::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn rfc3339_times_parse() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:01.5Z"), Some(1500.0));
        assert_eq!(
            parse_rfc3339_ms("2000-03-01T00:00:00Z"),
            Some(951_868_800_000.0)
        );
        assert_eq!(
            parse_rfc3339_ms("2000-03-01T01:00:00+01:00"),
            Some(951_868_800_000.0)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-11-26T10:00:00.123456Z"),
            Some(1_795_687_200_123.0)
        );
        assert_eq!(
            parse_rfc3339_ms(" 2026-11-26t11:30:00.1-00:30 "),
            Some(1_795_687_200_100.0 + 7_200_000.0)
        );
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2026-11-26",
            "2026-11-26T25:00:00Z",
            "x026-11-26T10:00:00Z",
            "2026-1-011T10:00:00Z",
            "2026-11-26T10:00:00",
            "2026-11-26T10:00:00.Z",
            "2026-11-26T10:00:00.1234567890Z",
            "2026-11-26T10:00:00+0100",
            "2026-11-26T10:00:00+01:00x",
            "2026-11-26T10:00:00ZZ",
            "2026-11-26T10:00:0+01:000",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn statuses_know_when_they_are_final() {
        for s in ["accepted", "rejected", "inconclusive", "failed", "canceled"] {
            assert!(ProcessStatus::parse(s).is_final(), "{s}");
        }
        for s in ["pending", "processing", "something-new"] {
            assert!(!ProcessStatus::parse(s).is_final(), "{s}");
        }
        let p: ProcessAnswer = serde_json::from_str(
            r#"{"status":"failed","failReason":{"type":"InactiveUser.Aborted","message":"There has been no interaction with the video"}}"#,
        )
        .unwrap();
        let v = ProcessView::from(p);
        assert_eq!(v.status, ProcessStatus::Failed);
        assert_eq!(v.fail_reason.unwrap().kind, "InactiveUser.Aborted");
    }

    #[test]
    fn a_fail_reason_reads_null_as_empty_and_refuses_other_types() {
        let p: ProcessAnswer = serde_json::from_str(
            r#"{"status":"failed","failReason":{"type":null,"message":null,"id":null}}"#,
        )
        .unwrap();
        let reason = p.fail_reason.unwrap();
        assert_eq!((reason.kind.as_str(), reason.message.as_str()), ("", ""));
        assert_eq!(reason.id, None);
        for bad in [
            r#"{"status":"failed","failReason":{"type":5}}"#,
            r#"{"status":"failed","failReason":{"message":[]}}"#,
            r#"{"status":"failed","failReason":"InactiveUser.Aborted"}"#,
            r#"{"status":null}"#,
        ] {
            assert!(serde_json::from_str::<ProcessAnswer>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_first_sixteen_steps_are_read() {
        let mut steps: Vec<String> = (0..16).map(|i| format!("\"s{i}\"")).collect();
        steps.extend(["5", "null", "{}", "[1]"].map(String::from));
        let json = format!(r#"{{"dossierId":"d1","steps":[{}]}}"#, steps.join(","));
        let read = answer(&json).unwrap().steps.unwrap();
        assert_eq!(read.len(), MAX_STEPS_READ);
        assert_eq!(read[15], "s15");
        assert!(answer(r#"{"dossierId":"d1","steps":["front",5]}"#).is_err());
        assert!(answer(r#"{"dossierId":"d1","steps":"front"}"#).is_err());
        assert_eq!(
            answer(r#"{"dossierId":"d1","steps":null}"#).unwrap().steps,
            None
        );
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn rfc3339_never_panics(s in "\\PC{0,45}") {
                let _ = parse_rfc3339_ms(&s);
            }

            #[test]
            fn rfc3339_is_monotonic_in_seconds(y in 1971i64..2100, mo in 1i64..=12, d in 1i64..=28, s in 0i64..59) {
                let a = parse_rfc3339_ms(&format!("{y:04}-{mo:02}-{d:02}T12:00:{s:02}Z")).unwrap();
                let b = parse_rfc3339_ms(&format!("{y:04}-{mo:02}-{d:02}T12:00:{:02}Z", s + 1)).unwrap();
                prop_assert_eq!(b - a, 1000.0);
            }
        }
    }

    #[test]
    fn handoff_links_are_checked_before_use() {
        let origin = Origin::parse("http://localhost:8080").unwrap();
        let link = |json: &str| {
            let answer: HandoffAnswer = serde_json::from_str(json).unwrap();
            HandoffLink::from_answer(&answer, &origin)
        };
        let good = link(
            r#"{"id":"h1","url":" http://localhost:8080/videoid/handoff?t=abc ","expiresIn":90}"#,
        )
        .unwrap();
        assert_eq!(good.url, "http://localhost:8080/videoid/handoff?t=abc");
        assert_eq!((good.id.as_str(), good.minutes), ("h1", 2));
        let bad_url = Err(Failure::SessionInvalid(SessionProblem::BadUrl));
        for url in [
            "javascript:alert(1)",
            "data:text/html,x",
            "/videoid/handoff?t=a",
            "http://localhost:8080/h?t=a b",
            "http://localhost:8080/h?t=\\u0007",
            "http://localhost:8080/h?t=é",
        ] {
            let json = format!(r#"{{"id":"h1","url":"{url}","expiresIn":60}}"#);
            assert_eq!(link(&json), bad_url, "{url}");
        }
        let long = format!(
            r#"{{"id":"h1","url":"http://localhost:8080/h?t={}","expiresIn":60}}"#,
            "a".repeat(MAX_HANDOFF_URL)
        );
        assert_eq!(link(&long), bad_url);
        assert_eq!(
            link(r#"{"id":"h1","url":"http://127.0.0.1:8080/h?t=a","expiresIn":60}"#),
            Err(Failure::SessionInvalid(SessionProblem::OriginNotAllowed))
        );
        assert_eq!(
            link(r#"{"id":"h1","url":"http://localhost:8080/h?t=a","expiresIn":0}"#),
            Err(Failure::SessionExpired)
        );
        assert_eq!(
            link(r#"{"id":"h1","url":"http://localhost:8080/h?t=a"}"#),
            Err(Failure::SessionInvalid(SessionProblem::MalformedAnswer))
        );
        assert_eq!(
            link(r#"{"id":"","url":"http://localhost:8080/h?t=a","expiresIn":60}"#),
            Err(Failure::SessionInvalid(SessionProblem::BadId))
        );
    }

    #[test]
    fn handoff_statuses_and_calls() {
        let id = Id::parse("h1").unwrap();
        let state = |json: &str| {
            let answer: HandoffAnswer = serde_json::from_str(json).unwrap();
            HandoffState::from_answer(&answer, &id)
        };
        let s = state(
            r#"{"id":"h1","status":"uploading","dossierId":"d","processId":"p","expiresAt":"x"}"#,
        )
        .unwrap();
        assert_eq!(s.status, HandoffStatus::Uploading);
        assert_eq!(s.status.event(), "capturing");
        assert_eq!(
            s.ids,
            Some((Id::parse("d").unwrap(), Id::parse("p").unwrap()))
        );
        assert_eq!(
            state(r#"{"id":"h1","status":"waiting","dossierId":"d"}"#)
                .unwrap()
                .ids,
            None
        );
        for status in [
            "waiting",
            "opened",
            "pairing",
            "paired",
            "capturing",
            "complete",
            "expired",
            "cancelled",
        ] {
            let parsed = HandoffStatus::parse(status).unwrap();
            assert_eq!(parsed.event(), status);
        }
        // Pairing carries its code, digits only; no other status does.
        let pairing = state(r#"{"id":"h1","status":"pairing","code":"0482"}"#).unwrap();
        assert_eq!(pairing.code.as_deref(), Some("0482"));
        for bad in [
            r#"{"id":"h1","status":"pairing"}"#,
            r#"{"id":"h1","status":"pairing","code":"12"}"#,
            r#"{"id":"h1","status":"pairing","code":"12a4"}"#,
            r#"{"id":"h1","status":"pairing","code":"<b>1234</b>"}"#,
        ] {
            assert!(state(bad).is_err(), "{bad}");
        }
        let paired = state(r#"{"id":"h1","status":"paired","code":"0482"}"#).unwrap();
        assert_eq!(paired.code, None);
        assert!(state(r#"{"id":"h2","status":"waiting"}"#).is_err());
        assert!(state(r#"{"id":"h1","status":"Waiting"}"#).is_err());
        assert!(state(r#"{"id":"h1","status":"opened","processId":"../x"}"#).is_err());
        assert_eq!(
            handoff_call("/api/videoid/handoff?scenario=accepted", &id, "/events"),
            "/api/videoid/handoff/h1/events?scenario=accepted"
        );
        assert_eq!(
            handoff_call("https://a.example/h/", &id, ""),
            "https://a.example/h/h1"
        );
    }
}
