//! `granted credentials add|list|remove|export-plaintext`: long-lived keys in the
//! encrypted store, through the binary.

use std::io::Write;
use std::process::Stdio;

use crate::util::{Run, TestEnv, bin};

const KEY_ID: &str = "AKIASTORED0000000001";
const SECRET: &str = "stored-secret-0123456789abcdefghijklmnopqr";

/// Runs granted detached from any terminal, with `input` on stdin.
fn granted_with_stdin(env: &TestEnv, args: &[&str], input: &str) -> Run {
    let mut child = env
        .command("setsid")
        .arg("-w")
        .arg(bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    Run::from(child.wait_with_output().unwrap())
}

fn files_containing(root: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

/// Leaves no unlocked store key in the kernel keyring after a test.
struct ForgetKey(std::path::PathBuf);
impl ForgetKey {
    fn of(env: &TestEnv) -> ForgetKey {
        ForgetKey(env.home().join(".granted/secure-storage"))
    }
}
impl Drop for ForgetKey {
    fn drop(&mut self) {
        let _ = granted::store::Store::forget_session_key_in(&self.0);
    }
}

#[test]
fn stored_keys_round_trip_through_the_store_and_the_config() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "credentials test");
    let _forget = ForgetKey::of(&env);
    env.emu.add_user(KEY_ID, SECRET, "999999999999", "erin");
    env.write_config("# my config\n[profile work]\nregion = us-east-1\n\n[profile work-admin]\nrole_arn = arn:aws:iam::999999999999:role/Admin\nsource_profile = work\n");

    let run = granted_with_stdin(
        &env,
        &["credentials", "add", "work"],
        &format!("{KEY_ID}\n{SECRET}\n"),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let config = std::fs::read_to_string(env.home().join(".aws/config")).unwrap();
    assert_eq!(
        config,
        "# my config\n[profile work]\nregion = us-east-1\ncredential_process = granted credential-process --profile=work\n\n[profile work-admin]\nrole_arn = arn:aws:iam::999999999999:role/Admin\nsource_profile = work\n"
    );
    assert_eq!(env.granted(&["credentials", "list"]).stdout, "work\n");
    assert!(
        files_containing(env.home(), SECRET).is_empty(),
        "the secret is nowhere in plaintext"
    );

    let json = env.credential_process("work").json();
    assert_eq!(
        (
            json["AccessKeyId"].as_str(),
            json["SecretAccessKey"].as_str()
        ),
        (Some(KEY_ID), Some(SECRET))
    );
    assert!(json.get("Expiration").is_none());
    assert_eq!(
        env.credential_process("work-admin").json()["AccountId"],
        "999999999999"
    );
    assert_eq!(env.emu.calls("AssumeRole"), 1);

    // Export: the keys move to ~/.aws/credentials and the granted line goes.
    let run = env.granted(&["credentials", "export-plaintext", "work"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let credentials = std::fs::read_to_string(env.home().join(".aws/credentials")).unwrap();
    assert_eq!(
        credentials,
        format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n")
    );
    assert!(
        !std::fs::read_to_string(env.home().join(".aws/config"))
            .unwrap()
            .contains("credential_process")
    );
    assert_eq!(env.granted(&["credentials", "list"]).stdout, "");
    assert_eq!(
        env.credential_process("work").json()["AccessKeyId"],
        KEY_ID,
        "now from the plaintext file"
    );
}

#[test]
fn remove_deletes_the_keys_and_only_our_credential_process_line() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "credentials test");
    let _forget = ForgetKey::of(&env);
    for name in ["a", "b"] {
        let run = granted_with_stdin(
            &env,
            &["credentials", "add", name],
            &format!("{KEY_ID}\n{SECRET}\n"),
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    }
    assert_eq!(env.granted(&["credentials", "list"]).stdout, "a\nb\n");
    let run = env.granted(&["credentials", "remove", "a"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(env.granted(&["credentials", "list"]).stdout, "b\n");
    let config = std::fs::read_to_string(env.home().join(".aws/config")).unwrap();
    assert_eq!(
        config,
        "[profile a]\n\n[profile b]\ncredential_process = granted credential-process --profile=b\n"
    );
    let line = env.credential_process("b").json();
    assert_eq!(line["AccessKeyId"], KEY_ID);
    let line = env
        .granted(&["credentials", "remove", "a"])
        .failure()
        .to_owned();
    assert_eq!(
        line,
        "[✘] profile `a` has no keys in granted's encrypted store"
    );
    env.granted(&["credentials", "remove", "--all"]);
    assert_eq!(env.granted(&["credentials", "list"]).stdout, "");
}

#[test]
fn keys_are_never_taken_from_arguments_and_bad_input_is_refused() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "credentials test");
    let _forget = ForgetKey::of(&env);
    // A key on the command line is refused, not stored.
    let run = env.granted(&["credentials", "add", "x", SECRET]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with("[✘] unexpected argument"),
        "{}",
        run.stderr
    );
    assert!(
        !env.home()
            .join(".granted/secure-storage/iam-credentials")
            .exists()
    );
    let run = granted_with_stdin(&env, &["credentials", "add", "x"], "only-one-line\n");
    assert_eq!(
        run.failure(),
        "[✘] an access key id and a secret access key are needed (two lines, no spaces)"
    );
    assert!(
        !env.home().join(".aws/config").exists(),
        "nothing written on failure"
    );
    // Without a passphrase and without a terminal (and the store locked), the store
    // says so at once.
    env.unset("CF_KEYRING_FILE_PASSWORD");
    granted::store::Store::forget_session_key_in(&env.home().join(".granted/secure-storage"))
        .unwrap();
    let run = granted_with_stdin(&env, &["credentials", "list"], "");
    assert_eq!(
        run.failure(),
        "[✘] the file keyring needs a passphrase: set CF_KEYRING_FILE_PASSWORD or run granted in a terminal"
    );
}

#[cfg(unix)]
#[test]
fn edits_keep_symlinked_configs_crlf_and_header_comments() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "credentials test");
    let _forget = ForgetKey::of(&env);
    let dotfiles = env.home().join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    std::fs::write(
        dotfiles.join("aws-config"),
        "[profile team.a/b] ; ours\r\nregion = eu-west-1\r\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dotfiles.join("aws-config"), env.home().join(".aws/config"))
        .unwrap();
    let run = granted_with_stdin(
        &env,
        &["credentials", "add", "team.a/b"],
        &format!("{KEY_ID}\n{SECRET}\n"),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(env.home().join(".aws/config"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is kept"
    );
    assert_eq!(
        std::fs::read_to_string(dotfiles.join("aws-config")).unwrap(),
        "[profile team.a/b] ; ours\r\nregion = eu-west-1\r\ncredential_process = granted credential-process --profile=team.a/b\r\n"
    );
    // A stale session token in ~/.aws/credentials goes when the keys are exported.
    env.write_credentials("[team.a/b]\naws_session_token = OLD\n");
    let run = env.granted(&["credentials", "export-plaintext", "team.a/b"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let credentials = std::fs::read_to_string(env.home().join(".aws/credentials")).unwrap();
    assert_eq!(
        credentials,
        format!("[team.a/b]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n")
    );
    // Names the AWS CLI's word splitting would change are refused.
    let run = granted_with_stdin(
        &env,
        &["credentials", "add", "it's"],
        &format!("{KEY_ID}\n{SECRET}\n"),
    );
    assert!(run.failure().contains("can't be a profile name here"));
}

#[test]
fn aws_config_file_is_the_file_edited() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "credentials test");
    let _forget = ForgetKey::of(&env);
    let home_config = "# home\n[profile work]\nregion = us-east-1\n";
    env.write_config(home_config);
    let other = env.home().join("other-config");
    std::fs::write(&other, "# other\n[profile work]\nregion = eu-west-1\n").unwrap();
    let other_arg = other.display().to_string();
    let read = |path: &std::path::Path| std::fs::read_to_string(path).unwrap();
    let home_path = env.home().join(".aws/config");
    let with_line = "# other\n[profile work]\nregion = eu-west-1\ncredential_process = granted credential-process --profile=work\n";
    let without_line = "# other\n[profile work]\nregion = eu-west-1\n";

    let add = |env: &TestEnv| {
        let run = granted_with_stdin(
            env,
            &[
                "--aws-config-file",
                &other_arg,
                "credentials",
                "add",
                "work",
            ],
            &format!("{KEY_ID}\n{SECRET}\n"),
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(read(&other), with_line);
        assert_eq!(read(&home_path), home_config, "HOME's config is untouched");
    };
    add(&env);
    let run = env.granted(&[
        "--aws-config-file",
        &other_arg,
        "credentials",
        "remove",
        "work",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(read(&other), without_line);
    assert_eq!(read(&home_path), home_config);

    add(&env);
    let run = env.granted(&[
        "--aws-config-file",
        &other_arg,
        "credentials",
        "export-plaintext",
        "work",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(read(&other), without_line);
    assert_eq!(read(&home_path), home_config);
    assert_eq!(
        read(&env.home().join(".aws/credentials")),
        format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n")
    );
}
