//! Arithmetic in the RFC 5054 3072-bit group, and the byte encodings Cognito uses.
//!
//! Everything above this module sees integers only through [`SrpInteger`] and
//! byte strings; how exponentiation is carried out is this module's business.

mod encoding;
mod group;
mod modexp;

pub use encoding::{pad, parse_signed_hex};
pub use group::{G, N_HEX, k, n};
pub(crate) use modexp::{pow_g, pow_mod_n};

mod integer;
pub use integer::SrpInteger;
