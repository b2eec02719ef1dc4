//! `cognito-srp token --profile NAME [--id]`: a valid access token (or ID
//! token) of a profile on stdout, refreshed and saved first when it expires
//! within the margin. Exit 1 when Cognito no longer refreshes the session
//! (sign in again), 2 for a missing, corrupt or foreign profile (the file is
//! named and left as it is), 3 for a network or server fault.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::exit::{self, Failure};
use crate::profile::{Profile, ProfileAccess};

/// `cognito-srp token`.
#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// The profile, written by `cognito-srp login --profile NAME`.
    #[arg(long, value_name = "NAME")]
    profile: String,
    /// Print the ID token instead of the access token.
    #[arg(long)]
    id: bool,
    /// Refresh when the tokens expire within SECONDS (capped at half their
    /// lifetime).
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    refresh_margin: u64,
    #[command(flatten)]
    access: ProfileAccess,
}

/// Runs `cognito-srp token`.
pub(crate) fn run(args: TokenArgs) -> ExitCode {
    let result = exit::runtime(&mut tokio::runtime::Builder::new_current_thread())
        .and_then(|rt| rt.block_on(token(&args)));
    match result {
        Ok(token) => {
            println!("{}", token.as_str());
            ExitCode::SUCCESS
        }
        Err(failure) => failure.report(),
    }
}

async fn token(args: &TokenArgs) -> Result<zeroize::Zeroizing<String>, Failure> {
    let profile = Profile::named(&args.profile)?;
    let tokens = profile
        .valid_tokens(&args.access, Duration::from_secs(args.refresh_margin))
        .await?;
    let token = match args.id {
        false => tokens.expose_access_token(),
        true => tokens.expose_id_token().ok_or_else(|| {
            Failure::new(
                exit::REFUSED,
                format!(
                    "error: profile {}: Cognito issued no ID token for this session",
                    profile.name()
                ),
            )
        })?,
    };
    Ok(zeroize::Zeroizing::new(token.to_owned()))
}
