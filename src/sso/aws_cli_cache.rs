//! The AWS CLI's SSO token cache: `~/.aws/sso/cache/<hex sha1>.json`.
//!
//! The file name is the SHA-1 of the `sso_session` name, or of the exact start URL for
//! legacy profiles. We compute the names and open those files only; the folder is
//! never scanned. A file that is missing, unreadable as JSON, for another start URL, or
//! expired is "no token".

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha1::{Digest, Sha1};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{SsoTarget, SsoToken, TOKEN_MIN_REMAINING, TokenError, TokenSource};
use crate::secret::Secret;

/// Reads tokens from `<dir>/<sha1>.json`; `dir` is normally `~/.aws/sso/cache`.
pub struct AwsCliCache {
    dir: PathBuf,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CacheFile {
    access_token: Option<String>,
    expires_at: Option<String>,
    start_url: Option<String>,
}

impl AwsCliCache {
    pub fn new(dir: impl Into<PathBuf>) -> AwsCliCache {
        AwsCliCache { dir: dir.into() }
    }

    /// `~/.aws/sso/cache` under `home`.
    pub fn under_home(home: &Path) -> AwsCliCache {
        AwsCliCache::new(home.join(".aws").join("sso").join("cache"))
    }

    /// The file the AWS CLI writes for this session name or start URL.
    pub fn file_name(key: &str) -> String {
        let digest = Sha1::digest(key.as_bytes());
        let mut name = String::with_capacity(45);
        for byte in digest {
            name.push_str(&format!("{byte:02x}"));
        }
        name.push_str(".json");
        name
    }

    /// Candidate keys, most specific first: the session name, then the start URL as
    /// written, then the same URL with or without a trailing `/` (Granted trims it, the
    /// CLI hashes the exact string).
    fn keys(target: &SsoTarget) -> Vec<String> {
        let mut keys = Vec::with_capacity(3);
        if let Some(session) = &target.session_name {
            keys.push(session.clone());
        }
        keys.push(target.start_url.clone());
        match target.start_url.strip_suffix('/') {
            Some(trimmed) => keys.push(trimmed.to_owned()),
            None => keys.push(format!("{}/", target.start_url)),
        }
        keys
    }

    fn read(
        &self,
        key: &str,
        target: &SsoTarget,
        now: OffsetDateTime,
    ) -> Result<Option<SsoToken>, TokenError> {
        let path = self.dir.join(Self::file_name(key));
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(TokenError::Io {
                    path: path.display().to_string(),
                    message: e.to_string(),
                });
            }
        };
        let Ok(file) = serde_json::from_slice::<CacheFile>(&bytes) else {
            return Ok(None);
        };
        let (Some(token), Some(expires_at)) = (file.access_token, file.expires_at) else {
            return Ok(None);
        };
        if let Some(url) = &file.start_url
            && url.trim_end_matches('/') != target.start_url.trim_end_matches('/')
        {
            return Ok(None);
        }
        let Some(expires_at) = parse_expiry(&expires_at) else {
            return Ok(None);
        };
        if expires_at - now < TOKEN_MIN_REMAINING || token.is_empty() {
            return Ok(None);
        }
        Ok(Some(SsoToken {
            access_token: Secret::new(token),
            expires_at,
        }))
    }
}

/// RFC 3339, plus the `...UTC` suffix older CLIs wrote.
fn parse_expiry(value: &str) -> Option<OffsetDateTime> {
    let value = value.trim();
    if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
        return Some(t);
    }
    let fixed = value.strip_suffix("UTC").map(|v| format!("{v}Z"))?;
    OffsetDateTime::parse(&fixed, &Rfc3339).ok()
}

impl TokenSource for AwsCliCache {
    fn load(
        &self,
        target: &SsoTarget,
        now: OffsetDateTime,
    ) -> Result<Option<SsoToken>, TokenError> {
        for key in Self::keys(target) {
            if let Some(token) = self.read(&key, target, now)? {
                return Ok(Some(token));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn target(url: &str, session: Option<&str>) -> SsoTarget {
        SsoTarget {
            start_url: url.into(),
            region: "us-east-1".into(),
            session_name: session.map(str::to_owned),
            scopes: vec![],
        }
    }

    #[test]
    fn file_names_match_the_aws_cli() {
        // Python: hashlib.sha1(b"my-sso").hexdigest(), as botocore names the file.
        assert_eq!(
            AwsCliCache::file_name("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json"
        );
        assert_eq!(
            AwsCliCache::file_name("https://my-sso-portal.awsapps.com/start"),
            "c7aaaf71fcc8777ae2475525ed049d39fe16c484.json"
        );
    }

    fn write(dir: &Path, key: &str, body: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(AwsCliCache::file_name(key)), body).unwrap();
    }

    #[test]
    fn reads_session_and_legacy_files_and_honours_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let cache = AwsCliCache::new(dir.path());
        let now = datetime!(2026-11-26 05:00:00 UTC);
        let url = "https://corp.awsapps.com/start";
        assert!(
            cache
                .load(&target(url, Some("corp")), now)
                .unwrap()
                .is_none(),
            "no file yet"
        );

        write(
            dir.path(),
            "corp",
            r#"{"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":"tok-session","expiresAt":"2026-11-26T06:00:00Z"}"#,
        );
        let token = cache
            .load(&target(url, Some("corp")), now)
            .unwrap()
            .unwrap();
        assert_eq!(token.access_token.expose(), "tok-session");
        assert!(
            cache.load(&target(url, None), now).unwrap().is_none(),
            "a legacy profile hashes the URL, not the session"
        );

        write(
            dir.path(),
            url,
            r#"{"startUrl":"https://corp.awsapps.com/start","accessToken":"tok-legacy","expiresAt":"2026-11-26T05:00:10Z"}"#,
        );
        assert!(
            cache.load(&target(url, None), now).unwrap().is_none(),
            "10 s left is too little"
        );
        write(
            dir.path(),
            url,
            r#"{"startUrl":"https://corp.awsapps.com/start","accessToken":"tok-legacy","expiresAt":"2026-11-26T05:30:00UTC"}"#,
        );
        assert_eq!(
            cache
                .load(&target(url, None), now)
                .unwrap()
                .unwrap()
                .access_token
                .expose(),
            "tok-legacy"
        );
        // A trailing slash in the profile still finds the file named after the URL without it.
        assert_eq!(
            cache
                .load(&target(&format!("{url}/"), None), now)
                .unwrap()
                .unwrap()
                .access_token
                .expose(),
            "tok-legacy"
        );
    }

    #[test]
    fn foreign_or_broken_files_are_no_token() {
        let dir = tempfile::tempdir().unwrap();
        let cache = AwsCliCache::new(dir.path());
        let now = datetime!(2026-11-26 05:00:00 UTC);
        write(
            dir.path(),
            "s",
            r#"{"startUrl":"https://other.awsapps.com/start","accessToken":"x","expiresAt":"2026-11-26T06:00:00Z"}"#,
        );
        assert!(
            cache
                .load(&target("https://corp.awsapps.com/start", Some("s")), now)
                .unwrap()
                .is_none()
        );
        write(dir.path(), "s", "{not json");
        assert!(
            cache
                .load(&target("https://corp.awsapps.com/start", Some("s")), now)
                .unwrap()
                .is_none()
        );
        write(
            dir.path(),
            "s",
            r#"{"accessToken":"x","expiresAt":"tomorrow"}"#,
        );
        assert!(
            cache
                .load(&target("https://corp.awsapps.com/start", Some("s")), now)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn login_command_is_granteds() {
        let mut t = target("https://corp.awsapps.com/start", None);
        assert_eq!(
            t.login_command(),
            "granted sso login --sso-start-url https://corp.awsapps.com/start --sso-region us-east-1"
        );
        t.scopes = vec!["sso:account:access".into()];
        assert!(
            t.login_command()
                .ends_with("--sso-scope sso:account:access")
        );
    }
}
