//! `granted credential-process` end to end: the real binary, a temp HOME, the emulator.

use std::time::Duration;

use granted_emulator::{Fault, RoleConditions};

use crate::util::{START_URL, TestEnv, granted_sso_profile};

const HOUR: Duration = Duration::from_secs(3600);

/// The ARN that STS (the emulator) reports for credentials printed by credential-process.
fn caller_arn(env: &TestEnv, json: &serde_json::Value) -> String {
    let creds = aws_sdk_sts::config::Credentials::new(
        json["AccessKeyId"].as_str().unwrap(),
        json["SecretAccessKey"].as_str().unwrap(),
        json["SessionToken"].as_str().map(str::to_owned),
        None,
        "test",
    );
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new("us-east-1"))
        .endpoint_url(env.emu.url())
        .credentials_provider(creds)
        .http_client(
            aws_smithy_http_client::Builder::new()
                .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                    aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
                ))
                .build_https(),
        )
        .build();
    let client = aws_sdk_sts::Client::from_conf(config);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let out = rt
        .block_on(client.get_caller_identity().send())
        .expect("GetCallerIdentity");
    out.arn().unwrap().to_owned()
}

fn assert_utc_z(expiration: &serde_json::Value) {
    let s = expiration.as_str().expect("Expiration is a string");
    assert_eq!(s.len(), 20, "{s}");
    assert!(s.ends_with('Z'), "{s}");
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .expect("RFC 3339");
}

#[test]
fn granted_sso_profile_prints_version_1_json() {
    let env = TestEnv::new();
    env.write_config(&granted_sso_profile(
        "dev",
        "123456789012",
        "AWSAdministratorAccess",
    ));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    let run = env.credential_process("dev");
    let json = run.json();
    assert_eq!(json["Version"], 1);
    assert!(json["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    assert!(json["SessionToken"].is_string());
    assert_utc_z(&json["Expiration"]);
    assert_eq!(json["AccountId"], "123456789012");
    let order = [
        "Version",
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
        "AccountId",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| run.stdout.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "field order: {}",
        run.stdout
    );
    assert!(run.stdout.starts_with("{\"Version\":1,"));
    assert_eq!(env.emu.calls("GetRoleCredentials"), 1);
    let arn = caller_arn(&env, &json);
    assert!(
        arn.starts_with(
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AWSAdministratorAccess_"
        ),
        "{arn}"
    );
    let secret = json["SecretAccessKey"].as_str().unwrap();
    assert!(!run.stderr.contains(secret));
}

#[test]
fn sso_session_and_legacy_profiles_find_the_aws_cli_token() {
    let env = TestEnv::new();
    env.write_config(&format!(
        "[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n\n\
         [profile modern]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n\n\
         [profile granted-session]\nsso_session = corp\ngranted_sso_account_id = 210987654321\ngranted_sso_role_name = ReadOnly\n\
         credential_process = granted credential-process --profile=granted-session\n\n\
         [profile legacy]\nsso_start_url = {START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = AWSAdministratorAccess\n"
    ));
    env.login_aws_cli_style("corp", START_URL, HOUR);
    assert_eq!(
        env.credential_process("modern").json()["AccountId"],
        "123456789012"
    );
    assert_eq!(
        env.credential_process("granted-session").json()["AccountId"],
        "210987654321"
    );
    // The legacy profile hashes the start URL, which has no file yet.
    let line = env.credential_process("legacy").failure().to_owned();
    assert!(line.contains("please login using 'granted sso login --sso-start-url https://example.awsapps.com/start --sso-region us-east-1'"), "{line}");
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    env.credential_process("legacy").json();
    assert_eq!(env.emu.calls("GetRoleCredentials"), 3);
}

#[test]
fn no_token_fails_fast_with_the_login_command_and_no_network() {
    let env = TestEnv::new();
    env.write_config(&granted_sso_profile(
        "dev",
        "123456789012",
        "AWSAdministratorAccess",
    ));
    let line = env.credential_process("dev").failure().to_owned();
    assert_eq!(
        line,
        "[✘] profile `dev`: no valid sso token for https://example.awsapps.com/start; please login using 'granted sso login --sso-start-url https://example.awsapps.com/start --sso-region us-east-1'"
    );
    // An expired token is the same.
    let token = env.emu.issue_access_token(START_URL, HOUR);
    env.write_sso_cache(
        START_URL,
        START_URL,
        &token,
        time::OffsetDateTime::now_utc() - time::Duration::minutes(1),
    );
    env.credential_process("dev").failure();
    assert_eq!(
        env.emu.all_calls().values().sum::<usize>(),
        0,
        "no call without a token"
    );
}

#[test]
fn a_rejected_token_asks_for_login_and_a_missing_assignment_says_no_access() {
    let env = TestEnv::new();
    env.write_config(
        &(granted_sso_profile("dev", "123456789012", "AWSAdministratorAccess")
            + &granted_sso_profile("nope", "123456789012", "NotAssigned")),
    );
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    env.write_sso_cache(
        START_URL,
        START_URL,
        "a-token-the-portal-never-issued",
        expires,
    );
    let line = env.credential_process("dev").failure().to_owned();
    assert!(
        line.contains("the sso token was rejected (expired or logged out)"),
        "{line}"
    );
    assert!(
        line.contains("please login using 'granted sso login"),
        "{line}"
    );
    assert!(!line.contains("a-token-the-portal-never-issued"));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    let line = env.credential_process("nope").failure().to_owned();
    assert!(line.starts_with("[✘] no access: profile `nope`: account 123456789012 role NotAssigned: sso:GetRoleCredentials failed: ForbiddenException"), "{line}");
}

#[test]
fn role_chain_of_two_hops_from_sso() {
    let env = TestEnv::new();
    env.write_config(&format!(
        "{}[profile mid]\nrole_arn = arn:aws:iam::210987654321:role/Mid\nsource_profile = dev\nregion = eu-west-1\n\n\
         [profile top]\nrole_arn = arn:aws:iam::333333333333:role/Top\nsource_profile = mid\nrole_session_name = alice\nexternal_id = ext-42\n",
        granted_sso_profile("dev", "123456789012", "AWSAdministratorAccess")
    ));
    env.emu.add_role(
        "arn:aws:iam::333333333333:role/Top",
        RoleConditions {
            require_mfa: false,
            external_id: Some("ext-42".into()),
        },
    );
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    let json = env.credential_process("top").json();
    assert_eq!(json["AccountId"], "333333333333");
    assert_utc_z(&json["Expiration"]);
    assert_eq!(env.emu.calls("GetRoleCredentials"), 1);
    assert_eq!(env.emu.calls("AssumeRole"), 2);
    assert_eq!(
        caller_arn(&env, &json),
        "arn:aws:sts::333333333333:assumed-role/Top/alice"
    );
}

#[test]
fn wrong_external_id_is_an_access_denied_naming_the_role() {
    let env = TestEnv::new();
    env.write_config(&format!(
        "{}[profile top]\nrole_arn = arn:aws:iam::333333333333:role/Top\nsource_profile = dev\nexternal_id = wrong\n",
        granted_sso_profile("dev", "123456789012", "AWSAdministratorAccess")
    ));
    env.emu.add_role(
        "arn:aws:iam::333333333333:role/Top",
        RoleConditions {
            require_mfa: false,
            external_id: Some("right".into()),
        },
    );
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    let line = env.credential_process("top").failure().to_owned();
    assert!(line.starts_with("[✘] profile `top`: assuming arn:aws:iam::333333333333:role/Top: sts:AssumeRole failed: AccessDenied"), "{line}");
}

#[test]
fn static_keys_print_without_token_or_expiration_and_sign_a_hop() {
    let mut env = TestEnv::new();
    env.emu.add_user(
        "AKIAUSER0000EXAMPLE1",
        "user-secret-key-0123456789abcdefghijklmn",
        "444444444444",
        "alice",
    );
    env.write_credentials("[base]\naws_access_key_id = AKIAUSER0000EXAMPLE1\naws_secret_access_key = user-secret-key-0123456789abcdefghijklmn\n");
    env.write_config("[profile base]\nregion = us-east-1\n\n[profile role]\nrole_arn = arn:aws:iam::444444444444:role/Deploy\nsource_profile = base\n");
    let run = env.credential_process("base");
    assert_eq!(
        run.stdout,
        "{\"Version\":1,\"AccessKeyId\":\"AKIAUSER0000EXAMPLE1\",\"SecretAccessKey\":\"user-secret-key-0123456789abcdefghijklmn\"}\n"
    );
    let json = env.credential_process("role").json();
    assert_eq!(
        caller_arn(&env, &json)
            .split('/')
            .take(2)
            .collect::<Vec<_>>()
            .join("/"),
        "arn:aws:sts::444444444444:assumed-role/Deploy"
    );
    // A wrong secret is caught by the emulator's signature check, and the error names the code.
    env.write_credentials("[base]\naws_access_key_id = AKIAUSER0000EXAMPLE1\naws_secret_access_key = not-the-secret\n");
    let line = env.credential_process("role").failure().to_owned();
    assert!(line.contains("SignatureDoesNotMatch"), "{line}");
    assert!(!line.contains("not-the-secret"));
    env.unset("AWS_ENDPOINT_URL");
}

#[test]
fn credential_source_environment() {
    let mut env = TestEnv::new();
    env.emu
        .add_user("AKIAENV00000EXAMPLE1", "env-secret", "555555555555", "ci");
    env.write_config("[profile ci]\nrole_arn = arn:aws:iam::555555555555:role/CI\ncredential_source = Environment\nregion = us-east-1\n");
    let line = env.credential_process("ci").failure().to_owned();
    assert!(
        line.contains("credential_source = Environment but AWS_ACCESS_KEY_ID is not set"),
        "{line}"
    );
    env.set("AWS_ACCESS_KEY_ID", "AKIAENV00000EXAMPLE1");
    env.set("AWS_SECRET_ACCESS_KEY", "env-secret");
    assert_eq!(
        env.credential_process("ci").json()["AccountId"],
        "555555555555"
    );
}

#[test]
fn throttling_and_server_errors_are_retried_with_a_bound() {
    let mut env = TestEnv::new();
    // Every call goes upstream: this is about retries, not the cache.
    env.set("GRANTED_NO_CACHE", "true");
    env.write_config(&granted_sso_profile(
        "dev",
        "123456789012",
        "AWSAdministratorAccess",
    ));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    env.emu.inject(Fault {
        times: 2,
        ..Fault::error("GetRoleCredentials", 429)
    });
    env.credential_process("dev").json();
    assert_eq!(
        env.emu.calls("GetRoleCredentials"),
        3,
        "two throttles, then success"
    );

    env.emu.reset_calls();
    env.emu.inject(Fault {
        times: 10,
        ..Fault::error("GetRoleCredentials", 500)
    });
    let line = env.credential_process("dev").failure().to_owned();
    assert!(
        line.contains("sso:GetRoleCredentials failed: InternalServerException"),
        "{line}"
    );
    assert_eq!(
        env.emu.calls("GetRoleCredentials"),
        3,
        "three attempts by default"
    );
    env.emu.clear_faults();
}

#[test]
fn max_attempts_bounds_retries() {
    let mut env = TestEnv::new();
    env.write_config(&granted_sso_profile(
        "dev",
        "123456789012",
        "AWSAdministratorAccess",
    ));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    env.set("AWS_MAX_ATTEMPTS", "1");
    env.emu.inject(Fault::error("GetRoleCredentials", 503));
    env.credential_process("dev").failure();
    assert_eq!(env.emu.calls("GetRoleCredentials"), 1);
}

#[test]
fn service_specific_endpoints_beat_the_global_one() {
    let mut env = TestEnv::new();
    env.write_config(&format!(
        "{}[profile top]\nrole_arn = arn:aws:iam::210987654321:role/Top\nsource_profile = dev\n",
        granted_sso_profile("dev", "123456789012", "AWSAdministratorAccess")
    ));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    // The global endpoint points at a closed port: only the service variables can work.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    env.set("AWS_ENDPOINT_URL", &dead);
    let line = env.credential_process("top").failure().to_owned();
    assert!(line.contains("could not reach http://127.0.0.1:"), "{line}");
    let url = env.emu.url();
    env.set("AWS_ENDPOINT_URL_SSO", &url);
    env.set("AWS_ENDPOINT_URL_STS", &url);
    env.credential_process("top").json();
}

#[test]
fn endpoint_url_in_the_profile() {
    let mut env = TestEnv::new();
    env.unset("AWS_ENDPOINT_URL");
    env.write_config(&format!(
        "[profile dev]\ngranted_sso_start_url = {START_URL}\ngranted_sso_region = us-east-1\ngranted_sso_account_id = 123456789012\n\
         granted_sso_role_name = ReadOnly\nendpoint_url = {}\n",
        env.emu.url()
    ));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    env.credential_process("dev").json();
}

#[test]
fn unknown_profile_names_close_matches() {
    let env = TestEnv::new();
    env.write_config(
        &(granted_sso_profile("production", "1", "R") + &granted_sso_profile("staging", "1", "R")),
    );
    let line = env.credential_process("prodution").failure().to_owned();
    assert_eq!(
        line,
        "[✘] profile `prodution` not found in ~/.aws/config or ~/.aws/credentials; did you mean `production`?"
    );
}

#[test]
fn malformed_config_names_file_and_line() {
    let env = TestEnv::new();
    env.write_config("[profile dev]\nregion = us-east-1\nthis line has no equals sign\n");
    let line = env.credential_process("dev").failure().to_owned();
    assert!(line.starts_with("[✘] ~/.aws/config:3: "), "{line}");
}

#[test]
fn aws_config_file_and_flag_spellings() {
    let mut env = TestEnv::new();
    let other = env.home().join("elsewhere.ini");
    std::fs::write(&other, granted_sso_profile("x", "123456789012", "ReadOnly")).unwrap();
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    env.set("AWS_CONFIG_FILE", other.to_str().unwrap());
    env.granted(&["credential-process", "-profile=x"]).json();
    env.granted(&[
        "credential-process",
        "--url",
        "https://ignored",
        "-profile",
        "x",
        "--window",
        "20m",
    ])
    .json();
    env.unset("AWS_CONFIG_FILE");
    env.granted(&[
        "--aws-config-file",
        other.to_str().unwrap(),
        "credential-process",
        "--profile",
        "x",
    ])
    .json();
    let line = env.granted(&["credential-process"]).failure().to_owned();
    assert!(line.contains("--profile"), "{line}");
    let line = env
        .granted(&["credential-process", "--profile", "x", "--window", "soon"])
        .failure()
        .to_owned();
    assert!(line.contains("invalid duration"), "{line}");
}

#[test]
fn self_referencing_credential_process_never_recurses() {
    let env = TestEnv::new();
    env.write_config(&format!(
        "{}[profile alias]\ncredential_process = /somewhere/bin/granted credential-process --profile=dev\n\n\
         [profile bare]\ncredential_process = granted credential-process --profile bare\n",
        granted_sso_profile("dev", "123456789012", "ReadOnly")
    ));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    assert_eq!(
        env.credential_process("alias").json()["AccountId"],
        "123456789012"
    );
    // Itself with no SSO keys: its keys would be in the encrypted store.
    let mut env = env;
    env.set("CF_KEYRING_FILE_PASSWORD", "p");
    let line = env.credential_process("bare").failure().to_owned();
    assert_eq!(
        line,
        "[✘] profile `bare` has no keys in granted's encrypted store; add them with `granted credentials add bare`"
    );
    granted::store::Store::forget_session_key_in(&env.home().join(".granted/secure-storage"))
        .unwrap();
}

#[cfg(unix)]
#[test]
fn another_tools_credential_process_is_run_without_a_shell() {
    let env = TestEnv::new();
    let script = env.home().join("my tool.sh");
    crate::util::write_script(
        &script,
        "#!/bin/sh\necho \"helper says hi on stderr, arg=[$1]\" >&2\nprintf '{\"Version\": 1, \"AccessKeyId\": \"AKIAHELPER\", \"SecretAccessKey\": \"helper-secret\", \"SessionToken\": \"t\", \"Expiration\": \"2099-01-01T10:00:00+10:00\"}'\n",
    );
    let fail = env.home().join("fail.sh");
    crate::util::write_script(
        &fail,
        "#!/bin/sh\necho 'helper: you are not logged in' >&2\nexit 3\n",
    );
    let garbage = env.home().join("garbage.sh");
    crate::util::write_script(
        &garbage,
        "#!/bin/sh\necho 'Opening in existing browser session.'\n",
    );
    env.write_config(&format!(
        "[profile ok]\ncredential_process = \"{}\" '$HOME && rm -rf /'\n\n[profile fail]\ncredential_process = {}\n\n[profile garbage]\ncredential_process = {}\n\n[profile missing]\ncredential_process = /nonexistent/tool --secret-arg\n",
        script.display(),
        fail.display(),
        garbage.display()
    ));
    let run = env.credential_process("ok");
    let json = run.json();
    assert_eq!(json["AccessKeyId"], "AKIAHELPER");
    assert_eq!(
        json["Expiration"], "2099-01-01T00:00:00Z",
        "converted to UTC"
    );
    assert!(
        run.stderr
            .contains("helper says hi on stderr, arg=[$HOME && rm -rf /]"),
        "passed through, not shell-expanded: {}",
        run.stderr
    );

    let run = env.credential_process("fail");
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("helper: you are not logged in"));
    assert!(
        run.stderr.contains("credential_process") && run.stderr.contains("exited with status 3"),
        "{}",
        run.stderr
    );

    let line = env.credential_process("garbage").failure().to_owned();
    assert!(
        line.contains("printed something that is not a JSON object"),
        "{line}"
    );
    assert!(
        !line.contains("Opening in existing"),
        "the output itself is never echoed"
    );

    let line = env.credential_process("missing").failure().to_owned();
    assert!(
        line.contains("`/nonexistent/tool` could not start: not found"),
        "{line}"
    );
    assert!(!line.contains("--secret-arg"), "arguments are not echoed");
}

#[test]
fn mfa_without_a_terminal_is_a_clear_error_not_a_hang() {
    let env = TestEnv::new();
    env.emu
        .add_user("AKIAMFA00000EXAMPLE1", "mfa-secret", "666666666666", "bob");
    env.write_config(
        "[profile base]\naws_access_key_id = AKIAMFA00000EXAMPLE1\naws_secret_access_key = mfa-secret\nregion = us-east-1\n\n\
         [profile admin]\nrole_arn = arn:aws:iam::666666666666:role/Admin\nsource_profile = base\nmfa_serial = arn:aws:iam::666666666666:mfa/bob\n",
    );
    // `setsid` detaches from any terminal the test runner may have.
    let run = crate::util::Run::from(
        env.command("setsid")
            .args([
                "-w",
                crate::util::bin(),
                "credential-process",
                "--profile",
                "admin",
            ])
            .output()
            .unwrap(),
    );
    let line = run.failure();
    assert_eq!(
        line,
        "[✘] profile `admin` needs an MFA code for arn:aws:iam::666666666666:mfa/bob, but there is no terminal to ask on"
    );
    assert_eq!(env.emu.all_calls().values().sum::<usize>(), 0);
}

#[test]
fn mfa_code_is_read_from_the_terminal() {
    let env = TestEnv::new();
    env.emu.add_user(
        "AKIAMFA00000EXAMPLE2",
        "mfa-secret-2",
        "777777777777",
        "carol",
    );
    env.emu.add_role(
        "arn:aws:iam::777777777777:role/Admin",
        RoleConditions {
            require_mfa: true,
            external_id: None,
        },
    );
    env.emu
        .set_mfa_code("arn:aws:iam::777777777777:mfa/carol", "424242");
    env.write_config(
        "[profile base]\naws_access_key_id = AKIAMFA00000EXAMPLE2\naws_secret_access_key = mfa-secret-2\nregion = us-east-1\n\n\
         [profile admin]\nrole_arn = arn:aws:iam::777777777777:role/Admin\nsource_profile = base\nmfa_serial = arn:aws:iam::777777777777:mfa/carol\n",
    );
    // A real pseudo-terminal: python's pty makes it the child's controlling terminal.
    let (code, shown, prompted) = run_on_pty(&env, "admin", "424242");
    assert_eq!(code, Some(0), "{shown}");
    assert!(prompted, "{shown}");
    assert!(
        shown.contains("MFA code for arn:aws:iam::777777777777:mfa/carol (profile admin): "),
        "{shown}"
    );
    let json_line = shown
        .lines()
        .find(|l| l.starts_with('{'))
        .expect("the JSON line");
    let json: serde_json::Value = serde_json::from_str(json_line.trim()).unwrap();
    assert_eq!(json["AccountId"], "777777777777");
    assert_eq!(
        env.emu.calls("GetSessionToken"),
        1,
        "long-lived keys get an MFA session first"
    );
    assert_eq!(env.emu.calls("AssumeRole"), 1);
}

#[test]
fn a_hidden_self_call_stops_at_the_depth_limit_instead_of_forking() {
    // See: `granted --aws-config-file X credential-process` and `env granted …` spawn
    // granted again; each level passes its depth on, so the loop ends with an error.
    let env = TestEnv::new();
    let me = crate::util::bin();
    env.write_config(&format!(
        "[profile loop]\ncredential_process = env {me} credential-process --profile loop\n\n\
         [profile loop2]\ncredential_process = {me} --aws-config-file {} credential-process --profile loop2\n",
        env.home().join(".aws/config").display()
    ));
    for profile in ["loop", "loop2"] {
        let run = env.credential_process(profile);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr
                .contains("credential_process runs granted inside granted 4 levels deep"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn aws_errors_are_reported_once() {
    let env = TestEnv::new();
    env.write_config(&granted_sso_profile("nope", "123456789012", "NotAssigned"));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    let line = env.credential_process("nope").failure().to_owned();
    assert_eq!(line.matches("ForbiddenException").count(), 1, "{line}");
}

#[cfg(unix)]
#[test]
fn credential_process_words_split_like_python_shlex() {
    let env = TestEnv::new();
    let script = env.home().join("args.sh");
    crate::util::write_script(
        &script,
        "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\" >&2; done\necho >&2\nprintf '{\"Version\":1,\"AccessKeyId\":\"AKIAX\",\"SecretAccessKey\":\"s\"}'\n",
    );
    env.write_config(&format!(
        "[profile p]\ncredential_process = {} a #frag 'b c' x\\y \"d\\\"e\"\n",
        script.display()
    ));
    let run = env.credential_process("p");
    run.json();
    // Python: shlex.split("a #frag 'b c' x\\y \"d\\\"e\"") == ['a', '#frag', 'b c', 'xy', 'd"e']
    assert!(
        run.stderr.contains("[a][#frag][b c][xy][d\"e]"),
        "{}",
        run.stderr
    );
}

#[test]
fn duration_seconds_reaches_sts() {
    let env = TestEnv::new();
    env.write_config(&format!(
        "{}[profile short]\nrole_arn = arn:aws:iam::210987654321:role/Short\nsource_profile = dev\nduration_seconds = 1800\n",
        granted_sso_profile("dev", "123456789012", "AWSAdministratorAccess")
    ));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    let json = env.credential_process("short").json();
    let expiration = time::OffsetDateTime::parse(
        json["Expiration"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let left = expiration - time::OffsetDateTime::now_utc();
    assert!(
        left > time::Duration::minutes(25) && left <= time::Duration::minutes(30),
        "{left}"
    );
}

/// Runs `granted credential-process --profile NAME` on a pseudo-terminal, answering an
/// MFA prompt with `code` if one appears. Returns (exit code, everything the terminal
/// showed, whether a prompt appeared).
fn run_on_pty(env: &TestEnv, profile: &str, code: &str) -> (Option<i32>, String, bool) {
    let driver = r#"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "credential-process", "--profile", sys.argv[2]])
buf, answered = b"", False
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
    # Answer once the whole prompt is on the screen (it may arrive in pieces).
    if not answered and b"MFA code for" in buf and buf.endswith(b"): "):
        os.write(fd, sys.argv[3].encode() + b"\n")
        answered = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(("PROMPTED\n" if answered else "SILENT\n") + buf.decode())
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    let run = crate::util::Run::from(
        env.command("python3")
            .args(["-c", driver, crate::util::bin(), profile, code])
            .output()
            .unwrap(),
    );
    (
        run.code,
        run.stdout.clone(),
        run.stdout.starts_with("PROMPTED"),
    )
}

#[test]
fn an_mfa_session_is_reused_so_the_code_is_asked_once() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "test passphrase");
    env.emu.add_user(
        "AKIAMFA00000EXAMPLE3",
        "mfa-secret-3",
        "777777777777",
        "dan",
    );
    env.emu
        .set_mfa_code("arn:aws:iam::777777777777:mfa/dan", "135790");
    for role in ["One", "Two"] {
        env.emu.add_role(
            &format!("arn:aws:iam::777777777777:role/{role}"),
            RoleConditions {
                require_mfa: true,
                external_id: None,
            },
        );
    }
    env.write_config(
        "[profile base]\naws_access_key_id = AKIAMFA00000EXAMPLE3\naws_secret_access_key = mfa-secret-3\nregion = us-east-1\n\n\
         [profile one]\nrole_arn = arn:aws:iam::777777777777:role/One\nsource_profile = base\nmfa_serial = arn:aws:iam::777777777777:mfa/dan\n\n\
         [profile two]\nrole_arn = arn:aws:iam::777777777777:role/Two\nsource_profile = base\nmfa_serial = arn:aws:iam::777777777777:mfa/dan\n",
    );
    let (code, shown, prompted) = run_on_pty(&env, "one", "135790");
    assert_eq!(code, Some(0), "{shown}");
    assert!(prompted, "{shown}");
    // Another role on the same key and device: the MFA session is reused, no prompt.
    let (code, shown, prompted) = run_on_pty(&env, "two", "135790");
    assert_eq!(code, Some(0), "{shown}");
    assert!(!prompted, "asked again: {shown}");
    assert_eq!(env.emu.calls("GetSessionToken"), 1);
    assert_eq!(env.emu.calls("AssumeRole"), 2);
    let store = env.home().join(".granted/secure-storage");
    granted::store::Store::forget_session_key_in(&store).unwrap();
}

/// An error keeps its causes: one line without `--verbose` (cause included), and with it
/// each cause on a line of its own.
#[test]
fn verbose_prints_each_cause_of_an_error() {
    let env = TestEnv::new();
    // A folder is no program: spawning it fails with the OS's own error as the cause.
    let dir = env.home().join("not-a-program");
    std::fs::create_dir(&dir).unwrap();
    env.write_config(&format!(
        "[profile folder]\ncredential_process = {}\n",
        dir.display()
    ));
    let plain = env.credential_process("folder");
    let line = plain.failure().to_owned();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.contains("could not start: "),
        "the cause follows: {line}"
    );
    assert!(!line.contains("caused by"), "{line}");
    let verbose = env.granted(&["--verbose", "credential-process", "--profile", "folder"]);
    assert_eq!((verbose.code, verbose.stdout.as_str()), (Some(1), ""));
    let causes: Vec<&str> = verbose
        .stderr
        .lines()
        .filter(|l| l.starts_with("[DEBUG] caused by (1): "))
        .collect();
    assert_eq!(causes.len(), 1, "{}", verbose.stderr);
    assert!(
        line.ends_with(causes[0].trim_start_matches("[DEBUG] caused by (1): ")),
        "the one line ends with that cause: {line} / {}",
        causes[0]
    );
}

/// Role credentials obtained with the environment's keys are cached for those keys
/// only: other keys, or none, never get them (security issue, item 3).
#[test]
fn environment_role_credentials_are_bound_to_the_environments_keys() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "bind test");
    for (id, secret, user) in [
        ("AKIAENV00000EXAMPLE1", "env-secret-one", "one"),
        ("AKIAENV00000EXAMPLE2", "env-secret-two", "two"),
    ] {
        env.emu.add_user(id, secret, "555555555555", user);
    }
    env.write_config("[profile ci]\nrole_arn = arn:aws:iam::555555555555:role/CI\ncredential_source = Environment\nregion = us-east-1\n");
    env.set("AWS_ACCESS_KEY_ID", "AKIAENV00000EXAMPLE1");
    env.set("AWS_SECRET_ACCESS_KEY", "env-secret-one");
    let first = env.credential_process("ci").json();
    assert_eq!(
        env.credential_process("ci").json(),
        first,
        "same keys: cached"
    );
    assert_eq!(env.emu.calls("AssumeRole"), 1);

    // Another identity: its own AssumeRole, never the first one's session.
    env.set("AWS_ACCESS_KEY_ID", "AKIAENV00000EXAMPLE2");
    env.set("AWS_SECRET_ACCESS_KEY", "env-secret-two");
    let second = env.credential_process("ci").json();
    assert_eq!(env.emu.calls("AssumeRole"), 2);
    assert_ne!(second["AccessKeyId"], first["AccessKeyId"]);
    // The same key id with another secret is another input too.
    env.set("AWS_SECRET_ACCESS_KEY", "env-secret-one");
    env.set("AWS_ACCESS_KEY_ID", "AKIAENV00000EXAMPLE2");
    let line = env.credential_process("ci").failure().to_owned();
    assert!(
        line.contains("AssumeRole"),
        "a wrong secret is refused upstream: {line}"
    );
    // No keys at all: an error, not a cached session.
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    let line = env.credential_process("ci").failure().to_owned();
    assert!(line.contains("AWS_ACCESS_KEY_ID is not set"), "{line}");
}

/// Role credentials that are already expired when they arrive (here the service hands
/// out a zero lifetime; a machine clock ahead of AWS looks the same) are an error that
/// names the source, the expiry and this machine's clock: never printed with exit 0,
/// never cached.
#[test]
fn credentials_expired_on_arrival_fail_and_name_the_clock() {
    let env = TestEnv::new();
    env.write_config(&granted_sso_profile(
        "dev",
        "123456789012",
        "AWSAdministratorAccess",
    ));
    env.login_aws_cli_style(START_URL, START_URL, HOUR);
    env.emu.set_role_credentials_lifetime(Duration::ZERO);
    let run = env.credential_process("dev");
    let line = run.failure();
    assert!(
        line.contains("profile `dev`: the credentials from IAM Identity Center")
            && line.contains("before they arrived (is this machine's clock ahead? it says "),
        "{line}"
    );
    // Not cached: the next call fetches again.
    env.emu.set_role_credentials_lifetime(HOUR);
    let json = env.credential_process("dev").json();
    assert!(json["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    assert_eq!(env.emu.calls("GetRoleCredentials"), 2);
}
