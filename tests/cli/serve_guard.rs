//! `cognito-srp serve`'s safety flags: `--allowed-host` (the DNS-rebinding
//! guard's extra names), `--no-admin`, `--show-codes`, and the ready line's
//! `allowed_hosts` and `admin_operations`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::aws_json;
use crate::support::serve::{Serve, command};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");

/// `POST /` of `operation` to `endpoint` with `Host: host`: status and body.
fn post_as(endpoint: &str, host: &str, operation: &str, body: &Value) -> (u16, Value) {
    let address = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    let body = body.to_string();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nX-Amz-Target: AWSCognitoIdentityProviderService.{operation}\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn port(serve: &Serve) -> u16 {
    serve
        .endpoint()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn serve_guard_ready_line_reports_the_allowed_hosts_and_admin() {
    let serve = Serve::start(BIN, &["--user", "alice:Password1!"]);
    let port = port(&serve);
    assert_eq!(
        serve.ready["allowed_hosts"],
        json!([format!("127.0.0.1:{port}"), format!("localhost:{port}")])
    );
    assert_eq!(serve.ready["admin_operations"], true);
    // The fields that were there before are still there.
    assert!(serve.ready["endpoint"].is_string() && serve.ready["clients"].is_array());
    let get_user = json!({"UserPoolId": serve.user_pool_id(), "Username": "alice"});
    let (status, body) = post_as(
        serve.endpoint(),
        &format!("evil.example:{port}"),
        "AdminGetUser",
        &get_user,
    );
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["__type"], "ForbiddenException");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains(&format!("--allowed-host evil.example:{port}")),
        "{body}"
    );
    let (status, body) = aws_json::post(serve.endpoint(), "AdminGetUser", &get_user, "");
    assert_eq!(status, 200, "{body}");
}

#[test]
fn serve_guard_allowed_host_and_no_admin() {
    let serve = Serve::start(
        BIN,
        &[
            "--user",
            "alice:Password1!",
            "--allowed-host",
            "pool.example",
            "--allowed-host",
            "Proxy.Example:8443",
            "--no-admin",
        ],
    );
    let port = port(&serve);
    assert_eq!(
        serve.ready["allowed_hosts"],
        json!([
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("pool.example:{port}"),
            "proxy.example:8443"
        ])
    );
    assert_eq!(serve.ready["admin_operations"], false);
    // The seeded user exists, but no admin call is served, whatever the Host.
    assert_eq!(serve.ready["users"], json!(["alice"]));
    let get_user = json!({"UserPoolId": serve.user_pool_id(), "Username": "alice"});
    for host in [
        format!("pool.example:{port}"),
        "proxy.example:8443".to_owned(),
    ] {
        let (status, body) = post_as(serve.endpoint(), &host, "AdminGetUser", &get_user);
        assert_eq!(status, 403, "{host}: {body}");
        assert_eq!(body["__type"], "ForbiddenException");
        assert!(
            body["message"].as_str().unwrap().contains("--no-admin"),
            "{body}"
        );
    }
    // A non-admin call through an allowed name reaches the pool.
    let (status, body) = post_as(
        serve.endpoint(),
        &format!("pool.example:{port}"),
        "InitiateAuth",
        &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": serve.public_client_id(),
                "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Password1!"}}),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body["AuthenticationResult"]["AccessToken"].is_string());
}

#[test]
fn serve_guard_an_invalid_allowed_host_is_a_usage_error() {
    let output = command(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--allowed-host",
            "pool.example:0",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.contains("invalid allowed host"), "{stderr}");
    assert!(stderr.contains("pool.example:0"), "{stderr}");
}

/// Runs `serve` with `args`, has it generate a temporary password
/// (`AdminCreateUser` without one), stops it: its stderr.
fn stderr_after_admin_create_user(args: &[&str]) -> String {
    let mut child = command(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: Value = serde_json::from_str(&line).unwrap();
    let endpoint = ready["endpoint"].as_str().unwrap();
    let body = json!({"UserPoolId": ready["user_pool_id"], "Username": "bob"});
    let (status, answer) = aws_json::post(endpoint, "AdminCreateUser", &body, "");
    assert_eq!(status, 200, "{answer}");
    std::thread::sleep(Duration::from_millis(200));
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn serve_guard_codes_are_logged_only_with_show_codes() {
    let hidden = stderr_after_admin_create_user(&[]);
    assert!(hidden.contains("local user pool listening"), "{hidden}");
    assert!(
        !hidden.contains("temporary password") && !hidden.contains("Tmp-"),
        "{hidden}"
    );
    let shown = stderr_after_admin_create_user(&["--show-codes"]);
    assert!(
        shown.contains("cognito_srp_auth::local_pool::codes"),
        "{shown}"
    );
    assert!(
        shown.contains("AdminCreateUser: temporary password") && shown.contains("Tmp-"),
        "{shown}"
    );

    let help = command(BIN).args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in ["--allowed-host", "--no-admin", "--show-codes"] {
        assert!(help.contains(flag), "{flag} not in serve --help");
    }
}
