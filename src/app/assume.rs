//! `granted assume [profile] [flags]`: what the `assume` shell function runs. Picks the
//! profile (argument or picker), gets its credentials through the same cache as
//! `credential-process` (so the SDK calls that follow are cache hits), and prints the
//! statements for the shell named by `--shell`; the function evaluates them only when
//! this exits 0.
//!
//! Stdout carries only those statements. Everything for the user (the picker, prompts,
//! the success line, tips) goes to stderr or the terminal. It must not build shell text
//! itself: `crate::shell` does, from the (name, value) pairs chosen here.

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::Context as _;
use time::OffsetDateTime;

use crate::awsconfig::AwsConfig;
use crate::cache::{self, AssumeView, SsoView};
use crate::cli::{AssumeArgs, CredentialProcessArgs};
use crate::creds::Credentials;
use crate::fetch::{Request, Service, Tweaks};
use crate::output::utc_rfc3339;
use crate::resolve::{self, Base, Chain};
use crate::run::Run;
use crate::shell::Shell;
use crate::sys::Sys;

/// How `assume` ended without statements to evaluate: the exit status for the shell.
#[derive(Debug, thiserror::Error)]
#[error("exit {0}")]
pub struct Exit(pub u8);

pub fn run(
    args: &AssumeArgs,
    aws_config_file: Option<PathBuf>,
    verbose: bool,
) -> anyhow::Result<()> {
    refuse_unsupported(args)?;
    let sys = Sys::process();
    let shell = shell_for(args, &sys)?;
    if args.unset {
        super::write_stdout(&crate::shell::unset(shell))?;
        eprintln!("[✔] Environment variables cleared");
        return Ok(());
    }
    let run = super::load_run()?;
    let paths = crate::fetch::config_paths(&run, aws_config_file.as_deref());
    let service = Service::new(&run, paths, verbose);
    let exec = exec_argv(args)?;

    // The hot path: this profile was assumed before, its credentials are cached and
    // nothing the resolution reads has changed. No config parse.
    let plain = args.region.is_none()
        && args.chain.is_none()
        && args.duration.is_none()
        && !args.no_cache
        && args.mfa_token.is_none()
        && !args.export_sso_token
        && !run.settings.export_sso_token;
    if let Some(profile) = args.profile.as_deref().filter(|_| plain)
        && let Some((creds, view)) = service.cached_for_assume(profile)?
    {
        // Only profiles whose credential_process line runs granted are remembered.
        let export_all = args.export_all_env_vars || run.settings.default_export_all_env_var;
        return show(&run, args, shell, exec, &view, &creds, export_all, verbose);
    }

    let cfg = service.config()?;
    let profile = match &args.profile {
        Some(profile) => profile.clone(),
        None => pick(cfg, &run)?,
    };
    let region = args.region.as_deref().map(expand_region).transpose()?;

    // What the profile is: resolved once here for what assume reports and exports.
    let mut chain = service.resolve(&profile)?;
    let tweaks = tweaks(args, region)?;
    // Whether the credentials differ from what credential-process gives the profile.
    let changed = tweaks.change_credentials(&chain);
    for warning in tweaks.apply(&mut chain) {
        eprintln!("[!] {warning}");
    }
    let own_process_line = cfg
        .profile(&profile)?
        .and_then(|p| p.get("credential_process").map(str::to_owned));

    // The credentials, through the cache `credential-process` uses. A profile whose
    // credential_process line runs granted warms exactly the entry the SDK will ask for.
    let warm = own_process_line
        .as_deref()
        .filter(|_| !changed)
        .and_then(|line| self_call_args(line, service.self_names()));
    let mut view = view_of(&chain, cache::DEFAULT_WINDOW);
    let creds = match warm {
        Some((cp_args, line_config)) => {
            let request = Request {
                no_cache: cp_args.no_cache || args.no_cache,
                auto_login: true,
                mfa_code: args.mfa_token.clone(),
                ..super::credential_process::request(&cp_args)
            };
            let line_paths = line_config
                .map(|file| crate::fetch::config_paths(&run, Some(&file)))
                .filter(|p| p != service.paths());
            match line_paths {
                Some(paths) => Service::new(&run, paths, verbose).fetch(&request)?,
                None => {
                    let creds = service.fetch(&request)?;
                    // The same call next time can skip the config: remember what it showed.
                    view.window_secs = request.window.as_secs();
                    if plain && request.profile == profile && !request.no_cache {
                        service.remember_for_assume(&profile, &creds, view.clone());
                    }
                    creds
                }
            }
        }
        None => {
            let request = Request {
                auto_login: true,
                no_cache: args.no_cache,
                mfa_code: args.mfa_token.clone(),
                tweaks: if changed { tweaks } else { Tweaks::default() },
                ..Request::new(&profile)
            };
            service.fetch(&request)?
        }
    };

    if args.export_sso_token || run.settings.export_sso_token {
        export_sso_token(&chain, &run, args.export_sso_token);
    }
    // A chained role can't be named by AWS_PROFILE: its credentials are exported.
    let export_all = own_process_line.is_none()
        || args.chain.is_some()
        || args.export_all_env_vars
        || run.settings.default_export_all_env_var;
    show(&run, args, shell, exec, &view, &creds, export_all, verbose)
}

/// Every value about to be exported, checked before anything is printed: a NUL byte is
/// the one character no shell variable can hold (bash drops it from the command
/// substitution with a warning, fish stops reading there), so it is refused, naming
/// the variable and never the value.
fn refuse_unholdable(profile: &str, vars: &[(&'static str, String)]) -> anyhow::Result<()> {
    if let Some((name, _)) = vars.iter().find(|(_, v)| v.contains('\0')) {
        anyhow::bail!("profile `{profile}`: {name} holds a NUL byte; no shell can hold it");
    }
    Ok(())
}

/// What assume shows for a resolved chain.
fn view_of(chain: &Chain, window: std::time::Duration) -> AssumeView {
    AssumeView {
        profile: chain.profile.clone(),
        region: chain.region.clone(),
        sso: match &chain.base {
            Base::Sso(sso) => Some(SsoView {
                start_url: sso.start_url.clone(),
                region: sso.region.clone(),
                account_id: sso.account_id.clone(),
                role_name: sso.role_name.clone(),
            }),
            _ => None,
        },
        window_secs: window.as_secs(),
    }
}

/// Records the use, then prints the statements (or the `--exec` line) and the lines for
/// the user.
#[allow(clippy::too_many_arguments)]
fn show(
    run: &Run,
    args: &AssumeArgs,
    shell: Shell,
    exec: Option<Vec<String>>,
    view: &AssumeView,
    creds: &Credentials,
    export_all: bool,
    verbose: bool,
) -> anyhow::Result<()> {
    let profile = &view.profile;
    if let Err(e) = crate::picker::frecency::record_use(
        &run.dirs.config.join("aws_profiles_frecency"),
        profile,
        run.sys.now(),
    ) && verbose
    {
        eprintln!("[DEBUG] could not record the use of `{profile}`: {e}");
    }

    let region = view.region.clone();
    if let Some(argv) = exec {
        let mut vars = credential_vars(creds);
        if let Some(region) = &region {
            vars.push(("AWS_REGION", region.clone()));
            vars.push(("AWS_DEFAULT_REGION", region.clone()));
        }
        refuse_unholdable(profile, &vars)?;
        let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        return super::write_stdout(&crate::shell::exec(shell, &pairs, &argv));
    }

    let vars = exports(view, creds, export_all, args.chain.is_none());
    refuse_unholdable(profile, &vars)?;
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    super::write_stdout(&crate::shell::export(shell, &pairs))?;

    if run.sys.var("GRANTED_QUIET").is_none_or(|v| v != "true") {
        eprintln!(
            "{}",
            success_line(profile, region.as_deref(), creds, export_all, run.sys.now())
        );
    }
    if args.profile.is_none() && !run.settings.disable_usage_tips {
        eprintln!("{}", crate::picker::usage_tip(profile, &typed_args()));
    }
    Ok(())
}

/// `--region`, `--chain`, `--duration` as tweaks of the resolved chain.
fn tweaks(args: &AssumeArgs, region: Option<String>) -> anyhow::Result<Tweaks> {
    if let Some(arn) = &args.chain
        && (!arn.starts_with("arn:") || !arn.contains(":role/"))
    {
        anyhow::bail!("--chain {arn}: not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
    }
    let duration_seconds = args
        .duration
        .map(|duration| {
            u32::try_from(duration.as_secs())
                .ok()
                .filter(|s| (900..=43_200).contains(s))
                .with_context(|| {
                    format!("--duration {duration:?}: STS takes 15 minutes to 12 hours")
                })
        })
        .transpose()?;
    Ok(Tweaks {
        region,
        extra_role_arn: args.chain.clone(),
        duration_seconds,
    })
}

/// The arguments the user gave `assume` (what follows `assume` on our command line,
/// without the wrapper's `--shell NAME`), for the tip after a pick.
fn typed_args() -> Vec<String> {
    let argv: Vec<String> = crate::sys::args()
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let Some(start) = argv.iter().position(|a| a == "assume") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut words = argv[start + 1..].iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--shell" | "-shell" => {
                words.next();
            }
            w if w.starts_with("--shell=") || w.starts_with("-shell=") => {}
            _ => out.push(word.clone()),
        }
    }
    out
}

/// `--shell`, else the login shell's name (`$SHELL`), else POSIX sh. Without
/// `--shell` nobody is evaluating the output: say how to set the function up.
fn shell_for(args: &AssumeArgs, sys: &Sys) -> anyhow::Result<Shell> {
    if let Some(name) = &args.shell {
        return Ok(name.parse()?);
    }
    let name = sys.var("SHELL").unwrap_or_default();
    let base = name.rsplit('/').next().unwrap_or("");
    let shell = base.parse().unwrap_or(Shell::Sh);
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        eprintln!(
            "[i] This prints statements for {}; to change your shell's variables, use the assume function: eval \"$(granted shell-init {})\"",
            shell.name(),
            shell.name()
        );
    }
    Ok(shell)
}

/// Granted's console and file flags are named in a clear error rather than ignored.
fn refuse_unsupported(args: &AssumeArgs) -> anyhow::Result<()> {
    let used = [
        ("--console", args.console),
        ("--service", args.service.is_some()),
        ("--url", args.url),
        ("--active-role", args.active_role),
        ("--console-destination", args.console_destination.is_some()),
        ("--browser-profile", args.browser_profile.is_some()),
        ("--terminal", args.terminal),
        ("--env", args.env),
        ("--export", args.export),
    ];
    if let Some((flag, _)) = used.iter().find(|(_, on)| *on) {
        anyhow::bail!(
            "{flag} is not supported by this granted (no console or file export); assume exports to the shell, or use --exec"
        );
    }
    if !args.command.is_empty() && args.exec.is_none() {
        anyhow::bail!("a command after `--` needs --exec: assume PROFILE --exec -- cmd args");
    }
    Ok(())
}

/// The command for `--exec`: the words after `--`, or the flag's value split like a
/// shell line (quotes respected).
fn exec_argv(args: &AssumeArgs) -> anyhow::Result<Option<Vec<String>>> {
    let Some(value) = &args.exec else {
        return Ok(None);
    };
    let argv: Vec<String> = if args.command.is_empty() {
        crate::awsconfig::shlex_split(value)
            .with_context(|| format!("--exec {value}: unbalanced quotes"))?
    } else {
        if !value.is_empty() {
            anyhow::bail!("give the command either as --exec's value or after `--`, not both");
        }
        args.command
            .iter()
            .map(|a| {
                a.to_str()
                    .map(str::to_owned)
                    .with_context(|| format!("--exec: argument {a:?} is not UTF-8"))
            })
            .collect::<anyhow::Result<_>>()?
    };
    if argv.is_empty() {
        anyhow::bail!("--exec needs a command: assume PROFILE --exec -- cmd args");
    }
    if argv[0].starts_with('-') {
        anyhow::bail!("--exec {}: a command can't start with `-`", argv[0]);
    }
    if argv.iter().any(|a| a.contains('\0')) {
        anyhow::bail!("--exec: an argument holds a NUL byte");
    }
    Ok(Some(argv))
}

/// The arguments of a `credential_process` line that runs `granted credential-process`,
/// and its `--aws-config-file`.
fn self_call_args(
    line: &str,
    self_names: &[String],
) -> Option<(CredentialProcessArgs, Option<PathBuf>)> {
    resolve::parse_self_call(line, self_names, crate::awsconfig::shlex_split)?;
    let argv = crate::awsconfig::shlex_split(line)?;
    let argv = crate::cli::normalize_go_flags(argv.into_iter().map(OsString::from));
    // The everyday line without building the whole command-line parser; clap for the rest.
    if let Some(quick) = crate::cli::quick_credential_process(&argv) {
        return Some(quick);
    }
    let cli = <crate::cli::Cli as clap::Parser>::try_parse_from(argv).ok()?;
    match cli.command {
        crate::cli::Command::CredentialProcess(args) => Some((args, cli.aws_config_file)),
        _ => None,
    }
}

fn credential_vars(creds: &Credentials) -> Vec<(&'static str, String)> {
    let mut vars = vec![
        ("AWS_ACCESS_KEY_ID", creds.access_key_id.clone()),
        (
            "AWS_SECRET_ACCESS_KEY",
            creds.secret_access_key.expose().to_owned(),
        ),
    ];
    if let Some(token) = &creds.session_token {
        vars.push(("AWS_SESSION_TOKEN", token.expose().to_owned()));
    }
    vars
}

/// The variables to set, as Granted manages them (every other managed variable is
/// cleared by the emitter). `export_all`: the credentials themselves; otherwise only
/// AWS_PROFILE and the region, so the SDK keeps calling credential_process.
fn exports(
    view: &AssumeView,
    creds: &Credentials,
    export_all: bool,
    with_profile: bool,
) -> Vec<(&'static str, String)> {
    let mut vars = Vec::new();
    if export_all {
        vars.extend(credential_vars(creds));
    }
    if with_profile {
        vars.push(("AWS_PROFILE", view.profile.clone()));
    }
    if let Some(region) = &view.region {
        vars.push(("AWS_REGION", region.clone()));
        vars.push(("AWS_DEFAULT_REGION", region.clone()));
    }
    if !export_all {
        return vars;
    }
    if let Some(expiration) = creds.expiration {
        vars.push(("AWS_SESSION_EXPIRATION", utc_rfc3339(expiration)));
        vars.push(("AWS_CREDENTIAL_EXPIRATION", utc_rfc3339(expiration)));
    }
    match &view.sso {
        Some(sso) => {
            vars.push(("GRANTED_SSO", "true".to_owned()));
            vars.push(("GRANTED_SSO_START_URL", sso.start_url.clone()));
            vars.push(("GRANTED_SSO_ROLE_NAME", sso.role_name.clone()));
            vars.push(("GRANTED_SSO_REGION", sso.region.clone()));
            vars.push(("GRANTED_SSO_ACCOUNT_ID", sso.account_id.clone()));
        }
        None => vars.push(("GRANTED_SSO", "false".to_owned())),
    }
    vars
}

/// `[✔] [dev](us-east-1) session credentials will expire in 59 minutes`.
fn success_line(
    profile: &str,
    region: Option<&str>,
    creds: &Credentials,
    export_all: bool,
    now: OffsetDateTime,
) -> String {
    let region = region.unwrap_or("no region");
    match creds.expiration.filter(|_| export_all) {
        Some(expiration) => {
            let left = (expiration - now).whole_minutes().max(0);
            let when = match left {
                0..=1 => "1 minute".to_owned(),
                2..=119 => format!("{left} minutes"),
                _ => format!("{} hours", left / 60),
            };
            format!("[✔] [{profile}]({region}) session credentials will expire in {when}")
        }
        None => format!("[✔] [{profile}]({region}) session credentials ready"),
    }
}

/// `-es` / `ExportSSOToken`: the SSO token of this chain, copied where the AWS CLI
/// reads it (best effort). With the setting alone, profiles without SSO and tokens
/// that came from the AWS CLI's cache in the first place pass silently; the flag says
/// why nothing was exported.
fn export_sso_token(chain: &Chain, run: &Run, asked: bool) {
    use crate::sso::TokenSource as _;
    let Base::Sso(sso) = &chain.base else {
        if asked {
            eprintln!(
                "[!] --export-sso-token: profile `{}` does not use SSO",
                chain.profile
            );
        }
        return;
    };
    let target = crate::sso::SsoTarget::from(sso);
    let store = match run
        .store_config()
        .map_err(anyhow::Error::from)
        .and_then(|c| {
            Ok(crate::store::Store::open_with(
                &c,
                crate::store::Prompt::IfTerminal,
            )?)
        }) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("[!] --export-sso-token: {e:#}");
            return;
        }
    };
    let stored = crate::sso::login::StoredTokens { store: &store };
    match stored.load(&target, run.sys.now()) {
        Ok(Some(token)) => {
            if let Err(e) = crate::sso::AwsCliCache::under_home(&run.home).export(&target, &token) {
                eprintln!("[!] could not export the sso token to the AWS CLI cache: {e}");
            }
        }
        _ if asked => eprintln!(
            "[!] --export-sso-token: granted keeps no sso token for {} (the one used came from the AWS CLI's cache)",
            target.start_url
        ),
        _ => {}
    }
}

/// The picker over every profile, with `granted_description`s; Esc/Ctrl-C → exit 130.
fn pick(cfg: &AwsConfig, run: &Run) -> anyhow::Result<String> {
    use crate::picker::{Item, Ordering, Picked};
    let names = cfg.profile_names();
    let ordering = match run.settings.ordering.as_deref() {
        Some(value) => value.parse::<Ordering>()?,
        None => Ordering::Frecency,
    };
    let ordered: Vec<String> = match ordering {
        Ordering::Alphabetical => names.clone(),
        Ordering::Frecency => {
            let mut frecency = crate::picker::frecency::load_locked(
                &run.dirs.config.join("aws_profiles_frecency"),
            );
            frecency.retain_existing(|n| names.iter().any(|x| x == n));
            frecency.ordered(&names).into_iter().cloned().collect()
        }
    };
    let items: Vec<Item> = ordered
        .into_iter()
        .map(|name| {
            let description = cfg
                .profile(&name)
                .ok()
                .flatten()
                .and_then(|p| p.get("granted_description").map(str::to_owned));
            Item { name, description }
        })
        .collect();
    let styled = run.sys.var("NO_COLOR").is_none_or(|v| v.is_empty());
    match crate::picker::pick(
        &items,
        "Please select the profile you would like to assume:",
        styled,
    )? {
        Picked::Profile(name) => Ok(name),
        Picked::Cancelled => Err(Exit(130).into()),
    }
}

/// Granted's region shorthands: `ue1` → us-east-1, `apse2` → ap-southeast-2,
/// `euc1` → eu-central-1, `ugw1` → us-gov-west-1. A value with a `-` is taken as is.
pub fn expand_region(value: &str) -> anyhow::Result<String> {
    if value.contains('-') {
        return Ok(value.to_owned());
    }
    let lower = value.to_ascii_lowercase();
    const MAJORS: [(&str, &str); 14] = [
        ("usg", "us-gov"),
        ("ug", "us-gov"),
        ("us", "us"),
        ("af", "af"),
        ("ap", "ap"),
        ("ca", "ca"),
        ("cn", "cn"),
        ("eu", "eu"),
        ("il", "il"),
        ("me", "me"),
        ("mx", "mx"),
        ("sa", "sa"),
        ("u", "us"),
        ("a", "ap"),
    ];
    const MINORS: [(&str, &str); 9] = [
        ("ne", "northeast"),
        ("nw", "northwest"),
        ("se", "southeast"),
        ("sw", "southwest"),
        ("n", "north"),
        ("s", "south"),
        ("e", "east"),
        ("w", "west"),
        ("c", "central"),
    ];
    let digits = lower.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let letters = &lower[..lower.len() - digits.len()];
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        for (short, major) in MAJORS {
            if let Some(rest) = letters.strip_prefix(short)
                && let Some((_, minor)) = MINORS.iter().find(|(m, _)| *m == rest)
            {
                return Ok(format!("{major}-{minor}-{digits}"));
            }
        }
    }
    anyhow::bail!("--region {value}: not a region or a shorthand like ue1, apse2, euc1")
}

#[cfg(test)]
mod tests {
    use super::expand_region;

    #[test]
    fn region_shorthands_expand_like_granteds() {
        for (short, long) in [
            ("ue1", "us-east-1"),
            ("usw2", "us-west-2"),
            ("apse2", "ap-southeast-2"),
            ("apne1", "ap-northeast-1"),
            ("euc1", "eu-central-1"),
            ("euw1", "eu-west-1"),
            ("ugw1", "us-gov-west-1"),
            ("cac1", "ca-central-1"),
            ("mec1", "me-central-1"),
            ("UE1", "us-east-1"),
            ("eu-north-1", "eu-north-1"),
        ] {
            assert_eq!(expand_region(short).unwrap(), long, "{short}");
        }
        for bad in ["", "x1", "ue", "uex1", "1"] {
            assert!(expand_region(bad).is_err(), "{bad}");
        }
    }
}
