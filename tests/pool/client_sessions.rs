//! The crate's own client against the local pool for the whole session:
//! refresh with and without refresh-token rotation (the client finds out
//! which), revocation, global sign-out, and `GetUser`, over HTTP and with and
//! without a client secret.

use std::time::Duration;

use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{CognitoClient, FlowError, LoginOutcome, Tokens};
use cognito_srp_auth::local_pool::{AppClient, LocalPool, RunningPool};
use cognito_srp_auth::transport::HttpTransport;
use cognito_srp_auth::wire::ServiceErrorKind;

use crate::local_pool_http::{PASSWORD, alice, public, secret};

fn client(pool: &RunningPool, app: &AppClient) -> CognitoClient<HttpTransport> {
    let transport = HttpTransport::builder()
        .user_pool(pool.user_pool_id())
        .endpoint(pool.endpoint())
        .build()
        .unwrap();
    let client = CognitoClient::new(
        pool.user_pool_id().clone(),
        app.client_id().clone(),
        transport,
    );
    match app.client_secret() {
        Some(secret) => client.with_client_secret(secret.clone()),
        None => client,
    }
}

async fn sign_in(client: &CognitoClient<HttpTransport>) -> Tokens {
    match client
        .login("alice", Password::new(PASSWORD))
        .await
        .unwrap()
    {
        LoginOutcome::Tokens(tokens) => *tokens,
        other => panic!("expected tokens, got {other:?}"),
    }
}

fn refused(error: &FlowError) -> Option<&ServiceErrorKind> {
    error.service_kind()
}

fn refresh_of(tokens: &Tokens) -> &str {
    tokens.refresh_token().unwrap().expose_secret()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_without_rotation_keeps_the_refresh_token() {
    let pool = LocalPool::builder().user(alice()).start().await.unwrap();
    for app in [public(&pool), secret(&pool)] {
        let client = client(&pool, &app);
        let first = sign_in(&client).await;
        let second = client.refresh_tokens(&first).await.unwrap();
        assert_eq!(refresh_of(&second), refresh_of(&first));
        assert_ne!(
            second.access_token().expose_secret(),
            first.access_token().expose_secret()
        );
        client.refresh_tokens(&second).await.unwrap();
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_with_rotation_switches_to_get_tokens_and_keeps_the_new_token() {
    let pool = LocalPool::builder()
        .user(alice())
        .refresh_token_rotation(Duration::ZERO)
        .start()
        .await
        .unwrap();
    for app in [public(&pool), secret(&pool)] {
        let client = client(&pool, &app);
        let first = sign_in(&client).await;
        // REFRESH_TOKEN_AUTH is refused; the client retries with
        // GetTokensFromRefreshToken and keeps the rotated token.
        let second = client.refresh_tokens(&first).await.unwrap();
        assert_ne!(refresh_of(&second), refresh_of(&first));
        let third = client.refresh_tokens(&second).await.unwrap();
        assert_ne!(refresh_of(&third), refresh_of(&second));
        // No grace period: the first token is spent.
        let error = client.refresh_tokens(&first).await.unwrap_err();
        assert_eq!(refused(&error), Some(&ServiceErrorKind::RefreshTokenReuse));
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoke_and_global_sign_out_end_sessions() {
    let pool = LocalPool::builder().user(alice()).start().await.unwrap();
    for app in [public(&pool), secret(&pool)] {
        let client = client(&pool, &app);
        let one = sign_in(&client).await;
        let two = sign_in(&client).await;
        let user = client.get_user(one.access_token()).await.unwrap();
        assert_eq!(Some(user.username.as_str()), one.username());

        client
            .revoke_token(one.refresh_token().unwrap())
            .await
            .unwrap();
        let error = client.refresh_tokens(&one).await.unwrap_err();
        assert_eq!(refused(&error), Some(&ServiceErrorKind::NotAuthorized));
        let error = client.get_user(one.access_token()).await.unwrap_err();
        assert_eq!(refused(&error), Some(&ServiceErrorKind::NotAuthorized));
        // The other sign-in lives on, until the global sign-out.
        client.refresh_tokens(&two).await.unwrap();
        client.global_sign_out(two.access_token()).await.unwrap();
        let error = client.refresh_tokens(&two).await.unwrap_err();
        assert_eq!(refused(&error), Some(&ServiceErrorKind::NotAuthorized));
        let error = client.get_user(two.access_token()).await.unwrap_err();
        assert_eq!(refused(&error), Some(&ServiceErrorKind::NotAuthorized));
    }
    pool.shutdown().await.unwrap();
}
