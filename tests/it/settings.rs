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
