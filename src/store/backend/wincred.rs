//! The `wincred` backend (Windows): the data key in the Windows Credential Manager. It
//! names no target. The call is `os.rs`'s.

use std::time::Duration;

use super::super::crypto::DataKey;
use super::super::{Backend, StoreError};
use super::{Ctx, KeyHolder, os};

/// The data key in the Windows Credential Manager.
pub(super) struct WinCred;

fn entry(_target: Option<&str>, service: &str, user: &str) -> keyring::Result<keyring::Entry> {
    let cred = keyring::windows::WinCredential::new_with_target(None, service, user)?;
    Ok(keyring::Entry::new_with_credential(Box::new(cred)))
}

impl KeyHolder for WinCred {
    fn load(&self, ctx: &Ctx<'_>, wait: Duration) -> Result<Option<DataKey>, StoreError> {
        os::load(Backend::WinCred, ctx, None, entry, wait)
    }

    fn save(&self, ctx: &Ctx<'_>, key: &DataKey, wait: Duration) -> Result<(), StoreError> {
        os::save(Backend::WinCred, ctx, None, entry, key, wait)
    }
}
