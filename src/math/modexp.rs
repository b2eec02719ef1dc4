//! Modular exponentiation modulo `N`.
//!
//! This is the only place that raises to a power. The exponents of a login
//! (`a`, `x`, `a + u·x`) are secrets.
// The current backend is num-bigint's `modpow`, which is not constant time; the
// performance issue replaces it with fixed-width Montgomery arithmetic behind the
// same two functions.

use num_bigint::BigUint;

use super::group::{G, n};

/// `g^e mod N` for a big-endian exponent of any length.
pub(crate) fn pow_g(exponent_be: &[u8]) -> BigUint {
    pow_mod_n(&BigUint::from(G), exponent_be)
}

/// `base^e mod N` for a big-endian exponent of any length; `base` may be ≥ N.
pub(crate) fn pow_mod_n(base: &BigUint, exponent_be: &[u8]) -> BigUint {
    let exponent = BigUint::from_bytes_be(exponent_be);
    base.modpow(&exponent, n())
}
