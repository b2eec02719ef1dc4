//! [`LocalPoolBuilder`]: configures a local pool and starts it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};

use super::config::{
    AppClient, DeviceTracking, FirstAuthFactors, Limits, MfaConfiguration, SeedUser,
};
use super::error::{ErrorReply, LocalPoolError, printable};
use super::host::{self, HostGuard};
use super::settings::{AuthFlows, CustomAuthTrigger, UsernameAttributes};
use super::state::identities::IdentityPool;
use super::state::pool::{PoolSettings, PoolState};
use super::state::tokens::{self, TokenSettings};
use super::{RunningPool, http, random};
use crate::srp::UserPoolId;

/// Configures and starts a [`RunningPool`].
#[derive(Debug)]
pub struct LocalPoolBuilder {
    pub(super) listen: SocketAddr,
    allow_remote: bool,
    user_pool_id: Option<UserPoolId>,
    clients: Vec<AppClient>,
    users: Vec<SeedUser>,
    mfa: MfaConfiguration,
    device_tracking: DeviceTracking,
    first_auth_factors: FirstAuthFactors,
    pub(super) limits: Limits,
    pub(super) tokens: TokenSettings,
    username_attributes: UsernameAttributes,
    auth_flows: AuthFlows,
    prevent_user_existence_errors: bool,
    custom_auth: CustomAuthTrigger,
    allowed_hosts: Vec<String>,
    admin_operations: bool,
    identity_pool: bool,
}

impl LocalPoolBuilder {
    /// The defaults of [`LocalPool::builder`](super::LocalPool::builder).
    pub(super) fn new() -> Self {
        Self {
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
            username_attributes: UsernameAttributes::default(),
            auth_flows: AuthFlows::default(),
            prevent_user_existence_errors: false,
            custom_auth: CustomAuthTrigger::default(),
            allowed_hosts: Vec::new(),
            admin_operations: true,
            identity_pool: false,
        }
    }

    /// The address to listen on (port 0: any free port). Must be a loopback
    /// address unless [`allow_remote`](Self::allow_remote).
    pub fn listen(mut self, address: SocketAddr) -> Self {
        self.listen = address;
        self
    }

    /// Allows a non-loopback listen address. The `Host` check still applies:
    /// remote clients need their name for the pool given with
    /// [`allowed_host`](Self::allowed_host).
    pub fn allow_remote(mut self, allow: bool) -> Self {
        self.allow_remote = allow;
        self
    }

    /// Also accepts requests whose `Host` is `name` (repeatable). By default
    /// only the listening address (`IP:PORT`) and `localhost:PORT` are
    /// accepted (with `0.0.0.0`/`::` also `127.0.0.1:PORT` and `[::1]:PORT`);
    /// any other `Host` is answered 403 `ForbiddenException`, which stops DNS
    /// rebinding. `NAME` alone (a host name or IP literal, IPv6 in brackets)
    /// allows that name on the listening port, `NAME:PORT` on exactly that
    /// port. An invalid name makes [`start`](Self::start) fail with
    /// [`LocalPoolError::InvalidAllowedHost`].
    pub fn allowed_host(mut self, name: impl Into<String>) -> Self {
        self.allowed_hosts.push(name.into());
        self
    }

    /// Whether the `Admin*` operations are served (default `true`). With
    /// `false` each one is answered 403 `ForbiddenException`; seed users
    /// ([`user`](Self::user)) and [`RunningPool::add_user`] still work.
    pub fn admin_operations(mut self, enabled: bool) -> Self {
        self.admin_operations = enabled;
        self
    }

    /// Whether the pool also hosts an identity pool (default `false`):
    /// Cognito Identity's `GetId` and `GetCredentialsForIdentity` on the same
    /// endpoint for the pool's own ID tokens, with a random id
    /// `<region>:<uuid>` ([`RunningPool::identity_pool_id`]).
    pub fn identity_pool(mut self, enabled: bool) -> Self {
        self.identity_pool = enabled;
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

    /// The pool's `UsernameAttributes` (default
    /// [`UsernameAttributes::Username`]).
    pub fn username_attributes(mut self, attributes: UsernameAttributes) -> Self {
        self.username_attributes = attributes;
        self
    }

    /// The `ExplicitAuthFlows` of the two generated app clients (default:
    /// every flow). Clients added with [`client`](Self::client) keep their own
    /// ([`AppClient::with_auth_flows`]).
    pub fn auth_flows(mut self, flows: AuthFlows) -> Self {
        self.auth_flows = flows;
        self
    }

    /// `PreventUserExistenceErrors` of the two generated app clients: `true`
    /// is `ENABLED`, `false` (the default, as Cognito's API) `LEGACY`. Clients
    /// added with [`client`](Self::client) keep their own
    /// ([`AppClient::with_prevent_user_existence_errors`]).
    pub fn prevent_user_existence_errors(mut self, enabled: bool) -> Self {
        self.prevent_user_existence_errors = enabled;
        self
    }

    /// The modelled custom-auth Lambda triggers (default: none, so
    /// `CUSTOM_AUTH` is refused).
    pub fn custom_auth_trigger(mut self, trigger: CustomAuthTrigger) -> Self {
        self.custom_auth = trigger;
        self
    }

    /// Binds, creates the RSA key and the users, and starts serving on the
    /// current tokio runtime.
    pub async fn start(mut self) -> Result<RunningPool, LocalPoolError> {
        if !self.listen.ip().is_loopback() && !self.allow_remote {
            return Err(LocalPoolError::NotLoopback(self.listen));
        }
        if let Some(invalid) = self
            .allowed_hosts
            .iter()
            .find(|name| host::validate_allowed(name).is_err())
        {
            return Err(LocalPoolError::InvalidAllowedHost(printable(invalid)));
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
            hosts: HostGuard::new(address, &self.allowed_hosts),
        });
        let allowed_hosts = app.hosts.allowed().to_vec();
        let (stop, stopped) = oneshot::channel::<()>();
        let service = http::router(app).into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(listener, service).with_graceful_shutdown(async move {
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move { server.await });
        tokio::spawn(sweep_periodically(Arc::downgrade(&state)));
        tracing::info!(%endpoint, user_pool_id = %state.user_pool_id, "local user pool listening");
        Ok(RunningPool {
            state,
            address,
            endpoint,
            allowed_hosts,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

impl LocalPoolBuilder {
    /// The pool id (the given one, or a random `us-east-1_…`) and the app
    /// clients (the given ones, or one public and one with a secret). Shared
    /// by [`start`](Self::start) and the offline pool.
    pub(super) fn take_identity(&mut self) -> Result<(UserPoolId, Vec<AppClient>), LocalPoolError> {
        let user_pool_id = match self.user_pool_id.take() {
            Some(id) => id,
            None => random_pool_id()?,
        };
        let clients = if self.clients.is_empty() {
            let generate = || -> Result<Vec<AppClient>, ErrorReply> {
                Ok(vec![
                    AppClient::generate_public()?,
                    AppClient::generate_with_secret()?,
                ]
                .into_iter()
                .map(|client| {
                    client
                        .with_auth_flows(self.auth_flows.clone())
                        .with_prevent_user_existence_errors(self.prevent_user_existence_errors)
                })
                .collect())
            };
            generate().map_err(|_| LocalPoolError::Randomness)?
        } else {
            std::mem::take(&mut self.clients)
        };
        Ok((user_pool_id, clients))
    }

    /// The pool's state with the seed users created.
    pub(super) fn seeded_state(
        &self,
        user_pool_id: UserPoolId,
        clients: Vec<AppClient>,
        tokens: tokens::TokenIssuer,
    ) -> Result<PoolState, LocalPoolError> {
        let settings = PoolSettings {
            mfa: self.mfa,
            device_tracking: self.device_tracking,
            username_attributes: self.username_attributes,
            custom_auth: self.custom_auth,
            first_factors: self.first_auth_factors,
            admin_operations: self.admin_operations,
        };
        let region = user_pool_id.region().to_owned();
        let mut state = PoolState::new(user_pool_id, clients, settings, &self.limits, tokens)
            .map_err(|_| LocalPoolError::Randomness)?;
        if self.identity_pool {
            state.identity_pool = Some(
                IdentityPool::new(&region, self.limits.max_users)
                    .map_err(|_| LocalPoolError::Randomness)?,
            );
        }
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

/// How often the sweeper drops expired state.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Drops expired pending sign-ins, sessions and refresh records every
/// [`SWEEP_EVERY`], for as long as the pool's state lives (it holds only a
/// weak reference, so it ends with the pool).
async fn sweep_periodically(state: std::sync::Weak<PoolState>) {
    let mut ticks = tokio::time::interval(SWEEP_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(state) = state.upgrade() else {
            return;
        };
        state.sweep_expired(std::time::Instant::now());
    }
}
