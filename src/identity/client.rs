//! [`IdentityPoolClient`]: Cognito Identity's `GetId` and
//! `GetCredentialsForIdentity` over HTTP.

use crate::srp::UserPoolId;
use crate::transport::{HttpTransport, HttpTransportBuilder, MalformedProblem, TransportError};
use crate::wire::{
    GetCredentialsForIdentityRequest, GetCredentialsForIdentityResponse, GetIdRequest,
    GetIdResponse, IDENTITY_TARGET_PREFIX, Operation,
};

use super::credentials::AwsCredentials;
use super::logins::{identity_pool_region, logins_map};

/// Cognito Identity over HTTPS: `POST https://cognito-identity.<region>.amazonaws.com/`
/// with `X-Amz-Target: AWSCognitoIdentityService.<Operation>`, unsigned
/// (`GetId` and `GetCredentialsForIdentity` are public: the `Logins` token
/// authenticates them).
///
/// Built from an [`HttpTransportBuilder`], so it has the same connect
/// timeout, total deadline, response-size limit, bounded retries and typed
/// [`TransportError`]s as the user-pool transport.
///
/// ```no_run
/// # async fn demo(id_token: &str) -> Result<(), cognito_srp_auth::transport::TransportError> {
/// use cognito_srp_auth::UserPoolId;
/// use cognito_srp_auth::identity::IdentityPoolClient;
/// let user_pool = UserPoolId::parse("eu-west-1_AbCdEf123").expect("a pool id");
/// let client = IdentityPoolClient::for_region("eu-west-1")?;
/// let credentials = client
///     .credentials("eu-west-1:0f0e0d0c-0000-4000-8000-000000000000", &user_pool, id_token)
///     .await?;
/// println!("{}", credentials.access_key_id());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct IdentityPoolClient {
    transport: HttpTransport,
}

impl IdentityPoolClient {
    /// The client for `region`'s Cognito Identity endpoint, default limits.
    pub fn for_region(region: &str) -> Result<Self, TransportError> {
        Self::from_builder(HttpTransport::builder().region(region))
    }

    /// The client for the region of `identity_pool_id` (`<region>:<uuid>`).
    pub fn for_identity_pool(identity_pool_id: &str) -> Result<Self, TransportError> {
        let region =
            identity_pool_region(identity_pool_id).ok_or(TransportError::InvalidEndpoint)?;
        Self::for_region(region)
    }

    /// A client from a transport builder: its endpoint override (a local
    /// pool, moto, a VPC endpoint) or its region, which resolves to
    /// `https://cognito-identity.<region>.amazonaws.com/` here, and its limits.
    pub fn from_builder(builder: HttpTransportBuilder) -> Result<Self, TransportError> {
        Ok(Self {
            transport: builder.build_for_service("cognito-identity")?,
        })
    }

    /// The URL requests are posted to.
    pub fn endpoint(&self) -> &str {
        self.transport.endpoint()
    }

    /// `GetId`.
    pub async fn get_id(&self, request: &GetIdRequest) -> Result<GetIdResponse, TransportError> {
        self.transport
            .send_with_prefix(IDENTITY_TARGET_PREFIX, Operation::GetId, request)
            .await
    }

    /// `GetCredentialsForIdentity`.
    pub async fn get_credentials_for_identity(
        &self,
        request: &GetCredentialsForIdentityRequest,
    ) -> Result<GetCredentialsForIdentityResponse, TransportError> {
        self.transport
            .send_with_prefix(
                IDENTITY_TARGET_PREFIX,
                Operation::GetCredentialsForIdentity,
                request,
            )
            .await
    }

    /// The identity id of the user whose ID token (of `user_pool_id`) is
    /// `id_token`, in `identity_pool_id`: `GetId` with
    /// `Logins = {"cognito-idp.<region>.amazonaws.com/<user pool id>": id_token}`.
    pub async fn identity_id(
        &self,
        identity_pool_id: &str,
        user_pool_id: &UserPoolId,
        id_token: &str,
    ) -> Result<String, TransportError> {
        let request = GetIdRequest::new(identity_pool_id, logins_map(user_pool_id, id_token));
        self.get_id(&request)
            .await?
            .identity_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| missing(Operation::GetId))
    }

    /// Credentials for `identity_id` with the same `Logins`.
    pub async fn credentials_for_identity(
        &self,
        identity_id: &str,
        user_pool_id: &UserPoolId,
        id_token: &str,
    ) -> Result<AwsCredentials, TransportError> {
        let request =
            GetCredentialsForIdentityRequest::new(identity_id, logins_map(user_pool_id, id_token));
        let response = self.get_credentials_for_identity(&request).await?;
        let operation = Operation::GetCredentialsForIdentity;
        let wire = response
            .credentials
            .as_ref()
            .ok_or_else(|| missing(operation.clone()))?;
        let credentials =
            AwsCredentials::from_wire(wire).map_err(|error| TransportError::MalformedResponse {
                operation,
                status: 200,
                problem: MalformedProblem::MissingField,
                source: Some(Box::new(error)),
            })?;
        let identity = response
            .identity_id
            .clone()
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| identity_id.to_owned());
        Ok(credentials.with_identity_id(identity))
    }

    /// `GetId` then `GetCredentialsForIdentity`: temporary AWS credentials
    /// for the signed-in user.
    pub async fn credentials(
        &self,
        identity_pool_id: &str,
        user_pool_id: &UserPoolId,
        id_token: &str,
    ) -> Result<AwsCredentials, TransportError> {
        let identity_id = self
            .identity_id(identity_pool_id, user_pool_id, id_token)
            .await?;
        self.credentials_for_identity(&identity_id, user_pool_id, id_token)
            .await
    }
}

fn missing(operation: Operation) -> TransportError {
    TransportError::MalformedResponse {
        operation,
        status: 200,
        problem: MalformedProblem::MissingField,
        source: None,
    }
}
