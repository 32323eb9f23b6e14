//! SSO-OIDC: client registration, the device-authorization flow, approval
//! through the verification URL, and refresh-token rotation.

use crate::common::*;
use aws_sdk_ssooidc::Client;
use granted_emulator::{Emulator, Fault};
use std::time::Duration;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

struct Registered {
    id: String,
    secret: String,
}

async fn register(client: &Client, scopes: &[&str]) -> Registered {
    let mut req = client
        .register_client()
        .client_name("granted-test")
        .client_type("public");
    for s in scopes {
        req = req.scopes(*s);
    }
    let out = req.send().await.unwrap();
    let issued = out.client_id_issued_at();
    let expires = out.client_secret_expires_at();
    let days = (expires - issued) / 86_400;
    assert!((89..=90).contains(&days), "{days}");
    Registered {
        id: out.client_id().unwrap().to_string(),
        secret: out.client_secret().unwrap().to_string(),
    }
}

async fn start(client: &Client, reg: &Registered) -> (String, String, String) {
    let out = client
        .start_device_authorization()
        .client_id(&reg.id)
        .client_secret(&reg.secret)
        .start_url(START_URL)
        .send()
        .await
        .unwrap();
    (
        out.device_code().unwrap().to_string(),
        out.user_code().unwrap().to_string(),
        out.verification_uri_complete().unwrap().to_string(),
    )
}

fn create_token(
    client: &Client,
    reg: &Registered,
    device_code: &str,
) -> aws_sdk_ssooidc::operation::create_token::builders::CreateTokenFluentBuilder {
    client
        .create_token()
        .client_id(&reg.id)
        .client_secret(&reg.secret)
        .grant_type(DEVICE_GRANT)
        .device_code(device_code)
}

#[tokio::test]
async fn full_device_flow() {
    let emu = Emulator::start().unwrap();
    let client = oidc(&emu);
    let reg = register(&client, &["sso:account:access"]).await;
    let out = client
        .start_device_authorization()
        .client_id(&reg.id)
        .client_secret(&reg.secret)
        .start_url(START_URL)
        .send()
        .await
        .unwrap();
    assert_eq!(out.interval(), 1);
    assert_eq!(out.expires_in(), 600);
    let user_code = out.user_code().unwrap();
    assert_eq!(user_code.len(), 9);
    assert_eq!(
        out.verification_uri().unwrap(),
        format!("{}/device", emu.url())
    );
    let complete = out.verification_uri_complete().unwrap();
    assert_eq!(
        complete,
        format!("{}/device?user_code={user_code}", emu.url())
    );
    let device_code = out.device_code().unwrap();

    let err = create_token(&client, &reg, device_code)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_authorization_pending_exception(), "{err:?}");

    let (status, page) = browser_get(complete);
    assert_eq!(status, 200);
    assert!(page.contains("Request approved"), "{page}");

    let tok = create_token(&client, &reg, device_code)
        .send()
        .await
        .unwrap();
    assert_eq!(tok.token_type(), Some("Bearer"));
    assert_eq!(tok.expires_in(), 8 * 3600);
    assert!(tok.refresh_token().is_some());
    let access = tok.access_token().unwrap();

    // The token works against the portal.
    let accounts = sso(&emu)
        .list_accounts()
        .access_token(access)
        .send()
        .await
        .unwrap();
    assert_eq!(accounts.account_list().len(), 2);

    // A device code is good for one token only.
    let err = create_token(&client, &reg, device_code)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_grant_exception(), "{err:?}");
    assert_eq!(emu.calls("RegisterClient"), 1);
    assert_eq!(emu.calls("StartDeviceAuthorization"), 1);
    assert_eq!(emu.calls("CreateToken"), 3);
}

#[tokio::test]
async fn verification_page_without_code_and_with_unknown_code() {
    let emu = Emulator::start().unwrap();
    let (status, page) = raw_http(emu.port(), "GET", "/device", None);
    assert_eq!(status, 200);
    assert!(page.contains("user_code"));
    let (status, _) = raw_http(emu.port(), "GET", "/device?user_code=NOPE-NOPE", None);
    assert_eq!(status, 404);
}

#[tokio::test]
async fn denied_device_gives_access_denied() {
    let emu = Emulator::start().unwrap();
    let client = oidc(&emu);
    let reg = register(&client, &[]).await;
    let (device_code, _, complete) = start(&client, &reg).await;
    let (status, page) = browser_get(&format!("{complete}&deny=1"));
    assert_eq!(status, 200);
    assert!(page.contains("denied"), "{page}");
    let err = create_token(&client, &reg, &device_code)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_access_denied_exception(), "{err:?}");
}

#[tokio::test]
async fn slow_down_fault() {
    let emu = Emulator::start().unwrap();
    let client = oidc(&emu);
    let reg = register(&client, &[]).await;
    let (device_code, user_code, _) = start(&client, &reg).await;
    emu.inject(Fault {
        operation: "CreateToken".into(),
        status: 400,
        error_code: Some("SlowDownException".into()),
        times: 1,
        ..Fault::default()
    });
    let err = create_token(&client, &reg, &device_code)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_slow_down_exception(), "{err:?}");
    let err = create_token(&client, &reg, &device_code)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_authorization_pending_exception(), "{err:?}");
    assert!(emu.approve_device(&user_code));
    create_token(&client, &reg, &device_code)
        .send()
        .await
        .unwrap();
    assert_eq!(emu.calls("CreateToken"), 3);
}

#[tokio::test]
async fn device_code_expires() {
    let emu = Emulator::start().unwrap();
    let client = oidc(&emu);
    let reg = register(&client, &[]).await;
    let (device_code, user_code, _) = start(&client, &reg).await;
    emu.advance(Duration::from_secs(601));
    let err = create_token(&client, &reg, &device_code)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_expired_token_exception(), "{err:?}");
    assert!(!emu.approve_device(&user_code));
}

#[tokio::test]
async fn interval_is_configurable() {
    let emu = Emulator::start().unwrap();
    emu.set_device_interval(5);
    let client = oidc(&emu);
    let reg = register(&client, &[]).await;
    let out = client
        .start_device_authorization()
        .client_id(&reg.id)
        .client_secret(&reg.secret)
        .start_url(START_URL)
        .send()
        .await
        .unwrap();
    assert_eq!(out.interval(), 5);
}

#[tokio::test]
async fn refresh_tokens_rotate() {
    let emu = Emulator::start().unwrap();
    emu.set_token_lifetime(Duration::from_secs(900));
    let client = oidc(&emu);
    let reg = register(&client, &["sso:account:access"]).await;
    let (device_code, user_code, _) = start(&client, &reg).await;
    assert!(emu.approve_device(&user_code));
    let first = create_token(&client, &reg, &device_code)
        .send()
        .await
        .unwrap();
    assert_eq!(first.expires_in(), 900);
    let r1 = first.refresh_token().unwrap().to_string();

    let refresh = |token: String| {
        client
            .create_token()
            .client_id(&reg.id)
            .client_secret(&reg.secret)
            .grant_type("refresh_token")
            .refresh_token(token)
            .send()
    };
    let second = refresh(r1.clone()).await.unwrap();
    let r2 = second.refresh_token().unwrap().to_string();
    assert_ne!(r1, r2);
    assert_ne!(second.access_token(), first.access_token());
    sso(&emu)
        .list_accounts()
        .access_token(second.access_token().unwrap())
        .send()
        .await
        .unwrap();

    let err = refresh(r1).await.unwrap_err().into_service_error();
    assert!(err.is_invalid_grant_exception(), "{err:?}");
    refresh(r2).await.unwrap();
}

#[tokio::test]
async fn no_refresh_token_without_account_access_scope() {
    let emu = Emulator::start().unwrap();
    let client = oidc(&emu);
    let reg = register(&client, &["openid"]).await;
    let (device_code, user_code, _) = start(&client, &reg).await;
    assert!(emu.approve_device(&user_code));
    let tok = create_token(&client, &reg, &device_code)
        .send()
        .await
        .unwrap();
    assert!(tok.access_token().is_some());
    assert_eq!(tok.refresh_token(), None);
}

#[tokio::test]
async fn bad_client_credentials_are_rejected() {
    let emu = Emulator::start().unwrap();
    let client = oidc(&emu);
    let reg = register(&client, &[]).await;
    let err = client
        .start_device_authorization()
        .client_id(&reg.id)
        .client_secret("wrong")
        .start_url(START_URL)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_client_exception(), "{err:?}");
    let (device_code, _, _) = start(&client, &reg).await;
    let err = client
        .create_token()
        .client_id("unknown")
        .client_secret(&reg.secret)
        .grant_type(DEVICE_GRANT)
        .device_code(device_code)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_client_exception(), "{err:?}");
    let err = client
        .create_token()
        .client_id(&reg.id)
        .client_secret(&reg.secret)
        .grant_type("password")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_unsupported_grant_type_exception(), "{err:?}");
}
