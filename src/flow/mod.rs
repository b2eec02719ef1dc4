//! The flow a Cognito client embeds: `InitiateAuth` → `PASSWORD_VERIFIER` →
//! tokens, or a typed next step the caller answers; refresh.
//!
//! [`CognitoClient`] drives the sans-IO core over any
//! [`Transport`](crate::transport::Transport):
//!
//! * [`login`](CognitoClient::login) (`USER_SRP_AUTH`) and
//!   [`login_with`](CognitoClient::login_with) for `CUSTOM_AUTH` started with
//!   SRP, `USER_AUTH` with `PASSWORD_SRP` in one round trip and the explicit
//!   opt-in `USER_PASSWORD_AUTH` ([`LoginFlow`]);
//!   [`login_user_auth`](CognitoClient::login_user_auth) for any
//!   [`FirstFactor`] (passwordless codes, passkeys) or the user's choice;
//! * [`answer`](CognitoClient::answer) for `NEW_PASSWORD_REQUIRED`, `SMS_MFA`,
//!   `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`, `SMS_OTP`, `SELECT_MFA_TYPE`,
//!   `SELECT_CHALLENGE`, `WEB_AUTHN`, `CUSTOM_CHALLENGE`, `DEVICE_SRP_AUTH`
//!   and any unknown challenge; `MFA_SETUP` through
//!   [`begin_software_token_setup`](CognitoClient::begin_software_token_setup) /
//!   [`finish_software_token_setup`](CognitoClient::finish_software_token_setup);
//! * [`refresh`](CognitoClient::refresh) / [`refresh_tokens`](CognitoClient::refresh_tokens);
//! * device tracking: [`LoginOptions::remember_device`] confirms a new device
//!   (`ConfirmDevice`, `UpdateDeviceStatus`) and returns its
//!   [`DeviceCredentials`](crate::DeviceCredentials) in
//!   [`Tokens::device_credentials`]; [`LoginOptions::device`] signs in as a
//!   remembered device in every flow (`DEVICE_SRP_AUTH` →
//!   `DEVICE_PASSWORD_VERIFIER`, after whichever step Cognito asks),
//!   retrying once without it when Cognito no longer knows it
//!   ([`Tokens::stale_device`]); [`forget_device`](CognitoClient::forget_device).
//!
//! Every answer carries the `Session`, the internal `USERNAME` and the
//! `DEVICE_KEY` of the device in play, and recomputes `SECRET_HASH` with
//! that name.
//!
//! Layout: `client` (construction, [`LoginOutcome`]), `login`, `user_auth`,
//! `device_steps`, `answering`, `mfa_setup`, `refresh`, `sign_out`, all over
//! `exchange` (the two
//! requests); the decisions without I/O are in `rules`, the RNG factory in
//! `rng`, device state in `device`. Each operation and challenge runs in a
//! `tracing` span that records names only — never a password, code, session,
//! signature or token.

mod answer;
mod answering;
mod challenge;
mod client;
mod device;
mod device_steps;
mod error;
mod exchange;
mod first_factor;
mod login;
mod mfa_setup;
mod options;
mod refresh;
mod rng;
mod rules;
mod sign_out;
mod tokens;
mod user_auth;

pub use answer::{ChallengeAnswer, SecretAnswer};
pub use challenge::{Challenge, ChallengeKind, MfaType};
pub use client::{CognitoClient, LoginOutcome};
pub use device::StaleDevice;
pub use error::FlowError;
pub use first_factor::FirstFactor;
pub use mfa_setup::SoftwareTokenSetup;
pub use options::{LoginFlow, LoginOptions, RefreshOptions, RequestMetadata};
pub use tokens::{AccessToken, Claims, IdToken, RefreshToken, Tokens};
