//! `~/.granted/config`: Granted's settings file (TOML), and the folders granted keeps
//! its files in.
//!
//! Owns where the folders are (`~/.granted`, or the XDG folders when it doesn't exist,
//! as Granted does) and reading the file into [`Settings`], one typed field per setting
//! Granted knows. Names are matched case-insensitively as Granted's TOML decoder does
//! (`disablecredentialprocesscache`, `[keyring]`); a value of the wrong type is an
//! error naming the file and the setting; unknown keys are ignored. Loading also returns
//! [`Warning`]s (a top-level setting written under a table header) for the caller to
//! print: this module never prints. [`SettingsFile`] edits the file's text for
//! `granted settings`. It must not write the file or decide what a setting does.

mod file;
#[cfg(test)]
mod tests;

pub use file::{SETTABLE, SettingsFile};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

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
    #[error("{path}: could not read")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
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

/// Granted's settings, typed. A setting absent from the file (or an empty string) has
/// its default: `None`, `false`, empty.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `DefaultBrowser`.
    pub default_browser: Option<String>,
    /// `CustomBrowserPath`.
    pub custom_browser_path: Option<String>,
    /// `CustomSSOBrowserPath`: the command that opens SSO login pages.
    pub custom_sso_browser_path: Option<String>,
    /// `[AWSConsoleBrowserLaunchTemplate]`, kept as written.
    pub aws_console_browser_launch_template: Option<Table>,
    /// `[SSOBrowserLaunchTemplate]`, kept as written.
    pub sso_browser_launch_template: Option<Table>,
    /// `[Keyring]`.
    pub keyring: KeyringSettings,
    /// `Ordering`: `Frecency` or `Alphabetical` (checked where the picker uses it).
    pub ordering: Option<String>,
    /// `ExportCredentialSuffix`.
    pub export_credential_suffix: Option<String>,
    /// `ExportCredsToAWS`.
    pub export_creds_to_aws: bool,
    /// `ExportSSOToken`: copy SSO tokens into the AWS CLI's cache.
    pub export_sso_token: bool,
    /// `AccessRequestURL`.
    pub access_request_url: Option<String>,
    /// `CommonFateDefaultSSOStartURL`.
    pub common_fate_default_sso_start_url: Option<String>,
    /// `CommonFateDefaultSSORegion`.
    pub common_fate_default_sso_region: Option<String>,
    /// `DisableUsageTips`.
    pub disable_usage_tips: bool,
    /// `DisableCredentialProcessCache`.
    pub disable_credential_process_cache: bool,
    /// `DefaultExportAllEnvVar`: `assume` exports credentials, not just `AWS_PROFILE`.
    pub default_export_all_env_var: bool,
    /// `CredentialProcessAutoLogin`.
    pub credential_process_auto_login: bool,
    /// `UseAuthorizationCode`.
    pub use_authorization_code: bool,
    /// `ProfileRegistryURLS` (deprecated by Granted in favour of `ProfileRegistry`).
    pub profile_registry_urls: Vec<String>,
    /// `[ProfileRegistry]`, kept as written.
    pub profile_registry: Option<Table>,
    /// `[SSO.<name>]` tables by name as written, their contents kept as written.
    pub sso: BTreeMap<String, Table>,
    /// `LastCheckForUpdates` (a weekday number in Granted).
    pub last_check_for_updates: Option<i64>,
}

/// `[Keyring]`: where the secret store is and which backend holds its key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyringSettings {
    /// `Backend`: `keychain`, `file`, `keyctl`, … (parsed where the store is opened).
    pub backend: Option<String>,
    /// `KeychainName`.
    pub keychain_name: Option<String>,
    /// `FileDir`: the store's folder, `~/` allowed.
    pub file_dir: Option<String>,
    /// `LibSecretCollectionName`.
    pub lib_secret_collection_name: Option<String>,
    /// `PassDir`.
    pub pass_dir: Option<String>,
}

/// Something in the file that is probably not what its author meant; loading goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A top-level setting written after a table header, so TOML puts it in that table
    /// (where Granted, and granted, ignore it).
    Misplaced {
        /// The settings file, as displayed.
        file: String,
        /// The key as spelled in the file.
        key: String,
        /// The header it sits under: `[Keyring]`, `[[ProfileRegistry.Registries]]`.
        header: String,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::Misplaced { file, key, header } => write!(
                f,
                "{file}: `{key}` comes after {header}, so it belongs to that table and is ignored; move it above the first [table] line"
            ),
        }
    }
}

impl Settings {
    /// Reads `path`; a missing file is default settings. Returns the settings and what
    /// the caller should warn about.
    pub fn load(path: &Path) -> Result<(Settings, Vec<Warning>), SettingsError> {
        let display = path.display().to_string();
        match read(path)? {
            Some(text) => Settings::parse(&text, &display),
            None => Ok((Settings::default(), Vec::new())),
        }
    }

    /// Parses the text of the settings file at `path` (used in messages only).
    pub fn parse(text: &str, path: &str) -> Result<(Settings, Vec<Warning>), SettingsError> {
        let mut doc = parse_document(text, path)?;
        let warnings = misplaced_keys(doc.as_table(), path);
        let settings = Settings::from_table(doc.as_table_mut(), path)?;
        Ok((settings, warnings))
    }

    /// The typed settings of a parsed file; the free-form tables are moved out of it.
    fn from_table(root: &mut Table, path: &str) -> Result<Settings, SettingsError> {
        let r = Reader { path };
        let keyring = match find(root, "Keyring") {
            None => KeyringSettings::default(),
            Some(item) => {
                let table = item
                    .as_table_like()
                    .ok_or_else(|| r.error("Keyring", "a table"))?;
                KeyringSettings {
                    backend: r.text(table, "Keyring.Backend")?,
                    keychain_name: r.text(table, "Keyring.KeychainName")?,
                    file_dir: r.text(table, "Keyring.FileDir")?,
                    lib_secret_collection_name: r.text(table, "Keyring.LibSecretCollectionName")?,
                    pass_dir: r.text(table, "Keyring.PassDir")?,
                }
            }
        };
        let mut settings = Settings {
            default_browser: r.text(root, "DefaultBrowser")?,
            custom_browser_path: r.text(root, "CustomBrowserPath")?,
            custom_sso_browser_path: r.text(root, "CustomSSOBrowserPath")?,
            aws_console_browser_launch_template: None,
            sso_browser_launch_template: None,
            keyring,
            ordering: r.text(root, "Ordering")?,
            export_credential_suffix: r.text(root, "ExportCredentialSuffix")?,
            export_creds_to_aws: r.flag(root, "ExportCredsToAWS")?,
            export_sso_token: r.flag(root, "ExportSSOToken")?,
            access_request_url: r.text(root, "AccessRequestURL")?,
            common_fate_default_sso_start_url: r.text(root, "CommonFateDefaultSSOStartURL")?,
            common_fate_default_sso_region: r.text(root, "CommonFateDefaultSSORegion")?,
            disable_usage_tips: r.flag(root, "DisableUsageTips")?,
            disable_credential_process_cache: r.flag(root, "DisableCredentialProcessCache")?,
            default_export_all_env_var: r.flag(root, "DefaultExportAllEnvVar")?,
            credential_process_auto_login: r.flag(root, "CredentialProcessAutoLogin")?,
            use_authorization_code: r.flag(root, "UseAuthorizationCode")?,
            profile_registry_urls: r.texts(root, "ProfileRegistryURLS")?,
            profile_registry: None,
            sso: BTreeMap::new(),
            last_check_for_updates: r.integer(root, "LastCheckForUpdates")?,
        };
        settings.aws_console_browser_launch_template =
            r.take_table(root, "AWSConsoleBrowserLaunchTemplate")?;
        settings.sso_browser_launch_template = r.take_table(root, "SSOBrowserLaunchTemplate")?;
        settings.profile_registry = r.take_table(root, "ProfileRegistry")?;
        if let Some(sso) = r.take_table(root, "SSO")? {
            for (name, item) in sso {
                let table = item
                    .into_table()
                    .map_err(|_| r.error(&format!("SSO.{name}"), "a table"))?;
                settings.sso.insert(name, table);
            }
        }
        Ok(settings)
    }
}

/// The file's text; `None` when it doesn't exist.
fn read(path: &Path) -> Result<Option<String>, SettingsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SettingsError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// TOML text → document; a syntax error is one lowercase line naming the file.
fn parse_document(text: &str, path: &str) -> Result<DocumentMut, SettingsError> {
    text.parse()
        .map_err(|e: toml_edit::TomlError| SettingsError::Syntax {
            path: path.to_owned(),
            message: e
                .message()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        })
}

/// The first entry whose key matches `name` case-insensitively (Granted's decoder takes
/// an exact match first, and keys differing only in case are rare enough to ignore).
fn find<'t>(table: &'t dyn TableLike, name: &str) -> Option<&'t Item> {
    table
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// Typed reads of settings by canonical dotted name (`Keyring.Backend`); the last part
/// is the key looked up in the given table.
struct Reader<'p> {
    path: &'p str,
}

impl Reader<'_> {
    fn error(&self, name: &str, expected: &'static str) -> SettingsError {
        SettingsError::Type {
            path: self.path.to_owned(),
            name: name.to_owned(),
            expected,
        }
    }

    fn value<'t>(&self, table: &'t dyn TableLike, name: &str) -> Option<&'t Item> {
        find(table, name.rsplit('.').next().unwrap_or(name))
    }

    /// A string, trimmed; an empty one is unset.
    fn text(&self, table: &dyn TableLike, name: &str) -> Result<Option<String>, SettingsError> {
        match self.value(table, name).map(Item::as_value) {
            None => Ok(None),
            Some(Some(Value::String(s))) => {
                let s = s.value().trim();
                Ok((!s.is_empty()).then(|| s.to_owned()))
            }
            Some(_) => Err(self.error(name, "a string")),
        }
    }

    /// A boolean; the strings `"true"`, `"t"`, `"1"`, `"false"`, `"f"`, `"0"` and `""`
    /// (any case, trimmed) are accepted too.
    fn flag(&self, table: &dyn TableLike, name: &str) -> Result<bool, SettingsError> {
        match self.value(table, name).map(Item::as_value) {
            None => Ok(false),
            Some(Some(Value::Boolean(b))) => Ok(*b.value()),
            Some(Some(Value::String(s))) => {
                let s = s.value().trim();
                if ["true", "t", "1"].iter().any(|t| s.eq_ignore_ascii_case(t)) {
                    Ok(true)
                } else if ["false", "f", "0", ""]
                    .iter()
                    .any(|f| s.eq_ignore_ascii_case(f))
                {
                    Ok(false)
                } else {
                    Err(self.error(name, "true or false"))
                }
            }
            Some(_) => Err(self.error(name, "true or false")),
        }
    }

    fn integer(&self, table: &dyn TableLike, name: &str) -> Result<Option<i64>, SettingsError> {
        match self.value(table, name).map(Item::as_value) {
            None => Ok(None),
            Some(Some(Value::Integer(i))) => Ok(Some(*i.value())),
            Some(_) => Err(self.error(name, "a whole number")),
        }
    }

    /// A list of strings, as written.
    fn texts(&self, table: &dyn TableLike, name: &str) -> Result<Vec<String>, SettingsError> {
        match self.value(table, name).map(Item::as_value) {
            None => Ok(Vec::new()),
            Some(Some(Value::Array(items))) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| self.error(name, "a list of strings"))
                })
                .collect(),
            Some(_) => Err(self.error(name, "a list of strings")),
        }
    }

    /// A table (or inline table), moved out of `root` as it was written.
    fn take_table(&self, root: &mut Table, name: &str) -> Result<Option<Table>, SettingsError> {
        let Some(key) = root
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(k, _)| k.to_owned())
        else {
            return Ok(None);
        };
        match root.remove(&key).map(Item::into_table) {
            Some(Ok(table)) => Ok(Some(table)),
            Some(Err(_)) => Err(self.error(name, "a table")),
            None => Ok(None),
        }
    }
}

/// Top-level settings written under a table header (`[Keyring]`, `[SSO.x]`,
/// `[[ProfileRegistry.Registries]]`, …), in file order per table.
fn misplaced_keys(root: &Table, file: &str) -> Vec<Warning> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    walk_tables(root, &mut path, file, &mut found);
    found
}

fn walk_tables<'t>(
    table: &'t Table,
    path: &mut Vec<&'t str>,
    file: &str,
    found: &mut Vec<Warning>,
) {
    for (key, item) in table.iter() {
        path.push(key);
        match item {
            Item::Table(sub) => {
                if !sub.is_implicit() && !sub.is_dotted() {
                    check_header(sub, path, false, file, found);
                }
                walk_tables(sub, path, file, found);
            }
            Item::ArrayOfTables(tables) => {
                for sub in tables.iter() {
                    check_header(sub, path, true, file, found);
                    walk_tables(sub, path, file, found);
                }
            }
            _ => {}
        }
        path.pop();
    }
}

/// Warns about the top-level settings among the values of the table whose header is
/// `path` (`[[path]]` when `array`).
fn check_header(table: &Table, path: &[&str], array: bool, file: &str, found: &mut Vec<Warning>) {
    for (key, item) in table.iter() {
        let top_level = |(name, kind): &(&str, Kind)| {
            *kind != Kind::Table && !name.contains('.') && name.eq_ignore_ascii_case(key)
        };
        if item.is_value() && KNOWN.iter().any(top_level) {
            let (open, close) = if array { ("[[", "]]") } else { ("[", "]") };
            found.push(Warning::Misplaced {
                file: file.to_owned(),
                key: key.to_owned(),
                header: format!("{open}{}{close}", path.join(".")),
            });
        }
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
