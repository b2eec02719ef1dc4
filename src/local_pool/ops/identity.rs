//! The pool's identity pool (`serve --identity-pool`): Cognito Identity's
//! `GetId` and `GetCredentialsForIdentity` for the pool's own ID tokens, on
//! the same endpoint (`X-Amz-Target: AWSCognitoIdentityService.*`).
//!
//! A `Logins` token is checked as Cognito Identity checks a user pool's:
//! the RS256 signature with the pool's ID-token key, `iss`, `aud` (one of the
//! pool's app clients), `token_use: id` and `exp`. The credentials are
//! random and well formed (`ASIA…` access key id, 40-character secret, a long
//! session token, one hour); nothing accepts them but an AWS emulator that
//! ignores signatures.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::local_pool::error::{ErrorReply, printable};
use crate::local_pool::random;
use crate::local_pool::state::identities::IdentityPool;
use crate::local_pool::state::pool::PoolState;
use crate::wire::{
    GetCredentialsForIdentityRequest, GetCredentialsForIdentityResponse, GetIdRequest,
    GetIdResponse, IdentityCredentials, ParameterMap, ServiceErrorKind,
};

/// Lifetime of the credentials (Cognito Identity's: one hour).
const CREDENTIALS_LIFETIME_SECONDS: i64 = 3600;

fn not_authorized(message: impl Into<String>) -> ErrorReply {
    ErrorReply::new(ServiceErrorKind::NotAuthorized, message)
}

/// The pool's identity pool, or `UnknownOperationException` when it hosts none.
pub(crate) fn hosted(pool: &PoolState) -> Result<&IdentityPool, ErrorReply> {
    pool.identity_pool.as_ref().ok_or_else(|| {
        ErrorReply::new(
            ServiceErrorKind::UnknownOperation,
            "This local pool hosts no identity pool (serve --identity-pool, LocalPoolBuilder::identity_pool(true)).",
        )
    })
}

/// `GetId`: the identity id of the user the pool's ID token in `Logins` names.
pub(crate) fn get_id(
    pool: &PoolState,
    identities: &IdentityPool,
    request: GetIdRequest,
    now: DateTime<Utc>,
) -> Result<GetIdResponse, ErrorReply> {
    if request.identity_pool_id != identities.id {
        return Err(ErrorReply::new(
            ServiceErrorKind::ResourceNotFound,
            format!(
                "IdentityPool '{}' not found.",
                printable(&request.identity_pool_id)
            ),
        ));
    }
    let sub = login_sub(pool, request.logins.as_ref(), now)?;
    Ok(GetIdResponse {
        identity_id: Some(identities.identity_of(&sub)?),
    })
}

/// `GetCredentialsForIdentity`: random temporary credentials for an identity
/// whose owner's ID token is in `Logins`.
pub(crate) fn get_credentials_for_identity(
    pool: &PoolState,
    identities: &IdentityPool,
    request: GetCredentialsForIdentityRequest,
    now: DateTime<Utc>,
) -> Result<GetCredentialsForIdentityResponse, ErrorReply> {
    let owner = identities.owner(&request.identity_id).ok_or_else(|| {
        ErrorReply::new(
            ServiceErrorKind::ResourceNotFound,
            format!("Identity '{}' not found.", printable(&request.identity_id)),
        )
    })?;
    let sub = login_sub(pool, request.logins.as_ref(), now)?;
    if sub != owner {
        return Err(not_authorized(
            "Logins don't match. Please include at least one valid login for this identity or identity pool.",
        ));
    }
    let expiration = now.timestamp().saturating_add(CREDENTIALS_LIFETIME_SECONDS);
    let mut credentials = IdentityCredentials::default();
    credentials.access_key_id = format!(
        "ASIA{}",
        random::string_from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16)?
    );
    credentials.secret_key = random::string_from(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        40,
    )?;
    credentials.session_token = random::base64_token(512)?;
    #[allow(clippy::cast_precision_loss)]
    {
        credentials.expiration = Some(expiration as f64);
    }
    Ok(GetCredentialsForIdentityResponse {
        credentials: Some(credentials),
        identity_id: Some(request.identity_id),
    })
}

/// The `Logins` keys of this pool: the AWS form
/// `cognito-idp.<region>.amazonaws.com/<pool id>` and the token's `iss`
/// without its scheme (`127.0.0.1:PORT/<pool id>`).
fn accepted_keys(pool: &PoolState) -> [String; 2] {
    let issuer = pool.tokens.issuer();
    let bare = issuer
        .split_once("://")
        .map_or(issuer, |(_, rest)| rest)
        .to_owned();
    [
        format!(
            "cognito-idp.{}.amazonaws.com/{}",
            pool.user_pool_id.region(),
            pool.user_pool_id.as_str()
        ),
        bare,
    ]
}

/// The `sub` of the valid ID token in `logins`.
fn login_sub(
    pool: &PoolState,
    logins: Option<&ParameterMap>,
    now: DateTime<Utc>,
) -> Result<String, ErrorReply> {
    let logins = logins.filter(|logins| !logins.is_empty()).ok_or_else(|| {
        not_authorized("Unauthenticated access is not supported for this identity pool.")
    })?;
    let keys = accepted_keys(pool);
    if logins.keys().any(|key| !keys.contains(key)) {
        return Err(not_authorized(
            "Invalid login token. Issuer doesn't match providerName",
        ));
    }
    let mut subs = logins.values().map(|token| id_token_sub(pool, token, now));
    let first = subs.next().ok_or_else(ErrorReply::internal)??;
    for other in subs {
        if other? != first {
            return Err(not_authorized(
                "Logins don't match. Please include at least one valid login for this identity or identity pool.",
            ));
        }
    }
    Ok(first)
}

/// Checks one of the pool's ID tokens: signature and `iss`, then `aud`,
/// `token_use` and `exp`, each with Cognito Identity's message.
fn id_token_sub(pool: &PoolState, token: &str, now: DateTime<Utc>) -> Result<String, ErrorReply> {
    // The signature and `iss` first, the expiry after (its own message).
    let claims = pool
        .tokens
        .verify(token, DateTime::<Utc>::MIN_UTC)
        .ok_or_else(|| not_authorized("Invalid login token. Couldn't verify signed token."))?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let aud = text("aud")
        .ok_or_else(|| not_authorized("Invalid login token. Missing a required claim: aud"))?;
    if !pool.clients.iter().any(|c| c.client_id().as_str() == aud) {
        return Err(not_authorized(
            "Token is not from a supported provider of this identity pool.",
        ));
    }
    if text("token_use") != Some("id") {
        return Err(not_authorized(
            "Invalid login token. Not a valid OpenId Connect identity token.",
        ));
    }
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp <= now.timestamp() {
        return Err(not_authorized(format!(
            "Invalid login token. Token expired: {} >= {exp}",
            now.timestamp()
        )));
    }
    text("sub")
        .map(str::to_owned)
        .ok_or_else(|| not_authorized("Invalid login token. Missing a required claim: sub"))
}
