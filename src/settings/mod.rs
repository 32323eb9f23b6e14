//! `~/.granted/config`: Granted's settings file (TOML), and the folders granted keeps
//! its files in.
//!
//! Owns where the folders are (`~/.granted`, or the XDG folders when it doesn't exist,
//! as Granted does) and reading settings by Granted's names, matched case-insensitively
//! (`DisableCredentialProcessCache`, `Keyring.Backend`, …). It must not write the file
//! (editing comes with `granted settings`) or interpret what a setting means.

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

/// Every setting Granted knows, with its TOML type; anything else is reported as unknown.
pub const KNOWN: &[(&str, Kind)] = &[
    ("DefaultBrowser", Kind::String),
    ("CustomBrowserPath", Kind::String),
    ("CustomSSOBrowserPath", Kind::String),
    ("AWSConsoleBrowserLaunchTemplate", Kind::Table),
    ("SSOBrowserLaunchTemplate", Kind::Table),
    ("Keyring", Kind::Table),
    ("Keyring.Backend", Kind::String),
    ("Keyring.KeychainName", Kind::String),
    ("Keyring.FileDir", Kind::String),
    ("Keyring.LibSecretCollectionName", Kind::String),
    ("Keyring.PassDir", Kind::String),
    ("Ordering", Kind::String),
    ("ExportCredentialSuffix", Kind::String),
    ("ExportCredsToAWS", Kind::Bool),
    ("ExportSSOToken", Kind::Bool),
    ("AccessRequestURL", Kind::String),
    ("CommonFateDefaultSSOStartURL", Kind::String),
    ("CommonFateDefaultSSORegion", Kind::String),
    ("DisableUsageTips", Kind::Bool),
    ("DisableCredentialProcessCache", Kind::Bool),
    ("DefaultExportAllEnvVar", Kind::Bool),
    ("CredentialProcessAutoLogin", Kind::Bool),
    ("UseAuthorizationCode", Kind::Bool),
    ("ProfileRegistryURLS", Kind::Array),
    ("ProfileRegistry", Kind::Table),
    ("SSO", Kind::Table),
    ("LastCheckForUpdates", Kind::Integer),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Bool,
    Integer,
    Array,
    Table,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{path}: {message}")]
    Syntax { path: String, message: String },
    #[error("{path}: could not read: {message}")]
    Io { path: String, message: String },
    #[error("{path}: setting `{name}` must be {expected}")]
    Type {
        path: String,
        name: String,
        expected: &'static str,
    },
}

/// Granted's folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantedDirs {
    /// `~/.granted`, else `$XDG_CONFIG_HOME/granted` when `~/.granted` doesn't exist.
    pub config: PathBuf,
    /// `~/.granted`, else `$XDG_CACHE_HOME/granted`.
    pub cache: PathBuf,
    /// `~/.granted`, else `$XDG_STATE_HOME/granted`.
    pub state: PathBuf,
}

impl GrantedDirs {
    /// From `HOME` and the XDG variables. `exists` says whether a folder exists (the
    /// real one asks the file system; tests pass their own).
    pub fn from_vars(
        get: impl Fn(&str) -> Option<String>,
        exists: impl Fn(&Path) -> bool,
    ) -> Option<GrantedDirs> {
        let home = PathBuf::from(get("HOME").filter(|h| !h.is_empty())?);
        let dot = home.join(".granted");
        if exists(&dot) {
            return Some(GrantedDirs {
                config: dot.clone(),
                cache: dot.clone(),
                state: dot,
            });
        }
        let xdg = |var: &str| {
            get(var)
                .filter(|v| !v.is_empty())
                .map(|v| PathBuf::from(v).join("granted"))
        };
        Some(GrantedDirs {
            config: xdg("XDG_CONFIG_HOME").unwrap_or_else(|| dot.clone()),
            cache: xdg("XDG_CACHE_HOME").unwrap_or_else(|| dot.clone()),
            state: xdg("XDG_STATE_HOME").unwrap_or(dot),
        })
    }

    /// `<config>/config`.
    pub fn settings_file(&self) -> PathBuf {
        self.config.join("config")
    }
}

/// The parsed settings file.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    doc: DocumentMut,
    path: String,
}

impl Settings {
    /// Reads `path`; a missing file is empty settings.
    pub fn load(path: &Path) -> Result<Settings, SettingsError> {
        let display = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Settings::parse(&text, &display),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings {
                path: display,
                ..Settings::default()
            }),
            Err(e) => Err(SettingsError::Io {
                path: display,
                message: e.to_string(),
            }),
        }
    }

    pub fn parse(text: &str, path: &str) -> Result<Settings, SettingsError> {
        let doc: DocumentMut =
            text.parse()
                .map_err(|e: toml_edit::TomlError| SettingsError::Syntax {
                    path: path.to_owned(),
                    message: e
                        .message()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase(),
                })?;
        Ok(Settings {
            doc,
            path: path.to_owned(),
        })
    }

    /// The item at a dotted name (`Keyring.Backend`), every part matched
    /// case-insensitively.
    pub fn item(&self, name: &str) -> Option<&Item> {
        let mut item = self.doc.as_item();
        for part in name.split('.') {
            let table = item.as_table_like()?;
            item = table
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(part))
                .map(|(_, v)| v)?;
        }
        Some(item)
    }

    /// A boolean setting; `"true"`/`"false"` strings are accepted too.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, SettingsError> {
        let Some(item) = self.item(name) else {
            return Ok(None);
        };
        match item.as_value() {
            Some(Value::Boolean(b)) => Ok(Some(*b.value())),
            Some(Value::String(s)) => match s.value().trim().to_ascii_lowercase().as_str() {
                "true" | "t" | "1" => Ok(Some(true)),
                "false" | "f" | "0" | "" => Ok(Some(false)),
                _ => Err(self.type_error(name, "true or false")),
            },
            _ => Err(self.type_error(name, "true or false")),
        }
    }

    /// A string setting; an empty string counts as unset.
    pub fn string(&self, name: &str) -> Result<Option<String>, SettingsError> {
        let Some(item) = self.item(name) else {
            return Ok(None);
        };
        match item.as_value() {
            Some(Value::String(s)) if s.value().trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.value().trim().to_owned())),
            _ => Err(self.type_error(name, "a string")),
        }
    }

    fn type_error(&self, name: &str, expected: &'static str) -> SettingsError {
        SettingsError::Type {
            path: self.path.clone(),
            name: name.to_owned(),
            expected,
        }
    }

    /// Dotted names present in the file that Granted doesn't know (sub-keys of the
    /// free-form tables `ProfileRegistry`, `SSO` and the launch templates aren't checked).
    pub fn unknown_keys(&self) -> Vec<String> {
        let mut unknown = Vec::new();
        for (key, item) in self.doc.iter() {
            let Some((name, _)) = KNOWN.iter().find(|(n, _)| n.eq_ignore_ascii_case(key)) else {
                unknown.push(key.to_owned());
                continue;
            };
            if *name == "Keyring"
                && let Some(table) = item.as_table_like()
            {
                for (sub, _) in table.iter() {
                    let dotted = format!("Keyring.{sub}");
                    if !KNOWN.iter().any(|(n, _)| n.eq_ignore_ascii_case(&dotted)) {
                        unknown.push(format!("{key}.{sub}"));
                    }
                }
            }
        }
        unknown
    }
}

/// What `granted settings set` accepts: Granted's settable names, with their kind and,
/// for closed sets, the valid values.
pub const SETTABLE: &[(&str, Kind, &[&str])] = &[
    (
        "DefaultBrowser",
        Kind::String,
        &[
            "CHROME",
            "BRAVE",
            "EDGE",
            "FIREFOX",
            "WATERFOX",
            "CHROMIUM",
            "SAFARI",
            "STDOUT",
            "FIREFOX_STDOUT",
            "ARC",
            "FIREFOX_DEV",
            "FIREFOX_NIGHTLY",
            "CUSTOM",
            "VIVALDI",
            "ZEN",
        ],
    ),
    ("CustomBrowserPath", Kind::String, &[]),
    ("CustomSSOBrowserPath", Kind::String, &[]),
    ("Ordering", Kind::String, &["Frecency", "Alphabetical"]),
    ("ExportCredentialSuffix", Kind::String, &[]),
    ("ExportCredsToAWS", Kind::Bool, &[]),
    ("ExportSSOToken", Kind::Bool, &[]),
    ("AccessRequestURL", Kind::String, &[]),
    ("CommonFateDefaultSSOStartURL", Kind::String, &[]),
    ("CommonFateDefaultSSORegion", Kind::String, &[]),
    ("DisableUsageTips", Kind::Bool, &[]),
    ("DisableCredentialProcessCache", Kind::Bool, &[]),
    ("DefaultExportAllEnvVar", Kind::Bool, &[]),
    ("CredentialProcessAutoLogin", Kind::Bool, &[]),
    ("UseAuthorizationCode", Kind::Bool, &[]),
    ("ProfileRegistry.PrefixAllProfiles", Kind::Bool, &[]),
    ("ProfileRegistry.PrefixDuplicateProfiles", Kind::Bool, &[]),
    ("ProfileRegistry.SessionName", Kind::String, &[]),
    (
        "Keyring.Backend",
        Kind::String,
        &crate::store::Backend::NAMES,
    ),
    ("Keyring.KeychainName", Kind::String, &[]),
    ("Keyring.FileDir", Kind::String, &[]),
    ("Keyring.LibSecretCollectionName", Kind::String, &[]),
    ("Keyring.PassDir", Kind::String, &[]),
];

/// Go's `strconv.ParseBool`, which Granted uses for boolean settings.
fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

impl Settings {
    /// Sets a setting by its Granted name (any case), keeping the rest of the file —
    /// comments, order, the spelling of existing keys — as it was. Returns the
    /// canonical name.
    pub fn set(&mut self, name: &str, value: &str) -> Result<&'static str, String> {
        let Some((canonical, kind, choices)) = SETTABLE
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        else {
            let names: Vec<&str> = SETTABLE.iter().map(|(n, _, _)| *n).collect();
            return Err(format!(
                "the selected field `{name}` is not a valid config parameter; settings: {}",
                names.join(", ")
            ));
        };
        let new_value: Value = match kind {
            Kind::Bool => parse_bool(value.trim())
                .ok_or_else(|| format!("{canonical} takes true or false, not `{value}`"))?
                .into(),
            _ if !choices.is_empty() => {
                let choice = choices
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(value.trim()))
                    .ok_or_else(|| {
                        format!(
                            "{canonical} takes one of {}, not `{value}`",
                            choices.join(", ")
                        )
                    })?;
                (*choice).into()
            }
            _ => value.into(),
        };
        let mut table = self.doc.as_table_mut();
        let mut parts: Vec<&str> = canonical.split('.').collect();
        let leaf = parts.pop().expect("names are not empty");
        for part in parts {
            let key = table
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(part))
                .map(|(k, _)| k.to_owned());
            let key = key.unwrap_or_else(|| {
                table.insert(part, Item::Table(toml_edit::Table::new()));
                part.to_owned()
            });
            table = table
                .get_mut(&key)
                .and_then(Item::as_table_mut)
                .ok_or_else(|| format!("{}: `{key}` is not a table", self.path))?;
        }
        let key = table
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(leaf))
            .map(|(k, _)| k.to_owned());
        match key.and_then(|k| table.get_mut(&k)) {
            Some(Item::Value(old)) => {
                let decor = old.decor().clone();
                *old = new_value;
                *old.decor_mut() = decor;
            }
            Some(other) => *other = Item::Value(new_value),
            None => {
                table.insert(leaf, Item::Value(new_value));
            }
        }
        Ok(canonical)
    }

    /// The file's text, as it would be written.
    pub fn to_text(&self) -> String {
        self.doc.to_string()
    }
}

/// `~/x` → `<home>/x`.
pub fn expand_tilde(path: &str, home: &Path) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => home.join(rest),
        None if path == "~" => home.to_path_buf(),
        None => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn names_are_matched_case_insensitively() {
        let s = Settings::parse(
            "disablecredentialprocesscache = true\nCREDENTIALPROCESSAUTOLOGIN = \"true\"\n[keyring]\nbackend = \"file\"\nFileDir = \"~/vault\"\n",
            "config",
        )
        .unwrap();
        assert_eq!(s.bool("DisableCredentialProcessCache").unwrap(), Some(true));
        assert_eq!(s.bool("CredentialProcessAutoLogin").unwrap(), Some(true));
        assert_eq!(
            s.string("Keyring.Backend").unwrap().as_deref(),
            Some("file")
        );
        assert_eq!(
            s.string("Keyring.FileDir").unwrap().as_deref(),
            Some("~/vault")
        );
        assert_eq!(s.bool("DefaultExportAllEnvVar").unwrap(), None);
        assert!(s.unknown_keys().is_empty(), "{:?}", s.unknown_keys());
    }

    #[test]
    fn wrong_types_and_syntax_are_errors_naming_the_file() {
        let s = Settings::parse(
            "DisableCredentialProcessCache = \"perhaps\"\n",
            "~/.granted/config",
        )
        .unwrap();
        assert_eq!(
            s.bool("DisableCredentialProcessCache")
                .unwrap_err()
                .to_string(),
            "~/.granted/config: setting `DisableCredentialProcessCache` must be true or false"
        );
        let e = Settings::parse("Ordering = \n", "~/.granted/config")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("~/.granted/config: "), "{e}");
        assert!(!e.contains('\n'));
    }

    #[test]
    fn unknown_keys_are_reported() {
        let s = Settings::parse(
            "Typo = 1\n[Keyring]\nBackend = \"file\"\nBakend = \"x\"\n",
            "c",
        )
        .unwrap();
        assert_eq!(
            s.unknown_keys(),
            vec!["Typo".to_owned(), "Keyring.Bakend".to_owned()]
        );
    }

    #[test]
    fn folders_follow_granteds_xdg_fallback() {
        let vars: HashMap<&str, &str> = [
            ("HOME", "/h"),
            ("XDG_CONFIG_HOME", "/x/config"),
            ("XDG_CACHE_HOME", "/x/cache"),
        ]
        .into();
        let get = |k: &str| vars.get(k).map(|v| (*v).to_owned());
        let with_dot = GrantedDirs::from_vars(get, |p| p == Path::new("/h/.granted")).unwrap();
        assert_eq!(with_dot.config, PathBuf::from("/h/.granted"));
        assert_eq!(with_dot.cache, PathBuf::from("/h/.granted"));
        let without = GrantedDirs::from_vars(get, |_| false).unwrap();
        assert_eq!(without.config, PathBuf::from("/x/config/granted"));
        assert_eq!(without.cache, PathBuf::from("/x/cache/granted"));
        assert_eq!(without.state, PathBuf::from("/h/.granted"));
        assert_eq!(
            without.settings_file(),
            PathBuf::from("/x/config/granted/config")
        );
        assert!(GrantedDirs::from_vars(|_| None, |_| false).is_none());
    }

    #[test]
    fn set_keeps_comments_layout_and_existing_spelling() {
        let text = "# my settings\ndisablecredentialprocesscache = false # why\n\n[keyring]\n# the vault\nbackend = \"keyctl\"\n";
        let mut s = Settings::parse(text, "c").unwrap();
        assert_eq!(
            s.set("DisableCredentialProcessCache", "TRUE"),
            Ok("DisableCredentialProcessCache")
        );
        assert_eq!(s.set("keyring.backend", "FILE"), Ok("Keyring.Backend"));
        assert_eq!(s.set("Keyring.FileDir", "~/vault"), Ok("Keyring.FileDir"));
        assert_eq!(
            s.set("CredentialProcessAutoLogin", "1"),
            Ok("CredentialProcessAutoLogin")
        );
        assert_eq!(
            s.to_text(),
            "# my settings\ndisablecredentialprocesscache = true # why\nCredentialProcessAutoLogin = true\n\n[keyring]\n# the vault\nbackend = \"file\"\nFileDir = \"~/vault\"\n"
        );
        let back = Settings::parse(&s.to_text(), "c").unwrap();
        assert_eq!(
            back.bool("DisableCredentialProcessCache").unwrap(),
            Some(true)
        );
        assert_eq!(
            back.string("Keyring.Backend").unwrap().as_deref(),
            Some("file")
        );
    }

    #[test]
    fn set_refuses_unknown_names_and_bad_values_naming_the_choices() {
        let mut s = Settings::default();
        let e = s.set("Bakend", "file").unwrap_err();
        assert!(e.starts_with("the selected field `Bakend` is not a valid config parameter; settings: DefaultBrowser, "), "{e}");
        assert_eq!(
            s.set("ExportSSOToken", "yes").unwrap_err(),
            "ExportSSOToken takes true or false, not `yes`"
        );
        assert_eq!(
            s.set("Ordering", "random").unwrap_err(),
            "Ordering takes one of Frecency, Alphabetical, not `random`"
        );
        assert_eq!(s.set("ordering", "alphabetical"), Ok("Ordering"));
        assert_eq!(
            s.string("Ordering").unwrap().as_deref(),
            Some("Alphabetical")
        );
        // Every settable name is also a known one.
        for (name, _, _) in SETTABLE {
            assert!(
                name.starts_with("ProfileRegistry.") || KNOWN.iter().any(|(k, _)| k == name),
                "{name}"
            );
        }
    }

    #[test]
    fn tilde_expansion() {
        assert_eq!(expand_tilde("~/v", Path::new("/h")), PathBuf::from("/h/v"));
        assert_eq!(expand_tilde("/abs", Path::new("/h")), PathBuf::from("/abs"));
    }
}
