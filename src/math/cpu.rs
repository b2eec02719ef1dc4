//! Run-time x86-64 CPU feature detection for the ADX and IFMA kernels: two
//! `CPUID`s (leaves 1 and 7) and one `XGETBV`, once per process, for every
//! backend at once.
//!
//! Why not a crate: RustCrypto's `cpufeatures` reads three leaves per feature
//! set, so the IFMA check, then the ADX check (on a CPU without IFMA), then an
//! AVX2 check made nine `CPUID`s, and std's first `is_x86_feature_detected!`
//! reads about ten. Where `CPUID` traps to a hypervisor (8 µs each in the
//! benchmark VM) that is a visible part of a fresh process's first login.
//!
//! Leaf 7 is read without first checking that the CPU's highest basic leaf is
//! ≥ 7 (as `cpufeatures` does too): Intel CPUs answer a higher leaf with their
//! highest leaf's data, which on the only x86-64 CPUs with a maximum below 7
//! (early Pentium 4 / Pentium D) is leaf 5 or 6, whose EBX sets none of the
//! bits read here (bits 5, 8, 16, 19, 21); AMD answers zeros.
#![allow(unsafe_code)]

use core::arch::x86_64::{__cpuid, __cpuid_count, _xgetbv};
use std::sync::OnceLock;

/// What this CPU and OS support, as far as the kernels are concerned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct CpuFeatures {
    /// BMI2 (`mulx`).
    pub(crate) bmi2: bool,
    /// ADX (`adcx`, `adox`).
    pub(crate) adx: bool,
    /// AVX2, with the OS saving the ymm state.
    pub(crate) avx2: bool,
    /// AVX-512F and AVX-512 IFMA, with the OS saving the zmm state.
    pub(crate) avx512_ifma: bool,
}

impl CpuFeatures {
    /// This CPU's features (detected on the first call, then cached).
    pub(crate) fn get() -> Self {
        static DETECTED: OnceLock<CpuFeatures> = OnceLock::new();
        *DETECTED.get_or_init(detect)
    }
}

/// Bit `n` of `reg`.
const fn bit(reg: u32, n: u32) -> bool {
    (reg >> n) & 1 == 1
}

/// Register state the OS must save (XCR0) for ymm: SSE and AVX.
const XCR0_YMM: u64 = 0b110;
/// … and for zmm: also the opmask, ZMM_Hi256 and Hi16_ZMM state.
const XCR0_ZMM: u64 = 0b1110_0110;

fn detect() -> CpuFeatures {
    let leaf1 = __cpuid(1);
    let leaf7 = __cpuid_count(7, 0);
    // XGETBV is enabled exactly when leaf 1 reports OSXSAVE (ECX bit 27).
    let xcr0 = if bit(leaf1.ecx, 27) {
        // SAFETY: OSXSAVE is set, so the OS has enabled XGETBV (the `xsave`
        // target feature the intrinsic is declared with); register 0 (XCR0)
        // always exists.
        unsafe { _xgetbv(0) }
    } else {
        0
    };
    let os = |mask: u64| xcr0 & mask == mask;
    CpuFeatures {
        bmi2: bit(leaf7.ebx, 8),
        adx: bit(leaf7.ebx, 19),
        // AVX (leaf 1 ECX bit 28) and AVX2 (leaf 7 EBX bit 5).
        avx2: os(XCR0_YMM) && bit(leaf1.ecx, 28) && bit(leaf7.ebx, 5),
        // AVX-512F (EBX bit 16) and AVX-512 IFMA (EBX bit 21).
        avx512_ifma: os(XCR0_ZMM) && bit(leaf7.ebx, 16) && bit(leaf7.ebx, 21),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_std_detection() {
        let f = CpuFeatures::get();
        assert_eq!(f.bmi2, std::is_x86_feature_detected!("bmi2"));
        assert_eq!(f.adx, std::is_x86_feature_detected!("adx"));
        assert_eq!(f.avx2, std::is_x86_feature_detected!("avx2"));
        assert_eq!(
            f.avx512_ifma,
            std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512ifma")
        );
        assert_eq!(CpuFeatures::get(), f, "cached");
    }
}
