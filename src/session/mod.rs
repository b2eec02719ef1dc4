//! Keeping a signed-in session valid: the [`TokenManager`] refreshes ahead of
//! expiry (one refresh in flight however many tasks ask) and persists the
//! session through a [`TokenStore`] ([`MemoryStore`], [`FileStore`]).
//!
//! * [`TokenManager::access_token`] / [`TokenManager::id_token`] return a
//!   token valid for at least the refresh margin
//!   ([`TokenManagerOptions::refresh_margin`], default 5 minutes, at most
//!   half the tokens' lifetime), refreshing first through
//!   [`CognitoClient::refresh_tokens`](crate::flow::CognitoClient::refresh_tokens)
//!   (rotation- and device-aware). Expiry is the receipt time on the local
//!   clock plus `ExpiresIn`, so a skewed server clock does not matter.
//! * A refresh Cognito refuses (revoked, expired or reused refresh token)
//!   ends the session: [`SessionError::SignInRequired`], now and on every
//!   later call, without another request. A network or server failure is
//!   [`SessionError::Refresh`] and the session is kept.
//! * [`StoredSession`] is the persisted form (JSON with a `format` and a
//!   `version`): the tokens, the device credentials, the user pool and app
//!   client ids and the endpoint — never a password or client secret.
//!
//! Layout: `manager` (the manager), `options`, `error`, `stored` (the
//! persisted form), `store` (the trait, the memory store, the lock guard),
//! `file_store`.

mod error;
mod file_store;
mod manager;
mod options;
mod private_file;
mod store;
mod stored;

pub use error::{SessionError, StoreError};
pub use file_store::FileStore;
pub use manager::TokenManager;
pub use options::TokenManagerOptions;
pub use private_file::write_private_file;
pub use store::{MemoryStore, StoreLock, TokenStore};
pub use stored::{SESSION_FORMAT, SESSION_VERSION, StoredSession};
