//! The one draw of an SRP ephemeral secret (`a` for the user and device
//! sides, `b` for the server side).

use rand_core::TryCryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::SrpError;
use crate::secret::SecretInteger;

/// Bytes of randomness in an ephemeral secret `a` or `b` (1024 bits).
pub const EPHEMERAL_SECRET_LEN: usize = 128;

/// Draws a fresh 128-byte secret exponent from `rng`. A failed draw, or an
/// all-zero one (a broken generator: `a = 0` would make `A = 1`), is
/// [`SrpError::RandomnessUnavailable`].
pub(crate) fn draw_secret_exponent<R: TryCryptoRng + ?Sized>(
    rng: &mut R,
) -> Result<SecretInteger, SrpError> {
    let mut bytes = Zeroizing::new([0u8; EPHEMERAL_SECRET_LEN]);
    rng.try_fill_bytes(bytes.as_mut_slice())
        .map_err(|_| SrpError::RandomnessUnavailable)?;
    // Compared in constant time: how far a short-circuit scan gets would
    // tell how many leading bytes of the secret are zero.
    // Only "all zero or not" is made public (for the valgrind check).
    let all_zero = bool::from(bytes.ct_eq(&[0u8; EPHEMERAL_SECRET_LEN]));
    if crate::ct_check::declassify_value(all_zero) {
        return Err(SrpError::RandomnessUnavailable);
    }
    Ok(SecretInteger::from_be_bytes(bytes.as_slice()))
}

/// How many times a fresh `a` is drawn before giving up on a broken RNG.
const MAX_DRAWS: usize = 4;

/// Runs `start` with freshly drawn exponents until one gives an `A` that is
/// not `0 mod N` (a 2^-3000 event, or a broken RNG), at most [`MAX_DRAWS`] times.
pub(crate) fn start_with_fresh_exponent<R: TryCryptoRng + ?Sized, T>(
    rng: &mut R,
    mut start: impl FnMut(SecretInteger) -> Result<T, SrpError>,
) -> Result<T, SrpError> {
    let mut last = SrpError::RandomnessUnavailable;
    for _ in 0..MAX_DRAWS {
        match start(draw_secret_exponent(rng)?) {
            Err(error @ SrpError::SrpAModNZero) => last = error,
            other => return other,
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::convert::Infallible;
    use rand_core::{TryCryptoRng, TryRng};

    struct Zeros;
    impl TryRng for Zeros {
        type Error = Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Infallible> {
            Ok(0)
        }
        fn try_next_u64(&mut self) -> Result<u64, Infallible> {
            Ok(0)
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Infallible> {
            dest.fill(0);
            Ok(())
        }
    }
    impl TryCryptoRng for Zeros {}

    #[test]
    fn refuses_an_all_zero_draw_and_draws_fresh_secrets() {
        assert_eq!(
            draw_secret_exponent(&mut Zeros).err(),
            Some(SrpError::RandomnessUnavailable)
        );
        let one = draw_secret_exponent(&mut getrandom::SysRng).unwrap();
        let two = draw_secret_exponent(&mut getrandom::SysRng).unwrap();
        assert_ne!(one.expose_hex(), two.expose_hex());
    }
}
