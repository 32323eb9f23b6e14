//! The main job end to end with no AWS account: `cargo run --example demo`.
//!
//! Starts the project's AWS emulator on 127.0.0.1, writes a throw-away `~/.aws/config`
//! in a temporary HOME, logs in the way `aws sso login` leaves a token in
//! `~/.aws/sso/cache`, then runs `granted credential-process` for an SSO profile and
//! for a two-hop role chain on top of it, and asks STS who the credentials belong to.
//! Then, in a real bash, `eval "$(granted shell-init bash)"` and `assume` for both.
//!
//! This program is also `granted` itself when run under that name: the bash session
//! finds it on PATH through a link in the temporary HOME.

// An example runs outside granted's system boundary.
#![allow(clippy::disallowed_methods)]

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use granted::cli::CredentialProcessArgs;
use granted_emulator::Emulator;

const START_URL: &str = "https://example.awsapps.com/start";

fn main() -> ExitCode {
    let argv0 = std::env::args_os().next().unwrap_or_default();
    if Path::new(&argv0).file_name() == Some("granted".as_ref()) {
        return granted::app::main(std::env::args_os());
    }
    match demo() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn demo() -> anyhow::Result<()> {
    let home = tempfile::tempdir()?;
    // Before any thread starts: this process's HOME is the throw-away one, and nothing
    // from the caller's AWS environment leaks in.
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            // SAFETY: single-threaded at this point.
            unsafe { std::env::remove_var(name) };
        }
    }
    // SAFETY: single-threaded at this point.
    unsafe {
        std::env::set_var("HOME", home.path());
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    }

    let emu = Emulator::start()?;
    println!("emulator:        {}", emu.url());

    let me = "granted";
    let config = format!(
        "[profile demo]\n\
         granted_sso_start_url = {START_URL}\n\
         granted_sso_region = us-east-1\n\
         granted_sso_account_id = 123456789012\n\
         granted_sso_role_name = AWSAdministratorAccess\n\
         credential_process = {me} credential-process --profile demo\n\
         endpoint_url = {url}\n\n\
         [profile demo-deploy]\n\
         role_arn = arn:aws:iam::210987654321:role/Deploy\n\
         source_profile = demo\n\
         region = us-east-1\n\
         endpoint_url = {url}\n\n\
         [profile demo-prod]\n\
         role_arn = arn:aws:iam::333333333333:role/ProdReadOnly\n\
         source_profile = demo-deploy\n\
         role_session_name = demo\n\
         endpoint_url = {url}\n",
        url = emu.url()
    );
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(aws.join("sso/cache"))?;
    std::fs::write(aws.join("config"), &config)?;
    println!("config:          {}", aws.join("config").display());

    // What `aws sso login` would leave behind, with a token the emulator accepts.
    let lifetime = Duration::from_secs(8 * 3600);
    let token = emu.issue_access_token(START_URL, lifetime);
    let cache_file = aws
        .join("sso/cache")
        .join(granted::sso::AwsCliCache::file_name(START_URL));
    let body = serde_json::json!({
        "startUrl": START_URL,
        "region": "us-east-1",
        "accessToken": token,
        "expiresAt": granted::output::utc_rfc3339(time::OffsetDateTime::now_utc() + lifetime),
    });
    std::fs::write(&cache_file, body.to_string())?;
    println!("sso token cache: {}", cache_file.display());

    for profile in ["demo", "demo-prod"] {
        let args = CredentialProcessArgs {
            profile: profile.to_owned(),
            url: None,
            window: Duration::from_secs(15 * 60),
            auto_login: false,
            no_cache: false,
        };
        let json = granted::app::credential_process_json(&args, None, false)?;
        println!("\n$ granted credential-process --profile {profile}");
        print!("{json}");
        println!("caller identity: {}", caller_identity(&emu.url(), &json)?);
    }
    assume_in_bash(home.path())?;
    println!("\ncalls the emulator served: {:?}", emu.all_calls());
    Ok(())
}

/// `assume` in a real bash: the README's line, then a credential_process profile (only
/// its name is exported) and the role chain (its keys are).
fn assume_in_bash(home: &Path) -> anyhow::Result<()> {
    let Some(bash) = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("bash"))
        .find(|p| p.is_file())
    else {
        println!("\n(no bash on PATH: skipping the assume part)");
        return Ok(());
    };
    let bin = home.join("bin");
    std::fs::create_dir_all(&bin)?;
    #[cfg(unix)]
    std::os::unix::fs::symlink(std::env::current_exe()?, bin.join("granted"))?;
    let mut path = vec![bin];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let script = r#"eval "$(granted shell-init bash)"
show() { printf '  AWS_PROFILE=%s AWS_ACCESS_KEY_ID=%s AWS_REGION=%s AWS_SESSION_EXPIRATION=%s\n' \
    "${AWS_PROFILE-}" "${AWS_ACCESS_KEY_ID-}" "${AWS_REGION-}" "${AWS_SESSION_EXPIRATION-}"; }
echo '$ assume demo'; assume demo 2>&1; show
echo '$ assume demo-prod'; assume demo-prod 2>&1; show
echo '$ assume -un'; assume -un 2>&1; show
"#;
    println!("\n$ bash  # with: eval \"$(granted shell-init bash)\"");
    let status = std::process::Command::new(bash)
        .args(["--noprofile", "--norc", "-c", script])
        .env("PATH", std::env::join_paths(path)?)
        // The throw-away store's passphrase, so nothing asks on the terminal.
        .env("CF_KEYRING_FILE_PASSWORD", "demo")
        .status()?;
    let _ = granted::store::Store::forget_session_key_in(&home.join(".granted/secure-storage"));
    anyhow::ensure!(status.success(), "bash exited with {status}");
    Ok(())
}

/// `sts:GetCallerIdentity` signed with the printed credentials.
fn caller_identity(endpoint: &str, json: &str) -> anyhow::Result<String> {
    let v: serde_json::Value = serde_json::from_str(json)?;
    let field = |k: &str| v[k].as_str().map(str::to_owned);
    let creds = aws_sdk_sts::config::Credentials::new(
        field("AccessKeyId").unwrap_or_default(),
        field("SecretAccessKey").unwrap_or_default(),
        field("SessionToken"),
        None,
        "demo",
    );
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(creds)
        .http_client(http)
        .build();
    let client = aws_sdk_sts::Client::from_conf(config);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let out = rt.block_on(client.get_caller_identity().send())?;
    Ok(out.arn().unwrap_or("?").to_owned())
}
