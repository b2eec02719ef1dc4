//! Cases without an SRP exchange: ConfirmDevice verifiers and `SECRET_HASH`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use serde_json::Value;

use super::checks::Checks;
use super::replay_rng::ReplayRng;
use crate::math::SrpInteger;
use crate::secret::ClientSecret;
use crate::srp::{ClientId, device_secret_verifier, secret_hash, steps};

const VERIFIER_FIELDS: [&str; 6] = [
    "random_password",
    "x",
    "salt_hex",
    "verifier_hex",
    "Salt",
    "PasswordVerifier",
];

/// A `verifier_vectors` entry: ConfirmDevice's verifier from fixed randomness.
pub(crate) fn check_device_verifier_vector(case: &Value) -> Vec<(String, String)> {
    let mut checks = Checks::new(case);
    let expected = checks.expected(&VERIFIER_FIELDS);
    let (Some(expected), Some(group), Some(device), Some(password_hex), Some(salt_hex)) = (
        expected,
        checks.text("device_group_key"),
        checks.text("device_key"),
        checks.text("random_password_bytes"),
        checks.text("salt_random_bytes"),
    ) else {
        return checks.done();
    };
    let (Ok(mut randomness), Ok(salt_bytes)) = (hex::decode(password_hex), hex::decode(salt_hex))
    else {
        checks.fail("random_password_bytes", "inputs are not hex");
        return checks.done();
    };
    randomness.extend(salt_bytes);
    let mut rng = ReplayRng::new(randomness);
    match device_secret_verifier(group, device, &mut rng) {
        Ok((config, password)) => {
            checks.compare_text(expected, "random_password", password.expose_secret());
            checks.compare_text(expected, "Salt", config.salt());
            checks.compare_text(expected, "PasswordVerifier", config.password_verifier());
            let salt = STANDARD.decode(config.salt()).unwrap_or_default();
            checks.compare_hex_bytes(expected, "salt_hex", &salt);
            let salt_integer = SrpInteger::from_be_bytes(&salt);
            let x = steps::private_key(&salt_integer, group, device, &password);
            checks.compare_integer(
                expected,
                "x",
                &SrpInteger::from_be_bytes(x.expose_be_bytes()),
            );
            let verifier = STANDARD
                .decode(config.password_verifier())
                .unwrap_or_default();
            checks.compare_hex_bytes(expected, "verifier_hex", &verifier);
            if rng.remaining() != 0 {
                checks.fail(
                    "salt_random_bytes",
                    "not all the given randomness was consumed",
                );
            }
        }
        Err(error) => checks.fail("PasswordVerifier", format!("refused: {}", error.name())),
    }
    checks.done()
}

/// A `secret_hash_vectors` entry.
pub(crate) fn check_secret_hash_vector(case: &Value) -> Vec<(String, String)> {
    let mut checks = Checks::new(case);
    let (Some(secret), Some(username), Some(client_id), Some(want)) = (
        checks.text("client_secret"),
        checks.text("username"),
        checks.text("client_id"),
        checks.text("expected"),
    ) else {
        return checks.done();
    };
    match ClientId::new(client_id) {
        Ok(client_id) => {
            let got = secret_hash(&ClientSecret::new(secret), username, &client_id);
            if got != want {
                checks.fail("expected", format!("expected {want}, got {got}"));
            }
        }
        Err(error) => checks.fail("client_id", format!("refused: {error}")),
    }
    checks.done()
}
