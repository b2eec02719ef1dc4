//! [`SessionError`] (why the manager has no valid token) and [`StoreError`]
//! (why a session could not be loaded or saved).

use std::path::{Path, PathBuf};

use crate::flow::FlowError;
use crate::transport::ErrorClass;

/// Why a stored session could not be read or written. Every variant names
/// the file when there is one; none echoes the file's content (it holds
/// tokens).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Reading, writing, locking or removing the file failed.
    #[error("{}: {action}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done (`read`, `write`, `lock`, …).
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The content is not JSON, or not the shape of a stored session.
    #[error(
        "{}: not a valid stored session (line {line}, column {column})",
        display(path)
    )]
    Corrupt {
        /// The file, when the session came from one.
        path: Option<PathBuf>,
        /// Where the parser stopped (1-based; 0 when unknown).
        line: usize,
        /// Where the parser stopped (1-based; 0 when unknown).
        column: usize,
    },
    /// JSON, but not a session written by this crate (no or another
    /// `format` field).
    #[error(
        "{}: not a session file written by cognito-srp (format is not \"cognito-srp-session\")",
        display(path)
    )]
    Foreign {
        /// The file, when the session came from one.
        path: Option<PathBuf>,
    },
    /// A session of a format version this build does not read.
    #[error(
        "{}: session format version {version} is not supported (this build reads version 1)",
        display(path)
    )]
    UnsupportedVersion {
        /// The file, when the session came from one.
        path: Option<PathBuf>,
        /// The version found.
        version: u64,
    },
    /// A session that parsed but whose content is invalid (a malformed pool
    /// id, no access token, …).
    #[error("{}: the stored session's {field} is invalid", display(path))]
    Invalid {
        /// The file, when the session came from one.
        path: Option<PathBuf>,
        /// The field.
        field: &'static str,
    },
    /// The session could not be serialised.
    #[error("the session could not be serialised")]
    Serialize,
}

fn display(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => path.display().to_string(),
        None => "stored session".to_owned(),
    }
}

impl StoreError {
    /// The same error, naming `file`.
    pub(crate) fn in_file(self, file: &Path) -> Self {
        let named = Some(file.to_path_buf());
        match self {
            Self::Corrupt { line, column, .. } => Self::Corrupt {
                path: named,
                line,
                column,
            },
            Self::Foreign { .. } => Self::Foreign { path: named },
            Self::UnsupportedVersion { version, .. } => Self::UnsupportedVersion {
                path: named,
                version,
            },
            Self::Invalid { field, .. } => Self::Invalid { path: named, field },
            other => other,
        }
    }

    /// The file the error is about, when there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Io { path, .. } => Some(path),
            Self::Corrupt { path, .. }
            | Self::Foreign { path }
            | Self::UnsupportedVersion { path, .. }
            | Self::Invalid { path, .. } => path.as_deref(),
            Self::Serialize => None,
        }
    }

    /// A stable snake_case name: `io`, `corrupt`, `foreign`,
    /// `unsupported_version`, `invalid`, `serialize`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "io",
            Self::Corrupt { .. } => "corrupt",
            Self::Foreign { .. } => "foreign",
            Self::UnsupportedVersion { .. } => "unsupported_version",
            Self::Invalid { .. } => "invalid",
            Self::Serialize => "serialize",
        }
    }
}

/// Why the [`TokenManager`](super::TokenManager) has no valid token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The session has ended: Cognito refused the refresh (the refresh token
    /// was revoked, expired or reused; the user was signed out or deleted),
    /// there is no refresh token, or the session was signed out. Every later
    /// call answers this too, without a request. Sign in again.
    #[error("the session has ended ({reason}): a new sign-in is needed")]
    SignInRequired {
        /// Why, in a few words (Cognito's error code when it refused).
        reason: String,
    },
    /// The refresh failed for a reason that may pass (network, timeout,
    /// throttling, a server fault) or the client is misconfigured; the
    /// session is kept and the next call tries again.
    #[error("the tokens could not be refreshed")]
    Refresh(#[source] FlowError),
    /// The session could not be loaded from or saved to its store. After a
    /// refresh the new tokens are kept in memory all the same.
    #[error("the session store failed")]
    Store(#[source] StoreError),
}

impl SessionError {
    /// Whether a later call may succeed without a new sign-in.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::SignInRequired { .. } => false,
            Self::Refresh(error) => error.class() == ErrorClass::Fault,
            Self::Store(_) => true,
        }
    }

    /// Whether a new sign-in is needed ([`SessionError::SignInRequired`]).
    pub fn is_sign_in_required(&self) -> bool {
        matches!(self, Self::SignInRequired { .. })
    }

    /// A stable snake_case name: `sign_in_required`, `refresh`, `store`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SignInRequired { .. } => "sign_in_required",
            Self::Refresh(_) => "refresh",
            Self::Store(_) => "store",
        }
    }
}

impl From<StoreError> for SessionError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}
