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
    /// What to do with a device Cognito offers.
    pub(crate) remember: Option<RememberDevice>,
    /// Device credentials given to the login that Cognito did not know.
    pub(crate) stale: Option<StaleDevice>,
    /// The device in play: its `DEVICE_KEY` goes with every answer, and it
    /// answers `DEVICE_SRP_AUTH` whenever Cognito asks.
    pub(crate) credentials: Option<DeviceCredentials>,
}

impl DeviceContext {
    /// The `DEVICE_KEY` of the device in play.
    pub(crate) fn device_key(&self) -> Option<&str> {
        self.credentials.as_ref().map(DeviceCredentials::device_key)
    }
}

/// Which part of a login with device credentials failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// `InitiateAuth` or `PASSWORD_VERIFIER`.
    Password,
    /// `DEVICE_SRP_AUTH` or `DEVICE_PASSWORD_VERIFIER`.
    Device,
}

/// A failed login step and where it failed, so that a device Cognito no
/// longer knows can be told apart from every other failure.
pub(crate) type Failure = (FlowError, Step);

/// Tags an error with the step it happened at.
pub(crate) fn at<E: Into<FlowError>>(step: Step) -> impl FnOnce(E) -> Failure {
    move |error| (error.into(), step)
}

/// Whether `error` says the device is unknown to Cognito:
/// `ResourceNotFoundException` about the device at any step, or
/// `NotAuthorizedException` on a device step — except a lockout
/// ("Password attempts exceeded"), which says nothing about the device.
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
        ServiceErrorKind::NotAuthorized => step == Step::Device && !is_lockout(message),
        _ => false,
    };
    stale.then(|| StaleDevice {
        device_key: credentials.device_key().to_owned(),
        error_code: code.clone(),
    })
}

/// Cognito's lockout message: too many wrong passwords, the user is locked
/// for a while whatever device it signs in with.
fn is_lockout(message: &str) -> bool {
    message.to_ascii_lowercase().contains("attempts exceeded")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(kind: ServiceErrorKind, code: &str, message: &str) -> FlowError {
        FlowError::Transport(TransportError::Service {
            operation: crate::wire::Operation::RespondToAuthChallenge,
            kind,
            code: code.into(),
            message: message.into(),
            request_id: None,
        })
    }

    fn credentials() -> DeviceCredentials {
        DeviceCredentials::new("us-east-1_dev", "-group", crate::Password::new("pw"))
            .expect("valid credentials")
    }

    #[test]
    fn an_unknown_device_is_stale_at_any_step() {
        let error = service(
            ServiceErrorKind::ResourceNotFound,
            "ResourceNotFoundException",
            "Device does not exist.",
        );
        for step in [Step::Password, Step::Device] {
            let stale = stale_device(&error, step, &credentials()).expect("stale");
            assert_eq!(stale.device_key(), "us-east-1_dev");
            assert_eq!(stale.error_code(), "ResourceNotFoundException");
        }
    }

    #[test]
    fn a_refused_device_proof_is_stale_but_a_refused_password_is_not() {
        let error = service(
            ServiceErrorKind::NotAuthorized,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
        assert!(stale_device(&error, Step::Device, &credentials()).is_some());
        assert!(stale_device(&error, Step::Password, &credentials()).is_none());
    }

    #[test]
    fn a_lockout_never_makes_a_device_stale() {
        let error = service(
            ServiceErrorKind::NotAuthorized,
            "NotAuthorizedException",
            "Password attempts exceeded",
        );
        for step in [Step::Password, Step::Device] {
            assert_eq!(stale_device(&error, step, &credentials()), None);
        }
    }

    #[test]
    fn other_resources_and_errors_are_not_about_the_device() {
        let user = service(
            ServiceErrorKind::ResourceNotFound,
            "ResourceNotFoundException",
            "User pool client abc does not exist.",
        );
        assert_eq!(stale_device(&user, Step::Device, &credentials()), None);
        let throttled = service(
            ServiceErrorKind::TooManyRequests,
            "TooManyRequestsException",
            "Rate exceeded",
        );
        assert_eq!(stale_device(&throttled, Step::Device, &credentials()), None);
    }
}
