//! A local Cognito user pool: the server side of the same SRP protocol behind a
//! loopback HTTP endpoint that speaks Cognito's AWS JSON 1.1.
//!
//! It is what `cognito-srp serve` runs and what the crate's end-to-end tests
//! log in to. It reuses [`crate::math`], the SRP core (the server side is
//! [`crate::ServerChallenge`] and [`crate::ServerSession`]) and [`crate::wire`], and never the client flow.
//!
//! # Layout
//!
//! * `http` (axum: routes, body limit, concurrency permits) hands each
//!   request to `dispatch`, which parses `X-Amz-Target` as a
//!   [`wire::Operation`](crate::wire::Operation) and calls one operation;
//!   errors are [`ErrorReply`]s carrying a
//!   [`wire::ServiceErrorKind`](crate::wire::ServiceErrorKind) (`error`).
//! * `ops`: the operations — `sign_in` (`InitiateAuth`,
//!   `RespondToAuthChallenge`), `user_auth` (`USER_AUTH`: choice-based
//!   sign-in, `SELECT_CHALLENGE`, `EMAIL_OTP`, `SMS_OTP`), `srp` (the one path that issues an SRP
//!   challenge and the one that checks a claim, for user and device SRP),
//!   `next_step` (what follows a correct password: new password, MFA, device
//!   proof, tokens), `devices`, `admin` (with MFA preferences) and
//!   `software_token`.
//! * `state`: what the pool holds — `pool` (the aggregate: app clients, MFA
//!   setting, lockout), `users`, `devices` (the device store), `sessions`,
//!   `secret_block` (pending SRP attempts), `tokens` (JWTs, refresh tokens)
//!   and `bounded` (the expiring, bounded maps). Operations use state; state
//!   never uses operations.
//! * Leaves used by both: `config` (the builder's types), `random`, `totp`,
//!   `timestamp`; `offline` runs `dispatch` without a socket (fuzzing).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cognito_srp_auth::Password;
//! use cognito_srp_auth::local_pool::{LocalPool, SeedUser};
//!
//! let pool = LocalPool::builder()
//!     .user(SeedUser::new("alice", Password::new("correct horse")))
//!     .start()
//!     .await?;
//! println!("{} {}", pool.endpoint(), pool.user_pool_id());
//! pool.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! # Fidelity
//!
#![doc = include_str!("fidelity.md")]

mod config;
mod dispatch;
mod error;
mod http;
mod offline;
mod ops;
mod random;
mod state;
mod timestamp;
mod totp;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;
use zeroize::Zeroizing;

pub use config::{AppClient, DeviceTracking, FirstAuthFactors, Limits, MfaConfiguration, SeedUser};
pub use error::{ErrorReply, LocalPoolError};
pub use http::MAX_BODY_BYTES;
#[doc(hidden)]
pub use offline::{OfflineAnswer, OfflinePool};
pub use state::secret_block::{SECRET_BLOCK_BYTES, SECRET_BLOCK_TTL};
pub use state::sessions::SESSION_TTL;
pub use state::tokens::{REFRESH_TOKEN_LIFETIME, TOKEN_LIFETIME_SECONDS, TokenSettings};
pub use state::users::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN};
pub use timestamp::{MAX_CLOCK_SKEW, check_timestamp};
pub use totp::TotpSecret;

use crate::srp::UserPoolId;
use state::pool::PoolState;
use state::tokens;

/// The port `cognito-srp serve` listens on by default.
pub const DEFAULT_PORT: u16 = 9229;

/// How long [`RunningPool::shutdown`] waits for open requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Entry point: [`LocalPool::builder`].
#[derive(Debug)]
pub struct LocalPool;

impl LocalPool {
    /// A builder with defaults: `127.0.0.1` on an ephemeral port, a random
    /// `us-east-1_…` pool id, one app client without and one with a secret,
    /// MFA optional, no users.
    pub fn builder() -> LocalPoolBuilder {
        LocalPoolBuilder {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            allow_remote: false,
            user_pool_id: None,
            clients: Vec::new(),
            users: Vec::new(),
            mfa: MfaConfiguration::default(),
            device_tracking: DeviceTracking::default(),
            first_auth_factors: FirstAuthFactors::default(),
            limits: Limits::default(),
            tokens: TokenSettings::default(),
        }
    }
}

/// Configures and starts a [`RunningPool`].
#[derive(Debug)]
pub struct LocalPoolBuilder {
    listen: SocketAddr,
    allow_remote: bool,
    user_pool_id: Option<UserPoolId>,
    clients: Vec<AppClient>,
    users: Vec<SeedUser>,
    mfa: MfaConfiguration,
    device_tracking: DeviceTracking,
    first_auth_factors: FirstAuthFactors,
    limits: Limits,
    tokens: TokenSettings,
}

impl LocalPoolBuilder {
    /// The address to listen on (port 0: any free port). Must be a loopback
    /// address unless [`allow_remote`](Self::allow_remote).
    pub fn listen(mut self, address: SocketAddr) -> Self {
        self.listen = address;
        self
    }

    /// Allows a non-loopback listen address.
    pub fn allow_remote(mut self, allow: bool) -> Self {
        self.allow_remote = allow;
        self
    }

    /// The user pool id (its region and pool name matter to SRP).
    pub fn user_pool_id(mut self, id: UserPoolId) -> Self {
        self.user_pool_id = Some(id);
        self
    }

    /// Adds an app client. When none is added, the pool gets two random ones:
    /// without and with a secret.
    pub fn client(mut self, client: AppClient) -> Self {
        self.clients.push(client);
        self
    }

    /// Adds a user created at start.
    pub fn user(mut self, user: SeedUser) -> Self {
        self.users.push(user);
        self
    }

    /// The pool's MFA setting.
    pub fn mfa(mut self, mfa: MfaConfiguration) -> Self {
        self.mfa = mfa;
        self
    }

    /// The pool's device tracking (default [`DeviceTracking::Always`]).
    pub fn device_tracking(mut self, tracking: DeviceTracking) -> Self {
        self.device_tracking = tracking;
        self
    }

    /// The first factors `USER_AUTH` may offer (Cognito's
    /// `AllowedFirstAuthFactors`; default [`FirstAuthFactors::password_only`]).
    pub fn first_auth_factors(mut self, factors: FirstAuthFactors) -> Self {
        self.first_auth_factors = factors;
        self
    }

    /// Bounds on users and pending state.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Token lifetimes and refresh-token rotation (see [`TokenSettings`]).
    pub fn tokens(mut self, tokens: TokenSettings) -> Self {
        self.tokens = tokens;
        self
    }

    /// Turns refresh-token rotation on with a `grace` period (Cognito allows
    /// 0–60 s): refreshing then needs `GetTokensFromRefreshToken`.
    pub fn refresh_token_rotation(mut self, grace: Duration) -> Self {
        self.tokens.refresh_token_rotation = Some(grace);
        self
    }

    /// ID and access token validity.
    pub fn access_token_validity(mut self, validity: Duration) -> Self {
        self.tokens.access_token_validity = validity;
        self
    }

    /// Binds, creates the RSA key and the users, and starts serving on the
    /// current tokio runtime.
    pub async fn start(mut self) -> Result<RunningPool, LocalPoolError> {
        if !self.listen.ip().is_loopback() && !self.allow_remote {
            return Err(LocalPoolError::NotLoopback(self.listen));
        }
        let (user_pool_id, clients) = self.take_identity()?;
        let listener = tokio::net::TcpListener::bind(self.listen)
            .await
            .map_err(LocalPoolError::Io)?;
        let address = listener.local_addr().map_err(LocalPoolError::Io)?;
        let endpoint = format!("http://{address}");
        let issuer = format!("{endpoint}/{}", user_pool_id.as_str());
        let refresh_capacity = self.limits.max_refresh_tokens;
        let settings = self.tokens;
        let tokens = tokio::task::spawn_blocking(move || {
            tokens::TokenIssuer::new(issuer, refresh_capacity, settings)
        })
        .await
        .map_err(|_| LocalPoolError::Task)??;
        let state = Arc::new(self.seeded_state(user_pool_id, clients, tokens)?);
        let app = Arc::new(http::App {
            pool: state.clone(),
            permits: Arc::new(Semaphore::new(self.limits.max_concurrent_requests.max(1))),
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let service = http::router(app).into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(listener, service).with_graceful_shutdown(async move {
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move { server.await });
        tracing::info!(%endpoint, user_pool_id = %state.user_pool_id, "local user pool listening");
        Ok(RunningPool {
            state,
            address,
            endpoint,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

impl LocalPoolBuilder {
    /// The pool id (the given one, or a random `us-east-1_…`) and the app
    /// clients (the given ones, or one public and one with a secret). Shared
    /// by [`start`](Self::start) and the offline pool.
    fn take_identity(&mut self) -> Result<(UserPoolId, Vec<AppClient>), LocalPoolError> {
        let user_pool_id = match self.user_pool_id.take() {
            Some(id) => id,
            None => random_pool_id()?,
        };
        let clients = if self.clients.is_empty() {
            let generate = || -> Result<Vec<AppClient>, ErrorReply> {
                Ok(vec![
                    AppClient::generate_public()?,
                    AppClient::generate_with_secret()?,
                ])
            };
            generate().map_err(|_| LocalPoolError::Randomness)?
        } else {
            std::mem::take(&mut self.clients)
        };
        Ok((user_pool_id, clients))
    }

    /// The pool's state with the seed users created.
    fn seeded_state(
        &self,
        user_pool_id: UserPoolId,
        clients: Vec<AppClient>,
        tokens: tokens::TokenIssuer,
    ) -> Result<PoolState, LocalPoolError> {
        let state = PoolState::new(
            user_pool_id,
            clients,
            self.mfa,
            self.device_tracking,
            self.first_auth_factors,
            &self.limits,
            tokens,
        );
        for seed in &self.users {
            state
                .create_user(seed)
                .map_err(|source| LocalPoolError::SeedUser {
                    username: seed.username.clone(),
                    source,
                })?;
        }
        Ok(state)
    }
}

fn random_pool_id() -> Result<UserPoolId, LocalPoolError> {
    let suffix = random::string_from(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        9,
    )
    .map_err(|_| LocalPoolError::Randomness)?;
    UserPoolId::parse(&format!("us-east-1_{suffix}")).map_err(|_| LocalPoolError::Randomness)
}

/// A pool serving on loopback. Dropping it stops the server too;
/// [`shutdown`](Self::shutdown) also waits for it.
pub struct RunningPool {
    state: Arc<PoolState>,
    address: SocketAddr,
    endpoint: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningPool {
    /// `http://127.0.0.1:PORT`: the endpoint URL to give a Cognito client.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The socket address served.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The user pool id.
    pub fn user_pool_id(&self) -> &UserPoolId {
        &self.state.user_pool_id
    }

    /// The region (the part of the pool id before `_`).
    pub fn region(&self) -> &str {
        self.state.user_pool_id.region()
    }

    /// The app clients.
    pub fn clients(&self) -> &[AppClient] {
        &self.state.clients
    }

    /// The first app client without a secret.
    pub fn public_client(&self) -> Option<&AppClient> {
        self.clients().iter().find(|c| c.client_secret().is_none())
    }

    /// The first app client with a secret.
    pub fn secret_client(&self) -> Option<&AppClient> {
        self.clients().iter().find(|c| c.client_secret().is_some())
    }

    /// The pool's device tracking.
    pub fn device_tracking(&self) -> DeviceTracking {
        self.state.device_tracking
    }

    /// The first factors `USER_AUTH` may offer.
    pub fn first_auth_factors(&self) -> FirstAuthFactors {
        self.state.first_factors
    }

    /// Token lifetimes and refresh-token rotation.
    pub fn token_settings(&self) -> TokenSettings {
        *self.state.tokens.settings()
    }

    /// `iss` of the pool's tokens: `<endpoint>/<user-pool-id>`.
    pub fn issuer(&self) -> &str {
        self.state.tokens.issuer()
    }

    /// The URL of the JWKS.
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.issuer())
    }

    /// The names users were created with, sorted.
    pub fn usernames(&self) -> Vec<String> {
        self.state.users.usernames()
    }

    /// The `sub` (= `USER_ID_FOR_SRP`) of the user a sign-in name refers to.
    pub fn user_sub(&self, name: &str) -> Option<String> {
        self.state.users.resolve(name)
    }

    /// Creates a user while the pool runs; returns its `sub`.
    pub fn add_user(&self, user: &SeedUser) -> Result<String, ErrorReply> {
        Ok(self.state.create_user(user)?.sub)
    }

    /// Sign-ins started and not finished: live `SECRET_BLOCK`s, neither
    /// answered (`PASSWORD_VERIFIER`, `DEVICE_PASSWORD_VERIFIER`) nor expired
    /// ([`SECRET_BLOCK_TTL`]). Also served as `pending_sign_ins` by
    /// `GET /_local/stats`.
    pub fn pending_sign_ins(&self) -> usize {
        self.state.pending_sign_ins()
    }

    /// Live challenge sessions (`NEW_PASSWORD_REQUIRED`, MFA,
    /// `DEVICE_SRP_AUTH`, …): opened, neither answered nor expired
    /// ([`SESSION_TTL`]). Also served as `sessions` by `GET /_local/stats`.
    pub fn pending_sessions(&self) -> usize {
        self.state.pending_sessions()
    }

    /// The last SMS code (`SMS_MFA`, `SMS_OTP`) "sent" to a user (it is also
    /// written to the log). A secret: for tests only; do not print it.
    pub fn last_sms_code(&self, name: &str) -> Option<Zeroizing<String>> {
        self.state.last_sms_code(name)
    }

    /// The last `EMAIL_OTP` code "sent" to a user (it is also written to the
    /// log). A secret: for tests only; do not print it.
    pub fn last_email_code(&self, name: &str) -> Option<Zeroizing<String>> {
        self.state.last_email_code(name)
    }

    /// Stops accepting connections, lets open requests finish (up to five
    /// seconds) and waits for the server to end.
    pub async fn shutdown(mut self) -> Result<(), LocalPoolError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(error))) => Err(LocalPoolError::Io(error)),
            Ok(Err(_)) => Err(LocalPoolError::Task),
            Err(_) => {
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for RunningPool {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for RunningPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningPool")
            .field("endpoint", &self.endpoint)
            .field("user_pool_id", &self.state.user_pool_id)
            .field("clients", &self.state.clients)
            .finish_non_exhaustive()
    }
}
