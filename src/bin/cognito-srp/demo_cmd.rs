//! `cognito-srp demo`: the crate's main job on its embedded default.
//!
//! Starts the local user pool in-process on an ephemeral loopback port,
//! creates a demo user, signs in over real HTTP with the crate's own flow
//! (USER_SRP_AUTH with an app client secret), prints each step, the decoded
//! ID-token claims and how long the client-side computation took, and stops
//! the pool. Exit 0 on success, 1 if the sign-in failed, 3 on a fault.

use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{CognitoClient, LoginOutcome, Tokens};
use cognito_srp_auth::local_pool::{LocalPool, SeedUser};
use cognito_srp_auth::transport::HttpTransport;

use crate::exit::{self, Failure};
use crate::steps::{StepPrinter, StepSink};

/// Options of `cognito-srp demo`.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// The demo user's name (also its email alias's local part).
    #[arg(long, default_value = "demo")]
    username: String,
}

/// The demo user's password: generated per run and never printed.
fn demo_password() -> Password {
    let mut bytes = [0u8; 18];
    let _ = getrandom::fill(&mut bytes);
    Password::new(format!("Demo-{}!", hex::encode(bytes)))
}

/// Runs the demo.
pub(crate) fn run(args: DemoArgs) -> ExitCode {
    let runtime = match exit::runtime(tokio::runtime::Builder::new_multi_thread().worker_threads(2))
    {
        Ok(runtime) => runtime,
        Err(failure) => return failure.report(),
    };
    match runtime.block_on(demo(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn demo(args: DemoArgs) -> Result<(), Failure> {
    let fault =
        |what: &str, e: &dyn std::error::Error| Failure::fault(format!("error: {what}: {e}"));
    let password = demo_password();
    let user = SeedUser::new(args.username.as_str(), password.clone())
        .attribute("email", format!("{}@example.com", args.username));
    let pool = LocalPool::builder()
        .user(user)
        .start()
        .await
        .map_err(|e| fault("cannot start the local user pool", &e))?;
    println!(
        "local user pool {} at {}",
        pool.user_pool_id(),
        pool.endpoint()
    );
    let app = pool
        .secret_client()
        .ok_or_else(|| Failure::fault("error: the pool has no app client with a secret"))?
        .clone();
    println!("app client {} (with a client secret)", app.client_id());
    println!(
        "signing in as {:?} with USER_SRP_AUTH over HTTP:",
        args.username
    );

    let transport = HttpTransport::builder()
        .user_pool(pool.user_pool_id())
        .endpoint(pool.endpoint())
        .build()
        .map_err(|e| fault("cannot build the HTTP transport", &e))?;
    let mut client = CognitoClient::new(
        pool.user_pool_id().clone(),
        app.client_id().clone(),
        StepPrinter::new(transport, StepSink::Stdout),
    );
    if let Some(secret) = app.client_secret() {
        client = client.with_client_secret(secret.clone());
    }
    let started = Instant::now();
    let outcome = client.login(&args.username, password).await;
    let elapsed = started.elapsed();
    let waited = client.transport().transport_time();
    let result = match outcome {
        Ok(LoginOutcome::Tokens(tokens)) => {
            print_tokens(&tokens);
            let client_side = elapsed.saturating_sub(waited);
            println!(
                "time: {:.2} ms in all; {:.2} ms on this side (SRP_A, the PASSWORD_VERIFIER proof, JSON), \
                 {:.2} ms waiting on the pool (which verified the proof over the same 3072-bit group)",
                ms(elapsed),
                ms(client_side),
                ms(waited)
            );
            println!("signed in: the password never left this process");
            Ok(())
        }
        Ok(LoginOutcome::Challenge(challenge)) => Err(Failure::new(
            exit::REFUSED,
            format!("error: unexpected challenge {}", challenge.name()),
        )),
        Err(error) => Err(Failure::new(
            exit::REFUSED,
            format!("error: sign-in failed: {error}"),
        )),
    };
    pool.shutdown()
        .await
        .map_err(|e| fault("cannot stop the local user pool", &e))?;
    result
}

fn ms(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn print_tokens(tokens: &Tokens) {
    println!("ID token claims (decoded, not verified):");
    if let Some(claims) = tokens.id_claims() {
        let rows = [
            ("sub", claims.sub.clone()),
            ("cognito:username", claims.username.clone()),
            ("email", claims.email.clone()),
            ("token_use", claims.token_use.clone()),
            ("aud", claims.client_id.clone()),
            ("iat", claims.iat.map(|t| t.to_string())),
            ("exp", claims.exp.map(|t| t.to_string())),
        ];
        for (name, value) in rows {
            if let Some(value) = value {
                println!("  {name:<17} {value}");
            }
        }
    }
    println!(
        "tokens: access, id and refresh received; {} expires at {}",
        tokens.token_type().unwrap_or("Bearer"),
        tokens.expires_at().format("%Y-%m-%d %H:%M:%S UTC")
    );
}
