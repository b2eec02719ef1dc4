//! [`FlowError`]: why a login, an answer or a refresh did not complete.

use crate::error::SrpError;
use crate::transport::TransportError;
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
}
