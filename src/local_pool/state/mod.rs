//! The pool's state: the aggregate [`pool::PoolState`] (app clients, MFA
//! setting) and what it holds — the failed-attempt lockouts
//! ([`attempts::AttemptLimiter`]), users, the device
//! store, challenge sessions, pending `SECRET_BLOCK`s, the token issuer and
//! its refresh tokens, all bounded by [`bounded::ExpiringMap`] or per-user
//! limits. State never calls an operation (`super::ops`).

pub(crate) mod attempts;
pub(crate) mod bounded;
pub(crate) mod devices;
pub(crate) mod identities;
pub(crate) mod phantom;
pub(crate) mod pool;
pub(crate) mod refresh_grants;
pub(crate) mod secret_block;
pub(crate) mod sessions;
pub(crate) mod tokens;
pub(crate) mod users;
