//! One file: the section index built by a single pass over its lines, and the lazy
//! parse of one section's body.
//!
//! A small file is kept in memory. A large one is read through a fixed buffer and not
//! kept: the index records where each section's body is, and the body is read back
//! (a positioned read on the still-open file) when the section is asked for. Holding a
//! copy of a multi-megabyte file would cost more in fresh-memory page faults than the
//! whole pass does.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::scan::{
    Finder, LineKind, Lines, Scanner, count_breaks, nested_pairs, option_key, option_value,
    shlex_split, trim_py,
};
use super::{ConfigError, Origin, Prop, Value};

/// Read size for large files; files that fit in one read are kept in memory.
pub(crate) const CHUNK: usize = 64 * 1024;

/// How section names map to profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// `~/.aws/config`: `[profile x]`, `[default]`, `[sso-session x]`, `[services x]`.
    Config,
    /// `~/.aws/credentials`: every section is a profile named as written.
    Credentials,
}

/// What a section is, after botocore's `build_profile_map`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Profile,
    SsoSession,
    Services,
    /// Any other section of the config file (`[dev]`), kept but not a profile.
    Other,
    /// `[DEFAULT]`: configparser's defaults section. Not a section of its own, may
    /// repeat, and (deliberately, unlike the AWS CLI) not inherited.
    Defaults,
    /// A `profile`/`sso-session`/`services` header whose name is not exactly one word
    /// (`[profile a b]`, `[profile]`, an unclosed quote) or is empty: dropped.
    Ignored,
}

/// A byte range (files are limited to 4 GiB so the index stays small).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn new(r: Range<usize>) -> Span {
        Span {
            start: r.start as u32,
            end: r.end as u32,
        }
    }

    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Clone, Copy, Debug)]
enum Name {
    /// The whole header.
    Header,
    /// Part of the header, in `ParsedFile::headers`.
    Slice(Span),
    /// Index in `ParsedFile::owned`: the unquoted name of a header that used shlex
    /// quoting (`[profile "a b"]`).
    Owned(u32),
}

#[derive(Clone, Debug)]
pub(crate) struct SectionEntry {
    /// Text between `[` and the last `]`, in `ParsedFile::headers`.
    header: Span,
    name: Name,
    pub(crate) kind: Kind,
    /// 1-based line of the header.
    line: u32,
    /// Indentation of the header line (continuation rules need it).
    indent: u32,
    /// File offset of the header line.
    start: u32,
    /// File offsets of the lines after the header, up to the next header.
    body: Span,
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

fn fx_hash(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

/// For keys that already are hashes.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Where section bodies are read from.
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

/// Why a body could not be read from the open file: it changed since it was indexed.
enum BodyError {
    Stale,
    Config(ConfigError),
}

impl From<ConfigError> for BodyError {
    fn from(e: ConfigError) -> BodyError {
        BodyError::Config(e)
    }
}

pub(crate) struct ParsedFile {
    display: Arc<str>,
    file_kind: FileKind,
    source: Source,
    /// Every section's header text, back to back.
    headers: String,
    /// Names that are not part of a header (see [`Name::Owned`]).
    owned: Vec<Box<str>>,
    entries: Vec<SectionEntry>,
}

impl ParsedFile {
    pub(crate) fn empty(display: Arc<str>, file_kind: FileKind) -> ParsedFile {
        ParsedFile {
            display,
            file_kind,
            source: Source::Memory(String::new()),
            headers: String::new(),
            owned: Vec::new(),
            entries: Vec::new(),
        }
    }

    pub(crate) fn display(&self) -> &str {
        &self.display
    }

    /// Index `text`, kept in memory.
    pub(crate) fn from_string(
        text: String,
        display: Arc<str>,
        file_kind: FileKind,
    ) -> Result<ParsedFile, ConfigError> {
        let mut ix = Indexer::new(display, file_kind, text.len());
        ix.feed(text.as_bytes(), 0, true)?;
        Ok(ix.finish(Source::Memory(text)))
    }

    /// Index bytes that may not be UTF-8, kept in memory.
    #[cfg(test)]
    pub(crate) fn from_bytes(
        bytes: Vec<u8>,
        display: Arc<str>,
        file_kind: FileKind,
    ) -> Result<ParsedFile, ConfigError> {
        let mut ix = Indexer::new(display, file_kind, bytes.len());
        ix.feed(&bytes, 0, true)?;
        let text = String::from_utf8(bytes).unwrap_or_default();
        Ok(ix.finish(Source::Memory(text)))
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
            let used = ix.feed(&buf[..filled], base, eof)?;
            if eof {
                if base == 0 {
                    // It all fitted in one read: keep it (the feed checked it is UTF-8).
                    buf.truncate(filled);
                    let text = String::from_utf8(buf).unwrap_or_default();
                    return Ok(Some(ix.finish(Source::Memory(text))));
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
                return Ok(Some(ix.finish(Source::File(open))));
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

    pub(crate) fn entries(&self) -> &[SectionEntry] {
        &self.entries
    }

    pub(crate) fn header(&self, e: &SectionEntry) -> &str {
        &self.headers[e.header.range()]
    }

    /// The name a profile/sso-session/services section goes by; the header for others.
    pub(crate) fn name<'s>(&'s self, e: &'s SectionEntry) -> &'s str {
        match e.name {
            Name::Header => self.header(e),
            Name::Slice(r) => &self.headers[r.range()],
            Name::Owned(i) => self.owned.get(i as usize).map_or("", |s| s),
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
                let Source::File(open) = &self.source else {
                    return Ok(None);
                };
                let fresh =
                    ParsedFile::open(&open.path, self.display.clone(), self.file_kind, CHUNK)?;
                let Some(fresh) = fresh else {
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

    fn try_last_named(
        &self,
        kind: Kind,
        name: &str,
    ) -> Result<Option<(Origin, Vec<Prop>)>, BodyError> {
        let mut found = None;
        for e in self.entries.iter().filter(|e| e.kind == kind) {
            if self.name(e) == name {
                let props = self.parse_body(e)?;
                found = Some((self.origin(e.line as usize), props));
            }
        }
        Ok(found)
    }

    /// Parse one section's body into properties (keys lowercased, file order),
    /// rejecting duplicate keys.
    fn parse_body(&self, e: &SectionEntry) -> Result<Vec<Prop>, BodyError> {
        match &self.source {
            Source::Memory(text) => Ok(self.parse_lines(e, &text[e.body.range()])?),
            Source::File(open) => {
                let body = self.read_body(open, e)?;
                Ok(self.parse_lines(e, &body)?)
            }
        }
    }

    /// Read a section's body back from the open file, checking the file has not
    /// changed: same length and modification time, and the same header where it was.
    fn read_body(&self, open: &OpenFile, e: &SectionEntry) -> Result<String, BodyError> {
        let meta = open.file.metadata().map_err(|_| BodyError::Stale)?;
        if meta.len() != open.len || meta.modified().ok() != open.modified {
            return Err(BodyError::Stale);
        }
        let start = e.start as usize;
        let mut buf = vec![0u8; e.body.end as usize - start];
        read_exact_at(&open.file, &mut buf, start as u64).map_err(|_| BodyError::Stale)?;
        let text = String::from_utf8(buf).map_err(|_| BodyError::Stale)?;
        let split = e.body.start as usize - start;
        let line = text.get(..split).ok_or(BodyError::Stale)?;
        let line = trim_py(line.trim_end_matches(['\n', '\r']));
        let header = line
            .strip_prefix('[')
            .and_then(|l| l.rfind(']').map(|i| &l[..i]));
        if header != Some(self.header(e)) {
            return Err(BodyError::Stale);
        }
        Ok(text[split..].to_string())
    }

    fn parse_lines(&self, e: &SectionEntry, body: &str) -> Result<Vec<Prop>, ConfigError> {
        let mut props: Vec<Prop> = Vec::new();
        let mut index: FxMap<String, usize> = FxMap::default();
        let mut scanner = Scanner::after_header(e.indent as usize);
        // Blank lines seen since the last value line of the current option.
        let mut blanks = 0usize;
        for (line_no, _, line) in Lines::new(body, 0, body.len(), e.line as usize + 1) {
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
                    let section = self.header(e);
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

/// The indexing pass: validates every line's syntax (and UTF-8), rejects duplicate
/// sections, records each section's header, kind, name, line and body range. Keys and
/// values are not looked at beyond what validation needs, and nothing is allocated per
/// line. Fed the file in pieces, it keeps its state between them.
struct Indexer {
    display: Arc<str>,
    file_kind: FileKind,
    scanner: Scanner,
    /// Lines seen so far.
    line_no: usize,
    /// Key of the last option whose value was empty (a nested block's errors name it).
    nested_key: String,
    headers: String,
    owned: Vec<Box<str>>,
    entries: Vec<SectionEntry>,
    /// Header hash to the first entry with it (`[DEFAULT]` excluded: it may repeat).
    seen: HashMap<u64, u32, BuildHasherDefault<IdHasher>>,
    /// Offset of the end of the input seen so far.
    end: usize,
}

impl Indexer {
    /// `size` is the file's expected size: room is made for a section every ~200
    /// bytes (untouched room costs nothing; growing by copying does).
    fn new(display: Arc<str>, file_kind: FileKind, size: usize) -> Indexer {
        let sections = size / 200 + 4;
        Indexer {
            display,
            file_kind,
            scanner: Scanner::new(),
            line_no: 0,
            nested_key: String::new(),
            headers: String::with_capacity(sections * 16),
            owned: Vec::new(),
            entries: Vec::with_capacity(sections),
            seen: HashMap::with_capacity_and_hasher(sections, Default::default()),
            end: 0,
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

    fn finish(mut self, source: Source) -> ParsedFile {
        if let Some(last) = self.entries.last_mut() {
            last.body.end = self.end as u32;
        }
        ParsedFile {
            display: self.display,
            file_kind: self.file_kind,
            source,
            headers: self.headers,
            owned: self.owned,
            entries: self.entries,
        }
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
        let text = match std::str::from_utf8(&chunk[..complete]) {
            Ok(t) => t,
            Err(e) => {
                // Errors are reported in file order: first the lines before the bad
                // byte's line.
                let valid = &chunk[..e.valid_up_to()];
                let lines_end = memchr::memrchr2(b'\n', b'\r', valid).map_or(0, |i| i + 1);
                let before = std::str::from_utf8(&valid[..lines_end]).unwrap_or_default();
                let start = if base == 0 && before.starts_with('\u{feff}') {
                    3
                } else {
                    0
                };
                let line = self.line_no + count_breaks(valid) + 1;
                self.walk(before, base, start)?;
                return Err(self.error(line, "file is not valid UTF-8".to_string()));
            }
        };
        // A UTF-8 byte order mark is skipped (the AWS CLI rejects the file).
        let start = if base == 0 && text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        self.walk(text, base, start)?;
        self.end = base + complete;
        Ok(complete)
    }

    fn walk(&mut self, text: &str, base: usize, start: usize) -> Result<(), ConfigError> {
        let bytes = text.as_bytes();
        let mut finder = Finder::new(bytes);
        let mut offset = start;
        while offset < bytes.len() {
            self.line_no += 1;
            let (end, delim) = finder.line(offset);
            let line_start = offset;
            offset = next_line_start(bytes, end);
            if line_start == end {
                continue; // blank: changes no state
            }
            // Fast path: an unindented `key = value` line inside a section.
            let first = bytes[line_start];
            if let Some(d) = delim
                && self.scanner.in_section()
                && (0x21..0x80).contains(&first)
                && !matches!(first, b'#' | b';' | b'[' | b'=' | b':')
            {
                let value_empty = match bytes[d + 1..end].iter().find(|&&b| b != b' ' && b != b'\t')
                {
                    None => true,
                    Some(&b) if (0x21..0x80).contains(&b) => false,
                    Some(_) => trim_py(&text[d + 1..end]).is_empty(),
                };
                self.scanner.plain_option(value_empty);
                if value_empty {
                    self.nested_key.clear();
                    self.nested_key.push_str(&text[line_start..d]);
                }
                continue;
            }
            let line = &text[line_start..end];
            let kind = match self.scanner.classify(line) {
                Ok(kind) => kind,
                Err(e) => {
                    let key = option_key(&self.nested_key, self.nested_key.len()).to_lowercase();
                    return Err(self.error(self.line_no, e.message(Some(&key))));
                }
            };
            match kind {
                LineKind::Header(header, indent) => {
                    self.header(header, indent, base + line_start, base + offset)?;
                }
                LineKind::Option(t, d) if d + 1 == t.len() => {
                    self.nested_key.clear();
                    self.nested_key.push_str(&t[..d]);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Record a section header; `start` and `body` are file offsets of its line and of
    /// the line after it.
    fn header(
        &mut self,
        header: &str,
        indent: usize,
        start: usize,
        body: usize,
    ) -> Result<(), ConfigError> {
        if let Some(prev) = self.entries.last_mut() {
            prev.body.end = start as u32;
        }
        let index = self.entries.len() as u32;
        // configparser allows `[DEFAULT]` to repeat.
        if header != "DEFAULT" {
            let first = match self.seen.entry(fx_hash(header)) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(index);
                    None
                }
                std::collections::hash_map::Entry::Occupied(slot) => {
                    let same = &self.entries[*slot.get() as usize];
                    if &self.headers[same.header.range()] == header {
                        Some(same.line)
                    } else {
                        // Two headers with one hash: compare with all of them.
                        self.entries
                            .iter()
                            .find(|e| &self.headers[e.header.range()] == header)
                            .map(|e| e.line)
                    }
                }
            };
            if let Some(first) = first {
                return Err(self.error(
                    self.line_no,
                    format!("duplicate section '{header}' (first defined at line {first})"),
                ));
            }
        }
        let h_start = self.headers.len();
        self.headers.push_str(header);
        let (kind, name) = match classify_section(self.file_kind, header, h_start) {
            (kind, Ok(name)) => (kind, name),
            (kind, Err(unquoted)) => {
                self.owned.push(unquoted);
                (kind, Name::Owned(self.owned.len() as u32 - 1))
            }
        };
        self.entries.push(SectionEntry {
            header: Span::new(h_start..self.headers.len()),
            name,
            kind,
            line: self.line_no as u32,
            indent: u32::try_from(indent).unwrap_or(u32::MAX),
            start: start as u32,
            body: Span::new(body..body),
        });
        Ok(())
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

/// Offset just past the line terminator at `pos` (which is the end of a line).
fn next_line_start(b: &[u8], pos: usize) -> usize {
    match b.get(pos) {
        Some(b'\r') if b.get(pos + 1) == Some(&b'\n') => pos + 2,
        Some(_) => pos + 1,
        None => pos,
    }
}

/// botocore's `build_profile_map` for one section name: a name starting with
/// `profile`, `sso-session` or `services` is shlex-split and kept only when it is
/// exactly two words; `default` is a profile; `DEFAULT` is configparser's defaults.
///
/// The name is `Ok` when it is part of the header (at `h_start` in the header
/// arena), `Err(unquoted)` otherwise.
fn classify_section(
    file_kind: FileKind,
    header: &str,
    h_start: usize,
) -> (Kind, Result<Name, Box<str>>) {
    if header == "DEFAULT" {
        return (Kind::Defaults, Ok(Name::Header));
    }
    if file_kind == FileKind::Credentials {
        return (Kind::Profile, Ok(Name::Header));
    }
    let kind = if header.starts_with("profile") {
        Kind::Profile
    } else if header.starts_with("sso-session") {
        Kind::SsoSession
    } else if header.starts_with("services") {
        Kind::Services
    } else if header == "default" {
        return (Kind::Profile, Ok(Name::Header));
    } else {
        return (Kind::Other, Ok(Name::Header));
    };
    let hb = header.as_bytes();
    if !hb.iter().any(|&b| matches!(b, b'"' | b'\'' | b'\\')) {
        let mut words = hb
            .split(|&b| b == b' ' || b == b'\t')
            .filter(|w| !w.is_empty());
        return match (words.next(), words.next(), words.next()) {
            (Some(_), Some(name), None) => {
                let s = h_start + (name.as_ptr() as usize - hb.as_ptr() as usize);
                (kind, Ok(Name::Slice(Span::new(s..s + name.len()))))
            }
            _ => (Kind::Ignored, Ok(Name::Header)),
        };
    }
    match shlex_split(header).as_deref() {
        // An empty quoted name (`[profile ""]`) is dropped (deliberately; botocore
        // keeps a profile named "").
        Some([_, name]) if !name.is_empty() => (kind, Err(name.as_str().into())),
        _ => (Kind::Ignored, Ok(Name::Header)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Summary = Vec<(String, usize, usize, Range<usize>, Kind, String)>;

    /// The indexing pass done the plain way, as a reference: every line through
    /// `Lines` and `Scanner::classify`, no block masks, no fast path.
    fn reference(text: &str, file_kind: FileKind) -> Result<Summary, String> {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut out: Summary = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut scanner = Scanner::new();
        let mut last_key: Option<&str> = None;
        for (line_no, offset, line) in Lines::new(text, start, text.len(), 1) {
            let kind = scanner.classify(line).map_err(|e| {
                let key = last_key.map(|k| option_key(k, k.len()).to_lowercase());
                format!("~/x:{line_no}: {}", e.message(key.as_deref()))
            })?;
            match kind {
                LineKind::Header(header, indent) => {
                    if let Some(prev) = out.last_mut() {
                        prev.3.end = offset;
                    }
                    if header != "DEFAULT"
                        && let Some(first) = seen.insert(header, line_no)
                    {
                        return Err(format!(
                            "~/x:{line_no}: duplicate section '{header}' (first defined at line {first})"
                        ));
                    }
                    let h_start = header.as_ptr() as usize - text.as_ptr() as usize;
                    let (kind, name) = classify_section(file_kind, header, h_start);
                    let name = match name {
                        Ok(Name::Header) => header.to_string(),
                        Ok(Name::Slice(s)) => text[s.range()].to_string(),
                        Ok(Name::Owned(_)) => unreachable!(),
                        Err(unquoted) => unquoted.to_string(),
                    };
                    let body_start = next_line_start(text.as_bytes(), offset + line.len());
                    out.push((
                        header.to_string(),
                        line_no,
                        indent,
                        body_start..text.len(),
                        kind,
                        name,
                    ));
                }
                LineKind::Option(t, d) => last_key = Some(&t[..d]),
                _ => {}
            }
        }
        Ok(out)
    }

    fn actual(text: &str, file_kind: FileKind) -> Result<Summary, String> {
        let f = ParsedFile::from_string(text.to_string(), "~/x".into(), file_kind)
            .map_err(|e| e.to_string())?;
        Ok(f.entries()
            .iter()
            .map(|e| {
                (
                    f.header(e).to_string(),
                    e.line as usize,
                    e.indent as usize,
                    e.body.range(),
                    e.kind,
                    f.name(e).to_string(),
                )
            })
            .collect())
    }

    #[test]
    fn fast_path_matches_reference() {
        const PIECES: &[&str] = &[
            "[", "]", "=", ":", " ", "\t", "\n", "\r", "\r\n", "#", ";", "é", "\u{a0}", "\u{b}",
            "\u{1c}", "\u{feff}", "\"", "profile ", "default", "k", "v", "x",
        ];
        const LINES: &[&str] = &[
            "key = value",
            "Key: value",
            "k=",
            "s3 =",
            "  nested = 1",
            "\tsub=2",
            "    continued text",
            "",
            "   ",
            "# comment = x",
            "  ; comment",
            "[profile p]",
            "[profile q]",
            "  [sso-session s]",
            "[default]",
            "[DEFAULT]",
            "[services \"a b\"]",
            "\u{a0}key = \u{a0}",
            "url = http://h:1/x=y",
        ];
        const ENDINGS: &[&str] = &["\n", "\n", "\n", "\r\n", "\r"];
        let mut seed: u64 = 0x1234_5678_9abc_def1;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut ok = 0;
        for round in 0..6000u32 {
            let mut text = String::new();
            if !round.is_multiple_of(4) {
                text.push_str("[profile start]\n");
            }
            let n = (next() % 40) as usize;
            for i in 0..n {
                let r = next();
                if r.is_multiple_of(25) {
                    // Noise, sometimes long, to cross 64-byte blocks anywhere.
                    let piece = PIECES[(r >> 8) as usize % PIECES.len()];
                    let times = if r.is_multiple_of(3) {
                        1 + (r >> 40) as usize % 90
                    } else {
                        1
                    };
                    for _ in 0..times {
                        text.push_str(piece);
                    }
                } else {
                    let line = LINES[(r >> 8) as usize % LINES.len()];
                    // Make headers unique most of the time.
                    if line.starts_with('[') && !r.is_multiple_of(7) {
                        text.push_str(&line.replace(']', &format!("{i}]")));
                    } else {
                        text.push_str(line);
                    }
                    if r.is_multiple_of(4) {
                        text.push_str(&"v".repeat((r >> 32) as usize % 100));
                    }
                    text.push_str(ENDINGS[(r >> 20) as usize % ENDINGS.len()]);
                }
            }
            for kind in [FileKind::Config, FileKind::Credentials] {
                let got = actual(&text, kind);
                if got.as_ref().is_ok_and(|s| s.len() > 2) {
                    ok += 1;
                }
                assert_eq!(got, reference(&text, kind), "text {text:?}");
            }
        }
        // Enough inputs were valid files with several sections to mean something.
        eprintln!("{ok} of 12000 inputs were valid with more than two sections");
        assert!(ok > 1000, "{ok}");
    }
}
