//! [`VerifiedClaims`]: the payload of a token that passed every check.

use serde_json::{Map, Value};

use super::options::TokenUse;

/// The claims of a verified token: its signature, issuer, token use,
/// audience and times were checked.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedClaims {
    token_use: TokenUse,
    claims: Map<String, Value>,
}

impl VerifiedClaims {
    pub(super) fn new(token_use: TokenUse, claims: Map<String, Value>) -> Self {
        Self { token_use, claims }
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// `token_use`: an ID or an access token.
    pub fn token_use(&self) -> TokenUse {
        self.token_use
    }

    /// `sub`: the user's immutable id.
    pub fn sub(&self) -> Option<&str> {
        self.text("sub")
    }

    /// `iss`: the pool's issuer.
    pub fn issuer(&self) -> Option<&str> {
        self.text("iss")
    }

    /// The app client: `aud` (ID token) or `client_id` (access token).
    pub fn client_id(&self) -> Option<&str> {
        match self.token_use {
            TokenUse::Id => self.text("aud"),
            TokenUse::Access => self.text("client_id"),
        }
    }

    /// The internal user name: `username` (access) or `cognito:username` (ID).
    pub fn username(&self) -> Option<&str> {
        self.text("username")
            .or_else(|| self.text("cognito:username"))
    }

    /// `exp`, seconds since the Unix epoch.
    pub fn expires_at(&self) -> Option<i64> {
        self.claims.get("exp").and_then(Value::as_i64)
    }

    /// `iat`, seconds since the Unix epoch.
    pub fn issued_at(&self) -> Option<i64> {
        self.claims.get("iat").and_then(Value::as_i64)
    }

    /// Any claim by name (`email`, `cognito:groups`, `scope`, …).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.claims.get(name)
    }

    /// Every claim, as sent.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// Every claim, as sent.
    pub fn into_map(self) -> Map<String, Value> {
        self.claims
    }
}
