//! The token life cycle after sign-in: refresh (`REFRESH_TOKEN_AUTH` and
//! `GetTokensFromRefreshToken`), `RevokeToken`, `GlobalSignOut` and `GetUser`.
//! What the grants keep is in [`crate::local_pool::state::refresh_grants`].

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::admin::{attributes, mfa_settings};
use super::required;
use crate::local_pool::config::{AppClient, DeviceTracking};
use crate::local_pool::error::ErrorReply;
use crate::local_pool::state::pool::{PoolState, check_client_credential};
use crate::local_pool::state::refresh_grants::{RefreshGrant, invalid_refresh_token};
use crate::local_pool::state::users::User;
use crate::srp::param;
use crate::wire::ServiceErrorKind;
use crate::wire::{
    AccessTokenRequest, AuthenticationResult, EmptyResponse, GetTokensFromRefreshTokenRequest,
    GetTokensFromRefreshTokenResponse, GetUserResponse, InitiateAuthResponse, ParameterMap,
    RevokeTokenRequest,
};

/// `InitiateAuth` with `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN`: new ID and
/// access tokens; the refresh token stays valid (no new one is returned).
/// Refused on an app client with rotation, which only
/// `GetTokensFromRefreshToken` refreshes.
pub(crate) fn refresh_token_auth(
    pool: &PoolState,
    client: &AppClient,
    params: &ParameterMap,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let token = required(params, param::REFRESH_TOKEN)?;
    if pool.tokens.settings().refresh_token_rotation.is_some() {
        return Err(ErrorReply::new(
            ServiceErrorKind::NotAuthorized,
            "Refresh token rotation is enabled for this app client: use GetTokensFromRefreshToken.",
        ));
    }
    let client_id = client.client_id().as_str();
    let grant = pool
        .tokens
        .grants
        .check(token, client_id, Duration::ZERO, now)?;
    let user = granted_user(pool, &grant, params.get(param::DEVICE_KEY))?;
    // SECRET_HASH over USERNAME when given (the user name or an alias of the
    // token's user), else over the internal user name.
    let hash_name = params
        .get(param::USERNAME)
        .cloned()
        .unwrap_or_else(|| user.internal_name.clone());
    if pool.users.resolve(&hash_name).as_deref() != Some(grant.sub.as_str()) {
        return Err(invalid_refresh_token());
    }
    pool.check_secret_hash(client, params.get(param::SECRET_HASH), &hash_name)?;
    let result = pool.tokens.tokens(&user, &grant, now)?;
    Ok(InitiateAuthResponse {
        authentication_result: Some(result),
        challenge_parameters: Some(ParameterMap::new()),
        ..Default::default()
    })
}

/// `GetTokensFromRefreshToken`: new ID and access tokens; with rotation, a
/// new refresh token as well (the presented one works for the grace period).
pub(crate) fn get_tokens_from_refresh_token(
    pool: &PoolState,
    request: GetTokensFromRefreshTokenRequest,
    now: DateTime<Utc>,
) -> Result<GetTokensFromRefreshTokenResponse, ErrorReply> {
    let client = pool.client(&request.client_id)?;
    check_client_secret(
        client,
        request.client_secret.as_deref(),
        ServiceErrorKind::NotAuthorized,
    )?;
    if request.refresh_token.is_empty() {
        return Err(ErrorReply::missing("RefreshToken"));
    }
    let rotation = pool.tokens.settings().refresh_token_rotation;
    let client_id = client.client_id().as_str();
    let grant = pool.tokens.grants.check(
        &request.refresh_token,
        client_id,
        rotation.unwrap_or_default(),
        now,
    )?;
    let user = granted_user(pool, &grant, request.device_key.as_ref())?;
    let result: AuthenticationResult = match rotation {
        Some(_) => pool
            .tokens
            .rotate(&user, &request.refresh_token, &grant, now)?,
        None => pool.tokens.tokens(&user, &grant, now)?,
    };
    Ok(GetTokensFromRefreshTokenResponse {
        authentication_result: Some(result),
    })
}

/// The user a grant stands for, when the user may still sign in and, with
/// device tracking on, the request names the grant's device and that device
/// has been confirmed (`Invalid Refresh Token` otherwise, as Cognito answers a
/// refresh without the confirmed device's key).
fn granted_user(
    pool: &PoolState,
    grant: &RefreshGrant,
    device_key: Option<&String>,
) -> Result<User, ErrorReply> {
    if let Some(bound) = &grant.device_key
        && pool.device_tracking != DeviceTracking::Off
    {
        let confirmed = pool
            .devices
            .get(&grant.sub, bound)
            .is_some_and(|device| device.verifier.is_some());
        if device_key != Some(bound) || !confirmed {
            return Err(invalid_refresh_token());
        }
    }
    let user = pool
        .users
        .get(&grant.sub)
        .ok_or_else(invalid_refresh_token)?;
    if !user.enabled {
        return Err(ErrorReply::new(
            ServiceErrorKind::NotAuthorized,
            "User is disabled.",
        ));
    }
    Ok(user)
}

/// The raw app client secret of `GetTokensFromRefreshToken` and `RevokeToken`:
/// required when the client has one.
fn check_client_secret(
    client: &AppClient,
    given: Option<&str>,
    kind: ServiceErrorKind,
) -> Result<(), ErrorReply> {
    check_client_credential(
        client,
        given,
        |secret| secret.expose_secret().to_owned(),
        kind,
        "secret",
    )
}

/// `RevokeToken`: ends a refresh token and every token of its family.
/// Revoking a token that is already gone succeeds (the caller's goal holds).
pub(crate) fn revoke_token(
    pool: &PoolState,
    request: RevokeTokenRequest,
) -> Result<EmptyResponse, ErrorReply> {
    let client = pool.client(&request.client_id)?;
    check_client_secret(
        client,
        request.client_secret.as_deref(),
        ServiceErrorKind::Unauthorized,
    )?;
    if request.token.is_empty() {
        return Err(ErrorReply::missing("Token"));
    }
    if request.token.split('.').count() == 3 {
        return Err(ErrorReply::new(
            ServiceErrorKind::UnsupportedTokenType,
            "Only refresh tokens can be revoked.",
        ));
    }
    let revoked = pool
        .tokens
        .grants
        .revoke(&request.token, client.client_id().as_str());
    tracing::debug!(revoked, "RevokeToken");
    Ok(EmptyResponse {})
}

/// `GlobalSignOut`: ends every refresh token of the user and every access
/// token issued with them (this one included).
pub(crate) fn global_sign_out(
    pool: &PoolState,
    request: AccessTokenRequest,
    now: DateTime<Utc>,
) -> Result<EmptyResponse, ErrorReply> {
    let claims = pool
        .tokens
        .verify_access_token(&request.access_token, now)?;
    pool.tokens.grants.sign_out_everywhere(&claims.sub);
    Ok(EmptyResponse {})
}

/// `GetUser`: the signed-in user's name, attributes and MFA settings.
pub(crate) fn get_user(
    pool: &PoolState,
    request: AccessTokenRequest,
    now: DateTime<Utc>,
) -> Result<GetUserResponse, ErrorReply> {
    let claims = pool
        .tokens
        .verify_access_token(&request.access_token, now)?;
    let user = pool
        .users
        .get(&claims.sub)
        .ok_or_else(ErrorReply::user_not_found)?;
    let (preferred_mfa_setting, user_mfa_setting_list) = mfa_settings(&user);
    Ok(GetUserResponse {
        username: user.internal_name.clone(),
        user_attributes: attributes(&user),
        mfa_options: None,
        preferred_mfa_setting,
        user_mfa_setting_list,
    })
}
