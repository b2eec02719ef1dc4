//! USER_SRP_AUTH: [`SrpClient`] starts a login, [`SrpSession`] answers
//! `PASSWORD_VERIFIER`.

use std::fmt;

use rand_core::TryCryptoRng;

use super::challenge::{PasswordVerifierChallenge, checked_name};
use super::ephemeral::start_with_fresh_exponent;
use super::ids::{ClientId, UserPoolId};
use super::parameters::{AuthParameters, ChallengeResponses};
use super::secret_hash::secret_hash;
use super::steps;
use super::timestamp::CognitoTimestamp;
use crate::error::{Field, SrpError};
use crate::math::SrpInteger;
use crate::secret::{ClientSecret, Password, SecretInteger};

/// An app client of a user pool: what every login needs before the user types anything.
///
/// ```
/// use cognito_srp_auth::{ClientId, Password, SrpClient, UserPoolId};
/// let client = SrpClient::new(UserPoolId::parse("us-east-1_AbCdEf123")?, ClientId::new("app")?);
/// let start = client.start("alice", Password::new("correct horse"))?;
/// assert_eq!(start.parameters.to_map()["USERNAME"], "alice");
/// assert_eq!(start.session.srp_a().to_hex(), start.parameters.srp_a());
/// # Ok::<(), cognito_srp_auth::SrpError>(())
/// ```
#[derive(Clone)]
pub struct SrpClient {
    user_pool_id: UserPoolId,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
}

/// Options of one login start beyond user name and password.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartOptions {
    device_key: Option<String>,
    custom_auth: bool,
}

impl StartOptions {
    /// Sends `DEVICE_KEY` (a remembered device) with `InitiateAuth` and the answer.
    pub fn device_key(mut self, device_key: impl Into<String>) -> Self {
        self.device_key = Some(device_key.into());
        self
    }

    /// Starts `CUSTOM_AUTH` with SRP: adds `CHALLENGE_NAME=SRP_A`.
    pub fn custom_auth(mut self) -> Self {
        self.custom_auth = true;
        self
    }
}

impl SrpClient {
    /// A client without a secret.
    pub fn new(user_pool_id: UserPoolId, client_id: ClientId) -> Self {
        Self {
            user_pool_id,
            client_id,
            client_secret: None,
        }
    }

    /// Sets the app client's secret: `SECRET_HASH` is then sent with every request.
    pub fn with_client_secret(mut self, client_secret: ClientSecret) -> Self {
        self.client_secret = Some(client_secret);
        self
    }

    /// The user pool.
    pub fn user_pool_id(&self) -> &UserPoolId {
        &self.user_pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &ClientId {
        &self.client_id
    }

    /// The app client secret, if any.
    pub fn client_secret(&self) -> Option<&ClientSecret> {
        self.client_secret.as_ref()
    }

    /// `SECRET_HASH` for `username`, when the client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<String> {
        let secret = self.client_secret.as_ref()?;
        Some(secret_hash(secret, username, &self.client_id))
    }

    /// Starts a login with default [`StartOptions`] and the operating system's
    /// RNG. See [`start_with_rng`](Self::start_with_rng).
    pub fn start(&self, username: &str, password: Password) -> Result<SrpStart, SrpError> {
        self.start_with_rng(
            username,
            password,
            &StartOptions::default(),
            &mut getrandom::SysRng,
        )
    }

    /// Starts a login: draws `a` (128 bytes) from `rng`, computes `A`, and returns
    /// the `InitiateAuth` parameters with the session that will answer the
    /// challenge. `options` adds a remembered device's key or custom auth.
    pub fn start_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        username: &str,
        password: Password,
        options: &StartOptions,
        rng: &mut R,
    ) -> Result<SrpStart, SrpError> {
        start_with_fresh_exponent(rng, |a| {
            self.start_with_secret_exponent(username, password.clone(), options, a)
        })
    }

    hazmat_method! {
        /// Starts a login with a caller-chosen ephemeral secret `a` (any length).
        ///
        /// For test vectors and interoperability tests only: a reused or predictable
        /// `a` breaks the protocol. Use [`start_with_rng`](Self::start_with_rng).
        /// Public with the `hazmat` feature.
        fn start_with_secret_exponent(
            &self,
            username: &str,
            password: Password,
            options: &StartOptions,
            a: SecretInteger,
        ) -> Result<SrpStart, SrpError> {
            checked_name(Field::Username, username)?;
            if let Some(device_key) = &options.device_key {
                checked_name(Field::DeviceKey, device_key)?;
            }
            let srp_a = steps::srp_a(&a)?;
            let parameters = AuthParameters {
                username: username.to_owned(),
                srp_a: srp_a.to_hex(),
                secret_hash: self.secret_hash(username),
                device_key: options.device_key.clone(),
                custom_auth: options.custom_auth,
            };
            let session = SrpSession {
                client: self.clone(),
                password,
                a,
                srp_a,
                device_key: options.device_key.clone(),
            };
            Ok(SrpStart { parameters, session })
        }
    }
}

/// A started login: what to send, and what answers the challenge.
#[derive(Debug)]
#[non_exhaustive]
pub struct SrpStart {
    /// The `AuthParameters` of `InitiateAuth` (`USERNAME`, `SRP_A`, …).
    pub parameters: AuthParameters,
    /// The session that answers `PASSWORD_VERIFIER` with [`SrpSession::respond`].
    pub session: SrpSession,
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

/// A started USER_SRP_AUTH login, holding the ephemeral secret `a` and the
/// password until the challenge arrives. Not `Clone`; consumed by
/// [`respond`](Self::respond); zeroized on drop.
pub struct SrpSession {
    client: SrpClient,
    password: Password,
    a: SecretInteger,
    srp_a: SrpInteger,
    device_key: Option<String>,
}

impl SrpSession {
    /// `A`, as sent in `SRP_A`.
    pub fn srp_a(&self) -> &SrpInteger {
        &self.srp_a
    }

    /// Answers `PASSWORD_VERIFIER`: the proof for `USER_ID_FOR_SRP`, signed with
    /// `timestamp`. The answer's `USERNAME`, and the name `SECRET_HASH` is
    /// computed over, is the challenge's `USERNAME` when present, else
    /// `USER_ID_FOR_SRP` (as Amplify does: Cognito sends the same internal name
    /// in both, while other servers, moto, only accept `USERNAME`).
    pub fn respond(
        self,
        challenge: &PasswordVerifierChallenge,
        timestamp: &CognitoTimestamp,
    ) -> Result<ChallengeResponses, SrpError> {
        let pool_name = self.client.user_pool_id.pool_name();
        let user_id = challenge.user_id_for_srp();
        let signature = proof(
            &self.a,
            &self.srp_a,
            challenge,
            pool_name,
            user_id,
            &self.password,
            timestamp,
        )?;
        let answer_name = challenge.answer_username();
        Ok(ChallengeResponses {
            username: answer_name.to_owned(),
            secret_block: challenge.secret_block().as_str().to_owned(),
            signature,
            timestamp: timestamp.as_str().to_owned(),
            secret_hash: self.client.secret_hash(answer_name),
            device_key: self.device_key.clone(),
        })
    }
}

/// The whole client computation from `a` and a validated challenge to the signature.
pub(crate) fn proof(
    a: &SecretInteger,
    srp_a: &SrpInteger,
    challenge: &PasswordVerifierChallenge,
    pool_name: &str,
    user_id: &str,
    password: &Password,
    timestamp: &CognitoTimestamp,
) -> Result<String, SrpError> {
    let u = steps::scrambling_parameter(srp_a, challenge.srp_b())?;
    let x = steps::private_key(challenge.salt(), pool_name, user_id, password);
    let s = steps::premaster_secret(challenge.srp_b(), &u, &x, a)?;
    let key = steps::session_key(&s, &u)?;
    Ok(steps::password_claim_signature(
        &key,
        pool_name,
        user_id,
        challenge.secret_block(),
        timestamp,
    ))
}

impl fmt::Debug for SrpSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpSession")
            .field("client", &self.client)
            .field("password", &self.password)
            .field("a", &self.a)
            .field("srp_a", &self.srp_a)
            .field("device_key", &self.device_key)
            .finish()
    }
}
