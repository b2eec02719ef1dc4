//! g^e mod N for the group generator g = 2 with precomputed Lim–Lee fixed-base
//! combs (tables generated at compile time by `build.rs`, in Montgomery form).
//!
//! A comb with h teeth, v sub-tables and spacing b covers h·v·b exponent bits
//! with b − 1 squarings and v·b − 1 multiplications. Every table lookup is
//! indexed by secret exponent bits, so it reads the whole 2^h-entry row and
//! selects with masks.

use zeroize::Zeroize;

use super::ct::{eq_mask, exp_bit};
use super::montgomery::{MontgomeryForm, mont_mul_limbs, mont_square_limbs};
use super::u3072::{BYTES, LIMBS};

/// A comb table's bytes, aligned to a cache line: every 384-byte entry then
/// fills six whole lines, and the IFMA scan's 64-byte loads never straddle
/// two (`include_bytes!` alone gives no alignment).
#[repr(C, align(64))]
struct CombBytes<const LEN: usize>([u8; LEN]);

include!(concat!(env!("OUT_DIR"), "/comb_params.rs"));

/// A comb: a prefix of the table (whole segments) with its parameters.
pub(crate) struct Comb {
    pub(crate) teeth: usize,
    /// Rows per segment (v).
    tables: usize,
    pub(crate) spacing: usize,
    /// The rows this comb uses: its segments' (2^teeth entries of 384 bytes each).
    pub(crate) bytes: &'static [u8],
    /// 2^(48·rows·(2^spacing − 1)) mod N, undoes the R/R' factors the IFMA
    /// backend accumulates when it multiplies these R-domain entries.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub(crate) ifma_fix: &'static [u64; LIMBS],
}

/// Bytes of one segment of the table.
const SEGMENT_BYTES: usize = (COMB_TABLES << COMB_TEETH) * BYTES;

/// Exponents of at most 32 bytes (x = SHA-256 output): the first segment.
const COMB_256: Comb = Comb {
    teeth: COMB_TEETH,
    tables: COMB_TABLES,
    spacing: COMB_SPACING,
    bytes: COMB_BYTES.0.split_at(SEGMENT_BYTES).0,
    ifma_fix: &COMB_256_IFMA_FIX,
};

/// Exponents of at most 128 bytes (the ephemeral a): every segment. Its first
/// segment is the 256-bit comb's, so a login's g^x reads rows g^a has already
/// brought into the cache.
const COMB_1024: Comb = Comb {
    teeth: COMB_TEETH,
    tables: COMB_TABLES,
    spacing: COMB_SPACING,
    bytes: &COMB_BYTES.0,
    ifma_fix: &COMB_1024_IFMA_FIX,
};

/// Largest number of entries in a comb row (2^teeth).
const MAX_ROW: usize = 64;

/// Exponent bits one segment covers (h·v·b).
const SEGMENT_BITS: usize = COMB_TEETH * COMB_TABLES * COMB_SPACING;

const _: () = {
    assert!(1 << COMB_TEETH <= MAX_ROW);
    assert!(SEGMENT_BITS >= 256);
    assert!(COMB_SEGMENTS * SEGMENT_BITS >= 1024);
    assert!(COMB_BYTES.0.len() == COMB_SEGMENTS * SEGMENT_BYTES);
};

/// Total size of the precomputed comb table in bytes.
pub const COMB_TABLE_BYTES: usize = COMB_BYTES.0.len();

/// Constant-time lookup of entry `idx` in a row of 384-byte little-endian
/// entries: every entry is read and masked. The output is built 8 limbs at a
/// time so the partial result stays in registers while the row is scanned.
#[inline]
pub(crate) fn ct_lookup_bytes(row: &[u8], idx: usize) -> [u64; LIMBS] {
    const CHUNK: usize = 8;
    let mut masks = [0u64; MAX_ROW];
    for (i, m) in masks.iter_mut().enumerate() {
        *m = eq_mask(i, idx);
    }
    let mut out = [0u64; LIMBS];
    for (c, out_chunk) in out.chunks_exact_mut(CHUNK).enumerate() {
        let mut part = [0u64; CHUNK];
        for (entry, &mask) in row.chunks_exact(BYTES).zip(masks.iter()) {
            let bytes = &entry[c * CHUNK * 8..(c + 1) * CHUNK * 8];
            for (p, b) in part.iter_mut().zip(bytes.chunks_exact(8)) {
                let mut limb = [0u8; 8];
                limb.copy_from_slice(b);
                *p |= mask & u64::from_le_bytes(limb);
            }
        }
        out_chunk.copy_from_slice(&part);
    }
    out
}

impl Comb {
    /// The rows, in the order [`Comb::digit`] numbers them.
    pub(crate) fn rows(&self) -> core::slice::ChunksExact<'static, u8> {
        self.bytes.chunks_exact(BYTES << self.teeth)
    }

    /// The entry index of row `row` at comb step `p`: bit r is exponent bit
    /// h·v·b·j + v·b·r + b·s + p, where row = v·j + s (segment j, row s of
    /// it). Reads the secret exponent's bits without branching on them.
    #[inline]
    pub(crate) fn digit(&self, exp_be: &[u8], row: usize, p: usize) -> usize {
        let block = self.tables * self.spacing;
        let base =
            (row / self.tables) * self.teeth * block + (row % self.tables) * self.spacing + p;
        (0..self.teeth).fold(0usize, |d, r| d | (exp_bit(exp_be, base + r * block) << r))
    }

    /// g^e in Montgomery form for an exponent of at most teeth·tables·spacing bits.
    pub(crate) fn exp(&self, exp_be: &[u8]) -> MontgomeryForm {
        MontgomeryForm::from_limbs(self.exp_with(
            exp_be,
            mont_mul_limbs,
            mont_square_limbs,
            ct_lookup_bytes,
        ))
    }

    /// [`Comb::exp`] on the given Montgomery product and square (R = 2^3072
    /// semantics, like the tables) and row lookup (a build of
    /// [`ct_lookup_bytes`]), as raw limbs.
    #[inline]
    pub(crate) fn exp_with(
        &self,
        exp_be: &[u8],
        mul: impl Fn(&[u64; LIMBS], &[u64; LIMBS]) -> [u64; LIMBS],
        square: impl Fn(&[u64; LIMBS]) -> [u64; LIMBS],
        lookup: impl Fn(&[u8], usize) -> [u64; LIMBS],
    ) -> [u64; LIMBS] {
        let mut acc: Option<[u64; LIMBS]> = None;
        for p in (0..self.spacing).rev() {
            if let Some(a) = acc.as_mut() {
                *a = square(a);
            }
            for (row, entries) in self.rows().enumerate() {
                let mut entry = lookup(entries, self.digit(exp_be, row, p));
                acc = Some(match acc {
                    Some(a) => mul(&a, &entry),
                    None => entry,
                });
                // The entry picked tells which digit the secret exponent has here.
                entry.zeroize();
            }
        }
        acc.unwrap_or(*MontgomeryForm::ONE.limbs())
    }
}

/// The comb for an exponent of this (public) byte length: ≤ 32 bytes the
/// 256-bit comb, ≤ 128 bytes the 1024-bit comb, longer ones none.
pub(crate) fn for_exponent(exp_be: &[u8]) -> Option<&'static Comb> {
    if exp_be.len() <= 32 {
        Some(&COMB_256)
    } else if exp_be.len() <= 128 {
        Some(&COMB_1024)
    } else {
        None
    }
}
