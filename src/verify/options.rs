//! [`VerifierOptions`]: which tokens a [`TokenVerifier`](super::TokenVerifier)
//! accepts; [`TokenUse`].

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::jwks::DEFAULT_MIN_REFETCH_INTERVAL;

/// Default clock leeway for `exp`, `iat` and `nbf`.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// The `token_use` claim of a Cognito token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// An ID token (`token_use: "id"`; the app client in `aud`).
    Id,
    /// An access token (`token_use: "access"`; the app client in `client_id`).
    Access,
}

impl TokenUse {
    /// The claim's value: `id` or `access`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }
}

impl fmt::Display for TokenUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `token_use` text that is neither `id` nor `access`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token use must be id or access")]
pub struct UnknownTokenUse;

impl FromStr for TokenUse {
    type Err = UnknownTokenUse;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "id" => Ok(Self::Id),
            "access" => Ok(Self::Access),
            _ => Err(UnknownTokenUse),
        }
    }
}

/// What a [`TokenVerifier`](super::TokenVerifier) accepts besides a valid
/// RS256 signature by a key of the pool's JWKS.
///
/// The default accepts ID and access tokens of any app client of the pool
/// with a 60-second leeway: name the app clients
/// ([`client_id`](Self::client_id)) and the token use
/// ([`token_use`](Self::token_use)) unless every client and both token
/// kinds are really meant.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifierOptions {
    /// Allowed app client ids (`aud` of an ID token, `client_id` of an
    /// access token); empty: any.
    pub client_ids: Vec<String>,
    /// The required `token_use`; `None`: `id` or `access`.
    pub token_use: Option<TokenUse>,
    /// Clock leeway for `exp`, `iat` and `nbf`.
    pub leeway: Duration,
    /// The expected `iss`, overriding the one derived from the pool id and
    /// the transport's endpoint. The JWKS is fetched from
    /// `<issuer>/.well-known/jwks.json`.
    pub issuer: Option<String>,
    /// The shortest time between two fetches of the key set (an unknown
    /// `kid` sooner than this after a fetch is refused without one).
    pub min_refetch_interval: Duration,
}

impl Default for VerifierOptions {
    fn default() -> Self {
        Self {
            client_ids: Vec::new(),
            token_use: None,
            leeway: DEFAULT_LEEWAY,
            issuer: None,
            min_refetch_interval: DEFAULT_MIN_REFETCH_INTERVAL,
        }
    }
}

impl VerifierOptions {
    /// The defaults (see the type).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an allowed app client id.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_ids.push(client_id.into());
        self
    }

    /// Requires this `token_use`.
    pub fn token_use(mut self, token_use: TokenUse) -> Self {
        self.token_use = Some(token_use);
        self
    }

    /// Sets the clock leeway.
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Sets the expected issuer (and so the JWKS URL).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Sets the shortest time between two fetches of the key set.
    pub fn min_refetch_interval(mut self, interval: Duration) -> Self {
        self.min_refetch_interval = interval;
        self
    }
}
