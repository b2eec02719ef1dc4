//! The pool's state: the aggregate [`pool::PoolState`] (app clients, MFA
//! setting, failed-attempt lockout) and what it holds — users, the device
//! store, challenge sessions, pending `SECRET_BLOCK`s, the token issuer and
//! its refresh tokens, all bounded by [`bounded::ExpiringMap`] or per-user
//! limits. State never calls an operation (`super::ops`).

pub(crate) mod bounded;
pub(crate) mod devices;
pub(crate) mod phantom;
pub(crate) mod pool;
pub(crate) mod refresh_grants;
pub(crate) mod secret_block;
pub(crate) mod sessions;
pub(crate) mod tokens;
pub(crate) mod users;
