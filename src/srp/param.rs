//! The names of Cognito's `AuthParameters`, `ChallengeParameters` and
//! `ChallengeResponses` keys, spelled once for every layer (the core, the
//! flow and the local pool).

/// The user name: the alias typed on `InitiateAuth`, the internal name on answers.
pub const USERNAME: &str = "USERNAME";
/// The internal user name Cognito uses in the SRP proof.
pub const USER_ID_FOR_SRP: &str = "USER_ID_FOR_SRP";
/// The client's public SRP value `A`, lowercase hex.
pub const SRP_A: &str = "SRP_A";
/// The server's public SRP value `B`, signed hex.
pub const SRP_B: &str = "SRP_B";
/// The user's (or device's) salt, signed hex.
pub const SALT: &str = "SALT";
/// Cognito's opaque `SECRET_BLOCK`, base64.
pub const SECRET_BLOCK: &str = "SECRET_BLOCK";
/// The `SECRET_BLOCK` echoed back in the proof.
pub const PASSWORD_CLAIM_SECRET_BLOCK: &str = "PASSWORD_CLAIM_SECRET_BLOCK";
/// The proof of the password (or device password), base64.
pub const PASSWORD_CLAIM_SIGNATURE: &str = "PASSWORD_CLAIM_SIGNATURE";
/// The proof's timestamp, `EEE MMM d HH:mm:ss UTC yyyy`.
pub const TIMESTAMP: &str = "TIMESTAMP";
/// `SECRET_HASH` for app clients with a secret.
pub const SECRET_HASH: &str = "SECRET_HASH";
/// A remembered device's key.
pub const DEVICE_KEY: &str = "DEVICE_KEY";
/// `CUSTOM_AUTH` started with SRP: `CHALLENGE_NAME` = `SRP_A`.
pub const CHALLENGE_NAME: &str = "CHALLENGE_NAME";
/// The value of [`CHALLENGE_NAME`] that starts `CUSTOM_AUTH` with SRP.
pub const CHALLENGE_NAME_SRP_A: &str = "SRP_A";
/// The refresh token of `REFRESH_TOKEN_AUTH`.
pub const REFRESH_TOKEN: &str = "REFRESH_TOKEN";
/// The password of `USER_PASSWORD_AUTH` (and `USER_AUTH` with `PASSWORD`).
pub const PASSWORD: &str = "PASSWORD";
/// The new password answering `NEW_PASSWORD_REQUIRED`.
pub const NEW_PASSWORD: &str = "NEW_PASSWORD";
/// The answer to `SELECT_CHALLENGE`, `SELECT_MFA_TYPE` or a custom challenge.
pub const ANSWER: &str = "ANSWER";
/// The code answering `SOFTWARE_TOKEN_MFA`.
pub const SOFTWARE_TOKEN_MFA_CODE: &str = "SOFTWARE_TOKEN_MFA_CODE";
/// The code answering `SMS_MFA`.
pub const SMS_MFA_CODE: &str = "SMS_MFA_CODE";
/// The code answering `EMAIL_OTP`.
pub const EMAIL_OTP_CODE: &str = "EMAIL_OTP_CODE";
/// The code answering `SMS_OTP`.
pub const SMS_OTP_CODE: &str = "SMS_OTP_CODE";
/// `USER_AUTH`: the first factor the user prefers.
pub const PREFERRED_CHALLENGE: &str = "PREFERRED_CHALLENGE";
/// Where a code was sent (masked).
pub const CODE_DELIVERY_DESTINATION: &str = "CODE_DELIVERY_DESTINATION";
/// How a code was sent (`SMS`, `EMAIL`).
pub const CODE_DELIVERY_DELIVERY_MEDIUM: &str = "CODE_DELIVERY_DELIVERY_MEDIUM";
/// `SELECT_MFA_TYPE` / `MFA_SETUP`: the MFA types the user can choose (JSON array text).
pub const MFAS_CAN_CHOOSE: &str = "MFAS_CAN_CHOOSE";
/// `MFA_SETUP`: the MFA types the user can set up (JSON array text).
pub const MFAS_CAN_SETUP: &str = "MFAS_CAN_SETUP";
/// `NEW_PASSWORD_REQUIRED`: the user's current attributes (JSON object text).
pub const USER_ATTRIBUTES: &str = "userAttributes";
/// `NEW_PASSWORD_REQUIRED`: the attributes the user must supply (JSON array text).
pub const REQUIRED_ATTRIBUTES: &str = "requiredAttributes";
/// The prefix of a user attribute in a `NEW_PASSWORD_REQUIRED` answer (`userAttributes.name`).
pub const USER_ATTRIBUTE_PREFIX: &str = "userAttributes.";
/// `DEVICE_SRP_AUTH`-related challenges: the device's friendly name, when sent.
pub const FRIENDLY_DEVICE_NAME: &str = "FRIENDLY_DEVICE_NAME";
/// `WEB_AUTHN`: the passkey request options Cognito sends (JSON text).
pub const CREDENTIAL_REQUEST_OPTIONS: &str = "CREDENTIAL_REQUEST_OPTIONS";
/// `WEB_AUTHN`: the authenticator's answer (`AuthenticationResponseJSON` text).
pub const CREDENTIAL: &str = "CREDENTIAL";
