//! `granted sso login`: device-code login, the token kept in the encrypted store.

use std::process::{Command, Stdio};

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
    let show = |url: &str, code: &str| {
        eprintln!("[i] If the browser does not open automatically, please open this link: {url}");
        eprintln!("[i] Awaiting AWS authentication in the browser");
        eprintln!("[i] Code: {code}");
    };
    let open = |url: &str| open_browser(browser.as_deref(), url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let token = runtime.block_on(device_login(
        &Aws::new(None),
        &oidc,
        &target,
        &store,
        &show,
        &open,
    ))?;
    eprintln!(
        "[✔] Successfully logged into Start URL: {} (the token is valid until {})",
        target.start_url,
        crate::output::utc_rfc3339(token.expires_at)
    );
    Ok(())
}

/// `CustomSSOBrowserPath` or `$BROWSER` with the URL as its last argument, else the
/// platform opener. The browser never writes into our stdout; failing to open one is
/// fine: the printed link finishes the login from any device.
fn open_browser(browser: Option<&str>, url: &str) {
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
        None => Command::new("xdg-open"),
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(stderr_as_stdio());
    let _ = command.spawn();
}

/// Our stderr, for a child's stdout.
fn stderr_as_stdio() -> Stdio {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            return Stdio::from(fd);
        }
    }
    Stdio::null()
}
