use std::collections::HashMap;

use super::*;

fn resolve_with(
    config: &str,
    credentials: &str,
    name: &str,
    env: &[(&str, &str)],
) -> Result<Chain, ResolveError> {
    let cfg = AwsConfig::from_strs(config, credentials).expect("test config parses");
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let lookup = move |k: &str| env.get(k).cloned();
    let ctx = Context {
        env: &lookup,
        self_names: vec![],
    };
    resolve(&cfg, name, &ctx)
}

fn ok(config: &str, name: &str) -> Chain {
    resolve_with(config, "", name, &[]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn err(config: &str, name: &str) -> String {
    match resolve_with(config, "", name, &[]) {
        Ok(chain) => panic!("{name}: expected an error, got {chain:?}"),
        Err(e) => e.to_string(),
    }
}

const GRANTED_SSO: &str = "
[profile dev]
granted_sso_start_url = https://example.awsapps.com/start
granted_sso_region = ap-southeast-2
granted_sso_account_id = 123456789012
granted_sso_role_name = AWSAdministratorAccess
credential_process = granted credential-process --profile dev
";

#[test]
fn granted_sso_keys_give_an_sso_base_and_never_run_the_process() {
    let chain = ok(GRANTED_SSO, "dev");
    let Base::Sso(sso) = &chain.base else {
        panic!("{chain:?}")
    };
    assert_eq!(sso.start_url, "https://example.awsapps.com/start");
    assert_eq!(sso.region, "ap-southeast-2");
    assert_eq!(sso.account_id, "123456789012");
    assert_eq!(sso.role_name, "AWSAdministratorAccess");
    assert_eq!(sso.session_name, None);
    assert!(chain.hops.is_empty());
    assert_eq!(
        chain.region.as_deref(),
        Some("ap-southeast-2"),
        "falls back to the SSO region"
    );
}

#[test]
fn granted_sso_takes_url_and_region_from_an_sso_session() {
    let config = "
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile a]
sso_session = corp
granted_sso_account_id = 111111111111
granted_sso_role_name = Dev
credential_process = /usr/local/bin/granted credential-process --profile=a
";
    let chain = ok(config, "a");
    let Base::Sso(sso) = &chain.base else {
        panic!()
    };
    assert_eq!(sso.start_url, "https://corp.awsapps.com/start");
    assert_eq!(sso.region, "eu-west-1");
    assert_eq!(sso.session_name.as_deref(), Some("corp"));
    assert_eq!(sso.scopes, vec!["sso:account:access".to_owned()]);
}

#[test]
fn legacy_and_session_sso_profiles() {
    let config = "
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = ReadOnly
region = us-west-2

[profile modern]
sso_session = corp
sso_account_id = 333333333333
sso_role_name = Admin
";
    let legacy = ok(config, "legacy");
    let Base::Sso(sso) = &legacy.base else {
        panic!()
    };
    assert_eq!(
        (sso.start_url.as_str(), sso.region.as_str()),
        ("https://legacy.awsapps.com/start", "us-east-1")
    );
    assert_eq!(legacy.region.as_deref(), Some("us-west-2"));
    let modern = ok(config, "modern");
    let Base::Sso(sso) = &modern.base else {
        panic!()
    };
    assert_eq!(sso.session_name.as_deref(), Some("corp"));
    assert_eq!(sso.account_id, "333333333333");
}

#[test]
fn missing_keys_name_the_key_profile_and_line() {
    let cases = [
        (
            "[profile a]\ngranted_sso_start_url = https://x/start\ngranted_sso_region = us-east-1\ngranted_sso_account_id = 1\n",
            "a",
            "profile `a` (~/.aws/config:1): missing `granted_sso_role_name`",
        ),
        (
            "\n[profile b]\ngranted_sso_account_id = 1\ngranted_sso_role_name = R\n",
            "b",
            "profile `b` (~/.aws/config:2): missing `granted_sso_start_url`",
        ),
        (
            "[profile c]\nsso_start_url = https://x/start\nsso_account_id = 1\nsso_role_name = R\n",
            "c",
            "missing `sso_region`",
        ),
        (
            "[profile d]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n",
            "d",
            "sso_session `nope` has no `[sso-session nope]` section in ~/.aws/config",
        ),
        (
            "[profile e]\naws_access_key_id = AKIA\n",
            "e",
            "missing `aws_secret_access_key`",
        ),
        (
            "[profile f]\nrole_arn = arn:aws:iam::1:role/x\n",
            "f",
            "missing `source_profile`",
        ),
        (
            "[profile g]\nregion = us-east-1\n",
            "g",
            "profile `g` (~/.aws/config:1) has no credentials",
        ),
        (
            "[profile h]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = h\nregion = us-east-1\n",
            "h",
            "missing `aws_access_key_id`",
        ),
        (
            "[profile i]\nrole_arn = nope\nsource_profile = j\n",
            "i",
            "`role_arn` must be an ARN",
        ),
        (
            "[profile k]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = s\nduration_seconds = 60\n[profile s]\naws_access_key_id=A\naws_secret_access_key=B\n",
            "k",
            "`duration_seconds` must be",
        ),
        (
            "[profile l]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Ec2InstanceMetadata\nregion = us-east-1\n",
            "l",
            "credential_source `Ec2InstanceMetadata` is not supported",
        ),
        (
            "[profile m]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Environment\nsource_profile = n\n",
            "m",
            "can't both be set",
        ),
        (
            "[profile o]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = missing\n",
            "o",
            "profile `o` (~/.aws/config:1): source_profile `missing` not found",
        ),
        (
            "[profile q]\nsso_start_url = notaurl\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n",
            "q",
            "must start with https://",
        ),
        (
            "[sso-session s]\nsso_start_url = https://a/start\nsso_region = us-east-1\n[profile r]\nsso_session = s\nsso_start_url = https://b/start\nsso_account_id = 1\nsso_role_name = R\n",
            "r",
            "`sso_start_url` differs",
        ),
    ];
    for (config, name, want) in cases {
        let got = err(config, name);
        assert!(
            got.contains(want),
            "{name}: {got:?} should contain {want:?}"
        );
        assert!(!got.contains('\n'), "one line: {got:?}");
    }
}

#[test]
fn unknown_profile_suggests_close_names() {
    let config =
        "[profile prod]\nregion=x\n[profile production]\nregion=x\n[profile dev]\nregion=x\n";
    let msg = err(config, "prd");
    assert!(
        msg.starts_with(
            "profile `prd` not found in ~/.aws/config or ~/.aws/credentials; did you mean `prod`"
        ),
        "{msg}"
    );
    let msg = err(config, "zzzzzz");
    assert_eq!(
        msg,
        "profile `zzzzzz` not found in ~/.aws/config or ~/.aws/credentials"
    );
}

const CHAIN: &str = "
[profile root]
aws_access_key_id = AKIAROOT
aws_secret_access_key = rootsecret
region = eu-central-1

[profile mid]
role_arn = arn:aws:iam::111111111111:role/Mid
source_profile = root
role_session_name = me
external_id = ext-1
duration_seconds = 3600

[profile leaf]
role_arn = arn:aws:iam::222222222222:role/Leaf
source_profile = mid
mfa_serial = arn:aws:iam::000000000000:mfa/me
";

#[test]
fn role_chain_in_order_with_each_hops_settings() {
    let chain = ok(CHAIN, "leaf");
    let Base::Static(keys) = &chain.base else {
        panic!()
    };
    assert_eq!(keys.access_key_id, "AKIAROOT");
    assert_eq!(keys.secret_access_key.expose(), "rootsecret");
    let arns: Vec<&str> = chain.hops.iter().map(|h| h.role_arn.as_str()).collect();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::111111111111:role/Mid",
            "arn:aws:iam::222222222222:role/Leaf"
        ]
    );
    assert_eq!(chain.hops[0].session_name.as_deref(), Some("me"));
    assert_eq!(chain.hops[0].external_id.as_deref(), Some("ext-1"));
    assert_eq!(chain.hops[0].duration_seconds, Some(3600));
    assert_eq!(
        chain.hops[1].mfa_serial.as_deref(),
        Some("arn:aws:iam::000000000000:mfa/me")
    );
    assert_eq!(
        chain.region.as_deref(),
        Some("eu-central-1"),
        "region found on the root"
    );
}

#[test]
fn debug_of_a_chain_hides_secrets() {
    let chain = ok(CHAIN, "leaf");
    let debug = format!("{chain:?}");
    assert!(!debug.contains("rootsecret"), "{debug}");
}

#[test]
fn source_profile_with_static_keys_wins_over_its_own_role() {
    // botocore: a *source* profile with keys is used for its keys, its role_arn ignored.
    let config = "
[profile src]
aws_access_key_id = AKIASRC
aws_secret_access_key = s
role_arn = arn:aws:iam::1:role/Ignored
source_profile = elsewhere
region = us-east-1
[profile top]
role_arn = arn:aws:iam::2:role/Top
source_profile = src
";
    let chain = ok(config, "top");
    assert_eq!(chain.hops.len(), 1);
    assert!(matches!(&chain.base, Base::Static(k) if k.access_key_id == "AKIASRC"));
    // Asked for directly it is the leaf: its role counts, and its missing source is an error.
    assert!(err(config, "src").contains("source_profile `elsewhere` not found"));
}

#[test]
fn self_source_and_environment_source() {
    let config = "
[profile me]
aws_access_key_id = AKIAME
aws_secret_access_key = s
role_arn = arn:aws:iam::1:role/R
source_profile = me
region = us-east-1
[profile env]
role_arn = arn:aws:iam::1:role/E
credential_source = Environment
region = us-east-1
";
    let chain = ok(config, "me");
    assert_eq!(chain.hops.len(), 1);
    assert!(matches!(&chain.base, Base::Static(k) if k.access_key_id == "AKIAME"));
    let chain = ok(config, "env");
    assert!(matches!(&chain.base, Base::Environment { profile } if profile == "env"));
}

#[test]
fn loops_and_depth_name_the_profiles() {
    let config = "
[profile a]
role_arn = arn:aws:iam::1:role/A
source_profile = b
[profile b]
role_arn = arn:aws:iam::1:role/B
source_profile = c
[profile c]
role_arn = arn:aws:iam::1:role/C
source_profile = a
";
    assert_eq!(err(config, "a"), "profile loop: a -> b -> c -> a");
    let mut deep = String::new();
    for i in 0..12 {
        deep += &format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::1:role/R{i}\nsource_profile = p{}\n",
            i + 1
        );
    }
    deep += "[profile p12]\naws_access_key_id=A\naws_secret_access_key=B\n";
    let msg = err(&deep, "p0");
    assert!(
        msg.starts_with("source_profile chain deeper than 10 profiles: p0 -> p1"),
        "{msg}"
    );
    // Exactly ten profiles is fine.
    let chain = resolve_with(&deep, "", "p3", &[("AWS_REGION", "us-east-1")]).unwrap();
    assert_eq!(chain.hops.len(), 9);
}

#[test]
fn alias_through_granted_credential_process_and_alias_loops() {
    let config = format!(
        "{GRANTED_SSO}
[profile alias]
credential_process = granted credential-process --profile=dev
[profile x]
credential_process = granted credential-process --profile y
[profile y]
credential_process = granted credential-process --profile x
[profile other-tool]
credential_process = aws-vault export --format=json dev
"
    );
    let chain = ok(&config, "alias");
    assert!(matches!(&chain.base, Base::Sso(s) if s.profile == "dev"));
    assert_eq!(chain.profile, "alias");
    assert_eq!(err(&config, "x"), "profile loop: x -> y -> x");
    let chain = ok(&config, "other-tool");
    let Base::Process(p) = &chain.base else {
        panic!()
    };
    assert_eq!(p.command, "aws-vault export --format=json dev");
    assert_eq!(
        p.origin.to_string(),
        format!(
            "~/.aws/config:{}",
            config
                .lines()
                .position(|l| l.starts_with("credential_process = aws-vault"))
                .unwrap()
                + 1
        )
    );
}

#[test]
fn credentials_file_keys_and_precedence() {
    let config = "[profile dev]\nregion = us-east-1\ncredential_process = other-tool\n";
    let credentials =
        "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\naws_session_token = t\n";
    let chain = resolve_with(config, credentials, "dev", &[]).unwrap();
    let Base::Static(keys) = &chain.base else {
        panic!("static keys beat credential_process: {chain:?}")
    };
    assert_eq!(keys.session_token.as_ref().map(Secret::expose), Some("t"));
}

#[test]
fn region_order_and_missing_region() {
    let config = "
[default]
region = ap-south-1
[profile src]
aws_access_key_id = A
aws_secret_access_key = B
[profile role]
role_arn = arn:aws:iam::1:role/R
source_profile = src
";
    // Falls back to [default].
    assert_eq!(ok(config, "role").region.as_deref(), Some("ap-south-1"));
    // The environment beats [default].
    let chain = resolve_with(config, "", "role", &[("AWS_DEFAULT_REGION", "sa-east-1")]).unwrap();
    assert_eq!(chain.region.as_deref(), Some("sa-east-1"));
    let no_default = config.replace("region = ap-south-1", "");
    let msg = err(&no_default, "role");
    assert!(msg.starts_with("region not set on profile `role`"), "{msg}");
    // Static keys alone don't need a region.
    assert_eq!(ok(&no_default, "src").region, None);
}

#[test]
fn endpoint_overrides_follow_the_sdk_order() {
    let config = "
[profile p]
aws_access_key_id = A
aws_secret_access_key = B
endpoint_url = http://127.0.0.1:1
services = local
[services local]
sts =
  endpoint_url = http://127.0.0.1:2
";
    let chain = resolve_with(config, "", "p", &[]).unwrap();
    assert_eq!(chain.endpoints.sts.as_deref(), Some("http://127.0.0.1:2"));
    assert_eq!(chain.endpoints.sso.as_deref(), Some("http://127.0.0.1:1"));
    let chain = resolve_with(
        config,
        "",
        "p",
        &[("AWS_ENDPOINT_URL", "http://127.0.0.1:3")],
    )
    .unwrap();
    assert_eq!(chain.endpoints.sts.as_deref(), Some("http://127.0.0.1:3"));
    let chain = resolve_with(
        config,
        "",
        "p",
        &[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:3"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:4"),
        ],
    )
    .unwrap();
    assert_eq!(
        chain.endpoints.sso_oidc.as_deref(),
        Some("http://127.0.0.1:4")
    );
    assert_eq!(chain.endpoints.sso.as_deref(), Some("http://127.0.0.1:3"));
    let chain = resolve_with(
        config,
        "",
        "p",
        &[
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ("AWS_ENDPOINT_URL", "http://x"),
        ],
    )
    .unwrap();
    assert_eq!(chain.endpoints, Endpoints::default());
}

#[test]
fn max_attempts_from_profile_or_env() {
    let config = "[profile p]\naws_access_key_id = A\naws_secret_access_key = B\n";
    assert_eq!(
        resolve_with(config, "", "p", &[("AWS_MAX_ATTEMPTS", "5")])
            .unwrap()
            .max_attempts,
        Some(5)
    );
    assert!(
        resolve_with(config, "", "p", &[("AWS_MAX_ATTEMPTS", "lots")])
            .unwrap_err()
            .to_string()
            .contains("max_attempts")
    );
}

#[test]
fn an_alias_target_keeps_its_own_role_even_after_a_hop() {
    // See: the alias target was treated as a source, whose keys win over its role.
    let config = "
[profile c]
aws_access_key_id = AKIAC
aws_secret_access_key = s
role_arn = arn:aws:iam::1:role/C
source_profile = c
region = us-east-1
[profile b]
credential_process = granted credential-process --profile c
[profile a]
role_arn = arn:aws:iam::1:role/A
source_profile = b
";
    let chain = ok(config, "a");
    let arns: Vec<&str> = chain.hops.iter().map(|h| h.role_arn.as_str()).collect();
    assert_eq!(arns, ["arn:aws:iam::1:role/C", "arn:aws:iam::1:role/A"]);
    assert!(matches!(&chain.base, Base::Static(k) if k.access_key_id == "AKIAC"));
}

#[test]
fn a_self_call_for_the_same_profile_means_stored_keys() {
    let config = "[profile p]\ncredential_process = granted credential-process --profile=p\nmfa_serial = arn:aws:iam::1:mfa/me\n";
    assert_eq!(
        ok(config, "p").base,
        Base::Stored {
            profile: "p".into(),
            mfa_serial: Some("arn:aws:iam::1:mfa/me".into())
        }
    );
}

#[test]
fn an_alias_with_its_own_config_file_runs_as_a_process() {
    let config = "[profile a]\ncredential_process = granted --aws-config-file /elsewhere credential-process --profile b\n";
    assert!(matches!(ok(config, "a").base, Base::Process(_)));
}

#[test]
fn sources_inside_one_profile_follow_botocore() {
    // Keys from the credentials file beat credential_process; keys in the config file don't.
    let config = "[profile p]\ncredential_process = other-tool\naws_access_key_id = AKIACONFIG\naws_secret_access_key = s\n";
    assert!(matches!(ok(config, "p").base, Base::Process(_)));
    let chain = resolve_with(
        "[profile p]\ncredential_process = other-tool\n",
        "[p]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n",
        "p",
        &[],
    )
    .unwrap();
    assert!(matches!(&chain.base, Base::Static(k) if k.access_key_id == "AKIAFILE"));
    // Without a credential_process, config-file keys are used.
    assert!(matches!(
        ok(
            "[profile p]\naws_access_key_id = A\naws_secret_access_key = s\n",
            "p"
        )
        .base,
        Base::Static(_)
    ));
}

#[test]
fn environment_beats_profile_for_max_attempts_and_ignored_endpoints() {
    let config = "[profile p]\naws_access_key_id = A\naws_secret_access_key = B\nmax_attempts = 7\nendpoint_url = http://127.0.0.1:1\nignore_configured_endpoint_urls = true\n";
    let chain = resolve_with(config, "", "p", &[]).unwrap();
    assert_eq!(chain.max_attempts, Some(7));
    assert_eq!(
        chain.endpoints,
        Endpoints::default(),
        "the profile turns its endpoints off"
    );
    let chain = resolve_with(
        config,
        "",
        "p",
        &[
            ("AWS_MAX_ATTEMPTS", "2"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
        ],
    )
    .unwrap();
    assert_eq!(chain.max_attempts, Some(2));
    assert_eq!(
        chain.endpoints.sts.as_deref(),
        Some("http://127.0.0.1:1"),
        "the environment turns them back on"
    );
}

#[test]
fn region_follows_granted_sso_region_before_environment() {
    let chain = resolve_with(GRANTED_SSO, "", "dev", &[("AWS_REGION", "eu-west-3")]).unwrap();
    assert_eq!(chain.region.as_deref(), Some("ap-southeast-2"));
    let with_region = GRANTED_SSO.replace("[profile dev]\n", "[profile dev]\nregion = us-west-1\n");
    let chain = resolve_with(&with_region, "", "dev", &[("AWS_REGION", "eu-west-3")]).unwrap();
    assert_eq!(chain.region.as_deref(), Some("us-west-1"));
}
