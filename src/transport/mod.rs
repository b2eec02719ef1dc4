//! The transport: one small async trait carrying Cognito's AWS JSON 1.1
//! operations, and its implementations behind features.
//!
//! * [`HttpTransport`] (feature `http`): AWS JSON 1.1 over reqwest with rustls
//!   (ring), no OpenSSL, no request signing (the operations are public).
//! * [`AwsSdkTransport`] (feature `aws-sdk`): an adapter for a caller's
//!   `aws_sdk_cognitoidentityprovider::Client`.
//!
//! Both map failures to the same [`TransportError`], whose
//! [`ServiceErrorKind`](crate::wire::ServiceErrorKind) a caller can match (`NotAuthorized`, `UserNotFound`, …).
//! A transport of your own (a mock, another HTTP stack) implements
//! [`Transport`]'s one method, [`Transport::call`], or is a closure over the
//! operation's JSON wrapped by [`from_fn`]; the flow only sees the trait.

use std::future::Future;

use crate::wire::op;
use crate::wire::{
    AccessTokenRequest, GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse,
    GetUserResponse, RevokeTokenRequest,
};
use crate::wire::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, CognitoOperation,
    ConfirmDeviceRequest, ConfirmDeviceResponse, ForgetDeviceRequest, InitiateAuthRequest,
    InitiateAuthResponse, RespondToAuthChallengeRequest, RespondToAuthChallengeResponse,
    UpdateDeviceStatusRequest, VerifySoftwareTokenRequest, VerifySoftwareTokenResponse,
};

#[cfg(feature = "aws-sdk")]
mod aws_sdk;
mod error;
mod from_fn;
#[cfg(feature = "http")]
mod http;

#[cfg(feature = "aws-sdk")]
pub use aws_sdk::AwsSdkTransport;
pub use error::{ErrorClass, MalformedProblem, TransportError};
pub use from_fn::{FromFn, from_fn};
#[cfg(feature = "http")]
#[doc(hidden)]
pub use http::parse_response;
#[cfg(feature = "http")]
pub use http::{HttpTransport, HttpTransportBuilder};

/// Cognito's user-pool operations that a sign-in needs.
///
/// One required method, [`call`](Self::call), generic over the operation
/// ([`CognitoOperation`]: its name, request and response); the typed helpers
/// (`initiate_auth`, …) are provided on top of it.
///
/// Every call is one request and one response; retries, if any, are the
/// implementation's business and must stay bounded. Implementations never log
/// request or response bodies (they carry sessions, proofs and tokens).
///
/// The futures are `Send`, so a flow over any transport can run on a
/// multi-threaded runtime.
pub trait Transport: Send + Sync {
    /// Sends `Op`'s request and returns its response.
    fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> impl Future<Output = Result<Op::Response, TransportError>> + Send;

    /// `InitiateAuth`.
    fn initiate_auth(
        &self,
        request: InitiateAuthRequest,
    ) -> impl Future<Output = Result<InitiateAuthResponse, TransportError>> + Send {
        self.call::<op::InitiateAuth>(request)
    }

    /// `RespondToAuthChallenge`.
    fn respond_to_auth_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> impl Future<Output = Result<RespondToAuthChallengeResponse, TransportError>> + Send {
        self.call::<op::RespondToAuthChallenge>(request)
    }

    /// `AssociateSoftwareToken` (MFA setup: obtain a TOTP secret).
    fn associate_software_token(
        &self,
        request: AssociateSoftwareTokenRequest,
    ) -> impl Future<Output = Result<AssociateSoftwareTokenResponse, TransportError>> + Send {
        self.call::<op::AssociateSoftwareToken>(request)
    }

    /// `VerifySoftwareToken` (MFA setup: prove the TOTP secret).
    fn verify_software_token(
        &self,
        request: VerifySoftwareTokenRequest,
    ) -> impl Future<Output = Result<VerifySoftwareTokenResponse, TransportError>> + Send {
        self.call::<op::VerifySoftwareToken>(request)
    }

    /// `ConfirmDevice` (device tracking: register the device's SRP verifier).
    fn confirm_device(
        &self,
        request: ConfirmDeviceRequest,
    ) -> impl Future<Output = Result<ConfirmDeviceResponse, TransportError>> + Send {
        self.call::<op::ConfirmDevice>(request)
    }

    /// `UpdateDeviceStatus` (remember or forget a confirmed device).
    fn update_device_status(
        &self,
        request: UpdateDeviceStatusRequest,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        let response = self.call::<op::UpdateDeviceStatus>(request);
        async move { response.await.map(drop) }
    }

    /// `ForgetDevice`.
    fn forget_device(
        &self,
        request: ForgetDeviceRequest,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        let response = self.call::<op::ForgetDevice>(request);
        async move { response.await.map(drop) }
    }

    /// `GetTokensFromRefreshToken`.
    fn get_tokens_from_refresh_token(
        &self,
        request: GetTokensFromRefreshTokenRequest,
    ) -> impl Future<Output = Result<GetTokensFromRefreshTokenResponse, TransportError>> + Send
    {
        self.call::<op::GetTokensFromRefreshToken>(request)
    }

    /// `RevokeToken`.
    fn revoke_token(
        &self,
        request: RevokeTokenRequest,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        let response = self.call::<op::RevokeToken>(request);
        async move { response.await.map(drop) }
    }

    /// `GlobalSignOut`.
    fn global_sign_out(
        &self,
        request: AccessTokenRequest,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        let response = self.call::<op::GlobalSignOut>(request);
        async move { response.await.map(drop) }
    }

    /// `GetUser`.
    fn get_user(
        &self,
        request: AccessTokenRequest,
    ) -> impl Future<Output = Result<GetUserResponse, TransportError>> + Send {
        self.call::<op::GetUser>(request)
    }
}

impl<T: Transport + ?Sized> Transport for &T {
    fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> impl Future<Output = Result<Op::Response, TransportError>> + Send {
        (**self).call::<Op>(request)
    }
}
