//! `granted completion --shell X` and the generated copies in `completions/`: a copy
//! that no longer matches what the binary prints fails here. Regenerate them with
//! `GRANTED_UPDATE_COMPLETIONS=1 cargo test --test it completions`.

use std::path::PathBuf;

use crate::util::bin;

const FILES: [(&str, &str); 6] = [
    ("bash", "granted.bash"),
    ("zsh", "_granted"),
    ("fish", "granted.fish"),
    ("powershell", "_granted.ps1"),
    ("elvish", "granted.elv"),
    ("nushell", "granted.nu"),
];

fn generated(shell: &str) -> String {
    let out = std::process::Command::new(bin())
        .args(["completion", "--shell", shell])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn checked_in_completions_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("GRANTED_UPDATE_COMPLETIONS").is_some();
    for (shell, file) in FILES {
        let text = generated(shell);
        assert!(text.contains("credential-process"), "{shell}: {text}");
        assert!(text.contains("shell-init"), "{shell}");
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let kept = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            kept == text,
            "completions/{file} is stale: run GRANTED_UPDATE_COMPLETIONS=1 cargo test --test it completions"
        );
    }
}

#[test]
fn an_unknown_shell_is_a_clear_error() {
    let out = std::process::Command::new(bin())
        .args(["completion", "--shell", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("unknown shell `tcsh`") && stderr.contains("nushell"),
        "{stderr}"
    );
}

#[test]
fn bash_loads_the_completions_and_offers_subcommands() {
    let Some(bash) = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("bash"))
        .find(|p| p.is_file())
    else {
        return;
    };
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions/granted.bash");
    let script = format!(
        "source '{}'\nCOMP_WORDS=(granted sso-t)\nCOMP_CWORD=1\nCOMP_LINE='granted sso-t'\nCOMP_POINT=13\n_granted granted sso-t granted\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        file.display()
    );
    let out = std::process::Command::new(bash)
        .args(["--noprofile", "--norc", "-c", &script])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim(),
        "sso-tokens",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
