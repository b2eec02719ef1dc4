//! Arbitrary strings → `SecretBlock::decode`.
//!
//! Invariants: no panic; over `MAX_SECRET_BLOCK_LEN` characters is refused
//! before decoding; an accepted block keeps its text verbatim, decodes to
//! at least one byte, uses one alphabet only, and its bytes re-encoded in
//! the detected alphabet (padded or not) decode to the same bytes;
//! `SecretBlock::from_bytes` round-trips.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use cognito_srp_auth::SecretBlock;
use cognito_srp_auth::MAX_SECRET_BLOCK_LEN;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Also try the text stretched past the length bound (cheaply: the bound
    // must be checked before any decoding work).
    let result = SecretBlock::decode(&text);
    if text.len() > MAX_SECRET_BLOCK_LEN {
        assert!(result.is_err());
    }
    if !text.is_empty() && data.len() < 64 {
        let long = text.repeat(MAX_SECRET_BLOCK_LEN / text.len() + 1);
        assert!(long.len() > MAX_SECRET_BLOCK_LEN);
        assert!(
            SecretBlock::decode(&long).is_err(),
            "accepted {} chars",
            long.len()
        );
    }
    let Ok(block) = result else { return };
    assert_eq!(block.as_str(), text.as_ref());
    let bytes = block.as_bytes();
    assert!(!bytes.is_empty());
    let url_safe = text.contains(['-', '_']);
    let standard = text.contains(['+', '/']);
    assert!(
        !(url_safe && standard),
        "mixed alphabets accepted: {text:?}"
    );
    let engines = if url_safe {
        [URL_SAFE, URL_SAFE_NO_PAD]
    } else {
        [STANDARD, STANDARD_NO_PAD]
    };
    for engine in engines {
        let again = engine.encode(bytes);
        let decoded = SecretBlock::decode(&again).expect("re-encoded block decodes");
        assert_eq!(decoded.as_bytes(), bytes);
    }
    let canonical = SecretBlock::from_bytes(bytes.to_vec());
    assert_eq!(canonical.as_bytes(), bytes);
    assert_eq!(
        SecretBlock::decode(canonical.as_str())
            .expect("canonical")
            .as_bytes(),
        bytes
    );
});
