//! The shell side of `assume`: statements that change a shell's environment, and the
//! wrapper function each shell sources.
//!
//! Owns: the [`Shell`] names, the list of variables `assume` manages ([`MANAGED`]), one
//! audited escaper per shell family and the text of the wrappers in `shell/`. Every
//! function here is pure: names and values in, text out. This module does no IO, reads
//! no environment, and never sees `Credentials`: `app` turns those into `(name, value)`
//! pairs first, so secrets appear here only in the text returned.
//!
//! Must not: write a value anywhere but through its shell's escaper, emit a variable name
//! outside [`MANAGED`], or put runtime data into a wrapper script (the wrappers are static
//! files, as zoxide's templates are; data reaches the shell only as emitted statements).
//!
//! One file per shell family, as direnv and zoxide do: `posix` (bash, zsh, sh), `fish`,
//! `powershell`, and `nushell` (JSON, never nushell string literals). Each escaper's doc
//! comment states its quoting contract.

mod fish;
mod nushell;
mod posix;
mod powershell;

use std::fmt;
use std::str::FromStr;

/// A shell `assume` can drive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    /// POSIX sh: dash, ash, busybox, ksh.
    Sh,
    Fish,
    PowerShell,
    Nu,
}

/// A shell name that is not one of [`Shell::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown shell `{0}` (expected one of: bash, zsh, sh, fish, powershell, pwsh, nu, nushell)"
)]
pub struct UnknownShell(pub String);

impl Shell {
    /// Every shell, in a fixed order.
    pub const ALL: [Shell; 6] = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Sh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Nu,
    ];

    /// The canonical name, as `--shell` and `shell-init` take it.
    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Sh => "sh",
            Shell::Fish => "fish",
            Shell::PowerShell => "powershell",
            Shell::Nu => "nu",
        }
    }
}

impl fmt::Display for Shell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Shell {
    type Err = UnknownShell;

    fn from_str(s: &str) -> Result<Shell, UnknownShell> {
        Ok(match s {
            "bash" => Shell::Bash,
            "zsh" => Shell::Zsh,
            "sh" => Shell::Sh,
            "fish" => Shell::Fish,
            "powershell" | "pwsh" => Shell::PowerShell,
            "nu" | "nushell" => Shell::Nu,
            _ => return Err(UnknownShell(s.to_owned())),
        })
    }
}

/// Granted's 13 managed variables, in Granted's order.
pub const MANAGED: [&str; 13] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_SESSION_EXPIRATION",
    "AWS_CREDENTIAL_EXPIRATION",
    "GRANTED_SSO",
    "GRANTED_SSO_START_URL",
    "GRANTED_SSO_ROLE_NAME",
    "GRANTED_SSO_REGION",
    "GRANTED_SSO_ACCOUNT_ID",
];

/// Statements that first remove every MANAGED variable not in `set`, then set each of
/// `set` (in the given order). Names must be in MANAGED (debug_assert).
pub fn export(shell: Shell, set: &[(&str, &str)]) -> String {
    check(set);
    let unset = removed(set);
    match shell {
        Shell::Bash | Shell::Zsh | Shell::Sh => posix::export(&unset, set),
        Shell::Fish => fish::export(&unset, set),
        Shell::PowerShell => powershell::export(&unset, set),
        Shell::Nu => nushell::export(&unset, set),
    }
}

/// Statements that remove every MANAGED variable.
pub fn unset(shell: Shell) -> String {
    export(shell, &[])
}

/// Statements that run `argv` (`argv[0]` is the program, looked up on PATH, never a shell
/// function/alias, never re-parsed by a shell: each element arrives as one argument byte
/// for byte) with `env` set and every other MANAGED variable removed *for that command
/// only*; the calling shell's variables are untouched; the statements' exit status is the
/// command's exit status (so the wrapper returns it).
///
/// `argv` must not be empty, and `argv[0]` must not start with `-` (dash's `exec` and
/// fish's `command` take no `--`, so such a name would read as an option; debug_assert).
pub fn exec(shell: Shell, env: &[(&str, &str)], argv: &[String]) -> String {
    check(env);
    debug_assert!(!argv.is_empty(), "exec needs a program");
    debug_assert!(
        argv.first().is_none_or(|p| !p.starts_with('-')),
        "a program name must not start with `-`"
    );
    debug_assert!(
        argv.iter().all(|a| !a.contains('\0')),
        "an argument cannot hold NUL"
    );
    let unset = removed(env);
    match shell {
        Shell::Bash | Shell::Zsh | Shell::Sh => posix::exec(shell == Shell::Zsh, &unset, env, argv),
        Shell::Fish => fish::exec(&unset, env, argv),
        Shell::PowerShell => powershell::exec(&unset, env, argv),
        Shell::Nu => nushell::exec(&unset, env, argv),
    }
}

/// The wrapper script for `granted shell-init <shell>` (the file from shell/, via
/// include_str!).
pub fn init_script(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => include_str!("../../shell/assume.bash"),
        Shell::Zsh => include_str!("../../shell/assume.zsh"),
        Shell::Sh => include_str!("../../shell/assume.sh"),
        Shell::Fish => include_str!("../../shell/assume.fish"),
        Shell::PowerShell => include_str!("../../shell/assume.ps1"),
        Shell::Nu => include_str!("../../shell/assume.nu"),
    }
}

/// The MANAGED names not set by `set`, in MANAGED order.
fn removed(set: &[(&str, &str)]) -> Vec<&'static str> {
    MANAGED
        .into_iter()
        .filter(|name| !set.iter().any(|(n, _)| n == name))
        .collect()
}

/// Names come from the fixed allow-list, so no escaper ever sees a name; values cannot
/// hold NUL, which no environment can carry.
fn check(set: &[(&str, &str)]) {
    for (i, (name, value)) in set.iter().enumerate() {
        debug_assert!(MANAGED.contains(name), "`{name}` is not a managed variable");
        debug_assert!(
            !set[..i].iter().any(|(n, _)| n == name),
            "`{name}` is set twice"
        );
        debug_assert!(!value.contains('\0'), "`{name}` holds NUL");
    }
}
