//! IAM Identity Center device-code login, and the tokens it leaves in the encrypted
//! store (storage `sso-tokens`, keyed by start URL so that every profile on that
//! instance — legacy `sso_*`, `granted_sso_*` or through an `[sso-session]` — finds the
//! one login).
//!
//! Owns the order of the OIDC calls (RegisterClient → StartDeviceAuthorization → poll
//! CreateToken at the given interval, `slow_down` adding 5 s) and the token's stored
//! form. It must not choose a browser or print: the caller passes `show` and `open`.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{SsoTarget, SsoToken, TOKEN_MIN_REMAINING, TokenError, TokenSource};
use crate::aws::{Aws, AwsError, Poll, Target};
use crate::secret::Secret;
use crate::store::{Namespace, SecretStore, StoreError};

/// The legacy, non-refreshable scope Granted registers with when none is configured.
pub const LEGACY_SCOPE: &str = "sso-portal:*";

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("{0}")]
    Aws(#[from] AwsError),
    #[error("the device code for {start_url} expired before it was approved; run the login again")]
    Expired { start_url: String },
    #[error("could not keep the sso token: {0}")]
    Store(#[from] StoreError),
}

/// The store key for a start URL: the URL without a trailing `/`.
pub fn token_key(start_url: &str) -> &str {
    start_url.trim_end_matches('/')
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    start_url: String,
    region: String,
    access_token: String,
    expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    client_id: String,
    client_secret: String,
    registration_expires_at: i64,
    scopes: Vec<String>,
}

/// Logs in with the device code: `show(url, code)` tells the user, `open(url)` tries
/// a browser; then polls until the user approves or the code expires. The token is
/// kept in `store` and returned.
pub async fn device_login(
    aws: &Aws,
    oidc: &Target<'_>,
    target: &SsoTarget,
    store: &dyn SecretStore,
    show: &dyn Fn(&str, &str),
    open: &dyn Fn(&str),
) -> Result<SsoToken, LoginError> {
    let scopes = if target.scopes.is_empty() {
        vec![LEGACY_SCOPE.to_owned()]
    } else {
        target.scopes.clone()
    };
    let registration = aws.register_client(oidc, &scopes).await?;
    let device = aws
        .start_device_authorization(oidc, &registration, &target.start_url)
        .await?;
    show(&device.verification_uri_complete, &device.user_code);
    open(&device.verification_uri_complete);
    let deadline = tokio::time::Instant::now() + device.expires_in;
    let mut interval = device.interval;
    let (access_token, expires_in, refresh_token) = loop {
        tokio::time::sleep(interval).await;
        if tokio::time::Instant::now() > deadline {
            return Err(LoginError::Expired {
                start_url: target.start_url.clone(),
            });
        }
        match aws.poll_device_token(oidc, &registration, &device).await? {
            Poll::Token {
                access_token,
                expires_in,
                refresh_token,
            } => break (access_token, expires_in, refresh_token),
            Poll::Pending => {}
            Poll::SlowDown => interval += Duration::from_secs(5),
        }
    };
    let expires_at = OffsetDateTime::now_utc() + expires_in;
    let stored = Stored {
        start_url: target.start_url.clone(),
        region: target.region.clone(),
        access_token: access_token.expose().to_owned(),
        expires_at: expires_at.unix_timestamp(),
        refresh_token: refresh_token.map(|t| t.expose().to_owned()),
        client_id: registration.client_id,
        client_secret: registration.client_secret.expose().to_owned(),
        registration_expires_at: registration.expires_at.unix_timestamp(),
        scopes,
    };
    let json = Secret::new(serde_json::to_string(&stored).expect("strings serialise"));
    store.put(
        Namespace::SsoTokens,
        token_key(&target.start_url),
        json.expose(),
    )?;
    Ok(SsoToken {
        access_token,
        expires_at,
    })
}

/// Tokens from `granted sso login`, kept in the encrypted store.
pub struct StoredTokens<'a> {
    pub store: &'a dyn SecretStore,
}

impl TokenSource for StoredTokens<'_> {
    fn load(
        &self,
        target: &SsoTarget,
        now: OffsetDateTime,
    ) -> Result<Option<SsoToken>, TokenError> {
        let Ok(Some(text)) = self
            .store
            .get(Namespace::SsoTokens, token_key(&target.start_url))
        else {
            return Ok(None);
        };
        let Ok(stored) = serde_json::from_str::<Stored>(text.expose()) else {
            return Ok(None);
        };
        let Ok(expires_at) = OffsetDateTime::from_unix_timestamp(stored.expires_at) else {
            return Ok(None);
        };
        if expires_at - now < TOKEN_MIN_REMAINING || stored.access_token.is_empty() {
            return Ok(None);
        }
        Ok(Some(SsoToken {
            access_token: Secret::new(stored.access_token),
            expires_at,
        }))
    }
}

/// The first source that has a valid token.
pub struct FirstOf<'a>(pub Vec<&'a dyn TokenSource>);

impl TokenSource for FirstOf<'_> {
    fn load(
        &self,
        target: &SsoTarget,
        now: OffsetDateTime,
    ) -> Result<Option<SsoToken>, TokenError> {
        for source in &self.0 {
            if let Some(token) = source.load(target, now)? {
                return Ok(Some(token));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn target(url: &str) -> SsoTarget {
        SsoTarget {
            start_url: url.into(),
            region: "us-east-1".into(),
            session_name: None,
            scopes: vec![],
        }
    }

    #[test]
    fn stored_tokens_are_found_by_start_url_with_or_without_slash() {
        let store = MemoryStore::default();
        let now = OffsetDateTime::now_utc();
        let stored = Stored {
            start_url: "https://x.awsapps.com/start/".into(),
            region: "us-east-1".into(),
            access_token: "tok".into(),
            expires_at: (now + time::Duration::hours(1)).unix_timestamp(),
            refresh_token: None,
            client_id: "c".into(),
            client_secret: "s".into(),
            registration_expires_at: 0,
            scopes: vec![LEGACY_SCOPE.into()],
        };
        store
            .put(
                Namespace::SsoTokens,
                token_key(&stored.start_url),
                &serde_json::to_string(&stored).unwrap(),
            )
            .unwrap();
        let source = StoredTokens { store: &store };
        for url in [
            "https://x.awsapps.com/start",
            "https://x.awsapps.com/start/",
        ] {
            assert_eq!(
                source
                    .load(&target(url), now)
                    .unwrap()
                    .unwrap()
                    .access_token
                    .expose(),
                "tok"
            );
        }
        assert!(source.load(&target(url_other()), now).unwrap().is_none());
        assert!(
            source
                .load(
                    &target("https://x.awsapps.com/start"),
                    now + time::Duration::hours(2)
                )
                .unwrap()
                .is_none()
        );
    }

    fn url_other() -> &'static str {
        "https://other.awsapps.com/start"
    }
}
