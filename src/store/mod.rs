//! Secret storage: one store behind one trait, encrypted at rest.
//!
//! Owns encryption at rest, the keyring backends (`backend/`: one file per backend
//! behind one trait, and the one table every list of backend names comes from), the
//! session cache of the data key, and where its locks and files go (the file-system
//! primitives themselves — private folders, atomic writes, link-refusing reads, bounded
//! locks — are `crate::sys::fs` and `crate::sys::lock`). It must
//! not know what the values mean (no credential or token logic here) and it never logs
//! or formats a value: errors name paths, backends and key names only.
//!
//! # Layout (envelope encryption)
//! ```text
//! <dir>/                      0700
//!   backend                   which backend holds the data key, the store's random id
//!                             (names the key in keyrings), the key's public fingerprint
//!   data-key                  file backend only: the data key sealed with a passphrase
//!   <namespace>/<sha256(key)> one item: XChaCha20-Poly1305 under the data key, 0600
//!   locks/<sha256(ns/key)>.lock, locks/data-key.lock
//! ```
//! Items are sealed under a random 32-byte **data key** with a fresh 24-byte nonce per
//! write; the AAD binds the namespace and the key, so a file copied under another name
//! does not open. A corrupt, truncated or foreign item reads as a miss (`Ok(None)`) and
//! heals on the next `put`.
//!
//! The data key is held by the configured [`Backend`] (macOS keychain, Windows Credential
//! Manager, the freedesktop Secret Service, the kernel keyring, or a file sealed with an
//! Argon2id-derived key). Once unwrapped it is kept for 12 hours in the Linux kernel user
//! keyring (`@u`, as `granted:data-key:<store id>`), so the hot path (`credential_process` with a cached credential) costs a
//! few syscalls: no D-Bus or keychain round trip, no passphrase KDF.
//!
//! # Threads and runtimes
//! All calls are blocking. Make them outside `Runtime::block_on` (before or after the
//! async part), not from async code: they do file I/O and may wait on a lock or a
//! passphrase prompt. The OS-keyring calls run on a thread of their own, so the Secret
//! Service client's internal tokio runtime cannot clash with the caller's, but keeping
//! store calls out of async code is still the rule.

mod backend;
mod crypto;
mod memory;
mod session;
#[cfg(test)]
mod tests;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chacha20poly1305::XChaCha20Poly1305;
use zeroize::Zeroizing;

pub use crate::sys::fs::{ensure_private_dir, write_atomic};
pub use crate::sys::lock::LockGuard;

use crate::sys::fs as fsx;
pub use memory::MemoryStore;

use crate::secret::Secret;
use backend::Ctx;
use crypto::{DataKey, KEY_ID_LEN};
use session::Slot;

/// Where the data key lives. Granted's names (`Keyring.Backend`), parsed
/// case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// macOS keychain.
    Keychain,
    /// Windows Credential Manager.
    WinCred,
    /// freedesktop Secret Service over D-Bus (GNOME Keyring, KeePassXC, KWallet's bridge).
    SecretService,
    /// KWallet's own API: not supported (use `secret-service`).
    KWallet,
    /// The Linux kernel keyring. Volatile: the data key, and so every item, is lost at
    /// reboot. Suits caches, not long-lived keys.
    Keyctl,
    /// The `pass` password store: not supported.
    Pass,
    /// A file in the store folder, sealed with a passphrase.
    File,
}

impl Backend {
    /// Every backend, in the order messages list them.
    pub const ALL: [Backend; backend::BACKENDS.len()] = {
        let mut all = [Backend::File; backend::BACKENDS.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = backend::BACKENDS[i].backend;
            i += 1;
        }
        all
    };

    /// Granted's names of [`Backend::ALL`], in the same order (what `Keyring.Backend`
    /// takes).
    pub const NAMES: [&'static str; backend::BACKENDS.len()] = {
        let mut names = [""; backend::BACKENDS.len()];
        let mut i = 0;
        while i < names.len() {
            names[i] = backend::BACKENDS[i].name;
            i += 1;
        }
        names
    };

    /// Granted's name.
    pub fn as_str(self) -> &'static str {
        backend::info(self).name
    }

    /// `Ok` if this build can use the backend on this platform; otherwise the error that
    /// [`Store::open`] would give (for validating a setting early).
    pub fn check_usable(self) -> Result<(), StoreError> {
        backend::check_usable(self)
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Backend {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Backend, StoreError> {
        let s = s.trim();
        Backend::ALL
            .into_iter()
            .find(|b| b.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| StoreError::UnknownBackend { name: s.to_owned() })
    }
}

/// What kind of item: each namespace is its own folder, so keys never collide across them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Namespace {
    SessionCredentials,
    SsoTokens,
    ClientRegistrations,
    IamCredentials,
    MfaSessions,
}

impl Namespace {
    pub const ALL: [Namespace; 5] = [
        Namespace::SessionCredentials,
        Namespace::SsoTokens,
        Namespace::ClientRegistrations,
        Namespace::IamCredentials,
        Namespace::MfaSessions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::SessionCredentials => "session-credentials",
            Namespace::SsoTokens => "sso-tokens",
            Namespace::ClientRegistrations => "client-registrations",
            Namespace::IamCredentials => "iam-credentials",
            Namespace::MfaSessions => "mfa-sessions",
        }
    }
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Namespace {
    type Err = StoreError;

    /// Our names, case-insensitively, plus Granted's storage names (`sso-token`,
    /// `aws-iam-credentials`, and the `granted-aws-…` service names).
    fn from_str(s: &str) -> Result<Namespace, StoreError> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("granted-").unwrap_or(&t);
        let ns = match t {
            "session-credentials" | "aws-session-credentials" => Namespace::SessionCredentials,
            "sso-tokens" | "sso-token" | "aws-sso-tokens" => Namespace::SsoTokens,
            "client-registrations" => Namespace::ClientRegistrations,
            "iam-credentials" | "aws-iam-credentials" => Namespace::IamCredentials,
            "mfa-sessions" => Namespace::MfaSessions,
            _ => {
                return Err(StoreError::UnknownNamespace {
                    name: s.trim().to_owned(),
                });
            }
        };
        Ok(ns)
    }
}

/// How to open the store, from `[Keyring]` in `~/.granted/config` and the environment.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// Where items, the data-key file and locks live (`Keyring.FileDir`, or
    /// `<granted config dir>/secure-storage`).
    pub dir: PathBuf,
    /// `Keyring.Backend`; `None` = automatic.
    pub backend: Option<Backend>,
    /// `CF_KEYRING_FILE_PASSWORD` as read by the caller (`None` = unset).
    pub passphrase: Option<Secret>,
    /// `Keyring.KeychainName` (macOS; `login` = the default keychain).
    pub keychain_name: Option<String>,
    /// `Keyring.LibSecretCollectionName` (default: the default collection).
    pub collection_name: Option<String>,
    /// The keyring service name the data key is filed under, e.g. `granted`.
    pub service: String,
}

impl StoreConfig {
    /// Automatic backend, no passphrase, no names.
    pub fn new(dir: impl Into<PathBuf>, service: impl Into<String>) -> StoreConfig {
        StoreConfig {
            dir: dir.into(),
            backend: None,
            passphrase: None,
            keychain_name: None,
            collection_name: None,
            service: service.into(),
        }
    }
}

/// Whether the file backend may ask for its passphrase on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prompt {
    /// Prompt on `/dev/tty` when it opens (and `CF_KEYRING_FILE_PASSWORD` is unset).
    #[default]
    IfTerminal,
    /// Never prompt: a missing passphrase is an error at once.
    Never,
}

/// The store's errors: one lowercase line, naming paths, backends and keys, never values.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not {action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "unknown keyring backend '{name}': use one of {}",
        backend::NameList::All
    )]
    UnknownBackend { name: String },
    #[error(
        "unknown storage '{name}': use one of session-credentials, sso-tokens, client-registrations, iam-credentials, mfa-sessions"
    )]
    UnknownNamespace { name: String },
    #[error(
        "the {backend} keyring backend is not supported: use {}",
        backend::NameList::Supported
    )]
    Unsupported { backend: Backend },
    #[error("the {backend} keyring backend is not available: {reason}")]
    Unavailable { backend: Backend, reason: String },
    #[error(
        "the store at {} keeps its data key in the {recorded} backend, but Keyring.Backend is {configured}: set Keyring.Backend to {recorded}, or remove {} to start an empty store",
        dir.display(),
        dir.display()
    )]
    BackendMismatch {
        dir: PathBuf,
        recorded: Backend,
        configured: Backend,
    },
    #[error("the {backend} keyring backend could not {action}: {reason}")]
    Backend {
        backend: Backend,
        action: &'static str,
        reason: String,
    },
    #[error(
        "the file keyring needs a passphrase: set CF_KEYRING_FILE_PASSWORD or run granted in a terminal"
    )]
    NoPassphrase,
    #[error("the file keyring needs a non-empty passphrase ({origin})")]
    EmptyPassphrase { origin: &'static str },
    #[error("the passphrases typed for the file keyring at {} did not match", dir.display())]
    PassphraseMismatch { dir: PathBuf },
    #[error("wrong passphrase for the file keyring at {} (CF_KEYRING_FILE_PASSWORD)", dir.display())]
    WrongPassphrase { dir: PathBuf },
    #[error(
        "the {backend} keyring no longer holds the data key of the store at {}, which still has {items} item(s): restore the key{} or move {} away to start an empty store",
        dir.display(),
        if *backend == Backend::File { " (the data-key file) from a backup," } else { " from a backup," },
        dir.display()
    )]
    LostKey {
        dir: PathBuf,
        backend: Backend,
        items: usize,
    },
    #[error("the file keyring's data-key file at {} is damaged", path.display())]
    DamagedKeyFile { path: PathBuf },
    #[error("timed out after {waited:?} waiting for the lock on {what} ({})", path.display())]
    LockTimeout {
        what: String,
        path: PathBuf,
        waited: Duration,
    },
}

/// Key/value storage of secrets, by namespace.
pub trait SecretStore {
    /// The value, or `None` when absent or unreadable (a corrupt item is a miss).
    fn get(&self, ns: Namespace, key: &str) -> Result<Option<Secret>, StoreError>;
    /// Creates or replaces, atomically.
    fn put(&self, ns: Namespace, key: &str, value: &str) -> Result<(), StoreError>;
    /// Whether there was something to delete.
    fn delete(&self, ns: Namespace, key: &str) -> Result<bool, StoreError>;
    /// The key names in `ns`, sorted.
    fn list(&self, ns: Namespace) -> Result<Vec<String>, StoreError>;
}

impl<T: SecretStore + ?Sized> SecretStore for &T {
    fn get(&self, ns: Namespace, key: &str) -> Result<Option<Secret>, StoreError> {
        (**self).get(ns, key)
    }
    fn put(&self, ns: Namespace, key: &str, value: &str) -> Result<(), StoreError> {
        (**self).put(ns, key, value)
    }
    fn delete(&self, ns: Namespace, key: &str) -> Result<bool, StoreError> {
        (**self).delete(ns, key)
    }
    fn list(&self, ns: Namespace) -> Result<Vec<String>, StoreError> {
        (**self).list(ns)
    }
}

/// How long an OS store may take to answer when it is the configured or recorded backend
/// (it may be showing an unlock dialog).
const BACKEND_WAIT: Duration = Duration::from_secs(120);
/// How long an OS store may take to answer when probed for the automatic choice.
const PROBE_WAIT: Duration = Duration::from_secs(10);
/// How long to wait for another process that is creating the data key.
const INIT_LOCK_WAIT: Duration = Duration::from_secs(120);

const RECORD_FILE: &str = "backend";
const LOCKS_DIR: &str = "locks";

/// The encrypted store in one folder.
pub struct Store {
    dir: PathBuf,
    backend: Backend,
    /// Holds the data key; zeroes it when dropped.
    cipher: XChaCha20Poly1305,
    store_hex: String,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// What `<dir>/backend` says:
/// ```text
/// file
/// store-id 5f0c…   (random, names this store's data key in keyrings)
/// key-id 9a41…     (public fingerprint of the data key)
/// ```
struct Record {
    backend: Option<Backend>,
    store_id: Option<[u8; STORE_ID_LEN]>,
    key_id: Option<[u8; KEY_ID_LEN]>,
}

/// A record with every line present.
struct FullRecord {
    backend: Backend,
    store_id: [u8; STORE_ID_LEN],
    key_id: [u8; KEY_ID_LEN],
}

impl Record {
    fn full(&self) -> Option<FullRecord> {
        Some(FullRecord {
            backend: self.backend?,
            store_id: self.store_id?,
            key_id: self.key_id?,
        })
    }
}

const STORE_ID_LEN: usize = 16;

fn io_error<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> StoreError + 'p {
    move |source| StoreError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// A missing or partly unreadable record means "not set up yet": the setup under the
/// lock finds an existing data key again, so a damaged record heals.
fn read_record(dir: &Path) -> Result<Option<Record>, StoreError> {
    let path = dir.join(RECORD_FILE);
    let Some(bytes) = fsx::read_if_exists(&path).map_err(io_error("read", &path))? else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines().map(str::trim);
    let backend = lines.next().and_then(|l| l.parse::<Backend>().ok());
    let mut rec = Record {
        backend,
        store_id: None,
        key_id: None,
    };
    for line in lines {
        if let Some(h) = line.strip_prefix("store-id ") {
            rec.store_id = crypto::unhex::<STORE_ID_LEN>(h.trim());
        } else if let Some(h) = line.strip_prefix("key-id ") {
            rec.key_id = crypto::unhex::<KEY_ID_LEN>(h.trim());
        }
    }
    Ok(Some(rec))
}

fn write_record(dir: &Path, rec: &FullRecord) -> Result<(), StoreError> {
    let path = dir.join(RECORD_FILE);
    let text = format!(
        "{}\nstore-id {}\nkey-id {}\n",
        rec.backend,
        crypto::hex(&rec.store_id),
        crypto::hex(&rec.key_id)
    );
    write_atomic(&path, text.as_bytes()).map_err(io_error("write", &path))
}

fn check_mismatch(
    configured: Option<Backend>,
    recorded: Backend,
    dir: &Path,
) -> Result<(), StoreError> {
    match configured {
        Some(c) if c != recorded => Err(StoreError::BackendMismatch {
            dir: dir.to_path_buf(),
            recorded,
            configured: c,
        }),
        _ => Ok(()),
    }
}

/// `<dir>/<ns>/<hex sha256(key)>`.
fn item_path(dir: &Path, ns: Namespace, key_hash: &[u8; 32]) -> PathBuf {
    let mut name = [0u8; 64];
    crypto::hex_into(key_hash, &mut name);
    let ns = ns.as_str();
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + ns.len() + 66);
    path.push(dir);
    path.push(ns);
    // Only ASCII hex digits were written.
    path.push(std::str::from_utf8(&name).unwrap_or_default());
    path
}

fn lock_path(dir: &Path, ns: Namespace, key: &str) -> PathBuf {
    let hash = crypto::sha256(&[ns.as_str().as_bytes(), b"/", key.as_bytes()]);
    dir.join(LOCKS_DIR)
        .join(format!("{}.lock", crypto::hex(&hash)))
}

fn is_item_name(name: &str) -> Option<[u8; 32]> {
    if name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        crypto::unhex::<32>(name)
    } else {
        None
    }
}

/// Takes group and world access away from the store's sub-folders that exist (they are
/// created 0700; this repairs a folder loosened by hand or restored from a backup).
fn tighten_subdirs(dir: &Path) {
    for sub in Namespace::ALL
        .iter()
        .map(|ns| ns.as_str())
        .chain([LOCKS_DIR])
    {
        let path = dir.join(sub);
        if path.is_dir() {
            let _ = fsx::ensure_store_dir(&path);
        }
    }
}

fn cache_in_session(store_hex: &str, backend: Backend, key: &DataKey) {
    if backend != Backend::Keyctl {
        // Best effort: without the kernel keyring every open goes to the backend.
        let _ = session::store(
            Slot::Session,
            store_hex,
            backend,
            &crypto::key_id(key),
            key,
            session::SESSION_TIMEOUT_SECS,
        );
    }
}

impl Store {
    /// Opens (creating on first use) the store in `cfg.dir`, prompting for the file
    /// backend's passphrase on the terminal if one is needed and not configured.
    ///
    /// Cheap when the data key is in the session cache: no backend call, no KDF.
    pub fn open(cfg: &StoreConfig) -> Result<Store, StoreError> {
        Store::open_with(cfg, Prompt::IfTerminal)
    }

    /// [`Store::open`] with an explicit prompting policy.
    pub fn open_with(cfg: &StoreConfig, prompt: Prompt) -> Result<Store, StoreError> {
        if let Some(b) = cfg.backend {
            backend::check_usable(b)?;
        }
        let dir = cfg.dir.as_path();
        fsx::ensure_store_dir(dir).map_err(io_error("create the store folder", dir))?;
        if let Some(rec) = read_record(dir)?.as_ref().and_then(Record::full) {
            check_mismatch(cfg.backend, rec.backend, dir)?;
            let store_hex = crypto::hex(&rec.store_id);
            if let Some(store) = Store::from_session(dir, &rec, &store_hex) {
                return Ok(store);
            }
            // Without a passphrase and with no way to ask, the file key can't be
            // unlocked: say so at once rather than wait behind another process's
            // prompt.
            if rec.backend == Backend::File
                && cfg.passphrase.is_none()
                && (prompt == Prompt::Never || !backend::terminal_available())
            {
                return Err(StoreError::NoPassphrase);
            }
            // One process unlocks the key (a passphrase KDF, or an OS keyring call);
            // the others wait, then find it in the session cache.
            let _guard = acquire_lock(
                &dir.join(LOCKS_DIR).join("data-key.lock"),
                INIT_LOCK_WAIT,
                || format!("the data key of the store at {}", dir.display()),
            )?;
            if let Some(store) = Store::from_session(dir, &rec, &store_hex) {
                return Ok(store);
            }
            let ctx = Ctx {
                cfg,
                dir,
                store_hex: &store_hex,
                prompt,
            };
            // Off the hot path: a good moment to check the sub-folders' modes.
            tighten_subdirs(dir);
            if let Some(key) = backend::load(rec.backend, &ctx, BACKEND_WAIT)? {
                let key_id = crypto::key_id(&key);
                if key_id != rec.key_id {
                    write_record(dir, &FullRecord { key_id, ..rec })?;
                }
                cache_in_session(&store_hex, rec.backend, &key);
                return Ok(Store::new(dir, rec.backend, &key, store_hex));
            }
            // The kernel keyring loses its key at every reboot, by design: the items it
            // protected are gone with it, and the store starts over. Any other holder
            // that lost the key (a deleted data-key file or keyring item) may get it back
            // from a backup: a new key over the items would make them unreadable for good.
            if rec.backend != Backend::Keyctl {
                let items = count_items(dir);
                if items > 0 {
                    return Err(StoreError::LostKey {
                        dir: dir.to_path_buf(),
                        backend: rec.backend,
                        items,
                    });
                }
            }
        }
        Store::set_up(cfg, dir, prompt)
    }

    /// The store from the session cache of its data key, if it is there and current.
    fn from_session(dir: &Path, rec: &FullRecord, store_hex: &str) -> Option<Store> {
        if rec.backend == Backend::Keyctl {
            return None;
        }
        let c = session::load(Slot::Session, store_hex)?;
        if c.backend == rec.backend
            && c.key_id == rec.key_id
            && crypto::key_id(&c.key) == rec.key_id
        {
            return Some(Store::new(dir, rec.backend, &c.key, store_hex.to_owned()));
        }
        // The store was set up again since: drop the stale copy.
        let _ = session::forget(Slot::Session, store_hex);
        None
    }

    fn new(dir: &Path, backend: Backend, key: &DataKey, store_hex: String) -> Store {
        Store {
            dir: dir.to_path_buf(),
            backend,
            cipher: crypto::cipher(key),
            store_hex,
        }
    }

    /// Finds or creates the data key, under the setup lock so that processes starting
    /// together agree on one key, and records where it is.
    fn set_up(cfg: &StoreConfig, dir: &Path, prompt: Prompt) -> Result<Store, StoreError> {
        let _guard = acquire_lock(
            &dir.join(LOCKS_DIR).join("data-key.lock"),
            INIT_LOCK_WAIT,
            || format!("the data key of the store at {}", dir.display()),
        )?;
        tighten_subdirs(dir);
        let recorded = read_record(dir)?;
        // Another process may have set it up while this one waited.
        if let Some(rec) = recorded.as_ref().and_then(Record::full)
            && let Some(store) = Store::from_session(dir, &rec, &crypto::hex(&rec.store_id))
        {
            return Ok(store);
        }
        let recorded_backend = recorded.as_ref().and_then(|r| r.backend);
        if let Some(r) = recorded_backend {
            check_mismatch(cfg.backend, r, dir)?;
        }
        // Keep the store's id if the record has one: it names the key in the keyrings.
        let store_id = recorded
            .as_ref()
            .and_then(|r| r.store_id)
            .unwrap_or_else(|| {
                let mut id = [0u8; STORE_ID_LEN];
                id.copy_from_slice(&crypto::random_key()[..STORE_ID_LEN]);
                id
            });
        let store_hex = crypto::hex(&store_id);
        let ctx = Ctx {
            cfg,
            dir,
            store_hex: &store_hex,
            prompt,
        };
        let fixed = recorded_backend.or(cfg.backend);
        let candidates: Vec<Backend> = match fixed {
            Some(b) => vec![b],
            // An existing key file wins; else the OS store if it works; else a new file.
            None if backend::key_file_path(dir).exists() => vec![Backend::File],
            None => backend::os_default()
                .into_iter()
                .chain([Backend::File])
                .collect(),
        };
        let automatic = fixed.is_none();
        let mut last_error = None;
        for b in candidates {
            let wait = if automatic { PROBE_WAIT } else { BACKEND_WAIT };
            let attempt = backend::load(b, &ctx, wait).and_then(|found| match found {
                Some(key) => Ok(key),
                None => {
                    let key = crypto::random_key();
                    backend::save(b, &ctx, &key, wait).map(|()| key)
                }
            });
            match attempt {
                Ok(key) => {
                    let rec = FullRecord {
                        backend: b,
                        store_id,
                        key_id: crypto::key_id(&key),
                    };
                    write_record(dir, &rec)?;
                    cache_in_session(&store_hex, b, &key);
                    return Ok(Store::new(dir, b, &key, store_hex));
                }
                // Automatic choice: an OS store that does not work is skipped.
                Err(e) if automatic && b != Backend::File => last_error = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_error.unwrap_or(StoreError::Unavailable {
            backend: Backend::File,
            reason: "no backend could hold the data key".into(),
        }))
    }

    /// Whether an item file exists, without needing the data key (the hot path checks
    /// this before [`Store::open`]). It may still turn out unreadable.
    pub fn item_exists(dir: &Path, ns: Namespace, key: &str) -> bool {
        item_path(dir, ns, &crypto::sha256(&[key.as_bytes()])).is_file()
    }

    /// The backend holding the data key.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Deletes every item of `ns`; returns how many there were.
    pub fn clear(&self, ns: Namespace) -> Result<usize, StoreError> {
        Store::clear_in(&self.dir, ns)
    }

    /// [`Store::clear`] without opening the store (no data key or passphrase needed).
    pub fn clear_in(dir: &Path, ns: Namespace) -> Result<usize, StoreError> {
        let ns_dir = dir.join(ns.as_str());
        let entries = match fs::read_dir(&ns_dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(io_error("list", &ns_dir)(e)),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry.map_err(io_error("list", &ns_dir))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let path = entry.path();
            if is_item_name(name).is_some() {
                match fs::remove_file(&path) {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(io_error("remove", &path)(e)),
                }
            } else if name.starts_with('.') && name.ends_with(fsx::TEMP_SUFFIX) {
                // A temporary file left by a killed writer (a live one is younger).
                let stale = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > Duration::from_secs(60));
                if stale {
                    let _ = fs::remove_file(&path);
                }
            }
        }
        Ok(removed)
    }

    /// Removes this store's data key from the session cache; the next open goes to the
    /// backend again (for `file`: needs the passphrase). Used by `granted cache clear --all`.
    pub fn forget_session_key(&self) -> Result<(), StoreError> {
        session::forget(Slot::Session, &self.store_hex).map_err(|reason| StoreError::Unavailable {
            backend: Backend::Keyctl,
            reason,
        })
    }

    /// [`Store::forget_session_key`] without opening the store.
    pub fn forget_session_key_in(dir: &Path) -> Result<(), StoreError> {
        let Some(store_id) = read_record(dir)?.and_then(|r| r.store_id) else {
            return Ok(());
        };
        session::forget(Slot::Session, &crypto::hex(&store_id)).map_err(|reason| {
            StoreError::Unavailable {
                backend: Backend::Keyctl,
                reason,
            }
        })
    }

    /// Removes every copy of the store's data key the kernel keyring holds (the session
    /// cache and the `keyctl` backend's), without opening the store. For a `keyctl`
    /// store this loses its items (they heal as they are rewritten): a throw-away
    /// store's last step, such as a test's.
    pub fn forget_kernel_keys_in(dir: &Path) -> Result<(), StoreError> {
        let Some(store_id) = read_record(dir)?.and_then(|r| r.store_id) else {
            return Ok(());
        };
        let hex = crypto::hex(&store_id);
        for slot in [Slot::Session, Slot::Keyctl] {
            session::forget(slot, &hex).map_err(|reason| StoreError::Unavailable {
                backend: Backend::Keyctl,
                reason,
            })?;
        }
        Ok(())
    }

    /// Takes the cross-process lock for (`ns`, `key`), waiting at most `timeout`.
    /// Readers never take it: writes are atomic.
    pub fn lock(
        &self,
        ns: Namespace,
        key: &str,
        timeout: Duration,
    ) -> Result<LockGuard, StoreError> {
        Store::lock_in(&self.dir, ns, key, timeout)
    }

    /// [`Store::lock`] without opening the store.
    pub fn lock_in(
        dir: &Path,
        ns: Namespace,
        key: &str,
        timeout: Duration,
    ) -> Result<LockGuard, StoreError> {
        acquire_lock(&lock_path(dir, ns, key), timeout, || format!("{ns}/{key}"))
    }
}

/// How many item files the store's namespace folders hold (temporary files aside).
fn count_items(dir: &Path) -> usize {
    Namespace::ALL
        .iter()
        .filter_map(|ns| fs::read_dir(dir.join(ns.as_str())).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && e.file_type().is_ok_and(|t| t.is_file())
        })
        .count()
}

/// [`crate::sys::lock::acquire`], its errors in the store's terms: `what` names the thing
/// waited for.
fn acquire_lock(
    path: &Path,
    timeout: Duration,
    what: impl FnOnce() -> String,
) -> Result<LockGuard, StoreError> {
    use crate::sys::lock::{LockError, acquire};
    acquire(path, timeout).map_err(|e| match e {
        LockError::Io {
            action,
            path,
            source,
        } => StoreError::Io {
            action,
            path,
            source,
        },
        LockError::Timeout { path, waited } => StoreError::LockTimeout {
            what: what(),
            path,
            waited,
        },
    })
}

impl SecretStore for Store {
    fn get(&self, ns: Namespace, key: &str) -> Result<Option<Secret>, StoreError> {
        let key_hash = crypto::sha256(&[key.as_bytes()]);
        let path = item_path(&self.dir, ns, &key_hash);
        let bytes = match fsx::read_if_exists(&path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(None),
            // A link, FIFO, folder or huge file where an item belongs: a miss, cleared
            // so that the next put heals it.
            Err(e) if matches!(e.kind(), io::ErrorKind::InvalidData) => {
                let _ = fs::remove_file(&path).or_else(|_| fs::remove_dir_all(&path));
                return Ok(None);
            }
            Err(e) => return Err(io_error("read", &path)(e)),
        };
        let mut bytes = Zeroizing::new(bytes);
        let Some((_, value)) = crypto::open_item(&self.cipher, ns.as_str(), &key_hash, &mut bytes)
        else {
            return Ok(None);
        };
        Ok(std::str::from_utf8(&bytes[value]).ok().map(Secret::new))
    }

    fn put(&self, ns: Namespace, key: &str, value: &str) -> Result<(), StoreError> {
        let key_hash = crypto::sha256(&[key.as_bytes()]);
        let path = item_path(&self.dir, ns, &key_hash);
        let sealed = crypto::seal_item(&self.cipher, ns.as_str(), &key_hash, key, value)
            .ok_or_else(|| StoreError::Io {
                action: "encrypt an item for",
                path: path.clone(),
                source: io::Error::new(io::ErrorKind::InvalidInput, "the item is too large"),
            })?;
        match write_atomic(&path, &sealed) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let ns_dir = self.dir.join(ns.as_str());
                fsx::create_store_subdir(&ns_dir)
                    .or_else(|_| ensure_private_dir(&ns_dir))
                    .map_err(io_error("create", &ns_dir))?;
                write_atomic(&path, &sealed).map_err(io_error("write", &path))
            }
            other => other.map_err(io_error("write", &path)),
        }
    }

    fn delete(&self, ns: Namespace, key: &str) -> Result<bool, StoreError> {
        let path = item_path(&self.dir, ns, &crypto::sha256(&[key.as_bytes()]));
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_error("remove", &path)(e)),
        }
    }

    fn list(&self, ns: Namespace) -> Result<Vec<String>, StoreError> {
        let ns_dir = self.dir.join(ns.as_str());
        let entries = match fs::read_dir(&ns_dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error("list", &ns_dir)(e)),
        };
        let mut keys = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_error("list", &ns_dir))?;
            let name = entry.file_name();
            let Some(key_hash) = name.to_str().and_then(is_item_name) else {
                continue;
            };
            let path = entry.path();
            // Gone since the listing (a concurrent delete) is simply not listed.
            let Some(bytes) = fsx::read_if_exists(&path).map_err(io_error("read", &path))? else {
                continue;
            };
            let mut bytes = Zeroizing::new(bytes);
            if let Some((k, _)) =
                crypto::open_item(&self.cipher, ns.as_str(), &key_hash, &mut bytes)
                && let Ok(k) = std::str::from_utf8(&bytes[k])
            {
                keys.push(k.to_owned());
            }
        }
        keys.sort();
        Ok(keys)
    }
}
