//! Helpers shared by the arithmetic kernels (`montgomery`, the portable one,
//! `adx` and `ifma`): the modulus constants, the masked final subtraction, the
//! branch-free index mask of full-table scans, exponent-bit extraction and the
//! window schedule of fixed-window exponentiation.
//!
//! Nothing here branches on or indexes by a secret.

use super::u3072::{LIMBS, U3072, mask_from_bit, select_limbs, sub_limbs};

include!(concat!(env!("OUT_DIR"), "/mont_consts.rs"));

/// The modulus N as little-endian limbs.
pub(crate) const N: [u64; LIMBS] = N_LIMBS;
/// R mod N (R = 2^3072): 1 in Montgomery form.
pub(crate) const R1: [u64; LIMBS] = R_MOD_N;
/// R² mod N: converts into Montgomery form.
pub(crate) const R2: [u64; LIMBS] = R2_MOD_N;

/// The group modulus N (RFC 5054 / RFC 3526 3072-bit prime).
pub const MODULUS: U3072 = U3072::from_limbs(N_LIMBS);

// Every kernel relies on N's lowest limb being 2^64 - 1 (so n0' = 1).
const _: () = assert!(N_LIMBS[0] == u64::MAX);

/// The value 1 as limbs.
pub(crate) const ONE_LIMBS: [u64; LIMBS] = {
    let mut one = [0u64; LIMBS];
    one[0] = 1;
    one
};

/// Subtracts N from `(carry, r)` if that value is ≥ N (masked, constant time).
/// The input must be < 2N.
#[inline(always)]
pub(crate) fn final_sub(r: &[u64; LIMBS], carry: u64) -> [u64; LIMBS] {
    let (d, borrow) = sub_limbs(r, &N_LIMBS);
    // Subtract iff carry == 1 or no borrow.
    let take_d = mask_from_bit(carry | (borrow ^ 1));
    select_limbs(take_d, &d, r)
}

/// `u64::MAX` if `i == j`, else 0, without branching on the (secret) indices.
#[inline(always)]
pub(crate) fn eq_mask(i: usize, j: usize) -> u64 {
    let d = (i ^ j) as u64;
    // d == 0 -> top bit of (d | -d) is 0 -> mask all ones.
    let nonzero = (d | d.wrapping_neg()) >> 63;
    core::hint::black_box(nonzero).wrapping_sub(1)
}

/// Bit `pos` (0 = least significant) of a big-endian exponent; positions past
/// the end read as 0. `pos` is public; the returned bit is not branched on.
#[inline(always)]
pub(crate) fn exp_bit(exp_be: &[u8], pos: usize) -> usize {
    let byte = pos / 8;
    if byte < exp_be.len() {
        usize::from((exp_be[exp_be.len() - 1 - byte] >> (pos % 8)) & 1)
    } else {
        0
    }
}

/// Largest window of the fixed-window exponentiation.
pub(crate) const MAX_WINDOW: usize = 6;

/// Window size for an exponent of `bits` bits (public).
pub(crate) fn window_for(bits: usize) -> usize {
    match bits {
        0..=8 => 1,
        9..=48 => 3,
        49..=320 => 4,
        321..=1600 => 5,
        _ => MAX_WINDOW,
    }
}

/// Window `k` (digits of `w` bits, least significant window 0) of a big-endian
/// exponent, assembled bit by bit without branching on the bits.
#[inline(always)]
pub(crate) fn window_digit(exp_be: &[u8], w: usize, k: usize) -> usize {
    (0..w).fold(0usize, |d, t| d | (exp_bit(exp_be, k * w + t) << t))
}
