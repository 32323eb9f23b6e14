//! `granted::shell`: the emitted statements and the `shell/` wrappers.
//!
//! Golden tables pin the exact text for every shell and run everywhere. The rest runs
//! the text in real shells (bash, zsh, dash, fish, nushell; pwsh when present) and
//! compares what a child process sees, byte for byte, with what went in. The wrappers
//! are driven against a fake `granted` (a sh script first on PATH) that prints statements
//! made here with the library and exits with a chosen status.
//!
//! A missing shell or linter is skipped with a message, except under CI (env `CI` set),
//! where it is a failure; pwsh is never required. nushell is found at `$GRANTED_TEST_NU`,
//! else as `nu` on PATH.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use granted::shell::{self, MANAGED, Shell};

// ---------------------------------------------------------------------------------------
// Golden text

fn argv(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const GOLDEN_SET: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIA'1"),
    ("AWS_SECRET_ACCESS_KEY", "a\\b$c’\nd"),
    ("AWS_REGION", ""),
];

const POSIX_UNSET_REST: &str = "\\unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_REGION AWS_SESSION_EXPIRATION AWS_CREDENTIAL_EXPIRATION GRANTED_SSO GRANTED_SSO_START_URL GRANTED_SSO_ROLE_NAME GRANTED_SSO_REGION GRANTED_SSO_ACCOUNT_ID\n";

#[test]
fn golden_export_posix() {
    let want = format!(
        "{POSIX_UNSET_REST}\\export AWS_ACCESS_KEY_ID='AKIA'\\''1'\n\\export AWS_SECRET_ACCESS_KEY='a\\b$c’\nd'\n\\export AWS_REGION=''\n"
    );
    for sh in [Shell::Bash, Shell::Zsh, Shell::Sh] {
        assert_eq!(shell::export(sh, &GOLDEN_SET), want, "{sh}");
    }
}

#[test]
fn golden_export_fish() {
    assert_eq!(
        shell::export(Shell::Fish, &GOLDEN_SET),
        "set -e AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_REGION AWS_SESSION_EXPIRATION AWS_CREDENTIAL_EXPIRATION GRANTED_SSO GRANTED_SSO_START_URL GRANTED_SSO_ROLE_NAME GRANTED_SSO_REGION GRANTED_SSO_ACCOUNT_ID\n\
         set -gx AWS_ACCESS_KEY_ID 'AKIA\\'1'\n\
         set -gx AWS_SECRET_ACCESS_KEY 'a\\\\b$c’\nd'\n\
         set -gx AWS_REGION ''\n\
         true\n"
    );
}

#[test]
fn golden_export_powershell() {
    let mut want = String::new();
    for name in &MANAGED {
        if !GOLDEN_SET.iter().any(|(n, _)| n == name) {
            want.push_str(&format!(
                "Remove-Item -LiteralPath Env:{name} -ErrorAction SilentlyContinue\n"
            ));
        }
    }
    want.push_str("$Env:AWS_ACCESS_KEY_ID = 'AKIA''1'\n");
    want.push_str("$Env:AWS_SECRET_ACCESS_KEY = ('a\\b$c’’' + [char]10 + 'd')\n");
    want.push_str("$Env:AWS_REGION = ''\n");
    assert_eq!(shell::export(Shell::PowerShell, &GOLDEN_SET), want);
}

#[test]
fn golden_powershell_quotes() {
    // Each of the four single quotes doubled; control characters outside the quotes; a
    // value that starts with one starts from '' so `+` joins strings, not numbers.
    let cases = [
        ("plain", "'plain'"),
        ("‘’‚‛'", "'‘‘’’‚‚‛‛'''"),
        ("`$x\"", "'`$x\"'"),
        ("\r\n", "('' + [char]13 + [char]10)"),
        ("\tx\u{7f}", "('' + [char]9 + 'x' + [char]127)"),
    ];
    for (value, want) in cases {
        let text = shell::export(Shell::PowerShell, &[("AWS_PROFILE", value)]);
        let last = text.lines().last().unwrap();
        assert_eq!(last, format!("$Env:AWS_PROFILE = {want}"), "{value:?}");
    }
}

#[test]
fn golden_export_nu() {
    assert_eq!(
        shell::export(Shell::Nu, &GOLDEN_SET),
        "{\"unset\":[\"AWS_SESSION_TOKEN\",\"AWS_PROFILE\",\"AWS_DEFAULT_REGION\",\"AWS_SESSION_EXPIRATION\",\"AWS_CREDENTIAL_EXPIRATION\",\"GRANTED_SSO\",\"GRANTED_SSO_START_URL\",\"GRANTED_SSO_ROLE_NAME\",\"GRANTED_SSO_REGION\",\"GRANTED_SSO_ACCOUNT_ID\"],\
         \"set\":{\"AWS_ACCESS_KEY_ID\":\"AKIA'1\",\"AWS_SECRET_ACCESS_KEY\":\"a\\\\b$c’\\nd\",\"AWS_REGION\":\"\"}}\n"
    );
}

#[test]
fn golden_unset() {
    let all = MANAGED.join(" ");
    assert_eq!(shell::unset(Shell::Bash), format!("\\unset {all}\n"));
    assert_eq!(shell::unset(Shell::Fish), format!("set -e {all}\ntrue\n"));
    assert_eq!(shell::unset(Shell::PowerShell).lines().count(), 13);
    let json: serde_json::Value = serde_json::from_str(&shell::unset(Shell::Nu)).unwrap();
    assert_eq!(json["unset"].as_array().unwrap().len(), 13);
    assert_eq!(json["set"], serde_json::json!({}));
    // With all 13 set there is nothing to remove, and no empty `unset` statement.
    let full: Vec<(&str, &str)> = MANAGED.iter().map(|n| (*n, "v")).collect();
    assert!(!shell::export(Shell::Sh, &full).contains("unset"));
    assert!(!shell::export(Shell::Fish, &full).contains("set -e"));
}

#[test]
fn golden_exec() {
    let env = [("AWS_PROFILE", "p'q")];
    let args = argv(&["aws", "s3", "ls", "it's here"]);
    let rest = "\\unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_REGION AWS_DEFAULT_REGION AWS_SESSION_EXPIRATION AWS_CREDENTIAL_EXPIRATION GRANTED_SSO GRANTED_SSO_START_URL GRANTED_SSO_ROLE_NAME GRANTED_SSO_REGION GRANTED_SSO_ACCOUNT_ID";
    assert_eq!(
        shell::exec(Shell::Bash, &env, &args),
        format!(
            "(\n{rest}\n\\export AWS_PROFILE='p'\\''q'\n\\exec 'aws' 's3' 'ls' 'it'\\''s here'\n)\n"
        )
    );
    assert_eq!(
        shell::exec(Shell::Zsh, &env, &args),
        format!(
            "(\n{rest}\n\\export AWS_PROFILE='p'\\''q'\n\\exec \\command 'aws' 's3' 'ls' 'it'\\''s here'\n)\n"
        )
    );
    let fish = shell::exec(Shell::Fish, &env, &args);
    assert!(
        fish.starts_with("begin\n    set -lu AWS_ACCESS_KEY_ID\n"),
        "{fish}"
    );
    assert!(
        fish.ends_with(
            "    set -lu GRANTED_SSO_ACCOUNT_ID\n    set -lx AWS_PROFILE 'p\\'q'\n    command 'aws' 's3' 'ls' 'it\\'s here'\nend\n"
        ),
        "{fish}"
    );
    assert_eq!(fish.matches("set -lu ").count(), 12);
    let nu: serde_json::Value = serde_json::from_str(&shell::exec(Shell::Nu, &env, &args)).unwrap();
    assert_eq!(nu["env"], serde_json::json!({"AWS_PROFILE": "p'q"}));
    assert_eq!(
        nu["argv"],
        serde_json::json!(["aws", "s3", "ls", "it's here"])
    );
    assert_eq!(nu["unset"].as_array().unwrap().len(), 12);
}

#[test]
fn golden_exec_powershell() {
    let text = shell::exec(
        Shell::PowerShell,
        &[("AWS_PROFILE", "p’q")],
        &argv(&["aws", "a\nb"]),
    );
    for line in [
        "    $PSNativeCommandArgumentPassing = 'Standard'",
        "        Remove-Item -LiteralPath Env:AWS_ACCESS_KEY_ID -ErrorAction SilentlyContinue",
        "        $Env:AWS_PROFILE = 'p’’q'",
        "        $__granted_program = Get-Command -CommandType Application -TotalCount 1 -ErrorAction SilentlyContinue -Name ([WildcardPattern]::Escape('aws'))",
        "            & $__granted_program ('a' + [char]10 + 'b')",
        "            $global:LASTEXITCODE = 127",
        "    } finally {",
        "            [Environment]::SetEnvironmentVariable($__granted_name, $__granted_saved[$__granted_name])",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(text.starts_with("& {\n") && text.ends_with("}\n"));
    assert_eq!(text.matches("Remove-Item").count(), 12);
}

#[test]
fn shell_names() {
    for sh in Shell::ALL {
        assert_eq!(sh.name().parse::<Shell>(), Ok(sh));
        assert!(shell::init_script(sh).contains("assume"), "{sh}");
    }
    assert_eq!("pwsh".parse::<Shell>(), Ok(Shell::PowerShell));
    assert_eq!("nushell".parse::<Shell>(), Ok(Shell::Nu));
    let err = "tcsh".parse::<Shell>().unwrap_err().to_string();
    assert!(
        err.contains("`tcsh`") && err.contains("bash") && err.contains("nu"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Finding tools

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The tool, or `None` (with a message) outside CI; under CI a missing tool fails.
fn require(name: &str) -> Option<PathBuf> {
    let found = if name == "nu" {
        std::env::var_os("GRANTED_TEST_NU")
            .map(PathBuf::from)
            .filter(|p| p.is_file())
            .or_else(|| on_path("nu"))
    } else {
        on_path(name)
    };
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{name}` is required under CI but is missing (run .ci/run)"
        );
        eprintln!("skipping: `{name}` is not installed (run .ci/run)");
    }
    found
}

/// A real shell and how to run a script file in it.
struct RealShell {
    kind: Shell,
    path: PathBuf,
}

impl RealShell {
    fn find(kind: Shell) -> Option<RealShell> {
        let program = match kind {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Sh => "dash",
            Shell::Fish => "fish",
            Shell::Nu => "nu",
            Shell::PowerShell => "pwsh",
        };
        if kind == Shell::PowerShell {
            let path = on_path(program);
            if path.is_none() {
                eprintln!(
                    "skipping: `pwsh` is not installed; PowerShell is covered by golden text only"
                );
            }
            return path.map(|path| RealShell { kind, path });
        }
        require(program).map(|path| RealShell { kind, path })
    }

    fn wrapper_file(&self) -> PathBuf {
        let name = match self.kind {
            Shell::Bash => "assume.bash",
            Shell::Zsh => "assume.zsh",
            Shell::Sh => "assume.sh",
            Shell::Fish => "assume.fish",
            Shell::PowerShell => "assume.ps1",
            Shell::Nu => "assume.nu",
        };
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("shell")
            .join(name)
    }

    /// Runs `script` from a file in `lab`, with a clean environment: PATH (the fake
    /// `granted` first), HOME in the lab, and `vars`.
    fn run(&self, lab: &Lab, script: &str, vars: &[(&str, &str)]) -> Output {
        // pwsh -File insists on the .ps1 extension.
        let ext = if self.kind == Shell::PowerShell {
            ".ps1"
        } else {
            ""
        };
        let file = lab.dir.path().join(format!("script-{}{ext}", lab.next()));
        std::fs::write(&file, script).unwrap();
        let mut cmd = Command::new(&self.path);
        match self.kind {
            Shell::Bash => cmd.args(["--noprofile", "--norc"]),
            Shell::Zsh => cmd.arg("-f"),
            Shell::Sh => &mut cmd,
            Shell::Fish => cmd.arg("--no-config"),
            Shell::Nu => cmd.args(["--no-config-file", "--no-std-lib"]),
            Shell::PowerShell => cmd.args(["-NoLogo", "-NoProfile", "-NonInteractive", "-File"]),
        };
        cmd.arg(&file)
            .env_clear()
            .env("PATH", lab.path_var())
            .env("HOME", lab.dir.path())
            .env("XDG_CONFIG_HOME", lab.dir.path().join("config"))
            .env("XDG_DATA_HOME", lab.dir.path().join("data"))
            .envs(vars.iter().copied())
            .stdin(Stdio::null())
            .output()
            .expect("the shell runs")
    }

    /// A statement that writes the environment a child process sees, NUL-separated.
    fn dump_env(&self, file: &Path) -> String {
        let file = file.display();
        match self.kind {
            Shell::Nu => format!("^env -0 out> '{file}'\n"),
            Shell::PowerShell => format!("& sh -c 'env -0 > \"$1\"' sh '{file}'\n"),
            _ => format!("env -0 > '{file}'\n"),
        }
    }

    /// Statements that run `assume ARGS…` and write its status to `file`.
    fn call_assume(&self, args: &str, file: &Path) -> String {
        let file = file.display();
        match self.kind {
            Shell::Fish => format!("assume {args}\necho $status > '{file}'\n"),
            Shell::Nu => format!(
                "let rc = try {{ assume {args}; 0 }} catch {{|e| $e.exit_code? | default 255 }}\n$rc | into string | save -f '{file}'\n"
            ),
            Shell::PowerShell => format!(
                "$global:LASTEXITCODE = 0\nassume {args}\n[IO.File]::WriteAllText('{file}', [string]$LASTEXITCODE)\n"
            ),
            _ => format!("assume {args}\necho \"$?\" > '{file}'\n"),
        }
    }

    fn source_wrapper(&self) -> String {
        let file = self.wrapper_file();
        let file = file.display();
        match self.kind {
            Shell::Sh | Shell::PowerShell => format!(". '{file}'\n"),
            _ => format!("source '{file}'\n"),
        }
    }

    /// User definitions that would hijack a careless wrapper, made before it is loaded
    /// (aliases are expanded when a function is parsed).
    fn hostile_definitions(&self) -> &'static str {
        match self.kind {
            Shell::Bash => {
                "shopt -s expand_aliases\ngranted() { echo EVIL-function; }\nalias eval='echo EVIL-eval'\nalias command='echo EVIL-command'\nalias granted='echo EVIL-granted'\nalias local='echo EVIL-local'\nalias return='echo EVIL-return'\n"
            }
            Shell::Zsh => {
                "granted() { echo EVIL-function; }\nalias eval='echo EVIL-eval'\nalias command='echo EVIL-command'\nalias granted='echo EVIL-granted'\nalias local='echo EVIL-local'\nalias exec='echo EVIL-exec'\n"
            }
            Shell::Sh => {
                "granted() { echo EVIL-function; }\nalias eval='echo EVIL-eval'\nalias command='echo EVIL-command'\nalias granted='echo EVIL-granted'\nalias unset='echo EVIL-unset'\nalias exec='echo EVIL-exec'\n"
            }
            // `eval` and `command` are reserved words in fish; a function is its alias.
            Shell::Fish => "function granted; echo EVIL-function; end\n",
            Shell::Nu => "def granted [...rest] { print EVIL-function }\n",
            Shell::PowerShell => "function granted { 'EVIL-function' }\n",
        }
    }
}

/// A temporary directory with a fake `granted` in `bin/`.
struct Lab {
    dir: tempfile::TempDir,
    counter: std::cell::Cell<u32>,
}

impl Lab {
    fn new() -> Lab {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let d = dir.path().display();
        // `granted profiles` lists three names; `granted assume …` records its arguments,
        // says something on stderr, prints `out` and exits with `status`.
        let fake = format!(
            "#!/bin/sh\n\
             if [ \"$1\" = profiles ]; then printf 'dev\\nprod\\nprod-admin\\n'; exit 0; fi\n\
             printf '%s\\0' \"$@\" > '{d}/args'\n\
             echo 'fake granted on stderr' >&2\n\
             cat '{d}/out'\n\
             exit \"$(cat '{d}/status')\"\n"
        );
        let path = bin.join("granted");
        std::fs::write(&path, fake).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        Lab {
            dir,
            counter: std::cell::Cell::new(0),
        }
    }

    fn next(&self) -> u32 {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        n
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn path_var(&self) -> std::ffi::OsString {
        let mut dirs = vec![self.dir.path().join("bin")];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(dirs).unwrap()
    }

    /// What the fake prints next, and its exit status.
    fn fake(&self, out: &str, status: i32) {
        std::fs::write(self.file("out"), out).unwrap();
        std::fs::write(self.file("status"), status.to_string()).unwrap();
        let _ = std::fs::remove_file(self.file("args"));
    }

    fn marker(&self) -> PathBuf {
        self.file("pwned")
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.file(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn status(&self, name: &str) -> i32 {
        String::from_utf8(self.read(name))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// A NUL-separated `env -0` dump.
    fn env(&self, name: &str) -> BTreeMap<String, Vec<u8>> {
        let mut vars = BTreeMap::new();
        for entry in self.read(name).split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let eq = entry.iter().position(|b| *b == b'=').expect("NAME=VALUE");
            vars.insert(
                String::from_utf8(entry[..eq].to_vec()).unwrap(),
                entry[eq + 1..].to_vec(),
            );
        }
        vars
    }
}

/// Values that break careless quoting; `marker` is a file a `$(…)` would create.
fn hostile(marker: &Path) -> Vec<String> {
    let m = marker.display();
    let mut values: Vec<String> = [
        "'",
        "\\",
        "$HOME",
        "`id`",
        "a\nb",
        "\t",
        "\r",
        "é",
        "♀",
        "’",
        "‘",
        "",
        "-n",
        "*",
        ";",
        "%s%",
        "ends\n\n",
        "a'b\\c$d\ne",
        "\\'",
        "!!",
        "=ls",
        "~",
        "'\\''",
        "{}",
        "\"",
        "x\\",
        "#no",
        "--",
        "‚‛",
        "\u{7f}\u{1b}[31m",
        "a\r\nb",
        " lead and trail ",
        "$((1+1))",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    values.push(format!("$(touch '{m}')"));
    values.push(format!("`touch '{m}'`"));
    values.push(format!("'; touch '{m}'; '"));
    values.push(format!("\"; touch {m}; \""));
    values.push(format!("\\'; touch {m}; #"));
    values.push(format!("'); touch {m}; ('"));
    values.push(format!("{{\"unset\":[],\"set\":{{}}}}\n$(touch '{m}')"));
    values.push("FwoGZXIvYXdzE".repeat(77)[..1000].to_string());
    values
}

/// The hostile values dealt onto the managed names, at most 13 a round; the later
/// rounds leave names out, so removal is tested too.
fn rounds(values: &[String]) -> Vec<Vec<(&'static str, &str)>> {
    values
        .chunks(11)
        .map(|chunk| {
            MANAGED
                .iter()
                .copied()
                .zip(chunk.iter().map(String::as_str))
                .collect()
        })
        .collect()
}

/// Every managed variable set to a stale value before the shell starts.
fn stale() -> Vec<(&'static str, String)> {
    MANAGED.iter().map(|n| (*n, format!("stale-{n}"))).collect()
}

fn stale_vars<'a>(stale: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    stale.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The managed variables in `env` are exactly `set`.
fn assert_managed(env: &BTreeMap<String, Vec<u8>>, set: &[(&str, &str)], what: &str) {
    for name in MANAGED {
        match set.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => assert_eq!(
                env.get(name)
                    .map(|v| String::from_utf8_lossy(v).into_owned()),
                Some(value.to_string()),
                "{what}: {name}"
            ),
            None => assert!(!env.contains_key(name), "{what}: {name} should be removed"),
        }
    }
}

fn shells() -> Vec<RealShell> {
    [
        Shell::Bash,
        Shell::Zsh,
        Shell::Sh,
        Shell::Fish,
        Shell::Nu,
        Shell::PowerShell,
    ]
    .into_iter()
    .filter_map(RealShell::find)
    .collect()
}

// ---------------------------------------------------------------------------------------
// Round trips in real shells

/// The emitted text, evaluated as the shell's own source (not through the wrapper), for
/// the shells whose output is code.
#[test]
fn export_round_trip_direct() {
    for sh in shells().into_iter().filter(|s| s.kind != Shell::Nu) {
        let lab = Lab::new();
        let values = hostile(&lab.marker());
        let stale = stale();
        for (i, set) in rounds(&values).iter().enumerate() {
            let dump = lab.file(&format!("env-{i}"));
            let script = format!("{}{}", shell::export(sh.kind, set), sh.dump_env(&dump));
            let out = sh.run(&lab, &script, &stale_vars(&stale));
            assert_ok(&out, &format!("{} round {i}", sh.kind));
            assert!(
                out.stderr.is_empty(),
                "{}: {}",
                sh.kind,
                String::from_utf8_lossy(&out.stderr)
            );
            assert_managed(
                &lab.env(&format!("env-{i}")),
                set,
                &format!("{} round {i}", sh.kind),
            );
        }
        assert!(!lab.marker().exists(), "{}: a value ran as code", sh.kind);
    }
}

/// Through the wrapper: `assume` runs the fake binary, which prints `export` output.
#[test]
fn export_round_trip_through_wrapper() {
    for sh in shells() {
        let lab = Lab::new();
        let values = hostile(&lab.marker());
        let stale = stale();
        for (i, set) in rounds(&values).iter().enumerate() {
            lab.fake(&shell::export(sh.kind, set), 0);
            let script = format!(
                "{}{}{}",
                sh.source_wrapper(),
                sh.call_assume("dev --region 'a b'", &lab.file("rc")),
                sh.dump_env(&lab.file("env"))
            );
            let out = sh.run(&lab, &script, &stale_vars(&stale));
            let what = format!("{} round {i}", sh.kind);
            assert_ok(&out, &what);
            assert_eq!(lab.status("rc"), 0, "{what}");
            assert_managed(&lab.env("env"), set, &what);
            let args = lab.read("args");
            let want = format!("assume\0--shell\0{}\0dev\0--region\0a b\0", sh.kind.name());
            assert_eq!(String::from_utf8_lossy(&args), want, "{what}: arguments");
            // The binary's stderr reaches the terminal, not the evaluated text.
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("fake granted on stderr"),
                "{what}: stderr {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(!lab.marker().exists(), "{}: a value ran as code", sh.kind);
    }
}

#[test]
fn unset_through_wrapper_removes_every_managed_variable() {
    for sh in shells() {
        let lab = Lab::new();
        let stale = stale();
        lab.fake(&shell::unset(sh.kind), 0);
        let script = format!(
            "{}{}{}",
            sh.source_wrapper(),
            sh.call_assume("--unset", &lab.file("rc")),
            sh.dump_env(&lab.file("env"))
        );
        let out = sh.run(
            &lab,
            &script,
            &[stale_vars(&stale), vec![("KEEP", "me")]].concat(),
        );
        assert_ok(&out, sh.kind.name());
        assert_eq!(lab.status("rc"), 0, "{}", sh.kind);
        let env = lab.env("env");
        assert_managed(&env, &[], sh.kind.name());
        assert_eq!(
            env.get("KEEP").map(Vec::as_slice),
            Some(&b"me"[..]),
            "{}",
            sh.kind
        );
    }
}

/// A failing binary (an error, a cancelled picker) changes nothing, even when it printed
/// statements, and its status comes back.
#[test]
fn failure_changes_nothing_and_returns_the_status() {
    for sh in shells() {
        for status in [1, 130] {
            let lab = Lab::new();
            let stale = stale();
            let text = format!(
                "{}{}",
                shell::export(sh.kind, &[("AWS_PROFILE", "new")]),
                if sh.kind == Shell::Nu {
                    ""
                } else {
                    "\ntouch pwned\n"
                }
            );
            lab.fake(&text, status);
            let script = format!(
                "cd '{}'\n{}{}{}",
                lab.dir.path().display(),
                sh.source_wrapper(),
                sh.call_assume("dev", &lab.file("rc")),
                sh.dump_env(&lab.file("env"))
            );
            let out = sh.run(&lab, &script, &stale_vars(&stale));
            let what = format!("{} exit {status}", sh.kind);
            assert_ok(&out, &what);
            assert_eq!(lab.status("rc"), status, "{what}");
            let env = lab.env("env");
            for (name, value) in &stale {
                assert_eq!(
                    env.get(*name).map(Vec::as_slice),
                    Some(value.as_bytes()),
                    "{what}: {name}"
                );
            }
            assert!(!lab.marker().exists(), "{what}: output was evaluated");
        }
    }
}

/// `exec`: the program gets its arguments and environment exactly, the other managed
/// variables are hidden from it, its status is the result, and the shell is untouched.
fn exec_case(sh: &RealShell, through_wrapper: bool) {
    let lab = Lab::new();
    let stale = stale();
    let m = lab.marker();
    let child_args = lab.file("child-args");
    let child_env = lab.file("child-env");
    let script_in_child = format!(
        "printf '%s\\0' \"$@\" > '{}'; env -0 > '{}'; exit 3",
        child_args.display(),
        child_env.display()
    );
    let args: Vec<String> = vec![
        "a b".into(),
        "it's".into(),
        "line1\nline2".into(),
        String::new(),
        format!("$(touch '{}')", m.display()),
        "*".into(),
        "-n".into(),
        "’‘".into(),
        "back\\slash".into(),
        "tail\n".into(),
    ];
    let mut argv = vec!["sh".to_string(), "-c".into(), script_in_child, "sh".into()];
    argv.extend(args.iter().cloned());
    let values = hostile(&m);
    let env: Vec<(&str, &str)> = vec![
        ("AWS_ACCESS_KEY_ID", values[0].as_str()),
        ("AWS_SECRET_ACCESS_KEY", values[4].as_str()),
        ("AWS_SESSION_TOKEN", values.last().unwrap().as_str()),
        ("AWS_REGION", values[values.len() - 8].as_str()),
        ("AWS_DEFAULT_REGION", ""),
    ];
    let text = shell::exec(sh.kind, &env, &argv);
    let (script, what) = if through_wrapper {
        lab.fake(&text, 0);
        (
            format!(
                "{}{}{}",
                sh.source_wrapper(),
                sh.call_assume("dev --exec", &lab.file("rc")),
                sh.dump_env(&lab.file("env"))
            ),
            format!("{} exec via wrapper", sh.kind),
        )
    } else {
        let status = match sh.kind {
            Shell::Fish => format!("echo $status > '{}'\n", lab.file("rc").display()),
            _ => format!("echo \"$?\" > '{}'\n", lab.file("rc").display()),
        };
        (
            format!("{text}{status}{}", sh.dump_env(&lab.file("env"))),
            format!("{} exec direct", sh.kind),
        )
    };
    let out = sh.run(&lab, &script, &stale_vars(&stale));
    assert_ok(&out, &what);
    assert_eq!(lab.status("rc"), 3, "{what}: status");
    let got: Vec<String> = String::from_utf8(lab.read("child-args"))
        .unwrap()
        .split_terminator('\0')
        .map(str::to_owned)
        .collect();
    assert_eq!(got, args, "{what}: arguments");
    assert_managed(&lab.env("child-env"), &env, &format!("{what}: child"));
    let parent = lab.env("env");
    for (name, value) in &stale {
        assert_eq!(
            parent.get(*name).map(Vec::as_slice),
            Some(value.as_bytes()),
            "{what}: parent {name}"
        );
    }
    assert!(!m.exists(), "{what}: an argument ran as code");
}

#[test]
fn exec_direct() {
    for sh in shells()
        .iter()
        .filter(|s| !matches!(s.kind, Shell::Nu | Shell::PowerShell))
    {
        exec_case(sh, false);
    }
}

#[test]
fn exec_through_wrapper() {
    for sh in shells() {
        exec_case(&sh, true);
    }
}

/// exec never runs a shell function or alias of the program's name.
#[test]
fn exec_runs_the_program_not_a_function() {
    for sh in shells().into_iter().filter(|s| s.kind != Shell::PowerShell) {
        let lab = Lab::new();
        let hijack = match sh.kind {
            Shell::Fish => "function sh; echo EVIL > pwned; end\n".to_string(),
            Shell::Nu => "def sh [...rest] { 'EVIL' | save pwned }\n".to_string(),
            Shell::Bash => {
                "shopt -s expand_aliases\nsh() { echo EVIL > pwned; }\nalias sh='echo EVIL > pwned'\n"
                    .to_string()
            }
            _ => "sh() { echo EVIL > pwned; }\nalias sh='echo EVIL > pwned'\n".to_string(),
        };
        lab.fake(
            &shell::exec(sh.kind, &[], &argv(&["sh", "-c", "exit 4"])),
            0,
        );
        let script = format!(
            "cd '{}'\n{hijack}{}{}",
            lab.dir.path().display(),
            sh.source_wrapper(),
            sh.call_assume("dev", &lab.file("rc"))
        );
        let out = sh.run(&lab, &script, &[]);
        assert_ok(&out, sh.kind.name());
        assert_eq!(lab.status("rc"), 4, "{}", sh.kind);
        assert!(!lab.marker().exists(), "{}: the function ran", sh.kind);
    }
}

/// Aliases and functions named like the wrapper's commands do not break it.
#[test]
fn wrapper_survives_user_aliases() {
    for sh in shells() {
        let lab = Lab::new();
        let set = [("AWS_PROFILE", "dev"), ("AWS_REGION", "eu-west-1")];
        lab.fake(&shell::export(sh.kind, &set), 0);
        let script = format!(
            "{}{}{}{}",
            sh.hostile_definitions(),
            sh.source_wrapper(),
            sh.call_assume("dev", &lab.file("rc")),
            sh.dump_env(&lab.file("env"))
        );
        let out = sh.run(&lab, &script, &stale_vars(&stale()));
        assert_ok(&out, sh.kind.name());
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("EVIL"),
            "{}: {}",
            sh.kind,
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(lab.status("rc"), 0, "{}", sh.kind);
        assert_managed(&lab.env("env"), &set, sh.kind.name());
    }
}

// ---------------------------------------------------------------------------------------
// Completion

#[test]
fn completion_bash() {
    let Some(sh) = RealShell::find(Shell::Bash) else {
        return;
    };
    let lab = Lab::new();
    let script = format!(
        "{}complete -p assume\nCOMP_WORDS=(assume pr); COMP_CWORD=1\n__granted_complete_assume\nprintf '<%s>' \"${{COMPREPLY[@]}}\"\n",
        sh.source_wrapper()
    );
    let out = sh.run(&lab, &script, &[]);
    assert_ok(&out, "bash");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "complete -F __granted_complete_assume assume\n<prod><prod-admin>"
    );
}

#[test]
fn completion_zsh_registers_only_with_compinit() {
    let Some(sh) = RealShell::find(Shell::Zsh) else {
        return;
    };
    let lab = Lab::new();
    let without = sh.run(
        &lab,
        &format!(
            "{}print -r -- ${{+functions[assume]}}\n",
            sh.source_wrapper()
        ),
        &[],
    );
    assert_ok(&without, "zsh without compinit");
    assert_eq!(String::from_utf8_lossy(&without.stdout), "1\n");
    assert!(
        without.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&without.stderr)
    );
    let with = sh.run(
        &lab,
        &format!(
            "autoload -Uz compinit\ncompinit -u -D\n{}print -r -- $_comps[assume]\n",
            sh.source_wrapper()
        ),
        &[],
    );
    assert_ok(&with, "zsh with compinit");
    assert_eq!(
        String::from_utf8_lossy(&with.stdout),
        "__granted_complete_assume\n"
    );
}

#[test]
fn completion_fish() {
    let Some(sh) = RealShell::find(Shell::Fish) else {
        return;
    };
    let lab = Lab::new();
    let out = sh.run(
        &lab,
        &format!("{}complete -C 'assume pr'\n", sh.source_wrapper()),
        &[],
    );
    assert_ok(&out, "fish");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "prod\nprod-admin\n");
}

#[test]
fn completion_nu() {
    let Some(sh) = RealShell::find(Shell::Nu) else {
        return;
    };
    let lab = Lab::new();
    let out = sh.run(
        &lab,
        &format!(
            "{}__granted_profiles | to json -r | print\n",
            sh.source_wrapper()
        ),
        &[],
    );
    assert_ok(&out, "nu");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "[\"dev\",\"prod\",\"prod-admin\"]\n"
    );
}

// ---------------------------------------------------------------------------------------
// Linters and parsers

fn lint(program: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the linter runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn sample_exec() -> Vec<String> {
    argv(&["aws", "sts", "get-caller-identity", "it's", "$(x)", "a\nb"])
}

#[test]
fn shellcheck_wrappers_and_emitted_text() {
    let Some(sc) = require("shellcheck") else {
        return;
    };
    let lab = Lab::new();
    let values = hostile(&lab.marker());
    let set = &rounds(&values)[0];
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (dialect, file) in [("sh", "shell/assume.sh"), ("bash", "shell/assume.bash")] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let out = lint(&sc, &["--severity=warning", "-s", dialect, "-"], &text);
        assert_ok(&out, file);
    }
    for (dialect, kind) in [("sh", Shell::Sh), ("bash", Shell::Bash)] {
        for text in [
            shell::export(kind, set),
            shell::unset(kind),
            shell::exec(kind, set, &sample_exec()),
        ] {
            // SC1112 warns about a typographic quote inside single quotes: there it is
            // data (the `’` value), which is the point.
            let out = lint(
                &sc,
                &["--severity=warning", "--exclude=SC1112", "-s", dialect, "-"],
                &text,
            );
            assert_ok(&out, &text);
        }
    }
}

#[test]
fn zsh_parses_its_wrapper() {
    let Some(zsh) = require("zsh") else { return };
    let out = Command::new(zsh)
        .args(["-n", "-f"])
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("shell/assume.zsh"))
        .output()
        .unwrap();
    assert_ok(&out, "zsh -n");
}

#[test]
fn fish_parses_wrapper_and_emitted_text() {
    let Some(fish) = require("fish") else { return };
    let lab = Lab::new();
    let values = hostile(&lab.marker());
    let set = &rounds(&values)[0];
    for text in [
        shell::init_script(Shell::Fish).to_string(),
        shell::export(Shell::Fish, set),
        shell::unset(Shell::Fish),
        shell::exec(Shell::Fish, set, &sample_exec()),
    ] {
        let out = lint(&fish, &["--no-config", "--no-execute"], &text);
        assert_ok(&out, &text);
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn nu_loads_its_wrapper_quietly() {
    let Some(sh) = RealShell::find(Shell::Nu) else {
        return;
    };
    let lab = Lab::new();
    let out = sh.run(
        &lab,
        &format!(
            "{}scope commands | where name == assume | length | print\n",
            sh.source_wrapper()
        ),
        &[],
    );
    assert_ok(&out, "nu");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
