//! `SECRET_HASH` for app clients that have a secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};

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
    STANDARD.encode(mac.finalize().into_bytes())
}

/// HMAC-SHA256 keyed with `key` (HMAC takes keys of any length).
pub(crate) fn hmac_sha256(key: &[u8]) -> HmacSha256 {
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        // Unreachable: HMAC accepts every key length.
        Err(_) => <HmacSha256 as KeyInit>::new(&Default::default()),
    }
}
