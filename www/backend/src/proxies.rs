//! Who a request comes from when the backend runs behind reverse proxies: the
//! `X-Forwarded-For`, `X-Forwarded-Proto`, `X-Forwarded-Host` and `Forwarded` headers are
//! believed only when the connection comes from a configured proxy (`TRUSTED_PROXIES`);
//! from anyone else they are ignored, since any client can send them.
//!
//! [`client`] is the one place that decides; rate limiting and logs use its answer.

use axum::http::{header, HeaderMap};
use std::net::IpAddr;

/// An address or a network (`10.0.0.0/8`, `::1`, `fd00::/8`) that proxies connect from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    /// Parses `ip` or `ip/prefix`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Network> {
        let (ip, prefix) = match text.split_once('/') {
            Some((ip, prefix)) => (ip, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = ip.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|p| *p <= max)?
            }
            Some(_) => return None,
            None => max,
        };
        Some(Network { addr, prefix })
    }

    /// Parses a list separated by commas or spaces.
    pub fn parse_list(text: &str) -> Result<Vec<Network>, String> {
        text.split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(|s| Network::parse(s).ok_or_else(|| format!("not an IP address or CIDR: {s}")))
            .collect()
    }

    /// Whether `ip` is in this network (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// Who sent a request, as far as the backend can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The client's address: the connection's peer, or, behind trusted proxies, the last
    /// address in the forwarding chain that is not itself a trusted proxy.
    pub ip: IpAddr,
    /// `https` or `http` as the trusted proxy says the client used; `None` when not told.
    pub proto: Option<String>,
    /// The `Host` the client asked for, as the trusted proxy says; `None` when not told.
    pub host: Option<String>,
}

/// The client of a request that came over a connection from `peer`. Forwarding headers are
/// read only when `peer` is in `trusted`; the chain of `X-Forwarded-For` (or `Forwarded`'s
/// `for=`) is walked from the right, skipping trusted proxies, so a client cannot pick its
/// own address by putting one on the left.
pub fn client(peer: IpAddr, headers: &HeaderMap, trusted: &[Network]) -> Client {
    let peer = canonical(peer);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return Client {
            ip: peer,
            proto: None,
            host: None,
        };
    }
    let forwarded = forwarded_elements(headers);
    let (chain, proto, host) = if forwarded.is_empty() {
        let chain: Vec<String> = all_values(headers, "x-forwarded-for")
            .flat_map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let proto = last_value(headers, "x-forwarded-proto");
        let host = last_value(headers, "x-forwarded-host");
        (chain, proto, host)
    } else {
        let chain = forwarded
            .iter()
            .filter_map(|e| e.get("for").cloned())
            .collect();
        let last = forwarded.last();
        let proto = last.and_then(|e| e.get("proto").cloned());
        let host = last.and_then(|e| e.get("host").cloned());
        (chain, proto, host)
    };
    let mut ip = peer;
    for hop in chain.iter().rev() {
        let Some(hop) = parse_node(hop) else { break };
        ip = hop;
        if !is_trusted(hop) {
            break;
        }
    }
    let proto = proto
        .map(|p| p.to_ascii_lowercase())
        .filter(|p| p == "http" || p == "https");
    let host = host.filter(|h| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    });
    Client { ip, proto, host }
}

fn all_values<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers.get_all(name).iter().filter_map(|v| v.to_str().ok())
}

/// The last (the nearest proxy's) value of a single-valued forwarding header.
fn last_value(headers: &HeaderMap, name: &str) -> Option<String> {
    all_values(headers, name)
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .last()
        .map(str::to_string)
}

/// The elements of `Forwarded` (RFC 7239), in order, each as lower-cased keys to values.
fn forwarded_elements(headers: &HeaderMap) -> Vec<std::collections::HashMap<String, String>> {
    all_values(headers, header::FORWARDED.as_str())
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| {
                    (
                        k.trim().to_ascii_lowercase(),
                        v.trim().trim_matches('"').to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

/// An address of a forwarding chain: `1.2.3.4`, `1.2.3.4:5678`, `[::1]`, `[::1]:5678`, `::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok().map(canonical);
    }
    let (ip, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn proxies() -> Vec<Network> {
        Network::parse_list("10.0.0.0/8, 192.168.1.5 fd00::/8").unwrap()
    }

    #[test]
    fn networks_parse_and_match() {
        let nets = proxies();
        assert!(nets[0].contains(ip("10.200.3.4")));
        assert!(!nets[0].contains(ip("11.0.0.1")));
        assert!(nets[1].contains(ip("192.168.1.5")));
        assert!(!nets[1].contains(ip("192.168.1.6")));
        assert!(nets[2].contains(ip("fd12::1")));
        assert!(nets[0].contains(ip("::ffff:10.1.2.3")), "IPv4-mapped");
        assert!(Network::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        for bad in [
            "10.0.0.0/33",
            "10.0.0/8",
            "host.example",
            "::1/129",
            "1.2.3.4/",
            "1.2.3.4/+8",
        ] {
            assert_eq!(Network::parse(bad), None, "{bad}");
        }
        assert!(Network::parse_list("10.0.0.1, nope").is_err());
    }

    #[test]
    fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "videoid.example"),
            ("forwarded", "for=203.0.113.9;proto=https"),
        ]);
        let c = client(ip("198.51.100.7"), &h, &proxies());
        assert_eq!(
            c,
            Client {
                ip: ip("198.51.100.7"),
                proto: None,
                host: None
            }
        );
        // No proxies configured: nobody is believed, not even loopback.
        assert_eq!(client(ip("127.0.0.1"), &h, &[]).ip, ip("127.0.0.1"));
    }

    #[test]
    fn a_trusted_proxy_is_believed() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "videoid.example"),
        ]);
        let c = client(ip("10.1.2.3"), &h, &proxies());
        assert_eq!(c.ip, ip("203.0.113.9"));
        assert_eq!(c.proto.as_deref(), Some("https"));
        assert_eq!(c.host.as_deref(), Some("videoid.example"));
        // Without headers the proxy itself is the client.
        assert_eq!(
            client(ip("10.1.2.3"), &HeaderMap::new(), &proxies()).ip,
            ip("10.1.2.3")
        );
    }

    #[test]
    fn a_client_cannot_choose_its_address_by_prepending_one() {
        // The client sent "X-Forwarded-For: 1.1.1.1"; the edge proxy appended the real
        // address, an inner trusted proxy appended the edge's.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(client(ip("10.0.0.3"), &h, &proxies()).ip, ip("203.0.113.9"));
        // Split over several header lines, the same.
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-forwarded-for", "203.0.113.9, 10.0.0.2"),
        ]);
        assert_eq!(client(ip("10.0.0.3"), &h, &proxies()).ip, ip("203.0.113.9"));
        // Garbage in the chain stops the walk at the last address that parsed.
        let h = headers(&[("x-forwarded-for", "203.0.113.9, nonsense, 10.0.0.2")]);
        assert_eq!(client(ip("10.0.0.3"), &h, &proxies()).ip, ip("10.0.0.2"));
        // Only the values http and https count as a protocol.
        let h = headers(&[("x-forwarded-proto", "javascript")]);
        assert_eq!(client(ip("10.0.0.3"), &h, &proxies()).proto, None);
        let h = headers(&[("x-forwarded-host", "a.example/evil")]);
        assert_eq!(client(ip("10.0.0.3"), &h, &proxies()).host, None);
    }

    #[test]
    fn the_forwarded_header_is_read_too() {
        let h = headers(&[(
            "forwarded",
            "for=1.1.1.1, for=\"[2001:db8::7]:4711\";proto=https;host=videoid.example",
        )]);
        let c = client(ip("192.168.1.5"), &h, &proxies());
        assert_eq!(c.ip, ip("2001:db8::7"));
        assert_eq!(c.proto.as_deref(), Some("https"));
        assert_eq!(c.host.as_deref(), Some("videoid.example"));
        let h = headers(&[("forwarded", "for=203.0.113.9:1234")]);
        assert_eq!(
            client(ip("::ffff:10.0.0.1"), &h, &proxies()).ip,
            ip("203.0.113.9")
        );
    }
}
