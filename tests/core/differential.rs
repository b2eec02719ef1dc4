//! The crate's SRP math against a direct, slow num-bigint computation
//! (tests/common) on random inputs: every intermediate value and the signature.

use base64::Engine;
use cognito_srp_auth::SrpStart;
use cognito_srp_auth::math::SrpInteger;
use cognito_srp_auth::steps;
use cognito_srp_auth::{
    ClientId, CognitoTimestamp, Password, PasswordVerifierChallenge, SecretInteger, SrpClient,
    StartOptions, UserPoolId,
};
use num_bigint::{BigInt, BigUint, Sign};
use proptest::prelude::*;

/// a, B, negative salt?, salt magnitude, pool name, user id, secret block.
type Inputs = (Vec<u8>, Vec<u8>, bool, Vec<u8>, String, String, Vec<u8>);

fn inputs() -> impl Strategy<Value = Inputs> {
    (
        prop::collection::vec(any::<u8>(), 1..200), // a: any size, including > N
        prop::collection::vec(any::<u8>(), 1..400), // B: up to ~2N
        any::<bool>(),                              // negative salt
        prop::collection::vec(any::<u8>(), 1..40),  // salt magnitude
        "[A-Za-z0-9]{1,20}",                        // pool name
        "\\PC{1,30}",                               // user id (any printable Unicode)
        prop::collection::vec(any::<u8>(), 1..300), // secret block bytes
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn steps_match_a_direct_num_bigint_computation(
        (a, b, negative_salt, salt, pool, user, block) in inputs(),
        password in "\\PC{0,40}",
    ) {
        prop_assume!(a.iter().any(|&x| x != 0));
        let b_int = BigInt::from_bytes_be(Sign::Plus, &b);
        let n = BigInt::from_biguint(Sign::Plus, crate::support::reference::n());
        prop_assume!(&b_int % &n != BigInt::from(0));
        let salt_int = BigInt::from_bytes_be(if negative_salt { Sign::Minus } else { Sign::Plus }, &salt);
        let timestamp = CognitoTimestamp::parse("Tue Feb 3 07:08:09 UTC 2026").unwrap();
        let reference = crate::support::reference::reference_login(
            &BigUint::from_bytes_be(&a), &b_int, &salt_int, &pool, &user, &password, &block,
            timestamp.as_str(),
        );

        let secret_a = SecretInteger::from_be_bytes(&a);
        let srp_a = steps::srp_a(&secret_a).unwrap();
        prop_assert_eq!(srp_a.to_hex(), reference.srp_a.to_str_radix(16), "A");
        let block_b64 = base64::engine::general_purpose::STANDARD.encode(&block);
        let challenge = PasswordVerifierChallenge::new(
            &b_int.to_str_radix(16), &salt_int.to_str_radix(16), &block_b64, &user,
        ).unwrap();
        let u = steps::scrambling_parameter(&srp_a, challenge.srp_b()).unwrap();
        prop_assert_eq!(u.to_hex(), reference.u.to_str_radix(16), "u");
        let x = steps::private_key(challenge.salt(), &pool, &user, &Password::new(password.clone()));
        prop_assert_eq!(x.expose_hex().to_string(), reference.x.to_str_radix(16), "x");
        let s = steps::premaster_secret(challenge.srp_b(), &u, &x, &secret_a).unwrap();
        prop_assert_eq!(s.expose_hex().to_string(), reference.s.to_str_radix(16), "S");
        let key = steps::session_key(&s, &u).unwrap();
        prop_assert_eq!(key.expose_bytes().as_slice(), reference.key.as_slice(), "key");
        let signature = steps::password_claim_signature(
            &key, &pool, &user, challenge.secret_block(), &timestamp,
        );
        prop_assert_eq!(&signature, &reference.signature, "signature");

        // And through the session API, as an application uses it.
        let pool_id = UserPoolId::parse(&format!("us-east-1_{pool}")).unwrap();
        let client = SrpClient::new(pool_id, ClientId::new("client").unwrap());
        let SrpStart { session, .. } = client.start_with_secret_exponent(
            "alias", Password::new(password), &StartOptions::default(), secret_a,
        ).unwrap();
        let answer = session.respond(&challenge, &timestamp).unwrap();
        prop_assert_eq!(answer.password_claim_signature(), reference.signature.as_str());
    }
}

#[test]
fn srp_a_of_random_secrets_matches_modpow() {
    use rand_chacha::ChaCha20Rng;
    use rand_chacha::rand_core::SeedableRng;
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let client = SrpClient::new(
        UserPoolId::parse("eu-west-1_pool").unwrap(),
        ClientId::new("c").unwrap(),
    );
    for _ in 0..8 {
        let SrpStart {
            parameters: params,
            session,
            ..
        } = client
            .start_with_rng(
                "user",
                Password::new("pw"),
                &StartOptions::default(),
                &mut rng,
            )
            .unwrap();
        let a = SrpInteger::from_signed_hex(params.srp_a()).unwrap();
        assert_eq!(&a, session.srp_a());
        assert!(!a.is_zero_mod_n());
        assert!(
            params.srp_a().len() > 700,
            "A should be a full-size group element"
        );
    }
}
