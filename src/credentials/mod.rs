//! Walks a resolved [`Chain`]: gets the base credentials from its source, then assumes
//! each role with the previous link's credentials.
//!
//! One file per credential source: `sso` (GetRoleCredentials with a token from the
//! token provider), `static_keys` (keys in a profile, MFA sessions), `process`
//! (`credential_process`), `environment` (`credential_source = Environment`), `stored`
//! (keys in the encrypted store); `mfa` asks for codes. This file owns the order of
//! calls and the role hops (a long-lived key gets an MFA session through
//! `GetSessionToken` first; a temporary one passes the code to `AssumeRole`), and the
//! errors users see when a link fails. It must not parse config, choose endpoints
//! beyond what the chain says, decide about caching, or print anything.

mod environment;
pub mod mfa;
pub mod process;
mod sso;
mod static_keys;
pub mod stored;

use std::time::Duration;

use time::OffsetDateTime;

use crate::aws::{AssumeRole, Aws, AwsError, Target};
use crate::creds::Credentials;
use crate::resolve::{Base, Chain};
use crate::sso::SsoTarget;
use crate::sso::provider::{ProviderError, TokenProvider};
use crate::store::{SecretStore, StoreError};
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
    #[error("no access: profile `{profile}`: account {account_id} role {role_name}")]
    NoAccess {
        profile: String,
        account_id: String,
        role_name: String,
        #[source]
        source: Box<AwsError>,
    },
    #[error("profile `{profile}`")]
    Aws {
        profile: String,
        #[source]
        source: Box<AwsError>,
    },
    #[error("profile `{profile}`: assuming {role_arn}")]
    AssumeRole {
        profile: String,
        role_arn: String,
        #[source]
        source: Box<AwsError>,
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
    #[error("profile `{profile}`")]
    Store {
        profile: String,
        #[source]
        source: StoreError,
    },
    #[error(transparent)]
    Token(#[from] ProviderError),
    #[error(transparent)]
    Process(#[from] ProcessError),
    #[error(transparent)]
    Mfa(#[from] MfaError),
}

/// Everything a fetch may use besides the chain.
pub struct Fetcher<'a> {
    pub aws: &'a Aws,
    /// SSO tokens: lookup, refresh, login.
    pub tokens: &'a TokenProvider<'a>,
    pub mfa: &'a dyn MfaPrompt,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub now: OffsetDateTime,
    pub process_timeout: Duration,
    /// The encrypted store: MFA sessions are kept there between calls (`None`: ask
    /// for a code every time), and `Base::Stored` keys are read from it.
    pub store: Option<&'a dyn SecretStore>,
}

impl Fetcher<'_> {
    /// The credentials at the end of the chain.
    pub async fn fetch(&self, chain: &Chain) -> Result<Credentials, FetchError> {
        let mut creds = match &chain.base {
            Base::Sso(sso) => self.sso(chain, sso).await?,
            Base::Static(keys) => self.static_keys(chain, keys).await?,
            Base::Process(source) => {
                process::run(source, self.process_timeout, self.now, self.env)?
            }
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
                    source: Box::new(source),
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
}

/// `granted-<unix seconds>`: unique enough per call, valid for STS (`[\w+=,.@-]{2,64}`).
fn default_session_name(now: OffsetDateTime) -> String {
    format!("granted-{}", now.unix_timestamp())
}
