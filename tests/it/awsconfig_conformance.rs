//! `tests/data/aws-config-cli.json`: config files with what the AWS CLI (botocore) makes
//! of them. Each case must give the same profiles, sso-sessions, services and other
//! sections, or an error where the CLI errors — except for the deliberate differences
//! listed in `DIFFERENCES`, which say what we do instead and why.

use granted::awsconfig::{AwsConfig, Section, Value};
use serde_json::{Map, Value as Json};

/// What we produce instead of the CLI's result.
enum Instead {
    /// This result (JSON, same shape as the CLI's).
    Result(&'static str),
    /// Load succeeds; the error comes when the broken section is read.
    LazyError,
}

/// Deliberate differences: (case, what we do instead, why).
const DIFFERENCES: &[(&str, Instead, &str)] = &[
    (
        "08-dup-key",
        Instead::LazyError,
        "duplicate keys are found when a section is parsed, and sections are parsed \
         only when asked for, so one profile out of thousands costs one section's work; \
         a profile with a duplicate key is still an error when it is read",
    ),
    (
        "19-DEFAULT-section",
        Instead::Result(r#"{"profiles": {"dev": {"output": "json"}}}"#),
        "[DEFAULT] values are not inherited: it is a Python configparser feature, \
         botocore does not document it and Granted ignores [DEFAULT] too",
    ),
    (
        "23-bom",
        Instead::Result(r#"{"profiles": {"dev": {"region": "us-east-1"}}}"#),
        "a UTF-8 byte order mark (written by some Windows editors) is skipped; the CLI \
         rejects the whole file with a message that does not say why",
    ),
];

/// Our error message for each case where the CLI errors: the CLI names only the file;
/// we also name the line and what is wrong (never a value).
const ERRORS: &[(&str, &str)] = &[
    (
        "07-dup-section",
        "~/.aws/config:4: duplicate section 'profile dev' (first defined at line 1)",
    ),
    (
        "08-dup-key",
        "~/.aws/config:3: duplicate key 'region' in section 'profile dev' (first defined at line 2)",
    ),
    (
        "16-no-value-line",
        "~/.aws/config:3: line is neither '[section]' nor 'key = value' (no '=' or ':')",
    ),
    (
        "17-key-before-section",
        "~/.aws/config:1: key 'region' is outside any [section]",
    ),
    (
        "18-unclosed-section",
        "~/.aws/config:3: section header is missing its closing ']'",
    ),
    (
        "24-nested-broken",
        "~/.aws/config:3: line in the nested block of key 's3' has no '='",
    ),
];

fn cases() -> Map<String, Json> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/aws-config-cli.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    match serde_json::from_str(&text).unwrap() {
        Json::Object(m) => m,
        other => panic!("unexpected data: {other}"),
    }
}

fn section_json(s: &Section) -> Json {
    let mut m = Map::new();
    for p in &s.props {
        let v = match &p.value {
            Value::Str(s) => Json::String(s.clone()),
            Value::Nested(pairs) => Json::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                    .collect(),
            ),
        };
        m.insert(p.key.clone(), v);
    }
    Json::Object(m)
}

/// Our reading of a config file, shaped like the CLI's result; `Err((message,
/// at_load))` when it is rejected. Every section is read, so lazily found errors show.
fn ours(config: &str) -> Result<Json, (String, bool)> {
    let c = AwsConfig::from_strs(config, "").map_err(|e| (e.to_string(), true))?;
    let lazy = |e: granted::awsconfig::ConfigError| (e.to_string(), false);
    let mut out = Map::new();
    type Get<'a> = &'a dyn Fn(&str) -> Result<Option<Section>, (String, bool)>;
    let mut group = |key: &str, names: Vec<String>, get: Get| {
        let mut m = Map::new();
        for n in names {
            let s = get(&n)?.expect("listed section exists");
            m.insert(n, section_json(&s));
        }
        out.insert(key.to_string(), Json::Object(m));
        Ok::<(), (String, bool)>(())
    };
    group("profiles", c.profile_names(), &|n| {
        c.profile(n).map_err(lazy)
    })?;
    group("sso_sessions", c.sso_session_names(), &|n| {
        c.sso_session(n).map_err(lazy)
    })?;
    group("services", c.services_names(), &|n| {
        c.services(n).map_err(lazy)
    })?;
    group("other_sections", c.other_section_names(), &|n| {
        c.other_section(n).map_err(lazy)
    })?;
    Ok(Json::Object(out))
}

/// The CLI's result with absent groups as empty maps.
fn normalized(result: &Json) -> Json {
    let mut m = Map::new();
    for key in ["profiles", "sso_sessions", "services", "other_sections"] {
        let v = result.get(key).cloned();
        m.insert(
            key.to_string(),
            v.unwrap_or_else(|| Json::Object(Map::new())),
        );
    }
    Json::Object(m)
}

fn check(name: &str, input: &str, cli: &Json) {
    let instead = DIFFERENCES.iter().find(|d| d.0 == name).map(|d| &d.1);
    let got = ours(input);
    let want_error = ERRORS.iter().find(|e| e.0 == name).map(|e| e.1);
    match (instead, cli.get("error")) {
        (Some(Instead::Result(json)), _) => {
            let want = normalized(&serde_json::from_str(json).unwrap());
            assert_eq!(got, Ok(want), "{name}: input {input:?}");
        }
        (Some(Instead::LazyError), Some(_)) => {
            let want = want_error.unwrap_or_else(|| panic!("{name}: no message in ERRORS"));
            assert_eq!(
                got,
                Err((want.to_string(), false)),
                "{name}: input {input:?}"
            );
        }
        (None, Some(_)) => {
            let want = want_error.unwrap_or_else(|| panic!("{name}: no message in ERRORS"));
            assert_eq!(
                got,
                Err((want.to_string(), true)),
                "{name}: input {input:?}"
            );
        }
        (None, None) => {
            assert_eq!(got, Ok(normalized(cli)), "{name}: input {input:?}");
        }
        (Some(Instead::LazyError), None) => panic!("{name}: the CLI does not error"),
    }
}

#[test]
fn matches_the_aws_cli() {
    let cases = cases();
    assert!(cases.len() >= 26, "expected the 26 recorded cases");
    for (name, case) in &cases {
        let input = case["input"].as_str().unwrap();
        let cli = &case["aws_cli"];
        check(name, input, cli);
        // The recorded inputs use `\n`; `\r\n` line endings must not change anything.
        check(name, &input.replace('\n', "\r\n"), cli);
    }
}

#[test]
fn difference_and_error_tables_are_current() {
    let cases = cases();
    for (name, _, why) in DIFFERENCES {
        assert!(cases.contains_key(*name), "{name} is not a recorded case");
        assert!(!why.is_empty());
    }
    for (name, _) in ERRORS {
        let case = cases.get(*name).unwrap_or_else(|| panic!("{name} missing"));
        let cli_errors = case["aws_cli"].get("error").is_some();
        let deliberate = DIFFERENCES
            .iter()
            .any(|d| d.0 == *name && matches!(d.1, Instead::Result(_)));
        assert!(cli_errors && !deliberate, "{name}: not an error case");
    }
    for (name, case) in &cases {
        if case["aws_cli"].get("error").is_some() {
            let deliberate = DIFFERENCES
                .iter()
                .any(|d| d.0 == *name && matches!(d.1, Instead::Result(_)));
            assert!(
                deliberate || ERRORS.iter().any(|e| e.0 == *name),
                "{name}: CLI errors but ERRORS has no message for it"
            );
        }
    }
}
