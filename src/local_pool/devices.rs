//! Device tracking, like a pool whose devices are always remembered:
//! `NewDeviceMetadata` after a sign-in without a known device, `ConfirmDevice`
//! storing the device's SRP verifier, `DEVICE_SRP_AUTH` /
//! `DEVICE_PASSWORD_VERIFIER` proved against it, `UpdateDeviceStatus`,
//! `ForgetDevice`, `ListDevices` and `AdminListDevices`.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};

use super::admin::Empty;
use super::error::ErrorReply;
use super::pool::PoolState;
use super::random;
use super::server_srp::PasswordVerifier;
use crate::math::SrpInteger;
use crate::wire::ServiceErrorKind;
use crate::wire::{
    AdminListDevicesRequest, AttributeType, ConfirmDeviceRequest, ConfirmDeviceResponse,
    DeviceRememberedStatus, DeviceType, ForgetDeviceRequest, ListDevicesRequest,
    ListDevicesResponse, NewDeviceMetadata, UpdateDeviceStatusRequest,
};

/// Devices kept per user; the least recently used one goes beyond.
pub const MAX_DEVICES_PER_USER: usize = 32;

/// Longest `DeviceName` accepted.
const MAX_DEVICE_NAME_LEN: usize = 1024;

/// Longest base64 `PasswordVerifier` / `Salt` accepted.
const MAX_VERIFIER_B64_LEN: usize = 1024;

/// One device of a user.
#[derive(Clone)]
pub(crate) struct Device {
    pub(crate) key: String,
    pub(crate) group_key: String,
    /// Set by `ConfirmDevice`.
    pub(crate) verifier: Option<PasswordVerifier>,
    pub(crate) name: Option<String>,
    pub(crate) remembered: bool,
    pub(crate) created: DateTime<Utc>,
    pub(crate) modified: DateTime<Utc>,
    pub(crate) last_authenticated: DateTime<Utc>,
}

impl Device {
    /// Confirmed and remembered: sign-ins with it go through `DEVICE_SRP_AUTH`.
    pub(crate) fn is_remembered(&self) -> bool {
        self.remembered && self.verifier.is_some()
    }
}

#[derive(Default)]
struct UserDevices {
    group_key: String,
    devices: Vec<Device>,
}

/// Every user's devices, keyed by `sub`.
#[derive(Default)]
pub(crate) struct DeviceStore {
    by_sub: Mutex<HashMap<String, UserDevices>>,
}

/// `ResourceNotFoundException: Device does not exist.`, as Cognito answers.
pub(crate) fn device_not_found() -> ErrorReply {
    ErrorReply::new(ServiceErrorKind::ResourceNotFound, "Device does not exist.")
}

impl DeviceStore {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, UserDevices>> {
        self.by_sub
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A new, unconfirmed device for `sub` (`NewDeviceMetadata`).
    pub(crate) fn issue(
        &self,
        sub: &str,
        region: &str,
        now: DateTime<Utc>,
    ) -> Result<NewDeviceMetadata, ErrorReply> {
        let key = format!("{region}_{}", random::uuid_v4()?);
        let fresh_group = format!(
            "-{}",
            random::string_from(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                9
            )?
        );
        let mut all = self.lock();
        let user = all.entry(sub.to_owned()).or_insert_with(|| UserDevices {
            group_key: fresh_group,
            devices: Vec::new(),
        });
        if user.devices.len() >= MAX_DEVICES_PER_USER {
            // Unconfirmed devices go first, then the least recently used.
            let victim = user
                .devices
                .iter()
                .enumerate()
                .min_by_key(|(_, d)| (d.verifier.is_some(), d.last_authenticated))
                .map(|(i, _)| i);
            if let Some(i) = victim {
                user.devices.remove(i);
            }
        }
        user.devices.push(Device {
            key: key.clone(),
            group_key: user.group_key.clone(),
            verifier: None,
            name: None,
            remembered: false,
            created: now,
            modified: now,
            last_authenticated: now,
        });
        Ok(NewDeviceMetadata {
            device_key: Some(key),
            device_group_key: Some(user.group_key.clone()),
        })
    }

    /// The device `key` of `sub`, if it exists.
    pub(crate) fn get(&self, sub: &str, key: &str) -> Option<Device> {
        self.lock()
            .get(sub)?
            .devices
            .iter()
            .find(|d| d.key == key)
            .cloned()
    }

    /// Changes device `key` of `sub`; `ResourceNotFoundException` if it does not exist.
    pub(crate) fn update<R>(
        &self,
        sub: &str,
        key: &str,
        change: impl FnOnce(&mut Device) -> R,
    ) -> Result<R, ErrorReply> {
        let mut all = self.lock();
        let device = all
            .get_mut(sub)
            .and_then(|u| u.devices.iter_mut().find(|d| d.key == key))
            .ok_or_else(device_not_found)?;
        Ok(change(device))
    }

    /// Removes device `key` of `sub`.
    pub(crate) fn forget(&self, sub: &str, key: &str) -> Result<(), ErrorReply> {
        let mut all = self.lock();
        let user = all.get_mut(sub).ok_or_else(device_not_found)?;
        let before = user.devices.len();
        user.devices.retain(|d| d.key != key);
        if user.devices.len() == before {
            return Err(device_not_found());
        }
        Ok(())
    }

    /// The devices of `sub`.
    pub(crate) fn list(&self, sub: &str) -> Vec<Device> {
        self.lock()
            .get(sub)
            .map(|u| u.devices.clone())
            .unwrap_or_default()
    }
}

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

/// `ConfirmDevice`: stores the device's verifier and salt. Devices are always
/// remembered, so `UserConfirmationNecessary` is `false`.
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
    if verifier.iter().all(|b| *b == 0) || salt.is_empty() {
        return Err(ErrorReply::invalid("Invalid DeviceSecretVerifierConfig."));
    }
    if request
        .device_name
        .as_ref()
        .is_some_and(|n| n.len() > MAX_DEVICE_NAME_LEN)
    {
        return Err(ErrorReply::invalid("Invalid DeviceName."));
    }
    let stored = PasswordVerifier::from_parts(SrpInteger::from_be_bytes(&salt), &verifier);
    pool.devices
        .update(&claims.sub, &request.device_key, |device| {
            device.verifier = Some(stored);
            device.name = request.device_name.clone();
            device.remembered = true;
            device.modified = now;
        })?;
    Ok(ConfirmDeviceResponse {
        user_confirmation_necessary: false,
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
