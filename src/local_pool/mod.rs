//! A local Cognito user pool: the server side of the same SRP protocol behind a
//! loopback HTTP endpoint that speaks Cognito's AWS JSON 1.1.
//!
//! It is what `cognito-srp serve` runs and what the crate's end-to-end tests
//! log in to. It reuses [`crate::math`], the SRP core (the server side is
//! [`crate::ServerChallenge`] and [`crate::ServerSession`]) and [`crate::wire`], and never the client flow.
//!
//! # Layout
//!
//! * `http` (axum: routes, body limit, concurrency permits, and first the
//!   `host` check against DNS rebinding) hands each
//!   request to `dispatch`, which parses `X-Amz-Target` as a
//!   [`wire::Operation`](crate::wire::Operation) and calls one operation;
//!   errors are [`ErrorReply`]s carrying a
//!   [`wire::ServiceErrorKind`](crate::wire::ServiceErrorKind) (`error`).
//! * `ops`: the operations — `sign_in` (`InitiateAuth`,
//!   `RespondToAuthChallenge`), `user_auth` (`USER_AUTH`: choice-based
//!   sign-in, `SELECT_CHALLENGE`, `EMAIL_OTP`, `SMS_OTP`), `srp` (the one path that issues an SRP
//!   challenge and the one that checks a claim, for user and device SRP),
//!   `next_step` (what follows a correct password: new password, MFA, device
//!   proof, tokens), `devices`, `admin` (with MFA preferences),
//!   `software_token` and `identity` (the hosted identity pool's `GetId` and
//!   `GetCredentialsForIdentity`, routed on `AWSCognitoIdentityService.*`).
//! * `state`: what the pool holds — `pool` (the aggregate: app clients, MFA
//!   setting), `attempts` (wrong passwords and codes per user: reservations
//!   and lockout), `users`, `devices` (the device store), `sessions`,
//!   `secret_block` (pending SRP attempts), `tokens` (JWTs, refresh tokens),
//!   `identities` (the identity pool's identity ids)
//!   and `bounded` (the expiring, bounded maps). Operations use state; state
//!   never uses operations.
//! * Leaves used by both: `config` (the builder's types), `codes_log` (the
//!   log target of codes and temporary passwords), `random`, `totp`,
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

mod builder;
mod codes_log;
mod config;
mod cors;
mod dispatch;
mod error;
mod host;
mod http;
mod offline;
mod ops;
mod random;
mod settings;
mod state;
mod timestamp;
mod totp;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use zeroize::Zeroizing;

pub use builder::LocalPoolBuilder;
pub use codes_log::CODES_LOG_TARGET;
pub use config::{AppClient, DeviceTracking, FirstAuthFactors, Limits, MfaConfiguration, SeedUser};
pub use error::{ErrorReply, LocalPoolError};
pub use http::MAX_BODY_BYTES;
#[doc(hidden)]
pub use offline::{OfflineAnswer, OfflinePool};
pub use settings::{
    AuthFlows, CustomAuthTrigger, ExplicitAuthFlow, UnknownAuthFlow, UsernameAttributes,
};
pub use state::secret_block::{SECRET_BLOCK_BYTES, SECRET_BLOCK_TTL};
pub use state::sessions::SESSION_TTL;
pub use state::tokens::{REFRESH_TOKEN_LIFETIME, TOKEN_LIFETIME_SECONDS, TokenSettings};
pub use state::users::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN};
pub use timestamp::{MAX_CLOCK_SKEW, check_timestamp};
pub use totp::TotpSecret;

use crate::srp::UserPoolId;
use state::pool::PoolState;

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
        LocalPoolBuilder::new()
    }
}

/// A pool serving on loopback. Dropping it stops the server too;
/// [`shutdown`](Self::shutdown) also waits for it.
pub struct RunningPool {
    state: Arc<PoolState>,
    address: SocketAddr,
    endpoint: String,
    allowed_hosts: Vec<String>,
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

    /// The `host:port` pairs a request's `Host` may name (the defaults, then
    /// those of [`LocalPoolBuilder::allowed_host`]); any other is answered
    /// 403 `ForbiddenException`.
    pub fn allowed_hosts(&self) -> &[String] {
        &self.allowed_hosts
    }

    /// Whether the `Admin*` operations are served
    /// ([`LocalPoolBuilder::admin_operations`]).
    pub fn admin_operations(&self) -> bool {
        self.state.admin_operations
    }

    /// The id (`<region>:<uuid>`) of the hosted identity pool
    /// ([`LocalPoolBuilder::identity_pool`]), if any.
    pub fn identity_pool_id(&self) -> Option<&str> {
        self.state
            .identity_pool
            .as_ref()
            .map(|pool| pool.id.as_str())
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

    /// The `sub` of the user a sign-in name refers to.
    pub fn user_sub(&self, name: &str) -> Option<String> {
        self.state.users.resolve(name)
    }

    /// The internal user name (`USER_ID_FOR_SRP`, `cognito:username`) of the
    /// user a sign-in name refers to: the user name, or the `sub` with
    /// [`UsernameAttributes::Email`].
    pub fn internal_username(&self, name: &str) -> Option<String> {
        self.state.users.find(name).map(|user| user.internal_name)
    }

    /// The pool's `UsernameAttributes`.
    pub fn username_attributes(&self) -> UsernameAttributes {
        self.state.username_attributes
    }

    /// The modelled custom-auth trigger.
    pub fn custom_auth_trigger(&self) -> CustomAuthTrigger {
        self.state.custom_auth
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
    /// written to the log, target [`CODES_LOG_TARGET`]). A secret: for tests only; do not print it.
    pub fn last_sms_code(&self, name: &str) -> Option<Zeroizing<String>> {
        self.state.last_sms_code(name)
    }

    /// The last `EMAIL_OTP` code "sent" to a user (it is also written to the
    /// log, target [`CODES_LOG_TARGET`]). A secret: for tests only; do not print it.
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
