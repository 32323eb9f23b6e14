//! The system boundary: the only module that reads process state.
//!
//! Owns the process environment ([`Env`]), the wall clock and the monotonic clock
//! ([`Clock`], [`monotonic_now`]), the home folder, this binary's own name and
//! arguments, the controlling terminal ([`open_tty`]), and the file-system primitives
//! every secret file goes through: private folders, atomic writes and reads that refuse
//! links ([`fs`], open(2) flags from `libc`), bounded cross-process locks ([`lock`]),
//! this process's core-dump protection and child process groups with the terminal's
//! foreground ([`process`]). Every other module gets these
//! through one per-run [`Sys`] value (or plain values taken from it), so tests inject an
//! environment and a clock instead of setting process state. `clippy.toml` bans the
//! `std::env` readers and the clocks everywhere else.
//!
//! It must not interpret what it reads (which variable means what belongs to the
//! callers) and must not write process state: it never sets or removes a variable.
#![allow(clippy::disallowed_methods)]

pub mod fs;
pub mod lock;
pub mod process;

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::File;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use time::OffsetDateTime;

/// The environment a run sees: the process's own, or a fixed set of variables.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// `None`: the process environment.
    fixed: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process environment, read at each lookup.
    pub fn process() -> Env {
        Env { fixed: None }
    }

    /// Exactly these variables and no others (tests).
    pub fn fixed<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Env {
        Env {
            fixed: Some(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
        }
    }

    /// The variable's value; `None` when unset or not UTF-8.
    pub fn var(&self, name: &str) -> Option<String> {
        match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => {
                // `std::env::var` panics on names with `=` or NUL; such a name is unset.
                if name.is_empty() || name.contains(['=', '\0']) {
                    return None;
                }
                std::env::var(name).ok()
            }
        }
    }

    /// Like [`Env::var`], but a value that is not UTF-8 is kept (lossily converted).
    pub fn var_lossy(&self, name: &str) -> Option<String> {
        match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => {
                if name.is_empty() || name.contains(['=', '\0']) {
                    return None;
                }
                std::env::var_os(name).map(|v| {
                    v.into_string()
                        .unwrap_or_else(|v| v.to_string_lossy().into_owned())
                })
            }
        }
    }

    /// Whether the variable is set to `true`, `1`, `TRUE` or `True`.
    pub fn is_true(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| matches!(v.trim(), "true" | "1" | "TRUE" | "True"))
    }

    /// A lookup function, the form the lower layers take.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |name| self.var(name)
    }
}

/// The wall clock: the system's, or stopped at one instant (tests).
#[derive(Clone, Copy, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(OffsetDateTime),
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(at) => *at,
        }
    }
}

/// The monotonic clock, for deadlines and timeouts.
pub fn monotonic_now() -> Instant {
    Instant::now()
}

/// What one run of granted sees of the system.
#[derive(Clone, Debug, Default)]
pub struct Sys {
    pub env: Env,
    pub clock: Clock,
}

impl Sys {
    /// The process's environment and the system clock.
    pub fn process() -> Sys {
        Sys {
            env: Env::process(),
            clock: Clock::System,
        }
    }

    pub fn var(&self, name: &str) -> Option<String> {
        self.env.var(name)
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// `$HOME`, else (for the process environment only) the platform's idea of it.
    pub fn home(&self) -> Option<PathBuf> {
        self.env
            .var_lossy("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(|| match self.env.fixed {
                None => std::env::home_dir(),
                Some(_) => None,
            })
    }
}

/// This binary's file name, for recognising a `credential_process` line that runs it.
pub fn exe_names() -> Vec<String> {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .into_iter()
        .collect()
}

/// The process's arguments.
pub fn args() -> Vec<OsString> {
    std::env::args_os().collect()
}

/// The controlling terminal, for reading (`write: false`) or writing.
pub fn open_tty(read: bool, write: bool) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .read(read)
        .write(write)
        .open("/dev/tty")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_env_sees_only_its_variables() {
        let env = Env::fixed([("A", "1"), ("B", "yes")]);
        assert_eq!(env.var("A").as_deref(), Some("1"));
        assert!(env.is_true("A"));
        assert!(!env.is_true("B"));
        assert_eq!(env.var("PATH"), None);
        let sys = Sys {
            env,
            clock: Clock::Fixed(time::macros::datetime!(2026-01-02 03:04:05 UTC)),
        };
        assert_eq!(
            sys.home(),
            None,
            "a fixed env never falls back to the OS home"
        );
        assert_eq!(sys.now().year(), 2026);
    }

    #[test]
    fn odd_names_are_unset_not_a_panic() {
        let env = Env::process();
        assert_eq!(env.var(""), None);
        assert_eq!(env.var("A=B"), None);
        assert_eq!(env.var("A\0B"), None);
    }
}
