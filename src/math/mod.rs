//! Arithmetic in the RFC 5054 3072-bit group, and the byte encodings Cognito uses.
//!
//! Everything above this module sees integers only through [`SrpInteger`], byte
//! strings, and the fixed-width [`backend`]. Exponentiation by a secret runs on
//! constant-time 3072-bit Montgomery arithmetic (48 × u64 limbs): no branch,
//! early exit or memory address depends on a secret exponent's value; table
//! lookups scan every entry with masks. num-bigint remains for encoding only.
//!
//! On x86-64 CPUs with AVX-512 IFMA (detected once at run time) the same
//! algorithms run on 52-bit digits in zmm registers (`ifma`, the crate's only
//! `unsafe` code, each block with its safety argument); the portable u64 path is
//! always available and tested against the same references.

mod comb;
mod encoding;
mod exponent;
mod group;
#[cfg(target_arch = "x86_64")]
mod ifma;
mod integer;
mod modexp;
mod montgomery;
mod u3072;

pub use encoding::{pad, parse_signed_hex};
pub(crate) use exponent::a_plus_u_times_x;
pub use group::{G, N_HEX, k, n};
pub use integer::SrpInteger;
pub(crate) use modexp::pow_g;
#[cfg(feature = "local-pool")]
pub(crate) use modexp::pow_mod_n;

/// The fixed-width backend, public for benchmarks and differential tests.
pub mod backend {
    #[doc(hidden)]
    pub use super::comb::pow_g_with;
    pub use super::comb::{COMB_TABLE_BYTES, pow_g};
    #[doc(hidden)]
    pub use super::montgomery::{Backend, mont_mul_with, mont_square_with, mul_mod_with, pow_with};
    pub use super::montgomery::{
        MODULUS, MontgomeryForm, add_mod, mont_mul, mont_square, mul_mod, pow, reduce_mod_n,
        sub_mod,
    };
    pub use super::u3072::U3072;
}
