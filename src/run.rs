//! The per-run context: what one run of granted knows before it does anything — the
//! system ([`Sys`]: environment, clock, home), Granted's folders and settings, and
//! where the encrypted store lives.
//!
//! Owns turning `[Keyring]` settings and `CF_KEYRING_FILE_PASSWORD` into a
//! [`StoreConfig`], and the browser setting for logins. It must not open the store,
//! read the AWS config or print.

use std::path::PathBuf;

use crate::settings::{GrantedDirs, Settings, SettingsError, Warning};
use crate::store::{Backend, StoreConfig, StoreError};
use crate::sys::Sys;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("could not find the home folder (HOME is not set)")]
    NoHome,
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("{path}: Keyring.Backend")]
    Backend {
        path: String,
        #[source]
        source: StoreError,
    },
}

/// Granted's folders and settings, as every command reads them.
pub struct Run {
    pub sys: Sys,
    pub home: PathBuf,
    pub dirs: GrantedDirs,
    pub settings: Settings,
    /// What loading the settings found wrong but survivable; the caller shows them.
    pub warnings: Vec<Warning>,
}

impl Run {
    /// Folders from `HOME` and the XDG variables, settings from `<config>/config`.
    pub fn load(sys: Sys) -> Result<Run, RunError> {
        let home = sys.home().ok_or(RunError::NoHome)?;
        let dirs = GrantedDirs::from_vars(|k| sys.var(k), std::path::Path::is_dir)
            .ok_or(RunError::NoHome)?;
        let (settings, warnings) = Settings::load(&dirs.settings_file())?;
        Ok(Run {
            sys,
            home,
            dirs,
            settings,
            warnings,
        })
    }

    /// Where the secret store lives and which backend holds its key, from the
    /// `[Keyring]` settings and `CF_KEYRING_FILE_PASSWORD`.
    pub fn store_config(&self) -> Result<StoreConfig, RunError> {
        let keyring = &self.settings.keyring;
        let dir = match &keyring.file_dir {
            Some(dir) => crate::settings::expand_tilde(dir, &self.home),
            None => self.dirs.config.join("secure-storage"),
        };
        let mut config = StoreConfig::new(dir, "granted");
        config.backend = match &keyring.backend {
            Some(name) => Some(
                name.parse::<Backend>()
                    .map_err(|source| RunError::Backend {
                        path: self.dirs.settings_file().display().to_string(),
                        source,
                    })?,
            ),
            None => None,
        };
        config.passphrase = self
            .sys
            .var("CF_KEYRING_FILE_PASSWORD")
            .map(crate::secret::Secret::new);
        config.keychain_name.clone_from(&keyring.keychain_name);
        config
            .collection_name
            .clone_from(&keyring.lib_secret_collection_name);
        Ok(config)
    }

    /// The volatile store for cached session credentials when the store itself can't
    /// open without asking: its data key lives only in the kernel keyring (Linux).
    pub fn volatile_store_config(&self) -> Option<StoreConfig> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let mut config = StoreConfig::new(self.dirs.config.join("volatile-cache"), "granted");
        config.backend = Some(Backend::Keyctl);
        Some(config)
    }

    /// The browser for SSO logins: `CustomSSOBrowserPath`, else `$BROWSER`.
    pub fn sso_browser(&self) -> Option<String> {
        self.settings
            .custom_sso_browser_path
            .clone()
            .or_else(|| self.sys.var("BROWSER"))
    }
}
