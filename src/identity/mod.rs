//! AWS credentials for a signed-in user from a Cognito identity pool
//! (feature `identity`): the ID token is exchanged with Cognito Identity's
//! `GetId` and `GetCredentialsForIdentity` for temporary AWS credentials, as
//! Amplify and the .NET extension do.
//!
//! * [`IdentityPoolClient`]: the two operations over the `http` transport's
//!   machinery (the same limits, bounded retries and [`TransportError`]s),
//!   on `https://cognito-identity.<region>.amazonaws.com/`.
//! * [`AwsCredentials`]: the credentials, with
//!   [`to_credential_process_json`](AwsCredentials::to_credential_process_json)
//!   for the AWS CLI's and SDKs' `credential_process`.
//! * [`CredentialsCache`]: reuses credentials until shortly
//!   ([`REFRESH_MARGIN`]) before they expire.
//! * [`logins_key`]: the `Logins` key of a user pool,
//!   `cognito-idp.<region>.amazonaws.com/<user pool id>`.
//! * With feature `aws-credentials`, [`IdentityPoolCredentialsProvider`]
//!   implements the AWS SDK for Rust's `ProvideCredentials`, so an
//!   `aws-sdk-*` client runs as the Cognito user.
//!
//! [`TransportError`]: crate::transport::TransportError

mod cache;
mod client;
mod credentials;
mod logins;
#[cfg(feature = "aws-credentials")]
mod provider;
mod token_source;

pub use cache::{CredentialsCache, REFRESH_MARGIN};
pub use client::IdentityPoolClient;
pub use credentials::{AwsCredentials, CredentialProcessError};
pub use logins::{identity_pool_region, logins_key, logins_map};
#[cfg(feature = "aws-credentials")]
pub use provider::IdentityPoolCredentialsProvider;
pub use token_source::{IdTokenFuture, IdTokenSource, StaticIdToken};
