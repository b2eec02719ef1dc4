//! Device state of a login, without I/O: [`StaleDevice`] and the rule that
//! recognises a device Cognito no longer knows, and the device context a
//! login carries through its challenges. The device requests are in
//! `device_steps`.

use std::fmt;

use super::error::FlowError;
use super::options::RememberDevice;
use crate::srp::DeviceCredentials;
use crate::transport::TransportError;
use crate::wire::ServiceErrorKind;

/// Device credentials given to a login that Cognito no longer knows (the
/// device was forgotten, or its verifier refused): the login was retried
/// without them, and the caller should drop them from storage.
#[derive(Clone, PartialEq, Eq)]
pub struct StaleDevice {
    device_key: String,
    error_code: String,
}

impl StaleDevice {
    /// The stale device's `DeviceKey`.
    pub fn device_key(&self) -> &str {
        &self.device_key
    }

    /// Cognito's error code for the device (`ResourceNotFoundException`,
    /// `NotAuthorizedException`).
    pub fn error_code(&self) -> &str {
        &self.error_code
    }
}

impl fmt::Debug for StaleDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaleDevice")
            .field("device_key", &self.device_key)
            .field("error_code", &self.error_code)
            .finish()
    }
}

/// Device tracking of one login, carried through its challenges.
#[derive(Debug, Clone, Default)]
pub(crate) struct DeviceContext {
    pub(crate) remember: Option<RememberDevice>,
    pub(crate) stale: Option<StaleDevice>,
}

/// Which part of a login with device credentials failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// `InitiateAuth` or `PASSWORD_VERIFIER`.
    Password,
    /// `DEVICE_SRP_AUTH` or `DEVICE_PASSWORD_VERIFIER`.
    Device,
}

/// Whether `error` says the device is unknown to Cognito:
/// `ResourceNotFoundException` about the device at any step, or
/// `NotAuthorizedException` on a device step.
pub(crate) fn stale_device(
    error: &FlowError,
    step: Step,
    credentials: &DeviceCredentials,
) -> Option<StaleDevice> {
    let FlowError::Transport(TransportError::Service {
        kind,
        code,
        message,
        ..
    }) = error
    else {
        return None;
    };
    let stale = match kind {
        ServiceErrorKind::ResourceNotFound => message.to_ascii_lowercase().contains("device"),
        ServiceErrorKind::NotAuthorized => step == Step::Device,
        _ => false,
    };
    stale.then(|| StaleDevice {
        device_key: credentials.device_key().to_owned(),
        error_code: code.clone(),
    })
}
