//! Differential tests of the 3072-bit backend against num-bigint.
//! Every operation, on every backend this CPU can run (portable u64, BMI2 +
//! ADX and AVX-512 IFMA), and on the process-wide choice (`COGNITO_SRP_BACKEND`,
//! which `scripts/test.sh` pins to each backend in turn), is compared with plain num-bigint on random and edge inputs
//! (0, 1, N−1, bases ≥ N, exponent 0, all-ones exponents, exponents larger than N).

use cognito_srp_auth::math::backend::{
    Backend, MODULUS, MontgomeryForm, U3072, add_mod, mont_mul, mont_mul_with, mont_square,
    mont_square_with, mul_mod, mul_mod_with, pow, pow_g, pow_g_with, pow_with, reduce_mod_n,
    selected, sub_mod,
};
use num_bigint::BigUint;
use proptest::prelude::*;

fn n() -> BigUint {
    BigUint::from_bytes_be(&MODULUS.to_be_bytes())
}

fn big(x: &U3072) -> BigUint {
    BigUint::from_bytes_be(&x.to_be_bytes())
}

fn u(x: &BigUint) -> U3072 {
    U3072::from_be_bytes(&x.to_bytes_be()).expect("fits")
}

fn hex(x: &U3072) -> String {
    big(x).to_str_radix(16)
}

fn r_inv() -> BigUint {
    // R^-1 = R^(N-2) mod N (N prime).
    let r = BigUint::from(1u8) << 3072u32;
    r.modpow(&(n() - BigUint::from(2u8)), &n())
}

const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

/// Every backend this machine can run (the portable one always).
fn backends() -> Vec<Backend> {
    [Backend::Portable, Backend::Adx, Backend::Ifma]
        .into_iter()
        .filter(|b| b.is_available())
        .collect()
}

/// Checks the default `pow` and every available backend against num-bigint.
fn check_pow(base: &BigUint, exp: &[u8], what: &str) {
    let want = base
        .modpow(&BigUint::from_bytes_be(exp), &n())
        .to_str_radix(16);
    let got = pow(&u(base), exp);
    assert_eq!(hex(&got), want, "pow mismatch: {what}");
    for b in backends() {
        let got = pow_with(b, &u(base), exp).expect("available");
        assert_eq!(hex(&got), want, "pow mismatch ({b:?}): {what}");
    }
}

/// Checks the default `pow_g` and every available backend against num-bigint.
fn check_pow_g(exp: &[u8], what: &str) {
    let want = BigUint::from(2u8)
        .modpow(&BigUint::from_bytes_be(exp), &n())
        .to_str_radix(16);
    assert_eq!(hex(&pow_g(exp)), want, "pow_g mismatch: {what}");
    for b in backends() {
        let got = pow_g_with(b, exp).expect("available");
        assert_eq!(hex(&got), want, "pow_g mismatch ({b:?}): {what}");
    }
}

/// Checks mont_mul, mont_square and mul_mod on every backend.
fn check_mul(a: &BigUint, b: &BigUint) {
    let nn = n();
    let ri = r_inv();
    let ma = MontgomeryForm::from_raw(&u(a));
    let mb = MontgomeryForm::from_raw(&u(b));
    let want_mont = (a * b * &ri) % &nn;
    let want_sq = (a * a * &ri) % &nn;
    let want_mul = (a * b) % &nn;
    assert_eq!(big(&mont_mul(&ma, &mb).to_raw()), want_mont);
    assert_eq!(big(&mont_square(&ma).to_raw()), want_sq);
    assert_eq!(big(&mul_mod(&u(a), &u(b))), want_mul);
    for bk in backends() {
        let got = mont_mul_with(bk, &ma, &mb).expect("available");
        assert_eq!(big(&got.to_raw()), want_mont, "mont_mul {bk:?}");
        let got = mont_square_with(bk, &ma).expect("available");
        assert_eq!(big(&got.to_raw()), want_sq, "mont_square {bk:?}");
        let got = mul_mod_with(bk, &u(a), &u(b)).expect("available");
        assert_eq!(big(&got), want_mul, "mul_mod {bk:?}");
    }
}

#[test]
fn ifma_backend_matches_cpu() {
    #[cfg(target_arch = "x86_64")]
    let cpu = std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512ifma");
    #[cfg(not(target_arch = "x86_64"))]
    let cpu = false;
    assert_eq!(Backend::Ifma.is_available(), cpu);
    assert!(Backend::Portable.is_available());
    if !cpu {
        eprintln!("note: no AVX-512 IFMA on this CPU; only the portable backend is tested");
    }
}

#[test]
fn adx_backend_matches_cpu() {
    #[cfg(target_arch = "x86_64")]
    let cpu =
        std::arch::is_x86_feature_detected!("bmi2") && std::arch::is_x86_feature_detected!("adx");
    #[cfg(not(target_arch = "x86_64"))]
    let cpu = false;
    assert_eq!(Backend::Adx.is_available(), cpu);
    if !cpu {
        eprintln!("note: no BMI2 + ADX on this CPU; the adx backend is not tested");
    }
}

/// The process-wide backend honours `COGNITO_SRP_BACKEND` when this CPU has the
/// backend it names (so a pinned run of this binary really tests that backend)
/// and is always an available one.
#[test]
fn selected_backend_follows_env() {
    let chosen = selected();
    assert!(chosen.is_available(), "{chosen:?}");
    assert_eq!(cognito_srp_auth::arithmetic_backend(), chosen.name());
    let pinned = std::env::var("COGNITO_SRP_BACKEND").unwrap_or_default();
    let named = [Backend::Portable, Backend::Adx, Backend::Ifma]
        .into_iter()
        .find(|b| b.name() == pinned.trim().to_ascii_lowercase());
    match named {
        Some(b) if b.is_available() => assert_eq!(chosen, b, "pinned to {pinned}"),
        _ => {
            let auto = [Backend::Ifma, Backend::Adx, Backend::Portable]
                .into_iter()
                .find(|b| b.is_available());
            assert_eq!(Some(chosen), auto, "auto for {pinned:?}");
        }
    }
    eprintln!("note: the automatic entry points run on {}", chosen.name());
}

fn pseudo_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 32) as u8
        })
        .collect()
}

fn reduced(bytes: &[u8]) -> BigUint {
    BigUint::from_bytes_be(bytes) % n()
}

#[test]
fn modulus_matches_rfc() {
    assert_eq!(hex(&MODULUS), N_HEX);
}

#[test]
fn byte_round_trip_and_limits() {
    let x = reduced(&pseudo_bytes(7, 384));
    let ux = u(&x);
    assert_eq!(BigUint::from_bytes_be(&ux.to_be_bytes()), x);
    // Leading zero bytes of any length are allowed.
    let mut padded = vec![0u8; 500];
    padded.extend_from_slice(&x.to_bytes_be());
    assert_eq!(U3072::from_be_bytes(&padded).expect("fits"), ux);
    // 2^3072 does not fit, 2^3072 - 1 does.
    let mut too_big = vec![0u8; 385];
    too_big[0] = 1;
    assert!(U3072::from_be_bytes(&too_big).is_none());
    assert!(U3072::from_be_bytes(&[0xff; 384]).is_some());
    assert!(U3072::from_be_bytes(&[]).expect("empty").is_zero());
    assert!(U3072::ZERO.is_zero());
    assert!(!U3072::ONE.is_zero());
    assert_eq!(format!("{:?}", ux), "U3072([redacted])");
}

#[test]
fn pow_edge_cases() {
    let nn = n();
    let ones = |bits: usize| vec![0xffu8; bits / 8];
    let bases = [
        BigUint::from(0u8),
        BigUint::from(1u8),
        BigUint::from(2u8),
        &nn - 1u8,
        reduced(&pseudo_bytes(1, 384)),
    ];
    let mut e4000 = pseudo_bytes(2, 500);
    e4000[0] |= 0x80;
    let exps: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("zero", vec![0]),
        ("zeros", vec![0; 40]),
        ("one", vec![1]),
        ("one-leading-zeros", vec![0, 0, 0, 1]),
        ("ones256", ones(256)),
        ("ones1024", ones(1024)),
        ("ones3072", ones(3072)),
        ("n", nn.to_bytes_be()),
        ("n-1", (&nn - 1u8).to_bytes_be()),
        ("4000-bit", e4000),
        ("random1024-leading-zero", {
            let mut e = vec![0u8; 3];
            e.extend(pseudo_bytes(3, 128));
            e
        }),
    ];
    for (bi, b) in bases.iter().enumerate() {
        for (name, e) in &exps {
            check_pow(b, e, &format!("base #{bi}, exponent {name}"));
        }
    }
}

#[test]
fn pow_bases_at_least_n() {
    // Not needed by callers (they reduce first), but every value < 2^3072 works.
    let nn = n();
    let r = BigUint::from(1u8) << 3072u32;
    for base in [nn.clone(), &nn + 1u8, &r - 1u8, &r - 2u8] {
        for e in [vec![], vec![1], pseudo_bytes(4, 128), vec![0xff; 40]] {
            let want = base.modpow(&BigUint::from_bytes_be(&e), &nn);
            for b in backends() {
                let got = pow_with(b, &u(&base), &e).expect("available");
                assert_eq!(big(&got), want, "{b:?}");
            }
        }
    }
}

#[test]
fn pow_g_edge_cases() {
    for len in [0usize, 1, 31, 32, 33, 64, 127, 128, 129, 188, 384, 500] {
        check_pow_g(&vec![0u8; len], &format!("zero of {len} bytes"));
        check_pow_g(&vec![0xffu8; len], &format!("all-ones of {len} bytes"));
        check_pow_g(
            &pseudo_bytes(len as u64 + 11, len),
            &format!("random of {len} bytes"),
        );
    }
}

/// One exponent bit at a time: bit k alone gives g^(2^k), so every bit of
/// each comb's layout (which row, tooth and step reads it, across the
/// table's segments) is checked on its own, against successive squarings.
#[test]
fn pow_g_single_bits() {
    let nn = n();
    for len in [32usize, 128] {
        let mut want = BigUint::from(2u8);
        for k in 0..8 * len {
            // Every bit of the 256-bit comb; in the 1024-bit one the first 64
            // bits, the bits next to each 264-bit segment boundary and to the
            // end, and every 7th elsewhere (the debug build is slow).
            let near_edge = (k % 264) < 3 || (k % 264) > 260 || k < 64 || k + 3 > 8 * len;
            if len == 32 || near_edge || k % 7 == 0 {
                let mut exp = vec![0u8; len];
                exp[len - 1 - k / 8] = 1 << (k % 8);
                for b in backends() {
                    let got = pow_g_with(b, &exp).expect("available");
                    assert_eq!(big(&got), want, "pow_g(2^{k}), {len}-byte exponent ({b:?})");
                }
            }
            want = (&want * &want) % &nn;
        }
    }
}

#[test]
fn reduce_mod_n_cases() {
    let nn = n();
    let cases: Vec<(&str, BigUint)> = vec![
        ("0", BigUint::from(0u8)),
        ("N-1", &nn - 1u8),
        ("N", nn.clone()),
        ("N+1", &nn + 1u8),
        ("2N", &nn * 2u8),
        ("2^3072-1", (BigUint::from(1u8) << 3072u32) - 1u8),
        (
            "768-byte random",
            BigUint::from_bytes_be(&pseudo_bytes(5, 768)),
        ),
        (
            "1000-byte random",
            BigUint::from_bytes_be(&pseudo_bytes(6, 1000)),
        ),
    ];
    for (name, v) in cases {
        let want = &v % &nn;
        assert_eq!(
            hex(&reduce_mod_n(&v.to_bytes_be())),
            want.to_str_radix(16),
            "reduce {name}"
        );
        let mut padded = vec![0u8; 17];
        padded.extend(v.to_bytes_be());
        assert_eq!(
            hex(&reduce_mod_n(&padded)),
            want.to_str_radix(16),
            "reduce padded {name}"
        );
    }
    assert!(reduce_mod_n(&[]).is_zero());
}

#[test]
fn mod_ops_edge_cases() {
    let nn = n();
    let vals = [
        BigUint::from(0u8),
        BigUint::from(1u8),
        &nn - 1u8,
        &nn - 2u8,
        reduced(&pseudo_bytes(9, 384)),
        // R mod N (Montgomery 1), a power of two, runs of all-ones 52-bit digits.
        (BigUint::from(1u8) << 3072u32) % &nn,
        BigUint::from(1u8) << 3071u32,
        (BigUint::from(1u8) << 3068u32) - 1u8,
        &nn - (BigUint::from(1u8) << 2600u32),
    ];
    for a in &vals {
        for b in &vals {
            assert_eq!(big(&add_mod(&u(a), &u(b))), (a + b) % &nn);
            assert_eq!(big(&sub_mod(&u(a), &u(b))), (a + &nn - b) % &nn);
            check_mul(a, b);
        }
        assert_eq!(big(&MontgomeryForm::new(&u(a)).retrieve()), a.clone());
    }
}

#[test]
fn montgomery_form_round_trip_any_width() {
    // `MontgomeryForm::new` accepts any value < 2^3072 (it reduces).
    let nn = n();
    let r = BigUint::from(1u8) << 3072u32;
    for x in [
        BigUint::from(0u8),
        nn.clone(),
        &nn + 5u8,
        &r - 1u8,
        reduced(&pseudo_bytes(12, 384)),
    ] {
        let m = MontgomeryForm::new(&u(&x));
        assert_eq!(big(&m.to_raw()), (&x * &r) % &nn);
        assert_eq!(big(&m.retrieve()), &x % &nn);
    }
}

/// Checks `mont_square` (default and every backend) against num-bigint.
fn check_square(a: &BigUint, what: &str) {
    let want = (a * a * r_inv()) % n();
    let ma = MontgomeryForm::from_raw(&u(a));
    assert_eq!(big(&mont_square(&ma).to_raw()), want, "mont_square: {what}");
    for bk in backends() {
        let got = mont_square_with(bk, &ma).expect("available");
        assert_eq!(big(&got.to_raw()), want, "mont_square {bk:?}: {what}");
    }
}

/// The value of 48 little-endian limbs, reduced mod N.
fn from_limbs(limbs: &[u64; 48]) -> BigUint {
    limbs
        .iter()
        .rev()
        .fold(BigUint::from(0u8), |acc, &l| (acc << 64u32) + l)
        % n()
}

#[test]
fn mont_square_edge_cases() {
    let nn = n();
    let one = BigUint::from(1u8);
    let mut cases: Vec<(String, BigUint)> = vec![
        ("0".into(), BigUint::from(0u8)),
        ("1".into(), one.clone()),
        ("2".into(), BigUint::from(2u8)),
        ("N-1".into(), &nn - 1u8),
        ("N-2".into(), &nn - 2u8),
        ("R mod N".into(), (&one << 3072u32) % &nn),
        ("2^3071".into(), &one << 3071u32),
        ("N - 2^3008".into(), &nn - (&one << 3008u32)),
    ];
    // Runs of all-ones limbs from the bottom, and all-ones limbs alternating
    // with zero limbs, and the all-ones value reduced.
    for k in [1u32, 2, 24, 47] {
        cases.push((format!("2^(64·{k}) - 1"), (&one << (64 * k)) - 1u8));
    }
    let mut alt = [0u64; 48];
    for (i, l) in alt.iter_mut().enumerate() {
        *l = if i % 2 == 0 { u64::MAX } else { 0 };
    }
    cases.push(("alternating limbs".into(), from_limbs(&alt)));
    alt.reverse();
    cases.push(("alternating limbs, shifted".into(), from_limbs(&alt)));
    cases.push(("2^3072 - 1 mod N".into(), from_limbs(&[u64::MAX; 48])));
    for (name, a) in &cases {
        check_square(a, name);
    }
}

#[test]
fn repeated_squaring_matches() {
    // 64 chained squarings on every backend (the kernel feeds itself, as in
    // pow): a^(2^64)·R^(1 - 2^64) mod N.
    let nn = n();
    let a = reduced(&pseudo_bytes(21, 384));
    let ri = r_inv();
    for bk in backends() {
        let mut got = MontgomeryForm::from_raw(&u(&a));
        let mut want = a.clone();
        for step in 0..64 {
            got = mont_square_with(bk, &got).expect("available");
            want = (&want * &want * &ri) % &nn;
            assert_eq!(big(&got.to_raw()), want, "{bk:?}, squaring #{step}");
        }
    }
}

/// 48 limbs, each all-ones, zero or random: values with long carry runs.
fn limb_pattern() -> impl Strategy<Value = BigUint> {
    prop::collection::vec(prop_oneof![Just(u64::MAX), Just(0u64), any::<u64>()], 48).prop_map(|v| {
        let mut limbs = [0u64; 48];
        limbs.copy_from_slice(&v);
        from_limbs(&limbs)
    })
}

fn elem() -> impl Strategy<Value = BigUint> {
    prop::collection::vec(any::<u8>(), 384).prop_map(|b| reduced(&b))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn mont_ops_match(a in elem(), b in elem()) {
        let nn = n();
        check_mul(&a, &b);
        prop_assert_eq!(big(&add_mod(&u(&a), &u(&b))), (&a + &b) % &nn);
        prop_assert_eq!(big(&sub_mod(&u(&a), &u(&b))), (&a + &nn - &b) % &nn);
    }

    #[test]
    fn mont_square_matches(a in prop_oneof![elem(), limb_pattern()]) {
        check_square(&a, "proptest");
    }

    #[test]
    fn pow_matches(a in elem(), e in prop::collection::vec(any::<u8>(), 0..=160)) {
        check_pow(&a, &e, "proptest");
    }

    #[test]
    fn pow_g_matches(e in prop_oneof![
        prop::collection::vec(any::<u8>(), 32),
        prop::collection::vec(any::<u8>(), 128),
        prop::collection::vec(any::<u8>(), 188),
        prop::collection::vec(any::<u8>(), 0..=200),
    ]) {
        check_pow_g(&e, "proptest");
    }

    #[test]
    fn reduce_matches(v in prop::collection::vec(any::<u8>(), 0..=800)) {
        let want = BigUint::from_bytes_be(&v) % n();
        prop_assert_eq!(big(&reduce_mod_n(&v)), want);
    }

    #[test]
    fn bytes_round_trip(v in prop::collection::vec(any::<u8>(), 0..=384)) {
        let x = U3072::from_be_bytes(&v).expect("fits");
        prop_assert_eq!(BigUint::from_bytes_be(&x.to_be_bytes()), BigUint::from_bytes_be(&v));
    }
}

#[test]
fn modulus_is_the_rfc_3526_prime() {
    assert_eq!(n(), crate::support::reference::n());
}
