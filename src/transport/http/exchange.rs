//! One operation over HTTP: the request, the bounded retry loop, and the
//! mapping of reqwest's errors.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use zeroize::Zeroizing;

use super::HttpTransport;
use super::body::{read_error, read_limited};
use super::response::{decode, service_error};
use crate::transport::TransportError;
use crate::wire::{
    CONTENT_TYPE as AMZ_JSON, Operation, ServiceErrorKind, TARGET_PREFIX, strip_error_code,
};

const X_AMZ_TARGET: &str = "x-amz-target";
const X_AMZN_ERROR_TYPE: &str = "x-amzn-errortype";
const X_AMZN_REQUEST_ID: &str = "x-amzn-requestid";
pub(super) const CRATE_USER_AGENT: &str = concat!("cognito-srp-auth/", env!("CARGO_PKG_VERSION"));
/// Room for a whole request body, so that serialising it never reallocates
/// (a reallocation would free an unwiped copy of a password or token).
const REQUEST_CAPACITY: usize = 16 * 1024;

/// A request body that wipes itself when the last holder drops it.
struct WipedBody(Zeroizing<Vec<u8>>);

impl AsRef<[u8]> for WipedBody {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// `request` as JSON in one buffer, serialised without reallocating (for
/// bodies up to [`REQUEST_CAPACITY`]) and shared by every attempt: reqwest
/// gets a reference-counted handle, not a copy, and the bytes (a password
/// for `USER_PASSWORD_AUTH`, a new password, codes, tokens) are wiped when
/// the last handle is dropped. What hyper copies into its own write buffer
/// is outside this crate's reach (see README, "Secrets").
fn wiped_body<Req: Serialize>(request: &Req) -> Result<Bytes, serde_json::Error> {
    let mut body = Zeroizing::new(Vec::with_capacity(REQUEST_CAPACITY));
    serde_json::to_writer(&mut *body, request)?;
    Ok(Bytes::from_owner(WipedBody(body)))
}

impl HttpTransport {
    /// One user-pool operation: serialise, post, retry what is safe to
    /// repeat, decode.
    pub(super) async fn send<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        operation: Operation,
        request: &Req,
    ) -> Result<Resp, TransportError> {
        self.send_with_prefix(TARGET_PREFIX, operation, request)
            .await
    }

    /// One operation of the service whose `X-Amz-Target` prefix is
    /// `target_prefix` (Cognito Identity's too): the same limits, retries
    /// and typed errors as the user-pool operations.
    pub(crate) async fn send_with_prefix<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        target_prefix: &'static str,
        operation: Operation,
        request: &Req,
    ) -> Result<Resp, TransportError> {
        let body = wiped_body(request).map_err(|e| TransportError::Request {
            operation: operation.clone(),
            source: Some(Box::new(e)),
        })?;
        let deadline = Instant::now() + self.limits.request_timeout;
        let mut attempt = 1u32;
        loop {
            let outcome =
                tokio::time::timeout_at(deadline, self.attempt(target_prefix, &operation, &body))
                    .await;
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
        target_prefix: &str,
        operation: &Operation,
        body: &Bytes,
    ) -> Result<(u16, Zeroizing<Vec<u8>>), TransportError> {
        let target = format!("{target_prefix}{operation}");
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
            .body(body.clone())
            .send()
            .await
            .map_err(|e| send_error(operation.clone(), e))?;
        let status = response.status();
        tracing::debug!(%operation, status = status.as_u16(), "response");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let error_type = header(X_AMZN_ERROR_TYPE).map(|v| strip_error_code(&v).to_owned());
        let request_id = header(X_AMZN_REQUEST_ID);
        let bytes = read_limited(&mut response, operation, self.limits.max_response_bytes).await?;
        if status.is_success() {
            Ok((status.as_u16(), bytes))
        } else {
            Err(service_error(
                operation.clone(),
                status.as_u16(),
                error_type.as_deref(),
                request_id.as_deref(),
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

pub(super) fn send_error(operation: Operation, error: reqwest::Error) -> TransportError {
    if error.is_connect() {
        TransportError::Connect {
            operation,
            source: Some(Box::new(error)),
        }
    } else if !error.is_timeout()
        && (error.is_builder() || error.is_request() && error.url().is_none())
    {
        TransportError::Request {
            operation,
            source: Some(Box::new(error)),
        }
    } else {
        read_error(operation, error)
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
