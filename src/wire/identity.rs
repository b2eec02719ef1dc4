//! Cognito Identity (identity pools): `GetId` and `GetCredentialsForIdentity`.
//!
//! The same AWS JSON 1.1 protocol as the user-pool operations, on another
//! endpoint (`https://cognito-identity.<region>.amazonaws.com/`) with another
//! target prefix ([`IDENTITY_TARGET_PREFIX`]). Errors have the same body
//! ([`AwsErrorBody`](super::AwsErrorBody)).
//!
//! `Logins` maps a provider name to a token (for a user pool,
//! `cognito-idp.<region>.amazonaws.com/<user pool id>` → the ID token), so
//! `Debug` shows its keys only; the secret key and the session token of
//! [`IdentityCredentials`] are redacted and wiped on drop.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::ParameterMap;
use super::redact::KeysOnly;

/// The prefix of `X-Amz-Target` for Cognito Identity:
/// `AWSCognitoIdentityService.<Operation>`.
pub const IDENTITY_TARGET_PREFIX: &str = "AWSCognitoIdentityService.";

/// The body of `GetId`: the identity id of the user the `Logins` prove (a
/// new one on the user's first call).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetIdRequest {
    /// `AccountId`: the AWS account, optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `IdentityPoolId`: `<region>:<uuid>`.
    pub identity_pool_id: String,
    /// `Logins`: provider name → token. Absent for an unauthenticated identity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logins: Option<ParameterMap>,
}

impl GetIdRequest {
    /// `GetId` in `identity_pool_id` with `logins`.
    pub fn new(identity_pool_id: impl Into<String>, logins: ParameterMap) -> Self {
        Self {
            account_id: None,
            identity_pool_id: identity_pool_id.into(),
            logins: Some(logins),
        }
    }
}

impl fmt::Debug for GetIdRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetIdRequest")
            .field("account_id", &self.account_id)
            .field("identity_pool_id", &self.identity_pool_id)
            .field("logins", &KeysOnly(&self.logins))
            .finish()
    }
}

/// The response of `GetId`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetIdResponse {
    /// `IdentityId`: `<region>:<uuid>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_id: Option<String>,
}

/// The body of `GetCredentialsForIdentity`: temporary AWS credentials for an
/// identity, proven by the same `Logins` as `GetId`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetCredentialsForIdentityRequest {
    /// `CustomRoleArn`: a role among those the token's rules allow, optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
    /// `IdentityId`: from `GetId`.
    pub identity_id: String,
    /// `Logins`: provider name → token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logins: Option<ParameterMap>,
}

impl GetCredentialsForIdentityRequest {
    /// Credentials for `identity_id`, proven by `logins`.
    pub fn new(identity_id: impl Into<String>, logins: ParameterMap) -> Self {
        Self {
            custom_role_arn: None,
            identity_id: identity_id.into(),
            logins: Some(logins),
        }
    }
}

impl fmt::Debug for GetCredentialsForIdentityRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetCredentialsForIdentityRequest")
            .field("custom_role_arn", &self.custom_role_arn)
            .field("identity_id", &self.identity_id)
            .field("logins", &KeysOnly(&self.logins))
            .finish()
    }
}

/// The response of `GetCredentialsForIdentity`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetCredentialsForIdentityResponse {
    /// `Credentials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<IdentityCredentials>,
    /// `IdentityId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_id: Option<String>,
}

/// `Credentials` of `GetCredentialsForIdentity`: temporary AWS credentials.
///
/// `Debug` shows the access key id and the expiry only; the secret key and
/// the session token are wiped when the value is dropped.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct IdentityCredentials {
    /// `AccessKeyId` (`ASIA…`).
    #[serde(default)]
    pub access_key_id: String,
    /// `Expiration`: seconds since the Unix epoch, a JSON number that may
    /// have a fraction (`1.7e9` in Cognito's answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<f64>,
    /// `SecretKey`.
    #[serde(default)]
    pub secret_key: String,
    /// `SessionToken`.
    #[serde(default)]
    pub session_token: String,
}

impl fmt::Debug for IdentityCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("expiration", &self.expiration)
            .field("secret_key", &"[redacted]")
            .field("session_token", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_serialise_with_sorted_keys_and_debug_hides_tokens() {
        let logins: ParameterMap = [(
            "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc".to_owned(),
            "eyJsecret".to_owned(),
        )]
        .into_iter()
        .collect();
        let request = GetIdRequest::new("eu-west-1:1234", logins.clone());
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            r#"{"IdentityPoolId":"eu-west-1:1234","Logins":{"cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc":"eyJsecret"}}"#
        );
        let request = GetCredentialsForIdentityRequest::new("eu-west-1:5678", logins);
        assert!(!format!("{request:?}").contains("eyJsecret"));
        assert!(format!("{request:?}").contains("eu-west-1_abc"));
    }

    #[test]
    fn credentials_parse_a_fractional_expiration_and_debug_hides_secrets() {
        let body = r#"{"Credentials":{"AccessKeyId":"ASIAEXAMPLE","Expiration":1.7000000055E9,
            "SecretKey":"s3cr3t","SessionToken":"t0ken"},"IdentityId":"us-east-1:x","Other":1}"#;
        let response: GetCredentialsForIdentityResponse = serde_json::from_str(body).unwrap();
        let credentials = response.credentials.clone().unwrap();
        assert_eq!(credentials.access_key_id, "ASIAEXAMPLE");
        assert_eq!(credentials.expiration, Some(1_700_000_005.5));
        let shown = format!("{response:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("t0ken"),
            "{shown}"
        );
        assert!(shown.contains("ASIAEXAMPLE"));
    }
}
