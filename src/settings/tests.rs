use std::collections::HashMap;

use super::*;

fn parse(text: &str) -> Settings {
    let (settings, warnings) = Settings::parse(text, "config").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    settings
}

fn type_error(text: &str) -> String {
    Settings::parse(text, "~/.granted/config")
        .unwrap_err()
        .to_string()
}

#[test]
fn an_empty_file_is_the_defaults() {
    let s = parse("");
    assert_eq!(s.keyring, KeyringSettings::default());
    assert!(!s.disable_credential_process_cache);
    assert!(!s.credential_process_auto_login);
    assert!(!s.export_sso_token);
    assert!(!s.default_export_all_env_var);
    assert!(!s.disable_usage_tips);
    assert_eq!(s.ordering, None);
    assert_eq!(s.custom_sso_browser_path, None);
    assert!(s.sso.is_empty());
    assert!(s.profile_registry_urls.is_empty());
    let missing = Path::new("/nonexistent/granted/config");
    let (s, warnings) = Settings::load(missing).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(s.keyring, KeyringSettings::default());
}

#[test]
fn names_are_matched_case_insensitively() {
    let s = parse(
        "disablecredentialprocesscache = true\nCREDENTIALPROCESSAUTOLOGIN = \"true\"\nordering = \" Alphabetical \"\nexportssotoken = \"\"\n[keyring]\nbackend = \"file\"\nFileDir = \"~/vault\"\nkeychainname = \"\"\n",
    );
    assert!(s.disable_credential_process_cache);
    assert!(s.credential_process_auto_login);
    assert!(!s.export_sso_token);
    assert_eq!(s.ordering.as_deref(), Some("Alphabetical"));
    assert_eq!(s.keyring.backend.as_deref(), Some("file"));
    assert_eq!(s.keyring.file_dir.as_deref(), Some("~/vault"));
    assert_eq!(s.keyring.keychain_name, None, "an empty string is unset");
    assert!(!s.default_export_all_env_var);
}

#[test]
fn every_typed_setting_is_read() {
    let s = parse(
        r#"DefaultBrowser = "FIREFOX"
CustomBrowserPath = "/b"
CustomSSOBrowserPath = "sso-browser --new"
Ordering = "Frecency"
ExportCredentialSuffix = "x"
ExportCredsToAWS = true
ExportSSOToken = "T"
AccessRequestURL = "https://r"
CommonFateDefaultSSOStartURL = "https://s"
CommonFateDefaultSSORegion = "eu-west-1"
DisableUsageTips = true
DisableCredentialProcessCache = "1"
DefaultExportAllEnvVar = true
CredentialProcessAutoLogin = true
UseAuthorizationCode = true
ProfileRegistryURLS = ["https://a", "https://b"]
LastCheckForUpdates = 3
SSOBrowserLaunchTemplate = { Command = "x" }

[Keyring]
Backend = "pass"
KeychainName = "k"
FileDir = "/f"
LibSecretCollectionName = "c"
PassDir = "/p"

[AWSConsoleBrowserLaunchTemplate]
Command = "y"

[ProfileRegistry]
PrefixAllProfiles = true

[SSO.work]
StartURL = "https://w"

[SSO.home]
StartURL = "https://h"
"#,
    );
    assert_eq!(s.default_browser.as_deref(), Some("FIREFOX"));
    assert_eq!(s.custom_browser_path.as_deref(), Some("/b"));
    assert_eq!(
        s.custom_sso_browser_path.as_deref(),
        Some("sso-browser --new")
    );
    assert_eq!(s.ordering.as_deref(), Some("Frecency"));
    assert_eq!(s.export_credential_suffix.as_deref(), Some("x"));
    assert!(s.export_creds_to_aws && s.export_sso_token && s.disable_usage_tips);
    assert!(s.disable_credential_process_cache && s.default_export_all_env_var);
    assert!(s.credential_process_auto_login && s.use_authorization_code);
    assert_eq!(s.access_request_url.as_deref(), Some("https://r"));
    assert_eq!(
        s.common_fate_default_sso_start_url.as_deref(),
        Some("https://s")
    );
    assert_eq!(
        s.common_fate_default_sso_region.as_deref(),
        Some("eu-west-1")
    );
    assert_eq!(s.profile_registry_urls, ["https://a", "https://b"]);
    assert_eq!(s.last_check_for_updates, Some(3));
    assert_eq!(
        s.keyring,
        KeyringSettings {
            backend: Some("pass".into()),
            keychain_name: Some("k".into()),
            file_dir: Some("/f".into()),
            lib_secret_collection_name: Some("c".into()),
            pass_dir: Some("/p".into()),
        }
    );
    let command = |t: &Option<Table>| {
        t.as_ref()
            .and_then(|t| t.get("Command"))
            .and_then(Item::as_str)
            .map(str::to_owned)
    };
    assert_eq!(
        command(&s.sso_browser_launch_template).as_deref(),
        Some("x")
    );
    assert_eq!(
        command(&s.aws_console_browser_launch_template).as_deref(),
        Some("y")
    );
    assert!(s.profile_registry.is_some());
    assert_eq!(s.sso.keys().collect::<Vec<_>>(), ["home", "work"]);
    assert_eq!(
        s.sso["work"].get("StartURL").and_then(Item::as_str),
        Some("https://w")
    );
}

#[test]
fn wrong_types_and_syntax_are_errors_naming_the_file_and_setting() {
    assert_eq!(
        type_error("DisableCredentialProcessCache = \"perhaps\"\n"),
        "~/.granted/config: setting `DisableCredentialProcessCache` must be true or false"
    );
    assert_eq!(
        type_error("disableusagetips = 1\n"),
        "~/.granted/config: setting `DisableUsageTips` must be true or false"
    );
    assert_eq!(
        type_error("[keyring]\nbackend = true\n"),
        "~/.granted/config: setting `Keyring.Backend` must be a string"
    );
    assert_eq!(
        type_error("Keyring = \"file\"\n"),
        "~/.granted/config: setting `Keyring` must be a table"
    );
    assert_eq!(
        type_error("ProfileRegistryURLS = [\"a\", 1]\n"),
        "~/.granted/config: setting `ProfileRegistryURLS` must be a list of strings"
    );
    assert_eq!(
        type_error("[SSO]\nwork = 1\n"),
        "~/.granted/config: setting `SSO.work` must be a table"
    );
    let e = type_error("Ordering = \n");
    assert!(e.starts_with("~/.granted/config: "), "{e}");
    assert!(!e.contains('\n'));
}

#[test]
fn unknown_keys_are_ignored_when_loading_and_reported_by_the_file() {
    let text = "Typo = 1\n[Keyring]\nBackend = \"file\"\nBakend = \"x\"\n";
    let s = parse(text);
    assert_eq!(s.keyring.backend.as_deref(), Some("file"));
    let file = SettingsFile::parse(text, "c").unwrap();
    assert_eq!(
        file.unknown_keys(),
        vec!["Typo".to_owned(), "Keyring.Bakend".to_owned()]
    );
}

#[test]
fn a_top_level_key_after_a_table_is_a_warning_and_has_no_effect() {
    let text = "DefaultBrowser = \"STDOUT\"\n[Keyring]\nBackend = \"file\"\nDisableUsageTips = true\nexportssotoken = true\n\n[SSO.work]\nStartURL = \"u\"\nOrdering = \"Alphabetical\"\n";
    let (s, warnings) = Settings::parse(text, "~/.granted/config").unwrap();
    assert!(!s.disable_usage_tips, "Granted ignores it too");
    assert!(!s.export_sso_token);
    assert_eq!(s.ordering, None);
    assert_eq!(s.keyring.backend.as_deref(), Some("file"));
    let lines: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "~/.granted/config: `DisableUsageTips` comes after [Keyring], so it belongs to that table and is ignored; move it above the first [table] line",
            "~/.granted/config: `exportssotoken` comes after [Keyring], so it belongs to that table and is ignored; move it above the first [table] line",
            "~/.granted/config: `Ordering` comes after [SSO.work], so it belongs to that table and is ignored; move it above the first [table] line",
        ]
    );
    assert_eq!(
        SettingsFile::parse(text, "~/.granted/config")
            .unwrap()
            .warnings(),
        warnings
    );
    // Registries are arrays of tables.
    let (_, warnings) = Settings::parse(
        "[[ProfileRegistry.Registries]]\nname = \"r\"\nCredentialProcessAutoLogin = true\n",
        "c",
    )
    .unwrap();
    assert_eq!(
        warnings,
        [Warning::Misplaced {
            file: "c".into(),
            key: "CredentialProcessAutoLogin".into(),
            header: "[[ProfileRegistry.Registries]]".into(),
        }]
    );
    // The same keys above the header, in an inline table or as a deliberate dotted
    // key are not warned about.
    for text in [
        "DisableUsageTips = true\n[Keyring]\nBackend = \"file\"\n",
        "Keyring = { Backend = \"file\", Ordering = \"x\" }\n",
        "Keyring.Ordering = \"x\"\n",
    ] {
        assert!(Settings::parse(text, "c").unwrap().1.is_empty(), "{text}");
    }
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
    let mut s = SettingsFile::parse(text, "c").unwrap();
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
    let back = parse(&s.to_text());
    assert!(back.disable_credential_process_cache);
    assert_eq!(back.keyring.backend.as_deref(), Some("file"));
}

#[test]
fn set_can_fix_a_value_of_the_wrong_type() {
    let text = "DisableUsageTips = \"perhaps\"\n";
    assert!(Settings::parse(text, "c").is_err());
    let mut file = SettingsFile::parse(text, "c").unwrap();
    assert_eq!(file.set("DisableUsageTips", "true"), Ok("DisableUsageTips"));
    assert!(parse(&file.to_text()).disable_usage_tips);
}

#[test]
fn set_refuses_unknown_names_and_bad_values_naming_the_choices() {
    let mut s = SettingsFile::default();
    let e = s.set("Bakend", "file").unwrap_err();
    assert!(
        e.starts_with(
            "the selected field `Bakend` is not a valid config parameter; settings: DefaultBrowser, "
        ),
        "{e}"
    );
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
        parse(&s.to_text()).ordering.as_deref(),
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
