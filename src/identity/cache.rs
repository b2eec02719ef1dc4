//! [`CredentialsCache`]: reuse credentials until shortly before they expire.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::AwsCredentials;

/// How long before their expiry cached credentials are replaced: 5 minutes
/// (the AWS SDKs refresh temporary credentials about as early).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Holds the last credentials and hands them out while they are good for at
/// least the margin ([`REFRESH_MARGIN`] by default).
#[derive(Debug)]
pub struct CredentialsCache {
    margin: Duration,
    current: Mutex<Option<AwsCredentials>>,
}

impl Default for CredentialsCache {
    fn default() -> Self {
        Self::new(REFRESH_MARGIN)
    }
}

impl CredentialsCache {
    /// An empty cache that replaces credentials `margin` before they expire.
    pub fn new(margin: Duration) -> Self {
        Self {
            margin,
            current: Mutex::new(None),
        }
    }

    /// The margin.
    pub fn margin(&self) -> Duration {
        self.margin
    }

    /// The cached credentials, if they are still good at `now` for the margin.
    pub fn get(&self, now: DateTime<Utc>) -> Option<AwsCredentials> {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|credentials| credentials.is_fresh(now, self.margin))
            .cloned()
    }

    /// Keeps `credentials` (replacing any).
    pub fn store(&self, credentials: AwsCredentials) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(credentials);
    }

    /// Drops the cached credentials.
    pub fn clear(&self) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_until_the_margin() {
        let cache = CredentialsCache::default();
        let now = DateTime::from_timestamp(1_000_000, 0).unwrap();
        assert!(cache.get(now).is_none());
        let expiry = now + chrono::Duration::seconds(3600);
        cache.store(AwsCredentials::new("ASIA", "s", "t", expiry));
        assert!(cache.get(now).is_some());
        assert!(cache.get(expiry - chrono::Duration::seconds(301)).is_some());
        assert!(cache.get(expiry - chrono::Duration::seconds(299)).is_none());
        cache.clear();
        assert!(cache.get(now).is_none());
    }
}
