//! Runs another tool's `credential_process` and reads its Version 1 JSON.
//!
//! The line is split into words like the AWS CLI does (POSIX shell words, no shell). The
//! child's stdout is captured, its stderr goes to ours (so its prompts and errors
//! reach the user), its stdin is ours (as botocore does). It runs in a process group of
//! its own (holding the terminal's foreground while granted's group would), and a
//! timeout kills that whole group, so nothing it started outlives it. Errors name the
//! profile and the program, never the arguments (they may hold secrets) nor the output.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::sys::{Env, monotonic_now};

use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::awsconfig::Origin;
use crate::creds::Credentials;
use crate::resolve::ProcessSource;
use crate::secret::Secret;

/// How long a credential_process may run (the Go SDK's default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Set in every credential_process child: how many granted credential processes are
/// above it. A line that ends up running granted for itself in a way resolution can't
/// see (`env granted …`, `sh -c …`) stops at [`MAX_DEPTH`] instead of forking for ever.
pub const DEPTH_VAR: &str = "GRANTED_CREDENTIAL_PROCESS_DEPTH";
pub const MAX_DEPTH: u32 = 4;

/// Set in every credential_process child: the profiles whose cache lock a granted above
/// it holds, one a line. A child asked for one of them must not wait for that lock (its
/// parent waits for it: a deadlock until the timeout); it goes without the cache, and
/// the depth guard ends a true loop.
pub const HELD_VAR: &str = "GRANTED_CREDENTIAL_PROCESS_HELD";

/// The cache lock this process holds while it fetches, passed on to children.
static HOLDING: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// While alive: this process holds `profile`'s cache lock (its children are told).
pub struct Holding(());

impl Holding {
    pub fn new(profile: &str) -> Holding {
        if let Ok(mut held) = HOLDING.lock() {
            *held = Some(profile.to_owned());
        }
        Holding(())
    }
}

impl Drop for Holding {
    fn drop(&mut self) {
        if let Ok(mut held) = HOLDING.lock() {
            *held = None;
        }
    }
}

/// Whether a granted above this process holds `profile`'s cache lock.
pub fn held_by_ancestors(env: &Env, profile: &str) -> bool {
    env.var(HELD_VAR)
        .is_some_and(|v| v.lines().any(|p| p == profile))
}

/// [`HELD_VAR`] for a child: the ancestors' profiles and this process's.
fn held_for_child(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut held = env(HELD_VAR).unwrap_or_default();
    if let Some(mine) = HOLDING.lock().ok().and_then(|h| h.clone()) {
        if !held.is_empty() {
            held.push('\n');
        }
        held.push_str(&mine);
    }
    (!held.is_empty()).then_some(held)
}

/// More output than any credentials need.
const MAX_OUTPUT: u64 = 1 << 20;

/// This process's depth (0 when not started by a credential_process).
pub fn current_depth(env: &dyn Fn(&str) -> Option<String>) -> u32 {
    env(DEPTH_VAR)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("profile `{profile}` ({origin}): credential_process has unbalanced quotes")]
    Split { profile: String, origin: Origin },
    #[error(
        "profile `{profile}` ({origin}): credential_process `{program}` could not start: not found"
    )]
    NotFound {
        profile: String,
        origin: Origin,
        program: String,
    },
    #[error("profile `{profile}` ({origin}): credential_process `{program}` could not start")]
    Spawn {
        profile: String,
        origin: Origin,
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("profile `{profile}`: credential_process `{program}` {status}")]
    Failed {
        profile: String,
        program: String,
        status: String,
    },
    #[error("profile `{profile}`: credential_process `{program}` did not finish within {secs} s")]
    Timeout {
        profile: String,
        program: String,
        secs: u64,
    },
    #[error("profile `{profile}`: credential_process `{program}` printed {problem}")]
    BadOutput {
        profile: String,
        program: String,
        problem: String,
    },
    #[error(
        "profile `{profile}`: credential_process runs granted inside granted {depth} levels deep; check the credential_process lines for a loop"
    )]
    TooDeep { profile: String, depth: u32 },
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Output {
    version: Option<serde_json::Value>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    expiration: Option<String>,
    account_id: Option<String>,
}

/// Runs the process and returns its credentials.
pub fn run(
    source: &ProcessSource,
    timeout: Duration,
    now: OffsetDateTime,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, ProcessError> {
    let profile = source.profile.clone();
    let depth = current_depth(env);
    if depth >= MAX_DEPTH {
        return Err(ProcessError::TooDeep { profile, depth });
    }
    let argv = crate::awsconfig::shlex_split(&source.command)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ProcessError::Split {
            profile: profile.clone(),
            origin: source.origin.clone(),
        })?;
    let program = argv[0].clone();
    let mut command = Command::new(&argv[0]);
    // Its own process group, so a timeout ends whatever it started too; while it runs it
    // has the terminal's foreground (if granted has it), so it may still prompt there.
    crate::sys::process::own_group(&mut command);
    let foreground = crate::sys::process::Foreground::if_held();
    if let Some(foreground) = &foreground {
        foreground.hand_to_child(&mut command);
    }
    if let Some(held) = held_for_child(env) {
        command.env(HELD_VAR, held);
    }
    let mut child = command
        .args(&argv[1..])
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .env(DEPTH_VAR, (depth + 1).to_string())
        // Another tool has no business with granted's store passphrase.
        .env_remove("CF_KEYRING_FILE_PASSWORD")
        .spawn()
        .map_err(|e| {
            let (profile, origin, program) =
                (profile.clone(), source.origin.clone(), program.clone());
            if e.kind() == std::io::ErrorKind::NotFound {
                ProcessError::NotFound {
                    profile,
                    origin,
                    program,
                }
            } else {
                ProcessError::Spawn {
                    profile,
                    origin,
                    program,
                    source: e,
                }
            }
        })?;
    let deadline = monotonic_now() + timeout;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let result = stdout.take(MAX_OUTPUT).read_to_end(&mut buf).map(|_| buf);
        let _ = tx.send(result);
    });
    let timed_out = |child: &mut std::process::Child, profile: String, program: String| {
        crate::sys::process::kill_group(child.id());
        let _ = child.kill();
        let _ = child.wait();
        ProcessError::Timeout {
            profile,
            program,
            secs: timeout.as_secs(),
        }
    };
    let output = match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(_) => return Err(timed_out(&mut child, profile, program)),
    };
    // Its stdout is closed, so it normally exits at once; the deadline still holds.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if monotonic_now() < deadline => std::thread::sleep(Duration::from_millis(2)),
            Ok(None) => return Err(timed_out(&mut child, profile, program)),
            Err(e) => {
                let status = format!("could not be waited for: {e}");
                return Err(ProcessError::Failed {
                    profile,
                    program,
                    status,
                });
            }
        }
    };
    if !status.success() {
        let status = match status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was killed by a signal".to_owned(),
        };
        return Err(ProcessError::Failed {
            profile,
            program,
            status,
        });
    }
    let bad = |problem: &str| ProcessError::BadOutput {
        profile: profile.clone(),
        program: program.clone(),
        problem: problem.to_owned(),
    };
    let stdout = output.map_err(|_| bad("output that could not be read"))?;
    let parsed: Output =
        serde_json::from_slice(&stdout).map_err(|_| bad("something that is not a JSON object"))?;
    if parsed.version.as_ref().and_then(serde_json::Value::as_u64) != Some(1) {
        return Err(bad("JSON without `\"Version\": 1`"));
    }
    let access_key_id = parsed
        .access_key_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("JSON without `AccessKeyId`"))?;
    let secret = parsed
        .secret_access_key
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("JSON without `SecretAccessKey`"))?;
    let expiration = match parsed.expiration.as_deref() {
        None | Some("") => None,
        Some(value) => Some(
            OffsetDateTime::parse(value, &Rfc3339)
                .map_err(|_| bad("an `Expiration` that is not an RFC 3339 time"))?,
        ),
    };
    if expiration.is_some_and(|e| e <= now) {
        return Err(bad("credentials that have already expired"));
    }
    Ok(Credentials {
        access_key_id,
        secret_access_key: Secret::new(secret),
        session_token: parsed
            .session_token
            .filter(|s| !s.is_empty())
            .map(Secret::new),
        expiration,
        account_id: parsed.account_id.filter(|s| !s.is_empty()),
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn source(command: String) -> ProcessSource {
        ProcessSource {
            profile: "p".to_owned(),
            command,
            origin: Origin {
                path: Arc::from("config"),
                line: 1,
            },
        }
    }

    /// Whether `pid` is gone: no such process, or a zombie nobody has reaped yet (a
    /// container's init may never reap it; a zombie runs nothing).
    fn gone(pid: libc::pid_t) -> bool {
        // SAFETY: signal 0 only checks that the process exists.
        if unsafe { libc::kill(pid, 0) } != 0 {
            return std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        }
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                let state = stat.rsplit_once(") ")?.1.chars().next()?;
                Some(state == 'Z' || state == 'X')
            })
            .unwrap_or(false)
    }

    #[test]
    fn a_timeout_ends_what_the_process_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("grandchild.pid");
        let script = format!(
            "sleep 1000 & echo $! > {}.tmp; mv {0}.tmp {0}; sleep 1000",
            pid_file.display()
        );
        let command = format!("sh -c '{script}'");
        let env = |_: &str| None;
        let err = run(
            &source(command),
            Duration::from_secs(1),
            OffsetDateTime::UNIX_EPOCH,
            &env,
        )
        .expect_err("the process never finishes");
        assert!(matches!(err, ProcessError::Timeout { .. }), "{err}");

        let pid: libc::pid_t = std::fs::read_to_string(&pid_file)
            .expect("the script wrote its child's pid within the timeout")
            .trim()
            .parse()
            .unwrap();
        let give_up = monotonic_now() + Duration::from_secs(10);
        while !gone(pid) {
            if monotonic_now() > give_up {
                // SAFETY: ends the leftover `sleep` this test started.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                panic!("the credential_process's child {pid} outlived the timeout");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
