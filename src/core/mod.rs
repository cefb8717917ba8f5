//! The component's decisions, in pure Rust: configuration, the capture flow,
//! failures, the message protocol and the backend contract. No `web_sys`
//! here; everything is tested natively with `cargo test`.

pub mod config;
pub mod contract;
pub mod failure;
pub mod flow;
pub mod i18n;
pub mod native;
pub mod origin;
pub mod protocol;
pub mod qr;
pub mod quality;
pub mod sdk;

/// Where `needle` first starts in `hay`, by a plain byte scan. The core's
/// few substring searches go through here, so the package carries this loop
/// instead of `core::str`'s two-way searcher (about 1 KB of gzipped wasm).
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// `text` with every `placeholder` (like `{minutes}`) replaced by `value`.
pub fn fill(text: &str, placeholder: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, placeholder).filter(|_| !placeholder.is_empty()) {
        out.push_str(&rest[..at]);
        out.push_str(value);
        rest = &rest[at + placeholder.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{fill, find};

    #[test]
    fn find_matches_str_find() {
        for (hay, needle) in [
            ("a://b", "://"),
            ("", "x"),
            ("abc", ""),
            ("ééx://", "://"),
            ("policy", "policy"),
            ("polic", "policy"),
        ] {
            assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
        }
    }

    #[test]
    fn fill_replaces_every_placeholder_and_nothing_else() {
        assert_eq!(
            fill("in {minutes} min ({minutes})", "{minutes}", "10"),
            "in 10 min (10)"
        );
        assert_eq!(fill("no placeholder", "{minutes}", "10"), "no placeholder");
        assert_eq!(fill("{minutes", "{minutes}", "10"), "{minutes");
        assert_eq!(fill("abc", "", "10"), "abc");
    }
}
