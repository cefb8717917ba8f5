//! Origins, capture URLs and allow-list patterns, parsed strictly.
//!
//! The browser's `URL` is lenient on purpose; this parser is not. Anything
//! that is not plainly `scheme://host[:port][/…]` is refused, so a capture URL
//! can never smuggle credentials, backslashes or odd hosts past the origin
//! check.

use std::fmt;

/// Why a URL or origin was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlError {
    /// Empty, too long, or holds whitespace or control characters.
    Malformed,
    /// Not `http:` or `https:`.
    Scheme,
    /// User info, a bad host name or a bad port.
    Authority,
    /// Plain `http:` for a host that is not loopback.
    Insecure,
}

/// A URL scheme the component can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http:` — only for loopback hosts.
    Http,
    /// `https:`.
    Https,
}

impl Scheme {
    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// A web origin: scheme, host and port (the default port is folded away).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
}

/// An absolute `http(s)` URL split into its origin and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    origin: Origin,
    rest: String,
}

/// One entry of `allowed-origins`: an exact origin or `scheme://*.domain[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginPattern {
    /// Exactly this origin.
    Exact(Origin),
    /// Any strict subdomain of `suffix` with this scheme and port.
    Subdomains {
        /// The scheme it must have.
        scheme: Scheme,
        /// The registrable part after `*.`.
        suffix: String,
        /// The port it must have (`None`: the scheme's default).
        port: Option<u16>,
    },
}

const MAX_URL_LEN: usize = 4096;

fn split_scheme(input: &str) -> Result<(Scheme, &str), UrlError> {
    if input.is_empty()
        || input.len() > MAX_URL_LEN
        || input
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err(UrlError::Malformed);
    }
    let at = super::find(input, "://").ok_or(UrlError::Scheme)?;
    let (scheme, rest) = super::split_at(input, at);
    let rest = super::split_at(rest, 3).1;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "https" => Scheme::Https,
        "http" => Scheme::Http,
        _ => return Err(UrlError::Scheme),
    };
    Ok((scheme, rest))
}

fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn parse_host(host: &str) -> Result<String, UrlError> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or(UrlError::Authority)?;
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(UrlError::Authority);
        }
        return Ok(format!("[{}]", inner.to_ascii_lowercase()));
    }
    let host = host.to_ascii_lowercase();
    if host.is_empty() || host.len() > 253 || !host.split('.').all(valid_label) {
        return Err(UrlError::Authority);
    }
    Ok(host)
}

fn parse_port(port: &str) -> Result<u16, UrlError> {
    if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UrlError::Authority);
    }
    port.parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .ok_or(UrlError::Authority)
}

/// Splits `host[:port]`, keeping IPv6 brackets whole.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), UrlError> {
    if authority.contains('@') {
        return Err(UrlError::Authority);
    }
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) if end + 1 == authority.len() => Ok((authority, None)),
            Some(end) => {
                let (host, rest) = super::split_at(authority, end + 1);
                match rest.strip_prefix(':') {
                    Some(port) => Ok((host, Some(port))),
                    None => Err(UrlError::Authority),
                }
            }
            None => Err(UrlError::Authority),
        };
    }
    Ok(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn normalise_port(scheme: Scheme, port: Option<&str>) -> Result<Option<u16>, UrlError> {
    match port {
        None => Ok(None),
        Some(p) => {
            let p = parse_port(p)?;
            Ok((p != scheme.default_port()).then_some(p))
        }
    }
}

impl Origin {
    /// Parses `scheme://host[:port]` (one trailing `/` allowed, nothing else).
    pub fn parse(input: &str) -> Result<Origin, UrlError> {
        let url = HttpUrl::parse_any_scheme(input)?;
        if url.rest.is_empty() || url.rest == "/" {
            Ok(url.origin)
        } else {
            Err(UrlError::Malformed)
        }
    }

    /// The host, lower-cased (IPv6 in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the host is the loopback interface.
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host.ends_with(".localhost")
            || self.host == "[::1]"
            || self.host.starts_with("127.") && self.host.split('.').count() == 4
    }

    /// Whether talking to this origin keeps secrets secret: `https:`, or `http:` on loopback.
    pub fn is_secure(&self) -> bool {
        self.scheme == Scheme::Https || self.is_loopback()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        Ok(())
    }
}

impl HttpUrl {
    fn parse_any_scheme(input: &str) -> Result<HttpUrl, UrlError> {
        let (scheme, after) = split_scheme(input)?;
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let (authority, rest) = super::split_at(after, end);
        let (host, port) = split_host_port(authority)?;
        let origin = Origin {
            scheme,
            host: parse_host(host)?,
            port: normalise_port(scheme, port)?,
        };
        Ok(HttpUrl {
            origin,
            rest: rest.to_string(),
        })
    }

    /// Parses an absolute URL that is safe to load: `https:`, or `http:` on loopback.
    pub fn parse(input: &str) -> Result<HttpUrl, UrlError> {
        let url = HttpUrl::parse_any_scheme(input)?;
        if url.origin.is_secure() {
            Ok(url)
        } else {
            Err(UrlError::Insecure)
        }
    }

    /// The URL's origin.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.rest)
    }
}

impl OriginPattern {
    /// Parses one allow-list entry: an origin, or `scheme://*.domain[:port]`.
    pub fn parse(input: &str) -> Result<OriginPattern, UrlError> {
        let (scheme, after) = split_scheme(input)?;
        match after.strip_prefix("*.") {
            Some(rest) => {
                let rest = rest.strip_suffix('/').unwrap_or(rest);
                let (host, port) = split_host_port(rest)?;
                let suffix = parse_host(host)?;
                if suffix.starts_with('[') || !suffix.contains('.') {
                    // `*.com` or `*.[::1]` would allow far too much.
                    return Err(UrlError::Authority);
                }
                Ok(OriginPattern::Subdomains {
                    scheme,
                    suffix,
                    port: normalise_port(scheme, port)?,
                })
            }
            None => Origin::parse(input).map(OriginPattern::Exact),
        }
    }

    /// Whether `origin` is allowed by this entry.
    pub fn matches(&self, origin: &Origin) -> bool {
        match self {
            OriginPattern::Exact(o) => o == origin,
            OriginPattern::Subdomains {
                scheme,
                suffix,
                port,
            } => {
                origin.scheme == *scheme
                    && origin.port == *port
                    && origin
                        .host
                        .strip_suffix(suffix.as_str())
                        .is_some_and(|head| head.len() > 1 && head.ends_with('.'))
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn origins_normalise_case_and_default_ports() {
        let o = Origin::parse("HTTPS://Example.COM:443/").unwrap();
        assert_eq!(o.to_string(), "https://example.com");
        assert_eq!(
            Origin::parse("http://127.0.0.1:8081").unwrap().to_string(),
            "http://127.0.0.1:8081"
        );
        assert_eq!(
            Origin::parse("http://[::1]:80").unwrap().to_string(),
            "http://[::1]"
        );
    }

    #[test]
    fn origins_refuse_paths_userinfo_and_junk() {
        for bad in [
            "",
            "example.com",
            "https://",
            "https://a.com/path",
            "https://user@a.com",
            "https://a.com:0",
            "https://a.com:99999",
            "https://a..com",
            "https://-a.com",
            "javascript://a.com",
            "https://a.com\\@b.com",
            "https://a .com",
            "*",
            "null",
            "https://[::1",
            "https://[zz]",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn capture_urls_must_be_https_except_loopback() {
        let url = HttpUrl::parse("https://id.signicat.com/capture/#/artifact=abc").unwrap();
        assert_eq!(url.origin().to_string(), "https://id.signicat.com");
        assert_eq!(
            url.to_string(),
            "https://id.signicat.com/capture/#/artifact=abc"
        );
        assert!(HttpUrl::parse("http://127.0.0.1:8081/capture/").is_ok());
        assert!(HttpUrl::parse("http://localhost:8081/x").is_ok());
        assert_eq!(
            HttpUrl::parse("http://example.com/x"),
            Err(UrlError::Insecure)
        );
        assert_eq!(
            HttpUrl::parse("http://127.0.0.1.evil.com/x"),
            Err(UrlError::Insecure)
        );
        assert_eq!(HttpUrl::parse("ftp://a.com/x"), Err(UrlError::Scheme));
        assert_eq!(
            HttpUrl::parse("https://evil.com@signicat.com/"),
            Err(UrlError::Authority)
        );
    }

    #[test]
    fn patterns_match_strict_subdomains_only() {
        let p = OriginPattern::parse("https://*.signicat.com").unwrap();
        let yes = Origin::parse("https://id.signicat.com").unwrap();
        let deep = Origin::parse("https://a.b.signicat.com").unwrap();
        assert!(p.matches(&yes) && p.matches(&deep));
        for no in [
            "https://signicat.com",
            "https://evilsignicat.com",
            "http://id.signicat.com",
            "https://id.signicat.com:8443",
            "https://signicat.com.evil.com",
        ] {
            assert!(
                !p.matches(&Origin::parse(no).unwrap()),
                "{no} must not match"
            );
        }
        assert!(OriginPattern::parse("https://*.com").is_err());
        assert!(OriginPattern::parse("https://*").is_err());
        let exact = OriginPattern::parse("http://127.0.0.1:8081").unwrap();
        assert!(exact.matches(&Origin::parse("http://127.0.0.1:8081").unwrap()));
        assert!(!exact.matches(&Origin::parse("http://127.0.0.1:8082").unwrap()));
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parsing_never_panics(s in "\\PC{0,80}") {
                let _ = Origin::parse(&s);
                let _ = HttpUrl::parse(&s);
                let _ = OriginPattern::parse(&s);
            }

            #[test]
            fn parsed_origins_round_trip(host in "[a-z][a-z0-9]{0,10}(\\.[a-z][a-z0-9]{0,10}){0,3}", port in 1u16..) {
                let text = format!("https://{host}:{port}");
                let o = Origin::parse(&text).unwrap();
                prop_assert_eq!(Origin::parse(&o.to_string()).unwrap(), o);
            }

            #[test]
            fn anything_with_userinfo_is_refused(user in "[a-z]{1,8}", host in "[a-z]{1,8}\\.com") {
                let text = format!("https://{user}@{host}/");
                prop_assert!(HttpUrl::parse(&text).is_err());
            }
        }
    }
}
