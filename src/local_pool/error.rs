//! Errors as Cognito sends them ([`ErrorReply`]: an HTTP status, a `__type`
//! code from the one table [`ServiceErrorKind`] and a message), and why the
//! pool could not start ([`LocalPoolError`]).

use crate::wire::{AwsErrorBody, ServiceErrorKind};

/// An error answer of the pool: a code and a fixed message that never
/// echoes a secret (a password, a code, a token, a signature).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct ErrorReply {
    kind: ServiceErrorKind,
    message: String,
}

impl ErrorReply {
    /// An error of `kind` with `message`.
    pub fn new(kind: ServiceErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind (its [`code`](ServiceErrorKind::code) is the `__type`).
    pub fn kind(&self) -> &ServiceErrorKind {
        &self.kind
    }

    /// The `__type` on the wire (`NotAuthorizedException`, …).
    pub fn code(&self) -> &str {
        self.kind.code()
    }

    /// The HTTP status Cognito answers with.
    pub fn http_status(&self) -> u16 {
        self.kind.http_status()
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The JSON body Cognito sends.
    pub fn to_body(&self) -> AwsErrorBody {
        AwsErrorBody::new(self.kind.code(), &self.message)
    }

    pub(crate) fn incorrect_password() -> Self {
        Self::new(
            ServiceErrorKind::NotAuthorized,
            "Incorrect username or password.",
        )
    }

    pub(crate) fn user_not_found() -> Self {
        Self::new(ServiceErrorKind::UserNotFound, "User does not exist.")
    }

    pub(crate) fn missing(parameter: &str) -> Self {
        Self::new(
            ServiceErrorKind::InvalidParameter,
            format!("Missing required parameter {parameter}"),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(ServiceErrorKind::InvalidParameter, message)
    }

    pub(crate) fn expired_session() -> Self {
        Self::new(
            ServiceErrorKind::NotAuthorized,
            "Invalid session for the user, session is expired.",
        )
    }

    pub(crate) fn internal() -> Self {
        Self::new(ServiceErrorKind::InternalError, "Internal server error.")
    }
}

/// Why the local pool could not start or stop.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocalPoolError {
    /// The listen address is not a loopback address and remote access was not allowed.
    #[error("refusing to listen on non-loopback address {0}: remote access was not allowed")]
    NotLoopback(std::net::SocketAddr),
    /// A name given to
    /// [`LocalPoolBuilder::allowed_host`](super::LocalPoolBuilder::allowed_host)
    /// is not `NAME` or `NAME:PORT` (a host name, an IPv4 literal or a
    /// bracketed IPv6 literal; a port 1–65535).
    #[error("invalid allowed host {0:?}: want NAME or NAME:PORT (IPv6 in brackets)")]
    InvalidAllowedHost(String),
    /// Binding or serving the socket failed.
    #[error("could not listen")]
    Io(#[source] std::io::Error),
    /// The RSA signing key could not be made.
    #[error("could not create the token signing key")]
    SigningKey,
    /// A seeded user is invalid (duplicate name, bad password, …).
    #[error("invalid seed user {username:?}")]
    SeedUser {
        /// The user name given.
        username: String,
        /// What Cognito would have answered.
        #[source]
        source: ErrorReply,
    },
    /// The operating system's random number generator failed.
    #[error("the random number generator failed")]
    Randomness,
    /// The server task ended abnormally.
    #[error("the server task failed")]
    Task,
}

/// A client-supplied id made safe to echo in a message: at most 128
/// characters, control characters dropped.
pub(crate) fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(128).collect()
}
