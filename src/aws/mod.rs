//! Calls to AWS: `sso:GetRoleCredentials`, `sts:AssumeRole`, `sts:GetSessionToken`.
//!
//! Owns building the SDK clients (one lean rustls HTTP client, endpoint overrides,
//! bounded retries with backoff for throttling and 5xx, timeouts) and turning SDK errors
//! into one-line [`AwsError`]s that carry the AWS error code and message (upstream text
//! made [`printable`](crate::ui::printable): no escape sequence reaches a terminal). It must not
//! decide *what* to call (that is the chain's job), read config files, or print.

use std::time::Duration;

use aws_sdk_sts::config::{BehaviorVersion, Region, SharedHttpClient};
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use time::OffsetDateTime;

use crate::creds::{Credentials, account_of_arn};
use crate::secret::Secret;

/// Attempts per call (first try + retries) unless `max_attempts` says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error("{operation} failed: {code}: {message}")]
    Service {
        operation: &'static str,
        status: u16,
        code: String,
        message: String,
    },
    #[error("{operation} could not reach {endpoint}: {detail}")]
    Unreachable {
        operation: &'static str,
        endpoint: String,
        detail: String,
    },
    #[error("{operation} timed out talking to {endpoint}")]
    Timeout {
        operation: &'static str,
        endpoint: String,
    },
    #[error("{operation} failed: {detail}")]
    Other {
        operation: &'static str,
        detail: String,
    },
    #[error("{operation} returned a response without credentials")]
    Incomplete { operation: &'static str },
}

impl AwsError {
    pub fn status(&self) -> Option<u16> {
        match self {
            AwsError::Service { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Where one call goes.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub region: &'a str,
    /// `None` for the AWS default endpoint of the region.
    pub endpoint: Option<&'a str>,
}

/// SDK clients sharing one HTTP client.
#[derive(Clone)]
pub struct Aws {
    http: SharedHttpClient,
    max_attempts: u32,
}

impl Aws {
    pub fn new(max_attempts: Option<u32>) -> Aws {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        Aws {
            http,
            max_attempts: max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS),
        }
    }

    fn retry(&self) -> aws_sdk_sts::config::retry::RetryConfig {
        aws_sdk_sts::config::retry::RetryConfig::standard()
            .with_max_attempts(self.max_attempts)
            .with_initial_backoff(Duration::from_millis(200))
            .with_max_backoff(Duration::from_secs(5))
    }

    fn timeouts() -> aws_sdk_sts::config::timeout::TimeoutConfig {
        aws_sdk_sts::config::timeout::TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_attempt_timeout(Duration::from_secs(20))
            .operation_timeout(Duration::from_secs(60))
            .build()
    }

    fn sts(&self, target: &Target, creds: &Credentials) -> aws_sdk_sts::Client {
        let provider = aws_sdk_sts::config::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose().to_owned(),
            creds.session_token.as_ref().map(|t| t.expose().to_owned()),
            None,
            "granted",
        );
        let mut config = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(target.region.to_owned()))
            .http_client(self.http.clone())
            .retry_config(self.retry())
            .timeout_config(Self::timeouts())
            .credentials_provider(provider);
        config.set_endpoint_url(target.endpoint.map(str::to_owned));
        aws_sdk_sts::Client::from_conf(config.build())
    }

    /// The SSO portal client (its calls carry the bearer token, no signature).
    fn sso(&self, target: &Target) -> aws_sdk_sso::Client {
        let mut config = aws_sdk_sso::Config::builder()
            .behavior_version(aws_sdk_sso::config::BehaviorVersion::latest())
            .region(aws_sdk_sso::config::Region::new(target.region.to_owned()))
            .http_client(self.http.clone())
            .retry_config(self.retry())
            .timeout_config(Self::timeouts());
        config.set_endpoint_url(target.endpoint.map(str::to_owned));
        aws_sdk_sso::Client::from_conf(config.build())
    }

    /// `sso:GetRoleCredentials` with an SSO access token.
    pub async fn get_role_credentials(
        &self,
        target: &Target<'_>,
        token: &Secret,
        account_id: &str,
        role_name: &str,
    ) -> Result<Credentials, AwsError> {
        const OP: &str = "sso:GetRoleCredentials";
        let client = self.sso(target);
        let out = client
            .get_role_credentials()
            .access_token(token.expose())
            .account_id(account_id)
            .role_name(role_name)
            .send()
            .await
            .map_err(|e| map_err(OP, target, e))?;
        let rc = out
            .role_credentials()
            .ok_or(AwsError::Incomplete { operation: OP })?;
        let (Some(id), Some(secret)) = (rc.access_key_id(), rc.secret_access_key()) else {
            return Err(AwsError::Incomplete { operation: OP });
        };
        let expiration =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(rc.expiration()) * 1_000_000)
                .map_err(|_| AwsError::Incomplete { operation: OP })?;
        Ok(Credentials {
            access_key_id: id.to_owned(),
            secret_access_key: Secret::new(secret),
            session_token: rc.session_token().map(Secret::new),
            expiration: Some(expiration),
            account_id: Some(account_id.to_owned()),
        })
    }

    /// `sso:Logout`: ends the portal session of `token`.
    pub async fn sso_logout(&self, target: &Target<'_>, token: &Secret) -> Result<(), AwsError> {
        const OP: &str = "sso:Logout";
        self.sso(target)
            .logout()
            .access_token(token.expose())
            .send()
            .await
            .map_err(|e| map_err(OP, target, e))?;
        Ok(())
    }

    /// `sts:AssumeRole` signed with `creds`.
    pub async fn assume_role(
        &self,
        target: &Target<'_>,
        creds: &Credentials,
        request: AssumeRole<'_>,
    ) -> Result<Credentials, AwsError> {
        const OP: &str = "sts:AssumeRole";
        let mut call = self
            .sts(target, creds)
            .assume_role()
            .role_arn(request.role_arn)
            .role_session_name(request.session_name)
            .set_external_id(request.external_id.map(str::to_owned))
            .set_duration_seconds(request.duration_seconds.map(|d| d as i32));
        if let Some((serial, code)) = request.mfa {
            call = call.serial_number(serial).token_code(code);
        }
        let out = call.send().await.map_err(|e| map_err(OP, target, e))?;
        let c = out
            .credentials()
            .ok_or(AwsError::Incomplete { operation: OP })?;
        let account_id = out
            .assumed_role_user()
            .and_then(|u| account_of_arn(u.arn()))
            .or_else(|| account_of_arn(request.role_arn))
            .map(str::to_owned);
        sts_credentials(OP, c, account_id)
    }

    /// `sts:GetSessionToken` with an MFA code, signed with long-lived keys.
    pub async fn get_session_token(
        &self,
        target: &Target<'_>,
        creds: &Credentials,
        serial: &str,
        code: &str,
    ) -> Result<Credentials, AwsError> {
        const OP: &str = "sts:GetSessionToken";
        let out = self
            .sts(target, creds)
            .get_session_token()
            .serial_number(serial)
            .token_code(code)
            .send()
            .await
            .map_err(|e| map_err(OP, target, e))?;
        let c = out
            .credentials()
            .ok_or(AwsError::Incomplete { operation: OP })?;
        sts_credentials(OP, c, creds.account_id.clone())
    }
}

/// A client registration from `sso-oidc:RegisterClient`.
#[derive(Debug, Clone)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: Secret,
    pub expires_at: OffsetDateTime,
}

/// A device authorization from `sso-oidc:StartDeviceAuthorization`.
#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    pub device_code: Secret,
    pub user_code: String,
    pub verification_uri_complete: String,
    pub expires_in: Duration,
    pub interval: Duration,
}

/// What one `CreateToken` poll gave.
#[derive(Debug)]
pub enum Poll {
    Token {
        access_token: Secret,
        expires_in: Duration,
        refresh_token: Option<Secret>,
    },
    Pending,
    SlowDown,
    /// The user refused the request in the browser (`access_denied`).
    Denied,
    /// The device code expired before it was approved (`expired_token`).
    Expired,
}

impl Aws {
    fn oidc(&self, target: &Target) -> aws_sdk_ssooidc::Client {
        let mut config = aws_sdk_ssooidc::Config::builder()
            .behavior_version(aws_sdk_ssooidc::config::BehaviorVersion::latest())
            .region(aws_sdk_ssooidc::config::Region::new(
                target.region.to_owned(),
            ))
            .http_client(self.http.clone())
            .retry_config(self.retry())
            .timeout_config(Self::timeouts());
        config.set_endpoint_url(target.endpoint.map(str::to_owned));
        aws_sdk_ssooidc::Client::from_conf(config.build())
    }

    /// `sso-oidc:RegisterClient` for a public client named as Granted names it.
    pub async fn register_client(
        &self,
        target: &Target<'_>,
        scopes: &[String],
    ) -> Result<Registration, AwsError> {
        const OP: &str = "sso-oidc:RegisterClient";
        let out = self
            .oidc(target)
            .register_client()
            .client_name("Granted CLI")
            .client_type("public")
            .set_scopes((!scopes.is_empty()).then(|| scopes.to_vec()))
            .send()
            .await
            .map_err(|e| map_err(OP, target, e))?;
        let (Some(id), Some(secret)) = (out.client_id(), out.client_secret()) else {
            return Err(AwsError::Incomplete { operation: OP });
        };
        Ok(Registration {
            client_id: id.to_owned(),
            client_secret: Secret::new(secret),
            expires_at: OffsetDateTime::from_unix_timestamp(out.client_secret_expires_at())
                .map_err(|_| AwsError::Incomplete { operation: OP })?,
        })
    }

    /// `sso-oidc:StartDeviceAuthorization`.
    pub async fn start_device_authorization(
        &self,
        target: &Target<'_>,
        registration: &Registration,
        start_url: &str,
    ) -> Result<DeviceAuthorization, AwsError> {
        const OP: &str = "sso-oidc:StartDeviceAuthorization";
        let out = self
            .oidc(target)
            .start_device_authorization()
            .client_id(&registration.client_id)
            .client_secret(registration.client_secret.expose())
            .start_url(start_url)
            .send()
            .await
            .map_err(|e| map_err(OP, target, e))?;
        let (Some(device_code), Some(user_code), Some(uri)) = (
            out.device_code(),
            out.user_code(),
            out.verification_uri_complete().or(out.verification_uri()),
        ) else {
            return Err(AwsError::Incomplete { operation: OP });
        };
        Ok(DeviceAuthorization {
            device_code: Secret::new(device_code),
            user_code: user_code.to_owned(),
            verification_uri_complete: uri.to_owned(),
            expires_in: Duration::from_secs(out.expires_in().max(1) as u64),
            interval: Duration::from_secs(out.interval().max(1) as u64),
        })
    }

    /// `sso-oidc:CreateToken` with a refresh token.
    pub async fn refresh_token(
        &self,
        target: &Target<'_>,
        registration: &Registration,
        refresh_token: &Secret,
    ) -> Result<Poll, AwsError> {
        const OP: &str = "sso-oidc:CreateToken";
        let out = self
            .oidc(target)
            .create_token()
            .client_id(&registration.client_id)
            .client_secret(registration.client_secret.expose())
            .grant_type("refresh_token")
            .refresh_token(refresh_token.expose())
            .send()
            .await
            .map_err(|e| map_err(OP, target, e))?;
        token_of(OP, &out)
    }

    /// One `sso-oidc:CreateToken` poll with the device code.
    pub async fn poll_device_token(
        &self,
        target: &Target<'_>,
        registration: &Registration,
        device: &DeviceAuthorization,
    ) -> Result<Poll, AwsError> {
        const OP: &str = "sso-oidc:CreateToken";
        let result = self
            .oidc(target)
            .create_token()
            .client_id(&registration.client_id)
            .client_secret(registration.client_secret.expose())
            .grant_type("urn:ietf:params:oauth:grant-type:device_code")
            .device_code(device.device_code.expose())
            .send()
            .await;
        match result {
            Ok(out) => token_of(OP, &out),
            Err(SdkError::ServiceError(e)) if e.err().is_authorization_pending_exception() => {
                Ok(Poll::Pending)
            }
            Err(SdkError::ServiceError(e)) if e.err().is_slow_down_exception() => {
                Ok(Poll::SlowDown)
            }
            Err(SdkError::ServiceError(e)) if e.err().is_access_denied_exception() => {
                Ok(Poll::Denied)
            }
            Err(SdkError::ServiceError(e)) if e.err().is_expired_token_exception() => {
                Ok(Poll::Expired)
            }
            Err(e) => Err(map_err(OP, target, e)),
        }
    }
}

/// The token a `CreateToken` call gave, whatever its grant.
fn token_of(
    operation: &'static str,
    out: &aws_sdk_ssooidc::operation::create_token::CreateTokenOutput,
) -> Result<Poll, AwsError> {
    let token = out
        .access_token()
        .ok_or(AwsError::Incomplete { operation })?;
    Ok(Poll::Token {
        access_token: Secret::new(token),
        expires_in: Duration::from_secs(out.expires_in().max(0) as u64),
        refresh_token: out.refresh_token().map(Secret::new),
    })
}

/// One `AssumeRole` request.
#[derive(Debug, Clone, Copy)]
pub struct AssumeRole<'a> {
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub external_id: Option<&'a str>,
    pub duration_seconds: Option<u32>,
    /// `(serial, code)`.
    pub mfa: Option<(&'a str, &'a str)>,
}

fn sts_credentials(
    operation: &'static str,
    c: &aws_sdk_sts::types::Credentials,
    account_id: Option<String>,
) -> Result<Credentials, AwsError> {
    let exp = c.expiration();
    let expiration = OffsetDateTime::from_unix_timestamp(exp.secs())
        .map_err(|_| AwsError::Incomplete { operation })?;
    Ok(Credentials {
        access_key_id: c.access_key_id().to_owned(),
        secret_access_key: Secret::new(c.secret_access_key()),
        session_token: Some(Secret::new(c.session_token())),
        expiration: Some(expiration),
        account_id,
    })
}

fn one_line(s: String) -> String {
    if s.contains('\n') {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        s
    }
}

/// The error's causes, outermost first, without the Debug dumps that
/// `DisplayErrorContext` adds: `io error: … tcp connect error: Connection refused`.
fn cause_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = err.source();
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    if parts.is_empty() {
        parts.push(err.to_string());
    }
    one_line(parts.join(": "))
}

fn map_err<E, R>(operation: &'static str, target: &Target, err: SdkError<E, R>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + HasStatus + 'static,
{
    let endpoint = target
        .endpoint
        .map(str::to_owned)
        .unwrap_or_else(|| format!("the AWS endpoint in {}", target.region));
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            AwsError::Service {
                operation,
                status: service.raw().status_code(),
                code: crate::ui::printable(e.code().unwrap_or("UnknownError")),
                message: crate::ui::printable(&one_line(
                    e.message().unwrap_or("no message").to_owned(),
                )),
            }
        }
        SdkError::TimeoutError(_) => AwsError::Timeout {
            operation,
            endpoint,
        },
        SdkError::DispatchFailure(_) => AwsError::Unreachable {
            operation,
            endpoint,
            detail: crate::ui::printable(&cause_chain(&err)),
        },
        _ => AwsError::Other {
            operation,
            detail: crate::ui::printable(&one_line(DisplayErrorContext(&err).to_string())),
        },
    }
}

/// The HTTP status of a raw response, whatever the SDK crate's response type.
pub trait HasStatus {
    fn status_code(&self) -> u16;
}

impl HasStatus for aws_sdk_sts::config::http::HttpResponse {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}
