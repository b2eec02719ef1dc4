//! The `--device-file` of `login`: remembered-device credentials as JSON,
//! written with mode 0600 through a temporary file in the same directory,
//! synced and renamed over the old one.

use std::io::Write;
use std::path::Path;

use cognito_srp_auth::DeviceCredentials;
use cognito_srp_auth::flow::Tokens;
use cognito_srp_auth::session::write_private_file;

use crate::exit::Failure;

/// The credentials in `path`, or `None` when it does not exist yet.
pub(crate) fn read(path: &Path) -> Result<Option<DeviceCredentials>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => zeroize::Zeroizing::new(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(Failure::usage(format!(
                "error: --device-file {}: {error}",
                path.display()
            )));
        }
    };
    DeviceCredentials::from_json(&text).map(Some).map_err(|_| {
        Failure::usage(format!(
            "error: --device-file {}: not device credentials written by cognito-srp",
            path.display()
        ))
    })
}

/// After a login with --device-file: reports stale credentials, writes newly
/// confirmed ones, removes stale ones nothing replaced.
pub(crate) fn store(path: &Path, tokens: &mut Tokens) -> Result<(), Failure> {
    let fault = |error: std::io::Error| {
        Failure::fault(format!("error: --device-file {}: {error}", path.display()))
    };
    if let Some(stale) = tokens.stale_device() {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "warning: Cognito no longer knows the device in {} ({}); signed in without it{}",
            path.display(),
            stale.error_code(),
            if tokens.device_credentials().is_some() {
                ", replacing it"
            } else {
                ", removing it"
            }
        );
    }
    match tokens.take_device_credentials() {
        Some(credentials) => {
            let json = credentials.to_json().map_err(|e| {
                Failure::fault(format!(
                    "error: cannot serialise the device credentials: {e}"
                ))
            })?;
            write_private_file(path, json.as_bytes()).map_err(fault)
        }
        None if tokens.stale_device().is_some() => match std::fs::remove_file(path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(fault(error)),
            _ => Ok(()),
        },
        None => Ok(()),
    }
}
