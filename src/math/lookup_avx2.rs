//! AVX2 builds of the constant-time table lookups, for the ADX backend (x86-64
//! CPUs without AVX-512, all of which have AVX2 in practice; checked at run
//! time all the same).
//!
//! Same selection as the portable lookups ([`ct_lookup`], [`ct_lookup_bytes`]:
//! every entry read, the wanted one kept by an all-ones mask, the others
//! ANDed with zero), written with AVX2 intrinsics so that the whole 384-byte
//! accumulator stays in 12 of the 16 ymm registers and each entry costs 12
//! loads, ANDs and ORs. (The portable code recompiled with AVX2 enabled was
//! slower than its SSE2 build: the compiler vectorised across entries,
//! assembling each register from four entries' limbs.) Same instructions
//! and addresses whatever the index, so the same constant-time argument.
//!
//! `unsafe` here: the calls into the `#[target_feature(enable = "avx2")]`
//! functions, made only through an [`Avx2`] token, and the unaligned 32-byte
//! loads and stores of in-bounds chunks.
#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_loadu_si256, _mm256_or_si256, _mm256_set1_epi64x,
    _mm256_setzero_si256, _mm256_storeu_si256,
};

#[cfg(doc)]
use super::comb::ct_lookup_bytes;
use super::cpu::CpuFeatures;
use super::ct::eq_mask;
#[cfg(doc)]
use super::montgomery::ct_lookup;
use super::u3072::{BYTES, LIMBS};

/// Proof that the CPU supports AVX2 and the OS saves the ymm state. Only
/// [`Avx2::get`] creates one.
#[derive(Clone, Copy)]
pub(crate) struct Avx2 {
    _detected: (),
}

impl Avx2 {
    /// The token if the running CPU has AVX2 (detected once per process).
    #[inline]
    pub(crate) fn get() -> Option<Self> {
        CpuFeatures::get().avx2.then_some(Self { _detected: () })
    }

    /// [`ct_lookup`] (a table of 48-limb entries) with AVX2.
    #[inline]
    pub(crate) fn ct_lookup(self, table: &[[u64; LIMBS]], idx: usize) -> [u64; LIMBS] {
        // SAFETY: `self` exists only if AVX2 was detected at run time, which is
        // all `ct_lookup_avx2` requires.
        unsafe { ct_lookup_avx2(table, idx) }
    }

    /// [`ct_lookup_bytes`] (a comb row of 384-byte entries) with AVX2.
    #[inline]
    pub(crate) fn ct_lookup_bytes(self, row: &[u8], idx: usize) -> [u64; LIMBS] {
        // SAFETY: as in `ct_lookup`.
        unsafe { ct_lookup_bytes_avx2(row, idx) }
    }
}

/// ymm registers per 384-byte value.
const YMMS: usize = BYTES / 32;

/// ORs `mask & entry` into `acc` for a 384-byte entry, 32 bytes at a time.
#[inline]
#[target_feature(enable = "avx2")]
fn accumulate_bytes(acc: &mut [__m256i; YMMS], entry: &[u8], mask: u64) {
    let m = _mm256_set1_epi64x(mask as i64);
    for (a, chunk) in acc.iter_mut().zip(entry.chunks_exact(32)) {
        // SAFETY: `chunk` is exactly 32 readable bytes (chunks_exact); loadu
        // has no alignment requirement.
        let e = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        *a = _mm256_or_si256(*a, _mm256_and_si256(m, e));
    }
}

/// ORs `mask & entry` into `acc` for a 48-limb entry, 4 limbs at a time.
#[inline]
#[target_feature(enable = "avx2")]
fn accumulate_limbs(acc: &mut [__m256i; YMMS], entry: &[u64; LIMBS], mask: u64) {
    let m = _mm256_set1_epi64x(mask as i64);
    for (a, chunk) in acc.iter_mut().zip(entry.chunks_exact(4)) {
        // SAFETY: `chunk` is exactly 4 u64 = 32 readable bytes (chunks_exact);
        // loadu has no alignment requirement.
        let e = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        *a = _mm256_or_si256(*a, _mm256_and_si256(m, e));
    }
}

/// The accumulated value as little-endian limbs.
#[inline]
#[target_feature(enable = "avx2")]
fn limbs(acc: &[__m256i; YMMS]) -> [u64; LIMBS] {
    let mut out = [0u64; LIMBS];
    for (a, chunk) in acc.iter().zip(out.chunks_exact_mut(4)) {
        // SAFETY: `chunk` is 4 u64 = 32 writable bytes; storeu has no
        // alignment requirement.
        unsafe { _mm256_storeu_si256(chunk.as_mut_ptr().cast(), *a) };
    }
    out
}

#[target_feature(enable = "avx2")]
fn ct_lookup_avx2(table: &[[u64; LIMBS]], idx: usize) -> [u64; LIMBS] {
    let mut acc = [_mm256_setzero_si256(); YMMS];
    for (i, entry) in table.iter().enumerate() {
        accumulate_limbs(&mut acc, entry, eq_mask(i, idx));
    }
    limbs(&acc)
}

#[target_feature(enable = "avx2")]
fn ct_lookup_bytes_avx2(row: &[u8], idx: usize) -> [u64; LIMBS] {
    let mut acc = [_mm256_setzero_si256(); YMMS];
    for (i, entry) in row.chunks_exact(BYTES).enumerate() {
        accumulate_bytes(&mut acc, entry, eq_mask(i, idx));
    }
    limbs(&acc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::comb::ct_lookup_bytes;
    use crate::math::montgomery::ct_lookup;

    /// 32 distinct pseudo-random entries.
    fn table() -> Vec<[u64; LIMBS]> {
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        (0..32)
            .map(|_| {
                let mut e = [0u64; LIMBS];
                for l in e.iter_mut() {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    *l = s;
                }
                e
            })
            .collect()
    }

    #[test]
    fn same_entry_as_the_portable_scans() {
        let Some(avx2) = Avx2::get() else {
            return;
        };
        let table = table();
        let bytes: Vec<u8> = table
            .iter()
            .flat_map(|e| e.iter().flat_map(|l| l.to_le_bytes()))
            .collect();
        // Every index, and indices past the end (no entry: zero).
        for idx in 0..table.len() + 3 {
            let want = table.get(idx).copied().unwrap_or([0; LIMBS]);
            assert_eq!(ct_lookup(&table, idx), want);
            assert_eq!(avx2.ct_lookup(&table, idx), want, "limbs, index {idx}");
            assert_eq!(ct_lookup_bytes(&bytes, idx), want);
            assert_eq!(
                avx2.ct_lookup_bytes(&bytes, idx),
                want,
                "bytes, index {idx}"
            );
        }
    }
}
