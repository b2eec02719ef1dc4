//! Exponentiation modulo `N` for the layers above, on top of the fixed-width
//! constant-time Montgomery backend (`dispatch`).

use num_bigint::BigUint;

use super::dispatch;
use super::u3072::U3072;

/// `g^e mod N` for a big-endian exponent of any length (fixed-base comb up to
/// 1024 bits; constant time in the exponent's value).
pub(crate) fn pow_g(exponent_be: &[u8]) -> BigUint {
    to_biguint(&dispatch::pow_g(exponent_be))
}

/// `base^e mod N` for a big-endian exponent of any length; `base` may be ≥ N
/// (it is public and reduced first). Constant time in the exponent's value.
pub(crate) fn pow_mod_n(base: &BigUint, exponent_be: &[u8]) -> BigUint {
    let base = dispatch::reduce_mod_n(&base.to_bytes_be());
    to_biguint(&dispatch::pow(&base, exponent_be))
}

fn to_biguint(value: &U3072) -> BigUint {
    BigUint::from_bytes_be(&value.to_be_bytes())
}
