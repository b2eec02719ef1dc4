//! What follows a correct password, shared by the sign-in operations:
//! `NEW_PASSWORD_REQUIRED`, a second factor (TOTP, SMS, the choice or the
//! set-up), a device proof, or the tokens; and the challenge sessions that
//! carry them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::local_pool::CODES_LOG_TARGET;
use crate::local_pool::config::{DeviceTracking, MfaConfiguration};
use crate::local_pool::error::ErrorReply;
use crate::local_pool::random;
use crate::local_pool::state::pool::PoolState;
use crate::local_pool::state::sessions::{ChallengeSession, Stage};
use crate::local_pool::state::users::{MfaKind, User, UserStatus};
use crate::srp::param;
use crate::wire::ChallengeName;
use crate::wire::ServiceErrorKind;
use crate::wire::{InitiateAuthResponse, ParameterMap};

/// A sign-in past its first factor, as of the request being answered.
#[derive(Clone, Copy)]
pub(crate) struct SignIn<'a> {
    /// The app client signing in.
    pub(crate) client_id: &'a str,
    /// When the first factor was proved (the tokens' `auth_time`).
    pub(crate) auth_time: i64,
    /// The known device the sign-in named (its tokens belong to it); `None`:
    /// the tokens carry `NewDeviceMetadata` (device tracking on).
    pub(crate) known_device: Option<&'a str>,
    /// The time of the request being answered.
    pub(crate) now: DateTime<Utc>,
}

impl<'a> SignIn<'a> {
    /// A sign-in whose first factor was proved at `now`.
    pub(crate) fn fresh(
        client_id: &'a str,
        known_device: Option<&'a str>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            client_id,
            auth_time: now.timestamp(),
            known_device,
            now,
        }
    }

    /// The sign-in a challenge session carries on, answered at `now`.
    pub(crate) fn resumed(session: &'a ChallengeSession, now: DateTime<Utc>) -> Self {
        Self {
            client_id: &session.client_id,
            auth_time: session.auth_time,
            known_device: session.known_device.as_deref(),
            now,
        }
    }
}

impl PoolState {
    /// What follows a correct password: `NEW_PASSWORD_REQUIRED`, a second
    /// factor, or the tokens.
    ///
    /// `known_device`: the known device the sign-in named; without one the
    /// tokens carry `NewDeviceMetadata`.
    pub(crate) fn after_password(
        &self,
        user: &User,
        client_id: &str,
        now: DateTime<Utc>,
        known_device: Option<&str>,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        if !user.enabled {
            return Err(ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                "User is disabled.",
            ));
        }
        let sign_in = SignIn::fresh(client_id, known_device, now);
        if user.status == UserStatus::ForceChangePassword {
            let attributes: BTreeMap<&String, &String> = user
                .attributes
                .iter()
                // As Cognito sends them: `*_verified` included (identity-js's
                // README tells apps to delete `email_verified` before
                // answering), `sub` left out.
                .filter(|(name, _)| name.as_str() != "sub")
                .collect();
            let mut params = self.user_params(user);
            params.insert(
                "userAttributes".to_owned(),
                serde_json::to_string(&attributes).map_err(|_| ErrorReply::internal())?,
            );
            params.insert("requiredAttributes".to_owned(), "[]".to_owned());
            return self.challenge(user, sign_in, Stage::NewPasswordRequired, params);
        }
        self.second_factor(user, sign_in)
    }

    /// The MFA step (or the tokens) for a user whose first factor is done.
    pub(crate) fn second_factor(
        &self,
        user: &User,
        sign_in: SignIn<'_>,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        if self.mfa == MfaConfiguration::Off {
            return self.sign_in_tokens(user, sign_in);
        }
        let kinds = user.enabled_mfa();
        let kind = match (kinds.as_slice(), user.preferred_mfa) {
            ([], _) if self.mfa == MfaConfiguration::On => {
                let mut params = self.user_params(user);
                params.insert(
                    param::MFAS_CAN_SETUP.to_owned(),
                    serde_json::to_string(&[ChallengeName::SoftwareTokenMfa.as_str()])
                        .map_err(|_| ErrorReply::internal())?,
                );
                let stage = Stage::MfaSetup {
                    secret: None,
                    verified: false,
                };
                return self.challenge(user, sign_in, stage, params);
            }
            ([], _) => return self.sign_in_tokens(user, sign_in),
            ([only], _) => *only,
            (_, Some(preferred)) if kinds.contains(&preferred) => preferred,
            (_, _) => {
                let mut params = self.user_params(user);
                let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
                params.insert(
                    param::MFAS_CAN_CHOOSE.to_owned(),
                    serde_json::to_string(&names).map_err(|_| ErrorReply::internal())?,
                );
                return self.challenge(user, sign_in, Stage::SelectMfaType, params);
            }
        };
        self.mfa_challenge(user, sign_in, kind)
    }

    /// `SMS_MFA` (code written to the log) or `SOFTWARE_TOKEN_MFA`.
    pub(crate) fn mfa_challenge(
        &self,
        user: &User,
        sign_in: SignIn<'_>,
        kind: MfaKind,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        let mut params = self.user_params(user);
        let stage = match kind {
            MfaKind::SoftwareToken => Stage::SoftwareTokenMfa,
            MfaKind::Sms => {
                let code = random::digits(6)?;
                let phone = user
                    .attributes
                    .get("phone_number")
                    .map(String::as_str)
                    .unwrap_or("");
                let masked = mask_phone(phone);
                // The local pool has no SMS gateway: the code goes to the server log.
                tracing::info!(
                    target: CODES_LOG_TARGET,
                    user = %user.username,
                    destination = %masked,
                    code = %code.as_str(),
                    "SMS_MFA code"
                );
                self.record_sms_code(&user.sub, code.clone());
                params.insert(
                    param::CODE_DELIVERY_DELIVERY_MEDIUM.to_owned(),
                    "SMS".to_owned(),
                );
                params.insert(param::CODE_DELIVERY_DESTINATION.to_owned(), masked);
                Stage::SmsMfa { code }
            }
        };
        self.challenge(user, sign_in, stage, params)
    }

    /// Opens a challenge session for `stage` and answers with it.
    pub(crate) fn challenge(
        &self,
        user: &User,
        sign_in: SignIn<'_>,
        stage: Stage,
        params: ParameterMap,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        let name = stage.challenge_name();
        let session = self.sessions.open(ChallengeSession {
            sub: user.sub.clone(),
            client_id: sign_in.client_id.to_owned(),
            auth_time: sign_in.auth_time,
            stage,
            failures: 0,
            known_device: sign_in.known_device.map(str::to_owned),
        })?;
        Ok(InitiateAuthResponse {
            challenge_name: Some(name),
            session: Some(session),
            challenge_parameters: Some(params),
            ..Default::default()
        })
    }

    pub(crate) fn user_params(&self, user: &User) -> ParameterMap {
        let mut params = ParameterMap::new();
        params.insert(
            param::USER_ID_FOR_SRP.to_owned(),
            user.internal_name.clone(),
        );
        params
    }

    /// The tokens of a sign-in; `device_key`: the device it used or is offered.
    pub(crate) fn tokens_for(
        &self,
        user: &User,
        sign_in: SignIn<'_>,
        device_key: Option<String>,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        let client_id = sign_in.client_id;
        let result =
            self.tokens
                .sign_in(user, client_id, sign_in.auth_time, device_key, sign_in.now)?;
        tracing::debug!(user = %user.username, client_id, "signed in");
        Ok(InitiateAuthResponse {
            authentication_result: Some(result),
            challenge_parameters: Some(ParameterMap::new()),
            ..Default::default()
        })
    }

    /// The tokens of a completed sign-in; with `NewDeviceMetadata` (a new,
    /// unconfirmed device) when `new_device`.
    pub(crate) fn sign_in_tokens(
        &self,
        user: &User,
        sign_in: SignIn<'_>,
    ) -> Result<InitiateAuthResponse, ErrorReply> {
        let tracking = self.device_tracking != DeviceTracking::Off;
        let new_device = match sign_in.known_device.is_none() && tracking {
            true => Some(
                self.devices
                    .issue(&user.sub, self.user_pool_id.region(), sign_in.now)?,
            ),
            false => None,
        };
        let device_key = match sign_in.known_device.filter(|_| tracking) {
            Some(known) => Some(known.to_owned()),
            None => new_device.as_ref().and_then(|d| d.device_key.clone()),
        };
        let mut response = self.tokens_for(user, sign_in, device_key)?;
        if let Some(result) = response.authentication_result.as_mut() {
            result.new_device_metadata = new_device;
        }
        Ok(response)
    }
}

/// `+*******1234`.
pub(crate) fn mask_phone(phone: &str) -> String {
    let tail: String = phone
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("+*******{tail}")
}
