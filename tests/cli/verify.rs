//! `cognito-srp verify` against `cognito-srp serve`: a token from `login`
//! piped in verifies (exit 0, its claims as JSON on stdout); a tampered,
//! misdirected or garbage token is refused (exit 1, one line on stderr
//! naming the check); a JWKS that cannot be fetched is a fault (exit 3).
#![cfg(feature = "cli")]

use std::process::Output;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::support::serve::{self, Serve, output_with_stdin};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");
const PASSWORD: &str = "Password1!";

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// `cognito-srp verify <args>` for `serve`'s pool with `token` on stdin.
fn verify(serve: &Serve, args: &[&str], token: &str) -> Output {
    let connection = [
        "--user-pool-id",
        serve.user_pool_id(),
        "--endpoint",
        serve.endpoint(),
    ];
    output_with_stdin(
        serve::command(BIN)
            .arg("verify")
            .args(connection)
            .args(args),
        &format!("{token}\n"),
    )
}

/// `(IdToken, AccessToken)` of a `login` as alice.
fn login(serve: &Serve) -> (String, String) {
    let output = output_with_stdin(
        serve::command(BIN).args([
            "login",
            "--user-pool-id",
            serve.user_pool_id(),
            "--client-id",
            serve.public_client_id(),
            "--endpoint",
            serve.endpoint(),
            "--username",
            "alice",
            "--password-stdin",
        ]),
        &format!("{PASSWORD}\n"),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        result["IdToken"].as_str().unwrap().to_owned(),
        result["AccessToken"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn verify_prints_the_claims_of_a_login_token_and_refuses_a_tampered_one() {
    let serve = Serve::start(BIN, &["--user", &format!("alice:{PASSWORD}")]);
    let (id, access) = login(&serve);
    let client = serve.public_client_id().to_owned();

    let output = verify(
        &serve,
        &["--client-id", &client, "--token-use", "access"],
        &access,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let claims: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["client_id"], client.as_str());
    assert_eq!(claims["username"], "alice");
    assert!(!String::from_utf8_lossy(&output.stdout).contains(&access));

    let output = verify(&serve, &["--client-id", &client, "--token-use", "id"], &id);
    assert!(output.status.success(), "{}", stderr(&output));
    let claims: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(claims["aud"], client.as_str());

    // A claim flipped, the signature kept: refused, exit 1, one line.
    let parts: Vec<&str> = access.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["username"] = "mallory".into();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    for (args, token, check) in [
        (vec![], tampered.as_str(), "bad_signature"),
        (
            vec!["--token-use", "access"],
            id.as_str(),
            "wrong_token_use",
        ),
        (
            vec!["--client-id", "another-client"],
            access.as_str(),
            "wrong_audience",
        ),
        (vec![], "not-a-token", "malformed"),
    ] {
        let output = verify(&serve, &args, token);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{check}: {}",
            stderr(&output)
        );
        let line = stderr(&output);
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(line.contains(check), "{check}: {line}");
        assert!(!line.contains(token) || token == "not-a-token", "{line}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn verify_reports_usage_and_an_unreachable_jwks() {
    let serve = Serve::start(BIN, &["--user", &format!("alice:{PASSWORD}")]);
    let (_, access) = login(&serve);
    // Nothing on stdin: usage.
    let output = verify(&serve, &[], "");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    // The JWKS of an issuer nobody serves: a fault.
    let output = verify(
        &serve,
        &["--issuer", "http://127.0.0.1:9/eu-west-1_x"],
        &access,
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("jwks"), "{}", stderr(&output));
}
