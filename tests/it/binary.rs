//! Properties of the built `granted` binary itself.

/// The binary is a position-independent executable (ELF type `ET_DYN`), so its own code
/// and data are randomised too: a credential tool keeps full ASLR unless a build opts
/// out with `GRANTED_NO_PIE=1`.
#[test]
#[cfg(target_os = "linux")]
fn binary_is_position_independent() {
    if std::env::var_os("GRANTED_NO_PIE").is_some_and(|v| v == "1") {
        eprintln!("skipped: this build opted out of PIE (GRANTED_NO_PIE=1)");
        return;
    }
    let bytes = std::fs::read(crate::util::bin()).expect("read the granted binary");
    assert_eq!(&bytes[..4], b"\x7fELF", "an ELF file");
    // e_type: a little- or big-endian u16 at offset 16, by EI_DATA (offset 5).
    let e_type = match bytes[5] {
        1 => u16::from_le_bytes([bytes[16], bytes[17]]),
        _ => u16::from_be_bytes([bytes[16], bytes[17]]),
    };
    const ET_EXEC: u16 = 2;
    const ET_DYN: u16 = 3;
    assert_ne!(e_type, ET_EXEC, "linked position-dependent (-no-pie)");
    assert_eq!(e_type, ET_DYN, "a PIE is ET_DYN");
}

/// A running granted is not dumpable and has a core-file limit of 0. The kernel shows
/// the first by owning a non-dumpable process's `/proc/<pid>/` files as root instead of
/// the process's user; so granted runs as a user other than root (`nobody` when the
/// test runs as root, else the test's own user) and the owner of its
/// `/proc/<pid>/environ` must be uid 0. It is held still by a credential_process that
/// waits for the test.
#[test]
#[cfg(target_os = "linux")]
fn a_running_granted_is_not_dumpable_and_dumps_no_core() {
    use std::os::unix::fs::MetadataExt;
    use std::time::{Duration, Instant};

    let env = crate::util::TestEnv::new();
    let home = env.home();
    crate::util::write_script(
        &home.join("wait.sh"),
        "#!/bin/sh\necho $PPID > \"$HOME/granted.pid.tmp\"\nmv \"$HOME/granted.pid.tmp\" \"$HOME/granted.pid\"\n\
         while [ ! -e \"$HOME/go\" ]; do sleep 0.02; done\n\
         echo '{\"Version\":1,\"AccessKeyId\":\"AKIAEXAMPLE\",\"SecretAccessKey\":\"s\"}'\n",
    );
    env.write_config(&format!(
        "[profile p]\ncredential_process = {}\n",
        home.join("wait.sh").display()
    ));
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = env.command(crate::util::bin());
    cmd.args(["credential-process", "--profile", "p"])
        .stdout(std::process::Stdio::piped());
    const NOBODY: u32 = 65534;
    if root {
        for entry in walk(home) {
            std::os::unix::fs::chown(&entry, Some(NOBODY), Some(NOBODY)).unwrap();
        }
        std::os::unix::process::CommandExt::uid(&mut cmd, NOBODY);
        std::os::unix::process::CommandExt::gid(&mut cmd, NOBODY);
    }
    let user = if root {
        NOBODY
    } else {
        unsafe { libc::geteuid() }
    };
    let mut child = cmd.spawn().expect("granted starts");

    let pid_file = home.join("granted.pid");
    let give_up = Instant::now() + Duration::from_secs(30);
    let pid = loop {
        if let Ok(text) = std::fs::read_to_string(&pid_file) {
            break text.trim().parse::<u32>().unwrap();
        }
        if Instant::now() > give_up || child.try_wait().unwrap().is_some() {
            let _ = child.kill();
            panic!("granted never ran the credential_process");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(pid, child.id(), "the script's parent is granted");
    let environ_owner = std::fs::metadata(format!("/proc/{pid}/environ")).map(|m| m.uid());
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap_or_default();
    std::fs::write(home.join("go"), "").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "granted finished: {:?}", out.status);

    assert_ne!(
        user, 0,
        "the check needs granted to run as a user other than root"
    );
    assert_eq!(
        environ_owner.unwrap(),
        0,
        "a dumpable process's /proc files belong to its user ({user}); a non-dumpable one's to root"
    );
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("/proc/<pid>/limits has the core-file line");
    let soft = core.split_whitespace().nth(4);
    assert_eq!(soft, Some("0"), "soft core-file limit: {core}");
}

/// `dir` and everything under it.
#[cfg(target_os = "linux")]
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut all = vec![dir.to_owned()];
    if dir.is_dir() && !dir.is_symlink() {
        for entry in std::fs::read_dir(dir).unwrap() {
            all.extend(walk(&entry.unwrap().path()));
        }
    }
    all
}
