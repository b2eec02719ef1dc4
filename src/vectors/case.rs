//! Checks of single vector cases. Each returns the failed `(field, detail)` pairs.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::replay_rng::ReplayRng;
use crate::error::SrpError;
use crate::math::SrpInteger;
use crate::secret::{ClientSecret, Password, SecretInteger};
use crate::srp::{
    ClientId, CognitoTimestamp, DeviceCredentials, PasswordVerifierChallenge, SrpClient,
    StartOptions, UserPoolId, device_secret_verifier, secret_hash, steps,
};

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
const VERIFIER_FIELDS: [&str; 6] = [
    "random_password",
    "x",
    "salt_hex",
    "verifier_hex",
    "Salt",
    "PasswordVerifier",
];

/// Collects failures for one case.
struct Checks<'a> {
    case: &'a Value,
    failures: Vec<(String, String)>,
}

impl<'a> Checks<'a> {
    fn new(case: &'a Value) -> Self {
        Self {
            case,
            failures: Vec::new(),
        }
    }

    fn fail(&mut self, field: &str, detail: impl Into<String>) {
        self.failures.push((field.to_owned(), detail.into()));
    }

    /// A required string input.
    fn text(&mut self, key: &str) -> Option<&'a str> {
        let value = self.case.get(key).and_then(Value::as_str);
        if value.is_none() {
            self.fail(key, "missing input (a string is required)");
        }
        value
    }

    /// The `expected` object, with every key known to this runner.
    fn expected(&mut self, known: &[&str]) -> Option<&'a Map<String, Value>> {
        let Some(expected) = self.case.get("expected").and_then(Value::as_object) else {
            self.fail("expected", "missing (an object is required)");
            return None;
        };
        for key in expected.keys() {
            if !known.contains(&key.as_str()) {
                self.fail(key, "unknown expected field: this runner cannot check it");
            }
        }
        Some(expected)
    }

    fn compare_text(&mut self, expected: &Map<String, Value>, field: &str, actual: &str) {
        match expected.get(field) {
            None => {}
            Some(Value::String(want)) if want == actual => {}
            Some(Value::String(want)) => self.fail(field, format!("expected {want}, got {actual}")),
            Some(_) => self.fail(field, "expected value is not a string"),
        }
    }

    fn compare_integer(&mut self, expected: &Map<String, Value>, field: &str, actual: &SrpInteger) {
        match expected
            .get(field)
            .map(|v| v.as_str().and_then(SrpInteger::from_signed_hex))
        {
            None => {}
            Some(Some(want)) if &want == actual => {}
            Some(Some(want)) => self.fail(
                field,
                format!("expected {}, got {}", want.to_hex(), actual.to_hex()),
            ),
            Some(None) => self.fail(field, "expected value is not hex"),
        }
    }

    fn compare_hex_bytes(&mut self, expected: &Map<String, Value>, field: &str, actual: &[u8]) {
        match expected.get(field).map(|v| v.as_str().map(hex::decode)) {
            None => {}
            Some(Some(Ok(want))) if want == actual => {}
            Some(Some(Ok(want))) => self.fail(
                field,
                format!(
                    "expected {}, got {}",
                    hex::encode(want),
                    hex::encode(actual)
                ),
            ),
            Some(_) => self.fail(field, "expected value is not hex bytes"),
        }
    }

    fn done(self) -> Vec<(String, String)> {
        self.failures
    }
}

/// Who is proving what: the user (pool name, USER_ID_FOR_SRP, password) or a
/// device (group key, device key, device password).
struct Identity<'a> {
    pool_name: String,
    user_id: &'a str,
    password: Password,
    user_pool_id: Option<UserPoolId>,
    /// A device: run the session path through `DeviceSrpSession`.
    device: bool,
}

fn user_identity<'a>(checks: &mut Checks<'a>) -> Option<Identity<'a>> {
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

fn device_identity<'a>(checks: &mut Checks<'a>) -> Option<Identity<'a>> {
    Some(Identity {
        pool_name: checks.text("device_group_key")?.to_owned(),
        user_id: checks.text("device_key")?,
        password: Password::new(checks.text("random_password")?),
        user_pool_id: None,
        device: true,
    })
}

/// The inputs of an SRP case (valid or invalid).
struct Inputs<'a> {
    a: SecretInteger,
    srp_b: &'a str,
    salt: &'a str,
    secret_block: &'a str,
    timestamp: &'a str,
}

fn inputs<'a>(checks: &mut Checks<'a>) -> Option<Inputs<'a>> {
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
    let challenge = PasswordVerifierChallenge::new(
        inputs.srp_b,
        inputs.salt,
        inputs.secret_block,
        identity.user_id,
    )?;
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
    let key = steps::session_key(&s, &u);
    checks.compare_hex_bytes(expected, "hkdf_key", key.expose_bytes());
    let signature =
        steps::password_claim_signature(&key, pool, user, challenge.secret_block(), &timestamp);
    checks.compare_text(expected, "password_claim_signature", &signature);
    Ok(())
}

/// USER_SRP_AUTH through `SrpClient` / `SrpSession::respond`.
fn run_user_session(
    checks: &mut Checks<'_>,
    identity: &Identity<'_>,
    pool_id: &UserPoolId,
    inputs: &Inputs<'_>,
    expected: &Map<String, Value>,
) -> Result<(), SrpError> {
    let timestamp = CognitoTimestamp::parse(inputs.timestamp)?;
    let client = SrpClient::new(pool_id.clone(), ClientId::new(VECTOR_CLIENT_ID)?);
    let (params, session) = client.start_with_secret_exponent(
        "alias-typed-by-the-user",
        identity.password.clone(),
        &StartOptions::default(),
        inputs.a.clone(),
    )?;
    checks.compare_text(expected, "srp_a", params.srp_a());
    let challenge = PasswordVerifierChallenge::new(
        inputs.srp_b,
        inputs.salt,
        inputs.secret_block,
        identity.user_id,
    )?;
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
fn run_device_session(
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
    let (start, session) = client.start_device_srp_with_secret_exponent(
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

/// `map` must hold exactly `want`.
fn check_map(
    checks: &mut Checks<'_>,
    step: &str,
    map: &BTreeMap<String, String>,
    want: &[(&str, &str)],
) {
    for (key, value) in want {
        match map.get(*key) {
            Some(got) if got == value => {}
            Some(got) => checks.fail(key, format!("{step} sent {got}, expected {value}")),
            None => checks.fail(key, format!("{step} did not send it")),
        }
    }
    for key in map.keys() {
        if !want.iter().any(|(name, _)| name == key) {
            checks.fail(key, format!("{step} sent an unexpected parameter"));
        }
    }
}

/// Reads who is proving from a case.
type IdentityReader = for<'a> fn(&mut Checks<'a>) -> Option<Identity<'a>>;

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
