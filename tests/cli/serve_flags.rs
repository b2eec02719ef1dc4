//! `cognito-srp serve`'s pool settings: the flags reach the pool and its
//! ready line, and contradictory flags are usage errors (exit 2) naming both.

use std::process::Output;

use crate::support::serve::{Serve, command};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");

/// `serve` with `args` that must not start: its output.
fn refused(args: &[&str]) -> Output {
    command(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn assert_usage_error(args: &[&str], names: &[&str]) {
    let output = refused(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?} printed a ready line");
    for name in names {
        assert!(stderr.contains(name), "{args:?}: {name:?} not in {stderr}");
    }
    assert!(
        !stderr.contains("Password1!"),
        "a password was echoed: {stderr}"
    );
}

#[test]
fn contradictory_flags_are_usage_errors_naming_both() {
    assert_usage_error(
        &["--username-attributes", "email", "--user", "bob:Password1!"],
        &["--username-attributes email", "--user bob"],
    );
    assert_usage_error(
        &[
            "--custom-auth-trigger",
            "srp-then-tokens",
            "--auth-flows",
            "user-srp,refresh-token",
        ],
        &[
            "--custom-auth-trigger srp-then-tokens",
            "--auth-flows user-srp,refresh-token",
        ],
    );
    let file = std::env::temp_dir().join(format!("serve-flags-users-{}.json", std::process::id()));
    std::fs::write(
        &file,
        r#"{"users": [{"username": "carol", "password": "Password1!"}]}"#,
    )
    .unwrap();
    let path = file.to_str().unwrap().to_owned();
    assert_usage_error(
        &["--username-attributes", "email", "--users", &path],
        &["--username-attributes email", "--users", "\"carol\""],
    );
    let _ = std::fs::remove_file(&file);
    // No flow that signs anyone in.
    assert_usage_error(
        &["--auth-flows", "refresh-token"],
        &["--auth-flows refresh-token"],
    );
    // Not a flow at all (clap's own error).
    assert_usage_error(&["--auth-flows", "user-srp,telepathy"], &["--auth-flows"]);
}

#[test]
fn settings_reach_the_ready_line() {
    let serve = Serve::start(
        BIN,
        &[
            "--username-attributes",
            "email",
            "--user",
            "alice@example.com:Password1!",
            "--auth-flows",
            "user-srp,ALLOW_USER_PASSWORD_AUTH,custom",
            "--prevent-user-existence-errors",
            "--custom-auth-trigger",
            "srp-then-tokens",
        ],
    );
    let ready = &serve.ready;
    assert_eq!(ready["username_attributes"], "email");
    assert_eq!(ready["custom_auth_trigger"], "srp-then-tokens");
    assert_eq!(ready["prevent_user_existence_errors"], "ENABLED");
    assert_eq!(
        ready["auth_flows"],
        serde_json::json!([
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ])
    );
    drop(serve);
    // The defaults: every flow, LEGACY, no trigger, user names.
    let serve = Serve::start(BIN, &[]);
    let ready = &serve.ready;
    assert_eq!(ready["username_attributes"], "username");
    assert_eq!(ready["custom_auth_trigger"], "none");
    assert_eq!(ready["prevent_user_existence_errors"], "LEGACY");
    assert_eq!(ready["auth_flows"].as_array().unwrap().len(), 6);
}
