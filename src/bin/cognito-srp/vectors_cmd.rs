//! `cognito-srp vectors verify FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use cognito_srp_auth::vectors::{Report, verify_file};

use crate::exit;

/// What to do with vector files.
#[derive(Debug, Subcommand)]
pub(crate) enum VectorsCommand {
    /// Check every vector and invalid case in FILE... Prints one line per failed
    /// field and ends with `N passed, M failed`; exits 0 only when nothing failed.
    Verify {
        /// Vector files (JSON, in the formats of vectors/README.md).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// Runs a `vectors` subcommand.
pub(crate) fn run(command: VectorsCommand) -> ExitCode {
    let VectorsCommand::Verify { files } = command;
    let mut total = Report::default();
    let mut unusable = false;
    for file in &files {
        match verify_file(file) {
            Ok(report) => total.merge(report),
            Err(error) => {
                eprintln!("error: {error}");
                unusable = true;
            }
        }
    }
    for failure in total.failures() {
        println!("{failure}");
    }
    println!("{}", total.summary());
    if unusable {
        ExitCode::from(exit::USAGE)
    } else if total.failed() > 0 {
        ExitCode::from(exit::REFUSED)
    } else {
        ExitCode::SUCCESS
    }
}
