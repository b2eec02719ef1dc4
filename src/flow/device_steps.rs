//! Device steps of the flow: answering `DEVICE_SRP_AUTH` →
//! `DEVICE_PASSWORD_VERIFIER` for a remembered device, confirming a new one
//! after a login (`ConfirmDevice`, `UpdateDeviceStatus`), and
//! [`forget_device`](CognitoClient::forget_device).

use tracing::Instrument;

use super::client::{CognitoClient, LoginOutcome};
use super::device::{DeviceContext, Failure, Step, at};
use super::error::FlowError;
use super::options::{RememberDevice, RequestMetadata};
use super::rules;
use super::tokens::Tokens;
use crate::srp::{CognitoTimestamp, DeviceCredentials, DeviceSrpStart, PasswordVerifierChallenge};
use crate::transport::Transport;
use crate::wire::{
    ChallengeName, ConfirmDeviceRequest, DeviceRememberedStatus, DeviceSecretVerifierConfigType,
    ForgetDeviceRequest, InitiateAuthResponse, Operation, UpdateDeviceStatusRequest,
};

impl<T: Transport> CognitoClient<T> {
    /// Tokens or the next challenge of `response` (to `operation`); a
    /// `DEVICE_SRP_AUTH` is answered with the device in play, after any step
    /// (password, MFA, new password, custom challenge, first factor).
    pub(super) async fn advance(
        &self,
        operation: Operation,
        response: InitiateAuthResponse,
        known: &str,
        device: &DeviceContext,
        metadata: &RequestMetadata,
    ) -> Result<LoginOutcome, Failure> {
        match (&response.challenge_name, &device.credentials) {
            (Some(ChallengeName::DeviceSrpAuth), Some(credentials))
                if response.authentication_result.is_none() =>
            {
                let internal = rules::internal_username(&response, known);
                self.device_srp(response.session, &internal, credentials, metadata)
                    .await
                    .map_err(at(Step::Device))
            }
            _ => self
                .outcome(operation, response, known, metadata.clone())
                .map_err(at(Step::Password)),
        }
    }

    /// Answers `DEVICE_SRP_AUTH` (in `session`, as the internal user name
    /// `internal`) and then `DEVICE_PASSWORD_VERIFIER` for the remembered
    /// device `credentials`.
    pub(super) async fn device_srp(
        &self,
        session: Option<String>,
        internal: &str,
        credentials: &DeviceCredentials,
        metadata: &RequestMetadata,
    ) -> Result<LoginOutcome, FlowError> {
        let span =
            tracing::info_span!("cognito.device_srp", device_key = %credentials.device_key());
        async move {
            let DeviceSrpStart {
                responses,
                session: srp,
            } = self.srp.start_device_srp(internal, credentials)?;
            let next = self
                .respond(
                    ChallengeName::DeviceSrpAuth,
                    session,
                    responses.to_map().into_iter().collect(),
                    metadata,
                )
                .await?;
            match &next.challenge_name {
                Some(ChallengeName::DevicePasswordVerifier) => {}
                Some(other) => {
                    return Err(FlowError::UnexpectedChallenge {
                        expected: ChallengeName::DevicePasswordVerifier,
                        actual: other.clone(),
                    });
                }
                None => {
                    return Err(FlowError::IncompleteResponse {
                        operation: Operation::RespondToAuthChallenge,
                    });
                }
            }
            let parameters = next.challenge_parameters.clone().unwrap_or_default();
            let challenge = PasswordVerifierChallenge::from_device_parameters(&parameters)?;
            let timestamp = CognitoTimestamp::from((self.clock)());
            let answer = srp.respond(&challenge, &timestamp)?;
            let done = self
                .respond(
                    ChallengeName::DevicePasswordVerifier,
                    next.session,
                    answer.to_map().into_iter().collect(),
                    metadata,
                )
                .await?;
            let mut outcome = self.outcome(
                Operation::RespondToAuthChallenge,
                done,
                internal,
                metadata.clone(),
            )?;
            if let LoginOutcome::Tokens(tokens) = &mut outcome {
                tokens.set_device_key(credentials.device_key());
            }
            Ok(outcome)
        }
        .instrument(span)
        .await
    }

    /// Device tracking once a login step is done: tokens get the stale device
    /// and, when Cognito named a new device, the confirmed device's
    /// credentials; a challenge carries the context to its answer.
    ///
    /// Every device Cognito offers is confirmed, as the official SDKs do:
    /// with devices remembered, Cognito refreshes only for a confirmed
    /// device. Remembering it is the caller's choice
    /// ([`LoginOptions::remember_device`](super::LoginOptions::remember_device));
    /// without that choice a failed confirmation is logged and the login
    /// still returns its tokens.
    pub(super) async fn finish_login(
        &self,
        outcome: LoginOutcome,
        device: DeviceContext,
    ) -> Result<LoginOutcome, FlowError> {
        match outcome {
            LoginOutcome::Challenge(mut challenge) => {
                challenge.device = device;
                Ok(LoginOutcome::Challenge(challenge))
            }
            LoginOutcome::Tokens(mut tokens) => {
                if let Some(stale) = device.stale.clone() {
                    tokens.set_stale_device(stale);
                }
                // The tokens belong to the device the sign-in named, even
                // when Cognito did not ask for its proof (not remembered).
                if let Some(key) = device.device_key()
                    && tokens.device_key().is_none()
                {
                    tokens.set_device_key(key);
                }
                match &device.remember {
                    Some(remember) => self.confirm_new_device(&mut tokens, remember).await?,
                    None => {
                        let unasked = RememberDevice::unasked();
                        if let Err(error) = self.confirm_new_device(&mut tokens, &unasked).await {
                            tracing::warn!(
                                code = %error.code(),
                                "the new device could not be confirmed; refreshes may be refused"
                            );
                        }
                    }
                }
                Ok(LoginOutcome::Tokens(tokens))
            }
        }
    }

    /// `ConfirmDevice` for the tokens' `NewDeviceMetadata` (if any), then
    /// `UpdateDeviceStatus` `remembered` when Cognito leaves it to the user
    /// and `remember` is set.
    async fn confirm_new_device(
        &self,
        tokens: &mut Tokens,
        remember: &RememberDevice,
    ) -> Result<(), FlowError> {
        let Some((key, group)) = tokens.new_device_metadata().and_then(|m| {
            Some((
                m.device_key.clone().filter(|k| !k.is_empty())?,
                m.device_group_key.clone().filter(|g| !g.is_empty())?,
            ))
        }) else {
            return Ok(());
        };
        let span = tracing::info_span!("cognito.confirm_device", device_key = %key);
        async move {
            let (credentials, config) =
                DeviceCredentials::generate_with_rng(&key, &group, &mut (self.rng)())?;
            let request = ConfirmDeviceRequest {
                access_token: tokens.expose_access_token().to_owned(),
                device_key: key.clone(),
                device_secret_verifier_config: Some(DeviceSecretVerifierConfigType {
                    password_verifier: Some(config.password_verifier().to_owned()),
                    salt: Some(config.salt().to_owned()),
                }),
                device_name: Some(remember.device_name.clone()),
            };
            let response = self.transport.confirm_device(request).await?;
            if response.user_confirmation_necessary && remember.remember {
                let request = UpdateDeviceStatusRequest {
                    access_token: tokens.expose_access_token().to_owned(),
                    device_key: key.clone(),
                    device_remembered_status: DeviceRememberedStatus::Remembered,
                };
                self.transport
                    .update_device_status(request)
                    .instrument(tracing::info_span!("cognito.update_device_status"))
                    .await?;
            }
            tracing::debug!(
                remembered = !response.user_confirmation_necessary || remember.remember,
                "device confirmed"
            );
            tokens.set_device_credentials(credentials);
            Ok(())
        }
        .instrument(span)
        .await
    }

    /// `ForgetDevice`: Cognito stops recognising `device_key` (with the
    /// signed-in user's access token). Drop the device's stored credentials.
    pub async fn forget_device(&self, tokens: &Tokens, device_key: &str) -> Result<(), FlowError> {
        let request = ForgetDeviceRequest {
            access_token: Some(tokens.expose_access_token().to_owned()),
            device_key: device_key.to_owned(),
        };
        self.transport
            .forget_device(request)
            .instrument(tracing::info_span!("cognito.forget_device", device_key = %device_key))
            .await?;
        Ok(())
    }
}
