//! [`SecretBlock`]: the server's opaque `SECRET_BLOCK`, decoded like Amplify does.

use std::fmt;

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::{Field, SrpError};

/// The longest `SECRET_BLOCK` accepted, in characters (64 KiB). Cognito's are
/// well under 2 KiB; anything longer is refused before it is decoded.
pub const MAX_SECRET_BLOCK_LEN: usize = 64 * 1024;

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// `SECRET_BLOCK` as sent (it is echoed back verbatim as
/// `PASSWORD_CLAIM_SECRET_BLOCK`) and its decoded bytes (which are signed).
///
/// Accepted like Amplify: the standard or the URL-safe alphabet (not both
/// mixed), padding optional. `Debug` shows only the length.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretBlock {
    encoded: String,
    bytes: Vec<u8>,
}

impl SecretBlock {
    /// Decodes a `SECRET_BLOCK`.
    ///
    /// ```
    /// use cognito_srp_auth::SecretBlock;
    /// assert_eq!(SecretBlock::decode("3q2-7w")?.as_bytes(), [0xde, 0xad, 0xbe, 0xef]);
    /// assert_eq!(SecretBlock::decode("3q2+7w==")?.as_bytes(), [0xde, 0xad, 0xbe, 0xef]);
    /// assert!(SecretBlock::decode("3q2+7w-_").is_err());
    /// # Ok::<(), cognito_srp_auth::SrpError>(())
    /// ```
    pub fn decode(encoded: &str) -> Result<Self, SrpError> {
        let field = Field::SecretBlock;
        if encoded.is_empty() {
            return Err(SrpError::EmptyParameter(field));
        }
        if encoded.len() > MAX_SECRET_BLOCK_LEN {
            return Err(SrpError::ValueTooLong {
                field,
                len: encoded.len(),
                max: MAX_SECRET_BLOCK_LEN,
            });
        }
        let url_safe = encoded.contains(['-', '_']);
        let standard = encoded.contains(['+', '/']);
        let engine = match (url_safe, standard) {
            (true, true) => return Err(SrpError::InvalidBase64(field)),
            (true, false) => &URL_SAFE_LENIENT,
            (false, _) => &STANDARD_LENIENT,
        };
        let bytes = engine
            .decode(encoded)
            .map_err(|_| SrpError::InvalidBase64(field))?;
        if bytes.is_empty() {
            return Err(SrpError::InvalidBase64(field));
        }
        Ok(Self {
            encoded: encoded.to_owned(),
            bytes,
        })
    }

    /// Encodes `bytes` with the standard padded alphabet, as Cognito does.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        Self { encoded, bytes }
    }

    /// The text as received, returned as `PASSWORD_CLAIM_SECRET_BLOCK`.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// The decoded bytes, part of the signed message.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for SecretBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBlock([{} bytes])", self.bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_moto_uuid_and_cognito_padded_blocks() {
        let uuid = "3f1c2a9e-7b4d-4e8a-9c21-5d6f7a8b9c0d";
        assert_eq!(SecretBlock::decode(uuid).unwrap().as_bytes().len(), 27);
        assert_eq!(SecretBlock::decode("AAE=").unwrap().as_bytes(), [0, 1]);
        assert_eq!(SecretBlock::decode("AAE").unwrap().as_bytes(), [0, 1]);
    }

    #[test]
    fn refuses_what_is_not_base64() {
        let invalid = |text: &str| SecretBlock::decode(text).unwrap_err();
        assert_eq!(invalid(""), SrpError::EmptyParameter(Field::SecretBlock));
        for bad in ["A", "AB$D", "AB CD", "AB=D", "+-", "AAAAA"] {
            assert_eq!(
                invalid(bad),
                SrpError::InvalidBase64(Field::SecretBlock),
                "{bad:?}"
            );
        }
        let huge = "A".repeat(MAX_SECRET_BLOCK_LEN + 4);
        assert_eq!(invalid(&huge).name(), "value_too_long");
    }
}
