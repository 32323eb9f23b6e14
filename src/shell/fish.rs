//! fish: `set -e NAME`, `set -gx NAME 'value'`; for exec a `begin … end` block whose
//! `set -lu` / `set -lx` shadow the caller's variables only until `end`.

use std::fmt::Write as _;

/// Quotes `value` as one fish single-quoted word: `'` + value + `'`, with `\` written `\\`
/// and `'` written `\'`, the only two escapes fish honours inside single quotes. Every
/// other character, `$`, newline, CR and UTF-8 included, is literal there, so the word is
/// `value` byte for byte. A POSIX-quoted value is wrong in fish whenever it holds a
/// backslash (and a syntax error when it ends in one), hence this separate rule. direnv
/// writes control characters as close/`\n`/reopen instead; both forms work in fish 3
/// (style guide §2.3), and the literal one is simpler to audit.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

pub fn export(unset: &[&str], set: &[(&str, &str)]) -> String {
    let mut out = String::new();
    if !unset.is_empty() {
        let _ = writeln!(out, "set -e {}", unset.join(" "));
    }
    for (name, value) in set {
        let _ = writeln!(out, "set -gx {name} {}", quote(value));
    }
    // `set -e` of a variable that isn't there sets status 4, and a successful
    // `set -gx` leaves the status as it was; the wrapper returns the last status, and
    // clearing what is already clear is success.
    out.push_str("true\n");
    out
}

/// `set -lu NAME` makes an unexported, block-local NAME that hides a global one from the
/// child; `set -lx` exports a block-local value. Both end at `end`, and the block's status
/// is the program's. `command` runs only programs from PATH, never functions or builtins.
pub fn exec(unset: &[&str], env: &[(&str, &str)], argv: &[String]) -> String {
    let mut out = String::from("begin\n");
    for name in unset {
        let _ = writeln!(out, "    set -lu {name}");
    }
    for (name, value) in env {
        let _ = writeln!(out, "    set -lx {name} {}", quote(value));
    }
    out.push_str("    command");
    for arg in argv {
        out.push(' ');
        out.push_str(&quote(arg));
    }
    out.push_str("\nend\n");
    out
}
