//! An in-memory [`SecretStore`] for other modules' unit tests.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{Namespace, SecretStore, StoreError};
use crate::secret::Secret;

/// Keeps items in a map behind a mutex. Same semantics as the real store, no files, no
/// encryption.
#[derive(Debug, Default)]
pub struct MemoryStore {
    items: Mutex<BTreeMap<(Namespace, String), Secret>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Number of items across all namespaces.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    pub fn is_empty(&self) -> bool {
        self.map().is_empty()
    }

    /// Removes every item of `ns`, returning how many there were.
    pub fn clear(&self, ns: Namespace) -> usize {
        let mut map = self.map();
        let before = map.len();
        map.retain(|(n, _), _| *n != ns);
        before - map.len()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<(Namespace, String), Secret>> {
        // A panicking test thread must not poison the store for the others.
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, ns: Namespace, key: &str) -> Result<Option<Secret>, StoreError> {
        Ok(self.map().get(&(ns, key.to_owned())).cloned())
    }

    fn put(&self, ns: Namespace, key: &str, value: &str) -> Result<(), StoreError> {
        self.map().insert((ns, key.to_owned()), Secret::new(value));
        Ok(())
    }

    fn delete(&self, ns: Namespace, key: &str) -> Result<bool, StoreError> {
        Ok(self.map().remove(&(ns, key.to_owned())).is_some())
    }

    fn list(&self, ns: Namespace) -> Result<Vec<String>, StoreError> {
        Ok(self
            .map()
            .keys()
            .filter(|(n, _)| *n == ns)
            .map(|(_, k)| k.clone())
            .collect())
    }
}
