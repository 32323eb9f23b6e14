//! One integration-test binary (one link of the SDK-heavy crate instead of many).

mod awsconfig_conformance;
