//! [`TokenManagerOptions`]: how far ahead of expiry the manager refreshes,
//! and its clock.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// The clock of a manager.
pub(super) type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How a [`TokenManager`](super::TokenManager) keeps its tokens valid.
#[derive(Clone)]
#[non_exhaustive]
pub struct TokenManagerOptions {
    /// Refresh when the tokens expire within this margin (default 5
    /// minutes). Capped at half the tokens' lifetime (`ExpiresIn`), so that
    /// tokens shorter-lived than twice the margin are still used between
    /// refreshes.
    pub refresh_margin: Duration,
    pub(super) clock: Clock,
}

impl Default for TokenManagerOptions {
    fn default() -> Self {
        Self {
            refresh_margin: Duration::from_secs(5 * 60),
            clock: Arc::new(Utc::now),
        }
    }
}

impl fmt::Debug for TokenManagerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManagerOptions")
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

impl TokenManagerOptions {
    /// The defaults: a 5-minute margin, the system clock.
    pub fn new() -> Self {
        Self::default()
    }

    /// Refresh when the tokens expire within `margin`.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// The clock expiry is judged by (default: the system clock). Use the
    /// same clock as the [`CognitoClient`](crate::flow::CognitoClient), which
    /// stamps the receipt time of refreshed tokens.
    pub fn clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The current time on the clock.
    pub(super) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Whether `tokens` need a refresh at `now`: they expire within the
    /// margin (capped at half their lifetime).
    pub(crate) fn needs_refresh(&self, tokens: &crate::flow::Tokens, now: DateTime<Utc>) -> bool {
        let lifetime = tokens.expires_at() - tokens.received_at();
        let margin = chrono::TimeDelta::from_std(self.refresh_margin)
            .unwrap_or(chrono::TimeDelta::MAX)
            .min(lifetime / 2)
            .max(chrono::TimeDelta::zero());
        now + margin >= tokens.expires_at()
    }
}
