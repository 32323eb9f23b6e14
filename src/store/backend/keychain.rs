//! The `keychain` backend (macOS): the data key in the keychain `Keyring.KeychainName`
//! (Granted's default, `login`, is the user's default keychain). The call is `os.rs`'s.

use std::time::Duration;

use super::super::crypto::DataKey;
use super::super::{Backend, StoreError};
use super::{Ctx, KeyHolder, os};

/// The data key in the macOS keychain.
pub(super) struct Keychain;

fn entry(target: Option<&str>, service: &str, user: &str) -> keyring::Result<keyring::Entry> {
    // Granted's KeychainName defaults to "login", which is the user's default keychain
    // (the crate's "User" domain).
    let target = target.filter(|t| !t.eq_ignore_ascii_case("login"));
    let cred = keyring::macos::MacCredential::new_with_target(target, service, user)?;
    Ok(keyring::Entry::new_with_credential(Box::new(cred)))
}

impl KeyHolder for Keychain {
    fn load(&self, ctx: &Ctx<'_>, wait: Duration) -> Result<Option<DataKey>, StoreError> {
        let target = ctx.cfg.keychain_name.as_deref();
        os::load(Backend::Keychain, ctx, target, entry, wait)
    }

    fn save(&self, ctx: &Ctx<'_>, key: &DataKey, wait: Duration) -> Result<(), StoreError> {
        let target = ctx.cfg.keychain_name.as_deref();
        os::save(Backend::Keychain, ctx, target, entry, key, wait)
    }
}
