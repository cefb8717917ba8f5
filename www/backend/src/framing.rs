//! Whether the hosted capture page may be framed by the host page.
//!
//! A browser cannot tell a refused frame from a loaded one (both fire `load`),
//! so the backend reads the capture page's own headers: CSP `frame-ancestors`
//! first and, only when no policy has that directive, `X-Frame-Options`.

use reqwest::Url;
use serde::Serialize;
use std::time::Duration;

/// The answer the session endpoint gives the element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Framing {
    /// The headers allow the host origin to frame the page.
    Allowed,
    /// The headers forbid it.
    Denied,
    /// The page could not be fetched or its headers could not be understood.
    Unknown,
}

/// A tuple origin: scheme, host and port (the default port filled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute http(s) URL.
    pub fn parse(url: &str) -> Option<Origin> {
        Url::parse(url).ok().and_then(|u| Origin::of(&u))
    }

    fn of(url: &Url) -> Option<Origin> {
        let scheme = url.scheme().to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        Some(Origin {
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default()?,
            scheme,
        })
    }
}

/// Fetches `capture_url` (without its fragment) and evaluates its framing headers for `host`.
pub async fn check(client: &reqwest::Client, capture_url: &str, host: &Origin) -> Framing {
    let Ok(mut url) = Url::parse(capture_url) else {
        return Framing::Unknown;
    };
    url.set_fragment(None);
    let response = match client.get(url).timeout(Duration::from_secs(5)).send().await {
        Ok(r) if r.status().is_success() => r,
        _ => return Framing::Unknown,
    };
    let Some(page) = Origin::of(response.url()) else {
        return Framing::Unknown;
    };
    let headers = response.headers();
    let values = |name: &str| -> Option<Vec<String>> {
        headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    };
    match (values("content-security-policy"), values("x-frame-options")) {
        (Some(csp), Some(xfo)) => evaluate(&csp, &xfo, &page, host),
        _ => Framing::Unknown,
    }
}

/// Decides from the header values whether `page` may be framed by `ancestor`.
pub fn evaluate<S: AsRef<str>>(csp: &[S], xfo: &[S], page: &Origin, ancestor: &Origin) -> Framing {
    let verdicts: Vec<Framing> = csp
        .iter()
        .flat_map(|header| header.as_ref().split(','))
        .filter_map(frame_ancestors)
        .map(|sources| source_list_allows(&sources, page, ancestor))
        .collect();
    if verdicts.is_empty() {
        return x_frame_options(xfo, page, ancestor);
    }
    if verdicts.contains(&Framing::Denied) {
        Framing::Denied
    } else if verdicts.contains(&Framing::Unknown) {
        Framing::Unknown
    } else {
        Framing::Allowed
    }
}

/// The source expressions of the first `frame-ancestors` directive of one policy.
fn frame_ancestors(policy: &str) -> Option<Vec<String>> {
    policy.split(';').find_map(|directive| {
        let mut tokens = directive.split_ascii_whitespace();
        let name = tokens.next()?;
        name.eq_ignore_ascii_case("frame-ancestors")
            .then(|| tokens.map(str::to_ascii_lowercase).collect())
    })
}

fn source_list_allows(sources: &[String], page: &Origin, ancestor: &Origin) -> Framing {
    let mut unparseable = false;
    for source in sources.iter().filter(|s| s.as_str() != "'none'") {
        match source_matches(source, page, ancestor) {
            Some(true) => return Framing::Allowed,
            Some(false) => {}
            None => unparseable = true,
        }
    }
    if unparseable {
        Framing::Unknown
    } else {
        Framing::Denied
    }
}

/// `Some(matches)` for a source expression understood, `None` for one that is not.
fn source_matches(source: &str, page: &Origin, ancestor: &Origin) -> Option<bool> {
    if source == "'self'" {
        return Some(self_matches(page, ancestor));
    }
    if source.starts_with('\'') {
        // Nonces, hashes and other keywords do not apply to frame-ancestors.
        return Some(false);
    }
    if source == "*" {
        return Some(true);
    }
    if let Some(scheme) = source.strip_suffix(':') {
        return is_scheme(scheme).then(|| scheme_matches(scheme, &ancestor.scheme));
    }
    let host = HostSource::parse(source)?;
    Some(host.matches(page, ancestor))
}

fn self_matches(page: &Origin, ancestor: &Origin) -> bool {
    if page == ancestor {
        return true;
    }
    page.host == ancestor.host
        && page.scheme == "http"
        && ancestor.scheme == "https"
        && (page.port == ancestor.port || (page.port == 80 && ancestor.port == 443))
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A source scheme matches the same scheme, or its secure upgrade.
fn scheme_matches(source: &str, url: &str) -> bool {
    source == url || (source == "http" && url == "https") || (source == "ws" && url == "wss")
}

/// `[scheme://]host[:port][/path]` with `*.` host wildcards and a `*` port.
#[derive(Debug, PartialEq, Eq)]
struct HostSource<'a> {
    scheme: Option<&'a str>,
    host: &'a str,
    port: Option<&'a str>,
}

impl<'a> HostSource<'a> {
    fn parse(source: &'a str) -> Option<HostSource<'a>> {
        let (scheme, rest) = match source.split_once("://") {
            Some((scheme, rest)) if is_scheme(scheme) => (Some(scheme), rest),
            Some(_) => return None,
            None => (None, source),
        };
        let authority = rest.split('/').next().unwrap_or_default();
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let name = host.strip_prefix("*.").unwrap_or(host);
        let name_ok = host == "*"
            || (!name.is_empty()
                && name.split('.').all(|label| {
                    !label.is_empty()
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                }));
        let port_ok = port.is_none_or(|p| p == "*" || (!p.is_empty() && p.parse::<u16>().is_ok()));
        (name_ok && port_ok).then_some(HostSource { scheme, host, port })
    }

    fn matches(&self, page: &Origin, ancestor: &Origin) -> bool {
        let scheme_ok = match self.scheme {
            Some(scheme) => scheme_matches(scheme, &ancestor.scheme),
            None => scheme_matches(&page.scheme, &ancestor.scheme),
        };
        let host_ok = match self.host.strip_prefix('*') {
            _ if self.host == "*" => true,
            Some(suffix) => ancestor.host.ends_with(suffix) && ancestor.host.len() > suffix.len(),
            None => self.host == ancestor.host,
        };
        let default_port = if ancestor.scheme == "https" { 443 } else { 80 };
        let port_ok = match self.port {
            None => ancestor.port == default_port,
            Some("*") => true,
            Some(p) => p.parse::<u16>().is_ok_and(|p| {
                p == ancestor.port
                    || (p == 80 && ancestor.scheme == "https" && ancestor.port == 443)
            }),
        };
        scheme_ok && host_ok && port_ok
    }
}

fn x_frame_options<S: AsRef<str>>(xfo: &[S], page: &Origin, ancestor: &Origin) -> Framing {
    let mut values: Vec<String> = xfo
        .iter()
        .flat_map(|h| h.as_ref().split(','))
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
    values.sort();
    values.dedup();
    match values.as_slice() {
        [] => Framing::Allowed,
        [one] if one == "deny" => Framing::Denied,
        [one] if one == "sameorigin" => {
            if page == ancestor {
                Framing::Allowed
            } else {
                Framing::Denied
            }
        }
        [one] if one == "allowall" => Framing::Allowed,
        // Conflicting values make browsers refuse the frame.
        many if many.len() > 1
            && many
                .iter()
                .any(|v| matches!(v.as_str(), "deny" | "sameorigin" | "allowall")) =>
        {
            Framing::Denied
        }
        _ => Framing::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(s: &str) -> Origin {
        Origin::parse(s).unwrap()
    }

    fn csp(policy: &str, host: &str) -> Framing {
        evaluate(
            &[policy],
            &[] as &[&str],
            &origin("http://127.0.0.1:8081"),
            &origin(host),
        )
    }

    fn xfo(value: &str, host: &str) -> Framing {
        evaluate(
            &[] as &[&str],
            &[value],
            &origin("http://127.0.0.1:8081"),
            &origin(host),
        )
    }

    const HOST: &str = "http://localhost:8080";

    #[test]
    fn no_headers_allow() {
        assert_eq!(
            evaluate::<&str>(&[], &[], &origin(HOST), &origin(HOST)),
            Framing::Allowed
        );
        assert_eq!(csp("default-src 'self'", HOST), Framing::Allowed);
    }

    #[test]
    fn none_and_empty_deny() {
        assert_eq!(csp("frame-ancestors 'none'", HOST), Framing::Denied);
        assert_eq!(
            csp("default-src 'self'; frame-ancestors", HOST),
            Framing::Denied
        );
        assert_eq!(csp("FRAME-ANCESTORS 'NONE'", HOST), Framing::Denied);
    }

    #[test]
    fn self_matches_only_the_page_origin() {
        assert_eq!(csp("frame-ancestors 'self'", HOST), Framing::Denied);
        assert_eq!(
            csp("frame-ancestors 'self'", "http://127.0.0.1:8081"),
            Framing::Allowed
        );
        assert_eq!(
            csp("frame-ancestors 'self'", "https://127.0.0.1:8081"),
            Framing::Allowed
        );
    }

    #[test]
    fn the_simulator_default_allows_the_demo_host() {
        let policy = "default-src 'self'; frame-ancestors 'self' http://localhost:8080 http://127.0.0.1:8080";
        assert_eq!(csp(policy, HOST), Framing::Allowed);
        assert_eq!(csp(policy, "http://127.0.0.1:8080"), Framing::Allowed);
        assert_eq!(csp(policy, "http://localhost:9999"), Framing::Denied);
        assert_eq!(csp(policy, "http://example.com"), Framing::Denied);
    }

    #[test]
    fn star_and_scheme_sources() {
        assert_eq!(csp("frame-ancestors *", HOST), Framing::Allowed);
        assert_eq!(csp("frame-ancestors http:", HOST), Framing::Allowed);
        assert_eq!(
            csp("frame-ancestors http:", "https://a.example"),
            Framing::Allowed
        );
        assert_eq!(csp("frame-ancestors https:", HOST), Framing::Denied);
    }

    #[test]
    fn host_sources_with_wildcards_and_ports() {
        let host = "https://app.example.com";
        assert_eq!(csp("frame-ancestors *.example.com", host), Framing::Allowed);
        assert_eq!(
            csp("frame-ancestors https://*.example.com", host),
            Framing::Allowed
        );
        assert_eq!(
            csp("frame-ancestors *.example.com", "https://example.com"),
            Framing::Denied
        );
        assert_eq!(
            csp("frame-ancestors https://*.other.com", host),
            Framing::Denied
        );
        assert_eq!(
            csp("frame-ancestors app.example.com:443", host),
            Framing::Allowed
        );
        assert_eq!(
            csp("frame-ancestors app.example.com:8443", host),
            Framing::Denied
        );
        assert_eq!(
            csp(
                "frame-ancestors app.example.com:*",
                "https://app.example.com:8443"
            ),
            Framing::Allowed
        );
        assert_eq!(
            csp("frame-ancestors http://app.example.com", host),
            Framing::Allowed
        );
        assert_eq!(
            csp("frame-ancestors https://app.example.com/some/path", host),
            Framing::Allowed
        );
        assert_eq!(csp("frame-ancestors localhost", HOST), Framing::Denied);
        assert_eq!(
            csp("frame-ancestors localhost:8080", HOST),
            Framing::Allowed
        );
    }

    #[test]
    fn every_policy_must_allow() {
        let allow = "frame-ancestors *";
        let deny = "frame-ancestors 'none'";
        let page = origin("http://127.0.0.1:8081");
        assert_eq!(
            evaluate(&[allow, deny], &[], &page, &origin(HOST)),
            Framing::Denied
        );
        assert_eq!(
            csp("frame-ancestors *, frame-ancestors 'none'", HOST),
            Framing::Denied
        );
        assert_eq!(
            evaluate(&[allow, "default-src *"], &[], &page, &origin(HOST)),
            Framing::Allowed
        );
    }

    #[test]
    fn unparseable_sources_are_unknown_unless_another_matches() {
        assert_eq!(
            csp("frame-ancestors http://[::1]:8080", HOST),
            Framing::Unknown
        );
        assert_eq!(csp("frame-ancestors ht%tp://x", HOST), Framing::Unknown);
        assert_eq!(
            csp("frame-ancestors bad^host localhost:8080", HOST),
            Framing::Allowed
        );
        assert_eq!(
            csp("frame-ancestors example.com:99999", HOST),
            Framing::Unknown
        );
        assert_eq!(csp("frame-ancestors 'nonce-abc'", HOST), Framing::Denied);
    }

    #[test]
    fn csp_frame_ancestors_overrides_x_frame_options() {
        let page = origin("http://127.0.0.1:8081");
        let f = evaluate(&["frame-ancestors *"], &["DENY"], &page, &origin(HOST));
        assert_eq!(f, Framing::Allowed);
        let f = evaluate(&["default-src 'self'"], &["DENY"], &page, &origin(HOST));
        assert_eq!(f, Framing::Denied);
    }

    #[test]
    fn x_frame_options_values() {
        assert_eq!(xfo("DENY", HOST), Framing::Denied);
        assert_eq!(xfo("SAMEORIGIN", HOST), Framing::Denied);
        assert_eq!(xfo("sameorigin", "http://127.0.0.1:8081"), Framing::Allowed);
        assert_eq!(xfo("DENY, DENY", HOST), Framing::Denied);
        assert_eq!(
            xfo("DENY, SAMEORIGIN", "http://127.0.0.1:8081"),
            Framing::Denied
        );
        assert_eq!(
            xfo("ALLOW-FROM http://localhost:8080", HOST),
            Framing::Unknown
        );
        assert_eq!(xfo("garbage", HOST), Framing::Unknown);
    }

    #[test]
    fn origins_parse_only_http() {
        assert_eq!(origin("HTTP://LocalHost"), origin("http://localhost:80"));
        assert!(Origin::parse("ftp://x").is_none());
        assert!(Origin::parse("not a url").is_none());
    }
}
