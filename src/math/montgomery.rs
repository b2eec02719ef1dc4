//! Constant-time Montgomery arithmetic modulo the RFC 3526 3072-bit prime N.
//!
//! R = 2^3072. N ≡ −1 (mod 2^64), so the Montgomery constant
//! n0' = −N⁻¹ mod 2^64 is 1: the reduction digit of each column is simply the
//! column's low word, and the product of that digit with N's lowest limb
//! (2^64 − 1) is folded in without a multiplication.
//!
//! The kernels are product-scanning (Comba / "FIPS" Montgomery): every output
//! column is summed in a three-word accumulator (u128 + u64), which keeps the
//! add-with-carry chains short. The product interleaves a·b and the reduction
//! m·N column by column (2·48² limb products). Squaring is split in two: the
//! full 96-limb square first, summing each cross product a[i]·a[j] (i < j)
//! once, doubling each column and adding the diagonal (48·49/2 = 1176 limb
//! products), then a separate Montgomery reduction (48² − 48, as m·N[0] needs
//! no multiplication): about 3/4 of a product's multiplications. The square
//! sums two columns per loop, sharing one operand's loads between their two
//! carry chains. All loops have fixed bounds and no branch depends on data;
//! the final conditional subtraction is masked.
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

    /// Adds 2·o.
    #[inline(always)]
    fn add_doubled(&mut self, o: &Acc) {
        let dhi = (o.hi << 1) | (o.lo >> 127) as u64;
        let (s, c) = self.lo.overflowing_add(o.lo << 1);
        self.lo = s;
        self.hi = self.hi.wrapping_add(dhi).wrapping_add(u64::from(c));
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

/// a²·R⁻¹ mod N: the full square (each cross product once), then a separate
/// Montgomery reduction.
#[inline(always)]
pub(crate) fn mont_square_impl(a: &[u64; LIMBS]) -> [u64; LIMBS] {
    redc(&square_wide(a))
}

/// Σ x[i]·y[i] into `acc0` and Σ x[i]·z[i] into `acc1`: two independent
/// carry chains sharing the loads of `x`.
#[inline(always)]
fn dot_shared(acc0: &mut Acc, acc1: &mut Acc, x: &[u64], y: &[u64], z: &[u64]) {
    for ((p, q), r) in x.iter().zip(y).zip(z) {
        acc0.mac(*p, *q);
        acc1.mac(*p, *r);
    }
}

/// The 96-limb square a², product scanning over the upper triangle: column k
/// sums the cross products a[j]·a[k−j] with j < k − j once, doubles that sum
/// and adds the diagonal a[k/2]² (even k): 1128 cross products and 48
/// squares instead of 2304 products. Columns 2i and 2i + 1 are summed in one
/// loop (two independent carry chains sharing one operand's loads).
#[inline(always)]
fn square_wide(a: &[u64; LIMBS]) -> [u64; 2 * LIMBS] {
    const L: usize = LIMBS;
    let arev = reversed(a);
    let mut t = [0u64; 2 * L];
    let mut acc = Acc { lo: 0, hi: 0 };
    for i in 0..L {
        let mut ce = Acc { lo: 0, hi: 0 };
        let mut co = Acc { lo: 0, hi: 0 };
        if 2 * i + 1 < L {
            // Even column j < i, odd column j ≤ i; a[2i − j] = arev[L−1−2i+j].
            dot_shared(
                &mut ce,
                &mut co,
                &a[..i],
                &arev[L - 1 - 2 * i..L - 1 - i],
                &arev[L - 2 - 2 * i..L - 2 - i],
            );
            co.mac(a[i], a[i + 1]);
        } else {
            // Even column 2i−(L−1) ≤ j < i, odd column 2i−(L−2) ≤ j ≤ i.
            let lo = 2 * i + 1 - L;
            dot_shared(
                &mut ce,
                &mut co,
                &arev[..i - lo],
                &a[lo..i],
                &a[lo + 1..i + 1],
            );
        }
        acc.add_doubled(&ce);
        acc.mac(a[i], a[i]);
        t[2 * i] = acc.shift();
        acc.add_doubled(&co);
        t[2 * i + 1] = acc.shift();
    }
    t
}

/// Montgomery reduction of a 96-limb value t < N·R: t·R⁻¹ mod N, < N.
/// Product scanning: column k < 48 adds Σ m[j]·N[k−j] (j < k) to t[k] and
/// takes the reduction digit m[k] (n0' = 1); columns ≥ 48 finish the sum.
#[inline(always)]
fn redc(t: &[u64; 2 * LIMBS]) -> [u64; LIMBS] {
    const L: usize = LIMBS;
    let mut m = [0u64; L];
    let mut r = [0u64; L];
    let mut acc = Acc { lo: 0, hi: 0 };
    for k in 0..L {
        let mut s0 = Acc { lo: 0, hi: 0 };
        let mut s1 = Acc { lo: 0, hi: 0 };
        dot(&mut s0, &mut s1, &m[..k], &N_REV[L - 1 - k..L - 1]);
        acc.add_u64(t[k]);
        acc.add(&s0);
        acc.add(&s1);
        m[k] = acc.reduce_column();
    }
    for k in L..2 * L - 1 {
        let mut s0 = Acc { lo: 0, hi: 0 };
        let mut s1 = Acc { lo: 0, hi: 0 };
        dot(&mut s0, &mut s1, &m[k + 1 - L..], &N_REV[..2 * L - 1 - k]);
        acc.add_u64(t[k]);
        acc.add(&s0);
        acc.add(&s1);
        r[k - L] = acc.shift();
    }
    acc.add_u64(t[2 * L - 1]);
    r[L - 1] = acc.shift();
    let carry = acc.shift();
    final_sub(&r, carry)
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
        let mut entry = ct_lookup(table, digit(k));
        acc = mont_mul_limbs(&acc, &entry);
        entry.zeroize();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::u3072::limbs_to_biguint as big;

    /// Limb patterns that stress the carries: all ones, alternating all-ones
    /// and zero limbs, one all-ones half, a ramp.
    fn patterns() -> Vec<[u64; LIMBS]> {
        let mut alt = [0u64; LIMBS];
        for (i, l) in alt.iter_mut().enumerate() {
            *l = if i % 2 == 0 { u64::MAX } else { 0 };
        }
        let mut half = [0u64; LIMBS];
        half[LIMBS / 2..].fill(u64::MAX);
        let mut ramp = [0u64; LIMBS];
        for (i, l) in ramp.iter_mut().enumerate() {
            *l = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        vec![[u64::MAX; LIMBS], alt, half, ramp, [0; LIMBS], ONE_LIMBS]
    }

    #[test]
    fn square_wide_is_the_full_square() {
        // Any 3072-bit value, including 2^3072 − 1 (the largest column sums).
        for a in patterns() {
            let want = big(&a) * big(&a);
            assert_eq!(big(&square_wide(&a)), want);
        }
    }

    #[test]
    fn square_matches_product() {
        for a in patterns() {
            // Reduce below N first (the kernels' precondition).
            let a = reduce_once(&a);
            assert_eq!(mont_square_limbs(&a), mont_mul_limbs(&a, &a));
        }
        let n_minus_1 = sub_limbs(&N_LIMBS, &ONE_LIMBS).0;
        assert_eq!(
            mont_square_limbs(&n_minus_1),
            mont_mul_limbs(&n_minus_1, &n_minus_1)
        );
    }
}
