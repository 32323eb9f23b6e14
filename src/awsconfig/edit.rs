//! Layout-keeping edits of `~/.aws/config` and `~/.aws/credentials`: set or remove one
//! key of one profile, and insert, replace or remove whole profile sections, many in
//! one pass. Every byte the edit is not about is kept: comments, order, spacing, the
//! file's line ending (`\r\n` when the file uses it), a byte order mark.
//!
//! The text is read with the reader's own line rules (`scan.rs`: [`Scanner::classify`]
//! and the header-name splitting of [`classify_section`]), so an edit finds exactly the
//! section the reader would use for a profile: the last one naming it, `[default]` or
//! `[profile default]` alike, quoted names unquoted, an indented `[x]` inside a value
//! not taken for a header. A file the reader rejects is still edited: a line it rejects
//! is left as it is and ends no section.
//!
//! Pure text in, text out: this module does not read or write files, and never puts a
//! value in an error message (values may be secrets).

use std::collections::HashMap;
use std::ops::Range;

use super::scan::{
    FileKind, Kind, LineError, LineKind, Lines, Scanner, classify_section, next_line_start,
    option_key, option_value, trim_py,
};

/// A profile section or key that cannot be written so that the reader reads it back
/// as given.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    #[error("profile name {name:?} cannot be written as a section header")]
    Name { name: String },
    #[error("key {key:?} of profile {profile:?} cannot be written as a 'key = value' line")]
    Key { profile: String, key: String },
    #[error("the value of key {key:?} of profile {profile:?} cannot be written on one line")]
    Value { profile: String, key: String },
}

/// One whole-section write, for [`apply_section_edits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionEdit {
    /// Make the profile's section hold exactly these `key = value` lines, in this
    /// order. An existing section keeps its header line (and the comments and blank
    /// lines after its last key); other sections naming the same profile are removed.
    /// A new section goes at the end of the file, after a blank line.
    Put {
        profile: String,
        keys: Vec<(String, String)>,
    },
    /// Remove every section naming the profile, with the blank lines that follow it.
    Remove { profile: String },
}

impl SectionEdit {
    fn profile(&self) -> &str {
        match self {
            SectionEdit::Put { profile, .. } | SectionEdit::Remove { profile } => profile,
        }
    }
}

/// Sets `key = value` in `profile`'s section (replacing any earlier value in place),
/// creating the section at the end when there is none.
pub fn set_key(text: &str, kind: FileKind, profile: &str, key: &str, value: &str) -> String {
    let doc = Doc::parse(text, kind);
    let line = format!("{key} = {value}{}", doc.eol);
    let Some(part) = doc.last_named(profile) else {
        let mut out = text.trim_end().to_owned();
        if !out.is_empty() {
            out.push_str(doc.eol);
            out.push_str(doc.eol);
        }
        let header = match kind {
            FileKind::Config if profile == "default" => "[default]".to_owned(),
            FileKind::Config => format!("[profile {profile}]"),
            FileKind::Credentials => format!("[{profile}]"),
        };
        out.push_str(&header);
        out.push_str(doc.eol);
        out.push_str(&line);
        return out;
    };
    let mut found = part.keys.iter().filter(|k| k.key == key);
    let mut splices = Vec::new();
    match found.next() {
        Some(first) => {
            splices.push((first.span.clone(), doc.line_start(first.span.start, line)));
            splices.extend(found.map(|k| (k.span.clone(), String::new())));
        }
        // After the section's last line that is not blank.
        None => splices.push((part.filled..part.filled, doc.line_start(part.filled, line))),
    }
    splice(text, splices)
}

/// Removes `key` from `profile`'s section when `matches` accepts its (first) value;
/// returns the new text, or `None` when nothing was removed.
pub fn remove_key(
    text: &str,
    kind: FileKind,
    profile: &str,
    key: &str,
    matches: impl Fn(&str) -> bool,
) -> Option<String> {
    let doc = Doc::parse(text, kind);
    let part = doc.last_named(profile)?;
    let first = part.keys.iter().find(|k| k.key == key)?;
    if !matches(&text[first.value.clone()]) {
        return None;
    }
    let splices = part
        .keys
        .iter()
        .filter(|k| k.key == key)
        .map(|k| (k.span.clone(), String::new()))
        .collect();
    Some(splice(text, splices))
}

/// Applies many whole-section writes in one pass over the text (the cost grows with
/// the text plus the edits, not their product). When several edits name one profile,
/// the last one counts. Nothing is changed unless every section can be written.
pub fn apply_section_edits(
    text: &str,
    kind: FileKind,
    edits: &[SectionEdit],
) -> Result<String, EditError> {
    let doc = Doc::parse(text, kind);
    let eol = doc.eol;
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(edits.len());
    for (i, edit) in edits.iter().enumerate() {
        last.insert(edit.profile(), i);
    }
    let mut sections: HashMap<&str, Vec<&Part>> = HashMap::with_capacity(last.len());
    for part in &doc.parts {
        if part.kind == Kind::Profile && last.contains_key(part.name.as_str()) {
            sections.entry(part.name.as_str()).or_default().push(part);
        }
    }
    let mut splices: Vec<(Range<usize>, String)> = Vec::new();
    let mut appended = Vec::new();
    // Whether a removed section ran to the end of the text.
    let mut removed_last = false;
    for (i, edit) in edits.iter().enumerate() {
        if last.get(edit.profile()) != Some(&i) {
            continue;
        }
        let found = sections.get(edit.profile()).map_or(&[][..], Vec::as_slice);
        match edit {
            SectionEdit::Remove { .. } => {
                for part in found {
                    let gone = doc.removal(part);
                    removed_last |= gone.end == text.len();
                    splices.push((gone, String::new()));
                }
            }
            SectionEdit::Put { profile, keys } => {
                let body = key_lines(profile, keys, eol)?;
                match found.split_last() {
                    Some((last, earlier)) => {
                        // Earlier sections all end before the last one starts.
                        splices.extend(earlier.iter().map(|p| (doc.removal(p), String::new())));
                        let body = doc.line_start(last.body, body);
                        splices.push((last.body..last.keys_end, body));
                    }
                    None => appended.push((header_line(kind, profile)?, body)),
                }
            }
        }
    }
    let mut out = splice(text, splices);
    if removed_last {
        // A removed last section leaves no blank lines at the end.
        let kept = out.trim_end_matches(['\n', '\r', ' ', '\t']).len();
        if kept < out.len() {
            out.truncate(kept);
            if kept > 0 {
                out.push_str(eol);
            }
        }
    }
    for (header, body) in appended {
        if !out.is_empty() && !out.ends_with(['\n', '\r']) {
            out.push_str(eol);
        }
        if !out.trim_end_matches(['\n', '\r']).is_empty() && !ends_with_blank_line(&out) {
            out.push_str(eol);
        }
        out.push_str(&header);
        out.push_str(eol);
        out.push_str(&body);
    }
    Ok(out)
}

/// Whether `text` (ending with a line break) ends with a blank line.
fn ends_with_blank_line(text: &str) -> bool {
    let body = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix(['\n', '\r']))
        .unwrap_or(text);
    let last = body.rfind(['\n', '\r']).map_or(body, |i| &body[i + 1..]);
    trim_py(last).is_empty()
}

/// `[profile NAME]` (`[default]`, `[NAME]` in the credentials file), quoting the name
/// when it is not one plain word, checked to read back as the profile `name`.
fn header_line(kind: FileKind, name: &str) -> Result<String, EditError> {
    let plain = !name.is_empty()
        && !name.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\'));
    let line = match kind {
        FileKind::Credentials => format!("[{name}]"),
        FileKind::Config if name == "default" => "[default]".to_owned(),
        FileKind::Config if plain => format!("[profile {name}]"),
        FileKind::Config => {
            let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
            format!("[profile \"{quoted}\"]")
        }
    };
    let reads_back = !line.contains(['\n', '\r'])
        && match Scanner::new().classify(&line) {
            Ok(LineKind::Header(h, _)) => {
                let (k, n) = classify_section(kind, h.as_bytes(), 0..h.len());
                k == Kind::Profile && *n == *name.as_bytes()
            }
            _ => false,
        };
    if reads_back {
        Ok(line)
    } else {
        Err(EditError::Name {
            name: name.to_owned(),
        })
    }
}

/// The `key = value` lines of a section, each checked to read back as given.
fn key_lines(profile: &str, keys: &[(String, String)], eol: &str) -> Result<String, EditError> {
    let mut out = String::new();
    for (key, value) in keys {
        let line = if value.is_empty() {
            format!("{key} =")
        } else {
            format!("{key} = {value}")
        };
        let fits = || {
            if line.contains(['\n', '\r']) {
                return (false, false);
            }
            match Scanner::after_header(0).classify(&line) {
                Ok(LineKind::Option(t, d)) => {
                    (option_key(t, d) == key, option_value(t, d) == value)
                }
                _ => (false, false),
            }
        };
        match fits() {
            (true, true) => {}
            (true, false) => {
                return Err(EditError::Value {
                    profile: profile.to_owned(),
                    key: key.clone(),
                });
            }
            _ if !key.contains(['\n', '\r']) && value.contains(['\n', '\r']) => {
                return Err(EditError::Value {
                    profile: profile.to_owned(),
                    key: key.clone(),
                });
            }
            _ => {
                return Err(EditError::Key {
                    profile: profile.to_owned(),
                    key: key.clone(),
                });
            }
        }
        out.push_str(&line);
        out.push_str(eol);
    }
    Ok(out)
}

/// `text` with each range replaced; the ranges do not overlap (any order).
fn splice(text: &str, mut splices: Vec<(Range<usize>, String)>) -> String {
    splices.sort_by_key(|(r, _)| (r.start, r.end));
    let grow: usize = splices.iter().map(|(_, s)| s.len()).sum();
    let mut out = String::with_capacity(text.len() + grow);
    let mut at = 0;
    for (range, with) in splices {
        out.push_str(&text[at..range.start]);
        out.push_str(&with);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// One `key = value` line of a section (with its continuation lines).
#[derive(Debug)]
struct KeyLine {
    /// Lowercased.
    key: String,
    /// From the start of the key's line to past the end of its last continuation line.
    span: Range<usize>,
    /// The stripped first value.
    value: Range<usize>,
}

/// A section as the reader sees it; offsets into the text.
#[derive(Debug)]
struct Part {
    kind: Kind,
    /// The name a profile/sso-session/services section goes by; the header for others.
    name: String,
    /// The text between `[` and the last `]`.
    #[cfg_attr(not(test), allow(dead_code))]
    header: Range<usize>,
    /// 1-based line of the header.
    #[cfg_attr(not(test), allow(dead_code))]
    line: usize,
    /// Indentation of the header line.
    #[cfg_attr(not(test), allow(dead_code))]
    indent: usize,
    /// Start of the header line.
    start: usize,
    /// Start of the line after the header.
    body: usize,
    /// Past the last key or continuation line (or rejected line); `body` if none.
    keys_end: usize,
    /// Past the last line that is not blank (comments included).
    filled: usize,
    /// Start of the next section's header line, or the end of the text.
    end: usize,
    keys: Vec<KeyLine>,
}

/// The text's sections.
struct Doc<'t> {
    text: &'t str,
    eol: &'static str,
    parts: Vec<Part>,
    /// Line of the first line the reader rejects.
    #[cfg_attr(not(test), allow(dead_code))]
    first_error: Option<usize>,
}

impl<'t> Doc<'t> {
    fn parse(text: &'t str, file_kind: FileKind) -> Doc<'t> {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut scanner = Scanner::new();
        let mut parts: Vec<Part> = Vec::new();
        let mut first_error = None;
        for (line_no, offset, line) in Lines::new(text, start, text.len(), 1) {
            let next = next_line_start(text.as_bytes(), offset + line.len());
            let kind = scanner.classify(line);
            if let Err(e) = &kind {
                first_error.get_or_insert(line_no);
                if !matches!(e, LineError::NestedNoEquals) && parts.is_empty() {
                    continue;
                }
            }
            let Some(part) = parts.last_mut() else {
                if let Ok(LineKind::Header(h, indent)) = kind {
                    parts.push(Part::new(text, file_kind, h, indent, line_no, offset, next));
                }
                continue;
            };
            match kind {
                Ok(LineKind::Header(h, indent)) => {
                    part.end = offset;
                    parts.push(Part::new(text, file_kind, h, indent, line_no, offset, next));
                    continue;
                }
                Ok(LineKind::Blank) => continue,
                Ok(LineKind::Comment) => {}
                Ok(LineKind::Option(t, d)) => {
                    let value = option_value(t, d);
                    let at = value.as_ptr() as usize - text.as_ptr() as usize;
                    part.keys.push(KeyLine {
                        key: option_key(t, d).to_lowercase(),
                        span: offset..next,
                        value: at..at + value.len(),
                    });
                    part.keys_end = next;
                }
                Ok(LineKind::Continuation(_)) | Err(LineError::NestedNoEquals) => {
                    if let Some(k) = part.keys.last_mut() {
                        k.span.end = next;
                    }
                    part.keys_end = next;
                }
                Err(_) => part.keys_end = next,
            }
            part.filled = next;
        }
        Doc {
            text,
            eol: if text.contains("\r\n") { "\r\n" } else { "\n" },
            parts,
            first_error,
        }
    }

    /// The section the reader uses for profile `name`: the last one naming it.
    fn last_named(&self, name: &str) -> Option<&Part> {
        self.parts
            .iter()
            .rev()
            .find(|p| p.kind == Kind::Profile && p.name == name)
    }

    /// `line` to insert at `at`, after a line break if `at` ends a last line that has
    /// none.
    fn line_start(&self, at: usize, line: String) -> String {
        if at == 0 || self.text[..at].ends_with(['\n', '\r']) {
            line
        } else {
            format!("{}{line}", self.eol)
        }
    }

    /// What removing a section removes: from its header to its last key, and the
    /// blank lines after that (comments after it stay: they may be about the next
    /// section).
    fn removal(&self, part: &Part) -> Range<usize> {
        let mut end = part.keys_end.max(part.body);
        for (_, offset, line) in Lines::new(self.text, end, part.end, 1) {
            if !trim_py(line).is_empty() {
                break;
            }
            end = next_line_start(self.text.as_bytes(), offset + line.len());
        }
        part.start..end
    }
}

impl Part {
    fn new(
        text: &str,
        file_kind: FileKind,
        header: &str,
        indent: usize,
        line: usize,
        start: usize,
        body: usize,
    ) -> Part {
        let at = header.as_ptr() as usize - text.as_ptr() as usize;
        let range = at..at + header.len();
        let (kind, name) = classify_section(file_kind, text.as_bytes(), range.clone());
        Part {
            kind,
            name: String::from_utf8_lossy(&name).into_owned(),
            header: range,
            line,
            indent,
            start,
            body,
            keys_end: body,
            filled: body,
            end: text.len(),
            keys: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_a_key_in_place_or_at_the_end_of_the_section() {
        let text = "# mine\n[profile a]\nregion = x\n\n[profile b]\nregion = y\n";
        assert_eq!(
            set_key(
                text,
                FileKind::Config,
                "a",
                "credential_process",
                "granted credential-process --profile=a"
            ),
            "# mine\n[profile a]\nregion = x\ncredential_process = granted credential-process --profile=a\n\n[profile b]\nregion = y\n"
        );
        let text = "[profile a]\ncredential_process = old\n  nested = 1\nregion = x\n";
        assert_eq!(
            set_key(text, FileKind::Config, "a", "credential_process", "new"),
            "[profile a]\ncredential_process = new\nregion = x\n"
        );
        assert_eq!(
            set_key("", FileKind::Config, "n", "k", "v"),
            "[profile n]\nk = v\n"
        );
        assert_eq!(
            set_key("[x]\na = 1\n", FileKind::Credentials, "n", "k", "v"),
            "[x]\na = 1\n\n[n]\nk = v\n"
        );
        assert_eq!(
            set_key("[default]\n", FileKind::Config, "default", "k", "v"),
            "[default]\nk = v\n"
        );
        // [a] in the config file is not profile a.
        assert_eq!(
            set_key("[a]\n", FileKind::Config, "a", "k", "v"),
            "[a]\n\n[profile a]\nk = v\n"
        );
    }

    #[test]
    fn headers_are_read_as_botocore_reads_them_and_line_endings_kept() {
        // See: a header with a trailing comment was missed and a duplicate appended.
        let text = "[profile a.b/c] ; my team\r\nregion = eu-west-1\r\n\r\n[profile \"x y\"]\r\n";
        assert_eq!(
            set_key(text, FileKind::Config, "a.b/c", "k", "v"),
            "[profile a.b/c] ; my team\r\nregion = eu-west-1\r\nk = v\r\n\r\n[profile \"x y\"]\r\n"
        );
        assert_eq!(
            set_key(text, FileKind::Config, "x y", "k", "v"),
            "[profile a.b/c] ; my team\r\nregion = eu-west-1\r\n\r\n[profile \"x y\"]\r\nk = v\r\n"
        );
        assert_eq!(
            set_key("[a]\r\n", FileKind::Credentials, "b", "k", "v"),
            "[a]\r\n\r\n[b]\r\nk = v\r\n"
        );
        // An indented `[x]` continues a value; it is not a header.
        assert_eq!(
            set_key(
                "[profile a]\nk =\n  [profile b]\n",
                FileKind::Config,
                "b",
                "x",
                "1"
            ),
            "[profile a]\nk =\n  [profile b]\n\n[profile b]\nx = 1\n"
        );
    }

    #[test]
    fn removes_a_key_only_when_the_value_matches() {
        let text = "[profile a]\nregion = x\ncredential_process = granted credential-process --profile=a\n[profile b]\n";
        let is_ours = |v: &str| v.starts_with("granted ");
        assert_eq!(
            remove_key(text, FileKind::Config, "a", "credential_process", is_ours).as_deref(),
            Some("[profile a]\nregion = x\n[profile b]\n")
        );
        assert_eq!(
            remove_key(text, FileKind::Config, "b", "credential_process", is_ours),
            None
        );
        assert_eq!(
            remove_key(
                "[profile a]\ncredential_process = other\n",
                FileKind::Config,
                "a",
                "credential_process",
                is_ours
            ),
            None
        );
    }

    fn put(profile: &str, keys: &[(&str, &str)]) -> SectionEdit {
        SectionEdit::Put {
            profile: profile.to_owned(),
            keys: keys
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn remove(profile: &str) -> SectionEdit {
        SectionEdit::Remove {
            profile: profile.to_owned(),
        }
    }

    fn apply(text: &str, kind: FileKind, edits: &[SectionEdit]) -> String {
        apply_section_edits(text, kind, edits).unwrap()
    }

    #[test]
    fn section_puts_keep_comments_and_order() {
        let text = "# top\n[profile a] ; mine\nregion = x\n# about b\n\n[profile b]\nregion = y\n  more\n\n# end\n";
        assert_eq!(
            apply(
                text,
                FileKind::Config,
                &[put("a", &[("k", "1"), ("region", "z")])]
            ),
            "# top\n[profile a] ; mine\nk = 1\nregion = z\n# about b\n\n[profile b]\nregion = y\n  more\n\n# end\n"
        );
        assert_eq!(
            apply(
                text,
                FileKind::Config,
                &[put("b", &[]), put("new", &[("k", "v")])]
            ),
            "# top\n[profile a] ; mine\nregion = x\n# about b\n\n[profile b]\n\n# end\n\n[profile new]\nk = v\n"
        );
        assert_eq!(
            apply(text, FileKind::Config, &[remove("b")]),
            "# top\n[profile a] ; mine\nregion = x\n# about b\n\n# end\n"
        );
        assert_eq!(
            apply(text, FileKind::Config, &[remove("a")]),
            "# top\n# about b\n\n[profile b]\nregion = y\n  more\n\n# end\n"
        );
        // Nothing to remove: nothing changes.
        assert_eq!(apply(text, FileKind::Config, &[remove("zz")]), text);
    }

    #[test]
    fn section_edits_keep_crlf() {
        let text = "[profile a]\r\nregion = x\r\n\r\n[profile b]\r\nregion = y\r\n";
        assert_eq!(
            apply(
                text,
                FileKind::Config,
                &[
                    put("a", &[("k", "v")]),
                    remove("b"),
                    put("c", &[("k", "w")])
                ]
            ),
            "[profile a]\r\nk = v\r\n\r\n[profile c]\r\nk = w\r\n"
        );
    }

    #[test]
    fn section_at_the_end_without_a_line_break() {
        assert_eq!(
            apply(
                "[profile a]\nx = 1",
                FileKind::Config,
                &[put("a", &[("y", "2")])]
            ),
            "[profile a]\ny = 2\n"
        );
        assert_eq!(
            apply("[profile a]", FileKind::Config, &[put("a", &[("y", "2")])]),
            "[profile a]\ny = 2\n"
        );
        assert_eq!(
            apply("[x]\nx = 1", FileKind::Config, &[put("a", &[("y", "2")])]),
            "[x]\nx = 1\n\n[profile a]\ny = 2\n"
        );
        assert_eq!(
            apply(
                "[x]\nx = 1\n\n[profile a]\nx = 1",
                FileKind::Config,
                &[remove("a")]
            ),
            "[x]\nx = 1\n"
        );
        assert_eq!(
            apply("[profile a]\nx = 1", FileKind::Config, &[remove("a")]),
            ""
        );
        assert_eq!(
            apply(
                "",
                FileKind::Config,
                &[put("a", &[]), put("b", &[("k", "")])]
            ),
            "[profile a]\n\n[profile b]\nk =\n"
        );
    }

    #[test]
    fn default_and_profile_default_are_one_profile() {
        // The later one is the profile; a put replaces it and drops the earlier one.
        let text = "[default]\nregion = a\n\n[profile default]\nregion = b\n\n[default x]\n";
        assert_eq!(
            apply(
                text,
                FileKind::Config,
                &[put("default", &[("region", "c")])]
            ),
            "[profile default]\nregion = c\n\n[default x]\n"
        );
        assert_eq!(
            apply(text, FileKind::Config, &[remove("default")]),
            "[default x]\n"
        );
        assert_eq!(
            apply("[x]\n", FileKind::Config, &[put("default", &[("k", "v")])]),
            "[x]\n\n[default]\nk = v\n"
        );
        // In the credentials file, [profile default] is a profile of that name.
        assert_eq!(
            apply(
                "[profile default]\nk = 1\n",
                FileKind::Credentials,
                &[put("default", &[("k", "2")])]
            ),
            "[profile default]\nk = 1\n\n[default]\nk = 2\n"
        );
    }

    #[test]
    fn quoted_names() {
        let text = "[profile \"my dev\"]\nk = 1\n[profile 'o\\'k']\n";
        assert_eq!(
            apply(text, FileKind::Config, &[put("my dev", &[("k", "2")])]),
            "[profile \"my dev\"]\nk = 2\n[profile 'o\\'k']\n"
        );
        assert_eq!(
            apply("", FileKind::Config, &[put("a \"b\\", &[("k", "v")])]),
            "[profile \"a \\\"b\\\\\"]\nk = v\n"
        );
        let back = apply("", FileKind::Config, &[put("a \"b\\", &[("k", "v")])]);
        let cfg = crate::awsconfig::AwsConfig::from_strs(&back, "").unwrap();
        assert_eq!(cfg.profile_names(), ["a \"b\\"]);
        assert_eq!(
            apply("", FileKind::Credentials, &[put("my dev", &[("k", "v")])]),
            "[my dev]\nk = v\n"
        );
    }

    #[test]
    fn sections_appearing_twice() {
        // Same profile under two spellings of its header: both go on remove, the last
        // is replaced in place on put.
        let text = "[profile a]\nk = 1\n\n[profile b]\nk = 2\n\n[profile  a]\nk = 3\n";
        assert_eq!(
            apply(text, FileKind::Config, &[put("a", &[("k", "4")])]),
            "[profile b]\nk = 2\n\n[profile  a]\nk = 4\n"
        );
        assert_eq!(
            apply(text, FileKind::Config, &[remove("a")]),
            "[profile b]\nk = 2\n"
        );
        // One profile edited twice in a batch: the last edit counts.
        assert_eq!(
            apply(
                text,
                FileKind::Config,
                &[remove("b"), put("b", &[("k", "5")])]
            ),
            "[profile a]\nk = 1\n\n[profile b]\nk = 5\n\n[profile  a]\nk = 3\n"
        );
        assert_eq!(
            apply(
                text,
                FileKind::Config,
                &[put("b", &[("k", "5")]), remove("b")]
            ),
            "[profile a]\nk = 1\n\n[profile  a]\nk = 3\n"
        );
    }

    #[test]
    fn what_cannot_be_written_is_refused() {
        let err = |edit: SectionEdit| apply_section_edits("", FileKind::Config, &[edit]);
        assert_eq!(
            err(put("", &[])),
            Err(EditError::Name {
                name: String::new()
            })
        );
        assert!(matches!(err(put("a\nb", &[])), Err(EditError::Name { .. })));
        assert!(matches!(
            apply_section_edits("", FileKind::Credentials, &[put("DEFAULT", &[])]),
            Err(EditError::Name { .. })
        ));
        assert!(matches!(
            err(put("a", &[("k=x", "v")])),
            Err(EditError::Key { .. })
        ));
        assert!(matches!(
            err(put("a", &[(" k", "v")])),
            Err(EditError::Key { .. })
        ));
        assert!(matches!(
            err(put("a", &[("", "v")])),
            Err(EditError::Key { .. })
        ));
        let e = err(put("a", &[("k", "secret\nmore")])).unwrap_err();
        assert_eq!(
            e,
            EditError::Value {
                profile: "a".into(),
                key: "k".into()
            }
        );
        assert!(!e.to_string().contains("secret"));
        assert!(matches!(
            err(put("a", &[("k", " v")])),
            Err(EditError::Value { .. })
        ));
    }

    #[test]
    fn many_sections_in_one_pass() {
        let mut text = String::from("# generated\n");
        for i in 0..2000 {
            text.push_str(&format!("[profile p{i}]\nregion = r{i}\n\n"));
        }
        let mut edits: Vec<SectionEdit> = (0..2000)
            .filter(|i| i % 2 == 0)
            .map(|i| put(&format!("p{i}"), &[("region", "new")]))
            .collect();
        edits.extend(
            (0..2000)
                .filter(|i| i % 4 == 1)
                .map(|i| remove(&format!("p{i}"))),
        );
        edits.extend((2000..2500).map(|i| put(&format!("p{i}"), &[("region", "added")])));
        let out = apply(&text, FileKind::Config, &edits);
        let cfg = crate::awsconfig::AwsConfig::from_strs(&out, "").unwrap();
        assert_eq!(cfg.profile_names().len(), 2000 - 500 + 500);
        for i in 0..2500 {
            let got = cfg.profile(&format!("p{i}")).unwrap();
            let region = got
                .as_ref()
                .and_then(|p| p.get("region").map(str::to_owned));
            let want = match i {
                2000.. => Some("added".to_owned()),
                _ if i % 2 == 0 => Some("new".to_owned()),
                _ if i % 4 == 1 => None,
                _ => Some(format!("r{i}")),
            };
            assert_eq!(region, want, "p{i}");
        }
        assert!(out.starts_with("# generated\n[profile p0]\nregion = new\n\n[profile p2]"));
    }

    /// The reader's index (the fast pass) and the editor's view (`classify` on every
    /// line) of random files: the same sections where the reader accepts the file, and
    /// where it does not, the same first bad line (or a repeated header before it).
    #[test]
    fn index_agrees_with_the_plain_pass() {
        use crate::awsconfig::file::ParsedFile;
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
        for round in 0..4000u32 {
            let mut text = String::new();
            if !round.is_multiple_of(4) {
                text.push_str("[profile start]\n");
            }
            for i in 0..(next() % 40) as usize {
                let r = next();
                if r.is_multiple_of(25) {
                    // Noise, sometimes long, to cross 64-byte blocks anywhere.
                    let piece = PIECES[(r >> 8) as usize % PIECES.len()];
                    let times = if r.is_multiple_of(3) {
                        1 + (r >> 40) as usize % 90
                    } else {
                        1
                    };
                    text.push_str(&piece.repeat(times));
                    continue;
                }
                let line = LINES[(r >> 8) as usize % LINES.len()];
                // Headers unique most of the time.
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
            for kind in [FileKind::Config, FileKind::Credentials] {
                let doc = Doc::parse(&text, kind);
                let plain: Vec<_> = doc
                    .parts
                    .iter()
                    .map(|p| {
                        let header = text[p.header.clone()].to_owned();
                        (
                            header,
                            p.line,
                            p.indent,
                            p.body..p.end,
                            p.kind,
                            p.name.clone(),
                        )
                    })
                    .collect();
                match ParsedFile::from_string(text.clone(), "~/x".into(), kind) {
                    Ok(f) => {
                        let index: Vec<_> = f
                            .sections()
                            .into_iter()
                            .map(|s| (s.header, s.line, s.indent, s.body, s.kind, s.name))
                            .collect();
                        assert_eq!(doc.first_error, None, "{text:?}");
                        assert_eq!(index, plain, "{text:?}");
                        ok += usize::from(index.len() > 2);
                    }
                    Err(e) => {
                        let e = e.to_string();
                        let (line, message) = e
                            .strip_prefix("~/x:")
                            .and_then(|e| e.split_once(": "))
                            .unwrap_or_else(|| panic!("{e}"));
                        let line: usize = line.parse().unwrap();
                        if message.starts_with("duplicate section") {
                            let dup = plain.iter().position(|p| p.1 == line).unwrap();
                            let header = &plain[dup].0;
                            assert!(plain[..dup].iter().any(|p| p.0 == *header), "{text:?}");
                            assert!(doc.first_error.is_none_or(|l| l > line), "{text:?}");
                        } else {
                            assert_eq!(doc.first_error, Some(line), "{e} {text:?}");
                        }
                    }
                }
            }
        }
        // Enough inputs were valid files with several sections to mean something.
        assert!(ok > 700, "{ok}");
    }
}
