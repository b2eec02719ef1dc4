//! Signing out: [`revoke_token`](CognitoClient::revoke_token) ends one
//! sign-in (its refresh token and the access tokens issued with it),
//! [`global_sign_out`](CognitoClient::global_sign_out) every sign-in of the
//! user; [`get_user`](CognitoClient::get_user) reads the signed-in user.

use tracing::Instrument;

use super::client::CognitoClient;
use super::error::FlowError;
use super::tokens::{AccessToken, RefreshToken};
use crate::transport::Transport;
use crate::wire::{AccessTokenRequest, GetUserResponse, RevokeTokenRequest};

impl<T: Transport> CognitoClient<T> {
    /// `RevokeToken`: revokes `refresh_token` (with the app client's secret
    /// when it has one) and every access token issued with it.
    pub async fn revoke_token(&self, refresh_token: &RefreshToken) -> Result<(), FlowError> {
        let request = RevokeTokenRequest::new(
            refresh_token.expose_secret(),
            self.srp.client_id().as_str(),
            self.srp
                .client_secret()
                .map(|secret| secret.expose_secret().to_owned()),
        );
        self.transport
            .revoke_token(request)
            .instrument(tracing::info_span!("cognito.revoke_token"))
            .await?;
        Ok(())
    }

    /// `GlobalSignOut`: signs the user of `access_token` out everywhere: every
    /// refresh token is revoked, and the access tokens issued with them.
    pub async fn global_sign_out(&self, access_token: &AccessToken) -> Result<(), FlowError> {
        self.transport
            .global_sign_out(AccessTokenRequest::new(access_token.expose_secret()))
            .instrument(tracing::info_span!("cognito.global_sign_out"))
            .await?;
        Ok(())
    }

    /// `GetUser`: the signed-in user's internal name, attributes and MFA
    /// settings.
    pub async fn get_user(&self, access_token: &AccessToken) -> Result<GetUserResponse, FlowError> {
        let user = self
            .transport
            .get_user(AccessTokenRequest::new(access_token.expose_secret()))
            .instrument(tracing::info_span!("cognito.get_user"))
            .await?;
        Ok(user)
    }
}
