//! The device store, like a pool whose devices are always remembered: the
//! devices of each user (key, group key, verifier once confirmed), bounded
//! per user. The operations on it live in `ops::devices`, the device SRP in
//! `ops::srp`.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use crate::local_pool::error::ErrorReply;
use crate::local_pool::random;
use crate::srp::PasswordVerifier;
use crate::wire::NewDeviceMetadata;
use crate::wire::ServiceErrorKind;

/// Devices kept per user; the least recently used one goes beyond.
pub(crate) const MAX_DEVICES_PER_USER: usize = 32;

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
