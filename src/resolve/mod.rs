//! Profile → credential chain: which source gives the first credentials and which roles
//! are assumed after it, in order.
//!
//! Owns the rules that decide how a profile gets credentials (the AWS CLI's, plus
//! Granted's `granted_sso_*` keys), the region used for STS, the endpoint overrides and
//! the loop and depth checks. It is pure: it reads an already loaded [`AwsConfig`] and an
//! environment lookup, never files, the network or the clock, so every rule is
//! unit-tested on strings. It must not fetch anything.
//!
//! ```ini
//! [profile dev]                      ; SSO through Granted's keys
//! granted_sso_start_url = https://example.awsapps.com/start
//! granted_sso_region = ap-southeast-2
//! granted_sso_account_id = 123456789012
//! granted_sso_role_name = AWSAdministratorAccess
//! credential_process = granted credential-process --profile dev
//!
//! [profile deploy]                   ; one STS hop on top of `dev`
//! role_arn = arn:aws:iam::210987654321:role/Deploy
//! source_profile = dev
//! ```
//!
//! Order of sources inside one profile: `role_arn` (a hop; for a *source* profile, static
//! keys win over its own `role_arn`, as in botocore) → `granted_sso_*` → `sso_*` /
//! `sso_session` → static keys → `credential_process`. A `credential_process` that runs
//! granted itself is never executed: it names the profile to resolve in-process.

mod selfcall;

pub use selfcall::{SelfCall, parse_self_call};

use crate::awsconfig::{AwsConfig, ConfigError, Origin, Profile};
use crate::secret::Secret;

/// At most this many profiles in one `source_profile` chain.
pub const MAX_DEPTH: usize = 10;

/// What [`resolve`] may look at besides the config: the environment (through a lookup,
/// so tests pass a map) and the names this binary answers to.
pub struct Context<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// File names that mean "this binary" in a `credential_process` line, besides
    /// `granted` and `dgranted` (for example the running executable's own name).
    pub self_names: Vec<String>,
}

impl Context<'_> {
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }
}

/// Where a profile's credentials come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// The profile that was asked for.
    pub profile: String,
    pub base: Base,
    /// Roles to assume, in order: the first is assumed with the base credentials.
    pub hops: Vec<RoleHop>,
    /// Region for STS calls (and reported to the user).
    pub region: Option<String>,
    pub endpoints: Endpoints,
    /// `max_attempts` of the profile or `AWS_MAX_ATTEMPTS`.
    pub max_attempts: Option<u32>,
}

/// The first link of a chain.
#[derive(Debug, Clone, PartialEq)]
pub enum Base {
    Sso(SsoRole),
    Static(StaticKeys),
    Process(ProcessSource),
    /// Long-lived keys kept in granted's encrypted store (`granted credentials add`):
    /// the profile's `credential_process` runs granted for the profile itself.
    Stored {
        profile: String,
        /// `mfa_serial` on the profile: an MFA session, as for [`StaticKeys`].
        mfa_serial: Option<String>,
    },
    /// `credential_source = Environment`.
    Environment {
        profile: String,
    },
}

impl Base {
    /// The profile this link was read from.
    pub fn profile(&self) -> &str {
        match self {
            Base::Sso(s) => &s.profile,
            Base::Static(s) => &s.profile,
            Base::Process(p) => &p.profile,
            Base::Environment { profile } | Base::Stored { profile, .. } => profile,
        }
    }
}

/// `sso:GetRoleCredentials` for one account and role.
#[derive(Debug, Clone, PartialEq)]
pub struct SsoRole {
    pub profile: String,
    pub start_url: String,
    /// The IAM Identity Center region (`sso_region`).
    pub region: String,
    pub account_id: String,
    pub role_name: String,
    /// `sso_session` name, when the profile uses an `[sso-session]`.
    pub session_name: Option<String>,
    pub scopes: Vec<String>,
}

/// Keys written in a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticKeys {
    pub profile: String,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    /// `mfa_serial` on a profile without `role_arn`: an MFA session through
    /// `sts:GetSessionToken` (only when no role is assumed after it).
    pub mfa_serial: Option<String>,
    /// `aws_account_id`, reported as `AccountId`.
    pub account_id: Option<String>,
}

/// A `credential_process` of another tool.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessSource {
    pub profile: String,
    pub command: String,
    pub origin: Origin,
}

/// One `sts:AssumeRole`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleHop {
    pub profile: String,
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
    pub mfa_serial: Option<String>,
}

/// Endpoint overrides per service, `None` for the AWS default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub sts: Option<String>,
    pub sso: Option<String>,
    pub sso_oidc: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("profile `{name}` not found in {files}{hint}")]
    NotFound {
        name: String,
        files: String,
        hint: String,
    },
    #[error("profile `{from}` ({origin}): source_profile `{name}` not found")]
    SourceNotFound {
        from: String,
        origin: Origin,
        name: String,
    },
    #[error("profile `{profile}` ({origin}): missing `{key}`{why}")]
    MissingKey {
        profile: String,
        origin: Origin,
        key: &'static str,
        why: String,
    },
    #[error("profile `{profile}` ({origin}): {message}")]
    Invalid {
        profile: String,
        origin: Origin,
        message: String,
    },
    #[error(
        "profile `{profile}` ({origin}) has no credentials: set `granted_sso_*` or `sso_*` keys, `aws_access_key_id`, `credential_process`, or `role_arn` with `source_profile`"
    )]
    NoCredentials { profile: String, origin: Origin },
    #[error("profile loop: {}", .path.join(" -> "))]
    Cycle { path: Vec<String> },
    #[error("source_profile chain deeper than {MAX_DEPTH} profiles: {}", .path.join(" -> "))]
    TooDeep { path: Vec<String> },
    #[error(
        "region not set on profile `{profile}`: set `region` in the profile or AWS_REGION (STS needs a region to assume `{role_arn}`)"
    )]
    RegionNotSet { profile: String, role_arn: String },
    #[error("no `[sso-session {name}]` in {file}")]
    NoSsoSession { name: String, file: String },
    #[error("`[sso-session {name}]` in {file} has no `{key}`")]
    SsoSessionKey {
        name: String,
        key: String,
        file: String,
    },
}

/// What one profile contributes.
enum Step {
    /// Assume this role on top of the credentials of what follows.
    Hop(RoleHop, Next),
    /// Resolve another profile instead (a `credential_process` that runs granted for it).
    Alias(String),
    Base(Base),
}

enum Next {
    Profile(String),
    Base(Base),
}

/// Resolves `name` into a chain.
pub fn resolve(cfg: &AwsConfig, name: &str, ctx: &Context) -> Result<Chain, ResolveError> {
    let mut visited: Vec<String> = Vec::new();
    let mut profiles: Vec<Profile> = Vec::new();
    let mut hops: Vec<RoleHop> = Vec::new();
    let mut current = name.to_owned();
    // A profile reached through a granted alias stands for that profile's whole result,
    // as running the line would give: it acts as the one asked for, not as a source.
    let mut via_alias = false;
    let base = loop {
        if visited.contains(&current) {
            visited.push(current);
            return Err(ResolveError::Cycle { path: visited });
        }
        if visited.len() >= MAX_DEPTH {
            visited.push(current);
            return Err(ResolveError::TooDeep { path: visited });
        }
        let Some(profile) = cfg.profile(&current)? else {
            return Err(match profiles.last() {
                None => not_found(cfg, &current),
                Some(from) => ResolveError::SourceNotFound {
                    from: from.name.clone(),
                    origin: from.origin.clone(),
                    name: current,
                },
            });
        };
        visited.push(current.clone());
        let step = classify(cfg, &profile, hops.is_empty() || via_alias, ctx)?;
        profiles.push(profile);
        via_alias = matches!(step, Step::Alias(_));
        match step {
            Step::Hop(hop, Next::Profile(next)) => {
                hops.push(hop);
                current = next;
            }
            Step::Hop(hop, Next::Base(base)) => {
                hops.push(hop);
                break base;
            }
            Step::Alias(next) => current = next,
            Step::Base(base) => break base,
        }
    };
    hops.reverse();

    let leaf = &profiles[0];
    let region = region(cfg, &profiles, &base, ctx)?;
    if region.is_none()
        && let Some(hop) = hops.first()
    {
        return Err(ResolveError::RegionNotSet {
            profile: leaf.name.clone(),
            role_arn: hop.role_arn.clone(),
        });
    }
    let endpoints = endpoints(cfg, leaf, ctx)?;
    // The SDKs' order: the environment, then the profile.
    let max_attempts = match ctx
        .var("AWS_MAX_ATTEMPTS")
        .or_else(|| get(leaf, "max_attempts").map(str::to_owned))
    {
        None => None,
        Some(v) => Some(
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=20).contains(n))
                .ok_or_else(|| ResolveError::Invalid {
                    profile: leaf.name.clone(),
                    origin: leaf.origin.clone(),
                    message:
                        "`max_attempts` (or AWS_MAX_ATTEMPTS) must be a whole number from 1 to 20"
                            .into(),
                })?,
        ),
    };
    Ok(Chain {
        profile: name.to_owned(),
        base,
        hops,
        region,
        endpoints,
        max_attempts,
    })
}

fn not_found(cfg: &AwsConfig, name: &str) -> ResolveError {
    let names = cfg.profile_names();
    let mut close: Vec<(f64, &String)> = names
        .iter()
        .map(|n| {
            (
                strsim::jaro_winkler(&n.to_lowercase(), &name.to_lowercase()),
                n,
            )
        })
        .filter(|(score, n)| {
            *score >= 0.8 || (name.len() >= 3 && n.to_lowercase().contains(&name.to_lowercase()))
        })
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let hint = match close.len() {
        0 => String::new(),
        _ => {
            let list: Vec<String> = close
                .iter()
                .take(3)
                .map(|(_, n)| format!("`{n}`"))
                .collect();
            format!("; did you mean {}?", list.join(" or "))
        }
    };
    ResolveError::NotFound {
        name: name.to_owned(),
        files: format!(
            "{} or {}",
            cfg.config_display_path(),
            cfg.credentials_display_path()
        ),
        hint,
    }
}

fn invalid(p: &Profile, message: impl Into<String>) -> ResolveError {
    ResolveError::Invalid {
        profile: p.name.clone(),
        origin: p.origin.clone(),
        message: message.into(),
    }
}

fn missing(p: &Profile, key: &'static str, why: impl Into<String>) -> ResolveError {
    ResolveError::MissingKey {
        profile: p.name.clone(),
        origin: p.origin.clone(),
        key,
        why: why.into(),
    }
}

/// A non-empty value.
fn get<'p>(p: &'p Profile, key: &str) -> Option<&'p str> {
    p.get(key).filter(|v| !v.is_empty())
}

fn classify(
    cfg: &AwsConfig,
    p: &Profile,
    is_leaf: bool,
    ctx: &Context,
) -> Result<Step, ResolveError> {
    let has_static = get(p, "aws_access_key_id").is_some();
    if let Some(role_arn) = get(p, "role_arn")
        && (is_leaf || !has_static)
    {
        let hop = role_hop(p, role_arn)?;
        return match (get(p, "source_profile"), get(p, "credential_source")) {
            (Some(_), Some(_)) => Err(invalid(p, "`source_profile` and `credential_source` can't both be set")),
            (Some(source), None) if source == p.name => {
                Ok(Step::Hop(hop, Next::Base(Base::Static(static_keys(p)?.ok_or_else(|| {
                    missing(p, "aws_access_key_id", " (source_profile names the profile itself, so its own keys are the source)")
                })?))))
            }
            (Some(source), None) => Ok(Step::Hop(hop, Next::Profile(source.to_owned()))),
            (None, Some(source)) if source.eq_ignore_ascii_case("Environment") => {
                Ok(Step::Hop(hop, Next::Base(Base::Environment { profile: p.name.clone() })))
            }
            (None, Some(source)) => Err(invalid(
                p,
                format!("credential_source `{source}` is not supported (only `Environment`; instance and container metadata are never contacted)"),
            )),
            (None, None) => match own_source(cfg, p, ctx)? {
                Some(Step::Base(base)) => Ok(Step::Hop(hop, Next::Base(base))),
                Some(Step::Alias(next)) => Ok(Step::Hop(hop, Next::Profile(next))),
                _ => Err(missing(p, "source_profile", " (or `credential_source`) for `role_arn`")),
            },
        };
    }
    own_source(cfg, p, ctx)?.ok_or_else(|| ResolveError::NoCredentials {
        profile: p.name.clone(),
        origin: p.origin.clone(),
    })
}

fn role_hop(p: &Profile, role_arn: &str) -> Result<RoleHop, ResolveError> {
    if !role_arn.starts_with("arn:") {
        return Err(invalid(
            p,
            "`role_arn` must be an ARN like arn:aws:iam::123456789012:role/Name",
        ));
    }
    let duration_seconds = match get(p, "duration_seconds") {
        None => None,
        Some(v) => Some(
            v.parse::<u32>()
                .ok()
                .filter(|d| (900..=43200).contains(d))
                .ok_or_else(|| {
                    invalid(
                        p,
                        "`duration_seconds` must be a whole number of seconds from 900 to 43200",
                    )
                })?,
        ),
    };
    Ok(RoleHop {
        profile: p.name.clone(),
        role_arn: role_arn.to_owned(),
        session_name: get(p, "role_session_name").map(str::to_owned),
        external_id: get(p, "external_id").map(str::to_owned),
        duration_seconds,
        mfa_serial: get(p, "mfa_serial").map(str::to_owned),
    })
}

/// The profile's own source, without `role_arn`.
fn own_source(cfg: &AwsConfig, p: &Profile, ctx: &Context) -> Result<Option<Step>, ResolveError> {
    if p.has_prefix("granted_sso_") {
        return granted_sso(cfg, p).map(|s| Some(Step::Base(Base::Sso(s))));
    }
    if [
        "sso_account_id",
        "sso_role_name",
        "sso_start_url",
        "sso_session",
    ]
    .iter()
    .any(|k| get(p, k).is_some())
    {
        return standard_sso(cfg, p).map(|s| Some(Step::Base(Base::Sso(s))));
    }
    // botocore's order: keys from the credentials file, then credential_process, then
    // keys from the config file.
    let keys = static_keys(p)?;
    let command = get(p, "credential_process");
    if let Some(keys) = keys
        .as_ref()
        .filter(|_| command.is_none() || keys_from_credentials_file(cfg, p))
    {
        return Ok(Some(Step::Base(Base::Static(keys.clone()))));
    }
    if let Some(command) = command {
        let call = parse_self_call(command, &ctx.self_names, crate::awsconfig::shlex_split)
            // A line with its own config file runs as a process (guarded against recursion).
            .filter(|call| call.aws_config_file.is_none());
        if let Some(call) = call {
            return match call.profile {
                Some(other) if other != p.name => Ok(Some(Step::Alias(other))),
                // Its keys are in the encrypted store (`granted credentials add`).
                Some(_) => Ok(Some(Step::Base(Base::Stored {
                    profile: p.name.clone(),
                    mfa_serial: get(p, "mfa_serial").map(str::to_owned),
                }))),
                None => Err(invalid(
                    p,
                    "`credential_process` runs `granted credential-process` without `--profile`",
                )),
            };
        }
        let origin = p
            .prop("credential_process")
            .map(|prop| prop.origin.clone())
            .unwrap_or_else(|| p.origin.clone());
        return Ok(Some(Step::Base(Base::Process(ProcessSource {
            profile: p.name.clone(),
            command: command.to_owned(),
            origin,
        }))));
    }
    Ok(keys.map(|keys| Step::Base(Base::Static(keys))))
}

/// Whether the profile's `aws_access_key_id` comes from the credentials file.
fn keys_from_credentials_file(cfg: &AwsConfig, p: &Profile) -> bool {
    p.prop("aws_access_key_id")
        .is_some_and(|prop| &*prop.origin.path == cfg.credentials_display_path())
}

fn static_keys(p: &Profile) -> Result<Option<StaticKeys>, ResolveError> {
    match (get(p, "aws_access_key_id"), get(p, "aws_secret_access_key")) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(missing(
            p,
            "aws_secret_access_key",
            " (it has `aws_access_key_id`)",
        )),
        (None, Some(_)) => Err(missing(
            p,
            "aws_access_key_id",
            " (it has `aws_secret_access_key`)",
        )),
        (Some(id), Some(secret)) => Ok(Some(StaticKeys {
            profile: p.name.clone(),
            access_key_id: id.to_owned(),
            secret_access_key: Secret::new(secret),
            session_token: get(p, "aws_session_token").map(Secret::new),
            mfa_serial: get(p, "mfa_serial").map(str::to_owned),
            account_id: get(p, "aws_account_id").map(str::to_owned),
        })),
    }
}

fn sso_session(
    cfg: &AwsConfig,
    p: &Profile,
) -> Result<Option<(String, crate::awsconfig::Section)>, ResolveError> {
    let Some(name) = get(p, "sso_session") else {
        return Ok(None);
    };
    match cfg.sso_session(name)? {
        Some(section) => Ok(Some((name.to_owned(), section))),
        None => Err(invalid(
            p,
            format!(
                "sso_session `{name}` has no `[sso-session {name}]` section in {}",
                cfg.config_display_path()
            ),
        )),
    }
}

/// What an `[sso-session]` section names: the instance and the scopes to register with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSessionInfo {
    pub name: String,
    pub start_url: String,
    pub region: String,
    pub scopes: Vec<String>,
}

/// `[sso-session name]` of the config file, for `granted sso login --sso-session`.
/// `file` names the config file in errors.
pub fn sso_session_info(
    cfg: &AwsConfig,
    name: &str,
    file: &std::path::Path,
) -> Result<SsoSessionInfo, ResolveError> {
    let file = file.display().to_string();
    let section = cfg
        .sso_session(name)?
        .ok_or_else(|| ResolveError::NoSsoSession {
            name: name.to_owned(),
            file: file.clone(),
        })?;
    let required = |key: &str| {
        section
            .get(key)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| ResolveError::SsoSessionKey {
                name: name.to_owned(),
                key: key.to_owned(),
                file: file.clone(),
            })
    };
    Ok(SsoSessionInfo {
        name: name.to_owned(),
        start_url: required("sso_start_url")?,
        region: required("sso_region")?,
        scopes: scopes(section.get("sso_registration_scopes")),
    })
}

fn scopes(value: Option<&str>) -> Vec<String> {
    value
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn granted_sso(cfg: &AwsConfig, p: &Profile) -> Result<SsoRole, ResolveError> {
    let session = sso_session(cfg, p)?;
    let from_session = |key: &str| {
        session
            .as_ref()
            .and_then(|(_, s)| s.get(key).filter(|v| !v.is_empty()).map(str::to_owned))
    };
    let start_url = get(p, "granted_sso_start_url")
        .map(str::to_owned)
        .or_else(|| from_session("sso_start_url"))
        .ok_or_else(|| {
            missing(
                p,
                "granted_sso_start_url",
                " (or an `sso_session` with `sso_start_url`)",
            )
        })?;
    let region = get(p, "granted_sso_region")
        .map(str::to_owned)
        .or_else(|| from_session("sso_region"))
        .ok_or_else(|| {
            missing(
                p,
                "granted_sso_region",
                " (or an `sso_session` with `sso_region`)",
            )
        })?;
    let account_id =
        get(p, "granted_sso_account_id").ok_or_else(|| missing(p, "granted_sso_account_id", ""))?;
    let role_name =
        get(p, "granted_sso_role_name").ok_or_else(|| missing(p, "granted_sso_role_name", ""))?;
    let scope_value = get(p, "granted_sso_registration_scopes")
        .map(str::to_owned)
        .or_else(|| from_session("sso_registration_scopes"));
    check_start_url(p, &start_url)?;
    Ok(SsoRole {
        profile: p.name.clone(),
        start_url,
        region,
        account_id: account_id.to_owned(),
        role_name: role_name.to_owned(),
        session_name: session.map(|(name, _)| name),
        scopes: scopes(scope_value.as_deref()),
    })
}

fn standard_sso(cfg: &AwsConfig, p: &Profile) -> Result<SsoRole, ResolveError> {
    let (start_url, region, session_name, scope_value) = match sso_session(cfg, p)? {
        Some((name, section)) => {
            let start_url = section
                .get("sso_start_url")
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    invalid(p, format!("`[sso-session {name}]` has no `sso_start_url`"))
                })?
                .to_owned();
            let region = section
                .get("sso_region")
                .filter(|v| !v.is_empty())
                .ok_or_else(|| invalid(p, format!("`[sso-session {name}]` has no `sso_region`")))?
                .to_owned();
            for (key, value) in [("sso_start_url", &start_url), ("sso_region", &region)] {
                if let Some(own) = get(p, key)
                    && own != value
                {
                    return Err(invalid(
                        p,
                        format!("`{key}` differs from the one in `[sso-session {name}]`"),
                    ));
                }
            }
            let scopes = section.get("sso_registration_scopes").map(str::to_owned);
            (start_url, region, Some(name), scopes)
        }
        None => {
            let start_url = get(p, "sso_start_url")
                .ok_or_else(|| missing(p, "sso_start_url", " (or `sso_session`)"))?;
            let region = get(p, "sso_region").ok_or_else(|| missing(p, "sso_region", ""))?;
            (start_url.to_owned(), region.to_owned(), None, None)
        }
    };
    let account_id = get(p, "sso_account_id").ok_or_else(|| missing(p, "sso_account_id", ""))?;
    let role_name = get(p, "sso_role_name").ok_or_else(|| missing(p, "sso_role_name", ""))?;
    check_start_url(p, &start_url)?;
    Ok(SsoRole {
        profile: p.name.clone(),
        start_url,
        region,
        account_id: account_id.to_owned(),
        role_name: role_name.to_owned(),
        session_name,
        scopes: scopes(scope_value.as_deref()),
    })
}

fn check_start_url(p: &Profile, url: &str) -> Result<(), ResolveError> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(invalid(p, "the SSO start URL must start with https://"))
    }
}

/// Granted's order (its §4.6): the profile, then each source profile, then the SSO
/// region, then the SDK default: `AWS_REGION`, `AWS_DEFAULT_REGION`, `[default]`.
fn region(
    cfg: &AwsConfig,
    chain: &[Profile],
    base: &Base,
    ctx: &Context,
) -> Result<Option<String>, ResolveError> {
    if let Some(r) = chain.iter().find_map(|p| get(p, "region")) {
        return Ok(Some(r.to_owned()));
    }
    if let Base::Sso(sso) = base {
        return Ok(Some(sso.region.clone()));
    }
    if let Some(r) = ctx
        .var("AWS_REGION")
        .or_else(|| ctx.var("AWS_DEFAULT_REGION"))
    {
        return Ok(Some(r));
    }
    if chain[0].name != "default"
        && let Some(default) = cfg.profile("default")?
        && let Some(r) = get(&default, "region")
    {
        return Ok(Some(r.to_owned()));
    }
    Ok(None)
}

/// The SDKs' order: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
/// `[services]` entry, the profile's `endpoint_url`; all ignored under
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls`.
fn endpoints(cfg: &AwsConfig, leaf: &Profile, ctx: &Context) -> Result<Endpoints, ResolveError> {
    // The environment variable, when set, wins over the profile's setting either way.
    let ignore = ctx
        .var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .or_else(|| get(leaf, "ignore_configured_endpoint_urls").map(str::to_owned))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if ignore {
        return Ok(Endpoints::default());
    }
    let services = match get(leaf, "services") {
        Some(name) => cfg.services(name)?,
        None => None,
    };
    let global_env = ctx.var("AWS_ENDPOINT_URL");
    let global_profile = get(leaf, "endpoint_url").map(str::to_owned);
    let one = |env: &str, service: &str| -> Option<String> {
        ctx.var(env).or_else(|| global_env.clone()).or_else(|| {
            services
                .as_ref()
                .and_then(|s| s.nested(service))
                .and_then(|kv| {
                    kv.iter()
                        .find(|(k, _)| k == "endpoint_url")
                        .map(|(_, v)| v.clone())
                })
                .filter(|v| !v.is_empty())
                .or_else(|| global_profile.clone())
        })
    };
    Ok(Endpoints {
        sts: one("AWS_ENDPOINT_URL_STS", "sts"),
        sso: one("AWS_ENDPOINT_URL_SSO", "sso"),
        sso_oidc: one("AWS_ENDPOINT_URL_SSO_OIDC", "sso_oidc"),
    })
}

#[cfg(test)]
mod tests;
