//! Run-time choice of arithmetic kernel: [`Backend`], the CPU detection (in
//! `ifma::Ifma::get` and `adx::Adx::get`, each cached once per process) and
//! every entry point that picks a kernel, either the process-wide choice
//! (`pow`, `mul_mod`, `pow_g`, …; see `backend_choice`, `COGNITO_SRP_BACKEND`)
//! or as the caller pins it (`*_with`, for tests and benchmarks).
//!
//! The kernels themselves (`montgomery`, portable; `adx`, BMI2 + ADX; `ifma`,
//! AVX-512) share their helpers through `ct` and know nothing of each other or
//! of this module.

use super::backend_choice::{Backend, selected};
use super::comb;
use super::ct::{ONE_LIMBS, R2};
use super::montgomery::{
    MontgomeryForm, add_mod_limbs, mont_mul_limbs, mont_pow, mont_square_limbs, mul_mod_portable,
    reduce_once, retrieve_portable, to_mont_portable,
};
use super::u3072::{BYTES, LIMBS, U3072};

#[cfg(target_arch = "x86_64")]
use super::adx::Adx;
#[cfg(target_arch = "x86_64")]
use super::ifma::Ifma;

/// Declares a stand-in for an x86-64-only backend on other architectures:
/// an uninhabited type (never available) with the kernel's methods.
#[cfg(not(target_arch = "x86_64"))]
macro_rules! unavailable_kernel {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        enum $name {}

        impl $name {
            fn get() -> Option<Self> {
                None
            }
            fn pow(self, _: &[u64; LIMBS], _: &[u8]) -> [u64; LIMBS] {
                match self {}
            }
            fn mont_mul(self, _: &[u64; LIMBS], _: &[u64; LIMBS]) -> [u64; LIMBS] {
                match self {}
            }
            fn mont_square(self, _: &[u64; LIMBS]) -> [u64; LIMBS] {
                match self {}
            }
            fn mul_mod(self, _: &[u64; LIMBS], _: &[u64; LIMBS]) -> [u64; LIMBS] {
                match self {}
            }
            fn comb_exp(self, _: &comb::Comb, _: &[u8]) -> [u64; LIMBS] {
                match self {}
            }
        }
    };
}

#[cfg(not(target_arch = "x86_64"))]
unavailable_kernel!(
    /// Stand-in for the IFMA backend on other architectures: never available.
    Ifma
);
#[cfg(not(target_arch = "x86_64"))]
unavailable_kernel!(
    /// Stand-in for the BMI2 + ADX backend on other architectures: never available.
    Adx
);

// `Backend` itself lives in `backend_choice` (which needs only its names);
// what a backend can run, and on which kernel, is decided here.
impl Backend {
    /// Whether this backend can run on this machine.
    pub fn is_available(self) -> bool {
        self.kernel().is_some()
    }

    /// The kernel with its proof of CPU support, `None` if unavailable.
    fn kernel(self) -> Option<Kernel> {
        match self {
            Self::Portable => Some(Kernel::Portable),
            Self::Adx => Adx::get().map(Kernel::Adx),
            Self::Ifma => Ifma::get().map(Kernel::Ifma),
        }
    }
}

/// A runnable kernel: a backend together with the token proving that the CPU
/// has what it needs.
#[derive(Clone, Copy)]
enum Kernel {
    Portable,
    Adx(Adx),
    Ifma(Ifma),
}

/// The kernel of the process-wide [`selected`] backend (always available).
#[inline]
fn auto() -> Kernel {
    selected().kernel().unwrap_or(Kernel::Portable)
}

impl MontgomeryForm {
    /// Converts `x` (any value < 2^3072) into Montgomery form: x·R mod N.
    pub fn new(x: &U3072) -> Self {
        Self::from_limbs(mont_mul_on(auto(), &x.limbs, &R2))
    }

    /// Converts back out of Montgomery form: returns x mod N.
    pub fn retrieve(&self) -> U3072 {
        U3072::from_limbs(mont_mul_on(auto(), self.limbs(), &ONE_LIMBS))
    }
}

/// a·b·R⁻¹ mod N on raw limbs (a·b < 2N², e.g. a < 2^3072 and b < N) on
/// `kernel`. Output < N.
fn mont_mul_on(kernel: Kernel, a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    match kernel {
        Kernel::Portable => mont_mul_limbs(a, b),
        Kernel::Adx(t) => t.mont_mul(a, b),
        Kernel::Ifma(t) => t.mont_mul(a, b),
    }
}

/// Montgomery product a·b·R⁻¹ mod N.
pub fn mont_mul(a: &MontgomeryForm, b: &MontgomeryForm) -> MontgomeryForm {
    MontgomeryForm::from_limbs(mont_mul_on(auto(), a.limbs(), b.limbs()))
}

/// Montgomery square a²·R⁻¹ mod N (dedicated squaring kernel).
pub fn mont_square(a: &MontgomeryForm) -> MontgomeryForm {
    mont_square_on(auto(), a)
}

fn mont_square_on(kernel: Kernel, a: &MontgomeryForm) -> MontgomeryForm {
    MontgomeryForm::from_limbs(match kernel {
        Kernel::Portable => mont_square_limbs(a.limbs()),
        Kernel::Adx(t) => t.mont_square(a.limbs()),
        Kernel::Ifma(t) => t.mont_square(a.limbs()),
    })
}

/// [`mont_mul`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn mont_mul_with(
    backend: Backend,
    a: &MontgomeryForm,
    b: &MontgomeryForm,
) -> Option<MontgomeryForm> {
    let repr = mont_mul_on(backend.kernel()?, a.limbs(), b.limbs());
    Some(MontgomeryForm::from_limbs(repr))
}

/// [`mont_square`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn mont_square_with(backend: Backend, a: &MontgomeryForm) -> Option<MontgomeryForm> {
    Some(mont_square_on(backend.kernel()?, a))
}

/// base^e mod N for `base` < N (caller guarantees), constant time in the value
/// of the exponent (fixed window); the exponent's byte length is public and may
/// be anything, e = 0 (or an empty slice) gives 1.
pub fn pow(base: &U3072, exp_be: &[u8]) -> U3072 {
    pow_on(auto(), base, exp_be)
}

/// [`pow`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn pow_with(backend: Backend, base: &U3072, exp_be: &[u8]) -> Option<U3072> {
    Some(pow_on(backend.kernel()?, base, exp_be))
}

fn pow_on(kernel: Kernel, base: &U3072, exp_be: &[u8]) -> U3072 {
    match kernel {
        Kernel::Portable => retrieve_portable(&mont_pow(&to_mont_portable(base), exp_be)),
        Kernel::Adx(t) => U3072::from_limbs(t.pow(&base.limbs, exp_be)),
        Kernel::Ifma(t) => U3072::from_limbs(t.pow(&base.limbs, exp_be)),
    }
}

/// a·b mod N for reduced inputs (a, b < N). Constant time.
pub fn mul_mod(a: &U3072, b: &U3072) -> U3072 {
    mul_mod_on(auto(), a, b)
}

/// [`mul_mod`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn mul_mod_with(backend: Backend, a: &U3072, b: &U3072) -> Option<U3072> {
    Some(mul_mod_on(backend.kernel()?, a, b))
}

fn mul_mod_on(kernel: Kernel, a: &U3072, b: &U3072) -> U3072 {
    match kernel {
        Kernel::Portable => mul_mod_portable(a, b),
        Kernel::Adx(t) => U3072::from_limbs(t.mul_mod(&a.limbs, &b.limbs)),
        Kernel::Ifma(t) => U3072::from_limbs(t.mul_mod(&a.limbs, &b.limbs)),
    }
}

/// x mod N for a big-endian byte string of any length (e.g. a server's B,
/// which may be ≥ N). Meant for public values: the running time depends on
/// the input length.
pub fn reduce_mod_n(bytes_be: &[u8]) -> U3072 {
    let kernel = auto();
    let head = bytes_be.len() % BYTES;
    let (first, rest) = bytes_be.split_at(head);
    let mut acc = [0u64; LIMBS];
    let blocks = core::iter::once(first)
        .filter(|b| !b.is_empty())
        .chain(rest.chunks_exact(BYTES));
    for block in blocks {
        // acc·R mod N, then + (block mod N); block < R < 2N.
        acc = mont_mul_on(kernel, &acc, &R2);
        let x = U3072::from_be_bytes(block).map_or([0u64; LIMBS], |v| v.limbs);
        acc = add_mod_limbs(&acc, &reduce_once(&x));
    }
    U3072::from_limbs(acc)
}

/// g^e mod N (g = 2), constant time in the exponent's value; its byte length is
/// public and selects the method: ≤ 32 bytes uses the 256-bit comb, ≤ 128
/// bytes the 1024-bit comb, longer exponents the generic fixed-window `pow`.
pub fn pow_g(exp_be: &[u8]) -> U3072 {
    pow_g_on(auto(), exp_be)
}

/// [`pow_g`] on a chosen backend (`None` if it is unavailable here).
#[doc(hidden)]
pub fn pow_g_with(backend: Backend, exp_be: &[u8]) -> Option<U3072> {
    Some(pow_g_on(backend.kernel()?, exp_be))
}

fn pow_g_on(kernel: Kernel, exp_be: &[u8]) -> U3072 {
    let two = U3072::from_limbs({
        let mut l = [0u64; LIMBS];
        l[0] = 2;
        l
    });
    match (kernel, comb::for_exponent(exp_be)) {
        (Kernel::Ifma(t), Some(c)) => U3072::from_limbs(t.comb_exp(c, exp_be)),
        (Kernel::Adx(t), Some(c)) => U3072::from_limbs(t.comb_exp(c, exp_be)),
        (Kernel::Portable, Some(c)) => retrieve_portable(&c.exp(exp_be)),
        (kernel, None) => pow_on(kernel, &two, exp_be),
    }
}
