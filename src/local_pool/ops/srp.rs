//! The SRP steps of a sign-in, for user and device SRP alike: one path
//! issues a challenge ([`issue_challenge`]: fresh `b`, `B`, `SECRET_BLOCK`)
//! and one checks a claim ([`check_claim`]), both over the core's server side ([`crate::ServerChallenge`]).
//! `USER_SRP_AUTH` → `PASSWORD_VERIFIER` uses the user's verifier (pool name,
//! `USER_ID_FOR_SRP`); `DEVICE_SRP_AUTH` → `DEVICE_PASSWORD_VERIFIER` the
//! device's (device group key, device key).

use std::time::Instant;

use chrono::{DateTime, Utc};

use super::next_step::SignIn;
use super::required;
use crate::local_pool::config::DeviceTracking;
use crate::local_pool::error::ErrorReply;
use crate::local_pool::state::devices::device_not_found;
use crate::local_pool::state::pool::PoolState;
use crate::local_pool::state::secret_block::PendingAttempt;
use crate::local_pool::state::sessions::Stage;
use crate::local_pool::state::users::{User, UserStatus};
use crate::local_pool::timestamp::check_timestamp;
use crate::math::SrpInteger;
use crate::srp::param;
use crate::srp::{
    ClaimError, CognitoTimestamp, MAX_SIGNED_HEX_DIGITS, PasswordVerifier, SecretBlock,
    ServerChallenge,
};
use crate::wire::ServiceErrorKind;
use crate::wire::{ChallengeName, InitiateAuthResponse, ParameterMap};

/// Who an SRP challenge is for, and what its claim is signed with.
struct ChallengeFor<'a> {
    /// The user's `sub`, or a phantom user's id.
    sub: &'a str,
    /// `USERNAME` (and, for user SRP, `USER_ID_FOR_SRP`): the internal user name.
    user_id: &'a str,
    client_id: &'a str,
    verifier: &'a PasswordVerifier,
    srp_a: SrpInteger,
    custom_auth: bool,
    device_key: Option<String>,
    /// `Some` for device SRP: the device group key.
    device_group_key: Option<String>,
}

/// Issues an SRP challenge (`PASSWORD_VERIFIER` or `DEVICE_PASSWORD_VERIFIER`):
/// a fresh `b` and `B` from the verifier, the client's `A` accepted, the
/// attempt stored under a fresh `SECRET_BLOCK`.
fn issue_challenge(
    pool: &PoolState,
    name: ChallengeName,
    target: ChallengeFor<'_>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let session = ServerChallenge::start(target.verifier)
        .map_err(|_| ErrorReply::internal())?
        .accept(&target.srp_a)
        .map_err(|_| ErrorReply::invalid("Invalid SRP_A: A mod N is zero."))?;
    let srp_b = session.srp_b().to_hex();
    let salt = session.salt().to_hex();
    let device = target.device_group_key.is_some();
    let block = pool.blocks.issue(
        PendingAttempt {
            sub: target.sub.to_owned(),
            client_id: target.client_id.to_owned(),
            session,
            custom_auth: target.custom_auth,
            device_key: target.device_key,
            device_group_key: target.device_group_key,
        },
        Instant::now(),
    )?;
    let mut parameters = ParameterMap::new();
    parameters.insert(param::SALT.to_owned(), salt);
    parameters.insert(param::SECRET_BLOCK.to_owned(), block.as_str().to_owned());
    parameters.insert(param::SRP_B.to_owned(), srp_b);
    parameters.insert(param::USERNAME.to_owned(), target.user_id.to_owned());
    if !device {
        parameters.insert(param::USER_ID_FOR_SRP.to_owned(), target.user_id.to_owned());
    }
    Ok(InitiateAuthResponse {
        challenge_name: Some(name),
        challenge_parameters: Some(parameters),
        ..Default::default()
    })
}

/// Checks a claim against its attempt in constant time: `pool_name` and
/// `user_id` are the pool name and `USER_ID_FOR_SRP` for user SRP, the device
/// group key and device key for device SRP.
fn check_claim(
    attempt: PendingAttempt,
    pool_name: &str,
    user_id: &str,
    block: &SecretBlock,
    timestamp: &CognitoTimestamp,
    signature: &str,
) -> Result<(), ClaimError> {
    attempt
        .session
        .verify_claim(pool_name, user_id, block, timestamp, signature)
}

/// The claim of a `PASSWORD_VERIFIER` or `DEVICE_PASSWORD_VERIFIER` answer.
struct Claim<'a> {
    block_text: &'a str,
    signature: &'a str,
    timestamp: &'a str,
    username: &'a str,
}

impl<'a> Claim<'a> {
    fn from_responses(responses: &'a ParameterMap) -> Result<Self, ErrorReply> {
        Ok(Self {
            block_text: required(responses, param::PASSWORD_CLAIM_SECRET_BLOCK)?,
            signature: required(responses, param::PASSWORD_CLAIM_SIGNATURE)?,
            timestamp: required(responses, param::TIMESTAMP)?,
            username: required(responses, param::USERNAME)?,
        })
    }
}

/// `USER_SRP_AUTH` (and `CUSTOM_AUTH` with `SRP_A`): answers
/// `PASSWORD_VERIFIER` with `B` from the user's verifier.
pub(crate) fn start_srp(
    pool: &PoolState,
    client_id: &str,
    params: &ParameterMap,
    custom_auth: bool,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client = pool.client(client_id)?;
    let username = required(params, param::USERNAME)?;
    let srp_a_text = required(params, param::SRP_A)?;
    pool.check_secret_hash(client, params.get(param::SECRET_HASH), username)?;
    let srp_a = parse_srp_a(srp_a_text)?;
    let Some(user) = pool.users.find(username) else {
        if !client.prevents_user_existence_errors() {
            return Err(ErrorReply::user_not_found());
        }
        // PreventUserExistenceErrors: a simulated challenge, failed at the proof.
        let phantom = pool.phantoms.user(username);
        return issue_challenge(
            pool,
            ChallengeName::PasswordVerifier,
            ChallengeFor {
                sub: &phantom.id,
                user_id: &phantom.id,
                client_id,
                verifier: &phantom.verifier,
                srp_a,
                custom_auth,
                device_key: None,
                device_group_key: None,
            },
        );
    };
    password_verifier(
        pool,
        client_id,
        &user,
        srp_a,
        custom_auth,
        params.get(param::DEVICE_KEY),
    )
}

/// The `PASSWORD_VERIFIER` challenge for `user` (`USER_SRP_AUTH`,
/// `CUSTOM_AUTH` with `SRP_A`, and `USER_AUTH`'s `PASSWORD_SRP`): refused
/// while the user is disabled or locked out; `device_key`, when given, must
/// name one of the user's devices.
pub(crate) fn password_verifier(
    pool: &PoolState,
    client_id: &str,
    user: &User,
    srp_a: SrpInteger,
    custom_auth: bool,
    device_key: Option<&String>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    if !user.enabled {
        return Err(ErrorReply::new(
            ServiceErrorKind::NotAuthorized,
            "User is disabled.",
        ));
    }
    // Before any SRP work and before a SECRET_BLOCK is issued.
    pool.passwords.check_not_locked(&user.sub, Instant::now())?;
    let device_key = match device_key {
        Some(key) => {
            pool.devices
                .get(&user.sub, key)
                .ok_or_else(device_not_found)?;
            Some(key.clone())
        }
        None => None,
    };
    issue_challenge(
        pool,
        ChallengeName::PasswordVerifier,
        ChallengeFor {
            sub: &user.sub,
            user_id: &user.internal_name,
            client_id,
            verifier: &user.verifier,
            srp_a,
            custom_auth,
            device_key,
            device_group_key: None,
        },
    )
}

/// `PASSWORD_VERIFIER` or `DEVICE_PASSWORD_VERIFIER` (`device`): the claim,
/// checked in constant time against the attempt its `SECRET_BLOCK` names, signed
/// with the pool name and `USER_ID_FOR_SRP` (user) or the device group key and
/// device key (device). Then, for a user, a device proof, a second factor or the
/// tokens; for a remembered device, the tokens (MFA skipped).
pub(crate) fn answer_claim(
    pool: &PoolState,
    client_id: &str,
    device: bool,
    responses: &ParameterMap,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client = pool.client(client_id)?;
    let claim = Claim::from_responses(responses)?;
    let given_device_key = match device {
        true => Some(required(responses, param::DEVICE_KEY)?),
        false => None,
    };
    // The SDKs (Amplify v6 always, identity-js too) name a remembered device
    // in the PASSWORD_VERIFIER answer. An unknown one is refused before the
    // block is spent, so their retry without the key can use it.
    let answered_device = match device {
        false => answered_device_key(pool, client_id, claim.block_text, responses)?,
        true => None,
    };
    // The block is spent from here on, whatever the outcome.
    let attempt = pool
        .blocks
        .redeem(claim.block_text, client_id, Instant::now())?;
    let user = pool
        .users
        .get(&attempt.sub)
        .ok_or_else(ErrorReply::incorrect_password)?;
    // A block answers only the kind of proof it was issued for.
    let (signing_pool, signing_id) = match (device, &attempt.device_group_key, &attempt.device_key)
    {
        (false, None, _) => (pool.pool_name().to_owned(), user.internal_name.clone()),
        (true, Some(group_key), Some(device_key)) => (group_key.clone(), device_key.clone()),
        _ => return Err(ErrorReply::incorrect_password()),
    };
    let sub = attempt.sub.clone();
    let timestamp = check_timestamp(claim.timestamp, now)?;
    if pool.users.resolve(claim.username).as_deref() != Some(sub.as_str()) {
        return Err(ErrorReply::incorrect_password());
    }
    pool.check_secret_hash(
        client,
        responses.get(param::SECRET_HASH),
        &user.internal_name,
    )?;
    let reserved = match given_device_key {
        Some(given) if *given != signing_id => return Err(device_not_found()),
        // Device proofs are not counted: a device password is 40 random
        // bytes, and its proof follows a proved password.
        Some(_) => None,
        // Reserved before the proof is checked, so concurrent answers run no
        // more checks than the user has failures left; a user locked out
        // meanwhile is refused and the (spent) block is not verified.
        None => Some(pool.passwords.reserve(&sub, Instant::now())?),
    };
    let block =
        SecretBlock::decode(claim.block_text).map_err(|_| ErrorReply::incorrect_password())?;
    let custom_auth = attempt.custom_auth;
    let known_device = attempt.device_key.clone().or(answered_device);
    let checked = check_claim(
        attempt,
        &signing_pool,
        &signing_id,
        &block,
        &timestamp,
        claim.signature,
    );
    match checked {
        Ok(()) => reserved.into_iter().for_each(|check| check.succeeded()),
        // Not a guess: the reservation is dropped uncounted.
        Err(ClaimError::SrpAModNZero) => {
            return Err(ErrorReply::invalid("Invalid SRP_A: A mod N is zero."));
        }
        Err(_) => {
            if let Some(check) = reserved {
                check.failed(Instant::now());
            }
            return Err(ErrorReply::incorrect_password());
        }
    }
    if device {
        pool.devices.update(&sub, &signing_id, |device| {
            device.last_authenticated = now;
        })?;
    }
    let user = pool
        .users
        .get(&sub)
        .ok_or_else(ErrorReply::user_not_found)?;
    if device {
        tracing::debug!(user = %user.username, "remembered device proved; MFA skipped");
        let sign_in = SignIn::fresh(client_id, Some(&signing_id), now);
        return pool.tokens_for(&user, sign_in, Some(signing_id.clone()));
    }
    if custom_auth {
        tracing::debug!(user = %user.username, "CUSTOM_AUTH: SRP_A done; the modelled trigger issues tokens");
    }
    let tracking = pool.device_tracking != DeviceTracking::Off;
    if let Some(device_key) = known_device.as_ref().filter(|_| tracking) {
        let device = pool
            .devices
            .get(&user.sub, device_key)
            .ok_or_else(device_not_found)?;
        if device.is_remembered() && user.enabled && user.status == UserStatus::Confirmed {
            let mut params = pool.user_params(&user);
            params.insert(param::USERNAME.to_owned(), user.internal_name.clone());
            let stage = Stage::DeviceSrpAuth {
                device_key: device_key.clone(),
            };
            let sign_in = SignIn::fresh(client_id, Some(device_key), now);
            return pool.challenge(&user, sign_in, stage, params);
        }
    }
    pool.after_password(&user, client_id, now, known_device.as_deref())
}

/// The `DEVICE_KEY` of a `PASSWORD_VERIFIER` answer, when it names a device
/// of the block's user; `ResourceNotFoundException: Device does not exist.`
/// when it names another. The block is not spent.
fn answered_device_key(
    pool: &PoolState,
    client_id: &str,
    block: &str,
    responses: &ParameterMap,
) -> Result<Option<String>, ErrorReply> {
    let Some(key) = responses
        .get(param::DEVICE_KEY)
        .filter(|key| !key.is_empty())
    else {
        return Ok(None);
    };
    if pool.device_tracking == DeviceTracking::Off {
        return Ok(None);
    }
    let Some(sub) = pool.blocks.peek_user(block, client_id, Instant::now()) else {
        // An unknown block: the redeem that follows answers it.
        return Ok(None);
    };
    pool.devices.get(&sub, key).ok_or_else(device_not_found)?;
    Ok(Some(key.clone()))
}

/// `SRP_A` as the client sent it: at most [`MAX_SIGNED_HEX_DIGITS`] hex
/// digits, not negative, not ≡ 0 mod N; `InvalidParameterException` otherwise.
pub(crate) fn parse_srp_a(text: &str) -> Result<SrpInteger, ErrorReply> {
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
pub(crate) fn device_srp_auth(
    pool: &PoolState,
    client_id: &str,
    user: &User,
    device_key: &str,
    responses: &ParameterMap,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let given_key = required(responses, param::DEVICE_KEY)?;
    if given_key != device_key {
        return Err(device_not_found());
    }
    let srp_a = parse_srp_a(required(responses, param::SRP_A)?)?;
    let device = pool
        .devices
        .get(&user.sub, device_key)
        .ok_or_else(device_not_found)?;
    let verifier = device.verifier.clone().ok_or_else(device_not_found)?;
    issue_challenge(
        pool,
        ChallengeName::DevicePasswordVerifier,
        ChallengeFor {
            sub: &user.sub,
            user_id: &user.internal_name,
            client_id,
            verifier: &verifier,
            srp_a,
            custom_auth: false,
            device_key: Some(device.key.clone()),
            device_group_key: Some(device.group_key.clone()),
        },
    )
}
