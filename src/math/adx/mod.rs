//! BMI2 + ADX backend (x86-64 only, selected at run time): the instructions
//! OpenSSL's `bn_mulx_mont` is built on.
//!
//! Same representation as the portable kernels (48 little-endian u64 limbs,
//! R = 2^3072), different schedule: operand scanning. A Montgomery product is a
//! 96-word product followed by a separate reduction, and both consist of the
//! same *row*: `t[0..=n] += x · s` for an n-limb `x` and a scalar `s`. A row
//! runs with two independent carry chains, which is what the three
//! instructions are for: `mulx` multiplies without touching the flags, `adcx`
//! adds the products' low words along the carry flag (into position j) and
//! `adox` their high words along the overflow flag (into position j + 1). A
//! row is one `asm!` block, fully unrolled (one block per length n, a multiple
//! of 4 up to 48), its
//! accumulator words streaming through two registers: `mulx`, `adcx`, a store
//! and an `adox` reading the next word from memory, four instructions a step.
//!
//! The product a·b is one level of Karatsuba on 24-limb halves (subtractive
//! form, the middle product's sign applied by mask): three 24×24 schoolbook
//! products of 24-limb rows, then one `asm!` pass adding the middle term.
//!
//! The reduction is the textbook word-by-word one with n0' = −N⁻¹ mod 2^64 = 1
//! (N ≡ −1 mod 2^64): the digit of row i is simply t[i]. Since N's lowest limb
//! is all ones, adding m·N clears word i by passing exactly m up to word
//! i + 1, so a reduction row is 47 `mulx` (N without its lowest limb) plus m
//! added on the otherwise idle OF chain. Each reduction row's carry out of its
//! top word is handed to the next row, whose top word has that weight; the
//! final conditional subtraction of N is one `sbb` chain and a masked choice,
//! in `asm!` too. Squaring computes each cross product once (rows of
//! decreasing length), then doubles them and adds the squares of the limbs in
//! one pass (doubling on the CF chain, `adcx x, x`; squares on the OF chain).
//!
//! Constant time: every row has the same instruction sequence whatever the
//! values (`mulx`, `adcx`, `adox`, `mov` have data-independent timing), loop
//! bounds are fixed, the final subtraction is masked (an `sbb` chain and a
//! mask) and exponentiation uses the shared fixed-window schedule and
//! full-table scans (AVX2 where the CPU has it: `lookup_avx2`).
//!
//! Like the other kernels, a single product leaves its stack temporaries (the
//! 96-word product) to be overwritten by the next one; exponentiations wipe
//! their tables and accumulators when they finish.
//!
//! `unsafe` is confined to [`kernel`]: the `asm!` blocks, each argued by its
//! SAFETY comment; this module is safe code that can only reach them through
//! the [`Adx`] token, which exists only after run-time detection of BMI2 and
//! ADX succeeded.

use zeroize::Zeroize;

use super::comb::{Comb, ct_lookup_bytes};
use super::cpu::CpuFeatures;
use super::ct::{MAX_WINDOW, ONE_LIMBS, R1, R2, window_digit, window_for};
use super::lookup_avx2::Avx2;
use super::montgomery::ct_lookup;
use super::u3072::LIMBS;

/// Words of a double-width product.
const WIDE: usize = 2 * LIMBS;

/// Limbs of a Karatsuba half.
const HALF: usize = LIMBS / 2;

/// (|x − y|, 1 if x < y else 0) for 24-limb x and y, by a masked negation of
/// the difference (no branch on the borrow).
#[inline(always)]
fn abs_diff_half(x: &[u64], y: &[u64]) -> ([u64; HALF], u64) {
    let mut d = [0u64; HALF];
    let mut borrow = 0u64;
    for k in 0..HALF {
        let (d1, b1) = x[k].overflowing_sub(y[k]);
        let (d2, b2) = d1.overflowing_sub(borrow);
        d[k] = d2;
        borrow = u64::from(b1 | b2);
    }
    let mask = borrow.wrapping_neg();
    let mut c = u128::from(borrow);
    for limb in d.iter_mut() {
        let v = u128::from(*limb ^ mask) + c;
        *limb = v as u64;
        c = v >> 64;
    }
    (d, borrow)
}

/// Proof that the CPU supports the instructions this module's `asm!` blocks
/// use (BMI2 `mulx`, ADX `adcx`/`adox`). Only [`Adx::get`] creates one.
#[derive(Clone, Copy)]
pub(crate) struct Adx {
    /// AVX2 for the table scans, where the CPU has it.
    avx2: Option<Avx2>,
}

/// Valgrind (3.19) executes `mulx`, `adcx` and `adox` but does not report
/// BMI2 or ADX through CPUID, so under it the detection above says no. The
/// constant-time check (feature `ct-check`, never for applications) sets
/// `COGNITO_SRP_CT_CHECK_ADX=1` when the host CPU has both flags
/// (`scripts/ct-memcheck.sh` reads `/proc/cpuinfo`), so that this kernel is
/// checked under memcheck too. The row kernel is plain `asm!` with no
/// `#[target_feature]` function: on a CPU without the instructions it would
/// trap (SIGILL), not corrupt memory.
#[cfg(feature = "ct-check")]
fn assumed_for_ct_check() -> bool {
    std::env::var_os("COGNITO_SRP_CT_CHECK_ADX").is_some()
}

/// Without `ct-check` only the CPU's own answer counts.
#[cfg(not(feature = "ct-check"))]
fn assumed_for_ct_check() -> bool {
    false
}

impl Adx {
    /// The token if the running CPU supports BMI2 (`mulx`) and ADX (`adcx`,
    /// `adox`), detected once per process, then cached.
    #[inline]
    pub(crate) fn get() -> Option<Self> {
        let cpu = CpuFeatures::get();
        ((cpu.bmi2 && cpu.adx) || assumed_for_ct_check()).then_some(Self { avx2: Avx2::get() })
    }

    /// The constant-time scan of a window table, with AVX2 if available.
    #[inline]
    fn lookup(self, table: &[[u64; LIMBS]], idx: usize) -> [u64; LIMBS] {
        match self.avx2 {
            Some(avx2) => avx2.ct_lookup(table, idx),
            None => ct_lookup(table, idx),
        }
    }

    /// The constant-time scan of a comb row, with AVX2 if available.
    #[inline]
    fn lookup_row(self, row: &[u8], idx: usize) -> [u64; LIMBS] {
        match self.avx2 {
            Some(avx2) => avx2.ct_lookup_bytes(row, idx),
            None => ct_lookup_bytes(row, idx),
        }
    }

    /// a·b·R⁻¹ mod N for a·b < R·N (e.g. a < R, b < N). Result < N.
    pub(crate) fn mont_mul(self, a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
        let mut w = [0u64; WIDE];
        self.mul_wide(&mut w, a, b);
        self.redc(&mut w)
    }

    /// a²·R⁻¹ mod N for a < N (dedicated squaring). Result < N.
    pub(crate) fn mont_square(self, a: &[u64; LIMBS]) -> [u64; LIMBS] {
        let mut w = [0u64; WIDE];
        self.square_wide(&mut w, a);
        self.redc(&mut w)
    }

    /// a·b mod N for a, b < N. Result < N.
    pub(crate) fn mul_mod(self, a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
        let t = self.mont_mul(a, b);
        self.mont_mul(&t, &R2)
    }

    /// base^e mod N (base < R, plain limbs); fixed windows, constant time in
    /// the exponent's value (its length is public). Result < N.
    pub(crate) fn pow(self, base: &[u64; LIMBS], exp_be: &[u8]) -> [u64; LIMBS] {
        let bits = exp_be.len() * 8;
        if bits == 0 {
            return ONE_LIMBS;
        }
        let w = window_for(bits);
        let size = 1usize << w;
        let mut storage = [[0u64; LIMBS]; 1 << MAX_WINDOW];
        storage[0] = R1;
        storage[1] = self.mont_mul(base, &R2);
        for i in 2..size {
            storage[i] = if i.is_multiple_of(2) {
                self.mont_square(&storage[i / 2])
            } else {
                self.mont_mul(&storage[i - 1], &storage[1])
            };
        }
        let table = &storage[..size];
        let digit = |k: usize| window_digit(exp_be, w, k);
        let windows = bits.div_ceil(w);
        let mut acc = self.lookup(table, digit(windows - 1));
        for k in (0..windows - 1).rev() {
            for _ in 0..w {
                acc = self.mont_square(&acc);
            }
            let mut entry = self.lookup(table, digit(k));
            acc = self.mont_mul(&acc, &entry);
            entry.zeroize();
        }
        let out = self.mont_mul(&acc, &ONE_LIMBS);
        storage.zeroize();
        acc.zeroize();
        out
    }

    /// g^e mod N by the fixed-base comb `comb` (its tables are in R = 2^3072
    /// Montgomery form, as these kernels use). Result < N.
    pub(crate) fn comb_exp(self, comb: &Comb, exp_be: &[u8]) -> [u64; LIMBS] {
        let mut acc = comb.exp_with(
            exp_be,
            |a, b| self.mont_mul(a, b),
            |a| self.mont_square(a),
            |row, idx| self.lookup_row(row, idx),
        );
        let out = self.mont_mul(&acc, &ONE_LIMBS);
        acc.zeroize();
        out
    }

    /// The 96-word product a·b (overwriting `w`) by one level of Karatsuba
    /// on 24-limb halves, subtractive form: with B = 2^(64·24),
    /// a·b = z₂·B² + (z₀ + z₂ + (a₀ − a₁)(b₁ − b₀))·B + z₀, z₀ = a₀b₀,
    /// z₂ = a₁b₁; the middle product is |a₀ − a₁|·|b₁ − b₀|, added or
    /// subtracted by mask (its sign is the xor of the two borrows). Three
    /// 24×24 schoolbook products (1728 `mulx`) instead of 2304.
    #[inline]
    fn mul_wide(self, w: &mut [u64; WIDE], a: &[u64; LIMBS], b: &[u64; LIMBS]) {
        let (a0, a1) = a.split_at(HALF);
        let (b0, b1) = b.split_at(HALF);
        w.fill(0);
        let (z0, z2) = w.split_at_mut(LIMBS);
        self.mul_half(z0, a0, b0);
        self.mul_half(z2, a1, b1);
        let (da, sa) = abs_diff_half(a0, a1);
        let (db, sb) = abs_diff_half(b1, b0);
        let mut p = [0u64; LIMBS];
        self.mul_half(&mut p, &da, &db);
        // The middle product's two's-complement words, negated if the sign
        // is negative: ¬p, plus the 1 carried into `add_middle`'s first word.
        let neg = (sa ^ sb).wrapping_neg();
        for x in p.iter_mut() {
            *x ^= neg;
        }
        self.add_middle(w, &p, neg);
    }

    /// `w = x·y` for 24-limb x and y (48 words; `w` must be zero). Not
    /// inlined, so that one copy of the 24-limb row serves the three products
    /// (the unrolled copies would not fit the instruction cache beside the
    /// square in an exponentiation).
    #[inline(never)]
    fn mul_half(self, w: &mut [u64], x: &[u64], y: &[u64]) {
        let x = &x[..HALF];
        // The row count hidden from the optimiser (it is the public 24): a
        // rolled loop over one copy of the row, not 24 unrolled copies.
        let rows = core::hint::black_box(HALF);
        for (i, &yi) in y[..rows].iter().enumerate() {
            // Before row i the partial product is < 2^(64·(i + 24)), so word
            // i + 24 is zero and adding x·yᵢ·2^(64·i) < 2^(64·(i + 25)) carries
            // nothing out of the row.
            self.row_short(&mut w[i..], x, yi);
        }
    }

    /// The 96-word square a² (overwriting `w`) for a < N: each cross product
    /// aᵢ·aⱼ (i < j) once, then one pass doubling them and adding the squares.
    #[inline]
    fn square_wide(self, w: &mut [u64; WIDE], a: &[u64; LIMBS]) {
        w.fill(0);
        // Row i adds aᵢ·a[j0..48]·2^(64·(i + j0)), where j0 is i + 1 rounded
        // down to a multiple of 4 and `upper` has a[..=i] zeroed, so the
        // extra products are 0: 12 distinct row blocks (312 steps of code)
        // rather than 47 (1128), which keeps an exponentiation's square and
        // product within the instruction cache. The loop is kept rolled (its
        // public bound hidden from the optimiser) for the same reason.
        let mut upper = *a;
        for i in 0..core::hint::black_box(LIMBS - 1) {
            upper[i] = 0;
            let j0 = (i + 1) & !3;
            // Before row i the partial sum Σ_{i'<i} aᵢ'·upper·2^(64·i') is
            // < 2^(64·(i + 48)) and the row adds < 2^(64·(i + 49)): no carry
            // leaves word i + 48, the row's top word.
            self.row_short(&mut w[i + j0..], &upper[j0..], a[i]);
        }
        // Double the cross products (their sum is < 2^6143: the top bit of the
        // 96-word value is 0 and nothing is lost) and add the squares aᵢ² at
        // word 2i, in one pass; a² < 2^6144 fits in 96 words.
        self.double_add_squares(w, a);
    }

    /// Montgomery reduction of a 96-word value T < R·N: T·R⁻¹ mod N, < N.
    /// Row i adds m·N·2^(64·i) with m = t[i] (n0' = 1): word i becomes 0 and
    /// `redc_row` updates words i + 1..=i + 48; its carry out of word i + 48
    /// enters row i + 1 at that row's top word, i + 49, the same weight. The
    /// result (T + M·N)/R < 2N, with its carry word, takes one masked
    /// subtraction.
    #[inline]
    fn redc(self, w: &mut [u64; WIDE]) -> [u64; LIMBS] {
        let mut carry = 0u64;
        for i in 0..LIMBS {
            let m = w[i];
            carry = self.redc_row(&mut w[i + 1..], m, carry);
        }
        self.final_sub_top(w, carry)
    }
}

mod kernel;

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    use crate::math::ct::N;
    use crate::math::u3072::limbs_to_biguint as big;

    fn sample(seed: u64) -> [u64; LIMBS] {
        let mut s = seed | 1;
        let mut x = [0u64; LIMBS];
        for l in x.iter_mut() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            *l = s;
        }
        x
    }

    #[test]
    fn reduction_row_adds_with_both_carry_chains() {
        let Some(adx) = Adx::get() else {
            return;
        };
        let n_upper = big(&N) >> 64u32;
        // All-ones everywhere: every step carries on both chains.
        for (t0, m, c) in [
            ([u64::MAX; LIMBS], u64::MAX, 2u64),
            ([0; LIMBS], u64::MAX, 0),
            ([0; LIMBS], 0, 0),
            ([u64::MAX; LIMBS], 0, 2),
            ([0; LIMBS], 1, 1),
            (sample(5), 0x1234_5678_9abc_def1, 1),
            (sample(9), sample(4)[0], 2),
        ] {
            let mut t = t0;
            let out = adx.redc_row(&mut t, m, c);
            let want = big(&t0) + &n_upper * m + m + (BigUint::from(c) << (64 * (LIMBS - 1)));
            let got = big(&t) + (BigUint::from(out) << (64 * LIMBS));
            assert_eq!(got, want, "m = {m:#x}, carry {c}");
        }
    }

    #[test]
    fn reduction_matches() {
        let Some(adx) = Adx::get() else {
            return;
        };
        let n = big(&N);
        let r_inv = (BigUint::from(1u8) << (64 * LIMBS))
            .modinv(&n)
            .expect("odd N");
        let mut n_minus_1 = N;
        n_minus_1[0] -= 1;
        // T < R·N: 0, 1, N − 1, R·N − 1, all-ones low halves, samples.
        let r_n_minus_1 = (&n << (64 * LIMBS)) - 1u8;
        let mut cases: Vec<BigUint> = vec![
            BigUint::default(),
            BigUint::from(1u8),
            big(&n_minus_1),
            r_n_minus_1,
            (BigUint::from(1u8) << (64 * LIMBS)) - 1u8,
            big(&sample(1)) * big(&sample(2)),
            big(&n_minus_1) * big(&n_minus_1),
        ];
        cases.push(big(&[u64::MAX; LIMBS]) * big(&n_minus_1));
        for t in cases {
            let mut w = [0u64; WIDE];
            for (k, d) in t.to_u64_digits().iter().enumerate() {
                w[k] = *d;
            }
            let got = big(&adx.redc(&mut w));
            assert_eq!(got, (&t * &r_inv) % &n);
        }
    }

    /// A value whose low and high 24-limb halves are sample(lo) and
    /// sample(hi)'s (equal halves if lo == hi).
    fn halves(lo: u64, hi: u64) -> [u64; LIMBS] {
        let mut x = sample(lo);
        x[HALF..].copy_from_slice(&sample(hi)[..HALF]);
        x
    }

    #[test]
    fn wide_products_match() {
        let Some(adx) = Adx::get() else {
            return;
        };
        let mut n_minus_1 = N;
        n_minus_1[0] -= 1;
        let mut one = [0u64; LIMBS];
        one[0] = 1;
        let mut top_bit = [0u64; LIMBS];
        top_bit[LIMBS - 1] = 1 << 63;
        let alternating = core::array::from_fn(|i| if i % 2 == 0 { u64::MAX } else { 0 });
        for (a, b) in [
            (sample(1), sample(2)),
            ([u64::MAX; LIMBS], [u64::MAX; LIMBS]),
            (N, N),
            (n_minus_1, n_minus_1),
            ([0; LIMBS], sample(3)),
            (one, one),
            (top_bit, top_bit),
            (alternating, sample(4)),
            // Karatsuba's signs: a₀ < a₁ or a₀ > a₁, b₁ < b₀ or b₁ > b₀, and
            // equal halves (a zero middle product).
            (halves(1, 2), halves(3, 4)),
            (halves(2, 1), halves(3, 4)),
            (halves(1, 2), halves(4, 3)),
            (halves(2, 1), halves(4, 3)),
            (halves(5, 5), sample(6)),
            (sample(7), halves(8, 8)),
        ] {
            let mut w = [u64::MAX; WIDE];
            adx.mul_wide(&mut w, &a, &b);
            assert_eq!(big(&w), big(&a) * big(&b));
            let mut w = [u64::MAX; WIDE];
            adx.square_wide(&mut w, &a);
            assert_eq!(big(&w), big(&a) * big(&a));
        }
    }

    #[test]
    fn karatsuba_half_differences() {
        let x = sample(1);
        let y = sample(2);
        for (u, v) in [
            (&x[..HALF], &y[..HALF]),
            (&y[..HALF], &x[..HALF]),
            (&x[..HALF], &x[..HALF]),
        ] {
            let (d, borrow) = abs_diff_half(u, v);
            let (bu, bv) = (big(u), big(v));
            assert_eq!(borrow, u64::from(bu < bv));
            assert_eq!(big(&d), if bu < bv { bv - bu } else { bu - bv });
        }
    }

    #[test]
    fn final_subtraction_at_the_edges() {
        let Some(adx) = Adx::get() else {
            return;
        };
        let n = big(&N);
        let r = BigUint::from(1u8) << (64 * LIMBS);
        let mut n_minus_1 = N;
        n_minus_1[0] -= 1;
        // Values v < 2N as (carry, top half): 0, N − 1, N, R − 1, R, 2N − 1.
        let two_n_minus_1 = &n + &n - 1u8;
        let low = |v: &BigUint| -> [u64; LIMBS] {
            let mut l = [0u64; LIMBS];
            for (k, d) in (v % &r).to_u64_digits().iter().enumerate() {
                l[k] = *d;
            }
            l
        };
        for v in [
            BigUint::default(),
            big(&n_minus_1),
            n.clone(),
            &r - 1u8,
            r.clone(),
            two_n_minus_1,
        ] {
            let carry = u64::from(v >= r);
            let mut w = [0x5555_5555_5555_5555u64; WIDE];
            w[LIMBS..].copy_from_slice(&low(&v));
            assert_eq!(big(&adx.final_sub_top(&w, carry)), &v % &n, "v = {v:x}");
        }
    }
}
