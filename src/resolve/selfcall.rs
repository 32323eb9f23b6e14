//! Recognises a `credential_process` line that runs granted itself, so resolution never
//! spawns (or recurses into) this binary.

/// `granted credential-process --profile NAME` found in a `credential_process` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCall {
    /// The `--profile` value, if the line has one.
    pub profile: Option<String>,
}

const NAMES: [&str; 4] = ["granted", "dgranted", "granted.exe", "dgranted.exe"];

/// Splits `command` as the AWS CLI does (POSIX shell words, no shell) and returns the
/// call if its program is granted (any directory; `granted`, `dgranted` or one of
/// `self_names`) and its subcommand is `credential-process`. Go-style flags are
/// understood: `--profile x`, `--profile=x`, `-profile x`, `-profile=x`.
pub fn parse_self_call(command: &str, self_names: &[String]) -> Option<SelfCall> {
    let argv = shlex::split(command)?;
    let (program, args) = argv.split_first()?;
    let file_name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    if !NAMES.contains(&file_name) && !self_names.iter().any(|n| n == file_name || n == program) {
        return None;
    }
    let mut subcommand = None;
    let mut profile = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let flag = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-'));
        match flag {
            Some("profile") => {
                profile = args.get(i + 1).cloned();
                i += 1;
            }
            Some(f) if f.starts_with("profile=") => {
                profile = Some(f["profile=".len()..].to_owned())
            }
            Some(_) => {}
            None if subcommand.is_none() => subcommand = Some(arg.as_str()),
            None => {}
        }
        i += 1;
    }
    (subcommand == Some("credential-process")).then_some(SelfCall { profile })
}

#[cfg(test)]
mod tests {
    use super::*;

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
                "dgranted credential-process --profile dev",
                Some(Some("dev")),
            ),
            ("granted credential-process", Some(None)),
            ("granted-rs credential-process --profile dev", None),
            ("granted sso login", None),
            ("aws-vault export --format=json dev", None),
            ("granted credential-process --profile 'unterminated", None),
            ("", None),
        ];
        for (line, want) in cases {
            let got = parse_self_call(line, &[]).map(|c| c.profile);
            let want = want.map(|p| p.map(str::to_owned));
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn recognises_the_running_binary_by_name() {
        let names = vec!["granted-rs".to_owned()];
        assert_eq!(
            parse_self_call(
                "/usr/local/bin/granted-rs credential-process --profile x",
                &names
            ),
            Some(SelfCall {
                profile: Some("x".into())
            })
        );
    }
}
