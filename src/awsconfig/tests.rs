use super::file::{FileKind, Kind, ParsedFile};
use super::*;

fn cfg(config: &str) -> AwsConfig {
    AwsConfig::from_strs(config, "").unwrap_or_else(|e| panic!("{e}"))
}

/// A section as `key=value` strings (nested blocks as `key={a=1,b=2}`), file order.
fn flat(section: &Section) -> Vec<String> {
    section
        .props
        .iter()
        .map(|p| match &p.value {
            Value::Str(s) => format!("{}={s}", p.key),
            Value::Nested(pairs) => {
                let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("{}={{{}}}", p.key, inner.join(","))
            }
        })
        .collect()
}

fn profile(config: &str, name: &str) -> Vec<String> {
    let c = cfg(config);
    let p = c.profile(name).unwrap().unwrap_or_else(|| {
        panic!(
            "no profile {name:?} in {config:?}; have {:?}",
            c.profile_names()
        )
    });
    flat(&p)
}

fn err(config: &str) -> String {
    match AwsConfig::from_strs(config, "") {
        Err(e) => e.to_string(),
        Ok(c) => {
            for n in c.profile_names() {
                if let Err(e) = c.profile(&n) {
                    return e.to_string();
                }
            }
            for n in c.sso_session_names() {
                if let Err(e) = c.sso_session(&n) {
                    return e.to_string();
                }
            }
            for n in c.services_names() {
                if let Err(e) = c.services(&n) {
                    return e.to_string();
                }
            }
            panic!("expected an error for {config:?}")
        }
    }
}

#[test]
fn values_table() {
    // (config text, profile, expected props)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "[profile dev]\nregion = us-east-1\n",
            "dev",
            &["region=us-east-1"],
        ),
        // CRLF, lone CR, no final newline.
        (
            "[profile dev]\r\nregion = us-east-1\r\nx = y\r\n",
            "dev",
            &["region=us-east-1", "x=y"],
        ),
        (
            "[profile dev]\rregion = a\rx = y",
            "dev",
            &["region=a", "x=y"],
        ),
        // Tabs around everything.
        (
            "[profile dev]\n\tregion\t=\tus-east-1\t\n",
            "dev",
            &["region=us-east-1"],
        ),
        // `=` and `:` inside values; the first delimiter splits.
        (
            "[profile dev]\ncredential_process = t --a=b --c=d=e\n",
            "dev",
            &["credential_process=t --a=b --c=d=e"],
        ),
        (
            "[profile dev]\nregion:us-east-1\n",
            "dev",
            &["region=us-east-1"],
        ),
        (
            "[profile dev]\nregion : us-east-1\n",
            "dev",
            &["region=us-east-1"],
        ),
        (
            "[profile dev]\nsso_start_url = https://x:443/start\n",
            "dev",
            &["sso_start_url=https://x:443/start"],
        ),
        ("[profile dev]\nk: a = b\n", "dev", &["k=a = b"]),
        ("[profile dev]\nmy key = v\n", "dev", &["my key=v"]),
        // Empty values.
        (
            "[profile dev]\nregion =\noutput = json\n",
            "dev",
            &["region=", "output=json"],
        ),
        ("[profile dev]\nregion:\n", "dev", &["region="]),
        // Inline comments are part of the value.
        (
            "[profile dev]\nregion = a # b\nx = y ; z\n",
            "dev",
            &["region=a # b", "x=y ; z"],
        ),
        // Comment lines anywhere, indented or not.
        (
            "# c\n; c\n[profile dev]\n  # c\nregion = a\n\t; c\n",
            "dev",
            &["region=a"],
        ),
        // Keys lowercased.
        (
            "[profile Dev]\nRegion = a\nAWS_Access_Key_ID = b\n",
            "Dev",
            &["region=a", "aws_access_key_id=b"],
        ),
        // Nested block, then a normal key.
        (
            "[profile dev]\ns3 =\n  max_concurrent_requests = 20\n  Addressing_Style = path\nregion = x\n",
            "dev",
            &[
                "s3={max_concurrent_requests=20,addressing_style=path}",
                "region=x",
            ],
        ),
        // Comment and blank lines inside a nested block; a repeated sub-key.
        (
            "[profile dev]\ns3 =\n  a = 1\n  # c\n\n  ; d\n  b = 2\n  a = 3\nregion = x\n",
            "dev",
            &["s3={a=3,b=2}", "region=x"],
        ),
        // An empty value followed only by blank lines stays a string.
        (
            "[profile dev]\ns3 =\n\n\nregion = x\n",
            "dev",
            &["s3=", "region=x"],
        ),
        // Continuation lines, joined with `\n`; blank lines inside are kept, trailing dropped.
        (
            "[profile dev]\ncp = tool\n   --profile dev\nregion = x\n",
            "dev",
            &["cp=tool\n--profile dev", "region=x"],
        ),
        (
            "[profile dev]\ncp = a\n\n  b\n\n\nregion = x\n",
            "dev",
            &["cp=a\n\nb", "region=x"],
        ),
        ("[profile dev]\ncp = a\n# c\n  b\n", "dev", &["cp=a\nb"]),
        // An indented header after an option is a continuation, not a header.
        (
            "[profile dev]\ncp = a\n  [profile b]\n",
            "dev",
            &["cp=a\n[profile b]"],
        ),
        // Indented option lines: deeper lines continue, same-depth lines are options.
        (
            "[profile dev]\n  a = 1\n  b = 2\n    c\n",
            "dev",
            &["a=1", "b=2\nc"],
        ),
        // Blank lines between options.
        (
            "[profile dev]\n\n\nregion = a\n\n\noutput = b\n\n",
            "dev",
            &["region=a", "output=b"],
        ),
        // Header spacing: trailing and inner spaces around the name are fine.
        ("[profile  dev ]\nregion = a\n", "dev", &["region=a"]),
        ("[profile\tdev]\nregion = a\n", "dev", &["region=a"]),
        ("  [profile dev]  \nregion = a\n", "dev", &["region=a"]),
        // Text after the last `]` is ignored; the name runs to the last `]`.
        ("[profile dev] trailing\nregion = a\n", "dev", &["region=a"]),
        ("[profile dev] = x\nregion = a\n", "dev", &["region=a"]),
        // Quoted names (botocore shlex-splits the header).
        (
            "[profile \"my dev\"]\nregion = a\n",
            "my dev",
            &["region=a"],
        ),
        ("[profile 'x']\nregion = a\n", "x", &["region=a"]),
        // botocore only checks the prefix.
        ("[profiles dev]\nregion = a\n", "dev", &["region=a"]),
        // Unicode in values and section names.
        (
            "[profile dév]\ngranted_description = Produção ☁\n",
            "dév",
            &["granted_description=Produção ☁"],
        ),
        // The BOM is skipped (deliberate: the AWS CLI rejects the file).
        ("\u{feff}[profile dev]\nregion = a\n", "dev", &["region=a"]),
        // `[default]` and `[profile default]`: the later one wins whole.
        (
            "[default]\nregion = a\nx = 1\n[profile default]\nregion = b\n",
            "default",
            &["region=b"],
        ),
        (
            "[profile default]\nregion = b\n[default]\nregion = a\nx = 1\n",
            "default",
            &["region=a", "x=1"],
        ),
        // `[DEFAULT]` is not inherited (deliberate) and may repeat.
        (
            "[DEFAULT]\nregion = a\n[profile dev]\nx = 1\n[DEFAULT]\ny = 2\n",
            "dev",
            &["x=1"],
        ),
    ];
    for (text, name, want) in cases {
        assert_eq!(profile(text, name), *want, "config {text:?}");
        // CRLF line endings never change the result.
        let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
        assert_eq!(profile(&crlf, name), *want, "config {crlf:?}");
    }
}

#[test]
fn which_sections_are_profiles() {
    // (config, profile names)
    let cases: &[(&str, &[&str])] = &[
        ("", &[]),
        ("\n\n# only comments\n", &[]),
        ("[default]\n[profile dev]\n[dev]\n", &["default", "dev"]),
        ("[dev]\nregion = a\n", &[]),
        // Leading space inside the brackets: not a `profile` header for botocore.
        ("[ profile  dev ]\nregion = a\n", &[]),
        (
            "[profile my dev]\n[profile]\n[profile ]\n[profile \"\"]\n[profile \"open]\n",
            &[],
        ),
        ("[Default]\n[DEFAULT]\n", &[]),
        (
            "[sso-session corp]\n[services local]\n[profile a]\n",
            &["a"],
        ),
        ("[profile b]\n[profile a]\n[profile  a]\n", &["a", "b"]),
    ];
    for (text, want) in cases {
        assert_eq!(cfg(text).profile_names(), *want, "config {text:?}");
    }
    let c = cfg("[ profile  dev ]\nregion = a\n[dev]\nx = 1\n");
    assert_eq!(c.other_section_names(), [" profile  dev ", "dev"]);
    assert_eq!(flat(&c.other_section("dev").unwrap().unwrap()), ["x=1"]);
    assert!(c.profile("dev").unwrap().is_none());
}

#[test]
fn credentials_file_sections_are_profiles_as_written() {
    let c = AwsConfig::from_strs(
        "[profile dev]\nregion = a\noutput = json\n[profile x]\nregion = b\n",
        "[dev]\naws_access_key_id = K\nregion = c\n[profile x]\nk = 1\n[default]\nk = 2\n[DEFAULT]\nk = 3\n",
    )
    .unwrap();
    assert_eq!(c.profile_names(), ["default", "dev", "profile x", "x"]);
    let dev = c.profile("dev").unwrap().unwrap();
    // Credentials override in place and add new keys after.
    assert_eq!(
        flat(&dev),
        ["region=c", "output=json", "aws_access_key_id=K"]
    );
    assert_eq!(dev.origin.to_string(), "~/.aws/config:1");
    assert_eq!(
        dev.prop("region").unwrap().origin.to_string(),
        "~/.aws/credentials:3"
    );
    assert_eq!(
        dev.prop("output").unwrap().origin.to_string(),
        "~/.aws/config:3"
    );
    assert_eq!(flat(&c.profile("profile x").unwrap().unwrap()), ["k=1"]);
    assert_eq!(flat(&c.profile("x").unwrap().unwrap()), ["region=b"]);
    let d = c.profile("default").unwrap().unwrap();
    assert_eq!(d.origin.to_string(), "~/.aws/credentials:6");
    assert!(c.profile("DEFAULT").unwrap().is_none());
    assert!(c.profile("nope").unwrap().is_none());
    // Credentials keep section names exactly, spaces included.
    let c = AwsConfig::from_strs("", "[ a b ]\nk = v\n").unwrap();
    assert_eq!(c.profile_names(), [" a b "]);
}

#[test]
fn sso_sessions_services_and_accessors() {
    let c = cfg(
        "[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n\
         [services local]\nsts =\n  endpoint_url = http://127.0.0.1:1\n\
         [profile dev]\nsso_session = corp\nservices = local\ngranted_sso_region = x\n",
    );
    assert_eq!(c.sso_session_names(), ["corp"]);
    assert_eq!(c.services_names(), ["local"]);
    let s = c.sso_session("corp").unwrap().unwrap();
    assert_eq!(s.name, "corp");
    assert_eq!(s.get("sso_region"), Some("us-east-1"));
    assert_eq!(s.origin.to_string(), "~/.aws/config:1");
    let svc = c.services("local").unwrap().unwrap();
    assert_eq!(svc.get("sts"), None);
    assert_eq!(
        svc.nested("sts"),
        Some(&[("endpoint_url".to_string(), "http://127.0.0.1:1".to_string())][..])
    );
    let p = c.profile("dev").unwrap().unwrap();
    assert_eq!(p.get("services"), Some("local"));
    assert_eq!(p.nested("services"), None);
    assert!(p.has_prefix("granted_sso_"));
    assert!(!p.has_prefix("granted_x"));
    assert_eq!(p.prop("sso_session").unwrap().origin.line, 8);
    assert!(c.sso_session("dev").unwrap().is_none());
    assert!(c.services("corp").unwrap().is_none());
    assert_eq!(c.config_display_path(), "~/.aws/config");
    assert_eq!(c.credentials_display_path(), "~/.aws/credentials");
}

#[test]
fn errors_table() {
    // (config, error). Errors name the file and the line and never a value.
    let cases: &[(&str, &str)] = &[
        (
            "[profile dev]\nregion = a\n\n[profile dev]\n",
            "~/.aws/config:4: duplicate section 'profile dev' (first defined at line 1)",
        ),
        (
            "[profile dev]\nregion = SECRET\nRegion = SECRET\n",
            "~/.aws/config:3: duplicate key 'region' in section 'profile dev' (first defined at line 2)",
        ),
        (
            "[profile dev]\nregion = a\nSECRET\n",
            "~/.aws/config:3: line is neither '[section]' nor 'key = value' (no '=' or ':')",
        ),
        (
            "SECRET\n[profile dev]\n",
            "~/.aws/config:1: line is outside any [section]",
        ),
        (
            "\n# c\nRegion = SECRET\n[profile dev]\n",
            "~/.aws/config:3: key 'region' is outside any [section]",
        ),
        (
            "[profile ok]\nregion = a\n[profile SECRET\nregion = b\n",
            "~/.aws/config:3: section header is missing its closing ']'",
        ),
        (
            "[profile ok]\n[]\n",
            "~/.aws/config:2: section header is missing its closing ']'",
        ),
        (
            "[profile dev]\n= SECRET\n",
            "~/.aws/config:2: line has no key before its '=' or ':'",
        ),
        (
            "[profile dev]\nS3 =\n  a = 1\n  SECRET\n",
            "~/.aws/config:4: line in the nested block of key 's3' has no '='",
        ),
        (
            "[profile dev]\ns3 =\n  a: SECRET\n",
            "~/.aws/config:3: line in the nested block of key 's3' has no '='",
        ),
        // Lines count from the file's start, BOM or not, CR or not.
        (
            "\u{feff}[a]\r\n[a]\r\n",
            "~/.aws/config:2: duplicate section 'a' (first defined at line 1)",
        ),
        (
            "[a]\r[b]\rx\r",
            "~/.aws/config:3: line is neither '[section]' nor 'key = value' (no '=' or ':')",
        ),
        // A BOM that is not at the very start is an ordinary character.
        (
            "[a]\n\u{feff}[b]\n",
            "~/.aws/config:2: line is neither '[section]' nor 'key = value' (no '=' or ':')",
        ),
        (
            "[sso-session c]\nx = 1\nx = 2\n",
            "~/.aws/config:3: duplicate key 'x' in section 'sso-session c' (first defined at line 2)",
        ),
        // Duplicate keys in a replaced `[default]` are still reported when it is read.
        (
            "[default]\nx = 1\nx = 2\n[profile default]\n",
            "~/.aws/config:3: duplicate key 'x' in section 'default' (first defined at line 2)",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(err(text), *want, "config {text:?}");
        assert!(!want.contains("SECRET"));
    }
    // Credentials errors name the credentials file.
    let e = AwsConfig::from_strs("", "[a]\nk = v\n[a]\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "~/.aws/credentials:3: duplicate section 'a' (first defined at line 1)"
    );
    // Duplicate keys are found lazily: other profiles still load.
    let c = cfg("[profile bad]\nx = 1\nx = 2\n[profile good]\nx = 1\n");
    assert_eq!(flat(&c.profile("good").unwrap().unwrap()), ["x=1"]);
    assert!(c.profile("bad").is_err());
}

#[test]
fn duplicate_key_in_a_big_section() {
    let mut text = String::from("[profile big]\n");
    for i in 0..100 {
        text.push_str(&format!("key{i} = {i}\n"));
    }
    text.push_str("KEY57 = again\n");
    assert_eq!(
        err(&text),
        "~/.aws/config:102: duplicate key 'key57' in section 'profile big' (first defined at line 59)"
    );
}

#[test]
fn not_utf8() {
    let e = ParsedFile::from_bytes(
        b"[a]\nk = v\nx = \xff\n".to_vec(),
        "~/.aws/config".into(),
        FileKind::Config,
    )
    .err()
    .unwrap();
    assert_eq!(e.to_string(), "~/.aws/config:3: file is not valid UTF-8");
}

#[test]
fn very_long_lines() {
    let long = "x".repeat(1 << 20);
    let text = format!("[profile dev]\nk = {long}\nj = {long}\n  {long}\n[profile {long}]\n");
    let c = cfg(&text);
    let p = c.profile("dev").unwrap().unwrap();
    assert_eq!(p.get("k").unwrap().len(), 1 << 20);
    assert_eq!(p.get("j").unwrap().len(), (2 << 20) + 1);
    assert!(c.profile(&long).unwrap().is_some());
}

#[test]
fn garbage_never_panics() {
    const PIECES: &[&str] = &[
        "[",
        "]",
        "=",
        ":",
        " ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "#",
        ";",
        "profile ",
        "default",
        "sso-session ",
        "services ",
        "DEFAULT",
        "\"",
        "'",
        "\\",
        "é",
        "\u{feff}",
        "\u{2028}",
        "\u{1c}",
        "\u{3000}",
        "\u{b}",
        "k",
        "v",
        "s3",
        "  ",
        "    ",
        "x = ",
        "[profile a]\n",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..3000u32 {
        let mut bytes = Vec::new();
        let n = (next() % 60) as usize;
        for _ in 0..n {
            let r = next();
            if round.is_multiple_of(5) && r.is_multiple_of(7) {
                bytes.push((r >> 8) as u8);
            } else {
                bytes.extend_from_slice(PIECES[(r >> 8) as usize % PIECES.len()].as_bytes());
            }
        }
        for kind in [FileKind::Config, FileKind::Credentials] {
            let _ = ParsedFile::from_bytes(bytes.clone(), "~/x".into(), kind);
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        for (config, creds) in [(text.as_str(), ""), ("", text.as_str())] {
            if let Ok(c) = AwsConfig::from_strs(config, creds) {
                for n in c.profile_names() {
                    let _ = c.profile(&n);
                }
                for n in c.sso_session_names() {
                    let _ = c.sso_session(&n);
                }
                for n in c.services_names() {
                    let _ = c.services(&n);
                }
                for n in c.other_section_names() {
                    let _ = c.other_section(&n);
                }
                let _ = format!("{c:?}");
            }
        }
    }
}

#[test]
fn paths_from_vars() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    let p = ConfigPaths::from_vars(vars(&[("HOME", "/home/u")]));
    assert_eq!(p.config, PathBuf::from("/home/u/.aws/config"));
    assert_eq!(p.credentials, PathBuf::from("/home/u/.aws/credentials"));
    let p = ConfigPaths::from_vars(vars(&[
        ("HOME", "/home/u/"),
        ("AWS_CONFIG_FILE", "~/cfg"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/etc/creds"),
    ]));
    assert_eq!(p.config, PathBuf::from("/home/u/cfg"));
    assert_eq!(p.credentials, PathBuf::from("/etc/creds"));
    // Empty means unset; `~user` is not expanded; no HOME leaves `~`.
    let p = ConfigPaths::from_vars(vars(&[
        ("HOME", "/h"),
        ("AWS_CONFIG_FILE", ""),
        ("AWS_SHARED_CREDENTIALS_FILE", "~other/creds"),
    ]));
    assert_eq!(p.config, PathBuf::from("/h/.aws/config"));
    assert_eq!(p.credentials, PathBuf::from("~other/creds"));
    let p = ConfigPaths::from_vars(vars(&[]));
    assert_eq!(p.config, PathBuf::from("~/.aws/config"));
    // `$VAR` and `${VAR}` expand like botocore's `os.path.expandvars`.
    let p = ConfigPaths::from_vars(vars(&[
        ("HOME", "/h"),
        ("D", "/data"),
        ("AWS_CONFIG_FILE", "$D/${D}x/$NOPE/${NOPE$D}/$/${/end"),
        ("AWS_SHARED_CREDENTIALS_FILE", "~/$D"),
    ]));
    assert_eq!(
        p.config,
        PathBuf::from("/data//datax/$NOPE/${NOPE$D}/$/${/end")
    );
    assert_eq!(p.credentials, PathBuf::from("/h//data"));
}

#[test]
fn display_paths() {
    let home = Some(Path::new("/home/u"));
    assert_eq!(
        display_path(Path::new("/home/u/.aws/config"), home),
        "~/.aws/config"
    );
    assert_eq!(display_path(Path::new("/home/u"), home), "~");
    assert_eq!(
        display_path(Path::new("/home/user/x"), home),
        "/home/user/x"
    );
    assert_eq!(
        display_path(Path::new("/etc/x"), Some(Path::new("/"))),
        "/etc/x"
    );
    assert_eq!(display_path(Path::new("/etc/x"), None), "/etc/x");
}

#[test]
fn load_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    std::fs::create_dir(home.join(".aws")).unwrap();
    let paths = ConfigPaths {
        config: home.join(".aws/config"),
        credentials: home.join(".aws/credentials"),
    };
    // Both missing: empty.
    let c = AwsConfig::load_with_home(&paths, Some(home)).unwrap();
    assert!(c.profile_names().is_empty());
    assert_eq!(c.config_display_path(), "~/.aws/config");
    std::fs::write(&paths.config, "[profile dev]\nregion = a\n").unwrap();
    std::fs::write(&paths.credentials, "[dev]\naws_access_key_id = K\n").unwrap();
    let c = AwsConfig::load_with_home(&paths, Some(home)).unwrap();
    let dev = c.profile("dev").unwrap().unwrap();
    assert_eq!(flat(&dev), ["region=a", "aws_access_key_id=K"]);
    assert_eq!(dev.props[1].origin.to_string(), "~/.aws/credentials:2");
    // Errors use the display path.
    std::fs::write(&paths.config, "[a]\n[a]\n").unwrap();
    let e = AwsConfig::load_with_home(&paths, Some(home)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "~/.aws/config:2: duplicate section 'a' (first defined at line 1)"
    );
    let e = AwsConfig::load_with_home(&paths, None).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("{}:2: ", paths.config.display()))
    );
    std::fs::write(&paths.config, b"[a]\n\xc3\n").unwrap();
    let e = AwsConfig::load_with_home(&paths, Some(home)).unwrap_err();
    assert_eq!(e.to_string(), "~/.aws/config:2: file is not valid UTF-8");
    // A directory, or a path through a file, is treated as missing (botocore reads
    // only regular files).
    let odd = ConfigPaths {
        config: home.join(".aws"),
        credentials: home.join(".aws/credentials/x"),
    };
    assert!(
        AwsConfig::load_with_home(&odd, Some(home))
            .unwrap()
            .profile_names()
            .is_empty()
    );
    // So is a device.
    #[cfg(unix)]
    {
        let null = ConfigPaths {
            config: PathBuf::from("/dev/null"),
            credentials: PathBuf::from("/dev/zero"),
        };
        let c = AwsConfig::load_with_home(&null, Some(home)).unwrap();
        assert!(c.profile_names().is_empty());
        assert_eq!(c.credentials_display_path(), "/dev/zero");
    }
    // A large file (read in pieces, not kept) gives the same answers.
    let mut big = String::new();
    for i in 0..5000 {
        big.push_str(&format!(
            "[profile p{i}]\nregion = r{i}\ns3 =\n  a = {i}\n\n"
        ));
    }
    std::fs::write(&paths.config, &big).unwrap();
    std::fs::write(&paths.credentials, "[p4999]\nregion = c\n").unwrap();
    let c = AwsConfig::load_with_home(&paths, Some(home)).unwrap();
    assert_eq!(c.profile_names().len(), 5000);
    let p = c.profile("p4999").unwrap().unwrap();
    assert_eq!(flat(&p), ["region=c", "s3={a=4999}"]);
    assert_eq!(p.origin.to_string(), "~/.aws/config:24996");
    assert_eq!(p.props[1].origin.to_string(), "~/.aws/config:24998");
}

/// Everything a file's index and lazy parse give: sections, then each name's result.
fn describe(f: &ParsedFile) -> Vec<String> {
    let mut out = Vec::new();
    let sections = f.sections();
    for s in &sections {
        out.push(format!("{:?} {:?} {:?}", s.kind, s.header, s.name));
    }
    for s in &sections {
        let found = f.last_named(s.kind, &s.name);
        out.push(match found {
            Ok(Some((origin, props))) => {
                let section = Section {
                    name: String::new(),
                    origin: origin.clone(),
                    props,
                };
                let origins: Vec<String> =
                    section.props.iter().map(|p| p.origin.to_string()).collect();
                format!("{origin} {:?} {origins:?}", flat(&section))
            }
            Ok(None) => "none".to_string(),
            Err(e) => e.to_string(),
        });
    }
    out
}

/// Index `text` in memory and through a file read `chunk` bytes at a time.
fn both_ways(dir: &Path, text: &[u8], kind: FileKind, chunk: usize) {
    let path = dir.join("f");
    std::fs::write(&path, text).unwrap();
    let memory = ParsedFile::from_bytes(text.to_vec(), "~/x".into(), kind).map(|f| describe(&f));
    let file = ParsedFile::open(&path, "~/x".into(), kind, chunk)
        .map(|f| describe(&f.expect("file exists")));
    let memory = memory.map_err(|e| e.to_string());
    let file = file.map_err(|e| e.to_string());
    assert_eq!(
        file,
        memory,
        "chunk {chunk}, text {:?}",
        String::from_utf8_lossy(text)
    );
}

#[test]
fn reading_in_pieces_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let texts: &[&[u8]] = &[
        b"",
        b"[a]\nk = v\n",
        b"\xef\xbb\xbf[profile a]\r\nk = v\r\n  more\r\n[b]\rx =\r  n = 1\r\n\r\n",
        b"[profile a]\ns3 =\n  x = 1\n  broken\n",
        b"[a]\nk = v\n[b]\nk = \xff\n",
        b"[a]\nk = v\nk = w\n[b]\n[a]\n",
        b"[profile \"q x\"]\nk = v\n[default]\n[profile default]\nj: 1\n[DEFAULT]\n[DEFAULT]\n",
        b"[a]\nlong = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
        b"[a]\nk = \xc3\xa9\xe2\x98\x81\n\xe2\x98\x81 = 1\n[\xc3\xa9]\n",
        b"[a]\nno delimiter\n",
        b"[a]\r\r\n\r\n[b]\n",
    ];
    for text in texts {
        for kind in [FileKind::Config, FileKind::Credentials] {
            for chunk in [1, 2, 3, 5, 8, 64, 1 << 16] {
                both_ways(dir.path(), text, kind, chunk);
            }
        }
    }
    // Random files.
    const PIECES: &[&str] = &[
        "[",
        "]",
        "=",
        ":",
        " ",
        "\t",
        "\n",
        "\n",
        "\r",
        "\r\n",
        "#",
        "profile ",
        "default",
        "k",
        "v",
        "é",
        "\u{feff}",
        "\"",
        "[profile a]\n",
        "[profile b]\n",
        "x = 1\n",
        "  y = 2\n",
        "s3 =\n",
        "[sso-session s]\n",
    ];
    let mut seed: u64 = 0xdead_beef_cafe_f00d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..300u32 {
        let mut text = Vec::new();
        if !round.is_multiple_of(4) {
            text.extend_from_slice(b"[profile start]\n");
        }
        for _ in 0..next() % 50 {
            let r = next();
            if r.is_multiple_of(41) {
                text.push((r >> 8) as u8);
            } else {
                text.extend_from_slice(PIECES[(r >> 8) as usize % PIECES.len()].as_bytes());
            }
        }
        let chunk = [1, 2, 7, 16, 100][round as usize % 5];
        both_ways(dir.path(), &text, FileKind::Config, chunk);
    }
}

#[test]
fn a_file_changed_after_indexing_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(&format!("[profile p{i}]\nregion = r{i}\n"));
    }
    std::fs::write(&path, &text).unwrap();
    // Small chunks: the file is not kept in memory.
    let f = ParsedFile::open(&path, "~/c".into(), FileKind::Config, 64)
        .unwrap()
        .unwrap();
    let region = |f: &ParsedFile, name: &str| {
        f.last_named(Kind::Profile, name)
            .unwrap()
            .map(|(_, props)| {
                flat(&Section {
                    name: String::new(),
                    origin: props[0].origin.clone(),
                    props,
                })
            })
    };
    assert_eq!(region(&f, "p7"), Some(vec!["region=r7".to_string()]));
    // Rewritten in place (as `aws configure set` does): sections moved.
    let changed = format!(
        "[profile new]\nregion = n\n{}",
        text.replace("= r", "= changed-")
    );
    std::fs::write(&path, &changed).unwrap();
    assert_eq!(region(&f, "p7"), Some(vec!["region=changed-7".to_string()]));
    assert_eq!(
        region(&f, "new"),
        None,
        "answers come from the first index's names"
    );
    // Replaced by a rename (as most editors do): the open file is still the old one.
    let f = ParsedFile::open(&path, "~/c".into(), FileKind::Config, 64)
        .unwrap()
        .unwrap();
    let other = dir.path().join("other");
    std::fs::write(&other, "[profile p7]\nregion = renamed\n").unwrap();
    std::fs::rename(&other, &path).unwrap();
    assert_eq!(region(&f, "p7"), Some(vec!["region=changed-7".to_string()]));
    // Removed: the open file is still readable.
    std::fs::remove_file(&path).unwrap();
    assert_eq!(region(&f, "p8"), Some(vec!["region=changed-8".to_string()]));
}
