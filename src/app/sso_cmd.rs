//! `granted sso login`: device-code login, the token kept in the encrypted store.

use anyhow::Context as _;

use crate::aws::{Aws, Target};
use crate::cli::{SsoCommand, SsoLoginArgs};
use crate::settings::{GrantedDirs, Settings};
use crate::sso::SsoTarget;
use crate::sso::login::device_login;
use crate::store::Store;

pub fn run(command: &SsoCommand) -> anyhow::Result<()> {
    match command {
        SsoCommand::Login(args) => login(args),
    }
}

fn login(args: &SsoLoginArgs) -> anyhow::Result<()> {
    let env = |name: &str| std::env::var(name).ok();
    let home = super::home_dir().context("could not find the home folder (HOME is not set)")?;
    let dirs =
        GrantedDirs::from_env().context("could not find the home folder (HOME is not set)")?;
    let settings = Settings::load(&dirs.settings_file())?;
    let store = Store::open(&super::store_config(&settings, &dirs, &home, &env)?)?;
    let browser = settings
        .string("CustomSSOBrowserPath")?
        .or_else(|| env("BROWSER"));
    let target = SsoTarget {
        start_url: args.sso_start_url.clone(),
        region: args.sso_region.clone(),
        session_name: None,
        scopes: args.sso_scope.clone(),
    };
    let endpoint = env("AWS_ENDPOINT_URL_SSO_OIDC").or_else(|| env("AWS_ENDPOINT_URL"));
    let oidc = Target {
        region: &target.region,
        endpoint: endpoint.as_deref(),
    };
    let open = |url: &str| super::open_browser(browser.as_deref(), url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let token = runtime.block_on(device_login(
        &Aws::new(None),
        &oidc,
        &target,
        &store,
        &super::show_device_code,
        &open,
    ))?;
    eprintln!(
        "[✔] Successfully logged into Start URL: {} (the token is valid until {})",
        target.start_url,
        crate::output::utc_rfc3339(token.expires_at)
    );
    Ok(())
}
