//! `granted credential-process --profile NAME`: one request to the credential service
//! ([`crate::fetch`]), printed as the Version 1 JSON line. Nothing else ever reaches
//! stdout.

use std::path::PathBuf;

use crate::cli::CredentialProcessArgs;
use crate::fetch::{Request, Service};
use crate::output::credential_process_json;

pub fn run(
    args: &CredentialProcessArgs,
    aws_config_file: Option<PathBuf>,
    verbose: bool,
) -> anyhow::Result<()> {
    super::write_stdout(&json_for(args, aws_config_file, verbose)?)
}

/// The JSON line `granted credential-process` prints for these arguments.
pub fn json_for(
    args: &CredentialProcessArgs,
    aws_config_file: Option<PathBuf>,
    verbose: bool,
) -> anyhow::Result<String> {
    let run = super::load_run()?;
    let paths = crate::fetch::config_paths(&run, aws_config_file.as_deref());
    let service = Service::new(&run, paths, verbose);
    service
        .fetch(&request(args))
        .map(|creds| credential_process_json(&creds))
}

/// The request a `credential-process` command line makes.
pub(super) fn request(args: &CredentialProcessArgs) -> Request {
    Request {
        window: args.window,
        no_cache: args.no_cache,
        auto_login: args.auto_login,
        ..Request::new(&args.profile)
    }
}
