//! Errors as Cognito sends them: an HTTP status, a `__type` code and a message.

use std::fmt;

use crate::wire::AwsErrorBody;

/// A Cognito error code the local pool can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Wrong password, bad signature, bad `SECRET_HASH`, expired session, …
    NotAuthorized,
    /// No such user (the pool does not prevent user-existence errors).
    UserNotFound,
    /// A missing or malformed parameter.
    InvalidParameter,
    /// No such user pool or app client.
    ResourceNotFound,
    /// `X-Amz-Target` names no operation the pool knows.
    UnknownOperation,
    /// The body is not JSON, or a field has the wrong type.
    Serialization,
    /// A wrong MFA code.
    CodeMismatch,
    /// A new password breaks the password policy.
    InvalidPassword,
    /// `AdminCreateUser` for a name or alias that exists.
    UsernameExists,
    /// The pool's bounded state is full.
    LimitExceeded,
    /// Too many sign-ins in progress.
    TooManyRequests,
    /// The body is larger than 1 MiB.
    RequestTooLarge,
    /// A fault of the pool itself.
    InternalError,
    /// TOTP MFA was asked for a user who has not associated a token.
    SoftwareTokenMfaNotFound,
    /// The user's password must be reset first.
    PasswordResetRequired,
    /// `VerifySoftwareToken` got a wrong code.
    EnableSoftwareTokenMfa,
}

impl ErrorCode {
    /// The `__type` on the wire (`NotAuthorizedException`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotAuthorized => "NotAuthorizedException",
            ErrorCode::UserNotFound => "UserNotFoundException",
            ErrorCode::InvalidParameter => "InvalidParameterException",
            ErrorCode::ResourceNotFound => "ResourceNotFoundException",
            ErrorCode::UnknownOperation => "UnknownOperationException",
            ErrorCode::Serialization => "SerializationException",
            ErrorCode::CodeMismatch => "CodeMismatchException",
            ErrorCode::InvalidPassword => "InvalidPasswordException",
            ErrorCode::UsernameExists => "UsernameExistsException",
            ErrorCode::LimitExceeded => "LimitExceededException",
            ErrorCode::TooManyRequests => "TooManyRequestsException",
            ErrorCode::RequestTooLarge => "RequestEntityTooLargeException",
            ErrorCode::InternalError => "InternalErrorException",
            ErrorCode::SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException",
            ErrorCode::PasswordResetRequired => "PasswordResetRequiredException",
            ErrorCode::EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
        }
    }

    /// The HTTP status Cognito uses for the code.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::RequestTooLarge => 413,
            ErrorCode::InternalError => 500,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer of the pool: a code and a fixed message that never
/// echoes a secret (a password, a code, a token, a signature).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct PoolError {
    code: ErrorCode,
    message: String,
}

impl PoolError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The JSON body Cognito sends.
    pub fn to_body(&self) -> AwsErrorBody {
        AwsErrorBody::new(self.code.as_str(), &self.message)
    }

    pub(crate) fn incorrect_password() -> Self {
        Self::new(ErrorCode::NotAuthorized, "Incorrect username or password.")
    }

    pub(crate) fn user_not_found() -> Self {
        Self::new(ErrorCode::UserNotFound, "User does not exist.")
    }

    pub(crate) fn missing(parameter: &str) -> Self {
        Self::new(
            ErrorCode::InvalidParameter,
            format!("Missing required parameter {parameter}"),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidParameter, message)
    }

    pub(crate) fn expired_session() -> Self {
        Self::new(
            ErrorCode::NotAuthorized,
            "Invalid session for the user, session is expired.",
        )
    }

    pub(crate) fn internal() -> Self {
        Self::new(ErrorCode::InternalError, "Internal server error.")
    }
}

/// Why the local pool could not start or stop.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocalPoolError {
    /// The listen address is not a loopback address and remote access was not allowed.
    #[error("refusing to listen on non-loopback address {0}: remote access was not allowed")]
    NotLoopback(std::net::SocketAddr),
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
        source: PoolError,
    },
    /// The operating system's random number generator failed.
    #[error("the random number generator failed")]
    Randomness,
    /// The server task ended abnormally.
    #[error("the server task failed")]
    Task,
}
