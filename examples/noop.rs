//! A do-nothing binary: the start-up floor the benchmarks compare against.

// An example runs outside granted's system boundary.
#![allow(clippy::disallowed_methods)]

fn main() {}
