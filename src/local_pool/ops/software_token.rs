//! `AssociateSoftwareToken` and `VerifySoftwareToken`: TOTP setup, either in
//! an `MFA_SETUP` sign-in (with its `Session`) or for a signed-in user (with
//! an access token). The code that verifies a secret is spent: its time step
//! is not accepted again for that secret (see [`User::enroll_totp`]). Wrong
//! set-up codes are limited per session only (three), not counted against
//! the user's code lockout: the caller was just given the secret.
//!
//! [`User::enroll_totp`]: crate::local_pool::state::users::User::enroll_totp

use chrono::{DateTime, Utc};

use crate::local_pool::error::ErrorReply;
use crate::local_pool::random;
use crate::local_pool::state::pool::PoolState;
use crate::local_pool::state::sessions::Stage;
use crate::local_pool::state::users::MfaKind;
use crate::local_pool::totp::{SECRET_BYTES, TotpSecret};
use crate::wire::ServiceErrorKind;
use crate::wire::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse, VerifySoftwareTokenStatus,
};

fn new_secret() -> Result<TotpSecret, ErrorReply> {
    Ok(TotpSecret::from_bytes(&random::bytes(SECRET_BYTES)?))
}

fn either_token(access_token: &Option<String>, session: &Option<String>) -> Result<(), ErrorReply> {
    if access_token.is_some() == session.is_some() {
        return Err(ErrorReply::invalid(
            "Exactly one of AccessToken and Session is required.",
        ));
    }
    Ok(())
}

/// `AssociateSoftwareToken`.
pub(crate) fn associate(
    pool: &PoolState,
    request: AssociateSoftwareTokenRequest,
    now: DateTime<Utc>,
) -> Result<AssociateSoftwareTokenResponse, ErrorReply> {
    either_token(&request.access_token, &request.session)?;
    let secret = new_secret()?;
    let secret_code = Some(secret.expose_base32().to_string());
    if let Some(token) = &request.access_token {
        let claims = pool.tokens.verify_access_token(token, now)?;
        pool.users.update(&claims.sub, |user| {
            user.pending_totp = Some(secret);
            Ok(())
        })?;
        return Ok(AssociateSoftwareTokenResponse {
            secret_code,
            session: None,
        });
    }
    let key = request.session.unwrap_or_default();
    let mut session = pool.sessions.take_any_client(&key)?;
    if !matches!(session.stage, Stage::MfaSetup { .. }) {
        return Err(ErrorReply::expired_session());
    }
    session.stage = Stage::MfaSetup {
        secret: Some(secret),
        verified: false,
    };
    let session = pool.sessions.open(session)?;
    Ok(AssociateSoftwareTokenResponse {
        secret_code,
        session: Some(session),
    })
}

/// `VerifySoftwareToken`.
pub(crate) fn verify(
    pool: &PoolState,
    request: VerifySoftwareTokenRequest,
    now: DateTime<Utc>,
) -> Result<VerifySoftwareTokenResponse, ErrorReply> {
    either_token(&request.access_token, &request.session)?;
    let mismatch = || {
        ErrorReply::new(
            ServiceErrorKind::EnableSoftwareTokenMfa,
            "Code mismatch and fail enable Software Token MFA",
        )
    };
    let code = request.user_code.as_str();
    if let Some(token) = &request.access_token {
        let claims = pool.tokens.verify_access_token(token, now)?;
        pool.users.update(&claims.sub, |user| {
            let pending = user.pending_totp.take().ok_or_else(|| {
                ErrorReply::new(
                    ServiceErrorKind::SoftwareTokenMfaNotFound,
                    "Software Token MFA has not been associated.",
                )
            })?;
            if !user.enroll_totp(&pending, code, now.timestamp()) {
                user.pending_totp = Some(pending);
                return Err(mismatch());
            }
            Ok(())
        })?;
        return Ok(VerifySoftwareTokenResponse {
            status: Some(VerifySoftwareTokenStatus::Success),
            session: None,
        });
    }
    let key = request.session.unwrap_or_default();
    let mut session = pool.sessions.take_any_client(&key)?;
    let Stage::MfaSetup {
        secret: Some(secret),
        ..
    } = &session.stage
    else {
        return Err(ErrorReply::expired_session());
    };
    let secret = secret.clone();
    let enrolled = pool.users.update(&session.sub, |user| {
        // Under the store's lock: a code (its step) proves the secret once.
        if !user.enroll_totp(&secret, code, now.timestamp()) {
            return Err(mismatch());
        }
        user.totp_enabled = true;
        user.preferred_mfa = Some(MfaKind::SoftwareToken);
        Ok(())
    });
    if let Err(error) = enrolled {
        if *error.kind() == ServiceErrorKind::EnableSoftwareTokenMfa {
            pool.sessions.retry(&key, session);
        }
        return Err(error);
    }
    session.stage = Stage::MfaSetup {
        secret: Some(secret),
        verified: true,
    };
    let session = pool.sessions.open(session)?;
    Ok(VerifySoftwareTokenResponse {
        status: Some(VerifySoftwareTokenStatus::Success),
        session: Some(session),
    })
}
