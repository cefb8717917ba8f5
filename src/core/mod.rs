//! The component's decisions, in pure Rust: configuration, the capture flow,
//! failures, the message protocol and the backend contract. No `web_sys`
//! here; everything is tested natively with `cargo test`.

pub mod capability;
pub mod config;
pub mod contract;
pub mod document;
pub mod failure;
pub mod flow;
pub mod i18n;
pub mod mrz;
pub mod native;
pub mod ocrb;
pub mod ocrb_glyphs;
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

/// The value of `text` when it is 1 to `max_digits` (at most 9) ASCII digits: no sign, no
/// space, nothing else. Folded by hand: `str::parse` brings its general machinery along.
pub fn decimal(text: &str, max_digits: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max_digits.min(9) {
        return None;
    }
    text.bytes().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `s` split at byte `at`: `(s, "")` when `at` is past its end or inside a character.
/// The core slices strings only through here and `str::get`, never by indexing, so the
/// package carries no panicking slice checks and their messages (about 1 KB of wasm).
pub fn split_at(s: &str, at: usize) -> (&str, &str) {
    s.split_at_checked(at).unwrap_or((s, ""))
}

/// `text` with every `placeholder` (like `{minutes}`) replaced by `value`.
pub fn fill(text: &str, placeholder: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, placeholder).filter(|_| !placeholder.is_empty()) {
        let (before, from) = split_at(rest, at);
        out.push_str(before);
        out.push_str(value);
        rest = split_at(from, placeholder.len()).1;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{decimal, fill, find};

    #[test]
    fn decimals_are_digits_only_and_bounded() {
        assert_eq!(decimal("0", 5), Some(0));
        assert_eq!(decimal("86400", 5), Some(86_400));
        assert_eq!(decimal("999999999", 12), Some(999_999_999));
        for bad in ["", "-1", "+1", " 1", "1.5", "1e3", "123456", "٣"] {
            assert_eq!(decimal(bad, 5), None, "{bad:?}");
        }
    }

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
