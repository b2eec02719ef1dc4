//! The client's one source of randomness: a factory making a generator for
//! each draw (the SRP ephemeral secret `a` of a login, new device
//! credentials), the operating system's CSPRNG by default.

use std::fmt;
use std::sync::Arc;

use rand_core::{TryCryptoRng, TryRng};

/// A generator failed; the draw reports [`SrpError::RandomnessUnavailable`](crate::SrpError::RandomnessUnavailable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RngFailure;

impl fmt::Display for RngFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("random number generator failed")
    }
}

impl std::error::Error for RngFailure {}

/// A generator with its error erased, so that any factory fits one type.
pub(super) type FlowRng = Box<dyn TryCryptoRng<Error = RngFailure> + Send>;

/// Makes a fresh generator for each draw.
pub(super) type RngFactory = Arc<dyn Fn() -> FlowRng + Send + Sync>;

/// Erases the error type of `R`.
struct Erased<R>(R);

impl<R: TryRng> TryRng for Erased<R> {
    type Error = RngFailure;

    fn try_next_u32(&mut self) -> Result<u32, RngFailure> {
        self.0.try_next_u32().map_err(|_| RngFailure)
    }

    fn try_next_u64(&mut self) -> Result<u64, RngFailure> {
        self.0.try_next_u64().map_err(|_| RngFailure)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), RngFailure> {
        self.0.try_fill_bytes(dst).map_err(|_| RngFailure)
    }
}

impl<R: TryCryptoRng> TryCryptoRng for Erased<R> {}

/// A factory over `factory`'s generators.
pub(super) fn factory<R, F>(factory: F) -> RngFactory
where
    R: TryCryptoRng + Send + 'static,
    F: Fn() -> R + Send + Sync + 'static,
{
    Arc::new(move || Box::new(Erased(factory())) as FlowRng)
}

/// The default: the operating system's CSPRNG.
pub(super) fn system() -> RngFactory {
    factory(|| getrandom::SysRng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_factory_fills_bytes() {
        let mut rng = system()();
        let mut bytes = [0u8; 32];
        assert!(rng.try_fill_bytes(&mut bytes).is_ok());
        assert!(bytes.iter().any(|&b| b != 0));
    }
}
