//! The `Session` of a challenge that follows the password
//! (`NEW_PASSWORD_REQUIRED`, `SMS_MFA`, `SOFTWARE_TOKEN_MFA`,
//! `SELECT_MFA_TYPE`, `MFA_SETUP`) or comes before it in `USER_AUTH`
//! (`SELECT_CHALLENGE`, `EMAIL_OTP`, `SMS_OTP`): random, single use (every answer gets a new
//! one), bound to the user and app client, expiring after three minutes.

use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::local_pool::error::ErrorReply;
use crate::local_pool::random;
use crate::local_pool::state::bounded::ExpiringMap;
use crate::local_pool::totp::TotpSecret;
use crate::wire::ChallengeName;
use crate::wire::ServiceErrorKind;

/// How long a challenge session can be answered (Cognito's default).
pub const SESSION_TTL: Duration = Duration::from_secs(3 * 60);

/// Random bytes in a `Session` string (512 base64 characters).
pub(crate) const SESSION_BYTES: usize = 384;

/// Wrong codes tolerated on one challenge before the session is dropped.
pub(crate) const MAX_CODE_FAILURES: u32 = 3;

/// The challenge a session waits for.
pub(crate) enum Stage {
    NewPasswordRequired,
    SelectMfaType,
    SmsMfa {
        code: Zeroizing<String>,
    },
    SoftwareTokenMfa,
    MfaSetup {
        secret: Option<TotpSecret>,
        verified: bool,
    },
    /// The password is proved; the remembered device `device_key` must be.
    DeviceSrpAuth {
        device_key: String,
    },
    /// `USER_AUTH` before any factor: `asked` is `SELECT_CHALLENGE` (or
    /// `PASSWORD` / `PASSWORD_SRP` when that factor was preferred without its
    /// value), answerable with one of `available`.
    FirstFactor {
        asked: ChallengeName,
        available: Vec<ChallengeName>,
    },
    /// `USER_AUTH`: the one-time code sent as the first factor; `name` is
    /// `EMAIL_OTP` or `SMS_OTP`.
    FirstFactorCode {
        name: ChallengeName,
        code: Zeroizing<String>,
    },
}

impl Stage {
    pub(crate) fn challenge_name(&self) -> ChallengeName {
        match self {
            Stage::NewPasswordRequired => ChallengeName::NewPasswordRequired,
            Stage::SelectMfaType => ChallengeName::SelectMfaType,
            Stage::SmsMfa { .. } => ChallengeName::SmsMfa,
            Stage::SoftwareTokenMfa => ChallengeName::SoftwareTokenMfa,
            Stage::MfaSetup { .. } => ChallengeName::MfaSetup,
            Stage::DeviceSrpAuth { .. } => ChallengeName::DeviceSrpAuth,
            Stage::FirstFactor { asked, .. } => asked.clone(),
            Stage::FirstFactorCode { name, .. } => name.clone(),
        }
    }
}

/// A challenge in progress.
pub(crate) struct ChallengeSession {
    pub(crate) sub: String,
    pub(crate) client_id: String,
    pub(crate) auth_time: i64,
    pub(crate) stage: Stage,
    pub(crate) failures: u32,
    /// The known device the sign-in named; `None`: its tokens carry
    /// `NewDeviceMetadata` (device tracking on).
    pub(crate) known_device: Option<String>,
}

/// The sessions in flight, bounded.
pub(crate) struct Sessions {
    map: ExpiringMap<ChallengeSession>,
}

impl Sessions {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            map: ExpiringMap::new(capacity, SESSION_TTL),
        }
    }

    /// Sessions open and not expired at `now`.
    pub(crate) fn live(&self, now: Instant) -> usize {
        self.map.live_len(now)
    }

    /// Drops the sessions expired at `now`.
    pub(crate) fn sweep_expired(&self, now: Instant) -> usize {
        self.map.sweep_expired(now)
    }

    /// Stores `session` and returns its new `Session` string.
    pub(crate) fn open(&self, session: ChallengeSession) -> Result<String, ErrorReply> {
        let key = random::base64_token(SESSION_BYTES)?;
        if !self.map.insert(key.clone(), session, Instant::now()) {
            return Err(ErrorReply::new(
                ServiceErrorKind::TooManyRequests,
                "Too many sign-ins in progress; try again later.",
            ));
        }
        Ok(key)
    }

    /// Takes the session (it is spent) if it exists, has not expired and
    /// belongs to `client_id`.
    pub(crate) fn take(&self, key: &str, client_id: &str) -> Result<ChallengeSession, ErrorReply> {
        let session = self
            .map
            .take(key, Instant::now())
            .ok_or_else(ErrorReply::expired_session)?;
        if session.client_id != client_id {
            return Err(ErrorReply::expired_session());
        }
        Ok(session)
    }

    /// Takes the open `DEVICE_SRP_AUTH` step of user `sub`'s sign-in with
    /// `device_key` on `client_id`: for an answer sent without its `Session`.
    pub(crate) fn take_device_step(
        &self,
        client_id: &str,
        sub: &str,
        device_key: &str,
    ) -> Result<ChallengeSession, ErrorReply> {
        self.map
            .take_first(Instant::now(), |session| {
                session.client_id == client_id
                    && session.sub == sub
                    && matches!(&session.stage, Stage::DeviceSrpAuth { device_key: key } if key == device_key)
            })
            .ok_or_else(ErrorReply::expired_session)
    }

    /// Takes the session whatever its client (`AssociateSoftwareToken` and
    /// `VerifySoftwareToken` carry no client id).
    pub(crate) fn take_any_client(&self, key: &str) -> Result<ChallengeSession, ErrorReply> {
        self.map
            .take(key, Instant::now())
            .ok_or_else(ErrorReply::expired_session)
    }

    /// After a wrong code: puts the session back under the same string unless
    /// it has failed [`MAX_CODE_FAILURES`] times.
    pub(crate) fn retry(&self, key: &str, mut session: ChallengeSession) {
        session.failures += 1;
        if session.failures < MAX_CODE_FAILURES {
            self.map.insert(key.to_owned(), session, Instant::now());
        }
    }
}
