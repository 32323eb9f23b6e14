//! The real AWS CLI (v1, from PyPI) runs our `credential_process` and then calls STS on
//! the emulator with what we printed.
//!
//! The CLI is found at `$GRANTED_TEST_AWS_CLI`, else `.venv/bin/aws` in the checkout
//! (what `.ci/run` installs). Without it the tests say so and pass, except under CI,
//! where a missing CLI is a failure.

use std::path::PathBuf;
use std::time::Duration;

use crate::util::{Run, START_URL, TestEnv, bin};

pub fn aws_cli() -> Option<PathBuf> {
    let candidate = std::env::var_os("GRANTED_TEST_AWS_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/aws"));
    if candidate.is_file() {
        return Some(candidate);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the AWS CLI is required under CI but {} is missing",
        candidate.display()
    );
    eprintln!(
        "skipping: no AWS CLI at {} (run .ci/run or set GRANTED_TEST_AWS_CLI)",
        candidate.display()
    );
    None
}

fn get_caller_identity(env: &TestEnv, aws: &PathBuf, profile: &str) -> Run {
    Run::from(
        env.command(aws)
            .args([
                "sts",
                "get-caller-identity",
                "--profile",
                profile,
                "--output",
                "json",
            ])
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL_STS", env.emu.url())
            .output()
            .expect("aws runs"),
    )
}

fn arn(run: &Run) -> String {
    assert_eq!(run.code, Some(0), "aws failed: {}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("aws prints JSON");
    json["Arn"].as_str().unwrap().to_owned()
}

#[test]
fn aws_cli_uses_our_credential_process() {
    let Some(aws) = aws_cli() else { return };
    let env = TestEnv::new();
    let me = bin();
    env.emu.add_user(
        "AKIACLI000000EXAMPLE",
        "cli-user-secret",
        "888888888888",
        "dora",
    );
    env.write_credentials("[keys]\naws_access_key_id = AKIACLI000000EXAMPLE\naws_secret_access_key = cli-user-secret\n");
    env.write_config(&format!(
        "[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n\n\
         [profile plain]\ngranted_sso_start_url = {START_URL}\ngranted_sso_region = us-east-1\ngranted_sso_account_id = 123456789012\n\
         granted_sso_role_name = AWSAdministratorAccess\ncredential_process = {me} credential-process --profile plain\n\n\
         [profile session]\nsso_session = corp\ngranted_sso_account_id = 210987654321\ngranted_sso_role_name = ReadOnly\n\
         credential_process = {me} credential-process --profile=session\n\n\
         [profile mid]\nrole_arn = arn:aws:iam::111111111111:role/Mid\nsource_profile = plain\nregion = us-east-1\n\n\
         [profile top]\nrole_arn = arn:aws:iam::222222222222:role/Top\nsource_profile = mid\nrole_session_name = e2e\n\n\
         [profile chained]\ncredential_process = {me} credential-process --profile top\n\n\
         [profile static]\ncredential_process = {me} credential-process --profile keys\n"
    ));
    env.login_aws_cli_style(START_URL, START_URL, Duration::from_secs(3600));
    env.login_aws_cli_style("corp", START_URL, Duration::from_secs(3600));

    let plain = arn(&get_caller_identity(&env, &aws, "plain"));
    assert!(
        plain.starts_with(
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AWSAdministratorAccess_"
        ),
        "{plain}"
    );
    let session = arn(&get_caller_identity(&env, &aws, "session"));
    assert!(
        session.starts_with("arn:aws:sts::210987654321:assumed-role/AWSReservedSSO_ReadOnly_"),
        "{session}"
    );
    // Our two-hop chain behind one credential_process line.
    assert_eq!(
        arn(&get_caller_identity(&env, &aws, "chained")),
        "arn:aws:sts::222222222222:assumed-role/Top/e2e"
    );
    // The CLI chaining roles itself on top of our SSO credentials.
    assert_eq!(
        arn(&get_caller_identity(&env, &aws, "top")),
        "arn:aws:sts::222222222222:assumed-role/Top/e2e"
    );
    assert_eq!(
        arn(&get_caller_identity(&env, &aws, "static")),
        "arn:aws:iam::888888888888:user/dora"
    );
}

#[test]
fn aws_cli_shows_our_login_hint() {
    let Some(aws) = aws_cli() else { return };
    let env = TestEnv::new();
    env.write_config(&format!(
        "[profile plain]\ngranted_sso_start_url = {START_URL}\ngranted_sso_region = us-east-1\ngranted_sso_account_id = 123456789012\n\
         granted_sso_role_name = AWSAdministratorAccess\ncredential_process = {} credential-process --profile plain\n",
        bin()
    ));
    let run = get_caller_identity(&env, &aws, "plain");
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("please login using 'granted sso login --sso-start-url https://example.awsapps.com/start --sso-region us-east-1'"), "{}", run.stderr);
}
