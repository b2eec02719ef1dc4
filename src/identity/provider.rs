//! [`IdentityPoolCredentialsProvider`]: the AWS SDK for Rust's
//! `ProvideCredentials` over an identity pool (feature `aws-credentials`).

use std::fmt;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, future};
use chrono::Utc;

use super::{AwsCredentials, CredentialsCache, IdTokenSource, IdentityPoolClient};
use crate::srp::UserPoolId;

/// The provider name the SDK records on the credentials.
const PROVIDER_NAME: &str = "CognitoIdentityPool";

/// Credentials for an `aws-sdk-*` client as a Cognito user: an ID token from
/// `source`, exchanged at `identity_pool_id` (`GetId` once, then
/// `GetCredentialsForIdentity`), reused until [`REFRESH_MARGIN`](super::REFRESH_MARGIN)
/// before expiry.
///
/// ```no_run
/// # fn demo(id_token: String) -> Result<(), Box<dyn std::error::Error>> {
/// use cognito_srp_auth::UserPoolId;
/// use cognito_srp_auth::identity::{IdentityPoolClient, IdentityPoolCredentialsProvider, StaticIdToken};
/// let user_pool = UserPoolId::parse("eu-west-1_AbCdEf123")?;
/// let provider = IdentityPoolCredentialsProvider::new(
///     IdentityPoolClient::for_region("eu-west-1")?,
///     "eu-west-1:0f0e0d0c-0000-4000-8000-000000000000",
///     user_pool,
///     StaticIdToken::new(id_token),
/// );
/// // aws_config::defaults(..).credentials_provider(provider) or
/// // aws_sdk_s3::config::Builder::new().credentials_provider(provider)
/// # let _ = provider; Ok(()) }
/// ```
pub struct IdentityPoolCredentialsProvider<S> {
    client: IdentityPoolClient,
    identity_pool_id: String,
    user_pool_id: UserPoolId,
    source: S,
    cache: CredentialsCache,
    identity_id: std::sync::Mutex<Option<String>>,
}

impl<S: IdTokenSource> IdentityPoolCredentialsProvider<S> {
    /// A provider for `identity_pool_id`, whose tokens come from `source`
    /// (ID tokens of `user_pool_id`).
    pub fn new(
        client: IdentityPoolClient,
        identity_pool_id: impl Into<String>,
        user_pool_id: UserPoolId,
        source: S,
    ) -> Self {
        Self {
            client,
            identity_pool_id: identity_pool_id.into(),
            user_pool_id,
            source,
            cache: CredentialsCache::default(),
            identity_id: std::sync::Mutex::new(None),
        }
    }

    /// The credentials: the cached ones while fresh, else new ones.
    pub async fn aws_credentials(
        &self,
    ) -> Result<AwsCredentials, Box<dyn std::error::Error + Send + Sync>> {
        if let Some(credentials) = self.cache.get(Utc::now()) {
            return Ok(credentials);
        }
        let id_token = self.source.id_token().await?;
        let known = self
            .identity_id
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let identity_id = match known {
            Some(id) => id,
            None => {
                let id = self
                    .client
                    .identity_id(&self.identity_pool_id, &self.user_pool_id, &id_token)
                    .await?;
                *self.identity_id.lock().unwrap_or_else(|e| e.into_inner()) = Some(id.clone());
                id
            }
        };
        let credentials = self
            .client
            .credentials_for_identity(&identity_id, &self.user_pool_id, &id_token)
            .await?;
        self.cache.store(credentials.clone());
        Ok(credentials)
    }
}

/// The SDK's credentials type for `credentials`.
fn to_sdk(credentials: &AwsCredentials) -> Credentials {
    Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        Some(credentials.session_token().to_owned()),
        Some(SystemTime::from(credentials.expiration())),
        PROVIDER_NAME,
    )
}

impl<S: IdTokenSource> ProvideCredentials for IdentityPoolCredentialsProvider<S> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.aws_credentials()
                .await
                .map(|credentials| to_sdk(&credentials))
                .map_err(CredentialsError::provider_error)
        })
    }
}

impl<S: fmt::Debug> fmt::Debug for IdentityPoolCredentialsProvider<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityPoolCredentialsProvider")
            .field("endpoint", &self.client.endpoint())
            .field("identity_pool_id", &self.identity_pool_id)
            .field("user_pool_id", &self.user_pool_id)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}
