//! Device-tracking bookkeeping for a login: the device context carried
//! through its challenges, the generator of new device credentials (the OS
//! RNG by default), and recognising from an error a device Cognito no longer
//! knows ([`StaleDevice`]). The device calls themselves (`ConfirmDevice`,
//! `DEVICE_SRP_AUTH` → `DEVICE_PASSWORD_VERIFIER`) are made by `CognitoClient`.

use std::fmt;
use std::sync::Arc;

use super::error::FlowError;
use super::options::RememberDevice;
use crate::error::SrpError;
use crate::srp::{DeviceCredentials, DeviceSecretVerifierConfig};
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

/// Makes new device credentials and their verifier config for
/// (`DeviceKey`, `DeviceGroupKey`).
pub(crate) type DeviceGenerator = Arc<
    dyn Fn(&str, &str) -> Result<(DeviceCredentials, DeviceSecretVerifierConfig), SrpError>
        + Send
        + Sync,
>;

/// The default generator: the operating system's RNG.
pub(crate) fn system_generator() -> DeviceGenerator {
    Arc::new(DeviceCredentials::generate)
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
