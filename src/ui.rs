//! Talking to the user outside stdout: the browser for SSO logins and the device-code
//! prompt.
//!
//! Owns how a browser is started (`CustomSSOBrowserPath` / `$BROWSER` split like a
//! shell line, else the platform opener) and where the login prompt is shown. It must
//! not write to stdout: under `credential_process` and `assume` stdout is machine
//! output.

use std::io::{IsTerminal, Write};

/// Variables that carry a secret granted reads or sets (the file keyring's passphrase,
/// session credentials from `assume`): a browser has no business with them, so they are
/// removed from its environment.
pub const SECRET_VARS: &[&str] = &[
    "CF_KEYRING_FILE_PASSWORD",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
];

/// `CustomSSOBrowserPath` or `$BROWSER` with the URL as its last argument, else the
/// platform opener (`open`, the Windows URL handler, `xdg-open`). The browser never
/// writes into our stdout and never sees a secret variable ([`SECRET_VARS`]); failing
/// to open one is fine: the printed link finishes the login from any device.
pub fn open_browser(browser: Option<&str>, url: &str) {
    use std::process::{Command, Stdio};
    // The caller checked the link; a browser flag in its place is never passed on.
    if url.starts_with('-') {
        return;
    }
    let mut command = match browser {
        Some(b) => {
            let mut words = crate::awsconfig::shlex_split(b).unwrap_or_else(|| vec![b.to_owned()]);
            if words.is_empty() {
                return;
            }
            let program = words.remove(0);
            let mut c = Command::new(program);
            c.args(words);
            c
        }
        None if cfg!(target_os = "macos") => Command::new("open"),
        // `cmd /C start "" URL` would let cmd.exe parse the `&` of a query string;
        // the URL protocol handler takes it as one argument.
        None if cfg!(windows) => {
            let mut c = Command::new("rundll32");
            c.arg("url.dll,FileProtocolHandler");
            c
        }
        None => Command::new("xdg-open"),
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(stderr_as_stdio());
    for name in SECRET_VARS {
        command.env_remove(name);
    }
    let _ = command.spawn();
}

/// Our stderr, for a child's stdout.
fn stderr_as_stdio() -> std::process::Stdio {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            return std::process::Stdio::from(fd);
        }
    }
    std::process::Stdio::null()
}

/// `text` made safe for a terminal and kept on one line: escape sequences (CSI, OSC and
/// the other `ESC …` forms, and their one-byte C1 forms) are dropped whole, every other
/// control character and the bidirectional-text overrides are dropped, and line breaks
/// and tabs become spaces.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            // CSI: parameters and intermediates up to a final byte in `@`..=`~`.
            '\u{1b}' if chars.peek() == Some(&'[') => {
                chars.next();
                skip_csi(&mut chars);
            }
            '\u{9b}' => skip_csi(&mut chars),
            // OSC, DCS, SOS, PM, APC: a string up to BEL or ST (`ESC \\` or U+009C).
            '\u{1b}' if matches!(chars.peek(), Some(']' | 'P' | 'X' | '^' | '_')) => {
                chars.next();
                skip_string(&mut chars);
            }
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            // Any other escape: ESC and the one character it introduces.
            '\u{1b}' => {
                chars.next();
            }
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' if chars.peek() == Some(&'\\') => {
                chars.next();
                break;
            }
            _ => {}
        }
    }
}

/// Tells the user where to approve a device login: on stderr and, when there is a
/// controlling terminal, on it too (the AWS CLI swallows a credential_process's
/// stderr when it succeeds). Both come from the service and are shown [`printable`].
pub fn show_device_code(url: &str, code: &str) {
    let (url, code) = (printable(url), printable(code));
    let text = format!(
        "[i] If the browser does not open automatically, please open this link: {url}\n[i] Awaiting AWS authentication in the browser\n[i] Code: {code}\n"
    );
    eprint!("{text}");
    if !std::io::stderr().is_terminal()
        && let Ok(mut tty) = crate::sys::open_tty(false, true)
    {
        let _ = tty.write_all(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn printable_drops_escape_sequences_and_control_characters() {
        assert_eq!(printable("ABCD-EFGH"), "ABCD-EFGH");
        assert_eq!(printable("\u{1b}[2J\u{1b}[1;31mred\u{1b}[0m"), "red");
        assert_eq!(
            printable("a\u{1b}]0;title\u{7}b\u{1b}]8;;x\u{1b}\\c"),
            "abc"
        );
        assert_eq!(printable("a\u{9b}31mb\u{1b}Pq\u{9c}c\u{1b}7d"), "abcd");
        assert_eq!(printable("one\ntwo\r\tthree\u{0}\u{7f}"), "one two  three");
        assert_eq!(printable("\u{202e}txt.exe"), "txt.exe");
        assert_eq!(printable("ünïcødé ✔"), "ünïcødé ✔");
    }
}
