//! The kernel keyring (Linux): the session cache of the data key, and the `keyctl` backend.
//!
//! Both keep a `user` key in the user keyring (`@u`), which any process of the same uid
//! reaches in two syscalls (search, read), with or without a session keyring (unlike the
//! persistent keyring, which a plain process cannot link: see the build notes). Keys are
//! named by the store's id (random, created with the store and kept in its `backend`
//! file), so two stores (two test HOMEs) never collide, and renaming or symlinking the
//! folder changes nothing:
//!
//! - `granted:data-key:<store id>`: the session cache, with a 12-hour timeout. A failure
//!   here is never an error: the caller goes to the backend.
//! - `granted:keyctl-data-key:<same>`: the `keyctl` backend's copy, without a timeout. It
//!   lasts as long as the kernel keeps the user keyring (it is gone after a reboot).
//!
//! Payload (50 bytes): version `1` | backend code | key id (16) | data key (32).
//! Permissions: possessor all, same-uid user view/read/write/search/setattr, nobody else.

use super::Backend;
use super::crypto::{DataKey, KEY_ID_LEN, KEY_LEN};

/// How long a cached data key lives in the kernel keyring.
pub(super) const SESSION_TIMEOUT_SECS: usize = 12 * 60 * 60;

/// A data key as kept in the kernel keyring.
pub(super) struct Cached {
    pub backend: Backend,
    pub key_id: [u8; KEY_ID_LEN],
    pub key: DataKey,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Slot {
    /// The session cache.
    Session,
    /// The `keyctl` backend's own copy.
    Keyctl,
}

impl Slot {
    fn prefix(self) -> &'static str {
        match self {
            Slot::Session => "granted:data-key:",
            Slot::Keyctl => "granted:keyctl-data-key:",
        }
    }
}

fn description(slot: Slot, store_hex: &str) -> String {
    let mut d = String::with_capacity(slot.prefix().len() + store_hex.len());
    d.push_str(slot.prefix());
    d.push_str(store_hex);
    d
}

const PAYLOAD_VERSION: u8 = 1;
const PAYLOAD_LEN: usize = 2 + KEY_ID_LEN + KEY_LEN;

fn backend_code(b: Backend) -> u8 {
    super::backend::info(b).code
}

fn backend_from_code(c: u8) -> Option<Backend> {
    super::backend::BACKENDS
        .iter()
        .find(|row| row.code == c)
        .map(|row| row.backend)
}

#[cfg(target_os = "linux")]
mod imp {
    use super::*;
    use linux_keyutils::{KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission};
    use zeroize::Zeroizing;

    fn user_ring(create: bool) -> Option<KeyRing> {
        KeyRing::from_special_id(KeyRingIdentifier::User, create).ok()
    }

    pub(in super::super) fn load(slot: Slot, store_hex: &str) -> Option<Cached> {
        let ring = user_ring(false)?;
        let key = ring.search(&description(slot, store_hex)).ok()?;
        let mut buf = Zeroizing::new([0u8; 64]);
        let len = key.read(&mut *buf).ok()?;
        if len != PAYLOAD_LEN || buf[0] != PAYLOAD_VERSION {
            return None;
        }
        let backend = backend_from_code(buf[1])?;
        let mut key_id = [0u8; KEY_ID_LEN];
        key_id.copy_from_slice(&buf[2..2 + KEY_ID_LEN]);
        let mut data_key = Zeroizing::new([0u8; KEY_LEN]);
        data_key.copy_from_slice(&buf[2 + KEY_ID_LEN..PAYLOAD_LEN]);
        Some(Cached {
            backend,
            key_id,
            key: data_key,
        })
    }

    /// Adds (or replaces) the key. `timeout_secs` of 0 means none.
    pub(in super::super) fn store(
        slot: Slot,
        store_hex: &str,
        backend: Backend,
        key_id: &[u8; KEY_ID_LEN],
        key: &[u8; KEY_LEN],
        timeout_secs: usize,
    ) -> Result<(), String> {
        let ring = user_ring(true).ok_or("the user keyring is not reachable")?;
        let mut payload = Zeroizing::new([0u8; PAYLOAD_LEN]);
        payload[0] = PAYLOAD_VERSION;
        payload[1] = backend_code(backend);
        payload[2..2 + KEY_ID_LEN].copy_from_slice(key_id);
        payload[2 + KEY_ID_LEN..].copy_from_slice(key);
        let k = ring
            .add_key(&description(slot, store_hex), &payload[..])
            .map_err(|e| format!("add_key: {e}"))?;
        let perms = KeyPermissionsBuilder::builder()
            .posessor(Permission::ALL)
            .user(
                Permission::VIEW
                    | Permission::READ
                    | Permission::WRITE
                    | Permission::SEARCH
                    | Permission::SETATTR,
            )
            .build();
        // Without the user bits, a process in another session keyring could not read it.
        let _ = k.set_perms(perms);
        if timeout_secs > 0 {
            k.set_timeout(timeout_secs)
                .map_err(|e| format!("set the timeout: {e}"))?;
        }
        Ok(())
    }

    /// Removes the key if it is there.
    pub(in super::super) fn forget(slot: Slot, store_hex: &str) -> Result<(), String> {
        let Some(ring) = user_ring(false) else {
            return Ok(());
        };
        let Ok(key) = ring.search(&description(slot, store_hex)) else {
            return Ok(());
        };
        // Invalidate removes it from every keyring at once; unlink is the fallback for
        // kernels or permissions that refuse it.
        if key.invalidate().is_ok() {
            return Ok(());
        }
        ring.unlink_key(key)
            .map_err(|e| format!("could not remove the cached data key: {e}"))
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::*;

    pub(in super::super) fn load(_slot: Slot, _store_hex: &str) -> Option<Cached> {
        None
    }

    pub(in super::super) fn store(
        _slot: Slot,
        _store_hex: &str,
        _backend: Backend,
        _key_id: &[u8; KEY_ID_LEN],
        _key: &[u8; KEY_LEN],
        _timeout_secs: usize,
    ) -> Result<(), String> {
        Err("the kernel keyring exists only on Linux".into())
    }

    pub(in super::super) fn forget(_slot: Slot, _store_hex: &str) -> Result<(), String> {
        Ok(())
    }
}

pub(super) use imp::{forget, load, store};

/// Whether the kernel keyring works here (for tests that need it).
#[cfg(test)]
pub(super) fn usable() -> bool {
    let probe = format!(
        "probe-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    );
    let probe_hex = super::crypto::hex(&super::crypto::sha256(&[probe.as_bytes()]));
    let key = [7u8; KEY_LEN];
    let ok = store(
        Slot::Session,
        &probe_hex,
        Backend::File,
        &[1; KEY_ID_LEN],
        &key,
        60,
    )
    .is_ok()
        && load(Slot::Session, &probe_hex).is_some_and(|c| *c.key == key);
    let _ = forget(Slot::Session, &probe_hex);
    ok
}
