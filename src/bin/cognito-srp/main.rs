//! `cognito-srp`: Cognito SRP logins, a local user pool, and the vector runner.
//!
//! Exit codes: 0 success; 1 authentication refused (or vectors failed);
//! 2 usage error or unreadable input; 3 network or server fault.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod connection;
mod demo_cmd;
mod device_file;
mod exit;
mod load_cmd;
mod load_report;
mod login_cmd;
mod logout_cmd;
mod prompts;
mod serve_cmd;
mod steps;
mod users_file;
mod vectors_cmd;

/// Amazon Cognito USER_SRP_AUTH from the command line.
#[derive(Debug, Parser)]
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
    /// Revoke a refresh token (RevokeToken), or sign out everywhere (--global: GlobalSignOut).
    Logout(logout_cmd::LogoutArgs),
    /// Run a local Cognito-compatible user pool on loopback until SIGINT/SIGTERM.
    Serve(serve_cmd::ServeArgs),
    /// Drive concurrent SRP logins against an endpoint; report logins/s, latency and failures.
    Load(load_cmd::LoadArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => demo_cmd::run(args),
        Command::Vectors(command) => vectors_cmd::run(command),
        Command::Login(args) => login_cmd::run_login(args),
        Command::Refresh(args) => login_cmd::run_refresh(args),
        Command::Logout(args) => logout_cmd::run(args),
        Command::Serve(args) => serve_cmd::run(args),
        Command::Load(args) => load_cmd::run(args),
    }
}
