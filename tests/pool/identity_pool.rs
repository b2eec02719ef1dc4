//! The local pool's identity pool (`LocalPoolBuilder::identity_pool`, `serve
//! --identity-pool`) through the library's `IdentityPoolClient` over HTTP:
//! `GetId` and `GetCredentialsForIdentity` for the pool's own ID tokens,
//! and the refusals (a tampered, expired or access token, a foreign
//! `Logins` key, another user's identity, unknown pools and identities).

use std::time::Duration;

use chrono::Utc;
use cognito_srp_auth::Password;
use cognito_srp_auth::identity::{IdentityPoolClient, logins_key, logins_map};
use cognito_srp_auth::local_pool::{DeviceTracking, LocalPool, RunningPool, SeedUser};
use cognito_srp_auth::transport::{HttpTransport, TransportError};
use cognito_srp_auth::wire::{
    GetCredentialsForIdentityRequest, GetIdRequest, ParameterMap, ServiceErrorKind,
};
use serde_json::json;

use crate::local_pool_http::{PASSWORD, alice, call, login, public, tokens};

async fn identity_pool() -> RunningPool {
    LocalPool::builder()
        .user(alice())
        .user(SeedUser::new("bob", Password::new(PASSWORD)))
        .device_tracking(DeviceTracking::Off)
        .identity_pool(true)
        .start()
        .await
        .unwrap()
}

fn client(pool: &RunningPool) -> IdentityPoolClient {
    IdentityPoolClient::from_builder(
        HttpTransport::builder()
            .endpoint(pool.endpoint())
            .max_attempts(1),
    )
    .unwrap()
}

/// `(ID token, access token)` of `name`.
async fn sign_in(pool: &RunningPool, name: &str) -> (String, String) {
    let reply = login(pool, &public(pool), name, PASSWORD).await.ok();
    let result = tokens(&reply);
    (
        result["IdToken"].as_str().unwrap().to_owned(),
        result["AccessToken"].as_str().unwrap().to_owned(),
    )
}

fn assert_refused(error: &TransportError, kind: ServiceErrorKind, message: &str) {
    match error {
        TransportError::Service {
            kind: seen,
            message: said,
            ..
        } => {
            assert_eq!(seen, &kind, "{error}");
            assert!(said.starts_with(message), "{error}");
        }
        other => panic!("not a service error: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_gets_a_stable_identity_and_well_formed_credentials() {
    let pool = identity_pool().await;
    let identity_pool_id = pool.identity_pool_id().unwrap().to_owned();
    let (region, uuid) = identity_pool_id.split_once(':').unwrap();
    assert_eq!(region, pool.region());
    assert_eq!(uuid.len(), 36);
    let client = client(&pool);
    let (id_token, _) = sign_in(&pool, "alice").await;
    let credentials = client
        .credentials(&identity_pool_id, pool.user_pool_id(), &id_token)
        .await
        .unwrap();
    let key = credentials.access_key_id();
    assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
    assert!(
        key.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    );
    assert_eq!(credentials.secret_access_key().len(), 40);
    assert!(credentials.session_token().len() > 300);
    let lifetime = credentials.expiration() - Utc::now();
    assert!(
        lifetime > chrono::Duration::minutes(59) && lifetime <= chrono::Duration::hours(1),
        "{lifetime}"
    );
    let identity = credentials.identity_id().unwrap().to_owned();
    assert!(identity.starts_with(&format!("{region}:")), "{identity}");
    // The same user, a new sign-in: the same identity; another user: another.
    let (again, _) = sign_in(&pool, "alice").await;
    let same = client
        .identity_id(&identity_pool_id, pool.user_pool_id(), &again)
        .await
        .unwrap();
    assert_eq!(same, identity);
    let (bob, _) = sign_in(&pool, "bob").await;
    let other = client
        .identity_id(&identity_pool_id, pool.user_pool_id(), &bob)
        .await
        .unwrap();
    assert_ne!(other, identity);
    // Fresh credentials each time.
    let second = client
        .credentials_for_identity(&identity, pool.user_pool_id(), &again)
        .await
        .unwrap();
    assert_ne!(second.access_key_id(), credentials.access_key_id());
    // Bob's token does not open Alice's identity.
    let error = client
        .credentials_for_identity(&identity, pool.user_pool_id(), &bob)
        .await
        .unwrap_err();
    assert_refused(
        &error,
        ServiceErrorKind::NotAuthorized,
        "Logins don't match.",
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_access_foreign_and_missing_logins_are_not_authorized() {
    let pool = identity_pool().await;
    let identity_pool_id = pool.identity_pool_id().unwrap().to_owned();
    let client = client(&pool);
    let (id_token, access_token) = sign_in(&pool, "alice").await;
    let get_id = |logins: Option<ParameterMap>| {
        let mut request = GetIdRequest::new(identity_pool_id.clone(), ParameterMap::new());
        request.logins = logins;
        let client = client.clone();
        async move { client.get_id(&request).await.unwrap_err() }
    };
    // A changed payload: the signature no longer matches.
    let mut parts: Vec<String> = id_token.split('.').map(str::to_owned).collect();
    let flipped = if parts[1].ends_with('A') { 'B' } else { 'A' };
    parts[1].pop();
    parts[1].push(flipped);
    let tampered = parts.join(".");
    let error = get_id(Some(logins_map(pool.user_pool_id(), &tampered))).await;
    assert_refused(
        &error,
        ServiceErrorKind::NotAuthorized,
        "Invalid login token. Couldn't verify signed token.",
    );
    // An access token has no `aud`.
    let error = get_id(Some(logins_map(pool.user_pool_id(), &access_token))).await;
    assert_refused(
        &error,
        ServiceErrorKind::NotAuthorized,
        "Invalid login token. Missing a required claim: aud",
    );
    // A token of another user pool (another key).
    let other = identity_pool().await;
    let (foreign, _) = sign_in(&other, "alice").await;
    let error = get_id(Some(logins_map(pool.user_pool_id(), &foreign))).await;
    assert_refused(
        &error,
        ServiceErrorKind::NotAuthorized,
        "Invalid login token. Couldn't verify signed token.",
    );
    // Its Logins key names another user pool.
    let error = get_id(Some(
        [(logins_key(other.user_pool_id()), id_token.clone())]
            .into_iter()
            .collect(),
    ))
    .await;
    assert_refused(
        &error,
        ServiceErrorKind::NotAuthorized,
        "Invalid login token. Issuer doesn't match providerName",
    );
    other.shutdown().await.unwrap();
    // No Logins: this identity pool has no unauthenticated identities.
    for logins in [None, Some(ParameterMap::new())] {
        let error = get_id(logins).await;
        assert_refused(
            &error,
            ServiceErrorKind::NotAuthorized,
            "Unauthenticated access is not supported for this identity pool.",
        );
    }
    // The issuer without its scheme is accepted as a key too.
    let bare = pool.issuer().trim_start_matches("http://").to_owned();
    let request = GetIdRequest::new(
        identity_pool_id.clone(),
        [(bare, id_token.clone())].into_iter().collect(),
    );
    assert!(client.get_id(&request).await.unwrap().identity_id.is_some());
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_id_token_is_not_authorized() {
    let pool = LocalPool::builder()
        .user(alice())
        .device_tracking(DeviceTracking::Off)
        .access_token_validity(Duration::from_secs(1))
        .identity_pool(true)
        .start()
        .await
        .unwrap();
    let identity_pool_id = pool.identity_pool_id().unwrap().to_owned();
    let client = client(&pool);
    let (id_token, _) = sign_in(&pool, "alice").await;
    let identity = client
        .identity_id(&identity_pool_id, pool.user_pool_id(), &id_token)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let error = client
        .credentials_for_identity(&identity, pool.user_pool_id(), &id_token)
        .await
        .unwrap_err();
    assert_refused(
        &error,
        ServiceErrorKind::NotAuthorized,
        "Invalid login token. Token expired: ",
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_identity_pools_and_identities_are_not_found() {
    let pool = identity_pool().await;
    let client = client(&pool);
    let (id_token, _) = sign_in(&pool, "alice").await;
    let logins = logins_map(pool.user_pool_id(), &id_token);
    let unknown = "us-east-1:00000000-0000-4000-8000-000000000000";
    let error = client
        .get_id(&GetIdRequest::new(unknown, logins.clone()))
        .await
        .unwrap_err();
    assert_refused(
        &error,
        ServiceErrorKind::ResourceNotFound,
        &format!("IdentityPool '{unknown}' not found."),
    );
    let error = client
        .get_credentials_for_identity(&GetCredentialsForIdentityRequest::new(unknown, logins))
        .await
        .unwrap_err();
    assert_refused(
        &error,
        ServiceErrorKind::ResourceNotFound,
        &format!("Identity '{unknown}' not found."),
    );
    // Cognito Identity's target prefix only names its own operations, and
    // the user-pool prefix does not reach them.
    let reply = call(
        &pool,
        "GetId",
        json!({"IdentityPoolId": pool.identity_pool_id()}),
    )
    .await;
    reply.assert_error("UnknownOperationException");
    pool.shutdown().await.unwrap();

    // A pool without an identity pool answers neither operation.
    let plain = LocalPool::builder().user(alice()).start().await.unwrap();
    assert!(plain.identity_pool_id().is_none());
    let error =
        IdentityPoolClient::from_builder(HttpTransport::builder().endpoint(plain.endpoint()))
            .unwrap()
            .get_id(&GetIdRequest::new(unknown, ParameterMap::new()))
            .await
            .unwrap_err();
    assert_eq!(
        error.service_code(),
        Some("UnknownOperationException"),
        "{error}"
    );
    plain.shutdown().await.unwrap();
}
