//! The ADX backend's `asm!` kernels: the multiply-accumulate rows (one per
//! length, four instructions a step), the reduction row, the square's doubling
//! pass, the final subtraction and the Karatsuba recombination. This file holds
//! all of the backend's `unsafe` code, each block argued by its SAFETY comment;
//! the schedule that calls them is in the parent module.
#![allow(unsafe_code)]

use super::{Adx, WIDE};
use crate::math::ct::N;
use crate::math::u3072::LIMBS;

/// Step j of a row (`$cur` holds word j with the high word of step j − 1
/// already added on the OF chain; `$nxt` receives word j + 1): low word of
/// xⱼ·s into word j on the CF chain, stored; the high word lands in `$nxt`
/// and word j + 1 is added to it on the OF chain, read by `adox` itself (no
/// separate load: four instructions a step).
macro_rules! step {
    ($j:literal, $cur:literal, $nxt:literal) => {
        concat!(
            "mulx {",
            $nxt,
            "}, {lo}, qword ptr [{x} + 8*",
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
            "adox {",
            $nxt,
            "}, qword ptr [{t} + 8*",
            stringify!($j),
            " + 8]\n",
        )
    };
}

/// Steps j and j + 1, the accumulator registers alternating.
macro_rules! steps2 {
    ($j:literal, $k:literal) => {
        concat!(step!($j, "c0", "c1"), step!($k, "c1", "c0"))
    };
}

/// N without its lowest limb (2^64 − 1, which the reduction rows skip).
static N_UPPER: [u64; LIMBS - 1] = {
    let mut u = [0u64; LIMBS - 1];
    let mut i = 0;
    while i < LIMBS - 1 {
        u[i] = N[i + 1];
        i += 1;
    }
    u
};

impl Adx {
    /// One reduction row with digit m, on the 48 words above the one it
    /// clears: `t[0..48] += m·(N ≫ 64) + m + carry·2^(64·47)`, returning the
    /// carry out of word 47 (at most 2). Adding m·N at the word below `t`,
    /// whose value is m, gives m + m·(2^64 − 1) = m·2^64 there (N's lowest
    /// limb is all ones): that word becomes 0 and passes exactly m up, so
    /// the row needs 47 `mulx`, not 48. `t` must hold at least 48 words (only
    /// the first 48 are touched). Fixed instruction sequence, two carry chains
    /// (CF: low words, OF: the accumulator).
    #[inline(always)]
    pub(super) fn redc_row(self, t: &mut [u64], m: u64, carry: u64) -> u64 {
        let t = &mut t[..LIMBS];
        let mut carry = carry;
        // SAFETY:
        // * CPU support: the block uses `mulx` (BMI2), `adcx` and `adox` (ADX)
        //   besides baseline x86-64 `mov`/`xor`; `self` is an `Adx` token,
        //   which only `Adx::get` creates after detecting both features.
        // * Memory: it reads `N_UPPER` at byte offsets 0..376 (47 words,
        //   exactly its size), and reads and writes `t` at offsets 0..384
        //   (words 0..48): `t` is a slice of exactly 48 `u64` (the slicing
        //   above), borrowed mutably, so nothing else aliases it. No other
        //   memory is touched and the stack is not used (`nostack`).
        // * Registers: m is in rdx (the implicit `mulx` operand, unchanged);
        //   every other register written is a declared output; the flags are
        //   clobbered, which `asm!` assumes unless `preserves_flags` is given.
        unsafe {
            core::arch::asm!(
                // CF = OF = 0; c0 = word 0 plus the m passed up from the
                // cleared word, added on the OF chain in the place of a
                // previous high word (its carry goes to word 1 with step 0's
                // high word).
                "xor {lo:e}, {lo:e}",
                "mov {c0}, qword ptr [{t}]",
                "adox {c0}, rdx",
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
                step!(46, "c0", "c1"),
                // c1 = word 47 + high word of step 46 (OF pending at
                // 2^(64·48)); add the CF of word 46 and the incoming carry.
                "adcx {c1}, {carry}",
                "mov qword ptr [{t} + 8*47], {c1}",
                // carry = CF + OF, both of weight 2^(64·48).
                "mov {lo:e}, 0",
                "mov {carry:e}, 0",
                "adcx {carry}, {lo}",
                "adox {carry}, {lo}",
                t = in(reg) t.as_mut_ptr(),
                x = in(reg) N_UPPER.as_ptr(),
                carry = inout(reg) carry,
                in("rdx") m,
                lo = out(reg) _,
                c0 = out(reg) _,
                c1 = out(reg) _,
                options(nostack),
            );
        }
        carry
    }
}

/// An unrolled row of `$n` steps (the step pairs listed, then step `$l` alone
/// if `$n` is odd) on slices `$t` (`$n` + 1 words) and `$x` (`$n` words),
/// without incoming or outgoing carry: `t[0..=n] += x·s`.
macro_rules! short_row {
    ($t:ident, $x:ident, $s:ident; $n:literal; $($j:literal $k:literal),* $(; $l:literal)?) => {{
        let t = &mut $t[..$n + 1];
        let x = &$x[..$n];
        // SAFETY:
        // * CPU support: `mulx` (BMI2), `adcx`/`adox` (ADX) besides baseline
        //   `mov`/`xor`; `self` is the `Adx` token (see `redc_row`).
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
                // An odd last step leaves word n in c1: move it to c0.
                $(step!($l, "c0", "c1"), "mov {c0}, {c1}",)?
                // c0 = word n + high word of the last step; add the last CF.
                "mov {lo:e}, 0",
                "adcx {c0}, {lo}",
                concat!("mov qword ptr [{t} + 8*", stringify!($n), "], {c0}"),
                t = in(reg) t.as_mut_ptr(),
                x = in(reg) x.as_ptr(),
                in("rdx") $s,
                lo = out(reg) _,
                c0 = out(reg) _,
                c1 = out(reg) _,
                options(nostack),
            );
        }
    }};
}

impl Adx {
    /// `t[0..=n] += x·s` for `x` of n limbs, n a multiple of 4 up to 48 (the
    /// carry out of word n must be 0: callers prove it). `t` must hold at
    /// least n + 1 words. One fully unrolled block per length, chosen by the
    /// public n.
    #[inline(always)]
    pub(super) fn row_short(self, t: &mut [u64], x: &[u64], s: u64) {
        let _ = self;
        match x.len() {
            0 => {}
            1 => short_row!(t, x, s; 1; ; 0),
            2 => short_row!(t, x, s; 2; 0 1),
            4 => short_row!(t, x, s; 4; 0 1, 2 3),
            8 => short_row!(t, x, s; 8; 0 1, 2 3, 4 5, 6 7),
            12 => short_row!(t, x, s; 12; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11),
            16 => short_row!(t, x, s; 16; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15),
            20 => {
                short_row!(t, x, s; 20; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19)
            }
            24 => {
                short_row!(t, x, s; 24; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23)
            }
            28 => {
                short_row!(t, x, s; 28; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27)
            }
            32 => {
                short_row!(t, x, s; 32; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31)
            }
            36 => {
                short_row!(t, x, s; 36; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31, 32 33, 34 35)
            }
            40 => {
                short_row!(t, x, s; 40; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31, 32 33, 34 35, 36 37, 38 39)
            }
            44 => {
                short_row!(t, x, s; 44; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31, 32 33, 34 35, 36 37, 38 39, 40 41, 42 43)
            }
            48 => {
                short_row!(t, x, s; 48; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13, 14 15, 16 17, 18 19, 20 21, 22 23, 24 25, 26 27, 28 29, 30 31, 32 33, 34 35, 36 37, 38 39, 40 41, 42 43, 44 45, 46 47)
            }
            // Callers pass slices of 48-limb values.
            // Every caller passes a multiple of 4: the square's rows (4..=48)
            // and Karatsuba's 24-limb halves, all public constants.
            _ => debug_assert!(false, "no row block of this length"),
        }
    }
}

/// Word pair i of the doubling pass: both words of w doubled along the CF
/// chain (`adcx x, x` is a one-bit shift left taking in the bit shifted out
/// below), the square aᵢ² added along the OF chain.
macro_rules! double_add_square {
    ($i:literal) => {
        concat!(
            "mov rdx, qword ptr [{a} + 8*",
            stringify!($i),
            "]\n",
            "mulx {hi}, {lo}, rdx\n",
            "mov {c0}, qword ptr [{w} + 16*",
            stringify!($i),
            "]\n",
            "adcx {c0}, {c0}\n",
            "adox {c0}, {lo}\n",
            "mov qword ptr [{w} + 16*",
            stringify!($i),
            "], {c0}\n",
            "mov {c1}, qword ptr [{w} + 16*",
            stringify!($i),
            " + 8]\n",
            "adcx {c1}, {c1}\n",
            "adox {c1}, {hi}\n",
            "mov qword ptr [{w} + 16*",
            stringify!($i),
            " + 8], {c1}\n",
        )
    };
}

/// Word j of `d = top half of w − N` along the borrow chain (CF), into `r`.
macro_rules! sub_n_word {
    ($j:literal) => {
        concat!(
            "mov {x}, qword ptr [{w} + 8*",
            stringify!($j),
            " + 384]\n",
            "sbb {x}, qword ptr [{n} + 8*",
            stringify!($j),
            "]\n",
            "mov qword ptr [{r} + 8*",
            stringify!($j),
            "], {x}\n",
        )
    };
}

/// Word j of the masked choice: `r[j] = mask ? top[j] : d[j]` (xor-and-xor,
/// no branch, no conditional move).
macro_rules! select_word {
    ($j:literal) => {
        concat!(
            "mov {x}, qword ptr [{r} + 8*",
            stringify!($j),
            "]\n",
            "mov {y}, qword ptr [{w} + 8*",
            stringify!($j),
            " + 384]\n",
            "xor {y}, {x}\n",
            "and {y}, {mask}\n",
            "xor {x}, {y}\n",
            "mov qword ptr [{r} + 8*",
            stringify!($j),
            "], {x}\n",
        )
    };
}

/// `$m!(j)` for every limb j = 0..48, concatenated.
macro_rules! each_limb {
    ($m:ident; $($j:literal)*) => {
        concat!($($m!($j)),*)
    };
    ($m:ident) => {
        each_limb!($m; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47)
    };
}

impl Adx {
    /// `w = 2·w + Σ aᵢ²·2^(128·i)` for a cross-product sum w < 2^6143 whose
    /// result (a²) fits in 96 words: one fixed sequence of 48 `mulx` with the
    /// doubling on the CF chain and the squares on the OF chain. Both chains
    /// end with no carry (the doubling's is w's top bit, 0; then the sum fits).
    #[inline(always)]
    pub(super) fn double_add_squares(self, w: &mut [u64; WIDE], a: &[u64; LIMBS]) {
        let _ = self;
        // SAFETY:
        // * CPU support: `mulx` (BMI2), `adcx`/`adox` (ADX) besides baseline
        //   `mov`/`xor`; `self` is the `Adx` token (see `redc_row`).
        // * Memory: the block reads `a` at byte offsets 0..384 (its 48 words)
        //   and reads and writes `w` at offsets 0..768 (its 96 words), `w`
        //   mutably borrowed. The stack is not used.
        // * Registers: rdx is declared clobbered, every other written register
        //   is a declared output; the flags are clobbered (declared by
        //   omitting `preserves_flags`).
        unsafe {
            core::arch::asm!(
                // CF = OF = 0.
                "xor {lo:e}, {lo:e}",
                each_limb!(double_add_square),
                w = in(reg) w.as_mut_ptr(),
                a = in(reg) a.as_ptr(),
                out("rdx") _,
                lo = out(reg) _,
                hi = out(reg) _,
                c0 = out(reg) _,
                c1 = out(reg) _,
                options(nostack),
            );
        }
    }

    /// The final step of the reduction: the top half of `w` with its carry
    /// word (`carry` ≤ 1, the value < 2N), minus N if that value is ≥ N,
    /// i.e. if `carry` is 1 or the subtraction does not borrow. One `sbb`
    /// chain, then a masked choice: no branch, no secret-dependent address.
    #[inline(always)]
    pub(super) fn final_sub_top(self, w: &[u64; WIDE], carry: u64) -> [u64; LIMBS] {
        let _ = self;
        let mut r = [0u64; LIMBS];
        let mut carry = carry;
        let n: &'static [u64; LIMBS] = &N;
        // SAFETY:
        // * CPU support: baseline x86-64 only (`mov`, `sbb`, `sub`, `and`,
        //   `xor`); the `Adx` token is taken for uniformity.
        // * Memory: the block reads `w` at byte offsets 384..768 (its top 48
        //   words), `N` at 0..384 (its 48 words), and reads and writes `r` at
        //   0..384 (its 48 words), a local array borrowed mutably here only.
        //   The stack is not otherwise used (`nostack`).
        // * Registers: every written register is a declared output or inout;
        //   the flags are clobbered (declared by omitting `preserves_flags`).
        unsafe {
            core::arch::asm!(
                // CF = 0; d = top − N into r, the final borrow in CF.
                "xor {x:e}, {x:e}",
                each_limb!(sub_n_word),
                // mask = all ones (keep the top half) iff borrow and carry = 0.
                "sbb {mask}, {mask}",
                "sub {carry}, 1",
                "sbb {x}, {x}",
                "and {mask}, {x}",
                each_limb!(select_word),
                w = in(reg) w.as_ptr(),
                n = in(reg) n.as_ptr(),
                r = in(reg) r.as_mut_ptr(),
                carry = inout(reg) carry,
                mask = out(reg) _,
                x = out(reg) _,
                y = out(reg) _,
                options(nostack),
            );
        }
        let _ = carry;
        r
    }
}

/// Word j of `mid = z₀ + z₂ + p'`: z₀ (word j of w) plus z₂ (word 48 + j)
/// on the OF chain, plus p' (word j of `p`) on the CF chain.
macro_rules! mid_word {
    ($j:literal) => {
        concat!(
            "mov {x}, qword ptr [{w} + 8*",
            stringify!($j),
            "]\n",
            "adox {x}, qword ptr [{w} + 8*",
            stringify!($j),
            " + 384]\n",
            "adcx {x}, qword ptr [{p} + 8*",
            stringify!($j),
            "]\n",
            "mov qword ptr [{mid} + 8*",
            stringify!($j),
            "], {x}\n",
        )
    };
}

/// Word 24 + j of w plus word j of `mid`, along CF.
macro_rules! add_mid_word {
    ($j:literal) => {
        concat!(
            "mov {x}, qword ptr [{w} + 8*",
            stringify!($j),
            " + 192]\n",
            "adcx {x}, qword ptr [{mid} + 8*",
            stringify!($j),
            "]\n",
            "mov qword ptr [{w} + 8*",
            stringify!($j),
            " + 192], {x}\n",
        )
    };
}

/// Word j of w plus the carry, along CF.
macro_rules! carry_word {
    ($j:literal) => {
        concat!(
            "mov {x}, qword ptr [{w} + 8*",
            stringify!($j),
            "]\n",
            "adcx {x}, {zero}\n",
            "mov qword ptr [{w} + 8*",
            stringify!($j),
            "], {x}\n",
        )
    };
}

impl Adx {
    /// Karatsuba's recombination: with z₀ = w[0..48] and z₂ = w[48..96],
    /// `w += (z₀ + z₂ + p')·2^(64·24)` where p' is the middle product's
    /// two's complement (`p` holds its words, xored with `neg`, all ones if it
    /// is negative, else 0; the + 1 of a negation and the sign extension come
    /// from `neg`). The middle sum (a₀b₁ + a₁b₀ ≥ 0, 49 words) goes through a
    /// 49-word buffer, then into w with the carry run to word 95; a·b < 2^6144,
    /// so nothing leaves it. Fixed instruction sequence.
    #[inline(always)]
    pub(super) fn add_middle(self, w: &mut [u64; WIDE], p: &[u64; LIMBS], neg: u64) {
        let _ = self;
        let mut mid = [0u64; LIMBS + 1];
        // SAFETY:
        // * CPU support: `adcx`/`adox` (ADX) besides baseline `mov`/`xor`;
        //   `self` is the `Adx` token (see `redc_row`).
        // * Memory: reads `p` at byte offsets 0..384 (its 48 words), reads and
        //   writes `mid` at 0..392 (its 49 words, a local array) and `w` at
        //   0..768 (its 96 words), `w` mutably borrowed. The stack is not
        //   otherwise used (`nostack`).
        // * Registers: every written register is a declared output; the flags
        //   are clobbered (declared by omitting `preserves_flags`).
        unsafe {
            core::arch::asm!(
                // CF = OF = 0, then CF = the sign bit (adcx only writes CF).
                "xor {x:e}, {x:e}",
                "mov {zero}, {neg}",
                "adcx {zero}, {zero}",
                "mov {zero:e}, 0",
                each_limb!(mid_word; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47),
                // Word 48: both carries and the sign extension.
                "mov {x}, {neg}",
                "adox {x}, {zero}",
                "adcx {x}, {zero}",
                "mov qword ptr [{mid} + 8*48], {x}",
                // w[24..] += mid; CF = 0 from the last adcx (mid ≥ 0 fits).
                "xor {x:e}, {x:e}",
                each_limb!(add_mid_word; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48),
                each_limb!(carry_word; 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95),
                w = in(reg) w.as_mut_ptr(),
                p = in(reg) p.as_ptr(),
                mid = in(reg) mid.as_mut_ptr(),
                neg = in(reg) neg,
                x = out(reg) _,
                zero = out(reg) _,
                options(nostack),
            );
        }
    }
}
