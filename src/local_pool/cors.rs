//! CORS, as Cognito's endpoint answers browsers: the browser SDKs
//! (amazon-cognito-identity-js, Amplify) call it from any origin, so every
//! answer carries `Access-Control-Allow-Origin: *` and exposes the headers
//! the SDKs read (`x-amzn-ErrorType` above all), and a preflight `OPTIONS`
//! is answered 200 with the methods and headers allowed.
//!
//! `Access-Control-Expose-Headers` is the value captured from Cognito in
//! aws-amplify/amplify-js#11034; the other values are the pool's lenient
//! choice (see the fidelity table).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

/// What Cognito's answers expose to scripts.
const EXPOSE_HEADERS: &str = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";

/// The request headers allowed when the preflight names none: those the
/// browser SDKs send (Amplify: `content-type`, `x-amz-target`,
/// `x-amz-user-agent`, `cache-control`) and the AWS SDK ones.
const ALLOW_HEADERS: &str = "content-type,x-amz-target,x-amz-user-agent,cache-control,authorization,x-amz-date,x-amz-security-token,x-amz-content-sha256,amz-sdk-invocation-id,amz-sdk-request";

/// The methods served.
const ALLOW_METHODS: &str = "POST, GET, OPTIONS";

/// How long a browser may cache a preflight answer, in seconds.
pub(crate) const MAX_AGE_SECONDS: u32 = 600;

/// The headers every answer carries.
pub(crate) fn add_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
}

/// A preflight `OPTIONS`: 200, no body; the requested headers are allowed
/// (echoed), or the SDKs' when none are named.
pub(crate) async fn preflight(request: HeaderMap) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    add_headers(headers);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOW_METHODS),
    );
    let requested = request
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .filter(|value| !value.is_empty())
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static(ALLOW_HEADERS));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from(MAX_AGE_SECONDS),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(0u32));
    response
}
