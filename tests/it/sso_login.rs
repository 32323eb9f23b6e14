//! `granted sso login`: the device-code flow against the emulator, with a `$BROWSER`
//! that opens the verification page (which approves the code), then credential-process
//! using the kept token.

use crate::util::{START_URL, TestEnv, granted_sso_profile, write_script};

#[test]
fn one_login_serves_every_profile_on_the_start_url() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "login test");
    env.emu.set_device_interval(1);
    let browser = env.home().join("browser.sh");
    let opened = env.home().join("opened");
    write_script(
        &browser,
        &format!(
            "#!/bin/sh\necho \"$1\" > '{}'\necho 'a browser chatters on stdout'\nexec python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \"$1\"\n",
            opened.display()
        ),
    );
    env.set("BROWSER", browser.to_str().unwrap());
    env.write_config(&format!(
        "{}[sso-session corp]\nsso_start_url = {START_URL}/\nsso_region = us-east-1\n\n\
         [profile via-session]\nsso_session = corp\ngranted_sso_account_id = 210987654321\ngranted_sso_role_name = ReadOnly\n",
        granted_sso_profile("dev", "123456789012", "AWSAdministratorAccess")
    ));
    // Before the login: the exact command that fixes it.
    let line = env.credential_process("dev").failure().to_owned();
    assert!(
        line.contains("please login using 'granted sso login --sso-start-url"),
        "{line}"
    );

    let run = sso_login(&env);
    assert_eq!(
        run.stdout, "",
        "the browser's chatter never reaches our stdout"
    );
    assert!(run.stderr.contains("[i] Code: "), "{}", run.stderr);
    assert!(
        run.stderr.contains("a browser chatters on stdout"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("[✔] Successfully logged into Start URL: https://example.awsapps.com/start"),
        "{}",
        run.stderr
    );
    let url = std::fs::read_to_string(&opened).unwrap();
    assert!(
        url.starts_with(&env.emu.url()) && url.contains("user_code="),
        "{url}"
    );

    assert_eq!(
        env.credential_process("dev").json()["AccountId"],
        "123456789012"
    );
    assert_eq!(
        env.credential_process("via-session").json()["AccountId"],
        "210987654321"
    );
    assert_eq!(env.emu.calls("RegisterClient"), 1);
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 1);
    assert!(
        !env.home().join(".aws/sso").exists(),
        "nothing written to the AWS CLI's cache"
    );
    granted::store::Store::forget_session_key_in(&env.home().join(".granted/secure-storage"))
        .unwrap();
}

/// A TestEnv whose `$BROWSER` approves the device code and appends each URL it was
/// given to `opened`.
fn env_with_browser() -> TestEnv {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "login test");
    env.emu.set_device_interval(1);
    let browser = env.home().join("browser.sh");
    write_script(
        &browser,
        &format!(
            "#!/bin/sh\necho \"$1\" >> '{}'\nexec python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \"$1\"\n",
            env.home().join("opened").display()
        ),
    );
    env.set("BROWSER", browser.to_str().unwrap());
    env.write_config(&granted_sso_profile(
        "dev",
        "123456789012",
        "AWSAdministratorAccess",
    ));
    env
}

/// `granted sso login` for the test start URL (legacy scope), which must succeed.
fn sso_login(env: &TestEnv) -> crate::util::Run {
    let run = env.granted(&[
        "sso",
        "login",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run
}

fn browser_opens(env: &TestEnv) -> usize {
    std::fs::read_to_string(env.home().join("opened"))
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

fn forget(env: &TestEnv) {
    let _ =
        granted::store::Store::forget_session_key_in(&env.home().join(".granted/secure-storage"));
}

#[test]
fn auto_login_by_flag_and_by_setting() {
    let env = env_with_browser();
    let run = env.granted(&["credential-process", "--auto-login", "--profile", "dev"]);
    let json = run.json();
    assert_eq!(json["AccountId"], "123456789012");
    assert!(
        run.stderr.contains("[i] Code: "),
        "the code is shown: {}",
        run.stderr
    );
    assert_eq!(
        (
            env.emu.calls("StartDeviceAuthorization"),
            browser_opens(&env)
        ),
        (1, 1)
    );
    forget(&env);

    let env = env_with_browser();
    std::fs::create_dir_all(env.home().join(".granted")).unwrap();
    std::fs::write(
        env.home().join(".granted/config"),
        "CredentialProcessAutoLogin = true\nExportSSOToken = true\n",
    )
    .unwrap();
    env.credential_process("dev").json();
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 1);
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cli_cache_file(&env, START_URL)).unwrap())
            .unwrap();
    assert_eq!(
        exported["startUrl"], START_URL,
        "ExportSSOToken copies the login"
    );
    // The kept token serves the next call without another login.
    env.granted(&["credential-process", "--no-cache", "--profile", "dev"])
        .json();
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 1);
    forget(&env);
}

#[test]
fn parallel_calls_that_need_a_login_share_one_device_authorization() {
    let env = env_with_browser();
    let children: Vec<_> = (0..6)
        .map(|_| env.spawn_granted(&["credential-process", "--auto-login", "--profile", "dev"]))
        .collect();
    for child in children {
        let run = crate::util::Run::from(child.wait_with_output().unwrap());
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    }
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 1);
    assert_eq!(browser_opens(&env), 1, "one browser tab");
    assert_eq!(
        env.emu.calls("GetRoleCredentials"),
        1,
        "and one fetch, through the cache lock"
    );
    forget(&env);
}

#[test]
fn a_rejected_token_is_replaced_by_one_login() {
    let env = env_with_browser();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    env.write_sso_cache(
        START_URL,
        START_URL,
        "a-token-the-portal-never-issued",
        expires,
    );
    let json = env
        .granted(&["credential-process", "--auto-login", "--profile", "dev"])
        .json();
    assert_eq!(json["AccountId"], "123456789012");
    assert_eq!(
        env.emu.calls("GetRoleCredentials"),
        2,
        "401, then the new token"
    );
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 1);
    forget(&env);
}

#[test]
fn refreshable_tokens_are_refreshed_ahead_of_expiry_and_registrations_reused() {
    let env = env_with_browser();
    // Tokens that live 4 minutes: always inside the 5-minute refresh margin.
    env.emu
        .set_token_lifetime(std::time::Duration::from_secs(240));
    let login = |scope: &str| {
        let run = env.granted(&[
            "sso",
            "login",
            "--sso-start-url",
            START_URL,
            "--sso-region",
            "us-east-1",
            "--sso-scope",
            scope,
        ]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    };
    login("sso:account:access");
    // The login polls CreateToken until the browser has approved: once when the
    // browser is quicker than the poll interval, more on a loaded machine.
    let after_login = env.emu.calls("CreateToken");
    assert!(after_login >= 1);
    // Each call refreshes instead of logging in; the rotated refresh token keeps working.
    for round in 1..=2 {
        env.granted(&["credential-process", "--no-cache", "--profile", "dev"])
            .json();
        assert_eq!(
            env.emu.calls("CreateToken"),
            after_login + round,
            "one refresh per call"
        );
    }
    assert_eq!(
        env.emu.calls("StartDeviceAuthorization"),
        1,
        "no second login"
    );
    // A second login on the same URL, region and scopes reuses the registration.
    login("sso:account:access");
    assert_eq!(env.emu.calls("RegisterClient"), 1);
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 2);
    forget(&env);
}

#[test]
fn legacy_tokens_are_not_refreshable() {
    let env = env_with_browser();
    env.emu
        .set_token_lifetime(std::time::Duration::from_secs(240));
    sso_login(&env);
    // The login's own polls (one, or more on a loaded machine).
    let after_login = env.emu.calls("CreateToken");
    env.granted(&["credential-process", "--no-cache", "--profile", "dev"])
        .json();
    assert_eq!(
        env.emu.calls("CreateToken"),
        after_login,
        "sso-portal:* gives no refresh token: the token is used as it is"
    );
    forget(&env);
}

#[test]
fn sso_tokens_list_expiry_clear_and_logout() {
    let env = env_with_browser();
    sso_login(&env);
    let listed = env.granted(&["sso-tokens", "list"]).stdout;
    assert!(
        listed.starts_with("https://example.awsapps.com/start  us-east-1  "),
        "{listed}"
    );
    assert!(listed.trim_end().ends_with("valid"), "{listed}");
    let json: serde_json::Value =
        serde_json::from_str(&env.granted(&["sso-tokens", "expiry", "--json"]).stdout).unwrap();
    assert_eq!(json[0]["start_urls"][0], START_URL);
    assert_eq!(json[0]["is_expired"], false);
    // Logout ends the portal session and forgets the token.
    let run = env.granted(&["sso", "logout", "--sso-start-url", START_URL]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(env.emu.calls("Logout"), 1);
    assert_eq!(env.granted(&["sso-tokens", "list"]).stdout, "");
    let line = env
        .granted(&["sso-tokens", "clear", START_URL])
        .failure()
        .to_owned();
    assert_eq!(
        line,
        "[✘] no sso token is kept for https://example.awsapps.com/start"
    );
    forget(&env);
}

const SESSION_CONFIG: &str = "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n\
     [profile via-session]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\nregion = us-east-1\n";

fn cli_cache_file(env: &TestEnv, key: &str) -> std::path::PathBuf {
    env.home()
        .join(".aws/sso/cache")
        .join(granted::sso::AwsCliCache::file_name(key))
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_aws_cli_refresh_token_is_refreshed_and_written_back() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "login test");
    env.write_config(SESSION_CONFIG);
    // What `aws sso login --sso-session corp` leaves: 4 minutes left, refreshable.
    let login = env
        .emu
        .issue_refreshable_login(START_URL, std::time::Duration::from_secs(240));
    let path = cli_cache_file(&env, "corp");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let original = serde_json::json!({
        "startUrl": START_URL,
        "region": "us-east-1",
        "accessToken": login.access_token,
        "expiresAt": granted::output::utc_rfc3339(login.expires_at),
        "clientId": login.client_id,
        "clientSecret": login.client_secret,
        "registrationExpiresAt": granted::output::utc_rfc3339(login.registration_expires_at),
        "refreshToken": login.refresh_token,
        "someOtherToolsField": "kept",
    });
    std::fs::write(&path, original.to_string()).unwrap();

    let json = env.credential_process("via-session").json();
    assert_eq!(json["AccountId"], "123456789012");
    assert_eq!(env.emu.calls("CreateToken"), 1, "one refresh, no login");
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 0);

    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let new_refresh = written["refreshToken"].as_str().unwrap();
    assert_ne!(written["accessToken"], original["accessToken"]);
    assert_ne!(
        new_refresh, login.refresh_token,
        "the rotated token is kept"
    );
    assert!(env.emu.refresh_token_is_live(new_refresh));
    assert!(!env.emu.refresh_token_is_live(&login.refresh_token));
    for kept in [
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "startUrl",
        "region",
        "someOtherToolsField",
    ] {
        assert_eq!(written[kept], original[kept], "{kept}");
    }
    let expires = written["expiresAt"].as_str().unwrap();
    assert!(expires.ends_with('Z') && expires.len() == 20, "{expires}");
    assert!(expires > original["expiresAt"].as_str().unwrap());
    assert_eq!(mode(&path), 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files: {leftovers:?}");

    // The refreshed token lives long enough: the next call uses it as it is.
    env.granted(&[
        "credential-process",
        "--no-cache",
        "--profile",
        "via-session",
    ])
    .json();
    assert_eq!(env.emu.calls("CreateToken"), 1);
    forget(&env);
}

#[test]
fn cli_files_for_other_scopes_or_start_urls_are_ignored() {
    let env = TestEnv::new();
    env.write_config(SESSION_CONFIG);
    let path = cli_cache_file(&env, "corp");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let token = env
        .emu
        .issue_access_token(START_URL, std::time::Duration::from_secs(3600));
    let expires =
        granted::output::utc_rfc3339(time::OffsetDateTime::now_utc() + time::Duration::hours(1));
    for foreign in [
        serde_json::json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": token,
            "expiresAt": expires, "scopes": ["codewhisperer:completions"]}),
        serde_json::json!({"startUrl": "https://other.awsapps.com/start", "region": "us-east-1",
            "accessToken": token, "expiresAt": expires}),
    ] {
        std::fs::write(&path, foreign.to_string()).unwrap();
        let line = env.credential_process("via-session").failure().to_owned();
        assert!(line.contains("granted sso login"), "{line}");
    }
    assert_eq!(env.emu.calls("GetRoleCredentials"), 0, "never tried");
    // The same file with matching scopes is used.
    std::fs::write(
        &path,
        serde_json::json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": token,
            "expiresAt": expires, "scopes": ["sso:account:access"]})
        .to_string(),
    )
    .unwrap();
    env.credential_process("via-session").json();
}

#[test]
fn a_rejected_token_is_dropped_without_auto_login() {
    let env = env_with_browser();
    sso_login(&env);
    assert!(
        env.granted(&["sso-tokens", "list"])
            .stdout
            .contains(START_URL)
    );
    // The portal says 401 although the token's expiry is hours away.
    env.emu
        .inject(granted_emulator::Fault::error("GetRoleCredentials", 401));
    let line = env.credential_process("dev").failure().to_owned();
    assert!(
        line.contains("please login using 'granted sso login"),
        "{line}"
    );
    assert_eq!(
        env.granted(&["sso-tokens", "list"]).stdout,
        "",
        "the rejected token is forgotten"
    );
    // Nothing left to try: the next call fails fast without calling the portal.
    env.credential_process("dev").failure();
    assert_eq!(env.emu.calls("GetRoleCredentials"), 1);
    assert_eq!(
        env.emu.calls("StartDeviceAuthorization"),
        1,
        "no login without --auto-login"
    );
    forget(&env);
}

#[test]
fn slow_down_adds_five_seconds_to_the_polling_interval() {
    let env = env_with_browser();
    env.emu.inject(granted_emulator::Fault {
        operation: "CreateToken".into(),
        status: 400,
        error_code: Some("SlowDownException".into()),
        times: 1,
        ..Default::default()
    });
    let started = std::time::Instant::now();
    let run = env.granted(&[
        "sso",
        "login",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
    ]);
    let took = started.elapsed();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(env.emu.calls("CreateToken"), 2, "slow_down, then the token");
    // 1 s interval before the first poll, then 1 + 5 s before the second.
    assert!(took >= std::time::Duration::from_secs(7), "{took:?}");
    forget(&env);
}

#[test]
fn sso_login_by_session_name_and_export_for_the_aws_cli() {
    let env = env_with_browser();
    env.write_config(SESSION_CONFIG);
    let run = env.granted(&["sso", "login", "--sso-session", "nope"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("no `[sso-session nope]` in ") && run.stderr.contains(".aws/config"),
        "{}",
        run.stderr
    );
    let run = env.granted(&[
        "sso",
        "login",
        "--sso-session",
        "corp",
        "--export-sso-token",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let path = cli_cache_file(&env, "corp");
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(exported["startUrl"], START_URL);
    assert_eq!(exported["region"], "us-east-1");
    assert!(exported["expiresAt"].as_str().unwrap().ends_with('Z'));
    assert!(
        exported.get("refreshToken").is_none(),
        "our refresh token stays ours"
    );
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    // The session's scopes were used: the token is refreshable, and one login serves
    // the profile.
    assert!(
        env.granted(&["sso-tokens", "list"])
            .stdout
            .contains("refreshable")
    );
    // The exported token is one the portal accepts: with our store gone, the file
    // alone serves the profile.
    forget(&env);
    std::fs::remove_dir_all(env.home().join(".granted/secure-storage")).unwrap();
    let json = env
        .granted(&[
            "credential-process",
            "--no-cache",
            "--profile",
            "via-session",
        ])
        .json();
    assert_eq!(json["AccountId"], "123456789012");
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 1);
}

#[test]
fn a_login_denied_in_the_browser_is_a_clear_error() {
    let mut env = env_with_browser();
    let browser = env.home().join("deny.sh");
    write_script(
        &browser,
        "#!/bin/sh\nexec python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + \"&deny=1\").read()' \"$1\"\n",
    );
    env.set("BROWSER", browser.to_str().unwrap());
    let run = env.granted(&[
        "sso",
        "login",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(
            "[✘] the login to https://example.awsapps.com/start was denied in the browser"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        env.granted(&["sso-tokens", "list"]).stdout,
        "",
        "nothing kept"
    );
    forget(&env);
}

#[test]
fn a_stale_cli_file_is_not_refreshed_while_granted_has_a_valid_token() {
    let env = env_with_browser();
    env.write_config(SESSION_CONFIG);
    let run = env.granted(&["sso", "login", "--sso-session", "corp"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let calls = env.emu.calls("CreateToken");
    // What an old `aws sso login` left: expired, refresh token no longer valid.
    let path = cli_cache_file(&env, "corp");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let past = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
    let later = time::OffsetDateTime::now_utc() + time::Duration::days(30);
    std::fs::write(
        &path,
        serde_json::json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": "old",
            "expiresAt": granted::output::utc_rfc3339(past), "clientId": "c", "clientSecret": "s",
            "registrationExpiresAt": granted::output::utc_rfc3339(later), "refreshToken": "spent"})
        .to_string(),
    )
    .unwrap();
    for _ in 0..2 {
        let run = env.granted(&[
            "credential-process",
            "--no-cache",
            "--profile",
            "via-session",
        ]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(run.stderr, "", "no refresh attempted, no error shown");
    }
    assert_eq!(env.emu.calls("CreateToken"), calls);
    forget(&env);
}

#[test]
fn legacy_profiles_ignore_tokens_of_other_tools_and_files_without_a_start_url() {
    let env = TestEnv::new();
    env.write_config(&granted_sso_profile(
        "dev",
        "123456789012",
        "AWSAdministratorAccess",
    ));
    let path = cli_cache_file(&env, START_URL);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let token = env
        .emu
        .issue_access_token(START_URL, std::time::Duration::from_secs(3600));
    let expires =
        granted::output::utc_rfc3339(time::OffsetDateTime::now_utc() + time::Duration::hours(1));
    for foreign in [
        serde_json::json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": token,
            "expiresAt": expires, "scopes": ["codewhisperer:completions", "codewhisperer:analysis"]}),
        serde_json::json!({"region": "us-east-1", "accessToken": token, "expiresAt": expires}),
    ] {
        std::fs::write(&path, foreign.to_string()).unwrap();
        let line = env.credential_process("dev").failure().to_owned();
        assert!(line.contains("granted sso login"), "{line}");
    }
    assert_eq!(env.emu.calls("GetRoleCredentials"), 0);
}

/// Logging out ends what the login gave: the role credentials cached from it are
/// deleted, so the next call needs a login (security issue, item 4). Other cached
/// sessions stay.
#[test]
fn logout_and_clear_end_the_cached_sessions_of_that_login() {
    let env = env_with_browser();
    env.emu.add_account("210987654321", "other", &["Other"]);
    let other_url = "https://other.awsapps.com/start";
    env.write_config(&format!(
        "{}[profile elsewhere]\ngranted_sso_start_url = {other_url}\ngranted_sso_region = us-east-1\ngranted_sso_account_id = 210987654321\ngranted_sso_role_name = Other\ncredential_process = granted credential-process --profile elsewhere\n",
        granted_sso_profile("dev", "123456789012", "AWSAdministratorAccess")
    ));
    env.login_aws_cli_style(other_url, other_url, std::time::Duration::from_secs(3600));
    for (ending, args) in [
        (
            "logout",
            &["sso", "logout", "--sso-start-url", START_URL][..],
        ),
        ("clear", &["sso-tokens", "clear", START_URL][..]),
    ] {
        sso_login(&env);
        env.credential_process("dev").json();
        env.credential_process("elsewhere").json();
        let fetched = env.emu.calls("GetRoleCredentials");
        env.credential_process("dev").json();
        assert_eq!(
            env.emu.calls("GetRoleCredentials"),
            fetched,
            "{ending}: cached"
        );

        let run = env.granted(args);
        assert_eq!(run.code, Some(0), "{ending}: {}", run.stderr);
        assert!(
            run.stderr.contains("removed 1 cached session"),
            "{ending}: {}",
            run.stderr
        );
        let line = env.credential_process("dev").failure().to_owned();
        assert!(line.contains("please login"), "{ending}: {line}");
        env.credential_process("elsewhere").json();
        assert_eq!(
            env.emu.calls("GetRoleCredentials"),
            fetched,
            "{ending}: the other login's session is still cached"
        );
    }
    forget(&env);
}

#[test]
fn the_browser_sees_no_secret_variable() {
    let mut env = env_with_browser();
    let dump = env.home().join("browser-env");
    let browser = env.home().join("env-browser.sh");
    write_script(
        &browser,
        &format!(
            "#!/bin/sh\nenv > '{}'\nexec python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \"$1\"\n",
            dump.display()
        ),
    );
    env.set("BROWSER", browser.to_str().unwrap());
    env.set("AWS_SESSION_TOKEN", "session-token-from-an-earlier-assume");
    env.set("AWS_SECRET_ACCESS_KEY", "secret-key-from-an-earlier-assume");
    sso_login(&env);
    let seen = std::fs::read_to_string(&dump).unwrap();
    assert!(
        seen.contains("HOME="),
        "the dump is the browser's environment"
    );
    for name in [
        "CF_KEYRING_FILE_PASSWORD",
        "AWS_SESSION_TOKEN",
        "AWS_SECRET_ACCESS_KEY",
    ] {
        assert!(
            !seen.lines().any(|l| l.starts_with(&format!("{name}="))),
            "{name} reached the browser"
        );
    }
    forget(&env);
}

/// `granted sso login` that must fail: its one stderr line.
fn failed_sso_login(env: &TestEnv) -> String {
    let run = env.granted(&[
        "sso",
        "login",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr.trim_end().lines().count(),
        1,
        "one line: {:?}",
        run.stderr
    );
    run.stderr.trim_end().to_owned()
}

#[test]
fn a_verification_link_that_is_not_https_is_neither_shown_nor_opened() {
    for hostile in [
        "--remote-debugging-port=9222",
        "file:///etc/passwd",
        "http://device.example.com/device",
    ] {
        let env = env_with_browser();
        env.emu.tamper_device_answer(Some(hostile), "");
        let line = failed_sso_login(&env);
        assert!(
            line.contains("verification link that is not an https URL"),
            "{line}"
        );
        assert_eq!(browser_opens(&env), 0, "{hostile} reached the browser");
        assert_eq!(env.emu.calls("CreateToken"), 0, "no polling either");
        forget(&env);
    }
}

#[test]
fn upstream_text_reaches_the_terminal_without_escape_sequences() {
    // A user code carrying a title change, a screen clear and a hidden line break.
    let env = env_with_browser();
    env.emu
        .tamper_device_answer(None, "\u{1b}]0;owned\u{7}\u{1b}[2J\r\n[✔] fake");
    let run = sso_login(&env);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(!run.stderr.contains('\u{7}'), "{:?}", run.stderr);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("[i] Code: ") && l.ends_with("[✔] fake")),
        "the code stays on its own line: {:?}",
        run.stderr
    );
    forget(&env);

    // An error message from the service.
    let env = env_with_browser();
    env.emu.inject(granted_emulator::Fault {
        operation: "StartDeviceAuthorization".into(),
        status: 400,
        message: Some("bad\u{1b}[2J\u{1b}]8;;https://evil.example\u{1b}\\request\nline two".into()),
        times: 1,
        ..granted_emulator::Fault::default()
    });
    let line = failed_sso_login(&env);
    assert!(!line.contains('\u{1b}'), "{line:?}");
    assert!(line.contains("badrequest line two"), "{line:?}");
    forget(&env);
}

#[test]
fn a_fifo_in_the_aws_cli_cache_is_a_clear_error_not_a_hang() {
    let env = env_with_browser();
    let fifo = cli_cache_file(&env, START_URL);
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let mut child = env.spawn_granted(&["credential-process", "--profile", "dev"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("credential-process waits on the FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let run = crate::util::Run::from(child.wait_with_output().unwrap());
    let line = run.failure();
    assert!(
        line.contains(&fifo.display().to_string()) && line.contains("only a regular file is read"),
        "{line}"
    );
}
