//! Regression tests for what the fuzz targets (`fuzz/`) check, and one test
//! per input they found that broke an invariant. Each fuzz-found case names
//! its target; the inputs are also in `fuzz/corpus/<target>/`.

use std::collections::HashMap;

use base64::Engine;
use cognito_srp_auth::MAX_SECRET_BLOCK_LEN;
use cognito_srp_auth::math::{SrpInteger, pad, parse_signed_hex};
use cognito_srp_auth::{PasswordVerifierChallenge, SecretBlock};
use num_bigint::BigInt;

fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

// ---- signed_hex_and_pad -------------------------------------------------

#[test]
fn signed_hex_round_trips_through_pad_and_to_hex() {
    for text in [
        "0", "-0", "80", "-80", "7f", "-81", "00ff", "-00ff", "FfF", "1",
    ] {
        let value = parse_signed_hex(text).unwrap();
        assert_eq!(BigInt::from_signed_bytes_be(&pad(&value)), value, "{text}");
        let integer = SrpInteger::from_signed_hex(text).unwrap();
        assert_eq!(parse_signed_hex(&integer.to_hex()), Some(value), "{text}");
    }
    // Non-ASCII "digits" are not hex (char::to_digit would say no anyway).
    for text in ["１", "-٣", "ｆ", "0x1", "+1", "- 1"] {
        assert_eq!(parse_signed_hex(text), None, "{text:?}");
    }
}

// ---- secret_block --------------------------------------------------------

#[test]
fn secret_block_re_encodes_in_its_alphabet_and_bounds_length() {
    for text in [
        "3q2-7w",
        "3q2+7w==",
        "AAE",
        "3f1c2a9e-7b4d-4e8a-9c21-5d6f7a8b9c0d",
    ] {
        let block = SecretBlock::decode(text).unwrap();
        let engine = if text.contains(['-', '_']) {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
        } else {
            base64::engine::general_purpose::STANDARD_NO_PAD
        };
        let again = SecretBlock::decode(&engine.encode(block.as_bytes())).unwrap();
        assert_eq!(again.as_bytes(), block.as_bytes());
    }
    assert!(SecretBlock::decode(&"AAAA".repeat(MAX_SECRET_BLOCK_LEN / 4 + 1)).is_err());
}

// ---- challenge_parameters ------------------------------------------------

#[test]
fn challenge_with_b_a_multiple_of_n_is_never_parsed() {
    let n_hex = cognito_srp_auth::math::N_HEX;
    let two_n = (cognito_srp_auth::math::n() * 2u32).to_str_radix(16);
    let minus_n = format!("-{n_hex}");
    for b in ["0", "-0", "000", n_hex, &two_n, &minus_n] {
        let user = params(&[
            ("SRP_B", b),
            ("SALT", "ab"),
            ("SECRET_BLOCK", "AAE="),
            ("USER_ID_FOR_SRP", "u"),
        ]);
        assert!(
            PasswordVerifierChallenge::from_parameters(&user).is_err(),
            "{b}"
        );
        let device = params(&[
            ("SRP_B", b),
            ("SALT", "ab"),
            ("SECRET_BLOCK", "AAE="),
            ("USERNAME", "u"),
        ]);
        assert!(
            PasswordVerifierChallenge::from_device_parameters(&device).is_err(),
            "{b}"
        );
    }
}

// ---- transport_response --------------------------------------------------

#[cfg(feature = "http")]
mod transport_response {
    use cognito_srp_auth::transport::{MalformedProblem, TransportError, parse_response};
    use cognito_srp_auth::wire::{InitiateAuthResponse, Operation};

    fn parse(
        status: u16,
        header: Option<&str>,
        body: &str,
    ) -> Result<InitiateAuthResponse, TransportError> {
        parse_response(Operation::InitiateAuth, status, header, body.as_bytes())
    }

    #[test]
    fn success_statuses_decode_or_name_invalid_json() {
        assert!(parse(200, None, r#"{"ChallengeName":"PASSWORD_VERIFIER"}"#).is_ok());
        assert!(parse(200, None, " \n").is_ok(), "an empty body is {{}}");
        for body in ["{", "[]", "\u{1}", r#"{"ChallengeParameters":[]}"#] {
            let error = parse(200, None, body).unwrap_err();
            assert!(
                matches!(
                    error,
                    TransportError::MalformedResponse {
                        problem: MalformedProblem::InvalidJson,
                        ..
                    }
                ),
                "{body:?}: {error:?}"
            );
        }
    }

    #[test]
    fn failure_statuses_are_service_errors_or_name_the_missing_code() {
        let error = parse(400, Some("aws#NotAuthorizedException:http://x"), "").unwrap_err();
        assert!(
            matches!(&error, TransportError::Service { code, .. } if code == "NotAuthorizedException"),
            "{error:?}"
        );
        for (header, body) in [(None, ""), (Some(""), "{}"), (Some("#:"), "not json")] {
            let error = parse(500, header, body).unwrap_err();
            assert!(
                matches!(
                    error,
                    TransportError::MalformedResponse {
                        problem: MalformedProblem::NoErrorCode,
                        ..
                    }
                ),
                "{header:?} {body:?}: {error:?}"
            );
        }
    }
}

// ---- local_pool_request --------------------------------------------------

#[cfg(feature = "local-pool")]
mod local_pool_request {
    use cognito_srp_auth::local_pool::{AppClient, LocalPool, OfflinePool, SeedUser};
    use cognito_srp_auth::wire::AwsErrorBody;
    use cognito_srp_auth::{ClientId, Password, UserPoolId};

    const PREFIX: &str = "AWSCognitoIdentityProviderService.";

    fn pool() -> OfflinePool {
        LocalPool::builder()
            .user_pool_id(UserPoolId::parse("us-east-1_AbCdEf123").unwrap())
            .client(AppClient::new(ClientId::new("fuzzclient").unwrap(), None))
            .user(SeedUser::new("alice", Password::new("Password1!")))
            .build_offline()
            .unwrap()
    }

    /// 200 with a JSON object, or an AWS error whose `__type` is the header's.
    fn assert_aws_answer(pool: &OfflinePool, target: Option<&str>, body: &[u8]) -> u16 {
        let answer = pool.handle(target, body);
        if answer.status == 200 {
            let value: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
            assert!(value.is_object());
        } else {
            assert!((400..600).contains(&answer.status));
            let error: AwsErrorBody = serde_json::from_slice(&answer.body).unwrap();
            assert_eq!(error.error_type.as_deref(), answer.error_type.as_deref());
            assert!(error.message.is_some());
        }
        answer.status
    }

    #[test]
    fn the_offline_pool_answers_garbage_with_aws_errors() {
        let pool = pool();
        let initiate = format!("{PREFIX}InitiateAuth");
        let cases: [(Option<&str>, &[u8]); 7] = [
            (None, b"{}"),
            (Some("ListUsers"), b"{}"),
            (Some(&initiate), b""),
            (Some(&initiate), b"{\"AuthFlow\":"),
            (Some(&initiate), b"{\"AuthFlow\":1}"),
            (Some(&initiate), b"\xff\xfe"),
            (Some(&initiate), br#"{"AuthFlow":"USER_SRP_AUTH","ClientId":"fuzzclient","AuthParameters":{"USERNAME":"alice","SRP_A":"0"}}"#),
        ];
        for (target, body) in cases {
            assert_ne!(assert_aws_answer(&pool, target, body), 200);
        }
        let ok = br#"{"AuthFlow":"USER_SRP_AUTH","ClientId":"fuzzclient","AuthParameters":{"USERNAME":"alice","SRP_A":"2"}}"#;
        assert_eq!(assert_aws_answer(&pool, Some(&initiate), ok), 200);
        assert!(pool.user_sub("alice").is_some());
    }
}
