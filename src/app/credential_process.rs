//! `granted credential-process --profile NAME`: serve from the cache, or resolve, fetch
//! (one process at a time per profile), cache and print the JSON line.
//!
//! The hot path — a fresh cache entry whose config fingerprint still matches — reads
//! the settings, stats the two AWS files, opens one encrypted file and prints: no INI
//! parse, no network, no async runtime.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use time::OffsetDateTime;

use crate::aws::Aws;
use crate::awsconfig::AwsConfig;
use crate::cache::{self, Entry};
use crate::cli::CredentialProcessArgs;
use crate::credentials::mfa::{GivenCode, MfaPrompt, TtyPrompt};
use crate::credentials::{AutoLogin, Fetcher, process};
use crate::creds::Credentials;
use crate::output::credential_process_json;
use crate::resolve::{self, Base, Chain, Context};
use crate::sso::login::{FirstOf, StoredTokens};
use crate::sso::{AwsCliCache, TokenSource};
use crate::store::{Namespace, Prompt, SecretStore, Store, StoreConfig};

/// How long a call waits for another process fetching the same profile.
const LOCK_TIMEOUT: Duration = Duration::from_secs(120);

pub fn run(
    args: &CredentialProcessArgs,
    aws_config_file: Option<PathBuf>,
    verbose: bool,
) -> anyhow::Result<()> {
    super::write_stdout(&json_for(args, aws_config_file, verbose)?)
}

/// The JSON line `granted credential-process` prints for these arguments.
pub fn json_for(
    args: &CredentialProcessArgs,
    aws_config_file: Option<PathBuf>,
    verbose: bool,
) -> anyhow::Result<String> {
    credentials_for(args, aws_config_file, verbose, &Extra::default())
        .map(|creds| credential_process_json(&creds))
}

/// A change to a resolved chain.
pub(super) type Tweak<'a> = dyn Fn(&mut Chain) -> anyhow::Result<()> + 'a;

/// What `assume` adds to a credential-process fetch.
#[derive(Default)]
pub(super) struct Extra<'a> {
    /// Changes to the resolved chain (`--chain`, `--duration`, `--region`). A changed
    /// chain is neither served from nor written to the cache: the cache holds what
    /// `credential-process` for the profile would return.
    pub tweak: Option<&'a Tweak<'a>>,
    /// `--mfa-token`.
    pub mfa_code: Option<String>,
}

/// The credentials `granted credential-process` gives for these arguments: from the
/// cache, or fetched (one process at a time per profile) and cached.
pub(super) fn credentials_for(
    args: &CredentialProcessArgs,
    aws_config_file: Option<PathBuf>,
    verbose: bool,
    extra: &Extra<'_>,
) -> anyhow::Result<Credentials> {
    let env = |name: &str| std::env::var(name).ok();
    let debug = |msg: &dyn std::fmt::Display| {
        if verbose {
            eprintln!("[DEBUG] {msg}");
        }
    };
    let now = OffsetDateTime::now_utc();
    let granted = super::Granted::load()?;
    let home = &granted.home;
    let paths = super::config_paths(aws_config_file.as_deref());
    let profile = args.profile.as_str();
    let mut setup = setup(args, &granted)?;
    setup.cache_on &= extra.tweak.is_none();
    if setup.cache_on && process::held_by_ancestors(profile) {
        // A granted above this one holds this profile's lock and waits for us.
        debug(&format_args!(
            "profile `{profile}`: a granted above this one is fetching it; no cache"
        ));
        setup.cache_on = false;
    }
    let store_config = &setup.store_config;
    let mut cache = setup.cache_on.then(|| CacheAccess {
        config: store_config.clone(),
        volatile: granted.volatile_store_config(),
        store: None,
    });
    let inputs = cache::inputs_fingerprint(&paths.config, &paths.credentials, &env);

    // The hot path: nothing changed since this entry was stored.
    let mut cached: Option<Entry> = None;
    if let Some(access) = cache.as_mut()
        && access.may_hold(profile)
    {
        cached = access.load(profile, &debug);
        if let Some(entry) = &cached
            && entry.inputs == inputs
            && entry.is_fresh(now, args.window)
        {
            debug(&format_args!("profile `{profile}`: served from the cache"));
            return Ok(entry.credentials.clone());
        }
    }

    let cfg = AwsConfig::load(&paths)?;
    let self_names = super::self_names();
    let mut chain = resolve::resolve(
        &cfg,
        profile,
        &Context {
            env: &env,
            self_names,
        },
    )?;
    if let Some(tweak) = extra.tweak {
        tweak(&mut chain)?;
    }
    debug(&describe(&chain));
    // The store for this fetch: required for keys kept in it (it may ask for its
    // passphrase on the terminal); for MFA sessions only when caching is on, and like
    // the cache it then never asks for the passphrase (only for the MFA code).
    let mut sso_login = setup.auto_login && matches!(chain.base, Base::Sso(_));
    // Why auto-login is off although it was asked for: said only if a login is needed.
    let mut no_login_why: Option<String> = None;
    let fetch_store = if matches!(chain.base, Base::Stored { .. }) {
        // Keys kept there: the store must open (it may ask).
        let store = Store::open_with(store_config, Prompt::IfTerminal)
            .map_err(|e| anyhow::anyhow!("profile `{}`: {e}", chain.base.profile()))?;
        Some(store)
    } else if sso_login {
        // A login to keep: the store may ask for its passphrase. If it can't open, a
        // token already at hand (the AWS CLI's) still serves; only a login is off.
        match Store::open_with(store_config, Prompt::IfTerminal) {
            Ok(store) => Some(store),
            Err(e) => {
                debug(&format_args!("the encrypted store is not open: {e}"));
                sso_login = false;
                no_login_why = Some(format!("auto-login needs granted's encrypted store: {e}"));
                None
            }
        }
    } else if matches!(chain.base, Base::Sso(_)) || (cache.is_some() && needs_mfa(&chain)) {
        // SSO tokens from `granted sso login` live there too.
        Store::open_with(store_config, Prompt::Never)
            .map_err(|e| debug(&format_args!("the encrypted store is not open: {e}")))
            .ok()
    } else {
        None
    };
    let fetch = || {
        fetch(
            &chain,
            home,
            &env,
            fetch_store.as_ref(),
            &setup,
            sso_login,
            extra.mfa_code.as_deref(),
        )
        .map_err(|e| match &no_login_why {
            Some(why) => e.context(why.clone()),
            None => e,
        })
    };

    let Some(access) = cache.as_mut().filter(|_| cache::is_cacheable(&chain)) else {
        return fetch();
    };
    let hash = cache::chain_hash(&chain);
    let still_valid = |entry: &Option<Entry>| {
        entry
            .as_ref()
            .filter(|e| e.chain == hash && e.is_fresh(now, args.window))
            .cloned()
    };
    if let Some(entry) = still_valid(&cached) {
        // Same chain after an unrelated edit: serve, and remember the new fingerprint.
        access.save(
            Entry {
                inputs,
                ..entry.clone()
            },
            &debug,
        );
        return Ok(entry.credentials.clone());
    }
    // One process fetches; the others wait, then find its entry.
    let Some(store) = access.open(&debug) else {
        return fetch();
    };
    let _guard = store.lock(Namespace::SessionCredentials, profile, LOCK_TIMEOUT)?;
    let _holding = process::Holding::new(profile);
    let found = access.load(profile, &debug);
    // Credentials another process stored while this one waited are as fresh as a fetch
    // would give, even with less than the window left (credentials that live less than
    // the window would otherwise be fetched by every waiter in turn).
    let seen = cached.as_ref().map(|e| &e.credentials.access_key_id);
    let stored_meanwhile = |entry: &Option<Entry>| {
        entry
            .as_ref()
            .filter(|e| {
                e.chain == hash
                    && Some(&e.credentials.access_key_id) != seen
                    && e.is_fresh(OffsetDateTime::now_utc(), Duration::ZERO)
            })
            .cloned()
    };
    if let Some(entry) = still_valid(&found).or_else(|| stored_meanwhile(&found)) {
        debug(&format_args!(
            "profile `{profile}`: another process fetched it"
        ));
        return Ok(entry.credentials.clone());
    }
    let creds = fetch()?;
    access.save(
        Entry {
            profile: profile.to_owned(),
            chain: hash,
            inputs,
            credentials: creds.clone(),
            stored_at: now,
        },
        &debug,
    );
    Ok(creds)
}

/// Whether any link of the chain asks for an MFA code.
fn needs_mfa(chain: &Chain) -> bool {
    chain.hops.iter().any(|h| h.mfa_serial.is_some())
        || matches!(&chain.base, Base::Static(k) if k.mfa_serial.is_some())
}

/// `login`: `Some(browser)` when a missing or rejected SSO token may be replaced by a
/// device login (`store` is then open).
fn fetch(
    chain: &Chain,
    home: &std::path::Path,
    env: &dyn Fn(&str) -> Option<String>,
    store: Option<&Store>,
    setup: &Setup,
    login: bool,
    mfa_code: Option<&str>,
) -> anyhow::Result<Credentials> {
    let given_code = mfa_code.map(|c| GivenCode::new(c.to_owned()));
    let login = login.then_some(setup.browser.as_deref());
    let lock_dir = setup.store_config.dir.as_path();
    let export_sso_token = setup.export_sso_token;
    let aws_cli = AwsCliCache::under_home(home);
    let stored = store.map(|store| StoredTokens {
        store: store as &dyn SecretStore,
    });
    let mut sources: Vec<&dyn TokenSource> = Vec::with_capacity(2);
    if let Some(stored) = &stored {
        sources.push(stored);
    }
    sources.push(&aws_cli);
    let tokens = FirstOf(sources);
    let fetcher = Fetcher {
        aws: Aws::new(chain.max_attempts),
        tokens: &tokens,
        mfa: match &given_code {
            Some(given) => given as &dyn MfaPrompt,
            None => &TtyPrompt,
        },
        env,
        now: OffsetDateTime::now_utc(),
        process_timeout: process::DEFAULT_TIMEOUT,
        store: store.map(|s| s as &dyn SecretStore),
        lock_dir: Some(lock_dir),
        aws_cli: Some(&aws_cli),
        export_sso_token,
        auto_login: match (login, store) {
            (Some(browser), Some(store)) => Some(AutoLogin {
                store,
                lock_dir: store.dir().to_path_buf(),
                oidc_endpoint: chain.endpoints.sso_oidc.clone(),
                show: &super::show_device_code,
                open: &move |url: &str| super::open_browser(browser, url),
            }),
            _ => None,
        },
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    Ok(runtime.block_on(fetcher.fetch(chain))?)
}

/// What the settings decide for this call.
struct Setup {
    store_config: StoreConfig,
    /// Off with `--no-cache`, `GRANTED_NO_CACHE` or `DisableCredentialProcessCache`.
    cache_on: bool,
    /// `--auto-login` or `CredentialProcessAutoLogin`.
    auto_login: bool,
    /// `CustomSSOBrowserPath`, else `$BROWSER`.
    browser: Option<String>,
    /// `ExportSSOToken`: copy tokens from logins and refreshes into the AWS CLI cache.
    export_sso_token: bool,
}

fn setup(args: &CredentialProcessArgs, granted: &super::Granted) -> anyhow::Result<Setup> {
    let settings = &granted.settings;
    let truthy =
        |v: Option<String>| v.is_some_and(|v| matches!(v.trim(), "true" | "1" | "TRUE" | "True"));
    Ok(Setup {
        store_config: granted.store_config()?,
        cache_on: !args.no_cache
            && !truthy(std::env::var("GRANTED_NO_CACHE").ok())
            && !settings.disable_credential_process_cache,
        auto_login: args.auto_login || settings.credential_process_auto_login,
        browser: granted.sso_browser()?,
        export_sso_token: settings.export_sso_token,
    })
}

/// The cache, opened lazily: a missing entry never touches the key backend. When the
/// store can't be opened without its passphrase (a headless machine with no Secret
/// Service and no `CF_KEYRING_FILE_PASSWORD`), the cache lives in the volatile store,
/// whose key only the kernel keyring holds (gone at reboot, which a cache can bear).
/// A store that can't be opened at all only turns the cache off for this call.
struct CacheAccess {
    config: StoreConfig,
    volatile: Option<StoreConfig>,
    store: Option<Option<Store>>,
}

impl CacheAccess {
    /// Whether either store may hold an entry for `profile` (a stat, no decryption).
    fn may_hold(&self, profile: &str) -> bool {
        Store::item_exists(&self.config.dir, Namespace::SessionCredentials, profile)
            || self
                .volatile
                .as_ref()
                .is_some_and(|v| Store::item_exists(&v.dir, Namespace::SessionCredentials, profile))
    }

    fn open(&mut self, debug: &dyn Fn(&dyn std::fmt::Display)) -> Option<&Store> {
        if self.store.is_none() {
            // The cache is an optimisation: it never prompts for a passphrase.
            let opened = match Store::open_with(&self.config, Prompt::Never) {
                Err(crate::store::StoreError::NoPassphrase) if self.volatile.is_some() => {
                    debug(&"the store needs its passphrase: caching in the volatile store");
                    Store::open_with(self.volatile.as_ref().expect("checked"), Prompt::Never)
                }
                other => other,
            };
            self.store = Some(match opened {
                Ok(store) => Some(store),
                Err(e) => {
                    debug(&format_args!("credential cache unavailable: {e}"));
                    None
                }
            });
        }
        self.store.as_ref().and_then(Option::as_ref)
    }

    fn load(&mut self, profile: &str, debug: &dyn Fn(&dyn std::fmt::Display)) -> Option<Entry> {
        let store = self.open(debug)?;
        cache::load(store, profile).unwrap_or_else(|e| {
            debug(&format_args!("credential cache: {e}"));
            None
        })
    }

    fn save(&mut self, entry: Entry, debug: &dyn Fn(&dyn std::fmt::Display)) {
        if let Some(store) = self.open(debug)
            && let Err(e) = cache::save(store, &entry)
        {
            debug(&format_args!(
                "credential cache: could not store `{}`: {e}",
                entry.profile
            ));
        }
    }
}

/// One line, no secrets: what the chain will do.
fn describe(chain: &Chain) -> String {
    let base = match &chain.base {
        Base::Sso(s) => format!(
            "sso {} ({}) account {} role {}",
            s.start_url, s.region, s.account_id, s.role_name
        ),
        Base::Static(k) => format!("static keys {} of profile `{}`", k.access_key_id, k.profile),
        Base::Process(p) => format!("credential_process of profile `{}`", p.profile),
        Base::Environment { .. } => "credentials from the environment".to_owned(),
        Base::Stored { profile, .. } => {
            format!("keys of profile `{profile}` in the encrypted store")
        }
    };
    let hops: Vec<String> = chain
        .hops
        .iter()
        .map(|h| format!(" -> assume {}", h.role_arn))
        .collect();
    format!("profile `{}`: {base}{}", chain.profile, hops.concat())
}
