//! A raw AWS JSON 1.1 client over a blocking TCP socket on loopback, for
//! set-up and checks the crate's own transport must not be trusted with
//! (moto's admin API, the local pool's operations, malformed requests).

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::Value;

/// A dummy SigV4 header: moto wants one on admin calls and does not verify it.
pub(crate) const DUMMY_SIGV4: &str = "Authorization: AWS4-HMAC-SHA256 \
    Credential=test/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00\r\n";

/// `MOTO_ENDPOINT`, which scripts/test.sh exports after starting moto_server.
pub(crate) fn moto_endpoint() -> String {
    match std::env::var("MOTO_ENDPOINT") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "MOTO_ENDPOINT is not set: run scripts/test.sh, which installs moto[server], \
             starts moto_server on 127.0.0.1 and exports MOTO_ENDPOINT \
             (or start `.venv/bin/moto_server -H 127.0.0.1 -p 5055` and export \
             MOTO_ENDPOINT=http://127.0.0.1:5055)"
        ),
    }
}

/// POSTs `operation` with `body` to `endpoint` (`http://127.0.0.1:port/`),
/// with `extra_headers` (each ending in `\r\n`): the status and the JSON body
/// (`Null` when empty or not JSON).
pub(crate) fn post(
    endpoint: &str,
    operation: &str,
    body: &Value,
    extra_headers: &str,
) -> (u16, Value) {
    let authority = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let body = body.to_string();
    let mut stream = TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.{operation}\r\n\
         Content-Type: application/x-amz-json-1.1\r\n{extra_headers}\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    assert!(status != 0, "{operation}: no status line in {head}");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// [`post`], asserting a 200 answer.
pub(crate) fn call(endpoint: &str, operation: &str, body: &Value, extra_headers: &str) -> Value {
    let (status, answer) = post(endpoint, operation, body, extra_headers);
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
}

/// An admin call to moto.
pub(crate) fn moto_admin(operation: &str, body: &Value) -> Value {
    call(&moto_endpoint(), operation, body, DUMMY_SIGV4)
}
