//! `ConfirmDevice`, `UpdateDeviceStatus`, `ForgetDevice`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `DeviceSecretVerifierConfig`: the device's SRP verifier and salt, base64.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfigType {
    /// `PasswordVerifier`.
    pub password_verifier: Option<String>,
    /// `Salt`.
    pub salt: Option<String>,
}

/// The body of `ConfirmDevice`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    /// `AccessToken` of the signed-in user.
    pub access_token: String,
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceSecretVerifierConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfigType>,
    /// `DeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
}

impl fmt::Debug for ConfirmDeviceRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmDeviceRequest")
            .field("access_token", &"[redacted]")
            .field("device_key", &self.device_key)
            .field(
                "device_secret_verifier_config",
                &self.device_secret_verifier_config,
            )
            .field("device_name", &self.device_name)
            .finish()
    }
}

/// The response of `ConfirmDevice`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceResponse {
    /// `UserConfirmationNecessary`: the user must choose whether to remember it.
    #[serde(default)]
    pub user_confirmation_necessary: bool,
}

/// `DeviceRememberedStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeviceRememberedStatus {
    /// `remembered`.
    #[serde(rename = "remembered")]
    Remembered,
    /// `not_remembered`.
    #[serde(rename = "not_remembered")]
    NotRemembered,
}

/// The body of `UpdateDeviceStatus`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateDeviceStatusRequest {
    /// `AccessToken`.
    pub access_token: String,
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceRememberedStatus`.
    pub device_remembered_status: DeviceRememberedStatus,
}

impl fmt::Debug for UpdateDeviceStatusRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateDeviceStatusRequest")
            .field("access_token", &"[redacted]")
            .field("device_key", &self.device_key)
            .field("device_remembered_status", &self.device_remembered_status)
            .finish()
    }
}

/// The body of `ForgetDevice`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgetDeviceRequest {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// `DeviceKey`.
    pub device_key: String,
}

impl fmt::Debug for ForgetDeviceRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForgetDeviceRequest")
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "[redacted]"),
            )
            .field("device_key", &self.device_key)
            .finish()
    }
}
