//! `granted sso login`: device-code login, the token kept in the encrypted store.

use crate::aws::{Aws, Target};
use crate::cli::{SsoCommand, SsoLoginArgs, SsoTokensCommand};
use crate::sso::SsoTarget;
use crate::sso::login::{KeptToken, device_login, kept_tokens, token_key};
use crate::store::{Namespace, SecretStore};

pub fn run(
    command: &SsoCommand,
    aws_config_file: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    match command {
        SsoCommand::Login(args) => login(args, aws_config_file),
        SsoCommand::Logout { sso_start_url } => logout(sso_start_url),
    }
}

/// Ends the portal session (best effort: the token may have expired) and forgets it.
fn logout(start_url: &str) -> anyhow::Result<()> {
    let run = super::load_run()?;
    let store = super::open_store(&run)?;
    let key = token_key(start_url);
    let kept = kept_tokens(&store)?
        .into_iter()
        .find(|(t, _)| token_key(&t.start_url) == key);
    let Some((token, access_token)) = kept else {
        anyhow::bail!("no sso token is kept for {start_url}");
    };
    let endpoint = run
        .sys
        .var("AWS_ENDPOINT_URL_SSO")
        .or_else(|| run.sys.var("AWS_ENDPOINT_URL"));
    let target = Target {
        region: &token.region,
        endpoint: endpoint.as_deref(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    if let Err(e) = runtime.block_on(Aws::new(None).sso_logout(&target, &access_token)) {
        eprintln!("[!] the portal session could not be ended ({e}); forgetting the token anyway");
    }
    store.delete(Namespace::SsoTokens, key)?;
    forget_sessions(&run, &store, start_url)?;
    eprintln!("[✔] logged out of {start_url}");
    Ok(())
}

/// Deletes the role credentials cached from a login to `start_url`, in the store and in
/// the volatile cache, as `aws sso logout` ends what the login gave.
fn forget_sessions(
    run: &crate::run::Run,
    store: &crate::store::Store,
    start_url: &str,
) -> anyhow::Result<()> {
    let mut gone = crate::cache::forget_sso(store, start_url)?;
    if let Some(volatile) = run
        .volatile_store_config()
        .filter(|v| v.dir.join("backend").exists())
        && let Ok(volatile) = crate::store::Store::open_with(&volatile, crate::store::Prompt::Never)
    {
        gone += crate::cache::forget_sso(&volatile, start_url)?;
    }
    if gone > 0 {
        eprintln!("[✔] removed {gone} cached session(s) from {start_url}");
    }
    Ok(())
}

/// `granted sso-tokens [list] | clear [URL|--all] | expiry [--url U] [--json]`.
pub fn tokens(command: Option<&SsoTokensCommand>) -> anyhow::Result<()> {
    let run = super::load_run()?;
    let store = super::open_store(&run)?;
    let now = run.sys.now();
    let kept = kept_tokens(&store)?;
    match command {
        None | Some(SsoTokensCommand::List) => {
            let mut out = String::new();
            for (t, _) in &kept {
                let state = if t.expires_at <= now {
                    "expired"
                } else if t.refreshable {
                    "refreshable"
                } else {
                    "valid"
                };
                out.push_str(&format!(
                    "{}  {}  {}  {state}\n",
                    t.start_url,
                    t.region,
                    crate::output::utc_rfc3339(t.expires_at)
                ));
            }
            super::write_stdout(&out)
        }
        Some(SsoTokensCommand::Clear { start_url, all }) => {
            let keys: Vec<String> = match (start_url, all) {
                (Some(url), false) => vec![token_key(url).to_owned()],
                (None, true) => kept
                    .iter()
                    .map(|(t, _)| token_key(&t.start_url).to_owned())
                    .collect(),
                _ => anyhow::bail!("name a start URL, or --all"),
            };
            for key in keys {
                if !store.delete(Namespace::SsoTokens, &key)? {
                    anyhow::bail!("no sso token is kept for {key}");
                }
                eprintln!("[✔] forgot the sso token for {key}");
                forget_sessions(&run, &store, &key)?;
            }
            Ok(())
        }
        Some(SsoTokensCommand::Expiry { url, json }) => {
            let selected: Vec<&KeptToken> = kept
                .iter()
                .map(|(t, _)| t)
                .filter(|t| {
                    url.as_deref()
                        .is_none_or(|u| token_key(u) == token_key(&t.start_url))
                })
                .collect();
            let out = if *json {
                let items: Vec<serde_json::Value> = selected
                    .iter()
                    .map(|t| {
                        serde_json::json!({
                            "start_urls": [t.start_url],
                            "expires_at": crate::output::utc_rfc3339(t.expires_at),
                            "is_expired": t.expires_at <= now,
                        })
                    })
                    .collect();
                format!("{}\n", serde_json::Value::Array(items))
            } else {
                selected
                    .iter()
                    .map(|t| {
                        let when = if t.expires_at <= now {
                            "EXPIRED".to_owned()
                        } else {
                            crate::output::utc_rfc3339(t.expires_at)
                        };
                        format!("{}  {when}\n", t.start_url)
                    })
                    .collect()
            };
            super::write_stdout(&out)
        }
    }
}

fn login(args: &SsoLoginArgs, aws_config_file: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let run = super::load_run()?;
    let env = |name: &str| run.sys.var(name);
    let target = login_target(&run, args, aws_config_file)?;
    let store = super::open_store(&run)?;
    let browser = run.sso_browser();
    let export = args.export_sso_token || run.settings.export_sso_token;
    let endpoint = env("AWS_ENDPOINT_URL_SSO_OIDC").or_else(|| env("AWS_ENDPOINT_URL"));
    let oidc = Target {
        region: &target.region,
        endpoint: endpoint.as_deref(),
    };
    let open = |url: &str| crate::ui::open_browser(browser.as_deref(), url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let token = runtime.block_on(device_login(
        &Aws::new(None),
        &oidc,
        &target,
        &store,
        run.sys.clock,
        &crate::ui::show_device_code,
        &open,
    ))?;
    eprintln!(
        "[✔] Successfully logged into Start URL: {} (the token is valid until {})",
        target.start_url,
        crate::output::utc_rfc3339(token.expires_at)
    );
    if export {
        let path = crate::sso::AwsCliCache::under_home(&run.home)
            .export(&target, &token)
            .map_err(|e| {
                anyhow::anyhow!("could not export the sso token to the AWS CLI cache: {e}")
            })?;
        eprintln!("[✔] Exported the sso token to {}", path.display());
    }
    Ok(())
}

/// The instance to log in to: the flags, or `[sso-session NAME]` (flags given beside
/// it must agree with it; `--sso-scope` replaces its scopes).
fn login_target(
    run: &crate::run::Run,
    args: &SsoLoginArgs,
    aws_config_file: Option<std::path::PathBuf>,
) -> anyhow::Result<SsoTarget> {
    let Some(name) = &args.sso_session else {
        let (Some(start_url), Some(region)) = (&args.sso_start_url, &args.sso_region) else {
            anyhow::bail!("--sso-start-url and --sso-region are required (or --sso-session NAME)");
        };
        return Ok(SsoTarget {
            start_url: start_url.clone(),
            region: region.clone(),
            session_name: None,
            scopes: args.sso_scope.clone(),
        });
    };
    let paths = crate::fetch::config_paths(run, aws_config_file.as_deref());
    let cfg = crate::awsconfig::AwsConfig::load_with_home(&paths, Some(&run.home))?;
    let session = crate::resolve::sso_session_info(&cfg, name, &paths.config)?;
    for (flag, given, configured) in [
        ("--sso-start-url", &args.sso_start_url, &session.start_url),
        ("--sso-region", &args.sso_region, &session.region),
    ] {
        if let Some(given) = given
            && given.trim_end_matches('/') != configured.trim_end_matches('/')
        {
            anyhow::bail!(
                "{flag} {given} differs from `[sso-session {name}]` in {} ({configured})",
                paths.config.display()
            );
        }
    }
    Ok(SsoTarget {
        start_url: session.start_url,
        region: session.region,
        session_name: Some(session.name),
        scopes: if args.sso_scope.is_empty() {
            session.scopes
        } else {
            args.sso_scope.clone()
        },
    })
}
