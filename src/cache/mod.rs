//! The role-credential cache that makes repeated `credential_process` calls cheap.
//!
//! Owns what a cache entry holds and when it may be served: an entry is kept per
//! profile (namespace `session-credentials`) and carries the hash of everything that
//! decides the credentials (the resolved chain: accounts, roles, ARNs, start URL,
//! regions, endpoints, durations) plus a fingerprint of the config files and of the
//! environment that resolution reads. It is served only while more than the window
//! remains, and only for the same chain — so editing a profile never serves the old
//! role. When the fingerprint still matches, the config isn't even parsed. It must not
//! fetch credentials, take locks or decide whether caching is enabled (the command
//! does), and never stores credentials that don't expire.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::creds::{Credentials, StoredCredentials};
use crate::resolve::{Base, Chain};
use crate::store::{Namespace, SecretStore, StoreError};

/// Granted's default `--window`.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The environment variables resolution reads; a change in any of them means the
/// cached chain can't be trusted without resolving again.
pub const ENV_INPUTS: &[&str] = &[
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_SSO",
    "AWS_ENDPOINT_URL_SSO_OIDC",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// A cached set of credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub profile: String,
    /// [`chain_hash`] of the chain that produced the credentials.
    pub chain: String,
    /// [`inputs_fingerprint`] when the entry was checked against the config last.
    pub inputs: String,
    pub credentials: Credentials,
    pub stored_at: OffsetDateTime,
    /// What `assume` showed for the profile with these credentials, valid while
    /// `inputs` matches: a repeated `assume` then needs no config parse.
    pub assume: Option<AssumeView>,
    /// The IAM Identity Center start URL whose login the credentials came from (`""`:
    /// none); `None` for entries written before it was recorded. Logging out of that
    /// start URL deletes the entry.
    pub sso_start_url: Option<String>,
}

/// What `assume PROFILE` exports besides the credentials: no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssumeView {
    /// The profile assumed (`AWS_PROFILE`).
    pub profile: String,
    /// `AWS_REGION` / `AWS_DEFAULT_REGION`.
    pub region: Option<String>,
    /// The `GRANTED_SSO_*` values, for a chain that is an SSO role session.
    pub sso: Option<SsoView>,
    /// The `--window` of the profile's `credential_process` line, in seconds.
    pub window_secs: u64,
}

/// The SSO role a chain ends in, as `assume` exports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoView {
    pub start_url: String,
    pub region: String,
    pub account_id: String,
    pub role_name: String,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    v: u8,
    profile: String,
    chain: String,
    inputs: String,
    #[serde(flatten)]
    credentials: StoredCredentials,
    stored_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assume: Option<AssumeView>,
    #[serde(default)]
    sso_start_url: Option<String>,
}

impl Entry {
    /// Whether more than `window` remains at `now`.
    pub fn is_fresh(&self, now: OffsetDateTime, window: Duration) -> bool {
        match self.credentials.expiration {
            Some(expiration) => expiration - now > window,
            None => false,
        }
    }

    fn encode(&self) -> Option<String> {
        let stored = Stored {
            v: 1,
            profile: self.profile.clone(),
            chain: self.chain.clone(),
            inputs: self.inputs.clone(),
            credentials: StoredCredentials::from_credentials(&self.credentials)?,
            stored_at: self.stored_at.unix_timestamp(),
            assume: self.assume.clone(),
            sso_start_url: self.sso_start_url.clone(),
        };
        serde_json::to_string(&stored).ok()
    }

    fn decode(text: &str) -> Option<Entry> {
        let s: Stored = serde_json::from_str(text).ok()?;
        if s.v != 1 {
            return None;
        }
        Some(Entry {
            profile: s.profile,
            chain: s.chain,
            inputs: s.inputs,
            credentials: s.credentials.into_credentials()?,
            stored_at: OffsetDateTime::from_unix_timestamp(s.stored_at).ok()?,
            assume: s.assume,
            sso_start_url: s.sso_start_url,
        })
    }
}

/// The entry for `profile`; a damaged or foreign one is `None` (it heals on the next
/// store).
pub fn load(store: &dyn SecretStore, profile: &str) -> Result<Option<Entry>, StoreError> {
    let Some(text) = store.get(Namespace::SessionCredentials, profile)? else {
        return Ok(None);
    };
    Ok(Entry::decode(text.expose()).filter(|e| e.profile == profile))
}

/// Stores `entry` unless its credentials don't expire (long-lived keys are never
/// cached: they would be served forever).
pub fn save(store: &dyn SecretStore, entry: &Entry) -> Result<bool, StoreError> {
    let Some(text) = entry.encode() else {
        return Ok(false);
    };
    store.put(Namespace::SessionCredentials, &entry.profile, &text)?;
    Ok(true)
}

/// The start URL an entry for `chain` records: its SSO login's, else `""`.
pub fn sso_start_url_of(chain: &Chain) -> String {
    match &chain.base {
        Base::Sso(sso) => sso.start_url.trim_end_matches('/').to_owned(),
        _ => String::new(),
    }
}

/// Deletes every entry whose credentials came from a login to `start_url` (trailing `/`
/// ignored), and every entry that doesn't say where its credentials came from (written
/// before that was recorded: it may be one). Returns how many went.
pub fn forget_sso(store: &dyn SecretStore, start_url: &str) -> Result<usize, StoreError> {
    let url = start_url.trim_end_matches('/');
    let mut gone = 0;
    for key in store.list(Namespace::SessionCredentials)? {
        let Some(text) = store.get(Namespace::SessionCredentials, &key)? else {
            continue;
        };
        let forget = match Entry::decode(text.expose()) {
            Some(entry) => entry
                .sso_start_url
                .as_deref()
                .is_none_or(|u| u.trim_end_matches('/') == url),
            // Unreadable: it heals by being fetched again.
            None => true,
        };
        if forget && store.delete(Namespace::SessionCredentials, &key)? {
            gone += 1;
        }
    }
    Ok(gone)
}

/// Whether a chain can produce expiring credentials worth caching: anything but
/// plain keys from a file or the environment with no role after them.
pub fn is_cacheable(chain: &Chain) -> bool {
    if !chain.hops.is_empty() {
        return true;
    }
    match &chain.base {
        Base::Sso(_) | Base::Process(_) => true,
        Base::Static(keys) => keys.mfa_serial.is_some(),
        Base::Stored { mfa_serial, .. } => mfa_serial.is_some(),
        Base::Environment { .. } => false,
    }
}

/// Hex SHA-256 of everything in the chain that decides which credentials it yields,
/// and of `secret_inputs`: what its base reads besides the config files (the keys in the
/// environment for `credential_source = Environment`, the keys kept in the store), so an
/// entry is never served to another identity. Secrets enter only through their own hash.
pub fn chain_hash(chain: &Chain, secret_inputs: &[&str]) -> String {
    let mut h = Sha256::new();
    for input in secret_inputs {
        h.update(b"secret_input\0");
        h.update(Sha256::digest(input.as_bytes()));
    }
    let mut field = |name: &str, value: &str| {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(value.len().to_le_bytes());
        h.update(value.as_bytes());
    };
    field("v", "1");
    match &chain.base {
        Base::Sso(s) => {
            field("base", "sso");
            field("start_url", &s.start_url);
            field("sso_region", &s.region);
            field("account_id", &s.account_id);
            field("role_name", &s.role_name);
            field("session", s.session_name.as_deref().unwrap_or(""));
        }
        Base::Static(k) => {
            field("base", "static");
            field("access_key_id", &k.access_key_id);
            field(
                "secret",
                &hex(&Sha256::digest(k.secret_access_key.expose().as_bytes())),
            );
            field(
                "token",
                &k.session_token
                    .as_ref()
                    .map(|t| hex(&Sha256::digest(t.expose().as_bytes())))
                    .unwrap_or_default(),
            );
            field("mfa_serial", k.mfa_serial.as_deref().unwrap_or(""));
        }
        Base::Process(p) => {
            field("base", "process");
            field("command", &p.command);
        }
        Base::Stored {
            profile,
            mfa_serial,
        } => {
            field("base", "stored");
            field("profile", profile);
            field("mfa_serial", mfa_serial.as_deref().unwrap_or(""));
        }
        Base::Environment { profile } => {
            field("base", "environment");
            field("profile", profile);
        }
    }
    for hop in &chain.hops {
        field("role_arn", &hop.role_arn);
        field("session_name", hop.session_name.as_deref().unwrap_or(""));
        field("external_id", hop.external_id.as_deref().unwrap_or(""));
        field(
            "duration",
            &hop.duration_seconds
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        field("mfa_serial", hop.mfa_serial.as_deref().unwrap_or(""));
    }
    field("region", chain.region.as_deref().unwrap_or(""));
    field("sts", chain.endpoints.sts.as_deref().unwrap_or(""));
    field("sso", chain.endpoints.sso.as_deref().unwrap_or(""));
    hex(&h.finalize())
}

/// A fingerprint of what resolution reads: both files' identity (size, modification
/// time, inode) and the environment variables in [`ENV_INPUTS`]. Equal fingerprints
/// mean resolving again would give the same chain.
pub fn inputs_fingerprint(
    config: &Path,
    credentials: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for path in [config, credentials] {
        h.update(path.as_os_str().as_encoded_bytes());
        h.update([0]);
        h.update(file_identity(path).as_bytes());
        h.update([0]);
    }
    for name in ENV_INPUTS {
        h.update(name.as_bytes());
        match env(name) {
            Some(v) => {
                h.update([1]);
                h.update(v.len().to_le_bytes());
                h.update(v.as_bytes());
            }
            None => h.update([0]),
        }
    }
    hex(&h.finalize())
}

/// The change time is in it because the modification time alone can stay the same
/// across an edit of the same size (two writes within one timestamp tick, or a tool that
/// restores it: `cp -p`, `touch -r`, an unpacked backup); nothing can set it back.
#[cfg(unix)]
fn file_identity(path: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(path) {
        Ok(m) => format!(
            "{}:{}:{}:{}.{}:{}.{}",
            m.dev(),
            m.ino(),
            m.len(),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec()
        ),
        Err(_) => "missing".to_owned(),
    }
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) => format!("{}:{:?}", m.len(), m.modified().ok()),
        Err(_) => "missing".to_owned(),
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests;
