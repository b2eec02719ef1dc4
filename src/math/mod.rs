//! Arithmetic in the RFC 5054 3072-bit group, and the byte encodings Cognito uses.
//!
//! Everything above this module sees integers only through [`SrpInteger`], byte
//! strings, and the fixed-width [`backend`]. Exponentiation by a secret runs on
//! constant-time 3072-bit Montgomery arithmetic (48 × u64 limbs): no branch,
//! early exit or memory address depends on a secret exponent's value; table
//! lookups scan every entry with masks. num-bigint remains for encoding only.
//!
//! On x86-64 CPUs with AVX-512 IFMA (detected once at run time) the same
//! algorithms run on 52-bit digits in zmm registers (`ifma`); on x86-64 CPUs
//! without it but with BMI2 + ADX, on 64-bit limbs with `mulx`/`adcx`/`adox`
//! rows (`adx`). These two files hold the crate's only `unsafe` code, each
//! block with its safety argument. The portable u64 path (u64 × u64 → u128,
//! `mul`/`umulh` on aarch64) is always available; all three are tested against
//! the same references. `COGNITO_SRP_BACKEND` (`backend_choice`) pins one for
//! the process.

// The backend's items are `pub` for `hazmat`'s re-exports; without it they
// are reachable only inside the crate, as intended.
#![cfg_attr(not(feature = "hazmat"), allow(unreachable_pub))]

// Without `hazmat`, parts of the backend (the `*_with` entry points, the
// Montgomery-form API) have no caller: that is expected, not dead code.
#[cfg(target_arch = "x86_64")]
mod adx;
mod backend_choice;
#[cfg_attr(not(feature = "hazmat"), allow(dead_code))]
mod comb;
#[cfg(target_arch = "x86_64")]
mod cpu;
mod ct;
#[cfg_attr(not(feature = "hazmat"), allow(dead_code))]
mod dispatch;
mod encoding;
mod exponent;
mod group;
#[cfg(target_arch = "x86_64")]
mod ifma;
mod integer;
#[cfg(target_arch = "x86_64")]
mod lookup_avx2;
#[cfg_attr(not(feature = "hazmat"), allow(dead_code))]
mod montgomery;
#[cfg(feature = "local-pool")]
mod range;
#[cfg_attr(not(feature = "hazmat"), allow(dead_code))]
mod u3072;

// The integer helpers on num-bigint types are internal; `hazmat` exposes them
// for the crate's tests and fuzz targets (users have `SrpInteger` and `N_HEX`).
pub use backend_choice::arithmetic_backend;
pub(crate) use encoding::pad_secret;
#[cfg(feature = "hazmat")]
pub use encoding::{pad, parse_signed_hex};
pub(crate) use exponent::a_plus_u_times_x;
pub use group::{G, N_HEX};
#[cfg(feature = "hazmat")]
pub use group::{k, n};
#[cfg(not(feature = "hazmat"))]
#[allow(unused_imports)] // `n` is for the server side (the local pool)
pub(crate) use group::{k, n};
pub use integer::SrpInteger;
#[cfg(feature = "local-pool")]
pub(crate) use range::is_between_one_and_n;

/// Generates the `backend` module (public with `hazmat`, internal without).
macro_rules! backend_module {
    ($(#[$attr:meta])* $vis:vis) => {
        $(#[$attr])*
        $vis mod backend {
            #[doc(hidden)]
            pub use super::dispatch::pow_g_with;
            #[doc(hidden)]
            pub use super::backend_choice::Backend;
            #[doc(hidden)]
            pub use super::dispatch::{mont_mul_with, mont_square_with, mul_mod_with, pow_with};
            pub use super::dispatch::{mont_mul, mont_square, mul_mod, pow, pow_g, reduce_mod_n};
            #[doc(hidden)]
            pub use super::backend_choice::selected;
            pub use super::comb::COMB_TABLE_BYTES;
            pub use super::ct::MODULUS;
            pub use super::montgomery::{MontgomeryForm, add_mod, sub_mod};
            pub use super::u3072::U3072;
        }
    };
}

backend_module! {
    /// The fixed-width backend (hazmat: for benchmarks and differential tests;
    /// nothing here checks its inputs the way the protocol layers do).
    #[cfg(feature = "hazmat")]
    pub
}

backend_module! {
    #[cfg(not(feature = "hazmat"))]
    #[allow(unused_imports, unreachable_pub)]
    pub(crate)
}
