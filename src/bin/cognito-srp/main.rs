//! `cognito-srp`: Cognito SRP logins, a local user pool, and the vector runner.
//!
//! Exit codes: 0 success; 1 authentication refused (or vectors failed);
//! 2 usage error or unreadable input; 3 network or server fault.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Test vectors: `vectors verify FILE...`.
    #[command(subcommand)]
    Vectors(vectors_cmd::VectorsCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Vectors(command) => vectors_cmd::run(command),
    }
}
