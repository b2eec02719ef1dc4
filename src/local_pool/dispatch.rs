//! From `X-Amz-Target` and a JSON body to a status and a JSON answer.
//! Synchronous: the HTTP layer runs it on a blocking thread.

use chrono::Utc;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{ErrorReply, printable};
use super::ops::{admin, devices, identity, sign_in, software_token, tokens};
use super::state::pool::PoolState;
use crate::wire::ServiceErrorKind;
use crate::wire::{IDENTITY_TARGET_PREFIX, Operation, TARGET_PREFIX};

/// An HTTP answer: status and JSON body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// The error code, for `x-amzn-ErrorType`.
    pub(crate) error_type: Option<String>,
}

impl Answer {
    pub(crate) fn error(error: &ErrorReply) -> Self {
        let body = serde_json::to_vec(&error.to_body()).unwrap_or_default();
        Self {
            status: error.http_status(),
            body,
            error_type: Some(error.code().to_owned()),
        }
    }

    fn ok<T: Serialize>(value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self {
                status: 200,
                body,
                error_type: None,
            },
            Err(_) => Self::error(&ErrorReply::internal()),
        }
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ErrorReply> {
    serde_json::from_slice(body).map_err(|error| {
        if error.is_data() && error.to_string().starts_with("missing field") {
            let field = error.to_string();
            let field = field.split('`').nth(1).unwrap_or("").to_owned();
            ErrorReply::invalid(format!(
                "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
            ))
        } else if error.is_data() {
            ErrorReply::new(ServiceErrorKind::Serialization, "A field of the request has the wrong type.")
        } else {
            ErrorReply::new(ServiceErrorKind::Serialization, "The request body is not valid JSON.")
        }
    })
}

fn run<Req: DeserializeOwned, Resp: Serialize>(
    body: &[u8],
    operation: impl FnOnce(Req) -> Result<Resp, ErrorReply>,
) -> Result<Answer, ErrorReply> {
    let request = parse::<Req>(body)?;
    Ok(Answer::ok(&operation(request)?))
}

/// Runs the operation named by `target` on `body`.
pub(crate) fn dispatch(pool: &PoolState, target: Option<&str>, body: &[u8]) -> Answer {
    let identity_name = target.and_then(|t| t.strip_prefix(IDENTITY_TARGET_PREFIX));
    let name = target
        .and_then(|t| t.strip_prefix(TARGET_PREFIX))
        .or(identity_name)
        .unwrap_or("");
    let result = match target {
        None => Err(ErrorReply::new(
            ServiceErrorKind::UnknownOperation,
            "Missing X-Amz-Target header.",
        )),
        Some(_) if !pool.admin_operations && name.starts_with("Admin") => Err(ErrorReply::new(
            ServiceErrorKind::Forbidden,
            "Admin operations are turned off (serve --no-admin, LocalPoolBuilder::admin_operations(false)).",
        )),
        Some(target) if identity_name.is_some() => {
            route_identity(pool, Operation::from_wire(name), target, body)
        }
        Some(target) => route(pool, Operation::from_wire(name), target, body),
    };
    match result {
        Ok(answer) => {
            tracing::debug!(operation = name, status = answer.status, "request");
            answer
        }
        Err(error) => {
            tracing::debug!(operation = name, code = error.code(), "request refused");
            Answer::error(&error)
        }
    }
}

fn route(
    pool: &PoolState,
    operation: Operation,
    target: &str,
    body: &[u8],
) -> Result<Answer, ErrorReply> {
    let now = Utc::now();
    match operation {
        Operation::InitiateAuth => run(body, |r| sign_in::initiate_auth(pool, r, now)),
        Operation::RespondToAuthChallenge => {
            run(body, |r| sign_in::respond_to_auth_challenge(pool, r, now))
        }
        Operation::AssociateSoftwareToken => run(body, |r| software_token::associate(pool, r, now)),
        Operation::VerifySoftwareToken => run(body, |r| software_token::verify(pool, r, now)),
        Operation::AdminCreateUser => run(body, |r| admin::create_user(pool, r)),
        Operation::AdminSetUserPassword => run(body, |r| admin::set_user_password(pool, r)),
        Operation::AdminGetUser => run(body, |r| admin::get_user(pool, r)),
        Operation::AdminSetUserMfaPreference => {
            run(body, |r| admin::admin_set_mfa_preference(pool, r))
        }
        Operation::SetUserMfaPreference => run(body, |r| admin::set_mfa_preference(pool, r, now)),
        Operation::ConfirmDevice => run(body, |r| devices::confirm_device(pool, r, now)),
        Operation::UpdateDeviceStatus => run(body, |r| devices::update_device_status(pool, r, now)),
        Operation::ForgetDevice => run(body, |r| devices::forget_device(pool, r, now)),
        Operation::ListDevices => run(body, |r| devices::list_devices(pool, r, now)),
        Operation::AdminListDevices => run(body, |r| devices::admin_list_devices(pool, r)),
        Operation::GetTokensFromRefreshToken => run(body, |r| {
            tokens::get_tokens_from_refresh_token(pool, r, now)
        }),
        Operation::RevokeToken => run(body, |r| tokens::revoke_token(pool, r)),
        Operation::GlobalSignOut => run(body, |r| tokens::global_sign_out(pool, r, now)),
        Operation::GetUser => run(body, |r| tokens::get_user(pool, r, now)),
        Operation::GetId | Operation::GetCredentialsForIdentity | Operation::Other(_) => {
            Err(unknown_operation(target))
        }
    }
}

fn unknown_operation(target: &str) -> ErrorReply {
    ErrorReply::new(
        ServiceErrorKind::UnknownOperation,
        format!("Unknown operation {}", printable(target)),
    )
}

/// Cognito Identity's operations (`AWSCognitoIdentityService.*`), when the
/// pool hosts an identity pool.
fn route_identity(
    pool: &PoolState,
    operation: Operation,
    target: &str,
    body: &[u8],
) -> Result<Answer, ErrorReply> {
    let identities = identity::hosted(pool)?;
    let now = Utc::now();
    match operation {
        Operation::GetId => run(body, |r| identity::get_id(pool, identities, r, now)),
        Operation::GetCredentialsForIdentity => run(body, |r| {
            identity::get_credentials_for_identity(pool, identities, r, now)
        }),
        _ => Err(unknown_operation(target)),
    }
}
