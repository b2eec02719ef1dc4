//! `SECRET_BLOCK`: what identifies a `PASSWORD_VERIFIER` attempt.
//!
//! Like Cognito's, it is hundreds of random bytes in base64, and the
//! `PASSWORD_VERIFIER` answer is accepted without a `Session` (pycognito
//! sends none): the block names the attempt. Each block is single use, bound
//! to the user and the app client it was issued for, and expires after
//! [`SECRET_BLOCK_TTL`].

use std::time::{Duration, Instant};

use crate::local_pool::error::ErrorReply;
use crate::local_pool::random;
use crate::local_pool::state::bounded::ExpiringMap;
use crate::srp::{SecretBlock, ServerSession};
use crate::wire::ServiceErrorKind;

/// Random bytes in a `SECRET_BLOCK` (1024 base64 characters).
pub const SECRET_BLOCK_BYTES: usize = 768;

/// How long a `SECRET_BLOCK` can be answered.
pub const SECRET_BLOCK_TTL: Duration = Duration::from_secs(3 * 60);

/// A sign-in attempt waiting for its `PASSWORD_VERIFIER` answer.
pub(crate) struct PendingAttempt {
    /// The user's `sub` (the store's key), or a phantom user's id when
    /// `PreventUserExistenceErrors` answered for an unknown name.
    pub(crate) sub: String,
    /// The app client the attempt was started with.
    pub(crate) client_id: String,
    /// The server side of the SRP: the verifier at the time of the
    /// challenge, `b`, `B` and the client's `A`.
    pub(crate) session: ServerSession,
    /// Started as `CUSTOM_AUTH` with `CHALLENGE_NAME=SRP_A`.
    pub(crate) custom_auth: bool,
    /// For `PASSWORD_VERIFIER`: the known device the sign-in named (`DEVICE_KEY`).
    /// For `DEVICE_PASSWORD_VERIFIER`: the device being proved.
    pub(crate) device_key: Option<String>,
    /// A device proof (`DEVICE_PASSWORD_VERIFIER`): the device group key,
    /// which stands for the pool name in the device's SRP.
    pub(crate) device_group_key: Option<String>,
}

/// The attempts in flight, bounded.
pub(crate) struct SecretBlocks {
    pending: ExpiringMap<PendingAttempt>,
}

impl SecretBlocks {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            pending: ExpiringMap::new(capacity, SECRET_BLOCK_TTL),
        }
    }

    /// Drops the pending attempts (each holding `b` and a verifier) expired
    /// at `now`.
    pub(crate) fn sweep_expired(&self, now: Instant) -> usize {
        self.pending.sweep_expired(now)
    }

    /// Stores `attempt` under a fresh block and returns the block to send.
    pub(crate) fn issue(
        &self,
        attempt: PendingAttempt,
        now: Instant,
    ) -> Result<SecretBlock, ErrorReply> {
        let block = SecretBlock::from_bytes(random::bytes(SECRET_BLOCK_BYTES)?.to_vec());
        if !self.pending.insert(block.as_str().to_owned(), attempt, now) {
            return Err(ErrorReply::new(
                ServiceErrorKind::TooManyRequests,
                "Too many sign-ins in progress; try again later.",
            ));
        }
        Ok(block)
    }

    /// Takes the attempt of `block` (as the client echoed it) for `client_id`.
    /// The block is spent whatever the outcome.
    pub(crate) fn redeem(
        &self,
        block: &str,
        client_id: &str,
        now: Instant,
    ) -> Result<PendingAttempt, ErrorReply> {
        let attempt = self.pending.take(block, now).ok_or_else(|| {
            ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                "Invalid PASSWORD_CLAIM_SECRET_BLOCK: unknown, expired or already used.",
            )
        })?;
        if attempt.client_id != client_id {
            return Err(ErrorReply::incorrect_password());
        }
        Ok(attempt)
    }

    /// The user (`sub`) of a live `block` of `client_id`, without spending it.
    pub(crate) fn peek_user(&self, block: &str, client_id: &str, now: Instant) -> Option<String> {
        self.pending
            .with(block, now, |attempt| {
                (attempt.client_id == client_id).then(|| attempt.sub.clone())
            })
            .flatten()
    }

    /// Attempts issued and neither answered nor expired at `now`.
    pub(crate) fn live(&self, now: Instant) -> usize {
        self.pending.live_len(now)
    }

    /// Drops every attempt of the user `sub` (after a password change).
    pub(crate) fn forget_user(&self, sub: &str) {
        self.pending.retain(|attempt| attempt.sub != sub);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::SrpInteger;
    use crate::secret::Password;
    use crate::srp::{PasswordVerifier, ServerChallenge};

    fn attempt(client_id: &str) -> PendingAttempt {
        let verifier = PasswordVerifier::create("P", "u", &Password::new("Password1!")).unwrap();
        PendingAttempt {
            sub: "u".into(),
            client_id: client_id.into(),
            session: ServerChallenge::start(&verifier)
                .unwrap()
                .accept(&SrpInteger::from_be_bytes(&[2]))
                .unwrap(),
            custom_auth: false,
            device_key: None,
            device_group_key: None,
        }
    }

    #[test]
    fn blocks_are_large_single_use_client_bound_and_expire() {
        let blocks = SecretBlocks::new(10);
        let t0 = Instant::now();
        let block = blocks.issue(attempt("c"), t0).unwrap();
        assert_eq!(block.as_bytes().len(), SECRET_BLOCK_BYTES);
        assert!(blocks.redeem(block.as_str(), "c", t0).is_ok());
        assert!(blocks.redeem(block.as_str(), "c", t0).is_err());
        let block = blocks.issue(attempt("c"), t0).unwrap();
        assert!(blocks.redeem(block.as_str(), "other", t0).is_err());
        assert!(
            blocks.redeem(block.as_str(), "c", t0).is_err(),
            "spent by the failed try"
        );
        let block = blocks.issue(attempt("c"), t0).unwrap();
        let late = t0 + SECRET_BLOCK_TTL + Duration::from_secs(1);
        assert!(blocks.redeem(block.as_str(), "c", late).is_err());
    }
}
