//! The pool's operations over [`super::state`]: sign-in (`InitiateAuth`,
//! `RespondToAuthChallenge`) with the one SRP challenge/claim path for user
//! and device SRP ([`srp`]), choice-based sign-in ([`user_auth`]), what
//! follows a correct password ([`next_step`]), the device operations, the admin operations and MFA
//! policy, and the software token. Operations use state; state never uses
//! operations.

use super::config::AppClient;
use super::error::ErrorReply;
use super::state::pool::PoolState;
use super::state::sessions::ChallengeSession;
use super::state::users::User;
use crate::wire::ParameterMap;

pub(crate) mod admin;
pub(crate) mod devices;
pub(crate) mod identity;
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

/// The user a password or code sign-in names: an unknown one is
/// `UserNotFoundException`, or, when the app client prevents user-existence
/// errors, the wrong-password answer.
pub(crate) fn sign_in_user(
    pool: &PoolState,
    client: &AppClient,
    username: &str,
) -> Result<User, ErrorReply> {
    pool.users
        .find(username)
        .ok_or_else(|| match client.prevents_user_existence_errors() {
            true => ErrorReply::incorrect_password(),
            false => ErrorReply::user_not_found(),
        })
}

/// The user a challenge `session` belongs to, when the answer's `USERNAME`
/// names that user (else the wrong-password answer).
pub(crate) fn session_user(
    pool: &PoolState,
    session: &ChallengeSession,
    username: &str,
) -> Result<User, ErrorReply> {
    if pool.users.resolve(username).as_deref() != Some(session.sub.as_str()) {
        return Err(ErrorReply::incorrect_password());
    }
    pool.users
        .get(&session.sub)
        .ok_or_else(ErrorReply::user_not_found)
}
