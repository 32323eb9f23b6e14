//! `granted settings [print]` and `granted settings set -s NAME -v VALUE`.

use std::fmt::Write as _;

use anyhow::Context as _;

use crate::cli::SettingsCommand;
use crate::settings::{GrantedDirs, SETTABLE, SettingsFile, Warning};

pub fn run(command: Option<&SettingsCommand>) -> anyhow::Result<()> {
    let sys = crate::sys::Sys::process();
    let dirs = GrantedDirs::from_vars(|k| sys.var(k), std::path::Path::is_dir)
        .context("could not find the home folder (HOME is not set)")?;
    let path = dirs.settings_file();
    let mut settings = SettingsFile::load(&path)?;
    let warnings = settings.warnings();
    for warning in &warnings {
        eprintln!("[!] {warning}");
    }
    // A misplaced key is also unknown in its table: one line about it is enough.
    let misplaced = |key: &str| {
        warnings
            .iter()
            .any(|Warning::Misplaced { key: k, header, .. }| {
                key.strip_suffix(k.as_str())
                    .and_then(|rest| rest.strip_suffix('.'))
                    .is_some_and(|table| header == &format!("[{table}]"))
            })
    };
    for key in settings.unknown_keys() {
        if misplaced(&key) {
            continue;
        }
        eprintln!(
            "[!] {}: unknown setting `{key}` (kept as it is)",
            path.display()
        );
    }
    match command {
        None | Some(SettingsCommand::Print) => {
            let width = SETTABLE.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
            let mut out = format!("{:width$}  VALUE\n", "SETTING");
            for (name, _, _) in SETTABLE {
                let value = settings
                    .item(name)
                    .and_then(|i| i.as_value())
                    .map(display)
                    .unwrap_or_default();
                let _ = writeln!(out, "{name:width$}  {value}");
            }
            super::write_stdout(&out)
        }
        Some(SettingsCommand::Set { setting, value }) => {
            let name = settings
                .set(setting, value)
                .map_err(|e| anyhow::anyhow!(e))?;
            crate::sys::fs::ensure_private_dir(&dirs.config)
                .with_context(|| format!("could not create {}", dirs.config.display()))?;
            // An existing folder is tightened too: it holds the store by default.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&dirs.config, std::fs::Permissions::from_mode(0o700))
                    .with_context(|| {
                        format!("could not set the mode of {}", dirs.config.display())
                    })?;
            }
            crate::sys::fs::write_atomic(&path, settings.to_text().as_bytes())
                .with_context(|| format!("could not write {}", path.display()))?;
            let shown = settings
                .item(name)
                .and_then(|i| i.as_value())
                .map(display)
                .unwrap_or_default();
            eprintln!("[✔] {name} = {shown} in {}", path.display());
            Ok(())
        }
    }
}

/// A value as a user would type it.
fn display(value: &toml_edit::Value) -> String {
    match value {
        toml_edit::Value::String(s) => s.value().clone(),
        other => other.to_string().trim().to_owned(),
    }
}
