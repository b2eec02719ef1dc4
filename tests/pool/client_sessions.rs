//! The crate's own client against the local pool for the whole session:
//! refresh with and without refresh-token rotation (the client finds out
//! which), revocation, global sign-out, and `GetUser`, over HTTP and with and
//! without a client secret.

use std::time::Duration;

use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{
    CognitoClient, FlowError, LoginOptions, LoginOutcome, RefreshOptions, Tokens,
};
use cognito_srp_auth::local_pool::{AppClient, DeviceTracking, LocalPool, RunningPool};
use cognito_srp_auth::transport::{HttpTransport, Transport};
use cognito_srp_auth::wire::ServiceErrorKind;

use crate::local_pool_http::{PASSWORD, alice, public, secret};

/// The crate's client for app client `app` of `pool`, over HTTP on loopback.
pub(crate) fn client(pool: &RunningPool, app: &AppClient) -> CognitoClient<HttpTransport> {
    client_over(pool, app, loopback_transport(pool))
}

/// The HTTP transport to `pool`'s loopback endpoint.
pub(crate) fn loopback_transport(pool: &RunningPool) -> HttpTransport {
    HttpTransport::builder()
        .user_pool(pool.user_pool_id())
        .endpoint(pool.endpoint())
        .build()
        .unwrap()
}

/// The crate's client for app client `app` of `pool` (with its secret, if it
/// has one) over `transport`.
pub(crate) fn client_over<T: Transport>(
    pool: &RunningPool,
    app: &AppClient,
    transport: T,
) -> CognitoClient<T> {
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
    sign_in_with(client, &LoginOptions::default()).await
}

async fn sign_in_with(client: &CognitoClient<HttpTransport>, options: &LoginOptions) -> Tokens {
    match client
        .login_with("alice", Password::new(PASSWORD), options)
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_devices_remembered_a_refresh_belongs_to_its_confirmed_device() {
    let pool = LocalPool::builder().user(alice()).start().await.unwrap();
    let client = self::client(&pool, &public(&pool));
    let tokens = sign_in(&client).await;
    let device_key = tokens.device_key().unwrap().to_owned();
    assert!(
        tokens.device_credentials().is_some(),
        "the offered device is confirmed"
    );
    // The access token names the device.
    let claims = tokens.access_claims().unwrap();
    assert_eq!(claims.device_key.as_deref(), Some(device_key.as_str()));
    // Without the device's key, or with another device's, the refresh is
    // refused as Cognito refuses it.
    let refresh = tokens.refresh_token().unwrap();
    for options in [
        RefreshOptions::default(),
        RefreshOptions::default().device_key("us-east-1_00000000-0000-0000-0000-000000000000"),
    ] {
        let error = client.refresh(refresh, &options).await.unwrap_err();
        assert_eq!(refused(&error), Some(&ServiceErrorKind::NotAuthorized));
    }
    client
        .refresh(refresh, &RefreshOptions::default().device_key(&device_key))
        .await
        .unwrap();
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_tracking_modes() {
    // Off: no device is offered, refresh needs none.
    let pool = LocalPool::builder()
        .user(alice())
        .device_tracking(DeviceTracking::Off)
        .start()
        .await
        .unwrap();
    let client = self::client(&pool, &public(&pool));
    let tokens = sign_in(&client).await;
    assert!(tokens.new_device_metadata().is_none());
    client.refresh_tokens(&tokens).await.unwrap();
    pool.shutdown().await.unwrap();

    // Opt-in: confirmed, but remembered only when the user chooses it.
    let pool = LocalPool::builder()
        .user(alice())
        .device_tracking(DeviceTracking::OptIn)
        .start()
        .await
        .unwrap();
    let client = self::client(&pool, &public(&pool));
    let options = LoginOptions::default().remember_device("laptop", true);
    let remembered = sign_in_with(&client, &options).await;
    let credentials = remembered.device_credentials().unwrap().clone();
    // The remembered device signs in with device SRP and refreshes.
    let again = sign_in_with(&client, &LoginOptions::default().device(credentials)).await;
    assert!(again.new_device_metadata().is_none());
    client.refresh_tokens(&again).await.unwrap();
    // Not asked to remember: confirmed (refresh works) but not remembered:
    // its next sign-in is recognised (no new device) without device SRP.
    let unremembered = sign_in(&client).await;
    client.refresh_tokens(&unremembered).await.unwrap();
    let credentials = unremembered.device_credentials().unwrap().clone();
    let next = sign_in_with(&client, &LoginOptions::default().device(credentials)).await;
    assert!(next.new_device_metadata().is_none());
    assert!(next.stale_device().is_none());
    let refreshed = client.refresh_tokens(&next).await.unwrap();
    assert_eq!(refreshed.device_key(), unremembered.device_key());
    pool.shutdown().await.unwrap();
}
