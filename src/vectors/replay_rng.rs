//! [`ReplayRng`]: a "random" generator that replays fixed bytes, for vectors and tests.

use std::fmt;

use rand_core::{TryCryptoRng, TryRng};

/// Hands out the given bytes in order, then fails with [`ReplayExhausted`].
///
/// Lets a test fix the randomness a function consumes (device verifier vectors
/// give the 40 password bytes and 16 salt bytes). Never use it outside tests:
/// it marks itself as a CSPRNG only so that the core's functions accept it.
pub struct ReplayRng {
    bytes: Vec<u8>,
    position: usize,
}

impl ReplayRng {
    /// A generator that will hand out `bytes`.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self { bytes, position: 0 }
    }

    /// Bytes not yet handed out.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.position
    }
}

impl fmt::Debug for ReplayRng {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReplayRng({} bytes left)", self.remaining())
    }
}

/// [`ReplayRng`] was asked for more bytes than it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the replayed randomness is exhausted")]
pub struct ReplayExhausted;

impl TryRng for ReplayRng {
    type Error = ReplayExhausted;

    fn try_next_u32(&mut self) -> Result<u32, ReplayExhausted> {
        let mut word = [0u8; 4];
        self.try_fill_bytes(&mut word)?;
        Ok(u32::from_le_bytes(word))
    }

    fn try_next_u64(&mut self) -> Result<u64, ReplayExhausted> {
        let mut word = [0u8; 8];
        self.try_fill_bytes(&mut word)?;
        Ok(u64::from_le_bytes(word))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), ReplayExhausted> {
        let end = self.position + dst.len();
        let source = self.bytes.get(self.position..end).ok_or(ReplayExhausted)?;
        dst.copy_from_slice(source);
        self.position = end;
        Ok(())
    }
}

impl TryCryptoRng for ReplayRng {}
