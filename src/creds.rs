//! The [`Credentials`] value every source produces and every face prints.
//!
//! Owns the shape of a set of AWS credentials and its redacted `Debug`. It must not know
//! where credentials come from or how they are printed.

use time::OffsetDateTime;

use crate::secret::Secret;

/// AWS credentials. `Debug` never shows the secret key or the session token.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// `None` for long-lived IAM user keys.
    pub session_token: Option<Secret>,
    /// `None` when the credentials don't expire.
    pub expiration: Option<OffsetDateTime>,
    pub account_id: Option<String>,
}

impl Credentials {
    /// Long-lived keys (no session token) can call `sts:GetSessionToken`.
    pub fn is_long_lived(&self) -> bool {
        self.session_token.is_none()
    }
}

/// The stored form of [`Credentials`] (inside the encrypted store only), shared by the
/// credential cache and MFA sessions.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredCredentials {
    access_key_id: String,
    secret_access_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session_token: Option<String>,
    expiration: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account_id: Option<String>,
}

impl StoredCredentials {
    /// `None` for credentials that don't expire: they are never kept.
    pub(crate) fn from_credentials(c: &Credentials) -> Option<StoredCredentials> {
        Some(StoredCredentials {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret_access_key.expose().to_owned(),
            session_token: c.session_token.as_ref().map(|t| t.expose().to_owned()),
            expiration: c.expiration?.unix_timestamp(),
            account_id: c.account_id.clone(),
        })
    }

    /// `None` when anything is missing or malformed.
    pub(crate) fn into_credentials(self) -> Option<Credentials> {
        if self.access_key_id.is_empty() || self.secret_access_key.is_empty() {
            return None;
        }
        Some(Credentials {
            access_key_id: self.access_key_id,
            secret_access_key: Secret::new(self.secret_access_key),
            session_token: self.session_token.map(Secret::new),
            expiration: Some(OffsetDateTime::from_unix_timestamp(self.expiration).ok()?),
            account_id: self.account_id,
        })
    }
}

impl Credentials {
    /// JSON for the encrypted store; `None` for credentials that don't expire.
    pub fn to_json(&self) -> Option<String> {
        serde_json::to_string(&StoredCredentials::from_credentials(self)?).ok()
    }

    /// The reverse of [`Credentials::to_json`]; anything malformed is `None`.
    pub fn from_json(text: &str) -> Option<Credentials> {
        serde_json::from_str::<StoredCredentials>(text)
            .ok()?
            .into_credentials()
    }
}

/// The account id inside an ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`).
pub fn account_of_arn(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_only_for_expiring_credentials() {
        let mut c = Credentials {
            access_key_id: "ASIA".into(),
            secret_access_key: Secret::new("s"),
            session_token: Some(Secret::new("t")),
            expiration: Some(OffsetDateTime::from_unix_timestamp(1_900_000_000).unwrap()),
            account_id: None,
        };
        assert_eq!(
            Credentials::from_json(&c.to_json().unwrap()),
            Some(c.clone())
        );
        assert_eq!(Credentials::from_json("{}"), None);
        c.expiration = None;
        assert_eq!(c.to_json(), None);
    }

    #[test]
    fn account_ids_from_arns() {
        assert_eq!(
            account_of_arn("arn:aws:iam::123456789012:role/x"),
            Some("123456789012")
        );
        assert_eq!(
            account_of_arn("arn:aws:sts::210987654321:assumed-role/R/s"),
            Some("210987654321")
        );
        assert_eq!(account_of_arn("arn:aws:iam::12:role/x"), None);
        assert_eq!(account_of_arn("nope"), None);
    }
}
