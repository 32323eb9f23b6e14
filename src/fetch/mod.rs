//! The credential service: one plain [`Request`] in, [`Credentials`] out, through the
//! one credential cache. `credential-process` and `assume` are thin commands over it.
//!
//! Owns the order of a fetch: the cache's hot path (a fresh entry whose config
//! fingerprint still matches: no INI parse, no network, no async runtime); else the
//! config read (once per run, shared with the caller) and resolved; the [`Plan`] (which
//! store, cache on or off and why, which token sources, whether a login may start);
//! then single-flight (one process fetches per profile, the others wait and share its
//! entry), the fetch, the refusal of credentials that expired before they arrived
//! ([`FetchError`]), and the cache write.
//!
//! It must not know clap types, print anything but `--verbose` lines and the login
//! prompt, or build shell text. A [`Plan`] is plain data that `granted doctor` can show.

mod cache_access;
#[cfg(test)]
mod tests;

use std::cell::OnceCell;
use std::fmt;
use std::time::Duration;

use anyhow::Context as _;

use crate::aws::Aws;
use crate::awsconfig::{AwsConfig, ConfigPaths};
use crate::cache::{self, AssumeView, Entry};
use crate::credentials::mfa::{GivenCode, MfaPrompt, TtyPrompt};
use crate::credentials::{Fetcher, process};
use crate::creds::Credentials;
use crate::resolve::{self, Base, Chain, RoleHop};
use crate::run::Run;
use crate::sso::AwsCliCache;
use crate::sso::provider::{LoginUi, TokenProvider};
use crate::store::{Namespace, Prompt, SecretStore, Store, StoreConfig};
use cache_access::CacheAccess;

/// How long a call waits for another process fetching the same profile.
const LOCK_TIMEOUT: Duration = Duration::from_secs(120);

/// What to fetch and how: no command-line types, only values.
#[derive(Debug, Clone)]
pub struct Request {
    pub profile: String,
    /// Cached credentials are served only while more than this remains.
    pub window: Duration,
    /// `--no-cache`: neither read nor write the cache.
    pub no_cache: bool,
    /// `--auto-login`: a missing or rejected SSO token starts a device login.
    pub auto_login: bool,
    /// `--mfa-token`: the code for the first MFA prompt.
    pub mfa_code: Option<String>,
    /// Changes to the resolved chain (`assume --chain`, `--duration`, `--region`) that
    /// give other credentials than the profile's own: the cache is then left alone (it
    /// holds what `credential-process` returns for the profile).
    pub tweaks: Tweaks,
}

impl Request {
    /// A request for `profile` with `credential-process`'s defaults.
    pub fn new(profile: impl Into<String>) -> Request {
        Request {
            profile: profile.into(),
            window: cache::DEFAULT_WINDOW,
            no_cache: false,
            auto_login: false,
            mfa_code: None,
            tweaks: Tweaks::default(),
        }
    }
}

/// Changes `assume` makes to a resolved chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tweaks {
    /// `--region`: the chain's region (STS calls, and what assume exports).
    pub region: Option<String>,
    /// `--chain ARN`: one more role hop at the end.
    pub extra_role_arn: Option<String>,
    /// `--duration`: the last hop's session length.
    pub duration_seconds: Option<u32>,
}

impl Tweaks {
    /// Applies the tweaks; returns the warnings for the user.
    pub fn apply(&self, chain: &mut Chain) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some(region) = &self.region {
            chain.region = Some(region.clone());
        }
        if let Some(arn) = &self.extra_role_arn {
            chain.hops.push(RoleHop {
                profile: chain.profile.clone(),
                role_arn: arn.clone(),
                session_name: None,
                external_id: None,
                duration_seconds: None,
                mfa_serial: None,
            });
        }
        if let Some(seconds) = self.duration_seconds {
            match chain.hops.last_mut() {
                Some(hop) => hop.duration_seconds = Some(seconds),
                // As in Granted: SSO role credentials last what the permission set says.
                None => warnings.push(format!(
                    "--duration applies to role assumption; profile `{}` assumes no role, so it is ignored",
                    chain.profile
                )),
            }
        }
        warnings
    }

    /// Whether the tweaked chain gives other credentials than the profile's own (then
    /// the cache, which holds what `credential-process` returns, is left alone). A
    /// region matters only to role hops (STS); SSO role credentials are the same.
    pub fn change_credentials(&self, chain: &Chain) -> bool {
        self.extra_role_arn.is_some()
            || (!chain.hops.is_empty()
                && (self.duration_seconds.is_some() || self.region.is_some()))
    }
}

/// Why the cache is off for a fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOff {
    /// `--no-cache`.
    Flag,
    /// `GRANTED_NO_CACHE`.
    Variable,
    /// `DisableCredentialProcessCache`.
    Setting,
    /// The request changes the chain (`--chain`, `--duration`, `--region` on a role).
    Tweaked,
    /// A granted above this process holds the profile's lock and waits for it.
    HeldByParent,
    /// The chain ends in long-lived keys: nothing to cache.
    NotExpiring,
}

impl fmt::Display for CacheOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CacheOff::Flag => "--no-cache",
            CacheOff::Variable => "GRANTED_NO_CACHE is set",
            CacheOff::Setting => "DisableCredentialProcessCache = true",
            CacheOff::Tweaked => "the request changes the chain",
            CacheOff::HeldByParent => "a granted above this one is fetching this profile",
            CacheOff::NotExpiring => "the credentials don't expire",
        })
    }
}

/// Which store a fetch opens, and whether it may ask for the passphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreUse {
    /// Not needed.
    None,
    /// Needed: the chain's keys are kept there (it may ask on the terminal).
    Required,
    /// For a login's token (it may ask); if it can't open, a token at hand still serves.
    ForLogin,
    /// Useful if it opens without asking (kept SSO tokens, MFA sessions).
    IfOpen,
}

/// Whether a missing or rejected SSO token may start a device login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginUse {
    /// The chain needs no SSO token.
    NotSso,
    /// Not asked for: a missing token is an error with the login command.
    Off,
    /// Asked for, and possible.
    Allowed,
    /// Asked for, but the store for the token would not open.
    Impossible(String),
}

/// What a fetch will do, decided before it does anything: plain data.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The resolved chain, with the request's tweaks.
    pub chain: Chain,
    /// `Ok`: the cache is used; `Err`: why not.
    pub cache: Result<(), CacheOff>,
    pub store: StoreUse,
    pub login: LoginUse,
    /// Where SSO tokens are looked for, in order (empty for chains without SSO).
    pub token_sources: Vec<&'static str>,
    /// Warnings for the user (e.g. `--duration` without a role); the caller shows them.
    pub warnings: Vec<String>,
}

impl Plan {
    /// One line, no secrets: what the chain will do.
    pub fn describe(&self) -> String {
        let chain = &self.chain;
        let base = match &chain.base {
            Base::Sso(s) => format!(
                "sso {} ({}) account {} role {}",
                s.start_url, s.region, s.account_id, s.role_name
            ),
            Base::Static(k) => {
                format!("static keys {} of profile `{}`", k.access_key_id, k.profile)
            }
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
        let cache = match &self.cache {
            Ok(()) => "cache on".to_owned(),
            Err(why) => format!("cache off ({why})"),
        };
        format!(
            "profile `{}`: {base}{}; {cache}",
            chain.profile,
            hops.concat()
        )
    }
}

/// What the settings and the environment decide for every fetch of a run.
struct Setup {
    store_config: StoreConfig,
    volatile: Option<StoreConfig>,
    no_cache: Option<CacheOff>,
    auto_login: bool,
    browser: Option<String>,
    export_sso_token: bool,
}

/// The credential service for one run and one pair of AWS files.
pub struct Service<'r> {
    run: &'r Run,
    paths: ConfigPaths,
    config: OnceCell<AwsConfig>,
    /// This binary's names, looked up only when a profile is resolved.
    self_names: OnceCell<Vec<String>>,
    verbose: bool,
}

impl<'r> Service<'r> {
    pub fn new(run: &'r Run, paths: ConfigPaths, verbose: bool) -> Service<'r> {
        Service {
            run,
            paths,
            config: OnceCell::new(),
            self_names: OnceCell::new(),
            verbose,
        }
    }

    /// The AWS files this service reads.
    pub fn paths(&self) -> &ConfigPaths {
        &self.paths
    }

    /// The names this binary answers to (for recognising self-calls).
    pub fn self_names(&self) -> &[String] {
        self.self_names.get_or_init(crate::sys::exe_names)
    }

    /// The AWS config, read once per service.
    pub fn config(&self) -> anyhow::Result<&AwsConfig> {
        if let Some(cfg) = self.config.get() {
            return Ok(cfg);
        }
        let cfg = AwsConfig::load_with_home(&self.paths, Some(&self.run.home))?;
        Ok(self.config.get_or_init(|| cfg))
    }

    /// `profile` resolved (without tweaks).
    pub fn resolve(&self, profile: &str) -> anyhow::Result<Chain> {
        let env = self.run.sys.env.lookup();
        Ok(resolve::resolve(
            self.config()?,
            profile,
            &resolve::Context {
                env: &env,
                self_names: self.self_names().to_vec(),
            },
        )?)
    }

    fn debug(&self, msg: &dyn fmt::Display) {
        if self.verbose {
            eprintln!("[DEBUG] {msg}");
        }
    }

    fn setup(&self, request: &Request) -> anyhow::Result<Setup> {
        let run = self.run;
        let no_cache = if request.no_cache {
            Some(CacheOff::Flag)
        } else if run.sys.env.is_true("GRANTED_NO_CACHE") {
            Some(CacheOff::Variable)
        } else if run.settings.disable_credential_process_cache {
            Some(CacheOff::Setting)
        } else if process::held_by_ancestors(&run.sys.env, &request.profile) {
            Some(CacheOff::HeldByParent)
        } else {
            None
        };
        Ok(Setup {
            store_config: run.store_config()?,
            volatile: run.volatile_store_config(),
            no_cache,
            auto_login: request.auto_login || run.settings.credential_process_auto_login,
            browser: run.sso_browser(),
            export_sso_token: run.settings.export_sso_token,
        })
    }

    /// What a fetch of `request` would do (resolving the profile; nothing opened).
    pub fn plan(&self, request: &Request) -> anyhow::Result<Plan> {
        let setup = self.setup(request)?;
        self.plan_with(request, &setup)
    }

    fn plan_with(&self, request: &Request, setup: &Setup) -> anyhow::Result<Plan> {
        let mut chain = self.resolve(&request.profile)?;
        let warnings = request.tweaks.apply(&mut chain);
        let cache = match setup.no_cache {
            Some(why) => Err(why),
            None if request.tweaks != Tweaks::default() => Err(CacheOff::Tweaked),
            None if !cache::is_cacheable(&chain) => Err(CacheOff::NotExpiring),
            None => Ok(()),
        };
        let sso = matches!(chain.base, Base::Sso(_));
        let store = if matches!(chain.base, Base::Stored { .. }) {
            StoreUse::Required
        } else if sso && setup.auto_login {
            StoreUse::ForLogin
        } else if sso || (cache.is_ok() && needs_mfa(&chain)) {
            StoreUse::IfOpen
        } else {
            StoreUse::None
        };
        let login = match (sso, setup.auto_login) {
            (false, _) => LoginUse::NotSso,
            (true, false) => LoginUse::Off,
            (true, true) => LoginUse::Allowed,
        };
        let token_sources = if sso {
            vec![
                "granted's encrypted store",
                "the AWS CLI cache (~/.aws/sso/cache)",
            ]
        } else {
            Vec::new()
        };
        Ok(Plan {
            chain,
            cache,
            store,
            login,
            token_sources,
            warnings,
        })
    }

    /// The credentials for `request`: from the cache, or fetched (one process at a
    /// time per profile) and cached.
    pub fn fetch(&self, request: &Request) -> anyhow::Result<Credentials> {
        let now = self.run.sys.now();
        let profile = request.profile.as_str();
        let setup = self.setup(request)?;
        if let Some(why @ CacheOff::HeldByParent) = setup.no_cache {
            self.debug(&format_args!("profile `{profile}`: {why}; no cache"));
        }
        // A tweaked request never uses the cache; that is only known once resolved.
        let mut cache = (setup.no_cache.is_none() && request.tweaks == Tweaks::default())
            .then(|| CacheAccess::new(setup.store_config.clone(), setup.volatile.clone()));
        let env = self.run.sys.env.lookup();
        let inputs = cache::inputs_fingerprint(&self.paths.config, &self.paths.credentials, &env);

        // The hot path: nothing changed since this entry was stored.
        let mut cached: Option<Entry> = None;
        if let Some(access) = cache.as_mut()
            && access.may_hold(profile)
        {
            cached = access.load(profile, &|m| self.debug(m));
            if let Some(entry) = &cached
                && entry.inputs == inputs
                && entry.is_fresh(now, request.window)
            {
                self.debug(&format_args!("profile `{profile}`: served from the cache"));
                return Ok(entry.credentials.clone());
            }
        }

        let mut plan = self.plan_with(request, &setup)?;
        let chain = &plan.chain;
        self.debug(&plan.describe());
        // The store for this fetch: required for keys kept in it (it may ask for its
        // passphrase on the terminal); for MFA sessions only when caching is on, and like
        // the cache it then never asks for the passphrase (only for the MFA code).
        let store_config = &setup.store_config;
        let fetch_store = match plan.store {
            StoreUse::Required => Some(
                Store::open_with(store_config, Prompt::IfTerminal)
                    .with_context(|| format!("profile `{}`", chain.base.profile()))?,
            ),
            // A login to keep: the store may ask for its passphrase. If it can't open, a
            // token already at hand (the AWS CLI's) still serves; only a login is off.
            StoreUse::ForLogin => match Store::open_with(store_config, Prompt::IfTerminal) {
                Ok(store) => Some(store),
                Err(e) => {
                    let why = format!(
                        "auto-login needs granted's encrypted store: {}",
                        crate::error::chain(&e)
                    );
                    self.debug(&format_args!(
                        "the encrypted store is not open: {}",
                        crate::error::chain(&e)
                    ));
                    plan.login = LoginUse::Impossible(why);
                    None
                }
            },
            StoreUse::IfOpen => Store::open_with(store_config, Prompt::Never)
                .map_err(|e| {
                    self.debug(&format_args!(
                        "the encrypted store is not open: {}",
                        crate::error::chain(&e)
                    ))
                })
                .ok(),
            StoreUse::None => None,
        };
        let plan = &plan;
        let fetch = || -> anyhow::Result<Credentials> {
            let creds = self
                .run_plan(
                    plan,
                    &setup,
                    fetch_store.as_ref(),
                    request.mfa_code.as_deref(),
                )
                .map_err(|e| match &plan.login {
                    LoginUse::Impossible(why) => e.context(why.clone()),
                    _ => e,
                })?;
            refuse_expired(&plan.chain, &creds, self.run.sys.now())?;
            Ok(creds)
        };

        let Some(access) = cache.as_mut().filter(|_| plan.cache.is_ok()) else {
            return fetch();
        };
        let secrets = secret_inputs(&plan.chain, &env, fetch_store.as_ref());
        let secrets: Vec<&str> = secrets.iter().map(|s| s.expose()).collect();
        let hash = cache::chain_hash(&plan.chain, &secrets);
        let still_valid = |entry: &Option<Entry>| {
            entry
                .as_ref()
                .filter(|e| e.chain == hash && e.is_fresh(now, request.window))
                .cloned()
        };
        if let Some(entry) = still_valid(&cached) {
            // Same chain after an unrelated edit: serve, and remember the new fingerprint
            // (what assume showed may have changed with the edit: it is forgotten).
            access.save(
                Entry {
                    inputs,
                    assume: None,
                    ..entry.clone()
                },
                &|m| self.debug(m),
            );
            return Ok(entry.credentials.clone());
        }
        // One process fetches; the others wait, then find its entry.
        let Some(store) = access.open(&|m| self.debug(m)) else {
            return fetch();
        };
        let _guard = match store.lock(Namespace::SessionCredentials, profile, LOCK_TIMEOUT) {
            Ok(guard) => guard,
            // A lock file that can't be made (a read-only home, a full disk): fetch
            // without the cache rather than fail; only a timeout is an answer.
            Err(e @ crate::store::StoreError::Io { .. }) => {
                self.debug(&format_args!(
                    "profile `{profile}`: no cache for this call: {}",
                    crate::error::chain(&e)
                ));
                return fetch();
            }
            Err(e) => return Err(e.into()),
        };
        let _holding = process::Holding::new(profile);
        let found = access.load(profile, &|m| self.debug(m));
        // Credentials another process stored while this one waited are as fresh as a fetch
        // would give, even with less than the window left (credentials that live less than
        // the window would otherwise be fetched by every waiter in turn).
        let seen = cached.as_ref().map(|e| &e.credentials.access_key_id);
        let after_wait = self.run.sys.now();
        let stored_meanwhile = |entry: &Option<Entry>| {
            entry
                .as_ref()
                .filter(|e| {
                    e.chain == hash
                        && Some(&e.credentials.access_key_id) != seen
                        && e.is_fresh(after_wait, Duration::ZERO)
                })
                .cloned()
        };
        if let Some(entry) = still_valid(&found).or_else(|| stored_meanwhile(&found)) {
            self.debug(&format_args!(
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
                assume: None,
                sso_start_url: Some(cache::sso_start_url_of(&plan.chain)),
            },
            &|m| self.debug(m),
        );
        Ok(creds)
    }

    /// `assume`'s hot path: the credentials cached for `profile` and what `assume` showed
    /// for it, when the entry is fresh for the window remembered with it and nothing the
    /// resolution reads has changed since. No INI parse, no network.
    pub fn cached_for_assume(
        &self,
        profile: &str,
    ) -> anyhow::Result<Option<(Credentials, AssumeView)>> {
        let setup = self.setup(&Request::new(profile))?;
        if setup.no_cache.is_some() {
            return Ok(None);
        }
        let mut access = CacheAccess::new(setup.store_config, setup.volatile);
        if !access.may_hold(profile) {
            return Ok(None);
        }
        let Some(entry) = access.load(profile, &|m| self.debug(m)) else {
            return Ok(None);
        };
        let Some(view) = entry.assume.clone().filter(|v| v.profile == profile) else {
            return Ok(None);
        };
        let env = self.run.sys.env.lookup();
        let inputs = cache::inputs_fingerprint(&self.paths.config, &self.paths.credentials, &env);
        let window = Duration::from_secs(view.window_secs);
        if entry.inputs != inputs || !entry.is_fresh(self.run.sys.now(), window) {
            return Ok(None);
        }
        self.debug(&format_args!(
            "profile `{profile}`: served from the cache with what assume showed (no config read)"
        ));
        Ok(Some((entry.credentials, view)))
    }

    /// Keeps `view` with the cached entry for `profile` when that entry holds `creds` and
    /// nothing the resolution reads has changed since it was stored (best effort).
    pub fn remember_for_assume(&self, profile: &str, creds: &Credentials, view: AssumeView) {
        let Ok(setup) = self.setup(&Request::new(profile)) else {
            return;
        };
        if setup.no_cache.is_some() {
            return;
        }
        let mut access = CacheAccess::new(setup.store_config, setup.volatile);
        let debug = |m: &dyn fmt::Display| self.debug(m);
        let Some(entry) = access.load(profile, &debug) else {
            return;
        };
        let env = self.run.sys.env.lookup();
        let inputs = cache::inputs_fingerprint(&self.paths.config, &self.paths.credentials, &env);
        if entry.inputs != inputs
            || entry.credentials.access_key_id != creds.access_key_id
            || entry.assume.as_ref() == Some(&view)
        {
            return;
        }
        access.save(
            Entry {
                assume: Some(view),
                ..entry
            },
            &debug,
        );
    }

    /// Runs the plan's chain: the token provider, the fetcher, an async runtime.
    fn run_plan(
        &self,
        plan: &Plan,
        setup: &Setup,
        store: Option<&Store>,
        mfa_code: Option<&str>,
    ) -> anyhow::Result<Credentials> {
        let run = self.run;
        let chain = &plan.chain;
        let aws = Aws::new(chain.max_attempts);
        let aws_cli = AwsCliCache::under_home(&run.home);
        let given_code = mfa_code.map(|c| GivenCode::new(c.to_owned()));
        let browser = setup.browser.as_deref();
        let open = move |url: &str| crate::ui::open_browser(browser, url);
        let login = match (&plan.login, store) {
            (LoginUse::Allowed, Some(store)) => Some(LoginUi {
                store,
                show: &crate::ui::show_device_code,
                open: &open,
            }),
            _ => None,
        };
        let tokens = TokenProvider {
            aws: &aws,
            clock: run.sys.clock,
            store: store.map(|s| s as &dyn SecretStore),
            aws_cli: &aws_cli,
            lock_dir: setup.store_config.dir.as_path(),
            export_sso_token: setup.export_sso_token,
            login,
        };
        let env = run.sys.env.lookup();
        let fetcher = Fetcher {
            aws: &aws,
            tokens: &tokens,
            mfa: match &given_code {
                Some(given) => given as &dyn MfaPrompt,
                None => &TtyPrompt,
            },
            env: &env,
            now: run.sys.now(),
            process_timeout: process::DEFAULT_TIMEOUT,
            store: store.map(|s| s as &dyn SecretStore),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("could not start the async runtime")?;
        Ok(runtime.block_on(fetcher.fetch(chain))?)
    }
}

/// What the chain's base reads besides the config: the environment's keys for
/// `credential_source = Environment`, the keys kept in the store. Bound into the cache
/// entry's chain hash so another identity is never served its credentials.
fn secret_inputs(
    chain: &Chain,
    env: &dyn Fn(&str) -> Option<String>,
    store: Option<&Store>,
) -> Vec<crate::secret::Secret> {
    use crate::secret::Secret;
    match &chain.base {
        Base::Environment { .. } => [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ]
        .iter()
        .map(|name| Secret::new(env(name).unwrap_or_default()))
        .collect(),
        Base::Stored { profile, .. } => store
            .and_then(|s| crate::credentials::stored::load(s, profile).ok().flatten())
            .map(|keys| vec![Secret::new(keys.access_key_id), keys.secret_access_key])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// What a fetch can find wrong with credentials it was given.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(
        "profile `{profile}`: the credentials from {from} expired at {expired}, before they arrived (is this machine's clock ahead? it says {now})"
    )]
    ExpiredOnArrival {
        profile: String,
        /// Who handed them out.
        from: String,
        expired: String,
        now: String,
    },
}

/// Credentials that had expired by the time they arrived (or a clock ahead of the
/// issuer's) are an error, never printed: every caller would fail with them anyway.
fn refuse_expired(
    chain: &Chain,
    creds: &Credentials,
    now: time::OffsetDateTime,
) -> Result<(), FetchError> {
    let Some(expired) = creds.expiration.filter(|e| *e <= now) else {
        return Ok(());
    };
    let from = match (chain.hops.last(), &chain.base) {
        (Some(hop), _) => format!("assuming role {}", hop.role_arn),
        (None, Base::Sso(s)) => format!("IAM Identity Center ({})", s.start_url),
        (None, Base::Process(p)) => format!("the credential_process of profile `{}`", p.profile),
        (None, Base::Static(k)) => {
            format!("an MFA session for the keys of profile `{}`", k.profile)
        }
        (None, Base::Stored { profile, .. }) => {
            format!("an MFA session for the stored keys of profile `{profile}`")
        }
        (None, Base::Environment { .. }) => "the environment".to_owned(),
    };
    Err(FetchError::ExpiredOnArrival {
        profile: chain.profile.clone(),
        from,
        expired: crate::output::utc_rfc3339(expired),
        now: crate::output::utc_rfc3339(now),
    })
}

/// Whether any link of the chain asks for an MFA code.
fn needs_mfa(chain: &Chain) -> bool {
    chain.hops.iter().any(|h| h.mfa_serial.is_some())
        || matches!(&chain.base, Base::Static(k) if k.mfa_serial.is_some())
}

/// The AWS files for `--aws-config-file` (else `AWS_CONFIG_FILE` /
/// `AWS_SHARED_CREDENTIALS_FILE`, else the defaults).
pub fn config_paths(run: &Run, aws_config_file: Option<&std::path::Path>) -> ConfigPaths {
    ConfigPaths::from_vars(|name| match (name, aws_config_file) {
        ("AWS_CONFIG_FILE", Some(path)) => Some(path.display().to_string()),
        _ => run.sys.var(name),
    })
}
