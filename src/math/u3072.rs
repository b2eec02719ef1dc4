//! Fixed-width 3072-bit unsigned integers (48 little-endian `u64` limbs).
//!
//! Only what the SRP group arithmetic needs: byte conversion, constant-time
//! comparison and the limb-level add/subtract helpers the Montgomery layer uses.

use core::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroize;

/// Number of 64-bit limbs in a [`U3072`].
pub(super) const LIMBS: usize = 48;

/// Number of bytes in the big-endian encoding of a [`U3072`].
pub(super) const BYTES: usize = LIMBS * 8;

/// A 3072-bit unsigned integer stored as 48 little-endian `u64` limbs.
///
/// `Debug` is redacted because values of this type hold secrets (x, S, …);
/// equality is constant time.
#[derive(Clone)]
pub struct U3072 {
    pub(crate) limbs: [u64; LIMBS],
}

impl U3072 {
    /// The value 0.
    pub const ZERO: Self = Self { limbs: [0; LIMBS] };

    /// The value 1.
    pub const ONE: Self = {
        let mut limbs = [0; LIMBS];
        limbs[0] = 1;
        Self { limbs }
    };

    /// Builds a value from little-endian limbs.
    pub(crate) const fn from_limbs(limbs: [u64; LIMBS]) -> Self {
        Self { limbs }
    }

    /// Parses a big-endian byte string of any length (leading zero bytes are
    /// allowed). Returns `None` if the value needs more than 3072 bits.
    ///
    /// Runs in time depending on the input length and on the number of
    /// leading zero bytes beyond 384; the value itself is not branched on.
    pub fn from_be_bytes(bytes: &[u8]) -> Option<Self> {
        let (excess, body) = if bytes.len() > BYTES {
            bytes.split_at(bytes.len() - BYTES)
        } else {
            (&[][..], bytes)
        };
        if excess.iter().any(|&b| b != 0) {
            return None;
        }
        let mut limbs = [0u64; LIMBS];
        for (i, &byte) in body.iter().rev().enumerate() {
            limbs[i / 8] |= u64::from(byte) << (8 * (i % 8));
        }
        Some(Self { limbs })
    }

    /// The 384-byte big-endian encoding (with leading zero bytes).
    pub fn to_be_bytes(&self) -> [u8; BYTES] {
        let mut out = [0u8; BYTES];
        self.write_be_bytes(&mut out);
        out
    }

    /// Writes the 384-byte big-endian encoding into `out` (for a buffer the
    /// caller wipes: no copy of the value is left behind).
    pub(crate) fn write_be_bytes(&self, out: &mut [u8; BYTES]) {
        for (chunk, limb) in out.chunks_exact_mut(8).zip(self.limbs.iter().rev()) {
            chunk.copy_from_slice(&limb.to_be_bytes());
        }
    }

    /// Whether the value is zero (constant time).
    pub fn is_zero(&self) -> bool {
        let acc = self.limbs.iter().fold(0u64, |acc, &l| acc | l);
        bool::from(acc.ct_eq(&0))
    }
}

impl ConstantTimeEq for U3072 {
    fn ct_eq(&self, other: &Self) -> Choice {
        let diff = self
            .limbs
            .iter()
            .zip(other.limbs.iter())
            .fold(0u64, |acc, (a, b)| acc | (a ^ b));
        diff.ct_eq(&0)
    }
}

impl PartialEq for U3072 {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.ct_eq(other))
    }
}

impl Eq for U3072 {}

impl Zeroize for U3072 {
    fn zeroize(&mut self) {
        self.limbs.zeroize();
    }
}

impl fmt::Debug for U3072 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("U3072([redacted])")
    }
}

/// `a + b`, returning the sum and the carry out (0 or 1). Constant time.
#[inline]
pub(crate) fn add_limbs(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> ([u64; LIMBS], u64) {
    let mut out = [0u64; LIMBS];
    let mut carry = 0u64;
    for i in 0..LIMBS {
        let (s1, c1) = a[i].overflowing_add(b[i]);
        let (s2, c2) = s1.overflowing_add(carry);
        out[i] = s2;
        carry = u64::from(c1) | u64::from(c2);
    }
    (out, carry)
}

/// `a - b`, returning the difference and the borrow out (0 or 1). Constant time.
#[inline]
pub(crate) fn sub_limbs(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> ([u64; LIMBS], u64) {
    let mut out = [0u64; LIMBS];
    let mut borrow = 0u64;
    for i in 0..LIMBS {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow);
        out[i] = d2;
        borrow = u64::from(b1) | u64::from(b2);
    }
    (out, borrow)
}

/// Returns `a` where `mask` is all ones and `b` where it is zero. `mask` must be
/// `0` or `u64::MAX`. Constant time.
#[inline]
pub(crate) fn select_limbs(mask: u64, a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    let mut out = [0u64; LIMBS];
    for i in 0..LIMBS {
        out[i] = b[i] ^ (mask & (a[i] ^ b[i]));
    }
    out
}

/// `u64::MAX` if `bit == 1`, `0` if `bit == 0`, hidden from the optimiser so
/// that it cannot turn mask arithmetic back into a branch.
#[inline]
pub(crate) fn mask_from_bit(bit: u64) -> u64 {
    core::hint::black_box(bit & 1).wrapping_neg()
}

/// The value of little-endian `u64` limbs as a `BigUint`, for the kernels'
/// differential tests.
#[cfg(test)]
pub(crate) fn limbs_to_biguint(limbs: &[u64]) -> num_bigint::BigUint {
    limbs
        .iter()
        .rev()
        .fold(num_bigint::BigUint::default(), |acc, &l| (acc << 64u32) + l)
}
