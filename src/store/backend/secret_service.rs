//! The `secret-service` backend (Linux): the freedesktop Secret Service over D-Bus
//! (GNOME Keyring, KeePassXC, KWallet's bridge), in the collection
//! `Keyring.LibSecretCollectionName` or the default one.
//!
//! Checks that a session bus is advertised before connecting, so that a headless machine
//! answers "unavailable" at once; the call itself is `os.rs`'s.

use std::path::Path;
use std::time::Duration;

use super::super::crypto::DataKey;
use super::super::{Backend, StoreError};
use super::{Ctx, KeyHolder, os};

/// The data key in the Secret Service.
pub(super) struct SecretService;

fn entry(target: Option<&str>, service: &str, user: &str) -> keyring::Result<keyring::Entry> {
    let cred = keyring::secret_service::SsCredential::new_with_target(target, service, user)?;
    Ok(keyring::Entry::new_with_credential(Box::new(cred)))
}

/// Whether a D-Bus session bus is advertised at all.
fn session_bus_advertised() -> bool {
    // The store has no run context: the process environment, through the boundary.
    let env = crate::sys::Env::process();
    if env
        .var_lossy("DBUS_SESSION_BUS_ADDRESS")
        .is_some_and(|v| !v.is_empty())
    {
        return true;
    }
    env.var_lossy("XDG_RUNTIME_DIR")
        .is_some_and(|d| Path::new(&d).join("bus").exists())
}

fn check_bus() -> Result<(), StoreError> {
    if session_bus_advertised() {
        Ok(())
    } else {
        Err(StoreError::Unavailable {
            backend: Backend::SecretService,
            reason: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)".into(),
        })
    }
}

impl KeyHolder for SecretService {
    fn load(&self, ctx: &Ctx<'_>, wait: Duration) -> Result<Option<DataKey>, StoreError> {
        check_bus()?;
        let target = ctx.cfg.collection_name.as_deref();
        os::load(Backend::SecretService, ctx, target, entry, wait)
    }

    fn save(&self, ctx: &Ctx<'_>, key: &DataKey, wait: Duration) -> Result<(), StoreError> {
        check_bus()?;
        let target = ctx.cfg.collection_name.as_deref();
        os::save(Backend::SecretService, ctx, target, entry, key, wait)
    }
}
