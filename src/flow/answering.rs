//! Answering a challenge: [`answer`](CognitoClient::answer) maps a
//! [`ChallengeAnswer`] to the challenge's responses, completes them with the
//! internal `USERNAME`, `SECRET_HASH` and `DEVICE_KEY`, and sends them with
//! the `Session`; a first factor chosen, or device credentials given, run
//! their own steps.

use tracing::Instrument;

use super::answer::ChallengeAnswer;
use super::challenge::Challenge;
use super::client::{CognitoClient, LoginOutcome};
use super::device::{Step, at};
use super::error::FlowError;
use super::rules;
use crate::srp::param;
use crate::transport::Transport;
use crate::wire::{ChallengeName, Operation, ParameterMap};

impl<T: Transport> CognitoClient<T> {
    /// Answers a challenge: adds the internal `USERNAME`, a `SECRET_HASH`
    /// computed with it, the `DEVICE_KEY` of the device in play and the
    /// `Session`. A `DEVICE_SRP_AUTH` that follows is answered with the
    /// sign-in's device credentials; a `PASSWORD_VERIFIER` that follows
    /// [`FirstFactor::PasswordSrp`](super::FirstFactor::PasswordSrp) with its proof.
    pub async fn answer(
        &self,
        challenge: Challenge,
        answer: ChallengeAnswer,
    ) -> Result<LoginOutcome, FlowError> {
        let span = tracing::info_span!("cognito.answer", challenge = %challenge.name);
        async move {
            let mut device = challenge.device.clone();
            let metadata = &challenge.metadata;
            let outcome = match (&challenge.name, answer) {
                (ChallengeName::SelectChallenge, ChallengeAnswer::Select(factor)) => {
                    self.select_first_factor(
                        challenge.session.clone(),
                        &challenge.username,
                        factor,
                        &device,
                        metadata,
                    )
                    .await
                }
                (ChallengeName::DeviceSrpAuth, ChallengeAnswer::Device(credentials)) => {
                    let outcome = self
                        .device_srp(
                            challenge.session.clone(),
                            &challenge.username,
                            &credentials,
                            metadata,
                        )
                        .await
                        .map_err(at(Step::Device));
                    device.credentials = Some(credentials);
                    outcome
                }
                (name, answer) => {
                    let mut responses = responses_for(name, answer)?;
                    rules::complete_answer(&mut responses, &challenge.username, |name| {
                        self.srp.secret_hash(name)
                    });
                    if let Some(key) = device.device_key() {
                        responses
                            .entry(param::DEVICE_KEY.into())
                            .or_insert_with(|| key.to_owned());
                    }
                    let response = self
                        .respond(
                            challenge.name.clone(),
                            challenge.session.clone(),
                            responses,
                            metadata,
                        )
                        .await?;
                    self.advance(
                        Operation::RespondToAuthChallenge,
                        response,
                        &challenge.username,
                        &device,
                        metadata,
                    )
                    .await
                }
            };
            let outcome = outcome.map_err(|(error, _)| error)?;
            self.finish_login(outcome, device).await
        }
        .instrument(span)
        .await
    }
}

/// The responses answering challenge `name` with `answer`, before the
/// `USERNAME` / `SECRET_HASH` completion; an answer of the wrong kind is
/// [`FlowError::AnswerMismatch`].
fn responses_for(name: &ChallengeName, answer: ChallengeAnswer) -> Result<ParameterMap, FlowError> {
    let mut responses = ParameterMap::new();
    let mismatch = || FlowError::AnswerMismatch {
        challenge: name.clone(),
    };
    match (name, answer) {
        (
            ChallengeName::NewPasswordRequired,
            ChallengeAnswer::NewPassword {
                new_password,
                attributes,
            },
        ) => {
            responses.insert(
                param::NEW_PASSWORD.into(),
                new_password.expose_secret().to_owned(),
            );
            for (name, value) in attributes {
                responses.insert(format!("{}{name}", param::USER_ATTRIBUTE_PREFIX), value);
            }
        }
        (name, ChallengeAnswer::Code(code)) => {
            let key = match name {
                ChallengeName::SmsMfa => param::SMS_MFA_CODE,
                ChallengeName::SoftwareTokenMfa => param::SOFTWARE_TOKEN_MFA_CODE,
                ChallengeName::EmailOtp => param::EMAIL_OTP_CODE,
                ChallengeName::SmsOtp => param::SMS_OTP_CODE,
                _ => return Err(mismatch()),
            };
            responses.insert(key.into(), code.expose_secret().to_owned());
        }
        (ChallengeName::SelectMfaType, ChallengeAnswer::SelectMfaType(choice)) => {
            responses.insert(param::ANSWER.into(), choice.wire_name().to_owned());
        }
        (ChallengeName::CustomChallenge, ChallengeAnswer::Custom(answer)) => {
            responses.insert(param::ANSWER.into(), answer.expose_secret().to_owned());
        }
        (ChallengeName::WebAuthn, ChallengeAnswer::WebAuthnCredential(credential)) => {
            responses.insert(param::CREDENTIAL.into(), credential);
        }
        (_, ChallengeAnswer::Responses(map)) => responses.extend(map),
        _ => return Err(mismatch()),
    }
    Ok(responses)
}
