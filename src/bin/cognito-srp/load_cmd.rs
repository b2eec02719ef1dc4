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
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use cognito_srp_auth::flow::{CognitoClient, FlowError, LoginOutcome};
use cognito_srp_auth::transport::{HttpTransport, Transport, TransportError};
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::wire::{
    ChallengeName, CognitoOperation, InitiateAuthResponse, Operation, RespondToAuthChallengeRequest,
};
use cognito_srp_auth::{ClientId, ClientSecret, Password, UserPoolId};
use serde_json::{Value, json};

const EXIT_FAILURES: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_FAULT: u8 = 3;

/// First pause after `TooManyRequestsException`; doubled per repeat.
const BASE_BACKOFF: Duration = Duration::from_millis(50);
/// Longest pause after `TooManyRequestsException`.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Options of `load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// The endpoint, e.g. http://127.0.0.1:9229/ (a warning is printed unless it is loopback).
    #[arg(long, value_name = "URL")]
    endpoint: String,
    /// User pool id, `<region>_<id>`.
    #[arg(long, env = "COGNITO_USER_POOL_ID")]
    user_pool_id: String,
    /// App client id.
    #[arg(long, env = "COGNITO_CLIENT_ID")]
    client_id: String,
    /// App client secret, for clients that have one.
    #[arg(long, env = "COGNITO_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// JSON users: `[{"username", "password"}]` or serve's `{"users": [...]}`
    /// (users without a permanent password, or with a TOTP secret, are skipped).
    #[arg(long = "users", value_name = "FILE")]
    users: PathBuf,
    /// Logins in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=4096))]
    concurrency: u32,
    /// How long to start new logins, in seconds (logins in flight then finish).
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    duration: u64,
    /// Total deadline of one request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=300))]
    request_timeout: u64,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
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

/// What one worker saw.
#[derive(Default)]
struct WorkerReport {
    latencies_us: Vec<u64>,
    failures: BTreeMap<String, u64>,
    throttled: u64,
}

/// Runs `cognito-srp load`.
pub fn run(args: LoadArgs) -> ExitCode {
    match run_inner(args) {
        Ok(code) => code,
        Err((code, line)) => {
            eprintln!("error: {line}");
            ExitCode::from(code)
        }
    }
}

fn run_inner(args: LoadArgs) -> Result<ExitCode, (u8, String)> {
    let usage = |line: String| (EXIT_USAGE, line);
    let pool =
        UserPoolId::parse(&args.user_pool_id).map_err(|e| usage(format!("--user-pool-id: {e}")))?;
    let client_id =
        ClientId::new(args.client_id.as_str()).map_err(|e| usage(format!("--client-id: {e}")))?;
    let users = read_users(&args.users).map_err(usage)?;
    if !is_loopback(&args.endpoint) {
        eprintln!(
            "warning: {} is not a loopback address. `load` makes real sign-ins: against AWS \
             Cognito they count toward quotas, get throttled, and wrong passwords lock users out.",
            args.endpoint
        );
    }
    let transport = HttpTransport::builder()
        .endpoint(args.endpoint.as_str())
        .request_timeout(Duration::from_secs(args.request_timeout))
        .build()
        .map_err(|e| match e {
            TransportError::InvalidEndpoint => usage("invalid --endpoint".into()),
            other => (EXIT_FAULT, other.to_string()),
        })?;
    let counters = Arc::new(Counters::default());
    let transport = Counting {
        inner: transport,
        counters: counters.clone(),
    };
    let mut client = CognitoClient::new(pool, client_id, transport);
    if let Some(secret) = args.client_secret.as_deref().filter(|s| !s.is_empty()) {
        client = client.with_client_secret(ClientSecret::new(secret));
    }
    let user_count = users.len();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| (EXIT_FAULT, format!("cannot start the async runtime: {e}")))?;
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
        ExitCode::from(EXIT_FAILURES)
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

fn read_users(path: &Path) -> Result<Vec<User>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|_| format!("{}: not JSON", path.display()))?;
    let list = match &value {
        Value::Array(list) => list,
        Value::Object(map) => match map.get("users") {
            Some(Value::Array(list)) => list,
            _ => return Err(format!("{}: no \"users\" array", path.display())),
        },
        _ => return Err(format!("{}: not a users file", path.display())),
    };
    let mut users = Vec::new();
    for entry in list {
        let username = entry.get("username").and_then(Value::as_str);
        let password = entry.get("password").and_then(Value::as_str);
        let has_totp = entry.get("totp_secret").is_some_and(|t| !t.is_null());
        match (username, password) {
            (Some(username), Some(password)) if !has_totp => users.push(User {
                username: username.to_owned(),
                password: Password::new(password),
            }),
            (Some(_), _) => {}
            (None, _) => return Err(format!("{}: a user without \"username\"", path.display())),
        }
    }
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

/// The whole run.
struct Report {
    endpoint: String,
    concurrency: u32,
    duration_s: u64,
    elapsed: Duration,
    users: usize,
    ok: u64,
    failed: u64,
    throttled: u64,
    failures: BTreeMap<String, u64>,
    latencies_us: Vec<u64>,
    started: u64,
    answered: u64,
}

impl Report {
    fn new(
        args: &LoadArgs,
        users: usize,
        reports: Vec<WorkerReport>,
        elapsed: Duration,
        started: u64,
        answered: u64,
    ) -> Self {
        let mut failures = BTreeMap::new();
        let mut latencies_us = Vec::new();
        let mut throttled = 0;
        for report in reports {
            latencies_us.extend(report.latencies_us);
            throttled += report.throttled;
            for (code, count) in report.failures {
                *failures.entry(code).or_insert(0) += count;
            }
        }
        latencies_us.sort_unstable();
        Self {
            endpoint: args.endpoint.clone(),
            concurrency: args.concurrency,
            duration_s: args.duration,
            elapsed,
            users,
            ok: latencies_us.len() as u64,
            failed: failures.values().sum(),
            throttled,
            failures,
            latencies_us,
            started,
            answered,
        }
    }

    fn logins_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.ok as f64 / secs
        } else {
            0.0
        }
    }

    /// Nearest-rank percentile, in milliseconds.
    fn percentile_ms(&self, q: f64) -> Option<f64> {
        let n = self.latencies_us.len();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        self.latencies_us
            .get(rank - 1)
            .map(|&us| us as f64 / 1000.0)
    }

    fn to_json(&self) -> Value {
        let round = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 1000.0);
        json!({
            "endpoint": self.endpoint,
            "concurrency": self.concurrency,
            "duration_s": self.duration_s,
            "elapsed_s": (self.elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
            "users": self.users,
            "logins": self.ok,
            "failures": self.failed,
            "throttled": self.throttled,
            "logins_per_s": (self.logins_per_second() * 100.0).round() / 100.0,
            "latency_ms": {
                "p50": round(self.percentile_ms(0.50)),
                "p95": round(self.percentile_ms(0.95)),
                "p99": round(self.percentile_ms(0.99)),
                "max": round(self.percentile_ms(1.0)),
            },
            "failures_by_code": self.failures,
            "sign_ins_started": self.started,
            "sign_ins_answered": self.answered,
            "sign_ins_abandoned": self.started.saturating_sub(self.answered),
        })
    }

    fn to_text(&self) -> String {
        let ms = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1} ms"));
        let mut text = format!(
            "endpoint    {}\nconcurrency {}, {} s ({:.1} s with logins in flight), {} users\n\
             logins      {} ok, {} failed, {:.1} logins/s\n\
             latency     p50 {}  p95 {}  p99 {}  max {}\n\
             sign-ins    {} started, {} answered, {} abandoned\n",
            self.endpoint,
            self.concurrency,
            self.duration_s,
            self.elapsed.as_secs_f64(),
            self.users,
            self.ok,
            self.failed,
            self.logins_per_second(),
            ms(self.percentile_ms(0.50)),
            ms(self.percentile_ms(0.95)),
            ms(self.percentile_ms(0.99)),
            ms(self.percentile_ms(1.0)),
            self.started,
            self.answered,
            self.started.saturating_sub(self.answered),
        );
        if self.throttled > 0 {
            text.push_str(&format!(
                "throttled   {} (backed off each time)\n",
                self.throttled
            ));
        }
        for (code, count) in &self.failures {
            text.push_str(&format!("failure     {code}: {count}\n"));
        }
        text
    }
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
    fn nearest_rank_percentiles() {
        let report = Report {
            endpoint: String::new(),
            concurrency: 1,
            duration_s: 1,
            elapsed: Duration::from_secs(2),
            users: 1,
            ok: 100,
            failed: 0,
            throttled: 0,
            failures: BTreeMap::new(),
            latencies_us: (1..=100).map(|ms| ms * 1000).collect(),
            started: 100,
            answered: 100,
        };
        assert_eq!(report.percentile_ms(0.50), Some(50.0));
        assert_eq!(report.percentile_ms(0.95), Some(95.0));
        assert_eq!(report.percentile_ms(0.99), Some(99.0));
        assert_eq!(report.percentile_ms(1.0), Some(100.0));
        assert_eq!(report.logins_per_second(), 50.0);
        let json = report.to_json();
        assert_eq!(json["latency_ms"]["p95"], 95.0);
        assert_eq!(json["sign_ins_abandoned"], 0);
    }

    #[test]
    fn jitter_stays_within_half_to_full() {
        for _ in 0..100 {
            let delay = jitter(Duration::from_millis(100));
            assert!(delay >= Duration::from_millis(50) && delay <= Duration::from_millis(100));
        }
    }
}
