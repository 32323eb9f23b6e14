//! Private folders and atomic, private files: part of the system boundary.
//!
//! Owns how granted touches the file system where it matters: folder modes, atomic
//! replacement (temp file + fsync + rename), and reads that refuse symlinks, FIFOs and
//! oversized files. Every open(2) flag and errno it uses comes from `libc`. It must not
//! know what the files hold.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// No store file is larger (items are a few hundred bytes).
const MAX_FILE: u64 = 1 << 20;

/// The open(2) flags [`read_if_exists`] adds: never through a symlink, never blocking on a
/// FIFO. Their values differ between platforms and architectures (`O_NOFOLLOW` is
/// `0o400000` on x86 Linux but `0o100000` on aarch64, arm and powerpc), so they come
/// from `libc`, never from a number written here.
#[cfg(unix)]
pub const READ_FLAGS: libc::c_int = libc::O_NOFOLLOW | libc::O_NONBLOCK;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Creates `path` and any missing parents with mode 0700. An existing folder is left as
/// it is (this is also used for folders that other tools share, such as `~/.aws/sso/cache`).
pub fn ensure_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(path)
}

/// Like [`ensure_private_dir`], for the store's own folders: the folder (created if
/// missing) is opened without following a link at its last step, must be owned by the
/// effective user and not writable by anyone else, and loses group and world access
/// through its descriptor. So a privileged run (`sudo -E`, the user's HOME) never
/// changes modes through a planted link or writes into a folder another user controls.
pub fn ensure_store_dir(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => ensure_private_dir(path)?,
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    check_own_dir(path)
}

/// Opens `path` as a folder (no link at its last step), checks that the effective user
/// owns it and nobody else can write to it, and takes group and world access away.
#[cfg(unix)]
pub fn check_own_dir(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let dir = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            // O_NOFOLLOW with O_DIRECTORY: ELOOP or ENOTDIR for a link.
            Some(libc::ELOOP | libc::ENOTDIR) => {
                if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                    io::Error::new(io::ErrorKind::InvalidInput, "is a link, not a folder")
                } else {
                    io::Error::new(io::ErrorKind::AlreadyExists, "exists and is not a folder")
                }
            }
            _ => e,
        })?;
    let meta = dir.metadata()?;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "is owned by uid {}, not by this user (uid {me}): refusing to use it",
                meta.uid()
            ),
        ));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "is writable by other users: refusing to use it (chmod 700 it)",
        ));
    }
    if meta.mode() & 0o077 != 0 {
        dir.set_permissions(fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_own_dir(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "exists and is not a folder",
        ))
    }
}

/// Creates one store sub-folder (0700) whose parent exists; an existing one must pass
/// [`check_own_dir`] (never a link, never another user's).
pub fn create_store_subdir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    builder.mode(0o700);
    match builder.create(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => check_own_dir(path),
        other => other,
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The suffix every temporary file ends with (`.<name>.<pid>.<n>.tmp`).
pub const TEMP_SUFFIX: &str = ".tmp";

fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let mut tmp = OsString::from(".");
    tmp.push(name);
    tmp.push(format!(
        ".{}.{}{TEMP_SUFFIX}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    Ok(path.with_file_name(tmp))
}

/// A new file that is private from the moment it exists.
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    opts.mode(0o600);
    opts.open(path)
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same folder, mode 0600
/// from creation, written, fsynced, renamed over `path`, then the folder fsynced. Readers
/// see the old content or the new, never a mix. The temporary file is removed on error.
/// The parent folder must exist.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (tmp, mut file) = loop {
        let tmp = temp_path(path)?;
        match create_private(&tmp) {
            Ok(file) => break (tmp, file),
            // A leftover of a killed process whose pid came round again: take the next name.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if let Some(dir) = path.parent() {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The whole of a small file, `None` if it does not exist. Reads straight into a buffer
/// (two `read` calls for a small file): `read_to_end` would add a `statx` and an `lseek`,
/// which is a quarter of the hot path's syscalls.
pub fn read_if_exists(path: &Path) -> io::Result<Option<Vec<u8>>> {
    // Not through a symlink, never blocking on a FIFO, only a small regular file: a
    // hostile or damaged store folder can't hang, exhaust memory or redirect a read.
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    options.custom_flags(READ_FLAGS);
    let not_regular = || io::Error::new(io::ErrorKind::InvalidData, "not a small regular file");
    let mut file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Err(not_regular()),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() || meta.len() > MAX_FILE {
        return Err(not_regular());
    }
    let mut file = (&mut file).take(MAX_FILE);
    const CHUNK: usize = 8 * 1024;
    let mut buf = vec![0u8; CHUNK];
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(len + CHUNK.max(len), 0);
        }
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(len);
    Ok(Some(buf))
}
