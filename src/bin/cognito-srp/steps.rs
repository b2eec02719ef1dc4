//! [`StepPrinter`]: a transport decorator that prints each Cognito operation and
//! the challenge it returns (never a parameter value), and measures how long
//! the client waited on the network.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cognito_srp_auth::transport::{Transport, TransportError};
use cognito_srp_auth::wire::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, ConfirmDeviceRequest,
    ConfirmDeviceResponse, ForgetDeviceRequest, InitiateAuthRequest, InitiateAuthResponse,
    RespondToAuthChallengeRequest, RespondToAuthChallengeResponse, UpdateDeviceStatusRequest,
    VerifySoftwareTokenRequest, VerifySoftwareTokenResponse,
};

/// Where step lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepSink {
    /// Nowhere.
    Off,
    /// Standard error (`login --verbose`).
    Stderr,
    /// Standard output, indented (`demo`).
    Stdout,
}

impl StepSink {
    /// Prints one step line.
    pub fn print(self, line: &str) {
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
pub struct StepPrinter<T> {
    inner: T,
    sink: StepSink,
    waited_nanos: AtomicU64,
}

impl<T> StepPrinter<T> {
    /// Prints the steps of `inner` to `sink`.
    pub fn new(inner: T, sink: StepSink) -> Self {
        Self {
            inner,
            sink,
            waited_nanos: AtomicU64::new(0),
        }
    }

    /// Total time spent waiting on the wrapped transport so far.
    pub fn transport_time(&self) -> Duration {
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
    async fn initiate_auth(
        &self,
        request: InitiateAuthRequest,
    ) -> Result<InitiateAuthResponse, TransportError> {
        let flow = request.auth_flow.as_ref().map(|f| f.as_str().to_owned());
        self.sink
            .print(&format!("InitiateAuth {}", flow.unwrap_or_default()));
        let response = self.timed(self.inner.initiate_auth(request)).await;
        self.outcome(&response);
        response
    }

    async fn respond_to_auth_challenge(
        &self,
        request: RespondToAuthChallengeRequest,
    ) -> Result<RespondToAuthChallengeResponse, TransportError> {
        let name = request
            .challenge_name
            .as_ref()
            .map(|n| n.as_str().to_owned());
        self.sink.print(&format!(
            "RespondToAuthChallenge {}",
            name.unwrap_or_default()
        ));
        let response = self
            .timed(self.inner.respond_to_auth_challenge(request))
            .await;
        self.outcome(&response);
        response
    }

    async fn associate_software_token(
        &self,
        request: AssociateSoftwareTokenRequest,
    ) -> Result<AssociateSoftwareTokenResponse, TransportError> {
        self.sink.print("AssociateSoftwareToken");
        self.timed(self.inner.associate_software_token(request))
            .await
    }

    async fn verify_software_token(
        &self,
        request: VerifySoftwareTokenRequest,
    ) -> Result<VerifySoftwareTokenResponse, TransportError> {
        self.sink.print("VerifySoftwareToken");
        self.timed(self.inner.verify_software_token(request)).await
    }

    async fn confirm_device(
        &self,
        request: ConfirmDeviceRequest,
    ) -> Result<ConfirmDeviceResponse, TransportError> {
        self.sink.print("ConfirmDevice");
        self.timed(self.inner.confirm_device(request)).await
    }

    async fn update_device_status(
        &self,
        request: UpdateDeviceStatusRequest,
    ) -> Result<(), TransportError> {
        self.sink.print("UpdateDeviceStatus");
        self.timed(self.inner.update_device_status(request)).await
    }

    async fn forget_device(&self, request: ForgetDeviceRequest) -> Result<(), TransportError> {
        self.sink.print("ForgetDevice");
        self.timed(self.inner.forget_device(request)).await
    }
}
