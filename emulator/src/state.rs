//! The emulator's mutable world, shared by the HTTP server and the Rust API:
//! the (offsettable) clock, SSO accounts and role assignments, IAM role
//! conditions, access keys and the identities behind them, SSO access
//! tokens, OIDC clients / device codes / refresh tokens, MFA codes, call
//! counters and queued faults. Everything lives behind one `Mutex`; handlers
//! take it briefly and never across an `.await`.

use crate::{Fault, RoleConditions, ids};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Session name of the Identity Center user behind every SSO role session.
pub const SSO_USER: &str = "user@example.com";

/// `t + d`, clamped to the end of year 9999 (no overflow, always formattable).
pub(crate) fn plus(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    const LAST: OffsetDateTime = time::macros::datetime!(9999-12-31 23:59:59 UTC);
    time::Duration::try_from(d)
        .ok()
        .and_then(|d| t.checked_add(d))
        .map_or(LAST, |v| v.min(LAST))
}

/// The MFA code accepted for any serial that has no code of its own.
pub(crate) const DEFAULT_MFA_CODE: &str = "123456";

/// State plus the bits the server needs outside the lock.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// The port the server listens on (for verification URIs).
    pub port: u16,
    /// Whether to log one line per request to stderr.
    pub log: AtomicBool,
    last_activity: Mutex<Instant>,
}

impl Shared {
    pub fn new(port: u16) -> Shared {
        Shared {
            state: Mutex::new(State::new()),
            port,
            log: AtomicBool::new(false),
            last_activity: Mutex::new(Instant::now()),
        }
    }

    /// Lock the state (a poisoned lock is recovered: state stays usable).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn touch(&self) {
        *self.last_activity.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    pub fn last_activity(&self) -> Instant {
        *self.last_activity.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// An AWS account as the SSO portal lists it.
pub(crate) struct Account {
    pub name: String,
    pub email: String,
    pub roles: BTreeSet<String>,
}

/// An SSO access token (from CreateToken or issued directly).
pub(crate) struct AccessToken {
    pub expires_at: OffsetDateTime,
    pub revoked: bool,
}

/// A client registered with RegisterClient.
pub(crate) struct Client {
    pub secret: String,
    pub scopes: Vec<String>,
    pub secret_expires_at: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved,
    Denied,
    Consumed,
}

/// A device authorization started with StartDeviceAuthorization.
pub(crate) struct Device {
    pub client_id: String,
    pub user_code: String,
    pub start_url: String,
    pub expires_at: OffsetDateTime,
    pub status: DeviceStatus,
}

/// A live refresh token (rotated ones are removed).
pub(crate) struct RefreshToken {
    pub client_id: String,
    pub start_url: String,
}

/// Who an access key belongs to.
#[derive(Clone, Debug)]
pub(crate) enum Principal {
    User { name: String },
    Role { role_name: String, session: String },
}

/// The identity an access key acts as.
#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub account: String,
    pub principal: Principal,
    /// Whether the session was authenticated with MFA.
    pub mfa: bool,
}

impl Identity {
    pub fn arn(&self) -> String {
        match &self.principal {
            Principal::User { name } => format!("arn:aws:iam::{}:user/{name}", self.account),
            Principal::Role { role_name, session } => format!(
                "arn:aws:sts::{}:assumed-role/{role_name}/{session}",
                self.account
            ),
        }
    }

    pub fn user_id(&self) -> String {
        match &self.principal {
            Principal::User { name } => {
                ids::derived_id("AIDA", &format!("{}:user/{name}", self.account))
            }
            Principal::Role { role_name, session } => {
                format!("{}:{session}", role_id(&self.account, role_name))
            }
        }
    }

    pub fn is_role_session(&self) -> bool {
        matches!(self.principal, Principal::Role { .. })
    }
}

/// The stable `AROA…` id of a role.
pub(crate) fn role_id(account: &str, role_name: &str) -> String {
    ids::derived_id("AROA", &format!("{account}:role/{role_name}"))
}

/// An access key the emulator knows.
pub(crate) struct Key {
    pub secret: String,
    /// Present for temporary credentials.
    pub session_token: Option<String>,
    /// Present for temporary credentials.
    pub expires_at: Option<OffsetDateTime>,
    pub identity: Identity,
}

/// Freshly issued temporary credentials.
pub(crate) struct Issued {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub expires_at: OffsetDateTime,
}

pub(crate) struct State {
    offset: Duration,
    pub accounts: BTreeMap<String, Account>,
    pub roles: HashMap<String, RoleConditions>,
    pub keys: HashMap<String, Key>,
    pub access_tokens: HashMap<String, AccessToken>,
    pub clients: HashMap<String, Client>,
    pub devices: HashMap<String, Device>,
    /// user code -> device code
    pub user_codes: HashMap<String, String>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    mfa_codes: HashMap<String, String>,
    pub role_credentials_lifetime: Duration,
    pub device_interval: i32,
    pub device_expires_in: i32,
    /// Replaces the verification URIs StartDeviceAuthorization answers (hostile tests).
    pub device_uri_override: Option<String>,
    /// Appended to the `userCode` StartDeviceAuthorization answers (hostile tests).
    pub user_code_suffix: String,
    pub token_lifetime: Duration,
    pub client_lifetime: Duration,
    calls: BTreeMap<String, usize>,
    faults: Vec<(Fault, usize)>,
}

impl State {
    pub fn new() -> State {
        let mut s = State {
            offset: Duration::ZERO,
            accounts: BTreeMap::new(),
            roles: HashMap::new(),
            keys: HashMap::new(),
            access_tokens: HashMap::new(),
            clients: HashMap::new(),
            devices: HashMap::new(),
            user_codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            mfa_codes: HashMap::new(),
            role_credentials_lifetime: Duration::from_secs(3600),
            device_interval: 1,
            device_expires_in: 600,
            device_uri_override: None,
            user_code_suffix: String::new(),
            token_lifetime: Duration::from_secs(8 * 3600),
            client_lifetime: Duration::from_secs(90 * 24 * 3600),
            calls: BTreeMap::new(),
            faults: Vec::new(),
        };
        s.add_account(
            "123456789012",
            "Development",
            &["AWSAdministratorAccess", "ReadOnly"],
        );
        s.add_account("210987654321", "Production", &["ReadOnly"]);
        s
    }

    /// The emulator's clock: system time plus the offset from `advance`.
    pub fn now(&self) -> OffsetDateTime {
        plus(OffsetDateTime::now_utc(), self.offset)
    }

    pub fn advance(&mut self, d: Duration) {
        self.offset = self.offset.saturating_add(d);
    }

    pub fn add_account(&mut self, id: &str, name: &str, roles: &[&str]) {
        let email = format!(
            "aws-{}@example.com",
            name.to_ascii_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        );
        let acct = self
            .accounts
            .entry(id.to_string())
            .or_insert_with(|| Account {
                name: String::new(),
                email: String::new(),
                roles: BTreeSet::new(),
            });
        acct.name = name.to_string();
        acct.email = email;
        acct.roles.extend(roles.iter().map(|r| r.to_string()));
    }

    pub fn add_user(&mut self, access_key_id: &str, secret: &str, account: &str, user: &str) {
        self.keys.insert(
            access_key_id.to_string(),
            Key {
                secret: secret.to_string(),
                session_token: None,
                expires_at: None,
                identity: Identity {
                    account: account.to_string(),
                    principal: Principal::User {
                        name: user.to_string(),
                    },
                    mfa: false,
                },
            },
        );
    }

    pub fn set_mfa_code(&mut self, serial: &str, code: &str) {
        self.mfa_codes.insert(serial.to_string(), code.to_string());
    }

    /// Whether `code` is the valid one-time code for `serial`.
    pub fn mfa_code_valid(&self, serial: &str, code: &str) -> bool {
        let expected = self
            .mfa_codes
            .get(serial)
            .map(String::as_str)
            .unwrap_or(DEFAULT_MFA_CODE);
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) && code == expected
    }

    pub fn issue_access_token(&mut self, lifetime: Duration) -> (String, OffsetDateTime) {
        let token = ids::opaque_token("aoa", 120);
        let expires_at = plus(self.now(), lifetime);
        self.access_tokens.insert(
            token.clone(),
            AccessToken {
                expires_at,
                revoked: false,
            },
        );
        (token, expires_at)
    }

    /// Whether an SSO access token is known, not logged out and not expired.
    pub fn access_token_valid(&self, token: &str) -> bool {
        let now = self.now();
        self.access_tokens
            .get(token)
            .is_some_and(|t| !t.revoked && now < t.expires_at)
    }

    /// Issue temporary credentials acting as `identity`.
    pub fn issue_temporary(&mut self, identity: Identity, lifetime: Duration) -> Issued {
        let issued = Issued {
            access_key_id: ids::temporary_access_key_id(),
            secret_access_key: ids::secret_access_key(),
            session_token: ids::session_token(),
            expires_at: plus(self.now(), lifetime),
        };
        self.keys.insert(
            issued.access_key_id.clone(),
            Key {
                secret: issued.secret_access_key.clone(),
                session_token: Some(issued.session_token.clone()),
                expires_at: Some(issued.expires_at),
                identity,
            },
        );
        issued
    }

    pub fn count(&mut self, operation: &str) {
        *self.calls.entry(operation.to_string()).or_default() += 1;
    }

    pub fn calls(&self, operation: &str) -> usize {
        self.calls.get(operation).copied().unwrap_or(0)
    }

    pub fn all_calls(&self) -> BTreeMap<String, usize> {
        self.calls.clone()
    }

    pub fn reset_calls(&mut self) {
        self.calls.clear();
    }

    /// Queue a fault; `times == 0` counts as once.
    pub fn inject(&mut self, fault: Fault) {
        let n = fault.times.max(1);
        self.faults.push((fault, n));
    }

    pub fn clear_faults(&mut self) {
        self.faults.clear();
    }

    /// Take the first queued fault for `operation` (or for `*`), if any.
    pub fn take_fault(&mut self, operation: &str) -> Option<Fault> {
        let idx = self
            .faults
            .iter()
            .position(|(f, _)| f.operation == operation || f.operation == "*")?;
        let entry = self.faults.get_mut(idx)?;
        entry.1 = entry.1.saturating_sub(1);
        let fault = entry.0.clone();
        if entry.1 == 0 {
            self.faults.remove(idx);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_consumed_in_order() {
        let mut s = State::new();
        s.inject(Fault {
            operation: "A".into(),
            status: 500,
            times: 2,
            ..Fault::default()
        });
        s.inject(Fault {
            operation: "A".into(),
            status: 503,
            ..Fault::default()
        });
        assert_eq!(s.take_fault("B").map(|f| f.status), None);
        assert_eq!(s.take_fault("A").map(|f| f.status), Some(500));
        assert_eq!(s.take_fault("A").map(|f| f.status), Some(500));
        assert_eq!(s.take_fault("A").map(|f| f.status), Some(503));
        assert_eq!(s.take_fault("A").map(|f| f.status), None);
    }

    #[test]
    fn huge_durations_do_not_overflow() {
        let mut s = State::new();
        s.advance(Duration::MAX);
        s.advance(Duration::MAX);
        let (_, at) = s.issue_access_token(Duration::MAX);
        assert_eq!(at.year(), 9999);
        assert!(!s.access_token_valid("nope"));
    }

    #[test]
    fn mfa_codes() {
        let mut s = State::new();
        assert!(s.mfa_code_valid("arn:aws:iam::1:mfa/x", "123456"));
        s.set_mfa_code("arn:aws:iam::1:mfa/x", "654321");
        assert!(!s.mfa_code_valid("arn:aws:iam::1:mfa/x", "123456"));
        assert!(s.mfa_code_valid("arn:aws:iam::1:mfa/x", "654321"));
        assert!(!s.mfa_code_valid("y", "12345"));
    }

    #[test]
    fn identities() {
        let id = Identity {
            account: "123456789012".into(),
            principal: Principal::Role {
                role_name: "R".into(),
                session: "s".into(),
            },
            mfa: false,
        };
        assert_eq!(id.arn(), "arn:aws:sts::123456789012:assumed-role/R/s");
        assert!(id.user_id().starts_with("AROA"));
        assert!(id.user_id().ends_with(":s"));
    }
}
