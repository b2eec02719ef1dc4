//! `InitiateAuth` and `RespondToAuthChallenge`.

use std::time::Instant;

use chrono::{DateTime, Utc};
use subtle::ConstantTimeEq;

use super::devices::device_not_found;
use super::error::ErrorReply;
use super::pool::PoolState;
use super::secret_block::PendingAttempt;
use super::server_srp::{ClaimError, ServerChallenge};
use super::sessions::{ChallengeSession, Stage};
use super::timestamp::check_timestamp;
use super::users::{MfaKind, User, UserStatus, check_password_policy};
use crate::math::SrpInteger;
use crate::secret::Password;
use crate::srp::{MAX_SIGNED_HEX_DIGITS, SecretBlock};
use crate::wire::ServiceErrorKind;
use crate::wire::{
    AuthFlow, ChallengeName, InitiateAuthRequest, InitiateAuthResponse, ParameterMap,
    RespondToAuthChallengeRequest,
};

fn required<'a>(params: &'a ParameterMap, name: &str) -> Result<&'a String, ErrorReply> {
    params.get(name).ok_or_else(|| ErrorReply::missing(name))
}

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
    match flow {
        AuthFlow::UserSrpAuth => start_srp(pool, &request.client_id, &params, false),
        AuthFlow::CustomAuth => {
            if params.get("CHALLENGE_NAME").map(String::as_str) != Some("SRP_A") {
                return Err(ErrorReply::invalid(
                    "Custom auth lambda trigger is not configured for the user pool.",
                ));
            }
            start_srp(pool, &request.client_id, &params, true)
        }
        AuthFlow::UserPasswordAuth => {
            let username = required(&params, "USERNAME")?;
            let password = Password::new(required(&params, "PASSWORD")?.as_str());
            pool.check_secret_hash(client, params.get("SECRET_HASH"), username)?;
            let user = pool
                .users
                .find(username)
                .ok_or_else(ErrorReply::user_not_found)?;
            pool.check_not_locked(&user.sub, Instant::now())?;
            if !user
                .verifier
                .matches_password(pool.pool_name(), &user.sub, &password)
            {
                pool.record_failed_password(&user.sub, Instant::now());
                return Err(ErrorReply::incorrect_password());
            }
            pool.record_correct_password(&user.sub);
            let known_device = params
                .get("DEVICE_KEY")
                .is_some_and(|key| pool.devices.get(&user.sub, key).is_some());
            pool.after_password(&user, client.client_id().as_str(), now, !known_device)
        }
        AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
            let token = required(&params, "REFRESH_TOKEN")?;
            // SECRET_HASH is checked before the token is spent: a wrong hash
            // does not burn the caller's refresh token.
            let sub = pool
                .tokens
                .peek_refresh_token(token, client.client_id().as_str())?;
            let hash_name = params
                .get("USERNAME")
                .cloned()
                .unwrap_or_else(|| sub.clone());
            let same_user = pool.users.resolve(&hash_name).as_deref() == Some(sub.as_str());
            if !same_user {
                return Err(ErrorReply::new(
                    ServiceErrorKind::NotAuthorized,
                    "Invalid Refresh Token",
                ));
            }
            pool.check_secret_hash(client, params.get("SECRET_HASH"), &hash_name)?;
            let grant = pool
                .tokens
                .redeem_refresh_token(token, client.client_id().as_str())?;
            let user = pool.users.get(&grant.sub).ok_or_else(|| {
                ErrorReply::new(ServiceErrorKind::NotAuthorized, "Invalid Refresh Token")
            })?;
            pool.tokens_for(&user, client.client_id().as_str(), grant.auth_time, now)
        }
        AuthFlow::UserAuth => Err(ErrorReply::invalid(
            "USER_AUTH flow not enabled for this client",
        )),
        other => Err(ErrorReply::invalid(format!(
            "1 validation error detected: Value '{}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH]",
            super::pool::printable(other.as_str())
        ))),
    }
}

fn start_srp(
    pool: &PoolState,
    client_id: &str,
    params: &ParameterMap,
    custom_auth: bool,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client = pool.client(client_id)?;
    let username = required(params, "USERNAME")?;
    let srp_a_text = required(params, "SRP_A")?;
    pool.check_secret_hash(client, params.get("SECRET_HASH"), username)?;
    let srp_a = parse_srp_a(srp_a_text)?;
    let user = pool
        .users
        .find(username)
        .ok_or_else(ErrorReply::user_not_found)?;
    if !user.enabled {
        return Err(ErrorReply::new(
            ServiceErrorKind::NotAuthorized,
            "User is disabled.",
        ));
    }
    // Before any SRP work and before a SECRET_BLOCK is issued.
    pool.check_not_locked(&user.sub, Instant::now())?;
    let device_key = match params.get("DEVICE_KEY") {
        Some(key) => {
            pool.devices
                .get(&user.sub, key)
                .ok_or_else(device_not_found)?;
            Some(key.clone())
        }
        None => None,
    };
    let challenge = ServerChallenge::start(&user.verifier).map_err(|_| ErrorReply::internal())?;
    let srp_b = challenge.srp_b().to_hex();
    let salt = user.verifier.salt().to_hex();
    let block = pool.blocks.issue(
        PendingAttempt {
            sub: user.sub.clone(),
            client_id: client_id.to_owned(),
            srp_a,
            challenge,
            verifier: user.verifier.clone(),
            custom_auth,
            device_key,
            device_group_key: None,
        },
        Instant::now(),
    )?;
    let mut parameters = ParameterMap::new();
    parameters.insert("SALT".to_owned(), salt);
    parameters.insert("SECRET_BLOCK".to_owned(), block.as_str().to_owned());
    parameters.insert("SRP_B".to_owned(), srp_b);
    parameters.insert("USERNAME".to_owned(), user.sub.clone());
    parameters.insert("USER_ID_FOR_SRP".to_owned(), user.sub.clone());
    Ok(InitiateAuthResponse {
        challenge_name: Some(ChallengeName::PasswordVerifier),
        challenge_parameters: Some(parameters),
        ..Default::default()
    })
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
    if name == ChallengeName::PasswordVerifier {
        return password_verifier(pool, client_id, &responses, now);
    }
    if name == ChallengeName::DevicePasswordVerifier {
        return device_password_verifier(pool, client_id, &responses, now);
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
            super::pool::printable(name.as_str())
        )));
    }
    let key = request
        .session
        .ok_or_else(|| ErrorReply::missing("Session"))?;
    let username = required(&responses, "USERNAME")?;
    if name == ChallengeName::NewPasswordRequired {
        // Checked before the session is spent, so the user can try another password.
        let password = Password::new(required(&responses, "NEW_PASSWORD")?.as_str());
        check_password_policy(&password)?;
    }
    let session = pool.sessions.take(&key, client_id)?;
    if session.stage.challenge_name() != name.as_str() {
        return Err(ErrorReply::expired_session());
    }
    if pool.users.resolve(username).as_deref() != Some(session.sub.as_str()) {
        return Err(ErrorReply::incorrect_password());
    }
    pool.check_secret_hash(client, responses.get("SECRET_HASH"), &session.sub)?;
    let user = pool
        .users
        .get(&session.sub)
        .ok_or_else(ErrorReply::user_not_found)?;
    match &session.stage {
        Stage::NewPasswordRequired => {
            let password = Password::new(required(&responses, "NEW_PASSWORD")?.as_str());
            pool.set_password(&user.sub, &password, UserStatus::Confirmed)?;
            let updated = set_user_attributes(pool, &user, &responses)?;
            pool.second_factor(
                &updated,
                client_id,
                session.auth_time,
                now,
                session.new_device,
            )
        }
        Stage::SmsMfa { code } => {
            let given = required(&responses, "SMS_MFA_CODE")?;
            let ok =
                code.len() == given.len() && bool::from(code.as_bytes().ct_eq(given.as_bytes()));
            finish_code(
                pool,
                &key,
                if ok { Ok(session) } else { Err(session) },
                &user,
                client_id,
                now,
            )
        }
        Stage::SoftwareTokenMfa => {
            let given = required(&responses, "SOFTWARE_TOKEN_MFA_CODE")?;
            let ok = user
                .totp
                .as_ref()
                .is_some_and(|secret| secret.verify(given, now.timestamp()));
            finish_code(
                pool,
                &key,
                if ok { Ok(session) } else { Err(session) },
                &user,
                client_id,
                now,
            )
        }
        Stage::SelectMfaType => {
            let answer = required(&responses, "ANSWER")?;
            let kind = match answer.as_str() {
                "SMS_MFA" => MfaKind::Sms,
                "SOFTWARE_TOKEN_MFA" => MfaKind::SoftwareToken,
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
            pool.mfa_challenge(
                &user,
                client_id,
                session.auth_time,
                kind,
                session.new_device,
            )
        }
        Stage::MfaSetup { verified, .. } => {
            if !verified {
                return Err(ErrorReply::invalid(
                    "Software token MFA has not been verified: call AssociateSoftwareToken and VerifySoftwareToken with the session first.",
                ));
            }
            pool.sign_in_tokens(&user, client_id, session.auth_time, now, session.new_device)
        }
        Stage::DeviceSrpAuth { device_key } => {
            device_srp_auth(pool, client_id, &user, device_key, &responses)
        }
    }
}

/// Tokens after a right code (`Ok(session)`); after a wrong one
/// (`Err(session)`) the session is kept for another try.
fn finish_code(
    pool: &PoolState,
    key: &str,
    outcome: Result<ChallengeSession, ChallengeSession>,
    user: &User,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    match outcome {
        Ok(session) => {
            pool.sign_in_tokens(user, client_id, session.auth_time, now, session.new_device)
        }
        Err(session) => {
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

fn password_verifier(
    pool: &PoolState,
    client_id: &str,
    responses: &ParameterMap,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client = pool.client(client_id)?;
    let block_text = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = required(responses, "TIMESTAMP")?;
    let username = required(responses, "USERNAME")?;
    // The block is spent from here on, whatever the outcome.
    let attempt = pool.blocks.redeem(block_text, client_id, Instant::now())?;
    if attempt.device_group_key.is_some() {
        // A device proof's block answered as a password proof.
        return Err(ErrorReply::incorrect_password());
    }
    let timestamp = check_timestamp(timestamp, now)?;
    if pool.users.resolve(username).as_deref() != Some(attempt.sub.as_str()) {
        return Err(ErrorReply::incorrect_password());
    }
    pool.check_secret_hash(client, responses.get("SECRET_HASH"), &attempt.sub)?;
    // A user locked out meanwhile: the (spent) block is not verified.
    pool.check_not_locked(&attempt.sub, Instant::now())?;
    let block = SecretBlock::decode(block_text).map_err(|_| ErrorReply::incorrect_password())?;
    let checked = attempt.challenge.verify_claim(
        &attempt.verifier,
        &attempt.srp_a,
        pool.pool_name(),
        &attempt.sub,
        &block,
        &timestamp,
        signature,
    );
    match checked {
        Ok(()) => pool.record_correct_password(&attempt.sub),
        Err(ClaimError::SrpAModNZero) => {
            return Err(ErrorReply::invalid("Invalid SRP_A: A mod N is zero."));
        }
        Err(_) => {
            pool.record_failed_password(&attempt.sub, Instant::now());
            return Err(ErrorReply::incorrect_password());
        }
    }
    let user = pool
        .users
        .get(&attempt.sub)
        .ok_or_else(ErrorReply::user_not_found)?;
    if attempt.custom_auth {
        tracing::debug!(user = %user.username, "CUSTOM_AUTH: SRP_A done; no Lambda triggers, issuing tokens");
    }
    if let Some(device_key) = &attempt.device_key {
        let device = pool
            .devices
            .get(&user.sub, device_key)
            .ok_or_else(device_not_found)?;
        if device.is_remembered() && user.enabled && user.status == UserStatus::Confirmed {
            let mut params = pool.user_params(&user);
            params.insert("USERNAME".to_owned(), user.sub.clone());
            let stage = Stage::DeviceSrpAuth {
                device_key: device_key.clone(),
            };
            return pool.challenge(&user, client_id, now.timestamp(), stage, params, false);
        }
    }
    pool.after_password(&user, client_id, now, attempt.device_key.is_none())
}

fn parse_srp_a(text: &str) -> Result<SrpInteger, ErrorReply> {
    if text.len() > MAX_SIGNED_HEX_DIGITS || text.starts_with('-') {
        return Err(ErrorReply::invalid("Invalid SRP_A."));
    }
    let srp_a =
        SrpInteger::from_signed_hex(text).ok_or_else(|| ErrorReply::invalid("Invalid SRP_A."))?;
    if srp_a.is_zero_mod_n() {
        return Err(ErrorReply::invalid("Invalid SRP_A: A mod N is zero."));
    }
    Ok(srp_a)
}

/// `DEVICE_SRP_AUTH` (`USERNAME`, `DEVICE_KEY`, `SRP_A`): answers
/// `DEVICE_PASSWORD_VERIFIER` with `B` from the device's stored verifier.
fn device_srp_auth(
    pool: &PoolState,
    client_id: &str,
    user: &User,
    device_key: &str,
    responses: &ParameterMap,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let given_key = required(responses, "DEVICE_KEY")?;
    if given_key != device_key {
        return Err(device_not_found());
    }
    let srp_a = parse_srp_a(required(responses, "SRP_A")?)?;
    let device = pool
        .devices
        .get(&user.sub, device_key)
        .ok_or_else(device_not_found)?;
    let verifier = device.verifier.clone().ok_or_else(device_not_found)?;
    let challenge = ServerChallenge::start(&verifier).map_err(|_| ErrorReply::internal())?;
    let srp_b = challenge.srp_b().to_hex();
    let salt = verifier.salt().to_hex();
    let block = pool.blocks.issue(
        PendingAttempt {
            sub: user.sub.clone(),
            client_id: client_id.to_owned(),
            srp_a,
            challenge,
            verifier,
            custom_auth: false,
            device_key: Some(device.key.clone()),
            device_group_key: Some(device.group_key.clone()),
        },
        Instant::now(),
    )?;
    let mut parameters = ParameterMap::new();
    parameters.insert("SALT".to_owned(), salt);
    parameters.insert("SECRET_BLOCK".to_owned(), block.as_str().to_owned());
    parameters.insert("SRP_B".to_owned(), srp_b);
    parameters.insert("USERNAME".to_owned(), user.sub.clone());
    Ok(InitiateAuthResponse {
        challenge_name: Some(ChallengeName::DevicePasswordVerifier),
        challenge_parameters: Some(parameters),
        ..Default::default()
    })
}

/// `DEVICE_PASSWORD_VERIFIER`: the device's claim, checked in constant time
/// against its verifier (device group key as pool name, device key as user
/// id). A remembered device skips MFA: the tokens follow.
fn device_password_verifier(
    pool: &PoolState,
    client_id: &str,
    responses: &ParameterMap,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client = pool.client(client_id)?;
    let block_text = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = required(responses, "TIMESTAMP")?;
    let username = required(responses, "USERNAME")?;
    let device_key = required(responses, "DEVICE_KEY")?;
    // The block is spent from here on, whatever the outcome.
    let attempt = pool.blocks.redeem(block_text, client_id, Instant::now())?;
    let (Some(group_key), Some(attempt_key)) = (&attempt.device_group_key, &attempt.device_key)
    else {
        return Err(ErrorReply::incorrect_password());
    };
    let timestamp = check_timestamp(timestamp, now)?;
    if pool.users.resolve(username).as_deref() != Some(attempt.sub.as_str()) {
        return Err(ErrorReply::incorrect_password());
    }
    pool.check_secret_hash(client, responses.get("SECRET_HASH"), &attempt.sub)?;
    if attempt_key != device_key {
        return Err(device_not_found());
    }
    let block = SecretBlock::decode(block_text).map_err(|_| ErrorReply::incorrect_password())?;
    let checked = attempt.challenge.verify_claim(
        &attempt.verifier,
        &attempt.srp_a,
        group_key,
        attempt_key,
        &block,
        &timestamp,
        signature,
    );
    match checked {
        Ok(()) => {}
        Err(ClaimError::SrpAModNZero) => {
            return Err(ErrorReply::invalid("Invalid SRP_A: A mod N is zero."));
        }
        Err(_) => return Err(ErrorReply::incorrect_password()),
    }
    pool.devices.update(&attempt.sub, attempt_key, |device| {
        device.last_authenticated = now;
    })?;
    let user = pool
        .users
        .get(&attempt.sub)
        .ok_or_else(ErrorReply::user_not_found)?;
    tracing::debug!(user = %user.username, "remembered device proved; MFA skipped");
    pool.tokens_for(&user, client_id, now.timestamp(), now)
}
