//! `MFA_SETUP` with an authenticator app: [`SoftwareTokenSetup`] and the two
//! steps [`begin_software_token_setup`](CognitoClient::begin_software_token_setup)
//! (`AssociateSoftwareToken`) and
//! [`finish_software_token_setup`](CognitoClient::finish_software_token_setup)
//! (`VerifySoftwareToken`, then the `MFA_SETUP` answer).

use std::collections::BTreeMap;
use std::fmt;

use tracing::Instrument;

use super::answer::{ChallengeAnswer, SecretAnswer};
use super::challenge::Challenge;
use super::client::{CognitoClient, LoginOutcome};
use super::error::FlowError;
use crate::transport::Transport;
use crate::wire::{
    AssociateSoftwareTokenRequest, ChallengeName, Operation, VerifySoftwareTokenRequest,
    VerifySoftwareTokenStatus,
};

/// A TOTP secret obtained with `AssociateSoftwareToken` during `MFA_SETUP`.
///
/// Show [`otpauth_uri`](Self::otpauth_uri) (as a QR code) or
/// [`expose_secret_code`](Self::expose_secret_code) to the user, then finish
/// with [`finish_software_token_setup`](super::CognitoClient::finish_software_token_setup).
/// `Debug` redacts the secret and the session.
#[derive(Clone)]
pub struct SoftwareTokenSetup {
    pub(crate) secret_code: zeroize::Zeroizing<String>,
    pub(crate) challenge: Challenge,
}

impl SoftwareTokenSetup {
    /// The base32 TOTP secret. Do not log or print it anywhere but to the user.
    pub fn expose_secret_code(&self) -> &str {
        &self.secret_code
    }

    /// The internal user name the secret is for.
    pub fn username(&self) -> &str {
        self.challenge.username()
    }

    /// `otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>`,
    /// the URI authenticator apps read from a QR code. **Contains the secret.**
    pub fn otpauth_uri(&self, issuer: &str, account_name: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}",
            percent_encode(account_name),
            percent_encode(&self.secret_code),
        )
    }
}

impl fmt::Debug for SoftwareTokenSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SoftwareTokenSetup")
            .field("secret_code", &"[redacted]")
            .field("challenge", &self.challenge)
            .finish()
    }
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl<T: Transport> CognitoClient<T> {
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
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(percent_encode("My App"), "My%20App");
        assert_eq!(percent_encode("a@b.c:d"), "a%40b.c%3Ad");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }
}
