//! Pool and app-client settings that change how sign-in answers: username
//! attributes, the allowed auth flows, `PreventUserExistenceErrors` and the
//! modelled custom-auth trigger. Each is the value of a Cognito setting of
//! the same name (see the fidelity table).

use std::fmt;
use std::str::FromStr;

use crate::wire::AuthFlow;

/// The pool's `UsernameAttributes`: what users sign in with, and what the
/// internal user name is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum UsernameAttributes {
    /// No username attributes (a pool created through the API without
    /// `UsernameAttributes`): users sign in with their user name, which is
    /// also the internal user name (`USER_ID_FOR_SRP`, `cognito:username`).
    /// The `email` attribute and the `sub` are accepted as aliases.
    #[default]
    Username,
    /// `UsernameAttributes: [email]`: the name a user is created with must
    /// be an email address and becomes the `email` attribute; users sign in
    /// with it, and the internal user name is the `sub`.
    Email,
}

impl UsernameAttributes {
    /// `username` or `email`, as `serve --username-attributes` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            UsernameAttributes::Username => "username",
            UsernameAttributes::Email => "email",
        }
    }
}

/// One `ExplicitAuthFlows` value of an app client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ExplicitAuthFlow {
    /// `ALLOW_USER_SRP_AUTH`: `USER_SRP_AUTH`.
    UserSrp,
    /// `ALLOW_REFRESH_TOKEN_AUTH`: `REFRESH_TOKEN_AUTH` (and, in the pool,
    /// `GetTokensFromRefreshToken`).
    RefreshToken,
    /// `ALLOW_USER_PASSWORD_AUTH`: `USER_PASSWORD_AUTH`.
    UserPassword,
    /// `ALLOW_CUSTOM_AUTH`: `CUSTOM_AUTH`.
    Custom,
    /// `ALLOW_USER_AUTH`: `USER_AUTH` (choice-based sign-in).
    UserAuth,
    /// `ALLOW_ADMIN_USER_PASSWORD_AUTH`: `ADMIN_USER_PASSWORD_AUTH`.
    AdminUserPassword,
}

impl ExplicitAuthFlow {
    /// Every flow, in the order the ready line lists them.
    pub const ALL: [ExplicitAuthFlow; 6] = [
        ExplicitAuthFlow::UserSrp,
        ExplicitAuthFlow::RefreshToken,
        ExplicitAuthFlow::UserPassword,
        ExplicitAuthFlow::Custom,
        ExplicitAuthFlow::UserAuth,
        ExplicitAuthFlow::AdminUserPassword,
    ];

    /// Cognito's name: `ALLOW_USER_SRP_AUTH`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            ExplicitAuthFlow::UserSrp => "ALLOW_USER_SRP_AUTH",
            ExplicitAuthFlow::RefreshToken => "ALLOW_REFRESH_TOKEN_AUTH",
            ExplicitAuthFlow::UserPassword => "ALLOW_USER_PASSWORD_AUTH",
            ExplicitAuthFlow::Custom => "ALLOW_CUSTOM_AUTH",
            ExplicitAuthFlow::UserAuth => "ALLOW_USER_AUTH",
            ExplicitAuthFlow::AdminUserPassword => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        }
    }

    /// The short name `serve --auth-flows` takes: `user-srp`, `refresh-token`,
    /// `user-password`, `custom`, `user-auth`, `admin-user-password`.
    pub fn short_name(self) -> &'static str {
        match self {
            ExplicitAuthFlow::UserSrp => "user-srp",
            ExplicitAuthFlow::RefreshToken => "refresh-token",
            ExplicitAuthFlow::UserPassword => "user-password",
            ExplicitAuthFlow::Custom => "custom",
            ExplicitAuthFlow::UserAuth => "user-auth",
            ExplicitAuthFlow::AdminUserPassword => "admin-user-password",
        }
    }

    /// Whether the flow signs a user in (every flow but refresh).
    pub fn signs_in(self) -> bool {
        self != ExplicitAuthFlow::RefreshToken
    }

    /// The setting an `InitiateAuth` flow needs; `None` for flows the
    /// setting does not cover.
    pub(crate) fn for_flow(flow: &AuthFlow) -> Option<Self> {
        match flow {
            AuthFlow::UserSrpAuth => Some(ExplicitAuthFlow::UserSrp),
            AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
                Some(ExplicitAuthFlow::RefreshToken)
            }
            AuthFlow::UserPasswordAuth => Some(ExplicitAuthFlow::UserPassword),
            AuthFlow::CustomAuth => Some(ExplicitAuthFlow::Custom),
            AuthFlow::UserAuth => Some(ExplicitAuthFlow::UserAuth),
            _ => None,
        }
    }
}

impl fmt::Display for ExplicitAuthFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not an auth flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAuthFlow;

impl fmt::Display for UnknownAuthFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an auth flow (user-srp, refresh-token, user-password, custom, user-auth, admin-user-password)")
    }
}

impl std::error::Error for UnknownAuthFlow {}

impl FromStr for ExplicitAuthFlow {
    type Err = UnknownAuthFlow;

    /// The short name (`user-srp`) or Cognito's (`ALLOW_USER_SRP_AUTH`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ExplicitAuthFlow::ALL
            .into_iter()
            .find(|flow| text == flow.short_name() || text == flow.as_str())
            .ok_or(UnknownAuthFlow)
    }
}

/// An app client's `ExplicitAuthFlows`: the flows it allows.
///
/// The default allows every flow (the local pool's lenient choice; a client
/// created through Cognito's API without the setting allows
/// `ALLOW_REFRESH_TOKEN_AUTH`, `ALLOW_USER_SRP_AUTH` and `ALLOW_CUSTOM_AUTH`:
/// [`AuthFlows::cognito_api_default`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFlows {
    allowed: Vec<ExplicitAuthFlow>,
}

impl Default for AuthFlows {
    fn default() -> Self {
        Self::all()
    }
}

impl AuthFlows {
    /// Every flow.
    pub fn all() -> Self {
        Self::only(ExplicitAuthFlow::ALL)
    }

    /// What Cognito gives a client created without `ExplicitAuthFlows`:
    /// refresh, SRP and custom auth.
    pub fn cognito_api_default() -> Self {
        Self::only([
            ExplicitAuthFlow::UserSrp,
            ExplicitAuthFlow::RefreshToken,
            ExplicitAuthFlow::Custom,
        ])
    }

    /// Exactly these flows.
    pub fn only(flows: impl IntoIterator<Item = ExplicitAuthFlow>) -> Self {
        let mut allowed: Vec<ExplicitAuthFlow> = flows.into_iter().collect();
        allowed.sort();
        allowed.dedup();
        Self { allowed }
    }

    /// Whether `flow` is allowed.
    pub fn allows(&self, flow: ExplicitAuthFlow) -> bool {
        self.allowed.contains(&flow)
    }

    /// The allowed flows, sorted.
    pub fn iter(&self) -> impl Iterator<Item = ExplicitAuthFlow> + '_ {
        self.allowed.iter().copied()
    }

    /// Whether some allowed flow signs a user in.
    pub fn signs_in(&self) -> bool {
        self.iter().any(ExplicitAuthFlow::signs_in)
    }
}

/// The pool's model of a custom authentication Lambda trigger set (Define,
/// Create and Verify Auth Challenge), which the local pool cannot run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CustomAuthTrigger {
    /// No trigger (the default): `CUSTOM_AUTH` is refused with
    /// `InvalidParameterException: Custom auth lambda trigger is not
    /// configured for the user pool.`
    #[default]
    None,
    /// A Define Auth Challenge trigger that accepts the SRP password proof
    /// (`CHALLENGE_NAME=SRP_A`, then `PASSWORD_VERIFIER`) and then issues
    /// tokens, with no custom challenge: the classic "SRP + custom" define
    /// function. `CUSTOM_AUTH` without `SRP_A` is refused, as no
    /// `CUSTOM_CHALLENGE` is modelled.
    SrpThenTokens,
}
