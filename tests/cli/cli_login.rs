//! `cognito-srp login` / `refresh` as a user runs them: JSON on stdout, one
//! line on stderr naming Cognito's code, exit codes 1/2/3, `--verbose` steps.
//! The tests that sign in need moto (`MOTO_ENDPOINT`, set by scripts/test.sh).

use std::process::Output;

use serde_json::{Value, json};

use crate::support::aws_json::{moto_admin, moto_endpoint};
use crate::support::serve::{self, output_with_stdin};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");
const PASSWORD: &str = "Perm-Pass1!";

fn endpoint() -> String {
    moto_endpoint()
}

fn admin(operation: &str, body: Value) -> Value {
    moto_admin(operation, &body)
}

/// A pool, a client (with a secret when asked) and user `alice`.
fn seed(with_secret: bool) -> (String, String, Option<String>) {
    let pool = admin("CreateUserPool", json!({"PoolName": "cli"}));
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = admin(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "cli", "GenerateSecret": with_secret}),
    );
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret = client["UserPoolClient"]["ClientSecret"]
        .as_str()
        .map(str::to_owned);
    admin(
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "alice", "TemporaryPassword": "Temp-Pass1!"}),
    );
    admin(
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "alice", "Password": PASSWORD, "Permanent": true}),
    );
    (pool_id, client_id, secret)
}

fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = serve::command(BIN);
    command.args(args).envs(env.iter().copied());
    output_with_stdin(&mut command, stdin)
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn login_prints_tokens_and_refresh_works() {
    let (pool, client, secret) = seed(true);
    let secret = secret.unwrap();
    let url = endpoint();
    let base = [
        "--user-pool-id",
        pool.as_str(),
        "--client-id",
        client.as_str(),
        "--endpoint",
        url.as_str(),
    ];
    let mut args = vec!["login"];
    args.extend(base);
    args.extend(["--username", "alice", "--password-stdin", "--verbose"]);
    let output = run(
        &args,
        &[("COGNITO_CLIENT_SECRET", secret.as_str())],
        &format!("{PASSWORD}\n"),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    for field in ["AccessToken", "IdToken", "RefreshToken", "TokenType"] {
        assert!(result[field].is_string(), "{field} in {result}");
    }
    assert!(result["ExpiresIn"].is_number());
    let steps = stderr(&output);
    assert_eq!(
        steps.lines().collect::<Vec<_>>(),
        [
            "InitiateAuth USER_SRP_AUTH",
            "challenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "authenticated"
        ]
    );
    assert!(!steps.contains(PASSWORD) && !steps.contains(&secret));

    let mut args = vec!["refresh"];
    args.extend(base);
    args.extend(["--username", "alice"]);
    let refresh_token = result["RefreshToken"].as_str().unwrap();
    let output = run(
        &args,
        &[
            ("COGNITO_CLIENT_SECRET", secret.as_str()),
            ("COGNITO_REFRESH_TOKEN", refresh_token),
        ],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let refreshed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(refreshed["AccessToken"].is_string());
}

#[test]
fn refusals_name_cognitos_code_and_exit_1() {
    let (pool, client, _) = seed(false);
    admin(
        "AdminDisableUser",
        json!({"UserPoolId": pool, "Username": "alice"}),
    );
    let url = endpoint();
    // moto does not check the SRP proof, so a wrong password cannot be refused
    // there; an unknown and a disabled user are.
    for (user, expected) in [
        ("nobody", "UserNotFoundException: User does not exist."),
        ("alice", "NotAuthorizedException: User is disabled."),
    ] {
        let output = run(
            &[
                "login",
                "--user-pool-id",
                &pool,
                "--client-id",
                &client,
                "--endpoint",
                &url,
                "--username",
                user,
            ],
            &[("COGNITO_PASSWORD", PASSWORD)],
            "",
        );
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(stderr(&output).trim_end(), expected);
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn usage_errors_exit_2_and_network_faults_exit_3() {
    // No password source and stdin is not a terminal.
    let output = run(
        &[
            "login",
            "--user-pool-id",
            "us-east-1_abc",
            "--client-id",
            "c",
            "--username",
            "u",
        ],
        &[],
        "",
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let output = run(
        &[
            "login",
            "--user-pool-id",
            "not-a-pool",
            "--client-id",
            "c",
            "--username",
            "u",
        ],
        &[("COGNITO_PASSWORD", "x")],
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--user-pool-id"));
    // Nothing listens on the endpoint.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let output = run(
        &[
            "login",
            "--user-pool-id",
            "us-east-1_abc",
            "--client-id",
            "c",
            "--username",
            "u",
            "--endpoint",
            &url,
        ],
        &[("COGNITO_PASSWORD", "x")],
        "",
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(stderr(&output).lines().count(), 1);
}

#[test]
fn a_secret_given_as_an_argument_still_works_but_is_warned_about() {
    // Nothing listens on the endpoint: the warning comes before any request.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let login = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec![
            "login",
            "--user-pool-id",
            "us-east-1_abc",
            "--client-id",
            "c",
            "--username",
            "u",
            "--endpoint",
            &url,
        ];
        args.extend_from_slice(extra);
        let mut env = env.to_vec();
        env.push(("COGNITO_PASSWORD", "x"));
        run(&args, &env, "")
    };
    let output = login(
        &["--client-secret", "s3cr3t-arg", "--mfa-code", "123456"],
        &[],
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let text = stderr(&output);
    let warnings: Vec<&str> = text.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 2, "{text}");
    assert!(
        warnings[0].contains("--client-secret") && warnings[0].contains("COGNITO_CLIENT_SECRET")
    );
    assert!(warnings[1].contains("--mfa-code"));
    assert!(
        !text.contains("s3cr3t-arg"),
        "the warning never repeats the secret"
    );
    // From the environment: no warning.
    let output = login(&[], &[("COGNITO_CLIENT_SECRET", "s3cr3t-env")]);
    assert!(!stderr(&output).contains("warning:"), "{}", stderr(&output));
}

#[test]
fn clear_text_to_a_host_that_is_not_loopback_is_refused_before_connecting() {
    // 192.0.2.1 (TEST-NET-1) is never contacted: the transport refuses first.
    let output = run(
        &[
            "login",
            "--user-pool-id",
            "us-east-1_abc",
            "--client-id",
            "c",
            "--username",
            "u",
            "--endpoint",
            "http://192.0.2.1:9229/",
        ],
        &[("COGNITO_PASSWORD", "x")],
        "",
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("http://") && text.contains("--allow-insecure-http"),
        "{text}"
    );
}
