//! `credential_source = Environment`: the keys in `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) of the run's environment.
//!
//! It must not read the process environment itself: the lookup comes with the fetch.

use super::{FetchError, Fetcher};
use crate::creds::Credentials;
use crate::secret::Secret;

impl Fetcher<'_> {
    pub(super) fn environment(&self, profile: &str) -> Result<Credentials, FetchError> {
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
