//! The session-API path of an SRP case: `SrpSession` for a user,
//! `DeviceSrpSession` for a device, as an application runs them.

use serde_json::{Map, Value};

use super::checks::{Checks, check_map};
use super::inputs::{Identity, Inputs};
use crate::error::SrpError;
use crate::secret::ClientSecret;
use crate::srp::{
    ClientId, CognitoTimestamp, DeviceCredentials, DeviceSrpStart, PasswordVerifierChallenge,
    SrpClient, SrpStart, StartOptions, UserPoolId, secret_hash,
};

/// USER_SRP_AUTH through `SrpClient` / `SrpSession::respond`.
pub(super) fn run_user_session(
    checks: &mut Checks<'_>,
    identity: &Identity<'_>,
    pool_id: &UserPoolId,
    inputs: &Inputs<'_>,
    expected: &Map<String, Value>,
) -> Result<(), SrpError> {
    let timestamp = CognitoTimestamp::parse(inputs.timestamp)?;
    let client = SrpClient::new(pool_id.clone(), ClientId::new(VECTOR_CLIENT_ID)?);
    let SrpStart {
        parameters: params,
        session,
    } = client.start_with_secret_exponent(
        "alias-typed-by-the-user",
        identity.password.clone(),
        &StartOptions::default(),
        inputs.a.clone(),
    )?;
    checks.compare_text(expected, "srp_a", params.srp_a());
    let challenge = inputs.challenge(identity.user_id)?;
    let answer = session.respond(&challenge, &timestamp)?;
    checks.compare_text(
        expected,
        "password_claim_signature",
        answer.password_claim_signature(),
    );
    if answer.username() != identity.user_id {
        checks.fail("username", "USERNAME of the answer is not USER_ID_FOR_SRP");
    }
    Ok(())
}

/// The app client, pool and internal user name the device session path runs
/// with (device SRP does not depend on them, `SECRET_HASH` does).
const VECTOR_CLIENT_ID: &str = "vector-client";
const VECTOR_CLIENT_SECRET: &str = "vector-client-secret";
const VECTOR_USER_POOL_ID: &str = "us-east-1_vectors";
const VECTOR_INTERNAL_USERNAME: &str = "0e6c5a1f-vector-internal-user";

/// DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER through `SrpClient::start_device_srp_*`
/// and `DeviceSrpSession::respond`, checking every parameter sent.
pub(super) fn run_device_session(
    checks: &mut Checks<'_>,
    identity: &Identity<'_>,
    inputs: &Inputs<'_>,
    expected: &Map<String, Value>,
) -> Result<(), SrpError> {
    let client_id = ClientId::new(VECTOR_CLIENT_ID)?;
    let client_secret = ClientSecret::new(VECTOR_CLIENT_SECRET);
    let client = SrpClient::new(UserPoolId::parse(VECTOR_USER_POOL_ID)?, client_id.clone())
        .with_client_secret(client_secret.clone());
    let hash = secret_hash(&client_secret, VECTOR_INTERNAL_USERNAME, &client_id);
    let credentials = DeviceCredentials::new(
        identity.user_id,
        identity.pool_name.as_str(),
        identity.password.clone(),
    )?;
    let timestamp = CognitoTimestamp::parse(inputs.timestamp)?;
    let DeviceSrpStart {
        responses: start,
        session,
    } = client.start_device_srp_with_secret_exponent(
        VECTOR_INTERNAL_USERNAME,
        &credentials,
        inputs.a.clone(),
    )?;
    checks.compare_text(expected, "srp_a", start.srp_a());
    check_map(
        checks,
        "DEVICE_SRP_AUTH",
        &start.to_map(),
        &[
            ("USERNAME", VECTOR_INTERNAL_USERNAME),
            ("DEVICE_KEY", identity.user_id),
            ("SRP_A", session.srp_a().to_hex().as_str()),
            ("SECRET_HASH", hash.as_str()),
        ],
    );
    let parameters = [
        ("SRP_B", inputs.srp_b),
        ("SALT", inputs.salt),
        ("SECRET_BLOCK", inputs.secret_block),
        ("USERNAME", VECTOR_INTERNAL_USERNAME),
    ];
    let challenge = PasswordVerifierChallenge::from_device_parameters(&parameters[..])?;
    let answer = session.respond(&challenge, &timestamp)?;
    let signature = answer.password_claim_signature();
    checks.compare_text(expected, "password_claim_signature", signature);
    check_map(
        checks,
        "DEVICE_PASSWORD_VERIFIER",
        &answer.to_map(),
        &[
            ("USERNAME", VECTOR_INTERNAL_USERNAME),
            ("PASSWORD_CLAIM_SECRET_BLOCK", inputs.secret_block),
            ("PASSWORD_CLAIM_SIGNATURE", signature),
            ("TIMESTAMP", inputs.timestamp),
            ("DEVICE_KEY", identity.user_id),
            ("SECRET_HASH", hash.as_str()),
        ],
    );
    Ok(())
}
