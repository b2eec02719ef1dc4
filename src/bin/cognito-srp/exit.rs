//! Exit codes and the one place an error is mapped to its exit code.
//!
//! 0 success; 1 refused (authentication refused, vectors or logins failed);
//! 2 usage error or unreadable input; 3 network or server fault.

use std::process::ExitCode;

use cognito_srp_auth::flow::FlowError;
use cognito_srp_auth::transport::TransportError;

/// Authentication refused, or some checks (vectors, logins) failed.
pub(crate) const REFUSED: u8 = 1;
/// Usage error or unreadable input.
pub(crate) const USAGE: u8 = 2;
/// Network or server fault, or the tool could not start.
pub(crate) const FAULT: u8 = 3;

/// The exit code of a failed operation: the library's one classification
/// ([`FlowError::class`]) mapped to the codes above.
pub(crate) fn code_of(error: &FlowError) -> u8 {
    error.class().exit_code()
}

/// The exit code of a transport failure (also of building a transport).
pub(crate) fn transport_code_of(error: &TransportError) -> u8 {
    error.class().exit_code()
}

/// A failure: the line to print on stderr and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The exit code.
    pub code: u8,
    /// The one line printed on stderr.
    pub line: String,
}

impl Failure {
    /// A failure with `code`.
    pub(crate) fn new(code: u8, line: impl Into<String>) -> Self {
        Self {
            code,
            line: line.into(),
        }
    }

    /// A usage error (exit 2).
    pub(crate) fn usage(line: impl Into<String>) -> Self {
        Self::new(USAGE, line)
    }

    /// A fault (exit 3).
    pub(crate) fn fault(line: impl Into<String>) -> Self {
        Self::new(FAULT, line)
    }

    /// Prints the line on stderr and returns the exit code.
    pub(crate) fn report(self) -> ExitCode {
        eprintln!("{}", self.line);
        ExitCode::from(self.code)
    }
}

impl From<FlowError> for Failure {
    fn from(error: FlowError) -> Self {
        Self::new(code_of(&error), one_line(&error))
    }
}

/// The error and its sources, joined by `: `.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

/// [`error_chain`] on one line (service errors are already `Code: message`).
pub(crate) fn one_line(error: &dyn std::error::Error) -> String {
    error_chain(error).replace(['\n', '\r'], " ")
}

/// `builder`'s runtime with I/O and timers, or the fault of not getting one.
pub(crate) fn runtime(
    builder: &mut tokio::runtime::Builder,
) -> Result<tokio::runtime::Runtime, Failure> {
    builder
        .enable_all()
        .build()
        .map_err(|e| Failure::fault(format!("error: cannot start the async runtime: {e}")))
}
