//! [`VerifyError`]: why a token was refused, one variant per check; and
//! [`JwksError`]: why the pool's key set could not be had.

use crate::transport::{ErrorClass, TransportError};

/// Longest piece of token text (an `alg`, a `kid`, a claim) kept in an
/// error, in characters.
const MAX_ECHO_CHARS: usize = 64;

/// Token text fit for one line: control characters dropped, at most
/// [`MAX_ECHO_CHARS`] characters.
pub(super) fn echo(text: &str) -> String {
    let mut out: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_ECHO_CHARS)
        .collect();
    if text
        .chars()
        .filter(|c| !c.is_control())
        .nth(MAX_ECHO_CHARS)
        .is_some()
    {
        out.push('…');
    }
    out
}

/// What is wrong with a token that is not a well-formed signed JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenProblem {
    /// Empty, or longer than the limit.
    Length,
    /// Not three `.`-separated base64url parts.
    Shape,
    /// A part is not base64url (without padding).
    Base64,
    /// The header is not a JSON object.
    Header,
    /// The payload is not a JSON object.
    Payload,
    /// The header has no `kid` string.
    MissingKid,
    /// The header's `typ` is present and not `JWT`.
    Type,
    /// The header has `crit` (extensions this verifier does not implement).
    Critical,
}

impl std::fmt::Display for TokenProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Length => "empty or longer than the limit",
            Self::Shape => "not three base64url parts",
            Self::Base64 => "a part is not base64url",
            Self::Header => "the header is not a JSON object",
            Self::Payload => "the payload is not a JSON object",
            Self::MissingKid => "the header has no kid",
            Self::Type => "the header's typ is not JWT",
            Self::Critical => "the header has crit extensions",
        })
    }
}

/// What is wrong with a JWKS document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwksProblem {
    /// Not a JSON object with a `keys` array.
    NotAKeySet,
    /// More keys than the limit.
    TooManyKeys,
    /// Larger than the limit, in bytes.
    TooLarge,
}

impl std::fmt::Display for JwksProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotAKeySet => "not a JSON key set",
            Self::TooManyKeys => "more keys than the limit",
            Self::TooLarge => "larger than the size limit",
        })
    }
}

/// Why the pool's JSON Web Key Set could not be fetched or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JwksError {
    /// The request failed: a timeout, a refused connection, a body over the
    /// size limit, an insecure or invalid URL (the transport's errors).
    #[error("could not fetch the JWKS")]
    Transport(#[source] TransportError),
    /// The server answered with a status other than 200.
    #[error("JWKS: HTTP {status}")]
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// The body is not a usable key set.
    #[error("JWKS: {problem}")]
    Invalid {
        /// What was wrong.
        problem: JwksProblem,
    },
}

impl JwksError {
    /// Whose the failure is: the caller's configuration (an invalid or
    /// insecure URL) or the network or server.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Transport(error) if error.class() == ErrorClass::Usage => ErrorClass::Usage,
            _ => ErrorClass::Fault,
        }
    }
}

/// Why a token was refused (or could not be checked).
///
/// `Display` is one line naming the failed check; it never contains the
/// token. Text taken from the token (`alg`, `kid`, claims) is cut to 64
/// printable characters.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a well-formed signed JWT.
    #[error("malformed token: {0}")]
    Malformed(TokenProblem),
    /// The header's `alg` is not `RS256` (`none`, `HS256`, …, or absent).
    #[error("unsupported algorithm {alg:?} (only RS256)")]
    UnsupportedAlgorithm {
        /// The `alg` of the header (empty when absent or not a string).
        alg: String,
    },
    /// No key of the pool's JWKS has the header's `kid`, even after a refetch.
    #[error("unknown signing key {kid:?}")]
    UnknownKey {
        /// The header's `kid`.
        kid: String,
    },
    /// The signature does not verify with the key `kid` names: the token was
    /// altered, or signed by someone else.
    #[error("bad signature")]
    BadSignature,
    /// A required claim is absent or has the wrong type.
    #[error("missing or invalid claim {claim}")]
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// `iss` is not the pool's issuer.
    #[error("wrong issuer {found:?} (expected {expected:?})")]
    WrongIssuer {
        /// The issuer this verifier expects.
        expected: String,
        /// The token's `iss`.
        found: String,
    },
    /// `token_use` is not the one expected (`id` or `access`).
    #[error("wrong token_use {found:?} (expected {expected})")]
    WrongTokenUse {
        /// What was expected: `id`, `access`, or `id or access`.
        expected: &'static str,
        /// The token's `token_use`.
        found: String,
    },
    /// `aud` (ID token) or `client_id` (access token) is not an allowed app
    /// client.
    #[error("wrong audience {found:?}: not an allowed client id")]
    WrongAudience {
        /// The token's `aud` or `client_id` (empty when absent).
        found: String,
    },
    /// `exp` plus the leeway is not after now.
    #[error("expired at {exp} (now {now}, leeway included)")]
    Expired {
        /// The token's `exp`, seconds since the Unix epoch.
        exp: i64,
        /// The verifier's clock, seconds since the Unix epoch.
        now: i64,
    },
    /// `iat` is later than now plus the leeway.
    #[error("issued in the future at {iat} (now {now})")]
    IssuedInFuture {
        /// The token's `iat`.
        iat: i64,
        /// The verifier's clock.
        now: i64,
    },
    /// `nbf` is later than now plus the leeway.
    #[error("not valid before {nbf} (now {now})")]
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// The verifier's clock.
        now: i64,
    },
    /// The pool's key set could not be had, so nothing was checked.
    #[error(transparent)]
    Jwks(#[from] JwksError),
}

impl VerifyError {
    /// A stable snake_case name of the failed check (`bad_signature`,
    /// `expired`, …), for logs, metrics and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            Self::UnknownKey { .. } => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::MissingClaim { .. } => "missing_claim",
            Self::WrongIssuer { .. } => "wrong_issuer",
            Self::WrongTokenUse { .. } => "wrong_token_use",
            Self::WrongAudience { .. } => "wrong_audience",
            Self::Expired { .. } => "expired",
            Self::IssuedInFuture { .. } => "issued_in_future",
            Self::NotYetValid { .. } => "not_yet_valid",
            Self::Jwks(_) => "jwks",
        }
    }

    /// Whose the failure is: the token was refused ([`ErrorClass::Refused`]),
    /// or the key set could not be had ([`JwksError::class`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Jwks(error) => error.class(),
            _ => ErrorClass::Refused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_text_is_printable_and_short() {
        assert_eq!(echo("a\u{1b}[31mb\n"), "a[31mb");
        let long = echo(&"k".repeat(100));
        assert_eq!(long.chars().count(), MAX_ECHO_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn classes() {
        assert_eq!(VerifyError::BadSignature.class(), ErrorClass::Refused);
        let jwks = VerifyError::from(JwksError::Status { status: 500 });
        assert_eq!((jwks.code(), jwks.class()), ("jwks", ErrorClass::Fault));
        let usage = JwksError::Transport(TransportError::InvalidEndpoint);
        assert_eq!(usage.class(), ErrorClass::Usage);
    }
}
