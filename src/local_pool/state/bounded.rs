//! [`ExpiringMap`]: the bounded, expiring, thread-safe map behind every piece
//! of per-attempt state (secret blocks, challenge sessions, refresh tokens).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How often an insert also drops the expired entries (so a pending sign-in,
/// which holds a secret `b` and a verifier, does not outlive its expiry by
/// more than this while the pool is busy; the pool's sweeper task covers an
/// idle pool).
pub(crate) const SWEEP_INTERVAL: Duration = Duration::from_secs(1);

/// A map whose entries expire after a fixed time and whose size is capped.
///
/// Expired entries are dropped (and their values with them: secrets wipe
/// themselves on drop) by [`sweep_expired`](Self::sweep_expired), by an
/// insert at most every [`SWEEP_INTERVAL`], and when the map is full. If it
/// is still full, inserting fails (the caller answers
/// `TooManyRequestsException`) rather than evicting someone else's live entry.
pub(crate) struct ExpiringMap<V> {
    entries: Mutex<HashMap<String, (Instant, V)>>,
    capacity: usize,
    ttl: Duration,
    /// When the map was made: the origin of `next_sweep`.
    created: Instant,
    /// Milliseconds after `created` when an insert next sweeps.
    next_sweep: AtomicU64,
}

impl<V> ExpiringMap<V> {
    pub(crate) fn new(capacity: usize, ttl: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
            ttl,
            created: Instant::now(),
            next_sweep: AtomicU64::new(0),
        }
    }

    /// Drops every entry expired at `now`; returns how many went.
    pub(crate) fn sweep_expired(&self, now: Instant) -> usize {
        let mut entries = self.lock();
        let before = entries.len();
        entries.retain(|_, (expires, _)| *expires > now);
        before - entries.len()
    }

    /// Whether an insert at `now` is due to sweep (at most once per
    /// [`SWEEP_INTERVAL`]); called with the entries locked.
    fn sweep_due(&self, now: Instant) -> bool {
        let elapsed = u64::try_from(now.saturating_duration_since(self.created).as_millis())
            .unwrap_or(u64::MAX);
        if elapsed < self.next_sweep.load(Ordering::Relaxed) {
            return false;
        }
        let interval = u64::try_from(SWEEP_INTERVAL.as_millis()).unwrap_or(u64::MAX);
        self.next_sweep
            .store(elapsed.saturating_add(interval), Ordering::Relaxed);
        true
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
        if self.sweep_due(now) {
            entries.retain(|_, (expires, _)| *expires > now);
        }
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

    #[test]
    fn expired_entries_are_dropped_by_a_sweep_and_by_a_later_insert() {
        let map = ExpiringMap::new(100, Duration::from_secs(10));
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(map.insert(format!("k{i}"), i, t0));
        }
        assert_eq!(map.sweep_expired(t0), 0);
        let later = t0 + Duration::from_secs(11);
        assert_eq!(map.sweep_expired(later), 5);
        assert_eq!(map.len(), 0);
        // Without an explicit sweep, an insert after the interval drops them.
        for i in 0..5 {
            assert!(map.insert(format!("k{i}"), i, later));
        }
        let much_later = later + Duration::from_secs(11) + SWEEP_INTERVAL;
        assert!(map.insert("new".into(), 9, much_later));
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn expired_secrets_are_dropped_not_only_hidden() {
        use std::sync::Arc;
        use std::sync::atomic::AtomicUsize;
        struct Counted(Arc<AtomicUsize>);
        impl Drop for Counted {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let dropped = Arc::new(AtomicUsize::new(0));
        let map = ExpiringMap::new(10, Duration::from_secs(1));
        let t0 = Instant::now();
        assert!(map.insert("a".into(), Counted(dropped.clone()), t0));
        assert_eq!(map.sweep_expired(t0 + Duration::from_secs(2)), 1);
        assert_eq!(dropped.load(Ordering::SeqCst), 1);
    }
}
