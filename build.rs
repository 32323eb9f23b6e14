//! Build-time linking choices for the `granted` binary.
//!
//! The binary is a position-independent executable, as Rust builds it: a credential
//! tool keeps full ASLR (its code and data are randomised along with the libraries,
//! stack and heap). Two choices keep its start-up cheap, since `credential_process` is
//! run for every AWS CLI command:
//! * packed relative relocations (`-z pack-relative-relocs`, DT_RELR): the ~11,000
//!   relocations a PIE needs take a few KiB instead of ~270 KiB that the loader must read
//!   at every start. Used when building for the machine it runs on (host = target,
//!   Linux, glibc) and that machine's glibc is 2.36 or newer (the loader that reads
//!   DT_RELR; binutils of that age write it). GRANTED_NO_RELR=1 turns it off.
//! * GRANTED_NO_PIE=1 links position-dependent instead (no relocations at all): an
//!   explicit opt-in only.

// A build script reads cargo's variables by design: outside the runtime boundary.
#![allow(clippy::disallowed_methods)]

fn main() {
    println!("cargo:rerun-if-env-changed=GRANTED_NO_PIE");
    println!("cargo:rerun-if-env-changed=GRANTED_NO_RELR");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let on = |name: &str| std::env::var_os(name).is_some_and(|v| v == "1");
    let linux_gnu = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    if !linux_gnu {
        return;
    }
    if on("GRANTED_NO_PIE") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    } else if !on("GRANTED_NO_RELR") && var("HOST") == var("TARGET") && host_glibc_has_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether this machine's glibc (`getconf GNU_LIBC_VERSION`: `glibc 2.36`) reads DT_RELR.
fn host_glibc_has_relr() -> bool {
    let Ok(out) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(version) = text.trim().strip_prefix("glibc ") else {
        return false;
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (2, 36)
}
