//! Test harness: a throw-away HOME with `.aws/config`, the real `granted` binary, and the
//! project's emulator on 127.0.0.1. Nothing here touches the machine's own `~/.aws`.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use granted_emulator::Emulator;

pub const START_URL: &str = "https://example.awsapps.com/start";

/// The `granted` binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_granted")
}

pub struct TestEnv {
    pub home: tempfile::TempDir,
    pub emu: Emulator,
    /// Extra variables for every command.
    pub vars: Vec<(String, String)>,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let home = tempfile::tempdir().expect("temp HOME");
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        let emu = Emulator::start().expect("emulator starts");
        let url = emu.url();
        TestEnv {
            home,
            emu,
            vars: vec![("AWS_ENDPOINT_URL".into(), url)],
        }
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.home().join(".aws/config"), text).unwrap();
    }

    pub fn write_credentials(&self, text: &str) {
        std::fs::write(self.home().join(".aws/credentials"), text).unwrap();
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.retain(|(k, _)| k != name);
        self.vars.push((name.into(), value.into()));
    }

    pub fn unset(&mut self, name: &str) {
        self.vars.retain(|(k, _)| k != name);
    }

    /// Writes the AWS CLI's cache file for `key` (session name or start URL), as
    /// `aws sso login` would, holding a token the emulator accepts.
    pub fn login_aws_cli_style(&self, key: &str, start_url: &str, lifetime: Duration) -> String {
        let token = self.emu.issue_access_token(start_url, lifetime);
        let expires = time::OffsetDateTime::now_utc() + lifetime;
        self.write_sso_cache(key, start_url, &token, expires);
        token
    }

    pub fn write_sso_cache(
        &self,
        key: &str,
        start_url: &str,
        token: &str,
        expires: time::OffsetDateTime,
    ) {
        let dir = self.home().join(".aws/sso/cache");
        std::fs::create_dir_all(&dir).unwrap();
        let body = serde_json::json!({
            "startUrl": start_url,
            "region": "us-east-1",
            "accessToken": token,
            "expiresAt": granted::output::utc_rfc3339(expires),
        });
        std::fs::write(
            dir.join(granted::sso::AwsCliCache::file_name(key)),
            body.to_string(),
        )
        .unwrap();
    }

    /// A command with a clean environment: only PATH, the temp HOME and our variables.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        cmd
    }

    pub fn granted(&self, args: &[&str]) -> Run {
        Run::from(
            self.command(bin())
                .args(args)
                .output()
                .expect("granted runs"),
        )
    }

    /// `granted credential-process --profile NAME`.
    pub fn credential_process(&self, profile: &str) -> Run {
        self.granted(&["credential-process", "--profile", profile])
    }
}

/// The kernel keyring copies of this HOME's store keys go with it, so test runs don't
/// fill the user keyring's quota (200 keys for a normal user).
impl Drop for TestEnv {
    fn drop(&mut self) {
        for dir in [".granted/secure-storage", ".granted/volatile-cache"] {
            let _ = granted::store::Store::forget_kernel_keys_in(&self.home().join(dir));
        }
    }
}

/// What a finished command left.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }
}

impl Run {
    /// Exit 0 and the parsed JSON line.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        assert!(
            self.stdout.ends_with('\n') && self.stdout.matches('\n').count() == 1,
            "one line: {:?}",
            self.stdout
        );
        serde_json::from_str(&self.stdout).expect("stdout is JSON")
    }

    /// Exit 1, nothing on stdout, one line on stderr; returns that line.
    pub fn failure(&self) -> &str {
        assert_eq!(
            self.code,
            Some(1),
            "stdout: {} stderr: {}",
            self.stdout,
            self.stderr
        );
        assert_eq!(self.stdout, "", "nothing on stdout on failure");
        assert_eq!(
            self.stderr.trim_end().lines().count(),
            1,
            "one line: {:?}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self.stderr.trim_end()
    }
}

/// `[profile NAME]` with Granted's SSO keys, as `granted sso populate` writes it.
pub fn granted_sso_profile(name: &str, account: &str, role: &str) -> String {
    format!(
        "[profile {name}]\ngranted_sso_start_url = {START_URL}\ngranted_sso_region = us-east-1\ngranted_sso_account_id = {account}\ngranted_sso_role_name = {role}\ncredential_process = granted credential-process --profile {name}\n\n"
    )
}

impl TestEnv {
    /// `granted ARGS` started and not waited for, stdout and stderr piped: for running
    /// several at once or killing one midway.
    pub fn spawn_granted(&self, args: &[&str]) -> std::process::Child {
        self.command(bin())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("granted starts")
    }
}

/// Writes an executable script at `path`.
#[cfg(unix)]
pub fn write_script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, body).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}
