//! [`ServiceErrorKind`]: the one table of Cognito's error codes, read by the
//! client transports (`__type` → kind) and written by the local pool
//! (kind → `__type` and HTTP status).

use std::fmt;

macro_rules! error_codes {
    (
        $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $status:literal $(| $alias:literal)*; )*
    ) => {
        /// What kind of error Cognito returned, from its error code (`__type`).
        ///
        /// Matchable without string comparisons; codes this crate does not
        /// name are kept verbatim in [`Other`](ServiceErrorKind::Other).
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ServiceErrorKind {
            $( $(#[$vmeta])* $variant, )*
            /// Any other code, verbatim (namespace prefix removed).
            Other(String),
        }

        impl ServiceErrorKind {
            /// The kind for an error code such as `NotAuthorizedException`.
            pub fn from_code(code: &str) -> Self {
                match code {
                    $( $code $(| $alias)* => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The code on the wire (`NotAuthorizedException`, …).
            pub fn code(&self) -> &str {
                match self {
                    $( Self::$variant => $code, )*
                    Self::Other(code) => code,
                }
            }

            /// The HTTP status Cognito answers with for this code (400 for
            /// an unknown one).
            pub fn http_status(&self) -> u16 {
                match self {
                    $( Self::$variant => $status, )*
                    Self::Other(_) => 400,
                }
            }
        }
    };
}

error_codes! {
    /// `NotAuthorizedException`: wrong password, disabled user, bad
    /// `SECRET_HASH`, expired session or refresh token, flow not enabled, ….
    NotAuthorized => "NotAuthorizedException", 400;
    /// `UserNotFoundException` (only when the pool reveals it).
    UserNotFound => "UserNotFoundException", 400;
    /// `UserNotConfirmedException`: the user has not confirmed the sign-up.
    UserNotConfirmed => "UserNotConfirmedException", 400;
    /// `PasswordResetRequiredException`: an administrator reset the password.
    PasswordResetRequired => "PasswordResetRequiredException", 400;
    /// `TooManyRequestsException` (or `ThrottlingException`): slow down.
    TooManyRequests => "TooManyRequestsException", 400 | "ThrottlingException";
    /// `InvalidParameterException`: a request parameter is wrong or missing.
    InvalidParameter => "InvalidParameterException", 400;
    /// `ResourceNotFoundException`: no such user pool, app client or device.
    ResourceNotFound => "ResourceNotFoundException", 400;
    /// `CodeMismatchException`: a wrong MFA or verification code.
    CodeMismatch => "CodeMismatchException", 400;
    /// `ExpiredCodeException`: the code has expired.
    ExpiredCode => "ExpiredCodeException", 400;
    /// `InvalidPasswordException`: a new password breaks the pool's policy.
    InvalidPassword => "InvalidPasswordException", 400;
    /// `UsernameExistsException`: the user name or alias is taken.
    UsernameExists => "UsernameExistsException", 400;
    /// `LimitExceededException`: a per-user or per-pool limit is reached.
    LimitExceeded => "LimitExceededException", 400;
    /// `SoftwareTokenMFANotFoundException`: TOTP asked for a user without a token.
    SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException", 400;
    /// `EnableSoftwareTokenMFAException`: a wrong code when verifying a TOTP token.
    EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException", 400;
    /// `UnknownOperationException`: `X-Amz-Target` names no operation.
    UnknownOperation => "UnknownOperationException", 400;
    /// `SerializationException`: the body is not JSON, or a field has the wrong type.
    Serialization => "SerializationException", 400;
    /// `RequestEntityTooLargeException`: the request body is too large.
    RequestTooLarge => "RequestEntityTooLargeException", 413;
    /// `RefreshTokenReuseException`: a rotated-out refresh token used again
    /// after the grace period.
    RefreshTokenReuse => "RefreshTokenReuseException", 400;
    /// `ForbiddenException`: AWS WAF blocked the request.
    Forbidden => "ForbiddenException", 403;
    /// `UnauthorizedException`: `RevokeToken` with a wrong client or secret.
    Unauthorized => "UnauthorizedException", 400;
    /// `UnsupportedOperationException`: e.g. `RevokeToken` on a client
    /// without token revocation.
    UnsupportedOperation => "UnsupportedOperationException", 400;
    /// `UnsupportedTokenTypeException`: `RevokeToken` given a token it cannot revoke.
    UnsupportedTokenType => "UnsupportedTokenTypeException", 400;
    /// `InvalidUserPoolConfigurationException`: the pool is not set up for the request.
    InvalidUserPoolConfiguration => "InvalidUserPoolConfigurationException", 400;
    /// `UnexpectedLambdaException`: a Lambda trigger failed.
    UnexpectedLambda => "UnexpectedLambdaException", 400;
    /// `InvalidLambdaResponseException`: a Lambda trigger answered wrongly.
    InvalidLambdaResponse => "InvalidLambdaResponseException", 400;
    /// `UserLambdaValidationException`: a Lambda trigger refused the request.
    UserLambdaValidation => "UserLambdaValidationException", 400;
    /// `InternalErrorException`: a fault inside Cognito.
    InternalError => "InternalErrorException", 500;
}

impl fmt::Display for ServiceErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_code_round_trips() {
        for kind in [
            ServiceErrorKind::NotAuthorized,
            ServiceErrorKind::TooManyRequests,
            ServiceErrorKind::RequestTooLarge,
            ServiceErrorKind::EnableSoftwareTokenMfa,
            ServiceErrorKind::InternalError,
        ] {
            assert_eq!(ServiceErrorKind::from_code(kind.code()), kind);
        }
        assert_eq!(
            ServiceErrorKind::from_code("ThrottlingException"),
            ServiceErrorKind::TooManyRequests
        );
        assert_eq!(
            ServiceErrorKind::from_code("SomethingNewException"),
            ServiceErrorKind::Other("SomethingNewException".into())
        );
        assert_eq!(ServiceErrorKind::RequestTooLarge.http_status(), 413);
        assert_eq!(ServiceErrorKind::InternalError.http_status(), 500);
        assert_eq!(ServiceErrorKind::NotAuthorized.http_status(), 400);
    }
}
