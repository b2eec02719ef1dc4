//! [`PoolState`]: everything a running pool holds, and the steps shared by
//! its operations (client and `SECRET_HASH` checks, what follows a correct
//! password).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Instant;

use chrono::Utc;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::local_pool::config::{
    AppClient, DeviceTracking, FirstAuthFactors, Limits, MfaConfiguration, SeedUser,
};
use crate::local_pool::error::{ErrorReply, printable};
use crate::local_pool::random;
use crate::local_pool::settings::{CustomAuthTrigger, UsernameAttributes};
use crate::local_pool::state::attempts::{AttemptLimiter, Lockout, MAX_WAIT};
use crate::local_pool::state::devices::DeviceStore;
use crate::local_pool::state::identities::IdentityPool;
use crate::local_pool::state::phantom::PhantomUsers;
use crate::local_pool::state::secret_block::SecretBlocks;
use crate::local_pool::state::sessions::Sessions;
use crate::local_pool::state::tokens::TokenIssuer;
use crate::local_pool::state::users::{
    MfaKind, User, UserStatus, UserStore, check_password_policy, check_username,
};
use crate::secret::{ClientSecret, Password};
use crate::srp::PasswordVerifier;
use crate::srp::{UserPoolId, secret_hash};
use crate::wire::ServiceErrorKind;

/// The pool-wide settings (the app clients carry their own).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolSettings {
    pub(crate) mfa: MfaConfiguration,
    pub(crate) device_tracking: DeviceTracking,
    pub(crate) username_attributes: UsernameAttributes,
    pub(crate) custom_auth: CustomAuthTrigger,
    pub(crate) first_factors: FirstAuthFactors,
    /// Whether the `Admin*` operations are served.
    pub(crate) admin_operations: bool,
}

/// The state of one user pool.
pub(crate) struct PoolState {
    pub(crate) user_pool_id: UserPoolId,
    pub(crate) clients: Vec<AppClient>,
    pub(crate) mfa: MfaConfiguration,
    pub(crate) device_tracking: DeviceTracking,
    pub(crate) username_attributes: UsernameAttributes,
    pub(crate) custom_auth: CustomAuthTrigger,
    /// What `USER_AUTH` may offer as the first factor.
    pub(crate) first_factors: FirstAuthFactors,
    /// Whether the `Admin*` operations are served (`serve --no-admin`: not).
    pub(crate) admin_operations: bool,
    pub(crate) users: UserStore,
    pub(crate) blocks: SecretBlocks,
    pub(crate) sessions: Sessions,
    pub(crate) tokens: TokenIssuer,
    pub(crate) devices: DeviceStore,
    /// The simulated users of `PreventUserExistenceErrors: ENABLED`.
    pub(crate) phantoms: PhantomUsers,
    /// The last SMS code sent to each user (`sub`), for tests; bounded by the users.
    sms_outbox: Mutex<HashMap<String, Zeroizing<String>>>,
    /// The last email code sent to each user (`sub`), for tests; bounded by the users.
    email_outbox: Mutex<HashMap<String, Zeroizing<String>>>,
    /// Consecutive wrong passwords per user (`sub`), and their lockout.
    pub(crate) passwords: AttemptLimiter,
    /// Consecutive wrong one-time codes per user (`sub`) across sessions
    /// (`SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `USER_AUTH`'s `EMAIL_OTP` and
    /// `SMS_OTP`), and their lockout: the same rule as passwords, counted
    /// apart (a right password does not reset it, a right code does).
    pub(crate) codes: AttemptLimiter,
    /// The hosted identity pool (`serve --identity-pool`), if any.
    pub(crate) identity_pool: Option<IdentityPool>,
}

impl PoolState {
    pub(crate) fn new(
        user_pool_id: UserPoolId,
        clients: Vec<AppClient>,
        settings: PoolSettings,
        limits: &Limits,
        tokens: TokenIssuer,
    ) -> Result<Self, ErrorReply> {
        Ok(Self {
            user_pool_id,
            clients,
            mfa: settings.mfa,
            device_tracking: settings.device_tracking,
            username_attributes: settings.username_attributes,
            custom_auth: settings.custom_auth,
            first_factors: settings.first_factors,
            admin_operations: settings.admin_operations,
            users: UserStore::new(limits.max_users),
            blocks: SecretBlocks::new(limits.max_pending_sign_ins),
            sessions: Sessions::new(limits.max_sessions),
            tokens,
            devices: DeviceStore::default(),
            phantoms: PhantomUsers::new()?,
            sms_outbox: Mutex::new(HashMap::new()),
            email_outbox: Mutex::new(HashMap::new()),
            passwords: AttemptLimiter::new("password", Lockout::from_limits(limits), MAX_WAIT),
            codes: AttemptLimiter::new("code", Lockout::from_limits(limits), MAX_WAIT),
            identity_pool: None,
        })
    }

    /// Live `SECRET_BLOCK`s: sign-ins started and not yet answered or expired.
    pub(crate) fn pending_sign_ins(&self) -> usize {
        self.blocks.live(Instant::now())
    }

    /// Live challenge sessions.
    pub(crate) fn pending_sessions(&self) -> usize {
        self.sessions.live(Instant::now())
    }

    /// Drops every expired pending sign-in, challenge session and refresh
    /// record (run by the pool's sweeper task and callable at any time): an
    /// expired attempt's `b` and verifier are wiped now, not when its key
    /// happens to be seen again. Returns how many entries went.
    pub(crate) fn sweep_expired(&self, now: Instant) -> usize {
        self.blocks.sweep_expired(now)
            + self.sessions.sweep_expired(now)
            + self.tokens.grants.sweep_expired(now)
    }

    pub(crate) fn pool_name(&self) -> &str {
        self.user_pool_id.pool_name()
    }

    /// `ResourceNotFoundException` unless `id` is this pool.
    pub(crate) fn check_pool_id(&self, id: &str) -> Result<(), ErrorReply> {
        if id == self.user_pool_id.as_str() {
            Ok(())
        } else {
            Err(ErrorReply::new(
                ServiceErrorKind::ResourceNotFound,
                format!("User pool {} does not exist.", printable(id)),
            ))
        }
    }

    /// The app client `id`, or `ResourceNotFoundException`.
    pub(crate) fn client(&self, id: &str) -> Result<&AppClient, ErrorReply> {
        self.clients
            .iter()
            .find(|client| client.client_id().as_str() == id)
            .ok_or_else(|| {
                ErrorReply::new(
                    ServiceErrorKind::ResourceNotFound,
                    format!("User pool client {} does not exist.", printable(id)),
                )
            })
    }

    /// `SECRET_HASH` as Cognito enforces it: required for a client with a
    /// secret, `HMAC(secret, username ‖ client_id)` compared in constant time;
    /// ignored for a client without one.
    pub(crate) fn check_secret_hash(
        &self,
        client: &AppClient,
        given: Option<&String>,
        username: &str,
    ) -> Result<(), ErrorReply> {
        check_client_credential(
            client,
            given.map(String::as_str),
            |secret| secret_hash(secret, username, client.client_id()),
            ServiceErrorKind::NotAuthorized,
            "secret hash",
        )
    }

    /// Creates a user from a seed. With [`UsernameAttributes::Email`] the
    /// seed's name must be an email address: it becomes the `email`
    /// attribute, and the internal user name is the `sub`.
    pub(crate) fn create_user(&self, seed: &SeedUser) -> Result<User, ErrorReply> {
        check_username(&seed.username)?;
        check_password_policy(&seed.password)?;
        if seed.sms_mfa && !seed.attributes.contains_key("phone_number") {
            return Err(ErrorReply::invalid(
                "SMS MFA needs a phone_number attribute.",
            ));
        }
        let mut attributes: BTreeMap<String, String> = seed
            .attributes
            .iter()
            .filter(|(name, _)| name.as_str() != "sub")
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let sub = random::uuid_v4()?;
        let internal_name = match self.username_attributes {
            UsernameAttributes::Email => {
                check_email_username(&seed.username, attributes.get("email"))?;
                attributes.insert("email".to_owned(), seed.username.clone());
                sub.clone()
            }
            _ => seed.username.clone(),
        };
        let verifier = PasswordVerifier::create(self.pool_name(), &internal_name, &seed.password)
            .map_err(|_| ErrorReply::internal())?;
        attributes.insert("sub".to_owned(), sub.clone());
        let now = Utc::now();
        let user = User {
            sub,
            internal_name,
            username: seed.username.clone(),
            attributes,
            verifier,
            status: if seed.temporary {
                UserStatus::ForceChangePassword
            } else {
                UserStatus::Confirmed
            },
            enabled: true,
            created: now,
            modified: now,
            totp_enabled: seed.totp_secret.is_some(),
            totp: seed.totp_secret.clone(),
            totp_last_step: None,
            pending_totp: None,
            sms_enabled: seed.sms_mfa,
            preferred_mfa: if seed.totp_secret.is_some() {
                Some(MfaKind::SoftwareToken)
            } else if seed.sms_mfa {
                Some(MfaKind::Sms)
            } else {
                None
            },
        };
        self.users.insert(user.clone())?;
        Ok(user)
    }

    /// Replaces a user's password (new salt and verifier, made with the
    /// internal user name).
    pub(crate) fn set_password(
        &self,
        sub: &str,
        password: &Password,
        status: UserStatus,
    ) -> Result<(), ErrorReply> {
        check_password_policy(password)?;
        let internal_name = self
            .users
            .get(sub)
            .ok_or_else(ErrorReply::user_not_found)?
            .internal_name;
        let verifier = PasswordVerifier::create(self.pool_name(), &internal_name, password)
            .map_err(|_| ErrorReply::internal())?;
        self.users.update(sub, |user| {
            user.verifier = verifier;
            user.status = status;
            Ok(())
        })?;
        self.blocks.forget_user(sub);
        Ok(())
    }

    /// Keeps the last SMS code (`SMS_MFA`, `SMS_OTP`) "sent" to the user `sub`.
    pub(crate) fn record_sms_code(&self, sub: &str, code: Zeroizing<String>) {
        record(&self.sms_outbox, sub, code);
    }

    /// The last SMS code sent to the user a sign-in name refers to.
    pub(crate) fn last_sms_code(&self, name: &str) -> Option<Zeroizing<String>> {
        last(&self.sms_outbox, self.users.resolve(name)?)
    }

    /// Keeps the last email code (`EMAIL_OTP`) "sent" to the user `sub`.
    pub(crate) fn record_email_code(&self, sub: &str, code: Zeroizing<String>) {
        record(&self.email_outbox, sub, code);
    }

    /// The last email code sent to the user a sign-in name refers to.
    pub(crate) fn last_email_code(&self, name: &str) -> Option<Zeroizing<String>> {
        last(&self.email_outbox, self.users.resolve(name)?)
    }
}

/// Keeps `code` as the last one sent to `sub` (the previous one is dropped, zeroized).
fn record(outbox: &Mutex<HashMap<String, Zeroizing<String>>>, sub: &str, code: Zeroizing<String>) {
    outbox
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(sub.to_owned(), code);
}

/// The last code sent to `sub`.
fn last(
    outbox: &Mutex<HashMap<String, Zeroizing<String>>>,
    sub: String,
) -> Option<Zeroizing<String>> {
    outbox
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&sub)
        .cloned()
}

/// In a pool with email as user name: `name` must be an email address, and
/// an `email` attribute given too must be the same.
fn check_email_username(name: &str, email: Option<&String>) -> Result<(), ErrorReply> {
    let looks_like_email = name
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if !looks_like_email {
        return Err(ErrorReply::invalid("Username should be an email."));
    }
    if email.is_some_and(|email| email != name) {
        return Err(ErrorReply::invalid(
            "The email attribute must be the user name in a pool with email as user name.",
        ));
    }
    Ok(())
}

/// What a client with a secret must send (`SECRET_HASH`, or the secret itself
/// for `GetTokensFromRefreshToken` and `RevokeToken`), compared in constant
/// time with `expected(secret)`; nothing for a client without a secret. A
/// missing or wrong value is a `kind` error naming `what` was not verified.
pub(crate) fn check_client_credential(
    client: &AppClient,
    given: Option<&str>,
    expected: impl FnOnce(&ClientSecret) -> String,
    kind: ServiceErrorKind,
    what: &str,
) -> Result<(), ErrorReply> {
    let Some(secret) = client.client_secret() else {
        return Ok(());
    };
    let id = client.client_id().as_str();
    let Some(given) = given else {
        return Err(ErrorReply::new(
            kind,
            format!("Client {id} is configured for secret but secret was not received"),
        ));
    };
    let expected = Zeroizing::new(expected(secret));
    if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        Ok(())
    } else {
        Err(ErrorReply::new(
            kind,
            format!("Unable to verify {what} for client {id}"),
        ))
    }
}
