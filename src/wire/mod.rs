//! Cognito's AWS JSON 1.1 wire types, owned by this crate (serde, AWS field names).
//!
//! Shared by the client transports and the local user pool. Unknown response
//! fields are ignored; unknown challenge names are kept as
//! [`ChallengeName::Other`], never an error. `Debug` never prints a token, a
//! session string, a password, a code or a signature: parameter maps show
//! their keys only.
//!
//! Request structs declare their fields in wire-name order and parameter maps
//! are ordered ([`ParameterMap`]), so a request's JSON has its keys sorted at
//! every level without re-sorting: the same request always gives the same bytes.

mod admin;
mod auth;
mod device;
mod error_body;
mod error_code;
mod identity;
mod names;
mod operation;
mod redact;
mod sign_out;
mod software_token;

pub use admin::{
    AdminCreateUserRequest, AdminCreateUserResponse, AdminGetUserRequest, AdminGetUserResponse,
    AdminSetUserMfaPreferenceRequest, AdminSetUserPasswordRequest, AttributeType, MfaOptionType,
    MfaPreference, MfaSettingsType, SetUserMfaPreferenceRequest, UserState, UserType,
};
pub use auth::{
    AnalyticsMetadata, AuthenticationResult, InitiateAuthRequest, InitiateAuthResponse,
    NewDeviceMetadata, RespondToAuthChallengeRequest, RespondToAuthChallengeResponse,
    UserContextData,
};
pub use device::{
    AdminListDevicesRequest, ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceRememberedStatus,
    DeviceSecretVerifierConfigType, DeviceType, ForgetDeviceRequest, ListDevicesRequest,
    ListDevicesResponse, UpdateDeviceStatusRequest,
};
pub use error_body::{AwsErrorBody, strip_error_code};
pub use error_code::ServiceErrorKind;
pub use identity::{
    GetCredentialsForIdentityRequest, GetCredentialsForIdentityResponse, GetIdRequest,
    GetIdResponse, IDENTITY_TARGET_PREFIX, IdentityCredentials,
};
pub use names::{AuthFlow, ChallengeName, Operation};
pub use operation::{CognitoOperation, EmptyResponse};
pub use sign_out::{
    AccessTokenRequest, GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse,
    GetUserResponse, RevokeTokenRequest,
};
pub use software_token::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse, VerifySoftwareTokenStatus,
};

/// One marker type per operation, each a [`CognitoOperation`].
pub mod op {
    pub use super::operation::{
        AssociateSoftwareToken, ConfirmDevice, ForgetDevice, GetTokensFromRefreshToken, GetUser,
        GlobalSignOut, InitiateAuth, RespondToAuthChallenge, RevokeToken, UpdateDeviceStatus,
        VerifySoftwareToken,
    };
}

/// The JSON content type of every request and response.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The prefix of `X-Amz-Target`: `AWSCognitoIdentityProviderService.<Operation>`.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// A string-to-string parameter map (`AuthParameters`, `ChallengeParameters`, …).
///
/// Ordered by key, so the same map always serialises to the same bytes.
pub type ParameterMap = std::collections::BTreeMap<String, String>;
