//! Time `AwsConfig::load` + `profile(last)` on generated configs of 10 and 10,000
//! profiles: `cargo run --release --example awsconfig_parse_bench`.
//!
//! Two figures per size: the median of 200 loads in one process (warm allocator), and
//! the median of 50 fresh processes doing one load each (what a `credential_process`
//! invocation pays: fresh memory, page faults included).
//!
//! `awsconfig_parse_bench CONFIG PROFILE` times an existing config file instead (no
//! credentials file), e.g. the one `bench/credential-process.sh` generates.

// An example runs outside granted's system boundary.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use granted::awsconfig::{AwsConfig, ConfigPaths};

fn write_config(dir: &Path, n: usize) -> ConfigPaths {
    let mut config = String::from("[default]\nregion = us-east-1\n\n");
    config.push_str("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n");
    config.push_str("sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n");
    for i in 0..n {
        config.push_str(&format!(
            "[profile p{i}]\ngranted_sso_start_url = https://corp.awsapps.com/start\n\
             granted_sso_region = us-east-1\ngranted_sso_account_id = {:012}\n\
             granted_sso_role_name = AdministratorAccess\n\
             credential_process = granted credential-process --profile p{i}\n\n",
            100_000_000_000u64 + i as u64
        ));
    }
    let mut creds = String::new();
    for i in 0..n / 100 {
        creds.push_str(&format!(
            "[c{i}]\naws_access_key_id = AKIAEXAMPLE{i}\naws_secret_access_key = x{i}\n\n"
        ));
    }
    let paths = ConfigPaths {
        config: dir.join(format!("config-{n}")),
        credentials: dir.join(format!("credentials-{n}")),
    };
    std::fs::write(&paths.config, &config).unwrap();
    std::fs::write(&paths.credentials, &creds).unwrap();
    println!(
        "{n} profiles: config {} lines, {} bytes",
        config.lines().count(),
        config.len()
    );
    paths
}

/// One load + lookup, timed.
fn once(paths: &ConfigPaths, profile: &str) -> Duration {
    let t = Instant::now();
    let cfg = AwsConfig::load_with_home(paths, None).unwrap();
    let p = cfg.profile(profile).unwrap().unwrap();
    std::hint::black_box(p.props.len());
    t.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Median of `runs` fresh processes each doing one [`once`].
fn fresh(paths: &ConfigPaths, profile: &str, runs: usize) -> Duration {
    let exe = std::env::current_exe().unwrap();
    median(
        (0..runs)
            .map(|_| {
                let out = Command::new(&exe)
                    .arg("--once")
                    .arg(&paths.config)
                    .arg(&paths.credentials)
                    .arg(profile)
                    .output()
                    .unwrap();
                let nanos: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
                Duration::from_nanos(nanos)
            })
            .collect(),
    )
}

fn report(paths: &ConfigPaths, profile: &str) {
    let warm = median((0..200).map(|_| once(paths, profile)).collect());
    let cold = fresh(paths, profile, 50);
    println!("  load + profile({profile}): median {warm:?} in-process, {cold:?} fresh process");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match &args[..] {
        [_, flag, config, credentials, profile] if flag == "--once" => {
            let paths = ConfigPaths {
                config: PathBuf::from(config),
                credentials: PathBuf::from(credentials),
            };
            println!("{}", once(&paths, profile).as_nanos());
        }
        [_, config, profile] => {
            let paths = ConfigPaths {
                config: PathBuf::from(config),
                credentials: PathBuf::from("/nonexistent/credentials"),
            };
            println!("{config}");
            report(&paths, profile);
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            for n in [10, 10_000] {
                let paths = write_config(dir.path(), n);
                report(&paths, &format!("p{}", n - 1));
            }
        }
    }
}
