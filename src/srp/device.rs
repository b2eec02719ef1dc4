//! Device SRP for a remembered device: [`SrpClient::start_device_srp`] answers
//! `DEVICE_SRP_AUTH`, [`DeviceSrpSession`] answers `DEVICE_PASSWORD_VERIFIER`.
//!
//! The math is USER_SRP_AUTH's with the device group key as the pool name, the
//! device key as the user id and the device password as the password.

use std::collections::BTreeMap;
use std::fmt;

use rand_core::TryCryptoRng;

use super::challenge::{PasswordVerifierChallenge, checked_name};
use super::device_credentials::DeviceCredentials;
use super::ephemeral::start_with_fresh_exponent;
use super::parameters::ChallengeResponses;
use super::steps;
use super::timestamp::CognitoTimestamp;
use super::user::{SrpClient, proof};
use crate::error::{Field, SrpError};
use crate::math::SrpInteger;
use crate::secret::SecretInteger;

/// `ChallengeResponses` answering the `DEVICE_SRP_AUTH` challenge: `USERNAME`,
/// `DEVICE_KEY`, `SRP_A` and, for an app client with a secret, `SECRET_HASH`.
/// Holds no secret (`SRP_A` is public); `Debug` still hides `SECRET_HASH`.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceSrpAuthResponses {
    username: String,
    device_key: String,
    srp_a: String,
    secret_hash: Option<String>,
}

impl DeviceSrpAuthResponses {
    /// `USERNAME`: the internal user name (`USER_ID_FOR_SRP`, or the
    /// `DEVICE_SRP_AUTH` challenge's `USERNAME`), never the alias.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// `DEVICE_KEY`.
    pub fn device_key(&self) -> &str {
        &self.device_key
    }

    /// `SRP_A`: lowercase hex of `A = g^a mod N` without leading zeros.
    pub fn srp_a(&self) -> &str {
        &self.srp_a
    }

    /// `SECRET_HASH` of the internal user name, when the app client has a secret.
    pub fn secret_hash(&self) -> Option<&str> {
        self.secret_hash.as_deref()
    }

    /// The map to send as `ChallengeResponses` with `ChallengeName=DEVICE_SRP_AUTH`.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        map.insert("USERNAME".to_owned(), self.username.clone());
        map.insert("DEVICE_KEY".to_owned(), self.device_key.clone());
        map.insert("SRP_A".to_owned(), self.srp_a.clone());
        if let Some(secret_hash) = &self.secret_hash {
            map.insert("SECRET_HASH".to_owned(), secret_hash.clone());
        }
        map
    }
}

impl fmt::Debug for DeviceSrpAuthResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceSrpAuthResponses")
            .field("username", &self.username)
            .field("device_key", &self.device_key)
            .field("srp_a", &self.srp_a)
            .field(
                "secret_hash",
                &self.secret_hash.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

impl SrpClient {
    /// Starts device SRP with the operating system's RNG. See
    /// [`start_device_srp_with_rng`](Self::start_device_srp_with_rng).
    pub fn start_device_srp(
        &self,
        username: &str,
        credentials: &DeviceCredentials,
    ) -> Result<DeviceSrpStart, SrpError> {
        self.start_device_srp_with_rng(username, credentials, &mut getrandom::SysRng)
    }

    /// Answers `DEVICE_SRP_AUTH` for a remembered device: draws a fresh `a`
    /// (128 bytes) from `rng`, computes `A`, and returns the responses with the
    /// session that will answer `DEVICE_PASSWORD_VERIFIER`.
    ///
    /// `username` is the internal user name (`USER_ID_FOR_SRP` of the earlier
    /// `PASSWORD_VERIFIER`, which is also the `DEVICE_SRP_AUTH` challenge's
    /// `USERNAME`); `SECRET_HASH` is computed with it.
    pub fn start_device_srp_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        username: &str,
        credentials: &DeviceCredentials,
        rng: &mut R,
    ) -> Result<DeviceSrpStart, SrpError> {
        start_with_fresh_exponent(rng, |a| {
            self.start_device_srp_with_secret_exponent(username, credentials, a)
        })
    }

    hazmat_method! {
        /// Starts device SRP with a caller-chosen ephemeral secret `a` (any length).
        ///
        /// For test vectors and interoperability tests only: a reused or
        /// predictable `a` breaks the protocol. Use
        /// [`start_device_srp_with_rng`](Self::start_device_srp_with_rng).
        /// Public with the `hazmat` feature.
        fn start_device_srp_with_secret_exponent(
            &self,
            username: &str,
            credentials: &DeviceCredentials,
            a: SecretInteger,
        ) -> Result<DeviceSrpStart, SrpError> {
            checked_name(Field::Username, username)?;
            checked_name(Field::DeviceKey, credentials.device_key())?;
            let srp_a = steps::srp_a(&a)?;
            let responses = DeviceSrpAuthResponses {
                username: username.to_owned(),
                device_key: credentials.device_key().to_owned(),
                srp_a: srp_a.to_hex(),
                secret_hash: self.secret_hash(username),
            };
            let session = DeviceSrpSession {
                client: self.clone(),
                credentials: credentials.clone(),
                a,
                srp_a,
            };
            Ok(DeviceSrpStart { responses, session })
        }
    }
}

/// A started device SRP exchange: what answers `DEVICE_SRP_AUTH`, and what
/// answers `DEVICE_PASSWORD_VERIFIER`.
#[derive(Debug)]
#[non_exhaustive]
pub struct DeviceSrpStart {
    /// The `ChallengeResponses` answering `DEVICE_SRP_AUTH`.
    pub responses: DeviceSrpAuthResponses,
    /// The session that answers `DEVICE_PASSWORD_VERIFIER` with
    /// [`DeviceSrpSession::respond`].
    pub session: DeviceSrpSession,
}

/// A started device SRP exchange, holding the device credentials and the
/// ephemeral secret `a` until `DEVICE_PASSWORD_VERIFIER` arrives. Not `Clone`;
/// consumed by [`respond`](Self::respond); its secrets are zeroized on drop
/// and redacted in `Debug`.
///
/// ```
/// use std::collections::HashMap;
/// use chrono::{TimeZone, Utc};
/// use cognito_srp_auth::{
///     ClientId, CognitoTimestamp, DeviceCredentials, Password, PasswordVerifierChallenge,
///     SrpClient, UserPoolId,
/// };
/// let client = SrpClient::new(UserPoolId::parse("us-east-1_AbCdEf123")?, ClientId::new("app")?);
/// let device = DeviceCredentials::new(
///     "us-east-1_0b3f3c0e-6a5a-4b3c-9a7e-2f1d0c9b8a7e",
///     "-Abc123xyz",
///     Password::new("device password from storage"),
/// )?;
/// // Cognito answered PASSWORD_VERIFIER with the DEVICE_SRP_AUTH challenge.
/// let start = client.start_device_srp("a1b2c3d4-internal-user", &device)?;
/// assert_eq!(start.responses.to_map()["DEVICE_KEY"], device.device_key());
/// assert_eq!(start.responses.srp_a(), start.session.srp_a().to_hex());
///
/// // Cognito's DEVICE_PASSWORD_VERIFIER challenge parameters:
/// let parameters: HashMap<String, String> = [
///     ("SRP_B", "a1b2c3"), ("SALT", "00d4e5f6"),
///     ("SECRET_BLOCK", "c2VjcmV0IGJsb2Nr"), ("USERNAME", "a1b2c3d4-internal-user"),
/// ].into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
/// let challenge = PasswordVerifierChallenge::from_device_parameters(&parameters)?;
/// let at = CognitoTimestamp::from(Utc.with_ymd_and_hms(2026, 2, 3, 7, 8, 9).unwrap());
/// let answer = start.session.respond(&challenge, &at)?.to_map();
/// assert_eq!(answer["USERNAME"], "a1b2c3d4-internal-user");
/// assert_eq!(answer["DEVICE_KEY"], device.device_key());
/// assert_eq!(answer["TIMESTAMP"], "Tue Feb 3 07:08:09 UTC 2026");
/// assert!(answer.contains_key("PASSWORD_CLAIM_SIGNATURE"));
/// # Ok::<(), cognito_srp_auth::SrpError>(())
/// ```
pub struct DeviceSrpSession {
    client: SrpClient,
    credentials: DeviceCredentials,
    a: SecretInteger,
    srp_a: SrpInteger,
}

impl DeviceSrpSession {
    /// `A`, as sent in `SRP_A`.
    pub fn srp_a(&self) -> &SrpInteger {
        &self.srp_a
    }

    /// `DEVICE_KEY` of the device this session proves.
    pub fn device_key(&self) -> &str {
        self.credentials.device_key()
    }

    /// Answers `DEVICE_PASSWORD_VERIFIER` (parse it with
    /// [`PasswordVerifierChallenge::from_device_parameters`]): the proof
    /// keyed by device group key, device key and device password, signed with
    /// `timestamp`. `USERNAME` and `SECRET_HASH` use the challenge's
    /// `USERNAME` (the internal user name); `DEVICE_KEY` is the device's.
    pub fn respond(
        self,
        challenge: &PasswordVerifierChallenge,
        timestamp: &CognitoTimestamp,
    ) -> Result<ChallengeResponses, SrpError> {
        let username = challenge.user_id_for_srp();
        let signature = proof(
            &self.a,
            &self.srp_a,
            challenge,
            self.credentials.device_group_key(),
            self.credentials.device_key(),
            self.credentials.device_password(),
            timestamp,
        )?;
        Ok(ChallengeResponses {
            username: username.to_owned(),
            secret_block: challenge.secret_block().as_str().to_owned(),
            signature,
            timestamp: timestamp.as_str().to_owned(),
            secret_hash: self.client.secret_hash(username),
            device_key: Some(self.credentials.device_key().to_owned()),
        })
    }
}

impl fmt::Debug for DeviceSrpSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceSrpSession")
            .field("client", &self.client)
            .field("credentials", &self.credentials)
            .field("a", &self.a)
            .field("srp_a", &self.srp_a)
            .finish()
    }
}
