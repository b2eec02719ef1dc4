//! [`HttpTransport`]: Cognito's AWS JSON 1.1 over reqwest with rustls (ring).
//!
//! No request signing: `InitiateAuth`, `RespondToAuthChallenge`, the software
//! token and device operations are public (authenticated by their content).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::Transport;
use super::error::{BoxError, MalformedProblem, TransportError};
use crate::srp::UserPoolId;
use crate::wire::ServiceErrorKind;
use crate::wire::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, AwsErrorBody,
    CONTENT_TYPE as AMZ_JSON, ConfirmDeviceRequest, ConfirmDeviceResponse, ForgetDeviceRequest,
    InitiateAuthRequest, InitiateAuthResponse, Operation, RespondToAuthChallengeRequest,
    RespondToAuthChallengeResponse, TARGET_PREFIX, UpdateDeviceStatusRequest,
    VerifySoftwareTokenRequest, VerifySoftwareTokenResponse, strip_error_code,
};

/// Default time allowed to establish a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default total deadline of one operation, retries and backoff included.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default largest response body read, in bytes (1 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// Default number of attempts per operation (the first try and two retries).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Default first backoff before a retry; it doubles per retry, with full jitter.
pub const DEFAULT_BASE_BACKOFF: Duration = Duration::from_millis(100);
/// Default largest backoff before a retry.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(2);

const X_AMZ_TARGET: &str = "x-amz-target";
const X_AMZN_ERROR_TYPE: &str = "x-amzn-errortype";
const CRATE_USER_AGENT: &str = concat!("cognito-srp-auth/", env!("CARGO_PKG_VERSION"));

/// Cognito over HTTPS: `POST https://cognito-idp.<region>.amazonaws.com/` with
/// `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and
/// `Content-Type: application/x-amz-json-1.1`.
///
/// Bounded everywhere: a connect timeout, a total deadline per operation
/// (retries included), a response-size limit enforced while reading, and a
/// few retries with exponential backoff and full jitter — only for
/// throttling (`TooManyRequestsException`) and for connections that failed
/// before the request was sent, which are safe to repeat.
///
/// Needs a Tokio runtime with I/O and time enabled.
///
/// ```no_run
/// # async fn demo() -> Result<(), cognito_srp_auth::transport::TransportError> {
/// use cognito_srp_auth::transport::HttpTransport;
/// let transport = HttpTransport::builder().region("eu-west-1").build()?;
/// let local = HttpTransport::builder().endpoint("http://127.0.0.1:9229/").build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    endpoint: reqwest::Url,
    limits: Limits,
}

#[derive(Debug, Clone, Copy)]
struct Limits {
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: usize,
    max_attempts: u32,
    base_backoff: Duration,
    max_backoff: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_backoff: DEFAULT_BASE_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
        }
    }
}

impl fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransport")
            .field("endpoint", &self.endpoint.as_str())
            .field("limits", &self.limits)
            .finish()
    }
}

/// Builds an [`HttpTransport`]: the region or an endpoint override, and the limits.
#[derive(Debug, Clone, Default)]
pub struct HttpTransportBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    limits: Limits,
}

impl HttpTransportBuilder {
    /// The AWS region (`eu-west-1`): the endpoint is
    /// `https://cognito-idp.<region>.amazonaws.com/` (`.amazonaws.com.cn` for `cn-` regions).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The region of `user_pool_id` (the part before `_`).
    pub fn user_pool(self, user_pool_id: &UserPoolId) -> Self {
        self.region(user_pool_id.region())
    }

    /// An endpoint override (`http://127.0.0.1:9229/` for a local server, a
    /// VPC endpoint, …). Takes precedence over the region.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Time allowed to establish a connection. Default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.limits.connect_timeout = timeout;
        self
    }

    /// Total deadline of one operation: connecting, sending, reading the
    /// whole body, retries and backoff included. Default 30 s.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.limits.request_timeout = timeout;
        self
    }

    /// Largest response body read; a larger one fails with
    /// [`TransportError::ResponseTooLarge`]. Default 1 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.limits.max_response_bytes = limit;
        self
    }

    /// Attempts per operation, at least 1 (1 disables retries). Default 3.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.limits.max_attempts = attempts.clamp(1, 10);
        self
    }

    /// The first backoff (doubled per retry, full jitter) and the largest one.
    /// Defaults 100 ms and 2 s.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.limits.base_backoff = base;
        self.limits.max_backoff = max.max(base);
        self
    }

    /// Builds the transport: resolves the endpoint and sets up rustls with
    /// the ring provider and the platform's certificate verifier.
    pub fn build(self) -> Result<HttpTransport, TransportError> {
        let endpoint = match (&self.endpoint, &self.region) {
            (Some(url), _) => parse_endpoint(url)?,
            (None, Some(region)) => regional_endpoint(region)?,
            (None, None) => return Err(TransportError::InvalidEndpoint),
        };
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .connect_timeout(self.limits.connect_timeout)
            .timeout(self.limits.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .http1_only()
            .build()
            .map_err(|e| TransportError::ClientSetup {
                source: Some(Box::new(e)),
            })?;
        Ok(HttpTransport {
            client,
            endpoint,
            limits: self.limits,
        })
    }
}

fn parse_endpoint(url: &str) -> Result<reqwest::Url, TransportError> {
    let url = reqwest::Url::parse(url).map_err(|_| TransportError::InvalidEndpoint)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(TransportError::InvalidEndpoint);
    }
    Ok(url)
}

fn regional_endpoint(region: &str) -> Result<reqwest::Url, TransportError> {
    let valid = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(TransportError::InvalidEndpoint);
    }
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    parse_endpoint(&format!("https://cognito-idp.{region}.{suffix}/"))
}

fn tls_config() -> Result<rustls::ClientConfig, TransportError> {
    let setup = |e: BoxError| TransportError::ClientSetup { source: Some(e) };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| setup(Box::new(e)))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| setup(Box::new(e)))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

impl HttpTransport {
    /// A builder; give it a region, a user pool or an endpoint.
    pub fn builder() -> HttpTransportBuilder {
        HttpTransportBuilder::default()
    }

    /// The transport for `user_pool_id`'s region with default limits.
    pub fn for_user_pool(user_pool_id: &UserPoolId) -> Result<Self, TransportError> {
        Self::builder().user_pool(user_pool_id).build()
    }

    /// The URL requests are posted to.
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    async fn call<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        operation: Operation,
        request: &Req,
    ) -> Result<Resp, TransportError> {
        let body = canonical_json(&operation, request)?;
        let deadline = Instant::now() + self.limits.request_timeout;
        let mut attempt = 1u32;
        loop {
            let outcome = tokio::time::timeout_at(deadline, self.attempt(&operation, &body)).await;
            let error = match outcome {
                Err(_elapsed) => {
                    return Err(TransportError::Timeout {
                        operation,
                        source: None,
                    });
                }
                Ok(Ok((status, bytes))) => return decode(&operation, status, &bytes),
                Ok(Err(error)) => error,
            };
            if !is_retryable(&error) || attempt >= self.limits.max_attempts {
                return Err(error);
            }
            let delay = self.backoff(attempt);
            if Instant::now() + delay >= deadline {
                return Err(error);
            }
            tracing::debug!(%operation, attempt, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One request; `Ok` for a success status with its body, `Err` otherwise
    /// (service errors already mapped).
    async fn attempt(
        &self,
        operation: &Operation,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), TransportError> {
        let target = format!("{TARGET_PREFIX}{operation}");
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON));
        headers.insert(USER_AGENT, HeaderValue::from_static(CRATE_USER_AGENT));
        let target = HeaderValue::from_str(&target).map_err(|e| TransportError::Request {
            operation: operation.clone(),
            source: Some(Box::new(e)),
        })?;
        headers.insert(X_AMZ_TARGET, target);
        let mut response = self
            .client
            .post(self.endpoint.clone())
            .headers(headers)
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| send_error(operation.clone(), e))?;
        let status = response.status();
        tracing::debug!(%operation, status = status.as_u16(), "response");
        let limit = self.limits.max_response_bytes;
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > limit as u64) {
            return Err(TransportError::ResponseTooLarge {
                operation: operation.clone(),
                limit,
            });
        }
        let error_type = response
            .headers()
            .get(X_AMZN_ERROR_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| strip_error_code(v).to_owned());
        let mut bytes = Vec::with_capacity(declared.map_or(1024, |n| n as usize).min(limit));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return Err(TransportError::ResponseTooLarge {
                            operation: operation.clone(),
                            limit,
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(read_error(operation.clone(), e)),
            }
        }
        if status.is_success() {
            Ok((status.as_u16(), bytes))
        } else {
            Err(service_error(
                operation.clone(),
                status.as_u16(),
                error_type.as_deref(),
                &bytes,
            ))
        }
    }

    /// Full jitter: a uniform delay in `[0, min(max, base · 2^(attempt-1))]`.
    fn backoff(&self, attempt: u32) -> Duration {
        let shift = attempt.saturating_sub(1).min(16);
        let cap = self
            .limits
            .base_backoff
            .saturating_mul(1u32 << shift)
            .min(self.limits.max_backoff);
        let cap_ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
        if cap_ms == 0 {
            return Duration::ZERO;
        }
        match getrandom::u64() {
            Ok(random) => Duration::from_millis(random % (cap_ms + 1)),
            Err(_) => cap,
        }
    }
}

/// The request as JSON with every object's keys sorted, so that the same
/// request always gives the same bytes (parameter maps are hash maps).
fn canonical_json<T: Serialize>(
    operation: &Operation,
    request: &T,
) -> Result<Vec<u8>, TransportError> {
    let failed = |e: serde_json::Error| TransportError::Request {
        operation: operation.clone(),
        source: Some(Box::new(e)),
    };
    let mut value = serde_json::to_value(request).map_err(failed)?;
    sort_keys(&mut value);
    serde_json::to_vec(&value).map_err(failed)
}

fn sort_keys(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_keys);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

fn decode<Resp: DeserializeOwned>(
    operation: &Operation,
    status: u16,
    bytes: &[u8],
) -> Result<Resp, TransportError> {
    // Empty success bodies (UpdateDeviceStatus, ForgetDevice) decode as `{}`.
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(bytes).map_err(|e| TransportError::MalformedResponse {
        operation: operation.clone(),
        status,
        problem: MalformedProblem::InvalidJson,
        source: Some(Box::new(JsonError::from(&e))),
    })
}

/// A JSON parse error without the offending value: serde_json quotes the
/// string it did not expect, which may be a token or a session.
#[derive(Debug)]
struct JsonError {
    category: serde_json::error::Category,
    line: usize,
    column: usize,
}

impl From<&serde_json::Error> for JsonError {
    fn from(error: &serde_json::Error) -> Self {
        Self {
            category: error.classify(),
            line: error.line(),
            column: error.column(),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use serde_json::error::Category;
        let what = match self.category {
            Category::Io => "read error",
            Category::Syntax => "syntax error",
            Category::Data => "unexpected type or value",
            Category::Eof => "truncated JSON",
        };
        write!(f, "{what} at line {}, column {}", self.line, self.column)
    }
}

impl std::error::Error for JsonError {}

/// Longest error code kept from a response, in characters.
const MAX_ERROR_CODE_CHARS: usize = 128;
/// Longest error message kept from a response, in characters.
const MAX_ERROR_MESSAGE_CHARS: usize = 512;

/// Server text fit for one terminal line: control characters (escape
/// sequences, newlines) dropped, at most `max` characters.
fn printable(text: &str, max: usize) -> String {
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(max).collect();
    if text.chars().filter(|c| !c.is_control()).nth(max).is_some() {
        out.push('…');
    }
    out
}

fn service_error(
    operation: Operation,
    status: u16,
    header_code: Option<&str>,
    bytes: &[u8],
) -> TransportError {
    let body: AwsErrorBody = serde_json::from_slice(bytes).unwrap_or_default();
    let code = body
        .code()
        .filter(|c| !c.is_empty())
        .or(header_code.filter(|c| !c.is_empty()));
    match code.map(|c| printable(c, MAX_ERROR_CODE_CHARS)) {
        Some(code) if !code.is_empty() => TransportError::Service {
            kind: ServiceErrorKind::from_code(&code),
            message: printable(
                body.message.as_deref().unwrap_or_default(),
                MAX_ERROR_MESSAGE_CHARS,
            ),
            code,
        },
        _ => TransportError::MalformedResponse {
            operation,
            status,
            problem: MalformedProblem::NoErrorCode,
            source: None,
        },
    }
}

/// What [`HttpTransport`] makes of a response it has read: `status`, the raw
/// `x-amzn-ErrorType` header (if any) and the body, decoded as `Resp` on a
/// success status or mapped to a [`TransportError`] otherwise — the same
/// functions the transport applies, without I/O. For fuzzing; not a stable API.
#[doc(hidden)]
pub fn parse_response<Resp: DeserializeOwned>(
    operation: Operation,
    status: u16,
    error_type_header: Option<&str>,
    body: &[u8],
) -> Result<Resp, TransportError> {
    if (200..300).contains(&status) {
        decode(&operation, status, body)
    } else {
        let header_code = error_type_header.map(strip_error_code);
        Err(service_error(operation, status, header_code, body))
    }
}

fn send_error(operation: Operation, error: reqwest::Error) -> TransportError {
    if error.is_connect() {
        TransportError::Connect {
            operation,
            source: Some(Box::new(error)),
        }
    } else if error.is_timeout() {
        TransportError::Timeout {
            operation,
            source: Some(Box::new(error)),
        }
    } else if error.is_builder() || error.is_request() && error.url().is_none() {
        TransportError::Request {
            operation,
            source: Some(Box::new(error)),
        }
    } else {
        TransportError::Interrupted {
            operation,
            source: Some(Box::new(error)),
        }
    }
}

fn read_error(operation: Operation, error: reqwest::Error) -> TransportError {
    if error.is_timeout() {
        TransportError::Timeout {
            operation,
            source: Some(Box::new(error)),
        }
    } else {
        TransportError::Interrupted {
            operation,
            source: Some(Box::new(error)),
        }
    }
}

/// Safe to repeat: Cognito refused for throttling, or the request never left.
fn is_retryable(error: &TransportError) -> bool {
    match error {
        TransportError::Service { kind, .. } => *kind == ServiceErrorKind::TooManyRequests,
        TransportError::Connect { .. } => true,
        _ => false,
    }
}

impl Transport for HttpTransport {
    async fn initiate_auth(
        &self,
        request: InitiateAuthRequest,
    ) -> Result<InitiateAuthResponse, TransportError> {
        self.call(Operation::InitiateAuth, &request).await
    }

    async fn respond_to_auth_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> Result<RespondToAuthChallengeResponse, TransportError> {
        self.call(Operation::RespondToAuthChallenge, &request).await
    }

    async fn associate_software_token(
        &self,
        request: AssociateSoftwareTokenRequest,
    ) -> Result<AssociateSoftwareTokenResponse, TransportError> {
        self.call(Operation::AssociateSoftwareToken, &request).await
    }

    async fn verify_software_token(
        &self,
        request: VerifySoftwareTokenRequest,
    ) -> Result<VerifySoftwareTokenResponse, TransportError> {
        self.call(Operation::VerifySoftwareToken, &request).await
    }

    async fn confirm_device(
        &self,
        request: ConfirmDeviceRequest,
    ) -> Result<ConfirmDeviceResponse, TransportError> {
        self.call(Operation::ConfirmDevice, &request).await
    }

    async fn update_device_status(
        &self,
        request: UpdateDeviceStatusRequest,
    ) -> Result<(), TransportError> {
        let _: serde_json::Value = self.call(Operation::UpdateDeviceStatus, &request).await?;
        Ok(())
    }

    async fn forget_device(&self, request: ForgetDeviceRequest) -> Result<(), TransportError> {
        let _: serde_json::Value = self.call(Operation::ForgetDevice, &request).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_endpoints() {
        let url = |r: &str| regional_endpoint(r).map(|u| u.to_string()).ok();
        assert_eq!(
            url("eu-west-1").as_deref(),
            Some("https://cognito-idp.eu-west-1.amazonaws.com/")
        );
        assert_eq!(
            url("cn-north-1").as_deref(),
            Some("https://cognito-idp.cn-north-1.amazonaws.com.cn/")
        );
        assert_eq!(url("eu-west-1.evil.com/x"), None);
        assert_eq!(url(""), None);
        assert!(parse_endpoint("ftp://x/").is_err());
        assert!(parse_endpoint("not a url").is_err());
    }

    #[test]
    fn keys_are_sorted_at_every_level() {
        let request = InitiateAuthRequest {
            client_id: "c".into(),
            auth_parameters: Some(
                [("Z", "1"), ("A", "2"), ("M", "3")]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            ),
            ..Default::default()
        };
        let bytes = canonical_json(&Operation::InitiateAuth, &request).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"AuthFlow":null,"AuthParameters":{"A":"2","M":"3","Z":"1"},"ClientId":"c"}"#
        );
    }
}
