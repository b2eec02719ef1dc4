//! Enumerated names on the wire: auth flows, challenge names, operations.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A name this crate does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The name on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(other) => other,
                }
            }

            /// The value for a name on the wire (unknown names become `Other`).
            pub fn from_wire(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from_wire(&text))
            }
        }
    };
}

wire_enum!(
    /// `AuthFlow` of `InitiateAuth`.
    AuthFlow {
        /// SRP: the password never leaves the device.
        UserSrpAuth => "USER_SRP_AUTH",
        /// Exchange a refresh token for new tokens.
        RefreshTokenAuth => "REFRESH_TOKEN_AUTH",
        /// The same as `REFRESH_TOKEN_AUTH` (older name).
        RefreshToken => "REFRESH_TOKEN",
        /// Lambda-driven custom challenges (optionally started with SRP).
        CustomAuth => "CUSTOM_AUTH",
        /// The password is sent to Cognito over TLS (explicit opt-in).
        UserPasswordAuth => "USER_PASSWORD_AUTH",
        /// Choice-based sign-in.
        UserAuth => "USER_AUTH",
    }
);

wire_enum!(
    /// `ChallengeName` in responses and in `RespondToAuthChallenge`.
    ChallengeName {
        /// The SRP proof of the password.
        PasswordVerifier => "PASSWORD_VERIFIER",
        /// Start of device SRP for a remembered device.
        DeviceSrpAuth => "DEVICE_SRP_AUTH",
        /// The SRP proof of the device password.
        DevicePasswordVerifier => "DEVICE_PASSWORD_VERIFIER",
        /// A temporary password must be replaced.
        NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
        /// A code sent by SMS.
        SmsMfa => "SMS_MFA",
        /// A TOTP code from an authenticator app.
        SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
        /// A code sent by email.
        EmailOtp => "EMAIL_OTP",
        /// The user picks an MFA type.
        SelectMfaType => "SELECT_MFA_TYPE",
        /// The user must set up MFA first.
        MfaSetup => "MFA_SETUP",
        /// A Lambda-defined challenge.
        CustomChallenge => "CUSTOM_CHALLENGE",
        /// USER_AUTH: the user picks a first factor.
        SelectChallenge => "SELECT_CHALLENGE",
        /// USER_AUTH: a password sent over TLS.
        Password => "PASSWORD",
        /// USER_AUTH: an SRP password proof.
        PasswordSrp => "PASSWORD_SRP",
        /// A code sent by SMS as the first factor.
        SmsOtp => "SMS_OTP",
        /// A passkey / WebAuthn assertion.
        WebAuthn => "WEB_AUTHN",
        /// Admin flows: no SRP.
        AdminNoSrpAuth => "ADMIN_NO_SRP_AUTH",
    }
);

wire_enum!(
    /// Every Cognito operation this crate or its local pool speaks
    /// (the `X-Amz-Target` suffix); the pool dispatches on it.
    Operation {
        /// Starts a sign-in.
        InitiateAuth => "InitiateAuth",
        /// Answers a challenge.
        RespondToAuthChallenge => "RespondToAuthChallenge",
        /// MFA setup: get a TOTP secret.
        AssociateSoftwareToken => "AssociateSoftwareToken",
        /// MFA setup: prove the TOTP secret.
        VerifySoftwareToken => "VerifySoftwareToken",
        /// Registers a device verifier.
        ConfirmDevice => "ConfirmDevice",
        /// Remembers or forgets a device.
        UpdateDeviceStatus => "UpdateDeviceStatus",
        /// Deletes a device.
        ForgetDevice => "ForgetDevice",
        /// Lists the signed-in user's devices.
        ListDevices => "ListDevices",
        /// New tokens from a refresh token.
        GetTokensFromRefreshToken => "GetTokensFromRefreshToken",
        /// Revokes a refresh token.
        RevokeToken => "RevokeToken",
        /// Signs the user out everywhere.
        GlobalSignOut => "GlobalSignOut",
        /// Reads the signed-in user.
        GetUser => "GetUser",
        /// Administrator: lists a user's devices.
        AdminListDevices => "AdminListDevices",
        /// Administrator: creates a user with a temporary password.
        AdminCreateUser => "AdminCreateUser",
        /// Administrator: sets a user's password.
        AdminSetUserPassword => "AdminSetUserPassword",
        /// Administrator: reads a user.
        AdminGetUser => "AdminGetUser",
        /// Administrator: sets a user's MFA preference.
        AdminSetUserMfaPreference => "AdminSetUserMFAPreference",
        /// The signed-in user sets their MFA preference.
        SetUserMfaPreference => "SetUserMFAPreference",
        /// Cognito Identity (`AWSCognitoIdentityService.`): an identity id
        /// for a login.
        GetId => "GetId",
        /// Cognito Identity (`AWSCognitoIdentityService.`): temporary AWS
        /// credentials for an identity.
        GetCredentialsForIdentity => "GetCredentialsForIdentity",
    }
);

impl ChallengeName {
    /// Whether this is an unknown challenge name.
    pub fn is_unknown(&self) -> bool {
        matches!(self, ChallengeName::Other(_))
    }
}
