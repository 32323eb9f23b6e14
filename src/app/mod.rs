//! Orchestration: one function per command, wiring config, resolution, fetching and
//! output together.
//!
//! The only module that knows every other one, and the only one that writes to stdout.
//! Each command builds its run context ([`Run`], from `sys::Sys::process()`) and hands
//! it down. Errors become `anyhow` here.

mod assume;
mod cache;
mod credential_process;
mod credentials_cmd;
mod settings_cmd;
mod sso_cmd;

pub use credential_process::json_for as credential_process_json;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, normalize_go_flags, quick_credential_process};
use crate::run::Run;
use crate::sys::Sys;

/// Parses `args` and runs the command. Errors are printed as one line on stderr.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = normalize_go_flags(args);
    if let Some((quick, aws_config_file)) = quick_credential_process(&args) {
        return finish(
            credential_process::run(&quick, aws_config_file, false),
            false,
        );
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
    finish(result, verbose)
}

/// The exit status; an error as one line on stderr and, with `--verbose`, each of its
/// causes on a line of its own.
fn finish(result: anyhow::Result<()>, verbose: bool) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<assume::Exit>().is_some() => {
            ExitCode::from(e.downcast_ref::<assume::Exit>().map_or(1, |x| x.0))
        }
        Err(e) => {
            report(&e);
            if verbose {
                for (depth, cause) in e.chain().enumerate().skip(1) {
                    let _ = writeln!(
                        std::io::stderr().lock(),
                        "[DEBUG] caused by ({depth}): {cause}"
                    );
                }
            }
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
    let run = load_run()?;
    let paths = crate::fetch::config_paths(&run, aws_config_file.as_deref());
    let cfg = crate::awsconfig::AwsConfig::load_with_home(&paths, Some(&run.home))?;
    let mut out = String::new();
    for name in cfg.profile_names() {
        out.push_str(&name);
        out.push('\n');
    }
    write_stdout(&out)
}

/// The run context from the process: environment, clock, folders, settings. What the
/// settings file holds that is survivable but wrong is said on stderr, once per run.
pub(crate) fn load_run() -> anyhow::Result<Run> {
    let run = Run::load(Sys::process())?;
    warn_once(&run.warnings);
    Ok(run)
}

fn warn_once(warnings: &[crate::settings::Warning]) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static WARNED: AtomicBool = AtomicBool::new(false);
    if warnings.is_empty() || WARNED.swap(true, Ordering::Relaxed) {
        return;
    }
    let mut err = std::io::stderr().lock();
    for warning in warnings {
        let _ = writeln!(err, "[!] {warning}");
    }
}

/// The encrypted store, opened (it may ask for its passphrase on the terminal).
fn open_store(run: &Run) -> anyhow::Result<crate::store::Store> {
    Ok(crate::store::Store::open(&run.store_config()?)?)
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
