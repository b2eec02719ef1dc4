//! The token life cycle against the local pool over HTTP: refresh-token
//! rotation (`GetTokensFromRefreshToken`, the grace period, reuse), revocation
//! (`RevokeToken`), `GlobalSignOut` and `GetUser`.

use std::time::Duration;

use cognito_srp_auth::local_pool::{AppClient, DeviceTracking, LocalPool, RunningPool};
use serde_json::{Value, json};

use crate::local_pool_http::{PASSWORD, alice, call, claims, login, public, secret, tokens};

/// A pool without device tracking: these raw calls confirm no device (the
/// device-bound refresh is tested below, with a confirmed device).
pub(crate) async fn untracked_pool() -> RunningPool {
    LocalPool::builder()
        .user(alice())
        .device_tracking(DeviceTracking::Off)
        .start()
        .await
        .unwrap()
}

fn get_tokens_body(client: &AppClient, refresh: &str) -> Value {
    let mut body = json!({"ClientId": client.client_id().as_str(), "RefreshToken": refresh});
    if let Some(secret) = client.client_secret() {
        body["ClientSecret"] = json!(secret.expose_secret());
    }
    body
}

async fn sign_in(pool: &RunningPool, client: &AppClient) -> (String, String) {
    let reply = login(pool, client, "alice", PASSWORD).await.ok();
    let result = tokens(&reply);
    (
        result["RefreshToken"].as_str().unwrap().to_owned(),
        result["AccessToken"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_issues_a_new_refresh_token_and_refuses_the_old_one_after_the_grace_period() {
    let pool = LocalPool::builder()
        .user(alice())
        .device_tracking(DeviceTracking::Off)
        .refresh_token_rotation(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    for client in [public(&pool), secret(&pool)] {
        let (refresh, access) = sign_in(&pool, &client).await;
        // REFRESH_TOKEN_AUTH is refused on a rotating client.
        let body = json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"REFRESH_TOKEN": refresh}});
        call(&pool, "InitiateAuth", body)
            .await
            .assert_error("NotAuthorizedException");
        let first = call(
            &pool,
            "GetTokensFromRefreshToken",
            get_tokens_body(&client, &refresh),
        )
        .await
        .ok();
        let rotated = tokens(&first)["RefreshToken"].as_str().unwrap().to_owned();
        assert_ne!(rotated, refresh);
        let family = |token: &str| claims(token)["origin_jti"].clone();
        assert_eq!(
            family(tokens(&first)["AccessToken"].as_str().unwrap()),
            family(&access)
        );
        // Within the grace period the old token still works.
        call(
            &pool,
            "GetTokensFromRefreshToken",
            get_tokens_body(&client, &refresh),
        )
        .await
        .ok();
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let reuse = call(
            &pool,
            "GetTokensFromRefreshToken",
            get_tokens_body(&client, &refresh),
        )
        .await;
        reuse.assert_error("RefreshTokenReuseException");
        // The rotated-in token works.
        call(
            &pool,
            "GetTokensFromRefreshToken",
            get_tokens_body(&client, &rotated),
        )
        .await
        .ok();
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_tokens_checks_the_client_secret_and_the_token() {
    let pool = untracked_pool().await;
    let client = secret(&pool);
    let (refresh, _) = sign_in(&pool, &client).await;
    let mut body = get_tokens_body(&client, &refresh);
    body["ClientSecret"] = json!("wrong");
    call(&pool, "GetTokensFromRefreshToken", body)
        .await
        .assert_error("NotAuthorizedException");
    let mut body = get_tokens_body(&client, &refresh);
    body.as_object_mut().unwrap().remove("ClientSecret");
    call(&pool, "GetTokensFromRefreshToken", body)
        .await
        .assert_error("NotAuthorizedException");
    // Another client's token, an unknown token, a missing token.
    let other = public(&pool);
    let reply = call(
        &pool,
        "GetTokensFromRefreshToken",
        get_tokens_body(&other, &refresh),
    )
    .await;
    reply.assert_error("NotAuthorizedException");
    assert_eq!(reply.message(), "Invalid Refresh Token.");
    call(
        &pool,
        "GetTokensFromRefreshToken",
        get_tokens_body(&client, "nope"),
    )
    .await
    .assert_error("NotAuthorizedException");
    call(
        &pool,
        "GetTokensFromRefreshToken",
        json!({"ClientId": client.client_id().as_str()}),
    )
    .await
    .assert_error("InvalidParameterException");
    // The token is still good after all that.
    call(
        &pool,
        "GetTokensFromRefreshToken",
        get_tokens_body(&client, &refresh),
    )
    .await
    .ok();
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoke_token_ends_the_refresh_token_and_its_access_tokens() {
    let pool = untracked_pool().await;
    for client in [public(&pool), secret(&pool)] {
        let (refresh, access) = sign_in(&pool, &client).await;
        let (other_refresh, other_access) = sign_in(&pool, &client).await;
        let mut body = json!({"ClientId": client.client_id().as_str(), "Token": refresh});
        if client.client_secret().is_some() {
            // Without the secret: UnauthorizedException, nothing revoked.
            call(&pool, "RevokeToken", body.clone())
                .await
                .assert_error("UnauthorizedException");
            body["ClientSecret"] = json!(client.client_secret().unwrap().expose_secret());
        }
        assert_eq!(
            call(&pool, "RevokeToken", body.clone()).await.ok(),
            json!({})
        );
        let revoked = call(
            &pool,
            "GetTokensFromRefreshToken",
            get_tokens_body(&client, &refresh),
        )
        .await;
        revoked.assert_error("NotAuthorizedException");
        assert_eq!(revoked.message(), "Refresh Token has been revoked");
        let refused = call(&pool, "GetUser", json!({"AccessToken": access})).await;
        refused.assert_error("NotAuthorizedException");
        assert_eq!(refused.message(), "Access Token has been revoked");
        // Revoking again succeeds; the other sign-in is untouched.
        call(&pool, "RevokeToken", body).await.ok();
        call(&pool, "GetUser", json!({"AccessToken": other_access}))
            .await
            .ok();
        call(
            &pool,
            "GetTokensFromRefreshToken",
            get_tokens_body(&client, &other_refresh),
        )
        .await
        .ok();
        // An access token is not a token RevokeToken takes.
        let mut body = json!({"ClientId": client.client_id().as_str(), "Token": other_access});
        if let Some(secret) = client.client_secret() {
            body["ClientSecret"] = json!(secret.expose_secret());
        }
        call(&pool, "RevokeToken", body)
            .await
            .assert_error("UnsupportedTokenTypeException");
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_sign_out_ends_every_session_of_the_user() {
    let pool = untracked_pool().await;
    let client = public(&pool);
    let (refresh_one, access_one) = sign_in(&pool, &client).await;
    let (refresh_two, _) = sign_in(&pool, &client).await;
    call(&pool, "GlobalSignOut", json!({"AccessToken": access_one}))
        .await
        .ok();
    for refresh in [&refresh_one, &refresh_two] {
        let revoked = call(
            &pool,
            "GetTokensFromRefreshToken",
            get_tokens_body(&client, refresh),
        )
        .await;
        revoked.assert_error("NotAuthorizedException");
        assert_eq!(revoked.message(), "Refresh Token has been revoked");
    }
    let refused = call(&pool, "GetUser", json!({"AccessToken": access_one})).await;
    assert_eq!(refused.message(), "Access Token has been revoked");
    call(
        &pool,
        "GlobalSignOut",
        json!({"AccessToken": "not-a-token"}),
    )
    .await
    .assert_error("NotAuthorizedException");
    // A new sign-in works.
    let (_, access) = sign_in(&pool, &client).await;
    call(&pool, "GetUser", json!({"AccessToken": access}))
        .await
        .ok();
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_user_describes_the_signed_in_user() {
    let pool = untracked_pool().await;
    let (_, access) = sign_in(&pool, &public(&pool)).await;
    let user = call(&pool, "GetUser", json!({"AccessToken": access}))
        .await
        .ok();
    let sub = pool.user_sub("alice").unwrap();
    // No username attributes: `Username` is the user name.
    assert_eq!(user["Username"], "alice");
    let attributes = user["UserAttributes"].as_array().unwrap();
    let value = |name: &str| {
        attributes
            .iter()
            .find(|a| a["Name"] == name)
            .map(|a| a["Value"].clone())
    };
    assert_eq!(value("email"), Some(json!("alice@example.com")));
    assert_eq!(value("sub"), Some(json!(sub)));
    call(&pool, "GetUser", json!({}))
        .await
        .assert_error("InvalidParameterException");
    pool.shutdown().await.unwrap();
}
