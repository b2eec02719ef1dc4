//! The server side of SRP against every vector that carries the server's
//! secret `b` and `verifier`: `v = g^x`, `B = k·v + g^b`, the server's
//! `S = (A·v^u)^b` equal to the client's, and the signature accepted (a
//! tampered one refused). Every failure is reported, then the test fails.
#![cfg(feature = "local-pool")]

use std::path::PathBuf;

use cognito_srp_auth::math::{SrpInteger, n};
use cognito_srp_auth::{ClaimError, PasswordVerifier, ServerChallenge};
use cognito_srp_auth::{CognitoTimestamp, Password, SecretBlock, SecretInteger};
use serde_json::Value;

struct Case {
    file: &'static str,
    name: String,
    pool_name: String,
    user_id: String,
    password: String,
    b: String,
    verifier: String,
    salt: String,
    srp_b: String,
    secret_block: String,
    timestamp: String,
    srp_a: String,
    u: Option<String>,
    s: Option<String>,
    signature: String,
}

fn text(value: &Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("field {key} missing"))
        .to_owned()
}

fn load(file: &'static str, section: &str, device: bool) -> Vec<Case> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(file);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    json[section]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v.get("b").is_some() && v.get("verifier").is_some())
        .map(|v| {
            let e = &v["expected"];
            let (pool_name, user_id, password) = if device {
                (
                    text(v, "device_group_key"),
                    text(v, "device_key"),
                    text(v, "random_password"),
                )
            } else {
                (
                    text(v, "pool_name"),
                    text(v, "user_id_for_srp"),
                    text(v, "password"),
                )
            };
            Case {
                file,
                name: text(v, "name"),
                pool_name,
                user_id,
                password,
                b: text(v, "b"),
                verifier: text(v, "verifier"),
                salt: text(v, "salt"),
                srp_b: text(v, "srp_b"),
                secret_block: text(v, "secret_block"),
                timestamp: text(v, "timestamp"),
                srp_a: text(e, "srp_a"),
                u: e.get("u").and_then(Value::as_str).map(str::to_owned),
                s: e.get("s").and_then(Value::as_str).map(str::to_owned),
                signature: text(e, "password_claim_signature"),
            }
        })
        .collect()
}

fn check(case: &Case, failures: &mut Vec<String>) {
    let mut fail = |field: &str, detail: String| {
        failures.push(format!(
            "{}: vector `{}`: {field}: {detail}",
            case.file, case.name
        ));
    };
    let salt = SrpInteger::from_signed_hex(&case.salt).unwrap();
    let password = Password::new(case.password.as_str());
    let derived =
        PasswordVerifier::with_salt(&case.pool_name, &case.user_id, &password, salt.clone());
    let expected_v = SecretInteger::from_hex(&case.verifier).unwrap();
    if derived.expose_verifier().expose_hex() != expected_v.expose_hex() {
        fail("verifier", "v = g^x differs".into());
    }
    let verifier = PasswordVerifier::from_parts(salt, expected_v.expose_be_bytes());
    let server = || {
        ServerChallenge::with_secret_exponent(&verifier, SecretInteger::from_hex(&case.b).unwrap())
    };
    let srp_b = SrpInteger::from_signed_hex(&case.srp_b).unwrap();
    if server().srp_b().as_bigint() != srp_b.as_bigint() {
        fail("srp_b", "B = k·v + g^b differs".into());
    }
    let srp_a = SrpInteger::from_signed_hex(&case.srp_a).unwrap();
    let premaster = server()
        .accept(&srp_a)
        .and_then(|session| session.premaster_secret());
    match premaster {
        Ok((s, u)) => {
            if case
                .u
                .as_ref()
                .is_some_and(|expected| u.to_hex() != *expected)
            {
                fail("u", "differs".into());
            }
            if case
                .s
                .as_ref()
                .is_some_and(|expected| s.expose_hex().as_str() != expected.as_str())
            {
                fail("s", "server S = (A·v^u)^b differs".into());
            }
        }
        Err(error) => fail("s", format!("refused: {error}")),
    }
    let block = SecretBlock::decode(&case.secret_block).unwrap();
    let timestamp = CognitoTimestamp::parse(&case.timestamp).unwrap();
    let verify = |signature: &str, user_id: &str, ts: &CognitoTimestamp| {
        server()
            .accept(&srp_a)?
            .verify_claim(&case.pool_name, user_id, &block, ts, signature)
    };
    if let Err(error) = verify(&case.signature, &case.user_id, &timestamp) {
        fail("password_claim_signature", format!("not accepted: {error}"));
    }
    let mut tampered = case.signature.clone().into_bytes();
    tampered[0] = if tampered[0] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    if verify(&tampered, &case.user_id, &timestamp) != Err(ClaimError::SignatureMismatch) {
        fail(
            "password_claim_signature",
            "a tampered signature was accepted".into(),
        );
    }
    if verify(&case.signature, &format!("{}x", case.user_id), &timestamp).is_ok() {
        fail("user_id_for_srp", "accepted for another user id".into());
    }
    let later = CognitoTimestamp::from(timestamp.instant() + chrono::TimeDelta::seconds(1));
    if verify(&case.signature, &case.user_id, &later).is_ok() {
        fail("timestamp", "accepted with another timestamp".into());
    }
}

#[test]
fn server_side_matches_every_vector_with_b_and_verifier() {
    let mut cases = load("user_srp.json", "vectors", false);
    cases.extend(load("device_srp.json", "auth_vectors", true));
    assert!(
        cases.len() >= 50,
        "only {} vectors with b and verifier found",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        check(case, &mut failures);
    }
    for failure in &failures {
        eprintln!("{failure}");
    }
    assert!(
        failures.is_empty(),
        "{} failures over {} vectors",
        failures.len(),
        cases.len()
    );
}

#[test]
fn server_refuses_a_congruent_to_zero() {
    let verifier = PasswordVerifier::create("Pool", "user", &Password::new("Password1!")).unwrap();
    let n = n().to_bytes_be();
    let two_n = (cognito_srp_auth::math::n() * 2u32).to_bytes_be();
    for a in [vec![0u8], n, two_n] {
        let a = SrpInteger::from_be_bytes(&a);
        let server = ServerChallenge::start(&verifier).unwrap();
        assert_eq!(server.accept(&a).err(), Some(ClaimError::SrpAModNZero));
    }
}

#[test]
fn fresh_b_per_attempt_and_salt_of_16_bytes() {
    let verifier = PasswordVerifier::create("Pool", "user", &Password::new("Password1!")).unwrap();
    assert!(verifier.salt().pad().len() <= 17);
    let one = ServerChallenge::start(&verifier).unwrap();
    let two = ServerChallenge::start(&verifier).unwrap();
    assert_ne!(one.srp_b(), two.srp_b());
    assert!(format!("{one:?}").contains("[redacted]"));
    assert!(
        !format!("{verifier:?}").contains(&verifier.expose_verifier().expose_hex().to_string())
    );
}
