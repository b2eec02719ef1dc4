//! [`StepPrinter`]: a transport decorator that prints each Cognito operation and
//! the challenge it returns (never a parameter value), and measures how long
//! the client waited on the network.

use std::any::Any;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cognito_srp_auth::transport::{Transport, TransportError};
use cognito_srp_auth::wire::{
    CognitoOperation, InitiateAuthRequest, InitiateAuthResponse, RespondToAuthChallengeRequest,
};

/// Where step lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepSink {
    /// Nowhere.
    Off,
    /// Standard error (`login --verbose`).
    Stderr,
    /// Standard output, indented (`demo`).
    Stdout,
}

impl StepSink {
    /// Prints one step line.
    pub(crate) fn print(self, line: &str) {
        match self {
            StepSink::Off => {}
            StepSink::Stderr => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
            StepSink::Stdout => {
                let _ = writeln!(std::io::stdout().lock(), "  -> {line}");
            }
        }
    }
}

/// Wraps a transport: prints `InitiateAuth USER_SRP_AUTH`, `challenge
/// PASSWORD_VERIFIER`, `RespondToAuthChallenge PASSWORD_VERIFIER`,
/// `authenticated`, … and adds up the time spent inside the transport.
pub(crate) struct StepPrinter<T> {
    inner: T,
    sink: StepSink,
    waited_nanos: AtomicU64,
}

impl<T> StepPrinter<T> {
    /// Prints the steps of `inner` to `sink`.
    pub(crate) fn new(inner: T, sink: StepSink) -> Self {
        Self {
            inner,
            sink,
            waited_nanos: AtomicU64::new(0),
        }
    }

    /// Total time spent waiting on the wrapped transport so far.
    pub(crate) fn transport_time(&self) -> Duration {
        Duration::from_nanos(self.waited_nanos.load(Ordering::Relaxed))
    }

    async fn timed<R>(&self, call: impl Future<Output = R>) -> R {
        let started = Instant::now();
        let result = call.await;
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.waited_nanos.fetch_add(nanos, Ordering::Relaxed);
        result
    }

    fn outcome(&self, response: &Result<InitiateAuthResponse, TransportError>) {
        match response {
            Ok(r) if r.authentication_result.is_some() => self.sink.print("authenticated"),
            Ok(r) => {
                if let Some(name) = &r.challenge_name {
                    self.sink.print(&format!("challenge {name}"));
                }
            }
            Err(e) => self.sink.print(&format!(
                "failed: {}",
                e.service_code().unwrap_or("no service error code")
            )),
        }
    }
}

impl<T: Transport> Transport for StepPrinter<T> {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        let any: &dyn Any = &request;
        let detail = if let Some(r) = any.downcast_ref::<InitiateAuthRequest>() {
            Some(r.auth_flow.as_ref().map(|f| f.as_str().to_owned()))
        } else {
            any.downcast_ref::<RespondToAuthChallengeRequest>()
                .map(|r| r.challenge_name.as_ref().map(|n| n.as_str().to_owned()))
        };
        match detail {
            Some(detail) => {
                self.sink
                    .print(&format!("{} {}", Op::OPERATION, detail.unwrap_or_default()))
            }
            None => self.sink.print(Op::OPERATION.as_str()),
        }
        let response = self.timed(self.inner.call::<Op>(request)).await;
        // InitiateAuth and RespondToAuthChallenge: the challenge or the tokens.
        if let Some(auth) =
            (&response as &dyn Any).downcast_ref::<Result<InitiateAuthResponse, TransportError>>()
        {
            self.outcome(auth);
        }
        response
    }
}
