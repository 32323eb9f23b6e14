//! `assume` end to end: the real `granted` binary on PATH, loaded into real bash, zsh, dash,
//! fish and nushell with the README's one line, against the emulator. Each test asserts
//! what the shell's environment holds afterwards (as a child process sees it), and
//! what the emulator was asked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::{START_URL, TestEnv, bin};

/// Shells these tests run in, with the program that runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sh {
    Bash,
    Zsh,
    Dash,
    Fish,
    Nu,
}

impl Sh {
    const ALL: [Sh; 5] = [Sh::Bash, Sh::Zsh, Sh::Dash, Sh::Fish, Sh::Nu];

    fn program(self) -> Option<PathBuf> {
        let name = match self {
            Sh::Bash => "bash",
            Sh::Zsh => "zsh",
            Sh::Dash => "dash",
            Sh::Fish => "fish",
            Sh::Nu => "nu",
        };
        let found = std::env::var_os("GRANTED_TEST_NU")
            .filter(|_| self == Sh::Nu)
            .map(PathBuf::from)
            .filter(|p| p.is_file())
            .or_else(|| {
                std::env::split_paths(&std::env::var_os("PATH")?)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            });
        if found.is_none() {
            assert!(
                std::env::var_os("CI").is_none(),
                "`{name}` is required under CI (run .ci/run)"
            );
            eprintln!("skipping {name}: not installed (run .ci/run)");
        }
        found
    }

    /// The README's setup line for this shell.
    fn setup(self, env: &TestEnv) -> String {
        match self {
            Sh::Bash => "eval \"$(granted shell-init bash)\"\n".into(),
            Sh::Zsh => "eval \"$(granted shell-init zsh)\"\n".into(),
            Sh::Dash => "eval \"$(granted shell-init sh)\"\n".into(),
            Sh::Fish => "granted shell-init fish | source\n".into(),
            Sh::Nu => {
                // nushell sources files only (paths known when the script is parsed).
                let file = env.home().join("granted.nu");
                let script = std::process::Command::new(bin())
                    .args(["shell-init", "nu"])
                    .output()
                    .unwrap()
                    .stdout;
                std::fs::write(&file, script).unwrap();
                format!("source '{}'\n", file.display())
            }
        }
    }

    /// Runs `assume ARGS`, records its status in `status`, then dumps the environment a
    /// child sees into `env` (NUL-separated).
    fn assume_and_dump(self, args: &str, dir: &Path) -> String {
        let status = dir.join("status");
        let dump = dir.join("env");
        let (s, d) = (status.display(), dump.display());
        match self {
            Sh::Bash | Sh::Zsh | Sh::Dash => {
                format!("assume {args}\necho \"$?\" > '{s}'\nenv -0 > '{d}'\n")
            }
            Sh::Fish => format!("assume {args}\necho $status > '{s}'\nenv -0 > '{d}'\n"),
            Sh::Nu => format!(
                "let rc = try {{ assume {args}; 0 }} catch {{|e| $e.exit_code? | default 255 }}\n$rc | into string | save -f '{s}'\n^env -0 out> '{d}'\n"
            ),
        }
    }
}

/// What a shell session left: assume's status and the environment after it.
struct After {
    status: i32,
    env: BTreeMap<String, String>,
    stderr: String,
    stdout: String,
}

impl After {
    fn var(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }
}

/// Runs `prelude`, the setup line, then `assume ARGS` in `sh`, with the test's HOME and
/// the real granted first on PATH.
fn session(env: &TestEnv, sh: Sh, program: &Path, prelude: &str, args: &str) -> After {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "{prelude}{}{}",
        sh.setup(env),
        sh.assume_and_dump(args, dir.path())
    );
    let file = dir.path().join("script");
    std::fs::write(&file, script).unwrap();
    let bin_dir = Path::new(bin()).parent().unwrap().to_path_buf();
    let mut path = vec![bin_dir];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut cmd = env.command(program);
    match sh {
        Sh::Bash => cmd.args(["--noprofile", "--norc"]),
        Sh::Zsh => cmd.arg("-f"),
        Sh::Dash => &mut cmd,
        Sh::Fish => cmd.arg("--no-config"),
        Sh::Nu => cmd.args(["--no-config-file"]),
    };
    let out: Output = cmd
        .arg(&file)
        .env("PATH", std::env::join_paths(path).unwrap())
        .output()
        .expect("the shell runs");
    let status = std::fs::read_to_string(dir.path().join("status"))
        .unwrap_or_else(|_| {
            panic!(
                "{sh:?} did not finish: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
        .trim()
        .parse()
        .unwrap();
    let mut vars = BTreeMap::new();
    for entry in std::fs::read(dir.path().join("env"))
        .unwrap()
        .split(|b| *b == 0)
        .filter(|e| !e.is_empty())
    {
        let text = String::from_utf8(entry.to_vec()).unwrap();
        let (k, v) = text.split_once('=').unwrap();
        vars.insert(k.to_owned(), v.to_owned());
    }
    After {
        status,
        env: vars,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// Each shell that is installed, with its program.
fn shells() -> Vec<(Sh, PathBuf)> {
    Sh::ALL
        .iter()
        .filter_map(|&sh| sh.program().map(|p| (sh, p)))
        .collect()
}

/// A legacy SSO profile (no credential_process), a credential_process profile on top
/// of it, and a static-keys profile with a role; the AWS CLI-style token in the cache.
fn env() -> TestEnv {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "assume test");
    env.write_config(&format!(
        "[profile sso]\nsso_start_url = {START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\ngranted_description = the SSO one\n\n\
         [profile cp]\ncredential_process = granted credential-process --profile sso\nregion = eu-west-1\n\n\
         [profile role]\nrole_arn = arn:aws:iam::123456789012:role/Deploy\nsource_profile = keys\nregion = us-east-2\n\n\
         [profile keys]\nregion = us-east-2\n"
    ));
    env.write_credentials("[keys]\naws_access_key_id = AKIAKEYSKEYSKEYS0001\naws_secret_access_key = s3cr3t/with+chars\n");
    env.emu.add_user(
        "AKIAKEYSKEYSKEYS0001",
        "s3cr3t/with+chars",
        "123456789012",
        "alice",
    );
    env.emu.add_account("123456789012", "dev", &["Admin"]);
    env.emu
        .add_role("arn:aws:iam::123456789012:role/Deploy", Default::default());
    env.login_aws_cli_style(START_URL, START_URL, std::time::Duration::from_secs(3600));
    env
}

const STALE: &str = "AWS_SESSION_TOKEN=stale AWS_PROFILE=stale GRANTED_SSO_ACCOUNT_ID=stale";

fn prelude(sh: Sh) -> String {
    match sh {
        Sh::Bash | Sh::Zsh | Sh::Dash => format!("export {STALE}\n"),
        Sh::Fish => STALE
            .split(' ')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                format!("set -gx {k} {v}\n")
            })
            .collect(),
        Sh::Nu => STALE
            .split(' ')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                format!("$env.{k} = '{v}'\n")
            })
            .collect(),
    }
}

#[test]
fn an_sso_profile_exports_its_credentials_in_every_shell() {
    let env = env();
    for (sh, program) in shells() {
        let after = session(&env, sh, &program, &prelude(sh), "sso");
        assert_eq!(after.status, 0, "{sh:?}: {}", after.stderr);
        assert_eq!(
            after.stdout, "",
            "{sh:?}: nothing printed to the terminal's stdout"
        );
        let key = after
            .var("AWS_ACCESS_KEY_ID")
            .unwrap_or_else(|| panic!("{sh:?}: {}", after.stderr));
        assert!(key.starts_with("ASIA"), "{sh:?}: {key}");
        assert!(after.var("AWS_SECRET_ACCESS_KEY").is_some());
        assert_ne!(after.var("AWS_SESSION_TOKEN"), Some("stale"), "{sh:?}");
        assert_eq!(after.var("AWS_PROFILE"), Some("sso"), "{sh:?}");
        assert_eq!(after.var("AWS_REGION"), Some("eu-west-1"));
        assert_eq!(after.var("AWS_DEFAULT_REGION"), Some("eu-west-1"));
        assert_eq!(after.var("GRANTED_SSO"), Some("true"));
        assert_eq!(after.var("GRANTED_SSO_START_URL"), Some(START_URL));
        assert_eq!(after.var("GRANTED_SSO_ROLE_NAME"), Some("Admin"));
        assert_eq!(after.var("GRANTED_SSO_REGION"), Some("us-east-1"));
        assert_eq!(
            after.var("GRANTED_SSO_ACCOUNT_ID"),
            Some("123456789012"),
            "{sh:?}: the stale value is replaced"
        );
        let expiry = after.var("AWS_SESSION_EXPIRATION").unwrap();
        assert!(
            expiry.ends_with('Z') && expiry.len() == 20,
            "UTC RFC 3339: {expiry}"
        );
        assert_eq!(after.var("AWS_CREDENTIAL_EXPIRATION"), Some(expiry));
        assert!(
            after
                .stderr
                .contains("[✔] [sso](eu-west-1) session credentials will expire in"),
            "{sh:?}: {}",
            after.stderr
        );
        // The same credentials as credential-process gives: assume warmed its cache.
        let json = env.credential_process("sso").json();
        assert_eq!(json["AccessKeyId"], key, "{sh:?}");
    }
    assert_eq!(
        env.emu.calls("GetRoleCredentials"),
        1,
        "one fetch for every shell and call"
    );
}

#[test]
fn a_credential_process_profile_exports_only_its_name_unless_asked() {
    let env = env();
    for (sh, program) in shells() {
        let after = session(&env, sh, &program, &prelude(sh), "cp");
        assert_eq!(after.status, 0, "{sh:?}: {}", after.stderr);
        assert_eq!(after.var("AWS_PROFILE"), Some("cp"), "{sh:?}");
        assert_eq!(after.var("AWS_REGION"), Some("eu-west-1"));
        for gone in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SESSION_TOKEN",
            "AWS_SESSION_EXPIRATION",
            "GRANTED_SSO_ACCOUNT_ID",
        ] {
            assert_eq!(after.var(gone), None, "{sh:?}: {gone} cleared");
        }
        let after = session(&env, sh, &program, "", "-x cp");
        assert_eq!(after.status, 0, "{sh:?}: {}", after.stderr);
        assert!(
            after
                .var("AWS_ACCESS_KEY_ID")
                .is_some_and(|k| k.starts_with("ASIA")),
            "{sh:?}"
        );
        assert_eq!(after.var("AWS_PROFILE"), Some("cp"));
    }
    // The credential_process line names profile `sso`: its cache entry was warmed, so
    // every assume and the SDK's later calls share one fetch.
    assert_eq!(env.emu.calls("GetRoleCredentials"), 1);

    // The setting does what -x does; Granted's spellings work too.
    std::fs::create_dir_all(env.home().join(".granted")).unwrap();
    std::fs::write(
        env.home().join(".granted/config"),
        "DefaultExportAllEnvVar = true\n",
    )
    .unwrap();
    let (sh, program) = shells().into_iter().next().expect("bash at least");
    let after = session(&env, sh, &program, "", "cp");
    assert!(after.var("AWS_ACCESS_KEY_ID").is_some(), "{}", after.stderr);
    let after = session(&env, sh, &program, "", "cp -un");
    assert_eq!(after.status, 0, "{}", after.stderr);
    assert_eq!(after.var("AWS_PROFILE"), None);
    assert!(after.stderr.contains("Environment variables cleared"));
}

#[test]
fn unset_clears_everything_and_failure_leaves_the_shell_alone() {
    let env = env();
    for (sh, program) in shells() {
        let after = session(&env, sh, &program, &prelude(sh), "-un");
        assert_eq!(after.status, 0, "{sh:?}: {}", after.stderr);
        for name in ["AWS_SESSION_TOKEN", "AWS_PROFILE", "GRANTED_SSO_ACCOUNT_ID"] {
            assert_eq!(after.var(name), None, "{sh:?}: {name}");
        }

        let after = session(&env, sh, &program, &prelude(sh), "ssoo");
        assert_eq!(after.status, 1, "{sh:?}: {}", after.stderr);
        assert!(
            after.stderr.contains("`ssoo` not found"),
            "{sh:?}: {}",
            after.stderr
        );
        assert!(
            after.stderr.contains("did you mean `sso`?"),
            "{}",
            after.stderr
        );
        assert_eq!(after.var("AWS_PROFILE"), Some("stale"), "{sh:?}: untouched");
        assert_eq!(after.var("AWS_SESSION_TOKEN"), Some("stale"), "{sh:?}");
    }
}

#[test]
fn exec_runs_the_command_with_the_credentials_and_returns_its_status() {
    let env = env();
    for (sh, program) in shells() {
        let dir = tempfile::tempdir().unwrap();
        let seen = dir.path().join("seen");
        let args = format!(
            "role --exec -- sh -c 'printf %s \"$AWS_ACCESS_KEY_ID|$AWS_REGION|${{AWS_PROFILE-none}}\" > {}; exit 3'",
            seen.display()
        );
        let after = session(&env, sh, &program, &prelude(sh), &args);
        assert_eq!(
            after.status, 3,
            "{sh:?}: the command's status: {}",
            after.stderr
        );
        let seen = std::fs::read_to_string(&seen).unwrap();
        let parts: Vec<&str> = seen.split('|').collect();
        assert!(parts[0].starts_with("ASIA"), "{sh:?}: {seen}");
        assert_eq!(parts[1], "us-east-2");
        assert_eq!(
            parts[2], "none",
            "{sh:?}: AWS_PROFILE is not passed to the command"
        );
        assert_eq!(
            after.var("AWS_PROFILE"),
            Some("stale"),
            "{sh:?}: the shell is untouched"
        );
        assert_eq!(after.var("AWS_ACCESS_KEY_ID"), None, "{sh:?}");
    }
}

#[test]
fn flags_region_shorthand_chain_and_duration() {
    let env = env();
    env.emu
        .add_role("arn:aws:iam::123456789012:role/Next", Default::default());
    let (sh, program) = shells().into_iter().next().expect("bash at least");
    let after = session(&env, sh, &program, "", "role -r ue1");
    assert_eq!(after.status, 0, "{}", after.stderr);
    assert_eq!(after.var("AWS_REGION"), Some("us-east-1"));
    assert_eq!(after.var("GRANTED_SSO"), Some("false"));
    // Go-style single-dash long flags, flags after the profile, --chain.
    let after = session(
        &env,
        sh,
        &program,
        "",
        "role -chain arn:aws:iam::123456789012:role/Next -duration 30m",
    );
    assert_eq!(after.status, 0, "{}", after.stderr);
    assert_eq!(after.var("AWS_PROFILE"), None, "an ARN is not a profile");
    assert!(after.var("AWS_ACCESS_KEY_ID").is_some());
    assert_eq!(
        env.emu.calls("AssumeRole"),
        3,
        "role, then role + the chained one"
    );
    let after = session(&env, sh, &program, "", "role -r nowhere");
    assert_eq!(after.status, 1);
    assert!(
        after.stderr.contains("--region nowhere"),
        "{}",
        after.stderr
    );
}

#[test]
fn without_a_profile_or_terminal_it_fails_instead_of_waiting() {
    let env = env();
    let run = env.granted(&["assume", "--shell", "bash"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("assume <profile>") || run.stderr.contains("terminal"),
        "{}",
        run.stderr
    );
}

#[test]
fn profiles_lists_names_for_completion() {
    let env = env();
    let run = env.granted(&["profiles"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "cp\nkeys\nrole\nsso\n");
}

/// After `assume cp` only AWS_PROFILE is set: the real AWS CLI then runs the profile's
/// credential_process (granted), which is served from the cache assume warmed.
#[test]
fn the_aws_cli_uses_the_assumed_credential_process_profile() {
    let Some(aws) = crate::awscli::aws_cli() else {
        return;
    };
    let Some(bash) = Sh::Bash.program() else {
        return;
    };
    let env = env();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("identity");
    let bin_dir = Path::new(bin()).parent().unwrap();
    let script = format!(
        "eval \"$(granted shell-init bash)\"\nassume cp || exit 9\n'{}' sts get-caller-identity --output json > '{}'\n",
        aws.display(),
        out.display()
    );
    let mut path = vec![bin_dir.to_path_buf()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let run = env
        .command(&bash)
        .args(["--noprofile", "--norc", "-c", &script])
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("AWS_ENDPOINT_URL_STS", env.emu.url())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let identity: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(identity["Account"], "123456789012");
    assert!(
        identity["Arn"]
            .as_str()
            .unwrap()
            .contains("assumed-role/AWSReservedSSO_Admin_"),
        "{identity}"
    );
    assert_eq!(
        env.emu.calls("GetRoleCredentials"),
        1,
        "the CLI's call was a cache hit"
    );
}

/// `--mfa-token` gives the code: no terminal is needed, and a wrong code is an error
/// that leaves the shell alone.
#[test]
fn mfa_token_flag_supplies_the_code() {
    let env = TestEnv::new();
    env.emu.add_user(
        "AKIAMFA00000EXAMPLE9",
        "mfa-secret-9",
        "777777777777",
        "carol",
    );
    env.emu.add_role(
        "arn:aws:iam::777777777777:role/Admin",
        granted_emulator::RoleConditions {
            require_mfa: true,
            external_id: None,
        },
    );
    env.emu
        .set_mfa_code("arn:aws:iam::777777777777:mfa/carol", "424242");
    env.write_config(
        "[profile base]\naws_access_key_id = AKIAMFA00000EXAMPLE9\naws_secret_access_key = mfa-secret-9\nregion = us-east-1\n\n\
         [profile admin]\nrole_arn = arn:aws:iam::777777777777:role/Admin\nsource_profile = base\nmfa_serial = arn:aws:iam::777777777777:mfa/carol\n",
    );
    let run = env.granted(&[
        "assume",
        "--shell",
        "bash",
        "admin",
        "--mfa-token",
        "111111",
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing for the shell to evaluate");
    let run = env.granted(&["assume", "--shell", "bash", "-mfa-token=424242", "admin"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("AWS_ACCESS_KEY_ID='ASIA"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("AWS_PROFILE='admin'"), "{}", run.stdout);
}

#[test]
fn help_under_the_shell_function_is_never_evaluated() {
    let env = env();
    for args in [
        &["assume", "--shell", "bash", "--help"][..],
        &["assume", "--shell", "fish", "-h"],
        &["--version", "assume", "--shell", "zsh"],
    ] {
        let run = env.granted(args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}: stdout is evaluated by the shell");
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
    // Outside the function, help still goes to stdout.
    let run = env.granted(&["assume", "--help"]);
    assert!(run.stdout.contains("Usage"), "{}", run.stdout);
}

#[test]
fn review_cases_chain_region_cache_and_bad_exec() {
    let env = env();
    env.emu
        .add_role("arn:aws:iam::123456789012:role/Next", Default::default());
    // --chain on a credential_process profile: the chained keys, not just a region.
    let run = env.granted(&[
        "assume",
        "--shell",
        "bash",
        "cp",
        "--chain",
        "arn:aws:iam::123456789012:role/Next",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("AWS_ACCESS_KEY_ID='ASIA"),
        "{}",
        run.stdout
    );
    // A region alone doesn't change SSO role credentials: the cache still serves.
    let before = env.emu.calls("GetRoleCredentials");
    for _ in 0..2 {
        let run = env.granted(&["assume", "--shell", "bash", "sso", "--r", "ue1"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(
            run.stdout.contains("AWS_REGION='us-east-1'"),
            "{}",
            run.stdout
        );
    }
    assert!(env.emu.calls("GetRoleCredentials") <= before + 1);
    // Go's bool spelling.
    let run = env.granted(&["assume", "--shell", "bash", "cp", "-x=true"]);
    assert!(run.stdout.contains("AWS_ACCESS_KEY_ID="), "{}", run.stderr);
    let run = env.granted(&["assume", "--shell", "bash", "cp", "-x=false"]);
    assert!(!run.stdout.contains("AWS_ACCESS_KEY_ID="), "{}", run.stderr);
    // A command that looks like a flag is refused, not run.
    let run = env.granted(&["assume", "--shell", "bash", "sso", "--exec", "--", "-foo"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("can't start with `-`"),
        "{}",
        run.stderr
    );
}

/// A headless machine with no store passphrase: a token the AWS CLI left still serves
/// assume (only a login would need the store), and without one the error says both
/// what to run and why it couldn't log in by itself.
#[test]
fn without_a_store_passphrase_an_existing_token_still_serves() {
    let env = TestEnv::new();
    env.emu.add_account("123456789012", "dev", &["Admin"]);
    env.write_config(&format!(
        "[profile sso]\nsso_start_url = {START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
    ));
    let run = env.granted(&["assume", "--shell", "bash", "sso"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("please login using 'granted sso login")
            && run
                .stderr
                .contains("auto-login needs granted's encrypted store"),
        "{}",
        run.stderr
    );
    env.login_aws_cli_style(START_URL, START_URL, std::time::Duration::from_secs(3600));
    let run = env.granted(&["assume", "--shell", "bash", "sso"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("AWS_ACCESS_KEY_ID='ASIA"),
        "{}",
        run.stdout
    );
}

/// A profile whose credential_process line runs granted for itself (Granted's form):
/// once assumed, the same assume is served from the cache with what it showed, without
/// reading the config; any edit of the config makes it resolve again.
#[test]
fn a_repeated_assume_needs_no_config_read_until_the_config_changes() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "assume test");
    env.emu.add_account("123456789012", "dev", &["Admin"]);
    env.login_aws_cli_style(START_URL, START_URL, std::time::Duration::from_secs(3600));
    let config = |region: &str, comment: &str| {
        format!(
            "{comment}[profile self]\ngranted_sso_start_url = {START_URL}\ngranted_sso_region = us-east-1\ngranted_sso_account_id = 123456789012\ngranted_sso_role_name = Admin\nregion = {region}\ncredential_process = granted credential-process --profile self\n"
        )
    };
    env.write_config(&config("eu-west-1", ""));
    let assume = |extra: &[&str]| {
        let mut args = vec!["--verbose", "assume", "--shell", "bash"];
        args.extend_from_slice(extra);
        args.push("self");
        let run = env.granted(&args);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let hot = run.stderr.contains("no config read");
        (run.stdout, hot)
    };
    for flags in [&[][..], &["-x"][..]] {
        let (first, hot) = assume(flags);
        assert!(
            !hot || flags == ["-x"],
            "the first assume resolves: {flags:?}"
        );
        let (second, hot) = assume(flags);
        assert!(hot, "the second is served without the config: {flags:?}");
        assert_eq!(first, second, "the same statements: {flags:?}");
    }
    let (exported, _) = assume(&["-x"]);
    for name in [
        "AWS_ACCESS_KEY_ID",
        "GRANTED_SSO_START_URL",
        "GRANTED_SSO_ACCOUNT_ID",
        "AWS_SESSION_EXPIRATION",
    ] {
        assert!(exported.contains(name), "{name} in {exported}");
    }
    assert!(exported.contains("'eu-west-1'"), "{exported}");
    assert_eq!(env.emu.calls("GetRoleCredentials"), 1, "one fetch in all");

    // A comment changes nothing but the file: resolved again, same credentials.
    env.write_config(&config("eu-west-1", "# edited\n"));
    let (again, hot) = assume(&["-x"]);
    assert!(!hot, "an edited config is read again");
    assert_eq!(again, exported);
    // A new region is shown at once, never the remembered one.
    env.write_config(&config("ap-southeast-2", "# edited\n"));
    let (moved, hot) = assume(&[]);
    assert!(!hot);
    assert!(moved.contains("'ap-southeast-2'"), "{moved}");
    assert!(!moved.contains("eu-west-1"), "{moved}");
}

/// A NUL in any exported value, not only the keys and the region, is refused before
/// anything reaches stdout (security issue, item 13): here a start URL that carries one,
/// exported as GRANTED_SSO_START_URL.
#[test]
fn a_nul_in_any_exported_value_is_refused_before_printing() {
    let mut env = TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "assume test");
    env.emu.add_account("123456789012", "dev", &["Admin"]);
    let url = "https://example.awsapps.com/start\u{0}x";
    env.login_aws_cli_style(url, url, std::time::Duration::from_secs(3600));
    env.write_config(&format!(
        "[profile nul]\ngranted_sso_start_url = {url}\ngranted_sso_region = us-east-1\ngranted_sso_account_id = 123456789012\ngranted_sso_role_name = Admin\nregion = eu-west-1\n"
    ));
    // The credentials themselves are fine: the fetch succeeds.
    env.credential_process("nul").json();
    let run = env.granted(&["assume", "--shell", "fish", "nul"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing printed");
    assert!(
        run.stderr
            .contains("profile `nul`: GRANTED_SSO_START_URL holds a NUL byte"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("[✔]"),
        "no success line: {}",
        run.stderr
    );
}
