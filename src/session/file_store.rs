//! [`FileStore`]: a session in one JSON file of mode 0600, replaced
//! atomically (a temporary file in the same directory, synced, renamed over
//! the old one, the directory synced), under an advisory lock on a sibling
//! `.lock` file so two processes do not interleave a refresh.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use zeroize::Zeroizing;

use super::error::StoreError;
use super::store::{StoreLock, TokenStore};
use super::stored::StoredSession;

/// The largest session file read, in bytes (a session is a few KiB).
const MAX_FILE_LEN: u64 = 1024 * 1024;

/// A session stored in the file at a path.
///
/// * Written with mode 0600 (Unix) through a temporary file in the same
///   directory (mode 0700 when this store creates it), synced and renamed
///   over the old file: a reader sees the old session or the new one,
///   never half of one, and a crash leaves one of them.
/// * [`lock`](TokenStore::lock) takes an exclusive advisory lock
///   ([`File::lock`]) on `<path>.lock`, a file that is never removed (a
///   removed lock file could be locked twice).
/// * A file that is not a stored session is an error naming it
///   ([`StoreError::Corrupt`], [`StoreError::Foreign`]); nothing replaces it
///   but an explicit [`save`](TokenStore::save).
#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    /// A store at `path` (nothing is created until a save or a lock).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The session file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The lock file: the session file's name with `.lock` appended.
    pub fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    fn io(&self, action: &'static str) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
        move |source| StoreError::Io {
            path: self.path.clone(),
            action,
            source,
        }
    }

    fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    fn create_dir(&self) -> Result<(), StoreError> {
        let dir = self.dir();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&dir).map_err(|source| StoreError::Io {
            path: dir,
            action: "create the directory",
            source,
        })
    }

    fn write_atomically(&self, bytes: &[u8]) -> Result<(), StoreError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        self.create_dir()?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "session".to_owned());
        let temp = self.dir().join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let result = (|| {
            let mut file = options.open(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            drop(file);
            std::fs::rename(&temp, &self.path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result.map_err(self.io("write"))?;
        sync_dir(&self.dir());
        Ok(())
    }
}

/// Syncs a directory so a rename in it survives a crash (best effort: not
/// every platform or file system can open a directory).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

impl TokenStore for FileStore {
    fn load(&self) -> Result<Option<StoredSession>, StoreError> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(self.io("read")(error)),
        };
        let mut text = Zeroizing::new(String::new());
        std::io::Read::read_to_string(&mut std::io::Read::take(&file, MAX_FILE_LEN), &mut text)
            .map_err(|error| match error.kind() {
                ErrorKind::InvalidData => StoreError::Corrupt {
                    path: Some(self.path.clone()),
                    line: 0,
                    column: 0,
                },
                _ => self.io("read")(error),
            })?;
        StoredSession::from_json(&text)
            .map(Some)
            .map_err(|error| error.in_file(&self.path))
    }

    fn save(&self, session: &StoredSession) -> Result<(), StoreError> {
        let json = session.to_json()?;
        self.write_atomically(json.as_bytes())
    }

    fn clear(&self) -> Result<(), StoreError> {
        match std::fs::remove_file(&self.path) {
            Err(error) if error.kind() != ErrorKind::NotFound => Err(self.io("remove")(error)),
            _ => {
                sync_dir(&self.dir());
                Ok(())
            }
        }
    }

    fn lock(&self) -> Result<StoreLock, StoreError> {
        self.create_dir()?;
        let path = self.lock_path();
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let lock_error = |source| StoreError::Io {
            path: path.clone(),
            action: "lock",
            source,
        };
        let file = options.open(&path).map_err(lock_error)?;
        file.lock().map_err(lock_error)?;
        Ok(StoreLock::file(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cognito-srp-file-store-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_missing_file_is_no_session_and_clear_is_idempotent() {
        let dir = temp_dir("missing");
        let store = FileStore::new(dir.join("s.json"));
        assert!(store.load().unwrap().is_none());
        store.clear().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn corrupt_and_foreign_files_name_the_path_and_stay() {
        let dir = temp_dir("corrupt");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.json");
        let store = FileStore::new(&path);
        for (content, code) in [
            ("{\"format\": tru", "corrupt"),
            ("{\"aws_access_key_id\": \"x\"}", "foreign"),
            ("\u{ff}\u{fe}", "corrupt"),
        ] {
            std::fs::write(&path, content).unwrap();
            let error = store.load().unwrap_err();
            assert_eq!(error.code(), code, "{content:?}");
            assert_eq!(error.path(), Some(path.as_path()));
            assert!(error.to_string().contains(&path.display().to_string()));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
        }
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        assert_eq!(store.load().unwrap_err().code(), "corrupt");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_lock_excludes_a_second_holder_until_dropped() {
        let dir = temp_dir("lock");
        let store = FileStore::new(dir.join("s.json"));
        let guard = store.lock().unwrap();
        let other = File::options()
            .read(true)
            .write(true)
            .open(store.lock_path())
            .unwrap();
        assert!(other.try_lock().is_err());
        drop(guard);
        assert!(other.try_lock().is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
