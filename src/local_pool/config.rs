//! What a local pool is made of: its app clients, MFA setting, limits and seed users.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use super::error::ErrorReply;
use super::random;
use super::settings::AuthFlows;
use super::totp::TotpSecret;
use crate::secret::{ClientSecret, Password};
use crate::srp::ClientId;

const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// An app client of the pool, with or without a secret, its allowed auth
/// flows (default: all) and its `PreventUserExistenceErrors` (default
/// `LEGACY`, as Cognito's API).
#[derive(Clone)]
pub struct AppClient {
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    auth_flows: AuthFlows,
    prevent_user_existence_errors: bool,
}

impl AppClient {
    /// A client with the given id and optional secret.
    pub fn new(client_id: ClientId, client_secret: Option<ClientSecret>) -> Self {
        Self {
            client_id,
            client_secret,
            auth_flows: AuthFlows::default(),
            prevent_user_existence_errors: false,
        }
    }

    /// A client without a secret and a random 26-character id, like Cognito's.
    pub fn generate_public() -> Result<Self, ErrorReply> {
        Ok(Self::new(random_client_id()?, None))
    }

    /// A client with a random id and a random 51-character secret, like Cognito's.
    pub fn generate_with_secret() -> Result<Self, ErrorReply> {
        Ok(Self::new(
            random_client_id()?,
            Some(ClientSecret::new(random::string_from(ID_ALPHABET, 51)?)),
        ))
    }

    /// The client's `ExplicitAuthFlows`: a flow not allowed is refused with
    /// `InvalidParameterException: <FLOW> flow not enabled for this client`.
    pub fn with_auth_flows(mut self, flows: AuthFlows) -> Self {
        self.auth_flows = flows;
        self
    }

    /// `PreventUserExistenceErrors`: `true` is `ENABLED` (an unknown user is
    /// answered as a wrong password), `false` is `LEGACY`
    /// (`UserNotFoundException`).
    pub fn with_prevent_user_existence_errors(mut self, enabled: bool) -> Self {
        self.prevent_user_existence_errors = enabled;
        self
    }

    /// The allowed auth flows.
    pub fn auth_flows(&self) -> &AuthFlows {
        &self.auth_flows
    }

    /// Whether `PreventUserExistenceErrors` is `ENABLED`.
    pub fn prevents_user_existence_errors(&self) -> bool {
        self.prevent_user_existence_errors
    }

    /// The app client id.
    pub fn client_id(&self) -> &ClientId {
        &self.client_id
    }

    /// The app client secret, if it has one.
    pub fn client_secret(&self) -> Option<&ClientSecret> {
        self.client_secret.as_ref()
    }
}

impl fmt::Debug for AppClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("auth_flows", &self.auth_flows)
            .field(
                "prevent_user_existence_errors",
                &self.prevent_user_existence_errors,
            )
            .finish()
    }
}

fn random_client_id() -> Result<ClientId, ErrorReply> {
    ClientId::new(random::string_from(ID_ALPHABET, 26)?).map_err(|_| ErrorReply::internal())
}

/// The pool's device tracking (Cognito's `DeviceConfiguration`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceTracking {
    /// No device tracking: no `NewDeviceMetadata`, no device sign-in, and
    /// refresh tokens belong to no device.
    Off,
    /// Every confirmed device is remembered (`ChallengeRequiredOnNewDevice`,
    /// `DeviceOnlyRememberedOnUserPrompt` off): `ConfirmDevice` answers
    /// `UserConfirmationNecessary: false`.
    #[default]
    Always,
    /// The user opts in (`DeviceOnlyRememberedOnUserPrompt`): `ConfirmDevice`
    /// answers `UserConfirmationNecessary: true` and the device is remembered
    /// only after `UpdateDeviceStatus` `remembered`.
    OptIn,
}

/// The pool's `MfaConfiguration`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MfaConfiguration {
    /// No second factor, whatever users have set up.
    Off,
    /// Users with MFA enabled get a second-factor challenge (the default).
    #[default]
    Optional,
    /// Every user must pass a second factor; those without one get `MFA_SETUP`.
    On,
}

/// The first factors `USER_AUTH` (choice-based sign-in) may offer: Cognito's
/// `SignInPolicy.AllowedFirstAuthFactors`. `WEB_AUTHN` is not modelled.
///
/// The default is [`password_only`](Self::password_only), as a pool without
/// a sign-in policy: `USER_AUTH` then offers `PASSWORD` and `PASSWORD_SRP`.
/// The other flows (`USER_SRP_AUTH`, `USER_PASSWORD_AUTH`, …) do not depend
/// on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstAuthFactors {
    password: bool,
    email_otp: bool,
    sms_otp: bool,
}

impl Default for FirstAuthFactors {
    fn default() -> Self {
        Self::password_only()
    }
}

impl FirstAuthFactors {
    /// `PASSWORD` only (offered as `PASSWORD` and `PASSWORD_SRP`).
    pub fn password_only() -> Self {
        Self {
            password: true,
            email_otp: false,
            sms_otp: false,
        }
    }

    /// `PASSWORD`, `EMAIL_OTP` and `SMS_OTP`.
    pub fn all() -> Self {
        Self {
            password: true,
            email_otp: true,
            sms_otp: true,
        }
    }

    /// With or without `PASSWORD` (and so `PASSWORD_SRP`).
    pub fn with_password(mut self, on: bool) -> Self {
        self.password = on;
        self
    }

    /// With or without `EMAIL_OTP`: a code sent to the user's `email`.
    pub fn with_email_otp(mut self, on: bool) -> Self {
        self.email_otp = on;
        self
    }

    /// With or without `SMS_OTP`: a code sent to the user's `phone_number`.
    pub fn with_sms_otp(mut self, on: bool) -> Self {
        self.sms_otp = on;
        self
    }

    /// Whether `PASSWORD` is allowed.
    pub fn password(&self) -> bool {
        self.password
    }

    /// Whether `EMAIL_OTP` is allowed.
    pub fn email_otp(&self) -> bool {
        self.email_otp
    }

    /// Whether `SMS_OTP` is allowed.
    pub fn sms_otp(&self) -> bool {
        self.sms_otp
    }

    /// The allowed factors as Cognito names them (`PASSWORD`, `EMAIL_OTP`,
    /// `SMS_OTP`), in that order.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (self.password, "PASSWORD"),
            (self.email_otp, "EMAIL_OTP"),
            (self.sms_otp, "SMS_OTP"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

/// Bounds on the pool's in-memory state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Users (`LimitExceededException` beyond).
    pub max_users: usize,
    /// `SECRET_BLOCK`s awaiting their answer (`TooManyRequestsException` beyond).
    pub max_pending_sign_ins: usize,
    /// Challenge sessions after the password.
    pub max_sessions: usize,
    /// Unspent refresh tokens.
    pub max_refresh_tokens: usize,
    /// Requests computed at the same time; further ones wait.
    pub max_concurrent_requests: usize,
    /// Consecutive failures after which a user is locked out: from this
    /// failure on, every further one locks the user for
    /// [`lockout_base`](Self::lockout_base), doubled at each failure, at most
    /// [`lockout_max`](Self::lockout_max). While locked, answers are refused
    /// with `NotAuthorizedException: Password attempts exceeded` and not
    /// counted. `0` turns both lockouts off.
    ///
    /// Two counts per user follow this rule apart:
    /// * **passwords**: wrong `PASSWORD_VERIFIER` proofs and wrong
    ///   `USER_PASSWORD_AUTH` / `USER_AUTH` `PASSWORD` passwords; a right
    ///   password resets it. Locked, sign-ins are refused before any SRP
    ///   work. (Device proofs are not counted.)
    /// * **one-time codes**: wrong `SOFTWARE_TOKEN_MFA` and `SMS_MFA` codes
    ///   and `USER_AUTH`'s `EMAIL_OTP` / `SMS_OTP` codes, across sessions;
    ///   a right code resets it, a right password does not. Locked, the
    ///   password still leads to the MFA step, but codes are refused (and
    ///   the session spent). A TOTP code replayed (a time step already
    ///   accepted for the user) counts as a wrong code. Each session still
    ///   ends after three wrong codes.
    ///
    /// Every check reserves its attempt first: a user never has more checks
    /// in flight than failures left before the lockout (at least one), so
    /// concurrent answers cannot exceed the limit; further ones wait (up to
    /// five seconds) for a check to end, then go on or, once the user is
    /// locked out, are refused.
    pub max_failed_attempts: u32,
    /// The first lockout, at the `max_failed_attempts`-th failure (default
    /// one second).
    pub lockout_base: Duration,
    /// The longest lockout (default 15 minutes).
    pub lockout_max: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_users: 10_000,
            max_pending_sign_ins: 10_000,
            max_sessions: 10_000,
            max_refresh_tokens: 100_000,
            max_concurrent_requests: 64,
            max_failed_attempts: 5,
            lockout_base: Duration::from_secs(1),
            lockout_max: Duration::from_secs(15 * 60),
        }
    }
}

/// A user to create when the pool starts (or later, with
/// [`RunningPool::add_user`](super::RunningPool::add_user)).
///
/// `Debug` redacts the password and TOTP secret.
#[derive(Clone)]
pub struct SeedUser {
    pub(crate) username: String,
    pub(crate) password: Password,
    pub(crate) temporary: bool,
    pub(crate) attributes: BTreeMap<String, String>,
    pub(crate) totp_secret: Option<TotpSecret>,
    pub(crate) sms_mfa: bool,
}

impl SeedUser {
    /// A confirmed user with a permanent password.
    pub fn new(username: impl Into<String>, password: Password) -> Self {
        Self {
            username: username.into(),
            password,
            temporary: false,
            attributes: BTreeMap::new(),
            totp_secret: None,
            sms_mfa: false,
        }
    }

    /// A user whose password is temporary (`FORCE_CHANGE_PASSWORD`): the first
    /// sign-in gets `NEW_PASSWORD_REQUIRED`.
    pub fn temporary(mut self) -> Self {
        self.temporary = true;
        self
    }

    /// Sets an attribute (`email`, `phone_number`, `name`, …). `email` is also
    /// a sign-in name; with email as user name it is the user name itself
    /// (another value is refused). `sub` cannot be set.
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// Enables TOTP MFA with this secret (preferred), as if the user had set it up.
    pub fn totp_secret(mut self, secret: TotpSecret) -> Self {
        self.totp_secret = Some(secret);
        self
    }

    /// Enables SMS MFA (needs a `phone_number` attribute; the code goes to the log).
    pub fn sms_mfa(mut self) -> Self {
        self.sms_mfa = true;
        self
    }

    /// The user name.
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for SeedUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeedUser")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("temporary", &self.temporary)
            .field("attributes", &self.attributes)
            .field("totp_secret", &self.totp_secret)
            .field("sms_mfa", &self.sms_mfa)
            .finish()
    }
}
