//! ConfirmDevice's `DeviceSecretVerifierConfig` for a remembered device.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use base64ct::{Base64, Encoding};
use rand_core::TryCryptoRng;
use zeroize::Zeroizing;

use super::steps;
use crate::error::SrpError;
use crate::math::{SrpInteger, backend};
use crate::secret::Password;

/// Random bytes in a device password (its base64 is the password).
pub const DEVICE_PASSWORD_BYTES: usize = 40;
/// Random bytes in a device salt (before `pad`, so the salt is 15 to 17 bytes).
pub const DEVICE_SALT_BYTES: usize = 16;

/// What `ConfirmDevice` registers: `PasswordVerifier = base64(pad(g^x mod N))`
/// and `Salt = base64(pad(salt))`. Both are public.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceSecretVerifierConfig {
    password_verifier: String,
    salt: String,
}

impl DeviceSecretVerifierConfig {
    /// `PasswordVerifier`, base64.
    pub fn password_verifier(&self) -> &str {
        &self.password_verifier
    }

    /// `Salt`, base64 of the padded salt bytes.
    pub fn salt(&self) -> &str {
        &self.salt
    }
}

impl fmt::Debug for DeviceSecretVerifierConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceSecretVerifierConfig")
            .field("password_verifier", &self.password_verifier)
            .field("salt", &self.salt)
            .finish()
    }
}

/// Makes a device password and its verifier for `(device_group_key, device_key)`.
///
/// Randomness is consumed in this order: 40 bytes for the password
/// (`base64` of them is the password), then 16 bytes for the salt, which is
/// registered as `pad(int(bytes))` so the server re-derives identical bytes.
pub fn device_secret_verifier<R: TryCryptoRng + ?Sized>(
    device_group_key: &str,
    device_key: &str,
    rng: &mut R,
) -> Result<(DeviceSecretVerifierConfig, Password), SrpError> {
    let mut password_bytes = Zeroizing::new([0u8; DEVICE_PASSWORD_BYTES]);
    let mut salt_bytes = [0u8; DEVICE_SALT_BYTES];
    rng.try_fill_bytes(password_bytes.as_mut_slice())
        .map_err(|_| SrpError::RandomnessUnavailable)?;
    rng.try_fill_bytes(&mut salt_bytes)
        .map_err(|_| SrpError::RandomnessUnavailable)?;
    // The password is secret: encoded in constant time (no table lookup or
    // branch on its bytes). The salt and the verifier are sent to Cognito.
    let password = Password::new(Base64::encode_string(password_bytes.as_slice()));
    crate::ct_check::declassify(&mut salt_bytes);
    let salt = SrpInteger::from_be_bytes(&salt_bytes);
    let x = steps::private_key(&salt, device_group_key, device_key, &password);
    let mut verifier = backend::pow_g(x.expose_be_bytes()).to_be_bytes();
    crate::ct_check::declassify(&mut verifier);
    let verifier = SrpInteger::from_be_bytes(&verifier);
    let config = DeviceSecretVerifierConfig {
        password_verifier: STANDARD.encode(verifier.pad()),
        salt: STANDARD.encode(salt.pad()),
    };
    Ok((config, password))
}
