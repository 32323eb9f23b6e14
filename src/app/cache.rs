//! `granted cache list|clear`: what the encrypted store holds.

use std::fmt::Write as _;

use anyhow::bail;
use time::OffsetDateTime;

use crate::cache;
use crate::cli::{CacheClearArgs, CacheCommand};
use crate::store::{Namespace, SecretStore, Store, StoreConfig};

pub fn run(command: &CacheCommand) -> anyhow::Result<()> {
    let run = super::load_run()?;
    let config = run.store_config()?;
    let volatile = run.volatile_store_config();
    match command {
        CacheCommand::List => {
            super::write_stdout(&list(&config, volatile.as_ref(), run.sys.now())?)
        }
        CacheCommand::Clear(args) => clear(&config, volatile.as_ref(), args),
    }
}

/// `STORAGE  KEY  EXPIRES` rows; expiry only for cached credentials. The volatile
/// store (credentials cached while the store needs a passphrase nobody gave) is listed
/// when it can be opened.
fn list(
    config: &StoreConfig,
    volatile: Option<&StoreConfig>,
    now: OffsetDateTime,
) -> anyhow::Result<String> {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    if config.dir.join("backend").exists() {
        rows_of(&Store::open(config)?, "", now, &mut rows)?;
    }
    if let Some(volatile) = volatile.filter(|v| v.dir.join("backend").exists())
        && let Ok(store) = Store::open_with(volatile, crate::store::Prompt::Never)
    {
        rows_of(&store, " (volatile)", now, &mut rows)?;
    }
    if rows.is_empty() {
        return Ok("the store is empty\n".to_owned());
    }
    let w0 = rows
        .iter()
        .map(|r| r.0.len())
        .max()
        .unwrap_or(0)
        .max("STORAGE".len());
    let w1 = rows
        .iter()
        .map(|r| r.1.len())
        .max()
        .unwrap_or(0)
        .max("KEY".len());
    let mut out = format!("{:w0$}  {:w1$}  EXPIRES\n", "STORAGE", "KEY");
    for (ns, key, expires) in rows {
        let _ = writeln!(out, "{ns:w0$}  {key:w1$}  {expires}");
    }
    Ok(out)
}

fn rows_of(
    store: &Store,
    suffix: &str,
    now: OffsetDateTime,
    rows: &mut Vec<(String, String, String)>,
) -> anyhow::Result<()> {
    for ns in Namespace::ALL {
        for key in store.list(ns)? {
            let expires = match ns {
                Namespace::SessionCredentials => match cache::load(&store, &key)? {
                    Some(entry) => match entry.credentials.expiration {
                        Some(at) if at > now => {
                            format!(
                                "{} (in {})",
                                crate::output::utc_rfc3339(at),
                                minutes(at - now)
                            )
                        }
                        Some(at) => format!("{} (expired)", crate::output::utc_rfc3339(at)),
                        None => "-".to_owned(),
                    },
                    None => "(unreadable: refreshed on next use)".to_owned(),
                },
                _ => "-".to_owned(),
            };
            rows.push((format!("{ns}{suffix}"), key, expires));
        }
    }
    Ok(())
}

fn minutes(d: time::Duration) -> String {
    let m = d.whole_minutes();
    if m >= 60 {
        format!("{}h{:02}m", m / 60, m % 60)
    } else {
        format!("{m}m")
    }
}

/// Deletes items without needing the store key (no passphrase asked), in the store
/// and in the volatile one.
fn clear(
    config: &StoreConfig,
    volatile: Option<&StoreConfig>,
    args: &CacheClearArgs,
) -> anyhow::Result<()> {
    let mut namespaces: Vec<Namespace> = Vec::new();
    for name in &args.storage {
        let ns: Namespace = name
            .parse()
            .map_err(|e| anyhow::Error::from(e).context(format!("--storage {name}")))?;
        if !namespaces.contains(&ns) {
            namespaces.push(ns);
        }
    }
    if args.all {
        for ns in Namespace::ALL
            .into_iter()
            .filter(|ns| *ns != Namespace::IamCredentials)
        {
            if !namespaces.contains(&ns) {
                namespaces.push(ns);
            }
        }
    }
    if namespaces.is_empty() {
        bail!(
            "say what to clear: --storage <name> (session-credentials, sso-tokens, client-registrations, mfa-sessions, iam-credentials) or --all"
        );
    }
    let mut report = String::new();
    for ns in namespaces {
        let mut n = Store::clear_in(&config.dir, ns)?;
        if let Some(volatile) = volatile {
            n += Store::clear_in(&volatile.dir, ns)?;
        }
        let _ = writeln!(report, "[✔] cleared {n} item(s) from {ns}");
    }
    if args.all {
        Store::forget_session_key_in(&config.dir)?;
        if let Some(volatile) = volatile.filter(|v| v.dir.exists()) {
            Store::forget_session_key_in(&volatile.dir)?;
        }
    }
    eprint!("{report}");
    Ok(())
}
