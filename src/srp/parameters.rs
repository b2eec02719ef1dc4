//! The parameter maps the core produces: InitiateAuth's `AuthParameters` and
//! RespondToAuthChallenge's `ChallengeResponses`.

use std::collections::BTreeMap;
use std::fmt;

/// `AuthParameters` of an `InitiateAuth` with `USER_SRP_AUTH` (or `CUSTOM_AUTH`
/// started with SRP). Holds no secret: `SRP_A` is public.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthParameters {
    pub(crate) username: String,
    pub(crate) srp_a: String,
    pub(crate) secret_hash: Option<String>,
    pub(crate) device_key: Option<String>,
    pub(crate) custom_auth: bool,
}

impl AuthParameters {
    /// `USERNAME`: what the user typed (a user name or an alias such as an email).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// `SRP_A`: lowercase hex of `A` without leading zeros.
    pub fn srp_a(&self) -> &str {
        &self.srp_a
    }

    /// `SECRET_HASH`, when the app client has a secret.
    pub fn secret_hash(&self) -> Option<&str> {
        self.secret_hash.as_deref()
    }

    /// `DEVICE_KEY`, when the login was started for a remembered device.
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// Whether the parameters start `CUSTOM_AUTH` with SRP (`CHALLENGE_NAME=SRP_A`).
    pub fn is_custom_auth(&self) -> bool {
        self.custom_auth
    }

    /// The map to send as `AuthParameters`.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        map.insert("USERNAME".to_owned(), self.username.clone());
        map.insert("SRP_A".to_owned(), self.srp_a.clone());
        insert_some(&mut map, "SECRET_HASH", &self.secret_hash);
        insert_some(&mut map, "DEVICE_KEY", &self.device_key);
        if self.custom_auth {
            map.insert("CHALLENGE_NAME".to_owned(), "SRP_A".to_owned());
        }
        map
    }
}

impl fmt::Debug for AuthParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthParameters")
            .field("username", &self.username)
            .field("srp_a", &self.srp_a)
            .field(
                "secret_hash",
                &self.secret_hash.as_ref().map(|_| "[redacted]"),
            )
            .field("device_key", &self.device_key)
            .field("custom_auth", &self.custom_auth)
            .finish()
    }
}

/// `ChallengeResponses` answering `PASSWORD_VERIFIER` (or
/// `DEVICE_PASSWORD_VERIFIER`). `Debug` redacts the signature and the secret block.
#[derive(Clone, PartialEq, Eq)]
pub struct ChallengeResponses {
    pub(crate) username: String,
    pub(crate) secret_block: String,
    pub(crate) signature: String,
    pub(crate) timestamp: String,
    pub(crate) secret_hash: Option<String>,
    pub(crate) device_key: Option<String>,
}

impl ChallengeResponses {
    /// `USERNAME`: the internal user name (`USER_ID_FOR_SRP`), never the alias.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// `PASSWORD_CLAIM_SECRET_BLOCK`: the challenge's `SECRET_BLOCK`, verbatim.
    pub fn password_claim_secret_block(&self) -> &str {
        &self.secret_block
    }

    /// `PASSWORD_CLAIM_SIGNATURE`: the proof of the password, base64.
    pub fn password_claim_signature(&self) -> &str {
        &self.signature
    }

    /// `TIMESTAMP`: the signed time, `EEE MMM d HH:mm:ss UTC yyyy`.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// `SECRET_HASH`, computed with the internal user name.
    pub fn secret_hash(&self) -> Option<&str> {
        self.secret_hash.as_deref()
    }

    /// `DEVICE_KEY`, when a device key was given.
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// The map to send as `ChallengeResponses`.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        map.insert("USERNAME".to_owned(), self.username.clone());
        map.insert(
            "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
            self.secret_block.clone(),
        );
        map.insert(
            "PASSWORD_CLAIM_SIGNATURE".to_owned(),
            self.signature.clone(),
        );
        map.insert("TIMESTAMP".to_owned(), self.timestamp.clone());
        insert_some(&mut map, "SECRET_HASH", &self.secret_hash);
        insert_some(&mut map, "DEVICE_KEY", &self.device_key);
        map
    }
}

impl fmt::Debug for ChallengeResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChallengeResponses")
            .field("username", &self.username)
            .field("password_claim_secret_block", &"[redacted]")
            .field("password_claim_signature", &"[redacted]")
            .field("timestamp", &self.timestamp)
            .field(
                "secret_hash",
                &self.secret_hash.as_ref().map(|_| "[redacted]"),
            )
            .field("device_key", &self.device_key)
            .finish()
    }
}

fn insert_some(map: &mut BTreeMap<String, String>, key: &str, value: &Option<String>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value.clone());
    }
}
