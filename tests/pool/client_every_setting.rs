//! The crate's own client against the local pool in every setting a real
//! pool and app client can have: device tracking off / always / opt-in,
//! refresh-token rotation on / off, user-name and email pools, with and
//! without a client secret. Each
//! runs the whole session: sign-in with TOTP, the device confirmed and
//! remembered, refresh, a second sign-in as the device (MFA skipped), and
//! sign-out (revocation, then global).

use std::time::Duration;

use cognito_srp_auth::flow::{
    ChallengeAnswer, ChallengeKind, CognitoClient, LoginOptions, LoginOutcome, SecretAnswer, Tokens,
};
use cognito_srp_auth::local_pool::{
    DeviceTracking, LocalPool, MfaConfiguration, RunningPool, SeedUser, TotpSecret,
    UsernameAttributes,
};
use cognito_srp_auth::transport::HttpTransport;
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::{DeviceCredentials, Password};

use crate::client_sessions::client;
use crate::local_pool_http::PASSWORD;
use crate::support::totp;

/// One pool and app-client setting.
#[derive(Debug, Clone, Copy)]
struct Setting {
    tracking: DeviceTracking,
    rotation: bool,
    /// Email as user name (`UsernameAttributes: [email]`).
    email: bool,
    secret: bool,
}

impl Setting {
    /// What the user signs in with.
    fn alice(self) -> &'static str {
        if self.email {
            "alice@example.com"
        } else {
            "alice"
        }
    }

    fn bob(self) -> &'static str {
        if self.email { "bob@example.com" } else { "bob" }
    }
}

fn every_setting() -> Vec<Setting> {
    let mut settings = Vec::new();
    for tracking in [
        DeviceTracking::Off,
        DeviceTracking::Always,
        DeviceTracking::OptIn,
    ] {
        for rotation in [false, true] {
            for email in [false, true] {
                for secret in [false, true] {
                    settings.push(Setting {
                        tracking,
                        rotation,
                        email,
                        secret,
                    });
                }
            }
        }
    }
    settings
}

async fn start(setting: Setting, totp_secret: TotpSecret) -> RunningPool {
    let mut builder = LocalPool::builder()
        .mfa(MfaConfiguration::Optional)
        .device_tracking(setting.tracking)
        .user(
            SeedUser::new(setting.alice(), Password::new(PASSWORD))
                .attribute("email", "alice@example.com")
                .totp_secret(totp_secret),
        )
        .user(SeedUser::new(setting.bob(), Password::new(PASSWORD)));
    if setting.email {
        builder = builder.username_attributes(UsernameAttributes::Email);
    }
    if setting.rotation {
        builder = builder.refresh_token_rotation(Duration::ZERO);
    }
    builder.start().await.unwrap()
}

fn refresh_of(tokens: &Tokens) -> String {
    tokens.refresh_token().unwrap().expose_secret().to_owned()
}

/// The first sign-in: the password, then the authenticator's code.
async fn sign_in_with_totp(
    client: &CognitoClient<HttpTransport>,
    username: &str,
    options: &LoginOptions,
    base32: &str,
) -> Tokens {
    let outcome = client
        .login_with(username, Password::new(PASSWORD), options)
        .await
        .unwrap();
    let LoginOutcome::Challenge(challenge) = outcome else {
        panic!("the first sign-in asks for TOTP: {outcome:?}")
    };
    assert!(
        matches!(challenge.kind(), ChallengeKind::SoftwareTokenMfa { .. }),
        "{challenge:?}"
    );
    let code = SecretAnswer::new(totp::totp(base32, chrono::Utc::now().timestamp()));
    client
        .answer(*challenge, ChallengeAnswer::Code(code))
        .await
        .unwrap()
        .into_tokens()
        .expect("tokens after TOTP")
}

async fn whole_session(setting: Setting) {
    let totp_secret = TotpSecret::from_bytes(b"0123456789abcdef0123");
    let base32 = totp_secret.expose_base32().to_string();
    let pool = start(setting, totp_secret).await;
    let app = if setting.secret {
        pool.secret_client()
    } else {
        pool.public_client()
    }
    .unwrap()
    .clone();
    let client = client(&pool, &app);
    let remember = LoginOptions::default().remember_device("matrix", true);

    // Sign-in with MFA; with tracking on, the device is confirmed and remembered.
    let first = sign_in_with_totp(&client, setting.alice(), &remember, &base32).await;
    // The internal user name: the user name, or the sub in an email pool.
    let internal = pool.internal_username(setting.alice()).unwrap();
    assert_eq!(first.username(), Some(internal.as_str()), "{setting:?}");
    assert_eq!(internal == "alice", !setting.email, "{setting:?}");
    let tracked = setting.tracking != DeviceTracking::Off;
    assert_eq!(first.device_credentials().is_some(), tracked, "{setting:?}");
    assert_eq!(first.device_key().is_some(), tracked, "{setting:?}");

    // Refresh: the device key goes along; with rotation a new token replaces the old.
    let refreshed = client.refresh_tokens(&first).await.unwrap();
    assert_eq!(refreshed.device_key(), first.device_key(), "{setting:?}");
    assert_eq!(
        refresh_of(&refreshed) != refresh_of(&first),
        setting.rotation,
        "{setting:?}"
    );
    if setting.rotation {
        let reused = client.refresh_tokens(&first).await.unwrap_err();
        assert_eq!(
            reused.service_kind(),
            Some(&ServiceErrorKind::RefreshTokenReuse),
            "{setting:?}: {reused:?}"
        );
    }

    // A second sign-in as the remembered device skips MFA.
    let latest = match first.device_credentials().cloned() {
        Some(credentials) => {
            let again = second_sign_in(&client, setting.alice(), credentials.clone()).await;
            assert_eq!(again.device_key(), Some(credentials.device_key()));
            assert!(again.new_device_metadata().is_none(), "{setting:?}");
            assert!(again.stale_device().is_none(), "{setting:?}");
            client.refresh_tokens(&again).await.unwrap()
        }
        None => refreshed,
    };

    // Sign-out: a revoked refresh token is refused, and so is its access token.
    client.get_user(latest.access_token()).await.unwrap();
    client
        .revoke_token(latest.refresh_token().unwrap())
        .await
        .unwrap();
    for refused in [
        client.refresh_tokens(&latest).await.unwrap_err(),
        client.get_user(latest.access_token()).await.unwrap_err(),
    ] {
        assert_eq!(
            refused.service_kind(),
            Some(&ServiceErrorKind::NotAuthorized),
            "{setting:?}: {refused:?}"
        );
    }
    // Signing out everywhere ends every session of the user.
    let bob = match client
        .login_with(setting.bob(), Password::new(PASSWORD), &remember)
        .await
        .unwrap()
    {
        LoginOutcome::Tokens(tokens) => *tokens,
        other => panic!("bob has no MFA: {other:?}"),
    };
    client.global_sign_out(bob.access_token()).await.unwrap();
    for ended in [
        client.get_user(bob.access_token()).await.unwrap_err(),
        client.refresh_tokens(&bob).await.unwrap_err(),
    ] {
        assert_eq!(
            ended.service_kind(),
            Some(&ServiceErrorKind::NotAuthorized),
            "{setting:?}: {ended:?}"
        );
    }
    pool.shutdown().await.unwrap();
}

async fn second_sign_in(
    client: &CognitoClient<HttpTransport>,
    username: &str,
    credentials: DeviceCredentials,
) -> Tokens {
    let options = LoginOptions::default().device(credentials);
    match client
        .login_with(username, Password::new(PASSWORD), &options)
        .await
        .unwrap()
    {
        LoginOutcome::Tokens(tokens) => *tokens,
        LoginOutcome::Challenge(challenge) => {
            panic!("a remembered device skips MFA, got {challenge:?}")
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_session_in_every_setting() {
    for setting in every_setting() {
        whole_session(setting).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_session_is_typed_as_invalid() {
    let totp_secret = TotpSecret::from_bytes(b"0123456789abcdef0123");
    let base32 = totp_secret.expose_base32().to_string();
    let setting = Setting {
        tracking: DeviceTracking::Off,
        rotation: false,
        email: false,
        secret: false,
    };
    let pool = start(setting, totp_secret).await;
    let client = client(&pool, &pool.public_client().unwrap().clone());
    let challenge = client
        .login("alice", Password::new(PASSWORD))
        .await
        .unwrap()
        .into_challenge()
        .expect("TOTP");
    let code = || SecretAnswer::new(totp::totp(&base32, chrono::Utc::now().timestamp()));
    client
        .answer(challenge.clone(), ChallengeAnswer::Code(code()))
        .await
        .unwrap()
        .into_tokens()
        .expect("signed in");
    let again = client
        .answer(challenge, ChallengeAnswer::Code(code()))
        .await
        .unwrap_err();
    assert!(again.is_invalid_session(), "{again:?}");
    assert_eq!(again.service_kind(), Some(&ServiceErrorKind::NotAuthorized));
    pool.shutdown().await.unwrap();
}
