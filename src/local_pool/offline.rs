//! A pool without a listener: the request handling that [`RunningPool`]
//! serves, called in-process (the `local_pool_request` fuzz target).
//!
//! [`RunningPool`]: super::RunningPool

use super::LocalPoolBuilder;
use super::dispatch::dispatch;
use super::error::LocalPoolError;
use super::state::pool::PoolState;
use super::state::tokens;
use crate::srp::UserPoolId;

/// A pool's request handling without HTTP. For fuzzing; not a stable API.
#[doc(hidden)]
pub struct OfflinePool {
    state: PoolState,
}

/// One answer of [`OfflinePool::handle`]: what the HTTP layer would send.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineAnswer {
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-ErrorType`, for an error.
    pub error_type: Option<String>,
    /// The JSON body.
    pub body: Vec<u8>,
}

impl LocalPoolBuilder {
    /// Builds the pool as [`start`](Self::start) does (clients, RSA key, seed
    /// users) without binding a socket or needing a runtime. For fuzzing.
    #[doc(hidden)]
    pub fn build_offline(mut self) -> Result<OfflinePool, LocalPoolError> {
        let (user_pool_id, clients) = self.take_identity()?;
        let issuer = format!("http://{}/{}", self.listen, user_pool_id.as_str());
        let tokens = tokens::TokenIssuer::new(issuer, self.limits.max_refresh_tokens, self.tokens)?;
        let state = self.seeded_state(user_pool_id, clients, tokens)?;
        Ok(OfflinePool { state })
    }
}

impl OfflinePool {
    /// Handles one `POST /`: `target` is `X-Amz-Target` (if sent), `body`
    /// the request body (at most [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES)
    /// reach this point over HTTP).
    pub fn handle(&self, target: Option<&str>, body: &[u8]) -> OfflineAnswer {
        let answer = dispatch(&self.state, target, body);
        OfflineAnswer {
            status: answer.status,
            error_type: answer.error_type,
            body: answer.body,
        }
    }

    /// The user pool id.
    pub fn user_pool_id(&self) -> &UserPoolId {
        &self.state.user_pool_id
    }

    /// The `sub` of the user a sign-in name refers to.
    pub fn user_sub(&self, name: &str) -> Option<String> {
        self.state.users.resolve(name)
    }
}
