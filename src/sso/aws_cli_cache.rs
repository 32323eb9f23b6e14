//! The AWS CLI's SSO token cache: `~/.aws/sso/cache/<hex sha1>.json`.
//!
//! The file name is the SHA-1 of the `sso_session` name, or of the exact start URL for
//! legacy profiles. We compute the names and open those files only; the folder is
//! never scanned. A file that is missing, unreadable as JSON, for another start URL or
//! other scopes, or expired is "no token". The folder is shared with other tools, so a
//! file is read only when it is a small regular file: a symlink, FIFO or device there
//! is an error that names it (never followed or waited on).
//!
//! Also owns the two writes into that folder, both atomic (temp file + rename, 0600):
//! a refreshed token written back into the CLI's own file (every other field kept),
//! and the opt-in export of our token. It must not call the network: the refresh
//! itself is `sso::login`'s.

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
    scopes: Option<Vec<String>>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    registration_expires_at: Option<String>,
}

/// A token file whose token the AWS CLI (and we) can refresh: it carries a refresh
/// token and a client registration that has not expired.
pub struct RefreshableFile {
    pub path: PathBuf,
    pub expires_at: OffsetDateTime,
    pub refresh_token: Secret,
    pub client_id: String,
    pub client_secret: Secret,
    pub registration_expires_at: OffsetDateTime,
    /// Every field as read, so a write-back keeps what we don't know.
    fields: serde_json::Map<String, serde_json::Value>,
}

impl std::fmt::Debug for RefreshableFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshableFile")
            .field("path", &self.path)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
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

    /// The file's JSON, or `None` when it doesn't exist. Read like a store item
    /// ([`crate::sys::fs::read_if_exists`]): a symlink, a FIFO, a device or a file over
    /// 1 MiB (the CLI's are a few KiB) is an error naming the file, never followed,
    /// waited on or read whole. A file that isn't JSON is read once more after a moment:
    /// the AWS CLI rewrites it in place (truncate, then write), so a reader can catch it
    /// half-written.
    fn read_json(&self, path: &Path) -> Result<Option<serde_json::Value>, TokenError> {
        for attempt in 0..2 {
            let bytes = match crate::sys::fs::read_if_exists(path) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => return Ok(None),
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    return Err(TokenError::NotAFile {
                        path: path.display().to_string(),
                    });
                }
                Err(e) => {
                    return Err(TokenError::Io {
                        path: path.display().to_string(),
                        source: e,
                    });
                }
            };
            match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(value) => return Ok(Some(value)),
                Err(_) if attempt == 0 => std::thread::sleep(std::time::Duration::from_millis(25)),
                Err(_) => {}
            }
        }
        Ok(None)
    }

    /// The file for `key`, if it is for this target: it names the same start URL
    /// (trailing `/` aside) and, when it names its scopes, the target's scopes — or,
    /// for a target without any, IAM Identity Center ones (other tools — AWS Toolkit,
    /// Amazon Q — share the folder with tokens of their own).
    fn matching(
        &self,
        key: &str,
        target: &SsoTarget,
    ) -> Result<Option<(PathBuf, serde_json::Value, CacheFile)>, TokenError> {
        let path = self.dir.join(Self::file_name(key));
        let Some(value) = self.read_json(&path)? else {
            return Ok(None);
        };
        let Ok(file) = serde_json::from_value::<CacheFile>(value.clone()) else {
            return Ok(None);
        };
        match &file.start_url {
            Some(url) if url.trim_end_matches('/') == target.start_url.trim_end_matches('/') => {}
            _ => return Ok(None),
        }
        if let Some(scopes) = &file.scopes {
            let fits = if target.scopes.is_empty() {
                // No scopes configured: an IAM Identity Center token (sso:… or the
                // legacy sso-portal:*), not a tool's own (codewhisperer:…).
                scopes
                    .iter()
                    .any(|s| s.starts_with("sso:") || s.starts_with("sso-portal:"))
            } else {
                let mut have = scopes.clone();
                let mut want = target.scopes.clone();
                have.sort();
                want.sort();
                have == want
            };
            if !fits {
                return Ok(None);
            }
        }
        Ok(Some((path, value, file)))
    }

    fn read(
        &self,
        key: &str,
        target: &SsoTarget,
        now: OffsetDateTime,
    ) -> Result<Option<SsoToken>, TokenError> {
        let Some((_, _, file)) = self.matching(key, target)? else {
            return Ok(None);
        };
        let (Some(token), Some(expires_at)) = (file.access_token, file.expires_at) else {
            return Ok(None);
        };
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

    /// The first of this target's files that can be refreshed (refresh token, client id
    /// and secret present, registration not expired at `now`).
    pub fn refreshable(
        &self,
        target: &SsoTarget,
        now: OffsetDateTime,
    ) -> Result<Option<RefreshableFile>, TokenError> {
        for key in Self::keys(target) {
            let Some((path, value, file)) = self.matching(&key, target)? else {
                continue;
            };
            let (
                Some(refresh_token),
                Some(client_id),
                Some(client_secret),
                Some(registration_expires_at),
            ) = (
                file.refresh_token,
                file.client_id,
                file.client_secret,
                file.registration_expires_at
                    .as_deref()
                    .and_then(parse_expiry),
            )
            else {
                continue;
            };
            if registration_expires_at <= now || refresh_token.is_empty() {
                continue;
            }
            let expires_at = file
                .expires_at
                .as_deref()
                .and_then(parse_expiry)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH);
            let serde_json::Value::Object(fields) = value else {
                continue;
            };
            return Ok(Some(RefreshableFile {
                path,
                expires_at,
                refresh_token: Secret::new(refresh_token),
                client_id,
                client_secret: Secret::new(client_secret),
                registration_expires_at,
                fields,
            }));
        }
        Ok(None)
    }

    /// Writes a refreshed token back into `file`, as the AWS CLI does: the new access
    /// token and expiry, the rotated refresh token (the old one stays if none came),
    /// every other field kept. Atomic, mode 0600.
    pub fn write_refreshed(
        &self,
        file: &RefreshableFile,
        token: &SsoToken,
        rotated: Option<&Secret>,
    ) -> std::io::Result<()> {
        let mut fields = file.fields.clone();
        if let Some(rotated) = rotated {
            fields.insert("refreshToken".into(), rotated.expose().to_owned().into());
        }
        write_token(&file.path, fields, token)
    }

    /// Copies a token into the file the AWS CLI reads for `target` (opt-in:
    /// `ExportSSOToken`, `--export-sso-token`): named after the session name, else the
    /// start URL as configured; atomic, mode 0600, folder 0700. A file already there
    /// for the same start URL keeps its other fields (a refresh token the CLI can
    /// still use, say); one for another start URL is replaced whole.
    pub fn export(&self, target: &SsoTarget, token: &SsoToken) -> std::io::Result<PathBuf> {
        let key = target.session_name.as_deref().unwrap_or(&target.start_url);
        let path = self.dir.join(Self::file_name(key));
        crate::sys::fs::ensure_private_dir(&self.dir)?;
        let mut fields = match self.read_json(&path) {
            Ok(Some(serde_json::Value::Object(fields)))
                if fields
                    .get("startUrl")
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|u| {
                        u.trim_end_matches('/') == target.start_url.trim_end_matches('/')
                    }) =>
            {
                fields
            }
            _ => serde_json::Map::new(),
        };
        fields.insert("startUrl".into(), target.start_url.clone().into());
        fields.insert("region".into(), target.region.clone().into());
        write_token(&path, fields, token)?;
        Ok(path)
    }
}

/// `fields` with the token's `accessToken` and `expiresAt` (the CLI's
/// `YYYY-MM-DDTHH:MM:SSZ`), written to `path` atomically, mode 0600.
fn write_token(
    path: &Path,
    mut fields: serde_json::Map<String, serde_json::Value>,
    token: &SsoToken,
) -> std::io::Result<()> {
    fields.insert(
        "accessToken".into(),
        token.access_token.expose().to_owned().into(),
    );
    fields.insert(
        "expiresAt".into(),
        crate::output::utc_rfc3339(token.expires_at).into(),
    );
    let json = Secret::new(
        serde_json::to_string_pretty(&serde_json::Value::Object(fields))
            .expect("JSON values serialise"),
    );
    crate::sys::fs::write_atomic(path, json.expose().as_bytes())
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

    /// `load` on another thread, so that a read that blocks fails the test instead
    /// of hanging it.
    fn load_within_seconds(
        cache: AwsCliCache,
        target: SsoTarget,
    ) -> Result<Option<SsoToken>, TokenError> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(cache.load(&target, datetime!(2026-11-26 05:00:00 UTC)));
        });
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the read does not block")
    }

    #[cfg(unix)]
    #[test]
    fn links_and_fifos_in_the_shared_folder_are_refused_by_name() {
        let url = "https://corp.awsapps.com/start";
        let body = r#"{"startUrl":"https://corp.awsapps.com/start","accessToken":"tok-elsewhere","expiresAt":"2026-11-26T06:00:00Z"}"#;

        // A FIFO: opening it for reading would wait for a writer for ever.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join(AwsCliCache::file_name("s"));
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let err = load_within_seconds(AwsCliCache::new(dir.path()), target(url, Some("s")))
            .expect_err("a FIFO is no token file");
        assert!(
            matches!(&err, TokenError::NotAFile { path } if path.ends_with(".json")),
            "{err}"
        );

        // A symlink, even to a valid token file: never followed (nor to /dev/zero).
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.json");
        std::fs::write(&elsewhere, body).unwrap();
        let link = dir.path().join(AwsCliCache::file_name("s"));
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let err = load_within_seconds(AwsCliCache::new(dir.path()), target(url, Some("s")))
            .expect_err("a symlink is refused");
        assert!(
            err.to_string().contains(&link.display().to_string()),
            "{err}"
        );
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(load_within_seconds(AwsCliCache::new(dir.path()), target(url, Some("s"))).is_err());

        // An oversized file is not read whole.
        std::fs::remove_file(&link).unwrap();
        std::fs::write(&link, vec![b' '; 2 << 20]).unwrap();
        assert!(load_within_seconds(AwsCliCache::new(dir.path()), target(url, Some("s"))).is_err());
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
