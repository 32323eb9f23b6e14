//! The IAM Identity Center portal API (`aws-sdk-sso`, REST-JSON):
//! GetRoleCredentials, ListAccounts, ListAccountRoles and Logout, all
//! authorised by the `x-amz-sso_bearer_token` header.

use crate::ids;
use crate::state::{Identity, Principal, SSO_USER, Shared, State};
use crate::wire::{Reply, Req};
use serde_json::json;

/// The operations this module serves, by method and path.
pub(crate) fn operation(method: &hyper::Method, path: &str) -> Option<&'static str> {
    match (method.as_str(), path) {
        ("GET", "/federation/credentials") => Some("GetRoleCredentials"),
        ("GET", "/assignment/accounts") => Some("ListAccounts"),
        ("GET", "/assignment/roles") => Some("ListAccountRoles"),
        ("POST", "/logout") => Some("Logout"),
        _ => None,
    }
}

const DEFAULT_PAGE: usize = 20;
const MAX_PAGE: usize = 100;

fn unauthorized() -> Reply {
    Reply::json_error(
        401,
        "UnauthorizedException",
        "Session token not found or invalid",
    )
}

fn forbidden() -> Reply {
    Reply::json_error(403, "ForbiddenException", "No access")
}

fn invalid(msg: &str) -> Reply {
    Reply::json_error(400, "InvalidRequestException", msg)
}

pub(crate) fn handle(shared: &Shared, op: &str, req: &Req) -> Reply {
    let mut st = shared.lock();
    let Some(token) = req.header("x-amz-sso_bearer_token") else {
        return unauthorized();
    };
    if !st.access_token_valid(token) {
        return unauthorized();
    }
    let token = token.to_string();
    match op {
        "GetRoleCredentials" => get_role_credentials(&mut st, req),
        "ListAccounts" => list_accounts(&st, req),
        "ListAccountRoles" => list_account_roles(&st, req),
        "Logout" => {
            if let Some(t) = st.access_tokens.get_mut(&token) {
                t.revoked = true;
            }
            Reply::new(200, "application/json", Vec::new())
        }
        _ => Reply::json_error(404, "UnknownOperationException", "Unknown operation"),
    }
}

/// The IAM role name Identity Center provisions for a permission set.
fn reserved_role_name(account: &str, permission_set: &str) -> String {
    format!(
        "AWSReservedSSO_{permission_set}_{}",
        ids::derived_hex(&format!("{account}/{permission_set}"), 16)
    )
}

fn get_role_credentials(st: &mut State, req: &Req) -> Reply {
    let (Some(role), Some(account)) = (req.query_param("role_name"), req.query_param("account_id"))
    else {
        return invalid("role_name and account_id are required");
    };
    let assigned = st
        .accounts
        .get(&account)
        .is_some_and(|a| a.roles.contains(&role));
    if !assigned {
        return forbidden();
    }
    let identity = Identity {
        account: account.clone(),
        principal: Principal::Role {
            role_name: reserved_role_name(&account, &role),
            session: SSO_USER.to_string(),
        },
        mfa: false,
    };
    let lifetime = st.role_credentials_lifetime;
    let c = st.issue_temporary(identity, lifetime);
    let millis = i64::try_from(c.expires_at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
    Reply::json(&json!({
        "roleCredentials": {
            "accessKeyId": c.access_key_id,
            "secretAccessKey": c.secret_access_key,
            "sessionToken": c.session_token,
            "expiration": millis,
        }
    }))
}

/// Slice `items` by the `next_token` / `max_result` query parameters.
fn page<'a, T>(req: &Req, kind: &str, items: &'a [T]) -> Result<(&'a [T], Option<String>), Reply> {
    let size = match req.query_param("max_result") {
        None => DEFAULT_PAGE,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => return Err(invalid("max_result must be between 1 and 100")),
        },
    };
    let start = match req.query_param("next_token") {
        None => 0,
        Some(t) => decode_token(kind, &t).ok_or_else(|| invalid("Invalid next token"))?,
    };
    let start = start.min(items.len());
    let end = start.saturating_add(size).min(items.len());
    let next = (end < items.len()).then(|| encode_token(kind, end));
    Ok((items.get(start..end).unwrap_or_default(), next))
}

fn encode_token(kind: &str, offset: usize) -> String {
    hex::encode(format!("{kind}:{offset}"))
}

fn decode_token(kind: &str, token: &str) -> Option<usize> {
    let raw = String::from_utf8(hex::decode(token).ok()?).ok()?;
    let (k, n) = raw.split_once(':')?;
    if k != kind {
        return None;
    }
    n.parse().ok()
}

fn list_accounts(st: &State, req: &Req) -> Reply {
    let accounts: Vec<_> = st.accounts.iter().collect();
    let (items, next) = match page(req, "accounts", &accounts) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let list: Vec<_> = items
        .iter()
        .map(|(id, a)| json!({"accountId": id, "accountName": a.name, "emailAddress": a.email}))
        .collect();
    let mut body = json!({ "accountList": list });
    if let Some(n) = next {
        body["nextToken"] = json!(n);
    }
    Reply::json(&body)
}

fn list_account_roles(st: &State, req: &Req) -> Reply {
    let Some(account) = req.query_param("account_id") else {
        return invalid("account_id is required");
    };
    let Some(acct) = st.accounts.get(&account) else {
        return forbidden();
    };
    let roles: Vec<&String> = acct.roles.iter().collect();
    let (items, next) = match page(req, &format!("roles-{account}"), &roles) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let list: Vec<_> = items
        .iter()
        .map(|r| json!({"roleName": r, "accountId": account}))
        .collect();
    let mut body = json!({ "roleList": list });
    if let Some(n) = next {
        body["nextToken"] = json!(n);
    }
    Reply::json(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_garbage() {
        assert_eq!(decode_token("a", &encode_token("a", 7)), Some(7));
        assert_eq!(decode_token("b", &encode_token("a", 7)), None);
        assert_eq!(decode_token("a", "zz"), None);
        assert_eq!(decode_token("a", ""), None);
    }

    #[test]
    fn reserved_names_are_stable() {
        let a = reserved_role_name("123456789012", "ReadOnly");
        assert!(a.starts_with("AWSReservedSSO_ReadOnly_"));
        assert_eq!(a, reserved_role_name("123456789012", "ReadOnly"));
    }
}
