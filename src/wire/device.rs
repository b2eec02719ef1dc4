//! `ConfirmDevice`, `UpdateDeviceStatus`, `ForgetDevice`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `DeviceSecretVerifierConfig`: the device's SRP verifier and salt, base64.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeviceSecretVerifierConfigType {
    /// `PasswordVerifier`.
    pub password_verifier: Option<String>,
    /// `Salt`.
    pub salt: Option<String>,
}

impl DeviceSecretVerifierConfigType {
    /// A verifier and its salt, base64 as Cognito takes them.
    pub fn new(password_verifier: impl Into<String>, salt: impl Into<String>) -> Self {
        Self {
            password_verifier: Some(password_verifier.into()),
            salt: Some(salt.into()),
        }
    }
}

/// The body of `ConfirmDevice`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
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

impl ConfirmDeviceRequest {
    /// Confirms `device_key` for the user of `access_token` with a verifier;
    /// `device_name` is public to set.
    pub fn new(
        access_token: impl Into<String>,
        device_key: impl Into<String>,
        device_secret_verifier_config: DeviceSecretVerifierConfigType,
    ) -> Self {
        Self {
            access_token: access_token.into(),
            device_key: device_key.into(),
            device_name: None,
            device_secret_verifier_config: Some(device_secret_verifier_config),
        }
    }
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct UpdateDeviceStatusRequest {
    /// `AccessToken`.
    pub access_token: String,
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceRememberedStatus`.
    pub device_remembered_status: DeviceRememberedStatus,
}

impl UpdateDeviceStatusRequest {
    /// Marks `device_key` remembered or not for the user of `access_token`.
    pub fn new(
        access_token: impl Into<String>,
        device_key: impl Into<String>,
        device_remembered_status: DeviceRememberedStatus,
    ) -> Self {
        Self {
            access_token: access_token.into(),
            device_key: device_key.into(),
            device_remembered_status,
        }
    }
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
#[non_exhaustive]
pub struct ForgetDeviceRequest {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// `DeviceKey`.
    pub device_key: String,
}

impl ForgetDeviceRequest {
    /// Forgets `device_key` of the user of `access_token`.
    pub fn new(access_token: impl Into<String>, device_key: impl Into<String>) -> Self {
        Self {
            access_token: Some(access_token.into()),
            device_key: device_key.into(),
        }
    }
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
#[non_exhaustive]
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
#[non_exhaustive]
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

impl ListDevicesRequest {
    /// The first page of the devices of the user of `access_token`.
    pub fn new(access_token: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
            ..Self::default()
        }
    }
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
#[non_exhaustive]
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

impl AdminListDevicesRequest {
    /// The first page of the devices of `username` in `user_pool_id`.
    pub fn new(user_pool_id: impl Into<String>, username: impl Into<String>) -> Self {
        Self {
            user_pool_id: user_pool_id.into(),
            username: username.into(),
            ..Self::default()
        }
    }
}

/// The response of `ListDevices` and `AdminListDevices`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListDevicesResponse {
    /// `Devices`.
    #[serde(default)]
    pub devices: Vec<DeviceType>,
    /// `PaginationToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}
