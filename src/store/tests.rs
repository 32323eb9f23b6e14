use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use super::*;

const PASS: &str = "correct horse battery staple";

/// A store folder in a temp dir whose session-cache entry is removed at the end, so test
/// runs do not fill the kernel keyring's quota.
struct TestDir {
    tmp: tempfile::TempDir,
}

impl TestDir {
    fn new() -> TestDir {
        TestDir {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    fn dir(&self) -> PathBuf {
        self.tmp.path().join("secure-storage")
    }

    fn cfg(&self) -> StoreConfig {
        let mut cfg = StoreConfig::new(self.dir(), "granted-test");
        cfg.backend = Some(Backend::File);
        cfg.passphrase = Some(Secret::new(PASS));
        cfg
    }

    fn open(&self) -> Store {
        Store::open_with(&self.cfg(), Prompt::Never).unwrap()
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = Store::forget_session_key_in(&self.dir());
        if let Ok(Some(Some(id))) = read_record(&self.dir()).map(|r| r.map(|r| r.store_id)) {
            let _ = session::forget(Slot::Keyctl, &crypto::hex(&id));
        }
    }
}

fn no_pass(mut cfg: StoreConfig) -> StoreConfig {
    cfg.passphrase = None;
    cfg
}

fn kernel_keyring_or_skip(test: &str) -> bool {
    if session::usable() {
        true
    } else {
        println!("{test}: skipped: the kernel user keyring is not usable here");
        false
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn item_file(store: &Store, ns: Namespace, key: &str) -> PathBuf {
    item_path(store.dir(), ns, &crypto::sha256(&[key.as_bytes()]))
}

// ---------------------------------------------------------------------------------------
// names

#[test]
fn backend_names_parse_case_insensitively() {
    let table = [
        ("keychain", Backend::Keychain),
        ("KeyChain", Backend::Keychain),
        ("wincred", Backend::WinCred),
        ("WINCRED", Backend::WinCred),
        ("secret-service", Backend::SecretService),
        ("Secret-Service", Backend::SecretService),
        ("kwallet", Backend::KWallet),
        ("keyctl", Backend::Keyctl),
        ("pass", Backend::Pass),
        ("file", Backend::File),
        (" File ", Backend::File),
    ];
    for (name, want) in table {
        assert_eq!(name.parse::<Backend>().unwrap(), want, "{name}");
    }
    for b in Backend::ALL {
        assert_eq!(b.to_string().parse::<Backend>().unwrap(), b);
    }
    let err = "gnome".parse::<Backend>().unwrap_err().to_string();
    assert_eq!(
        err,
        "unknown keyring backend 'gnome': use one of keychain, wincred, secret-service, kwallet, keyctl, pass, file"
    );
    assert!("secret_service".parse::<Backend>().is_err());
    assert!("".parse::<Backend>().is_err());
}

#[test]
fn messages_list_exactly_the_tables_backends() {
    let unknown = "floppy".parse::<Backend>().unwrap_err().to_string();
    let listed = unknown.split_once(": use one of ").unwrap().1;
    assert_eq!(listed.split(", ").collect::<Vec<_>>(), Backend::NAMES);
    let table: Vec<&str> = backend::BACKENDS.iter().map(|r| r.name).collect();
    assert_eq!(Backend::NAMES.to_vec(), table);
    assert_eq!(
        Backend::ALL.map(Backend::as_str).to_vec(),
        table,
        "ALL follows the table"
    );

    let unsupported = StoreError::Unsupported {
        backend: Backend::Pass,
    }
    .to_string();
    let listed = unsupported.split_once(": use ").unwrap().1;
    assert_eq!(
        listed,
        "keychain (macOS), wincred (Windows), secret-service or keyctl (Linux), or file"
    );
    let mut named: Vec<&str> = listed
        .split([',', ' '])
        .filter(|w| !w.is_empty() && *w != "or" && !w.starts_with('('))
        .collect();
    let mut supported: Vec<&str> = backend::BACKENDS
        .iter()
        .filter(|r| r.supported)
        .map(|r| r.name)
        .collect();
    named.sort_unstable();
    supported.sort_unstable();
    assert_eq!(named, supported);
}

#[test]
fn kwallet_and_pass_are_refused_naming_the_supported_ones() {
    for b in [Backend::KWallet, Backend::Pass] {
        let t = TestDir::new();
        let mut cfg = t.cfg();
        cfg.backend = Some(b);
        let err = Store::open_with(&cfg, Prompt::Never).unwrap_err();
        assert!(matches!(err, StoreError::Unsupported { .. }), "{err}");
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!("the {b} keyring backend is not supported")),
            "{msg}"
        );
        for name in ["keychain", "wincred", "secret-service", "keyctl", "file"] {
            assert!(msg.contains(name), "{msg}");
        }
        // Refused before anything is written.
        assert!(!t.dir().exists());
    }
}

#[cfg(target_os = "linux")]
#[test]
fn other_platforms_backends_are_unavailable_here() {
    for (b, platform) in [(Backend::Keychain, "macOS"), (Backend::WinCred, "Windows")] {
        let err = b.check_usable().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("the {b} keyring backend is not available: it exists only on {platform}")
        );
    }
}

#[test]
fn namespace_names() {
    let want = [
        "session-credentials",
        "sso-tokens",
        "client-registrations",
        "iam-credentials",
        "mfa-sessions",
    ];
    for (ns, name) in Namespace::ALL.into_iter().zip(want) {
        assert_eq!(ns.to_string(), name);
        assert_eq!(name.parse::<Namespace>().unwrap(), ns);
        assert_eq!(name.to_uppercase().parse::<Namespace>().unwrap(), ns);
    }
    // Granted's storage names.
    assert_eq!(
        "sso-token".parse::<Namespace>().unwrap(),
        Namespace::SsoTokens
    );
    assert_eq!(
        "aws-iam-credentials".parse::<Namespace>().unwrap(),
        Namespace::IamCredentials
    );
    assert_eq!(
        "granted-aws-session-credentials"
            .parse::<Namespace>()
            .unwrap(),
        Namespace::SessionCredentials
    );
    assert!("tokens".parse::<Namespace>().is_err());
}

// ---------------------------------------------------------------------------------------
// items

#[test]
fn round_trip_in_every_namespace() {
    let t = TestDir::new();
    let store = t.open();
    assert_eq!(store.backend(), Backend::File);
    assert_eq!(store.dir(), t.dir());
    for ns in Namespace::ALL {
        for (key, value) in [
            ("dev", "{\"AccessKeyID\":\"ASIA1\"}"),
            ("Account/Role", "ünïcödé ✓"),
            ("https://example.awsapps.com/startmy-session", ""),
            ("", "empty key"),
        ] {
            assert!(store.get(ns, key).unwrap().is_none());
            assert!(!Store::item_exists(store.dir(), ns, key));
            store.put(ns, key, value).unwrap();
            assert!(Store::item_exists(store.dir(), ns, key));
            assert_eq!(store.get(ns, key).unwrap().unwrap().expose(), value);
        }
        store.put(ns, "dev", "second").unwrap();
        assert_eq!(store.get(ns, "dev").unwrap().unwrap().expose(), "second");
    }
    // Namespaces are separate.
    store.put(Namespace::SsoTokens, "only-here", "x").unwrap();
    assert!(
        store
            .get(Namespace::MfaSessions, "only-here")
            .unwrap()
            .is_none()
    );
}

#[test]
fn values_are_not_on_disk_in_plaintext() {
    let t = TestDir::new();
    let store = t.open();
    let value = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    store
        .put(Namespace::IamCredentials, "prod-admin", value)
        .unwrap();
    for entry in walk(&t.dir()) {
        let bytes = fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(value), "{}", entry.display());
        assert!(!text.contains("prod-admin"), "{}", entry.display());
        assert!(!text.contains(PASS), "{}", entry.display());
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn list_delete_clear() {
    let t = TestDir::new();
    let store = t.open();
    let ns = Namespace::SessionCredentials;
    assert!(store.list(ns).unwrap().is_empty());
    for key in ["zeta", "alpha", "Mid/dle", "beta"] {
        store.put(ns, key, "v").unwrap();
    }
    store.put(Namespace::SsoTokens, "other", "v").unwrap();
    assert_eq!(
        store.list(ns).unwrap(),
        ["Mid/dle", "alpha", "beta", "zeta"]
    );
    assert!(store.delete(ns, "beta").unwrap());
    assert!(!store.delete(ns, "beta").unwrap());
    assert_eq!(store.list(ns).unwrap(), ["Mid/dle", "alpha", "zeta"]);
    // A damaged file is not listed; stray files are ignored.
    fs::write(item_file(&store, ns, "junk"), b"garbage").unwrap();
    fs::write(store.dir().join(ns.as_str()).join("README"), b"x").unwrap();
    assert_eq!(store.list(ns).unwrap(), ["Mid/dle", "alpha", "zeta"]);
    assert_eq!(store.clear(ns).unwrap(), 4);
    assert!(store.list(ns).unwrap().is_empty());
    assert_eq!(store.clear(ns).unwrap(), 0);
    assert_eq!(
        Store::clear_in(store.dir(), Namespace::MfaSessions).unwrap(),
        0
    );
    assert_eq!(store.list(Namespace::SsoTokens).unwrap(), ["other"]);
}

#[test]
fn corrupt_truncated_and_foreign_items_are_misses_that_heal() {
    let t = TestDir::new();
    let store = t.open();
    let ns = Namespace::SsoTokens;
    let path = item_file(&store, ns, "k");
    type Damage = Box<dyn Fn(&mut Vec<u8>)>;
    let damage: [(&str, Damage); 5] = [
        ("bit flip", Box::new(|b: &mut Vec<u8>| b[40] ^= 0x01)),
        (
            "truncated",
            Box::new(|b: &mut Vec<u8>| b.truncate(b.len() - 3)),
        ),
        ("header only", Box::new(|b: &mut Vec<u8>| b.truncate(20))),
        ("empty", Box::new(|b: &mut Vec<u8>| b.clear())),
        ("bad magic", Box::new(|b: &mut Vec<u8>| b[0] = b'X')),
    ];
    for (what, f) in damage {
        store.put(ns, "k", "good").unwrap();
        let mut bytes = fs::read(&path).unwrap();
        f(&mut bytes);
        fs::write(&path, &bytes).unwrap();
        assert!(store.get(ns, "k").unwrap().is_none(), "{what}");
        store.put(ns, "k", "healed").unwrap();
        assert_eq!(
            store.get(ns, "k").unwrap().unwrap().expose(),
            "healed",
            "{what}"
        );
    }
    // Sealed under another store's data key.
    let other = TestDir::new();
    let other_store = other.open();
    other_store.put(ns, "k", "foreign").unwrap();
    fs::copy(item_file(&other_store, ns, "k"), &path).unwrap();
    assert!(store.get(ns, "k").unwrap().is_none());
    assert!(store.list(ns).unwrap().is_empty());
    store.put(ns, "k", "mine").unwrap();
    assert_eq!(store.get(ns, "k").unwrap().unwrap().expose(), "mine");
}

#[test]
fn aad_binds_namespace_and_key() {
    let t = TestDir::new();
    let store = t.open();
    store
        .put(Namespace::SessionCredentials, "dev", "dev-creds")
        .unwrap();
    let src = item_file(&store, Namespace::SessionCredentials, "dev");
    // Under another key's name.
    let dst = item_file(&store, Namespace::SessionCredentials, "prod");
    fs::copy(&src, &dst).unwrap();
    assert!(
        store
            .get(Namespace::SessionCredentials, "prod")
            .unwrap()
            .is_none()
    );
    assert_eq!(store.list(Namespace::SessionCredentials).unwrap(), ["dev"]);
    // Under the same key in another namespace.
    fs::create_dir_all(store.dir().join("iam-credentials")).unwrap();
    let dst = item_file(&store, Namespace::IamCredentials, "dev");
    fs::copy(&src, &dst).unwrap();
    assert!(
        store
            .get(Namespace::IamCredentials, "dev")
            .unwrap()
            .is_none()
    );
    assert!(store.list(Namespace::IamCredentials).unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------
// file backend and passphrases

#[test]
fn file_backend_reopens_with_the_passphrase_and_refuses_a_wrong_one() {
    let t = TestDir::new();
    let store = t.open();
    store
        .put(Namespace::IamCredentials, "a", "secret-a")
        .unwrap();
    store.forget_session_key().unwrap();
    drop(store);

    // Same passphrase: the same data key.
    let store = t.open();
    assert_eq!(
        store
            .get(Namespace::IamCredentials, "a")
            .unwrap()
            .unwrap()
            .expose(),
        "secret-a"
    );
    store.forget_session_key().unwrap();

    let mut wrong = t.cfg();
    wrong.passphrase = Some(Secret::new("not it"));
    let err = Store::open_with(&wrong, Prompt::Never).unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "wrong passphrase for the file keyring at {} (CF_KEYRING_FILE_PASSWORD)",
            t.dir().display()
        )
    );
    // The wrong passphrase changed nothing.
    let store = t.open();
    assert_eq!(
        store
            .get(Namespace::IamCredentials, "a")
            .unwrap()
            .unwrap()
            .expose(),
        "secret-a"
    );
}

#[test]
fn missing_passphrase_is_an_immediate_clear_error() {
    let t = TestDir::new();
    let started = Instant::now();
    let err = Store::open_with(&no_pass(t.cfg()), Prompt::Never).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(err, StoreError::NoPassphrase), "{err}");
    assert_eq!(
        err.to_string(),
        "the file keyring needs a passphrase: set CF_KEYRING_FILE_PASSWORD or run granted in a terminal"
    );
    // Nothing half-made: a later open with the passphrase sets up normally.
    assert!(!backend::key_file_path(&t.dir()).exists());
    assert!(!t.dir().join(RECORD_FILE).exists());
    t.open();

    // And for an existing key file (after the session cache is gone).
    Store::forget_session_key_in(&t.dir()).unwrap();
    let err = Store::open_with(&no_pass(t.cfg()), Prompt::Never).unwrap_err();
    assert!(matches!(err, StoreError::NoPassphrase), "{err}");
}

#[test]
fn without_a_terminal_the_prompting_open_fails_at_once_too() {
    // Tests run without a controlling terminal here (CI, the harness); where one exists,
    // this would prompt, so it is skipped.
    if fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok()
    {
        println!("without_a_terminal...: skipped: this process has a terminal");
        return;
    }
    let t = TestDir::new();
    let err = Store::open(&no_pass(t.cfg())).unwrap_err();
    assert!(matches!(err, StoreError::NoPassphrase), "{err}");
}

#[test]
fn empty_passphrase_is_refused() {
    let t = TestDir::new();
    let mut cfg = t.cfg();
    cfg.passphrase = Some(Secret::new(""));
    let err = Store::open_with(&cfg, Prompt::Never).unwrap_err();
    assert!(matches!(err, StoreError::EmptyPassphrase { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "the file keyring needs a non-empty passphrase (CF_KEYRING_FILE_PASSWORD is set but empty)"
    );
}

#[test]
fn damaged_key_file_is_its_own_error() {
    let t = TestDir::new();
    t.open().put(Namespace::SsoTokens, "x", "y").unwrap();
    let key_file = backend::key_file_path(&t.dir());
    let good = fs::read(&key_file).unwrap();
    for (what, bytes) in [
        ("bit flip", {
            let mut b = good.clone();
            b[70] ^= 0x10;
            b
        }),
        ("truncated", good[..good.len() - 1].to_vec()),
        ("empty", Vec::new()),
    ] {
        Store::forget_session_key_in(&t.dir()).unwrap();
        fs::write(&key_file, &bytes).unwrap();
        let err = Store::open_with(&t.cfg(), Prompt::Never).unwrap_err();
        assert!(
            matches!(err, StoreError::DamagedKeyFile { .. }),
            "{what}: {err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "the file keyring's data-key file at {} is damaged",
                key_file.display()
            )
        );
    }
    fs::write(&key_file, &good).unwrap();
    let store = t.open();
    assert_eq!(
        store
            .get(Namespace::SsoTokens, "x")
            .unwrap()
            .unwrap()
            .expose(),
        "y"
    );
}

#[test]
fn key_file_uses_argon2id_at_64_mib() {
    let t = TestDir::new();
    t.open();
    let bytes = fs::read(backend::key_file_path(&t.dir())).unwrap();
    assert_eq!(bytes.len(), crypto::KEYFILE_LEN);
    assert_eq!(&bytes[..8], b"GRNTKEY1");
    assert_eq!(
        u32::from_le_bytes(bytes[8..12].try_into().unwrap()),
        64 * 1024
    );
    assert_eq!(u32::from_le_bytes(bytes[12..16].try_into().unwrap()), 2);
    assert_eq!(u32::from_le_bytes(bytes[16..20].try_into().unwrap()), 1);
}

#[test]
fn configured_backend_that_disagrees_with_the_store_is_an_error() {
    let t = TestDir::new();
    t.open();
    let mut cfg = t.cfg();
    cfg.backend = Some(Backend::Keyctl);
    let err = Store::open_with(&cfg, Prompt::Never).unwrap_err();
    assert!(matches!(err, StoreError::BackendMismatch { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("keeps its data key in the file backend, but Keyring.Backend is keyctl"),
        "{msg}"
    );
    // No setting: the recorded backend is used.
    let mut cfg = t.cfg();
    cfg.backend = None;
    assert_eq!(
        Store::open_with(&cfg, Prompt::Never).unwrap().backend(),
        Backend::File
    );
    assert_eq!(
        fs::read_to_string(t.dir().join(RECORD_FILE))
            .unwrap()
            .lines()
            .next(),
        Some("file")
    );
}

#[test]
fn automatic_choice_without_a_session_bus_is_the_file_backend() {
    let runtime_bus =
        std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists());
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || runtime_bus {
        println!("automatic_choice...: skipped: a D-Bus session bus is configured");
        return;
    }
    let t = TestDir::new();
    let mut cfg = t.cfg();
    cfg.backend = None;
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(store.backend(), Backend::File);
    store.put(Namespace::SsoTokens, "u", "t").unwrap();
    drop(store);
    // Recorded: the next open does not guess, and needs no passphrase while cached.
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(store.backend(), Backend::File);
    assert_eq!(
        store
            .get(Namespace::SsoTokens, "u")
            .unwrap()
            .unwrap()
            .expose(),
        "t"
    );
}

#[test]
fn damaged_record_heals() {
    let t = TestDir::new();
    t.open().put(Namespace::SsoTokens, "u", "t").unwrap();
    // The store id goes with the record: drop the cache entry named by the old one.
    Store::forget_session_key_in(&t.dir()).unwrap();
    fs::write(t.dir().join(RECORD_FILE), b"\xff\xfe nonsense").unwrap();
    let mut cfg = t.cfg();
    cfg.backend = None;
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(store.backend(), Backend::File);
    assert_eq!(
        store
            .get(Namespace::SsoTokens, "u")
            .unwrap()
            .unwrap()
            .expose(),
        "t"
    );
    assert!(
        fs::read_to_string(t.dir().join(RECORD_FILE))
            .unwrap()
            .starts_with("file\nstore-id ")
    );
}

#[test]
fn a_moved_store_folder_still_opens() {
    let t = TestDir::new();
    t.open().put(Namespace::IamCredentials, "k", "v").unwrap();
    let moved = t.tmp.path().join("elsewhere");
    fs::rename(t.dir(), &moved).unwrap();
    let mut cfg = t.cfg();
    cfg.dir = moved.clone();
    // Through the session cache when there is one, else the key file: either way the
    // store is the same one.
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(
        store
            .get(Namespace::IamCredentials, "k")
            .unwrap()
            .unwrap()
            .expose(),
        "v"
    );
    store.forget_session_key().unwrap();
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(
        store
            .get(Namespace::IamCredentials, "k")
            .unwrap()
            .unwrap()
            .expose(),
        "v"
    );
    store.forget_session_key().unwrap();
}

#[test]
fn processes_setting_up_together_agree_on_one_key() {
    let t = Arc::new(TestDir::new());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let t = Arc::clone(&t);
            std::thread::spawn(move || {
                let store = t.open();
                store
                    .put(Namespace::MfaSessions, &format!("k{i}"), &format!("v{i}"))
                    .unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    Store::forget_session_key_in(&t.dir()).unwrap();
    let store = t.open();
    assert_eq!(
        store.list(Namespace::MfaSessions).unwrap(),
        ["k0", "k1", "k2", "k3"]
    );
}

// ---------------------------------------------------------------------------------------
// session cache and keyctl

#[test]
fn session_cache_serves_later_opens_without_the_passphrase() {
    if !kernel_keyring_or_skip("session_cache_serves_later_opens_without_the_passphrase") {
        return;
    }
    let t = TestDir::new();
    t.open()
        .put(Namespace::SessionCredentials, "dev", "cached")
        .unwrap();

    // No passphrase, no prompt: only the session cache can make this work.
    let store = Store::open_with(&no_pass(t.cfg()), Prompt::Never).unwrap();
    assert_eq!(store.backend(), Backend::File);
    assert_eq!(
        store
            .get(Namespace::SessionCredentials, "dev")
            .unwrap()
            .unwrap()
            .expose(),
        "cached"
    );
    // The cache also skips the KDF: a wrong passphrase is not even looked at.
    let mut wrong = t.cfg();
    wrong.passphrase = Some(Secret::new("wrong"));
    Store::open_with(&wrong, Prompt::Never).unwrap();

    store.forget_session_key().unwrap();
    let err = Store::open_with(&no_pass(t.cfg()), Prompt::Never).unwrap_err();
    assert!(matches!(err, StoreError::NoPassphrase), "{err}");
    // Forgetting twice is fine.
    store.forget_session_key().unwrap();

    // With the passphrase it is cached again.
    t.open();
    Store::open_with(&no_pass(t.cfg()), Prompt::Never).unwrap();
}

#[test]
fn session_cache_is_per_store_folder() {
    if !kernel_keyring_or_skip("session_cache_is_per_store_folder") {
        return;
    }
    let a = TestDir::new();
    let b = TestDir::new();
    a.open();
    // b has never been opened: nothing cached for it.
    let err = Store::open_with(&no_pass(b.cfg()), Prompt::Never).unwrap_err();
    assert!(matches!(err, StoreError::NoPassphrase), "{err}");
    Store::open_with(&no_pass(a.cfg()), Prompt::Never).unwrap();
}

#[test]
fn stale_session_key_is_noticed() {
    if !kernel_keyring_or_skip("stale_session_key_is_noticed") {
        return;
    }
    let t = TestDir::new();
    let store = t.open();
    store.put(Namespace::SsoTokens, "u", "real").unwrap();
    // Plant another key under this store's name, as if the store had been set up again.
    let other = crypto::random_key();
    session::store(
        Slot::Session,
        &store.store_hex,
        Backend::File,
        &crypto::key_id(&other),
        &other,
        60,
    )
    .unwrap();
    // The planted key does not match the record: the backend is asked again.
    let err = Store::open_with(&no_pass(t.cfg()), Prompt::Never).unwrap_err();
    assert!(matches!(err, StoreError::NoPassphrase), "{err}");
    let store = t.open();
    assert_eq!(
        store
            .get(Namespace::SsoTokens, "u")
            .unwrap()
            .unwrap()
            .expose(),
        "real"
    );
}

#[test]
fn keyctl_backend_keeps_the_key_in_the_kernel() {
    if !kernel_keyring_or_skip("keyctl_backend_keeps_the_key_in_the_kernel") {
        return;
    }
    let t = TestDir::new();
    let mut cfg = no_pass(t.cfg());
    cfg.backend = Some(Backend::Keyctl);
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(store.backend(), Backend::Keyctl);
    store.put(Namespace::SsoTokens, "u", "t").unwrap();
    store.forget_session_key().unwrap();
    assert!(!backend::key_file_path(&t.dir()).exists());
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(
        store
            .get(Namespace::SsoTokens, "u")
            .unwrap()
            .unwrap()
            .expose(),
        "t"
    );
    // Losing the kernel's copy (a reboot) loses the items, and the store starts over.
    session::forget(Slot::Keyctl, &store.store_hex).unwrap();
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert!(store.get(Namespace::SsoTokens, "u").unwrap().is_none());
    store.put(Namespace::SsoTokens, "u", "t2").unwrap();
    assert_eq!(
        store
            .get(Namespace::SsoTokens, "u")
            .unwrap()
            .unwrap()
            .expose(),
        "t2"
    );
}

/// Not an assertion on speed (debug builds, shared machine): prints what the hot path
/// costs. `cargo test --lib store::tests::hot_path_cost -- --nocapture`
#[test]
fn hot_path_cost() {
    if !kernel_keyring_or_skip("hot_path_cost") {
        return;
    }
    let t = TestDir::new();
    t.open()
        .put(Namespace::SessionCredentials, "dev", &"x".repeat(1200))
        .unwrap();
    let cfg = no_pass(t.cfg());
    let rounds = 2000;
    let started = Instant::now();
    for _ in 0..rounds {
        let store = Store::open_with(&cfg, Prompt::Never).unwrap();
        let v = store
            .get(Namespace::SessionCredentials, "dev")
            .unwrap()
            .unwrap();
        assert_eq!(v.expose().len(), 1200);
    }
    let each = started.elapsed() / rounds;
    println!("hot path: Store::open (session cache hit) + get of a 1.2 kB item: {each:?} each");
    let store = t.open();
    let started = Instant::now();
    for _ in 0..rounds {
        assert!(
            store
                .get(Namespace::SessionCredentials, "dev")
                .unwrap()
                .is_some()
        );
    }
    println!("hot path: get alone: {:?} each", started.elapsed() / rounds);
    let started = Instant::now();
    for _ in 0..rounds {
        assert!(Store::item_exists(
            &t.dir(),
            Namespace::SessionCredentials,
            "dev"
        ));
    }
    println!(
        "hot path: item_exists: {:?} each",
        started.elapsed() / rounds
    );
}

// ---------------------------------------------------------------------------------------
// files and permissions

#[cfg(unix)]
#[test]
fn folders_are_0700_and_files_0600() {
    let t = TestDir::new();
    let store = t.open();
    store.put(Namespace::SsoTokens, "u", "t").unwrap();
    let _lock = store
        .lock(Namespace::SsoTokens, "u", Duration::from_secs(1))
        .unwrap();
    let dir = t.dir();
    for d in [dir.clone(), dir.join("sso-tokens"), dir.join("locks")] {
        assert_eq!(mode(&d), 0o700, "{}", d.display());
    }
    for f in walk(&dir) {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    assert!(walk(&dir).len() >= 5); // record, key file, item, two locks
}

#[cfg(unix)]
#[test]
fn a_loose_store_folder_is_tightened() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestDir::new();
    fs::create_dir_all(t.dir()).unwrap();
    fs::set_permissions(t.dir(), fs::Permissions::from_mode(0o755)).unwrap();
    t.open().put(Namespace::SsoTokens, "u", "t").unwrap();
    assert_eq!(mode(&t.dir()), 0o700);
    // Sub-folders are checked whenever the data key comes from the backend.
    for sub in ["sso-tokens", "locks"] {
        fs::set_permissions(t.dir().join(sub), fs::Permissions::from_mode(0o755)).unwrap();
    }
    Store::forget_session_key_in(&t.dir()).unwrap();
    t.open();
    for sub in ["sso-tokens", "locks"] {
        assert_eq!(mode(&t.dir().join(sub)), 0o700, "{sub}");
    }
}

#[cfg(unix)]
#[test]
fn ensure_private_dir_creates_every_level_0700() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = tmp.path().join("a/b/c");
    ensure_private_dir(&deep).unwrap();
    for d in ["a", "a/b", "a/b/c"] {
        assert_eq!(mode(&tmp.path().join(d)), 0o700, "{d}");
    }
    ensure_private_dir(&deep).unwrap();
}

#[cfg(unix)]
#[test]
fn write_atomic_replaces_privately_and_leaves_no_temp_files() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("token.json");
    fs::write(&path, b"old").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    for i in 0..20 {
        write_atomic(&path, format!("new {i}").as_bytes()).unwrap();
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), "new 19");
    assert_eq!(mode(&path), 0o600);
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["token.json"]);
    // Into a missing folder: an error, and nothing left behind.
    assert!(write_atomic(&tmp.path().join("nope/x"), b"x").is_err());
}

#[test]
fn write_atomic_readers_see_old_or_new() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("f");
    let a = vec![b'a'; 64 * 1024];
    let b = vec![b'b'; 64 * 1024];
    write_atomic(&path, &a).unwrap();
    let writer = {
        let (path, a, b) = (path.clone(), a.clone(), b.clone());
        std::thread::spawn(move || {
            for i in 0..200 {
                write_atomic(&path, if i % 2 == 0 { &b } else { &a }).unwrap();
            }
        })
    };
    while !writer.is_finished() {
        let got = fs::read(&path).unwrap();
        assert!(got == a || got == b, "torn read of {} bytes", got.len());
    }
    writer.join().unwrap();
}

#[cfg(unix)]
#[test]
fn read_flags_come_from_libc() {
    assert_eq!(fsx::READ_FLAGS, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    assert_eq!(fsx::READ_FLAGS & libc::O_NOFOLLOW, libc::O_NOFOLLOW);
}

#[cfg(unix)]
#[test]
fn reads_never_follow_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("target");
    fs::write(&target, b"behind the link").unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    // The target reads; the link to it does not.
    assert_eq!(
        fsx::read_if_exists(&target).unwrap().unwrap(),
        b"behind the link"
    );
    let err = fsx::read_if_exists(&link).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{err}");
    // A dangling link is refused too, not taken for a missing file.
    let dangling = tmp.path().join("dangling");
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), &dangling).unwrap();
    let err = fsx::read_if_exists(&dangling).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{err}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_item_is_a_miss_and_is_removed() {
    let t = TestDir::new();
    let store = t.open();
    let ns = Namespace::SsoTokens;
    store.put(ns, "real", "value").unwrap();
    let real = item_file(&store, ns, "real");
    let path = item_file(&store, ns, "k");
    std::os::unix::fs::symlink(&real, &path).unwrap();
    assert!(store.get(ns, "k").unwrap().is_none());
    assert!(fs::symlink_metadata(&path).is_err(), "the link was left");
    assert_eq!(store.get(ns, "real").unwrap().unwrap().expose(), "value");
}

#[cfg(unix)]
#[test]
fn reading_a_fifo_does_not_block() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("fifo");
    let c_path = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c_path` is a valid NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let err = fsx::read_if_exists(&fifo).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{err}");
}

// ---------------------------------------------------------------------------------------
// locks

#[test]
fn lock_waits_for_the_holder_then_gets_it() {
    let t = TestDir::new();
    let dir = t.dir();
    ensure_private_dir(&dir).unwrap();
    let held = Store::lock_in(&dir, Namespace::SsoTokens, "https://start", Duration::ZERO).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let g = Store::lock_in(
                &dir,
                Namespace::SsoTokens,
                "https://start",
                Duration::from_secs(10),
            )
            .unwrap();
            tx.send(started.elapsed()).unwrap();
            drop(g);
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(rx.try_recv().is_err(), "the waiter got a held lock");
    drop(held);
    let waited = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    waiter.join().unwrap();
    // Other keys are independent.
    let _a = Store::lock_in(&dir, Namespace::SsoTokens, "a", Duration::ZERO).unwrap();
    let _b = Store::lock_in(&dir, Namespace::SsoTokens, "b", Duration::ZERO).unwrap();
    let _c = Store::lock_in(&dir, Namespace::SessionCredentials, "a", Duration::ZERO).unwrap();
}

#[test]
fn lock_timeout_is_a_clear_error() {
    let t = TestDir::new();
    let store = t.open();
    let _held = store
        .lock(Namespace::SessionCredentials, "dev", Duration::ZERO)
        .unwrap();
    let started = Instant::now();
    let err = store
        .lock(
            Namespace::SessionCredentials,
            "dev",
            Duration::from_millis(200),
        )
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(200) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert!(matches!(err, StoreError::LockTimeout { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("timed out after 200ms waiting for the lock on session-credentials/dev ("),
        "{msg}"
    );
    let err = store
        .lock(Namespace::SessionCredentials, "dev", Duration::ZERO)
        .unwrap_err();
    assert!(matches!(err, StoreError::LockTimeout { .. }), "{err}");
}

const CHILD_ENV: &str = "GRANTED_STORE_TEST_CHILD";

/// Runs only as a child process of the tests below (re-executed with `CHILD_ENV` set);
/// a no-op otherwise.
#[test]
fn child_helper() {
    let Some(job) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let job = job.into_string().unwrap();
    if let Some(dir) = job.strip_prefix("lock:") {
        let _g = Store::lock_in(
            Path::new(dir),
            Namespace::SsoTokens,
            "start",
            Duration::ZERO,
        )
        .unwrap();
        println!("CHILD-LOCKED");
        std::thread::sleep(Duration::from_secs(60));
    } else if let Some(dir) = job.strip_prefix("secret-service:") {
        secret_service_scenario(Path::new(dir));
        println!("CHILD-SECRET-SERVICE-OK");
    }
}

fn spawn_child(job: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "store::tests::child_helper",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_ENV, job)
    .stdin(Stdio::null());
    cmd
}

#[test]
fn a_lock_held_by_a_killed_process_is_released() {
    let t = TestDir::new();
    let dir = t.dir();
    ensure_private_dir(&dir).unwrap();
    let mut child = spawn_child(&format!("lock:{}", dir.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let locked = lines.any(|l| l.map(|l| l.contains("CHILD-LOCKED")).unwrap_or(false));
    assert!(locked, "the child did not take the lock");
    let err = Store::lock_in(
        &dir,
        Namespace::SsoTokens,
        "start",
        Duration::from_millis(100),
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::LockTimeout { .. }), "{err}");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let started = Instant::now();
    let _g = Store::lock_in(&dir, Namespace::SsoTokens, "start", Duration::from_secs(5)).unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
}

// ---------------------------------------------------------------------------------------
// secret-service, under a private D-Bus session with gnome-keyring when installed

fn secret_service_scenario(root: &Path) {
    // Configured explicitly.
    let mut cfg = StoreConfig::new(root.join("explicit"), "granted-test");
    cfg.backend = Some(Backend::SecretService);
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(store.backend(), Backend::SecretService);
    store.put(Namespace::SsoTokens, "u", "token").unwrap();
    store.forget_session_key().unwrap();
    drop(store);
    // From the Secret Service again (the session cache is gone).
    let store = Store::open_with(&cfg, Prompt::Never).unwrap();
    assert_eq!(
        store
            .get(Namespace::SsoTokens, "u")
            .unwrap()
            .unwrap()
            .expose(),
        "token"
    );
    store.forget_session_key().unwrap();
    // Works from inside a tokio runtime too: the keyring call has a thread of its own.
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Store::open_with(&cfg, Prompt::Never).unwrap();
        assert_eq!(store.backend(), Backend::SecretService);
        store.forget_session_key().unwrap();
    });
    // The automatic choice takes it when the bus answers.
    let auto = StoreConfig::new(root.join("auto"), "granted-test");
    let store = Store::open_with(&auto, Prompt::Never).unwrap();
    assert_eq!(store.backend(), Backend::SecretService);
    store.forget_session_key().unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn secret_service_backend_under_gnome_keyring() {
    let have = |bin: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()))
    };
    if !have("dbus-run-session") || !have("gnome-keyring-daemon") {
        println!(
            "secret_service_backend_under_gnome_keyring: skipped: needs dbus-run-session and gnome-keyring-daemon (Debian: dbus, gnome-keyring)"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // A keyring daemon of its own: nothing of a desktop session's may be reached.
    let runtime_dir = tmp.path().join("run");
    ensure_private_dir(&runtime_dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("dbus-run-session")
        .args([
            "--",
            "sh",
            "-c",
            "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec \"$@\"",
            "sh",
        ])
        .arg(exe)
        .args(["--exact", "store::tests::child_helper", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("secret-service:{}", tmp.path().display()))
        .env("HOME", tmp.path())
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env_remove("XDG_DATA_HOME")
        .env_remove("GNOME_KEYRING_CONTROL")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("CHILD-SECRET-SERVICE-OK"),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------------------
// MemoryStore

#[test]
fn memory_store_behaves_like_the_store() {
    let m = MemoryStore::new();
    assert!(m.is_empty());
    m.put(Namespace::SsoTokens, "b", "2").unwrap();
    m.put(Namespace::SsoTokens, "a", "1").unwrap();
    m.put(Namespace::MfaSessions, "a", "3").unwrap();
    assert_eq!(
        m.get(Namespace::SsoTokens, "a").unwrap().unwrap().expose(),
        "1"
    );
    assert_eq!(m.list(Namespace::SsoTokens).unwrap(), ["a", "b"]);
    assert!(m.delete(Namespace::SsoTokens, "a").unwrap());
    assert!(!m.delete(Namespace::SsoTokens, "a").unwrap());
    assert_eq!(m.clear(Namespace::SsoTokens), 1);
    assert_eq!(m.len(), 1);
    // Through the trait object and a reference.
    let dyn_store: &dyn SecretStore = &m;
    assert!(
        dyn_store
            .get(Namespace::MfaSessions, "a")
            .unwrap()
            .is_some()
    );
    fn takes<S: SecretStore>(s: S) -> usize {
        s.list(Namespace::MfaSessions).unwrap().len()
    }
    assert_eq!(takes(&m), 1);
}

#[test]
fn errors_never_show_values() {
    let t = TestDir::new();
    let mut cfg = t.cfg();
    cfg.passphrase = Some(Secret::new("hunter2-passphrase"));
    t.open();
    Store::forget_session_key_in(&t.dir()).unwrap();
    let err = Store::open_with(&cfg, Prompt::Never).unwrap_err();
    assert!(!err.to_string().contains("hunter2"));
    assert!(!format!("{err:?}").contains("hunter2"));
    assert!(!format!("{cfg:?}").contains("hunter2"));
}

/// A data-key file that went missing while items remain is an error that says how to
/// recover; a new key is never made over them (they would be unreadable for good).
#[test]
fn a_lost_data_key_is_never_replaced_over_existing_items() {
    let t = TestDir::new();
    let store = t.open();
    store
        .put(Namespace::IamCredentials, "work", "{\"keys\":1}")
        .unwrap();
    let item = item_file(&store, Namespace::IamCredentials, "work");
    drop(store);
    let key_file = backend::key_file_path(&t.dir());
    let saved = fs::read(&key_file).unwrap();
    fs::remove_file(&key_file).unwrap();
    Store::forget_session_key_in(&t.dir()).unwrap();

    let err = Store::open_with(&t.cfg(), Prompt::Never).unwrap_err();
    assert!(matches!(err, StoreError::LostKey { items: 1, .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("restore the key (the data-key file) from a backup"),
        "{text}"
    );
    assert!(text.contains(&t.dir().display().to_string()), "{text}");
    assert!(!key_file.exists(), "no new key was made");
    assert!(item.exists(), "the item is left as it was");

    // Restored from the backup: everything reads again.
    fs::write(&key_file, saved).unwrap();
    let store = t.open();
    assert_eq!(
        store
            .get(Namespace::IamCredentials, "work")
            .unwrap()
            .unwrap()
            .expose(),
        "{\"keys\":1}"
    );
    // An empty store that lost its key simply starts over.
    let empty = TestDir::new();
    drop(empty.open());
    fs::remove_file(backend::key_file_path(&empty.dir())).unwrap();
    Store::forget_session_key_in(&empty.dir()).unwrap();
    assert!(Store::open_with(&empty.cfg(), Prompt::Never).is_ok());
}

/// A store folder that is a link, or that another user owns or can write to, is refused
/// before anything is written or chmod-ed through it (security issue, item 2). The
/// second user needs root to arrange (CI runs as root); elsewhere that part is skipped.
#[cfg(unix)]
#[test]
fn store_folders_that_are_links_or_not_ours_are_refused() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // A planted link: its target keeps its mode and gets no files.
    let t = TestDir::new();
    let target = t.tmp.path().join("victim");
    fs::create_dir(&target).unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(&target, t.dir()).unwrap();
    let err = Store::open_with(&t.cfg(), Prompt::Never).unwrap_err();
    assert!(err.to_string().contains("the store folder"), "{err}");
    let chain = crate::error::chain(&err);
    assert!(chain.contains("is a link"), "{chain}");
    assert_eq!(mode(&target), 0o755, "no chmod through the link");
    assert_eq!(
        fs::read_dir(&target).unwrap().count(),
        0,
        "nothing written there"
    );

    // A lock file planted as a link is not followed.
    let t = TestDir::new();
    let store = t.open();
    let victim = t.tmp.path().join("victim-file");
    fs::write(&victim, "keep").unwrap();
    let lock = lock_path(store.dir(), Namespace::SessionCredentials, "p");
    fs::create_dir_all(lock.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&victim, &lock).unwrap();
    assert!(
        store
            .lock(Namespace::SessionCredentials, "p", Duration::from_secs(1))
            .is_err()
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");

    // Writable by others: refused, not silently tightened.
    let t = TestDir::new();
    drop(t.open());
    fs::set_permissions(t.dir(), fs::Permissions::from_mode(0o777)).unwrap();
    let err = Store::open_with(&t.cfg(), Prompt::Never).unwrap_err();
    assert!(
        crate::error::chain(&err).contains("writable by other users"),
        "{err}"
    );
    fs::set_permissions(t.dir(), fs::Permissions::from_mode(0o700)).unwrap();

    // Another user's folder (a shared Keyring.FileDir, or the user's under sudo -E).
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!(
            "store_folders_that_are_links_or_not_ours_are_refused: second-user part skipped: not root"
        );
        return;
    }
    let t = TestDir::new();
    drop(t.open());
    let nobody = 65534;
    let c = std::ffi::CString::new(t.dir().as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::chown(c.as_ptr(), nobody, nobody) }, 0);
    let before = fs::metadata(t.dir()).unwrap();
    let err = Store::open_with(&t.cfg(), Prompt::Never).unwrap_err();
    assert!(
        crate::error::chain(&err).contains("owned by uid 65534"),
        "{err}"
    );
    let after = fs::metadata(t.dir()).unwrap();
    assert_eq!((after.uid(), after.mode()), (before.uid(), before.mode()));
}
