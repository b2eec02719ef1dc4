//! The device operations: `ConfirmDevice` (stores the device's SRP
//! verifier), `UpdateDeviceStatus`, `ForgetDevice`, `ListDevices` and
//! `AdminListDevices`, over the [device store](crate::local_pool).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};

use super::Empty;
use crate::local_pool::config::DeviceTracking;
use crate::local_pool::error::ErrorReply;
use crate::local_pool::state::devices::Device;
use crate::local_pool::state::pool::PoolState;
use crate::math::{self, SrpInteger};
use crate::srp::PasswordVerifier;
use crate::wire::{
    AdminListDevicesRequest, AttributeType, ConfirmDeviceRequest, ConfirmDeviceResponse,
    DeviceRememberedStatus, DeviceType, ForgetDeviceRequest, ListDevicesRequest,
    ListDevicesResponse, UpdateDeviceStatusRequest,
};

/// Longest `DeviceName` accepted.
const MAX_DEVICE_NAME_LEN: usize = 1024;

/// Longest base64 `PasswordVerifier` / `Salt` accepted.
const MAX_VERIFIER_B64_LEN: usize = 1024;

/// Longest `Salt` accepted, in bytes (the SDKs send 16 or 17).
const MAX_SALT_BYTES: usize = 64;

fn seconds(at: DateTime<Utc>) -> f64 {
    at.timestamp_millis() as f64 / 1000.0
}

fn device_type(device: &Device) -> DeviceType {
    let mut attributes = vec![AttributeType {
        name: "dev:device_remembered_status".to_owned(),
        value: Some(
            if device.remembered {
                "remembered"
            } else {
                "not_remembered"
            }
            .to_owned(),
        ),
    }];
    if let Some(name) = &device.name {
        attributes.push(AttributeType {
            name: "device_name".to_owned(),
            value: Some(name.clone()),
        });
    }
    attributes.push(AttributeType {
        name: "device_status".to_owned(),
        value: Some(
            if device.verifier.is_some() {
                "valid"
            } else {
                "unconfirmed"
            }
            .to_owned(),
        ),
    });
    DeviceType {
        device_key: Some(device.key.clone()),
        device_attributes: attributes,
        device_create_date: Some(seconds(device.created)),
        device_last_modified_date: Some(seconds(device.modified)),
        device_last_authenticated_date: Some(seconds(device.last_authenticated)),
    }
}

fn decode_b64(field: &str, text: Option<&String>) -> Result<Vec<u8>, ErrorReply> {
    let text = text.ok_or_else(|| ErrorReply::missing(field))?;
    if text.is_empty() || text.len() > MAX_VERIFIER_B64_LEN {
        return Err(ErrorReply::invalid(format!("Invalid {field}.")));
    }
    STANDARD
        .decode(text.trim())
        .map_err(|_| ErrorReply::invalid(format!("Invalid {field}.")))
}

/// `ConfirmDevice`: stores the device's verifier and salt (refused unless
/// 1 < v < N and the salt is 1–64 bytes). With devices
/// always remembered it is remembered now (`UserConfirmationNecessary:
/// false`); with opt-in, only after `UpdateDeviceStatus` (`true`).
pub(crate) fn confirm_device(
    pool: &PoolState,
    request: ConfirmDeviceRequest,
    now: DateTime<Utc>,
) -> Result<ConfirmDeviceResponse, ErrorReply> {
    let claims = pool
        .tokens
        .verify_access_token(&request.access_token, now)?;
    let config = request
        .device_secret_verifier_config
        .ok_or_else(|| ErrorReply::missing("DeviceSecretVerifierConfig"))?;
    let verifier = decode_b64("PasswordVerifier", config.password_verifier.as_ref())?;
    let salt = decode_b64("Salt", config.salt.as_ref())?;
    if !math::is_between_one_and_n(&verifier) {
        return Err(ErrorReply::invalid(
            "Invalid PasswordVerifier: it must be an integer v with 1 < v < N (unsigned big-endian, base64).",
        ));
    }
    if salt.is_empty() || salt.len() > MAX_SALT_BYTES {
        return Err(ErrorReply::invalid(format!(
            "Invalid Salt: it must be 1 to {MAX_SALT_BYTES} bytes."
        )));
    }
    if request
        .device_name
        .as_ref()
        .is_some_and(|n| n.len() > MAX_DEVICE_NAME_LEN)
    {
        return Err(ErrorReply::invalid("Invalid DeviceName."));
    }
    let stored = PasswordVerifier::from_parts(SrpInteger::from_be_bytes(&salt), &verifier);
    let opt_in = pool.device_tracking == DeviceTracking::OptIn;
    pool.devices
        .update(&claims.sub, &request.device_key, |device| {
            device.verifier = Some(stored);
            device.name = request.device_name.clone();
            device.remembered = !opt_in;
            device.modified = now;
        })?;
    Ok(ConfirmDeviceResponse {
        user_confirmation_necessary: opt_in,
    })
}

/// `UpdateDeviceStatus`.
pub(crate) fn update_device_status(
    pool: &PoolState,
    request: UpdateDeviceStatusRequest,
    now: DateTime<Utc>,
) -> Result<Empty, ErrorReply> {
    let claims = pool
        .tokens
        .verify_access_token(&request.access_token, now)?;
    let remembered = request.device_remembered_status == DeviceRememberedStatus::Remembered;
    pool.devices
        .update(&claims.sub, &request.device_key, |device| {
            device.remembered = remembered;
            device.modified = now;
        })?;
    Ok(Empty {})
}

/// `ForgetDevice` (with the user's access token).
pub(crate) fn forget_device(
    pool: &PoolState,
    request: ForgetDeviceRequest,
    now: DateTime<Utc>,
) -> Result<Empty, ErrorReply> {
    let token = request
        .access_token
        .as_ref()
        .ok_or_else(|| ErrorReply::missing("AccessToken"))?;
    let claims = pool.tokens.verify_access_token(token, now)?;
    pool.devices.forget(&claims.sub, &request.device_key)?;
    Ok(Empty {})
}

/// `ListDevices` (with the user's access token; no pagination).
pub(crate) fn list_devices(
    pool: &PoolState,
    request: ListDevicesRequest,
    now: DateTime<Utc>,
) -> Result<ListDevicesResponse, ErrorReply> {
    let claims = pool
        .tokens
        .verify_access_token(&request.access_token, now)?;
    Ok(ListDevicesResponse {
        devices: pool
            .devices
            .list(&claims.sub)
            .iter()
            .map(device_type)
            .collect(),
        pagination_token: None,
    })
}

/// `AdminListDevices` (no SigV4 check; no pagination).
pub(crate) fn admin_list_devices(
    pool: &PoolState,
    request: AdminListDevicesRequest,
) -> Result<ListDevicesResponse, ErrorReply> {
    pool.check_pool_id(&request.user_pool_id)?;
    let user = pool
        .users
        .find(&request.username)
        .ok_or_else(ErrorReply::user_not_found)?;
    Ok(ListDevicesResponse {
        devices: pool
            .devices
            .list(&user.sub)
            .iter()
            .map(device_type)
            .collect(),
        pagination_token: None,
    })
}
