//! The SSO source: `sso:GetRoleCredentials` with a token from the
//! [`TokenProvider`](crate::sso::provider::TokenProvider).
//!
//! Owns what a portal answer means for the user: 401 (the token is forgotten and, with
//! auto-login, replaced once), 403 (no access to that account and role). It must not
//! look tokens up or log in itself.

use super::{FetchError, Fetcher};
use crate::aws::{AwsError, Target};
use crate::creds::Credentials;
use crate::resolve::{Chain, SsoRole};
use crate::sso::SsoTarget;

impl Fetcher<'_> {
    pub(super) async fn sso(
        &self,
        chain: &Chain,
        sso: &SsoRole,
    ) -> Result<Credentials, FetchError> {
        let target = SsoTarget::from(sso);
        let need_login = |why| FetchError::NeedLogin {
            profile: chain.profile.clone(),
            why,
            target: Box::new(target.clone()),
        };
        let oidc = chain.endpoints.sso_oidc.as_deref();
        let Some(token) = self.tokens.token(&target, oidc).await? else {
            return Err(need_login("no valid sso token"));
        };
        let api = Target {
            region: &sso.region,
            endpoint: chain.endpoints.sso.as_deref(),
        };
        let mut result = self
            .aws
            .get_role_credentials(&api, &token.access_token, &sso.account_id, &sso.role_name)
            .await;
        if result.as_ref().err().and_then(AwsError::status) == Some(401)
            && let Some(fresh) = self
                .tokens
                .replace_rejected(&target, &token.access_token, oidc)
                .await?
        {
            result = self
                .aws
                .get_role_credentials(&api, &fresh.access_token, &sso.account_id, &sso.role_name)
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
                source: Box::new(source),
            }),
            Err(source) => Err(FetchError::Aws {
                profile: chain.profile.clone(),
                source: Box::new(source),
            }),
        }
    }
}
