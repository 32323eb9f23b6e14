//! Small, layout-keeping edits of `~/.aws/config` and `~/.aws/credentials`: set or
//! remove one key in one profile's section, leaving every other line (comments,
//! order, spacing) as it was. Pure text in, text out; the caller writes the file.

/// Which file a section lives in: `[profile NAME]` (and `[default]`) in the config
/// file, `[NAME]` in the credentials file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Config,
    Credentials,
}

/// Whether `line` is the header of `profile`'s section. As botocore reads headers: the
/// text between `[` and the last `]` (anything after it, like `; a comment`, is
/// ignored), split into shell words (`[profile "a b"]`).
fn header_names(line: &str, kind: FileKind, profile: &str) -> bool {
    let Some(rest) = line.strip_prefix('[') else {
        return false;
    };
    let Some(close) = rest.rfind(']') else {
        return false;
    };
    let Some(words) = crate::awsconfig::shlex_split(&rest[..close]) else {
        return false;
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match kind {
        FileKind::Credentials => words == [profile],
        FileKind::Config if profile == "default" => {
            words == ["default"] || words == ["profile", "default"]
        }
        FileKind::Config => words == ["profile", profile],
    }
}

/// The key of a `key = value` / `key: value` line at the start of a line.
fn key_of(line: &str) -> Option<String> {
    if line.starts_with([' ', '\t', '#', ';', '[']) {
        return None;
    }
    let at = line.find(['=', ':'])?;
    Some(line[..at].trim().to_ascii_lowercase())
}

/// Line ranges `[start, end)` of the (last) section for `profile`, header excluded.
fn section(lines: &[&str], kind: FileKind, profile: &str) -> Option<(usize, usize)> {
    let header = lines.iter().rposition(|l| header_names(l, kind, profile))?;
    let end = lines[header + 1..]
        .iter()
        .position(|l| l.starts_with('['))
        .map_or(lines.len(), |i| header + 1 + i);
    Some((header + 1, end))
}

/// Drops every `key` line of the section (with its indented continuation lines).
/// Returns the lines left and where the first one was.
fn without_key<'a>(
    lines: &[&'a str],
    start: usize,
    end: usize,
    key: &str,
) -> (Vec<&'a str>, Option<usize>) {
    let mut out = Vec::with_capacity(lines.len());
    let mut first = None;
    let mut i = 0;
    while i < lines.len() {
        if (start..end).contains(&i) && key_of(lines[i]).as_deref() == Some(key) {
            first.get_or_insert(out.len());
            i += 1;
            while i < end && lines[i].starts_with([' ', '\t']) && !lines[i].trim().is_empty() {
                i += 1;
            }
            continue;
        }
        out.push(lines[i]);
        i += 1;
    }
    (out, first)
}

/// The lines back into text, with the file's own line ending.
fn join(lines: &[&str], eol: &str) -> String {
    let mut text = lines.join(eol);
    text.push_str(eol);
    text
}

/// `\r\n` when the file uses it, else `\n`.
fn eol_of(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Lines without their ending (`\r` included).
fn split_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Sets `key = value` in `profile`'s section (replacing any earlier value in place),
/// creating the section at the end when there is none.
pub fn set_key(text: &str, kind: FileKind, profile: &str, key: &str, value: &str) -> String {
    let eol = eol_of(text);
    let lines = split_lines(text);
    let line = format!("{key} = {value}");
    let Some((start, end)) = section(&lines, kind, profile) else {
        let mut out = text.trim_end().to_owned();
        if !out.is_empty() {
            out.push_str(eol);
            out.push_str(eol);
        }
        let header = match kind {
            FileKind::Config if profile == "default" => "[default]".to_owned(),
            FileKind::Config => format!("[profile {profile}]"),
            FileKind::Credentials => format!("[{profile}]"),
        };
        out.push_str(&format!("{header}{eol}{line}{eol}"));
        return out;
    };
    let (mut out, first) = without_key(&lines, start, end, key);
    let at = first.unwrap_or_else(|| {
        // After the section's last non-blank line.
        let removed = lines.len() - out.len();
        let end = end - removed;
        (start..end)
            .rev()
            .find(|&i| !out[i].trim().is_empty())
            .map_or(start, |i| i + 1)
    });
    out.insert(at, &line);
    join(&out, eol)
}

/// Removes `key` from `profile`'s section when `matches` accepts its value; returns
/// the new text, or `None` when nothing was removed.
pub fn remove_key(
    text: &str,
    kind: FileKind,
    profile: &str,
    key: &str,
    matches: impl Fn(&str) -> bool,
) -> Option<String> {
    let lines = split_lines(text);
    let (start, end) = section(&lines, kind, profile)?;
    let value = lines[start..end]
        .iter()
        .find(|l| key_of(l).as_deref() == Some(key))?;
    let at = value.find(['=', ':'])?;
    if !matches(value[at + 1..].trim()) {
        return None;
    }
    let (out, _) = without_key(&lines, start, end, key);
    Some(join(&out, eol_of(text)))
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
}
