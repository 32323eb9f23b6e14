//! `granted settings`: ~/.granted/config through the binary.

use std::os::unix::fs::PermissionsExt;

use crate::util::TestEnv;

#[test]
fn bad_names_and_values_are_one_clear_line_and_write_nothing() {
    let env = TestEnv::new();
    let line = env
        .granted(&["settings", "set", "-s", "Keyring.Backend", "-v", "floppy"])
        .failure()
        .to_owned();
    assert_eq!(
        line,
        "[✘] Keyring.Backend takes one of keychain, wincred, secret-service, kwallet, keyctl, pass, file, not `floppy`"
    );
    let line = env
        .granted(&["settings", "set", "-s", "Nope", "-v", "1"])
        .failure()
        .to_owned();
    assert!(
        line.starts_with(
            "[✘] the selected field `Nope` is not a valid config parameter; settings: "
        ),
        "{line}"
    );
    assert!(!env.home().join(".granted/config").exists());
}

#[test]
fn set_keeps_the_file_and_print_shows_it() {
    let env = TestEnv::new();
    let dir = env.home().join(".granted");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config"), "# kept\nSomethingNew = 1\n").unwrap();
    let run = env.granted(&[
        "settings",
        "set",
        "-s",
        "disablecredentialprocesscache",
        "-v",
        "true",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("unknown setting `SomethingNew` (kept as it is)"),
        "{}",
        run.stderr
    );
    let run = env.granted(&[
        "settings",
        "set",
        "--setting",
        "Keyring.Backend",
        "--value",
        "FILE",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("config")).unwrap(),
        "# kept\nSomethingNew = 1\nDisableCredentialProcessCache = true\n\n[Keyring]\nBackend = \"file\"\n"
    );
    assert_eq!(
        std::fs::metadata(dir.join("config"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let printed = env.granted(&["settings", "print"]).stdout;
    let has = |want: &[&str]| {
        printed
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == want)
    };
    assert!(has(&["DisableCredentialProcessCache", "true"]), "{printed}");
    assert!(has(&["Keyring.Backend", "file"]), "{printed}");
}

/// A top-level key after `[Keyring]` belongs to that table: every command that reads
/// the settings says so once on stderr, and credential-process's stdout stays JSON.
#[test]
fn a_key_misplaced_under_a_table_is_one_warning_on_stderr_only() {
    let mut env = TestEnv::new();
    env.emu.add_user(
        "AKIAUSER0000EXAMPLE1",
        "user-secret-key-0123456789abcdefghijklmn",
        "444444444444",
        "alice",
    );
    env.write_credentials("[base]\naws_access_key_id = AKIAUSER0000EXAMPLE1\naws_secret_access_key = user-secret-key-0123456789abcdefghijklmn\n");
    env.write_config("[profile base]\nregion = us-east-1\n");
    env.set("CF_KEYRING_FILE_PASSWORD", "test-passphrase");
    let dir = env.home().join(".granted");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config"),
        "[Keyring]\nBackend = \"file\"\nDisableUsageTips = true\n",
    )
    .unwrap();
    let file = dir.join("config");
    let warning = format!(
        "[!] {}: `DisableUsageTips` comes after [Keyring], so it belongs to that table and is ignored; move it above the first [table] line",
        file.display()
    );

    let run = env.credential_process("base");
    let json = run.json();
    assert_eq!(json["AccessKeyId"], "AKIAUSER0000EXAMPLE1");
    assert_eq!(run.stderr, format!("{warning}\n"));

    // `granted settings` says the same, once, instead of calling it unknown.
    let run = env.granted(&["settings", "print"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, format!("{warning}\n"));
    assert!(!run.stdout.contains("[!]"), "{}", run.stdout);

    // Moved above the header, it is a setting and nothing is said.
    std::fs::write(
        &file,
        "DisableUsageTips = true\n[Keyring]\nBackend = \"file\"\n",
    )
    .unwrap();
    let run = env.credential_process("base");
    run.json();
    assert_eq!(run.stderr, "");
}

#[test]
fn a_setting_of_the_wrong_type_is_one_line_naming_file_and_setting() {
    let env = TestEnv::new();
    env.write_config("[profile base]\nregion = us-east-1\n");
    let dir = env.home().join(".granted");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config"),
        "credentialprocessautologin = \"maybe\"\n",
    )
    .unwrap();
    let line = env.credential_process("base").failure().to_owned();
    assert_eq!(
        line,
        format!(
            "[✘] {}: setting `CredentialProcessAutoLogin` must be true or false",
            dir.join("config").display()
        )
    );
    // `granted settings set` still mends it.
    let run = env.granted(&[
        "settings",
        "set",
        "-s",
        "CredentialProcessAutoLogin",
        "-v",
        "false",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}
