//! The token manager against the local pool over HTTP: 50 concurrent
//! callers of an about-to-expire session cause one refresh, with refresh-token
//! rotation on and off and device tracking on and off; a revoked or signed-out
//! session ends with `SignInRequired` (and stays ended without requests); a
//! network failure keeps the session; two "processes" sharing a `FileStore`
//! refresh once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{CognitoClient, LoginOptions, LoginOutcome, Tokens};
use cognito_srp_auth::local_pool::{AppClient, DeviceTracking, LocalPool, RunningPool};
use cognito_srp_auth::session::{
    FileStore, MemoryStore, SessionError, StoredSession, TokenManager, TokenManagerOptions,
    TokenStore,
};
use cognito_srp_auth::transport::{HttpTransport, Transport, TransportError};
use cognito_srp_auth::wire::{
    AuthFlow, CognitoOperation, GetTokensFromRefreshTokenRequest,
    GetTokensFromRefreshTokenResponse, InitiateAuthRequest, InitiateAuthResponse,
};

use crate::client_sessions::{client_over, loopback_transport};
use crate::local_pool_http::{PASSWORD, alice, public, secret};

/// Counts the refresh requests Cognito answered with tokens.
#[derive(Debug, Clone)]
struct Counting {
    inner: Arc<HttpTransport>,
    refreshes: Arc<AtomicUsize>,
}

impl Transport for Counting {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        self.inner.call::<Op>(request).await
    }

    async fn initiate_auth(
        &self,
        request: InitiateAuthRequest,
    ) -> Result<InitiateAuthResponse, TransportError> {
        let refresh = matches!(request.auth_flow, Some(AuthFlow::RefreshTokenAuth));
        let response = self.inner.initiate_auth(request).await;
        if refresh && response.is_ok() {
            self.refreshes.fetch_add(1, Ordering::SeqCst);
        }
        response
    }

    async fn get_tokens_from_refresh_token(
        &self,
        request: GetTokensFromRefreshTokenRequest,
    ) -> Result<GetTokensFromRefreshTokenResponse, TransportError> {
        let response = self.inner.get_tokens_from_refresh_token(request).await;
        if response.is_ok() {
            self.refreshes.fetch_add(1, Ordering::SeqCst);
        }
        response
    }
}

/// How far the manager's (and its client's) clock runs ahead: 58 minutes,
/// so that tokens valid for an hour expire within the 5-minute margin.
const AHEAD: TimeDelta = TimeDelta::minutes(58);

fn client(
    pool: &RunningPool,
    app: &AppClient,
    counter: &Arc<AtomicUsize>,
) -> CognitoClient<Counting> {
    let transport = Counting {
        inner: Arc::new(loopback_transport(pool)),
        refreshes: counter.clone(),
    };
    client_over(pool, app, transport)
}

async fn sign_in(client: &CognitoClient<Counting>, remember: bool) -> Tokens {
    let mut options = LoginOptions::default();
    if remember {
        options = options.remember_device("ci-runner", true);
    }
    match client
        .login_with("alice", Password::new(PASSWORD), &options)
        .await
        .unwrap()
    {
        LoginOutcome::Tokens(tokens) => *tokens,
        other => panic!("expected tokens, got {other:?}"),
    }
}

fn ahead_options() -> TokenManagerOptions {
    TokenManagerOptions::new().clock(|| Utc::now() + AHEAD)
}

/// A manager of a fresh sign-in whose clock runs [`AHEAD`]: the session
/// needs a refresh at once, and the refreshed one is good for an hour.
async fn expiring_manager(
    pool: &RunningPool,
    app: &AppClient,
    remember: bool,
) -> (TokenManager<Counting>, Arc<AtomicUsize>) {
    let counter = Arc::new(AtomicUsize::new(0));
    let tokens = sign_in(&client(pool, app, &counter), remember).await;
    assert_eq!(tokens.device_key().is_some(), remember);
    let client = client(pool, app, &counter).with_clock(|| Utc::now() + AHEAD);
    (TokenManager::new(client, tokens, ahead_options()), counter)
}

async fn pool(rotation: bool, tracking: bool) -> RunningPool {
    let mut builder = LocalPool::builder()
        .user(alice())
        .device_tracking(match tracking {
            true => DeviceTracking::Always,
            false => DeviceTracking::Off,
        });
    if rotation {
        // No grace period: a second refresh with the spent token would fail.
        builder = builder.refresh_token_rotation(Duration::ZERO);
    }
    builder.start().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_callers_cause_one_refresh_with_rotation_and_devices() {
    for rotation in [false, true] {
        for tracking in [false, true] {
            let pool = pool(rotation, tracking).await;
            for app in [public(&pool), secret(&pool)] {
                let case = format!(
                    "rotation {rotation}, devices {tracking}, secret {}",
                    app.client_secret().is_some()
                );
                let (manager, counter) = expiring_manager(&pool, &app, tracking).await;
                let before = manager.tokens().await;
                let manager = Arc::new(manager);
                let callers: Vec<_> = (0..50)
                    .map(|i| {
                        let manager = manager.clone();
                        tokio::spawn(async move {
                            match i % 2 {
                                0 => manager
                                    .access_token()
                                    .await
                                    .map(|t| t.expose_secret().to_owned()),
                                _ => manager
                                    .id_token()
                                    .await
                                    .map(|t| t.unwrap().expose_secret().to_owned()),
                            }
                        })
                    })
                    .collect();
                let mut seen = std::collections::BTreeSet::new();
                for caller in callers {
                    seen.insert(
                        caller
                            .await
                            .unwrap()
                            .unwrap_or_else(|e| panic!("{case}: {e:?}")),
                    );
                }
                assert_eq!(counter.load(Ordering::SeqCst), 1, "{case}: refreshes");
                assert_eq!(manager.refresh_count(), 1, "{case}");
                // One access token and one ID token, both new.
                assert_eq!(seen.len(), 2, "{case}");
                assert!(!seen.contains(before.expose_access_token()), "{case}");
                let after = manager.tokens().await;
                assert_eq!(
                    after.device_key(),
                    before.device_key(),
                    "{case}: device kept"
                );
                assert_eq!(
                    after.refresh_token() != before.refresh_token(),
                    rotation,
                    "{case}: a rotated refresh token replaces the old one"
                );
                // Fresh now: no further refresh.
                manager.access_token().await.unwrap();
                assert_eq!(counter.load(Ordering::SeqCst), 1, "{case}");
                // A forced refresh works from the rotated token.
                manager.refresh_now().await.unwrap();
                assert_eq!(manager.refresh_count(), 2, "{case}");
            }
            pool.shutdown().await.unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_session_ends_with_sign_in_required_and_stays_ended() {
    for rotation in [false, true] {
        let pool = pool(rotation, true).await;
        let app = public(&pool);
        let (manager, counter) = expiring_manager(&pool, &app, true).await;
        let tokens = manager.tokens().await;
        manager
            .client()
            .revoke_token(tokens.refresh_token().unwrap())
            .await
            .unwrap();
        let error = manager.access_token().await.unwrap_err();
        assert!(
            matches!(&error, SessionError::SignInRequired { reason } if reason == "NotAuthorizedException"),
            "rotation {rotation}: {error:?}"
        );
        assert!(!error.is_retryable());
        assert!(error.to_string().contains("a new sign-in is needed"));
        // Ended: no request any more, the same error.
        let requests = counter.load(Ordering::SeqCst);
        for _ in 0..3 {
            assert!(manager.id_token().await.unwrap_err().is_sign_in_required());
            assert!(
                manager
                    .refresh_now()
                    .await
                    .unwrap_err()
                    .is_sign_in_required()
            );
        }
        assert_eq!(counter.load(Ordering::SeqCst), requests);
        pool.shutdown().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_sign_out_and_sign_out_end_the_session() {
    let pool = pool(false, false).await;
    let app = public(&pool);
    let (manager, _) = expiring_manager(&pool, &app, false).await;
    let tokens = manager.tokens().await;
    manager
        .client()
        .global_sign_out(tokens.access_token())
        .await
        .unwrap();
    assert!(
        manager
            .refresh_now()
            .await
            .unwrap_err()
            .is_sign_in_required()
    );

    let (manager, _) = expiring_manager(&pool, &app, false).await;
    let store = Arc::new(MemoryStore::new());
    let manager = manager.with_store(store.clone());
    manager.save().await.unwrap();
    assert!(store.load().unwrap().is_some());
    manager.sign_out().await.unwrap();
    assert!(store.load().unwrap().is_none(), "sign-out clears the store");
    let error = manager.access_token().await.unwrap_err();
    assert!(error.is_sign_in_required(), "{error:?}");
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_failure_keeps_the_session_and_the_store_follows_refreshes() {
    let pool = pool(true, true).await;
    let app = public(&pool);
    let (manager, _) = expiring_manager(&pool, &app, true).await;
    let store = Arc::new(MemoryStore::new());
    let manager = manager.with_store(store.clone());
    let token = manager.access_token().await.unwrap();
    let stored = store.load().unwrap().expect("saved after the refresh");
    assert_eq!(stored.tokens().access_token(), &token);
    assert_eq!(
        stored.refresh_token(),
        manager.tokens().await.refresh_token()
    );
    assert!(stored.tokens().device_key().is_some());
    pool.shutdown().await.unwrap();
    // The pool is gone: a network failure, retryable, the session kept.
    let error = manager.refresh_now().await.unwrap_err();
    assert!(matches!(error, SessionError::Refresh(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(manager.tokens().await.access_token(), &token);
}

/// Two processes (threads with a runtime and a `FileStore` of their own)
/// with the same stored session that needs a refresh: the lock lets one
/// refresh; the other takes the session it saved. With rotation and no grace
/// period a second refresh would have been refused.
#[test]
fn two_processes_sharing_a_file_store_refresh_once() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let pool = runtime.block_on(pool(true, true));
    let app = public(&pool);
    let counter = Arc::new(AtomicUsize::new(0));
    let tokens = runtime.block_on(sign_in(&client(&pool, &app, &counter), true));
    let dir = std::env::temp_dir().join(format!("cognito-srp-manager-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("profile.json");
    let session = StoredSession::new(pool.user_pool_id().clone(), app.client_id().clone(), tokens);
    FileStore::new(&path).save(&session).unwrap();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (pool_id, endpoint) = (pool.user_pool_id().clone(), pool.endpoint().to_owned());
            let (app, counter, path) = (app.clone(), counter.clone(), path.clone());
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    let store = FileStore::new(&path);
                    let session = store.load().unwrap().unwrap();
                    let transport = HttpTransport::builder()
                        .user_pool(&pool_id)
                        .endpoint(endpoint)
                        .build()
                        .unwrap();
                    let transport = Counting {
                        inner: Arc::new(transport),
                        refreshes: counter,
                    };
                    let client = CognitoClient::new(pool_id, app.client_id().clone(), transport)
                        .with_clock(|| Utc::now() + AHEAD);
                    let manager = TokenManager::from_session(client, session, ahead_options())
                        .with_store(store);
                    manager
                        .access_token()
                        .await
                        .map(|t| t.expose_secret().to_owned())
                })
            })
        })
        .collect();
    let tokens: Vec<_> = workers
        .into_iter()
        .map(|w| w.join().unwrap().unwrap())
        .collect();
    assert_eq!(counter.load(Ordering::SeqCst), 1, "one refresh");
    assert_eq!(tokens[0], tokens[1], "both hold the refreshed token");
    let stored = FileStore::new(&path).load().unwrap().unwrap();
    assert_eq!(stored.tokens().expose_access_token(), tokens[0]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    runtime.block_on(pool.shutdown()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn debug_of_the_manager_types_shows_no_token() {
    let options = TokenManagerOptions::new().refresh_margin(Duration::from_secs(60));
    assert!(format!("{options:?}").contains("60s"));
    let store = MemoryStore::new();
    assert!(!format!("{store:?}").contains("eyJ"));
}
