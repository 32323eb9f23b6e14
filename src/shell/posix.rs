//! bash, zsh and POSIX sh (dash, ash, ksh): one text for all three, except that zsh's
//! `exec` needs `command` to stay away from shell functions.
//!
//! Statements: `\unset NAME…`, `\export NAME='value'`, and for exec a subshell
//! `( \unset …; \export …; \exec 'prog' 'arg'… )`. Command words are written `\word` so
//! that a user's alias of the same name is never expanded, as zoxide's templates do.

use std::fmt::Write as _;

/// Quotes `value` as one POSIX single-quoted word: `'` + value + `'`, with each `'` written
/// `'\''` (close the quote, an escaped quote, reopen). Every other byte stands for itself
/// inside single quotes (`\`, `$`, backtick, `!`, newline, CR, tab, UTF-8 alike), so the
/// word evaluates to `value` byte for byte in bash, zsh, dash and ksh; nothing is expanded,
/// globbed or split. Newlines stay literal, which is why the wrappers run `eval "$(…)"`
/// with the substitution quoted (style guide §2.3). Even values that need no quoting are
/// quoted, so the output has one shape.
///
/// Not direnv's `$'…'` (bash/zsh only: dash rejects it) and not the `shell-escape` crate:
/// it leaves words made of `[A-Za-z0-9,._+:@%/=-]` unquoted, and zsh expands an unquoted
/// word that starts with `=` (`export X==ls` sets X to `/usr/bin/ls`); it also writes `!`
/// as `'\!'`, which is correct but is one more rule to audit. Values hold no NUL (no
/// environment can carry one).
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

pub fn export(unset: &[&str], set: &[(&str, &str)]) -> String {
    let mut out = String::new();
    if !unset.is_empty() {
        let _ = writeln!(out, "\\unset {}", unset.join(" "));
    }
    for (name, value) in set {
        let _ = writeln!(out, "\\export {name}={}", quote(value));
    }
    out
}

/// A subshell, so the caller's variables stay as they were; `exec` replaces the subshell
/// with the program (bash and dash run only files from PATH there), so the subshell's
/// status is the program's. zsh's `exec` would run a function of that name, hence
/// `\command` after it there.
pub fn exec(zsh: bool, unset: &[&str], env: &[(&str, &str)], argv: &[String]) -> String {
    // Not indented: a value may span lines, and indenting them would change it.
    let mut out = format!("(\n{}", export(unset, env));
    out.push_str(if zsh { "\\exec \\command" } else { "\\exec" });
    for arg in argv {
        out.push(' ');
        out.push_str(&quote(arg));
    }
    out.push_str("\n)\n");
    out
}
