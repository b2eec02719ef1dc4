//! An independent client logs in to our pool: pycognito's
//! `AWSSRP.authenticate_user()` through a boto3 client whose `endpoint_url`
//! is the pool. It must receive tokens, and must be refused with a wrong
//! password.
//!
//! Needs the virtualenv that `scripts/test.sh` makes (`COGNITO_SRP_VENV`, or
//! `.venv` in the crate); fails with a clear message when it is missing.
#![cfg(feature = "local-pool")]

use std::process::Command;

use cognito_srp_auth::Password;
use cognito_srp_auth::local_pool::{LocalPool, SeedUser};
use serde_json::{Value, json};

use crate::support::python::run_script;

/// Runs the script and returns its JSON line.
async fn pycognito(args: Value) -> Value {
    run_script("pycognito_login.py", args).await
}

fn login_args(
    endpoint: &str,
    pool_id: &str,
    client: &Value,
    username: &str,
    password: &str,
) -> Value {
    json!({
        "endpoint": endpoint,
        "user_pool_id": pool_id,
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
        "username": username,
        "password": password,
    })
}

fn check_interop(
    endpoint: &str,
    pool_id: &str,
    clients: &[Value],
    sub: Option<&str>,
) -> impl std::future::Future<Output = ()> {
    let (endpoint, pool_id, clients, sub) = (
        endpoint.to_owned(),
        pool_id.to_owned(),
        clients.to_vec(),
        sub.map(str::to_owned),
    );
    async move {
        assert_eq!(clients.len(), 2);
        for client in &clients {
            let ok = pycognito(login_args(
                &endpoint,
                &pool_id,
                client,
                "alice",
                "Password1!",
            ))
            .await;
            assert_eq!(
                ok["outcome"], "tokens",
                "pycognito was not given tokens: {ok}"
            );
            assert_eq!(ok["id_claims"]["token_use"], "id");
            assert_eq!(ok["id_claims"]["aud"], client["client_id"]);
            assert_eq!(ok["access_claims"]["client_id"], client["client_id"]);
            assert_eq!(ok["id_claims"]["iss"], format!("{endpoint}/{pool_id}"));
            if let Some(sub) = &sub {
                assert_eq!(ok["id_claims"]["sub"], sub.as_str());
            }
            assert_eq!(ok["has_refresh_token"], true);

            let refused = pycognito(login_args(
                &endpoint,
                &pool_id,
                client,
                "alice",
                "Password2!",
            ))
            .await;
            assert_eq!(refused["outcome"], "error", "{refused}");
            assert_eq!(refused["code"], "NotAuthorizedException", "{refused}");
            let unknown = pycognito(login_args(
                &endpoint,
                &pool_id,
                client,
                "mallory",
                "Password1!",
            ))
            .await;
            assert_eq!(unknown["code"], "UserNotFoundException", "{unknown}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pycognito_logs_in_to_the_in_process_pool() {
    let pool = LocalPool::builder()
        .user(
            SeedUser::new("alice", Password::new("Password1!"))
                .attribute("email", "alice@example.com"),
        )
        .start()
        .await
        .unwrap();
    let clients: Vec<Value> = pool
        .clients()
        .iter()
        .map(|c| json!({"client_id": c.client_id().as_str(), "client_secret": c.client_secret().map(|s| s.expose_secret())}))
        .collect();
    let sub = pool.user_sub("alice").unwrap();
    check_interop(
        pool.endpoint(),
        pool.user_pool_id().as_str(),
        &clients,
        Some(&sub),
    )
    .await;
    pool.shutdown().await.unwrap();
}

/// `cognito-srp serve` as the issue describes it: one JSON line when ready,
/// pycognito logs in, SIGTERM ends it with exit 0.
#[cfg(all(feature = "cli", unix))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pycognito_logs_in_to_cognito_srp_serve() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    let users = std::env::temp_dir().join(format!(
        "cognito-srp-serve-users-{}.json",
        std::process::id()
    ));
    std::fs::write(
        &users,
        r#"{"users": [{"username": "bob", "temporary_password": "Temp-pass1", "attributes": {"email": "bob@example.com"}}]}"#,
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_cognito-srp"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--user",
            "alice:Password1!",
            "--user-pool-id",
            "eu-west-1_Serve1",
        ])
        .arg("--users")
        .arg(&users)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start cognito-srp serve");
    let mut server = Server(child);
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: Value =
        serde_json::from_str(&line).unwrap_or_else(|_| panic!("ready line: {line:?}"));
    assert_eq!(ready["user_pool_id"], "eu-west-1_Serve1");
    assert_eq!(ready["region"], "eu-west-1");
    assert_eq!(ready["users"], json!(["alice", "bob"]));
    let clients = ready["clients"].as_array().unwrap().clone();
    assert!(clients[0]["client_secret"].is_null() && clients[1]["client_secret"].is_string());
    let endpoint = ready["endpoint"].as_str().unwrap().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"));
    check_interop(&endpoint, "eu-west-1_Serve1", &clients, None).await;

    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.0.wait().unwrap();
    assert_eq!(
        exit.code(),
        Some(0),
        "serve did not exit 0 on SIGTERM: {exit}"
    );
    let _ = std::fs::remove_file(users);

    let refused = Command::new(env!("CARGO_BIN_EXE_cognito-srp"))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(
        refused.code(),
        Some(2),
        "non-loopback must be refused without --allow-remote"
    );
}
