//! `granted credentials add|list|remove|export-plaintext`: long-lived IAM keys kept in
//! the encrypted store instead of `~/.aws/credentials`.
//!
//! Keys are read from the terminal (the secret without echo) or, with no terminal,
//! from standard input — never from the command line.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::awsconfig::edit;
use crate::awsconfig::{ConfigPaths, FileKind};
use crate::cli::{CredentialsArgs, CredentialsCommand};
use crate::credentials::stored;
use crate::resolve::parse_self_call;
use crate::secret::Secret;
use crate::store::{Namespace, SecretStore, Store};

/// `aws_config_file` is `--aws-config-file`: the config file that `add`, `remove` and
/// `export-plaintext` edit instead of `AWS_CONFIG_FILE` / `~/.aws/config`.
pub fn run(command: &CredentialsCommand, aws_config_file: Option<PathBuf>) -> anyhow::Result<()> {
    let run = super::load_run()?;
    let store = super::open_store(&run)?;
    let paths = crate::fetch::config_paths(&run, aws_config_file.as_deref());
    match command {
        CredentialsCommand::Add { profile } => add(&store, &paths, profile),
        CredentialsCommand::List => {
            let names = store.list(Namespace::IamCredentials)?;
            let mut out = String::new();
            for name in names {
                out.push_str(&name);
                out.push('\n');
            }
            super::write_stdout(&out)
        }
        CredentialsCommand::Remove(args) => {
            for profile in targets(&store, args)? {
                store.delete(Namespace::IamCredentials, &profile)?;
                unlink_config(&paths.config, &profile)?;
                eprintln!("[✔] removed the stored keys of profile `{profile}`");
            }
            Ok(())
        }
        CredentialsCommand::ExportPlaintext(args) => {
            for profile in targets(&store, args)? {
                let creds = stored::load(&store, &profile)?.with_context(|| {
                    format!("profile `{profile}` has no keys in granted's encrypted store")
                })?;
                let mut text = read_or_empty(&paths.credentials)?;
                text = edit::set_key(
                    &text,
                    FileKind::Credentials,
                    &profile,
                    "aws_access_key_id",
                    &creds.access_key_id,
                );
                text = edit::set_key(
                    &text,
                    FileKind::Credentials,
                    &profile,
                    "aws_secret_access_key",
                    creds.secret_access_key.expose(),
                );
                // A session token left in that section would spoil the exported keys.
                for stale in ["aws_session_token", "aws_security_token"] {
                    if let Some(t) =
                        edit::remove_key(&text, FileKind::Credentials, &profile, stale, |_| true)
                    {
                        text = t;
                    }
                }
                write_keeping_mode(&paths.credentials, &text)?;
                unlink_config(&paths.config, &profile)?;
                store.delete(Namespace::IamCredentials, &profile)?;
                eprintln!(
                    "[!] the keys of profile `{profile}` are now in plaintext in {}",
                    paths.credentials.display()
                );
            }
            Ok(())
        }
    }
}

fn targets(store: &Store, args: &CredentialsArgs) -> anyhow::Result<Vec<String>> {
    match (&args.profile, args.all) {
        (Some(_), true) => bail!("give a profile or --all, not both"),
        (Some(p), false) => {
            if stored::load(store, p)?.is_none() {
                bail!("profile `{p}` has no keys in granted's encrypted store");
            }
            Ok(vec![p.clone()])
        }
        (None, true) => Ok(store.list(Namespace::IamCredentials)?),
        (None, false) => bail!("name a profile, or --all"),
    }
}

fn add(store: &Store, paths: &ConfigPaths, profile: &str) -> anyhow::Result<()> {
    // The name goes unquoted into a credential_process line that the AWS CLI splits
    // into words: nothing that splitting would change.
    if profile.is_empty()
        || profile.contains(char::is_whitespace)
        || profile.contains(['[', ']', '\'', '"', '\\', '#', ';'])
    {
        bail!(
            "`{profile}` can't be a profile name here (no spaces, quotes, backslashes, brackets, # or ;)"
        );
    }
    let (access_key_id, secret) = read_keys()?;
    stored::save(store, profile, &access_key_id, &secret)?;
    let text = read_or_empty(&paths.config)?;
    let line = format!("granted credential-process --profile={profile}");
    write_keeping_mode(
        &paths.config,
        &edit::set_key(
            &text,
            FileKind::Config,
            profile,
            "credential_process",
            &line,
        ),
    )?;
    eprintln!(
        "[✔] saved the keys of profile `{profile}` in granted's encrypted store ({}), and set its credential_process in {}",
        store.backend(),
        paths.config.display()
    );
    Ok(())
}

/// Removes the profile's `credential_process` line if it runs granted for it.
fn unlink_config(config: &Path, profile: &str) -> anyhow::Result<()> {
    let text = read_or_empty(config)?;
    let ours = |value: &str| {
        parse_self_call(value, &[], crate::awsconfig::shlex_split)
            .is_some_and(|c| c.profile.as_deref() == Some(profile))
    };
    if let Some(text) =
        edit::remove_key(&text, FileKind::Config, profile, "credential_process", ours)
    {
        write_keeping_mode(config, &text)?;
    }
    Ok(())
}

/// The access key id and secret, from the terminal or else standard input.
fn read_keys() -> anyhow::Result<(String, Secret)> {
    let (id, secret) = match crate::sys::open_tty(true, true) {
        Ok(tty) => {
            let mut out = tty.try_clone()?;
            let mut reader = std::io::BufReader::new(tty);
            write!(out, "Access Key ID: ")?;
            out.flush()?;
            let mut id = String::new();
            reader.read_line(&mut id)?;
            drop(reader);
            let secret = rpassword::prompt_password("Secret Access Key: ")
                .context("could not read the secret")?;
            (id, Secret::new(secret))
        }
        Err(_) if !std::io::stdin().is_terminal() => {
            let mut lines = std::io::stdin().lock().lines();
            let id = lines.next().transpose()?.unwrap_or_default();
            let secret = lines.next().transpose()?.unwrap_or_default();
            (id, Secret::new(secret))
        }
        Err(_) => bail!("no terminal to ask for the keys on"),
    };
    let id = id.trim().to_owned();
    let secret = Secret::new(secret.expose().trim());
    if id.is_empty()
        || id.contains(char::is_whitespace)
        || secret.is_empty()
        || secret.expose().contains(char::is_whitespace)
    {
        bail!("an access key id and a secret access key are needed (two lines, no spaces)");
    }
    Ok((id, secret))
}

fn read_or_empty(path: &Path) -> anyhow::Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(anyhow::anyhow!("could not read {}: {e}", path.display())),
    }
}

/// Writes atomically, keeping the file's permissions (0600 for a new file; its folder
/// is created 0700).
fn write_keeping_mode(path: &Path, text: &str) -> anyhow::Result<()> {
    // Write where a symlinked file (a dotfile manager's) really is, keeping the link.
    let resolved = std::fs::canonicalize(path).ok();
    let path = resolved.as_deref().unwrap_or(path);
    let previous = std::fs::metadata(path).ok().map(|m| m.permissions());
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        crate::sys::fs::ensure_private_dir(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
    }
    crate::sys::fs::write_atomic(path, text.as_bytes())
        .with_context(|| format!("could not write {}", path.display()))?;
    if let Some(perms) = previous {
        std::fs::set_permissions(path, perms)
            .with_context(|| format!("could not set the mode of {}", path.display()))?;
    }
    Ok(())
}
