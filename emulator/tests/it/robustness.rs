//! Bad input gets proper AWS error responses, never a dropped connection.

use crate::common::*;
use granted_emulator::Emulator;
use std::time::Duration;

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

#[test]
fn sts_rejects_bad_requests_with_xml_errors() {
    let emu = Emulator::start().unwrap();
    let port = emu.port();
    let (status, body) = raw_request(
        port,
        "POST",
        "/",
        &[FORM],
        b"Action=Nope&Version=2011-06-15",
    );
    assert_eq!(status, 400);
    assert!(body.contains("<Code>InvalidAction</Code>"), "{body}");

    let (status, body) = raw_request(port, "POST", "/", &[FORM], b"");
    assert_eq!(status, 400);
    assert!(body.contains("<ErrorResponse"), "{body}");

    let call = b"Action=GetCallerIdentity&Version=2011-06-15";
    let (status, body) = raw_request(port, "POST", "/", &[FORM], call);
    assert_eq!(status, 403);
    assert!(
        body.contains("<Code>MissingAuthenticationToken</Code>"),
        "{body}"
    );

    for auth in [
        "garbage",
        "AWS4-HMAC-SHA256 Credential=AKIA/x",
        "AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=zz",
    ] {
        let (status, body) = raw_request(
            port,
            "POST",
            "/",
            &[
                FORM,
                ("Authorization", auth),
                ("X-Amz-Date", "20260101T000000Z"),
            ],
            call,
        );
        assert!(status == 400 || status == 403, "{status} {body}");
        assert!(body.contains("<ErrorResponse"), "{body}");
    }

    emu.add_user("AKIAROBUST0000000001", "secret", DEV, "robust");
    let (status, body) = raw_request(
        port,
        "POST",
        "/",
        &[
            FORM,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAROBUST0000000001/20260101/us-east-1/sts/aws4_request, \
                 SignedHeaders=host;x-amz-date, Signature=00ff",
            ),
            ("X-Amz-Date", "20260101T000000Z"),
        ],
        call,
    );
    assert_eq!(status, 403);
    assert!(
        body.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{body}"
    );
    assert_eq!(emu.calls("GetCallerIdentity"), 5);
}

#[test]
fn json_services_reject_bad_requests() {
    let emu = Emulator::start().unwrap();
    let port = emu.port();
    let (status, body) = raw_http(port, "POST", "/token", Some("not json"));
    assert_eq!(status, 400);
    assert!(body.contains("invalid_request"), "{body}");
    let (status, _) = raw_http(port, "POST", "/client/register", Some("{}"));
    assert_eq!(status, 400);
    let (status, _) = raw_http(
        port,
        "POST",
        "/client/register",
        Some(r#"{"clientName":7}"#),
    );
    assert_eq!(status, 400);
    let (status, _) = raw_http(port, "POST", "/device_authorization", Some("[1,2]"));
    assert_eq!(status, 400);

    let (status, body) = raw_http(port, "GET", "/federation/credentials", None);
    assert_eq!(status, 401);
    assert!(body.contains("message"), "{body}");

    let token = emu.issue_access_token(START_URL, Duration::from_secs(60));
    let auth = [("x-amz-sso_bearer_token", token.as_str())];
    let (status, _) = raw_request(port, "GET", "/federation/credentials", &auth, b"");
    assert_eq!(status, 400);
    let (status, _) = raw_request(port, "GET", "/assignment/accounts?max_result=0", &auth, b"");
    assert_eq!(status, 400);
    let (status, _) = raw_request(port, "GET", "/assignment/accounts?max_result=x", &auth, b"");
    assert_eq!(status, 400);
    let (status, _) = raw_request(port, "GET", "/assignment/roles", &auth, b"");
    assert_eq!(status, 400);
    let (status, _) = raw_request(
        port,
        "GET",
        "/assignment/accounts?next_token=%ZZ",
        &auth,
        b"",
    );
    assert_eq!(status, 400);

    let (status, _) = raw_http(port, "GET", "/nowhere", None);
    assert_eq!(status, 404);
    let (status, _) = raw_http(port, "GET", "/_emulator/nowhere", None);
    assert_eq!(status, 404);

    let big = vec![b'a'; (1 << 20) + 10];
    let (status, _) = raw_request(port, "POST", "/token", &[], &big);
    assert_eq!(status, 413);

    // Still serving.
    let (status, _) = raw_http(port, "GET", "/_emulator/health", None);
    assert_eq!(status, 200);
}
