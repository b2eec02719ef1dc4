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
