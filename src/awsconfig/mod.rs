//! Reading `~/.aws/config` and `~/.aws/credentials` the way the AWS CLI (botocore) does,
//! and editing them without disturbing their layout ([`edit`]).
//!
//! This module owns:
//! * where the two files are (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, `HOME`),
//! * their syntax: a small hand-written reimplementation of the rules of Python's
//!   `configparser.RawConfigParser` as botocore uses it. The line rules (what a line
//!   is, how a header names a section) exist once, in `scan.rs`, used by the reader
//!   and the editor alike. A general INI crate does not do: it would strip
//!   `; inline` comments (botocore keeps them), flatten nested `s3 =` blocks and lose
//!   file order;
//! * which sections are what (botocore's `build_profile_map`): in the config file
//!   `[profile x]` and `[default]` are profiles, `[sso-session x]` and `[services x]` are
//!   what they say, `[x]` is another section (not a profile). A header starting with
//!   `profile`/`sso-session`/`services` is split like a shell line and counts only with
//!   exactly two words, so `[profile my dev]` and `[profile]` are ignored,
//!   `[profile "my dev"]` is profile `my dev`, and `[ profile x]` is not a profile.
//!   When several sections name the same profile (`[default]` and `[profile default]`)
//!   the later one in the file replaces the others whole. In the credentials file every
//!   section is a profile named exactly as written, and its keys override the config
//!   file's for the same profile.
//!
//! Loading makes one cheap pass over each file's lines: syntax (and UTF-8) is checked
//! and each section's place is recorded (8 bytes: a hash of its kind and name, and its
//! offset), but no name, key or value is copied. A section's keys are parsed when it
//! is asked for, so a process that needs one profile out of ten thousand pays for one.
//! A file larger than one 64 KiB read is not kept in memory: it stays open and the
//! asked-for section is read back from it (re-indexing the file if it changed
//! meanwhile). With 10,000 profiles (3.6 MB) a load plus one profile takes about 0.8 ms
//! and 150 KB of fresh memory (the read buffer and 8 bytes a section); listing names
//! reads every header back.
//!
//! Editing ([`edit`]) is text in, text out: set or remove one key of a profile, or
//! insert, replace and remove whole profile sections (many in one pass), keeping every
//! other byte. The caller reads and writes the file.
//!
//! It must not: resolve credentials or follow `source_profile` chains (callers do),
//! write files, touch the network, or log or put into an error message any value —
//! values may be secrets (`aws_secret_access_key`). Errors name the file, line,
//! section and key only.
//!
//! Deliberate differences from the AWS CLI:
//! * errors name the line (the CLI names only the file);
//! * `[DEFAULT]` values are not inherited by other sections (Granted ignores them too);
//! * a UTF-8 byte order mark at the start of a file is skipped (the CLI rejects the file);
//! * duplicate keys are reported only for sections that are read (the CLI rejects the
//!   whole file); every other error the CLI raises is still an error for the whole file;
//! * nested-block sub-keys (`s3 =` blocks) are lowercased (botocore keeps their case);
//! * an empty `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` means the default path
//!   (botocore would read no file at all);
//! * a profile named by an empty quoted string (`[profile ""]`) is ignored.

pub mod edit;
mod file;
mod scan;

pub use scan::FileKind;
/// Python's `shlex.split` (POSIX, no comments), as botocore splits `credential_process`.
pub(crate) use scan::shlex_split;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use file::{Kind, ParsedFile};

/// Where the two files are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigPaths {
    pub config: PathBuf,
    pub credentials: PathBuf,
}

impl ConfigPaths {
    /// From a variable lookup, as botocore does it: `$VAR`/`${VAR}` in the variables
    /// are expanded (Python's `os.path.expandvars`), then a leading `~` or `~/` is
    /// replaced by `HOME`. Empty variables count as unset. Defaults are
    /// `$HOME/.aws/config` and `$HOME/.aws/credentials`; without `HOME` they stay
    /// `~/.aws/...` (which will not be found).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> ConfigPaths {
        let get = |name: &str| get(name).filter(|v| !v.is_empty());
        let home = get("HOME");
        let resolve = |var: &str, default: &str| {
            let raw = match get(var) {
                Some(v) => expand_vars(&v, &get),
                None => default.to_string(),
            };
            PathBuf::from(expand_user(&raw, home.as_deref()))
        };
        ConfigPaths {
            config: resolve("AWS_CONFIG_FILE", "~/.aws/config"),
            credentials: resolve("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
        }
    }
}

/// Python's `posixpath.expandvars`: `$NAME` (ASCII word characters) or `${NAME}`,
/// replaced when the variable is set, left alone otherwise.
fn expand_vars(s: &str, get: &impl Fn(&str) -> Option<String>) -> String {
    if !s.contains('$') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(j) => (&inner[..j], j + 2),
                None => ("", 0),
            }
        } else {
            let n = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (&after[..n], n)
        };
        match (len, name.is_empty()) {
            (1.., false) => {
                match get(name) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[i..i + 1 + len]),
                }
                rest = &after[len..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Python's `os.path.expanduser` for `~` and `~/...` (not `~user`).
fn expand_user(s: &str, home: Option<&str>) -> String {
    let Some(home) = home else {
        return s.to_string();
    };
    let Some(rest) = s.strip_prefix('~') else {
        return s.to_string();
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return s.to_string();
    }
    let joined = format!("{}{rest}", home.trim_end_matches('/'));
    if joined.is_empty() {
        "/".to_string()
    } else {
        joined
    }
}

/// `path` with a leading `home` shown as `~`.
fn display_path(path: &Path, home: Option<&Path>) -> String {
    if let Some(home) = home
        && home.components().count() > 1
        && let Ok(rest) = path.strip_prefix(home)
    {
        if rest.as_os_str().is_empty() {
            return "~".to_string();
        }
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
}

/// Where a section or property was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Display path (`~/.aws/config`).
    pub path: Arc<str>,
    /// 1-based line.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

/// A file that cannot be used. The message is one line, lowercase, and never contains
/// a value from the file.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// Not valid AWS config syntax (or not UTF-8).
    #[error("{origin}: {message}")]
    Syntax { origin: Origin, message: String },
    /// The file exists but cannot be read.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

/// A property's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Trimmed; continuation lines joined with `\n`; may be empty.
    Str(String),
    /// An indented block after `key =` (`s3 =`): sub-keys lowercased, values trimmed,
    /// in file order, a repeated sub-key keeping its first position and last value.
    Nested(Vec<(String, String)>),
}

/// One `key = value` of a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prop {
    /// Lowercased.
    pub key: String,
    pub value: Value,
    pub origin: Origin,
}

/// A section's properties. For a profile, `name` is the profile name and `origin` the
/// config file's header (the credentials file's when the config file has none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub origin: Origin,
    /// File order. For a merged profile: the config file's properties, with those the
    /// credentials file also sets replaced in place, then the credentials file's others.
    pub props: Vec<Prop>,
}

/// A profile is a section named by the profile name.
pub type Profile = Section;

impl Section {
    /// A plain string value (not a nested block). `key` must be lowercase.
    pub fn get(&self, key: &str) -> Option<&str> {
        match &self.prop(key)?.value {
            Value::Str(s) => Some(s),
            Value::Nested(_) => None,
        }
    }

    pub fn prop(&self, key: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.key == key)
    }

    /// A nested block's `(sub-key, value)` pairs.
    pub fn nested(&self, key: &str) -> Option<&[(String, String)]> {
        match &self.prop(key)?.value {
            Value::Nested(v) => Some(v),
            Value::Str(_) => None,
        }
    }

    /// Whether any key starts with `prefix` (e.g. `granted_sso_`).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.props.iter().any(|p| p.key.starts_with(prefix))
    }
}

/// Both files, indexed.
pub struct AwsConfig {
    config: ParsedFile,
    credentials: ParsedFile,
}

impl fmt::Debug for AwsConfig {
    // Never prints the text (it may hold secrets).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsConfig")
            .field("config", &self.config.display())
            .field("config_sections", &self.config.section_count())
            .field("credentials", &self.credentials.display())
            .field("credentials_sections", &self.credentials.section_count())
            .finish()
    }
}

impl AwsConfig {
    /// Read and index both files. A missing file is empty (as is anything but a regular
    /// file, like a directory or `/dev/null`: botocore only reads regular files); a file
    /// that exists but cannot be read is an error naming it. Display paths show `home`
    /// as `~`.
    pub fn load_with_home(
        paths: &ConfigPaths,
        home: Option<&Path>,
    ) -> Result<AwsConfig, ConfigError> {
        Ok(AwsConfig {
            config: read_file(&paths.config, home, FileKind::Config)?,
            credentials: read_file(&paths.credentials, home, FileKind::Credentials)?,
        })
    }

    /// From text; display paths are `~/.aws/config` and `~/.aws/credentials`.
    pub fn from_strs(config: &str, credentials: &str) -> Result<AwsConfig, ConfigError> {
        Ok(AwsConfig {
            config: ParsedFile::from_string(
                config.to_string(),
                "~/.aws/config".into(),
                FileKind::Config,
            )?,
            credentials: ParsedFile::from_string(
                credentials.to_string(),
                "~/.aws/credentials".into(),
                FileKind::Credentials,
            )?,
        })
    }

    /// The profile `name`: the config file's section (the last one naming it) merged
    /// with the credentials file's, whose keys win. `None` if neither file has it.
    /// Errors for a duplicate key in any section naming it.
    pub fn profile(&self, name: &str) -> Result<Option<Profile>, ConfigError> {
        let from_config = last_parsed(&self.config, Kind::Profile, name)?;
        let from_creds = last_parsed(&self.credentials, Kind::Profile, name)?;
        Ok(match (from_config, from_creds) {
            (None, None) => None,
            (Some(section), None) | (None, Some(section)) => Some(section),
            (Some(mut section), Some(creds)) => {
                for p in creds.props {
                    match section.props.iter_mut().find(|q| q.key == p.key) {
                        Some(slot) => *slot = p,
                        None => section.props.push(p),
                    }
                }
                Some(section)
            }
        })
    }

    /// `[sso-session name]` of the config file (the last one, if repeated).
    pub fn sso_session(&self, name: &str) -> Result<Option<Section>, ConfigError> {
        last_parsed(&self.config, Kind::SsoSession, name)
    }

    /// `[services name]` of the config file (the last one, if repeated).
    pub fn services(&self, name: &str) -> Result<Option<Section>, ConfigError> {
        last_parsed(&self.config, Kind::Services, name)
    }

    /// A config-file section that is none of the above (`[dev]`), by its exact name.
    pub fn other_section(&self, name: &str) -> Result<Option<Section>, ConfigError> {
        last_parsed(&self.config, Kind::Other, name)
    }

    /// Profile names of both files, sorted, without repeats.
    pub fn profile_names(&self) -> Vec<String> {
        let mut names = names_of(&self.config, Kind::Profile);
        names.extend(names_of(&self.credentials, Kind::Profile));
        names.sort_unstable();
        names.dedup();
        names
    }

    /// `[sso-session x]` names, sorted, without repeats.
    pub fn sso_session_names(&self) -> Vec<String> {
        sorted(names_of(&self.config, Kind::SsoSession))
    }

    /// `[services x]` names, sorted, without repeats.
    pub fn services_names(&self) -> Vec<String> {
        sorted(names_of(&self.config, Kind::Services))
    }

    /// Names of the config file's other sections, sorted.
    pub fn other_section_names(&self) -> Vec<String> {
        sorted(names_of(&self.config, Kind::Other))
    }

    pub fn config_display_path(&self) -> &str {
        self.config.display()
    }

    pub fn credentials_display_path(&self) -> &str {
        self.credentials.display()
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Names of the sections of `kind` (this reads every header back: error paths only).
fn names_of(file: &ParsedFile, kind: Kind) -> Vec<String> {
    file.sections()
        .into_iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.name)
        .collect()
}

fn last_parsed(file: &ParsedFile, kind: Kind, name: &str) -> Result<Option<Section>, ConfigError> {
    Ok(file.last_named(kind, name)?.map(|(origin, props)| Section {
        name: name.to_string(),
        origin,
        props,
    }))
}

fn read_file(
    path: &Path,
    home: Option<&Path>,
    file_kind: FileKind,
) -> Result<ParsedFile, ConfigError> {
    let display: Arc<str> = display_path(path, home).into();
    let parsed = ParsedFile::open(path, display.clone(), file_kind, file::CHUNK)?;
    Ok(parsed.unwrap_or_else(|| ParsedFile::empty(display, file_kind)))
}

#[cfg(test)]
mod tests;
