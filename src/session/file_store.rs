//! [`FileStore`]: a session in one JSON file of mode 0600, replaced
//! atomically (a temporary file in the same directory, synced, renamed over
//! the old one, the directory synced), under an advisory lock on a sibling
//! `.lock` file so two processes do not interleave a refresh.

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::error::StoreError;
use super::private_file::{sync_dir, write_private_file};
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
///   The lock blocks the calling thread while another process refreshes:
///   within one process share one [`TokenManager`](super::TokenManager) (in
///   an `Arc`) rather than giving two managers stores on the same file (on
///   a single-threaded runtime the second would wait for the first forever).
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
        self.create_dir()?;
        write_private_file(&self.path, bytes).map_err(self.io("write"))
    }
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
    fn saves_replace_atomically_with_mode_0600_and_leave_no_temporary_file() {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;

        use crate::flow::Tokens;
        use crate::srp::{ClientId, UserPoolId};
        use crate::wire::AuthenticationResult;

        let dir = temp_dir("save");
        let store = FileStore::new(dir.join("nested").join("s.json"));
        let session = |token: &str| {
            let access = format!(
                "eyJhbGciOiJub25lIn0.{}.{token}",
                URL_SAFE_NO_PAD.encode(r#"{"username":"u","sub":"s"}"#)
            );
            let result = AuthenticationResult {
                access_token: Some(access),
                expires_in: Some(3600),
                refresh_token: Some(format!("RT-{token}")),
                ..Default::default()
            };
            let tokens = Tokens::from_authentication_result(result, chrono::Utc::now(), None);
            StoredSession::new(
                UserPoolId::parse("eu-west-1_AbC").unwrap(),
                ClientId::new("client").unwrap(),
                tokens.unwrap(),
            )
        };
        store.save(&session("one")).unwrap();
        store.save(&session("two")).unwrap();
        let loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded.refresh_token().unwrap().expose_secret(), "RT-two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(store.path()), 0o600);
            assert_eq!(mode(&dir.join("nested")), 0o700);
        }
        let names: Vec<_> = std::fs::read_dir(dir.join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["s.json"], "no temporary file left");
        store.clear().unwrap();
        assert!(store.load().unwrap().is_none());
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
