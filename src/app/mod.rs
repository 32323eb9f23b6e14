//! Orchestration: one function per command, wiring config, resolution, fetching and
//! output together.
//!
//! The only module that knows every other one, and the only one (with `main.rs`) that
//! reads the process environment and writes to stdout. Errors become `anyhow` here.

mod assume;
mod cache;
mod credential_process;
mod credentials_cmd;
mod settings_cmd;
mod sso_cmd;

pub use credential_process::json_for as credential_process_json;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;

use crate::cli::{Cli, Command, normalize_go_flags, quick_credential_process};

/// Parses `args` and runs the command. Errors are printed as one line on stderr.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = normalize_go_flags(args);
    if let Some((quick, aws_config_file)) = quick_credential_process(&args) {
        return finish(credential_process::run(&quick, aws_config_file, false));
    }
    // Under the `assume` shell function stdout is evaluated: help goes to stderr.
    let evaluated = crate::cli::is_assume_for_shell(&args);
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(e, evaluated),
    };
    let verbose = cli.verbose;
    let result = match cli.command {
        Command::CredentialProcess(args) => {
            credential_process::run(&args, cli.aws_config_file, verbose)
        }
        Command::Cache { command } => cache::run(&command),
        Command::Credentials { command } => credentials_cmd::run(&command, cli.aws_config_file),
        Command::Settings { command } => settings_cmd::run(command.as_ref()),
        Command::Sso { command } => sso_cmd::run(&command, cli.aws_config_file),
        Command::SsoTokens { command } => sso_cmd::tokens(command.as_ref()),
        Command::Assume(args) => assume::run(&args, cli.aws_config_file, verbose),
        Command::ShellInit { shell } => shell_init(&shell),
        Command::Completion { shell } => completion(&shell),
        Command::Profiles => profiles(cli.aws_config_file),
    };
    finish(result)
}

fn finish(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<assume::Exit>().is_some() => {
            ExitCode::from(e.downcast_ref::<assume::Exit>().map_or(1, |x| x.0))
        }
        Err(e) => {
            report(&e);
            ExitCode::from(1)
        }
    }
}

/// `[✘] message` on one line, as Granted prints errors.
fn report(e: &anyhow::Error) {
    let text = format!("{e:#}");
    let line: Vec<&str> = text.split_whitespace().collect();
    let _ = writeln!(std::io::stderr().lock(), "[✘] {}", line.join(" "));
}

fn clap_error(e: clap::Error, evaluated: bool) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Help goes to stderr when asked for implicitly, stdout when asked for
            // (but never into what the assume function evaluates).
            if evaluated {
                let _ = write!(std::io::stderr().lock(), "{}", e.render());
            } else {
                let _ = e.print();
            }
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            let rendered = e.render().to_string();
            let first: Vec<&str> = rendered
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .flat_map(str::split_whitespace)
                .collect();
            let message = first.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            let _ = writeln!(
                std::io::stderr().lock(),
                "[✘] {message} (see granted --help)"
            );
            ExitCode::from(1)
        }
    }
}

/// `granted shell-init <shell>`: the `assume` function for the user's rc file.
fn shell_init(name: &str) -> anyhow::Result<()> {
    let shell: crate::shell::Shell = name.parse()?;
    write_stdout(crate::shell::init_script(shell))
}

/// `granted completion --shell <shell>`: clap's completions for granted.
fn completion(name: &str) -> anyhow::Result<()> {
    write_stdout(&crate::cli::completions(name).map_err(anyhow::Error::msg)?)
}

/// `granted profiles`: every profile name, one a line (for `assume <TAB>`).
fn profiles(aws_config_file: Option<PathBuf>) -> anyhow::Result<()> {
    let paths = config_paths(aws_config_file.as_deref());
    let cfg = crate::awsconfig::AwsConfig::load(&paths)?;
    let mut out = String::new();
    for name in cfg.profile_names() {
        out.push_str(&name);
        out.push('\n');
    }
    write_stdout(&out)
}

/// The AWS config and credentials files: `--aws-config-file`, else `AWS_CONFIG_FILE` /
/// `AWS_SHARED_CREDENTIALS_FILE`, else the defaults.
fn config_paths(aws_config_file: Option<&std::path::Path>) -> crate::awsconfig::ConfigPaths {
    crate::awsconfig::ConfigPaths::from_vars(|name| match (name, aws_config_file) {
        ("AWS_CONFIG_FILE", Some(path)) => Some(path.display().to_string()),
        _ => std::env::var(name).ok(),
    })
}

/// This binary's file name, for recognising a `credential_process` line that runs it.
fn self_names() -> Vec<String> {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .into_iter()
        .collect()
}

/// `$HOME`, else the platform's idea of it.
fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(std::env::home_dir)
}

/// Writes machine output to stdout. A closed pipe is not an error worth a message.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(anyhow::anyhow!("could not write to stdout: {e}")),
    }
}

/// Granted's folders and settings, as every command reads them.
struct Granted {
    home: PathBuf,
    dirs: crate::settings::GrantedDirs,
    settings: crate::settings::Settings,
}

impl Granted {
    fn load() -> anyhow::Result<Granted> {
        let home = home_dir().context(NO_HOME)?;
        let dirs = crate::settings::GrantedDirs::from_env().context(NO_HOME)?;
        let settings = crate::settings::Settings::load(&dirs.settings_file())?;
        Ok(Granted {
            home,
            dirs,
            settings,
        })
    }

    /// Where the secret store lives and which backend holds its key, from the
    /// `[Keyring]` settings and `CF_KEYRING_FILE_PASSWORD`.
    fn store_config(&self) -> anyhow::Result<crate::store::StoreConfig> {
        let settings = &self.settings;
        let dir = match settings.string("Keyring.FileDir")? {
            Some(dir) => crate::settings::expand_tilde(&dir, &self.home),
            None => self.dirs.config.join("secure-storage"),
        };
        let mut config = crate::store::StoreConfig::new(dir, "granted");
        config.backend = match settings.string("Keyring.Backend")? {
            Some(name) => Some(name.parse().map_err(|e| {
                anyhow::anyhow!(
                    "{}: Keyring.Backend: {e}",
                    self.dirs.settings_file().display()
                )
            })?),
            None => None,
        };
        config.passphrase = std::env::var("CF_KEYRING_FILE_PASSWORD")
            .ok()
            .map(crate::secret::Secret::new);
        config.keychain_name = settings.string("Keyring.KeychainName")?;
        config.collection_name = settings.string("Keyring.LibSecretCollectionName")?;
        Ok(config)
    }

    /// The volatile store for cached session credentials when the store itself can't
    /// open without asking: its data key lives only in the kernel keyring (Linux).
    fn volatile_store_config(&self) -> Option<crate::store::StoreConfig> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let mut config =
            crate::store::StoreConfig::new(self.dirs.config.join("volatile-cache"), "granted");
        config.backend = Some(crate::store::Backend::Keyctl);
        Some(config)
    }

    /// The store, opened (it may ask for its passphrase on the terminal).
    fn open_store(&self) -> anyhow::Result<crate::store::Store> {
        Ok(crate::store::Store::open(&self.store_config()?)?)
    }

    /// The browser for SSO logins: `CustomSSOBrowserPath`, else `$BROWSER`.
    fn sso_browser(&self) -> anyhow::Result<Option<String>> {
        Ok(self
            .settings
            .string("CustomSSOBrowserPath")?
            .or_else(|| std::env::var("BROWSER").ok()))
    }
}

const NO_HOME: &str = "could not find the home folder (HOME is not set)";

/// `CustomSSOBrowserPath` or `$BROWSER` with the URL as its last argument, else the
/// platform opener (`open`, the Windows URL handler, `xdg-open`). The browser never
/// writes into our stdout; failing to open one is fine: the printed link finishes the
/// login from any device.
pub(crate) fn open_browser(browser: Option<&str>, url: &str) {
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
pub(crate) fn show_device_code(url: &str, code: &str) {
    let text = format!(
        "[i] If the browser does not open automatically, please open this link: {url}\n[i] Awaiting AWS authentication in the browser\n[i] Code: {code}\n"
    );
    eprint!("{text}");
    if !std::io::stderr().is_terminal()
        && let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty")
    {
        let _ = tty.write_all(text.as_bytes());
    }
}
