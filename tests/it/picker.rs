//! The profile picker on a real terminal: `examples/pick.rs` (items from its arguments, the
//! chosen name on stdout, exit 130 when cancelled) runs in a detached tmux session, keys
//! go in with `send-keys`, and the screen comes back with `capture-pane`. Stdout and
//! stderr go to files, so the tests also prove that nothing but the name reaches stdout.
//!
//! tmux is what `.ci/run` installs. Without it these tests say so and pass, except under
//! CI, where a missing tmux is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long any one screen state or exit may take (builds share the machine's cores).
const DEADLINE: Duration = Duration::from_secs(30);

/// The items every session shows, in this order.
const ITEMS: &[&str] = &[
    "dev=Development account",
    "prod-admin=Production, admin",
    "prod-readonly",
    "staging=Staging",
];

/// `target/<profile>/examples/pick`, built (or found fresh) once per run: `cargo test`
/// builds examples, but `cargo test --test it` does not.
fn pick_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // target/<profile>/deps/it-<hash>
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().unwrap().parent().unwrap();
        let target_dir = profile_dir.parent().unwrap();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .args(["build", "--quiet", "-p", "granted", "--example", "pick"])
            .arg("--manifest-path")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        // Not the variables cargo sets for this test process: build scripts that watch one
        // (ring watches CARGO_MANIFEST_DIR and OUT_DIR) would see a change and rebuild, here and again
        // in the next plain `cargo test`.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            let set_for_tests = [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
                "OUT_DIR",
            ]
            .contains(&name.as_ref())
                || name.starts_with("CARGO_PKG_")
                || name.starts_with("CARGO_BIN_EXE_");
            if set_for_tests {
                build.env_remove(name.as_ref());
            }
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "cargo build --example pick failed");
        let bin = profile_dir.join("examples/pick");
        assert!(bin.is_file(), "{} missing", bin.display());
        bin
    })
}

fn have_tmux() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is required under CI but is missing"
        );
        eprintln!("skipping: no tmux (run .ci/run or install tmux)");
    }
    found
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One tmux server on its own socket, one 120x30 window running `pick ITEMS...` with its
/// stdout and stderr in files. The pane's shell then saves `stty -a` and the exit status
/// and stays, so the terminal's state after the picker can be inspected. Killed on drop.
struct Session {
    dir: tempfile::TempDir,
    socket: PathBuf,
}

/// What the picker left.
#[derive(Debug)]
struct Finished {
    code: i32,
    stdout: String,
    stderr: String,
    stty: String,
}

impl Session {
    fn start(items: &[&str]) -> Session {
        let args: Vec<String> = items.iter().map(|a| sh_quote(a)).collect();
        Session::run(&format!(
            "{} {}",
            sh_quote(pick_bin().to_str().unwrap()),
            args.join(" ")
        ))
    }

    /// Runs the shell command line `command` in the pane, in the session's folder.
    fn run(command: &str) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("tmux.sock");
        let script = format!(
            "cd {dir}\n{command} >out 2>err\nrc=$?\nstty -a >stty\necho $rc >rc.tmp && mv rc.tmp rc\nexec sleep 3600\n",
            dir = sh_quote(dir.path().to_str().unwrap()),
        );
        std::fs::write(dir.path().join("run.sh"), script).unwrap();
        let session = Session { dir, socket };
        let out = session
            .tmux()
            .args([
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                "120",
                "-y",
                "30",
                "sh",
            ])
            .arg(session.dir.path().join("run.sh"))
            .output()
            .expect("tmux runs");
        assert!(out.status.success(), "tmux: {}", stderr_of(&out));
        session
    }

    fn tmux(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-S")
            .arg(&self.socket)
            .args(["-f", "/dev/null"])
            .env_remove("TMUX")
            .env("TERM", "xterm-256color")
            .stdin(Stdio::null());
        cmd
    }

    fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", "t"])
            .output()
            .unwrap();
        assert!(out.status.success(), "capture-pane: {}", stderr_of(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    fn display(&self, format: &str) -> String {
        let out = self
            .tmux()
            .args(["display-message", "-p", "-t", "t", format])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// Polls the screen until `ready` holds; panics with the last screen at the deadline.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the list to be drawn (the prompt and the first item).
    fn wait_for_list(&self) -> String {
        self.wait_for("the picker", |s| {
            s.contains("Please select the profile you would like to assume:") && s.contains("> dev")
        })
    }

    fn keys(&self, keys: &[&str]) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", "t"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Types `text` literally.
    fn type_text(&self, text: &str) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", "t", "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the picker to exit (the shell writes `rc` last).
    fn finished(&self) -> Finished {
        let rc = self.dir.path().join("rc");
        let start = Instant::now();
        while !rc.exists() {
            assert!(
                start.elapsed() < DEADLINE,
                "the picker did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let read = |name: &str| std::fs::read_to_string(self.dir.path().join(name)).unwrap();
        Finished {
            code: read("rc").trim().parse().unwrap(),
            stdout: read("out"),
            stderr: read("err"),
            stty: read("stty"),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self
            .tmux()
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The terminal is as the shell needs it: signals, line editing, echo, visible cursor.
fn assert_terminal_restored(session: &Session, done: &Finished) {
    let flags: Vec<&str> = done.stty.split_whitespace().collect();
    for flag in ["isig", "icanon", "echo"] {
        assert!(flags.contains(&flag), "{flag} not restored: {}", done.stty);
    }
    assert_eq!(session.display("#{cursor_flag}"), "1", "cursor hidden");
}

#[test]
fn typing_a_filter_and_enter_picks_the_match() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    s.wait_for_list();
    s.type_text("readonly");
    let screen = s.wait_for("the filtered list", |s| {
        s.contains("assume: readonly|") && s.contains("> prod-readonly")
    });
    assert!(!screen.contains("staging"), "{screen}");
    s.keys(&["Enter"]);
    let done = s.finished();
    assert_eq!(done.code, 0, "{done:?}");
    assert_eq!(done.stdout, "prod-readonly\n", "only the name on stdout");
    assert_eq!(
        done.stderr, "",
        "the picker draws on the terminal, not stderr"
    );
    // The list is replaced by one line saying what was picked.
    let screen = s.screen();
    assert!(
        screen.contains("? Please select the profile you would like to assume: prod-readonly"),
        "{screen}"
    );
    assert!(!screen.contains("staging"), "{screen}");
    assert_terminal_restored(&s, &done);
}

#[test]
fn filter_matches_descriptions_too() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    s.wait_for_list();
    s.type_text("Staging");
    s.wait_for("the filtered list", |s| s.contains("> staging"));
    s.keys(&["Enter"]);
    let done = s.finished();
    assert_eq!((done.code, done.stdout.as_str()), (0, "staging\n"));
}

#[test]
fn words_in_any_order_pick_the_item_that_has_them_all() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    s.wait_for_list();
    s.type_text("prod admin");
    let screen = s.wait_for("the filtered list", |s| {
        s.contains("assume: prod admin|") && s.contains("> prod-admin")
    });
    assert!(!screen.contains("prod-readonly"), "{screen}");
    assert!(!screen.contains("> dev"), "{screen}");
    s.keys(&["Enter"]);
    let done = s.finished();
    assert_eq!(
        (done.code, done.stdout.as_str()),
        (0, "prod-admin\n"),
        "{done:?}"
    );
    assert_terminal_restored(&s, &done);
}

#[test]
fn a_word_of_a_description_picks_its_profile() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    s.wait_for_list();
    s.type_text("development");
    let screen = s.wait_for("the filtered list", |s| {
        s.contains("assume: development|") && s.contains("> dev ")
    });
    assert!(!screen.contains("prod-admin"), "{screen}");
    assert!(!screen.contains("staging"), "{screen}");
    s.keys(&["Enter"]);
    let done = s.finished();
    assert_eq!((done.code, done.stdout.as_str()), (0, "dev\n"), "{done:?}");
}

#[test]
fn arrows_and_enter() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    s.wait_for_list();
    s.keys(&["Down"]);
    s.wait_for("the second row", |s| s.contains("> prod-admin"));
    s.keys(&["Down", "Down"]);
    s.wait_for("the fourth row", |s| s.contains("> staging"));
    s.keys(&["Up"]);
    s.wait_for("the third row", |s| s.contains("> prod-readonly"));
    s.keys(&["Enter"]);
    let done = s.finished();
    assert_eq!(done.code, 0, "{done:?}");
    assert_eq!(done.stdout, "prod-readonly\n");
    assert_terminal_restored(&s, &done);
}

#[test]
fn enter_at_once_picks_the_first_item() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    s.wait_for_list();
    s.keys(&["Enter"]);
    let done = s.finished();
    assert_eq!((done.code, done.stdout.as_str()), (0, "dev\n"));
}

#[test]
fn escape_cancels_with_130() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    s.wait_for_list();
    s.type_text("prod");
    s.wait_for("the filter", |s| s.contains("assume: prod|"));
    s.keys(&["Escape"]);
    let done = s.finished();
    assert_eq!(done.code, 130, "{done:?}");
    assert_eq!(done.stdout, "");
    assert_eq!(done.stderr, "");
    let screen = s.screen();
    assert!(!screen.contains("Please select"), "list cleared: {screen}");
    assert_terminal_restored(&s, &done);
}

#[test]
fn ctrl_c_cancels_with_130_and_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    s.wait_for_list();
    s.keys(&["Down"]);
    s.wait_for("the second row", |s| s.contains("> prod-admin"));
    s.keys(&["C-c"]);
    let done = s.finished();
    assert_eq!(done.code, 130, "{done:?}");
    assert_eq!(done.stdout, "");
    assert_eq!(done.stderr, "");
    let screen = s.screen();
    assert!(!screen.contains("Please select"), "list cleared: {screen}");
    assert!(!screen.contains("prod-admin"), "list cleared: {screen}");
    assert_terminal_restored(&s, &done);
}

#[test]
fn descriptions_shown_in_a_column() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(ITEMS);
    let screen = s.wait_for_list();
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    assert_eq!(
        &lines[..6],
        [
            "? Please select the profile you would like to assume: |",
            "  Profile        Description",
            "> dev            Development account",
            "  prod-admin     Production, admin",
            "  prod-readonly",
            "  staging        Staging",
        ],
        "{screen}"
    );
    s.keys(&["Escape"]);
    assert_eq!(s.finished().code, 130);
}

#[test]
fn no_descriptions_no_column() {
    if !have_tmux() {
        return;
    }
    let s = Session::start(&["b-profile", "a-profile"]);
    let screen = s.wait_for("the picker", |s| s.contains("> b-profile"));
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    assert_eq!(&lines[1..3], ["> b-profile", "  a-profile"], "{screen}");
    assert!(!screen.contains("Description"));
    s.keys(&["Down", "Enter"]);
    assert_eq!(s.finished().stdout, "a-profile\n");
}

#[test]
fn without_a_terminal_it_asks_for_a_profile_argument() {
    // `setsid` detaches from any terminal the test runner may have: no /dev/tty.
    let out = Command::new("setsid")
        .arg("-w")
        .arg(pick_bin())
        .args(["dev", "prod"])
        .stdin(Stdio::null())
        .output();
    let Ok(out) = out else {
        assert!(std::env::var_os("CI").is_none(), "setsid missing under CI");
        eprintln!("skipping: no setsid");
        return;
    };
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(out.stdout, b"");
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("no terminal") && stderr.contains("profile name as an argument"),
        "{stderr}"
    );
}

#[test]
fn concurrent_processes_lose_no_frecency_update() {
    const PROCESSES: usize = 4;
    const EACH: usize = 15;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("granted/aws_profiles_frecency");
    let children: Vec<_> = (0..PROCESSES)
        .map(|i| {
            let profile = if i % 2 == 0 { "shared" } else { "other" };
            Command::new(pick_bin())
                .arg("--record-use")
                .arg(&file)
                .args([profile, &EACH.to_string()])
                .stdin(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let store = granted::picker::Frecency::load(&file);
    assert!(!store.was_reset());
    let freq = |p: &str| {
        store
            .entries()
            .iter()
            .find(|e| e.profile == p)
            .map(|e| e.frequency)
    };
    assert_eq!(freq("shared"), Some((PROCESSES.div_ceil(2) * EACH) as u64));
    assert_eq!(freq("other"), Some((PROCESSES / 2 * EACH) as u64));
}

/// `assume` with no profile in real bash inside tmux: the picker over the AWS config's
/// profiles, then the shell has the picked profile; Esc leaves the shell as it was.
#[test]
fn assume_without_a_profile_opens_the_picker_and_exports_the_pick() {
    if !have_tmux() {
        return;
    }
    let mut env = crate::util::TestEnv::new();
    env.set("CF_KEYRING_FILE_PASSWORD", "picker test");
    env.write_config(
        "[profile alpha]\naws_access_key_id = AKIAALPHA0000000001\naws_secret_access_key = a\nregion = eu-west-1\ngranted_description = the first one\n\n\
         [profile beta]\naws_access_key_id = AKIABETA00000000001\naws_secret_access_key = b\nregion = eu-west-2\n",
    );
    let bin_dir = Path::new(crate::util::bin()).parent().unwrap();
    let mut exports = format!(
        "HOME={} PATH={}:\"$PATH\" AWS_EC2_METADATA_DISABLED=true AWS_PROFILE=before",
        sh_quote(env.home().to_str().unwrap()),
        sh_quote(bin_dir.to_str().unwrap())
    );
    for (k, v) in &env.vars {
        exports.push_str(&format!(" {k}={}", sh_quote(v)));
    }
    let inner = "eval \"$(granted shell-init bash)\"; assume -x; echo $? >status; printf %s \"$AWS_PROFILE|$AWS_ACCESS_KEY_ID|$AWS_REGION\" >seen";
    let command = format!(
        "env {exports} bash --noprofile --norc -c {}",
        sh_quote(inner)
    );

    let s = Session::run(&command);
    let screen = s.wait_for("the picker", |s| {
        s.contains("Please select the profile you would like to assume:") && s.contains("> alpha")
    });
    assert!(
        screen.contains("the first one"),
        "descriptions shown: {screen}"
    );
    s.type_text("bet");
    s.wait_for("the filtered list", |s| s.contains("> beta"));
    s.keys(&["Enter"]);
    let done = s.finished();
    assert_eq!(done.code, 0, "{done:?}");
    let read = |name: &str| std::fs::read_to_string(s.dir.path().join(name)).unwrap();
    assert_eq!(read("status").trim(), "0");
    assert_eq!(read("seen"), "beta|AKIABETA00000000001|eu-west-2");
    assert_eq!(done.stdout, "", "statements are evaluated, never printed");
    assert!(
        done.stderr.contains(
            "[i] To assume this profile again later without needing to select it, run: assume beta -x\n"
        ) && done.stderr.lines().count() == 2,
        "{}",
        done.stderr
    );
    assert_terminal_restored(&s, &done);

    // Frecency: beta, used last, is offered first now. Esc leaves the shell as it was.
    let s = Session::run(&command);
    s.wait_for("the picker, beta first", |s| s.contains("> beta"));
    s.keys(&["Escape"]);
    let done = s.finished();
    let read = |name: &str| std::fs::read_to_string(s.dir.path().join(name)).unwrap();
    assert_eq!(read("status").trim(), "130", "{done:?}");
    assert_eq!(read("seen"), "before||", "the shell is unchanged");
    assert_terminal_restored(&s, &done);
}
