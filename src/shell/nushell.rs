//! nushell: JSON, never nushell string literals (no anchor writes those; direnv's nushell
//! recipe is JSON + `load-env` too). `shell/assume.nu` parses it with `from json`.
//!
//! export/unset: `{"unset":[NAME…],"set":{NAME:VALUE…}}`
//! exec: `{"unset":[NAME…],"env":{NAME:VALUE…},"argv":[PROGRAM,ARG…]}`
//!
//! One line, then a newline. Object keys keep the caller's order.

/// A JSON string literal for `value` (serde_json's escaping: `"` and `\` escaped, control
/// characters as `\n`, `\t`, `\r` or `\u00XX`, all else as UTF-8). `from json` gives back
/// `value` exactly, so nushell never parses a value as code.
pub fn quote(value: &str) -> String {
    serde_json::to_string(value).expect("a string serializes")
}

fn list(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| quote(s.as_ref())).collect();
    format!("[{}]", items.join(","))
}

fn object(pairs: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{}", quote(k), quote(v)))
        .collect();
    format!("{{{}}}", pairs.join(","))
}

pub fn export(unset: &[&str], set: &[(&str, &str)]) -> String {
    format!("{{\"unset\":{},\"set\":{}}}\n", list(unset), object(set))
}

pub fn exec(unset: &[&str], env: &[(&str, &str)], argv: &[String]) -> String {
    format!(
        "{{\"unset\":{},\"env\":{},\"argv\":{}}}\n",
        list(unset),
        object(env),
        list(argv)
    )
}
