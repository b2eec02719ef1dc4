//! The administrative calls a test uses to seed a user pool the AWS way:
//! `AdminCreateUser`, `AdminSetUserPassword`, `AdminGetUser`,
//! `AdminSetUserMFAPreference` and `SetUserMFAPreference`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParameterMap;

/// `AttributeType`: one user attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AttributeType {
    /// `Name` (`email`, `phone_number`, `sub`, …).
    pub name: String,
    /// `Value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl AttributeType {
    /// The attribute `name` with `value`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

/// `MFAOptionType` (legacy SMS MFA settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MfaOptionType {
    /// `DeliveryMedium` (`SMS`, `EMAIL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_medium: Option<String>,
    /// `AttributeName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

/// The body of `AdminCreateUser`. `Debug` redacts the temporary password.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AdminCreateUserRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `UserAttributes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_attributes: Option<Vec<AttributeType>>,
    /// `ValidationData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_data: Option<Vec<AttributeType>>,
    /// `TemporaryPassword`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<String>,
    /// `ForceAliasCreation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_alias_creation: Option<bool>,
    /// `MessageAction` (`RESEND`, `SUPPRESS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_action: Option<String>,
    /// `DesiredDeliveryMediums` (`SMS`, `EMAIL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_delivery_mediums: Option<Vec<String>>,
    /// `ClientMetadata` for Lambda triggers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<ParameterMap>,
}

impl AdminCreateUserRequest {
    /// Creates `username` in `user_pool_id`; the optional fields are public to set.
    pub fn new(user_pool_id: impl Into<String>, username: impl Into<String>) -> Self {
        Self {
            user_pool_id: user_pool_id.into(),
            username: username.into(),
            ..Self::default()
        }
    }
}

impl fmt::Debug for AdminCreateUserRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminCreateUserRequest")
            .field("user_pool_id", &self.user_pool_id)
            .field("username", &self.username)
            .field("user_attributes", &self.user_attributes)
            .field(
                "temporary_password",
                &self.temporary_password.as_ref().map(|_| "[redacted]"),
            )
            .field("message_action", &self.message_action)
            .finish_non_exhaustive()
    }
}

/// When a user was created and changed, whether it is enabled, and its status:
/// the fields every description of a user carries (`UserType`, `AdminGetUser`),
/// flattened into them on the wire.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserState {
    /// `UserCreateDate`, seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_create_date: Option<f64>,
    /// `UserLastModifiedDate`, seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_last_modified_date: Option<f64>,
    /// `Enabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `UserStatus` (`CONFIRMED`, `FORCE_CHANGE_PASSWORD`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_status: Option<String>,
    /// `MFAOptions`.
    #[serde(rename = "MFAOptions", skip_serializing_if = "Option::is_none")]
    pub mfa_options: Option<Vec<MfaOptionType>>,
}

/// `UserType`: a user as `AdminCreateUser` returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserType {
    /// `Username`: the internal user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `Attributes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<AttributeType>>,
    /// Dates, `Enabled`, `UserStatus`, `MFAOptions`.
    #[serde(flatten)]
    pub state: UserState,
}

/// The response of `AdminCreateUser`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AdminCreateUserResponse {
    /// `User`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<UserType>,
}

/// The body of `AdminSetUserPassword`. `Debug` redacts the password.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AdminSetUserPasswordRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `Password`.
    pub password: String,
    /// `Permanent`: `false` (the default) makes the user change it at next sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permanent: Option<bool>,
}

impl AdminSetUserPasswordRequest {
    /// Sets the password of `username`; `permanent` confirms the user.
    pub fn new(
        user_pool_id: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
        permanent: bool,
    ) -> Self {
        Self {
            user_pool_id: user_pool_id.into(),
            username: username.into(),
            password: password.into(),
            permanent: Some(permanent),
        }
    }
}

impl fmt::Debug for AdminSetUserPasswordRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminSetUserPasswordRequest")
            .field("user_pool_id", &self.user_pool_id)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("permanent", &self.permanent)
            .finish()
    }
}

/// The body of `AdminGetUser`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AdminGetUserRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username` (or an alias).
    pub username: String,
}

impl AdminGetUserRequest {
    /// Looks up `username` (or an alias) in `user_pool_id`.
    pub fn new(user_pool_id: impl Into<String>, username: impl Into<String>) -> Self {
        Self {
            user_pool_id: user_pool_id.into(),
            username: username.into(),
        }
    }
}

/// The response of `AdminGetUser`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AdminGetUserResponse {
    /// `Username`: the internal user name.
    pub username: String,
    /// `UserAttributes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_attributes: Option<Vec<AttributeType>>,
    /// Dates, `Enabled`, `UserStatus`, `MFAOptions`.
    #[serde(flatten)]
    pub state: UserState,
    /// `PreferredMfaSetting` (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    /// `UserMFASettingList`: the MFA types enabled for the user.
    #[serde(rename = "UserMFASettingList", skip_serializing_if = "Option::is_none")]
    pub user_mfa_setting_list: Option<Vec<String>>,
}

/// `SMSMfaSettingsType` / `SoftwareTokenMfaSettingsType` / `EmailMfaSettingsType`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MfaSettingsType {
    /// `Enabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `PreferredMfa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa: Option<bool>,
}

impl MfaSettingsType {
    /// `Enabled` and `PreferredMfa` as given.
    pub fn new(enabled: bool, preferred_mfa: bool) -> Self {
        Self {
            enabled: Some(enabled),
            preferred_mfa: Some(preferred_mfa),
        }
    }
}

/// The MFA settings one `SetUserMFAPreference` or `AdminSetUserMFAPreference`
/// call changes (flattened into both on the wire).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MfaPreference {
    /// `SMSMfaSettings`.
    #[serde(rename = "SMSMfaSettings", skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettingsType>,
    /// `SoftwareTokenMfaSettings`.
    #[serde(
        rename = "SoftwareTokenMfaSettings",
        skip_serializing_if = "Option::is_none"
    )]
    pub software_token_mfa_settings: Option<MfaSettingsType>,
    /// `EmailMfaSettings`.
    #[serde(rename = "EmailMfaSettings", skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettingsType>,
}

impl MfaPreference {
    /// Sets `SMSMfaSettings`.
    pub fn sms(mut self, settings: MfaSettingsType) -> Self {
        self.sms_mfa_settings = Some(settings);
        self
    }

    /// Sets `SoftwareTokenMfaSettings`.
    pub fn software_token(mut self, settings: MfaSettingsType) -> Self {
        self.software_token_mfa_settings = Some(settings);
        self
    }

    /// Sets `EmailMfaSettings`.
    pub fn email(mut self, settings: MfaSettingsType) -> Self {
        self.email_mfa_settings = Some(settings);
        self
    }
}

/// The body of `AdminSetUserMFAPreference`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AdminSetUserMfaPreferenceRequest {
    /// The settings to change.
    #[serde(flatten)]
    pub preference: MfaPreference,
    /// `Username`.
    pub username: String,
    /// `UserPoolId`.
    pub user_pool_id: String,
}

impl AdminSetUserMfaPreferenceRequest {
    /// Changes the MFA settings of `username` in `user_pool_id`.
    pub fn new(
        user_pool_id: impl Into<String>,
        username: impl Into<String>,
        preference: MfaPreference,
    ) -> Self {
        Self {
            preference,
            username: username.into(),
            user_pool_id: user_pool_id.into(),
        }
    }
}

/// The body of `SetUserMFAPreference` (the signed-in user's own call).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SetUserMfaPreferenceRequest {
    /// The settings to change.
    #[serde(flatten)]
    pub preference: MfaPreference,
    /// `AccessToken`.
    pub access_token: String,
}

impl SetUserMfaPreferenceRequest {
    /// Changes the MFA settings of the signed-in user of `access_token`.
    pub fn new(access_token: impl Into<String>, preference: MfaPreference) -> Self {
        Self {
            preference,
            access_token: access_token.into(),
        }
    }
}

impl fmt::Debug for SetUserMfaPreferenceRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetUserMfaPreferenceRequest")
            .field("preference", &self.preference)
            .field("access_token", &"[redacted]")
            .finish()
    }
}
