//! The process-wide choice of arithmetic backend: `COGNITO_SRP_BACKEND`.
//!
//! In the spirit of OpenSSL's `OPENSSL_ia32cap`, the variable is read once per
//! process, the first time any automatic entry point (`pow`, `pow_g`,
//! `mul_mod`, …) runs, and pins the kernel they use:
//!
//! * unset, empty or `auto`: the fastest available one, in the order AVX-512
//!   IFMA, BMI2 + ADX, portable;
//! * `portable`, `adx` or `ifma` (ASCII case and surrounding blanks ignored):
//!   that backend, if this CPU has it.
//!
//! A backend the CPU lacks, or a value that names none, gives one warning
//! line on stderr and `auto`; it is never an error (the arithmetic is the same
//! on every backend, only its speed differs).

use std::sync::OnceLock;

/// Arithmetic backend: which kernel runs the 3072-bit arithmetic. The
/// automatic entry points use [`selected`]
/// (`COGNITO_SRP_BACKEND`, default: the fastest available); tests and
/// benchmarks pin one with the `*_with` functions.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Portable 48 × u64 limb kernels on u64 × u64 → u128 products (always
    /// available; `mul`/`umulh` on aarch64, `mul` on x86-64).
    Portable,
    /// x86-64 BMI2 + ADX kernels (`mulx`, `adcx`, `adox`), 48 × u64 limbs.
    Adx,
    /// AVX-512 IFMA, 52-bit digits (x86-64 with avx512f + avx512ifma only).
    Ifma,
}

impl Backend {
    /// The backend's name as `COGNITO_SRP_BACKEND` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Portable => "portable",
            Self::Adx => "adx",
            Self::Ifma => "ifma",
        }
    }
}

/// The environment variable that pins the backend.
pub(crate) const ENV_VAR: &str = "COGNITO_SRP_BACKEND";

/// Backends `auto` tries, fastest first; the last one is always available.
const AUTO_ORDER: [Backend; 3] = [Backend::Ifma, Backend::Adx, Backend::Portable];

/// The backend `auto` picks given which backends are available.
fn auto(available: &impl Fn(Backend) -> bool) -> Backend {
    AUTO_ORDER
        .into_iter()
        .find(|&b| available(b))
        .unwrap_or(Backend::Portable)
}

/// Decides the backend for a value of [`ENV_VAR`] (`None` when unset) and the
/// backends `available` on this machine. Returns the backend and, if the
/// value could not be honoured, the one-line warning to print.
///
/// Pure: no environment access, no output (the unit tests drive it).
pub(crate) fn choose(
    value: Option<&str>,
    available: impl Fn(Backend) -> bool,
) -> (Backend, Option<String>) {
    let fallback = auto(&available);
    let Some(raw) = value else {
        return (fallback, None);
    };
    let wanted = raw.trim().to_ascii_lowercase();
    let named = match wanted.as_str() {
        "" | "auto" => return (fallback, None),
        "portable" => Some(Backend::Portable),
        "adx" => Some(Backend::Adx),
        "ifma" => Some(Backend::Ifma),
        _ => None,
    };
    let why = match named {
        Some(b) if available(b) => return (b, None),
        Some(_) => "is not available on this CPU",
        None => "is unknown (expected auto, portable, adx or ifma)",
    };
    let warning = format!(
        "cognito-srp-auth: {ENV_VAR}={} {why}; using auto ({})",
        raw.escape_debug(),
        fallback.name()
    );
    (fallback, Some(warning))
}

/// The backend the automatic entry points use in this process: decided from
/// `COGNITO_SRP_BACKEND` on the first call (printing its warning, if any, once), then
/// cached.
pub fn selected() -> Backend {
    static SELECTED: OnceLock<Backend> = OnceLock::new();
    *SELECTED.get_or_init(|| {
        let value = std::env::var_os(ENV_VAR);
        let text = value.as_ref().map(|v| v.to_string_lossy());
        let (backend, warning) = choose(text.as_deref(), Backend::is_available);
        if let Some(w) = warning {
            eprintln!("{w}");
        }
        backend
    })
}

/// The name of the arithmetic backend this process uses (`"portable"`,
/// `"adx"` or `"ifma"`), as chosen by `COGNITO_SRP_BACKEND` (see the README's
/// "Arithmetic backends"). Reading it fixes the choice for the process.
pub fn arithmetic_backend() -> &'static str {
    selected().name()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(_: Backend) -> bool {
        true
    }

    fn portable_only(b: Backend) -> bool {
        b == Backend::Portable
    }

    fn no_ifma(b: Backend) -> bool {
        b != Backend::Ifma
    }

    #[test]
    fn auto_prefers_ifma_then_adx_then_portable() {
        for v in [None, Some(""), Some("auto"), Some(" AUTO ")] {
            assert_eq!(choose(v, all), (Backend::Ifma, None), "{v:?}");
            assert_eq!(choose(v, no_ifma), (Backend::Adx, None), "{v:?}");
            assert_eq!(choose(v, portable_only), (Backend::Portable, None), "{v:?}");
        }
    }

    #[test]
    fn available_names_pin_their_backend() {
        assert_eq!(choose(Some("portable"), all), (Backend::Portable, None));
        assert_eq!(choose(Some("adx"), all), (Backend::Adx, None));
        assert_eq!(choose(Some("ifma"), all), (Backend::Ifma, None));
        assert_eq!(choose(Some(" IFMA\n"), all), (Backend::Ifma, None));
        assert_eq!(choose(Some("adx"), no_ifma), (Backend::Adx, None));
        assert_eq!(
            choose(Some("portable"), portable_only),
            (Backend::Portable, None)
        );
    }

    #[test]
    fn unavailable_backend_warns_once_and_uses_auto() {
        let (b, w) = choose(Some("ifma"), no_ifma);
        assert_eq!(b, Backend::Adx);
        assert_eq!(
            w.as_deref(),
            Some(
                "cognito-srp-auth: COGNITO_SRP_BACKEND=ifma is not available on this CPU; \
                 using auto (adx)"
            )
        );
        let (b, w) = choose(Some("adx"), portable_only);
        assert_eq!(b, Backend::Portable);
        assert!(w.is_some_and(|w| w.ends_with("using auto (portable)") && !w.contains('\n')));
    }

    #[test]
    fn unknown_value_warns_and_uses_auto() {
        let (b, w) = choose(Some("bogus"), all);
        assert_eq!(b, Backend::Ifma);
        assert_eq!(
            w.as_deref(),
            Some(
                "cognito-srp-auth: COGNITO_SRP_BACKEND=bogus is unknown (expected auto, \
                 portable, adx or ifma); using auto (ifma)"
            )
        );
        // Control characters are escaped: the warning stays one line.
        let (_, w) = choose(Some("a\nb\u{1b}[1m"), all);
        let w = w.unwrap_or_default();
        assert!(!w.contains('\n') && !w.contains('\u{1b}'), "{w}");
    }
}
