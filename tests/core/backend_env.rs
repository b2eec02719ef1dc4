//! `COGNITO_SRP_BACKEND` end to end: this test binary re-runs itself as a child
//! process with the variable set to each backend (and to an unknown value); the
//! child reports the backend its process uses and runs the shared user-SRP
//! vectors through the public API. The parent checks the backend, that every
//! vector still matches, and that exactly one warning line appears when (and
//! only when) the value cannot be honoured.

use std::path::Path;
use std::process::Command;

use cognito_srp_auth::math::backend::Backend;
use cognito_srp_auth::vectors::verify_file;

/// Set in the child's environment; without it the child test does nothing.
const CHILD_GUARD: &str = "COGNITO_SRP_BACKEND_TEST_CHILD";
const CHILD_TEST: &str = "backend_env::child_reports_backend_and_vectors";

/// The child half: runs only when spawned by `pinned_backend_in_child_processes`.
#[test]
fn child_reports_backend_and_vectors() {
    if std::env::var_os(CHILD_GUARD).is_none() {
        return;
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/user_srp.json");
    let report = verify_file(&file).unwrap_or_else(|e| panic!("{e}"));
    for failure in report.failures() {
        eprintln!("{failure}");
    }
    // Asking again must not warn again.
    let first = cognito_srp_auth::arithmetic_backend();
    let second = cognito_srp_auth::arithmetic_backend();
    assert_eq!(first, second);
    println!(
        "backend_env child: backend={first} passed={} failed={}",
        report.passed(),
        report.failed()
    );
}

/// What `auto` picks on this CPU.
fn auto_backend() -> Backend {
    [Backend::Ifma, Backend::Adx, Backend::Portable]
        .into_iter()
        .find(|b| b.is_available())
        .unwrap_or(Backend::Portable)
}

#[test]
fn pinned_backend_in_child_processes() {
    if std::env::var_os(CHILD_GUARD).is_some() {
        return;
    }
    let exe = std::env::current_exe().expect("test binary path");
    let cases: [(&str, Option<Backend>); 6] = [
        ("portable", Some(Backend::Portable)),
        ("adx", Some(Backend::Adx)),
        ("ifma", Some(Backend::Ifma)),
        ("auto", None),
        ("bogus", None),
        ("", None),
    ];
    for (value, named) in cases {
        let out = Command::new(&exe)
            .args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_GUARD, "1")
            .env("COGNITO_SRP_BACKEND", value)
            .output()
            .expect("child test process runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "COGNITO_SRP_BACKEND={value}: child failed\n{stdout}\n{stderr}"
        );
        let honoured = named.filter(|b| b.is_available());
        let expected = honoured.unwrap_or_else(auto_backend);
        let report = stdout
            .lines()
            .find_map(|l| l.split_once("backend_env child: ").map(|(_, r)| r))
            .unwrap_or_else(|| panic!("COGNITO_SRP_BACKEND={value}: no report\n{stdout}"));
        assert!(
            report.starts_with(&format!("backend={} ", expected.name())),
            "COGNITO_SRP_BACKEND={value}: {report}"
        );
        assert!(
            report.ends_with(" failed=0") && !report.contains(" passed=0 "),
            "COGNITO_SRP_BACKEND={value}: {report}\n{stderr}"
        );
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("cognito-srp-auth: COGNITO_SRP_BACKEND="))
            .collect();
        let should_warn = !value.is_empty() && value != "auto" && honoured.is_none();
        assert_eq!(
            warnings.len(),
            usize::from(should_warn),
            "COGNITO_SRP_BACKEND={value}: warnings {warnings:?}"
        );
        if let Some(w) = warnings.first() {
            assert!(
                w.ends_with(&format!("; using auto ({})", auto_backend().name())),
                "{w}"
            );
        }
    }
}
