//! The official JavaScript Cognito clients as peers: `tests/js/peers.mjs`
//! drives amazon-cognito-identity-js and Amplify v6 (`@aws-amplify/auth`),
//! pinned in `tests/js/package-lock.json`, against `cognito-srp serve` on
//! 127.0.0.1: SRP sign-in, device confirmed and remembered, a second sign-in
//! through DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER, refresh, sign-out that
//! revokes, Amplify's USER_AUTH (`preferredChallenge: 'PASSWORD_SRP'` in one
//! round trip, and SELECT_CHALLENGE → PASSWORD_SRP), and a wrong password,
//! each step with the SDK's own code.
//!
//! The clients live in `target/js-peers/node_modules`, installed by
//! `scripts/js-peers.sh` (which `scripts/test.sh` runs; this test runs it too,
//! fast when nothing changed). Without Node.js and npm the test fails under
//! `CI=true` and is skipped, with the reason printed, elsewhere.
//!
//! Steps that fail against today's pool are listed in [`EXPECT_FAIL`] (XFAIL,
//! not a failure); `JS_PEERS_EXPECT_FAIL=a,b` overrides the list, and
//! `JS_PEERS_EXPECT_FAIL=` (empty) runs every step strictly.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::serve::Serve;

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const USERNAME: &str = "alice";
const PASSWORD: &str = "Password1!";

/// The steps allowed to fail against today's pool (none: every step of both
/// SDKs passes; a regression fails the test).
const EXPECT_FAIL: &[&str] = &[];

/// Every step `peers.mjs` reports.
const STEPS: &[&str] = &[
    "sign-in",
    "remember-device",
    "device-sign-in",
    "refresh",
    "sign-out",
    "wrong-password",
];
const SDKS: &[&str] = &["identity-js", "amplify"];

/// How long the whole script may take (identity-js retries failed calls with
/// backoff for a few seconds).
const SCRIPT_LIMIT: Duration = Duration::from_secs(240);

/// `target/js-peers`, beside the profile directory of the binary under test.
fn peers_dir() -> PathBuf {
    Path::new(BIN)
        .parent()
        .and_then(Path::parent)
        .expect("the binary lies in <target>/<profile>/")
        .join("js-peers")
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Fails under CI, else prints why the test is skipped; `false` to skip.
fn unavailable(reason: &str) -> bool {
    let how = "install Node.js >= 18 with npm, then run scripts/js-peers.sh";
    assert!(!in_ci(), "js peers cannot run: {reason} ({how})");
    // Past the test harness's capture, so the skip shows in a normal run.
    let _ = writeln!(std::io::stderr(), "js_peers skipped: {reason} ({how})");
    false
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs the pinned clients (`scripts/js-peers.sh`, a no-op when the lock is
/// unchanged); `false` when the test is to be skipped.
fn install(dir: &Path) -> bool {
    if !runs("node") {
        return unavailable("`node` not found");
    }
    if !runs("npm") {
        return unavailable("`npm` not found");
    }
    let output = Command::new("bash")
        .arg(Path::new(ROOT).join("scripts/js-peers.sh"))
        .env("JS_PEERS_DIR", dir)
        .stdin(Stdio::null())
        .output()
        .expect("bash runs scripts/js-peers.sh");
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return unavailable(&format!(
            "scripts/js-peers.sh failed ({}):\n{stderr}",
            output.status
        ));
    }
    if !dir.join("node_modules/amazon-cognito-identity-js").is_dir() {
        return unavailable(&format!("no node_modules in {}", dir.display()));
    }
    true
}

/// Runs `node tests/js/peers.mjs` against `serve`; its exit status and output.
fn run_peers(serve: &Serve, dir: &Path, expect_fail: &str) -> (bool, String) {
    let mut child = Command::new("node")
        .arg(Path::new(ROOT).join("tests/js/peers.mjs"))
        .env("JS_PEERS_DIR", dir)
        .env("JS_PEERS_ENDPOINT", serve.endpoint())
        .env("JS_PEERS_USER_POOL_ID", serve.user_pool_id())
        .env("JS_PEERS_CLIENT_ID", serve.public_client_id())
        .env("JS_PEERS_USERNAME", USERNAME)
        .env("JS_PEERS_PASSWORD", PASSWORD)
        .env("JS_PEERS_EXPECT_FAIL", expect_fail)
        .env_remove("JS_PEERS_ONLY")
        .env_remove("NODE_OPTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > SCRIPT_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = format!(
        "{}\n--- stderr ---\n{}",
        out.join().unwrap(),
        err.join().unwrap()
    );
    match status {
        Some(status) => (status.success(), output),
        None => panic!(
            "peers.mjs did not finish within {} s:\n{output}",
            SCRIPT_LIMIT.as_secs()
        ),
    }
}

#[test]
fn official_javascript_clients_sign_in_refresh_and_sign_out() {
    let dir = peers_dir();
    if !install(&dir) {
        return;
    }
    let expect_fail =
        std::env::var("JS_PEERS_EXPECT_FAIL").unwrap_or_else(|_| EXPECT_FAIL.join(","));
    let serve = Serve::start(BIN, &["--user", &format!("{USERNAME}:{PASSWORD}")]);
    let (success, output) = run_peers(&serve, &dir, &expect_fail);
    println!("{output}");
    assert!(
        success,
        "peers.mjs failed (JS_PEERS_EXPECT_FAIL={expect_fail}):\n{output}"
    );
    // Every step was run and reported, none failed unexpectedly.
    for sdk in SDKS {
        for step in STEPS {
            let name = format!("{sdk}:{step}");
            let reported = output.lines().find_map(|line| {
                let (outcome, rest) = line.split_once(' ')?;
                let rest = rest.trim_start();
                (rest == name || rest.starts_with(&format!("{name} ")))
                    .then_some(outcome.to_owned())
            });
            match reported.as_deref() {
                Some("PASS" | "XFAIL") => {}
                Some("XPASS") => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "js_peers: {name} passes now: take it off EXPECT_FAIL in tests/cli/js_peers.rs"
                    );
                }
                other => panic!("step {name} reported {other:?}:\n{output}"),
            }
        }
    }
}
