//! IAM Identity Center device-code login, and the tokens it leaves in the encrypted
//! store (storage `sso-tokens`, keyed by start URL so that every profile on that
//! instance — legacy `sso_*`, `granted_sso_*` or through an `[sso-session]` — finds the
//! one login).
//!
//! Owns the order of the OIDC calls (RegisterClient → StartDeviceAuthorization → poll
//! CreateToken at the given interval, `slow_down` adding 5 s, both bounded by
//! [`PollLimits`]), the check that the
//! service's verification link is an `https` URL before anyone sees or opens it, and
//! the token's stored form. It must not choose a browser or print: the caller passes
//! `show` and `open`.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{AwsCliCache, SsoTarget, SsoToken, TOKEN_MIN_REMAINING, TokenError, TokenSource};
use crate::aws::{Aws, AwsError, Poll, Target};
use crate::secret::Secret;
use crate::store::{Namespace, SecretStore, StoreError};
use crate::sys::Clock;

/// The legacy, non-refreshable scope Granted registers with when none is configured.
pub const LEGACY_SCOPE: &str = "sso-portal:*";

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error("the device code for {start_url} expired before it was approved; run the login again")]
    Expired { start_url: String },
    #[error(
        "the sso service sent a verification link that is not an https URL, so nothing was opened: {url}"
    )]
    UnsafeVerificationUrl { url: String },
    #[error("the login to {start_url} was denied in the browser")]
    Denied { start_url: String },
    #[error("could not keep the sso token")]
    Store(#[from] StoreError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("could not write the refreshed token back to {path}")]
    WriteBack {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// The store key for a start URL: the URL without a trailing `/`.
pub fn token_key(start_url: &str) -> &str {
    start_url.trim_end_matches('/')
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    start_url: String,
    region: String,
    access_token: String,
    expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    client_id: String,
    client_secret: String,
    registration_expires_at: i64,
    scopes: Vec<String>,
}

/// How long the device flow waits, whatever the service answers: a hostile or broken
/// `interval` / `expiresIn` must not keep `--auto-login` waiting (and holding the login
/// lock) for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollLimits {
    /// The longest pause between two polls (`interval`, and `slow_down`'s additions).
    pub max_interval: Duration,
    /// The longest wait for the user's approval (`expiresIn`).
    pub max_wait: Duration,
}

impl PollLimits {
    /// 30 s between polls: AWS asks for 1 s (5 s is the OAuth default, `slow_down`
    /// adds 5 s at a time), so only a service that wants us gone asks for more, and
    /// 30 s keeps an approved login waiting at most half a minute. 15 minutes in all:
    /// AWS's device codes live 10 minutes; 15 leaves room for a slower service and
    /// bounds how long a waiting login holds the lock the other callers queue on.
    pub const DEFAULT: PollLimits = PollLimits {
        max_interval: Duration::from_secs(30),
        max_wait: Duration::from_secs(15 * 60),
    };
}

/// Logs in with the device code: `show(url, code)` tells the user, `open(url)` tries
/// a browser; then polls until the user approves or the code expires (within
/// [`PollLimits::DEFAULT`]). The token is kept in `store` and returned.
pub async fn device_login(
    aws: &Aws,
    oidc: &Target<'_>,
    target: &SsoTarget,
    store: &dyn SecretStore,
    clock: Clock,
    show: &dyn Fn(&str, &str),
    open: &dyn Fn(&str),
) -> Result<SsoToken, LoginError> {
    device_login_within(
        aws,
        oidc,
        target,
        store,
        clock,
        (show, open),
        PollLimits::DEFAULT,
    )
    .await
}

/// `show` and `open` of [`device_login`].
type LoginUi<'a> = (&'a dyn Fn(&str, &str), &'a dyn Fn(&str));

/// [`device_login`] with the given limits on the service's `interval` and `expiresIn`.
async fn device_login_within(
    aws: &Aws,
    oidc: &Target<'_>,
    target: &SsoTarget,
    store: &dyn SecretStore,
    clock: Clock,
    (show, open): LoginUi<'_>,
    limits: PollLimits,
) -> Result<SsoToken, LoginError> {
    let scopes = if target.scopes.is_empty() {
        vec![LEGACY_SCOPE.to_owned()]
    } else {
        target.scopes.clone()
    };
    let registration = registration(aws, oidc, target, &scopes, store, clock).await?;
    let device = aws
        .start_device_authorization(oidc, &registration, &target.start_url)
        .await?;
    if !is_safe_verification_url(&device.verification_uri_complete) {
        let mut url = crate::ui::printable(&device.verification_uri_complete);
        if let Some((cut, _)) = url.char_indices().nth(120) {
            url.truncate(cut);
            url.push('…');
        }
        return Err(LoginError::UnsafeVerificationUrl { url });
    }
    show(&device.verification_uri_complete, &device.user_code);
    open(&device.verification_uri_complete);
    let deadline = tokio::time::Instant::now() + device.expires_in.min(limits.max_wait);
    let mut interval = device.interval.min(limits.max_interval);
    let (access_token, expires_in, refresh_token) = loop {
        tokio::time::sleep(interval).await;
        if tokio::time::Instant::now() > deadline {
            return Err(LoginError::Expired {
                start_url: target.start_url.clone(),
            });
        }
        match aws.poll_device_token(oidc, &registration, &device).await? {
            Poll::Token {
                access_token,
                expires_in,
                refresh_token,
            } => break (access_token, expires_in, refresh_token),
            Poll::Pending => {}
            Poll::SlowDown => {
                interval = (interval + Duration::from_secs(5)).min(limits.max_interval);
            }
            Poll::Denied => {
                return Err(LoginError::Denied {
                    start_url: target.start_url.clone(),
                });
            }
            Poll::Expired => {
                return Err(LoginError::Expired {
                    start_url: target.start_url.clone(),
                });
            }
        }
    };
    let expires_at = clock.now() + expires_in;
    let stored = Stored {
        start_url: target.start_url.clone(),
        region: target.region.clone(),
        access_token: access_token.expose().to_owned(),
        expires_at: expires_at.unix_timestamp(),
        refresh_token: refresh_token.map(|t| t.expose().to_owned()),
        client_id: registration.client_id,
        client_secret: registration.client_secret.expose().to_owned(),
        registration_expires_at: registration.expires_at.unix_timestamp(),
        scopes,
    };
    let json = Secret::new(serde_json::to_string(&stored).expect("strings serialise"));
    store.put(
        Namespace::SsoTokens,
        token_key(&target.start_url),
        json.expose(),
    )?;
    Ok(SsoToken {
        access_token,
        expires_at,
    })
}

/// Whether a verification link from the service may be shown and given to a browser:
/// an `https` URL with a host, or `http` on the loopback address (a local emulator),
/// with no whitespace or control character anywhere. This refuses browser flags
/// (`--remote-debugging-port=…`), `file:`, `javascript:` and every other scheme.
pub fn is_safe_verification_url(url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let scheme_end = url.find("://").unwrap_or(0);
    let (scheme, rest) = (&url[..scheme_end], &url[(scheme_end + 3).min(url.len())..]);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if scheme.eq_ignore_ascii_case("https") {
        return !authority.is_empty() && !authority.starts_with([':', '@']);
    }
    if !scheme.eq_ignore_ascii_case("http") || authority.contains('@') {
        return false;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host == "127.0.0.1" || host == "::1" || host.eq_ignore_ascii_case("localhost")
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredRegistration {
    client_id: String,
    client_secret: String,
    expires_at: i64,
}

/// The client registration for this start URL, region and scopes: the kept one while
/// more than a day remains, else a new one (kept for next time).
async fn registration(
    aws: &Aws,
    oidc: &Target<'_>,
    target: &SsoTarget,
    scopes: &[String],
    store: &dyn SecretStore,
    clock: Clock,
) -> Result<crate::aws::Registration, LoginError> {
    let key = format!(
        "{} {} {}",
        token_key(&target.start_url),
        target.region,
        scopes.join(",")
    );
    let now = clock.now();
    if let Ok(Some(text)) = store.get(Namespace::ClientRegistrations, &key)
        && let Ok(kept) = serde_json::from_str::<StoredRegistration>(text.expose())
        && let Ok(expires_at) = OffsetDateTime::from_unix_timestamp(kept.expires_at)
        && expires_at - now > time::Duration::days(1)
    {
        return Ok(crate::aws::Registration {
            client_id: kept.client_id,
            client_secret: Secret::new(kept.client_secret),
            expires_at,
        });
    }
    let fresh = aws.register_client(oidc, scopes).await?;
    let kept = StoredRegistration {
        client_id: fresh.client_id.clone(),
        client_secret: fresh.client_secret.expose().to_owned(),
        expires_at: fresh.expires_at.unix_timestamp(),
    };
    let json = Secret::new(serde_json::to_string(&kept).expect("strings serialise"));
    store.put(Namespace::ClientRegistrations, &key, json.expose())?;
    Ok(fresh)
}

/// Refreshes a kept token that has a refresh token when less than `ahead` remains (or
/// it has expired). `Ok(None)`: nothing to refresh (no kept token, not refreshable, or
/// still fresh). A refresh the service refuses (`invalid_grant`, an expired
/// registration) is an error: the caller falls back to a login or the login command.
pub async fn refresh(
    aws: &Aws,
    oidc: &Target<'_>,
    target: &SsoTarget,
    store: &dyn SecretStore,
    ahead: time::Duration,
    clock: Clock,
) -> Result<Option<SsoToken>, LoginError> {
    let key = token_key(&target.start_url);
    let Ok(Some(text)) = store.get(Namespace::SsoTokens, key) else {
        return Ok(None);
    };
    let Ok(mut stored) = serde_json::from_str::<Stored>(text.expose()) else {
        return Ok(None);
    };
    let now = clock.now();
    let Some(refresh_token) = stored.refresh_token.clone() else {
        return Ok(None);
    };
    if OffsetDateTime::from_unix_timestamp(stored.expires_at).is_ok_and(|e| e - now > ahead) {
        return Ok(None);
    }
    let registration = crate::aws::Registration {
        client_id: stored.client_id.clone(),
        client_secret: Secret::new(stored.client_secret.clone()),
        expires_at: OffsetDateTime::from_unix_timestamp(stored.registration_expires_at)
            .unwrap_or(now),
    };
    let Poll::Token {
        access_token,
        expires_in,
        refresh_token: rotated,
    } = aws
        .refresh_token(oidc, &registration, &Secret::new(refresh_token))
        .await?
    else {
        return Ok(None);
    };
    let expires_at = now + expires_in;
    stored.access_token = access_token.expose().to_owned();
    stored.expires_at = expires_at.unix_timestamp();
    // The service rotates refresh tokens; one it doesn't send back keeps the old one.
    if let Some(rotated) = rotated {
        stored.refresh_token = Some(rotated.expose().to_owned());
    }
    let json = Secret::new(serde_json::to_string(&stored).expect("strings serialise"));
    store.put(Namespace::SsoTokens, key, json.expose())?;
    Ok(Some(SsoToken {
        access_token,
        expires_at,
    }))
}

/// Whether the kept token is refreshable and less than `ahead` remains: a cheap check
/// made before taking the login lock.
pub fn refresh_due(
    store: &dyn SecretStore,
    target: &SsoTarget,
    ahead: time::Duration,
    now: OffsetDateTime,
) -> bool {
    let Ok(Some(text)) = store.get(Namespace::SsoTokens, token_key(&target.start_url)) else {
        return false;
    };
    serde_json::from_str::<Stored>(text.expose()).is_ok_and(|s| {
        s.refresh_token.is_some()
            && OffsetDateTime::from_unix_timestamp(s.expires_at).is_ok_and(|e| e - now <= ahead)
    })
}

/// Whether the AWS CLI's own token file for `target` is refreshable and less than
/// `ahead` remains (checked before taking the login lock).
pub fn aws_cli_refresh_due(
    cache: &AwsCliCache,
    target: &SsoTarget,
    ahead: time::Duration,
    now: OffsetDateTime,
) -> bool {
    matches!(cache.refreshable(target, now), Ok(Some(file)) if file.expires_at - now <= ahead)
}

/// Refreshes the token `aws sso login` left (a refreshable `sso-session` login) the way
/// the AWS CLI does — `CreateToken` with its refresh token and client registration —
/// and writes the file back atomically with the rotated refresh token, so the CLI and
/// we keep sharing one login. `Ok(None)`: nothing to refresh.
pub async fn refresh_aws_cli(
    aws: &Aws,
    oidc: &Target<'_>,
    cache: &AwsCliCache,
    target: &SsoTarget,
    ahead: time::Duration,
    clock: Clock,
) -> Result<Option<SsoToken>, LoginError> {
    let now = clock.now();
    let Some(file) = cache.refreshable(target, now)? else {
        return Ok(None);
    };
    if file.expires_at - now > ahead {
        return Ok(None);
    }
    let registration = crate::aws::Registration {
        client_id: file.client_id.clone(),
        client_secret: file.client_secret.clone(),
        expires_at: file.registration_expires_at,
    };
    let Poll::Token {
        access_token,
        expires_in,
        refresh_token: rotated,
    } = aws
        .refresh_token(oidc, &registration, &file.refresh_token)
        .await?
    else {
        return Ok(None);
    };
    let token = SsoToken {
        access_token,
        expires_at: now + expires_in,
    };
    // `aws sso login` (or the CLI's own refresh) may have replaced the file while we
    // were refreshing: its newer login wins, ours is used for this call only.
    let still_ours = cache
        .refreshable(target, clock.now())
        .ok()
        .flatten()
        .is_some_and(|now| now.path == file.path && now.refresh_token == file.refresh_token);
    if !still_ours {
        return Ok(Some(token));
    }
    cache
        .write_refreshed(&file, &token, rotated.as_ref())
        .map_err(|source| LoginError::WriteBack {
            path: file.path.display().to_string(),
            source,
        })?;
    Ok(Some(token))
}

/// Forgets the kept token for `target` if it is `rejected` (the portal refused it
/// with 401, whatever its expiry said). A different token — a newer login by another
/// process — stays.
pub fn drop_rejected(
    store: &dyn SecretStore,
    target: &SsoTarget,
    rejected: &Secret,
) -> Result<bool, StoreError> {
    let key = token_key(&target.start_url);
    let Some(text) = store.get(Namespace::SsoTokens, key)? else {
        return Ok(false);
    };
    match serde_json::from_str::<Stored>(text.expose()) {
        Ok(s) if s.access_token == rejected.expose() => store.delete(Namespace::SsoTokens, key),
        _ => Ok(false),
    }
}

/// What `granted sso-tokens` shows of a kept token (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptToken {
    pub start_url: String,
    pub region: String,
    pub expires_at: OffsetDateTime,
    pub refreshable: bool,
}

/// Every kept token, by start URL.
pub fn kept_tokens(store: &dyn SecretStore) -> Result<Vec<(KeptToken, Secret)>, StoreError> {
    let mut out = Vec::new();
    for key in store.list(Namespace::SsoTokens)? {
        let Some(text) = store.get(Namespace::SsoTokens, &key)? else {
            continue;
        };
        let Ok(s) = serde_json::from_str::<Stored>(text.expose()) else {
            continue;
        };
        let Ok(expires_at) = OffsetDateTime::from_unix_timestamp(s.expires_at) else {
            continue;
        };
        out.push((
            KeptToken {
                start_url: s.start_url,
                region: s.region,
                expires_at,
                refreshable: s.refresh_token.is_some(),
            },
            Secret::new(s.access_token),
        ));
    }
    Ok(out)
}

/// Tokens from `granted sso login`, kept in the encrypted store.
pub struct StoredTokens<'a> {
    pub store: &'a dyn SecretStore,
}

impl TokenSource for StoredTokens<'_> {
    fn load(
        &self,
        target: &SsoTarget,
        now: OffsetDateTime,
    ) -> Result<Option<SsoToken>, TokenError> {
        let Ok(Some(text)) = self
            .store
            .get(Namespace::SsoTokens, token_key(&target.start_url))
        else {
            return Ok(None);
        };
        let Ok(stored) = serde_json::from_str::<Stored>(text.expose()) else {
            return Ok(None);
        };
        let Ok(expires_at) = OffsetDateTime::from_unix_timestamp(stored.expires_at) else {
            return Ok(None);
        };
        if expires_at - now < TOKEN_MIN_REMAINING || stored.access_token.is_empty() {
            return Ok(None);
        }
        Ok(Some(SsoToken {
            access_token: Secret::new(stored.access_token),
            expires_at,
        }))
    }
}

/// The first source that has a valid token.
pub struct FirstOf<'a>(pub Vec<&'a dyn TokenSource>);

impl TokenSource for FirstOf<'_> {
    fn load(
        &self,
        target: &SsoTarget,
        now: OffsetDateTime,
    ) -> Result<Option<SsoToken>, TokenError> {
        for source in &self.0 {
            if let Some(token) = source.load(target, now)? {
                return Ok(Some(token));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests take the real clock
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn target(url: &str) -> SsoTarget {
        SsoTarget {
            start_url: url.into(),
            region: "us-east-1".into(),
            session_name: None,
            scopes: vec![],
        }
    }

    #[test]
    fn stored_tokens_are_found_by_start_url_with_or_without_slash() {
        let store = MemoryStore::default();
        let now = OffsetDateTime::now_utc();
        let stored = Stored {
            start_url: "https://x.awsapps.com/start/".into(),
            region: "us-east-1".into(),
            access_token: "tok".into(),
            expires_at: (now + time::Duration::hours(1)).unix_timestamp(),
            refresh_token: None,
            client_id: "c".into(),
            client_secret: "s".into(),
            registration_expires_at: 0,
            scopes: vec![LEGACY_SCOPE.into()],
        };
        store
            .put(
                Namespace::SsoTokens,
                token_key(&stored.start_url),
                &serde_json::to_string(&stored).unwrap(),
            )
            .unwrap();
        let source = StoredTokens { store: &store };
        for url in [
            "https://x.awsapps.com/start",
            "https://x.awsapps.com/start/",
        ] {
            assert_eq!(
                source
                    .load(&target(url), now)
                    .unwrap()
                    .unwrap()
                    .access_token
                    .expose(),
                "tok"
            );
        }
        assert!(source.load(&target(url_other()), now).unwrap().is_none());
        assert!(
            source
                .load(
                    &target("https://x.awsapps.com/start"),
                    now + time::Duration::hours(2)
                )
                .unwrap()
                .is_none()
        );
    }

    /// A service that answers `interval` and `expiresIn` of 68 years and never sees the
    /// code approved: the login gives up at the limits instead of waiting for ever.
    #[test]
    fn a_hostile_interval_and_lifetime_are_capped() {
        let emu = granted_emulator::Emulator::start().unwrap();
        emu.set_device_interval(i32::MAX);
        emu.set_device_expires_in(i32::MAX);
        let endpoint = emu.url();
        let oidc = Target {
            region: "us-east-1",
            endpoint: Some(&endpoint),
        };
        let store = MemoryStore::default();
        let shown = std::cell::Cell::new(false);
        let show = |_: &str, _: &str| shown.set(true);
        let limits = PollLimits {
            max_interval: Duration::from_millis(200),
            max_wait: Duration::from_secs(1),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (aws, target) = (Aws::new(Some(1)), target("https://x.awsapps.com/start"));
        let login = device_login_within(
            &aws,
            &oidc,
            &target,
            &store,
            Clock::System,
            (&show, &|_: &str| {}),
            limits,
        );
        let outcome = runtime
            .block_on(async { tokio::time::timeout(Duration::from_secs(60), login).await })
            .expect("the login ends at the limits, not at the service's word");
        assert!(
            matches!(outcome, Err(LoginError::Expired { .. })),
            "{outcome:?}"
        );
        assert!(shown.get());
        let polls = emu.calls("CreateToken");
        assert!(
            (1..=10).contains(&polls),
            "polled about every 200 ms: {polls}"
        );
        assert_eq!(
            PollLimits::DEFAULT,
            PollLimits {
                max_interval: Duration::from_secs(30),
                max_wait: Duration::from_secs(900),
            }
        );
    }

    #[test]
    fn only_https_or_loopback_http_verification_links_pass() {
        for ok in [
            "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH",
            "HTTPS://device.sso.eu-west-1.amazonaws.com/",
            "http://127.0.0.1:4566/device?user_code=ABCD-EFGH",
            "http://localhost:8080/device",
            "http://[::1]:9000/device",
        ] {
            assert!(is_safe_verification_url(ok), "{ok}");
        }
        for bad in [
            "--remote-debugging-port=9222",
            "-https://x.example",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://device.example.com/",
            "http://127.0.0.1@evil.example/",
            "http://127.0.0.1.evil.example/",
            "https:///etc/passwd",
            "https://x.example/ --incognito",
            "https://x.example/\u{1b}[2J",
            "",
        ] {
            assert!(!is_safe_verification_url(bad), "{bad}");
        }
    }

    fn url_other() -> &'static str {
        "https://other.awsapps.com/start"
    }
}
