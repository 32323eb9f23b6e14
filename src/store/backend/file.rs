//! The `file` backend: the data key in `<dir>/data-key`, sealed with a key derived from a
//! passphrase (Argon2id). Works everywhere.
//!
//! Owns the passphrase: `CF_KEYRING_FILE_PASSWORD` as the caller read it, else typed on
//! the terminal. It must not prompt when told not to or when no terminal opens, and
//! never keeps the passphrase beyond the call.

use std::path::{Path, PathBuf};
use std::time::Duration;

use zeroize::Zeroizing;

use super::super::crypto::{self, DataKey, KDF_DEFAULT, UnwrapError};
use super::super::{Backend, Prompt, StoreError, fsx};
use super::{Ctx, KeyHolder};

/// The data key sealed with a passphrase in the store folder.
pub(super) struct KeyFile;

/// The file backend's data-key file.
pub(in super::super) fn key_file_path(dir: &Path) -> PathBuf {
    dir.join("data-key")
}

impl KeyHolder for KeyFile {
    fn load(&self, ctx: &Ctx<'_>, _wait: Duration) -> Result<Option<DataKey>, StoreError> {
        let path = key_file_path(ctx.dir);
        let Some(bytes) = fsx::read_if_exists(&path).map_err(|source| StoreError::Io {
            action: "read",
            path: path.clone(),
            source,
        })?
        else {
            return Ok(None);
        };
        if bytes.len() != crypto::KEYFILE_LEN {
            // Damage is reported before asking for a passphrase that could not help.
            return Err(StoreError::DamagedKeyFile { path });
        }
        let passphrase = passphrase(ctx, false)?;
        match crypto::unwrap_key(&bytes, passphrase.as_bytes()) {
            Ok(key) => Ok(Some(key)),
            Err(UnwrapError::Damaged) => Err(StoreError::DamagedKeyFile { path }),
            Err(UnwrapError::WrongPassphrase) => Err(StoreError::WrongPassphrase {
                dir: ctx.dir.to_path_buf(),
            }),
        }
    }

    fn save(&self, ctx: &Ctx<'_>, key: &DataKey, _wait: Duration) -> Result<(), StoreError> {
        let passphrase = passphrase(ctx, true)?;
        let path = key_file_path(ctx.dir);
        let bytes = crypto::wrap_key(key, passphrase.as_bytes(), KDF_DEFAULT).ok_or_else(|| {
            StoreError::Backend {
                backend: Backend::File,
                action: "seal the data key",
                reason: "the key derivation failed".into(),
            }
        })?;
        fsx::write_atomic(&path, &bytes).map_err(|source| StoreError::Io {
            action: "write",
            path,
            source,
        })
    }
}

/// The passphrase: the configured one (`CF_KEYRING_FILE_PASSWORD`), else typed on the
/// terminal (twice when `creating`), else an immediate error. Never empty.
fn passphrase(ctx: &Ctx<'_>, creating: bool) -> Result<Zeroizing<String>, StoreError> {
    if let Some(p) = &ctx.cfg.passphrase {
        if p.is_empty() {
            return Err(StoreError::EmptyPassphrase {
                origin: "CF_KEYRING_FILE_PASSWORD is set but empty",
            });
        }
        return Ok(Zeroizing::new(p.expose().to_owned()));
    }
    if ctx.prompt == Prompt::Never || !terminal_available() {
        return Err(StoreError::NoPassphrase);
    }
    let ask = |prompt: String| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|source| StoreError::Io {
                action: "read the passphrase from",
                path: PathBuf::from("/dev/tty"),
                source,
            })
    };
    let dir = ctx.dir.display();
    let first = if creating {
        ask(format!(
            "New passphrase for the granted file keyring at {dir}: "
        ))?
    } else {
        ask(format!(
            "Passphrase for the granted file keyring at {dir}: "
        ))?
    };
    if first.is_empty() {
        return Err(StoreError::EmptyPassphrase {
            origin: "nothing was typed",
        });
    }
    if creating {
        let second = ask("Type it again: ".to_owned())?;
        if *second != *first {
            return Err(StoreError::PassphraseMismatch {
                dir: ctx.dir.to_path_buf(),
            });
        }
    }
    Ok(first)
}

/// Whether a prompt can be shown: the controlling terminal opens (it does not for a
/// process started by a daemon, CI or an IDE, where prompting would hang or fail late).
pub(in super::super) fn terminal_available() -> bool {
    #[cfg(unix)]
    {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .is_ok()
    }
    #[cfg(not(unix))]
    {
        use std::io::IsTerminal;
        std::io::stdin().is_terminal()
    }
}
