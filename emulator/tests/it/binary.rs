//! The standalone binary, the control endpoints from another process, and
//! the AWS CLI (botocore) against the emulator when `aws` is installed.

use crate::common::*;
use granted_emulator::Emulator;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_granted-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    (Running(child), line)
}

#[test]
fn binary_prints_url_and_serves_control_endpoints() {
    let (mut child, line) = spawn(&["--idle-timeout", "60"]);
    let url = line.trim_end();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    assert_eq!(line, format!("{url}\n"));

    let (status, body) = raw_http(port, "GET", "/_emulator/calls", None);
    assert_eq!((status, body.as_str()), (200, "{}"));

    let (status, body) = raw_http(
        port,
        "POST",
        "/_emulator/tokens",
        Some(r#"{"startUrl":"https://example.awsapps.com/start","expiresInSeconds":600}"#),
    );
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let token = v["accessToken"].as_str().unwrap();
    assert!(v["expiresAt"].as_str().unwrap().ends_with('Z'));

    let request = format!(
        "GET /federation/credentials?role_name=ReadOnly&account_id={DEV} HTTP/1.1\r\n\
         Host: 127.0.0.1:{port}\r\nx-amz-sso_bearer_token: {token}\r\nConnection: close\r\n\r\n"
    );
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    std::io::Write::write_all(&mut s, request.as_bytes()).unwrap();
    let mut resp = String::new();
    std::io::Read::read_to_string(&mut s, &mut resp).unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("\"roleCredentials\""));

    let (status, body) = raw_http(port, "GET", "/_emulator/calls", None);
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"GetRoleCredentials":1}"#);

    let (status, _) = raw_http(
        port,
        "POST",
        "/_emulator/users",
        Some(
            r#"{"accessKeyId":"AKIABINARYUSER000001","secretAccessKey":"s","accountId":"123456789012","userName":"bob"}"#,
        ),
    );
    assert_eq!(status, 200);

    // The request log names operations but never tokens or secrets.
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.0.stderr.take().unwrap(), &mut log).unwrap();
    assert!(log.contains("GetRoleCredentials -> 200"), "{log}");
    assert!(!log.contains(token), "token leaked into the log");
}

#[test]
fn binary_exits_when_idle() {
    let (mut child, line) = spawn(&["--idle-timeout", "1"]);
    assert!(line.starts_with("http://127.0.0.1:"));
    let status = child.0.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

fn aws_cli() -> Option<Command> {
    let probe = Command::new("aws")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !matches!(probe, Ok(s) if s.success()) {
        eprintln!("aws CLI not installed: skipping the CLI check");
        return None;
    }
    Some(Command::new("aws"))
}

fn cli(
    emu: &Emulator,
    akid: &str,
    secret: &str,
    token: Option<&str>,
    args: &[&str],
) -> std::process::Output {
    let mut cmd = aws_cli().expect("aws CLI");
    cmd.args(args)
        .args(["--output", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", akid)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL_STS", emu.url())
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null());
    if let Some(t) = token {
        cmd.env("AWS_SESSION_TOKEN", t);
    }
    cmd.output().expect("run aws")
}

#[test]
fn aws_cli_against_the_emulator() {
    if aws_cli().is_none() {
        return;
    }
    let emu = Emulator::start().unwrap();
    let secret = "cli/secret+with/special=chars0000000000";
    emu.add_user("AKIACLIUSER000000001", secret, DEV, "carol");

    let out = cli(
        &emu,
        "AKIACLIUSER000000001",
        secret,
        None,
        &["sts", "get-caller-identity"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Arn"], "arn:aws:iam::123456789012:user/carol");
    assert_eq!(v["Account"], DEV);

    let out = cli(
        &emu,
        "AKIACLIUSER000000001",
        secret,
        None,
        &[
            "sts",
            "assume-role",
            "--role-arn",
            "arn:aws:iam::210987654321:role/CliRole",
            "--role-session-name",
            "cli-session",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["AssumedRoleUser"]["Arn"],
        "arn:aws:sts::210987654321:assumed-role/CliRole/cli-session"
    );
    let c = &v["Credentials"];
    let out = cli(
        &emu,
        c["AccessKeyId"].as_str().unwrap(),
        c["SecretAccessKey"].as_str().unwrap(),
        c["SessionToken"].as_str(),
        &["sts", "get-caller-identity"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["Arn"],
        "arn:aws:sts::210987654321:assumed-role/CliRole/cli-session"
    );

    let out = cli(
        &emu,
        "AKIACLIUSER000000001",
        "wrong",
        None,
        &["sts", "get-caller-identity"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SignatureDoesNotMatch"), "{err}");
}
