//! This process's protections and child process groups: part of the system boundary.
//!
//! Owns [`forbid_core_dumps`] (no core file, and on Linux no reading of this process's
//! memory or environment by other processes of the same user), and the syscalls that run a child program in a process group of its own and end
//! that whole group ([`own_group`], [`kill_group`]), and the hand-over of the controlling
//! terminal's foreground to such a group while it runs ([`Foreground`]), so a child
//! that prompts on the terminal is not stopped for reading from a background group.
//! It must not decide which programs run, nor read their output.

#[cfg(unix)]
use std::fs::File;
use std::process::Command;

/// Makes this process non-dumpable (Linux: `PR_SET_DUMPABLE` 0, so same-user processes
/// can't ptrace it or read its `/proc/<pid>/mem` and `environ`, and the kernel writes no
/// core for it) and sets the soft core-file size limit to 0 (unix; the hard limit is
/// left, so a program granted runs may raise it again). Best effort: called first
/// thing in `main`, before any secret is in memory; a failure changes nothing else.
pub fn forbid_core_dumps() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_DUMPABLE takes plain integers.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0 as libc::c_ulong, 0, 0, 0);
    }
    #[cfg(unix)]
    // SAFETY: the rlimit struct is initialised by getrlimit before setrlimit reads it.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_CORE, &mut limit) == 0 {
            limit.rlim_cur = 0;
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
        }
    }
}

/// Starts `command`'s child in a new process group whose id is the child's pid, so
/// [`kill_group`] ends the child and everything it started (unless they left the group).
pub fn own_group(command: &mut Command) {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    #[cfg(not(unix))]
    let _ = command;
}

/// Sends SIGKILL to the process group `pgid` (a child started with [`own_group`]).
/// A group that is already gone is not an error.
pub fn kill_group(pgid: u32) {
    #[cfg(unix)]
    if let Ok(pgid) = libc::pid_t::try_from(pgid)
        && pgid > 1
    {
        // SAFETY: killpg has no memory effects; a stale group id gives ESRCH.
        unsafe { libc::killpg(pgid, libc::SIGKILL) };
    }
    #[cfg(not(unix))]
    let _ = pgid;
}

/// The controlling terminal, while this process's group is in its foreground: a child
/// in its own group gets the foreground (set in the child before it runs its program),
/// and dropping this takes it back.
pub struct Foreground {
    #[cfg(unix)]
    tty: File,
}

impl Foreground {
    /// The controlling terminal, if there is one and this process's group holds its
    /// foreground (else a child in its own group has nothing to be handed).
    pub fn if_held() -> Option<Foreground> {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let tty = super::open_tty(true, false).ok()?;
            // SAFETY: plain syscalls on an fd this function owns.
            let held = unsafe { libc::tcgetpgrp(tty.as_raw_fd()) == libc::getpgrp() };
            held.then_some(Foreground { tty })
        }
        #[cfg(not(unix))]
        None
    }

    /// Makes `command`'s child (started with [`own_group`]) take the terminal's
    /// foreground before it runs its program.
    pub fn hand_to_child(&self, command: &mut Command) {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            use std::os::unix::process::CommandExt;
            let fd = self.tty.as_raw_fd();
            // SAFETY: the closure runs in the forked child before exec and only makes
            // async-signal-safe calls (setpgid, sigprocmask, tcsetpgrp, getpid); the fd
            // is still open there (it closes on exec).
            unsafe {
                command.pre_exec(move || {
                    libc::setpgid(0, 0);
                    with_sigttou_blocked(|| {
                        libc::tcsetpgrp(fd, libc::getpid());
                    });
                    Ok(())
                });
            }
        }
        #[cfg(not(unix))]
        let _ = command;
    }
}

#[cfg(unix)]
impl Drop for Foreground {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        // From a background group, tcsetpgrp raises SIGTTOU (which stops the process)
        // unless SIGTTOU is blocked.
        // SAFETY: plain syscalls on an fd this value owns.
        with_sigttou_blocked(|| unsafe {
            libc::tcsetpgrp(self.tty.as_raw_fd(), libc::getpgrp());
        });
    }
}

/// Runs `f` with SIGTTOU blocked in the calling thread, then restores the mask.
/// Async-signal-safe (used between fork and exec).
#[cfg(unix)]
fn with_sigttou_blocked(f: impl FnOnce()) {
    // SAFETY: the sets are initialised by sigemptyset before use; sigprocmask only
    // changes the calling thread's mask and restores it.
    unsafe {
        let mut block: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut block);
        libc::sigaddset(&mut block, libc::SIGTTOU);
        libc::sigprocmask(libc::SIG_BLOCK, &block, &mut old);
        f();
        libc::sigprocmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
    }
}
