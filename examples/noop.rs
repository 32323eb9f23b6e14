//! A do-nothing binary: the start-up floor the benchmarks compare against.

fn main() {}
