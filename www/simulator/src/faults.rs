//! Fault injection: the simulator can answer like an unreliable Assure API — a share of calls
//! answered `500`/`503`, `429` with `Retry-After`, added latency, a connection cut in the
//! middle of its answer, an endpoint that is down for a while — and can make its own webhook
//! deliveries fail. Set with `VIDEOID_SIM_FAULTS`, `--faults`, or `PUT /simulator/faults`.
//!
//! ```text
//! spec   = item (";" item)*
//! item   = "seed=" N  |  target ":" fault ("," fault)*
//! target = "all"                      the token endpoint and the Assure API (/auth/, /assure/)
//!        | "webhook"                  the simulator's own process.complete deliveries
//!        | [METHOD " "] PATH          one endpoint; "*" is any one path segment, a final "**" any rest
//! fault  = STATUS [when]              500-599: answered with that status, the call not handled
//!        | "429" [when] ["retry-after=" DURATION]        (default 1s)
//!        | "latency" DURATION [when]  answered that much later (added to any other fault)
//!        | "drop" [when]              handled, then the connection is cut halfway through the answer
//!        | "down" DURATION            every call answered 503 (with Retry-After) for that long
//!                                     after the faults were set
//! when   = P "%"                      a share of the matching calls, drawn from the seed
//!        | "first=" N                 the first N matching calls
//!                                     (neither: every matching call)
//! ```
//!
//! For example `seed=7; all: 500 3%, 503 3%, 429 2% retry-after=1s, drop 2%; POST
//! /auth/open/connect/token: down 5s; webhook: drop 20%`.
//!
//! The draw for the n-th call a fault sees is a hash of the seed, the fault's place in the spec
//! and n, so calls made in the same order meet the same faults in every run; without a seed one
//! is picked at random (and shown by `GET /simulator/faults`). The control API (`/simulator/`)
//! never meets faults. For webhook deliveries, a status, `429` or `down` means the attempt is not
//! sent (and retried later), `drop` that it is sent and its answer ignored (so it is sent again).

use super::Simulator;
use crate::http::json_error;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use serde_json::{json, Value};
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// The most faults one spec may hold.
pub const MAX_FAULTS: usize = 64;

/// The largest answer a `drop` fault reads before cutting it.
const MAX_CUT_BODY: usize = 64 << 20;

/// Which calls a fault applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The token endpoint and the Assure API.
    All,
    /// The simulator's webhook deliveries.
    Webhook,
    /// One endpoint: a method (any when `None`) and path segments (`*` any one, a final `**` any rest).
    Endpoint {
        method: Option<Method>,
        segments: Vec<String>,
    },
}

impl Target {
    fn matches(&self, method: &Method, path: &str) -> bool {
        match self {
            Target::All => path.starts_with("/auth/") || path.starts_with("/assure/"),
            Target::Webhook => false,
            Target::Endpoint {
                method: wanted,
                segments,
            } => {
                if wanted.as_ref().is_some_and(|m| m != method) {
                    return false;
                }
                let mut got = path.trim_start_matches('/').split('/');
                for (i, want) in segments.iter().enumerate() {
                    if want == "**" && i + 1 == segments.len() {
                        return true;
                    }
                    match got.next() {
                        Some(segment) if want == "*" || want == segment => {}
                        _ => return false,
                    }
                }
                got.next().is_none()
            }
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::All => f.write_str("all"),
            Target::Webhook => f.write_str("webhook"),
            Target::Endpoint { method, segments } => {
                if let Some(method) = method {
                    write!(f, "{method} ")?;
                }
                write!(f, "/{}", segments.join("/"))
            }
        }
    }
}

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Answers with this status (500–599) without handling the call.
    Status(u16),
    /// Answers `429` with `Retry-After` without handling the call.
    TooMany { retry_after: Duration },
    /// Answers this much later.
    Latency(Duration),
    /// Handles the call, then cuts the connection halfway through the answer.
    Drop,
    /// Answers `503` for this long after the faults were set.
    Down(Duration),
}

impl Kind {
    /// The short name the record and the control API show.
    pub fn name(self) -> String {
        match self {
            Kind::Status(s) => s.to_string(),
            Kind::TooMany { .. } => "429".into(),
            Kind::Latency(_) => "latency".into(),
            Kind::Drop => "drop".into(),
            Kind::Down(_) => "down".into(),
        }
    }
}

/// Which of the matching calls a fault meets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// Every one.
    Always,
    /// This share (0–1), drawn from the seed.
    Share(f64),
    /// The first N.
    First(u64),
}

/// One fault of a spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub target: Target,
    pub kind: Kind,
    pub when: When,
}

/// A parsed spec: its faults and the seed of their draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The spec as given.
    pub spec: String,
    pub seed: u64,
    /// True when the spec named the seed.
    pub seeded: bool,
    pub faults: Vec<Fault>,
}

/// A spec that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSpec(pub String);

impl fmt::Display for BadSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "faults: {}", self.0)
    }
}

impl std::error::Error for BadSpec {}

/// Reads `800ms`, `2s`, `1.5s` or `5m`.
fn duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let n: f64 = number.parse().ok().filter(|n: &f64| n.is_finite())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return None,
    };
    (0.0..=3600.0)
        .contains(&secs)
        .then(|| Duration::from_secs_f64(secs))
}

fn parse_target(text: &str) -> Result<Target, BadSpec> {
    let text = text.trim();
    match text {
        "all" => return Ok(Target::All),
        "webhook" => return Ok(Target::Webhook),
        _ => {}
    }
    let (method, path) = match text.split_once(' ') {
        Some((m, p)) => {
            let known = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
            let m = m.to_ascii_uppercase();
            let method = known
                .contains(&m.as_str())
                .then(|| Method::from_bytes(m.as_bytes()).ok())
                .flatten()
                .ok_or_else(|| BadSpec(format!("not an HTTP method: {m}")))?;
            (Some(method), p.trim())
        }
        None => (None, text),
    };
    let Some(path) = path.strip_prefix('/') else {
        return Err(BadSpec(format!(
            "a target is all, webhook or [METHOD] /path: {text}"
        )));
    };
    let segments: Vec<String> = path.split('/').map(str::to_string).collect();
    let ok = segments.iter().enumerate().all(|(i, s)| {
        (s == "**" && i + 1 == segments.len())
            || s == "*"
            || (!s.is_empty() && s.chars().all(|c| c.is_ascii_graphic() && c != '*'))
    });
    if !ok || path.starts_with("simulator") {
        return Err(BadSpec(format!(
            "not a path of the simulator's APIs (segments, * or a final **): /{path}"
        )));
    }
    Ok(Target::Endpoint { method, segments })
}

fn parse_fault(target: &Target, text: &str) -> Result<Fault, BadSpec> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let bad = |why: &str| BadSpec(format!("{why}: {text}"));
    let (&head, rest) = words.split_first().ok_or_else(|| bad("an empty fault"))?;
    let mut when = When::Always;
    let mut retry_after = None;
    let mut amount = None;
    for word in rest {
        if let Some(p) = word.strip_suffix('%') {
            let p: f64 = p
                .parse()
                .ok()
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or_else(|| bad("a share is 0-100%"))?;
            when = When::Share(p / 100.0);
        } else if let Some(n) = word.strip_prefix("first=") {
            when = When::First(n.parse().map_err(|_| bad("first= takes a count"))?);
        } else if let Some(d) = word.strip_prefix("retry-after=") {
            retry_after = Some(duration(d).ok_or_else(|| bad("retry-after= takes a duration"))?);
        } else if let Some(d) = duration(word) {
            amount = Some(d);
        } else {
            return Err(bad("unknown word"));
        }
    }
    let kind = match head {
        "latency" => Kind::Latency(amount.ok_or_else(|| bad("latency needs a duration"))?),
        "down" => {
            if when != When::Always {
                return Err(bad("down takes no share"));
            }
            Kind::Down(amount.ok_or_else(|| bad("down needs a duration"))?)
        }
        "drop" => Kind::Drop,
        "429" => Kind::TooMany {
            retry_after: retry_after.unwrap_or(Duration::from_secs(1)),
        },
        status => match status.parse::<u16>() {
            Ok(s) if (500..=599).contains(&s) => Kind::Status(s),
            _ => return Err(bad("a fault is 500-599, 429, latency, drop or down")),
        },
    };
    if amount.is_some() && !matches!(kind, Kind::Latency(_) | Kind::Down(_)) {
        return Err(bad("only latency and down take a duration"));
    }
    if retry_after.is_some() && !matches!(kind, Kind::TooMany { .. }) {
        return Err(bad("only 429 takes retry-after="));
    }
    Ok(Fault {
        target: target.clone(),
        kind,
        when,
    })
}

impl Plan {
    /// Parses a spec (the module's documentation has the grammar); an empty one has no faults.
    pub fn parse(spec: &str) -> Result<Plan, BadSpec> {
        let mut plan = Plan {
            spec: spec.trim().to_string(),
            seed: random_seed(),
            seeded: false,
            faults: Vec::new(),
        };
        for item in spec.split(';').map(str::trim).filter(|i| !i.is_empty()) {
            if let Some(seed) = item.strip_prefix("seed=") {
                plan.seed = seed
                    .trim()
                    .parse()
                    .map_err(|_| BadSpec(format!("seed= takes a number: {item}")))?;
                plan.seeded = true;
                continue;
            }
            let Some((target, faults)) = item.split_once(':') else {
                return Err(BadSpec(format!("expected target: faults, got {item}")));
            };
            let target = parse_target(target)?;
            for fault in faults.split(',').map(str::trim) {
                let fault = parse_fault(&target, fault)?;
                if fault.target == Target::Webhook && matches!(fault.kind, Kind::Down(_)) {
                    return Err(BadSpec("webhook takes no down fault".into()));
                }
                plan.faults.push(fault);
            }
        }
        if plan.faults.len() > MAX_FAULTS {
            return Err(BadSpec(format!("at most {MAX_FAULTS} faults")));
        }
        Ok(plan)
    }
}

fn random_seed() -> u64 {
    let mut b = [0u8; 8];
    let _ = getrandom::getrandom(&mut b);
    u64::from_le_bytes(b) >> 16
}

/// SplitMix64: a well-mixed 64-bit hash of the seed, the fault's place and the call's number.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A number in [0, 1) drawn for the `n`-th call fault `index` sees.
fn draw(seed: u64, index: usize, n: u64) -> f64 {
    let h = mix(seed ^ mix((index as u64) << 40 ^ n));
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// What a call meets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Decision {
    /// Added before the answer.
    pub delay: Duration,
    /// The fault that answers instead of (or, for `drop`, after) the handler.
    pub answer: Option<Answer>,
}

/// A fault that decides the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    TooMany { retry_after: Duration },
    Drop,
    Down { remaining: Duration },
}

impl Answer {
    fn name(self) -> String {
        match self {
            Answer::Status(s) => s.to_string(),
            Answer::TooMany { .. } => "429".into(),
            Answer::Drop => "drop".into(),
            Answer::Down { .. } => "down".into(),
        }
    }
}

struct Active {
    plan: Plan,
    since: Instant,
    /// Per fault: calls it saw, and how many it met.
    seen: Vec<u64>,
    met: Vec<u64>,
}

/// The faults in effect, with their counts.
#[derive(Default)]
pub struct Faults {
    active: Mutex<Option<Active>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, Option<Active>> {
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts a plan in effect (or none); counts and `down` windows start again.
    pub fn set(&self, plan: Option<Plan>) {
        *self.lock() = plan.filter(|p| !p.faults.is_empty()).map(|plan| Active {
            seen: vec![0; plan.faults.len()],
            met: vec![0; plan.faults.len()],
            plan,
            since: Instant::now(),
        });
    }

    /// True when any fault is set.
    pub fn any(&self) -> bool {
        self.lock().is_some()
    }

    /// Decides what a call (`webhook`: a delivery) meets, and counts it.
    pub fn decide(&self, method: &Method, path: &str, webhook: bool) -> Decision {
        let mut guard = self.lock();
        let Some(active) = guard.as_mut() else {
            return Decision::default();
        };
        let mut decision = Decision::default();
        let elapsed = active.since.elapsed();
        for (i, fault) in active.plan.faults.iter().enumerate() {
            let applies = if webhook {
                fault.target == Target::Webhook
            } else {
                fault.target.matches(method, path)
            };
            if !applies {
                continue;
            }
            let n = active.seen[i];
            active.seen[i] += 1;
            let met = match (fault.kind, fault.when) {
                (Kind::Down(d), _) => elapsed < d,
                (_, When::Always) => true,
                (_, When::First(k)) => n < k,
                (_, When::Share(p)) => draw(active.plan.seed, i, n) < p,
            };
            if !met {
                continue;
            }
            active.met[i] += 1;
            decision.answer = match fault.kind {
                Kind::Latency(d) => {
                    decision.delay += d;
                    continue;
                }
                Kind::Status(s) => Some(Answer::Status(s)),
                Kind::TooMany { retry_after } => Some(Answer::TooMany { retry_after }),
                Kind::Drop => Some(Answer::Drop),
                Kind::Down(d) => Some(Answer::Down {
                    remaining: d.saturating_sub(elapsed),
                }),
            };
            break;
        }
        decision
    }

    /// The spec in effect and every fault's counts, as the control API shows them.
    pub fn to_json(&self) -> Value {
        let guard = self.lock();
        let Some(active) = guard.as_ref() else {
            return json!({ "spec": "", "seed": null, "faults": [] });
        };
        let faults: Vec<Value> = active
            .plan
            .faults
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut v = json!({
                    "target": f.target.to_string(),
                    "kind": f.kind.name(),
                    "calls": active.seen[i],
                    "injected": active.met[i],
                });
                match f.when {
                    When::Always => {}
                    When::Share(p) => v["share"] = json!(p),
                    When::First(n) => v["first"] = json!(n),
                }
                match f.kind {
                    Kind::Latency(d) | Kind::Down(d) => v["ms"] = json!(d.as_millis() as u64),
                    Kind::TooMany { retry_after } => {
                        v["retryAfterMs"] = json!(retry_after.as_millis() as u64)
                    }
                    Kind::Status(_) | Kind::Drop => {}
                }
                v
            })
            .collect();
        json!({
            "spec": active.plan.spec,
            "seed": active.plan.seed,
            "seeded": active.plan.seeded,
            "faults": faults,
        })
    }
}

/// The fault a call met, for the record of received calls.
#[derive(Debug, Clone)]
pub struct Injected(pub String);

fn retry_after_header(d: Duration) -> HeaderValue {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    HeaderValue::from(secs.max(1))
}

/// Applies the faults in effect to a call of the simulator's APIs (never the control API).
pub(super) async fn inject(
    State(sim): State<Arc<Simulator>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == "/simulator" || path.starts_with("/simulator/") || !sim.faults.any() {
        return next.run(request).await;
    }
    let decision = sim.faults.decide(request.method(), path, false);
    if !decision.delay.is_zero() {
        // A stopping simulator does not wait for the latency it adds.
        let mut stop = sim.stop.clone();
        tokio::select! {
            _ = tokio::time::sleep(decision.delay) => {}
            _ = stop.wait_for(|s| *s) => {
                return json_error(StatusCode::SERVICE_UNAVAILABLE, "the simulator is stopping");
            }
        }
    }
    let Some(answer) = decision.answer else {
        return next.run(request).await;
    };
    let mut response = match answer {
        Answer::Status(s) => json_error(
            StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "simulated fault",
        ),
        Answer::TooMany { retry_after } => {
            let mut r = json_error(
                StatusCode::TOO_MANY_REQUESTS,
                "simulated fault: too many requests",
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, retry_after_header(retry_after));
            r
        }
        Answer::Down { remaining } => {
            let mut r = json_error(StatusCode::SERVICE_UNAVAILABLE, "simulated fault: down");
            r.headers_mut()
                .insert(header::RETRY_AFTER, retry_after_header(remaining));
            r
        }
        Answer::Drop => cut(next.run(request).await).await,
    };
    response.extensions_mut().insert(Injected(answer.name()));
    response
}

/// The handler's answer with its status and headers, and half its body, then a cut connection.
async fn cut(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_CUT_BODY)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    // A status without a body would end the answer before the cut.
    if matches!(
        parts.status,
        StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED
    ) {
        parts.status = StatusCode::OK;
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    if !bytes.is_empty() {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    }
    Response::from_parts(parts, Body::new(CutBody { head: Some(half) }))
}

/// A body that sends its bytes, then fails: the server closes the connection mid-answer.
struct CutBody {
    head: Option<Bytes>,
}

impl http_body::Body for CutBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.head.take() {
            Some(bytes) if !bytes.is_empty() => Poll::Ready(Some(Ok(Frame::data(bytes)))),
            _ => Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "simulated fault: connection dropped",
            )))),
        }
    }
}

/// `GET /simulator/faults`.
pub(super) async fn show(State(sim): State<Arc<Simulator>>) -> Response {
    axum::Json(sim.faults.to_json()).into_response()
}

/// `PUT /simulator/faults` `{ "spec" }`: replaces the faults (counts start again).
pub(super) async fn replace(
    State(sim): State<Arc<Simulator>>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    #[derive(serde::Deserialize)]
    struct SpecBody {
        spec: String,
    }
    let request: SpecBody = match crate::http::parse_json_request(&headers, &body) {
        Ok(r) => r,
        Err(bad) => return bad,
    };
    match Plan::parse(&request.spec) {
        Ok(plan) => {
            sim.faults.set(Some(plan));
            show(State(sim)).await
        }
        Err(e) => json_error(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

/// `DELETE /simulator/faults`: no faults any more.
pub(super) async fn clear(State(sim): State<Arc<Simulator>>) -> Response {
    sim.faults.set(None);
    show(State(sim)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(spec: &str) -> Plan {
        Plan::parse(spec).unwrap()
    }

    #[test]
    fn specs_parse() {
        let p = plan(
            "seed=7; all: 500 3%, 503 first=2, 429 2% retry-after=2s, drop, latency 150ms 10%; \
             POST /auth/open/connect/token: down 5s; GET /assure/dossiers/*/processes/*: 502; \
             /capture/api/**: latency 1.5s; webhook: drop 20%",
        );
        assert_eq!(p.seed, 7);
        assert!(p.seeded);
        assert_eq!(p.faults.len(), 9);
        assert_eq!(p.faults[0].kind, Kind::Status(500));
        assert_eq!(p.faults[0].when, When::Share(0.03));
        assert_eq!(p.faults[1].when, When::First(2));
        assert_eq!(
            p.faults[2].kind,
            Kind::TooMany {
                retry_after: Duration::from_secs(2)
            }
        );
        assert_eq!(p.faults[3].kind, Kind::Drop);
        assert_eq!(p.faults[3].when, When::Always);
        assert_eq!(p.faults[4].kind, Kind::Latency(Duration::from_millis(150)));
        assert_eq!(p.faults[5].kind, Kind::Down(Duration::from_secs(5)));
        assert_eq!(
            p.faults[5].target.to_string(),
            "POST /auth/open/connect/token"
        );
        assert_eq!(p.faults[7].kind, Kind::Latency(Duration::from_millis(1500)));
        assert_eq!(p.faults[8].target, Target::Webhook);
        assert!(plan("").faults.is_empty());
    }

    #[test]
    fn bad_specs_say_why() {
        for bad in [
            "all 500",
            "all: 404",
            "all: 500 120%",
            "all: 500 first=x",
            "all: latency",
            "all: latency 5",
            "all: down 2s 10%",
            "all: drop 2s",
            "all: 500 retry-after=1s",
            "all: explode",
            "everything: 500",
            "/simulator/faults: 500",
            "FROB /assure: 500",
            "/assure/**/x: 500",
            "webhook: down 1s",
            "seed=x; all: 500",
            "all: latency 2h",
        ] {
            assert!(Plan::parse(bad).is_err(), "{bad}");
        }
        let many = (0..=MAX_FAULTS)
            .map(|_| "500")
            .collect::<Vec<_>>()
            .join(",");
        assert!(Plan::parse(&format!("all: {many}")).is_err());
    }

    #[test]
    fn targets_match_methods_and_segments() {
        let get = Method::GET;
        let post = Method::POST;
        let t = parse_target("GET /assure/dossiers/*/processes/*").unwrap();
        assert!(t.matches(&get, "/assure/dossiers/d/processes/p"));
        assert!(!t.matches(&post, "/assure/dossiers/d/processes/p"));
        assert!(!t.matches(&get, "/assure/dossiers/d/processes/p/images"));
        assert!(!t.matches(&get, "/assure/dossiers/d/processes"));
        let t = parse_target("/assure/**").unwrap();
        assert!(t.matches(&post, "/assure/dossiers"));
        assert!(!t.matches(&post, "/auth/open/connect/token"));
        assert!(Target::All.matches(&post, "/auth/open/connect/token"));
        assert!(Target::All.matches(&get, "/assure/dossiers"));
        assert!(!Target::All.matches(&get, "/capture/api/artifact/x"));
        assert!(!Target::Webhook.matches(&get, "/assure/dossiers"));
    }

    #[test]
    fn draws_are_the_same_for_the_same_seed_and_near_the_share() {
        let decide_all = |seed: u64| {
            let faults = Faults::default();
            faults.set(Some(plan(&format!("seed={seed}; all: 500 10%"))));
            (0..10_000)
                .map(|_| {
                    faults
                        .decide(&Method::GET, "/assure/dossiers", false)
                        .answer
                        .is_some()
                })
                .collect::<Vec<bool>>()
        };
        let a = decide_all(42);
        assert_eq!(a, decide_all(42));
        assert_ne!(a, decide_all(43));
        let met = a.iter().filter(|m| **m).count();
        assert!((800..1200).contains(&met), "{met} of 10000 at 10%");
    }

    #[test]
    fn first_latency_and_order() {
        let faults = Faults::default();
        faults.set(Some(plan(
            "all: latency 10ms, 503 first=2, 500; webhook: drop first=1",
        )));
        let get = |path| faults.decide(&Method::GET, path, false);
        let d = get("/assure/dossiers");
        assert_eq!(d.delay, Duration::from_millis(10));
        assert_eq!(d.answer, Some(Answer::Status(503)));
        assert_eq!(get("/assure/x").answer, Some(Answer::Status(503)));
        assert_eq!(get("/assure/x").answer, Some(Answer::Status(500)));
        assert_eq!(get("/capture/api/x"), Decision::default());
        let hook = || faults.decide(&Method::POST, "", true);
        assert_eq!(hook().answer, Some(Answer::Drop));
        assert_eq!(hook(), Decision::default());
        let shown = faults.to_json();
        assert_eq!(shown["faults"][1]["calls"], 3);
        assert_eq!(shown["faults"][1]["injected"], 2);
        assert_eq!(shown["faults"][3]["calls"], 2);
        faults.set(None);
        assert_eq!(get("/assure/x"), Decision::default());
    }

    #[test]
    fn down_ends_after_its_time() {
        let faults = Faults::default();
        faults.set(Some(plan("POST /auth/open/connect/token: down 50ms")));
        let token = || {
            faults
                .decide(&Method::POST, "/auth/open/connect/token", false)
                .answer
        };
        assert!(matches!(token(), Some(Answer::Down { .. })));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(token(), None);
    }
}
