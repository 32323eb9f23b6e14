//! Identifier and secret generation: access key ids, secret keys, opaque
//! tokens, device/user codes, request ids, and stable IAM-style unique ids
//! derived from names. Randomness comes from the OS (`getrandom`); the
//! derived ids are deterministic so the same role always has the same id.

use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};

/// RFC 4648 base32 alphabet: what real access key ids and unique ids use.
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Standard base64 alphabet: what real secret access keys use.
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// URL-safe base64 alphabet, for tokens that travel in headers and query strings.
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Letters for user codes (no vowels, so no accidental words; no look-alikes).
const USER_CODE: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

/// `n` random bytes from the OS. Should the OS source ever fail, falls back
/// to hashing a counter and the clock so the emulator keeps working.
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    if getrandom::fill(&mut buf).is_err() {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut out = Vec::with_capacity(n + 32);
        while out.len() < n {
            let mut h = Sha256::new();
            h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            h.update(nanos.to_le_bytes());
            out.extend_from_slice(&h.finalize());
        }
        out.truncate(n);
        buf = out;
    }
    buf
}

fn random_from(alphabet: &[u8], n: usize) -> String {
    random_bytes(n)
        .into_iter()
        .map(|b| char::from(alphabet[usize::from(b) % alphabet.len()]))
        .collect()
}

/// A temporary access key id: `ASIA` + 16 base32 characters.
pub(crate) fn temporary_access_key_id() -> String {
    format!("ASIA{}", random_from(BASE32, 16))
}

/// A 40-character secret access key.
pub(crate) fn secret_access_key() -> String {
    random_from(BASE64, 40)
}

/// A session token for temporary credentials (long and opaque, like real ones).
pub(crate) fn session_token() -> String {
    format!("IQoJb3JpZ2luX2VtdWxhdG9y{}", random_from(BASE64, 320))
}

/// An opaque URL-safe token with a recognisable prefix (`aoa` access,
/// `aor` refresh…). Without a prefix the first character is alphanumeric,
/// so the token never looks like a command-line flag.
pub(crate) fn opaque_token(prefix: &str, len: usize) -> String {
    if prefix.is_empty() && len > 0 {
        format!(
            "{}{}",
            random_from(BASE32, 1),
            random_from(BASE64URL, len - 1)
        )
    } else {
        format!("{prefix}{}", random_from(BASE64URL, len))
    }
}

/// A device-flow user code such as `BCDF-GHJK`.
pub(crate) fn user_code() -> String {
    let s = random_from(USER_CODE, 8);
    format!("{}-{}", &s[..4], &s[4..])
}

/// A request id in the UUID layout AWS uses.
pub(crate) fn request_id() -> String {
    let h = hex::encode(random_bytes(16));
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A stable IAM unique id (`AROA…`, `AIDA…`): prefix + 17 base32 characters
/// derived from `seed`.
pub(crate) fn derived_id(prefix: &str, seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let tail: String = digest
        .iter()
        .take(17)
        .map(|b| char::from(BASE32[usize::from(*b) % BASE32.len()]))
        .collect();
    format!("{prefix}{tail}")
}

/// A stable lowercase hex suffix derived from `seed` (`len` <= 64).
pub(crate) fn derived_hex(seed: &str, len: usize) -> String {
    let mut h = hex::encode(Sha256::digest(seed.as_bytes()));
    h.truncate(len);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let k = temporary_access_key_id();
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("ASIA"));
        assert!(
            k.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_eq!(secret_access_key().len(), 40);
        let u = user_code();
        assert_eq!(u.len(), 9);
        assert_eq!(&u[4..5], "-");
        assert_eq!(request_id().len(), 36);
        assert_eq!(derived_id("AROA", "x"), derived_id("AROA", "x"));
        assert_eq!(derived_id("AROA", "x").len(), 21);
        assert_ne!(temporary_access_key_id(), temporary_access_key_id());
        for _ in 0..200 {
            let t = opaque_token("", 22);
            assert_eq!(t.len(), 22);
            assert!(t.starts_with(|c: char| c.is_ascii_alphanumeric()), "{t}");
        }
    }
}
