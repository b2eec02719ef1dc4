//! The users of the pool: an in-memory, bounded, thread-safe store.
//!
//! Every user has a `sub` (a random UUID, the store's key) and an internal
//! user name: what Cognito returns as `USER_ID_FOR_SRP`, `USERNAME` in
//! challenges and `cognito:username` in tokens, and what the SRP verifier
//! and `SECRET_HASH` are made with. It is the name the user was created with,
//! or the `sub` in a pool with email as user name
//! ([`UsernameAttributes::Email`](crate::local_pool::UsernameAttributes)).
//! Sign-in also accepts the creation name, the `email` attribute and the
//! `sub`; a client that signs with one of these instead of the internal name
//! is refused.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};

use crate::local_pool::error::ErrorReply;
use crate::local_pool::totp::TotpSecret;
use crate::secret::Password;
use crate::srp::PasswordVerifier;
use crate::wire::ServiceErrorKind;

/// Shortest password the pool accepts (Cognito's default policy minimum).
pub const MIN_PASSWORD_LEN: usize = 8;

/// Longest password the pool accepts (Cognito's limit).
pub const MAX_PASSWORD_LEN: usize = 256;

/// Longest user name or alias (Cognito's limit).
pub(crate) const MAX_USERNAME_LEN: usize = 128;

/// `UserStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserStatus {
    /// Signed in with a permanent password.
    Confirmed,
    /// Must replace a temporary password (`NEW_PASSWORD_REQUIRED`).
    ForceChangePassword,
}

impl UserStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

/// A second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MfaKind {
    /// `SMS_MFA`: a code sent to `phone_number` (here: written to the log).
    Sms,
    /// `SOFTWARE_TOKEN_MFA`: RFC 6238 TOTP.
    SoftwareToken,
}

impl MfaKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MfaKind::Sms => "SMS_MFA",
            MfaKind::SoftwareToken => "SOFTWARE_TOKEN_MFA",
        }
    }
}

/// One user.
#[derive(Clone)]
pub(crate) struct User {
    pub(crate) sub: String,
    /// The internal user name (`USER_ID_FOR_SRP`): the creation name, or the
    /// `sub` in a pool with email as user name.
    pub(crate) internal_name: String,
    /// The name the user was created with.
    pub(crate) username: String,
    pub(crate) attributes: BTreeMap<String, String>,
    pub(crate) verifier: PasswordVerifier,
    pub(crate) status: UserStatus,
    pub(crate) enabled: bool,
    pub(crate) created: DateTime<Utc>,
    pub(crate) modified: DateTime<Utc>,
    /// A verified TOTP secret.
    pub(crate) totp: Option<TotpSecret>,
    /// The last time step accepted for `totp` (a code is accepted once:
    /// RFC 6238 §5.2); `None` before the first. Set whenever `totp` changes
    /// (see [`User::enroll_totp`]).
    pub(crate) totp_last_step: Option<i64>,
    /// A secret from `AssociateSoftwareToken`, not yet verified.
    pub(crate) pending_totp: Option<TotpSecret>,
    pub(crate) totp_enabled: bool,
    pub(crate) sms_enabled: bool,
    pub(crate) preferred_mfa: Option<MfaKind>,
}

impl User {
    /// The MFA types enabled and usable for this user.
    pub(crate) fn enabled_mfa(&self) -> Vec<MfaKind> {
        let mut kinds = Vec::new();
        if self.sms_enabled && self.attributes.contains_key("phone_number") {
            kinds.push(MfaKind::Sms);
        }
        if self.totp_enabled && self.totp.is_some() {
            kinds.push(MfaKind::SoftwareToken);
        }
        kinds
    }

    /// A `SOFTWARE_TOKEN_MFA` code: right for the verified secret at
    /// `unix_seconds` and from a later time step than the last one
    /// accepted, which it then becomes. A replayed code is refused as a
    /// wrong one.
    pub(crate) fn accept_totp(&mut self, code: &str, unix_seconds: i64) -> bool {
        let Some(secret) = &self.totp else {
            return false;
        };
        match secret.accepted_step(code, unix_seconds, self.totp_last_step) {
            Some(step) => {
                self.totp_last_step = Some(step);
                true
            }
            None => false,
        }
    }

    /// `VerifySoftwareToken`: `code` proves `secret`, which becomes the
    /// verified one, its step the last accepted. For the secret already
    /// verified (the same set-up session answered twice) the code must be
    /// from a later step, as a sign-in's.
    pub(crate) fn enroll_totp(
        &mut self,
        secret: &TotpSecret,
        code: &str,
        unix_seconds: i64,
    ) -> bool {
        if self.totp.as_ref() == Some(secret) {
            return self.accept_totp(code, unix_seconds);
        }
        match secret.accepted_step(code, unix_seconds, None) {
            Some(step) => {
                self.totp = Some(secret.clone());
                self.totp_last_step = Some(step);
                true
            }
            None => false,
        }
    }
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("sub", &self.sub)
            .field("internal_name", &self.internal_name)
            .field("username", &self.username)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Users {
    by_sub: HashMap<String, User>,
    /// Sign-in names (the creation name, `email`, the `sub`) → `sub`.
    names: HashMap<String, String>,
}

/// The user store.
pub(crate) struct UserStore {
    users: RwLock<Users>,
    capacity: usize,
}

/// Checks a password against the pool's policy.
pub(crate) fn check_password_policy(password: &Password) -> Result<(), ErrorReply> {
    let len = password.expose_secret().chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(ErrorReply::new(
            ServiceErrorKind::InvalidPassword,
            "Password does not conform to policy: Password not long enough",
        ));
    }
    if len > MAX_PASSWORD_LEN {
        return Err(ErrorReply::new(
            ServiceErrorKind::InvalidPassword,
            "Password does not conform to policy: Password is too long",
        ));
    }
    Ok(())
}

/// Checks a user name or alias: 1 to 128 characters, no whitespace or control characters.
pub(crate) fn check_username(name: &str) -> Result<(), ErrorReply> {
    let len = name.chars().count();
    if len == 0
        || len > MAX_USERNAME_LEN
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ErrorReply::invalid(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    Ok(())
}

impl UserStore {
    /// The number of users.
    pub(crate) fn len(&self) -> usize {
        self.read().by_sub.len()
    }

    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            users: RwLock::new(Users::default()),
            capacity,
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, Users> {
        self.users
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Users> {
        self.users
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds `user`; its name, `sub` and `email` must all be free.
    pub(crate) fn insert(&self, user: User) -> Result<(), ErrorReply> {
        let mut users = self.write();
        if users.by_sub.len() >= self.capacity {
            return Err(ErrorReply::new(
                ServiceErrorKind::LimitExceeded,
                "The user pool has reached its maximum number of users.",
            ));
        }
        let mut names = vec![user.username.clone(), user.sub.clone()];
        names.extend(user.attributes.get("email").cloned());
        if names.iter().any(|name| users.names.contains_key(name)) {
            return Err(ErrorReply::new(
                ServiceErrorKind::UsernameExists,
                "An account with the given email or username already exists.",
            ));
        }
        for name in names {
            users.names.insert(name, user.sub.clone());
        }
        users.by_sub.insert(user.sub.clone(), user);
        Ok(())
    }

    /// The user a sign-in name (creation name, `email` alias or `sub`) refers to.
    pub(crate) fn find(&self, name: &str) -> Option<User> {
        let users = self.read();
        let sub = users.names.get(name)?;
        users.by_sub.get(sub).cloned()
    }

    /// The user with `sub`.
    pub(crate) fn get(&self, sub: &str) -> Option<User> {
        self.read().by_sub.get(sub).cloned()
    }

    /// The `sub` a sign-in name refers to.
    pub(crate) fn resolve(&self, name: &str) -> Option<String> {
        self.read().names.get(name).cloned()
    }

    /// Changes the user with `sub` in place; `UserNotFoundException` if gone.
    pub(crate) fn update<R>(
        &self,
        sub: &str,
        change: impl FnOnce(&mut User) -> Result<R, ErrorReply>,
    ) -> Result<R, ErrorReply> {
        let mut users = self.write();
        let user = users
            .by_sub
            .get_mut(sub)
            .ok_or_else(ErrorReply::user_not_found)?;
        let result = change(user)?;
        user.modified = Utc::now();
        Ok(result)
    }

    /// [`User::accept_totp`] for the user `sub`, under the store's lock (two
    /// answers with one code cannot both pass); not a change of the user's
    /// attributes (`UserLastModifiedDate` stays).
    pub(crate) fn accept_totp(&self, sub: &str, code: &str, unix_seconds: i64) -> bool {
        self.write()
            .by_sub
            .get_mut(sub)
            .is_some_and(|user| user.accept_totp(code, unix_seconds))
    }

    /// The creation names of every user, sorted.
    pub(crate) fn usernames(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .read()
            .by_sub
            .values()
            .map(|u| u.username.clone())
            .collect();
        names.sort();
        names
    }
}
