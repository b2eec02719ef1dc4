//! From `X-Amz-Target` and a JSON body to a status and a JSON answer.
//! Synchronous: the HTTP layer runs it on a blocking thread.

use chrono::Utc;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::admin;
use super::devices;
use super::errors::{ErrorCode, PoolError};
use super::pool::{PoolState, printable};
use super::sign_in;
use super::software_token;
use crate::wire::TARGET_PREFIX;

/// An HTTP answer: status and JSON body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// The error code, for `x-amzn-ErrorType`.
    pub(crate) error_type: Option<&'static str>,
}

impl Answer {
    pub(crate) fn error(error: &PoolError) -> Self {
        let body = serde_json::to_vec(&error.to_body()).unwrap_or_default();
        Self {
            status: error.code().http_status(),
            body,
            error_type: Some(error.code().as_str()),
        }
    }

    fn ok<T: Serialize>(value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self {
                status: 200,
                body,
                error_type: None,
            },
            Err(_) => Self::error(&PoolError::internal()),
        }
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, PoolError> {
    serde_json::from_slice(body).map_err(|error| {
        if error.is_data() && error.to_string().starts_with("missing field") {
            let field = error.to_string();
            let field = field.split('`').nth(1).unwrap_or("").to_owned();
            PoolError::invalid(format!(
                "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
            ))
        } else if error.is_data() {
            PoolError::new(ErrorCode::Serialization, "A field of the request has the wrong type.")
        } else {
            PoolError::new(ErrorCode::Serialization, "The request body is not valid JSON.")
        }
    })
}

fn run<Req: DeserializeOwned, Resp: Serialize>(
    body: &[u8],
    operation: impl FnOnce(Req) -> Result<Resp, PoolError>,
) -> Result<Answer, PoolError> {
    let request = parse::<Req>(body)?;
    Ok(Answer::ok(&operation(request)?))
}

/// Runs the operation named by `target` on `body`.
pub(crate) fn dispatch(pool: &PoolState, target: Option<&str>, body: &[u8]) -> Answer {
    let operation = target
        .and_then(|t| t.strip_prefix(TARGET_PREFIX))
        .unwrap_or("");
    let result = route(pool, operation, target, body);
    match result {
        Ok(answer) => {
            tracing::debug!(operation, status = answer.status, "request");
            answer
        }
        Err(error) => {
            tracing::debug!(operation, code = error.code().as_str(), "request refused");
            Answer::error(&error)
        }
    }
}

fn route(
    pool: &PoolState,
    operation: &str,
    target: Option<&str>,
    body: &[u8],
) -> Result<Answer, PoolError> {
    let now = Utc::now();
    match operation {
        "InitiateAuth" => run(body, |r| sign_in::initiate_auth(pool, r, now)),
        "RespondToAuthChallenge" => run(body, |r| sign_in::respond_to_auth_challenge(pool, r, now)),
        "AssociateSoftwareToken" => run(body, |r| software_token::associate(pool, r, now)),
        "VerifySoftwareToken" => run(body, |r| software_token::verify(pool, r, now)),
        "AdminCreateUser" => run(body, |r| admin::create_user(pool, r)),
        "AdminSetUserPassword" => run(body, |r| admin::set_user_password(pool, r)),
        "AdminGetUser" => run(body, |r| admin::get_user(pool, r)),
        "AdminSetUserMFAPreference" => run(body, |r| admin::admin_set_mfa_preference(pool, r)),
        "SetUserMFAPreference" => run(body, |r| admin::set_mfa_preference(pool, r, now)),
        "ConfirmDevice" => run(body, |r| devices::confirm_device(pool, r, now)),
        "UpdateDeviceStatus" => run(body, |r| devices::update_device_status(pool, r, now)),
        "ForgetDevice" => run(body, |r| devices::forget_device(pool, r, now)),
        "ListDevices" => run(body, |r| devices::list_devices(pool, r, now)),
        "AdminListDevices" => run(body, |r| devices::admin_list_devices(pool, r)),
        _ => Err(PoolError::new(
            ErrorCode::UnknownOperation,
            match target {
                None => "Missing X-Amz-Target header.".to_owned(),
                Some(target) => format!("Unknown operation {}", printable(target)),
            },
        )),
    }
}
