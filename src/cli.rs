//! Command-line definitions (clap) and Granted's Go-style flag spellings.
//!
//! Owns the names, flags and help of every command, and the translation of
//! `-profile x` / `-profile=x` into clap's `--profile`. It must not do any work: the
//! parsed values go to `app`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "granted",
    version,
    about = "AWS credentials for your shell and for credential_process",
    propagate_version = true
)]
pub struct Cli {
    /// Log what happens to stderr
    #[arg(long, global = true)]
    pub verbose: bool,
    /// Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    #[arg(long, global = true, value_name = "PATH")]
    pub aws_config_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print credentials for a profile as credential_process JSON (for ~/.aws/config)
    CredentialProcess(CredentialProcessArgs),
    /// Inspect or clear what granted keeps in its encrypted store
    Cache {
        #[command(subcommand)]
        command: CacheCommand,
    },
    /// Log in to IAM Identity Center
    Sso {
        #[command(subcommand)]
        command: SsoCommand,
    },
    /// Inspect or forget the SSO tokens granted keeps
    SsoTokens {
        #[command(subcommand)]
        command: Option<SsoTokensCommand>,
    },
    /// Show or change the settings in ~/.granted/config
    Settings {
        #[command(subcommand)]
        command: Option<SettingsCommand>,
    },
    /// Keep long-lived IAM keys in granted's encrypted store instead of ~/.aws/credentials
    Credentials {
        #[command(subcommand)]
        command: CredentialsCommand,
    },
    /// Print the statements that put a profile's credentials into your shell (the
    /// `assume` function from `granted shell-init` runs this and evaluates them)
    Assume(Box<AssumeArgs>),
    /// Print the `assume` shell function for your rc file:
    /// eval "$(granted shell-init bash)" · granted shell-init fish | source
    ShellInit {
        /// bash, zsh, sh, fish, powershell or nu
        shell: String,
    },
    /// Print shell completions for granted
    Completion {
        /// bash, zsh, fish, powershell, elvish or nushell
        #[arg(long, short = 's')]
        shell: String,
    },
    /// Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line
    #[command(hide = true)]
    Profiles,
}

/// `assume`'s flags, with Granted's names. Granted's spellings `-un`, `-es` and a
/// single dash before a long name are rewritten by [`normalize_go_flags`].
#[derive(Debug, Args, Default)]
pub struct AssumeArgs {
    /// The profile to assume; without it a picker opens on the terminal
    pub profile: Option<String>,
    /// The shell to print statements for (set by the shell function)
    #[arg(long, hide = true)]
    pub shell: Option<String>,
    /// For profiles with credential_process, export the credentials themselves, not
    /// just AWS_PROFILE (also DefaultExportAllEnvVar = true)
    #[arg(long, short = 'x')]
    pub export_all_env_vars: bool,
    /// Clear every variable assume sets (-un)
    #[arg(long)]
    pub unset: bool,
    /// The region to use and export; shorthands like ue1, apse2, euc1 work
    #[arg(long, short = 'r')]
    pub region: Option<String>,
    /// Session duration for role assumption (Go duration: 1h, 90m)
    #[arg(long, short = 'd', value_parser = parse_go_duration)]
    pub duration: Option<Duration>,
    /// The MFA code, instead of asking on the terminal
    #[arg(long)]
    pub mfa_token: Option<String>,
    /// Run a command with the credentials instead of exporting them:
    /// --exec 'cmd args' or --exec -- cmd args; its exit status is assume's
    #[arg(long, num_args = 0..=1, default_missing_value = "", value_name = "COMMAND")]
    pub exec: Option<String>,
    /// Assume this role ARN on top of the profile's credentials
    #[arg(long, value_name = "ROLE_ARN")]
    pub chain: Option<String>,
    /// Don't read or write the credential cache (also GRANTED_NO_CACHE=true)
    #[arg(long)]
    pub no_cache: bool,
    /// Also write the SSO token where the AWS CLI reads it (-es; also ExportSSOToken)
    #[arg(long)]
    pub export_sso_token: bool,
    /// The command for --exec, after `--`
    #[arg(last = true, value_name = "ARGS")]
    pub command: Vec<OsString>,
    /// Accepted for compatibility with Granted; no effect
    #[arg(long, hide = true)]
    pub reason: Option<String>,
    /// Accepted for compatibility with Granted; no effect
    #[arg(long, short = 'y', hide = true)]
    pub confirm: bool,
    /// Accepted for compatibility with Granted; no effect
    #[arg(long, hide = true)]
    pub wait: Option<String>,
    /// Accepted for compatibility with Granted; no effect
    #[arg(long, hide = true)]
    pub skip_profile_registry_sync: bool,
    /// Granted's console flags (-c, -s, -u, -ar, -cd, -bp, -t), which this granted
    /// doesn't have: named in a clear error
    #[arg(long, short = 'c', hide = true)]
    pub console: bool,
    #[arg(long, short = 's', hide = true)]
    pub service: Option<String>,
    #[arg(long, short = 'u', hide = true)]
    pub url: bool,
    #[arg(long, hide = true)]
    pub active_role: bool,
    #[arg(long, hide = true)]
    pub console_destination: Option<String>,
    #[arg(long, hide = true)]
    pub browser_profile: Option<String>,
    #[arg(long, short = 't', hide = true)]
    pub terminal: bool,
    /// Granted's `--env` (.env file) and `--export` (credentials file), which this
    /// granted doesn't have: named in a clear error
    #[arg(long, short = 'e', hide = true)]
    pub env: bool,
    #[arg(long, hide = true)]
    pub export: bool,
}

#[derive(Debug, Subcommand)]
pub enum SsoCommand {
    /// Log in with the device code (a browser opens on the verification page) and keep
    /// the token for every profile on that start URL
    Login(SsoLoginArgs),
    /// End the portal session and forget the kept token of a start URL
    Logout {
        /// The IAM Identity Center start URL
        #[arg(long)]
        sso_start_url: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SsoTokensCommand {
    /// List the kept SSO tokens (start URL, region, expiry; never the token)
    List,
    /// Forget a start URL's token, or every token
    Clear {
        /// The start URL
        start_url: Option<String>,
        /// Every kept token
        #[arg(long, short = 'a')]
        all: bool,
    },
    /// When the kept tokens expire
    Expiry {
        /// Only this start URL
        #[arg(long)]
        url: Option<String>,
        /// As JSON: [{"start_urls":[…],"expires_at":"…","is_expired":false}]
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct SsoLoginArgs {
    /// The IAM Identity Center start URL, e.g. https://example.awsapps.com/start
    #[arg(long, required_unless_present = "sso_session")]
    pub sso_start_url: Option<String>,
    /// The IAM Identity Center region
    #[arg(long, required_unless_present = "sso_session")]
    pub sso_region: Option<String>,
    /// An OIDC scope to register with (repeatable); sso:account:access gives a
    /// refreshable token. Default: sso-portal:*
    #[arg(long)]
    pub sso_scope: Vec<String>,
    /// Take the start URL, region and scopes from `[sso-session NAME]` in ~/.aws/config
    #[arg(long, value_name = "NAME")]
    pub sso_session: Option<String>,
    /// Also write the token where the AWS CLI reads it (~/.aws/sso/cache); the
    /// `ExportSSOToken` setting does this for every login
    #[arg(long)]
    pub export_sso_token: bool,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print every setting and its value
    Print,
    /// Set one setting, keeping the file's comments and layout
    Set {
        /// The setting's name, e.g. CredentialProcessAutoLogin or Keyring.Backend
        #[arg(long, short = 's')]
        setting: String,
        /// The value: true/false for switches, a name or path otherwise
        #[arg(long, short = 'v')]
        value: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CredentialsCommand {
    /// Store a profile's keys (asked for on the terminal, or read from stdin) and set
    /// its credential_process to granted
    Add {
        /// The profile to store keys for
        profile: String,
    },
    /// List the profiles whose keys are stored
    List,
    /// Delete a profile's stored keys and its granted credential_process line
    Remove(CredentialsArgs),
    /// Move stored keys into ~/.aws/credentials, in plaintext
    ExportPlaintext(CredentialsArgs),
}

#[derive(Debug, Args)]
pub struct CredentialsArgs {
    /// The profile
    pub profile: Option<String>,
    /// Every profile with stored keys
    #[arg(long, short = 'a')]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// List the stored items: storage, key and, for credentials, when they expire
    List,
    /// Delete the items of one or more storages
    Clear(CacheClearArgs),
}

#[derive(Debug, Args)]
pub struct CacheClearArgs {
    /// A storage to clear: session-credentials, sso-tokens, client-registrations,
    /// mfa-sessions or iam-credentials (Granted's names are accepted too)
    #[arg(long, short = 's')]
    pub storage: Vec<String>,
    /// Clear every storage except iam-credentials (long-lived keys are only cleared
    /// when named), and forget the unlocked store key
    #[arg(long, short = 'a')]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct CredentialProcessArgs {
    /// The AWS profile to get credentials for
    #[arg(long)]
    pub profile: String,
    /// Accepted for compatibility; unused
    #[arg(long, hide = true)]
    pub url: Option<String>,
    /// Refresh cached credentials when less than this remains (Go duration: 15m, 1h, 90s)
    #[arg(long, default_value = "15m", value_parser = parse_go_duration)]
    pub window: Duration,
    /// Log in to IAM Identity Center (a browser opens on the verification page) when the
    /// SSO token is missing or rejected; also CredentialProcessAutoLogin = true
    #[arg(long)]
    pub auto_login: bool,
    /// Don't read or write the credential cache (also GRANTED_NO_CACHE=true)
    #[arg(long)]
    pub no_cache: bool,
}

/// Completions for `granted` in one shell's syntax (`bash`, `zsh`, `fish`,
/// `powershell`, `elvish`, `nushell`/`nu`).
pub fn completions(shell: &str) -> Result<String, String> {
    use clap::CommandFactory;
    use clap_complete::Shell as S;
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    let name = "granted";
    match shell.to_ascii_lowercase().as_str() {
        "bash" => clap_complete::generate(S::Bash, &mut cmd, name, &mut out),
        "zsh" => clap_complete::generate(S::Zsh, &mut cmd, name, &mut out),
        "fish" => clap_complete::generate(S::Fish, &mut cmd, name, &mut out),
        "powershell" | "pwsh" => clap_complete::generate(S::PowerShell, &mut cmd, name, &mut out),
        "elvish" => clap_complete::generate(S::Elvish, &mut cmd, name, &mut out),
        "nushell" | "nu" => {
            clap_complete::generate(clap_complete_nushell::Nushell, &mut cmd, name, &mut out)
        }
        other => {
            return Err(format!(
                "unknown shell `{other}`: choose bash, zsh, fish, powershell, elvish or nushell"
            ));
        }
    }
    Ok(String::from_utf8(out).expect("completions are UTF-8"))
}

/// Long flags that Granted's Go parser also accepts with one dash.
const LONG_FLAGS: &[&str] = &[
    "profile",
    "url",
    "window",
    "auto-login",
    "no-cache",
    "verbose",
    "aws-config-file",
    "help",
    "version",
    "storage",
    "all",
    "setting",
    "value",
    "sso-start-url",
    "sso-region",
    "sso-scope",
    "json",
    "sso-session",
    "export-sso-token",
    "shell",
    "export-all-env-vars",
    "unset",
    "region",
    "duration",
    "mfa-token",
    "exec",
    "chain",
    "reason",
    "confirm",
    "wait",
    "skip-profile-registry-sync",
    "console",
    "service",
    "active-role",
    "console-destination",
    "browser-profile",
    "terminal",
    "env",
    "export",
];

/// Granted's multi-letter short flags: single flags, not bundles.
const MULTI_LETTER_SHORTS: &[(&str, &str)] = &[
    ("un", "--unset"),
    ("es", "--export-sso-token"),
    ("ex", "--export"),
    ("ar", "--active-role"),
    ("cd", "--console-destination"),
    ("bp", "--browser-profile"),
];

/// Whether this is `granted … assume --shell X …`, whose stdout a shell evaluates.
pub fn is_assume_for_shell(args: &[OsString]) -> bool {
    let words: Vec<&str> = args
        .iter()
        .map(|a| a.to_str().unwrap_or(""))
        .take_while(|a| *a != "--")
        .collect();
    words.contains(&"assume")
        && words
            .iter()
            .any(|w| *w == "--shell" || w.starts_with("--shell="))
}

/// Bool flags, which Go's parser also takes as `-flag=true` / `-flag=false`.
const BOOL_FLAGS: &[&str] = &[
    "x",
    "export-all-env-vars",
    "unset",
    "no-cache",
    "export-sso-token",
    "auto-login",
    "verbose",
    "json",
    "all",
    "confirm",
    "y",
    "console",
    "c",
    "url",
    "u",
    "active-role",
    "terminal",
    "t",
    "env",
    "e",
    "export",
    "skip-profile-registry-sync",
];

/// Rewrites `-profile x` and `-profile=x` as `--profile …` (before any `--`), Granted's
/// multi-letter shorts (`-un`), `--r` as `-r`, and Go's `-x=true` / `-x=false`.
pub fn normalize_go_flags(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut out = Vec::new();
    let mut passthrough = false;
    for arg in args {
        if passthrough {
            out.push(arg);
            continue;
        }
        let Some(s) = arg.to_str() else {
            out.push(arg);
            continue;
        };
        if s == "--" {
            passthrough = true;
            out.push(arg);
            continue;
        }
        // Go's bool syntax: `-x=true` is `-x`, `-x=false` is nothing.
        if let Some((flag, value)) = s.split_once('=')
            && let Some(name) = flag.strip_prefix("--").or_else(|| flag.strip_prefix('-'))
            && BOOL_FLAGS.contains(&name)
            && matches!(value, "true" | "false")
        {
            if value == "true" {
                let dashes = if name.len() == 1 { "-" } else { "--" };
                out.push(OsString::from(format!("{dashes}{name}")));
            }
            continue;
        }
        // `--r` (Go takes one or two dashes for any flag) is the short `-r`.
        if let Some(name) = s.strip_prefix("--")
            && name.len() == 1
            && name.chars().all(|c| c.is_ascii_alphabetic())
        {
            out.push(OsString::from(format!("-{name}")));
            continue;
        }
        if let Some(rest) = s.strip_prefix("--")
            && rest.len() > 1
            && rest.as_bytes().get(1) == Some(&b'=')
        {
            // `--r=ue1`
            out.push(OsString::from(format!("-{rest}")));
            continue;
        }
        if let Some(rest) = s.strip_prefix('-')
            && !rest.starts_with('-')
            && LONG_FLAGS.contains(&rest.split('=').next().unwrap_or(rest))
        {
            out.push(OsString::from(format!("-{s}")));
            continue;
        }
        let dashes = if s.starts_with("--") { 2 } else { 1 };
        if s.starts_with('-')
            && let Some((_, long)) = MULTI_LETTER_SHORTS.iter().find(|(short, _)| {
                let name = &s[dashes..];
                name == *short || name.strip_prefix(short).is_some_and(|v| v.starts_with('='))
            })
        {
            let value = s[dashes..].split_once('=').map(|(_, v)| v);
            out.push(OsString::from(match value {
                Some(v) => format!("{long}={v}"),
                None => (*long).to_owned(),
            }));
            continue;
        }
        out.push(arg);
    }
    out
}

/// The everyday `credential-process` command lines, parsed without building clap's
/// command tree: that costs a noticeable share of a cache hit, which the AWS CLI pays
/// on every command. Anything unusual (another flag, a repeat, `--help`, a missing
/// profile, a bad value) is `None` and goes through clap, which then has the last word.
/// Takes arguments already passed through [`normalize_go_flags`].
pub fn quick_credential_process(
    args: &[OsString],
) -> Option<(CredentialProcessArgs, Option<PathBuf>)> {
    let mut words = args.get(1..)?.iter().map(|a| a.to_str());
    // An optional `--aws-config-file PATH` (the one global flag lines carry), then the
    // subcommand.
    let mut first = words.next()??;
    let aws_config_file = match first.strip_prefix("--aws-config-file") {
        Some("") => Some(words.next()??),
        Some(inline) => Some(inline.strip_prefix('=')?),
        None => None,
    };
    if let Some(path) = aws_config_file {
        if path.is_empty() || path.starts_with('-') {
            return None;
        }
        first = words.next()??;
    }
    if first != "credential-process" {
        return None;
    }
    let aws_config_file = aws_config_file.map(PathBuf::from);
    let (mut profile, mut url, mut window) = (None, None, None);
    let (mut auto_login, mut no_cache) = (false, false);
    while let Some(word) = words.next() {
        let word = word?;
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (word, None),
        };
        let mut value = |slot: &mut Option<String>| -> Option<()> {
            if slot.is_some() {
                return None;
            }
            let v = match inline {
                Some(v) => v.to_owned(),
                None => words.next()??.to_owned(),
            };
            (!v.is_empty() && !v.starts_with('-')).then(|| *slot = Some(v))
        };
        match name {
            "--profile" => value(&mut profile)?,
            "--url" => value(&mut url)?,
            "--window" => value(&mut window)?,
            "--auto-login" if inline.is_none() && !auto_login => auto_login = true,
            "--no-cache" if inline.is_none() && !no_cache => no_cache = true,
            _ => return None,
        }
    }
    let window = match window {
        Some(w) => parse_go_duration(&w).ok()?,
        None => Duration::from_secs(15 * 60),
    };
    Some((
        CredentialProcessArgs {
            profile: profile?,
            url,
            window,
            auto_login,
            no_cache,
        },
        aws_config_file,
    ))
}

/// Go's `time.ParseDuration` for what users write: `15m`, `1h30m`, `90s`, `500ms`, `0`.
pub fn parse_go_duration(value: &str) -> Result<Duration, String> {
    let bad = || format!("invalid duration `{value}` (examples: 15m, 1h30m, 90s)");
    let v = value.trim();
    if v == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total = 0f64;
    let mut rest = v;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        if num_len == 0 {
            return Err(bad());
        }
        let number: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => return Err(bad()),
        };
        total += number * scale;
        rest = &rest[unit_len..];
    }
    if !total.is_finite() || total > 7.0 * 24.0 * 3600.0 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_go_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_go_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_go_duration("0"), Ok(Duration::ZERO));
        for bad in ["", "15", "m", "15x", "1h-2m", "9999h"] {
            assert!(parse_go_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_quick_parse_agrees_with_clap() {
        let lines: &[&[&str]] = &[
            &["credential-process", "--profile", "dev"],
            &["credential-process", "--profile=dev"],
            &[
                "credential-process",
                "-profile",
                "dev",
                "-window=20m",
                "--auto-login",
            ],
            &[
                "credential-process",
                "--url",
                "u",
                "--profile",
                "a=b",
                "--no-cache",
                "--window",
                "1h",
            ],
            &["credential-process", "--window", "20m", "--profile", "x"],
            &[
                "--aws-config-file",
                "/c",
                "credential-process",
                "--profile",
                "x",
            ],
            &[
                "-aws-config-file=/c",
                "credential-process",
                "--profile",
                "x",
            ],
        ];
        for line in lines {
            let argv: Vec<OsString> = normalize_go_flags(
                std::iter::once("granted")
                    .chain(line.iter().copied())
                    .map(OsString::from),
            );
            let (quick, file) =
                quick_credential_process(&argv).unwrap_or_else(|| panic!("{line:?}"));
            let cli = Cli::try_parse_from(&argv).unwrap();
            assert_eq!(file, cli.aws_config_file, "{line:?}");
            let Command::CredentialProcess(full) = cli.command else {
                panic!()
            };
            assert_eq!(format!("{quick:?}"), format!("{full:?}"), "{line:?}");
        }
        // Everything else is left to clap.
        let others: &[&[&str]] = &[
            &["credential-process"],
            &["credential-process", "--profile"],
            &["credential-process", "--profile", "a", "--profile", "b"],
            &["credential-process", "--profile", "a", "--help"],
            &["credential-process", "--profile", "a", "--window", "soon"],
            &["credential-process", "--profile", "a", "--verbose"],
            &["--verbose", "credential-process", "--profile", "a"],
            &["--aws-config-file", "credential-process", "--profile", "a"],
            &["--aws-config-file=", "credential-process", "--profile", "a"],
            &["credential-process", "--profile", "a", "extra"],
            &["credential-process", "--auto-login=true", "--profile", "a"],
            &["cache", "list"],
        ];
        for line in others {
            let argv: Vec<OsString> = std::iter::once("granted")
                .chain(line.iter().copied())
                .map(OsString::from)
                .collect();
            assert!(quick_credential_process(&argv).is_none(), "{line:?}");
        }
    }

    #[test]
    fn go_bool_values_and_double_dash_shorts() {
        let got: Vec<String> = normalize_go_flags(
            [
                "granted",
                "assume",
                "p",
                "--r",
                "ue1",
                "--r=ue1",
                "-x=true",
                "-x=false",
                "--unset=true",
                "--d",
                "1h",
            ]
            .iter()
            .map(OsString::from),
        )
        .into_iter()
        .map(|a| a.into_string().unwrap())
        .collect();
        assert_eq!(
            got,
            [
                "granted", "assume", "p", "-r", "ue1", "-r=ue1", "-x", "--unset", "-d", "1h"
            ]
        );
    }

    #[test]
    fn go_style_flags_become_double_dash() {
        let args = [
            "granted",
            "credential-process",
            "-profile",
            "x",
            "-window=20m",
            "-un",
            "-es",
            "-zz",
            "--",
            "-profile",
        ];
        let got: Vec<String> = normalize_go_flags(args.iter().map(OsString::from))
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect();
        assert_eq!(
            got,
            [
                "granted",
                "credential-process",
                "--profile",
                "x",
                "--window=20m",
                "--unset",
                "--export-sso-token",
                "-zz",
                "--",
                "-profile"
            ]
        );
    }
}
