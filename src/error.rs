//! Error helpers shared by every layer.
//!
//! Owns how an error and its causes become one line of text. It must not decide which
//! errors exist: each domain keeps its own `thiserror` enum with `#[source]` causes.

use std::error::Error;

/// `error: cause: cause…` — the error and each of its `source()`s, joined on one line.
pub fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let part = cause.to_string();
        // A wrapper that repeats its cause's text adds nothing.
        if !text.ends_with(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        next = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn causes_are_joined_in_order() {
        let e = Outer(std::io::Error::other("inner"));
        assert_eq!(super::chain(&e), "outer: inner");
    }
}
