//! Long-lived IAM keys kept in the encrypted store (`granted credentials add`), under
//! the `iam-credentials` storage keyed by profile name: their stored form, and the
//! source that serves them (with an MFA session when the profile asks for one).

use serde::{Deserialize, Serialize};

use crate::creds::Credentials;
use crate::secret::Secret;
use crate::store::{Namespace, SecretStore, StoreError};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Keys {
    access_key_id: String,
    secret_access_key: String,
}

/// The keys stored for `profile`.
pub fn load(store: &dyn SecretStore, profile: &str) -> Result<Option<Credentials>, StoreError> {
    let Some(text) = store.get(Namespace::IamCredentials, profile)? else {
        return Ok(None);
    };
    let Ok(keys) = serde_json::from_str::<Keys>(text.expose()) else {
        return Ok(None);
    };
    Ok(Some(Credentials {
        access_key_id: keys.access_key_id,
        secret_access_key: Secret::new(keys.secret_access_key),
        session_token: None,
        expiration: None,
        account_id: None,
    }))
}

/// Stores (or replaces) the keys for `profile`.
pub fn save(
    store: &dyn SecretStore,
    profile: &str,
    access_key_id: &str,
    secret: &Secret,
) -> Result<(), StoreError> {
    let keys = Keys {
        access_key_id: access_key_id.to_owned(),
        secret_access_key: secret.expose().to_owned(),
    };
    // Held as a Secret so the JSON is wiped when dropped.
    let json = Secret::new(serde_json::to_string(&keys).expect("strings serialise"));
    store.put(Namespace::IamCredentials, profile, json.expose())
}

impl super::Fetcher<'_> {
    /// Keys from the encrypted store, with an MFA session when the profile has
    /// `mfa_serial` and no role follows.
    pub(super) async fn stored(
        &self,
        chain: &crate::resolve::Chain,
        profile: &str,
        mfa_serial: Option<&str>,
    ) -> Result<Credentials, super::FetchError> {
        use super::FetchError;
        let store = self.store.ok_or_else(|| FetchError::NoStore {
            profile: profile.to_owned(),
        })?;
        let creds = load(store, profile)
            .map_err(|source| FetchError::Store {
                profile: profile.to_owned(),
                source,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    #[test]
    fn round_trip() {
        let store = MemoryStore::default();
        assert!(load(&store, "p").unwrap().is_none());
        save(&store, "p", "AKIAX", &Secret::new("s3cret")).unwrap();
        let c = load(&store, "p").unwrap().unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.secret_access_key.expose()),
            ("AKIAX", "s3cret")
        );
        assert!(c.is_long_lived());
    }
}
