//! Refreshing tokens: [`refresh`](CognitoClient::refresh)
//! (`REFRESH_TOKEN_AUTH`) and [`refresh_tokens`](CognitoClient::refresh_tokens).

use tracing::Instrument;

use super::client::CognitoClient;
use super::error::FlowError;
use super::options::RefreshOptions;
use super::tokens::{RefreshToken, Tokens};
use crate::srp::param;
use crate::transport::Transport;
use crate::wire::{AuthFlow, Operation, ParameterMap};

impl<T: Transport> CognitoClient<T> {
    /// New tokens for a refresh token (`REFRESH_TOKEN_AUTH`). With a client
    /// secret, `options` must name the internal user name.
    pub async fn refresh(
        &self,
        refresh_token: &RefreshToken,
        options: &RefreshOptions,
    ) -> Result<Tokens, FlowError> {
        let metadata = options
            .metadata
            .clone()
            .unwrap_or_else(|| self.metadata.clone());
        async move {
            let mut parameters = ParameterMap::new();
            parameters.insert(
                param::REFRESH_TOKEN.into(),
                refresh_token.expose_secret().to_owned(),
            );
            if self.srp.client_secret().is_some() {
                let username = options
                    .username
                    .as_deref()
                    .ok_or(FlowError::UsernameRequired)?;
                self.insert_secret_hash(&mut parameters, username);
            }
            if let Some(device_key) = &options.device_key {
                parameters.insert(param::DEVICE_KEY.into(), device_key.clone());
            }
            let response = self
                .initiate(AuthFlow::RefreshTokenAuth, parameters, &metadata)
                .await?;
            match response.authentication_result {
                Some(result) => Tokens::from_authentication_result(
                    result,
                    (self.clock)(),
                    Some(refresh_token.clone()),
                )
                .ok_or(FlowError::MissingField {
                    operation: Operation::InitiateAuth,
                    field: "AccessToken",
                }),
                None => Err(FlowError::IncompleteResponse {
                    operation: Operation::InitiateAuth,
                }),
            }
        }
        .instrument(tracing::info_span!("cognito.refresh"))
        .await
    }

    /// New tokens for `tokens`: the refresh token, the internal user name
    /// (from the claims, for `SECRET_HASH`) and the device key (when Cognito
    /// issued one) are taken from them.
    pub async fn refresh_tokens(&self, tokens: &Tokens) -> Result<Tokens, FlowError> {
        let refresh_token = tokens.refresh_token().ok_or(FlowError::NoRefreshToken)?;
        let mut options = RefreshOptions::default();
        if let Some(username) = tokens.username() {
            options = options.username(username);
        }
        if let Some(key) = tokens.device_key() {
            options = options.device_key(key);
        }
        self.refresh(refresh_token, &options).await
    }
}
