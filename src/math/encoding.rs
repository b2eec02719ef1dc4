//! Byte and text encodings of integers: Java `BigInteger.toByteArray()` padding
//! and the signed hexadecimal Cognito sends for `SRP_B` and `SALT`.

use num_bigint::{BigInt, Sign};
use zeroize::Zeroizing;

/// Minimal big-endian two's-complement bytes of `v`, exactly Java's
/// `BigInteger.toByteArray()`: `0 → 00`, `128 → 00 80`, `−128 → 80`.
///
/// Every "‖" of integers in Cognito's SRP concatenates these bytes. Public
/// only with the `hazmat` feature; users have [`SrpInteger::pad`](super::SrpInteger::pad).
pub fn pad(v: &BigInt) -> Vec<u8> {
    v.to_signed_bytes_be()
}

/// [`pad`] of a non-negative secret integer given as fixed-width big-endian
/// bytes (`S` as 384 bytes), straight into a zeroizing buffer: leading zero
/// bytes skipped, `00` prepended when the top bit is then set, `00` for zero.
///
/// No secret enters num-bigint, and nothing but the output's length (which
/// the protocol reveals anyway: it is the HKDF input) depends on the value:
/// the scan for the first non-zero byte reads every byte and has no branch.
pub(crate) fn pad_secret(be: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut leading_zeros = 0usize;
    let mut seen = 0u8; // 1 once a non-zero byte has been read
    let mut first = 0u8; // the first non-zero byte
    for &byte in be {
        let non_zero = ((u16::from(byte) + 0xff) >> 8) as u8; // 1 iff byte != 0
        let is_first = non_zero & !seen & 1;
        first |= byte & 0u8.wrapping_sub(is_first);
        seen |= non_zero;
        leading_zeros += usize::from(1 - seen);
    }
    // The length of the output is public from here on (the protocol reveals
    // it as the HKDF input's length), and these two give it.
    let leading_zeros = crate::ct_check::declassify_value(leading_zeros);
    let sign_byte = crate::ct_check::declassify_value(usize::from(first >> 7));
    let significant = &be[leading_zeros..];
    let mut out = Zeroizing::new(Vec::with_capacity(significant.len() + 1));
    if significant.is_empty() || sign_byte == 1 {
        out.push(0);
    }
    out.extend_from_slice(significant);
    out
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
    fn pad_secret_is_pad_of_the_non_negative_value() {
        let cases: [&[u8]; 8] = [
            &[],
            &[0, 0, 0],
            &[0, 0, 1],
            &[0, 0x7f, 0xff],
            &[0, 0x80, 0],
            &[0xff; 4],
            &[0x01, 0, 0, 0],
            &[0, 0, 0, 0x80],
        ];
        for bytes in cases {
            let value = BigInt::from_bytes_be(Sign::Plus, bytes);
            assert_eq!(*pad_secret(bytes), pad(&value), "{bytes:02x?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn pad_secret_matches_pad_on_384_byte_values(
            zeros in 0usize..=384,
            tail in proptest::collection::vec(proptest::num::u8::ANY, 384),
        ) {
            let mut bytes = tail;
            bytes[..zeros].fill(0);
            let value = BigInt::from_bytes_be(Sign::Plus, &bytes);
            proptest::prop_assert_eq!(pad_secret(&bytes).to_vec(), pad(&value));
        }
    }

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
