//! The pool under load: `cognito-srp load` against `cognito-srp serve` (both
//! the real binary), 64 concurrent SRP logins for a bounded time, and the
//! pool's per-user limit on failed password attempts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cognito_srp_auth::flow::{CognitoClient, FlowError, LoginOutcome};
use cognito_srp_auth::local_pool::{LocalPool, SeedUser};
use cognito_srp_auth::transport::HttpTransport;
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::{ClientId, ClientSecret, Password, UserPoolId};
use serde_json::{Value, json};

use crate::support::serve::Serve;

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");

/// A file removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("cognito-srp-load-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn serve(users_file: &Path) -> Serve {
    Serve::start(BIN, &["--users", users_file.to_str().unwrap()])
}

/// Runs the binary; kills it after `limit`.
fn run(args: &[&str], env: &[(&str, &str)], limit: Duration) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn users_json(count: usize) -> (Value, Vec<(String, String)>) {
    let users: Vec<(String, String)> = (0..count)
        .map(|i| (format!("load-user-{i}"), format!("Load-test-pass-{i}!")))
        .collect();
    let list: Vec<Value> = users
        .iter()
        .map(|(u, p)| json!({"username": u, "password": p}))
        .collect();
    (json!({ "users": list }), users)
}

/// `cognito-srp load … --json` against `serve`: the report and the exit code.
fn load(serve: &Serve, users: &TempFile, concurrency: u32, seconds: u64) -> (Value, Option<i32>) {
    let (client_id, client_secret) = serve.secret_client();
    let concurrency = concurrency.to_string();
    let seconds_arg = seconds.to_string();
    let output = run(
        &[
            "load",
            "--endpoint",
            serve.endpoint(),
            "--user-pool-id",
            serve.user_pool_id(),
            "--client-id",
            &client_id,
            "--users",
            users.path(),
            "--concurrency",
            &concurrency,
            "--duration",
            &seconds_arg,
            "--request-timeout",
            "10",
            "--json",
        ],
        &[("COGNITO_CLIENT_SECRET", &client_secret)],
        Duration::from_secs(seconds + 30),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("warning"),
        "a loopback endpoint gets no warning: {stderr}"
    );
    assert!(!stdout.contains(&client_secret) && !stderr.contains(&client_secret));
    assert!(!stdout.contains("Load-test-pass") && !stderr.contains("Load-test-pass"));
    let report: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("load printed no JSON report ({e}): {stdout} {stderr}"));
    (report, output.status.code())
}

/// One SRP login through the library: is the pool still answering?
fn login_once(serve: &Serve, username: &str, password: &str) -> Result<LoginOutcome, FlowError> {
    let (client_id, client_secret) = serve.secret_client();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let transport = HttpTransport::builder()
            .endpoint(serve.endpoint())
            .request_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let client = CognitoClient::new(
            UserPoolId::parse(serve.user_pool_id()).unwrap(),
            ClientId::new(client_id).unwrap(),
            transport,
        )
        .with_client_secret(ClientSecret::new(client_secret));
        client.login(username, Password::new(password)).await
    })
}

#[test]
fn sixty_four_concurrent_logins_against_serve() {
    let (file, users) = users_json(32);
    let users_file = TempFile::new("users-ok.json", &file.to_string());
    let serve = serve(&users_file.0);
    let before = stats(&serve);
    assert_eq!(before["users"], 32, "{before}");
    let started = Instant::now();
    let (report, code) = load(&serve, &users_file, 64, 8);
    eprintln!("load report: {report}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(report["failures"], 0, "{report}");
    assert_eq!(report["failures_by_code"], json!({}), "{report}");
    assert_eq!(code, Some(0), "{report}");
    let logins = report["logins"].as_u64().unwrap();
    assert!(logins >= 64, "{report}");
    assert_eq!(report["concurrency"], 64);
    for p in ["p50", "p95", "p99"] {
        assert!(report["latency_ms"][p].as_f64().unwrap() > 0.0, "{report}");
    }
    // Every sign-in the pool started (a SECRET_BLOCK it holds) was answered:
    // the client left nothing pending.
    assert_eq!(report["sign_ins_started"], report["sign_ins_answered"]);
    assert_eq!(report["sign_ins_abandoned"], 0);
    assert!(report["sign_ins_started"].as_u64().unwrap() >= logins);
    // The pool still answers, for every user.
    for (username, password) in users.iter().step_by(7) {
        match login_once(&serve, username, password) {
            Ok(LoginOutcome::Tokens(_)) => {}
            other => panic!("{username}: {other:?}"),
        }
    }
    // The pool's own count agrees: no SECRET_BLOCK or challenge session was
    // left pending by the run (nor by the logins just above), and the pool
    // still answers.
    let after = stats(&serve);
    eprintln!("pool stats before {before}, after {after}");
    let pending = |v: &Value, name: &str| v[name].as_u64().unwrap();
    assert!(
        pending(&after, "pending_sign_ins") <= pending(&before, "pending_sign_ins"),
        "before {before}, after {after}"
    );
    assert!(
        pending(&after, "sessions") <= pending(&before, "sessions"),
        "before {before}, after {after}"
    );
    assert_eq!(after["users"], 32, "{after}");
}

/// `GET /_local/stats` of `serve` (the local pool's loopback-only extension),
/// over a raw HTTP/1.1 connection.
fn stats(serve: &Serve) -> Value {
    use std::io::{Read, Write};
    let address = serve
        .endpoint()
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /_local/stats HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{response}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}

#[test]
fn load_reports_failures_by_error_code() {
    let (file, _) = users_json(2);
    let serve_file = TempFile::new("users-serve.json", &file.to_string());
    let serve = serve(&serve_file.0);
    // The load tool's users: one right password, one wrong (bare-array format).
    let wrong = json!([
        {"username": "load-user-0", "password": "Load-test-pass-0!"},
        {"username": "load-user-1", "password": "Load-test-pass-WRONG"},
    ]);
    let load_file = TempFile::new("users-wrong.json", &wrong.to_string());
    let (report, code) = load(&serve, &load_file, 2, 1);
    assert_eq!(code, Some(1), "{report}");
    assert!(report["logins"].as_u64().unwrap() >= 1, "{report}");
    let refused = report["failures_by_code"]["NotAuthorizedException"]
        .as_u64()
        .unwrap_or(0);
    assert!(refused >= 1, "{report}");
    assert_eq!(report["failures"].as_u64().unwrap(), refused, "{report}");
}

#[test]
fn load_warns_about_non_loopback_endpoints_and_rejects_bad_usage() {
    let (file, _) = users_json(1);
    let users_file = TempFile::new("users-usage.json", &file.to_string());
    // Not loopback: warned before anything is sent. The endpoint is
    // unreachable by construction (port 0), so nothing leaves the machine.
    let output = run(
        &[
            "load",
            // Not loopback: clear text must be asked for (0.0.0.0:0 fails at once).
            "--allow-insecure-http",
            "--endpoint",
            "http://0.0.0.0:0/",
            "--user-pool-id",
            "us-east-1_Abc",
            "--client-id",
            "c",
            "--users",
            users_file.path(),
            "--concurrency",
            "1",
            "--duration",
            "1",
            "--request-timeout",
            "1",
        ],
        &[],
        Duration::from_secs(30),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning") && stderr.contains("AWS"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");

    let output = run(
        &[
            "load",
            "--endpoint",
            "http://127.0.0.1:1/",
            "--user-pool-id",
            "no-underscore",
            "--client-id",
            "c",
            "--users",
            users_file.path(),
        ],
        &[],
        Duration::from_secs(30),
    );
    assert_eq!(output.status.code(), Some(2));
    let missing = run(
        &[
            "load",
            "--endpoint",
            "http://127.0.0.1:1/",
            "--user-pool-id",
            "us-east-1_Abc",
            "--client-id",
            "c",
            "--users",
            "/nonexistent/users.json",
        ],
        &[],
        Duration::from_secs(30),
    );
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&missing.stderr).lines().count(), 1);
}

/// An endpoint that throttles every request: `(url, requests served)`.
fn always_throttled() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let counter = counter.clone();
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut chunk = [0u8; 4096];
                // Headers, then the Content-Length body.
                loop {
                    let Ok(n) = stream.read(&mut chunk) else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&request).to_lowercase();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                counter.fetch_add(1, Ordering::Relaxed);
                let body = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\
                     content-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    (url, served)
}

#[test]
fn load_backs_off_when_throttled() {
    let (file, _) = users_json(2);
    let users_file = TempFile::new("users-throttled.json", &file.to_string());
    let (url, served) = always_throttled();
    let output = run(
        &[
            "load",
            "--endpoint",
            &url,
            "--user-pool-id",
            "us-east-1_Abc",
            "--client-id",
            "c",
            "--users",
            users_file.path(),
            "--concurrency",
            "4",
            "--duration",
            "2",
            "--request-timeout",
            "5",
            "--json",
        ],
        &[],
        Duration::from_secs(30),
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert_eq!(report["logins"], 0);
    let throttled = report["throttled"].as_u64().unwrap();
    assert!(throttled >= 4, "{report}");
    assert_eq!(
        report["failures_by_code"]["TooManyRequestsException"], report["failures"],
        "{report}"
    );
    // Each login is at most 3 attempts (the transport's retries); with the
    // tool's exponential backoff 4 workers make a few dozen in 2 s, not thousands.
    let requests = served.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        requests <= 3 * throttled as usize,
        "{requests} requests, {report}"
    );
    assert!(requests < 200, "{requests} requests: no backoff? {report}");
}

/// Cognito locks a user out after repeated wrong passwords
/// (`NotAuthorizedException: Password attempts exceeded`) while other users
/// keep signing in.
#[tokio::test]
async fn failed_attempts_are_rate_limited_per_user() {
    let pool = LocalPool::builder()
        .user(SeedUser::new("victim", Password::new("Victim-pass-1!")))
        .user(SeedUser::new(
            "bystander",
            Password::new("Bystander-pass-1!"),
        ))
        .start()
        .await
        .unwrap();
    let transport = HttpTransport::builder()
        .endpoint(pool.endpoint())
        .request_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let client = CognitoClient::new(
        pool.user_pool_id().clone(),
        pool.public_client().unwrap().client_id().clone(),
        transport,
    );
    let message = |error: &FlowError| match error.transport() {
        Some(cognito_srp_auth::transport::TransportError::Service { message, .. }) => {
            message.clone()
        }
        _ => panic!("{error:?}"),
    };
    let mut locked_after = None;
    for attempt in 1..=10 {
        let error = client
            .login("victim", Password::new("wrong password"))
            .await
            .unwrap_err();
        assert_eq!(error.service_kind(), Some(&ServiceErrorKind::NotAuthorized));
        if message(&error) == "Password attempts exceeded" {
            locked_after = Some(attempt);
            break;
        }
        assert_eq!(message(&error), "Incorrect username or password.");
    }
    let locked_after = locked_after.expect("no lockout within 10 wrong passwords");
    assert!((3..=10).contains(&locked_after), "{locked_after}");
    // Locked: even the right password is refused, without a proof being checked.
    let error = client
        .login("victim", Password::new("Victim-pass-1!"))
        .await
        .unwrap_err();
    assert_eq!(message(&error), "Password attempts exceeded");
    // Other users are unaffected meanwhile.
    for _ in 0..3 {
        let outcome = client
            .login("bystander", Password::new("Bystander-pass-1!"))
            .await
            .unwrap();
        assert!(matches!(outcome, LoginOutcome::Tokens(_)));
    }
    pool.shutdown().await.unwrap();
}
