//! RFC 6238 TOTP computed independently of the pool's implementation
//! (SHA-1 comes with the `local-pool` feature).

use hmac::{KeyInit, Mac};

/// RFC 6238 TOTP (SHA-1, 30 s, 6 digits) of `secret_base32` at `unix`,
/// computed independently of the pool's implementation.
pub(crate) fn totp(secret_base32: &str, unix: i64) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut key, mut buffer, mut bits) = (Vec::new(), 0u32, 0);
    for c in secret_base32.bytes() {
        buffer = (buffer << 5) | alphabet.iter().position(|&a| a == c).unwrap() as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            key.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&((unix / 30) as u64).to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0xf) as usize;
    let code = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", code % 1_000_000)
}

/// Codes for successive sign-ins of one user, each from a later time step
/// than the last: the pool accepts a step once per user (RFC 6238 §5.2).
/// A code is taken from the earliest unused step the pool still accepts
/// (one step either side of now); when none is left, `next` waits for the
/// clock.
pub(crate) struct TotpSteps {
    secret_base32: String,
    last: std::sync::Mutex<Option<i64>>,
}

impl TotpSteps {
    pub(crate) fn new(secret_base32: &str) -> Self {
        Self {
            secret_base32: secret_base32.to_owned(),
            last: std::sync::Mutex::new(None),
        }
    }

    /// A code from a step not used yet.
    pub(crate) async fn next(&self) -> String {
        loop {
            let unix = chrono::Utc::now().timestamp();
            let (step, into) = (unix / 30, unix % 30);
            // The step before now only while it stays accepted for a while.
            let earliest = if into < 25 { step - 1 } else { step };
            let want = self
                .last
                .lock()
                .unwrap()
                .map_or(earliest, |last| (last + 1).max(earliest));
            if want <= step + 1 {
                *self.last.lock().unwrap() = Some(want);
                return totp(&self.secret_base32, want * 30);
            }
            // `want` is accepted once the clock is in the step before it.
            let wait = (want - 1) * 30 - unix;
            tokio::time::sleep(std::time::Duration::from_millis(
                u64::try_from(wait).unwrap_or(0) * 1000 + 200,
            ))
            .await;
        }
    }
}
