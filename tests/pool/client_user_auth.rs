//! The crate's own client signing in with `USER_AUTH` against the local
//! pool: SRP in one round trip, the user's choice, passwordless codes by
//! email and SMS, a remembered device, and with and without a client secret.

use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{
    ChallengeAnswer, ChallengeKind, CognitoClient, FirstFactor, LoginFlow, LoginOptions,
    LoginOutcome, Tokens,
};
use cognito_srp_auth::local_pool::{FirstAuthFactors, LocalPool, RunningPool, SeedUser};
use cognito_srp_auth::transport::HttpTransport;
use cognito_srp_auth::wire::ChallengeName;

use crate::client_sessions::client;
use crate::local_pool_http::PASSWORD;

async fn pool() -> RunningPool {
    LocalPool::builder()
        .first_auth_factors(FirstAuthFactors::all())
        .user(
            SeedUser::new("alice", Password::new(PASSWORD))
                .attribute("email", "alice@example.com")
                .attribute("email_verified", "true")
                .attribute("phone_number", "+15550001234")
                .attribute("phone_number_verified", "true"),
        )
        .start()
        .await
        .unwrap()
}

fn clients(pool: &RunningPool) -> Vec<CognitoClient<HttpTransport>> {
    [pool.public_client(), pool.secret_client()]
        .into_iter()
        .map(|app| client(pool, app.unwrap()))
        .collect()
}

fn tokens(outcome: LoginOutcome) -> Tokens {
    match outcome {
        LoginOutcome::Tokens(tokens) => *tokens,
        LoginOutcome::Challenge(challenge) => panic!("expected tokens, got {challenge:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_auth_with_srp_the_users_choice_and_passwordless_codes() {
    let pool = pool().await;
    for client in clients(&pool) {
        // PASSWORD_SRP preferred: SRP_A on InitiateAuth, PASSWORD_VERIFIER answered.
        let options = LoginOptions::default().flow(LoginFlow::UserAuth);
        let signed_in = tokens(
            client
                .login_with("alice", Password::new(PASSWORD), &options)
                .await
                .unwrap(),
        );
        assert_eq!(signed_in.username(), Some("alice"));

        // No preference: the choices come back, the caller picks SRP.
        let choice = client
            .login_user_auth("alice", None, &LoginOptions::default())
            .await
            .unwrap()
            .into_challenge()
            .expect("SELECT_CHALLENGE");
        let ChallengeKind::SelectChallenge { available } = choice.kind() else {
            panic!("{choice:?}")
        };
        for factor in [
            ChallengeName::PasswordSrp,
            ChallengeName::Password,
            ChallengeName::EmailOtp,
            ChallengeName::SmsOtp,
        ] {
            assert!(available.contains(&factor), "{available:?}");
        }
        tokens(
            client
                .answer(
                    choice,
                    ChallengeAnswer::Select(FirstFactor::PasswordSrp(Password::new(PASSWORD))),
                )
                .await
                .unwrap(),
        );

        // Passwordless by email, then by SMS: the code the pool sent.
        for (factor, email) in [(FirstFactor::EmailOtp, true), (FirstFactor::SmsOtp, false)] {
            let challenge = client
                .login_user_auth("alice", Some(factor), &LoginOptions::default())
                .await
                .unwrap()
                .into_challenge()
                .expect("a code challenge");
            match (challenge.kind(), email) {
                (ChallengeKind::EmailOtp { destination }, true)
                | (ChallengeKind::SmsOtp { destination }, false) => {
                    assert!(destination.is_some(), "{challenge:?}")
                }
                other => panic!("{other:?}"),
            }
            let code = if email {
                pool.last_email_code("alice")
            } else {
                pool.last_sms_code("alice")
            }
            .expect("a code was sent");
            tokens(
                client
                    .answer(challenge, ChallengeAnswer::code(code.as_str()))
                    .await
                    .unwrap(),
            );
        }
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_device_signs_in_through_user_auth() {
    let pool = pool().await;
    let client = clients(&pool).remove(1);
    let remember = LoginOptions::default()
        .flow(LoginFlow::UserAuth)
        .remember_device("laptop", true);
    let first = tokens(
        client
            .login_with("alice", Password::new(PASSWORD), &remember)
            .await
            .unwrap(),
    );
    let credentials = first.device_credentials().cloned().expect("confirmed");
    let options = LoginOptions::default()
        .flow(LoginFlow::UserAuth)
        .device(credentials.clone());
    let again = tokens(
        client
            .login_with("alice", Password::new(PASSWORD), &options)
            .await
            .unwrap(),
    );
    assert_eq!(again.device_key(), Some(credentials.device_key()));
    assert!(again.new_device_metadata().is_none());
    assert!(again.stale_device().is_none());
    client.refresh_tokens(&again).await.unwrap();
    pool.shutdown().await.unwrap();
}
