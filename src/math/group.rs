//! The group: RFC 5054 / RFC 3526 3072-bit MODP prime `N`, generator `g = 2`,
//! and the SRP-6a multiplier `k = H(pad(N) ‖ pad(g))`.

use std::sync::OnceLock;

use num_bigint::{BigInt, BigUint, Sign};
use sha2::{Digest, Sha256};

use super::encoding::pad;

/// The 3072-bit prime `N` of RFC 3526 §4 (also RFC 5054 Appendix A), lowercase hex.
pub const N_HEX: &str = concat!(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
    "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
    "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
    "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
    "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
    "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
    "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183",
    "995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a8",
    "5521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf",
    "5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d876",
    "02733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24",
    "fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff",
);

/// The generator `g = 2`.
pub const G: u32 = 2;

/// `N` as an integer.
pub fn n() -> &'static BigUint {
    static N: OnceLock<BigUint> = OnceLock::new();
    N.get_or_init(|| {
        // N_HEX is a compile-time constant of valid hex digits; parse_bytes cannot fail on it.
        BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default()
    })
}

/// The SRP-6a multiplier `k = H(pad(N) ‖ pad(g))` as Cognito computes it
/// (`538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6`).
pub fn k() -> &'static BigUint {
    static K: OnceLock<BigUint> = OnceLock::new();
    K.get_or_init(|| {
        let mut hash = Sha256::new();
        hash.update(pad(&BigInt::from_biguint(Sign::Plus, n().clone())));
        hash.update(pad(&BigInt::from(G)));
        BigUint::from_bytes_be(&hash.finalize())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_is_3072_bits_and_k_matches_cognito() {
        assert_eq!(n().bits(), 3072);
        assert_eq!(
            k().to_str_radix(16),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }
}
