//! SSO access tokens: where they come from.
//!
//! Owns the [`TokenSource`] trait that every token store plugs into, the
//! [`AwsCliCache`] source that reads the token `aws sso login` leaves in
//! `~/.aws/sso/cache/<sha1>.json`, the device login and refresh (`login`), and the
//! [`provider::TokenProvider`] that puts them in order (lookup → refresh → login) for
//! any command. It must not resolve profiles or print a token; a token only leaves
//! this module as a [`Secret`].

mod aws_cli_cache;
pub mod login;
pub mod provider;

pub use aws_cli_cache::AwsCliCache;

use time::OffsetDateTime;

use crate::resolve::SsoRole;
use crate::secret::Secret;

/// What a token is for: the IAM Identity Center instance (start URL + region) and,
/// for `[sso-session]` profiles, the session name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoTarget {
    pub start_url: String,
    pub region: String,
    pub session_name: Option<String>,
    pub scopes: Vec<String>,
}

impl From<&SsoRole> for SsoTarget {
    fn from(role: &SsoRole) -> SsoTarget {
        SsoTarget {
            start_url: role.start_url.clone(),
            region: role.region.clone(),
            session_name: role.session_name.clone(),
            scopes: role.scopes.clone(),
        }
    }
}

impl SsoTarget {
    /// The command that logs in for this target (Granted's wording, which users search).
    pub fn login_command(&self) -> String {
        let mut cmd = format!(
            "granted sso login --sso-start-url {} --sso-region {}",
            self.start_url, self.region
        );
        for scope in &self.scopes {
            cmd.push_str(" --sso-scope ");
            cmd.push_str(scope);
        }
        cmd
    }
}

/// An SSO access token, valid until `expires_at`.
#[derive(Debug, Clone)]
pub struct SsoToken {
    pub access_token: Secret,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("could not read the sso token cache {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the sso token cache {path} is a link, a pipe, a device or too large; only a regular file is read"
    )]
    NotAFile { path: String },
}

/// A place SSO tokens are found. `load` returns only a token that is still valid at
/// `now`; `None` means "log in".
pub trait TokenSource {
    fn load(&self, target: &SsoTarget, now: OffsetDateTime)
    -> Result<Option<SsoToken>, TokenError>;
}

/// A token is used only while at least this long remains.
pub const TOKEN_MIN_REMAINING: time::Duration = time::Duration::seconds(30);
