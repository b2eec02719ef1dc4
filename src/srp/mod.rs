//! The sans-IO SRP core: no I/O, no async, no clock, no global RNG.
//!
//! Randomness comes in as a [`rand_core::TryCryptoRng`] and time as a
//! [`CognitoTimestamp`]; the `start`/`now` conveniences are thin sugar over
//! the operating system's RNG and clock. [`ServerChallenge`] and
//! [`ServerSession`] are the other side (the local pool's).

mod challenge;
mod device;
mod device_credentials;
mod device_verifier;
mod ephemeral;
mod ids;
pub mod param;
mod parameters;
mod secret_block;
mod secret_hash;
mod server;
pub mod steps;
mod timestamp;
mod user;

pub use challenge::{ChallengeParameterSource, PasswordVerifierChallenge};
pub use device::{DeviceSrpAuthResponses, DeviceSrpSession, DeviceSrpStart};
pub use device_credentials::DeviceCredentials;
pub use device_verifier::{
    DEVICE_PASSWORD_BYTES, DEVICE_SALT_BYTES, DeviceSecretVerifierConfig, device_secret_verifier,
};
pub use ephemeral::EPHEMERAL_SECRET_LEN;
pub use ids::{ClientId, UserPoolId};
pub use parameters::{AuthParameters, ChallengeResponses};
pub use secret_block::{MAX_SECRET_BLOCK_LEN, SecretBlock};
pub use secret_hash::secret_hash;
pub use server::{ClaimError, PasswordVerifier, SALT_LEN, ServerChallenge, ServerSession};
pub use timestamp::CognitoTimestamp;
pub use user::{SrpClient, SrpSession, SrpStart, StartOptions};

/// The longest `SRP_B` or `SALT` accepted, in hex digits: twice `N`'s 768.
pub const MAX_SIGNED_HEX_DIGITS: usize = 2 * 768;

/// The longest `USER_ID_FOR_SRP`, `USERNAME` or `DEVICE_KEY` accepted, in bytes.
/// Cognito's own limit is 128 characters.
pub const MAX_NAME_LEN: usize = 1024;
