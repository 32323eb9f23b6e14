//! Cross-process advisory locks for single-flight.
//!
//! Each lock is an exclusive `flock` (std's `File::lock`) on a file under `<dir>/locks/`.
//! The kernel drops it when the holder exits, SIGKILL included, so a crashed process never
//! leaves a stale lock; lock files themselves are never deleted (deleting one while another
//! process waits on it would let two holders in).
//!
//! Waiting is bounded. An uncontended lock is one `try_lock`. When it is held, a helper
//! thread makes the blocking `lock()` call and hands the file back over a channel, and the
//! caller waits on it with `recv_timeout`. Chosen over a `try_lock` polling loop because the
//! kernel wakes the waiter the moment the lock is released (no polling delay added to each
//! of fifty serialized waiters, no CPU spent polling) and the timeout is exact. The price: a
//! waiter that times out leaves its helper thread blocked in `flock`; if it later gets the
//! lock, the send fails, the file is dropped and the lock released at once.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;

use super::fs as fsx;

/// An acquired lock. Released when dropped (and by the kernel if the process dies).
#[derive(Debug)]
pub struct LockGuard {
    file: Option<File>,
    path: PathBuf,
}

impl LockGuard {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Closing releases it too; unlock first so the release does not wait for
            // anything else holding the descriptor.
            let _ = file.unlock();
        }
    }
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    // A link planted where a lock file goes is never followed (a privileged run would
    // otherwise create or truncate the file it points at).
    #[cfg(unix)]
    opts.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    match opts.open(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fsx::ensure_private_dir(parent)?;
            }
            opts.open(path)
        }
        other => other,
    }
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("could not {action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("timed out after {waited:?} waiting for the lock {}", path.display())]
    Timeout { path: PathBuf, waited: Duration },
}

/// Takes the exclusive lock on `path`, waiting at most `timeout`.
pub fn acquire(path: &Path, timeout: Duration) -> Result<LockGuard, LockError> {
    let io_err = |action: &'static str, source: io::Error| LockError::Io {
        action,
        path: path.to_path_buf(),
        source,
    };
    let file = open_lock_file(path).map_err(|e| io_err("open the lock file", e))?;
    let guard = |file: File| LockGuard {
        file: Some(file),
        path: path.to_path_buf(),
    };
    match file.try_lock() {
        Ok(()) => return Ok(guard(file)),
        Err(TryLockError::WouldBlock) => {}
        Err(TryLockError::Error(e)) => return Err(io_err("lock", e)),
    }
    let timed_out = || LockError::Timeout {
        path: path.to_path_buf(),
        waited: timeout,
    };
    if timeout.is_zero() {
        return Err(timed_out());
    }
    let (tx, rx) = mpsc::sync_channel::<io::Result<File>>(1);
    std::thread::Builder::new()
        .name("granted-lock-wait".into())
        .spawn(move || {
            let result = file.lock().map(|()| file);
            // If the waiter gave up, this drops the file and so releases the lock.
            let _ = tx.send(result);
        })
        .map_err(|e| io_err("start a thread to wait for", e))?;
    match rx.recv_timeout(timeout) {
        Ok(Ok(file)) => Ok(guard(file)),
        Ok(Err(e)) => Err(io_err("lock", e)),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(timed_out()),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(io_err(
            "lock",
            io::Error::other("the waiting thread stopped"),
        )),
    }
}
