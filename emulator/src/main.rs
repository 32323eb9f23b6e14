//! The `granted-emulator` binary: starts the emulator on 127.0.0.1, prints
//! exactly one line with its URL to stdout, logs one line per request to
//! stderr, and exits after `--idle-timeout` seconds without requests
//! (default 600; 0 = never) or on Ctrl-C.

use granted_emulator::{Emulator, Options};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: granted-emulator [--port N] [--idle-timeout SECS]\n\
\n\
Local emulator of AWS IAM Identity Center (SSO portal + SSO-OIDC) and STS.\n\
Prints its URL (http://127.0.0.1:PORT) on stdout, then serves until it has\n\
been idle for --idle-timeout seconds (default 600, 0 = never) or Ctrl-C.\n";

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        port: 0,
        idle_timeout: Some(Duration::from_secs(600)),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "--port" => {
                let v = value("--port")?;
                opts.port = v.parse().map_err(|_| format!("invalid port: {v}"))?;
            }
            "--idle-timeout" => {
                let v = value("--idle-timeout")?;
                let secs: u64 = v
                    .parse()
                    .map_err(|_| format!("invalid idle timeout: {v}"))?;
                opts.idle_timeout = (secs > 0).then(|| Duration::from_secs(secs));
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(opts)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse_args(&args) {
        Ok(o) => o,
        Err(msg) if msg.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("granted-emulator: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::start_with(opts) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("granted-emulator: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    emulator.set_request_log(true);
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", emulator.url())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(out);
    match emulator.wait() {
        Ok(()) => {
            eprintln!("granted-emulator: idle, exiting");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("granted-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_flags() {
        let o = parse_args(&args(&["--port", "8080", "--idle-timeout=5"])).unwrap();
        assert_eq!(o.port, 8080);
        assert_eq!(o.idle_timeout, Some(Duration::from_secs(5)));
        let o = parse_args(&args(&["--idle-timeout", "0"])).unwrap();
        assert_eq!(o.idle_timeout, None);
        assert_eq!(
            parse_args(&[]).unwrap().idle_timeout,
            Some(Duration::from_secs(600))
        );
        assert!(parse_args(&args(&["--port"])).is_err());
        assert!(parse_args(&args(&["--port", "x"])).is_err());
        assert!(parse_args(&args(&["--bogus"])).is_err());
    }
}
