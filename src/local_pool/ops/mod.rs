//! The pool's operations over [`super::state`]: sign-in (`InitiateAuth`,
//! `RespondToAuthChallenge`) with the one SRP challenge/claim path for user
//! and device SRP ([`srp`]), choice-based sign-in ([`user_auth`]), what
//! follows a correct password ([`next_step`]), the device operations, the admin operations and MFA
//! policy, and the software token. Operations use state; state never uses
//! operations.

use super::error::ErrorReply;
use crate::wire::ParameterMap;

pub(crate) mod admin;
pub(crate) mod devices;
pub(crate) mod next_step;
pub(crate) mod sign_in;
pub(crate) mod software_token;
pub(crate) mod srp;
pub(crate) mod tokens;
pub(crate) mod user_auth;

/// An empty JSON object, the answer of calls that return nothing.
#[derive(serde::Serialize)]
pub(crate) struct Empty {}

/// The parameter `name` of `params`, or `InvalidParameterException: Missing
/// required parameter <name>`.
pub(crate) fn required<'a>(params: &'a ParameterMap, name: &str) -> Result<&'a String, ErrorReply> {
    params.get(name).ok_or_else(|| ErrorReply::missing(name))
}
