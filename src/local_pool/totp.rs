//! RFC 6238 TOTP (HMAC-SHA1, 30-second steps, six digits), as Cognito's
//! `SOFTWARE_TOKEN_MFA`, and the RFC 4648 base32 of its `SecretCode`.

use std::fmt;

use hmac::{KeyInit, Mac};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

type HmacSha1 = hmac::Hmac<sha1::Sha1>;

/// Seconds per TOTP step.
pub(super) const STEP_SECONDS: i64 = 30;

/// Steps either side of the current one that are also accepted (clock drift).
pub(super) const DRIFT_STEPS: i64 = 1;

/// Bytes of a new secret (Cognito's `SecretCode` is 52 base32 characters).
pub(super) const SECRET_BYTES: usize = 32;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A TOTP secret key. Zeroized on drop; `Debug` prints `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Zeroizing<Vec<u8>>);

impl TotpSecret {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self(Zeroizing::new(bytes.to_vec()))
    }

    /// Parses base32 (either case, padding and spaces ignored). `None` when
    /// the text is not base32 or empty.
    pub fn from_base32(text: &str) -> Option<Self> {
        let mut out = Zeroizing::new(Vec::with_capacity(text.len() * 5 / 8));
        let (mut buffer, mut bits) = (0u64, 0u32);
        for c in text.bytes().filter(|c| *c != b'=' && *c != b' ') {
            let value = BASE32.iter().position(|&b| b == c.to_ascii_uppercase())? as u64;
            buffer = (buffer << 5) | value;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        (!out.is_empty()).then_some(Self(out))
    }

    /// Base32 without padding, as `AssociateSoftwareToken` returns it. Do not
    /// log or print what this returns.
    pub fn expose_base32(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(self.0.len() * 8 / 5 + 1));
        let (mut buffer, mut bits) = (0u64, 0u32);
        for &byte in self.0.iter() {
            buffer = (buffer << 8) | u64::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
            }
            buffer &= (1 << bits) - 1;
        }
        if bits > 0 {
            out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
        }
        out
    }

    /// The six-digit code for the step containing `unix_seconds`.
    pub fn code_at(&self, unix_seconds: i64) -> Zeroizing<String> {
        self.code_for_counter(unix_seconds.div_euclid(STEP_SECONDS))
    }

    fn code_for_counter(&self, counter: i64) -> Zeroizing<String> {
        let mut mac = match HmacSha1::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => <HmacSha1 as KeyInit>::new(&Default::default()),
        };
        mac.update(&counter.to_be_bytes());
        let digest = Zeroizing::new(mac.finalize().into_bytes().to_vec());
        let offset = usize::from(digest[19] & 0x0f);
        let binary = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        Zeroizing::new(format!("{:06}", binary % 1_000_000))
    }

    /// Whether `code` is right at `unix_seconds`, allowing one 30-second step
    /// either way; each candidate is compared in constant time.
    pub fn verify(&self, code: &str, unix_seconds: i64) -> bool {
        self.accepted_step(code, unix_seconds, None).is_some()
    }

    /// The time step (`unix / 30`) `code` is right for at `unix_seconds`,
    /// allowing one step either way, and later than `after` (the last step
    /// accepted: RFC 6238 §5.2, a code is accepted once); the latest if
    /// several match. Every candidate is computed and compared in constant
    /// time.
    pub(crate) fn accepted_step(
        &self,
        code: &str,
        unix_seconds: i64,
        after: Option<i64>,
    ) -> Option<i64> {
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let counter = unix_seconds.div_euclid(STEP_SECONDS);
        let mut accepted = None;
        for delta in -DRIFT_STEPS..=DRIFT_STEPS {
            let step = counter + delta;
            let candidate = self.code_for_counter(step);
            let right = bool::from(candidate.as_bytes().ct_eq(code.as_bytes()));
            if right && after.is_none_or(|last| step > last) {
                accepted = Some(step);
            }
        }
        accepted
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        // RFC 6238 Appendix B, SHA-1 key "12345678901234567890", last 6 digits.
        let secret = TotpSecret::from_bytes(b"12345678901234567890");
        for (time, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1111111111, "050471"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            assert_eq!(secret.code_at(time).as_str(), code, "t={time}");
            assert!(secret.verify(code, time + 30));
            assert!(!secret.verify(code, time + 90));
        }
    }

    #[test]
    fn a_step_is_accepted_once() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890");
        let now = 1111111111;
        let step = now / STEP_SECONDS;
        let code = secret.code_at(now);
        assert_eq!(secret.accepted_step(&code, now, None), Some(step));
        assert_eq!(secret.accepted_step(&code, now, Some(step - 1)), Some(step));
        assert_eq!(
            secret.accepted_step(&code, now, Some(step)),
            None,
            "replayed"
        );
        // The next step's code (clock drift) after this one, but then not this one.
        let next = secret.code_at(now + STEP_SECONDS);
        assert_eq!(secret.accepted_step(&next, now, Some(step)), Some(step + 1));
        assert_eq!(secret.accepted_step(&code, now, Some(step + 1)), None);
        assert_eq!(secret.accepted_step("12345", now, None), None);
    }

    #[test]
    fn base32_round_trip() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890");
        let text = secret.expose_base32();
        assert_eq!(text.as_str(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(TotpSecret::from_base32(&text.to_lowercase()), Some(secret));
        assert_eq!(TotpSecret::from_base32("1!"), None);
        assert_eq!(
            TotpSecret::from_bytes(&[0xff; 32]).expose_base32().len(),
            52
        );
    }
}
