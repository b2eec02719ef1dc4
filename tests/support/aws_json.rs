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

/// The request bytes of one AWS JSON 1.1 call to `authority` (`127.0.0.1:port`).
fn request(authority: &str, operation: &str, body: &Value, extra_headers: &str) -> String {
    request_to(
        authority,
        &format!("AWSCognitoIdentityProviderService.{operation}"),
        body,
        extra_headers,
    )
}

/// The request bytes of one AWS JSON 1.1 call with the whole `X-Amz-Target`.
fn request_to(authority: &str, target: &str, body: &Value, extra_headers: &str) -> String {
    let body = body.to_string();
    format!(
        "POST / HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
         X-Amz-Target: {target}\r\n\
         Content-Type: application/x-amz-json-1.1\r\n{extra_headers}\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// The status and JSON body (`Null` when empty or not JSON) of a response.
fn response(operation: &str, bytes: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    assert!(status != 0, "{operation}: no status line in {head}");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn authority(endpoint: &str) -> &str {
    endpoint.trim_start_matches("http://").trim_end_matches('/')
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
    let authority = authority(endpoint);
    let mut stream = TcpStream::connect(authority).unwrap();
    stream
        .write_all(request(authority, operation, body, extra_headers).as_bytes())
        .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    response(operation, &bytes)
}

/// [`post`] on the tokio runtime (for servers in the test's own process).
pub(crate) async fn post_async(
    endpoint: &str,
    operation: &str,
    body: &Value,
    extra_headers: &str,
) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let authority = authority(endpoint);
    let mut stream = tokio::net::TcpStream::connect(authority).await.unwrap();
    let bytes = request(authority, operation, body, extra_headers);
    stream.write_all(bytes.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.unwrap();
    response(operation, &bytes)
}

/// [`post_async`], asserting a 200 answer.
pub(crate) async fn call_async(
    endpoint: &str,
    operation: &str,
    body: &Value,
    extra_headers: &str,
) -> Value {
    let (status, answer) = post_async(endpoint, operation, body, extra_headers).await;
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
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

/// A Cognito Identity call (`AWSCognitoIdentityService.<operation>`) to
/// moto with the dummy SigV4 header, asserting a 200 answer.
pub(crate) async fn moto_identity_async(operation: &str, body: &Value) -> Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let endpoint = moto_endpoint();
    let authority = authority(&endpoint);
    let mut stream = tokio::net::TcpStream::connect(authority).await.unwrap();
    // moto picks the service by the credential scope of the signature.
    let sigv4 = DUMMY_SIGV4.replace("/cognito-idp/", "/cognito-identity/");
    let bytes = request_to(
        authority,
        &format!("AWSCognitoIdentityService.{operation}"),
        body,
        &sigv4,
    );
    stream.write_all(bytes.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.unwrap();
    let (status, answer) = response(operation, &bytes);
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
}
