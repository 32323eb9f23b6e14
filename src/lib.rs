//! granted: resolves AWS profiles into credentials for `credential_process` and the
//! `assume` shell function.
//!
//! Layers, bottom up: `secret`, `creds` (values) → `awsconfig` (the two INI files),
//! `settings` (`~/.granted/config`), `output` (JSON), `shell` (per-shell statements,
//! pure), `store` (encrypted store) → `picker` (terminal list, frecency), `cache`,
//! `resolve` (profile → chain, pure) → `aws` (SDK calls), `sso` (tokens, login,
//! refresh) → `credentials` (walks a chain) → `app` (commands) → `cli`, `main.rs`.

// Unit tests may read the real clock and environment; the library itself is checked
// against clippy.toml's bans in its non-test build.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod app;
pub mod aws;
pub mod awsconfig;
pub mod cache;
pub mod cli;
pub mod credentials;
pub mod creds;
pub mod error;
pub mod fetch;
pub mod output;
pub mod picker;
pub mod resolve;
pub mod run;
pub mod secret;
pub mod settings;
pub mod shell;
pub mod sso;
pub mod store;
pub mod sys;
pub mod ui;
