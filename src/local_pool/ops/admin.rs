//! User management: the administrative calls `AdminCreateUser`,
//! `AdminSetUserPassword`, `AdminGetUser` and `AdminSetUserMFAPreference`, and
//! the user's own `SetUserMFAPreference` (authorised by its access token),
//! which shares the MFA-preference rules; also `Empty`, the `{}` answer of
//! calls that return nothing.
//!
//! The admin calls are not authenticated (no SigV4 check): the pool is for
//! loopback.

use chrono::{DateTime, Utc};

use super::Empty;
use crate::local_pool::CODES_LOG_TARGET;
use crate::local_pool::config::SeedUser;
use crate::local_pool::error::ErrorReply;
use crate::local_pool::random;
use crate::local_pool::state::pool::PoolState;
use crate::local_pool::state::users::{MfaKind, User, UserStatus};
use crate::secret::Password;
use crate::wire::ServiceErrorKind;
use crate::wire::{
    AdminCreateUserRequest, AdminCreateUserResponse, AdminGetUserRequest, AdminGetUserResponse,
    AdminSetUserMfaPreferenceRequest, AdminSetUserPasswordRequest, AttributeType, MfaPreference,
    MfaSettingsType, SetUserMfaPreferenceRequest, UserState, UserType,
};

fn seconds(at: DateTime<Utc>) -> f64 {
    at.timestamp_millis() as f64 / 1000.0
}

fn user_state(user: &User) -> UserState {
    UserState {
        user_create_date: Some(seconds(user.created)),
        user_last_modified_date: Some(seconds(user.modified)),
        enabled: Some(user.enabled),
        user_status: Some(user.status.as_str().to_owned()),
        mfa_options: None,
    }
}

pub(super) fn attributes(user: &User) -> Vec<AttributeType> {
    user.attributes
        .iter()
        .map(|(name, value)| AttributeType {
            name: name.clone(),
            value: Some(value.clone()),
        })
        .collect()
}

fn find(pool: &PoolState, pool_id: &str, username: &str) -> Result<User, ErrorReply> {
    pool.check_pool_id(pool_id)?;
    pool.users
        .find(username)
        .ok_or_else(ErrorReply::user_not_found)
}

/// `AdminCreateUser`: the user must replace the temporary password at first
/// sign-in. Without `TemporaryPassword` one is generated and written to the log.
pub(crate) fn create_user(
    pool: &PoolState,
    request: AdminCreateUserRequest,
) -> Result<AdminCreateUserResponse, ErrorReply> {
    pool.check_pool_id(&request.user_pool_id)?;
    if pool.users.resolve(&request.username).is_some() {
        return Err(ErrorReply::new(
            ServiceErrorKind::UsernameExists,
            "User account already exists",
        ));
    }
    let password = match &request.temporary_password {
        Some(password) => Password::new(password.as_str()),
        None => {
            let generated = Password::new(format!(
                "Tmp-{}9a",
                random::string_from(
                    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
                    10
                )?
            ));
            // No mail service: the generated temporary password goes to the server log.
            tracing::info!(target: CODES_LOG_TARGET, user = %request.username, temporary_password = %generated.expose_secret(), "AdminCreateUser: temporary password");
            generated
        }
    };
    let mut seed = SeedUser::new(request.username.clone(), password).temporary();
    for attribute in request.user_attributes.iter().flatten() {
        seed = seed.attribute(
            attribute.name.clone(),
            attribute.value.clone().unwrap_or_default(),
        );
    }
    let user = pool.create_user(&seed)?;
    Ok(AdminCreateUserResponse {
        user: Some(UserType {
            username: Some(user.internal_name.clone()),
            attributes: Some(attributes(&user)),
            state: user_state(&user),
        }),
    })
}

/// `AdminSetUserPassword`: `Permanent` confirms the user, otherwise the next
/// sign-in gets `NEW_PASSWORD_REQUIRED`. Refresh tokens are revoked.
pub(crate) fn set_user_password(
    pool: &PoolState,
    request: AdminSetUserPasswordRequest,
) -> Result<Empty, ErrorReply> {
    let user = find(pool, &request.user_pool_id, &request.username)?;
    let status = if request.permanent.unwrap_or(false) {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    pool.set_password(&user.sub, &Password::new(request.password.as_str()), status)?;
    pool.tokens.grants.sign_out_everywhere(&user.sub);
    Ok(Empty {})
}

/// `AdminGetUser`.
pub(crate) fn get_user(
    pool: &PoolState,
    request: AdminGetUserRequest,
) -> Result<AdminGetUserResponse, ErrorReply> {
    let user = find(pool, &request.user_pool_id, &request.username)?;
    let (preferred_mfa_setting, user_mfa_setting_list) = mfa_settings(&user);
    Ok(AdminGetUserResponse {
        username: user.internal_name.clone(),
        user_attributes: Some(attributes(&user)),
        state: user_state(&user),
        preferred_mfa_setting,
        user_mfa_setting_list,
    })
}

/// `PreferredMfaSetting` (only when enabled) and `UserMFASettingList` (only
/// when not empty), as `AdminGetUser` and `GetUser` answer them.
pub(super) fn mfa_settings(user: &User) -> (Option<String>, Option<Vec<String>>) {
    let enabled = user.enabled_mfa();
    let preferred = user
        .preferred_mfa
        .filter(|kind| enabled.contains(kind))
        .map(|kind| kind.as_str().to_owned());
    let list: Vec<String> = enabled
        .iter()
        .map(|kind| kind.as_str().to_owned())
        .collect();
    (preferred, (!list.is_empty()).then_some(list))
}

/// `AdminSetUserMFAPreference`.
pub(crate) fn admin_set_mfa_preference(
    pool: &PoolState,
    request: AdminSetUserMfaPreferenceRequest,
) -> Result<Empty, ErrorReply> {
    let user = find(pool, &request.user_pool_id, &request.username)?;
    set_preference(pool, &user.sub, request.preference)
}

/// `SetUserMFAPreference` (with the user's access token).
pub(crate) fn set_mfa_preference(
    pool: &PoolState,
    request: SetUserMfaPreferenceRequest,
    now: DateTime<Utc>,
) -> Result<Empty, ErrorReply> {
    let claims = pool
        .tokens
        .verify_access_token(&request.access_token, now)?;
    set_preference(pool, &claims.sub, request.preference)
}

fn set_preference(
    pool: &PoolState,
    sub: &str,
    preference: MfaPreference,
) -> Result<Empty, ErrorReply> {
    pool.users.update(sub, |user| {
        if let Some(sms) = preference.sms_mfa_settings {
            if sms.enabled == Some(true) && !user.attributes.contains_key("phone_number") {
                return Err(ErrorReply::invalid(
                    "User does not have a phone_number attribute for SMS MFA.",
                ));
            }
            apply(
                &mut user.sms_enabled,
                &mut user.preferred_mfa,
                sms,
                MfaKind::Sms,
            );
        }
        if let Some(totp) = preference.software_token_mfa_settings {
            if totp.enabled == Some(true) && user.totp.is_none() {
                return Err(ErrorReply::invalid(
                    "User has not verified software token mfa",
                ));
            }
            apply(
                &mut user.totp_enabled,
                &mut user.preferred_mfa,
                totp,
                MfaKind::SoftwareToken,
            );
        }
        Ok(())
    })?;
    Ok(Empty {})
}

fn apply(
    enabled: &mut bool,
    preferred: &mut Option<MfaKind>,
    settings: MfaSettingsType,
    kind: MfaKind,
) {
    if let Some(value) = settings.enabled {
        *enabled = value;
    }
    match settings.preferred_mfa {
        Some(true) if *enabled => *preferred = Some(kind),
        Some(false) if *preferred == Some(kind) => *preferred = None,
        _ => {}
    }
    if !*enabled && *preferred == Some(kind) {
        *preferred = None;
    }
}
