//! [`DeviceCredentials`]: what a remembered device must keep between logins.

use std::fmt;

use rand_core::TryCryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::challenge::checked_name;
use super::device_verifier::{DeviceSecretVerifierConfig, device_secret_verifier};
use crate::error::{Field, SrpError};
use crate::secret::Password;

/// A remembered device's credentials: `DeviceKey`, `DeviceGroupKey` and the
/// device's random password. The device password is as secret as the user's
/// password; the two keys are not.
///
/// Make them once, after a login whose `AuthenticationResult` carries
/// `NewDeviceMetadata`, with [`generate_with_rng`](Self::generate_with_rng)
/// (which also returns `ConfirmDevice`'s verifier), persist them, and hand them
/// to [`SrpClient::start_device_srp`](crate::SrpClient::start_device_srp) on
/// later logins.
///
/// `Debug` redacts the password; everything is zeroized on drop; there is no
/// `Display`.
///
/// # Serialisation
///
/// With the `wire` feature, `Serialize`/`Deserialize` (and the explicit
/// [`to_json`](Self::to_json)/[`from_json`](Self::from_json)) use exactly this
/// JSON object, every field a string:
///
/// ```json
/// {"device_key": "us-east-1_0b3f…", "device_group_key": "-Abc123xyz", "device_password": "base64 of 40 random bytes"}
/// ```
///
/// The device password is serialised **in clear on purpose**: whoever reads
/// the stored credentials can sign in as the device (skipping MFA for a
/// remembered device). Store them like a password: a file readable only by
/// the user (mode `0600`), a keychain, or a secrets manager. Reading accepts
/// only that object (fields in any order, unknown fields ignored, duplicates
/// refused), in a self-describing format (JSON, TOML, YAML, …), and validates
/// the device key as [`new`](Self::new) does. Errors never quote the password.
///
/// ```
/// use cognito_srp_auth::{DeviceCredentials, Password, SrpError, Field};
/// let (credentials, config) = DeviceCredentials::generate_with_rng(
///     "us-east-1_0b3f3c0e-6a5a-4b3c-9a7e-2f1d0c9b8a7e",
///     "-Abc123xyz",
///     &mut getrandom::SysRng,
/// )?;
/// assert_eq!(credentials.device_group_key(), "-Abc123xyz");
/// assert_eq!(credentials.device_password().expose_secret().len(), 56); // base64 of 40 bytes
/// assert!(!format!("{credentials:?}").contains(credentials.device_password().expose_secret()));
/// assert!(!config.salt().is_empty());
/// assert_eq!(
///     DeviceCredentials::new("", "-Abc123xyz", Password::new("pw")).err(),
///     Some(SrpError::EmptyParameter(Field::DeviceKey)),
/// );
/// # Ok::<(), SrpError>(())
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DeviceCredentials {
    device_key: String,
    device_group_key: String,
    device_password: Password,
}

impl DeviceCredentials {
    /// Credentials from their three parts (as `NewDeviceMetadata` gave them and
    /// as registered with `ConfirmDevice`).
    ///
    /// Refuses an empty device key, group key or password
    /// ([`SrpError::EmptyParameter`]), or a key over
    /// [`MAX_NAME_LEN`](crate::MAX_NAME_LEN) bytes ([`SrpError::ValueTooLong`]).
    pub fn new(
        device_key: impl Into<String>,
        device_group_key: impl Into<String>,
        device_password: Password,
    ) -> Result<Self, SrpError> {
        let device_key = device_key.into();
        let device_group_key = device_group_key.into();
        checked_name(Field::DeviceKey, &device_key)?;
        checked_name(Field::DeviceGroupKey, &device_group_key)?;
        if device_password.expose_secret().is_empty() {
            return Err(SrpError::EmptyParameter(Field::DevicePassword));
        }
        Ok(Self {
            device_key,
            device_group_key,
            device_password,
        })
    }

    /// New credentials for the device Cognito just named in
    /// `NewDeviceMetadata`, with the operating system's RNG. See
    /// [`generate_with_rng`](Self::generate_with_rng).
    pub fn generate(
        device_key: &str,
        device_group_key: &str,
    ) -> Result<(Self, DeviceSecretVerifierConfig), SrpError> {
        Self::generate_with_rng(device_key, device_group_key, &mut getrandom::SysRng)
    }

    /// New credentials for `NewDeviceMetadata`'s `DeviceKey` and
    /// `DeviceGroupKey`, and the `DeviceSecretVerifierConfig` to send with
    /// `ConfirmDevice`.
    ///
    /// Draws 40 bytes from `rng` for the password, then 16 for the salt (see
    /// [`device_secret_verifier`]). Persist the credentials only once
    /// `ConfirmDevice` has succeeded.
    pub fn generate_with_rng<R: TryCryptoRng + ?Sized>(
        device_key: &str,
        device_group_key: &str,
        rng: &mut R,
    ) -> Result<(Self, DeviceSecretVerifierConfig), SrpError> {
        checked_name(Field::DeviceKey, device_key)?;
        checked_name(Field::DeviceGroupKey, device_group_key)?;
        let (config, password) = device_secret_verifier(device_group_key, device_key, rng)?;
        Ok((Self::new(device_key, device_group_key, password)?, config))
    }

    /// `DeviceKey`: the user id of device SRP, sent as `DEVICE_KEY`.
    pub fn device_key(&self) -> &str {
        &self.device_key
    }

    /// `DeviceGroupKey`: the pool name of device SRP.
    pub fn device_group_key(&self) -> &str {
        &self.device_group_key
    }

    /// The device's random password (base64 of 40 random bytes).
    pub fn device_password(&self) -> &Password {
        &self.device_password
    }
}

impl fmt::Debug for DeviceCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCredentials")
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("device_password", &self.device_password)
            .finish()
    }
}

#[cfg(feature = "wire")]
mod persist {
    use std::fmt;

    use serde::de::{Error as _, IgnoredAny, MapAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use zeroize::Zeroizing;

    use super::DeviceCredentials;
    use crate::secret::Password;

    /// The stored shape, borrowed for writing.
    #[derive(Serialize)]
    struct StoredRef<'a> {
        device_key: &'a str,
        device_group_key: &'a str,
        device_password: &'a str,
    }

    impl Serialize for DeviceCredentials {
        /// Writes `{"device_key", "device_group_key", "device_password"}`,
        /// the password in clear (see the type's documentation).
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            StoredRef {
                device_key: &self.device_key,
                device_group_key: &self.device_group_key,
                device_password: self.device_password.expose_secret(),
            }
            .serialize(serializer)
        }
    }

    /// Reads only a map (a JSON object), never a sequence: the stored shape
    /// has named fields and no other form.
    struct StoredVisitor;

    impl<'de> Visitor<'de> for StoredVisitor {
        type Value = DeviceCredentials;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object with device_key, device_group_key and device_password")
        }

        /// A bare string could be the password itself: refuse it without
        /// echoing it (serde's default error quotes the value).
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<DeviceCredentials, E> {
            Err(E::custom(
                "invalid type: string, expected an object with device_key, device_group_key and device_password",
            ))
        }

        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<DeviceCredentials, M::Error> {
            let mut device_key: Option<String> = None;
            let mut device_group_key: Option<String> = None;
            let mut device_password: Option<Password> = None;
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "device_key" => set(&mut device_key, "device_key", map.next_value()?)?,
                    "device_group_key" => {
                        set(&mut device_group_key, "device_group_key", map.next_value()?)?;
                    }
                    "device_password" => {
                        let password = Password::new(map.next_value::<String>()?);
                        set(&mut device_password, "device_password", password)?;
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            DeviceCredentials::new(
                device_key.ok_or_else(|| M::Error::missing_field("device_key"))?,
                device_group_key.ok_or_else(|| M::Error::missing_field("device_group_key"))?,
                device_password.ok_or_else(|| M::Error::missing_field("device_password"))?,
            )
            .map_err(M::Error::custom)
        }
    }

    fn set<T, E: serde::de::Error>(
        slot: &mut Option<T>,
        name: &'static str,
        value: T,
    ) -> Result<(), E> {
        if slot.is_some() {
            return Err(E::duplicate_field(name));
        }
        *slot = Some(value);
        Ok(())
    }

    impl<'de> Deserialize<'de> for DeviceCredentials {
        /// Reads the object [`Serialize`] writes (any field order, unknown
        /// fields ignored, duplicates refused) and validates it as
        /// [`DeviceCredentials::new`] does. Needs a self-describing format
        /// (JSON, TOML, YAML, …).
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            // `deserialize_any` (not `deserialize_struct`) so that a bare string
            // reaches `visit_str` instead of being quoted in the format's error.
            deserializer.deserialize_any(StoredVisitor)
        }
    }

    impl DeviceCredentials {
        /// The credentials as the documented JSON object, password in clear:
        /// write it only where the user's password could be written too.
        pub fn to_json(&self) -> Result<Zeroizing<String>, serde_json::Error> {
            serde_json::to_string(self).map(Zeroizing::new)
        }

        /// Reads credentials written by [`to_json`](Self::to_json) (or by
        /// `Serialize` in any JSON serializer).
        pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
            serde_json::from_str(json)
        }
    }
}
