//! Brute-force controls of the local pool over real loopback HTTP: wrong MFA
//! codes count per user across sessions and lock the user out (a right
//! password does not reset the count, a right code does); concurrent answers
//! run no more password or code checks than the lockout allows; a TOTP code
//! (its time step) is accepted once per user.
#![cfg(feature = "local-pool")]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_srp_auth::local_pool::{
    AppClient, FirstAuthFactors, Limits, LocalPool, MfaConfiguration, RunningPool, SeedUser,
    TotpSecret,
};
use cognito_srp_auth::{CognitoTimestamp, StartOptions};
use serde_json::{Value, json};

use crate::local_pool_http::{
    PASSWORD, Reply, alice, answer, call, initiate, login, public, respond, tokens,
};
use crate::support::totp::{TotpSteps, totp};

const LOCKED: &str = "Password attempts exceeded";
const WRONG_PASSWORD: &str = "Incorrect username or password.";
const WRONG_CODE: &str = "Invalid code received for user";
/// Concurrent answers in the races below (the pool's default
/// `max_concurrent_requests`: all of them are computed at once).
const RACERS: usize = 64;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A pool with Alice (TOTP MFA with `secret` when given) and Bob, locking
/// out after the default five failures for `lockout_base`.
async fn start(secret: Option<TotpSecret>, lockout_base: Duration) -> RunningPool {
    let mut limits = Limits::default();
    assert_eq!(limits.max_failed_attempts, 5);
    limits.lockout_base = lockout_base;
    let alice = match secret {
        Some(secret) => alice().totp_secret(secret),
        None => alice(),
    };
    LocalPool::builder()
        .user(alice)
        .user(SeedUser::new(
            "bob",
            cognito_srp_auth::Password::new("Password9!"),
        ))
        .mfa(MfaConfiguration::Optional)
        .limits(limits)
        .start()
        .await
        .unwrap()
}

fn secret(bytes: &[u8; 20]) -> (TotpSecret, String) {
    let secret = TotpSecret::from_bytes(bytes);
    let base32 = secret.expose_base32().to_string();
    (secret, base32)
}

/// A six-digit code that is right for no step the pool accepts now (or soon).
fn wrong_code(base32: &str) -> String {
    let unix = now();
    let right: Vec<String> = (-2..=3).map(|k| totp(base32, unix + 30 * k)).collect();
    (0..)
        .map(|n: u32| {
            format!(
                "{:06}",
                (right[0].parse::<u32>().unwrap() + 1 + n) % 1_000_000
            )
        })
        .find(|code| !right.contains(code))
        .unwrap()
}

/// A fresh SRP sign-in with the right password: the `SOFTWARE_TOKEN_MFA` session.
async fn mfa_session(pool: &RunningPool, client: &AppClient) -> String {
    let body = login(pool, client, "alice", PASSWORD).await.ok();
    assert_eq!(body["ChallengeName"], "SOFTWARE_TOKEN_MFA", "{body}");
    body["Session"].as_str().unwrap().to_owned()
}

/// A fresh `USER_PASSWORD_AUTH` sign-in (the right password): the MFA session.
async fn plain_mfa_session(pool: &RunningPool, client: &AppClient) -> String {
    let body = call(
        pool,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client.client_id().as_str(),
               "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD}}),
    )
    .await
    .ok();
    assert_eq!(body["ChallengeName"], "SOFTWARE_TOKEN_MFA", "{body}");
    body["Session"].as_str().unwrap().to_owned()
}

async fn answer_code(pool: &RunningPool, client: &AppClient, session: &str, code: &str) -> Reply {
    let responses = HashMap::from([
        ("USERNAME".to_owned(), "alice".to_owned()),
        ("SOFTWARE_TOKEN_MFA_CODE".to_owned(), code.to_owned()),
    ]);
    respond(
        pool,
        client,
        "SOFTWARE_TOKEN_MFA",
        Some(session),
        &responses,
    )
    .await
}

fn assert_refused(reply: &Reply, code: &str, message: &str) {
    reply.assert_error(code);
    assert_eq!(reply.message(), message);
}

fn locked(reply: &Reply) {
    assert_refused(reply, "NotAuthorizedException", LOCKED);
}

fn mismatch(reply: &Reply) {
    assert_refused(reply, "CodeMismatchException", WRONG_CODE);
}

/// How many replies carry each message (`__type: message`).
fn tally(replies: &[Reply]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for reply in replies {
        *counts
            .entry(format!("{}: {}", reply.error_type(), reply.message()))
            .or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_mfa_codes_lock_the_user_out_across_fresh_sessions() {
    const BASE: Duration = Duration::from_secs(2);
    let (secret, base32) = secret(b"brute-force-secret-1");
    let steps = TotpSteps::new(&base32);
    let pool = start(Some(secret), BASE).await;
    let client = public(&pool);

    // Five wrong codes, each in a fresh session that a right password opened:
    // the password resets nothing, the fifth locks Alice out.
    for _ in 0..5 {
        let session = mfa_session(&pool, &client).await;
        mismatch(&answer_code(&pool, &client, &session, &wrong_code(&base32)).await);
    }
    let locked_at = Instant::now();
    // Locked: the right password still reaches the MFA step (passwords are
    // counted apart), but the right code is refused and its session spent.
    let session = mfa_session(&pool, &client).await;
    locked(&answer_code(&pool, &client, &session, &totp(&base32, now())).await);
    let again = answer_code(&pool, &client, &session, &totp(&base32, now())).await;
    again.assert_error("NotAuthorizedException");
    assert_ne!(
        again.message(),
        LOCKED,
        "the refused answer spent its session"
    );
    // Wrong codes while locked are not counted (nor checked).
    let session = plain_mfa_session(&pool, &client).await;
    locked(&answer_code(&pool, &client, &session, &wrong_code(&base32)).await);
    assert!(
        locked_at.elapsed() < BASE,
        "the machine is too slow for this test's timing"
    );
    // Bob is unaffected.
    tokens(&login(&pool, &client, "bob", "Password9!").await.ok());

    // Expired: the right code signs in and the count starts over.
    tokio::time::sleep(BASE.saturating_sub(locked_at.elapsed()) + Duration::from_millis(100)).await;
    let session = mfa_session(&pool, &client).await;
    tokens(
        &answer_code(&pool, &client, &session, &steps.next().await)
            .await
            .ok(),
    );
    for _ in 0..2 {
        // Two wrong codes per session (a session takes three).
        let session = plain_mfa_session(&pool, &client).await;
        mismatch(&answer_code(&pool, &client, &session, &wrong_code(&base32)).await);
        mismatch(&answer_code(&pool, &client, &session, &wrong_code(&base32)).await);
    }
    let session = mfa_session(&pool, &client).await;
    tokens(
        &answer_code(&pool, &client, &session, &steps.next().await)
            .await
            .ok(),
    );
    pool.shutdown().await.unwrap();
}

/// Sends every `(session, responses)` answer at once; the replies.
async fn race(
    pool: &Arc<RunningPool>,
    client: &AppClient,
    name: &'static str,
    answers: Vec<(Option<String>, HashMap<String, String>)>,
) -> Vec<Reply> {
    let tasks: Vec<_> = answers
        .into_iter()
        .map(|(session, responses)| {
            let (pool, client) = (pool.clone(), client.clone());
            tokio::spawn(async move {
                respond(&pool, &client, name, session.as_deref(), &responses).await
            })
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    replies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_wrong_passwords_get_no_more_checks_than_the_limit() {
    const BASE: Duration = Duration::from_secs(4);
    let pool = Arc::new(start(None, BASE).await);
    let client = public(&pool);
    // 64 sign-ins started beforehand, each answered with a wrong password.
    let mut answers = Vec::new();
    for _ in 0..RACERS {
        let (reply, session) = initiate(
            &pool,
            &client,
            "alice",
            "Wrong-pass1",
            StartOptions::default(),
        )
        .await;
        let responses = answer(&reply.ok(), session.unwrap(), &CognitoTimestamp::now());
        answers.push((None, responses));
    }
    let started = Instant::now();
    let replies = race(&pool, &client, "PASSWORD_VERIFIER", answers).await;
    let counts = tally(&replies);
    assert_checks_within_limit(
        &counts,
        &format!("NotAuthorizedException: {WRONG_PASSWORD}"),
        started.elapsed() < BASE,
    );
    assert_eq!(pool.pending_sign_ins(), 0, "every block spent");
    // Locked: the right password too; Bob is unaffected.
    locked(&login(&pool, &client, "alice", PASSWORD).await);
    tokens(&login(&pool, &client, "bob", "Password9!").await.ok());
    // Not forever: after the lockout the right password signs in.
    tokio::time::sleep(BASE + Duration::from_millis(100)).await;
    tokens(&login(&pool, &client, "alice", PASSWORD).await.ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_wrong_mfa_codes_get_no_more_checks_than_the_limit() {
    const BASE: Duration = Duration::from_secs(4);
    let (secret, base32) = secret(b"brute-force-secret-2");
    let pool = Arc::new(start(Some(secret), BASE).await);
    let client = public(&pool);
    // 64 MFA sessions, each opened by the right password, each answered
    // with a wrong code.
    let mut answers = Vec::new();
    for _ in 0..RACERS {
        let session = plain_mfa_session(&pool, &client).await;
        let responses = HashMap::from([
            ("USERNAME".to_owned(), "alice".to_owned()),
            ("SOFTWARE_TOKEN_MFA_CODE".to_owned(), wrong_code(&base32)),
        ]);
        answers.push((Some(session), responses));
    }
    let started = Instant::now();
    let replies = race(&pool, &client, "SOFTWARE_TOKEN_MFA", answers).await;
    let counts = tally(&replies);
    assert_checks_within_limit(
        &counts,
        &format!("CodeMismatchException: {WRONG_CODE}"),
        started.elapsed() < BASE,
    );
    // Locked: the right code too.
    let session = mfa_session(&pool, &client).await;
    locked(&answer_code(&pool, &client, &session, &totp(&base32, now())).await);
    // Not forever: after the lockout the right code signs in.
    tokio::time::sleep(BASE + Duration::from_millis(100)).await;
    let session = mfa_session(&pool, &client).await;
    tokens(
        &answer_code(&pool, &client, &session, &totp(&base32, now()))
            .await
            .ok(),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_totp_code_is_accepted_once() {
    let (secret, base32) = secret(b"brute-force-secret-3");
    let steps = TotpSteps::new(&base32);
    let pool = start(Some(secret), Duration::from_secs(1)).await;
    let client = public(&pool);

    // A code signs in once; the same code again (same step) is a wrong code,
    // and the session it was sent in takes a later step's code.
    let code = steps.next().await;
    let session = mfa_session(&pool, &client).await;
    let body = answer_code(&pool, &client, &session, &code).await.ok();
    let access = tokens(&body)["AccessToken"].as_str().unwrap().to_owned();
    let session = mfa_session(&pool, &client).await;
    mismatch(&answer_code(&pool, &client, &session, &code).await);
    tokens(
        &answer_code(&pool, &client, &session, &steps.next().await)
            .await
            .ok(),
    );

    // VerifySoftwareToken spends its code too: a new secret, verified with
    // a code, does not sign in with that code, but with a later one; the old
    // secret's codes no longer work.
    let associated = call(
        &pool,
        "AssociateSoftwareToken",
        json!({"AccessToken": access}),
    )
    .await
    .ok();
    let new_base32 = associated["SecretCode"].as_str().unwrap().to_owned();
    let new_steps = TotpSteps::new(&new_base32);
    let setup_code = new_steps.next().await;
    let verified: Value = call(
        &pool,
        "VerifySoftwareToken",
        json!({"AccessToken": access, "UserCode": setup_code}),
    )
    .await
    .ok();
    assert_eq!(verified["Status"], "SUCCESS");
    let session = mfa_session(&pool, &client).await;
    mismatch(&answer_code(&pool, &client, &session, &setup_code).await);
    mismatch(&answer_code(&pool, &client, &session, &totp(&base32, now())).await);
    tokens(
        &answer_code(&pool, &client, &session, &new_steps.next().await)
            .await
            .ok(),
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_right_passwords_all_sign_in() {
    // More answers at once than the lockout's five places: the others wait
    // for a place (a right proof frees them) instead of being refused.
    let pool = Arc::new(start(None, Duration::from_secs(60)).await);
    let client = public(&pool);
    let mut answers = Vec::new();
    for _ in 0..16 {
        let (reply, session) =
            initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
        let responses = answer(&reply.ok(), session.unwrap(), &CognitoTimestamp::now());
        answers.push((None, responses));
    }
    for reply in race(&pool, &client, "PASSWORD_VERIFIER", answers).await {
        tokens(&reply.ok());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_user_auth_email_codes_count_across_sessions() {
    const BASE: Duration = Duration::from_secs(2);
    let mut limits = Limits::default();
    limits.lockout_base = BASE;
    let pool = LocalPool::builder()
        .first_auth_factors(FirstAuthFactors::all())
        .user(alice())
        .limits(limits)
        .start()
        .await
        .unwrap();
    let client = public(&pool);
    let email_session = async || {
        let body = call(
            &pool,
            "InitiateAuth",
            json!({"AuthFlow": "USER_AUTH", "ClientId": client.client_id().as_str(),
                   "AuthParameters": {"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}}),
        )
        .await
        .ok();
        assert_eq!(body["ChallengeName"], "EMAIL_OTP", "{body}");
        body["Session"].as_str().unwrap().to_owned()
    };
    let answer = async |session: &str, code: &str| {
        call(
            &pool,
            "RespondToAuthChallenge",
            json!({"ChallengeName": "EMAIL_OTP", "ClientId": client.client_id().as_str(),
                   "Session": session,
                   "ChallengeResponses": {"USERNAME": "alice", "EMAIL_OTP_CODE": code}}),
        )
        .await
    };
    // Five wrong codes, each in a fresh session (a fresh code sent each time).
    for _ in 0..5 {
        let session = email_session().await;
        mismatch(&answer(&session, "000000x").await);
    }
    let locked_at = Instant::now();
    let session = email_session().await;
    let right = pool.last_email_code("alice").unwrap().to_string();
    locked(&answer(&session, &right).await);
    assert!(
        locked_at.elapsed() < BASE,
        "the machine is too slow for this test's timing"
    );
    tokio::time::sleep(BASE.saturating_sub(locked_at.elapsed()) + Duration::from_millis(100)).await;
    let session = email_session().await;
    let right = pool.last_email_code("alice").unwrap().to_string();
    tokens(&answer(&session, &right).await.ok());
    pool.shutdown().await.unwrap();
}

/// Of [`RACERS`] concurrent wrong answers, every one was either checked
/// (`checked_reply`) or refused as locked, and at most the limit (5) were
/// checked. `in_time`: the race finished before the first lockout ended
/// (otherwise the count would not mean anything).
fn assert_checks_within_limit(counts: &HashMap<String, usize>, checked_reply: &str, in_time: bool) {
    let count = |reply: &str| counts.get(reply).copied().unwrap_or(0);
    let checked = count(checked_reply);
    let refused = count(&format!("NotAuthorizedException: {LOCKED}"));
    assert!(in_time, "the machine is too slow for this test's timing");
    assert_eq!(checked + refused, RACERS, "{counts:?}");
    assert!((1..=5).contains(&checked), "checked: {counts:?}");
}
