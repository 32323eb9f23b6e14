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

    let run = env.granted(&[
        "sso",
        "login",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
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
        "CredentialProcessAutoLogin = true\n",
    )
    .unwrap();
    env.credential_process("dev").json();
    assert_eq!(env.emu.calls("StartDeviceAuthorization"), 1);
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
    assert_eq!(env.emu.calls("CreateToken"), 1);
    // Each call refreshes instead of logging in; the rotated refresh token keeps working.
    for round in 1..=2 {
        env.granted(&["credential-process", "--no-cache", "--profile", "dev"])
            .json();
        assert_eq!(
            env.emu.calls("CreateToken"),
            1 + round,
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
    let run = env.granted(&[
        "sso",
        "login",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    env.granted(&["credential-process", "--no-cache", "--profile", "dev"])
        .json();
    assert_eq!(
        env.emu.calls("CreateToken"),
        1,
        "sso-portal:* gives no refresh token: the token is used as it is"
    );
    forget(&env);
}

#[test]
fn sso_tokens_list_expiry_clear_and_logout() {
    let env = env_with_browser();
    let run = env.granted(&[
        "sso",
        "login",
        "--sso-start-url",
        START_URL,
        "--sso-region",
        "us-east-1",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
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
