//! `SECRET_HASH` for app clients that have a secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use super::ids::ClientId;
use crate::secret::ClientSecret;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// `SECRET_HASH = base64(HMAC-SHA256(key = client_secret, msg = username ‖ client_id))`.
///
/// On `RespondToAuthChallenge` the `username` is the internal one
/// (`USER_ID_FOR_SRP` / the challenge's `USERNAME`), not the alias typed at sign-in.
///
/// ```
/// use cognito_srp_auth::{ClientId, ClientSecret, secret_hash};
/// let hash = secret_hash(&ClientSecret::new("clientSecret"), "test123", &ClientId::new("abd")?);
/// assert_eq!(hash, "LoIX/oPJWZzFYv8liJYRo+CHv16FNDY10JlZEDjL3Vg=");
/// # Ok::<(), cognito_srp_auth::SrpError>(())
/// ```
pub fn secret_hash(client_secret: &ClientSecret, username: &str, client_id: &ClientId) -> String {
    let mut mac = hmac_sha256(client_secret.expose_secret().as_bytes());
    mac.update(username.as_bytes());
    mac.update(client_id.as_str().as_bytes());
    let mut hash = mac.finalize().into_bytes();
    // SECRET_HASH is sent: public from here on.
    crate::ct_check::declassify(hash.as_mut_slice());
    STANDARD.encode(hash)
}

/// SHA-256's block: the length HMAC brings every key to.
const BLOCK: usize = 64;

/// HMAC-SHA256 keyed with `key`, of any length.
///
/// The key is first brought to SHA-256's 64-byte block as RFC 2104 §2 defines
/// it (hashed when longer than a block, then zero-padded), in a buffer that is
/// wiped, so the constructor is the infallible `KeyInit::new`: there is no
/// error path, hence no fallback key an impossible error could select.
pub(crate) fn hmac_sha256(key: &[u8]) -> HmacSha256 {
    let mut block = Zeroizing::new([0u8; BLOCK]);
    if key.len() > BLOCK {
        let hashed: &mut [u8; 32] = &mut [0u8; 32];
        let mut hash = Sha256::new();
        hash.update(key);
        hash.finalize_into(hashed.into());
        block[..32].copy_from_slice(hashed);
        hashed.zeroize();
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let block: &[u8; BLOCK] = &block;
    <HmacSha256 as KeyInit>::new(block.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The block-size key gives the same MAC as the crate's own key
        /// handling, for keys shorter than, equal to and longer than a block.
        #[test]
        fn block_key_matches_new_from_slice(
            key in prop::collection::vec(any::<u8>(), 0..200),
            message in prop::collection::vec(any::<u8>(), 0..100),
        ) {
            let mut ours = hmac_sha256(&key);
            let mut theirs = HmacSha256::new_from_slice(&key).unwrap();
            ours.update(&message);
            theirs.update(&message);
            prop_assert_eq!(ours.finalize().into_bytes(), theirs.finalize().into_bytes());
        }
    }

    /// RFC 4231 test case 6: a 131-byte key (longer than the block).
    #[test]
    fn rfc4231_long_key() {
        let mut mac = hmac_sha256(&[0xaa; 131]);
        mac.update(b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
