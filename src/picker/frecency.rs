//! Granted's frecency store: which profiles were assumed, how often and how recently, in
//! the file Granted itself reads and writes (`~/.granted/aws_profiles_frecency`).
//!
//! The format is Go's `encoding/json` encoding of Granted's `FrecencyStore`:
//!
//! ```json
//! {"MaxFrequency":3,"OldestDate":"2024-05-01T09:30:00.123456789+02:00","Entries":[
//!   {"Entry":"prod","Frequency":3,"LastUsed":"2024-05-03T10:00:00.5+02:00",
//!    "FrequencyScore":1,"LastUsedScore":1,"FrecencySortingScore":2}]}
//! ```
//!
//! Times are Go's RFC 3339 with nanoseconds (trailing zeros trimmed). Each use updates the
//! entry, then every entry is scored
//! `log10(freq / maxFreq * 10) + log10((lastUsed - oldest) / (now - oldest) * 10)` (the
//! second term is 1 when `lastUsed == oldest`), and the entries are kept sorted by that
//! score, highest first: the picker shows them in stored order.
//!
//! Differences from Granted, all in what is written, never in the format: saves are atomic
//! (temporary file and rename, mode 0600) where Granted truncates and rewrites; concurrent
//! [`record_use`] calls are serialised by a lock file so none is lost; removed profiles can
//! be dropped ([`Frecency::retain_existing`]; Granted's cleanup never deletes anything);
//! scores are always finite (Go would fail to encode an infinity after a clock jump).
//!
//! This module owns the file and the lock file next to it, nothing else. It never reads the
//! clock: callers pass `now`.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::sys::fs::{ensure_private_dir, write_atomic};

/// One profile's use record.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub profile: String,
    pub frequency: u64,
    pub last_used: OffsetDateTime,
    pub frequency_score: f64,
    pub last_used_score: f64,
    /// The sum of the two scores; entries are sorted by it, highest first.
    pub score: f64,
}

/// The frecency store in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Frecency {
    max_frequency: u64,
    /// `None` only for a store that was never written (Granted writes its load time).
    oldest: Option<OffsetDateTime>,
    entries: Vec<Entry>,
    reset: bool,
}

impl Default for Frecency {
    fn default() -> Self {
        Frecency {
            max_frequency: 1,
            oldest: None,
            entries: Vec::new(),
            reset: false,
        }
    }
}

/// Go's zero `time.Time`, what Go decodes a missing time field as.
const GO_ZERO_TIME: OffsetDateTime = time::macros::datetime!(0001-01-01 00:00:00 UTC);

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FileStore {
    #[serde(default)]
    max_frequency: i64,
    #[serde(default)]
    oldest_date: Option<String>,
    #[serde(default)]
    entries: Option<Vec<FileEntry>>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FileEntry {
    #[serde(default)]
    entry: Option<String>,
    #[serde(default)]
    frequency: i64,
    #[serde(default)]
    last_used: Option<String>,
    #[serde(default)]
    frequency_score: f64,
    #[serde(default)]
    last_used_score: f64,
    #[serde(default)]
    frecency_sorting_score: f64,
}

impl Frecency {
    /// An empty store.
    pub fn new() -> Frecency {
        Frecency::default()
    }

    /// Reads the store at `path`. A missing file gives an empty store; so does a file that
    /// can't be read or parsed (as in Granted, which resets it), and then
    /// [`was_reset`](Self::was_reset) is true.
    pub fn load(path: &Path) -> Frecency {
        match std::fs::read(path) {
            Ok(bytes) => Frecency::from_json(&bytes).unwrap_or_else(|| Frecency {
                reset: true,
                ..Frecency::default()
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Frecency::default(),
            Err(_) => Frecency {
                reset: true,
                ..Frecency::default()
            },
        }
    }

    /// Parses Granted's JSON; `None` when it is not a store.
    pub fn from_json(bytes: &[u8]) -> Option<Frecency> {
        // An object, as Go requires (serde would also take an array for a struct).
        if !bytes.trim_ascii_start().starts_with(b"{") {
            return None;
        }
        let file: FileStore = serde_json::from_slice(bytes).ok()?;
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        for e in file.entries.unwrap_or_default() {
            let last_used = match e.last_used {
                Some(t) => parse_go_time(&t)?,
                None => GO_ZERO_TIME,
            };
            // An entry Go could not have written (null or empty name) is dropped; of
            // duplicates, the first (highest scored) stays.
            let Some(profile) = e.entry.filter(|p| !p.is_empty()) else {
                continue;
            };
            if !seen.insert(profile.clone()) {
                continue;
            }
            entries.push(Entry {
                profile,
                // A zero or negative count would make the score -inf or NaN.
                frequency: e.frequency.max(1) as u64,
                last_used,
                frequency_score: finite_or(e.frequency_score, 0.0),
                last_used_score: finite_or(e.last_used_score, 0.0),
                score: finite_or(e.frecency_sorting_score, 0.0),
            });
        }
        let max_frequency = entries
            .iter()
            .map(|e| e.frequency)
            .chain([file.max_frequency.max(1) as u64])
            .max()
            .unwrap_or(1);
        let oldest = match file.oldest_date {
            Some(t) => Some(parse_go_time(&t)?),
            None => None,
        };
        Some(Frecency {
            max_frequency,
            oldest,
            entries,
            reset: false,
        })
    }

    /// True when [`load`](Self::load) found a file it could not read or parse and started
    /// over with an empty store.
    pub fn was_reset(&self) -> bool {
        self.reset
    }

    /// The entries, in stored order (highest score first after a [`record`](Self::record)).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The highest frequency of any entry (at least 1).
    pub fn max_frequency(&self) -> u64 {
        self.max_frequency
    }

    /// The oldest last use, as of the last [`record`](Self::record).
    pub fn oldest(&self) -> Option<OffsetDateTime> {
        self.oldest
    }

    /// Records one use of `profile` at `now`, rescoring and re-sorting every entry, as
    /// Granted's `Upsert` followed by its `save` does.
    pub fn record(&mut self, profile: &str, now: OffsetDateTime) {
        let mut oldest = now;
        let mut found = false;
        for e in &mut self.entries {
            if e.profile == profile {
                e.last_used = now;
                e.frequency += 1;
                self.max_frequency = self.max_frequency.max(e.frequency);
                found = true;
            }
            oldest = oldest.min(e.last_used);
        }
        if !found {
            self.entries.push(Entry {
                profile: profile.to_owned(),
                frequency: 1,
                last_used: now,
                frequency_score: 0.0,
                last_used_score: 0.0,
                score: 0.0,
            });
        }
        self.max_frequency = self.max_frequency.max(1);
        self.oldest = Some(oldest);
        self.rescore(now);
    }

    fn rescore(&mut self, now: OffsetDateTime) {
        let oldest = self.oldest.unwrap_or(now);
        let span = (now - oldest).whole_nanoseconds() as f64;
        for e in &mut self.entries {
            e.frequency_score = (e.frequency as f64 / self.max_frequency as f64 * 10.0).log10();
            let diff = (e.last_used - oldest).whole_nanoseconds() as f64;
            e.last_used_score = if diff > 0.0 && span > 0.0 {
                (diff / span * 10.0).log10()
            } else {
                1.0
            };
            e.score = e.frequency_score + e.last_used_score;
        }
        // Stable, as Go's sort.SliceStable: equal scores keep their order.
        self.entries.sort_by(|a, b| b.score.total_cmp(&a.score));
    }

    /// Drops the entries of profiles for which `exists` is false (removed from the AWS
    /// config). Scores and order of the rest are unchanged.
    pub fn retain_existing(&mut self, exists: impl Fn(&str) -> bool) {
        self.entries.retain(|e| exists(&e.profile));
    }

    /// The picker's order for `names`: first the names that have an entry, in stored order,
    /// then all the others sorted byte-wise. Each name appears once.
    pub fn ordered<'a>(&self, names: &'a [String]) -> Vec<&'a String> {
        let by_name: HashMap<&str, &'a String> = names.iter().map(|n| (n.as_str(), n)).collect();
        let mut out = Vec::with_capacity(by_name.len());
        let mut used = HashSet::new();
        for e in &self.entries {
            if let Some(&name) = by_name.get(e.profile.as_str())
                && used.insert(name.as_str())
            {
                out.push(name);
            }
        }
        let mut rest: Vec<&'a String> = names
            .iter()
            .filter(|n| !used.contains(n.as_str()))
            .collect();
        rest.sort();
        rest.dedup();
        out.extend(rest);
        out
    }

    /// The file's bytes, as Go's `json.Encoder` lays them out (one line, newline-ended).
    pub fn to_json(&self) -> String {
        let file = FileStore {
            max_frequency: self.max_frequency as i64,
            oldest_date: Some(format_go_time(
                self.oldest.unwrap_or(OffsetDateTime::UNIX_EPOCH),
            )),
            entries: Some(
                self.entries
                    .iter()
                    .map(|e| FileEntry {
                        entry: Some(e.profile.clone()),
                        frequency: e.frequency as i64,
                        last_used: Some(format_go_time(e.last_used)),
                        frequency_score: e.frequency_score,
                        last_used_score: e.last_used_score,
                        frecency_sorting_score: e.score,
                    })
                    .collect(),
            ),
        };
        let mut json = serde_json::to_string(&file).expect("strings and finite numbers");
        json.push('\n');
        json
    }

    /// Writes the store to `path`, creating the folder (0700) if needed. A file that is
    /// already ours — regular, owned by this user, mode 0600, one link — is rewritten in
    /// place (callers hold the lock, and readers take it too: see [`load_locked`]);
    /// anything else (a new file, one Granted left 0644) is replaced atomically by a
    /// private one. No fsync: frecency only orders the picker, and assume runs many
    /// times an hour (an fsync'd replace costs ~1.5 ms here; in place, ~0.05 ms).
    pub fn save(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            ensure_private_dir(dir)?;
        }
        let json = self.to_json();
        #[cfg(unix)]
        if let Some(mut file) = open_own_private(path)? {
            use std::io::Write as _;
            file.write_all(json.as_bytes())?;
            return file.set_len(json.len() as u64);
        }
        write_atomic(path, json.as_bytes())
    }
}

/// `path` opened for writing when it is a regular file of this user's, mode 0600, with
/// one link; `None` otherwise (or when absent). Never follows a link.
#[cfg(unix)]
fn open_own_private(path: &Path) -> io::Result<Option<File>> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let file = match OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // A link (ELOOP) or anything unexpected: the atomic replace decides.
        Err(_) => return Ok(None),
    };
    let meta = file.metadata()?;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    let ours = meta.file_type().is_file()
        && meta.uid() == me
        && meta.mode() & 0o7777 == 0o600
        && meta.nlink() == 1;
    Ok(ours.then_some(file))
}

/// [`Frecency::load`] under the store's lock, so a save in progress is never read half
/// written.
pub fn load_locked(path: &Path) -> Frecency {
    let _lock = lock(path);
    Frecency::load(path)
}

/// Records one use of `profile` in the store at `path`: load, [`Frecency::record`], save,
/// all under an exclusive lock on `<path>.lock`, so concurrent calls (two shells assuming
/// at once) never lose an update. The kernel releases the lock if the process dies.
pub fn record_use(path: &Path, profile: &str, now: OffsetDateTime) -> io::Result<()> {
    let _lock = lock(path)?;
    let mut store = Frecency::load(path);
    store.record(profile, now);
    store.save(path)
}

/// `<path>.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Held while alive; closing the file releases the lock.
struct Lock(File);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

fn lock(path: &Path) -> io::Result<Lock> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        ensure_private_dir(dir)?;
    }
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let file = opts.open(lock_path(path))?;
    // Blocking: the holder only loads and saves a small file, and a dead holder's lock
    // is released by the kernel, so the wait is short and bounded.
    file.lock()?;
    Ok(Lock(file))
}

fn finite_or(x: f64, fallback: f64) -> f64 {
    if x.is_finite() { x } else { fallback }
}

/// Parses a time as Go's `time.Time.UnmarshalJSON` accepts it (RFC 3339, any fraction).
fn parse_go_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Formats a time as Go's `time.Time.MarshalJSON` does (`time.RFC3339Nano`): fraction
/// only when non-zero with trailing zeros trimmed, `Z` for UTC, else `±hh:mm`.
pub fn format_go_time(t: OffsetDateTime) -> String {
    // Go keeps the offset's hours and minutes only; seconds are truncated into the time.
    let offset = t.offset();
    let offset = UtcOffset::from_hms(offset.whole_hours(), offset.minutes_past_hour(), 0)
        .unwrap_or(UtcOffset::UTC);
    let t = t.to_offset(offset);
    let mut out = t
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]"
        ))
        .expect("a date in range formats");
    let nanos = t.nanosecond();
    if nanos != 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    if offset.is_utc() {
        out.push('Z');
    } else {
        let sign = if offset.is_negative() { '-' } else { '+' };
        out.push_str(&format!(
            "{sign}{:02}:{:02}",
            offset.whole_hours().unsigned_abs(),
            offset.minutes_past_hour().unsigned_abs()
        ));
    }
    out
}

#[cfg(test)]
mod tests;
