//! One file: the section index built by a single pass over its lines, and the lazy
//! parse of one section's body.
//!
//! A small file is kept in memory. A large one is read through a fixed buffer and not
//! kept: the index records where each section's header is, and the section is read
//! back (a positioned read on the still-open file) when it is asked for. Holding a copy
//! of a multi-megabyte file would cost more in fresh-memory page faults than the whole
//! pass does.
//!
//! For the same reason the index holds no text: a section takes 8 bytes (a 32-bit hash
//! of its kind and name, and its header's offset) whatever its name's length, and the
//! line of one header in 16 is kept, the others being counted from there when needed.
//! A lookup hashes the name asked for, finds the sections with that hash in a table,
//! and reads each one's header back to confirm it, so a hash collision costs a read,
//! never a wrong answer. Duplicate sections are found once the pass is over, the same
//! way, and reported as the pass would have: before any later error. The table lives
//! in the read buffer, which is free by then. Listing names (error paths only) reads
//! every header back.
//!
//! The pass finds line ends, delimiters and non-ASCII bytes with bit masks of 64-byte
//! blocks ([`Finder`]); beyond that, a `key = value` line costs a look at its first
//! byte and at its value's ([`Scanner::classify_plain`]), and UTF-8 is checked only on
//! lines that are not ASCII. Which line is what is decided in `scan.rs` only; this file
//! owns where sections are, not how lines read.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

pub(crate) use super::scan::{FileKind, Kind};
use super::scan::{
    Finder, LineKind, Lines, Plain, Scanner, classify_section, count_breaks, header_of_line,
    nested_pairs, next_line_start, option_key, option_value,
};
use super::{ConfigError, Origin, Prop, Value};

/// Read size for large files; files that fit in one read are kept in memory.
pub(crate) const CHUNK: usize = 64 * 1024;

/// One section of the index (files are limited to 4 GiB so it stays small). Its body
/// runs from the line after the header to the next section's header.
#[derive(Clone, Copy, Debug)]
struct SectionEntry {
    /// [`name_hash`] of the section's kind and name.
    hash: u32,
    /// File offset of the header line.
    start: u32,
}

/// The line of a section's header.
#[derive(Clone, Copy, Debug)]
struct LineMark {
    section: u32,
    line: u32,
}

/// Where every section is.
struct Index {
    /// In file order.
    entries: Vec<SectionEntry>,
    /// The header lines of some sections: the first, then at least one every 16
    /// sections and every 16 KiB. Other lines are counted from the closest one before
    /// (which keeps the entries at 8 bytes; fresh memory costs page faults).
    marks: Vec<LineMark>,
    /// End of the indexed text (of the last section's body).
    end: usize,
}

impl Index {
    fn with_capacity(sections: usize) -> Index {
        Index {
            entries: Vec::with_capacity(sections),
            marks: Vec::with_capacity(sections / 16 + 1),
            end: 0,
        }
    }

    /// Add a section whose header line is at offset `start`, line `line`.
    fn push(&mut self, hash: u32, start: usize, line: usize) {
        let n = self.entries.len();
        let far = self.marks.last().is_none_or(|m| {
            let from = self.entries[m.section as usize].start as usize;
            n - m.section as usize >= 16 || start - from > 16 * 1024
        });
        if far {
            self.marks.push(LineMark {
                section: n as u32,
                line: line as u32,
            });
        }
        self.entries.push(SectionEntry {
            hash,
            start: start as u32,
        });
    }

    /// File offset of the end of section `i`'s body.
    fn end_of(&self, i: usize) -> usize {
        self.entries
            .get(i + 1)
            .map_or(self.end, |next| next.start as usize)
    }

    /// Where to count section `i`'s line from: a header's offset and line.
    fn mark_for(&self, i: usize) -> (usize, usize) {
        let k = self.marks.partition_point(|m| m.section as usize <= i);
        match k.checked_sub(1).and_then(|k| self.marks.get(k)) {
            Some(m) => (
                self.entries[m.section as usize].start as usize,
                m.line as usize,
            ),
            None => (0, 1), // no sections
        }
    }

    /// Section `i`'s line, counted in `text`.
    fn line_of(&self, i: usize, text: TextRef<'_>) -> io::Result<usize> {
        let (from, line) = self.mark_for(i);
        let before = text.read(from, self.entries[i].start as usize)?;
        Ok(line + count_breaks(&before))
    }
}

/// FxHash (as in rustc) with a folding finish: the keys are the user's own section
/// names, so a fast non-keyed hash is fine.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        let w = u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59);
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        // Fold the high half of a wide multiply back in, so every output bit depends
        // on every input bit.
        let wide = u128::from(self.0) * 0x9e37_79b9_7f4a_7c15;
        (wide as u64) ^ ((wide >> 64) as u64)
    }
}

/// The index's hash of a section's kind and name (after wyhash: a folded 64x64-bit
/// multiply per 16 bytes).
fn name_hash(kind: Kind, name: &[u8]) -> u32 {
    const P0: u64 = 0xa076_1d64_78bd_642f;
    const P1: u64 = 0xe703_7ed1_a0b4_28db;
    fn mum(a: u64, b: u64) -> u64 {
        let p = u128::from(a) * u128::from(b);
        (p as u64) ^ ((p >> 64) as u64)
    }
    fn r8(b: &[u8], i: usize) -> u64 {
        b.get(i..i + 8)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    }
    fn r4(b: &[u8], i: usize) -> u64 {
        b.get(i..i + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, |b| u64::from(u32::from_le_bytes(b)))
    }
    let n = name.len();
    let mut seed = P0 ^ (kind as u64 + 1);
    let (a, b) = if n <= 16 {
        if n >= 8 {
            (r8(name, 0), r8(name, n - 8))
        } else if n >= 4 {
            (r4(name, 0), r4(name, n - 4))
        } else if n > 0 {
            let bytes = (name[0], name[n / 2], name[n - 1]);
            (
                u64::from(bytes.0) << 16 | u64::from(bytes.1) << 8 | u64::from(bytes.2),
                0,
            )
        } else {
            (0, 0)
        }
    } else {
        let mut i = 0;
        while n - i > 16 {
            seed = mum(r8(name, i) ^ P1, r8(name, i + 8) ^ seed);
            i += 16;
        }
        (r8(name, n - 16), r8(name, n - 8))
    };
    mum(P1 ^ n as u64, mum(a ^ P1, b ^ seed)) as u32
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Section numbers by hash: open addressing with linear probing, at most three
/// quarters full. A slot is a `u32`: 0 when empty, else the section's number plus one
/// in the bits of `mask`, and the hash's other bits above (so that most probes that
/// are not a match need not look at the section). Sections with one hash sit on one
/// probe path in file order.
struct Table {
    /// The slots, native-endian, in a byte buffer so that a large file's read buffer
    /// can be reused (it is already in memory; fresh memory costs page faults).
    slots: Vec<u8>,
    mask: u32,
}

impl Table {
    /// Room for `n` sections, in `buf` if it is large enough.
    fn new(n: usize, mut buf: Vec<u8>) -> Table {
        let count = (n + n / 3 + 1).next_power_of_two();
        if buf.len() >= count * 4 {
            buf.truncate(count * 4);
            buf.fill(0);
        } else {
            buf = vec![0; count * 4];
        }
        Table {
            slots: buf,
            // Section numbers are below 2^32 (a header takes at least 3 bytes).
            mask: (count - 1) as u32,
        }
    }

    fn get(&self, slot: usize) -> u32 {
        let b = &self.slots[slot * 4..slot * 4 + 4];
        u32::from_ne_bytes([b[0], b[1], b[2], b[3]])
    }

    fn set(&mut self, slot: usize, value: u32) {
        self.slots[slot * 4..slot * 4 + 4].copy_from_slice(&value.to_ne_bytes());
    }

    /// The section in a slot whose other bits match `hash`, or `Err` for an empty slot.
    fn candidate(&self, slot: usize, hash: u32) -> Result<Option<usize>, ()> {
        match self.get(slot) {
            0 => Err(()),
            v if (v ^ hash) & !self.mask == 0 => Ok(Some((v & self.mask) as usize - 1)),
            _ => Ok(None),
        }
    }

    /// Numbers of the sections with hash `hash`, in file order.
    fn find(&self, hash: u32, entries: &[SectionEntry]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut slot = (hash & self.mask) as usize;
        while let Ok(i) = self.candidate(slot, hash) {
            if let Some(i) = i
                && entries[i].hash == hash
            {
                found.push(i);
            }
            slot = (slot + 1) & self.mask as usize;
        }
        found
    }

    /// Index `entries` (in file order), stopping at the first section whose header
    /// repeats an earlier one's (`[DEFAULT]` aside): `Err((earlier, later))`.
    fn build(
        entries: &[SectionEntry],
        buf: Vec<u8>,
        same_header: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Table, (usize, usize)> {
        let mut table = Table::new(entries.len(), buf);
        for (i, e) in entries.iter().enumerate() {
            let mut slot = (e.hash & table.mask) as usize;
            loop {
                match table.candidate(slot, e.hash) {
                    Err(()) => {
                        table.set(slot, (e.hash & !table.mask) | (i as u32 + 1));
                        break;
                    }
                    Ok(Some(j)) if entries[j].hash == e.hash && same_header(j, i) => {
                        return Err((j, i));
                    }
                    Ok(_) => {}
                }
                slot = (slot + 1) & table.mask as usize;
            }
        }
        Ok(table)
    }
}

/// Where section text is read from.
enum Source {
    /// The whole text.
    Memory(String),
    /// A large file, still open.
    File(OpenFile),
}

struct OpenFile {
    file: File,
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

/// Text to read headers back from while the index is being built.
#[derive(Clone, Copy)]
enum TextRef<'a> {
    Memory(&'a [u8]),
    File(&'a File),
}

impl<'a> TextRef<'a> {
    /// Bytes `start..end`.
    fn read(self, start: usize, end: usize) -> io::Result<Cow<'a, [u8]>> {
        match self {
            TextRef::Memory(text) => text
                .get(start..end)
                .map(Cow::Borrowed)
                .ok_or_else(|| io::ErrorKind::UnexpectedEof.into()),
            TextRef::File(file) => {
                let mut buf = vec![0u8; end.saturating_sub(start)];
                read_exact_at(file, &mut buf, start as u64)?;
                Ok(Cow::Owned(buf))
            }
        }
    }

    /// The line at `start` (without its terminator), not reading past `end`.
    fn line_at(self, start: usize, end: usize) -> io::Result<Cow<'a, [u8]>> {
        let end = end.max(start);
        match self {
            TextRef::Memory(text) => {
                let rest = text.get(start..end).unwrap_or_default();
                let len = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                Ok(Cow::Borrowed(&rest[..len]))
            }
            TextRef::File(file) => {
                let mut buf = vec![0u8; 256.min(end - start)];
                loop {
                    read_exact_at(file, &mut buf, start as u64)?;
                    if let Some(len) = memchr::memchr2(b'\n', b'\r', &buf) {
                        buf.truncate(len);
                        return Ok(Cow::Owned(buf));
                    }
                    if buf.len() == end - start {
                        return Ok(Cow::Owned(buf));
                    }
                    buf.resize((buf.len() * 2).min(end - start), 0);
                }
            }
        }
    }
}

/// Why a section could not be read back from the open file: it changed since it was
/// indexed.
enum BodyError {
    Stale,
    Config(ConfigError),
}

impl From<ConfigError> for BodyError {
    fn from(e: ConfigError) -> BodyError {
        BodyError::Config(e)
    }
}

/// A section header read back from the text.
struct Header<'t> {
    /// The text between `[` and the last `]`.
    text: &'t str,
    /// Indentation of the header line (continuation rules need it).
    indent: usize,
    kind: Kind,
    /// The name a profile/sso-session/services section goes by; the header for others.
    name: Cow<'t, [u8]>,
    /// Offset of the line after the header, from the header line's start.
    body: usize,
}

impl<'t> Header<'t> {
    /// The header line at the start of `text` (a section's text, as indexed).
    fn read(file_kind: FileKind, text: &'t str) -> Option<Header<'t>> {
        let len = memchr::memchr2(b'\n', b'\r', text.as_bytes()).unwrap_or(text.len());
        let (header, indent) = header_of_line(&text[..len])?;
        let (kind, name) = classify_section(file_kind, text.as_bytes(), header.clone());
        Some(Header {
            text: &text[header],
            indent,
            kind,
            name,
            body: next_line_start(text.as_bytes(), len),
        })
    }

    fn name(&self) -> &str {
        std::str::from_utf8(&self.name).unwrap_or_default()
    }
}

/// A section's header and name, for listing (and tests).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct SectionInfo {
    pub(crate) header: String,
    pub(crate) kind: Kind,
    pub(crate) name: String,
    pub(crate) line: usize,
    pub(crate) indent: usize,
    /// File offsets of the lines after the header, up to the next header.
    pub(crate) body: Range<usize>,
}

pub(crate) struct ParsedFile {
    display: Arc<str>,
    file_kind: FileKind,
    source: Source,
    index: Index,
    table: Table,
}

impl ParsedFile {
    pub(crate) fn empty(display: Arc<str>, file_kind: FileKind) -> ParsedFile {
        ParsedFile {
            display,
            file_kind,
            source: Source::Memory(String::new()),
            index: Index::with_capacity(0),
            table: Table::new(0, Vec::new()),
        }
    }

    pub(crate) fn display(&self) -> &str {
        &self.display
    }

    pub(crate) fn section_count(&self) -> usize {
        self.index.entries.len()
    }

    /// Index `text`, kept in memory.
    pub(crate) fn from_string(
        text: String,
        display: Arc<str>,
        file_kind: FileKind,
    ) -> Result<ParsedFile, ConfigError> {
        let mut ix = Indexer::new(display, file_kind, text.len());
        if let Err(e) = ix.feed(text.as_bytes(), 0, true) {
            return Err(ix.earlier_duplicate(TextRef::Memory(text.as_bytes()), e));
        }
        ix.finish(Source::Memory(text), Vec::new())
    }

    /// Index bytes that may not be UTF-8, kept in memory.
    #[cfg(test)]
    pub(crate) fn from_bytes(
        bytes: Vec<u8>,
        display: Arc<str>,
        file_kind: FileKind,
    ) -> Result<ParsedFile, ConfigError> {
        let mut ix = Indexer::new(display, file_kind, bytes.len());
        if let Err(e) = ix.feed(&bytes, 0, true) {
            return Err(ix.earlier_duplicate(TextRef::Memory(&bytes), e));
        }
        let text = String::from_utf8(bytes).unwrap_or_default();
        ix.finish(Source::Memory(text), Vec::new())
    }

    /// Read and index the file at `path`. `Ok(None)` when there is nothing to read
    /// there (missing, a directory, a path through a non-directory: botocore reads
    /// only regular files).
    pub(crate) fn open(
        path: &Path,
        display: Arc<str>,
        file_kind: FileKind,
        chunk: usize,
    ) -> Result<Option<ParsedFile>, ConfigError> {
        let io_error = |e: io::Error| ConfigError::Io {
            path: display.to_string(),
            message: format!("cannot read file: {}", e.kind()),
        };
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) if is_missing(&e) => return Ok(None),
            Err(e) => return Err(io_error(e)),
        };
        let meta = file.metadata().ok();
        if meta.as_ref().is_some_and(|m| !m.is_file()) {
            // A directory, a pipe, a device (`/dev/null`): botocore reads only regular
            // files and treats anything else as missing.
            return Ok(None);
        }
        let modified = meta.as_ref().and_then(|m| m.modified().ok());
        // Capped: the size is only a hint (and may be wrong for special files).
        let size = meta.map_or(0, |m| m.len()).min(1 << 30) as usize;
        let mut ix = Indexer::new(display.clone(), file_kind, size);
        let mut buf = vec![0u8; chunk.clamp(1, size + 1)];
        let mut filled = 0;
        let mut base = 0;
        loop {
            let mut eof = false;
            while filled < buf.len() {
                match file.read(&mut buf[filled..]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if base == 0 && filled == 0 && is_missing(&e) => return Ok(None),
                    Err(e) => return Err(io_error(e)),
                }
            }
            let used = match ix.feed(&buf[..filled], base, eof) {
                Ok(used) => used,
                Err(e) if base == 0 => {
                    return Err(ix.earlier_duplicate(TextRef::Memory(&buf[..filled]), e));
                }
                Err(e) => return Err(ix.earlier_duplicate(TextRef::File(&file), e)),
            };
            if eof {
                if base == 0 {
                    // It all fitted in one read: keep it (the feed checked it is UTF-8).
                    buf.truncate(filled);
                    let text = String::from_utf8(buf).unwrap_or_default();
                    return ix.finish(Source::Memory(text), Vec::new()).map(Some);
                }
                let len = (base + filled) as u64;
                if !cfg!(any(unix, windows)) {
                    // No positioned reads here: read it again, whole.
                    let text = std::fs::read_to_string(path).map_err(io_error)?;
                    return ParsedFile::from_string(text, display, file_kind).map(Some);
                }
                let path = path.to_path_buf();
                let open = OpenFile {
                    file,
                    path,
                    len,
                    modified,
                };
                // The read buffer is not needed any more: the table goes there.
                return ix.finish(Source::File(open), buf).map(Some);
            }
            if used == 0 {
                // One line longer than the buffer.
                buf.resize(buf.len() * 2, 0);
                continue;
            }
            buf.copy_within(used..filled, 0);
            filled -= used;
            base += used;
        }
    }

    fn origin(&self, line: usize) -> Origin {
        Origin {
            path: self.display.clone(),
            line,
        }
    }

    /// Parse every section of `kind` named `name` (so duplicate keys in any of them
    /// are reported) and return the last one's header line and properties: the one
    /// botocore keeps.
    pub(crate) fn last_named(
        &self,
        kind: Kind,
        name: &str,
    ) -> Result<Option<(Origin, Vec<Prop>)>, ConfigError> {
        match self.try_last_named(kind, name) {
            Ok(found) => Ok(found),
            Err(BodyError::Config(e)) => Err(e),
            Err(BodyError::Stale) => {
                // The file changed since it was indexed: index it again and answer
                // from that (once).
                let Some(fresh) = self.reopen()? else {
                    return Ok(None);
                };
                match fresh.try_last_named(kind, name) {
                    Ok(found) => Ok(found),
                    Err(BodyError::Config(e)) => Err(e),
                    Err(BodyError::Stale) => Err(ConfigError::Io {
                        path: self.display.to_string(),
                        message: "file keeps changing while being read".to_string(),
                    }),
                }
            }
        }
    }

    /// The file indexed again (`None` for text that is not a file, or a file gone).
    fn reopen(&self) -> Result<Option<ParsedFile>, ConfigError> {
        let Source::File(open) = &self.source else {
            return Ok(None);
        };
        ParsedFile::open(&open.path, self.display.clone(), self.file_kind, CHUNK)
    }

    fn try_last_named(
        &self,
        kind: Kind,
        name: &str,
    ) -> Result<Option<(Origin, Vec<Prop>)>, BodyError> {
        let hash = name_hash(kind, name.as_bytes());
        let mut found = None;
        for i in self.table.find(hash, &self.index.entries) {
            // From where its line is counted to the end of its body, in one read.
            let (from, mark_line) = self.index.mark_for(i);
            let text = self.text(from, self.index.end_of(i))?;
            let start = self.index.entries[i].start as usize - from;
            let (before, section) = (text.get(..start), text.get(start..));
            let (Some(before), Some(section)) = (before, section) else {
                return Err(BodyError::Stale);
            };
            let header = Header::read(self.file_kind, section).ok_or(BodyError::Stale)?;
            if name_hash(header.kind, &header.name) != hash {
                return Err(BodyError::Stale);
            }
            if header.kind != kind || header.name() != name {
                continue; // another name with the same hash
            }
            let line = mark_line + count_breaks(before.as_bytes());
            let props = self.parse_lines(&header, line, &section[header.body..])?;
            found = Some((self.origin(line), props));
        }
        Ok(found)
    }

    /// The text from offset `start` to `end`.
    fn text(&self, start: usize, end: usize) -> Result<Cow<'_, str>, BodyError> {
        match &self.source {
            Source::Memory(text) => text
                .get(start..end)
                .map(Cow::Borrowed)
                .ok_or(BodyError::Stale),
            Source::File(open) => Ok(Cow::Owned(read_range(open, start, end)?)),
        }
    }

    /// Every section's header, kind, name, line and body, read back from the text
    /// (or from the file indexed again, if it changed). Slow for a large file: for
    /// listing names, which only error paths do.
    pub(crate) fn sections(&self) -> Vec<SectionInfo> {
        match self.try_sections() {
            Ok(all) => all,
            Err(_) => match self.reopen() {
                Ok(Some(fresh)) => fresh.try_sections().unwrap_or_default(),
                _ => Vec::new(),
            },
        }
    }

    fn try_sections(&self) -> Result<Vec<SectionInfo>, BodyError> {
        let text = self.text(0, self.index.end)?;
        let entries = &self.index.entries;
        let mut out = Vec::with_capacity(entries.len());
        let (mut line, mut counted) = (0, None);
        for (i, e) in entries.iter().enumerate() {
            let (start, end) = (e.start as usize, self.index.end_of(i));
            let section = text.get(start..end).ok_or(BodyError::Stale)?;
            let h = Header::read(self.file_kind, section).ok_or(BodyError::Stale)?;
            if name_hash(h.kind, &h.name) != e.hash {
                return Err(BodyError::Stale);
            }
            line = match counted {
                None => self.index.mark_for(i).1,
                Some(from) => line + count_breaks(&text.as_bytes()[from..start]),
            };
            counted = Some(start);
            out.push(SectionInfo {
                header: h.text.to_string(),
                kind: h.kind,
                name: h.name().to_string(),
                line,
                indent: h.indent,
                body: start + h.body..end,
            });
        }
        Ok(out)
    }

    /// Parse one section's body into properties (keys lowercased, file order),
    /// rejecting duplicate keys. `line` is the header's.
    fn parse_lines(
        &self,
        header: &Header<'_>,
        line: usize,
        body: &str,
    ) -> Result<Vec<Prop>, ConfigError> {
        let mut props: Vec<Prop> = Vec::new();
        let mut index: FxMap<String, usize> = FxMap::default();
        let mut scanner = Scanner::after_header(header.indent);
        // Blank lines seen since the last value line of the current option.
        let mut blanks = 0usize;
        for (line_no, _, line) in Lines::new(body, 0, body.len(), line + 1) {
            let in_option = scanner.in_option();
            let kind = scanner.classify(line).map_err(|err| {
                let key = props.last().map(|p| p.key.as_str());
                ConfigError::Syntax {
                    origin: self.origin(line_no),
                    message: err.message(key),
                }
            })?;
            match kind {
                LineKind::Blank => {
                    if in_option {
                        blanks += 1;
                    }
                }
                LineKind::Comment => {}
                LineKind::Continuation(text) => {
                    // `in_option` guarantees a current property.
                    let Some(prop) = props.last_mut() else {
                        continue;
                    };
                    match &mut prop.value {
                        Value::Str(s) if s.is_empty() => {
                            let mut pairs = Vec::new();
                            push_pairs(&mut pairs, text);
                            prop.value = Value::Nested(pairs);
                        }
                        Value::Str(s) => {
                            for _ in 0..=blanks {
                                s.push('\n');
                            }
                            s.push_str(text);
                        }
                        Value::Nested(pairs) => push_pairs(pairs, text),
                    }
                    blanks = 0;
                }
                LineKind::Option(text, delim) => {
                    blanks = 0;
                    let key = option_key(text, delim).to_lowercase();
                    let value = option_value(text, delim);
                    let section = header.text;
                    if props.len() < 16 {
                        if let Some(first) = props.iter().find(|p| p.key == key) {
                            return Err(dup_key(self.origin(line_no), &key, section, first));
                        }
                    } else {
                        if index.is_empty() {
                            for (i, p) in props.iter().enumerate() {
                                index.insert(p.key.clone(), i);
                            }
                        }
                        if let Some(&i) = index.get(&key) {
                            return Err(dup_key(self.origin(line_no), &key, section, &props[i]));
                        }
                        index.insert(key.clone(), props.len());
                    }
                    props.push(Prop {
                        key,
                        value: Value::Str(value.to_string()),
                        origin: self.origin(line_no),
                    });
                }
                // The body ends before the next header.
                LineKind::Header(..) => break,
            }
        }
        Ok(props)
    }
}

/// `[start, end)` of the open file, checking first that it has not changed since it
/// was indexed (same length and modification time). Callers check the header they
/// expect is where it was.
fn read_range(open: &OpenFile, start: usize, end: usize) -> Result<String, BodyError> {
    let meta = open.file.metadata().map_err(|_| BodyError::Stale)?;
    if meta.len() != open.len || meta.modified().ok() != open.modified {
        return Err(BodyError::Stale);
    }
    let mut buf = vec![0u8; end.saturating_sub(start)];
    read_exact_at(&open.file, &mut buf, start as u64).map_err(|_| BodyError::Stale)?;
    String::from_utf8(buf).map_err(|_| BodyError::Stale)
}

fn is_missing(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::IsADirectory | io::ErrorKind::NotADirectory
    )
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_exact_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The indexing pass: validates every line's syntax (and UTF-8), records each
/// section's hash and offset (and some lines, see [`Index`]). Keys and values are not
/// looked at beyond what validation needs, and nothing is allocated per line. Fed the file in pieces, it
/// keeps its state between them. Duplicate sections are looked for at the end
/// ([`Indexer::finish`]), or before reporting an error ([`Indexer::earlier_duplicate`]).
struct Indexer {
    display: Arc<str>,
    file_kind: FileKind,
    scanner: Scanner,
    /// Lines seen so far.
    line_no: usize,
    /// Key of the last option whose value was empty (a nested block's errors name it).
    nested_key: String,
    /// The sections so far; `end` is the end of the input seen so far.
    index: Index,
}

impl Indexer {
    /// `size` is the file's expected size: room is made for a section every ~200
    /// bytes (untouched room costs nothing; growing by copying does).
    fn new(display: Arc<str>, file_kind: FileKind, size: usize) -> Indexer {
        Indexer {
            display,
            file_kind,
            scanner: Scanner::new(),
            line_no: 0,
            nested_key: String::new(),
            index: Index::with_capacity(size / 200 + 4),
        }
    }

    fn error(&self, line: usize, message: String) -> ConfigError {
        ConfigError::Syntax {
            origin: Origin {
                path: self.display.clone(),
                line,
            },
            message,
        }
    }

    /// Find the first section (in file order) repeating an earlier one's header,
    /// indexing the sections in a table made in `buf`.
    fn duplicates(&self, text: TextRef<'_>, buf: Vec<u8>) -> Result<Table, ConfigError> {
        let entries = &self.index.entries;
        let unreadable = Cell::new(false);
        let header = |i: usize| -> Option<String> {
            let start = entries[i].start as usize;
            let line = match text.line_at(start, self.index.end_of(i)) {
                Ok(line) => line,
                Err(_) => {
                    unreadable.set(true);
                    return None;
                }
            };
            let line = std::str::from_utf8(&line).ok()?;
            header_of_line(line).map(|(h, _)| line[h].to_string())
        };
        // The header of the section being added, read once however many sections share
        // its hash (`[DEFAULT]` may repeat: it is never compared).
        let mut current: Option<(usize, Option<String>)> = None;
        let built = Table::build(entries, buf, &mut |j, i| {
            if current.as_ref().is_none_or(|(k, _)| *k != i) {
                let h = header(i).filter(|h| h != "DEFAULT");
                current = Some((i, h));
            }
            match current.as_ref().and_then(|(_, h)| h.as_deref()) {
                Some(h) => header(j).as_deref() == Some(h),
                None => false,
            }
        });
        let changed = || ConfigError::Io {
            path: self.display.to_string(),
            message: "file changed while being read".to_string(),
        };
        match built {
            Ok(table) if !unreadable.get() => Ok(table),
            Ok(_) => Err(changed()),
            Err((first, dup)) => {
                let name = header(dup).unwrap_or_default();
                let line = self.index.line_of(dup, text).map_err(|_| changed())?;
                let first = self.index.line_of(first, text).map_err(|_| changed())?;
                Err(self.error(
                    line,
                    format!("duplicate section '{name}' (first defined at line {first})"),
                ))
            }
        }
    }

    /// The error to report for a file in which the pass stopped at `e`: an earlier
    /// duplicate section if there is one (the AWS CLI would have stopped there).
    fn earlier_duplicate(&self, text: TextRef<'_>, e: ConfigError) -> ConfigError {
        match self.duplicates(text, Vec::new()) {
            Err(dup @ ConfigError::Syntax { .. }) => dup,
            _ => e,
        }
    }

    /// The index of the whole file, with `buf` (no longer needed) for its table.
    fn finish(self, source: Source, buf: Vec<u8>) -> Result<ParsedFile, ConfigError> {
        let table = match &source {
            Source::Memory(text) => self.duplicates(TextRef::Memory(text.as_bytes()), buf)?,
            Source::File(open) => self.duplicates(TextRef::File(&open.file), buf)?,
        };
        Ok(ParsedFile {
            display: self.display,
            file_kind: self.file_kind,
            source,
            index: self.index,
            table,
        })
    }

    /// Index the complete lines of `chunk`, the file's bytes from offset `base`.
    /// Returns how many bytes were used: all at `eof`, otherwise up to the start of
    /// the last, incomplete, line (the caller feeds it again with what follows).
    fn feed(&mut self, chunk: &[u8], base: usize, eof: bool) -> Result<usize, ConfigError> {
        if base + chunk.len() > u32::MAX as usize {
            return Err(ConfigError::Io {
                path: self.display.to_string(),
                message: "file is larger than 4 GiB".to_string(),
            });
        }
        let complete = if eof {
            chunk.len()
        } else {
            match memchr::memrchr2(b'\n', b'\r', chunk) {
                // A final `\r` may be the first half of `\r\n`.
                Some(i) if chunk[i] == b'\r' && i + 1 == chunk.len() => {
                    memchr::memrchr2(b'\n', b'\r', &chunk[..i]).map_or(0, |j| j + 1)
                }
                Some(i) => i + 1,
                None => 0,
            }
        };
        // A UTF-8 byte order mark is skipped (the AWS CLI rejects the file).
        let start = if base == 0 && chunk[..complete].starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        let walked = self.walk(&chunk[..complete], base, start);
        // Set even after an error: the duplicate check reads headers up to here.
        self.index.end = base + complete;
        walked.map(|()| complete)
    }

    /// Check and index the lines of `bytes` (complete lines, from file offset `base`)
    /// from `start`. Lines are checked to be UTF-8 only when they are not ASCII.
    fn walk(&mut self, bytes: &[u8], base: usize, start: usize) -> Result<(), ConfigError> {
        // Copies the loop can keep in registers, written back at the end.
        let mut scanner = self.scanner.clone();
        let mut line_no = self.line_no;
        let mut finder = Finder::new(bytes);
        let mut offset = start;
        let walked = 'walk: {
            while offset < bytes.len() {
                line_no += 1;
                let (end, delim, ascii) = finder.line(offset);
                let line_start = offset;
                offset = next_line_start(bytes, end);
                if line_start == end {
                    continue; // blank: changes no state
                }
                if ascii {
                    match scanner.classify_plain(bytes, line_start..end, delim) {
                        Some(Plain::Option { value_empty }) => {
                            if value_empty && let Some(d) = delim {
                                self.set_nested_key(&bytes[line_start..d]);
                            }
                            continue;
                        }
                        Some(Plain::Header) => {
                            self.header(bytes, line_start + 1..end - 1, base + line_start, line_no);
                            continue;
                        }
                        None => {}
                    }
                }
                if let Err(e) = self.other_line(&mut scanner, line_no, bytes, line_start..end, base)
                {
                    break 'walk Err(e);
                }
            }
            Ok(())
        };
        self.scanner = scanner;
        self.line_no = line_no;
        walked
    }

    /// Remember the key of an option whose value is empty (ASCII).
    #[cold]
    fn set_nested_key(&mut self, key: &[u8]) {
        self.nested_key.clear();
        self.nested_key
            .push_str(std::str::from_utf8(key).unwrap_or_default());
    }

    /// A line the fast paths of [`Indexer::walk`] do not take, number `line_no`, at
    /// `bytes[line]`. Kept out of the loop (it is big, and rarely taken).
    #[cold]
    #[inline(never)]
    fn other_line(
        &mut self,
        scanner: &mut Scanner,
        line_no: usize,
        bytes: &[u8],
        line: Range<usize>,
        base: usize,
    ) -> Result<(), ConfigError> {
        let start = line.start;
        let Ok(line) = std::str::from_utf8(&bytes[line]) else {
            return Err(self.error(line_no, "file is not valid UTF-8".to_string()));
        };
        let kind = match scanner.classify(line) {
            Ok(kind) => kind,
            Err(e) => {
                let key = option_key(&self.nested_key, self.nested_key.len());
                let message = e.message(Some(&key.to_lowercase()));
                return Err(self.error(line_no, message));
            }
        };
        match kind {
            LineKind::Header(header, _) => {
                let at = header.as_ptr() as usize - bytes.as_ptr() as usize;
                self.header(bytes, at..at + header.len(), base + start, line_no);
            }
            LineKind::Option(t, d) if d + 1 == t.len() => {
                self.nested_key.clear();
                self.nested_key.push_str(&t[..d]);
            }
            _ => {}
        }
        Ok(())
    }

    /// Record the section header at `bytes[header]`; `start` is the file offset of its
    /// line, `line` its number.
    fn header(&mut self, bytes: &[u8], header: Range<usize>, start: usize, line: usize) {
        let (kind, name) = classify_section(self.file_kind, bytes, header);
        self.index.push(name_hash(kind, &name), start, line);
    }
}

fn dup_key(origin: Origin, key: &str, section: &str, first: &Prop) -> ConfigError {
    ConfigError::Syntax {
        origin,
        message: format!(
            "duplicate key '{key}' in section '{section}' (first defined at line {})",
            first.origin.line
        ),
    }
}

/// Add a nested-block line's pairs; a repeated sub-key replaces the earlier value in
/// place (botocore builds a dict).
fn push_pairs(pairs: &mut Vec<(String, String)>, text: &str) {
    for (k, v) in nested_pairs(text) {
        let k = k.to_lowercase();
        match pairs.iter_mut().find(|(pk, _)| *pk == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => pairs.push((k, v.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` indexed in memory, and from a file read 64 bytes and 64 KiB at a time.
    fn three_ways(text: &str, kind: FileKind, check: impl Fn(&ParsedFile)) {
        let f = ParsedFile::from_string(text.to_string(), "~/x".into(), kind).unwrap();
        check(&f);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, text).unwrap();
        for chunk in [64, CHUNK] {
            let f = ParsedFile::open(&path, "~/x".into(), kind, chunk).unwrap();
            check(&f.unwrap());
        }
    }

    fn region(f: &ParsedFile, kind: Kind, name: &str) -> Option<(usize, String, usize)> {
        let (origin, props) = f.last_named(kind, name).unwrap()?;
        let Value::Str(value) = &props[0].value else {
            panic!("{name}: nested");
        };
        Some((origin.line, value.clone(), props[0].origin.line))
    }

    #[test]
    fn many_sections_keep_their_lines() {
        // Lines are counted from a mark every 16 sections or 16 KiB: sections of all
        // sizes, every line ending.
        let mut text = String::new();
        let mut want = Vec::new();
        let mut line = 1;
        let mut seed: u64 = 0x0123_4567_89ab_cdef;
        for i in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let eol = ["\n", "\r\n", "\r"][seed as usize % 3];
            text.push_str(&format!("[profile p{i}]{eol}"));
            let blanks = (seed >> 8) as usize % 3;
            text.push_str(&eol.repeat(blanks));
            text.push_str(&format!("region = r{i}{eol}"));
            want.push((format!("p{i}"), line, line + 1 + blanks));
            line += 2 + blanks;
            let filler = match (seed >> 16) % 29 {
                0 => 700,
                n => n as usize % 4,
            };
            for _ in 0..filler {
                text.push_str(&format!("# filler filler filler filler{eol}"));
                line += 1;
            }
        }
        three_ways(&text, FileKind::Config, |f| {
            assert!(
                f.index.marks.len() > 300 / 16 + 3,
                "{}",
                f.index.marks.len()
            );
            for (i, (name, header, value)) in want.iter().enumerate() {
                let got = region(f, Kind::Profile, name);
                assert_eq!(got, Some((*header, format!("r{i}"), *value)), "{name}");
            }
            let lines: Vec<usize> = f.sections().iter().map(|s| s.line).collect();
            let headers: Vec<usize> = want.iter().map(|w| w.1).collect();
            assert_eq!(lines, headers);
        });
    }

    #[test]
    fn duplicate_sections_far_apart() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("[s{i}]\nk = v\n\n"));
        }
        text.push_str("[DEFAULT]\n[s3]\nk = v\n[s3]\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, &text).unwrap();
        let want = "~/x:122: duplicate section 's3' (first defined at line 10)";
        let e = ParsedFile::from_string(text.clone(), "~/x".into(), FileKind::Config);
        assert_eq!(e.err().unwrap().to_string(), want);
        for chunk in [64, CHUNK] {
            let e = ParsedFile::open(&path, "~/x".into(), FileKind::Config, chunk);
            assert_eq!(e.err().unwrap().to_string(), want);
        }
        // Reported before a later error, as the AWS CLI would.
        text.push_str("no delimiter\n");
        let e = ParsedFile::from_string(text.clone(), "~/x".into(), FileKind::Config);
        assert_eq!(e.err().unwrap().to_string(), want);
        std::fs::write(&path, &text).unwrap();
        for chunk in [64, CHUNK] {
            let e = ParsedFile::open(&path, "~/x".into(), FileKind::Config, chunk);
            assert_eq!(e.err().unwrap().to_string(), want);
        }
    }

    #[test]
    fn names_with_one_hash() {
        // Two profile names with the same 32-bit hash: each is found by reading its
        // header back, and neither is a duplicate of the other.
        let mut seen = HashMap::new();
        let (a, b) = (0u32..)
            .find_map(|i| {
                let name = format!("p{i}");
                let h = name_hash(Kind::Profile, name.as_bytes());
                seen.insert(h, i).map(|j| (format!("p{j}"), name))
            })
            .unwrap();
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("[profile q{i}]\nregion = q\n"));
        }
        text.push_str(&format!(
            "[profile {a}]\nregion = a\n[{b}]\nregion = other\n"
        ));
        text.push_str(&format!(
            "[profile {b}]\nregion = b\n[profile  {a}]\nregion = a2\n"
        ));
        three_ways(&text, FileKind::Config, |f| {
            assert_eq!(region(f, Kind::Profile, &a), Some((87, "a2".into(), 88)));
            assert_eq!(region(f, Kind::Profile, &b), Some((85, "b".into(), 86)));
            assert_eq!(region(f, Kind::Other, &b), Some((83, "other".into(), 84)));
            assert_eq!(region(f, Kind::Profile, "q7"), Some((15, "q".into(), 16)));
            assert_eq!(region(f, Kind::Profile, "nope"), None);
            let names: Vec<String> = f.sections().into_iter().map(|s| s.name).collect();
            assert_eq!(names[40..], [a.clone(), b.clone(), b.clone(), a.clone()]);
        });
    }
}
