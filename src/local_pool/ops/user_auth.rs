//! `USER_AUTH`: choice-based sign-in. `InitiateAuth` names the user and
//! perhaps a `PREFERRED_CHALLENGE`; a preferred factor the user can use is
//! answered at once (`PASSWORD_SRP` with `SRP_A`: `PASSWORD_VERIFIER`;
//! `PASSWORD` with the password: what follows it; `EMAIL_OTP` / `SMS_OTP`:
//! a code is sent), anything else gets `SELECT_CHALLENGE` with the
//! `AvailableChallenges`. `RespondToAuthChallenge` then answers
//! `SELECT_CHALLENGE` (`ANSWER`), `PASSWORD` / `PASSWORD_SRP`, and the code
//! challenges `EMAIL_OTP` / `SMS_OTP`. A code sign-in is passwordless: it
//! gets tokens without MFA (passwordless factors are offered only to users
//! without MFA, in pools where MFA is not required).

use std::time::Instant;

use chrono::{DateTime, Utc};
use subtle::ConstantTimeEq;

use super::next_step::{SignIn, mask_phone};
use super::required;
use super::srp::{parse_srp_a, password_verifier};
use crate::local_pool::CODES_LOG_TARGET;
use crate::local_pool::config::{AppClient, MfaConfiguration};
use crate::local_pool::error::{ErrorReply, printable};
use crate::local_pool::random;
use crate::local_pool::state::pool::PoolState;
use crate::local_pool::state::sessions::Stage;
use crate::local_pool::state::users::User;
use crate::secret::Password;
use crate::srp::param;
use crate::wire::{ChallengeName, InitiateAuthResponse, ParameterMap, ServiceErrorKind};

/// Digits in an `EMAIL_OTP` / `SMS_OTP` code (Cognito's length is not
/// documented; its MFA codes have six).
const CODE_DIGITS: usize = 6;

/// `InitiateAuth` with `AuthFlow=USER_AUTH`.
pub(crate) fn initiate(
    pool: &PoolState,
    client: &AppClient,
    params: &ParameterMap,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client_id = client.client_id().as_str();
    let username = required(params, param::USERNAME)?;
    pool.check_secret_hash(client, params.get(param::SECRET_HASH), username)?;
    let user = super::sign_in_user(pool, client, username)?;
    check_enabled(&user)?;
    let available = available_factors(pool, &user);
    let known_device = params
        .get(param::DEVICE_KEY)
        .filter(|key| pool.devices.get(&user.sub, key).is_some())
        .map(String::as_str);
    let sign_in = SignIn::fresh(client_id, known_device, now);
    // A preferred factor the user cannot use (or an unknown name) falls back
    // to the choice, as without one.
    let preferred = params
        .get(param::PREFERRED_CHALLENGE)
        .map(|name| ChallengeName::from_wire(name))
        .filter(|name| available.contains(name));
    match preferred {
        Some(ChallengeName::PasswordSrp) => match params.get(param::SRP_A) {
            Some(text) => password_verifier(
                pool,
                client_id,
                &user,
                parse_srp_a(text)?,
                false,
                params.get(param::DEVICE_KEY),
            ),
            None => ask(pool, &user, sign_in, ChallengeName::PasswordSrp, available),
        },
        Some(ChallengeName::Password) => match params.get(param::PASSWORD) {
            Some(password) => password_sign_in(
                pool,
                client_id,
                &user,
                &Password::new(password.as_str()),
                known_device,
                now,
            ),
            None => ask(pool, &user, sign_in, ChallengeName::Password, available),
        },
        Some(code @ (ChallengeName::EmailOtp | ChallengeName::SmsOtp)) => {
            send_code(pool, &user, sign_in, code)
        }
        _ => match available.as_slice() {
            [] => Err(ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                "No sign-in method is available for this user.",
            )),
            // A user with a single factor skips the choice.
            [only @ (ChallengeName::EmailOtp | ChallengeName::SmsOtp)] => {
                let mut response = send_code(pool, &user, sign_in, only.clone())?;
                response.available_challenges = Some(available);
                Ok(response)
            }
            _ => ask(
                pool,
                &user,
                sign_in,
                ChallengeName::SelectChallenge,
                available,
            ),
        },
    }
}

/// `RespondToAuthChallenge` for `SELECT_CHALLENGE`, `PASSWORD`,
/// `PASSWORD_SRP`, `EMAIL_OTP` and `SMS_OTP`.
pub(crate) fn respond(
    pool: &PoolState,
    client: &AppClient,
    session: Option<String>,
    name: &ChallengeName,
    responses: &ParameterMap,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let client_id = client.client_id().as_str();
    let key = session.ok_or_else(|| ErrorReply::missing("Session"))?;
    let username = required(responses, param::USERNAME)?;
    // The answer's own values are checked before the session is spent, so a
    // client can correct them.
    let answer = match name {
        ChallengeName::SelectChallenge => {
            ChallengeName::from_wire(required(responses, param::ANSWER)?)
        }
        other => other.clone(),
    };
    let srp_a = match answer {
        ChallengeName::PasswordSrp => Some(parse_srp_a(required(responses, param::SRP_A)?)?),
        _ => None,
    };
    let password = match answer {
        ChallengeName::Password => Some(Password::new(
            required(responses, param::PASSWORD)?.as_str(),
        )),
        _ => None,
    };
    let given_code = match name {
        ChallengeName::EmailOtp => Some(required(responses, param::EMAIL_OTP_CODE)?),
        ChallengeName::SmsOtp => Some(required(responses, param::SMS_OTP_CODE)?),
        _ => None,
    };
    let session = pool.sessions.take(&key, client_id)?;
    let user = super::session_user(pool, &session, username)?;
    check_answer_secret_hash(pool, client, responses, &user.internal_name, username)?;
    check_enabled(&user)?;
    let known_device = session.known_device.clone();
    let sign_in = SignIn::fresh(client_id, known_device.as_deref(), now);
    match (&session.stage, given_code) {
        (Stage::FirstFactor { asked, available }, None)
            if *name == ChallengeName::SelectChallenge || name == asked =>
        {
            if !available.contains(&answer) {
                pool.sessions.retry(&key, session);
                return Err(ErrorReply::invalid(format!(
                    "Invalid ANSWER: {} is not an available challenge for this user.",
                    printable(answer.as_str())
                )));
            }
            match (answer, srp_a, password) {
                (ChallengeName::PasswordSrp, Some(srp_a), _) => {
                    password_verifier(pool, client_id, &user, srp_a, false, known_device.as_ref())
                }
                (ChallengeName::Password, _, Some(password)) => password_sign_in(
                    pool,
                    client_id,
                    &user,
                    &password,
                    known_device.as_deref(),
                    now,
                ),
                (code @ (ChallengeName::EmailOtp | ChallengeName::SmsOtp), _, _) => {
                    send_code(pool, &user, sign_in, code)
                }
                _ => Err(ErrorReply::internal()),
            }
        }
        (Stage::FirstFactorCode { name: sent, code }, Some(given)) if name == sent => {
            // Counted with the MFA codes (the same guessing risk): reserved
            // before the check, refused while locked out.
            let attempt = pool.codes.reserve(&user.sub, Instant::now())?;
            let right =
                code.len() == given.len() && bool::from(code.as_bytes().ct_eq(given.as_bytes()));
            if right {
                attempt.succeeded();
                tracing::debug!(user = %user.username, "USER_AUTH: code proved; no MFA after a passwordless factor");
                pool.sign_in_tokens(&user, sign_in)
            } else {
                attempt.failed(Instant::now());
                pool.sessions.retry(&key, session);
                Err(ErrorReply::new(
                    ServiceErrorKind::CodeMismatch,
                    "Invalid code received for user",
                ))
            }
        }
        _ => Err(ErrorReply::expired_session()),
    }
}

/// A password sign-in (`USER_PASSWORD_AUTH`, `USER_AUTH`'s `PASSWORD`):
/// refused while the user is locked out (or has as many checks in flight as
/// failures left), counted against the lockout when wrong, then what
/// follows a correct password.
pub(crate) fn password_sign_in(
    pool: &PoolState,
    client_id: &str,
    user: &User,
    password: &Password,
    known_device: Option<&str>,
    now: DateTime<Utc>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    // Reserved before the (slow) check: see `AttemptLimiter`.
    let attempt = pool.passwords.reserve(&user.sub, Instant::now())?;
    if !user
        .verifier
        .matches_password(pool.pool_name(), &user.internal_name, password)
    {
        attempt.failed(Instant::now());
        return Err(ErrorReply::incorrect_password());
    }
    attempt.succeeded();
    pool.after_password(user, client_id, now, known_device)
}

/// The first factors `user` can use, in Cognito's order: `PASSWORD` and
/// `PASSWORD_SRP` when the pool allows passwords; `EMAIL_OTP` / `SMS_OTP`
/// when the pool allows them, the user has the address (not marked
/// unverified) and neither the pool requires MFA nor the user has it.
fn available_factors(pool: &PoolState, user: &User) -> Vec<ChallengeName> {
    let factors = pool.first_factors;
    let mut available = Vec::new();
    if factors.password() {
        available.extend([ChallengeName::Password, ChallengeName::PasswordSrp]);
    }
    let passwordless = pool.mfa != MfaConfiguration::On && user.enabled_mfa().is_empty();
    if passwordless && factors.email_otp() && has_contact(user, "email") {
        available.push(ChallengeName::EmailOtp);
    }
    if passwordless && factors.sms_otp() && has_contact(user, "phone_number") {
        available.push(ChallengeName::SmsOtp);
    }
    available
}

/// The user has a non-empty `attribute` whose `<attribute>_verified` is not `false`.
fn has_contact(user: &User, attribute: &str) -> bool {
    let present = user
        .attributes
        .get(attribute)
        .is_some_and(|value| !value.is_empty());
    let unverified = user
        .attributes
        .get(&format!("{attribute}_verified"))
        .is_some_and(|value| value == "false");
    present && !unverified
}

/// Opens a `USER_AUTH` session asking for `asked` (`SELECT_CHALLENGE`, or
/// `PASSWORD` / `PASSWORD_SRP` when preferred without its value).
fn ask(
    pool: &PoolState,
    user: &User,
    sign_in: SignIn<'_>,
    asked: ChallengeName,
    available: Vec<ChallengeName>,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let listed = (asked == ChallengeName::SelectChallenge).then(|| available.clone());
    let stage = Stage::FirstFactor { asked, available };
    let mut response = pool.challenge(user, sign_in, stage, ParameterMap::new())?;
    response.available_challenges = listed;
    Ok(response)
}

/// Sends an `EMAIL_OTP` or `SMS_OTP` code (to the log and the pool's outbox:
/// the local pool has no mail or SMS gateway) and asks for it.
fn send_code(
    pool: &PoolState,
    user: &User,
    sign_in: SignIn<'_>,
    name: ChallengeName,
) -> Result<InitiateAuthResponse, ErrorReply> {
    let code = random::digits(CODE_DIGITS)?;
    let attribute = |name: &str| user.attributes.get(name).map(String::as_str).unwrap_or("");
    let (medium, destination) = match name {
        ChallengeName::EmailOtp => ("EMAIL", mask_email(attribute("email"))),
        _ => ("SMS", mask_phone(attribute("phone_number"))),
    };
    tracing::info!(
        target: CODES_LOG_TARGET,
        user = %user.username,
        challenge = name.as_str(),
        destination = %destination,
        code = %code.as_str(),
        "USER_AUTH sign-in code"
    );
    match name {
        ChallengeName::EmailOtp => pool.record_email_code(&user.sub, code.clone()),
        _ => pool.record_sms_code(&user.sub, code.clone()),
    }
    let mut params = ParameterMap::new();
    params.insert(
        param::CODE_DELIVERY_DELIVERY_MEDIUM.to_owned(),
        medium.to_owned(),
    );
    params.insert(param::CODE_DELIVERY_DESTINATION.to_owned(), destination);
    pool.challenge(user, sign_in, Stage::FirstFactorCode { name, code }, params)
}

/// `a***@e***`, as Cognito masks the address of an `EMAIL_OTP` code.
fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = |text: &str| text.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// `NotAuthorizedException: User is disabled.`
fn check_enabled(user: &User) -> Result<(), ErrorReply> {
    if user.enabled {
        Ok(())
    } else {
        Err(ErrorReply::new(
            ServiceErrorKind::NotAuthorized,
            "User is disabled.",
        ))
    }
}

/// `SECRET_HASH` of an answer: over the internal user name, or over
/// the `USERNAME` the answer gives (the name the user typed: `USER_AUTH`'s
/// challenges before the password carry no `USER_ID_FOR_SRP`).
fn check_answer_secret_hash(
    pool: &PoolState,
    client: &AppClient,
    responses: &ParameterMap,
    internal_name: &str,
    username: &str,
) -> Result<(), ErrorReply> {
    let given = responses.get(param::SECRET_HASH);
    match pool.check_secret_hash(client, given, internal_name) {
        Err(_)
            if username != internal_name
                && pool.check_secret_hash(client, given, username).is_ok() =>
        {
            Ok(())
        }
        checked => checked,
    }
}
