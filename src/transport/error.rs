//! [`TransportError`]: why an operation did not produce a response.

use std::error::Error as StdError;
use std::fmt;

use crate::wire::{Operation, ServiceErrorKind};

/// A foreign error kept as [`source`](std::error::Error::source).
pub(crate) type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What was wrong with a response that could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MalformedProblem {
    /// A success response whose body is not the operation's JSON.
    InvalidJson,
    /// An error response (4xx/5xx) without an error code in `__type` or
    /// `x-amzn-ErrorType`.
    NoErrorCode,
    /// A field the operation requires is absent.
    MissingField,
    /// The SDK could not parse the response.
    Unparseable,
}

impl fmt::Display for MalformedProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidJson => "the body is not the expected JSON",
            Self::NoErrorCode => "an error status without an error code",
            Self::MissingField => "a required field is missing",
            Self::Unparseable => "the response could not be parsed",
        })
    }
}

/// Why a Cognito operation failed.
///
/// `Display` is one line without secrets; a foreign error (reqwest, the AWS
/// SDK, serde_json) is only reachable through [`source`](StdError::source).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// Cognito answered with an error: `"{code}: {message}"`.
    #[error("{code}: {message}")]
    Service {
        /// The matchable kind.
        kind: ServiceErrorKind,
        /// Cognito's code, e.g. `NotAuthorizedException`.
        code: String,
        /// Cognito's message, e.g. `Incorrect username or password.` (may be empty).
        message: String,
    },
    /// The request did not complete within its deadline.
    #[error("{operation}: no response within the deadline")]
    Timeout {
        /// The operation.
        operation: Operation,
        /// The underlying timeout error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// No connection could be made (DNS, TCP, TLS) — the request was never sent.
    #[error("{operation}: could not connect to the endpoint")]
    Connect {
        /// The operation.
        operation: Operation,
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
    /// The connection failed after the request may have been sent, before a
    /// complete response arrived. Not retried: the server may have acted on it.
    #[error("{operation}: the connection failed before a complete response")]
    Interrupted {
        /// The operation.
        operation: Operation,
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
    /// The response could not be understood.
    #[error("{operation}: malformed response (HTTP {status}): {problem}")]
    MalformedResponse {
        /// The operation.
        operation: Operation,
        /// The HTTP status (0 when unknown).
        status: u16,
        /// What was wrong.
        problem: MalformedProblem,
        /// The parse error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// The response body exceeded the size limit; reading stopped there.
    #[error("{operation}: response body larger than the {limit}-byte limit")]
    ResponseTooLarge {
        /// The operation.
        operation: Operation,
        /// The limit in bytes.
        limit: usize,
    },
    /// The endpoint or region is not usable (not an `http(s)` URL, bad region).
    #[error("invalid endpoint or region")]
    InvalidEndpoint,
    /// The HTTP client could not be built (TLS set-up, platform certificates).
    #[error("the HTTP client could not be built")]
    ClientSetup {
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
    /// The request could not be built or sent for a reason on this side
    /// (the SDK refused to construct it, serialisation failed, …).
    #[error("{operation}: the request could not be sent")]
    Request {
        /// The operation.
        operation: Operation,
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
}

impl TransportError {
    /// A service error from Cognito's code and message.
    pub fn service(code: &str, message: &str) -> Self {
        Self::Service {
            kind: ServiceErrorKind::from_code(code),
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }

    /// The service error's kind, when Cognito answered with an error.
    pub fn service_kind(&self) -> Option<&ServiceErrorKind> {
        match self {
            Self::Service { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// Cognito's error code (`NotAuthorizedException`, …), when it answered with one.
    pub fn service_code(&self) -> Option<&str> {
        match self {
            Self::Service { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Whether the fault is on the network or server side (timeouts, failed
    /// connections, malformed responses, throttling, Cognito's internal
    /// errors), as opposed to Cognito refusing the request.
    pub fn is_network_or_server_fault(&self) -> bool {
        match self {
            Self::Service { kind, .. } => matches!(
                kind,
                ServiceErrorKind::TooManyRequests | ServiceErrorKind::InternalError
            ),
            Self::InvalidEndpoint | Self::ClientSetup { .. } | Self::Request { .. } => false,
            _ => true,
        }
    }
}
