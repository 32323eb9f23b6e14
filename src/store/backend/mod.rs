//! Where the data key is kept: one [`KeyHolder`] per backend, one file each, and the one
//! table ([`BACKENDS`]) every list of backend names is derived from.
//!
//! - `keychain.rs` (macOS), `wincred.rs` (Windows), `secret_service.rs` (Linux): the OS
//!   stores, through the `keyring` crate, sharing `os.rs`;
//! - `keyctl.rs`: the kernel keyring (Linux), through the store's `session` module;
//! - `file.rs`: a file in the store folder sealed with a passphrase.
//!
//! `kwallet` and `pass` are in the table (Granted knows them) but have no holder: they
//! are refused, naming the supported ones. Platform `cfg`s are on the OS stores' module
//! declarations and their arms in [`holder`], nowhere else.
//!
//! OS-store calls run on a short-lived thread of their own, waited for with a timeout:
//! the secret-service client starts its own tokio runtime, which panics inside a running
//! one, and a thread without a runtime context is immune to that; the timeout keeps a
//! D-Bus call that nobody answers from hanging `credential_process`.
//!
//! This module must not decide which backend a store uses (that is the store's record
//! and settings) nor touch items: it only finds, creates and hands back the data key.

mod file;
#[cfg(target_os = "macos")]
mod keychain;
mod keyctl;
#[cfg(any(target_os = "linux", target_os = "macos", windows))]
mod os;
#[cfg(target_os = "linux")]
mod secret_service;
#[cfg(windows)]
mod wincred;

use std::fmt;
use std::path::Path;
use std::time::Duration;

use super::crypto::DataKey;
use super::{Backend, Prompt, StoreConfig, StoreError};

pub(super) use file::{key_file_path, terminal_available};

/// Everything a holder needs to find this store's data key.
pub(super) struct Ctx<'a> {
    pub cfg: &'a StoreConfig,
    pub dir: &'a Path,
    /// The store's id (hex): names the key in the OS store and the kernel keyring.
    pub store_hex: &'a str,
    pub prompt: Prompt,
}

impl Ctx<'_> {
    /// The account the data key is filed under in an OS store.
    fn account(&self) -> String {
        format!("data-key:{}", self.store_hex)
    }

    /// The service the data key is filed under in an OS store.
    fn service(&self) -> &str {
        if self.cfg.service.is_empty() {
            "granted"
        } else {
            &self.cfg.service
        }
    }
}

/// One backend's way of keeping the data key.
pub(super) trait KeyHolder {
    /// The data key it holds for this store, `None` if it holds none.
    fn load(&self, ctx: &Ctx<'_>, wait: Duration) -> Result<Option<DataKey>, StoreError>;
    /// Gives it `key` to hold, replacing any it held for this store.
    fn save(&self, ctx: &Ctx<'_>, key: &DataKey, wait: Duration) -> Result<(), StoreError>;
}

/// Where a backend can work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Platform {
    Any,
    MacOs,
    Windows,
    Linux,
}

impl Platform {
    /// Whether this build runs there.
    fn here(self) -> bool {
        match self {
            Platform::Any => true,
            Platform::MacOs => cfg!(target_os = "macos"),
            Platform::Windows => cfg!(windows),
            Platform::Linux => cfg!(target_os = "linux"),
        }
    }

    /// Its name in messages; `None` for [`Platform::Any`].
    fn name(self) -> Option<&'static str> {
        match self {
            Platform::Any => None,
            Platform::MacOs => Some("macOS"),
            Platform::Windows => Some("Windows"),
            Platform::Linux => Some("Linux"),
        }
    }
}

/// One row of [`BACKENDS`].
#[derive(Debug)]
pub(super) struct BackendInfo {
    pub backend: Backend,
    /// Granted's name (`Keyring.Backend`).
    pub name: &'static str,
    /// Where it works (for an unsupported one: where Granted has it).
    pub platform: Platform,
    /// Whether this project implements it.
    pub supported: bool,
    /// The OS store tried first on its platform when no backend is configured.
    pub automatic: bool,
    /// Its code in the kernel-keyring payload (`session.rs`): stored, never change one.
    pub code: u8,
}

/// Every backend, in [`Backend`]'s declaration order (checked when compiling) and in the
/// order messages list them.
pub(super) const BACKENDS: &[BackendInfo] = &[
    BackendInfo {
        backend: Backend::Keychain,
        name: "keychain",
        platform: Platform::MacOs,
        supported: true,
        automatic: true,
        code: 1,
    },
    BackendInfo {
        backend: Backend::WinCred,
        name: "wincred",
        platform: Platform::Windows,
        supported: true,
        automatic: true,
        code: 2,
    },
    BackendInfo {
        backend: Backend::SecretService,
        name: "secret-service",
        platform: Platform::Linux,
        supported: true,
        automatic: true,
        code: 3,
    },
    BackendInfo {
        backend: Backend::KWallet,
        name: "kwallet",
        platform: Platform::Linux,
        supported: false,
        automatic: false,
        code: 4,
    },
    BackendInfo {
        backend: Backend::Keyctl,
        name: "keyctl",
        platform: Platform::Linux,
        supported: true,
        automatic: false,
        code: 5,
    },
    BackendInfo {
        backend: Backend::Pass,
        name: "pass",
        platform: Platform::Linux,
        supported: false,
        automatic: false,
        code: 6,
    },
    BackendInfo {
        backend: Backend::File,
        name: "file",
        platform: Platform::Any,
        supported: true,
        automatic: false,
        code: 7,
    },
];

// `info` indexes the table by the enum's discriminant.
const _: () = {
    let mut i = 0;
    while i < BACKENDS.len() {
        assert!(BACKENDS[i].backend as usize == i);
        i += 1;
    }
};

/// `b`'s row of the table.
pub(super) fn info(b: Backend) -> &'static BackendInfo {
    &BACKENDS[b as usize]
}

/// A list of backend names for a message, from the table.
#[derive(Debug, Clone, Copy)]
pub(super) enum NameList {
    /// Every name Granted knows: `keychain, wincred, …, file`.
    All,
    /// The supported ones with their platforms:
    /// `keychain (macOS), wincred (Windows), secret-service or keyctl (Linux), or file`.
    Supported,
}

impl fmt::Display for NameList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameList::All => {
                for (i, row) in BACKENDS.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(row.name)?;
                }
                Ok(())
            }
            NameList::Supported => {
                // Grouped by platform, in the order the platforms first appear.
                let supported = || BACKENDS.iter().filter(|r| r.supported);
                let mut platforms: Vec<Platform> = Vec::new();
                for row in supported() {
                    if !platforms.contains(&row.platform) {
                        platforms.push(row.platform);
                    }
                }
                for (i, platform) in platforms.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                        if i + 1 == platforms.len() {
                            f.write_str("or ")?;
                        }
                    }
                    let names = supported().filter(|r| r.platform == *platform);
                    for (j, row) in names.enumerate() {
                        if j > 0 {
                            f.write_str(" or ")?;
                        }
                        f.write_str(row.name)?;
                    }
                    if let Some(name) = platform.name() {
                        write!(f, " ({name})")?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// An error unless this build can use `b` on this platform.
pub(super) fn check_usable(b: Backend) -> Result<(), StoreError> {
    let row = info(b);
    if !row.supported {
        return Err(StoreError::Unsupported { backend: b });
    }
    match row.platform.name() {
        Some(platform) if !row.platform.here() => Err(StoreError::Unavailable {
            backend: b,
            reason: format!("it exists only on {platform}"),
        }),
        _ => Ok(()),
    }
}

/// The OS store tried first when no backend is configured.
pub(super) fn os_default() -> Option<Backend> {
    BACKENDS
        .iter()
        .find(|r| r.automatic && r.supported && r.platform.here())
        .map(|r| r.backend)
}

/// The holder of `b` in this build: `None` for an unsupported backend or one of another
/// platform.
fn holder(b: Backend) -> Option<&'static dyn KeyHolder> {
    match b {
        Backend::File => Some(&file::KeyFile),
        Backend::Keyctl => Some(&keyctl::Keyctl),
        #[cfg(target_os = "linux")]
        Backend::SecretService => Some(&secret_service::SecretService),
        #[cfg(target_os = "macos")]
        Backend::Keychain => Some(&keychain::Keychain),
        #[cfg(windows)]
        Backend::WinCred => Some(&wincred::WinCred),
        _ => None,
    }
}

/// `b`'s holder once `b` is usable here.
fn usable_holder(b: Backend) -> Result<&'static dyn KeyHolder, StoreError> {
    check_usable(b)?;
    holder(b).ok_or_else(|| StoreError::Unavailable {
        backend: b,
        reason: "no OS keyring support on this platform".into(),
    })
}

/// The data key held by `b`, `None` if it holds none for this store.
pub(super) fn load(
    b: Backend,
    ctx: &Ctx<'_>,
    wait: Duration,
) -> Result<Option<DataKey>, StoreError> {
    usable_holder(b)?.load(ctx, wait)
}

/// Gives `key` to `b` to hold.
pub(super) fn save(
    b: Backend,
    ctx: &Ctx<'_>,
    key: &DataKey,
    wait: Duration,
) -> Result<(), StoreError> {
    usable_holder(b)?.save(ctx, key, wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_exactly_for_the_backends_usable_here() {
        for row in BACKENDS {
            let usable = row.supported && row.platform.here();
            assert_eq!(holder(row.backend).is_some(), usable, "{}", row.name);
            assert_eq!(check_usable(row.backend).is_ok(), usable, "{}", row.name);
        }
    }

    #[test]
    fn codes_and_names_are_unique() {
        for (i, a) in BACKENDS.iter().enumerate() {
            for b in &BACKENDS[i + 1..] {
                assert_ne!(a.code, b.code);
                assert!(!a.name.eq_ignore_ascii_case(b.name));
            }
        }
    }
}
