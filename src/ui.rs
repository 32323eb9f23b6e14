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

/// Tells the user where to approve a device login: on stderr and, when there is a
/// controlling terminal, on it too (the AWS CLI swallows a credential_process's
/// stderr when it succeeds).
pub fn show_device_code(url: &str, code: &str) {
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
