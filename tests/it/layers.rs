//! The module layers written in `src/lib.rs` hold: no module imports from a layer above
//! its own, and every module has a layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Module name → layer number, from the numbered list in lib.rs's docs.
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut current = None;
    for line in lib.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            continue;
        };
        let doc = doc.trim_start();
        if let Some((number, _)) = doc.split_once(". ")
            && let Ok(n) = number.parse::<usize>()
        {
            current = Some(n);
        } else if doc.is_empty() || !line.starts_with("//!    ") {
            current = None;
        }
        let Some(layer) = current else { continue };
        // Module names are the backticked words before the dash.
        let names = doc.split(" — ").next().unwrap_or("");
        for (i, part) in names.split('`').enumerate() {
            if i % 2 == 1 {
                out.insert(part.to_owned(), layer);
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/fetch/mod.rs` → `fetch`).
fn module_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_owned())
}

/// Whether the file is test code (a `tests.rs` or under a `tests/` folder).
fn is_test_file(file: &Path) -> bool {
    file.file_name().is_some_and(|n| n == "tests.rs")
        || file.components().any(|c| c.as_os_str() == "tests")
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let layers = layers(&lib);
    assert!(layers.len() > 10, "the layer list was read: {layers:?}");
    // Every declared module has a layer.
    for line in lib.lines() {
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|r| r.strip_suffix(';'))
        {
            assert!(
                layers.contains_key(name),
                "module `{name}` is in no layer of src/lib.rs"
            );
        }
    }
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut violations = Vec::new();
    for file in files {
        let Some(module) = module_of(&file) else {
            continue;
        };
        let Some(&own) = layers.get(&module) else {
            continue; // lib.rs, main.rs
        };
        if is_test_file(&file) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests inside a file may use anything.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (number, line) in code.lines().enumerate() {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let dep: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(&theirs) = layers.get(&dep)
                    && theirs > own
                {
                    violations.push(format!(
                        "{}:{}: `{module}` (layer {own}) uses `{dep}` (layer {theirs})",
                        file.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports from above:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_checker_sees_a_violation() {
    let lib = "//! 1. `low` — bottom\n//! 2. `high` — top\n";
    let layers = layers(lib);
    assert_eq!(layers.get("low"), Some(&1));
    assert_eq!(layers.get("high"), Some(&2));
}
