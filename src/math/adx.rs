//! BMI2 + ADX backend (x86-64 only, selected at run time): the instructions
//! OpenSSL's `bn_mulx_mont` is built on.
//!
//! Same representation as the portable kernels (48 little-endian u64 limbs,
//! R = 2^3072), different schedule: operand scanning. A Montgomery product is a
//! schoolbook product into 96 words followed by a separate reduction, and both
//! consist of the same *row*: `t[0..=48] += x · s` for a 48-limb `x` and a
//! scalar `s`. A row runs with two independent carry chains, which is what the
//! three instructions are for: `mulx` multiplies without touching the flags,
//! `adcx` adds the products' low words along the carry flag (into position j)
//! and `adox` their high words along the overflow flag (into position j + 1).
//! A row is one `asm!` block, fully unrolled (48 `mulx`), its accumulator
//! words streaming through two registers.
//!
//! The reduction is the textbook word-by-word one with n0' = −N⁻¹ mod 2^64 = 1
//! (N ≡ −1 mod 2^64): the digit of row i is simply t[i]. Each reduction row's
//! carry out of its top word is handed to the next row, whose top word has that
//! weight. Squaring computes each cross product once (rows of decreasing
//! length, doubled with one shift pass) and adds the squares of the limbs.
//!
//! Constant time: every row has the same instruction sequence whatever the
//! values (`mulx`, `adcx`, `adox`, `mov` have data-independent timing), loop
//! bounds are fixed, the final subtraction is masked (`ct::final_sub`) and
//! exponentiation uses the shared fixed-window schedule and full-table scans.
//!
//! Like the other kernels, a single product leaves its stack temporaries (the
//! 96-word product) to be overwritten by the next one; exponentiations wipe
//! their tables and accumulators when they finish.
//!
//! `unsafe` is confined to the section "The row kernel" below: the `asm!`
//! blocks, each argued by its SAFETY comment; everything else is safe code
//! that can only reach them through the [`Adx`] token, which exists only after
//! run-time detection of BMI2 and ADX succeeded.
#![allow(unsafe_code)]

use zeroize::Zeroize;

use super::comb::{Comb, ct_lookup_bytes};
use super::cpu::CpuFeatures;
use super::ct::{MAX_WINDOW, N, ONE_LIMBS, R1, R2, final_sub, window_digit, window_for};
use super::lookup_avx2::Avx2;
use super::montgomery::ct_lookup;
use super::u3072::LIMBS;

/// Words of a double-width product.
const WIDE: usize = 2 * LIMBS;

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
        self.redc(&mut self.mul_wide(a, b))
    }

    /// a²·R⁻¹ mod N for a < N (dedicated squaring). Result < N.
    pub(crate) fn mont_square(self, a: &[u64; LIMBS]) -> [u64; LIMBS] {
        self.redc(&mut self.square_wide(a))
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

    /// The 96-word product a·b (schoolbook, one row per limb of b).
    #[inline]
    fn mul_wide(self, a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; WIDE] {
        let mut w = [0u64; WIDE];
        for (i, &bi) in b.iter().enumerate() {
            // Before row i the partial product is < 2^(64·(i + 48)), so word
            // i + 48 is zero and adding a·bᵢ·2^(64·i) < 2^(64·(i + 49)) carries
            // nothing out of the row: the returned carry is 0.
            let _ = self.row(&mut w[i..], a, bi, 0);
        }
        w
    }

    /// The 96-word square a² for a < N: each cross product aᵢ·aⱼ (i < j) once,
    /// doubled by one shift, then the squares aᵢ² added along one carry chain.
    #[inline]
    fn square_wide(self, a: &[u64; LIMBS]) -> [u64; WIDE] {
        let mut w = [0u64; WIDE];
        // Row i adds aᵢ·a[j0..48]·2^(64·(i + j0)), where j0 is i + 1 rounded
        // down to a multiple of 4 (the unrolled row lengths) and `upper` has
        // a[..=i] zeroed, so the extra products are 0. Row lengths depend on
        // the public i only.
        let mut upper = *a;
        for i in 0..LIMBS - 1 {
            upper[i] = 0;
            let j0 = (i + 1) & !3;
            // Before row i the partial sum Σ_{i'<i} aᵢ'·upper·2^(64·i') is
            // < 2^(64·(i + 48)) and the row adds < 2^(64·(i + 49)): no carry
            // leaves word i + 48, the row's top word.
            self.row_short(&mut w[i + j0..], &upper[j0..], a[i]);
        }
        // Double the cross products (their sum is < 2^6143: the top bit of the
        // 96-word value is 0 and nothing is lost).
        let mut prev = 0u64;
        for x in w.iter_mut() {
            let v = *x;
            *x = (v << 1) | (prev >> 63);
            prev = v;
        }
        // Add the squares aᵢ² at word 2i; a² < 2^6144 fits in 96 words.
        let mut carry = 0u64;
        for (pair, &ai) in w.chunks_exact_mut(2).zip(a) {
            let sq = u128::from(ai) * u128::from(ai);
            let lo = u128::from(pair[0]) + u128::from(sq as u64) + u128::from(carry);
            let hi = u128::from(pair[1]) + (sq >> 64) + (lo >> 64);
            pair[0] = lo as u64;
            pair[1] = hi as u64;
            carry = (hi >> 64) as u64;
        }
        w
    }

    /// Montgomery reduction of a 96-word value T < R·N: T·R⁻¹ mod N, < N.
    /// Row i adds m·N·2^(64·i) with m = t[i] (n0' = 1), which clears word i;
    /// the carry out of row i's top word (word i + 49) enters row i + 1 at its
    /// top word, the same weight. The result (T + M·N)/R < 2N, with its carry
    /// word, takes one masked subtraction.
    #[inline]
    fn redc(self, w: &mut [u64; WIDE]) -> [u64; LIMBS] {
        let mut carry = 0u64;
        for i in 0..LIMBS {
            let m = w[i];
            carry = self.row(&mut w[i..], &N, m, carry);
        }
        let mut r = [0u64; LIMBS];
        r.copy_from_slice(&w[LIMBS..]);
        final_sub(&r, carry)
    }
}

// ---------------------------------------------------------------------------
// The row kernel (the module's only `unsafe` code)
// ---------------------------------------------------------------------------

/// Step j of a row (`$cur` holds word j with the high word of step j − 1
/// already added on the OF chain; `$nxt` receives word j + 1): low word of
/// xⱼ·s into word j on the CF chain, high word into word j + 1 on the OF chain.
macro_rules! step {
    ($j:literal, $cur:literal, $nxt:literal) => {
        concat!(
            "mulx {hi}, {lo}, qword ptr [{x} + 8*",
            stringify!($j),
            "]\n",
            "adcx {",
            $cur,
            "}, {lo}\n",
            "mov qword ptr [{t} + 8*",
            stringify!($j),
            "], {",
            $cur,
            "}\n",
            "mov {",
            $nxt,
            "}, qword ptr [{t} + 8*",
            stringify!($j),
            " + 8]\n",
            "adox {",
            $nxt,
            "}, {hi}\n",
        )
    };
}

/// Steps j and j + 1, the accumulator registers alternating.
macro_rules! steps2 {
    ($j:literal, $k:literal) => {
        concat!(step!($j, "c0", "c1"), step!($k, "c1", "c0"))
    };
}

impl Adx {
    /// `t[0..=48] += x·s + carry·2^(64·48)`, returning the carry out of word
    /// 48 (the sum's bits from 2^(64·49) up; at most 2). `t` must hold at
    /// least 49 words (only the first 49 are touched). Fixed instruction
    /// sequence: 48 `mulx` with two carry chains (CF for low words, OF for
    /// high words).
    #[inline(always)]
    fn row(self, t: &mut [u64], x: &[u64; LIMBS], s: u64, carry: u64) -> u64 {
        let t = &mut t[..LIMBS + 1];
        let mut carry = carry;
        // SAFETY:
        // * CPU support: the block uses `mulx` (BMI2), `adcx` and `adox` (ADX)
        //   besides baseline x86-64 `mov`/`xor`; `self` is an `Adx` token,
        //   which only `Adx::get` creates after detecting both features.
        // * Memory: it reads `x` at byte offsets 0..384 (48 words, exactly
        //   `x`'s size), and reads and writes `t` at offsets 0..392 (words
        //   0..=48): `t` is a slice of exactly 49 `u64` (the slicing above),
        //   borrowed mutably, so nothing else aliases it. No other memory is
        //   touched and the stack is not used (`nostack`).
        // * Registers: `s` is in rdx (the implicit `mulx` operand, unchanged);
        //   every other register written is a declared output; the flags are
        //   clobbered, which `asm!` assumes unless `preserves_flags` is given.
        unsafe {
            core::arch::asm!(
                // CF = OF = 0, c0 = word 0.
                "xor {lo:e}, {lo:e}",
                "mov {c0}, qword ptr [{t}]",
                steps2!(0, 1),
                steps2!(2, 3),
                steps2!(4, 5),
                steps2!(6, 7),
                steps2!(8, 9),
                steps2!(10, 11),
                steps2!(12, 13),
                steps2!(14, 15),
                steps2!(16, 17),
                steps2!(18, 19),
                steps2!(20, 21),
                steps2!(22, 23),
                steps2!(24, 25),
                steps2!(26, 27),
                steps2!(28, 29),
                steps2!(30, 31),
                steps2!(32, 33),
                steps2!(34, 35),
                steps2!(36, 37),
                steps2!(38, 39),
                steps2!(40, 41),
                steps2!(42, 43),
                steps2!(44, 45),
                steps2!(46, 47),
                // c0 = word 48 + high word of step 47 (OF pending at 2^(64·49));
                // add the CF of word 47 and the incoming carry.
                "adcx {c0}, {carry}",
                "mov qword ptr [{t} + 8*48], {c0}",
                // carry = CF + OF, both of weight 2^(64·49).
                "mov {lo:e}, 0",
                "mov {carry:e}, 0",
                "adcx {carry}, {lo}",
                "adox {carry}, {lo}",
                t = in(reg) t.as_mut_ptr(),
                x = in(reg) x.as_ptr(),
                carry = inout(reg) carry,
                in("rdx") s,
                lo = out(reg) _,
                hi = out(reg) _,
                c0 = out(reg) _,
                c1 = out(reg) _,
                options(nostack),
            );
        }
        carry
    }
}

/// An unrolled row of `$n` steps (`$n` a multiple of 4, the step pairs
/// listed) on slices `$t` (`$n` + 1 words) and `$x` (`$n` words), without
/// incoming or outgoing carry: `t[0..=n] += x·s`.
macro_rules! short_row {
    ($t:ident, $x:ident, $s:ident; $n:literal; $($j:literal $k:literal),*) => {{
        let t = &mut $t[..$n + 1];
        let x = &$x[..$n];
        // SAFETY:
        // * CPU support: `mulx` (BMI2), `adcx`/`adox` (ADX) besides baseline
        //   `mov`/`xor`; `self` is the `Adx` token (see `row`).
        // * Memory: the block reads x words 0..n and t words 0..=n and writes
        //   t words 0..=n, n = `$n`: `x` has exactly n words and `t` exactly
        //   n + 1 (the slicing above), `t` mutably borrowed. The stack is not
        //   used.
        // * Registers: rdx = `s` (unchanged); every other written register is
        //   a declared output; the flags are clobbered (declared by omitting
        //   `preserves_flags`).
        unsafe {
            core::arch::asm!(
                "xor {lo:e}, {lo:e}",
                "mov {c0}, qword ptr [{t}]",
                $(steps2!($j, $k),)*
                // c0 = word n + high word of the last step; add the last CF.
                "mov {lo:e}, 0",
                "adcx {c0}, {lo}",
                concat!("mov qword ptr [{t} + 8*", stringify!($n), "], {c0}"),
                t = in(reg) t.as_mut_ptr(),
                x = in(reg) x.as_ptr(),
                in("rdx") $s,
                lo = out(reg) _,
                hi = out(reg) _,
                c0 = out(reg) _,
                c1 = out(reg) _,
                options(nostack),
            );
        }
    }};
}

impl Adx {
    /// `t[0..=n] += x·s` for `x` of n ≤ 48 limbs, n a multiple of 4 (other
    /// lengths are rounded down; the carry out of word n must be 0: callers
    /// prove it). `t` must hold at least n + 1 words. One fully unrolled block
    /// per length, chosen by the public n.
    #[inline(always)]
    fn row_short(self, t: &mut [u64], x: &[u64], s: u64) {
        let _ = self;
        match x.len() / 4 {
            0 => {}
            1 => short_row!(t, x, s; 4; 0 1, 2 3),
            2 => short_row!(t, x, s; 8; 0 1, 2 3, 4 5, 6 7),
            3 => short_row!(t, x, s; 12; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11),
            4 => short_row!(t, x, s; 16; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15),
            5 => {
                short_row!(t, x, s; 20; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19)
            }
            6 => {
                short_row!(t, x, s; 24; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23)
            }
            7 => {
                short_row!(t, x, s; 28; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27)
            }
            8 => {
                short_row!(t, x, s; 32; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31)
            }
            9 => {
                short_row!(t, x, s; 36; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31, 32 33, 34 35)
            }
            10 => {
                short_row!(t, x, s; 40; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31, 32 33, 34 35, 36 37, 38 39)
            }
            11 => {
                short_row!(t, x, s; 44; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31, 32 33, 34 35, 36 37, 38 39, 40 41, 42 43)
            }
            12 => {
                short_row!(t, x, s; 48; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31, 32 33, 34 35, 36 37, 38 39, 40 41, 42 43, 44 45, 46 47)
            }
            // Callers pass slices of 48-limb values.
            _ => debug_assert!(false, "row longer than 48 limbs"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

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
    fn row_adds_with_both_carry_chains() {
        let Some(adx) = Adx::get() else {
            return;
        };
        // All-ones everywhere: every step carries on both chains.
        for (t0, x, s, c) in [
            ([u64::MAX; LIMBS + 1], [u64::MAX; LIMBS], u64::MAX, 2u64),
            ([0; LIMBS + 1], sample(3), u64::MAX, 0),
            (
                {
                    let mut t = [0u64; LIMBS + 1];
                    t[..LIMBS].copy_from_slice(&sample(5));
                    t
                },
                sample(7),
                0x1234_5678_9abc_def1,
                1,
            ),
        ] {
            let mut t = t0;
            let out = adx.row(&mut t, &x, s, c);
            let want = big(&t0) + big(&x) * s + (BigUint::from(c) << (64 * LIMBS));
            let got = big(&t) + (BigUint::from(out) << (64 * (LIMBS + 1)));
            assert_eq!(got, want);
        }
    }

    #[test]
    fn wide_products_match() {
        let Some(adx) = Adx::get() else {
            return;
        };
        for (a, b) in [
            (sample(1), sample(2)),
            ([u64::MAX; LIMBS], [u64::MAX; LIMBS]),
            (N, N),
        ] {
            assert_eq!(big(&adx.mul_wide(&a, &b)), big(&a) * big(&b));
            assert_eq!(big(&adx.square_wide(&a)), big(&a) * big(&a));
        }
    }
}
