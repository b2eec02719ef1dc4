//! The intermediate values of a Cognito SRP login, one public function each, so
//! that tests can check every step against its vector (as RustCrypto `srp`'s
//! `tests/rfc5054.rs` does).
//!
//! ```text
//! A   = g^a mod N                                  srp_a
//! u   = H(pad(A) ‖ pad(B))                         scrambling_parameter
//! x   = H(pad(salt) ‖ H(pool ‖ user ‖ ":" ‖ pw))   private_key
//! S   = (B − k·g^x)^(a + u·x) mod N                premaster_secret
//! key = HKDF-SHA256(pad(S), salt = pad(u),
//!                   "Caldera Derived Key")[..16]   session_key
//! sig = base64(HMAC(key, pool ‖ user ‖ block ‖ ts)) password_claim_signature
//! ```
//! Device SRP uses the same functions with the device group key as `pool`, the
//! device key as `user` and the device password as `pw`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::Mac;
use std::sync::OnceLock;

use num_traits::Zero;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use super::secret_block::SecretBlock;
use super::secret_hash::hmac_sha256;
use super::timestamp::CognitoTimestamp;
use crate::error::SrpError;
use crate::math::{SrpInteger, a_plus_u_times_x, backend, k};
use crate::secret::{Password, SecretInteger, SessionKey};

const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// `A = g^a mod N`. Refuses `A ≡ 0`, which a correct group never yields.
pub fn srp_a(a: &SecretInteger) -> Result<SrpInteger, SrpError> {
    let mut big_a = backend::pow_g(a.expose_be_bytes()).to_be_bytes();
    // `A` is sent: public from here on.
    crate::ct_check::declassify(&mut big_a);
    let big_a = SrpInteger::from_be_bytes(&big_a);
    if big_a.is_zero() {
        return Err(SrpError::SrpAModNZero);
    }
    Ok(big_a)
}

/// `u = H(pad(A) ‖ pad(B))`. Refuses `u = 0`.
pub fn scrambling_parameter(
    srp_a: &SrpInteger,
    srp_b: &SrpInteger,
) -> Result<SrpInteger, SrpError> {
    let mut hash = Sha256::new();
    hash.update(srp_a.pad());
    hash.update(srp_b.pad());
    let u = SrpInteger::from_be_bytes(&hash.finalize());
    if u.is_zero() {
        return Err(SrpError::UZero);
    }
    Ok(u)
}

/// `x = H(pad(salt) ‖ H(utf8(pool_name ‖ user_id ‖ ":" ‖ password)))`, with no
/// Unicode normalisation.
pub fn private_key(
    salt: &SrpInteger,
    pool_name: &str,
    user_id: &str,
    password: &Password,
) -> SecretInteger {
    let mut inner = Sha256::new();
    inner.update(pool_name.as_bytes());
    inner.update(user_id.as_bytes());
    inner.update(b":");
    inner.update(password.expose_secret().as_bytes());
    let inner = finish(inner);
    let mut outer = Sha256::new();
    outer.update(salt.pad());
    outer.update(inner.as_slice());
    SecretInteger::from_be_bytes(finish(outer).as_slice())
}

fn finish(hash: Sha256) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(hash.finalize().into())
}

/// `S = (B − k·g^x)^(a + u·x) mod N`, the base reduced into `[0, N)` first.
/// Refuses `B ≡ 0 (mod N)`.
///
/// `g^x`, the exponent `a + u·x` and the exponentiation run in constant time in
/// the secrets `x` and `a` (see [`crate::math`]).
pub fn premaster_secret(
    srp_b: &SrpInteger,
    u: &SrpInteger,
    x: &SecretInteger,
    a: &SecretInteger,
) -> Result<SecretInteger, SrpError> {
    let b_mod_n = srp_b.reduce_mod_n();
    if b_mod_n.is_zero() {
        return Err(SrpError::SrpBModNZero);
    }
    let mut g_x = backend::pow_g(x.expose_be_bytes());
    let mut k_g_x = backend::mul_mod(multiplier(), &g_x);
    let b = backend::reduce_mod_n(&b_mod_n.to_bytes_be());
    let mut base = backend::sub_mod(&b, &k_g_x);
    let (_, u_bytes) = u.as_bigint().to_bytes_be();
    let exponent = a_plus_u_times_x(a.expose_be_bytes(), &u_bytes, x.expose_be_bytes());
    let mut s = backend::pow(&base, &exponent);
    let secret = secret_integer(&s);
    for value in [&mut g_x, &mut k_g_x, &mut base, &mut s] {
        value.zeroize();
    }
    Ok(secret)
}

/// A fixed-width secret as a [`SecretInteger`], through a buffer that is
/// wiped (no unwiped copy of its bytes is left on the stack).
pub(crate) fn secret_integer(value: &backend::U3072) -> SecretInteger {
    let mut bytes = Zeroizing::new([0u8; 384]);
    value.write_be_bytes(&mut bytes);
    SecretInteger::from_be_bytes(bytes.as_slice())
}

/// `k` in the fixed-width representation.
pub(crate) fn multiplier() -> &'static backend::U3072 {
    static K: OnceLock<backend::U3072> = OnceLock::new();
    K.get_or_init(|| backend::reduce_mod_n(&k().to_bytes_be()))
}

/// The 16-byte key: HKDF-SHA256 with `ikm = pad(S)`, `salt = pad(u)`,
/// `info = "Caldera Derived Key"`.
///
/// Fails closed: 16 bytes is far below HKDF-SHA256's 8160-byte limit, so
/// `expand` cannot refuse, but if it ever did the error
/// [`SrpError::KeyDerivation`] is returned and nothing is signed or checked
/// with a made-up key.
pub fn session_key(s: &SecretInteger, u: &SrpInteger) -> Result<SessionKey, SrpError> {
    let s_padded = crate::math::pad_secret(s.expose_be_bytes());
    let hkdf = hkdf::Hkdf::<Sha256>::new(Some(&u.pad()), &s_padded);
    let mut okm = Zeroizing::new([0u8; 16]);
    hkdf.expand(DERIVED_KEY_INFO, okm.as_mut_slice())
        .map_err(|_| SrpError::KeyDerivation)?;
    Ok(SessionKey::new(*okm))
}

/// `PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, utf8(pool_name) ‖
/// utf8(user_id) ‖ SECRET_BLOCK bytes ‖ utf8(TIMESTAMP)))`.
pub fn password_claim_signature(
    key: &SessionKey,
    pool_name: &str,
    user_id: &str,
    secret_block: &SecretBlock,
    timestamp: &CognitoTimestamp,
) -> String {
    let mut tag = password_claim_tag(key, pool_name, user_id, secret_block, timestamp);
    // The signature is sent: public from here on.
    crate::ct_check::declassify(tag.as_mut_slice());
    STANDARD.encode(tag.as_slice())
}

/// The 32 bytes of HMAC behind [`password_claim_signature`], in a buffer
/// that is wiped: what the server compares (in constant time) with the
/// decoded signature it received.
pub(crate) fn password_claim_tag(
    key: &SessionKey,
    pool_name: &str,
    user_id: &str,
    secret_block: &SecretBlock,
    timestamp: &CognitoTimestamp,
) -> Zeroizing<[u8; 32]> {
    let mut mac = hmac_sha256(key.expose_bytes());
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(secret_block.as_bytes());
    mac.update(timestamp.as_str().as_bytes());
    let mut tag = Zeroizing::new([0u8; 32]);
    tag.copy_from_slice(&mac.finalize().into_bytes());
    tag
}
