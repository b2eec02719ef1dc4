//! `cognito-srp demo`, README's first command: a real login against the
//! built-in pool over loopback HTTP.

use std::process::Command;

#[test]
fn demo_signs_in_and_shows_each_step() {
    let output = Command::new(env!("CARGO_BIN_EXE_cognito-srp"))
        .arg("demo")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let steps: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("  -> "))
        .collect();
    assert_eq!(
        steps,
        [
            "InitiateAuth USER_SRP_AUTH",
            "challenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "authenticated",
            // The device Cognito offers is confirmed, as the SDKs do.
            "ConfirmDevice",
        ],
        "{stdout}"
    );
    for expected in [
        "cognito:username",
        "email             demo@example.com",
        "token_use         id",
        "ms on this side",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("http://127.0.0.1:"),
        "the pool listens on loopback:\n{stdout}"
    );
    // No token, password or signature is printed.
    assert!(!stdout.contains("eyJ"), "a JWT was printed:\n{stdout}");
    assert!(
        !stdout.contains("Demo-"),
        "the password was printed:\n{stdout}"
    );
}
