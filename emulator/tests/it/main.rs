//! Integration tests: the real `aws-sdk-sso`, `aws-sdk-ssooidc` and
//! `aws-sdk-sts` clients (and the AWS CLI when installed) against the
//! emulator, plus the standalone binary.

mod binary;
mod common;
mod faults;
mod oidc;
mod robustness;
mod sso;
mod sts;
