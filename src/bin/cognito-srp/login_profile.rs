//! What `login --profile NAME` does with the profile: carries over the
//! device the profile remembers, and saves the signed-in session (never the
//! password or the client secret).

use cognito_srp_auth::flow::{CognitoClient, Tokens};
use cognito_srp_auth::session::StoredSession;
use cognito_srp_auth::transport::HttpTransport;
use cognito_srp_auth::{ClientId, DeviceCredentials, UserPoolId};

use crate::connection::Connection;
use crate::exit::Failure;
use crate::profile::Profile;
use crate::steps::StepPrinter;

/// The remembered device of the profile being replaced, when it is of the
/// same app client. An unreadable profile is reported and signed in over.
pub(crate) fn previous_device(
    profile: &Profile,
    pool: &UserPoolId,
    client_id: &ClientId,
) -> Option<DeviceCredentials> {
    match profile.load_optional() {
        Ok(Some(session)) if session.user_pool_id() == pool && session.client_id() == client_id => {
            session.device_credentials().cloned()
        }
        Ok(_) => None,
        Err(failure) => {
            eprintln!(
                "warning: {} (it is replaced if this sign-in succeeds)",
                failure.line.trim_start_matches("error: ")
            );
            None
        }
    }
}

/// Saves the signed-in session in `profile`: the device this sign-in
/// confirmed, else the remembered one it used (unless Cognito no longer
/// knows it).
pub(crate) fn save_profile(
    profile: &Profile,
    client: &CognitoClient<StepPrinter<HttpTransport>>,
    connection: &Connection,
    tokens: &Tokens,
    previous: Option<DeviceCredentials>,
) -> Result<(), Failure> {
    let mut session = StoredSession::new(
        client.user_pool_id().clone(),
        client.client_id().clone(),
        tokens.clone(),
    )
    .with_client_secret_required(client.has_client_secret());
    if let Some(endpoint) = &connection.endpoint {
        session = session.with_endpoint(endpoint.as_str());
    }
    if let Some(region) = &connection.region {
        session = session.with_region(region.as_str());
    }
    if let Some(stale) = tokens.stale_device() {
        eprintln!(
            "warning: Cognito no longer knows the profile's remembered device ({}); signed in without it",
            stale.error_code()
        );
    } else if session.device_credentials().is_none()
        && let Some(credentials) = previous
    {
        session = session.with_device_credentials(credentials);
    }
    profile.save(&session)
}
