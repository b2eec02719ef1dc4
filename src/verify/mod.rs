//! Token verification (feature `verify`): a Cognito ID or access token
//! checked against the user pool's JWKS and the expected claims — what a
//! service that receives the tokens does before trusting them.
//!
//! * [`TokenVerifier`] (`verifier`): the checks, in one `verify` call.
//! * [`VerifierOptions`], [`TokenUse`] (`options`): allowed clients, token
//!   use, leeway, issuer.
//! * [`VerifiedClaims`] (`claims`): what a verified token says.
//! * [`JwksSource`] (`source`): where the key set comes from;
//!   [`HttpTransport`](crate::transport::HttpTransport) is one.
//! * `jwks`: the key set parsed, cached and refetched; `jwt`: the token's
//!   parts and header.
//! * [`VerifyError`], [`JwksError`] (`error`): one variant per failed check.
//!
//! [`Claims::decode_unverified`](crate::flow::Claims::decode_unverified)
//! only decodes; this verifies.

mod claims;
mod error;
mod jwks;
mod jwt;
mod options;
mod source;
mod verifier;

pub use claims::VerifiedClaims;
pub use error::{JwksError, JwksProblem, TokenProblem, VerifyError};
pub use jwks::{DEFAULT_MIN_REFETCH_INTERVAL, MAX_JWKS_KEYS};
pub use jwt::MAX_TOKEN_LEN;
pub use options::{DEFAULT_LEEWAY, TokenUse, UnknownTokenUse, VerifierOptions};
pub use source::{JwksSource, MAX_JWKS_BYTES};
pub use verifier::TokenVerifier;
