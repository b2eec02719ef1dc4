//! Refreshing tokens: [`refresh`](CognitoClient::refresh) and
//! [`refresh_tokens`](CognitoClient::refresh_tokens), on app clients with and
//! without refresh-token rotation, without the caller choosing.
//!
//! `REFRESH_TOKEN_AUTH` goes first: every Cognito-compatible server has it
//! (moto has nothing else), and without rotation Cognito answers it with ID
//! and access tokens, the refresh token staying valid. An app client with
//! rotation refuses it; the refresh is then retried with
//! `GetTokensFromRefreshToken`, which returns a new refresh token, and later
//! refreshes through this client start there.

use std::sync::atomic::Ordering;

use tracing::Instrument;

use super::client::CognitoClient;
use super::error::FlowError;
use super::options::{RefreshOptions, RequestMetadata};
use super::tokens::{RefreshToken, Tokens};
use crate::srp::param;
use crate::transport::{ErrorClass, Transport};
use crate::wire::{
    AuthFlow, AuthenticationResult, GetTokensFromRefreshTokenRequest, Operation, ParameterMap,
    ServiceErrorKind,
};

impl<T: Transport> CognitoClient<T> {
    /// New tokens for a refresh token. With a client secret and
    /// `REFRESH_TOKEN_AUTH`, `options` must name the internal user name (for
    /// `SECRET_HASH`); `GetTokensFromRefreshToken` sends the secret itself.
    /// A rotated refresh token replaces the old one in the returned tokens.
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
            let needs_username = self.srp.client_secret().is_some() && options.username.is_none();
            let (operation, result) =
                if self.refresh_rotates.load(Ordering::Relaxed) || needs_username {
                    let result = self
                        .get_tokens(refresh_token, options, &metadata)
                        .await
                        .map_err(|error| match needs_username && !speaks_get_tokens(&error) {
                            true => FlowError::UsernameRequired,
                            false => error,
                        })?;
                    (Operation::GetTokensFromRefreshToken, result)
                } else {
                    match self
                        .refresh_token_auth(refresh_token, options, &metadata)
                        .await
                    {
                        Ok(result) => (Operation::InitiateAuth, result),
                        Err(error) if may_need_rotation(&error) => {
                            let result = self
                                .get_tokens(refresh_token, options, &metadata)
                                .await
                                .map_err(|second| more_telling(error, second))?;
                            (Operation::GetTokensFromRefreshToken, result)
                        }
                        Err(error) => return Err(error),
                    }
                };
            let result = result.ok_or_else(|| FlowError::IncompleteResponse {
                operation: operation.clone(),
            })?;
            let mut tokens = Tokens::from_authentication_result(
                result,
                (self.clock)(),
                Some(refresh_token.clone()),
            )
            .ok_or(FlowError::MissingField {
                operation,
                field: "AccessToken",
            })?;
            // The refreshed tokens belong to the same device: the next
            // refresh names it again.
            if let Some(device_key) = &options.device_key
                && tokens.device_key().is_none()
            {
                tokens.set_device_key(device_key);
            }
            Ok(tokens)
        }
        .instrument(tracing::info_span!("cognito.refresh"))
        .await
    }

    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`.
    async fn refresh_token_auth(
        &self,
        refresh_token: &RefreshToken,
        options: &RefreshOptions,
        metadata: &RequestMetadata,
    ) -> Result<Option<AuthenticationResult>, FlowError> {
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
            .initiate(AuthFlow::RefreshTokenAuth, parameters, metadata, None)
            .await?;
        Ok(response.authentication_result)
    }

    /// `GetTokensFromRefreshToken`, remembered as this client's way to
    /// refresh once it has worked.
    async fn get_tokens(
        &self,
        refresh_token: &RefreshToken,
        options: &RefreshOptions,
        metadata: &RequestMetadata,
    ) -> Result<Option<AuthenticationResult>, FlowError> {
        let mut request = GetTokensFromRefreshTokenRequest::new(
            refresh_token.expose_secret(),
            self.srp.client_id().as_str(),
        );
        request.client_secret = self
            .srp
            .client_secret()
            .map(|secret| secret.expose_secret().to_owned());
        request.device_key = options.device_key.clone();
        request.client_metadata = metadata.client_metadata.clone();
        let response = self
            .transport
            .get_tokens_from_refresh_token(request)
            .instrument(tracing::info_span!("cognito.get_tokens_from_refresh_token"))
            .await?;
        self.refresh_rotates.store(true, Ordering::Relaxed);
        Ok(response.authentication_result)
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

/// Whether a refused `REFRESH_TOKEN_AUTH` may be an app client with rotation,
/// which answers only `GetTokensFromRefreshToken` (Cognito documents the
/// refusal, not its error code: a refusal of the flow or the token).
fn may_need_rotation(error: &FlowError) -> bool {
    matches!(
        error.service_kind(),
        Some(ServiceErrorKind::NotAuthorized | ServiceErrorKind::InvalidParameter)
    )
}

/// Whether an error of `GetTokensFromRefreshToken` came from a server that
/// speaks it (a Cognito refusal), not one without it (moto: an unknown
/// operation or a server fault).
fn speaks_get_tokens(error: &FlowError) -> bool {
    match error.service_kind() {
        Some(ServiceErrorKind::UnknownOperation) | None => false,
        Some(_) => error.class() != ErrorClass::Fault,
    }
}

/// Of the `REFRESH_TOKEN_AUTH` refusal and the `GetTokensFromRefreshToken`
/// error after it, the one that says more: the second when Cognito refused
/// it (a revoked or reused token), the first when the server does not speak
/// `GetTokensFromRefreshToken` (moto) or failed.
fn more_telling(first: FlowError, second: FlowError) -> FlowError {
    match speaks_get_tokens(&second) {
        true => second,
        false => first,
    }
}
