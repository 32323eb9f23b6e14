//! Where the data key is kept: the OS stores (through the `keyring` crate), the kernel
//! keyring, or a file sealed with a passphrase.
//!
//! OS-store calls run on a short-lived thread of their own, waited for with a timeout:
//! the secret-service client starts its own tokio runtime, which panics inside a running
//! one, and a thread without a runtime context is immune to that; the timeout keeps a
//! D-Bus call that nobody answers from hanging `credential_process`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use zeroize::Zeroizing;

use super::crypto::{self, DataKey, KDF_DEFAULT, KEY_LEN, UnwrapError};
use super::session::{self, Slot};
use super::{Backend, Prompt, StoreConfig, StoreError, fsx};

/// Everything a holder needs to find this store's data key.
pub(super) struct Ctx<'a> {
    pub cfg: &'a StoreConfig,
    pub dir: &'a Path,
    /// The store's id (hex): names the key in the OS store and the kernel keyring.
    pub store_hex: &'a str,
    pub prompt: Prompt,
}

impl Ctx<'_> {
    fn account(&self) -> String {
        format!("data-key:{}", self.store_hex)
    }

    fn service(&self) -> &str {
        if self.cfg.service.is_empty() {
            "granted"
        } else {
            &self.cfg.service
        }
    }
}

/// The file backend's data-key file.
pub(super) fn key_file_path(dir: &Path) -> PathBuf {
    dir.join("data-key")
}

/// An error unless this build can use `b` on this platform.
pub(super) fn check_usable(b: Backend) -> Result<(), StoreError> {
    let only = |platform: &str| StoreError::Unavailable {
        backend: b,
        reason: format!("it exists only on {platform}"),
    };
    match b {
        Backend::KWallet | Backend::Pass => Err(StoreError::Unsupported { backend: b }),
        Backend::File => Ok(()),
        Backend::Keychain if cfg!(target_os = "macos") => Ok(()),
        Backend::Keychain => Err(only("macOS")),
        Backend::WinCred if cfg!(windows) => Ok(()),
        Backend::WinCred => Err(only("Windows")),
        Backend::SecretService | Backend::Keyctl if cfg!(target_os = "linux") => Ok(()),
        Backend::SecretService | Backend::Keyctl => Err(only("Linux")),
    }
}

/// The OS store tried first when no backend is configured.
pub(super) fn os_default() -> Option<Backend> {
    if cfg!(target_os = "macos") {
        Some(Backend::Keychain)
    } else if cfg!(windows) {
        Some(Backend::WinCred)
    } else if cfg!(target_os = "linux") {
        Some(Backend::SecretService)
    } else {
        None
    }
}

/// The data key held by `b`, `None` if it holds none for this store.
pub(super) fn load(
    b: Backend,
    ctx: &Ctx<'_>,
    wait: Duration,
) -> Result<Option<DataKey>, StoreError> {
    check_usable(b)?;
    match b {
        Backend::File => load_file(ctx),
        Backend::Keyctl => Ok(session::load(Slot::Keyctl, ctx.store_hex).map(|c| c.key)),
        _ => match os::call(b, ctx, None, wait)? {
            os::Reply::Value(text) => {
                parse_key_text(&text)
                    .map(Some)
                    .ok_or_else(|| StoreError::Backend {
                        backend: b,
                        action: "read the data key",
                        reason: format!(
                            "the item for service '{}', account '{}' is not a granted data key",
                            ctx.service(),
                            ctx.account()
                        ),
                    })
            }
            os::Reply::NoEntry => Ok(None),
            os::Reply::Stored => Ok(None),
        },
    }
}

/// Gives `key` to `b` to hold.
pub(super) fn save(
    b: Backend,
    ctx: &Ctx<'_>,
    key: &DataKey,
    wait: Duration,
) -> Result<(), StoreError> {
    check_usable(b)?;
    match b {
        Backend::File => save_file(ctx, key),
        Backend::Keyctl => {
            session::store(Slot::Keyctl, ctx.store_hex, b, &crypto::key_id(key), key, 0)
                .map_err(|reason| StoreError::Unavailable { backend: b, reason })
        }
        _ => os::call(b, ctx, Some(key_text(key)), wait).map(|_| ()),
    }
}

const KEY_TEXT_PREFIX: &str = "granted-data-key-v1:";

fn key_text(key: &DataKey) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(KEY_TEXT_PREFIX.len() + 2 * KEY_LEN));
    text.push_str(KEY_TEXT_PREFIX);
    let mut hex = Zeroizing::new([0u8; 2 * KEY_LEN]);
    crypto::hex_into(&key[..], &mut hex[..]);
    for c in hex.iter() {
        text.push(char::from(*c));
    }
    text
}

fn parse_key_text(text: &str) -> Option<DataKey> {
    let hex = text.trim().strip_prefix(KEY_TEXT_PREFIX)?;
    crypto::unhex::<KEY_LEN>(hex).map(Zeroizing::new)
}

// ---------------------------------------------------------------------------------------
// file

fn load_file(ctx: &Ctx<'_>) -> Result<Option<DataKey>, StoreError> {
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

fn save_file(ctx: &Ctx<'_>, key: &DataKey) -> Result<(), StoreError> {
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
pub(super) fn terminal_available() -> bool {
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

// ---------------------------------------------------------------------------------------
// OS stores

#[cfg(any(target_os = "linux", target_os = "macos", windows))]
mod os {
    use super::*;
    use std::sync::mpsc;

    pub(in super::super) enum Reply {
        Value(Zeroizing<String>),
        Stored,
        NoEntry,
    }

    enum Answer {
        Reply(Reply),
        Failed(String),
    }

    /// Never formats a value: `BadEncoding` carries the bytes it could not decode.
    fn describe(e: &keyring::Error) -> String {
        match e {
            keyring::Error::BadEncoding(_) => "the stored item is not text".into(),
            other => other.to_string().replace('\n', " "),
        }
    }

    #[cfg(target_os = "linux")]
    fn entry(
        _b: Backend,
        target: Option<&str>,
        service: &str,
        user: &str,
    ) -> keyring::Result<keyring::Entry> {
        let cred = keyring::secret_service::SsCredential::new_with_target(target, service, user)?;
        Ok(keyring::Entry::new_with_credential(Box::new(cred)))
    }

    #[cfg(target_os = "macos")]
    fn entry(
        _b: Backend,
        target: Option<&str>,
        service: &str,
        user: &str,
    ) -> keyring::Result<keyring::Entry> {
        // Granted's KeychainName defaults to "login", which is the user's default keychain
        // (the crate's "User" domain).
        let target = target.filter(|t| !t.eq_ignore_ascii_case("login"));
        let cred = keyring::macos::MacCredential::new_with_target(target, service, user)?;
        Ok(keyring::Entry::new_with_credential(Box::new(cred)))
    }

    #[cfg(windows)]
    fn entry(
        _b: Backend,
        _target: Option<&str>,
        service: &str,
        user: &str,
    ) -> keyring::Result<keyring::Entry> {
        let cred = keyring::windows::WinCredential::new_with_target(None, service, user)?;
        Ok(keyring::Entry::new_with_credential(Box::new(cred)))
    }

    /// Whether a D-Bus session bus is advertised at all (checked before connecting, so
    /// that a headless machine answers "unavailable" at once).
    fn session_bus_advertised() -> bool {
        if !cfg!(target_os = "linux") {
            return true;
        }
        // The store has no run context yet: the process environment, through sys.
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

    /// Reads the data-key item (`value` = `None`) or writes it.
    pub(in super::super) fn call(
        b: Backend,
        ctx: &Ctx<'_>,
        value: Option<Zeroizing<String>>,
        wait: Duration,
    ) -> Result<Reply, StoreError> {
        let unavailable = |reason: String| StoreError::Unavailable { backend: b, reason };
        if b == Backend::SecretService && !session_bus_advertised() {
            return Err(unavailable(
                "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)".into(),
            ));
        }
        let target = match b {
            Backend::SecretService => ctx.cfg.collection_name.clone(),
            Backend::Keychain => ctx.cfg.keychain_name.clone(),
            _ => None,
        }
        .filter(|t| !t.is_empty());
        let service = ctx.service().to_owned();
        let user = ctx.account();
        let writing = value.is_some();
        let (tx, rx) = mpsc::sync_channel::<Answer>(1);
        std::thread::Builder::new()
            .name("granted-keyring".into())
            .spawn(move || {
                let answer = match entry(b, target.as_deref(), &service, &user) {
                    Err(e) => Answer::Failed(describe(&e)),
                    Ok(entry) => match value {
                        Some(v) => match entry.set_password(&v) {
                            Ok(()) => Answer::Reply(Reply::Stored),
                            Err(e) => Answer::Failed(describe(&e)),
                        },
                        None => match entry.get_password() {
                            Ok(v) => Answer::Reply(Reply::Value(Zeroizing::new(v))),
                            Err(keyring::Error::NoEntry) => Answer::Reply(Reply::NoEntry),
                            Err(e) => Answer::Failed(describe(&e)),
                        },
                    },
                };
                let _ = tx.send(answer);
            })
            .map_err(|e| unavailable(format!("could not start a thread: {e}")))?;
        let action = if writing {
            "store the data key"
        } else {
            "read the data key"
        };
        match rx.recv_timeout(wait) {
            Ok(Answer::Reply(r)) => Ok(r),
            Ok(Answer::Failed(reason)) => Err(StoreError::Backend {
                backend: b,
                action,
                reason,
            }),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                Err(unavailable(format!("no answer within {wait:?}")))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(unavailable(
                "the keyring call stopped without an answer".into(),
            )),
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod os {
    use super::*;

    pub(in super::super) enum Reply {
        Value(Zeroizing<String>),
        Stored,
        NoEntry,
    }

    pub(in super::super) fn call(
        b: Backend,
        _ctx: &Ctx<'_>,
        _value: Option<Zeroizing<String>>,
        _wait: Duration,
    ) -> Result<Reply, StoreError> {
        Err(StoreError::Unavailable {
            backend: b,
            reason: "no OS keyring support on this platform".into(),
        })
    }
}
