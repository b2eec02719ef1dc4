//! What an SRP case gives: who is proving (a user or a device) and the
//! exchange's inputs.

use serde_json::Value;

use super::checks::Checks;
use crate::error::SrpError;
use crate::secret::{Password, SecretInteger};
use crate::srp::{PasswordVerifierChallenge, UserPoolId};

/// Who is proving what: the user (pool name, USER_ID_FOR_SRP, password) or a
/// device (group key, device key, device password).
pub(super) struct Identity<'a> {
    pub(super) pool_name: String,
    pub(super) user_id: &'a str,
    pub(super) password: Password,
    pub(super) user_pool_id: Option<UserPoolId>,
    /// A device: run the session path through `DeviceSrpSession`.
    pub(super) device: bool,
}

pub(super) fn user_identity<'a>(checks: &mut Checks<'a>) -> Option<Identity<'a>> {
    let user_pool_id = match checks.case.get("user_pool_id").and_then(Value::as_str) {
        Some(text) => match UserPoolId::parse(text) {
            Ok(id) => Some(id),
            Err(error) => {
                checks.fail("user_pool_id", format!("refused: {error}"));
                return None;
            }
        },
        None => None,
    };
    let pool_name = match (
        &user_pool_id,
        checks.case.get("pool_name").and_then(Value::as_str),
    ) {
        (Some(id), Some(name)) if id.pool_name() != name => {
            checks.fail("pool_name", format!("{name} is not the pool name of {id}"));
            return None;
        }
        (Some(id), _) => id.pool_name().to_owned(),
        (None, _) => checks.text("pool_name")?.to_owned(),
    };
    Some(Identity {
        pool_name,
        user_id: checks.text("user_id_for_srp")?,
        password: Password::new(checks.text("password")?),
        user_pool_id,
        device: false,
    })
}

pub(super) fn device_identity<'a>(checks: &mut Checks<'a>) -> Option<Identity<'a>> {
    Some(Identity {
        pool_name: checks.text("device_group_key")?.to_owned(),
        user_id: checks.text("device_key")?,
        password: Password::new(checks.text("random_password")?),
        user_pool_id: None,
        device: true,
    })
}

/// The inputs of an SRP case (valid or invalid).
pub(super) struct Inputs<'a> {
    pub(super) a: SecretInteger,
    pub(super) srp_b: &'a str,
    pub(super) salt: &'a str,
    pub(super) secret_block: &'a str,
    pub(super) timestamp: &'a str,
}

impl Inputs<'_> {
    /// The challenge these inputs describe, for the user (or device) `user_id`.
    pub(super) fn challenge(&self, user_id: &str) -> Result<PasswordVerifierChallenge, SrpError> {
        PasswordVerifierChallenge::new(self.srp_b, self.salt, self.secret_block, user_id)
    }
}

pub(super) fn inputs<'a>(checks: &mut Checks<'a>) -> Option<Inputs<'a>> {
    let (Some(a_hex), Some(srp_b), Some(salt), Some(secret_block), Some(timestamp)) = (
        checks.text("a"),
        checks.text("srp_b"),
        checks.text("salt"),
        checks.text("secret_block"),
        checks.text("timestamp"),
    ) else {
        return None;
    };
    let Some(a) = SecretInteger::from_hex(a_hex) else {
        checks.fail("a", "not hex");
        return None;
    };
    Some(Inputs {
        a,
        srp_b,
        salt,
        secret_block,
        timestamp,
    })
}

/// Reads who is proving from a case.
pub(super) type IdentityReader = for<'a> fn(&mut Checks<'a>) -> Option<Identity<'a>>;
