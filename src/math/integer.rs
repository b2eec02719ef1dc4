//! [`SrpInteger`]: a public protocol integer (`A`, `B`, `u`, a salt) with the
//! encodings Cognito uses for it.

use std::fmt;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::Zero;

use super::encoding::{HexProblem, pad, parse_signed_hex_checked};
use super::group::n;

/// A public integer of the protocol: `A`, `B`, `u` or a salt.
///
/// Signed, because Cognito's `SALT` (and in principle `SRP_B`) is Java's
/// `BigInteger.toString(16)` and has been seen with a leading `-`.
/// Not for secrets: those live in zeroizing types.
#[derive(Clone, PartialEq, Eq)]
pub struct SrpInteger(BigInt);

impl SrpInteger {
    /// Parses signed hexadecimal as Cognito sends it (an optional `-`, then hex digits in either case).
    /// Returns `None` when the text is not signed hex.
    pub fn from_signed_hex(text: &str) -> Option<Self> {
        Self::parse(text).ok()
    }

    pub(crate) fn parse(text: &str) -> Result<Self, HexProblem> {
        parse_signed_hex_checked(text).map(Self)
    }

    /// The non-negative integer whose big-endian bytes are `bytes`.
    pub fn from_be_bytes(bytes: &[u8]) -> Self {
        Self(BigInt::from_bytes_be(Sign::Plus, bytes))
    }

    /// Lowercase hexadecimal without leading zeros (`-` first when negative):
    /// how `SRP_A` is sent and how the vectors write `u`.
    pub fn to_hex(&self) -> String {
        self.0.to_str_radix(16)
    }

    /// Minimal two's-complement big-endian bytes, exactly Java's
    /// `BigInteger.toByteArray()` (`0 → 00`, `128 → 00 80`, `−128 → 80`).
    pub fn pad(&self) -> Vec<u8> {
        pad(&self.0)
    }

    /// The integer itself (public only with the `hazmat` feature).
    #[cfg(feature = "hazmat")]
    pub fn as_bigint(&self) -> &BigInt {
        &self.0
    }

    /// The integer itself.
    #[cfg(not(feature = "hazmat"))]
    pub(crate) fn as_bigint(&self) -> &BigInt {
        &self.0
    }

    /// Whether the integer is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// Whether `self ≡ 0 (mod N)`.
    pub fn is_zero_mod_n(&self) -> bool {
        self.reduce_mod_n().is_zero()
    }

    /// The representative of `self mod N` in `[0, N)`.
    pub(crate) fn reduce_mod_n(&self) -> BigUint {
        let modulus = BigInt::from_biguint(Sign::Plus, n().clone());
        let reduced = self.0.mod_floor(&modulus);
        reduced.to_biguint().unwrap_or_default()
    }
}

impl fmt::Debug for SrpInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SrpInteger(0x{})", self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_values_reduce_into_the_group() {
        let minus_one = SrpInteger::from_signed_hex("-1").unwrap();
        assert_eq!(minus_one.reduce_mod_n(), n() - 1u32);
        assert!(!minus_one.is_zero_mod_n());
        let minus_n = SrpInteger::from_be_bytes(&n().to_bytes_be());
        assert!(minus_n.is_zero_mod_n());
    }
}
