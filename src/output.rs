//! The `credential_process` JSON (Version 1) the AWS CLI and SDKs read.
//!
//! Owns the exact shape: one line, fields in the documented order, `SessionToken` and
//! `Expiration` left out for long-lived keys, `Expiration` in UTC with `Z` and whole
//! seconds, `AccountId` when known. Pure: data in, text out.

use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::creds::Credentials;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Output<'a> {
    version: u8,
    access_key_id: &'a str,
    secret_access_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<&'a str>,
}

/// `2026-11-26T05:20:42Z`.
pub fn utc_rfc3339(t: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .expect("a date in range formats")
}

/// The JSON line, with its trailing newline.
pub fn credential_process_json(creds: &Credentials) -> String {
    let out = Output {
        version: 1,
        access_key_id: &creds.access_key_id,
        secret_access_key: creds.secret_access_key.expose(),
        session_token: creds.session_token.as_ref().map(|t| t.expose()),
        expiration: creds.expiration.map(utc_rfc3339),
        account_id: creds.account_id.as_deref(),
    };
    let mut line = serde_json::to_string(&out).expect("plain strings serialise");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::secret::Secret;

    #[test]
    fn temporary_credentials_in_order_with_utc_expiration() {
        let creds = Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("se\"cret"),
            session_token: Some(Secret::new("tok")),
            expiration: Some(datetime!(2026-11-26 16:20:42.789 +11:00)),
            account_id: Some("123456789012".into()),
        };
        assert_eq!(
            credential_process_json(&creds),
            "{\"Version\":1,\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"se\\\"cret\",\"SessionToken\":\"tok\",\"Expiration\":\"2026-11-26T05:20:42Z\",\"AccountId\":\"123456789012\"}\n"
        );
    }

    #[test]
    fn long_lived_keys_leave_out_token_and_expiration() {
        let creds = Credentials {
            access_key_id: "AKIAEXAMPLE".into(),
            secret_access_key: Secret::new("s"),
            session_token: None,
            expiration: None,
            account_id: None,
        };
        assert_eq!(
            credential_process_json(&creds),
            "{\"Version\":1,\"AccessKeyId\":\"AKIAEXAMPLE\",\"SecretAccessKey\":\"s\"}\n"
        );
    }
}
