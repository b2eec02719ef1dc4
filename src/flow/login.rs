//! Signing in: [`login`](CognitoClient::login),
//! [`login_with`](CognitoClient::login_with) and
//! [`login_user_auth`](CognitoClient::login_user_auth) for `USER_SRP_AUTH`,
//! `CUSTOM_AUTH` with SRP, `USER_AUTH` and `USER_PASSWORD_AUTH`; each retried
//! once without device credentials Cognito no longer knows. The
//! `PASSWORD_VERIFIER` answer; the `USER_AUTH` steps are in `user_auth`.

use tracing::Instrument;

use super::client::{CognitoClient, LoginOutcome};
use super::device::{DeviceContext, Failure, Step, at, stale_device};
use super::error::FlowError;
use super::first_factor::FirstFactor;
use super::options::{LoginFlow, LoginOptions, RequestMetadata};
use crate::secret::Password;
use crate::srp::{
    CognitoTimestamp, PasswordVerifierChallenge, SrpSession, SrpStart, StartOptions, param,
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

    /// Signs in with the flow, device and metadata of `options`.
    pub async fn login_with(
        &self,
        username: &str,
        password: Password,
        options: &LoginOptions,
    ) -> Result<LoginOutcome, FlowError> {
        let start = match options.flow {
            LoginFlow::UserSrp => Start::Srp {
                password,
                custom: false,
            },
            LoginFlow::CustomSrp => Start::Srp {
                password,
                custom: true,
            },
            LoginFlow::UserAuth => Start::UserAuth(Some(FirstFactor::PasswordSrp(password))),
            LoginFlow::UserPassword => Start::UserPassword(password),
        };
        self.sign_in(username, start, options).await
    }

    /// Signs in with `USER_AUTH` (choice-based sign-in), `preferred` sent as
    /// `PREFERRED_CHALLENGE` (`options.flow` is not used).
    ///
    /// * [`FirstFactor::PasswordSrp`] goes with `SRP_A`, so Cognito answers
    ///   `PASSWORD_VERIFIER` at once (one round trip less than choosing);
    /// * [`FirstFactor::EmailOtp`] / [`FirstFactor::SmsOtp`] are passwordless:
    ///   the outcome is the `EMAIL_OTP` / `SMS_OTP` challenge, answered with
    ///   the code the user received ([`ChallengeAnswer::code`](super::ChallengeAnswer::code));
    /// * [`FirstFactor::WebAuthn`] returns
    ///   [`ChallengeKind::WebAuthn`](super::ChallengeKind::WebAuthn) for the
    ///   caller's authenticator;
    /// * `None` asks Cognito what the user can do: the outcome is
    ///   `SELECT_CHALLENGE` with its `AvailableChallenges`
    ///   ([`ChallengeKind::SelectChallenge`](super::ChallengeKind::SelectChallenge)),
    ///   answered with [`ChallengeAnswer::Select`](super::ChallengeAnswer::Select).
    ///
    /// When Cognito answers `SELECT_CHALLENGE` although a factor was
    /// preferred, the client chooses that factor when it is offered, and
    /// hands the choice to the caller otherwise. With
    /// [`LoginOptions::session`], the sign-in continues a `ConfirmSignUp`.
    pub async fn login_user_auth(
        &self,
        username: &str,
        preferred: Option<FirstFactor>,
        options: &LoginOptions,
    ) -> Result<LoginOutcome, FlowError> {
        self.sign_in(username, Start::UserAuth(preferred), options)
            .await
    }

    /// One sign-in: with device credentials, retried once without them when
    /// Cognito no longer knows the device; then device tracking.
    async fn sign_in(
        &self,
        username: &str,
        start: Start,
        options: &LoginOptions,
    ) -> Result<LoginOutcome, FlowError> {
        let metadata = options
            .metadata
            .clone()
            .unwrap_or_else(|| self.metadata.clone());
        let span = tracing::info_span!("cognito.login", auth_flow = %start.auth_flow());
        async move {
            let mut device = DeviceContext {
                remember: options.remember.clone(),
                stale: None,
                credentials: options.device.clone(),
            };
            let session = options.session.clone();
            let first = self
                .sign_in_once(username, start.clone(), &device, &metadata, session.clone())
                .await;
            let outcome = match first {
                Ok(outcome) => outcome,
                Err((error, step)) => {
                    let stale = device
                        .credentials
                        .as_ref()
                        .and_then(|credentials| stale_device(&error, step, credentials));
                    let Some(stale) = stale else {
                        return Err(error);
                    };
                    tracing::info!(
                        device_key = %stale.device_key(),
                        code = %stale.error_code(),
                        "device unknown to Cognito; signing in without it"
                    );
                    device.stale = Some(stale);
                    device.credentials = None;
                    self.sign_in_once(username, start, &device, &metadata, session)
                        .await
                        .map_err(|(error, _)| error)?
                }
            };
            self.finish_login(outcome, device).await
        }
        .instrument(span)
        .await
    }

    async fn sign_in_once(
        &self,
        username: &str,
        start: Start,
        device: &DeviceContext,
        metadata: &RequestMetadata,
        session: Option<String>,
    ) -> Result<LoginOutcome, Failure> {
        match start {
            Start::Srp { password, custom } => {
                self.login_srp(username, password, custom, device, metadata)
                    .await
            }
            Start::UserAuth(preferred) => {
                self.user_auth(username, preferred, device, metadata, session)
                    .await
            }
            Start::UserPassword(password) => {
                self.login_user_password(username, password, device, metadata)
                    .await
            }
        }
    }

    /// `USER_SRP_AUTH`, or `CUSTOM_AUTH` started with `SRP_A`.
    async fn login_srp(
        &self,
        username: &str,
        password: Password,
        custom: bool,
        device: &DeviceContext,
        metadata: &RequestMetadata,
    ) -> Result<LoginOutcome, Failure> {
        let (flow, mut options) = if custom {
            (AuthFlow::CustomAuth, StartOptions::default().custom_auth())
        } else {
            (AuthFlow::UserSrpAuth, StartOptions::default())
        };
        if let Some(key) = device.device_key() {
            options = options.device_key(key);
        }
        let SrpStart {
            parameters,
            session,
        } = self
            .srp
            .start_with_rng(username, password, &options, &mut (self.rng)())
            .map_err(at(Step::Password))?;
        let parameters: ParameterMap = parameters.to_map().into_iter().collect();
        let response = self
            .initiate(flow, parameters, metadata, None)
            .await
            .map_err(at(Step::Password))?;
        self.verify_password(
            Operation::InitiateAuth,
            response,
            session,
            username,
            device,
            metadata,
        )
        .await
    }

    /// `USER_PASSWORD_AUTH`: the password itself goes to Cognito.
    async fn login_user_password(
        &self,
        username: &str,
        password: Password,
        device: &DeviceContext,
        metadata: &RequestMetadata,
    ) -> Result<LoginOutcome, Failure> {
        let mut parameters = ParameterMap::new();
        parameters.insert(param::USERNAME.into(), username.to_owned());
        parameters.insert(param::PASSWORD.into(), password.expose_secret().to_owned());
        self.insert_secret_hash(&mut parameters, username);
        if let Some(key) = device.device_key() {
            parameters.insert(param::DEVICE_KEY.into(), key.to_owned());
        }
        let response = self
            .initiate(AuthFlow::UserPasswordAuth, parameters, metadata, None)
            .await;
        // The request (and its copy of the password) is gone; drop ours too.
        drop(password);
        let response = response.map_err(at(Step::Password))?;
        self.advance(
            Operation::InitiateAuth,
            response,
            username,
            device,
            metadata,
        )
        .await
    }

    /// Answers `PASSWORD_VERIFIER` with the proof of `session` when Cognito
    /// asks for it, then goes on as [`advance`](Self::advance) does.
    pub(super) async fn verify_password(
        &self,
        operation: Operation,
        response: InitiateAuthResponse,
        session: SrpSession,
        username: &str,
        device: &DeviceContext,
        metadata: &RequestMetadata,
    ) -> Result<LoginOutcome, Failure> {
        if response.challenge_name != Some(ChallengeName::PasswordVerifier) {
            return self
                .advance(operation, response, username, device, metadata)
                .await;
        }
        let (response, known) = self
            .password_verifier_response(response, session, username, metadata)
            .await
            .map_err(at(Step::Password))?;
        self.advance(
            Operation::RespondToAuthChallenge,
            response,
            &known,
            device,
            metadata,
        )
        .await
    }

    /// Sends the `PASSWORD_VERIFIER` answer, signed now; returns Cognito's
    /// response and the internal user name known from then on.
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
        // USER_ID_FOR_SRP (and computes SECRET_HASH over that name); the
        // session's DEVICE_KEY goes with it.
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

/// How a sign-in starts, whichever device it tries.
#[derive(Clone)]
enum Start {
    /// `USER_SRP_AUTH` (or `CUSTOM_AUTH` with SRP when `custom`).
    Srp { password: Password, custom: bool },
    /// `USER_AUTH` with an optional `PREFERRED_CHALLENGE`.
    UserAuth(Option<FirstFactor>),
    /// `USER_PASSWORD_AUTH`.
    UserPassword(Password),
}

impl Start {
    fn auth_flow(&self) -> AuthFlow {
        match self {
            Self::Srp { custom: true, .. } => AuthFlow::CustomAuth,
            Self::Srp { custom: false, .. } => AuthFlow::UserSrpAuth,
            Self::UserAuth(_) => AuthFlow::UserAuth,
            Self::UserPassword(_) => AuthFlow::UserPasswordAuth,
        }
    }
}
