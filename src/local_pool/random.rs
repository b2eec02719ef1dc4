//! Randomness of the pool: ids, salts, secret blocks, session strings, codes.
//! Everything comes from the operating system's CSPRNG.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use zeroize::Zeroizing;

use super::error::ErrorReply;

/// `n` random bytes, zeroized on drop.
pub(crate) fn bytes(n: usize) -> Result<Zeroizing<Vec<u8>>, ErrorReply> {
    let mut buffer = Zeroizing::new(vec![0u8; n]);
    getrandom::fill(buffer.as_mut_slice()).map_err(|_| ErrorReply::internal())?;
    Ok(buffer)
}

/// Standard padded base64 of `n` random bytes (Cognito's `SECRET_BLOCK`, `Session`).
pub(crate) fn base64_token(n: usize) -> Result<String, ErrorReply> {
    Ok(STANDARD.encode(bytes(n)?.as_slice()))
}

/// URL-safe base64 of `n` random bytes (key ids, token ids).
pub(crate) fn url_token(n: usize) -> Result<String, ErrorReply> {
    Ok(URL_SAFE_NO_PAD.encode(bytes(n)?.as_slice()))
}

/// A random version-4 UUID, lowercase (a user's `sub`).
pub(crate) fn uuid_v4() -> Result<String, ErrorReply> {
    let mut b = [0u8; 16];
    b.copy_from_slice(&bytes(16)?);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// `len` random characters from `alphabet` (rejection sampling, no bias).
pub(crate) fn string_from(alphabet: &[u8], len: usize) -> Result<String, ErrorReply> {
    let limit = 256 - (256 % alphabet.len().max(1));
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for &byte in bytes(len * 2)?.iter() {
            if (byte as usize) < limit && out.len() < len {
                out.push(char::from(alphabet[byte as usize % alphabet.len()]));
            }
        }
    }
    Ok(out)
}

/// A six-digit code (SMS MFA).
pub(crate) fn digits(len: usize) -> Result<Zeroizing<String>, ErrorReply> {
    Ok(Zeroizing::new(string_from(b"0123456789", len)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape_and_alphabet() {
        let id = uuid_v4().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        let s = string_from(b"ab", 50).unwrap();
        assert!(s.len() == 50 && s.bytes().all(|c| c == b'a' || c == b'b'));
    }
}
