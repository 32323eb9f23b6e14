//! The settings file as text, for `granted settings`: printing values as written,
//! setting one by its Granted name while keeping comments, order and spelling, and
//! finding keys Granted doesn't know.
//!
//! It never interprets a value (that is [`super::Settings`]) and never touches the
//! disk: the command reads and writes the file.

use toml_edit::{DocumentMut, Item, Value};

use super::{KNOWN, Kind, SettingsError, Warning};

/// The settings file, parsed for editing.
#[derive(Debug, Clone, Default)]
pub struct SettingsFile {
    doc: DocumentMut,
    path: String,
}

impl SettingsFile {
    /// Reads `path`; a missing file is an empty one.
    pub fn load(path: &std::path::Path) -> Result<SettingsFile, SettingsError> {
        let display = path.display().to_string();
        match super::read(path)? {
            Some(text) => SettingsFile::parse(&text, &display),
            None => Ok(SettingsFile {
                path: display,
                ..SettingsFile::default()
            }),
        }
    }

    pub fn parse(text: &str, path: &str) -> Result<SettingsFile, SettingsError> {
        Ok(SettingsFile {
            doc: super::parse_document(text, path)?,
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

    /// Keys that sit under a table header although they are top-level settings.
    pub fn warnings(&self) -> Vec<Warning> {
        super::misplaced_keys(self.doc.as_table(), &self.path)
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
