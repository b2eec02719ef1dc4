//! The token life cycle after sign-in: `GetTokensFromRefreshToken`,
//! `RevokeToken`, `GlobalSignOut` and `GetUser`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParameterMap;
use super::admin::{AttributeType, MfaOptionType};
use super::auth::AuthenticationResult;
use super::redact::{KeysOnly, Presence};

/// The body of `GetTokensFromRefreshToken`: new ID and access tokens (and, on
/// an app client with refresh-token rotation, a new refresh token). `Debug`
/// redacts the token and the secret.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetTokensFromRefreshTokenRequest {
    /// `ClientId`.
    pub client_id: String,
    /// `ClientMetadata` for Lambda triggers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<ParameterMap>,
    /// `ClientSecret`: the app client's secret itself (not a `SECRET_HASH`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// `DeviceKey`: required when the pool remembers devices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// `RefreshToken`.
    pub refresh_token: String,
}

impl GetTokensFromRefreshTokenRequest {
    /// Refreshes `refresh_token` for the app client `client_id`; the optional
    /// fields are public to set.
    pub fn new(refresh_token: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            refresh_token: refresh_token.into(),
            client_id: client_id.into(),
            ..Self::default()
        }
    }
}

impl fmt::Debug for GetTokensFromRefreshTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetTokensFromRefreshTokenRequest")
            .field("refresh_token", &"[redacted]")
            .field("client_id", &self.client_id)
            .field("client_secret", &Presence(&self.client_secret))
            .field("device_key", &self.device_key)
            .field("client_metadata", &KeysOnly(&self.client_metadata))
            .finish()
    }
}

/// The response of `GetTokensFromRefreshToken`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetTokensFromRefreshTokenResponse {
    /// The new tokens; `RefreshToken` only with rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
}

/// The body of `RevokeToken`: revokes a refresh token and the access tokens
/// issued with it. `Debug` redacts the token and the secret.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RevokeTokenRequest {
    /// `ClientId`.
    pub client_id: String,
    /// `ClientSecret`: the app client's secret, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// `Token`: the refresh token.
    pub token: String,
}

impl RevokeTokenRequest {
    /// Revokes `token` of the app client `client_id` (with `client_secret` when
    /// the client has one).
    pub fn new(
        token: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Option<String>,
    ) -> Self {
        Self {
            token: token.into(),
            client_id: client_id.into(),
            client_secret,
        }
    }
}

impl fmt::Debug for RevokeTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevokeTokenRequest")
            .field("token", &"[redacted]")
            .field("client_id", &self.client_id)
            .field("client_secret", &Presence(&self.client_secret))
            .finish()
    }
}

/// The body of `GlobalSignOut` and of `GetUser`: the signed-in user's access
/// token. `Debug` redacts it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AccessTokenRequest {
    /// `AccessToken`.
    pub access_token: String,
}

impl AccessTokenRequest {
    /// A request carrying `access_token`.
    pub fn new(access_token: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
        }
    }
}

impl fmt::Debug for AccessTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessTokenRequest")
            .field("access_token", &"[redacted]")
            .finish()
    }
}

/// The response of `GetUser`: the signed-in user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetUserResponse {
    /// `Username`: the internal user name.
    pub username: String,
    /// `UserAttributes`.
    #[serde(default)]
    pub user_attributes: Vec<AttributeType>,
    /// `MFAOptions` (legacy SMS settings).
    #[serde(rename = "MFAOptions", skip_serializing_if = "Option::is_none")]
    pub mfa_options: Option<Vec<MfaOptionType>>,
    /// `PreferredMfaSetting` (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    /// `UserMFASettingList`: the MFA types enabled for the user.
    #[serde(rename = "UserMFASettingList", skip_serializing_if = "Option::is_none")]
    pub user_mfa_setting_list: Option<Vec<String>>,
}
