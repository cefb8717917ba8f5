//! Rate limits, per client address and per end-user, so that a loop cannot create Assure
//! dossiers and processes (cost, quota) or fill the database, and one source cannot flood the
//! webhook.
//!
//! Each route belongs to a class with a GCRA quota (a burst, then one request per period):
//!
//! | class | routes | per client address | per end-user (cookie) |
//! |---|---|---|---|
//! | `start` | `POST /session`, `POST /handoff` | 20, then 1 per 3 s | 10, then 1 per 6 s |
//! | `upload` | `PUT /upload/{step}`, `POST /upload/complete` | 60, then 2 per s | |
//! | `poll` | `GET /result`, `/dossier`, `/handoff/phone`, `/handoff/{id}/events` | 120, then 4 per s | 60, then 2 per s |
//! | `read` | media, `DELETE` routes | 60, then 2 per s | |
//! | `webhook` | `POST /events…` | 200, then 20 per s | |
//!
//! A person who retries a few times never meets them; a burst of 300 session requests from
//! one address does, after 20. The client address is the real one behind trusted proxies
//! ([`crate::proxies`]); IPv6 addresses count per /64, the block one end-user holds. A request
//! over a limit is `429 { "error" }` with `Retry-After` (whole seconds), and does nothing.
//! `VIDEOID_RATE_LIMITS` changes a class (`start=20/3s,poll=120/250ms`, `…-user` for the
//! per-end-user quotas) or turns them all `off` (a test rig that sends everything from one
//! address); the probes and `/metrics` are never limited.

use crate::http::cookie_value;
use crate::http::json_error;
use crate::proxies::Client;
use crate::store::EndUserKey;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A quota: `burst` requests at once, then one more every `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// How many requests may come at once.
    pub burst: NonZeroU32,
    /// How often one more is allowed.
    pub period: Duration,
}

impl Rate {
    const fn new(burst: u32, period_ms: u64) -> Rate {
        Rate {
            burst: match NonZeroU32::new(burst) {
                Some(b) => b,
                None => NonZeroU32::MIN,
            },
            period: Duration::from_millis(period_ms),
        }
    }

    /// Reads `burst/period`, the period in `ms` or `s` (`20/3s`, `120/250ms`).
    fn parse(text: &str) -> Result<Rate, String> {
        let bad = || format!("{text}: not burst/period (for example 20/3s or 120/250ms)");
        let (burst, period) = text.split_once('/').ok_or_else(bad)?;
        let burst: u32 = burst.trim().parse().map_err(|_| bad())?;
        let period = period.trim();
        let ms = if let Some(ms) = period.strip_suffix("ms") {
            ms.parse::<u64>().map_err(|_| bad())?
        } else if let Some(s) = period.strip_suffix('s') {
            s.parse::<u64>()
                .map_err(|_| bad())?
                .checked_mul(1000)
                .ok_or_else(bad)?
        } else {
            return Err(bad());
        };
        if burst == 0 || ms == 0 {
            return Err(bad());
        }
        Ok(Rate::new(burst, ms))
    }
}

/// The quotas of every class (module docs); `Default` is the documented defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    pub start: Rate,
    pub start_user: Rate,
    pub upload: Rate,
    pub poll: Rate,
    pub poll_user: Rate,
    pub read: Rate,
    pub webhook: Rate,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            start: Rate::new(20, 3_000),
            start_user: Rate::new(10, 6_000),
            upload: Rate::new(60, 500),
            poll: Rate::new(120, 250),
            poll_user: Rate::new(60, 500),
            read: Rate::new(60, 500),
            webhook: Rate::new(200, 50),
        }
    }
}

impl RateLimits {
    /// Reads `VIDEOID_RATE_LIMITS`: `off` (`None`), or the defaults with the classes it names
    /// changed (`start=20/3s,poll-user=60/500ms`).
    pub fn parse(text: &str) -> Result<Option<RateLimits>, String> {
        if text.trim() == "off" {
            return Ok(None);
        }
        let mut limits = RateLimits::default();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (class, rate) = item
                .split_once('=')
                .ok_or_else(|| format!("{item}: not class=burst/period"))?;
            let rate = Rate::parse(rate)?;
            let slot = match class.trim() {
                "start" => &mut limits.start,
                "start-user" => &mut limits.start_user,
                "upload" => &mut limits.upload,
                "poll" => &mut limits.poll,
                "poll-user" => &mut limits.poll_user,
                "read" => &mut limits.read,
                "webhook" => &mut limits.webhook,
                other => {
                    return Err(format!(
                        "{other}: no such class (start, start-user, upload, poll, poll-user, read, webhook)"
                    ))
                }
            };
            *slot = rate;
        }
        Ok(Some(limits))
    }
}

type Limiter<K> = DefaultKeyedRateLimiter<K>;

fn limiter<K: std::hash::Hash + Eq + Clone>(rate: Rate) -> Limiter<K> {
    let quota = Quota::with_period(rate.period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(rate.burst);
    governor::RateLimiter::keyed(quota)
}

/// The limiters of one backend (module docs).
pub struct Limiters {
    start: Limiter<IpAddr>,
    start_user: Limiter<String>,
    upload: Limiter<IpAddr>,
    poll: Limiter<IpAddr>,
    poll_user: Limiter<String>,
    read: Limiter<IpAddr>,
    webhook: Limiter<IpAddr>,
    checks: AtomicU32,
}

/// Which limits a request meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Start,
    Upload,
    Poll,
    Read,
    Webhook,
}

fn class(method: &Method, route: &str) -> Option<Class> {
    Some(match (method.as_str(), route) {
        ("POST", "/api/videoid/session" | "/api/videoid/handoff") => Class::Start,
        ("PUT", "/api/videoid/upload/{step}") | ("POST", "/api/videoid/upload/complete") => {
            Class::Upload
        }
        (
            "GET",
            "/api/videoid/result"
            | "/api/videoid/dossier"
            | "/api/videoid/handoff/phone"
            | "/api/videoid/handoff/{id}/events",
        ) => Class::Poll,
        ("POST", "/api/videoid/events" | "/api/videoid/events/{secret}") => Class::Webhook,
        (_, "/healthz" | "/readyz" | "/metrics") => return None,
        (_, route) if route.starts_with("/api/videoid/") => Class::Read,
        _ => return None,
    })
}

/// The address a client is counted by: IPv4 as is, IPv6 by its /64.
fn counted(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

impl Limiters {
    /// Limiters with these quotas.
    pub fn new(limits: &RateLimits) -> Limiters {
        Limiters {
            start: limiter(limits.start),
            start_user: limiter(limits.start_user),
            upload: limiter(limits.upload),
            poll: limiter(limits.poll),
            poll_user: limiter(limits.poll_user),
            read: limiter(limits.read),
            webhook: limiter(limits.webhook),
            checks: AtomicU32::new(0),
        }
    }

    /// `Err(wait)` when the request is over one of its class's limits.
    fn check(
        &self,
        class: Class,
        ip: Option<IpAddr>,
        user: Option<String>,
    ) -> Result<(), Duration> {
        // Forget clients whose quota is full again, now and then, so the maps stay small.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            for l in [
                &self.start,
                &self.upload,
                &self.poll,
                &self.read,
                &self.webhook,
            ] {
                l.retain_recent();
            }
            self.start_user.retain_recent();
            self.poll_user.retain_recent();
        }
        let now = DefaultClock::default().now();
        let by_address = match class {
            Class::Start => &self.start,
            Class::Upload => &self.upload,
            Class::Poll => &self.poll,
            Class::Read => &self.read,
            Class::Webhook => &self.webhook,
        };
        if let Some(ip) = ip {
            by_address
                .check_key(&counted(ip))
                .map_err(|n| n.wait_time_from(now))?;
        }
        let by_user = match class {
            Class::Start => Some(&self.start_user),
            Class::Poll => Some(&self.poll_user),
            _ => None,
        };
        if let (Some(limiter), Some(user)) = (by_user, user) {
            limiter
                .check_key(&user)
                .map_err(|n| n.wait_time_from(now))?;
        }
        Ok(())
    }
}

/// Refuses a request over its limits (module docs). Runs inside [`crate::ops::stamp`], which
/// names the client.
pub(crate) async fn guard(
    State(limiters): State<Option<Arc<Limiters>>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(limiters) = &limiters else {
        return next.run(request).await;
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let Some(class) = class(request.method(), &route) else {
        return next.run(request).await;
    };
    let ip = request.extensions().get::<Client>().map(|c| c.ip);
    // The end-user's key (a digest of the cookie) only for the classes counted per end-user.
    let user = matches!(class, Class::Start | Class::Poll)
        .then(|| cookie_value(request.headers(), crate::endusers::COOKIE))
        .flatten()
        .map(|cookie| EndUserKey::of_cookie(&cookie).as_str().to_string());
    match limiters.check(class, ip, user) {
        Ok(()) => next.run(request).await,
        Err(wait) => too_many(wait),
    }
}

/// `429 { "error" }` with `Retry-After` in whole seconds (at least 1).
fn too_many(wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let secs = secs.max(1);
    let mut response = json_error(
        StatusCode::TOO_MANY_REQUESTS,
        format!("too many requests: try again in {secs} s"),
    );
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    #[test]
    fn rates_and_overrides_parse() {
        assert_eq!(RateLimits::parse("off"), Ok(None));
        let limits = RateLimits::parse("start=5/2s, poll-user=7/250ms")
            .unwrap()
            .unwrap();
        assert_eq!(limits.start, Rate::new(5, 2_000));
        assert_eq!(limits.poll_user, Rate::new(7, 250));
        assert_eq!(limits.upload, RateLimits::default().upload);
        assert_eq!(RateLimits::parse("").unwrap(), Some(RateLimits::default()));
        for bad in [
            "start",
            "start=5",
            "start=0/1s",
            "start=5/0s",
            "start=5/1h",
            "nope=1/1s",
        ] {
            assert!(RateLimits::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_burst_then_one_per_period_per_address_and_per_user() {
        let limits = RateLimits {
            start: Rate::new(3, 60_000),
            start_user: Rate::new(2, 60_000),
            ..RateLimits::default()
        };
        let l = Limiters::new(&limits);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check(Class::Start, Some(a), None).is_ok());
        }
        let wait = l.check(Class::Start, Some(a), None).unwrap_err();
        assert!(
            wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert!(
            l.check(Class::Start, Some(b), None).is_ok(),
            "another address"
        );
        // Uploads are another class.
        assert!(l.check(Class::Upload, Some(a), None).is_ok());
        // One end-user from several addresses.
        let user = || Some("u1".to_string());
        let c: IpAddr = "198.51.100.1".parse().unwrap();
        let d: IpAddr = "198.51.100.2".parse().unwrap();
        assert!(l.check(Class::Start, Some(c), user()).is_ok());
        assert!(l.check(Class::Start, Some(d), user()).is_ok());
        assert!(l.check(Class::Start, Some(b), user()).is_err());
    }

    #[test]
    fn ipv6_counts_per_64() {
        let one: Ipv6Addr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let two: Ipv6Addr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(counted(IpAddr::V6(one)), counted(IpAddr::V6(two)));
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(counted(v4), v4);
    }

    #[test]
    fn routes_map_to_classes_and_probes_to_none() {
        assert_eq!(
            class(&Method::POST, "/api/videoid/session"),
            Some(Class::Start)
        );
        assert_eq!(
            class(&Method::PUT, "/api/videoid/upload/{step}"),
            Some(Class::Upload)
        );
        assert_eq!(
            class(&Method::GET, "/api/videoid/result"),
            Some(Class::Poll)
        );
        assert_eq!(
            class(&Method::POST, "/api/videoid/events/{secret}"),
            Some(Class::Webhook)
        );
        assert_eq!(
            class(&Method::GET, "/api/videoid/images"),
            Some(Class::Read)
        );
        assert_eq!(class(&Method::GET, "/healthz"), None);
        assert_eq!(class(&Method::GET, "/metrics"), None);
        assert_eq!(class(&Method::GET, "/"), None);
    }
}
