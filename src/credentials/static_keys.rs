//! Long-lived or session keys written in a profile, and the MFA session
//! (`sts:GetSessionToken`) that long-lived keys with `mfa_serial` get.
//!
//! Owns the reuse of MFA sessions (kept encrypted, reused while more than 20 minutes
//! remain, so the code is asked for once per key and device). It must not read files.

use super::{FetchError, Fetcher};
use crate::aws::Target;
use crate::creds::Credentials;
use crate::resolve::{Chain, StaticKeys};
use crate::store::Namespace;

/// An MFA session is reused while more than this remains.
const MFA_SESSION_MIN_REMAINING: time::Duration = time::Duration::minutes(20);

impl Fetcher<'_> {
    pub(super) async fn static_keys(
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
    pub(super) async fn mfa_session(
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
                source: Box::new(source),
            })?;
        if let Some(store) = self.store
            && let Some(json) = session.to_json()
        {
            // Not keeping it only means asking again next time.
            let _ = store.put(Namespace::MfaSessions, &key, &json);
        }
        Ok(session)
    }
}
