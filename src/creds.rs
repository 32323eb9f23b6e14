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

/// The account id inside an ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`).
pub fn account_of_arn(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

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
