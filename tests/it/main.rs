//! One integration-test binary (one link of the SDK-heavy crate instead of many).

// Tests drive real processes: they read the real environment and clocks.
#![allow(clippy::disallowed_methods)]

mod assume; // assume in real bash, zsh, fish and nushell, against the emulator
mod awscli; // the real AWS CLI consuming our credential_process
mod awsconfig_conformance; // the parser against what the AWS CLI makes of 26 files
mod binary; // properties of the built binary (PIE)
mod cache; // credential cache, single-flight, store on disk
mod completions; // granted completion, and the checked-in copies kept current
mod credential_process; // the binary end to end against the emulator
mod credentials; // granted credentials add, list, remove, export-plaintext
mod layers; // the module layers of src/lib.rs hold
mod picker; // the profile picker in real tmux, frecency across processes
mod settings; // granted settings print and set
mod shell_emit; // shell emitters and wrappers, evaluated in real shells
mod sso_login; // granted sso login, then credential-process with its token
mod util; // temp HOME, emulator, running the binary
