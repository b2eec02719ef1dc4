//! [`AwsCredentials`]: temporary AWS credentials, and the `credential_process`
//! JSON the AWS CLI and SDKs read.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::wire::IdentityCredentials;

/// Temporary AWS credentials from an identity pool: access key id, secret
/// access key, session token and expiry (and the identity they belong to).
///
/// `Debug` shows the access key id, the identity and the expiry only; the
/// secret and the token are wiped when dropped.
#[derive(Clone)]
pub struct AwsCredentials {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Zeroizing<String>,
    expiration: DateTime<Utc>,
    identity_id: Option<String>,
}

/// Why `credential_process` JSON (or an identity pool's `Credentials`) could
/// not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialProcessError {
    /// Not the JSON object of `credential_process` (`Version` 1 and the four fields).
    #[error(
        "not credential_process JSON (Version 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration)"
    )]
    InvalidJson,
    /// A required field is empty or missing.
    #[error("a credential field is missing or empty")]
    MissingField,
    /// The expiry is not an RFC 3339 time or not a representable epoch time.
    #[error("the expiry is not a valid time")]
    InvalidExpiration,
}

impl AwsCredentials {
    /// Credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: impl Into<String>,
        expiration: DateTime<Utc>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Zeroizing::new(secret_access_key.into()),
            session_token: Zeroizing::new(session_token.into()),
            expiration,
            identity_id: None,
        }
    }

    /// The same credentials, recorded as `identity_id`'s.
    pub fn with_identity_id(mut self, identity_id: impl Into<String>) -> Self {
        self.identity_id = Some(identity_id.into());
        self
    }

    /// From the `Credentials` of `GetCredentialsForIdentity`; every field
    /// must be there and the `Expiration` a finite epoch time.
    pub fn from_wire(wire: &IdentityCredentials) -> Result<Self, CredentialProcessError> {
        if wire.access_key_id.is_empty()
            || wire.secret_key.is_empty()
            || wire.session_token.is_empty()
        {
            return Err(CredentialProcessError::MissingField);
        }
        let seconds = wire
            .expiration
            .ok_or(CredentialProcessError::MissingField)?;
        let expiration = epoch_time(seconds).ok_or(CredentialProcessError::InvalidExpiration)?;
        Ok(Self::new(
            wire.access_key_id.clone(),
            wire.secret_key.clone(),
            wire.session_token.clone(),
            expiration,
        ))
    }

    /// The access key id (`ASIA…`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key. A secret: do not log it.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token. A secret: do not log it.
    pub fn session_token(&self) -> &str {
        &self.session_token
    }

    /// When the credentials expire.
    pub fn expiration(&self) -> DateTime<Utc> {
        self.expiration
    }

    /// The identity id (`<region>:<uuid>`) the credentials were issued to, when known.
    pub fn identity_id(&self) -> Option<&str> {
        self.identity_id.as_deref()
    }

    /// Whether the credentials are still good at `now` for at least `margin`.
    pub fn is_fresh(&self, now: DateTime<Utc>, margin: std::time::Duration) -> bool {
        let margin = chrono::Duration::from_std(margin).unwrap_or(chrono::Duration::MAX);
        now.checked_add_signed(margin)
            .is_some_and(|deadline| deadline < self.expiration)
    }

    /// The JSON a `credential_process` command prints:
    /// `{"Version":1,"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":"<RFC 3339 UTC>"}`.
    /// Wiped when dropped (it holds the secret).
    pub fn to_credential_process_json(&self) -> Zeroizing<String> {
        // Built by hand in one buffer: serde_json's `Value` would leave
        // unwiped copies of the secret behind.
        let mut out = Zeroizing::new(String::with_capacity(
            128 + self.access_key_id.len()
                + 2 * (self.secret_access_key.len() + self.session_token.len()),
        ));
        out.push_str("{\"Version\":1,\"AccessKeyId\":");
        push_json_string(&mut out, &self.access_key_id);
        out.push_str(",\"SecretAccessKey\":");
        push_json_string(&mut out, &self.secret_access_key);
        out.push_str(",\"SessionToken\":");
        push_json_string(&mut out, &self.session_token);
        out.push_str(",\"Expiration\":\"");
        out.push_str(&self.expiration.to_rfc3339_opts(SecondsFormat::Secs, true));
        out.push_str("\"}");
        out
    }

    /// Reads `credential_process` JSON (as written by
    /// [`to_credential_process_json`](Self::to_credential_process_json);
    /// unknown fields ignored, `IdentityId` kept).
    pub fn from_credential_process_json(json: &str) -> Result<Self, CredentialProcessError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Process {
            version: u32,
            access_key_id: String,
            secret_access_key: String,
            session_token: String,
            expiration: String,
            #[serde(default)]
            identity_id: Option<String>,
        }
        let parsed: Process =
            serde_json::from_str(json).map_err(|_| CredentialProcessError::InvalidJson)?;
        let secret_access_key = Zeroizing::new(parsed.secret_access_key);
        let session_token = Zeroizing::new(parsed.session_token);
        if parsed.version != 1 {
            return Err(CredentialProcessError::InvalidJson);
        }
        if parsed.access_key_id.is_empty()
            || secret_access_key.is_empty()
            || session_token.is_empty()
        {
            return Err(CredentialProcessError::MissingField);
        }
        let expiration = DateTime::parse_from_rfc3339(&parsed.expiration)
            .map_err(|_| CredentialProcessError::InvalidExpiration)?
            .with_timezone(&Utc);
        Ok(Self {
            access_key_id: parsed.access_key_id,
            secret_access_key,
            session_token,
            expiration,
            identity_id: parsed.identity_id,
        })
    }
}

/// An epoch time in seconds (possibly fractional) as a UTC time.
fn epoch_time(seconds: f64) -> Option<DateTime<Utc>> {
    if !seconds.is_finite() || !(0.0..=253_402_300_799.0).contains(&seconds) {
        return None;
    }
    let whole = seconds.trunc();
    let nanos = ((seconds - whole) * 1e9).round().clamp(0.0, 999_999_999.0);
    // In range: checked above.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    DateTime::from_timestamp(whole as i64, nanos as u32)
}

/// `text` as a JSON string literal, appended to `out`.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[redacted]")
            .field("session_token", &"[redacted]")
            .field("expiration", &self.expiration)
            .field("identity_id", &self.identity_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AwsCredentials {
        AwsCredentials::new(
            "ASIAEXAMPLEEXAMPLE00",
            "se\"cret/+",
            "token==",
            DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        )
    }

    #[test]
    fn credential_process_json_round_trips() {
        let credentials = sample();
        let json = credentials.to_credential_process_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["Version"], 1);
        assert_eq!(value["AccessKeyId"], "ASIAEXAMPLEEXAMPLE00");
        assert_eq!(value["SecretAccessKey"], "se\"cret/+");
        assert_eq!(value["SessionToken"], "token==");
        assert_eq!(value["Expiration"], "2027-01-15T08:00:00Z");
        let back = AwsCredentials::from_credential_process_json(&json).unwrap();
        assert_eq!(back.secret_access_key(), "se\"cret/+");
        assert_eq!(back.expiration(), credentials.expiration());
        let shown = format!("{back:?}");
        assert!(
            !shown.contains("cret/+") && !shown.contains("token=="),
            "{shown}"
        );
    }

    #[test]
    fn freshness_and_wire_expiration() {
        let credentials = sample();
        let margin = std::time::Duration::from_secs(300);
        let before = DateTime::from_timestamp(1_800_000_000 - 301, 0).unwrap();
        let late = DateTime::from_timestamp(1_800_000_000 - 299, 0).unwrap();
        assert!(credentials.is_fresh(before, margin));
        assert!(!credentials.is_fresh(late, margin));
        let mut wire = IdentityCredentials::default();
        wire.access_key_id = "ASIA".into();
        wire.secret_key = "s".into();
        wire.session_token = "t".into();
        wire.expiration = Some(1.7000000055e9);
        let parsed = AwsCredentials::from_wire(&wire).unwrap();
        assert_eq!(parsed.expiration().timestamp(), 1_700_000_005);
        assert_eq!(parsed.expiration().timestamp_subsec_millis(), 500);
        wire.expiration = Some(f64::NAN);
        assert_eq!(
            AwsCredentials::from_wire(&wire).err(),
            Some(CredentialProcessError::InvalidExpiration)
        );
        wire.expiration = None;
        assert_eq!(
            AwsCredentials::from_wire(&wire).err(),
            Some(CredentialProcessError::MissingField)
        );
    }
}
