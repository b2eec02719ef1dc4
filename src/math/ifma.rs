//! AVX-512 IFMA backend (x86-64 only, selected at run time).
//!
//! Almost-Montgomery multiplication in the style of Gueron–Krasnov: values are
//! held as 60 digits of 52 bits (3120 bits, padded to 64 lanes = 8 zmm
//! registers), R' = 2^3120. One multiplication runs over b's 60 digits, two
//! per step; each digit multiply-accumulates a·bᵢ and N·m with
//! `vpmadd52luq`/`vpmadd52huq` into unnormalised 64-bit lanes, and the
//! accumulator shifts down two lanes per step. The reduction digits are
//! computed on scalar copies of the two lowest lanes; since N ≡ −1 (mod 2^52),
//! m is simply the lane's low 52 bits and its carry is `(t >> 52) + m`, with no
//! multiplication. One vectorised carry normalisation (mask arithmetic for the
//! ripple) ends each product.
//!
//! Inputs and outputs of [`amm`] are < 2N (almost reduced); the full reduction
//! to < N happens once, when leaving the 52-bit domain.
//!
//! Squarings (every squaring of `pow` and of the comb, and the public
//! `mont_square`) use [`ams`], which adds each cross product aᵢ·aⱼ once,
//! doubled exactly inside the 52-bit digits (digits of 2a), and skips the
//! registers below each row: about 1490 multiply-adds against [`amm`]'s 1920.
//! It is only ≈ 1.05× faster than [`amm`] here, not the ≈ 1.3× that count
//! suggests: both kernels seem bound by something else (dependency chains
//! through the two-lane shift and the scalar reduction digits, or the front
//! end for the unrolled square; the shared development VM has no performance
//! counters to tell).
//!
//! Exponentiations convert into the 52-bit / R' domain once, run fixed windows
//! with masked full-table scans in zmm registers, and convert back once. The
//! comb tables stay in their 64-bit, R = 2^3072 form: each selected row entry is
//! converted after the masked scan, and the accumulated factor
//! (R/R')^(#uses) — a public constant per comb — is removed by one final
//! multiplication. The public `mont_mul`/`mont_square` (R = 2^3072 semantics)
//! use one product and a cheap ×2^48 reduction instead of a second product.
//!
//! `unsafe` is confined to this file: the calls into `#[target_feature]`
//! functions (guarded by the [`Ifma`] token, which exists only after run-time
//! detection succeeded), the unaligned vector loads/stores of in-bounds
//! fixed-size arrays, and two `#[inline(always)]` helpers of [`ams`]
//! (`ams_step`, `add_row`) that are `unsafe fn` because they use the
//! intrinsics without a `target_feature` attribute of their own (which
//! `inline(always)` does not allow); [`ams`] is their only caller.
#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m512i, _mm_cvtsi128_si64, _mm512_add_epi64, _mm512_alignr_epi64, _mm512_and_si512,
    _mm512_castsi512_si128, _mm512_cmpeq_epu64_mask, _mm512_cmpgt_epu64_mask, _mm512_loadu_si512,
    _mm512_madd52hi_epu64, _mm512_madd52lo_epu64, _mm512_mask_blend_epi64,
    _mm512_mask_madd52hi_epu64, _mm512_mask_madd52lo_epu64, _mm512_mask_set1_epi64,
    _mm512_mask_sub_epi64, _mm512_or_si512, _mm512_permutex2var_epi64, _mm512_permutexvar_epi64,
    _mm512_set_epi64, _mm512_set1_epi64, _mm512_setzero_si512, _mm512_slli_epi64,
    _mm512_srli_epi64, _mm512_storeu_si512,
};
use zeroize::Zeroize;

use super::comb::Comb;
use super::cpu::CpuFeatures;
use super::ct::{MAX_WINDOW, MODULUS, ONE_LIMBS, eq_mask, final_sub, window_digit, window_for};
use super::u3072::{BYTES, LIMBS};

include!(concat!(env!("OUT_DIR"), "/ifma_consts.rs"));

/// Used 52-bit digits (60 · 52 = 3120 ≥ 3072 + 48 bits of headroom).
const DIGITS: usize = 60;
/// Lanes (digits padded to whole zmm registers).
const LANES: usize = 64;
/// zmm registers per value.
const VECS: usize = LANES / 8;
/// Low 52 bits.
const MASK52: u64 = (1 << 52) - 1;

/// A value in 52-bit digits, little-endian; lanes ≥ 60 are zero.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct D52([u64; LANES]);

/// Splits 48 little-endian u64 limbs into 52-bit digits.
const fn to52(x: &[u64; LIMBS]) -> D52 {
    let mut out = [0u64; LANES];
    let mut j = 0;
    while j < DIGITS {
        let bit = 52 * j;
        let w = bit / 64;
        let s = bit % 64;
        let mut v = 0;
        if w < LIMBS {
            v = x[w] >> s;
            if s > 12 && w + 1 < LIMBS {
                v |= x[w + 1] << (64 - s);
            }
        }
        out[j] = v & MASK52;
        j += 1;
    }
    D52(out)
}

/// Joins normalised 52-bit digits (value < 2N < 2^3073) into 49 limbs.
fn from52(d: &D52) -> [u64; LIMBS + 1] {
    let mut out = [0u64; LIMBS + 1];
    let mut acc: u128 = 0;
    let mut nbits = 0u32;
    let mut o = 0usize;
    for &digit in &d.0[..DIGITS] {
        acc |= u128::from(digit) << nbits;
        nbits += 52;
        if nbits >= 64 {
            out[o] = acc as u64;
            acc >>= 64;
            nbits -= 64;
            o += 1;
        }
    }
    out[LIMBS] = acc as u64;
    out
}

/// Joins normalised 52-bit digits (value < 2N) into 48 limbs and reduces the
/// result below N with one masked subtraction.
fn from52_reduced(d: &D52) -> [u64; LIMBS] {
    let out = from52(d);
    let mut r = [0u64; LIMBS];
    r.copy_from_slice(&out[..LIMBS]);
    // Value < 2N < 2^3073: the top word is the carry bit.
    final_sub(&r, out[LIMBS])
}

/// 2^3072 − N (< 2^3008).
const R_MINUS_N: [u64; LIMBS] = {
    let mut c = [0u64; LIMBS];
    let mut carry = 1u64;
    let mut i = 0;
    while i < LIMBS {
        let (v, o) = (!MODULUS.limbs[i]).overflowing_add(carry);
        c[i] = v;
        carry = o as u64;
        i += 1;
    }
    c
};

/// x·2^48 mod N for normalised x < 2N, fully reduced. With x ≡ a·b/R' this is
/// a·b/R (R = 2^3072): cheaper than a second Montgomery multiplication.
///
/// y = x·2^48 < 2^3121 splits as y = q·2^3072 + y₀ with q < 2^49, and
/// y ≡ y₀ + q·(2^3072 − N) < 2^3072 + 2^3057 < 2N, so one masked subtraction
/// finishes. Fixed instruction sequence.
fn times_2_48_reduced(x: &D52) -> [u64; LIMBS] {
    let w = from52(x);
    let mut y = [0u64; LIMBS];
    let mut prev = 0u64;
    for (o, &v) in y.iter_mut().zip(&w[..LIMBS]) {
        *o = (v << 48) | (prev >> 16);
        prev = v;
    }
    let q = (w[LIMBS] << 48) | (prev >> 16);
    let mut carry = 0u64;
    for (o, &c) in y.iter_mut().zip(&R_MINUS_N) {
        let t = u128::from(*o) + u128::from(q) * u128::from(c) + u128::from(carry);
        *o = t as u64;
        carry = (t >> 64) as u64;
    }
    final_sub(&y, carry)
}

/// N in 52-bit digits.
const N52: D52 = to52(&MODULUS.limbs);
/// R' mod N: 1 in the R' domain.
const ONE_R: D52 = to52(&IFMA_ONE);
/// R'² mod N: `amm(x, RR) = x·R' mod N`.
const RR: D52 = to52(&IFMA_RR);
/// Plain 1: `amm(x, ONE_PLAIN) = x/R' mod N`.
const ONE_PLAIN: D52 = {
    let mut d = [0u64; LANES];
    d[0] = 1;
    D52(d)
};

/// Proof that the CPU supports the features this module's `#[target_feature]`
/// functions need (avx512f, avx512ifma). Only [`Ifma::get`] creates one.
#[derive(Clone, Copy)]
pub(crate) struct Ifma {
    _detected: (),
}

impl Ifma {
    /// The token if the running CPU supports AVX-512F and AVX-512 IFMA and the
    /// OS saves the zmm state (detected once per process, then cached).
    #[inline]
    pub(crate) fn get() -> Option<Self> {
        CpuFeatures::get()
            .avx512_ifma
            .then_some(Self { _detected: () })
    }

    /// base^e mod N (base < N, plain limbs); fixed windows, constant time in
    /// the exponent's value. Result < N.
    pub(crate) fn pow(self, base: &[u64; LIMBS], exp_be: &[u8]) -> [u64; LIMBS] {
        // SAFETY: `self` exists only if avx512f and avx512ifma were detected at
        // run time, which is all `pow_impl` requires.
        unsafe { pow_impl(base, exp_be) }
    }

    /// a·b/R mod N (R = 2^3072) for a, b < N. Result < N.
    pub(crate) fn mont_mul(self, a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
        // SAFETY: the token proves avx512f + avx512ifma support (see `pow`).
        unsafe { mont_mul_impl(a, b) }
    }

    /// a²/R mod N (R = 2^3072) for a < N, by the dedicated square. Result < N.
    pub(crate) fn mont_square(self, a: &[u64; LIMBS]) -> [u64; LIMBS] {
        // SAFETY: the token proves avx512f + avx512ifma support (see `pow`).
        unsafe { mont_square_impl(a) }
    }

    /// a·b mod N for a, b < N. Result < N.
    pub(crate) fn mul_mod(self, a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
        // SAFETY: the token proves avx512f + avx512ifma support (see `pow`).
        unsafe { mul_fixed(a, b, &RR) }
    }

    /// Lim–Lee comb exponentiation g^e by `comb` (its table entries are
    /// 384-byte little-endian values in R = 2^3072 Montgomery form; its
    /// `ifma_fix` undoes the R/R' factors). Returns the plain result, < N.
    pub(crate) fn comb_exp(self, comb: &Comb, exp_be: &[u8]) -> [u64; LIMBS] {
        // SAFETY: the token proves avx512f + avx512ifma support (see `pow`).
        unsafe { comb_impl(comb, exp_be) }
    }
}

/// Loads a value into zmm registers.
#[inline]
#[target_feature(enable = "avx512f")]
fn load(x: &D52) -> [__m512i; VECS] {
    let mut v = [_mm512_setzero_si512(); VECS];
    for (r, chunk) in v.iter_mut().zip(x.0.chunks_exact(8)) {
        // SAFETY: `chunk` is 8 u64 = 64 readable bytes; loadu has no alignment
        // requirement.
        *r = unsafe { _mm512_loadu_si512(chunk.as_ptr().cast()) };
    }
    v
}

/// Stores zmm registers into a value.
#[inline]
#[target_feature(enable = "avx512f")]
fn store(v: &[__m512i; VECS]) -> D52 {
    let mut x = D52([0; LANES]);
    for (r, chunk) in v.iter().zip(x.0.chunks_exact_mut(8)) {
        // SAFETY: `chunk` is 8 u64 = 64 writable bytes; storeu has no alignment
        // requirement.
        unsafe { _mm512_storeu_si512(chunk.as_mut_ptr().cast(), *r) };
    }
    x
}

/// Lane 0 of a vector.
#[inline]
#[target_feature(enable = "avx512f")]
fn lane0(v: __m512i) -> u64 {
    _mm_cvtsi128_si64(_mm512_castsi512_si128(v)) as u64
}

/// Carry-normalises 64 lanes of < 2^63 each to 52-bit digits (the value must
/// fit in 64 digits, which holds for every value < 2N). Constant time: the
/// ripple of carries through all-ones digits is resolved with mask arithmetic.
#[inline]
#[target_feature(enable = "avx512f")]
fn normalise(r: &mut [__m512i; VECS]) {
    let mask = _mm512_set1_epi64(MASK52 as i64);
    let zero = _mm512_setzero_si512();
    let mut c = [zero; VECS];
    for (ck, rk) in c.iter_mut().zip(r.iter_mut()) {
        *ck = _mm512_srli_epi64::<52>(*rk);
        *rk = _mm512_and_si512(*rk, mask);
    }
    // Lane i's carry goes into lane i + 1: shift the carries up one lane.
    r[0] = _mm512_add_epi64(r[0], _mm512_alignr_epi64::<7>(c[0], zero));
    for k in 1..VECS {
        r[k] = _mm512_add_epi64(r[k], _mm512_alignr_epi64::<7>(c[k], c[k - 1]));
    }
    // Now every lane is < 2^52 + 2^12: at most a single carry out. Lanes
    // > MASK52 generate one, lanes == MASK52 propagate one.
    let mut generate = 0u64;
    let mut propagate = 0u64;
    for (k, rk) in r.iter().enumerate() {
        generate |= u64::from(_mm512_cmpgt_epu64_mask(*rk, mask)) << (8 * k);
        propagate |= u64::from(_mm512_cmpeq_epu64_mask(*rk, mask)) << (8 * k);
    }
    let carry_in = (generate << 1).wrapping_add(propagate) ^ propagate;
    for (k, rk) in r.iter_mut().enumerate() {
        let kk = (carry_in >> (8 * k)) as u8;
        // x + 1 − 2^52 ≡ x + 1 (mod 2^52): adds the carry and drops the carry out.
        let t = _mm512_mask_sub_epi64(*rk, kk, *rk, mask);
        *rk = _mm512_and_si512(t, mask);
    }
}

/// N's digits shifted up one lane (lane j holds digit j − 1).
const N52_UP: D52 = {
    let mut d = [0u64; LANES];
    let mut j = 1;
    while j < LANES {
        d[j] = N52.0[j - 1];
        j += 1;
    }
    D52(d)
};

/// Lane 1 of a vector.
#[inline]
#[target_feature(enable = "avx512f")]
fn lane1(v: __m512i) -> u64 {
    lane0(_mm512_alignr_epi64::<1>(v, v))
}

/// Almost-Montgomery product a·b/R' mod N for normalised a, b < 2N; the result
/// is normalised and < 2N. Fixed instruction sequence (no data-dependent
/// branches or addresses).
///
/// Word-serial over b's 60 digits, two digits per step: the products for bᵢ
/// and bᵢ₊₁ use a and a copy of a shifted up one lane (likewise N), so the
/// accumulator moves down two lanes per step (half the `valignq`s of one digit
/// per step; measured ≈ 7 % faster on pow). The two positions that leave the
/// accumulator each step are tracked exactly in scalar registers: lane 0 takes
/// the full 104-bit products a₀·bᵢ (and m·N₀ = m·2^52 − m, as n0' = 1), lane 1
/// its low products of this step; the vector's copies of those lanes are
/// stale and dropped by the shift. Every lane stays < 2^61 (≤ 8 terms < 2^52
/// per step, 30 steps), so nothing overflows before the final normalisation.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn amm(a: &D52, b: &D52) -> D52 {
    let zero = _mm512_setzero_si512();
    let av = load(a);
    let mut au = [zero; VECS];
    au[0] = _mm512_alignr_epi64::<7>(av[0], zero);
    for k in 1..VECS {
        au[k] = _mm512_alignr_epi64::<7>(av[k], av[k - 1]);
    }
    let nv = load(&N52);
    let nu = load(&N52_UP);
    let mut r = [zero; VECS];
    let (a0, a1, n1) = (a.0[0], a.0[1], N52.0[1]);
    // Exact value of position i (lane 0 of the vector is stale).
    let mut acc0 = 0u64;
    // Lane 1 as accumulated in the vector so far (exact).
    let mut acc1 = 0u64;
    for pair in b.0[..DIGITS].chunks_exact(2) {
        let (b0, b1) = (pair[0], pair[1]);
        let t0 = u128::from(acc0) + u128::from(a0) * u128::from(b0);
        let m0 = (t0 as u64) & MASK52;
        let c0 = ((t0 >> 52) as u64) + m0;
        let t1 = u128::from(acc1 + c0 + (a1.wrapping_mul(b0) & MASK52))
            + u128::from(n1.wrapping_mul(m0) & MASK52)
            + u128::from(a0) * u128::from(b1);
        let m1 = (t1 as u64) & MASK52;
        let c1 = ((t1 >> 52) as u64) + m1;
        let vb0 = _mm512_set1_epi64(b0 as i64);
        let vb1 = _mm512_set1_epi64(b1 as i64);
        let vm0 = _mm512_set1_epi64(m0 as i64);
        let vm1 = _mm512_set1_epi64(m1 as i64);
        for k in 0..VECS {
            let mut x = _mm512_madd52lo_epu64(r[k], av[k], vb0);
            x = _mm512_madd52hi_epu64(x, au[k], vb0);
            x = _mm512_madd52lo_epu64(x, au[k], vb1);
            x = _mm512_madd52lo_epu64(x, nv[k], vm0);
            x = _mm512_madd52hi_epu64(x, nu[k], vm0);
            r[k] = _mm512_madd52lo_epu64(x, nu[k], vm1);
        }
        for k in 0..VECS - 1 {
            r[k] = _mm512_alignr_epi64::<2>(r[k + 1], r[k]);
        }
        r[VECS - 1] = _mm512_alignr_epi64::<2>(zero, r[VECS - 1]);
        acc0 = c1 + lane0(r[0]);
        for k in 0..VECS {
            r[k] = _mm512_madd52hi_epu64(r[k], av[k], vb1);
            r[k] = _mm512_madd52hi_epu64(r[k], nv[k], vm1);
        }
        acc1 = lane1(r[0]);
    }
    r[0] = _mm512_mask_set1_epi64(r[0], 1, acc0 as i64);
    normalise(&mut r);
    store(&r)
}

/// Each register's lanes moved up `8 − IMM` lanes across the whole value
/// (lane ℓ takes lane ℓ − (8 − IMM), zeros enter at the bottom; what leaves
/// lane 63 is dropped). `IMM` is `valignq`'s immediate, 1..=7.
#[inline]
#[target_feature(enable = "avx512f")]
fn up<const IMM: i32>(v: &[__m512i; VECS]) -> [__m512i; VECS] {
    let mut u = [_mm512_setzero_si512(); VECS];
    u[0] = _mm512_alignr_epi64::<IMM>(v[0], _mm512_setzero_si512());
    for k in 1..VECS {
        u[k] = _mm512_alignr_epi64::<IMM>(v[k], v[k - 1]);
    }
    u
}

/// Write mask of register `k`'s lanes at or above lane `first` of the value.
#[inline(always)]
const fn lanes_from(first: usize, k: usize) -> u8 {
    if first <= 8 * k {
        0xff
    } else if first < 8 * k + 8 {
        0xff << (first - 8 * k)
    } else {
        0
    }
}

/// Adds one row of the square's upper triangle, a_i·(digits j ≥ i + 2 of 2a),
/// into the accumulator: the low halves from `lo` (2a's digits shifted so that
/// digit i + 2 sits in lane `first`), the high halves one lane up from `hi`.
/// Registers wholly below `first` are skipped (that is the saving). `first`
/// is a compile-time constant at every call (see [`ams_step`]), so the tests
/// fold away.
///
/// # Safety
/// The CPU must support avx512f and avx512ifma (only [`ams`] calls this).
#[inline(always)]
unsafe fn add_row(
    r: &mut [__m512i; VECS],
    lo: &[__m512i; VECS],
    hi: &[__m512i; VECS],
    ai: u64,
    first: usize,
) {
    // SAFETY: the caller guarantees avx512f and avx512ifma.
    unsafe {
        let b = _mm512_set1_epi64(ai as i64);
        for k in 0..VECS {
            let mlo = lanes_from(first, k);
            if mlo == 0xff {
                r[k] = _mm512_madd52lo_epu64(r[k], lo[k], b);
            } else if mlo != 0 {
                r[k] = _mm512_mask_madd52lo_epu64(r[k], mlo, lo[k], b);
            }
            let mhi = lanes_from(first + 1, k);
            if mhi == 0xff {
                r[k] = _mm512_madd52hi_epu64(r[k], hi[k], b);
            } else if mhi != 0 {
                r[k] = _mm512_mask_madd52hi_epu64(r[k], mhi, hi[k], b);
            }
        }
    }
}

/// What every step of [`ams`] reads: a's digits, 2a's digits shifted up
/// 0..=4 lanes, the diagonal band, N and N shifted up one lane.
struct AmsInput<'a> {
    a: &'a D52,
    ds: [[__m512i; VECS]; 5],
    band: [__m512i; 2 * VECS],
    nv: [__m512i; VECS],
    nu: [__m512i; VECS],
}

/// The accumulator of [`ams`]: the window and the exact values of its two
/// lowest positions.
struct AmsAcc {
    r: [__m512i; VECS],
    acc0: u64,
    acc1: u64,
}

/// Step `STEP` of [`ams`]: the band's next register (every fourth step), rows
/// 2·STEP + 2 and 2·STEP + 3, then two reduction digits as in [`amm`]. One
/// copy per step (a const parameter), so that every row's start lane is a
/// constant and the accumulator stays in registers (a loop with the start
/// lane as a variable spilled it, or, dispatching on it, was slower).
///
/// # Safety
/// The CPU must support avx512f and avx512ifma (only [`ams`] calls this).
#[inline(always)]
unsafe fn ams_step<const STEP: usize>(x: &AmsInput<'_>, st: &mut AmsAcc) {
    // SAFETY: the caller guarantees avx512f and avx512ifma.
    unsafe {
        let r = &mut st.r;
        if STEP > 0 && STEP.is_multiple_of(4) {
            // Digits 8u + 56 .. 8u + 63 of the band are lanes 56..63 now.
            r[VECS - 1] = _mm512_add_epi64(r[VECS - 1], x.band[VECS - 1 + STEP / 4]);
        }
        if STEP == 0 {
            // Rows 0 (s = 0) and 1 (s = 1).
            add_row(r, &x.ds[0], &x.ds[1], x.a.0[0], 2);
            add_row(r, &x.ds[1], &x.ds[2], x.a.0[1], 4);
        }
        // Rows 2·STEP + 2 (s = 2) and 2·STEP + 3 (s = 3); rows ≥ 59 are empty.
        let (i0, i1) = (2 * STEP + 2, 2 * STEP + 3);
        if i0 < DIGITS - 1 {
            add_row(r, &x.ds[2], &x.ds[3], x.a.0[i0], i0 + 4);
        }
        if i1 < DIGITS - 1 {
            add_row(r, &x.ds[3], &x.ds[4], x.a.0[i1], i1 + 5);
        }
        let m0 = st.acc0 & MASK52;
        let c0 = (st.acc0 >> 52) + m0;
        let t1 = st.acc1 + c0 + (N52.0[1].wrapping_mul(m0) & MASK52);
        let m1 = t1 & MASK52;
        let c1 = (t1 >> 52) + m1;
        let vm0 = _mm512_set1_epi64(m0 as i64);
        let vm1 = _mm512_set1_epi64(m1 as i64);
        for ((rk, nvk), nuk) in r.iter_mut().zip(&x.nv).zip(&x.nu) {
            // A fresh chain (from zero) so that r[k]'s own chain stays short.
            let mut y = _mm512_madd52lo_epu64(_mm512_setzero_si512(), *nvk, vm0);
            y = _mm512_madd52hi_epu64(y, *nuk, vm0);
            y = _mm512_madd52lo_epu64(y, *nuk, vm1);
            *rk = _mm512_add_epi64(*rk, y);
        }
        for k in 0..VECS - 1 {
            r[k] = _mm512_alignr_epi64::<2>(r[k + 1], r[k]);
        }
        r[VECS - 1] = _mm512_alignr_epi64::<2>(_mm512_setzero_si512(), r[VECS - 1]);
        st.acc0 = c1 + lane0(r[0]);
        for (rk, nvk) in r.iter_mut().zip(&x.nv) {
            *rk = _mm512_madd52hi_epu64(*rk, *nvk, vm1);
        }
        st.acc1 = lane1(r[0]);
    }
}

/// The square's diagonal band as 128 unnormalised lanes (16 registers):
/// a_i² at positions 2i, 2i + 1 and a_i·(2a_{i+1} mod 2^52) at positions
/// 2i + 1, 2i + 2, for every i. `d` holds the 52-bit digits of 2a.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn diagonal(av: &[__m512i; VECS], d: &[__m512i; VECS]) -> [__m512i; 2 * VECS] {
    let zero = _mm512_setzero_si512();
    // Digit j of 2a without the bit carried in from a_{j−1}: 2a_j mod 2^52.
    let clear0 = _mm512_set1_epi64((MASK52 - 1) as i64);
    let mut e = [zero; VECS + 1];
    for (ek, dk) in e.iter_mut().zip(d) {
        *ek = _mm512_and_si512(*dk, clear0);
    }
    let mut lo = [zero; 2 * VECS];
    let mut hi = [zero; 2 * VECS];
    for v in 0..2 * VECS {
        let (w, h) = (v / 2, (v % 2) as i64 * 4);
        // x: a_i in lanes 2t and 2t + 1 (i = 4v + t); y: a_i in lane 2t,
        // 2a_{i+1} mod 2^52 in lane 2t + 1.
        let ix = _mm512_set_epi64(h + 3, h + 3, h + 2, h + 2, h + 1, h + 1, h, h);
        let x = _mm512_permutexvar_epi64(ix, av[w]);
        let iy = _mm512_set_epi64(h + 4, 0, h + 3, 0, h + 2, 0, h + 1, 0);
        let y = _mm512_permutex2var_epi64(e[w], iy, e[w + 1]);
        let y = _mm512_mask_blend_epi64(0xaa, x, y);
        lo[v] = _mm512_madd52lo_epu64(zero, x, y);
        hi[v] = _mm512_madd52hi_epu64(zero, x, y);
    }
    // The high halves belong one lane up.
    let mut t = [zero; 2 * VECS];
    t[0] = _mm512_add_epi64(lo[0], _mm512_alignr_epi64::<7>(hi[0], zero));
    for v in 1..2 * VECS {
        t[v] = _mm512_add_epi64(lo[v], _mm512_alignr_epi64::<7>(hi[v], hi[v - 1]));
    }
    t
}

/// Almost-Montgomery square a²/R' mod N for normalised a < 2N; the result is
/// normalised and < 2N. Fixed instruction sequence: the 30 steps are unrolled
/// ([`ams_step`]), and what a step skips depends on its number only.
///
/// The same two-digits-per-step reduction as [`amm`] (32 of its 64
/// multiply-adds per step), but the square's own terms are added once each:
///
/// * a² = Σᵢ aᵢ·(aᵢ·2^{52i} + 2·A_{>i}), A_{>i} = Σ_{j>i} aⱼ·2^{52j}. The
///   52-bit digits of 2·A_{>i} are those of 2a (computed once) above digit
///   i + 1, plus 2a_{i+1} mod 2^52 at digit i + 1 (2a's digit without the bit
///   carried in from aᵢ). So the doubling is exact inside the digits, which
///   `vpmadd52` requires (it reads 52 bits of each factor).
/// * The band at digits 2i, 2i + 1, 2i + 2 (aᵢ² and aᵢ·(2a_{i+1} mod 2^52))
///   is computed for all i at once in [`diagonal`] and enters the accumulator
///   a register at a time as the window reaches it.
/// * Row i (aᵢ times 2a's digits from i + 2 up) is added at step ⌊i/2⌋ − 1
///   (rows 0 and 1 at step 0), against 2a shifted up s = i − 2·step lanes,
///   s ∈ {2, 3}: the row then starts at lane i + 2 + s, and registers wholly
///   below that start are skipped. No row reaches lanes 0 and 1 (tracked
///   exactly in scalars as in [`amm`]): its lowest lane is ≥ 2 before the
///   step's shift.
///
/// Rows and band take about 530 multiply-adds against the 960 of a·b in
/// [`amm`]; the reduction's 960 are unchanged (1490 against 1920 in all). The
/// reduction's three pre-shift multiply-adds per register run in a chain of
/// their own, added once, which keeps the accumulator's dependency chain
/// short. Measured, this is only ≈ 1.05× faster than [`amm`] on the
/// development machine (and makes `pow` ≈ 7 % faster): the kernel is not
/// bound by the multiply-add count alone (see the module documentation).
///
/// Lanes stay < 2^61 (< 2^54 from the band, < 2^58 from the rows, < 2^59 from
/// the reduction); the value bound is that of [`amm`] with b = a.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn ams(a: &D52) -> D52 {
    let mask = _mm512_set1_epi64(MASK52 as i64);
    let av = load(a);
    let au = up::<7>(&av);
    // The 61 digits of 2a: 2aⱼ mod 2^52 plus the top bit of a_{j−1}.
    let mut d = [_mm512_setzero_si512(); VECS];
    for ((dk, ak), uk) in d.iter_mut().zip(&av).zip(&au) {
        *dk = _mm512_or_si512(
            _mm512_and_si512(_mm512_slli_epi64::<1>(*ak), mask),
            _mm512_srli_epi64::<51>(*uk),
        );
    }
    // 2a's digits shifted up s = 0..=4 lanes.
    let ds = [d, up::<7>(&d), up::<6>(&d), up::<5>(&d), up::<4>(&d)];
    let band = diagonal(&av, &d);
    let x = AmsInput {
        a,
        ds,
        band,
        nv: load(&N52),
        nu: load(&N52_UP),
    };
    let mut r = [_mm512_setzero_si512(); VECS];
    r.copy_from_slice(&x.band[..VECS]);
    let mut st = AmsAcc {
        r,
        acc0: lane0(r[0]),
        acc1: lane1(r[0]),
    };
    macro_rules! steps {
        ($($s:literal)*) => {
            // SAFETY: `ams` runs only where avx512f and avx512ifma are
            // available (its `target_feature`, proven by its callers).
            $(unsafe { ams_step::<$s>(&x, &mut st) };)*
        };
    }
    steps!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29);
    const _: () = assert!(DIGITS / 2 == 30);
    let AmsAcc { mut r, acc0, .. } = st;
    r[0] = _mm512_mask_set1_epi64(r[0], 1, acc0 as i64);
    normalise(&mut r);
    store(&r)
}

/// Masked full scan of a table of 52-bit values: returns `table[idx]`.
#[inline]
#[target_feature(enable = "avx512f")]
fn ct_select(table: &[D52], idx: usize) -> D52 {
    let mut out = [_mm512_setzero_si512(); VECS];
    for (i, entry) in table.iter().enumerate() {
        let m = _mm512_set1_epi64(eq_mask(i, idx) as i64);
        let e = load(entry);
        for (o, ek) in out.iter_mut().zip(e) {
            *o = _mm512_or_si512(*o, _mm512_and_si512(m, ek));
        }
    }
    store(&out)
}

/// Masked full scan of a comb row (384-byte little-endian u64 entries):
/// returns entry `idx` converted to 52-bit digits.
#[inline]
#[target_feature(enable = "avx512f")]
fn ct_select_row(row: &[u8], idx: usize) -> D52 {
    const CHUNKS: usize = BYTES / 64;
    let mut out = [_mm512_setzero_si512(); CHUNKS];
    for (i, entry) in row.chunks_exact(BYTES).enumerate() {
        let m = _mm512_set1_epi64(eq_mask(i, idx) as i64);
        for (o, chunk) in out.iter_mut().zip(entry.chunks_exact(64)) {
            // SAFETY: `chunk` is exactly 64 readable bytes (chunks_exact); loadu
            // has no alignment requirement.
            let e = unsafe { _mm512_loadu_si512(chunk.as_ptr().cast()) };
            *o = _mm512_or_si512(*o, _mm512_and_si512(m, e));
        }
    }
    let mut limbs = [0u64; LIMBS];
    for (o, chunk) in out.iter().zip(limbs.chunks_exact_mut(8)) {
        // SAFETY: `chunk` is 8 u64 = 64 writable bytes; storeu has no alignment
        // requirement.
        unsafe { _mm512_storeu_si512(chunk.as_mut_ptr().cast(), *o) };
    }
    let d = to52(&limbs);
    limbs.zeroize();
    d
}

/// a·b/R mod N (R = 2^3072), fully reduced: one AMM and a shift by 48 bits.
#[target_feature(enable = "avx512f,avx512ifma")]
fn mont_mul_impl(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    times_2_48_reduced(&amm(&to52(a), &to52(b)))
}

/// a²/R mod N (R = 2^3072), fully reduced: one AMS and a shift by 48 bits.
#[target_feature(enable = "avx512f,avx512ifma")]
fn mont_square_impl(a: &[u64; LIMBS]) -> [u64; LIMBS] {
    times_2_48_reduced(&ams(&to52(a)))
}

/// amm(amm(a, b), fix), fully reduced: a·b·fix/R'² mod N.
#[target_feature(enable = "avx512f,avx512ifma")]
fn mul_fixed(a: &[u64; LIMBS], b: &[u64; LIMBS], fix: &D52) -> [u64; LIMBS] {
    let t = amm(&to52(a), &to52(b));
    from52_reduced(&amm(&t, fix))
}

/// Fixed-window exponentiation entirely in the 52-bit R' domain.
#[target_feature(enable = "avx512f,avx512ifma")]
fn pow_impl(base: &[u64; LIMBS], exp_be: &[u8]) -> [u64; LIMBS] {
    let bits = exp_be.len() * 8;
    if bits == 0 {
        return ONE_LIMBS;
    }
    let w = window_for(bits);
    let size = 1usize << w;
    let mut storage = [D52([0; LANES]); 1 << MAX_WINDOW];
    storage[0] = ONE_R;
    storage[1] = amm(&to52(base), &RR);
    for i in 2..size {
        storage[i] = if i.is_multiple_of(2) {
            ams(&storage[i / 2])
        } else {
            amm(&storage[i - 1], &storage[1])
        };
    }
    let table = &storage[..size];
    let digit = |k: usize| window_digit(exp_be, w, k);
    let windows = bits.div_ceil(w);
    let mut acc = ct_select(table, digit(windows - 1));
    for k in (0..windows - 1).rev() {
        for _ in 0..w {
            acc = ams(&acc);
        }
        let mut entry = ct_select(table, digit(k));
        acc = amm(&acc, &entry);
        entry.0.zeroize();
    }
    let out = from52_reduced(&amm(&acc, &ONE_PLAIN));
    // Only the first `size` entries were written. Wiping by the run-time count
    // also keeps this a loop: over the whole array the volatile stores were
    // unrolled into ≈ 40 KB of code, the first touch of which a fresh process
    // pays for.
    for entry in storage[..size].iter_mut() {
        entry.0.zeroize();
    }
    acc.0.zeroize();
    out
}

/// Lim–Lee comb over R-domain u64 tables, accumulating in the 52-bit domain.
#[target_feature(enable = "avx512f,avx512ifma")]
fn comb_impl(comb: &Comb, exp_be: &[u8]) -> [u64; LIMBS] {
    let mut acc: Option<D52> = None;
    for p in (0..comb.spacing).rev() {
        if let Some(a) = acc.as_mut() {
            *a = ams(a);
        }
        for (row, entries) in comb.rows().enumerate() {
            let mut entry = ct_select_row(entries, comb.digit(exp_be, row, p));
            acc = Some(match acc {
                Some(a) => amm(&a, &entry),
                None => entry,
            });
            // The entry picked tells which digit the secret exponent has here.
            entry.0.zeroize();
        }
    }
    match acc {
        // Each entry carried a factor R/R' = 2^-48 per use; `fix` undoes them all.
        Some(mut a) => {
            let out = from52_reduced(&amm(&a, &to52(comb.ifma_fix)));
            a.0.zeroize();
            out
        }
        None => ONE_LIMBS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `normalise` on raw lanes (if the CPU has the features).
    fn normalised(lanes: [u64; LANES]) -> Option<[u64; LANES]> {
        Ifma::get()?;
        // SAFETY: `Ifma::get` succeeded, so avx512f is available.
        let out = unsafe {
            let mut r = load(&D52(lanes));
            normalise(&mut r);
            store(&r)
        };
        Some(out.0)
    }

    fn value(lanes: &[u64; LANES]) -> num_bigint::BigUint {
        lanes
            .iter()
            .rev()
            .fold(num_bigint::BigUint::default(), |acc, &l| (acc << 52u32) + l)
    }

    #[test]
    fn normalise_ripples_through_all_ones_digits() {
        let cases: [[u64; LANES]; 4] = [
            {
                // A generate followed by a run of all-ones digits.
                let mut l = [0u64; LANES];
                l[0] = MASK52 + 1;
                l[1..20].fill(MASK52);
                l[20] = 7;
                l
            },
            {
                // First-pass carries that create all-ones digits, then ripple.
                let mut l = [MASK52; LANES];
                l[0] = (5 << 52) | MASK52;
                l[1] = MASK52 - 4;
                l[59..].fill(0);
                l
            },
            {
                // Large unnormalised lanes everywhere.
                let mut l = [(1u64 << 62) - 1; LANES];
                l[60..].fill(0);
                l
            },
            {
                // Carries crossing every register boundary.
                let mut l = [0u64; LANES];
                for k in 0..7 {
                    l[8 * k + 7] = MASK52 + 1;
                    l[8 * k + 8] = MASK52;
                }
                l
            },
        ];
        for lanes in cases {
            let Some(out) = normalised(lanes) else {
                return;
            };
            assert!(out.iter().all(|&d| d <= MASK52));
            assert_eq!(value(&out), value(&lanes));
        }
    }

    #[test]
    fn digit_conversion_round_trips() {
        let mut x = [0u64; LIMBS];
        for (i, l) in x.iter_mut().enumerate() {
            *l = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5555_aaaa_0f0f_f0f0;
        }
        x[LIMBS - 1] >>= 2; // < N
        assert_eq!(from52_reduced(&to52(&x)), x);
        assert_eq!(from52_reduced(&N52), [0u64; LIMBS]);
    }

    /// 52-bit digits of a value < 2N given as 49 limbs (for inputs ≥ N).
    fn digits(v: &num_bigint::BigUint) -> D52 {
        let mut d = [0u64; LANES];
        let mask = num_bigint::BigUint::from(MASK52);
        for (j, dj) in d.iter_mut().enumerate().take(DIGITS) {
            let digit = (v >> (52 * j)) & &mask;
            *dj = digit.iter_u64_digits().next().unwrap_or(0);
        }
        D52(d)
    }

    #[test]
    fn ams_equals_amm_on_almost_reduced_inputs() {
        // Inputs anywhere below 2N, as inside `pow` (amm's outputs), and
        // digit patterns with long carry runs. ams and amm pick the same
        // reduction digits (m = −a²·N⁻¹ mod R'), so the outputs are equal
        // digit for digit, not just congruent.
        if Ifma::get().is_none() {
            return;
        }
        let n = value(&N52.0);
        let one = num_bigint::BigUint::from(1u8);
        let mut cases = vec![
            num_bigint::BigUint::default(),
            one.clone(),
            &n - 1u8,
            n.clone(),
            &n + 1u8,
            (&n << 1u32) - 1u8,
            (&one << 3072u32) - 1u8,
            (&one << 3072u32) + (&one << 3000u32),
        ];
        for pattern in [MASK52, 0, 0x000f_0f0f_0f0f_0f0f] {
            // All-ones (or patterned) digits 0..58, below 2N.
            let mut v = num_bigint::BigUint::default();
            for _ in 0..59 {
                v = (v << 52u32) + pattern;
            }
            cases.push(v);
        }
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..8 {
            let mut v = num_bigint::BigUint::default();
            for _ in 0..49 {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                v = (v << 64u32) + s;
            }
            cases.push(v % (&n << 1u32));
        }
        for a in &cases {
            assert!(*a < (&n << 1u32));
            let d = digits(a);
            // SAFETY: `Ifma::get` succeeded, so avx512f and avx512ifma exist.
            let (sq, mul) = unsafe { (ams(&d), amm(&d, &d)) };
            assert_eq!(sq.0, mul.0);
        }
    }
}
