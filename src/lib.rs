//! granted: resolves AWS profiles into credentials for `credential_process` and the
//! `assume` shell function.
//!
//! Layers, bottom up. A module imports only from its own layer and the layers below
//! (`tests/it/layers.rs` reads this list and checks every `crate::` path):
//!
//! 1. `sys`, `error`, `secret` — the system boundary (environment, clocks, home,
//!    terminal) and plain helpers
//! 2. `creds`, `awsconfig`, `settings`, `shell`, `store`, `cli` — values, the files
//!    granted reads, per-shell statements (pure), the encrypted store, the flags
//! 3. `output`, `picker`, `resolve`, `run`, `ui` — JSON, the terminal list, profile →
//!    chain (pure), the per-run context, browser and prompts
//! 4. `cache`, `aws` — credential cache entries, SDK calls
//! 5. `sso` — tokens, login, refresh, the token provider
//! 6. `credentials` — walks a chain, one file per source
//! 7. `fetch` — the credential service: request → plan → cache, single-flight, fetch
//! 8. `app` — the commands; `main.rs` only hands argv over

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
