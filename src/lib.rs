//! granted: resolves AWS profiles into credentials for `credential_process` and the `assume` shell function.

pub mod awsconfig;
