//! [`CognitoClient`] and its construction (transport, client secret,
//! metadata, clock, device RNG); [`LoginOutcome`], the result of a login step.
//! The steps live beside it: `login`, `device_steps`, `answering`,
//! `mfa_setup`, `refresh`, over the requests of `exchange`.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};

use super::challenge::Challenge;
use super::options::RequestMetadata;
use super::rng::{self, RngFactory};
use super::tokens::Tokens;
use crate::secret::ClientSecret;
use crate::srp::{ClientId, SrpClient, UserPoolId};

pub(super) type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The result of a login step: tokens, or a challenge the caller answers.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in.
    Tokens(Box<Tokens>),
    /// Cognito asks for more: answer it with [`CognitoClient::answer`].
    Challenge(Box<Challenge>),
}

impl LoginOutcome {
    /// The tokens, if signed in.
    pub fn into_tokens(self) -> Option<Tokens> {
        match self {
            Self::Tokens(tokens) => Some(*tokens),
            Self::Challenge(_) => None,
        }
    }

    /// The challenge, if one follows.
    pub fn into_challenge(self) -> Option<Challenge> {
        match self {
            Self::Tokens(_) => None,
            Self::Challenge(challenge) => Some(*challenge),
        }
    }
}

/// A user pool's app client, signing users in over a [`Transport`](crate::transport::Transport).
///
/// ```no_run
/// # #[cfg(feature = "http")]
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use cognito_srp_auth::flow::{CognitoClient, LoginOutcome};
/// use cognito_srp_auth::transport::HttpTransport;
/// use cognito_srp_auth::{ClientId, Password, UserPoolId};
///
/// let pool = UserPoolId::parse("eu-west-1_AbCdEf123")?;
/// let transport = HttpTransport::for_user_pool(&pool)?;
/// let client = CognitoClient::new(pool, ClientId::new("app-client-id")?, transport);
/// match client.login("alice", Password::new("correct horse")).await? {
///     LoginOutcome::Tokens(tokens) => println!("signed in until {}", tokens.expires_at()),
///     LoginOutcome::Challenge(challenge) => println!("next: {}", challenge.name()),
/// }
/// # Ok(()) }
/// ```
///
/// Device tracking: [`LoginOptions::remember_device`](super::LoginOptions::remember_device) confirms the device
/// Cognito names after a login and returns its credentials in
/// [`Tokens::device_credentials`]; [`LoginOptions::device`](super::LoginOptions::device) signs in as a
/// remembered device (`DEVICE_SRP_AUTH` → `DEVICE_PASSWORD_VERIFIER`, answered
/// automatically).
pub struct CognitoClient<T> {
    pub(super) srp: SrpClient,
    pub(super) transport: T,
    pub(super) metadata: RequestMetadata,
    pub(super) clock: Clock,
    pub(super) rng: RngFactory,
    /// Set once `GetTokensFromRefreshToken` has refreshed for this app client
    /// (one with refresh-token rotation): later refreshes start with it.
    pub(super) refresh_rotates: AtomicBool,
}

impl<T: fmt::Debug> fmt::Debug for CognitoClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CognitoClient")
            .field("srp", &self.srp)
            .field("transport", &self.transport)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl<T> CognitoClient<T> {
    /// A client for app client `client_id` of `user_pool_id` (without a secret).
    pub fn new(user_pool_id: UserPoolId, client_id: ClientId, transport: T) -> Self {
        Self {
            srp: SrpClient::new(user_pool_id, client_id),
            transport,
            metadata: RequestMetadata::default(),
            clock: Arc::new(Utc::now),
            rng: rng::system(),
            refresh_rotates: AtomicBool::new(false),
        }
    }

    /// The randomness of the client: `factory` makes a generator for each
    /// draw — the SRP ephemeral secret `a` of every login and the credentials
    /// of each device confirmed (the device password, then the verifier's
    /// salt; see
    /// [`DeviceCredentials::generate_with_rng`](crate::DeviceCredentials::generate_with_rng)). Default: the
    /// operating system's CSPRNG. For tests that need fixed bytes; a
    /// predictable generator breaks SRP and makes guessable device passwords.
    pub fn with_rng<R, F>(mut self, factory: F) -> Self
    where
        R: rand_core::TryCryptoRng + Send + 'static,
        F: Fn() -> R + Send + Sync + 'static,
    {
        self.rng = rng::factory(factory);
        self
    }

    /// Sets the app client's secret: `SECRET_HASH` goes with every request.
    pub fn with_client_secret(mut self, client_secret: ClientSecret) -> Self {
        self.srp = self.srp.with_client_secret(client_secret);
        self
    }

    /// Metadata sent with every request (unless a login overrides it).
    pub fn with_metadata(mut self, metadata: RequestMetadata) -> Self {
        self.metadata = metadata;
        self
    }

    /// The clock for `TIMESTAMP` and token expiry (default: the system clock).
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The user pool.
    pub fn user_pool_id(&self) -> &UserPoolId {
        self.srp.user_pool_id()
    }

    /// The app client id.
    pub fn client_id(&self) -> &ClientId {
        self.srp.client_id()
    }

    /// Whether the client was given an app client secret.
    pub fn has_client_secret(&self) -> bool {
        self.srp.client_secret().is_some()
    }
}
