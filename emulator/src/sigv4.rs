//! AWS Signature Version 4 verification: parsing the `Authorization:
//! AWS4-HMAC-SHA256 …` header, rebuilding the canonical request and string
//! to sign from what arrived on the wire, deriving the signing key from the
//! secret the emulator holds for the access key, and comparing signatures
//! (in constant time).

use crate::wire::{Req, parse_pairs, uri_encode};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The parts of a SigV4 `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthHeader {
    pub access_key_id: String,
    pub date: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parse an `Authorization` header value; `Err` carries a message for an
/// `IncompleteSignature` error.
pub(crate) fn parse_authorization(value: &str) -> Result<AuthHeader, String> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .filter(|r| r.starts_with(' '))
        .ok_or_else(|| format!("Unsupported authorization type; expected {ALGORITHM}"))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some((k, v)) = part.split_once('=') {
            match k.trim() {
                "Credential" => credential = Some(v.trim()),
                "SignedHeaders" => signed = Some(v.trim()),
                "Signature" => signature = Some(v.trim()),
                _ => {}
            }
        }
    }
    let missing = |what: &str| format!("Authorization header requires '{what}' parameter.");
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let parts: Vec<&str> = credential.split('/').collect();
    let [akid, date, region, service, terminator] = parts.as_slice() else {
        return Err(format!(
            "Credential should have 5 slash-separated parts: {credential}"
        ));
    };
    if *terminator != "aws4_request" || akid.is_empty() {
        return Err(format!("Malformed credential scope: {credential}"));
    }
    Ok(AuthHeader {
        access_key_id: akid.to_string(),
        date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers: signed
            .split(';')
            .filter(|h| !h.is_empty())
            .map(|h| h.to_ascii_lowercase())
            .collect(),
        signature: signature.to_ascii_lowercase(),
    })
}

/// Canonical URI for non-S3 services: the path as sent, encoded once more.
fn canonical_uri(raw_path: &str) -> String {
    if raw_path.is_empty() {
        "/".to_string()
    } else {
        uri_encode(raw_path, true)
    }
}

fn canonical_query(raw_query: &str) -> String {
    let mut pairs: Vec<(String, String)> = parse_pairs(raw_query, false)
        .into_iter()
        .map(|(k, v)| (uri_encode(&k, false), uri_encode(&v, false)))
        .collect();
    pairs.sort();
    pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn canonical_header_value(req: &Req, name: &str) -> String {
    req.headers
        .get_all(name)
        .iter()
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The canonical request for `req` under the header's signed-headers list.
pub(crate) fn canonical_request(req: &Req, auth: &AuthHeader) -> String {
    let headers: String = auth
        .signed_headers
        .iter()
        .map(|h| format!("{h}:{}\n", canonical_header_value(req, h)))
        .collect();
    let payload_hash = match req.header("x-amz-content-sha256") {
        Some(h) => h.to_string(),
        None => hex::encode(Sha256::digest(&req.body)),
    };
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method.as_str(),
        canonical_uri(&req.path),
        canonical_query(&req.query),
        headers,
        auth.signed_headers.join(";"),
        payload_hash
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    match HmacSha256::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn signing_key(secret: &str, auth: &AuthHeader) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    let k_region = hmac(&k_date, auth.region.as_bytes());
    let k_service = hmac(&k_region, auth.service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

pub(crate) fn string_to_sign(amz_date: &str, auth: &AuthHeader, canonical: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{}/{}/{}/aws4_request\n{}",
        auth.date,
        auth.region,
        auth.service,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    )
}

/// Whether `req` carries a valid signature made with `secret`.
pub(crate) fn verify(req: &Req, auth: &AuthHeader, amz_date: &str, secret: &str) -> bool {
    let Ok(expected) = hex::decode(&auth.signature) else {
        return false;
    };
    let sts = string_to_sign(amz_date, auth, &canonical_request(req, auth));
    match HmacSha256::new_from_slice(&signing_key(secret, auth)) {
        Ok(mut m) => {
            m.update(sts.as_bytes());
            m.verify_slice(&expected).is_ok()
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use hyper::header::{HeaderMap, HeaderValue};

    /// The `get-vanilla-query-order-key-case` style vector from the AWS SigV4
    /// test suite (service "service", region "us-east-1").
    #[test]
    fn aws_test_suite_vector() {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("example.amazonaws.com"));
        headers.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        let req = Req {
            method: hyper::Method::GET,
            path: "/".into(),
            query: "Param2=value2&Param1=value1".into(),
            headers,
            body: Bytes::new(),
        };
        let auth = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        )
        .unwrap();
        assert_eq!(auth.access_key_id, "AKIDEXAMPLE");
        assert_eq!(
            canonical_request(&req, &auth),
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(verify(
            &req,
            &auth,
            "20150830T123600Z",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        ));
        assert!(!verify(&req, &auth, "20150830T123600Z", "wrong"));
    }

    #[test]
    fn malformed_headers_are_rejected() {
        assert!(parse_authorization("Bearer x").is_err());
        assert!(parse_authorization("AWS4-HMAC-SHA256 Credential=a/b").is_err());
        assert!(
            parse_authorization(
                "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=00"
            )
            .is_err()
        );
        assert!(parse_authorization("AWS4-HMAC-SHA256").is_err());
    }
}
