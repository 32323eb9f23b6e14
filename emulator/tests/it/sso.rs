//! SSO portal: GetRoleCredentials, ListAccounts, ListAccountRoles, Logout.

use crate::common::*;
use aws_sdk_sso::error::ProvideErrorMetadata;
use granted_emulator::Emulator;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[tokio::test]
async fn get_role_credentials_ok() {
    let emu = Emulator::start().unwrap();
    let token = emu.issue_access_token(START_URL, Duration::from_secs(3600));
    let out = sso(&emu)
        .get_role_credentials()
        .access_token(&token)
        .account_id(DEV)
        .role_name("AWSAdministratorAccess")
        .send()
        .await
        .unwrap();
    let c = out.role_credentials().unwrap();
    let akid = c.access_key_id().unwrap();
    assert!(akid.starts_with("ASIA") && akid.len() == 20, "{akid}");
    assert_eq!(c.secret_access_key().unwrap().len(), 40);
    assert!(!c.session_token().unwrap().is_empty());
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let left = c.expiration() - now_ms;
    assert!((3_500_000..=3_600_000).contains(&left), "{left}");
    assert_eq!(emu.calls("GetRoleCredentials"), 1);

    emu.set_role_credentials_lifetime(Duration::from_secs(900));
    let out = sso(&emu)
        .get_role_credentials()
        .access_token(&token)
        .account_id(PROD)
        .role_name("ReadOnly")
        .send()
        .await
        .unwrap();
    let left = out.role_credentials().unwrap().expiration() - now_ms;
    assert!((800_000..=910_000).contains(&left), "{left}");
}

#[tokio::test]
async fn unknown_token_is_unauthorized() {
    let emu = Emulator::start().unwrap();
    let err = sso(&emu)
        .get_role_credentials()
        .access_token("not-a-token")
        .account_id(DEV)
        .role_name("ReadOnly")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 401);
    let err = err.into_service_error();
    assert!(err.is_unauthorized_exception(), "{err:?}");
}

#[tokio::test]
async fn unassigned_role_is_forbidden() {
    let emu = Emulator::start().unwrap();
    let token = emu.issue_access_token(START_URL, Duration::from_secs(3600));
    for (account, role) in [
        (PROD, "AWSAdministratorAccess"),
        ("999999999999", "ReadOnly"),
    ] {
        let err = sso(&emu)
            .get_role_credentials()
            .access_token(&token)
            .account_id(account)
            .role_name(role)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.raw_response().unwrap().status().as_u16(), 403);
        assert_eq!(err.into_service_error().code(), Some("ForbiddenException"));
    }
}

#[tokio::test]
async fn expired_token_is_unauthorized() {
    let emu = Emulator::start().unwrap();
    let token = emu.issue_access_token(START_URL, Duration::from_secs(60));
    let client = sso(&emu);
    client
        .list_accounts()
        .access_token(&token)
        .send()
        .await
        .unwrap();
    emu.advance(Duration::from_secs(61));
    let err = client
        .get_role_credentials()
        .access_token(&token)
        .account_id(DEV)
        .role_name("ReadOnly")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_unauthorized_exception(), "{err:?}");
}

#[tokio::test]
async fn list_accounts_and_roles_paginate() {
    let emu = Emulator::start().unwrap();
    emu.add_account("333333333333", "Staging", &["Dev", "Ops", "ReadOnly"]);
    emu.add_account("444444444444", "Sandbox", &["Dev"]);
    let token = emu.issue_access_token(START_URL, Duration::from_secs(3600));
    let client = sso(&emu);

    let mut ids = Vec::new();
    let mut pages = 0;
    let mut next: Option<String> = None;
    loop {
        let out = client
            .list_accounts()
            .access_token(&token)
            .max_results(3)
            .set_next_token(next.clone())
            .send()
            .await
            .unwrap();
        pages += 1;
        assert!(out.account_list().len() <= 3);
        for a in out.account_list() {
            ids.push(a.account_id().unwrap().to_string());
            assert!(a.account_name().is_some());
            assert!(a.email_address().unwrap().contains('@'));
        }
        next = out.next_token().map(str::to_string);
        if next.is_none() {
            break;
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(ids, [DEV, PROD, "333333333333", "444444444444"]);

    // The SDK's own paginator follows nextToken too.
    let roles: Vec<_> = client
        .list_account_roles()
        .access_token(&token)
        .account_id("333333333333")
        .max_results(1)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let names: Vec<_> = roles.iter().map(|r| r.role_name().unwrap()).collect();
    assert_eq!(names, ["Dev", "Ops", "ReadOnly"]);
    assert!(roles.iter().all(|r| r.account_id() == Some("333333333333")));
    assert_eq!(emu.calls("ListAccountRoles"), 3);

    let err = client
        .list_accounts()
        .access_token(&token)
        .next_token("garbage")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_request_exception(), "{err:?}");
}

#[tokio::test]
async fn logout_invalidates_the_token() {
    let emu = Emulator::start().unwrap();
    let token = emu.issue_access_token(START_URL, Duration::from_secs(3600));
    let client = sso(&emu);
    client.logout().access_token(&token).send().await.unwrap();
    let err = client
        .list_accounts()
        .access_token(&token)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_unauthorized_exception(), "{err:?}");
    assert_eq!(emu.calls("Logout"), 1);
}
