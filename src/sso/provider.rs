//! The SSO token provider: the one way any command gets an access token for an IAM
//! Identity Center instance, with or without a profile chain.
//!
//! Owns the order `lookup → refresh → login`: a kept token (granted's store first, then
//! the AWS CLI's cache) that is still valid; else a refreshable one refreshed (under the
//! per-start-URL lock, so one process refreshes and the rest use its result); else,
//! when a login is allowed, one device login per start URL at a time (the others wait
//! for it and use its token). Also what happens to a token the portal rejects.
//!
//! It must not resolve profiles, call anything but SSO-OIDC, or print a token; the
//! login's user interface (`show`, `open`) is the caller's.

use std::path::Path;
use std::time::Duration;

use super::login::{self, LoginError, StoredTokens};
use super::{AwsCliCache, SsoTarget, SsoToken, TokenError, TokenSource};
use crate::aws::{Aws, Target};
use crate::secret::Secret;
use crate::store::{LockGuard, Namespace, SecretStore, Store, StoreError};
use crate::sys::Clock;

/// A refreshable token is refreshed when less than this remains.
pub const REFRESH_AHEAD: time::Duration = time::Duration::minutes(5);

/// How long a caller waits for another process's login (a device code lives ~10 min).
const LOGIN_LOCK_TIMEOUT: Duration = Duration::from_secs(11 * 60);

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("could not take the login lock for {start_url}")]
    Lock {
        start_url: String,
        #[source]
        source: StoreError,
    },
    #[error("login to {start_url} failed")]
    Login {
        start_url: String,
        #[source]
        source: LoginError,
    },
    #[error(transparent)]
    Token(#[from] TokenError),
}

/// What a device login needs besides the provider's own parts.
pub struct LoginUi<'a> {
    /// Where the new token is kept.
    pub store: &'a dyn SecretStore,
    /// Tells the user where to approve (URL, code).
    pub show: &'a dyn Fn(&str, &str),
    /// Tries to open a browser on the URL.
    pub open: &'a dyn Fn(&str),
}

/// Gets SSO access tokens: see the module doc.
pub struct TokenProvider<'a> {
    pub aws: &'a Aws,
    pub clock: Clock,
    /// granted's encrypted store (tokens from `granted sso login`), if it is open.
    pub store: Option<&'a dyn SecretStore>,
    /// The AWS CLI's token cache (`~/.aws/sso/cache`).
    pub aws_cli: &'a AwsCliCache,
    /// The folder of the per-start-URL login and refresh locks (the store's).
    pub lock_dir: &'a Path,
    /// Copy tokens from logins and refreshes into the AWS CLI's cache (`ExportSSOToken`).
    pub export_sso_token: bool,
    /// A missing or rejected token may be replaced by a device login.
    pub login: Option<LoginUi<'a>>,
}

impl TokenProvider<'_> {
    /// Whether a missing token would start a login.
    pub fn can_login(&self) -> bool {
        self.login.is_some()
    }

    /// A kept token that is valid now, without refreshing or logging in.
    pub fn lookup(&self, target: &SsoTarget) -> Result<Option<SsoToken>, TokenError> {
        let now = self.clock.now();
        if let Some(store) = self.store
            && let Some(token) = (StoredTokens { store }).load(target, now)?
        {
            return Ok(Some(token));
        }
        self.aws_cli.load(target, now)
    }

    /// A valid token for `target`: refreshed when due, else kept, else (when allowed) a
    /// new login. `Ok(None)`: the user must log in. `oidc_endpoint` is SSO-OIDC's
    /// endpoint override, if any.
    pub async fn token(
        &self,
        target: &SsoTarget,
        oidc_endpoint: Option<&str>,
    ) -> Result<Option<SsoToken>, ProviderError> {
        if let Some(token) = self.refreshed(target, oidc_endpoint).await? {
            return Ok(Some(token));
        }
        if let Some(token) = self.lookup(target)? {
            return Ok(Some(token));
        }
        if self.can_login() {
            return self.log_in(target, None, oidc_endpoint).await.map(Some);
        }
        Ok(None)
    }

    /// The portal refused `rejected` (401): it is forgotten whatever its expiry said,
    /// and, when a login is allowed, replaced by one new login (once, never a loop).
    pub async fn replace_rejected(
        &self,
        target: &SsoTarget,
        rejected: &Secret,
        oidc_endpoint: Option<&str>,
    ) -> Result<Option<SsoToken>, ProviderError> {
        if let Some(store) = self.store {
            // Not forgetting it only means it is tried again next time.
            let _ = login::drop_rejected(store, target, rejected);
        }
        if !self.can_login() {
            return Ok(None);
        }
        self.log_in(target, Some(rejected), oidc_endpoint)
            .await
            .map(Some)
    }

    fn lock(&self, target: &SsoTarget) -> Result<LockGuard, ProviderError> {
        Store::lock_in(
            self.lock_dir,
            Namespace::SsoTokens,
            login::token_key(&target.start_url),
            LOGIN_LOCK_TIMEOUT,
        )
        .map_err(|source| ProviderError::Lock {
            start_url: target.start_url.clone(),
            source,
        })
    }

    /// A refreshable token with less than [`REFRESH_AHEAD`] left — kept in the store,
    /// else the AWS CLI's — refreshed (one process at a time, under the login lock; the
    /// refresh token rotates). A refused refresh is reported and leaves the token as it
    /// is: still used while valid, then a login or the login command.
    async fn refreshed(
        &self,
        target: &SsoTarget,
        oidc_endpoint: Option<&str>,
    ) -> Result<Option<SsoToken>, ProviderError> {
        let now = self.clock.now();
        let ours = self
            .store
            .filter(|store| login::refresh_due(*store, target, REFRESH_AHEAD, now));
        // The AWS CLI's file only when it is the token that would be used: granted
        // keeps no valid one of its own (a stale CLI file is not ours to retry).
        let own_valid = || {
            self.store.is_some_and(|store| {
                matches!(
                    (StoredTokens { store }).load(target, self.clock.now()),
                    Ok(Some(_))
                )
            })
        };
        let cli = (ours.is_none()
            && !own_valid()
            && login::aws_cli_refresh_due(self.aws_cli, target, REFRESH_AHEAD, now))
        .then_some(self.aws_cli);
        if ours.is_none() && cli.is_none() {
            return Ok(None);
        }
        let _guard = self.lock(target)?;
        let oidc = Target {
            region: &target.region,
            endpoint: oidc_endpoint,
        };
        let refreshed = match (ours, cli) {
            (Some(store), _) => {
                login::refresh(self.aws, &oidc, target, store, REFRESH_AHEAD, self.clock).await
            }
            (None, Some(cli)) => {
                login::refresh_aws_cli(self.aws, &oidc, cli, target, REFRESH_AHEAD, self.clock)
                    .await
            }
            (None, None) => Ok(None),
        };
        let token = match refreshed {
            Ok(token) => token,
            Err(e) => {
                eprintln!(
                    "[✘] error refreshing AWS IAM Identity Center token for {}: {}",
                    target.start_url,
                    crate::error::chain(&e)
                );
                None
            }
        };
        if let Some(token) = &token {
            self.export(target, token);
        }
        Ok(token)
    }

    /// One device login per start URL at a time: the others wait, then use its token.
    /// `rejected` is a token the portal refused: another process's token only counts if
    /// it is a different one.
    async fn log_in(
        &self,
        target: &SsoTarget,
        rejected: Option<&Secret>,
        oidc_endpoint: Option<&str>,
    ) -> Result<SsoToken, ProviderError> {
        let ui = self
            .login
            .as_ref()
            .expect("only called when a login is allowed");
        let _guard = self.lock(target)?;
        if let Some(token) = self.lookup(target)?
            && Some(token.access_token.expose()) != rejected.map(Secret::expose)
        {
            return Ok(token);
        }
        let oidc = Target {
            region: &target.region,
            endpoint: oidc_endpoint,
        };
        let token = login::device_login(
            self.aws, &oidc, target, ui.store, self.clock, ui.show, ui.open,
        )
        .await
        .map_err(|source| ProviderError::Login {
            start_url: target.start_url.clone(),
            source,
        })?;
        self.export(target, &token);
        Ok(token)
    }

    /// With `ExportSSOToken`: a copy for the AWS CLI (best effort, never fatal).
    fn export(&self, target: &SsoTarget, token: &SsoToken) {
        if self.export_sso_token
            && let Err(e) = self.aws_cli.export(target, token)
        {
            eprintln!(
                "[!] could not export the sso token for {} to the AWS CLI cache: {e}",
                target.start_url
            );
        }
    }
}
