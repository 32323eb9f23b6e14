//! `granted-emulator`: a local, in-process (or standalone) emulator of AWS IAM
//! Identity Center — the SSO portal API and SSO-OIDC — and of STS, speaking
//! the real wire protocols of `aws-sdk-sso`, `aws-sdk-ssooidc` and
//! `aws-sdk-sts` (and of the AWS CLI) on one `127.0.0.1` port, so tests and
//! demos can run without an AWS account.
//!
//! This module owns the public API: [`Emulator`] (server lifecycle and the
//! knobs tests turn), [`Options`], [`Fault`] and [`RoleConditions`].
//!
//! Routing on the single port:
//! - SSO portal (REST-JSON): `GET /federation/credentials`,
//!   `GET /assignment/accounts`, `GET /assignment/roles`, `POST /logout`.
//! - SSO-OIDC (REST-JSON): `POST /client/register`,
//!   `POST /device_authorization`, `POST /token`; `GET /device?user_code=…`
//!   is the verification page a browser opens (it approves the code;
//!   `&deny=1` denies it).
//! - STS (awsQuery, SigV4-verified): `POST /`.
//! - Control (JSON): `/_emulator/…` (calls, reset-calls, faults, tokens,
//!   users, accounts, roles, mfa, advance, approve, settings, health).

mod control;
mod ids;
mod oidc;
mod server;
mod sigv4;
mod sso;
mod state;
mod sts;
mod wire;

pub use state::SSO_USER;

use serde::{Deserialize, Serialize};
use state::Shared;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::watch;

/// How to start an [`Emulator`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Stop the server after this long without requests (`None`: never).
    pub idle_timeout: Option<Duration>,
}

/// See [`Emulator::issue_refreshable_login`].
#[derive(Clone, Debug)]
pub struct RefreshableLogin {
    pub client_id: String,
    pub client_secret: String,
    pub registration_expires_at: time::OffsetDateTime,
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: time::OffsetDateTime,
}

/// A fault to inject into the next `times` calls of `operation`.
///
/// `operation` is an operation name such as `"GetRoleCredentials"` or
/// `"AssumeRole"`, or `"*"` for any operation. `status` 0 means no error,
/// only `delay`. Without `error_code` the code follows the status and the
/// service: 500 `InternalServerException` (SSO/OIDC) / `InternalFailure`
/// (STS); 503 `ServiceUnavailableException` / `ServiceUnavailable`; 429
/// `TooManyRequestsException` (SSO/OIDC) / `Throttling` with status 400
/// (STS; an STS fault with status 400 is also `Throttling`); 400
/// `InvalidRequestException`; 401 `UnauthorizedException`; 403
/// `ForbiddenException` (SSO) / `AccessDeniedException` (OIDC) /
/// `AccessDenied` (STS); 404 `ResourceNotFoundException`. `times` 0 counts
/// as 1. The delay is asynchronous: other requests are served meanwhile.
///
/// As JSON (for `POST /_emulator/faults`): `{"operation":"AssumeRole",
/// "status":500,"error_code":null,"delay":250,"times":1}` with `delay` in
/// milliseconds (`errorCode` and `delay_ms` are accepted too).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fault {
    pub operation: String,
    pub status: u16,
    #[serde(alias = "errorCode")]
    pub error_code: Option<String>,
    /// The error's message (default `Injected fault`): tests give hostile text here.
    pub message: Option<String>,
    #[serde(with = "millis", alias = "delay_ms", alias = "delayMs")]
    pub delay: Duration,
    pub times: usize,
}

impl Fault {
    /// An error response with `status` for the next call of `operation`.
    pub fn error(operation: &str, status: u16) -> Fault {
        Fault {
            operation: operation.to_string(),
            status,
            times: 1,
            ..Fault::default()
        }
    }

    /// A delay (no error) before the next call of `operation` is served.
    pub fn delay(operation: &str, delay: Duration) -> Fault {
        Fault {
            operation: operation.to_string(),
            delay,
            times: 1,
            ..Fault::default()
        }
    }
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

/// Conditions an IAM role's trust policy puts on AssumeRole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleConditions {
    /// Require SerialNumber + a valid TokenCode, or an MFA-authenticated caller.
    pub require_mfa: bool,
    /// Require this ExternalId.
    pub external_id: Option<String>,
}

/// A running emulator. It serves on its own thread and tokio runtime;
/// dropping it shuts the server down.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Emulator {
    /// Start on a free port of 127.0.0.1 with default state.
    pub fn start() -> std::io::Result<Emulator> {
        Emulator::start_with(Options::default())
    }

    /// Start with `opts`.
    pub fn start_with(opts: Options) -> std::io::Result<Emulator> {
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", opts.port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener)?
        };
        let shared = Arc::new(Shared::new(addr.port()));
        let (shutdown, rx) = watch::channel(false);
        let server_shared = shared.clone();
        let idle = opts.idle_timeout;
        let thread = std::thread::Builder::new()
            .name(format!("granted-emulator-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(server::serve(listener, server_shared, rx, idle));
            })?;
        Ok(Emulator {
            shared,
            addr,
            shutdown,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        self.shared.base_url()
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Block until the server stops (idle timeout). Used by the binary.
    /// Errors if the server thread died abnormally.
    pub fn wait(mut self) -> std::io::Result<()> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Err(_)) => Err(std::io::Error::other("emulator server thread panicked")),
            _ => Ok(()),
        }
    }

    /// Log one line per request to stderr (no secrets are ever logged).
    pub fn set_request_log(&self, on: bool) {
        self.shared.log.store(on, Ordering::Relaxed);
    }

    /// How many requests reached `operation` (faulted ones included).
    pub fn calls(&self, operation: &str) -> usize {
        self.shared.lock().calls(operation)
    }

    pub fn all_calls(&self) -> BTreeMap<String, usize> {
        self.shared.lock().all_calls()
    }

    pub fn reset_calls(&self) {
        self.shared.lock().reset_calls();
    }

    /// Queue `fault` for the next `fault.times` calls of `fault.operation`.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().inject(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.lock().clear_faults();
    }

    /// An SSO access token, as if a login for `start_url` had completed.
    pub fn issue_access_token(&self, start_url: &str, expires_in: Duration) -> String {
        let _ = start_url;
        self.shared.lock().issue_access_token(expires_in).0
    }

    /// What `aws sso login` leaves for a refreshable `[sso-session]`: a client
    /// registered with `sso:account:access`, an access token living `expires_in`, and a
    /// refresh token for that client.
    pub fn issue_refreshable_login(
        &self,
        start_url: &str,
        expires_in: Duration,
    ) -> RefreshableLogin {
        let mut st = self.shared.lock();
        let now = st.now();
        let client_id = ids::opaque_token("", 22);
        let client_secret = format!(
            "eyJraWQiOiJrZXktZW11bGF0b3IifQ.{}",
            ids::opaque_token("", 200)
        );
        let registration_expires_at = state::plus(now, st.client_lifetime);
        st.clients.insert(
            client_id.clone(),
            state::Client {
                secret: client_secret.clone(),
                scopes: vec!["sso:account:access".to_string()],
                secret_expires_at: registration_expires_at,
            },
        );
        let (access_token, expires_at) = st.issue_access_token(expires_in);
        let refresh_token = ids::opaque_token("aor", 120);
        st.refresh_tokens.insert(
            refresh_token.clone(),
            state::RefreshToken {
                client_id: client_id.clone(),
                start_url: start_url.to_string(),
            },
        );
        RefreshableLogin {
            client_id,
            client_secret,
            registration_expires_at,
            access_token,
            refresh_token,
            expires_at,
        }
    }

    /// Whether a refresh token is still live (rotation removes spent ones).
    pub fn refresh_token_is_live(&self, token: &str) -> bool {
        self.shared.lock().refresh_tokens.contains_key(token)
    }

    /// Add (or update) an SSO account and assign it these roles.
    pub fn add_account(&self, account_id: &str, name: &str, roles: &[&str]) {
        self.shared.lock().add_account(account_id, name, roles);
    }

    /// Register a long-lived IAM user key (`arn:aws:iam::ACCOUNT:user/NAME`).
    pub fn add_user(&self, access_key_id: &str, secret: &str, account_id: &str, user_name: &str) {
        self.shared
            .lock()
            .add_user(access_key_id, secret, account_id, user_name);
    }

    /// Put conditions on AssumeRole of `role_arn` (exact ARN match).
    pub fn add_role(&self, role_arn: &str, cond: RoleConditions) {
        self.shared.lock().roles.insert(role_arn.to_string(), cond);
    }

    /// Make `code` the valid MFA code for `serial` (others accept "123456").
    pub fn set_mfa_code(&self, serial: &str, code: &str) {
        self.shared.lock().set_mfa_code(serial, code);
    }

    /// Lifetime of GetRoleCredentials credentials (default 1 h).
    pub fn set_role_credentials_lifetime(&self, d: Duration) {
        self.shared.lock().role_credentials_lifetime = d;
    }

    /// Polling interval StartDeviceAuthorization advertises (default 1 s).
    pub fn set_device_interval(&self, secs: i32) {
        self.shared.lock().device_interval = secs;
    }

    /// Lifetime of a device code StartDeviceAuthorization advertises (default 600 s).
    pub fn set_device_expires_in(&self, secs: i32) {
        self.shared.lock().device_expires_in = secs;
    }

    /// Makes StartDeviceAuthorization answer like a hostile service: `verification_uri`
    /// replaces `verificationUriComplete` (and `verificationUri`), and `user_code_suffix`
    /// is appended to the `userCode` it shows (the code to approve stays the real one).
    pub fn tamper_device_answer(&self, verification_uri: Option<&str>, user_code_suffix: &str) {
        let mut st = self.shared.lock();
        st.device_uri_override = verification_uri.map(str::to_owned);
        st.user_code_suffix = user_code_suffix.to_owned();
    }

    /// Lifetime of access tokens from CreateToken (default 8 h).
    pub fn set_token_lifetime(&self, d: Duration) {
        self.shared.lock().token_lifetime = d;
    }

    /// Move the emulator's clock forward.
    pub fn advance(&self, d: Duration) {
        self.shared.lock().advance(d);
    }

    /// Approve a pending device authorization, as opening the verification
    /// URL does. Returns false for an unknown, expired or used code.
    pub fn approve_device(&self, user_code: &str) -> bool {
        oidc::set_device_status(&mut self.shared.lock(), user_code, false).is_ok()
    }

    /// Deny a pending device authorization (CreateToken then answers
    /// AccessDeniedException). Returns false for an unknown, expired or used code.
    pub fn deny_device(&self, user_code: &str) -> bool {
        oidc::set_device_status(&mut self.shared.lock(), user_code, true).is_ok()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn public_types_are_thread_safe() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::Emulator>();
        assert_send_sync::<super::Fault>();
        assert_send_sync::<super::Options>();
        assert_send_sync::<super::RoleConditions>();
    }

    #[test]
    fn fault_json_shape() {
        let f: super::Fault = serde_json::from_str(
            r#"{"operation":"AssumeRole","status":500,"error_code":"InternalFailure","delay":250,"times":2}"#,
        )
        .unwrap();
        assert_eq!(f.delay, std::time::Duration::from_millis(250));
        assert_eq!(f.error_code.as_deref(), Some("InternalFailure"));
        let back = serde_json::to_value(&f).unwrap();
        assert_eq!(back["delay"], 250);
        let g: super::Fault =
            serde_json::from_str(r#"{"operation":"X","errorCode":"Y","delay_ms":5}"#).unwrap();
        assert_eq!(g.error_code.as_deref(), Some("Y"));
        assert_eq!(g.delay, std::time::Duration::from_millis(5));
    }
}
