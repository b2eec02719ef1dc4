//! Constant-time Montgomery arithmetic modulo the RFC 3526 3072-bit prime N.
//!
//! R = 2^3072. N ≡ −1 (mod 2^64), so the Montgomery constant
//! n0' = −N⁻¹ mod 2^64 is 1: the reduction digit of each column is simply the
//! column's low word, and the product of that digit with N's lowest limb
//! (2^64 − 1) is folded in without a multiplication.
//!
//! The kernels are product-scanning (Comba / "FIPS" Montgomery): every output
//! column is summed in a three-word accumulator (u128 + u64), which keeps the
//! add-with-carry chains short. Squaring sums each cross product once and
//! doubles the column. All loops have fixed bounds; the final conditional
//! subtraction is masked.
//!
//! These are the portable kernels only; `dispatch` chooses between them and
//! the AVX-512 IFMA kernels (`ifma.rs`) at run time. Helpers both kernels use
//! live in `ct`.

use core::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroize;

use super::ct::{
    MAX_WINDOW, N as N_LIMBS, ONE_LIMBS, R1 as R_MOD_N, R2 as R2_MOD_N, eq_mask, final_sub,
    window_digit, window_for,
};
use super::u3072::{LIMBS, U3072, add_limbs, mask_from_bit, select_limbs, sub_limbs};

/// An element of Z/NZ in Montgomery representation (stores x·R mod N).
///
/// Always fully reduced (< N). `Debug` is redacted.
#[derive(Clone)]
pub struct MontgomeryForm {
    repr: [u64; LIMBS],
}

impl MontgomeryForm {
    /// 1 in Montgomery form (R mod N).
    pub const ONE: Self = Self { repr: R_MOD_N };

    /// Wraps a raw Montgomery residue (the stored value is `repr` itself, i.e. it
    /// represents repr·R⁻¹ mod N). `repr` must be < N.
    pub fn from_raw(repr: &U3072) -> Self {
        Self { repr: repr.limbs }
    }

    /// The raw stored residue (x·R mod N).
    pub fn to_raw(&self) -> U3072 {
        U3072::from_limbs(self.repr)
    }

    pub(crate) const fn from_limbs(repr: [u64; LIMBS]) -> Self {
        Self { repr }
    }

    pub(crate) const fn limbs(&self) -> &[u64; LIMBS] {
        &self.repr
    }
}

impl ConstantTimeEq for MontgomeryForm {
    fn ct_eq(&self, other: &Self) -> Choice {
        U3072::from_limbs(self.repr).ct_eq(&U3072::from_limbs(other.repr))
    }
}

impl Zeroize for MontgomeryForm {
    fn zeroize(&mut self) {
        self.repr.zeroize();
    }
}

impl fmt::Debug for MontgomeryForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MontgomeryForm([redacted])")
    }
}

/// x·R mod N on the portable kernels only.
pub(crate) fn to_mont_portable(x: &U3072) -> MontgomeryForm {
    MontgomeryForm {
        repr: mont_mul_limbs(&x.limbs, &R2_MOD_N),
    }
}

/// x·R⁻¹ mod N on the portable kernels only (leaves Montgomery form).
pub(crate) fn retrieve_portable(x: &MontgomeryForm) -> U3072 {
    U3072::from_limbs(mont_mul_limbs(&x.repr, &ONE_LIMBS))
}

/// Three-word column accumulator: `lo` (128 bits) + `hi` (64 bits).
struct Acc {
    lo: u128,
    hi: u64,
}

impl Acc {
    #[inline(always)]
    fn mac(&mut self, x: u64, y: u64) {
        let (s, c) = self.lo.overflowing_add(u128::from(x) * u128::from(y));
        self.lo = s;
        self.hi = self.hi.wrapping_add(u64::from(c));
    }

    #[inline(always)]
    fn add(&mut self, o: &Acc) {
        let (s, c) = self.lo.overflowing_add(o.lo);
        self.lo = s;
        self.hi = self.hi.wrapping_add(o.hi).wrapping_add(u64::from(c));
    }

    #[inline(always)]
    fn add_u64(&mut self, x: u64) {
        let (s, c) = self.lo.overflowing_add(u128::from(x));
        self.lo = s;
        self.hi = self.hi.wrapping_add(u64::from(c));
    }

    /// Returns the low word and shifts the accumulator right by 64 bits.
    #[inline(always)]
    fn shift(&mut self) -> u64 {
        let w = self.lo as u64;
        self.lo = (self.lo >> 64) | (u128::from(self.hi) << 64);
        self.hi = 0;
        w
    }

    /// Ends a column of the first (reducing) half: the low word w becomes the
    /// reduction digit m (n0' = 1); adding m·N[0] = m·2^64 − m clears the low
    /// word and carries exactly m into the next column.
    #[inline(always)]
    fn reduce_column(&mut self) -> u64 {
        let m = self.shift();
        self.add_u64(m);
        m
    }
}

/// N's limbs in reverse order, so that column sums Σ x[j]·N[k−j] become dot
/// products of two forward slices (no index arithmetic, no bounds checks).
const N_REV: [u64; LIMBS] = {
    let mut r = [0u64; LIMBS];
    let mut i = 0;
    while i < LIMBS {
        r[i] = N_LIMBS[LIMBS - 1 - i];
        i += 1;
    }
    r
};

#[inline(always)]
fn reversed(x: &[u64; LIMBS]) -> [u64; LIMBS] {
    let mut r = *x;
    r.reverse();
    r
}

/// Σ x[i]·y[i] into two accumulators (even and odd terms), two products per
/// iteration so that the two carry chains run in parallel.
#[inline(always)]
fn dot(acc0: &mut Acc, acc1: &mut Acc, x: &[u64], y: &[u64]) {
    let mut xc = x.chunks_exact(2);
    let mut yc = y.chunks_exact(2);
    for (p, q) in (&mut xc).zip(&mut yc) {
        acc0.mac(p[0], q[0]);
        acc1.mac(p[1], q[1]);
    }
    for (p, q) in xc.remainder().iter().zip(yc.remainder()) {
        acc0.mac(*p, *q);
    }
}

/// Σ x[i]·y[i] into `acc0` and Σ u[i]·v[i] into `acc1`, in one loop.
#[inline(always)]
fn dot_pair(acc0: &mut Acc, acc1: &mut Acc, x: &[u64], y: &[u64], u: &[u64], v: &[u64]) {
    for (((p, q), s), t) in x.iter().zip(y).zip(u).zip(v) {
        acc0.mac(*p, *q);
        acc1.mac(*s, *t);
    }
}

/// Montgomery multiplication on raw limbs: a·b·R⁻¹ mod N, for a·b < R·N
/// (e.g. a < R and b < N). Output < N.
pub(crate) fn mont_mul_limbs(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    mont_mul_impl(a, b)
}

/// Montgomery state shared by the column functions.
struct Columns {
    acc: Acc,
    m: [u64; LIMBS],
    r: [u64; LIMBS],
}

/// Column `k` of the Montgomery product (product scanning).
#[inline(always)]
fn mul_column(k: usize, st: &mut Columns, a: &[u64; LIMBS], brev: &[u64; LIMBS]) {
    const L: usize = LIMBS;
    let mut s1 = Acc { lo: 0, hi: 0 };
    let mut s2 = Acc { lo: 0, hi: 0 };
    if k < L {
        dot_pair(
            &mut s1,
            &mut s2,
            &a[..k],
            &brev[L - 1 - k..L - 1],
            &st.m[..k],
            &N_REV[L - 1 - k..L - 1],
        );
        s1.mac(a[k], brev[L - 1]);
        st.acc.add(&s1);
        st.acc.add(&s2);
        st.m[k] = st.acc.reduce_column();
    } else {
        let lo = k + 1 - L;
        let len = 2 * L - 1 - k;
        dot_pair(
            &mut s1,
            &mut s2,
            &a[lo..],
            &brev[..len],
            &st.m[lo..],
            &N_REV[..len],
        );
        st.acc.add(&s1);
        st.acc.add(&s2);
        st.r[k - L] = st.acc.shift();
    }
}

/// Column `k` of the Montgomery square (product scanning, cross products once).
#[inline(always)]
fn square_column(k: usize, st: &mut Columns, a: &[u64; LIMBS], arev: &[u64; LIMBS]) {
    const L: usize = LIMBS;
    let jlo = k.saturating_sub(L - 1);
    let jend = k.div_ceil(2);
    let mut c0 = Acc { lo: 0, hi: 0 };
    let mut c1 = Acc { lo: 0, hi: 0 };
    if jlo < jend {
        dot(
            &mut c0,
            &mut c1,
            &a[jlo..jend],
            &arev[L - 1 + jlo - k..L - 1 + jend - k],
        );
    }
    c0.add(&c1);
    let dhi = (c0.hi << 1) | (c0.lo >> 127) as u64;
    let acc = &mut st.acc;
    let (s, c) = acc.lo.overflowing_add(c0.lo << 1);
    acc.lo = s;
    acc.hi = acc.hi.wrapping_add(dhi).wrapping_add(u64::from(c));
    if k.is_multiple_of(2) {
        acc.mac(a[k / 2], a[k / 2]);
    }
    let mut s0 = Acc { lo: 0, hi: 0 };
    let mut s1 = Acc { lo: 0, hi: 0 };
    if k < L {
        dot(&mut s0, &mut s1, &st.m[..k], &N_REV[L - 1 - k..L - 1]);
        acc.add(&s0);
        acc.add(&s1);
        st.m[k] = acc.reduce_column();
    } else {
        dot(
            &mut s0,
            &mut s1,
            &st.m[k + 1 - L..],
            &N_REV[..2 * L - 1 - k],
        );
        acc.add(&s0);
        acc.add(&s1);
        st.r[k - L] = acc.shift();
    }
}

#[inline(always)]
pub(crate) fn mont_mul_impl(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    let brev = reversed(b);
    let mut st = Columns {
        acc: Acc { lo: 0, hi: 0 },
        m: [0; LIMBS],
        r: [0; LIMBS],
    };
    for k in 0..2 * LIMBS - 1 {
        mul_column(k, &mut st, a, &brev);
    }
    st.r[LIMBS - 1] = st.acc.shift();
    let carry = st.acc.shift();
    final_sub(&st.r, carry)
}

/// Montgomery squaring on raw limbs: a²·R⁻¹ mod N for a < N. Output < N.
pub(crate) fn mont_square_limbs(a: &[u64; LIMBS]) -> [u64; LIMBS] {
    mont_square_impl(a)
}

#[inline(always)]
pub(crate) fn mont_square_impl(a: &[u64; LIMBS]) -> [u64; LIMBS] {
    let arev = reversed(a);
    let mut st = Columns {
        acc: Acc { lo: 0, hi: 0 },
        m: [0; LIMBS],
        r: [0; LIMBS],
    };
    for k in 0..2 * LIMBS - 1 {
        square_column(k, &mut st, a, &arev);
    }
    st.r[LIMBS - 1] = st.acc.shift();
    let carry = st.acc.shift();
    final_sub(&st.r, carry)
}

/// (a + b) mod N on raw limbs, a, b < N. Constant time.
pub(crate) fn add_mod_limbs(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    let (s, carry) = add_limbs(a, b);
    final_sub(&s, carry)
}

/// (a − b) mod N on raw limbs, a, b < N. Constant time.
pub(crate) fn sub_mod_limbs(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    let (d, borrow) = sub_limbs(a, b);
    let (e, _) = add_limbs(&d, &N_LIMBS);
    select_limbs(mask_from_bit(borrow), &e, &d)
}

/// Reduces a value < R = 2^3072 modulo N (one masked subtraction, since R < 2N).
pub(crate) fn reduce_once(a: &[u64; LIMBS]) -> [u64; LIMBS] {
    final_sub(a, 0)
}

/// Constant-time table lookup: reads every entry of `table` and returns
/// `table[idx]` (zero if `idx` is out of range).
#[inline]
pub(crate) fn ct_lookup(table: &[[u64; LIMBS]], idx: usize) -> [u64; LIMBS] {
    let mut out = [0u64; LIMBS];
    for (i, entry) in table.iter().enumerate() {
        let mask = eq_mask(i, idx);
        for (o, e) in out.iter_mut().zip(entry.iter()) {
            *o |= mask & e;
        }
    }
    out
}

/// base^e in Montgomery form, constant time in the value of `exp_be` (its
/// length is public). Fixed window, every window multiplies (digit 0 by 1) and
/// every table lookup scans the whole table.
pub(crate) fn mont_pow(base: &MontgomeryForm, exp_be: &[u8]) -> MontgomeryForm {
    let bits = exp_be.len() * 8;
    if bits == 0 {
        return MontgomeryForm::ONE;
    }
    let w = window_for(bits);
    let size = 1usize << w;
    let mut storage = [[0u64; LIMBS]; 1 << MAX_WINDOW];
    storage[0] = R_MOD_N;
    storage[1] = base.repr;
    for i in 2..size {
        storage[i] = if i.is_multiple_of(2) {
            mont_square_limbs(&storage[i / 2])
        } else {
            mont_mul_limbs(&storage[i - 1], &base.repr)
        };
    }
    let table = &storage[..size];
    let digit = |k: usize| window_digit(exp_be, w, k);
    let windows = bits.div_ceil(w);
    let mut acc = ct_lookup(table, digit(windows - 1));
    for k in (0..windows - 1).rev() {
        for _ in 0..w {
            acc = mont_square_limbs(&acc);
        }
        acc = mont_mul_limbs(&acc, &ct_lookup(table, digit(k)));
    }
    storage.zeroize();
    MontgomeryForm { repr: acc }
}

/// a·b mod N on the portable kernels (a, b < N).
pub(crate) fn mul_mod_portable(a: &U3072, b: &U3072) -> U3072 {
    U3072::from_limbs(mont_mul_limbs(
        &mont_mul_limbs(&a.limbs, &b.limbs),
        &R2_MOD_N,
    ))
}

/// (a + b) mod N for reduced inputs (a, b < N). Constant time.
pub fn add_mod(a: &U3072, b: &U3072) -> U3072 {
    U3072::from_limbs(add_mod_limbs(&a.limbs, &b.limbs))
}

/// (a − b) mod N for reduced inputs (a, b < N). Constant time.
pub fn sub_mod(a: &U3072, b: &U3072) -> U3072 {
    U3072::from_limbs(sub_mod_limbs(&a.limbs, &b.limbs))
}
