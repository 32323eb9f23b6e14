//! `granted credential-process --profile NAME`: resolve, fetch, print the JSON line.

use std::path::PathBuf;

use anyhow::Context as _;
use time::OffsetDateTime;

use crate::aws::Aws;
use crate::awsconfig::{AwsConfig, ConfigPaths};
use crate::cli::CredentialProcessArgs;
use crate::credentials::{Fetcher, mfa::TtyPrompt, process};
use crate::output::credential_process_json;
use crate::resolve::{self, Base, Chain, Context};
use crate::sso::AwsCliCache;

pub fn run(
    args: &CredentialProcessArgs,
    aws_config_file: Option<PathBuf>,
    verbose: bool,
) -> anyhow::Result<()> {
    super::write_stdout(&json_for(args, aws_config_file, verbose)?)
}

/// The JSON line `granted credential-process` prints for these arguments.
pub fn json_for(
    args: &CredentialProcessArgs,
    aws_config_file: Option<PathBuf>,
    verbose: bool,
) -> anyhow::Result<String> {
    let env = |name: &str| std::env::var(name).ok();
    let paths = ConfigPaths::from_vars(|name| match (name, &aws_config_file) {
        ("AWS_CONFIG_FILE", Some(path)) => Some(path.display().to_string()),
        _ => env(name),
    });
    let cfg = AwsConfig::load(&paths)?;
    let self_names = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .into_iter()
        .collect();
    let ctx = Context {
        env: &env,
        self_names,
    };
    let chain = resolve::resolve(&cfg, &args.profile, &ctx)?;
    if verbose {
        eprintln!("[DEBUG] {}", describe(&chain));
    }
    let home = super::home_dir().context("could not find the home folder (HOME is not set)")?;
    let tokens = AwsCliCache::under_home(&home);
    let fetcher = Fetcher {
        aws: Aws::new(chain.max_attempts),
        tokens: &tokens,
        mfa: &TtyPrompt,
        env: &env,
        now: OffsetDateTime::now_utc(),
        process_timeout: process::DEFAULT_TIMEOUT,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    let creds = runtime.block_on(fetcher.fetch(&chain))?;
    Ok(credential_process_json(&creds))
}

/// One line, no secrets: what the chain will do.
fn describe(chain: &Chain) -> String {
    let base = match &chain.base {
        Base::Sso(s) => format!(
            "sso {} ({}) account {} role {}",
            s.start_url, s.region, s.account_id, s.role_name
        ),
        Base::Static(k) => format!("static keys of profile `{}`", k.profile),
        Base::Process(p) => format!("credential_process of profile `{}`", p.profile),
        Base::Environment { .. } => "credentials from the environment".to_owned(),
    };
    let hops: Vec<String> = chain
        .hops
        .iter()
        .map(|h| format!(" -> assume {}", h.role_arn))
        .collect();
    format!("profile `{}`: {base}{}", chain.profile, hops.concat())
}
