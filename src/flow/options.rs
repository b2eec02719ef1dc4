//! What a login or a refresh can be told beyond user name and password.

use std::fmt;

use crate::srp::DeviceCredentials;
use crate::wire::{AnalyticsMetadata, AuthFlow, ParameterMap, UserContextData};

/// Which `InitiateAuth` flow [`login_with`](super::CognitoClient::login_with) starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LoginFlow {
    /// `USER_SRP_AUTH`: the password never leaves the device. The default.
    #[default]
    UserSrp,
    /// `CUSTOM_AUTH` started with SRP (`CHALLENGE_NAME=SRP_A`): the password is
    /// proven first, then the pool's Lambda triggers ask `CUSTOM_CHALLENGE`s.
    CustomSrp,
    /// `USER_AUTH` (choice-based sign-in) with `PREFERRED_CHALLENGE` =
    /// `PASSWORD_SRP` and `SRP_A` in one request, then the password proven
    /// with SRP; a `SELECT_CHALLENGE` offering `PASSWORD_SRP` is answered with
    /// it. Other first factors (passwordless codes, passkeys, letting the
    /// user choose): [`login_user_auth`](super::CognitoClient::login_user_auth).
    UserAuth,
    /// `USER_PASSWORD_AUTH` — **explicit opt-in: the password itself is sent to
    /// Cognito** (over TLS). Pools with a user-migration Lambda need it for a
    /// user's first sign-in; prefer SRP otherwise. The same typed next steps follow.
    UserPassword,
}

impl LoginFlow {
    /// The `AuthFlow` sent on the wire.
    pub fn auth_flow(self) -> AuthFlow {
        match self {
            LoginFlow::UserSrp => AuthFlow::UserSrpAuth,
            LoginFlow::CustomSrp => AuthFlow::CustomAuth,
            LoginFlow::UserAuth => AuthFlow::UserAuth,
            LoginFlow::UserPassword => AuthFlow::UserPasswordAuth,
        }
    }
}

/// `ClientMetadata`, `AnalyticsMetadata` and `UserContextData`, passed
/// through unchanged on every request of a login when given.
///
/// `Debug` shows the metadata's keys and whether context data is present,
/// never values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestMetadata {
    /// `ClientMetadata` for the pool's Lambda triggers.
    pub client_metadata: Option<ParameterMap>,
    /// `AnalyticsMetadata` (Amazon Pinpoint endpoint).
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// `UserContextData` for threat protection (IP address, encoded data).
    pub user_context_data: Option<UserContextData>,
}

impl fmt::Debug for RequestMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = self.client_metadata.as_ref().map(|m| {
            let mut keys: Vec<&str> = m.keys().map(String::as_str).collect();
            keys.sort_unstable();
            keys
        });
        f.debug_struct("RequestMetadata")
            .field("client_metadata_keys", &keys)
            .field("analytics_metadata", &self.analytics_metadata)
            .field("user_context_data", &self.user_context_data.is_some())
            .finish()
    }
}

/// Options of one login.
///
/// `Debug` shows the device key of [`device`](Self::device), never its
/// password or the session.
#[derive(Clone, Default)]
pub struct LoginOptions {
    pub(crate) flow: LoginFlow,
    pub(crate) metadata: Option<RequestMetadata>,
    pub(crate) device: Option<DeviceCredentials>,
    pub(crate) remember: Option<RememberDevice>,
    pub(crate) session: Option<String>,
}

impl PartialEq for LoginOptions {
    fn eq(&self, other: &Self) -> bool {
        let key = |o: &Self| {
            o.device
                .as_ref()
                .map(|d| (d.device_key().to_owned(), d.device_group_key().to_owned()))
        };
        self.flow == other.flow
            && self.metadata == other.metadata
            && self.session == other.session
            && self.remember == other.remember
            && key(self) == key(other)
    }
}

impl Eq for LoginOptions {}

impl fmt::Debug for LoginOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginOptions")
            .field("flow", &self.flow)
            .field("metadata", &self.metadata)
            .field("device", &self.device)
            .field("remember", &self.remember)
            .field("session", &self.session.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// What to do with a device Cognito names in `NewDeviceMetadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RememberDevice {
    pub(crate) device_name: String,
    pub(crate) remember: bool,
}

impl RememberDevice {
    /// The caller did not choose: the device is confirmed (under this
    /// crate's name) and left as Cognito's setting makes it.
    pub(crate) fn unasked() -> Self {
        Self {
            device_name: "cognito-srp-auth".to_owned(),
            remember: false,
        }
    }
}

impl LoginOptions {
    /// The flow to start (default [`LoginFlow::UserSrp`]).
    pub fn flow(mut self, flow: LoginFlow) -> Self {
        self.flow = flow;
        self
    }

    /// Metadata for this login's requests, instead of the client's default.
    pub fn metadata(mut self, metadata: RequestMetadata) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Signs in as the remembered device `credentials` (from an earlier
    /// login's [`Tokens::device_credentials`](super::Tokens::device_credentials)),
    /// in every flow: `DEVICE_KEY` goes with `InitiateAuth` and every answer
    /// of the sign-in, and Cognito's `DEVICE_SRP_AUTH` →
    /// `DEVICE_PASSWORD_VERIFIER` is answered automatically whenever it
    /// comes (after the password, or after MFA or a new password when the
    /// device is not remembered). A device Cognito no longer knows is
    /// dropped: the login is retried once without it and
    /// [`Tokens::stale_device`](super::Tokens::stale_device) names it. A
    /// lockout is never taken for a stale device.
    pub fn device(mut self, credentials: DeviceCredentials) -> Self {
        self.device = Some(credentials);
        self
    }

    /// `InitiateAuth`'s `Session`: the session of a `ConfirmSignUp` answer,
    /// with which [`login_user_auth`](super::CognitoClient::login_user_auth)
    /// signs the new user in without a second code.
    pub fn session(mut self, session: impl Into<String>) -> Self {
        self.session = Some(session.into());
        self
    }

    /// Device tracking: when the tokens carry `NewDeviceMetadata`, the device
    /// is confirmed (`ConfirmDevice` with a fresh verifier; this names it
    /// `device_name`) and, when Cognito leaves remembering it to the user
    /// (`UserConfirmationNecessary`) and `remember` is set, marked
    /// `remembered` (`UpdateDeviceStatus`). The credentials to persist are
    /// [`Tokens::device_credentials`](super::Tokens::device_credentials).
    ///
    /// Without this option the device is still confirmed (as the official
    /// SDKs do; Cognito refreshes only for a confirmed device) under the name
    /// `cognito-srp-auth`, and a failure is only logged. With it, when
    /// `ConfirmDevice` or `UpdateDeviceStatus` fails, the login fails with
    /// that error.
    pub fn remember_device(mut self, device_name: impl Into<String>, remember: bool) -> Self {
        self.remember = Some(RememberDevice {
            device_name: device_name.into(),
            remember,
        });
        self
    }
}

/// Options of a refresh with a bare refresh token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefreshOptions {
    pub(crate) username: Option<String>,
    pub(crate) device_key: Option<String>,
    pub(crate) metadata: Option<RequestMetadata>,
}

impl RefreshOptions {
    /// The internal user name (the access token's `username` claim), which
    /// `SECRET_HASH` needs when the app client has a secret.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// `DEVICE_KEY`, when device tracking is on and the device is known.
    pub fn device_key(mut self, device_key: impl Into<String>) -> Self {
        self.device_key = Some(device_key.into());
        self
    }

    /// Metadata for the request, instead of the client's default.
    pub fn metadata(mut self, metadata: RequestMetadata) -> Self {
        self.metadata = Some(metadata);
        self
    }
}
