//! `AssociateSoftwareToken` and `VerifySoftwareToken` (TOTP MFA setup).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::redact::Presence;

/// The body of `AssociateSoftwareToken`: either an access token or a `Session`
/// from an `MFA_SETUP` challenge.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AssociateSoftwareTokenRequest {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// `Session`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

impl AssociateSoftwareTokenRequest {
    /// Associates a TOTP secret with the signed-in user of `access_token`.
    pub fn with_access_token(access_token: impl Into<String>) -> Self {
        Self {
            access_token: Some(access_token.into()),
            session: None,
        }
    }

    /// Associates a TOTP secret during sign-in (`MFA_SETUP`), in its `session`.
    pub fn with_session(session: impl Into<String>) -> Self {
        Self {
            access_token: None,
            session: Some(session.into()),
        }
    }
}

impl fmt::Debug for AssociateSoftwareTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssociateSoftwareTokenRequest")
            .field("access_token", &Presence(&self.access_token))
            .field("session", &Presence(&self.session))
            .finish()
    }
}

/// The response of `AssociateSoftwareToken`: the TOTP secret (base32).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AssociateSoftwareTokenResponse {
    /// `SecretCode`, base32.
    pub secret_code: Option<String>,
    /// `Session`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

impl fmt::Debug for AssociateSoftwareTokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssociateSoftwareTokenResponse")
            .field("secret_code", &Presence(&self.secret_code))
            .field("session", &Presence(&self.session))
            .finish()
    }
}

/// The body of `VerifySoftwareToken`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct VerifySoftwareTokenRequest {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// `FriendlyDeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<String>,
    /// `Session`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// `UserCode`: the current TOTP code.
    pub user_code: String,
}

impl VerifySoftwareTokenRequest {
    /// Verifies `user_code` for the signed-in user of `access_token`.
    pub fn with_access_token(
        access_token: impl Into<String>,
        user_code: impl Into<String>,
    ) -> Self {
        Self {
            access_token: Some(access_token.into()),
            user_code: user_code.into(),
            ..Self::default()
        }
    }

    /// Verifies `user_code` during sign-in (`MFA_SETUP`), in its `session`.
    pub fn with_session(session: impl Into<String>, user_code: impl Into<String>) -> Self {
        Self {
            session: Some(session.into()),
            user_code: user_code.into(),
            ..Self::default()
        }
    }
}

impl fmt::Debug for VerifySoftwareTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifySoftwareTokenRequest")
            .field("access_token", &Presence(&self.access_token))
            .field("session", &Presence(&self.session))
            .field("user_code", &"[redacted]")
            .field("friendly_device_name", &self.friendly_device_name)
            .finish()
    }
}

/// `Status` of `VerifySoftwareToken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerifySoftwareTokenStatus {
    /// The code was right; the TOTP secret is associated.
    Success,
    /// The code was wrong.
    Error,
}

/// The response of `VerifySoftwareToken`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct VerifySoftwareTokenResponse {
    /// `Status`.
    pub status: Option<VerifySoftwareTokenStatus>,
    /// `Session`, to continue the sign-in (`MFA_SETUP`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

impl fmt::Debug for VerifySoftwareTokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifySoftwareTokenResponse")
            .field("status", &self.status)
            .field("session", &Presence(&self.session))
            .finish()
    }
}
