//! App-client and trigger settings over real loopback HTTP: the allowed auth
//! flows (`ExplicitAuthFlows`), `PreventUserExistenceErrors` and `CUSTOM_AUTH`
//! with and without the modelled Define Auth Challenge trigger.

use cognito_srp_auth::local_pool::{
    AppClient, AuthFlows, CustomAuthTrigger, DeviceTracking, ExplicitAuthFlow, LocalPool,
    RunningPool,
};
use cognito_srp_auth::{CognitoTimestamp, StartOptions};
use serde_json::{Value, json};

use crate::local_pool_http::{
    PASSWORD, alice, answer, call, initiate, login, public, respond, secret, tokens,
};

fn password_auth(client: &AppClient, name: &str, password: &str) -> Value {
    json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"USERNAME": name, "PASSWORD": password}})
}

async fn pool_allowing(flows: &[ExplicitAuthFlow]) -> RunningPool {
    LocalPool::builder()
        .user(alice())
        .auth_flows(AuthFlows::only(flows.iter().copied()))
        // These raw calls confirm no device, so refresh tokens bind to none.
        .device_tracking(DeviceTracking::Off)
        .custom_auth_trigger(CustomAuthTrigger::SrpThenTokens)
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_the_client_does_not_allow_is_refused_with_cognitos_message() {
    use ExplicitAuthFlow::{RefreshToken, UserPassword, UserSrp};
    let pool = pool_allowing(&[UserSrp, RefreshToken]).await;
    let client = public(&pool);
    assert!(!client.auth_flows().allows(UserPassword));
    let reply = call(
        &pool,
        "InitiateAuth",
        password_auth(&client, "alice", PASSWORD),
    )
    .await;
    reply.assert_error("InvalidParameterException");
    assert_eq!(
        reply.message(),
        "USER_PASSWORD_AUTH flow not enabled for this client"
    );
    let (reply, _) = initiate(
        &pool,
        &client,
        "alice",
        PASSWORD,
        StartOptions::default().custom_auth(),
    )
    .await;
    reply.assert_error("InvalidParameterException");
    assert_eq!(
        reply.message(),
        "CUSTOM_AUTH flow not enabled for this client"
    );
    // The allowed ones work.
    let body = login(&pool, &client, "alice", PASSWORD).await.ok();
    let refresh = tokens(&body)["RefreshToken"].as_str().unwrap().to_owned();
    let body = json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"REFRESH_TOKEN": refresh}});
    tokens(&call(&pool, "InitiateAuth", body).await.ok());
    pool.shutdown().await.unwrap();

    // Password only: SRP and REFRESH_TOKEN_AUTH are refused;
    // GetTokensFromRefreshToken is not gated (unknown in Cognito: lenient).
    let pool = pool_allowing(&[UserPassword]).await;
    let client = public(&pool);
    let reply = login(&pool, &client, "alice", PASSWORD).await;
    reply.assert_error("InvalidParameterException");
    assert_eq!(
        reply.message(),
        "USER_SRP_AUTH flow not enabled for this client"
    );
    let body = call(
        &pool,
        "InitiateAuth",
        password_auth(&client, "alice", PASSWORD),
    )
    .await
    .ok();
    let refresh = tokens(&body)["RefreshToken"].as_str().unwrap().to_owned();
    let auth = json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"REFRESH_TOKEN": refresh}});
    let reply = call(&pool, "InitiateAuth", auth).await;
    reply.assert_error("InvalidParameterException");
    assert_eq!(
        reply.message(),
        "REFRESH_TOKEN_AUTH flow not enabled for this client"
    );
    let get = json!({"ClientId": client.client_id().as_str(), "RefreshToken": refresh});
    call(&pool, "GetTokensFromRefreshToken", get).await.ok();
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_added_client_keeps_its_own_flows_and_the_default_allows_all() {
    let strict = AppClient::generate_public()
        .unwrap()
        .with_auth_flows(AuthFlows::only([ExplicitAuthFlow::UserSrp]));
    let open = AppClient::generate_public().unwrap();
    assert_eq!(open.auth_flows(), &AuthFlows::all());
    let pool = LocalPool::builder()
        .user(alice())
        .client(strict.clone())
        .client(open.clone())
        .start()
        .await
        .unwrap();
    call(
        &pool,
        "InitiateAuth",
        password_auth(&strict, "alice", PASSWORD),
    )
    .await
    .assert_error("InvalidParameterException");
    tokens(
        &call(
            &pool,
            "InitiateAuth",
            password_auth(&open, "alice", PASSWORD),
        )
        .await
        .ok(),
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prevent_user_existence_errors_simulates_an_srp_challenge_for_unknown_users() {
    let pool = LocalPool::builder()
        .user(alice())
        .prevent_user_existence_errors(true)
        .start()
        .await
        .unwrap();
    for client in [public(&pool), secret(&pool)] {
        assert!(client.prevents_user_existence_errors());
        // The same salt and UUID-shaped USER_ID_FOR_SRP for the same name.
        let mut seen = Vec::new();
        for name in ["nobody", "nobody", "somebody"] {
            let (reply, session) =
                initiate(&pool, &client, name, PASSWORD, StartOptions::default()).await;
            let body = reply.ok();
            assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
            let params = &body["ChallengeParameters"];
            let user_id = params["USER_ID_FOR_SRP"].as_str().unwrap().to_owned();
            assert_eq!(user_id.len(), 36, "{user_id}");
            assert_eq!(params["USERNAME"], user_id.as_str());
            seen.push((user_id, params["SALT"].as_str().unwrap().to_owned()));
            // The proof fails as a wrong password does.
            let responses = answer(&body, session.unwrap(), &CognitoTimestamp::now());
            let reply = respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses).await;
            reply.assert_error("NotAuthorizedException");
            assert_eq!(reply.message(), "Incorrect username or password.");
        }
        assert_eq!(seen[0], seen[1], "stable for one name");
        assert_ne!(seen[0].0, seen[2].0, "another name, another id");
        assert_ne!(seen[0].1, seen[2].1, "another name, another salt");
    }
    let client = public(&pool);
    let reply = call(
        &pool,
        "InitiateAuth",
        password_auth(&client, "nobody", PASSWORD),
    )
    .await;
    reply.assert_error("NotAuthorizedException");
    assert_eq!(reply.message(), "Incorrect username or password.");
    // Real users are not affected.
    tokens(&login(&pool, &client, "alice", PASSWORD).await.ok());
    pool.shutdown().await.unwrap();

    // LEGACY (the default): UserNotFoundException.
    let pool = LocalPool::builder().user(alice()).start().await.unwrap();
    let client = public(&pool);
    assert!(!client.prevents_user_existence_errors());
    login(&pool, &client, "nobody", PASSWORD)
        .await
        .assert_error("UserNotFoundException");
    call(
        &pool,
        "InitiateAuth",
        password_auth(&client, "nobody", PASSWORD),
    )
    .await
    .assert_error("UserNotFoundException");
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_auth_without_a_trigger_is_refused() {
    let pool = LocalPool::builder().user(alice()).start().await.unwrap();
    let client = public(&pool);
    let (reply, _) = initiate(
        &pool,
        &client,
        "alice",
        PASSWORD,
        StartOptions::default().custom_auth(),
    )
    .await;
    reply.assert_error("InvalidParameterException");
    assert_eq!(
        reply.message(),
        "Custom auth lambda trigger is not configured for the user pool."
    );
    pool.shutdown().await.unwrap();

    // With the modelled trigger: SRP_A, then tokens (tested in
    // local_pool_http); without SRP_A no custom challenge is modelled.
    let pool = LocalPool::builder()
        .user(alice())
        .custom_auth_trigger(CustomAuthTrigger::SrpThenTokens)
        .start()
        .await
        .unwrap();
    assert_eq!(pool.custom_auth_trigger(), CustomAuthTrigger::SrpThenTokens);
    let client = public(&pool);
    let body = json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"USERNAME": "alice"}});
    call(&pool, "InitiateAuth", body)
        .await
        .assert_error("InvalidParameterException");
    pool.shutdown().await.unwrap();
}
