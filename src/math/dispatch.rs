//! Run-time choice of arithmetic kernel: [`Backend`], the CPU detection (in
//! `ifma::Ifma::get`, cached once per process) and every entry point that picks
//! a kernel, either automatically (`pow`, `mul_mod`, `pow_g`, …) or as the
//! caller pins it (`*_with`, for tests and benchmarks).
//!
//! The kernels themselves (`montgomery`, portable; `ifma`, AVX-512) share their
//! helpers through `ct` and know nothing of each other or of this module.

use super::comb;
use super::ct::{ONE_LIMBS, R2};
use super::montgomery::{
    MontgomeryForm, add_mod_limbs, mont_mul_limbs, mont_pow, mont_square_limbs, mul_mod_portable,
    reduce_once, retrieve_portable, to_mont_portable,
};
use super::u3072::{BYTES, LIMBS, U3072};

#[cfg(target_arch = "x86_64")]
use super::ifma::Ifma;

/// Stand-in for the IFMA backend on other architectures: never available.
#[cfg(not(target_arch = "x86_64"))]
#[derive(Clone, Copy)]
enum Ifma {}

#[cfg(not(target_arch = "x86_64"))]
impl Ifma {
    fn get() -> Option<Self> {
        None
    }
    fn pow(self, _: &[u64; LIMBS], _: &[u8]) -> [u64; LIMBS] {
        match self {}
    }
    fn mont_mul(self, _: &[u64; LIMBS], _: &[u64; LIMBS]) -> [u64; LIMBS] {
        match self {}
    }
    fn mul_mod(self, _: &[u64; LIMBS], _: &[u64; LIMBS]) -> [u64; LIMBS] {
        match self {}
    }
    fn comb_exp(self, _: &[u8], _: usize, _: usize, _: &[u64; LIMBS], _: &[u8]) -> [u64; LIMBS] {
        match self {}
    }
}

/// Arithmetic backend, for tests and benchmarks that pin one implementation.
/// The public functions pick [`Backend::Ifma`] when the CPU supports it.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Portable 48 × u64 limb kernels (always available).
    Portable,
    /// AVX-512 IFMA, 52-bit digits (x86-64 with avx512f + avx512ifma only).
    Ifma,
}

impl Backend {
    /// Whether this backend can run on this machine.
    pub fn is_available(self) -> bool {
        match self {
            Self::Portable => true,
            Self::Ifma => Ifma::get().is_some(),
        }
    }

    /// `Some(None)` for portable, `Some(Some(token))` for an available IFMA
    /// backend, `None` if unavailable.
    fn token(self) -> Option<Option<Ifma>> {
        match self {
            Self::Portable => Some(None),
            Self::Ifma => Ifma::get().map(Some),
        }
    }
}

impl MontgomeryForm {
    /// Converts `x` (any value < 2^3072) into Montgomery form: x·R mod N.
    pub fn new(x: &U3072) -> Self {
        Self::from_limbs(mont_mul_auto(&x.limbs, &R2))
    }

    /// Converts back out of Montgomery form: returns x mod N.
    pub fn retrieve(&self) -> U3072 {
        U3072::from_limbs(mont_mul_auto(self.limbs(), &ONE_LIMBS))
    }
}

/// a·b·R⁻¹ mod N on raw limbs (a·b < 2N², e.g. a < 2^3072 and b < N), on
/// the IFMA backend when available. Output < N.
fn mont_mul_auto(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    match Ifma::get() {
        Some(t) => t.mont_mul(a, b),
        None => mont_mul_limbs(a, b),
    }
}

/// Montgomery product a·b·R⁻¹ mod N.
pub fn mont_mul(a: &MontgomeryForm, b: &MontgomeryForm) -> MontgomeryForm {
    MontgomeryForm::from_limbs(mont_mul_auto(a.limbs(), b.limbs()))
}

/// Montgomery square a²·R⁻¹ mod N (dedicated squaring kernel).
pub fn mont_square(a: &MontgomeryForm) -> MontgomeryForm {
    mont_square_on(Ifma::get(), a)
}

fn mont_square_on(ifma: Option<Ifma>, a: &MontgomeryForm) -> MontgomeryForm {
    MontgomeryForm::from_limbs(match ifma {
        #[cfg(target_arch = "x86_64")]
        Some(t) => t.mont_square(a.limbs()),
        #[cfg(not(target_arch = "x86_64"))]
        Some(t) => match t {},
        None => mont_square_limbs(a.limbs()),
    })
}

/// [`mont_mul`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn mont_mul_with(
    backend: Backend,
    a: &MontgomeryForm,
    b: &MontgomeryForm,
) -> Option<MontgomeryForm> {
    let repr = match backend.token()? {
        Some(t) => t.mont_mul(a.limbs(), b.limbs()),
        None => mont_mul_limbs(a.limbs(), b.limbs()),
    };
    Some(MontgomeryForm::from_limbs(repr))
}

/// [`mont_square`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn mont_square_with(backend: Backend, a: &MontgomeryForm) -> Option<MontgomeryForm> {
    Some(mont_square_on(backend.token()?, a))
}

/// base^e mod N for `base` < N (caller guarantees), constant time in the value
/// of the exponent (fixed window); the exponent's byte length is public and may
/// be anything, e = 0 (or an empty slice) gives 1.
pub fn pow(base: &U3072, exp_be: &[u8]) -> U3072 {
    pow_on(Ifma::get(), base, exp_be)
}

/// [`pow`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn pow_with(backend: Backend, base: &U3072, exp_be: &[u8]) -> Option<U3072> {
    Some(pow_on(backend.token()?, base, exp_be))
}

fn pow_on(ifma: Option<Ifma>, base: &U3072, exp_be: &[u8]) -> U3072 {
    match ifma {
        Some(t) => U3072::from_limbs(t.pow(&base.limbs, exp_be)),
        None => retrieve_portable(&mont_pow(&to_mont_portable(base), exp_be)),
    }
}

/// a·b mod N for reduced inputs (a, b < N). Constant time.
pub fn mul_mod(a: &U3072, b: &U3072) -> U3072 {
    mul_mod_on(Ifma::get(), a, b)
}

/// [`mul_mod`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn mul_mod_with(backend: Backend, a: &U3072, b: &U3072) -> Option<U3072> {
    Some(mul_mod_on(backend.token()?, a, b))
}

fn mul_mod_on(ifma: Option<Ifma>, a: &U3072, b: &U3072) -> U3072 {
    match ifma {
        Some(t) => U3072::from_limbs(t.mul_mod(&a.limbs, &b.limbs)),
        None => mul_mod_portable(a, b),
    }
}

/// x mod N for a big-endian byte string of any length (e.g. a server's B,
/// which may be ≥ N). Meant for public values: the running time depends on
/// the input length.
pub fn reduce_mod_n(bytes_be: &[u8]) -> U3072 {
    let head = bytes_be.len() % BYTES;
    let (first, rest) = bytes_be.split_at(head);
    let mut acc = [0u64; LIMBS];
    let blocks = core::iter::once(first)
        .filter(|b| !b.is_empty())
        .chain(rest.chunks_exact(BYTES));
    for block in blocks {
        // acc·R mod N, then + (block mod N); block < R < 2N.
        acc = mont_mul_auto(&acc, &R2);
        let x = U3072::from_be_bytes(block).map_or([0u64; LIMBS], |v| v.limbs);
        acc = add_mod_limbs(&acc, &reduce_once(&x));
    }
    U3072::from_limbs(acc)
}

/// g^e mod N (g = 2), constant time in the exponent's value; its byte length is
/// public and selects the method: ≤ 32 bytes uses the 256-bit comb, ≤ 128
/// bytes the 1024-bit comb, longer exponents the generic fixed-window `pow`.
pub fn pow_g(exp_be: &[u8]) -> U3072 {
    pow_g_on(Ifma::get(), exp_be)
}

/// [`pow_g`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn pow_g_with(backend: Backend, exp_be: &[u8]) -> Option<U3072> {
    Some(pow_g_on(backend.token()?, exp_be))
}

fn pow_g_on(ifma: Option<Ifma>, exp_be: &[u8]) -> U3072 {
    let two = U3072::from_limbs({
        let mut l = [0u64; LIMBS];
        l[0] = 2;
        l
    });
    match (ifma, comb::for_exponent(exp_be)) {
        (Some(t), Some(c)) => {
            U3072::from_limbs(t.comb_exp(c.bytes, c.teeth, c.spacing, c.ifma_fix, exp_be))
        }
        (Some(t), None) => U3072::from_limbs(t.pow(&two.limbs, exp_be)),
        (None, Some(c)) => retrieve_portable(&c.exp(exp_be)),
        (None, None) => retrieve_portable(&mont_pow(&to_mont_portable(&two), exp_be)),
    }
}
