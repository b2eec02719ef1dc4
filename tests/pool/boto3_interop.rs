//! boto3 as an independent client (botocore's own model of cognito-idp) of
//! the pool's token operations (`GetTokensFromRefreshToken`, `RevokeToken`,
//! `GlobalSignOut`, `GetUser`) and settings (email as user name, a flow the
//! client does not allow, `PreventUserExistenceErrors`):
//! `tests/interop/boto3_client.py` against the pool's loopback endpoint.
//!
//! Needs the virtualenv of `scripts/test.sh` (`COGNITO_SRP_VENV`), as the
//! pycognito test does.

use std::time::Duration;

use cognito_srp_auth::Password;
use cognito_srp_auth::local_pool::{
    AppClient, AuthFlows, DeviceTracking, ExplicitAuthFlow, LocalPool, RunningPool, SeedUser,
    UsernameAttributes,
};
use serde_json::{Value, json};

use crate::local_pool_http::{PASSWORD, alice, public, secret};
use crate::support::python::run_script;

/// Runs the script for `scenario` as `username` with `client`; its JSON line.
async fn boto3(pool: &RunningPool, client: &AppClient, username: &str, scenario: &str) -> Value {
    let args = json!({
        "endpoint": pool.endpoint(),
        "user_pool_id": pool.user_pool_id().as_str(),
        "client_id": client.client_id().as_str(),
        "client_secret": client.client_secret().map(|s| s.expose_secret()),
        "username": username,
        "password": PASSWORD,
        "scenario": scenario,
    });
    run_script("boto3_client.py", args).await
}

fn assert_refused(seen: &Value, step: &str, code: &str) {
    assert_eq!(seen[step]["outcome"], "error", "{step}: {seen}");
    assert_eq!(seen[step]["code"], code, "{step}: {seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_refreshes_revokes_and_signs_out_on_a_rotation_pool() {
    // boto3 confirms no device: without device tracking no refresh token is
    // bound to one.
    let pool = LocalPool::builder()
        .user(alice())
        .device_tracking(DeviceTracking::Off)
        .refresh_token_rotation(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let sub = pool.user_sub("alice").unwrap();
    for client in [public(&pool), secret(&pool)] {
        let seen = boto3(&pool, &client, "alice", "lifecycle").await;
        assert_eq!(seen["get_user"]["username"], "alice", "{seen}");
        assert_eq!(seen["get_user"]["attributes"]["sub"], sub.as_str());
        assert_eq!(seen["get_user"]["attributes"]["email"], "alice@example.com");
        assert_eq!(seen["rotate"]["has_refresh_token"], true, "{seen}");
        assert_eq!(seen["rotate"]["new_differs"], true, "{seen}");
        assert_eq!(seen["rotate"]["access_claims"]["username"], "alice");
        assert_refused(&seen, "reuse_old", "RefreshTokenReuseException");
        assert_eq!(seen["revoke"]["outcome"], "ok", "{seen}");
        assert_refused(&seen, "refresh_after_revoke", "NotAuthorizedException");
        assert_eq!(seen["global_sign_out"]["outcome"], "ok", "{seen}");
        assert_refused(&seen, "get_user_after_sign_out", "NotAuthorizedException");
        assert_refused(&seen, "refresh_after_sign_out", "NotAuthorizedException");
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_signs_in_by_email_and_is_refused_a_flow_the_client_does_not_allow() {
    let pool = LocalPool::builder()
        .username_attributes(UsernameAttributes::Email)
        .user(SeedUser::new("alice@example.com", Password::new(PASSWORD)))
        .device_tracking(DeviceTracking::Off)
        .start()
        .await
        .unwrap();
    let sub = pool.user_sub("alice@example.com").unwrap();
    for client in [public(&pool), secret(&pool)] {
        let seen = boto3(&pool, &client, "alice@example.com", "sign_in").await;
        assert_eq!(seen["sign_in"]["outcome"], "tokens", "{seen}");
        assert_eq!(
            seen["sign_in"]["id_claims"]["cognito:username"],
            sub.as_str()
        );
        assert_eq!(seen["sign_in"]["id_claims"]["email"], "alice@example.com");
        assert_eq!(seen["sign_in"]["access_claims"]["username"], sub.as_str());
        assert_eq!(seen["get_user_username"], sub.as_str());
    }
    pool.shutdown().await.unwrap();

    // SRP and refresh only, and PreventUserExistenceErrors ENABLED.
    let pool = LocalPool::builder()
        .user(alice())
        .auth_flows(AuthFlows::only([
            ExplicitAuthFlow::UserSrp,
            ExplicitAuthFlow::RefreshToken,
        ]))
        .start()
        .await
        .unwrap();
    let seen = boto3(&pool, &public(&pool), "alice", "sign_in").await;
    assert_refused(&seen, "sign_in", "InvalidParameterException");
    assert_eq!(
        seen["sign_in"]["message"],
        "USER_PASSWORD_AUTH flow not enabled for this client"
    );
    pool.shutdown().await.unwrap();
    let pool = LocalPool::builder()
        .user(alice())
        .prevent_user_existence_errors(true)
        .start()
        .await
        .unwrap();
    let seen = boto3(&pool, &public(&pool), "nobody", "sign_in").await;
    assert_refused(&seen, "sign_in", "NotAuthorizedException");
    assert_eq!(
        seen["sign_in"]["message"],
        "Incorrect username or password."
    );
    pool.shutdown().await.unwrap();
}
