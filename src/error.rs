//! The core's error type: one variant per cause, each with a stable name.

use std::fmt;

/// A value of the protocol that an error can name.
///
/// `Display` gives the name Cognito uses on the wire (`SRP_B`, `SALT`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `SRP_B`, the server's public ephemeral value.
    SrpB,
    /// `SALT`, the user's (or device's) salt.
    Salt,
    /// `SECRET_BLOCK`, the server's opaque attempt token.
    SecretBlock,
    /// `USER_ID_FOR_SRP`, the internal user name the proof is computed for.
    UserIdForSrp,
    /// `USERNAME`.
    Username,
    /// `DEVICE_KEY`.
    DeviceKey,
    /// `DeviceGroupKey`: the "pool name" of device SRP.
    DeviceGroupKey,
    /// The device's random password.
    DevicePassword,
    /// `TIMESTAMP`.
    Timestamp,
    /// The app client id.
    ClientId,
}

impl Field {
    /// The parameter's name on the wire.
    pub const fn wire_name(self) -> &'static str {
        match self {
            Field::SrpB => "SRP_B",
            Field::Salt => "SALT",
            Field::SecretBlock => "SECRET_BLOCK",
            Field::UserIdForSrp => "USER_ID_FOR_SRP",
            Field::Username => "USERNAME",
            Field::DeviceKey => "DEVICE_KEY",
            Field::DeviceGroupKey => "DeviceGroupKey",
            Field::DevicePassword => "device password",
            Field::Timestamp => "TIMESTAMP",
            Field::ClientId => "ClientId",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

/// What is wrong with a user pool id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserPoolIdProblem {
    /// There is no `_` between region and id.
    MissingUnderscore,
    /// The region part is empty or has characters other than `a-z`, `0-9` and `-`.
    BadRegion,
    /// The id part is empty or has characters other than ASCII letters and digits.
    BadId,
    /// Longer than Cognito's 55 characters.
    TooLong,
}

impl fmt::Display for UserPoolIdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UserPoolIdProblem::MissingUnderscore => "expected <region>_<id>",
            UserPoolIdProblem::BadRegion => "the region part must be non-empty a-z, 0-9 and '-'",
            UserPoolIdProblem::BadId => "the id part must be non-empty ASCII letters and digits",
            UserPoolIdProblem::TooLong => "longer than 55 characters",
        })
    }
}

/// Everything the sans-IO core can refuse.
///
/// No variant carries a secret or an input value; each has a stable
/// snake_case [`name`](SrpError::name) that tests and vector files refer to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrpError {
    /// The server's `B` is congruent to 0 modulo `N`: answering would reveal
    /// nothing to an honest server and everything to a forger. `srp_b_mod_n_zero`.
    #[error("SRP_B is congruent to 0 modulo N; refusing to answer the challenge")]
    SrpBModNZero,
    /// `u = H(pad(A) ‖ pad(B))` is zero. `u_zero`.
    #[error("the scrambling parameter u = H(A, B) is zero; refusing to answer the challenge")]
    UZero,
    /// `A = g^a mod N` came out as 0 (the secret must be drawn again; never sent). `srp_a_mod_n_zero`.
    #[error("SRP_A = g^a is congruent to 0 modulo N")]
    SrpAModNZero,
    /// A required challenge parameter is absent. `missing_parameter`.
    #[error("challenge parameter {0} is missing")]
    MissingParameter(Field),
    /// A parameter is present but empty. `empty_parameter`.
    #[error("challenge parameter {0} is empty")]
    EmptyParameter(Field),
    /// A parameter that must be signed hexadecimal is not. `invalid_hex`.
    #[error("{0} is not hexadecimal")]
    InvalidHex(Field),
    /// A parameter that must be base64 is not. `invalid_base64`.
    #[error("{0} is not base64")]
    InvalidBase64(Field),
    /// A parameter is longer than any genuine one; refused before any arithmetic. `value_too_long`.
    #[error("{field} is {len} characters long, over the limit of {max}")]
    ValueTooLong {
        /// Which parameter.
        field: Field,
        /// Its length in characters.
        len: usize,
        /// The largest length accepted.
        max: usize,
    },
    /// The user pool id is not `<region>_<id>`. `invalid_user_pool_id`.
    #[error("invalid user pool id: {0}")]
    InvalidUserPoolId(UserPoolIdProblem),
    /// The app client id is empty or longer than 128 characters. `invalid_client_id`.
    #[error("invalid app client id: must be 1 to 128 characters")]
    InvalidClientId,
    /// A `TIMESTAMP` string is not in Cognito's `EEE MMM d HH:mm:ss UTC yyyy` form. `invalid_timestamp`.
    #[error("TIMESTAMP is not of the form `Tue Feb 3 07:08:09 UTC 2026`")]
    InvalidTimestamp,
    /// The random number generator failed. `randomness_unavailable`.
    #[error("the random number generator failed")]
    RandomnessUnavailable,
    /// HKDF refused to derive the session key (it cannot for 16 bytes; the
    /// error exists so nothing is ever signed or checked with a made-up key).
    /// `key_derivation_failed`.
    #[error("deriving the session key failed; nothing was signed")]
    KeyDerivation,
}

impl SrpError {
    /// The stable snake_case name of the cause, as used in vector files
    /// (`srp_b_mod_n_zero`, …).
    pub const fn name(&self) -> &'static str {
        match self {
            SrpError::SrpBModNZero => "srp_b_mod_n_zero",
            SrpError::UZero => "u_zero",
            SrpError::SrpAModNZero => "srp_a_mod_n_zero",
            SrpError::MissingParameter(_) => "missing_parameter",
            SrpError::EmptyParameter(_) => "empty_parameter",
            SrpError::InvalidHex(_) => "invalid_hex",
            SrpError::InvalidBase64(_) => "invalid_base64",
            SrpError::ValueTooLong { .. } => "value_too_long",
            SrpError::InvalidUserPoolId(_) => "invalid_user_pool_id",
            SrpError::InvalidClientId => "invalid_client_id",
            SrpError::InvalidTimestamp => "invalid_timestamp",
            SrpError::RandomnessUnavailable => "randomness_unavailable",
            SrpError::KeyDerivation => "key_derivation_failed",
        }
    }
}
