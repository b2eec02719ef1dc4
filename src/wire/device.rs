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
    /// `DeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    /// `DeviceSecretVerifierConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfigType>,
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

/// `DeviceType`: a device of `ListDevices` / `AdminListDevices`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    /// `DeviceKey`.
    pub device_key: Option<String>,
    /// `DeviceAttributes` (`device_name`, `dev:device_remembered_status`, …).
    #[serde(default)]
    pub device_attributes: Vec<super::AttributeType>,
    /// `DeviceCreateDate`, seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_create_date: Option<f64>,
    /// `DeviceLastModifiedDate`, seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_last_modified_date: Option<f64>,
    /// `DeviceLastAuthenticatedDate`, seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_last_authenticated_date: Option<f64>,
}

/// The body of `ListDevices`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    /// `AccessToken` of the signed-in user.
    pub access_token: String,
    /// `Limit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `PaginationToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

impl fmt::Debug for ListDevicesRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListDevicesRequest")
            .field("access_token", &"[redacted]")
            .field("limit", &self.limit)
            .field("pagination_token", &self.pagination_token)
            .finish()
    }
}

/// The body of `AdminListDevices`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListDevicesRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `Limit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `PaginationToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// The response of `ListDevices` and `AdminListDevices`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesResponse {
    /// `Devices`.
    #[serde(default)]
    pub devices: Vec<DeviceType>,
    /// `PaginationToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}
