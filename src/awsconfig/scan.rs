//! The line rules of the two files, in one place: the indexing pass (`file.rs`), the
//! lazy section parser (`file.rs`) and the editor (`edit.rs`) all classify lines and
//! split header names with what is here, and nothing else.
//!
//! The rules reproduce Python's `configparser.RawConfigParser` (the parser under
//! botocore) line by line ([`Scanner::classify`]):
//!
//! * lines end at `\n`, `\r\n` or a lone `\r` (Python's universal newlines);
//! * a line whose stripped text starts with `#` or `;` is a comment, wherever it is
//!   indented, and changes no state; there are no inline comments;
//! * a non-blank line indented deeper than the line that opened the current option
//!   continues that option's value (this check comes before the section-header check,
//!   so an indented `[x]` after an option is a continuation);
//! * otherwise a line starting with `[` and containing a later `]` is a section header
//!   whose name is everything between the first `[` and the last `]`;
//! * otherwise the line is `key = value` or `key: value`, split at the first `=` or `:`;
//! * an option whose first value is empty and that has continuation lines is a nested
//!   block (botocore's `s3 =` form): every non-blank line of it needs an `=`.
//!
//! A header names a profile, an sso-session or a services section as botocore's
//! `build_profile_map` says ([`classify_section`]).
//!
//! For speed, [`Scanner::classify_plain`] answers for the two commonest lines (an
//! unindented `key = value`, an unindented `[header]`) from a glance at their bytes, and
//! [`Finder`] finds line ends and delimiters 64 bytes at a time; both give what
//! `classify` and [`Lines`] would (tests compare them on random input).
//!
//! Nothing here reads files or keeps any text.

use std::borrow::Cow;
use std::ops::Range;

/// Python's `str.isspace`: Rust's Unicode `White_Space` plus the four ASCII
/// information separators `\x1c`..`\x1f`.
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()`.
#[inline]
pub(crate) fn trim_py(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (None, _) => s,
        (Some(&f), Some(&l)) if (0x21..0x80).contains(&f) && (0x21..0x80).contains(&l) => s,
        _ => s.trim_matches(is_py_space),
    }
}

/// Characters at which Python's `str.splitlines()` breaks (used by botocore to split
/// a nested block into its lines).
pub(crate) fn is_splitlines_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{b}'
            | '\u{c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Number of leading whitespace characters (configparser compares indentation in
/// characters, so a tab counts as one).
#[inline]
fn indent_of(line: &str) -> usize {
    match line.as_bytes().first() {
        Some(&f) if (0x21..0x80).contains(&f) => 0,
        _ => line.chars().take_while(|&c| is_py_space(c)).count(),
    }
}

/// Iterator over `(line number, byte offset of the line start, line without its
/// terminator)`.
pub(crate) struct Lines<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
    line_no: usize,
}

impl<'a> Lines<'a> {
    /// Lines of `text[start..end]`; the first one is numbered `first_line`.
    pub(crate) fn new(text: &'a str, start: usize, end: usize, first_line: usize) -> Lines<'a> {
        Lines {
            text,
            pos: start,
            end,
            line_no: first_line,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.end {
            return None;
        }
        let start = self.pos;
        let bytes = &self.text.as_bytes()[start..self.end];
        let (line_end, next) = match memchr::arch::all::memchr::Two::new(b'\n', b'\r').find(bytes) {
            Some(i) => {
                let after = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                (start + i, start + after)
            }
            None => (self.end, self.end),
        };
        self.pos = next;
        let no = self.line_no;
        self.line_no += 1;
        // Both boundaries sit next to ASCII bytes, so they are char boundaries.
        Some((no, start, &self.text[start..line_end]))
    }
}

/// Finds line terminators (`\n`, `\r`) and option delimiters (`=`, `:`) ahead of a
/// position, and whether a line is ASCII, 64 bytes at a time: each 64-byte block is
/// turned into three bit masks once (SIMD), so walking a large file costs a few
/// instructions per line instead of a search call per line. The last block's masks are
/// cached (searches move forward).
pub(crate) struct Finder<'a> {
    bytes: &'a [u8],
    blocks: usize,
    block: usize,
    masks: Masks,
}

/// One bit per byte of a 64-byte block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Masks {
    /// `\n` or `\r`.
    nl: u64,
    /// `=` or `:`.
    delim: u64,
    /// Not ASCII.
    high: u64,
}

impl<'a> Finder<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Finder<'a> {
        Finder {
            bytes,
            blocks: bytes.len().div_ceil(64),
            block: usize::MAX,
            masks: Masks::default(),
        }
    }

    #[inline]
    fn masks(&mut self, b: usize) -> Masks {
        if b != self.block {
            let start = b * 64;
            self.masks = match self.bytes.get(start..start + 64) {
                Some(block) => masks64(block.try_into().unwrap_or(&[0; 64])),
                None => masks_scalar(self.bytes.get(start..).unwrap_or_default()),
            };
            self.block = b;
        }
        self.masks
    }

    /// The line starting at `pos`: where it ends (its terminator, or the end of the
    /// text), its first delimiter if any, and whether it is all ASCII.
    #[inline]
    pub(crate) fn line(&mut self, pos: usize) -> (usize, Option<usize>, bool) {
        let mut b = pos / 64;
        let mut keep = u64::MAX << (pos % 64);
        // Written without branches where it can be: which way they go depends on
        // where lines end, which no predictor guesses.
        let mut delim = usize::MAX;
        let mut high = 0;
        while b < self.blocks {
            let m = self.masks(b);
            let n = m.nl & keep;
            // Bits before the first terminator of this block (all if none).
            let before = n.wrapping_sub(1) & !n;
            let d = m.delim & keep & before;
            let first = if d == 0 {
                usize::MAX
            } else {
                b * 64 + d.trailing_zeros() as usize
            };
            delim = delim.min(first);
            high |= m.high & keep & before;
            if n != 0 {
                let end = b * 64 + n.trailing_zeros() as usize;
                return (end, (delim != usize::MAX).then_some(delim), high == 0);
            }
            b += 1;
            keep = u64::MAX;
        }
        let delim = (delim != usize::MAX).then_some(delim);
        (self.bytes.len(), delim, high == 0)
    }
}

/// Offset just past the line terminator at `pos` (which is the end of a line).
#[inline]
pub(crate) fn next_line_start(b: &[u8], pos: usize) -> usize {
    match b.get(pos) {
        Some(b'\r') if b.get(pos + 1) == Some(&b'\n') => pos + 2,
        Some(_) => pos + 1,
        None => pos,
    }
}

#[cold]
fn masks_scalar(bytes: &[u8]) -> Masks {
    let mut m = Masks::default();
    for (i, &b) in bytes.iter().take(64).enumerate() {
        m.nl |= u64::from(b == b'\n' || b == b'\r') << i;
        m.delim |= u64::from(b == b'=' || b == b':') << i;
        m.high |= u64::from(b >= 0x80) << i;
    }
    m
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn masks64(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut m = Masks::default();
    // SAFETY: SSE2 is part of the x86_64 baseline, so the intrinsics are available;
    // each unaligned 16-byte load at `i * 16` (i < 4) stays inside the 64-byte array.
    unsafe {
        let lf = _mm_set1_epi8(b'\n' as i8);
        let cr = _mm_set1_epi8(b'\r' as i8);
        let eq = _mm_set1_epi8(b'=' as i8);
        let colon = _mm_set1_epi8(b':' as i8);
        for i in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(i * 16).cast());
            let n = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
            let d = _mm_or_si128(_mm_cmpeq_epi8(v, eq), _mm_cmpeq_epi8(v, colon));
            m.nl |= u64::from(_mm_movemask_epi8(n) as u16) << (i * 16);
            m.delim |= u64::from(_mm_movemask_epi8(d) as u16) << (i * 16);
            m.high |= u64::from(_mm_movemask_epi8(v) as u16) << (i * 16);
        }
    }
    m
}

/// Low seven bits of each byte (SWAR).
const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// High bit of each byte of `w` equal to `c`.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn swar_eq(w: u64, c: u8) -> u64 {
    let x = w ^ (0x0101_0101_0101_0101 * u64::from(c));
    !(((x & LO7) + LO7) | x) & !LO7
}

/// One bit per byte from the high bits.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn swar_gather(hi: u64) -> u64 {
    ((hi >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// The eight-byte words of a block.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn swar_words(block: &[u8; 64]) -> impl Iterator<Item = (usize, u64)> + '_ {
    block.chunks_exact(8).enumerate().map(|(i, chunk)| {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        (i * 8, u64::from_le_bytes(word))
    })
}

/// Portable version: eight bytes at a time in a `u64`.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks64_swar(block: &[u8; 64]) -> Masks {
    let (eq, gather) = (swar_eq, swar_gather);
    let mut m = Masks::default();
    for (at, w) in swar_words(block) {
        m.nl |= gather(eq(w, b'\n') | eq(w, b'\r')) << at;
        m.delim |= gather(eq(w, b'=') | eq(w, b':')) << at;
        m.high |= gather(w & !LO7) << at;
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn masks64(block: &[u8; 64]) -> Masks {
    masks64_swar(block)
}

/// Where the spaces and tabs, and the shlex quoting characters (`"`, `'`, `\`), of
/// `text[start..start + len]` (a section header) are, one bit per byte; `None` when
/// `len` is over 64. Reads the 64 bytes from `start` when there are that many.
#[inline]
pub(crate) fn header_masks(text: &[u8], start: usize, len: usize) -> Option<(u64, u64)> {
    let all = match len {
        0 => 0,
        1..=64 => u64::MAX >> (64 - len),
        _ => return None,
    };
    let (space, quote) = match text.get(start..start + 64) {
        Some(block) => header_masks64(block.try_into().unwrap_or(&[0; 64])),
        None => {
            let mut block = [0u8; 64];
            block[..len].copy_from_slice(text.get(start..start + len)?);
            header_masks64(&block)
        }
    };
    Some((space & all, quote & all))
}

#[cfg(test)]
fn header_masks_scalar(block: &[u8; 64]) -> (u64, u64) {
    let (mut space, mut quote) = (0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        space |= u64::from(b == b' ' || b == b'\t') << i;
        quote |= u64::from(matches!(b, b'"' | b'\'' | b'\\')) << i;
    }
    (space, quote)
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn header_masks64(block: &[u8; 64]) -> (u64, u64) {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let (mut space, mut quote) = (0u64, 0u64);
    // SAFETY: as in `masks64`.
    unsafe {
        let sp = _mm_set1_epi8(b' ' as i8);
        let tab = _mm_set1_epi8(b'\t' as i8);
        let dq = _mm_set1_epi8(b'"' as i8);
        let sq = _mm_set1_epi8(b'\'' as i8);
        let bs = _mm_set1_epi8(b'\\' as i8);
        for i in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(i * 16).cast());
            let w = _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab));
            let q = _mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, sq));
            let q = _mm_or_si128(q, _mm_cmpeq_epi8(v, bs));
            space |= u64::from(_mm_movemask_epi8(w) as u16) << (i * 16);
            quote |= u64::from(_mm_movemask_epi8(q) as u16) << (i * 16);
        }
    }
    (space, quote)
}

/// Portable version of `header_masks64`, as `masks64_swar`.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn header_masks64_swar(block: &[u8; 64]) -> (u64, u64) {
    let (eq, gather) = (swar_eq, swar_gather);
    let (mut space, mut quote) = (0u64, 0u64);
    for (at, w) in swar_words(block) {
        space |= gather(eq(w, b' ') | eq(w, b'\t')) << at;
        quote |= gather(eq(w, b'"') | eq(w, b'\'') | eq(w, b'\\')) << at;
    }
    (space, quote)
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn header_masks64(block: &[u8; 64]) -> (u64, u64) {
    header_masks64_swar(block)
}

/// Whether a line starting with byte `b` (unindented, not a comment, header or
/// delimiter) is an option line for sure when it has a delimiter.
#[inline]
fn is_plain_start(b: u8) -> bool {
    (0x21..0x80).contains(&b) && !matches!(b, b'#' | b';' | b'[' | b'=' | b':')
}

/// Number of line breaks in `bytes` (`\r\n` counts once).
pub(crate) fn count_breaks(bytes: &[u8]) -> usize {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| !(bytes[i] == b'\n' && i > 0 && bytes[i - 1] == b'\r'))
        .count()
}

/// What one line is, given the state before it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineKind<'a> {
    /// Empty after stripping: extends the current option's value with an empty line.
    Blank,
    Comment,
    /// Stripped text of a line continuing the current option.
    Continuation(&'a str),
    /// The text between `[` and the last `]`, and the line's indentation.
    Header(&'a str, usize),
    /// A `key = value` line: its stripped text and the byte offset of the first `=`
    /// or `:` (see [`option_key`] and [`option_value`]).
    Option(&'a str, usize),
}

/// What [`Scanner::classify_plain`] recognised.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Plain {
    /// A [`LineKind::Option`] line, and whether its value is empty (the option may
    /// open a nested block).
    Option { value_empty: bool },
    /// A [`LineKind::Header`] line: the header is the line without its first and last
    /// byte, and it is not indented.
    Header,
}

/// Whether an ASCII option value (the text after the delimiter) is empty once
/// stripped.
#[cold]
fn is_empty_value(value: &[u8]) -> bool {
    match value.iter().find(|&&b| b != b' ' && b != b'\t') {
        None => true,
        Some(&b) if (0x21..0x80).contains(&b) => false,
        Some(_) => trim_py(std::str::from_utf8(value).unwrap_or_default()).is_empty(),
    }
}

/// The key of a [`LineKind::Option`] line (right-trimmed, not lowercased).
pub(crate) fn option_key(text: &str, delim: usize) -> &str {
    text[..delim].trim_end_matches(is_py_space)
}

/// The stripped first value of a [`LineKind::Option`] line.
pub(crate) fn option_value(text: &str, delim: usize) -> &str {
    trim_py(&text[delim + 1..])
}

/// A line the AWS CLI rejects.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineError<'a> {
    /// A line other than a header or comment before the first section header; carries
    /// the key when the line has one (never the value).
    BeforeSection(Option<&'a str>),
    /// `[` without a closing `]` and no delimiter.
    Unclosed,
    /// No `=` or `:` on an option line.
    NoDelimiter,
    /// `= value` with nothing before the delimiter.
    EmptyKey,
    /// A line of a nested block without `=`; carries the block's key.
    NestedNoEquals,
}

impl LineError<'_> {
    pub(crate) fn message(&self, nested_key: Option<&str>) -> String {
        match self {
            LineError::BeforeSection(Some(key)) => {
                format!("key '{}' is outside any [section]", key.to_lowercase())
            }
            LineError::BeforeSection(None) => "line is outside any [section]".to_string(),
            LineError::Unclosed => "section header is missing its closing ']'".to_string(),
            LineError::NoDelimiter => {
                "line is neither '[section]' nor 'key = value' (no '=' or ':')".to_string()
            }
            LineError::EmptyKey => "line has no key before its '=' or ':'".to_string(),
            LineError::NestedNoEquals => match nested_key {
                Some(k) => format!("line in the nested block of key '{k}' has no '='"),
                None => "line in a nested block has no '='".to_string(),
            },
        }
    }
}

/// configparser's per-file state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scanner {
    /// Indentation of the last header or option line.
    indent_level: usize,
    /// A section header has been seen.
    in_section: bool,
    /// The last header-or-option line was an option (continuations attach to it).
    in_option: bool,
    /// That option's first value was empty: continuations make it a nested block.
    nested: bool,
}

impl Scanner {
    /// State at the start of a file.
    pub(crate) fn new() -> Scanner {
        Scanner {
            indent_level: 0,
            in_section: false,
            in_option: false,
            nested: false,
        }
    }

    /// State right after a section header indented by `indent`.
    pub(crate) fn after_header(indent: usize) -> Scanner {
        Scanner {
            indent_level: indent,
            in_section: true,
            in_option: false,
            nested: false,
        }
    }

    /// The indexing pass's shortcut for the two commonest lines, for the ASCII line
    /// `text[line]` (not empty) and its first delimiter `delim` (an offset in `text`),
    /// from a glance at its bytes: an unindented `key = value` inside a section, and
    /// an unindented header ending the line. Gives the answer and makes the state
    /// change `classify` would; `None` (and no change) for every other line, which
    /// then goes through `classify`.
    #[inline(always)]
    pub(crate) fn classify_plain(
        &mut self,
        text: &[u8],
        line: Range<usize>,
        delim: Option<usize>,
    ) -> Option<Plain> {
        let first = text[line.start];
        if let Some(delim) = delim
            && self.in_section
            && is_plain_start(first)
        {
            let value_empty = match &text[delim + 1..line.end] {
                // The usual `key = value` and `key=value`, in a glance.
                [b' ', v, ..] | [v, ..] if (0x21..0x80).contains(v) => false,
                value => is_empty_value(value),
            };
            self.indent_level = 0;
            self.in_option = true;
            self.nested = value_empty;
            return Some(Plain::Option { value_empty });
        }
        if first == b'[' && line.end - line.start >= 3 && text[line.end - 1] == b']' {
            self.indent_level = 0;
            self.in_section = true;
            self.in_option = false;
            return Some(Plain::Header);
        }
        None
    }

    /// Whether a blank line now would extend an option's value.
    pub(crate) fn in_option(&self) -> bool {
        self.in_option
    }

    pub(crate) fn classify<'a>(&mut self, line: &'a str) -> Result<LineKind<'a>, LineError<'a>> {
        let text = trim_py(line);
        let Some(&first) = text.as_bytes().first() else {
            return Ok(LineKind::Blank);
        };
        if first == b'#' || first == b';' {
            return Ok(LineKind::Comment);
        }
        let indent = indent_of(line);
        if self.in_option && indent > self.indent_level {
            if self.nested && !nested_line_ok(text) {
                return Err(LineError::NestedNoEquals);
            }
            return Ok(LineKind::Continuation(text));
        }
        self.indent_level = indent;
        if let Some(header) = header_text(text) {
            self.in_section = true;
            self.in_option = false;
            return Ok(LineKind::Header(header, indent));
        }
        let delim = memchr::memchr2(b'=', b':', text.as_bytes());
        if !self.in_section {
            let key = delim.map(|d| trim_py(&text[..d])).filter(|k| !k.is_empty());
            return Err(LineError::BeforeSection(key));
        }
        let Some(d) = delim else {
            return Err(if first == b'[' {
                LineError::Unclosed
            } else {
                LineError::NoDelimiter
            });
        };
        if d == 0 {
            return Err(LineError::EmptyKey);
        }
        self.in_option = true;
        // `text` ends with a non-space character, so the value is empty exactly when
        // the delimiter is the last byte.
        self.nested = d + 1 == text.len();
        Ok(LineKind::Option(text, d))
    }
}

/// A continuation line of a nested block: each of its `splitlines()` pieces that is
/// not blank must contain `=`.
fn nested_line_ok(text: &str) -> bool {
    if text.bytes().all(|b| (0x20..0x80).contains(&b)) {
        return text.contains('=');
    }
    text.split(is_splitlines_break)
        .all(|piece| trim_py(piece).is_empty() || piece.contains('='))
}

/// Split one stripped nested-block line into `(key, value)` pairs (usually one).
pub(crate) fn nested_pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split(is_splitlines_break).filter_map(|piece| {
        let piece = trim_py(piece);
        if piece.is_empty() {
            return None;
        }
        let (k, v) = piece.split_once('=')?;
        Some((trim_py(k), trim_py(v)))
    })
}

/// The header of a stripped line that is one: the text between a leading `[` and the
/// last `]`, when that is not empty.
fn header_text(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// What a header line holds, as `Scanner::classify` finds it: where the text between
/// `[` and the last `]` of the stripped line is, and the line's indentation.
pub(crate) fn header_of_line(line: &str) -> Option<(Range<usize>, usize)> {
    let header = header_text(trim_py(line))?;
    let start = header.as_ptr() as usize - line.as_ptr() as usize;
    let indent = line.len() - line.trim_start_matches(is_py_space).len();
    Some((start..start + header.len(), line[..indent].chars().count()))
}

/// How section names map to profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
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

/// botocore's `build_profile_map` for one section header (UTF-8): a name starting
/// with `profile`, `sso-session` or `services` is shlex-split and kept only when it is
/// exactly two words; `default` is a profile; `DEFAULT` is configparser's defaults.
/// The header is `text[range]`. Returns the kind and the name: part of the header, or
/// (`[profile "a b"]`) unquoted.
pub(crate) fn classify_section(
    file_kind: FileKind,
    text: &[u8],
    range: Range<usize>,
) -> (Kind, Cow<'_, [u8]>) {
    let header = &text[range.clone()];
    if header == b"DEFAULT" {
        return (Kind::Defaults, Cow::Borrowed(header));
    }
    if file_kind == FileKind::Credentials {
        return (Kind::Profile, Cow::Borrowed(header));
    }
    let kind = if header.starts_with(b"profile") {
        Kind::Profile
    } else if header.starts_with(b"sso-session") {
        Kind::SsoSession
    } else if header.starts_with(b"services") {
        Kind::Services
    } else if header == b"default" {
        return (Kind::Profile, Cow::Borrowed(header));
    } else {
        return (Kind::Other, Cow::Borrowed(header));
    };
    if let Some((space, quote)) = header_masks(text, range.start, header.len())
        && quote == 0
    {
        // The usual case, without the iterators below: words from the masks.
        let all = u64::MAX >> (64 - header.len()); // a header is never empty
        let word = !space & all;
        let starts = word & !(word << 1);
        let rest = starts & starts.wrapping_sub(1);
        if rest == 0 || rest & (rest - 1) != 0 {
            return (Kind::Ignored, Cow::Borrowed(header)); // not two words
        }
        let second = rest.trailing_zeros();
        let after = space & (u64::MAX << second);
        let end = if after == 0 {
            header.len()
        } else {
            after.trailing_zeros() as usize
        };
        return (kind, Cow::Borrowed(&header[second as usize..end]));
    }
    split_name(kind, header)
}

/// [`classify_section`] for a header over 64 bytes or with quotes: the name, if the
/// header is two words.
#[cold]
fn split_name(kind: Kind, header: &[u8]) -> (Kind, Cow<'_, [u8]>) {
    if !header.iter().any(|&b| matches!(b, b'"' | b'\'' | b'\\')) {
        let mut words = header
            .split(|&b| b == b' ' || b == b'\t')
            .filter(|w| !w.is_empty());
        return match (words.next(), words.next(), words.next()) {
            (Some(_), Some(name), None) => (kind, Cow::Borrowed(name)),
            _ => (Kind::Ignored, Cow::Borrowed(header)),
        };
    }
    let words = std::str::from_utf8(header).ok().and_then(shlex_split);
    match words.as_deref() {
        // An empty quoted name (`[profile ""]`) is dropped (deliberately; botocore
        // keeps a profile named "").
        Some([_, name]) if !name.is_empty() => (kind, Cow::Owned(name.as_bytes().to_vec())),
        _ => (Kind::Ignored, Cow::Borrowed(header)),
    }
}

/// Python's `shlex.split(s)` (POSIX mode, no comments), which botocore uses to split
/// `profile NAME` headers. `None` where shlex raises (unclosed quote, trailing
/// backslash).
pub(crate) fn shlex_split(s: &str) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        Space,
        Word,
        Quote(char),
        Escape(char),
    }
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let mut out = Vec::new();
    let mut token = String::new();
    let mut quoted = false;
    let mut st = St::Space;
    for c in s.chars() {
        match st {
            St::Space | St::Word => {
                if is_ws(c) {
                    if st == St::Word && (!token.is_empty() || quoted) {
                        out.push(std::mem::take(&mut token));
                    }
                    quoted = false;
                    st = St::Space;
                } else if c == '\\' {
                    st = St::Escape('a');
                } else if c == '\'' || c == '"' {
                    st = St::Quote(c);
                } else {
                    token.push(c);
                    st = St::Word;
                }
            }
            St::Quote(q) => {
                quoted = true;
                if c == q {
                    st = St::Word;
                } else if c == '\\' && q == '"' {
                    st = St::Escape('"');
                } else {
                    token.push(c);
                }
            }
            St::Escape(back) => {
                if back == '"' && c != '"' && c != '\\' {
                    token.push('\\');
                }
                token.push(c);
                st = if back == 'a' {
                    St::Word
                } else {
                    St::Quote(back)
                };
            }
        }
    }
    match st {
        St::Quote(_) | St::Escape(_) => None,
        St::Word if !token.is_empty() || quoted => {
            out.push(token);
            Some(out)
        }
        _ => Some(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<(usize, usize, &str)> {
        Lines::new(s, 0, s.len(), 1).collect()
    }

    #[test]
    fn line_endings() {
        assert_eq!(lines(""), vec![]);
        assert_eq!(lines("a"), vec![(1, 0, "a")]);
        assert_eq!(lines("a\n"), vec![(1, 0, "a")]);
        assert_eq!(lines("a\r\nb"), vec![(1, 0, "a"), (2, 3, "b")]);
        assert_eq!(
            lines("a\rb\n\nc"),
            vec![(1, 0, "a"), (2, 2, "b"), (3, 4, ""), (4, 5, "c")]
        );
        assert_eq!(lines("a\n\r\n"), vec![(1, 0, "a"), (2, 2, "")]);
        assert_eq!(lines("a\r\r\n"), vec![(1, 0, "a"), (2, 2, "")]);
    }

    #[test]
    fn block_masks_agree() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let alphabet = b"ab =:\n\r\t[]#\xc3\xa9";
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for b in &mut block {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *b = if seed.is_multiple_of(11) {
                    (seed >> 32) as u8
                } else {
                    alphabet[(seed >> 20) as usize % alphabet.len()]
                };
            }
            let want = masks_scalar(&block);
            assert_eq!(masks64(&block), want);
            assert_eq!(masks64_swar(&block), want);
        }
    }

    #[test]
    fn header_masks_agree() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let alphabet = b"ab \t\"'\\[]\xc3\xa9";
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for b in &mut block {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *b = alphabet[(seed >> 20) as usize % alphabet.len()];
            }
            let want = header_masks_scalar(&block);
            assert_eq!(header_masks64(&block), want);
            assert_eq!(header_masks64_swar(&block), want);
        }
        assert_eq!(header_masks(b"a b\t\"", 0, 5), Some((0b1010, 0b1_0000)));
        assert_eq!(header_masks(b"[a b\t\"]", 1, 5), Some((0b1010, 0b1_0000)));
        let long = [b' '; 100];
        assert_eq!(header_masks(&long, 1, 3), Some((0b111, 0)));
        assert_eq!(header_masks(&long, 1, 64), Some((u64::MAX, 0)));
        assert_eq!(header_masks(&long, 1, 65), None);
    }

    #[test]
    fn finder_finds_lines() {
        let mut text = "x".repeat(200);
        text.replace_range(10..11, ":");
        text.replace_range(70..71, "=");
        text.replace_range(130..131, "\n");
        text.replace_range(150..151, "\r");
        text.replace_range(199..200, ":");
        text.replace_range(140..142, "é");
        let mut f = Finder::new(text.as_bytes());
        assert_eq!(f.line(0), (130, Some(10), true));
        assert_eq!(f.line(11), (130, Some(70), true));
        assert_eq!(f.line(71), (130, None, true));
        assert_eq!(f.line(131), (150, None, false));
        assert_eq!(f.line(151), (200, Some(199), true));
        assert_eq!(f.line(200), (200, None, true));
        assert_eq!(Finder::new(b"").line(0), (0, None, true));
        assert_eq!(Finder::new(b"a=\n").line(0), (2, Some(1), true));
        assert_eq!(Finder::new(b"\xff\n").line(0), (1, None, false));
        assert_eq!(Finder::new(b"\xff\na").line(2), (3, None, true));
    }

    #[test]
    fn trimming_matches_python() {
        assert_eq!(trim_py("  a b \t"), "a b");
        assert_eq!(trim_py("\u{1c}a\u{a0}"), "a");
        assert_eq!(trim_py("\u{3000}é\u{2028}"), "é");
        assert_eq!(trim_py("\u{feff}a"), "\u{feff}a");
        assert_eq!(trim_py(""), "");
        assert_eq!(trim_py(" \t "), "");
    }

    /// `LineKind` with options as (key, value).
    #[derive(Debug, PartialEq)]
    enum Line<'a> {
        Blank,
        Comment,
        Continuation(&'a str),
        Header(&'a str, usize),
        Option(&'a str, &'a str),
    }

    struct S(Scanner);

    impl S {
        fn classify<'a>(&mut self, line: &'a str) -> Result<Line<'a>, LineError<'a>> {
            self.0.classify(line).map(|k| match k {
                LineKind::Blank => Line::Blank,
                LineKind::Comment => Line::Comment,
                LineKind::Continuation(t) => Line::Continuation(t),
                LineKind::Header(h, i) => Line::Header(h, i),
                LineKind::Option(t, d) => Line::Option(option_key(t, d), option_value(t, d)),
            })
        }
    }

    #[test]
    fn classify_table() {
        use Line as K;
        use LineError as E;
        // Each line is classified in the state the previous ones left.
        let mut s = S(Scanner::new());
        assert_eq!(s.classify("# c"), Ok(K::Comment));
        assert_eq!(s.classify(""), Ok(K::Blank));
        assert_eq!(s.classify("k = v"), Err(E::BeforeSection(Some("k"))));
        assert_eq!(s.classify("secret"), Err(E::BeforeSection(None)));
        assert_eq!(
            s.classify("[a] trailing ] x"),
            Ok(K::Header("a] trailing ", 0))
        );
        assert_eq!(s.classify("[]"), Err(E::Unclosed));
        assert_eq!(s.classify("[]]"), Ok(K::Header("]", 0)));
        assert_eq!(s.classify("[open"), Err(E::Unclosed));
        assert_eq!(s.classify("[open = x"), Ok(K::Option("[open", "x")));
        assert_eq!(s.classify("k:v=w"), Ok(K::Option("k", "v=w")));
        assert_eq!(
            s.classify("url = http://x:1"),
            Ok(K::Option("url", "http://x:1"))
        );
        assert_eq!(s.classify("  more"), Ok(K::Continuation("more")));
        assert_eq!(s.classify("  [x]"), Ok(K::Continuation("[x]")));
        assert_eq!(s.classify("  ; indented comment"), Ok(K::Comment));
        assert_eq!(s.classify("= v"), Err(E::EmptyKey));
        assert_eq!(s.classify(": v"), Err(E::EmptyKey));
        assert_eq!(s.classify("novalue"), Err(E::NoDelimiter));
        // Deeper than the last option: a continuation, even with a delimiter.
        assert_eq!(s.classify("\tk\t=\tv\t"), Ok(K::Continuation("k\t=\tv")));
        assert_eq!(s.classify("[t]"), Ok(K::Header("t", 0)));
        assert_eq!(s.classify("\tk\t=\tv\t"), Ok(K::Option("k", "v")));
        // Same indentation as the option line: not a continuation.
        assert_eq!(s.classify("\tj = w"), Ok(K::Option("j", "w")));
        assert_eq!(s.classify("\t\tmore"), Ok(K::Continuation("more")));
        assert_eq!(s.classify("s3 ="), Ok(K::Option("s3", "")));
        assert_eq!(s.classify("  a = 1"), Ok(K::Continuation("a = 1")));
        assert_eq!(s.classify("  broken"), Err(E::NestedNoEquals));
        assert_eq!(s.classify("  a: 1"), Err(E::NestedNoEquals));
        assert_eq!(s.classify("  a = 1\u{2028}b"), Err(E::NestedNoEquals));
        assert_eq!(
            s.classify("  a = 1\u{2028}b=2"),
            Ok(K::Continuation("a = 1\u{2028}b=2"))
        );
        assert_eq!(s.classify("  [h]"), Err(E::NestedNoEquals));
        assert_eq!(s.classify("[h]"), Ok(K::Header("h", 0)));
        assert_eq!(s.classify("  k = v"), Ok(K::Option("k", "v")));
        assert_eq!(s.classify("\u{feff}[h]"), Err(E::NoDelimiter));
    }

    #[test]
    fn nested_pairs_split() {
        let v: Vec<_> = nested_pairs("a = b = c").collect();
        assert_eq!(v, vec![("a", "b = c")]);
        let v: Vec<_> = nested_pairs("a=1\u{b}b =2").collect();
        assert_eq!(v, vec![("a", "1"), ("b", "2")]);
    }

    #[test]
    fn shlex_table() {
        let s = |x: &str| shlex_split(x);
        let v = |x: &[&str]| Some(x.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(s("profile dev"), v(&["profile", "dev"]));
        assert_eq!(s("  profile \t dev  "), v(&["profile", "dev"]));
        assert_eq!(s("profile"), v(&["profile"]));
        assert_eq!(s(""), v(&[]));
        assert_eq!(s("profile \"my dev\""), v(&["profile", "my dev"]));
        assert_eq!(s("profile 'a\\b'"), v(&["profile", "a\\b"]));
        assert_eq!(s("profile \"a\\\"b\\x\""), v(&["profile", "a\"b\\x"]));
        assert_eq!(s("profile a\\ b"), v(&["profile", "a b"]));
        assert_eq!(s("profile \"\""), v(&["profile", ""]));
        assert_eq!(s("profile x\"y z\"w"), v(&["profile", "xy zw"]));
        assert_eq!(s("profile \"open"), None);
        assert_eq!(s("profile x\\"), None);
        assert_eq!(s("profile\u{a0}dev"), v(&["profile\u{a0}dev"]));
    }

    #[test]
    fn classify_plain_is_classify() {
        // Random ASCII lines in random states: wherever the shortcut answers, it gives
        // `classify`'s answer and leaves the same state.
        const PIECES: &[&str] = &[
            "k", "v", "[", "]", "=", ":", " ", "\t", "#", ";", "\u{b}", "\u{1c}", "\u{7f}", "x",
        ];
        let mut seed: u64 = 0x0bad_5eed_1234_5678;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut options, mut headers) = (0, 0);
        let mut scanner = Scanner::new();
        for _ in 0..100_000 {
            let len = 1 + (next() % 8) as usize;
            let line: String = (0..len)
                .map(|_| PIECES[(next() >> 16) as usize % PIECES.len()])
                .collect();
            if next().is_multiple_of(50) {
                scanner = Scanner::new();
            }
            let delim = line.find(['=', ':']);
            let mut fast = scanner.clone();
            let mut slow = scanner.clone();
            let got = fast.classify_plain(line.as_bytes(), 0..len, delim);
            let want = slow.classify(&line);
            match got {
                None => assert_eq!(fast, scanner, "{line:?}"),
                Some(Plain::Option { value_empty }) => {
                    let d = delim.unwrap();
                    assert_eq!(want, Ok(LineKind::Option(trim_py(&line), d)), "{line:?}");
                    assert_eq!(value_empty, option_value(&line, d).is_empty(), "{line:?}");
                    assert_eq!(fast, slow, "{line:?}");
                    options += 1;
                }
                Some(Plain::Header) => {
                    assert_eq!(want, Ok(LineKind::Header(&line[1..len - 1], 0)), "{line:?}");
                    assert_eq!(fast, slow, "{line:?}");
                    headers += 1;
                }
            }
            scanner = slow;
        }
        assert!(options > 1000 && headers > 100, "{options} {headers}");
    }
}
