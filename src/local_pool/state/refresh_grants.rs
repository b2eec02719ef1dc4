//! Refresh tokens and revocation, as Cognito keeps them.
//!
//! * **Rotation off** (the default, as for an app client created through the
//!   API): a refresh token stays valid until it expires or is revoked; each
//!   refresh returns ID and access tokens only.
//! * **Rotation on**: `GetTokensFromRefreshToken` returns a new refresh token
//!   valid for the original's remaining lifetime; the presented one keeps
//!   working for the grace period, then answers
//!   `RefreshTokenReuseException`.
//! * **Revocation**: `RevokeToken` ends a refresh token and every access token
//!   of its family (the `origin_jti` claim); `GlobalSignOut` ends every refresh
//!   token of the user and every access token of their families.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::local_pool::error::ErrorReply;
use crate::local_pool::state::bounded::ExpiringMap;
use crate::wire::ServiceErrorKind;

/// The longest a refresh token can live (Cognito's maximum, ten years); each
/// grant carries its own expiry within it.
const MAX_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// How long a revoked token family is remembered: longer than any access
/// token lives (Cognito's maximum validity is one day).
const REVOKED_FAMILY_TTL: Duration = Duration::from_secs(24 * 3600 + 60);

/// What a refresh token stands for.
#[derive(Clone)]
pub(crate) struct RefreshGrant {
    pub(crate) sub: String,
    pub(crate) client_id: String,
    /// The original sign-in (the tokens' `auth_time`).
    pub(crate) auth_time: i64,
    /// The token family: the `origin_jti` of every access and ID token issued
    /// from this sign-in, kept across refreshes and rotations.
    pub(crate) origin_jti: String,
    /// The device the sign-in used or was offered (device tracking on).
    pub(crate) device_key: Option<String>,
    /// When the token stops working.
    pub(crate) expires_at: DateTime<Utc>,
    /// Rotation on: when a newer token replaced this one.
    rotated_at: Option<DateTime<Utc>>,
}

impl RefreshGrant {
    /// A grant for a new sign-in.
    pub(crate) fn new(
        sub: &str,
        client_id: &str,
        auth_time: i64,
        origin_jti: String,
        device_key: Option<String>,
        expires_at: DateTime<Utc>,
    ) -> Self {
        Self {
            sub: sub.to_owned(),
            client_id: client_id.to_owned(),
            auth_time,
            origin_jti,
            device_key,
            expires_at,
            rotated_at: None,
        }
    }

    /// The grant of a rotated-in token: the same sign-in, family, device and
    /// expiry, not yet replaced itself.
    pub(crate) fn renewed(mut self) -> Self {
        self.rotated_at = None;
        self
    }
}

/// `NotAuthorizedException: Invalid Refresh Token.` (Cognito's answer for an
/// unknown or foreign refresh token, and for one refreshed without its
/// confirmed device).
pub(crate) fn invalid_refresh_token() -> ErrorReply {
    ErrorReply::new(ServiceErrorKind::NotAuthorized, "Invalid Refresh Token.")
}

/// `NotAuthorizedException: Refresh Token has been revoked` (Cognito's
/// answer once `RevokeToken` or `GlobalSignOut` ended the token).
fn revoked_refresh_token() -> ErrorReply {
    ErrorReply::new(
        ServiceErrorKind::NotAuthorized,
        "Refresh Token has been revoked",
    )
}

fn key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The refresh tokens of a pool and what has been revoked.
pub(crate) struct RefreshGrants {
    grants: ExpiringMap<RefreshGrant>,
    /// Revoked token families (`origin_jti`).
    revoked_families: ExpiringMap<()>,
    /// The keys of revoked refresh tokens, so that they are refused as
    /// revoked (not as unknown) for a day.
    revoked_tokens: ExpiringMap<()>,
}

impl RefreshGrants {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            grants: ExpiringMap::new(capacity, MAX_LIFETIME),
            revoked_families: ExpiringMap::new(capacity, REVOKED_FAMILY_TTL),
            revoked_tokens: ExpiringMap::new(capacity, REVOKED_FAMILY_TTL),
        }
    }

    /// Drops the grants and revocation records expired at `now`.
    pub(crate) fn sweep_expired(&self, now: std::time::Instant) -> usize {
        self.grants.sweep_expired(now)
            + self.revoked_families.sweep_expired(now)
            + self.revoked_tokens.sweep_expired(now)
    }

    /// Stores `grant` under `token`; `LimitExceededException` when full.
    pub(crate) fn insert(
        &self,
        token: &str,
        grant: RefreshGrant,
        now: DateTime<Utc>,
    ) -> Result<(), ErrorReply> {
        let ttl = (grant.expires_at - now).to_std().unwrap_or_default();
        if self
            .grants
            .insert_for(key(token), grant, Instant::now(), ttl)
        {
            Ok(())
        } else {
            Err(ErrorReply::new(
                ServiceErrorKind::LimitExceeded,
                "Too many refresh tokens outstanding.",
            ))
        }
    }

    /// The grant of a live `token` of `client_id`, without changing it:
    /// unknown or another client's → `Invalid Refresh Token.`; revoked →
    /// `Refresh Token has been revoked`; expired → `Refresh Token has
    /// expired`; rotated out longer than `grace` ago →
    /// `RefreshTokenReuseException`.
    pub(crate) fn check(
        &self,
        token: &str,
        client_id: &str,
        grace: Duration,
        now: DateTime<Utc>,
    ) -> Result<RefreshGrant, ErrorReply> {
        let key = key(token);
        let Some(grant) = self
            .grants
            .with(&key, Instant::now(), |grant| grant.clone())
            .filter(|grant| grant.client_id == client_id)
        else {
            let revoked = self.revoked_tokens.with(&key, Instant::now(), |_| ());
            return Err(match revoked {
                Some(()) => revoked_refresh_token(),
                None => invalid_refresh_token(),
            });
        };
        if grant.expires_at <= now {
            return Err(ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                "Refresh Token has expired",
            ));
        }
        if self.is_revoked(&grant.origin_jti) {
            return Err(revoked_refresh_token());
        }
        if let Some(rotated) = grant.rotated_at {
            let grace = chrono::Duration::from_std(grace).unwrap_or_default();
            if now > rotated + grace {
                return Err(ErrorReply::new(
                    ServiceErrorKind::RefreshTokenReuse,
                    "Refresh token has been rotated and can no longer be used.",
                ));
            }
        }
        Ok(grant)
    }

    /// Rotation: marks `token` replaced at `now` (the first replacement counts).
    pub(crate) fn mark_rotated(&self, token: &str, now: DateTime<Utc>) {
        self.grants.with(&key(token), Instant::now(), |grant| {
            grant.rotated_at.get_or_insert(now);
        });
    }

    /// `RevokeToken`: ends `token` and its family. `false` when it is not a
    /// live token of `client_id`.
    pub(crate) fn revoke(&self, token: &str, client_id: &str) -> bool {
        let now = Instant::now();
        let Some(grant) = self
            .grants
            .with(&key(token), now, |grant| grant.clone())
            .filter(|grant| grant.client_id == client_id)
        else {
            return false;
        };
        let family = grant.origin_jti.clone();
        let removed = self.grants.remove_where(|other| other.origin_jti == family);
        self.remember_revoked(removed, now);
        // Full: the family's refresh tokens are gone whatever happens here;
        // its access tokens then live out their (short) validity.
        let _ = self.revoked_families.insert(family, (), now);
        true
    }

    /// Keeps the keys of revoked tokens for a day (when there is room: if
    /// not, they are refused as unknown tokens, which they now are).
    fn remember_revoked(&self, keys: Vec<String>, now: Instant) {
        for key in keys {
            let _ = self.revoked_tokens.insert(key, (), now);
        }
    }

    /// `GlobalSignOut` (and an administrator's password reset): ends every
    /// refresh token of `sub` and every access token of their families.
    pub(crate) fn sign_out_everywhere(&self, sub: &str) {
        let mut families = Vec::new();
        let removed = self.grants.remove_where(|grant| {
            let gone = grant.sub == sub;
            if gone {
                families.push(grant.origin_jti.clone());
            }
            gone
        });
        let now = Instant::now();
        self.remember_revoked(removed, now);
        for family in families {
            let _ = self.revoked_families.insert(family, (), now);
        }
    }

    /// Whether the token family `origin_jti` has been revoked.
    pub(crate) fn is_revoked(&self, origin_jti: &str) -> bool {
        self.revoked_families
            .with(origin_jti, Instant::now(), |_| ())
            .is_some()
    }

    /// Live refresh tokens.
    pub(crate) fn live(&self) -> usize {
        self.grants.live_len(Instant::now())
    }
}
