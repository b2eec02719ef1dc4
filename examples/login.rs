//! Sign in with USER_SRP_AUTH over HTTPS, answer an MFA code or a new-password
//! challenge from stdin, and print who signed in.
//!
//! ```text
//! COGNITO_USER_POOL_ID=eu-west-1_AbC COGNITO_CLIENT_ID=... COGNITO_USERNAME=alice \
//! COGNITO_PASSWORD=... cargo run --example login --features http
//! ```
//! Optional: `COGNITO_CLIENT_SECRET`, `COGNITO_ENDPOINT` (e.g. a local pool).

use std::error::Error;
use std::io::BufRead;

use cognito_srp_auth::flow::{ChallengeAnswer, ChallengeKind, CognitoClient, LoginOutcome};
use cognito_srp_auth::transport::HttpTransport;
use cognito_srp_auth::{ClientId, ClientSecret, Password, UserPoolId};

fn env(name: &str) -> Result<String, Box<dyn Error>> {
    std::env::var(name).map_err(|_| format!("set {name}").into())
}

fn read_line(prompt: &str) -> Result<String, Box<dyn Error>> {
    eprint!("{prompt}");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let pool = UserPoolId::parse(&env("COGNITO_USER_POOL_ID")?)?;
    let transport = match std::env::var("COGNITO_ENDPOINT") {
        Ok(url) => HttpTransport::builder().endpoint(url).build()?,
        Err(_) => HttpTransport::for_user_pool(&pool)?,
    };
    let mut client = CognitoClient::new(pool, ClientId::new(env("COGNITO_CLIENT_ID")?)?, transport);
    if let Ok(secret) = std::env::var("COGNITO_CLIENT_SECRET") {
        client = client.with_client_secret(ClientSecret::new(secret));
    }
    let password = Password::new(env("COGNITO_PASSWORD")?);
    let mut outcome = client.login(&env("COGNITO_USERNAME")?, password).await?;
    loop {
        let challenge = match outcome {
            LoginOutcome::Tokens(tokens) => {
                println!(
                    "signed in as {} (sub {}), tokens valid until {}",
                    tokens.username().unwrap_or("?"),
                    tokens.sub().unwrap_or("?"),
                    tokens.expires_at()
                );
                return Ok(());
            }
            LoginOutcome::Challenge(challenge) => *challenge,
        };
        let answer = match challenge.kind() {
            ChallengeKind::NewPasswordRequired { .. } => {
                ChallengeAnswer::new_password(Password::new(read_line("new password: ")?))
            }
            ChallengeKind::SmsMfa { .. }
            | ChallengeKind::SoftwareTokenMfa { .. }
            | ChallengeKind::EmailOtp { .. } => ChallengeAnswer::code(read_line("code: ")?),
            _ => return Err(format!("challenge {} is not handled here", challenge.name()).into()),
        };
        outcome = client.answer(challenge, answer).await?;
    }
}
