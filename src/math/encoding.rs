//! Byte and text encodings of integers: Java `BigInteger.toByteArray()` padding
//! and the signed hexadecimal Cognito sends for `SRP_B` and `SALT`.

use num_bigint::{BigInt, Sign};

/// Minimal big-endian two's-complement bytes of `v`, exactly Java's
/// `BigInteger.toByteArray()`: `0 → 00`, `128 → 00 80`, `−128 → 80`.
///
/// Every "‖" of integers in Cognito's SRP concatenates these bytes. Public
/// only with the `hazmat` feature; users have [`SrpInteger::pad`](super::SrpInteger::pad).
pub fn pad(v: &BigInt) -> Vec<u8> {
    v.to_signed_bytes_be()
}

/// Why a string is not signed hexadecimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HexProblem {
    /// No digits at all (`""` or a lone `-`).
    Empty,
    /// A character other than `0-9a-fA-F` after the optional `-`.
    NotHex,
}

/// Parses Cognito's signed hexadecimal: an optional leading `-`, then one or more
/// hex digits in either case; odd length and leading zeros allowed (Java's
/// `new BigInteger(s, 16)` and `BigInteger.toString(16)`).
///
/// Returns `None` for anything else (empty, a lone `-`, `+`, spaces, `0x`).
/// Public only with the `hazmat` feature; users have
/// [`SrpInteger::from_signed_hex`](super::SrpInteger::from_signed_hex).
#[cfg_attr(not(feature = "hazmat"), allow(dead_code))]
pub fn parse_signed_hex(text: &str) -> Option<BigInt> {
    parse_signed_hex_checked(text).ok()
}

pub(crate) fn parse_signed_hex_checked(text: &str) -> Result<BigInt, HexProblem> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() {
        return Err(HexProblem::Empty);
    }
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(HexProblem::NotHex);
    }
    let magnitude =
        num_bigint::BigUint::parse_bytes(digits.as_bytes(), 16).ok_or(HexProblem::NotHex)?;
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    Ok(BigInt::from_biguint(sign, magnitude))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_matches_java_to_byte_array() {
        let cases: [(i64, &[u8]); 9] = [
            (0, &[0x00]),
            (-128, &[0x80]),
            (1, &[0x01]),
            (127, &[0x7f]),
            (128, &[0x00, 0x80]),
            (255, &[0x00, 0xff]),
            (256, &[0x01, 0x00]),
            (-1, &[0xff]),
            (-129, &[0xff, 0x7f]),
        ];
        for (value, bytes) in cases {
            assert_eq!(pad(&BigInt::from(value)), bytes, "pad({value})");
        }
    }

    #[test]
    fn signed_hex_rejects_what_java_would_not_send() {
        for bad in ["", "-", "+1", " 1", "1 ", "0x1", "g", "--1", "1-"] {
            assert_eq!(parse_signed_hex(bad), None, "{bad:?}");
        }
        assert_eq!(parse_signed_hex("0x10"), None);
        assert_eq!(parse_signed_hex("-80"), Some(BigInt::from(-128)));
        assert_eq!(parse_signed_hex("00aB"), Some(BigInt::from(0xab)));
        assert_eq!(parse_signed_hex("-0"), Some(BigInt::from(0)));
        assert_eq!(parse_signed_hex("FfF"), Some(BigInt::from(0xfff)));
    }
}
