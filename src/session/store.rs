//! [`TokenStore`]: where a [`TokenManager`](super::TokenManager) keeps its
//! session; [`MemoryStore`], and [`StoreLock`], the guard a store hands out
//! so that two processes do not refresh the same session at once.

use std::fs::File;
use std::sync::Mutex;

use super::error::StoreError;
use super::stored::StoredSession;

/// Persistence of one session. Small and synchronous: a store's calls are
/// short file or memory operations (a blocking [`lock`](Self::lock) waits
/// for another process's refresh, a few hundred milliseconds at most).
pub trait TokenStore: Send + Sync {
    /// The stored session, or `None` when nothing is stored.
    fn load(&self) -> Result<Option<StoredSession>, StoreError>;

    /// Stores `session`, replacing what was stored (atomically, for stores
    /// that can fail half-way).
    fn save(&self, session: &StoredSession) -> Result<(), StoreError>;

    /// Removes the stored session (no error when there is none).
    fn clear(&self) -> Result<(), StoreError>;

    /// An exclusive lock over the store, held by the returned guard, for a
    /// load → refresh → save that no other process may interleave. Waits
    /// while another holder has it. The default does nothing (a store only
    /// this process uses is serialised by the manager itself).
    fn lock(&self) -> Result<StoreLock, StoreError> {
        Ok(StoreLock::none())
    }
}

/// An exclusive lock over a store, released when dropped.
#[derive(Debug)]
#[must_use = "the lock is released when the guard is dropped"]
pub struct StoreLock {
    _file: Option<File>,
}

impl StoreLock {
    /// A guard that holds nothing.
    pub fn none() -> Self {
        Self { _file: None }
    }

    /// A guard over a file locked with [`File::lock`]: closing the file
    /// releases the lock.
    pub fn file(file: File) -> Self {
        Self { _file: Some(file) }
    }
}

/// A store in memory: the session lives as long as the store.
#[derive(Default)]
pub struct MemoryStore {
    session: Mutex<Option<StoredSession>>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let stored = self.session.lock().map(|s| s.is_some()).unwrap_or(false);
        f.debug_struct("MemoryStore")
            .field("stored", &stored)
            .finish()
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<StoredSession>> {
        // A poisoned lock only means a panic elsewhere while holding it; the
        // session inside is whole (every write is one assignment).
        self.session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl TokenStore for MemoryStore {
    fn load(&self) -> Result<Option<StoredSession>, StoreError> {
        Ok(self.slot().clone())
    }

    fn save(&self, session: &StoredSession) -> Result<(), StoreError> {
        *self.slot() = Some(session.clone());
        Ok(())
    }

    fn clear(&self) -> Result<(), StoreError> {
        *self.slot() = None;
        Ok(())
    }
}

impl<S: TokenStore + ?Sized> TokenStore for std::sync::Arc<S> {
    fn load(&self) -> Result<Option<StoredSession>, StoreError> {
        (**self).load()
    }

    fn save(&self, session: &StoredSession) -> Result<(), StoreError> {
        (**self).save(session)
    }

    fn clear(&self) -> Result<(), StoreError> {
        (**self).clear()
    }

    fn lock(&self) -> Result<StoreLock, StoreError> {
        (**self).lock()
    }
}
