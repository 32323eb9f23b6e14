//! The `/_emulator/…` control and introspection endpoints (JSON), so tests,
//! demos and scripts in other processes can drive the emulator the way the
//! Rust API does: call counters, fault injection, issuing SSO access tokens,
//! registering users/accounts/roles/MFA codes, moving the clock, approving
//! device codes and tuning lifetimes.

use crate::oidc::{DeviceError, set_device_status};
use crate::state::Shared;
use crate::wire::{Reply, Req};
use crate::{Fault, RoleConditions};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;

fn bad(msg: impl Into<String>) -> Reply {
    let msg = msg.into();
    let mut r = Reply::json_status(400, &json!({ "message": msg }));
    r.error_code = Some("BadRequest".into());
    r
}

fn ok() -> Reply {
    Reply::json(&json!({ "ok": true }))
}

fn body<T: DeserializeOwned>(req: &Req) -> Result<T, Reply> {
    let raw: &[u8] = if req.body.is_empty() {
        b"{}"
    } else {
        &req.body
    };
    serde_json::from_slice(raw).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenReq {
    #[serde(default, alias = "start_url")]
    start_url: String,
    #[serde(default, alias = "expires_in_seconds")]
    expires_in_seconds: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserReq {
    #[serde(alias = "access_key_id")]
    access_key_id: String,
    #[serde(alias = "secret_access_key", alias = "secret")]
    secret_access_key: String,
    #[serde(alias = "account_id")]
    account_id: String,
    #[serde(alias = "user_name")]
    user_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountReq {
    #[serde(alias = "account_id")]
    account_id: String,
    #[serde(alias = "account_name", alias = "name")]
    account_name: String,
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleReq {
    #[serde(alias = "role_arn")]
    role_arn: String,
    #[serde(default, alias = "require_mfa")]
    require_mfa: bool,
    #[serde(default, alias = "external_id")]
    external_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MfaReq {
    #[serde(alias = "serial_number", alias = "serial")]
    serial_number: String,
    code: String,
}

#[derive(Deserialize)]
struct AdvanceReq {
    seconds: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApproveReq {
    #[serde(alias = "user_code")]
    user_code: String,
    #[serde(default)]
    deny: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SettingsReq {
    #[serde(default, alias = "role_credentials_lifetime_seconds")]
    role_credentials_lifetime_seconds: Option<u64>,
    #[serde(default, alias = "device_interval")]
    device_interval: Option<i32>,
    #[serde(default, alias = "token_lifetime_seconds")]
    token_lifetime_seconds: Option<u64>,
    #[serde(default, alias = "device_expires_in")]
    device_expires_in: Option<i32>,
    #[serde(default, alias = "device_verification_uri")]
    device_verification_uri: Option<String>,
    #[serde(default, alias = "user_code_suffix")]
    user_code_suffix: Option<String>,
}

pub(crate) fn handle(shared: &Shared, req: &Req) -> Reply {
    let route = req.path.trim_start_matches("/_emulator/");
    let result = match (req.method.as_str(), route) {
        ("GET", "health") => Ok(ok()),
        ("GET", "calls") => Ok(Reply::json(&json!(shared.lock().all_calls()))),
        ("POST", "reset-calls") => {
            shared.lock().reset_calls();
            Ok(ok())
        }
        ("POST", "faults") => body::<Fault>(req).and_then(|f| {
            if f.operation.is_empty() {
                return Err(bad("operation is required"));
            }
            shared.lock().inject(f);
            Ok(ok())
        }),
        ("DELETE", "faults") | ("POST", "clear-faults") => {
            shared.lock().clear_faults();
            Ok(ok())
        }
        ("POST", "tokens") => body::<TokenReq>(req).map(|t| {
            let _ = t.start_url;
            let lifetime = Duration::from_secs(t.expires_in_seconds.unwrap_or(3600));
            let (token, expires_at) = shared.lock().issue_access_token(lifetime);
            let expires_at = expires_at
                .replace_nanosecond(0)
                .unwrap_or(expires_at)
                .format(&Rfc3339)
                .unwrap_or_default();
            Reply::json(&json!({ "accessToken": token, "expiresAt": expires_at }))
        }),
        ("POST", "users") => body::<UserReq>(req).map(|u| {
            shared.lock().add_user(
                &u.access_key_id,
                &u.secret_access_key,
                &u.account_id,
                &u.user_name,
            );
            ok()
        }),
        ("POST", "accounts") => body::<AccountReq>(req).map(|a| {
            let roles: Vec<&str> = a.roles.iter().map(String::as_str).collect();
            shared
                .lock()
                .add_account(&a.account_id, &a.account_name, &roles);
            ok()
        }),
        ("POST", "roles") => body::<RoleReq>(req).map(|r| {
            shared.lock().roles.insert(
                r.role_arn,
                RoleConditions {
                    require_mfa: r.require_mfa,
                    external_id: r.external_id,
                },
            );
            ok()
        }),
        ("POST", "mfa") => body::<MfaReq>(req).map(|m| {
            shared.lock().set_mfa_code(&m.serial_number, &m.code);
            ok()
        }),
        ("POST", "advance") => body::<AdvanceReq>(req).map(|a| {
            shared.lock().advance(Duration::from_secs(a.seconds));
            ok()
        }),
        ("POST", "approve") => body::<ApproveReq>(req).and_then(|a| {
            match set_device_status(&mut shared.lock(), &a.user_code, a.deny) {
                Ok(_) => Ok(ok()),
                Err(DeviceError::Unknown) => Err(bad("unknown user code")),
                Err(DeviceError::Expired) => Err(bad("user code expired")),
                Err(DeviceError::Used) => Err(bad("user code already used")),
            }
        }),
        ("POST", "settings") => body::<SettingsReq>(req).map(|s| {
            let mut st = shared.lock();
            if let Some(v) = s.role_credentials_lifetime_seconds {
                st.role_credentials_lifetime = Duration::from_secs(v);
            }
            if let Some(v) = s.device_interval {
                st.device_interval = v;
            }
            if let Some(v) = s.token_lifetime_seconds {
                st.token_lifetime = Duration::from_secs(v);
            }
            if let Some(v) = s.device_expires_in {
                st.device_expires_in = v;
            }
            if let Some(v) = s.device_verification_uri {
                st.device_uri_override = (!v.is_empty()).then_some(v);
            }
            if let Some(v) = s.user_code_suffix {
                st.user_code_suffix = v;
            }
            ok()
        }),
        _ => {
            let mut r = Reply::json_status(404, &json!({ "message": "no such control endpoint" }));
            r.error_code = Some("NotFound".into());
            Ok(r)
        }
    };
    result.unwrap_or_else(|r| r)
}
