//! `cognito-srp load`: many concurrent SRP logins against a Cognito-compatible
//! endpoint, with throughput, latency percentiles and failures by error code.
//!
//! Meant for `cognito-srp serve` and other local pools. Against AWS every
//! login is a real sign-in: it counts toward quotas, is throttled, and wrong
//! passwords lock users out, so a non-loopback endpoint gets a warning.
//! `TooManyRequestsException` makes the worker back off (exponential, with
//! jitter) before its next login.
//!
//! Exit codes: 0 every login succeeded; 1 some failed (or none ran);
//! 2 usage error or unreadable users file; 3 the tool could not start.

use std::any::Any;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{CognitoClient, FlowError, LoginOutcome};
use cognito_srp_auth::transport::{HttpTransport, Transport, TransportError};
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::wire::{
    ChallengeName, CognitoOperation, InitiateAuthResponse, Operation, RespondToAuthChallengeRequest,
};

use crate::connection::Connection;
use crate::exit::{self, Failure};
use crate::load_report::{Report, WorkerReport};
use crate::users_file;

/// First pause after `TooManyRequestsException`; doubled per repeat.
const BASE_BACKOFF: Duration = Duration::from_millis(50);
/// Longest pause after `TooManyRequestsException`.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Options of `load`. The endpoint is required (no region: `load` is not
/// meant for AWS).
#[derive(Debug, Args)]
#[command(
    mut_arg("endpoint", |a| a.required(true).help(
        "The endpoint, e.g. http://127.0.0.1:9229/ (a warning is printed unless it is loopback)"
    )),
    mut_arg("region", |a| a.hide(true).conflicts_with("endpoint")),
)]
pub(crate) struct LoadArgs {
    #[command(flatten)]
    pub connection: Connection,
    /// JSON users: `[{"username", "password"}]` or serve's `{"users": [...]}`
    /// (users without a permanent password, or with a TOTP secret, are skipped).
    #[arg(long = "users", value_name = "FILE")]
    pub users: PathBuf,
    /// Logins in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: u32,
    /// How long to start new logins, in seconds (logins in flight then finish).
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub duration: u64,
    /// Total deadline of one request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub request_timeout: u64,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// A user to sign in as.
struct User {
    username: String,
    password: Password,
}

/// Sign-ins the server holds state for: started (a `PASSWORD_VERIFIER`
/// challenge was received) and answered (the proof was sent).
#[derive(Default)]
struct Counters {
    started: AtomicU64,
    answered: AtomicU64,
}

/// The transport, counting started and answered sign-ins.
struct Counting<T> {
    inner: T,
    counters: Arc<Counters>,
}

impl<T: Transport> Transport for Counting<T> {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        if let Some(r) = (&request as &dyn Any).downcast_ref::<RespondToAuthChallengeRequest>()
            && r.challenge_name == Some(ChallengeName::PasswordVerifier)
        {
            self.counters.answered.fetch_add(1, Ordering::Relaxed);
        }
        let response = self.inner.call::<Op>(request).await;
        if Op::OPERATION == Operation::InitiateAuth
            && let Ok(r) = &response
            && let Some(r) = (r as &dyn Any).downcast_ref::<InitiateAuthResponse>()
            && r.challenge_name == Some(ChallengeName::PasswordVerifier)
        {
            self.counters.started.fetch_add(1, Ordering::Relaxed);
        }
        response
    }
}

type Client = CognitoClient<Counting<HttpTransport>>;

/// Runs `cognito-srp load`.
pub(crate) fn run(args: LoadArgs) -> ExitCode {
    run_inner(args).unwrap_or_else(Failure::report)
}

fn run_inner(args: LoadArgs) -> Result<ExitCode, Failure> {
    let (pool, client_id) = args.connection.ids()?;
    let users = read_users(&args.users).map_err(|e| Failure::usage(format!("error: {e}")))?;
    let endpoint = args.connection.endpoint.as_deref().unwrap_or_default();
    if !is_loopback(endpoint) {
        eprintln!(
            "warning: {endpoint} is not a loopback address. `load` makes real sign-ins: against AWS \
             Cognito they count toward quotas, get throttled, and wrong passwords lock users out."
        );
    }
    let timeout = Duration::from_secs(args.request_timeout);
    let transport = args
        .connection
        .transport(&pool, |builder| builder.request_timeout(timeout))?;
    let counters = Arc::new(Counters::default());
    let transport = Counting {
        inner: transport,
        counters: counters.clone(),
    };
    let mut client = CognitoClient::new(pool, client_id, transport);
    if let Some(secret) = args.connection.client_secret() {
        client = client.with_client_secret(secret);
    }
    let user_count = users.len();
    let runtime = exit::runtime(&mut tokio::runtime::Builder::new_multi_thread())?;
    let concurrency = args.concurrency as usize;
    let duration = Duration::from_secs(args.duration);
    let (reports, elapsed) = runtime.block_on(drive(
        Arc::new(client),
        Arc::new(users),
        concurrency,
        duration,
    ));
    let report = Report::new(
        &args,
        user_count,
        reports,
        elapsed,
        counters.started.load(Ordering::Relaxed),
        counters.answered.load(Ordering::Relaxed),
    );
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text());
    }
    Ok(if report.failed == 0 && report.ok > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::REFUSED)
    })
}

/// `localhost`, `127.0.0.0/8` and `::1`.
fn is_loopback(endpoint: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(endpoint) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The users with a permanent password and no TOTP secret.
fn read_users(path: &Path) -> Result<Vec<User>, String> {
    let users: Vec<User> = users_file::read(path)?
        .into_iter()
        .filter(|user| user.totp_secret.is_none())
        .filter_map(|user| {
            Some(User {
                password: Password::new(user.password?),
                username: user.username,
            })
        })
        .collect();
    if users.is_empty() {
        return Err(format!(
            "{}: no user with a permanent password and no TOTP secret",
            path.display()
        ));
    }
    Ok(users)
}

async fn drive(
    client: Arc<Client>,
    users: Arc<Vec<User>>,
    concurrency: usize,
    duration: Duration,
) -> (Vec<WorkerReport>, Duration) {
    let started = Instant::now();
    let stop = started + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|id| {
            let (client, users) = (client.clone(), users.clone());
            tokio::spawn(worker(id, concurrency, client, users, stop))
        })
        .collect();
    let mut reports = Vec::with_capacity(concurrency);
    for handle in workers {
        match handle.await {
            Ok(report) => reports.push(report),
            Err(_) => {
                let mut report = WorkerReport::default();
                report.failures.insert("WorkerPanicked".into(), 1);
                reports.push(report);
            }
        }
    }
    (reports, started.elapsed())
}

async fn worker(
    id: usize,
    stride: usize,
    client: Arc<Client>,
    users: Arc<Vec<User>>,
    stop: Instant,
) -> WorkerReport {
    let mut report = WorkerReport::default();
    let mut backoff = BASE_BACKOFF;
    let mut turn = 0usize;
    while Instant::now() < stop {
        let Some(user) = users.get((id + turn * stride) % users.len().max(1)) else {
            break;
        };
        turn = turn.wrapping_add(1);
        let started = Instant::now();
        let outcome = client.login(&user.username, user.password.clone()).await;
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let code = match outcome {
            Ok(LoginOutcome::Tokens(_)) => {
                report.latencies_us.push(micros);
                backoff = BASE_BACKOFF;
                continue;
            }
            Ok(LoginOutcome::Challenge(challenge)) => format!("challenge {}", challenge.name()),
            Err(error) => {
                if error.service_kind() == Some(&ServiceErrorKind::TooManyRequests) {
                    report.throttled += 1;
                    tokio::time::sleep(
                        jitter(backoff).min(stop.saturating_duration_since(Instant::now())),
                    )
                    .await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
                error_code(&error)
            }
        };
        *report.failures.entry(code).or_default() += 1;
    }
    report
}

/// A uniform delay in `[cap / 2, cap]`.
fn jitter(cap: Duration) -> Duration {
    let cap_ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX).max(1);
    let random = getrandom::u64().unwrap_or(0);
    Duration::from_millis(cap_ms / 2 + random % (cap_ms / 2 + 1))
}

/// The failure's error code: Cognito's, or the kind of local failure.
fn error_code(error: &FlowError) -> String {
    let code = match error {
        FlowError::Transport(TransportError::Service { code, .. }) => return code.clone(),
        FlowError::Transport(TransportError::Timeout { .. }) => "Timeout",
        FlowError::Transport(TransportError::Connect { .. }) => "ConnectFailed",
        FlowError::Transport(TransportError::Interrupted { .. }) => "ConnectionInterrupted",
        FlowError::Transport(TransportError::MalformedResponse { .. }) => "MalformedResponse",
        FlowError::Transport(TransportError::ResponseTooLarge { .. }) => "ResponseTooLarge",
        FlowError::Transport(_) => "TransportError",
        FlowError::Srp(error) => return format!("srp:{}", error.name()),
        FlowError::IncompleteResponse { .. } => "IncompleteResponse",
        FlowError::MissingField { .. } => "MissingField",
        FlowError::UnexpectedChallenge { .. } => "UnexpectedChallenge",
        _ => "OtherError",
    };
    code.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_endpoints() {
        for url in [
            "http://127.0.0.1:9229/",
            "http://127.8.9.10/",
            "http://localhost:1/",
            "http://LOCALHOST/",
            "http://[::1]:9229/",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://cognito-idp.eu-west-1.amazonaws.com/",
            "http://10.0.0.1/",
            "http://0.0.0.0:9229/",
            "http://localhost.evil.com/",
            "http://[::]/",
            "not a url",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }

    #[test]
    fn jitter_stays_within_half_to_full() {
        for _ in 0..100 {
            let delay = jitter(Duration::from_millis(100));
            assert!(delay >= Duration::from_millis(50) && delay <= Duration::from_millis(100));
        }
    }
}
