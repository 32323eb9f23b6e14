//! The IAM Identity Center OIDC API (`aws-sdk-ssooidc`, REST-JSON):
//! RegisterClient, StartDeviceAuthorization and CreateToken (device-code and
//! refresh-token grants, with refresh-token rotation), plus the browser-side
//! verification page `GET /device` that approves or denies a user code.

use crate::ids;
use crate::state::{Client, Device, DeviceStatus, RefreshToken, Shared, State, plus};
use crate::wire::{Reply, Req};
use serde_json::{Value, json};
use std::time::Duration;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const REFRESH_GRANT: &str = "refresh_token";
const REFRESH_SCOPE: &str = "sso:account:access";

/// The operations this module serves, by method and path.
pub(crate) fn operation(method: &hyper::Method, path: &str) -> Option<&'static str> {
    match (method.as_str(), path) {
        ("POST", "/client/register") => Some("RegisterClient"),
        ("POST", "/device_authorization") => Some("StartDeviceAuthorization"),
        ("POST", "/token") => Some("CreateToken"),
        _ => None,
    }
}

/// The OAuth `error` value that goes with an OIDC exception name.
pub(crate) fn oauth_error(code: &str) -> &'static str {
    match code {
        "AuthorizationPendingException" => "authorization_pending",
        "SlowDownException" => "slow_down",
        "ExpiredTokenException" => "expired_token",
        "AccessDeniedException" => "access_denied",
        "InvalidGrantException" => "invalid_grant",
        "InvalidClientException" => "invalid_client",
        "InvalidRequestException" => "invalid_request",
        "InvalidScopeException" => "invalid_scope",
        "UnauthorizedClientException" => "unauthorized_client",
        "UnsupportedGrantTypeException" => "unsupported_grant_type",
        "InvalidClientMetadataException" => "invalid_client_metadata",
        _ => "server_error",
    }
}

/// An OIDC error: `x-amzn-ErrorType` header plus an OAuth-style body.
pub(crate) fn error(status: u16, code: &str, description: &str) -> Reply {
    Reply::json_error_with(
        status,
        code,
        json!({
            "error": oauth_error(code),
            "error_description": description,
            "message": description,
        }),
    )
}

fn invalid_request(msg: &str) -> Reply {
    error(400, "InvalidRequestException", msg)
}

fn invalid_client(msg: &str) -> Reply {
    error(401, "InvalidClientException", msg)
}

fn parse_body(req: &Req) -> Result<serde_json::Map<String, Value>, Reply> {
    if req.body.is_empty() {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(invalid_request("Request body is not a JSON object")),
    }
}

/// A string member; `Ok(None)` if absent, error if present with another type.
fn opt_str<'a>(m: &'a serde_json::Map<String, Value>, key: &str) -> Result<Option<&'a str>, Reply> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(invalid_request(&format!("{key} must be a string"))),
    }
}

fn req_str<'a>(m: &'a serde_json::Map<String, Value>, key: &str) -> Result<&'a str, Reply> {
    match opt_str(m, key)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(invalid_request(&format!("{key} is required"))),
    }
}

fn str_list(m: &serde_json::Map<String, Value>, key: &str) -> Result<Vec<String>, Reply> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| invalid_request(&format!("{key} must be a list of strings")))
            })
            .collect(),
        Some(_) => Err(invalid_request(&format!("{key} must be a list of strings"))),
    }
}

pub(crate) fn handle(shared: &Shared, op: &str, req: &Req) -> Reply {
    let body = match parse_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut st = shared.lock();
    let result = match op {
        "RegisterClient" => register_client(&mut st, &body),
        "StartDeviceAuthorization" => start_device_authorization(&mut st, &body, shared),
        "CreateToken" => create_token(&mut st, &body),
        _ => Err(error(404, "UnknownOperationException", "Unknown operation")),
    };
    result.unwrap_or_else(|r| r)
}

fn register_client(st: &mut State, body: &serde_json::Map<String, Value>) -> Result<Reply, Reply> {
    req_str(body, "clientName")?;
    let client_type = req_str(body, "clientType")?;
    if client_type != "public" {
        return Err(error(
            400,
            "InvalidClientMetadataException",
            "clientType must be public",
        ));
    }
    let scopes = str_list(body, "scopes")?;
    str_list(body, "grantTypes")?;
    let now = st.now();
    let expires = plus(now, st.client_lifetime);
    let client_id = ids::opaque_token("", 22);
    let secret = format!(
        "eyJraWQiOiJrZXktZW11bGF0b3IifQ.{}",
        ids::opaque_token("", 200)
    );
    st.clients.insert(
        client_id.clone(),
        Client {
            secret: secret.clone(),
            scopes,
            secret_expires_at: expires,
        },
    );
    Ok(Reply::json(&json!({
        "clientId": client_id,
        "clientSecret": secret,
        "clientIdIssuedAt": now.unix_timestamp(),
        "clientSecretExpiresAt": expires.unix_timestamp(),
    })))
}

/// Check client id + secret; returns the client's scopes.
fn authenticate_client(
    st: &State,
    body: &serde_json::Map<String, Value>,
) -> Result<(String, Vec<String>), Reply> {
    let id = req_str(body, "clientId")?;
    let secret = req_str(body, "clientSecret")?;
    let Some(client) = st.clients.get(id) else {
        return Err(invalid_client("Invalid client provided"));
    };
    if client.secret != secret {
        return Err(invalid_client("Invalid client provided"));
    }
    if st.now() >= client.secret_expires_at {
        return Err(invalid_client("Client is expired"));
    }
    Ok((id.to_string(), client.scopes.clone()))
}

fn start_device_authorization(
    st: &mut State,
    body: &serde_json::Map<String, Value>,
    shared: &Shared,
) -> Result<Reply, Reply> {
    let (client_id, _) = authenticate_client(st, body)?;
    let start_url = req_str(body, "startUrl")?.to_string();
    let device_code = ids::opaque_token("", 86);
    let mut user_code = ids::user_code();
    while st.user_codes.contains_key(&user_code) {
        user_code = ids::user_code();
    }
    let expires_in = st.device_expires_in;
    let expires_at = plus(
        st.now(),
        Duration::from_secs(u64::try_from(expires_in).unwrap_or(0)),
    );
    st.devices.insert(
        device_code.clone(),
        Device {
            client_id,
            user_code: user_code.clone(),
            start_url,
            expires_at,
            status: DeviceStatus::Pending,
        },
    );
    st.user_codes.insert(user_code.clone(), device_code.clone());
    let base = shared.base_url();
    let (uri, uri_complete) = match &st.device_uri_override {
        Some(uri) => (uri.clone(), uri.clone()),
        None => (
            format!("{base}/device"),
            format!("{base}/device?user_code={user_code}"),
        ),
    };
    Ok(Reply::json(&json!({
        "deviceCode": device_code,
        "userCode": format!("{user_code}{}", st.user_code_suffix),
        "verificationUri": uri,
        "verificationUriComplete": uri_complete,
        "expiresIn": expires_in,
        "interval": st.device_interval,
    })))
}

/// Issue an access token (and a refresh token when the client asked for
/// `sso:account:access`) and render the CreateToken response.
fn token_response(st: &mut State, client_id: &str, scopes: &[String], start_url: &str) -> Reply {
    let lifetime = st.token_lifetime;
    let (access, _) = st.issue_access_token(lifetime);
    let mut body = json!({
        "accessToken": access,
        "tokenType": "Bearer",
        "expiresIn": i32::try_from(lifetime.as_secs()).unwrap_or(i32::MAX),
    });
    if scopes.iter().any(|s| s == REFRESH_SCOPE) {
        let refresh = ids::opaque_token("aor", 120);
        st.refresh_tokens.insert(
            refresh.clone(),
            RefreshToken {
                client_id: client_id.to_string(),
                start_url: start_url.to_string(),
            },
        );
        body["refreshToken"] = json!(refresh);
    }
    Reply::json(&body)
}

fn create_token(st: &mut State, body: &serde_json::Map<String, Value>) -> Result<Reply, Reply> {
    let (client_id, scopes) = authenticate_client(st, body)?;
    let grant = req_str(body, "grantType")?;
    match grant {
        DEVICE_GRANT => {
            let code = req_str(body, "deviceCode")?;
            let now = st.now();
            let Some(device) = st.devices.get_mut(code) else {
                return Err(error(
                    400,
                    "InvalidGrantException",
                    "Invalid device code provided",
                ));
            };
            if device.client_id != client_id || device.status == DeviceStatus::Consumed {
                return Err(error(
                    400,
                    "InvalidGrantException",
                    "Invalid device code provided",
                ));
            }
            if now >= device.expires_at {
                return Err(error(
                    400,
                    "ExpiredTokenException",
                    "Device code has expired",
                ));
            }
            match device.status {
                DeviceStatus::Pending => Err(error(
                    400,
                    "AuthorizationPendingException",
                    "Authorization is still pending",
                )),
                DeviceStatus::Denied => Err(error(
                    400,
                    "AccessDeniedException",
                    "The user denied the authorization request",
                )),
                DeviceStatus::Consumed => Err(error(
                    400,
                    "InvalidGrantException",
                    "Invalid device code provided",
                )),
                DeviceStatus::Approved => {
                    device.status = DeviceStatus::Consumed;
                    let start_url = device.start_url.clone();
                    let user_code = device.user_code.clone();
                    st.user_codes.remove(&user_code);
                    Ok(token_response(st, &client_id, &scopes, &start_url))
                }
            }
        }
        REFRESH_GRANT => {
            let token = req_str(body, "refreshToken")?;
            match st.refresh_tokens.get(token) {
                Some(r) if r.client_id == client_id => {}
                _ => {
                    return Err(error(
                        400,
                        "InvalidGrantException",
                        "Invalid refresh token provided",
                    ));
                }
            }
            // Rotation: the presented token is spent whatever happens next.
            let Some(old) = st.refresh_tokens.remove(token) else {
                return Err(error(
                    400,
                    "InvalidGrantException",
                    "Invalid refresh token provided",
                ));
            };
            Ok(token_response(st, &client_id, &scopes, &old.start_url))
        }
        _ => Err(error(
            400,
            "UnsupportedGrantTypeException",
            "Unsupported grant type",
        )),
    }
}

/// `GET /device[?user_code=..[&deny=1]]`: what the user's browser opens.
pub(crate) fn device_page(shared: &Shared, req: &Req) -> Reply {
    let Some(code) = req.query_param("user_code") else {
        return Reply::new(
            200,
            "text/html; charset=utf-8",
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Authorize request</title></head>\
             <body><h1>Authorize request</h1><form method=\"get\" action=\"/device\">\
             <label>Code <input name=\"user_code\"></label> <button>Approve</button></form></body></html>\n",
        );
    };
    let deny = req
        .query_param("deny")
        .is_some_and(|v| v == "1" || v == "true");
    match set_device_status(&mut shared.lock(), &code, deny) {
        Ok(DeviceStatus::Denied) => Reply::html(200, "Request denied", "The request was denied."),
        Ok(_) => Reply::html(
            200,
            "Request approved",
            "Request approved. You can close this window.",
        ),
        Err(DeviceError::Unknown) => {
            Reply::html(404, "Unknown code", "That code is not recognised.")
        }
        Err(DeviceError::Expired) => Reply::html(400, "Code expired", "That code has expired."),
        Err(DeviceError::Used) => {
            Reply::html(400, "Code already used", "That code was already used.")
        }
    }
}

pub(crate) enum DeviceError {
    Unknown,
    Expired,
    Used,
}

/// Approve (or deny) the pending device authorization with `user_code`.
/// Approving an already-approved code is a no-op success.
pub(crate) fn set_device_status(
    st: &mut State,
    user_code: &str,
    deny: bool,
) -> Result<DeviceStatus, DeviceError> {
    let normalized = user_code.trim().to_ascii_uppercase();
    let now = st.now();
    let device_code = st
        .user_codes
        .get(&normalized)
        .cloned()
        .ok_or(DeviceError::Unknown)?;
    let device = st
        .devices
        .get_mut(&device_code)
        .ok_or(DeviceError::Unknown)?;
    if now >= device.expires_at {
        return Err(DeviceError::Expired);
    }
    if device.status == DeviceStatus::Consumed {
        return Err(DeviceError::Used);
    }
    device.status = if deny {
        DeviceStatus::Denied
    } else {
        DeviceStatus::Approved
    };
    Ok(device.status)
}
