//! [`PoolState`]: everything a running pool holds, and the steps shared by
//! its operations (client and `SECRET_HASH` checks, what follows a correct
//! password).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::config::{AppClient, Limits, MfaConfiguration, SeedUser};
use super::devices::DeviceStore;
use super::error::ErrorReply;
use super::random;
use super::secret_block::SecretBlocks;
use super::server_srp::PasswordVerifier;
use super::sessions::{ChallengeSession, Sessions, Stage};
use super::tokens::TokenIssuer;
use super::users::{MfaKind, User, UserStatus, UserStore, check_password_policy, check_username};
use crate::secret::Password;
use crate::srp::{UserPoolId, secret_hash};
use crate::wire::ServiceErrorKind;
use crate::wire::{InitiateAuthResponse, ParameterMap};

/// The state of one user pool.
pub(crate) struct PoolState {
    pub(crate) user_pool_id: UserPoolId,
    pub(crate) clients: Vec<AppClient>,
    pub(crate) mfa: MfaConfiguration,
    pub(crate) users: UserStore,
    pub(crate) blocks: SecretBlocks,
    pub(crate) sessions: Sessions,
    pub(crate) tokens: TokenIssuer,
    pub(crate) devices: DeviceStore,
    /// The last SMS code sent to each user (`sub`), for tests; bounded by the users.
    sms_outbox: Mutex<HashMap<String, Zeroizing<String>>>,
    /// Consecutive wrong passwords per user (`sub`); bounded by the users.
    failed: Mutex<HashMap<String, FailedAttempts>>,
    /// When wrong passwords lock a user out.
    lockout: Lockout,
}

/// A user's run of wrong passwords.
struct FailedAttempts {
    consecutive: u32,
    /// Sign-ins are refused until then (`None`: not locked yet).
    locked_until: Option<Instant>,
}

/// The lockout settings of [`Limits`].
#[derive(Clone, Copy)]
struct Lockout {
    max_failed_attempts: u32,
    base: Duration,
    max: Duration,
}

impl Lockout {
    /// How long the `consecutive`-th wrong password locks the user, if at all.
    fn duration(&self, consecutive: u32) -> Option<Duration> {
        if self.max_failed_attempts == 0 || consecutive < self.max_failed_attempts {
            return None;
        }
        let doublings = consecutive - self.max_failed_attempts;
        let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
        Some(
            self.base
                .checked_mul(factor)
                .unwrap_or(self.max)
                .min(self.max),
        )
    }
}

impl PoolState {
    pub(crate) fn new(
        user_pool_id: UserPoolId,
        clients: Vec<AppClient>,
        mfa: MfaConfiguration,
        limits: &Limits,
        tokens: TokenIssuer,
    ) -> Self {
        Self {
            user_pool_id,
            clients,
            mfa,
            users: UserStore::new(limits.max_users),
            blocks: SecretBlocks::new(limits.max_pending_sign_ins),
            sessions: Sessions::new(limits.max_sessions),
            tokens,
            devices: DeviceStore::default(),
            sms_outbox: Mutex::new(HashMap::new()),
            failed: Mutex::new(HashMap::new()),
            lockout: Lockout {
                max_failed_attempts: limits.max_failed_attempts,
                base: limits.lockout_base,
                max: limits.lockout_max,
            },
        }
    }

    fn failed(&self) -> MutexGuard<'_, HashMap<String, FailedAttempts>> {
        // Every operation on the map is a single get, insert or remove.
        self.failed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `NotAuthorizedException: Password attempts exceeded` while the user
    /// `sub` is locked out after wrong passwords.
    pub(crate) fn check_not_locked(&self, sub: &str, now: Instant) -> Result<(), ErrorReply> {
        let locked = self
            .failed()
            .get(sub)
            .and_then(|failed| failed.locked_until)
            .is_some_and(|until| until > now);
        if locked {
            tracing::debug!(sub, "sign-in refused: user locked out");
            Err(ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                "Password attempts exceeded",
            ))
        } else {
            Ok(())
        }
    }

    /// A wrong password for the existing user `sub`: counts it and, from
    /// `Limits::max_failed_attempts` on, locks the user.
    pub(crate) fn record_failed_password(&self, sub: &str, now: Instant) {
        let mut failed = self.failed();
        let entry = failed.entry(sub.to_owned()).or_insert(FailedAttempts {
            consecutive: 0,
            locked_until: None,
        });
        entry.consecutive = entry.consecutive.saturating_add(1);
        if let Some(lock) = self.lockout.duration(entry.consecutive) {
            entry.locked_until = Some(now + lock);
            let lock_ms = u64::try_from(lock.as_millis()).unwrap_or(u64::MAX);
            tracing::debug!(
                sub,
                consecutive = entry.consecutive,
                lock_ms,
                "user locked out after wrong passwords"
            );
        }
    }

    /// A correct password for `sub`: its count of wrong ones starts over.
    pub(crate) fn record_correct_password(&self, sub: &str) {
        self.failed().remove(sub);
    }

    /// Live `SECRET_BLOCK`s: sign-ins started and not yet answered or expired.
    pub(crate) fn pending_sign_ins(&self) -> usize {
        self.blocks.live(Instant::now())
    }

    /// Live challenge sessions.
    pub(crate) fn pending_sessions(&self) -> usize {
        self.sessions.live(Instant::now())
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
        let Some(secret) = client.client_secret() else {
            return Ok(());
        };
        let id = client.client_id().as_str();
        let Some(given) = given else {
            return Err(ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                format!("Client {id} is configured for secret but secret was not received"),
            ));
        };
        let expected = secret_hash(secret, username, client.client_id());
        if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
            Ok(())
        } else {
            Err(ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                format!("Unable to verify secret hash for client {id}"),
            ))
        }
    }

    /// Creates a user from a seed; returns its `sub`.
    pub(crate) fn create_user(&self, seed: &SeedUser) -> Result<User, ErrorReply> {
        check_username(&seed.username)?;
        check_password_policy(&seed.password)?;
        if seed.sms_mfa && !seed.attributes.contains_key("phone_number") {
            return Err(ErrorReply::invalid(
                "SMS MFA needs a phone_number attribute.",
            ));
        }
        let sub = random::uuid_v4()?;
        let verifier = PasswordVerifier::create(self.pool_name(), &sub, &seed.password)
            .map_err(|_| ErrorReply::internal())?;
        let mut attributes: BTreeMap<String, String> = seed
            .attributes
            .iter()
            .filter(|(name, _)| name.as_str() != "sub")
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        attributes.insert("sub".to_owned(), sub.clone());
        let now = Utc::now();
        let user = User {
            sub,
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

    /// Replaces a user's password (new salt and verifier).
    pub(crate) fn set_password(
        &self,
        sub: &str,
        password: &Password,
        status: UserStatus,
    ) -> Result<(), ErrorReply> {
        check_password_policy(password)?;
        let verifier = PasswordVerifier::create(self.pool_name(), sub, password)
            .map_err(|_| ErrorReply::internal())?;
        self.users.update(sub, |user| {
            user.verifier = verifier;
            user.status = status;
            Ok(())
        })?;
        self.blocks.forget_user(sub);
        Ok(())
    }

    /// What follows a correct password: `NEW_PASSWORD_REQUIRED`, a second
    /// factor, or the tokens.
    ///
    /// `new_device`: the sign-in named no known device, so the tokens carry
    /// `NewDeviceMetadata`.
    pub(crate) fn after_password(
        &self,
        user: &User,
        client_id: &str,
        now: DateTime<Utc>,
        new_device: bool,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        if !user.enabled {
            return Err(ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                "User is disabled.",
            ));
        }
        let auth_time = now.timestamp();
        if user.status == UserStatus::ForceChangePassword {
            let attributes: BTreeMap<&String, &String> = user
                .attributes
                .iter()
                .filter(|(name, _)| name.as_str() != "sub" && !name.ends_with("_verified"))
                .collect();
            let mut params = self.user_params(user);
            params.insert(
                "userAttributes".to_owned(),
                serde_json::to_string(&attributes).map_err(|_| ErrorReply::internal())?,
            );
            params.insert("requiredAttributes".to_owned(), "[]".to_owned());
            return self.challenge(
                user,
                client_id,
                auth_time,
                Stage::NewPasswordRequired,
                params,
                new_device,
            );
        }
        self.second_factor(user, client_id, auth_time, now, new_device)
    }

    /// The MFA step (or the tokens) for a user whose first factor is done.
    pub(crate) fn second_factor(
        &self,
        user: &User,
        client_id: &str,
        auth_time: i64,
        now: DateTime<Utc>,
        new_device: bool,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        if self.mfa == MfaConfiguration::Off {
            return self.sign_in_tokens(user, client_id, auth_time, now, new_device);
        }
        let kinds = user.enabled_mfa();
        let kind = match (kinds.as_slice(), user.preferred_mfa) {
            ([], _) if self.mfa == MfaConfiguration::On => {
                let mut params = self.user_params(user);
                params.insert(
                    "MFAS_CAN_SETUP".to_owned(),
                    r#"["SOFTWARE_TOKEN_MFA"]"#.to_owned(),
                );
                let stage = Stage::MfaSetup {
                    secret: None,
                    verified: false,
                };
                return self.challenge(user, client_id, auth_time, stage, params, new_device);
            }
            ([], _) => return self.sign_in_tokens(user, client_id, auth_time, now, new_device),
            ([only], _) => *only,
            (_, Some(preferred)) if kinds.contains(&preferred) => preferred,
            (_, _) => {
                let mut params = self.user_params(user);
                let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
                params.insert(
                    "MFAS_CAN_CHOOSE".to_owned(),
                    serde_json::to_string(&names).map_err(|_| ErrorReply::internal())?,
                );
                return self.challenge(
                    user,
                    client_id,
                    auth_time,
                    Stage::SelectMfaType,
                    params,
                    new_device,
                );
            }
        };
        self.mfa_challenge(user, client_id, auth_time, kind, new_device)
    }

    /// `SMS_MFA` (code written to the log) or `SOFTWARE_TOKEN_MFA`.
    pub(crate) fn mfa_challenge(
        &self,
        user: &User,
        client_id: &str,
        auth_time: i64,
        kind: MfaKind,
        new_device: bool,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        let mut params = self.user_params(user);
        let stage = match kind {
            MfaKind::SoftwareToken => Stage::SoftwareTokenMfa,
            MfaKind::Sms => {
                let code = random::digits(6)?;
                let phone = user
                    .attributes
                    .get("phone_number")
                    .map(String::as_str)
                    .unwrap_or("");
                let masked = mask_phone(phone);
                // The local pool has no SMS gateway: the code goes to the server log.
                tracing::info!(
                    user = %user.username,
                    destination = %masked,
                    code = %code.as_str(),
                    "SMS_MFA code"
                );
                self.sms_outbox
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(user.sub.clone(), code.clone());
                params.insert("CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(), "SMS".to_owned());
                params.insert("CODE_DELIVERY_DESTINATION".to_owned(), masked);
                Stage::SmsMfa { code }
            }
        };
        self.challenge(user, client_id, auth_time, stage, params, new_device)
    }

    /// Opens a challenge session for `stage` and answers with it.
    pub(crate) fn challenge(
        &self,
        user: &User,
        client_id: &str,
        auth_time: i64,
        stage: Stage,
        params: ParameterMap,
        new_device: bool,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        let name = stage.challenge_name();
        let session = self.sessions.open(ChallengeSession {
            sub: user.sub.clone(),
            client_id: client_id.to_owned(),
            auth_time,
            stage,
            failures: 0,
            new_device,
        })?;
        Ok(InitiateAuthResponse {
            challenge_name: Some(crate::wire::ChallengeName::from_wire(name)),
            session: Some(session),
            challenge_parameters: Some(params),
            ..Default::default()
        })
    }

    pub(crate) fn user_params(&self, user: &User) -> ParameterMap {
        let mut params = ParameterMap::new();
        params.insert("USER_ID_FOR_SRP".to_owned(), user.sub.clone());
        params
    }

    /// The tokens.
    pub(crate) fn tokens_for(
        &self,
        user: &User,
        client_id: &str,
        auth_time: i64,
        now: DateTime<Utc>,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        let result = self.tokens.issue(user, client_id, auth_time, now)?;
        tracing::debug!(user = %user.username, client_id, "signed in");
        Ok(InitiateAuthResponse {
            authentication_result: Some(result),
            challenge_parameters: Some(ParameterMap::new()),
            ..Default::default()
        })
    }

    /// The tokens of a completed sign-in; with `NewDeviceMetadata` (a new,
    /// unconfirmed device) when `new_device`.
    pub(crate) fn sign_in_tokens(
        &self,
        user: &User,
        client_id: &str,
        auth_time: i64,
        now: DateTime<Utc>,
        new_device: bool,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        let mut response = self.tokens_for(user, client_id, auth_time, now)?;
        if new_device && let Some(result) = response.authentication_result.as_mut() {
            result.new_device_metadata = Some(self.devices.issue(
                &user.sub,
                self.user_pool_id.region(),
                now,
            )?);
        }
        Ok(response)
    }

    /// The last SMS code sent to the user a sign-in name refers to.
    pub(crate) fn last_sms_code(&self, name: &str) -> Option<Zeroizing<String>> {
        let sub = self.users.resolve(name)?;
        self.sms_outbox
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&sub)
            .cloned()
    }
}

/// `+*******1234`.
fn mask_phone(phone: &str) -> String {
    let tail: String = phone
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("+*******{tail}")
}

/// A client-supplied id made safe to echo in a message: at most 128
/// characters, control characters dropped.
pub(crate) fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(128).collect()
}
