//! What a response means: a success body decoded, an error mapped to a
//! [`TransportError`], without I/O.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::transport::TransportError;
use crate::transport::error::MalformedProblem;
use crate::wire::{AwsErrorBody, Operation, strip_error_code};

pub(super) fn decode<Resp: DeserializeOwned>(
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

pub(super) fn service_error(
    operation: Operation,
    status: u16,
    header_code: Option<&str>,
    request_id: Option<&str>,
    bytes: &[u8],
) -> TransportError {
    let body: AwsErrorBody = serde_json::from_slice(bytes).unwrap_or_default();
    let code = body
        .code()
        .filter(|c| !c.is_empty())
        .or(header_code.filter(|c| !c.is_empty()));
    let error = code.map(|code| {
        TransportError::service(
            operation.clone(),
            code,
            body.message.as_deref().unwrap_or_default(),
            request_id,
        )
    });
    match error {
        Some(error) if error.service_code().is_some_and(|c| !c.is_empty()) => error,
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
        Err(service_error(operation, status, header_code, None, body))
    }
}
