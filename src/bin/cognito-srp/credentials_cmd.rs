//! `cognito-srp credentials --profile NAME --identity-pool-id ID [--endpoint URL]`:
//! temporary AWS credentials for the profile's user from a Cognito identity
//! pool, printed as the JSON of the AWS CLI's and SDKs' `credential_process`.
//!
//! The profile's ID token (refreshed and saved first when it expires within
//! five minutes) goes to Cognito Identity's `GetId` and
//! `GetCredentialsForIdentity` with `Logins = {"cognito-idp.<region>.amazonaws.com/<user pool id>": <ID token>}`.
//! The credentials are cached next to the profile (0600) and reused until
//! five minutes before they expire. Errors go to stderr: exit 1 refused
//! (Cognito said no, or the session must sign in again), 2 usage (no such
//! profile, a bad endpoint), 3 network or server fault.

use std::process::ExitCode;

use clap::Args;
use cognito_srp_auth::identity::{IdentityPoolClient, REFRESH_MARGIN, identity_pool_region};
use cognito_srp_auth::transport::HttpTransport;
use zeroize::Zeroizing;

use crate::credentials_cache::{self, Issued};
use crate::exit::{self, Failure};
use crate::profile::{Profile, ProfileAccess};

/// `cognito-srp credentials`.
#[derive(Debug, Args)]
pub(crate) struct CredentialsArgs {
    /// The profile, written by `cognito-srp login --profile NAME`.
    #[arg(long, value_name = "NAME")]
    profile: String,
    /// The identity pool, `<region>:<uuid>`.
    #[arg(long, value_name = "ID")]
    identity_pool_id: String,
    /// The Cognito Identity endpoint (default: the profile's endpoint when it
    /// has one — a local pool serves both — else
    /// cognito-identity.REGION.amazonaws.com over HTTPS for the identity
    /// pool's region).
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    #[command(flatten)]
    access: ProfileAccess,
}

/// Runs `cognito-srp credentials`.
pub(crate) fn run(args: CredentialsArgs) -> ExitCode {
    let result = exit::runtime(&mut tokio::runtime::Builder::new_current_thread())
        .and_then(|rt| rt.block_on(credentials(&args)));
    match result {
        Ok(json) => {
            println!("{}", json.as_str());
            ExitCode::SUCCESS
        }
        Err(failure) => failure.report(),
    }
}

async fn credentials(args: &CredentialsArgs) -> Result<Zeroizing<String>, Failure> {
    let profile = Profile::named(&args.profile)?;
    let session = profile.load()?;
    let client = identity_client(args, session.endpoint())?;
    let subject = session.tokens().sub().unwrap_or_default().to_owned();
    let issued = Issued {
        identity_pool_id: args.identity_pool_id.clone(),
        endpoint: client.endpoint().to_owned(),
        subject,
    };
    let cache = credentials_cache::path_for(profile.path());
    if let Some(cached) = credentials_cache::load(&cache, &issued) {
        return Ok(cached.to_credential_process_json());
    }
    let tokens = profile.valid_tokens(&args.access, REFRESH_MARGIN).await?;
    let id_token = tokens.expose_id_token().ok_or_else(|| {
        Failure::new(
            exit::REFUSED,
            format!(
                "error: profile {}: Cognito issued no ID token for this session",
                profile.name()
            ),
        )
    })?;
    let credentials = client
        .credentials(&args.identity_pool_id, session.user_pool_id(), id_token)
        .await
        .map_err(|e| {
            Failure::new(
                exit::transport_code_of(&e),
                format!("error: identity pool: {}", exit::one_line(&e)),
            )
        })?;
    // The refreshed tokens may name the user again; key the cache on them.
    let issued = Issued {
        subject: tokens.sub().unwrap_or_default().to_owned(),
        ..issued
    };
    if let Err(error) = credentials_cache::save(&cache, &issued, &credentials) {
        eprintln!(
            "warning: cannot cache the credentials in {}: {error}",
            cache.display()
        );
    }
    Ok(credentials.to_credential_process_json())
}

/// The Cognito Identity client: `--endpoint`, else the profile's endpoint,
/// else the identity pool's region.
fn identity_client(
    args: &CredentialsArgs,
    profile_endpoint: Option<&str>,
) -> Result<IdentityPoolClient, Failure> {
    let builder = HttpTransport::builder().allow_insecure_http(args.access.allow_insecure_http);
    let builder = match (args.endpoint.as_deref(), profile_endpoint) {
        (Some(url), _) | (None, Some(url)) => builder.endpoint(url),
        (None, None) => match identity_pool_region(&args.identity_pool_id) {
            Some(region) => builder.region(region),
            None => {
                return Err(Failure::usage(format!(
                    "error: --identity-pool-id {:?} is not <region>:<uuid>",
                    args.identity_pool_id
                )));
            }
        },
    };
    IdentityPoolClient::from_builder(builder).map_err(|e| {
        Failure::new(
            exit::transport_code_of(&e),
            format!("error: identity pool: {}", exit::one_line(&e)),
        )
    })
}
