//! [`FlowError`]: why a login, an answer or a refresh did not complete.

use crate::error::SrpError;
use crate::transport::{ErrorClass, TransportError};
use crate::wire::ServiceErrorKind;
use crate::wire::{ChallengeName, Operation};

/// Why a login, an answer or a refresh failed.
///
/// A refusal by Cognito is [`FlowError::Transport`] with a
/// [`TransportError::Service`] inside; [`service_kind`](Self::service_kind)
/// and [`service_code`](Self::service_code) reach it directly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FlowError {
    /// The transport failed or Cognito refused (`NotAuthorizedException: …`).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The SRP core refused an input: a bad user name or a challenge it must
    /// not answer (`SRP_B ≡ 0`, malformed `SALT`, …).
    #[error("the SRP computation refused its input")]
    Srp(#[source] SrpError),
    /// A response had neither tokens nor a challenge.
    #[error("{operation}: the response has neither tokens nor a challenge")]
    IncompleteResponse {
        /// The operation.
        operation: Operation,
    },
    /// A response lacked a field the step needs (`SecretCode`, …).
    #[error("{operation}: the response lacks {field}")]
    MissingField {
        /// The operation.
        operation: Operation,
        /// The field's wire name.
        field: &'static str,
    },
    /// Cognito asked an unexpected challenge where the flow answers on its own
    /// (for example not `PASSWORD_VERIFIER` after `SELECT_CHALLENGE`).
    #[error("expected challenge {expected}, got {actual}")]
    UnexpectedChallenge {
        /// What the flow expected.
        expected: ChallengeName,
        /// What Cognito sent.
        actual: ChallengeName,
    },
    /// The answer does not fit the challenge (a code for `NEW_PASSWORD_REQUIRED`, …).
    #[error("that kind of answer does not fit challenge {challenge}")]
    AnswerMismatch {
        /// The challenge.
        challenge: ChallengeName,
    },
    /// `VerifySoftwareToken` answered `ERROR`: the TOTP code was wrong.
    #[error("the authenticator code was not accepted")]
    SoftwareTokenRejected,
    /// A refresh for an app client with a secret needs the internal user name.
    #[error("refreshing for an app client with a secret needs the internal user name")]
    UsernameRequired,
    /// The tokens carry no refresh token.
    #[error("no refresh token")]
    NoRefreshToken,
}

impl From<SrpError> for FlowError {
    fn from(error: SrpError) -> Self {
        Self::Srp(error)
    }
}

impl FlowError {
    /// The transport error, if that is what failed.
    pub fn transport(&self) -> Option<&TransportError> {
        match self {
            Self::Transport(error) => Some(error),
            _ => None,
        }
    }

    /// Cognito's error kind, when Cognito refused.
    pub fn service_kind(&self) -> Option<&ServiceErrorKind> {
        self.transport().and_then(TransportError::service_kind)
    }

    /// Cognito's error code (`NotAuthorizedException`, …), when Cognito refused.
    pub fn service_code(&self) -> Option<&str> {
        self.transport().and_then(TransportError::service_code)
    }

    /// Whether Cognito refused the challenge's `Session` (expired, already
    /// used): see [`TransportError::is_invalid_session`]. Sign in again.
    pub fn is_invalid_session(&self) -> bool {
        self.transport()
            .is_some_and(TransportError::is_invalid_session)
    }

    /// A stable snake_case name for the failure (`srp`, `missing_field`, …);
    /// a transport failure gives the transport's name (`service`, `timeout`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Transport(error) => error.code(),
            Self::Srp(_) => "srp",
            Self::IncompleteResponse { .. } => "incomplete_response",
            Self::MissingField { .. } => "missing_field",
            Self::UnexpectedChallenge { .. } => "unexpected_challenge",
            Self::AnswerMismatch { .. } => "answer_mismatch",
            Self::SoftwareTokenRejected => "software_token_rejected",
            Self::UsernameRequired => "username_required",
            Self::NoRefreshToken => "no_refresh_token",
        }
    }

    /// Whose the failure is (see [`ErrorClass`]): a transport failure is
    /// classed by [`TransportError::class`]; a response the flow cannot use
    /// or an SRP refusal is a fault; an answer that does not fit, or a
    /// missing user name, is a usage error; a rejected authenticator code or
    /// a missing refresh token is a refusal.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Transport(error) => error.class(),
            Self::Srp(_)
            | Self::IncompleteResponse { .. }
            | Self::MissingField { .. }
            | Self::UnexpectedChallenge { .. } => ErrorClass::Fault,
            Self::UsernameRequired | Self::AnswerMismatch { .. } => ErrorClass::Usage,
            Self::SoftwareTokenRejected | Self::NoRefreshToken => ErrorClass::Refused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_classes() {
        let refused = FlowError::from(TransportError::service(
            Operation::InitiateAuth,
            "NotAuthorizedException",
            "Incorrect username or password.",
            Some("req-1"),
        ));
        assert_eq!(
            (refused.code(), refused.class()),
            ("service", ErrorClass::Refused)
        );
        assert_eq!(refused.class().exit_code(), 1);
        assert_eq!(FlowError::UsernameRequired.class().exit_code(), 2);
        let missing = FlowError::MissingField {
            operation: Operation::AssociateSoftwareToken,
            field: "SecretCode",
        };
        assert_eq!(
            (missing.code(), missing.class().exit_code()),
            ("missing_field", 3)
        );
        assert_eq!(
            FlowError::SoftwareTokenRejected.class(),
            ErrorClass::Refused
        );
        assert_eq!(
            FlowError::from(TransportError::InvalidEndpoint).class(),
            ErrorClass::Usage
        );
    }
}
