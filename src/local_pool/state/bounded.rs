//! [`ExpiringMap`]: the bounded, expiring, thread-safe map behind every piece
//! of per-attempt state (secret blocks, challenge sessions, refresh tokens).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A map whose entries expire after a fixed time and whose size is capped.
///
/// When full, expired entries are purged; if it is still full, inserting
/// fails (the caller answers `TooManyRequestsException`) rather than evicting
/// someone else's live entry.
pub(crate) struct ExpiringMap<V> {
    entries: Mutex<HashMap<String, (Instant, V)>>,
    capacity: usize,
    ttl: Duration,
}

impl<V> ExpiringMap<V> {
    pub(crate) fn new(capacity: usize, ttl: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
            ttl,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, (Instant, V)>> {
        // A panic while holding the lock cannot leave the map inconsistent:
        // every operation is a single insert, remove or retain.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Inserts `value` under `key`, valid until `now + ttl`. `false` when full.
    pub(crate) fn insert(&self, key: String, value: V, now: Instant) -> bool {
        self.insert_for(key, value, now, self.ttl)
    }

    /// Inserts `value` under `key`, valid until `now + ttl` (at most the
    /// map's own). `false` when full.
    pub(crate) fn insert_for(&self, key: String, value: V, now: Instant, ttl: Duration) -> bool {
        let ttl = ttl.min(self.ttl);
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.retain(|_, (expires, _)| *expires > now);
            if entries.len() >= self.capacity {
                return false;
            }
        }
        entries.insert(key, (now + ttl, value));
        true
    }

    /// Removes and returns the entry under `key` if it has not expired
    /// (single use: a second `take` of the same key finds nothing).
    pub(crate) fn take(&self, key: &str, now: Instant) -> Option<V> {
        let (expires, value) = self.lock().remove(key)?;
        (expires > now).then_some(value)
    }

    /// Removes and returns a live entry `pick` chooses (a scan: for the rare
    /// lookup by content rather than key).
    pub(crate) fn take_first(&self, now: Instant, mut pick: impl FnMut(&V) -> bool) -> Option<V> {
        let mut entries = self.lock();
        let key = entries
            .iter()
            .find(|(_, (expires, value))| *expires > now && pick(value))
            .map(|(key, _)| key.clone())?;
        entries.remove(&key).map(|(_, value)| value)
    }

    /// Looks at the entry under `key` without removing it.
    pub(crate) fn with<R>(
        &self,
        key: &str,
        now: Instant,
        f: impl FnOnce(&mut V) -> R,
    ) -> Option<R> {
        let mut entries = self.lock();
        match entries.get_mut(key) {
            Some((expires, value)) if *expires > now => Some(f(value)),
            _ => None,
        }
    }

    /// Removes every entry for which `keep` is false.
    pub(crate) fn retain(&self, mut keep: impl FnMut(&V) -> bool) {
        self.lock().retain(|_, (_, value)| keep(value));
    }

    /// Removes every entry for which `remove` is true; returns their keys.
    pub(crate) fn remove_where(&self, mut remove: impl FnMut(&V) -> bool) -> Vec<String> {
        let mut removed = Vec::new();
        self.lock().retain(|key, (_, value)| {
            let gone = remove(value);
            if gone {
                removed.push(key.clone());
            }
            !gone
        });
        removed
    }

    /// The number of entries, expired ones included.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// The number of entries still live at `now` (expired ones not counted,
    /// nor removed).
    pub(crate) fn live_len(&self, now: Instant) -> usize {
        self.lock()
            .values()
            .filter(|(expires, _)| *expires > now)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_single_use_and_expiring() {
        let map = ExpiringMap::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!(map.insert("a".into(), 1, t0));
        assert!(map.insert("b".into(), 2, t0));
        assert!(!map.insert("c".into(), 3, t0));
        assert_eq!(map.take("a", t0), Some(1));
        assert_eq!(map.take("a", t0), None);
        let later = t0 + Duration::from_secs(11);
        assert_eq!(map.take("b", later), None);
        assert!(map.insert("c".into(), 3, later));
        assert!(map.insert("d".into(), 4, later));
        assert_eq!(map.len(), 2);
        assert_eq!(map.live_len(later), 2);
        assert_eq!(map.live_len(later + Duration::from_secs(11)), 0);
    }
}
