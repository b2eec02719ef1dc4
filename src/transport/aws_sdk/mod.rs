//! [`AwsSdkTransport`]: the flow over a caller's
//! `aws_sdk_cognitoidentityprovider::Client`.
//!
//! The crate never builds the SDK client (and does not depend on `aws-config`):
//! the caller configures region, endpoint, HTTP client, retries and timeouts
//! as for any other SDK use, and hands the client over.

mod sign_out;

use std::any::Any;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::RequestId;
use aws_sdk_cognitoidentityprovider::types::{
    AnalyticsMetadataType, AuthFlowType, AuthenticationResultType, ChallengeNameType,
    DeviceRememberedStatusType, DeviceSecretVerifierConfigType, NewDeviceMetadataType,
    UserContextDataType, VerifySoftwareTokenResponseType,
};

use super::Transport;
use super::error::{MalformedProblem, TransportError};
use crate::wire::{
    self, AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, AuthenticationResult,
    ChallengeName, CognitoOperation, ConfirmDeviceRequest, ConfirmDeviceResponse,
    DeviceRememberedStatus, EmptyResponse, ForgetDeviceRequest, InitiateAuthRequest,
    InitiateAuthResponse, NewDeviceMetadata, Operation, RespondToAuthChallengeRequest,
    RespondToAuthChallengeResponse, UpdateDeviceStatusRequest, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse, VerifySoftwareTokenStatus, op,
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
    E: ProvideErrorMetadata + RequestId + StdError + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    let service = error.as_service_error().and_then(|e| {
        Some((
            e.code().filter(|c| !c.is_empty())?,
            e.message(),
            e.request_id(),
        ))
    });
    if let Some((code, message, request_id)) = service {
        return TransportError::service(
            operation,
            wire::strip_error_code(code),
            message.unwrap_or_default(),
            request_id,
        );
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
    challenge_parameters: Option<&std::collections::HashMap<String, String>>,
    result: Option<&AuthenticationResultType>,
    available: &[ChallengeNameType],
) -> InitiateAuthResponse {
    InitiateAuthResponse {
        challenge_name: challenge_name.map(self::challenge_name),
        session: session.map(str::to_owned),
        challenge_parameters: challenge_parameters.map(|p| p.clone().into_iter().collect()),
        authentication_result: result.map(authentication_result),
        available_challenges: if available.is_empty() {
            None
        } else {
            Some(available.iter().map(self::challenge_name).collect())
        },
    }
}

/// `value` as a `B` when `A` and `B` are the same type (the operation the
/// generic [`Transport::call`] was asked for is the one matched).
fn cast<A: 'static, B: 'static>(value: A) -> Option<B> {
    let mut slot = Some(value);
    (&mut slot as &mut dyn Any)
        .downcast_mut::<Option<B>>()
        .and_then(Option::take)
}

/// Runs `Known`'s SDK call for `Op` when they are the same operation.
async fn run<Op, Known, Fut>(
    request: Op::Request,
    send: impl FnOnce(Known::Request) -> Fut,
) -> Result<Op::Response, TransportError>
where
    Op: CognitoOperation,
    Known: CognitoOperation,
    Fut: Future<Output = Result<Known::Response, TransportError>>,
{
    let mismatch = || TransportError::Request {
        operation: Op::OPERATION,
        source: Some("the operation's types do not match its name".into()),
    };
    let request = cast::<Op::Request, Known::Request>(request).ok_or_else(mismatch)?;
    cast::<Known::Response, Op::Response>(send(request).await?).ok_or_else(mismatch)
}

/// One line per operation: its name, its marker type and the SDK call.
impl Transport for AwsSdkTransport {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        use Operation as O;
        match Op::OPERATION {
            O::InitiateAuth => {
                run::<Op, op::InitiateAuth, _>(request, |r| self.initiate_auth_sdk(r)).await
            }
            O::RespondToAuthChallenge => {
                run::<Op, op::RespondToAuthChallenge, _>(request, |r| self.respond_sdk(r)).await
            }
            O::AssociateSoftwareToken => {
                run::<Op, op::AssociateSoftwareToken, _>(request, |r| self.associate_sdk(r)).await
            }
            O::VerifySoftwareToken => {
                run::<Op, op::VerifySoftwareToken, _>(request, |r| self.verify_sdk(r)).await
            }
            O::ConfirmDevice => {
                run::<Op, op::ConfirmDevice, _>(request, |r| self.confirm_device_sdk(r)).await
            }
            O::UpdateDeviceStatus => {
                run::<Op, op::UpdateDeviceStatus, _>(request, |r| self.update_device_status_sdk(r))
                    .await
            }
            O::ForgetDevice => {
                run::<Op, op::ForgetDevice, _>(request, |r| self.forget_device_sdk(r)).await
            }
            O::GetTokensFromRefreshToken => {
                run::<Op, op::GetTokensFromRefreshToken, _>(request, |r| self.get_tokens_sdk(r))
                    .await
            }
            O::RevokeToken => {
                run::<Op, op::RevokeToken, _>(request, |r| self.revoke_token_sdk(r)).await
            }
            O::GlobalSignOut => {
                run::<Op, op::GlobalSignOut, _>(request, |r| self.global_sign_out_sdk(r)).await
            }
            O::GetUser => run::<Op, op::GetUser, _>(request, |r| self.get_user_sdk(r)).await,
            operation => Err(TransportError::Request {
                operation,
                source: Some("the aws-sdk transport does not carry this operation".into()),
            }),
        }
    }
}

impl AwsSdkTransport {
    async fn initiate_auth_sdk(
        &self,
        request: InitiateAuthRequest,
    ) -> Result<InitiateAuthResponse, TransportError> {
        let output = self
            .client
            .initiate_auth()
            .set_auth_flow(request.auth_flow.map(|f| AuthFlowType::from(f.as_str())))
            .set_auth_parameters(request.auth_parameters.map(|p| p.into_iter().collect()))
            .set_client_metadata(request.client_metadata.map(|p| p.into_iter().collect()))
            .client_id(request.client_id)
            .set_session(request.session)
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

    async fn respond_sdk(
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
            .set_challenge_responses(request.challenge_responses.map(|p| p.into_iter().collect()))
            .set_client_metadata(request.client_metadata.map(|p| p.into_iter().collect()))
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

    async fn associate_sdk(
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

    async fn verify_sdk(
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

    async fn confirm_device_sdk(
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

    async fn update_device_status_sdk(
        &self,
        request: UpdateDeviceStatusRequest,
    ) -> Result<EmptyResponse, TransportError> {
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
        Ok(EmptyResponse {})
    }

    async fn forget_device_sdk(
        &self,
        request: ForgetDeviceRequest,
    ) -> Result<EmptyResponse, TransportError> {
        self.client
            .forget_device()
            .set_access_token(request.access_token)
            .device_key(request.device_key)
            .send()
            .await
            .map_err(|e| map_error(Operation::ForgetDevice, e))?;
        Ok(EmptyResponse {})
    }
}
