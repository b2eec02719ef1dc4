//! The server side of Cognito's SRP, sans-IO: the verifier a user pool
//! stores, the ephemeral `B` it sends, and the check of
//! `PASSWORD_CLAIM_SIGNATURE`.
//!
//! A consuming state API: [`ServerChallenge::start_with_rng`] (verifier and
//! RNG: a fresh `b` and `B`) → [`ServerChallenge::accept`] (the client's `A`,
//! refused when `A ≡ 0 (mod N)`) → [`ServerSession::verify_claim`] (consumes
//! the session). The same code serves user SRP (pool name, `USER_ID_FOR_SRP`)
//! and device SRP (device group key, device key).
//!
//! ```text
//! salt = 16 random bytes           x = H(pad(salt) ‖ H(pool ‖ user ‖ ":" ‖ pw))
//! v    = g^x mod N                 (stored; the password is not)
//! B    = (k·v + g^b) mod N         b: 128 fresh random bytes per attempt
//! u    = H(pad(A) ‖ pad(B))        A ≡ 0 (mod N) and u = 0 are refused
//! S    = (A·v^u)^b mod N           the same S the client computes
//! key  = HKDF(pad(S), pad(u))      signature checked in constant time
//! ```
//!
//! No secret-derived value enters num-bigint: `v` is kept fixed-width and
//! wiped on drop, `k·v + g^b`, `A·v^u` and `(A·v^u)^b` run on the
//! constant-time backend (`math::backend`), and `S`, `v^u` and the base are
//! wiped when done. Only the protocol's public outputs (`B`, the outcome of
//! the check) are marked defined for the valgrind check (`ct_check`).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand_core::TryCryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::ephemeral::draw_secret_exponent;
use super::{CognitoTimestamp, SecretBlock, steps};
use crate::ct_check::declassify_value;
use crate::error::SrpError;
use crate::math::{SrpInteger, backend};
use crate::secret::{Password, SecretInteger};

/// Bytes of random salt in a new verifier, as Cognito uses.
pub const SALT_LEN: usize = 16;

/// Why a password claim was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimError {
    /// The client's `A` is congruent to 0 modulo `N`: it would force `S = 0`.
    #[error("SRP_A is congruent to 0 modulo N")]
    SrpAModNZero,
    /// `u = H(pad(A) ‖ pad(B))` is zero.
    #[error("the scrambling parameter u is zero")]
    UZero,
    /// The signature does not match: wrong password (or wrong user, block or timestamp).
    #[error("the password claim signature does not match")]
    SignatureMismatch,
    /// The session key could not be derived (HKDF cannot refuse 16 bytes;
    /// the claim is refused rather than checked with a made-up key).
    #[error("the session key could not be derived")]
    KeyDerivation,
}

/// What a user pool stores for a password: the salt and `v = g^x mod N`.
///
/// `v` is held in the fixed-width representation (reduced modulo `N`) and
/// wiped on drop; every computation with it runs on the constant-time
/// backend, never in num-bigint. `Debug` shows the salt only.
#[derive(Clone)]
pub struct PasswordVerifier {
    salt: SrpInteger,
    verifier: Zeroizing<backend::U3072>,
}

impl PasswordVerifier {
    /// A new verifier with a fresh 16-byte salt from `rng`, like Cognito makes one.
    pub fn create_with_rng<R: TryCryptoRng + ?Sized>(
        pool_name: &str,
        user_id_for_srp: &str,
        password: &Password,
        rng: &mut R,
    ) -> Result<Self, SrpError> {
        let mut bytes = [0u8; SALT_LEN];
        rng.try_fill_bytes(&mut bytes)
            .map_err(|_| SrpError::RandomnessUnavailable)?;
        // The salt is sent as SALT: public.
        crate::ct_check::declassify(&mut bytes);
        let salt = SrpInteger::from_be_bytes(&bytes);
        Ok(Self::with_salt(pool_name, user_id_for_srp, password, salt))
    }

    /// A new verifier with the operating system's RNG.
    pub fn create(
        pool_name: &str,
        user_id_for_srp: &str,
        password: &Password,
    ) -> Result<Self, SrpError> {
        Self::create_with_rng(pool_name, user_id_for_srp, password, &mut getrandom::SysRng)
    }

    /// The verifier for a given salt: `v = g^x mod N` (constant time in `x`).
    pub fn with_salt(
        pool_name: &str,
        user_id_for_srp: &str,
        password: &Password,
        salt: SrpInteger,
    ) -> Self {
        let x = steps::private_key(&salt, pool_name, user_id_for_srp, password);
        let verifier = Zeroizing::new(backend::pow_g(x.expose_be_bytes()));
        Self { salt, verifier }
    }

    /// A stored verifier: its salt and the big-endian bytes of `v` (of any
    /// length; reduced modulo `N` in constant time, the time depending on the
    /// length only).
    pub fn from_parts(salt: SrpInteger, verifier_be: &[u8]) -> Self {
        Self {
            salt,
            verifier: Zeroizing::new(backend::reduce_mod_n(verifier_be)),
        }
    }

    /// The salt, sent as `SALT` (lowercase hex).
    pub fn salt(&self) -> &SrpInteger {
        &self.salt
    }

    /// `v`, big-endian (384 bytes, leading zeros kept). Do not log, print or
    /// send what this returns: it allows an offline guess of the password.
    pub fn expose_verifier(&self) -> SecretInteger {
        steps::secret_integer(&self.verifier)
    }

    /// Whether `password` is the one this verifier was made from, compared in
    /// constant time (for `USER_PASSWORD_AUTH`, where the password is sent).
    pub fn matches_password(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &Password,
    ) -> bool {
        let candidate = Self::with_salt(pool_name, user_id_for_srp, password, self.salt.clone());
        // Whether the password matches is the answer itself: public.
        declassify_value(bool::from(self.verifier.ct_eq(&candidate.verifier)))
    }
}

impl fmt::Debug for PasswordVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordVerifier")
            .field("salt", &self.salt)
            .field("verifier", &"[redacted]")
            .finish()
    }
}

/// One sign-in attempt on the server before the client's `A` is accepted:
/// the verifier, the secret `b` and `B = (k·v + g^b) mod N`. Not `Clone`;
/// `b` is zeroized on drop and redacted in `Debug`.
pub struct ServerChallenge {
    verifier: PasswordVerifier,
    b: SecretInteger,
    srp_b: SrpInteger,
}

impl ServerChallenge {
    /// Draws a fresh `b` (128 bytes) from `rng` and computes `B`. Draws again in
    /// the (astronomically unlikely) case `B ≡ 0 (mod N)`.
    pub fn start_with_rng<R: TryCryptoRng + ?Sized>(
        verifier: &PasswordVerifier,
        rng: &mut R,
    ) -> Result<Self, SrpError> {
        for _ in 0..4 {
            let b = draw_secret_exponent(rng)?;
            let challenge = Self::with_secret_exponent(verifier, b);
            if !challenge.srp_b.is_zero_mod_n() {
                return Ok(challenge);
            }
        }
        Err(SrpError::SrpBModNZero)
    }

    /// Starts with the operating system's RNG.
    pub fn start(verifier: &PasswordVerifier) -> Result<Self, SrpError> {
        Self::start_with_rng(verifier, &mut getrandom::SysRng)
    }

    /// `B` for a caller-chosen `b`. For test vectors only: a reused or
    /// predictable `b` breaks the protocol.
    ///
    /// `g^b` (the comb), `k·v` and the sum run on the constant-time backend;
    /// the intermediates are wiped and only `B` (sent) is made public.
    pub fn with_secret_exponent(verifier: &PasswordVerifier, b: SecretInteger) -> Self {
        let mut g_b = backend::pow_g(b.expose_be_bytes());
        let mut k_v = backend::mul_mod(steps::multiplier(), &verifier.verifier);
        let mut big_b = backend::add_mod(&k_v, &g_b).to_be_bytes();
        // `B` is sent: public from here on.
        crate::ct_check::declassify(&mut big_b);
        g_b.zeroize();
        k_v.zeroize();
        Self {
            verifier: verifier.clone(),
            b,
            srp_b: SrpInteger::from_be_bytes(&big_b),
        }
    }

    /// `B`, sent as `SRP_B` (lowercase hex).
    pub fn srp_b(&self) -> &SrpInteger {
        &self.srp_b
    }

    /// Accepts the client's `A`, refusing `A ≡ 0 (mod N)`: the session that
    /// checks the claim. Consumes the challenge (one `A` per `b`).
    pub fn accept(self, srp_a: &SrpInteger) -> Result<ServerSession, ClaimError> {
        if srp_a.is_zero_mod_n() {
            return Err(ClaimError::SrpAModNZero);
        }
        Ok(ServerSession {
            verifier: self.verifier,
            b: self.b,
            srp_a: srp_a.clone(),
            srp_b: self.srp_b,
        })
    }
}

/// A sign-in attempt with the client's `A` accepted, waiting for its claim.
/// Not `Clone`; consumed by [`verify_claim`](Self::verify_claim); `b` and the
/// derived secrets are zeroized on drop and redacted in `Debug`.
pub struct ServerSession {
    verifier: PasswordVerifier,
    b: SecretInteger,
    srp_a: SrpInteger,
    srp_b: SrpInteger,
}

impl ServerSession {
    /// `B`, sent as `SRP_B` (lowercase hex).
    pub fn srp_b(&self) -> &SrpInteger {
        &self.srp_b
    }

    /// The salt of the verifier, sent as `SALT` (lowercase hex).
    pub fn salt(&self) -> &SrpInteger {
        self.verifier.salt()
    }

    /// The premaster secret `S = (A·v^u)^b mod N` and `u = H(pad(A) ‖ pad(B))`,
    /// for test vectors. Refuses `u = 0` (and a base `A·v^u ≡ 0`).
    ///
    /// `v^u`, `A·v^u` and the exponentiation by `b` run on the constant-time
    /// backend (`A` and `u` are public; `v` and `b` are not); the
    /// intermediates are wiped.
    pub fn premaster_secret(&self) -> Result<(SecretInteger, SrpInteger), ClaimError> {
        let u =
            steps::scrambling_parameter(&self.srp_a, &self.srp_b).map_err(|_| ClaimError::UZero)?;
        let a = backend::reduce_mod_n(&self.srp_a.reduce_mod_n().to_bytes_be());
        let (_, u_bytes) = u.as_bigint().to_bytes_be();
        let mut v_u = backend::pow(&self.verifier.verifier, &u_bytes);
        let mut base = backend::mul_mod(&a, &v_u);
        v_u.zeroize();
        // N is prime and v^u ≠ 0, so the base is 0 only when A ≡ 0 (public).
        if declassify_value(base.is_zero()) {
            return Err(ClaimError::SrpAModNZero);
        }
        let mut s = backend::pow(&base, self.b.expose_be_bytes());
        base.zeroize();
        let secret = steps::secret_integer(&s);
        s.zeroize();
        Ok((secret, u))
    }

    /// Checks `PASSWORD_CLAIM_SIGNATURE` (base64) in constant time, consuming
    /// the session: the HKDF key from `S` and `u`, then HMAC over
    /// `pool_name` (the device group key for a device), `user_id_for_srp`
    /// (the device key), the `SECRET_BLOCK` bytes and the `TIMESTAMP` text.
    /// The expected tag is compared as bytes with the decoded signature; it
    /// is never base64-encoded, and only the outcome is made public.
    pub fn verify_claim(
        self,
        pool_name: &str,
        user_id_for_srp: &str,
        secret_block: &SecretBlock,
        timestamp: &CognitoTimestamp,
        signature: &str,
    ) -> Result<(), ClaimError> {
        let (s, u) = self.premaster_secret()?;
        let key = steps::session_key(&s, &u).map_err(|_| ClaimError::KeyDerivation)?;
        let expected =
            steps::password_claim_tag(&key, pool_name, user_id_for_srp, secret_block, timestamp);
        let received = Zeroizing::new(STANDARD.decode(signature.trim()).unwrap_or_default());
        let equal = received.len() == expected.len()
            && declassify_value(bool::from(expected.as_slice().ct_eq(received.as_slice())));
        if equal {
            Ok(())
        } else {
            Err(ClaimError::SignatureMismatch)
        }
    }
}

impl fmt::Debug for ServerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerSession")
            .field("verifier", &self.verifier)
            .field("b", &self.b)
            .field("srp_a", &self.srp_a)
            .field("srp_b", &self.srp_b)
            .finish()
    }
}

impl fmt::Debug for ServerChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerChallenge")
            .field("b", &self.b)
            .field("srp_b", &self.srp_b)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClientId, SrpClient, UserPoolId};

    #[test]
    fn client_and_server_agree_and_wrong_password_fails() {
        let pool = UserPoolId::parse("us-east-1_Local1").unwrap();
        let user = "3f1c2a9e-7b4d-4e8a-9c21-5d6f7a8b9c0d";
        let verifier =
            PasswordVerifier::create("Local1", user, &Password::new("Password1!")).unwrap();
        assert!(verifier.matches_password("Local1", user, &Password::new("Password1!")));
        assert!(!verifier.matches_password("Local1", user, &Password::new("password1!")));
        for (password, ok) in [("Password1!", true), ("wrong", false)] {
            let server = ServerChallenge::start(&verifier).unwrap();
            let client = SrpClient::new(pool.clone(), ClientId::new("c").unwrap());
            let start = client.start("alice", Password::new(password)).unwrap();
            let block = SecretBlock::from_bytes(vec![7; 300]);
            let challenge = crate::PasswordVerifierChallenge::new(
                &server.srp_b().to_hex(),
                &verifier.salt().to_hex(),
                block.as_str(),
                user,
            )
            .unwrap();
            let ts = CognitoTimestamp::now();
            let answer = start.session.respond(&challenge, &ts).unwrap().to_map();
            let a = SrpInteger::from_signed_hex(start.parameters.srp_a()).unwrap();
            let result = server.accept(&a).unwrap().verify_claim(
                "Local1",
                user,
                &block,
                &ts,
                &answer["PASSWORD_CLAIM_SIGNATURE"],
            );
            assert_eq!(result.is_ok(), ok, "{password}");
        }
    }

    #[test]
    fn refuses_a_zero_mod_n() {
        let verifier = PasswordVerifier::create("P", "u", &Password::new("pw")).unwrap();
        for a in [
            SrpInteger::from_be_bytes(&[0]),
            SrpInteger::from_be_bytes(&crate::math::n().to_bytes_be()),
        ] {
            let server = ServerChallenge::start(&verifier).unwrap();
            assert_eq!(server.accept(&a).err(), Some(ClaimError::SrpAModNZero));
        }
    }

    #[test]
    fn secrets_are_redacted_and_b_is_fresh() {
        let verifier = PasswordVerifier::create("P", "u", &Password::new("pw")).unwrap();
        let one = ServerChallenge::start(&verifier).unwrap();
        let two = ServerChallenge::start(&verifier).unwrap();
        assert_ne!(one.srp_b(), two.srp_b());
        let b_hex = one.b.expose_hex().to_string();
        let v_hex = verifier.expose_verifier().expose_hex().to_string();
        let a = SrpInteger::from_be_bytes(&[7u8; 384]);
        let session = one.accept(&a).unwrap();
        let shown = format!("{session:?}");
        assert!(shown.contains("[redacted]"));
        assert!(!shown.contains(&b_hex) && !shown.contains(&v_hex));
        let (s, _) = session.premaster_secret().unwrap();
        assert!(!format!("{s:?}").contains(&s.expose_hex().to_string()));
    }
}
