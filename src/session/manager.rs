//! [`TokenManager`]: a signed-in session kept valid — refreshed ahead of
//! expiry, one refresh in flight however many tasks ask, persisted after
//! each refresh, ended when Cognito refuses the refresh.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::Mutex;

use super::error::SessionError;
use super::options::TokenManagerOptions;
use super::store::TokenStore;
use super::stored::StoredSession;
use crate::flow::{AccessToken, CognitoClient, FlowError, IdToken, Tokens};
use crate::transport::{ErrorClass, Transport};

/// The session and whether it has ended.
struct State {
    session: StoredSession,
    ended: Option<String>,
}

/// Keeps one signed-in session valid over a [`CognitoClient`].
///
/// [`access_token`](Self::access_token) and [`id_token`](Self::id_token)
/// return a token that is valid for at least the refresh margin, refreshing
/// first when it is not ([`CognitoClient::refresh_tokens`]: with or without
/// refresh-token rotation, with the device key of a remembered device).
/// Callers share the manager (in an [`Arc`]); while one refreshes the others
/// wait for its result, so N callers cause one refresh.
///
/// * Cognito refusing the refresh ends the session:
///   [`SessionError::SignInRequired`], then and on every later call, without
///   a request.
/// * A network or server failure is [`SessionError::Refresh`]; the session
///   is kept and the next call tries again.
/// * With a [`TokenStore`] ([`with_store`](Self::with_store)) the session is
///   saved after every refresh. The refresh runs under the store's
///   [`lock`](TokenStore::lock); a session another process saved meanwhile
///   (same user, fresher tokens) is taken instead of refreshing again.
///
/// `Debug` shows no token.
pub struct TokenManager<T> {
    client: CognitoClient<T>,
    state: Mutex<State>,
    store: Option<Arc<dyn TokenStore>>,
    options: TokenManagerOptions,
    refreshes: AtomicU64,
}

impl<T: fmt::Debug> fmt::Debug for TokenManager<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("client", &self.client)
            .field("stored", &self.store.is_some())
            .field("options", &self.options)
            .field("refreshes", &self.refreshes.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl<T: Transport> TokenManager<T> {
    /// A manager of the session `tokens` signed in through `client`.
    pub fn new(client: CognitoClient<T>, tokens: Tokens, options: TokenManagerOptions) -> Self {
        let session = StoredSession::new(
            client.user_pool_id().clone(),
            client.client_id().clone(),
            tokens,
        )
        .with_client_secret_required(client.has_client_secret());
        Self::from_session(client, session, options)
    }

    /// A manager of a stored `session` (loaded from a store), refreshed
    /// through `client` (which must be of the session's app client).
    pub fn from_session(
        client: CognitoClient<T>,
        session: StoredSession,
        options: TokenManagerOptions,
    ) -> Self {
        Self {
            client,
            state: Mutex::new(State {
                session,
                ended: None,
            }),
            store: None,
            options,
            refreshes: AtomicU64::new(0),
        }
    }

    /// Saves the session to `store` after every refresh and refreshes under
    /// its lock. The session is not saved now: call
    /// [`save`](Self::save) for that.
    pub fn with_store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Saves the current session to the store (nothing without one).
    pub async fn save(&self) -> Result<(), SessionError> {
        let state = self.state.lock().await;
        if let Some(store) = &self.store {
            store.save(&state.session)?;
        }
        Ok(())
    }

    /// The client.
    pub fn client(&self) -> &CognitoClient<T> {
        &self.client
    }

    /// How many refreshes this manager made (requests Cognito answered with
    /// tokens).
    pub fn refresh_count(&self) -> u64 {
        self.refreshes.load(Ordering::Relaxed)
    }

    /// An access token valid for at least the refresh margin, refreshed
    /// first when needed.
    pub async fn access_token(&self) -> Result<AccessToken, SessionError> {
        Ok(self.valid_tokens().await?.access_token().clone())
    }

    /// An ID token valid for at least the refresh margin, refreshed first
    /// when needed. `None` when Cognito issued none.
    pub async fn id_token(&self) -> Result<Option<IdToken>, SessionError> {
        Ok(self.valid_tokens().await?.id_token().cloned())
    }

    /// The tokens, refreshed first when they expire within the margin.
    pub async fn valid_tokens(&self) -> Result<Tokens, SessionError> {
        let mut state = self.state.lock().await;
        if let Some(reason) = &state.ended {
            return Err(SessionError::SignInRequired {
                reason: reason.clone(),
            });
        }
        if self
            .options
            .needs_refresh(state.session.tokens(), self.options.now())
        {
            self.refresh_locked(&mut state, false).await?;
        }
        Ok(state.session.tokens().clone())
    }

    /// A snapshot of the current tokens, as they are (no refresh).
    pub async fn tokens(&self) -> Tokens {
        self.state.lock().await.session.tokens().clone()
    }

    /// A snapshot of the session, as it is (no refresh).
    pub async fn session(&self) -> StoredSession {
        self.state.lock().await.session.clone()
    }

    /// Refreshes now, whatever the expiry (one refresh even when several
    /// callers ask at once: callers waiting behind a refresh that completed
    /// take its result).
    pub async fn refresh_now(&self) -> Result<Tokens, SessionError> {
        let before = self.refresh_count();
        let mut state = self.state.lock().await;
        if let Some(reason) = &state.ended {
            return Err(SessionError::SignInRequired {
                reason: reason.clone(),
            });
        }
        if self.refresh_count() == before {
            self.refresh_locked(&mut state, true).await?;
        }
        Ok(state.session.tokens().clone())
    }

    /// Ends the session: `RevokeToken` on the refresh token (and the access
    /// tokens issued with it), then the store is cleared. Later calls answer
    /// [`SessionError::SignInRequired`]. A refusal of the revocation (the
    /// token was already revoked) still ends the session; the error is
    /// returned after the store is cleared.
    pub async fn sign_out(&self) -> Result<(), SessionError> {
        let mut state = self.state.lock().await;
        let revoked = match state.session.refresh_token() {
            Some(token) => self.client.revoke_token(token).await,
            None => Ok(()),
        };
        let refused = match revoked {
            Ok(()) => None,
            // Not revoked: keep the session so that the caller can retry.
            Err(error) if error.class() == ErrorClass::Fault => {
                return Err(SessionError::Refresh(error));
            }
            Err(error) => Some(reason_of(&error)),
        };
        state.ended = Some("signed out".to_owned());
        if let Some(store) = &self.store {
            let _lock = store.lock()?;
            store.clear()?;
        }
        match refused {
            None => Ok(()),
            Some(reason) => Err(SessionError::SignInRequired { reason }),
        }
    }

    /// The refresh, with the state locked: under the store's lock, a fresher
    /// session of the same user saved by another process is taken; otherwise
    /// Cognito is asked and the result saved.
    async fn refresh_locked(&self, state: &mut State, force: bool) -> Result<(), SessionError> {
        let _lock = match &self.store {
            Some(store) => Some(store.lock()?),
            None => None,
        };
        if let Some(store) = &self.store
            && let Some(stored) = store.load()?
            && stored.same_user(&state.session)
            && stored.tokens().expires_at() > state.session.tokens().expires_at()
        {
            // Another process refreshed meanwhile: its refresh token is the
            // live one (with rotation, ours may be spent).
            state.session = stored;
            if !force
                && !self
                    .options
                    .needs_refresh(state.session.tokens(), self.options.now())
            {
                return Ok(());
            }
        }
        match self.client.refresh_tokens(state.session.tokens()).await {
            Ok(tokens) => {
                self.refreshes.fetch_add(1, Ordering::Relaxed);
                state.session.set_tokens(tokens);
                if let Some(store) = &self.store {
                    store.save(&state.session)?;
                }
                Ok(())
            }
            Err(error) if ends_session(&error) => {
                let reason = reason_of(&error);
                state.ended = Some(reason.clone());
                Err(SessionError::SignInRequired { reason })
            }
            Err(error) => Err(SessionError::Refresh(error)),
        }
    }
}

/// Whether a failed refresh means the session is over: Cognito refused it,
/// or there is no refresh token.
fn ends_session(error: &FlowError) -> bool {
    error.class() == ErrorClass::Refused
}

/// A few words on why: Cognito's error code, or the failure's name.
fn reason_of(error: &FlowError) -> String {
    match error.service_code() {
        Some(code) => code.to_owned(),
        None => error.code().to_owned(),
    }
}
