//! Fault injection: error responses the SDK retries, async delays that do
//! not hold up other requests, and the control endpoint.

use crate::common::*;
use granted_emulator::{Emulator, Fault};
use std::time::{Duration, Instant};

#[tokio::test]
async fn server_error_then_success_is_retried() {
    let emu = Emulator::start().unwrap();
    emu.inject(Fault::error("GetRoleCredentials", 500));
    let creds = sso_creds(&emu, DEV, "ReadOnly").await;
    assert_eq!(emu.calls("GetRoleCredentials"), 2);

    emu.inject(Fault::error("AssumeRole", 500));
    let out = sts(&emu, &creds)
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/Target")
        .role_session_name("retry")
        .send()
        .await
        .unwrap();
    assert!(out.credentials().is_some());
    assert_eq!(emu.calls("AssumeRole"), 2);
}

#[tokio::test]
async fn throttling_is_retried_and_persistent_errors_surface() {
    let emu = Emulator::start().unwrap();
    emu.inject(Fault::error("GetRoleCredentials", 429));
    let creds = sso_creds(&emu, DEV, "ReadOnly").await;
    assert_eq!(emu.calls("GetRoleCredentials"), 2);

    // STS throttling: 400 Throttling, which the SDK retries.
    emu.inject(Fault::error("GetCallerIdentity", 429));
    sts(&emu, &creds)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(emu.calls("GetCallerIdentity"), 2);

    // More failures than attempts: the error reaches the caller.
    emu.reset_calls();
    emu.inject(Fault {
        operation: "GetCallerIdentity".into(),
        status: 503,
        times: 5,
        ..Fault::default()
    });
    let err = sts(&emu, &creds)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 503);
    assert_eq!(emu.calls("GetCallerIdentity"), 3);
    emu.clear_faults();
    sts(&emu, &creds)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(emu.all_calls().get("GetCallerIdentity"), Some(&4));
}

#[tokio::test]
async fn delays_are_served_concurrently() {
    let emu = Emulator::start().unwrap();
    let token = emu.issue_access_token(START_URL, Duration::from_secs(3600));
    let delay = Duration::from_millis(1000);
    emu.inject(Fault {
        operation: "ListAccounts".into(),
        delay,
        times: 2,
        ..Fault::default()
    });
    let client = sso(&emu);
    let started = Instant::now();
    let slow = |c: aws_sdk_sso::Client, t: String| async move {
        c.list_accounts()
            .access_token(t)
            .send()
            .await
            .map(|_| started.elapsed())
    };
    let a = tokio::spawn(slow(client.clone(), token.clone()));
    let b = tokio::spawn(slow(client.clone(), token.clone()));
    // An undelayed call completes while both delayed ones are in flight.
    let fast = sso(&emu)
        .get_role_credentials()
        .access_token(&token)
        .account_id(DEV)
        .role_name("ReadOnly")
        .send()
        .await;
    assert!(fast.is_ok());
    let fast_done = started.elapsed();
    let (a, b) = (a.await.unwrap().unwrap(), b.await.unwrap().unwrap());
    assert!(a >= delay && b >= delay, "{a:?} {b:?}");
    assert!(fast_done < delay, "fast call took {fast_done:?}");
    let total = started.elapsed();
    assert!(total < delay * 2, "delays were serialised: {total:?}");
    assert_eq!(emu.calls("ListAccounts"), 2);
}

#[tokio::test]
async fn faults_via_control_endpoint() {
    let emu = Emulator::start().unwrap();
    let (status, _) = raw_http(
        emu.port(),
        "POST",
        "/_emulator/faults",
        Some(r#"{"operation":"ListAccounts","status":401,"times":1}"#),
    );
    assert_eq!(status, 200);
    let token = emu.issue_access_token(START_URL, Duration::from_secs(3600));
    let err = sso(&emu)
        .list_accounts()
        .access_token(&token)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_unauthorized_exception(), "{err:?}");
    sso(&emu)
        .list_accounts()
        .access_token(&token)
        .send()
        .await
        .unwrap();

    let (status, body) = raw_http(emu.port(), "GET", "/_emulator/calls", None);
    assert_eq!(status, 200);
    let calls: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(calls["ListAccounts"], 2);

    let (status, _) = raw_http(emu.port(), "POST", "/_emulator/faults", Some("{not json"));
    assert_eq!(status, 400);
    let (status, _) = raw_http(emu.port(), "POST", "/_emulator/reset-calls", None);
    assert_eq!(status, 200);
    assert!(emu.all_calls().is_empty());
}
