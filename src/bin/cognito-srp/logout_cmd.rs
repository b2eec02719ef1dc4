//! `cognito-srp logout`: revoke a refresh token (`RevokeToken`), or sign the
//! user out everywhere (`GlobalSignOut`, with `--global`); with `--profile
//! NAME`, revoke the profile's refresh token and delete the profile (also
//! when Cognito says the token is already revoked).

use std::process::ExitCode;

use clap::Args;
use clap::builder::ArgPredicate;
use cognito_srp_auth::flow::AccessToken;
use cognito_srp_auth::transport::ErrorClass;

use crate::exit::{self, Failure};
use crate::login_cmd::{Target, client};
use crate::profile::Profile;
use crate::prompts::{read_refresh_token, read_secret};

/// With --profile the user pool and app client come from the profile.
fn from_profile(arg: clap::Arg) -> clap::Arg {
    arg.required(false)
        .required_unless_present("profile")
        .default_value_if("profile", ArgPredicate::IsPresent, Some(""))
}

/// Revokes a refresh token, or signs out everywhere.
// Clippy reads the two `mut_arg`s' shared function as a repeated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(Debug, Args)]
#[command(
    mut_arg("user_pool_id", from_profile),
    mut_arg("client_id", from_profile)
)]
pub(crate) struct LogoutArgs {
    #[command(flatten)]
    target: Target,
    /// Sign out of every device (GlobalSignOut) with an access token instead
    /// of revoking one refresh token.
    #[arg(long)]
    global: bool,
    /// Read the refresh token to revoke from the first line of stdin
    /// (otherwise env COGNITO_REFRESH_TOKEN, otherwise a no-echo prompt).
    #[arg(long, conflicts_with = "global")]
    refresh_token_stdin: bool,
    /// With --global: read the access token from the first line of stdin
    /// (otherwise env COGNITO_ACCESS_TOKEN, otherwise a no-echo prompt).
    #[arg(long, requires = "global")]
    access_token_stdin: bool,
    /// Revoke the session of this profile (written by login --profile) and
    /// delete the profile.
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with_all = ["global", "refresh_token_stdin"]
    )]
    profile: Option<String>,
}

/// Runs `cognito-srp logout`: exit 0 once Cognito has accepted it.
pub(crate) fn run(args: LogoutArgs) -> ExitCode {
    let result = exit::runtime(&mut tokio::runtime::Builder::new_current_thread())
        .and_then(|rt| rt.block_on(logout(args)));
    match result {
        Ok(what) => {
            eprintln!("{what}");
            ExitCode::SUCCESS
        }
        Err(failure) => failure.report(),
    }
}

async fn logout(args: LogoutArgs) -> Result<&'static str, Failure> {
    if let Some(name) = &args.profile {
        return logout_profile(&args.target, name).await;
    }
    let client = client(&args.target)?;
    if args.global {
        let token = AccessToken::new(read_secret(
            args.access_token_stdin,
            "COGNITO_ACCESS_TOKEN",
            "Access token: ",
            "an access token: --access-token-stdin, COGNITO_ACCESS_TOKEN or a terminal",
        )?);
        client.global_sign_out(&token).await?;
        Ok("signed out everywhere: every refresh token of the user is revoked")
    } else {
        let token = read_refresh_token(args.refresh_token_stdin)?;
        client.revoke_token(&token).await?;
        Ok("refresh token revoked, with the access tokens issued with it")
    }
}

/// `logout --profile NAME`: `RevokeToken`, then the profile is deleted. A
/// refusal (the token was already revoked or has expired) still deletes it;
/// a network or server fault keeps it, so that the logout can be retried.
async fn logout_profile(target: &Target, name: &str) -> Result<&'static str, Failure> {
    let profile = Profile::named(name)?;
    let session = profile.load()?;
    let client = profile.client(&session, &target.profile_access())?;
    let revoked = match session.refresh_token() {
        Some(token) => client.revoke_token(token).await,
        None => Ok(()),
    };
    let said = match revoked {
        Ok(()) => "refresh token revoked, with the access tokens issued with it; profile deleted",
        Err(error) if error.class() == ErrorClass::Refused => {
            eprintln!(
                "warning: Cognito refused to revoke the refresh token ({}): it was already revoked or has expired",
                error.service_code().unwrap_or(error.code())
            );
            "profile deleted"
        }
        Err(error) => return Err(error.into()),
    };
    profile.delete()?;
    Ok(said)
}
