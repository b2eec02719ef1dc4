//! `InitiateAuth` and `RespondToAuthChallenge`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParameterMap;
use super::names::{AuthFlow, ChallengeName};
use super::redact::{KeysOnly, Presence};

/// `AnalyticsMetadata`: the Amazon Pinpoint endpoint for analytics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AnalyticsMetadata {
    /// `AnalyticsEndpointId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_endpoint_id: Option<String>,
}

impl AnalyticsMetadata {
    /// Analytics for the Amazon Pinpoint endpoint `endpoint_id`.
    pub fn new(endpoint_id: impl Into<String>) -> Self {
        Self {
            analytics_endpoint_id: Some(endpoint_id.into()),
        }
    }
}

/// `UserContextData`: data for advanced security (adaptive authentication).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserContextData {
    /// `EncodedData` collected by the advanced-security JavaScript/SDK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_data: Option<String>,
    /// `IpAddress` of the user's device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
}

impl UserContextData {
    /// Context data with the advanced-security SDK's `EncodedData`.
    pub fn encoded(encoded_data: impl Into<String>) -> Self {
        Self {
            encoded_data: Some(encoded_data.into()),
            ip_address: None,
        }
    }

    /// Context data with the user's `IpAddress` (server-side apps).
    pub fn ip_address(ip_address: impl Into<String>) -> Self {
        Self {
            encoded_data: None,
            ip_address: Some(ip_address.into()),
        }
    }
}

/// The body of `InitiateAuth`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct InitiateAuthRequest {
    /// `AnalyticsMetadata`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// `AuthFlow` (left out of the JSON when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_flow: Option<AuthFlow>,
    /// `AuthParameters` (`USERNAME`, `SRP_A`, `SECRET_HASH`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_parameters: Option<ParameterMap>,
    /// `ClientId`.
    pub client_id: String,
    /// `ClientMetadata` for Lambda triggers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<ParameterMap>,
    /// `Session` of a `ConfirmSignUp` answer: `USER_AUTH` then signs the
    /// new user in without a second code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// `UserContextData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
}

impl InitiateAuthRequest {
    /// `InitiateAuth` of `auth_flow` for the app client `client_id`; the optional
    /// fields are public to set.
    pub fn new(
        client_id: impl Into<String>,
        auth_flow: AuthFlow,
        auth_parameters: ParameterMap,
    ) -> Self {
        Self {
            auth_flow: Some(auth_flow),
            auth_parameters: Some(auth_parameters),
            client_id: client_id.into(),
            ..Self::default()
        }
    }
}

impl fmt::Debug for InitiateAuthRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitiateAuthRequest")
            .field("auth_flow", &self.auth_flow)
            .field("auth_parameters", &KeysOnly(&self.auth_parameters))
            .field("client_metadata", &KeysOnly(&self.client_metadata))
            .field("client_id", &self.client_id)
            .field("analytics_metadata", &self.analytics_metadata)
            .field("session", &self.session.is_some())
            .field("user_context_data", &self.user_context_data.is_some())
            .finish()
    }
}

/// The body of `RespondToAuthChallenge`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RespondToAuthChallengeRequest {
    /// `AnalyticsMetadata`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// `ChallengeName` being answered.
    pub challenge_name: Option<ChallengeName>,
    /// `ChallengeResponses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_responses: Option<ParameterMap>,
    /// `ClientId`.
    pub client_id: String,
    /// `ClientMetadata` for Lambda triggers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<ParameterMap>,
    /// `Session` from the previous response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// `UserContextData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
}

impl RespondToAuthChallengeRequest {
    /// The answer `challenge_responses` to `challenge_name`, in the `session` of
    /// the response that asked; the optional fields are public to set.
    pub fn new(
        client_id: impl Into<String>,
        challenge_name: ChallengeName,
        challenge_responses: ParameterMap,
        session: Option<String>,
    ) -> Self {
        Self {
            challenge_name: Some(challenge_name),
            challenge_responses: Some(challenge_responses),
            client_id: client_id.into(),
            session,
            ..Self::default()
        }
    }
}

impl fmt::Debug for RespondToAuthChallengeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RespondToAuthChallengeRequest")
            .field("client_id", &self.client_id)
            .field("challenge_name", &self.challenge_name)
            .field("session", &Presence(&self.session))
            .field("challenge_responses", &KeysOnly(&self.challenge_responses))
            .field("client_metadata", &KeysOnly(&self.client_metadata))
            .field("analytics_metadata", &self.analytics_metadata)
            .field("user_context_data", &self.user_context_data.is_some())
            .finish()
    }
}

/// `NewDeviceMetadata`: a device Cognito wants the client to confirm.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct NewDeviceMetadata {
    /// `DeviceKey` (`<region>_<uuid>`).
    pub device_key: Option<String>,
    /// `DeviceGroupKey`.
    pub device_group_key: Option<String>,
}

impl NewDeviceMetadata {
    /// A new device's key and group key.
    pub fn new(device_key: impl Into<String>, device_group_key: impl Into<String>) -> Self {
        Self {
            device_key: Some(device_key.into()),
            device_group_key: Some(device_group_key.into()),
        }
    }
}

/// `AuthenticationResult`: the tokens. `Debug` redacts every token.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AuthenticationResult {
    /// `AccessToken` (JWT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// `ExpiresIn`, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// `TokenType` (`Bearer`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// `RefreshToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// `IdToken` (JWT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// `NewDeviceMetadata`, when device tracking is on and the device is new.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

impl fmt::Debug for AuthenticationResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationResult")
            .field("access_token", &Presence(&self.access_token))
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .field("refresh_token", &Presence(&self.refresh_token))
            .field("id_token", &Presence(&self.id_token))
            .field("new_device_metadata", &self.new_device_metadata)
            .finish()
    }
}

/// The response of `InitiateAuth`: a challenge or the tokens.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct InitiateAuthResponse {
    /// `ChallengeName`, when a challenge follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<ChallengeName>,
    /// `Session`, to send back with the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// `ChallengeParameters`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_parameters: Option<ParameterMap>,
    /// `AuthenticationResult`, when the sign-in is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    /// `AvailableChallenges` (USER_AUTH).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_challenges: Option<Vec<ChallengeName>>,
}

impl fmt::Debug for InitiateAuthResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitiateAuthResponse")
            .field("challenge_name", &self.challenge_name)
            .field("session", &Presence(&self.session))
            .field(
                "challenge_parameters",
                &KeysOnly(&self.challenge_parameters),
            )
            .field("authentication_result", &self.authentication_result)
            .field("available_challenges", &self.available_challenges)
            .finish()
    }
}

/// The response of `RespondToAuthChallenge`: same shape as [`InitiateAuthResponse`].
pub type RespondToAuthChallengeResponse = InitiateAuthResponse;
