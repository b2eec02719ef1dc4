//! `cognito-srp logout`: revoke a refresh token (`RevokeToken`), or sign the
//! user out everywhere (`GlobalSignOut`, with `--global`).

use std::process::ExitCode;

use clap::Args;
use cognito_srp_auth::flow::AccessToken;

use crate::exit::{self, Failure};
use crate::login_cmd::{Target, client};
use crate::prompts::{read_refresh_token, read_secret};

/// Revokes a refresh token, or signs out everywhere.
#[derive(Debug, Args)]
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
