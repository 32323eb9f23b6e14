//! STS: identity follows the signing key; AssumeRole (chaining limits,
//! external id, MFA), GetSessionToken, GetCallerIdentity and SigV4 checks.

use crate::common::*;
use aws_sdk_sts::error::ProvideErrorMetadata;
use granted_emulator::{Emulator, RoleConditions};
use std::time::Duration;

const USER_KEY: &str = "AKIAEMULATORUSER0001";
const USER_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const MFA_SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";

fn user(emu: &Emulator) -> Creds {
    emu.add_user(USER_KEY, USER_SECRET, DEV, "alice");
    Creds::user(USER_KEY, USER_SECRET)
}

fn role_arn(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

#[tokio::test]
async fn sso_credentials_then_assume_role_then_caller_identity() {
    let emu = Emulator::start().unwrap();
    let sso_creds = sso_creds(&emu, DEV, "AWSAdministratorAccess").await;

    let me = sts(&emu, &sso_creds)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.account(), Some(DEV));
    let arn = me.arn().unwrap();
    assert!(
        arn.starts_with(
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AWSAdministratorAccess_"
        ),
        "{arn}"
    );
    assert!(
        arn.ends_with(&format!("/{}", granted_emulator::SSO_USER)),
        "{arn}"
    );

    let target = role_arn(PROD, "Deployer");
    let out = sts(&emu, &sso_creds)
        .assume_role()
        .role_arn(&target)
        .role_session_name("granted-session")
        .send()
        .await
        .unwrap();
    let user = out.assumed_role_user().unwrap();
    assert_eq!(
        user.arn(),
        "arn:aws:sts::210987654321:assumed-role/Deployer/granted-session"
    );
    assert!(user.assumed_role_id().starts_with("AROA"));
    assert!(user.assumed_role_id().ends_with(":granted-session"));
    let creds = out.credentials().unwrap();
    assert!(creds.access_key_id().starts_with("ASIA"));
    let left = creds.expiration().secs() - time_now();
    assert!((3500..=3600).contains(&left), "{left}");

    let assumed = Creds::from(creds);
    let me = sts(&emu, &assumed)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::210987654321:assumed-role/Deployer/granted-session")
    );
    assert_eq!(me.account(), Some(PROD));
    assert_eq!(me.user_id(), Some(user.assumed_role_id()));
    assert_eq!(emu.calls("AssumeRole"), 1);
    assert_eq!(emu.calls("GetCallerIdentity"), 2);
}

fn time_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn two_hop_chain_and_chaining_duration_limit() {
    let emu = Emulator::start().unwrap();
    let base = user(&emu);
    // From a user, long sessions are fine.
    let hop1 = sts(&emu, &base)
        .assume_role()
        .role_arn(role_arn(DEV, "Hop1"))
        .role_session_name("one")
        .duration_seconds(43200)
        .send()
        .await
        .unwrap();
    let hop1 = Creds::from(hop1.credentials().unwrap());
    let hop2 = sts(&emu, &hop1)
        .assume_role()
        .role_arn(role_arn(PROD, "Hop2"))
        .role_session_name("two")
        .duration_seconds(3600)
        .send()
        .await
        .unwrap();
    let hop2 = Creds::from(hop2.credentials().unwrap());
    let me = sts(&emu, &hop2).get_caller_identity().send().await.unwrap();
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::210987654321:assumed-role/Hop2/two")
    );

    let err = sts(&emu, &hop1)
        .assume_role()
        .role_arn(role_arn(PROD, "Hop2"))
        .role_session_name("two")
        .duration_seconds(3601)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 400);
    let err = err.into_service_error();
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(
        err.message(),
        Some(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
        )
    );
}

#[tokio::test]
async fn duration_and_arn_validation() {
    let emu = Emulator::start().unwrap();
    let base = user(&emu);
    for (arn, session, secs) in [
        (role_arn(DEV, "R"), "s1", 899),
        (role_arn(DEV, "R"), "s1", 43201),
        ("arn:aws:iam::123:role/R".to_string(), "s1", 900),
        ("not-an-arn".to_string(), "s1", 900),
        (role_arn(DEV, "R"), "x", 900),
    ] {
        let err = sts(&emu, &base)
            .assume_role()
            .role_arn(arn)
            .role_session_name(session)
            .duration_seconds(secs)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert_eq!(err.code(), Some("ValidationError"), "{err:?}");
    }
    sts(&emu, &base)
        .assume_role()
        .role_arn(role_arn(DEV, "R"))
        .role_session_name("ok")
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn external_id_condition() {
    let emu = Emulator::start().unwrap();
    let base = user(&emu);
    let arn = role_arn(PROD, "Vendor");
    emu.add_role(
        &arn,
        RoleConditions {
            require_mfa: false,
            external_id: Some("ext-123".into()),
        },
    );
    for ext in [None, Some("wrong")] {
        let err = sts(&emu, &base)
            .assume_role()
            .role_arn(&arn)
            .role_session_name("s1")
            .set_external_id(ext.map(str::to_string))
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.raw_response().unwrap().status().as_u16(), 403);
        let err = err.into_service_error();
        assert_eq!(err.code(), Some("AccessDenied"));
        assert!(
            err.message()
                .unwrap()
                .contains("not authorized to perform: sts:AssumeRole")
        );
    }
    sts(&emu, &base)
        .assume_role()
        .role_arn(&arn)
        .role_session_name("s1")
        .external_id("ext-123")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn mfa_condition() {
    let emu = Emulator::start().unwrap();
    let base = user(&emu);
    let arn = role_arn(DEV, "Admin");
    emu.add_role(
        &arn,
        RoleConditions {
            require_mfa: true,
            external_id: None,
        },
    );
    let assume = |creds: Creds, serial: Option<&str>, code: Option<&str>| {
        let client = sts(&emu, &creds);
        let req = client
            .assume_role()
            .role_arn(&arn)
            .role_session_name("mfa-session")
            .set_serial_number(serial.map(str::to_string))
            .set_token_code(code.map(str::to_string));
        async move { req.send().await }
    };
    let err = assume(base.clone(), None, None)
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("AccessDenied"));
    let err = assume(base.clone(), Some(MFA_SERIAL), Some("000000"))
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(
        err.message()
            .unwrap()
            .contains("invalid MFA one time pass code")
    );
    assume(base.clone(), Some(MFA_SERIAL), Some("123456"))
        .await
        .unwrap();

    emu.set_mfa_code(MFA_SERIAL, "424242");
    let err = assume(base.clone(), Some(MFA_SERIAL), Some("123456"))
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("AccessDenied"));
    let out = assume(base.clone(), Some(MFA_SERIAL), Some("424242"))
        .await
        .unwrap();

    // A session that was MFA-authenticated satisfies the condition when chaining.
    let chained = Creds::from(out.credentials().unwrap());
    assume(chained, None, None).await.unwrap();

    // So does a GetSessionToken session made with MFA.
    let session = sts(&emu, &base)
        .get_session_token()
        .serial_number(MFA_SERIAL)
        .token_code("424242")
        .send()
        .await
        .unwrap();
    let session = Creds::from(session.credentials().unwrap());
    assume(session, None, None).await.unwrap();

    // A session without MFA does not.
    let plain = sts(&emu, &base).get_session_token().send().await.unwrap();
    let plain = Creds::from(plain.credentials().unwrap());
    let err = assume(plain, None, None)
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("AccessDenied"));
}

#[tokio::test]
async fn get_session_token() {
    let emu = Emulator::start().unwrap();
    let base = user(&emu);
    let out = sts(&emu, &base)
        .get_session_token()
        .duration_seconds(7200)
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let left = c.expiration().secs() - time_now();
    assert!((7100..=7200).contains(&left), "{left}");
    let session = Creds::from(c);
    let me = sts(&emu, &session)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.arn(), Some("arn:aws:iam::123456789012:user/alice"));
    assert!(me.user_id().unwrap().starts_with("AIDA"));

    // Session credentials cannot call GetSessionToken.
    let err = sts(&emu, &session)
        .get_session_token()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("AccessDenied"));

    let err = sts(&emu, &base)
        .get_session_token()
        .duration_seconds(129601)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(emu.calls("GetSessionToken"), 3);
}

#[tokio::test]
async fn signature_and_key_checks() {
    let emu = Emulator::start().unwrap();
    let base = user(&emu);

    let wrong = Creds::user(USER_KEY, "0000000000000000000000000000000000000000");
    let err = sts(&emu, &wrong)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 403);
    assert_eq!(
        err.into_service_error().code(),
        Some("SignatureDoesNotMatch")
    );

    let unknown = Creds::user("AKIAUNKNOWNKEY000000", USER_SECRET);
    let err = sts(&emu, &unknown)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 403);
    assert_eq!(
        err.into_service_error().code(),
        Some("InvalidClientTokenId")
    );

    // Temporary keys need their own session token.
    let temp = sso_creds(&emu, DEV, "ReadOnly").await;
    let mut no_token = temp.clone();
    no_token.session_token = None;
    let err = sts(&emu, &no_token)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().code(),
        Some("InvalidClientTokenId")
    );
    let mut other_token = temp.clone();
    other_token.session_token = Some("IQoJb3JpZ2luX2VjEOTHER".into());
    let err = sts(&emu, &other_token)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().code(),
        Some("InvalidClientTokenId")
    );
    // Right token, wrong secret.
    let mut bad_secret = temp.clone();
    bad_secret.secret_access_key = USER_SECRET.into();
    let err = sts(&emu, &bad_secret)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().code(),
        Some("SignatureDoesNotMatch")
    );

    sts(&emu, &temp).get_caller_identity().send().await.unwrap();
    emu.advance(Duration::from_secs(3601));
    let err = sts(&emu, &temp)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 403);
    assert_eq!(err.into_service_error().code(), Some("ExpiredToken"));

    // Long-lived user keys do not expire.
    sts(&emu, &base).get_caller_identity().send().await.unwrap();
}
