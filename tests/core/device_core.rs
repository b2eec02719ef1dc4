//! Remembered devices in the core: `DeviceCredentials` (generation, the persisted
//! JSON shape, redaction), DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER through
//! `DeviceSrpSession` for every device vector, verifiers accepted by an
//! independent server-side computation for salts of every length, and refusals.

use cognito_srp_auth::DeviceSrpStart;
use cognito_srp_auth::vectors::ReplayRng;
use std::collections::HashMap;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use num_bigint::{BigInt, BigUint, Sign};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use serde_json::Value;
use sha2::{Digest, Sha256};

use cognito_srp_auth::math::{k, n};
use cognito_srp_auth::{
    ClientId, ClientSecret, CognitoTimestamp, DeviceCredentials, DeviceSrpSession, Field, Password,
    PasswordVerifierChallenge, SecretInteger, SrpClient, SrpError, UserPoolId, secret_hash,
};

const INTERNAL_USER: &str = "6b1f7c2e-9a3d-4e5f-8b7a-1c2d3e4f5a6b";
const DEVICE_KEY: &str = "us-east-1_0b3f3c0e-6a5a-4b3c-9a7e-2f1d0c9b8a7e";
const GROUP_KEY: &str = "-Abc123xyz";
const BLOCK: &str = "c2VjcmV0IGJsb2NrIGZyb20gdGhlIHNlcnZlcg==";
const TIMESTAMP: &str = "Tue Feb 3 07:08:09 UTC 2026";

fn client(with_secret: bool) -> SrpClient {
    let client = SrpClient::new(
        UserPoolId::parse("us-east-1_AbCdEf123").unwrap(),
        ClientId::new("device-test-client").unwrap(),
    );
    if with_secret {
        client.with_client_secret(ClientSecret::new("device-test-secret"))
    } else {
        client
    }
}

fn device_challenge(srp_b: &str, salt: &str, block: &str) -> PasswordVerifierChallenge {
    let parameters: HashMap<String, String> = [
        ("SRP_B", srp_b),
        ("SALT", salt),
        ("SECRET_BLOCK", block),
        ("USERNAME", INTERNAL_USER),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    PasswordVerifierChallenge::from_device_parameters(&parameters).unwrap()
}

fn timestamp() -> CognitoTimestamp {
    CognitoTimestamp::parse(TIMESTAMP).unwrap()
}

fn load(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {case}"))
}

fn device_auth_vectors() -> Vec<Value> {
    let mut cases = Vec::new();
    for (file, section) in [
        ("device_srp.json", "auth_vectors"),
        ("published.json", "device_auth_vectors"),
    ] {
        let cases_here = load(file)[section].as_array().unwrap().clone();
        assert!(!cases_here.is_empty(), "{file}: {section} is empty");
        cases.extend(cases_here);
    }
    cases
}

// ---------------------------------------------------------------------------
// Every device vector through the session API.

#[test]
fn every_device_auth_vector_through_device_srp_session() {
    let cases = device_auth_vectors();
    assert_eq!(cases.len(), 5 + 2);
    for with_secret in [false, true] {
        let client = client(with_secret);
        for case in &cases {
            let name = text(case, "name");
            let expected = &case["expected"];
            let credentials = DeviceCredentials::new(
                text(case, "device_key"),
                text(case, "device_group_key"),
                Password::new(text(case, "random_password")),
            )
            .unwrap();
            let a = SecretInteger::from_hex(text(case, "a")).unwrap();
            let DeviceSrpStart {
                responses: start,
                session,
                ..
            } = client
                .start_device_srp_with_secret_exponent(INTERNAL_USER, &credentials, a)
                .unwrap();
            assert_eq!(start.srp_a(), text(expected, "srp_a"), "{name}: SRP_A");
            assert_eq!(session.srp_a().to_hex(), start.srp_a(), "{name}");
            assert_eq!(session.device_key(), text(case, "device_key"), "{name}");

            let hash = client.secret_hash(INTERNAL_USER);
            let start_map = start.to_map();
            let mut want = vec![
                ("DEVICE_KEY", text(case, "device_key")),
                ("SRP_A", text(expected, "srp_a")),
                ("USERNAME", INTERNAL_USER),
            ];
            if let Some(hash) = &hash {
                want.push(("SECRET_HASH", hash));
            }
            assert_eq!(
                as_pairs(&start_map),
                sorted(want),
                "{name}: DEVICE_SRP_AUTH"
            );

            let challenge = device_challenge(
                text(case, "srp_b"),
                text(case, "salt"),
                text(case, "secret_block"),
            );
            let ts = CognitoTimestamp::parse(text(case, "timestamp")).unwrap();
            let answer = session.respond(&challenge, &ts).unwrap();
            let signature = text(expected, "password_claim_signature");
            assert_eq!(answer.password_claim_signature(), signature, "{name}");
            assert_eq!(
                answer.device_key(),
                Some(text(case, "device_key")),
                "{name}"
            );
            assert_eq!(answer.secret_hash(), hash.as_deref(), "{name}");
            let mut want = vec![
                ("DEVICE_KEY", text(case, "device_key")),
                ("PASSWORD_CLAIM_SECRET_BLOCK", text(case, "secret_block")),
                ("PASSWORD_CLAIM_SIGNATURE", signature),
                ("TIMESTAMP", text(case, "timestamp")),
                ("USERNAME", INTERNAL_USER),
            ];
            if let Some(hash) = &hash {
                want.push(("SECRET_HASH", hash));
            }
            assert_eq!(
                as_pairs(&answer.to_map()),
                sorted(want),
                "{name}: DEVICE_PASSWORD_VERIFIER"
            );
        }
    }
}

fn as_pairs(map: &std::collections::BTreeMap<String, String>) -> Vec<(String, String)> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn sorted(pairs: Vec<(&str, &str)>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn secret_hash_uses_the_internal_user_name() {
    let client = client(true);
    let credentials = DeviceCredentials::new(DEVICE_KEY, GROUP_KEY, Password::new("pw")).unwrap();
    let DeviceSrpStart {
        responses: start,
        session,
        ..
    } = client
        .start_device_srp_with_rng(
            INTERNAL_USER,
            &credentials,
            &mut ChaCha20Rng::seed_from_u64(1),
        )
        .unwrap();
    let want = secret_hash(
        &ClientSecret::new("device-test-secret"),
        INTERNAL_USER,
        client.client_id(),
    );
    assert_eq!(start.secret_hash(), Some(want.as_str()));
    let answer = session
        .respond(&device_challenge("abcdef", "00ff", BLOCK), &timestamp())
        .unwrap();
    assert_eq!(answer.secret_hash(), Some(want.as_str()));
    assert_eq!(answer.username(), INTERNAL_USER);
    assert_eq!(answer.password_claim_secret_block(), BLOCK);
}

#[test]
fn invalid_device_cases_are_refused_by_the_session() {
    let document = load("device_srp.json");
    let cases = document["invalid"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let name = text(case, "name");
        let credentials = DeviceCredentials::new(
            text(case, "device_key"),
            text(case, "device_group_key"),
            Password::new(text(case, "random_password")),
        )
        .unwrap();
        let a = SecretInteger::from_hex(text(case, "a")).unwrap();
        let DeviceSrpStart {
            session: _session, ..
        } = client(false)
            .start_device_srp_with_secret_exponent(INTERNAL_USER, &credentials, a)
            .unwrap();
        let parameters = [
            ("SRP_B", text(case, "srp_b")),
            ("SALT", text(case, "salt")),
            ("SECRET_BLOCK", text(case, "secret_block")),
            ("USERNAME", INTERNAL_USER),
        ];
        let error = PasswordVerifierChallenge::from_device_parameters(&parameters[..]).unwrap_err();
        assert_eq!(error.name(), text(case, "error"), "{name}");
    }
}

#[test]
fn each_start_draws_a_fresh_secret() {
    let credentials = DeviceCredentials::new(DEVICE_KEY, GROUP_KEY, Password::new("pw")).unwrap();
    let client = client(false);
    let DeviceSrpStart {
        responses: first, ..
    } = client
        .start_device_srp(INTERNAL_USER, &credentials)
        .unwrap();
    let DeviceSrpStart {
        responses: second, ..
    } = client
        .start_device_srp(INTERNAL_USER, &credentials)
        .unwrap();
    assert_ne!(first.srp_a(), second.srp_a());
    assert!(first.srp_a().len() > 700, "A is a full-size group element");
}

// ---------------------------------------------------------------------------
// Credentials: generation from forced randomness.

#[test]
fn generated_credentials_match_the_verifier_vectors() {
    let document = load("device_srp.json");
    let cases = document["verifier_vectors"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let name = text(case, "name");
        let expected = &case["expected"];
        let mut bytes = hex::decode(text(case, "random_password_bytes")).unwrap();
        bytes.extend(hex::decode(text(case, "salt_random_bytes")).unwrap());
        let mut rng = ReplayRng::new(bytes);
        let (credentials, config) = DeviceCredentials::generate_with_rng(
            text(case, "device_key"),
            text(case, "device_group_key"),
            &mut rng,
        )
        .unwrap();
        assert_eq!(rng.remaining(), 0, "{name}: 40 + 16 bytes consumed");
        assert_eq!(credentials.device_key(), text(case, "device_key"));
        assert_eq!(
            credentials.device_group_key(),
            text(case, "device_group_key")
        );
        assert_eq!(
            credentials.device_password().expose_secret(),
            text(expected, "random_password"),
            "{name}"
        );
        assert_eq!(config.salt(), text(expected, "Salt"), "{name}");
        assert_eq!(
            config.password_verifier(),
            text(expected, "PasswordVerifier"),
            "{name}"
        );
    }
}

#[test]
fn generation_refuses_exhausted_randomness_and_bad_device_keys() {
    for available in [0, 39, 40, 55] {
        let result = DeviceCredentials::generate_with_rng(
            DEVICE_KEY,
            GROUP_KEY,
            &mut ReplayRng::new(vec![7; available]),
        );
        assert_eq!(
            result.err(),
            Some(SrpError::RandomnessUnavailable),
            "{available}"
        );
    }
    let result =
        DeviceCredentials::generate_with_rng("", GROUP_KEY, &mut ReplayRng::new(vec![7; 56]));
    assert_eq!(
        result.err(),
        Some(SrpError::EmptyParameter(Field::DeviceKey))
    );
}

// ---------------------------------------------------------------------------
// A verifier registered by the client is accepted by a server, for salts of
// 15, 16 and 17 bytes (and the rarer 14), forced through the RNG.

/// `pad(v)`: minimal big-endian two's-complement bytes.
fn pad(value: &BigUint) -> Vec<u8> {
    BigInt::from_biguint(Sign::Plus, value.clone()).to_signed_bytes_be()
}

fn sha256(parts: &[&[u8]]) -> Vec<u8> {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().to_vec()
}

/// What the server stores from ConfirmDevice, and its side of the exchange,
/// computed with num-bigint directly from the registered bytes.
struct Server {
    group_key: String,
    device_key: String,
    salt: Vec<u8>,
    verifier: BigUint,
}

impl Server {
    /// Registers the device: checks the verifier against the one derived from
    /// the device password and the registered salt bytes, as a server that
    /// knew the password would.
    fn register(credentials: &DeviceCredentials, salt_b64: &str, verifier_b64: &str) -> Self {
        let salt = STANDARD.decode(salt_b64).unwrap();
        let registered = STANDARD.decode(verifier_b64).unwrap();
        let inner = sha256(&[
            credentials.device_group_key().as_bytes(),
            credentials.device_key().as_bytes(),
            b":",
            credentials.device_password().expose_secret().as_bytes(),
        ]);
        let x = BigUint::from_bytes_be(&sha256(&[&salt, &inner]));
        let verifier = BigUint::from(2u32).modpow(&x, n());
        assert_eq!(
            pad(&verifier),
            registered,
            "PasswordVerifier = pad(g^x mod N)"
        );
        Self {
            group_key: credentials.device_group_key().to_owned(),
            device_key: credentials.device_key().to_owned(),
            salt,
            verifier,
        }
    }

    /// `B = k·v + g^b mod N`.
    fn srp_b(&self, b: &BigUint) -> BigUint {
        (k() * &self.verifier + BigUint::from(2u32).modpow(b, n())) % n()
    }

    /// The signature the server expects: S = (A·v^u)^b mod N, then HKDF and HMAC.
    fn expected_signature(&self, srp_a: &str, b: &BigUint, block: &[u8], ts: &str) -> String {
        let a_pub = BigUint::parse_bytes(srp_a.as_bytes(), 16).unwrap();
        assert!(a_pub.clone() % n() != BigUint::from(0u32));
        let b_pub = self.srp_b(b);
        let u = BigUint::from_bytes_be(&sha256(&[&pad(&a_pub), &pad(&b_pub)]));
        let s = (a_pub * self.verifier.modpow(&u, n()) % n()).modpow(b, n());
        let hkdf = hkdf::Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s));
        let mut key = [0u8; 16];
        hkdf.expand(b"Caldera Derived Key", &mut key).unwrap();
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(self.group_key.as_bytes());
        mac.update(self.device_key.as_bytes());
        mac.update(block);
        mac.update(ts.as_bytes());
        STANDARD.encode(mac.finalize().into_bytes())
    }
}

#[test]
fn verifiers_for_salts_of_15_16_and_17_bytes_are_accepted_by_a_server() {
    let password_bytes: Vec<u8> = (0u8..40).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
    let cases: [(&str, [u8; 2], usize); 5] = [
        (
            "15 bytes: leading zero byte, next byte below 0x80",
            [0x00, 0x3c],
            15,
        ),
        ("16 bytes: high bit clear", [0x3c, 0xa5], 16),
        ("17 bytes: high bit set, pad adds 00", [0xc3, 0xa5], 17),
        (
            "16 bytes: leading zero byte, next byte from 0x80",
            [0x00, 0x9f],
            16,
        ),
        ("14 bytes: two leading zero bytes", [0x00, 0x00], 14),
    ];
    let mut rng = ChaCha20Rng::seed_from_u64(15_16_17);
    let block = STANDARD.decode(BLOCK).unwrap();
    for (what, head, salt_len) in cases {
        let mut salt_random = [0x11u8; 16];
        salt_random[..2].copy_from_slice(&head);
        salt_random[2] = 0x42;
        let mut bytes = password_bytes.clone();
        bytes.extend_from_slice(&salt_random);
        let mut scripted = ReplayRng::new(bytes);
        let (credentials, config) =
            DeviceCredentials::generate_with_rng(DEVICE_KEY, GROUP_KEY, &mut scripted).unwrap();
        assert_eq!(scripted.remaining(), 0, "{what}: all randomness consumed");

        let server = Server::register(&credentials, config.salt(), config.password_verifier());
        assert_eq!(
            server.salt.len(),
            salt_len,
            "{what}: registered salt length"
        );

        // Two ways a server may send SALT: the registered bytes as hex (leading
        // zeros kept) and Java's BigInteger.toString(16) (leading zeros dropped).
        let salt_texts = [
            hex::encode(&server.salt),
            BigUint::from_bytes_be(&server.salt).to_str_radix(16),
        ];
        for salt_text in salt_texts {
            for with_secret in [false, true] {
                let b = BigUint::from_bytes_be(&random_bytes(&mut rng, 32));
                let DeviceSrpStart {
                    responses: start,
                    session,
                    ..
                } = client(with_secret)
                    .start_device_srp_with_rng(INTERNAL_USER, &credentials, &mut rng)
                    .unwrap();
                let srp_b = server.srp_b(&b).to_str_radix(16);
                let challenge = device_challenge(&srp_b, &salt_text, BLOCK);
                let answer = session.respond(&challenge, &timestamp()).unwrap();
                let want = server.expected_signature(start.srp_a(), &b, &block, TIMESTAMP);
                assert_eq!(
                    answer.password_claim_signature(),
                    want,
                    "{what}, SALT {salt_text}: the server refuses the device's proof"
                );
            }
        }

        // A device with another password is refused by the same server.
        let impostor =
            DeviceCredentials::new(DEVICE_KEY, GROUP_KEY, Password::new("not the password"))
                .unwrap();
        let b = BigUint::from_bytes_be(&random_bytes(&mut rng, 32));
        let DeviceSrpStart {
            responses: start,
            session,
            ..
        } = client(false)
            .start_device_srp_with_rng(INTERNAL_USER, &impostor, &mut rng)
            .unwrap();
        let challenge = device_challenge(
            &server.srp_b(&b).to_str_radix(16),
            &hex::encode(&server.salt),
            BLOCK,
        );
        let answer = session.respond(&challenge, &timestamp()).unwrap();
        let want = server.expected_signature(start.srp_a(), &b, &block, TIMESTAMP);
        assert_ne!(answer.password_claim_signature(), want, "{what}: impostor");
    }
}

fn random_bytes(rng: &mut ChaCha20Rng, len: usize) -> Vec<u8> {
    use rand_chacha::rand_core::Rng;
    let mut bytes = vec![0u8; len];
    rng.fill_bytes(&mut bytes);
    bytes
}

// ---------------------------------------------------------------------------
// Persistence: the pinned JSON shape.

#[cfg(feature = "wire")]
#[test]
fn credentials_round_trip_through_the_pinned_json_shape() {
    let credentials =
        DeviceCredentials::new(DEVICE_KEY, GROUP_KEY, Password::new("ZGV2aWNlIHBhc3N3b3Jk"))
            .unwrap();
    let pinned = concat!(
        r#"{"device_key":"us-east-1_0b3f3c0e-6a5a-4b3c-9a7e-2f1d0c9b8a7e","#,
        r#""device_group_key":"-Abc123xyz","#,
        r#""device_password":"ZGV2aWNlIHBhc3N3b3Jk"}"#
    );
    assert_eq!(credentials.to_json().unwrap().as_str(), pinned);
    assert_eq!(serde_json::to_string(&credentials).unwrap(), pinned);

    for read in [
        DeviceCredentials::from_json(pinned).unwrap(),
        serde_json::from_str::<DeviceCredentials>(pinned).unwrap(),
        // Field order and unknown fields do not matter.
        DeviceCredentials::from_json(
            r#"{"device_password":"ZGV2aWNlIHBhc3N3b3Jk","written_by":"v0",
                "device_group_key":"-Abc123xyz",
                "device_key":"us-east-1_0b3f3c0e-6a5a-4b3c-9a7e-2f1d0c9b8a7e"}"#,
        )
        .unwrap(),
    ] {
        assert_eq!(read.device_key(), DEVICE_KEY);
        assert_eq!(read.device_group_key(), GROUP_KEY);
        assert_eq!(
            read.device_password().expose_secret(),
            "ZGV2aWNlIHBhc3N3b3Jk"
        );
    }

    // Generated credentials survive the round trip and still log in.
    let (generated, _) = DeviceCredentials::generate(DEVICE_KEY, GROUP_KEY).unwrap();
    let back = DeviceCredentials::from_json(&generated.to_json().unwrap()).unwrap();
    assert_eq!(
        back.device_password().expose_secret(),
        generated.device_password().expose_secret()
    );
}

#[cfg(feature = "wire")]
#[test]
fn malformed_stored_credentials_are_refused_without_echoing_the_password() {
    let cases = [
        r#"{"device_key":"","device_group_key":"g","device_password":"hunter2-secret"}"#,
        r#"{"device_group_key":"g","device_password":"hunter2-secret"}"#,
        r#"{"device_key":"k","device_group_key":"g"}"#,
        r#"{"device_key":"k","device_group_key":"g","device_password":17}"#,
        r#"["k","g","hunter2-secret"]"#,
        r#"{"device_key":"k","device_group_key":"g","device_password":"hunter2-secret","device_password":"hunter2-secret"}"#,
        r#""hunter2-secret""#,
    ];
    for json in cases {
        let error = DeviceCredentials::from_json(json).unwrap_err().to_string();
        assert!(!error.contains("hunter2-secret"), "{json}: {error}");
    }
    let error = DeviceCredentials::from_json(cases[0])
        .unwrap_err()
        .to_string();
    assert!(error.contains("DEVICE_KEY"), "{error}");
}

// ---------------------------------------------------------------------------
// Redaction and zeroization.

#[test]
fn device_types_do_not_print_secrets() {
    let password = "ZGV2aWNlLXBhc3N3b3JkLWRvLW5vdC1wcmludA==";
    let a_hex = "c0ffee00c0ffee00c0ffee00c0ffee00";
    let credentials =
        DeviceCredentials::new(DEVICE_KEY, GROUP_KEY, Password::new(password)).unwrap();
    let client = client(true);
    let DeviceSrpStart {
        responses: start,
        session,
        ..
    } = client
        .start_device_srp_with_secret_exponent(
            INTERNAL_USER,
            &credentials,
            SecretInteger::from_hex(a_hex).unwrap(),
        )
        .unwrap();
    let session_debug = format!("{session:?}");
    let answer = session
        .respond(&device_challenge("abcdef", "-0f1e", BLOCK), &timestamp())
        .unwrap();
    let hash = client.secret_hash(INTERNAL_USER).unwrap();
    let secrets = [
        password,
        a_hex,
        "device-test-secret",
        hash.as_str(),
        answer.password_claim_signature(),
        BLOCK,
    ];
    let cases = [
        ("DeviceCredentials", format!("{credentials:?}")),
        ("DeviceSrpSession", session_debug),
        ("DeviceSrpAuthResponses", format!("{start:?}")),
        ("device ChallengeResponses", format!("{answer:?}")),
    ];
    for (what, debug) in &cases {
        for secret in secrets {
            assert!(!debug.contains(secret), "{what}: {debug} contains a secret");
        }
        assert!(debug.contains("redacted"), "{what}: {debug}");
    }
    // The public parts stay visible for diagnostics.
    assert!(cases[0].1.contains(DEVICE_KEY) && cases[0].1.contains(GROUP_KEY));
    assert!(cases[2].1.contains(start.srp_a()));
}

#[test]
fn secrets_are_zeroized_on_drop_and_sessions_are_single_use() {
    fn zeroize_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    zeroize_on_drop::<DeviceCredentials>();
    zeroize_on_drop::<Password>();
    zeroize_on_drop::<SecretInteger>();
    // `DeviceSrpSession` holds its secrets only in those types; it is not
    // `Clone` (a compile-time property, documented) and `respond` takes `self`.
    fn respond_consumes(
        session: DeviceSrpSession,
        challenge: &PasswordVerifierChallenge,
    ) -> Result<cognito_srp_auth::ChallengeResponses, SrpError> {
        session.respond(challenge, &timestamp())
    }
    let credentials = DeviceCredentials::new(DEVICE_KEY, GROUP_KEY, Password::new("pw")).unwrap();
    let DeviceSrpStart { session, .. } = client(false)
        .start_device_srp(INTERNAL_USER, &credentials)
        .unwrap();
    respond_consumes(session, &device_challenge("abcdef", "01", BLOCK)).unwrap();
}

// ---------------------------------------------------------------------------
// Refusals.

#[test]
fn device_password_verifier_without_username_is_refused() {
    let parameters = [("SRP_B", "abcdef"), ("SALT", "01"), ("SECRET_BLOCK", BLOCK)];
    assert_eq!(
        PasswordVerifierChallenge::from_device_parameters(&parameters[..]),
        Err(SrpError::MissingParameter(Field::Username))
    );
    let parameters = [
        ("SRP_B", "abcdef"),
        ("SALT", "01"),
        ("SECRET_BLOCK", BLOCK),
        ("USERNAME", ""),
    ];
    assert!(matches!(
        PasswordVerifierChallenge::from_device_parameters(&parameters[..]),
        Err(SrpError::EmptyParameter(_))
    ));
    for missing in ["SRP_B", "SALT", "SECRET_BLOCK"] {
        let parameters: Vec<(&str, &str)> = [
            ("SRP_B", "abcdef"),
            ("SALT", "01"),
            ("SECRET_BLOCK", BLOCK),
            ("USERNAME", INTERNAL_USER),
        ]
        .into_iter()
        .filter(|(key, _)| *key != missing)
        .collect();
        assert!(
            matches!(
                PasswordVerifierChallenge::from_device_parameters(&parameters[..]),
                Err(SrpError::MissingParameter(_))
            ),
            "{missing}"
        );
    }
}

#[test]
fn srp_b_congruent_to_zero_is_refused() {
    let n_hex = n().to_str_radix(16);
    let two_n = (n() * 2u32).to_str_radix(16);
    let minus_n = format!("-{n_hex}");
    for srp_b in [
        "0",
        "000",
        n_hex.as_str(),
        &n_hex.to_uppercase(),
        two_n.as_str(),
        minus_n.as_str(),
    ] {
        let parameters = [
            ("SRP_B", srp_b),
            ("SALT", "01"),
            ("SECRET_BLOCK", BLOCK),
            ("USERNAME", INTERNAL_USER),
        ];
        assert_eq!(
            PasswordVerifierChallenge::from_device_parameters(&parameters[..]),
            Err(SrpError::SrpBModNZero),
            "SRP_B = {srp_b}"
        );
    }
}

#[test]
fn empty_device_key_or_username_is_refused() {
    assert_eq!(
        DeviceCredentials::new("", GROUP_KEY, Password::new("pw")).err(),
        Some(SrpError::EmptyParameter(Field::DeviceKey))
    );
    let too_long = "k".repeat(cognito_srp_auth::MAX_NAME_LEN + 1);
    assert!(matches!(
        DeviceCredentials::new(too_long, GROUP_KEY, Password::new("pw")),
        Err(SrpError::ValueTooLong {
            field: Field::DeviceKey,
            ..
        })
    ));
    let credentials = DeviceCredentials::new(DEVICE_KEY, GROUP_KEY, Password::new("pw")).unwrap();
    assert_eq!(
        client(false)
            .start_device_srp("", &credentials)
            .err()
            .map(|e| e.name()),
        Some("empty_parameter")
    );
    assert_eq!(
        client(false)
            .start_device_srp_with_rng(INTERNAL_USER, &credentials, &mut ReplayRng::new(Vec::new()))
            .err(),
        Some(SrpError::RandomnessUnavailable)
    );
}
