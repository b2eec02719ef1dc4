//! The SDK calls of the token life cycle: `GetTokensFromRefreshToken`,
//! `RevokeToken`, `GlobalSignOut`, `GetUser`.

use aws_sdk_cognitoidentityprovider::operation::get_user::GetUserOutput;

use super::{AwsSdkTransport, authentication_result, map_error};
use crate::transport::error::TransportError;
use crate::wire::{
    AccessTokenRequest, AttributeType, EmptyResponse, GetTokensFromRefreshTokenRequest,
    GetTokensFromRefreshTokenResponse, GetUserResponse, MfaOptionType, Operation,
    RevokeTokenRequest,
};

impl AwsSdkTransport {
    pub(super) async fn get_tokens_sdk(
        &self,
        request: GetTokensFromRefreshTokenRequest,
    ) -> Result<GetTokensFromRefreshTokenResponse, TransportError> {
        let output = self
            .client
            .get_tokens_from_refresh_token()
            .refresh_token(request.refresh_token)
            .client_id(request.client_id)
            .set_client_secret(request.client_secret)
            .set_device_key(request.device_key)
            .set_client_metadata(request.client_metadata.map(|m| m.into_iter().collect()))
            .send()
            .await
            .map_err(|e| map_error(Operation::GetTokensFromRefreshToken, e))?;
        Ok(GetTokensFromRefreshTokenResponse {
            authentication_result: output.authentication_result().map(authentication_result),
        })
    }

    pub(super) async fn revoke_token_sdk(
        &self,
        request: RevokeTokenRequest,
    ) -> Result<EmptyResponse, TransportError> {
        self.client
            .revoke_token()
            .token(request.token)
            .client_id(request.client_id)
            .set_client_secret(request.client_secret)
            .send()
            .await
            .map_err(|e| map_error(Operation::RevokeToken, e))?;
        Ok(EmptyResponse {})
    }

    pub(super) async fn global_sign_out_sdk(
        &self,
        request: AccessTokenRequest,
    ) -> Result<EmptyResponse, TransportError> {
        self.client
            .global_sign_out()
            .access_token(request.access_token)
            .send()
            .await
            .map_err(|e| map_error(Operation::GlobalSignOut, e))?;
        Ok(EmptyResponse {})
    }

    pub(super) async fn get_user_sdk(
        &self,
        request: AccessTokenRequest,
    ) -> Result<GetUserResponse, TransportError> {
        let output = self
            .client
            .get_user()
            .access_token(request.access_token)
            .send()
            .await
            .map_err(|e| map_error(Operation::GetUser, e))?;
        Ok(get_user_response(&output))
    }
}

fn get_user_response(output: &GetUserOutput) -> GetUserResponse {
    let options: Vec<MfaOptionType> = output
        .mfa_options()
        .iter()
        .map(|o| MfaOptionType {
            delivery_medium: o.delivery_medium().map(|m| m.as_str().to_owned()),
            attribute_name: o.attribute_name().map(str::to_owned),
        })
        .collect();
    let list = output.user_mfa_setting_list().to_vec();
    GetUserResponse {
        username: output.username().to_owned(),
        user_attributes: output
            .user_attributes()
            .iter()
            .map(|a| AttributeType {
                name: a.name().to_owned(),
                value: a.value().map(str::to_owned),
            })
            .collect(),
        mfa_options: (!options.is_empty()).then_some(options),
        preferred_mfa_setting: output.preferred_mfa_setting().map(str::to_owned),
        user_mfa_setting_list: (!list.is_empty()).then_some(list),
    }
}
