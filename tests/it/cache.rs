//! Credential cache, single-flight and the encrypted store, through the binary.
