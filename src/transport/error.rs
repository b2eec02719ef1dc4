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

/// Longest error code kept from a response, in characters.
const MAX_ERROR_CODE_CHARS: usize = 128;
/// Longest error message kept from a response, in characters.
const MAX_ERROR_MESSAGE_CHARS: usize = 512;
/// Longest request id kept from a response, in characters.
const MAX_REQUEST_ID_CHARS: usize = 128;

/// Server text fit for one terminal line: control characters (escape
/// sequences, newlines) dropped, at most `max` characters.
fn printable(text: &str, max: usize) -> String {
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(max).collect();
    if text.chars().filter(|c| !c.is_control()).nth(max).is_some() {
        out.push('…');
    }
    out
}

/// Whose a failure is; the CLI maps it to its exit codes
/// (see [`ErrorClass::exit_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// Cognito (or the flow on its behalf) said no: a wrong password, an
    /// unknown user, a wrong code, a rejected authenticator code, ….
    Refused,
    /// The caller's input or configuration is wrong: an invalid endpoint or
    /// region, an answer that does not fit the challenge, a missing user name.
    Usage,
    /// The network or the server failed: timeouts, failed connections,
    /// malformed responses, throttling, Cognito's internal errors.
    Fault,
}

impl ErrorClass {
    /// The CLI's exit code: 1 refused, 2 usage, 3 network or server fault.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Refused => 1,
            Self::Usage => 2,
            Self::Fault => 3,
        }
    }

    /// A stable snake_case name: `refused`, `usage`, `fault`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::Usage => "usage",
            Self::Fault => "fault",
        }
    }
}

impl From<ErrorClass> for u8 {
    fn from(class: ErrorClass) -> Self {
        class.exit_code()
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    ///
    /// Built by [`TransportError::service`], which makes the server's text printable.
    #[error("{code}: {message}")]
    Service {
        /// The operation Cognito refused.
        operation: Operation,
        /// Cognito's request id (`x-amzn-requestid`), when it sent one.
        request_id: Option<String>,
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
    /// A plain `http://` endpoint on a host that is not loopback: passwords
    /// (with `USER_PASSWORD_AUTH`), codes and tokens would travel in clear.
    /// Refused before any connection unless the builder opts in with
    /// `allow_insecure_http`.
    #[error(
        "plain http:// to {host}, which is not a loopback address: use https://, or opt in to clear text"
    )]
    InsecureEndpoint {
        /// The endpoint's host.
        host: String,
    },
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
    /// A service error from Cognito's code and message, the one constructor
    /// every transport uses: the code, message and request id are made
    /// printable (control characters such as escape sequences and newlines
    /// dropped, lengths capped) whatever the transport.
    pub fn service(
        operation: Operation,
        code: &str,
        message: &str,
        request_id: Option<&str>,
    ) -> Self {
        let code = printable(code, MAX_ERROR_CODE_CHARS);
        Self::Service {
            operation,
            request_id: request_id
                .map(|id| printable(id, MAX_REQUEST_ID_CHARS))
                .filter(|id| !id.is_empty()),
            kind: ServiceErrorKind::from_code(&code),
            message: printable(message, MAX_ERROR_MESSAGE_CHARS),
            code,
        }
    }

    /// Cognito's request id (`x-amzn-requestid`), when Cognito answered with an error carrying one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// A stable snake_case name for the variant (`service`, `timeout`,
    /// `connect`, …), for logs and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Service { .. } => "service",
            Self::Timeout { .. } => "timeout",
            Self::Connect { .. } => "connect",
            Self::Interrupted { .. } => "interrupted",
            Self::MalformedResponse { .. } => "malformed_response",
            Self::ResponseTooLarge { .. } => "response_too_large",
            Self::InvalidEndpoint => "invalid_endpoint",
            Self::InsecureEndpoint { .. } => "insecure_endpoint",
            Self::ClientSetup { .. } => "client_setup",
            Self::Request { .. } => "request",
        }
    }

    /// Whose the failure is: Cognito refused, the caller's configuration is
    /// wrong, or the network or server failed. See [`ErrorClass`].
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Service { kind, .. } => match kind {
                ServiceErrorKind::TooManyRequests | ServiceErrorKind::InternalError => {
                    ErrorClass::Fault
                }
                _ => ErrorClass::Refused,
            },
            Self::InvalidEndpoint | Self::InsecureEndpoint { .. } => ErrorClass::Usage,
            _ => ErrorClass::Fault,
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

    /// Whether Cognito refused the `Session` of a challenge answer: expired
    /// (a sign-in has about 3 minutes per step), already used, or not this
    /// user's — `NotAuthorizedException` "Invalid session for the user,
    /// session is expired." / "Invalid session for the user." / "Invalid
    /// session provided for the user.". The sign-in must start again.
    pub fn is_invalid_session(&self) -> bool {
        match self {
            Self::Service { kind, message, .. } => {
                *kind == ServiceErrorKind::NotAuthorized
                    && message.to_ascii_lowercase().starts_with("invalid session")
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expired_or_used_session_is_recognised() {
        let refused = |code: &str, message: &str| {
            TransportError::service(Operation::RespondToAuthChallenge, code, message, None)
        };
        for message in [
            "Invalid session for the user, session is expired.",
            "Invalid session for the user.",
            "Invalid session provided for the user.",
        ] {
            assert!(refused("NotAuthorizedException", message).is_invalid_session());
        }
        assert!(
            !refused("NotAuthorizedException", "Incorrect username or password.")
                .is_invalid_session()
        );
        assert!(!refused("InvalidParameterException", "Invalid session").is_invalid_session());
    }

    #[test]
    fn service_text_is_made_printable() {
        let long = "x".repeat(600);
        let error = TransportError::service(
            Operation::InitiateAuth,
            "Not\u{1b}[31mAuthorizedException",
            &format!("bad\npassword{long}"),
            Some("id-\r\n1"),
        );
        assert_eq!(error.service_code(), Some("Not[31mAuthorizedException"));
        assert_eq!(error.request_id(), Some("id-1"));
        let TransportError::Service { message, .. } = &error else {
            panic!("a service error")
        };
        assert!(message.starts_with("badpassword"));
        assert_eq!(message.chars().count(), MAX_ERROR_MESSAGE_CHARS + 1);
        assert_eq!(error.code(), "service");
        assert_eq!(error.class(), ErrorClass::Refused);
    }

    #[test]
    fn classes_match_the_cli_exit_codes() {
        let service = |code| TransportError::service(Operation::InitiateAuth, code, "", None);
        assert_eq!(service("NotAuthorizedException").class().exit_code(), 1);
        assert_eq!(service("ThrottlingException").class().exit_code(), 3);
        assert_eq!(service("InternalErrorException").class().exit_code(), 3);
        assert_eq!(TransportError::InvalidEndpoint.class().exit_code(), 2);
        let timeout = TransportError::Timeout {
            operation: Operation::InitiateAuth,
            source: None,
        };
        assert_eq!((timeout.code(), u8::from(timeout.class())), ("timeout", 3));
    }
}
