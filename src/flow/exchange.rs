//! The two requests every login step sends (`InitiateAuth`,
//! `RespondToAuthChallenge`), each in its span, and the reading of their
//! response into a [`LoginOutcome`].

use tracing::Instrument;

use super::challenge::Challenge;
use super::client::{CognitoClient, LoginOutcome};
use super::error::FlowError;
use super::options::RequestMetadata;
use super::rules;
use super::tokens::Tokens;
use crate::transport::Transport;
use crate::wire::{AuthFlow, ChallengeName, InitiateAuthResponse, Operation, ParameterMap};

impl<T: Transport> CognitoClient<T> {
    /// Inserts `SECRET_HASH` for `username` when the client has a secret.
    pub(super) fn insert_secret_hash(&self, parameters: &mut ParameterMap, username: &str) {
        rules::insert_secret_hash(parameters, self.srp.secret_hash(username));
    }

    /// `InitiateAuth` with `flow`, `parameters` and `metadata` (and the
    /// `Session` of a sign-up confirmation, for `USER_AUTH`).
    pub(super) async fn initiate(
        &self,
        flow: AuthFlow,
        parameters: ParameterMap,
        metadata: &RequestMetadata,
        session: Option<String>,
    ) -> Result<InitiateAuthResponse, FlowError> {
        let span = tracing::info_span!("cognito.initiate_auth", auth_flow = %flow);
        let mut request =
            rules::initiate_request(self.srp.client_id().as_str(), flow, parameters, metadata);
        request.session = session;
        let response = self
            .transport
            .initiate_auth(request)
            .instrument(span)
            .await?;
        trace_response(&response);
        Ok(response)
    }

    /// `RespondToAuthChallenge` answering `name` in `session`.
    pub(super) async fn respond(
        &self,
        name: ChallengeName,
        session: Option<String>,
        responses: ParameterMap,
        metadata: &RequestMetadata,
    ) -> Result<InitiateAuthResponse, FlowError> {
        let span = tracing::info_span!("cognito.respond_to_auth_challenge", challenge = %name);
        let request = rules::respond_request(
            self.srp.client_id().as_str(),
            name,
            session,
            responses,
            metadata,
        );
        let response = self
            .transport
            .respond_to_auth_challenge(request)
            .instrument(span)
            .await?;
        trace_response(&response);
        Ok(response)
    }

    /// Tokens or the next challenge of `response` (to `operation`), the
    /// challenge answered as `username` with `metadata`.
    pub(super) fn outcome(
        &self,
        operation: Operation,
        response: InitiateAuthResponse,
        username: &str,
        metadata: RequestMetadata,
    ) -> Result<LoginOutcome, FlowError> {
        if let Some(result) = response.authentication_result {
            let tokens = Tokens::from_authentication_result(result, (self.clock)(), None).ok_or(
                FlowError::MissingField {
                    operation,
                    field: "AccessToken",
                },
            )?;
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

fn trace_response(response: &InitiateAuthResponse) {
    match (&response.challenge_name, &response.authentication_result) {
        (_, Some(_)) => tracing::debug!("authenticated"),
        (Some(name), None) => tracing::debug!(challenge = %name, "challenge"),
        (None, None) => tracing::debug!("empty response"),
    }
}
