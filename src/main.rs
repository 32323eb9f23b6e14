//! The `granted` binary: everything lives in the library; this makes the process
//! non-dumpable, installs the panic hook and hands over argv.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Before any secret is read: no core file, no same-user reading of its memory.
    granted::sys::process::forbid_core_dumps();
    // A panic must never print a payload (it could hold a secret) nor a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("[✘] internal error{at}; please report it");
        std::process::exit(1);
    }));
    granted::app::main(granted::sys::args())
}
