//! Slow, obvious reference implementations for differential and property tests,
//! written straight from the protocol description with no code shared with the crate.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine;
use hmac::{KeyInit, Mac};
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{Signed, Zero};
use sha2::{Digest, Sha256};

pub(crate) const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

pub(crate) fn n() -> BigUint {
    BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap()
}

/// Java `BigInteger.toByteArray()`, the slow way: the shortest byte string whose
/// two's-complement reading is `v`.
pub(crate) fn slow_pad(v: &BigInt) -> Vec<u8> {
    for len in 1usize.. {
        let modulus = BigInt::from(1) << (8 * len);
        let half = &modulus >> 1;
        if v >= &(-&half) && v < &half {
            let unsigned = if v.is_negative() {
                v + &modulus
            } else {
                v.clone()
            };
            let (_, mut bytes) = unsigned.to_bytes_be();
            while bytes.len() < len {
                bytes.insert(0, 0);
            }
            if unsigned.is_zero() {
                bytes = vec![0; len];
            }
            return bytes;
        }
    }
    unreachable!()
}

fn h(parts: &[&[u8]]) -> Vec<u8> {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().to_vec()
}

pub(crate) struct Reference {
    pub srp_a: BigUint,
    pub u: BigUint,
    pub x: BigUint,
    pub s: BigUint,
    pub key: Vec<u8>,
    pub signature: String,
}

/// The whole client computation with plain num-bigint `modpow`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn reference_login(
    a: &BigUint,
    srp_b: &BigInt,
    salt: &BigInt,
    pool_name: &str,
    user_id: &str,
    password: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Reference {
    let n = n();
    let g = BigUint::from(2u32);
    let big = |u: &BigUint| BigInt::from_biguint(Sign::Plus, u.clone());
    let k = BigUint::from_bytes_be(&h(&[&slow_pad(&big(&n)), &slow_pad(&big(&g))]));
    let srp_a = g.modpow(a, &n);
    let u = BigUint::from_bytes_be(&h(&[&slow_pad(&big(&srp_a)), &slow_pad(srp_b)]));
    let inner = h(&[format!("{pool_name}{user_id}:{password}").as_bytes()]);
    let x = BigUint::from_bytes_be(&h(&[&slow_pad(salt), &inner]));
    let n_signed = big(&n);
    let b_mod = ((srp_b % &n_signed) + &n_signed) % &n_signed;
    let kgx = big(&((&k * g.modpow(&x, &n)) % &n));
    let base = (((b_mod - kgx) % &n_signed) + &n_signed) % &n_signed;
    let base = base.to_biguint().unwrap();
    let s = base.modpow(&(a + &u * &x), &n);
    // HKDF by hand: PRK = HMAC(salt = pad(u), pad(S)); OKM = HMAC(PRK, info || 0x01)[..16].
    let mut extract = hmac::Hmac::<Sha256>::new_from_slice(&slow_pad(&big(&u))).unwrap();
    extract.update(&slow_pad(&big(&s)));
    let prk = extract.finalize().into_bytes();
    let mut expand = hmac::Hmac::<Sha256>::new_from_slice(&prk).unwrap();
    expand.update(b"Caldera Derived Key\x01");
    let key = expand.finalize().into_bytes()[..16].to_vec();
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    Reference {
        srp_a,
        u,
        x,
        s,
        key,
        signature,
    }
}
