//! [`StoredSession`]: a signed-in session as it is persisted — JSON with a
//! `format` and a `version`, so a foreign or future file is told apart from
//! a corrupt one.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::StoreError;
use crate::flow::{RefreshToken, Tokens};
use crate::srp::{ClientId, DeviceCredentials, UserPoolId};
use crate::wire::AuthenticationResult;

/// The `format` field of every stored session.
pub const SESSION_FORMAT: &str = "cognito-srp-session";
/// The `version` this build writes and reads.
pub const SESSION_VERSION: u64 = 1;

/// A signed-in session to persist: the tokens (with their receipt time),
/// the remembered device's credentials, the user pool and app client ids,
/// and the endpoint or region it was signed in at. Never a password or an
/// app client secret.
///
/// `Debug` redacts every token and the device password.
#[derive(Clone)]
pub struct StoredSession {
    user_pool_id: UserPoolId,
    client_id: ClientId,
    endpoint: Option<String>,
    region: Option<String>,
    client_secret_required: bool,
    tokens: Tokens,
    device_credentials: Option<DeviceCredentials>,
}

impl fmt::Debug for StoredSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredSession")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("client_secret_required", &self.client_secret_required)
            .field("tokens", &self.tokens)
            .field("device_credentials", &self.device_credentials)
            .finish()
    }
}

/// The header read first, to tell a foreign file from a corrupt one.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// The persisted shape, borrowed for writing.
#[derive(Serialize)]
struct Written<'a> {
    format: &'static str,
    version: u64,
    user_pool_id: &'a str,
    client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    client_secret_required: bool,
    /// Milliseconds since the Unix epoch, on the local clock.
    received_at_ms: i64,
    tokens: AuthenticationResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_credentials: Option<&'a DeviceCredentials>,
}

/// The persisted shape, read.
#[derive(Deserialize)]
struct Read {
    user_pool_id: String,
    client_id: String,
    endpoint: Option<String>,
    region: Option<String>,
    #[serde(default)]
    client_secret_required: bool,
    received_at_ms: i64,
    tokens: AuthenticationResult,
    device_key: Option<String>,
    device_credentials: Option<DeviceCredentials>,
}

impl StoredSession {
    /// A session of app client `client_id` of `user_pool_id` with `tokens`.
    /// The newly confirmed device's credentials, when the sign-in confirmed
    /// one, are taken out of `tokens` and kept.
    pub fn new(user_pool_id: UserPoolId, client_id: ClientId, mut tokens: Tokens) -> Self {
        let device_credentials = tokens.take_device_credentials();
        Self {
            user_pool_id,
            client_id,
            endpoint: None,
            region: None,
            client_secret_required: false,
            tokens,
            device_credentials,
        }
    }

    /// The endpoint the session was signed in at (an override such as
    /// `http://127.0.0.1:9229/`).
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The region the session was signed in at, when not the user pool id's.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Records that the app client has a secret (the secret itself is never
    /// stored: a refresh needs it again from the caller).
    pub fn with_client_secret_required(mut self, required: bool) -> Self {
        self.client_secret_required = required;
        self
    }

    /// Whether the app client has a secret, which a refresh needs.
    pub fn client_secret_required(&self) -> bool {
        self.client_secret_required
    }

    /// The remembered device's credentials (replacing any).
    pub fn with_device_credentials(mut self, credentials: DeviceCredentials) -> Self {
        self.device_credentials = Some(credentials);
        self
    }

    /// The user pool.
    pub fn user_pool_id(&self) -> &UserPoolId {
        &self.user_pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &ClientId {
        &self.client_id
    }

    /// The endpoint override, when the session was signed in at one.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The region, when one was given.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The tokens.
    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// The refresh token, when there is one.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.tokens.refresh_token()
    }

    /// Replaces the tokens (after a refresh). Device credentials newly
    /// confirmed in `tokens` replace the stored ones.
    pub fn set_tokens(&mut self, mut tokens: Tokens) {
        if let Some(credentials) = tokens.take_device_credentials() {
            self.device_credentials = Some(credentials);
        }
        self.tokens = tokens;
    }

    /// The remembered device's credentials, when there are any.
    pub fn device_credentials(&self) -> Option<&DeviceCredentials> {
        self.device_credentials.as_ref()
    }

    /// Drops the remembered device's credentials (Cognito no longer knows
    /// the device).
    pub fn forget_device_credentials(&mut self) {
        self.device_credentials = None;
    }

    /// Whether `other` is a session of the same user of the same app client
    /// (same pool, client and `sub`).
    pub fn same_user(&self, other: &StoredSession) -> bool {
        self.user_pool_id == other.user_pool_id
            && self.client_id == other.client_id
            && self.tokens.sub() == other.tokens.sub()
    }

    /// The session as JSON. **Exposes every token and the device password**:
    /// write it only where the user's password could be written too (a file
    /// of mode 0600).
    pub fn to_json(&self) -> Result<Zeroizing<String>, StoreError> {
        let written = Written {
            format: SESSION_FORMAT,
            version: SESSION_VERSION,
            user_pool_id: self.user_pool_id.as_str(),
            client_id: self.client_id.as_str(),
            endpoint: self.endpoint.as_deref(),
            region: self.region.as_deref(),
            client_secret_required: self.client_secret_required,
            received_at_ms: self.tokens.received_at().timestamp_millis(),
            tokens: self.tokens.expose_authentication_result(),
            device_key: self.tokens.device_key(),
            device_credentials: self.device_credentials.as_ref(),
        };
        serde_json::to_string_pretty(&written)
            .map(Zeroizing::new)
            .map_err(|_| StoreError::Serialize)
    }

    /// Reads a session written by [`to_json`](Self::to_json). A document
    /// without `"format": "cognito-srp-session"` is
    /// [`StoreError::Foreign`]; another version is
    /// [`StoreError::UnsupportedVersion`]; anything else that does not fit
    /// is [`StoreError::Corrupt`] or [`StoreError::Invalid`]. No error
    /// echoes the content.
    pub fn from_json(json: &str) -> Result<Self, StoreError> {
        let corrupt = |error: serde_json::Error| StoreError::Corrupt {
            path: None,
            line: error.line(),
            column: error.column(),
        };
        let header: Header = serde_json::from_str(json).map_err(corrupt)?;
        match header.format.as_ref().and_then(serde_json::Value::as_str) {
            Some(SESSION_FORMAT) => {}
            _ => return Err(StoreError::Foreign { path: None }),
        }
        match header.version.as_ref().and_then(serde_json::Value::as_u64) {
            Some(SESSION_VERSION) => {}
            Some(version) => {
                return Err(StoreError::UnsupportedVersion {
                    path: None,
                    version,
                });
            }
            None => {
                return Err(StoreError::Invalid {
                    path: None,
                    field: "version",
                });
            }
        }
        let read: Read = serde_json::from_str(json).map_err(corrupt)?;
        let invalid = |field| StoreError::Invalid { path: None, field };
        let user_pool_id =
            UserPoolId::parse(&read.user_pool_id).map_err(|_| invalid("user_pool_id"))?;
        let client_id = ClientId::new(read.client_id).map_err(|_| invalid("client_id"))?;
        let received_at: DateTime<Utc> = DateTime::from_timestamp_millis(read.received_at_ms)
            .ok_or_else(|| invalid("received_at_ms"))?;
        let mut tokens = Tokens::from_authentication_result(read.tokens, received_at, None)
            .ok_or_else(|| invalid("tokens.AccessToken"))?;
        if let Some(key) = &read.device_key
            && tokens.device_key() != Some(key.as_str())
        {
            tokens.set_device_key(key);
        }
        Ok(Self {
            user_pool_id,
            client_id,
            endpoint: read.endpoint,
            region: read.region,
            client_secret_required: read.client_secret_required,
            tokens,
            device_credentials: read.device_credentials,
        })
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;
    use crate::Password;

    fn jwt(payload: &str) -> String {
        format!(
            "eyJhbGciOiJub25lIn0.{}.sig",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    fn session() -> StoredSession {
        let now = DateTime::from_timestamp_millis(1_700_000_000_123).unwrap();
        let result = AuthenticationResult {
            access_token: Some(jwt(r#"{"username":"u-1","sub":"s-1"}"#)),
            id_token: Some(jwt(r#"{"cognito:username":"u-1","sub":"s-1"}"#)),
            refresh_token: Some("RT-SECRET".into()),
            expires_in: Some(3600),
            token_type: Some("Bearer".into()),
            ..Default::default()
        };
        let mut tokens = Tokens::from_authentication_result(result, now, None).unwrap();
        tokens.set_device_key("eu-west-1_dev");
        StoredSession::new(
            UserPoolId::parse("eu-west-1_AbC").unwrap(),
            ClientId::new("client-1").unwrap(),
            tokens,
        )
        .with_endpoint("http://127.0.0.1:9229/")
        .with_device_credentials(
            DeviceCredentials::new("eu-west-1_dev", "group", Password::new("DEVICE-PW")).unwrap(),
        )
    }

    #[test]
    fn round_trips_with_the_same_expiry_and_device() {
        let session = session();
        let json = session.to_json().unwrap();
        let back = StoredSession::from_json(&json).unwrap();
        assert_eq!(back.tokens().expires_at(), session.tokens().expires_at());
        assert_eq!(back.tokens().received_at(), session.tokens().received_at());
        assert_eq!(back.tokens().device_key(), Some("eu-west-1_dev"));
        assert_eq!(back.endpoint(), Some("http://127.0.0.1:9229/"));
        assert_eq!(
            back.refresh_token().map(RefreshToken::expose_secret),
            Some("RT-SECRET")
        );
        assert_eq!(
            back.device_credentials().map(DeviceCredentials::device_key),
            Some("eu-west-1_dev")
        );
        assert!(back.same_user(&session));
    }

    #[test]
    fn debug_redacts_tokens_and_device_password() {
        let debug = format!("{:?}", session());
        assert!(!debug.contains("RT-SECRET") && !debug.contains("DEVICE-PW"));
        assert!(!debug.contains(session().tokens().expose_access_token()));
    }

    #[test]
    fn foreign_corrupt_and_future_files_are_told_apart() {
        let code = |json: &str| StoredSession::from_json(json).unwrap_err().code();
        assert_eq!(code("{not json"), "corrupt");
        assert_eq!(code("[1,2]"), "foreign");
        assert_eq!(code("\"text\""), "corrupt");
        assert_eq!(code(r#"{"device_key":"k"}"#), "foreign");
        assert_eq!(code(r#"{"format":"other","version":1}"#), "foreign");
        assert_eq!(
            code(r#"{"format":"cognito-srp-session","version":2}"#),
            "unsupported_version"
        );
        assert_eq!(
            code(r#"{"format":"cognito-srp-session","version":1}"#),
            "corrupt"
        );
        let json = session().to_json().unwrap();
        let broken = json.replace("eu-west-1_AbC", "not a pool");
        assert_eq!(code(&broken), "invalid");
        // No error echoes the content.
        let error = StoredSession::from_json(&json.replace("RT-SECRET", "RT\u{0}"));
        if let Err(error) = error {
            assert!(!error.to_string().contains("RT"));
        }
    }
}
