//! [`AwsSdkTransport`]: the flow over a caller's
//! `aws_sdk_cognitoidentityprovider::Client`.
//!
//! The crate never builds the SDK client (and does not depend on `aws-config`):
//! the caller configures region, endpoint, HTTP client, retries and timeouts
//! as for any other SDK use, and hands the client over.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::types::{
    AnalyticsMetadataType, AuthFlowType, AuthenticationResultType, ChallengeNameType,
    DeviceRememberedStatusType, DeviceSecretVerifierConfigType, NewDeviceMetadataType,
    UserContextDataType, VerifySoftwareTokenResponseType,
};

use super::Transport;
use super::error::{MalformedProblem, TransportError};
use crate::wire::{
    self, AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, AuthenticationResult,
    ChallengeName, ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceRememberedStatus,
    ForgetDeviceRequest, InitiateAuthRequest, InitiateAuthResponse, NewDeviceMetadata, Operation,
    RespondToAuthChallengeRequest, RespondToAuthChallengeResponse, UpdateDeviceStatusRequest,
    VerifySoftwareTokenRequest, VerifySoftwareTokenResponse, VerifySoftwareTokenStatus,
};

/// A [`Transport`] over the AWS SDK for Rust.
///
/// ```no_run
/// # async fn demo(sdk: aws_sdk_cognitoidentityprovider::Client) {
/// use cognito_srp_auth::transport::AwsSdkTransport;
/// let transport = AwsSdkTransport::new(sdk);
/// # }
/// ```
///
/// SDK errors map to the same [`TransportError`] kinds as the `http`
/// transport: service errors by their code, timeouts, connection failures;
/// the SDK's own error stays reachable through `source()`.
#[derive(Clone)]
pub struct AwsSdkTransport {
    client: Client,
}

impl fmt::Debug for AwsSdkTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AwsSdkTransport { .. }")
    }
}

impl AwsSdkTransport {
    /// Wraps the caller's SDK client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// The wrapped SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

fn map_error<E, R>(operation: Operation, error: SdkError<E, R>) -> TransportError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    let service = error
        .as_service_error()
        .and_then(|e| Some((e.code().filter(|c| !c.is_empty())?, e.message())));
    if let Some((code, message)) = service {
        return TransportError::service(wire::strip_error_code(code), message.unwrap_or_default());
    }
    match &error {
        SdkError::TimeoutError(_) => TransportError::Timeout {
            operation,
            source: Some(Box::new(error)),
        },
        SdkError::DispatchFailure(failure) if failure.is_timeout() => TransportError::Timeout {
            operation,
            source: Some(Box::new(error)),
        },
        SdkError::DispatchFailure(failure) if failure.is_io() => TransportError::Connect {
            operation,
            source: Some(Box::new(error)),
        },
        SdkError::DispatchFailure(failure) if failure.is_user() => TransportError::Request {
            operation,
            source: Some(Box::new(error)),
        },
        SdkError::DispatchFailure(_) => TransportError::Interrupted {
            operation,
            source: Some(Box::new(error)),
        },
        SdkError::ConstructionFailure(_) => TransportError::Request {
            operation,
            source: Some(Box::new(error)),
        },
        SdkError::ServiceError(_) => TransportError::MalformedResponse {
            operation,
            status: 0,
            problem: MalformedProblem::NoErrorCode,
            source: Some(Box::new(error)),
        },
        _ => TransportError::MalformedResponse {
            operation,
            status: 0,
            problem: MalformedProblem::Unparseable,
            source: Some(Box::new(error)),
        },
    }
}

fn analytics(value: Option<wire::AnalyticsMetadata>) -> Option<AnalyticsMetadataType> {
    value.map(|v| {
        AnalyticsMetadataType::builder()
            .set_analytics_endpoint_id(v.analytics_endpoint_id)
            .build()
    })
}

fn user_context(value: Option<wire::UserContextData>) -> Option<UserContextDataType> {
    value.map(|v| {
        UserContextDataType::builder()
            .set_ip_address(v.ip_address)
            .set_encoded_data(v.encoded_data)
            .build()
    })
}

fn challenge_name(name: &ChallengeNameType) -> ChallengeName {
    ChallengeName::from_wire(name.as_str())
}

fn authentication_result(result: &AuthenticationResultType) -> AuthenticationResult {
    AuthenticationResult {
        access_token: result.access_token().map(str::to_owned),
        expires_in: result.authentication_result_expires_in(),
        token_type: result.token_type().map(str::to_owned),
        refresh_token: result.refresh_token().map(str::to_owned),
        id_token: result.id_token().map(str::to_owned),
        new_device_metadata: result.new_device_metadata().map(new_device_metadata),
    }
}

/// `ExpiresIn` is a plain `i32` in the SDK (0 when absent).
trait ExpiresIn {
    fn authentication_result_expires_in(&self) -> Option<i64>;
}

impl ExpiresIn for AuthenticationResultType {
    fn authentication_result_expires_in(&self) -> Option<i64> {
        Some(i64::from(self.expires_in())).filter(|&s| s > 0)
    }
}

fn new_device_metadata(value: &NewDeviceMetadataType) -> NewDeviceMetadata {
    NewDeviceMetadata {
        device_key: value.device_key().map(str::to_owned),
        device_group_key: value.device_group_key().map(str::to_owned),
    }
}

fn auth_response(
    challenge_name: Option<&ChallengeNameType>,
    session: Option<&str>,
    challenge_parameters: Option<&HashMap<String, String>>,
    result: Option<&AuthenticationResultType>,
    available: &[ChallengeNameType],
) -> InitiateAuthResponse {
    InitiateAuthResponse {
        challenge_name: challenge_name.map(self::challenge_name),
        session: session.map(str::to_owned),
        challenge_parameters: challenge_parameters.cloned(),
        authentication_result: result.map(authentication_result),
        available_challenges: if available.is_empty() {
            None
        } else {
            Some(available.iter().map(self::challenge_name).collect())
        },
    }
}

impl Transport for AwsSdkTransport {
    async fn initiate_auth(
        &self,
        request: InitiateAuthRequest,
    ) -> Result<InitiateAuthResponse, TransportError> {
        let output = self
            .client
            .initiate_auth()
            .set_auth_flow(request.auth_flow.map(|f| AuthFlowType::from(f.as_str())))
            .set_auth_parameters(request.auth_parameters)
            .set_client_metadata(request.client_metadata)
            .client_id(request.client_id)
            .set_analytics_metadata(analytics(request.analytics_metadata))
            .set_user_context_data(user_context(request.user_context_data))
            .send()
            .await
            .map_err(|e| map_error(Operation::InitiateAuth, e))?;
        Ok(auth_response(
            output.challenge_name(),
            output.session(),
            output.challenge_parameters(),
            output.authentication_result(),
            output.available_challenges(),
        ))
    }

    async fn respond_to_auth_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> Result<RespondToAuthChallengeResponse, TransportError> {
        let output = self
            .client
            .respond_to_auth_challenge()
            .client_id(request.client_id)
            .set_challenge_name(
                request
                    .challenge_name
                    .map(|n| ChallengeNameType::from(n.as_str())),
            )
            .set_session(request.session)
            .set_challenge_responses(request.challenge_responses)
            .set_client_metadata(request.client_metadata)
            .set_analytics_metadata(analytics(request.analytics_metadata))
            .set_user_context_data(user_context(request.user_context_data))
            .send()
            .await
            .map_err(|e| map_error(Operation::RespondToAuthChallenge, e))?;
        Ok(auth_response(
            output.challenge_name(),
            output.session(),
            output.challenge_parameters(),
            output.authentication_result(),
            &[],
        ))
    }

    async fn associate_software_token(
        &self,
        request: AssociateSoftwareTokenRequest,
    ) -> Result<AssociateSoftwareTokenResponse, TransportError> {
        let output = self
            .client
            .associate_software_token()
            .set_access_token(request.access_token)
            .set_session(request.session)
            .send()
            .await
            .map_err(|e| map_error(Operation::AssociateSoftwareToken, e))?;
        Ok(AssociateSoftwareTokenResponse {
            secret_code: output.secret_code().map(str::to_owned),
            session: output.session().map(str::to_owned),
        })
    }

    async fn verify_software_token(
        &self,
        request: VerifySoftwareTokenRequest,
    ) -> Result<VerifySoftwareTokenResponse, TransportError> {
        let output = self
            .client
            .verify_software_token()
            .set_access_token(request.access_token)
            .set_session(request.session)
            .user_code(request.user_code)
            .set_friendly_device_name(request.friendly_device_name)
            .send()
            .await
            .map_err(|e| map_error(Operation::VerifySoftwareToken, e))?;
        let status = match output.status() {
            Some(VerifySoftwareTokenResponseType::Success) => {
                Some(VerifySoftwareTokenStatus::Success)
            }
            Some(_) => Some(VerifySoftwareTokenStatus::Error),
            None => None,
        };
        Ok(VerifySoftwareTokenResponse {
            status,
            session: output.session().map(str::to_owned),
        })
    }

    async fn confirm_device(
        &self,
        request: ConfirmDeviceRequest,
    ) -> Result<ConfirmDeviceResponse, TransportError> {
        let verifier = request.device_secret_verifier_config.map(|v| {
            DeviceSecretVerifierConfigType::builder()
                .set_password_verifier(v.password_verifier)
                .set_salt(v.salt)
                .build()
        });
        let output = self
            .client
            .confirm_device()
            .access_token(request.access_token)
            .device_key(request.device_key)
            .set_device_secret_verifier_config(verifier)
            .set_device_name(request.device_name)
            .send()
            .await
            .map_err(|e| map_error(Operation::ConfirmDevice, e))?;
        Ok(ConfirmDeviceResponse {
            user_confirmation_necessary: output.user_confirmation_necessary(),
        })
    }

    async fn update_device_status(
        &self,
        request: UpdateDeviceStatusRequest,
    ) -> Result<(), TransportError> {
        let status = match request.device_remembered_status {
            DeviceRememberedStatus::Remembered => DeviceRememberedStatusType::Remembered,
            DeviceRememberedStatus::NotRemembered => DeviceRememberedStatusType::NotRemembered,
        };
        self.client
            .update_device_status()
            .access_token(request.access_token)
            .device_key(request.device_key)
            .device_remembered_status(status)
            .send()
            .await
            .map_err(|e| map_error(Operation::UpdateDeviceStatus, e))?;
        Ok(())
    }

    async fn forget_device(&self, request: ForgetDeviceRequest) -> Result<(), TransportError> {
        self.client
            .forget_device()
            .set_access_token(request.access_token)
            .device_key(request.device_key)
            .send()
            .await
            .map_err(|e| map_error(Operation::ForgetDevice, e))?;
        Ok(())
    }
}
