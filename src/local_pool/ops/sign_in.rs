//! `InitiateAuth` and `RespondToAuthChallenge`: the flows and challenges;
//! the SRP steps themselves are in [`super::srp`], `USER_AUTH` in
//! [`super::user_auth`].

use std::time::Instant;

use chrono::{DateTime, Utc};
use subtle::ConstantTimeEq;

use super::next_step::SignIn;
use super::required;
use super::srp::{answer_claim, device_srp_auth, start_srp};
use super::tokens;
use super::user_auth;
use crate::local_pool::error::ErrorReply;
use crate::local_pool::settings::{CustomAuthTrigger, ExplicitAuthFlow};
use crate::local_pool::state::attempts::Attempt;
use crate::local_pool::state::pool::PoolState;
use crate::local_pool::state::sessions::{ChallengeSession, Stage};
use crate::local_pool::state::users::{MfaKind, User, UserStatus, check_password_policy};
use crate::secret::Password;
use crate::srp::param;
use crate::wire::ServiceErrorKind;
use crate::wire::{
    AuthFlow, ChallengeName, InitiateAuthRequest, InitiateAuthResponse, ParameterMap,
    RespondToAuthChallengeRequest,
};

/// `InitiateAuth`.
pub(crate) fn initiate_auth(
    pool: &PoolState,
    request: InitiateAuthRequest,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client = pool.client(&request.client_id)?;
    let params = request.auth_parameters.unwrap_or_default();
    let flow = request
        .auth_flow
        .ok_or_else(|| ErrorReply::missing("AuthFlow"))?;
    if let Some(needed) = ExplicitAuthFlow::for_flow(&flow)
        && !client.auth_flows().allows(needed)
    {
        return Err(ErrorReply::invalid(format!(
            "{} flow not enabled for this client",
            flow.as_str()
        )));
    }
    match flow {
        AuthFlow::UserSrpAuth => start_srp(pool, &request.client_id, &params, false),
        AuthFlow::CustomAuth => {
            if pool.custom_auth == CustomAuthTrigger::None {
                return Err(ErrorReply::invalid(
                    "Custom auth lambda trigger is not configured for the user pool.",
                ));
            }
            if params.get(param::CHALLENGE_NAME).map(String::as_str)
                != Some(param::CHALLENGE_NAME_SRP_A)
            {
                return Err(ErrorReply::invalid(
                    "The local pool's modelled custom auth trigger starts with SRP: send CHALLENGE_NAME=SRP_A and SRP_A (no CUSTOM_CHALLENGE is modelled).",
                ));
            }
            start_srp(pool, &request.client_id, &params, true)
        }
        AuthFlow::UserPasswordAuth => {
            let username = required(&params, param::USERNAME)?;
            let password = Password::new(required(&params, param::PASSWORD)?.as_str());
            pool.check_secret_hash(client, params.get(param::SECRET_HASH), username)?;
            let user = super::sign_in_user(pool, client, username)?;
            let known_device = params
                .get(param::DEVICE_KEY)
                .filter(|key| pool.devices.get(&user.sub, key).is_some());
            user_auth::password_sign_in(
                pool,
                client.client_id().as_str(),
                &user,
                &password,
                known_device.map(String::as_str),
                now,
            )
        }
        AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
            tokens::refresh_token_auth(pool, client, &params, now)
        }
        AuthFlow::UserAuth => user_auth::initiate(pool, client, &params, now),
        other => Err(ErrorReply::invalid(format!(
            "1 validation error detected: Value '{}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, USER_AUTH]",
            crate::local_pool::error::printable(other.as_str())
        ))),
    }
}

/// `RespondToAuthChallenge`.
pub(crate) fn respond_to_auth_challenge(
    pool: &PoolState,
    request: RespondToAuthChallengeRequest,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client = pool.client(&request.client_id)?;
    let client_id = client.client_id().as_str();
    let responses = request.challenge_responses.unwrap_or_default();
    let name = request
        .challenge_name
        .ok_or_else(|| ErrorReply::missing("ChallengeName"))?;
    if matches!(
        name,
        ChallengeName::PasswordVerifier | ChallengeName::DevicePasswordVerifier
    ) {
        let device = name == ChallengeName::DevicePasswordVerifier;
        return answer_claim(pool, client_id, device, &responses, now);
    }
    if matches!(
        name,
        ChallengeName::SelectChallenge
            | ChallengeName::Password
            | ChallengeName::PasswordSrp
            | ChallengeName::EmailOtp
            | ChallengeName::SmsOtp
    ) {
        return user_auth::respond(pool, client, request.session, &name, &responses, now);
    }
    let known = matches!(
        name,
        ChallengeName::DeviceSrpAuth
            | ChallengeName::NewPasswordRequired
            | ChallengeName::SmsMfa
            | ChallengeName::SoftwareTokenMfa
            | ChallengeName::SelectMfaType
            | ChallengeName::MfaSetup
    );
    if !known {
        return Err(ErrorReply::invalid(format!(
            "Challenge {} is not supported by this user pool.",
            crate::local_pool::error::printable(name.as_str())
        )));
    }
    let username = required(&responses, param::USERNAME)?;
    if name == ChallengeName::NewPasswordRequired {
        // Checked before the session is spent, so the user can try another password.
        let password = Password::new(required(&responses, param::NEW_PASSWORD)?.as_str());
        check_password_policy(&password)?;
    }
    let (key, session) = match request.session {
        Some(key) => {
            let session = pool.sessions.take(&key, client_id)?;
            (key, session)
        }
        // Whether Cognito needs the Session here is unknown (the SDKs send
        // it): without one, the device step of this user's sign-in with
        // this device is found by user and device, so a device proof still
        // follows a password proof.
        None if name == ChallengeName::DeviceSrpAuth => {
            let device_key = required(&responses, param::DEVICE_KEY)?;
            let sub = pool
                .users
                .resolve(username)
                .ok_or_else(ErrorReply::expired_session)?;
            let session = pool
                .sessions
                .take_device_step(client_id, &sub, device_key)?;
            (String::new(), session)
        }
        None => return Err(ErrorReply::missing("Session")),
    };
    if session.stage.challenge_name() != name {
        return Err(ErrorReply::expired_session());
    }
    let user = super::session_user(pool, &session, username)?;
    pool.check_secret_hash(
        client,
        responses.get(param::SECRET_HASH),
        &user.internal_name,
    )?;
    match &session.stage {
        Stage::NewPasswordRequired => {
            let password = Password::new(required(&responses, param::NEW_PASSWORD)?.as_str());
            pool.set_password(&user.sub, &password, UserStatus::Confirmed)?;
            let updated = set_user_attributes(pool, &user, &responses)?;
            pool.second_factor(&updated, SignIn::resumed(&session, now))
        }
        Stage::SmsMfa { .. } | Stage::SoftwareTokenMfa => {
            let field = match &session.stage {
                Stage::SmsMfa { .. } => param::SMS_MFA_CODE,
                _ => param::SOFTWARE_TOKEN_MFA_CODE,
            };
            let given = required(&responses, field)?;
            // Wrong codes count per user across sessions: reserved before
            // the check, refused while locked out (the session is spent).
            let attempt = pool.codes.reserve(&user.sub, Instant::now())?;
            let ok = match &session.stage {
                Stage::SmsMfa { code } => {
                    code.len() == given.len() && bool::from(code.as_bytes().ct_eq(given.as_bytes()))
                }
                // Right for the user's secret, and from a step not accepted yet.
                _ => pool.users.accept_totp(&user.sub, given, now.timestamp()),
            };
            finish_code(
                pool,
                &key,
                if ok { Ok(session) } else { Err(session) },
                &user,
                attempt,
                now,
            )
        }
        Stage::SelectMfaType => {
            let answer = required(&responses, param::ANSWER)?;
            let kind = match ChallengeName::from_wire(answer) {
                ChallengeName::SmsMfa => MfaKind::Sms,
                ChallengeName::SoftwareTokenMfa => MfaKind::SoftwareToken,
                _ => {
                    return Err(ErrorReply::invalid(
                        "Invalid ANSWER: must be SMS_MFA or SOFTWARE_TOKEN_MFA.",
                    ));
                }
            };
            if !user.enabled_mfa().contains(&kind) {
                return Err(ErrorReply::invalid(
                    "The chosen MFA type is not enabled for the user.",
                ));
            }
            pool.mfa_challenge(&user, SignIn::resumed(&session, now), kind)
        }
        Stage::MfaSetup { verified, .. } => {
            if !verified {
                return Err(ErrorReply::invalid(
                    "Software token MFA has not been verified: call AssociateSoftwareToken and VerifySoftwareToken with the session first.",
                ));
            }
            pool.sign_in_tokens(&user, SignIn::resumed(&session, now))
        }
        Stage::DeviceSrpAuth { device_key } => {
            device_srp_auth(pool, client_id, &user, device_key, &responses)
        }
        // Answered by `user_auth::respond`; their names never reach here.
        Stage::FirstFactor { .. } | Stage::FirstFactorCode { .. } => {
            Err(ErrorReply::expired_session())
        }
    }
}

/// Tokens after a right code (`Ok(session)`: the user's count of wrong
/// codes starts over); after a wrong one (`Err(session)`: counted) the
/// session is kept for another try.
fn finish_code(
    pool: &PoolState,
    key: &str,
    outcome: Result<ChallengeSession, ChallengeSession>,
    user: &User,
    attempt: Attempt<'_>,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    match outcome {
        Ok(session) => {
            attempt.succeeded();
            pool.sign_in_tokens(user, SignIn::resumed(&session, now))
        }
        Err(session) => {
            attempt.failed(Instant::now());
            pool.sessions.retry(key, session);
            Err(ErrorReply::new(
                ServiceErrorKind::CodeMismatch,
                "Invalid code received for user",
            ))
        }
    }
}

/// `userAttributes.<name>` answers of `NEW_PASSWORD_REQUIRED`.
fn set_user_attributes(
    pool: &PoolState,
    user: &User,
    responses: &ParameterMap,
) -> Result<User, ErrorReply> {
    let changes: Vec<(String, String)> = responses
        .iter()
        .filter_map(|(key, value)| {
            Some((
                key.strip_prefix("userAttributes.")?.to_owned(),
                value.clone(),
            ))
        })
        .filter(|(name, _)| name != "sub" && name != "email")
        .collect();
    if !changes.is_empty() {
        pool.users.update(&user.sub, |user| {
            user.attributes.extend(changes);
            Ok(())
        })?;
    }
    pool.users
        .get(&user.sub)
        .ok_or_else(ErrorReply::user_not_found)
}
