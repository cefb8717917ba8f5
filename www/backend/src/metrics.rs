//! The backend's counters, rendered in Prometheus's text exposition format (version 0.0.4) at
//! `GET /metrics`: requests by route template, method and status, a latency histogram per
//! route, Assure calls (every attempt, by result) and the calls that failed in the end (by
//! fault), session starts by mode and outcome, and verification results the webhook reported.
//! The gauge of open handoffs is read from the database when scraped (see [`crate::ops`]).
//!
//! Every label value comes from a fixed set or from the router's route templates, never from a
//! request's raw path, so the series stay few and carry no ids.

use axum::http::{Method, StatusCode};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram's buckets.
pub const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0,
];

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "unmatched";

/// Verification statuses counted by name; any other is `other`.
const STATUSES: [&str; 8] = [
    "accepted",
    "rejected",
    "inconclusive",
    "failed",
    "canceled",
    "cancelled",
    "pending",
    "processing",
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Observations per bucket (not cumulative); the last one is `+Inf`.
    buckets: [u64; LATENCY_BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        let i = LATENCY_BUCKETS
            .iter()
            .position(|le| seconds <= *le)
            .unwrap_or(LATENCY_BUCKETS.len());
        self.buckets[i] += 1;
        self.sum += seconds;
        self.count += 1;
    }
}

#[derive(Debug, Default)]
struct Counts {
    requests: BTreeMap<(String, &'static str, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    upstream: BTreeMap<(String, &'static str), u64>,
    faults: BTreeMap<(String, &'static str), u64>,
    sessions: BTreeMap<(&'static str, &'static str), u64>,
    verifications: BTreeMap<&'static str, u64>,
}

/// One backend's counters (one per `Backend`, shared with its Assure client).
#[derive(Debug, Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
}

/// A method as a label: the usual ones by name, any other as `other`.
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// An Assure path as a label: ids after `dossiers` and `processes` replaced by placeholders,
/// no query string (`/assure/dossiers/{dossierId}/processes/{processId}/images`).
pub fn upstream_call(method: &Method, path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut out = String::with_capacity(path.len());
    let mut previous = "";
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        match previous {
            "dossiers" => out.push_str("{dossierId}"),
            "processes" => out.push_str("{processId}"),
            _ => out.push_str(segment),
        }
        previous = segment;
    }
    format!("{} {out}", method_label(method))
}

impl Metrics {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        // A panic elsewhere while counting leaves numbers that are still worth showing.
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One answered request.
    pub fn request(&self, route: &str, method: &Method, status: StatusCode, latency: Duration) {
        let mut c = self.counts();
        *c.requests
            .entry((route.to_string(), method_label(method), status.as_u16()))
            .or_default() += 1;
        c.latency
            .entry(route.to_string())
            .or_default()
            .observe(latency.as_secs_f64());
    }

    /// One attempt of an Assure call and its result (`2xx`, `4xx`, `5xx`, `unreachable`,
    /// `no_answer`, `timed_out`).
    pub fn upstream(&self, call: &str, result: &'static str) {
        *self
            .counts()
            .upstream
            .entry((call.to_string(), result))
            .or_default() += 1;
    }

    /// An Assure call that failed in the end (after its retries), by fault.
    pub fn fault(&self, call: &str, fault: &'static str) {
        *self
            .counts()
            .faults
            .entry((call.to_string(), fault))
            .or_default() += 1;
    }

    /// A session request (`hosted`, `native`, `sdk`, `invalid`) and its outcome (`started`,
    /// `refused` for a 4xx, `failed` for a 5xx).
    pub fn session(&self, mode: &'static str, status: StatusCode) {
        let outcome = if status.is_success() {
            "started"
        } else if status.is_client_error() {
            "refused"
        } else {
            "failed"
        };
        *self.counts().sessions.entry((mode, outcome)).or_default() += 1;
    }

    /// A verification result the webhook reported (counted once per event).
    pub fn verification(&self, status: &str) {
        let status = STATUSES
            .iter()
            .find(|s| **s == status)
            .copied()
            .unwrap_or("other");
        *self.counts().verifications.entry(status).or_default() += 1;
    }

    /// The counters in the text exposition format; `open_handoffs` when the database said.
    pub fn render(&self, open_handoffs: Option<u64>) -> String {
        let c = self.counts();
        let mut out = String::new();
        header(
            &mut out,
            "videoid_http_requests_total",
            "counter",
            "Requests answered, by route template, method and status.",
        );
        for ((route, method, status), n) in &c.requests {
            let labels = labels(&[
                ("route", route),
                ("method", method),
                ("status", &status.to_string()),
            ]);
            let _ = writeln!(out, "videoid_http_requests_total{{{labels}}} {n}");
        }
        header(
            &mut out,
            "videoid_http_request_duration_seconds",
            "histogram",
            "Time to answer a request, by route template.",
        );
        for (route, h) in &c.latency {
            let mut cumulative = 0;
            for (i, n) in h.buckets.iter().enumerate() {
                cumulative += n;
                let le = LATENCY_BUCKETS
                    .get(i)
                    .map_or_else(|| "+Inf".to_string(), |le| le.to_string());
                let labels = labels(&[("route", route), ("le", &le)]);
                let _ = writeln!(
                    out,
                    "videoid_http_request_duration_seconds_bucket{{{labels}}} {cumulative}"
                );
            }
            let labels = labels(&[("route", route)]);
            let _ = writeln!(
                out,
                "videoid_http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "videoid_http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        header(
            &mut out,
            "videoid_upstream_requests_total",
            "counter",
            "Attempts of Assure API calls (retries and token fetches included), by call and result.",
        );
        for ((call, result), n) in &c.upstream {
            let labels = labels(&[("call", call), ("result", result)]);
            let _ = writeln!(out, "videoid_upstream_requests_total{{{labels}}} {n}");
        }
        header(
            &mut out,
            "videoid_upstream_faults_total",
            "counter",
            "Assure API calls that failed after their retries, by call and fault.",
        );
        for ((call, fault), n) in &c.faults {
            let labels = labels(&[("call", call), ("fault", fault)]);
            let _ = writeln!(out, "videoid_upstream_faults_total{{{labels}}} {n}");
        }
        header(
            &mut out,
            "videoid_sessions_total",
            "counter",
            "Session requests, by mode and outcome (started, refused, failed).",
        );
        for ((mode, outcome), n) in &c.sessions {
            let labels = labels(&[("mode", mode), ("outcome", outcome)]);
            let _ = writeln!(out, "videoid_sessions_total{{{labels}}} {n}");
        }
        header(
            &mut out,
            "videoid_verifications_total",
            "counter",
            "Verification results reported by the webhook, by status.",
        );
        for (status, n) in &c.verifications {
            let labels = labels(&[("status", status)]);
            let _ = writeln!(out, "videoid_verifications_total{{{labels}}} {n}");
        }
        if let Some(open) = open_handoffs {
            header(
                &mut out,
                "videoid_handoffs_open",
                "gauge",
                "Handoffs not yet complete, cancelled or expired (all instances: read from the database).",
            );
            let _ = writeln!(out, "videoid_handoffs_open {open}");
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// `name="value",…` with the values escaped as the format asks.
fn labels(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{name}=\"");
        for ch in value.chars() {
            match ch {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_calls_carry_no_ids() {
        assert_eq!(
            upstream_call(
                &Method::GET,
                "/assure/dossiers/d-123/processes/p-456/images?depiction=front"
            ),
            "GET /assure/dossiers/{dossierId}/processes/{processId}/images"
        );
        assert_eq!(
            upstream_call(&Method::POST, "/assure/dossiers"),
            "POST /assure/dossiers"
        );
        assert_eq!(
            upstream_call(&Method::DELETE, "/assure/dossiers/d-1"),
            "DELETE /assure/dossiers/{dossierId}"
        );
    }

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let m = Metrics::default();
        let route = "/api/videoid/session";
        m.request(
            route,
            &Method::POST,
            StatusCode::OK,
            Duration::from_millis(3),
        );
        m.request(
            route,
            &Method::POST,
            StatusCode::OK,
            Duration::from_millis(30),
        );
        m.request(
            route,
            &Method::POST,
            StatusCode::BAD_GATEWAY,
            Duration::from_secs(60),
        );
        m.upstream("POST /assure/dossiers", "5xx");
        m.fault("POST /assure/dossiers", "status_5xx");
        m.session("native", StatusCode::OK);
        m.session("native", StatusCode::BAD_REQUEST);
        m.verification("accepted");
        m.verification("<script>");
        let text = m.render(Some(2));
        let has = |line: &str| text.lines().any(|l| l == line);
        assert!(has("videoid_http_requests_total{route=\"/api/videoid/session\",method=\"POST\",status=\"200\"} 2"), "{text}");
        assert!(has("videoid_http_requests_total{route=\"/api/videoid/session\",method=\"POST\",status=\"502\"} 1"));
        assert!(has("videoid_http_request_duration_seconds_bucket{route=\"/api/videoid/session\",le=\"0.005\"} 1"));
        assert!(has("videoid_http_request_duration_seconds_bucket{route=\"/api/videoid/session\",le=\"0.05\"} 2"));
        assert!(has("videoid_http_request_duration_seconds_bucket{route=\"/api/videoid/session\",le=\"20\"} 2"));
        assert!(has("videoid_http_request_duration_seconds_bucket{route=\"/api/videoid/session\",le=\"+Inf\"} 3"));
        assert!(has(
            "videoid_http_request_duration_seconds_count{route=\"/api/videoid/session\"} 3"
        ));
        assert!(has(
            "videoid_upstream_requests_total{call=\"POST /assure/dossiers\",result=\"5xx\"} 1"
        ));
        assert!(has(
            "videoid_upstream_faults_total{call=\"POST /assure/dossiers\",fault=\"status_5xx\"} 1"
        ));
        assert!(has(
            "videoid_sessions_total{mode=\"native\",outcome=\"started\"} 1"
        ));
        assert!(has(
            "videoid_sessions_total{mode=\"native\",outcome=\"refused\"} 1"
        ));
        assert!(has("videoid_verifications_total{status=\"accepted\"} 1"));
        assert!(has("videoid_verifications_total{status=\"other\"} 1"));
        assert!(has("videoid_handoffs_open 2"));
        assert!(has(
            "# TYPE videoid_http_request_duration_seconds histogram"
        ));
        assert!(!m.render(None).contains("videoid_handoffs_open"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(
            labels(&[("a", "x\"y\\z\nw"), ("b", "c")]),
            "a=\"x\\\"y\\\\z\\nw\",b=\"c\""
        );
    }
}
