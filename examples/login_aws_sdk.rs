//! Sign in through the AWS SDK adapter. The SDK client is built by the caller
//! (usually with `aws-config`); here by hand, so no credentials are needed —
//! InitiateAuth and RespondToAuthChallenge are unsigned.
//!
//! ```text
//! COGNITO_USER_POOL_ID=eu-west-1_AbC COGNITO_CLIENT_ID=... COGNITO_USERNAME=alice \
//! COGNITO_PASSWORD=... cargo run --example login_aws_sdk --features aws-sdk
//! ```

use std::error::Error;

use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
use cognito_srp_auth::flow::{CognitoClient, LoginOutcome};
use cognito_srp_auth::transport::AwsSdkTransport;
use cognito_srp_auth::{ClientId, Password, UserPoolId};

fn env(name: &str) -> Result<String, Box<dyn Error>> {
    std::env::var(name).map_err(|_| format!("set {name}").into())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let pool = UserPoolId::parse(&env("COGNITO_USER_POOL_ID")?)?;
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(pool.region().to_owned()))
        .http_client(http);
    if let Ok(url) = std::env::var("COGNITO_ENDPOINT") {
        config = config.endpoint_url(url);
    }
    let sdk = aws_sdk_cognitoidentityprovider::Client::from_conf(config.build());
    let client = CognitoClient::new(
        pool,
        ClientId::new(env("COGNITO_CLIENT_ID")?)?,
        AwsSdkTransport::new(sdk),
    );
    let password = Password::new(env("COGNITO_PASSWORD")?);
    match client.login(&env("COGNITO_USERNAME")?, password).await? {
        LoginOutcome::Tokens(tokens) => println!("signed in until {}", tokens.expires_at()),
        LoginOutcome::Challenge(challenge) => println!("next step: {}", challenge.name()),
    }
    Ok(())
}
