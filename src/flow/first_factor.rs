//! [`FirstFactor`]: how a `USER_AUTH` (choice-based) sign-in proves who the
//! user is first.

use std::fmt;

use crate::secret::Password;
use crate::wire::ChallengeName;

/// A first factor of a `USER_AUTH` sign-in: what goes in
/// `PREFERRED_CHALLENGE` on `InitiateAuth`, or in the `ANSWER` to
/// `SELECT_CHALLENGE`.
///
/// `Debug` never shows a password.
#[derive(Clone)]
#[non_exhaustive]
pub enum FirstFactor {
    /// `PASSWORD_SRP`: the password proven with SRP; `SRP_A` goes with the
    /// choice, so Cognito answers `PASSWORD_VERIFIER` at once.
    PasswordSrp(Password),
    /// `PASSWORD` — **the password itself is sent to Cognito** (over TLS).
    /// Prefer [`PasswordSrp`](Self::PasswordSrp).
    Password(Password),
    /// `EMAIL_OTP`: passwordless, a code sent by email (answer the
    /// `EMAIL_OTP` challenge with [`ChallengeAnswer::code`](super::ChallengeAnswer::code)).
    EmailOtp,
    /// `SMS_OTP`: passwordless, a code sent by SMS (answer the `SMS_OTP`
    /// challenge with [`ChallengeAnswer::code`](super::ChallengeAnswer::code)).
    SmsOtp,
    /// `WEB_AUTHN`: a passkey; Cognito sends `CREDENTIAL_REQUEST_OPTIONS`
    /// ([`ChallengeKind::WebAuthn`](super::ChallengeKind::WebAuthn)) and the
    /// caller's authenticator answers with
    /// [`ChallengeAnswer::WebAuthnCredential`](super::ChallengeAnswer::WebAuthnCredential).
    WebAuthn,
}

impl FirstFactor {
    /// The challenge this factor names on the wire (`PASSWORD_SRP`,
    /// `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`).
    pub fn challenge_name(&self) -> ChallengeName {
        match self {
            Self::PasswordSrp(_) => ChallengeName::PasswordSrp,
            Self::Password(_) => ChallengeName::Password,
            Self::EmailOtp => ChallengeName::EmailOtp,
            Self::SmsOtp => ChallengeName::SmsOtp,
            Self::WebAuthn => ChallengeName::WebAuthn,
        }
    }
}

impl fmt::Debug for FirstFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PasswordSrp(_) => f.write_str("PasswordSrp([redacted])"),
            Self::Password(_) => f.write_str("Password([redacted])"),
            Self::EmailOtp => f.write_str("EmailOtp"),
            Self::SmsOtp => f.write_str("SmsOtp"),
            Self::WebAuthn => f.write_str("WebAuthn"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_wire_challenges_and_hides_passwords() {
        let srp = FirstFactor::PasswordSrp(Password::new("hunter2"));
        assert_eq!(srp.challenge_name().as_str(), "PASSWORD_SRP");
        assert_eq!(
            FirstFactor::Password(Password::new("hunter2"))
                .challenge_name()
                .as_str(),
            "PASSWORD"
        );
        assert_eq!(FirstFactor::EmailOtp.challenge_name().as_str(), "EMAIL_OTP");
        assert_eq!(FirstFactor::SmsOtp.challenge_name().as_str(), "SMS_OTP");
        assert_eq!(FirstFactor::WebAuthn.challenge_name().as_str(), "WEB_AUTHN");
        assert!(!format!("{srp:?}").contains("hunter2"));
    }
}
