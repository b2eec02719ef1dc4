#![doc = include_str!("../README.md")]
// `unsafe` is denied everywhere; the exceptions opt in themselves: `math::ifma`
// (AVX-512 IFMA intrinsics) and `math::adx` (BMI2 + ADX `asm!` rows), both
// behind run-time feature detection, and `ct_check` (valgrind's client
// requests, feature `ct-check`).
#![deny(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

/// Declares a method `pub` with the `hazmat` feature and `pub(crate)` without it:
/// entry points for vectors, benchmarks and differential tests that skip the
/// draws the protocol relies on.
macro_rules! hazmat_method {
    ($(#[$attr:meta])* fn $name:ident $($rest:tt)*) => {
        $(#[$attr])*
        #[cfg(feature = "hazmat")]
        pub fn $name $($rest)*

        $(#[$attr])*
        #[cfg(not(feature = "hazmat"))]
        pub(crate) fn $name $($rest)*
    };
}

#[cfg(feature = "ct-check")]
pub mod ct_check;
#[cfg(not(feature = "ct-check"))]
mod ct_check;
mod error;
#[cfg(feature = "flow")]
pub mod flow;
#[cfg(feature = "identity")]
pub mod identity;
#[cfg(feature = "local-pool")]
pub mod local_pool;
pub mod math;
mod secret;
#[cfg(feature = "session")]
pub mod session;
mod srp;
#[cfg(feature = "flow")]
pub mod transport;
#[cfg(feature = "vectors")]
pub mod vectors;
#[cfg(feature = "verify")]
pub mod verify;
#[cfg(feature = "wire")]
pub mod wire;

pub use error::{Field, SrpError, UserPoolIdProblem};
pub use math::arithmetic_backend;
pub use secret::{ClientSecret, Password, SecretInteger, SessionKey};
// The sans-IO core lives at the crate root (one path per item): the types,
// the limits, the parameter names (`param`) and the protocol steps (`steps`).
pub use srp::*;
