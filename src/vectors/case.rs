//! Checks of SRP cases (user and device, valid and invalid), each through the
//! step functions and through the session API. Each returns the failed
//! `(field, detail)` pairs.

use serde_json::{Map, Value};

use super::checks::Checks;
use super::inputs::{Identity, IdentityReader, Inputs, device_identity, inputs, user_identity};
use super::session::{run_device_session, run_user_session};
use crate::error::SrpError;
use crate::math::SrpInteger;
use crate::srp::{CognitoTimestamp, steps};

/// A check of one case.
pub(crate) type Checker = fn(&Value) -> Vec<(String, String)>;

const SRP_FIELDS: [&str; 6] = [
    "srp_a",
    "u",
    "x",
    "s",
    "hkdf_key",
    "password_claim_signature",
];

/// The two independent computations every SRP case goes through.
#[derive(Clone, Copy)]
enum Path {
    /// The public step functions, each intermediate value compared.
    Steps,
    /// The session API as an application runs it: `SrpSession` for a user,
    /// `DeviceSrpSession` for a device.
    Session,
}

impl Path {
    const ALL: [Path; 2] = [Path::Steps, Path::Session];

    fn name(self) -> &'static str {
        match self {
            Path::Steps => "the step functions",
            Path::Session => "the session API",
        }
    }
}

/// Runs one computation of a case, comparing with `expected`. `None` when the
/// session API cannot run the case (a user case without `user_pool_id`).
fn run_path(
    checks: &mut Checks<'_>,
    identity: &Identity<'_>,
    inputs: &Inputs<'_>,
    expected: &Map<String, Value>,
    path: Path,
) -> Option<Result<(), SrpError>> {
    let before = checks.failures.len();
    let result = match path {
        Path::Steps => Some(run_steps(checks, identity, inputs, expected)),
        Path::Session if identity.device => {
            Some(run_device_session(checks, identity, inputs, expected))
        }
        Path::Session => identity
            .user_pool_id
            .as_ref()
            .map(|pool_id| run_user_session(checks, identity, pool_id, inputs, expected)),
    };
    for failure in &mut checks.failures[before..] {
        failure.1 = format!("{}: {}", path.name(), failure.1);
    }
    result
}

/// The whole client computation through the step functions, comparing each
/// intermediate value with `expected`. Returns the first error raised.
fn run_steps(
    checks: &mut Checks<'_>,
    identity: &Identity<'_>,
    inputs: &Inputs<'_>,
    expected: &Map<String, Value>,
) -> Result<(), SrpError> {
    let timestamp = CognitoTimestamp::parse(inputs.timestamp)?;
    let srp_a = steps::srp_a(&inputs.a)?;
    checks.compare_text(expected, "srp_a", &srp_a.to_hex());
    let challenge = inputs.challenge(identity.user_id)?;
    let (pool, user) = (identity.pool_name.as_str(), identity.user_id);
    let u = steps::scrambling_parameter(&srp_a, challenge.srp_b())?;
    checks.compare_integer(expected, "u", &u);
    let x = steps::private_key(challenge.salt(), pool, user, &identity.password);
    checks.compare_integer(
        expected,
        "x",
        &SrpInteger::from_be_bytes(x.expose_be_bytes()),
    );
    let s = steps::premaster_secret(challenge.srp_b(), &u, &x, &inputs.a)?;
    checks.compare_integer(
        expected,
        "s",
        &SrpInteger::from_be_bytes(s.expose_be_bytes()),
    );
    let key = steps::session_key(&s, &u)?;
    checks.compare_hex_bytes(expected, "hkdf_key", key.expose_bytes());
    let signature =
        steps::password_claim_signature(&key, pool, user, challenge.secret_block(), &timestamp);
    checks.compare_text(expected, "password_claim_signature", &signature);
    Ok(())
}

fn check_srp_vector(case: &Value, identity: IdentityReader) -> Vec<(String, String)> {
    let mut checks = Checks::new(case);
    let expected = checks.expected(&SRP_FIELDS);
    let (Some(identity), Some(expected)) = (identity(&mut checks), expected) else {
        return checks.done();
    };
    let Some(inputs) = inputs(&mut checks) else {
        return checks.done();
    };
    for path in Path::ALL {
        if let Some(Err(error)) = run_path(&mut checks, &identity, &inputs, expected, path) {
            checks.fail(
                "error",
                format!("{} refused a valid vector: {}", path.name(), error.name()),
            );
        }
    }
    checks.done()
}

/// A `vectors` entry: USER_SRP_AUTH.
pub(crate) fn check_user_vector(case: &Value) -> Vec<(String, String)> {
    check_srp_vector(case, user_identity)
}

/// An `auth_vectors` / `device_auth_vectors` entry: DEVICE_SRP_AUTH.
pub(crate) fn check_device_auth_vector(case: &Value) -> Vec<(String, String)> {
    check_srp_vector(case, device_identity)
}

/// An `invalid` entry (user or device): the named error must come back from
/// both the step functions and the session API.
pub(crate) fn check_invalid_case(case: &Value) -> Vec<(String, String)> {
    let mut checks = Checks::new(case);
    let Some(want) = checks.text("error") else {
        return checks.done();
    };
    let identity = if case.get("device_group_key").is_some() {
        device_identity(&mut checks)
    } else {
        user_identity(&mut checks)
    };
    let (Some(identity), Some(inputs)) = (identity, inputs(&mut checks)) else {
        return checks.done();
    };
    let none = Map::new();
    for path in Path::ALL {
        let before = checks.failures.len();
        match run_path(&mut checks, &identity, &inputs, &none, path) {
            None => {}
            Some(Ok(())) if checks.failures.len() == before => checks.fail(
                "error",
                format!("expected error {want}, but {} signed", path.name()),
            ),
            Some(Ok(())) => {}
            Some(Err(error)) if error.name() == want => {}
            Some(Err(error)) => checks.fail(
                "error",
                format!(
                    "expected error {want}, {} returned {}",
                    path.name(),
                    error.name()
                ),
            ),
        }
    }
    checks.done()
}
