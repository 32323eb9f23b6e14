//! Credential cache, single-flight and the encrypted store, through the binary.
//!
//! Every test runs the real `granted` against the emulator in a throw-away HOME, with the
//! file keyring's passphrase in `CF_KEYRING_FILE_PASSWORD` (without it, and without a
//! terminal, the cache is off). [`CacheEnv`] forgets the store's data key from the kernel
//! keyring when dropped, so runs leave no keys behind.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use granted::store::{Namespace, Store};
use granted_emulator::Fault;

use crate::util::{Run, START_URL, TestEnv, bin, granted_sso_profile};

const HOUR: Duration = Duration::from_secs(3600);
const PASSPHRASE: &str = "correct horse battery staple";
const OTHER_PASSPHRASE: &str = "tr0ub4dor&3";
const STATIC_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const STATIC_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// `dev` (SSO), `mid` and `top` (a two-hop chain on `dev`), `keys` (long-lived keys from
/// `~/.aws/credentials`) and `keys-role` (a role assumed with them).
fn config_with(dev: &str) -> String {
    format!(
        "{dev}[profile mid]\nrole_arn = arn:aws:iam::210987654321:role/Mid\nsource_profile = dev\n\n\
         [profile top]\nrole_arn = arn:aws:iam::333333333333:role/Top\nsource_profile = mid\n\n\
         [profile keys]\nregion = us-east-1\n\n\
         [profile keys-role]\nrole_arn = arn:aws:iam::123456789012:role/FromKeys\nsource_profile = keys\n"
    )
}

fn dev_profile() -> String {
    granted_sso_profile("dev", "123456789012", "AWSAdministratorAccess")
}

/// A [`TestEnv`] with the cache on, the profiles of [`config_with`] and an SSO login.
struct CacheEnv {
    env: TestEnv,
    /// The SSO access token the test left in the AWS CLI's cache.
    sso_token: String,
}

impl CacheEnv {
    fn new() -> CacheEnv {
        let mut env = TestEnv::new();
        env.set("CF_KEYRING_FILE_PASSWORD", PASSPHRASE);
        env.write_config(&config_with(&dev_profile()));
        env.write_credentials(&format!(
            "[keys]\naws_access_key_id = {STATIC_KEY_ID}\naws_secret_access_key = {STATIC_SECRET}\n"
        ));
        env.emu
            .add_user(STATIC_KEY_ID, STATIC_SECRET, "123456789012", "alice");
        let sso_token = env.login_aws_cli_style(START_URL, START_URL, HOUR);
        CacheEnv { env, sso_token }
    }

    fn granted_dir(&self) -> PathBuf {
        self.home().join(".granted")
    }

    fn store_dir(&self) -> PathBuf {
        self.granted_dir().join("secure-storage")
    }

    /// The item files under `session-credentials`.
    fn items(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.store_dir().join("session-credentials")) else {
            return Vec::new();
        };
        let mut items: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
            })
            .collect();
        items.sort();
        items
    }

    fn grc(&self) -> usize {
        self.emu.calls("GetRoleCredentials")
    }

    fn upstream_calls(&self) -> usize {
        self.emu.all_calls().values().sum()
    }

    /// `granted credential-process --profile NAME EXTRA…`.
    fn cp(&self, profile: &str, extra: &[&str]) -> Run {
        let mut args = vec!["credential-process", "--profile", profile];
        args.extend_from_slice(extra);
        self.granted(&args)
    }

    /// [`CacheEnv::cp`] with one more environment variable.
    fn cp_with_var(&self, profile: &str, name: &str, value: &str) -> Run {
        Run::from(
            self.command(bin())
                .args(["credential-process", "--profile", profile])
                .env(name, value)
                .output()
                .expect("granted runs"),
        )
    }

    fn clear_session_credentials(&self) {
        Store::clear_in(&self.store_dir(), Namespace::SessionCredentials).unwrap();
    }
}

impl Deref for CacheEnv {
    type Target = TestEnv;
    fn deref(&self) -> &TestEnv {
        &self.env
    }
}

impl DerefMut for CacheEnv {
    fn deref_mut(&mut self) -> &mut TestEnv {
        &mut self.env
    }
}

impl Drop for CacheEnv {
    fn drop(&mut self) {
        // Before the temp HOME goes: the store's id is read from its `backend` file.
        let _ = Store::forget_session_key_in(&self.store_dir());
    }
}

/// Every file and folder under `dir`, recursively (symlinks not followed).
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if std::fs::symlink_metadata(&path).unwrap().is_dir() {
                stack.push(path.clone());
            }
            out.push(path);
        }
    }
    out.sort();
    out
}

fn wait_output(child: Child) -> Run {
    Run::from(child.wait_with_output().expect("granted finishes"))
}

/// xorshift64*: reproducible random moments (`GRANTED_TEST_SEED` replays a run).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("GRANTED_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            })
            | 1;
        eprintln!("random moments: GRANTED_TEST_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

// ---------------------------------------------------------------------------------------
// 1. hits, list, clear

#[test]
fn a_second_call_is_served_from_the_cache_until_cleared() {
    let env = CacheEnv::new();
    let first = env.cp("dev", &[]);
    let json = first.json();
    assert_eq!(env.grc(), 1);
    assert_eq!(env.items().len(), 1, "one entry stored");

    let second = env.cp("dev", &["--verbose"]);
    second.json();
    assert_eq!(second.stdout, first.stdout, "the same JSON, byte for byte");
    assert_eq!(env.upstream_calls(), 1, "no upstream call at all");
    assert!(
        second.stderr.contains("served from the cache"),
        "{}",
        second.stderr
    );

    let list = env.granted(&["cache", "list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    let row = list
        .stdout
        .lines()
        .find(|l| l.starts_with("session-credentials"))
        .unwrap_or_else(|| panic!("no cached credentials listed: {}", list.stdout));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[1], "dev", "{row}");
    assert_eq!(cols[2], json["Expiration"].as_str().unwrap(), "{row}");
    assert!(
        cols[3] == "(in" && cols[4].ends_with("m)"),
        "expires in about an hour: {row}"
    );
    assert!(!list.stdout.contains(json["AccessKeyId"].as_str().unwrap()));

    let clear = env.granted(&["cache", "clear", "--storage", "session-credentials"]);
    assert_eq!(clear.code, Some(0), "{}", clear.stderr);
    assert!(
        clear
            .stderr
            .contains("cleared 1 item(s) from session-credentials"),
        "{}",
        clear.stderr
    );
    assert!(env.items().is_empty());
    let list = env.granted(&["cache", "list"]);
    assert_eq!(list.stdout, "the store is empty\n");

    let third = env.cp("dev", &[]);
    third.json();
    assert_eq!(env.grc(), 2, "fetched again after the clear");
    assert_ne!(third.stdout, first.stdout);
    assert_eq!(env.cp("dev", &[]).stdout, third.stdout, "and cached again");
    assert_eq!(env.grc(), 2);
}

// ---------------------------------------------------------------------------------------
// 2. edits

#[test]
fn editing_the_profile_invalidates_and_unrelated_edits_do_not() {
    let env = CacheEnv::new();
    let first = env.cp("dev", &[]);
    assert_eq!(first.json()["AccountId"], "123456789012");
    assert_eq!(env.grc(), 1);

    // Another account.
    let edited = config_with(&granted_sso_profile("dev", "210987654321", "ReadOnly"));
    env.write_config(&edited);
    let run = env.cp("dev", &[]);
    assert_eq!(run.json()["AccountId"], "210987654321");
    assert_eq!(env.grc(), 2);

    // Another role, same account.
    let edited = config_with(
        &granted_sso_profile("dev", "210987654321", "ReadOnly").replace(
            "granted_sso_role_name = ReadOnly",
            "granted_sso_role_name = ReadOnly\nregion = eu-west-1",
        ),
    );
    env.write_config(&edited);
    let regional = env.cp("dev", &[]);
    regional.json();
    assert_eq!(env.grc(), 3, "a region edit changes the chain");

    // Comments, another profile, blank lines: served from the cache, twice (the second
    // time through the fast path, with the refreshed fingerprint).
    env.write_config(&format!(
        "# managed by hand\n{edited}\n; another comment\n[profile unrelated]\nregion = ap-south-1\n\n"
    ));
    for _ in 0..2 {
        let run = env.cp("dev", &[]);
        run.json();
        assert_eq!(run.stdout, regional.stdout);
        assert_eq!(env.grc(), 3, "an unrelated edit keeps the entry");
    }
    // An edit of the credentials file that `dev` does not read.
    env.write_credentials(&format!(
        "[keys]\naws_access_key_id = {STATIC_KEY_ID}\naws_secret_access_key = {STATIC_SECRET}\n\n[spare]\naws_access_key_id = AKIA0000\naws_secret_access_key = x\n"
    ));
    assert_eq!(env.cp("dev", &[]).stdout, regional.stdout);
    assert_eq!(env.grc(), 3);
}

#[test]
fn editing_a_profile_in_the_middle_of_a_chain_invalidates_the_chain() {
    let env = CacheEnv::new();
    let first = env.cp("top", &[]);
    assert_eq!(first.json()["AccountId"], "333333333333");
    assert_eq!((env.grc(), env.emu.calls("AssumeRole")), (1, 2));
    assert_eq!(env.cp("top", &[]).stdout, first.stdout);
    assert_eq!((env.grc(), env.emu.calls("AssumeRole")), (1, 2));

    env.write_config(&config_with(&dev_profile()).replace("role/Mid", "role/Middle"));
    let run = env.cp("top", &[]);
    run.json();
    assert_ne!(run.stdout, first.stdout);
    assert_eq!((env.grc(), env.emu.calls("AssumeRole")), (2, 4));
}

/// An edit the clock can't tell apart: same size, same inode, and the modification time
/// of the old content (two writes within one timestamp tick; `cp -p`, `touch -r`, a
/// restore from backup). The new role must still be used.
#[test]
fn an_edit_with_the_same_size_and_modification_time_invalidates() {
    let env = CacheEnv::new();
    assert_eq!(env.cp("dev", &[]).json()["AccountId"], "123456789012");
    let path = env.home().join(".aws/config");
    let before = std::fs::metadata(&path).unwrap();
    env.emu
        .add_account("210987654321", "Production", &["AWSAdministratorAccess"]);
    let edited = config_with(&dev_profile()).replace("123456789012", "210987654321");
    assert_eq!(edited.len() as u64, before.len(), "same size");
    env.write_config(&edited);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    let run = env.cp("dev", &[]);
    assert_eq!(run.json()["AccountId"], "210987654321");
    assert_eq!(env.grc(), 2);
}

// ---------------------------------------------------------------------------------------
// 3. window

#[test]
fn the_window_decides_when_an_entry_is_too_old_to_serve() {
    let env = CacheEnv::new();
    env.emu
        .set_role_credentials_lifetime(Duration::from_secs(20 * 60));
    let first = env.cp("dev", &[]);
    first.json();
    assert_eq!(env.grc(), 1);
    // 20 minutes left, more than the default 15.
    assert_eq!(env.cp("dev", &[]).stdout, first.stdout);
    assert_eq!(env.cp("dev", &["--window", "19m"]).stdout, first.stdout);
    assert_eq!(env.grc(), 1);

    // Less than 30 minutes left: fetched again, and the new ones are cached.
    let wide = env.cp("dev", &["--window", "30m"]);
    wide.json();
    assert_ne!(wide.stdout, first.stdout);
    assert_eq!(env.grc(), 2);
    assert_eq!(env.cp("dev", &[]).stdout, wide.stdout);
    assert_eq!(env.cp("dev", &["-window=15m"]).stdout, wide.stdout);
    assert_eq!(env.grc(), 2);

    // Credentials that live less than the window are fetched on every call.
    env.emu
        .set_role_credentials_lifetime(Duration::from_secs(10 * 60));
    env.clear_session_credentials();
    let short = env.cp("dev", &[]);
    short.json();
    assert_eq!(env.grc(), 3);
    let again = env.cp("dev", &[]);
    again.json();
    assert_ne!(again.stdout, short.stdout);
    assert_eq!(env.grc(), 4, "10 minutes left is less than 15");
    // ... but a smaller window serves them.
    assert_eq!(env.cp("dev", &["--window", "5m"]).stdout, again.stdout);
    assert_eq!(env.grc(), 4);
}

// ---------------------------------------------------------------------------------------
// 4. turning the cache off

#[derive(Debug, Clone, Copy)]
enum Off {
    Flag,
    Env,
    Setting,
}

impl Off {
    fn call(self, env: &CacheEnv, profile: &str) -> Run {
        let settings = env.granted_dir().join("config");
        let run = match self {
            Off::Flag => env.cp(profile, &["--no-cache"]),
            Off::Env => env.cp_with_var(profile, "GRANTED_NO_CACHE", "true"),
            Off::Setting => {
                std::fs::create_dir_all(env.granted_dir()).unwrap();
                std::fs::write(&settings, "DisableCredentialProcessCache = true\n").unwrap();
                env.cp(profile, &[])
            }
        };
        if let Off::Setting = self {
            std::fs::remove_file(&settings).unwrap();
        }
        run
    }
}

#[test]
fn no_cache_flag_env_and_setting_neither_read_nor_write() {
    let env = CacheEnv::new();
    for off in [Off::Flag, Off::Env, Off::Setting] {
        // Not read: a fresh entry is bypassed.
        env.clear_session_credentials();
        let cached = env.cp("dev", &[]);
        cached.json();
        let n = env.grc();
        let bypass = off.call(&env, "dev");
        bypass.json();
        assert_eq!(env.grc(), n + 1, "{off:?}: fetched despite a fresh entry");
        assert_ne!(bypass.stdout, cached.stdout, "{off:?}");
        // Not written over it either.
        assert_eq!(env.cp("dev", &[]).stdout, cached.stdout, "{off:?}");
        assert_eq!(env.grc(), n + 1, "{off:?}");

        // Not written: nothing stored, so the next normal call fetches.
        env.clear_session_credentials();
        off.call(&env, "dev").json();
        assert_eq!(env.grc(), n + 2, "{off:?}");
        assert!(env.items().is_empty(), "{off:?}: nothing stored");
        env.cp("dev", &[]).json();
        assert_eq!(env.grc(), n + 3, "{off:?}: nothing was cached");
    }
    // Other spellings of GRANTED_NO_CACHE.
    let cached = env.cp("dev", &[]);
    for value in ["1", "TRUE"] {
        let run = env.cp_with_var("dev", "GRANTED_NO_CACHE", value);
        assert_ne!(run.stdout, cached.stdout, "GRANTED_NO_CACHE={value}");
    }
    // And `false` keeps the cache on.
    assert_eq!(
        env.cp_with_var("dev", "GRANTED_NO_CACHE", "false").stdout,
        cached.stdout
    );
}

#[test]
fn without_a_passphrase_or_terminal_the_cache_lives_in_the_volatile_store() {
    let mut env = CacheEnv::new();
    env.unset("CF_KEYRING_FILE_PASSWORD");
    let started = Instant::now();
    let first = env.cp("dev", &[]);
    first.json();
    assert_eq!(first.stderr, "", "silent");
    let second = env.cp("dev", &["--verbose"]);
    second.json();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "no hang: {:?}",
        started.elapsed()
    );
    assert!(
        second
            .stderr
            .contains("the store needs its passphrase: caching in the volatile store"),
        "--verbose says where: {}",
        second.stderr
    );
    assert!(env.items().is_empty(), "nothing in the store itself");
    if second.stderr.contains("credential cache unavailable") {
        // No kernel keyring here (Docker's default seccomp profile refuses keyctl): the
        // cache is off, and every call fetches.
        assert!(std::env::var_os("CI").is_none(), "{}", second.stderr);
        assert_eq!(env.grc(), 2);
        eprintln!("skipping: the kernel keyring is not usable here");
        return;
    }
    assert_eq!(
        second.stdout, first.stdout,
        "served from the volatile store"
    );
    assert_eq!(env.grc(), 1, "one fetch");
    let volatile = env.home().join(".granted/volatile-cache");
    let listed = env.env.granted(&["cache", "list"]).stdout;
    assert!(
        listed.contains("session-credentials (volatile)  dev"),
        "{listed}"
    );
    let cleared = env
        .env
        .granted(&["cache", "clear", "--storage", "session-credentials"]);
    assert!(
        cleared.stderr.contains("cleared 1 item(s)"),
        "{}",
        cleared.stderr
    );
    assert!(!Store::item_exists(
        &volatile,
        Namespace::SessionCredentials,
        "dev"
    ));
    env.cp("dev", &[]).json();
    assert_eq!(env.grc(), 2, "cleared: fetched again");
}

// ---------------------------------------------------------------------------------------
// 5. long-lived keys

#[test]
fn long_lived_keys_are_never_cached() {
    let env = CacheEnv::new();
    for _ in 0..2 {
        let run = env.cp("keys", &["--verbose"]);
        let json = run.json();
        assert_eq!(json["AccessKeyId"], STATIC_KEY_ID);
        assert!(json.get("SessionToken").is_none() && json.get("Expiration").is_none());
        assert!(!run.stderr.contains("served from the cache"));
    }
    assert!(env.items().is_empty(), "no item under session-credentials");
    assert_eq!(env.upstream_calls(), 0);
    let list = env.granted(&["cache", "list"]);
    assert_eq!(list.stdout, "the store is empty\n", "{}", list.stderr);

    // A role assumed with them does expire, and is cached.
    let role = env.cp("keys-role", &[]);
    role.json();
    assert_eq!(env.cp("keys-role", &[]).stdout, role.stdout);
    assert_eq!(env.emu.calls("AssumeRole"), 1);
    assert_eq!(env.items().len(), 1);
}

// ---------------------------------------------------------------------------------------
// 6. single-flight

/// Starts `n` cold `credential-process --profile PROFILE` at once and waits for all of
/// them; returns their runs and the wall time.
fn stampede(env: &CacheEnv, profile: &str, n: usize) -> (Vec<Run>, Duration) {
    let started = Instant::now();
    let children: Vec<Child> = (0..n)
        .map(|_| env.spawn_granted(&["credential-process", "--profile", profile]))
        .collect();
    let runs: Vec<Run> = children.into_iter().map(wait_output).collect();
    (runs, started.elapsed())
}

fn assert_identical_successes(runs: &[Run]) {
    for (i, run) in runs.iter().enumerate() {
        assert_eq!(run.code, Some(0), "caller {i}: {}", run.stderr);
        run.json();
        assert_eq!(
            run.stdout, runs[0].stdout,
            "caller {i} got other credentials"
        );
    }
}

const CALLERS: usize = 24;
const DELAY: Duration = Duration::from_millis(500);

#[test]
fn parallel_cold_calls_make_one_upstream_call() {
    let env = CacheEnv::new();
    // Every GetRoleCredentials is slow, so callers pile up behind the first.
    env.emu.inject(Fault {
        times: CALLERS,
        ..Fault::delay("GetRoleCredentials", DELAY)
    });
    let (runs, wall) = stampede(&env, "dev", CALLERS);
    assert_identical_successes(&runs);
    eprintln!(
        "stampede, sso profile, cold store: {CALLERS} callers, {} GetRoleCredentials, wall {wall:?} ({DELAY:?} injected)",
        env.grc()
    );
    assert_eq!(env.grc(), 1, "exactly one upstream call");
    assert_eq!(env.upstream_calls(), 1);

    // Again with the store set up and the entry gone (expired credentials, say).
    env.clear_session_credentials();
    let (runs, wall) = stampede(&env, "dev", CALLERS);
    assert_identical_successes(&runs);
    eprintln!(
        "stampede, sso profile, warm store: {CALLERS} callers, {} GetRoleCredentials in all, wall {wall:?} ({DELAY:?} injected)",
        env.grc()
    );
    assert_eq!(env.grc(), 2, "one more upstream call");
}

#[test]
fn parallel_cold_calls_of_a_two_hop_chain_make_one_call_per_hop() {
    let env = CacheEnv::new();
    env.emu.inject(Fault {
        times: CALLERS,
        ..Fault::delay("GetRoleCredentials", DELAY)
    });
    let (runs, wall) = stampede(&env, "top", CALLERS);
    assert_identical_successes(&runs);
    assert_eq!(runs[0].json()["AccountId"], "333333333333");
    eprintln!(
        "stampede, 2-hop chain, cold store: {CALLERS} callers, {} GetRoleCredentials + {} AssumeRole, wall {wall:?} ({DELAY:?} injected)",
        env.grc(),
        env.emu.calls("AssumeRole")
    );
    assert_eq!(env.grc(), 1);
    assert_eq!(env.emu.calls("AssumeRole"), 2);
    assert_eq!(env.upstream_calls(), 3);
}

/// How many requests wait for the flock on `path` (Linux: the `->` lines of `/proc/locks`).
#[cfg(target_os = "linux")]
fn lock_waiters(path: &Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).unwrap();
    let dev = m.dev();
    let (major, minor) = (
        ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff),
        (dev & 0xff) | ((dev >> 12) & !0xff),
    );
    let id = format!("{major:02x}:{minor:02x}:{}", m.ino());
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .filter(|l| l.contains("->") && l.split_whitespace().any(|w| w == id))
        .count()
}

/// Every caller provably waiting on the lock while the first fetches, for credentials that
/// live less than the window (so no caller may serve them from the cache on its own).
#[cfg(target_os = "linux")]
#[test]
fn waiters_share_what_was_fetched_while_they_waited_even_inside_the_window() {
    let env = CacheEnv::new();
    env.cp("dev", &[]).json(); // the store exists
    env.clear_session_credentials();
    env.emu
        .set_role_credentials_lifetime(Duration::from_secs(10 * 60));
    let before = env.grc();
    let guard = Store::lock_in(
        &env.store_dir(),
        Namespace::SessionCredentials,
        "dev",
        Duration::ZERO,
    )
    .unwrap();
    let started = Instant::now();
    let children: Vec<Child> = (0..CALLERS)
        .map(|_| env.spawn_granted(&["credential-process", "--profile", "dev"]))
        .collect();
    wait_for("every caller to wait on the lock", || {
        lock_waiters(guard.path()) == CALLERS
    });
    drop(guard);
    let runs: Vec<Run> = children.into_iter().map(wait_output).collect();
    assert_identical_successes(&runs);
    eprintln!(
        "stampede, 10-minute credentials (< 15m window), all {CALLERS} callers waiting: {} GetRoleCredentials, wall {:?}",
        env.grc() - before,
        started.elapsed()
    );
    assert_eq!(env.grc(), before + 1);
    // A later call does fetch: less than the window is left.
    assert_ne!(env.cp("dev", &[]).stdout, runs[0].stdout);
    assert_eq!(env.grc(), before + 2);
}

// ---------------------------------------------------------------------------------------
// 7. kill -9

/// Polls `cond` until it holds (a call counter, `/proc/locks`: there is no event to wait on).
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[cfg(unix)]
#[test]
fn kill_9_at_random_moments_never_breaks_the_next_call() {
    let env = CacheEnv::new();
    let mut rng = Rng::new();
    let profiles = ["dev", "top"];
    let started = Instant::now();
    let mut kill_at = |env: &CacheEnv, profile: &str, max_ms: u64| -> bool {
        let mut victim = env.spawn_granted(&["credential-process", "--profile", profile]);
        std::thread::sleep(Duration::from_millis(rng.below(max_ms + 1)));
        victim.kill().unwrap();
        let status = victim.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.code() == Some(0) || status.signal() == Some(9),
            "{status}"
        );
        status.code() != Some(0)
    };
    // While the store is set up (an Argon2id derivation, then the key file and record).
    let mut killed_setup = 0;
    for _ in 0..8 {
        killed_setup += usize::from(kill_at(&env, "dev", 150));
    }
    env.cp("dev", &[]).json();
    // Anywhere in a call: lock, fetch, write.
    let mut killed = 0;
    for i in 0..30 {
        if i % 3 != 2 {
            env.clear_session_credentials();
        }
        killed += usize::from(kill_at(&env, profiles[i % 2], 40));
    }
    // While holding the profile's lock, in the middle of the fetch, with a caller waiting
    // on that lock: the waiter takes over.
    for _ in 0..5 {
        env.clear_session_credentials();
        env.emu.clear_faults();
        let before = env.grc();
        env.emu
            .inject(Fault::delay("GetRoleCredentials", Duration::from_secs(3)));
        let mut victim = env.spawn_granted(&["credential-process", "--profile", "dev"]);
        wait_for("the victim's GetRoleCredentials", || env.grc() > before);
        let waiter = env.spawn_granted(&["credential-process", "--profile", "dev"]);
        std::thread::sleep(Duration::from_millis(rng.below(41)));
        victim.kill().unwrap();
        victim.wait().unwrap();
        let run = wait_output(waiter);
        run.json();
        assert_eq!(env.grc(), before + 2, "the waiter fetched for itself");
    }
    env.emu.clear_faults();
    let leftovers = walk(&env.store_dir())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .count();
    eprintln!(
        "kill -9: {killed_setup} of 8 runs on a new store killed before finishing, {killed} of 30 mid-call, 5 holding the lock; {:?}; {leftovers} temporary file(s) of killed writers left",
        started.elapsed()
    );

    // No lock is left held ...
    for profile in profiles {
        Store::lock_in(
            &env.store_dir(),
            Namespace::SessionCredentials,
            profile,
            Duration::ZERO,
        )
        .unwrap_or_else(|e| panic!("lock of `{profile}` still held: {e}"));
    }
    // ... the next calls succeed promptly, and the cache works again.
    for profile in profiles {
        let t = Instant::now();
        let run = env.cp(profile, &[]);
        run.json();
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
        let n = env.upstream_calls();
        assert_eq!(env.cp(profile, &[]).stdout, run.stdout, "{profile}");
        assert_eq!(env.upstream_calls(), n, "{profile}: served from the cache");
    }
    let list = env.granted(&["cache", "list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    assert_eq!(list.stdout.lines().count(), 3, "{}", list.stdout);
}

#[test]
fn a_damaged_entry_is_a_miss_that_heals() {
    let env = CacheEnv::new();
    env.cp("dev", &[]).json();
    let items = env.items();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    let len = std::fs::metadata(item).unwrap().len();
    type Damage = fn(&Path, u64);
    let damages: [(&str, Damage); 4] = [
        ("truncated to half", |p, len| {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_len(len / 2)
                .unwrap();
        }),
        ("emptied", |p, _| std::fs::write(p, b"").unwrap()),
        ("one byte flipped", |p, len| {
            let mut bytes = std::fs::read(p).unwrap();
            bytes[(len / 2) as usize] ^= 0x40;
            std::fs::write(p, bytes).unwrap();
        }),
        ("replaced with text", |p, _| {
            std::fs::write(p, b"{\"v\":1,\"profile\":\"dev\"}").unwrap()
        }),
    ];
    for (what, damage) in damages {
        damage(item, len);
        let n = env.grc();
        let run = env.cp("dev", &[]);
        run.json();
        assert_eq!(run.stderr, "", "{what}: no complaint");
        assert_eq!(env.grc(), n + 1, "{what}: a miss");
        assert_eq!(env.items(), items, "{what}: rewritten in place");
        assert_eq!(env.cp("dev", &[]).stdout, run.stdout, "{what}: healed");
        assert_eq!(env.grc(), n + 1, "{what}: served again");
    }
    // `cache list` copes with a damaged entry too.
    std::fs::write(item, b"").unwrap();
    let list = env.granted(&["cache", "list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
}

// ---------------------------------------------------------------------------------------
// 8, 9. what is left on disk

/// Hits, misses, chains, keys, list and clear; returns every secret that passed through
/// (and checks that none of them was printed anywhere but in the JSON on stdout).
fn full_workflow(env: &CacheEnv) -> Vec<String> {
    let mut secrets = vec![
        env.sso_token.clone(),
        STATIC_SECRET.to_owned(),
        PASSPHRASE.to_owned(),
    ];
    let mut messages = Vec::new();
    let mut keep = |run: Run| {
        let json = run.json();
        for field in ["SecretAccessKey", "SessionToken"] {
            if let Some(s) = json[field].as_str() {
                secrets.push(s.to_owned());
            }
        }
        messages.push(run.stderr);
    };
    for profile in [
        "dev",
        "dev",
        "top",
        "top",
        "mid",
        "keys",
        "keys-role",
        "keys-role",
    ] {
        keep(env.cp(profile, &["--verbose"]));
    }
    keep(env.cp("dev", &["--window", "2h"]));
    keep(env.cp("dev", &["--no-cache"]));
    let list = env.granted(&["cache", "list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    let clear = env.granted(&["cache", "clear", "--storage", "session-credentials"]);
    assert_eq!(clear.code, Some(0), "{}", clear.stderr);
    keep(env.cp("top", &[]));
    keep(env.cp("dev", &[]));
    let clear_all = env.granted(&["cache", "clear", "--all"]);
    assert_eq!(clear_all.code, Some(0), "{}", clear_all.stderr);
    keep(env.cp("dev", &["--verbose"]));
    keep(env.cp("dev", &["--verbose"]));
    messages.extend([list.stdout, list.stderr, clear.stderr, clear_all.stderr]);
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() > 10, "{} secrets", secrets.len());
    for text in &messages {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret printed: {text}");
        }
    }
    secrets
}

#[test]
fn no_secret_is_on_disk_in_plaintext_after_a_full_workflow() {
    let env = CacheEnv::new();
    let secrets = full_workflow(&env);
    let holds = |path: &Path, secret: &str| {
        let bytes = std::fs::read(path).unwrap();
        bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
    };
    // The scan finds what the test itself wrote in plaintext, as input.
    let aws = env.home().join(".aws");
    assert!(holds(&aws.join("credentials"), STATIC_SECRET));
    let mut scanned = Vec::new();
    for path in walk(env.home()) {
        if path.starts_with(&aws) || path.is_dir() {
            continue;
        }
        for secret in &secrets {
            assert!(
                !holds(&path, secret),
                "{} holds a secret in plaintext",
                path.display()
            );
        }
        scanned.push(path);
    }
    // The data-key file, the store record, lock files and the cached entries.
    assert!(scanned.len() >= 6, "scanned only {scanned:?}");
}

#[cfg(unix)]
#[test]
fn every_file_is_0600_and_every_folder_0700() {
    use std::os::unix::fs::PermissionsExt;
    let env = CacheEnv::new();
    full_workflow(&env);
    let granted = env.granted_dir();
    let mut paths = walk(&granted);
    paths.push(granted);
    for path in paths {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        let want = if meta.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{}: {mode:o}", path.display());
    }
}

// ---------------------------------------------------------------------------------------
// 10. wrong passphrase

#[test]
fn a_wrong_passphrase_is_a_clear_error_and_turns_the_cache_off() {
    let mut env = CacheEnv::new();
    let first = env.cp("dev", &[]);
    first.json();
    Store::forget_session_key_in(&env.store_dir()).unwrap();

    env.set("CF_KEYRING_FILE_PASSWORD", OTHER_PASSPHRASE);
    let list = env.granted(&["cache", "list"]);
    let line = list.failure();
    assert_eq!(
        line,
        format!(
            "[✘] wrong passphrase for the file keyring at {} (CF_KEYRING_FILE_PASSWORD)",
            env.store_dir().display()
        )
    );
    // credential-process still works: the cache is off for the call.
    let run = env.cp("dev", &[]);
    run.json();
    assert_eq!(run.stderr, "");
    assert_ne!(run.stdout, first.stdout);
    assert_eq!(env.grc(), 2);

    // The store was neither replaced nor touched: the right passphrase finds the entry.
    Store::forget_session_key_in(&env.store_dir()).unwrap();
    env.set("CF_KEYRING_FILE_PASSWORD", PASSPHRASE);
    assert_eq!(env.cp("dev", &[]).stdout, first.stdout);
    assert_eq!(env.grc(), 2);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_link_in_place_of_an_entry_is_a_miss_that_heals_never_a_hang() {
    let env = CacheEnv::new();
    env.cp("dev", &[]).json();
    let item = env.items().pop().expect("one entry");
    for (what, make) in [
        (
            "fifo",
            Box::new(|p: &Path| {
                assert!(
                    std::process::Command::new("mkfifo")
                        .arg(p)
                        .status()
                        .unwrap()
                        .success()
                );
            }) as Box<dyn Fn(&Path)>,
        ),
        (
            "link to /dev/zero",
            Box::new(|p: &Path| std::os::unix::fs::symlink("/dev/zero", p).unwrap()),
        ),
        (
            "folder",
            Box::new(|p: &Path| std::fs::create_dir(p).unwrap()),
        ),
    ] {
        std::fs::remove_file(&item).unwrap();
        make(&item);
        let before = env.grc();
        env.cp("dev", &[]).json();
        assert_eq!(env.grc(), before + 1, "{what}: a miss");
        let meta = std::fs::symlink_metadata(&item).unwrap();
        assert!(
            meta.file_type().is_file(),
            "{what}: healed into a regular file"
        );
    }
}

#[cfg(unix)]
#[test]
fn another_tools_credential_process_never_sees_the_store_passphrase() {
    let env = CacheEnv::new();
    let script = env.home().join("tool.sh");
    crate::util::write_script(
        &script,
        "#!/bin/sh\necho \"passphrase set: ${CF_KEYRING_FILE_PASSWORD:+yes}\" >&2\nprintf '{\"Version\":1,\"AccessKeyId\":\"AKIAT\",\"SecretAccessKey\":\"s\",\"Expiration\":\"2099-01-01T00:00:00Z\"}'\n",
    );
    env.write_config(&format!(
        "[profile tool]\ncredential_process = {}\n",
        script.display()
    ));
    let run = env.cp("tool", &[]);
    run.json();
    assert!(run.stderr.contains("passphrase set: \n"), "{}", run.stderr);
}

/// A read-only home (a bind mount in a mount namespace of its own, as root; or an
/// unprivileged user namespace): a cache miss can't make its lock file, so it fetches
/// without the cache and says so under --verbose, instead of failing (security issue,
/// item 11).
#[test]
fn a_read_only_home_fetches_without_the_cache() {
    let env = CacheEnv::new();
    // The store exists and holds `dev`; `mid` is a miss.
    env.cp("dev", &[]).json();
    let home = env.home().display().to_string();
    let script =
        "mount --bind \"$HOME\" \"$HOME\" && mount -o remount,bind,ro \"$HOME\" && exec \"$@\"";
    let probe = |root: bool| {
        let mut cmd = env.command("unshare");
        if !root {
            cmd.arg("-r");
        }
        cmd.args(["-m", "--propagation", "private", "sh", "-c"])
            .arg(script)
            .args(["sh", "sh", "-c", "touch \"$HOME/probe\""]);
        cmd.output().is_ok_and(|o| {
            !o.status.success() && String::from_utf8_lossy(&o.stderr).contains("Read-only")
        })
    };
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !probe(root) {
        assert!(
            std::env::var_os("CI").is_none(),
            "a read-only home could not be made here (unshare/mount), and CI must run this"
        );
        eprintln!("skipped: a_read_only_home_fetches_without_the_cache: no mount namespace here");
        return;
    }
    let run = |profile: &str| {
        let mut cmd = env.command("unshare");
        if !root {
            cmd.arg("-r");
        }
        let out = cmd
            .args(["-m", "--propagation", "private", "sh", "-c"])
            .arg(script)
            .args([
                "sh",
                bin(),
                "--verbose",
                "credential-process",
                "--profile",
                profile,
            ])
            .output()
            .expect("unshare runs");
        Run::from(out)
    };
    let miss = run("mid");
    assert_eq!(miss.code, Some(0), "{}", miss.stderr);
    let json: serde_json::Value = serde_json::from_str(miss.stdout.trim()).unwrap();
    assert!(
        json["AccessKeyId"]
            .as_str()
            .is_some_and(|k| k.starts_with("ASIA"))
    );
    assert!(
        miss.stderr
            .contains("profile `mid`: no cache for this call"),
        "{}",
        miss.stderr
    );
    // A hit still serves from the read-only store.
    let hit = run("dev");
    assert_eq!(hit.code, Some(0), "{}", hit.stderr);
    assert!(
        hit.stderr.contains("served from the cache"),
        "{}",
        hit.stderr
    );
    assert!(!std::path::Path::new(&home).join("probe").exists());
}
