//! `UsernameAttributes`: what users sign in with and the internal user name
//! (`USER_ID_FOR_SRP`, `cognito:username`, the name `SECRET_HASH` and the SRP
//! proof are made with), over real loopback HTTP.

use std::collections::HashMap;

use cognito_srp_auth::local_pool::{
    AppClient, LocalPool, LocalPoolError, RunningPool, SeedUser, UsernameAttributes,
};
use cognito_srp_auth::{
    CognitoTimestamp, Password, PasswordVerifierChallenge, StartOptions, secret_hash,
};
use serde_json::{Value, json};

use crate::local_pool_http::{
    PASSWORD, alice, answer, call, claims, initiate, login, map, public, respond, secret, tokens,
};

async fn email_pool() -> RunningPool {
    LocalPool::builder()
        .username_attributes(UsernameAttributes::Email)
        .user(SeedUser::new("alice@example.com", Password::new(PASSWORD)))
        .start()
        .await
        .unwrap()
}

/// `USER_PASSWORD_AUTH` as `name`, with `SECRET_HASH` over `name` for a client
/// with a secret.
async fn password_sign_in(pool: &RunningPool, client: &AppClient, name: &str) -> Value {
    let mut params = json!({"USERNAME": name, "PASSWORD": PASSWORD});
    if let Some(client_secret) = client.client_secret() {
        params["SECRET_HASH"] = json!(secret_hash(client_secret, name, client.client_id()));
    }
    let body = json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": params});
    call(pool, "InitiateAuth", body).await.ok()
}

/// The `USER_ID_FOR_SRP` and `USERNAME` of a `USER_SRP_AUTH` started as `name`.
async fn srp_user_id(pool: &RunningPool, client: &AppClient, name: &str) -> (String, String) {
    let (reply, _) = initiate(pool, client, name, PASSWORD, StartOptions::default()).await;
    let body = reply.ok();
    let params = &body["ChallengeParameters"];
    (
        params["USER_ID_FOR_SRP"].as_str().unwrap().to_owned(),
        params["USERNAME"].as_str().unwrap().to_owned(),
    )
}

fn assert_token_names(body: &Value, internal: &str, sub: &str) {
    let result = tokens(body);
    let id = claims(result["IdToken"].as_str().unwrap());
    let access = claims(result["AccessToken"].as_str().unwrap());
    assert_eq!(
        id["cognito:username"], internal,
        "ID token cognito:username"
    );
    assert_eq!(access["username"], internal, "access token username");
    assert_eq!(id["sub"], sub, "ID token sub");
    assert_eq!(access["sub"], sub, "access token sub");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_username_attributes_the_user_name_is_the_internal_name() {
    let pool = LocalPool::builder().user(alice()).start().await.unwrap();
    assert_eq!(pool.username_attributes(), UsernameAttributes::Username);
    let sub = pool.user_sub("alice").unwrap();
    assert_eq!(pool.internal_username("alice").as_deref(), Some("alice"));
    for client in [public(&pool), secret(&pool)] {
        // USER_ID_FOR_SRP is the user name, also when signing in with the email alias.
        for name in ["alice", "alice@example.com"] {
            let (user_id, username) = srp_user_id(&pool, &client, name).await;
            assert_eq!(user_id, "alice", "USER_ID_FOR_SRP for {name}");
            assert_eq!(username, "alice", "USERNAME for {name}");
        }
        let body = login(&pool, &client, "alice", PASSWORD).await.ok();
        assert_token_names(&body, "alice", &sub);
        let body = password_sign_in(&pool, &client, "alice").await;
        assert_token_names(&body, "alice", &sub);
        let access = tokens(&body)["AccessToken"].as_str().unwrap().to_owned();
        let user = call(&pool, "GetUser", json!({"AccessToken": access}))
            .await
            .ok();
        assert_eq!(user["Username"], "alice");
    }
    let admin = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": pool.user_pool_id().as_str(), "Username": "alice"}),
    )
    .await
    .ok();
    assert_eq!(admin["Username"], "alice");
    // User names are case sensitive (Cognito's API default, CaseSensitive true).
    login(&pool, &public(&pool), "Alice", PASSWORD)
        .await
        .assert_error("UserNotFoundException");
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_email_as_username_users_sign_in_by_email_and_the_sub_is_the_internal_name() {
    let pool = email_pool().await;
    let sub = pool.user_sub("alice@example.com").unwrap();
    assert_eq!(
        pool.internal_username("alice@example.com").as_deref(),
        Some(sub.as_str())
    );
    for client in [public(&pool), secret(&pool)] {
        let (user_id, username) = srp_user_id(&pool, &client, "alice@example.com").await;
        assert_eq!(user_id, sub, "USER_ID_FOR_SRP is the sub");
        assert_eq!(username, sub, "USERNAME is the sub");
        let body = login(&pool, &client, "alice@example.com", PASSWORD)
            .await
            .ok();
        assert_token_names(&body, &sub, &sub);
        let id = claims(tokens(&body)["IdToken"].as_str().unwrap());
        assert_eq!(id["email"], "alice@example.com");
        let body = password_sign_in(&pool, &client, "alice@example.com").await;
        assert_token_names(&body, &sub, &sub);
        let access = tokens(&body)["AccessToken"].as_str().unwrap().to_owned();
        let user = call(&pool, "GetUser", json!({"AccessToken": access}))
            .await
            .ok();
        assert_eq!(user["Username"], sub.as_str());

        // A client that signs with the email instead of USER_ID_FOR_SRP is refused.
        let (reply, session) = initiate(
            &pool,
            &client,
            "alice@example.com",
            PASSWORD,
            StartOptions::default(),
        )
        .await;
        let p = map(&reply.ok()["ChallengeParameters"]);
        let wrong = PasswordVerifierChallenge::new(
            &p["SRP_B"],
            &p["SALT"],
            &p["SECRET_BLOCK"],
            "alice@example.com",
        )
        .unwrap();
        let responses: HashMap<String, String> = session
            .unwrap()
            .respond(&wrong, &CognitoTimestamp::now())
            .unwrap()
            .to_map()
            .into_iter()
            .collect();
        respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses)
            .await
            .assert_error("NotAuthorizedException");

        // With a secret, SECRET_HASH over the email on RespondToAuthChallenge is refused.
        if let Some(client_secret) = client.client_secret() {
            let (reply, session) = initiate(
                &pool,
                &client,
                "alice@example.com",
                PASSWORD,
                StartOptions::default(),
            )
            .await;
            let mut responses = answer(&reply.ok(), session.unwrap(), &CognitoTimestamp::now());
            responses.insert(
                "SECRET_HASH".into(),
                secret_hash(client_secret, "alice@example.com", client.client_id()),
            );
            respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses)
                .await
                .assert_error("NotAuthorizedException");
        }
    }
    let admin = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": pool.user_pool_id().as_str(), "Username": "alice@example.com"}),
    )
    .await
    .ok();
    assert_eq!(admin["Username"], sub.as_str());
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_email_as_username_every_user_name_must_be_an_email() {
    let refused = LocalPool::builder()
        .username_attributes(UsernameAttributes::Email)
        .user(SeedUser::new("alice", Password::new(PASSWORD)))
        .start()
        .await;
    assert!(
        matches!(refused, Err(LocalPoolError::SeedUser { .. })),
        "{refused:?}"
    );
    let pool = email_pool().await;
    let id = pool.user_pool_id().as_str().to_owned();
    let reply = call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "bob", "TemporaryPassword": "Temp-pass1"}),
    )
    .await;
    reply.assert_error("InvalidParameterException");
    assert_eq!(reply.message(), "Username should be an email.");
    let created = call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "bob@example.com", "TemporaryPassword": "Temp-pass1"}),
    )
    .await
    .ok();
    let sub = pool.user_sub("bob@example.com").unwrap();
    assert_eq!(created["User"]["Username"], sub.as_str());
    let email = created["User"]["Attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "email")
        .map(|a| a["Value"].clone());
    assert_eq!(email, Some(json!("bob@example.com")));
    pool.shutdown().await.unwrap();
}
