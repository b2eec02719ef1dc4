//! [`CognitoClient`]: a whole sign-in over a [`Transport`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tracing::Instrument;

use super::answer::{ChallengeAnswer, SecretAnswer};
use super::challenge::Challenge;
use super::device::{DeviceContext, DeviceGenerator, Step, stale_device, system_generator};
use super::error::FlowError;
use super::mfa_setup::SoftwareTokenSetup;
use super::options::{LoginFlow, LoginOptions, RefreshOptions, RememberDevice, RequestMetadata};
use super::tokens::{RefreshToken, Tokens};
use crate::secret::{ClientSecret, Password};
use crate::srp::{
    ClientId, CognitoTimestamp, DeviceCredentials, PasswordVerifierChallenge, SrpClient,
    SrpSession, StartOptions, UserPoolId,
};
use crate::transport::Transport;
use crate::wire::{
    AssociateSoftwareTokenRequest, AuthFlow, ChallengeName, ConfirmDeviceRequest,
    DeviceRememberedStatus, DeviceSecretVerifierConfigType, ForgetDeviceRequest,
    InitiateAuthRequest, InitiateAuthResponse, Operation, ParameterMap,
    RespondToAuthChallengeRequest, UpdateDeviceStatusRequest, VerifySoftwareTokenRequest,
    VerifySoftwareTokenStatus,
};

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The result of a login step: tokens, or a challenge the caller answers.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in.
    Tokens(Box<Tokens>),
    /// Cognito asks for more: answer it with [`CognitoClient::answer`].
    Challenge(Box<Challenge>),
}

impl LoginOutcome {
    /// The tokens, if signed in.
    pub fn into_tokens(self) -> Option<Tokens> {
        match self {
            Self::Tokens(tokens) => Some(*tokens),
            Self::Challenge(_) => None,
        }
    }

    /// The challenge, if one follows.
    pub fn into_challenge(self) -> Option<Challenge> {
        match self {
            Self::Tokens(_) => None,
            Self::Challenge(challenge) => Some(*challenge),
        }
    }
}

/// A user pool's app client, signing users in over a [`Transport`].
///
/// ```no_run
/// # #[cfg(feature = "http")]
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use cognito_srp_auth::flow::{CognitoClient, LoginOutcome};
/// use cognito_srp_auth::transport::HttpTransport;
/// use cognito_srp_auth::{ClientId, Password, UserPoolId};
///
/// let pool = UserPoolId::parse("eu-west-1_AbCdEf123")?;
/// let transport = HttpTransport::for_user_pool(&pool)?;
/// let client = CognitoClient::new(pool, ClientId::new("app-client-id")?, transport);
/// match client.login("alice", Password::new("correct horse")).await? {
///     LoginOutcome::Tokens(tokens) => println!("signed in until {}", tokens.expires_at()),
///     LoginOutcome::Challenge(challenge) => println!("next: {}", challenge.name()),
/// }
/// # Ok(()) }
/// ```
///
/// Device tracking: [`LoginOptions::remember_device`] confirms the device
/// Cognito names after a login and returns its credentials in
/// [`Tokens::device_credentials`]; [`LoginOptions::device`] signs in as a
/// remembered device (`DEVICE_SRP_AUTH` → `DEVICE_PASSWORD_VERIFIER`, answered
/// automatically).
pub struct CognitoClient<T> {
    srp: SrpClient,
    transport: T,
    metadata: RequestMetadata,
    clock: Clock,
    device_generator: DeviceGenerator,
}

impl<T: fmt::Debug> fmt::Debug for CognitoClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CognitoClient")
            .field("srp", &self.srp)
            .field("transport", &self.transport)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl<T> CognitoClient<T> {
    /// A client for app client `client_id` of `user_pool_id` (without a secret).
    pub fn new(user_pool_id: UserPoolId, client_id: ClientId, transport: T) -> Self {
        Self {
            srp: SrpClient::new(user_pool_id, client_id),
            transport,
            metadata: RequestMetadata::default(),
            clock: Arc::new(Utc::now),
            device_generator: system_generator(),
        }
    }

    /// The randomness for new device credentials (the device password, then
    /// the verifier's salt; see [`DeviceCredentials::generate_with_rng`]):
    /// `factory` makes a generator for each device confirmed. Default: the
    /// operating system's CSPRNG. For tests that need fixed bytes; a
    /// predictable generator makes guessable device passwords.
    pub fn with_device_rng<R, F>(mut self, factory: F) -> Self
    where
        R: rand_core::TryCryptoRng,
        F: Fn() -> R + Send + Sync + 'static,
    {
        self.device_generator = Arc::new(move |key, group| {
            DeviceCredentials::generate_with_rng(key, group, &mut factory())
        });
        self
    }

    /// Sets the app client's secret: `SECRET_HASH` goes with every request.
    pub fn with_client_secret(mut self, client_secret: ClientSecret) -> Self {
        self.srp = self.srp.with_client_secret(client_secret);
        self
    }

    /// Metadata sent with every request (unless a login overrides it).
    pub fn with_metadata(mut self, metadata: RequestMetadata) -> Self {
        self.metadata = metadata;
        self
    }

    /// The clock for `TIMESTAMP` and token expiry (default: the system clock).
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The user pool.
    pub fn user_pool_id(&self) -> &UserPoolId {
        self.srp.user_pool_id()
    }

    /// The app client id.
    pub fn client_id(&self) -> &ClientId {
        self.srp.client_id()
    }
}

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
                    self.login_srp(
                        username,
                        password,
                        options.flow,
                        metadata,
                        options.device.as_ref(),
                        &mut device,
                    )
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
        username: &str,
        password: Password,
        flow: LoginFlow,
        metadata: RequestMetadata,
        credentials: Option<&DeviceCredentials>,
        device: &mut DeviceContext,
    ) -> Result<LoginOutcome, FlowError> {
        let Some(credentials) = credentials else {
            return self
                .login_srp_once(username, password, flow, metadata, None)
                .await
                .map_err(|(error, _)| error);
        };
        let first = self
            .login_srp_once(
                username,
                password.clone(),
                flow,
                metadata.clone(),
                Some(credentials),
            )
            .await;
        match first {
            Ok(outcome) => Ok(outcome),
            Err((error, step)) => match stale_device(&error, step, credentials) {
                Some(stale) => {
                    tracing::info!(
                        device_key = %stale.device_key(),
                        code = %stale.error_code(),
                        "device unknown to Cognito; signing in without it"
                    );
                    device.stale = Some(stale);
                    self.login_srp_once(username, password, flow, metadata, None)
                        .await
                        .map_err(|(error, _)| error)
                }
                None => Err(error),
            },
        }
    }

    async fn login_srp_once(
        &self,
        username: &str,
        password: Password,
        flow: LoginFlow,
        metadata: RequestMetadata,
        credentials: Option<&DeviceCredentials>,
    ) -> Result<LoginOutcome, (FlowError, Step)> {
        let at = |step: Step| move |error: FlowError| (error, step);
        let mut options = match flow {
            LoginFlow::CustomSrp => StartOptions::default().custom_auth(),
            _ => StartOptions::default(),
        };
        if let Some(credentials) = credentials {
            options = options.device_key(credentials.device_key());
        }
        let (params, session) = self
            .srp
            .start_with_options(username, password, &options, &mut getrandom::SysRng)
            .map_err(|e| (FlowError::from(e), Step::Password))?;
        let parameters: ParameterMap = params.to_map().into_iter().collect();
        let response = self
            .initiate(flow.auth_flow(), parameters, &metadata)
            .await
            .map_err(at(Step::Password))?;
        if response.challenge_name != Some(ChallengeName::PasswordVerifier) {
            return self
                .outcome(Operation::InitiateAuth, response, username, metadata, None)
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
                    None,
                )
                .map_err(at(Step::Password)),
        }
    }

    /// Answers `DEVICE_SRP_AUTH` and then `DEVICE_PASSWORD_VERIFIER` for the
    /// remembered device `credentials`.
    async fn device_srp(
        &self,
        response: InitiateAuthResponse,
        known: &str,
        credentials: &DeviceCredentials,
        metadata: RequestMetadata,
    ) -> Result<LoginOutcome, FlowError> {
        let span =
            tracing::info_span!("cognito.device_srp", device_key = %credentials.device_key());
        async move {
            let internal = internal_username(&response, known);
            let (responses, session) = self.srp.start_device_srp(&internal, credentials)?;
            let next = self
                .respond(
                    ChallengeName::DeviceSrpAuth,
                    response.session,
                    responses.to_map().into_iter().collect(),
                    &metadata,
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
            let answer = session.respond(&challenge, &timestamp)?;
            let done = self
                .respond(
                    ChallengeName::DevicePasswordVerifier,
                    next.session,
                    answer.to_map().into_iter().collect(),
                    &metadata,
                )
                .await?;
            let mut outcome = self.outcome(
                Operation::RespondToAuthChallenge,
                done,
                &internal,
                metadata,
                None,
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
    /// and, when asked for and Cognito named a new device, the confirmed
    /// device's credentials; a challenge carries the context to its answer.
    async fn finish_login(
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
                if let Some(stale) = device.stale {
                    tokens.set_stale_device(stale);
                }
                if let Some(remember) = &device.remember {
                    self.confirm_new_device(&mut tokens, remember).await?;
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
            let (credentials, config) = (self.device_generator)(&key, &group)?;
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

    async fn login_user_auth(
        &self,
        username: &str,
        password: Password,
        metadata: RequestMetadata,
    ) -> Result<LoginOutcome, FlowError> {
        let (params, session) = self.srp.start_with_options(
            username,
            password,
            &StartOptions::default(),
            &mut getrandom::SysRng,
        )?;
        let mut parameters = ParameterMap::new();
        parameters.insert("USERNAME".into(), username.to_owned());
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
                let internal = internal_username(&response, username);
                let mut answer = ParameterMap::new();
                answer.insert("USERNAME".into(), internal.clone());
                answer.insert("ANSWER".into(), "PASSWORD_SRP".into());
                answer.insert("SRP_A".into(), params.srp_a().to_owned());
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
                self.outcome(Operation::InitiateAuth, response, username, metadata, None)
            }
            Some(other) => Err(FlowError::UnexpectedChallenge {
                expected: ChallengeName::PasswordVerifier,
                actual: other.clone(),
            }),
            None => self.outcome(Operation::InitiateAuth, response, username, metadata, None),
        }
    }

    async fn login_user_password(
        &self,
        username: &str,
        password: Password,
        metadata: RequestMetadata,
    ) -> Result<LoginOutcome, FlowError> {
        let mut parameters = ParameterMap::new();
        parameters.insert("USERNAME".into(), username.to_owned());
        parameters.insert("PASSWORD".into(), password.expose_secret().to_owned());
        self.insert_secret_hash(&mut parameters, username);
        let response = self
            .initiate(AuthFlow::UserPasswordAuth, parameters, &metadata)
            .await;
        // The request (and its copy of the password) is gone; drop ours too.
        drop(password);
        self.outcome(Operation::InitiateAuth, response?, username, metadata, None)
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
            None,
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
        // The proof is computed for USER_ID_FOR_SRP. The answer's USERNAME (and
        // its SECRET_HASH) is the challenge's USERNAME when present, as
        // Amplify does: Cognito sends the same internal name in both, while
        // other servers (moto) only accept USERNAME.
        let internal = challenge
            .username()
            .unwrap_or(challenge.user_id_for_srp())
            .to_owned();
        let mut responses: ParameterMap = answer.to_map().into_iter().collect();
        if internal != answer.username() {
            responses.insert("USERNAME".into(), internal.clone());
            responses.remove("SECRET_HASH");
            self.insert_secret_hash(&mut responses, &internal);
        }
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

    /// Answers a challenge: adds the internal `USERNAME`, a `SECRET_HASH`
    /// computed with it, and the `Session`.
    pub async fn answer(
        &self,
        challenge: Challenge,
        answer: ChallengeAnswer,
    ) -> Result<LoginOutcome, FlowError> {
        let span = tracing::info_span!("cognito.answer", challenge = %challenge.name);
        async move {
            let mut responses = ParameterMap::new();
            let mismatch = || FlowError::AnswerMismatch {
                challenge: challenge.name.clone(),
            };
            match (&challenge.name, answer) {
                (
                    ChallengeName::NewPasswordRequired,
                    ChallengeAnswer::NewPassword {
                        new_password,
                        attributes,
                    },
                ) => {
                    responses.insert(
                        "NEW_PASSWORD".into(),
                        new_password.expose_secret().to_owned(),
                    );
                    for (name, value) in attributes {
                        responses.insert(format!("userAttributes.{name}"), value);
                    }
                }
                (name, ChallengeAnswer::Code(code)) => {
                    let key = match name {
                        ChallengeName::SmsMfa => "SMS_MFA_CODE",
                        ChallengeName::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA_CODE",
                        ChallengeName::EmailOtp => "EMAIL_OTP_CODE",
                        ChallengeName::SmsOtp => "SMS_OTP_CODE",
                        _ => return Err(mismatch()),
                    };
                    responses.insert(key.into(), code.expose_secret().to_owned());
                }
                (ChallengeName::SelectMfaType, ChallengeAnswer::SelectMfaType(choice)) => {
                    responses.insert("ANSWER".into(), choice.wire_name().to_owned());
                }
                (ChallengeName::CustomChallenge, ChallengeAnswer::Custom(answer)) => {
                    responses.insert("ANSWER".into(), answer.expose_secret().to_owned());
                }
                (_, ChallengeAnswer::Responses(map)) => responses.extend(map),
                _ => return Err(mismatch()),
            }
            responses
                .entry("USERNAME".into())
                .or_insert_with(|| challenge.username.clone());
            if !responses.contains_key("SECRET_HASH") {
                self.insert_secret_hash(&mut responses, &challenge.username);
            }
            let response = self
                .respond(
                    challenge.name.clone(),
                    challenge.session.clone(),
                    responses,
                    &challenge.metadata,
                )
                .await?;
            let outcome = self.outcome(
                Operation::RespondToAuthChallenge,
                response,
                &challenge.username,
                challenge.metadata.clone(),
                None,
            )?;
            self.finish_login(outcome, challenge.device.clone()).await
        }
        .instrument(span)
        .await
    }

    /// `MFA_SETUP` with an authenticator app, step 1: `AssociateSoftwareToken`
    /// with the challenge's session; returns the TOTP secret to show the user.
    pub async fn begin_software_token_setup(
        &self,
        challenge: Challenge,
    ) -> Result<SoftwareTokenSetup, FlowError> {
        if challenge.name != ChallengeName::MfaSetup {
            return Err(FlowError::AnswerMismatch {
                challenge: challenge.name.clone(),
            });
        }
        let request = AssociateSoftwareTokenRequest {
            access_token: None,
            session: challenge.session.clone(),
        };
        let response = self
            .transport
            .associate_software_token(request)
            .instrument(tracing::info_span!("cognito.associate_software_token"))
            .await?;
        let secret_code =
            response
                .secret_code
                .filter(|s| !s.is_empty())
                .ok_or(FlowError::MissingField {
                    operation: Operation::AssociateSoftwareToken,
                    field: "SecretCode",
                })?;
        let mut challenge = challenge;
        if let Some(session) = response.session {
            challenge.session = Some(session);
        }
        Ok(SoftwareTokenSetup {
            secret_code: zeroize::Zeroizing::new(secret_code),
            challenge,
        })
    }

    /// `MFA_SETUP` step 2: `VerifySoftwareToken` with the user's first code,
    /// then answers `MFA_SETUP` with the session it returns.
    pub async fn finish_software_token_setup(
        &self,
        setup: SoftwareTokenSetup,
        code: SecretAnswer,
        friendly_device_name: Option<&str>,
    ) -> Result<LoginOutcome, FlowError> {
        let request = VerifySoftwareTokenRequest {
            access_token: None,
            session: setup.challenge.session.clone(),
            user_code: code.expose_secret().to_owned(),
            friendly_device_name: friendly_device_name.map(str::to_owned),
        };
        let response = self
            .transport
            .verify_software_token(request)
            .instrument(tracing::info_span!("cognito.verify_software_token"))
            .await?;
        if response.status != Some(VerifySoftwareTokenStatus::Success) {
            return Err(FlowError::SoftwareTokenRejected);
        }
        let mut challenge = setup.challenge.clone();
        if let Some(session) = response.session {
            challenge.session = Some(session);
        }
        self.answer(challenge, ChallengeAnswer::Responses(BTreeMap::new()))
            .await
    }

    /// New tokens for a refresh token (`REFRESH_TOKEN_AUTH`). With a client
    /// secret, `options` must name the internal user name.
    pub async fn refresh(
        &self,
        refresh_token: &RefreshToken,
        options: &RefreshOptions,
    ) -> Result<Tokens, FlowError> {
        let metadata = options
            .metadata
            .clone()
            .unwrap_or_else(|| self.metadata.clone());
        async move {
            let mut parameters = ParameterMap::new();
            parameters.insert(
                "REFRESH_TOKEN".into(),
                refresh_token.expose_secret().to_owned(),
            );
            if self.srp.client_secret().is_some() {
                let username = options
                    .username
                    .as_deref()
                    .ok_or(FlowError::UsernameRequired)?;
                self.insert_secret_hash(&mut parameters, username);
            }
            if let Some(device_key) = &options.device_key {
                parameters.insert("DEVICE_KEY".into(), device_key.clone());
            }
            let response = self
                .initiate(AuthFlow::RefreshTokenAuth, parameters, &metadata)
                .await?;
            match response.authentication_result {
                Some(result) => Tokens::from_authentication_result(
                    result,
                    (self.clock)(),
                    Some(refresh_token.clone()),
                )
                .ok_or(FlowError::MissingField {
                    operation: Operation::InitiateAuth,
                    field: "AccessToken",
                }),
                None => Err(FlowError::IncompleteResponse {
                    operation: Operation::InitiateAuth,
                }),
            }
        }
        .instrument(tracing::info_span!("cognito.refresh"))
        .await
    }

    /// New tokens for `tokens`: the refresh token, the internal user name
    /// (from the claims, for `SECRET_HASH`) and the device key (when Cognito
    /// issued one) are taken from them.
    pub async fn refresh_tokens(&self, tokens: &Tokens) -> Result<Tokens, FlowError> {
        let refresh_token = tokens.refresh_token().ok_or(FlowError::NoRefreshToken)?;
        let mut options = RefreshOptions::default();
        if let Some(username) = tokens.username() {
            options = options.username(username);
        }
        if let Some(key) = tokens.device_key() {
            options = options.device_key(key);
        }
        self.refresh(refresh_token, &options).await
    }

    fn insert_secret_hash(&self, parameters: &mut ParameterMap, username: &str) {
        if let Some(hash) = self.srp.secret_hash(username) {
            parameters.insert("SECRET_HASH".into(), hash);
        }
    }

    async fn initiate(
        &self,
        flow: AuthFlow,
        parameters: ParameterMap,
        metadata: &RequestMetadata,
    ) -> Result<InitiateAuthResponse, FlowError> {
        let span = tracing::info_span!("cognito.initiate_auth", auth_flow = %flow);
        let request = InitiateAuthRequest {
            auth_flow: Some(flow),
            auth_parameters: Some(parameters),
            client_metadata: metadata.client_metadata.clone(),
            client_id: self.srp.client_id().as_str().to_owned(),
            analytics_metadata: metadata.analytics_metadata.clone(),
            user_context_data: metadata.user_context_data.clone(),
        };
        let response = self
            .transport
            .initiate_auth(request)
            .instrument(span)
            .await?;
        trace_response(&response);
        Ok(response)
    }

    async fn respond(
        &self,
        name: ChallengeName,
        session: Option<String>,
        responses: ParameterMap,
        metadata: &RequestMetadata,
    ) -> Result<InitiateAuthResponse, FlowError> {
        let span = tracing::info_span!("cognito.respond_to_auth_challenge", challenge = %name);
        let request = RespondToAuthChallengeRequest {
            client_id: self.srp.client_id().as_str().to_owned(),
            challenge_name: Some(name),
            session,
            challenge_responses: Some(responses),
            client_metadata: metadata.client_metadata.clone(),
            analytics_metadata: metadata.analytics_metadata.clone(),
            user_context_data: metadata.user_context_data.clone(),
        };
        let response = self
            .transport
            .respond_to_auth_challenge(request)
            .instrument(span)
            .await?;
        trace_response(&response);
        Ok(response)
    }

    fn outcome(
        &self,
        operation: Operation,
        response: InitiateAuthResponse,
        username: &str,
        metadata: RequestMetadata,
        previous_refresh: Option<RefreshToken>,
    ) -> Result<LoginOutcome, FlowError> {
        if let Some(result) = response.authentication_result {
            let tokens =
                Tokens::from_authentication_result(result, (self.clock)(), previous_refresh)
                    .ok_or(FlowError::MissingField {
                        operation,
                        field: "AccessToken",
                    })?;
            return Ok(LoginOutcome::Tokens(Box::new(tokens)));
        }
        match response.challenge_name {
            Some(name) => Ok(LoginOutcome::Challenge(Box::new(Challenge::from_response(
                name,
                response.session,
                response.challenge_parameters.unwrap_or_default(),
                response.available_challenges,
                username,
                metadata,
            )))),
            None => Err(FlowError::IncompleteResponse { operation }),
        }
    }
}

fn internal_username(response: &InitiateAuthResponse, typed: &str) -> String {
    let params = response.challenge_parameters.as_ref();
    params
        .and_then(|p| p.get("USERNAME").or_else(|| p.get("USER_ID_FOR_SRP")))
        .filter(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| typed.to_owned())
}

fn trace_response(response: &InitiateAuthResponse) {
    match (&response.challenge_name, &response.authentication_result) {
        (_, Some(_)) => tracing::debug!("authenticated"),
        (Some(name), None) => tracing::debug!(challenge = %name, "challenge"),
        (None, None) => tracing::debug!("empty response"),
    }
}
