//! The cache's stores for one fetch, opened lazily: a missing entry never touches the
//! key backend.
//!
//! When the store can't be opened without its passphrase (a headless machine with no
//! Secret Service and no `CF_KEYRING_FILE_PASSWORD`), the cache lives in the volatile
//! store, whose key only the kernel keyring holds (gone at reboot, which a cache can
//! bear). A store that can't be opened at all only turns the cache off for this call.
//! It must never prompt: the cache is an optimisation.

use std::fmt;

use crate::cache::{self, Entry};
use crate::store::{Namespace, Prompt, Store, StoreConfig, StoreError};

pub(super) struct CacheAccess {
    config: StoreConfig,
    volatile: Option<StoreConfig>,
    store: Option<Option<Store>>,
}

type Debug<'a> = &'a dyn Fn(&dyn fmt::Display);

impl CacheAccess {
    pub(super) fn new(config: StoreConfig, volatile: Option<StoreConfig>) -> CacheAccess {
        CacheAccess {
            config,
            volatile,
            store: None,
        }
    }

    /// Whether either store may hold an entry for `profile` (a stat, no decryption).
    pub(super) fn may_hold(&self, profile: &str) -> bool {
        Store::item_exists(&self.config.dir, Namespace::SessionCredentials, profile)
            || self
                .volatile
                .as_ref()
                .is_some_and(|v| Store::item_exists(&v.dir, Namespace::SessionCredentials, profile))
    }

    pub(super) fn open(&mut self, debug: Debug<'_>) -> Option<&Store> {
        if self.store.is_none() {
            let opened = match (
                Store::open_with(&self.config, Prompt::Never),
                &self.volatile,
            ) {
                (Err(StoreError::NoPassphrase), Some(volatile)) => {
                    debug(&"the store needs its passphrase: caching in the volatile store");
                    Store::open_with(volatile, Prompt::Never)
                }
                (other, _) => other,
            };
            self.store = Some(match opened {
                Ok(store) => Some(store),
                Err(e) => {
                    debug(&format_args!(
                        "credential cache unavailable: {}",
                        crate::error::chain(&e)
                    ));
                    None
                }
            });
        }
        self.store.as_ref().and_then(Option::as_ref)
    }

    pub(super) fn load(&mut self, profile: &str, debug: Debug<'_>) -> Option<Entry> {
        let store = self.open(debug)?;
        cache::load(store, profile).unwrap_or_else(|e| {
            debug(&format_args!(
                "credential cache: {}",
                crate::error::chain(&e)
            ));
            None
        })
    }

    pub(super) fn save(&mut self, entry: Entry, debug: Debug<'_>) {
        if let Some(store) = self.open(debug)
            && let Err(e) = cache::save(store, &entry)
        {
            debug(&format_args!(
                "credential cache: could not store `{}`: {}",
                entry.profile,
                crate::error::chain(&e)
            ));
        }
    }
}
