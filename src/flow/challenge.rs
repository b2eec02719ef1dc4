//! [`Challenge`]: a typed next step the caller answers.

use std::collections::BTreeMap;
use std::fmt;

use super::options::RequestMetadata;
use crate::srp::param;
use crate::wire::{ChallengeName, ParameterMap};

/// A second factor Cognito can ask for or offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MfaType {
    /// `SMS_MFA`: a code sent by SMS.
    Sms,
    /// `SOFTWARE_TOKEN_MFA`: a TOTP code from an authenticator app.
    SoftwareToken,
    /// `EMAIL_OTP`: a code sent by email.
    Email,
}

impl MfaType {
    /// The challenge name on the wire (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    pub fn wire_name(self) -> &'static str {
        match self {
            MfaType::Sms => "SMS_MFA",
            MfaType::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            MfaType::Email => "EMAIL_OTP",
        }
    }

    /// The type for a wire name; `None` for names this crate does not know.
    pub fn from_wire(name: &str) -> Option<Self> {
        match name {
            "SMS_MFA" => Some(MfaType::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(MfaType::SoftwareToken),
            "EMAIL_OTP" => Some(MfaType::Email),
            _ => None,
        }
    }
}

/// What a [`Challenge`] asks for, with its public parameters typed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChallengeKind {
    /// `NEW_PASSWORD_REQUIRED`: a temporary password must be replaced.
    NewPasswordRequired {
        /// Attributes that must be given with the new password (names without
        /// the `userAttributes.` prefix).
        required_attributes: Vec<String>,
        /// The user's current attributes, as Cognito sent them.
        user_attributes: BTreeMap<String, String>,
    },
    /// `SMS_MFA`: a code was sent by SMS.
    SmsMfa {
        /// `CODE_DELIVERY_DESTINATION` (masked phone number).
        destination: Option<String>,
    },
    /// `SOFTWARE_TOKEN_MFA`: a code from the authenticator app.
    SoftwareTokenMfa {
        /// `FRIENDLY_DEVICE_NAME`, when Cognito sent it.
        friendly_device_name: Option<String>,
    },
    /// `EMAIL_OTP`: a code was sent by email.
    EmailOtp {
        /// `CODE_DELIVERY_DESTINATION` (masked address).
        destination: Option<String>,
    },
    /// `SELECT_MFA_TYPE`: the user picks a second factor.
    SelectMfaType {
        /// `MFAS_CAN_CHOOSE`, the known ones.
        options: Vec<MfaType>,
    },
    /// `MFA_SETUP`: the user must set up a second factor first. For TOTP use
    /// [`begin_software_token_setup`](super::CognitoClient::begin_software_token_setup).
    MfaSetup {
        /// `MFAS_CAN_SETUP`, the known ones.
        can_set_up: Vec<MfaType>,
    },
    /// `CUSTOM_CHALLENGE`: a Lambda-defined question; its public parameters.
    CustomChallenge {
        /// The challenge parameters (as the pool's trigger set them).
        parameters: BTreeMap<String, String>,
    },
    /// `SELECT_CHALLENGE` (`USER_AUTH`): the user picks a first factor; answer
    /// with [`ChallengeAnswer::Select`](super::ChallengeAnswer::Select).
    SelectChallenge {
        /// `AvailableChallenges`: the first factors Cognito offers this user.
        available: Vec<ChallengeName>,
    },
    /// `SMS_OTP` (`USER_AUTH`, passwordless): a code was sent by SMS.
    SmsOtp {
        /// `CODE_DELIVERY_DESTINATION` (masked phone number).
        destination: Option<String>,
    },
    /// `WEB_AUTHN` (`USER_AUTH`): sign in with a passkey. Hand the options to
    /// the authenticator (`navigator.credentials.get`, or a platform API) and
    /// answer with its result in
    /// [`ChallengeAnswer::WebAuthnCredential`](super::ChallengeAnswer::WebAuthnCredential).
    WebAuthn {
        /// `CREDENTIAL_REQUEST_OPTIONS`: the `PublicKeyCredentialRequestOptions`
        /// as JSON text (challenge, relying party, allowed credentials).
        credential_request_options: Option<String>,
    },
    /// `DEVICE_SRP_AUTH` with no device credentials at hand (with them, the
    /// client answers it itself): answer with
    /// [`ChallengeAnswer::Device`](super::ChallengeAnswer::Device).
    DeviceSrpAuth,
    /// Any other challenge: answer with
    /// [`ChallengeAnswer::Responses`](super::ChallengeAnswer::Responses).
    Other,
}

/// A challenge to answer with [`CognitoClient::answer`](super::CognitoClient::answer).
///
/// Carries the `Session`, the internal user name (`USERNAME` or
/// `USER_ID_FOR_SRP`) the answer and its `SECRET_HASH` are computed with, and the
/// login's metadata. `Debug` never shows the session or parameter values.
#[derive(Clone)]
pub struct Challenge {
    pub(crate) name: ChallengeName,
    pub(crate) kind: ChallengeKind,
    pub(crate) session: Option<String>,
    pub(crate) username: String,
    pub(crate) parameters: ParameterMap,
    pub(crate) metadata: RequestMetadata,
    /// Device tracking of the login this challenge belongs to.
    pub(crate) device: super::device::DeviceContext,
}

impl Challenge {
    /// Types a challenge from a response. `username` is the internal user name
    /// known so far, used when the parameters carry none.
    pub(crate) fn from_response(
        name: ChallengeName,
        session: Option<String>,
        parameters: ParameterMap,
        available: Option<Vec<ChallengeName>>,
        username: &str,
        metadata: RequestMetadata,
    ) -> Self {
        let param = |key: &str| parameters.get(key).filter(|v| !v.is_empty()).cloned();
        let username = param("USERNAME")
            .or_else(|| param("USER_ID_FOR_SRP"))
            .unwrap_or_else(|| username.to_owned());
        let kind = match &name {
            ChallengeName::NewPasswordRequired => ChallengeKind::NewPasswordRequired {
                required_attributes: json_list(parameters.get("requiredAttributes"))
                    .into_iter()
                    .map(|a| a.strip_prefix("userAttributes.").unwrap_or(&a).to_owned())
                    .collect(),
                user_attributes: json_object(parameters.get("userAttributes")),
            },
            ChallengeName::SmsMfa => ChallengeKind::SmsMfa {
                destination: param("CODE_DELIVERY_DESTINATION"),
            },
            ChallengeName::SoftwareTokenMfa => ChallengeKind::SoftwareTokenMfa {
                friendly_device_name: param("FRIENDLY_DEVICE_NAME"),
            },
            ChallengeName::EmailOtp => ChallengeKind::EmailOtp {
                destination: param("CODE_DELIVERY_DESTINATION"),
            },
            ChallengeName::SelectMfaType => ChallengeKind::SelectMfaType {
                options: mfa_types(parameters.get("MFAS_CAN_CHOOSE")),
            },
            ChallengeName::MfaSetup => ChallengeKind::MfaSetup {
                can_set_up: mfa_types(parameters.get("MFAS_CAN_SETUP")),
            },
            ChallengeName::CustomChallenge => ChallengeKind::CustomChallenge {
                parameters: parameters
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            },
            ChallengeName::SelectChallenge => ChallengeKind::SelectChallenge {
                available: available.unwrap_or_default(),
            },
            ChallengeName::SmsOtp => ChallengeKind::SmsOtp {
                destination: param(param::CODE_DELIVERY_DESTINATION),
            },
            ChallengeName::WebAuthn => ChallengeKind::WebAuthn {
                credential_request_options: param(param::CREDENTIAL_REQUEST_OPTIONS),
            },
            ChallengeName::DeviceSrpAuth => ChallengeKind::DeviceSrpAuth,
            _ => ChallengeKind::Other,
        };
        Self {
            name,
            kind,
            session,
            username,
            parameters,
            metadata,
            device: super::device::DeviceContext::default(),
        }
    }

    /// The challenge name (unknown names are kept verbatim).
    pub fn name(&self) -> &ChallengeName {
        &self.name
    }

    /// What the challenge asks for.
    pub fn kind(&self) -> &ChallengeKind {
        &self.kind
    }

    /// The internal user name the answer is sent for.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The raw `ChallengeParameters` (public values chosen by Cognito or the
    /// pool's triggers).
    pub fn parameters(&self) -> &ParameterMap {
        &self.parameters
    }

    /// Whether Cognito sent a `Session` with the challenge.
    pub fn has_session(&self) -> bool {
        self.session.is_some()
    }
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&str> = self.parameters.keys().map(String::as_str).collect();
        keys.sort_unstable();
        f.debug_struct("Challenge")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("session", &self.session.as_ref().map(|_| "[redacted]"))
            .field("username", &self.username)
            .field("parameter_keys", &keys)
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// A JSON array of strings inside a parameter (`["SMS_MFA","SOFTWARE_TOKEN_MFA"]`);
/// empty when absent or malformed.
fn json_list(value: Option<&String>) -> Vec<String> {
    value
        .and_then(|v| serde_json::from_str::<Vec<serde_json::Value>>(v).ok())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| match v {
            serde_json::Value::String(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// A JSON object inside a parameter (`userAttributes`); non-string values
/// are kept as their JSON text. Empty when absent or malformed.
fn json_object(value: Option<&String>) -> BTreeMap<String, String> {
    value
        .and_then(|v| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(v).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect()
}

fn mfa_types(value: Option<&String>) -> Vec<MfaType> {
    json_list(value)
        .iter()
        .filter_map(|name| MfaType::from_wire(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> ParameterMap {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn types_new_password_required() {
        let c = Challenge::from_response(
            ChallengeName::NewPasswordRequired,
            Some("S".into()),
            params(&[
                ("USER_ID_FOR_SRP", "internal"),
                ("requiredAttributes", r#"["userAttributes.name"]"#),
                (
                    "userAttributes",
                    r#"{"email":"a@b.c","email_verified":true}"#,
                ),
            ]),
            None,
            "alias",
            RequestMetadata::default(),
        );
        assert_eq!(c.username(), "internal");
        let ChallengeKind::NewPasswordRequired {
            required_attributes,
            user_attributes,
        } = c.kind()
        else {
            panic!("{c:?}")
        };
        assert_eq!(required_attributes, &["name"]);
        assert_eq!(user_attributes["email_verified"], "true");
        assert!(!format!("{c:?}").contains("\"S\""));
    }

    #[test]
    fn types_mfa_choices_and_tolerates_garbage() {
        let c = Challenge::from_response(
            ChallengeName::SelectMfaType,
            None,
            params(&[("MFAS_CAN_CHOOSE", r#"["SMS_MFA","SOFTWARE_TOKEN_MFA","X"]"#)]),
            None,
            "u",
            RequestMetadata::default(),
        );
        assert_eq!(
            c.kind(),
            &ChallengeKind::SelectMfaType {
                options: vec![MfaType::Sms, MfaType::SoftwareToken]
            }
        );
        let c = Challenge::from_response(
            ChallengeName::MfaSetup,
            None,
            params(&[("MFAS_CAN_SETUP", "{not json")]),
            None,
            "u",
            RequestMetadata::default(),
        );
        assert_eq!(c.kind(), &ChallengeKind::MfaSetup { can_set_up: vec![] });
        assert_eq!(c.username(), "u");
    }

    #[test]
    fn types_the_user_auth_challenges() {
        let typed = |name: ChallengeName, pairs: &[(&str, &str)]| {
            Challenge::from_response(
                name,
                Some("S".into()),
                params(pairs),
                Some(vec![ChallengeName::PasswordSrp, ChallengeName::EmailOtp]),
                "u",
                RequestMetadata::default(),
            )
            .kind()
            .clone()
        };
        assert_eq!(
            typed(ChallengeName::SelectChallenge, &[]),
            ChallengeKind::SelectChallenge {
                available: vec![ChallengeName::PasswordSrp, ChallengeName::EmailOtp]
            }
        );
        assert_eq!(
            typed(
                ChallengeName::SmsOtp,
                &[("CODE_DELIVERY_DESTINATION", "+*******0199")]
            ),
            ChallengeKind::SmsOtp {
                destination: Some("+*******0199".into())
            }
        );
        assert_eq!(
            typed(
                ChallengeName::WebAuthn,
                &[("CREDENTIAL_REQUEST_OPTIONS", r#"{"challenge":"abc"}"#)]
            ),
            ChallengeKind::WebAuthn {
                credential_request_options: Some(r#"{"challenge":"abc"}"#.into())
            }
        );
        assert_eq!(
            typed(ChallengeName::DeviceSrpAuth, &[]),
            ChallengeKind::DeviceSrpAuth
        );
    }
}
