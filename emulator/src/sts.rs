//! AWS STS (`aws-sdk-sts`, awsQuery protocol): form-encoded `POST /` with
//! `Action=…&Version=2011-06-15`, XML responses and `ErrorResponse` errors.
//! Every call is authenticated from its SigV4 signature: the signing access
//! key must be known, carry its session token when temporary, be unexpired,
//! and the signature must verify with its secret. Serves AssumeRole,
//! GetCallerIdentity and GetSessionToken, including role chaining limits,
//! external-id and MFA role conditions.

use crate::sigv4;
use crate::state::{Identity, Issued, Principal, Shared, State};
use crate::wire::{Reply, Req, parse_pairs, xml_escape};
use std::collections::HashMap;
use std::time::Duration;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

const XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
const ACTIONS: &[&str] = &["AssumeRole", "GetCallerIdentity", "GetSessionToken"];
const ISO8601: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
const CHAINING_LIMIT: i64 = 3600;

/// An STS error response.
pub(crate) struct StsError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl StsError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> StsError {
        StsError {
            status,
            code: code.to_string(),
            message: message.into(),
        }
    }

    fn validation(message: impl Into<String>) -> StsError {
        StsError::new(400, "ValidationError", message)
    }

    fn access_denied(message: impl Into<String>) -> StsError {
        StsError::new(403, "AccessDenied", message)
    }

    pub fn reply(&self, request_id: &str) -> Reply {
        let kind = if self.status >= 500 {
            "Receiver"
        } else {
            "Sender"
        };
        let body = format!(
            "<ErrorResponse xmlns=\"{XMLNS}\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{}</Code>\n    \
             <Message>{}</Message>\n  </Error>\n  <RequestId>{}</RequestId>\n</ErrorResponse>\n",
            xml_escape(&self.code),
            xml_escape(&self.message),
            xml_escape(request_id)
        );
        let mut r = Reply::new(self.status, "text/xml", body);
        r.error_code = Some(self.code.clone());
        r
    }
}

/// All request parameters: the query string, then the form body.
pub(crate) fn params(req: &Req) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = parse_pairs(&req.query, true).into_iter().collect();
    let is_form = req
        .header("content-type")
        .is_none_or(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if is_form && let Ok(body) = std::str::from_utf8(&req.body) {
        out.extend(parse_pairs(body, true));
    }
    out
}

/// The operation name for a request to `/`: `Ok(action)` for a supported
/// action, `Err(action)` for anything else.
pub(crate) fn operation(params: &HashMap<String, String>) -> Result<&'static str, String> {
    let action = params.get("Action").cloned().unwrap_or_default();
    ACTIONS
        .iter()
        .find(|a| **a == action)
        .copied()
        .ok_or(action)
}

pub(crate) fn handle(
    shared: &Shared,
    op: &str,
    req: &Req,
    params: &HashMap<String, String>,
    request_id: &str,
) -> Reply {
    let mut st = shared.lock();
    let result = authenticate(&st, req).and_then(|(caller, temporary)| match op {
        "AssumeRole" => assume_role(&mut st, &caller, params),
        "GetCallerIdentity" => Ok(format!(
            "<Arn>{}</Arn>\n    <UserId>{}</UserId>\n    <Account>{}</Account>",
            xml_escape(&caller.arn()),
            xml_escape(&caller.user_id()),
            xml_escape(&caller.account)
        )),
        "GetSessionToken" => get_session_token(&mut st, &caller, temporary, params),
        _ => Err(unknown_action(op)),
    });
    match result {
        Ok(inner) => {
            let body = format!(
                "<{op}Response xmlns=\"{XMLNS}\">\n  <{op}Result>\n    {inner}\n  </{op}Result>\n  \
                 <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  </ResponseMetadata>\n</{op}Response>\n",
                xml_escape(request_id)
            );
            Reply::new(200, "text/xml", body)
        }
        Err(e) => e.reply(request_id),
    }
}

pub(crate) fn unknown_action(action: &str) -> StsError {
    StsError::new(
        400,
        "InvalidAction",
        format!("Could not find operation {action} for version 2011-06-15"),
    )
}

/// Resolve the caller from the request's SigV4 signature: its identity and
/// whether it signed with temporary credentials.
fn authenticate(st: &State, req: &Req) -> Result<(Identity, bool), StsError> {
    let Some(value) = req.header("authorization") else {
        return Err(StsError::new(
            403,
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        ));
    };
    let auth = sigv4::parse_authorization(value)
        .map_err(|m| StsError::new(400, "IncompleteSignature", m))?;
    let Some(amz_date) = req.header("x-amz-date") else {
        return Err(StsError::new(
            400,
            "IncompleteSignature",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ));
    };
    let invalid_token = || {
        StsError::new(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
    };
    let Some(key) = st.keys.get(&auth.access_key_id) else {
        return Err(invalid_token());
    };
    if key.session_token.as_deref() != req.header("x-amz-security-token") {
        return Err(invalid_token());
    }
    if auth.service != "sts" {
        return Err(StsError::new(
            403,
            "SignatureDoesNotMatch",
            "Credential should be scoped to correct service: 'sts'. ",
        ));
    }
    if !sigv4::verify(req, &auth, amz_date, &key.secret) {
        return Err(StsError::new(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    if key.expires_at.is_some_and(|e| st.now() >= e) {
        return Err(StsError::new(
            403,
            "ExpiredToken",
            "The security token included in the request is expired",
        ));
    }
    Ok((key.identity.clone(), key.session_token.is_some()))
}

fn credentials_xml(c: &Issued) -> String {
    let exp = c
        .expires_at
        .to_offset(time::UtcOffset::UTC)
        .format(ISO8601)
        .unwrap_or_default();
    format!(
        "<Credentials>\n      <AccessKeyId>{}</AccessKeyId>\n      <SecretAccessKey>{}</SecretAccessKey>\n      \
         <SessionToken>{}</SessionToken>\n      <Expiration>{}</Expiration>\n    </Credentials>",
        xml_escape(&c.access_key_id),
        xml_escape(&c.secret_access_key),
        xml_escape(&c.session_token),
        exp
    )
}

/// Parse an optional `DurationSeconds` within `min..=max`.
fn duration(
    params: &HashMap<String, String>,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, StsError> {
    let Some(raw) = params.get("DurationSeconds") else {
        return Ok(default);
    };
    let v: i64 = raw.trim().parse().map_err(|_| {
        StsError::validation(format!(
            "1 validation error detected: Value '{raw}' at 'durationSeconds' failed to satisfy constraint: Member must be a number"
        ))
    })?;
    if v < min {
        return Err(StsError::validation(format!(
            "1 validation error detected: Value '{v}' at 'durationSeconds' failed to satisfy constraint: \
             Member must have value greater than or equal to {min}"
        )));
    }
    if v > max {
        return Err(StsError::validation(format!(
            "1 validation error detected: Value '{v}' at 'durationSeconds' failed to satisfy constraint: \
             Member must have value less than or equal to {max}"
        )));
    }
    Ok(v)
}

/// Check an optional SerialNumber/TokenCode pair: `Ok(true)` when a valid
/// code was given, `Ok(false)` when none was given.
fn check_mfa(st: &State, params: &HashMap<String, String>) -> Result<bool, StsError> {
    match (params.get("SerialNumber"), params.get("TokenCode")) {
        (None, None) => Ok(false),
        (Some(serial), Some(code)) => {
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(StsError::validation(format!(
                    "1 validation error detected: Value '{code}' at 'tokenCode' failed to satisfy constraint: \
                     Member must satisfy regular expression pattern: [\\d]*"
                )));
            }
            if st.mfa_code_valid(serial, code) {
                Ok(true)
            } else {
                Err(StsError::access_denied(
                    "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                ))
            }
        }
        (Some(_), None) => Err(StsError::access_denied(
            "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.",
        )),
        (None, Some(_)) => Err(StsError::access_denied(
            "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.",
        )),
    }
}

/// `arn:aws:iam::<12 digits>:role/[path/]name` → (account, role name).
fn parse_role_arn(arn: &str) -> Option<(String, String)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next()?;
    let name_ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    name_ok.then(|| (account.to_string(), name.to_string()))
}

fn valid_session_name(s: &str) -> bool {
    (2..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

fn assume_role(
    st: &mut State,
    caller: &Identity,
    params: &HashMap<String, String>,
) -> Result<String, StsError> {
    let Some(role_arn) = params.get("RoleArn") else {
        return Err(StsError::validation(
            "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
        ));
    };
    let Some(session) = params.get("RoleSessionName") else {
        return Err(StsError::validation(
            "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
        ));
    };
    if !valid_session_name(session) {
        return Err(StsError::validation(format!(
            "1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64"
        )));
    }
    let Some((account, role_name)) = parse_role_arn(role_arn) else {
        return Err(StsError::validation(format!(
            "{role_arn} is invalid: expected arn:aws:iam::<account-id>:role/<role-name>"
        )));
    };
    let secs = duration(params, 3600, 900, 43200)?;
    if caller.is_role_session() && secs > CHAINING_LIMIT {
        return Err(StsError::validation(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        ));
    }
    let mfa_given = check_mfa(st, params)?;
    let not_authorized = || {
        StsError::access_denied(format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
            caller.arn()
        ))
    };
    if let Some(cond) = st.roles.get(role_arn.as_str()) {
        if let Some(expected) = &cond.external_id
            && params.get("ExternalId") != Some(expected)
        {
            return Err(not_authorized());
        }
        if cond.require_mfa && !mfa_given && !caller.mfa {
            return Err(not_authorized());
        }
    }
    let identity = Identity {
        account,
        principal: Principal::Role {
            role_name,
            session: session.clone(),
        },
        mfa: mfa_given || caller.mfa,
    };
    let arn = identity.arn();
    let user_id = identity.user_id();
    let issued = st.issue_temporary(identity, Duration::from_secs(secs.unsigned_abs()));
    Ok(format!(
        "{}\n    <AssumedRoleUser>\n      <AssumedRoleId>{}</AssumedRoleId>\n      <Arn>{}</Arn>\n    </AssumedRoleUser>",
        credentials_xml(&issued),
        xml_escape(&user_id),
        xml_escape(&arn)
    ))
}

fn get_session_token(
    st: &mut State,
    caller: &Identity,
    temporary: bool,
    params: &HashMap<String, String>,
) -> Result<String, StsError> {
    if temporary {
        return Err(StsError::access_denied(
            "Cannot call GetSessionToken with session credentials",
        ));
    }
    let secs = duration(params, 43200, 900, 129600)?;
    let mfa = check_mfa(st, params)?;
    let identity = Identity {
        mfa,
        ..caller.clone()
    };
    let issued = st.issue_temporary(identity, Duration::from_secs(secs.unsigned_abs()));
    Ok(credentials_xml(&issued))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        assert_eq!(
            parse_role_arn("arn:aws:iam::123456789012:role/Admin"),
            Some(("123456789012".into(), "Admin".into()))
        );
        assert_eq!(
            parse_role_arn("arn:aws:iam::123456789012:role/path/to/Admin"),
            Some(("123456789012".into(), "Admin".into()))
        );
        assert_eq!(parse_role_arn("arn:aws:iam::12345:role/Admin"), None);
        assert_eq!(parse_role_arn("arn:aws:iam::123456789012:user/x"), None);
        assert_eq!(parse_role_arn("arn:aws:iam::123456789012:role/"), None);
        assert_eq!(parse_role_arn("nonsense"), None);
    }

    #[test]
    fn session_names() {
        assert!(valid_session_name("granted-session"));
        assert!(valid_session_name("a@b.c"));
        assert!(!valid_session_name("a"));
        assert!(!valid_session_name("has space"));
    }
}
