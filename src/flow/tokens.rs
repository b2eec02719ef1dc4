//! [`Tokens`]: the result of a sign-in or refresh, with claims decoded (not verified).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::device::StaleDevice;
use crate::srp::DeviceCredentials;
use crate::wire::{AuthenticationResult, NewDeviceMetadata};

/// The longest JWT whose claims are decoded, in bytes.
const MAX_JWT_LEN: usize = 64 * 1024;

/// A token wrapper: zeroized on drop, `[redacted]` in `Debug`, compared in
/// constant time.
macro_rules! secret_token {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Zeroize, ZeroizeOnDrop)]
        pub struct $name(String);

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                subtle::ConstantTimeEq::ct_eq(self.0.as_bytes(), other.0.as_bytes()).into()
            }
        }

        impl Eq for $name {}

        impl $name {
            /// Wraps a token.
            pub fn new(token: impl Into<String>) -> Self {
                Self(token.into())
            }

            /// The token itself. Do not log, print or store what this returns
            /// unless storing tokens is the point.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_token!(
    /// A refresh token: zeroized on drop, `[redacted]` in `Debug`.
    RefreshToken
);
secret_token!(
    /// An access token (a JWT): zeroized on drop, `[redacted]` in `Debug`.
    AccessToken
);
secret_token!(
    /// An ID token (a JWT): zeroized on drop, `[redacted]` in `Debug`.
    IdToken
);

/// Claims read from a Cognito JWT's payload — **decoded, not verified**.
///
/// Good for display and for the internal user name `SECRET_HASH` needs; never
/// for an authorisation decision (verify the signature against the pool's
/// JWKS for that).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Claims {
    /// `sub`: the user's immutable id.
    pub sub: Option<String>,
    /// The internal user name: `username` (access token) or
    /// `cognito:username` (ID token).
    pub username: Option<String>,
    /// `email`, when present (ID token).
    pub email: Option<String>,
    /// `exp`, seconds since the Unix epoch.
    pub exp: Option<i64>,
    /// `iat`, seconds since the Unix epoch.
    pub iat: Option<i64>,
    /// `token_use`: `access` or `id`.
    pub token_use: Option<String>,
    /// `client_id` (access token) or `aud` (ID token).
    pub client_id: Option<String>,
    /// `device_key` (access token): the device of the sign-in.
    pub device_key: Option<String>,
    /// `origin_jti`: the sign-in's token family (revoked together).
    pub origin_jti: Option<String>,
}

#[derive(Deserialize)]
struct RawClaims {
    sub: Option<String>,
    username: Option<String>,
    #[serde(rename = "cognito:username")]
    cognito_username: Option<String>,
    email: Option<String>,
    exp: Option<i64>,
    iat: Option<i64>,
    token_use: Option<String>,
    client_id: Option<String>,
    aud: Option<serde_json::Value>,
    device_key: Option<String>,
    origin_jti: Option<String>,
}

impl Claims {
    /// Decodes (without verifying) the payload of a JWT. `None` when the token
    /// is not a JWT with a JSON payload, or is longer than 64 KiB.
    pub fn decode_unverified(jwt: &str) -> Option<Self> {
        if jwt.len() > MAX_JWT_LEN {
            return None;
        }
        let mut parts = jwt.split('.');
        let (_header, payload) = (parts.next()?, parts.next()?);
        let _signature = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
        let raw: RawClaims = serde_json::from_slice(&bytes).ok()?;
        let aud = match raw.aud {
            Some(serde_json::Value::String(aud)) => Some(aud),
            _ => None,
        };
        Some(Self {
            sub: raw.sub,
            username: raw.username.or(raw.cognito_username),
            email: raw.email,
            exp: raw.exp,
            iat: raw.iat,
            token_use: raw.token_use,
            client_id: raw.client_id.or(aud),
            device_key: raw.device_key,
            origin_jti: raw.origin_jti,
        })
    }
}

/// The tokens of a completed sign-in or refresh.
///
/// `Debug` shows the claims and the expiry, never a token. The tokens are
/// reached through `expose_*` accessors.
#[derive(Clone)]
pub struct Tokens {
    access_token: AccessToken,
    id_token: Option<IdToken>,
    refresh_token: Option<RefreshToken>,
    token_type: Option<String>,
    expires_in: Option<i64>,
    received_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    access_claims: Option<Claims>,
    id_claims: Option<Claims>,
    new_device_metadata: Option<NewDeviceMetadata>,
    device_credentials: Option<DeviceCredentials>,
    device_key: Option<String>,
    stale_device: Option<StaleDevice>,
}

impl Tokens {
    /// Builds the tokens from an `AuthenticationResult` received at `now`.
    /// `previous_refresh` is kept when the result carries no refresh token
    /// (a refresh). `None` when the result has no access token, or one that is
    /// not a JWT with a JSON payload (Cognito's always are: anything else is a
    /// broken or hostile server, refused rather than handed on as a success).
    pub fn from_authentication_result(
        result: AuthenticationResult,
        now: DateTime<Utc>,
        previous_refresh: Option<RefreshToken>,
    ) -> Option<Self> {
        let access_token = result.access_token.filter(|t| !t.is_empty())?;
        let access_claims = Some(Claims::decode_unverified(&access_token)?);
        let id_claims = result
            .id_token
            .as_deref()
            .and_then(Claims::decode_unverified);
        let expires_in = result.expires_in.filter(|&s| s > 0);
        let from_claims = access_claims
            .as_ref()
            .and_then(|c| c.exp)
            .and_then(|exp| DateTime::from_timestamp(exp, 0));
        let expires_at = match expires_in {
            Some(seconds) => now + TimeDelta::seconds(seconds.min(10 * 365 * 24 * 3600)),
            None => from_claims.unwrap_or(now),
        };
        Some(Self {
            access_token: AccessToken::new(access_token),
            id_token: result.id_token.map(IdToken::new),
            refresh_token: result
                .refresh_token
                .filter(|t| !t.is_empty())
                .map(RefreshToken::new)
                .or(previous_refresh),
            token_type: result.token_type,
            expires_in,
            received_at: now,
            expires_at,
            access_claims,
            id_claims,
            new_device_metadata: result.new_device_metadata,
            device_credentials: None,
            device_key: None,
            stale_device: None,
        })
    }

    /// The credentials of the device this login confirmed (`ConfirmDevice`
    /// after `NewDeviceMetadata`, when the login asked for
    /// [`remember_device`](super::LoginOptions::remember_device)): persist
    /// them and pass them to later logins with
    /// [`LoginOptions::device`](super::LoginOptions::device).
    pub fn device_credentials(&self) -> Option<&DeviceCredentials> {
        self.device_credentials.as_ref()
    }

    /// Takes the newly confirmed device's credentials out of the tokens.
    pub fn take_device_credentials(&mut self) -> Option<DeviceCredentials> {
        self.device_credentials.take()
    }

    /// The device key this login used: the remembered device it proved, or
    /// the device it confirmed. [`refresh_tokens`](super::CognitoClient::refresh_tokens)
    /// sends it as `DEVICE_KEY`.
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref().or_else(|| {
            self.new_device_metadata
                .as_ref()
                .and_then(|m| m.device_key.as_deref())
        })
    }

    /// The device credentials given to the login that Cognito no longer knows:
    /// the login was retried without them. Drop them from storage.
    pub fn stale_device(&self) -> Option<&StaleDevice> {
        self.stale_device.as_ref()
    }

    pub(crate) fn set_device_credentials(&mut self, credentials: DeviceCredentials) {
        self.device_key = Some(credentials.device_key().to_owned());
        self.device_credentials = Some(credentials);
    }

    pub(crate) fn set_device_key(&mut self, device_key: &str) {
        self.device_key = Some(device_key.to_owned());
    }

    pub(crate) fn set_stale_device(&mut self, stale: StaleDevice) {
        self.stale_device = Some(stale);
    }

    /// The access token (JWT), in its redacting wrapper.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The ID token (JWT), when issued, in its redacting wrapper.
    pub fn id_token(&self) -> Option<&IdToken> {
        self.id_token.as_ref()
    }

    /// The access token (JWT). Do not log or print it.
    pub fn expose_access_token(&self) -> &str {
        self.access_token.expose_secret()
    }

    /// The ID token (JWT), when issued. Do not log or print it.
    pub fn expose_id_token(&self) -> Option<&str> {
        self.id_token.as_ref().map(IdToken::expose_secret)
    }

    /// The refresh token: the new one, or the one a refresh was made with.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// `TokenType` (`Bearer`).
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// `ExpiresIn`, seconds, as sent.
    pub fn expires_in(&self) -> Option<i64> {
        self.expires_in
    }

    /// When the tokens were received (the `now` they were built with, on
    /// the local clock): with [`expires_in`](Self::expires_in) what
    /// [`expires_at`](Self::expires_at) is computed from, so a stored copy
    /// rebuilt from it expires at the same instant.
    pub fn received_at(&self) -> DateTime<Utc> {
        self.received_at
    }

    /// When the access and ID tokens expire: receipt time plus `ExpiresIn`
    /// (or the access token's `exp` when `ExpiresIn` is absent).
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// Whether the tokens have expired at `now`.
    pub fn is_expired_at(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }

    /// The access token's claims (decoded, not verified).
    pub fn access_claims(&self) -> Option<&Claims> {
        self.access_claims.as_ref()
    }

    /// The ID token's claims (decoded, not verified).
    pub fn id_claims(&self) -> Option<&Claims> {
        self.id_claims.as_ref()
    }

    /// The internal user name from the claims (not verified): what
    /// `SECRET_HASH` is computed with on refresh.
    pub fn username(&self) -> Option<&str> {
        self.access_claims
            .as_ref()
            .and_then(|c| c.username.as_deref())
            .or_else(|| self.id_claims.as_ref().and_then(|c| c.username.as_deref()))
    }

    /// `sub` from the claims (not verified).
    pub fn sub(&self) -> Option<&str> {
        self.id_claims
            .as_ref()
            .and_then(|c| c.sub.as_deref())
            .or_else(|| self.access_claims.as_ref().and_then(|c| c.sub.as_deref()))
    }

    /// `email` from the ID token's claims (not verified), when present.
    pub fn email(&self) -> Option<&str> {
        self.id_claims.as_ref().and_then(|c| c.email.as_deref())
    }

    /// `NewDeviceMetadata`, when Cognito wants this device confirmed.
    pub fn new_device_metadata(&self) -> Option<&NewDeviceMetadata> {
        self.new_device_metadata.as_ref()
    }

    /// The tokens as Cognito's `AuthenticationResult` (serialisable).
    /// **Exposes every token**: for callers that must print or store them.
    pub fn expose_authentication_result(&self) -> AuthenticationResult {
        AuthenticationResult {
            access_token: Some(self.access_token.expose_secret().to_owned()),
            expires_in: self.expires_in,
            token_type: self.token_type.clone(),
            refresh_token: self
                .refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned()),
            id_token: self.id_token.as_ref().map(|t| t.expose_secret().to_owned()),
            new_device_metadata: self.new_device_metadata.clone(),
        }
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &self.access_token)
            .field("id_token", &self.id_token)
            .field("refresh_token", &self.refresh_token)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("received_at", &self.received_at)
            .field("expires_at", &self.expires_at)
            .field("access_claims", &self.access_claims)
            .field("id_claims", &self.id_claims)
            .field("new_device_metadata", &self.new_device_metadata)
            .field("device_credentials", &self.device_credentials)
            .field("device_key", &self.device_key)
            .field("stale_device", &self.stale_device)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "eyJhbGciOiJub25lIn0.{}.sig",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn decodes_access_and_id_claims() {
        let access = Claims::decode_unverified(&jwt(
            r#"{"sub":"s-1","username":"u-1","exp":1700000000,"token_use":"access","client_id":"c"}"#,
        ))
        .unwrap();
        assert_eq!(access.username.as_deref(), Some("u-1"));
        assert_eq!(access.token_use.as_deref(), Some("access"));
        let id = Claims::decode_unverified(&jwt(
            r#"{"sub":"s-1","cognito:username":"u-1","email":"a@b.c","aud":"c","token_use":"id"}"#,
        ))
        .unwrap();
        assert_eq!(id.username.as_deref(), Some("u-1"));
        assert_eq!(id.email.as_deref(), Some("a@b.c"));
        assert_eq!(id.client_id.as_deref(), Some("c"));
        assert_eq!(Claims::decode_unverified("not-a-jwt"), None);
        assert_eq!(Claims::decode_unverified("a.!!!.c"), None);
        assert_eq!(Claims::decode_unverified(&"a.".repeat(40_000)), None);
    }

    #[test]
    fn debug_redacts_tokens_and_refresh_is_kept() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let result = AuthenticationResult {
            access_token: Some(jwt(r#"{"username":"u-1"}"#)),
            id_token: Some("ID-SECRET".into()),
            expires_in: Some(3600),
            ..Default::default()
        };
        let tokens =
            Tokens::from_authentication_result(result, now, Some(RefreshToken::new("RT-SECRET")))
                .unwrap();
        let debug = format!("{tokens:?}");
        assert!(
            !debug.contains("ID-SECRET") && !debug.contains("RT-SECRET"),
            "{debug}"
        );
        assert!(!debug.contains(tokens.expose_access_token()), "{debug}");
        assert_eq!(tokens.username(), Some("u-1"));
        assert_eq!(tokens.expires_at(), now + TimeDelta::seconds(3600));
        assert_eq!(
            tokens.refresh_token().map(RefreshToken::expose_secret),
            Some("RT-SECRET")
        );
    }
}
