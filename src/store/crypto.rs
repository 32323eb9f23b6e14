//! The two sealed formats: item files (under the data key) and the file backend's
//! data-key file (under a passphrase-derived key). Pure functions over bytes.

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{AeadInPlace, OsRng};
use chacha20poly1305::{Key, KeyInit, Tag, XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

pub(super) const KEY_LEN: usize = 32;
pub(super) const KEY_ID_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// The store's data key. Zeroed when dropped.
pub(super) type DataKey = Zeroizing<[u8; KEY_LEN]>;

pub(super) fn random_key() -> DataKey {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    OsRng.fill_bytes(&mut key[..]);
    key
}

pub(super) fn cipher(key: &[u8; KEY_LEN]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(Key::from_slice(key))
}

/// A public fingerprint of a data key (a truncated hash: says nothing about the key). The
/// `backend` file records it so a stale session-cache entry is noticed.
pub(super) fn key_id(key: &[u8; KEY_LEN]) -> [u8; KEY_ID_LEN] {
    let digest = Sha256::new()
        .chain_update(b"granted-store-key-id-v1\0")
        .chain_update(key)
        .finalize();
    let mut id = [0u8; KEY_ID_LEN];
    id.copy_from_slice(&digest[..KEY_ID_LEN]);
    id
}

pub(super) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex into `out`, which must be twice as long as `bytes`.
pub(super) fn hex_into(bytes: &[u8], out: &mut [u8]) {
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 0x0f)];
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    let mut out = vec![0u8; bytes.len() * 2];
    hex_into(bytes, &mut out);
    // Only ASCII hex digits were written.
    String::from_utf8(out).unwrap_or_default()
}

/// Parses exactly `N` bytes of hex (either case).
pub(super) fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.as_bytes();
    if s.len() != 2 * N {
        return None;
    }
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = (nibble(s[2 * i])? << 4) | nibble(s[2 * i + 1])?;
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// Item files
//
//   "GRI1" | nonce (24) | XChaCha20-Poly1305( u32-le key length | key | value ) | tag (16)
//
// AAD = "granted-store-item-v1\0" | namespace | "\0" | sha256(key). Binding the hash of the
// key (which is also the file name) rather than the key itself lets `list` check a file
// knowing only its name; a file copied under another key's name fails to authenticate.

const ITEM_MAGIC: &[u8; 4] = b"GRI1";
const ITEM_HEADER: usize = ITEM_MAGIC.len() + NONCE_LEN;
const ITEM_AAD_PREFIX: &[u8] = b"granted-store-item-v1\0";

/// The AAD on the stack: the longest namespace name is 20 bytes.
struct ItemAad {
    buf: [u8; 96],
    len: usize,
}

impl ItemAad {
    fn new(ns: &str, key_hash: &[u8; 32]) -> ItemAad {
        let mut buf = [0u8; 96];
        let mut len = 0;
        for part in [ITEM_AAD_PREFIX, ns.as_bytes(), b"\0", key_hash] {
            buf[len..len + part.len()].copy_from_slice(part);
            len += part.len();
        }
        ItemAad { buf, len }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The bytes of an item file holding `key` = `value`.
pub(super) fn seal_item(
    cipher: &XChaCha20Poly1305,
    ns: &str,
    key_hash: &[u8; 32],
    key: &str,
    value: &str,
) -> Option<Vec<u8>> {
    let key_len = u32::try_from(key.len()).ok()?;
    let mut buf = Zeroizing::new(Vec::with_capacity(
        ITEM_HEADER + 4 + key.len() + value.len() + TAG_LEN,
    ));
    buf.extend_from_slice(ITEM_MAGIC);
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    buf.extend_from_slice(&nonce);
    buf.extend_from_slice(&key_len.to_le_bytes());
    buf.extend_from_slice(key.as_bytes());
    buf.extend_from_slice(value.as_bytes());
    let aad = ItemAad::new(ns, key_hash);
    let tag = cipher
        .encrypt_in_place_detached(
            XNonce::from_slice(&nonce),
            aad.as_bytes(),
            &mut buf[ITEM_HEADER..],
        )
        .ok()?;
    buf.extend_from_slice(&tag);
    // The buffer now holds only ciphertext: hand it out without zeroing.
    Some(std::mem::take(&mut *buf))
}

/// Decrypts an item file in place. Returns the byte ranges of the key and the value inside
/// `file`, or `None` for anything that is not an intact item sealed for (`ns`, `key_hash`)
/// under this cipher's key.
pub(super) fn open_item(
    cipher: &XChaCha20Poly1305,
    ns: &str,
    key_hash: &[u8; 32],
    file: &mut [u8],
) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    if file.len() < ITEM_HEADER + 4 + TAG_LEN || &file[..4] != ITEM_MAGIC {
        return None;
    }
    let nonce = *XNonce::from_slice(&file[4..ITEM_HEADER]);
    let body_end = file.len() - TAG_LEN;
    let tag = *Tag::from_slice(&file[body_end..]);
    let aad = ItemAad::new(ns, key_hash);
    cipher
        .decrypt_in_place_detached(
            &nonce,
            aad.as_bytes(),
            &mut file[ITEM_HEADER..body_end],
            &tag,
        )
        .ok()?;
    let plain = &file[ITEM_HEADER..body_end];
    let key_len = u32::from_le_bytes(plain[..4].try_into().ok()?) as usize;
    if key_len > plain.len() - 4 {
        return None;
    }
    let key = ITEM_HEADER + 4..ITEM_HEADER + 4 + key_len;
    let value = key.end..body_end;
    // The name inside must hash to the name the file was opened under.
    if sha256(&[&file[key.clone()]]) != *key_hash {
        return None;
    }
    Some((key, value))
}

// ---------------------------------------------------------------------------------------
// The file backend's data-key file (exactly 140 bytes)
//
//   0..8     "GRNTKEY1"
//   8..20    Argon2id m_cost (KiB), t_cost, p_cost: u32 little-endian each
//   20..36   salt
//   36..60   nonce
//   60..108  XChaCha20-Poly1305(data key) with tag; AAD = bytes 0..36
//   108..140 sha256(bytes 0..108)
//
// The trailing checksum tells a damaged file (checksum fails, or the header is impossible)
// from a wrong passphrase (checksum fine, the AEAD tag fails).

const KEYFILE_MAGIC: &[u8; 8] = b"GRNTKEY1";
const SALT_LEN: usize = 16;
const KEYFILE_AAD_END: usize = 8 + 12 + SALT_LEN;
const KEYFILE_BODY_END: usize = KEYFILE_AAD_END + NONCE_LEN + KEY_LEN + TAG_LEN;
pub(super) const KEYFILE_LEN: usize = KEYFILE_BODY_END + 32;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct KdfParams {
    /// Memory in KiB.
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

/// 64 MiB, two passes, one lane: about 0.1–0.2 s on a laptop core, paid once per login
/// session thanks to the session cache.
pub(super) const KDF_DEFAULT: KdfParams = KdfParams {
    m_cost: 64 * 1024,
    t_cost: 2,
    p_cost: 1,
};

impl KdfParams {
    /// Bounds that a file we wrote can have; anything outside is damage (and refusing it
    /// keeps a tampered file from making us allocate gigabytes).
    fn plausible(&self) -> bool {
        (8..=1024 * 1024).contains(&self.m_cost)
            && (1..=64).contains(&self.t_cost)
            && (1..=16).contains(&self.p_cost)
            && self.m_cost >= 8 * self.p_cost
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum UnwrapError {
    Damaged,
    WrongPassphrase,
}

fn derive_kek(passphrase: &[u8], salt: &[u8], params: KdfParams) -> Option<DataKey> {
    let params =
        argon2::Params::new(params.m_cost, params.t_cost, params.p_cost, Some(KEY_LEN)).ok()?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut kek = Zeroizing::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(passphrase, salt, &mut kek[..])
        .ok()?;
    Some(kek)
}

/// Seals `key` under `passphrase`; the result is the whole data-key file.
pub(super) fn wrap_key(
    key: &[u8; KEY_LEN],
    passphrase: &[u8],
    params: KdfParams,
) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(KEYFILE_LEN);
    out.extend_from_slice(KEYFILE_MAGIC);
    out.extend_from_slice(&params.m_cost.to_le_bytes());
    out.extend_from_slice(&params.t_cost.to_le_bytes());
    out.extend_from_slice(&params.p_cost.to_le_bytes());
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    out.extend_from_slice(&salt);
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    out.extend_from_slice(&nonce);
    let kek = derive_kek(passphrase, &salt, params)?;
    let mut body = Zeroizing::new(*key);
    let tag = cipher(&kek)
        .encrypt_in_place_detached(
            XNonce::from_slice(&nonce),
            &out[..KEYFILE_AAD_END],
            &mut body[..],
        )
        .ok()?;
    out.extend_from_slice(&body[..]);
    out.extend_from_slice(&tag);
    let sum = sha256(&[&out[..KEYFILE_BODY_END]]);
    out.extend_from_slice(&sum);
    debug_assert_eq!(out.len(), KEYFILE_LEN);
    Some(out)
}

/// The parameters recorded in a data-key file, if its structure is intact.
fn check_key_file(file: &[u8]) -> Result<KdfParams, UnwrapError> {
    if file.len() != KEYFILE_LEN
        || &file[..8] != KEYFILE_MAGIC
        || sha256(&[&file[..KEYFILE_BODY_END]])[..] != file[KEYFILE_BODY_END..]
    {
        return Err(UnwrapError::Damaged);
    }
    let word = |at: usize| u32::from_le_bytes([file[at], file[at + 1], file[at + 2], file[at + 3]]);
    let params = KdfParams {
        m_cost: word(8),
        t_cost: word(12),
        p_cost: word(16),
    };
    if !params.plausible() {
        return Err(UnwrapError::Damaged);
    }
    Ok(params)
}

/// Opens a data-key file with `passphrase`.
pub(super) fn unwrap_key(file: &[u8], passphrase: &[u8]) -> Result<DataKey, UnwrapError> {
    let params = check_key_file(file)?;
    let salt = &file[20..KEYFILE_AAD_END];
    let nonce = XNonce::from_slice(&file[KEYFILE_AAD_END..KEYFILE_AAD_END + NONCE_LEN]);
    let body_start = KEYFILE_AAD_END + NONCE_LEN;
    let tag = Tag::from_slice(&file[body_start + KEY_LEN..KEYFILE_BODY_END]);
    let kek = derive_kek(passphrase, salt, params).ok_or(UnwrapError::Damaged)?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&file[body_start..body_start + KEY_LEN]);
    if cipher(&kek)
        .decrypt_in_place_detached(nonce, &file[..KEYFILE_AAD_END], &mut key[..], tag)
        .is_err()
    {
        key.zeroize();
        return Err(UnwrapError::WrongPassphrase);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let bytes = [0x00, 0x01, 0xab, 0xff];
        assert_eq!(hex(&bytes), "0001abff");
        assert_eq!(unhex::<4>("0001ABff"), Some(bytes));
        assert_eq!(unhex::<4>("0001abf"), None);
        assert_eq!(unhex::<4>("0001abfg"), None);
    }

    #[test]
    fn item_seal_open() {
        let key = random_key();
        let c = cipher(&key);
        let h = sha256(&[b"dev"]);
        let mut file = seal_item(&c, "sso-tokens", &h, "dev", "v a l u e").unwrap();
        let (k, v) = open_item(&c, "sso-tokens", &h, &mut file).unwrap();
        assert_eq!(&file[k], b"dev");
        assert_eq!(&file[v], b"v a l u e");
    }

    #[test]
    fn item_is_bound_to_namespace_and_key() {
        let key = random_key();
        let c = cipher(&key);
        let h = sha256(&[b"dev"]);
        let file = seal_item(&c, "sso-tokens", &h, "dev", "x").unwrap();
        assert!(open_item(&c, "session-credentials", &h, &mut file.clone()).is_none());
        assert!(open_item(&c, "sso-tokens", &sha256(&[b"prod"]), &mut file.clone()).is_none());
        let other = cipher(&random_key());
        assert!(open_item(&other, "sso-tokens", &h, &mut file.clone()).is_none());
    }

    #[test]
    fn key_file_tells_wrong_passphrase_from_damage() {
        let params = KdfParams {
            m_cost: 64,
            t_cost: 1,
            p_cost: 1,
        };
        let key = random_key();
        let file = wrap_key(&key, b"pw", params).unwrap();
        assert_eq!(file.len(), KEYFILE_LEN);
        assert_eq!(*unwrap_key(&file, b"pw").unwrap(), *key);
        assert_eq!(
            unwrap_key(&file, b"pW").unwrap_err(),
            UnwrapError::WrongPassphrase
        );
        for at in [0, 9, 25, 40, 70, 120] {
            let mut bad = file.clone();
            bad[at] ^= 1;
            assert_eq!(
                unwrap_key(&bad, b"pw").unwrap_err(),
                UnwrapError::Damaged,
                "{at}"
            );
        }
        assert_eq!(
            unwrap_key(&file[..100], b"pw").unwrap_err(),
            UnwrapError::Damaged
        );
    }
}
