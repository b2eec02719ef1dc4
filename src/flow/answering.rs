//! Answering a challenge: [`answer`](CognitoClient::answer) maps a
//! [`ChallengeAnswer`] to the challenge's responses, completes them with the
//! internal `USERNAME` and `SECRET_HASH`, and sends them with the `Session`.

use tracing::Instrument;

use super::answer::ChallengeAnswer;
use super::challenge::Challenge;
use super::client::{CognitoClient, LoginOutcome};
use super::error::FlowError;
use super::rules;
use crate::srp::param;
use crate::transport::Transport;
use crate::wire::{ChallengeName, Operation, ParameterMap};

impl<T: Transport> CognitoClient<T> {
    /// Answers a challenge: adds the internal `USERNAME`, a `SECRET_HASH`
    /// computed with it, and the `Session`.
    pub async fn answer(
        &self,
        challenge: Challenge,
        answer: ChallengeAnswer,
    ) -> Result<LoginOutcome, FlowError> {
        let span = tracing::info_span!("cognito.answer", challenge = %challenge.name);
        async move {
            let mut responses = responses_for(&challenge.name, answer)?;
            rules::complete_answer(&mut responses, &challenge.username, |name| {
                self.srp.secret_hash(name)
            });
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
            )?;
            self.finish_login(outcome, challenge.device.clone()).await
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
        (_, ChallengeAnswer::Responses(map)) => responses.extend(map),
        _ => return Err(mismatch()),
    }
    Ok(responses)
}
