//! Signing in: [`login`](CognitoClient::login) and
//! [`login_with`](CognitoClient::login_with) for `USER_SRP_AUTH`,
//! `CUSTOM_AUTH` with SRP (retried once without device credentials Cognito no
//! longer knows), `USER_AUTH` (answering `SELECT_CHALLENGE` with
//! `PASSWORD_SRP`) and `USER_PASSWORD_AUTH`; the `PASSWORD_VERIFIER` answer.

use tracing::Instrument;

use super::client::{CognitoClient, LoginOutcome};
use super::device::{DeviceContext, Step, stale_device};
use super::error::FlowError;
use super::options::{LoginFlow, LoginOptions, RequestMetadata};
use super::rules;
use crate::secret::Password;
use crate::srp::{
    CognitoTimestamp, DeviceCredentials, PasswordVerifierChallenge, SrpSession, SrpStart,
    StartOptions, param,
};
use crate::transport::Transport;
use crate::wire::{AuthFlow, ChallengeName, InitiateAuthResponse, Operation, ParameterMap};

impl<T: Transport> CognitoClient<T> {
    /// Signs in with `USER_SRP_AUTH`: the password never leaves the device.
    pub async fn login(
        &self,
        username: &str,
        password: Password,
    ) -> Result<LoginOutcome, FlowError> {
        self.login_with(username, password, &LoginOptions::default())
            .await
    }

    /// Signs in with the flow and metadata of `options`.
    pub async fn login_with(
        &self,
        username: &str,
        password: Password,
        options: &LoginOptions,
    ) -> Result<LoginOutcome, FlowError> {
        let metadata = options
            .metadata
            .clone()
            .unwrap_or_else(|| self.metadata.clone());
        let span = tracing::info_span!("cognito.login", auth_flow = %options.flow.auth_flow());
        async move {
            let mut device = DeviceContext {
                remember: options.remember.clone(),
                stale: None,
            };
            let outcome = match options.flow {
                LoginFlow::UserSrp | LoginFlow::CustomSrp => {
                    let attempt = SrpAttempt {
                        username,
                        password,
                        flow: options.flow,
                        metadata,
                    };
                    self.login_srp(attempt, options.device.as_ref(), &mut device)
                        .await?
                }
                LoginFlow::UserAuth => self.login_user_auth(username, password, metadata).await?,
                LoginFlow::UserPassword => {
                    self.login_user_password(username, password, metadata)
                        .await?
                }
            };
            self.finish_login(outcome, device).await
        }
        .instrument(span)
        .await
    }

    /// `USER_SRP_AUTH` / `CUSTOM_AUTH`; with device credentials, retried once
    /// without them when Cognito no longer knows the device.
    async fn login_srp(
        &self,
        attempt: SrpAttempt<'_>,
        credentials: Option<&DeviceCredentials>,
        device: &mut DeviceContext,
    ) -> Result<LoginOutcome, FlowError> {
        let Some(credentials) = credentials else {
            return self
                .login_srp_once(attempt, None)
                .await
                .map_err(|(error, _)| error);
        };
        let first = self
            .login_srp_once(attempt.clone(), Some(credentials))
            .await;
        match first {
            Ok(mut outcome) => {
                // The tokens belong to the device the sign-in named, even
                // when Cognito did not ask for its proof (not remembered).
                if let LoginOutcome::Tokens(tokens) = &mut outcome
                    && tokens.device_key().is_none()
                {
                    tokens.set_device_key(credentials.device_key());
                }
                Ok(outcome)
            }
            Err((error, step)) => match stale_device(&error, step, credentials) {
                Some(stale) => {
                    tracing::info!(
                        device_key = %stale.device_key(),
                        code = %stale.error_code(),
                        "device unknown to Cognito; signing in without it"
                    );
                    device.stale = Some(stale);
                    self.login_srp_once(attempt, None)
                        .await
                        .map_err(|(error, _)| error)
                }
                None => Err(error),
            },
        }
    }

    async fn login_srp_once(
        &self,
        attempt: SrpAttempt<'_>,
        credentials: Option<&DeviceCredentials>,
    ) -> Result<LoginOutcome, (FlowError, Step)> {
        let SrpAttempt {
            username,
            password,
            flow,
            metadata,
        } = attempt;
        let at = |step: Step| move |error: FlowError| (error, step);
        let mut options = match flow {
            LoginFlow::CustomSrp => StartOptions::default().custom_auth(),
            _ => StartOptions::default(),
        };
        if let Some(credentials) = credentials {
            options = options.device_key(credentials.device_key());
        }
        let SrpStart {
            parameters: params,
            session,
        } = self
            .srp
            .start_with_rng(username, password, &options, &mut (self.rng)())
            .map_err(|e| (FlowError::from(e), Step::Password))?;
        let parameters: ParameterMap = params.to_map().into_iter().collect();
        let response = self
            .initiate(flow.auth_flow(), parameters, &metadata)
            .await
            .map_err(at(Step::Password))?;
        if response.challenge_name != Some(ChallengeName::PasswordVerifier) {
            return self
                .outcome(Operation::InitiateAuth, response, username, metadata)
                .map_err(at(Step::Password));
        }
        let (response, known) = self
            .password_verifier_response(response, session, username, &metadata)
            .await
            .map_err(at(Step::Password))?;
        match (&response.challenge_name, credentials) {
            (Some(ChallengeName::DeviceSrpAuth), Some(credentials)) => self
                .device_srp(response, &known, credentials, metadata)
                .await
                .map_err(at(Step::Device)),
            _ => self
                .outcome(
                    Operation::RespondToAuthChallenge,
                    response,
                    &known,
                    metadata,
                )
                .map_err(at(Step::Password)),
        }
    }

    async fn login_user_auth(
        &self,
        username: &str,
        password: Password,
        metadata: RequestMetadata,
    ) -> Result<LoginOutcome, FlowError> {
        let SrpStart {
            parameters: params,
            session,
        } = self.srp.start_with_rng(
            username,
            password,
            &StartOptions::default(),
            &mut (self.rng)(),
        )?;
        let mut parameters = ParameterMap::new();
        parameters.insert(param::USERNAME.into(), username.to_owned());
        self.insert_secret_hash(&mut parameters, username);
        let response = self
            .initiate(AuthFlow::UserAuth, parameters, &metadata)
            .await?;
        let offers_srp = response
            .available_challenges
            .as_ref()
            .is_some_and(|a| a.contains(&ChallengeName::PasswordSrp));
        let response = match &response.challenge_name {
            Some(ChallengeName::SelectChallenge) if offers_srp => {
                let internal = rules::internal_username(&response, username);
                let mut answer = ParameterMap::new();
                answer.insert(param::USERNAME.into(), internal.clone());
                answer.insert(param::ANSWER.into(), "PASSWORD_SRP".into());
                answer.insert(param::SRP_A.into(), params.srp_a().to_owned());
                self.insert_secret_hash(&mut answer, &internal);
                self.respond(
                    ChallengeName::SelectChallenge,
                    response.session,
                    answer,
                    &metadata,
                )
                .await?
            }
            _ => response,
        };
        match &response.challenge_name {
            Some(ChallengeName::PasswordVerifier) => {
                self.password_verifier(response, session, username, metadata)
                    .await
            }
            Some(ChallengeName::SelectChallenge) => {
                // PASSWORD_SRP is not offered: hand the choice to the caller.
                self.outcome(Operation::InitiateAuth, response, username, metadata)
            }
            Some(other) => Err(FlowError::UnexpectedChallenge {
                expected: ChallengeName::PasswordVerifier,
                actual: other.clone(),
            }),
            None => self.outcome(Operation::InitiateAuth, response, username, metadata),
        }
    }

    async fn login_user_password(
        &self,
        username: &str,
        password: Password,
        metadata: RequestMetadata,
    ) -> Result<LoginOutcome, FlowError> {
        let mut parameters = ParameterMap::new();
        parameters.insert(param::USERNAME.into(), username.to_owned());
        parameters.insert(param::PASSWORD.into(), password.expose_secret().to_owned());
        self.insert_secret_hash(&mut parameters, username);
        let response = self
            .initiate(AuthFlow::UserPasswordAuth, parameters, &metadata)
            .await;
        // The request (and its copy of the password) is gone; drop ours too.
        drop(password);
        self.outcome(Operation::InitiateAuth, response?, username, metadata)
    }

    /// Answers `PASSWORD_VERIFIER` with the SRP proof, signed now.
    async fn password_verifier(
        &self,
        response: InitiateAuthResponse,
        session: SrpSession,
        username: &str,
        metadata: RequestMetadata,
    ) -> Result<LoginOutcome, FlowError> {
        let (response, known) = self
            .password_verifier_response(response, session, username, &metadata)
            .await?;
        self.outcome(
            Operation::RespondToAuthChallenge,
            response,
            &known,
            metadata,
        )
    }

    /// Sends the `PASSWORD_VERIFIER` answer; returns Cognito's response and
    /// the internal user name known from then on.
    async fn password_verifier_response(
        &self,
        response: InitiateAuthResponse,
        session: SrpSession,
        username: &str,
        metadata: &RequestMetadata,
    ) -> Result<(InitiateAuthResponse, String), FlowError> {
        let parameters = response.challenge_parameters.unwrap_or_default();
        let challenge = PasswordVerifierChallenge::from_parameters(&parameters)?;
        let timestamp = CognitoTimestamp::from((self.clock)());
        let answer = session.respond(&challenge, &timestamp)?;
        // The core answers with the challenge's USERNAME when present, else
        // USER_ID_FOR_SRP (and computes SECRET_HASH over that name).
        let internal = answer.username().to_owned();
        let responses: ParameterMap = answer.to_map().into_iter().collect();
        let response = self
            .respond(
                ChallengeName::PasswordVerifier,
                response.session,
                responses,
                metadata,
            )
            .await?;
        let known = if internal.is_empty() {
            username.to_owned()
        } else {
            internal
        };
        Ok((response, known))
    }
}

/// One SRP sign-in's inputs, whichever device it tries.
#[derive(Clone)]
struct SrpAttempt<'a> {
    username: &'a str,
    password: Password,
    flow: LoginFlow,
    metadata: RequestMetadata,
}
