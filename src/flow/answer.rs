//! [`ChallengeAnswer`]: what the caller answers a [`Challenge`](super::Challenge) with.

use std::collections::BTreeMap;
use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::challenge::MfaType;
use super::first_factor::FirstFactor;
use crate::secret::Password;
use crate::srp::DeviceCredentials;

/// A code or answer the user typed (an MFA code, a custom-challenge answer):
/// zeroized on drop, `[redacted]` in `Debug`, compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretAnswer(String);

impl PartialEq for SecretAnswer {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for SecretAnswer {}

impl SecretAnswer {
    /// Wraps a code or answer.
    pub fn new(answer: impl Into<String>) -> Self {
        Self(answer.into())
    }

    /// The answer itself. Do not log, print or store what this returns.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SecretAnswer {
    fn from(answer: &str) -> Self {
        Self::new(answer)
    }
}

impl From<String> for SecretAnswer {
    fn from(answer: String) -> Self {
        Self::new(answer)
    }
}

impl fmt::Debug for SecretAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretAnswer([redacted])")
    }
}

/// An answer to a challenge. `USERNAME` (the internal one), `SECRET_HASH`
/// (computed with it) and the `Session` are added by the client.
#[derive(Clone)]
#[non_exhaustive]
pub enum ChallengeAnswer {
    /// `NEW_PASSWORD_REQUIRED`: the new password and attributes to set
    /// (names without the `userAttributes.` prefix).
    NewPassword {
        /// The new password.
        new_password: Password,
        /// Required (or changed) attributes.
        attributes: BTreeMap<String, String>,
    },
    /// `SMS_MFA`, `SOFTWARE_TOKEN_MFA` or `EMAIL_OTP`: the code.
    Code(SecretAnswer),
    /// `SELECT_MFA_TYPE`: the chosen factor.
    SelectMfaType(MfaType),
    /// `CUSTOM_CHALLENGE`: the `ANSWER`.
    Custom(SecretAnswer),
    /// `SELECT_CHALLENGE` (`USER_AUTH`): the first factor chosen. With
    /// [`FirstFactor::PasswordSrp`] the client also answers the
    /// `PASSWORD_VERIFIER` that follows.
    Select(FirstFactor),
    /// `WEB_AUTHN`: the authenticator's `AuthenticationResponseJSON`, as JSON
    /// text (sent as `CREDENTIAL`).
    WebAuthnCredential(String),
    /// `DEVICE_SRP_AUTH`: the remembered device's credentials; the client
    /// answers `DEVICE_SRP_AUTH` and `DEVICE_PASSWORD_VERIFIER` with them.
    Device(DeviceCredentials),
    /// Any challenge: raw `ChallengeResponses` (for challenges this crate does
    /// not type). `USERNAME` and `SECRET_HASH` are added when absent.
    Responses(BTreeMap<String, String>),
}

impl ChallengeAnswer {
    /// A new password without attributes.
    pub fn new_password(new_password: Password) -> Self {
        Self::NewPassword {
            new_password,
            attributes: BTreeMap::new(),
        }
    }

    /// An MFA code.
    pub fn code(code: impl Into<SecretAnswer>) -> Self {
        Self::Code(code.into())
    }
}

impl fmt::Debug for ChallengeAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NewPassword { attributes, .. } => f
                .debug_struct("NewPassword")
                .field("new_password", &"[redacted]")
                .field("attribute_names", &attributes.keys().collect::<Vec<_>>())
                .finish(),
            Self::Code(_) => f.write_str("Code([redacted])"),
            Self::SelectMfaType(t) => f.debug_tuple("SelectMfaType").field(t).finish(),
            Self::Custom(_) => f.write_str("Custom([redacted])"),
            Self::Select(factor) => f.debug_tuple("Select").field(factor).finish(),
            Self::WebAuthnCredential(_) => f.write_str("WebAuthnCredential([redacted])"),
            Self::Device(credentials) => f.debug_tuple("Device").field(credentials).finish(),
            Self::Responses(map) => f
                .debug_tuple("Responses")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}
