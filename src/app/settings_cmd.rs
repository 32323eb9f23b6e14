//! `granted settings [print]` and `granted settings set -s NAME -v VALUE`.

use std::fmt::Write as _;

use anyhow::Context as _;

use crate::cli::SettingsCommand;
use crate::settings::{GrantedDirs, SETTABLE, Settings};

pub fn run(command: Option<&SettingsCommand>) -> anyhow::Result<()> {
    let sys = crate::sys::Sys::process();
    let dirs = GrantedDirs::from_vars(|k| sys.var(k), std::path::Path::is_dir)
        .context("could not find the home folder (HOME is not set)")?;
    let path = dirs.settings_file();
    let mut settings = Settings::load(&path)?;
    for key in settings.unknown_keys() {
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
            crate::store::ensure_private_dir(&dirs.config)
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
            crate::store::write_atomic(&path, settings.to_text().as_bytes())
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
