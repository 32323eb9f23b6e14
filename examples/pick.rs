//! Test driver for the profile picker (used by `tests/it/picker.rs`, not shipped).
//!
//! `pick NAME[=DESCRIPTION]...` shows the picker over those items, in that order, prints
//! the chosen name on stdout and exits 0; exits 130 when cancelled, 1 on an error.
//! `pick --record-use FILE PROFILE TIMES` records TIMES uses of PROFILE in the frecency
//! store FILE, one `record_use` call each.

// An example runs outside granted's system boundary.
#![allow(clippy::disallowed_methods)]

use std::process::ExitCode;

use granted::picker::{self, Item, Picked};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--record-use") {
        let [_, file, profile, times] = &args[..] else {
            eprintln!("usage: pick --record-use FILE PROFILE TIMES");
            return ExitCode::from(2);
        };
        let times: u32 = times.parse().expect("TIMES is a number");
        for _ in 0..times {
            let now = time::OffsetDateTime::now_utc();
            if let Err(e) = picker::record_use(file.as_ref(), profile, now) {
                eprintln!("pick: {e}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    let items: Vec<Item> = args
        .iter()
        .map(|arg| match arg.split_once('=') {
            Some((name, description)) => Item {
                name: name.to_owned(),
                description: Some(description.to_owned()),
            },
            None => Item::new(arg.as_str()),
        })
        .collect();
    let styled = granted::sys::Sys::process()
        .var("NO_COLOR")
        .is_none_or(|v| v.is_empty());
    match picker::pick(&items, picker::PROMPT, styled) {
        Ok(Picked::Profile(name)) => {
            println!("{name}");
            ExitCode::SUCCESS
        }
        Ok(Picked::Cancelled) => ExitCode::from(130),
        Err(e) => {
            eprintln!("pick: {e}");
            ExitCode::FAILURE
        }
    }
}
