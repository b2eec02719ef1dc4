//! [`PasswordVerifierChallenge`]: Cognito's `PASSWORD_VERIFIER` challenge
//! parameters, validated on parse.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::secret_block::SecretBlock;
use super::{MAX_NAME_LEN, MAX_SIGNED_HEX_DIGITS};
use crate::error::{Field, SrpError};
use crate::math::SrpInteger;

/// Where challenge parameters can be looked up by name: Cognito's
/// `ChallengeParameters` as a `HashMap`, a `BTreeMap`, or your own type.
pub trait ChallengeParameterSource {
    /// The value of parameter `name`, if present.
    fn parameter(&self, name: &str) -> Option<&str>;
}

impl ChallengeParameterSource for HashMap<String, String> {
    fn parameter(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl ChallengeParameterSource for BTreeMap<String, String> {
    fn parameter(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl ChallengeParameterSource for [(&str, &str)] {
    fn parameter(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| *value)
    }
}

/// A validated `PASSWORD_VERIFIER` (or `DEVICE_PASSWORD_VERIFIER`) challenge.
///
/// Parsing refuses, with a typed [`SrpError`], every value the client must
/// not sign over: missing or empty parameters, non-hex `SRP_B`/`SALT`,
/// oversized values (checked before any arithmetic), a `SECRET_BLOCK` that is
/// not base64, and `B ≡ 0 (mod N)`.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordVerifierChallenge {
    srp_b: SrpInteger,
    salt: SrpInteger,
    secret_block: SecretBlock,
    user_id_for_srp: String,
    username: Option<String>,
}

/// The parameter named by `field`, or [`SrpError::MissingParameter`].
fn required_parameter<P: ChallengeParameterSource + ?Sized>(
    params: &P,
    field: Field,
) -> Result<&str, SrpError> {
    params
        .parameter(field.wire_name())
        .ok_or(SrpError::MissingParameter(field))
}

impl PasswordVerifierChallenge {
    /// Parses `ChallengeParameters`: `SRP_B`, `SALT`, `SECRET_BLOCK` and
    /// `USER_ID_FOR_SRP` are required, `USERNAME` is optional.
    ///
    /// A device challenge (`DEVICE_PASSWORD_VERIFIER`) has no `USER_ID_FOR_SRP`;
    /// use [`from_device_parameters`](Self::from_device_parameters) for it.
    pub fn from_parameters<P: ChallengeParameterSource + ?Sized>(
        params: &P,
    ) -> Result<Self, SrpError> {
        let required = |field: Field| required_parameter(params, field);
        let srp_b = required(Field::SrpB)?;
        let salt = required(Field::Salt)?;
        let secret_block = required(Field::SecretBlock)?;
        let user_id = required(Field::UserIdForSrp)?;
        let username = params.parameter(Field::Username.wire_name());
        let mut challenge = Self::new(srp_b, salt, secret_block, user_id)?;
        if let Some(username) = username {
            challenge.username = Some(checked_name(Field::Username, username)?.to_owned());
        }
        Ok(challenge)
    }

    /// Parses a `DEVICE_PASSWORD_VERIFIER` challenge: `SRP_B`, `SALT`,
    /// `SECRET_BLOCK` required, `USERNAME` (the internal user name) required.
    pub fn from_device_parameters<P: ChallengeParameterSource + ?Sized>(
        params: &P,
    ) -> Result<Self, SrpError> {
        let required = |field: Field| required_parameter(params, field);
        let (srp_b, salt) = (required(Field::SrpB)?, required(Field::Salt)?);
        let secret_block = required(Field::SecretBlock)?;
        let username = required(Field::Username)?;
        Self::build(srp_b, salt, secret_block, Field::Username, username)
    }

    /// Builds a challenge from its four values, validating each as
    /// [`from_parameters`](Self::from_parameters) does.
    pub fn new(
        srp_b: &str,
        salt: &str,
        secret_block: &str,
        user_id_for_srp: &str,
    ) -> Result<Self, SrpError> {
        Self::build(
            srp_b,
            salt,
            secret_block,
            Field::UserIdForSrp,
            user_id_for_srp,
        )
    }

    /// Validates the four values; `user_field` names the user id in errors
    /// (`USER_ID_FOR_SRP`, or `USERNAME` for a device challenge).
    fn build(
        srp_b: &str,
        salt: &str,
        secret_block: &str,
        user_field: Field,
        user_id_for_srp: &str,
    ) -> Result<Self, SrpError> {
        let srp_b = signed_hex(Field::SrpB, srp_b)?;
        let salt = signed_hex(Field::Salt, salt)?;
        let user_id_for_srp = checked_name(user_field, user_id_for_srp)?.to_owned();
        let secret_block = SecretBlock::decode(secret_block)?;
        if srp_b.is_zero_mod_n() {
            return Err(SrpError::SrpBModNZero);
        }
        Ok(Self {
            srp_b,
            salt,
            secret_block,
            user_id_for_srp,
            username: None,
        })
    }

    /// `B`, the server's public ephemeral value (never ≡ 0 mod N).
    pub fn srp_b(&self) -> &SrpInteger {
        &self.srp_b
    }

    /// The salt, a signed integer.
    pub fn salt(&self) -> &SrpInteger {
        &self.salt
    }

    /// `SECRET_BLOCK`.
    pub fn secret_block(&self) -> &SecretBlock {
        &self.secret_block
    }

    /// `USER_ID_FOR_SRP`: the internal user name the proof is computed for.
    pub fn user_id_for_srp(&self) -> &str {
        &self.user_id_for_srp
    }

    /// `USERNAME`, when the challenge carried one.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The name the answer's `USERNAME` (and its `SECRET_HASH`) carries: the
    /// challenge's `USERNAME` when present, else `USER_ID_FOR_SRP`.
    pub fn answer_username(&self) -> &str {
        self.username.as_deref().unwrap_or(&self.user_id_for_srp)
    }
}

impl fmt::Debug for PasswordVerifierChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordVerifierChallenge")
            .field("srp_b", &self.srp_b)
            .field("salt", &self.salt)
            .field("secret_block", &self.secret_block)
            .field("user_id_for_srp", &self.user_id_for_srp)
            .field("username", &self.username)
            .finish()
    }
}

fn signed_hex(field: Field, text: &str) -> Result<SrpInteger, SrpError> {
    let digits = text.strip_prefix('-').unwrap_or(text).len();
    if digits > MAX_SIGNED_HEX_DIGITS {
        return Err(SrpError::ValueTooLong {
            field,
            len: text.len(),
            max: MAX_SIGNED_HEX_DIGITS,
        });
    }
    if text.is_empty() {
        return Err(SrpError::EmptyParameter(field));
    }
    SrpInteger::parse(text).map_err(|_| SrpError::InvalidHex(field))
}

pub(crate) fn checked_name(field: Field, value: &str) -> Result<&str, SrpError> {
    if value.is_empty() {
        return Err(SrpError::EmptyParameter(field));
    }
    if value.len() > MAX_NAME_LEN {
        return Err(SrpError::ValueTooLong {
            field,
            len: value.len(),
            max: MAX_NAME_LEN,
        });
    }
    Ok(value)
}
