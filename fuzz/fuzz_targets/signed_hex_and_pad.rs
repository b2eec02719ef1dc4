//! Arbitrary strings → `math::parse_signed_hex` / `SrpInteger::from_signed_hex`,
//! and the round trips of `pad` and `to_hex`.
//!
//! Invariants: the two parsers agree; a string is accepted exactly when it
//! is an optional `-` then one or more ASCII hex digits; the value equals an
//! independent digit-by-digit parse; `BigInt::from_signed_bytes_be(pad(v)) == v`
//! and `pad(v)` is minimal (Java `toByteArray()`); `to_hex` re-parses to `v`
//! and has no leading zero; `is_zero_mod_n` agrees with `v mod N`.
#![no_main]

use cognito_srp_auth::math::SrpInteger;
use cognito_srp_auth::math::{n, pad, parse_signed_hex};
use libfuzzer_sys::fuzz_target;
use num_bigint::{BigInt, Sign};

fn reference(text: &str) -> Option<BigInt> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value = BigInt::from(0);
    for c in digits.chars() {
        let d = c.to_digit(16)?;
        if !c.is_ascii() {
            return None;
        }
        value = value * 16 + d;
    }
    Some(if negative { -value } else { value })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Bound the quadratic reference parse; the crate's parser sees it all.
    let parsed = parse_signed_hex(&text);
    let integer = SrpInteger::from_signed_hex(&text);
    assert_eq!(parsed.as_ref(), integer.as_ref().map(SrpInteger::as_bigint));
    if text.len() <= 4096 {
        assert_eq!(parsed, reference(&text), "{text:?}");
    }
    let Some(value) = parsed else { return };
    let integer = integer.expect("agreed above");

    // pad: two's complement, minimal, round-trips.
    let bytes = pad(&value);
    assert_eq!(bytes, integer.pad());
    assert!(!bytes.is_empty());
    assert_eq!(BigInt::from_signed_bytes_be(&bytes), value);
    if bytes.len() > 1 {
        // Minimal: the first byte is not a redundant sign extension.
        let redundant = (bytes[0] == 0x00 && bytes[1] & 0x80 == 0)
            || (bytes[0] == 0xff && bytes[1] & 0x80 != 0);
        assert!(!redundant, "pad is not minimal: {bytes:02x?}");
    }

    // to_hex: canonical, re-parses to the same value.
    let hex = integer.to_hex();
    assert_eq!(parse_signed_hex(&hex).as_ref(), Some(&value));
    let digits = hex.strip_prefix('-').unwrap_or(&hex);
    assert!(digits == "0" || !digits.starts_with('0'), "{hex}");
    assert!(!digits.bytes().any(|b| b.is_ascii_uppercase()));
    assert_eq!(SrpInteger::from_signed_hex(&hex).as_ref(), Some(&integer));

    // is_zero_mod_n agrees with an independent reduction.
    let modulus = BigInt::from_biguint(Sign::Plus, n().clone());
    assert_eq!(
        integer.is_zero_mod_n(),
        (&value % &modulus) == BigInt::from(0)
    );
    assert_eq!(integer.is_zero(), value == BigInt::from(0));
});
