//! Walks a resolved [`Chain`]: gets the base credentials, then assumes each role with
//! the previous link's credentials.
//!
//! Owns the order of calls, the MFA rules (a long-lived key gets an MFA session through
//! `GetSessionToken`; a temporary one passes the code to `AssumeRole`) and the errors
//! users see when a link fails ("please login using …", "no access: …"). It must not
//! parse config, choose endpoints beyond what the chain says, or print anything.

pub mod mfa;
pub mod process;
pub mod stored;

use std::time::Duration;

use time::OffsetDateTime;

use crate::aws::{AssumeRole, Aws, AwsError, Target};
use crate::creds::Credentials;
use crate::resolve::{Base, Chain, SsoRole, StaticKeys};
use crate::secret::Secret;
use crate::sso::{SsoTarget, TokenError, TokenSource};
use crate::store::{Namespace, SecretStore};
use mfa::{MfaError, MfaPrompt};
use process::ProcessError;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("profile `{profile}`: {why} for {}; please login using '{}'", .target.start_url, .target.login_command())]
    NeedLogin {
        profile: String,
        why: &'static str,
        target: Box<SsoTarget>,
    },
    #[error("no access: profile `{profile}`: account {account_id} role {role_name}: {error}")]
    NoAccess {
        profile: String,
        account_id: String,
        role_name: String,
        error: Box<AwsError>,
    },
    #[error("profile `{profile}`: {error}")]
    Aws {
        profile: String,
        error: Box<AwsError>,
    },
    #[error("profile `{profile}`: assuming {role_arn}: {error}")]
    AssumeRole {
        profile: String,
        role_arn: String,
        error: Box<AwsError>,
    },
    #[error("profile `{profile}`: credential_source = Environment but {missing} is not set")]
    Environment {
        profile: String,
        missing: &'static str,
    },
    #[error("profile `{profile}`: STS needs a region; set `region` in the profile or AWS_REGION")]
    NoRegion { profile: String },
    #[error(
        "profile `{profile}` has no keys in granted's encrypted store; add them with `granted credentials add {profile}`"
    )]
    NotStored { profile: String },
    #[error("profile `{profile}`: its keys are in granted's encrypted store, which is not open")]
    NoStore { profile: String },
    #[error("profile `{profile}`: {message}")]
    Store { profile: String, message: String },
    #[error("login to {start_url} failed: {message}")]
    Login { start_url: String, message: String },
    #[error(transparent)]
    Process(#[from] ProcessError),
    #[error(transparent)]
    Mfa(#[from] MfaError),
    #[error(transparent)]
    Token(#[from] TokenError),
}

/// Everything a fetch may use besides the chain.
pub struct Fetcher<'a> {
    pub aws: Aws,
    pub tokens: &'a dyn TokenSource,
    pub mfa: &'a dyn MfaPrompt,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub now: OffsetDateTime,
    pub process_timeout: Duration,
    /// The encrypted store: MFA sessions are kept there between calls (`None`: ask
    /// for a code every time), and `Base::Stored` keys are read from it.
    pub store: Option<&'a dyn SecretStore>,
    /// The store's folder, for the per-start-URL login and refresh lock.
    pub lock_dir: Option<&'a std::path::Path>,
    /// The AWS CLI's token cache: its refreshable tokens are refreshed and written
    /// back like the CLI does.
    pub aws_cli: Option<&'a crate::sso::AwsCliCache>,
    /// Tokens obtained by a login or a refresh are also copied into the AWS CLI's
    /// cache (`ExportSSOToken`).
    pub export_sso_token: bool,
    /// Log in when the SSO token is missing or rejected (`--auto-login`,
    /// `CredentialProcessAutoLogin`); `None`: fail with the login command.
    pub auto_login: Option<AutoLogin<'a>>,
}

/// What an inline device login needs.
pub struct AutoLogin<'a> {
    /// Where the token is kept.
    pub store: &'a dyn SecretStore,
    /// The store's folder, for the per-start-URL login lock.
    pub lock_dir: std::path::PathBuf,
    /// `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL` / the profile's.
    pub oidc_endpoint: Option<String>,
    pub show: &'a dyn Fn(&str, &str),
    pub open: &'a dyn Fn(&str),
}

/// A refresh the service refused: said on stderr in Granted's words, never fatal.
fn report_refresh_failure(target: &SsoTarget, error: &crate::sso::login::LoginError) {
    eprintln!(
        "[✘] error refreshing AWS IAM Identity Center token for {}: {error}",
        target.start_url
    );
}

/// How long a caller waits for another process's login (a device code lives ~10 min).
const LOGIN_LOCK_TIMEOUT: Duration = Duration::from_secs(11 * 60);

/// An MFA session is reused while more than this remains.
const MFA_SESSION_MIN_REMAINING: time::Duration = time::Duration::minutes(20);

impl Fetcher<'_> {
    /// The credentials at the end of the chain.
    pub async fn fetch(&self, chain: &Chain) -> Result<Credentials, FetchError> {
        let mut creds = match &chain.base {
            Base::Sso(sso) => self.sso(chain, sso).await?,
            Base::Static(keys) => self.static_keys(chain, keys).await?,
            Base::Process(source) => process::run(source, self.process_timeout, self.now)?,
            Base::Environment { profile } => self.environment(profile)?,
            Base::Stored {
                profile,
                mfa_serial,
            } => self.stored(chain, profile, mfa_serial.as_deref()).await?,
        };
        for hop in &chain.hops {
            let target = self.sts_target(chain, &hop.profile)?;
            let mut code = None;
            if let Some(serial) = &hop.mfa_serial {
                if creds.is_long_lived() {
                    // An MFA session first: it carries the MFA context into AssumeRole,
                    // and is reused until it expires, so the code is asked for once.
                    creds = self
                        .mfa_session(&target, &creds, &hop.profile, serial)
                        .await?;
                } else {
                    code = Some((serial.as_str(), self.mfa.code(&hop.profile, serial)?));
                }
            }
            let session_name = hop
                .session_name
                .clone()
                .unwrap_or_else(|| default_session_name(self.now));
            let request = AssumeRole {
                role_arn: &hop.role_arn,
                session_name: &session_name,
                external_id: hop.external_id.as_deref(),
                duration_seconds: hop.duration_seconds,
                mfa: code.as_ref().map(|(serial, code)| (*serial, code.as_str())),
            };
            creds = self
                .aws
                .assume_role(&target, &creds, request)
                .await
                .map_err(|source| FetchError::AssumeRole {
                    profile: hop.profile.clone(),
                    role_arn: hop.role_arn.clone(),
                    error: Box::new(source),
                })?;
        }
        Ok(creds)
    }

    fn sts_target<'c>(&self, chain: &'c Chain, profile: &str) -> Result<Target<'c>, FetchError> {
        let region = chain
            .region
            .as_deref()
            .ok_or_else(|| FetchError::NoRegion {
                profile: profile.to_owned(),
            })?;
        Ok(Target {
            region,
            endpoint: chain.endpoints.sts.as_deref(),
        })
    }

    async fn sso(&self, chain: &Chain, sso: &SsoRole) -> Result<Credentials, FetchError> {
        let target = SsoTarget::from(sso);
        let need_login = |why| FetchError::NeedLogin {
            profile: chain.profile.clone(),
            why,
            target: Box::new(target.clone()),
        };
        let refreshed = self.refreshed(&target, chain).await?;
        let token = match refreshed.or(self.tokens.load(&target, self.now)?) {
            Some(token) => token,
            None if self.auto_login.is_some() => self.login(&target, None).await?,
            None => return Err(need_login("no valid sso token")),
        };
        let api = Target {
            region: &sso.region,
            endpoint: chain.endpoints.sso.as_deref(),
        };
        let mut result = self
            .aws
            .get_role_credentials(&api, &token.access_token, &sso.account_id, &sso.role_name)
            .await;
        // A token the portal rejects is dropped whatever its expiry says, and (with
        // auto-login) replaced by one new login: once, never a loop.
        if result.as_ref().err().and_then(AwsError::status) == Some(401)
            && let Some(store) = self.store
        {
            let _ = crate::sso::login::drop_rejected(store, &target, &token.access_token);
        }
        if self.auto_login.is_some()
            && result.as_ref().err().and_then(AwsError::status) == Some(401)
        {
            let token = self.login(&target, Some(&token.access_token)).await?;
            result = self
                .aws
                .get_role_credentials(&api, &token.access_token, &sso.account_id, &sso.role_name)
                .await;
        }
        match result {
            Ok(creds) => Ok(creds),
            Err(e) if e.status() == Some(401) => Err(need_login(
                "the sso token was rejected (expired or logged out)",
            )),
            Err(source) if source.status() == Some(403) => Err(FetchError::NoAccess {
                profile: chain.profile.clone(),
                account_id: sso.account_id.clone(),
                role_name: sso.role_name.clone(),
                error: Box::new(source),
            }),
            Err(source) => Err(FetchError::Aws {
                profile: chain.profile.clone(),
                error: Box::new(source),
            }),
        }
    }

    /// A refreshable token with less than 5 minutes left — kept in the store, else
    /// the AWS CLI's — refreshed (one process at a time, under the login lock; the
    /// refresh token rotates).
    async fn refreshed(
        &self,
        target: &SsoTarget,
        chain: &Chain,
    ) -> Result<Option<crate::sso::SsoToken>, FetchError> {
        use crate::sso::login;
        const AHEAD: time::Duration = time::Duration::minutes(5);
        let Some(dir) = self.lock_dir else {
            return Ok(None);
        };
        let ours = self
            .store
            .filter(|store| login::refresh_due(*store, target, AHEAD));
        // The AWS CLI's file only when it is the token that would be used: granted
        // keeps no valid one of its own (a stale CLI file is not ours to retry).
        let own_valid = || {
            self.store.is_some_and(|store| {
                matches!(
                    login::StoredTokens { store }.load(target, OffsetDateTime::now_utc()),
                    Ok(Some(_))
                )
            })
        };
        let cli = self.aws_cli.filter(|cli| {
            ours.is_none() && !own_valid() && login::aws_cli_refresh_due(cli, target, AHEAD)
        });
        if ours.is_none() && cli.is_none() {
            return Ok(None);
        }
        let key = login::token_key(&target.start_url);
        let _guard =
            crate::store::Store::lock_in(dir, Namespace::SsoTokens, key, LOGIN_LOCK_TIMEOUT)
                .map_err(|e| FetchError::Store {
                    profile: chain.profile.clone(),
                    message: e.to_string(),
                })?;
        let oidc = Target {
            region: &target.region,
            endpoint: chain.endpoints.sso_oidc.as_deref(),
        };
        // A refused refresh leaves the token as it is: still used while it is valid,
        // then a login (auto-login) or the login command.
        let refreshed = match (ours, cli) {
            (Some(store), _) => login::refresh(&self.aws, &oidc, target, store, AHEAD).await,
            (None, Some(cli)) => login::refresh_aws_cli(&self.aws, &oidc, cli, target, AHEAD).await,
            (None, None) => Ok(None),
        };
        let token = match refreshed {
            Ok(token) => token,
            Err(e) => {
                report_refresh_failure(target, &e);
                None
            }
        };
        if let Some(token) = &token {
            self.export(target, token);
        }
        Ok(token)
    }

    /// With `ExportSSOToken`: a copy for the AWS CLI (best effort, never fatal).
    fn export(&self, target: &SsoTarget, token: &crate::sso::SsoToken) {
        if let (true, Some(cli)) = (self.export_sso_token, self.aws_cli)
            && let Err(e) = cli.export(target, token)
        {
            eprintln!(
                "[!] could not export the sso token for {} to the AWS CLI cache: {e}",
                target.start_url
            );
        }
    }

    /// One device login per start URL at a time: the others wait, then use its token.
    /// `rejected` is a token the portal refused: another process's token only counts if
    /// it is a different one.
    async fn login(
        &self,
        target: &SsoTarget,
        rejected: Option<&Secret>,
    ) -> Result<crate::sso::SsoToken, FetchError> {
        let auto = self
            .auto_login
            .as_ref()
            .expect("only called with auto-login");
        let key = crate::sso::login::token_key(&target.start_url);
        let store_error = |e: crate::store::StoreError| FetchError::Store {
            profile: target.start_url.clone(),
            message: e.to_string(),
        };
        let _guard = crate::store::Store::lock_in(
            &auto.lock_dir,
            Namespace::SsoTokens,
            key,
            LOGIN_LOCK_TIMEOUT,
        )
        .map_err(store_error)?;
        if let Some(token) = self.tokens.load(target, OffsetDateTime::now_utc())?
            && Some(token.access_token.expose()) != rejected.map(Secret::expose)
        {
            return Ok(token);
        }
        let oidc = Target {
            region: &target.region,
            endpoint: auto.oidc_endpoint.as_deref(),
        };
        let token = crate::sso::login::device_login(
            &self.aws, &oidc, target, auto.store, auto.show, auto.open,
        )
        .await
        .map_err(|e| FetchError::Login {
            start_url: target.start_url.clone(),
            message: e.to_string(),
        })?;
        self.export(target, &token);
        Ok(token)
    }

    async fn static_keys(
        &self,
        chain: &Chain,
        keys: &StaticKeys,
    ) -> Result<Credentials, FetchError> {
        let creds = Credentials {
            access_key_id: keys.access_key_id.clone(),
            secret_access_key: keys.secret_access_key.clone(),
            session_token: keys.session_token.clone(),
            expiration: None,
            account_id: keys.account_id.clone(),
        };
        match &keys.mfa_serial {
            Some(serial) if chain.hops.is_empty() && creds.is_long_lived() => {
                let target = self.sts_target(chain, &keys.profile)?;
                self.mfa_session(&target, &creds, &keys.profile, serial)
                    .await
            }
            _ => Ok(creds),
        }
    }

    /// `sts:GetSessionToken` with an MFA code for long-lived keys, or the session kept
    /// from an earlier call for the same key and device.
    async fn mfa_session(
        &self,
        target: &Target<'_>,
        creds: &Credentials,
        profile: &str,
        serial: &str,
    ) -> Result<Credentials, FetchError> {
        let key = format!("{} {serial}", creds.access_key_id);
        if let Some(store) = self.store
            && let Ok(Some(kept)) = store.get(Namespace::MfaSessions, &key)
            && let Some(session) = Credentials::from_json(kept.expose())
            && session
                .expiration
                .is_some_and(|e| e - self.now > MFA_SESSION_MIN_REMAINING)
        {
            return Ok(session);
        }
        let code = self.mfa.code(profile, serial)?;
        let session = self
            .aws
            .get_session_token(target, creds, serial, &code)
            .await
            .map_err(|source| FetchError::Aws {
                profile: profile.to_owned(),
                error: Box::new(source),
            })?;
        if let Some(store) = self.store
            && let Some(json) = session.to_json()
        {
            // Not keeping it only means asking again next time.
            let _ = store.put(Namespace::MfaSessions, &key, &json);
        }
        Ok(session)
    }

    /// Keys from the encrypted store, with an MFA session when the profile has
    /// `mfa_serial` and no role follows.
    async fn stored(
        &self,
        chain: &Chain,
        profile: &str,
        mfa_serial: Option<&str>,
    ) -> Result<Credentials, FetchError> {
        let store = self.store.ok_or_else(|| FetchError::NoStore {
            profile: profile.to_owned(),
        })?;
        let creds = stored::load(store, profile)
            .map_err(|e| FetchError::Store {
                profile: profile.to_owned(),
                message: e.to_string(),
            })?
            .ok_or_else(|| FetchError::NotStored {
                profile: profile.to_owned(),
            })?;
        match mfa_serial {
            Some(serial) if chain.hops.is_empty() => {
                let target = self.sts_target(chain, profile)?;
                self.mfa_session(&target, &creds, profile, serial).await
            }
            _ => Ok(creds),
        }
    }

    fn environment(&self, profile: &str) -> Result<Credentials, FetchError> {
        let var = |name: &'static str| (self.env)(name).filter(|v| !v.is_empty());
        let missing = |missing| FetchError::Environment {
            profile: profile.to_owned(),
            missing,
        };
        Ok(Credentials {
            access_key_id: var("AWS_ACCESS_KEY_ID").ok_or_else(|| missing("AWS_ACCESS_KEY_ID"))?,
            secret_access_key: Secret::new(
                var("AWS_SECRET_ACCESS_KEY").ok_or_else(|| missing("AWS_SECRET_ACCESS_KEY"))?,
            ),
            session_token: var("AWS_SESSION_TOKEN").map(Secret::new),
            expiration: None,
            account_id: var("AWS_ACCOUNT_ID"),
        })
    }
}

/// `granted-<unix seconds>`: unique enough per call, valid for STS (`[\w+=,.@-]{2,64}`).
fn default_session_name(now: OffsetDateTime) -> String {
    format!("granted-{}", now.unix_timestamp())
}
