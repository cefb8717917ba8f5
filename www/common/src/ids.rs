//! Random identifiers and the id rule of the message protocol.

use base64::Engine;

/// The OS random source failed: no id or token can be made. Never replaced by weaker bytes;
/// the backend answers `500` and logs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomFailure;

impl std::fmt::Display for RandomFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the OS random source failed")
    }
}

impl std::error::Error for RandomFailure {}

/// A random UUID (version 4) in its usual hyphenated hex form.
pub fn try_uuid() -> Result<String, RandomFailure> {
    let mut b = random_bytes::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// A random url-safe token of 32 bytes of entropy.
pub fn try_token() -> Result<String, RandomFailure> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// `n` random decimal digits (at most 9), each equally likely: a code a person compares.
pub fn try_digits(n: u32) -> Result<String, RandomFailure> {
    let n = n.min(9);
    let range = 10u32.pow(n);
    // The largest multiple of `range` that fits: draws above it are thrown away, so no
    // value is likelier than another.
    let limit = u32::MAX - u32::MAX % range;
    loop {
        let value = u32::from_le_bytes(random_bytes::<4>()?);
        if value < limit {
            return Ok(format!("{:0width$}", value % range, width = n as usize));
        }
    }
}

/// [`try_uuid`] for the simulator and test tools, which stop (panic) rather than go on
/// without randomness. The backend uses [`try_uuid`] and answers the failure.
pub fn uuid() -> String {
    try_uuid().unwrap_or_else(|e| panic!("{e}"))
}

/// [`try_token`] for the simulator and test tools (see [`uuid`]).
pub fn token() -> String {
    try_token().unwrap_or_else(|e| panic!("{e}"))
}

/// Set by [`fail_random_source`]: every draw fails.
static FAILING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes every later draw from the random source fail (`true`) or work again, in this whole
/// process: for tests of what a failing OS random source does. Nothing else calls it.
#[doc(hidden)]
pub fn fail_random_source(failing: bool) {
    FAILING.store(failing, std::sync::atomic::Ordering::SeqCst);
}

fn random_bytes<const N: usize>() -> Result<[u8; N], RandomFailure> {
    let mut b = [0u8; N];
    if FAILING.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(RandomFailure);
    }
    getrandom::getrandom(&mut b).map_err(|_| RandomFailure)?;
    Ok(b)
}

/// True for 1–128 chars of `[A-Za-z0-9._-]` (ids in URLs and messages).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Compares two secrets in time independent of where they differ.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_valid_ids_and_distinct() {
        let (a, b) = (uuid(), uuid());
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(is_valid_id(&a));
        assert_ne!(a, b);
    }

    #[test]
    fn fallible_forms_agree_with_the_others() {
        assert!(is_valid_id(&try_uuid().unwrap()));
        assert_eq!(try_token().unwrap().len(), 43);
    }

    #[test]
    fn digit_codes_have_their_length_and_vary() {
        let codes: Vec<String> = (0..50).map(|_| try_digits(4).unwrap()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit())));
        let mut distinct = codes.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 40, "{codes:?}");
    }

    #[test]
    fn tokens_are_url_safe() {
        let t = token();
        assert_eq!(t.len(), 43);
        assert!(is_valid_id(&t));
    }

    #[test]
    fn id_rule() {
        assert!(is_valid_id("a.B_c-9"));
        assert!(is_valid_id(&"x".repeat(128)));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id(&"x".repeat(129)));
        assert!(!is_valid_id("a/b"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id("é"));
    }

    #[test]
    fn secret_comparison() {
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
    }
}
