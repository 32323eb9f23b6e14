//! Recognises a `credential_process` line that runs granted itself, so resolution never
//! spawns (or recurses into) this binary for it.

/// `granted [global flags] credential-process --profile NAME` found in a
/// `credential_process` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCall {
    /// The `--profile` value, if the line has one.
    pub profile: Option<String>,
    /// A `--aws-config-file` given before the subcommand.
    pub aws_config_file: Option<String>,
}

const NAMES: [&str; 4] = ["granted", "dgranted", "granted.exe", "dgranted.exe"];

/// Global flags that take a value (`--flag v` or `--flag=v`).
const GLOBAL_WITH_VALUE: [&str; 1] = ["aws-config-file"];
/// Global flags without a value.
const GLOBAL_SWITCHES: [&str; 1] = ["verbose"];

/// Splits `command` as the AWS CLI does (`split` is Python's `shlex.split`) and returns
/// the call if its program is granted (any directory; `granted`, `dgranted` or one of
/// `self_names`) and, after known global flags, its subcommand is
/// `credential-process`. Go-style flags are understood: `--profile x`, `--profile=x`,
/// `-profile x`, `-profile=x`. Anything else (an unknown flag before the subcommand,
/// `env granted …`, `sh -c …`) is not recognised: such a line runs as a process, and
/// the depth guard in `credentials::process` stops it from recursing for ever.
pub fn parse_self_call(
    command: &str,
    self_names: &[String],
    split: impl Fn(&str) -> Option<Vec<String>>,
) -> Option<SelfCall> {
    let argv = split(command)?;
    let (program, args) = argv.split_first()?;
    let file_name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    if !NAMES.contains(&file_name) && !self_names.iter().any(|n| n == file_name || n == program) {
        return None;
    }
    let flag_name = |arg: &str| -> Option<(String, Option<String>)> {
        let body = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-'))?;
        if body.is_empty() {
            return None;
        }
        Some(match body.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (body.to_owned(), None),
        })
    };
    let mut aws_config_file = None;
    let mut i = 0;
    // Global flags, then the subcommand.
    loop {
        let arg = args.get(i)?;
        match flag_name(arg) {
            None if arg == "credential-process" => break,
            None => return None,
            Some((name, value)) if GLOBAL_WITH_VALUE.contains(&name.as_str()) => {
                aws_config_file = match value {
                    Some(v) => Some(v),
                    None => {
                        i += 1;
                        Some(args.get(i)?.clone())
                    }
                };
            }
            Some((name, None)) if GLOBAL_SWITCHES.contains(&name.as_str()) => {}
            Some(_) => return None,
        }
        i += 1;
    }
    let mut profile = None;
    i += 1;
    while i < args.len() {
        match flag_name(&args[i]) {
            Some((name, Some(value))) if name == "profile" => profile = Some(value),
            Some((name, None)) if name == "profile" => {
                profile = args.get(i + 1).cloned();
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    Some(SelfCall {
        profile,
        aws_config_file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str, names: &[String]) -> Option<SelfCall> {
        parse_self_call(line, names, crate::awsconfig::shlex_split)
    }

    #[test]
    fn recognises_granted_in_any_spelling() {
        let cases: &[(&str, Option<Option<&str>>)] = &[
            (
                "granted credential-process --profile dev",
                Some(Some("dev")),
            ),
            (
                "granted credential-process --profile=dev",
                Some(Some("dev")),
            ),
            ("granted credential-process -profile dev", Some(Some("dev"))),
            (
                "granted credential-process -profile=dev --auto-login",
                Some(Some("dev")),
            ),
            (
                "/opt/homebrew/bin/granted credential-process --profile dev",
                Some(Some("dev")),
            ),
            (
                "\"/Users/a b/bin/granted\" credential-process --profile 'my dev'",
                Some(Some("my dev")),
            ),
            (
                "granted --verbose credential-process --url x --profile dev",
                Some(Some("dev")),
            ),
            (
                "granted credential-process --url x --profile #dev",
                Some(Some("#dev")),
            ),
            (
                "dgranted credential-process --profile dev",
                Some(Some("dev")),
            ),
            ("granted credential-process", Some(None)),
            ("granted-rs credential-process --profile dev", None),
            ("granted sso login", None),
            ("granted --unknown credential-process --profile dev", None),
            ("env granted credential-process --profile dev", None),
            ("sh -c 'granted credential-process --profile dev'", None),
            ("aws-vault export --format=json dev", None),
            ("granted credential-process --profile 'unterminated", None),
            ("", None),
        ];
        for (line, want) in cases {
            let got = parse(line, &[]).map(|c| c.profile);
            let want = want.map(|p| p.map(str::to_owned));
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn global_config_file_flag_is_kept() {
        // See: a line with a global flag used to go unrecognised and spawn itself.
        for line in [
            "granted --aws-config-file /x credential-process --profile p",
            "granted --aws-config-file=/x credential-process --profile p",
            "granted -aws-config-file /x --verbose credential-process -profile=p",
        ] {
            assert_eq!(
                parse(line, &[]),
                Some(SelfCall {
                    profile: Some("p".into()),
                    aws_config_file: Some("/x".into())
                }),
                "{line}"
            );
        }
    }

    #[test]
    fn recognises_the_running_binary_by_name() {
        let names = vec!["granted-rs".to_owned()];
        assert_eq!(
            parse(
                "/usr/local/bin/granted-rs credential-process --profile x",
                &names
            ),
            Some(SelfCall {
                profile: Some("x".into()),
                aws_config_file: None
            })
        );
    }
}
