//! The `keyctl` backend: the data key in the Linux kernel's user keyring, without a
//! timeout (gone after a reboot, and with it every item).
//!
//! The keyring calls are the store's `session` module's (the same keyring as the session
//! cache, another key name); this file only maps them to [`KeyHolder`]. On other
//! platforms it is refused before it is reached.

use std::time::Duration;

use super::super::crypto::{self, DataKey};
use super::super::session::{self, Slot};
use super::super::{Backend, StoreError};
use super::{Ctx, KeyHolder};

/// The data key in the kernel keyring.
pub(super) struct Keyctl;

impl KeyHolder for Keyctl {
    fn load(&self, ctx: &Ctx<'_>, _wait: Duration) -> Result<Option<DataKey>, StoreError> {
        Ok(session::load(Slot::Keyctl, ctx.store_hex).map(|c| c.key))
    }

    fn save(&self, ctx: &Ctx<'_>, key: &DataKey, _wait: Duration) -> Result<(), StoreError> {
        let b = Backend::Keyctl;
        session::store(Slot::Keyctl, ctx.store_hex, b, &crypto::key_id(key), key, 0)
            .map_err(|reason| StoreError::Unavailable { backend: b, reason })
    }
}
