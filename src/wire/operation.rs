//! [`CognitoOperation`]: an operation's name, request and response as one
//! type, so a transport needs one generic method instead of one per operation.
//!
//! Adding an operation costs one request/response pair, one marker type here
//! and one line per backend.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::names::Operation;
use super::{
    AccessTokenRequest, GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse,
    GetUserResponse, RevokeTokenRequest,
};
use super::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, ConfirmDeviceRequest,
    ConfirmDeviceResponse, ForgetDeviceRequest, InitiateAuthRequest, InitiateAuthResponse,
    RespondToAuthChallengeRequest, RespondToAuthChallengeResponse, UpdateDeviceStatusRequest,
    VerifySoftwareTokenRequest, VerifySoftwareTokenResponse,
};

/// One Cognito operation: its name on the wire and its request and response bodies.
///
/// Implemented by the marker types in [`op`](super::op); a transport's
/// generic `call::<Op>` serialises `Op::Request` and deserialises `Op::Response`.
pub trait CognitoOperation: Send + Sync + 'static {
    /// The operation (the `X-Amz-Target` suffix).
    const OPERATION: Operation;
    /// The request body.
    type Request: Serialize + DeserializeOwned + Debug + Send + Sync + 'static;
    /// The response body.
    type Response: Serialize + DeserializeOwned + Debug + Send + Sync + 'static;
}

/// The body of an operation that answers with an empty JSON object
/// (`UpdateDeviceStatus`, `ForgetDevice`); any fields are ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

macro_rules! operations {
    ($( $(#[$meta:meta])* $name:ident: $request:ty => $response:ty; )*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
            pub struct $name;

            impl CognitoOperation for $name {
                const OPERATION: Operation = Operation::$name;
                type Request = $request;
                type Response = $response;
            }
        )*
    };
}

operations! {
    /// `InitiateAuth`: starts a sign-in.
    InitiateAuth: InitiateAuthRequest => InitiateAuthResponse;
    /// `RespondToAuthChallenge`: answers a challenge.
    RespondToAuthChallenge: RespondToAuthChallengeRequest => RespondToAuthChallengeResponse;
    /// `AssociateSoftwareToken`: MFA set-up, obtain a TOTP secret.
    AssociateSoftwareToken: AssociateSoftwareTokenRequest => AssociateSoftwareTokenResponse;
    /// `VerifySoftwareToken`: MFA set-up, prove the TOTP secret.
    VerifySoftwareToken: VerifySoftwareTokenRequest => VerifySoftwareTokenResponse;
    /// `ConfirmDevice`: registers a device's SRP verifier.
    ConfirmDevice: ConfirmDeviceRequest => ConfirmDeviceResponse;
    /// `UpdateDeviceStatus`: remembers or forgets a confirmed device.
    UpdateDeviceStatus: UpdateDeviceStatusRequest => EmptyResponse;
    /// `ForgetDevice`: deletes a device.
    ForgetDevice: ForgetDeviceRequest => EmptyResponse;
    /// `GetTokensFromRefreshToken`: new tokens from a refresh token (rotating it
    /// on app clients with refresh-token rotation).
    GetTokensFromRefreshToken: GetTokensFromRefreshTokenRequest => GetTokensFromRefreshTokenResponse;
    /// `RevokeToken`: revokes a refresh token and its access tokens.
    RevokeToken: RevokeTokenRequest => EmptyResponse;
    /// `GlobalSignOut`: signs the user out of every device.
    GlobalSignOut: AccessTokenRequest => EmptyResponse;
    /// `GetUser`: the signed-in user's attributes and MFA settings.
    GetUser: AccessTokenRequest => GetUserResponse;
}
