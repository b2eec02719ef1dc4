//! `cognito-srp credentials`: AWS credentials for a profile's user from an
//! identity pool, as `credential_process` JSON — against `serve
//! --identity-pool` (the cache, the refusals, the exit codes), and end to end
//! through botocore's own `credential_process` provider calling STS on moto
//! (needs `MOTO_ENDPOINT` and the virtualenv, as the other moto and boto3
//! tests do).

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::support::aws_json::{moto_admin, moto_endpoint};
use crate::support::python::script_command;
use crate::support::serve::{self, Serve, output_with_stdin};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");
const PASSWORD: &str = "Perm-Pass1!";

/// A fresh directory under the system temp dir (the tool's home), removed when dropped.
struct Home(PathBuf);

impl Home {
    fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "cognito-srp-credentials-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Home(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut command = serve::command(BIN);
        command
            .args(args)
            .env("COGNITO_SRP_HOME", &self.0)
            .env_remove("AWS_PROFILE");
        output_with_stdin(&mut command, stdin)
    }

    /// `login --profile NAME` with `alice`'s password on stdin; it must succeed.
    fn login(&self, profile: &str, pool: &str, client: &str, endpoint: &str) {
        let output = self.run(
            &[
                "login",
                "--profile",
                profile,
                "--user-pool-id",
                pool,
                "--client-id",
                client,
                "--endpoint",
                endpoint,
                "--username",
                "alice",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        assert!(output.status.success(), "login: {}", stderr(&output));
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn credential_process_json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "credentials: {}\n{}",
        output.status,
        stderr(output)
    );
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    serde_json::from_str(text.trim()).unwrap()
}

#[test]
fn credentials_from_the_local_identity_pool_are_printed_cached_and_refused_typed() {
    let serve = Serve::start(
        BIN,
        &["--identity-pool", "--user", &format!("alice:{PASSWORD}")],
    );
    let identity_pool = serve.ready["identity_pool_id"].as_str().unwrap().to_owned();
    assert!(identity_pool.starts_with("us-east-1:"), "{identity_pool}");
    let home = Home::new("local");
    home.login(
        "dev",
        serve.user_pool_id(),
        serve.public_client_id(),
        serve.endpoint(),
    );
    // No --endpoint: the profile's endpoint serves the identity pool too.
    let args = [
        "credentials",
        "--profile",
        "dev",
        "--identity-pool-id",
        &identity_pool,
    ];
    let first = credential_process_json(&home.run(&args, ""));
    assert_eq!(first["Version"], 1, "{first}");
    let key = first["AccessKeyId"].as_str().unwrap();
    assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
    assert_eq!(first["SecretAccessKey"].as_str().unwrap().len(), 40);
    assert!(first["SessionToken"].as_str().unwrap().len() > 300);
    let expiration: DateTime<Utc> = first["Expiration"].as_str().unwrap().parse().unwrap();
    assert!(expiration > Utc::now() + chrono::Duration::minutes(55));
    assert!(first["Expiration"].as_str().unwrap().ends_with('Z'));
    // Cached next to the profile (0600) and reused: the same credentials.
    let cache = home
        .path()
        .join("profiles")
        .join("dev.aws-credentials.json");
    assert!(cache.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = credential_process_json(&home.run(&args, ""));
    assert_eq!(again["AccessKeyId"], first["AccessKeyId"]);
    // An explicit --endpoint is the same endpoint here: still cached.
    let mut explicit = args.to_vec();
    explicit.extend(["--endpoint", serve.endpoint()]);
    let _ = credential_process_json(&home.run(&explicit, ""));

    // An unknown identity pool: Cognito's code on stderr, exit 1, no stdout.
    let unknown = "us-east-1:00000000-0000-4000-8000-000000000000";
    let output = home.run(
        &[
            "credentials",
            "--profile",
            "dev",
            "--identity-pool-id",
            unknown,
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("ResourceNotFoundException"),
        "{}",
        stderr(&output)
    );
    // No such profile: a usage error.
    let output = home.run(
        &[
            "credentials",
            "--profile",
            "nobody",
            "--identity-pool-id",
            &identity_pool,
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    // Nothing secret on stderr.
    assert!(!stderr(&output).contains(first["SecretAccessKey"].as_str().unwrap()));
}

/// A moto user pool with an app client and `alice`: `(pool id, client id)`.
fn moto_user_pool() -> (String, String) {
    let pool = moto_admin("CreateUserPool", &json!({"PoolName": "credentials"}));
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = moto_admin(
        "CreateUserPoolClient",
        &json!({"UserPoolId": pool_id, "ClientName": "cli"}),
    );
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    moto_admin(
        "AdminCreateUser",
        &json!({"UserPoolId": pool_id, "Username": "alice", "TemporaryPassword": "Temp-Pass1!"}),
    );
    moto_admin(
        "AdminSetUserPassword",
        &json!({"UserPoolId": pool_id, "Username": "alice", "Password": PASSWORD, "Permanent": true}),
    );
    (pool_id, client_id)
}

#[test]
fn botocore_credential_process_calls_sts_on_moto_as_the_cognito_user() {
    let endpoint = moto_endpoint();
    let (pool, client) = moto_user_pool();
    let home = Home::new("botocore");
    home.login("moto", &pool, &client, &endpoint);
    let output = script_command(
        "boto3_credential_process.py",
        &json!({
            "endpoint": endpoint,
            "bin": BIN,
            "profile": "moto",
            "home": home.path(),
            "dir": home.path(),
        }),
    )
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "boto3_credential_process.py: {}\n{stdout}\n{}",
        output.status,
        stderr(&output)
    );
    let seen: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(seen["method"], "custom-process", "{seen}");
    assert_eq!(seen["has_session_token"], true, "{seen}");
    assert!(seen["account"].is_string(), "{seen}");
    assert!(seen["arn"].is_string(), "{seen}");
    // The credentials botocore used are the ones the cache holds.
    let cache = home
        .path()
        .join("profiles")
        .join("moto.aws-credentials.json");
    let cached: Value = serde_json::from_str(&std::fs::read_to_string(cache).unwrap()).unwrap();
    assert_eq!(cached["AccessKeyId"], seen["access_key_id"], "{seen}");
    assert_eq!(cached["IdentityPoolId"], seen["identity_pool_id"]);
}
