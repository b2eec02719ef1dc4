//! `cognito-srp`: Cognito SRP logins, a local user pool, and the vector runner.
//!
//! Exit codes: 0 success; 1 authentication refused (or vectors failed);
//! 2 usage error or unreadable input; 3 network or server fault.

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Subcommand};

mod connection;
mod credentials_cache;
mod credentials_cmd;
mod demo_cmd;
mod device_file;
mod exit;
mod load_cmd;
mod load_report;
mod login_cmd;
mod login_profile;
mod logout_cmd;
mod profile;
mod prompts;
mod serve_cmd;
mod steps;
mod token_cmd;
mod users_file;
mod vectors_cmd;
mod verify_cmd;

/// Amazon Cognito USER_SRP_AUTH from the command line.
#[derive(Debug, clap::Parser)]
#[command(name = "cognito-srp", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the built-in local user pool, sign in to it over HTTP with SRP, and show each step.
    Demo(demo_cmd::DemoArgs),
    /// Test vectors: `vectors verify FILE...`.
    #[command(subcommand)]
    Vectors(vectors_cmd::VectorsCommand),
    /// Sign in to a user pool (USER_SRP_AUTH by default) and print the tokens as JSON.
    Login(login_cmd::LoginArgs),
    /// Exchange a refresh token for new tokens and print them as JSON.
    Refresh(login_cmd::RefreshArgs),
    /// Revoke a refresh token (RevokeToken), or sign out everywhere (--global: GlobalSignOut);
    /// with --profile, revoke the profile's session and delete the profile.
    Logout(logout_cmd::LogoutArgs),
    /// Print a valid access (or --id: ID) token of a profile, refreshing it first when needed.
    Token(token_cmd::TokenArgs),
    /// Temporary AWS credentials for a profile's user from a Cognito identity pool, as credential_process JSON.
    Credentials(credentials_cmd::CredentialsArgs),
    /// Run a local Cognito-compatible user pool on loopback until SIGINT/SIGTERM.
    Serve(serve_cmd::ServeArgs),
    /// Drive concurrent SRP logins against an endpoint; report logins/s, latency and failures.
    Load(load_cmd::LoadArgs),
    /// Verify an ID or access token (stdin's first line) against the pool's JWKS; print its claims as JSON.
    Verify(verify_cmd::VerifyArgs),
}

/// Secrets a command takes as an argument, and the variable that is safer.
const SECRET_ARGUMENTS: [(&str, &str, &str); 4] = [
    ("client_secret", "--client-secret", "COGNITO_CLIENT_SECRET"),
    ("mfa_code", "--mfa-code", "COGNITO_MFA_CODE"),
    ("new_password", "--new-password", "COGNITO_NEW_PASSWORD"),
    (
        "challenge_answer",
        "--challenge-answer",
        "COGNITO_CHALLENGE_ANSWER",
    ),
];

/// One warning on stderr for each secret given on the command line, where
/// other users of the machine can read it (`ps`, `/proc/PID/cmdline`).
fn warn_secret_arguments(matches: &ArgMatches) {
    for (id, flag, variable) in SECRET_ARGUMENTS {
        let given = matches.ids().any(|present| present.as_str() == id)
            && matches.value_source(id) == Some(ValueSource::CommandLine);
        if given {
            eprintln!(
                "warning: {flag} on the command line can be read by other users of this machine                  (ps, /proc); use the terminal prompt or {variable} instead"
            );
        }
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    if let Some((_, command)) = matches.subcommand() {
        warn_secret_arguments(command);
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    match cli.command {
        Command::Demo(args) => demo_cmd::run(args),
        Command::Vectors(command) => vectors_cmd::run(command),
        Command::Login(args) => login_cmd::run_login(args),
        Command::Refresh(args) => login_cmd::run_refresh(args),
        Command::Logout(args) => logout_cmd::run(args),
        Command::Token(args) => token_cmd::run(args),
        Command::Credentials(args) => credentials_cmd::run(args),
        Command::Serve(args) => serve_cmd::run(args),
        Command::Load(args) => load_cmd::run(args),
        Command::Verify(args) => verify_cmd::run(args),
    }
}
