//! Shared helpers for the integration tests: real SDK clients pointed at an
//! emulator, and a tiny raw HTTP/1.1 client over `std::net::TcpStream`.

use granted_emulator::Emulator;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub const DEV: &str = "123456789012";
pub const PROD: &str = "210987654321";
pub const START_URL: &str = "https://example.awsapps.com/start";

fn http() -> aws_sdk_sso::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}

fn retry() -> aws_sdk_sso::config::retry::RetryConfig {
    aws_sdk_sso::config::retry::RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
}

pub fn sso(emu: &Emulator) -> aws_sdk_sso::Client {
    let conf = aws_sdk_sso::Config::builder()
        .behavior_version(aws_sdk_sso::config::BehaviorVersion::latest())
        .region(aws_sdk_sso::config::Region::new("us-east-1"))
        .endpoint_url(emu.url())
        .http_client(http())
        .retry_config(retry())
        .build();
    aws_sdk_sso::Client::from_conf(conf)
}

pub fn oidc(emu: &Emulator) -> aws_sdk_ssooidc::Client {
    let conf = aws_sdk_ssooidc::Config::builder()
        .behavior_version(aws_sdk_ssooidc::config::BehaviorVersion::latest())
        .region(aws_sdk_ssooidc::config::Region::new("us-east-1"))
        .endpoint_url(emu.url())
        .http_client(http())
        .retry_config(retry())
        .build();
    aws_sdk_ssooidc::Client::from_conf(conf)
}

/// Static credentials as the STS client's provider.
#[derive(Clone, Debug)]
pub struct Creds {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl Creds {
    pub fn user(akid: &str, secret: &str) -> Creds {
        Creds {
            access_key_id: akid.into(),
            secret_access_key: secret.into(),
            session_token: None,
        }
    }
}

impl From<&aws_sdk_sso::types::RoleCredentials> for Creds {
    fn from(c: &aws_sdk_sso::types::RoleCredentials) -> Creds {
        Creds {
            access_key_id: c.access_key_id().unwrap_or_default().into(),
            secret_access_key: c.secret_access_key().unwrap_or_default().into(),
            session_token: c.session_token().map(str::to_string),
        }
    }
}

impl From<&aws_sdk_sts::types::Credentials> for Creds {
    fn from(c: &aws_sdk_sts::types::Credentials) -> Creds {
        Creds {
            access_key_id: c.access_key_id().into(),
            secret_access_key: c.secret_access_key().into(),
            session_token: Some(c.session_token().into()),
        }
    }
}

pub fn sts(emu: &Emulator, creds: &Creds) -> aws_sdk_sts::Client {
    let provider = aws_sdk_sts::config::Credentials::new(
        &creds.access_key_id,
        &creds.secret_access_key,
        creds.session_token.clone(),
        None,
        "emulator-test",
    );
    let conf = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new("us-east-1"))
        .endpoint_url(emu.url())
        .http_client(http())
        .retry_config(retry())
        .credentials_provider(provider)
        .build();
    aws_sdk_sts::Client::from_conf(conf)
}

/// Role credentials for `account`/`role` through GetRoleCredentials.
pub async fn sso_creds(emu: &Emulator, account: &str, role: &str) -> Creds {
    let token = emu.issue_access_token(START_URL, Duration::from_secs(3600));
    let out = sso(emu)
        .get_role_credentials()
        .access_token(token)
        .account_id(account)
        .role_name(role)
        .send()
        .await
        .expect("GetRoleCredentials");
    Creds::from(out.role_credentials().expect("roleCredentials"))
}

/// A raw HTTP/1.1 exchange (`Connection: close`); returns (status, body).
pub fn raw_http(port: u16, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    raw_request(
        port,
        method,
        path,
        &[("Content-Type", "application/json")],
        body.unwrap_or("").as_bytes(),
    )
}

/// A raw HTTP/1.1 exchange with extra headers; returns (status, body).
pub fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: test-browser\r\n\
         Content-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write");
    // The server may answer (e.g. 413) before reading a large body.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// GET an absolute `http://127.0.0.1:PORT/...` URL, as a browser would.
pub fn browser_get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://127.0.0.1:").expect("local url");
    let (port, path) = rest.split_at(rest.find('/').expect("path"));
    raw_http(port.parse().expect("port"), "GET", path, None)
}
