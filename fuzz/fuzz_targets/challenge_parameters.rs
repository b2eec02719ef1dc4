//! `ChallengeParameters` as Cognito (or a hostile server) sends them →
//! `PasswordVerifierChallenge::from_parameters` / `from_device_parameters`,
//! and when that parses, the whole client answer with a fixed `a`.
//!
//! Input: text. The first line selects the parser (`device` → device
//! challenge, anything else → user challenge); every further line is
//! `KEY=VALUE` (split at the first `=`; later lines win).
//!
//! Invariants: no panic; a challenge parses only if `B ≢ 0 (mod N)`; the
//! answer (signature) is produced only for a parsed challenge and echoes its
//! `SECRET_BLOCK` and user id; the signature is base64 of 32 bytes.
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use base64::Engine;
use chrono::{TimeZone, Utc};
use cognito_srp_auth::math::{n, parse_signed_hex};
use cognito_srp_auth::{
    ClientId, ClientSecret, CognitoTimestamp, DeviceCredentials, Password,
    PasswordVerifierChallenge, SecretInteger, SrpClient, StartOptions, UserPoolId,
};
use libfuzzer_sys::fuzz_target;
use num_bigint::{BigInt, Sign};
use num_traits_shim::is_zero_mod_n;

/// A fixed ephemeral secret (the first user vector's `a`).
const A_HEX: &str = "19cda7e101d9552e6d486e1a267b1f5f8856f27ac57b1805d63b0b1872fdb6c4d68af92180ef2061fd88c90ef59d9e91b48a7228f2287c281b1783f6ed63cee0c36323f640258a5852cd9bccf4df49fd887903af4851832f2b284359c4d0a022682931a8ab5d369a3e5c5f5ebfb4feafb7e0df06614e0d64de64b2277fad586";

fn client() -> &'static SrpClient {
    static CLIENT: OnceLock<SrpClient> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let pool = UserPoolId::parse("us-east-1_AbCdEf123").expect("pool id");
        let id = ClientId::new("fuzzclient").expect("client id");
        SrpClient::new(pool, id).with_client_secret(ClientSecret::new("fuzz-secret"))
    })
}

fn timestamp() -> CognitoTimestamp {
    CognitoTimestamp::from(Utc.with_ymd_and_hms(2026, 2, 3, 7, 8, 9).unwrap())
}

mod num_traits_shim {
    use super::*;
    /// `B mod N == 0`, computed independently of the crate's `SrpInteger`.
    pub fn is_zero_mod_n(b: &BigInt) -> bool {
        let modulus = BigInt::from_biguint(Sign::Plus, n().clone());
        (b % &modulus) == BigInt::from(0)
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let device = lines.next() == Some("device");
    let mut params: HashMap<String, String> = HashMap::new();
    for line in lines {
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        params.insert(key.to_owned(), value.to_owned());
    }

    let parsed = if device {
        PasswordVerifierChallenge::from_device_parameters(&params)
    } else {
        PasswordVerifierChallenge::from_parameters(&params)
    };
    let Ok(challenge) = parsed else {
        // Refused: there is no challenge, so nothing can be signed.
        return;
    };

    // Parsed ⇒ SRP_B was present, signed hex, and B ≢ 0 (mod N).
    let b_text = params.get("SRP_B").expect("parsed without SRP_B");
    let b = parse_signed_hex(b_text).expect("parsed a non-hex SRP_B");
    assert!(!is_zero_mod_n(&b), "accepted B ≡ 0 (mod N): {b_text}");
    assert_eq!(challenge.srp_b().as_bigint(), &b);
    assert!(!challenge.srp_b().is_zero_mod_n());
    let salt = params.get("SALT").expect("parsed without SALT");
    assert_eq!(
        Some(challenge.salt().as_bigint().clone()),
        parse_signed_hex(salt)
    );
    assert_eq!(
        Some(challenge.secret_block().as_str()),
        params.get("SECRET_BLOCK").map(String::as_str)
    );

    let a = SecretInteger::from_hex(A_HEX).expect("a");
    let answer = if device {
        let credentials = match DeviceCredentials::new(
            "us-east-1_0b3f3c0e-6a5a-4b3c-9a7e-2f1d0c9b8a7e",
            "-Abc123xyz",
            Password::new("device password"),
        ) {
            Ok(c) => c,
            Err(e) => panic!("device credentials: {e}"),
        };
        let start = client()
            .start_device_srp_with_secret_exponent(challenge.user_id_for_srp(), &credentials, a)
            .expect("device start");
        start.session.respond(&challenge, &timestamp())
    } else {
        let start = client()
            .start_with_secret_exponent(
                "alice",
                Password::new("Password1!"),
                &StartOptions::default(),
                a,
            )
            .expect("start");
        start.session.respond(&challenge, &timestamp())
    };
    if let Ok(answer) = answer {
        assert_eq!(answer.username(), challenge.user_id_for_srp());
        assert_eq!(
            answer.password_claim_secret_block(),
            challenge.secret_block().as_str()
        );
        let signature = base64::engine::general_purpose::STANDARD
            .decode(answer.password_claim_signature())
            .expect("signature is base64");
        assert_eq!(signature.len(), 32);
        assert_eq!(answer.timestamp(), "Tue Feb 3 07:08:09 UTC 2026");
    }
});
