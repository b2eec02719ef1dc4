//! `USER_AUTH` (choice-based sign-in): `PREFERRED_CHALLENGE` on
//! `InitiateAuth` and the answer to `SELECT_CHALLENGE`, each with the first
//! factor's proof (`SRP_A` for `PASSWORD_SRP`, `PASSWORD` for `PASSWORD`);
//! the `PASSWORD_VERIFIER` that follows `PASSWORD_SRP` is answered here too.

use super::client::{CognitoClient, LoginOutcome};
use super::device::{DeviceContext, Failure, Step, at};
use super::error::FlowError;
use super::first_factor::FirstFactor;
use super::options::RequestMetadata;
use super::rules;
use crate::srp::{SrpSession, SrpStart, StartOptions, param};
use crate::transport::Transport;
use crate::wire::{AuthFlow, ChallengeName, InitiateAuthResponse, Operation, ParameterMap};

impl<T: Transport> CognitoClient<T> {
    /// `InitiateAuth` `USER_AUTH` with `preferred` (and its proof), then the
    /// steps Cognito asks for.
    pub(super) async fn user_auth(
        &self,
        username: &str,
        preferred: Option<FirstFactor>,
        device: &DeviceContext,
        metadata: &RequestMetadata,
        session: Option<String>,
    ) -> Result<LoginOutcome, Failure> {
        let mut parameters = ParameterMap::new();
        parameters.insert(param::USERNAME.into(), username.to_owned());
        self.insert_secret_hash(&mut parameters, username);
        if let Some(key) = device.device_key() {
            parameters.insert(param::DEVICE_KEY.into(), key.to_owned());
        }
        let mut srp = None;
        if let Some(factor) = &preferred {
            parameters.insert(
                param::PREFERRED_CHALLENGE.into(),
                factor.challenge_name().as_str().to_owned(),
            );
            srp = self
                .insert_factor_proof(&mut parameters, factor, username, device)
                .map_err(at(Step::Password))?;
        }
        let response = self
            .initiate(AuthFlow::UserAuth, parameters, metadata, session)
            .await
            .map_err(at(Step::Password))?;
        match preferred {
            Some(factor)
                if response.challenge_name == Some(ChallengeName::SelectChallenge)
                    && offers(&response, &factor) =>
            {
                let internal = rules::internal_username(&response, username);
                self.select_first_factor(response.session, &internal, factor, device, metadata)
                    .await
            }
            _ => {
                self.after_first_factor(
                    Operation::InitiateAuth,
                    response,
                    srp,
                    username,
                    device,
                    metadata,
                )
                .await
            }
        }
    }

    /// Answers `SELECT_CHALLENGE` (in `session`, as the internal user name
    /// `internal`) with `factor` and its proof, then the steps that follow.
    pub(super) async fn select_first_factor(
        &self,
        session: Option<String>,
        internal: &str,
        factor: FirstFactor,
        device: &DeviceContext,
        metadata: &RequestMetadata,
    ) -> Result<LoginOutcome, Failure> {
        let mut responses = ParameterMap::new();
        responses.insert(param::USERNAME.into(), internal.to_owned());
        responses.insert(
            param::ANSWER.into(),
            factor.challenge_name().as_str().to_owned(),
        );
        self.insert_secret_hash(&mut responses, internal);
        if let Some(key) = device.device_key() {
            responses.insert(param::DEVICE_KEY.into(), key.to_owned());
        }
        let srp = self
            .insert_factor_proof(&mut responses, &factor, internal, device)
            .map_err(at(Step::Password))?;
        let response = self
            .respond(ChallengeName::SelectChallenge, session, responses, metadata)
            .await
            .map_err(at(Step::Password))?;
        self.after_first_factor(
            Operation::RespondToAuthChallenge,
            response,
            srp,
            internal,
            device,
            metadata,
        )
        .await
    }

    /// Adds what proves `factor` to `parameters`: `SRP_A` (returning the SRP
    /// session that answers `PASSWORD_VERIFIER`) or `PASSWORD`.
    fn insert_factor_proof(
        &self,
        parameters: &mut ParameterMap,
        factor: &FirstFactor,
        username: &str,
        device: &DeviceContext,
    ) -> Result<Option<SrpSession>, FlowError> {
        match factor {
            FirstFactor::PasswordSrp(password) => {
                let mut options = StartOptions::default();
                if let Some(key) = device.device_key() {
                    options = options.device_key(key);
                }
                let SrpStart {
                    parameters: start,
                    session,
                } = self.srp.start_with_rng(
                    username,
                    password.clone(),
                    &options,
                    &mut (self.rng)(),
                )?;
                parameters.insert(param::SRP_A.into(), start.srp_a().to_owned());
                Ok(Some(session))
            }
            FirstFactor::Password(password) => {
                parameters.insert(param::PASSWORD.into(), password.expose_secret().to_owned());
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// After the first factor: `PASSWORD_VERIFIER` answered with `srp` when
    /// the factor was `PASSWORD_SRP`, then the remaining steps.
    async fn after_first_factor(
        &self,
        operation: Operation,
        response: InitiateAuthResponse,
        srp: Option<SrpSession>,
        username: &str,
        device: &DeviceContext,
        metadata: &RequestMetadata,
    ) -> Result<LoginOutcome, Failure> {
        match srp {
            Some(session) => {
                self.verify_password(operation, response, session, username, device, metadata)
                    .await
            }
            None => {
                self.advance(operation, response, username, device, metadata)
                    .await
            }
        }
    }
}

/// Whether `SELECT_CHALLENGE` offers `factor` among its `AvailableChallenges`.
fn offers(response: &InitiateAuthResponse, factor: &FirstFactor) -> bool {
    response
        .available_challenges
        .as_ref()
        .is_some_and(|available| available.contains(&factor.challenge_name()))
}
