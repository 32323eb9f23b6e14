//! Wire-level helpers shared by every service: the buffered request type the
//! handlers see, the reply type they return (converted to a hyper response),
//! percent-encoding/decoding, query-string and form parsing, and the JSON,
//! XML and HTML response builders with AWS error conventions.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Response, StatusCode};

/// A fully buffered request.
pub(crate) struct Req {
    pub method: hyper::Method,
    /// Raw (still percent-encoded) path.
    pub path: String,
    /// Raw query string, without the `?`.
    pub query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Req {
    /// First value of a header, if it is valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Decoded query parameters (RFC 3986 decoding: `+` stays `+`).
    pub fn query_params(&self) -> Vec<(String, String)> {
        parse_pairs(&self.query, false)
    }

    /// First decoded query parameter named `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_params()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// What a handler returns; turned into a hyper response by [`Reply::into_response`].
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// Error code for the request log (never secrets).
    pub error_code: Option<String>,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
            error_code: None,
        }
    }

    /// A 200 JSON reply.
    pub fn json(value: &serde_json::Value) -> Reply {
        Reply::json_status(200, value)
    }

    pub fn json_status(status: u16, value: &serde_json::Value) -> Reply {
        Reply::new(status, "application/json", value.to_string())
    }

    /// A REST-JSON error: the type goes in `x-amzn-ErrorType`, the body
    /// carries `message` (plus any extra fields given).
    pub fn json_error(status: u16, code: &str, message: &str) -> Reply {
        Reply::json_error_with(status, code, serde_json::json!({ "message": message }))
    }

    pub fn json_error_with(status: u16, code: &str, body: serde_json::Value) -> Reply {
        let mut r = Reply::json_status(status, &body);
        r.headers.push(("x-amzn-ErrorType", code.to_string()));
        r.error_code = Some(code.to_string());
        r
    }

    pub fn html(status: u16, title: &str, text: &str) -> Reply {
        let body = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
             <body><h1>{t}</h1><p>{x}</p></body></html>\n",
            t = xml_escape(title),
            x = xml_escape(text)
        );
        Reply::new(status, "text/html; charset=utf-8", body)
    }

    pub fn into_response(self, request_id: &str) -> Response<Full<Bytes>> {
        let mut resp = Response::new(Full::new(Bytes::from(self.body)));
        *resp.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let h = resp.headers_mut();
        if let Ok(v) = HeaderValue::from_str(self.content_type) {
            h.insert(hyper::header::CONTENT_TYPE, v);
        }
        if let Ok(v) = HeaderValue::from_str(request_id) {
            h.insert(HeaderName::from_static("x-amzn-requestid"), v);
        }
        for (name, value) in self.headers {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                h.append(n, v);
            }
        }
        resp
    }
}

/// Escape text for XML/HTML element content and attribute values.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decode; with `plus_is_space`, `+` decodes to a space (form encoding).
/// Malformed escapes are kept literally; invalid UTF-8 is replaced.
pub(crate) fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// SigV4 URI encoding: everything but unreserved characters is `%XX`
/// (uppercase); with `keep_slash`, `/` is left alone (for paths).
pub(crate) fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b'/' if keep_slash => out.push('/'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Parse `a=1&b=2` pairs, decoding both sides.
pub(crate) fn parse_pairs(s: &str, plus_is_space: bool) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(k, plus_is_space),
                percent_decode(v, plus_is_space),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_and_encode() {
        assert_eq!(percent_decode("a%20b+c", false), "a b+c");
        assert_eq!(percent_decode("a%20b+c", true), "a b c");
        assert_eq!(percent_decode("bad%2", true), "bad%2");
        assert_eq!(percent_decode("bad%zz", true), "bad%zz");
        assert_eq!(percent_decode("%", true), "%");
        assert_eq!(percent_decode("%41", true), "A");
        assert_eq!(uri_encode("a b/c~", true), "a%20b/c~");
        assert_eq!(uri_encode("a b/c", false), "a%20b%2Fc");
        assert_eq!(
            parse_pairs("Action=AssumeRole&x=&y", true),
            vec![
                ("Action".into(), "AssumeRole".into()),
                ("x".into(), "".into()),
                ("y".into(), "".into())
            ]
        );
        assert_eq!(xml_escape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;");
    }
}
