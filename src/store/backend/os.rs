//! What the OS-store holders (`keychain`, `wincred`, `secret-service`) share: the data
//! key as a text item in the `keyring` crate's entry for (service, `data-key:<store id>`),
//! read or written on a thread of its own and waited for with a timeout.
//!
//! Each holder only says how its entry is made and which target (keychain or collection)
//! it names. This module must not format a value into an error.

use std::sync::mpsc;
use std::time::Duration;

use zeroize::Zeroizing;

use super::super::crypto::{self, DataKey, KEY_LEN};
use super::super::{Backend, StoreError};
use super::Ctx;

/// Makes the entry for (target, service, account) in one OS store.
pub(super) type EntryFn =
    fn(target: Option<&str>, service: &str, user: &str) -> keyring::Result<keyring::Entry>;

/// The data key held in `b`'s item, `None` if there is no item.
pub(super) fn load(
    b: Backend,
    ctx: &Ctx<'_>,
    target: Option<&str>,
    entry: EntryFn,
    wait: Duration,
) -> Result<Option<DataKey>, StoreError> {
    match call(b, ctx, target, entry, None, wait)? {
        Reply::Value(text) => parse_key_text(&text)
            .map(Some)
            .ok_or_else(|| StoreError::Backend {
                backend: b,
                action: "read the data key",
                reason: format!(
                    "the item for service '{}', account '{}' is not a granted data key",
                    ctx.service(),
                    ctx.account()
                ),
            }),
        Reply::NoEntry | Reply::Stored => Ok(None),
    }
}

/// Writes `key` as `b`'s item.
pub(super) fn save(
    b: Backend,
    ctx: &Ctx<'_>,
    target: Option<&str>,
    entry: EntryFn,
    key: &DataKey,
    wait: Duration,
) -> Result<(), StoreError> {
    call(b, ctx, target, entry, Some(key_text(key)), wait).map(|_| ())
}

const KEY_TEXT_PREFIX: &str = "granted-data-key-v1:";

fn key_text(key: &DataKey) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(KEY_TEXT_PREFIX.len() + 2 * KEY_LEN));
    text.push_str(KEY_TEXT_PREFIX);
    let mut hex = Zeroizing::new([0u8; 2 * KEY_LEN]);
    crypto::hex_into(&key[..], &mut hex[..]);
    for c in hex.iter() {
        text.push(char::from(*c));
    }
    text
}

fn parse_key_text(text: &str) -> Option<DataKey> {
    let hex = text.trim().strip_prefix(KEY_TEXT_PREFIX)?;
    crypto::unhex::<KEY_LEN>(hex).map(Zeroizing::new)
}

enum Reply {
    Value(Zeroizing<String>),
    Stored,
    NoEntry,
}

enum Answer {
    Reply(Reply),
    Failed(String),
}

/// Never formats a value: `BadEncoding` carries the bytes it could not decode.
fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::BadEncoding(_) => "the stored item is not text".into(),
        other => other.to_string().replace('\n', " "),
    }
}

/// Reads the data-key item (`value` = `None`) or writes it.
fn call(
    b: Backend,
    ctx: &Ctx<'_>,
    target: Option<&str>,
    entry: EntryFn,
    value: Option<Zeroizing<String>>,
    wait: Duration,
) -> Result<Reply, StoreError> {
    let unavailable = |reason: String| StoreError::Unavailable { backend: b, reason };
    let target = target.filter(|t| !t.is_empty()).map(str::to_owned);
    let service = ctx.service().to_owned();
    let user = ctx.account();
    let writing = value.is_some();
    let (tx, rx) = mpsc::sync_channel::<Answer>(1);
    std::thread::Builder::new()
        .name("granted-keyring".into())
        .spawn(move || {
            let answer = match entry(target.as_deref(), &service, &user) {
                Err(e) => Answer::Failed(describe(&e)),
                Ok(entry) => match value {
                    Some(v) => match entry.set_password(&v) {
                        Ok(()) => Answer::Reply(Reply::Stored),
                        Err(e) => Answer::Failed(describe(&e)),
                    },
                    None => match entry.get_password() {
                        Ok(v) => Answer::Reply(Reply::Value(Zeroizing::new(v))),
                        Err(keyring::Error::NoEntry) => Answer::Reply(Reply::NoEntry),
                        Err(e) => Answer::Failed(describe(&e)),
                    },
                },
            };
            let _ = tx.send(answer);
        })
        .map_err(|e| unavailable(format!("could not start a thread: {e}")))?;
    let action = if writing {
        "store the data key"
    } else {
        "read the data key"
    };
    match rx.recv_timeout(wait) {
        Ok(Answer::Reply(r)) => Ok(r),
        Ok(Answer::Failed(reason)) => Err(StoreError::Backend {
            backend: b,
            action,
            reason,
        }),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(unavailable(format!("no answer within {wait:?}")))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(unavailable(
            "the keyring call stopped without an answer".into(),
        )),
    }
}
