//! Property tests: the invariants the protocol depends on.

use cognito_srp_auth::math::{SrpInteger, pad, parse_signed_hex};
use cognito_srp_auth::steps;
use cognito_srp_auth::{PasswordVerifierChallenge, SecretInteger, SrpError};
use num_bigint::{BigInt, BigUint, Sign};
use proptest::prelude::*;

fn any_bigint(max_bytes: usize) -> impl Strategy<Value = BigInt> {
    (
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..max_bytes),
    )
        .prop_map(|(neg, bytes)| {
            let sign = if neg { Sign::Minus } else { Sign::Plus };
            BigInt::from_bytes_be(sign, &bytes)
        })
}

/// Renders `v` as Cognito might: any case mix, leading zeros.
fn render_hex(v: &BigInt, upper_mask: u64, leading_zeros: usize) -> String {
    let magnitude = v.magnitude().to_str_radix(16);
    let digits: String = magnitude
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if upper_mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    let sign = if v.sign() == Sign::Minus { "-" } else { "" };
    format!("{sign}{}{digits}", "0".repeat(leading_zeros))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn pad_is_java_to_byte_array(v in any_bigint(80)) {
        prop_assert_eq!(pad(&v), crate::support::reference::slow_pad(&v));
    }

    #[test]
    fn pad_round_trips(v in any_bigint(80)) {
        prop_assert_eq!(BigInt::from_signed_bytes_be(&pad(&v)), v);
    }

    #[test]
    fn signed_hex_round_trips_in_any_case_with_leading_zeros(
        v in any_bigint(400), mask in any::<u64>(), zeros in 0usize..5,
    ) {
        let text = render_hex(&v, mask, zeros);
        prop_assert_eq!(parse_signed_hex(&text), Some(v.clone()));
        let integer = SrpInteger::from_signed_hex(&text).unwrap();
        prop_assert_eq!(integer.as_bigint(), &v);
    }

    #[test]
    fn every_b_congruent_to_zero_is_refused(
        multiple in -3i64..=3, mask in any::<u64>(), zeros in 0usize..4,
    ) {
        let b = BigInt::from_biguint(Sign::Plus, crate::support::reference::n()) * multiple;
        let srp_b = render_hex(&b, mask, zeros);
        let challenge = PasswordVerifierChallenge::new(&srp_b, "0a", "AAAA", "user");
        prop_assert_eq!(challenge.unwrap_err(), SrpError::SrpBModNZero);
        // The step function refuses on its own too, whoever calls it.
        let b = SrpInteger::from_signed_hex(&srp_b).unwrap();
        let one = SrpInteger::from_be_bytes(&[1]);
        let secret = SecretInteger::from_be_bytes(&[7]);
        prop_assert_eq!(
            steps::premaster_secret(&b, &one, &secret, &secret).unwrap_err(),
            SrpError::SrpBModNZero
        );
    }

    #[test]
    fn b_not_congruent_to_zero_is_accepted(extra in 1u64.., multiple in 0u32..3) {
        let b = crate::support::reference::n() * BigUint::from(multiple) + BigUint::from(extra % 1_000_000 + 1);
        let srp_b = b.to_str_radix(16);
        prop_assert!(PasswordVerifierChallenge::new(&srp_b, "0a", "AAAA", "user").is_ok());
    }
}
